package server

import (
	"slices"
	"strconv"

	"ferrite/datatypes"
	"ferrite/server/resp"
)

// Stream consumer groups, as Redis 7.0's t_stream.c: XGROUP, XREADGROUP,
// XACK, XPENDING, XCLAIM, XAUTOCLAIM and XINFO. The group structures live
// in datatypes/stream_cgroup.go; times are the command's time in ms.
//
// Propagation follows Redis exactly: XREADGROUP, XCLAIM and XAUTOCLAIM
// never propagate themselves (their effect depends on the clock and on
// state) but as one XCLAIM ... FORCE JUSTID LASTID per NACK they create,
// move or drop, plus XGROUP SETID / XGROUP CREATECONSUMER where an XCLAIM
// cannot carry the change (NOACK reads, LASTID without a claim).

var streamGroupCommands = map[string]cmdProc{
	"xgroup|create":         xgroupCommand,
	"xgroup|setid":          xgroupCommand,
	"xgroup|destroy":        xgroupCommand,
	"xgroup|createconsumer": xgroupCommand,
	"xgroup|delconsumer":    xgroupCommand,
	"xgroup|help":           xgroupHelpCommand,
	"xreadgroup":            xreadgroupCommand,
	"xack":                  xackCommand,
	"xpending":              xpendingCommand,
	"xclaim":                xclaimCommand,
	"xautoclaim":            xautoclaimCommand,
	"xinfo|stream":          xinfoStreamCommand,
	"xinfo|groups":          xinfoGroupsCommand,
	"xinfo|consumers":       xinfoConsumersCommand,
	"xinfo|help":            xinfoHelpCommand,
}

const errXgroupNoKey = "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically."

// --- helpers ---

// addStreamID replies with an ID as a bulk string ("ms-seq").
func (c *client) addStreamID(id datatypes.StreamID) {
	var buf [48]byte
	c.addBulk(id.AppendTo(buf[:0]))
}

// deferLen marks where a reply whose length is known only later begins
// (Redis's addReplyDeferredLen); setDeferredLen inserts the header there.
func (c *client) deferLen() int { return len(c.reply) }

func (c *client) setDeferredLen(mark, n int, asMap bool) {
	if !c.replyOn() {
		return
	}
	var buf [24]byte
	var h []byte
	if asMap {
		h = resp.AppendMap(buf[:0], c.proto, n)
	} else {
		h = resp.AppendArray(buf[:0], n)
	}
	c.reply = slices.Insert(c.reply, mark, h...)
}

// parseLongLongMsg is getLongLongFromObjectOrReply with a custom message.
func (c *client) parseLongLongMsg(b []byte, msg string) (int64, bool) {
	n, ok := datatypes.ParseInt(b)
	if !ok {
		c.addErrorString(msg)
		return 0, false
	}
	return n, true
}

func (c *client) errNoGroup(key, group []byte) {
	c.addErrorString("NOGROUP No such key '" + cstr(key, len(key)) + "' or consumer group '" + cstr(group, len(group)) + "'")
}

// lookupGroup finds the consumer group of the stream at key for XPENDING,
// XCLAIM and XAUTOCLAIM, replying WRONGTYPE or NOGROUP and returning
// false when there is none.
func (c *client) lookupGroup(key, group []byte) (*datatypes.Stream, *datatypes.ConsumerGroup, bool) {
	_, st, ok := c.lookupStream(key, false)
	if !ok {
		return nil, nil, false
	}
	var g *datatypes.ConsumerGroup
	if st != nil {
		g = st.LookupGroup(unsafeString(group))
	}
	if g == nil {
		c.errNoGroup(key, group)
		return nil, nil, false
	}
	return st, g, true
}

func (c *client) errNoGroupForKey(group, key []byte) {
	c.addErrorString("NOGROUP No such consumer group '" + cstr(group, len(group)) + "' for key name '" + cstr(key, len(key)) + "'")
}

// lookupConsumerRefresh is streamLookupConsumer with SLC_DEFAULT (the
// lookup counts as the consumer being seen), creating the consumer when
// missing as XCLAIM and XAUTOCLAIM do on their first claim.
func (c *client) lookupConsumerRefresh(g *datatypes.ConsumerGroup, name, key []byte, now int64) *datatypes.Consumer {
	if cons := g.LookupConsumer(unsafeString(name)); cons != nil {
		cons.SeenTime = now
		return cons
	}
	return c.createConsumer(g, name, key, now)
}

// createConsumer is streamCreateConsumer with SCC_DEFAULT: it counts as a
// change and notifies.
func (c *client) createConsumer(g *datatypes.ConsumerGroup, name, key []byte, now int64) *datatypes.Consumer {
	cons, _ := g.CreateConsumer(string(name), now)
	c.srv.addDirty(1)
	c.notify(NotifyStream, "xgroup-createconsumer", key)
	return cons
}

// propagating reports whether anything receives propagated commands (AOF,
// replicas): reads of a group build one XCLAIM per entry, which is wasted
// work when nobody listens. The command itself is never propagated.
func (c *client) propagating() bool {
	c.ownPropagationReplaced = true
	return len(c.srv.sinks) > 0
}

// propagateXclaim is streamPropagateXCLAIM: the idempotent XCLAIM that
// recreates pe (owner, delivery time and count) and the group's last ID on
// a replica or at AOF load.
func (c *client) propagateXclaim(key, group []byte, g *datatypes.ConsumerGroup, id []byte, pe *datatypes.PendingEntry) {
	if !c.propagating() {
		return
	}
	owner := ""
	if pe.Consumer != nil {
		owner = pe.Consumer.Name
	}
	c.alsoPropagate(c.db.ID, []byte("XCLAIM"), copyBytes(key), copyBytes(group), []byte(owner), []byte("0"), copyBytes(id),
		[]byte("TIME"), strconv.AppendInt(nil, pe.DeliveryTime, 10),
		[]byte("RETRYCOUNT"), strconv.AppendUint(nil, pe.DeliveryCount, 10),
		[]byte("FORCE"), []byte("JUSTID"), []byte("LASTID"), g.LastID.AppendTo(nil))
}

// propagateGroupID is streamPropagateGroupID: XGROUP SETID with the
// group's last ID and read counter.
func (c *client) propagateGroupID(key, group []byte, g *datatypes.ConsumerGroup) {
	if !c.propagating() {
		return
	}
	c.alsoPropagate(c.db.ID, []byte("XGROUP"), []byte("SETID"), copyBytes(key), copyBytes(group),
		g.LastID.AppendTo(nil), []byte("ENTRIESREAD"), strconv.AppendInt(nil, g.EntriesRead, 10))
}

// propagateConsumerCreation is streamPropagateConsumerCreation: a NOACK
// read creates no NACK whose XCLAIM would create the consumer.
func (c *client) propagateConsumerCreation(key, group, consumer []byte) {
	if !c.propagating() {
		return
	}
	c.alsoPropagate(c.db.ID, []byte("XGROUP"), []byte("CREATECONSUMER"), copyBytes(key), copyBytes(group), copyBytes(consumer))
}

// --- XGROUP ---

var xgroupHelp = []string{
	"CREATE <key> <groupname> <id|$> [option]",
	"    Create a new consumer group. Options are:",
	"    * MKSTREAM",
	"      Create the empty stream if it does not exist.",
	"    * ENTRIESREAD entries_read",
	"      Set the group's entries_read counter (internal use).",
	"CREATECONSUMER <key> <groupname> <consumer>",
	"    Create a new consumer in the specified group.",
	"DELCONSUMER <key> <groupname> <consumer>",
	"    Remove the specified consumer.",
	"DESTROY <key> <groupname>",
	"    Remove the specified group.",
	"SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
	"    Set the current group ID and entries_read counter.",
}

// XGROUP HELP
func xgroupHelpCommand(c *client) { c.addReplyHelp(xgroupHelp...) }

// XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD entries-read]
// XGROUP SETID key group id|$ [ENTRIESREAD entries-read]
// XGROUP DESTROY key group
// XGROUP CREATECONSUMER key group consumer
// XGROUP DELCONSUMER key group consumer
//
// One handler as Redis's xgroupCommand, so the checks run in its order:
// options, key type, key existence, group existence, then the subcommand.
func xgroupCommand(c *client) {
	s := c.srv
	sub := c.argv[1]
	create, setid := argIsASCII(sub, "create"), argIsASCII(sub, "setid")
	mkstream := false
	entriesRead := datatypes.InvalidEntriesRead
	for i := 5; i < len(c.argv); {
		switch {
		case create && argIsASCII(c.argv[i], "mkstream"):
			mkstream = true
			i++
		case (create || setid) && argIsASCII(c.argv[i], "entriesread") && i+1 < len(c.argv):
			n, ok := datatypes.ParseInt(c.argv[i+1])
			if !ok {
				c.addError(errNotInt)
				return
			}
			if n < 0 && n != datatypes.InvalidEntriesRead {
				c.addErrorString("ERR value for ENTRIESREAD must be positive or -1")
				return
			}
			entriesRead = n
			i += 2
		default:
			c.addSubcommandSyntaxError()
			return
		}
	}
	key, grpname := c.argv[2], c.argv[3]
	_, st, ok := c.lookupStream(key, true)
	if !ok {
		return
	}
	var g *datatypes.ConsumerGroup
	if !mkstream {
		if st == nil {
			c.addErrorString(errXgroupNoKey)
			return
		}
		if g = st.LookupGroup(unsafeString(grpname)); g == nil && !create && !argIsASCII(sub, "destroy") {
			c.errNoGroupForKey(grpname, key)
			return
		}
	}
	now := s.cmdTime.UnixMilli()
	switch {
	case create:
		if len(c.argv) > 8 {
			c.addSubcommandSyntaxError()
			return
		}
		var id datatypes.StreamID
		if arg := c.argv[4]; len(arg) == 1 && arg[0] == '$' {
			if st != nil {
				id = st.LastID
			}
		} else {
			var err error
			if id, err = parseStreamID(arg, 0); err != nil {
				c.addError(err)
				return
			}
		}
		if st == nil { // MKSTREAM, now that the command can no longer fail
			_, st = s.streamCreate(c.db, key)
		}
		if _, ok := st.CreateGroup(string(grpname), id, entriesRead); !ok {
			c.addErrorString("BUSYGROUP Consumer Group name already exists")
			return
		}
		c.addOK()
		s.addDirty(1)
		c.notify(NotifyStream, "xgroup-create", key)
	case setid:
		if len(c.argv) != 5 && len(c.argv) != 7 {
			c.addSubcommandSyntaxError()
			return
		}
		var id datatypes.StreamID
		if arg := c.argv[4]; len(arg) == 1 && arg[0] == '$' {
			id = st.LastID
		} else {
			var excl bool
			var err error
			// streamParseIDOrReply: "-" and "+" are accepted, "(id" is not.
			if id, excl, err = parseStreamRangeID(arg, 0); err != nil || excl {
				c.addError(errInvalidStreamID)
				return
			}
		}
		g.LastID, g.EntriesRead = id, entriesRead
		c.addOK()
		s.addDirty(1)
		c.notify(NotifyStream, "xgroup-setid", key)
	case argIsASCII(sub, "destroy"):
		if g == nil {
			c.addInt(0)
			return
		}
		st.DestroyGroup(g.Name)
		c.addInt(1)
		s.addDirty(1)
		c.notify(NotifyStream, "xgroup-destroy", key)
		s.streamKeyChanged(c.db, unsafeString(key))
	case argIsASCII(sub, "createconsumer"):
		if _, created := g.CreateConsumer(string(c.argv[4]), now); created {
			s.addDirty(1)
			c.notify(NotifyStream, "xgroup-createconsumer", key)
			c.addInt(1)
		} else {
			c.addInt(0)
		}
	case argIsASCII(sub, "delconsumer"):
		pending := 0
		if cons := g.LookupConsumer(unsafeString(c.argv[4])); cons != nil {
			pending = g.DeleteConsumer(cons)
			s.addDirty(1)
			c.notify(NotifyStream, "xgroup-delconsumer", key)
		}
		c.addInt(int64(pending))
	default:
		c.addSubcommandSyntaxError()
	}
}

// --- blocked XREADGROUP readers ---

// xreadgroupBlockedGroup returns the GROUP name of a blocked XREADGROUP
// (nil for any other command).
func xreadgroupBlockedGroup(st *blockState) []byte {
	if st.cmd == nil || st.cmd.FullName != "xreadgroup" {
		return nil
	}
	for i := 1; i < len(st.argv); i++ {
		switch {
		case argIsASCII(st.argv[i], "block") || argIsASCII(st.argv[i], "count"):
			i++
		case argIsASCII(st.argv[i], "group") && i+2 < len(st.argv):
			return st.argv[i+1]
		case argIsASCII(st.argv[i], "streams"):
			return nil
		}
	}
	return nil
}

// unblockGroupReaders ends, with the error msg, the wait of every
// XREADGROUP blocked on key whose group matches: as Redis's
// serveClientsBlockedOnStreamKey answers readers whose group was
// destroyed, and signalDeletedKeyAsReady those whose key went away.
func (s *Server) unblockGroupReaders(db *datatypes.DB, key []byte, match func(group []byte) bool, msg string) {
	q := s.blocked[blockKey{db.ID, string(key)}]
	if len(q) == 0 {
		return
	}
	for _, w := range slices.Clone(q) {
		st := w.blocked
		if st == nil {
			continue
		}
		if g := xreadgroupBlockedGroup(st); g != nil && match(g) {
			w.addErrorString(msg)
			s.endBlock(w)
		}
	}
}

// streamKeyChanged is called (from signalModifiedKey, while clients are
// blocked) after any change of key, and after FLUSHDB, FLUSHALL, SWAPDB
// and XGROUP DESTROY. The XREADGROUP readers blocked on key get Redis
// 7.0's errors once their wait cannot end: UNBLOCKED when key no longer
// holds a stream, NOGROUP when their group no longer exists there.
func (s *Server) streamKeyChanged(db *datatypes.DB, key string) {
	q := s.blocked[blockKey{db.ID, key}]
	if len(q) == 0 {
		return
	}
	o := db.Lookup(key)
	if o == nil || o.Type != datatypes.TypeStream {
		s.unblockGroupReaders(db, []byte(key), func([]byte) bool { return true },
			"UNBLOCKED the stream key no longer exists")
		return
	}
	st := o.Stream()
	s.unblockGroupReaders(db, []byte(key), func(group []byte) bool { return st.LookupGroup(unsafeString(group)) == nil },
		"NOGROUP the consumer group this client was blocked on no longer exists")
}

// streamDBReplaced is scanDatabaseForDeletedStreams: after FLUSHDB,
// FLUSHALL or SWAPDB every key of db may have changed.
func (s *Server) streamDBReplaced(db *datatypes.DB) {
	var keys []string
	for bk := range s.blocked {
		if bk.db == db.ID {
			keys = append(keys, bk.key)
		}
	}
	slices.Sort(keys) // a fixed order for the replies
	for _, key := range keys {
		s.streamKeyChanged(db, key)
	}
}

// --- XREADGROUP ---

// XREADGROUP GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK] STREAMS key [key ...] id [id ...]
func xreadgroupCommand(c *client) {
	// Redis never propagates XREADGROUP itself (preventCommandPropagation):
	// only the XCLAIM / XGROUP forms below describe its effects.
	defer func() { c.ownPropagationReplaced = true }()
	a, ok := parseXreadArgs(c, true)
	if !ok {
		return
	}
	s := c.srv
	groups := make([]*datatypes.ConsumerGroup, len(a.keys))
	ids := make([]datatypes.StreamID, len(a.keys))
	for i, arg := range a.idArgs {
		key := a.keys[i]
		_, st, ok := c.lookupStream(key, false)
		if !ok {
			return
		}
		var g *datatypes.ConsumerGroup
		if st != nil {
			g = st.LookupGroup(unsafeString(a.group))
		}
		if g == nil {
			c.addErrorString("NOGROUP No such key '" + cstr(key, len(key)) + "' or consumer group '" + cstr(a.group, len(a.group)) + "' in XREADGROUP with GROUP option")
			return
		}
		groups[i] = g
		switch {
		case len(arg) == 1 && arg[0] == '$':
			c.addErrorString("ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.")
			return
		case len(arg) == 1 && arg[0] == '>':
			// The greatest ID stands for ">" as in Redis (so does an
			// explicit "18446744073709551615-18446744073709551615").
			ids[i] = datatypes.MaxStreamID
		default:
			id, err := parseStreamID(arg, 0)
			if err != nil {
				c.addError(err)
				return
			}
			ids[i] = id
		}
	}

	now := s.cmdTime.UnixMilli()
	mark := c.deferLen()
	served := 0
	for i, key := range a.keys {
		_, st, _ := c.lookupStream(key, false)
		if st == nil {
			continue
		}
		g := groups[i]
		gt := ids[i]
		serve, history := false, false
		if gt != datatypes.MaxStreamID {
			serve, history = true, true
		} else if st.Length > 0 && st.LastValidID().Compare(g.LastID) > 0 {
			serve, gt = true, g.LastID
		}
		if !serve {
			continue
		}
		served++
		if c.proto == 2 {
			c.addArrayLen(2)
		}
		c.addBulk(key)
		// As in 7.0, only a read that is served sees (or creates) the
		// consumer: a blocked one does when it is served.
		cons := g.LookupConsumer(unsafeString(a.consumer))
		if cons == nil {
			cons = c.createConsumer(g, a.consumer, key, now)
			if a.noack {
				c.propagateConsumerCreation(key, a.group, a.consumer)
			}
		}
		cons.SeenTime = now
		start, _ := gt.Incr()
		if history {
			c.replyConsumerHistory(st, cons, start, a.count, now)
		} else if c.replyGroupNew(st, g, cons, key, a.group, start, a.count, a.noack, now) > 0 {
			s.addDirty(1)
		}
	}
	if served > 0 {
		c.setDeferredLen(mark, served, c.proto == 3)
		return
	}
	if !a.block {
		c.addNullArray()
		return
	}
	c.blockForKeys(a.keys, datatypes.TypeStream, a.timeout, (*client).addNullArray)
}

// replyGroupNew is streamReplyWithRange for a group reading new entries
// from start: each entry advances the group's last ID and read counter
// and, unless noack, gets a NACK owned by cons (taking it from another
// consumer if XGROUP SETID moved the group back). It returns how many
// commands it propagated.
func (c *client) replyGroupNew(st *datatypes.Stream, g *datatypes.ConsumerGroup, cons *datatypes.Consumer, key, group []byte, start datatypes.StreamID, count int64, noack bool, now int64) int {
	mark := c.deferLen()
	n, props := int64(0), 0
	propagateLastID := false
	var idbuf [48]byte
	st.Range(start, datatypes.MaxStreamID, false, func(id datatypes.StreamID, fv [][]byte) bool {
		if id.Compare(g.LastID) > 0 {
			if g.EntriesRead != datatypes.InvalidEntriesRead && !st.RangeHasTombstones(&id, nil) {
				g.EntriesRead++
			} else if st.EntriesAdded != 0 {
				g.EntriesRead = st.EstimateDistanceFromFirstEverEntry(id)
			}
			g.LastID = id
			// Without NACKs no XCLAIM carries LASTID: Redis 7.0 then
			// propagates the group's position with XGROUP SETID.
			propagateLastID = propagateLastID || noack
		}
		c.addStreamEntry(id, fv)
		if !noack {
			pe, added := g.AddPending(id, cons, now)
			if !added {
				g.SetOwner(pe, cons)
				pe.DeliveryTime, pe.DeliveryCount = now, 1
			}
			c.propagateXclaim(key, group, g, id.AppendTo(idbuf[:0]), pe)
			props++
		}
		n++
		return count == 0 || n < count
	})
	if propagateLastID {
		c.propagateGroupID(key, group, g)
		props++
	}
	c.setDeferredLen(mark, int(n), false)
	return props
}

// replyConsumerHistory is streamReplyWithRangeFromConsumerPEL: the
// consumer's own pending entries from start, each counted as delivered
// again; an entry deleted meanwhile is replied as its ID and a null.
func (c *client) replyConsumerHistory(st *datatypes.Stream, cons *datatypes.Consumer, start datatypes.StreamID, count int64, now int64) {
	mark := c.deferLen()
	n := int64(0)
	cons.RangePending(start, datatypes.MaxStreamID, func(pe *datatypes.PendingEntry) bool {
		if count != 0 && n >= count {
			return false
		}
		if fv, ok := st.Get(pe.ID); ok {
			c.addStreamEntry(pe.ID, fv)
			pe.DeliveryTime = now
			pe.DeliveryCount++
		} else {
			c.addArrayLen(2)
			c.addStreamID(pe.ID)
			c.addNullArray()
		}
		n++
		return true
	})
	c.setDeferredLen(mark, int(n), false)
}

// --- XACK ---

// XACK key group id [id ...]
func xackCommand(c *client) {
	_, st, ok := c.lookupStream(c.argv[1], false)
	if !ok {
		return
	}
	var g *datatypes.ConsumerGroup
	if st != nil {
		g = st.LookupGroup(unsafeString(c.argv[2]))
	}
	if g == nil {
		c.addInt(0)
		return
	}
	// All or nothing: every ID is parsed before the first is acknowledged.
	ids := make([]datatypes.StreamID, len(c.argv)-3)
	for i, arg := range c.argv[3:] {
		id, err := parseStreamID(arg, 0)
		if err != nil {
			c.addError(err)
			return
		}
		ids[i] = id
	}
	acked := int64(0)
	for _, id := range ids {
		if g.Ack(id) {
			acked++
		}
	}
	c.srv.addDirty(acked)
	c.addInt(acked)
}

// --- XPENDING ---

// XPENDING key group [[IDLE min-idle-time] start end count [consumer]]
func xpendingCommand(c *client) {
	argc := len(c.argv)
	key, grpname := c.argv[1], c.argv[2]
	if argc != 3 && (argc < 6 || argc > 9) {
		c.addError(errSyntax)
		return
	}
	var start, end datatypes.StreamID
	var count, minIdle int64
	var consumerName []byte
	if argc >= 6 {
		si := 3
		if argIsASCII(c.argv[3], "idle") {
			n, ok := datatypes.ParseInt(c.argv[4])
			if !ok {
				c.addError(errNotInt)
				return
			}
			minIdle = n
			if argc < 8 {
				c.addError(errSyntax)
				return
			}
			si += 2
		}
		n, ok := datatypes.ParseInt(c.argv[si+2])
		if !ok {
			c.addError(errNotInt)
			return
		}
		count = max(n, 0)
		if start, ok = c.parseInterval(c.argv[si], false); !ok {
			return
		}
		if end, ok = c.parseInterval(c.argv[si+1], true); !ok {
			return
		}
		if si+3 < argc {
			consumerName = c.argv[si+3]
		}
	}
	_, g, ok := c.lookupGroup(key, grpname)
	if !ok {
		return
	}

	if argc == 3 { // the summary form
		c.addArrayLen(4)
		c.addInt(int64(g.PendingLen()))
		first, last, any := g.PendingBounds()
		if !any {
			c.addNull()
			c.addNull()
			c.addNullArray()
			return
		}
		c.addStreamID(first)
		c.addStreamID(last)
		mark, n := c.deferLen(), 0
		g.RangeConsumers(func(cons *datatypes.Consumer) bool {
			if p := cons.PendingLen(); p > 0 {
				c.addArrayLen(2)
				c.addBulkString(cons.Name)
				c.addBulkInt(int64(p))
				n++
			}
			return true
		})
		c.setDeferredLen(mark, n, false)
		return
	}

	rangePEL := g.RangePending
	if consumerName != nil {
		cons := g.LookupConsumer(unsafeString(consumerName))
		if cons == nil {
			c.addArrayLen(0)
			return
		}
		rangePEL = cons.RangePending
	}
	now := c.srv.cmdTime.UnixMilli()
	mark, n := c.deferLen(), 0
	if count > 0 {
		rangePEL(start, end, func(pe *datatypes.PendingEntry) bool {
			if minIdle != 0 && now-pe.DeliveryTime < minIdle {
				return true
			}
			c.addArrayLen(4)
			c.addStreamID(pe.ID)
			if pe.Consumer != nil {
				c.addBulkString(pe.Consumer.Name)
			} else {
				c.addBulkString("")
			}
			c.addInt(max(now-pe.DeliveryTime, 0))
			c.addInt(int64(pe.DeliveryCount))
			n++
			count--
			return count > 0
		})
	}
	c.setDeferredLen(mark, n, false)
}

// --- XCLAIM ---

// XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-time-milliseconds] [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID lastid]
func xclaimCommand(c *client) {
	defer func() { c.ownPropagationReplaced = true }() // see XREADGROUP
	s := c.srv
	key, grpname, consName := c.argv[1], c.argv[2], c.argv[3]
	st, g, ok := c.lookupGroup(key, grpname)
	if !ok {
		return
	}
	minIdle, ok := c.parseLongLongMsg(c.argv[4], "ERR Invalid min-idle-time argument for XCLAIM")
	if !ok {
		return
	}
	minIdle = max(minIdle, 0)
	// The IDs run up to the first argument that is not one; the options
	// follow. Parsing all of them first keeps the command all or nothing.
	j := 5
	var ids []datatypes.StreamID
	for ; j < len(c.argv); j++ {
		id, err := parseStreamID(c.argv[j], 0)
		if err != nil {
			break
		}
		ids = append(ids, id)
	}
	now := s.cmdTime.UnixMilli()
	deliveryTime, retryCount := int64(-1), int64(-1)
	force, justID := false, false
	var lastID datatypes.StreamID
	for ; j < len(c.argv); j++ {
		more := len(c.argv) - 1 - j
		opt := c.argv[j]
		switch {
		case argIsASCII(opt, "force"):
			force = true
		case argIsASCII(opt, "justid"):
			justID = true
		case argIsASCII(opt, "idle") && more > 0:
			j++
			n, ok := c.parseLongLongMsg(c.argv[j], "ERR Invalid IDLE option argument for XCLAIM")
			if !ok {
				return
			}
			deliveryTime = now - n
		case argIsASCII(opt, "time") && more > 0:
			j++
			if deliveryTime, ok = c.parseLongLongMsg(c.argv[j], "ERR Invalid TIME option argument for XCLAIM"); !ok {
				return
			}
		case argIsASCII(opt, "retrycount") && more > 0:
			j++
			if retryCount, ok = c.parseLongLongMsg(c.argv[j], "ERR Invalid RETRYCOUNT option argument for XCLAIM"); !ok {
				return
			}
		case argIsASCII(opt, "lastid") && more > 0:
			j++
			id, err := parseStreamID(c.argv[j], 0)
			if err != nil {
				c.addError(err)
				return
			}
			lastID = id
		default:
			c.addErrorString("ERR Unrecognized XCLAIM option '" + cstr(opt, len(opt)) + "'")
			return
		}
	}
	propagateLastID := false
	if lastID.Compare(g.LastID) > 0 {
		g.LastID = lastID
		propagateLastID = true
	}
	// A delivery time from the future or before the epoch is taken as now:
	// clients compute it from their own clocks.
	if deliveryTime < 0 || deliveryTime > now {
		deliveryTime = now
	}

	var cons *datatypes.Consumer // created on the first claim, as in 7.0
	mark, n := c.deferLen(), 0
	for i, id := range ids {
		idArg := c.argv[5+i]
		pe := g.LookupPending(id)
		fv, exists := st.Get(id)
		if !exists {
			// The entry was deleted: drop its NACK (and tell replicas).
			if pe != nil {
				c.propagateXclaim(key, grpname, g, idArg, pe)
				propagateLastID = false
				s.addDirty(1)
				g.Ack(id)
			}
			continue
		}
		if force && pe == nil {
			pe, _ = g.AddPending(id, nil, now)
		}
		if pe == nil {
			continue
		}
		if pe.Consumer != nil && minIdle != 0 && now-pe.DeliveryTime < minIdle {
			continue
		}
		if cons == nil {
			cons = c.lookupConsumerRefresh(g, consName, key, now)
		}
		g.SetOwner(pe, cons)
		pe.DeliveryTime = deliveryTime
		if retryCount >= 0 {
			pe.DeliveryCount = uint64(retryCount)
		} else if !justID {
			pe.DeliveryCount++
		}
		if justID {
			c.addStreamID(id)
		} else {
			c.addStreamEntry(id, fv)
		}
		n++
		c.propagateXclaim(key, grpname, g, idArg, pe)
		propagateLastID = false
		s.addDirty(1)
	}
	if propagateLastID {
		c.propagateGroupID(key, grpname, g)
		s.addDirty(1)
	}
	c.setDeferredLen(mark, n, false)
}

// --- XAUTOCLAIM ---

// xautoclaimMaxCount is LONG_MAX / max(sizeof(streamID), attempts_factor).
const xautoclaimMaxCount = (1<<63 - 1) / 16

// xautoclaimAllocLimit is the allocation that cannot succeed on a 64-bit
// system (a 47-bit user address space).
const xautoclaimAllocLimit = 1 << 47

// XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID]
func xautoclaimCommand(c *client) {
	defer func() { c.ownPropagationReplaced = true }() // see XREADGROUP
	s := c.srv
	key, grpname, consName := c.argv[1], c.argv[2], c.argv[3]
	minIdle, ok := c.parseLongLongMsg(c.argv[4], "ERR Invalid min-idle-time argument for XAUTOCLAIM")
	if !ok {
		return
	}
	minIdle = max(minIdle, 0)
	start, ok := c.parseInterval(c.argv[5], false)
	if !ok {
		return
	}
	count, justID := int64(100), false
	for j := 6; j < len(c.argv); j++ {
		more := len(c.argv) - 1 - j
		switch opt := c.argv[j]; {
		case argIsASCII(opt, "count") && more > 0:
			n, ok := datatypes.ParseInt(c.argv[j+1])
			if !ok || n < 1 || n > xautoclaimMaxCount {
				c.addErrorString("ERR COUNT must be > 0")
				return
			}
			count = n
			j++
		case argIsASCII(opt, "justid"):
			justID = true
		default:
			c.addError(errSyntax)
			return
		}
	}
	st, g, ok := c.lookupGroup(key, grpname)
	if !ok {
		return
	}

	// Redis allocates count IDs up front for the deleted ones (ztrymalloc):
	// past the address space that fails with this error.
	if count > xautoclaimAllocLimit/16 {
		c.addErrorString("ERR Insufficient memory, failed allocating transient memory, COUNT too high.")
		return
	}
	now := s.cmdTime.UnixMilli()
	attempts := count * 10
	var cons *datatypes.Consumer // created on the first claim, as in 7.0
	var deleted []datatypes.StreamID
	var last datatypes.StreamID
	visited, exhausted := false, true
	var idbuf [48]byte
	c.addArrayLen(3)
	mark, n := c.deferLen(), 0
	g.RangePending(start, datatypes.MaxStreamID, func(pe *datatypes.PendingEntry) bool {
		if attempts == 0 || count == 0 {
			exhausted = false
			return false
		}
		attempts--
		visited, last = true, pe.ID
		id := pe.ID
		fv, exists := st.Get(id)
		if !exists {
			c.propagateXclaim(key, grpname, g, id.AppendTo(idbuf[:0]), pe)
			s.addDirty(1)
			g.Ack(id)
			deleted = append(deleted, id)
			count--
			return true
		}
		if minIdle != 0 && now-pe.DeliveryTime < minIdle {
			return true
		}
		if cons == nil {
			cons = c.lookupConsumerRefresh(g, consName, key, now)
		}
		g.SetOwner(pe, cons)
		pe.DeliveryTime = now
		if !justID {
			pe.DeliveryCount++
		}
		if justID {
			c.addStreamID(id)
		} else {
			c.addStreamEntry(id, fv)
		}
		n++
		count--
		c.propagateXclaim(key, grpname, g, id.AppendTo(idbuf[:0]), pe)
		s.addDirty(1)
		return true
	})
	c.setDeferredLen(mark, n, false)
	// The cursor is the next pending ID after the last one looked at, or
	// 0-0 when the scan reached the end of the PEL.
	var cursor datatypes.StreamID
	if visited && !exhausted {
		if from, ok := last.Incr(); ok {
			g.RangePending(from, datatypes.MaxStreamID, func(pe *datatypes.PendingEntry) bool {
				cursor = pe.ID
				return false
			})
		}
	}
	// The cursor is known last but replied first (setDeferredReplyStreamID).
	if c.replyOn() {
		var buf [64]byte
		var idbuf [48]byte
		c.reply = slices.Insert(c.reply, mark, resp.AppendBulk(buf[:0], cursor.AppendTo(idbuf[:0]))...)
	}
	c.addArrayLen(len(deleted))
	for _, id := range deleted {
		c.addStreamID(id)
	}
}

// --- XINFO ---

var xinfoHelp = []string{
	"CONSUMERS <key> <groupname>",
	"    Show consumers of <groupname>.",
	"GROUPS <key>",
	"    Show the stream consumer groups.",
	"STREAM <key> [FULL [COUNT <count>]",
	"    Show information about the stream.",
}

// XINFO HELP
func xinfoHelpCommand(c *client) { c.addReplyHelp(xinfoHelp...) }

// xinfoLookup is the key lookup every XINFO subcommand but HELP starts with.
func (c *client) xinfoLookup() *datatypes.Stream {
	_, st, ok := c.lookupStream(c.argv[2], false)
	if ok && st == nil {
		c.addError(errNoSuchKey)
	}
	return st
}

// XINFO CONSUMERS key group
func xinfoConsumersCommand(c *client) {
	st := c.xinfoLookup()
	if st == nil {
		return
	}
	g := st.LookupGroup(unsafeString(c.argv[3]))
	if g == nil {
		c.errNoGroupForKey(c.argv[3], c.argv[2])
		return
	}
	now := c.srv.cmdTime.UnixMilli()
	c.addArrayLen(g.ConsumerCount())
	g.RangeConsumers(func(cons *datatypes.Consumer) bool {
		c.addMapLen(3)
		c.addBulkString("name")
		c.addBulkString(cons.Name)
		c.addBulkString("pending")
		c.addInt(int64(cons.PendingLen()))
		c.addBulkString("idle")
		c.addInt(max(now-cons.SeenTime, 0))
		return true
	})
}

// XINFO GROUPS key
func xinfoGroupsCommand(c *client) {
	st := c.xinfoLookup()
	if st == nil {
		return
	}
	c.addArrayLen(st.GroupCount())
	st.RangeGroups(func(g *datatypes.ConsumerGroup) bool {
		c.addMapLen(6)
		c.addBulkString("name")
		c.addBulkString(g.Name)
		c.addBulkString("consumers")
		c.addInt(int64(g.ConsumerCount()))
		c.addBulkString("pending")
		c.addInt(int64(g.PendingLen()))
		c.addBulkString("last-delivered-id")
		c.addStreamID(g.LastID)
		c.addGroupReadStats(st, g)
		return true
	})
}

// addGroupReadStats replies the "entries-read" and "lag" fields.
func (c *client) addGroupReadStats(st *datatypes.Stream, g *datatypes.ConsumerGroup) {
	c.addBulkString("entries-read")
	if g.EntriesRead != datatypes.InvalidEntriesRead {
		c.addInt(g.EntriesRead)
	} else {
		c.addNull()
	}
	c.addBulkString("lag")
	if lag, ok := streamGroupLag(st, g); ok {
		c.addInt(lag)
	} else {
		c.addNull()
	}
}

// streamGroupLag is streamReplyWithCGLag: the entries not yet delivered to
// the group, when the stream's fragmentation lets it be known.
func streamGroupLag(st *datatypes.Stream, g *datatypes.ConsumerGroup) (int64, bool) {
	if st.EntriesAdded == 0 {
		return 0, true
	}
	if g.EntriesRead != datatypes.InvalidEntriesRead && !st.RangeHasTombstones(&g.LastID, nil) {
		return int64(st.EntriesAdded) - g.EntriesRead, true
	}
	if read := st.EstimateDistanceFromFirstEverEntry(g.LastID); read != datatypes.InvalidEntriesRead {
		return int64(st.EntriesAdded) - read, true
	}
	return 0, false
}

// XINFO STREAM key [FULL [COUNT count]]
func xinfoStreamCommand(c *client) {
	st := c.xinfoLookup()
	if st == nil {
		return
	}
	opts := c.argv[3:]
	full, count := len(opts) > 0, int64(10)
	if full {
		if (len(opts) != 1 && len(opts) != 3) || !argIsASCII(opts[0], "full") ||
			(len(opts) == 3 && !argIsASCII(opts[1], "count")) {
			c.addSubcommandSyntaxError()
			return
		}
		if len(opts) == 3 {
			n, ok := datatypes.ParseInt(opts[2])
			if !ok {
				c.addError(errNotInt)
				return
			}
			count = n
			if count < 0 {
				count = 10
			}
		}
	}
	if full {
		c.addMapLen(9)
	} else {
		c.addMapLen(10)
	}
	c.addBulkString("length")
	c.addInt(int64(st.Length))
	c.addBulkString("radix-tree-keys")
	c.addInt(int64(st.Nodes()))
	c.addBulkString("radix-tree-nodes")
	c.addInt(int64(streamRaxNodes(st)))
	c.addBulkString("last-generated-id")
	c.addStreamID(st.LastID)
	c.addBulkString("max-deleted-entry-id")
	c.addStreamID(st.MaxDeletedID)
	c.addBulkString("entries-added")
	c.addInt(int64(st.EntriesAdded))
	c.addBulkString("recorded-first-entry-id")
	c.addStreamID(st.FirstID)
	if !full {
		c.addBulkString("groups")
		c.addInt(int64(st.GroupCount()))
		for _, f := range [2]struct {
			name string
			rev  bool
		}{{"first-entry", false}, {"last-entry", true}} {
			c.addBulkString(f.name)
			emitted := false
			st.Range(datatypes.StreamID{}, datatypes.MaxStreamID, f.rev, func(id datatypes.StreamID, fv [][]byte) bool {
				c.addStreamEntry(id, fv)
				emitted = true
				return false
			})
			if !emitted {
				c.addNull()
			}
		}
		return
	}
	c.addBulkString("entries")
	c.addStreamRange(st, datatypes.StreamID{}, datatypes.MaxStreamID, false, count)
	c.addBulkString("groups")
	c.addArrayLen(st.GroupCount())
	st.RangeGroups(func(g *datatypes.ConsumerGroup) bool {
		c.addMapLen(7)
		c.addBulkString("name")
		c.addBulkString(g.Name)
		c.addBulkString("last-delivered-id")
		c.addStreamID(g.LastID)
		c.addGroupReadStats(st, g)
		c.addBulkString("pel-count")
		c.addInt(int64(g.PendingLen()))
		c.addBulkString("pending")
		c.addFullPending(g.RangePending, count, true)
		c.addBulkString("consumers")
		c.addArrayLen(g.ConsumerCount())
		g.RangeConsumers(func(cons *datatypes.Consumer) bool {
			c.addMapLen(4)
			c.addBulkString("name")
			c.addBulkString(cons.Name)
			c.addBulkString("seen-time")
			c.addInt(cons.SeenTime)
			c.addBulkString("pel-count")
			c.addInt(int64(cons.PendingLen()))
			c.addBulkString("pending")
			c.addFullPending(cons.RangePending, count, false)
			return true
		})
		return true
	})
}

// addFullPending is XINFO STREAM FULL's "pending" list of a group (with
// each entry's consumer) or of a consumer (without): at most count
// entries (0: all) of what rangePending walks, in ID order.
func (c *client) addFullPending(rangePending func(start, end datatypes.StreamID, fn func(*datatypes.PendingEntry) bool), count int64, withConsumer bool) {
	mark, n := c.deferLen(), int64(0)
	rangePending(datatypes.StreamID{}, datatypes.MaxStreamID, func(pe *datatypes.PendingEntry) bool {
		if count != 0 && n >= count {
			return false
		}
		if withConsumer {
			c.addArrayLen(4)
		} else {
			c.addArrayLen(3)
		}
		c.addStreamID(pe.ID)
		if withConsumer {
			if pe.Consumer != nil {
				c.addBulkString(pe.Consumer.Name)
			} else {
				c.addBulkString("")
			}
		}
		c.addInt(pe.DeliveryTime)
		c.addInt(int64(pe.DeliveryCount))
		n++
		return true
	})
	c.setDeferredLen(mark, int(n), false)
}

// streamRaxNodes is the rax->numnodes Redis reports as radix-tree-nodes:
// the nodes of a radix tree over the nodes' 128-bit big-endian master IDs.
// Every key has the same length, so the tree is the canonical compressed
// trie: a compressed node per shared run of bytes, a branching node where
// keys diverge, and a leaf per key (an empty tree is its root alone).
func streamRaxNodes(st *datatypes.Stream) int {
	var keys [][16]byte
	st.RangeNodes(func(master datatypes.StreamID, _ []byte) bool {
		var k [16]byte
		for i := 0; i < 8; i++ {
			k[i] = byte(master.Ms >> (56 - 8*i))
			k[8+i] = byte(master.Seq >> (56 - 8*i))
		}
		keys = append(keys, k)
		return true
	})
	if len(keys) == 0 {
		return 1
	}
	return raxSubtreeNodes(keys, 0)
}

// raxSubtreeNodes counts the nodes under the node reached after depth
// bytes shared by keys (sorted, distinct).
func raxSubtreeNodes(keys [][16]byte, depth int) int {
	if depth == 16 {
		return 1
	}
	first, last := keys[0], keys[len(keys)-1]
	lcp := 0
	for depth+lcp < 16 && first[depth+lcp] == last[depth+lcp] {
		lcp++
	}
	if lcp > 0 {
		return 1 + raxSubtreeNodes(keys, depth+lcp)
	}
	n := 1
	for i := 0; i < len(keys); {
		j := i + 1
		for j < len(keys) && keys[j][depth] == keys[i][depth] {
			j++
		}
		n += raxSubtreeNodes(keys[i:j], depth+1)
		i = j
	}
	return n
}
