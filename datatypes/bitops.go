package datatypes

import "math/bits"

// Bit operations on strings, as Redis 7.0's bitops.c. Bits are numbered
// from the most significant bit of the first byte: bit 0 is 0x80 of b[0],
// bit 7 is 0x01 of b[0], bit 8 is 0x80 of b[1]. Bitfields are big endian
// in that numbering, so "u8 at offset 0" is b[0].

// Popcount counts the set bits of b (redisPopcount).
func Popcount(b []byte) int64 {
	var n int
	for len(b) >= 8 {
		n += bits.OnesCount64(uint64(b[0])<<56 | uint64(b[1])<<48 | uint64(b[2])<<40 | uint64(b[3])<<32 |
			uint64(b[4])<<24 | uint64(b[5])<<16 | uint64(b[6])<<8 | uint64(b[7]))
		b = b[8:]
	}
	for _, c := range b {
		n += bits.OnesCount8(c)
	}
	return int64(n)
}

// BitPos returns the position of the first bit equal to bit (0 or 1) in b,
// as redisBitpos: when looking for a 0 in a string of all ones it returns
// len(b)*8 (the string reads as padded with zeros on the right); when
// looking for a 1 that is not there it returns -1.
func BitPos(b []byte, bit int) int64 {
	skip := byte(0)
	if bit == 0 {
		skip = 0xff
	}
	for i, c := range b {
		if c == skip {
			continue
		}
		if bit == 0 {
			c = ^c
		}
		return int64(i)*8 + int64(bits.LeadingZeros8(c))
	}
	if bit == 1 {
		return -1
	}
	return int64(len(b)) * 8
}

// GetUnsignedBitfield reads the nbits (1..64) wide big-endian unsigned
// integer at bit offset off; p must hold every bit read.
func GetUnsignedBitfield(p []byte, off uint64, nbits int) uint64 {
	var v uint64
	for j := 0; j < nbits; j++ {
		byt := off >> 3
		bit := 7 - off&7
		v = v<<1 | uint64(p[byt]>>bit&1)
		off++
	}
	return v
}

// GetSignedBitfield reads a two's complement nbits (1..64) integer.
func GetSignedBitfield(p []byte, off uint64, nbits int) int64 {
	v := GetUnsignedBitfield(p, off, nbits)
	if nbits < 64 && v&(1<<(nbits-1)) != 0 {
		v |= ^uint64(0) << nbits // sign extension
	}
	return int64(v)
}

// SetBitfield writes the low nbits of v at bit offset off; p must hold
// every bit written.
func SetBitfield(p []byte, off uint64, nbits int, v uint64) {
	for j := 0; j < nbits; j++ {
		bitval := byte(v >> (nbits - 1 - j) & 1)
		byt := off >> 3
		bit := 7 - off&7
		p[byt] = p[byt]&^(1<<bit) | bitval<<bit
		off++
	}
}

// Bitfield overflow behaviours (BITFIELD OVERFLOW WRAP|SAT|FAIL).
const (
	OverflowWrap = iota
	OverflowSat
	OverflowFail
)

// CheckUnsignedBitfieldOverflow reports whether value+incr overflows an
// nbits (1..63) unsigned integer. On overflow limit is the value to store
// for WRAP (the sum modulo 2^nbits) or SAT (the bound crossed); it is
// unset for FAIL, which stores nothing.
func CheckUnsignedBitfieldOverflow(value uint64, incr int64, nbits int, owtype int) (overflow bool, limit uint64) {
	maxv := uint64(1)<<nbits - 1
	maxincr := int64(maxv - value)
	minincr := -int64(value)
	wrap := func() uint64 { return (value + uint64(incr)) &^ (^uint64(0) << nbits) }
	if value > maxv || (incr > 0 && incr > maxincr) {
		switch owtype {
		case OverflowWrap:
			return true, wrap()
		case OverflowSat:
			return true, maxv
		}
		return true, 0
	} else if incr < 0 && incr < minincr {
		switch owtype {
		case OverflowWrap:
			return true, wrap()
		case OverflowSat:
			return true, 0
		}
		return true, 0
	}
	return false, 0
}

// CheckSignedBitfieldOverflow is CheckUnsignedBitfieldOverflow for an
// nbits (1..64) two's complement integer; WRAP wraps towards the most
// negative value.
func CheckSignedBitfieldOverflow(value, incr int64, nbits int, owtype int) (overflow bool, limit int64) {
	maxv := int64(1)<<(nbits-1) - 1
	if nbits == 64 {
		maxv = 1<<63 - 1
	}
	minv := -maxv - 1
	// maxincr and minincr may overflow, but they are only used once value
	// is known to be in range, where they do not (as in Redis).
	maxincr := int64(uint64(maxv) - uint64(value))
	minincr := minv - value
	wrap := func() int64 {
		c := uint64(value) + uint64(incr)
		if nbits < 64 {
			mask := ^uint64(0) << nbits
			if c&(1<<(nbits-1)) != 0 {
				c |= mask
			} else {
				c &^= mask
			}
		}
		return int64(c)
	}
	if value > maxv || (nbits != 64 && incr > maxincr) || (value >= 0 && incr > 0 && incr > maxincr) {
		switch owtype {
		case OverflowWrap:
			return true, wrap()
		case OverflowSat:
			return true, maxv
		}
		return true, 0
	} else if value < minv || (nbits != 64 && incr < minincr) || (value < 0 && incr < 0 && incr < minincr) {
		switch owtype {
		case OverflowWrap:
			return true, wrap()
		case OverflowSat:
			return true, minv
		}
		return true, 0
	}
	return false, 0
}

// Bit operations of BITOP.
const (
	BitAnd = iota
	BitOr
	BitXor
	BitNot
)

// BitOp computes BITOP op over srcs (NOT takes exactly one): shorter
// strings read as padded with zero bytes, and the result is as long as the
// longest source. A nil result means every source was empty.
func BitOp(op int, srcs [][]byte) []byte {
	maxlen := 0
	for _, s := range srcs {
		maxlen = max(maxlen, len(s))
	}
	if maxlen == 0 {
		return nil
	}
	res := make([]byte, maxlen)
	copy(res, srcs[0])
	if op == BitNot {
		for i := range res {
			res[i] = ^res[i]
		}
		return res
	}
	for _, s := range srcs[1:] {
		switch op {
		case BitAnd:
			for i := range res {
				if i < len(s) {
					res[i] &= s[i]
				} else {
					res[i] = 0
				}
			}
		case BitOr:
			for i, c := range s {
				res[i] |= c
			}
		case BitXor:
			for i, c := range s {
				res[i] ^= c
			}
		}
	}
	return res
}
