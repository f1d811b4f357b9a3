package server

import (
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"strconv"

	"ferrite/datatypes"
)

// Hash commands, as Redis 7.0's t_hash.c: a type API (hashType*, where the
// encoding conversions happen) and then the commands.
//
// Encodings follow Redis: a hash starts as a listpack of field, value,
// field, value ... and becomes a hash table (Dict[string], field -> value)
// when a field or value longer than hash-max-listpack-value is written, the
// listpack could grow past its safety limit, or it holds more than
// hash-max-listpack-entries fields. It never converts back. Field order in
// a listpack is insertion order, so replies that walk it are deterministic
// and match Redis byte for byte; a hash table's order depends on its seed.

var hashCommands = map[string]cmdProc{
	"hset":         hsetCommand,
	"hmset":        hmsetCommand,
	"hsetnx":       hsetnxCommand,
	"hget":         hgetCommand,
	"hmget":        hmgetCommand,
	"hdel":         hdelCommand,
	"hlen":         hlenCommand,
	"hstrlen":      hstrlenCommand,
	"hexists":      hexistsCommand,
	"hkeys":        hkeysCommand,
	"hvals":        hvalsCommand,
	"hgetall":      hgetallCommand,
	"hincrby":      hincrbyCommand,
	"hincrbyfloat": hincrbyfloatCommand,
	"hrandfield":   hrandfieldCommand,
	"hscan":        hscanCommand,
}

var (
	errHashNotInt       = errors.New("ERR hash value is not an integer")
	errHashNotFloat     = errors.New("ERR hash value is not a float")
	errNaNOrInfinity    = errors.New("ERR value is NaN or Infinity")
	errValueOutOfRange  = errors.New("ERR value is out of range")
	errHrandfieldRange  = errors.New("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")
	emptyScanReplyBytes = "*2\r\n$1\r\n0\r\n*0\r\n"
)

// Redis's HRANDFIELD_SUB_STRATEGY_MUL and HRANDFIELD_RANDOM_SAMPLE_LIMIT.
const (
	hrandfieldSubStrategyMul = 3
	hrandfieldSampleLimit    = 1000
)

// ---- Type API --------------------------------------------------------------

// hashValue is one field's value as a hash stores it: bytes, or an integer
// when a listpack holds it as one (isInt), so replies need not format it.
type hashValue struct {
	s     []byte
	v     int64
	isInt bool
}

func (hv hashValue) bytes() []byte {
	if hv.isInt {
		return strconv.AppendInt(nil, hv.v, 10)
	}
	return hv.s
}

func (hv hashValue) len() int {
	if hv.isInt {
		return len(strconv.AppendInt(make([]byte, 0, 20), hv.v, 10))
	}
	return len(hv.s)
}

func (c *client) addHashValue(hv hashValue) {
	if hv.isInt {
		c.addBulkInt(hv.v)
	} else {
		c.addBulk(hv.s)
	}
}

func lpHashValue(lp datatypes.Listpack, p int) hashValue {
	s, v, isInt := lp.Get(p)
	return hashValue{s, v, isInt}
}

func hashListpack(o *datatypes.Object) datatypes.Listpack  { return o.Listpack() }
func hashDict(o *datatypes.Object) *datatypes.Dict[string] { return o.HashDict() }

// newHashObject is createHashObject: an empty listpack-encoded hash.
func newHashObject() *datatypes.Object {
	lp := datatypes.NewListpack()
	return datatypes.NewObject(datatypes.TypeHash, datatypes.EncListpack, &lp)
}

// hashLen is hashTypeLength.
func hashLen(o *datatypes.Object) int {
	if o.Enc == datatypes.EncListpack {
		return hashListpack(o).Len() / 2
	}
	return hashDict(o).Len()
}

// lpHashFind returns the position of field's value in a listpack hash, or -1.
func lpHashFind(lp datatypes.Listpack, field []byte) int {
	first := lp.First()
	if first < 0 {
		return -1
	}
	p := lp.Find(first, field, 1)
	if p < 0 {
		return -1
	}
	return lp.Next(p)
}

// hashGet is hashTypeGetValue. Returned bytes may alias the hash: use them
// before changing it.
func hashGet(o *datatypes.Object, field []byte) (hashValue, bool) {
	if o.Enc == datatypes.EncListpack {
		lp := hashListpack(o)
		p := lpHashFind(lp, field)
		if p < 0 {
			return hashValue{}, false
		}
		return lpHashValue(lp, p), true
	}
	v, ok := hashDict(o).Get(unsafeString(field))
	if !ok {
		return hashValue{}, false
	}
	return hashValue{s: []byte(v)}, true
}

// hashConvert is hashTypeConvert from listpack to hash table.
func (s *Server) hashConvert(o *datatypes.Object) {
	if o.Enc != datatypes.EncListpack {
		return
	}
	lp := hashListpack(o)
	d := datatypes.NewDict[string](s.seed)
	var fbuf, vbuf []byte
	for p := lp.First(); p >= 0; {
		f := lp.GetBytes(p, fbuf[:0])
		p = lp.Next(p)
		v := lp.GetBytes(p, vbuf[:0])
		p = lp.Next(p)
		d.Set(string(f), string(v))
	}
	o.Enc = datatypes.EncHT
	o.SetVal(d)
}

// hashTryConversion is hashTypeTryConversion: before writing args into a
// listpack hash, convert it if any of them is too long for a listpack
// entry or the listpack could not safely grow by all of them.
func (s *Server) hashTryConversion(o *datatypes.Object, args [][]byte) {
	if o.Enc != datatypes.EncListpack {
		return
	}
	sum := 0
	for _, a := range args {
		if int64(len(a)) > s.cfg.HashMaxListpackValue {
			s.hashConvert(o)
			return
		}
		sum += len(a)
	}
	if !datatypes.ListpackSafeToAdd(hashListpack(o), sum) {
		s.hashConvert(o)
	}
}

// hashSet is hashTypeSet: it reports whether the field was updated (true)
// or added (false). As Redis, a field or value too long for a listpack
// converts first (HINCRBY* do not call hashTryConversion), and a listpack
// that ends up with too many fields converts after the write.
func (s *Server) hashSet(o *datatypes.Object, field, value []byte) (update bool) {
	if o.Enc == datatypes.EncListpack {
		max := s.cfg.HashMaxListpackValue
		if int64(len(field)) > max || int64(len(value)) > max {
			s.hashConvert(o)
		}
	}
	if o.Enc == datatypes.EncListpack {
		lp := hashListpack(o)
		if p := lpHashFind(lp, field); p >= 0 {
			lp.Replace(p, value)
			update = true
		} else {
			lp.Append(field)
			lp.Append(value)
		}
		o.SetListpack(lp)
		if int64(hashLen(o)) > s.cfg.HashMaxListpackEntries {
			s.hashConvert(o)
		}
		return update
	}
	return !hashDict(o).Upsert(unsafeString(field), string(value))
}

// hashDelete is hashTypeDelete; a hash table may shrink afterwards.
func hashDelete(o *datatypes.Object, field []byte) bool {
	if o.Enc == datatypes.EncListpack {
		lp := hashListpack(o)
		first := lp.First()
		if first < 0 {
			return false
		}
		p := lp.Find(first, field, 1)
		if p < 0 {
			return false
		}
		p = lp.Delete(p)
		lp.Delete(p)
		o.SetListpack(lp)
		return true
	}
	d := hashDict(o)
	if _, ok := d.Delete(unsafeString(field)); !ok {
		return false
	}
	d.ShrinkIfNeeded()
	return true
}

// hashRange calls fn for every field and value in the hash's order until
// fn returns false. The values may alias the hash.
func hashRange(o *datatypes.Object, fn func(field, value hashValue) bool) {
	if o.Enc == datatypes.EncListpack {
		lp := hashListpack(o)
		for p := lp.First(); p >= 0; {
			f := lpHashValue(lp, p)
			p = lp.Next(p)
			v := lpHashValue(lp, p)
			p = lp.Next(p)
			if !fn(f, v) {
				return
			}
		}
		return
	}
	hashDict(o).Range(func(k, v string) bool {
		return fn(hashValue{s: keyBytes(k)}, hashValue{s: keyBytes(v)})
	})
}

// lookupHashWriteOrCreate is hashTypeLookupWriteOrCreate: the hash at key,
// created empty (and added to the keyspace) when missing; nil after a
// WRONGTYPE reply.
func (c *client) lookupHashWriteOrCreate(key []byte) *datatypes.Object {
	o, ok := c.lookupType(key, datatypes.TypeHash, true)
	if !ok {
		return nil
	}
	if o == nil {
		o = newHashObject()
		c.srv.dbAdd(c.db, key, o)
	}
	return o
}

// lookupHashRead returns the hash at key for reading; when missing it
// replies empty and returns nil, as lookupKeyReadOrReply.
func (c *client) lookupHashRead(key []byte, empty func()) *datatypes.Object {
	o, ok := c.lookupType(key, datatypes.TypeHash, false)
	if !ok {
		return nil
	}
	if o == nil {
		empty()
	}
	return o
}

// ---- Commands --------------------------------------------------------------

// hsetGeneric is HSET and HMSET: they differ in their reply only.
func hsetGeneric(c *client, countReply bool) {
	if len(c.argv)%2 == 1 {
		c.addErrorArity()
		return
	}
	s := c.srv
	o := c.lookupHashWriteOrCreate(c.argv[1])
	if o == nil {
		return
	}
	s.hashTryConversion(o, c.argv[2:])
	created := 0
	for i := 2; i < len(c.argv); i += 2 {
		if !s.hashSet(o, c.argv[i], c.argv[i+1]) {
			created++
		}
	}
	s.signalModifiedKey(c.db, unsafeString(c.argv[1]))
	c.notify(NotifyHash, "hset", c.argv[1])
	s.addDirty(int64(len(c.argv)-2) / 2)
	if countReply {
		c.addInt(int64(created))
	} else {
		c.addOK()
	}
}

// HSET key field value [field value ...]
func hsetCommand(c *client) { hsetGeneric(c, true) }

// HMSET key field value [field value ...]
func hmsetCommand(c *client) { hsetGeneric(c, false) }

// HSETNX key field value
func hsetnxCommand(c *client) {
	s := c.srv
	o := c.lookupHashWriteOrCreate(c.argv[1])
	if o == nil {
		return
	}
	if _, ok := hashGet(o, c.argv[2]); ok {
		c.addInt(0)
		return
	}
	s.hashTryConversion(o, c.argv[2:4])
	s.hashSet(o, c.argv[2], c.argv[3])
	s.signalModifiedKey(c.db, unsafeString(c.argv[1]))
	c.notify(NotifyHash, "hset", c.argv[1])
	s.addDirty(1)
	c.addInt(1)
}

// HGET key field
func hgetCommand(c *client) {
	o := c.lookupHashRead(c.argv[1], c.addNull)
	if o == nil {
		return
	}
	if v, ok := hashGet(o, c.argv[2]); ok {
		c.addHashValue(v)
	} else {
		c.addNull()
	}
}

// HMGET key field [field ...]
//
// A missing key reads as an empty hash (nulls), but a key of another type
// is WRONGTYPE.
func hmgetCommand(c *client) {
	o, ok := c.lookupType(c.argv[1], datatypes.TypeHash, false)
	if !ok {
		return
	}
	c.addArrayLen(len(c.argv) - 2)
	for _, f := range c.argv[2:] {
		if o == nil {
			c.addNull()
		} else if v, ok := hashGet(o, f); ok {
			c.addHashValue(v)
		} else {
			c.addNull()
		}
	}
}

// HDEL key field [field ...]
//
// Deleting the last field deletes the key, and the remaining fields are
// not looked at (as Redis, which stops there).
func hdelCommand(c *client) {
	c.removeElements(datatypes.TypeHash, NotifyHash, "hdel", hashDelete, hashLen)
}

// HLEN key
func hlenCommand(c *client) {
	o := c.lookupHashRead(c.argv[1], func() { c.addInt(0) })
	if o == nil {
		return
	}
	c.addInt(int64(hashLen(o)))
}

// HSTRLEN key field
func hstrlenCommand(c *client) {
	o := c.lookupHashRead(c.argv[1], func() { c.addInt(0) })
	if o == nil {
		return
	}
	v, _ := hashGet(o, c.argv[2])
	c.addInt(int64(v.len()))
}

// HEXISTS key field
func hexistsCommand(c *client) {
	o := c.lookupHashRead(c.argv[1], func() { c.addInt(0) })
	if o == nil {
		return
	}
	if _, ok := hashGet(o, c.argv[2]); ok {
		c.addInt(1)
	} else {
		c.addInt(0)
	}
}

// Parts of a hash that genericHgetallCommand replies with.
const (
	hashPartKeys = 1 << iota
	hashPartValues
)

// hgetallGeneric is HKEYS, HVALS and HGETALL; HGETALL is a map in RESP3.
func hgetallGeneric(c *client, parts int) {
	both := parts == hashPartKeys|hashPartValues
	empty := func() { c.addArrayLen(0) }
	if both {
		empty = func() { c.addMapLen(0) }
	}
	o := c.lookupHashRead(c.argv[1], empty)
	if o == nil {
		return
	}
	n := hashLen(o)
	if both {
		c.addMapLen(n)
	} else {
		c.addArrayLen(n)
	}
	hashRange(o, func(f, v hashValue) bool {
		if parts&hashPartKeys != 0 {
			c.addHashValue(f)
		}
		if parts&hashPartValues != 0 {
			c.addHashValue(v)
		}
		return true
	})
}

// HKEYS key
func hkeysCommand(c *client) { hgetallGeneric(c, hashPartKeys) }

// HVALS key
func hvalsCommand(c *client) { hgetallGeneric(c, hashPartValues) }

// HGETALL key
func hgetallCommand(c *client) { hgetallGeneric(c, hashPartKeys|hashPartValues) }

// HINCRBY key field increment
func hincrbyCommand(c *client) {
	s := c.srv
	incr, ok := datatypes.ParseInt(c.argv[3])
	if !ok {
		c.addError(errNotInt)
		return
	}
	o := c.lookupHashWriteOrCreate(c.argv[1])
	if o == nil {
		return
	}
	var value int64
	if hv, found := hashGet(o, c.argv[2]); found {
		if hv.isInt {
			value = hv.v
		} else if value, ok = datatypes.ParseInt(hv.s); !ok {
			c.addError(errHashNotInt)
			return
		}
	}
	if (incr < 0 && value < 0 && incr < math.MinInt64-value) ||
		(incr > 0 && value > 0 && incr > math.MaxInt64-value) {
		c.addError(errOverflow)
		return
	}
	value += incr
	s.hashSet(o, c.argv[2], strconv.AppendInt(nil, value, 10))
	s.signalModifiedKey(c.db, unsafeString(c.argv[1]))
	c.notify(NotifyHash, "hincrby", c.argv[1])
	s.addDirty(1)
	c.addInt(value)
}

// HINCRBYFLOAT key field increment
//
// The arithmetic is INCRBYFLOAT's long double; the command propagates as
// HSET key field <result> so replicas never redo float arithmetic.
func hincrbyfloatCommand(c *client) {
	s := c.srv
	incr, ok := datatypes.ParseLongDouble(c.argv[3])
	if !ok {
		c.addError(errNotFloat)
		return
	}
	if incr.IsInf() {
		c.addError(errNaNOrInfinity)
		return
	}
	o := c.lookupHashWriteOrCreate(c.argv[1])
	if o == nil {
		return
	}
	var value *big.Float
	if hv, found := hashGet(o, c.argv[2]); !found {
		value = datatypes.LongDoubleFromInt(0)
	} else if hv.isInt {
		value = datatypes.LongDoubleFromInt(hv.v)
	} else if value, ok = datatypes.ParseLongDouble(hv.s); !ok {
		c.addError(errHashNotFloat)
		return
	}
	sum, ok := datatypes.AddLongDouble(value, incr)
	if !ok {
		c.addError(errIncrFloatNaN)
		return
	}
	text := datatypes.AppendLongDoubleHuman(nil, sum)
	s.hashSet(o, c.argv[2], text)
	s.signalModifiedKey(c.db, unsafeString(c.argv[1]))
	c.notify(NotifyHash, "hincrbyfloat", c.argv[1])
	s.addDirty(1)
	c.addBulk(text)
	c.alsoPropagate(c.db.ID, cloneArgs([]byte("HSET"), c.argv[1], c.argv[2], text)...)
}

// HRANDFIELD key [count [WITHVALUES]]
func hrandfieldCommand(c *client) {
	if len(c.argv) >= 3 {
		l, ok := datatypes.ParseInt(c.argv[2])
		if !ok {
			c.addError(errNotInt)
			return
		}
		if l == math.MinInt64 {
			c.addError(errHrandfieldRange)
			return
		}
		withValues := false
		if len(c.argv) > 4 || (len(c.argv) == 4 && !argIsASCII(c.argv[3], "withvalues")) {
			c.addError(errSyntax)
			return
		} else if len(c.argv) == 4 {
			withValues = true
			if l < -math.MaxInt64/2 || l > math.MaxInt64/2 {
				c.addError(errValueOutOfRange)
				return
			}
		}
		hrandfieldWithCount(c, l, withValues)
		return
	}
	o := c.lookupHashRead(c.argv[1], c.addNull)
	if o == nil {
		return
	}
	f, _ := hashRandomPair(o)
	c.addHashValue(f)
}

// hashRandomPair is hashTypeRandomElement: a random field and its value,
// fairly chosen in a listpack, dictGetFairRandomKey in a hash table.
func hashRandomPair(o *datatypes.Object) (field, value hashValue) {
	if o.Enc == datatypes.EncListpack {
		lp := hashListpack(o)
		p := lp.Seek(2 * rand.IntN(lp.Len()/2))
		return lpHashValue(lp, p), lpHashValue(lp, lp.Next(p))
	}
	k, v, _ := hashDict(o).RandomKey()
	return hashValue{s: keyBytes(k)}, hashValue{s: keyBytes(v)}
}

// hrandfieldWithCount is Redis's hrandfieldWithCountCommand. A negative
// count allows repeats (CASE 1); count >= size returns the whole hash
// (CASE 2); a listpack is sampled in its own order (CASE 2.5); a hash
// table copies itself and removes random fields when count is close to
// its size (CASE 3), or collects distinct random fields (CASE 4).
func hrandfieldWithCount(c *client, l int64, withValues bool) {
	o := c.lookupHashRead(c.argv[1], func() { c.addArrayLen(0) })
	if o == nil {
		return
	}
	size := int64(hashLen(o))
	count, uniq := l, true
	if l < 0 {
		count, uniq = -l, false
	}
	if count == 0 {
		c.addArrayLen(0)
		return
	}
	replyLen := func(n int64) {
		if withValues && c.proto == 2 {
			c.addArrayLen(int(n * 2))
		} else {
			c.addArrayLen(int(n))
		}
	}
	pair := func(f, v hashValue) {
		if withValues && c.proto > 2 {
			c.addArrayLen(2)
		}
		c.addHashValue(f)
		if withValues {
			c.addHashValue(v)
		}
	}

	// CASE 1: repeats allowed.
	if !uniq || count == 1 {
		replyLen(count)
		if o.Enc == datatypes.EncListpack {
			lp := hashListpack(o)
			n := lp.Len() / 2
			// lpRandomPairs walks sorted picks in batches but replies
			// in pick order, which is what this gives.
			for ; count > 0; count-- {
				p := lp.Seek(2 * rand.IntN(n))
				pair(lpHashValue(lp, p), lpHashValue(lp, lp.Next(p)))
			}
			return
		}
		for ; count > 0; count-- {
			f, v := hashRandomPair(o)
			pair(f, v)
		}
		return
	}

	// CASE 2: the whole hash.
	if count >= size {
		replyLen(size)
		hashRange(o, func(f, v hashValue) bool {
			pair(f, v)
			return true
		})
		return
	}
	replyLen(count)

	// CASE 2.5: a listpack sampled without repeats, in its own order
	// (lpRandomPairsUnique's selection sampling).
	if o.Enc == datatypes.EncListpack {
		lp := hashListpack(o)
		remaining, need := size, count
		for p := lp.First(); p >= 0 && need > 0; remaining-- {
			vp := lp.Next(p)
			if rand.Int64N(remaining) < need {
				pair(lpHashValue(lp, p), lpHashValue(lp, vp))
				need--
			}
			p = lp.Next(vp)
		}
		return
	}

	d := hashDict(o)
	picked := datatypes.NewDict[string](c.srv.seed)
	if count*hrandfieldSubStrategyMul > size {
		// CASE 3: copy, then remove random fields down to count.
		d.Range(func(k, v string) bool {
			picked.Set(k, v)
			return true
		})
		for int64(picked.Len()) > count {
			k, _, _ := picked.RandomKey()
			picked.Delete(k)
		}
	} else {
		// CASE 4: add distinct random fields up to count.
		for int64(picked.Len()) < count {
			k, v, _ := d.RandomKey()
			picked.Set(k, v)
		}
	}
	picked.Range(func(k, v string) bool {
		pair(hashValue{s: keyBytes(k)}, hashValue{s: keyBytes(v)})
		return true
	})
}

// HSCAN key cursor [MATCH pattern] [COUNT count]
//
// A listpack is returned whole with cursor 0, as Redis does; a hash table
// is scanned as SCAN scans the keyspace, COUNT counting fields and values
// (Redis compares its list of both with COUNT). MATCH filters fields.
func hscanCommand(c *client) {
	cursor, ok := parseScanCursor(c.argv[2])
	if !ok {
		c.addError(errInvalidCursor)
		return
	}
	o := c.lookupHashRead(c.argv[1], func() { c.addRaw([]byte(emptyScanReplyBytes)) })
	if o == nil {
		return
	}
	opts, ok := parseScanOptions(c, 3, false)
	if !ok {
		return
	}
	var items []hashValue
	if o.Enc == datatypes.EncListpack {
		hashRange(o, func(f, v hashValue) bool {
			items = append(items, f, v)
			return true
		})
		cursor = 0
	} else {
		cursor = scanDict(hashDict(o), cursor, opts.count, func(k, v string) {
			items = append(items, hashValue{s: keyBytes(k)}, hashValue{s: keyBytes(v)})
		}, func() int { return len(items) / 2 }) // COUNT counts fields, as 7.0.15 does
	}
	kept := items[:0]
	for i := 0; i < len(items); i += 2 {
		if opts.pattern != nil && !datatypes.GlobMatch(opts.pattern, items[i].bytes(), false) {
			continue
		}
		kept = append(kept, items[i], items[i+1])
	}
	c.addArrayLen(2)
	c.addBulkString(strconv.FormatUint(cursor, 10))
	c.addArrayLen(len(kept))
	for _, hv := range kept {
		c.addHashValue(hv)
	}
}

// ---- Hooks -----------------------------------------------------------------

// hashDigest adds a hash to a key digest as Redis's xorObjectDigest: each
// field and value pair is mixed into its own digest, and those are xored
// in, so the order of the fields does not matter.
func hashDigest(d *[20]byte, o *datatypes.Object) {
	hashRange(o, func(f, v hashValue) bool {
		var ele [20]byte
		mixDigest(&ele, f.bytes())
		mixDigest(&ele, v.bytes())
		xorDigest(d, ele[:])
		return true
	})
}

// hashEntrySize is a Dict[string] entry (key, value, chain link, hash)
// plus its bucket slot.
const hashEntrySize = 16 + 16 + 4 + 4 + 4

// hashMemoryUsage is what a hash value costs (MEMORY USAGE): a listpack's
// bytes, or for a hash table the average of up to samples entries (their
// strings and entry) times the number of fields, as Redis's
// objectComputeSize samples.
func hashMemoryUsage(o *datatypes.Object, samples int) int64 {
	if o.Enc == datatypes.EncListpack {
		return 24 + allocSize(int64(cap(hashListpack(o))))
	}
	d := hashDict(o)
	n := d.Len()
	if n == 0 {
		return 64
	}
	var sum int64
	seen := 0
	d.Range(func(k, v string) bool {
		sum += hashEntrySize + allocSize(int64(len(k))) + allocSize(int64(len(v)))
		seen++
		return seen < samples
	})
	return 64 + sum*int64(n)/int64(seen)
}
