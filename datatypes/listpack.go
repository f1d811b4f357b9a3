// Listpack: Redis 7.0's listpack (src/listpack.c), byte for byte, so that RDB
// can write it verbatim and load Redis's bytes without conversion. It is the
// small encoding of hashes, sets of strings (7.2+), sorted sets and of each
// quicklist node.
//
// Layout (all multi-byte numbers little endian unless noted):
//
//	<total-bytes:uint32> <num-elements:uint16> <entry> ... <entry> <end:0xFF>
//
//	total-bytes   size of the whole listpack, header and terminator included
//	num-elements  number of entries, or 65535 meaning "count them"
//	end           the single byte 0xFF; no entry starts with 0xFF
//
// An entry is <encoding+data> <backlen>:
//
//	0xxxxxxx                      7-bit unsigned int 0..127 (no data)
//	10LLLLLL <L bytes>            string of length L < 64
//	110vvvvv vvvvvvvv             13-bit signed int, two's complement, big end first
//	1110LLLL LLLLLLLL <L bytes>   string of length L < 4096 (L big end first)
//	11110000 <L:uint32> <L bytes> string of length L (32-bit)
//	11110001 <int16>              16-bit signed int
//	11110010 <int24>              24-bit signed int
//	11110011 <int32>              32-bit signed int
//	11110100 <int64>              64-bit signed int
//	11110101 .. 11111110          invalid
//
//	backlen  the size of <encoding+data>, written so it can be read from
//	         right to left: 1 to 5 bytes of 7 bits each, the rightmost byte
//	         holding the lowest 7 bits; every byte but the leftmost has the
//	         high bit set. Sizes use 1 byte up to 127, 2 below 16383, 3 below
//	         2097151, 4 below 268435455, 5 otherwise (Redis's exact bounds,
//	         off by one from the powers of two: kept for identical bytes).
//
// A string is stored as an integer when lpStringToInt64 accepts it (canonical
// decimal int64: no '+', no leading zeros, no "-0", no spaces), in the
// smallest integer encoding that holds it; otherwise as a string in the
// smallest string encoding. So the same inserts give the same bytes as Redis,
// and an integer comes back as exactly the bytes it was given.
//
// # Positions
//
// A position is a byte offset into the listpack, the Go form of Redis's
// element pointer; -1 means none (NULL). Positions are invalidated by any
// change to the listpack, except the ones a mutating method returns.
//
// # Contract
//
//   - Methods that read assume a valid listpack (built here, or accepted by
//     ValidateListpack with deep=true). Bytes from outside must go through
//     ValidateListpack first: reading corrupt bytes may panic.
//   - Mutating methods take a *Listpack because the slice may move. Callers
//     keep the total under 1GB with ListpackSafeToAdd, as Redis does; growing
//     past 4GB (the uint32 header) panics.
//   - Element bytes passed in may alias the listpack itself (a value taken
//     with Get): they are copied first in that case.
//   - Deleting keeps the slice's capacity; ShrinkToFit returns it.
package datatypes

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"unsafe"
)

// Listpack is a Redis listpack: the bytes are the value, as in Redis.
type Listpack []byte

const (
	lpHdrSize       = 6
	lpNumeleUnknown = 65535
	lpEOF           = 0xFF

	lpEnc6BitStr  = 0x80
	lpEnc13BitInt = 0xC0
	lpEnc12BitStr = 0xE0
	lpEnc32BitStr = 0xF0
	lpEnc16BitInt = 0xF1
	lpEnc24BitInt = 0xF2
	lpEnc32BitInt = 0xF3
	lpEnc64BitInt = 0xF4

	// ListpackMaxSafetySize is LISTPACK_MAX_SAFETY_SIZE: callers convert to
	// the big encoding rather than grow a listpack past 1GB.
	ListpackMaxSafetySize = 1 << 30
)

// ListpackWhere says where Insert puts the new element relative to a position.
type ListpackWhere uint8

// Insert positions, Redis's LP_BEFORE and LP_AFTER.
const (
	ListpackBefore ListpackWhere = iota
	ListpackAfter
)

// ErrCorruptListpack is wrapped by every ValidateListpack error.
var ErrCorruptListpack = errors.New("corrupt listpack")

// NewListpack returns an empty listpack: a header and the terminator.
func NewListpack() Listpack {
	lp := make(Listpack, lpHdrSize+1, 16)
	binary.LittleEndian.PutUint32(lp, lpHdrSize+1)
	lp[lpHdrSize] = lpEOF
	return lp
}

// NewListpackCap returns an empty listpack with room for n bytes in all
// (header and terminator included), for a builder that knows its size.
func NewListpackCap(n int) Listpack {
	lp := lpAlloc(max(n, lpHdrSize+1))[:lpHdrSize+1]
	binary.LittleEndian.PutUint32(lp, lpHdrSize+1)
	binary.LittleEndian.PutUint16(lp[4:], 0)
	lp[lpHdrSize] = lpEOF
	return lp
}

// lpEntrySize is the size ele takes as an entry, backlen included.
func lpEntrySize(ele []byte) int {
	var e lpEncoded
	lpEncodeElement(&e, ele)
	sz := e.size()
	return int(sz) + lpBacklenSize(sz)
}

// Bytes returns the listpack's bytes, to be written verbatim (RDB, DUMP).
func (lp Listpack) Bytes() []byte { return lp }

// TotalBytes is lpBytes: the size the header records.
func (lp Listpack) TotalBytes() int { return int(binary.LittleEndian.Uint32(lp)) }

// ListpackSafeToAdd is lpSafeToAdd: whether lp (nil for a new one) can grow by
// add bytes and stay within ListpackMaxSafetySize.
func ListpackSafeToAdd(lp Listpack, add int) bool {
	n := 0
	if lp != nil {
		n = lp.TotalBytes()
	}
	return n+add <= ListpackMaxSafetySize
}

// Len is lpLength. When the header says "unknown" it counts the entries and,
// if the count fits again, stores it in the header as Redis does.
func (lp Listpack) Len() int {
	if n := int(binary.LittleEndian.Uint16(lp[4:])); n != lpNumeleUnknown {
		return n
	}
	n := 0
	for p := lp.First(); p >= 0; p = lp.Next(p) {
		n++
	}
	if n < lpNumeleUnknown {
		binary.LittleEndian.PutUint16(lp[4:], uint16(n))
	}
	return n
}

// lpEncodedSize is lpCurrentEncodedSizeUnsafe: the size of the entry's
// encoding and data (without backlen); 1 for the terminator; 0 for an
// invalid encoding byte. It may read the string length bytes.
func lpEncodedSize(p []byte) uint64 {
	b := p[0]
	switch {
	case b&0x80 == 0:
		return 1
	case b&0xC0 == lpEnc6BitStr:
		return 1 + uint64(b&0x3F)
	case b&0xE0 == lpEnc13BitInt:
		return 2
	case b&0xF0 == lpEnc12BitStr:
		return 2 + (uint64(b&0x0F)<<8 | uint64(p[1]))
	}
	switch b {
	case lpEnc16BitInt:
		return 3
	case lpEnc24BitInt:
		return 4
	case lpEnc32BitInt:
		return 5
	case lpEnc64BitInt:
		return 9
	case lpEnc32BitStr:
		return 5 + uint64(binary.LittleEndian.Uint32(p[1:]))
	case lpEOF:
		return 1
	}
	return 0
}

// lpEncodedSizeBytes is lpCurrentEncodedSizeBytes: how many bytes of the
// entry must be readable to know its size; 0 for an invalid encoding byte.
func lpEncodedSizeBytes(b byte) int {
	switch {
	case b&0x80 == 0, b&0xC0 == lpEnc6BitStr, b&0xE0 == lpEnc13BitInt:
		return 1
	case b&0xF0 == lpEnc12BitStr:
		return 2
	}
	switch b {
	case lpEnc16BitInt, lpEnc24BitInt, lpEnc32BitInt, lpEnc64BitInt, lpEOF:
		return 1
	case lpEnc32BitStr:
		return 5
	}
	return 0
}

// lpBacklenSize is lpEncodeBacklen(NULL, l), bounds included.
func lpBacklenSize(l uint64) int {
	switch {
	case l <= 127:
		return 1
	case l < 16383:
		return 2
	case l < 2097151:
		return 3
	case l < 268435455:
		return 4
	}
	return 5
}

// lpEncodeBacklen writes the backlen of an entry of size l into buf and
// returns its length.
func lpEncodeBacklen(buf *[5]byte, l uint64) int {
	n := lpBacklenSize(l)
	// The rightmost byte holds the lowest 7 bits; all but the leftmost
	// carry the continuation bit.
	for i := n - 1; i >= 0; i-- {
		buf[i] = byte(l&127) | 128
		l >>= 7
	}
	buf[0] &= 127
	return n
}

// lpDecodeBacklen reads a backlen whose last byte is b[end], right to left,
// never before b[0]. ok is false when it is longer than 5 bytes or runs
// off the start.
func lpDecodeBacklen(b []byte, end int) (v uint64, ok bool) {
	var shift uint
	for p := end; p >= 0; p-- {
		v |= uint64(b[p]&127) << shift
		if b[p]&128 == 0 {
			return v, true
		}
		shift += 7
		if shift > 28 {
			return 0, false
		}
	}
	return 0, false
}

// entryLen is the full size of the entry at p, backlen included (lpSkip).
func (lp Listpack) entryLen(p int) int {
	n := lpEncodedSize(lp[p:])
	return int(n) + lpBacklenSize(n)
}

// First is lpFirst: the first element, or -1 if empty.
func (lp Listpack) First() int {
	if lp[lpHdrSize] == lpEOF {
		return -1
	}
	return lpHdrSize
}

// Last is lpLast: the last element, or -1 if empty.
func (lp Listpack) Last() int { return lp.Prev(len(lp) - 1) }

// Next is lpNext: the element after p, or -1 if p is the last.
func (lp Listpack) Next(p int) int {
	p += lp.entryLen(p)
	if lp[p] == lpEOF {
		return -1
	}
	return p
}

// Prev is lpPrev: the element before p (p may be the terminator's position),
// or -1 if p is the first.
func (lp Listpack) Prev(p int) int {
	if p == lpHdrSize {
		return -1
	}
	n, _ := lpDecodeBacklen(lp, p-1)
	return p - int(n) - lpBacklenSize(n)
}

// Seek is lpSeek: the element at index (negative counts from the end, -1 is
// the last), or -1 if out of range. It walks from the nearer end when the
// count is known.
func (lp Listpack) Seek(index int) int {
	forward := true
	if n := int(binary.LittleEndian.Uint16(lp[4:])); n != lpNumeleUnknown {
		if index < 0 {
			index += n
		}
		if index < 0 || index >= n {
			return -1
		}
		if index > n/2 {
			forward = false
			index -= n
		}
	} else if index < 0 {
		forward = false
	}
	if forward {
		p := lp.First()
		for ; index > 0 && p >= 0; index-- {
			p = lp.Next(p)
		}
		return p
	}
	p := lp.Last()
	for ; index < -1 && p >= 0; index++ {
		p = lp.Prev(p)
	}
	return p
}

// Get is lpGet without a buffer: a string element gives (s, 0, false) with s
// aliasing the listpack; an integer element gives (nil, v, true). Nothing is
// allocated. An invalid encoding byte gives 12345678900000000 + the byte,
// as in Redis (a validated listpack has none).
func (lp Listpack) Get(p int) (s []byte, v int64, isInt bool) {
	b := lp[p]
	var uval, negstart, negmax uint64
	switch {
	case b&0x80 == 0:
		return nil, int64(b), true
	case b&0xC0 == lpEnc6BitStr:
		n := int(b & 0x3F)
		return lp[p+1 : p+1+n : p+1+n], 0, false
	case b&0xE0 == lpEnc13BitInt:
		uval = uint64(b&0x1F)<<8 | uint64(lp[p+1])
		negstart, negmax = 1<<12, 8191
	case b&0xF0 == lpEnc12BitStr:
		n := int(b&0x0F)<<8 | int(lp[p+1])
		return lp[p+2 : p+2+n : p+2+n], 0, false
	case b == lpEnc16BitInt:
		uval = uint64(binary.LittleEndian.Uint16(lp[p+1:]))
		negstart, negmax = 1<<15, math.MaxUint16
	case b == lpEnc24BitInt:
		uval = uint64(lp[p+1]) | uint64(lp[p+2])<<8 | uint64(lp[p+3])<<16
		negstart, negmax = 1<<23, math.MaxUint32>>8
	case b == lpEnc32BitInt:
		uval = uint64(binary.LittleEndian.Uint32(lp[p+1:]))
		negstart, negmax = 1<<31, math.MaxUint32
	case b == lpEnc64BitInt:
		return nil, int64(binary.LittleEndian.Uint64(lp[p+1:])), true
	case b == lpEnc32BitStr:
		n := int(binary.LittleEndian.Uint32(lp[p+1:]))
		return lp[p+5 : p+5+n : p+5+n], 0, false
	default:
		return nil, 12345678900000000 + int64(b), true
	}
	if uval >= negstart {
		return nil, -int64(negmax-uval) - 1, true
	}
	return nil, int64(uval), true
}

// GetBytes is lpGet with a buffer: the element as bytes, integers formatted
// into buf (which is reused from its start). Strings alias the listpack.
func (lp Listpack) GetBytes(p int, buf []byte) []byte {
	s, v, isInt := lp.Get(p)
	if isInt {
		return strconv.AppendInt(buf[:0], v, 10)
	}
	return s
}

// Find is lpFind: starting at p, the first element equal to value, looking
// at every (skip+1)th element (skip=1 visits only the fields of a hash or the
// members of a zset); -1 if none. Equality is on the string form, so an
// integer element matches only its canonical decimal bytes. p may be the
// terminator's position (nothing to search).
func (lp Listpack) Find(p int, value []byte, skip int) int {
	vInt, vIsInt := ParseInt(value)
	skipcnt := 0
	for p >= 0 && lp[p] != lpEOF {
		if skipcnt == 0 {
			s, v, isInt := lp.Get(p)
			if isInt {
				if vIsInt && v == vInt {
					return p
				}
			} else if bytes.Equal(s, value) {
				return p
			}
			skipcnt = skip
		} else {
			skipcnt--
		}
		p = lp.Next(p)
	}
	return -1
}

// lpEncoded is an element ready to be written: hdr is the whole encoding of
// an integer, or the header of a string whose bytes are data.
type lpEncoded struct {
	hdr  [9]byte
	hn   int
	data []byte
}

func (e *lpEncoded) size() uint64 { return uint64(e.hn) + uint64(len(e.data)) }

// lpEncodeInt is the integer half of lpEncodeGetType.
func lpEncodeInt(e *lpEncoded, v int64) {
	switch {
	case v >= 0 && v <= 127:
		e.hdr[0] = byte(v)
		e.hn = 1
	case v >= -4096 && v <= 4095:
		u := uint64(v) & (1<<13 - 1)
		e.hdr[0] = byte(u>>8) | lpEnc13BitInt
		e.hdr[1] = byte(u)
		e.hn = 2
	case v >= -32768 && v <= 32767:
		e.hdr[0] = lpEnc16BitInt
		binary.LittleEndian.PutUint16(e.hdr[1:], uint16(v))
		e.hn = 3
	case v >= -8388608 && v <= 8388607:
		e.hdr[0] = lpEnc24BitInt
		e.hdr[1], e.hdr[2], e.hdr[3] = byte(v), byte(v>>8), byte(v>>16)
		e.hn = 4
	case v >= math.MinInt32 && v <= math.MaxInt32:
		e.hdr[0] = lpEnc32BitInt
		binary.LittleEndian.PutUint32(e.hdr[1:], uint32(v))
		e.hn = 5
	default:
		e.hdr[0] = lpEnc64BitInt
		binary.LittleEndian.PutUint64(e.hdr[1:], uint64(v))
		e.hn = 9
	}
}

// lpEncodeElement is lpEncodeGetType + lpEncodeString.
func lpEncodeElement(e *lpEncoded, ele []byte) {
	if v, ok := ParseInt(ele); ok {
		lpEncodeInt(e, v)
		return
	}
	n := len(ele)
	switch {
	case n < 64:
		e.hdr[0] = byte(n) | lpEnc6BitStr
		e.hn = 1
	case n < 4096:
		e.hdr[0] = byte(n>>8) | lpEnc12BitStr
		e.hdr[1] = byte(n)
		e.hn = 2
	default:
		if uint64(n) > math.MaxUint32 {
			panic("listpack: element larger than 4GB")
		}
		e.hdr[0] = lpEnc32BitStr
		binary.LittleEndian.PutUint32(e.hdr[1:], uint32(n))
		e.hn = 5
	}
	e.data = ele
}

// lpOverlaps reports whether a and b share memory.
func lpOverlaps(a, b []byte) bool {
	if cap(a) == 0 || len(b) == 0 {
		return false
	}
	a0 := uintptr(unsafe.Pointer(unsafe.SliceData(a)))
	b0 := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return b0 < a0+uintptr(cap(a)) && a0 < b0+uintptr(len(b))
}

// splice is the body of lpInsert: replace the replaced bytes at p with the
// entry e (nil to delete) and fix the header; delta is the change in count.
func (lp *Listpack) splice(p, replaced int, e *lpEncoded, delta int) {
	b := *lp
	var backlen [5]byte
	newLen := 0
	if e != nil {
		sz := e.size()
		bn := lpEncodeBacklen(&backlen, sz)
		newLen = int(sz) + bn
		if lpOverlaps(b, e.data) {
			e.data = bytes.Clone(e.data)
		}
	}
	old := len(b)
	total := old + newLen - replaced
	if uint64(total) > math.MaxUint32 {
		panic("listpack: larger than 4GB")
	}
	if total > cap(b) {
		// Grow as lpRealloc under jemalloc does: to the allocator's size
		// class of the new size, moving only the bytes around the edit.
		nb := lpAlloc(total)
		copy(nb, b[:p])
		copy(nb[p+newLen:], b[p+replaced:old])
		b = nb
	} else {
		b = b[:max(old, total)]
		copy(b[p+newLen:], b[p+replaced:old])
		b = b[:total]
	}
	if e != nil {
		w := p + copy(b[p:], e.hdr[:e.hn])
		w += copy(b[w:], e.data)
		copy(b[w:], backlen[:newLen-int(e.size())])
	}
	binary.LittleEndian.PutUint32(b, uint32(total))
	if delta != 0 {
		if n := int(binary.LittleEndian.Uint16(b[4:])); n != lpNumeleUnknown {
			lpSetNumElements(b, n+delta)
		}
	}
	*lp = b
}

// lpExactGrowMax is the size up to which a growing listpack is reallocated
// to exactly the size class of its new length. Go's size classes (up to
// 32KB) are as fine as jemalloc's, so a listpack carries at most about 1/6
// slack, as in Redis; the price is a copy each time the length crosses a
// class, a few times the bytes appended (amortized). Above this,
// where Go rounds to whole pages, capacity grows geometrically (by 1/4, as
// append does) so that appends stay amortized O(1).
const lpExactGrowMax = 32 << 10

// lpAlloc returns a listpack of length n whose capacity is the allocation
// the runtime makes anyway for n bytes (below lpExactGrowMax), or n plus a
// quarter above it.
func lpAlloc(n int) Listpack {
	c := n
	if n > lpExactGrowMax {
		c += n / 4
	}
	// append rounds the capacity up to the size class it allocates.
	return slices.Grow(Listpack(nil), c)[:n]
}

// lpSetNumElements stores n, or "unknown" when n does not fit.
func lpSetNumElements(b []byte, n int) {
	if n >= lpNumeleUnknown {
		n = lpNumeleUnknown
	}
	binary.LittleEndian.PutUint16(b[4:], uint16(n))
}

// Insert is lpInsert: put ele before or after the element at p and return
// the new element's position. ListpackBefore also accepts the terminator's
// position (len-1), which appends.
func (lp *Listpack) Insert(p int, ele []byte, where ListpackWhere) int {
	var e lpEncoded
	lpEncodeElement(&e, ele)
	return lp.insertEncoded(p, &e, where)
}

// InsertInt is Insert for an integer, without formatting it first; the bytes
// are those Insert gives for its decimal form.
func (lp *Listpack) InsertInt(p int, v int64, where ListpackWhere) int {
	var e lpEncoded
	lpEncodeInt(&e, v)
	return lp.insertEncoded(p, &e, where)
}

func (lp *Listpack) insertEncoded(p int, e *lpEncoded, where ListpackWhere) int {
	if where == ListpackAfter {
		p += lp.entryLen(p)
	}
	lp.splice(p, 0, e, 1)
	return p
}

// Append is lpAppend (lpPushTail) and returns the new element's position.
func (lp *Listpack) Append(ele []byte) int {
	return lp.Insert(len(*lp)-1, ele, ListpackBefore)
}

// AppendInt is Append of the decimal form of v.
func (lp *Listpack) AppendInt(v int64) int {
	return lp.InsertInt(len(*lp)-1, v, ListpackBefore)
}

// Prepend is lpPrepend (lpPushHead) and returns the new element's position.
func (lp *Listpack) Prepend(ele []byte) int {
	return lp.Insert(lpHdrSize, ele, ListpackBefore)
}

// Replace is lpReplace: ele takes the place of the element at p, whose
// position it returns.
func (lp *Listpack) Replace(p int, ele []byte) int {
	var e lpEncoded
	lpEncodeElement(&e, ele)
	lp.splice(p, lp.entryLen(p), &e, 0)
	return p
}

// ReplaceInt is Replace with the decimal form of v.
func (lp *Listpack) ReplaceInt(p int, v int64) int {
	var e lpEncoded
	lpEncodeInt(&e, v)
	lp.splice(p, lp.entryLen(p), &e, 0)
	return p
}

// Delete is lpDelete: remove the element at p and return the position of
// the one that followed it, or -1 if it was the last.
func (lp *Listpack) Delete(p int) int {
	lp.splice(p, lp.entryLen(p), nil, -1)
	if (*lp)[p] == lpEOF {
		return -1
	}
	return p
}

// DeleteRange is lpDeleteRange: remove count elements starting at index
// (negative from the end); a range running past the end stops there, and
// an index out of range removes nothing.
func (lp *Listpack) DeleteRange(index, count int) {
	if count <= 0 {
		return
	}
	b := *lp
	n := b.Len()
	p := b.Seek(index)
	if p < 0 {
		return
	}
	if index < 0 {
		index += n
	}
	if n-index <= count {
		b[p] = lpEOF
		b = b[:p+1]
		binary.LittleEndian.PutUint32(b, uint32(p+1))
		lpSetNumElements(b, index)
		*lp = b
		return
	}
	first := p
	for range count {
		p += b.entryLen(p)
	}
	copy(b[first:], b[p:])
	b = b[:len(b)-(p-first)]
	binary.LittleEndian.PutUint32(b, uint32(len(b)))
	lpSetNumElements(b, n-count)
	*lp = b
}

// ShrinkToFit is lpShrinkToFit: drop spare capacity left by deletions.
func (lp *Listpack) ShrinkToFit() {
	if cap(*lp) > len(*lp) {
		*lp = slices.Clone(*lp)
	}
}

// lpValidateNext is lpValidateNext for the entry at p (not the terminator):
// every length is checked against the end before it is used, and the
// backlen must agree with the entry's size. It returns the next position.
func lpValidateNext(b []byte, p int) (int, error) {
	last := len(b) - 1 // the terminator
	lenbytes := lpEncodedSizeBytes(b[p])
	if lenbytes == 0 {
		return 0, fmt.Errorf("%w: invalid encoding byte 0x%02x at %d", ErrCorruptListpack, b[p], p)
	}
	if p+lenbytes > last {
		return 0, fmt.Errorf("%w: entry header at %d runs past the end", ErrCorruptListpack, p)
	}
	enc := lpEncodedSize(b[p:])
	bl := lpBacklenSize(enc)
	entry := enc + uint64(bl)
	if entry > uint64(last-p) {
		return 0, fmt.Errorf("%w: entry at %d runs past the end", ErrCorruptListpack, p)
	}
	next := p + int(entry)
	prevlen, ok := lpDecodeBacklen(b, next-1)
	if !ok || prevlen != enc {
		return 0, fmt.Errorf("%w: backlen of entry at %d does not match its size", ErrCorruptListpack, p)
	}
	return next, nil
}

// ValidateListpack is lpValidateIntegrity, for bytes from an RDB file or a
// RESTORE payload. The header must give the exact size and the last byte be
// the terminator. Shallow (deep=false) checks only that and the first entry,
// as Redis does when it converts the listpack on load anyway. Deep walks
// every entry with lpValidateNext, checks the count in the header (unless
// "unknown"), and — stricter than Redis — that the walk ends exactly at the
// last byte, so that walking backwards from the end meets the same entries.
// After a deep validation every read method is safe on b.
func ValidateListpack(b []byte, deep bool) error {
	if len(b) < lpHdrSize+1 {
		return fmt.Errorf("%w: %d bytes is shorter than a header", ErrCorruptListpack, len(b))
	}
	if total := binary.LittleEndian.Uint32(b); uint64(total) != uint64(len(b)) {
		return fmt.Errorf("%w: header says %d bytes, have %d", ErrCorruptListpack, total, len(b))
	}
	if b[len(b)-1] != lpEOF {
		return fmt.Errorf("%w: no terminator", ErrCorruptListpack)
	}
	p := lpHdrSize
	if !deep {
		if b[p] != lpEOF {
			if _, err := lpValidateNext(b, p); err != nil {
				return err
			}
		}
		return nil
	}
	count := 0
	for b[p] != lpEOF {
		next, err := lpValidateNext(b, p)
		if err != nil {
			return err
		}
		p = next
		count++
	}
	if p != len(b)-1 {
		return fmt.Errorf("%w: terminator at %d before the end", ErrCorruptListpack, p)
	}
	if n := int(binary.LittleEndian.Uint16(b[4:])); n != lpNumeleUnknown && n != count {
		return fmt.Errorf("%w: header says %d elements, have %d", ErrCorruptListpack, n, count)
	}
	return nil
}
