// Intset: Redis 7.0's intset (src/intset.c), byte for byte, the small
// encoding of sets whose members are all integers. RDB writes it verbatim.
//
// Layout (little endian):
//
//	<encoding:uint32> <length:uint32> <contents: length x encoding bytes>
//
//	encoding  bytes per element: 2 (int16), 4 (int32) or 8 (int64)
//	length    number of elements
//	contents  the elements, signed, strictly increasing (sorted, no
//	          duplicates), each in the set's encoding
//
// The encoding is the smallest that holds every element ever added: adding a
// value that does not fit upgrades every element to the wider encoding;
// removing never downgrades (Redis's behaviour, so our bytes equal its bytes
// after the same commands).
//
// # Contract
//
//   - Read methods assume a valid intset (built here, or accepted by
//     ValidateIntset with deep=true); corrupt bytes may make them panic.
//   - Add and Remove take a *Intset because the slice may move.
package datatypes

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// Intset is a Redis intset: the bytes are the value.
type Intset []byte

const (
	intsetHdrSize  = 8
	intsetEncInt16 = 2
	intsetEncInt32 = 4
	intsetEncInt64 = 8
)

// ErrCorruptIntset is wrapped by every ValidateIntset error.
var ErrCorruptIntset = errors.New("corrupt intset")

// NewIntset is intsetNew: empty, with the int16 encoding.
func NewIntset() Intset {
	is := make(Intset, intsetHdrSize, 16)
	binary.LittleEndian.PutUint32(is, intsetEncInt16)
	return is
}

// Bytes returns the intset's bytes, to be written verbatim (RDB, DUMP).
func (is Intset) Bytes() []byte { return is }

// Len is intsetLen.
func (is Intset) Len() int { return int(binary.LittleEndian.Uint32(is[4:])) }

// Encoding is the bytes per element: 2, 4 or 8.
func (is Intset) Encoding() int { return int(binary.LittleEndian.Uint32(is)) }

// intsetValueEncoding is _intsetValueEncoding.
func intsetValueEncoding(v int64) int {
	switch {
	case v < math.MinInt32 || v > math.MaxInt32:
		return intsetEncInt64
	case v < math.MinInt16 || v > math.MaxInt16:
		return intsetEncInt32
	}
	return intsetEncInt16
}

// getEncoded is _intsetGetEncoded.
func (is Intset) getEncoded(pos, enc int) int64 {
	off := intsetHdrSize + pos*enc
	switch enc {
	case intsetEncInt64:
		return int64(binary.LittleEndian.Uint64(is[off:]))
	case intsetEncInt32:
		return int64(int32(binary.LittleEndian.Uint32(is[off:])))
	}
	return int64(int16(binary.LittleEndian.Uint16(is[off:])))
}

func (is Intset) set(pos, enc int, v int64) {
	off := intsetHdrSize + pos*enc
	switch enc {
	case intsetEncInt64:
		binary.LittleEndian.PutUint64(is[off:], uint64(v))
	case intsetEncInt32:
		binary.LittleEndian.PutUint32(is[off:], uint32(v))
	default:
		binary.LittleEndian.PutUint16(is[off:], uint16(v))
	}
}

// Get is intsetGet: the element at pos (0 <= pos < Len), the smallest first.
func (is Intset) Get(pos int) int64 { return is.getEncoded(pos, is.Encoding()) }

// Min is intsetMin; the set must not be empty.
func (is Intset) Min() int64 { return is.Get(0) }

// Max is intsetMax; the set must not be empty.
func (is Intset) Max() int64 { return is.Get(is.Len() - 1) }

// search is intsetSearch: the position of v, or where it would be inserted.
func (is Intset) search(v int64) (int, bool) {
	n := is.Len()
	if n == 0 {
		return 0, false
	}
	enc := is.Encoding()
	// The common cases of appending or prepending skip the search.
	if v > is.getEncoded(n-1, enc) {
		return n, false
	}
	if v < is.getEncoded(0, enc) {
		return 0, false
	}
	lo, hi := 0, n-1
	for lo <= hi {
		mid := int(uint(lo+hi) >> 1)
		cur := is.getEncoded(mid, enc)
		switch {
		case v > cur:
			lo = mid + 1
		case v < cur:
			hi = mid - 1
		default:
			return mid, true
		}
	}
	return lo, false
}

// Find is intsetFind.
func (is Intset) Find(v int64) bool {
	if intsetValueEncoding(v) > is.Encoding() {
		return false
	}
	_, ok := is.search(v)
	return ok
}

// Add is intsetAdd: insert v, upgrading the encoding when v needs a wider
// one; false if v was already present.
func (is *Intset) Add(v int64) bool {
	s := *is
	enc, venc, n := s.Encoding(), intsetValueEncoding(v), s.Len()
	if venc > enc {
		// intsetUpgradeAndAdd: v is outside the old range, so it goes first
		// (negative) or last. Widen from the end so nothing is overwritten.
		s = intsetGrow(s, n*(venc-enc)+venc)
		prepend := 0
		if v < 0 {
			prepend = 1
		}
		for i := n - 1; i >= 0; i-- {
			s.set(i+prepend, venc, s.getEncoded(i, enc))
		}
		binary.LittleEndian.PutUint32(s, uint32(venc))
		if prepend == 1 {
			s.set(0, venc, v)
		} else {
			s.set(n, venc, v)
		}
		binary.LittleEndian.PutUint32(s[4:], uint32(n+1))
		*is = s
		return true
	}
	pos, found := s.search(v)
	if found {
		return false
	}
	s = intsetGrow(s, enc)
	off := intsetHdrSize + pos*enc
	copy(s[off+enc:], s[off:len(s)-enc])
	s.set(pos, enc, v)
	binary.LittleEndian.PutUint32(s[4:], uint32(n+1))
	*is = s
	return true
}

// intsetGrow extends b by n bytes, reusing spare capacity.
func intsetGrow[T ~[]byte](b T, n int) T {
	if cap(b)-len(b) >= n {
		return b[:len(b)+n]
	}
	nb := make(T, len(b)+n, 2*len(b)+n)
	copy(nb, b)
	return nb
}

// Remove is intsetRemove: false if v was not present. The encoding stays.
func (is *Intset) Remove(v int64) bool {
	s := *is
	if intsetValueEncoding(v) > s.Encoding() {
		return false
	}
	pos, found := s.search(v)
	if !found {
		return false
	}
	enc := s.Encoding()
	off := intsetHdrSize + pos*enc
	copy(s[off:], s[off+enc:])
	s = s[:len(s)-enc]
	binary.LittleEndian.PutUint32(s[4:], uint32(s.Len()-1))
	*is = s
	return true
}

// Random is intsetRandom: an element chosen by rnd, which returns a number
// in [0, n) (the caller owns the random source). The set must not be empty.
func (is Intset) Random(rnd func(n int) int) int64 { return is.Get(rnd(is.Len())) }

// ValidateIntset is intsetValidateIntegrity, for bytes from an RDB file or a
// RESTORE payload: a known encoding, a size that is exactly header plus
// length elements, and not empty (Redis never stores an empty set). Deep
// also checks that the elements strictly increase (sorted, no duplicates).
func ValidateIntset(b []byte, deep bool) error {
	if len(b) < intsetHdrSize {
		return fmt.Errorf("%w: %d bytes is shorter than a header", ErrCorruptIntset, len(b))
	}
	enc := binary.LittleEndian.Uint32(b)
	if enc != intsetEncInt16 && enc != intsetEncInt32 && enc != intsetEncInt64 {
		return fmt.Errorf("%w: invalid encoding %d", ErrCorruptIntset, enc)
	}
	n := binary.LittleEndian.Uint32(b[4:])
	if uint64(intsetHdrSize)+uint64(n)*uint64(enc) != uint64(len(b)) {
		return fmt.Errorf("%w: %d elements of %d bytes do not fill %d bytes", ErrCorruptIntset, n, enc, len(b))
	}
	if n == 0 {
		return fmt.Errorf("%w: empty", ErrCorruptIntset)
	}
	if !deep {
		return nil
	}
	is := Intset(b)
	prev := is.getEncoded(0, int(enc))
	for i := 1; i < int(n); i++ {
		cur := is.getEncoded(i, int(enc))
		if cur <= prev {
			return fmt.Errorf("%w: element %d is not greater than the one before", ErrCorruptIntset, i)
		}
		prev = cur
	}
	return nil
}
