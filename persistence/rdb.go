// Package persistence reads and writes Redis's RDB format (and the DUMP
// payload that shares it), and will hold the AOF.
//
// RDB byte layout, as Redis 7.0's rdb.c writes it (we write version 10 and
// read 1..11):
//
//	"REDIS" 4-digit-version         e.g. "REDIS0010"
//	then a sequence of opcodes and key/value records:
//	  0xFA AUX         string key, string value         (redis-ver, ctime, ...)
//	  0xF5 FUNCTION2   string: a function library's source
//	  0xFE SELECTDB    length: db number
//	  0xFB RESIZEDB    length: keys, length: keys with a TTL
//	  0xFC EXPIRETIME_MS  8 bytes little-endian unix ms     (prefix of one key)
//	  0xFD EXPIRETIME     4 bytes little-endian unix seconds (old files)
//	  0xF8 IDLE        length: LRU idle seconds          (prefix of one key)
//	  0xF9 FREQ        1 byte: LFU counter               (prefix of one key)
//	  0xF7 MODULE_AUX  module data (an error here unless it is empty)
//	  type byte (0..21), string key, value
//	  0xFF EOF, then 8 bytes little-endian CRC-64 of everything before them
//	       (zero when the writer had rdbchecksum off)
//
// A length is 00xxxxxx (6 bits), 01xxxxxx xxxxxxxx (14 bits, big-endian),
// 0x80 + 4 bytes big-endian, or 0x81 + 8 bytes big-endian. 11xxxxxx marks
// a specially encoded string instead: 0xC0 int8, 0xC1 int16 LE, 0xC2 int32
// LE (the decimal digits of the integer), 0xC3 LZF: length compressed,
// length original, compressed bytes. Any other string is a length and the
// bytes.
//
// Values by type byte:
//
//	0  string
//	1  list: length, then strings                      (old)
//	2  set: length, then members
//	3  zset: length, then member and score as a string double (old)
//	4  hash: length, then field and value pairs
//	5  zset 2: length, then member and 8-byte LE binary double, written from
//	   the highest score down so that loading inserts at the skiplist head
//	9  zipmap hash, 10 ziplist list, 12 ziplist zset, 13 ziplist hash (old)
//	11 intset blob
//	14 quicklist of ziplists (old): length, then ziplist blobs
//	15, 19, 21 streams
//	16 listpack hash, 17 listpack zset, 20 listpack set (Redis 7.2)
//	18 quicklist 2: node count, then per node its container (1 plain,
//	   2 packed) and its blob (a value, or a listpack), LZF'd as in memory
//
// A DUMP payload is the type byte and value of one key, then the RDB
// version as 2 bytes little-endian and the CRC-64 of all that (8 bytes LE).
package persistence

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"sync"

	"ferrite/datatypes"

	lzf "github.com/zhuyie/golzf"
)

// Version is the RDB version written (Redis 7.0's RDB_VERSION).
const Version = 10

// maxReadVersion is the newest version Load accepts (Redis 7.2/7.4).
const maxReadVersion = 11

// Object types (RDB_TYPE_*).
const (
	typeString           = 0
	typeList             = 1
	typeSet              = 2
	typeZSet             = 3
	typeHash             = 4
	typeZSet2            = 5
	typeModulePreGA      = 6
	typeModule2          = 7
	typeHashZipmap       = 9
	typeListZiplist      = 10
	typeSetIntset        = 11
	typeZSetZiplist      = 12
	typeHashZiplist      = 13
	typeListQuicklist    = 14
	typeStreamListpacks  = 15
	typeHashListpack     = 16
	typeZSetListpack     = 17
	typeListQuicklist2   = 18
	typeStreamListpacks2 = 19
	typeSetListpack      = 20
	typeStreamListpacks3 = 21
)

// Opcodes (RDB_OPCODE_*).
const (
	opFunction2   = 0xF5
	opFunctionOld = 0xF6
	opModuleAux   = 0xF7
	opIdle        = 0xF8
	opFreq        = 0xF9
	opAux         = 0xFA
	opResizeDB    = 0xFB
	opExpireMS    = 0xFC
	opExpire      = 0xFD
	opSelectDB    = 0xFE
	opEOF         = 0xFF
)

// Length and string encodings (RDB_6BITLEN ... RDB_ENC_LZF).
const (
	len6       = 0
	len14      = 1
	len32      = 0x80
	len64      = 0x81
	lenEncVal  = 3
	encInt8    = 0
	encInt16   = 1
	encInt32   = 2
	encLZF     = 3
	encodedTag = 0xC0
)

// Quicklist node containers (QUICKLIST_NODE_CONTAINER_*).
const (
	containerPlain  = 1
	containerPacked = 2
)

// Limits are the conversion thresholds and dict seed used to build objects
// while loading, the server's hash-max-listpack-entries and friends: a
// loaded value gets the encoding the server would have given it.
type Limits struct {
	Seed                                         uint64
	HashMaxListpackEntries, HashMaxListpackValue int
	SetMaxIntsetEntries                          int
	ZsetMaxListpackEntries, ZsetMaxListpackValue int
	ListMaxListpackSize, ListCompressDepth       int
}

// Entry is one key loaded from an RDB file.
type Entry struct {
	DB       int
	Key      string            // owned by the receiver
	Val      *datatypes.Object // built with the encoding the server would have chosen
	ExpireAt int64             // absolute unix ms, -1 = none
	Idle     int64             // LRU idle seconds from RDB_OPCODE_IDLE, -1 = none
	Freq     int               // LFU counter from RDB_OPCODE_FREQ, -1 = none
}

// CorruptError is every decode failure: what was wrong and where.
type CorruptError struct {
	Offset int64
	Reason string
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("rdb: %s at offset %d", e.Reason, e.Offset)
}

// appendLen is rdbSaveLen.
func appendLen(b []byte, n uint64) []byte {
	switch {
	case n < 1<<6:
		return append(b, byte(n))
	case n < 1<<14:
		return append(b, byte(n>>8)|len14<<6, byte(n))
	case n <= math.MaxUint32:
		b = append(b, len32)
		return binary.BigEndian.AppendUint32(b, uint32(n))
	}
	b = append(b, len64)
	return binary.BigEndian.AppendUint64(b, n)
}

// appendIntEncoded is rdbEncodeInteger: v as INT8/16/32 if it fits.
func appendIntEncoded(b []byte, v int64) ([]byte, bool) {
	switch {
	case v >= math.MinInt8 && v <= math.MaxInt8:
		return append(b, encodedTag|encInt8, byte(v)), true
	case v >= math.MinInt16 && v <= math.MaxInt16:
		return append(b, encodedTag|encInt16, byte(v), byte(v>>8)), true
	case v >= math.MinInt32 && v <= math.MaxInt32:
		b = append(b, encodedTag|encInt32)
		return binary.LittleEndian.AppendUint32(b, uint32(int32(v))), true
	}
	return b, false
}

// appendInt64String is rdbSaveLongLongAsStringObject: an int encoding when
// the value fits 32 bits, else its decimal digits.
func appendInt64String(b []byte, v int64) []byte {
	if out, ok := appendIntEncoded(b, v); ok {
		return out
	}
	var tmp [24]byte
	s := strconv.AppendInt(tmp[:0], v, 10)
	b = appendLen(b, uint64(len(s)))
	return append(b, s...)
}

// appendString is rdbSaveRawString: short canonical integers as an int
// encoding (rdbTryIntegerEncoding), strings over 20 bytes LZF-compressed
// when compress is on and that saves at least 4 bytes, else verbatim.
func appendString(b []byte, s []byte, compress bool) []byte {
	if len(s) <= 11 {
		if v, ok := datatypes.ParseInt(s); ok {
			if out, ok := appendIntEncoded(b, v); ok {
				return out
			}
		}
	}
	if compress && len(s) > 20 {
		if out, ok := appendLZF(b, s); ok {
			return out
		}
	}
	b = appendLen(b, uint64(len(s)))
	return append(b, s...)
}

var lzfHtabPool = sync.Pool{New: func() any { return new([lzf.HashTableSize]uint32) }}

// appendLZF is rdbSaveLzfStringObject: nothing when LZF cannot fit the
// data into len-4 bytes.
func appendLZF(b []byte, s []byte) ([]byte, bool) {
	if len(s) <= 4 {
		return b, false
	}
	out := make([]byte, len(s)-4)
	htab := lzfHtabPool.Get().(*[lzf.HashTableSize]uint32)
	n, err := lzf.CompressFast(s, out, htab[:])
	lzfHtabPool.Put(htab)
	if err != nil || n == 0 {
		return b, false
	}
	return appendLZFBlob(b, out[:n], len(s)), true
}

// appendLZFBlob is rdbSaveLzfBlob: already compressed bytes of a string
// of origLen bytes.
func appendLZFBlob(b []byte, c []byte, origLen int) []byte {
	b = append(b, encodedTag|encLZF)
	b = appendLen(b, uint64(len(c)))
	b = appendLen(b, uint64(origLen))
	return append(b, c...)
}

// appendBinaryDouble is rdbSaveBinaryDoubleValue.
func appendBinaryDouble(b []byte, f float64) []byte {
	return binary.LittleEndian.AppendUint64(b, math.Float64bits(f))
}
