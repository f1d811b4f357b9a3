package datatypes

import (
	"bytes"
	"strings"
	"testing"
	"unsafe"
)

// The object header is a per-key cost under maxmemory: keep it at three
// words (Redis's robj is two).
func TestObjectSize(t *testing.T) {
	if got := unsafe.Sizeof(Object{}); got != 24 {
		t.Fatalf("unsafe.Sizeof(Object{}) = %d, want 24", got)
	}
}

func TestObjectStrings(t *testing.T) {
	for _, tc := range []struct {
		in  string
		enc Encoding
	}{
		{"", EncEmbstr}, {"0", EncInt}, {"-1", EncInt}, {"-9223372036854775808", EncInt},
		{"9223372036854775807", EncInt}, {"9223372036854775808", EncEmbstr}, {"012", EncEmbstr},
		{"hello", EncEmbstr}, {string(make([]byte, 44)), EncEmbstr}, {string(make([]byte, 45)), EncRaw},
	} {
		o := NewString([]byte(tc.in))
		if o.Enc != tc.enc {
			t.Errorf("%q: encoding %s, want %s", tc.in, o.Enc.Name(), tc.enc.Name())
		}
		if got := string(o.StringBytes()); got != tc.in {
			t.Errorf("%q: StringBytes %q", tc.in, got)
		}
		if o.StringLen() != len(tc.in) {
			t.Errorf("%q: StringLen %d", tc.in, o.StringLen())
		}
		if tc.enc == EncInt && o.Str() != nil {
			t.Errorf("%q: int-encoded Str() = %q, want nil", tc.in, o.Str())
		}
		d := o.Dup()
		if d.Enc != o.Enc || string(d.StringBytes()) != tc.in {
			t.Errorf("%q: Dup gave %s %q", tc.in, d.Enc.Name(), d.StringBytes())
		}
		if b := o.Unshare(); string(b) != tc.in || o.Enc != EncRaw || string(o.Str()) != tc.in {
			t.Errorf("%q: Unshare gave %q, object %s %q", tc.in, b, o.Enc.Name(), o.Str())
		}
	}
}

// SetStr keeps length and capacity, so APPEND can grow in place, and the
// bytes are the caller's (no copy).
func TestObjectSetStrKeepsCap(t *testing.T) {
	b := make([]byte, 3, 100)
	copy(b, "abc")
	o := NewRawString(b)
	got := o.Str()
	if len(got) != 3 || cap(got) != 100 || &got[0] != &b[0] {
		t.Fatalf("Str() len %d cap %d, same array %v", len(got), cap(got), &got[0] == &b[0])
	}
	o.SetRaw(append(got, "def"...))
	if string(o.Str()) != "abcdef" || &o.Str()[0] != &b[0] || o.StringLen() != 6 {
		t.Fatalf("after append: %q", o.Str())
	}
}

// A string whose capacity does not fit 32 bits is boxed; lowering the
// threshold exercises that form without allocating 4GB.
func TestObjectBoxedString(t *testing.T) {
	defer func(c uint64) { boxAtCap = c }(boxAtCap)
	boxAtCap = 8
	big := make([]byte, 9, 12)
	copy(big, "123456789")
	o := NewRawString(big)
	if o.n != boxedString {
		t.Fatalf("cap 12 not boxed at threshold 8")
	}
	got := o.Str()
	if string(got) != "123456789" || cap(got) != 12 || &got[0] != &big[0] || o.StringLen() != 9 {
		t.Fatalf("boxed Str() %q cap %d, StringLen %d", got, cap(got), o.StringLen())
	}
	if d := o.Dup(); string(d.Str()) != "123456789" {
		t.Fatalf("Dup of boxed %q", d.Str())
	}
	small := []byte("xyz")
	o.SetStr(small) // back to the inline form
	if o.n == boxedString || !bytes.Equal(o.Str(), small) || o.StringLen() != 3 {
		t.Fatalf("after SetStr: %q", o.Str())
	}
	o.SetInt(-1) // the same bits as boxedString, read as an int
	if o.Int() != -1 || o.Str() != nil || o.StringLen() != 2 {
		t.Fatalf("SetInt(-1) after boxing: %d %q", o.Int(), o.Str())
	}
}

func TestObjectInt(t *testing.T) {
	for _, v := range []int64{0, -1, 1 << 40, -1 << 63, 1<<63 - 1} {
		o := NewInt(v)
		if o.Int() != v || o.Val() != any(v) || o.Str() != nil {
			t.Errorf("%d: Int %d Val %v", v, o.Int(), o.Val())
		}
	}
	o := NewString([]byte("abc"))
	o.SetInt(-1) // the boxed-string marker is also int64 -1
	if o.Enc != EncInt || o.Int() != -1 || o.Str() != nil || string(o.StringBytes()) != "-1" {
		t.Fatalf("SetInt(-1): %s %d %q", o.Enc.Name(), o.Int(), o.StringBytes())
	}
}

func TestObjectCollections(t *testing.T) {
	is := Intset{}
	lp := NewListpack()
	objs := []struct {
		o    *Object
		want any
		get  func(*Object) any
	}{
		{NewObject(TypeList, EncQuicklist, NewQuicklist(-2, 0)), nil, func(o *Object) any { return o.Quicklist() }},
		{NewObject(TypeSet, EncIntset, &is), &is, func(o *Object) any { return o.Intset() }},
		{NewObject(TypeSet, EncHT, NewDict[struct{}](1)), nil, func(o *Object) any { return o.SetDict() }},
		{NewObject(TypeHash, EncHT, NewDict[string](1)), nil, func(o *Object) any { return o.HashDict() }},
		{NewObject(TypeZSet, EncSkiplist, NewZSet(1, nil)), nil, func(o *Object) any { return o.ZSet() }},
	}
	// A listpack is stored inline (no *Listpack): Listpack and Val give
	// its bytes, and an edit is kept once SetListpack stores it back.
	lp.Append([]byte("field"))
	o := NewObject(TypeHash, EncListpack, &lp)
	if got := o.Listpack(); !bytes.Equal(got, lp) {
		t.Errorf("Listpack() = %q, want %q", got, lp)
	}
	if v, ok := o.Val().(*Listpack); !ok || !bytes.Equal(*v, lp) {
		t.Errorf("Val() = %v, want a *Listpack of %q", o.Val(), lp)
	}
	edit := o.Listpack()
	edit.Append([]byte("value"))
	if o.Listpack().Len() != 1 {
		t.Errorf("an edit not stored back changed the object")
	}
	o.SetListpack(edit)
	if o.Listpack().Len() != 2 {
		t.Errorf("SetListpack did not store the edit: %d entries", o.Listpack().Len())
	}
	for _, tc := range objs {
		v, got := tc.o.Val(), tc.get(tc.o)
		if v != got {
			t.Errorf("%s/%s: Val() %T %p, typed getter %T %p", tc.o.Type.Name(), tc.o.Enc.Name(), v, v, got, got)
		}
		if tc.want != nil && v != tc.want {
			t.Errorf("%s/%s: Val() %p, want %p", tc.o.Type.Name(), tc.o.Enc.Name(), v, tc.want)
		}
		if d := tc.o.Dup(); d == nil || d.Val() == v {
			t.Errorf("%s/%s: Dup shares or lost the collection", tc.o.Type.Name(), tc.o.Enc.Name())
		}
	}
	if v := (&Object{Type: TypeList}).Val(); v != nil {
		t.Errorf("empty object Val() = %v, want nil", v)
	}
}

func TestObjectWrongAccessorPanics(t *testing.T) {
	o := NewObject(TypeHash, EncHT, NewDict[string](1))
	for name, f := range map[string]func(){
		"SetDict":   func() { o.SetDict() },
		"Quicklist": func() { o.Quicklist() },
		"Listpack":  func() { o.Listpack() },
		"SetVal":    func() { o.SetVal("a string") },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s on a hashtable hash did not panic", name)
				}
			}()
			f()
		}()
	}
}

// TestOverwriteString: a string is overwritten in place exactly when
// NewString would make an object of the same shape, and the result is
// then indistinguishable from NewString's.
func TestOverwriteString(t *testing.T) {
	long := strings.Repeat("x", EmbstrMax+1)
	cases := []struct {
		old, val string
		inPlace  bool
	}{
		{"12", "-7", true},               // int -> int
		{"12", "abc", false},             // int -> embstr
		{"abc", "12", false},             // embstr -> int
		{"abcdefgh", "xy", true},         // both in the 8-byte embstr
		{"abcdefgh", "abcdefghi", false}, // 8 -> 24 bytes
		{"value-1", "", true},
		{strings.Repeat("a", 41), strings.Repeat("b", EmbstrMax), true},
		{long, "short", false}, // raw
		{"short", long, false},
		{"01", "02", true},     // not canonical integers: embstr
		{"", "abcdefg", false}, // an empty embstr may hold no pointer
	}
	for _, tc := range cases {
		o := NewString([]byte(tc.old))
		want := NewString([]byte(tc.val))
		got := o.CanOverwriteString([]byte(tc.val))
		if got != tc.inPlace {
			t.Errorf("%q over %q: in place %v, want %v", tc.val, tc.old, got, tc.inPlace)
			continue
		}
		if got {
			o.overwriteString([]byte(tc.val))
		}
		if !tc.inPlace {
			if string(o.StringBytes()) != tc.old {
				t.Errorf("%q over %q refused but changed the object to %q", tc.val, tc.old, o.StringBytes())
			}
			continue
		}
		if o.Enc != want.Enc || string(o.StringBytes()) != tc.val || cap(o.Str()) != cap(want.Str()) {
			t.Errorf("%q over %q: enc %v %q cap %d, NewString gives enc %v cap %d",
				tc.val, tc.old, o.Enc, o.StringBytes(), cap(o.Str()), want.Enc, cap(want.Str()))
		}
	}
	// Every embstr maker keeps newEmbstr's layout (slice capped at its
	// length), which OverwriteString trusts for the allocation's size: a
	// COPY'd or INCRBYFLOAT-made embstr with a larger cap let a longer
	// value of the same size class write past its allocation.
	for name, o := range map[string]*Object{
		"Dup":            NewString([]byte("abcdefghijklmnopqrstuvwxyz")).Dup(),
		"NewPlainString": NewPlainString(append(make([]byte, 0, 64), "3.5"...)),
	} {
		if o.Enc != EncEmbstr || cap(o.Str()) != len(o.Str()) {
			t.Errorf("%s: enc %v len %d cap %d, want an embstr capped at its length", name, o.Enc, len(o.Str()), cap(o.Str()))
		}
	}
	if NewObject(TypeList, EncQuicklist, NewQuicklist(-2, 0)).CanOverwriteString([]byte("x")) {
		t.Error("a list can be overwritten as a string")
	}
}
