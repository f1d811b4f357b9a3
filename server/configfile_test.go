package server

import (
	"bytes"
	"errors"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"ferrite/server/resp"
)

func TestSplitArgs(t *testing.T) {
	for _, tc := range []struct {
		line string
		want []string // nil: unbalanced
	}{
		{"", []string{}},
		{"   ", []string{}},
		{"foo bar", []string{"foo", "bar"}},
		{"  foo\t bar  ", []string{"foo", "bar"}},
		{`set "a b" c`, []string{"set", "a b", "c"}},
		{`"\x41\x4a\n\r\t\b\a\"\\\q"`, []string{"AJ\n\r\t\b\a\"\\q"}},
		{`"\x4"`, []string{"x4"}},
		{`'it\'s' '\n'`, []string{"it's", `\n`}},
		{`''`, []string{""}},
		{`""`, []string{""}},
		{`a"b c"`, []string{"ab c"}},
		{`"abc`, nil},
		{`"a"b`, nil},
		{`'a'b`, nil},
		{`'abc`, nil},
	} {
		got, ok := resp.SplitLine(tc.line)
		if tc.want == nil {
			if ok {
				t.Errorf("resp.SplitLine(%q) = %q, want unbalanced", tc.line, got)
			}
			continue
		}
		if !ok || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("resp.SplitLine(%q) = %q, %v; want %q", tc.line, got, ok, tc.want)
		}
	}
}

// TestQuoteArgRoundTrip: what CONFIG REWRITE and the command line write,
// the parser reads back unchanged, for any bytes.
func TestQuoteArgRoundTrip(t *testing.T) {
	seed := time.Now().UnixNano()
	if s := os.Getenv("SEED"); s != "" {
		seed, _ = strconv.ParseInt(s, 10, 64)
	}
	t.Logf("SEED=%d", seed)
	rnd := rand.New(rand.NewSource(seed))
	for i := 0; i < 2000; i++ {
		b := make([]byte, rnd.Intn(20))
		for j := range b {
			b[j] = byte(rnd.Intn(256))
		}
		got, ok := resp.SplitLine("x " + quoteArg(string(b)))
		if !ok || len(got) != 2 || got[1] != string(b) {
			t.Fatalf("%q -> %s -> %q %v", b, quoteArg(string(b)), got, ok)
		}
	}
	if q := quoteArg("a\"b\\\x01é"); q != `"a\"b\\\x01\xc3\xa9"` {
		t.Errorf("quoteArg = %s", q)
	}
}

func FuzzSplitArgs(f *testing.F) {
	for _, s := range []string{`a "b c" 'd'`, `"\x41"`, `"unbalanced`, `a"b"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		args, ok := resp.SplitLine(line)
		if !ok {
			return
		}
		var quoted []string
		for _, a := range args {
			quoted = append(quoted, quoteArg(a))
		}
		again, ok := resp.SplitLine(strings.Join(quoted, " "))
		if !ok || !reflect.DeepEqual(again, args) {
			t.Fatalf("%q: %q -> %q", line, args, again)
		}
	})
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestLoadConfigFile: comments, quotes, aliases, repeated and multi-value
// directives, includes, and command-line options overriding the file.
func TestLoadConfigFile(t *testing.T) {
	dir := t.TempDir()
	inc := writeFile(t, dir, "inc.conf", "maxmemory 2mb\nhz 20\n")
	writeFile(t, dir, "glob1.part", "timeout 7\n")
	path := writeFile(t, dir, "main.conf", `# a comment
   # an indented comment

port 7777
bind 127.0.0.1 "::1"
requirepass "pa ss\x21"
save 900 1
save 300 10
slaveof 10.0.0.1 6380
hash-max-ziplist-entries 99
SLAVE-READ-ONLY no
maxmemory-policy ALLKEYS-LRU
notify-keyspace-events Ex
client-output-buffer-limit pubsub 1mb 2mb 30 replica 0 0 0
shutdown-on-sigterm now force
list-max-ziplist-entries 5
include `+inc+`
include `+filepath.Join(dir, "*.part")+`
include `+filepath.Join(dir, "nothing-*.conf")+`
rename-command flushall ""
rename-command ping pong
user alice on >pw ~* +@all
unixsocketperm 700
maxmemory-clients 10%
hz 0
`)
	cfg, err := loadConfig([]string{path, "--hz", "30", "--save", "60", "100"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %#v, want %#v", name, got, want)
		}
	}
	check("ConfigFile", cfg.ConfigFile, path)
	check("Port", cfg.Port, 7777)
	check("Bind", cfg.Bind, []string{"127.0.0.1", "::1"})
	check("Requirepass", cfg.Requirepass, "pa ss!")
	check("Save", cfg.Save, []SaveParam{{900, 1}, {300, 10}, {60, 100}})
	check("MasterHost", cfg.MasterHost+":"+strconv.Itoa(cfg.MasterPort), "10.0.0.1:6380")
	check("HashMaxListpackEntries", cfg.HashMaxListpackEntries, int64(99))
	check("ReplicaReadOnly", cfg.ReplicaReadOnly, false)
	check("MaxMemoryPolicy", cfg.MaxMemoryPolicy, "allkeys-lru")
	check("NotifyKeyspaceEvents", cfg.NotifyKeyspaceEvents, NotifyKeyevent|NotifyExpired)
	check("ClientOutputLimits", cfg.ClientOutputLimits, [3]OutputBufferLimit{{}, {}, {1 << 20, 2 << 20, 30}})
	check("ShutdownOnSigterm", cfg.ShutdownOnSigterm, "now force")
	check("MaxMemory", cfg.MaxMemory, int64(2<<20))
	check("Timeout", cfg.Timeout, 7)
	check("Hz", cfg.Hz, 30)
	check("RenameCommands", cfg.RenameCommands, [][2]string{{"flushall", ""}, {"ping", "pong"}})
	check("Users", cfg.Users, [][]string{{"alice", "on", ">pw", "~*", "+@all"}})
	check("UnixSocketPerm", cfg.UnixSocketPerm, 0o700)
	check("MaxMemoryClients", cfg.MaxMemoryClients, int64(-10))

	// hz out of range is capped, not refused.
	cfg, err = loadConfig([]string{path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	check("Hz (file says 0)", cfg.Hz, 1)

	// rename-command takes effect in the server.
	s := startServer(t, func(c *Config) { c.RenameCommands = cfg.RenameCommands })
	c := dial(t, s)
	c.expect("+PONG\r\n", "PONG")
	c.expect("-ERR unknown command 'PING', with args beginning with: \r\n", "PING")
}

// TestLoadConfigSave: the first save directive replaces the defaults,
// later ones add, save "" clears.
func TestLoadConfigSave(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "3600 1 300 100 60 10000"},
		{[]string{"--port", "1"}, "3600 1 300 100 60 10000"},
		{[]string{"--save", "60", "100"}, "60 100"},
		{[]string{"--save", "60", "100", "--save", "10", "1"}, "60 100 10 1"},
		{[]string{"--save", ""}, ""},
		{[]string{"--save"}, ""},
		{[]string{"--save", "--port", "5"}, ""},
		{[]string{"--save", "900", "1", "--save", "", "--save", "30", "3"}, "30 3"},
		// One argument with spaces is split, as redis-server 7.0 does.
		{[]string{"--save", "3600 1 300 5"}, "3600 1 300 5"},
	} {
		cfg, err := loadConfig(tc.args, nil)
		if err != nil {
			t.Errorf("%q: %v", tc.args, err)
			continue
		}
		if got := getSave(cfg); got != tc.want {
			t.Errorf("%q: save %q, want %q", tc.args, got, tc.want)
		}
	}
}

// TestCommandLineOptions: how arguments become directive lines.
func TestCommandLineOptions(t *testing.T) {
	for _, tc := range []struct {
		args  []string
		want  string
		stdin bool
	}{
		{[]string{"--port", "7000", "--save", "60", "100"}, `port "7000" ` + "\n" + `save "60" "100" `, false},
		{[]string{"--save", ""}, `save "" `, false},
		{[]string{"--save"}, `save ""`, false},
		{[]string{"--save", "--port", "5"}, `save ""` + "\n" + `port "5" `, false},
		{[]string{"--port 6380", "--x"}, "port 6380 \nx ", false},
		{[]string{"--port", "--foo"}, `port "--foo" `, false},
		{[]string{"-", "--port", "1"}, `port "1" `, true},
		{[]string{"--port", "1", "-"}, `port "1" `, true},
		{[]string{"--slowlog-log-slower-than", "-1"}, `slowlog-log-slower-than "-1" `, false},
	} {
		stdin := false
		if got := commandLineOptions(tc.args, true, &stdin); got != tc.want || stdin != tc.stdin {
			t.Errorf("%q: %q stdin=%v, want %q stdin=%v", tc.args, got, stdin, tc.want, tc.stdin)
		}
	}
	cfg, err := loadConfig([]string{"-", "--port", "1"}, strings.NewReader("maxmemory 1mb\nport 9\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.MaxMemory != 1<<20 || cfg.Port != 1 {
		t.Errorf("stdin config: maxmemory %d port %d", cfg.MaxMemory, cfg.Port)
	}
}

func TestLoadConfigInfo(t *testing.T) {
	for _, a := range []string{"-v", "--version", "-h", "--help"} {
		_, err := loadConfig([]string{a}, nil)
		var info *InfoExit
		if !errors.As(err, &info) {
			t.Fatalf("%s: %v", a, err)
		}
		if strings.HasPrefix(a, "-v") || a == "--version" {
			if info.Status != 0 || !strings.Contains(info.Text, "v="+Version+" ") {
				t.Errorf("%s: %+v", a, info)
			}
		} else if info.Status != 1 || !strings.HasPrefix(info.Text, "Usage: ") {
			t.Errorf("%s: %+v", a, info)
		}
	}
}

// TestLoadConfigRelativePath: the config file is remembered absolute
// (CONFIG REWRITE must find it whatever the working directory).
func TestLoadConfigRelativePath(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "r.conf", "port 1234\n")
	t.Chdir(dir)
	cfg, err := loadConfig([]string{"r.conf"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "r.conf"); cfg.ConfigFile != want {
		t.Errorf("ConfigFile %q, want %q", cfg.ConfigFile, want)
	}
	_, err = loadConfig([]string{"missing.conf"}, nil)
	if want := "Fatal error, can't open config file '" + filepath.Join(dir, "missing.conf") + "': No such file or directory"; err == nil || err.Error() != want {
		t.Errorf("missing file: %v, want %s", err, want)
	}
}

// configErrorCases are startup errors with the exact stderr of
// redis-server 7.0.15; files are written to f.conf in a temporary
// directory ("{dir}" stands for it).
var configErrorCases = []struct {
	file string // "" for no file
	args []string
	want string
}{
	{"", []string{"--foo", "bar"}, "Reading the configuration file, at line 2\n>>> 'foo \"bar\"'\nBad directive or wrong number of arguments"},
	{"", []string{"--port", "1", "--foo", "bar"}, "Reading the configuration file, at line 3\n>>> 'foo \"bar\"'\nBad directive or wrong number of arguments"},
	{"", []string{"--save", "--port", "1", "--foo"}, "Reading the configuration file, at line 4\n>>> 'foo'\nBad directive or wrong number of arguments"},
	{"", []string{"--port"}, "Reading the configuration file, at line 2\n>>> 'port'\nwrong number of arguments"},
	{"", []string{"--port", "70000"}, "Reading the configuration file, at line 2\n>>> 'port \"70000\"'\nargument must be between 0 and 65535 inclusive"},
	{"", []string{"--port", "1", "foo", "bar"}, "Reading the configuration file, at line 2\n>>> 'port \"1\" \"foo\" \"bar\"'\nwrong number of arguments"},
	{"", []string{"--port", "a\"b"}, "Reading the configuration file, at line 2\n>>> 'port \"a\\\"b\"'\nargument couldn't be parsed into an integer"},
	{"", []string{"-x"}, "Reading the configuration file, at line 2\n>>> '\"-x\"'\nBad directive or wrong number of arguments"},
	{"", []string{"--save", "1", "2", "3"}, "Reading the configuration file, at line 2\n>>> 'save \"1\" \"2\" \"3\"'\nInvalid save parameters"},
	{"", []string{"--appendonly", "maybe"}, "Reading the configuration file, at line 2\n>>> 'appendonly \"maybe\"'\nargument must be 'yes' or 'no'"},
	{"", []string{"--maxmemory-policy", "x"}, "Reading the configuration file, at line 2\n>>> 'maxmemory-policy \"x\"'\nargument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction"},
	{"", []string{"--list-max-ziplist-entries", "5", "--foo"}, "Reading the configuration file, at line 3\n>>> 'foo'\nBad directive or wrong number of arguments"},
	{"", []string{"--list-max-ziplist-entries", "5", "6"}, "Reading the configuration file, at line 2\n>>> 'list-max-ziplist-entries \"5\" \"6\"'\nBad directive or wrong number of arguments"},
	{"", []string{"--rename-command", "FOOBAR", "x"}, "Reading the configuration file, at line 2\n>>> 'rename-command \"FOOBAR\" \"x\"'\nNo such command in rename-command"},
	{"", []string{"--rename-command", "get", "set"}, "Reading the configuration file, at line 2\n>>> 'rename-command \"get\" \"set\"'\nTarget command name already exists"},
	{"", []string{"--a.b"}, "Reading the configuration file, at line 2\n>>> 'a.b'\nModule config specified without value"},
	{"", []string{"--user"}, "Reading the configuration file, at line 2\n>>> 'user'\nBad directive or wrong number of arguments"},
	{"", []string{"--dir", "/nonexistent"}, "Reading the configuration file, at line 2\n>>> 'dir \"/nonexistent\"'\nNo such file or directory"},
	{"", []string{"--logfile", "/nonexistent/x"}, "Can't open the log file: No such file or directory"},
	{"", []string{"--cluster-enabled", "yes", "--replicaof", "1.2.3.4", "5"}, "replicaof directive not allowed in cluster mode"},
	{"port 1234\nfoo \"bar\"\n", nil, "Reading the configuration file, at line 2\n>>> 'foo \"bar\"'\nBad directive or wrong number of arguments"},
	{"port 1\r\n  bind \"1.2.3.4\"  x\t\n# c\n\nsave 1 2\nsave 3 4\nmaxmemory \"abc\n", nil, "Reading the configuration file, at line 7\n>>> 'maxmemory \"abc'\nUnbalanced quotes in configuration line"},
	{"port 1234\n", []string{"--port", "3", "--maxmemory", "1x"}, "Reading the configuration file, at line 4\n>>> 'maxmemory \"1x\"'\nargument must be a memory value"},
	{"include {dir}/inc.conf\n", nil, "Reading the configuration file, at line 2\n>>> 'hz \"x\"'\nargument couldn't be parsed into an integer"},
	{"hz 5\nmaxmemory-policy\n", nil, "Reading the configuration file, at line 2\n>>> 'maxmemory-policy'\nwrong number of arguments"},
}

// TestLoadConfigErrors checks startup errors word for word, and the same
// cases against redis-server when it is installed.
func TestLoadConfigErrors(t *testing.T) {
	redis, _ := exec.LookPath("redis-server")
	for _, tc := range configErrorCases {
		dir := t.TempDir()
		writeFile(t, dir, "inc.conf", "port 5\nhz \"x\"\n")
		args := tc.args
		if tc.file != "" {
			p := writeFile(t, dir, "f.conf", strings.ReplaceAll(tc.file, "{dir}", dir))
			args = append([]string{p}, args...)
		}
		want := "\n*** FATAL CONFIG FILE ERROR (Redis " + Version + ") ***\n" + tc.want
		_, err := loadConfig(args, nil)
		var ce *ConfigError
		if !errors.As(err, &ce) || err.Error() != want {
			t.Errorf("%q: got %v, want %q", args, err, want)
		}
		if redis != "" {
			cmd := exec.Command(redis, args...)
			cmd.Dir = dir
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			cmd.Stdout = nil
			timer := time.AfterFunc(5*time.Second, func() { _ = cmd.Process.Kill() })
			_ = cmd.Run()
			timer.Stop()
			if got := strings.TrimSuffix(stderr.String(), "\n"); got != want {
				t.Errorf("redis-server %q disagrees with the recording: %q", args, got)
			}
		}
	}
}

// TestConfigRewrite: CONFIG REWRITE keeps the user's lines and comments,
// replaces changed directives in place (an alias line by its primary
// name), blanks repeated or now-unset ones, turns unknown lines into
// comments, appends new ones under Redis's marker; the result loads back
// to the same configuration. With redis-server installed, the same file
// and commands give the same file (appended lines compared as a set:
// Redis appends them in hash order).
func TestConfigRewrite(t *testing.T) {
	port := freePort(t)
	original := "# My config\nport " + strconv.Itoa(port) + "\n\n# memory\nmaxmemory 100mb   \nsave 900 1\nsave 300 10\nslave-read-only yes\nhash-max-ziplist-entries 100\nhz 20\nrequirepass \"\"\nrename-command flushdb \"\"\n"
	sets := [][]string{
		{"CONFIG", "SET", "maxmemory", "200mb", "hz", "10", "timeout", "30", "save", "60 5", "replica-read-only", "no", "appendfsync", "always"},
		{"CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 2mb 3", "notify-keyspace-events", "KEA", "masterauth", "a b", "hash-max-listpack-entries", "200"},
		{"CONFIG", "SET", "maxmemory-clients", "10%", "proto-max-bulk-len", "1000000000", "ignore-warnings", "x\"y", "latency-tracking-info-percentiles", ""},
		{"CONFIG", "SET", "shutdown-on-sigint", "save now", "maxmemory-policy", "allkeys-lfu", "requirepass", "foo"},
	}
	run := func(c *testConn, dir string) string {
		path := filepath.Join(dir, "redis.conf")
		for _, set := range sets {
			c.expect("+OK\r\n", set...)
		}
		// Lines the server could not read at startup: kept as comments.
		f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString("unknown-thing 5\nbind \"unbalanced\n")
		f.Close()
		c.expect("+OK\r\n", "CONFIG", "REWRITE")
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}

	dir := t.TempDir()
	path := writeFile(t, dir, "redis.conf", original)
	loaded, err := loadConfig([]string{path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := startServer(t, func(c *Config) {
		*c = *loaded
		c.Dir = dir
	})
	got := run(dial(t, s), dir)
	want := "# My config\nport " + strconv.Itoa(port) + "\n\n# memory\nmaxmemory 200mb\nsave 60 5\n\nreplica-read-only no\nhash-max-listpack-entries 200\nhz 10\nrequirepass \"foo\"\nrename-command flushdb \"\"\n" +
		"# ??? unknown-thing 5\n# ??? bind \"unbalanced\n\n" +
		"# Generated by CONFIG REWRITE\n" +
		"ignore-warnings \"x\\\"y\"\n" +
		"masterauth \"a b\"\n" +
		"maxmemory-policy allkeys-lfu\n" +
		"appendfsync always\n" +
		"shutdown-on-sigint save now\n" +
		"timeout 30\n" +
		"proto-max-bulk-len 1000000000\n" +
		"maxmemory-clients 10%\n" +
		"dir \"" + dir + "\"\n" +
		"client-output-buffer-limit pubsub 1mb 2mb 3\n" +
		"notify-keyspace-events \"AKE\"\n" +
		"latency-tracking-info-percentiles \"\"\n" +
		"user default on #2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae ~* &* +@all\n"
	if got != want {
		t.Errorf("rewritten file:\n%s\nwant:\n%s", got, want)
	}

	// It loads back to the same configuration.
	reloads := func() {
		t.Helper()
		again, err := loadConfig([]string{path}, nil)
		if err != nil {
			t.Fatal(err)
		}
		s.mu.Lock()
		live := *s.cfg
		s.mu.Unlock()
		for _, p := range configParams {
			if a, b := p.get(again), p.get(&live); a != b {
				t.Errorf("%s: %q after reload, %q before", p.name, a, b)
			}
		}
	}
	reloads()

	// A second rewrite may move lines (like Redis, the default "normal"
	// class takes over the old client-output-buffer-limit line and the
	// pubsub one is appended again) but still means the same.
	c2 := dial(t, s)
	c2.expect("+OK\r\n", "AUTH", "foo")
	c2.expect("+OK\r\n", "CONFIG", "REWRITE")
	reloads()

	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Log("redis-server not installed: rewrite checked against the recording only")
		return
	}
	rdir := t.TempDir()
	rpath := writeFile(t, rdir, "redis.conf", original)
	rc := startRedisAt(t, rdir, port, rpath)
	rgot := run(rc, rdir)
	rgot = strings.ReplaceAll(rgot, rdir, dir)
	split := func(s string) (string, []string) {
		head, tail, _ := strings.Cut(s, "# Generated by CONFIG REWRITE\n")
		lines := strings.Split(strings.TrimSuffix(tail, "\n"), "\n")
		sort.Strings(lines)
		return head, lines
	}
	rh, rt := split(rgot)
	gh, gt := split(got)
	if rh != gh || !reflect.DeepEqual(rt, gt) {
		t.Errorf("redis-server rewrote:\n%s\nFerrite:\n%s", rgot, got)
	}
}

// startRedisAt starts redis-server with a config file that sets its port.
func startRedisAt(t *testing.T, dir string, port int, path string) *testConn {
	t.Helper()
	cmd := exec.Command("redis-server", path)
	cmd.Dir = dir
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return dialAddr(t, "127.0.0.1:"+strconv.Itoa(port))
}

func TestDefaultConfigValidate(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatal(err)
	}
	c := DefaultConfig()
	c.Port = 70000
	c.MaxMemoryPolicy = "lru"
	c.Databases = 0
	err := c.Validate()
	for _, want := range []string{
		"port: argument must be between 0 and 65535 inclusive",
		"maxmemory-policy: argument(s) must be one of the following",
		"databases: argument must be between 1 and 2147483647 inclusive",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate: %v, want %q", err, want)
		}
	}
	// Every parameter's default goes through its own parser.
	d := DefaultConfig()
	for _, p := range configParams {
		if p.resetFn != nil {
			continue // dir, replicaof: defaults their syntax cannot express
		}
		c := &Config{}
		if err := p.set(c, p.defaultArgs()); err != "" {
			t.Errorf("%s: default %q: %s", p.name, p.def, err)
		}
		if p.get(c) != p.get(d) {
			t.Errorf("%s: %q vs %q", p.name, p.get(c), p.get(d))
		}
	}
}
