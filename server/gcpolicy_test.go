package server

import (
	"testing"
	"time"
)

func TestGCPercentFor(t *testing.T) {
	for _, c := range []struct {
		live uint64
		want int
	}{
		{0, 100},
		{1 << 20, 100},  // small heaps keep Go's default
		{16 << 20, 100}, // 16MB of headroom is GOGC=100 here
		{32 << 20, 50},  // 16MB above 32MB
		{128 << 20, 12}, // live/8 from here on
		{200 << 20, 12},
		{64 << 30, 12},
	} {
		if got := gcPercentFor(c.live, 0); got != c.want {
			t.Errorf("gcPercentFor(%d) = %d, want %d", c.live, got, c.want)
		}
	}
	// With maxmemory the 16MB floor shrinks to maxmemory/32 (>= 1MB).
	for _, c := range []struct {
		live, maxMemory uint64
		want            int
	}{
		{32 << 20, 64 << 20, 12}, // floor 2MB: live/8 (4MB) rules
		{8 << 20, 64 << 20, 25},  // floor 2MB above 8MB
		{8 << 20, 1 << 30, 100},  // floor 16MB (capped by 16MB)
		{4 << 20, 1 << 20, 25},   // floor 1MB at least
	} {
		if got := gcPercentFor(c.live, c.maxMemory); got != c.want {
			t.Errorf("gcPercentFor(%d, maxmemory %d) = %d, want %d", c.live, c.maxMemory, got, c.want)
		}
	}
}

// fakeGC drives a gcPolicy with scripted runtime stats and a manual clock.
type fakeGC struct {
	st       gcStats
	percents []int
	purges   chan chan struct{} // each purge sends a channel and waits for it to close
	now      time.Time
}

func newFakeGC() (*fakeGC, *gcPolicy) {
	f := &fakeGC{purges: make(chan chan struct{}, 4), now: time.Unix(1000, 0)}
	g := &gcPolicy{
		read:       func() gcStats { return f.st },
		setPercent: func(p int) { f.percents = append(f.percents, p) },
		purge: func() {
			done := make(chan struct{})
			f.purges <- done
			<-done
		},
	}
	return f, g
}

// ticks advances the clock by step n times, allocating alloc bytes per tick.
func (f *fakeGC) ticks(g *gcPolicy, n int, step time.Duration, alloc uint64) {
	for range n {
		f.now = f.now.Add(step)
		f.st.allocs += alloc
		g.tick(f.now, 0)
	}
}

func (f *fakeGC) purged() bool {
	select {
	case done := <-f.purges:
		close(done)
		return true
	case <-time.After(50 * time.Millisecond):
		return false
	}
}

func TestGCPolicyRetunesAfterEachCycle(t *testing.T) {
	f, g := newFakeGC()
	f.st = gcStats{live: 4 << 20, cycles: 1}
	f.ticks(g, 3, 100*time.Millisecond, 10<<20)
	f.st.live, f.st.cycles = 256<<20, 2
	f.ticks(g, 1, 100*time.Millisecond, 10<<20)
	f.st.live, f.st.cycles = 260<<20, 3 // same GOGC: not set again
	f.ticks(g, 1, 100*time.Millisecond, 10<<20)
	f.st.live, f.st.cycles = 1<<20, 4 // FLUSHALL
	f.ticks(g, 1, 100*time.Millisecond, 10<<20)
	want := []int{100, 12, 100}
	if len(f.percents) != len(want) {
		t.Fatalf("GOGC set to %v, want %v", f.percents, want)
	}
	for i := range want {
		if f.percents[i] != want[i] {
			t.Fatalf("GOGC set to %v, want %v", f.percents, want)
		}
	}
}

func TestGCPolicyPurgesOnlyWhenQuiet(t *testing.T) {
	f, g := newFakeGC()
	// A big load: lots of garbage, but allocating fast: no purge.
	f.st = gcStats{live: 200 << 20, cycles: 1, objects: 300 << 20, free: 50 << 20}
	f.ticks(g, 30, 100*time.Millisecond, 5<<20)
	if f.purged() {
		t.Fatal("purged while the server was allocating 50MB/s")
	}
	// Quiet, but for less than a second: not yet.
	f.ticks(g, 9, 100*time.Millisecond, 10<<10)
	if f.purged() {
		t.Fatal("purged after less than a second of quiet")
	}
	// A second of quiet: one purge, and no second one while it runs.
	f.ticks(g, 2, 100*time.Millisecond, 10<<10)
	done := <-f.purges
	f.ticks(g, 5, 100*time.Millisecond, 10<<10)
	if f.purged() {
		t.Fatal("a second purge started while the first was running")
	}
	close(done)
	// After the purge nothing is left to give back: no more purges.
	for !g.purging.CompareAndSwap(false, false) {
		time.Sleep(time.Millisecond)
	}
	f.st.objects, f.st.free = 201<<20, 1<<20
	f.ticks(g, 30, 100*time.Millisecond, 10<<10)
	if f.purged() {
		t.Fatal("purged again with nothing to reclaim")
	}
}

func TestGCPolicySmallExcessIsLeft(t *testing.T) {
	f, g := newFakeGC()
	// 400MB live: up to live/64 (6.25MB) of garbage and free pages stays.
	f.st = gcStats{live: 400 << 20, cycles: 1, objects: 404 << 20, free: 2 << 20}
	f.ticks(g, 30, 100*time.Millisecond, 0)
	if f.purged() {
		t.Fatal("purged 6MB of a 400MB heap")
	}
	// A small heap: less than 4MB to give back stays.
	f.st = gcStats{live: 5 << 20, cycles: 1, objects: 7 << 20, free: 1 << 20}
	f.ticks(g, 30, 100*time.Millisecond, 0)
	if f.purged() {
		t.Fatal("purged 3MB")
	}
	f.st.free = 3 << 20
	f.ticks(g, 1, 100*time.Millisecond, 0)
	if !f.purged() {
		t.Fatal("no purge of 5MB on a quiet server")
	}
}

func TestGCPolicyOff(t *testing.T) {
	f, g := newFakeGC()
	g.off = true
	f.st = gcStats{live: 200 << 20, cycles: 1, objects: 400 << 20, free: 100 << 20}
	f.ticks(g, 30, 100*time.Millisecond, 0)
	if len(f.percents) != 0 || f.purged() {
		t.Fatalf("policy off: GOGC set to %v, or purged", f.percents)
	}
}
