package server

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"ferrite/datatypes"
)

func TestExpireErrors(t *testing.T) {
	e := newKeysEnv(t)
	e.set("a", "1")
	e.feeds.take()
	for _, tc := range []struct{ want, args string }{
		{"-ERR value is not an integer or out of range\r\n", "EXPIRE a abc"},
		{"-ERR value is not an integer or out of range\r\n", "EXPIRE a 1.5"},
		{"-ERR NX and XX, GT or LT options at the same time are not compatible\r\n", "EXPIRE a 10 nx xx"},
		{"-ERR NX and XX, GT or LT options at the same time are not compatible\r\n", "EXPIRE a 10 NX GT"},
		{"-ERR NX and XX, GT or LT options at the same time are not compatible\r\n", "PEXPIRE a 10 lt nx"},
		{"-ERR GT and LT options at the same time are not compatible\r\n", "EXPIRE a 10 gt lt"},
		{"-ERR Unsupported option foo\r\n", "EXPIRE a 10 foo"},
		{"-ERR Unsupported option foo\r\n", "EXPIRE a 10 xx foo"},
		// Options are parsed before the time.
		{"-ERR Unsupported option foo\r\n", "EXPIRE a abc foo"},
		{"-ERR invalid expire time in 'expire' command\r\n", "EXPIRE a 9223372036854775807"},
		{"-ERR invalid expire time in 'expire' command\r\n", "EXPIRE a 9223372036854775"},
		// Fits after *1000 but not after adding the current time.
		{"-ERR invalid expire time in 'expire' command\r\n", "EXPIRE a 9223372036854774"},
		{"-ERR invalid expire time in 'expire' command\r\n", "EXPIRE a -9223372036854776"},
		{"-ERR invalid expire time in 'expire' command\r\n", "EXPIRE a -9223372036854775808"},
		{"-ERR invalid expire time in 'pexpire' command\r\n", "PEXPIRE a 9223372036854775807"},
		{"-ERR invalid expire time in 'expireat' command\r\n", "EXPIREAT a 9223372036854775807"},
		{"-ERR wrong number of arguments for 'expire' command\r\n", "EXPIRE a"},
		{"-ERR wrong number of arguments for 'ttl' command\r\n", "TTL a b"},
		{"-ERR wrong number of arguments for 'persist' command\r\n", "PERSIST"},
		{":0\r\n", "EXPIRE nokey 10"},
	} {
		e.expect(tc.want, strings.Fields(tc.args)...)
	}
	e.expect(":-1\r\n", "TTL", "a")
	e.expectFeed()
	// The largest absolute time is accepted as is.
	e.expect(":1\r\n", "PEXPIREAT", "a", "9223372036854775807")
	e.expect(":9223372036854775807\r\n", "PEXPIRETIME", "a")
	e.expect(":9223372036854776\r\n", "EXPIRETIME", "a")
}

func newTestString(v string) *datatypes.Object { return datatypes.NewString([]byte(v)) }

func TestExpireConditions(t *testing.T) {
	e := newKeysEnv(t)
	e.set("a", "1")
	for _, tc := range []struct{ want, args string }{
		{":0\r\n", "EXPIRE a 100 xx"}, // no TTL yet
		{":0\r\n", "EXPIRE a 100 gt"}, // no TTL counts as infinite
		{":1\r\n", "EXPIRE a 100 nx"},
		{":0\r\n", "EXPIRE a 100 nx"},
		{":0\r\n", "EXPIRE a 100 gt"},
		{":0\r\n", "EXPIRE a 100 lt"},
		{":100\r\n", "TTL a"},
		{":1\r\n", "EXPIRE a 200 GT"},
		{":0\r\n", "EXPIRE a 50 gt"},
		{":1\r\n", "EXPIRE a 50 lt"},
		{":50\r\n", "TTL a"},
		{":1\r\n", "PEXPIRE a 50500 XX"},
		{":51\r\n", "TTL a"}, // rounded
		{":50500\r\n", "PTTL a"},
		{":1\r\n", "PERSIST a"},
		{":0\r\n", "PERSIST a"},
		{":0\r\n", "PERSIST nokey"},
		{":1\r\n", "EXPIRE a 10 lt"}, // no TTL: any time is less than infinite
		{":10\r\n", "TTL a"},
	} {
		e.expect(tc.want, strings.Fields(tc.args)...)
	}
}

func TestTTLFamily(t *testing.T) {
	e := newKeysEnv(t)
	e.expect(":-2\r\n", "TTL", "a")
	e.expect(":-2\r\n", "PTTL", "a")
	e.expect(":-2\r\n", "EXPIRETIME", "a")
	e.expect(":-2\r\n", "PEXPIRETIME", "a")
	e.set("a", "1")
	e.expect(":-1\r\n", "TTL", "a")
	e.expect(":-1\r\n", "PTTL", "a")
	e.expect(":-1\r\n", "EXPIRETIME", "a")
	e.expect(":-1\r\n", "PEXPIRETIME", "a")
	e.expect(":1\r\n", "EXPIRE", "a", "100")
	e.expect(":100\r\n", "TTL", "a")
	e.expect(":100000\r\n", "PTTL", "a")
	e.expect(":1700000100\r\n", "EXPIRETIME", "a")
	e.expect(":1700000100000\r\n", "PEXPIRETIME", "a")
	e.expect(":1\r\n", "EXPIREAT", "a", "1700000200")
	e.expect(":200000\r\n", "PTTL", "a")
	e.expect(":1\r\n", "PEXPIREAT", "a", "1700000002000")
	e.advance(501 * time.Millisecond) // 1499 ms left
	e.expect(":1\r\n", "TTL", "a")
	e.expect(":1499\r\n", "PTTL", "a")
	e.ms.Store(1700000000500) // 1500 ms left: rounds up
	e.expect(":2\r\n", "TTL", "a")
	e.expect(":1700000002\r\n", "EXPIRETIME", "a")
	// At its expiry time a key still exists: it expires once now > when.
	e.ms.Store(1700000002000)
	e.expect(":0\r\n", "PTTL", "a")
	e.expect(":0\r\n", "TTL", "a")
	e.expect(":1\r\n", "EXISTS", "a")
	e.advance(time.Millisecond)
	e.expect(":-2\r\n", "PTTL", "a")
	e.expect(":0\r\n", "EXISTS", "a")
}

// TestLazyExpiry: an expired key is missing for every command and is
// deleted, with a DEL propagated, by the first access.
func TestLazyExpiry(t *testing.T) {
	e := newKeysEnv(t)
	access := [][]string{
		{"EXISTS", "k"}, {"TYPE", "k"}, {"TTL", "k"}, {"OBJECT", "ENCODING", "k"},
		{"TOUCH", "k"}, {"PERSIST", "k"}, {"EXPIRE", "k", "100"}, {"RENAME", "k", "x"},
		{"COPY", "k", "x"}, {"MOVE", "k", "1"}, {"DEL", "k"},
	}
	want := []string{":0\r\n", "+none\r\n", ":-2\r\n", "$-1\r\n", ":0\r\n", ":0\r\n", ":0\r\n",
		"-ERR no such key\r\n", ":0\r\n", ":0\r\n", ":0\r\n"}
	for i, args := range access {
		e.set("k", "v")
		e.expect(":1\r\n", "PEXPIRE", "k", "10")
		e.feeds.take()
		e.advance(11 * time.Millisecond)
		e.expect(":1\r\n", "DBSIZE") // still there until touched
		var expired int64
		e.locked(func(s *Server) { expired = s.stats.expiredKeys })
		e.expect(want[i], args...)
		e.expectFeed("0 DEL k")
		e.expect(":0\r\n", "DBSIZE")
		e.locked(func(s *Server) {
			if s.stats.expiredKeys != expired+1 {
				t.Errorf("%v: expired_keys went from %d to %d", args, expired, s.stats.expiredKeys)
			}
		})
	}
	// The deletions one command causes reach replicas as one transaction
	// (as redis-server 7.0.15's AOF shows for DEL, EXISTS, MGET).
	e.set("x", "1")
	e.set("y", "1")
	e.expect(":1\r\n", "PEXPIRE", "x", "10")
	e.expect(":1\r\n", "PEXPIRE", "y", "10")
	e.advance(11 * time.Millisecond)
	e.feeds.take()
	e.expect(":0\r\n", "EXISTS", "x", "y")
	e.expectFeed("0 MULTI", "0 DEL x", "0 DEL y", "0 EXEC")
}

// TestExpirePropagation: every EXPIRE form reaches replicas and the AOF as
// PEXPIREAT with an absolute time (options kept), an expiry in the past as
// DEL, and PERSIST as issued; a command that changed nothing propagates
// nothing.
func TestExpirePropagation(t *testing.T) {
	e := newKeysEnv(t)
	e.set("a", "1")
	e.feeds.take()
	for _, tc := range []struct {
		args, reply string
		feed        []string
	}{
		{"expire a 100", ":1\r\n", []string{"0 PEXPIREAT a 1700000100000"}},
		{"expire a 100 NX", ":0\r\n", nil},
		{"pexpire a 200000 gt", ":1\r\n", []string{"0 PEXPIREAT a 1700000200000 gt"}},
		{"expireat a 1700000300 XX", ":1\r\n", []string{"0 PEXPIREAT a 1700000300000 XX"}},
		{"pexpireat a 1700000400000", ":1\r\n", []string{"0 pexpireat a 1700000400000"}},
		{"persist a", ":1\r\n", []string{"0 persist a"}},
		{"persist a", ":0\r\n", nil},
		{"expire nokey 10", ":0\r\n", nil},
		{"expire a -1", ":1\r\n", []string{"0 DEL a"}},
	} {
		e.expect(tc.reply, strings.Fields(tc.args)...)
		e.expectFeed(tc.feed...)
	}
	e.expect(":0\r\n", "EXISTS", "a")
	// At the current instant counts as past too.
	e.set("b", "1")
	e.feeds.take()
	e.expect(":1\r\n", "PEXPIREAT", "b", strconv.Itoa(keysEpoch))
	e.expectFeed("0 DEL b")
	e.set("c", "1")
	e.feeds.take()
	e.expect(":1\r\n", "EXPIRE", "c", "0")
	e.expectFeed("0 DEL c")
	e.set("d", "1")
	e.feeds.take()
	e.expect(":1\r\n", "PEXPIREAT", "d", "-9223372036854775808")
	e.expectFeed("0 DEL d")
	e.expect(":0\r\n", "DBSIZE")
	// Another database is named in the feed.
	e.selectDB(3)
	e.set("z", "1")
	e.feeds.take()
	e.expect(":1\r\n", "EXPIRE", "z", "5")
	e.expectFeed("3 PEXPIREAT z 1700000005000")
}

// TestActiveExpiry: the cycle removes expired keys nobody accesses,
// propagating DEL for each, and leaves the rest.
func TestActiveExpiry(t *testing.T) {
	e := newKeysEnv(t)
	const expiring, lasting, persistent = 1000, 200, 300
	e.locked(func(s *Server) {
		db := s.dbs[0]
		for i := 0; i < expiring; i++ {
			k := []byte("e" + strconv.Itoa(i))
			s.setKey(db, k, newTestString("v"), false)
			db.SetExpire(string(k), keysEpoch+1000)
		}
		for i := 0; i < lasting; i++ {
			k := []byte("l" + strconv.Itoa(i))
			s.setKey(db, k, newTestString("v"), false)
			db.SetExpire(string(k), keysEpoch+3_600_000)
		}
		for i := 0; i < persistent; i++ {
			s.setKey(db, []byte("p"+strconv.Itoa(i)), newTestString("v"), false)
		}
	})
	e.advance(2 * time.Second)
	// Run cycles as the cron would, without any access to the keys.
	for i := 0; i < 1000; i++ {
		done := false
		e.locked(func(s *Server) {
			s.activeExpireCycle()
			done = s.dbs[0].Len() == lasting+persistent
		})
		if done {
			break
		}
	}
	e.locked(func(s *Server) {
		db := s.dbs[0]
		if n := db.Len(); n != lasting+persistent {
			t.Fatalf("%d keys left, want %d", n, lasting+persistent)
		}
		if db.Expires.Len() != lasting {
			t.Errorf("%d keys with TTL left, want %d", db.Expires.Len(), lasting)
		}
		if s.stats.expiredKeys != expiring {
			t.Errorf("expired_keys = %d, want %d", s.stats.expiredKeys, expiring)
		}
		if s.stats.expiredStalePerc <= 0 {
			t.Errorf("expired_stale_perc = %v after expiring keys", s.stats.expiredStalePerc)
		}
		// The average TTL of the keys still to expire is about an hour
		// (less the 2 s that passed), seen through the 2% running average.
		if db.AvgTTL <= 0 || db.AvgTTL > 3_600_000 {
			t.Errorf("avg_ttl = %d", db.AvgTTL)
		}
		if s.stats.expireCycleCPUMs != s.expireCycle.usedUsec/1000 || s.expireCycle.usedUsec <= 0 {
			t.Errorf("expire_cycle_cpu_milliseconds = %d, used %d us", s.stats.expireCycleCPUMs, s.expireCycle.usedUsec)
		}
	})
	feed := e.feeds.take()
	if len(feed) != expiring {
		t.Fatalf("%d commands propagated, want %d DELs", len(feed), expiring)
	}
	for _, f := range feed {
		if !strings.HasPrefix(f, "0 DEL e") {
			t.Fatalf("propagated %q", f)
		}
	}
	// With nothing left to expire the stale estimate decays.
	var before float64
	e.locked(func(s *Server) {
		before = s.stats.expiredStalePerc
		s.activeExpireCycle()
		if s.stats.expiredStalePerc >= before {
			t.Errorf("expired_stale_perc %v -> %v with no stale keys", before, s.stats.expiredStalePerc)
		}
	})
}

// TestActiveExpiryFromCron: with active expiry on, the cron reclaims keys
// on its own.
func TestActiveExpiryFromCron(t *testing.T) {
	e := newKeysEnv(t)
	e.locked(func(s *Server) {
		for i := 0; i < 100; i++ {
			k := []byte("e" + strconv.Itoa(i))
			s.setKey(s.dbs[5], k, newTestString("v"), false)
			s.dbs[5].SetExpire(string(k), keysEpoch+10)
		}
	})
	e.advance(time.Second)
	e.locked(func(s *Server) { s.activeExpire = true })
	deadline := time.Now().Add(10 * time.Second)
	for {
		var n int
		e.locked(func(s *Server) { n = s.dbs[5].Len() })
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d keys still there", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
	e.locked(func(s *Server) {
		if s.stats.expiredKeys != 100 {
			t.Errorf("expired_keys = %d", s.stats.expiredKeys)
		}
	})
}

// TestActiveExpiryTimeCap: a cycle stops at its time budget, counts it in
// expired_time_cap_reached_count, and the next cycle resumes the work.
func TestActiveExpiryTimeCap(t *testing.T) {
	e := newKeysEnv(t)
	const n = 100_000
	e.locked(func(s *Server) {
		db := s.dbs[0]
		for i := 0; i < n; i++ {
			k := []byte("e" + strconv.Itoa(i))
			s.setKey(db, k, newTestString("v"), false)
			db.SetExpire(string(k), keysEpoch+1)
		}
	})
	e.advance(time.Second)
	e.locked(func(s *Server) {
		s.runActiveExpire(time.Nanosecond)
		left := s.dbs[0].Len()
		if left == 0 || left == n {
			t.Fatalf("one capped cycle left %d of %d keys", left, n)
		}
		if s.stats.expiredTimeCapReached != 1 || !s.expireCycle.timelimitExit {
			t.Errorf("time cap count %d, exit %v", s.stats.expiredTimeCapReached, s.expireCycle.timelimitExit)
		}
		if s.stats.expiredKeys != int64(n-left) {
			t.Errorf("expired_keys = %d, removed %d", s.stats.expiredKeys, n-left)
		}
		// Once the table is under 1% full the cycle waits for the cron to
		// shrink it, so run the cron's table maintenance too.
		for i := 0; i < 100_000 && s.dbs[0].Len() > 0; i++ {
			s.runActiveExpire(time.Second)
			s.databasesCron()
		}
		if s.dbs[0].Len() != 0 {
			t.Errorf("%d keys left", s.dbs[0].Len())
		}
	})
}

func TestExpireCycleParams(t *testing.T) {
	e := newKeysEnv(t)
	e.locked(func(s *Server) {
		for _, tc := range []struct{ effort, keys, perc, stale int }{
			{1, 20, 25, 10}, {2, 25, 27, 9}, {10, 65, 43, 1},
		} {
			s.cfg.ActiveExpireEffort = tc.effort
			k, p, st := s.expireCycleParams()
			if k != tc.keys || p != tc.perc || st != tc.stale {
				t.Errorf("effort %d: %d %d %d, want %d %d %d", tc.effort, k, p, st, tc.keys, tc.perc, tc.stale)
			}
		}
	})
}

// TestActiveExpiryPaused: during a client pause the dataset stays static,
// so the cycle expires nothing.
func TestActiveExpiryPaused(t *testing.T) {
	e := newKeysEnv(t)
	e.locked(func(s *Server) {
		s.setKey(s.dbs[0], []byte("k"), newTestString("v"), false)
		s.dbs[0].SetExpire("k", keysEpoch+1)
	})
	e.advance(time.Second)
	e.locked(func(s *Server) {
		s.pauseClients(e.ms.Load()+60_000, pauseWrite)
		s.runActiveExpire(time.Second)
		if s.dbs[0].Len() != 1 {
			t.Error("a paused server expired a key")
		}
		s.unpauseClients()
		s.runActiveExpire(time.Second)
		if s.dbs[0].Len() != 0 {
			t.Error("the key did not expire after the pause")
		}
	})
}
