// Package integration drives the real ferrite binary through the protocol
// only: go-redis, redis-cli, redis-py and raw sockets, and compares it with
// a real redis-server where one is installed.
//
// TestMain builds the binary once (FERRITE_BIN skips the build and uses the
// given binary). That path is the only state shared between tests: every
// test starts its own servers on free loopback ports and stops them at
// cleanup.
package integration

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"ferrite/server/resp"
)

// ferriteBin is the binary under test, built by TestMain.
var ferriteBin string

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	if bin := os.Getenv("FERRITE_BIN"); bin != "" {
		ferriteBin = bin
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "ferrite-integration-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	ferriteBin = filepath.Join(dir, "ferrite")
	// The package path builds the module's main package from any directory
	// inside the module.
	out, err := exec.Command("go", "build", "-o", ferriteBin, "ferrite").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "building ferrite: %v\n%s", err, out)
		return 1
	}
	return m.Run()
}

// instance is one running server process (ferrite or redis-server).
type instance struct {
	name   string // "ferrite" or "redis"
	Port   int
	Addr   string
	cmd    *exec.Cmd
	out    *tailBuffer
	exited chan struct{}
}

const startTimeout = 10 * time.Second

// startFerrite starts the built binary on a free loopback port with
// persistence off plus opts (redis-server style "--name value" pairs).
func startFerrite(t testing.TB, opts ...string) *instance {
	t.Helper()
	return startInstance(t, "ferrite", ferriteBin, opts)
}

// redisServerPath returns the installed redis-server, or skips the test.
func redisServerPath(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("redis-server")
	if err != nil {
		t.Skip("redis-server not installed")
	}
	return p
}

// haveRedis reports whether a redis-server is installed.
func haveRedis() bool {
	_, err := exec.LookPath("redis-server")
	return err == nil
}

// startRedis starts a real redis-server with the same defaults as
// startFerrite, or skips the test when none is installed.
func startRedis(t testing.TB, opts ...string) *instance {
	t.Helper()
	return startInstance(t, "redis", redisServerPath(t), opts)
}

func startInstance(t testing.TB, name, bin string, opts []string) *instance {
	t.Helper()
	var lastErr error
	// A free port can be taken by another process between our probe and
	// the server's bind; retry with a new one when that happens.
	for attempt := 0; attempt < 5; attempt++ {
		inst, err := tryStart(t, name, bin, opts)
		if err == nil {
			return inst
		}
		lastErr = err
		if !strings.Contains(err.Error(), "in use") {
			break
		}
	}
	t.Fatalf("starting %s: %v", name, lastErr)
	return nil
}

func tryStart(t testing.TB, name, bin string, opts []string) (*instance, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	dir := t.TempDir()
	args := []string{"--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no"}
	if name == "redis" {
		args = append(args, "--dir", dir, "--daemonize", "no", "--logfile", "")
	}
	args = append(args, opts...)
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir // anything the server writes (dump.rdb, ...) stays in a temp dir
	out := &tailBuffer{max: 64 << 10}
	cmd.Stdout, cmd.Stderr = out, out
	setChildAttrs(cmd)
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	inst := &instance{name: name, Port: port, Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)),
		cmd: cmd, out: out, exited: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(inst.exited) }()
	if err := inst.waitReady(); err != nil {
		inst.kill()
		return nil, fmt.Errorf("%v\n--- %s output ---\n%s", err, name, out.String())
	}
	t.Cleanup(func() {
		inst.stop()
		if t.Failed() && out.String() != "" {
			t.Logf("--- %s (port %d) output tail ---\n%s", name, port, out.String())
		}
	})
	return inst, nil
}

// waitReady polls until the server answers PING or exits.
func (s *instance) waitReady() error {
	deadline := time.Now().Add(startTimeout)
	for time.Now().Before(deadline) {
		select {
		case <-s.exited:
			return fmt.Errorf("%s exited before answering PING (%v)", s.name, s.cmd.ProcessState)
		default:
		}
		if err := pingOnce(s.Addr); err == nil || strings.Contains(err.Error(), "NOAUTH") {
			return nil
		}
		select {
		case <-s.exited:
		case <-time.After(10 * time.Millisecond):
		}
	}
	return fmt.Errorf("%s did not answer PING within %v", s.name, startTimeout)
}

func pingOnce(addr string) error {
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(time.Second))
	if _, err := conn.Write(resp.AppendCommand(nil, "PING")); err != nil {
		return err
	}
	reply, err := resp.ReadReply(bufio.NewReader(conn))
	if err != nil {
		return err
	}
	if string(reply) != "+PONG\r\n" {
		return fmt.Errorf("PING answered %q", reply)
	}
	return nil
}

// alive reports whether the process is still running.
func (s *instance) alive() bool {
	select {
	case <-s.exited:
		return false
	default:
		return true
	}
}

// stop asks the server to exit (SIGTERM) and kills it if it does not.
func (s *instance) stop() {
	if !s.alive() {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(5 * time.Second):
		s.kill()
	}
}

func (s *instance) kill() {
	_ = s.cmd.Process.Kill()
	<-s.exited
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// tailBuffer keeps the last max bytes written to it (server logs).
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (tb *tailBuffer) Write(p []byte) (int, error) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	tb.b = append(tb.b, p...)
	if len(tb.b) > tb.max {
		tb.b = append(tb.b[:0], tb.b[len(tb.b)-tb.max:]...)
	}
	return len(p), nil
}

func (tb *tailBuffer) String() string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	return string(tb.b)
}

// rawConn is a plain connection speaking RESP: Do returns each reply's
// exact bytes, so tests assert on what clients see on the wire.
type rawConn struct {
	t    testing.TB
	conn net.Conn
	r    *bufio.Reader
}

const replyTimeout = 10 * time.Second

func (s *instance) dial(t testing.TB) *rawConn {
	t.Helper()
	conn, err := net.DialTimeout("tcp", s.Addr, 5*time.Second)
	if err != nil {
		t.Fatalf("dial %s: %v", s.name, err)
	}
	t.Cleanup(func() { conn.Close() })
	return &rawConn{t: t, conn: conn, r: bufio.NewReaderSize(conn, 64<<10)}
}

// Do sends one command and returns its raw reply, failing the test on I/O errors.
func (c *rawConn) Do(args ...string) string {
	c.t.Helper()
	reply, err := c.DoErr(args...)
	if err != nil {
		c.t.Fatalf("%s: %v", strings.Join(args, " "), err)
	}
	return reply
}

// DoErr sends one command and returns its raw reply or the I/O error.
func (c *rawConn) DoErr(args ...string) (string, error) {
	if err := c.SendErr(args...); err != nil {
		return "", err
	}
	return c.ReadErr()
}

func (c *rawConn) SendErr(args ...string) error {
	_ = c.conn.SetWriteDeadline(time.Now().Add(replyTimeout))
	_, err := c.conn.Write(resp.AppendCommand(nil, args...))
	return err
}

func (c *rawConn) ReadErr() (string, error) {
	_ = c.conn.SetReadDeadline(time.Now().Add(replyTimeout))
	b, err := resp.ReadReply(c.r)
	return string(b), err
}

// expect checks one command's raw reply.
func (c *rawConn) expect(want string, args ...string) {
	c.t.Helper()
	if got := c.Do(args...); got != want {
		c.t.Errorf("%s: got %q, want %q", strings.Join(args, " "), got, want)
	}
}

// exchange writes raw bytes and reads until the server closes the
// connection or goes quiet for idle. It reports what arrived and whether
// the server closed (EOF or reset). The write runs concurrently, since a
// server that rejects a request may close before reading all of it. With
// halfClose the client shuts its sending side after the input, as a client
// that disconnects in the middle of a request does.
func exchange(addr string, input []byte, halfClose bool, idle time.Duration) (got []byte, closed bool, err error) {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, false, err
	}
	defer conn.Close()
	go func() {
		_ = conn.SetWriteDeadline(time.Now().Add(replyTimeout))
		if _, err := conn.Write(input); err == nil && halfClose {
			_ = conn.(*net.TCPConn).CloseWrite()
		}
	}()
	buf := make([]byte, 64<<10)
	for {
		_ = conn.SetReadDeadline(time.Now().Add(idle))
		n, rerr := conn.Read(buf)
		got = append(got, buf[:n]...)
		if rerr == nil {
			continue
		}
		var ne net.Error
		if errors.As(rerr, &ne) && ne.Timeout() {
			return got, false, nil
		}
		// EOF or connection reset: the server closed.
		return got, true, nil
	}
}

// quote renders a command for failure messages.
func quote(args []string) string {
	var b bytes.Buffer
	for i, a := range args {
		if i > 0 {
			b.WriteByte(' ')
		}
		if a == "" || strings.ContainsAny(a, " \t\r\n\"'\\") || !isPrintable(a) {
			b.WriteString(strconv.Quote(a))
		} else {
			b.WriteString(a)
		}
	}
	s := b.String()
	if len(s) > 300 {
		s = s[:300] + fmt.Sprintf("...(%d bytes)", len(s))
	}
	return s
}

func isPrintable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// lookPathOrSkip returns an installed tool or skips the test.
func lookPathOrSkip(t testing.TB, tool string) string {
	t.Helper()
	p, err := exec.LookPath(tool)
	if err != nil {
		t.Skipf("%s not installed", tool)
	}
	return p
}

// diffSeedOps returns a differential test's seed (env SEED, else the
// clock) and its number of operations (env opsEnv, else def); the caller
// logs them so a failing run can be replayed.
func diffSeedOps(t *testing.T, opsEnv string, def int) (int64, int) {
	t.Helper()
	seed := time.Now().UnixNano()
	if s := os.Getenv("SEED"); s != "" {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			t.Fatalf("SEED=%q: %v", s, err)
		}
		seed = v
	}
	ops := def
	if s := os.Getenv(opsEnv); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			t.Fatalf("%s=%q: want a positive integer", opsEnv, s)
		}
		ops = v
	}
	return seed, ops
}
