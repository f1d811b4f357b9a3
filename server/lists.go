package server

import (
	"bytes"
	"strconv"
	"strings"
	"time"

	"ferrite/datatypes"
)

// The list family, as Redis 7.0's t_list.c without the blocking commands
// (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP come with the blocking
// machinery). Redis 7.0 has one list encoding: a quicklist (Enc
// EncQuicklist, Val *datatypes.Quicklist) created with
// list-max-listpack-size and list-compress-depth as they are when the key
// is created; OBJECT ENCODING says "quicklist" for every list. An emptied
// list deletes its key.

var listCommands = map[string]cmdProc{
	"blpop":      blpopCommand,
	"brpop":      brpopCommand,
	"blmpop":     blmpopCommand,
	"blmove":     blmoveCommand,
	"brpoplpush": brpoplpushCommand,
	"lpush":      lpushCommand,
	"rpush":      rpushCommand,
	"lpushx":     lpushxCommand,
	"rpushx":     rpushxCommand,
	"lpop":       lpopCommand,
	"rpop":       rpopCommand,
	"llen":       llenCommand,
	"lindex":     lindexCommand,
	"lset":       lsetCommand,
	"lrange":     lrangeCommand,
	"ltrim":      ltrimCommand,
	"lrem":       lremCommand,
	"linsert":    linsertCommand,
	"lpos":       lposCommand,
	"lmove":      lmoveCommand,
	"rpoplpush":  rpoplpushCommand,
	"lmpop":      lmpopCommand,
}

// listHead and listTail are Redis's LIST_HEAD and LIST_TAIL: the end a
// command pops from or pushes to.
const (
	listHead = 0
	listTail = 1
)

// --- list type API ---

func (s *Server) listTypeCreate() *datatypes.Object {
	return datatypes.NewObject(datatypes.TypeList, datatypes.EncQuicklist,
		datatypes.NewQuicklist(s.cfg.ListMaxListpackSize, s.cfg.ListCompressDepth))
}

func listQL(o *datatypes.Object) *datatypes.Quicklist { return o.Quicklist() }

// listTypePush adds v (copied by the quicklist) at the given end.
func listTypePush(o *datatypes.Object, v []byte, where int) {
	if where == listHead {
		listQL(o).PushHead(v)
	} else {
		listQL(o).PushTail(v)
	}
}

// listTypePop removes and returns the element at the given end (a fresh
// slice).
func listTypePop(o *datatypes.Object, where int) []byte {
	var v []byte
	if where == listHead {
		v, _ = listQL(o).PopHead()
	} else {
		v, _ = listQL(o).PopTail()
	}
	return v
}

// listElementsRemoved is Redis's listElementsRemoved: after count
// elements left key, delete the key when the list is empty, and count the
// change.
func (c *client) listElementsRemoved(key []byte, o *datatypes.Object, where, count int) {
	s := c.srv
	c.notify(NotifyList, popEvent(where), key)
	if listQL(o).Len() == 0 {
		s.dbDelete(c.db, key)
		c.notify(NotifyGeneric, "del", key)
	}
	s.signalModifiedKey(c.db, unsafeString(key))
	s.addDirty(int64(count))
}

// listDigest adds a list to a key digest as Redis's xorObjectDigest: the
// elements are mixed in order, so order matters.
func listDigest(d *[20]byte, o *datatypes.Object) {
	it := listQL(o).Iterator(false)
	for v, ok := it.Next(); ok; v, ok = it.Next() {
		mixDigest(d, v)
	}
	it.Close()
}

// qlNodeSize is one quicklist node header (Ferrite's qlNode: two links,
// two slices, two ints, three flags).
const qlNodeSize = 2*8 + 2*24 + 2*8 + 8

// qlSize is the Quicklist struct itself.
const qlSize = 2*8 + 5*8

// listMemoryUsage is what a list value costs (MEMORY USAGE): the
// quicklist header plus the average node (header and listpack or
// compressed bytes) over the first samples nodes (all when samples is 0)
// times the number of nodes, as Redis's objectComputeSize.
func listMemoryUsage(o *datatypes.Object, samples int) int64 {
	ql := listQL(o)
	var sum, seen int64
	ql.RangeNodeBytes(func(b int) bool {
		sum += allocSize(qlNodeSize) + allocSize(int64(b))
		seen++
		return samples == 0 || seen < int64(samples)
	})
	n := allocSize(qlSize)
	if seen > 0 {
		n += sum * int64(ql.Nodes()) / seen
	}
	return n
}

// addListRange replies with elements start..end (inclusive, negative from
// the tail, clamped as LRANGE does), tail to head when reverse, as
// Redis's addListRangeReply.
func (c *client) addListRange(o *datatypes.Object, start, end int64, reverse bool) {
	ql := listQL(o)
	llen := int64(ql.Len())
	if start < 0 {
		start += llen
	}
	if end < 0 {
		end += llen
	}
	if start < 0 {
		start = 0
	}
	if start > end || start >= llen {
		c.addArrayLen(0)
		return
	}
	if end >= llen {
		end = llen - 1
	}
	n := end - start + 1
	c.addArrayLen(int(n))
	from := start
	if reverse {
		from = end
	}
	it, _ := ql.IteratorAt(int(from), reverse)
	for ; n > 0; n-- {
		v, _ := it.Next()
		c.addBulk(v)
	}
	it.Close()
}

// listPopRange pops up to count elements from the given end of o at key,
// replying with them in pop order (addListRange, then
// listTypeDelRange), and returns how many were popped.
func (c *client) listPopRange(key []byte, o *datatypes.Object, where int, count int64) int64 {
	llen := int64(listQL(o).Len())
	n := min(count, llen)
	if where == listHead {
		c.addListRange(o, 0, n-1, false)
		listQL(o).DelRange(0, int(n))
	} else {
		c.addListRange(o, -n, -1, true)
		listQL(o).DelRange(int(-n), int(n))
	}
	c.listElementsRemoved(key, o, where, int(n))
	return n
}

// parseListPosition is getListPositionFromObjectOrReply: LEFT or RIGHT.
func parseListPosition(c *client, arg []byte) (int, bool) {
	switch strings.ToLower(unsafeString(arg)) {
	case "left":
		return listHead, true
	case "right":
		return listTail, true
	}
	c.addError(errSyntax)
	return 0, false
}

// parseLong is getLongFromObjectOrReply; msg replaces the default error.
func parseLong(c *client, arg []byte, msg string) (int64, bool) {
	v, ok := datatypes.ParseInt(arg)
	if !ok {
		if msg != "" {
			c.addErrorString(msg)
		} else {
			c.addError(errNotInt)
		}
	}
	return v, ok
}

// parsePositive is getPositiveLongFromObjectOrReply: a non-integer gets
// the same error as a negative value.
func parsePositive(c *client, arg []byte, msg string) (int64, bool) {
	if msg == "" {
		msg = errNotPositive
	}
	v, ok := datatypes.ParseInt(arg)
	if !ok || v < 0 {
		c.addErrorString(msg)
		return 0, false
	}
	return v, true
}

// --- commands ---

// pushGeneric is pushGenericCommand: LPUSH/RPUSH, and the X variants that
// only push onto an existing list.
func pushGeneric(c *client, where int, xx bool) {
	s := c.srv
	o, ok := c.lookupType(c.argv[1], datatypes.TypeList, true)
	if !ok {
		return
	}
	if o == nil {
		if xx {
			c.addInt(0)
			return
		}
		o = s.listTypeCreate()
		s.dbAdd(c.db, c.argv[1], o)
	}
	for _, v := range c.argv[2:] {
		listTypePush(o, v, where)
	}
	s.addDirty(int64(len(c.argv) - 2))
	c.addInt(int64(listQL(o).Len()))
	s.signalModifiedKey(c.db, unsafeString(c.argv[1]))
	c.notify(NotifyList, pushEvent(where), c.argv[1])
}

// pushEvent and popEvent name the keyspace events of a push or pop at
// where.
func pushEvent(where int) string {
	if where == listHead {
		return "lpush"
	}
	return "rpush"
}

func popEvent(where int) string {
	if where == listHead {
		return "lpop"
	}
	return "rpop"
}

// LPUSH key element [element ...]
func lpushCommand(c *client) { pushGeneric(c, listHead, false) }

// RPUSH key element [element ...]
func rpushCommand(c *client) { pushGeneric(c, listTail, false) }

// LPUSHX key element [element ...]
func lpushxCommand(c *client) { pushGeneric(c, listHead, true) }

// RPUSHX key element [element ...]
func rpushxCommand(c *client) { pushGeneric(c, listTail, true) }

// popGeneric is popGenericCommand: one element as a bulk string, or with
// a count an array (empty for count 0, null for a missing key).
// Propagated as given.
func popGeneric(c *client, where int) {
	if len(c.argv) > 3 {
		c.addErrorArity()
		return
	}
	hasCount := len(c.argv) == 3
	var count int64
	if hasCount {
		var ok bool
		if count, ok = parsePositive(c, c.argv[2], ""); !ok {
			return
		}
	}
	o, ok := c.lookupType(c.argv[1], datatypes.TypeList, true)
	if !ok {
		return
	}
	if o == nil {
		if hasCount {
			c.addNullArray()
		} else {
			c.addNull()
		}
		return
	}
	if hasCount && count == 0 {
		c.addArrayLen(0)
		return
	}
	if !hasCount {
		c.addBulk(listTypePop(o, where))
		c.listElementsRemoved(c.argv[1], o, where, 1)
		return
	}
	c.listPopRange(c.argv[1], o, where, count)
}

// LPOP key [count]
func lpopCommand(c *client) { popGeneric(c, listHead) }

// RPOP key [count]
func rpopCommand(c *client) { popGeneric(c, listTail) }

// LLEN key
func llenCommand(c *client) {
	o, ok := c.lookupType(c.argv[1], datatypes.TypeList, false)
	if !ok {
		return
	}
	if o == nil {
		c.addInt(0)
		return
	}
	c.addInt(int64(listQL(o).Len()))
}

// LINDEX key index
//
// A missing key replies null before the index is parsed, as Redis.
func lindexCommand(c *client) {
	o, ok := c.lookupType(c.argv[1], datatypes.TypeList, false)
	if !ok {
		return
	}
	if o == nil {
		c.addNull()
		return
	}
	idx, ok := parseLong(c, c.argv[2], "")
	if !ok {
		return
	}
	v, ok := listQL(o).Index(int(idx))
	if !ok {
		c.addNull()
		return
	}
	c.addBulk(v)
}

// LSET key index element
func lsetCommand(c *client) {
	s := c.srv
	o, ok := c.lookupType(c.argv[1], datatypes.TypeList, true)
	if !ok {
		return
	}
	if o == nil {
		c.addError(errNoSuchKey)
		return
	}
	idx, ok := parseLong(c, c.argv[2], "")
	if !ok {
		return
	}
	if !listQL(o).ReplaceAt(int(idx), c.argv[3]) {
		c.addErrorString("ERR index out of range")
		return
	}
	c.addOK()
	s.signalModifiedKey(c.db, unsafeString(c.argv[1]))
	c.notify(NotifyList, "lset", c.argv[1])
	s.addDirty(1)
}

// LRANGE key start stop
func lrangeCommand(c *client) {
	start, ok := parseLong(c, c.argv[2], "")
	if !ok {
		return
	}
	end, ok := parseLong(c, c.argv[3], "")
	if !ok {
		return
	}
	o, ok := c.lookupType(c.argv[1], datatypes.TypeList, false)
	if !ok {
		return
	}
	if o == nil {
		c.addArrayLen(0)
		return
	}
	c.addListRange(o, start, end, false)
}

// LTRIM key start stop
func ltrimCommand(c *client) {
	s := c.srv
	start, ok := parseLong(c, c.argv[2], "")
	if !ok {
		return
	}
	end, ok := parseLong(c, c.argv[3], "")
	if !ok {
		return
	}
	o, ok := c.lookupType(c.argv[1], datatypes.TypeList, true)
	if !ok {
		return
	}
	if o == nil {
		c.addOK()
		return
	}
	ql := listQL(o)
	llen := int64(ql.Len())
	if start < 0 {
		start += llen
	}
	if end < 0 {
		end += llen
	}
	if start < 0 {
		start = 0
	}
	var ltrim, rtrim int64
	if start > end || start >= llen {
		ltrim, rtrim = llen, 0
	} else {
		if end >= llen {
			end = llen - 1
		}
		ltrim, rtrim = start, llen-end-1
	}
	ql.DelRange(0, int(ltrim))
	ql.DelRange(int(-rtrim), int(rtrim))
	c.notify(NotifyList, "ltrim", c.argv[1])
	if ql.Len() == 0 {
		s.dbDelete(c.db, c.argv[1])
		c.notify(NotifyGeneric, "del", c.argv[1])
	}
	s.signalModifiedKey(c.db, unsafeString(c.argv[1]))
	s.addDirty(ltrim + rtrim)
	c.addOK()
}

// LREM key count element
//
// count > 0 removes from the head, count < 0 from the tail, 0 removes
// every match.
func lremCommand(c *client) {
	s := c.srv
	toRemove, ok := parseLong(c, c.argv[2], "")
	if !ok {
		return
	}
	o, ok := c.lookupType(c.argv[1], datatypes.TypeList, true)
	if !ok {
		return
	}
	if o == nil {
		c.addInt(0)
		return
	}
	fromTail := toRemove < 0
	if fromTail {
		toRemove = -toRemove // -MinInt64 stays negative: no limit, as in C
	}
	elem := c.argv[3]
	var removed int64
	it := listQL(o).Iterator(fromTail)
	for v, ok := it.Next(); ok; v, ok = it.Next() {
		if bytes.Equal(v, elem) {
			it.DeleteCurrent()
			removed++
			if toRemove != 0 && removed == toRemove {
				break
			}
		}
	}
	it.Close()
	s.addDirty(removed)
	if removed > 0 {
		s.signalModifiedKey(c.db, unsafeString(c.argv[1]))
		c.notify(NotifyList, "lrem", c.argv[1])
	}
	if listQL(o).Len() == 0 {
		s.dbDelete(c.db, c.argv[1])
		c.notify(NotifyGeneric, "del", c.argv[1])
	}
	c.addInt(removed)
}

// LINSERT key BEFORE|AFTER pivot element
//
// Replies the new length, -1 when the pivot is not found, 0 for a missing
// key.
func linsertCommand(c *client) {
	s := c.srv
	var after bool
	switch strings.ToLower(unsafeString(c.argv[2])) {
	case "after":
		after = true
	case "before":
	default:
		c.addError(errSyntax)
		return
	}
	o, ok := c.lookupType(c.argv[1], datatypes.TypeList, true)
	if !ok {
		return
	}
	if o == nil {
		c.addInt(0)
		return
	}
	ql := listQL(o)
	pivot := -1
	it := ql.Iterator(false)
	i := 0
	for v, ok := it.Next(); ok; v, ok = it.Next() {
		if bytes.Equal(v, c.argv[3]) {
			pivot = i
			break
		}
		i++
	}
	it.Close()
	if pivot < 0 {
		c.addInt(-1)
		return
	}
	if after {
		ql.InsertAfter(pivot, c.argv[4])
	} else {
		ql.InsertBefore(pivot, c.argv[4])
	}
	s.signalModifiedKey(c.db, unsafeString(c.argv[1]))
	c.notify(NotifyList, "linsert", c.argv[1])
	s.addDirty(1)
	c.addInt(int64(ql.Len()))
}

// LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
//
// RANK takes any integer but 0 (negative searches from the tail; Redis
// 7.0 negates it in a C long, so math.MinInt64 stays negative and matches
// the first hit); COUNT 0 means all matches; MAXLEN 0 means no limit.
func lposCommand(c *client) {
	rank, count, maxlen := int64(1), int64(-1), int64(0)
	for j := 3; j < len(c.argv); j++ {
		opt := strings.ToLower(unsafeString(c.argv[j]))
		more := j < len(c.argv)-1
		var ok bool
		switch {
		case opt == "rank" && more:
			j++
			if rank, ok = parseLong(c, c.argv[j], ""); !ok {
				return
			}
			if rank == 0 {
				c.addErrorString("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list")
				return
			}
		case opt == "count" && more:
			j++
			if count, ok = parsePositive(c, c.argv[j], "ERR COUNT can't be negative"); !ok {
				return
			}
		case opt == "maxlen" && more:
			j++
			if maxlen, ok = parsePositive(c, c.argv[j], "ERR MAXLEN can't be negative"); !ok {
				return
			}
		default:
			c.addError(errSyntax)
			return
		}
	}
	fromTail := false
	if rank < 0 {
		rank = -rank
		fromTail = true
	}
	o, ok := c.lookupType(c.argv[1], datatypes.TypeList, false)
	if !ok {
		return
	}
	if o == nil {
		if count != -1 {
			c.addArrayLen(0)
		} else {
			c.addNull()
		}
		return
	}
	ql := listQL(o)
	llen := int64(ql.Len())
	var index, matches int64
	matchIndex := int64(-1)
	var found []int64
	it := ql.Iterator(fromTail)
	for v, ok := it.Next(); ok && (maxlen == 0 || index < maxlen); v, ok = it.Next() {
		if bytes.Equal(v, c.argv[2]) {
			matches++
			matchIndex = index
			if fromTail {
				matchIndex = llen - index - 1
			}
			if matches >= rank {
				if count == -1 {
					break
				}
				found = append(found, matchIndex)
				if count != 0 && matches-rank+1 >= count {
					break
				}
			}
		}
		index++
		matchIndex = -1
	}
	it.Close()
	if count != -1 {
		c.addArrayLen(len(found))
		for _, i := range found {
			c.addInt(i)
		}
		return
	}
	if matchIndex == -1 {
		c.addNull()
		return
	}
	c.addInt(matchIndex)
}

// lmoveGeneric is lmoveGenericCommand: pop from source's wherefrom end,
// push onto destination's whereto end (the same list rotates), reply the
// element. Propagated as given (LMOVE and RPOPLPUSH stay themselves).
func lmoveGeneric(c *client, wherefrom, whereto int) {
	s := c.srv
	src, ok := c.lookupType(c.argv[1], datatypes.TypeList, true)
	if !ok {
		return
	}
	if src == nil {
		c.addNull()
		return
	}
	dst, ok := c.lookupType(c.argv[2], datatypes.TypeList, true)
	if !ok {
		return
	}
	v := listTypePop(src, wherefrom)
	if dst == nil {
		dst = s.listTypeCreate()
		s.dbAdd(c.db, c.argv[2], dst)
	}
	s.signalModifiedKey(c.db, unsafeString(c.argv[2]))
	listTypePush(dst, v, whereto)
	c.notify(NotifyList, pushEvent(whereto), c.argv[2])
	c.addBulk(v)
	c.notify(NotifyList, popEvent(wherefrom), c.argv[1])
	if listQL(src).Len() == 0 {
		s.dbDelete(c.db, c.argv[1])
		c.notify(NotifyGeneric, "del", c.argv[1])
	}
	s.signalModifiedKey(c.db, unsafeString(c.argv[1]))
	s.addDirty(1)
}

// LMOVE source destination LEFT|RIGHT LEFT|RIGHT
func lmoveCommand(c *client) {
	from, ok := parseListPosition(c, c.argv[3])
	if !ok {
		return
	}
	to, ok := parseListPosition(c, c.argv[4])
	if !ok {
		return
	}
	lmoveGeneric(c, from, to)
}

// RPOPLPUSH source destination
func rpoplpushCommand(c *client) { lmoveGeneric(c, listTail, listHead) }

// LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]
//
// Pops from the first non-empty list; replies [key, elements] or a null
// array. Propagated as LPOP/RPOP key count, with the count actually
// popped, as Redis 7.0 rewrites it.
func lmpopCommand(c *client) { lmpopGeneric(c, 1, false) }

// lmpopGeneric is lmpopGenericCommand: argv[numkeysIdx] is numkeys, keys
// follow, then LEFT|RIGHT and COUNT; block makes it BLMPOP.
func lmpopGeneric(c *client, numkeysIdx int, block bool) {
	const errNumkeys = "ERR numkeys should be greater than 0"
	numkeys, ok := parseLong(c, c.argv[numkeysIdx], errNumkeys)
	if !ok {
		return
	}
	if numkeys < 1 {
		c.addErrorString(errNumkeys)
		return
	}
	whereIdx := int64(numkeysIdx) + 1 + numkeys
	if whereIdx >= int64(len(c.argv)) || whereIdx < 0 {
		c.addError(errSyntax)
		return
	}
	where, ok := parseListPosition(c, c.argv[whereIdx])
	if !ok {
		return
	}
	count := int64(-1)
	for j := int(whereIdx) + 1; j < len(c.argv); j++ {
		if count == -1 && strings.EqualFold(unsafeString(c.argv[j]), "count") && j < len(c.argv)-1 {
			j++
			const errCount = "ERR count should be greater than 0"
			if count, ok = parseLong(c, c.argv[j], errCount); !ok {
				return
			}
			if count < 1 {
				c.addErrorString(errCount)
				return
			}
			continue
		}
		c.addError(errSyntax)
		return
	}
	if count == -1 {
		count = 1
	}
	keys := c.argv[numkeysIdx+1 : whereIdx]
	if block {
		blockingPopGeneric(c, keys, where, 1, count)
		return
	}
	for _, key := range keys {
		o, ok := c.lookupType(key, datatypes.TypeList, true)
		if !ok {
			return
		}
		if o == nil || listQL(o).Len() == 0 {
			continue
		}
		c.addArrayLen(2)
		c.addBulk(key)
		k := copyBytes(key)
		n := c.listPopRange(key, o, where, count)
		cmd := "LPOP"
		if where == listTail {
			cmd = "RPOP"
		}
		c.alsoPropagate(c.db.ID, []byte(cmd), k, []byte(strconv.FormatInt(n, 10)))
		return
	}
	c.addNullArray()
}

// --- blocking commands -----------------------------------------------------

// blockingPopGeneric is blockingPopGenericCommand: the timeout (at
// argv[timeoutIdx]) is parsed first; the first non-empty list among keys
// is popped like LPOP/RPOP (count < 0: one element, replied [key, value];
// otherwise [key, elements] as LMPOP) and propagated in that form;
// otherwise the client blocks (blocking.go) and runs this again when a key
// gets elements. A timeout replies a null array.
func blockingPopGeneric(c *client, keys [][]byte, where int, timeoutIdx int, count int64) {
	timeout, ok := c.blockTimeout(c.argv[timeoutIdx])
	if !ok {
		return
	}
	for _, key := range keys {
		o, ok := c.lookupType(key, datatypes.TypeList, true)
		if !ok {
			return
		}
		if o == nil || listQL(o).Len() == 0 {
			continue
		}
		cmd := "LPOP"
		if where == listTail {
			cmd = "RPOP"
		}
		k := copyBytes(key)
		if count >= 0 {
			c.addArrayLen(2)
			c.addBulk(key)
			n := c.listPopRange(key, o, where, count)
			c.alsoPropagate(c.db.ID, []byte(cmd), k, []byte(strconv.FormatInt(n, 10)))
			return
		}
		c.addArrayLen(2)
		c.addBulk(key)
		c.addBulk(listTypePop(o, where))
		c.listElementsRemoved(key, o, where, 1)
		c.alsoPropagate(c.db.ID, []byte(cmd), k)
		return
	}
	c.blockForKeys(keys, datatypes.TypeList, timeout, (*client).addNullArray)
}

// BLPOP key [key ...] timeout
func blpopCommand(c *client) {
	blockingPopGeneric(c, c.argv[1:len(c.argv)-1], listHead, len(c.argv)-1, -1)
}

// BRPOP key [key ...] timeout
func brpopCommand(c *client) {
	blockingPopGeneric(c, c.argv[1:len(c.argv)-1], listTail, len(c.argv)-1, -1)
}

// BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]
func blmpopCommand(c *client) { lmpopGeneric(c, 2, true) }

// blmoveGeneric is blmoveGenericCommand: LMOVE when the source has
// elements (propagated as LMOVE or RPOPLPUSH with the arguments given),
// otherwise block on the source. A timeout replies a null array, as 7.0.
func blmoveGeneric(c *client, wherefrom, whereto int, timeout time.Duration) {
	src, ok := c.lookupType(c.argv[1], datatypes.TypeList, true)
	if !ok {
		return
	}
	if src == nil {
		if c.flags&flagDenyBlocking != 0 { // inside EXEC, Redis answers a null bulk here
			c.addNull()
			return
		}
		c.blockForKeys(c.argv[1:2], datatypes.TypeList, timeout, (*client).addNullArray)
		return
	}
	lmoveGeneric(c, wherefrom, whereto)
	if c.errored {
		return
	}
	if c.cmd.Name == "brpoplpush" {
		c.alsoPropagate(c.db.ID, []byte("RPOPLPUSH"), copyBytes(c.argv[1]), copyBytes(c.argv[2]))
	} else {
		c.alsoPropagate(c.db.ID, []byte("LMOVE"), copyBytes(c.argv[1]), copyBytes(c.argv[2]), copyBytes(c.argv[3]), copyBytes(c.argv[4]))
	}
}

// BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout
func blmoveCommand(c *client) {
	from, ok := parseListPosition(c, c.argv[3])
	if !ok {
		return
	}
	to, ok := parseListPosition(c, c.argv[4])
	if !ok {
		return
	}
	timeout, ok := c.blockTimeout(c.argv[5])
	if !ok {
		return
	}
	blmoveGeneric(c, from, to, timeout)
}

// BRPOPLPUSH source destination timeout
func brpoplpushCommand(c *client) {
	timeout, ok := c.blockTimeout(c.argv[3])
	if !ok {
		return
	}
	blmoveGeneric(c, listTail, listHead, timeout)
}
