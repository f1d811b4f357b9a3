package datatypes

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// Vectors are the intsets inside DUMP payloads from redis-server 7.0.15
// (rdbcompression no) after the SADD in each comment.
func TestIntsetRedisVectors(t *testing.T) {
	cases := []struct {
		name string
		add  []int64
		hex  string
	}{
		// SADD s 1 2 3 -5
		{"int16", []int64{1, 2, 3, -5}, "0200000004000000fbff010002000300"},
		// SADD s2 1 70000 -2
		{"int32", []int64{1, 70000, -2}, "0400000003000000feffffff0100000070110100"},
		// SADD s3 1 5000000000 -1
		{"int64", []int64{1, 5000000000, -1}, "0800000003000000ffffffffffffffff010000000000000000f2052a01000000"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			is := NewIntset()
			for _, v := range c.add {
				if !is.Add(v) {
					t.Fatalf("Add(%d) reported present", v)
				}
			}
			want := mustHex(t, c.hex)
			if !bytes.Equal(is.Bytes(), want) {
				t.Fatalf("got %x, want %x", is.Bytes(), want)
			}
			if err := ValidateIntset(want, true); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestIntsetEmpty(t *testing.T) {
	is := NewIntset()
	if is.Len() != 0 || is.Encoding() != 2 || len(is) != 8 {
		t.Fatalf("empty intset %x", []byte(is))
	}
	if is.Find(0) || is.Remove(0) {
		t.Fatal("empty set has 0")
	}
	// Redis never stores an empty set, so loading one is corruption.
	if err := ValidateIntset(is, true); err == nil {
		t.Fatal("empty intset accepted")
	}
}

func TestIntsetUpgradeAndNoDowngrade(t *testing.T) {
	is := NewIntset()
	is.Add(5)
	is.Add(-3)
	for _, c := range []struct {
		v   int64
		enc int
	}{
		{math.MaxInt16, 2}, {math.MinInt16, 2}, {math.MaxInt16 + 1, 4}, {math.MinInt16 - 1, 4},
		{math.MaxInt32, 4}, {math.MinInt32, 4}, {math.MinInt32 - 1, 8}, {math.MaxInt32 + 1, 8},
		{math.MinInt64, 8}, {math.MaxInt64, 8},
	} {
		if !is.Add(c.v) || is.Encoding() != c.enc {
			t.Fatalf("Add(%d): encoding %d, want %d", c.v, is.Encoding(), c.enc)
		}
		if is.Add(c.v) {
			t.Fatalf("Add(%d) twice", c.v)
		}
		if err := ValidateIntset(is, true); err != nil {
			t.Fatal(err)
		}
	}
	if is.Min() != math.MinInt64 || is.Max() != math.MaxInt64 {
		t.Fatal("Min/Max")
	}
	for _, v := range []int64{math.MinInt64, math.MaxInt64, math.MaxInt32 + 1, math.MinInt32 - 1} {
		if !is.Remove(v) || is.Find(v) {
			t.Fatalf("Remove(%d)", v)
		}
	}
	if is.Encoding() != 8 {
		t.Fatal("Remove downgraded the encoding")
	}
	// A value wider than the encoding cannot be present.
	small := NewIntset()
	small.Add(1)
	if small.Find(1<<40) || small.Remove(1<<40) || small.Find(70000) {
		t.Fatal("found a value wider than the encoding")
	}
}

func TestIntsetRandomModel(t *testing.T) {
	r := rand.New(rand.NewPCG(testSeed(t), 0))
	randVal := func() int64 {
		switch r.IntN(4) {
		case 0:
			return int64(r.IntN(200)) - 100
		case 1:
			return int64(int16(r.Uint32()))
		case 2:
			return int64(int32(r.Uint32()))
		}
		return r.Int64() - r.Int64()
	}
	for round := range 50 {
		is := NewIntset()
		model := map[int64]bool{}
		for range 300 {
			v := randVal()
			if r.IntN(3) == 0 && len(model) > 0 {
				v = is.Random(r.IntN)
				if !model[v] {
					t.Fatalf("Random gave %d, not a member", v)
				}
			}
			if r.IntN(3) == 0 {
				if is.Remove(v) != model[v] {
					t.Fatalf("round %d: Remove(%d)", round, v)
				}
				delete(model, v)
			} else {
				if is.Add(v) == model[v] {
					t.Fatalf("round %d: Add(%d)", round, v)
				}
				model[v] = true
			}
			if is.Find(v) != model[v] {
				t.Fatalf("round %d: Find(%d)", round, v)
			}
		}
		want := make([]int64, 0, len(model))
		maxEnc := 2
		for v := range model {
			want = append(want, v)
			maxEnc = max(maxEnc, intsetValueEncoding(v))
		}
		slices.Sort(want)
		if is.Len() != len(want) || len(is) != 8+len(want)*is.Encoding() || is.Encoding() < maxEnc {
			t.Fatalf("round %d: Len %d, %d bytes, encoding %d", round, is.Len(), len(is), is.Encoding())
		}
		for i, v := range want {
			if is.Get(i) != v {
				t.Fatalf("round %d: Get(%d) = %d, want %d", round, i, is.Get(i), v)
			}
		}
		if len(want) > 0 {
			if err := ValidateIntset(is, true); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestIntsetValidateRejects(t *testing.T) {
	bad := map[string]string{
		"short":     "02000000010000",
		"encoding":  "0300000001000000010203",
		"size":      "020000000200000001000200ff",
		"overflow":  "08000000ffffffff0100000000000000",
		"unsorted":  "020000000200000002000100",
		"duplicate": "020000000200000001000100",
	}
	for name, h := range bad {
		if err := ValidateIntset(mustHex(t, h), true); err == nil || !errors.Is(err, ErrCorruptIntset) {
			t.Errorf("%s: got %v", name, err)
		}
	}
	// Order is checked only by deep validation, as in Redis.
	if err := ValidateIntset(mustHex(t, bad["unsorted"]), false); err != nil {
		t.Errorf("shallow: %v", err)
	}
}

func FuzzIntsetValidate(f *testing.F) {
	f.Add([]byte{2, 0, 0, 0, 1, 0, 0, 0, 5, 0})
	f.Add([]byte{4, 0, 0, 0, 2, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff, 1, 0, 0, 0})
	f.Add([]byte{8, 0, 0, 0, 1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8})
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = ValidateIntset(b, false)
		if err := ValidateIntset(b, true); err != nil {
			if !errors.Is(err, ErrCorruptIntset) {
				t.Fatalf("error does not wrap ErrCorruptIntset: %v", err)
			}
			return
		}
		is := Intset(b)
		n := is.Len()
		for i := range n {
			v := is.Get(i)
			if !is.Find(v) {
				t.Fatalf("Find(%d) false for element %d", v, i)
			}
			if i > 0 && is.Get(i-1) >= v {
				t.Fatal("not strictly increasing")
			}
		}
		if is.Min() != is.Get(0) || is.Max() != is.Get(n-1) {
			t.Fatal("Min/Max")
		}
		c := Intset(slices.Clone(b))
		if !c.Remove(is.Get(0)) || c.Len() != n-1 {
			t.Fatal("Remove of a member")
		}
		c.Add(math.MinInt64)
		c.Add(is.Get(0))
		if c.Len() != n+1 && !(c.Len() == n && is.Get(0) == math.MinInt64) {
			t.Fatalf("Len %d after re-adding to %d", c.Len(), n)
		}
	})
}
