package server

import (
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"unsafe"

	"ferrite/datatypes"
)

// The set family, as Redis 7.0's t_set.c. A set has one of two encodings:
//
//	intset     every member is an integer (string2ll's canonical form) and
//	           there are at most set-max-intset-entries of them: Val is
//	           *datatypes.Intset, iterated in ascending order
//	hashtable  anything else: Val is *datatypes.Dict[struct{}] keyed by the
//	           member bytes, iterated in hash order
//
// A set converts from intset to hashtable when a non-integer member is
// added or it grows past the limit, and never back; only commands that
// build a new set (SPOP with a count close to the size, the STORE
// variants) may produce an intset again, exactly where Redis does, so
// OBJECT ENCODING agrees with redis-server after the same commands. An
// emptied set deletes its key.

var setCommands = map[string]cmdProc{
	"sadd":        saddCommand,
	"srem":        sremCommand,
	"smove":       smoveCommand,
	"sismember":   sismemberCommand,
	"smismember":  smismemberCommand,
	"scard":       scardCommand,
	"spop":        spopCommand,
	"srandmember": srandmemberCommand,
	"smembers":    smembersCommand,
	"sinter":      sinterCommand,
	"sintercard":  sintercardCommand,
	"sinterstore": sinterstoreCommand,
	"sunion":      sunionCommand,
	"sunionstore": sunionstoreCommand,
	"sdiff":       sdiffCommand,
	"sdiffstore":  sdiffstoreCommand,
	"sscan":       sscanCommand,
}

// --- set type API ---

type setDict = datatypes.Dict[struct{}]

// setTypeCreate is an empty set fit for first as its first member: an
// intset when first is an integer.
func (s *Server) setTypeCreate(first string) *datatypes.Object {
	if _, ok := datatypes.ParseInt(unsafe.Slice(unsafe.StringData(first), len(first))); ok {
		is := datatypes.NewIntset()
		return datatypes.NewObject(datatypes.TypeSet, datatypes.EncIntset, &is)
	}
	return datatypes.NewObject(datatypes.TypeSet, datatypes.EncHT, datatypes.NewDict[struct{}](s.seed))
}

// newIntsetObject is createIntsetObject: the start of every set a STORE
// command builds, converted by setTypeAdd as members demand.
func newIntsetObject() *datatypes.Object {
	is := datatypes.NewIntset()
	return datatypes.NewObject(datatypes.TypeSet, datatypes.EncIntset, &is)
}

func parseMember(m string) (int64, bool) {
	return datatypes.ParseInt(unsafe.Slice(unsafe.StringData(m), len(m)))
}

// setTypeConvert turns an intset set into a hashtable one.
func (s *Server) setTypeConvert(o *datatypes.Object) {
	is := *o.Intset()
	d := datatypes.NewDict[struct{}](s.seed)
	for i := 0; i < is.Len(); i++ {
		d.Set(strconv.FormatInt(is.Get(i), 10), struct{}{})
	}
	o.Enc = datatypes.EncHT
	o.SetVal(d)
}

// setTypeAdd adds m (copied if retained) and reports whether it was new.
func (s *Server) setTypeAdd(o *datatypes.Object, m string) bool {
	if o.Enc == datatypes.EncIntset {
		if v, ok := parseMember(m); ok {
			is := o.Intset()
			if !is.Add(v) {
				return false
			}
			if int64(is.Len()) > s.cfg.SetMaxIntsetEntries {
				s.setTypeConvert(o)
			}
			return true
		}
		s.setTypeConvert(o)
	}
	d := o.SetDict()
	if _, ok := d.Get(m); ok {
		return false
	}
	d.Set(strings.Clone(m), struct{}{})
	return true
}

// setTypeRemove removes m and reports whether it was there. A hashtable
// shrinks when it falls below 10% fill, as Redis's setTypeRemove does.
func setTypeRemove(o *datatypes.Object, m string) bool {
	if o.Enc == datatypes.EncIntset {
		v, ok := parseMember(m)
		return ok && o.Intset().Remove(v)
	}
	d := o.SetDict()
	if _, ok := d.Delete(m); !ok {
		return false
	}
	d.ShrinkIfNeeded()
	return true
}

func setTypeIsMember(o *datatypes.Object, m string) bool {
	if o.Enc == datatypes.EncIntset {
		v, ok := parseMember(m)
		return ok && o.Intset().Find(v)
	}
	_, ok := o.SetDict().Get(m)
	return ok
}

func setTypeSize(o *datatypes.Object) int {
	if o.Enc == datatypes.EncIntset {
		return o.Intset().Len()
	}
	return o.SetDict().Len()
}

// setSizeOrZero is the size of a set that may be missing.
func setSizeOrZero(o *datatypes.Object) int {
	if o == nil {
		return 0
	}
	return setTypeSize(o)
}

// setTypeRandom is a random member (setTypeRandomElement).
func setTypeRandom(o *datatypes.Object) string {
	if o.Enc == datatypes.EncIntset {
		return strconv.FormatInt(o.Intset().Random(rand.IntN), 10)
	}
	k, _, _ := o.SetDict().RandomKey()
	return k
}

// setTypeRange calls fn for each member until it returns false: ascending
// for an intset, table order for a hashtable. fn must not modify o.
func setTypeRange(o *datatypes.Object, fn func(m string) bool) {
	if o.Enc == datatypes.EncIntset {
		is := *o.Intset()
		for i := 0; i < is.Len(); i++ {
			if !fn(strconv.FormatInt(is.Get(i), 10)) {
				return
			}
		}
		return
	}
	o.SetDict().Range(func(k string, _ struct{}) bool { return fn(k) })
}

// setMembers lists the members in iteration order.
func setMembers(o *datatypes.Object) []string {
	out := make([]string, 0, setTypeSize(o))
	setTypeRange(o, func(m string) bool { out = append(out, m); return true })
	return out
}

// setDigest adds a set to a key digest as Redis's xorObjectDigest: each
// member's SHA1 is xored in, so the order does not matter.
func setDigest(d *[20]byte, o *datatypes.Object) {
	setTypeRange(o, func(m string) bool {
		xorDigest(d, []byte(m))
		return true
	})
}

// setEntrySize is one hashtable entry: the key header and chain/hash words.
var setEntrySize = int64(unsafe.Sizeof(struct {
	k    string
	n, h uint32
}{}))

// setMemoryUsage is what a set value costs (MEMORY USAGE): an intset is
// its bytes; a hashtable is its bucket arrays and entries plus the member
// bytes, averaged over the first samples members (all when samples is 0)
// and scaled to the set's size, as Redis's objectComputeSize.
func setMemoryUsage(o *datatypes.Object, samples int) int64 {
	if o.Enc == datatypes.EncIntset {
		return 24 + allocSize(int64(cap(*o.Intset())))
	}
	d := o.SetDict()
	t0, t1 := d.Buckets()
	n := allocSize(int64(t0+t1)*4) + int64(d.Len())*setEntrySize
	var sum, seen int64
	d.Range(func(k string, _ struct{}) bool {
		sum += allocSize(int64(len(k)))
		seen++
		return samples == 0 || seen < int64(samples)
	})
	if seen > 0 {
		n += sum * int64(d.Len()) / seen
	}
	return n
}

// --- commands ---

// SADD key member [member ...]
func saddCommand(c *client) {
	s := c.srv
	o, ok := c.lookupType(c.argv[1], datatypes.TypeSet, true)
	if !ok {
		return
	}
	if o == nil {
		o = s.setTypeCreate(unsafeString(c.argv[2]))
		s.dbAdd(c.db, c.argv[1], o)
	}
	added := 0
	for _, m := range c.argv[2:] {
		if s.setTypeAdd(o, unsafeString(m)) {
			added++
		}
	}
	if added > 0 {
		s.signalModifiedKey(c.db, unsafeString(c.argv[1]))
		c.notify(NotifySet, "sadd", c.argv[1])
	}
	s.addDirty(int64(added))
	c.addInt(int64(added))
}

// SREM key member [member ...]
func sremCommand(c *client) {
	c.removeElements(datatypes.TypeSet, NotifySet, "srem", func(o *datatypes.Object, m []byte) bool {
		return setTypeRemove(o, unsafeString(m))
	}, setTypeSize)
}

// SMOVE source destination member
//
// A missing source replies 0 before the destination's type is checked,
// and source == destination only tests membership, as Redis.
func smoveCommand(c *client) {
	s := c.srv
	src := s.lookupKeyWrite(c.db, c.argv[1])
	dst := s.lookupKeyWrite(c.db, c.argv[2])
	m := unsafeString(c.argv[3])
	if src == nil {
		c.addInt(0)
		return
	}
	if src.Type != datatypes.TypeSet || (dst != nil && dst.Type != datatypes.TypeSet) {
		c.addError(errWrongType)
		return
	}
	if src == dst {
		c.addInt(boolInt(setTypeIsMember(src, m)))
		return
	}
	if !setTypeRemove(src, m) {
		c.addInt(0)
		return
	}
	c.notify(NotifySet, "srem", c.argv[1])
	if setTypeSize(src) == 0 {
		s.dbDelete(c.db, c.argv[1])
		c.notify(NotifyGeneric, "del", c.argv[1])
	}
	if dst == nil {
		dst = s.setTypeCreate(m)
		s.dbAdd(c.db, c.argv[2], dst)
	}
	s.signalModifiedKey(c.db, unsafeString(c.argv[1]))
	s.addDirty(1)
	if s.setTypeAdd(dst, m) {
		s.addDirty(1)
		s.signalModifiedKey(c.db, unsafeString(c.argv[2]))
		c.notify(NotifySet, "sadd", c.argv[2])
	}
	c.addInt(1)
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// SISMEMBER key member
func sismemberCommand(c *client) {
	o, ok := c.lookupType(c.argv[1], datatypes.TypeSet, false)
	if !ok {
		return
	}
	c.addInt(boolInt(o != nil && setTypeIsMember(o, unsafeString(c.argv[2]))))
}

// SMISMEMBER key member [member ...]
func smismemberCommand(c *client) {
	o, ok := c.lookupType(c.argv[1], datatypes.TypeSet, false)
	if !ok {
		return
	}
	c.addArrayLen(len(c.argv) - 2)
	for _, m := range c.argv[2:] {
		c.addInt(boolInt(o != nil && setTypeIsMember(o, unsafeString(m))))
	}
}

// SCARD key
func scardCommand(c *client) {
	o, ok := c.lookupType(c.argv[1], datatypes.TypeSet, false)
	if !ok {
		return
	}
	if o == nil {
		c.addInt(0)
		return
	}
	c.addInt(int64(setTypeSize(o)))
}

// spopMoveStrategyMul is SPOP_MOVE_STRATEGY_MUL: when fewer than
// count/5 members would remain, SPOP builds the remainder as a new set
// instead of extracting count random members.
const spopMoveStrategyMul = 5

// SPOP key [count]
//
// Propagated as SREM key member (one per popped member, so several are
// wrapped in MULTI/EXEC), or as DEL when the count empties the set, as
// Redis 7.0.15 does.
func spopCommand(c *client) {
	if len(c.argv) == 3 {
		spopWithCount(c)
		return
	}
	if len(c.argv) > 3 {
		c.addError(errSyntax)
		return
	}
	s := c.srv
	o, ok := c.lookupType(c.argv[1], datatypes.TypeSet, true)
	if !ok {
		return
	}
	if o == nil {
		c.addNull()
		return
	}
	m := setTypeRandom(o)
	setTypeRemove(o, m)
	c.notify(NotifySet, "spop", c.argv[1])
	c.alsoPropagate(c.db.ID, []byte("SREM"), copyBytes(c.argv[1]), []byte(m))
	c.addBulkString(m)
	if setTypeSize(o) == 0 {
		s.dbDelete(c.db, c.argv[1])
		c.notify(NotifyGeneric, "del", c.argv[1])
	}
	s.signalModifiedKey(c.db, unsafeString(c.argv[1]))
	s.addDirty(1)
}

// errNotPositive is getPositiveLongFromObjectOrReply's error.
const errNotPositive = "ERR value is out of range, must be positive"

// spopWithCount is spopWithCountCommand's three cases: the whole set, a
// few random extractions, or the complement kept as a new set (which may
// be an intset again).
func spopWithCount(c *client) {
	s := c.srv
	l, ok := datatypes.ParseInt(c.argv[2])
	if !ok || l < 0 {
		c.addErrorString(errNotPositive)
		return
	}
	count := int(l)
	o, ok := c.lookupType(c.argv[1], datatypes.TypeSet, true)
	if !ok {
		return
	}
	if o == nil || count == 0 {
		c.addSetLen(0)
		return
	}
	size := setTypeSize(o)
	s.addDirty(int64(count))
	key := c.argv[1]
	c.notify(NotifySet, "spop", key)

	if count >= size {
		members := setMembers(o)
		c.addSetLen(len(members))
		for _, m := range members {
			c.addBulkString(m)
		}
		s.dbDelete(c.db, key)
		c.notify(NotifyGeneric, "del", key)
		c.alsoPropagate(c.db.ID, []byte("DEL"), copyBytes(key))
		s.signalModifiedKey(c.db, unsafeString(key))
		return
	}

	c.addSetLen(count)
	srem := func(m string) {
		c.alsoPropagate(c.db.ID, []byte("SREM"), copyBytes(key), []byte(m))
	}
	remaining := size - count
	if remaining*spopMoveStrategyMul > count {
		for range count {
			m := setTypeRandom(o)
			c.addBulkString(m)
			setTypeRemove(o, m)
			srem(m)
		}
	} else {
		var newset *datatypes.Object
		for range remaining {
			m := setTypeRandom(o)
			if newset == nil {
				newset = s.setTypeCreate(m)
			}
			s.setTypeAdd(newset, m)
			setTypeRemove(o, m)
		}
		for _, m := range setMembers(o) {
			c.addBulkString(m)
			srem(m)
		}
		s.setKey(c.db, key, newset, true)
	}
	s.signalModifiedKey(c.db, unsafeString(key))
}

// srandmemberSubStrategyMul is SRANDMEMBER_SUB_STRATEGY_MUL: a count
// above a third of the size copies the set and removes random members.
const srandmemberSubStrategyMul = 3

// SRANDMEMBER key [count]
func srandmemberCommand(c *client) {
	if len(c.argv) == 3 {
		srandmemberWithCount(c)
		return
	}
	if len(c.argv) > 3 {
		c.addError(errSyntax)
		return
	}
	o, ok := c.lookupType(c.argv[1], datatypes.TypeSet, false)
	if !ok {
		return
	}
	if o == nil {
		c.addNull()
		return
	}
	c.addBulkString(setTypeRandom(o))
}

// srandmemberWithCount is srandmemberWithCountCommand: a negative count
// may repeat members; a positive one returns distinct members.
func srandmemberWithCount(c *client) {
	l, ok := datatypes.ParseInt(c.argv[2])
	if !ok {
		c.addError(errNotInt)
		return
	}
	if l == math.MinInt64 {
		c.addErrorString("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")
		return
	}
	count, uniq := l, true
	if l < 0 {
		count, uniq = -l, false
	}
	o, ok := c.lookupType(c.argv[1], datatypes.TypeSet, false)
	if !ok {
		return
	}
	if o == nil || count == 0 {
		c.addArrayLen(0)
		return
	}
	size := int64(setTypeSize(o))

	if !uniq || count == 1 {
		c.addArrayLen(int(count))
		for ; count > 0; count-- {
			c.addBulkString(setTypeRandom(o))
			if c.closing() {
				break
			}
		}
		return
	}

	if count >= size {
		c.addArrayLen(int(size))
		setTypeRange(o, func(m string) bool { c.addBulkString(m); return true })
		return
	}

	d := datatypes.NewDict[struct{}](c.srv.seed)
	if count*srandmemberSubStrategyMul > size {
		setTypeRange(o, func(m string) bool { d.Set(m, struct{}{}); return true })
		for int64(d.Len()) > count {
			k, _, _ := d.RandomKey()
			d.Delete(k)
		}
	} else {
		for int64(d.Len()) < count {
			d.Set(setTypeRandom(o), struct{}{})
		}
	}
	c.addArrayLen(d.Len())
	d.Range(func(k string, _ struct{}) bool { c.addBulkString(k); return true })
}

// lookupSets looks up every key for reading: a missing key is nil, a key
// of another type replies WRONGTYPE and returns false.
func lookupSets(c *client, keys [][]byte) ([]*datatypes.Object, bool) {
	sets := make([]*datatypes.Object, len(keys))
	for i, k := range keys {
		o := c.srv.lookupKeyRead(c.db, k)
		if o != nil && o.Type != datatypes.TypeSet {
			c.addError(errWrongType)
			return nil, false
		}
		sets[i] = o
	}
	return sets, true
}

// storeSetResult stores a STORE command's result at dst, or deletes dst
// when the result is empty, and replies with its size. event names the
// keyspace event of a stored result.
func storeSetResult(c *client, dst []byte, o *datatypes.Object, event string) {
	s := c.srv
	if n := setTypeSize(o); n > 0 {
		s.setKey(c.db, dst, o, false)
		c.addInt(int64(n))
		c.notify(NotifySet, event, dst)
		s.addDirty(1)
		return
	}
	c.addInt(0)
	if s.dbDelete(c.db, dst) {
		s.addDirty(1)
		c.notify(NotifyGeneric, "del", dst)
	}
}

// sinterGeneric is sinterGenericCommand: it iterates the smallest set and
// keeps members found in every other one. A missing key makes the result
// empty (after every key's type was checked). dst != nil stores the
// result; cardOnly replies the count, stopping at limit when limit > 0.
func sinterGeneric(c *client, keys [][]byte, dst []byte, cardOnly bool, limit int64) {
	sets, ok := lookupSets(c, keys)
	if !ok {
		return
	}
	for _, o := range sets {
		if o == nil {
			switch {
			case dst != nil:
				if c.srv.dbDelete(c.db, dst) {
					c.notify(NotifyGeneric, "del", dst)
					c.srv.addDirty(1)
				}
				c.addInt(0)
			case cardOnly:
				c.addInt(0)
			default:
				c.addSetLen(0)
			}
			return
		}
	}
	sort.SliceStable(sets, func(i, j int) bool { return setTypeSize(sets[i]) < setTypeSize(sets[j]) })

	var result []string
	var card int64
	setTypeRange(sets[0], func(m string) bool {
		for _, o := range sets[1:] {
			if o != sets[0] && !setTypeIsMember(o, m) {
				return true
			}
		}
		card++
		if cardOnly {
			return limit == 0 || card < limit
		}
		result = append(result, m)
		return true
	})

	switch {
	case cardOnly:
		c.addInt(card)
	case dst != nil:
		o := newIntsetObject()
		for _, m := range result {
			c.srv.setTypeAdd(o, m)
		}
		storeSetResult(c, dst, o, "sinterstore")
	default:
		c.addSetLen(len(result))
		for _, m := range result {
			c.addBulkString(m)
		}
	}
}

// SMEMBERS key
//
// Redis 7.0 serves it with sinterCommand, so it replies a set.
func smembersCommand(c *client) { sinterGeneric(c, c.argv[1:2], nil, false, 0) }

// SINTER key [key ...]
func sinterCommand(c *client) { sinterGeneric(c, c.argv[1:], nil, false, 0) }

// SINTERSTORE destination key [key ...]
func sinterstoreCommand(c *client) { sinterGeneric(c, c.argv[2:], c.argv[1], false, 0) }

// SINTERCARD numkeys key [key ...] [LIMIT limit]
func sintercardCommand(c *client) {
	numkeys, ok := datatypes.ParseInt(c.argv[1])
	if !ok || numkeys < 1 {
		c.addErrorString("ERR numkeys should be greater than 0")
		return
	}
	if numkeys > int64(len(c.argv)-2) {
		c.addErrorString("ERR Number of keys can't be greater than number of args")
		return
	}
	var limit int64
	for j := 2 + int(numkeys); j < len(c.argv); j++ {
		if strings.EqualFold(string(c.argv[j]), "limit") && j+1 < len(c.argv) {
			j++
			l, ok := datatypes.ParseInt(c.argv[j])
			if !ok || l < 0 {
				c.addErrorString("ERR LIMIT can't be negative")
				return
			}
			limit = l
			continue
		}
		c.addError(errSyntax)
		return
	}
	sinterGeneric(c, c.argv[2:2+numkeys], nil, true, limit)
}

type setOp int

const (
	setOpUnion setOp = iota
	setOpDiff
)

// sunionDiffGeneric is sunionDiffGenericCommand. The result is built in a
// set that starts as an intset, so its encoding (for the STORE variants)
// follows setTypeAdd; SDIFF picks between walking the first set
// (algorithm 1) and adding it then removing the others (algorithm 2) by
// estimated work, as Redis does, since the two can leave different
// encodings.
func sunionDiffGeneric(c *client, keys [][]byte, dst []byte, op setOp) {
	s := c.srv
	sets, ok := lookupSets(c, keys)
	if !ok {
		return
	}
	sameset := false
	for j := 1; j < len(sets); j++ {
		if sets[j] != nil && sets[j] == sets[0] {
			sameset = true
		}
	}
	diffAlgo := 1
	if op == setOpDiff && sets[0] != nil && !sameset {
		var one, two int64
		for _, o := range sets {
			if o == nil {
				continue
			}
			one += int64(setTypeSize(sets[0]))
			two += int64(setTypeSize(o))
		}
		one /= 2
		if one > two {
			diffAlgo = 2
		}
		if diffAlgo == 1 && len(sets) > 1 {
			rest := sets[1:]
			sort.SliceStable(rest, func(i, j int) bool {
				return setSizeOrZero(rest[i]) > setSizeOrZero(rest[j])
			})
		}
	}

	res := newIntsetObject()
	switch {
	case op == setOpUnion:
		for _, o := range sets {
			if o == nil {
				continue
			}
			for _, m := range setMembers(o) {
				s.setTypeAdd(res, m)
			}
		}
	case sameset || sets[0] == nil:
	case diffAlgo == 1:
		setTypeRange(sets[0], func(m string) bool {
			for _, o := range sets[1:] {
				if o != nil && setTypeIsMember(o, m) {
					return true
				}
			}
			s.setTypeAdd(res, m)
			return true
		})
	default:
		for j, o := range sets {
			if o == nil {
				continue
			}
			for _, m := range setMembers(o) {
				if j == 0 {
					s.setTypeAdd(res, m)
				} else {
					setTypeRemove(res, m)
				}
			}
			if setTypeSize(res) == 0 {
				break
			}
		}
	}

	if dst != nil {
		event := "sunionstore"
		if op == setOpDiff {
			event = "sdiffstore"
		}
		storeSetResult(c, dst, res, event)
		return
	}
	c.addSetLen(setTypeSize(res))
	setTypeRange(res, func(m string) bool { c.addBulkString(m); return true })
}

// SUNION key [key ...]
func sunionCommand(c *client) { sunionDiffGeneric(c, c.argv[1:], nil, setOpUnion) }

// SUNIONSTORE destination key [key ...]
func sunionstoreCommand(c *client) { sunionDiffGeneric(c, c.argv[2:], c.argv[1], setOpUnion) }

// SDIFF key [key ...]
func sdiffCommand(c *client) { sunionDiffGeneric(c, c.argv[1:], nil, setOpDiff) }

// SDIFFSTORE destination key [key ...]
func sdiffstoreCommand(c *client) { sunionDiffGeneric(c, c.argv[2:], c.argv[1], setOpDiff) }

// SSCAN key cursor [MATCH pattern] [COUNT count]
//
// An intset is returned whole with cursor 0, as Redis does for its small
// encodings; a hashtable is scanned like the keyspace (COUNT members, at
// most COUNT*10 buckets per call), then filtered by MATCH.
func sscanCommand(c *client) {
	cursor, ok := parseScanCursor(c.argv[2])
	if !ok {
		c.addError(errInvalidCursor)
		return
	}
	o, ok := c.lookupType(c.argv[1], datatypes.TypeSet, false)
	if !ok {
		return
	}
	if o == nil {
		c.addArrayLen(2)
		c.addBulkString("0")
		c.addArrayLen(0)
		return
	}
	opts, ok := parseScanOptions(c, 3, false)
	if !ok {
		return
	}
	var members []string
	if o.Enc == datatypes.EncIntset {
		members, cursor = setMembers(o), 0
	} else {
		cursor = scanDict(o.SetDict(), cursor, opts.count,
			func(k string, _ struct{}) { members = append(members, k) },
			func() int { return len(members) })
	}
	kept := members[:0]
	for _, m := range members {
		if opts.pattern == nil || datatypes.GlobMatch(opts.pattern, []byte(m), false) {
			kept = append(kept, m)
		}
	}
	c.addArrayLen(2)
	c.addBulkString(strconv.FormatUint(cursor, 10))
	c.addArrayLen(len(kept))
	for _, m := range kept {
		c.addBulkString(m)
	}
}
