package server

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"ferrite/datatypes"
	"ferrite/persistence"
)

// startAOFServer starts a server with appendonly yes in dir and loads
// what the directory holds, as startup does.
func startAOFServer(t *testing.T, dir string, mutate ...func(*Config)) (*Server, error) {
	t.Helper()
	s := startServer(t, append([]func(*Config){func(c *Config) {
		c.Dir = dir
		c.AppendOnly = true
	}}, mutate...)...)
	return s, s.LoadAppendOnly()
}

func mustAOFServer(t *testing.T, dir string, mutate ...func(*Config)) *Server {
	t.Helper()
	s, err := startAOFServer(t, dir, mutate...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func readManifest(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "appendonlydir", "appendonly.aof.manifest"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// waitInfo polls INFO persistence until field has value.
func waitInfo(t *testing.T, c *testConn, field, value string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(c.Do("INFO", "persistence"), "\r\n"+field+":"+value+"\r\n") {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("%s never became %s", field, value)
}

func TestAOFWriteAndReload(t *testing.T) {
	for _, preamble := range []bool{true, false} {
		t.Run("preamble="+strconv.FormatBool(preamble), func(t *testing.T) {
			dir := t.TempDir()
			setPreamble := func(c *Config) { c.AOFUseRDBPreamble = preamble }
			s := mustAOFServer(t, dir, setPreamble)
			base := "appendonly.aof.1.base.rdb"
			if !preamble {
				base = "appendonly.aof.1.base.aof"
			}
			if got, want := readManifest(t, dir), "file "+base+" seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n"; got != want {
				t.Fatalf("manifest %q, want %q", got, want)
			}
			c := dial(t, s)
			c.expect("+OK\r\n", "SET", "a", "1")
			c.expect(":2\r\n", "RPUSH", "l", "x", "y")
			c.expect("+OK\r\n", "SET", "e", "v", "EX", "1000")
			c.expect("+OK\r\n", "SELECT", "3")
			c.expect(":1\r\n", "INCR", "n")
			c.expect("+OK\r\n", "MULTI")
			c.expect("+QUEUED\r\n", "INCR", "n")
			c.expect("+QUEUED\r\n", "SET", "m", "z")
			c.expect("*2\r\n:2\r\n+OK\r\n", "EXEC")
			// The rewrite folds everything so far into a new base; later
			// writes go to the new incr file.
			c.expect("+Background append only file rewriting started\r\n", "BGREWRITEAOF")
			waitInfo(t, c, "aof_rewrite_in_progress", "0")
			c.expect("+OK\r\n", "SET", "after", "rewrite")
			c.expect(":1\r\n", "DEL", "m")
			s.Close()

			m := readManifest(t, dir)
			if !strings.HasPrefix(m, "file appendonly.aof.2.base.") || !strings.HasSuffix(m, "file appendonly.aof.2.incr.aof seq 2 type i\n") || strings.Count(m, "\n") != 2 {
				t.Fatalf("manifest after rewrite %q", m)
			}
			// History files are deleted after the rewrite is reported done.
			entries, _ := os.ReadDir(filepath.Join(dir, "appendonlydir"))
			for deadline := time.Now().Add(5 * time.Second); len(entries) != 3 && time.Now().Before(deadline); {
				time.Sleep(10 * time.Millisecond)
				entries, _ = os.ReadDir(filepath.Join(dir, "appendonlydir"))
			}
			if len(entries) != 3 {
				t.Fatalf("history files left: %v", entries)
			}

			s2 := mustAOFServer(t, dir, setPreamble)
			c2 := dial(t, s2)
			c2.expect("$1\r\n1\r\n", "GET", "a")
			c2.expect("*2\r\n$1\r\nx\r\n$1\r\ny\r\n", "LRANGE", "l", "0", "-1")
			if ttl := c2.Do("TTL", "e"); ttl != ":1000\r\n" && ttl != ":999\r\n" {
				t.Fatalf("TTL e = %q", ttl)
			}
			c2.expect("+OK\r\n", "SELECT", "3")
			c2.expect("$1\r\n2\r\n", "GET", "n")
			c2.expect(":0\r\n", "EXISTS", "m")
			c2.expect("$7\r\nrewrite\r\n", "GET", "after")
		})
	}
}

func TestAOFIncrFileBytes(t *testing.T) {
	dir := t.TempDir()
	s := mustAOFServer(t, dir)
	c := dial(t, s)
	c.expect("+OK\r\n", "SET", "a", "1")
	c.expect("+OK\r\n", "SET", "b", "2", "PXAT", "99999999999999")
	c.expect("+OK\r\n", "SELECT", "1")
	c.expect(":1\r\n", "INCR", "a")
	s.Close()
	got, err := os.ReadFile(filepath.Join(dir, "appendonlydir", "appendonly.aof.1.incr.aof"))
	if err != nil {
		t.Fatal(err)
	}
	// What redis-server 7.0.15 writes for the same commands.
	want := "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n" +
		"*5\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n$4\r\nPXAT\r\n$14\r\n99999999999999\r\n" +
		"*2\r\n$6\r\nSELECT\r\n$1\r\n1\r\n*2\r\n$4\r\nINCR\r\n$1\r\na\r\n"
	if string(got) != want {
		t.Fatalf("incr file:\n%q\nwant:\n%q", got, want)
	}
}

func TestAOFTruncatedTail(t *testing.T) {
	dir := t.TempDir()
	s := mustAOFServer(t, dir)
	c := dial(t, s)
	c.expect("+OK\r\n", "SET", "a", "1")
	c.expect("+OK\r\n", "SET", "b", "2")
	s.Close()
	incr := filepath.Join(dir, "appendonlydir", "appendonly.aof.1.incr.aof")
	st, _ := os.Stat(incr)
	f, _ := os.OpenFile(incr, os.O_WRONLY|os.O_APPEND, 0)
	f.WriteString("*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$1")
	f.Close()

	if _, err := startAOFServer(t, dir, func(c *Config) { c.AOFLoadTruncated = false }); err == nil ||
		!strings.Contains(err.Error(), "Unexpected end of file reading the append only file appendonly.aof.1.incr.aof") {
		t.Fatalf("aof-load-truncated no: %v", err)
	}
	s2 := mustAOFServer(t, dir)
	c2 := dial(t, s2)
	c2.expect("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$-1\r\n", "MGET", "a", "b", "c")
	if st2, _ := os.Stat(incr); st2.Size() != st.Size() {
		t.Fatalf("file not truncated to %d: %d", st.Size(), st2.Size())
	}
	// Appending continues after the cut.
	c2.expect("+OK\r\n", "SET", "c", "3")
	s2.Close()
	s3 := mustAOFServer(t, dir)
	dial(t, s3).expect("$1\r\n3\r\n", "GET", "c")
}

func TestAOFIncompleteMulti(t *testing.T) {
	dir := t.TempDir()
	s := mustAOFServer(t, dir)
	dial(t, s).expect("+OK\r\n", "SET", "a", "1")
	s.Close()
	incr := filepath.Join(dir, "appendonlydir", "appendonly.aof.1.incr.aof")
	st, _ := os.Stat(incr)
	f, _ := os.OpenFile(incr, os.O_WRONLY|os.O_APPEND, 0)
	f.WriteString("*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$1\r\n3\r\n")
	f.Close()
	s2 := mustAOFServer(t, dir)
	dial(t, s2).expect("*2\r\n$1\r\n1\r\n$-1\r\n", "MGET", "a", "c")
	if st2, _ := os.Stat(incr); st2.Size() != st.Size() {
		t.Fatalf("MULTI not reverted: %d, want %d", st2.Size(), st.Size())
	}
}

func TestAOFCorruptMiddle(t *testing.T) {
	dir := t.TempDir()
	s := mustAOFServer(t, dir)
	dial(t, s).expect("+OK\r\n", "SET", "a", "1")
	s.Close()
	incr := filepath.Join(dir, "appendonlydir", "appendonly.aof.1.incr.aof")
	b, _ := os.ReadFile(incr)
	off := len(b)
	b = append(b, "garbage\r\n*1\r\n$4\r\nPING\r\n"...)
	os.WriteFile(incr, b, 0o644)
	_, err := startAOFServer(t, dir)
	if err == nil || !strings.Contains(err.Error(), "Bad file format reading the append only file appendonly.aof.1.incr.aof at offset "+strconv.Itoa(off)) {
		t.Fatalf("got %v", err)
	}
	// An unknown command is an error too.
	os.WriteFile(incr, []byte("*1\r\n$6\r\nNOSUCH\r\n"), 0o644)
	if _, err := startAOFServer(t, dir); err == nil || !strings.Contains(err.Error(), "Unknown command 'NOSUCH' reading the append only file") {
		t.Fatalf("got %v", err)
	}
}

func TestAOFBadManifest(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "appendonlydir"), 0o755)
	os.WriteFile(filepath.Join(dir, "appendonlydir", "appendonly.aof.manifest"), []byte("file x seq 1 type z\n"), 0o644)
	if _, err := startAOFServer(t, dir); err == nil || err.Error() != "Unknown AOF file type" {
		t.Fatalf("got %v", err)
	}
}

func TestAOFOldStyleUpgrade(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "appendonly.aof"), []byte("*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\nv1\r\n"), 0o644)
	s := mustAOFServer(t, dir)
	c := dial(t, s)
	c.expect("$2\r\nv1\r\n", "GET", "k")
	if got, want := readManifest(t, dir), "file appendonly.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n"; got != want {
		t.Fatalf("manifest %q, want %q", got, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "appendonly.aof")); !os.IsNotExist(err) {
		t.Fatal("old file not moved into the AOF directory")
	}
}

func TestAOFBgrewriteaofWithAOFOff(t *testing.T) {
	dir := t.TempDir()
	s := startServer(t, func(c *Config) { c.Dir = dir })
	c := dial(t, s)
	c.expect("+OK\r\n", "SET", "k", "v")
	c.expect("+Background append only file rewriting started\r\n", "BGREWRITEAOF")
	waitInfo(t, c, "aof_rewrite_in_progress", "0")
	if got := readManifest(t, dir); got != "file appendonly.aof.1.base.rdb seq 1 type b\n" {
		t.Fatalf("manifest %q", got)
	}
	info := c.Do("INFO", "persistence")
	if !strings.Contains(info, "aof_enabled:0\r\n") || !strings.Contains(info, "aof_rewrites:1\r\n") || strings.Contains(info, "aof_current_size") {
		t.Fatalf("INFO:\n%s", info)
	}
}

func TestAOFConfigSetAppendonly(t *testing.T) {
	dir := t.TempDir()
	s := startServer(t, func(c *Config) { c.Dir = dir })
	c := dial(t, s)
	c.expect("+OK\r\n", "SET", "before", "1")
	c.expect("+OK\r\n", "CONFIG", "SET", "appendonly", "yes")
	c.expect("+OK\r\n", "SET", "during", "2")
	waitInfo(t, c, "aof_rewrite_in_progress", "0")
	waitInfo(t, c, "aof_enabled", "1")
	c.expect("+OK\r\n", "SET", "after", "3")
	if got := readManifest(t, dir); got != "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n" {
		t.Fatalf("manifest %q", got)
	}
	c.expect("+OK\r\n", "CONFIG", "SET", "appendonly", "no")
	c.expect("+OK\r\n", "SET", "off", "4")
	s.Close()
	s2 := mustAOFServer(t, dir)
	dial(t, s2).expect("*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$-1\r\n", "MGET", "before", "during", "after", "off")
}

// INFO persistence field names and order, as redis-server 7.0.15 with
// appendonly yes.
func TestAOFInfoFields(t *testing.T) {
	s := mustAOFServer(t, t.TempDir())
	c := dial(t, s)
	c.expect("+OK\r\n", "SET", "a", "1")
	info := c.Do("INFO", "persistence")
	var names []string
	for _, l := range strings.Split(info, "\r\n") {
		if k, _, ok := strings.Cut(l, ":"); ok && strings.HasPrefix(k, "aof_") {
			names = append(names, k)
		}
	}
	want := "aof_enabled aof_rewrite_in_progress aof_rewrite_scheduled aof_last_rewrite_time_sec aof_current_rewrite_time_sec " +
		"aof_last_bgrewrite_status aof_rewrites aof_rewrites_consecutive_failures aof_last_write_status aof_last_cow_size " +
		"aof_current_size aof_base_size aof_pending_rewrite aof_buffer_length aof_pending_bio_fsync aof_delayed_fsync"
	if strings.Join(names, " ") != want {
		t.Fatalf("fields:\n%s\nwant:\n%s", strings.Join(names, " "), want)
	}
	if !strings.Contains(info, "aof_enabled:1\r\n") || !strings.Contains(info, "aof_current_size:50\r\n") {
		t.Fatalf("INFO:\n%s", info)
	}
}

func TestAOFWriteErrorMisconf(t *testing.T) {
	s := mustAOFServer(t, t.TempDir())
	c := dial(t, s)
	err := error(syscall.ENOSPC)
	s.aof.writeErr.Store(&err)
	c.expect("-MISCONF Errors writing to the AOF file: No space left on device\r\n", "SET", "a", "1")
	c.expect("-MISCONF Errors writing to the AOF file: No space left on device\r\n", "PING")
	c.expect("$-1\r\n", "GET", "a")
	if info := c.Do("INFO", "persistence"); !strings.Contains(info, "aof_last_write_status:err\r\n") {
		t.Fatalf("INFO:\n%s", info)
	}
	s.aofWriteError(nil)
	c.expect("+OK\r\n", "SET", "a", "1")
}

// A directory written by a real redis-server 7.0 loads.
func TestAOFLoadsRedisServerDir(t *testing.T) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Skip("redis-server not installed")
	}
	dir := t.TempDir()
	port := freePort(t)
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--dir", dir, "--save", "", "--appendonly", "yes", "--appendfsync", "always")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	cli := func(args ...string) string {
		out, _ := exec.Command("redis-cli", append([]string{"-p", strconv.Itoa(port)}, args...)...).Output()
		return strings.TrimSpace(string(out))
	}
	for i := 0; i < 100 && cli("PING") != "PONG"; i++ {
		time.Sleep(20 * time.Millisecond)
	}
	cli("SET", "base", "1")
	cli("HSET", "h", "f", "v")
	cli("BGREWRITEAOF")
	for i := 0; i < 200 && !strings.Contains(cli("INFO", "persistence"), "aof_rewrite_in_progress:0"); i++ {
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // the manifest is written by the parent after the child exits
	cli("SET", "incr", "2")
	cli("ZADD", "z", "1.5", "m")
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()

	s := mustAOFServer(t, dir)
	c := dial(t, s)
	c.expect("*2\r\n$1\r\n1\r\n$1\r\n2\r\n", "MGET", "base", "incr")
	c.expect("$1\r\nv\r\n", "HGET", "h", "f")
	c.expect("$3\r\n1.5\r\n", "ZSCORE", "z", "m")
}

func TestAOFAppenderStatsOnClose(t *testing.T) {
	// Close with clients waiting must release them (no deadlock).
	s := mustAOFServer(t, t.TempDir(), func(c *Config) { c.AppendFsync = "always" })
	c := dial(t, s)
	c.expect("+OK\r\n", "SET", "a", "1")
	done := make(chan struct{})
	go func() { s.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close hung")
	}
}

func TestAOFAutoRewrite(t *testing.T) {
	dir := t.TempDir()
	s := mustAOFServer(t, dir, func(c *Config) {
		c.AutoAOFRewriteMinSize = 1000
		c.AutoAOFRewritePercentage = 100
	})
	c := dial(t, s)
	c.expect("+OK\r\n", "SET", "k", strings.Repeat("x", 2000))
	waitInfo(t, c, "aof_rewrites", "1")
	waitInfo(t, c, "aof_rewrite_in_progress", "0")
	if got := readManifest(t, dir); got != "file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n" {
		t.Fatalf("manifest %q", got)
	}
	// The base is the new reference: no second rewrite without growth.
	time.Sleep(300 * time.Millisecond)
	if info := c.Do("INFO", "persistence"); !strings.Contains(info, "aof_rewrites:1\r\n") {
		t.Fatalf("rewrote again:\n%s", info)
	}
}

// appendfsync always: concurrent clients share fsyncs (group commit), and
// no reply goes out before its write is in the file.
func TestAOFGroupCommit(t *testing.T) {
	dir := t.TempDir()
	s := mustAOFServer(t, dir, func(c *Config) { c.AppendFsync = "always" })
	incr := filepath.Join(dir, "appendonlydir", "appendonly.aof.1.incr.aof")
	const clients, each = 20, 25
	errc := make(chan string, clients)
	for i := 0; i < clients; i++ {
		c := dial(t, s)
		go func(i int) {
			for j := 0; j < each; j++ {
				v := strconv.Itoa(i*1000 + j)
				if rep := c.Do("SET", "k"+strconv.Itoa(i), v); rep != "+OK\r\n" {
					errc <- rep
					return
				}
				// Acknowledged: the file already has it.
				b, _ := os.ReadFile(incr)
				if !strings.Contains(string(b), "\r\n"+v+"\r\n") {
					errc <- "acknowledged SET " + v + " not in the AOF"
					return
				}
			}
			errc <- ""
		}(i)
	}
	for i := 0; i < clients; i++ {
		if msg := <-errc; msg != "" {
			t.Fatal(msg)
		}
	}
	s.mu.Lock()
	syncs := s.aof.app.Stats().Syncs
	s.mu.Unlock()
	if syncs*2 > clients*each {
		t.Fatalf("%d fsyncs for %d writes: no group commit", syncs, clients*each)
	}
	t.Logf("%d fsyncs for %d writes", syncs, clients*each)
}

// An old (Redis < 7.0) appendonly.aof with an RDB preamble and a tail of
// commands is moved into the AOF directory and loaded whole.
func TestAOFOldStyleHybrid(t *testing.T) {
	dir := t.TempDir()
	var b bytes.Buffer
	w := persistence.NewWriter(&b, persistence.WriteOptions{Checksum: true})
	w.Header([][2]string{{"aof-preamble", "1"}})
	w.SelectDB(0, 1, 0)
	w.Entry("pre", datatypes.NewString([]byte("amble")), -1, -1, -1)
	if err := w.Finish(); err != nil {
		t.Fatal(err)
	}
	b.WriteString("*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$4\r\ntail\r\n$1\r\nt\r\n")
	os.WriteFile(filepath.Join(dir, "appendonly.aof"), b.Bytes(), 0o644)
	s := mustAOFServer(t, dir)
	dial(t, s).expect("*2\r\n$5\r\namble\r\n$1\r\nt\r\n", "MGET", "pre", "tail")
}

// no-appendfsync-on-rewrite with appendfsync always: writes during a
// rewrite are acknowledged once written (not fsynced), and never hang.
func TestAOFNoFsyncOnRewrite(t *testing.T) {
	s := mustAOFServer(t, t.TempDir(), func(c *Config) {
		c.AppendFsync = "always"
		c.NoAppendfsyncOnRewrite = true
	})
	s.mu.Lock()
	s.aof.app.SetNoSync(true) // as during a rewrite
	s.mu.Unlock()
	c := dial(t, s)
	done := make(chan string, 1)
	go func() { done <- c.Do("SET", "k", "v") }()
	select {
	case rep := <-done:
		if rep != "+OK\r\n" {
			t.Fatal(rep)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("write hung while fsyncs are suspended")
	}
}
