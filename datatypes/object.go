// Object is a value in the keyspace: a type, an encoding and the payload,
// plus the 24-bit LRU clock (or LFU data) Redis keeps per object.
//
// Type and Encoding numbers are Redis's OBJ_* and OBJ_ENCODING_* constants so
// that RDB and OBJECT ENCODING map one to one.
//
// Strings follow Redis's tryObjectEncoding (object.c):
//
//	int     the bytes are a canonical int64 of at most 20 chars: Int()
//	embstr  at most 44 bytes, created by a write that replaces the value: Str()
//	raw     longer, or modified in place (APPEND, SETRANGE, SETBIT): Str()
//
// The int encoding must give back exactly the bytes it was given, so only
// canonical forms ("12", not "012" or "+12") are stored as integers.
package datatypes

import (
	"fmt"
	"strconv"
	"unsafe"
)

// ObjType is Redis's OBJ_* type number.
type ObjType uint8

// Redis object types.
const (
	TypeString ObjType = 0
	TypeList   ObjType = 1
	TypeSet    ObjType = 2
	TypeZSet   ObjType = 3
	TypeHash   ObjType = 4
	TypeStream ObjType = 6
)

// Name is what TYPE replies.
func (t ObjType) Name() string {
	switch t {
	case TypeString:
		return "string"
	case TypeList:
		return "list"
	case TypeSet:
		return "set"
	case TypeZSet:
		return "zset"
	case TypeHash:
		return "hash"
	case TypeStream:
		return "stream"
	}
	return "none"
}

// Encoding is Redis's OBJ_ENCODING_* number.
type Encoding uint8

// Redis object encodings.
const (
	EncRaw       Encoding = 0
	EncInt       Encoding = 1
	EncHT        Encoding = 2
	EncIntset    Encoding = 6
	EncSkiplist  Encoding = 7
	EncEmbstr    Encoding = 8
	EncQuicklist Encoding = 9
	EncStream    Encoding = 10
	EncListpack  Encoding = 11
)

// Name is what OBJECT ENCODING replies.
func (e Encoding) Name() string {
	switch e {
	case EncRaw:
		return "raw"
	case EncInt:
		return "int"
	case EncHT:
		return "hashtable"
	case EncIntset:
		return "intset"
	case EncSkiplist:
		return "skiplist"
	case EncEmbstr:
		return "embstr"
	case EncQuicklist:
		return "quicklist"
	case EncStream:
		return "stream"
	case EncListpack:
		return "listpack"
	}
	return "unknown"
}

// EmbstrMax is OBJ_ENCODING_EMBSTR_SIZE_LIMIT.
const EmbstrMax = 44

// Object is one keyspace value, 24 bytes like three machine words: Redis's
// robj is 16, and with millions of small keys under maxmemory the header is
// a visible share of bytes per key (an interface and a slice header made
// it 48). The payload lives in two words whose meaning depends on Type and
// Enc:
//
//	string int        p nil, n the int64
//	string embstr/raw p the first byte of the bytes, n len | cap<<32;
//	                  a string whose cap does not fit 32 bits is boxed:
//	                  p is a *[]byte and n is boxedString
//	list quicklist    p *Quicklist
//	set intset        p *Intset
//	set hashtable     p *Dict[struct{}]
//	zset listpack     p *Listpack
//	zset skiplist     p *ZSet
//	hash listpack     p *Listpack
//	hash hashtable    p *Dict[string]
//	stream            p *Stream
//
// p is an unsafe.Pointer, which the garbage collector traces like any
// pointer, so it keeps the bytes or the collection alive. Str, Int, Val and
// the typed getters read the payload; SetStr, SetInt and SetVal write it.
type Object struct {
	Type ObjType
	Enc  Encoding
	LRU  uint32 // LRU clock (seconds, 24 bits) or LFU: 16-bit minutes << 8 | 8-bit counter
	p    unsafe.Pointer
	n    uint64
}

// boxedString in n marks a string too big for len | cap<<32 (4GB and up;
// proto-max-bulk-len may be raised that far): p is then a *[]byte.
const boxedString = ^uint64(0)

// boxAtCap is the capacity from which SetStr boxes a string: the largest
// that len | cap<<32 cannot hold without colliding with boxedString. A
// variable so that tests can exercise the boxed form without 4GB.
var boxAtCap uint64 = 1<<32 - 1

// NewObject makes a collection object: v is the collection the table on
// Object gives for t and enc, e.g. a *Quicklist for a list.
func NewObject(t ObjType, enc Encoding, v any) *Object {
	o := &Object{Type: t, Enc: enc}
	o.SetVal(v)
	return o
}

// NewString makes a string object from b (copied) with the encoding
// Redis's tryObjectEncoding would choose.
func NewString(b []byte) *Object {
	if len(b) <= 20 {
		if n, ok := ParseInt(b); ok {
			return NewInt(n)
		}
	}
	if len(b) <= EmbstrMax {
		return newEmbstr(b)
	}
	o := &Object{Type: TypeString, Enc: EncRaw}
	o.SetStr(append([]byte(nil), b...))
	return o
}

// Embedded strings: as Redis's embstr puts the bytes in the robj's own
// allocation, a short string is one allocation of an Object followed by
// its bytes, sized to the Go size classes of 32, 48, 64 and 80 bytes (half
// the allocations of SET and MSET, and half the objects the collector
// tracks). p points into the same allocation, which keeps it alive.
type (
	embstr8 struct {
		o Object
		b [8]byte
	}
	embstr24 struct {
		o Object
		b [24]byte
	}
	embstr40 struct {
		o Object
		b [40]byte
	}
	embstr56 struct {
		o Object
		b [56]byte
	}
)

// embstrCap is the byte capacity of the embstr newEmbstr makes for n bytes.
func embstrCap(n int) int {
	switch {
	case n <= 8:
		return 8
	case n <= 24:
		return 24
	case n <= 40:
		return 40
	}
	return 56
}

// newEmbstr is the only maker of EncEmbstr objects, and overwriteString
// relies on what it guarantees: the slice is capped at its length, and the
// allocation behind it holds embstrCap(len) bytes.
func newEmbstr(b []byte) *Object {
	var o *Object
	var buf []byte
	switch embstrCap(len(b)) {
	case 8:
		e := &embstr8{}
		o, buf = &e.o, e.b[:]
	case 24:
		e := &embstr24{}
		o, buf = &e.o, e.b[:]
	case 40:
		e := &embstr40{}
		o, buf = &e.o, e.b[:]
	default:
		e := &embstr56{}
		o, buf = &e.o, e.b[:]
	}
	o.Type, o.Enc = TypeString, EncEmbstr
	o.SetStr(buf[:copy(buf, b):len(b)])
	return o
}

// CanOverwriteString reports whether o can take b in place: o
// is a string whose allocation NewString(b) would make the same (an int
// for an integer b, an embstr of the same size for a short one).
func (o *Object) CanOverwriteString(b []byte) bool {
	if o.Type != TypeString {
		return false
	}
	if len(b) <= 20 {
		if _, ok := ParseInt(b); ok {
			return o.Enc == EncInt
		}
	}
	// An embstr's slice is capped at its length (see newEmbstr), which
	// gives the size of its allocation. An empty one may hold no pointer.
	if o.Enc != EncEmbstr || len(b) > EmbstrMax {
		return false
	}
	old := o.bytes()
	return len(old) > 0 && embstrCap(len(b)) == embstrCap(cap(old))
}

// overwriteString makes o, in place, the string NewString(b) would make;
// CanOverwriteString(b) must hold. SET and MSET on a key that holds a
// short string then allocate nothing (at -P 16 the collector otherwise
// ran some 20 times a second under MSET). The caller must own o:
// keyspace values are never shared (COPY duplicates), and replies copy
// the bytes they send. DB.OverwriteString is the way in.
func (o *Object) overwriteString(b []byte) {
	if o.Enc == EncInt {
		n, _ := ParseInt(b)
		o.n = uint64(n)
		return
	}
	buf := unsafe.Slice((*byte)(o.p), embstrCap(cap(o.bytes())))
	o.setBytes(buf[:copy(buf, b):len(b)])
}

// NewRawString makes a raw-encoded string that owns b (not copied), as
// Redis creates for values built in place (SETRANGE on a new key).
func NewRawString(b []byte) *Object {
	o := &Object{Type: TypeString, Enc: EncRaw}
	o.SetStr(b)
	return o
}

// NewInt makes an int-encoded string object.
func NewInt(n int64) *Object {
	return &Object{Type: TypeString, Enc: EncInt, n: uint64(n)}
}

// Str returns the bytes of an embstr or raw string (nil for an int-encoded
// one or a non-string), with the length and capacity SetStr was given.
func (o *Object) Str() []byte {
	if o.Type != TypeString || o.Enc == EncInt {
		return nil
	}
	return o.bytes()
}

// SetStr stores b as the bytes of an embstr or raw string, keeping the
// encoding; the object owns b afterwards.
func (o *Object) SetStr(b []byte) { o.setBytes(b) }

// bytes and setBytes hold a byte slice in p and n (the payload of strings
// and of listpacks, which are stored inline: a *Listpack would cost a
// 24-byte slice header per hash or zset).
func (o *Object) bytes() []byte {
	if o.n == boxedString {
		return *(*[]byte)(o.p)
	}
	return unsafe.Slice((*byte)(o.p), o.n>>32)[:uint32(o.n)]
}

func (o *Object) setBytes(b []byte) {
	if uint64(cap(b)) >= boxAtCap {
		box := new([]byte) // not &b, which would move every b to the heap
		*box = b
		o.p, o.n = unsafe.Pointer(box), boxedString
		return
	}
	o.p, o.n = unsafe.Pointer(unsafe.SliceData(b)), uint64(len(b))|uint64(cap(b))<<32
}

// Int returns the value of an int-encoded string.
func (o *Object) Int() int64 { return int64(o.n) }

// SetInt makes o an int-encoded string holding v.
func (o *Object) SetInt(v int64) { o.Enc, o.p, o.n = EncInt, nil, uint64(v) }

// Val returns the payload as an interface: the int64 of an int-encoded
// string, the []byte of another string, or the collection pointer (typed
// by the table on Object). An object with no payload gives nil.
func (o *Object) Val() any {
	if o.Type == TypeString {
		if o.Enc == EncInt {
			return o.Int()
		}
		return o.Str()
	}
	if o.p == nil {
		return nil
	}
	switch o.Enc {
	case EncQuicklist:
		return (*Quicklist)(o.p)
	case EncIntset:
		return (*Intset)(o.p)
	case EncListpack: // a copy of the header: for reading (SetListpack stores)
		lp := o.Listpack()
		return &lp
	case EncSkiplist:
		return (*ZSet)(o.p)
	case EncStream:
		return (*Stream)(o.p)
	case EncHT:
		if o.Type == TypeSet {
			return (*Dict[struct{}])(o.p)
		}
		return (*Dict[string])(o.p)
	}
	panic("datatypes: object with unknown encoding " + strconv.Itoa(int(o.Enc)))
}

// SetVal stores the payload: an int64 or []byte for a string (as SetInt
// and SetStr), or a collection pointer of a type in the table on Object;
// the caller sets Enc to match. Any other type panics.
func (o *Object) SetVal(v any) {
	switch v := v.(type) {
	case int64:
		o.p, o.n = nil, uint64(v)
		return
	case []byte:
		o.SetStr(v)
		return
	case nil:
		o.p = nil
	case *Quicklist:
		o.p = unsafe.Pointer(v)
	case *Intset:
		o.p = unsafe.Pointer(v)
	case *Listpack:
		o.setBytes(*v)
		return
	case Listpack:
		o.setBytes(v)
		return
	case *ZSet:
		o.p = unsafe.Pointer(v)
	case *Stream:
		o.p = unsafe.Pointer(v)
	case *Dict[struct{}]:
		o.p = unsafe.Pointer(v)
	case *Dict[string]:
		o.p = unsafe.Pointer(v)
	default:
		panic(fmt.Sprintf("datatypes: SetVal of unsupported type %T", v))
	}
	o.n = 0
}

// The typed getters return the collection of an object whose encoding
// holds that type; on any other object they panic, as a failed type
// assertion would, instead of reinterpreting memory.

// Quicklist returns the quicklist of a list.
func (o *Object) Quicklist() *Quicklist {
	o.must(o.Enc == EncQuicklist)
	return (*Quicklist)(o.p)
}

// Listpack returns the listpack of a listpack-encoded hash or zset. It is
// a copy of the slice header: after an edit that may move or resize it
// (Insert, Append, Delete, ...), SetListpack stores it back.
func (o *Object) Listpack() Listpack {
	o.must(o.Enc == EncListpack)
	return o.bytes()
}

// SetListpack stores lp as the listpack of a listpack-encoded hash or zset.
func (o *Object) SetListpack(lp Listpack) {
	o.must(o.Enc == EncListpack)
	o.setBytes(lp)
}

// Intset returns the intset of an intset-encoded set.
func (o *Object) Intset() *Intset {
	o.must(o.Enc == EncIntset)
	return (*Intset)(o.p)
}

// SetDict returns the dict of a hashtable-encoded set.
func (o *Object) SetDict() *Dict[struct{}] {
	o.must(o.Enc == EncHT && o.Type == TypeSet)
	return (*Dict[struct{}])(o.p)
}

// HashDict returns the dict of a hashtable-encoded hash.
func (o *Object) HashDict() *Dict[string] {
	o.must(o.Enc == EncHT && o.Type == TypeHash)
	return (*Dict[string])(o.p)
}

// ZSet returns the skiplist+dict of a skiplist-encoded zset.
func (o *Object) ZSet() *ZSet {
	o.must(o.Enc == EncSkiplist)
	return (*ZSet)(o.p)
}

// Stream returns the stream of a stream object.
func (o *Object) Stream() *Stream {
	o.must(o.Enc == EncStream)
	return (*Stream)(o.p)
}

func (o *Object) must(ok bool) {
	if !ok {
		panic(fmt.Sprintf("datatypes: wrong accessor for a %s object encoded %s", o.Type.Name(), o.Enc.Name()))
	}
}

// AppendString appends the string value of o to dst.
func (o *Object) AppendString(dst []byte) []byte {
	if o.Enc == EncInt {
		return strconv.AppendInt(dst, o.Int(), 10)
	}
	return append(dst, o.Str()...)
}

// StringBytes returns the bytes of a string object. For the int encoding
// it formats into a new slice; otherwise it returns the stored slice, which
// the caller must not modify.
func (o *Object) StringBytes() []byte {
	if o.Enc == EncInt {
		return strconv.AppendInt(nil, o.Int(), 10)
	}
	return o.Str()
}

// StringLen is STRLEN.
func (o *Object) StringLen() int {
	if o.Enc == EncInt {
		var tmp [20]byte
		return len(strconv.AppendInt(tmp[:0], o.Int(), 10))
	}
	if o.n == boxedString {
		return len(*(*[]byte)(o.p))
	}
	return int(uint32(o.n))
}

// Unshare turns a string object into the raw encoding with a private
// buffer that may be modified in place, as dbUnshareStringValue does, and
// returns that buffer.
func (o *Object) Unshare() []byte {
	if o.Enc == EncRaw {
		return o.Str()
	}
	b := o.AppendString(nil)
	o.SetRaw(b)
	return b
}

// SetRaw stores b as the raw-encoded value of a string object.
func (o *Object) SetRaw(b []byte) {
	o.Enc = EncRaw
	o.SetStr(b)
}

// Dup returns a deep copy of o sharing no mutable memory with it, for COPY
// (Redis's dupStringObject, listTypeDup, setTypeDup, ...). The copy keeps
// the encoding; its LRU is left for the caller to stamp. Each type adds its
// case here; Dup returns nil for a type it cannot copy yet.
func (o *Object) Dup() *Object {
	d := &Object{Type: o.Type, Enc: o.Enc}
	switch {
	case o.Type == TypeString && o.Enc == EncInt:
		d.n = o.n
	case o.Type == TypeString && o.Enc == EncEmbstr:
		return newEmbstr(o.Str()) // see newEmbstr: its layout is relied on
	case o.Type == TypeString:
		d.SetStr(append([]byte(nil), o.Str()...))
	default:
		v, ok := o.Val().(Duper)
		if !ok {
			return nil
		}
		d.SetVal(v.Dup())
	}
	return d
}

// Duper is implemented by collection values (the Val of a list, hash,
// set, zset or stream object): Dup returns a deep copy sharing no mutable
// memory, for COPY.
type Duper interface {
	Dup() any
}

// ParseInt is Redis's string2ll: an optional '-', decimal digits without
// leading zeros or '+', fitting an int64. Only such canonical forms may be
// stored as integers, so the bytes come back unchanged.
func ParseInt(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 20 {
		return 0, false
	}
	if len(b) == 1 && b[0] >= '0' && b[0] <= '9' {
		return int64(b[0] - '0'), true
	}
	neg := false
	p := b
	if p[0] == '-' {
		neg = true
		p = p[1:]
	}
	if len(p) == 0 || p[0] < '1' || p[0] > '9' {
		return 0, false
	}
	var v uint64
	for _, c := range p {
		if c < '0' || c > '9' {
			return 0, false
		}
		d := uint64(c - '0')
		if v > (1<<64-1-d)/10 {
			return 0, false
		}
		v = v*10 + d
	}
	if neg {
		if v > 1<<63 {
			return 0, false
		}
		return -int64(v), true
	}
	if v > 1<<63-1 {
		return 0, false
	}
	return int64(v), true
}
