// ZSet: a sorted set in Redis's OBJ_ENCODING_SKIPLIST encoding (the zset
// struct of src/server.h, the zset* functions of src/t_zset.c): a Skiplist
// ordered by (score, member) plus a Dict from member to score, so that
// ZSCORE is O(1) and ranges and ranks are O(log N).
//
// Layout
//
//	dict  member -> score; the member string is shared with the skiplist node
//	zsl   the Skiplist of (score, member)
//
// Invariant: dict and zsl hold the same members with the same scores. Redis
// stores a pointer to the node's score in the dict; here the dict holds a
// copy, so every score change updates both.
//
// Scores are float64 as in Redis: +inf and -inf are valid scores, NaN never
// is. -0 is not normalized: it is stored as given (ZSCORE then replies
// "-0", as redis-server 7.0 does with the skiplist encoding), and since
// -0 == 0 an update from one to the other is not a change.
//
// The listpack encoding of small sorted sets lives elsewhere; the
// conversion between the two belongs to the owner of both.
//
// Contract: not safe for concurrent use. Lookups never retain the member
// passed in; Add copies it when it inserts, so callers may pass strings
// aliasing a reused buffer.
package datatypes

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
)

// ErrScoreNaN is Redis's reply when an increment makes a score NaN.
var ErrScoreNaN = errors.New("ERR resulting score is not a number (NaN)")

// ZAddFlags are the input flags of Add (ZADD_IN_*).
type ZAddFlags uint8

const (
	ZAddIncr ZAddFlags = 1 << iota // INCR: add score to the current score
	ZAddNX                         // only add new elements
	ZAddXX                         // only update existing elements
	ZAddGT                         // only update when the new score is greater
	ZAddLT                         // only update when the new score is less
)

// ZAddResult are the output flags of Add (ZADD_OUT_*). NaN is reported as
// ErrScoreNaN instead of a flag.
type ZAddResult uint8

const (
	ZAddNop     ZAddResult = 1 << iota // nothing done because of NX/XX/GT/LT
	ZAddAdded                          // the element was added
	ZAddUpdated                        // the element's score changed
)

// ZSet is a sorted set in the skiplist encoding. Create it with NewZSet.
type ZSet struct {
	dict *Dict[float64]
	zsl  *Skiplist
}

// NewZSet returns an empty sorted set whose dict hashes with dictSeed and
// whose skiplist draws levels from rng (nil: the global source).
func NewZSet(dictSeed uint64, rng *rand.Rand) *ZSet {
	return &ZSet{dict: NewDict[float64](dictSeed), zsl: NewSkiplist(rng)}
}

// Len returns the number of elements (zsetLength).
func (z *ZSet) Len() int { return z.zsl.Len() }

// Skiplist returns the ordered index, for iteration (ZRANGE, RDB saving,
// which walks it from Last backwards). Callers must not modify it.
func (z *ZSet) Skiplist() *Skiplist { return z.zsl }

// Dict returns the member -> score dict, for ZSCAN and ZRANDMEMBER.
// Callers must not modify it.
func (z *ZSet) Dict() *Dict[float64] { return z.dict }

// Score returns the score of member (zsetScore).
func (z *ZSet) Score(member string) (float64, bool) {
	return z.dict.Get(member)
}

// Add is zsetAdd: it adds member with score, or updates its score, under
// the rules of flags, and returns the resulting score and what it did.
//
//   - INCR adds score to the current score (or to 0 for a new element); an
//     increment that gives NaN (inf + -inf) returns ErrScoreNaN and changes
//     nothing. A NaN score returns ErrScoreNaN too.
//   - NX: an existing element is left alone (ZAddNop).
//   - XX: a missing element is not added (ZAddNop).
//   - GT / LT: an existing element is updated only if the new score is
//     greater / less than the current one (otherwise ZAddNop); new elements
//     are added regardless.
//   - An existing element whose score compares equal is neither updated
//     nor a nop: the result is 0 (so ZADD CH does not count it).
//
// newScore is meaningful only when the result is ZAddAdded, ZAddUpdated or
// 0 (what ZINCRBY and ZADD INCR reply). Incompatible flag combinations (NX
// with XX, GT, LT) are the caller's to reject, as in Redis.
func (z *ZSet) Add(member string, score float64, flags ZAddFlags) (newScore float64, res ZAddResult, err error) {
	if math.IsNaN(score) {
		return 0, 0, ErrScoreNaN
	}
	if cur, ok := z.dict.Get(member); ok {
		if flags&ZAddNX != 0 {
			return 0, ZAddNop, nil
		}
		if flags&ZAddIncr != 0 {
			score += cur
			if math.IsNaN(score) {
				return 0, 0, ErrScoreNaN
			}
		}
		if (flags&ZAddLT != 0 && score >= cur) || (flags&ZAddGT != 0 && score <= cur) {
			return 0, ZAddNop, nil
		}
		if score != cur {
			n := z.zsl.UpdateScore(cur, member, score)
			// Reuse the node's member string, which the dict already holds.
			z.dict.Set(n.member, score)
			return score, ZAddUpdated, nil
		}
		return score, 0, nil
	}
	if flags&ZAddXX != 0 {
		return 0, ZAddNop, nil
	}
	member = strings.Clone(member)
	z.zsl.Insert(score, member)
	z.dict.Set(member, score)
	return score, ZAddAdded, nil
}

// Remove deletes member and reports whether it was present (zsetRemove).
func (z *ZSet) Remove(member string) bool {
	score, ok := z.dict.Delete(member)
	if !ok {
		return false
	}
	if !z.zsl.Delete(score, member) {
		panic("datatypes: ZSet dict and skiplist out of sync")
	}
	return true
}

// Rank returns the 0-based rank of member, counted from the highest score
// when reverse is set (zsetRank).
func (z *ZSet) Rank(member string, reverse bool) (int, bool) {
	score, ok := z.dict.Get(member)
	if !ok {
		return 0, false
	}
	rank := z.zsl.Rank(score, member)
	if rank == 0 {
		panic("datatypes: ZSet dict and skiplist out of sync")
	}
	if reverse {
		return z.zsl.Len() - rank, true
	}
	return rank - 1, true
}

// RangeByRank calls fn with the elements of 0-based ranks start..end
// inclusive, counted from the highest score when reverse is set, until fn
// returns false. Out-of-range indexes are clamped; negative ones are the
// caller's to normalize (ZRANGE -1 means Len()-1).
func (z *ZSet) RangeByRank(start, end int, reverse bool, fn func(member string, score float64) bool) {
	n := z.zsl.Len()
	if start < 0 {
		start = 0
	}
	if end >= n {
		end = n - 1
	}
	if start > end {
		return
	}
	var x *SkiplistNode
	if reverse {
		x = z.zsl.ByRank(n - start)
	} else {
		x = z.zsl.ByRank(start + 1)
	}
	for i := start; i <= end && x != nil; i++ {
		if !fn(x.member, x.score) {
			return
		}
		if reverse {
			x = x.backward
		} else {
			x = x.level[0].forward
		}
	}
}

// RangeByScore calls fn with the elements within r, in ascending order or
// descending when reverse is set, skipping the first offset of them and
// stopping after limit (limit < 0: no limit) or when fn returns false.
// This is the walk of genericZrangebyscoreCommand.
func (z *ZSet) RangeByScore(r *RangeSpec, reverse bool, offset, limit int, fn func(member string, score float64) bool) {
	walkRange(z.zsl, scoreRange{r}, reverse, offset, limit, fn)
}

// RangeByLex is RangeByScore for a lex range (genericZrangebylexCommand).
func (z *ZSet) RangeByLex(r *LexRangeSpec, reverse bool, offset, limit int, fn func(member string, score float64) bool) {
	walkRange(z.zsl, lexRange{r}, reverse, offset, limit, fn)
}

// walkRange is the walk both range commands share, over either kind of range.
func walkRange[R nodeRange](zsl *Skiplist, r R, reverse bool, offset, limit int, fn func(member string, score float64) bool) {
	var x *SkiplistNode
	if reverse {
		x = lastInRange(zsl, r)
	} else {
		x = firstInRange(zsl, r)
	}
	for ; x != nil && offset > 0; offset-- {
		x = step(x, reverse)
	}
	for ; x != nil && limit != 0; limit-- {
		if reverse {
			if !r.gteMin(x) {
				return
			}
		} else if !r.lteMax(x) {
			return
		}
		if !fn(x.member, x.score) {
			return
		}
		x = step(x, reverse)
	}
}

func step(x *SkiplistNode, reverse bool) *SkiplistNode {
	if reverse {
		return x.backward
	}
	return x.level[0].forward
}

// Count returns how many elements are within r, in O(log N) from the
// ranks of the first and last of them (ZCOUNT).
func (z *ZSet) Count(r *RangeSpec) int {
	first := z.zsl.FirstInRange(r)
	if first == nil {
		return 0
	}
	last := z.zsl.LastInRange(r)
	return z.zsl.Rank(last.score, last.member) - z.zsl.Rank(first.score, first.member) + 1
}

// LexCount returns how many elements are within r (ZLEXCOUNT).
func (z *ZSet) LexCount(r *LexRangeSpec) int {
	first := z.zsl.FirstInLexRange(r)
	if first == nil {
		return 0
	}
	last := z.zsl.LastInLexRange(r)
	return z.zsl.Rank(last.score, last.member) - z.zsl.Rank(first.score, first.member) + 1
}

// DeleteRangeByScore removes the elements within r (ZREMRANGEBYSCORE),
// calling fn (if not nil) with each, and returns how many it removed.
func (z *ZSet) DeleteRangeByScore(r *RangeSpec, fn func(member string, score float64)) int {
	return z.zsl.DeleteRangeByScore(r, z.dictRemover(fn))
}

// DeleteRangeByLex removes the elements within r (ZREMRANGEBYLEX).
func (z *ZSet) DeleteRangeByLex(r *LexRangeSpec, fn func(member string, score float64)) int {
	return z.zsl.DeleteRangeByLex(r, z.dictRemover(fn))
}

// DeleteRangeByRank removes the elements of 0-based ranks start..end
// inclusive (ZREMRANGEBYRANK), clamped like RangeByRank.
func (z *ZSet) DeleteRangeByRank(start, end int, fn func(member string, score float64)) int {
	if start < 0 {
		start = 0
	}
	if end >= z.zsl.Len() {
		end = z.zsl.Len() - 1
	}
	if start > end {
		return 0
	}
	return z.zsl.DeleteRangeByRank(start+1, end+1, z.dictRemover(fn))
}

func (z *ZSet) dictRemover(fn func(member string, score float64)) func(string, float64) {
	return func(member string, score float64) {
		z.dict.Delete(member)
		if fn != nil {
			fn(member, score)
		}
	}
}
