package server

import (
	"errors"
	"math"
	"math/big"
	"os"
	"time"

	"ferrite/datatypes"
)

// Blocking commands (BLPOP and friends, BZPOPMIN and friends, later
// XREAD BLOCK), as Redis's blocked.c:
//
//   - A blocking command that finds no data calls c.blockForKeys and
//     returns without a reply. The client's goroutine then waits outside
//     the keyspace lock (waitBlocked), together with the rest of its
//     pipeline, so thousands of blocked clients cost a parked goroutine
//     each and hold nothing.
//   - A write that adds elements to a key calls s.signalKeyAsReady. After
//     each command, serveBlockedClients runs the command of every client
//     blocked on a ready key again, in the order they blocked, while the
//     key holds data of the awaited type: the command finds the data now,
//     replies and propagates its non-blocking form itself.
//   - A timeout, CLIENT UNBLOCK or CLIENT KILL ends the wait with the
//     command's timeout reply (or UNBLOCK's error); a disconnect, seen by a
//     read kept running while blocked, just removes the client.

type blockKey struct {
	db  int
	key string
}

// blockState is what a blocked client waits on. Fields are protected by
// s.mu; woken is closed once, when the wait is over for any reason.
type blockState struct {
	db       *datatypes.DB
	keys     []string
	argv     [][]byte // owned copy of the blocking command
	cmd      *Command
	keyType  datatypes.ObjType
	deadline time.Time // zero: wait forever
	onTimout func(c *client)
	woken    chan struct{}
}

// blockForKeys blocks c on keys (of type t) until timeout (0: forever).
// onTimeout writes the reply a timeout gives (a null of the command's
// shape). Called by a handler, under s.mu, instead of replying.
func (c *client) blockForKeys(keys [][]byte, t datatypes.ObjType, timeout time.Duration, onTimeout func(c *client)) {
	if c.flags&flagDenyBlocking != 0 { // inside EXEC: answer as timed out
		onTimeout(c)
		return
	}
	s := c.srv
	st := &blockState{db: c.db, cmd: c.cmd, keyType: t, onTimout: onTimeout, woken: make(chan struct{})}
	st.argv = cloneArgs(c.argv...)
	if timeout > 0 {
		st.deadline = time.Now().Add(timeout)
	}
	if s.blocked == nil {
		s.blocked = make(map[blockKey][]*client)
	}
	seen := make(map[string]bool, len(keys))
	for _, k := range keys {
		key := string(k)
		if seen[key] {
			continue
		}
		seen[key] = true
		st.keys = append(st.keys, key)
		bk := blockKey{c.db.ID, key}
		s.blocked[bk] = append(s.blocked[bk], c)
	}
	c.blocked = st
}

// unregisterBlocked removes c from the wait queues of its keys. Called
// with s.mu held.
func (s *Server) unregisterBlocked(c *client) {
	st := c.blocked
	if st == nil {
		return
	}
	for _, key := range st.keys {
		bk := blockKey{st.db.ID, key}
		q := s.blocked[bk]
		for i, w := range q {
			if w == c {
				q = append(q[:i:i], q[i+1:]...)
				break
			}
		}
		if len(q) == 0 {
			delete(s.blocked, bk)
		} else {
			s.blocked[bk] = q
		}
	}
	c.blocked = nil
}

// endBlock ends c's wait: the reply (if any) is already in c.reply.
func (s *Server) endBlock(c *client) {
	st := c.blocked
	s.unregisterBlocked(c)
	if st != nil {
		close(st.woken)
		s.readied.Store(true)
	}
}

// signalKeyAsReady notes that key in db received data a blocked client
// may be waiting for. Cheap when nobody is blocked.
func (s *Server) signalKeyAsReady(db *datatypes.DB, key []byte) {
	if len(s.blocked) == 0 {
		return
	}
	bk := blockKey{db.ID, string(key)}
	if _, ok := s.blocked[bk]; !ok {
		return
	}
	for _, r := range s.readyKeys {
		if r == bk {
			return
		}
	}
	s.readyKeys = append(s.readyKeys, bk)
}

// serveBlockedClients serves the clients blocked on keys that became
// ready, in the order they blocked, as handleClientsBlockedOnKeys: each
// runs its command again while the key holds data of the awaited type. A
// served command may make other keys ready (BLMOVE), which are served in
// turn. Called with s.mu held after each command.
func (s *Server) serveBlockedClients() {
	for len(s.readyKeys) > 0 {
		ready := s.readyKeys
		s.readyKeys = nil
		for _, bk := range ready {
			db := s.dbs[bk.db]
			queue := append([]*client(nil), s.blocked[bk]...)
			for _, w := range queue {
				st := w.blocked
				if st == nil {
					continue
				}
				o := db.Lookup(bk.key)
				if o == nil || o.Type != st.keyType || db.Expired(bk.key, s.cmdTime.UnixMilli()) {
					break
				}
				s.unregisterBlocked(w)
				w.argv, w.cmd, w.errored = st.argv, st.cmd, false
				w.db = st.db
				s.execute(w, st.cmd)
				if w.blocked != nil { // blocked anew (XREAD saw no newer entry): same deadline
					w.blocked.deadline = st.deadline
				}
				// Served, or blocked anew (its waiting goroutine then waits
				// on the new state: see executeBatch).
				close(st.woken)
				s.readied.Store(true)
			}
		}
	}
}

// unblockClient ends c's wait as CLIENT UNBLOCK does: with the command's
// timeout reply, or with Redis's UNBLOCKED error. It reports whether c was
// blocked. Called with s.mu held.
func (s *Server) unblockClient(c *client, withError bool) bool {
	st := c.blocked
	if st == nil {
		return false
	}
	if withError {
		c.addErrorString("UNBLOCKED client unblocked via CLIENT UNBLOCK")
	} else {
		st.onTimout(c)
	}
	s.endBlock(c)
	return true
}

// errClientGone ends a wait because the client disconnected or was killed.
var errClientGone = errors.New("client gone")

// waitBlocked waits, without the keyspace lock, until c's blocking command
// was served, timed out or was unblocked. Meanwhile it keeps reading from
// the connection so a disconnect ends the wait (and further requests stay
// buffered). It reports false when c is gone. Called with s.mu held;
// returns with it held.
func (s *Server) waitBlocked(c *client) bool {
	st := c.blocked
	s.blockedCount++
	// Replies before the blocking command go out first, as in Redis. They
	// are taken while the lock is held: once it is released, whoever serves
	// this client writes its reply into c.reply.
	pending := c.reply
	c.reply = nil
	s.mu.Unlock()
	if len(pending) > 0 {
		c.push(pending)
	}
	readDone := make(chan error, 1)
	go func() { readDone <- c.rd.ReadMore() }()
	reading := true
	var timeout <-chan time.Time
	if !st.deadline.IsZero() {
		t := time.NewTimer(time.Until(st.deadline))
		defer t.Stop()
		timeout = t.C
	}
	gone := false
	for waiting := true; waiting; {
		select {
		case <-st.woken:
			waiting = false
		case <-timeout:
			s.mu.Lock()
			if c.blocked == st {
				st.onTimout(c)
				s.endBlock(c)
			}
			s.mu.Unlock()
			waiting = false
		case err := <-readDone:
			if err != nil {
				reading, gone, waiting = false, true, false
				break
			}
			go func() { readDone <- c.rd.ReadMore() }()
		case <-s.done:
			gone, waiting = true, false
		}
	}
	if reading {
		// Stop the read still under way before anything else touches the
		// reader: the client's goroutine reads again from here on.
		_ = c.conn.SetReadDeadline(time.Unix(1, 0))
		if err := <-readDone; err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
			gone = true
		}
		_ = c.conn.SetReadDeadline(time.Time{})
	}
	s.mu.Lock()
	s.blockedCount--
	if c.blocked == st {
		s.unregisterBlocked(c) // disconnected while waiting
	}
	return !gone && s.clients[c.id] == c
}

// copyCommands deep-copies requests that must outlive the read buffer.
func copyCommands(cmds [][][]byte) [][][]byte {
	out := make([][][]byte, len(cmds))
	for i, argv := range cmds {
		out[i] = cloneArgs(argv...)
	}
	return out
}

// CLIENT UNBLOCK client-id [TIMEOUT | ERROR]
func clientUnblockCommand(c *client) {
	if len(c.argv) > 4 {
		c.addSubcommandSyntaxError()
		return
	}
	withError := false
	if len(c.argv) == 4 {
		switch {
		case argIsASCII(c.argv[3], "timeout"):
		case argIsASCII(c.argv[3], "error"):
			withError = true
		default:
			c.addErrorString("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR")
			return
		}
	}
	id, ok := datatypes.ParseInt(c.argv[2])
	if !ok {
		c.addError(errNotInt)
		return
	}
	if target := c.srv.clients[id]; target != nil && c.srv.unblockClient(target, withError) {
		c.addInt(1)
		return
	}
	c.addInt(0)
}

// blockTimeout parses a blocking command's timeout in seconds as Redis's
// getTimeoutFromObjectOrReply: a long double, times 1000, truncated to
// milliseconds by a C cast (so out-of-range values, inf included, read as
// negative and a timeout under 1 ms waits forever). 0 means forever.
func (c *client) blockTimeout(arg []byte) (time.Duration, bool) {
	f, ok := datatypes.ParseLongDouble(arg)
	if !ok {
		c.addErrorString("ERR timeout is not a float or out of range")
		return 0, false
	}
	ms := new(big.Float).SetPrec(64).Mul(f, big.NewFloat(1000))
	v, acc := ms.Int64()
	if ms.IsInf() || (acc != big.Exact && (v == math.MaxInt64 || v == math.MinInt64)) || v < 0 {
		c.addErrorString("ERR timeout is negative")
		return 0, false
	}
	return time.Duration(v) * time.Millisecond, true
}
