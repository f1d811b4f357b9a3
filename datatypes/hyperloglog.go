package datatypes

// HyperLogLog values, byte for byte as Redis 7.0's hyperloglog.c stores
// them inside a string, so values move between Ferrite and Redis with
// GET/SET, DUMP/RESTORE or replication.
//
// Layout (all values little endian):
//
//	+------+---+-----+----------+
//	| HYLL | E | N/U | Cardin.  |
//	+------+---+-----+----------+
//	  4     1   3      8          bytes, then the registers
//
//	HYLL     magic
//	E        encoding: 0 dense, 1 sparse
//	N/U      three unused bytes, zero
//	Cardin.  cached cardinality; the most significant bit of its last byte
//	         set means the cache is stale
//
// Dense: 16384 registers of 6 bits, register 0 in the low bits of the
// first byte; 12288 bytes, so a dense value is exactly 12304 bytes.
//
// Sparse: a run-length sequence of opcodes covering the 16384 registers:
//
//	00xxxxxx           ZERO:  xxxxxx+1 (1..64) registers set to 0
//	01xxxxxx yyyyyyyy  XZERO: the 14-bit xxxxxxyyyyyyyy+1 (1..16384) zeros
//	1vvvvvxx           VAL:   xx+1 (1..4) registers set to vvvvv+1 (1..32)
//
// A register needing a value above 32, or a sparse value growing past
// the caller's size limit (hll-sparse-max-bytes), converts to dense.
//
// The functions here take and return the value's bytes; a function that
// may change the length returns the (possibly reallocated) slice. Every
// decoder tolerates arbitrary bytes: corruption is reported, never a panic.

import (
	"encoding/binary"
	"math"
	"strconv"
	"strings"
)

const (
	HLLP          = 14        // register index bits
	HLLQ          = 64 - HLLP // bits left for the zero run
	HLLRegisters  = 1 << HLLP // 16384
	HLLHdrSize    = 16        // header bytes
	HLLDenseSize  = HLLHdrSize + (HLLRegisters*hllBits+7)/8
	HLLDense      = 0                // header encoding byte: dense
	HLLSparse     = 1                // header encoding byte: sparse
	hllBits       = 6                // bits per dense register
	hllRegMax     = 1<<hllBits - 1   // 63
	hllPMask      = HLLRegisters - 1 // register index mask
	hllMaxEnc     = 1
	hllSeed       = 0xadc83b19
	hllAlphaInf   = 0.721347520444481703680 // 1/(2 ln 2)
	sparseValMax  = 32
	sparseValLen  = 4
	sparseZeroLen = 64
	sparseXZLen   = 16384
)

// NewHLL returns an empty HyperLogLog as Redis's createHLLObject builds it:
// sparse, one XZERO covering every register, cached cardinality 0.
func NewHLL() []byte {
	b := make([]byte, HLLHdrSize, HLLHdrSize+2)
	copy(b, "HYLL")
	b[4] = HLLSparse
	for aux := HLLRegisters; aux > 0; {
		n := min(aux, sparseXZLen)
		b = appendXZero(b, n)
		aux -= n
	}
	return b
}

// IsHLL reports whether b passes Redis's isHLLObjectOrReply header checks
// (magic, a known encoding, the exact dense size). The sparse body is only
// validated when it is decoded.
func IsHLL(b []byte) bool {
	if len(b) < HLLHdrSize || string(b[:4]) != "HYLL" || b[4] > hllMaxEnc {
		return false
	}
	return b[4] != HLLDense || len(b) == HLLDenseSize
}

// HLLIsSparse reports the encoding of a value that passed IsHLL.
func HLLIsSparse(b []byte) bool { return b[4] == HLLSparse }

// HLLCachedCard returns the cached cardinality and whether it is valid.
func HLLCachedCard(b []byte) (uint64, bool) {
	if b[15]&0x80 != 0 {
		return 0, false
	}
	return binary.LittleEndian.Uint64(b[8:16]), true
}

// HLLSetCachedCard stores card as the valid cached cardinality.
func HLLSetCachedCard(b []byte, card uint64) { binary.LittleEndian.PutUint64(b[8:16], card) }

// HLLInvalidateCache marks the cached cardinality stale.
func HLLInvalidateCache(b []byte) { b[15] |= 0x80 }

// ---------------------------------------------------------------- hashing

// MurmurHash64A is Austin Appleby's 64-bit MurmurHash2, reading the key
// little endian as Redis does on every platform.
func MurmurHash64A(key []byte, seed uint64) uint64 {
	const m = 0xc6a4a7935bd1e995
	const r = 47
	h := seed ^ (uint64(len(key)) * m)
	for len(key) >= 8 {
		k := binary.LittleEndian.Uint64(key)
		k *= m
		k ^= k >> r
		k *= m
		h ^= k
		h *= m
		key = key[8:]
	}
	if len(key) > 0 {
		for i := len(key) - 1; i >= 0; i-- {
			h ^= uint64(key[i]) << (8 * uint(i))
		}
		h *= m
	}
	h ^= h >> r
	h *= m
	h ^= h >> r
	return h
}

// hllPatLen returns the register ele maps to and the length of the
// 000..1 pattern after the index bits (1..HLLQ+1), as Redis's hllPatLen.
func hllPatLen(ele []byte) (int, uint8) {
	hash := MurmurHash64A(ele, hllSeed)
	index := int(hash & hllPMask)
	hash >>= HLLP
	hash |= 1 << HLLQ // the loop terminates
	count := uint8(1)
	for bit := uint64(1); hash&bit == 0; bit <<= 1 {
		count++
	}
	return index, count
}

// ---------------------------------------------------------------- dense

// denseGet reads register i of the dense registers r. The last register's
// second byte is past the registers: Redis reads the string's terminating
// zero there, so it counts as zero.
func denseGet(r []byte, i int) uint8 {
	byt := i * hllBits / 8
	fb := uint(i * hllBits & 7)
	b0 := r[byt]
	var b1 uint8
	if byt+1 < len(r) {
		b1 = r[byt+1]
	}
	return ((b0 >> fb) | (b1 << (8 - fb))) & hllRegMax
}

func denseSet(r []byte, i int, v uint8) {
	byt := i * hllBits / 8
	fb := uint(i * hllBits & 7)
	fb8 := 8 - fb
	r[byt] &^= hllRegMax << fb
	r[byt] |= v << fb
	if byt+1 < len(r) {
		r[byt+1] &^= hllRegMax >> fb8
		r[byt+1] |= v >> fb8
	}
}

// hllDenseSet raises register index to count, reporting 1 if it changed.
func hllDenseSet(r []byte, index int, count uint8) int {
	if count > denseGet(r, index) {
		denseSet(r, index, count)
		return 1
	}
	return 0
}

// HLLDenseRegister returns register i of a dense value.
func HLLDenseRegister(b []byte, i int) uint8 { return denseGet(b[HLLHdrSize:], i) }

// ---------------------------------------------------------------- sparse

func isZero(c byte) bool  { return c&0xc0 == 0 }
func isXZero(c byte) bool { return c&0xc0 == 0x40 }
func isVal(c byte) bool   { return c&0x80 != 0 }
func zeroLen(c byte) int  { return int(c&0x3f) + 1 }
func valValue(c byte) int { return int(c>>2&0x1f) + 1 }
func valLen(c byte) int   { return int(c&3) + 1 }

// xzeroLen decodes the XZERO at p. A truncated XZERO (the value's last
// byte) reads the byte after the value: in Redis that is the string's
// terminator, normally zero (see terminator).
func xzeroLen(b []byte, p int) int {
	var lo byte
	if p+1 < len(b) {
		lo = b[p+1]
	} else if p+1 == len(b) {
		lo = terminator(b)
	}
	return (int(b[p]&0x3f)<<8 | int(lo)) + 1
}

// terminator is the byte just past a value, kept in the slice's spare
// capacity. Redis strings end with a zero there that every length change
// rewrites; only one corrupted case overwrites it (a split of an XZERO cut
// short at the value's end writes one byte past the new length), and
// later reads of that truncated XZERO see the byte. Keeping it makes
// Ferrite evolve such corrupted values exactly as Redis does.
func terminator(b []byte) byte {
	if cap(b) > len(b) {
		return b[:len(b)+1][len(b)]
	}
	return 0
}

// setLen resizes b to n bytes (new bytes zero) and zeroes the terminator,
// as sdsIncrLen does.
func setLen(b []byte, n int) []byte {
	if n > len(b) {
		b = append(b, make([]byte, n-len(b)+1)...)
	}
	b = b[:n+1]
	b[n] = 0
	return b[:n]
}

func valOp(v, n int) byte { return byte((v-1)<<2|(n-1)) | 0x80 }

func appendXZero(b []byte, n int) []byte {
	n--
	return append(b, byte(n>>8)|0x40, byte(n))
}

func appendZeros(b []byte, n int) []byte {
	if n > sparseZeroLen {
		return appendXZero(b, n)
	}
	return append(b, byte(n-1))
}

// hllSparseToDense converts a sparse value to dense (copying the header
// and its cached cardinality). It reports false when the opcodes do not
// cover exactly the 16384 registers.
func hllSparseToDense(b []byte) ([]byte, bool) {
	if b[4] == HLLDense {
		return b, true
	}
	dense := make([]byte, HLLDenseSize)
	copy(dense, b[:HLLHdrSize])
	dense[4] = HLLDense
	r := dense[HLLHdrSize:]
	idx := 0
	for p := HLLHdrSize; p < len(b); {
		c := b[p]
		switch {
		case isZero(c):
			n := zeroLen(c)
			if idx+n > HLLRegisters {
				return b, false
			}
			idx += n
			p++
		case isXZero(c):
			n := xzeroLen(b, p)
			if idx+n > HLLRegisters {
				return b, false
			}
			idx += n
			p += 2
		default:
			n, v := valLen(c), uint8(valValue(c))
			if idx+n > HLLRegisters {
				return b, false
			}
			for ; n > 0; n-- {
				denseSet(r, idx, v)
				idx++
			}
			p++
		}
	}
	if idx != HLLRegisters {
		return b, false
	}
	return dense, true
}

// HLLToDense converts a sparse value to dense; it returns the value
// unchanged for a dense one and false for a corrupted sparse one.
func HLLToDense(b []byte) ([]byte, bool) { return hllSparseToDense(b) }

// hllSparseSet raises register index to count in a sparse value, as
// Redis's hllSparseSet: the opcode covering the register is split in
// place (at worst XZERO into XZERO-VAL-XZERO), then adjacent equal VALs
// are merged. It converts to dense when count does not fit a VAL or the
// value would outgrow maxBytes. It returns the value and 1 if the register
// changed, 0 if not, -1 if the value is corrupted.
func hllSparseSet(b []byte, index int, count uint8, maxBytes int64) ([]byte, int) {
	if count > sparseValMax {
		return hllPromote(b, index, count)
	}
	end := len(b)
	p, prev, first, span := HLLHdrSize, -1, 0, 0
	for p < end {
		oplen := 1
		switch c := b[p]; {
		case isZero(c):
			span = zeroLen(c)
		case isVal(c):
			span = valLen(c)
		default:
			span = xzeroLen(b, p)
			oplen = 2
		}
		if index <= first+span-1 {
			break
		}
		prev = p
		p += oplen
		first += span
	}
	if span == 0 || p >= end {
		return b, -1
	}
	c := b[p]
	next := p + 1
	if isXZero(c) {
		next = p + 2
	}
	if next >= end {
		next = -1
	}
	var runlen int
	switch {
	case isZero(c):
		runlen = zeroLen(c)
	case isXZero(c):
		runlen = xzeroLen(b, p)
	default:
		runlen = valLen(c)
		if valValue(c) >= int(count) {
			return b, 0
		}
	}
	// A register alone in its opcode is rewritten in place.
	if runlen == 1 && !isXZero(c) {
		b[p] = valOp(int(count), 1)
		return hllSparseMerge(b, prev), 1
	}
	var seqBuf [5]byte
	seq := seqBuf[:0]
	last := first + span - 1
	if !isVal(c) {
		if index != first {
			seq = appendZeros(seq, index-first)
		}
		seq = append(seq, valOp(int(count), 1))
		if index != last {
			seq = appendZeros(seq, last-index)
		}
	} else {
		cur := valValue(c)
		if index != first {
			seq = append(seq, valOp(cur, index-first))
		}
		seq = append(seq, valOp(int(count), 1))
		if index != last {
			seq = append(seq, valOp(cur, last-index))
		}
	}
	oldlen := 1
	if isXZero(c) {
		oldlen = 2
	}
	delta := len(seq) - oldlen
	if delta > 0 && int64(len(b)+delta) > maxBytes {
		return hllPromote(b, index, count)
	}
	if delta > 0 {
		b = setLen(b, end+delta)
	}
	if delta != 0 && next >= 0 {
		copy(b[next+delta:], b[next:end])
	}
	b = setLen(b, end+delta) // sdsIncrLen zeroes the terminator even for delta 0
	// Without a next opcode (a truncated final XZERO) the last byte of seq
	// lands past the new end, where Redis's memcpy puts it too.
	if n := copy(b[p:], seq); n < len(seq) {
		b[:len(b)+1][len(b)] = seq[n]
	}
	return hllSparseMerge(b, prev), 1
}

// hllSparseMerge merges adjacent VAL opcodes of equal value, scanning up
// to five opcodes from prev (the opcode before the one just changed), and
// marks the cached cardinality stale.
func hllSparseMerge(b []byte, prev int) []byte {
	p := HLLHdrSize
	if prev >= 0 {
		p = prev
	}
	end := len(b)
	for scan := 5; p < end && scan > 0; scan-- {
		c := b[p]
		if isXZero(c) {
			p += 2
			continue
		}
		if isZero(c) {
			p++
			continue
		}
		if p+1 < end && isVal(b[p+1]) {
			v := valValue(c)
			if v == valValue(b[p+1]) {
				if n := valLen(c) + valLen(b[p+1]); n <= sparseValLen {
					b[p+1] = valOp(v, n)
					copy(b[p:], b[p+1:end])
					end--
					b = setLen(b, end)
					// Retry at p: the merged VAL may merge on its right.
					continue
				}
			}
		}
		p++
	}
	HLLInvalidateCache(b)
	return b
}

func hllPromote(b []byte, index int, count uint8) ([]byte, int) {
	d, ok := hllSparseToDense(b)
	if !ok {
		return b, -1
	}
	return d, hllDenseSet(d[HLLHdrSize:], index, count)
}

// HLLSet raises register index to count in a value of either encoding
// (Redis's hllSparseSet/hllDenseSet), with the same results as hllSparseSet.
func HLLSet(b []byte, index int, count uint8, sparseMaxBytes int64) ([]byte, int) {
	switch b[4] {
	case HLLDense:
		return b, hllDenseSet(b[HLLHdrSize:], index, count)
	case HLLSparse:
		return hllSparseSet(b, index, count, sparseMaxBytes)
	}
	return b, -1
}

// HLLAdd adds ele (Redis's hllAdd): 1 if a register changed, 0 if not,
// -1 for a corrupted value. The cached cardinality is left to the caller.
func HLLAdd(b []byte, ele []byte, sparseMaxBytes int64) ([]byte, int) {
	index, count := hllPatLen(ele)
	return HLLSet(b, index, count, sparseMaxBytes)
}

// ---------------------------------------------------------------- counting

// hllRegHisto counts registers by value; false for a corrupted sparse value.
func hllRegHisto(b []byte, h *[64]int) bool {
	if b[4] == HLLDense {
		r := b[HLLHdrSize:]
		for i := 0; i < HLLRegisters; i++ {
			h[denseGet(r, i)]++
		}
		return true
	}
	idx := 0
	for p := HLLHdrSize; p < len(b); {
		c := b[p]
		switch {
		case isZero(c):
			n := zeroLen(c)
			idx += n
			h[0] += n
			p++
		case isXZero(c):
			n := xzeroLen(b, p)
			idx += n
			h[0] += n
			p += 2
		default:
			n := valLen(c)
			idx += n
			h[valValue(c)] += n
			p++
		}
	}
	return idx == HLLRegisters
}

// hllSigma and hllTau are the series of Otmar Ertl's improved estimator
// ("New cardinality estimation algorithms for HyperLogLog sketches",
// 2017) as Redis 7.0 computes them. The float64 conversions forbid fused
// multiply-adds so every platform rounds as Redis's C does.
func hllSigma(x float64) float64 {
	if x == 1 {
		return math.Inf(1)
	}
	y, z := 1.0, x
	for {
		x = float64(x * x)
		zp := z
		z += float64(x * y)
		y += y
		if zp == z {
			return z
		}
	}
}

func hllTau(x float64) float64 {
	if x == 0 || x == 1 {
		return 0
	}
	y, z := 1.0, 1-x
	for {
		x = math.Sqrt(x)
		zp := z
		y *= 0.5
		d := 1 - x
		z -= float64(float64(d*d) * y)
		if zp == z {
			return z / 3
		}
	}
}

// hllEstimate is Redis 7.0's hllCount on a register histogram.
func hllEstimate(h *[64]int) uint64 {
	const m = float64(HLLRegisters)
	z := float64(m * hllTau((m-float64(h[HLLQ+1]))/m))
	for j := HLLQ; j >= 1; j-- {
		z += float64(h[j])
		z *= 0.5
	}
	z += float64(m * hllSigma(float64(h[0])/m))
	return uint64(math.Round(float64(float64(hllAlphaInf*m)*m) / z))
}

// HLLCount estimates the cardinality of a value that passed IsHLL,
// ignoring the cache; false for a corrupted sparse value.
func HLLCount(b []byte) (uint64, bool) {
	var h [64]int
	ok := hllRegHisto(b, &h)
	return hllEstimate(&h), ok
}

// HLLRegs is one byte per register: PFCOUNT of several keys and PFMERGE
// merge into it (Redis's HLL_RAW representation).
type HLLRegs [HLLRegisters]uint8

// Merge raises each register of m to the value's; false for a corrupted
// sparse value (m may then be partly merged, as in Redis).
func (m *HLLRegs) Merge(b []byte) bool {
	if b[4] == HLLDense {
		r := b[HLLHdrSize:]
		for i := range m {
			if v := denseGet(r, i); v > m[i] {
				m[i] = v
			}
		}
		return true
	}
	i := 0
	for p := HLLHdrSize; p < len(b); {
		c := b[p]
		switch {
		case isZero(c):
			i += zeroLen(c)
			p++
		case isXZero(c):
			i += xzeroLen(b, p)
			p += 2
		default:
			n, v := valLen(c), uint8(valValue(c))
			if i+n > HLLRegisters {
				return false
			}
			for ; n > 0; n-- {
				if v > m[i] {
					m[i] = v
				}
				i++
			}
			p++
		}
	}
	return i == HLLRegisters
}

// Count estimates the cardinality of the merged registers.
func (m *HLLRegs) Count() uint64 {
	var h [64]int
	for _, v := range m {
		h[v]++
	}
	return hllEstimate(&h)
}

// HLLDecode is PFDEBUG DECODE's text for a sparse value: "z:len" for
// ZERO, "Z:len" for XZERO, "v:value,len" for VAL, space separated.
func HLLDecode(b []byte) string {
	var sb strings.Builder
	for p := HLLHdrSize; p < len(b); {
		c := b[p]
		switch {
		case isZero(c):
			sb.WriteString("z:")
			sb.WriteString(strconv.Itoa(zeroLen(c)))
			p++
		case isXZero(c):
			sb.WriteString("Z:")
			sb.WriteString(strconv.Itoa(xzeroLen(b, p)))
			p += 2
		default:
			sb.WriteString("v:")
			sb.WriteString(strconv.Itoa(valValue(c)))
			sb.WriteByte(',')
			sb.WriteString(strconv.Itoa(valLen(c)))
			p++
		}
		sb.WriteByte(' ')
	}
	return strings.Trim(sb.String(), " ")
}

// HLLSelfTest checks that dense registers hold any 6-bit value without
// disturbing their neighbours, and that sparse and dense values built from
// the same elements agree register for register and count alike. next is
// the caller's random source. It returns "" or a description of the failure.
func HLLSelfTest(next func() uint64) string {
	r := make([]byte, HLLDenseSize-HLLHdrSize)
	var want HLLRegs
	for cycle := 0; cycle < 100; cycle++ {
		for i := range want {
			v := uint8(next() & hllRegMax)
			want[i] = v
			denseSet(r, i, v)
		}
		for i := range want {
			if got := denseGet(r, i); got != want[i] {
				return "TESTFAILED Register " + strconv.Itoa(i) + " should be " +
					strconv.Itoa(int(want[i])) + " but is " + strconv.Itoa(int(got))
			}
		}
	}
	sparse := NewHLL()
	dense, _ := hllSparseToDense(NewHLL())
	var ele [8]byte
	for n := 1; n <= 20000; n++ {
		binary.LittleEndian.PutUint64(ele[:], next())
		var r1, r2 int
		sparse, r1 = HLLAdd(sparse, ele[:], 1<<20)
		dense, r2 = HLLAdd(dense, ele[:], 0)
		if r1 != r2 || r1 < 0 {
			return "TESTFAILED sparse and dense add disagree after " + strconv.Itoa(n) + " elements"
		}
		if n%1000 == 0 {
			c1, ok1 := HLLCount(sparse)
			c2, ok2 := HLLCount(dense)
			if !ok1 || !ok2 || c1 != c2 {
				return "TESTFAILED sparse and dense count disagree after " + strconv.Itoa(n) + " elements"
			}
		}
	}
	return ""
}
