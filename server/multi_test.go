package server

import (
	"strings"
	"testing"
	"time"
)

// TestMultiMatchesRedis replays a transaction script on redis-server and
// Ferrite side by side (RESP2 and RESP3): queuing, EXECABORT, runtime
// errors without rollback, nesting and WATCH errors, blocking commands
// answering at once inside EXEC, WATCH invalidated by another write,
// UNWATCH queued, DISCARD.
func TestMultiMatchesRedis(t *testing.T) {
	r := startRedis(t)
	s := startServer(t)
	f := dial(t, s)
	script := []string{
		"EXEC", "DISCARD", "MULTI", "MULTI", "WATCH k", "SET a 1", "GET a", "EXEC",
		"MULTI", "SET b 2", "EXEC",
		"MULTI", "SET c 1", "FOO", "SET d", "EXEC",
		"MULTI", "INCR a", "LPUSH a x", "EXEC",
		"MULTI", "BLPOP nolist 0", "BLMOVE x y LEFT LEFT 0", "BZPOPMIN z 0", "BLMPOP 0 1 l LEFT", "EXEC",
		"WATCH w", "SET w 1", "MULTI", "SET w2 1", "EXEC",
		"UNWATCH", "MULTI", "UNWATCH", "EXEC", "WATCH a", "MULTI", "DISCARD", "EXEC",
		"WATCH a b", "WATCH a", "MULTI", "GET a", "PING", "EXEC",
		"MULTI", "EXEC",
		"MULTI", "SELECT 2", "SET k v", "EXEC", "SELECT 0",
	}
	for _, proto := range []string{"2", "3"} {
		r.Do("HELLO", proto)
		f.Do("HELLO", proto)
		r.Do("FLUSHALL")
		f.Do("FLUSHALL")
		for _, line := range script {
			args := strings.Fields(line)
			if got, want := f.Do(args...), r.Do(args...); got != want {
				t.Errorf("RESP%s %s: got %q, want %q", proto, line, got, want)
			}
		}
	}
}

// TestWatchInvalidation: a watched key changed by another client, by
// FLUSHDB, by SWAPDB or by expiry makes EXEC answer a null array; a key
// that was untouched lets it run.
func TestWatchInvalidation(t *testing.T) {
	e := newKeysEnv(t)
	other := dial(t, e.s)
	run := func(setup func(), wantNull bool) {
		t.Helper()
		e.c.expect("+OK\r\n", "WATCH", "k")
		setup()
		e.c.expect("+OK\r\n", "MULTI")
		e.c.expect("+QUEUED\r\n", "PING")
		want := "*1\r\n+PONG\r\n"
		if wantNull {
			want = "*-1\r\n"
		}
		e.c.expect(want, "EXEC")
	}
	other.Do("SET", "k", "1")
	run(func() {}, false)
	run(func() { other.Do("SET", "k", "2") }, true)
	run(func() { other.Do("SET", "unrelated", "2") }, false)
	run(func() { other.Do("FLUSHDB") }, true)
	run(func() { other.Do("FLUSHDB") }, false) // k no longer exists: nothing changed
	other.Do("SELECT", "1")
	other.Do("SET", "k", "in db1")
	run(func() { other.Do("SWAPDB", "0", "1") }, true)
	other.Do("SELECT", "0")
	other.Do("SET", "k", "v", "PX", "100")
	e.c.expect("+OK\r\n", "WATCH", "k")
	e.advance(200 * time.Millisecond)
	e.c.expect("+OK\r\n", "MULTI")
	e.c.expect("+QUEUED\r\n", "PING")
	e.c.expect("*-1\r\n", "EXEC") // the watched key expired meanwhile
}

// TestMultiPropagation: a transaction propagates its changes once, wrapped
// in MULTI/EXEC when there is more than one (a single change, or reads
// only, go unwrapped), as redis-server 7.0.15's AOF shows.
func TestMultiPropagation(t *testing.T) {
	e := newKeysEnv(t)
	for _, line := range []string{"MULTI", "SET a 1", "GET a", "EXEC"} {
		e.c.Do(strings.Fields(line)...)
	}
	e.expectFeed("0 SET a 1")
	for _, line := range []string{"MULTI", "SET b 2", "INCR a", "LPUSH a x", "EXEC"} {
		e.c.Do(strings.Fields(line)...)
	}
	e.expectFeed("0 MULTI", "0 SET b 2", "0 INCR a", "0 EXEC")
	for _, line := range []string{"MULTI", "GET a", "EXEC"} {
		e.c.Do(strings.Fields(line)...)
	}
	e.expectFeed()
}

// TestMultiServesBlockedClients: a push inside EXEC serves a client
// blocked on the key once the transaction is done.
func TestMultiServesBlockedClients(t *testing.T) {
	s := startServer(t)
	b, c := dial(t, s), dial(t, s)
	b.Send("BLPOP", "q", "0")
	waitBlockedClients(t, s, 1)
	c.expect("+OK\r\n", "MULTI")
	c.expect("+QUEUED\r\n", "RPUSH", "q", "v")
	c.expect("*1\r\n:1\r\n", "EXEC")
	if got := b.Read(); got != "*2\r\n$1\r\nq\r\n$1\r\nv\r\n" {
		t.Errorf("blocked client got %q", got)
	}
}
