package server

import (
	"os"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"
)

// The GC policy keeps the process's memory close to the dataset, as
// jemalloc keeps redis-server's, without costing throughput where the
// dataset is small.
//
// Go's default (GOGC=100) lets the heap reach twice the live data before a
// collection, and the pages freed then stay mapped for a while: with a
// 200MB dataset that is up to 200MB of RSS Redis does not have. Two rules:
//
//   - Bounded headroom: after each GC cycle, GOGC is set so that the next
//     cycle starts once the heap has grown by max(live/8, 16MB) (with
//     maxmemory set, the 16MB floor is at most maxmemory/32: garbage not
//     collected yet counts as used memory, so a large floor would make a
//     small maxmemory evict keys it has room for) — GOGC=100
//     while the live heap is under 16MB (no extra collections for small
//     datasets or benchmarks on a few keys), about 12 for big ones. A
//     collection per 1/8 of growth marks the live data eight times per
//     doubling; listpacks, intsets and strings hold no pointers, so marking
//     them costs little.
//   - Return memory when quiet: once the server has allocated almost
//     nothing for a second (the load has settled) and a purge would give
//     back more than max(live/64, 4MB) — garbage not collected yet plus
//     free pages still mapped — a background goroutine runs
//     debug.FreeOSMemory: a GC cycle (concurrent; commands keep running)
//     and a release of every free page to the OS, like jemalloc's decay
//     purging the dirty pages of an idle Redis. Never on a busy server,
//     where the first rule bounds the excess; never twice for the same
//     garbage, since after a purge there is nothing left to give back.
//
// GOGC set in the environment turns the policy off: the operator decides.
//
// GOGC and the heap belong to the process, so there is one policy per
// process (processGC), ticked by the cron of every Server in it.
type gcPolicy struct {
	mu         sync.Mutex // serializes ticks from several servers' crons
	off        bool
	read       func() gcStats // runtime/metrics; a double in tests
	setPercent func(int)
	purge      func() // blocking; runs in its own goroutine

	percent    int       // GOGC in force (0: not set yet)
	cycles     uint64    // GC cycles seen at the last tick
	lastAllocs uint64    // heap bytes allocated, at the last tick
	lastTick   time.Time // zero before the first tick
	quietSince time.Time // start of the current run of quiet ticks

	// purging is set while a purge runs. The event loop does not wait in
	// epoll_wait meanwhile (eventLoop.run): the purge's sweep
	// yields after every span, and a loop that then waited 10ms holding
	// the only P stretched a purge of a 50MB heap over seconds.
	purging atomic.Bool
}

// gcStats is what the policy reads from the runtime.
type gcStats struct {
	live    uint64 // heap marked live by the last GC cycle
	cycles  uint64 // completed GC cycles
	allocs  uint64 // heap bytes allocated since start
	objects uint64 // heap objects: live, or garbage not swept yet
	free    uint64 // free heap pages not yet released to the OS
}

// reclaimable is what a purge would give back to the OS: objects beyond
// the live heap and free pages. Fragmentation inside spans, which a purge
// cannot return, is not counted.
func (st gcStats) reclaimable() uint64 {
	return st.objects - min(st.live, st.objects) + st.free
}

const (
	gcHeadroomDiv  = 8        // headroom is live/8 ...
	gcMinHeadroom  = 16 << 20 // ... but at least 16MB
	gcQuietRate    = 1 << 20  // allocating less than 1MB/s is quiet
	gcQuietFor     = time.Second
	gcPurgeDiv     = 64      // purge when it returns live/64 ...
	gcMinPurgeSlop = 4 << 20 // ... and at least 4MB
)

// processGC is the process's policy.
var processGC = newGCPolicy()

// newGCPolicy returns the policy acting on the runtime; off when GOGC is
// set in the environment.
func newGCPolicy() *gcPolicy {
	_, off := os.LookupEnv("GOGC")
	return &gcPolicy{
		off:        off,
		read:       readGCStats,
		setPercent: func(p int) { debug.SetGCPercent(p) },
		purge:      debug.FreeOSMemory,
	}
}

// gcPercentFor is the GOGC giving a headroom of max(live/8, floor) above
// a live heap of live bytes, within [100/gcHeadroomDiv, 100]; floor is
// 16MB, or maxmemory/32 (at least 1MB) when that is smaller.
func gcPercentFor(live, maxMemory uint64) int {
	if live == 0 {
		return 100
	}
	floor := uint64(gcMinHeadroom)
	if maxMemory > 0 {
		floor = min(floor, max(maxMemory/32, 1<<20))
	}
	headroom := max(live/gcHeadroomDiv, floor)
	p := headroom * 100 / live
	return int(min(max(p, 100/gcHeadroomDiv), 100))
}

// tick runs from cron: it retunes GOGC after a GC cycle and starts a purge
// when the server is quiet and holds memory it does not need. It only
// reads a few runtime metrics (no stop-the-world) and never blocks.
func (g *gcPolicy) tick(now time.Time, maxMemory uint64) {
	if g.off {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	st := g.read()
	if st.cycles != g.cycles || g.percent == 0 {
		g.cycles = st.cycles
		if p := gcPercentFor(st.live, maxMemory); p != g.percent {
			g.setPercent(p)
			g.percent = p
		}
	}

	if g.lastTick.IsZero() {
		g.lastTick, g.lastAllocs, g.quietSince = now, st.allocs, now
		return
	}
	elapsed := now.Sub(g.lastTick)
	allocated := st.allocs - g.lastAllocs
	g.lastTick, g.lastAllocs = now, st.allocs
	if elapsed <= 0 || float64(allocated) > gcQuietRate*elapsed.Seconds() {
		g.quietSince = now
		return
	}
	if now.Sub(g.quietSince) < gcQuietFor || g.purging.Load() {
		return
	}
	if st.reclaimable() <= max(st.live/gcPurgeDiv, gcMinPurgeSlop) {
		return
	}
	g.purging.Store(true)
	go func() {
		defer g.purging.Store(false)
		g.purge()
	}()
}

var gcMetricNames = [...]string{
	"/gc/heap/live:bytes",
	"/gc/cycles/total:gc-cycles",
	"/gc/heap/allocs:bytes",
	"/memory/classes/heap/objects:bytes",
	"/memory/classes/heap/free:bytes",
}

// readGCStats reads gcStats from runtime/metrics (which, unlike
// runtime.ReadMemStats, does not stop the world).
func readGCStats() gcStats {
	var smp [len(gcMetricNames)]metrics.Sample
	for i, n := range gcMetricNames {
		smp[i].Name = n
	}
	metrics.Read(smp[:])
	var v [len(gcMetricNames)]uint64
	for i := range smp {
		if smp[i].Value.Kind() == metrics.KindUint64 {
			v[i] = smp[i].Value.Uint64()
		}
	}
	return gcStats{live: v[0], cycles: v[1], allocs: v[2], objects: v[3], free: v[4]}
}
