package server

import (
	"testing"
	"time"
)

// busyPoll polls only while events come closer together than half the
// window on average, and only until the window has passed since the loop
// went idle; a loop that keeps finding events does not read the clock.
func TestBusyPoll(t *testing.T) {
	const window = 50 * time.Microsecond
	var p busyPoll
	now, reads := time.Second, 0
	clock := func() time.Duration { reads++; return now }
	// wait runs one round: before, then a wait that finds events after
	// gap (if the poll would find them).
	wait := func(gap time.Duration) (polled bool) {
		polled = p.before(window, clock)
		if gap > 0 {
			p.empty(clock)
			now += gap
		}
		p.events(clock)
		return polled
	}
	// A loaded loop: events at every poll, no clock read.
	for i := 0; i < 20; i++ {
		if !wait(0) {
			t.Fatal("a loaded loop sleeps")
		}
	}
	if reads != 0 {
		t.Errorf("a loaded loop read the clock %d times", reads)
	}
	// Short gaps keep it polling, up to the window.
	for i := 0; i < 20; i++ {
		if !wait(5 * time.Microsecond) {
			t.Fatalf("gap average %v: the loop sleeps", p.gap)
		}
	}
	p.before(window, clock)
	p.empty(clock)
	now += window / 2
	if !p.before(window, clock) {
		t.Error("half the window after going idle: the loop sleeps")
	}
	now += window / 2
	if p.before(window, clock) {
		t.Error("a whole window after going idle: the loop still polls")
	}
	p.events(clock)
	// A long idle gap stops polling until the average is short again.
	wait(10 * time.Millisecond)
	if p.before(window, clock) {
		t.Errorf("gap average %v after a 10ms gap: the loop polls", p.gap)
	}
	p.events(clock)
	for i := 0; i < 200 && !p.before(window, clock); i++ {
		p.events(clock)
	}
	if !p.before(window, clock) {
		t.Errorf("gap average %v after 200 rounds without a gap: the loop sleeps", p.gap)
	}
	// Off: never polls.
	if p.before(0, clock) {
		t.Error("busy-poll-usec 0: the loop polls")
	}
}
