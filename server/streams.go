package server

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"ferrite/datatypes"
	"ferrite/server/resp"
)

// Stream commands without consumer groups, as Redis 7.0's t_stream.c. The
// helpers above the commands are shared with streams_cgroup.go.

var streamCommands = map[string]cmdProc{
	"xadd":      xaddCommand,
	"xlen":      xlenCommand,
	"xrange":    xrangeCommand,
	"xrevrange": xrevrangeCommand,
	"xdel":      xdelCommand,
	"xtrim":     xtrimCommand,
	"xread":     xreadCommand,
	"xsetid":    xsetidCommand,
}

var (
	errInvalidStreamID = errors.New("ERR Invalid stream ID specified as stream command argument")
	errXaddSmallID     = errors.New("ERR The ID specified in XADD is equal or smaller than the target stream top item")
	errXaddZeroID      = errors.New("ERR The ID specified in XADD must be greater than 0-0")
)

// parseStreamUint is string2ull: string2ll's strict form, else strtoull's
// lax one (leading spaces, a sign, leading zeros; a '-' wraps around), as
// Redis accepts both.
func parseStreamUint(b []byte) (uint64, bool) {
	if n, ok := datatypes.ParseInt(b); ok {
		return uint64(n), n >= 0
	}
	i := 0
	for i < len(b) && (b[i] == ' ' || (b[i] >= '\t' && b[i] <= '\r')) {
		i++
	}
	neg := false
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		neg = b[i] == '-'
		i++
	}
	if i == len(b) {
		return 0, false
	}
	var v uint64
	for ; i < len(b); i++ {
		d := b[i] - '0'
		if d > 9 {
			return 0, false
		}
		if v > (math.MaxUint64-uint64(d))/10 {
			return 0, false // ERANGE
		}
		v = v*10 + uint64(d)
	}
	if neg {
		v = -v
	}
	return v, true
}

// parseStreamIDGeneric is streamGenericParseIDOrReply: "ms" (seq is
// missingSeq), "ms-seq", and unless strict "-" and "+"; with allowSeqStar,
// also "ms-*", for which seqGiven is false.
func parseStreamIDGeneric(b []byte, missingSeq uint64, strict, allowSeqStar bool) (id datatypes.StreamID, seqGiven bool, err error) {
	if len(b) > 127 {
		return id, false, errInvalidStreamID
	}
	if i := strings.IndexByte(unsafeString(b), 0); i >= 0 {
		b = b[:i] // Redis reads a C string
	}
	if len(b) == 1 && (b[0] == '-' || b[0] == '+') {
		if strict {
			return id, false, errInvalidStreamID
		}
		if b[0] == '-' {
			return datatypes.StreamID{}, true, nil
		}
		return datatypes.MaxStreamID, true, nil
	}
	msPart, seqPart, hasSeq := strings.Cut(unsafeString(b), "-")
	ms, ok := parseStreamUint([]byte(msPart))
	if !ok {
		return id, false, errInvalidStreamID
	}
	seq, seqGiven := missingSeq, true
	if hasSeq {
		if allowSeqStar && seqPart == "*" {
			seq, seqGiven = 0, false
		} else if seq, ok = parseStreamUint([]byte(seqPart)); !ok {
			return id, false, errInvalidStreamID
		}
	}
	return datatypes.StreamID{Ms: ms, Seq: seq}, seqGiven, nil
}

// parseStreamID parses a strict ID, "ms" or "ms-seq" (streamParseStrictIDOrReply).
func parseStreamID(b []byte, missingSeq uint64) (datatypes.StreamID, error) {
	id, _, err := parseStreamIDGeneric(b, missingSeq, true, false)
	return id, err
}

// parseStreamRangeID is streamParseIntervalIDOrReply: an ID, "-", "+", or
// "(id" for an exclusive bound.
func parseStreamRangeID(b []byte, missingSeq uint64) (id datatypes.StreamID, exclusive bool, err error) {
	if len(b) > 1 && b[0] == '(' {
		id, err = parseStreamID(b[1:], missingSeq)
		return id, true, err
	}
	id, _, err = parseStreamIDGeneric(b, missingSeq, false, false)
	return id, false, err
}

// The errors of an exclusive bound past the ends of the ID space.
const (
	errInvalidStartInterval = "ERR invalid start ID for the interval"
	errInvalidEndInterval   = "ERR invalid end ID for the interval"
)

// parseInterval parses one bound of an interval as
// streamParseIntervalIDOrReply does: a missing sequence is 0 for a start
// and the maximum for an end, and an exclusive "(id" bound moves to the
// next ID inward (an error past the ends of the ID space).
func (c *client) parseInterval(b []byte, end bool) (datatypes.StreamID, bool) {
	missingSeq := uint64(0)
	if end {
		missingSeq = math.MaxUint64
	}
	id, excl, err := parseStreamRangeID(b, missingSeq)
	if err != nil {
		c.addError(err)
		return id, false
	}
	if !excl {
		return id, true
	}
	var ok bool
	if end {
		if id, ok = id.Decr(); !ok {
			c.addErrorString(errInvalidEndInterval)
		}
	} else if id, ok = id.Incr(); !ok {
		c.addErrorString(errInvalidStartInterval)
	}
	return id, ok
}

// lookupStream returns the stream at key (nil if missing); it replies
// WRONGTYPE and returns ok=false when the key holds another type.
func (c *client) lookupStream(key []byte, write bool) (*datatypes.Object, *datatypes.Stream, bool) {
	o, ok := c.lookupType(key, datatypes.TypeStream, write)
	if !ok || o == nil {
		return nil, nil, ok
	}
	return o, o.Stream(), true
}

// streamCreate adds an empty stream at key in db (the contract's
// streamCreate(key) needs the database: callers pass c.db).
func (s *Server) streamCreate(db *datatypes.DB, key []byte) (*datatypes.Object, *datatypes.Stream) {
	st := datatypes.NewStream()
	o := datatypes.NewObject(datatypes.TypeStream, datatypes.EncStream, st)
	s.dbAdd(db, key, o)
	return o, st
}

// appendStreamEntry appends one entry as XRANGE replies it: the ID and
// an array of fields and values (the same in RESP2 and RESP3).
func appendStreamEntry(b []byte, id datatypes.StreamID, fv [][]byte) []byte {
	b = resp.AppendArray(b, 2)
	var idbuf [48]byte
	b = resp.AppendBulk(b, id.AppendTo(idbuf[:0]))
	b = resp.AppendArray(b, len(fv))
	for _, x := range fv {
		b = resp.AppendBulk(b, x)
	}
	return b
}

// addStreamEntry replies with one entry as XRANGE does.
func (c *client) addStreamEntry(id datatypes.StreamID, fv [][]byte) {
	if c.replyOn() {
		c.reply = appendStreamEntry(c.reply, id, fv)
	}
}

// addStreamRange replies with the entries of st in [start, end] (at most
// count, 0 for all) as an array, as streamReplyWithRange without groups.
func (c *client) addStreamRange(st *datatypes.Stream, start, end datatypes.StreamID, rev bool, count int64) {
	var body []byte
	n := int64(0)
	st.Range(start, end, rev, func(id datatypes.StreamID, fv [][]byte) bool {
		body = appendStreamEntry(body, id, fv)
		n++
		return count == 0 || n < count
	})
	c.addArrayLen(int(n))
	c.addRaw(body)
}

// streamTrimArgs is streamAddTrimArgs: the options XADD and XTRIM share.
type streamTrimArgs struct {
	byLen, byID bool
	maxLen      int64
	minID       datatypes.StreamID
	approx      bool
	limit       int64
	thresholdAt int // argv index of the MAXLEN/MINID threshold
	// XADD only
	id         datatypes.StreamID
	idGiven    bool
	seqGiven   bool
	noMkStream bool
}

// parseStreamTrimArgs is streamParseAddOrTrimArgsOrReply: it parses the
// options from argv[2] on and, for XADD, the ID, returning the ID's index
// (or the index past the options for XTRIM); ok=false after replying an
// error.
func (c *client) parseStreamTrimArgs(xadd bool) (a streamTrimArgs, idpos int, ok bool) {
	limitGiven := false
	i := 2
	for ; i < len(c.argv); i++ {
		moreargs := len(c.argv) - 1 - i
		opt := c.argv[i]
		switch {
		case xadd && len(opt) == 1 && opt[0] == '*':
			// The common case of an auto-generated ID.
		case (argIsASCII(opt, "maxlen") || argIsASCII(opt, "minid")) && moreargs > 0:
			if a.byLen || a.byID {
				c.addErrorString("ERR syntax error, MAXLEN and MINID options at the same time are not compatible")
				return a, 0, false
			}
			a.approx = false
			if next := c.argv[i+1]; moreargs >= 2 && len(next) == 1 && (next[0] == '~' || next[0] == '=') {
				a.approx = next[0] == '~'
				i++
			}
			if argIsASCII(opt, "maxlen") {
				n, isInt := datatypes.ParseInt(c.argv[i+1])
				if !isInt {
					c.addError(errNotInt)
					return a, 0, false
				}
				if n < 0 {
					c.addErrorString("ERR The MAXLEN argument must be >= 0.")
					return a, 0, false
				}
				a.maxLen, a.byLen = n, true
			} else {
				id, err := parseStreamID(c.argv[i+1], 0)
				if err != nil {
					c.addError(err)
					return a, 0, false
				}
				a.minID, a.byID = id, true
			}
			i++
			a.thresholdAt = i
			continue
		case argIsASCII(opt, "limit") && moreargs > 0:
			n, isInt := datatypes.ParseInt(c.argv[i+1])
			if !isInt {
				c.addError(errNotInt)
				return a, 0, false
			}
			if n < 0 {
				c.addErrorString("ERR The LIMIT argument must be >= 0.")
				return a, 0, false
			}
			a.limit, limitGiven = n, true
			i++
			continue
		case xadd && argIsASCII(opt, "nomkstream"):
			a.noMkStream = true
			continue
		case xadd:
			id, seqGiven, err := parseStreamIDGeneric(opt, 0, true, true)
			if err != nil {
				c.addError(err)
				return a, 0, false
			}
			a.id, a.idGiven, a.seqGiven = id, true, seqGiven
		default:
			c.addError(errSyntax)
			return a, 0, false
		}
		break
	}
	if a.limit != 0 && !a.byLen && !a.byID {
		c.addErrorString("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy")
		return a, 0, false
	}
	if !xadd && !a.byLen && !a.byID {
		c.addErrorString("ERR syntax error, XTRIM must be called with a trimming strategy")
		return a, 0, false
	}
	if c.flags&flagMustObey != 0 {
		// A propagated XADD/XTRIM was rewritten to "= <exact threshold>"
		// and may keep its LIMIT: apply it exactly, unlimited.
		a.limit = 0
	} else if limitGiven {
		if !a.approx {
			c.addErrorString("ERR syntax error, LIMIT cannot be used without the special ~ option")
			return a, 0, false
		}
	} else if a.approx {
		// Approximate trimming is bounded by default so one command
		// cannot remove a huge number of entries.
		a.limit = 100 * c.srv.cfg.StreamNodeMaxEntries
		if a.limit <= 0 || a.limit > 1000000 {
			a.limit = 10000
		}
	} else {
		a.limit = 0
	}
	return a, i, true
}

// streamTrim applies parsed trimming options to st.
func streamTrim(st *datatypes.Stream, a *streamTrimArgs) int64 {
	switch {
	case a.byLen:
		return st.TrimMaxLen(a.maxLen, a.approx, a.limit)
	case a.byID:
		return st.TrimMinID(a.minID, a.approx, a.limit)
	}
	return 0
}

// rewriteTrimArgs is streamRewriteApproxSpecifier + streamRewriteTrimArgument:
// after an approximate trim, the propagated command trims exactly to
// what is left ("=" and the length or the first ID now), so a replica or
// an AOF replay ends with the same entries.
func rewriteTrimArgs(argv [][]byte, st *datatypes.Stream, a *streamTrimArgs) {
	argv[a.thresholdAt-1] = []byte("=")
	if a.byLen {
		argv[a.thresholdAt] = strconv.AppendUint(nil, st.Length, 10)
	} else {
		argv[a.thresholdAt] = st.FirstEntryID().AppendTo(nil)
	}
}

// packArgs copies argv into one allocation (XADD rewrites and propagates
// every call with "*": one copy per argument would dominate its cost).
// Rewriting replaces elements, never writes into the shared bytes.
func packArgs(argv [][]byte) [][]byte {
	n := 0
	for _, a := range argv {
		n += len(a)
	}
	buf := make([]byte, 0, n)
	out := make([][]byte, len(argv))
	for i, a := range argv {
		start := len(buf)
		buf = append(buf, a...)
		out[i] = buf[start:len(buf):len(buf)]
	}
	return out
}

// XADD key [NOMKSTREAM] [MAXLEN | MINID [= | ~] threshold [LIMIT count]] * | id field value [field value ...]
func xaddCommand(c *client) {
	s := c.srv
	a, idpos, ok := c.parseStreamTrimArgs(true)
	if !ok {
		return
	}
	fieldPos := idpos + 1
	if n := len(c.argv) - fieldPos; n < 2 || n%2 == 1 {
		c.addErrorArity()
		return
	}
	// Fail before creating the key, so no empty stream is left behind.
	if a.idGiven && a.seqGiven && a.id.IsZero() {
		c.addError(errXaddZeroID)
		return
	}
	o, st, ok := c.lookupStream(c.argv[1], true)
	if !ok {
		return
	}
	if o == nil {
		if a.noMkStream {
			c.addNull()
			return
		}
		_, st = s.streamCreate(c.db, c.argv[1])
	}
	if st.LastID == datatypes.MaxStreamID {
		c.addErrorString("ERR The stream has exhausted the last possible ID, unable to add more items")
		return
	}
	var id datatypes.StreamID
	switch {
	case !a.idGiven:
		if ms := uint64(s.mstime()); ms > st.LastID.Ms {
			id = datatypes.StreamID{Ms: ms}
		} else {
			id, _ = st.LastID.Incr()
		}
	case !a.seqGiven && st.LastID.Ms == a.id.Ms:
		if st.LastID.Seq == math.MaxUint64 {
			c.addError(errXaddSmallID)
			return
		}
		id = datatypes.StreamID{Ms: a.id.Ms, Seq: st.LastID.Seq + 1}
	default:
		id = a.id
	}
	if id.Compare(st.LastID) <= 0 {
		c.addError(errXaddSmallID)
		return
	}
	total := 0
	for _, b := range c.argv[fieldPos:] {
		total += len(b)
	}
	if total > 1<<30 {
		c.addErrorString("ERR Elements are too large to be stored")
		return
	}
	st.Append(id, c.argv[fieldPos:], int(s.cfg.StreamNodeMaxBytes), int(s.cfg.StreamNodeMaxEntries))
	var idbuf [48]byte
	c.addBulk(id.AppendTo(idbuf[:0]))
	s.signalModifiedKey(c.db, unsafeString(c.argv[1]))
	c.notify(NotifyStream, "xadd", c.argv[1])
	s.addDirty(1)
	rewrite := !a.idGiven || !a.seqGiven
	if a.byLen || a.byID {
		if streamTrim(st, &a) > 0 {
			c.notify(NotifyStream, "xtrim", c.argv[1])
		}
		rewrite = rewrite || a.approx
	}
	if rewrite {
		argv := packArgs(c.argv)
		if a.approx {
			rewriteTrimArgs(argv, st, &a)
		}
		argv[idpos] = id.AppendTo(nil)
		c.alsoPropagate(c.db.ID, argv...)
	}
	s.signalKeyAsReady(c.db, c.argv[1])
}

// XLEN key
func xlenCommand(c *client) {
	_, st, ok := c.lookupStream(c.argv[1], false)
	if !ok {
		return
	}
	if st == nil {
		c.addInt(0)
		return
	}
	c.addInt(int64(st.Length))
}

// xrangeGeneric is xrangeGenericCommand: XRANGE, or XREVRANGE (whose
// arguments come end first) when rev.
func xrangeGeneric(c *client, rev bool) {
	startArg, endArg := c.argv[2], c.argv[3]
	if rev {
		startArg, endArg = endArg, startArg
	}
	start, ok := c.parseInterval(startArg, false)
	if !ok {
		return
	}
	end, ok := c.parseInterval(endArg, true)
	if !ok {
		return
	}
	count := int64(-1)
	for j := 4; j < len(c.argv); j++ {
		if argIsASCII(c.argv[j], "count") && j+1 < len(c.argv) {
			n, ok := datatypes.ParseInt(c.argv[j+1])
			if !ok {
				c.addError(errNotInt)
				return
			}
			count = max(n, 0)
			j++
			continue
		}
		c.addError(errSyntax)
		return
	}
	_, st, ok := c.lookupStream(c.argv[1], false)
	if !ok {
		return
	}
	if st == nil {
		c.addArrayLen(0)
		return
	}
	if count == 0 {
		c.addNullArray()
		return
	}
	if count < 0 {
		count = 0
	}
	c.addStreamRange(st, start, end, rev, count)
}

// XRANGE key start end [COUNT count]
func xrangeCommand(c *client) { xrangeGeneric(c, false) }

// XREVRANGE key end start [COUNT count]
func xrevrangeCommand(c *client) { xrangeGeneric(c, true) }

// XDEL key id [id ...]
func xdelCommand(c *client) {
	s := c.srv
	_, st, ok := c.lookupStream(c.argv[1], true)
	if !ok {
		return
	}
	if st == nil {
		c.addInt(0)
		return
	}
	// Every ID is checked first so the command is never half done.
	ids := make([]datatypes.StreamID, 0, len(c.argv)-2)
	for _, arg := range c.argv[2:] {
		id, err := parseStreamID(arg, 0)
		if err != nil {
			c.addError(err)
			return
		}
		ids = append(ids, id)
	}
	deleted := int64(0)
	for _, id := range ids {
		if st.Delete(id) {
			deleted++
		}
	}
	if deleted > 0 {
		s.signalModifiedKey(c.db, unsafeString(c.argv[1]))
		c.notify(NotifyStream, "xdel", c.argv[1])
		s.addDirty(deleted)
	}
	c.addInt(deleted)
}

// XTRIM key MAXLEN | MINID [= | ~] threshold [LIMIT count]
func xtrimCommand(c *client) {
	s := c.srv
	a, _, ok := c.parseStreamTrimArgs(false)
	if !ok {
		return
	}
	_, st, ok := c.lookupStream(c.argv[1], true)
	if !ok {
		return
	}
	if st == nil {
		c.addInt(0)
		return
	}
	deleted := streamTrim(st, &a)
	if deleted > 0 {
		c.notify(NotifyStream, "xtrim", c.argv[1])
		if a.approx {
			argv := packArgs(c.argv)
			rewriteTrimArgs(argv, st, &a)
			c.alsoPropagate(c.db.ID, argv...)
		}
		s.signalModifiedKey(c.db, unsafeString(c.argv[1]))
		s.addDirty(deleted)
	}
	c.addInt(deleted)
}

// xreadArgs are the options XREAD and XREADGROUP share.
type xreadArgs struct {
	count      int64 // 0: no limit
	block      bool
	timeout    time.Duration // with block; 0 waits forever
	noack      bool
	group      []byte // XREADGROUP's GROUP group consumer
	consumer   []byte
	streamsArg int      // argv index of the first key
	keys       [][]byte // the keys after STREAMS
	idArgs     [][]byte // their IDs, unparsed ("$", ">" or an ID)
}

// parseXreadArgs parses the options of XREAD (group=false) or XREADGROUP
// as xreadCommand does, up to and including STREAMS; the IDs are left to
// the caller. It replies the error and returns ok=false on failure.
func parseXreadArgs(c *client, group bool) (*xreadArgs, bool) {
	a := &xreadArgs{}
	for i := 1; i < len(c.argv); i++ {
		moreargs := len(c.argv) - i - 1
		o := c.argv[i]
		switch {
		case argIsASCII(o, "block") && moreargs > 0:
			// MULTI only makes BLOCK time out at once; scripts get an
			// error, as Redis 7.0 keeps it for backward compatibility.
			if c.flags&flagScript != 0 {
				c.addErrorString("ERR " + string(c.argv[0]) + " command is not allowed with BLOCK option from scripts")
				return nil, false
			}
			i++
			ms, ok := datatypes.ParseInt(c.argv[i])
			if !ok {
				c.addErrorString("ERR timeout is not an integer or out of range")
				return nil, false
			}
			if ms < 0 {
				c.addErrorString("ERR timeout is negative")
				return nil, false
			}
			a.block, a.timeout = true, time.Duration(min(ms, math.MaxInt64/int64(time.Millisecond)))*time.Millisecond
		case argIsASCII(o, "count") && moreargs > 0:
			i++
			n, ok := datatypes.ParseInt(c.argv[i])
			if !ok {
				c.addError(errNotInt)
				return nil, false
			}
			a.count = max(n, 0)
		case argIsASCII(o, "streams") && moreargs > 0:
			a.streamsArg = i + 1
			n := len(c.argv) - a.streamsArg
			if n%2 != 0 {
				// 7.0's text, the same for XREADGROUP.
				c.addErrorString("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.")
				return nil, false
			}
			a.keys = c.argv[a.streamsArg : a.streamsArg+n/2]
			a.idArgs = c.argv[a.streamsArg+n/2:]
			i = len(c.argv)
		case argIsASCII(o, "group") && moreargs >= 2:
			if !group {
				c.addErrorString("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.")
				return nil, false
			}
			a.group, a.consumer = c.argv[i+1], c.argv[i+2]
			i += 2
		case argIsASCII(o, "noack"):
			if !group {
				c.addErrorString("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.")
				return nil, false
			}
			a.noack = true
		default:
			c.addError(errSyntax)
			return nil, false
		}
	}
	if a.streamsArg == 0 {
		c.addError(errSyntax)
		return nil, false
	}
	if group && a.group == nil {
		c.addErrorString("ERR Missing GROUP option for XREADGROUP")
		return nil, false
	}
	return a, true
}

// XREAD [COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]
func xreadCommand(c *client) {
	a, ok := parseXreadArgs(c, false)
	if !ok {
		return
	}
	ids := make([]datatypes.StreamID, len(a.keys))
	for i, arg := range a.idArgs {
		_, st, ok := c.lookupStream(a.keys[i], false)
		if !ok {
			return
		}
		switch {
		case len(arg) == 1 && arg[0] == '$':
			if st != nil {
				ids[i] = st.LastID
			}
		case len(arg) == 1 && arg[0] == '>':
			c.addErrorString("ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.")
			return
		default:
			id, err := parseStreamID(arg, 0)
			if err != nil {
				c.addError(err)
				return
			}
			ids[i] = id
		}
	}
	var body []byte
	served := 0
	for i, key := range a.keys {
		_, st, _ := c.lookupStream(key, false)
		if st == nil || st.Length == 0 || st.LastValidID().Compare(ids[i]) <= 0 {
			continue
		}
		served++
		if c.proto == 2 {
			body = resp.AppendArray(body, 2)
		}
		body = resp.AppendBulk(body, key)
		start, _ := ids[i].Incr()
		var entries []byte
		n := int64(0)
		st.Range(start, datatypes.MaxStreamID, false, func(id datatypes.StreamID, fv [][]byte) bool {
			entries = appendStreamEntry(entries, id, fv)
			n++
			return a.count == 0 || n < a.count
		})
		body = resp.AppendArray(body, int(n))
		body = append(body, entries...)
	}
	if served > 0 {
		if c.proto == 2 {
			c.addArrayLen(served)
		} else {
			c.addMapLen(served)
		}
		c.addRaw(body)
		return
	}
	if !a.block {
		c.addNullArray()
		return
	}
	c.blockForKeys(a.keys, datatypes.TypeStream, a.timeout, (*client).addNullArray)
	if st := c.blocked; st != nil {
		// The command runs again when a key gets data: it must then read
		// after the IDs resolved now ("$" is the last ID at block time).
		for i := range a.idArgs {
			st.argv[a.streamsArg+len(a.keys)+i] = ids[i].AppendTo(nil)
		}
	}
}

// XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]
func xsetidCommand(c *client) {
	s := c.srv
	id, err := parseStreamID(c.argv[2], 0)
	if err != nil {
		c.addError(err)
		return
	}
	entriesAdded := int64(-1)
	var maxDeleted datatypes.StreamID
	for i := 3; i < len(c.argv); i += 2 {
		moreargs := len(c.argv) - 1 - i
		switch {
		case argIsASCII(c.argv[i], "entriesadded") && moreargs > 0:
			n, ok := datatypes.ParseInt(c.argv[i+1])
			if !ok {
				c.addError(errNotInt)
				return
			}
			if n < 0 {
				c.addErrorString("ERR entries_added must be positive")
				return
			}
			entriesAdded = n
		case argIsASCII(c.argv[i], "maxdeletedid") && moreargs > 0:
			if maxDeleted, err = parseStreamID(c.argv[i+1], 0); err != nil {
				c.addError(err)
				return
			}
			if id.Compare(maxDeleted) < 0 {
				c.addErrorString("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id")
				return
			}
		default:
			c.addError(errSyntax)
			return
		}
	}
	o, st, ok := c.lookupStream(c.argv[1], true)
	if !ok {
		return
	}
	if o == nil {
		c.addError(errNoSuchKey)
		return
	}
	// 7.0.15 does not compare id with the stream's current max deleted ID
	// (later versions do).
	if st.Length > 0 {
		if id.Compare(st.LastValidID()) < 0 {
			c.addErrorString("ERR The ID specified in XSETID is smaller than the target stream top item")
			return
		}
		if entriesAdded != -1 && st.Length > uint64(entriesAdded) {
			c.addErrorString("ERR The entries_added specified in XSETID is smaller than the target stream length")
			return
		}
	}
	st.LastID = id
	if entriesAdded != -1 {
		st.EntriesAdded = uint64(entriesAdded)
	}
	if !maxDeleted.IsZero() {
		st.MaxDeletedID = maxDeleted
	}
	c.addOK()
	s.signalModifiedKey(c.db, unsafeString(c.argv[1]))
	c.notify(NotifyStream, "xsetid", c.argv[1])
	s.addDirty(1)
}
