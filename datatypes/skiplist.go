// Skiplist: the ordered half of a sorted set in the skiplist encoding, a
// port of Redis 7.0 src/t_zset.c (zsl* functions) and the zskiplist structs
// of src/server.h.
//
// Structure (as zskiplist / zskiplistNode)
//
//	header   a node with no member and SkiplistMaxLevel levels; never an element
//	tail     the last element, nil when empty
//	length   number of elements
//	level    levels in use by the tallest element (1 when empty)
//
//	node:
//	  member   the element, compared bytewise (memcmp, then length: sdscmp)
//	  score    float64, never NaN
//	  backward the previous element, nil for the first one (level 0 only)
//	  level[i] forward: the next node having a level i
//	           span:    how many level-0 steps forward is away; this is what
//	                    makes rank queries O(log N)
//
// Elements are ordered by (score, member): equal scores fall back to the
// bytewise order of the members, exactly as Redis. Members are unique but
// the skiplist does not check it: the owner (ZSet) keeps a member -> score
// dict and only asks for operations whose preconditions it has verified,
// as Redis's zset does.
//
// Levels are drawn as zslRandomLevel: each extra level with probability
// SkiplistP, capped at SkiplistMaxLevel. The random source is injectable so
// tests are reproducible.
//
// Contract: not safe for concurrent use. Nodes returned by lookups stay
// valid until they are deleted; a node must not be used after its element
// has been deleted or its score updated (UpdateScore may return a new node).
package datatypes

import (
	"errors"
	"math/rand/v2"
)

const (
	SkiplistMaxLevel = 32   // ZSKIPLIST_MAXLEVEL
	SkiplistP        = 0.25 // ZSKIPLIST_P
)

// SkiplistNode is one element of a Skiplist.
type SkiplistNode struct {
	member   string
	score    float64
	backward *SkiplistNode
	level    []skiplistLevel
}

type skiplistLevel struct {
	forward *SkiplistNode
	span    int
}

// Member returns the element's member.
func (n *SkiplistNode) Member() string { return n.member }

// Score returns the element's score.
func (n *SkiplistNode) Score() float64 { return n.score }

// Next returns the following element, or nil after the last one.
func (n *SkiplistNode) Next() *SkiplistNode { return n.level[0].forward }

// Prev returns the preceding element, or nil before the first one.
func (n *SkiplistNode) Prev() *SkiplistNode { return n.backward }

// Skiplist is Redis's zskiplist. Create it with NewSkiplist.
type Skiplist struct {
	header *SkiplistNode
	tail   *SkiplistNode
	length int
	level  int
	rng    *rand.Rand // nil: the math/rand/v2 global source
}

// NewSkiplist returns an empty skiplist drawing node levels from rng, or
// from the math/rand/v2 global source when rng is nil.
func NewSkiplist(rng *rand.Rand) *Skiplist {
	return &Skiplist{
		header: &SkiplistNode{level: make([]skiplistLevel, SkiplistMaxLevel)},
		level:  1,
		rng:    rng,
	}
}

// Len returns the number of elements.
func (zsl *Skiplist) Len() int { return zsl.length }

// First returns the element with the lowest (score, member), nil if empty.
func (zsl *Skiplist) First() *SkiplistNode { return zsl.header.level[0].forward }

// Last returns the element with the highest (score, member), nil if empty.
func (zsl *Skiplist) Last() *SkiplistNode { return zsl.tail }

// randomLevel is zslRandomLevel of Redis 7.0: 16 random bits against
// P*0xFFFF per extra level.
func (zsl *Skiplist) randomLevel() int {
	level := 1
	for level < SkiplistMaxLevel && float64(zsl.rand16()) < SkiplistP*0xFFFF {
		level++
	}
	return level
}

func (zsl *Skiplist) rand16() uint32 {
	if zsl.rng != nil {
		return zsl.rng.Uint32() & 0xFFFF
	}
	return rand.Uint32() & 0xFFFF
}

// newSkiplistNode allocates a node with its levels. Levels 1 and 2 (15 of
// every 16 nodes) come in the same allocation as the node, as Redis's
// flexible array member does, halving allocations and GC objects.
func newSkiplistNode(level int) *SkiplistNode {
	switch level {
	case 1:
		b := new(struct {
			n SkiplistNode
			l [1]skiplistLevel
		})
		b.n.level = b.l[:]
		return &b.n
	case 2:
		b := new(struct {
			n SkiplistNode
			l [2]skiplistLevel
		})
		b.n.level = b.l[:]
		return &b.n
	}
	return &SkiplistNode{level: make([]skiplistLevel, level)}
}

// nodeLess reports whether (score, member) of n sorts before (score, member).
func nodeLess(n *SkiplistNode, score float64, member string) bool {
	return n.score < score || (n.score == score && n.member < member)
}

// Insert adds a new element and returns its node (zslInsert). The caller
// guarantees that member is not already present and that score is not NaN.
// The skiplist retains member.
func (zsl *Skiplist) Insert(score float64, member string) *SkiplistNode {
	var update [SkiplistMaxLevel]*SkiplistNode
	var rank [SkiplistMaxLevel]int
	x := zsl.header
	for i := zsl.level - 1; i >= 0; i-- {
		if i != zsl.level-1 {
			rank[i] = rank[i+1]
		}
		for f := x.level[i].forward; f != nil && nodeLess(f, score, member); f = x.level[i].forward {
			rank[i] += x.level[i].span
			x = f
		}
		update[i] = x
	}
	level := zsl.randomLevel()
	if level > zsl.level {
		for i := zsl.level; i < level; i++ {
			rank[i] = 0
			update[i] = zsl.header
			update[i].level[i].span = zsl.length
		}
		zsl.level = level
	}
	x = newSkiplistNode(level)
	x.member, x.score = member, score
	for i := 0; i < level; i++ {
		x.level[i].forward = update[i].level[i].forward
		update[i].level[i].forward = x
		// update[i] is rank[i] steps from the header and x is rank[0]+1.
		x.level[i].span = update[i].level[i].span - (rank[0] - rank[i])
		update[i].level[i].span = rank[0] - rank[i] + 1
	}
	// Levels above the new node's skip over it: one more step.
	for i := level; i < zsl.level; i++ {
		update[i].level[i].span++
	}
	if update[0] != zsl.header {
		x.backward = update[0]
	}
	if x.level[0].forward != nil {
		x.level[0].forward.backward = x
	} else {
		zsl.tail = x
	}
	zsl.length++
	return x
}

// deleteNode unlinks x given update[i], the last node before x on each
// level (zslDeleteNode).
func (zsl *Skiplist) deleteNode(x *SkiplistNode, update *[SkiplistMaxLevel]*SkiplistNode) {
	for i := 0; i < zsl.level; i++ {
		if update[i].level[i].forward == x {
			update[i].level[i].span += x.level[i].span - 1
			update[i].level[i].forward = x.level[i].forward
		} else {
			update[i].level[i].span--
		}
	}
	if x.level[0].forward != nil {
		x.level[0].forward.backward = x.backward
	} else {
		zsl.tail = x.backward
	}
	for zsl.level > 1 && zsl.header.level[zsl.level-1].forward == nil {
		zsl.level--
	}
	zsl.length--
}

// findUpdate fills update with the last node before (score, member) on
// every level and returns the candidate that follows at level 0.
func (zsl *Skiplist) findUpdate(score float64, member string, update *[SkiplistMaxLevel]*SkiplistNode) *SkiplistNode {
	x := zsl.header
	for i := zsl.level - 1; i >= 0; i-- {
		for f := x.level[i].forward; f != nil && nodeLess(f, score, member); f = x.level[i].forward {
			x = f
		}
		update[i] = x
	}
	return x.level[0].forward
}

// Delete removes the element with this exact score and member and reports
// whether it was found (zslDelete).
func (zsl *Skiplist) Delete(score float64, member string) bool {
	var update [SkiplistMaxLevel]*SkiplistNode
	x := zsl.findUpdate(score, member, &update)
	if x != nil && x.score == score && x.member == member {
		zsl.deleteNode(x, &update)
		x.level = nil // a stale node now fails loudly instead of walking the list
		return true
	}
	return false
}

// UpdateScore changes the score of the element (curscore, member) to
// newscore and returns its node, which may be a new one (zslUpdateScore).
// When the new score keeps the element between its neighbours the node is
// updated in place, without touching the structure; otherwise it is removed
// and inserted again. The caller guarantees the element exists with
// curscore and that newscore is not NaN; it panics otherwise, as Redis
// asserts.
func (zsl *Skiplist) UpdateScore(curscore float64, member string, newscore float64) *SkiplistNode {
	var update [SkiplistMaxLevel]*SkiplistNode
	x := zsl.findUpdate(curscore, member, &update)
	if x == nil || x.score != curscore || x.member != member {
		panic("datatypes: Skiplist.UpdateScore of an absent element")
	}
	// The in-place fast path compares scores only, exactly as Redis: with an
	// equal neighbour score the member order would have to be checked, so
	// that case takes the slow path.
	if (x.backward == nil || x.backward.score < newscore) &&
		(x.level[0].forward == nil || x.level[0].forward.score > newscore) {
		x.score = newscore
		return x
	}
	zsl.deleteNode(x, &update)
	x.level = nil
	// The node's own member: the caller's may alias a reused buffer.
	return zsl.Insert(newscore, x.member)
}

// Rank returns the 1-based rank of the element (score, member), or 0 when
// it is absent (zslGetRank).
func (zsl *Skiplist) Rank(score float64, member string) int {
	rank := 0
	x := zsl.header
	for i := zsl.level - 1; i >= 0; i-- {
		for f := x.level[i].forward; f != nil && (f.score < score || (f.score == score && f.member <= member)); f = x.level[i].forward {
			rank += x.level[i].span
			x = f
		}
		if x != zsl.header && x.score == score && x.member == member {
			return rank
		}
	}
	return 0
}

// ByRank returns the element at 1-based rank, nil when out of range
// (zslGetElementByRank).
func (zsl *Skiplist) ByRank(rank int) *SkiplistNode {
	if rank < 1 || rank > zsl.length {
		return nil
	}
	traversed := 0
	x := zsl.header
	for i := zsl.level - 1; i >= 0; i-- {
		for x.level[i].forward != nil && traversed+x.level[i].span <= rank {
			traversed += x.level[i].span
			x = x.level[i].forward
		}
		if traversed == rank {
			return x
		}
	}
	return nil
}

// ---------------------------------------------------------------------------
// Score ranges

// RangeSpec is zrangespec: scores from Min to Max, each bound exclusive when
// its Ex flag is set. Bounds may be infinite; NaN bounds are rejected by the
// parser before a RangeSpec is built.
type RangeSpec struct {
	Min, Max     float64
	MinEx, MaxEx bool
}

// GteMin reports whether value is at or above the lower bound (zslValueGteMin).
func (r *RangeSpec) GteMin(value float64) bool {
	if r.MinEx {
		return value > r.Min
	}
	return value >= r.Min
}

// LteMax reports whether value is at or below the upper bound (zslValueLteMax).
func (r *RangeSpec) LteMax(value float64) bool {
	if r.MaxEx {
		return value < r.Max
	}
	return value <= r.Max
}

// Empty reports whether no score can satisfy r.
func (r *RangeSpec) Empty() bool {
	return r.Min > r.Max || (r.Min == r.Max && (r.MinEx || r.MaxEx))
}

// IsInRange reports whether some element may fall within r (zslIsInRange).
func (zsl *Skiplist) IsInRange(r *RangeSpec) bool { return isInRange(zsl, scoreRange{r}) }

// FirstInRange returns the first element within r, nil if none
// (zslFirstInRange).
func (zsl *Skiplist) FirstInRange(r *RangeSpec) *SkiplistNode {
	return firstInRange(zsl, scoreRange{r})
}

// LastInRange returns the last element within r, nil if none
// (zslLastInRange).
func (zsl *Skiplist) LastInRange(r *RangeSpec) *SkiplistNode { return lastInRange(zsl, scoreRange{r}) }

// DeleteRangeByScore deletes every element within r, calling fn (if not
// nil) with each deleted member and score in order so the owner can drop it
// from its dict, and returns how many were deleted (zslDeleteRangeByScore).
func (zsl *Skiplist) DeleteRangeByScore(r *RangeSpec, fn func(member string, score float64)) int {
	return deleteInRange(zsl, scoreRange{r}, fn)
}

// nodeRange is a range over the skiplist's order: by score (RangeSpec) or
// by member (LexRangeSpec). Redis keeps a copy of each range function per
// kind (zslFirstInRange, zslFirstInLexRange, ...); one generic helper per
// function serves both here.
type nodeRange interface {
	empty() bool
	gteMin(x *SkiplistNode) bool
	lteMax(x *SkiplistNode) bool
}

type scoreRange struct{ r *RangeSpec }

func (s scoreRange) empty() bool                 { return s.r.Empty() }
func (s scoreRange) gteMin(x *SkiplistNode) bool { return s.r.GteMin(x.score) }
func (s scoreRange) lteMax(x *SkiplistNode) bool { return s.r.LteMax(x.score) }

type lexRange struct{ r *LexRangeSpec }

func (l lexRange) empty() bool                 { return l.r.Empty() }
func (l lexRange) gteMin(x *SkiplistNode) bool { return l.r.GteMin(x.member) }
func (l lexRange) lteMax(x *SkiplistNode) bool { return l.r.LteMax(x.member) }

// isInRange: the range is not empty, the last element is not below it and
// the first is not above it.
func isInRange[R nodeRange](zsl *Skiplist, r R) bool {
	if r.empty() {
		return false
	}
	if x := zsl.tail; x == nil || !r.gteMin(x) {
		return false
	}
	return r.lteMax(zsl.header.level[0].forward)
}

func firstInRange[R nodeRange](zsl *Skiplist, r R) *SkiplistNode {
	if !isInRange(zsl, r) {
		return nil
	}
	x := zsl.header
	for i := zsl.level - 1; i >= 0; i-- {
		for x.level[i].forward != nil && !r.gteMin(x.level[i].forward) {
			x = x.level[i].forward
		}
	}
	// isInRange guarantees a next node: the tail is >= min.
	x = x.level[0].forward
	if !r.lteMax(x) {
		return nil
	}
	return x
}

func lastInRange[R nodeRange](zsl *Skiplist, r R) *SkiplistNode {
	if !isInRange(zsl, r) {
		return nil
	}
	x := zsl.header
	for i := zsl.level - 1; i >= 0; i-- {
		for x.level[i].forward != nil && r.lteMax(x.level[i].forward) {
			x = x.level[i].forward
		}
	}
	// isInRange guarantees x is not the header: the first node is <= max.
	if x == zsl.header || !r.gteMin(x) {
		return nil
	}
	return x
}

func deleteInRange[R nodeRange](zsl *Skiplist, r R, fn func(member string, score float64)) int {
	var update [SkiplistMaxLevel]*SkiplistNode
	x := zsl.header
	for i := zsl.level - 1; i >= 0; i-- {
		for x.level[i].forward != nil && !r.gteMin(x.level[i].forward) {
			x = x.level[i].forward
		}
		update[i] = x
	}
	x = x.level[0].forward
	removed := 0
	for x != nil && r.lteMax(x) {
		next := x.level[0].forward
		zsl.deleteNode(x, &update)
		x.level = nil
		if fn != nil {
			fn(x.member, x.score)
		}
		removed++
		x = next
	}
	return removed
}

// DeleteRangeByRank deletes the elements with 1-based ranks start..end
// inclusive, calling fn as DeleteRangeByScore does, and returns how many
// were deleted (zslDeleteRangeByRank). The caller clamps the ranks.
func (zsl *Skiplist) DeleteRangeByRank(start, end int, fn func(member string, score float64)) int {
	var update [SkiplistMaxLevel]*SkiplistNode
	traversed := 0
	x := zsl.header
	for i := zsl.level - 1; i >= 0; i-- {
		for x.level[i].forward != nil && traversed+x.level[i].span < start {
			traversed += x.level[i].span
			x = x.level[i].forward
		}
		update[i] = x
	}
	traversed++
	x = x.level[0].forward
	removed := 0
	for x != nil && traversed <= end {
		next := x.level[0].forward
		zsl.deleteNode(x, &update)
		x.level = nil
		if fn != nil {
			fn(x.member, x.score)
		}
		removed++
		traversed++
		x = next
	}
	return removed
}

// ---------------------------------------------------------------------------
// Lexicographic ranges. They are meaningful only when all elements have the
// same score (as documented for ZRANGEBYLEX); otherwise the result is
// whatever the (score, member) order gives, exactly as in Redis.

// LexBoundKind tells a finite bound from Redis's shared.minstring ("-") and
// shared.maxstring ("+") sentinels.
type LexBoundKind int8

const (
	LexValue    LexBoundKind = iota // "[x" or "(x": Value is x
	LexMinusInf                     // "-": below every string
	LexPlusInf                      // "+": above every string
)

// LexBound is one end of a lex range.
type LexBound struct {
	Kind  LexBoundKind
	Value string // only for LexValue
	Ex    bool   // exclusive; Redis sets it for "-" and "+" too
}

// LexRangeSpec is zlexrangespec.
type LexRangeSpec struct {
	Min, Max LexBound
}

// ErrLexRange is Redis's reply to a malformed lex range item.
var ErrLexRange = errors.New("ERR min or max not valid string range item")

// parseLexItem is zslParseLexRangeItem. Like the C code, which tests
// c[1] != '\0', it accepts "+" or "-" followed by a NUL byte and anything.
func parseLexItem(item []byte) (LexBound, bool) {
	if len(item) == 0 {
		return LexBound{}, false
	}
	switch item[0] {
	case '+', '-':
		if len(item) > 1 && item[1] != 0 {
			return LexBound{}, false
		}
		kind := LexMinusInf
		if item[0] == '+' {
			kind = LexPlusInf
		}
		return LexBound{Kind: kind, Ex: true}, true
	case '(':
		return LexBound{Value: string(item[1:]), Ex: true}, true
	case '[':
		return LexBound{Value: string(item[1:])}, true
	}
	return LexBound{}, false
}

// ParseLexRange parses the min and max arguments of ZRANGEBYLEX and
// friends (zslParseLexRange): "-", "+", "[x" (inclusive) or "(x"
// (exclusive). It copies what it keeps. Bad input gives ErrLexRange.
func ParseLexRange(min, max []byte) (LexRangeSpec, error) {
	lo, ok1 := parseLexItem(min)
	hi, ok2 := parseLexItem(max)
	if !ok1 || !ok2 {
		return LexRangeSpec{}, ErrLexRange
	}
	return LexRangeSpec{Min: lo, Max: hi}, nil
}

// cmpLexBounds is sdscmplex applied to two bounds: the sentinels compare
// equal only to themselves.
func cmpLexBounds(a, b *LexBound) int {
	if a.Kind == b.Kind && a.Kind != LexValue {
		return 0
	}
	if a.Kind == LexMinusInf || b.Kind == LexPlusInf {
		return -1
	}
	if a.Kind == LexPlusInf || b.Kind == LexMinusInf {
		return 1
	}
	return compareStrings(a.Value, b.Value)
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// cmpLexValue is sdscmplex(value, bound) for a member value.
func cmpLexValue(value string, b *LexBound) int {
	switch b.Kind {
	case LexMinusInf:
		return 1
	case LexPlusInf:
		return -1
	}
	return compareStrings(value, b.Value)
}

// GteMin reports whether value is at or above the lower bound
// (zslLexValueGteMin).
func (r *LexRangeSpec) GteMin(value string) bool {
	if r.Min.Ex {
		return cmpLexValue(value, &r.Min) > 0
	}
	return cmpLexValue(value, &r.Min) >= 0
}

// LteMax reports whether value is at or below the upper bound
// (zslLexValueLteMax).
func (r *LexRangeSpec) LteMax(value string) bool {
	if r.Max.Ex {
		return cmpLexValue(value, &r.Max) < 0
	}
	return cmpLexValue(value, &r.Max) <= 0
}

// Empty reports whether the range is empty whatever the elements
// (the first test of zslIsInLexRange).
func (r *LexRangeSpec) Empty() bool {
	c := cmpLexBounds(&r.Min, &r.Max)
	return c > 0 || (c == 0 && (r.Min.Ex || r.Max.Ex))
}

// IsInLexRange reports whether some element may fall within r
// (zslIsInLexRange).
func (zsl *Skiplist) IsInLexRange(r *LexRangeSpec) bool { return isInRange(zsl, lexRange{r}) }

// FirstInLexRange returns the first element within r, nil if none
// (zslFirstInLexRange).
func (zsl *Skiplist) FirstInLexRange(r *LexRangeSpec) *SkiplistNode {
	return firstInRange(zsl, lexRange{r})
}

// LastInLexRange returns the last element within r, nil if none
// (zslLastInLexRange).
func (zsl *Skiplist) LastInLexRange(r *LexRangeSpec) *SkiplistNode {
	return lastInRange(zsl, lexRange{r})
}

// DeleteRangeByLex deletes every element within r, calling fn as
// DeleteRangeByScore does, and returns how many were deleted
// (zslDeleteRangeByLex).
func (zsl *Skiplist) DeleteRangeByLex(r *LexRangeSpec, fn func(member string, score float64)) int {
	return deleteInRange(zsl, lexRange{r}, fn)
}
