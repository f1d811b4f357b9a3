package server

import (
	"strings"
	"testing"
)

// The protocol of client-side caching is compared with redis-server in
// integration/tracking_test.go; this covers the table limit, which needs
// the cron to run.
func TestTrackingTableMaxKeys(t *testing.T) {
	s := startServer(t)
	c := dial(t, s)
	c.Do("HELLO", "3")
	c.expect("+OK\r\n", "CLIENT", "TRACKING", "ON")
	c.expect("+OK\r\n", "CONFIG", "SET", "tracking-table-max-keys", "2")
	for _, k := range []string{"a", "b", "c", "d", "e"} {
		c.expect("_\r\n", "GET", k)
	}
	info := c.Do("INFO", "stats")
	if !strings.Contains(info, "tracking_total_keys:5\r\n") || !strings.Contains(info, "tracking_total_items:5\r\n") {
		t.Fatalf("INFO stats: %q", info)
	}
	s.mu.Lock()
	s.trackingLimitUsedSlots()
	n := len(s.tracking.keys)
	s.mu.Unlock()
	if n != 2 {
		t.Fatalf("%d keys left in the tracking table, want 2", n)
	}
	// The three evicted keys were announced as invalidated.
	for range 3 {
		if m := c.Read(); !strings.HasPrefix(m, ">2\r\n$10\r\ninvalidate\r\n*1\r\n") {
			t.Fatalf("got %q, want an invalidation", m)
		}
	}
	if !strings.Contains(c.Do("INFO", "clients"), "tracking_clients:1\r\n") {
		t.Fatal("tracking_clients is not 1")
	}
	if !strings.Contains(c.Do("CLIENT", "INFO"), " flags=t ") {
		t.Fatal("CLIENT INFO does not show the t flag")
	}
}
