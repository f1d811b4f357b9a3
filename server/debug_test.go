package server

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// Expected replies below were recorded from redis-server 7.0.15.

func debugServer(t *testing.T) (*Server, *testConn) {
	s := startServer(t, func(cfg *Config) { cfg.EnableDebugCommand = "yes" })
	return s, dial(t, s)
}

func TestDebugProtected(t *testing.T) {
	s := startServer(t)
	c := dial(t, s)
	c.expect("-ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.\r\n", "DEBUG", "HELP")
}

func TestDebugErrorsAndHelp(t *testing.T) {
	_, c := debugServer(t)
	c.expect("-ERR wrong number of arguments for 'debug' command\r\n", "DEBUG")
	for _, args := range [][]string{{"foo"}, {"sleep"}, {"object"}, {"object", "k", "x"}, {"set-active-expire"},
		{"digest", "x"}, {"protocol"}, {"change-repl-id", "x"}, {"error"}, {"error", "a", "b"}, {"log"}, {"jmap"}} {
		c.expect("-ERR unknown subcommand or wrong number of arguments for '"+args[0]+"'. Try DEBUG HELP.\r\n",
			append([]string{"DEBUG"}, args...)...)
	}
	c.expect("-ERR unknown subcommand or wrong number of arguments for 'SLEEP'. Try DEBUG HELP.\r\n", "DEBUG", "SLEEP")
	r := c.Do("DEBUG", "HELP")
	if !strings.HasPrefix(r, "*106\r\n+DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+AOF-FLUSH-SLEEP <microsec>\r\n") ||
		!strings.HasSuffix(r, "+CLUSTERLINK KILL <to|from|all> <node-id>\r\n+    Kills the link based on the direction to/from (both) with the provided node.\r\n+HELP\r\n+    Prints this help.\r\n") {
		t.Errorf("DEBUG HELP: %q", r)
	}
	c.expect("-hi there\r\n", "DEBUG", "ERROR", "hi there")
	c.expect("+OK\r\n", "DEBUG", "LOG", "hello")
}

func TestDebugSleepHoldsTheServer(t *testing.T) {
	s, c := debugServer(t)
	other := dial(t, s)
	other.expect("+PONG\r\n", "PING")
	c.expect("+OK\r\n", "DEBUG", "SLEEP", "abc")
	c.expect("+OK\r\n", "DEBUG", "SLEEP", "-1")
	c.Send("DEBUG", "SLEEP", "0.3")
	time.Sleep(50 * time.Millisecond)
	start := time.Now()
	other.expect("+PONG\r\n", "PING")
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("PING answered after %v while DEBUG SLEEP held the server", d)
	}
	if r := c.Read(); r != "+OK\r\n" {
		t.Errorf("DEBUG SLEEP: %q", r)
	}
}

func TestDebugObject(t *testing.T) {
	s, c := debugServer(t)
	c.expect("-ERR no such key\r\n", "DEBUG", "OBJECT", "nokey")
	c.expect("+OK\r\n", "SET", "s", "hello")
	c.expect("+OK\r\n", "SET", "n", "123")
	c.expect("+OK\r\n", "SET", "big", "123456789012")
	re := regexp.MustCompile(`^\+Value at:0x[0-9a-f]+ refcount:(\d+) encoding:(\w+) serializedlength:(\d+) lru:\d+ lru_seconds_idle:\d+\r\n$`)
	for _, tc := range []struct{ key, refcount, enc, serlen string }{
		{"s", "1", "embstr", "6"},
		{"n", "2147483647", "int", "2"}, // a shared integer, as in Redis
		{"big", "1", "int", "13"},
	} {
		r := c.Do("DEBUG", "OBJECT", tc.key)
		m := re.FindStringSubmatch(r)
		if m == nil || m[1] != tc.refcount || m[2] != tc.enc || m[3] != tc.serlen {
			t.Errorf("DEBUG OBJECT %s: %q, want refcount:%s encoding:%s serializedlength:%s", tc.key, r, tc.refcount, tc.enc, tc.serlen)
		}
	}
	c.expect("+OK\r\n", "DEBUG", "SET-ACTIVE-EXPIRE", "0")
	s.mu.Lock()
	on := s.activeExpire
	s.mu.Unlock()
	c.expect("+OK\r\n", "DEBUG", "SET-ACTIVE-EXPIRE", "1")
	if on {
		t.Error("DEBUG SET-ACTIVE-EXPIRE 0 left active expiry on")
	}
	s.mu.Lock()
	before := s.replID
	s.mu.Unlock()
	c.expect("+OK\r\n", "DEBUG", "CHANGE-REPL-ID")
	if r := c.Do("INFO", "replication"); strings.Contains(r, before) || !regexp.MustCompile(`master_replid:[0-9a-f]{40}\r\n`).MatchString(r) {
		t.Errorf("replication id not changed: %q", r)
	}
}

func TestDebugDigest(t *testing.T) {
	_, c := debugServer(t)
	c.expect("+0000000000000000000000000000000000000000\r\n", "DEBUG", "DIGEST")
	c.expect("*0\r\n", "DEBUG", "DIGEST-VALUE")
	c.expect("+OK\r\n", "SET", "s", "hello")
	c.expect("+OK\r\n", "SET", "n", "123")
	// Digests redis-server 7.0.15 computes for the same values.
	c.expect("*3\r\n+36b23a1456b2dce2c3ed252c456761301dba8060\r\n+89f7f51b707418f666d5b45e053bd5bbbf82ac2b\r\n+0000000000000000000000000000000000000000\r\n",
		"DEBUG", "DIGEST-VALUE", "s", "n", "nokey")
	d1 := c.Do("DEBUG", "DIGEST")
	c.expect("+OK\r\n", "SET", "s", "hello", "PX", "100000")
	d2 := c.Do("DEBUG", "DIGEST")
	c.expect("+OK\r\n", "SET", "s", "hello")
	if d1 == d2 || c.Do("DEBUG", "DIGEST") != d1 {
		t.Errorf("the digest must change with a TTL and come back without it: %q %q", d1, d2)
	}
}

// TestDebugDigestMatchesRedis builds a dataset and compares DEBUG DIGEST
// with what redis-server 7.0.15 computed for the same commands.
func TestDebugDigestMatchesRedis(t *testing.T) {
	_, c := debugServer(t)
	for _, cmd := range [][]string{
		{"SET", "a", "1"}, {"SET", "b", "hello world"}, {"SET", "c", strings.Repeat("z", 100)},
		{"SET", "d", "-42"}, {"SET", "e", ""}, {"SET", "f", "x", "EX", "1000"},
		{"SELECT", "2"}, {"SET", "a", "1"},
	} {
		c.expect("+OK\r\n", cmd...)
	}
	c.expect("+d33ac1b8c7724d7706fe61802ef1e46927f1b3f2\r\n", "DEBUG", "DIGEST")
}

func TestDebugProtocol(t *testing.T) {
	_, c := debugServer(t)
	resp2 := map[string]string{
		"string":   "$11\r\nHello World\r\n",
		"integer":  ":12345\r\n",
		"double":   "$5\r\n3.141\r\n",
		"bignum":   "$37\r\n1234567999999999999999999999999999999\r\n",
		"null":     "$-1\r\n",
		"array":    "*3\r\n:0\r\n:1\r\n:2\r\n",
		"set":      "*3\r\n:0\r\n:1\r\n:2\r\n",
		"map":      "*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n",
		"attrib":   "$39\r\nSome real reply following the attribute\r\n",
		"push":     "-ERR RESP2 is not supported by this command\r\n",
		"verbatim": "$25\r\nThis is a verbatim\nstring\r\n",
		"true":     ":1\r\n",
		"false":    ":0\r\n",
		"foo":      "-ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false\r\n",
	}
	for typ, want := range resp2 {
		c.expect(want, "DEBUG", "PROTOCOL", typ)
	}
	c.Do("HELLO", "3")
	resp3 := map[string]string{
		"string":   "$11\r\nHello World\r\n",
		"integer":  ":12345\r\n",
		"double":   ",3.141\r\n",
		"bignum":   "(1234567999999999999999999999999999999\r\n",
		"null":     "_\r\n",
		"array":    "*3\r\n:0\r\n:1\r\n:2\r\n",
		"set":      "~3\r\n:0\r\n:1\r\n:2\r\n",
		"map":      "%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n",
		"verbatim": "=29\r\ntxt:This is a verbatim\nstring\r\n",
		"true":     "#t\r\n",
		"false":    "#f\r\n",
	}
	for typ, want := range resp3 {
		c.expect(want, "DEBUG", "PROTOCOL", typ)
	}
	// Attribute and push replies are followed by the real reply; send raw
	// and read the exact bytes.
	c.Send("DEBUG", "PROTOCOL", "attrib")
	c.Send("DEBUG", "PROTOCOL", "push")
	c.Send("PING")
	want := "|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n$39\r\nSome real reply following the attribute\r\n" +
		">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n$40\r\nSome real reply following the push reply\r\n+PONG\r\n"
	buf := make([]byte, len(want))
	_ = c.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := readFull(c, buf); err != nil || string(buf) != want {
		t.Errorf("attrib/push: %q (%v), want %q", buf, err, want)
	}
}

func readFull(c *testConn, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := c.r.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

func TestStrtodAtoi(t *testing.T) {
	for in, want := range map[string]float64{"1.5": 1.5, "abc": 0, " 2x": 2, "-0.25s": -0.25, "1e2": 100, "": 0, ".5": 0.5} {
		if got := strtod([]byte(in)); got != want {
			t.Errorf("strtod(%q) = %v, want %v", in, got, want)
		}
	}
	for in, want := range map[string]int64{"1": 1, "abc": 0, " 12x": 12, "-3": -3, "+4": 4} {
		if got := atoi([]byte(in)); got != want {
			t.Errorf("atoi(%q) = %v, want %v", in, got, want)
		}
	}
}
