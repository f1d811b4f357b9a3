package datatypes

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// testSeed returns SEED from the environment or a fresh one, logged so a
// failure can be replayed.
func testSeed(t testing.TB) uint64 {
	seed := rand.Uint64()
	if s := os.Getenv("SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("bad SEED %q: %v", s, err)
		}
		seed = v
	}
	t.Logf("SEED=%d", seed)
	return seed
}

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// lpElems reads every element as bytes, walking forward.
func lpElems(lp Listpack) [][]byte {
	var out [][]byte
	for p := lp.First(); p >= 0; p = lp.Next(p) {
		out = append(out, bytes.Clone(lp.GetBytes(p, nil)))
	}
	return out
}

// lpElemsBackward reads every element walking from the end, in list order.
func lpElemsBackward(lp Listpack) [][]byte {
	var out [][]byte
	for p := lp.Last(); p >= 0; p = lp.Prev(p) {
		out = append(out, bytes.Clone(lp.GetBytes(p, nil)))
	}
	slices.Reverse(out)
	return out
}

func lpFrom(elems ...string) Listpack {
	lp := NewListpack()
	for _, e := range elems {
		lp.Append([]byte(e))
	}
	return lp
}

// Vectors are the listpacks inside DUMP payloads from redis-server 7.0.15
// (rdbcompression no) after the commands in each comment.
func TestListpackRedisVectors(t *testing.T) {
	cases := []struct {
		name  string
		elems []string
		hex   string
	}{
		{
			// RPUSH l 0 127 128 -1 -4096 4095 4096 -4097 32767 -32768 32768 -32769
			//   8388607 -8388608 8388608 -8388609 2147483647 -2147483648 2147483648
			//   -2147483649 9223372036854775807 -9223372036854775808
			//   9223372036854775808 "" abc 012 +5 -0 " 1" "1 "
			name: "list-every-int-encoding",
			elems: []string{"0", "127", "128", "-1", "-4096", "4095", "4096", "-4097", "32767", "-32768",
				"32768", "-32769", "8388607", "-8388608", "8388608", "-8388609", "2147483647", "-2147483648",
				"2147483648", "-2147483649", "9223372036854775807", "-9223372036854775808",
				"9223372036854775808", "", "abc", "012", "+5", "-0", " 1", "1 "},
			hex: "ac0000001e0000017f01c08002dfff02d00002cfff02f1001003f1ffef03f1ff7f03f1008003f200800004f2ff7fff04f2ffff7f04f200008004f30000800005f3ffff7fff05f3ffffff7f05f30000008005f4000000800000000009f4ffffff7fffffffff09f4ffffffffffffff7f09f4000000000000008009933932323333373230333638353437373538303814800183616263048330313204822b3503822d30038220310382312003ff",
		},
		{
			// RPUSH l2 <63 x a> <64 x b> <200 x c>
			name:  "list-6bit-12bit-strings",
			elems: []string{strings.Repeat("a", 63), strings.Repeat("b", 64), strings.Repeat("c", 200)},
			hex:   "570100000300bf" + strings.Repeat("61", 63) + "40e040" + strings.Repeat("62", 64) + "42e0c8" + strings.Repeat("63", 200) + "01caff",
		},
		{
			// HSET h f1 v1 f2 100 name redis
			name:  "hash",
			elems: []string{"f1", "v1", "f2", "100", "name", "redis"},
			hex:   "2200000006008266310382763103826632036401846e616d650585726564697306ff",
		},
		{
			// ZADD z 1 a 2.5 b -3 c 1e10 d
			name:  "zset",
			elems: []string{"c", "-3", "a", "1", "b", "2.5", "d", "10000000000"},
			hex:   "270000000800816302dffd02816102010181620283322e3504816402f400e40b540200000009ff",
		},
		{
			// RPUSH l3 <5000 x x>: 32-bit string, 2-byte backlen
			name:  "32bit-string",
			elems: []string{strings.Repeat("x", 5000)},
			hex:   "961300000100f088130000" + strings.Repeat("78", 5000) + "278dff",
		},
		{
			// RPUSH l4 <7000 x y> z
			name:  "32bit-string-then-small",
			elems: []string{strings.Repeat("y", 7000), "z"},
			hex:   "691b00000200f0581b0000" + strings.Repeat("79", 7000) + "36dd817a02ff",
		},
		{
			// RPUSH l5 <16380 x w> (list-max-listpack-size 5): 3-byte backlen
			name:  "3byte-backlen",
			elems: []string{strings.Repeat("w", 16380)},
			hex:   "0b4000000100f0fc3f0000" + strings.Repeat("77", 16380) + "018081ff",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := mustHex(t, c.hex)
			lp := lpFrom(c.elems...)
			if !bytes.Equal(lp.Bytes(), want) {
				t.Fatalf("bytes differ from redis\n got %x\nwant %x", lp.Bytes(), want)
			}
			if err := ValidateListpack(want, true); err != nil {
				t.Fatal(err)
			}
			got := lpElems(Listpack(want))
			if len(got) != len(c.elems) || Listpack(want).Len() != len(c.elems) {
				t.Fatalf("got %d elements, want %d", len(got), len(c.elems))
			}
			for i, e := range c.elems {
				if string(got[i]) != e {
					t.Fatalf("element %d = %q, want %q", i, got[i], e)
				}
			}
			if back := lpElemsBackward(Listpack(want)); !slices.EqualFunc(back, got, bytes.Equal) {
				t.Fatal("backward walk differs")
			}
		})
	}
}

func TestListpackEmpty(t *testing.T) {
	lp := NewListpack()
	if !bytes.Equal(lp, []byte{7, 0, 0, 0, 0, 0, 0xff}) {
		t.Fatalf("empty = %x", []byte(lp))
	}
	if lp.Len() != 0 || lp.First() != -1 || lp.Last() != -1 || lp.Seek(0) != -1 || lp.Seek(-1) != -1 {
		t.Fatal("empty listpack has elements")
	}
	if lp.Find(lpHdrSize, []byte("x"), 0) != -1 {
		t.Fatal("found in empty")
	}
	if err := ValidateListpack(lp, true); err != nil {
		t.Fatal(err)
	}
	lp.DeleteRange(0, 10)
	if lp.Len() != 0 || lp.TotalBytes() != 7 {
		t.Fatal("DeleteRange on empty changed it")
	}
}

func TestListpackOneElement(t *testing.T) {
	lp := NewListpack()
	p := lp.Prepend([]byte("hello"))
	if p != lpHdrSize || lp.First() != p || lp.Last() != p || lp.Next(p) != -1 || lp.Prev(p) != -1 {
		t.Fatal("positions of a single element")
	}
	if lp.Seek(0) != p || lp.Seek(-1) != p || lp.Seek(1) != -1 || lp.Seek(-2) != -1 {
		t.Fatal("seek on one element")
	}
	if lp.Delete(p) != -1 || lp.Len() != 0 || !bytes.Equal(lp, NewListpack()) {
		t.Fatalf("after delete: %x", []byte(lp))
	}
}

// Get returns integers without allocating, and the exact value at every
// encoding boundary.
func TestListpackIntBoundaries(t *testing.T) {
	vals := []int64{0, 1, 127, 128, -1, -4096, 4095, -4097, 4096, -32768, 32767, -32769, 32768,
		-8388608, 8388607, -8388609, 8388608, -2147483648, 2147483647, -2147483649, 2147483648,
		-9223372036854775808, 9223372036854775807}
	lp := NewListpack()
	for _, v := range vals {
		lp.AppendInt(v)
	}
	viaString := NewListpack()
	for _, v := range vals {
		viaString.Append(strconv.AppendInt(nil, v, 10))
	}
	if !bytes.Equal(lp, viaString) {
		t.Fatal("AppendInt and Append of the decimal form differ")
	}
	i := 0
	for p := lp.First(); p >= 0; p = lp.Next(p) {
		s, v, isInt := lp.Get(p)
		if !isInt || s != nil || v != vals[i] {
			t.Fatalf("element %d: got (%q, %d, %v), want %d", i, s, v, isInt, vals[i])
		}
		i++
	}
	p := lp.First()
	if n := testing.AllocsPerRun(100, func() { _, _, _ = lp.Get(p) }); n != 0 {
		t.Fatalf("Get allocates %v times", n)
	}
}

// Strings that look like numbers but are not canonical stay strings, so they
// come back byte for byte.
func TestListpackNonCanonicalStrings(t *testing.T) {
	for _, s := range []string{"012", "-0", "+1", " 1", "1 ", "1.0", "9223372036854775808",
		"-9223372036854775809", "00", "-", "", "0x10", "１"} {
		lp := lpFrom(s)
		got, _, isInt := lp.Get(lp.First())
		if isInt || string(got) != s {
			t.Fatalf("%q stored as int=%v %q", s, isInt, got)
		}
	}
}

func TestListpackStringLengthBoundaries(t *testing.T) {
	for _, n := range []int{0, 1, 63, 64, 122, 123, 124, 125, 126, 127, 128, 4095, 4096, 16377, 16378, 16379, 16380, 70000} {
		s := bytes.Repeat([]byte{'s'}, n)
		lp := NewListpack()
		lp.Append([]byte("a"))
		lp.Append(s)
		lp.Append([]byte("b"))
		if err := ValidateListpack(lp, true); err != nil {
			t.Fatalf("len %d: %v", n, err)
		}
		p := lp.Seek(1)
		if got, _, _ := lp.Get(p); !bytes.Equal(got, s) {
			t.Fatalf("len %d: got %d bytes", n, len(got))
		}
		if lp.Prev(lp.Seek(2)) != p || lp.Seek(-2) != p {
			t.Fatalf("len %d: backward walk broken", n)
		}
	}
}

func TestListpackBacklenBounds(t *testing.T) {
	// Redis's bounds: 127 | 16382 | 2097150 | 268435454 are the largest
	// sizes of 1..4 byte backlens (strictly "<" above 127).
	for _, c := range []struct {
		l    uint64
		size int
	}{{0, 1}, {127, 1}, {128, 2}, {16382, 2}, {16383, 3}, {2097150, 3}, {2097151, 4},
		{268435454, 4}, {268435455, 5}, {1<<32 + 4, 5}} {
		var buf [5]byte
		n := lpEncodeBacklen(&buf, c.l)
		if n != c.size {
			t.Fatalf("backlen(%d) is %d bytes, want %d", c.l, n, c.size)
		}
		if v, ok := lpDecodeBacklen(buf[:n], n-1); !ok || v != c.l {
			t.Fatalf("decode(%d) = %d %v", c.l, v, ok)
		}
	}
}

func TestListpackFind(t *testing.T) {
	lp := lpFrom("f1", "v1", "12", "f1", "v", "-7", "big", "12")
	cases := []struct {
		val       string
		skip, idx int
	}{
		{"f1", 1, 0}, {"v1", 1, -1}, {"v1", 0, 1}, {"12", 1, 2}, {"12", 0, 2},
		{"-7", 1, -1}, {"-7", 0, 5}, {"012", 0, -1}, {"big", 1, 6}, {"nope", 0, -1},
	}
	for _, c := range cases {
		want := -1
		if c.idx >= 0 {
			want = lp.Seek(c.idx)
		}
		if got := lp.Find(lp.First(), []byte(c.val), c.skip); got != want {
			t.Errorf("Find(%q, skip %d) = %d, want %d", c.val, c.skip, got, want)
		}
	}
	// Starting past the first match finds the next one.
	if got := lp.Find(lp.Seek(1), []byte("f1"), 0); got != lp.Seek(3) {
		t.Errorf("Find from 1 = %d, want %d", got, lp.Seek(3))
	}
}

func TestListpackInsertAliasing(t *testing.T) {
	lp := NewListpack()
	lp = slices.Grow(lp, 1000) // room, so inserts move bytes in place
	lp.Append([]byte("first-element"))
	lp.Append([]byte("second"))
	s, _, _ := lp.Get(lp.First())
	lp.Prepend(s)
	lp.Insert(lp.Seek(1), s, ListpackAfter)
	got := lpElems(lp)
	want := []string{"first-element", "first-element", "first-element", "second"}
	for i := range want {
		if string(got[i]) != want[i] {
			t.Fatalf("got %q", got)
		}
	}
}

// Past 65534 elements the header count is "unknown"; Len counts and caches
// again once the count fits, as lpLength does.
func TestListpackUnknownCount(t *testing.T) {
	lp := NewListpack()
	for i := range 65536 {
		lp.AppendInt(int64(i % 100))
	}
	if binary.LittleEndian.Uint16(lp[4:]) != lpNumeleUnknown {
		t.Fatal("header count should be unknown")
	}
	if lp.Len() != 65536 {
		t.Fatalf("Len = %d", lp.Len())
	}
	if err := ValidateListpack(lp, true); err != nil {
		t.Fatal(err)
	}
	if p := lp.Seek(-1); p != lp.Last() {
		t.Fatal("Seek(-1) with unknown count")
	}
	if _, v, _ := lp.Get(lp.Seek(65535)); v != 65535%100 {
		t.Fatal("Seek forward with unknown count")
	}
	lp.Delete(lp.First())
	lp.Delete(lp.First())
	if binary.LittleEndian.Uint16(lp[4:]) != lpNumeleUnknown {
		t.Fatal("delete must keep the count unknown, as Redis does")
	}
	if lp.Len() != 65534 || binary.LittleEndian.Uint16(lp[4:]) != 65534 {
		t.Fatal("Len should cache a count that fits")
	}
	lp.DeleteRange(100, 1<<20)
	if lp.Len() != 100 || lp.TotalBytes() != len(lp) {
		t.Fatal("DeleteRange to the end")
	}
	if err := ValidateListpack(lp, true); err != nil {
		t.Fatal(err)
	}
}

func TestListpackSafeToAdd(t *testing.T) {
	if !ListpackSafeToAdd(nil, ListpackMaxSafetySize) || ListpackSafeToAdd(nil, ListpackMaxSafetySize+1) {
		t.Fatal("nil listpack bounds")
	}
	lp := NewListpack()
	if !ListpackSafeToAdd(lp, ListpackMaxSafetySize-7) || ListpackSafeToAdd(lp, ListpackMaxSafetySize-6) {
		t.Fatal("empty listpack bounds")
	}
}

func TestListpackValidateRejects(t *testing.T) {
	good := lpFrom("a", "12345", strings.Repeat("z", 100))
	bad := map[string][]byte{
		"short":        {6, 0, 0, 0, 0, 0},
		"size":         append(slices.Clone([]byte(good)), 0xff),
		"no-eof":       func() []byte { b := slices.Clone([]byte(good)); b[len(b)-1] = 0; return b }(),
		"count":        func() []byte { b := slices.Clone([]byte(good)); b[4] = 2; return b }(),
		"bad-encoding": {9, 0, 0, 0, 1, 0, 0xf5, 1, 0xff},
		"backlen":      {9, 0, 0, 0, 1, 0, 0x05, 2, 0xff},
		"str-too-long": {10, 0, 0, 0, 1, 0, 0x85, 'a', 'b', 0xff},
		"32bit-len":    {12, 0, 0, 0, 1, 0, 0xf0, 0xff, 0xff, 0xff, 0xff, 0xff},
		"early-eof":    {10, 0, 0, 0, 1, 0, 0x01, 0x01, 0xff, 0xff},
	}
	for name, b := range bad {
		if err := ValidateListpack(b, true); err == nil || !errors.Is(err, ErrCorruptListpack) {
			t.Errorf("%s: got %v", name, err)
		}
	}
	if err := ValidateListpack(good, false); err != nil {
		t.Fatal(err)
	}
	// Shallow validation looks at the header and the first entry only.
	if err := ValidateListpack(bad["count"], false); err != nil {
		t.Fatal("shallow validation checked the count")
	}
	if err := ValidateListpack(bad["bad-encoding"], false); err == nil {
		t.Fatal("shallow validation accepted a bad first entry")
	}
}

// lpRandValue gives values around every encoding boundary.
func lpRandValue(r *rand.Rand) []byte {
	switch r.IntN(10) {
	case 0:
		b := []int64{0, 127, 128, -4096, 4095, -4097, 4096, 32767, 32768, -32769, 8388607, 8388608,
			-8388609, 2147483647, 2147483648, -2147483649, -1 << 63, 1<<63 - 1}[r.IntN(18)]
		return strconv.AppendInt(nil, b+int64(r.IntN(3))-1, 10)
	case 1:
		return strconv.AppendInt(nil, r.Int64()>>r.IntN(64), 10)
	case 2:
		return []byte([]string{"012", "-0", "+3", "", " ", "1e3", "9223372036854775808"}[r.IntN(7)])
	case 3:
		return bytes.Repeat([]byte{byte('a' + r.IntN(26))}, []int{63, 64, 4095, 4096, 16378, 16379}[r.IntN(6)])
	default:
		b := make([]byte, r.IntN(80))
		for i := range b {
			b[i] = byte('a' + r.IntN(3))
		}
		return b
	}
}

func TestListpackRandomModel(t *testing.T) {
	r := rand.New(rand.NewPCG(testSeed(t), 0))
	for round := range 30 {
		lp := NewListpack()
		var model [][]byte
		for step := range 400 {
			n := len(model)
			switch op := r.IntN(9); {
			case op == 0 || n == 0:
				v := lpRandValue(r)
				lp.Append(v)
				model = append(model, v)
			case op == 1:
				v := lpRandValue(r)
				lp.Prepend(v)
				model = slices.Insert(model, 0, v)
			case op == 2:
				v, i := lpRandValue(r), r.IntN(n)
				where := ListpackWhere(r.IntN(2))
				p := lp.Insert(lp.Seek(i), v, where)
				if where == ListpackAfter {
					i++
				}
				model = slices.Insert(model, i, v)
				if p != lp.Seek(i) {
					t.Fatalf("round %d step %d: Insert returned %d, element is at %d", round, step, p, lp.Seek(i))
				}
			case op == 3:
				v, i := lpRandValue(r), r.IntN(n)
				lp.Replace(lp.Seek(i-n), v)
				model[i] = v
			case op == 4:
				i := r.IntN(n)
				next := lp.Delete(lp.Seek(i))
				model = slices.Delete(model, i, i+1)
				if (i == len(model)) != (next == -1) || (next >= 0 && next != lp.Seek(i)) {
					t.Fatalf("round %d step %d: Delete returned %d", round, step, next)
				}
			case op == 5:
				idx, cnt := r.IntN(2*n+2)-n-1, r.IntN(5)
				lp.DeleteRange(idx, cnt)
				if idx < 0 {
					idx += n
				}
				if idx >= 0 && idx < n && cnt > 0 {
					model = slices.Delete(model, idx, min(n, idx+cnt))
				}
			case op == 6:
				skip := r.IntN(2)
				var v []byte
				if r.IntN(2) == 0 {
					v = model[r.IntN(n)]
				} else {
					v = lpRandValue(r)
				}
				want := -1
				for i := 0; i < n; i += skip + 1 {
					if bytes.Equal(model[i], v) {
						want = lp.Seek(i)
						break
					}
				}
				if got := lp.Find(lp.First(), v, skip); got != want {
					t.Fatalf("round %d step %d: Find(%q, %d) = %d, want %d", round, step, v, skip, got, want)
				}
			default:
				i := r.IntN(n)
				if got := lp.GetBytes(lp.Seek(i), nil); !bytes.Equal(got, model[i]) {
					t.Fatalf("round %d step %d: Seek(%d) = %q, want %q", round, step, i, got, model[i])
				}
			}
			lpCheckModel(t, lp, model)
		}
		// The same elements appended in order give the same bytes: edits
		// never leave a non-canonical encoding behind.
		fresh := NewListpack()
		for _, v := range model {
			fresh.Append(v)
		}
		if !bytes.Equal(fresh, lp) {
			t.Fatalf("round %d: edited listpack differs from a fresh one", round)
		}
	}
}

func lpCheckModel(t *testing.T, lp Listpack, model [][]byte) {
	t.Helper()
	if err := ValidateListpack(lp, true); err != nil {
		t.Fatal(err)
	}
	if lp.Len() != len(model) || lp.TotalBytes() != len(lp) {
		t.Fatalf("Len %d TotalBytes %d, want %d elements and %d bytes", lp.Len(), lp.TotalBytes(), len(model), len(lp))
	}
	fw, bw := lpElems(lp), lpElemsBackward(lp)
	if !slices.EqualFunc(fw, model, bytes.Equal) || !slices.EqualFunc(bw, model, bytes.Equal) {
		t.Fatalf("contents differ from the model\n got %q\nwant %q", fw, model)
	}
}

func FuzzListpackValidate(f *testing.F) {
	f.Add([]byte(NewListpack()))
	f.Add([]byte(lpFrom("a", "1", "-4096", "70000", "-9223372036854775808", strings.Repeat("x", 70))))
	f.Add([]byte(lpFrom(strings.Repeat("y", 300), "z")))
	f.Add([]byte{9, 0, 0, 0, 1, 0, 0x05, 2, 0xff})
	f.Add([]byte{12, 0, 0, 0, 1, 0, 0xf0, 0xff, 0xff, 0xff, 0xff, 0xff})
	f.Add([]byte{11, 0, 0, 0, 0xff, 0xff, 0x01, 0x01, 0x02, 0x01, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = ValidateListpack(b, false)
		if err := ValidateListpack(b, true); err != nil {
			if !errors.Is(err, ErrCorruptListpack) {
				t.Fatalf("error does not wrap ErrCorruptListpack: %v", err)
			}
			return
		}
		lp := Listpack(b)
		var fw []int
		for p := lp.First(); p >= 0; p = lp.Next(p) {
			fw = append(fw, p)
			lp.Get(p)
			lp.GetBytes(p, nil)
		}
		var bw []int
		for p := lp.Last(); p >= 0; p = lp.Prev(p) {
			bw = append(bw, p)
		}
		slices.Reverse(bw)
		if !slices.Equal(fw, bw) {
			t.Fatalf("forward %v, backward %v", fw, bw)
		}
		if lp.Len() != len(fw) {
			t.Fatalf("Len %d, walked %d", lp.Len(), len(fw))
		}
		for i, p := range fw {
			if i >= 16 && i < len(fw)-16 {
				continue // Seek is a walk: keep the check linear
			}
			if lp.Seek(i) != p || lp.Seek(i-len(fw)) != p {
				t.Fatalf("Seek(%d) disagrees with the walk", i)
			}
		}
		if len(fw) > 0 {
			v := lp.GetBytes(fw[len(fw)-1], nil)
			if lp.Find(fw[0], v, 0) < 0 {
				t.Fatal("Find missed the last element")
			}
			// A valid listpack stays valid through edits.
			c := Listpack(slices.Clone(b))
			c.Delete(c.First())
			c.Append([]byte("x"))
			if err := ValidateListpack(c, true); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// A listpack grown by appends carries no more slack than an allocator size
// class (as a jemalloc-reallocated one in Redis), and an append that fits
// in the capacity does not move the bytes.
func TestListpackGrowthSlack(t *testing.T) {
	lp := NewListpack()
	for i := 0; lp.TotalBytes() < 3*lpExactGrowMax; i++ {
		before := unsafe.SliceData(lp)
		fits := cap(lp)-len(lp) >= 16
		lp.Append([]byte("member:" + strconv.Itoa(i)))
		if fits && unsafe.SliceData(lp) != before {
			t.Fatalf("append %d moved a listpack that had room", i)
		}
		n := len(lp)
		slack := cap(lp) - n
		switch {
		case n <= lpExactGrowMax && slack > n/5+16: // classes are at most 1/6 apart
			t.Fatalf("%d bytes with capacity %d: more than a size class of slack", n, cap(lp))
		case n > lpExactGrowMax && slack > n/4+8192:
			t.Fatalf("%d bytes with capacity %d: more than a quarter of slack", n, cap(lp))
		}
	}
	if err := ValidateListpack(lp, true); err != nil {
		t.Fatal(err)
	}
}
