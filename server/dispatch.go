package server

import (
	"strings"
	"sync/atomic"
	"time"
)

// stats are the counters INFO reports. Fields are protected by Server.mu
// except the atomics, which connection goroutines update directly.
type stats struct {
	connectionsReceived    int64
	rejectedConns          int64
	commandsProcessed      int64
	expiredKeys            int64
	expiredStalePerc       float64
	expiredTimeCapReached  int64
	expireCycleCPUMs       int64
	evictedKeys            int64
	keyspaceHits           int64
	keyspaceMisses         int64
	totalErrorReplies      int64
	unexpectedErrorReplies int64
	errors                 map[string]int64 // errorstats by code
	netInput               atomic.Int64
	netOutput              atomic.Int64
	opsSample              opsSampler
}

// processCommand runs every check of Redis's processCommand in its order,
// then executes the command through call. Called with s.mu held.
//
// Order: lookup -> arity -> protected commands -> auth -> (ACL, cluster:
// later issues) -> OOM -> loading -> pub/sub context -> replica keyspace
// access -> client pause -> MULTI queuing -> call.
func (s *Server) processCommand(c *client, argv [][]byte) {
	c.argv = argv
	c.cmd = nil
	c.errored = false
	// Expiry checks and the LRU clock use one time per command, so a
	// command sees one instant, as Redis's fixed_time_expire.
	now := s.commandTime()
	s.cmdTime = now
	c.lastInteraction = now
	defer s.recoverPanic(c)

	cmd := c.lookupCommandCached(argv)
	if cmd == nil {
		if top := lookupName(s.commands, argv[0]); top != nil && top.Subs != nil && len(argv) >= 2 {
			s.rejectCommand(c, top, "ERR unknown subcommand '"+cstr(argv[1], 128)+"'. Try "+strings.ToUpper(string(argv[0]))+" HELP.")
			return
		}
		// As Redis: each argument as '%.*s' with the room left of 128.
		var args strings.Builder
		for i := 1; i < len(argv) && args.Len() < 128; i++ {
			room := 128 - args.Len()
			args.WriteByte('\'')
			args.WriteString(cstr(argv[i], room))
			args.WriteString("' ")
		}
		s.rejectCommand(c, nil, "ERR unknown command '"+cstr(argv[0], 128)+"', with args beginning with: "+args.String())
		return
	}
	c.cmd = cmd
	if (cmd.Arity > 0 && cmd.Arity != len(argv)) || len(argv) < -cmd.Arity {
		s.rejectCommand(c, cmd, "ERR wrong number of arguments for '"+cmd.FullName+"' command")
		return
	}
	if cmd.has(cmdProtected) {
		if opt, name, option := s.protectedOption(cmd); !allowedByOption(opt, c) {
			s.rejectCommand(c, cmd, "ERR "+name+" command not allowed. If the "+
				option+" option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.")
			return
		}
	}
	if !c.authenticated && !cmd.has(cmdNoAuth) {
		s.rejectCommand(c, cmd, "NOAUTH Authentication required.")
		return
	}
	if s.cfg.MaxMemory > 0 && cmd.has(cmdDenyOOM) && !s.freeMemoryIfNeeded() {
		s.rejectCommand(c, cmd, "OOM command not allowed when used memory > 'maxmemory'.")
		return
	}
	if msg := s.rdbDiskError(); msg != "" && (cmd.has(cmdWrite) || cmd.Name == "ping" || (cmd.Name == "exec" && c.multi != nil && c.multi.writes)) {
		s.rejectCommand(c, cmd, msg)
		return
	}
	if s.aof.state != aofOff && (cmd.has(cmdWrite) || cmd.Name == "ping" || (cmd.Name == "exec" && c.multi != nil && c.multi.writes)) {
		if msg := s.aofDiskError(); msg != "" {
			s.rejectCommand(c, cmd, msg)
			return
		}
	}
	// RESP2 cannot tell pushes from replies: a subscribed client may only
	// manage its subscriptions.
	if c.pubsub != nil && c.proto == 2 && !allowedSubscribed(cmd) {
		s.rejectCommand(c, cmd, "ERR Can't execute '"+cmd.FullName+"': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context")
		return
	}
	// A monitor is a replica for Redis: it may not touch the keyspace.
	if c.flags&flagMonitor != 0 && cmd.has(cmdWrite|cmdReadonly|cmdMayReplicate) {
		s.rejectCommand(c, cmd, "ERR Replica can't interact with the keyspace")
		return
	}
	if s.persist.loading && !cmd.has(cmdLoading) {
		s.rejectCommand(c, cmd, errLoading)
		return
	}
	if s.postponeIfPaused(c, cmd) { // before MULTI queuing, as in Redis 7.0
		return
	}
	if c.multi != nil && queuesInMulti(cmd) {
		c.queueCommand(cmd)
		return
	}
	s.call(c, cmd)
}

// cstr is printf's "%.*s" of b: at most n bytes, ending at a NUL byte.
func cstr(b []byte, n int) string {
	for i, ch := range b {
		if ch == 0 {
			b = b[:i]
			break
		}
	}
	return clip(string(b), n)
}

// beginBatch reads the clock for a batch of commands about to run.
func (s *Server) beginBatch() {
	s.batchWall = s.now()
	s.wallMono = s.batchWall != s.batchWall.Round(0)
	if s.wallMono {
		s.batchMono = s.batchWall.Sub(monoBase) // the reading time.Now took: no second clock read
	} else {
		s.batchMono = monotonic()
	}
	s.lastMono = s.batchMono
}

// commandTime is the time of the command about to run: the batch's wall
// clock advanced by the monotonic time since, without reading the wall
// clock again. An injected test clock (no monotonic reading) is used as
// it is, so tests see exactly the time they set.
func (s *Server) commandTime() time.Time {
	if !s.wallMono {
		return s.batchWall
	}
	return s.batchWall.Add(s.lastMono - s.batchMono)
}

// monoBase anchors monotonic().
var monoBase = time.Now()

// monotonic reads only the monotonic clock (cheaper than time.Now, which
// also reads the wall clock, and unaffected by an injected test clock).
func monotonic() time.Duration { return time.Since(monoBase) }

// clip shortens s to at most n bytes.
func clip(s string, n int) string {
	if n < 0 {
		n = 0
	}
	if len(s) > n {
		return s[:n]
	}
	return s
}

// rejectCommand answers a command refused before execution; it counts in
// rejected_calls of the command, as Redis does.
func (s *Server) rejectCommand(c *client, cmd *Command, msg string) {
	if cmd != nil {
		cmd.stats.rejected++
	}
	if c.multi != nil { // flagTransaction: EXEC will answer EXECABORT
		c.multi.aborted = true
	}
	c.addErrorString(msg)
	s.afterReply(c)
}

// call executes cmd and does the bookkeeping that follows every command:
// statistics, slow log, latency, MONITOR, propagation and reply modes.
func (s *Server) call(c *client, cmd *Command) {
	start := s.lastMono
	s.execute(c, cmd)
	s.lastMono = monotonic()
	dur := s.lastMono - start
	usec := dur.Microseconds()

	cmd.stats.calls++
	cmd.stats.usec += usec
	cmd.stats.latency.record(dur)
	if c.errored {
		cmd.stats.failed++
	}
	s.stats.commandsProcessed++
	s.stats.opsSample.count++
	c.lastCmd = cmd
	if !cmd.has(cmdSkipSlowlog) {
		s.slowlogPush(c, usec)
	}
	s.latencyAddSampleIfNeeded(latencyEventOf(cmd), dur)
	if len(s.monitors) > 0 && !cmd.has(cmdSkipMonitor|cmdAdmin) {
		s.feedMonitors(c)
	}
	s.afterReply(c)
}

// execute runs cmd's handler and propagates what it changed: the command
// itself when the dataset changed, unless the handler queued its
// deterministic form instead. A blocked client served later runs its
// command again through here only (its call was counted when it blocked,
// as Redis counts it once).
func (s *Server) execute(c *client, cmd *Command) {
	dirtyBefore := s.dirty
	c.ownPropagationReplaced = false
	prev := s.execClient
	s.execClient = c
	s.inCall++
	cmd.Proc(c)
	s.inCall--
	s.execClient = prev
	s.trackingAfterCommand(c, cmd)
	if s.dirty != dirtyBefore && !c.ownPropagationReplaced && !cmd.has(cmdReadonly) {
		s.pendingProps = append(s.pendingProps, pendingProp{c.db.ID, c.argv})
	}
	if s.inCall == 0 {
		s.propagatePending()
	}
}

// afterReply advances CLIENT REPLY SKIP: the command after SKIP is silent,
// the one after that replies again.
func (s *Server) afterReply(c *client) {
	if c.flags&flagReplySkip != 0 {
		c.flags &^= flagReplySkip
	}
	if c.flags&flagReplySkipNext != 0 {
		c.flags &^= flagReplySkipNext
		c.flags |= flagReplySkip
	}
}

// pendingProp is one command a handler asked to propagate instead of its
// own argv (SET EX -> SET PXAT, expired key -> DEL, ...).
type pendingProp struct {
	db   int
	argv [][]byte
}

// alsoPropagate queues argv as the deterministic form of the current
// command, which then does not propagate its own argv (Redis's
// alsoPropagate + preventCommandPropagation).
func (c *client) alsoPropagate(db int, argv ...[]byte) {
	c.ownPropagationReplaced = true
	c.srv.alsoPropagate(db, argv)
}

// alsoPropagate queues one change to leave the keyspace when the current
// command finishes (an expired key's DEL found during a command goes with
// it), or at once when no command is running (active expiry from cron).
func (s *Server) alsoPropagate(db int, argv [][]byte) {
	s.pendingProps = append(s.pendingProps, pendingProp{db, argv})
	if s.inCall == 0 {
		s.propagatePending()
	}
}

// propagatePending is the one path by which changes leave the keyspace:
// every Feeder (AOF, replication backlog) receives them in execution
// order. Several changes made by one command are wrapped in MULTI/EXEC so
// a replica or an AOF replay applies them atomically, as Redis 7.0 does.
func (s *Server) propagatePending() {
	ops := s.pendingProps
	if len(ops) == 0 {
		return
	}
	s.pendingProps = ops[:0]
	if len(s.sinks) == 0 {
		return
	}
	wrap := len(ops) > 1
	if wrap {
		s.feed(ops[0].db, [][]byte{[]byte("MULTI")})
	}
	for _, op := range ops {
		s.feed(op.db, op.argv)
	}
	if wrap {
		s.feed(ops[len(ops)-1].db, [][]byte{[]byte("EXEC")})
	}
}

func (s *Server) feed(db int, argv [][]byte) {
	for _, f := range s.sinks {
		f.Feed(db, argv)
	}
}

// AddFeeder registers a propagation destination.
func (s *Server) AddFeeder(f Feeder) {
	s.mu.Lock()
	s.sinks = append(s.sinks, f)
	s.mu.Unlock()
}

// countError records an error reply in errorstats.
func (s *Server) countError(msg string) {
	if s.stats.errors == nil {
		s.stats.errors = make(map[string]int64)
	}
	code := errorCode(msg)
	if len(s.stats.errors) >= 128 && s.stats.errors[code] == 0 {
		// Redis caps distinct error codes at 128 and then counts only
		// known ones, to bound memory.
		s.stats.totalErrorReplies++
		return
	}
	s.stats.errors[code]++
	s.stats.totalErrorReplies++
}

// protectedOption returns the enable-*-command value guarding cmd and the
// names used in its error.
func (s *Server) protectedOption(cmd *Command) (value, name, option string) {
	root := cmd
	for root.Parent != nil {
		root = root.Parent
	}
	if root.Name == "module" {
		return s.cfg.EnableModuleCommand, "MODULE", "enable-module-command"
	}
	return s.cfg.EnableDebugCommand, "DEBUG", "enable-debug-command"
}

// allowedByOption applies a no|yes|local protection option to c.
func allowedByOption(opt string, c *client) bool {
	switch opt {
	case "yes":
		return true
	case "local":
		return c.isLocal()
	}
	return false
}
