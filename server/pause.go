package server

import "time"

// Client pause (CLIENT PAUSE / UNPAUSE), as Redis 7.0's pauseClients.
//
// While a pause is on, processCommand postpones every command (ALL) or
// every write and may-replicate command (WRITE) of every client, the one
// that asked for the pause included, exactly where Redis does: after the
// lookup, arity, auth and OOM checks and before MULTI queuing. A postponed
// command waits outside the keyspace lock (executeBatch calls waitUnpause)
// and runs once the pause ends, in its client's order. Monitors are
// replicas for Redis and are never paused.
//
// While paused the dataset stays static: keys are not expired, lazily
// (expireIfNeeded reports them missing without deleting them) or actively
// (the cron skips the cycle); eviction, when it lands, must check
// s.expirePaused too.

// Pause types, ordered by strength: a new pause never weakens the current one.
const (
	pauseOff = iota
	pauseWrite
	pauseAll
)

// clientPause is the pause state. It lives in Server.pause, protected by
// Server.mu.
type clientPause struct {
	typ   int
	end   int64         // unix ms at which the pause ends
	done  chan struct{} // closed when the pause ends; nil while not paused
	timer *time.Timer

	// postponed is set by processCommand when it postponed the command it
	// was given; executeBatch reads it (still under the lock) right after.
	postponed bool
	// waiting holds the clients whose command waits for the pause to end;
	// closing a client's channel wakes it early (CLIENT KILL).
	waiting map[*client]chan struct{}
}

// pauseClients starts or extends a pause until end (unix ms). As in Redis,
// the type and end only ever grow until UNPAUSE.
func (s *Server) pauseClients(end int64, typ int) {
	p := &s.pause
	if !s.pauseActive() { // also clears a pause whose time is up
		p.done = make(chan struct{})
	}
	p.typ = max(p.typ, typ)
	p.end = max(p.end, end)
	s.armPauseTimer()
}

// armPauseTimer makes the pause end on time even when no command or cron
// tick looks at it. Called with s.mu held.
func (s *Server) armPauseTimer() {
	p := &s.pause
	if p.timer != nil {
		p.timer.Stop()
	}
	d := time.Duration(p.end-s.mstime()) * time.Millisecond
	p.timer = time.AfterFunc(max(d, 0), func() {
		s.mu.Lock()
		if s.pause.typ != pauseOff {
			if s.pause.end <= s.mstime() {
				s.unpauseClients()
			} else {
				s.armPauseTimer() // the clock is injected or was extended
			}
		}
		s.mu.Unlock()
	})
}

// unpauseClients ends the pause and releases every postponed command.
func (s *Server) unpauseClients() {
	p := &s.pause
	if p.typ == pauseOff {
		return
	}
	p.typ, p.end = pauseOff, 0
	close(p.done)
	s.readied.Store(true)
	p.done = nil
	if p.timer != nil {
		p.timer.Stop()
		p.timer = nil
	}
}

// pauseActive reports whether a pause is on, ending it when its time is
// up (Redis's checkClientPauseTimeoutAndReturnIfPaused).
func (s *Server) pauseActive() bool {
	if s.pause.typ == pauseOff {
		return false
	}
	if s.pause.end <= s.mstime() {
		s.unpauseClients()
		return false
	}
	return true
}

// expirePaused reports whether keys must not be expired or evicted now:
// during any client pause the dataset stays as it is, and an expired key
// is only reported missing. Called with s.mu held.
func (s *Server) expirePaused() bool { return s.pauseActive() }

// postponeIfPaused is processCommand's pause check: it reports whether cmd
// must wait for the pause to end, and marks it postponed for executeBatch.
//
// EXEC is paused under WRITE when its queued commands include a write or
// may-replicate command (Redis checks c->mstate.cmd_flags): the MULTI
// work adds that test here.
func (s *Server) postponeIfPaused(c *client, cmd *Command) bool {
	if c.flags&flagMonitor != 0 || !s.pauseActive() {
		return false
	}
	writes := cmd.has(cmdWrite|cmdMayReplicate) || (cmd.Name == "exec" && c.multi != nil && c.multi.writes)
	if s.pause.typ == pauseWrite && !writes {
		return false
	}
	s.pause.postponed = true
	return true
}

// waitUnpause waits, without the keyspace lock, until the pause that
// postponed c's command ends. It reports whether the command should run
// now: false when the client was killed or the server is shutting down
// while it waited. Called with s.mu held; returns with it held.
func (s *Server) waitUnpause(c *client) bool {
	p := &s.pause
	p.postponed = false
	if p.done == nil {
		return true
	}
	ended := p.done
	wake := make(chan struct{})
	if p.waiting == nil {
		p.waiting = make(map[*client]chan struct{})
	}
	p.waiting[c] = wake
	s.mu.Unlock()
	// Replies of the commands before this one go out now, as Redis writes
	// them before it blocks the client.
	c.flush()
	select {
	case <-ended:
	case <-wake:
	case <-s.done:
	}
	s.mu.Lock()
	delete(p.waiting, c)
	select {
	case <-s.done:
		return false
	default:
	}
	return s.clients[c.id] == c
}

// wakePaused releases c if its command waits for a pause (CLIENT KILL).
func (s *Server) wakePaused(c *client) {
	if ch, ok := s.pause.waiting[c]; ok {
		close(ch)
		s.readied.Store(true)
		delete(s.pause.waiting, c)
	}
}

// isPauseWaiting reports whether c has a postponed command (flag b).
func (s *Server) isPauseWaiting(c *client) bool {
	_, ok := s.pause.waiting[c]
	return ok
}
