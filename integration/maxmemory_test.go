package integration

import (
	"strconv"
	"strings"
	"testing"
)

// TestMaxmemoryAfterFlushall: right after FLUSHALL the dataset's memory is
// garbage the Go collector has not reclaimed yet. Redis frees it at once,
// so a write that follows must succeed, not get -OOM (with every policy:
// there is nothing left to evict).
func TestMaxmemoryAfterFlushall(t *testing.T) {
	for _, policy := range []string{"allkeys-lru", "noeviction"} {
		t.Run(policy, func(t *testing.T) {
			fer := startFerrite(t, "--maxmemory", "50mb", "--maxmemory-policy", "allkeys-lru")
			c := fer.dial(t)
			value := strings.Repeat("v", 100)
			// About 600k keys (some 120MB) written: past maxmemory, so the
			// server is at its limit.
			for i := 0; i < 600000; i += 500 {
				for j := i; j < i+500; j++ {
					if err := c.SendErr("SET", "key:"+strconv.Itoa(j), value); err != nil {
						t.Fatal(err)
					}
				}
				for j := i; j < i+500; j++ {
					if r, err := c.ReadErr(); err != nil || r != "+OK\r\n" {
						t.Fatalf("SET: %q, %v", r, err)
					}
				}
			}
			c.expect("+OK\r\n", "CONFIG", "SET", "maxmemory-policy", policy)
			c.expect("+OK\r\n", "FLUSHALL")
			c.expect("+OK\r\n", "SET", "after", "flush")
			c.expect(":1\r\n", "DBSIZE")
		})
	}
}
