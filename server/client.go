package server

import (
	"errors"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"ferrite/datatypes"
	"ferrite/server/resp"
)

// client flags
const (
	flagCloseAfterReply = 1 << iota // QUIT, protocol errors: close once replies are written
	flagCloseASAP                   // CLIENT KILL, output limits: close without writing more
	flagMonitor
	flagNoEvict
	flagReplyOff
	flagReplySkip     // skip the reply of the next command
	flagReplySkipNext // CLIENT REPLY SKIP was just called: skip starts after it
	flagDenyBlocking  // inside EXEC: blocking commands answer as timed out
	flagMustObey      // AOF loading, a master link: Redis's mustObeyClient (trusted forms, e.g. XADD ... = n LIMIT m)
	flagScript        // the client scripts run commands as (CLIENT_SCRIPT)
)

// client is one connection. Fields above outMu are owned by the server
// lock (or, before the client is registered, by its goroutine).
type client struct {
	srv  *Server
	id   int64
	conn net.Conn
	rc   syscall.RawConn // conn's descriptor (nil if it has none): the event loop's reads and writes
	rd   *resp.Reader
	// inLoop: the event loop owns the client (eventloop_linux.go); else its
	// goroutine does. Read and written by the owner only.
	inLoop bool
	// flushPending: the loop served c this round and writes its replies
	// at the round's end (eventLoop.flushPending). Loop only.
	flushPending bool
	loopIO       *loopIO // the reader's source while inLoop, and tryWrite's state
	laddr        string
	raddr        string

	db              *datatypes.DB
	argv            [][]byte
	cmd             *Command // command being executed
	lastCmd         *Command
	cmdCache        *Command // lookupCommandCached's last hit ...
	cmdCacheName    string   // ... and the name it was found by
	proto           int
	name            string
	libName         string
	libVer          string
	user            string
	authenticated   bool
	flags           int
	ctime           time.Time
	lastInteraction time.Time
	reply           []byte          // replies of the batch being executed
	aofWait         aofWait         // the AOF offset this batch's replies wait for (aof.go)
	errored         bool            // the current command replied with an error
	blocked         *blockState     // set while c waits in a blocking command (s.mu)
	multi           *multiState     // set between MULTI and EXEC/DISCARD
	tracking        *clientTracking // CLIENT TRACKING state (tracking.go); nil when off
	watched         []*watchedKey   // keys WATCHed by c
	dirtyCAS        bool            // a watched key changed: EXEC fails
	// ownPropagationReplaced: the handler queued its deterministic form
	ownPropagationReplaced bool
	pubsub                 *clientPubsub // subscriptions (pubsub.go); nil when none
	// subscribed mirrors pubsub != nil for overLimit, which runs outside s.mu
	subscribed atomic.Bool

	// outMu protects the bytes waiting for the socket; other goroutines
	// (MONITOR feeds, later pub/sub) append here too.
	outMu   sync.Mutex
	out     []byte
	writing bool
	closed  bool
	// held is set when a batch has run and its replies wait in reply for
	// flush: bytes others push meanwhile (pub/sub messages, tracking
	// invalidations) wait in heldOut so they follow those replies, as in
	// Redis, where the replies are already in the client's buffer.
	held           bool
	heldOut        []byte
	softLimitSince time.Time
	totalOut       int64
}

func (s *Server) newClient(conn net.Conn) *client {
	now := s.now()
	c := &client{
		srv:             s,
		id:              s.nextID.Add(1),
		conn:            conn,
		rc:              rawConnOf(conn),
		rd:              resp.NewReader(conn),
		db:              s.dbs[0],
		proto:           2,
		user:            "default",
		ctime:           now,
		lastInteraction: now,
	}
	if a := conn.LocalAddr(); a != nil {
		c.laddr = a.String()
	}
	if a := conn.RemoteAddr(); a != nil {
		c.raddr = a.String()
	}
	c.authenticated = !s.authRequired()
	if c.rc != nil {
		c.loopIO = newLoopIO(c.rc)
	}
	return c
}

// isLocal reports whether the client connected over loopback or a unix
// socket (protected mode, enable-debug-command local).
func (c *client) isLocal() bool {
	switch a := c.conn.RemoteAddr().(type) {
	case *net.TCPAddr:
		return a.IP.IsLoopback()
	case *net.UnixAddr:
		return true
	}
	return true
}

func (c *client) cmdName() string {
	if c.cmd != nil {
		return c.cmd.FullName
	}
	if len(c.argv) > 0 {
		return string(c.argv[0])
	}
	return ""
}

func (c *client) describe() string {
	return "id=" + strconv.FormatInt(c.id, 10) + " addr=" + c.raddr + " laddr=" + c.laddr + " name=" + c.name
}

// closing reports whether the client is going away.
func (c *client) closing() bool { return c.flags&(flagCloseAfterReply|flagCloseASAP) != 0 }

// --- replies: every writer appends to c.reply, which flush sends ---

// replyOn reports whether replies of the current command are kept.
func (c *client) replyOn() bool { return c.flags&(flagReplyOff|flagReplySkip) == 0 }

func (c *client) addRaw(b []byte) {
	if c.replyOn() {
		c.reply = append(c.reply, b...)
	}
}

func (c *client) addSimple(s string) {
	if c.replyOn() {
		c.reply = resp.AppendSimple(c.reply, s)
	}
}

func (c *client) addOK() { c.addSimple("OK") }

func (c *client) addInt(n int64) {
	if c.replyOn() {
		c.reply = resp.AppendInt(c.reply, n)
	}
}

func (c *client) addBulk(b []byte) {
	if c.replyOn() {
		c.reply = resp.AppendBulk(c.reply, b)
	}
}

func (c *client) addBulkString(s string) {
	if c.replyOn() {
		c.reply = resp.AppendBulkString(c.reply, s)
	}
}

func (c *client) addBulkInt(n int64) {
	if c.replyOn() {
		c.reply = resp.AppendBulkInt(c.reply, n)
	}
}

// addObject replies with a string object's value as a bulk string.
func (c *client) addObject(o *datatypes.Object) {
	if !c.replyOn() {
		return
	}
	if o.Enc == datatypes.EncInt {
		c.reply = resp.AppendBulkInt(c.reply, o.Int())
		return
	}
	c.reply = resp.AppendBulk(c.reply, o.Str())
}

func (c *client) addNull() {
	if c.replyOn() {
		c.reply = resp.AppendNull(c.reply, c.proto)
	}
}

func (c *client) addNullArray() {
	if c.replyOn() {
		c.reply = resp.AppendNullArray(c.reply, c.proto)
	}
}

func (c *client) addArrayLen(n int) {
	if c.replyOn() {
		c.reply = resp.AppendArray(c.reply, n)
	}
}

func (c *client) addMapLen(n int) {
	if c.replyOn() {
		c.reply = resp.AppendMap(c.reply, c.proto, n)
	}
}

func (c *client) addSetLen(n int) {
	if c.replyOn() {
		c.reply = resp.AppendSet(c.reply, c.proto, n)
	}
}

func (c *client) addDouble(d float64) {
	if c.replyOn() {
		c.reply = resp.AppendDouble(c.reply, c.proto, d)
	}
}

func (c *client) addBool(v bool) {
	if c.replyOn() {
		c.reply = resp.AppendBool(c.reply, c.proto, v)
	}
}

func (c *client) addVerbatim(s []byte) {
	if c.replyOn() {
		c.reply = resp.AppendVerbatim(c.reply, c.proto, "txt", s)
	}
}

// addBulks replies with an array of bulk strings.
func (c *client) addBulks(items ...string) {
	c.addArrayLen(len(items))
	for _, s := range items {
		c.addBulkString(s)
	}
}

// addError replies with err's text (which starts with the error code, as
// "ERR syntax error" or "WRONGTYPE ...") and counts it in errorstats.
func (c *client) addError(err error) { c.addErrorString(err.Error()) }

// addErrorString is addError for a ready-made message; a message without
// an upper-case code gets "ERR " in front, as Redis's addReplyError does.
func (c *client) addErrorString(msg string) {
	c.srv.countError(msg)
	c.errored = true
	if c.replyOn() {
		c.reply = resp.AppendError(c.reply, msg)
	}
}

// addReplyErrorString is used for protocol errors (no stats of a command).
func (c *client) addReplyErrorString(msg string) {
	c.srv.mu.Lock()
	c.srv.countError(msg)
	c.srv.mu.Unlock()
	c.reply = resp.AppendError(c.reply, msg)
}

// addErrorArity is the wrong-number-of-arguments error of the current command.
func (c *client) addErrorArity() {
	c.addErrorString("ERR wrong number of arguments for '" + c.cmd.FullName + "' command")
}

// errorCode is the first word of an error message (for errorstats).
func errorCode(msg string) string {
	if i := strings.IndexByte(msg, ' '); i > 0 {
		return msg[:i]
	}
	return msg
}

// --- output ---

// errWouldBlock: the socket has nothing to read, or takes no more bytes
// now (the event loop's reads and writes never wait).
var errWouldBlock = errors.New("operation would block")

// errNoEventLoop: the platform has no event loop (a goroutine per client).
var errNoEventLoop = errors.New("no event loop on this platform")

// holdOutput is called at the end of a batch, with s.mu held: pushes from
// other clients wait behind the batch's replies until flush.
func (c *client) holdOutput() {
	if len(c.reply) == 0 {
		return
	}
	c.outMu.Lock()
	c.held = true
	c.outMu.Unlock()
}

// flush moves this batch's replies, then what was pushed while they
// waited, to the output and writes them. The event loop's flush never
// waits for the socket: false means the rest of the output is left to the
// caller, who must finish it with drain(true) in a goroutine.
func (c *client) flush() bool {
	done := true
	if len(c.reply) == 0 {
		if c.release(nil) {
			done = c.drain(!c.inLoop)
		}
		if c.flags&flagCloseASAP != 0 {
			c.conn.Close()
		}
		return done
	}
	if c.release(c.reply) {
		done = c.drain(!c.inLoop)
	}
	if cap(c.reply) > 64*1024 {
		c.reply = nil
	} else {
		c.reply = c.reply[:0]
	}
	return done
}

// push queues b for the socket and writes it unless another goroutine is
// already writing; it may be called from any goroutine and never waits
// for the socket (what it cannot write now a new goroutine writes). The
// output limit of the client's class is enforced here: past the hard
// limit, or past the soft limit for longer than its seconds, the client is
// disconnected.
func (c *client) push(b []byte) {
	if c.enqueue(b) && !c.drain(false) {
		c.srv.readied.Store(true)
		go c.drain(true)
	}
}

// pushAsync queues b from another goroutine (MONITOR feeds) without
// blocking it on this client's socket. The bytes are queued before it
// returns, so successive calls keep their order; a new goroutine writes
// them unless a write is already under way.
func (c *client) pushAsync(b []byte) {
	if c.enqueue(b) {
		c.srv.readied.Store(true)
		go c.drain(true)
	}
}

// enqueue appends b to the pending output and applies the output limit.
// It reports whether the caller must write the output (drain): writing is
// then already set, so bytes queued meanwhile by others follow in order.
func (c *client) enqueue(b []byte) bool {
	c.outMu.Lock()
	if c.held && !c.closed {
		c.heldOut = append(c.heldOut, b...)
		c.outMu.Unlock()
		return false
	}
	return c.enqueueLocked(b)
}

// release ends a hold: reply, then the held bytes, go to the output in
// one step. It reports whether the caller must drain.
func (c *client) release(reply []byte) bool {
	c.outMu.Lock()
	held := c.heldOut
	c.held, c.heldOut = false, nil
	if len(held) == 0 {
		if len(reply) == 0 {
			c.outMu.Unlock()
			return false
		}
		return c.enqueueLocked(reply)
	}
	return c.enqueueLocked(append(reply, held...))
}

// enqueueLocked is enqueue with c.outMu held; it unlocks it.
func (c *client) enqueueLocked(b []byte) bool {
	if c.closed {
		c.outMu.Unlock()
		return false
	}
	c.out = append(c.out, b...)
	if c.overLimit() {
		c.closed = true
		c.outMu.Unlock()
		c.srv.logf("#", "Client %s scheduled to be closed ASAP for overcoming of output buffer limits.", c.describe())
		c.disconnect()
		return false
	}
	if c.writing {
		c.outMu.Unlock()
		return false
	}
	c.writing = true
	c.outMu.Unlock()
	return true
}

// drain writes the pending output until none is left; only the caller
// whose enqueue returned true runs it (writing is set). With wait false it
// writes only what the socket takes now and returns false if bytes remain:
// writing stays set and the caller must see them written (drain(true)).
func (c *client) drain(wait bool) bool {
	c.outMu.Lock()
	for len(c.out) > 0 {
		buf := c.out
		c.out = nil
		c.outMu.Unlock()
		var n int
		var err error
		if wait || c.rc == nil {
			n, err = c.conn.Write(buf)
		} else {
			n, err = c.tryWrite(buf)
		}
		c.srv.stats.netOutput.Add(int64(n))
		c.outMu.Lock()
		if err == errWouldBlock {
			c.out = append(buf[n:], c.out...)
			c.outMu.Unlock()
			return false
		}
		if err != nil {
			c.closed = true
			c.out = nil
			break
		}
		if c.out == nil && cap(buf) <= 64*1024 {
			c.out = buf[:0] // reuse the buffer
		}
	}
	c.writing = false
	c.outMu.Unlock()
	return true
}

// overLimit applies client-output-buffer-limit to the pending bytes.
// Called with outMu held.
func (c *client) overLimit() bool {
	lim := c.srv.cfg.ClientOutputLimits[0]
	if c.subscribed.Load() {
		lim = c.srv.cfg.ClientOutputLimits[obufPubsub]
	}
	pending := int64(len(c.out))
	if lim.Hard > 0 && pending >= lim.Hard {
		return true
	}
	if lim.Soft > 0 && pending >= lim.Soft {
		now := time.Now()
		if c.softLimitSince.IsZero() {
			c.softLimitSince = now
		} else if now.Sub(c.softLimitSince) > time.Duration(lim.SoftSecs)*time.Second {
			return true
		}
	} else {
		c.softLimitSince = time.Time{}
	}
	return false
}

// pendingOutput is the number of bytes not yet written (CLIENT LIST omem).
func (c *client) pendingOutput() int {
	c.outMu.Lock()
	defer c.outMu.Unlock()
	return len(c.out)
}
