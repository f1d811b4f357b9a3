package server

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// perKey is what each key weighs in the injected used_memory, so that
// maxmemory = n*perKey holds n keys before eviction starts.
const perKey = 1000

// newEvictEnv is a clockEnv whose used_memory is perKey bytes per key,
// measured afresh on every check, under policy with room for maxKeys keys.
func newEvictEnv(t *testing.T, policy string, maxKeys int, mutate ...func(*Config)) *clockEnv {
	t.Helper()
	e := newClockEnv(t, &feedRecorder{sep: ":", skipMulti: true}, append([]func(*Config){func(c *Config) {
		c.MaxMemoryPolicy = policy
		c.MaxMemory = int64(maxKeys * perKey)
		c.MaxMemorySamples = 100
	}}, mutate...)...)
	s := e.s
	s.mu.Lock()
	var gcs uint64
	s.evict.measure = func() (uint64, uint64) {
		n := 0
		for _, db := range s.dbs {
			n += db.Len()
		}
		gcs++ // every measurement follows a GC: the estimate is not used
		return uint64(n * perKey), gcs
	}
	s.evict.interval = 0
	s.mu.Unlock()
	return e
}

// fill sets keys k1..kn, one second apart.
func (e *clockEnv) fill(n int) {
	for i := 1; i <= n; i++ {
		e.c.expect("+OK\r\n", "SET", "k"+strconv.Itoa(i), "v")
		e.advance(time.Second)
	}
}

// alive reports which of k1..kn exist.
func (e *clockEnv) alive(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		if e.c.Do("EXISTS", "k"+strconv.Itoa(i)) == ":1\r\n" {
			b.WriteString("k" + strconv.Itoa(i) + " ")
		}
	}
	return strings.TrimSpace(b.String())
}

const oomReply = "-OOM command not allowed when used memory > 'maxmemory'.\r\n"

func TestEvictNoeviction(t *testing.T) {
	e := newEvictEnv(t, "noeviction", 2)
	e.fill(3) // the third SET runs at exactly the limit
	e.c.expect(oomReply, "SET", "k4", "v")
	e.c.expect(oomReply, "RPUSH", "l", "a")
	e.c.expect("$1\r\nv\r\n", "GET", "k1") // not denyoom
	e.c.expect(":1\r\n", "DEL", "k1")
	e.c.expect("+OK\r\n", "SET", "k4", "v")
	if got := e.alive(4); got != "k2 k3 k4" {
		t.Errorf("alive %q", got)
	}
}

func TestEvictAllkeysLRU(t *testing.T) {
	e := newEvictEnv(t, "allkeys-lru", 4)
	e.fill(4)
	e.c.expect("$1\r\nv\r\n", "GET", "k1") // k1 is now the most recent
	e.advance(time.Second)
	e.feeds.take()
	e.c.expect("+OK\r\n", "SET", "k5", "v") // 4 keys: at the limit
	e.c.expect("+OK\r\n", "SET", "k6", "v") // over: the oldest (k2) goes
	if got := e.alive(6); got != "k1 k3 k4 k5 k6" {
		t.Errorf("alive %q", got)
	}
	e.expectFeed("0:SET k5 v", "0:DEL k2", "0:SET k6 v")
	e.c.expect("+OK\r\n", "SET", "k7", "v")
	if got := e.alive(7); got != "k1 k4 k5 k6 k7" {
		t.Errorf("alive %q", got)
	}
	if info := e.c.Do("INFO", "stats"); !strings.Contains(info, "\r\nevicted_keys:2\r\n") {
		t.Errorf("INFO stats: %q", info)
	}
}

func TestEvictVolatileLRU(t *testing.T) {
	e := newEvictEnv(t, "volatile-lru", 2)
	e.fill(3)
	// Only keys with a TTL may go: none, so writes are refused.
	e.c.expect(oomReply, "SET", "k4", "v")
	e.c.expect(":1\r\n", "EXPIRE", "k3", "100")
	e.c.expect(":1\r\n", "EXPIRE", "k2", "100")
	e.advance(time.Second)
	e.c.expect("$1\r\nv\r\n", "GET", "k3")
	e.feeds.take()
	e.c.expect("+OK\r\n", "SET", "k4", "v") // 3 over 2: k2, least recent of k2/k3
	e.expectFeed("0:DEL k2", "0:SET k4 v")
	e.c.expect("+OK\r\n", "SET", "k5", "v")
	e.c.expect(oomReply, "SET", "k6", "v")
	if got := e.alive(6); got != "k1 k4 k5" {
		t.Errorf("alive %q", got)
	}
}

func TestEvictVolatileTTL(t *testing.T) {
	e := newEvictEnv(t, "volatile-ttl", 3)
	e.fill(4)
	e.c.expect(":1\r\n", "EXPIRE", "k1", "300")
	e.c.expect(":1\r\n", "EXPIRE", "k2", "100") // nearest
	e.c.expect(":1\r\n", "EXPIRE", "k4", "200")
	e.c.expect("+OK\r\n", "SET", "k5", "v")
	if got := e.alive(5); got != "k1 k3 k4 k5" {
		t.Errorf("alive %q", got)
	}
	e.c.expect("+OK\r\n", "SET", "k6", "v")
	if got := e.alive(6); got != "k1 k3 k5 k6" {
		t.Errorf("alive %q", got)
	}
}

func TestEvictRandom(t *testing.T) {
	e := newEvictEnv(t, "allkeys-random", 3)
	e.fill(6) // each SET past the limit evicts one key
	if got := e.c.Do("DBSIZE"); got != ":4\r\n" {
		t.Errorf("DBSIZE %q", got)
	}

	e = newEvictEnv(t, "volatile-random", 3)
	e.fill(4)
	e.c.expect(":1\r\n", "EXPIRE", "k2", "100")
	e.c.expect("+OK\r\n", "SET", "k5", "v")
	if got := e.alive(5); got != "k1 k3 k4 k5" {
		t.Errorf("alive %q", got)
	}
	e.c.expect(oomReply, "SET", "k6", "v")
}

func TestEvictAllkeysLFU(t *testing.T) {
	e := newEvictEnv(t, "allkeys-lfu", 4, func(c *Config) { c.LFULogFactor = 0 })
	e.fill(4)
	for _, k := range []string{"k1", "k2", "k4", "k1", "k2", "k4", "k3"} {
		e.c.Do("GET", k)
	}
	// Counters: k1 7, k2 7, k3 6, k4 7, then the new k5 5: the lowest.
	e.c.expect("+OK\r\n", "SET", "k5", "v")
	e.c.expect("+OK\r\n", "SET", "k6", "v")
	if got := e.alive(6); got != "k1 k2 k3 k4 k6" {
		t.Errorf("alive %q", got)
	}
}

// Expected values from redis-server 7.0.15 (allkeys-lfu, lfu-log-factor 0
// makes every access count).
func TestLFUCounter(t *testing.T) {
	e := newClockEnv(t, &feedRecorder{}, func(c *Config) {
		c.MaxMemoryPolicy = "allkeys-lfu"
		c.LFULogFactor = 0
	})
	c := e.c
	c.expect("+OK\r\n", "SET", "k", "v")
	c.expect(":5\r\n", "OBJECT", "FREQ", "k")
	for range 3 {
		c.Do("GET", "k")
	}
	c.expect(":8\r\n", "OBJECT", "FREQ", "k")
	c.expect("+OK\r\n", "SET", "k", "v2") // the lookup counts; the value keeps it
	c.expect(":9\r\n", "OBJECT", "FREQ", "k")
	c.expect(":1\r\n", "RPUSH", "l", "a")
	c.expect(":5\r\n", "OBJECT", "FREQ", "l")
	c.expect(":2\r\n", "RPUSH", "l", "b")
	c.expect(":6\r\n", "OBJECT", "FREQ", "l")
	for range 300 {
		c.Do("GET", "k")
	}
	c.expect(":255\r\n", "OBJECT", "FREQ", "k")

	// Decay: one per lfu-decay-time minutes, on read too.
	e.advance(3 * time.Minute)
	c.expect(":3\r\n", "OBJECT", "FREQ", "l")
	c.expect("+OK\r\n", "CONFIG", "SET", "lfu-decay-time", "2")
	c.expect(":5\r\n", "OBJECT", "FREQ", "l")
	c.expect("+OK\r\n", "CONFIG", "SET", "lfu-decay-time", "0")
	c.expect(":6\r\n", "OBJECT", "FREQ", "l")
	e.advance(10 * time.Minute)
	c.expect("+OK\r\n", "CONFIG", "SET", "lfu-decay-time", "1")
	c.expect(":0\r\n", "OBJECT", "FREQ", "l")
	c.expect(":242\r\n", "OBJECT", "FREQ", "k")

	// lfu-log-factor 10: redis-server 7.0.15 gave 11 after 100 accesses;
	// the growth is random, so only its order of magnitude is checked.
	c.expect("+OK\r\n", "CONFIG", "SET", "lfu-log-factor", "10")
	c.expect("+OK\r\n", "SET", "z", "v")
	for range 100 {
		c.Do("GET", "z")
	}
	got := c.Do("OBJECT", "FREQ", "z")
	n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(got, ":")))
	if n < 7 || n > 14 {
		t.Errorf("OBJECT FREQ after 100 accesses with lfu-log-factor 10: %q", got)
	}
}

// A burst of evictions between two measurements relies on the estimate of
// what each freed, not on a fresh (GC-less) reading.
func TestEvictEstimateBetweenMeasurements(t *testing.T) {
	e := newEvictEnv(t, "allkeys-lru", 1)
	e.fill(3)
	s := e.s
	s.mu.Lock()
	used := uint64(1 << 20)
	s.evict.measure = func() (uint64, uint64) { return used, 7 } // no GC runs
	s.evict.measured = time.Time{}
	s.evict.freed = 0
	s.cfg.MaxMemory = int64(used) - 1
	before := s.dbs[0].Len()
	ok := s.performEvictions()
	left := s.dbs[0].Len()
	s.mu.Unlock()
	if !ok || before < 2 || left != before-1 {
		t.Errorf("performEvictions = %v with %d keys left, want one key evicted", ok, left)
	}
}

// BenchmarkUsedMemory is the cost of the OOM check of each write.
func BenchmarkUsedMemory(b *testing.B) {
	s := &Server{}
	for b.Loop() {
		s.usedMemory()
	}
}

func BenchmarkMeasureHeap(b *testing.B) {
	for b.Loop() {
		measureHeap()
	}
}
