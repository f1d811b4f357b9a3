package datatypes

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"
)

// zmBuild writes a zipmap as zipmapSet lays it out, with free bytes of
// padding after each value (filled with junk that must be skipped).
func zmBuild(free int, pairs ...string) []byte {
	n := len(pairs) / 2
	if n >= zmBigLen {
		n = zmBigLen
	}
	b := []byte{byte(n)}
	putLen := func(l int) {
		if l < zmBigLen {
			b = append(b, byte(l))
		} else {
			b = binary.LittleEndian.AppendUint32(append(b, zmBigLen), uint32(l))
		}
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		putLen(len(pairs[i]))
		b = append(b, pairs[i]...)
		putLen(len(pairs[i+1]))
		b = append(b, byte(free))
		b = append(b, pairs[i+1]...)
		b = append(b, bytes.Repeat([]byte{0xFF}, free)...)
	}
	return append(b, zmEnd)
}

func TestZipmapHeaderExample(t *testing.T) {
	// The example in zipmap.c's header comment.
	zm := []byte("\x02\x03foo\x03\x00bar\x05hello\x05\x00world\xff")
	if !bytes.Equal(zm, zmBuild(0, "foo", "bar", "hello", "world")) {
		t.Fatalf("zmBuild disagrees with zipmap.c's example")
	}
	if err := ValidateZipmap(zm); err != nil {
		t.Fatal(err)
	}
	lp, err := ZipmapToListpack(zm)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(lpStrings(lp), ","); got != "foo,bar,hello,world" {
		t.Fatalf("listpack = %q", got)
	}
}

func TestZipmapLongStringsAndFree(t *testing.T) {
	long := strings.Repeat("k", 300)
	zm := zmBuild(3, long, "v", "f", long, "n", "123", "", "")
	if err := ValidateZipmap(zm); err != nil {
		t.Fatal(err)
	}
	lp, err := ZipmapToListpack(zm)
	if err != nil {
		t.Fatal(err)
	}
	if err := ValidateListpack(lp, true); err != nil {
		t.Fatal(err)
	}
	want := []string{long, "v", "f", long, "n", "123", "", ""}
	if got := lpStrings(lp); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("listpack = %q", got)
	}
	// "123" became an integer entry, as lpAppend makes it.
	p := lp.Seek(5)
	if _, v, isInt := lp.Get(p); !isInt || v != 123 {
		t.Fatalf("\"123\" not stored as an integer")
	}
}

func TestZipmapCountHeader(t *testing.T) {
	// 254 means "count them"; any other mismatch is corrupt.
	pairs := make([]string, 0, 600)
	for i := 0; i < 300; i++ {
		pairs = append(pairs, "f"+strings.Repeat("x", i), "v")
	}
	zm := zmBuild(0, pairs...)
	if zm[0] != zmBigLen {
		t.Fatal("builder did not write 254")
	}
	lp, err := ZipmapToListpack(zm)
	if err != nil {
		t.Fatal(err)
	}
	if lp.Len() != 600 {
		t.Fatalf("listpack has %d entries", lp.Len())
	}
	small := zmBuild(0, "a", "1", "b", "2")
	small[0] = 3
	if err := ValidateZipmap(small); !errors.Is(err, ErrCorruptZipmap) {
		t.Fatalf("wrong count accepted: %v", err)
	}
}

func TestZipmapCorrupt(t *testing.T) {
	good := zmBuild(1, "field", "value", strings.Repeat("L", 260), "x")
	if err := ValidateZipmap(good); err != nil {
		t.Fatal(err)
	}
	cases := map[string][]byte{
		"empty slice":      {},
		"one byte":         {0xFF},
		"no pairs":         {0x00, 0xFF},
		"no terminator":    good[:len(good)-1],
		"field too long":   append([]byte{1, 9, 'a'}, 1, 0, 'b', 0xFF),
		"value too long":   []byte("\x01\x01a\x09\x00b\xff"),
		"free too long":    []byte("\x01\x01a\x01\x09b\xff"),
		"big len cut":      []byte("\x01\xfe\x01\x00\xff"),
		"big len huge":     []byte("\x01\xfe\xff\xff\xff\xff\x01\x00b\xff"),
		"value len at end": []byte("\x01\x01a\xff"),
		"duplicate field":  zmBuild(0, "a", "1", "a", "2"),
	}
	for name, zm := range cases {
		_, err := ZipmapToListpack(zm)
		if !errors.Is(err, ErrCorruptZipmap) {
			t.Errorf("%s: ZipmapToListpack = %v", name, err)
		}
		if name != "duplicate field" {
			if err := ValidateZipmap(zm); !errors.Is(err, ErrCorruptZipmap) {
				t.Errorf("%s: ValidateZipmap = %v", name, err)
			}
		}
	}
}

func FuzzZipmap(f *testing.F) {
	f.Add([]byte("\x02\x03foo\x03\x00bar\x05hello\x05\x00world\xff"))
	f.Add(zmBuild(2, strings.Repeat("k", 300), "v", "a", ""))
	f.Add([]byte("\x01\xfe\xff\xff\xff\xff\x01\x00b\xff"))
	f.Fuzz(func(t *testing.T, b []byte) {
		verr := ValidateZipmap(b)
		if verr != nil && !errors.Is(verr, ErrCorruptZipmap) {
			t.Fatalf("error does not wrap ErrCorruptZipmap: %v", verr)
		}
		lp, err := ZipmapToListpack(b)
		if verr != nil && err == nil {
			t.Fatalf("Validate %v but ToListpack succeeded", verr)
		}
		if err != nil {
			return
		}
		if err := ValidateListpack(lp, true); err != nil {
			t.Fatalf("converted listpack invalid: %v", err)
		}
		if lp.Len()%2 != 0 || lp.Len() == 0 {
			t.Fatalf("listpack has %d entries", lp.Len())
		}
		if cap(lp) > 2*len(b)+64 {
			t.Fatalf("listpack capacity %d for a %d-byte zipmap", cap(lp), len(b))
		}
	})
}
