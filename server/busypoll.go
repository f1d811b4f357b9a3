package server

import "time"

// busyPoll decides when the loop polls instead of sleeping (busy-poll-usec).
//
// A client's request that finds the loop asleep in epoll_wait pays for the
// wake-up in its own write(2): on loopback the sender runs the delivery,
// and waking a sleeping thread on another CPU takes an inter-processor
// interrupt, which in a VM is a trap to the hypervisor. redis-benchmark at
// -P 1 is bound by its own CPU, mostly such system time, so the server's
// sleeps set its throughput: with 50 clients the loop slept for one
// request in six. Polling for a while after the last event before
// sleeping removed most of them: +11% ops/s at -P 1, and a lower p99.
//
// The price is CPU: while requests arrive closer together than half the
// window on average, the loop does not sleep between them. The average
// is of the idle gaps before each round's events, so a server whose
// requests are further apart sleeps as before and idles at no cost.
//
// The clock is read only once the loop is idle: a loaded loop, whose
// polls keep finding events, reads it not at all (a clock read costs
// about as much as a small command).
type busyPoll struct {
	idleSince time.Duration // monotonic() when the idle stretch was first seen; 0: not timed
	gap       time.Duration // moving average of the idle gaps
}

// before reports whether the next wait for events should poll (not
// sleep): the average gap is under half the window, and the window has
// not passed since the loop was first seen idle.
func (p *busyPoll) before(window time.Duration, clock func() time.Duration) bool {
	switch {
	case window <= 0:
		p.idleSince = 0
		return false
	case p.gap >= window/2:
		if p.idleSince == 0 {
			p.idleSince = clock() // time the gap the wait will sleep through
		}
		return false
	case p.idleSince == 0:
		return true // the first poll after events: untimed
	}
	return clock()-p.idleSince < window
}

// empty records a wait that found no events.
func (p *busyPoll) empty(clock func() time.Duration) {
	if p.idleSince == 0 {
		p.idleSince = clock()
	}
}

// events records a wait that found events.
func (p *busyPoll) events(clock func() time.Duration) {
	var gap time.Duration
	if p.idleSince != 0 {
		gap = clock() - p.idleSince
		p.idleSince = 0
	}
	p.gap += (gap - p.gap) / 8
}
