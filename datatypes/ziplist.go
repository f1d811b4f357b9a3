// Ziplist: the read side of Redis's ziplist (src/ziplist.c), the small
// encoding of lists, hashes and sorted sets in RDB files written by Redis
// 2.6 to 6.2 (RDB types 10-13 and the nodes of quicklist type 14). Redis 7.0
// never keeps a ziplist in memory: it converts each one to a listpack on
// load, and so do we. Nothing here builds or edits a ziplist.
//
// Layout (all multi-byte numbers little endian unless noted):
//
//	<zlbytes:uint32> <zltail:uint32> <zllen:uint16> <entry> ... <entry> <zlend:0xFF>
//
//	zlbytes  size of the whole ziplist, header and terminator included
//	zltail   offset of the last entry (of the terminator's position when empty)
//	zllen    number of entries, or 65535 meaning "count them"
//	zlend    the single byte 0xFF; no entry starts with 0xFF
//
// An entry is <prevlen> <encoding> <data>:
//
//	prevlen  size of the previous entry (0 for the first): one byte 0..253,
//	         or 0xFE followed by a uint32
//
//	00pppppp                      string of length p (0..63)
//	01pppppp qqqqqqqq             string of length p<<8|q (14 bits, big end first)
//	10______ <uint32 big endian>  string of that length (low 6 bits ignored)
//	11000000 <int16>              16-bit signed int
//	11010000 <int32>              32-bit signed int
//	11100000 <int64>              64-bit signed int
//	11110000 <int24>              24-bit signed int
//	11111110 <int8>               8-bit signed int
//	1111xxxx                      xxxx in 0001..1101: the int xxxx-1 (0..12), no data
//	anything else                 invalid
//
// # Contract
//
// Every function here validates its input completely before reading it, as
// ziplistValidateIntegrity does with deep=1, so corrupt bytes give an error
// wrapping ErrCorruptZiplist, never a panic, and nothing is allocated from a
// length the bytes claim.
package datatypes

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
)

const (
	zlHdrSize     = 10
	zlEnd         = 0xFF
	zlBigPrevlen  = 0xFE
	zlLenUnknown  = 65535
	zlStrMask     = 0xC0
	zlStr06B      = 0x00
	zlStr14B      = 0x40
	zlStr32B      = 0x80
	zlInt16B      = 0xC0
	zlInt32B      = 0xD0
	zlInt64B      = 0xE0
	zlInt24B      = 0xF0
	zlInt8B       = 0xFE
	zlIntImmMin   = 0xF1
	zlIntImmMax   = 0xFD
	zlIntImmMask  = 0x0F
	zlMaxLensize  = 5
	zlMaxPrevsize = 5
)

// ErrCorruptZiplist is wrapped by every error about ziplist bytes.
var ErrCorruptZiplist = errors.New("corrupt ziplist")

// zlEntry is Redis's zlentry for the entry at p: where its data starts, how
// long the data is, and how to read it.
type zlEntry struct {
	prevLen  uint64 // the size of the previous entry, as this entry records it
	dataAt   int    // offset of the data (after prevlen and encoding)
	dataLen  int    // bytes of data: the string, or the integer's width
	enc      byte   // the encoding byte, string kinds reduced to zlStr*
	totalLen int    // prevlen + encoding + data
}

// zlDecodeEntry is zipEntrySafe with validate_prevlen: it decodes the entry
// at p (which is not the terminator) and fails unless the entry, header and
// data, ends at or before the terminator, and its prevlen points no earlier
// than the first entry. Lengths are computed in 64 bits so that a claimed
// 4GB string cannot wrap around.
func zlDecodeEntry(b []byte, p int) (zlEntry, error) {
	var e zlEntry
	last := len(b) - 1 // the terminator
	q := p + 1
	if b[p] < zlBigPrevlen {
		e.prevLen = uint64(b[p])
	} else {
		if p+zlMaxPrevsize > last {
			return e, fmt.Errorf("%w: prevlen of entry at %d runs past the end", ErrCorruptZiplist, p)
		}
		e.prevLen = uint64(binary.LittleEndian.Uint32(b[p+1:]))
		q = p + zlMaxPrevsize
	}
	enc := b[q]
	if enc < zlStrMask {
		enc &= zlStrMask
	}
	lensize := 1
	var dataLen uint64
	switch enc {
	case zlStr06B:
		dataLen = uint64(b[q] & 0x3F)
	case zlStr14B:
		lensize = 2
		if q+lensize > last {
			return e, fmt.Errorf("%w: encoding of entry at %d runs past the end", ErrCorruptZiplist, p)
		}
		dataLen = uint64(b[q]&0x3F)<<8 | uint64(b[q+1])
	case zlStr32B:
		lensize = zlMaxLensize
		if q+lensize > last {
			return e, fmt.Errorf("%w: encoding of entry at %d runs past the end", ErrCorruptZiplist, p)
		}
		dataLen = uint64(binary.BigEndian.Uint32(b[q+1:]))
	case zlInt8B:
		dataLen = 1
	case zlInt16B:
		dataLen = 2
	case zlInt24B:
		dataLen = 3
	case zlInt32B:
		dataLen = 4
	case zlInt64B:
		dataLen = 8
	default:
		if enc < zlIntImmMin || enc > zlIntImmMax {
			return e, fmt.Errorf("%w: invalid encoding byte 0x%02x in entry at %d", ErrCorruptZiplist, enc, p)
		}
	}
	end := uint64(q) + uint64(lensize) + dataLen
	if end > uint64(last) {
		return e, fmt.Errorf("%w: entry at %d runs past the end", ErrCorruptZiplist, p)
	}
	if e.prevLen > uint64(p-zlHdrSize) {
		return e, fmt.Errorf("%w: prevlen of entry at %d points before the first entry", ErrCorruptZiplist, p)
	}
	e.enc = enc
	e.dataAt = q + lensize
	e.dataLen = int(dataLen)
	e.totalLen = int(end) - p
	return e, nil
}

// isString reports whether the entry holds a string (ZIP_IS_STR).
func (e *zlEntry) isString() bool { return e.enc&zlStrMask < zlStrMask }

// value is ziplistGet for an entry zlDecodeEntry accepted.
func (e *zlEntry) value(b []byte) (s []byte, v int64, isInt bool) {
	d := b[e.dataAt:]
	switch e.enc {
	case zlInt8B:
		return nil, int64(int8(d[0])), true
	case zlInt16B:
		return nil, int64(int16(binary.LittleEndian.Uint16(d))), true
	case zlInt24B:
		// Sign-extend from bit 23, as Redis does with i32>>8.
		return nil, int64(int32(uint32(d[0])<<8|uint32(d[1])<<16|uint32(d[2])<<24) >> 8), true
	case zlInt32B:
		return nil, int64(int32(binary.LittleEndian.Uint32(d))), true
	case zlInt64B:
		return nil, int64(binary.LittleEndian.Uint64(d)), true
	}
	if e.isString() {
		return d[:e.dataLen:e.dataLen], 0, false
	}
	return nil, int64(e.enc&zlIntImmMask) - 1, true
}

// ValidateZiplist is ziplistValidateIntegrity with deep=1: the header gives
// the exact size, the tail offset and (unless 65535) the entry count; the
// last byte is the terminator; every entry lies within the bytes, records
// the previous entry's exact size, and the walk ends at the terminator.
func ValidateZiplist(b []byte) error {
	_, err := zlValidate(b)
	return err
}

// zlValidate is ValidateZiplist returning the number of entries.
func zlValidate(b []byte) (int, error) {
	if len(b) < zlHdrSize+1 {
		return 0, fmt.Errorf("%w: %d bytes is shorter than a header", ErrCorruptZiplist, len(b))
	}
	if total := binary.LittleEndian.Uint32(b); uint64(total) != uint64(len(b)) {
		return 0, fmt.Errorf("%w: header says %d bytes, have %d", ErrCorruptZiplist, total, len(b))
	}
	last := len(b) - 1
	if b[last] != zlEnd {
		return 0, fmt.Errorf("%w: no terminator", ErrCorruptZiplist)
	}
	tail := binary.LittleEndian.Uint32(b[4:])
	if uint64(tail) > uint64(last) {
		return 0, fmt.Errorf("%w: tail offset %d is past the end", ErrCorruptZiplist, tail)
	}
	count := 0
	p, prev := zlHdrSize, -1
	var prevSize uint64
	for b[p] != zlEnd {
		e, err := zlDecodeEntry(b, p)
		if err != nil {
			return 0, err
		}
		if e.prevLen != prevSize {
			return 0, fmt.Errorf("%w: entry at %d says the previous entry has %d bytes, not %d", ErrCorruptZiplist, p, e.prevLen, prevSize)
		}
		prevSize = uint64(e.totalLen)
		prev = p
		p += e.totalLen
		count++
	}
	if p != last {
		return 0, fmt.Errorf("%w: terminator at %d before the end", ErrCorruptZiplist, p)
	}
	if prev >= 0 && uint64(prev) != uint64(tail) {
		return 0, fmt.Errorf("%w: tail offset %d is not the last entry (%d)", ErrCorruptZiplist, tail, prev)
	}
	if n := int(binary.LittleEndian.Uint16(b[8:])); n != zlLenUnknown && n != count {
		return 0, fmt.Errorf("%w: header says %d entries, have %d", ErrCorruptZiplist, n, count)
	}
	return count, nil
}

// ZiplistEntries validates b completely, then calls fn for each entry in
// order: a string as s (aliasing b, capacity capped so appending to it
// copies), an integer as v with isInt. fn returns false to stop early.
// Nothing is passed to fn unless the whole ziplist is valid.
func ZiplistEntries(b []byte, fn func(s []byte, v int64, isInt bool) bool) error {
	if _, err := zlValidate(b); err != nil {
		return err
	}
	for p := zlHdrSize; b[p] != zlEnd; {
		e, _ := zlDecodeEntry(b, p)
		if !fn(e.value(b)) {
			break
		}
		p += e.totalLen
	}
	return nil
}

// ZiplistToListpack converts a ziplist to a listpack holding the same
// entries in the same order, as Redis's load-time conversion does with
// lpAppend/lpAppendInteger: integers stay integers, and a string that is a
// canonical integer becomes one, as lpAppend would make it. It fails on a
// corrupt ziplist, and when the listpack would pass ListpackMaxSafetySize.
func ZiplistToListpack(b []byte) (Listpack, error) {
	if _, err := zlValidate(b); err != nil {
		return nil, err
	}
	// A listpack entry is at most a few bytes longer than the ziplist entry
	// it comes from; starting at the input's size saves most regrowth.
	lp := slices.Grow(NewListpack(), len(b))
	for p := zlHdrSize; b[p] != zlEnd; {
		e, _ := zlDecodeEntry(b, p)
		if !ListpackSafeToAdd(lp, e.dataLen) {
			return nil, fmt.Errorf("%w: too big for a listpack", ErrCorruptZiplist)
		}
		s, v, isInt := e.value(b)
		if isInt {
			lp.AppendInt(v)
		} else {
			lp.Append(s)
		}
		p += e.totalLen
	}
	return lp, nil
}
