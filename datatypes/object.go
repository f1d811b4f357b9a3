// Object is a value in the keyspace: a type, an encoding and the payload,
// plus the 24-bit LRU clock (or LFU data) Redis keeps per object.
//
// Type and Encoding numbers are Redis's OBJ_* and OBJ_ENCODING_* constants so
// that RDB and OBJECT ENCODING map one to one.
//
// Strings follow Redis's tryObjectEncoding (object.c):
//
//	int     the bytes are a canonical int64 of at most 20 chars: Val is int64
//	embstr  at most 44 bytes, created by a write that replaces the value: Val is []byte
//	raw     longer, or modified in place (APPEND, SETRANGE, SETBIT): Val is []byte
//
// The int encoding must give back exactly the bytes it was given, so only
// canonical forms ("12", not "012" or "+12") are stored as integers.
package datatypes

import "strconv"

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

// Object is one keyspace value.
type Object struct {
	Type ObjType
	Enc  Encoding
	LRU  uint32 // LRU clock (seconds, 24 bits) or LFU: 16-bit minutes << 8 | 8-bit counter
	// Str holds the bytes of an embstr or raw string. It is a typed field,
	// not a value in Val, so a string costs one allocation for its bytes
	// and none for an interface box.
	Str []byte
	// Val holds an int-encoded string's int64, or a collection.
	Val any
}

// NewString makes a string object from b (copied) with the encoding
// Redis's tryObjectEncoding would choose.
func NewString(b []byte) *Object {
	if len(b) <= 20 {
		if n, ok := ParseInt(b); ok {
			return &Object{Type: TypeString, Enc: EncInt, Val: n}
		}
	}
	enc := EncRaw
	if len(b) <= EmbstrMax {
		enc = EncEmbstr
	}
	return &Object{Type: TypeString, Enc: enc, Str: append([]byte(nil), b...)}
}

// NewRawString makes a raw-encoded string that owns b (not copied), as
// Redis creates for values built in place (SETRANGE on a new key).
func NewRawString(b []byte) *Object {
	return &Object{Type: TypeString, Enc: EncRaw, Str: b}
}

// NewInt makes an int-encoded string object.
func NewInt(n int64) *Object {
	return &Object{Type: TypeString, Enc: EncInt, Val: n}
}

// AppendString appends the string value of o to dst.
func (o *Object) AppendString(dst []byte) []byte {
	if o.Enc == EncInt {
		return strconv.AppendInt(dst, o.Val.(int64), 10)
	}
	return append(dst, o.Str...)
}

// StringBytes returns the bytes of a string object. For the int encoding
// it formats into a new slice; otherwise it returns the stored slice, which
// the caller must not modify.
func (o *Object) StringBytes() []byte {
	if o.Enc == EncInt {
		return strconv.AppendInt(nil, o.Val.(int64), 10)
	}
	return o.Str
}

// StringLen is STRLEN.
func (o *Object) StringLen() int {
	if o.Enc == EncInt {
		var tmp [20]byte
		return len(strconv.AppendInt(tmp[:0], o.Val.(int64), 10))
	}
	return len(o.Str)
}

// Unshare turns a string object into the raw encoding with a private
// buffer that may be modified in place, as dbUnshareStringValue does, and
// returns that buffer.
func (o *Object) Unshare() []byte {
	if o.Enc == EncRaw {
		return o.Str
	}
	b := o.AppendString(nil)
	o.Enc, o.Str, o.Val = EncRaw, b, nil
	return b
}

// SetRaw stores b as the raw-encoded value of a string object.
func (o *Object) SetRaw(b []byte) { o.Enc, o.Str, o.Val = EncRaw, b, nil }

// Dup returns a deep copy of o sharing no mutable memory with it, for COPY
// (Redis's dupStringObject, listTypeDup, setTypeDup, ...). The copy keeps
// the encoding; its LRU is left for the caller to stamp. Each type adds its
// case here; Dup returns nil for a type it cannot copy yet.
func (o *Object) Dup() *Object {
	d := &Object{Type: o.Type, Enc: o.Enc}
	switch {
	case o.Type == TypeString && o.Enc == EncInt:
		d.Val = o.Val
	case o.Type == TypeString:
		d.Str = append([]byte(nil), o.Str...)
	default:
		v, ok := o.Val.(Duper)
		if !ok {
			return nil
		}
		d.Val = v.Dup()
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
