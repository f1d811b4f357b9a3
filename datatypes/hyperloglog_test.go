package datatypes

import (
	"bytes"
	"math/rand"
	"os"
	"strconv"
	"testing"
	"time"
)

func hllTestRand(t *testing.T) *rand.Rand {
	seed := time.Now().UnixNano()
	if s := os.Getenv("SEED"); s != "" {
		seed, _ = strconv.ParseInt(s, 10, 64)
	}
	t.Logf("SEED=%d", seed)
	return rand.New(rand.NewSource(seed))
}

func TestHLLNewAndAdd(t *testing.T) {
	b := NewHLL()
	want := "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x7f\xff"
	if string(b) != want || !IsHLL(b) || !HLLIsSparse(b) {
		t.Fatalf("NewHLL = %q", b)
	}
	if c, ok := HLLCachedCard(b); !ok || c != 0 {
		t.Fatalf("cached card %d %v", c, ok)
	}
	for _, e := range []string{"a", "b", "c"} {
		var r int
		if b, r = HLLAdd(b, []byte(e), 3000); r != 1 {
			t.Fatalf("add %s: %d", e, r)
		}
	}
	if _, r := HLLAdd(b, []byte("a"), 3000); r != 0 {
		t.Fatalf("re-add: %d", r)
	}
	// Registers and values as redis-server 7.0 decodes PFADD h a b c.
	if got := HLLDecode(b); got != "Z:8436 v:1,1 Z:4274 v:2,1 Z:3068 v:1,1 Z:603" {
		t.Fatalf("decode %q", got)
	}
	if _, ok := HLLCachedCard(b); ok {
		t.Fatal("cache still valid after add")
	}
	if c, ok := HLLCount(b); !ok || c != 3 {
		t.Fatalf("count %d %v", c, ok)
	}
}

func TestHLLIsHLL(t *testing.T) {
	dense, _ := HLLToDense(NewHLL())
	for _, c := range []struct {
		b  string
		ok bool
	}{
		{string(NewHLL()), true},
		{string(dense), true},
		{string(dense[:len(dense)-1]), false},
		{"HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", false},
		{"HYLL\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", false},
		{"HYLX\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", false},
		{"HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", true}, // empty body: caught when decoded
	} {
		if IsHLL([]byte(c.b)) != c.ok {
			t.Errorf("IsHLL(%q) != %v", c.b, c.ok)
		}
	}
}

func TestHLLDenseRegisters(t *testing.T) {
	r := hllTestRand(t)
	regs := make([]byte, HLLDenseSize-HLLHdrSize)
	want := make([]uint8, HLLRegisters)
	for round := 0; round < 3; round++ {
		for i := range want {
			want[i] = uint8(r.Intn(64))
			denseSet(regs, i, want[i])
		}
		for i := range want {
			if got := denseGet(regs, i); got != want[i] {
				t.Fatalf("register %d = %d, want %d", i, got, want[i])
			}
		}
	}
}

// Sparse and dense values fed the same elements hold the same registers
// and the same count at every size, including after promotion.
func TestHLLSparseMatchesDense(t *testing.T) {
	r := hllTestRand(t)
	for _, limit := range []int64{3000, 100, 1 << 20} {
		sparse := NewHLL()
		dense, _ := HLLToDense(NewHLL())
		for n := 1; n <= 30000; n++ {
			ele := []byte(strconv.Itoa(r.Int()))
			var r1, r2 int
			sparse, r1 = HLLAdd(sparse, ele, limit)
			dense, r2 = HLLAdd(dense, ele, 0)
			if r1 != r2 {
				t.Fatalf("limit %d n %d: sparse %d dense %d", limit, n, r1, r2)
			}
			if HLLIsSparse(sparse) && int64(len(sparse)) > limit && len(sparse) > 18 {
				t.Fatalf("sparse value of %d bytes over limit %d", len(sparse), limit)
			}
			if n%2500 == 0 || n < 50 {
				conv, ok := HLLToDense(sparse)
				if !ok {
					t.Fatalf("n %d: sparse value corrupted", n)
				}
				if !bytes.Equal(conv[HLLHdrSize:], dense[HLLHdrSize:]) {
					t.Fatalf("limit %d n %d: registers differ", limit, n)
				}
				c1, _ := HLLCount(sparse)
				c2, _ := HLLCount(dense)
				var m HLLRegs
				m.Merge(sparse)
				if c1 != c2 || m.Count() != c1 {
					t.Fatalf("n %d: counts %d %d %d", n, c1, c2, m.Count())
				}
				if d := float64(c1) - float64(n); d*d > float64(n)*float64(n)*0.05*0.05+25 {
					t.Errorf("n %d: estimate %d too far", n, c1)
				}
			}
		}
	}
}

func TestHLLSelfTest(t *testing.T) {
	r := hllTestRand(t)
	if msg := HLLSelfTest(r.Uint64); msg != "" {
		t.Fatal(msg)
	}
}

// FuzzHLLDecoders feeds arbitrary sparse and dense bodies to every
// decoder: none may panic, and they must agree on what is corrupted.
func FuzzHLLDecoders(f *testing.F) {
	f.Add(false, []byte{0x7f, 0xff})
	f.Add(false, []byte{0x60, 0xf3, 0x80, 0x50, 0xb1, 0x84, 0x4b, 0xfb, 0x80, 0x42, 0x5a, 0x0a})
	f.Add(false, []byte{0x7f})
	f.Add(false, []byte{0x00, 0xff, 0xfe, 0x40})
	f.Add(true, []byte{0x01, 0x02})
	f.Fuzz(func(t *testing.T, dense bool, body []byte) {
		hdr := []byte("HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80")
		if dense {
			hdr[4] = HLLDense
			full := make([]byte, HLLDenseSize-HLLHdrSize)
			copy(full, body)
			body = full
		}
		b := append(hdr, body...)
		if !IsHLL(b) {
			t.Fatal("header rejected")
		}
		c1, ok1 := HLLCount(b)
		var m HLLRegs
		ok2 := m.Merge(b)
		d, ok3 := HLLToDense(append([]byte(nil), b...))
		_ = HLLDecode(b)
		if ok1 != ok3 || (ok2 && !ok1) {
			t.Fatalf("count %v merge %v todense %v disagree", ok1, ok2, ok3)
		}
		if ok1 {
			if c2, _ := HLLCount(d); c2 != c1 || !ok2 || m.Count() != c1 {
				t.Fatalf("counts %d %d %d", c1, c2, m.Count())
			}
		}
		x := append([]byte(nil), b...)
		for i, e := range []string{"a", "b", "c", "foo", "bar"} {
			var r int
			x, r = HLLAdd(x, []byte(e), int64(20+i*10))
			if r < 0 {
				return
			}
			if !IsHLL(x) {
				t.Fatalf("add produced an invalid header")
			}
			HLLCount(x)
		}
		for i := 0; i < HLLRegisters; i += 997 {
			var r int
			if x, r = HLLSet(x, i, uint8(i%40+1), 3000); r < 0 {
				return
			}
		}
	})
}
