package server

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"ferrite/server/resp"
)

// Expected monitor lines were checked against redis-server 7.0.15.

func expectMonitorLine(t *testing.T, m *testConn, db, addr, args string) {
	t.Helper()
	line := m.Read()
	re := regexp.MustCompile(`^\+\d{10}\.\d{6} \[` + db + ` ` + regexp.QuoteMeta(addr) + `\] (.*)\r\n$`)
	sub := re.FindStringSubmatch(line)
	if sub == nil || sub[1] != args {
		t.Fatalf("monitor line %q, want [%s %s] %s", line, db, addr, args)
	}
}

func TestMonitor(t *testing.T) {
	s := startServer(t)
	m, b := dial(t, s), dial(t, s)
	addr := b.conn.LocalAddr().String()
	m.expect("+OK\r\n", "MONITOR")

	b.expect("+OK\r\n", "SET", "k", "a b\"\\\n\x01\xff")
	expectMonitorLine(t, m, "0", addr, `"SET" "k" "a b\"\\\n\x01\xff"`)
	b.Do("AUTH", "secret")
	expectMonitorLine(t, m, "0", addr, `"AUTH" "(redacted)"`)
	b.Do("HELLO", "2", "AUTH", "default", "pw", "SETNAME", "x")
	expectMonitorLine(t, m, "0", addr, `"HELLO" "2" "AUTH" "(redacted)" "(redacted)" "SETNAME" "x"`)
	// Admin commands and rejected commands are not shown; SELECT shows
	// the database it switched to.
	b.Do("CLIENT", "LIST")
	b.Do("GET")
	b.Do("NOSUCHCOMMAND")
	b.expect("+OK\r\n", "SELECT", "1")
	expectMonitorLine(t, m, "1", addr, `"SELECT" "1"`)

	// MONITOR again is ignored without a reply; the monitor's own command
	// is shown after its reply; it may not touch the keyspace.
	m.Send("MONITOR")
	m.expect("+PONG\r\n", "PING")
	expectMonitorLine(t, m, "0", m.conn.LocalAddr().String(), `"PING"`)
	m.expect("-ERR Replica can't interact with the keyspace\r\n", "GET", "k")
	mID := clientID(t, b)
	expectMonitorLine(t, m, "1", addr, `"CLIENT" "ID"`)
	if f := parseClientList(t, b.Do("CLIENT", "LIST", "ID", mID))[0]["flags"]; f != "N" {
		t.Errorf("client flags=%q, want N", f)
	}
	m.Send("CLIENT", "ID")
	mID = strings.TrimSuffix(strings.TrimPrefix(m.Read(), ":"), "\r\n")
	m.Read() // its own CLIENT ID line
	if f := parseClientList(t, b.Do("CLIENT", "LIST", "ID", mID))[0]["flags"]; f != "O" {
		t.Errorf("monitor flags=%q, want O", f)
	}
	m.expect("+RESET\r\n", "RESET")
	b.expect("+OK\r\n", "SELECT", "0")
	m.expect("$8\r\na b\"\\\n\x01\xff\r\n", "GET", "k")
	b.expect("+PONG\r\n", "PING")
	m.expect("+PONG\r\n", "PING") // nothing was fed to the former monitor
	s.mu.Lock()
	n := len(s.monitors)
	s.mu.Unlock()
	if n != 0 {
		t.Errorf("%d monitors after RESET", n)
	}
}

func TestMonitorOrderAndDisconnect(t *testing.T) {
	s := startServer(t)
	m, b := dial(t, s), dial(t, s)
	m.expect("+OK\r\n", "MONITOR")
	const n = 300
	for i := 0; i < n; i++ {
		b.Send("ECHO", strings.Repeat("x", i%7)+string(rune('a'+i%26)))
	}
	for i := 0; i < n; i++ {
		b.Read()
	}
	for i := 0; i < n; i++ {
		expectMonitorLine(t, m, "0", b.conn.LocalAddr().String(),
			`"ECHO" "`+strings.Repeat("x", i%7)+string(rune('a'+i%26))+`"`)
	}
	m.conn.Close()
	b.expect("+PONG\r\n", "PING")
	// The monitor's goroutine notices the close on its next read: poll
	// for it (with a generous deadline for loaded machines).
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		s.mu.Lock()
		left := len(s.monitors)
		s.mu.Unlock()
		if left == 0 {
			return
		}
		b.expect("+PONG\r\n", "PING")
		time.Sleep(time.Millisecond)
	}
	t.Error("a disconnected monitor is still fed")
}

func TestRedactedArgs(t *testing.T) {
	for _, tc := range []struct {
		argv string
		want []int
	}{
		{"GET k", nil},
		{"AUTH pw", []int{1}},
		{"auth user pw", []int{1, 2}},
		{"AUTH a b c", nil}, // a syntax error: Redis redacts nothing
		{"HELLO 3 AUTH u p SETNAME n", []int{3, 4}},
		{"HELLO 2 AUTH a", nil},
		{"HELLO 3 SETNAME n AUTH u p", []int{5, 6}},
		{"MIGRATE h 1 k 0 1 COPY AUTH pw", []int{8}},
		{"MIGRATE h 1 \"\" 0 1 AUTH2 u p KEYS a b", []int{7, 8}},
		{"ACL SETUSER bob >pw on", []int{2, 3, 4}},
		{"CONFIG SET requirepass x maxmemory 1 masterauth y", []int{3, 7}},
	} {
		var argv [][]byte
		for _, a := range strings.Fields(tc.argv) {
			argv = append(argv, []byte(a))
		}
		got := redactedArgs(argv)
		var idx []int
		for i, r := range got {
			if r {
				idx = append(idx, i)
			}
		}
		if fmt.Sprint(idx) != fmt.Sprint(tc.want) {
			t.Errorf("%s: redacted %v, want %v", tc.argv, idx, tc.want)
		}
	}
}

func TestAppendRepr(t *testing.T) {
	got := string(resp.AppendRepr(nil, []byte("a\"\\\n\r\t\a\b\x00\x7f~ é")))
	want := `"a\"\\\n\r\t\a\b\x00\x7f~ \xc3\xa9"`
	if got != want {
		t.Errorf("AppendRepr: %s, want %s", got, want)
	}
}
