package datatypes

import (
	"bytes"
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// D2String against redis-server 7.0.15's listpack contents (ZSCAN of a
// listpack replies the stored score).
func TestD2String(t *testing.T) {
	for _, c := range []struct {
		d    float64
		want string
	}{
		{1, "1"},
		{-3, "-3"},
		{0, "0"},
		{math.Copysign(0, -1), "0"},
		{1.1, "1.1000000000000001"},
		{2.5, "2.5"},
		{1e-5, "1.0000000000000001e-05"},
		{1e20, "1e+20"},
		{4503599627370495, "4503599627370495"},
		{4503599627370496, "4503599627370496"}, // %.17g, same digits
		{-4503599627370495, "-4503599627370495"},
		{math.Inf(1), "inf"},
		{math.Inf(-1), "-inf"},
		{123456789012345678, "1.2345678901234568e+17"},
	} {
		if got := string(D2String(nil, c.d)); got != c.want {
			t.Errorf("D2String(%v) = %q, want %q", c.d, got, c.want)
		}
	}
}

// A listpack built from sorted entries decodes to the same entries, and
// integral scores are stored as listpack integers.
func TestZzlRoundTrip(t *testing.T) {
	es := []ZEntry{{"c", math.Inf(-1)}, {"a", 1}, {"b", 1}, {"12", 2.5}, {"x", 1e300}}
	lp := ZzlBuild(es)
	if lp.Len() != 10 {
		t.Fatalf("Len = %d", lp.Len())
	}
	if _, v, isInt := lp.Get(lp.Seek(3)); !isInt || v != 1 {
		t.Errorf("score of a: isInt %v v %d", isInt, v)
	}
	got := ZzlEntries(*lp)
	if len(got) != len(es) {
		t.Fatalf("decoded %v", got)
	}
	for i := range es {
		if got[i] != es[i] {
			t.Errorf("entry %d: %v, want %v", i, got[i], es[i])
		}
	}
}

// Dup copies a skiplist sorted set: changes to either do not show in the
// other.
func TestZSetDup(t *testing.T) {
	z := NewZSet(1, nil)
	z.Add("a", 1, 0)
	z.Add("b", 2, 0)
	c := z.Dup().(*ZSet)
	z.Add("c", 3, 0)
	c.Remove("a")
	if z.Len() != 3 || c.Len() != 1 {
		t.Fatalf("len %d and %d", z.Len(), c.Len())
	}
	if s, ok := c.Score("b"); !ok || s != 2 {
		t.Errorf("copy score of b: %v %v", s, ok)
	}
	if r, ok := c.Rank("b", false); !ok || r != 0 {
		t.Errorf("copy rank of b: %v %v", r, ok)
	}
}

// ZzlInsert, ZzlDelete and ZzlFind edit a sorted set listpack in place and
// leave exactly the bytes ZzlBuild gives for the sorted elements, as
// Redis's zzlInsert/zzlDelete do.
func TestZzlInPlaceModel(t *testing.T) {
	r := rand.New(rand.NewPCG(testSeed(t), 0))
	scores := []float64{0, 1, -1, 2.5, 1e300, math.Inf(1), math.Inf(-1), 4503599627370496, 0.1}
	for round := range 20 {
		lp := NewListpack()
		model := map[string]float64{}
		for step := range 300 {
			m := strconv.Itoa(r.IntN(40))
			if r.IntN(3) == 0 {
				m = "m" + m // a string member, not an integer one
			}
			p, got := ZzlFind(lp, m)
			want, ok := model[m]
			if (p >= 0) != ok || (ok && got != want && !(math.IsNaN(got) && math.IsNaN(want))) {
				t.Fatalf("round %d step %d: ZzlFind(%q) = %d, %v; model has %v, %v", round, step, m, p, got, want, ok)
			}
			if ok {
				lp.ZzlDelete(p)
				delete(model, m)
			}
			if r.IntN(4) != 0 {
				s := scores[r.IntN(len(scores))]
				if r.IntN(2) == 0 {
					s = float64(r.IntN(20)) / 4
				}
				lp.ZzlInsert(m, s)
				model[m] = s
			}
			es := make([]ZEntry, 0, len(model))
			for m, s := range model {
				es = append(es, ZEntry{m, s})
			}
			slices.SortFunc(es, func(a, b ZEntry) int {
				if c := cmp.Compare(a.Score, b.Score); c != 0 {
					return c
				}
				return strings.Compare(a.Member, b.Member)
			})
			if want := *ZzlBuild(es); !bytes.Equal(lp, want) {
				t.Fatalf("round %d step %d: listpack\n%x\nwant\n%x", round, step, []byte(lp), []byte(want))
			}
		}
	}
}

// ZzlBuild sizes the listpack once: its capacity is what its bytes need,
// rounded to a size class.
func TestZzlBuildSized(t *testing.T) {
	var es []ZEntry
	for i := range 100 {
		es = append(es, ZEntry{"member:" + strconv.Itoa(i), float64(i) + 0.25})
	}
	lp := *ZzlBuild(es)
	if err := ValidateListpack(lp, true); err != nil {
		t.Fatal(err)
	}
	if want := cap(lpAlloc(len(lp))); cap(lp) != want {
		t.Errorf("capacity %d for %d bytes, want %d", cap(lp), len(lp), want)
	}
	if got := ZzlEntries(lp); len(got) != len(es) || got[99] != es[99] {
		t.Errorf("round trip: %v", got[len(got)-1])
	}
}
