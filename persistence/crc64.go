package persistence

// CRC-64 as Redis's crc64.c computes it: the Jones polynomial
// 0xad93d23594c935a9, reflected input and output, initial value 0 and no
// final xor. (hash/crc64 always inverts before and after, so it cannot be
// used.) It checksums RDB files and DUMP payloads; the test vector is
// crc64(0, "123456789") = 0xe9c6d914c4b8d9ca.

// crc64Poly is the Jones polynomial bit-reversed, for the reflected
// (LSB-first) table algorithm.
const crc64Poly = 0x95ac9329ac4bc9b5

// crc64Tab is a slicing-by-8 table: crc64Tab[0] is the classic byte table,
// crc64Tab[k][b] advances a byte k positions further.
var crc64Tab = func() (t [8][256]uint64) {
	for i := 0; i < 256; i++ {
		c := uint64(i)
		for j := 0; j < 8; j++ {
			if c&1 != 0 {
				c = c>>1 ^ crc64Poly
			} else {
				c >>= 1
			}
		}
		t[0][i] = c
	}
	for i := 0; i < 256; i++ {
		c := t[0][i]
		for k := 1; k < 8; k++ {
			c = t[0][c&0xff] ^ c>>8
			t[k][i] = c
		}
	}
	return t
}()

// CRC64 continues crc over p: CRC64(CRC64(0, a), b) == CRC64(0, a+b).
func CRC64(crc uint64, p []byte) uint64 {
	for len(p) >= 8 {
		crc ^= uint64(p[0]) | uint64(p[1])<<8 | uint64(p[2])<<16 | uint64(p[3])<<24 |
			uint64(p[4])<<32 | uint64(p[5])<<40 | uint64(p[6])<<48 | uint64(p[7])<<56
		crc = crc64Tab[7][crc&0xff] ^ crc64Tab[6][crc>>8&0xff] ^ crc64Tab[5][crc>>16&0xff] ^
			crc64Tab[4][crc>>24&0xff] ^ crc64Tab[3][crc>>32&0xff] ^ crc64Tab[2][crc>>40&0xff] ^
			crc64Tab[1][crc>>48&0xff] ^ crc64Tab[0][crc>>56]
		p = p[8:]
	}
	for _, b := range p {
		crc = crc64Tab[0][byte(crc)^b] ^ crc>>8
	}
	return crc
}
