package datatypes

import (
	"math/rand"
	"testing"
)

func TestPopcountAndBitPos(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for n := 0; n < 40; n++ {
		b := make([]byte, n)
		r.Read(b)
		var want int64
		first := [2]int64{-1, -1}
		for i := 0; i < n*8; i++ {
			bit := b[i/8] >> (7 - i%8) & 1
			want += int64(bit)
			if first[bit] < 0 {
				first[bit] = int64(i)
			}
		}
		if got := Popcount(b); got != want {
			t.Errorf("Popcount(%x) = %d, want %d", b, got, want)
		}
		if first[0] < 0 {
			first[0] = int64(n * 8) // zeros past the end
		}
		for bit := 0; bit < 2; bit++ {
			if got := BitPos(b, bit); got != first[bit] {
				t.Errorf("BitPos(%x, %d) = %d, want %d", b, bit, got, first[bit])
			}
		}
	}
	if got := BitPos([]byte{0xff, 0xff}, 0); got != 16 {
		t.Errorf("BitPos(ffff, 0) = %d, want 16", got)
	}
}

func TestBitfieldGetSet(t *testing.T) {
	p := make([]byte, 10)
	SetBitfield(p, 3, 5, 0b10110)
	if p[0] != 0b00010110 {
		t.Fatalf("u5 at 3: %08b", p[0])
	}
	if got := GetUnsignedBitfield(p, 3, 5); got != 0b10110 {
		t.Errorf("get u5 = %d", got)
	}
	if got := GetSignedBitfield(p, 3, 5); got != -10 {
		t.Errorf("get i5 = %d, want -10", got)
	}
	SetBitfield(p, 7, 64, 0x8000000000000001)
	if got := GetSignedBitfield(p, 7, 64); got != -0x7fffffffffffffff {
		t.Errorf("get i64 = %d", got)
	}
	if p[0]&1 != 1 || p[8] != 0x02 || p[1] != 0 {
		t.Errorf("i64 at 7 laid out as %x", p)
	}
}

func TestBitfieldOverflow(t *testing.T) {
	for _, c := range []struct {
		value, incr int64
		bits, ow    int
		overflow    bool
		limit       int64
	}{
		{100, 27, 8, OverflowWrap, false, 0},
		{100, 28, 8, OverflowWrap, true, -128},
		{100, 28, 8, OverflowSat, true, 127},
		{-100, -29, 8, OverflowSat, true, -128},
		{-100, -29, 8, OverflowWrap, true, 127},
		{1<<63 - 1, 1, 64, OverflowWrap, true, -1 << 63},
		{1<<63 - 1, 1, 64, OverflowSat, true, 1<<63 - 1},
		{-1 << 63, -1, 64, OverflowSat, true, -1 << 63},
		{300, 0, 8, OverflowWrap, true, 44}, // SET 300 as i8
		{-1, 0, 1, OverflowFail, false, 0},
		{1, 0, 1, OverflowFail, true, 0},
	} {
		of, limit := CheckSignedBitfieldOverflow(c.value, c.incr, c.bits, c.ow)
		if of != c.overflow || (of && c.ow != OverflowFail && limit != c.limit) {
			t.Errorf("signed %d%+d i%d ow=%d: %v %d, want %v %d", c.value, c.incr, c.bits, c.ow, of, limit, c.overflow, c.limit)
		}
	}
	for _, c := range []struct {
		value    uint64
		incr     int64
		bits, ow int
		overflow bool
		limit    uint64
	}{
		{200, 55, 8, OverflowWrap, false, 0},
		{200, 56, 8, OverflowWrap, true, 0},
		{200, 56, 8, OverflowSat, true, 255},
		{5, -6, 8, OverflowSat, true, 0},
		{5, -6, 8, OverflowWrap, true, 255},
		{1 << 62, 1 << 62, 63, OverflowSat, true, 1<<63 - 1},
		{300, 0, 8, OverflowWrap, true, 44},
	} {
		of, limit := CheckUnsignedBitfieldOverflow(c.value, c.incr, c.bits, c.ow)
		if of != c.overflow || (of && limit != c.limit) {
			t.Errorf("unsigned %d%+d u%d ow=%d: %v %d, want %v %d", c.value, c.incr, c.bits, c.ow, of, limit, c.overflow, c.limit)
		}
	}
}

func TestBitOp(t *testing.T) {
	a, b := []byte{0x0f, 0xf0}, []byte{0xff}
	for _, c := range []struct {
		op   int
		srcs [][]byte
		want string
	}{
		{BitAnd, [][]byte{a, b}, "\x0f\x00"},
		{BitOr, [][]byte{a, b, nil}, "\xff\xf0"},
		{BitXor, [][]byte{a, b}, "\xf0\xf0"},
		{BitNot, [][]byte{a}, "\xf0\x0f"},
		{BitAnd, [][]byte{nil, b}, "\x00"},
	} {
		if got := string(BitOp(c.op, c.srcs)); got != c.want {
			t.Errorf("BitOp(%d, %x) = %x, want %x", c.op, c.srcs, got, c.want)
		}
	}
	if BitOp(BitOr, [][]byte{nil, {}}) != nil {
		t.Error("BitOp of empty sources is not nil")
	}
}
