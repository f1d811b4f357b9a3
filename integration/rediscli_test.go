package integration

import (
	"bytes"
	"context"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"ferrite/server/resp"
)

// cliCase is one redis-cli invocation and its exact output, recorded from
// redis-cli 7.0.15 against redis-server 7.0.15. Cases run in order on one
// server, so later cases see earlier writes.
type cliCase struct {
	args []string
	want string
}

var cliCases = []cliCase{
	{[]string{"SET", "k", "v"}, "OK\n"},
	{[]string{"GET", "k"}, "v\n"},
	{[]string{"GET", "missing"}, "\n"},
	{[]string{"INCR", "n"}, "1\n"},
	{[]string{"--no-raw", "INCR", "n"}, "(integer) 2\n"},
	{[]string{"--no-raw", "GET", "missing"}, "(nil)\n"},
	{[]string{"-3", "--no-raw", "GET", "missing"}, "(nil)\n"},
	{[]string{"--no-raw", "INCRBYFLOAT", "f", "1.5"}, "\"1.5\"\n"},
	{[]string{"NOSUCH", "a"}, "ERR unknown command 'NOSUCH', with args beginning with: 'a' \n\n"},
	{[]string{"--no-raw", "NOSUCH", "a"}, "(error) ERR unknown command 'NOSUCH', with args beginning with: 'a' \n"},
	{[]string{"MSET", "key1", "ohmytext", "key2", "mynewtext"}, "OK\n"},
	{[]string{"--no-raw", "MGET", "key1", "nokey", "key2"}, "1) \"ohmytext\"\n2) (nil)\n3) \"mynewtext\"\n"},
	// Nested replies: arrays of arrays (RESP2) and a map of them (RESP3).
	{[]string{"--no-raw", "LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"},
		"1) \"matches\"\n" +
			"2) 1) 1) 1) (integer) 4\n" +
			"         2) (integer) 7\n" +
			"      2) 1) (integer) 5\n" +
			"         2) (integer) 8\n" +
			"      3) (integer) 4\n" +
			"3) \"len\"\n" +
			"4) (integer) 6\n"},
	{[]string{"-3", "--no-raw", "LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"},
		"1# \"matches\" => \n" +
			"   1) 1) 1) (integer) 4\n" +
			"         2) (integer) 7\n" +
			"      2) 1) (integer) 5\n" +
			"         2) (integer) 8\n" +
			"      3) (integer) 4\n" +
			"2# \"len\" => (integer) 6\n"},
	{[]string{"LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"}, "matches\n4\n7\n5\n8\n4\nlen\n6\n"},
	{[]string{"--no-raw", "SET", "key1", "x", "GET"}, "\"ohmytext\"\n"},
}

func runCLI(t *testing.T, cli string, port int, stdin []byte, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, cli, append([]string{"-p", strconv.Itoa(port)}, args...)...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("redis-cli %s: %v\n%s%s", quote(args), err, out, stderr.Bytes())
	}
	return string(out)
}

func TestRedisCLI(t *testing.T) {
	cli := lookPathOrSkip(t, "redis-cli")
	insts := []*instance{startFerrite(t)}
	if haveRedis() {
		insts = append(insts, startRedis(t))
	}
	for _, c := range cliCases {
		for _, inst := range insts {
			if got := runCLI(t, cli, inst.Port, nil, c.args...); got != c.want {
				t.Errorf("%s: redis-cli %s:\ngot:\n%s\nwant:\n%s", inst.name, quote(c.args), got, c.want)
			}
		}
	}
}

// TestRedisCLIMetadata: redis-cli renders deeply nested replies (COMMAND
// INFO, HELLO 3 maps) exactly as it does for redis-server.
func TestRedisCLIMetadata(t *testing.T) {
	cli := lookPathOrSkip(t, "redis-cli")
	fer, red := startFerrite(t), startRedis(t)
	for _, args := range [][]string{
		{"--no-raw", "COMMAND", "INFO", "get", "set", "lcs"},
		{"-3", "--no-raw", "COMMAND", "INFO", "getex"},
		{"--no-raw", "COMMAND", "DOCS", "incr"},
	} {
		want := runCLI(t, cli, red.Port, nil, args...)
		if got := runCLI(t, cli, fer.Port, nil, args...); got != want {
			t.Errorf("redis-cli %s:\nferrite:\n%s\nredis-server:\n%s", quote(args), got, want)
		}
	}
}

// TestRedisCLIPipe: mass insertion with redis-cli --pipe.
func TestRedisCLIPipe(t *testing.T) {
	cli := lookPathOrSkip(t, "redis-cli")
	fer := startFerrite(t)
	const n = 100000
	var in []byte
	for i := 0; i < n; i++ {
		in = resp.AppendCommand(in, "SET", "mass:"+strconv.Itoa(i), strconv.Itoa(i*7))
	}
	out := runCLI(t, cli, fer.Port, in, "--pipe")
	if !strings.Contains(out, "errors: 0, replies: "+strconv.Itoa(n)) {
		t.Fatalf("redis-cli --pipe: %s", out)
	}
	c := fer.dial(t)
	c.expect(":"+strconv.Itoa(n)+"\r\n", "DBSIZE")
	c.expect("$6\r\n349993\r\n", "GET", "mass:49999")
}

// pythonWithRedis finds an interpreter that can import redis-py (the
// Debian python3-redis lives in /usr/bin/python3, which a pyenv or venv
// python3 earlier in PATH cannot see).
func pythonWithRedis(t *testing.T) string {
	t.Helper()
	var tried []string
	for _, name := range []string{"python3", "/usr/bin/python3"} {
		p, err := exec.LookPath(name)
		if err != nil {
			continue
		}
		tried = append(tried, p)
		if exec.Command(p, "-c", "import redis").Run() == nil {
			return p
		}
	}
	if len(tried) == 0 {
		t.Skip("python3 not installed")
	}
	t.Skipf("the redis module (apt python3-redis) is not importable by %s", strings.Join(tried, ", "))
	return ""
}

const redisPyScript = `
import sys, redis
r = redis.Redis(host="127.0.0.1", port=int(sys.argv[1]), socket_timeout=10)
assert r.ping() is True
assert r.set("py:s", "hello") is True
assert r.get("py:s") == b"hello", r.get("py:s")
assert r.get("py:missing") is None
assert r.incr("py:n") == 1
assert r.incrby("py:n", 41) == 42
assert r.set("py:s", "x", nx=True) is None
assert r.set("py:b", b"\x00\xff\r\n") is True
assert r.get("py:b") == b"\x00\xff\r\n"
assert r.mget("py:s", "py:missing", "py:n") == [b"hello", None, b"42"]
p = r.pipeline(transaction=False)
for i in range(100):
    p.incr("py:p")
assert p.execute() == list(range(1, 101))
try:
    r.incr("py:s")
    raise SystemExit("INCR on a string did not fail")
except redis.ResponseError as e:
    assert str(e) == "value is not an integer or out of range", str(e)
print("redis-py ok")
`

func TestRedisPy(t *testing.T) {
	py := pythonWithRedis(t)
	fer := startFerrite(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, py, "-c", redisPyScript, strconv.Itoa(fer.Port)).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "redis-py ok") {
		t.Fatalf("redis-py script: %v\n%s", err, out)
	}
}
