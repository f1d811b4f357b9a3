package server

import (
	"io"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The event loop (eventloop_linux.go) serves clients without waiting;
// whatever waits is handed to a goroutine and the client comes back after.
// These tests run in both modes: io-threads 1 (the loop, on Linux) and
// io-threads 2 (a goroutine per client).

func forEachIOMode(t *testing.T, f func(t *testing.T, s *Server)) {
	for _, n := range []int{1, 2} {
		t.Run("io-threads-"+strconv.Itoa(n), func(t *testing.T) {
			f(t, startServer(t, func(c *Config) { c.IOThreads = n }))
		})
	}
}

// A reply bigger than the socket takes goes out in full while the client
// reads it slowly, and other clients are served meanwhile.
func TestLoopBigReplySlowReader(t *testing.T) {
	forEachIOMode(t, func(t *testing.T, s *Server) {
		a, b := dial(t, s), dial(t, s)
		big := strings.Repeat("x", 16<<20)
		a.expect("+OK\r\n", "SET", "big", big)
		a.Send("GET", "big")
		a.Send("QUIT")
		// a reads nothing yet: its reply fills the socket buffers.
		time.Sleep(50 * time.Millisecond)
		for i := 0; i < 50; i++ {
			start := time.Now()
			b.expect("+PONG\r\n", "PING")
			if d := time.Since(start); d > time.Second {
				t.Fatalf("PING took %v while another client's reply was pending", d)
			}
		}
		_ = a.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		want := "$" + strconv.Itoa(len(big)) + "\r\n" + big + "\r\n+OK\r\n"
		got, err := io.ReadAll(a.r)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Fatalf("got %d bytes, want %d (the value, +OK, then the end of the stream)", len(got), len(want))
		}
	})
}

// A pipeline with a blocking command in the middle: the commands after it
// run once it is served, in order, and the client keeps working after.
func TestLoopBlockedPipelineResumes(t *testing.T) {
	forEachIOMode(t, func(t *testing.T, s *Server) {
		a, b := dial(t, s), dial(t, s)
		_, err := a.conn.Write([]byte("*2\r\n$4\r\nPING\r\n$1\r\n1\r\n*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$5\r\nafter\r\n$1\r\n1\r\n*2\r\n$3\r\nGET\r\n$5\r\nafter\r\n"))
		if err != nil {
			t.Fatal(err)
		}
		a.expectRead("$1\r\n1\r\n") // the reply before the block is not held back
		time.Sleep(20 * time.Millisecond)
		b.expect("$-1\r\n", "GET", "after")
		b.expect(":1\r\n", "RPUSH", "q", "v")
		a.expectRead("*2\r\n$1\r\nq\r\n$1\r\nv\r\n")
		a.expectRead("+OK\r\n")
		a.expectRead("$1\r\n1\r\n")
		a.expect("+PONG\r\n", "PING")
		a.expect("$1\r\n1\r\n", "GET", "after")
	})
}

// A killed client is gone at once from CLIENT LIST and INFO, and its
// connection ends.
func TestLoopClientKill(t *testing.T) {
	forEachIOMode(t, func(t *testing.T, s *Server) {
		a, b := dial(t, s), dial(t, s)
		id := strings.TrimSuffix(strings.TrimPrefix(a.Do("CLIENT", "ID"), ":"), "\r\n")
		b.expect(":1\r\n", "CLIENT", "KILL", "ID", id)
		_ = a.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		if n, err := a.conn.Read(make([]byte, 1)); err == nil {
			t.Fatalf("killed client read %d bytes, want the end of the stream", n)
		}
		if l := b.Do("CLIENT", "LIST"); strings.Contains(l, "id="+id+" ") {
			t.Fatalf("killed client still listed: %s", l)
		}
		deadline := time.Now().Add(5 * time.Second)
		for !strings.Contains(b.Do("INFO", "clients"), "connected_clients:1\r\n") {
			if time.Now().After(deadline) {
				t.Fatal("connected_clients did not drop to 1")
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
}

// Requests before AUTH are parsed one at a time: a pipelined AUTH then a
// command works, and the client closed by a protocol error gets the error.
func TestLoopAuthPipelineAndProtocolError(t *testing.T) {
	for _, n := range []int{1, 2} {
		t.Run("io-threads-"+strconv.Itoa(n), func(t *testing.T) {
			s := startServer(t, func(c *Config) { c.IOThreads = n; c.Requirepass = "pw" })
			a := dial(t, s)
			if _, err := a.conn.Write([]byte("*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\nGET k\r\n")); err != nil {
				t.Fatal(err)
			}
			a.expectRead("+OK\r\n")
			a.expectRead("+OK\r\n")
			a.expectRead("$1\r\nv\r\n")
			if _, err := a.conn.Write([]byte("*1\r\n$x\r\n")); err != nil {
				t.Fatal(err)
			}
			a.expectRead("-ERR Protocol error: invalid bulk length\r\n")
			_ = a.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
			if _, err := a.r.ReadByte(); err == nil {
				t.Fatal("connection still open after a protocol error")
			}
		})
	}
}

// expectRead checks the next raw reply.
func (c *testConn) expectRead(want string) {
	c.t.Helper()
	if got := c.Read(); got != want {
		c.t.Errorf("got %q, want %q", got, want)
	}
}
