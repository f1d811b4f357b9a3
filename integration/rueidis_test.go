package integration

import (
	"context"
	"testing"
	"time"

	"github.com/redis/rueidis"
)

// TestRueidisClientSideCaching uses rueidis with its client cache on: it
// speaks RESP3, turns on CLIENT TRACKING (OPTIN, with CLIENT CACHING YES
// before each cached read) and drops cached values when invalidation
// pushes arrive. A value read through the cache must change after another
// client writes the key, and a FLUSHALL must empty the cache.
func TestRueidisClientSideCaching(t *testing.T) {
	fer := startFerrite(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cached, err := rueidis.NewClient(rueidis.ClientOption{InitAddress: []string{fer.Addr}, DisableRetry: true})
	if err != nil {
		t.Fatal(err)
	}
	defer cached.Close()
	writer := fer.dial(t)

	writer.expect("+OK\r\n", "SET", "k", "v1")
	read := func() (string, bool) {
		t.Helper()
		r := cached.DoCache(ctx, cached.B().Get().Key("k").Cache(), time.Minute)
		v, err := r.ToString()
		if err != nil && !rueidis.IsRedisNil(err) {
			t.Fatal(err)
		}
		return v, r.IsCacheHit()
	}
	if v, hit := read(); v != "v1" || hit {
		t.Fatalf("first read: %q hit=%v, want v1 from the server", v, hit)
	}
	if v, hit := read(); v != "v1" || !hit {
		t.Fatalf("second read: %q hit=%v, want v1 from the cache", v, hit)
	}
	writer.expect("+OK\r\n", "SET", "k", "v2")
	// The invalidation arrives asynchronously: poll until the cache
	// gives the new value.
	deadline := time.Now().Add(5 * time.Second)
	for {
		v, _ := read()
		if v == "v2" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("cached value still %q after SET k v2", v)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if v, hit := read(); v != "v2" || !hit {
		t.Fatalf("read after refresh: %q hit=%v", v, hit)
	}
	writer.expect("+OK\r\n", "FLUSHALL")
	for {
		v, hit := read()
		if v == "" && !hit {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after FLUSHALL the cache still gives %q (hit=%v)", v, hit)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
