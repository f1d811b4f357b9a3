package server

import (
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"

	"ferrite/datatypes"
	"ferrite/server/resp"
)

// The sorted set family, as Redis 7.0's t_zset.c (without the blocking
// commands). A sorted set has one of two encodings:
//
//	listpack  at most zset-max-listpack-entries elements, none longer than
//	          zset-max-listpack-value: Val is *datatypes.Listpack holding
//	          member, score pairs sorted by (score, member), byte for byte
//	          as Redis's zzl* functions write them
//	skiplist  anything else: Val is *datatypes.ZSet
//
// A listpack converts when an insertion would break either limit and never
// shrinks back, except for results built by the STORE commands, which
// convert down exactly where Redis's zsetConvertToListpackIfNeeded does.
// The listpack operations decode the (small) listpack, change the element
// slice and encode it again: O(N) as Redis's own memmove-based ones.

var zsetCommands = map[string]cmdProc{
	"bzpopmin":         bzpopminCommand,
	"bzpopmax":         bzpopmaxCommand,
	"bzmpop":           bzmpopCommand,
	"zadd":             zaddCommand,
	"zincrby":          zincrbyCommand,
	"zrem":             zremCommand,
	"zcard":            zcardCommand,
	"zscore":           zscoreCommand,
	"zmscore":          zmscoreCommand,
	"zrank":            zrankCommand,
	"zrevrank":         zrevrankCommand,
	"zcount":           zcountCommand,
	"zlexcount":        zlexcountCommand,
	"zrange":           zrangeCommand,
	"zrangestore":      zrangestoreCommand,
	"zrangebyscore":    zrangebyscoreCommand,
	"zrevrangebyscore": zrevrangebyscoreCommand,
	"zrangebylex":      zrangebylexCommand,
	"zrevrangebylex":   zrevrangebylexCommand,
	"zrevrange":        zrevrangeCommand,
	"zremrangebyrank":  zremrangebyrankCommand,
	"zremrangebyscore": zremrangebyscoreCommand,
	"zremrangebylex":   zremrangebylexCommand,
	"zpopmin":          zpopminCommand,
	"zpopmax":          zpopmaxCommand,
	"zmpop":            zmpopCommand,
	"zunion":           zunionCommand,
	"zinter":           zinterCommand,
	"zdiff":            zdiffCommand,
	"zunionstore":      zunionstoreCommand,
	"zinterstore":      zinterstoreCommand,
	"zdiffstore":       zdiffstoreCommand,
	"zintercard":       zintercardCommand,
	"zscan":            zscanCommand,
	"zrandmember":      zrandmemberCommand,
}

// --- sorted set type API ---

type zent = datatypes.ZEntry

func zlp(o *datatypes.Object) datatypes.Listpack { return o.Listpack() }
func zsk(o *datatypes.Object) *datatypes.ZSet    { return o.ZSet() }

func (s *Server) newZsetSkiplist() *datatypes.Object {
	return datatypes.NewObject(datatypes.TypeZSet, datatypes.EncSkiplist, datatypes.NewZSet(s.seed, nil))
}

func newZsetListpack() *datatypes.Object {
	lp := datatypes.NewListpack()
	return datatypes.NewObject(datatypes.TypeZSet, datatypes.EncListpack, &lp)
}

// zsetConvert turns a listpack sorted set into a skiplist one.
func (s *Server) zsetConvert(o *datatypes.Object) {
	z := datatypes.NewZSet(s.seed, nil)
	for _, e := range datatypes.ZzlEntries(zlp(o)) {
		z.Add(e.Member, e.Score, 0)
	}
	o.Enc = datatypes.EncSkiplist
	o.SetVal(z)
}

// zsetConvertToListpackIfNeeded is where a STORE result becomes a
// listpack again.
func (s *Server) zsetConvertToListpackIfNeeded(o *datatypes.Object, maxelelen, totelelen int) {
	if o.Enc != datatypes.EncSkiplist {
		return
	}
	z := zsk(o)
	if int64(z.Len()) <= s.cfg.ZsetMaxListpackEntries && int64(maxelelen) <= s.cfg.ZsetMaxListpackValue &&
		datatypes.ListpackSafeToAdd(nil, totelelen) {
		lp := datatypes.ZzlBuild(zsetEntries(o))
		o.Enc = datatypes.EncListpack
		o.SetVal(lp)
	}
}

func zsetLen(o *datatypes.Object) int {
	if o.Enc == datatypes.EncListpack {
		return zlp(o).Len() / 2
	}
	return zsk(o).Len()
}

// zsetEntries lists the elements in ascending order.
func zsetEntries(o *datatypes.Object) []zent {
	if o.Enc == datatypes.EncListpack {
		return datatypes.ZzlEntries(zlp(o))
	}
	out := make([]zent, 0, zsk(o).Len())
	for x := zsk(o).Skiplist().First(); x != nil; x = x.Next() {
		out = append(out, zent{Member: x.Member(), Score: x.Score()})
	}
	return out
}

func zfind(es []zent, m string) int {
	for i := range es {
		if es[i].Member == m {
			return i
		}
	}
	return -1
}

// zinsertSorted puts e where zzlInsert would.
func zinsertSorted(es []zent, e zent) []zent {
	i := sort.Search(len(es), func(i int) bool {
		return es[i].Score > e.Score || (es[i].Score == e.Score && es[i].Member > e.Member)
	})
	es = append(es, zent{})
	copy(es[i+1:], es[i:])
	es[i] = e
	return es
}

func zsetScore(o *datatypes.Object, m string) (float64, bool) {
	if o.Enc == datatypes.EncListpack {
		p, score := datatypes.ZzlFind(zlp(o), m)
		return score, p >= 0
	}
	return zsk(o).Score(m)
}

// zsetAdd is Redis's zsetAdd over both encodings (see datatypes.ZSet.Add
// for the flags); a listpack converts before an insertion that would break
// its limits.
func (s *Server) zsetAdd(o *datatypes.Object, m string, score float64, flags datatypes.ZAddFlags) (float64, datatypes.ZAddResult, error) {
	if o.Enc == datatypes.EncSkiplist {
		return zsk(o).Add(m, score, flags)
	}
	if math.IsNaN(score) {
		return 0, 0, datatypes.ErrScoreNaN
	}
	lp := zlp(o)
	if p, cur := datatypes.ZzlFind(lp, m); p >= 0 {
		if flags&datatypes.ZAddNX != 0 {
			return 0, datatypes.ZAddNop, nil
		}
		if flags&datatypes.ZAddIncr != 0 {
			score += cur
			if math.IsNaN(score) {
				return 0, 0, datatypes.ErrScoreNaN
			}
		}
		if (flags&datatypes.ZAddLT != 0 && score >= cur) || (flags&datatypes.ZAddGT != 0 && score <= cur) {
			return 0, datatypes.ZAddNop, nil
		}
		if score != cur {
			lp.ZzlDelete(p)
			lp.ZzlInsert(m, score)
			o.SetListpack(lp)
			return score, datatypes.ZAddUpdated, nil
		}
		return score, 0, nil
	}
	if flags&datatypes.ZAddXX != 0 {
		return 0, datatypes.ZAddNop, nil
	}
	if int64(lp.Len()/2+1) > s.cfg.ZsetMaxListpackEntries || int64(len(m)) > s.cfg.ZsetMaxListpackValue ||
		!datatypes.ListpackSafeToAdd(zlp(o), len(m)) {
		s.zsetConvert(o)
		return zsk(o).Add(m, score, flags)
	}
	lp.ZzlInsert(m, score)
	o.SetListpack(lp)
	return score, datatypes.ZAddAdded, nil
}

func zsetRemove(o *datatypes.Object, m string) bool {
	if o.Enc == datatypes.EncSkiplist {
		return zsk(o).Remove(m)
	}
	lp := zlp(o)
	p, _ := datatypes.ZzlFind(lp, m)
	if p < 0 {
		return false
	}
	lp.ZzlDelete(p)
	o.SetListpack(lp)
	return true
}

func zsetRank(o *datatypes.Object, m string, rev bool) (int, bool) {
	if o.Enc == datatypes.EncSkiplist {
		return zsk(o).Rank(m, rev)
	}
	es := datatypes.ZzlEntries(zlp(o))
	i := zfind(es, m)
	if i < 0 {
		return 0, false
	}
	if rev {
		return len(es) - 1 - i, true
	}
	return i, true
}

// zsetRangeByRank walks ranks start..end (already normalized) as
// ZSet.RangeByRank.
func zsetRangeByRank(o *datatypes.Object, start, end int, rev bool, fn func(m string, s float64) bool) {
	if o.Enc == datatypes.EncSkiplist {
		zsk(o).RangeByRank(start, end, rev, fn)
		return
	}
	es := datatypes.ZzlEntries(zlp(o))
	for i := start; i <= end && i < len(es); i++ {
		e := es[i]
		if rev {
			e = es[len(es)-1-i]
		}
		if !fn(e.Member, e.Score) {
			return
		}
	}
}

// zlpWalk walks a listpack's elements within a range as Redis's zzl*
// range functions do: the range must overlap the ends (zzlIsInRange), the
// walk starts at the first element not below min (not above max when
// reversed) if that one is within the range, skips offset elements
// without looking at them, then goes on while the far bound holds. For
// lex ranges over unequal scores this is what Redis returns, not every
// element in range.
func zlpWalk(es []zent, empty bool, gte, lte func(e zent) bool, rev bool, offset, limit int, fn func(m string, s float64) bool) {
	n := len(es)
	if n == 0 || empty || !gte(es[n-1]) || !lte(es[0]) {
		return
	}
	i, step := -1, 1
	if rev {
		step = -1
		for k := n - 1; k >= 0; k-- {
			if lte(es[k]) {
				i = k
				break
			}
		}
		if i < 0 || !gte(es[i]) {
			return
		}
	} else {
		for k := 0; k < n; k++ {
			if gte(es[k]) {
				i = k
				break
			}
		}
		if i < 0 || !lte(es[i]) {
			return
		}
	}
	for ; i >= 0 && i < n && offset > 0; offset-- {
		i += step
	}
	for ; i >= 0 && i < n && limit != 0; limit-- {
		if (rev && !gte(es[i])) || (!rev && !lte(es[i])) {
			return
		}
		if !fn(es[i].Member, es[i].Score) {
			return
		}
		i += step
	}
}

func zsetRangeByScore(o *datatypes.Object, r *datatypes.RangeSpec, rev bool, offset, limit int, fn func(m string, s float64) bool) {
	if o.Enc == datatypes.EncSkiplist {
		zsk(o).RangeByScore(r, rev, offset, limit, fn)
		return
	}
	zlpWalk(datatypes.ZzlEntries(zlp(o)), r.Empty(), func(e zent) bool { return r.GteMin(e.Score) },
		func(e zent) bool { return r.LteMax(e.Score) }, rev, offset, limit, fn)
}

func zsetRangeByLex(o *datatypes.Object, r *datatypes.LexRangeSpec, rev bool, offset, limit int, fn func(m string, s float64) bool) {
	if o.Enc == datatypes.EncSkiplist {
		zsk(o).RangeByLex(r, rev, offset, limit, fn)
		return
	}
	zlpWalk(datatypes.ZzlEntries(zlp(o)), r.Empty(), func(e zent) bool { return r.GteMin(e.Member) },
		func(e zent) bool { return r.LteMax(e.Member) }, rev, offset, limit, fn)
}

// zsetDigest adds a sorted set to a key digest as Redis's xorObjectDigest:
// each element's digest mixes the member then its "%.17g" score.
func zsetDigest(d *[20]byte, o *datatypes.Object) {
	for _, e := range zsetEntries(o) {
		var ed [20]byte
		mixDigest(&ed, []byte(e.Member))
		mixDigest(&ed, resp.FormatDouble(nil, e.Score))
		xorDigest(d, ed[:])
	}
}

// zsetMemoryUsage is what a sorted set value costs (MEMORY USAGE): a
// listpack is its bytes; a skiplist is its dict and nodes plus the member
// bytes, averaged over the first samples members and scaled.
func zsetMemoryUsage(o *datatypes.Object, samples int) int64 {
	if o.Enc == datatypes.EncListpack {
		return allocSize(int64(cap(zlp(o))))
	}
	z := zsk(o)
	t0, t1 := z.Dict().Buckets()
	n := allocSize(int64(t0+t1)*4) + int64(z.Len())*(setEntrySize+48)
	var sum, seen int64
	for x := z.Skiplist().First(); x != nil; x = x.Next() {
		sum += allocSize(int64(len(x.Member())))
		seen++
		if samples != 0 && seen >= int64(samples) {
			break
		}
	}
	if seen > 0 {
		n += sum * int64(z.Len()) / seen
	}
	return n
}

// --- parsing ---

// parseScore is getDoubleFromObject: the whole string is a number, no
// leading space, no overflow, not NaN.
func parseScore(b []byte) (float64, bool) {
	if len(b) == 0 || isCSpace(b[0]) {
		return 0, false
	}
	f, err := parseCFloat(string(b))
	if err != nil || math.IsNaN(f) {
		return 0, false
	}
	// strtod's underflow to zero (ERANGE) is an error too; "0" is not one.
	if f == 0 && nonZeroMantissa(string(b)) {
		return 0, false
	}
	return f, true
}

// nonZeroMantissa reports whether the number's digits before any exponent
// include a non-zero one (then a zero result is an underflow).
func nonZeroMantissa(s string) bool {
	s = strings.TrimLeft(s, "+-")
	hex := len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')
	if hex {
		s = s[2:]
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if (!hex && (ch == 'e' || ch == 'E')) || (hex && (ch == 'p' || ch == 'P')) {
			break
		}
		if ch != '0' && ch != '.' {
			return true
		}
	}
	return false
}

// parseCFloat is strconv.ParseFloat with C strtod's syntax: hexadecimal
// needs no "p" exponent, and underscores are not digits.
func parseCFloat(s string) (float64, error) {
	if strings.IndexByte(s, '_') >= 0 {
		return 0, strconv.ErrSyntax
	}
	h := strings.TrimLeft(s, "+-")
	if len(h) > 2 && h[0] == '0' && (h[1] == 'x' || h[1] == 'X') && !strings.ContainsAny(h, "pP") {
		s += "p0"
	}
	return strconv.ParseFloat(s, 64)
}

// strtodFull is strtod requiring the whole string to be consumed, as
// zslParseRange: leading spaces and overflow are accepted, "" is 0.
func strtodFull(b []byte) (float64, bool) {
	i := 0
	for i < len(b) && isCSpace(b[i]) {
		i++
	}
	if i == len(b) {
		return 0, i == 0
	}
	f, err := parseCFloat(string(b[i:]))
	if err != nil {
		if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
			return 0, false
		}
	}
	if math.IsNaN(f) {
		return 0, false
	}
	return f, true
}

// zslParseRange parses a score range: "(" makes a bound exclusive.
func zslParseRange(min, max []byte) (datatypes.RangeSpec, bool) {
	var r datatypes.RangeSpec
	var ok bool
	if len(min) > 0 && min[0] == '(' {
		r.Min, ok = strtodFull(min[1:])
		r.MinEx = true
	} else {
		r.Min, ok = strtodFull(min)
	}
	if !ok {
		return r, false
	}
	if len(max) > 0 && max[0] == '(' {
		r.Max, ok = strtodFull(max[1:])
		r.MaxEx = true
	} else {
		r.Max, ok = strtodFull(max)
	}
	return r, ok
}

const (
	errMinMaxFloat = "ERR min or max is not a float"
	errMinMaxLex   = "ERR min or max not valid string range item"
)

// --- commands ---

// zaddGeneric is zaddGenericCommand, for ZADD and ZINCRBY (which passes
// ZAddIncr).
func zaddGeneric(c *client, flags datatypes.ZAddFlags) {
	s := c.srv
	key := c.argv[1]
	ch := false
	idx := 2
	for ; idx < len(c.argv); idx++ {
		switch strings.ToLower(string(c.argv[idx])) {
		case "nx":
			flags |= datatypes.ZAddNX
		case "xx":
			flags |= datatypes.ZAddXX
		case "ch":
			ch = true
		case "incr":
			flags |= datatypes.ZAddIncr
		case "gt":
			flags |= datatypes.ZAddGT
		case "lt":
			flags |= datatypes.ZAddLT
		default:
			goto done
		}
	}
done:
	incr := flags&datatypes.ZAddIncr != 0
	nx, xx := flags&datatypes.ZAddNX != 0, flags&datatypes.ZAddXX != 0
	gt, lt := flags&datatypes.ZAddGT != 0, flags&datatypes.ZAddLT != 0
	elements := len(c.argv) - idx
	if elements%2 != 0 || elements == 0 {
		c.addError(errSyntax)
		return
	}
	elements /= 2
	if nx && xx {
		c.addErrorString("ERR XX and NX options at the same time are not compatible")
		return
	}
	if (gt && nx) || (lt && nx) || (gt && lt) {
		c.addErrorString("ERR GT, LT, and/or NX options at the same time are not compatible")
		return
	}
	if incr && elements > 1 {
		c.addErrorString("ERR INCR option supports a single increment-element pair")
		return
	}
	scores := make([]float64, elements)
	for j := range scores {
		f, ok := parseScore(c.argv[idx+j*2])
		if !ok {
			c.addError(errNotFloat)
			return
		}
		scores[j] = f
	}
	o, ok := c.lookupType(key, datatypes.TypeZSet, true)
	if !ok {
		return
	}
	var added, updated, processed int64
	var score float64
	if o == nil {
		if xx {
			goto reply
		}
		if s.cfg.ZsetMaxListpackEntries == 0 || s.cfg.ZsetMaxListpackValue < int64(len(c.argv[idx+1])) {
			o = s.newZsetSkiplist()
		} else {
			o = newZsetListpack()
		}
		s.dbAdd(c.db, key, o)
	}
	for j := range scores {
		ns, res, err := s.zsetAdd(o, unsafeString(c.argv[idx+1+j*2]), scores[j], flags)
		if err != nil {
			c.addError(err)
			zaddFinish(c, added+updated, incr)
			return
		}
		if res&datatypes.ZAddAdded != 0 {
			added++
		}
		if res&datatypes.ZAddUpdated != 0 {
			updated++
		}
		if res&datatypes.ZAddNop == 0 {
			processed++
		}
		score = ns
	}
	s.addDirty(added + updated)
reply:
	if incr {
		if processed > 0 {
			c.addDouble(score)
		} else {
			c.addNull()
		}
	} else if ch {
		c.addInt(added + updated)
	} else {
		c.addInt(added)
	}
	zaddFinish(c, added+updated, incr)
}

func zaddFinish(c *client, changed int64, incr bool) {
	if changed > 0 {
		c.srv.signalModifiedKey(c.db, unsafeString(c.argv[1]))
		event := "zadd"
		if incr {
			event = "zincr"
		}
		c.notify(NotifyZset, event, c.argv[1])
	}
}

// ZADD key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...]
func zaddCommand(c *client) { zaddGeneric(c, 0) }

// ZINCRBY key increment member
func zincrbyCommand(c *client) { zaddGeneric(c, datatypes.ZAddIncr) }

// ZREM key member [member ...]
func zremCommand(c *client) {
	c.removeElements(datatypes.TypeZSet, NotifyZset, "zrem", func(o *datatypes.Object, m []byte) bool {
		return zsetRemove(o, unsafeString(m))
	}, zsetLen)
}

// ZCARD key
func zcardCommand(c *client) {
	o, ok := c.lookupType(c.argv[1], datatypes.TypeZSet, false)
	if !ok {
		return
	}
	if o == nil {
		c.addInt(0)
		return
	}
	c.addInt(int64(zsetLen(o)))
}

// ZSCORE key member
func zscoreCommand(c *client) {
	o, ok := c.lookupType(c.argv[1], datatypes.TypeZSet, false)
	if !ok {
		return
	}
	if o == nil {
		c.addNull()
		return
	}
	if sc, ok := zsetScore(o, unsafeString(c.argv[2])); ok {
		c.addDouble(sc)
		return
	}
	c.addNull()
}

// ZMSCORE key member [member ...]
func zmscoreCommand(c *client) {
	o, ok := c.lookupType(c.argv[1], datatypes.TypeZSet, false)
	if !ok {
		return
	}
	c.addArrayLen(len(c.argv) - 2)
	for _, m := range c.argv[2:] {
		if o != nil {
			if sc, ok := zsetScore(o, unsafeString(m)); ok {
				c.addDouble(sc)
				continue
			}
		}
		c.addNull()
	}
}

func zrankGeneric(c *client, rev bool) {
	o, ok := c.lookupType(c.argv[1], datatypes.TypeZSet, false)
	if !ok {
		return
	}
	if o == nil {
		c.addNull()
		return
	}
	if r, ok := zsetRank(o, unsafeString(c.argv[2]), rev); ok {
		c.addInt(int64(r))
		return
	}
	c.addNull()
}

// ZRANK key member
func zrankCommand(c *client) { zrankGeneric(c, false) }

// ZREVRANK key member
func zrevrankCommand(c *client) { zrankGeneric(c, true) }

// ZCOUNT key min max
func zcountCommand(c *client) {
	r, ok := zslParseRange(c.argv[2], c.argv[3])
	if !ok {
		c.addErrorString(errMinMaxFloat)
		return
	}
	o, ok := c.lookupType(c.argv[1], datatypes.TypeZSet, false)
	if !ok {
		return
	}
	if o == nil {
		c.addInt(0)
		return
	}
	if o.Enc == datatypes.EncSkiplist {
		c.addInt(int64(zsk(o).Count(&r)))
		return
	}
	n := 0
	zsetRangeByScore(o, &r, false, 0, -1, func(string, float64) bool { n++; return true })
	c.addInt(int64(n))
}

// ZLEXCOUNT key min max
func zlexcountCommand(c *client) {
	r, err := datatypes.ParseLexRange(c.argv[2], c.argv[3])
	if err != nil {
		c.addErrorString(errMinMaxLex)
		return
	}
	o, ok := c.lookupType(c.argv[1], datatypes.TypeZSet, false)
	if !ok {
		return
	}
	if o == nil {
		c.addInt(0)
		return
	}
	if o.Enc == datatypes.EncSkiplist {
		c.addInt(int64(zsk(o).LexCount(&r)))
		return
	}
	n := 0
	zsetRangeByLex(o, &r, false, 0, -1, func(string, float64) bool { n++; return true })
	c.addInt(int64(n))
}

type zrangeType int

const (
	zrangeAuto zrangeType = iota
	zrangeRank
	zrangeScore
	zrangeLex
)

type zrangeDir int

const (
	zdirAuto zrangeDir = iota
	zdirForward
	zdirReverse
)

// emitEntries replies a range result: flat member, score pairs in RESP2,
// [member, score] pairs in RESP3 when withscores.
func emitEntries(c *client, es []zent, withscores bool) {
	if withscores && c.proto == 2 {
		c.addArrayLen(len(es) * 2)
	} else {
		c.addArrayLen(len(es))
	}
	for _, e := range es {
		if withscores && c.proto > 2 {
			c.addArrayLen(2)
		}
		c.addBulkString(e.Member)
		if withscores {
			c.addDouble(e.Score)
		}
	}
}

// zrangeGeneric is zrangeGenericCommand: argv[start] is the source key,
// followed by min and max (start and end for ranks) and the options.
// dst != nil stores the result (ZRANGESTORE).
func zrangeGeneric(c *client, start int, dst []byte, rt zrangeType, dir zrangeDir) {
	s := c.srv
	key := c.argv[start]
	minidx, maxidx := start+1, start+2
	withscores := false
	var offset, limit int64 = 0, -1
	for j := start + 3; j < len(c.argv); j++ {
		left := len(c.argv) - j - 1
		opt := strings.ToLower(string(c.argv[j]))
		switch {
		case dst == nil && opt == "withscores":
			withscores = true
		case opt == "limit" && left >= 2:
			o, ok1 := datatypes.ParseInt(c.argv[j+1])
			if !ok1 {
				c.addError(errNotInt)
				return
			}
			l, ok2 := datatypes.ParseInt(c.argv[j+2])
			if !ok2 {
				c.addError(errNotInt)
				return
			}
			offset, limit = o, l
			j += 2
		case dir == zdirAuto && opt == "rev":
			dir = zdirReverse
		case rt == zrangeAuto && opt == "bylex":
			rt = zrangeLex
		case rt == zrangeAuto && opt == "byscore":
			rt = zrangeScore
		default:
			c.addError(errSyntax)
			return
		}
	}
	if dir == zdirAuto {
		dir = zdirForward
	}
	if rt == zrangeAuto {
		rt = zrangeRank
	}
	if limit != -1 && rt == zrangeRank {
		c.addErrorString("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX")
		return
	}
	if withscores && rt == zrangeLex {
		c.addErrorString("ERR syntax error, WITHSCORES not supported in combination with BYLEX")
		return
	}
	rev := dir == zdirReverse
	if rev && rt != zrangeRank {
		minidx, maxidx = maxidx, minidx
	}
	var rstart, rend int64
	var sr datatypes.RangeSpec
	var lr datatypes.LexRangeSpec
	switch rt {
	case zrangeRank:
		var ok1, ok2 bool
		rstart, ok1 = datatypes.ParseInt(c.argv[minidx])
		if !ok1 {
			c.addError(errNotInt)
			return
		}
		rend, ok2 = datatypes.ParseInt(c.argv[maxidx])
		if !ok2 {
			c.addError(errNotInt)
			return
		}
	case zrangeScore:
		var ok bool
		if sr, ok = zslParseRange(c.argv[minidx], c.argv[maxidx]); !ok {
			c.addErrorString(errMinMaxFloat)
			return
		}
	case zrangeLex:
		var err error
		if lr, err = datatypes.ParseLexRange(c.argv[minidx], c.argv[maxidx]); err != nil {
			c.addErrorString(errMinMaxLex)
			return
		}
	}
	o := s.lookupKeyRead(c.db, key)
	if o != nil && o.Type != datatypes.TypeZSet {
		c.addError(errWrongType)
		return
	}
	var es []zent
	collect := func(m string, sc float64) bool { es = append(es, zent{Member: m, Score: sc}); return true }
	if o != nil {
		switch rt {
		case zrangeRank:
			llen := int64(zsetLen(o))
			if rstart < 0 {
				rstart += llen
			}
			if rend < 0 {
				rend += llen
			}
			if rstart < 0 {
				rstart = 0
			}
			if rstart <= rend && rstart < llen {
				if rend >= llen {
					rend = llen - 1
				}
				zsetRangeByRank(o, int(rstart), int(rend), rev, collect)
			}
		case zrangeScore, zrangeLex:
			if offset < 0 || (offset > 0 && offset >= int64(zsetLen(o))) {
				break
			}
			lim := int(limit)
			if limit < 0 {
				lim = -1
			}
			if rt == zrangeScore {
				zsetRangeByScore(o, &sr, rev, int(offset), lim, collect)
			} else {
				zsetRangeByLex(o, &lr, rev, int(offset), lim, collect)
			}
		}
	}
	if dst == nil {
		emitEntries(c, es, withscores)
		return
	}
	if len(es) == 0 {
		if s.dbDelete(c.db, dst) {
			s.signalModifiedKey(c.db, unsafeString(dst))
			c.notify(NotifyGeneric, "del", dst)
			s.addDirty(1)
		}
		c.addInt(0)
		return
	}
	// zrangeResultBeginStore: a rank range knows its length up front and
	// may start as a skiplist; score and lex ranges pass -1 and start as a
	// listpack, converting while adding (so a -0 score reads back as 0).
	res := newZsetListpack()
	if rt == zrangeRank && int64(len(es)) > s.cfg.ZsetMaxListpackEntries {
		res = s.newZsetSkiplist()
	}
	for _, e := range es {
		s.zsetAdd(res, e.Member, e.Score, 0)
	}
	s.setKey(c.db, dst, res, false)
	c.notify(NotifyZset, "zrangestore", dst)
	s.addDirty(1)
	c.addInt(int64(len(es)))
}

// ZRANGE key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES]
func zrangeCommand(c *client) { zrangeGeneric(c, 1, nil, zrangeAuto, zdirAuto) }

// ZRANGESTORE dst src min max [BYSCORE | BYLEX] [REV] [LIMIT offset count]
func zrangestoreCommand(c *client) { zrangeGeneric(c, 2, c.argv[1], zrangeAuto, zdirAuto) }

// ZREVRANGE key start stop [WITHSCORES]
func zrevrangeCommand(c *client) { zrangeGeneric(c, 1, nil, zrangeRank, zdirReverse) }

// ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count]
func zrangebyscoreCommand(c *client) { zrangeGeneric(c, 1, nil, zrangeScore, zdirForward) }

// ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count]
func zrevrangebyscoreCommand(c *client) { zrangeGeneric(c, 1, nil, zrangeScore, zdirReverse) }

// ZRANGEBYLEX key min max [LIMIT offset count]
func zrangebylexCommand(c *client) { zrangeGeneric(c, 1, nil, zrangeLex, zdirForward) }

// ZREVRANGEBYLEX key max min [LIMIT offset count]
func zrevrangebylexCommand(c *client) { zrangeGeneric(c, 1, nil, zrangeLex, zdirReverse) }

// zremrangeGeneric is zremrangeGenericCommand.
func zremrangeGeneric(c *client, rt zrangeType) {
	s := c.srv
	var start, end int64
	var sr datatypes.RangeSpec
	var lr datatypes.LexRangeSpec
	switch rt {
	case zrangeRank:
		var ok bool
		if start, ok = datatypes.ParseInt(c.argv[2]); !ok {
			c.addError(errNotInt)
			return
		}
		if end, ok = datatypes.ParseInt(c.argv[3]); !ok {
			c.addError(errNotInt)
			return
		}
	case zrangeScore:
		var ok bool
		if sr, ok = zslParseRange(c.argv[2], c.argv[3]); !ok {
			c.addErrorString(errMinMaxFloat)
			return
		}
	case zrangeLex:
		var err error
		if lr, err = datatypes.ParseLexRange(c.argv[2], c.argv[3]); err != nil {
			c.addErrorString(errMinMaxLex)
			return
		}
	}
	o, ok := c.lookupType(c.argv[1], datatypes.TypeZSet, true)
	if !ok {
		return
	}
	if o == nil {
		c.addInt(0)
		return
	}
	if rt == zrangeRank {
		llen := int64(zsetLen(o))
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
			c.addInt(0)
			return
		}
		if end >= llen {
			end = llen - 1
		}
	}
	deleted := 0
	if o.Enc == datatypes.EncSkiplist {
		z := zsk(o)
		switch rt {
		case zrangeRank:
			deleted = z.DeleteRangeByRank(int(start), int(end), nil)
		case zrangeScore:
			deleted = z.DeleteRangeByScore(&sr, nil)
		default:
			deleted = z.DeleteRangeByLex(&lr, nil)
		}
	} else {
		es := datatypes.ZzlEntries(zlp(o))
		gone := map[string]bool{}
		mark := func(m string, _ float64) bool { gone[m] = true; return true }
		switch rt {
		case zrangeRank:
			zsetRangeByRank(o, int(start), int(end), false, mark)
		case zrangeScore:
			zsetRangeByScore(o, &sr, false, 0, -1, mark)
		default:
			zsetRangeByLex(o, &lr, false, 0, -1, mark)
		}
		if deleted = len(gone); deleted > 0 {
			kept := es[:0]
			for _, e := range es {
				if !gone[e.Member] {
					kept = append(kept, e)
				}
			}
			o.SetVal(datatypes.ZzlBuild(kept))
		}
	}
	keyRemoved := false
	if zsetLen(o) == 0 {
		s.dbDelete(c.db, c.argv[1])
		keyRemoved = true
	}
	if deleted > 0 {
		s.signalModifiedKey(c.db, unsafeString(c.argv[1]))
		c.notify(NotifyZset, [...]string{zrangeRank: "zremrangebyrank", zrangeScore: "zremrangebyscore", zrangeLex: "zremrangebylex"}[rt], c.argv[1])
		if keyRemoved {
			c.notify(NotifyGeneric, "del", c.argv[1])
		}
		s.addDirty(int64(deleted))
	}
	c.addInt(int64(deleted))
}

// ZREMRANGEBYRANK key start stop
func zremrangebyrankCommand(c *client) { zremrangeGeneric(c, zrangeRank) }

// ZREMRANGEBYSCORE key min max
func zremrangebyscoreCommand(c *client) { zremrangeGeneric(c, zrangeScore) }

// ZREMRANGEBYLEX key min max
func zremrangebylexCommand(c *client) { zremrangeGeneric(c, zrangeLex) }

// genericZpop is genericZpopCommand: it pops up to count elements (-1: a
// single one, flat reply) from the first non-empty sorted set of keys.
// emitKey and nested select the reply shape of ZMPOP and RESP3 counts.
func genericZpop(c *client, keys [][]byte, max bool, emitKey bool, count int64, nested, nilWhenEmpty bool) {
	s := c.srv
	var o *datatypes.Object
	var key []byte
	for _, k := range keys {
		o = s.lookupKeyWrite(c.db, k)
		if o == nil {
			continue
		}
		if o.Type != datatypes.TypeZSet {
			c.addError(errWrongType)
			return
		}
		key = k
		break
	}
	if o == nil {
		if nilWhenEmpty {
			c.addNullArray()
		} else {
			c.addArrayLen(0)
		}
		return
	}
	if count == 0 {
		c.addArrayLen(0)
		return
	}
	single := count == -1
	if single {
		count = 1
	}
	llen := int64(zsetLen(o))
	n := min(count, llen)
	switch {
	case !nested && !emitKey: // ZPOPMIN/ZPOPMAX in RESP2
		c.addArrayLen(int(n * 2))
	case nested && !emitKey: // ZPOPMIN/ZPOPMAX with a count in RESP3
		c.addArrayLen(int(n))
	case !nested && emitKey: // BZPOPMIN/BZPOPMAX
		c.addArrayLen(int(n*2 + 1))
		c.addBulk(key)
	default: // ZMPOP/BZMPOP
		c.addArrayLen(2)
		c.addBulk(key)
		c.addArrayLen(int(n))
	}
	// A listpack is decoded once; a skiplist is popped from its ends
	// without copying the set (a pop costs O(log n), not O(n)).
	var es []zent
	if o.Enc == datatypes.EncListpack {
		es = zsetEntries(o)
	}
	for i := int64(0); i < n; i++ {
		var e zent
		switch {
		case es != nil && max:
			e = es[len(es)-1-int(i)]
		case es != nil:
			e = es[i]
		default:
			x := zsk(o).Skiplist().First()
			if max {
				x = zsk(o).Skiplist().Last()
			}
			e = zent{Member: x.Member(), Score: x.Score()}
		}
		zsetRemove(o, e.Member)
		if nested {
			c.addArrayLen(2)
		}
		c.addBulkString(e.Member)
		c.addDouble(e.Score)
	}
	s.addDirty(n)
	if n > 0 {
		event := "zpopmin"
		if max {
			event = "zpopmax"
		}
		c.notify(NotifyZset, event, key)
	}
	if zsetLen(o) == 0 {
		s.dbDelete(c.db, key)
		c.notify(NotifyGeneric, "del", key)
	}
	s.signalModifiedKey(c.db, unsafeString(key))
	if emitKey {
		// ZMPOP and the blocking pops propagate as ZPOPMIN/ZPOPMAX key
		// [n], n being how many were popped (redis-server 7.0.15's AOF).
		name := "ZPOPMIN"
		if max {
			name = "ZPOPMAX"
		}
		if single {
			c.alsoPropagate(c.db.ID, []byte(name), copyBytes(key))
		} else {
			c.alsoPropagate(c.db.ID, []byte(name), copyBytes(key), []byte(strconv.FormatInt(n, 10)))
		}
	}
}

func zpopMinMax(c *client, max bool) {
	if len(c.argv) > 3 {
		c.addError(errSyntax)
		return
	}
	count := int64(-1)
	if len(c.argv) == 3 {
		l, ok := datatypes.ParseInt(c.argv[2])
		if !ok || l < 0 {
			c.addErrorString(errNotPositive)
			return
		}
		count = l
	}
	genericZpop(c, c.argv[1:2], max, false, count, c.proto > 2 && count != -1, false)
}

// ZPOPMIN key [count]
func zpopminCommand(c *client) { zpopMinMax(c, false) }

// ZPOPMAX key [count]
func zpopmaxCommand(c *client) { zpopMinMax(c, true) }

// ZMPOP numkeys key [key ...] MIN | MAX [COUNT count]
func zmpopCommand(c *client) { zmpopGeneric(c, 1, false) }

// zmpopGeneric is zmpopGenericCommand: argv[numkeysIdx] is numkeys, keys
// follow, then MIN|MAX and COUNT; block makes it BZMPOP.
func zmpopGeneric(c *client, numkeysIdx int, block bool) {
	numkeys, ok := datatypes.ParseInt(c.argv[numkeysIdx])
	if !ok || numkeys < 1 {
		c.addErrorString("ERR numkeys should be greater than 0")
		return
	}
	whereIdx := int64(numkeysIdx) + 1 + numkeys
	if whereIdx >= int64(len(c.argv)) || whereIdx < 0 {
		c.addError(errSyntax)
		return
	}
	var max bool
	switch strings.ToLower(string(c.argv[whereIdx])) {
	case "min":
	case "max":
		max = true
	default:
		c.addError(errSyntax)
		return
	}
	count := int64(-1)
	for j := int(whereIdx) + 1; j < len(c.argv); j++ {
		if count == -1 && strings.EqualFold(string(c.argv[j]), "count") && j+1 < len(c.argv) {
			j++
			l, ok := datatypes.ParseInt(c.argv[j])
			if !ok || l < 1 {
				c.addErrorString("ERR count should be greater than 0")
				return
			}
			count = l
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
		blockingZpopGeneric(c, keys, max, 1, count, true)
		return
	}
	genericZpop(c, keys, max, true, count, true, true)
}

// blockingZpopGeneric is blockingGenericZpopCommand: the timeout (at
// argv[timeoutIdx]) is parsed first; the first non-empty sorted set among
// keys is popped as ZPOPMIN/ZPOPMAX (propagated so), otherwise the client
// blocks (blocking.go) and runs this again when a key is created. A
// timeout replies a null array.
func blockingZpopGeneric(c *client, keys [][]byte, max bool, timeoutIdx int, count int64, nested bool) {
	timeout, ok := c.blockTimeout(c.argv[timeoutIdx])
	if !ok {
		return
	}
	for _, k := range keys {
		o := c.srv.lookupKeyWrite(c.db, k)
		if o == nil {
			continue
		}
		if o.Type != datatypes.TypeZSet {
			c.addError(errWrongType)
			return
		}
		if zsetLen(o) == 0 {
			continue
		}
		genericZpop(c, [][]byte{k}, max, true, count, nested, true)
		return
	}
	c.blockForKeys(keys, datatypes.TypeZSet, timeout, (*client).addNullArray)
}

// BZPOPMIN key [key ...] timeout
func bzpopminCommand(c *client) {
	blockingZpopGeneric(c, c.argv[1:len(c.argv)-1], false, len(c.argv)-1, -1, false)
}

// BZPOPMAX key [key ...] timeout
func bzpopmaxCommand(c *client) {
	blockingZpopGeneric(c, c.argv[1:len(c.argv)-1], true, len(c.argv)-1, -1, false)
}

// BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]
func bzmpopCommand(c *client) { zmpopGeneric(c, 2, true) }

// --- ZUNION, ZINTER, ZDIFF ---

type zsetOp int

const (
	zopUnion zsetOp = iota
	zopInter
	zopDiff
)

type zsrc struct {
	o      *datatypes.Object
	weight float64
}

func zsrcLen(z zsrc) int {
	switch {
	case z.o == nil:
		return 0
	case z.o.Type == datatypes.TypeSet:
		return setTypeSize(z.o)
	}
	return zsetLen(z.o)
}

// zsrcEntries lists a source's elements; set members score 1.
func zsrcEntries(z zsrc) []zent {
	if z.o == nil {
		return nil
	}
	if z.o.Type == datatypes.TypeSet {
		var out []zent
		setTypeRange(z.o, func(m string) bool { out = append(out, zent{Member: m, Score: 1}); return true })
		return out
	}
	return zsetEntries(z.o)
}

func zsrcFind(z zsrc, m string) (float64, bool) {
	if z.o == nil {
		return 0, false
	}
	if z.o.Type == datatypes.TypeSet {
		return 1, setTypeIsMember(z.o, m)
	}
	return zsetScore(z.o, m)
}

type zaggregate int

const (
	aggSum zaggregate = iota
	aggMin
	aggMax
)

func zaggregateInto(target *float64, val float64, agg zaggregate) {
	switch agg {
	case aggSum:
		*target += val
		if math.IsNaN(*target) {
			*target = 0
		}
	case aggMin:
		if val < *target {
			*target = val
		}
	case aggMax:
		if val > *target {
			*target = val
		}
	}
}

// zunionInterDiffGeneric is zunionInterDiffGenericCommand: argv[numkeysIdx]
// is numkeys; dst != nil stores; cardOnly is ZINTERCARD.
func zunionInterDiffGeneric(c *client, dst []byte, numkeysIdx int, op zsetOp, cardOnly bool) {
	s := c.srv
	numkeys, ok := datatypes.ParseInt(c.argv[numkeysIdx])
	if !ok {
		c.addError(errNotInt)
		return
	}
	if numkeys < 1 {
		name := strings.ToLower(string(c.argv[0]))
		c.addErrorString("ERR at least 1 input key is needed for '" + name + "' command")
		return
	}
	if numkeys > int64(len(c.argv)-numkeysIdx-1) {
		c.addError(errSyntax)
		return
	}
	keys := c.argv[numkeysIdx+1 : numkeysIdx+1+int(numkeys)]
	src := make([]zsrc, len(keys))
	for i, k := range keys {
		// Sources are read (a miss is a keymiss event) even for the STORE
		// forms, as redis-server 7.0.15 does.
		o := s.lookupKeyRead(c.db, k)
		if o != nil && o.Type != datatypes.TypeZSet && o.Type != datatypes.TypeSet {
			c.addError(errWrongType)
			return
		}
		src[i] = zsrc{o: o, weight: 1}
	}
	agg := aggSum
	withscores := false
	var limit int64
	for j := numkeysIdx + 1 + int(numkeys); j < len(c.argv); j++ {
		left := len(c.argv) - j - 1
		opt := strings.ToLower(string(c.argv[j]))
		switch {
		case cardOnly && opt == "limit" && left >= 1:
			l, ok := datatypes.ParseInt(c.argv[j+1])
			if !ok {
				c.addError(errNotInt)
				return
			}
			if l < 0 {
				c.addErrorString("ERR LIMIT can't be negative")
				return
			}
			limit = l
			j++
		case op != zopDiff && !cardOnly && opt == "weights" && left >= int(numkeys):
			for i := range src {
				j++
				w, ok := parseScore(c.argv[j])
				if !ok {
					c.addErrorString("ERR weight value is not a float")
					return
				}
				src[i].weight = w
			}
		case op != zopDiff && !cardOnly && opt == "aggregate" && left >= 1:
			j++
			switch strings.ToLower(string(c.argv[j])) {
			case "sum":
				agg = aggSum
			case "min":
				agg = aggMin
			case "max":
				agg = aggMax
			default:
				c.addError(errSyntax)
				return
			}
		case dst == nil && !cardOnly && opt == "withscores":
			withscores = true
		default:
			c.addError(errSyntax)
			return
		}
	}
	if op != zopDiff {
		sort.SliceStable(src, func(i, j int) bool { return zsrcLen(src[i]) < zsrcLen(src[j]) })
	}

	res := datatypes.NewZSet(s.seed, nil)
	maxelelen, totelelen := 0, 0
	var card int64
	add := func(m string, sc float64) {
		res.Add(m, sc, 0)
		totelelen += len(m)
		maxelelen = max(maxelelen, len(m))
	}
	switch op {
	case zopInter:
		if zsrcLen(src[0]) > 0 {
		outer:
			for _, e := range zsrcEntries(src[0]) {
				score := src[0].weight * e.Score
				if math.IsNaN(score) {
					score = 0
				}
				for _, other := range src[1:] {
					var v float64
					if other.o == src[0].o {
						v = e.Score * other.weight
					} else {
						f, ok := zsrcFind(other, e.Member)
						if !ok {
							continue outer
						}
						v = f * other.weight
					}
					zaggregateInto(&score, v, agg)
				}
				if cardOnly {
					card++
					if limit > 0 && card >= limit {
						break
					}
					continue
				}
				add(e.Member, score)
			}
		}
	case zopUnion:
		acc := map[string]float64{}
		var order []string
		for _, z := range src {
			for _, e := range zsrcEntries(z) {
				score := z.weight * e.Score
				if math.IsNaN(score) {
					score = 0
				}
				if cur, ok := acc[e.Member]; ok {
					zaggregateInto(&cur, score, agg)
					acc[e.Member] = cur
				} else {
					acc[e.Member] = score
					order = append(order, e.Member)
				}
			}
		}
		for _, m := range order {
			add(m, acc[m])
		}
	case zopDiff:
	diff:
		for _, e := range zsrcEntries(src[0]) {
			for _, other := range src[1:] {
				if _, ok := zsrcFind(other, e.Member); ok {
					continue diff
				}
			}
			add(e.Member, e.Score)
		}
	}

	switch {
	case cardOnly:
		c.addInt(card)
	case dst != nil:
		if res.Len() > 0 {
			o := datatypes.NewObject(datatypes.TypeZSet, datatypes.EncSkiplist, res)
			s.zsetConvertToListpackIfNeeded(o, maxelelen, totelelen)
			s.setKey(c.db, dst, o, false)
			c.notify(NotifyZset, [...]string{zopUnion: "zunionstore", zopInter: "zinterstore", zopDiff: "zdiffstore"}[op], dst)
			s.addDirty(1)
		} else if s.dbDelete(c.db, dst) {
			s.signalModifiedKey(c.db, unsafeString(dst))
			c.notify(NotifyGeneric, "del", dst)
			s.addDirty(1)
		}
		c.addInt(int64(res.Len()))
	default:
		es := make([]zent, 0, res.Len())
		for x := res.Skiplist().First(); x != nil; x = x.Next() {
			es = append(es, zent{Member: x.Member(), Score: x.Score()})
		}
		emitEntries(c, es, withscores)
	}
}

// ZUNION numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX] [WITHSCORES]
func zunionCommand(c *client) { zunionInterDiffGeneric(c, nil, 1, zopUnion, false) }

// ZINTER numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX] [WITHSCORES]
func zinterCommand(c *client) { zunionInterDiffGeneric(c, nil, 1, zopInter, false) }

// ZDIFF numkeys key [key ...] [WITHSCORES]
func zdiffCommand(c *client) { zunionInterDiffGeneric(c, nil, 1, zopDiff, false) }

// ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX]
func zunionstoreCommand(c *client) { zunionInterDiffGeneric(c, c.argv[1], 2, zopUnion, false) }

// ZINTERSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM | MIN | MAX]
func zinterstoreCommand(c *client) { zunionInterDiffGeneric(c, c.argv[1], 2, zopInter, false) }

// ZDIFFSTORE destination numkeys key [key ...]
func zdiffstoreCommand(c *client) { zunionInterDiffGeneric(c, c.argv[1], 2, zopDiff, false) }

// ZINTERCARD numkeys key [key ...] [LIMIT limit]
func zintercardCommand(c *client) { zunionInterDiffGeneric(c, nil, 1, zopInter, true) }

// ZSCAN key cursor [MATCH pattern] [COUNT count]
//
// A listpack is returned whole with cursor 0 and its scores as stored; a
// skiplist's dict is scanned like the keyspace, scores formatted "%.17g".
func zscanCommand(c *client) {
	cursor, ok := parseScanCursor(c.argv[2])
	if !ok {
		c.addError(errInvalidCursor)
		return
	}
	o, ok := c.lookupType(c.argv[1], datatypes.TypeZSet, false)
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
	var items []string
	if o.Enc == datatypes.EncListpack {
		for _, e := range datatypes.ZzlEntries(zlp(o)) {
			items = append(items, e.Member, string(datatypes.D2String(nil, e.Score)))
		}
		cursor = 0
	} else {
		cursor = scanDict(zsk(o).Dict(), cursor, opts.count,
			func(k string, v float64) { items = append(items, k, string(resp.FormatDouble(nil, v))) },
			func() int { return len(items) / 2 })
	}
	kept := items[:0]
	for i := 0; i < len(items); i += 2 {
		if opts.pattern == nil || datatypes.GlobMatch(opts.pattern, []byte(items[i]), false) {
			kept = append(kept, items[i], items[i+1])
		}
	}
	c.addArrayLen(2)
	c.addBulkString(strconv.FormatUint(cursor, 10))
	c.addArrayLen(len(kept))
	for _, m := range kept {
		c.addBulkString(m)
	}
}

// zsetRandom is a random element (zsetTypeRandomElement).
func zsetRandom(o *datatypes.Object, es []zent) zent {
	if o.Enc == datatypes.EncSkiplist {
		m, sc, _ := zsk(o).Dict().RandomKey()
		return zent{Member: m, Score: sc}
	}
	return es[rand.IntN(len(es))]
}

// zrandmemberSubStrategyMul is ZRANDMEMBER_SUB_STRATEGY_MUL: a count above
// a third of the size copies the set and removes random members.
const zrandmemberSubStrategyMul = 3

// ZRANDMEMBER key [count [WITHSCORES]]
func zrandmemberCommand(c *client) {
	if len(c.argv) == 2 {
		o, ok := c.lookupType(c.argv[1], datatypes.TypeZSet, false)
		if !ok {
			return
		}
		if o == nil {
			c.addNull()
			return
		}
		var es []zent
		if o.Enc == datatypes.EncListpack {
			es = zsetEntries(o)
		}
		c.addBulkString(zsetRandom(o, es).Member)
		return
	}
	l, ok := datatypes.ParseInt(c.argv[2])
	if !ok {
		c.addError(errNotInt)
		return
	}
	if l == math.MinInt64 {
		c.addErrorString("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")
		return
	}
	withscores := false
	if len(c.argv) > 4 || (len(c.argv) == 4 && !strings.EqualFold(string(c.argv[3]), "withscores")) {
		c.addError(errSyntax)
		return
	} else if len(c.argv) == 4 {
		withscores = true
		if l < -math.MaxInt64/2 || l > math.MaxInt64/2 {
			c.addErrorString("ERR value is out of range")
			return
		}
	}
	o, ok := c.lookupType(c.argv[1], datatypes.TypeZSet, false)
	if !ok {
		return
	}
	if o == nil {
		c.addArrayLen(0)
		return
	}
	count, uniq := l, true
	if l < 0 {
		count, uniq = -l, false
	}
	if count == 0 {
		c.addArrayLen(0)
		return
	}
	var es []zent
	if o.Enc == datatypes.EncListpack {
		es = zsetEntries(o)
	}
	size := int64(zsetLen(o))
	emit := func(e zent) {
		if withscores && c.proto > 2 {
			c.addArrayLen(2)
		}
		c.addBulkString(e.Member)
		if withscores {
			c.addDouble(e.Score)
		}
	}
	replyLen := func(n int64) {
		if withscores && c.proto == 2 {
			n *= 2
		}
		c.addArrayLen(int(n))
	}
	if !uniq || count == 1 {
		replyLen(count)
		for ; count > 0; count-- {
			emit(zsetRandom(o, es))
			if c.closing() {
				break
			}
		}
		return
	}
	if count >= size {
		// The whole set, from the highest score down: Redis's zset
		// iterator (zuiInitIterator) walks sorted sets from the tail.
		replyLen(size)
		all := zsetEntries(o)
		for i := len(all) - 1; i >= 0; i-- {
			emit(all[i])
		}
		return
	}
	replyLen(count)
	d := datatypes.NewDict[float64](c.srv.seed)
	if count*zrandmemberSubStrategyMul > size {
		for _, e := range zsetEntries(o) {
			d.Set(e.Member, e.Score)
		}
		for int64(d.Len()) > count {
			k, _, _ := d.RandomKey()
			d.Delete(k)
		}
	} else {
		for int64(d.Len()) < count {
			e := zsetRandom(o, es)
			d.Set(e.Member, e.Score)
		}
	}
	d.Range(func(k string, v float64) bool { emit(zent{Member: k, Score: v}); return true })
}
