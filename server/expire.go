package server

import (
	"math"
	"strconv"
	"strings"
	"time"

	"ferrite/datatypes"
)

// Key expiry, as Redis's expire.c: the TTL commands, and the active expire
// cycle that reclaims expired keys nobody accesses. Lazy expiry (on access)
// is in db.go; both delete through deleteExpiredKey, which propagates DEL.

// --- active expiry ---

// Tuning of the active expire cycle at active-expire-effort 1; each step of
// effort above 1 raises the work done (see expireCycleParams).
const (
	activeExpireKeysPerLoop     = 20 // ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP: keys sampled per round
	activeExpireSlowTimePerc    = 25 // ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC: % of each cron period
	activeExpireAcceptableStale = 10 // ACTIVE_EXPIRE_CYCLE_ACCEPTABLE_STALE: % expired in a sample that makes a round repeat
	cronDBsPerCall              = 16 // CRON_DBS_PER_CALL
)

// activeExpireState is what the cycle carries from one cron call to the
// next (the static variables of Redis's activeExpireCycle). Protected by
// Server.mu.
type activeExpireState struct {
	currentDB     int   // next database to test
	timelimitExit bool  // the previous cycle stopped on its time budget
	usedUsec      int64 // total wall time spent, microseconds

	// scratch buffer for one Dict.Scan step: Scan's callback may not
	// modify the dict, so keys are collected first and expired after.
	keys []string
	ats  []int64
}

// expireCycleParams scales the cycle's constants by active-expire-effort
// (1..10) as Redis does.
func (s *Server) expireCycleParams() (keysPerLoop, slowTimePerc, acceptableStale int) {
	effort := max(min(s.cfg.ActiveExpireEffort, 10), 1) - 1
	return activeExpireKeysPerLoop + activeExpireKeysPerLoop/4*effort,
		activeExpireSlowTimePerc + 2*effort,
		activeExpireAcceptableStale - effort
}

// activeExpireCycle is the cron's slow expire cycle: it may use
// slowTimePerc percent of each cron period (25% at default effort, i.e.
// 25 ms at hz 10). Called with s.mu held.
func (s *Server) activeExpireCycle() {
	_, perc, _ := s.expireCycleParams()
	budget := time.Duration(perc) * time.Second / time.Duration(max(s.cfg.Hz, 1)) / 100
	s.runActiveExpire(max(budget, time.Microsecond))
}

// runActiveExpire samples keys with a TTL in up to cronDBsPerCall databases
// (all of them if the previous cycle ran out of time) and deletes the
// expired ones, spending at most about budget of wall time. Per database it
// takes rounds of keysPerLoop keys from where the last round stopped
// (db.ExpiresCursor) and keeps going while more than acceptableStale
// percent of a round had expired: many stale keys are worth more effort,
// few are not worth the CPU. It keeps db.AvgTTL and the INFO counters
// expired_stale_perc, expired_time_cap_reached_count and
// expire_cycle_cpu_milliseconds. Called with s.mu held.
//
// The budget is measured on the real clock; expiry is judged by s.now, so
// tests with an injected clock still get a bounded cycle.
func (s *Server) runActiveExpire(budget time.Duration) {
	// A client pause keeps the dataset static: expire nothing until it ends.
	if s.expirePaused() {
		return
	}
	st := &s.expireCycle
	keysPerLoop, _, acceptableStale := s.expireCycleParams()
	start := time.Now()
	dbsPerCall := cronDBsPerCall
	if dbsPerCall > len(s.dbs) || st.timelimitExit {
		dbsPerCall = len(s.dbs)
	}
	st.timelimitExit = false

	var totalSampled, totalExpired int64
	iteration := 0
	for j := 0; j < dbsPerCall && !st.timelimitExit; j++ {
		db := s.dbs[st.currentDB%len(s.dbs)]
		// Advance now, so that a cycle cut short in this database starts
		// with the next one: time is spread across databases.
		st.currentDB++
		for {
			iteration++
			num := db.Expires.Len()
			if num == 0 {
				db.AvgTTL = 0
				break
			}
			// Under 1% fill, sampling mostly finds empty buckets; the cron
			// will shrink the table, so wait for that.
			t0, t1 := db.Expires.Buckets()
			if slots := t0 + t1; slots > 4 && num*100/slots < 1 {
				break
			}
			num = min(num, keysPerLoop)
			sampled, expired := s.expireRound(db, num)
			totalSampled += sampled
			totalExpired += expired

			// Bounded every 16 rounds: reading the clock costs too.
			if iteration&0xf == 0 && time.Since(start) > budget {
				st.timelimitExit = true
				s.stats.expiredTimeCapReached++
				break
			}
			if sampled != 0 && expired*100/sampled <= int64(acceptableStale) {
				break
			}
		}
	}

	elapsed := time.Since(start)
	st.usedUsec += elapsed.Microseconds()
	s.stats.expireCycleCPUMs = st.usedUsec / 1000
	s.latencyAddSampleIfNeeded("expire-cycle", elapsed)

	// Running estimate of the share of keys that are expired but not yet
	// reclaimed; this sample weighs 5%.
	var perc float64
	if totalSampled > 0 {
		perc = float64(totalExpired) / float64(totalSampled)
	}
	s.stats.expiredStalePerc = perc*0.05 + s.stats.expiredStalePerc*0.95
}

// expireRound is one round of the cycle in db: it scans buckets of the
// expires dict from db.ExpiresCursor until num keys were sampled or num*20
// buckets visited (empty buckets are cheap, but a sparse table must not
// make a round unbounded), deletes the expired keys, and folds the TTLs of
// the live ones into db.AvgTTL.
func (s *Server) expireRound(db *datatypes.DB, num int) (sampled, expired int64) {
	st := &s.expireCycle
	now := s.mstime()
	var ttlSum, ttlSamples int64
	maxBuckets := num * 20
	for checked := 0; sampled < int64(num) && checked < maxBuckets; checked++ {
		st.keys, st.ats = st.keys[:0], st.ats[:0]
		db.ExpiresCursor = db.Expires.Scan(db.ExpiresCursor, func(k string, at int64) {
			st.keys = append(st.keys, k)
			st.ats = append(st.ats, at)
		})
		for i, k := range st.keys {
			at := st.ats[i]
			if now > at {
				s.deleteExpiredKey(db, k)
				expired++
			}
			if ttl := at - now; ttl > 0 {
				ttlSum += ttl
				ttlSamples++
			}
			sampled++
		}
	}
	clear(st.keys) // drop references to deleted keys
	if ttlSamples > 0 {
		// Running average: this round's mean weighs 2%.
		avg := ttlSum / ttlSamples
		if db.AvgTTL == 0 {
			db.AvgTTL = avg
		}
		db.AvgTTL = db.AvgTTL/50*49 + avg/50
	}
	return sampled, expired
}

// --- commands ---

// Conditions of the EXPIRE family.
const (
	expireNX = 1 << iota // only if the key has no TTL
	expireXX             // only if it has one
	expireGT             // only if the new expiry is later (no TTL counts as infinite)
	expireLT             // only if the new expiry is earlier
)

// parseExpireFlags parses the NX|XX|GT|LT options from argv[3:], replying
// with Redis's errors on bad input.
func parseExpireFlags(c *client) (int, bool) {
	flags := 0
	for _, a := range c.argv[3:] {
		switch opt := string(a); {
		case strings.EqualFold(opt, "nx"):
			flags |= expireNX
		case strings.EqualFold(opt, "xx"):
			flags |= expireXX
		case strings.EqualFold(opt, "gt"):
			flags |= expireGT
		case strings.EqualFold(opt, "lt"):
			flags |= expireLT
		default:
			c.addErrorString("ERR Unsupported option " + opt)
			return 0, false
		}
	}
	if flags&expireNX != 0 && flags&(expireXX|expireGT|expireLT) != 0 {
		c.addErrorString("ERR NX and XX, GT or LT options at the same time are not compatible")
		return 0, false
	}
	if flags&expireGT != 0 && flags&expireLT != 0 {
		c.addErrorString("ERR GT and LT options at the same time are not compatible")
		return 0, false
	}
	return flags, true
}

// expireGeneric implements EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT: the
// argument is in seconds or milliseconds, relative to basetime (ms; 0 for
// the absolute forms). Every form propagates as PEXPIREAT with the absolute
// time, so replicas and the AOF expire the key at the same instant however
// late they apply it; an expiry already past deletes the key and
// propagates DEL.
func expireGeneric(c *client, basetime int64, seconds bool) {
	s, db := c.srv, c.db
	key := c.argv[1]
	flags, ok := parseExpireFlags(c)
	if !ok {
		return
	}
	when, ok := datatypes.ParseInt(c.argv[2])
	if !ok {
		c.addError(errNotInt)
		return
	}
	// Negative times are allowed (they delete the key), but overflow
	// of the unit conversion or the addition is an error.
	if seconds {
		if when > math.MaxInt64/1000 || when < math.MinInt64/1000 {
			c.addErrorString("ERR invalid expire time in '" + c.cmd.FullName + "' command")
			return
		}
		when *= 1000
	}
	if when > math.MaxInt64-basetime {
		c.addErrorString("ERR invalid expire time in '" + c.cmd.FullName + "' command")
		return
	}
	when += basetime

	if s.lookupKeyWrite(db, key) == nil {
		c.addInt(0)
		return
	}
	if flags != 0 {
		current := db.ExpireAt(unsafeString(key))
		if (flags&expireNX != 0 && current != -1) ||
			(flags&expireXX != 0 && current == -1) ||
			(flags&expireGT != 0 && (current == -1 || when <= current)) ||
			(flags&expireLT != 0 && current != -1 && when >= current) {
			c.addInt(0)
			return
		}
	}

	if when <= s.mstime() {
		s.dbDelete(db, key)
		c.notify(NotifyGeneric, "del", key)
		s.addDirty(1)
		c.alsoPropagate(db.ID, []byte("DEL"), append([]byte(nil), key...))
		c.addInt(1)
		return
	}
	db.SetExpire(unsafeString(key), when)
	s.signalModifiedKey(db, unsafeString(key))
	c.notify(NotifyGeneric, "expire", key)
	s.addDirty(1)
	c.addInt(1)
	if basetime == 0 && !seconds {
		return // PEXPIREAT propagates as issued
	}
	argv := make([][]byte, 0, len(c.argv))
	argv = append(argv, []byte("PEXPIREAT"), copyBytes(key), strconv.AppendInt(nil, when, 10))
	argv = append(argv, cloneArgs(c.argv[3:]...)...)
	c.alsoPropagate(db.ID, argv...)
}

// EXPIRE key seconds [NX | XX | GT | LT]
func expireCommand(c *client) { expireGeneric(c, c.srv.mstime(), true) }

// PEXPIRE key milliseconds [NX | XX | GT | LT]
func pexpireCommand(c *client) { expireGeneric(c, c.srv.mstime(), false) }

// EXPIREAT key unix-time-seconds [NX | XX | GT | LT]
func expireatCommand(c *client) { expireGeneric(c, 0, true) }

// PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT]
func pexpireatCommand(c *client) { expireGeneric(c, 0, false) }

// ttlGeneric implements TTL, PTTL, EXPIRETIME and PEXPIRETIME: -2 for a
// missing key, -1 for one without TTL, else the remaining time (or the
// absolute expiry) in seconds, rounded, or milliseconds.
func ttlGeneric(c *client, ms, absolute bool) {
	if c.srv.lookupKeyReadNoTouch(c.db, c.argv[1]) == nil {
		c.addInt(-2)
		return
	}
	expire := c.db.ExpireAt(unsafeString(c.argv[1]))
	if expire == -1 {
		c.addInt(-1)
		return
	}
	ttl := expire
	if !absolute {
		ttl = max(expire-c.srv.mstime(), 0)
	}
	if !ms {
		// Unsigned, so that the largest expiry rounds without overflow,
		// giving what redis-server's build computes.
		ttl = int64((uint64(ttl) + 500) / 1000)
	}
	c.addInt(ttl)
}

// TTL key
func ttlCommand(c *client) { ttlGeneric(c, false, false) }

// PTTL key
func pttlCommand(c *client) { ttlGeneric(c, true, false) }

// EXPIRETIME key
func expiretimeCommand(c *client) { ttlGeneric(c, false, true) }

// PEXPIRETIME key
func pexpiretimeCommand(c *client) { ttlGeneric(c, true, true) }

// PERSIST key
func persistCommand(c *client) {
	s, db := c.srv, c.db
	if s.lookupKeyWrite(db, c.argv[1]) == nil || !db.Persist(unsafeString(c.argv[1])) {
		c.addInt(0)
		return
	}
	s.signalModifiedKey(db, unsafeString(c.argv[1]))
	c.notify(NotifyGeneric, "persist", c.argv[1])
	s.addDirty(1)
	c.addInt(1)
}
