package datatypes

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// zel is one element of the sorted-slice model.
type zel struct {
	score  float64
	member string
}

func zelCmp(a, b zel) int {
	switch {
	case a.score < b.score:
		return -1
	case a.score > b.score:
		return 1
	}
	return strings.Compare(a.member, b.member)
}

// zmodel is the reference: a slice kept sorted by (score, member).
type zmodel struct{ els []zel }

func (m *zmodel) find(member string) int {
	for i, e := range m.els {
		if e.member == member {
			return i
		}
	}
	return -1
}

func (m *zmodel) insert(e zel) {
	i, _ := slices.BinarySearchFunc(m.els, e, zelCmp)
	m.els = slices.Insert(m.els, i, e)
}

func (m *zmodel) removeAt(i int) zel {
	e := m.els[i]
	m.els = slices.Delete(m.els, i, i+1)
	return e
}

// inScore / inLex select the model elements within a range, in order.
func (m *zmodel) inScore(r *RangeSpec) []zel {
	var out []zel
	for _, e := range m.els {
		if scoreIn(e.score, r) {
			out = append(out, e)
		}
	}
	return out
}

// scoreIn is written from the definition, independently of RangeSpec's
// methods.
func scoreIn(v float64, r *RangeSpec) bool {
	return (v > r.Min || (v == r.Min && !r.MinEx)) && (v < r.Max || (v == r.Max && !r.MaxEx))
}

// lexIn is written from the definition, independently of the skiplist's
// comparison helpers.
func lexIn(v string, r *LexRangeSpec) bool {
	switch r.Min.Kind {
	case LexPlusInf:
		return false
	case LexValue:
		if c := strings.Compare(v, r.Min.Value); c < 0 || (c == 0 && r.Min.Ex) {
			return false
		}
	}
	switch r.Max.Kind {
	case LexMinusInf:
		return false
	case LexValue:
		if c := strings.Compare(v, r.Max.Value); c > 0 || (c == 0 && r.Max.Ex) {
			return false
		}
	}
	return true
}

func (m *zmodel) inLex(r *LexRangeSpec) []zel {
	var out []zel
	for _, e := range m.els {
		if lexIn(e.member, r) {
			out = append(out, e)
		}
	}
	return out
}

// checkSkiplist verifies every structural invariant against the model:
// level-0 order and contents, backward links, tail, length, level, and
// that every span equals the rank distance it claims.
func checkSkiplist(t *testing.T, zsl *Skiplist, m *zmodel) {
	t.Helper()
	if zsl.Len() != len(m.els) {
		t.Fatalf("Len %d, model %d", zsl.Len(), len(m.els))
	}
	rank := map[*SkiplistNode]int{zsl.header: 0}
	var prev *SkiplistNode
	i := 0
	for x := zsl.First(); x != nil; x = x.Next() {
		if i >= len(m.els) {
			t.Fatalf("more nodes than model elements")
		}
		if x.Score() != m.els[i].score || math.Signbit(x.Score()) != math.Signbit(m.els[i].score) || x.Member() != m.els[i].member {
			t.Fatalf("node %d = (%v,%q), model (%v,%q)", i, x.Score(), x.Member(), m.els[i].score, m.els[i].member)
		}
		if x.Prev() != prev {
			t.Fatalf("node %d: bad backward link", i)
		}
		if len(x.level) > zsl.level {
			t.Fatalf("node %d has %d levels, list level %d", i, len(x.level), zsl.level)
		}
		i++
		rank[x] = i
		prev = x
	}
	if i != len(m.els) {
		t.Fatalf("%d nodes, model %d", i, len(m.els))
	}
	if zsl.Last() != prev {
		t.Fatalf("bad tail")
	}
	if zsl.level < 1 || (zsl.level > 1 && zsl.header.level[zsl.level-1].forward == nil) {
		t.Fatalf("level %d not tight", zsl.level)
	}
	// Spans are maintained on every level in use, including the last node
	// of a level, whose span reaches past the tail (length - rank).
	for lv := 0; lv < zsl.level; lv++ {
		for x := zsl.header; x != nil; x = x.level[lv].forward {
			want := len(m.els) - rank[x]
			if f := x.level[lv].forward; f != nil {
				want = rank[f] - rank[x]
			}
			if x.level[lv].span != want {
				t.Fatalf("level %d span at rank %d = %d, want %d", lv, rank[x], x.level[lv].span, want)
			}
		}
	}
}

var testScores = []float64{math.Inf(-1), -3.5, -1, math.Copysign(0, -1), 0, 1, 2, 2.5, 1e300, math.Inf(1)}

func randScore(rng *rand.Rand) float64 {
	if rng.IntN(4) == 0 {
		return float64(rng.IntN(2000)-1000) / 8
	}
	return testScores[rng.IntN(len(testScores))]
}

func randMember(rng *rand.Rand) string {
	// Short members over a small alphabet with NUL and 0xFF so that equal
	// scores, prefixes and bytewise (not UTF-8) order all get exercised.
	const alpha = "ab\x00\xffz"
	n := rng.IntN(4)
	b := make([]byte, n)
	for i := range b {
		b[i] = alpha[rng.IntN(len(alpha))]
	}
	return string(b)
}

func randRange(rng *rand.Rand) RangeSpec {
	a, b := randScore(rng), randScore(rng)
	if rng.IntN(4) != 0 && a > b {
		a, b = b, a
	}
	return RangeSpec{Min: a, Max: b, MinEx: rng.IntN(2) == 0, MaxEx: rng.IntN(2) == 0}
}

func randLexBound(rng *rand.Rand) LexBound {
	switch rng.IntN(6) {
	case 0:
		return LexBound{Kind: LexMinusInf, Ex: true}
	case 1:
		return LexBound{Kind: LexPlusInf, Ex: true}
	}
	return LexBound{Value: randMember(rng), Ex: rng.IntN(2) == 0}
}

func randLexRange(rng *rand.Rand) LexRangeSpec {
	return LexRangeSpec{Min: randLexBound(rng), Max: randLexBound(rng)}
}

func nodeZel(n *SkiplistNode) *zel {
	if n == nil {
		return nil
	}
	return &zel{n.score, n.member}
}

func sameZel(a *zel, b *zel) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.member == b.member && a.score == b.score
}

func firstOrNil(els []zel) *zel {
	if len(els) == 0 {
		return nil
	}
	return &els[0]
}

func lastOrNil(els []zel) *zel {
	if len(els) == 0 {
		return nil
	}
	return &els[len(els)-1]
}

func TestSkiplistRandomized(t *testing.T) {
	rng := dictTestRand(t)
	for round := 0; round < 60; round++ {
		zsl := NewSkiplist(rand.New(rand.NewPCG(rng.Uint64(), rng.Uint64())))
		m := &zmodel{}
		ops := 300 + rng.IntN(300)
		for op := 0; op < ops; op++ {
			switch k := rng.IntN(100); {
			case k < 40: // insert a new member
				e := zel{randScore(rng), randMember(rng)}
				if m.find(e.member) >= 0 {
					continue
				}
				n := zsl.Insert(e.score, e.member)
				if n.Member() != e.member || n.Score() != e.score {
					t.Fatalf("Insert returned (%v,%q)", n.Score(), n.Member())
				}
				m.insert(e)
			case k < 52: // delete, present or not
				e := zel{randScore(rng), randMember(rng)}
				if len(m.els) > 0 && rng.IntN(2) == 0 {
					e = m.els[rng.IntN(len(m.els))]
				}
				i := slices.IndexFunc(m.els, func(x zel) bool { return x.member == e.member && x.score == e.score })
				if got := zsl.Delete(e.score, e.member); got != (i >= 0) {
					t.Fatalf("Delete(%v,%q) = %v, want %v", e.score, e.member, got, i >= 0)
				}
				if i >= 0 {
					m.removeAt(i)
				}
			case k < 67: // update score
				if len(m.els) == 0 {
					continue
				}
				i := rng.IntN(len(m.els))
				e := m.els[i]
				ns := randScore(rng)
				if rng.IntN(3) == 0 { // small moves exercise the in-place path
					ns = e.score + float64(rng.IntN(3)-1)/16
				}
				n := zsl.UpdateScore(e.score, e.member, ns)
				if n.Member() != e.member || n.Score() != ns {
					t.Fatalf("UpdateScore returned (%v,%q)", n.Score(), n.Member())
				}
				m.removeAt(i)
				m.insert(zel{ns, e.member})
			case k < 75: // ranks
				for i, e := range m.els {
					if r := zsl.Rank(e.score, e.member); r != i+1 {
						t.Fatalf("Rank(%v,%q) = %d, want %d", e.score, e.member, r, i+1)
					}
					if n := zsl.ByRank(i + 1); !sameZel(nodeZel(n), &m.els[i]) {
						t.Fatalf("ByRank(%d) = %v, want %v", i+1, nodeZel(n), m.els[i])
					}
				}
				e := zel{randScore(rng), randMember(rng)}
				want := 0
				if i := m.find(e.member); i >= 0 && m.els[i].score == e.score {
					want = i + 1
				}
				if r := zsl.Rank(e.score, e.member); r != want {
					t.Fatalf("Rank(%v,%q) = %d, want %d", e.score, e.member, r, want)
				}
				for _, r := range []int{-1, 0, len(m.els) + 1} {
					if zsl.ByRank(r) != nil {
						t.Fatalf("ByRank(%d) not nil", r)
					}
				}
			case k < 85: // score range queries
				r := randRange(rng)
				in := m.inScore(&r)
				// IsInRange may say yes for a gap between elements, as Redis's.
				if got := zsl.IsInRange(&r); (len(in) > 0 && !got) || (got && r.Empty()) {
					t.Fatalf("IsInRange(%+v) = %v with %d in range", r, got, len(in))
				}
				if f := zsl.FirstInRange(&r); !sameZel(nodeZel(f), firstOrNil(in)) {
					t.Fatalf("FirstInRange(%+v) = %v, want %v", r, nodeZel(f), firstOrNil(in))
				}
				if l := zsl.LastInRange(&r); !sameZel(nodeZel(l), lastOrNil(in)) {
					t.Fatalf("LastInRange(%+v) = %v, want %v", r, nodeZel(l), lastOrNil(in))
				}
			case k < 93: // lex range queries
				r := randLexRange(rng)
				in := m.inLex(&r)
				if f := zsl.FirstInLexRange(&r); !sameZel(nodeZel(f), firstOrNil(in)) && sortedByMember(m) {
					t.Fatalf("FirstInLexRange(%+v) = %v, want %v", r, nodeZel(f), firstOrNil(in))
				}
				if l := zsl.LastInLexRange(&r); !sameZel(nodeZel(l), lastOrNil(in)) && sortedByMember(m) {
					t.Fatalf("LastInLexRange(%+v) = %v, want %v", r, nodeZel(l), lastOrNil(in))
				}
			case k < 96: // delete by score
				r := randRange(rng)
				want := m.inScore(&r)
				var got []zel
				n := zsl.DeleteRangeByScore(&r, func(mb string, s float64) { got = append(got, zel{s, mb}) })
				if n != len(want) || !slices.Equal(got, want) {
					t.Fatalf("DeleteRangeByScore(%+v) = %d %v, want %v", r, n, got, want)
				}
				m.els = slices.DeleteFunc(m.els, func(e zel) bool { return scoreIn(e.score, &r) })
			case k < 98: // delete by rank
				start := rng.IntN(len(m.els)+2) + 1
				end := start + rng.IntN(5)
				var want []zel
				for i := start; i <= end && i <= len(m.els); i++ {
					want = append(want, m.els[i-1])
				}
				var got []zel
				n := zsl.DeleteRangeByRank(start, end, func(mb string, s float64) { got = append(got, zel{s, mb}) })
				if n != len(want) || !slices.Equal(got, want) {
					t.Fatalf("DeleteRangeByRank(%d,%d) = %d %v, want %v", start, end, n, got, want)
				}
				if start <= len(m.els) {
					m.els = slices.Delete(m.els, start-1, min(end, len(m.els)))
				}
			default: // delete by lex, only meaningful when order is member order
				if !sortedByMember(m) {
					continue
				}
				r := randLexRange(rng)
				want := m.inLex(&r)
				var got []zel
				n := zsl.DeleteRangeByLex(&r, func(mb string, s float64) { got = append(got, zel{s, mb}) })
				if n != len(want) || !slices.Equal(got, want) {
					t.Fatalf("DeleteRangeByLex(%+v) = %d %v, want %v", r, n, got, want)
				}
				m.els = slices.DeleteFunc(m.els, func(e zel) bool { return lexIn(e.member, &r) })
			}
			checkSkiplist(t, zsl, m)
		}
	}
}

// sortedByMember reports whether the (score, member) order is also the
// member order, the only case where lex ranges have a defined answer.
func sortedByMember(m *zmodel) bool {
	return slices.IsSortedFunc(m.els, func(a, b zel) int { return strings.Compare(a.member, b.member) })
}

// TestSkiplistLexRandomized runs lex ranges on sets where every score is
// equal, the documented use of ZRANGEBYLEX.
func TestSkiplistLexRandomized(t *testing.T) {
	rng := dictTestRand(t)
	for round := 0; round < 200; round++ {
		zsl := NewSkiplist(rand.New(rand.NewPCG(rng.Uint64(), 1)))
		m := &zmodel{}
		score := testScores[rng.IntN(len(testScores))]
		for i := rng.IntN(40); i > 0; i-- {
			mb := randMember(rng)
			if m.find(mb) < 0 {
				zsl.Insert(score, mb)
				m.insert(zel{score, mb})
			}
		}
		for q := 0; q < 20; q++ {
			r := randLexRange(rng)
			in := m.inLex(&r)
			// IsInLexRange may say yes for a gap between elements, as Redis's.
			if got := zsl.IsInLexRange(&r); (len(in) > 0 && !got) || (got && r.Empty()) {
				t.Fatalf("IsInLexRange(%+v) = %v with %d in range", r, got, len(in))
			}
			if f := zsl.FirstInLexRange(&r); !sameZel(nodeZel(f), firstOrNil(in)) {
				t.Fatalf("FirstInLexRange(%+v) = %v, want %v", r, nodeZel(f), firstOrNil(in))
			}
			if l := zsl.LastInLexRange(&r); !sameZel(nodeZel(l), lastOrNil(in)) {
				t.Fatalf("LastInLexRange(%+v) = %v, want %v", r, nodeZel(l), lastOrNil(in))
			}
		}
		r := randLexRange(rng)
		want := m.inLex(&r)
		var got []zel
		n := zsl.DeleteRangeByLex(&r, func(mb string, s float64) { got = append(got, zel{s, mb}) })
		if n != len(want) || !slices.Equal(got, want) {
			t.Fatalf("DeleteRangeByLex(%+v) = %d %v, want %v", r, n, got, want)
		}
		m.els = slices.DeleteFunc(m.els, func(e zel) bool { return lexIn(e.member, &r) })
		checkSkiplist(t, zsl, m)
	}
}

func TestSkiplistEmptyAndOne(t *testing.T) {
	zsl := NewSkiplist(rand.New(rand.NewPCG(1, 2)))
	all := RangeSpec{Min: math.Inf(-1), Max: math.Inf(1)}
	allLex := LexRangeSpec{Min: LexBound{Kind: LexMinusInf, Ex: true}, Max: LexBound{Kind: LexPlusInf, Ex: true}}
	if zsl.Len() != 0 || zsl.First() != nil || zsl.Last() != nil || zsl.ByRank(1) != nil ||
		zsl.Rank(0, "") != 0 || zsl.Delete(0, "") || zsl.FirstInRange(&all) != nil ||
		zsl.LastInRange(&all) != nil || zsl.FirstInLexRange(&allLex) != nil || zsl.LastInLexRange(&allLex) != nil ||
		zsl.DeleteRangeByScore(&all, nil) != 0 || zsl.DeleteRangeByLex(&allLex, nil) != 0 || zsl.DeleteRangeByRank(1, 10, nil) != 0 {
		t.Fatal("empty skiplist misbehaves")
	}
	// The empty member is a valid member, distinct from the header.
	n := zsl.Insert(1, "")
	if zsl.First() != n || zsl.Last() != n || n.Next() != nil || n.Prev() != nil || zsl.Rank(1, "") != 1 || zsl.ByRank(1) != n {
		t.Fatal("single element misbehaves")
	}
	if zsl.Rank(0, "") != 0 {
		t.Fatal("Rank with wrong score found the element")
	}
	if zsl.FirstInRange(&all) != n || zsl.LastInRange(&all) != n || zsl.FirstInLexRange(&allLex) != n {
		t.Fatal("ranges miss the single element")
	}
	if !zsl.Delete(1, "") || zsl.Len() != 0 || zsl.First() != nil || zsl.Last() != nil || zsl.level != 1 {
		t.Fatal("delete of the single element")
	}
}

func TestSkiplistUpdateScoreInPlace(t *testing.T) {
	zsl := NewSkiplist(rand.New(rand.NewPCG(3, 4)))
	zsl.Insert(1, "a")
	b := zsl.Insert(2, "b")
	zsl.Insert(3, "c")
	if n := zsl.UpdateScore(2, "b", 2.5); n != b || n.Score() != 2.5 {
		t.Fatal("in-place update made a new node")
	}
	// Equal to a neighbour's score: Redis takes the slow path.
	if n := zsl.UpdateScore(2.5, "b", 3); n == b || n.Score() != 3 || n.Next().Member() != "c" {
		t.Fatal("update to a neighbour's score")
	}
	if n := zsl.UpdateScore(3, "b", 0); n.Prev() != nil || zsl.First() != n {
		t.Fatal("update to the front")
	}
	m := &zmodel{els: []zel{{0, "b"}, {1, "a"}, {3, "c"}}}
	checkSkiplist(t, zsl, m)
	defer func() {
		if recover() == nil {
			t.Fatal("UpdateScore of an absent element did not panic")
		}
	}()
	zsl.UpdateScore(7, "b", 1)
}

// TestSkiplistLevels checks the level distribution: P(level > k) = P^k.
func TestSkiplistLevels(t *testing.T) {
	zsl := NewSkiplist(rand.New(rand.NewPCG(5, 6)))
	const n = 100000
	counts := make([]int, SkiplistMaxLevel+1)
	for i := 0; i < n; i++ {
		l := zsl.randomLevel()
		if l < 1 || l > SkiplistMaxLevel {
			t.Fatalf("level %d", l)
		}
		counts[l]++
	}
	if f := float64(counts[1]) / n; math.Abs(f-0.75) > 0.01 {
		t.Fatalf("P(level 1) = %v, want ~0.75", f)
	}
	// The nil source (global generator) works too.
	if l := NewSkiplist(nil).randomLevel(); l < 1 {
		t.Fatal("nil rng")
	}
}

func TestParseLexRange(t *testing.T) {
	ok := []struct {
		in   string
		want LexBound
	}{
		{"-", LexBound{Kind: LexMinusInf, Ex: true}},
		{"+", LexBound{Kind: LexPlusInf, Ex: true}},
		{"+\x00junk", LexBound{Kind: LexPlusInf, Ex: true}}, // C tests c[1] != '\0'
		{"[", LexBound{Value: ""}},
		{"(", LexBound{Value: "", Ex: true}},
		{"[abc", LexBound{Value: "abc"}},
		{"(a\x00b", LexBound{Value: "a\x00b", Ex: true}},
		{"[+", LexBound{Value: "+"}},
	}
	for _, c := range ok {
		r, err := ParseLexRange([]byte(c.in), []byte("+"))
		if err != nil || r.Min != c.want {
			t.Errorf("ParseLexRange(%q) = %+v, %v; want %+v", c.in, r.Min, err, c.want)
		}
	}
	for _, bad := range []string{"", "a", "-1", "+a", "--", "1", " [a", "{a"} {
		if _, err := ParseLexRange([]byte(bad), []byte("+")); !errors.Is(err, ErrLexRange) {
			t.Errorf("ParseLexRange(%q, +) err = %v", bad, err)
		}
		if _, err := ParseLexRange([]byte("-"), []byte(bad)); !errors.Is(err, ErrLexRange) {
			t.Errorf("ParseLexRange(-, %q) err = %v", bad, err)
		}
	}
	if ErrLexRange.Error() != "ERR min or max not valid string range item" {
		t.Fatal("error text")
	}
	// Ranges that are always empty, as zslIsInLexRange's first test (checked
	// against redis-server 7.0.15: ZRANGEBYLEX z + + and z - - are empty).
	for _, c := range [][2]string{{"+", "+"}, {"-", "-"}, {"+", "-"}, {"[b", "[a"}, {"(a", "[a"}, {"[a", "(a"}, {"[a", "-"}, {"+", "[a"}, {"[", "("}} {
		r, _ := ParseLexRange([]byte(c[0]), []byte(c[1]))
		if !r.Empty() {
			t.Errorf("%q..%q not empty", c[0], c[1])
		}
	}
	for _, c := range [][2]string{{"-", "+"}, {"[a", "[a"}, {"-", "[a"}, {"(a", "+"}, {"[", "[a"}} {
		r, _ := ParseLexRange([]byte(c[0]), []byte(c[1]))
		if r.Empty() {
			t.Errorf("%q..%q empty", c[0], c[1])
		}
	}
}

func FuzzParseLexRange(f *testing.F) {
	for _, s := range []string{"", "-", "+", "[", "(", "[a", "(abc", "+x", "-\x00", "x"} {
		f.Add([]byte(s), []byte("+"))
	}
	f.Fuzz(func(t *testing.T, min, max []byte) {
		r, err := ParseLexRange(min, max)
		valid := func(b []byte) bool {
			if len(b) == 0 {
				return false
			}
			switch b[0] {
			case '[', '(':
				return true
			case '+', '-':
				return len(b) == 1 || b[1] == 0
			}
			return false
		}
		if (err == nil) != (valid(min) && valid(max)) {
			t.Fatalf("ParseLexRange(%q, %q) err = %v", min, max, err)
		}
		if err != nil {
			return
		}
		for _, c := range []struct {
			in []byte
			b  LexBound
		}{{min, r.Min}, {max, r.Max}} {
			if c.b.Kind == LexValue && (c.b.Value != string(c.in[1:]) || c.b.Ex != (c.in[0] == '(')) {
				t.Fatalf("bound %q parsed as %+v", c.in, c.b)
			}
		}
		// Parsed ranges must be usable without panics and agree with the model.
		zsl := NewSkiplist(rand.New(rand.NewPCG(1, 1)))
		m := &zmodel{}
		for _, s := range []string{"", "a", "ab", "b", string(min), string(max)} {
			if m.find(s) < 0 {
				zsl.Insert(0, s)
				m.insert(zel{0, s})
			}
		}
		in := m.inLex(&r)
		if !sameZel(nodeZel(zsl.FirstInLexRange(&r)), firstOrNil(in)) || !sameZel(nodeZel(zsl.LastInLexRange(&r)), lastOrNil(in)) {
			t.Fatalf("range %+v: first/last disagree with model %v", r, in)
		}
	})
}

func ExampleParseLexRange() {
	r, err := ParseLexRange([]byte("[a"), []byte("(c"))
	fmt.Println(r.Min.Value, r.Min.Ex, r.Max.Value, r.Max.Ex, err)
	_, err = ParseLexRange([]byte("a"), []byte("+"))
	fmt.Println(err)
	// Output:
	// a false c true <nil>
	// ERR min or max not valid string range item
}

func BenchmarkSkiplistInsertDelete(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	zsl := NewSkiplist(rng)
	const n = 1 << 16
	members := make([]string, n)
	scores := make([]float64, n)
	for i := range members {
		members[i] = fmt.Sprintf("member:%d", i)
		scores[i] = rng.Float64()
		zsl.Insert(scores[i], members[i])
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		j := i & (n - 1)
		zsl.Delete(scores[j], members[j])
		zsl.Insert(scores[j], members[j])
	}
}

func BenchmarkSkiplistRank(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	zsl := NewSkiplist(rng)
	const n = 1 << 16
	members := make([]string, n)
	scores := make([]float64, n)
	for i := range members {
		members[i] = fmt.Sprintf("member:%d", i)
		scores[i] = rng.Float64()
		zsl.Insert(scores[i], members[i])
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		j := i & (n - 1)
		if zsl.Rank(scores[j], members[j]) == 0 {
			b.Fatal("missing")
		}
	}
}
