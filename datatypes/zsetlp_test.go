package datatypes

import (
	"math"
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
