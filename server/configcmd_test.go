package server

import (
	"bufio"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"ferrite/server/resp"
)

// startRedisWith starts redis-server with exactly args (plus --port) in
// dir, for differential checks of configuration, and returns a connection
// and its port; the test is skipped when redis-server is not installed.
func startRedisWith(t testing.TB, dir string, args ...string) (*testConn, int) {
	t.Helper()
	path, err := exec.LookPath("redis-server")
	if err != nil {
		t.Skip("redis-server not installed: differential check skipped")
	}
	port := freePort(t)
	cmd := exec.Command(path, append(args, "--port", strconv.Itoa(port))...)
	cmd.Dir = dir
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// SIGKILL: a default-configured redis-server must not save on exit.
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return dialAddr(t, "127.0.0.1:"+strconv.Itoa(port)), port
}

func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// dialAddr connects to addr, retrying while the server starts.
func dialAddr(t testing.TB, addr string) *testConn {
	t.Helper()
	var conn net.Conn
	var err error
	for i := 0; i < 500; i++ {
		if conn, err = net.Dial("tcp", addr); err == nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("cannot connect to %s: %v", addr, err)
	}
	t.Cleanup(func() { conn.Close() })
	return &testConn{t: t, conn: conn, r: bufio.NewReader(conn)}
}

// configMap runs CONFIG GET patterns and returns the answer as a map.
func configMap(t *testing.T, c *testConn, patterns ...string) map[string]string {
	t.Helper()
	raw := c.Do(append([]string{"CONFIG", "GET"}, patterns...)...)
	items := parseBulkArray(t, raw)
	m := make(map[string]string, len(items)/2)
	for i := 0; i+1 < len(items); i += 2 {
		if _, dup := m[items[i]]; dup {
			t.Errorf("CONFIG GET answered %q twice", items[i])
		}
		m[items[i]] = items[i+1]
	}
	return m
}

// parseBulkArray decodes a RESP2 array of bulk strings.
func parseBulkArray(t *testing.T, raw string) []string {
	t.Helper()
	r := bufio.NewReader(strings.NewReader(raw))
	line, _ := r.ReadString('\n')
	if !strings.HasPrefix(line, "*") {
		t.Fatalf("not an array: %q", raw)
	}
	n, _ := strconv.Atoi(strings.TrimSpace(line[1:]))
	out := make([]string, 0, n)
	for i := 0; i < n; i++ {
		b, err := resp.ReadReply(r)
		if err != nil || b[0] != '$' {
			t.Fatalf("bad element in %q", raw)
		}
		s := string(b)
		s = s[strings.IndexByte(s, '\n')+1 : len(s)-2]
		out = append(out, s)
	}
	return out
}

// TestConfigGetAllMatchesRedis: CONFIG GET * answers the same names (and
// aliases) with the same defaults as a redis-server 7.0 started without a
// config file.
func TestConfigGetAllMatchesRedis(t *testing.T) {
	dir := t.TempDir()
	rc, _ := startRedisWith(t, dir)
	want := configMap(t, rc, "*")
	got := configMap(t, dial(t, startServer(t)), "*")
	for name, wv := range want {
		gv, ok := got[name]
		switch {
		case !ok:
			t.Errorf("missing parameter %q (redis: %q)", name, wv)
		case name == "port" || name == "dir":
			// differ by construction
		case name == "maxclients" && wv != gv:
			// redis-server lowers maxclients to what RLIMIT_NOFILE allows.
			if n, _ := strconv.Atoi(wv); n >= 10000 {
				t.Errorf("%s: got %q, want %q", name, gv, wv)
			}
		case gv != wv:
			t.Errorf("%s: got %q, want %q", name, gv, wv)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("extra parameter %q", name)
		}
	}
	// Hidden parameters answer only when named exactly.
	hidden := []string{"use-exit-on-panic", "rdb-key-save-delay", "key-load-delay", "watchdog-period", "loading-process-events-interval-bytes", "lua-enable-deprecated-api"}
	wantH := configMap(t, rc, hidden...)
	gotH := configMap(t, dial(t, startServer(t)), hidden...)
	if len(wantH) != len(hidden) {
		t.Fatalf("redis-server answers %d of the hidden parameters: %v", len(wantH), wantH)
	}
	for k, v := range wantH {
		if gotH[k] != v {
			t.Errorf("hidden %s: got %q, want %q", k, gotH[k], v)
		}
	}
}

// configScript is a sequence of commands with the exact replies of
// redis-server 7.0.15 (checked against it: the test replays each step on a
// live redis-server when one is installed).
var configScript = []struct {
	args []string
	want string
}{
	// Type errors.
	{[]string{"CONFIG", "SET", "appendonly", "maybe"}, "-ERR CONFIG SET failed (possibly related to argument 'appendonly') - argument must be 'yes' or 'no'\r\n"},
	{[]string{"CONFIG", "SET", "maxmemory-policy", "foo"}, "-ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy') - argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction\r\n"},
	{[]string{"CONFIG", "SET", "maxmemory-policy", "allkeys-lru noeviction"}, "-ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy') - argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction\r\n"},
	{[]string{"CONFIG", "SET", "loglevel", "x"}, "-ERR CONFIG SET failed (possibly related to argument 'loglevel') - argument(s) must be one of the following: debug, verbose, notice, warning\r\n"},
	{[]string{"CONFIG", "SET", "port", "70000"}, "-ERR CONFIG SET failed (possibly related to argument 'port') - argument must be between 0 and 65535 inclusive\r\n"},
	{[]string{"CONFIG", "SET", "maxmemory", "10x"}, "-ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value\r\n"},
	{[]string{"CONFIG", "SET", "maxmemory", "-1"}, "-ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value\r\n"},
	{[]string{"CONFIG", "SET", "maxmemory", "1.5gb"}, "-ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value\r\n"},
	{[]string{"CONFIG", "SET", "maxmemory", " 5"}, "-ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value\r\n"},
	{[]string{"CONFIG", "SET", "maxmemory-clients", "10x"}, "-ERR CONFIG SET failed (possibly related to argument 'maxmemory-clients') - argument must be a memory or percent value\r\n"},
	{[]string{"CONFIG", "SET", "maxmemory-clients", "200%"}, "-ERR CONFIG SET failed (possibly related to argument 'maxmemory-clients') - percentage argument must be less or equal to 100\r\n"},
	{[]string{"CONFIG", "SET", "hz", "abc"}, "-ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer\r\n"},
	{[]string{"CONFIG", "SET", "hz", "+5"}, "-ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer\r\n"},
	{[]string{"CONFIG", "SET", "hz", "05"}, "-ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer\r\n"},
	{[]string{"CONFIG", "SET", "HZ", "abc"}, "-ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer\r\n"},
	{[]string{"CONFIG", "SET", "hash-max-ziplist-entries", "abc"}, "-ERR CONFIG SET failed (possibly related to argument 'hash-max-ziplist-entries') - argument couldn't be parsed into an integer\r\n"},
	{[]string{"CONFIG", "SET", "slowlog-log-slower-than", "-2"}, "-ERR CONFIG SET failed (possibly related to argument 'slowlog-log-slower-than') - argument must be between -1 and 9223372036854775807 inclusive\r\n"},
	{[]string{"CONFIG", "SET", "maxclients", "0"}, "-ERR CONFIG SET failed (possibly related to argument 'maxclients') - argument must be between 1 and 4294967295 inclusive\r\n"},
	{[]string{"CONFIG", "SET", "maxclients", "-1"}, "-ERR CONFIG SET failed (possibly related to argument 'maxclients') - argument must be between 1 and 4294967295 inclusive\r\n"},
	{[]string{"CONFIG", "SET", "hash-max-listpack-entries", "-1"}, "-ERR CONFIG SET failed (possibly related to argument 'hash-max-listpack-entries') - argument must be between 0 and 9223372036854775807 inclusive\r\n"},
	{[]string{"CONFIG", "SET", "proto-max-bulk-len", "5"}, "-ERR CONFIG SET failed (possibly related to argument 'proto-max-bulk-len') - argument must be between 1048576 and 9223372036854775807 inclusive\r\n"},
	{[]string{"CONFIG", "SET", "client-query-buffer-limit", "18446744073709551615"}, "-ERR CONFIG SET failed (possibly related to argument 'client-query-buffer-limit') - argument must be between 1048576 and 9223372036854775807 inclusive\r\n"},
	{[]string{"CONFIG", "SET", "list-max-listpack-size", "99999999999"}, "-ERR CONFIG SET failed (possibly related to argument 'list-max-listpack-size') - argument must be between -2147483648 and 2147483647 inclusive\r\n"},
	{[]string{"CONFIG", "SET", "active-expire-effort", "0"}, "-ERR CONFIG SET failed (possibly related to argument 'active-expire-effort') - argument must be between 1 and 10 inclusive\r\n"},
	{[]string{"CONFIG", "SET", "save", "1 2 3"}, "-ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save parameters\r\n"},
	{[]string{"CONFIG", "SET", "save", "abc"}, "-ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save parameters\r\n"},
	{[]string{"CONFIG", "SET", "save", "0 5"}, "-ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save parameters\r\n"},
	{[]string{"CONFIG", "SET", "client-output-buffer-limit", "foo 1 2 3"}, "-ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - Invalid client class specified in buffer limit configuration.\r\n"},
	{[]string{"CONFIG", "SET", "client-output-buffer-limit", "master 1 2 3"}, "-ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - Invalid client class specified in buffer limit configuration.\r\n"},
	{[]string{"CONFIG", "SET", "client-output-buffer-limit", "normal 1 2"}, "-ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - Wrong number of arguments in buffer limit configuration.\r\n"},
	{[]string{"CONFIG", "SET", "client-output-buffer-limit", "normal 1x 2 3"}, "-ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - Error in hard, soft or soft_seconds setting in buffer limit configuration.\r\n"},
	{[]string{"CONFIG", "SET", "notify-keyspace-events", "Q"}, "-ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - Invalid event class character. Use 'Ag$lshzxeKEtmdn'.\r\n"},
	{[]string{"CONFIG", "SET", "oom-score-adj-values", "1 2"}, "-ERR CONFIG SET failed (possibly related to argument 'oom-score-adj-values') - wrong number of arguments\r\n"},
	{[]string{"CONFIG", "SET", "oom-score-adj-values", "1 2 3000"}, "-ERR CONFIG SET failed (possibly related to argument 'oom-score-adj-values') - Invalid oom-score-adj-values, elements must be between -2000 and 2000.\r\n"},
	{[]string{"CONFIG", "SET", "shutdown-on-sigint", "save nosave"}, "-ERR CONFIG SET failed (possibly related to argument 'shutdown-on-sigint') - shutdown options SAVE and NOSAVE can't be used simultaneously\r\n"},
	{[]string{"CONFIG", "SET", "shutdown-on-sigint", ""}, "-ERR CONFIG SET failed (possibly related to argument 'shutdown-on-sigint') - argument(s) must be one of the following: default, save, nosave, now, force\r\n"},
	{[]string{"CONFIG", "SET", "latency-tracking-info-percentiles", "101"}, "-ERR CONFIG SET failed (possibly related to argument 'latency-tracking-info-percentiles') - latency-tracking-info-percentiles parameters should sit between [0.0,100.0]\r\n"},
	{[]string{"CONFIG", "SET", "latency-tracking-info-percentiles", "abc"}, "-ERR CONFIG SET failed (possibly related to argument 'latency-tracking-info-percentiles') - Invalid latency-tracking-info-percentiles parameters\r\n"},
	{[]string{"CONFIG", "SET", "cluster-announce-hostname", "a_b"}, "-ERR CONFIG SET failed (possibly related to argument 'cluster-announce-hostname') - Hostnames may only contain alphanumeric characters, hyphens or dots\r\n"},
	{[]string{"CONFIG", "SET", "proc-title-template", "{foo}"}, "-ERR CONFIG SET failed (possibly related to argument 'proc-title-template') - template format is invalid or contains unknown variables\r\n"},

	// Name errors: unknown, immutable, protected, duplicate, arity, pairs.
	{[]string{"CONFIG", "SET", "foo", "bar"}, "-ERR Unknown option or number of arguments for CONFIG SET - 'foo'\r\n"},
	{[]string{"CONFIG", "SET", "foo", "1", "daemonize", "yes"}, "-ERR Unknown option or number of arguments for CONFIG SET - 'foo'\r\n"},
	{[]string{"CONFIG", "SET", "daemonize", "yes", "foo", "1"}, "-ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config\r\n"},
	{[]string{"CONFIG", "SET", "unixsocketperm", "777"}, "-ERR CONFIG SET failed (possibly related to argument 'unixsocketperm') - can't set immutable config\r\n"},
	{[]string{"CONFIG", "SET", "slaveof", "no one"}, "-ERR CONFIG SET failed (possibly related to argument 'slaveof') - can't set immutable config\r\n"},
	{[]string{"CONFIG", "SET", "lua-enable-deprecated-api", "yes"}, "-ERR CONFIG SET failed (possibly related to argument 'lua-enable-deprecated-api') - can't set immutable config\r\n"},
	{[]string{"CONFIG", "SET", "dbfilename", "x"}, "-ERR CONFIG SET failed (possibly related to argument 'dbfilename') - can't set protected config\r\n"},
	{[]string{"CONFIG", "SET", "dir", "/tmp"}, "-ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config\r\n"},
	{[]string{"CONFIG", "SET", "hz", "5", "hz", "6"}, "-ERR CONFIG SET failed (possibly related to argument 'hz') - duplicate parameter\r\n"},
	{[]string{"CONFIG", "SET", "hz", "5", "HZ", "6"}, "-ERR CONFIG SET failed (possibly related to argument 'HZ') - duplicate parameter\r\n"},
	{[]string{"CONFIG", "SET", "port"}, "-ERR wrong number of arguments for 'config|set' command\r\n"},
	{[]string{"CONFIG", "SET", "port", "1", "hz"}, "-ERR syntax error\r\n"},
	{[]string{"CONFIG", "GET"}, "-ERR wrong number of arguments for 'config|get' command\r\n"},
	{[]string{"CONFIG", "FOO"}, "-ERR unknown subcommand 'FOO'. Try CONFIG HELP.\r\n"},

	// Atomicity: a bad value rolls back the good ones before it.
	{[]string{"CONFIG", "SET", "maxmemory", "100", "timeout", "5", "hz", "abc"}, "-ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer\r\n"},
	{[]string{"CONFIG", "GET", "maxmemory"}, "*2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n"},
	{[]string{"CONFIG", "GET", "timeout"}, "*2\r\n$7\r\ntimeout\r\n$1\r\n0\r\n"},

	// Values as CONFIG GET shows them after a set.
	{[]string{"CONFIG", "SET", "hash-max-ziplist-entries", "5", "hash-max-listpack-entries", "6"}, "+OK\r\n"},
	{[]string{"CONFIG", "GET", "hash-max-ziplist-entries"}, "*2\r\n$24\r\nhash-max-ziplist-entries\r\n$1\r\n6\r\n"},
	{[]string{"CONFIG", "SET", "maxmemory-policy", "ALLKEYS-LRU"}, "+OK\r\n"},
	{[]string{"CONFIG", "GET", "maxmemory-policy"}, "*2\r\n$16\r\nmaxmemory-policy\r\n$11\r\nallkeys-lru\r\n"},
	{[]string{"CONFIG", "SET", "hz", "0"}, "+OK\r\n"},
	{[]string{"CONFIG", "GET", "hz"}, "*2\r\n$2\r\nhz\r\n$1\r\n1\r\n"},
	{[]string{"CONFIG", "SET", "hz", "100000"}, "+OK\r\n"},
	{[]string{"CONFIG", "GET", "HZ"}, "*2\r\n$2\r\nHZ\r\n$3\r\n500\r\n"},
	{[]string{"CONFIG", "GET", "HZ", "hz", "h?"}, "*2\r\n$2\r\nHZ\r\n$3\r\n500\r\n"},
	{[]string{"CONFIG", "SET", "hz", "10"}, "+OK\r\n"},
	{[]string{"CONFIG", "SET", "maxmemory", "1GB"}, "+OK\r\n"},
	{[]string{"CONFIG", "GET", "maxmemory"}, "*2\r\n$9\r\nmaxmemory\r\n$10\r\n1073741824\r\n"},
	{[]string{"CONFIG", "SET", "maxmemory", "1k"}, "+OK\r\n"},
	{[]string{"CONFIG", "GET", "maxmemory"}, "*2\r\n$9\r\nmaxmemory\r\n$4\r\n1000\r\n"},
	{[]string{"CONFIG", "SET", "maxmemory", "18446744073709551616"}, "+OK\r\n"},
	{[]string{"CONFIG", "GET", "maxmemory"}, "*2\r\n$9\r\nmaxmemory\r\n$20\r\n18446744073709551615\r\n"},
	{[]string{"CONFIG", "SET", "maxmemory", "gb"}, "+OK\r\n"},
	{[]string{"CONFIG", "GET", "maxmemory"}, "*2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n"},
	{[]string{"CONFIG", "SET", "maxmemory-clients", "50%"}, "+OK\r\n"},
	{[]string{"CONFIG", "GET", "maxmemory-clients"}, "*2\r\n$17\r\nmaxmemory-clients\r\n$3\r\n50%\r\n"},
	{[]string{"CONFIG", "SET", "maxmemory-clients", "0"}, "+OK\r\n"},
	{[]string{"CONFIG", "SET", "notify-keyspace-events", "KEA"}, "+OK\r\n"},
	{[]string{"CONFIG", "GET", "notify-keyspace-events"}, "*2\r\n$22\r\nnotify-keyspace-events\r\n$3\r\nAKE\r\n"},
	{[]string{"CONFIG", "SET", "notify-keyspace-events", "Kxmn"}, "+OK\r\n"},
	{[]string{"CONFIG", "GET", "notify-keyspace-events"}, "*2\r\n$22\r\nnotify-keyspace-events\r\n$4\r\nxnKm\r\n"},
	{[]string{"CONFIG", "SET", "notify-keyspace-events", ""}, "+OK\r\n"},
	{[]string{"CONFIG", "SET", "shutdown-on-sigint", "force now save"}, "+OK\r\n"},
	{[]string{"CONFIG", "GET", "shutdown-on-sigint"}, "*2\r\n$18\r\nshutdown-on-sigint\r\n$14\r\nsave now force\r\n"},
	{[]string{"CONFIG", "SET", "shutdown-on-sigint", "default save"}, "+OK\r\n"},
	{[]string{"CONFIG", "GET", "shutdown-on-sigint"}, "*2\r\n$18\r\nshutdown-on-sigint\r\n$4\r\nsave\r\n"},
	{[]string{"CONFIG", "SET", "shutdown-on-sigint", "default"}, "+OK\r\n"},
	{[]string{"CONFIG", "SET", "save", ""}, "+OK\r\n"},
	{[]string{"CONFIG", "GET", "save"}, "*2\r\n$4\r\nsave\r\n$0\r\n\r\n"},
	{[]string{"CONFIG", "SET", "save", "100 10 200 20"}, "+OK\r\n"},
	{[]string{"CONFIG", "GET", "save"}, "*2\r\n$4\r\nsave\r\n$13\r\n100 10 200 20\r\n"},
	{[]string{"CONFIG", "SET", "latency-tracking-info-percentiles", "50 99.5 100"}, "+OK\r\n"},
	{[]string{"CONFIG", "GET", "latency-tracking-info-percentiles"}, "*2\r\n$33\r\nlatency-tracking-info-percentiles\r\n$11\r\n50 99.5 100\r\n"},
	{[]string{"CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 2mb 3 replica 0 0 0"}, "+OK\r\n"},
	{[]string{"CONFIG", "GET", "client-output-buffer-limit"}, "*2\r\n$26\r\nclient-output-buffer-limit\r\n$49\r\nnormal 0 0 0 slave 0 0 0 pubsub 1048576 2097152 3\r\n"},
	{[]string{"CONFIG", "SET", "list-max-ziplist-size", "5"}, "+OK\r\n"},
	{[]string{"CONFIG", "GET", "list-max-listpack-size"}, "*2\r\n$22\r\nlist-max-listpack-size\r\n$1\r\n5\r\n"},
	{[]string{"CONFIG", "SET", "appendonly", "YES", "appendonly", "no"}, "-ERR CONFIG SET failed (possibly related to argument 'appendonly') - duplicate parameter\r\n"},
	{[]string{"CONFIG", "GET", "key-load-delay"}, "*2\r\n$14\r\nkey-load-delay\r\n$1\r\n0\r\n"},
	{[]string{"CONFIG", "GET", "*load-delay*"}, "*0\r\n"},
	{[]string{"CONFIG", "GET", "nonexistent"}, "*0\r\n"},
	{[]string{"CONFIG", "GET", "unixsocketperm"}, "*2\r\n$14\r\nunixsocketperm\r\n$1\r\n0\r\n"},
}

// TestConfigSetGetScript replays configScript on Ferrite, and on a live
// redis-server 7.0 when one is installed.
func TestConfigSetGetScript(t *testing.T) {
	fc := dial(t, startServer(t))
	var rc *testConn
	if _, err := exec.LookPath("redis-server"); err == nil {
		rc, _ = startRedisWith(t, t.TempDir(), "--save", "")
	} else {
		t.Log("redis-server not installed: replies checked against the recorded ones only")
	}
	// The recorded script starts from save "" as the redis-server above.
	fc.expect("+OK\r\n", "CONFIG", "SET", "save", "")
	for _, step := range configScript {
		if got := fc.Do(step.args...); got != step.want {
			t.Errorf("%q: got %q, want %q", step.args, got, step.want)
		}
		if rc != nil {
			if got := rc.Do(step.args...); got != step.want {
				t.Errorf("redis-server disagrees with the recording for %q: %q", step.args, got)
			}
		}
	}
}

// TestConfigGetPatterns: patterns match names and aliases (both listed),
// case-insensitively, each once, never hidden parameters.
func TestConfigGetPatterns(t *testing.T) {
	c := dial(t, startServer(t))
	got := configMap(t, c, "maxmemory*", "MAXMEMORY", "slave-*", "replica-[r]*")
	var names []string
	for n := range got {
		names = append(names, n)
	}
	sort.Strings(names)
	want := "maxmemory maxmemory-clients maxmemory-eviction-tenacity maxmemory-policy maxmemory-samples replica-read-only slave-announce-ip slave-announce-port slave-ignore-maxmemory slave-lazy-flush slave-priority slave-read-only slave-serve-stale-data"
	if strings.Join(names, " ") != want {
		t.Errorf("got %v\nwant %s", names, want)
	}
	if rc, _ := startRedisWith(t, t.TempDir()); rc != nil {
		rgot := configMap(t, rc, "maxmemory*", "MAXMEMORY", "slave-*", "replica-[r]*")
		var rnames []string
		for n := range rgot {
			rnames = append(rnames, n)
		}
		sort.Strings(rnames)
		if strings.Join(rnames, " ") != want {
			t.Errorf("redis-server answers %v", rnames)
		}
	}
	// RESP3 answers a map.
	c.Do("HELLO", "3")
	c.expect("%1\r\n$2\r\nhz\r\n$2\r\n10\r\n", "CONFIG", "GET", "hz")
}

func TestConfigHelp(t *testing.T) {
	c := dial(t, startServer(t))
	c.expect("*11\r\n"+
		"+CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"+
		"+GET <pattern>\r\n"+
		"+    Return parameters matching the glob-like <pattern> and their values.\r\n"+
		"+SET <directive> <value>\r\n"+
		"+    Set the configuration <directive> to <value>.\r\n"+
		"+RESETSTAT\r\n"+
		"+    Reset statistics reported by the INFO command.\r\n"+
		"+REWRITE\r\n"+
		"+    Rewrite the configuration file.\r\n"+
		"+HELP\r\n"+
		"+    Prints this help.\r\n", "CONFIG", "HELP")
}

// TestConfigSetProtected: enable-protected-configs lets dir and dbfilename
// be set; dir must exist and is kept absolute.
func TestConfigSetProtected(t *testing.T) {
	s := startServer(t, func(c *Config) { c.EnableProtectedConfigs = "yes" })
	c := dial(t, s)
	dir := t.TempDir()
	c.expect("+OK\r\n", "CONFIG", "SET", "dir", dir, "dbfilename", "x.rdb")
	c.expect("*2\r\n$3\r\ndir\r\n$"+strconv.Itoa(len(dir))+"\r\n"+dir+"\r\n", "CONFIG", "GET", "dir")
	c.expect("-ERR CONFIG SET failed (possibly related to argument 'dir') - No such file or directory\r\n", "CONFIG", "SET", "dir", filepath.Join(dir, "nope"))
	c.expect("-ERR CONFIG SET failed (possibly related to argument 'dbfilename') - dbfilename can't be a path, just a filename\r\n", "CONFIG", "SET", "dbfilename", "a/b")
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	c.expect("+OK\r\n", "CONFIG", "SET", "dir", "sub")
	sub := filepath.Join(dir, "sub")
	c.expect("*2\r\n$3\r\ndir\r\n$"+strconv.Itoa(len(sub))+"\r\n"+sub+"\r\n", "CONFIG", "GET", "dir")
}

// TestConfigSetTakesEffect: parameters the server reads live change its
// behaviour at once.
func TestConfigSetTakesEffect(t *testing.T) {
	s := startServer(t)
	c := dial(t, s)
	c.expect("+OK\r\n", "CONFIG", "SET", "requirepass", "secret")
	c2 := dial(t, s)
	c2.expect("-NOAUTH Authentication required.\r\n", "PING")
	c2.expect("+OK\r\n", "AUTH", "secret")
	c2.expect("+OK\r\n", "CONFIG", "SET", "requirepass", "")
	c3 := dial(t, s)
	c3.expect("+PONG\r\n", "PING")
	c3.expect("+OK\r\n", "CONFIG", "SET", "hz", "1000")
	s.mu.Lock()
	hz := s.cfg.Hz
	s.mu.Unlock()
	if hz != 500 {
		t.Errorf("hz after CONFIG SET hz 1000: %d, want 500", hz)
	}
	// busy-poll-usec reaches the event loop, which reads it without s.mu.
	c3.expect("+OK\r\n", "CONFIG", "SET", "busy-poll-usec", "0")
	if d := s.busyPoll.Load(); d != 0 {
		t.Errorf("busy poll after CONFIG SET busy-poll-usec 0: %v", time.Duration(d))
	}
	c3.expect("+OK\r\n", "CONFIG", "SET", "busy-poll-usec", "120")
	if d, want := s.busyPoll.Load(), int64(120*time.Microsecond); d != want && runtime.NumCPU() > 1 {
		t.Errorf("busy poll after CONFIG SET busy-poll-usec 120: %v", time.Duration(d))
	}
	c3.expect("*2\r\n$14\r\nbusy-poll-usec\r\n$3\r\n120\r\n", "CONFIG", "GET", "busy-poll-usec")
}

// TestConfigSetPortMovesListener: CONFIG SET port re-listens; a port in
// use fails with Redis's error and leaves the server where it was.
func TestConfigSetPortMovesListener(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Bind = []string{"127.0.0.1"}
	cfg.Port = freePort(t)
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s.SetLoggerDiscard()
	old := cfg.Port // read before the server runs: CONFIG SET port writes it
	done := make(chan error, 1)
	go func() { done <- s.ListenAndServe() }()
	t.Cleanup(func() {
		s.Close()
		if err := <-done; err != nil {
			t.Errorf("ListenAndServe: %v", err)
		}
	})
	c := dialAddr(t, "127.0.0.1:"+strconv.Itoa(old))
	newPort := freePort(t)
	c.expect("+OK\r\n", "CONFIG", "SET", "port", strconv.Itoa(newPort))
	c.expect("+PONG\r\n", "PING") // established connections stay
	c2 := dialAddr(t, "127.0.0.1:"+strconv.Itoa(newPort))
	c2.expect("*2\r\n$4\r\nport\r\n$"+strconv.Itoa(len(strconv.Itoa(newPort)))+"\r\n"+strconv.Itoa(newPort)+"\r\n", "CONFIG", "GET", "port")
	if conn, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(old)); err == nil {
		conn.Close()
		t.Errorf("old port %d still accepts connections", old)
	}
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	busyPort := strconv.Itoa(busy.Addr().(*net.TCPAddr).Port)
	c2.expect("-ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. Check server logs.\r\n", "CONFIG", "SET", "port", busyPort)
	// A failed apply rolls back the whole command.
	c2.expect("-ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. Check server logs.\r\n", "CONFIG", "SET", "maxmemory", "5mb", "port", busyPort)
	c2.expect("*2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n", "CONFIG", "GET", "maxmemory")
	// bind moves the listeners too; the same port on a new address set.
	c2.expect("+OK\r\n", "CONFIG", "SET", "bind", "127.0.0.1 -::1")
	dialAddr(t, "127.0.0.1:"+strconv.Itoa(newPort)).expect("+PONG\r\n", "PING")
	c2.expect("-ERR CONFIG SET failed (possibly related to argument 'bind') - Failed to bind to specified addresses.\r\n", "CONFIG", "SET", "bind", "192.0.2.1")
	c2.expect("*2\r\n$4\r\nport\r\n$"+strconv.Itoa(len(strconv.Itoa(newPort)))+"\r\n"+strconv.Itoa(newPort)+"\r\n", "CONFIG", "GET", "port")
	dialAddr(t, "127.0.0.1:"+strconv.Itoa(newPort)).expect("+PONG\r\n", "PING")
}

// TestConfigResetStat: counters and per-command stats go to zero, the
// slow log stays.
func TestConfigResetStat(t *testing.T) {
	s := startServer(t)
	c := dial(t, s)
	c.expect("+OK\r\n", "CONFIG", "SET", "slowlog-log-slower-than", "0")
	c.Do("SET", "k", "v")
	c.Do("GET", "k")
	c.Do("GET", "missing")
	c.Do("CONFIG", "SET", "nope", "x")
	s.mu.Lock()
	before := s.stats.commandsProcessed
	slow := len(s.slowlog.entries)
	s.mu.Unlock()
	if before == 0 || slow == 0 {
		t.Fatalf("nothing recorded: %d commands, %d slow log entries", before, slow)
	}
	c.expect("+OK\r\n", "CONFIG", "RESETSTAT")
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.stats
	// CONFIG RESETSTAT itself counts once it has run, as in Redis.
	if st.commandsProcessed > 1 || st.keyspaceHits != 0 || st.keyspaceMisses != 0 || st.totalErrorReplies != 0 || len(st.errors) != 0 || st.netInput.Load() != 0 {
		t.Errorf("stats not reset: %+v", st)
	}
	for name, cmd := range s.commands {
		if cmd.stats.calls != 0 || cmd.stats.latency.total != 0 {
			t.Errorf("%s: calls %d after RESETSTAT", name, cmd.stats.calls)
		}
		for sub, sc := range cmd.Subs {
			// CONFIG RESETSTAT itself is counted after it ran.
			if sc.stats.calls != 0 && !(name == "config" && sub == "resetstat") {
				t.Errorf("%s|%s: calls %d after RESETSTAT", name, sub, sc.stats.calls)
			}
		}
	}
	if len(s.slowlog.entries) < slow {
		t.Errorf("slow log cleared by RESETSTAT: %d entries, had %d", len(s.slowlog.entries), slow)
	}
}

func TestConfigRewriteWithoutFile(t *testing.T) {
	c := dial(t, startServer(t))
	c.expect("-ERR The server is running without a config file\r\n", "CONFIG", "REWRITE")
}

// TestConfigSetSweepMatchesRedis sets every parameter (and alias) to its
// current value, to "", to "maybe" and, for numbers, to the extremes of
// 64 bits, and compares each reply with a live redis-server's; each value
// is restored after. Parameters about this process's sockets and files
// are left out.
func TestConfigSetSweepMatchesRedis(t *testing.T) {
	rc, _ := startRedisWith(t, t.TempDir())
	fc := dial(t, startServer(t))
	rvals := configMap(t, rc, "*")
	hidden := []string{"use-exit-on-panic", "rdb-key-save-delay", "key-load-delay", "watchdog-period", "loading-process-events-interval-bytes", "lua-enable-deprecated-api"}
	for k, v := range configMap(t, rc, hidden...) {
		rvals[k] = v
	}
	fvals := configMap(t, fc, "*")
	for k, v := range configMap(t, fc, hidden...) {
		fvals[k] = v
	}
	skip := map[string]bool{"port": true, "dir": true, "bind": true}
	var names []string
	for n := range rvals {
		if !skip[n] {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		values := []string{rvals[name], "", "maybe"}
		if _, err := strconv.ParseFloat(strings.TrimSuffix(rvals[name], "%"), 64); err == nil {
			values = append(values, "-9223372036854775808", "18446744073709551615", "-1", "1k", "2gb", "7%")
		}
		for _, v := range values {
			want := rc.Do("CONFIG", "SET", name, v)
			if got := fc.Do("CONFIG", "SET", name, v); got != want {
				t.Errorf("CONFIG SET %s %q: got %q, redis-server %q", name, v, got, want)
			}
			if a, b := configMap(t, fc, name)[name], configMap(t, rc, name)[name]; a != b {
				t.Errorf("after CONFIG SET %s %q: CONFIG GET %q, redis-server %q", name, v, a, b)
			}
			rc.Do("CONFIG", "SET", name, rvals[name])
			fc.Do("CONFIG", "SET", name, fvals[name])
		}
	}
}
