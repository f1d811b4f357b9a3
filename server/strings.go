package server

import (
	"errors"
	"math"
	"math/big"
	"slices"
	"strconv"

	"ferrite/datatypes"
)

// String commands, as Redis 7.0's t_string.c: GET/SET and their variants,
// counters, ranges and LCS.
//
// Encodings follow Redis: values written whole (SET, MSET, GETSET, SETNX,
// SETEX, APPEND to a missing key) get tryObjectEncoding (int, embstr or
// raw); APPEND and SETRANGE modify a private raw buffer in place; counters
// are always int; INCRBYFLOAT stores its formatted result as embstr/raw.
//
// Propagation: commands whose effect depends on the clock or on float
// formatting are propagated in a deterministic form (SET .. PXAT, PEXPIREAT,
// SET .. KEEPTTL, DEL, PERSIST) exactly as Redis rewrites them.

var stringCommands = map[string]cmdProc{
	"get":         getCommand,
	"set":         setCommand,
	"setnx":       setnxCommand,
	"setex":       setexCommand,
	"psetex":      psetexCommand,
	"getset":      getsetCommand,
	"getdel":      getdelCommand,
	"getex":       getexCommand,
	"mget":        mgetCommand,
	"mset":        msetCommand,
	"msetnx":      msetnxCommand,
	"append":      appendCommand,
	"strlen":      strlenCommand,
	"getrange":    getrangeCommand,
	"substr":      getrangeCommand,
	"setrange":    setrangeCommand,
	"incr":        incrCommand,
	"decr":        decrCommand,
	"incrby":      incrbyCommand,
	"decrby":      decrbyCommand,
	"incrbyfloat": incrbyfloatCommand,
	"lcs":         lcsCommand,
}

var (
	errIncrFloatNaN  = errors.New("ERR increment would produce NaN or Infinity")
	errDecrOverflow  = errors.New("ERR decrement would overflow")
	errOffsetRange   = errors.New("ERR offset is out of range")
	errLCSNotString  = errors.New("ERR The specified keys must contain string values")
	errLCSLenAndIdx  = errors.New("ERR If you want both the length and indexes, please just use IDX.")
	errLCSTooLong    = errors.New("ERR String too long for LCS")
	errLCSMemoryBulk = errors.New("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len")
)

// Flags of SET and GETEX options (Redis's OBJ_SET_* / OBJ_EX ...).
const (
	strNX = 1 << iota
	strXX
	strGet
	strKeepTTL
	strPersist
	strEX
	strPX
	strEXAT
	strPXAT
)

const strExpireFlags = strEX | strPX | strEXAT | strPXAT

// argIsASCII compares an argument with a lower-case option name, ASCII
// case-insensitively as Redis's strcasecmp (no Unicode folding).
func argIsASCII(arg []byte, name string) bool {
	if len(arg) != len(name) {
		return false
	}
	for i := range arg {
		c := arg[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != name[i] {
			return false
		}
	}
	return true
}

// parseStringOptions parses the options of SET (forSet) or GETEX from
// c.argv[start:], as Redis's parseExtendedStringArgumentsOrReply: each
// option may repeat, conflicting ones are a syntax error, and an expire
// option takes the next argument. It replies on error.
func (c *client) parseStringOptions(start int, forSet bool) (flags int, expire []byte, ok bool) {
	argv := c.argv
	for j := start; j < len(argv); j++ {
		opt := argv[j]
		hasNext := j+1 < len(argv)
		expireOpt := 0
		switch {
		case forSet && argIsASCII(opt, "nx") && flags&strXX == 0:
			flags |= strNX
		case forSet && argIsASCII(opt, "xx") && flags&strNX == 0:
			flags |= strXX
		case forSet && argIsASCII(opt, "get"):
			flags |= strGet
		case forSet && argIsASCII(opt, "keepttl") && flags&(strPersist|strExpireFlags) == 0:
			flags |= strKeepTTL
		case !forSet && argIsASCII(opt, "persist") && flags&(strKeepTTL|strExpireFlags) == 0:
			flags |= strPersist
		case argIsASCII(opt, "ex"):
			expireOpt = strEX
		case argIsASCII(opt, "px"):
			expireOpt = strPX
		case argIsASCII(opt, "exat"):
			expireOpt = strEXAT
		case argIsASCII(opt, "pxat"):
			expireOpt = strPXAT
		default:
			c.addError(errSyntax)
			return 0, nil, false
		}
		if expireOpt != 0 {
			// The same expire option may repeat (the last wins); another
			// one, KEEPTTL or PERSIST conflicts, and the value must follow.
			if !hasNext || flags&(strKeepTTL|strPersist|(strExpireFlags&^expireOpt)) != 0 {
				c.addError(errSyntax)
				return 0, nil, false
			}
			flags |= expireOpt
			expire = argv[j+1]
			j++
		}
	}
	return flags, expire, true
}

// expireMillis turns an EX/PX/EXAT/PXAT argument into an absolute Unix
// time in ms, as Redis's getExpireMillisecondsOrReply: non-positive values
// and overflow are invalid. It replies on error.
func (c *client) expireMillis(arg []byte, flags int) (int64, bool) {
	ms, ok := datatypes.ParseInt(arg)
	if !ok {
		c.addError(errNotInt)
		return 0, false
	}
	seconds := flags&(strEX|strEXAT) != 0
	if ms <= 0 || (seconds && ms > math.MaxInt64/1000) {
		c.addErrorExpireTime()
		return 0, false
	}
	if seconds {
		ms *= 1000
	}
	if flags&(strEX|strPX) != 0 {
		ms += c.srv.mstime() // may wrap negative: caught below, as in Redis
	}
	if ms <= 0 {
		c.addErrorExpireTime()
		return 0, false
	}
	return ms, true
}

func (c *client) addErrorExpireTime() {
	c.addErrorString("ERR invalid expire time in '" + c.cmd.FullName + "' command")
}

// getGeneric replies with the string at key (or null) and reports false
// after replying WRONGTYPE, as Redis's getGenericCommand.
func getGeneric(c *client, key []byte) bool {
	o, ok := c.lookupType(key, datatypes.TypeString, false)
	if !ok {
		return false
	}
	if o == nil {
		c.addNull()
	} else {
		c.addObject(o)
	}
	return true
}

// GET key
func getCommand(c *client) { getGeneric(c, c.argv[1]) }

// setGeneric is Redis's setGenericCommand. expire (when flags hold an
// expire option) is validated first; with GET the old value is the reply;
// NX/XX failing replies null (SETNX: 0). A set with an expire propagates as
// SET key value PXAT <ms>; SET with GET propagates without GET.
func setGeneric(c *client, flags int, key, val, expire []byte, intReply bool) {
	s := c.srv
	hasExpire := flags&strExpireFlags != 0
	var when int64
	if hasExpire {
		var ok bool
		if when, ok = c.expireMillis(expire, flags); !ok {
			return
		}
	}
	if flags&strGet != 0 && !getGeneric(c, key) {
		return
	}
	old := s.lookupKeyWrite(c.db, key)
	found := old != nil
	if (flags&strNX != 0 && found) || (flags&strXX != 0 && !found) {
		if flags&strGet == 0 {
			if intReply {
				c.addInt(0)
			} else {
				c.addNull()
			}
		}
		return
	}
	s.setStringKey(c.db, key, val, old, flags&strKeepTTL != 0)
	s.addDirty(1)
	c.notify(NotifyString, "set", key)
	if hasExpire {
		c.db.SetExpire(unsafeString(key), when)
		c.notify(NotifyGeneric, "expire", key)
		c.alsoPropagate(c.db.ID, cloneArgs([]byte("SET"), key, val, []byte("PXAT"), strconv.AppendInt(nil, when, 10))...)
	}
	if flags&strGet == 0 {
		if intReply {
			c.addInt(1)
		} else {
			c.addOK()
		}
	}
	if flags&strGet != 0 && !hasExpire {
		argv := make([][]byte, 0, len(c.argv))
		for j, a := range c.argv {
			if j >= 3 && argIsASCII(a, "get") {
				continue
			}
			argv = append(argv, copyBytes(a))
		}
		c.alsoPropagate(c.db.ID, argv...)
	}
}

// SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]
func setCommand(c *client) {
	flags, expire, ok := c.parseStringOptions(3, true)
	if !ok {
		return
	}
	setGeneric(c, flags, c.argv[1], c.argv[2], expire, false)
}

// SETNX key value
func setnxCommand(c *client) { setGeneric(c, strNX, c.argv[1], c.argv[2], nil, true) }

// SETEX key seconds value
func setexCommand(c *client) { setGeneric(c, strEX, c.argv[1], c.argv[3], c.argv[2], false) }

// PSETEX key milliseconds value
func psetexCommand(c *client) { setGeneric(c, strPX, c.argv[1], c.argv[3], c.argv[2], false) }

// GETSET key value
func getsetCommand(c *client) {
	key, val := c.argv[1], c.argv[2]
	if !getGeneric(c, key) {
		return
	}
	c.srv.setKey(c.db, key, datatypes.NewString(val), false)
	c.notify(NotifyString, "set", key)
	c.srv.addDirty(1)
	c.alsoPropagate(c.db.ID, cloneArgs([]byte("SET"), key, val)...)
}

// GETDEL key
func getdelCommand(c *client) {
	key := c.argv[1]
	if !getGeneric(c, key) {
		return
	}
	if c.srv.dbDelete(c.db, key) {
		c.notify(NotifyGeneric, "del", key)
		c.srv.addDirty(1)
		c.alsoPropagate(c.db.ID, cloneArgs([]byte("DEL"), key)...)
	}
}

// GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | PERSIST]
//
// GETEX never propagates as itself: a new expire goes out as PEXPIREAT, an
// absolute time already past deletes the key (DEL), PERSIST as PERSIST.
func getexCommand(c *client) {
	s := c.srv
	key := c.argv[1]
	flags, expire, ok := c.parseStringOptions(2, false)
	if !ok {
		return
	}
	o, ok := c.lookupType(key, datatypes.TypeString, false)
	if !ok {
		return
	}
	if o == nil {
		c.addNull()
		return
	}
	hasExpire := flags&strExpireFlags != 0
	var when int64
	if hasExpire {
		if when, ok = c.expireMillis(expire, flags); !ok {
			return
		}
	}
	c.addObject(o)
	switch {
	case flags&(strEXAT|strPXAT) != 0 && when <= s.mstime():
		s.dbDelete(c.db, key)
		c.notify(NotifyGeneric, "del", key)
		s.addDirty(1)
		c.alsoPropagate(c.db.ID, cloneArgs([]byte("DEL"), key)...)
	case hasExpire:
		c.db.SetExpire(unsafeString(key), when)
		s.signalModifiedKey(c.db, unsafeString(key))
		c.notify(NotifyGeneric, "expire", key)
		s.addDirty(1)
		c.alsoPropagate(c.db.ID, cloneArgs([]byte("PEXPIREAT"), key, strconv.AppendInt(nil, when, 10))...)
	case flags&strPersist != 0:
		if c.db.Persist(unsafeString(key)) {
			s.signalModifiedKey(c.db, unsafeString(key))
			c.notify(NotifyGeneric, "persist", key)
			s.addDirty(1)
			c.alsoPropagate(c.db.ID, cloneArgs([]byte("PERSIST"), key)...)
		}
	}
}

// MGET key [key ...]
func mgetCommand(c *client) {
	c.addArrayLen(len(c.argv) - 1)
	for _, key := range c.argv[1:] {
		o := c.srv.lookupKeyRead(c.db, key)
		if o == nil || o.Type != datatypes.TypeString {
			c.addNull()
		} else {
			c.addObject(o)
		}
	}
}

// msetGeneric is MSET and MSETNX: MSETNX sets nothing if any key exists.
func msetGeneric(c *client, nx bool) {
	if len(c.argv)%2 == 0 {
		c.addErrorArity()
		return
	}
	s := c.srv
	if nx {
		for j := 1; j < len(c.argv); j += 2 {
			if s.lookupKeyWrite(c.db, c.argv[j]) != nil {
				c.addInt(0)
				return
			}
		}
	}
	for j := 1; j < len(c.argv); j += 2 {
		s.setStringKey(c.db, c.argv[j], c.argv[j+1], s.lookupKeyWrite(c.db, c.argv[j]), false)
		c.notify(NotifyString, "set", c.argv[j])
	}
	s.addDirty(int64(len(c.argv)-1) / 2)
	if nx {
		c.addInt(1)
	} else {
		c.addOK()
	}
}

// MSET key value [key value ...]
func msetCommand(c *client) { msetGeneric(c, false) }

// MSETNX key value [key value ...]
func msetnxCommand(c *client) { msetGeneric(c, true) }

// checkStringLength refuses a string that would grow past
// proto-max-bulk-len (size+add, overflow included).
func (c *client) checkStringLength(size, add int64) bool {
	total := int64(uint64(size) + uint64(add))
	if total > c.srv.cfg.ProtoMaxBulkLen || total < size || total < add {
		c.addError(errStringLimit)
		return false
	}
	return true
}

// APPEND key value
//
// Appending makes the value raw and grows its buffer in place, so a
// sequence of APPENDs costs amortized O(appended bytes).
func appendCommand(c *client) {
	s := c.srv
	key, val := c.argv[1], c.argv[2]
	o, ok := c.lookupType(key, datatypes.TypeString, true)
	if !ok {
		return
	}
	var total int
	if o == nil {
		o = datatypes.NewString(val)
		s.dbAdd(c.db, key, o)
		total = len(val)
	} else {
		if !c.checkStringLength(int64(o.StringLen()), int64(len(val))) {
			return
		}
		b := append(o.Unshare(), val...)
		o.SetRaw(b)
		total = len(b)
		s.signalModifiedKey(c.db, unsafeString(key))
	}
	c.notify(NotifyString, "append", key)
	s.addDirty(1)
	c.addInt(int64(total))
}

// STRLEN key
func strlenCommand(c *client) {
	o, ok := c.lookupType(c.argv[1], datatypes.TypeString, false)
	if !ok {
		return
	}
	if o == nil {
		c.addInt(0)
		return
	}
	c.addInt(int64(o.StringLen()))
}

// GETRANGE key start end
// SUBSTR key start end
func getrangeCommand(c *client) {
	start, ok1 := datatypes.ParseInt(c.argv[2])
	end, ok2 := datatypes.ParseInt(c.argv[3])
	if !ok1 || !ok2 {
		c.addError(errNotInt)
		return
	}
	o, ok := c.lookupType(c.argv[1], datatypes.TypeString, false)
	if !ok {
		return
	}
	if o == nil {
		c.addBulk(nil)
		return
	}
	var tmp [20]byte
	var str []byte
	if o.Enc == datatypes.EncInt {
		str = strconv.AppendInt(tmp[:0], o.Int(), 10)
	} else {
		str = o.Str()
	}
	n := int64(len(str))
	if start < 0 && end < 0 && start > end {
		c.addBulk(nil)
		return
	}
	if start < 0 {
		start += n
	}
	if end < 0 {
		end += n
	}
	start = max(start, 0)
	end = max(end, 0)
	if end >= n {
		end = n - 1
	}
	if start > end || n == 0 {
		c.addBulk(nil)
		return
	}
	c.addBulk(str[start : end+1])
}

// SETRANGE key offset value
func setrangeCommand(c *client) {
	s := c.srv
	key, val := c.argv[1], c.argv[3]
	offset, ok := datatypes.ParseInt(c.argv[2])
	if !ok {
		c.addError(errNotInt)
		return
	}
	if offset < 0 {
		c.addError(errOffsetRange)
		return
	}
	o, ok := c.lookupType(key, datatypes.TypeString, true)
	if !ok {
		return
	}
	if o == nil {
		// Setting nothing on a missing key creates nothing.
		if len(val) == 0 {
			c.addInt(0)
			return
		}
		if !c.checkStringLength(offset, int64(len(val))) {
			return
		}
		o = datatypes.NewRawString(make([]byte, 0, offset+int64(len(val))))
		s.dbAdd(c.db, key, o)
	} else {
		if len(val) == 0 {
			c.addInt(int64(o.StringLen()))
			return
		}
		if !c.checkStringLength(offset, int64(len(val))) {
			return
		}
	}
	b := o.Unshare()
	if need := int(offset) + len(val); need > len(b) {
		old := len(b)
		b = slices.Grow(b, need-old)[:need]
		clear(b[old:]) // the gap reads as zero bytes
	}
	copy(b[offset:], val)
	o.SetRaw(b)
	s.signalModifiedKey(c.db, unsafeString(key))
	c.notify(NotifyString, "setrange", key)
	s.addDirty(1)
	c.addInt(int64(len(b)))
}

// incrDecr is INCR, DECR, INCRBY and DECRBY: add incr to the integer at
// key (0 if missing), keeping its TTL. The result is always int-encoded.
func incrDecr(c *client, incr int64) {
	s := c.srv
	key := c.argv[1]
	o, ok := c.lookupType(key, datatypes.TypeString, true)
	if !ok {
		return
	}
	var value int64
	if o != nil {
		if o.Enc == datatypes.EncInt {
			value = o.Int()
		} else if value, ok = datatypes.ParseInt(o.Str()); !ok {
			c.addError(errNotInt)
			return
		}
	}
	if (incr < 0 && value < 0 && incr < math.MinInt64-value) ||
		(incr > 0 && value > 0 && incr > math.MaxInt64-value) {
		c.addError(errOverflow)
		return
	}
	value += incr
	switch {
	case o != nil && o.Enc == datatypes.EncInt:
		o.SetInt(value)
		s.signalModifiedKey(c.db, unsafeString(key))
	case o != nil:
		s.setKey(c.db, key, datatypes.NewInt(value), true)
	default:
		s.dbAdd(c.db, key, datatypes.NewInt(value))
	}
	c.notify(NotifyString, "incrby", key)
	s.addDirty(1)
	c.addInt(value)
}

// INCR key
func incrCommand(c *client) { incrDecr(c, 1) }

// DECR key
func decrCommand(c *client) { incrDecr(c, -1) }

// INCRBY key increment
func incrbyCommand(c *client) {
	incr, ok := datatypes.ParseInt(c.argv[2])
	if !ok {
		c.addError(errNotInt)
		return
	}
	incrDecr(c, incr)
}

// DECRBY key decrement
func decrbyCommand(c *client) {
	decr, ok := datatypes.ParseInt(c.argv[2])
	if !ok {
		c.addError(errNotInt)
		return
	}
	if decr == math.MinInt64 { // its negation does not exist
		c.addError(errDecrOverflow)
		return
	}
	incrDecr(c, -decr)
}

// INCRBYFLOAT key increment
//
// The arithmetic is Redis's long double (see datatypes.ParseLongDouble);
// the result is stored as its formatted text, keeping the TTL, and
// propagated as SET key <result> KEEPTTL so replicas and the AOF never
// redo float arithmetic.
func incrbyfloatCommand(c *client) {
	s := c.srv
	key := c.argv[1]
	o, ok := c.lookupType(key, datatypes.TypeString, true)
	if !ok {
		return
	}
	var value *big.Float
	switch {
	case o == nil:
		value = datatypes.LongDoubleFromInt(0)
	case o.Enc == datatypes.EncInt:
		value = datatypes.LongDoubleFromInt(o.Int())
	default:
		if value, ok = datatypes.ParseLongDouble(o.Str()); !ok {
			c.addError(errNotFloat)
			return
		}
	}
	incr, ok := datatypes.ParseLongDouble(c.argv[2])
	if !ok {
		c.addError(errNotFloat)
		return
	}
	sum, ok := datatypes.AddLongDouble(value, incr)
	if !ok {
		c.addError(errIncrFloatNaN)
		return
	}
	text := datatypes.AppendLongDoubleHuman(nil, sum)
	if o != nil {
		s.setKey(c.db, key, datatypes.NewPlainString(text), true)
	} else {
		s.dbAdd(c.db, key, datatypes.NewPlainString(text))
	}
	c.notify(NotifyString, "incrbyfloat", key)
	s.addDirty(1)
	c.addBulk(text)
	c.alsoPropagate(c.db.ID, cloneArgs([]byte("SET"), key, text, []byte("KEEPTTL"))...)
}

// stringValue returns the bytes of a string object, "" for nil.
func stringValue(o *datatypes.Object) []byte {
	if o == nil {
		return nil
	}
	return o.StringBytes()
}

// LCS key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN]
func lcsCommand(c *client) {
	s := c.srv
	oa := s.lookupKeyRead(c.db, c.argv[1])
	ob := s.lookupKeyRead(c.db, c.argv[2])
	if (oa != nil && oa.Type != datatypes.TypeString) || (ob != nil && ob.Type != datatypes.TypeString) {
		c.addError(errLCSNotString)
		return
	}
	a, b := stringValue(oa), stringValue(ob)
	var getLen, getIdx, withMatchLen bool
	var minMatchLen int64
	for j := 3; j < len(c.argv); j++ {
		opt := c.argv[j]
		switch {
		case argIsASCII(opt, "idx"):
			getIdx = true
		case argIsASCII(opt, "len"):
			getLen = true
		case argIsASCII(opt, "withmatchlen"):
			withMatchLen = true
		case argIsASCII(opt, "minmatchlen") && j+1 < len(c.argv):
			n, ok := datatypes.ParseInt(c.argv[j+1])
			if !ok {
				c.addError(errNotInt)
				return
			}
			minMatchLen = max(n, 0)
			j++
		default:
			c.addError(errSyntax)
			return
		}
	}
	if getIdx && getLen {
		c.addError(errLCSLenAndIdx)
		return
	}
	if uint64(len(a)) >= math.MaxUint32-1 || uint64(len(b)) >= math.MaxUint32-1 {
		c.addError(errLCSTooLong)
		return
	}
	// Redis refuses a table (4 bytes a cell) larger than proto-max-bulk-len;
	// the length alone needs only two rows here, but the limit is the same.
	if cells := uint64(len(a)+1) * uint64(len(b)+1); cells*4 > uint64(s.cfg.ProtoMaxBulkLen) {
		c.addError(errLCSMemoryBulk)
		return
	}
	if getLen {
		c.addInt(int64(datatypes.LCSLen(a, b)))
		return
	}
	str, matches := datatypes.LCS(a, b)
	if !getIdx {
		c.addBulk(str)
		return
	}
	n := 0
	for _, m := range matches {
		if int64(m.Len()) >= minMatchLen {
			n++
		}
	}
	c.addMapLen(2)
	c.addBulkString("matches")
	c.addArrayLen(n)
	for _, m := range matches {
		if int64(m.Len()) < minMatchLen {
			continue
		}
		if withMatchLen {
			c.addArrayLen(3)
		} else {
			c.addArrayLen(2)
		}
		c.addArrayLen(2)
		c.addInt(int64(m.AStart))
		c.addInt(int64(m.AEnd))
		c.addArrayLen(2)
		c.addInt(int64(m.BStart))
		c.addInt(int64(m.BEnd))
		if withMatchLen {
			c.addInt(int64(m.Len()))
		}
	}
	c.addBulkString("len")
	c.addInt(int64(len(str)))
}
