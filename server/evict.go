package server

// maxmemory and key eviction, after Redis 7.0's evict.c: the approximated
// LRU/LFU/TTL algorithms (sampling plus an eviction pool), the random
// policies, and the LFU logarithmic counter kept in Object.LRU.

import (
	"math"
	"math/rand/v2"
	"runtime"
	"runtime/metrics"
	"time"

	"ferrite/datatypes"
)

// evictionPoolSize is EVPOOL_SIZE: the best candidates kept across calls.
const evictionPoolSize = 16

// lfuInitVal is LFU_INIT_VAL: a new key's counter, so that it is not
// evicted before it had a chance to be accessed.
const lfuInitVal = 5

// usedMemoryInterval is how long a used_memory measurement is reused:
// reading the runtime's metrics on every write command would cost more
// than the command.
const usedMemoryInterval = 5 * time.Millisecond

// evictionPoolEntry is one candidate: the higher idle, the better.
type evictionPoolEntry struct {
	idle uint64
	key  string
	db   int
	used bool
}

// evictState is the maxmemory bookkeeping of the server, protected by
// Server.mu.
type evictState struct {
	// measure returns the heap in use and the count of completed GC
	// cycles; tests inject a deterministic one.
	measure  func() (used, gcCycles uint64)
	interval time.Duration // how long a measurement is reused
	measured time.Time     // when used was read
	used     uint64        // last measurement
	gcCycles uint64        // GC cycles at that measurement
	// freed estimates what evictions released since the last GC: Go
	// frees memory only once the collector has run, so without it a
	// burst of writes would evict far more than needed.
	freed  uint64
	pool   [evictionPoolSize]evictionPoolEntry
	nextDB int       // the random policies' db rotation
	lastGC time.Time // when collectGarbage last ran a collection
}

var evictMetricNames = [2]string{"/memory/classes/heap/objects:bytes", "/gc/cycles/total:gc-cycles"}

// measureHeap reads the live heap (plus garbage not yet swept) and the GC
// cycle count; unlike runtime.ReadMemStats it does not stop the world.
func measureHeap() (used, gcCycles uint64) {
	smp := [2]metrics.Sample{{Name: evictMetricNames[0]}, {Name: evictMetricNames[1]}}
	metrics.Read(smp[:])
	if smp[0].Value.Kind() == metrics.KindUint64 {
		used = smp[0].Value.Uint64()
	}
	if smp[1].Value.Kind() == metrics.KindUint64 {
		gcCycles = smp[1].Value.Uint64()
	}
	return used, gcCycles
}

// usedMemory is used_memory as maxmemory and INFO see it: the heap
// measured at most every few milliseconds, minus what evictions freed
// since the last GC.
func (s *Server) usedMemory() uint64 {
	e := &s.evict
	if e.measure == nil {
		e.measure, e.interval = measureHeap, usedMemoryInterval
	}
	if now := time.Now(); e.measured.IsZero() || now.Sub(e.measured) >= e.interval {
		used, gcs := e.measure()
		if gcs != e.gcCycles {
			e.freed = 0
		}
		e.used, e.gcCycles, e.measured = used, gcs, now
	}
	return e.used - min(e.freed, e.used)
}

// freeMemoryIfNeeded is the OOM check of processCommand: it reports whether
// a denyoom command may run, evicting keys first when over maxmemory.
func (s *Server) freeMemoryIfNeeded() bool { return s.performEvictions() }

// performEvictions is Redis's performEvictions: while used memory exceeds
// maxmemory, evict the best key the policy finds. It reports false when
// memory is still over the limit and nothing (more) can be evicted.
func (s *Server) performEvictions() bool {
	limit := uint64(s.cfg.MaxMemory)
	if limit == 0 || s.usedMemory() <= limit {
		return true
	}
	policy := s.cfg.MaxMemoryPolicy
	if policy == "noeviction" {
		return s.collectGarbage() && s.usedMemory() <= limit
	}
	for s.usedMemory() > limit {
		db, key := s.evictionCandidate(policy)
		if db == nil {
			if s.collectGarbage() {
				continue
			}
			return false
		}
		s.evictKey(db, key)
	}
	return true
}

// gcBeforeOOMInterval is how often collectGarbage may run a collection.
const gcBeforeOOMInterval = 100 * time.Millisecond

// collectGarbage runs a full collection before a write would be refused
// with -OOM, and reports whether it ran. used_memory counts what Go has
// not collected yet: right after FLUSHALL, DEL of big keys or the
// evictions above, the memory is free in Redis's sense but still on the
// heap. Redis frees it at once, so before answering OOM the server
// collects once (at most every gcBeforeOOMInterval, since a collection
// costs time proportional to the live data) and measures again.
func (s *Server) collectGarbage() bool {
	e := &s.evict
	now := time.Now()
	if !e.lastGC.IsZero() && now.Sub(e.lastGC) < gcBeforeOOMInterval {
		return false
	}
	e.lastGC = now
	runtime.GC()
	e.measured = time.Time{} // measure again
	e.freed = 0
	return true
}

// evictionCandidate picks the key to evict under policy, or returns a nil
// db when no key is evictable.
func (s *Server) evictionCandidate(policy string) (*datatypes.DB, string) {
	allkeys := len(policy) > 8 && policy[:8] == "allkeys-"
	if policy == "allkeys-random" || policy == "volatile-random" {
		// Start from the db after the last one used, so that every db
		// gets its turn (Redis's static next_db).
		for range s.dbs {
			s.evict.nextDB++
			db := s.dbs[s.evict.nextDB%len(s.dbs)]
			if allkeys {
				if k, _, ok := db.Keys.RandomKey(); ok {
					return db, k
				}
			} else if k, _, ok := db.Expires.RandomKey(); ok {
				return db, k
			}
		}
		return nil, ""
	}
	pool := &s.evict.pool
	for {
		total := 0
		for _, db := range s.dbs {
			if allkeys {
				if n := db.Keys.Len(); n > 0 {
					total += n
					db.Keys.SomeKeys(s.cfg.MaxMemorySamples, func(k string, o *datatypes.Object) {
						s.evictionPoolInsert(db.ID, k, s.evictionScore(policy, o, 0))
					})
				}
			} else if n := db.Expires.Len(); n > 0 {
				total += n
				db.Expires.SomeKeys(s.cfg.MaxMemorySamples, func(k string, at int64) {
					var o *datatypes.Object
					if policy != "volatile-ttl" {
						o = db.Lookup(k)
					}
					s.evictionPoolInsert(db.ID, k, s.evictionScore(policy, o, at))
				})
			}
		}
		if total == 0 {
			return nil, ""
		}
		// From the best candidate down; entries whose key is gone (a
		// ghost) are dropped and the next one is tried.
		for i := evictionPoolSize - 1; i >= 0; i-- {
			ent := pool[i]
			if !ent.used {
				continue
			}
			pool[i] = evictionPoolEntry{}
			db := s.dbs[ent.db]
			var ok bool
			if allkeys {
				_, ok = db.Keys.Get(ent.key)
			} else {
				_, ok = db.Expires.Get(ent.key)
			}
			if ok {
				return db, ent.key
			}
		}
	}
}

// evictionScore is the pool's idle value: idle milliseconds (LRU),
// 255 minus the decayed counter (LFU), or the inverse of the expire time
// (TTL), so that higher is always evicted first.
func (s *Server) evictionScore(policy string, o *datatypes.Object, expireAt int64) uint64 {
	switch policy {
	case "volatile-ttl":
		return math.MaxUint64 - uint64(expireAt)
	case "allkeys-lfu", "volatile-lfu":
		return 255 - uint64(s.lfuDecrAndReturn(o))
	}
	return uint64(s.estimateIdleTime(o)) * 1000 // LRU_CLOCK_RESOLUTION
}

// estimateIdleTime is estimateObjectIdleTime in seconds: the LRU clock
// may have wrapped since the access.
func (s *Server) estimateIdleTime(o *datatypes.Object) int64 {
	now, lru := int64(s.lruClock()), int64(o.LRU)
	if now >= lru {
		return now - lru
	}
	return now + lruClockMax - lru
}

// evictionPoolInsert is evictionPoolPopulate's insertion: the pool stays
// sorted by idle ascending, so the best candidate is on the right, and a
// key worse than all when the pool is full is dropped.
func (s *Server) evictionPoolInsert(db int, key string, idle uint64) {
	pool := &s.evict.pool
	k := 0
	for k < evictionPoolSize && pool[k].used && pool[k].idle < idle {
		k++
	}
	switch {
	case k == 0 && pool[evictionPoolSize-1].used:
		return
	case k < evictionPoolSize && !pool[k].used:
	case !pool[evictionPoolSize-1].used:
		copy(pool[k+1:], pool[k:evictionPoolSize-1])
	default:
		k--
		copy(pool[:k], pool[1:k+1])
	}
	pool[k] = evictionPoolEntry{idle: idle, key: key, db: db, used: true}
}

// evictKey deletes key as an eviction: through the keyspace path (WATCH),
// propagated as DEL (UNLINK with lazyfree-lazy-eviction), counted in
// evicted_keys, and its estimated size credited to used_memory until the
// collector actually frees it.
func (s *Server) evictKey(db *datatypes.DB, key string) {
	if o := db.Lookup(key); o != nil {
		s.evict.freed += uint64(keyMemoryUsage(db, key, o, 5))
	}
	k := []byte(key)
	s.dbDelete(db, k)
	s.notifyKeyspaceEvent(s.execClient, NotifyEvicted, "evicted", k, db.ID)
	cmd := "DEL"
	if s.cfg.LazyfreeLazyEviction {
		cmd = "UNLINK"
	}
	s.alsoPropagate(db.ID, [][]byte{[]byte(cmd), k})
	s.stats.evictedKeys++
}

// --- LRU / LFU access tracking ---

// lfuPolicy reports whether an LFU policy is set; the suffix check keeps
// it cheap on every key access.
func (s *Server) lfuPolicy() bool {
	p := s.cfg.MaxMemoryPolicy
	return len(p) > 4 && p[len(p)-4:] == "-lfu"
}

// updateLRU records an access to o: the LRU clock, or under an LFU policy
// the decayed and then probabilistically incremented counter (updateLFU).
func (s *Server) updateLRU(o *datatypes.Object) {
	if !s.lfuPolicy() {
		o.LRU = s.lruClock()
		return
	}
	counter := s.lfuLogIncr(s.lfuDecrAndReturn(o))
	o.LRU = s.lfuMinutes()<<8 | uint32(counter)
}

// newObjectLRU is what createObject stamps on a new value: the LRU clock,
// or the current minutes with LFU_INIT_VAL.
func (s *Server) newObjectLRU() uint32 {
	if s.lfuPolicy() {
		return s.lfuMinutes()<<8 | lfuInitVal
	}
	return s.lruClock()
}

// stampValue sets the LRU of a value about to be stored at key: under LFU
// an overwritten key keeps its frequency (dbOverwrite), else it is new.
func (s *Server) stampValue(db *datatypes.DB, key string, o *datatypes.Object) {
	if s.lfuPolicy() {
		if old := db.Lookup(key); old != nil {
			if old != o {
				o.LRU = old.LRU
			}
			return
		}
	}
	o.LRU = s.newObjectLRU()
}

// lfuMinutes is LFUGetTimeInMinutes: unix minutes in 16 bits.
func (s *Server) lfuMinutes() uint32 { return uint32(s.cmdTime.Unix()/60) & 65535 }

// lfuDecrAndReturn is LFUDecrAndReturn: the counter decayed by one per
// lfu-decay-time minutes since the last access, without updating o.
func (s *Server) lfuDecrAndReturn(o *datatypes.Object) int {
	ldt := o.LRU >> 8
	counter := int(o.LRU & 255)
	now := s.lfuMinutes()
	elapsed := now - ldt
	if now < ldt {
		elapsed = 65535 - ldt + now
	}
	if d := s.cfg.LFUDecayTime; d > 0 {
		if periods := int(elapsed) / d; periods > 0 {
			counter = max(counter-periods, 0)
		}
	}
	return counter
}

// lfuLogIncr is LFULogIncr: the counter grows with probability
// 1/((counter-LFU_INIT_VAL)*lfu-log-factor+1), saturating at 255.
func (s *Server) lfuLogIncr(counter int) int {
	if counter == 255 {
		return 255
	}
	base := float64(max(counter-lfuInitVal, 0))
	if rand.Float64() < 1.0/(base*float64(s.cfg.LFULogFactor)+1) {
		counter++
	}
	return counter
}
