package datatypes

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"unsafe"
)

// modelAdd is zsetAdd written from its documentation against a map.
func modelAdd(m map[string]float64, member string, score float64, flags ZAddFlags) (float64, ZAddResult, error) {
	if math.IsNaN(score) {
		return 0, 0, ErrScoreNaN
	}
	cur, ok := m[member]
	switch {
	case ok && flags&ZAddNX != 0:
		return 0, ZAddNop, nil
	case !ok && flags&ZAddXX != 0:
		return 0, ZAddNop, nil
	case !ok:
		m[member] = score
		return score, ZAddAdded, nil
	}
	if flags&ZAddIncr != 0 {
		score += cur
		if math.IsNaN(score) {
			return 0, 0, ErrScoreNaN
		}
	}
	if flags&ZAddGT != 0 && !(score > cur) || flags&ZAddLT != 0 && !(score < cur) {
		return 0, ZAddNop, nil
	}
	if score == cur {
		return score, 0, nil
	}
	m[member] = score
	return score, ZAddUpdated, nil
}

func sortedModel(m map[string]float64) []zel {
	var els []zel
	for k, v := range m {
		els = append(els, zel{v, k})
	}
	slices.SortFunc(els, zelCmp)
	return els
}

func collect(f func(fn func(string, float64) bool)) []zel {
	var out []zel
	f(func(m string, s float64) bool { out = append(out, zel{s, m}); return true })
	return out
}

func TestZSetRandomized(t *testing.T) {
	rng := dictTestRand(t)
	flagSets := []ZAddFlags{0, ZAddNX, ZAddXX, ZAddGT, ZAddLT, ZAddIncr, ZAddIncr | ZAddXX, ZAddIncr | ZAddNX, ZAddGT | ZAddXX, ZAddLT | ZAddIncr, ZAddGT | ZAddIncr}
	for round := 0; round < 20; round++ {
		z := NewZSet(rng.Uint64(), rand.New(rand.NewPCG(rng.Uint64(), 7)))
		m := map[string]float64{}
		for op := 0; op < 500; op++ {
			switch k := rng.IntN(100); {
			case k < 55:
				mb, sc, fl := randMember(rng), randScore(rng), flagSets[rng.IntN(len(flagSets))]
				if rng.IntN(30) == 0 {
					sc = math.NaN()
				}
				ns, res, err := z.Add(mb, sc, fl)
				wns, wres, werr := modelAdd(m, mb, sc, fl)
				if res != wres || !errors.Is(err, werr) || (err == nil && res != ZAddNop && ns != wns) {
					t.Fatalf("Add(%q,%v,%b) = %v,%v,%v; want %v,%v,%v", mb, sc, fl, ns, res, err, wns, wres, werr)
				}
			case k < 70:
				mb := randMember(rng)
				_, had := m[mb]
				delete(m, mb)
				if z.Remove(mb) != had {
					t.Fatalf("Remove(%q) != %v", mb, had)
				}
			case k < 78:
				r := randRange(rng)
				reverse := rng.IntN(2) == 0
				offset, limit := rng.IntN(3), rng.IntN(5)-1
				var want []zel
				for _, e := range sortedModel(m) {
					if scoreIn(e.score, &r) {
						want = append(want, e)
					}
				}
				if reverse {
					slices.Reverse(want)
				}
				want = want[min(offset, len(want)):]
				if limit >= 0 {
					want = want[:min(limit, len(want))]
				}
				got := collect(func(fn func(string, float64) bool) { z.RangeByScore(&r, reverse, offset, limit, fn) })
				if !slices.Equal(got, want) {
					t.Fatalf("RangeByScore(%+v,%v,%d,%d) = %v, want %v", r, reverse, offset, limit, got, want)
				}
				cnt := 0
				for _, e := range m {
					if scoreIn(e, &r) {
						cnt++
					}
				}
				if c := z.Count(&r); c != cnt {
					t.Fatalf("Count(%+v) = %d, want %d", r, c, cnt)
				}
			case k < 86:
				els := sortedModel(m)
				start, end := rng.IntN(len(els)+2)-1, rng.IntN(len(els)+2)-1
				reverse := rng.IntN(2) == 0
				ordered := slices.Clone(els)
				if reverse {
					slices.Reverse(ordered)
				}
				var want []zel
				for i := max(start, 0); i <= end && i < len(ordered); i++ {
					want = append(want, ordered[i])
				}
				got := collect(func(fn func(string, float64) bool) { z.RangeByRank(start, end, reverse, fn) })
				if !slices.Equal(got, want) {
					t.Fatalf("RangeByRank(%d,%d,%v) = %v, want %v", start, end, reverse, got, want)
				}
				for i, e := range els {
					r, ok := z.Rank(e.member, false)
					rr, ok2 := z.Rank(e.member, true)
					if !ok || !ok2 || r != i || rr != len(els)-1-i {
						t.Fatalf("Rank(%q) = %d,%d want %d,%d", e.member, r, rr, i, len(els)-1-i)
					}
				}
			case k < 92:
				r := randRange(rng)
				var got []zel
				n := z.DeleteRangeByScore(&r, func(mb string, s float64) { got = append(got, zel{s, mb}) })
				var want []zel
				for _, e := range sortedModel(m) {
					if scoreIn(e.score, &r) {
						want = append(want, e)
						delete(m, e.member)
					}
				}
				if n != len(want) || !slices.Equal(got, want) {
					t.Fatalf("DeleteRangeByScore = %d %v, want %v", n, got, want)
				}
			case k < 96:
				els := sortedModel(m)
				start, end := rng.IntN(len(els)+2)-1, rng.IntN(len(els)+2)-1
				var want []zel
				for i := max(start, 0); i <= end && i < len(els); i++ {
					want = append(want, els[i])
					delete(m, els[i].member)
				}
				var got []zel
				n := z.DeleteRangeByRank(start, end, func(mb string, s float64) { got = append(got, zel{s, mb}) })
				if n != len(want) || !slices.Equal(got, want) {
					t.Fatalf("DeleteRangeByRank(%d,%d) = %d %v, want %v", start, end, n, got, want)
				}
			default:
				mb := randMember(rng)
				s, ok := z.Score(mb)
				ws, wok := m[mb]
				if ok != wok || s != ws || math.Signbit(s) != math.Signbit(ws) {
					t.Fatalf("Score(%q) = %v,%v want %v,%v", mb, s, ok, ws, wok)
				}
				if _, ok := z.Rank(mb, false); ok != wok {
					t.Fatalf("Rank(%q) found = %v", mb, ok)
				}
			}
			// Both halves agree with the model after every operation.
			checkSkiplist(t, z.zsl, &zmodel{els: sortedModel(m)})
			if z.Dict().Len() != len(m) {
				t.Fatalf("dict Len %d, want %d", z.Dict().Len(), len(m))
			}
			for k, v := range m {
				if s, ok := z.Score(k); !ok || s != v || math.Signbit(s) != math.Signbit(v) {
					t.Fatalf("dict score of %q = %v,%v want %v", k, s, ok, v)
				}
			}
		}
	}
}

// TestZSetLexRandomized covers RangeByLex, LexCount and DeleteRangeByLex
// on sets with one score, as ZRANGEBYLEX is meant to be used.
func TestZSetLexRandomized(t *testing.T) {
	rng := dictTestRand(t)
	for round := 0; round < 200; round++ {
		z := NewZSet(rng.Uint64(), rand.New(rand.NewPCG(rng.Uint64(), 9)))
		m := map[string]float64{}
		for i := rng.IntN(40); i > 0; i-- {
			mb := randMember(rng)
			z.Add(mb, 0, 0)
			m[mb] = 0
		}
		for q := 0; q < 10; q++ {
			r := randLexRange(rng)
			reverse := rng.IntN(2) == 0
			offset, limit := rng.IntN(3), rng.IntN(5)-1
			var want []zel
			for _, e := range sortedModel(m) {
				if lexIn(e.member, &r) {
					want = append(want, e)
				}
			}
			if c := z.LexCount(&r); c != len(want) {
				t.Fatalf("LexCount(%+v) = %d, want %d", r, c, len(want))
			}
			if reverse {
				slices.Reverse(want)
			}
			want = want[min(offset, len(want)):]
			if limit >= 0 {
				want = want[:min(limit, len(want))]
			}
			got := collect(func(fn func(string, float64) bool) { z.RangeByLex(&r, reverse, offset, limit, fn) })
			if !slices.Equal(got, want) {
				t.Fatalf("RangeByLex(%+v,%v,%d,%d) = %v, want %v", r, reverse, offset, limit, got, want)
			}
		}
		r := randLexRange(rng)
		n := z.DeleteRangeByLex(&r, nil)
		cnt := 0
		for k := range m {
			if lexIn(k, &r) {
				delete(m, k)
				cnt++
			}
		}
		if n != cnt || z.Len() != len(m) || z.Dict().Len() != len(m) {
			t.Fatalf("DeleteRangeByLex(%+v) = %d, want %d", r, n, cnt)
		}
		checkSkiplist(t, z.zsl, &zmodel{els: sortedModel(m)})
	}
}

// TestZSetAddEdges pins the behaviours checked on redis-server 7.0.15 with
// zset-max-listpack-entries 0 (skiplist encoding).
func TestZSetAddEdges(t *testing.T) {
	z := NewZSet(1, rand.New(rand.NewPCG(1, 1)))
	negZero := math.Copysign(0, -1)
	inf := math.Inf(1)

	// ZADD z -0 a 0 b: both added; ZSCORE a is "-0" (not normalized).
	if _, res, _ := z.Add("a", negZero, 0); res != ZAddAdded {
		t.Fatal("add a")
	}
	z.Add("b", 0, 0)
	if s, _ := z.Score("a"); !math.Signbit(s) {
		t.Fatal("-0 was normalized")
	}
	// ZADD z INCR 0 a replies "0" (-0 + 0 = +0) but ZSCORE a stays "-0":
	// equal scores are not an update.
	if ns, res, err := z.Add("a", 0, ZAddIncr); err != nil || res != 0 || ns != 0 || math.Signbit(ns) {
		t.Fatalf("INCR 0 on -0 = %v %v %v", ns, res, err)
	}
	if s, _ := z.Score("a"); !math.Signbit(s) {
		t.Fatal("-0 changed by an equal score")
	}
	// ZADD z nan x: rejected (the command layer refuses to parse it; Add
	// rejects it too).
	if _, _, err := z.Add("x", math.NaN(), 0); !errors.Is(err, ErrScoreNaN) || z.Len() != 2 {
		t.Fatal("NaN accepted")
	}
	// ZADD z inf x; ZINCRBY z -inf x: ERR resulting score is not a number (NaN).
	z.Add("x", inf, 0)
	if _, _, err := z.Add("x", math.Inf(-1), ZAddIncr); err == nil || err.Error() != "ERR resulting score is not a number (NaN)" {
		t.Fatalf("inf + -inf: %v", err)
	}
	if s, _ := z.Score("x"); s != inf {
		t.Fatal("NaN increment changed the score")
	}
	// INCR on a new member starts from the given score.
	if ns, res, _ := z.Add("y", 2.5, ZAddIncr); ns != 2.5 || res != ZAddAdded {
		t.Fatal("INCR new member")
	}
	// GT/LT compare with the incremented score; new members are added anyway.
	if _, res, _ := z.Add("y", -1, ZAddIncr|ZAddGT); res != ZAddNop {
		t.Fatal("GT INCR -1 not a nop")
	}
	if ns, res, _ := z.Add("y", 1, ZAddIncr|ZAddGT); res != ZAddUpdated || ns != 3.5 {
		t.Fatal("GT INCR 1")
	}
	if _, res, _ := z.Add("new", 1, ZAddLT); res != ZAddAdded {
		t.Fatal("LT on a new member")
	}
	if _, res, _ := z.Add("y", 3.5, ZAddGT); res != ZAddNop {
		t.Fatal("GT with an equal score must be a nop")
	}
	if _, res, _ := z.Add("zz", 1, ZAddXX); res != ZAddNop || z.Len() != 5 {
		t.Fatal("XX added")
	}
	if _, res, _ := z.Add("y", 9, ZAddNX); res != ZAddNop {
		t.Fatal("NX updated")
	}
	// Add copies the member: mutating the caller's buffer changes nothing.
	buf := []byte("mutable")
	z.Add(unsafe.String(&buf[0], len(buf)), 1, 0)
	buf[0] = 'X'
	if _, ok := z.Score("mutable"); !ok {
		t.Fatal("member aliased")
	}
	if rank, ok := z.Rank("a", false); !ok || rank != 0 {
		t.Fatalf("rank of a = %d", rank)
	}
	if rank, ok := z.Rank("x", true); !ok || rank != 0 {
		t.Fatalf("revrank of x = %d", rank)
	}
	if _, ok := z.Rank("missing", false); ok {
		t.Fatal("rank of a missing member")
	}
}
