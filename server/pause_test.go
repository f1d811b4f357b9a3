package server

import (
	"strings"
	"testing"
	"time"

	"ferrite/server/resp"
)

// readAsync reads one reply of c on another goroutine.
func readAsync(c *testConn) <-chan string {
	ch := make(chan string, 1)
	go func() {
		_ = c.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		b, err := readRawReply(c)
		if err != nil {
			ch <- "error: " + err.Error()
			return
		}
		ch <- b
	}()
	return ch
}

func readRawReply(c *testConn) (string, error) {
	b, err := resp.ReadReply(c.r)
	return string(b), err
}

// expectPending checks that no reply arrives within d.
func expectPending(t *testing.T, ch <-chan string, d time.Duration) {
	t.Helper()
	select {
	case r := <-ch:
		t.Fatalf("reply %q arrived while paused", r)
	case <-time.After(d):
	}
}

func expectReply(t *testing.T, ch <-chan string, want string) {
	t.Helper()
	select {
	case r := <-ch:
		if r != want {
			t.Fatalf("got %q, want %q", r, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no reply after the pause ended")
	}
}

func TestClientPauseWrite(t *testing.T) {
	s := startServer(t)
	a, b := dial(t, s), dial(t, s)
	b.expect("+OK\r\n", "SET", "k", "old")
	bID := clientID(t, b)
	a.expect("+OK\r\n", "CLIENT", "PAUSE", "100000", "WRITE")
	// Reads go through, writes wait.
	b.expect("$3\r\nold\r\n", "GET", "k")
	b.Send("SET", "k", "new")
	b.Send("GET", "k") // queued behind the write: must see its effect
	set := readAsync(b)
	expectPending(t, set, 200*time.Millisecond)
	if f := parseClientList(t, a.Do("CLIENT", "LIST", "ID", bID))[0]; f["flags"] != "b" || f["cmd"] != "set" {
		t.Errorf("paused client shows flags=%s cmd=%s, want b and set", f["flags"], f["cmd"])
	}
	if r := a.Do("INFO", "clients"); !strings.Contains(r, "blocked_clients:1\r\n") {
		t.Errorf("INFO clients while paused: %q", r)
	}
	a.expect("+OK\r\n", "CLIENT", "UNPAUSE")
	expectReply(t, set, "+OK\r\n")
	if r := b.Read(); r != "$3\r\nnew\r\n" {
		t.Errorf("GET after the paused SET: %q", r)
	}
}

func TestClientPauseAll(t *testing.T) {
	s := startServer(t)
	a, b := dial(t, s), dial(t, s)
	start := time.Now()
	a.expect("+OK\r\n", "CLIENT", "PAUSE", "300", "ALL")
	// Everything waits, the pausing client included; errors found before
	// the pause check do not.
	b.expect("-ERR unknown command 'foo', with args beginning with: \r\n", "foo")
	b.expect("-ERR wrong number of arguments for 'get' command\r\n", "GET")
	b.expect("+PONG\r\n", "PING")
	if d := time.Since(start); d < 250*time.Millisecond {
		t.Errorf("PING answered after %v during a 300ms pause", d)
	}
	// A later, weaker pause does not shorten or weaken the current one.
	start = time.Now()
	a.expect("+OK\r\n", "CLIENT", "PAUSE", "300", "ALL")
	a.expect("+OK\r\n", "CLIENT", "PAUSE", "10", "WRITE")
	b.expect("+PONG\r\n", "PING")
	if d := time.Since(start); d < 250*time.Millisecond {
		t.Errorf("PING answered after %v: the weaker pause replaced the ALL pause", d)
	}
	// Timeout 0 and a timeout that wraps around pause nothing, as in 7.0.
	a.expect("+OK\r\n", "CLIENT", "PAUSE", "0")
	a.expect("+OK\r\n", "CLIENT", "PAUSE", "9223372036854775807", "WRITE")
	start = time.Now()
	b.expect("+OK\r\n", "SET", "x", "1")
	if d := time.Since(start); d > 200*time.Millisecond {
		t.Errorf("SET waited %v after pauses that end at once", d)
	}
}

func TestClientPauseMayReplicate(t *testing.T) {
	// Commands Redis flags may_replicate without showing it in COMMAND
	// INFO (EVAL, PUBLISH, PFCOUNT, ...) wait under a WRITE pause.
	s := startServer(t)
	c := &client{srv: s}
	mayRepl := &Command{FullName: "pfcount", Flags: cmdReadonly | cmdMayReplicate}
	read := &Command{FullName: "get", Flags: cmdReadonly}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pauseClients(s.mstime()+100000, pauseWrite)
	if !s.postponeIfPaused(c, mayRepl) || !s.pause.postponed {
		t.Error("a may-replicate command runs during a WRITE pause")
	}
	s.pause.postponed = false
	if s.postponeIfPaused(c, read) {
		t.Error("a read-only command waits during a WRITE pause")
	}
	s.unpauseClients()
	if f := buildCommandTable(); f["debug"].Flags&cmdProtected == 0 {
		t.Error("DEBUG is not protected")
	}
	if hiddenFlags["pfcount"] != cmdMayReplicate || hiddenFlags["publish"] != cmdMayReplicate {
		t.Error("PFCOUNT and PUBLISH must be may-replicate")
	}
}

func TestClientPauseKeepsExpiredKeys(t *testing.T) {
	s := startServer(t)
	a, b := dial(t, s), dial(t, s)
	b.expect("+OK\r\n", "SET", "k", "v", "PX", "50")
	a.expect("+OK\r\n", "CLIENT", "PAUSE", "100000", "WRITE")
	time.Sleep(100 * time.Millisecond)
	b.expect("$-1\r\n", "GET", "k") // expired for the client...
	s.mu.Lock()
	n := s.dbs[0].Len()
	s.mu.Unlock()
	if n != 1 {
		t.Fatalf("the expired key was deleted during the pause (%d keys)", n)
	}
	a.expect("+OK\r\n", "CLIENT", "UNPAUSE")
	b.expect("$-1\r\n", "GET", "k")
	s.mu.Lock()
	n = s.dbs[0].Len()
	s.mu.Unlock()
	if n != 0 {
		t.Errorf("the expired key survived the end of the pause (%d keys)", n)
	}
}

func TestClientPauseKillWaiting(t *testing.T) {
	s := startServer(t)
	a, b := dial(t, s), dial(t, s)
	a.expect("+OK\r\n", "CLIENT", "PAUSE", "100000", "WRITE")
	id := clientID(t, b)
	b.Send("SET", "k", "v")
	pending := readAsync(b)
	expectPending(t, pending, 100*time.Millisecond)
	a.expect(":1\r\n", "CLIENT", "KILL", "ID", id)
	select {
	case r := <-pending:
		if r[:6] != "error:" {
			t.Fatalf("the killed client got %q", r)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the killed client's connection stayed open")
	}
	a.expect("+OK\r\n", "CLIENT", "UNPAUSE")
	a.expect("$-1\r\n", "GET", "k") // its SET never ran
}
