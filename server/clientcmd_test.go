package server

import (
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Expected replies below were recorded from redis-server 7.0.15.

// clientListFields is the field order of a Redis 7.0 CLIENT LIST line.
var clientListFields = []string{"id", "addr", "laddr", "fd", "name", "age", "idle", "flags", "db",
	"sub", "psub", "ssub", "multi", "qbuf", "qbuf-free", "argv-mem", "multi-mem", "rbs", "rbp",
	"obl", "oll", "omem", "tot-mem", "events", "cmd", "user", "redir", "resp"}

// parseClientList splits a CLIENT LIST bulk reply into one map per line,
// checking every line has exactly Redis's fields in Redis's order.
func parseClientList(t *testing.T, reply string) []map[string]string {
	t.Helper()
	if !strings.HasPrefix(reply, "$") {
		t.Fatalf("not a bulk string: %q", reply)
	}
	body := reply[strings.Index(reply, "\r\n")+2 : len(reply)-2]
	if !strings.HasSuffix(body, "\n") {
		t.Fatalf("CLIENT LIST must end with a newline: %q", body)
	}
	var out []map[string]string
	for _, line := range strings.Split(strings.TrimSuffix(body, "\n"), "\n") {
		m := make(map[string]string)
		for i, kv := range strings.Split(line, " ") {
			k, v, ok := strings.Cut(kv, "=")
			if !ok || i >= len(clientListFields) || k != clientListFields[i] {
				t.Fatalf("field %d of %q: got %q, want %q", i, line, kv, clientListFields[min(i, len(clientListFields)-1)])
			}
			m[k] = v
		}
		if len(m) != len(clientListFields) {
			t.Fatalf("%q has %d fields, want %d", line, len(m), len(clientListFields))
		}
		out = append(out, m)
	}
	return out
}

func clientID(t *testing.T, c *testConn) string {
	t.Helper()
	r := c.Do("CLIENT", "ID")
	if !strings.HasPrefix(r, ":") {
		t.Fatalf("CLIENT ID: %q", r)
	}
	return strings.TrimSuffix(r[1:], "\r\n")
}

// expectClosed waits for the server to close c's connection.
func expectClosed(t *testing.T, c *testConn) {
	t.Helper()
	_ = c.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 64)
	for {
		n, err := c.conn.Read(buf)
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				t.Fatal("connection still open")
			}
			if !errors.Is(err, io.EOF) && !strings.Contains(err.Error(), "reset") {
				t.Fatalf("read: %v", err)
			}
			return
		}
		if n > 0 {
			t.Fatalf("unexpected data before close: %q", buf[:n])
		}
	}
}

func TestClientErrors(t *testing.T) {
	s := startServer(t)
	c := dial(t, s)
	for _, tc := range []struct {
		want string
		args []string
	}{
		{"-ERR wrong number of arguments for 'client' command\r\n", []string{"CLIENT"}},
		{"-ERR unknown subcommand 'foo'. Try CLIENT HELP.\r\n", []string{"CLIENT", "foo"}},
		{"-ERR wrong number of arguments for 'client|setname' command\r\n", []string{"CLIENT", "SETNAME", "a", "b"}},
		{"-ERR wrong number of arguments for 'client|id' command\r\n", []string{"CLIENT", "ID", "x"}},
		{"-ERR Client names cannot contain spaces, newlines or special characters.\r\n", []string{"CLIENT", "SETNAME", "a b"}},
		{"-ERR Unknown client type 'foo'\r\n", []string{"CLIENT", "LIST", "TYPE", "foo"}},
		{"-ERR syntax error\r\n", []string{"CLIENT", "LIST", "ID"}},
		{"-ERR Invalid client ID\r\n", []string{"CLIENT", "LIST", "ID", "abc"}},
		{"-ERR syntax error\r\n", []string{"CLIENT", "LIST", "foo"}},
		{"-ERR syntax error\r\n", []string{"CLIENT", "LIST", "TYPE"}},
		{"-ERR syntax error\r\n", []string{"CLIENT", "LIST", "TYPE", "normal", "ID", "5"}},
		{"-ERR Invalid client ID\r\n", []string{"CLIENT", "LIST", "ID", "5", "TYPE", "normal"}},
		{"$0\r\n\r\n", []string{"CLIENT", "LIST", "ID", "0", "-1", "99999"}},
		{"$0\r\n\r\n", []string{"CLIENT", "LIST", "TYPE", "master"}},
		{"$0\r\n\r\n", []string{"CLIENT", "LIST", "TYPE", "replica"}},
		{"$0\r\n\r\n", []string{"CLIENT", "LIST", "TYPE", "slave"}},
		{"$0\r\n\r\n", []string{"CLIENT", "LIST", "TYPE", "pubsub"}},
		{"-ERR No such client\r\n", []string{"CLIENT", "KILL", "1.2.3.4:5"}},
		{"-ERR client-id should be greater than 0\r\n", []string{"CLIENT", "KILL", "ID", "0"}},
		{"-ERR client-id should be greater than 0\r\n", []string{"CLIENT", "KILL", "ID", "abc"}},
		{"-ERR client-id should be greater than 0\r\n", []string{"CLIENT", "KILL", "ID", "9223372036854775808"}},
		{":0\r\n", []string{"CLIENT", "KILL", "ID", "99999"}},
		{"-ERR Unknown client type 'foo'\r\n", []string{"CLIENT", "KILL", "TYPE", "foo"}},
		{"-ERR syntax error\r\n", []string{"CLIENT", "KILL", "TYPE", "normal", "SKIPME", "maybe"}},
		{"-ERR No such user 'nobody'\r\n", []string{"CLIENT", "KILL", "USER", "nobody"}},
		{":0\r\n", []string{"CLIENT", "KILL", "USER", "default"}},
		{":0\r\n", []string{"CLIENT", "KILL", "ADDR", "1.1.1.1:1", "LADDR", "x"}},
		{"-ERR syntax error\r\n", []string{"CLIENT", "KILL", "foo", "bar"}},
		{"-ERR syntax error\r\n", []string{"CLIENT", "KILL", "ID", "5", "foo"}},
		{"-ERR syntax error\r\n", []string{"CLIENT", "KILL", "MAXAGE", "5"}},
		{":0\r\n", []string{"CLIENT", "KILL", "TYPE", "pubsub"}},
		{"-ERR timeout is not an integer or out of range\r\n", []string{"CLIENT", "PAUSE", "abc"}},
		{"-ERR timeout is not an integer or out of range\r\n", []string{"CLIENT", "PAUSE", "1.5"}},
		{"-ERR timeout is negative\r\n", []string{"CLIENT", "PAUSE", "-1"}},
		{"-ERR CLIENT PAUSE mode must be WRITE or ALL\r\n", []string{"CLIENT", "PAUSE", "10", "foo"}},
		{"-ERR CLIENT PAUSE mode must be WRITE or ALL\r\n", []string{"CLIENT", "PAUSE", "abc", "foo"}},
		{"-ERR unknown subcommand or wrong number of arguments for 'pause'. Try CLIENT HELP.\r\n", []string{"CLIENT", "pause", "10", "write", "all"}},
		{"-ERR wrong number of arguments for 'client|unpause' command\r\n", []string{"CLIENT", "UNPAUSE", "x"}},
		{"-ERR syntax error\r\n", []string{"CLIENT", "REPLY", "foo"}},
		{"-ERR syntax error\r\n", []string{"CLIENT", "NO-EVICT", "maybe"}},
		{"+OK\r\n", []string{"CLIENT", "NO-EVICT", "on"}},
		{"+OK\r\n", []string{"CLIENT", "NO-EVICT", "OFF"}},
		{"-ERR unknown subcommand 'SETINFO'. Try CLIENT HELP.\r\n", []string{"CLIENT", "SETINFO", "LIB-NAME", "x"}},
	} {
		c.expect(tc.want, tc.args...)
	}
}

func TestClientHelp(t *testing.T) {
	s := startServer(t)
	c := dial(t, s)
	r := c.Do("CLIENT", "HELP")
	if !strings.HasPrefix(r, "*48\r\n+CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+CACHING (YES|NO)\r\n") ||
		!strings.HasSuffix(r, "+NO-EVICT (ON|OFF)\r\n+    Protect current client connection from eviction.\r\n+HELP\r\n+    Prints this help.\r\n") {
		t.Errorf("CLIENT HELP: %q", r)
	}
}

func TestClientNameAndList(t *testing.T) {
	s := startServer(t)
	c := dial(t, s)
	other := dial(t, s)
	other.expect("+OK\r\n", "SELECT", "3")
	c.expect("$-1\r\n", "CLIENT", "GETNAME")
	c.expect("+OK\r\n", "CLIENT", "SETNAME", "conn-1")
	c.expect("$6\r\nconn-1\r\n", "CLIENT", "GETNAME")
	id := clientID(t, c)
	otherID := clientID(t, other)

	// Clients are listed by id; which connection got the lower id depends
	// on the order the accepts ran in.
	lines := parseClientList(t, c.Do("CLIENT", "LIST"))
	first, second := id, otherID
	if n1, n2 := mustAtoi(t, id), mustAtoi(t, otherID); n2 < n1 {
		first, second = otherID, id
	}
	if len(lines) != 2 || lines[0]["id"] != first || lines[1]["id"] != second {
		t.Fatalf("CLIENT LIST lists %v, want ids %s then %s", lines, first, second)
	}
	self, peer := lines[0], lines[1]
	if self["id"] != id {
		self, peer = peer, self
	}
	want := map[string]string{"name": "conn-1", "flags": "N", "db": "0", "cmd": "client|list",
		"user": "default", "resp": "2", "multi": "-1", "redir": "-1", "argv-mem": "10",
		"qbuf": "26", "addr": c.conn.LocalAddr().String(), "laddr": c.conn.RemoteAddr().String()}
	for k, v := range want {
		if self[k] != v {
			t.Errorf("self %s=%q, want %q", k, self[k], v)
		}
	}
	if peer["db"] != "3" || peer["cmd"] != "client|id" || peer["name"] != "" || peer["qbuf"] != "0" {
		t.Errorf("peer line %v", peer)
	}
	if fd, err := strconv.Atoi(self["fd"]); err != nil || fd <= 0 {
		t.Errorf("fd=%q, want a descriptor", self["fd"])
	}

	info := parseClientList(t, c.Do("CLIENT", "INFO"))
	if len(info) != 1 || info[0]["id"] != id || info[0]["cmd"] != "client|info" {
		t.Errorf("CLIENT INFO: %v", info)
	}
	byID := parseClientList(t, c.Do("CLIENT", "LIST", "ID", otherID, "999", otherID))
	if len(byID) != 2 || byID[0]["id"] != otherID || byID[1]["id"] != otherID {
		t.Errorf("CLIENT LIST ID: %v", byID)
	}
	if n := len(parseClientList(t, c.Do("CLIENT", "LIST", "TYPE", "NORMAL"))); n != 2 {
		t.Errorf("CLIENT LIST TYPE normal lists %d clients, want 2", n)
	}

	// An empty name removes it; no-evict shows as flag e.
	c.expect("+OK\r\n", "CLIENT", "SETNAME", "")
	c.expect("$-1\r\n", "CLIENT", "GETNAME")
	c.expect("+OK\r\n", "CLIENT", "NO-EVICT", "on")
	if f := parseClientList(t, c.Do("CLIENT", "INFO"))[0]["flags"]; f != "e" {
		t.Errorf("flags=%q with no-evict, want e", f)
	}

	// RESP3: a verbatim string.
	c.Do("HELLO", "3")
	if r := c.Do("CLIENT", "INFO"); !strings.HasPrefix(r, "=") || !strings.Contains(r, "\r\ntxt:id="+id+" ") {
		t.Errorf("CLIENT INFO in RESP3: %q", r)
	}
}

func TestClientKill(t *testing.T) {
	s := startServer(t)
	c := dial(t, s)

	// New form by ID: the count, and the victim's connection is closed.
	v1 := dial(t, s)
	c.expect(":1\r\n", "CLIENT", "KILL", "ID", clientID(t, v1))
	expectClosed(t, v1)
	c.expect(":0\r\n", "CLIENT", "KILL", "ID", clientID(t, c)) // SKIPME yes by default

	// Old form by address: +OK.
	v2 := dial(t, s)
	v2.expect("+PONG\r\n", "PING")
	c.expect("+OK\r\n", "CLIENT", "KILL", v2.conn.LocalAddr().String())
	expectClosed(t, v2)
	c.expect("-ERR No such client\r\n", "CLIENT", "KILL", v2.conn.LocalAddr().String())

	// The killed client is gone from the list at once.
	if lines := parseClientList(t, c.Do("CLIENT", "LIST")); len(lines) != 1 {
		t.Errorf("CLIENT LIST after kills: %v", lines)
	}

	// By TYPE, sparing the caller; by USER; by LADDR.
	dial(t, s).expect("+PONG\r\n", "PING")
	dial(t, s).expect("+PONG\r\n", "PING")
	c.expect(":2\r\n", "CLIENT", "KILL", "TYPE", "normal")
	v3 := dial(t, s)
	v3.expect("+PONG\r\n", "PING")
	c.expect(":1\r\n", "CLIENT", "KILL", "USER", "default", "LADDR", v3.conn.RemoteAddr().String())
	expectClosed(t, v3)

	// Killing itself: the reply is written, then the connection closes.
	c.expect(":1\r\n", "CLIENT", "KILL", "ID", clientID(t, c), "SKIPME", "no")
	expectClosed(t, c)
}

func TestClientReply(t *testing.T) {
	s := startServer(t)
	c := dial(t, s)
	c.Send("CLIENT", "REPLY", "SKIP")
	c.Send("PING", "skipped")
	c.expect("$4\r\nseen\r\n", "PING", "seen")
	c.Send("CLIENT", "REPLY", "OFF")
	c.Send("PING", "a")
	c.Send("CLIENT", "REPLY", "SKIP") // ignored while off
	c.Send("PING", "b")
	c.expect("+OK\r\n", "CLIENT", "REPLY", "ON")
	c.expect("+PONG\r\n", "PING")
}

func TestClientTimeout(t *testing.T) {
	s := startServer(t, func(cfg *Config) { cfg.Timeout = 1 })
	idle := dial(t, s)
	idle.expect("+PONG\r\n", "PING")
	mon := dial(t, s)
	mon.expect("+OK\r\n", "MONITOR")
	start := time.Now()
	expectClosed(t, idle)
	if d := time.Since(start); d < 900*time.Millisecond {
		t.Errorf("idle client closed after %v, before the 1s timeout", d)
	}
	// Monitors are replicas for Redis: they never time out.
	busy := dial(t, s)
	for i := 0; i < 25; i++ {
		busy.expect("+PONG\r\n", "PING")
		time.Sleep(100 * time.Millisecond)
	}
	s.mu.Lock()
	n := len(s.clients)
	s.mu.Unlock()
	if n != 2 {
		t.Errorf("%d clients after the timeout, want the monitor and the busy one", n)
	}
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
