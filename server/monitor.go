package server

import (
	"strconv"
	"strings"

	"ferrite/server/resp"
)

// MONITOR: every command executed (except admin and skip_monitor ones) is
// shown to the monitors as Redis's replicationFeedMonitors formats it:
//
//	+1339518083.107412 [0 127.0.0.1:60866] "keys" "*"
//
// The line is built once per command, after it ran (so SELECT shows the
// new database), with passwords redacted, and handed to each monitor with
// pushAsync: a slow monitor queues output but never blocks the server.
// For Redis a monitor is a replica: it is never paused, never times out
// and may not touch the keyspace.

// MONITOR
func monitorCommand(c *client) {
	// A monitor sending MONITOR again gets no reply at all, as in Redis
	// (the command is ignored for replicas).
	if c.flags&flagMonitor != 0 {
		return
	}
	c.flags |= flagMonitor
	c.srv.monitors = append(c.srv.monitors, c)
	c.addOK()
}

// feedMonitors sends c's current command to every monitor. Called from
// call with s.mu held.
func (s *Server) feedMonitors(c *client) {
	line := make([]byte, 0, 64)
	line = append(line, '+')
	now := s.now().UnixMicro()
	line = strconv.AppendInt(line, now/1e6, 10)
	line = append(line, '.')
	line = appendPadded(line, now%1e6, 6)
	line = append(line, " ["...)
	line = strconv.AppendInt(line, int64(c.db.ID), 10)
	line = append(line, ' ')
	line = append(line, c.raddr...)
	line = append(line, "] "...)
	redacted := redactedArgs(c.argv)
	for i, a := range c.argv {
		if i > 0 {
			line = append(line, ' ')
		}
		if len(redacted) > 0 && redacted[i] {
			line = append(line, `"(redacted)"`...)
		} else {
			line = resp.AppendRepr(line, a)
		}
	}
	line = append(line, '\r', '\n')
	for _, m := range s.monitors {
		if m == c {
			// A monitor's own command: its line follows its reply, as in
			// Redis, so it goes out with the batch's replies.
			c.reply = append(c.reply, line...)
			continue
		}
		m.pushAsync(line)
	}
}

// removeMonitor turns c back into a normal client (RESET, disconnect).
// Called on c's own goroutine with s.mu held.
func (s *Server) removeMonitor(c *client) {
	s.dropMonitor(c)
	c.flags &^= flagMonitor
}

// dropMonitor stops feeding c without touching its flags, which only its
// own goroutine writes (CLIENT KILL of another client).
func (s *Server) dropMonitor(c *client) {
	for i, m := range s.monitors {
		if m == c {
			last := len(s.monitors) - 1
			copy(s.monitors[i:], s.monitors[i+1:])
			s.monitors[last] = nil
			s.monitors = s.monitors[:last]
			return
		}
	}
}

// appendPadded appends v in decimal, zero-padded to width digits ("%06ld").
func appendPadded(dst []byte, v int64, width int) []byte {
	var tmp [20]byte
	d := strconv.AppendInt(tmp[:0], v, 10)
	for i := len(d); i < width; i++ {
		dst = append(dst, '0')
	}
	return append(dst, d...)
}

// redactedArgs marks the arguments Redis replaces with "(redacted)" in
// MONITOR and the slow log (redactClientCommandArgument): passwords of
// AUTH, HELLO AUTH and MIGRATE AUTH/AUTH2, every argument of ACL SETUSER,
// and the values of sensitive parameters in CONFIG SET. Like Redis, the
// marking follows the parsing the command does, so a malformed command
// keeps what its parser did not reach. It returns nil when nothing is
// redacted.
func redactedArgs(argv [][]byte) []bool {
	var out []bool
	mark := func(i int) {
		if i >= len(argv) {
			return
		}
		if out == nil {
			out = make([]bool, len(argv))
		}
		out[i] = true
	}
	is := func(i int, name string) bool { return i < len(argv) && strings.EqualFold(string(argv[i]), name) }
	switch {
	case is(0, "auth"):
		if len(argv) <= 3 {
			for i := 1; i < len(argv); i++ {
				mark(i)
			}
		}
	case is(0, "hello"):
		for j := 2; j < len(argv); j++ {
			more := len(argv) - 1 - j
			switch {
			case is(j, "auth") && more >= 2:
				mark(j + 1)
				mark(j + 2)
				j += 2
			case is(j, "setname") && more >= 1:
				j++
			default:
				j = len(argv)
			}
		}
	case is(0, "migrate"):
		for j := 6; j < len(argv); j++ {
			more := len(argv) - 1 - j
			switch {
			case is(j, "auth") && more >= 1:
				mark(j + 1)
				j++
			case is(j, "auth2") && more >= 2:
				mark(j + 1)
				mark(j + 2)
				j += 2
			case is(j, "copy") || is(j, "replace"):
			default: // KEYS ends the options; anything else is a syntax error
				j = len(argv)
			}
		}
	case is(0, "acl") && is(1, "setuser"):
		for i := 2; i < len(argv); i++ {
			mark(i)
		}
	case is(0, "config") && is(1, "set"):
		for i := 2; i+1 < len(argv); i += 2 {
			if e, ok := lookupParam(string(argv[i])); ok && e.p.flags&paramSensitive != 0 {
				mark(i + 1)
			}
		}
	}
	return out
}
