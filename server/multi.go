package server

import "ferrite/datatypes"

// Transactions, as Redis 7.0's multi.c: MULTI queues commands (each
// answered QUEUED after the usual checks; a command refused while queuing
// makes EXEC fail with EXECABORT), EXEC runs them in one go under the
// keyspace lock (runtime errors do not roll back), and WATCH makes EXEC
// fail (null array) when a watched key changed since: any write, expiry,
// FLUSHDB/FLUSHALL/SWAPDB touching it. Blocking commands inside EXEC do
// not block: they answer as if they timed out. The queued commands
// propagate together, wrapped in MULTI/EXEC when there is more than one
// change (propagatePending).
var multiCommands = map[string]cmdProc{
	"multi":   multiCommand,
	"exec":    execCommand,
	"discard": discardCommand,
	"watch":   watchCommand,
	"unwatch": unwatchCommand,
}

type multiState struct {
	cmds    []queuedCommand
	aborted bool // a command was refused while queuing
	writes  bool // some queued command writes (CLIENT PAUSE WRITE holds EXEC)
}

type queuedCommand struct {
	cmd  *Command
	argv [][]byte // owned copy
}

// watchedKey is one WATCH of one client.
type watchedKey struct {
	c       *client
	key     blockKey
	expired bool // the key was logically expired when watched
}

// queueCommand is queueMultiCommand: called by processCommand for a
// client in MULTI once the command passed every check.
func (c *client) queueCommand(cmd *Command) {
	c.multi.cmds = append(c.multi.cmds, queuedCommand{cmd, cloneArgs(c.argv...)})
	if cmd.has(cmdWrite | cmdMayReplicate) {
		c.multi.writes = true
	}
	c.addSimple("QUEUED")
}

// queuesInMulti reports whether cmd is queued rather than run by a client
// in MULTI (all but EXEC, DISCARD, MULTI, WATCH, QUIT and RESET).
func queuesInMulti(cmd *Command) bool {
	switch cmd.Name {
	case "exec", "discard", "multi", "watch", "quit", "reset":
		return cmd.Parent != nil
	}
	return true
}

// MULTI
func multiCommand(c *client) {
	if c.multi != nil {
		c.addErrorString("ERR MULTI calls can not be nested")
		return
	}
	c.multi = &multiState{}
	c.addOK()
}

// DISCARD
func discardCommand(c *client) {
	if c.multi == nil {
		c.addErrorString("ERR DISCARD without MULTI")
		return
	}
	c.srv.discardTransaction(c)
	c.addOK()
}

// discardTransaction ends c's MULTI and drops its WATCHes and their
// verdict, after every EXEC and DISCARD.
func (s *Server) discardTransaction(c *client) {
	c.multi = nil
	c.dirtyCAS = false
	s.unwatchAll(c)
}

// EXEC
func execCommand(c *client) {
	s := c.srv
	if c.multi == nil {
		c.addErrorString("ERR EXEC without MULTI")
		return
	}
	if s.watchedKeyExpired(c) {
		c.dirtyCAS = true
	}
	m := c.multi
	if m.aborted || c.dirtyCAS {
		if m.aborted {
			c.addErrorString("EXECABORT Transaction discarded because of previous errors.")
		} else {
			c.addNullArray()
		}
		s.discardTransaction(c)
		return
	}
	s.discardTransaction(c) // unwatch before running, as Redis
	argv, cmd := c.argv, c.cmd
	denied := c.flags&flagDenyBlocking != 0
	c.flags |= flagDenyBlocking
	c.addArrayLen(len(m.cmds))
	for _, q := range m.cmds {
		c.argv, c.cmd, c.errored = q.argv, q.cmd, false
		s.call(c, q.cmd)
	}
	if !denied {
		c.flags &^= flagDenyBlocking
	}
	// EXEC itself is not propagated: the commands it ran were.
	c.argv, c.cmd, c.errored = argv, cmd, false
	c.ownPropagationReplaced = true
}

// WATCH key [key ...]
func watchCommand(c *client) {
	s := c.srv
	if c.multi != nil {
		c.addErrorString("ERR WATCH inside MULTI is not allowed")
		return
	}
	if c.dirtyCAS { // no point in watching more
		c.addOK()
		return
	}
	if s.watchers == nil {
		s.watchers = make(map[blockKey][]*watchedKey)
	}
next:
	for _, k := range c.argv[1:] {
		bk := blockKey{c.db.ID, string(k)}
		for _, w := range c.watched {
			if w.key == bk {
				continue next
			}
		}
		w := &watchedKey{c: c, key: bk, expired: c.db.Expired(bk.key, s.cmdTime.UnixMilli())}
		c.watched = append(c.watched, w)
		s.watchers[bk] = append(s.watchers[bk], w)
	}
	c.addOK()
}

// UNWATCH
func unwatchCommand(c *client) {
	c.srv.unwatchAll(c)
	c.dirtyCAS = false
	c.addOK()
}

// unwatchAll drops every WATCH of c.
func (s *Server) unwatchAll(c *client) {
	for _, w := range c.watched {
		list := s.watchers[w.key]
		for i, x := range list {
			if x == w {
				list = append(list[:i:i], list[i+1:]...)
				break
			}
		}
		if len(list) == 0 {
			delete(s.watchers, w.key)
		} else {
			s.watchers[w.key] = list
		}
	}
	c.watched = nil
}

// touchWatchedKey marks the clients watching key as dirty (their EXEC
// will fail), as Redis's touchWatchedKey: a key that was already expired
// when watched and is now gone counts as unchanged.
func (s *Server) touchWatchedKey(db *datatypes.DB, key string) {
	if len(s.watchers) == 0 {
		return
	}
	list := s.watchers[blockKey{db.ID, key}]
	for _, w := range append([]*watchedKey(nil), list...) {
		if w.expired {
			if db.Lookup(key) == nil {
				w.expired = false
				continue
			}
		}
		w.c.dirtyCAS = true
		s.unwatchAll(w.c) // dirty now: nothing more to watch
	}
}

// touchAllWatchedKeysInDB is touchAllWatchedKeysInDb: before a FLUSHDB,
// FLUSHALL or SWAPDB changes db (whose contents become other's when other
// is not nil), every watched key of db that exists in either is touched.
func (s *Server) touchAllWatchedKeysInDB(db, other *datatypes.DB) {
	if len(s.watchers) == 0 {
		return
	}
	var keys []string
	for bk := range s.watchers {
		if bk.db == db.ID {
			keys = append(keys, bk.key)
		}
	}
	for _, k := range keys {
		if db.Lookup(k) != nil || (other != nil && other.Lookup(k) != nil) {
			s.touchWatchedKey(db, k)
		}
	}
}

// watchedKeyExpired is isWatchedKeyExpired: a watched key that was alive
// when watched and is logically expired now makes EXEC fail.
func (s *Server) watchedKeyExpired(c *client) bool {
	now := s.cmdTime.UnixMilli()
	for _, w := range c.watched {
		if !w.expired && s.dbs[w.key.db].Expired(w.key.key, now) {
			return true
		}
	}
	return false
}
