package server

import (
	"time"
)

// cron is Redis's serverCron: it runs hz times a second and does the
// background work in small time-boxed slices under the keyspace lock.
func (s *Server) cron() {
	for {
		hz := s.currentHz()
		select {
		case <-s.done:
			return
		case <-time.After(time.Second / time.Duration(hz)):
		}
		s.mu.Lock()
		s.cmdTime = s.now()
		s.cronLoops++
		s.sampleOps()
		s.databasesCron()
		s.clientsCron()
		s.aofCron()
		s.persistCron()
		if !s.persist.loading { // a load sets its own GOGC (persist.go)
			processGC.tick(time.Now(), uint64(s.cfg.MaxMemory)) // gcpolicy.go
		}
		s.trackingLimitUsedSlots()
		s.trackingBroadcast(nil) // keys changed in the background (expiry)
		s.mu.Unlock()
	}
}

// currentHz is hz, raised with the number of clients when dynamic-hz is
// on, as Redis does (at most 500).
func (s *Server) currentHz() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.effectiveHz()
}

// effectiveHz is currentHz for callers holding s.mu (INFO's hz).
func (s *Server) effectiveHz() int {
	hz := s.cfg.Hz
	if s.cfg.DynamicHz {
		for n := len(s.clients) / 200; n > 0 && hz < 500; n /= 2 {
			hz *= 2
		}
	}
	if hz > 500 {
		hz = 500
	}
	return hz
}

// opsSampler computes instantaneous_ops_per_sec over the last 16 samples.
type opsSampler struct {
	count     int64
	lastCount int64
	lastTime  time.Time
	samples   [16]float64
	idx       int
}

func (s *Server) sampleOps() {
	now := s.now()
	o := &s.stats.opsSample
	if !o.lastTime.IsZero() {
		if dt := now.Sub(o.lastTime).Seconds(); dt > 0 {
			o.samples[o.idx%16] = float64(o.count-o.lastCount) / dt
			o.idx++
		}
	}
	o.lastTime, o.lastCount = now, o.count
}

func (o *opsSampler) perSec() int64 {
	var sum float64
	for _, v := range o.samples {
		sum += v
	}
	return int64(sum / 16)
}

// databasesCron does a time-boxed incremental rehash step on every
// database (1 ms each, as Redis's incrementallyRehash) when
// activerehashing is on, and shrinks tables that became too sparse.
//
// Nothing runs while a dataset loads: Redis's cron does not run during a
// load either, and shrinking here would undo the table size the file
// announced (RESIZEDB), making the load rehash as it goes.
func (s *Server) databasesCron() {
	if s.persist.loading {
		return
	}
	if s.activeExpire && !s.expirePaused() {
		s.activeExpireCycle()
	}
	for _, db := range s.dbs {
		db.Keys.ShrinkIfNeeded()
		db.Expires.ShrinkIfNeeded()
		if !s.cfg.ActiveRehashing {
			continue // commands still rehash a step at a time
		}
		for _, d := range []interface {
			RehashSteps(int) bool
		}{db.Keys, db.Expires} {
			deadline := time.Now().Add(time.Millisecond)
			for d.RehashSteps(100) && time.Now().Before(deadline) {
			}
		}
	}
}
