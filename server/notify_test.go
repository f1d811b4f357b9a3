package server

import (
	"strings"
	"testing"
	"time"
)

// The event names per command are compared with redis-server by every
// differential test in integration/ (diff_events_test.go); these tests
// cover what a command stream cannot: expiry and eviction in the
// background, flag classes, and a RESP3 client receiving its own events.

// readEvents reads n pub/sub messages from sub, as "channel payload".
func readEvents(t *testing.T, sub *testConn, n int) []string {
	t.Helper()
	var out []string
	for range n {
		v := sub.Read()
		parts := strings.Split(v, "\r\n")
		// *4 $8 pmessage $p pattern $c channel $m message
		if len(parts) < 9 {
			t.Fatalf("not a pmessage: %q", v)
		}
		out = append(out, parts[6]+" "+parts[8])
	}
	return out
}

func TestNotifyExpiredEvictedAndClasses(t *testing.T) {
	e := newClockEnv(t, &feedRecorder{sep: " "})
	sub := dial(t, e.s)
	e.c.expect("+OK\r\n", "CONFIG", "SET", "notify-keyspace-events", "Ex$")
	e.c.expect("*2\r\n$22\r\nnotify-keyspace-events\r\n$3\r\n$xE\r\n", "CONFIG", "GET", "notify-keyspace-events")
	sub.expect("*3\r\n$10\r\npsubscribe\r\n$1\r\n*\r\n:1\r\n", "PSUBSCRIBE", "*")

	// Only keyevent messages ('E'), only string and expired classes:
	// the generic "expire" event of SET ... PX is not sent.
	e.c.expect("+OK\r\n", "SET", "k", "v", "PX", "100")
	e.c.expect(":1\r\n", "LPUSH", "l", "a") // list class off
	e.advance(200 * time.Millisecond)
	e.c.expect("$-1\r\n", "GET", "k") // lazy expiry
	got := readEvents(t, sub, 2)
	want := []string{"__keyevent@0__:set k", "__keyevent@0__:expired k"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("events %q, want %q", got, want)
	}

	// Active expiry publishes from the background, with no client.
	e.c.expect("+OK\r\n", "CONFIG", "SET", "notify-keyspace-events", "Kx")
	e.c.expect("+OK\r\n", "SET", "k2", "v", "PX", "100")
	e.advance(200 * time.Millisecond)
	e.s.mu.Lock()
	e.s.activeExpireCycle()
	e.s.mu.Unlock()
	if got := readEvents(t, sub, 1); got[0] != "__keyspace@0__:k2 expired" {
		t.Fatalf("active expiry event %q", got)
	}

	// Eviction: maxmemory 1 byte evicts on the next write.
	e.c.expect("+OK\r\n", "CONFIG", "SET", "notify-keyspace-events", "Ee")
	e.c.expect("+OK\r\n", "CONFIG", "SET", "maxmemory-policy", "allkeys-random")
	e.c.expect("+OK\r\n", "CONFIG", "SET", "maxmemory", "1")
	e.c.Do("SET", "k3", "v")
	if got := readEvents(t, sub, 1); !strings.HasPrefix(got[0], "__keyevent@0__:evicted ") {
		t.Fatalf("eviction event %q", got)
	}
}

// A RESP3 client subscribed to its own events gets the push before the
// command's reply, as Redis 7.0 writes it while the command runs.
func TestNotifySelfRESP3(t *testing.T) {
	s := startServer(t)
	c := dial(t, s)
	c.Do("HELLO", "3")
	c.expect("+OK\r\n", "CONFIG", "SET", "notify-keyspace-events", "KEA")
	c.Do("SUBSCRIBE", "__keyevent@0__:del")
	c.Do("SET", "a", "1")
	got := c.Do("DEL", "a")
	want := ">3\r\n$7\r\nmessage\r\n$18\r\n__keyevent@0__:del\r\n$1\r\na\r\n"
	if got != want {
		t.Fatalf("first reply %q, want the push %q", got, want)
	}
	if r := c.Read(); r != ":1\r\n" {
		t.Fatalf("then %q, want :1", r)
	}
}
