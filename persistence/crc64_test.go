package persistence

import (
	"math/rand"
	"testing"
)

func TestCRC64Vector(t *testing.T) {
	if got := CRC64(0, []byte("123456789")); got != 0xe9c6d914c4b8d9ca {
		t.Fatalf("crc64(123456789) = %#x, want 0xe9c6d914c4b8d9ca", got)
	}
	if got := CRC64(0, nil); got != 0 {
		t.Fatalf("crc64(empty) = %#x, want 0", got)
	}
}

// TestCRC64Slicing checks the 8-byte path against the byte-at-a-time one
// and that the checksum can be continued across splits.
func TestCRC64Slicing(t *testing.T) {
	rnd := rand.New(rand.NewSource(1))
	p := make([]byte, 1000)
	rnd.Read(p)
	slow := uint64(0)
	for _, b := range p {
		slow = crc64Tab[0][byte(slow)^b] ^ slow>>8
	}
	if fast := CRC64(0, p); fast != slow {
		t.Fatalf("slicing-by-8 %#x != bytewise %#x", fast, slow)
	}
	for _, cut := range []int{0, 1, 7, 8, 9, 500, 999} {
		if got := CRC64(CRC64(0, p[:cut]), p[cut:]); got != slow {
			t.Fatalf("split at %d: %#x != %#x", cut, got, slow)
		}
	}
}
