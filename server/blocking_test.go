package server

import (
	"strings"
	"testing"
	"time"
)

// waitBlockedClients polls until n clients are blocked.
func waitBlockedClients(t *testing.T, s *Server, n int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		s.mu.Lock()
		got := s.blockedCount
		s.mu.Unlock()
		if got == n {
			return
		}
	}
	t.Fatalf("blocked clients never reached %d", n)
}

// TestBlockingServedInOrder: clients blocked on a key are served in the
// order they blocked, each with one element, when a push arrives.
func TestBlockingServedInOrder(t *testing.T) {
	s := startServer(t)
	a, b, p := dial(t, s), dial(t, s), dial(t, s)
	a.Send("BLPOP", "k", "other", "0")
	waitBlockedClients(t, s, 1)
	b.Send("BRPOP", "k", "0")
	waitBlockedClients(t, s, 2)
	p.expect(":3\r\n", "RPUSH", "k", "x", "y", "z")
	if got := a.Read(); got != "*2\r\n$1\r\nk\r\n$1\r\nx\r\n" {
		t.Errorf("first blocked client got %q", got)
	}
	if got := b.Read(); got != "*2\r\n$1\r\nk\r\n$1\r\nz\r\n" {
		t.Errorf("second blocked client got %q", got)
	}
	p.expect("*1\r\n$1\r\ny\r\n", "LRANGE", "k", "0", "-1")
	waitBlockedClients(t, s, 0)
}

// TestBlockingTimeout: the timeout reply is a null array (RESP2 *-1,
// RESP3 _) for every blocking list command, after the timeout.
func TestBlockingTimeout(t *testing.T) {
	s := startServer(t)
	c := dial(t, s)
	for _, proto := range []string{"2", "3"} {
		c.Do("HELLO", proto)
		want := "*-1\r\n"
		if proto == "3" {
			want = "_\r\n"
		}
		for _, args := range [][]string{
			{"BLPOP", "a", "b", "0.05"}, {"BRPOP", "a", "0.05"}, {"BRPOPLPUSH", "a", "b", "0.05"},
			{"BLMOVE", "a", "b", "LEFT", "RIGHT", "0.05"}, {"BLMPOP", "0.05", "2", "a", "b", "LEFT", "COUNT", "2"},
		} {
			start := time.Now()
			if got := c.Do(args...); got != want {
				t.Errorf("RESP%s %v: got %q, want %q", proto, args, got, want)
			}
			if d := time.Since(start); d < 50*time.Millisecond {
				t.Errorf("%v returned after %v, before its timeout", args, d)
			}
		}
	}
}

// TestBlockingErrors: argument errors and WRONGTYPE come at once, with
// Redis 7.0's texts (checked on redis-server 7.0.15).
func TestBlockingErrors(t *testing.T) {
	s := startServer(t)
	c := dial(t, s)
	c.Do("SET", "str", "v")
	for _, tc := range []struct {
		want string
		args []string
	}{
		{"-ERR timeout is not a float or out of range\r\n", []string{"BLPOP", "k", "abc"}},
		{"-ERR timeout is negative\r\n", []string{"BLPOP", "k", "-1"}},
		{"-ERR timeout is negative\r\n", []string{"BLPOP", "k", "1e100"}},
		{"-ERR timeout is negative\r\n", []string{"BLPOP", "k", "inf"}},
		{"-ERR numkeys should be greater than 0\r\n", []string{"BLMPOP", "0.1", "0", "k", "LEFT"}},
		{"-ERR syntax error\r\n", []string{"BLMPOP", "0.1", "1", "k", "UP"}},
		{"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", []string{"BLPOP", "str", "0"}},
		{"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", []string{"BLMOVE", "str", "d", "LEFT", "LEFT", "0"}},
		{"-ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR\r\n", []string{"CLIENT", "UNBLOCK", "1", "foo"}},
		{"-ERR value is not an integer or out of range\r\n", []string{"CLIENT", "UNBLOCK", "abc"}},
		{":0\r\n", []string{"CLIENT", "UNBLOCK", "99999"}},
	} {
		c.expect(tc.want, tc.args...)
	}
}

// TestBlockingUnblock: CLIENT UNBLOCK ends a wait with the timeout reply
// or the UNBLOCKED error.
func TestBlockingUnblock(t *testing.T) {
	s := startServer(t)
	b, ctl := dial(t, s), dial(t, s)
	id := clientID(t, b)
	b.Send("BLPOP", "k", "0")
	waitBlockedClients(t, s, 1)
	ctl.expect(":1\r\n", "CLIENT", "UNBLOCK", id)
	if got := b.Read(); got != "*-1\r\n" {
		t.Errorf("after UNBLOCK: %q", got)
	}
	b.Send("BLMOVE", "k", "d", "LEFT", "LEFT", "0")
	waitBlockedClients(t, s, 1)
	ctl.expect(":1\r\n", "CLIENT", "UNBLOCK", id, "ERROR")
	if got := b.Read(); got != "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n" {
		t.Errorf("after UNBLOCK ERROR: %q", got)
	}
	ctl.expect(":0\r\n", "CLIENT", "UNBLOCK", id)
}

// TestBlockingPipelineWaits: requests pipelined after a blocking command
// wait with it and run, in order, once it is served.
func TestBlockingPipelineWaits(t *testing.T) {
	s := startServer(t)
	b, p := dial(t, s), dial(t, s)
	if _, err := b.conn.Write([]byte("PING first\r\nBLPOP k 0\r\nECHO after\r\n")); err != nil {
		t.Fatal(err)
	}
	if got := b.Read(); got != "$5\r\nfirst\r\n" {
		t.Fatalf("before the block: %q", got)
	}
	waitBlockedClients(t, s, 1)
	p.expect(":1\r\n", "LPUSH", "k", "v")
	if got := b.Read() + b.Read(); got != "*2\r\n$1\r\nk\r\n$1\r\nv\r\n$5\r\nafter\r\n" {
		t.Errorf("served pipeline: %q", got)
	}
}

// TestBlockingDisconnect: a client that disconnects while blocked is
// removed, and a later push is not lost to it.
func TestBlockingDisconnect(t *testing.T) {
	s := startServer(t)
	b, p := dial(t, s), dial(t, s)
	b.Send("BLPOP", "k", "0")
	waitBlockedClients(t, s, 1)
	b.conn.Close()
	waitBlockedClients(t, s, 0)
	p.expect(":1\r\n", "RPUSH", "k", "v")
	p.expect("*1\r\n$1\r\nv\r\n", "LRANGE", "k", "0", "-1")
}

// TestBlockingKill: CLIENT KILL of a blocked client ends its wait.
func TestBlockingKill(t *testing.T) {
	s := startServer(t)
	b, p := dial(t, s), dial(t, s)
	id := clientID(t, b)
	b.Send("BLPOP", "k", "0")
	waitBlockedClients(t, s, 1)
	p.expect(":1\r\n", "CLIENT", "KILL", "ID", id)
	waitBlockedClients(t, s, 0)
	p.expect(":1\r\n", "RPUSH", "k", "v")
	p.expect(":1\r\n", "LLEN", "k")
}

// TestBlockingWrongTypeKeepsWaiting: a key created with another type does
// not wake a list waiter (Redis serves only lists); a list does.
func TestBlockingWrongTypeKeepsWaiting(t *testing.T) {
	s := startServer(t)
	b, p := dial(t, s), dial(t, s)
	b.Send("BLPOP", "k", "0")
	waitBlockedClients(t, s, 1)
	p.expect("+OK\r\n", "SET", "k", "str")
	p.expect(":1\r\n", "DEL", "k")
	p.expect(":1\r\n", "SADD", "k", "m")
	p.expect(":1\r\n", "DEL", "k")
	waitBlockedClients(t, s, 1)
	p.expect(":1\r\n", "RPUSH", "k", "v")
	if got := b.Read(); got != "*2\r\n$1\r\nk\r\n$1\r\nv\r\n" {
		t.Errorf("got %q", got)
	}
}

// TestBlockingChain: BLMOVE served by a push moves the element to a list
// another client is blocked on, which is served in turn.
func TestBlockingChain(t *testing.T) {
	s := startServer(t)
	a, b, p := dial(t, s), dial(t, s), dial(t, s)
	a.Send("BLMOVE", "src", "dst", "RIGHT", "LEFT", "0")
	waitBlockedClients(t, s, 1)
	b.Send("BLPOP", "dst", "0")
	waitBlockedClients(t, s, 2)
	p.expect(":1\r\n", "RPUSH", "src", "v")
	if got := a.Read(); got != "$1\r\nv\r\n" {
		t.Errorf("BLMOVE got %q", got)
	}
	if got := b.Read(); got != "*2\r\n$3\r\ndst\r\n$1\r\nv\r\n" {
		t.Errorf("BLPOP on the destination got %q", got)
	}
	p.expect(":0\r\n", "EXISTS", "src", "dst")
}

// TestBlockingPropagation: blocking commands propagate their non-blocking
// forms, served or not, as redis-server 7.0.15's AOF shows.
func TestBlockingPropagation(t *testing.T) {
	e := newKeysEnv(t)
	e.c.expect(":6\r\n", "RPUSH", "l", "a", "b", "c", "d", "e", "f")
	e.c.expect("*2\r\n$1\r\nl\r\n$1\r\na\r\n", "BLPOP", "l", "0")
	e.c.expect("*2\r\n$1\r\nl\r\n$1\r\nf\r\n", "BRPOP", "l", "0")
	e.c.expect("$1\r\nb\r\n", "BLMOVE", "l", "m", "left", "right", "0")
	e.c.expect("$1\r\ne\r\n", "BRPOPLPUSH", "l", "m", "0")
	e.c.expect("*2\r\n$1\r\nl\r\n*2\r\n$1\r\nd\r\n$1\r\nc\r\n", "BLMPOP", "0", "1", "l", "RIGHT", "COUNT", "5")
	e.expectFeed("0 RPUSH l a b c d e f", "0 LPOP l", "0 RPOP l", "0 LMOVE l m left right",
		"0 RPOPLPUSH l m", "0 RPOP l 2")

	w := dial(t, e.s)
	w.Send("BLMOVE", "y", "z", "left", "right", "0")
	waitBlockedClients(t, e.s, 1)
	e.c.expect(":1\r\n", "RPUSH", "y", "1")
	if got := w.Read(); got != "$1\r\n1\r\n" {
		t.Errorf("served BLMOVE: %q", got)
	}
	w.Send("BLMPOP", "0", "1", "v", "LEFT", "COUNT", "3")
	waitBlockedClients(t, e.s, 1)
	e.c.expect(":2\r\n", "RPUSH", "v", "1", "2")
	w.Read()
	e.expectFeed("0 RPUSH y 1", "0 LMOVE y z left right", "0 RPUSH v 1 2", "0 LPOP v 2")
}

func TestBlockingInfo(t *testing.T) {
	s := startServer(t)
	b, p := dial(t, s), dial(t, s)
	b.Send("BLPOP", "k", "0")
	waitBlockedClients(t, s, 1)
	if info := p.Do("INFO", "clients"); !strings.Contains(info, "blocked_clients:1\r\n") {
		t.Errorf("INFO clients: %q", info)
	}
}

// TestBlockingZset: BZPOPMIN/BZPOPMAX/BZMPOP pop at once when a sorted set
// has members and otherwise wait for one to be created; both paths
// propagate ZPOPMIN/ZPOPMAX as redis-server 7.0.15's AOF shows.
func TestBlockingZset(t *testing.T) {
	e := newKeysEnv(t)
	e.c.expect(":3\r\n", "ZADD", "z", "1", "a", "2", "b", "3", "c")
	e.c.expect("*3\r\n$1\r\nz\r\n$1\r\na\r\n$1\r\n1\r\n", "BZPOPMIN", "z", "0")
	e.c.expect("*2\r\n$1\r\nz\r\n*2\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n", "BZMPOP", "0", "1", "z", "max", "COUNT", "5")
	e.expectFeed("0 ZADD z 1 a 2 b 3 c", "0 ZPOPMIN z", "0 ZPOPMAX z 2")

	w := dial(t, e.s)
	w.Send("BZPOPMAX", "y", "0")
	waitBlockedClients(t, e.s, 1)
	e.c.expect(":2\r\n", "ZADD", "y", "1", "a", "2", "b")
	if got := w.Read(); got != "*3\r\n$1\r\ny\r\n$1\r\nb\r\n$1\r\n2\r\n" {
		t.Errorf("served BZPOPMAX: %q", got)
	}
	w.Send("BZMPOP", "0", "1", "v", "MIN", "COUNT", "2")
	waitBlockedClients(t, e.s, 1)
	e.c.expect(":3\r\n", "ZADD", "v", "1", "a", "2", "b", "3", "c")
	if got := w.Read(); got != "*2\r\n$1\r\nv\r\n*2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n" {
		t.Errorf("served BZMPOP: %q", got)
	}
	e.expectFeed("0 ZADD y 1 a 2 b", "0 ZPOPMAX y", "0 ZADD v 1 a 2 b 3 c", "0 ZPOPMIN v 2")

	w.Do("HELLO", "3")
	if got := w.Do("BZPOPMIN", "none", "0.05"); got != "_\r\n" {
		t.Errorf("RESP3 timeout: %q", got)
	}
}
