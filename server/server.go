// Package server is Ferrite's RESP server: listeners, clients, the command
// table, dispatch and one file per command family.
//
// Execution model: every connection has its own goroutine that reads a
// whole pipeline (all complete requests the socket has), executes it under
// one acquisition of Server.mu, and writes all the replies with one write.
// Commands therefore run atomically and in one total order, as in Redis.
// Background work (active expiry, rehashing, client timeouts) runs from the
// cron in small time-boxed slices under the same lock.
package server

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"ferrite/datatypes"
	"ferrite/server/resp"
)

// Version is the Redis version Ferrite reports (redis_version); clients
// use it to pick features, and Ferrite implements Redis 7.0's.
const Version = "7.0.15"

// Server is one Ferrite instance.
type Server struct {
	// mu is the keyspace lock: it protects everything below it, and every
	// command runs while holding it.
	mu           sync.Mutex
	cfg          *Config
	dbs          []*datatypes.DB
	clients      map[int64]*client
	monitors     []*client
	commands     map[string]*Command
	stats        stats
	slowlog      slowlog
	latency      latencyMonitor
	dirty        int64 // changes since the last save
	lastSave     time.Time
	startTime    time.Time
	pause        clientPause
	sinks        []Feeder                   // propagation destinations: AOF, replication
	pendingProps []pendingProp              // changes of the running command, not yet fed
	blocked      map[blockKey][]*client     // clients blocked on each key, in blocking order
	readyKeys    []blockKey                 // keys that got data for blocked clients
	blockedCount int                        // clients waiting in blocking commands
	watchers     map[blockKey][]*watchedKey // WATCHes of each key
	inCall       int                        // depth of command execution (scripts nest)
	execClient   *client                    // the client whose command runs (nil in background work)
	tracking     trackingTable              // client-side caching (tracking.go)
	cmdTime      time.Time                  // clock at the start of the running command (or cron tick)
	evict        evictState                 // maxmemory: cached used_memory and the eviction pool (evict.go)

	// The clock is read once per batch (batchWall, batchMono); each
	// command's time is batchWall plus the monotonic time elapsed, and
	// each command's end reading (lastMono) is the next one's start, so a
	// command costs one monotonic read. See commandTime.
	batchWall     time.Time
	batchMono     time.Duration
	lastMono      time.Duration
	wallMono      bool // batchWall has a monotonic reading (a real clock, not a test's)
	activeExpire  bool // DEBUG SET-ACTIVE-EXPIRE
	replID        string
	shutdownAsked bool
	cronLoops     int64

	expireCycle activeExpireState // expire.go: state kept across active expire cycles

	aof aofState // aof.go: append only file

	persist persistState // persist.go: SAVE/BGSAVE state, save points, loading
	snap    *snapshot    // snapshot.go: the running snapshot, nil when none

	admin adminState // admin.go: run id, memory peak, network rates, timeout scan

	pubsub pubsubServer // pubsub.go: channels, patterns, shard channels and their subscribers

	script scriptState // scripting.go: Lua engine, script cache, the running script

	seed   uint64
	nextID atomic.Int64
	now    func() time.Time // injectable clock
	logger *log.Logger

	lnMu      sync.Mutex
	listeners []net.Listener
	tcp       tcpListening // what ListenAndServe opened (CONFIG SET port/bind moves it)
	done      chan struct{}
	closeOnce sync.Once
	wg        sync.WaitGroup

	// loop serves the clients on Linux with io-threads 1 (eventloop_linux.go);
	// nil: a goroutine per client. Started by the first Serve.
	loop     *eventLoop
	loopOnce sync.Once
	// readied is set when a goroutine was made runnable (a blocked or
	// paused client woken, an episode or a writer started): the event
	// loop then yields before it waits, so they run at once.
	readied atomic.Bool
	// busyPoll is busy-poll-usec as a duration (0: off, or one CPU),
	// read by the event loop without s.mu.
	busyPoll atomic.Int64
	// verbosity is loglevel as an index into logLevelMark, read by logf
	// from any goroutine.
	verbosity atomic.Int32
}

// Feeder receives every change to the dataset in its deterministic form,
// in execution order, with the database it applies to. It is called with
// Server.mu held and must not block; argv may alias a request buffer, so a
// Feeder that keeps it must copy it.
type Feeder interface {
	Feed(db int, argv [][]byte)
}

// New returns a server for cfg. Call Serve to accept connections.
func New(cfg *Config) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	s := &Server{
		cfg:          cfg,
		clients:      make(map[int64]*client),
		seed:         binary.LittleEndian.Uint64(b[:]),
		now:          time.Now,
		logger:       log.New(os.Stdout, "", 0),
		done:         make(chan struct{}),
		activeExpire: true,
	}
	s.commands = buildCommandTable()
	s.renameCommands()
	s.dbs = make([]*datatypes.DB, cfg.Databases)
	for i := range s.dbs {
		s.dbs[i] = datatypes.NewDB(i, s.seed)
	}
	s.startTime = s.now()
	s.cmdTime = s.startTime
	s.lastSave = s.startTime
	s.replID = randomHex(40)
	s.slowlog.init()
	_ = s.applyBusyPoll()
	_ = s.applyLogLevel()
	go s.cron()
	return s, nil
}

// SetLogger replaces where the server logs.
func (s *Server) SetLogger(l *log.Logger) { s.logger = l }

func (s *Server) logf(level, format string, args ...any) {
	if logMarkIndex(level) < int(s.verbosity.Load()) {
		return
	}
	ts := s.now().Format("02 Jan 2006 15:04:05.000")
	s.logger.Printf("%d:M %s %s %s", os.Getpid(), ts, level, fmt.Sprintf(format, args...))
}

// logLevelMark is the mark each loglevel prints, by index: debug,
// verbose, notice, warning.
var logLevelMark = [4]string{".", "-", "*", "#"}

// logLevelIndex is the index of a loglevel name (notice if unknown).
func logLevelIndex(name string) int {
	switch strings.ToLower(name) {
	case "debug":
		return 0
	case "verbose":
		return 1
	case "warning":
		return 3
	}
	return 2
}

// logMarkIndex is the index of a mark in logLevelMark (warning if none).
func logMarkIndex(mark string) int {
	for i, m := range logLevelMark {
		if m == mark {
			return i
		}
	}
	return 3
}

// applyLogLevel hands loglevel to logf, as Redis's serverLog drops
// messages below server.verbosity.
func (s *Server) applyLogLevel() error {
	s.verbosity.Store(int32(logLevelIndex(s.cfg.LogLevel)))
	return nil
}

// ListenAndServe listens on every address of cfg.Bind at cfg.Port.
// CONFIG SET port/bind later moves these listeners (applyListeners).
func (s *Server) ListenAndServe() error {
	lns, err := listenTCP(s.cfg.Bind, s.cfg.Port)
	if err != nil {
		return err
	}
	s.lnMu.Lock()
	s.tcp = tcpListening{lns: lns, bind: s.cfg.Bind, port: s.cfg.Port}
	s.lnMu.Unlock()
	s.logf("*", "Ready to accept connections tcp")
	errc := make(chan error, len(lns))
	for _, ln := range lns {
		go func(ln net.Listener) { errc <- s.Serve(ln) }(ln)
	}
	for {
		select {
		case err := <-errc:
			if err != nil {
				return err
			}
		case <-s.done:
			return nil
		}
	}
}

// listenTCP opens a listener per bind address ("*" is every IPv4
// address, "::*" every IPv6 one, a leading "-" makes an address optional).
func listenTCP(bind []string, port int) ([]net.Listener, error) {
	var lns []net.Listener
	for _, addr := range bind {
		optional := strings.HasPrefix(addr, "-")
		addr = strings.TrimPrefix(addr, "-")
		host := addr
		if addr == "*" {
			host = "0.0.0.0"
		} else if addr == "::*" {
			host = "::"
		}
		network := "tcp4"
		if strings.Contains(host, ":") {
			network = "tcp6"
		}
		ln, err := net.Listen(network, net.JoinHostPort(host, fmt.Sprint(port)))
		if err != nil {
			if optional {
				continue
			}
			for _, l := range lns {
				l.Close()
			}
			return nil, fmt.Errorf("Could not create server TCP listening socket %s:%d: %w", addr, port, err)
		}
		lns = append(lns, ln)
	}
	if len(lns) == 0 {
		return nil, errors.New("no listening socket could be created")
	}
	return lns, nil
}

// Serve accepts connections on ln until Close. It returns nil after Close.
func (s *Server) Serve(ln net.Listener) error {
	s.lnMu.Lock()
	s.listeners = append(s.listeners, ln)
	s.lnMu.Unlock()
	s.startLoop()
	for {
		conn, err := ln.Accept()
		if err != nil {
			select {
			case <-s.done:
				return nil
			default:
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				time.Sleep(5 * time.Millisecond)
				continue
			}
			if s.retiredListener(ln) {
				return nil // closed by CONFIG SET port/bind
			}
			return err
		}
		s.wg.Add(1)
		go s.handleConn(conn)
	}
}

// startLoop starts the event loop unless io-threads asks for parallel
// socket I/O (a goroutine per client, on io-threads Ps) or the platform
// has no epoll.
func (s *Server) startLoop() {
	s.loopOnce.Do(func() {
		if s.cfg.IOThreads > 1 {
			return
		}
		l, err := newEventLoop(s)
		if err != nil {
			return
		}
		select {
		case <-s.done:
			l.stop()
			return
		default:
		}
		s.loop = l
		s.wg.Add(1)
		go l.run()
	})
}

// Addr returns the address of the first listener, or nil.
func (s *Server) Addr() net.Addr {
	s.lnMu.Lock()
	defer s.lnMu.Unlock()
	if len(s.listeners) == 0 {
		return nil
	}
	return s.listeners[0].Addr()
}

// Close stops the listeners and disconnects every client.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		close(s.done)
		s.lnMu.Lock()
		for _, ln := range s.listeners {
			ln.Close()
		}
		s.lnMu.Unlock()
		s.loopOnce.Do(func() {}) // no loop starts after this
		if s.loop != nil {
			s.loop.stop() // it unlinks the clients it owns
		}
		s.mu.Lock()
		for _, c := range s.clients {
			c.disconnect()
		}
		s.aofShutdown()
		s.mu.Unlock()
	})
	s.wg.Wait()
	return nil
}

// Done is closed when the server shuts down (SHUTDOWN or Close).
func (s *Server) Done() <-chan struct{} { return s.done }

func (s *Server) handleConn(conn net.Conn) {
	// The config is read under s.mu: CONFIG SET writes it.
	s.mu.Lock()
	keepalive := s.cfg.TCPKeepalive
	c := s.newClient(conn)
	s.setReadLimits(c)
	s.mu.Unlock()
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetNoDelay(true)
		if keepalive > 0 {
			_ = tc.SetKeepAlive(true)
			_ = tc.SetKeepAlivePeriod(time.Duration(keepalive) * time.Second)
		}
	}
	s.mu.Lock()
	if reject := s.acceptCheck(c); reject != "" {
		s.stats.rejectedConns++
		s.mu.Unlock()
		_, _ = conn.Write([]byte(reject))
		conn.Close()
		s.wg.Done()
		return
	}
	s.clients[c.id] = c
	s.stats.connectionsReceived++
	s.mu.Unlock()
	if s.loop != nil && s.loop.add(c) {
		return
	}
	s.serveClient(c)
}

// serveClient is a client's own goroutine: read a batch, run it, flush,
// until the client goes.
func (s *Server) serveClient(c *client) {
	for {
		cmds, err := c.rd.ReadBatch()
		if _, keep := s.processInput(c, cmds, err, true); !keep {
			break
		}
	}
	s.finishClient(c)
}

// finishClient unlinks a client whose connection ended; only its owner
// (its goroutine or the event loop) calls it, once.
func (s *Server) finishClient(c *client) {
	s.unlinkClient(c)
	s.wg.Done()
}

// handoff is what a client's goroutine must finish after the event loop
// stopped at something that waits (see executeBatch).
type handoff struct {
	rest     [][][]byte // requests still to run, copied out of the read buffer
	blocked  bool       // wait for the blocking command first
	draining bool       // the loop's write stopped short: the goroutine owns the rest (drain)
	err      error      // the read error that followed the requests
}

// processInput runs what one read produced: the batch, then the protocol
// error if any, then the flush. With wait false (the event loop) it never
// waits: it returns the handoff a goroutine must finish instead. keep is
// false when the client must be unlinked.
func (s *Server) processInput(c *client, cmds [][][]byte, err error, wait bool) (h *handoff, keep bool) {
	if h := s.executeInput(c, cmds, err, wait); h != nil {
		return h, true
	}
	return s.flushInput(c, err)
}

// executeInput is processInput up to the flush: the replies wait in
// c.reply. A non-nil handoff is what a goroutine must finish.
func (s *Server) executeInput(c *client, cmds [][][]byte, err error, wait bool) *handoff {
	if len(cmds) > 0 || err != nil {
		s.stats.netInput.Add(c.rd.Consumed())
	}
	if len(cmds) > 0 {
		if h := s.executeBatch(c, cmds, wait); h != nil {
			h.err = err
			return h
		}
		if !wait && c.aofWait.app != nil {
			return &handoff{err: err} // appendfsync always: the reply waits for the fsync
		}
		s.aofWaitDurable(c)
	}
	if err != nil {
		var pe *resp.ProtocolError
		if errors.As(err, &pe) {
			c.addReplyErrorString("ERR " + pe.Error())
			s.logf("#", "Protocol error (%s) from client: %s", pe.Msg, c.describe())
		} else if errors.Is(err, resp.ErrQueryBufferLimit) {
			s.logf("#", "Closing client that reached max query buffer length: %s", c.describe())
		}
	}
	return nil
}

// flushInput writes the replies executeInput left, without waiting when
// the event loop owns c: what the socket cannot take now is a handoff.
// keep is false when the client must be unlinked (the read ended in err,
// or the client is closing).
func (s *Server) flushInput(c *client, err error) (h *handoff, keep bool) {
	if !c.flush() {
		return &handoff{draining: true, err: err}, true // replies wait for the socket: a goroutine writes them
	}
	return nil, err == nil && !c.closing()
}

// serveEpisode finishes, in the client's own goroutine, what the event loop
// handed off: waits, the rest of the batch, the write; then it runs what
// arrived meanwhile and gives the client back to the loop.
func (s *Server) serveEpisode(c *client, h *handoff) {
	keep := s.resume(c, h)
	for keep && c.rd.Buffered() > 0 {
		cmds, err := c.rd.ParseBuffered()
		if len(cmds) == 0 && err == nil {
			break
		}
		_, keep = s.processInput(c, cmds, err, true)
	}
	if keep && s.loop.add(c) {
		return
	}
	if keep {
		s.serveClient(c) // the loop is gone or refused c: serve it here
		return
	}
	s.finishClient(c)
}

// resume does the waiting part of a handoff; false when c must go.
func (s *Server) resume(c *client, h *handoff) bool {
	if h.draining {
		c.drain(true)
		if h.err != nil {
			return false
		}
	}
	if h.blocked {
		s.mu.Lock()
		ok := true
		for ok && c.blocked != nil {
			ok = s.waitBlocked(c)
		}
		s.mu.Unlock()
		if !ok {
			return false
		}
	}
	if h.blocked || len(h.rest) > 0 {
		// An empty rest still ends the batch (AOF wait, tracking). With
		// wait set nothing is handed off.
		s.executeBatch(c, h.rest, true)
	}
	if h.err != nil {
		_, keep := s.processInput(c, nil, h.err, true)
		return keep
	}
	s.aofWaitDurable(c)
	c.flush()
	return !c.closing()
}

// executeBatch runs a pipelined batch under one acquisition of the lock.
// A command postponed by CLIENT PAUSE waits outside the lock and then
// runs, before the rest of the batch (pause.go). With wait false (the
// event loop) nothing waits: at a script, a postponed command or a command
// that blocks it returns the handoff a goroutine must finish.
func (s *Server) executeBatch(c *client, cmds [][][]byte, wait bool) (h *handoff) {
	cmds, locked := s.lockUnlessBusy(c, cmds) // scripting.go: BUSY while a script runs long
	if !locked {
		return nil
	}
	defer s.mu.Unlock()
	// Runs before the unlock: the batch may have changed the limits.
	defer s.setReadLimits(c)
	defer func() {
		if h == nil { // a handed-off batch is not over: pushes are not held
			c.holdOutput()
		}
	}()
	defer s.trackingBroadcast(c)
	defer s.aofBatchEnd(c)
	if s.clients[c.id] != c { // killed (CLIENT KILL, timeout) while its batch was read
		return nil
	}
	s.beginBatch()
	for i := 0; i < len(cmds); i++ {
		argv := cmds[i]
		if c.closing() {
			return nil
		}
		if !wait && s.runsScripts(c, argv) {
			return &handoff{rest: copyCommands(cmds[i:])}
		}
		s.processCommand(c, argv)
		if s.pause.postponed && !wait {
			s.pause.postponed = false // the goroutine runs it again, and waits
			return &handoff{rest: copyCommands(cmds[i:])}
		}
		for s.pause.postponed {
			if !s.waitUnpause(c) {
				return nil
			}
			s.beginBatch() // time passed while the lock was released
			s.processCommand(c, argv)
		}
		s.serveBlockedClients()
		if c.blocked != nil {
			// The rest of the pipeline waits with the client; it must
			// outlive the read buffer, which keeps filling meanwhile.
			cmds, i = copyCommands(cmds[i+1:]), -1
			if !wait {
				return &handoff{rest: cmds, blocked: true}
			}
			for c.blocked != nil {
				if !s.waitBlocked(c) {
					return nil
				}
			}
			s.beginBatch()
		}
	}
	return nil
}

// runsScripts reports whether argv runs a script (EVAL, FCALL, or an EXEC
// with one queued): the event loop hands such a client to a goroutine, as
// other clients must be served (BUSY, SCRIPT KILL) while a script runs.
func (s *Server) runsScripts(c *client, argv [][]byte) bool {
	if len(argv[0]) == 0 || (argv[0][0]|0x20 != 'e' && argv[0][0]|0x20 != 'f') {
		return false // cheap filter: eval*, exec, fcall*
	}
	cmd := s.lookupCommand(argv)
	if cmd == nil {
		return false
	}
	if cmd.runsScripts {
		return true
	}
	if cmd.Proc != nil && cmd.FullName == "exec" && c.multi != nil {
		for _, q := range c.multi.cmds {
			if q.cmd != nil && q.cmd.runsScripts {
				return true
			}
		}
	}
	return false
}

// setReadLimits sets the request reader's limits for c's next read from
// the config (proto-max-bulk-len, client-query-buffer-limit) and c's
// authentication. Called with s.mu held, by c's own goroutine.
func (s *Server) setReadLimits(c *client) {
	c.rd.Limits = resp.Limits{
		MaxBulk:         s.cfg.ProtoMaxBulkLen,
		MaxQueryBuffer:  s.cfg.ClientQueryBufferLimit,
		Unauthenticated: !c.authenticated && s.authRequired(),
	}
}

// acceptCheck returns the error a new connection gets before being closed
// (maxclients, protected mode), or "".
func (s *Server) acceptCheck(c *client) string {
	if len(s.clients) >= s.cfg.MaxClients {
		return "-ERR max number of clients reached\r\n"
	}
	if s.cfg.ProtectedMode && s.cfg.Requirepass == "" && !c.isLocal() {
		return "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Set up an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n"
	}
	return ""
}

func (s *Server) unlinkClient(c *client) {
	c.conn.Close()
	s.mu.Lock()
	delete(s.clients, c.id)
	s.discardTransaction(c)
	if c.flags&flagMonitor != 0 {
		s.removeMonitor(c)
	}
	s.pubsubUnsubscribeAll(c)
	s.disableTracking(c)
	s.mu.Unlock()
}

// authRequired reports whether new clients must AUTH first.
func (s *Server) authRequired() bool { return s.cfg.Requirepass != "" }

// recoverPanic turns a panicking handler into an error reply and a log
// line, so one bad request can never take the process down.
func (s *Server) recoverPanic(c *client) {
	if r := recover(); r != nil {
		// Called under s.mu (processCommand's defer).
		s.logf("#", "panic while executing %q: %v\n%s", c.cmdName(), r, debug.Stack())
		s.inCall = 0
		s.pendingProps = s.pendingProps[:0]
		c.addErrorString("ERR internal error while executing the command")
	}
}

func randomHex(n int) string {
	const hexdigits = "0123456789abcdef"
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = hexdigits[b[i]&15]
	}
	return string(b)
}

// mstime is the server clock in Unix milliseconds.
func (s *Server) mstime() int64 { return s.now().UnixMilli() }

var _ io.Closer = (*Server)(nil)

// SetLoggerDiscard silences the log (tests).
func (s *Server) SetLoggerDiscard() { s.logger = log.New(io.Discard, "", 0) }
