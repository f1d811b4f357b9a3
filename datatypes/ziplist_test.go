package datatypes

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// zlBuild is an independent ziplist writer for tests, following
// ziplistPush: each element is a string or an int64; a string that is a
// canonical integer is stored as one (zipTryEncoding), in the smallest
// integer encoding; prevlen is 1 byte below 254, else 0xFE + uint32.
func zlBuild(elems ...any) []byte {
	b := make([]byte, zlHdrSize)
	prevLen, tail := 0, zlHdrSize
	for _, el := range elems {
		var enc []byte
		var s []byte
		var v int64
		isInt := false
		switch x := el.(type) {
		case int64:
			v, isInt = x, true
		case int:
			v, isInt = int64(x), true
		case string:
			if n, err := strconv.ParseInt(x, 10, 64); err == nil && strconv.FormatInt(n, 10) == x {
				v, isInt = n, true
			} else {
				s = []byte(x)
			}
		}
		if isInt {
			switch {
			case v >= 0 && v <= 12:
				enc = []byte{byte(0xF1 + v)}
			case v >= math.MinInt8 && v <= math.MaxInt8:
				enc = []byte{0xFE, byte(v)}
			case v >= math.MinInt16 && v <= math.MaxInt16:
				enc = binary.LittleEndian.AppendUint16([]byte{0xC0}, uint16(v))
			case v >= -(1<<23) && v <= 1<<23-1:
				enc = []byte{0xF0, byte(v), byte(v >> 8), byte(v >> 16)}
			case v >= math.MinInt32 && v <= math.MaxInt32:
				enc = binary.LittleEndian.AppendUint32([]byte{0xD0}, uint32(v))
			default:
				enc = binary.LittleEndian.AppendUint64([]byte{0xE0}, uint64(v))
			}
		} else {
			n := len(s)
			switch {
			case n <= 0x3F:
				enc = []byte{byte(n)}
			case n <= 0x3FFF:
				enc = []byte{0x40 | byte(n>>8), byte(n)}
			default:
				enc = binary.BigEndian.AppendUint32([]byte{0x80}, uint32(n))
			}
			enc = append(enc, s...)
		}
		tail = len(b)
		start := len(b)
		if prevLen < zlBigPrevlen {
			b = append(b, byte(prevLen))
		} else {
			b = binary.LittleEndian.AppendUint32(append(b, zlBigPrevlen), uint32(prevLen))
		}
		b = append(b, enc...)
		prevLen = len(b) - start
	}
	b = append(b, zlEnd)
	binary.LittleEndian.PutUint32(b, uint32(len(b)))
	binary.LittleEndian.PutUint32(b[4:], uint32(tail))
	n := len(elems)
	if n > zlLenUnknown {
		n = zlLenUnknown
	}
	binary.LittleEndian.PutUint16(b[8:], uint16(n))
	return b
}

// zlCollect returns the entries of a ziplist as their decimal/string forms.
func zlCollect(t *testing.T, b []byte) []string {
	t.Helper()
	var out []string
	err := ZiplistEntries(b, func(s []byte, v int64, isInt bool) bool {
		if isInt {
			out = append(out, strconv.FormatInt(v, 10))
		} else {
			out = append(out, string(s))
		}
		return true
	})
	if err != nil {
		t.Fatalf("ZiplistEntries: %v", err)
	}
	return out
}

// lpStrings returns the entries of a listpack as strings.
func lpStrings(lp Listpack) []string {
	var out []string
	for p := lp.First(); p >= 0; p = lp.Next(p) {
		s, v, isInt := lp.Get(p)
		if isInt {
			out = append(out, strconv.FormatInt(v, 10))
		} else {
			out = append(out, string(s))
		}
	}
	return out
}

func TestZiplistHeaderExample(t *testing.T) {
	// The example in ziplist.c's header comment: "2" and "5".
	zl := []byte{0x0f, 0, 0, 0, 0x0c, 0, 0, 0, 0x02, 0, 0x00, 0xf3, 0x02, 0xf6, 0xff}
	if !bytes.Equal(zl, zlBuild("2", "5")) {
		t.Fatalf("zlBuild disagrees with ziplist.c's example: % x", zlBuild("2", "5"))
	}
	if got := zlCollect(t, zl); strings.Join(got, ",") != "2,5" {
		t.Fatalf("entries = %q", got)
	}
	// Adding "Hello World" as the header describes: [02] [0b] "Hello World".
	zl2 := zlBuild("2", "5", "Hello World")
	if want := append([]byte{0x02, 0x0b}, "Hello World"...); !bytes.Equal(zl2[14:len(zl2)-1], want) {
		t.Fatalf("third entry = % x", zl2[14:len(zl2)-1])
	}
	if got := zlCollect(t, zl2); strings.Join(got, ",") != "2,5,Hello World" {
		t.Fatalf("entries = %q", got)
	}
}

// Ziplists from Redis's own tests (tests/integration/corrupt-dump.tcl, the
// RESTORE payloads minus the type byte, RDB length and footer).
func TestZiplistRedisVectors(t *testing.T) {
	abcd := []byte{0x1B, 0, 0, 0, 0x16, 0, 0, 0, 0x04, 0, 0x00, 0x02, 0x61, 0x00, 0x04, 0x02, 0x62, 0x00, 0x04, 0x02, 0x63, 0x00, 0x04, 0x02, 0x64, 0x00, 0xFF}
	if err := ValidateZiplist(abcd); err != nil {
		t.Fatalf("valid hash ziplist: %v", err)
	}
	if got := zlCollect(t, abcd); strings.Join(got, "|") != "a\x00|b\x00|c\x00|d\x00" {
		t.Fatalf("entries = %q", got)
	}
	emptyZl := []byte{0x0B, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0, 0xFF}
	if err := ValidateZiplist(emptyZl); err != nil {
		t.Fatalf("empty ziplist: %v", err)
	}
	corrupt := map[string][]byte{
		"invalid zlbytes header": {0x25, 0, 0, 0, 0x16, 0, 0, 0, 0x04, 0, 0x00, 0x02, 0x61, 0x00, 0x04, 0x02, 0x62, 0x00, 0x04, 0x02, 0x63, 0x00, 0x04, 0x02, 0x64, 0x00, 0xFF},
		"invalid entry len":      {0x1B, 0, 0, 0, 0x16, 0, 0, 0, 0x04, 0, 0x00, 0x02, 0x61, 0x00, 0x04, 0x02, 0x62, 0x00, 0x04, 0x14, 0x63, 0x00, 0x04, 0x02, 0x64, 0x00, 0xFF},
		"big prev len":           {0x13, 0, 0, 0, 0x0E, 0, 0, 0, 0x02, 0, 0x00, 0x02, 0x61, 0x00, 0x0E, 0x02, 0x62, 0x00, 0xFF},
		"small prev len":         {0x13, 0, 0, 0, 0x0E, 0, 0, 0, 0x02, 0, 0x00, 0x02, 0x61, 0x00, 0x02, 0x02, 0x62, 0x00, 0xFF},
		"wrong count":            {0x13, 0, 0, 0, 0x0E, 0, 0, 0, 0x03, 0, 0x00, 0x02, 0x61, 0x00, 0x04, 0x02, 0x62, 0x00, 0xFF},
		"#7445":                  {0x1D, 0, 0, 0, 0x16, 0, 0, 0, 0x03, 0, 0x00, 0x04, 0x43, 0x43, 0x43, 0x43, 0x06, 0x04, 0x42, 0x42, 0x42, 0x42, 0x06, 0x3F, 0x41, 0x41, 0x41, 0x41, 0xFF},
		"#3080":                  {0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x02, 0x00, 0x00, 0x80, 0x41, 0x41, 0x41, 0x41},
	}
	for name, zl := range corrupt {
		if err := ValidateZiplist(zl); !errors.Is(err, ErrCorruptZiplist) {
			t.Errorf("%s: ValidateZiplist = %v, want ErrCorruptZiplist", name, err)
		}
		called := false
		if err := ZiplistEntries(zl, func([]byte, int64, bool) bool { called = true; return true }); err == nil || called {
			t.Errorf("%s: ZiplistEntries = %v, called=%v", name, err, called)
		}
		if lp, err := ZiplistToListpack(zl); err == nil || lp != nil {
			t.Errorf("%s: ZiplistToListpack = %v, %v", name, lp, err)
		}
	}
}

// Every integer encoding at both ends of its range, and the strings around
// each string-length encoding, round-trip through ZiplistEntries and convert
// to the listpack that appending the same values gives.
func TestZiplistEncodingBoundaries(t *testing.T) {
	ints := []int64{0, 12, 13, -1, 127, -128, 128, -129, 32767, -32768, 32768, -32769,
		1<<23 - 1, -(1 << 23), 1 << 23, -(1 << 23) - 1, math.MaxInt32, math.MinInt32,
		math.MaxInt32 + 1, math.MinInt32 - 1, math.MaxInt64, math.MinInt64}
	var elems []any
	var want []string
	for _, v := range ints {
		elems = append(elems, v)
		want = append(want, strconv.FormatInt(v, 10))
	}
	for _, n := range []int{0, 1, 63, 64, 252, 253, 254, 300, 4095, 4096, 16383, 16384, 70000} {
		s := strings.Repeat("x", n)
		elems = append(elems, s)
		want = append(want, s)
	}
	// Strings that look like numbers but are not canonical stay strings.
	for _, s := range []string{"007", "-0", "+1", " 1", "1.5", "99999999999999999999"} {
		elems = append(elems, s)
		want = append(want, s)
	}
	zl := zlBuild(elems...)
	if err := ValidateZiplist(zl); err != nil {
		t.Fatal(err)
	}
	got := zlCollect(t, zl)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("entries differ:\n got %q\nwant %q", got, want)
	}
	lp, err := ZiplistToListpack(zl)
	if err != nil {
		t.Fatal(err)
	}
	if err := ValidateListpack(lp, true); err != nil {
		t.Fatal(err)
	}
	ref := NewListpack()
	for _, s := range want {
		ref.Append([]byte(s))
	}
	if !bytes.Equal(lp, ref) {
		t.Fatalf("listpack differs from appending the same values")
	}
	if lp.Len() != len(want) {
		t.Fatalf("listpack has %d entries, want %d", lp.Len(), len(want))
	}
}

func TestZiplistIntegerEncodingsDecode(t *testing.T) {
	// Hand-written entries, one per integer encoding, decoded by ziplist.c's rules.
	cases := []struct {
		enc  []byte
		want int64
	}{
		{[]byte{0xF1}, 0},
		{[]byte{0xFD}, 12},
		{[]byte{0xFE, 0x80}, -128},
		{[]byte{0xC0, 0x00, 0x80}, -32768},
		{[]byte{0xF0, 0xFF, 0xFF, 0x7F}, 8388607},
		{[]byte{0xF0, 0x00, 0x00, 0x80}, -8388608},
		{[]byte{0xF0, 0xFF, 0xFF, 0xFF}, -1},
		{[]byte{0xD0, 0xFF, 0xFF, 0xFF, 0x7F}, math.MaxInt32},
		{[]byte{0xE0, 0, 0, 0, 0, 0, 0, 0, 0x80}, math.MinInt64},
	}
	for _, c := range cases {
		zl := make([]byte, zlHdrSize)
		zl = append(zl, 0)
		zl = append(zl, c.enc...)
		zl = append(zl, zlEnd)
		binary.LittleEndian.PutUint32(zl, uint32(len(zl)))
		binary.LittleEndian.PutUint32(zl[4:], zlHdrSize)
		binary.LittleEndian.PutUint16(zl[8:], 1)
		var got int64
		var gotInt bool
		if err := ZiplistEntries(zl, func(_ []byte, v int64, isInt bool) bool { got, gotInt = v, isInt; return true }); err != nil {
			t.Fatalf("% x: %v", c.enc, err)
		}
		if !gotInt || got != c.want {
			t.Errorf("% x: got %d (int=%v), want %d", c.enc, got, gotInt, c.want)
		}
	}
	// Strings of the 32-bit form ignore the low 6 bits of their first byte.
	zl := zlBuild(strings.Repeat("y", 20000))
	zl[zlHdrSize+1] |= 0x3F
	if got := zlCollect(t, zl); len(got) != 1 || got[0] != strings.Repeat("y", 20000) {
		t.Fatalf("32-bit string with junk bits not read")
	}
}

func TestZiplistBigPrevlenAndCorruptions(t *testing.T) {
	long := strings.Repeat("z", 300)
	zl := zlBuild(long, "a", long, 7)
	if zl[zlHdrSize+3+300] != zlBigPrevlen {
		t.Fatalf("expected a 5-byte prevlen after a 300-byte string")
	}
	if got := zlCollect(t, zl); strings.Join(got, ",") != long+",a,"+long+",7" {
		t.Fatalf("entries = %q", got)
	}
	mutate := func(name string, f func(b []byte) []byte) {
		t.Helper()
		b := f(bytes.Clone(zl))
		if err := ValidateZiplist(b); !errors.Is(err, ErrCorruptZiplist) {
			t.Errorf("%s: ValidateZiplist = %v", name, err)
		}
	}
	mutate("short", func(b []byte) []byte { return b[:9] })
	mutate("no terminator", func(b []byte) []byte { b[len(b)-1] = 0; return b })
	mutate("zlbytes", func(b []byte) []byte { b[0]++; return b })
	mutate("tail past end", func(b []byte) []byte { binary.LittleEndian.PutUint32(b[4:], uint32(len(b))); return b })
	mutate("tail not last", func(b []byte) []byte { binary.LittleEndian.PutUint32(b[4:], zlHdrSize); return b })
	mutate("count", func(b []byte) []byte { b[8] = 3; return b })
	mutate("first prevlen", func(b []byte) []byte { b[zlHdrSize] = 1; return b })
	mutate("big prevlen value", func(b []byte) []byte { b[zlHdrSize+3+300+1]++; return b })
	mutate("bad encoding", func(b []byte) []byte { b[zlHdrSize+3+300+5] = 0xC1; return b })
	mutate("string too long", func(b []byte) []byte { b[zlHdrSize+2] = 0xFF; return b })
	mutate("truncated", func(b []byte) []byte {
		b = append(b[:len(b)-5], zlEnd)
		binary.LittleEndian.PutUint32(b, uint32(len(b)))
		return b
	})
	mutate("terminator early", func(b []byte) []byte {
		b = append(b[:len(b)-1], 0, zlEnd)
		binary.LittleEndian.PutUint32(b, uint32(len(b)))
		return b
	})
	// A 65535 count means "count them": accepted whatever the real count.
	b := bytes.Clone(zl)
	binary.LittleEndian.PutUint16(b[8:], zlLenUnknown)
	if err := ValidateZiplist(b); err != nil {
		t.Errorf("unknown count: %v", err)
	}
}

func TestZiplistEntriesStopsEarly(t *testing.T) {
	zl := zlBuild("a", "b", "c")
	n := 0
	if err := ZiplistEntries(zl, func([]byte, int64, bool) bool { n++; return n < 2 }); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Fatalf("fn called %d times, want 2", n)
	}
}

func TestZiplistManyEntries(t *testing.T) {
	// More than 65534 entries: the header count saturates at 65535.
	elems := make([]any, 70000)
	for i := range elems {
		elems[i] = i % 300
	}
	zl := zlBuild(elems...)
	if binary.LittleEndian.Uint16(zl[8:]) != zlLenUnknown {
		t.Fatal("builder did not saturate the count")
	}
	lp, err := ZiplistToListpack(zl)
	if err != nil {
		t.Fatal(err)
	}
	if lp.Len() != 70000 {
		t.Fatalf("listpack has %d entries", lp.Len())
	}
}

func FuzzZiplist(f *testing.F) {
	f.Add(zlBuild("2", "5", "Hello World"))
	f.Add(zlBuild(strings.Repeat("z", 300), -1, int64(math.MinInt64), 1<<23, "x"))
	f.Add(zlBuild())
	f.Add([]byte{0x1B, 0, 0, 0, 0x16, 0, 0, 0, 0x04, 0, 0x00, 0x02, 0x61, 0x00, 0x04, 0x02, 0x62, 0x00, 0x04, 0x14, 0x63, 0x00, 0x04, 0x02, 0x64, 0x00, 0xFF})
	f.Fuzz(func(t *testing.T, b []byte) {
		verr := ValidateZiplist(b)
		if verr != nil && !errors.Is(verr, ErrCorruptZiplist) {
			t.Fatalf("error does not wrap ErrCorruptZiplist: %v", verr)
		}
		n := 0
		eerr := ZiplistEntries(b, func([]byte, int64, bool) bool { n++; return true })
		if (eerr == nil) != (verr == nil) {
			t.Fatalf("Validate %v but Entries %v", verr, eerr)
		}
		lp, cerr := ZiplistToListpack(b)
		if (cerr == nil) != (verr == nil) {
			t.Fatalf("Validate %v but ToListpack %v", verr, cerr)
		}
		if cerr != nil {
			return
		}
		if err := ValidateListpack(lp, true); err != nil {
			t.Fatalf("converted listpack invalid: %v", err)
		}
		if lp.Len() != n {
			t.Fatalf("listpack has %d entries, ziplist %d", lp.Len(), n)
		}
		if cap(lp) > 2*len(b)+64 {
			t.Fatalf("listpack capacity %d for a %d-byte ziplist", cap(lp), len(b))
		}
	})
}

// rdbV4 frames keys as an RDB version 4 file (before checksums), so that
// redis-server can load ziplists and zipmaps built here: each key is
// {type byte, key, blob}.
func rdbV4(keys ...[3]string) []byte {
	str := func(b []byte, s string) []byte {
		n := len(s)
		switch {
		case n < 64:
			b = append(b, byte(n))
		case n < 1<<14:
			b = append(b, 0x40|byte(n>>8), byte(n))
		default:
			b = binary.BigEndian.AppendUint32(append(b, 0x80), uint32(n))
		}
		return append(b, s...)
	}
	b := append([]byte("REDIS0004"), 0xFE, 0)
	for _, k := range keys {
		b = append(b, k[0][0])
		b = str(b, k[1])
		b = str(b, k[2])
	}
	return append(b, 0xFF)
}

// The ziplists and zipmaps these tests build by hand are ones redis-server
// 7.0.15 itself loads, to the values our decoders read from them.
func TestZiplistZipmapLoadInRedis(t *testing.T) {
	for _, bin := range []string{"redis-server", "redis-cli"} {
		if _, err := exec.LookPath(bin); err != nil {
			t.Skipf("%s not installed", bin)
		}
	}
	var elems []any
	var want []string
	for _, v := range []int64{0, 12, 13, -1, 127, -128, 128, -129, 32767, -32768, 32768, -32769,
		1<<23 - 1, -(1 << 23), 1 << 23, -(1 << 23) - 1, math.MaxInt32, math.MinInt32,
		math.MaxInt32 + 1, math.MinInt32 - 1, math.MaxInt64, math.MinInt64} {
		elems = append(elems, v)
		want = append(want, strconv.FormatInt(v, 10))
	}
	for _, n := range []int{0, 1, 63, 64, 253, 254, 300, 16383, 16384, 70000} {
		elems = append(elems, strings.Repeat("s", n))
		want = append(want, strings.Repeat("s", n))
	}
	zl := zlBuild(elems...)
	if got := zlCollect(t, zl); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatal("decoder disagrees with the builder")
	}
	long := strings.Repeat("k", 300)
	zm := zmBuild(2, "foo", "bar", long, "v", "n", "123", "e", "")
	dir := t.TempDir()
	file := rdbV4([3]string{"\x0a", "zl", string(zl)}, [3]string{"\x09", "zm", string(zm)})
	if err := os.WriteFile(filepath.Join(dir, "v4.rdb"), file, 0o644); err != nil {
		t.Fatal(err)
	}
	port := ""
	for p := 18400 + os.Getpid()%500; p < 19400; p++ {
		out, _ := exec.Command("redis-cli", "-p", strconv.Itoa(p), "ping").CombinedOutput()
		if strings.Contains(string(out), "Could not connect") {
			port = strconv.Itoa(p)
			break
		}
	}
	srv := exec.Command("redis-server", "--port", port, "--save", "", "--appendonly", "no",
		"--dir", dir, "--dbfilename", "v4.rdb")
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = srv.Process.Kill(); _ = srv.Wait() }()
	cli := func(args ...string) string {
		for i := 0; ; i++ {
			out, err := exec.Command("redis-cli", append([]string{"-p", port, "--no-raw"}, args...)...).CombinedOutput()
			s := string(out)
			if err == nil && !strings.Contains(s, "Could not connect") && !strings.Contains(s, "LOADING") {
				return s
			}
			if i == 100 {
				t.Fatalf("redis-cli %v: %v %s", args, err, out)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	var exp strings.Builder
	for i, s := range want {
		fmt.Fprintf(&exp, "%d) %q\n", i+1, s)
	}
	got := cli("lrange", "zl", "0", "-1")
	// redis-cli pads the index to the widest one.
	got = strings.Join(strings.Fields(strings.ReplaceAll(got, "\n", " \n ")), " ")
	if w := strings.Join(strings.Fields(strings.ReplaceAll(exp.String(), "\n", " \n ")), " "); got != w {
		t.Fatalf("LRANGE zl differs from the decoded entries")
	}
	lp, err := ZipmapToListpack(zm)
	if err != nil {
		t.Fatal(err)
	}
	pairs := lpStrings(lp)
	for i := 0; i < len(pairs); i += 2 {
		if got, w := cli("hget", "zm", pairs[i]), strconv.Quote(pairs[i+1])+"\n"; got != w {
			t.Fatalf("HGET zm %.10q = %q, decoded %q", pairs[i], got, w)
		}
	}
	if got := cli("hlen", "zm"); got != "(integer) 4\n" {
		t.Fatalf("HLEN zm = %q", got)
	}
}
