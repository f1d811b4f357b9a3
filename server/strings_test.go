package server

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"ferrite/datatypes"
)

// The string family is tested with scripts: each line is a command and the
// exact reply bytes, written as `ARGS -> "reply"` (arguments in Go-quoted
// form when they hold spaces or are empty; "*" skips the check). Every
// script was run against redis-server 7.0.15 and its replies recorded
// there, so a script is Redis's own transcript; each runs on a fresh server.

// strEnv is a clockEnv; the string scripts ignore MULTI/EXEC grouping.
type strEnv struct{ *clockEnv }

// strEpoch is the injected clock's start.
const strEpoch = testEpoch

func newStrEnv(t *testing.T, mutate ...func(*Config)) *strEnv {
	t.Helper()
	return &strEnv{newClockEnv(t, &feedRecorder{sep: ": ", skipMulti: true}, mutate...)}
}

// do runs a command. LPUSH is only used to make a key of another type: until
// the list family exists it is emulated with a bare list object.
func (e *strEnv) do(args ...string) string {
	e.t.Helper()
	if len(args) == 3 && strings.EqualFold(args[0], "lpush") {
		e.s.mu.Lock()
		hasLists := e.s.commands["lpush"] != nil
		if !hasLists {
			e.s.dbAdd(e.s.dbs[0], []byte(args[1]), &datatypes.Object{Type: datatypes.TypeList, Enc: datatypes.EncListpack})
		}
		e.s.mu.Unlock()
		if !hasLists {
			return ":1\r\n"
		}
	}
	return e.c.Do(args...)
}

func (e *strEnv) expect(want string, args ...string) {
	e.t.Helper()
	if got := e.do(args...); got != want {
		e.t.Errorf("%s: got %q, want %q", strings.Join(args, " "), got, want)
	}
}

// strSplitArgs splits a script command: plain words, or Go-quoted strings.
func strSplitArgs(t *testing.T, line string) []string {
	var args []string
	for line = strings.TrimLeft(line, " "); line != ""; line = strings.TrimLeft(line, " ") {
		if line[0] != '"' {
			word, rest, _ := strings.Cut(line, " ")
			args = append(args, word)
			line = rest
			continue
		}
		quoted, err := strconv.QuotedPrefix(line)
		if err != nil {
			t.Fatalf("bad quoted argument in %q", line)
		}
		arg, _ := strconv.Unquote(quoted)
		args = append(args, arg)
		line = line[len(quoted):]
	}
	return args
}

func runStrScript(t *testing.T, script string) {
	t.Helper()
	e := newStrEnv(t)
	for i, line := range strings.Split(script, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		cmd, want, ok := strings.Cut(line, " -> ")
		if !ok {
			t.Fatalf("line %d: no reply in %q", i+1, line)
		}
		got := e.do(strSplitArgs(t, cmd)...)
		if want == "*" {
			continue
		}
		w, err := strconv.Unquote(want)
		if err != nil {
			t.Fatalf("line %d: bad reply %s", i+1, want)
		}
		if got != w {
			t.Errorf("line %d: %s: got %q, want %q", i+1, cmd, got, w)
		}
	}
}

func TestStringsGetSet(t *testing.T)      { runStrScript(t, strScriptGetSet) }
func TestStringsGetexGetdel(t *testing.T) { runStrScript(t, strScriptGetex) }
func TestStringsMgetMset(t *testing.T)    { runStrScript(t, strScriptMset) }
func TestStringsAppendRange(t *testing.T) { runStrScript(t, strScriptAppendRange) }
func TestStringsCounters(t *testing.T)    { runStrScript(t, strScriptCounters) }
func TestStringsIncrbyfloat(t *testing.T) { runStrScript(t, strScriptIncrbyfloat) }
func TestStringsLCS(t *testing.T)         { runStrScript(t, strScriptLCS) }
func TestStringsRESP3(t *testing.T)       { runStrScript(t, strScriptRESP3) }

func TestStringsPropagation(t *testing.T) {
	e := newStrEnv(t)
	at := func(d time.Duration) string { return strconv.FormatInt(strEpoch+d.Milliseconds(), 10) }

	// Expires become absolute: SET key value PXAT <ms>, whatever the flags.
	e.expect("+OK\r\n", "SET", "k", "v", "EX", "100")
	e.expectFeed("0: SET k v PXAT " + at(100*time.Second))
	e.expect("+OK\r\n", "set", "k", "v", "px", "5000")
	e.expectFeed("0: SET k v PXAT " + at(5*time.Second))
	e.expect("+OK\r\n", "SET", "k", "v", "EXAT", "2000000000")
	e.expectFeed("0: SET k v PXAT 2000000000000")
	e.expect("+OK\r\n", "SET", "k", "v", "PXAT", "2000000000123")
	e.expectFeed("0: SET k v PXAT 2000000000123")
	e.expect("$-1\r\n", "SET", "k", "v", "NX", "EX", "100")
	e.expectFeed()
	e.expect("+OK\r\n", "SET", "k2", "v", "NX", "EX", "100")
	e.expectFeed("0: SET k2 v PXAT " + at(100*time.Second))
	e.expect("$1\r\nv\r\n", "SET", "k", "w", "XX", "GET", "EX", "100")
	e.expectFeed("0: SET k w PXAT " + at(100*time.Second))
	e.expect("+OK\r\n", "SETEX", "k", "100", "v")
	e.expectFeed("0: SET k v PXAT " + at(100*time.Second))
	e.expect("+OK\r\n", "PSETEX", "k", "100", "v")
	e.expectFeed("0: SET k v PXAT " + at(100*time.Millisecond))

	// GET is stripped (every occurrence, after the value); the rest stays as sent.
	e.expect("$1\r\nv\r\n", "set", "k", "v", "GET")
	e.expectFeed("0: set k v")
	e.expect("$1\r\nv\r\n", "SET", "k", "get", "GET", "get")
	e.expectFeed("0: SET k get")
	e.expect("$3\r\nget\r\n", "SET", "k", "v", "KEEPTTL", "GET")
	e.expectFeed("0: SET k v KEEPTTL")
	e.expect("$1\r\nv\r\n", "set", "k", "v", "get", "xx")
	e.expectFeed("0: set k v xx")
	e.expect("$1\r\nv\r\n", "SET", "k", "v", "NX", "GET")
	e.expectFeed()
	e.expect("$-1\r\n", "SET", "k3", "v", "NX", "GET")
	e.expectFeed("0: SET k3 v NX")
	e.expect("+OK\r\n", "SET", "k", "v", "KEEPTTL")
	e.expectFeed("0: SET k v KEEPTTL")

	e.expect(":1\r\n", "SETNX", "k9", "v")
	e.expectFeed("0: SETNX k9 v")
	e.expect(":0\r\n", "SETNX", "k9", "v")
	e.expectFeed()
	e.expect("$1\r\nv\r\n", "getset", "k", "w")
	e.expectFeed("0: SET k w")

	// GETEX never propagates as itself.
	e.expect("$1\r\nw\r\n", "GETEX", "k")
	e.expectFeed()
	e.expect("$1\r\nw\r\n", "GETEX", "k", "EX", "100")
	e.expectFeed("0: PEXPIREAT k " + at(100*time.Second))
	e.expect("$1\r\nw\r\n", "GETEX", "k", "PX", "100")
	e.expectFeed("0: PEXPIREAT k " + at(100*time.Millisecond))
	e.expect("$1\r\nw\r\n", "GETEX", "k", "EXAT", "2000000000")
	e.expectFeed("0: PEXPIREAT k 2000000000000")
	e.expect("$1\r\nw\r\n", "GETEX", "k", "PXAT", "2000000000123")
	e.expectFeed("0: PEXPIREAT k 2000000000123")
	e.expect("$1\r\nw\r\n", "GETEX", "k", "PERSIST")
	e.expectFeed("0: PERSIST k")
	e.expect("$1\r\nw\r\n", "GETEX", "k", "PERSIST")
	e.expectFeed()
	e.expect("$1\r\nw\r\n", "GETEX", "k", "PXAT", strconv.FormatInt(strEpoch, 10)) // due now: deleted
	e.expectFeed("0: DEL k")
	e.expect(":0\r\n", "EXISTS", "k")

	e.expect("+OK\r\n", "SET", "k", "v")
	e.expectFeed("0: SET k v")
	e.expect("$1\r\nv\r\n", "GETDEL", "k")
	e.expectFeed("0: DEL k")
	e.expect("$-1\r\n", "GETDEL", "k")
	e.expectFeed()

	// INCRBYFLOAT sends its result, so nobody redoes float arithmetic.
	e.expect("$4\r\n10.5\r\n", "INCRBYFLOAT", "f", "10.5")
	e.expectFeed("0: SET f 10.5 KEEPTTL")
	e.expect("$4\r\n10.6\r\n", "INCRBYFLOAT", "f", "0.1")
	e.expectFeed("0: SET f 10.6 KEEPTTL")
	e.expect("-ERR value is not a valid float\r\n", "INCRBYFLOAT", "f", "x")
	e.expectFeed()

	// The rest propagate as sent, and only when they changed something.
	e.expect(":1\r\n", "INCR", "c")
	e.expect(":-9\r\n", "DECRBY", "c", "10")
	e.expect(":3\r\n", "APPEND", "c", "0")
	e.expect(":3\r\n", "SETRANGE", "c", "0", "")
	e.expect(":3\r\n", "SETRANGE", "c", "0", "1")
	e.expect("+OK\r\n", "MSET", "a", "1", "b", "2")
	e.expect(":0\r\n", "MSETNX", "a", "1", "z", "2")
	e.expect(":1\r\n", "MSETNX", "y", "1", "z", "2")
	e.expect("$1\r\n1\r\n", "GET", "a")
	e.expectFeed("0: INCR c", "0: DECRBY c 10", "0: APPEND c 0", "0: SETRANGE c 0 1",
		"0: MSET a 1 b 2", "0: MSETNX y 1 z 2")

	// The database travels with the command.
	e.expect("+OK\r\n", "SELECT", "3")
	e.expect("+OK\r\n", "SET", "k", "v", "EX", "1")
	e.expectFeed("3: SET k v PXAT " + at(time.Second))
}

func TestStringsLazyExpiry(t *testing.T) {
	e := newStrEnv(t)
	for _, k := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		e.expect("+OK\r\n", "SET", k, "1", "PX", "100")
	}
	e.feeds.take()
	e.ms.Add(101) // Redis expires a key once now > its expiry

	// Each command sees a missing key, and the deletion goes out first.
	e.expect("$-1\r\n", "GET", "a")
	e.expectFeed("0: DEL a")
	e.expect("+OK\r\n", "SET", "b", "w")
	e.expectFeed("0: DEL b", "0: SET b w")
	e.expect(":1\r\n", "INCR", "c")
	e.expectFeed("0: DEL c", "0: INCR c")
	e.expect("$1\r\n1\r\n", "INCRBYFLOAT", "d", "1")
	e.expectFeed("0: DEL d", "0: SET d 1 KEEPTTL")
	e.expect("$-1\r\n", "GETEX", "e", "PERSIST")
	e.expectFeed("0: DEL e")
	e.expect("$-1\r\n", "SET", "f", "y", "NX", "GET")
	e.expectFeed("0: DEL f", "0: SET f y NX")
	e.expect(":1\r\n", "APPEND", "g", "a")
	e.expectFeed("0: DEL g", "0: APPEND g a")
	e.expect("*2\r\n$-1\r\n$-1\r\n", "MGET", "h", "h")
	e.expectFeed("0: DEL h")
	for _, k := range []string{"b", "c", "d", "f", "g"} {
		e.expect(":-1\r\n", "TTL", k)
	}

	// SET with an expire already past stores the key; it dies on access.
	e.expect("+OK\r\n", "SET", "p", "v", "PXAT", "1")
	e.expectFeed("0: SET p v PXAT 1")
	e.expect(":0\r\n", "EXISTS", "p")
	e.expectFeed("0: DEL p")

	// Commands that modify in place keep the TTL; SET drops it.
	e.expect("+OK\r\n", "SET", "t", "5", "PX", "1000")
	e.ms.Add(400)
	e.expect(":6\r\n", "INCR", "t")
	e.expect(":2\r\n", "APPEND", "t", "x")
	e.expect(":2\r\n", "SETRANGE", "t", "0", "7")
	e.expect(":600\r\n", "PTTL", "t")
	e.expect("+OK\r\n", "SET", "t", "8", "KEEPTTL")
	e.expect(":9\r\n", "INCRBY", "t", "1")
	e.expect("$4\r\n10.5\r\n", "INCRBYFLOAT", "t", "1.5")
	e.expect(":600\r\n", "PTTL", "t")
	e.ms.Add(600)
	e.expect("$4\r\n10.5\r\n", "GET", "t") // due now, not yet past
	e.ms.Add(1)
	e.expect("$-1\r\n", "GET", "t")
}

func TestStringsDirty(t *testing.T) {
	e := newStrEnv(t)
	dirty := func() int64 {
		e.s.mu.Lock()
		defer e.s.mu.Unlock()
		return e.s.dirty
	}
	cases := []struct {
		args []string
		n    int64
	}{
		{[]string{"SET", "k", "v"}, 1},
		{[]string{"SET", "k", "v", "NX"}, 0},
		{[]string{"GET", "k"}, 0},
		{[]string{"MSET", "a", "1", "b", "2", "c", "3"}, 3},
		{[]string{"MSETNX", "a", "1", "d", "2"}, 0},
		{[]string{"MSETNX", "d", "1", "e", "2"}, 2},
		{[]string{"APPEND", "k", ""}, 1},
		{[]string{"SETRANGE", "k", "0", ""}, 0},
		{[]string{"SETRANGE", "k", "0", "x"}, 1},
		{[]string{"INCR", "n"}, 1},
		{[]string{"INCRBY", "k", "1"}, 0},
		{[]string{"INCRBYFLOAT", "n", "1.5"}, 1},
		{[]string{"GETEX", "k"}, 0},
		{[]string{"GETEX", "k", "EX", "10"}, 1},
		{[]string{"GETEX", "k", "PERSIST"}, 1},
		{[]string{"GETEX", "k", "PERSIST"}, 0},
		{[]string{"GETSET", "k", "v"}, 1},
		{[]string{"GETDEL", "k"}, 1},
		{[]string{"GETDEL", "k"}, 0},
		{[]string{"LCS", "a", "b"}, 0},
	}
	for _, tc := range cases {
		before := dirty()
		e.do(tc.args...)
		if got := dirty() - before; got != tc.n {
			t.Errorf("%s: dirty +%d, want +%d", strings.Join(tc.args, " "), got, tc.n)
		}
	}
}

// Limits use proto-max-bulk-len: checked with a small one (Redis 7.0.15
// gives the same errors with 1mb and the same arithmetic).
func TestStringsSizeLimits(t *testing.T) {
	e := newStrEnv(t, func(c *Config) { c.ProtoMaxBulkLen = 100 })
	e.expect(":100\r\n", "SETRANGE", "k", "99", "x")
	e.expect("-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n", "SETRANGE", "k", "100", "x")
	e.expect("-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n", "SETRANGE", "k", "99", "xy")
	e.expect("-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n", "SETRANGE", "new", "100", "x")
	e.expect(":0\r\n", "SETRANGE", "new", "1000", "")
	e.expect("-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n", "APPEND", "k", "z")
	e.expect(":100\r\n", "APPEND", "k", "")
	e.expect(":100\r\n", "STRLEN", "k")
	e.expect("-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n", "SETRANGE", "k", "9223372036854775807", "x")

	// LCS refuses a table (4 bytes a cell) beyond the limit: 5*5*4 = 100.
	e.expect("+OK\r\n", "SET", "a", "abcd")
	e.expect("+OK\r\n", "SET", "b", "bcd")
	e.expect(":3\r\n", "LCS", "a", "b", "LEN")
	e.expect("+OK\r\n", "SET", "b", "bcde")
	e.expect("$3\r\nbcd\r\n", "LCS", "a", "b")
	e.expect("+OK\r\n", "SET", "b", "bcdef")
	e.expect("-ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len\r\n", "LCS", "a", "b", "LEN")
	e.expect("-ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len\r\n", "LCS", "a", "b", "IDX")
}

// APPEND grows a raw value in place: the buffer is reused while it has room,
// so appending n bytes one at a time is linear, not quadratic.
func TestStringsAppendInPlace(t *testing.T) {
	e := newStrEnv(t)
	buf := func() []byte {
		e.s.mu.Lock()
		defer e.s.mu.Unlock()
		o := e.s.dbs[0].Lookup("k")
		if o.Enc != datatypes.EncRaw {
			t.Fatalf("encoding %s, want raw", o.Enc.Name())
		}
		return o.Str()
	}
	e.expect(":1\r\n", "APPEND", "k", "a")
	e.expect(":2\r\n", "APPEND", "k", "b")
	reused, grown := 0, 0
	for i := 3; i <= 2000; i++ {
		before := buf()
		e.c.Send("APPEND", "k", "x")
		if got, want := e.c.Read(), ":"+strconv.Itoa(i)+"\r\n"; got != want {
			t.Fatalf("APPEND: got %q, want %q", got, want)
		}
		after := buf()
		if cap(before) > len(before) {
			if &before[:cap(before)][0] != &after[:cap(after)][0] {
				t.Fatalf("append %d reallocated although the buffer had room", i)
			}
			reused++
		} else {
			grown++
		}
	}
	if grown > 30 {
		t.Errorf("%d reallocations for 2000 appends: growth is not amortized", grown)
	}
	e.expect(":2000\r\n", "STRLEN", "k")
}

// INCRBYFLOAT of 1e4932: 4933 digits of the long double next to 10^4932,
// then overflow; checked against redis-server 7.0.15.
func TestStringsIncrbyfloatHuge(t *testing.T) {
	e := newStrEnv(t)
	got := e.do("INCRBYFLOAT", "v", "1e4932")
	const prefix = "$4933\r\n1000000000000000000006018949387963891323837774254533114773785041352533019486608722407533327779433142773666525563666277682061860906440460336623416164931097542108653"
	if !strings.HasPrefix(got, prefix) || len(got) != len("$4933\r\n")+4933+2 {
		t.Errorf("INCRBYFLOAT v 1e4932: got %.200q", got)
	}
	e.expect("-ERR increment would produce NaN or Infinity\r\n", "INCRBYFLOAT", "v", "1e4932")
	e.expect("$3\r\nraw\r\n", "OBJECT", "ENCODING", "v")
}

// TestStringsIncrbyfloatRandom runs randomly generated INCRBYFLOAT cases
// (start value or missing key, increment, result) whose results were all
// recorded from redis-server 7.0.15, in an order drawn from SEED.
func TestStringsIncrbyfloatRandom(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	if v, err := strconv.ParseUint(os.Getenv("SEED"), 10, 64); err == nil {
		seed = v
	}
	t.Logf("SEED=%d", seed)
	rng := rand.New(rand.NewPCG(seed, seed))
	lines := strings.Split(strings.TrimSpace(strIncrbyfloatCases), "\n")
	rng.Shuffle(len(lines), func(i, j int) { lines[i], lines[j] = lines[j], lines[i] })
	e := newStrEnv(t)
	for i, line := range lines {
		f := strings.Split(line, "\t")
		start, incr, want := f[0], f[1], f[2]
		key := fmt.Sprintf("k%d", i)
		if start != "" {
			e.expect("+OK\r\n", "SET", key, start)
		}
		e.expect("$"+strconv.Itoa(len(want))+"\r\n"+want+"\r\n", "INCRBYFLOAT", key, incr)
		e.expect("$"+strconv.Itoa(len(want))+"\r\n"+want+"\r\n", "GET", key)
	}
}

// GET, SET with every option and error, SETNX, SETEX, PSETEX, GETSET.
const strScriptGetSet = `
	GET k -> "$-1\r\n"
	SET k v -> "+OK\r\n"
	GET k -> "$1\r\nv\r\n"
	SET k "" -> "+OK\r\n"
	GET k -> "$0\r\n\r\n"
	SET k "a b\r\n" -> "+OK\r\n"
	GET k -> "$5\r\na b\r\n\r\n"
	SET "" empty -> "+OK\r\n"
	GET "" -> "$5\r\nempty\r\n"
	set k v -> "+OK\r\n"
	SET k v NX -> "$-1\r\n"
	SET k v XX -> "+OK\r\n"
	SET k2 v XX -> "$-1\r\n"
	GET k2 -> "$-1\r\n"
	SET k2 v NX -> "+OK\r\n"
	SET k2 w nx -> "$-1\r\n"
	SET k v GET -> "$1\r\nv\r\n"
	SET k w get -> "$1\r\nv\r\n"
	SET k x GET GET -> "$1\r\nw\r\n"
	GET k -> "$1\r\nx\r\n"
	SET missing v GET -> "$-1\r\n"
	SET k y NX GET -> "$1\r\nx\r\n"
	GET k -> "$1\r\nx\r\n"
	SET k3 v NX GET -> "$-1\r\n"
	SET k4 v XX GET -> "$-1\r\n"
	EXISTS k4 -> ":0\r\n"
	SET k v NX XX -> "-ERR syntax error\r\n"
	SET k v XX NX -> "-ERR syntax error\r\n"
	SET k v EX -> "-ERR syntax error\r\n"
	SET k v EX 10 PX 10 -> "-ERR syntax error\r\n"
	SET k v PX 10 EX 10 -> "-ERR syntax error\r\n"
	SET k v EX 10 EXAT 10 -> "-ERR syntax error\r\n"
	SET k v PXAT 10 EX 10 -> "-ERR syntax error\r\n"
	SET k v KEEPTTL EX 10 -> "-ERR syntax error\r\n"
	SET k v EX 10 KEEPTTL -> "-ERR syntax error\r\n"
	SET k v PERSIST -> "-ERR syntax error\r\n"
	SET k v FOO -> "-ERR syntax error\r\n"
	SET k v EX 0 -> "-ERR invalid expire time in 'set' command\r\n"
	SET k v EX -1 -> "-ERR invalid expire time in 'set' command\r\n"
	SET k v PX 0 -> "-ERR invalid expire time in 'set' command\r\n"
	SET k v PX -100 -> "-ERR invalid expire time in 'set' command\r\n"
	SET k v EXAT 0 -> "-ERR invalid expire time in 'set' command\r\n"
	SET k v PXAT -1 -> "-ERR invalid expire time in 'set' command\r\n"
	SET k v EX abc -> "-ERR value is not an integer or out of range\r\n"
	SET k v EX 1.5 -> "-ERR value is not an integer or out of range\r\n"
	SET k v EX " 1" -> "-ERR value is not an integer or out of range\r\n"
	SET k v EX 9223372036854775 -> "-ERR invalid expire time in 'set' command\r\n"
	SET k v EX 9223372036854776 -> "-ERR invalid expire time in 'set' command\r\n"
	SET k v PX 9223372036854775807 -> "-ERR invalid expire time in 'set' command\r\n"
	SET k v EX 99999999999999999999 -> "-ERR value is not an integer or out of range\r\n"
	SET k v EXAT 9223372036854775 -> "+OK\r\n"
	SET k v EXAT 9223372036854776 -> "-ERR invalid expire time in 'set' command\r\n"
	SET k v PXAT 9223372036854775807 -> "+OK\r\n"
	SET k v EX 100 -> "+OK\r\n"
	TTL k -> ":100\r\n"
	SET k v EX 10 EX 100 -> "+OK\r\n"
	TTL k -> ":100\r\n"
	SET k v KEEPTTL -> "+OK\r\n"
	TTL k -> ":100\r\n"
	SET k w KEEPTTL GET -> "$1\r\nv\r\n"
	TTL k -> ":100\r\n"
	SET k v -> "+OK\r\n"
	TTL k -> ":-1\r\n"
	SET k v PX 100000 -> "+OK\r\n"
	TTL k -> ":100\r\n"
	SET k v XX KEEPTTL -> "+OK\r\n"
	TTL k -> ":100\r\n"
	SET k v EXAT 1 -> "+OK\r\n"
	GET k -> "$-1\r\n"
	SET k v PXAT 1 GET -> "$-1\r\n"
	EXISTS k -> ":0\r\n"
	SETNX k v -> ":1\r\n"
	SETNX k w -> ":0\r\n"
	GET k -> "$1\r\nv\r\n"
	SETEX k 100 v -> "+OK\r\n"
	TTL k -> ":100\r\n"
	SETEX k 0 v -> "-ERR invalid expire time in 'setex' command\r\n"
	SETEX k -5 v -> "-ERR invalid expire time in 'setex' command\r\n"
	SETEX k abc v -> "-ERR value is not an integer or out of range\r\n"
	SETEX k 9223372036854776 v -> "-ERR invalid expire time in 'setex' command\r\n"
	PSETEX k 0 v -> "-ERR invalid expire time in 'psetex' command\r\n"
	PSETEX k 100000 w -> "+OK\r\n"
	TTL k -> ":100\r\n"
	GET k -> "$1\r\nw\r\n"
	GETSET k z -> "$1\r\nw\r\n"
	TTL k -> ":-1\r\n"
	GETSET newkey z -> "$-1\r\n"
	GET newkey -> "$1\r\nz\r\n"
	LPUSH list a -> ":1\r\n"
	GET list -> "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
	SET list x GET -> "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
	SET list x NX GET -> "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
	GETSET list x -> "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
	SET list x NX -> "$-1\r\n"
	SET list x -> "+OK\r\n"
	GET list -> "$1\r\nx\r\n"
`

// GETEX and GETDEL.
const strScriptGetex = `
	GETEX k -> "$-1\r\n"
	GETEX k EX 0 -> "$-1\r\n"
	SET k v -> "+OK\r\n"
	GETEX k -> "$1\r\nv\r\n"
	TTL k -> ":-1\r\n"
	GETEX k EX 100 -> "$1\r\nv\r\n"
	TTL k -> ":100\r\n"
	GETEX k PX 200000 -> "$1\r\nv\r\n"
	TTL k -> ":200\r\n"
	GETEX k EXAT 99999999999 -> "$1\r\nv\r\n"
	GETEX k PERSIST -> "$1\r\nv\r\n"
	TTL k -> ":-1\r\n"
	GETEX k PERSIST -> "$1\r\nv\r\n"
	GETEX k EX 10 EX 20 -> "$1\r\nv\r\n"
	TTL k -> ":20\r\n"
	GETEX k EX 0 -> "-ERR invalid expire time in 'getex' command\r\n"
	GETEX k EX -1 -> "-ERR invalid expire time in 'getex' command\r\n"
	GETEX k PX 0 -> "-ERR invalid expire time in 'getex' command\r\n"
	GETEX k EXAT 0 -> "-ERR invalid expire time in 'getex' command\r\n"
	GETEX k EX abc -> "-ERR value is not an integer or out of range\r\n"
	GETEX k EX 9223372036854775 -> "-ERR invalid expire time in 'getex' command\r\n"
	GETEX k EX -> "-ERR syntax error\r\n"
	GETEX k EX 10 PX 10 -> "-ERR syntax error\r\n"
	GETEX k PERSIST EX 10 -> "-ERR syntax error\r\n"
	GETEX k EX 10 PERSIST -> "-ERR syntax error\r\n"
	GETEX k KEEPTTL -> "-ERR syntax error\r\n"
	GETEX k NX -> "-ERR syntax error\r\n"
	GETEX k XX -> "-ERR syntax error\r\n"
	GETEX k GET -> "-ERR syntax error\r\n"
	GETEX k FOO -> "-ERR syntax error\r\n"
	GETEX missing EX 10 -> "$-1\r\n"
	GETEX missing EX 0 -> "$-1\r\n"
	GETEX missing FOO -> "-ERR syntax error\r\n"
	GETEX k PXAT 1 -> "$1\r\nv\r\n"
	EXISTS k -> ":0\r\n"
	SET k v -> "+OK\r\n"
	GETEX k EXAT 1 -> "$1\r\nv\r\n"
	EXISTS k -> ":0\r\n"
	SET k 123 -> "+OK\r\n"
	GETEX k EX 100 -> "$3\r\n123\r\n"
	OBJECT ENCODING k -> "$3\r\nint\r\n"
	LPUSH list a -> ":1\r\n"
	GETEX list -> "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
	GETEX list EX 0 -> "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
	GETEX list FOO -> "-ERR syntax error\r\n"
	GETDEL k -> "$3\r\n123\r\n"
	GETDEL k -> "$-1\r\n"
	EXISTS k -> ":0\r\n"
	GETDEL list -> "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
	SET k v EX 100 -> "+OK\r\n"
	GETDEL k -> "$1\r\nv\r\n"
	TTL k -> ":-2\r\n"
`

// MGET, MSET, MSETNX.
const strScriptMset = `
	MSET a 1 b 2 c hello -> "+OK\r\n"
	MGET a b c d -> "*4\r\n$1\r\n1\r\n$1\r\n2\r\n$5\r\nhello\r\n$-1\r\n"
	MGET d -> "*1\r\n$-1\r\n"
	MSET a -> "-ERR wrong number of arguments for 'mset' command\r\n"
	MSET a b c -> "-ERR wrong number of arguments for 'mset' command\r\n"
	MSETNX a -> "-ERR wrong number of arguments for 'msetnx' command\r\n"
	MSETNX a b c -> "-ERR wrong number of arguments for 'msetnx' command\r\n"
	MSETNX a 10 x 1 -> ":0\r\n"
	GET a -> "$1\r\n1\r\n"
	EXISTS x -> ":0\r\n"
	MSETNX x 1 y 2 -> ":1\r\n"
	MGET x y -> "*2\r\n$1\r\n1\r\n$1\r\n2\r\n"
	MSETNX z 1 z 2 -> ":1\r\n"
	GET z -> "$1\r\n2\r\n"
	MSET k v k w -> "+OK\r\n"
	GET k -> "$1\r\nw\r\n"
	SET t v EX 100 -> "+OK\r\n"
	MSET t w -> "+OK\r\n"
	TTL t -> ":-1\r\n"
	LPUSH list a -> ":1\r\n"
	MGET a list b -> "*3\r\n$1\r\n1\r\n$-1\r\n$1\r\n2\r\n"
	MSET list x -> "+OK\r\n"
	GET list -> "$1\r\nx\r\n"
	MSETNX list2 1 list 2 -> ":0\r\n"
	OBJECT ENCODING a -> "$3\r\nint\r\n"
	OBJECT ENCODING c -> "$6\r\nembstr\r\n"
	MSET long 123456789012345678901234567890123456789012345 -> "+OK\r\n"
	OBJECT ENCODING long -> "$3\r\nraw\r\n"
`

// APPEND, STRLEN, GETRANGE, SUBSTR, SETRANGE, with encodings.
const strScriptAppendRange = `
	APPEND k hello -> ":5\r\n"
	OBJECT ENCODING k -> "$6\r\nembstr\r\n"
	APPEND k " world" -> ":11\r\n"
	OBJECT ENCODING k -> "$3\r\nraw\r\n"
	GET k -> "$11\r\nhello world\r\n"
	STRLEN k -> ":11\r\n"
	APPEND n 123 -> ":3\r\n"
	OBJECT ENCODING n -> "$3\r\nint\r\n"
	APPEND n 4 -> ":4\r\n"
	OBJECT ENCODING n -> "$3\r\nraw\r\n"
	GET n -> "$4\r\n1234\r\n"
	APPEND e abc -> ":3\r\n"
	OBJECT ENCODING e -> "$6\r\nembstr\r\n"
	APPEND e "" -> ":3\r\n"
	OBJECT ENCODING e -> "$3\r\nraw\r\n"
	APPEND empty "" -> ":0\r\n"
	OBJECT ENCODING empty -> "$6\r\nembstr\r\n"
	EXISTS empty -> ":1\r\n"
	STRLEN empty -> ":0\r\n"
	SET i 12 -> "+OK\r\n"
	APPEND i 3 -> ":3\r\n"
	GET i -> "$3\r\n123\r\n"
	OBJECT ENCODING i -> "$3\r\nraw\r\n"
	SET t v EX 100 -> "+OK\r\n"
	APPEND t w -> ":2\r\n"
	TTL t -> ":100\r\n"
	LPUSH list a -> ":1\r\n"
	APPEND list x -> "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
	STRLEN list -> "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
	STRLEN missing -> ":0\r\n"
	SET neg -123 -> "+OK\r\n"
	STRLEN neg -> ":4\r\n"
	SET s hello -> "+OK\r\n"
	GETRANGE s 0 -1 -> "$5\r\nhello\r\n"
	GETRANGE s 0 -100 -> "$1\r\nh\r\n"
	GETRANGE s -100 -1 -> "$5\r\nhello\r\n"
	GETRANGE s -1 -5 -> "$0\r\n\r\n"
	GETRANGE s 3 1 -> "$0\r\n\r\n"
	GETRANGE s 10 20 -> "$0\r\n\r\n"
	GETRANGE s 4 100 -> "$1\r\no\r\n"
	GETRANGE s -3 -2 -> "$2\r\nll\r\n"
	GETRANGE s 0 0 -> "$1\r\nh\r\n"
	GETRANGE s -1 -1 -> "$1\r\no\r\n"
	GETRANGE s 5 5 -> "$0\r\n\r\n"
	GETRANGE s -9223372036854775808 9223372036854775807 -> "$5\r\nhello\r\n"
	GETRANGE s 0 9223372036854775808 -> "-ERR value is not an integer or out of range\r\n"
	GETRANGE s a 1 -> "-ERR value is not an integer or out of range\r\n"
	GETRANGE s 0 1.5 -> "-ERR value is not an integer or out of range\r\n"
	SUBSTR s 1 3 -> "$3\r\nell\r\n"
	SUBSTR s -2 -1 -> "$2\r\nlo\r\n"
	GETRANGE missing 0 -1 -> "$0\r\n\r\n"
	GETRANGE missing a b -> "-ERR value is not an integer or out of range\r\n"
	SET em "" -> "+OK\r\n"
	GETRANGE em 0 -1 -> "$0\r\n\r\n"
	GETRANGE em 0 0 -> "$0\r\n\r\n"
	GETRANGE em -1 0 -> "$0\r\n\r\n"
	SET i 12345 -> "+OK\r\n"
	GETRANGE i 1 -2 -> "$3\r\n234\r\n"
	GETRANGE i -1 -1 -> "$1\r\n5\r\n"
	GETRANGE neg 0 0 -> "$1\r\n-\r\n"
	GETRANGE list 0 -1 -> "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
	SUBSTR list 0 -1 -> "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
	SETRANGE r -1 x -> "-ERR offset is out of range\r\n"
	SETRANGE r abc x -> "-ERR value is not an integer or out of range\r\n"
	SETRANGE r 9223372036854775808 x -> "-ERR value is not an integer or out of range\r\n"
	SETRANGE r 2 x -> ":3\r\n"
	GET r -> "$3\r\n\x00\x00x\r\n"
	OBJECT ENCODING r -> "$3\r\nraw\r\n"
	SETRANGE r 0 abcdef -> ":6\r\n"
	GET r -> "$6\r\nabcdef\r\n"
	SETRANGE r 1 "" -> ":6\r\n"
	SETRANGE r 10 Z -> ":11\r\n"
	GET r -> "$11\r\nabcdef\x00\x00\x00\x00Z\r\n"
	SETRANGE r 536870912 "" -> ":11\r\n"
	SETRANGE r 536870912 x -> "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n"
	SETRANGE r 536870911 xx -> "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n"
	SETRANGE r 9223372036854775807 x -> "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n"
	SETRANGE m 536870912 "" -> ":0\r\n"
	SETRANGE m 536870912 x -> "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n"
	SETRANGE m 1 "" -> ":0\r\n"
	EXISTS m -> ":0\r\n"
	SET f 12 -> "+OK\r\n"
	SETRANGE f 0 "" -> ":2\r\n"
	OBJECT ENCODING f -> "$3\r\nint\r\n"
	SETRANGE f 0 3 -> ":2\r\n"
	OBJECT ENCODING f -> "$3\r\nraw\r\n"
	GET f -> "$2\r\n32\r\n"
	SET g hello -> "+OK\r\n"
	OBJECT ENCODING g -> "$6\r\nembstr\r\n"
	SETRANGE g 0 H -> ":5\r\n"
	OBJECT ENCODING g -> "$3\r\nraw\r\n"
	GET g -> "$5\r\nHello\r\n"
	SET t v EX 100 -> "+OK\r\n"
	SETRANGE t 0 w -> ":1\r\n"
	TTL t -> ":100\r\n"
	SETRANGE list 0 x -> "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
	SETRANGE list -1 x -> "-ERR offset is out of range\r\n"
	SETRANGE list 0 "" -> "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
	SETRANGE list a x -> "-ERR value is not an integer or out of range\r\n"
`

// INCR, DECR, INCRBY, DECRBY.
const strScriptCounters = `
	INCR c -> ":1\r\n"
	INCR c -> ":2\r\n"
	DECR c -> ":1\r\n"
	DECR c -> ":0\r\n"
	DECR c -> ":-1\r\n"
	INCRBY c 10 -> ":9\r\n"
	DECRBY c 3 -> ":6\r\n"
	INCRBY c -7 -> ":-1\r\n"
	DECRBY c -100 -> ":99\r\n"
	OBJECT ENCODING c -> "$3\r\nint\r\n"
	INCRBY c abc -> "-ERR value is not an integer or out of range\r\n"
	INCRBY c 1.5 -> "-ERR value is not an integer or out of range\r\n"
	INCRBY c " 1" -> "-ERR value is not an integer or out of range\r\n"
	INCRBY c "" -> "-ERR value is not an integer or out of range\r\n"
	INCRBY c 9223372036854775808 -> "-ERR value is not an integer or out of range\r\n"
	DECRBY c abc -> "-ERR value is not an integer or out of range\r\n"
	SET m 9223372036854775807 -> "+OK\r\n"
	INCR m -> "-ERR increment or decrement would overflow\r\n"
	INCRBY m 0 -> ":9223372036854775807\r\n"
	INCRBY m -1 -> ":9223372036854775806\r\n"
	INCRBY m 1 -> ":9223372036854775807\r\n"
	SET n -9223372036854775808 -> "+OK\r\n"
	DECR n -> "-ERR increment or decrement would overflow\r\n"
	DECRBY n 1 -> "-ERR increment or decrement would overflow\r\n"
	INCRBY n -1 -> "-ERR increment or decrement would overflow\r\n"
	INCR n -> ":-9223372036854775807\r\n"
	DECRBY d -9223372036854775808 -> "-ERR decrement would overflow\r\n"
	DECRBY d 9223372036854775807 -> ":-9223372036854775807\r\n"
	DECRBY d 2 -> "-ERR increment or decrement would overflow\r\n"
	INCRBY d -9223372036854775808 -> "-ERR increment or decrement would overflow\r\n"
	INCRBY e -9223372036854775808 -> ":-9223372036854775808\r\n"
	GET e -> "$20\r\n-9223372036854775808\r\n"
	SET s " 1" -> "+OK\r\n"
	INCR s -> "-ERR value is not an integer or out of range\r\n"
	SET s 1.0 -> "+OK\r\n"
	INCR s -> "-ERR value is not an integer or out of range\r\n"
	SET s "" -> "+OK\r\n"
	INCR s -> "-ERR value is not an integer or out of range\r\n"
	SET s -0 -> "+OK\r\n"
	INCR s -> "-ERR value is not an integer or out of range\r\n"
	SET s 00 -> "+OK\r\n"
	INCR s -> "-ERR value is not an integer or out of range\r\n"
	SET s +1 -> "+OK\r\n"
	INCR s -> "-ERR value is not an integer or out of range\r\n"
	SET s abc -> "+OK\r\n"
	DECRBY s 1 -> "-ERR value is not an integer or out of range\r\n"
	SET s 5 -> "+OK\r\n"
	APPEND s 0 -> ":2\r\n"
	OBJECT ENCODING s -> "$3\r\nraw\r\n"
	INCR s -> ":51\r\n"
	OBJECT ENCODING s -> "$3\r\nint\r\n"
	SET t 5 EX 100 -> "+OK\r\n"
	INCR t -> ":6\r\n"
	TTL t -> ":100\r\n"
	SET big 123456789012345678901234567890123456789012345 -> "+OK\r\n"
	INCR big -> "-ERR value is not an integer or out of range\r\n"
	LPUSH list a -> ":1\r\n"
	INCR list -> "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
	DECR list -> "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
	INCRBY list 1 -> "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
	INCRBY list x -> "-ERR value is not an integer or out of range\r\n"
	DECRBY list x -> "-ERR value is not an integer or out of range\r\n"
	DECRBY list -9223372036854775808 -> "-ERR decrement would overflow\r\n"
`

// INCRBYFLOAT: long double results, strtold parsing, errors.
const strScriptIncrbyfloat = `
	SET k 10.5 -> "+OK\r\n"
	INCRBYFLOAT k 0.1 -> "$4\r\n10.6\r\n"
	OBJECT ENCODING k -> "$6\r\nembstr\r\n"
	INCRBYFLOAT x 0.1 -> "$3\r\n0.1\r\n"
	INCRBYFLOAT x 0.2 -> "$3\r\n0.3\r\n"
	INCRBYFLOAT i 1 -> "$1\r\n1\r\n"
	OBJECT ENCODING i -> "$6\r\nembstr\r\n"
	GET i -> "$1\r\n1\r\n"
	INCRBYFLOAT i 0.5 -> "$3\r\n1.5\r\n"
	INCRBYFLOAT y 3.0e3 -> "$4\r\n3000\r\n"
	INCRBYFLOAT y -3000 -> "$1\r\n0\r\n"
	INCRBYFLOAT z -0.0000000000000000001 -> "$1\r\n0\r\n"
	GET z -> "$1\r\n0\r\n"
	INCRBYFLOAT w 0x10 -> "$2\r\n16\r\n"
	INCRBYFLOAT w 0x1p-2 -> "$5\r\n16.25\r\n"
	INCRBYFLOAT w 0X.8P1 -> "$5\r\n17.25\r\n"
	INCRBYFLOAT w +1 -> "$5\r\n18.25\r\n"
	INCRBYFLOAT w .5 -> "$5\r\n18.75\r\n"
	INCRBYFLOAT w 5. -> "$5\r\n23.75\r\n"
	INCRBYFLOAT w 1E2 -> "$6\r\n123.75\r\n"
	INCRBYFLOAT w -1e+2 -> "$5\r\n23.75\r\n"
	INCRBYFLOAT w 0x -> "-ERR value is not a valid float\r\n"
	INCRBYFLOAT w 0x1p -> "-ERR value is not a valid float\r\n"
	INCRBYFLOAT w . -> "-ERR value is not a valid float\r\n"
	INCRBYFLOAT w 1e -> "-ERR value is not a valid float\r\n"
	INCRBYFLOAT w "" -> "-ERR value is not a valid float\r\n"
	INCRBYFLOAT w " 1" -> "-ERR value is not a valid float\r\n"
	INCRBYFLOAT w "1 " -> "-ERR value is not a valid float\r\n"
	INCRBYFLOAT w "\t1" -> "-ERR value is not a valid float\r\n"
	INCRBYFLOAT w 1,5 -> "-ERR value is not a valid float\r\n"
	INCRBYFLOAT w nan -> "-ERR value is not a valid float\r\n"
	INCRBYFLOAT w NaN -> "-ERR value is not a valid float\r\n"
	INCRBYFLOAT w -nan -> "-ERR value is not a valid float\r\n"
	INCRBYFLOAT w inf -> "-ERR increment would produce NaN or Infinity\r\n"
	INCRBYFLOAT w -inf -> "-ERR increment would produce NaN or Infinity\r\n"
	INCRBYFLOAT w infinity -> "-ERR increment would produce NaN or Infinity\r\n"
	INCRBYFLOAT w INF -> "-ERR increment would produce NaN or Infinity\r\n"
	INCRBYFLOAT w infin -> "-ERR value is not a valid float\r\n"
	INCRBYFLOAT w 1e5000 -> "-ERR value is not a valid float\r\n"
	INCRBYFLOAT w 1e-5000 -> "-ERR value is not a valid float\r\n"
	INCRBYFLOAT w 0e-5000 -> "$5\r\n23.75\r\n"
	INCRBYFLOAT w 1e-4940 -> "$5\r\n23.75\r\n"
	GET w -> "$5\r\n23.75\r\n"
	INCRBYFLOAT big 1e40 -> "$40\r\n9999999999999999999783686092270256259072\r\n"
	OBJECT ENCODING big -> "$6\r\nembstr\r\n"
	INCRBYFLOAT big2 1e50 -> "$51\r\n100000000000000000003583830118858923890798487404544\r\n"
	OBJECT ENCODING big2 -> "$3\r\nraw\r\n"
	SET s abc -> "+OK\r\n"
	INCRBYFLOAT s 1 -> "-ERR value is not a valid float\r\n"
	SET s " 1" -> "+OK\r\n"
	INCRBYFLOAT s 1 -> "-ERR value is not a valid float\r\n"
	SET s 1.5 -> "+OK\r\n"
	APPEND s 0 -> ":4\r\n"
	INCRBYFLOAT s 1 -> "$3\r\n2.5\r\n"
	SET s inf -> "+OK\r\n"
	INCRBYFLOAT s 1 -> "-ERR increment would produce NaN or Infinity\r\n"
	SET s -inf -> "+OK\r\n"
	INCRBYFLOAT s 1 -> "-ERR increment would produce NaN or Infinity\r\n"
	SET s nan -> "+OK\r\n"
	INCRBYFLOAT s 1 -> "-ERR value is not a valid float\r\n"
	SET s 1e-4940 -> "+OK\r\n"
	INCRBYFLOAT s 0 -> "$1\r\n0\r\n"
	SET s 0x10 -> "+OK\r\n"
	INCRBYFLOAT s 0 -> "$2\r\n16\r\n"
	SET s 9223372036854775807 -> "+OK\r\n"
	INCRBYFLOAT s 1 -> "$19\r\n9223372036854775808\r\n"
	OBJECT ENCODING s -> "$6\r\nembstr\r\n"
	INCRBYFLOAT q 0.000003814697265625 -> "$19\r\n0.00000381469726562\r\n"
	INCRBYFLOAT q2 0.000011444091796875 -> "$19\r\n0.00001144409179688\r\n"
	INCRBYFLOAT r 1.23456789012345678901234567890 -> "$19\r\n1.23456789012345679\r\n"
	INCRBYFLOAT r 100000000000000000000 -> "$21\r\n100000000000000000000\r\n"
	INCRBYFLOAT p 3.14159265358979323846 -> "$19\r\n3.14159265358979324\r\n"
	INCRBYFLOAT p -3.14159265358979323846 -> "$1\r\n0\r\n"
	INCRBYFLOAT o 1.5 -> "$3\r\n1.5\r\n"
	INCRBYFLOAT o -1.5 -> "$1\r\n0\r\n"
	INCRBYFLOAT o -1.5 -> "$4\r\n-1.5\r\n"
	INCRBYFLOAT m 5e-18 -> "$1\r\n0\r\n"
	INCRBYFLOAT m2 -5e-18 -> "$1\r\n0\r\n"
	INCRBYFLOAT m3 1.5e-17 -> "$19\r\n0.00000000000000002\r\n"
	INCRBYFLOAT m4 99999999999999999.999 -> "$18\r\n100000000000000000\r\n"
	INCRBYFLOAT m5 -1e308 -> "$309\r\n-99999999999999999996685879655845645660560099847415567207797047994921734868838061872100126921888539320446747225054013223152134749593960583597420814430196418767959100019603190778663109604507106667939153395788938914560543563061268364901618630217086589253444881623791300855757318142424510452728255046343928578048\r\n"
	INCRBYFLOAT m5 -1e308 -> "$310\r\n-199999999999999999993371759311691291321120199694831134415594095989843469737676123744200253843777078640893494450108026446304269499187921167194841628860392837535918200039206381557326219209014213335878306791577877829121087126122536729803237260434173178506889763247582601711514636284849020905456510092687857156096\r\n"
	SET t 1 EX 100 -> "+OK\r\n"
	INCRBYFLOAT t 1.5 -> "$3\r\n2.5\r\n"
	TTL t -> ":100\r\n"
	LPUSH list a -> ":1\r\n"
	INCRBYFLOAT list x -> "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
	INCRBYFLOAT list 1 -> "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
`

// LCS with every option, RESP2 then RESP3.
const strScriptLCS = `
	SET a ohmytext -> "+OK\r\n"
	SET b mynewtext -> "+OK\r\n"
	LCS a b -> "$6\r\nmytext\r\n"
	LCS a b LEN -> ":6\r\n"
	LCS a b len -> ":6\r\n"
	LCS a b IDX -> "*4\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n"
	LCS a b IDX MINMATCHLEN 4 -> "*4\r\n$7\r\nmatches\r\n*1\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n$3\r\nlen\r\n:6\r\n"
	LCS a b IDX MINMATCHLEN 4 WITHMATCHLEN -> "*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n$3\r\nlen\r\n:6\r\n"
	LCS a b IDX WITHMATCHLEN -> "*4\r\n$7\r\nmatches\r\n*2\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n*3\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n:2\r\n$3\r\nlen\r\n:6\r\n"
	LCS a b IDX MINMATCHLEN -5 -> "*4\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n"
	LCS a b IDX MINMATCHLEN 0 MINMATCHLEN 3 -> "*4\r\n$7\r\nmatches\r\n*1\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n$3\r\nlen\r\n:6\r\n"
	LCS a b LEN IDX -> "-ERR If you want both the length and indexes, please just use IDX.\r\n"
	LCS a b idx len -> "-ERR If you want both the length and indexes, please just use IDX.\r\n"
	LCS a b MINMATCHLEN -> "-ERR syntax error\r\n"
	LCS a b MINMATCHLEN x -> "-ERR value is not an integer or out of range\r\n"
	LCS a b MINMATCHLEN 1.5 IDX -> "-ERR value is not an integer or out of range\r\n"
	LCS a b FOO -> "-ERR syntax error\r\n"
	LCS a b LEN LEN -> ":6\r\n"
	LCS a b WITHMATCHLEN -> "$6\r\nmytext\r\n"
	LCS a b MINMATCHLEN 3 -> "$6\r\nmytext\r\n"
	LCS a missing -> "$0\r\n\r\n"
	LCS missing a LEN -> ":0\r\n"
	LCS missing missing2 IDX -> "*4\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:0\r\n"
	SET n1 12345 -> "+OK\r\n"
	SET n2 2345 -> "+OK\r\n"
	LCS n1 n2 -> "$4\r\n2345\r\n"
	LCS n1 n2 IDX WITHMATCHLEN -> "*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:1\r\n:4\r\n*2\r\n:0\r\n:3\r\n:4\r\n$3\r\nlen\r\n:4\r\n"
	SET x abcabcabc -> "+OK\r\n"
	SET y cbacbacba -> "+OK\r\n"
	LCS x y -> "$5\r\ncbabc\r\n"
	LCS x y IDX WITHMATCHLEN -> "*4\r\n$7\r\nmatches\r\n*5\r\n*3\r\n*2\r\n:8\r\n:8\r\n*2\r\n:6\r\n:6\r\n:1\r\n*3\r\n*2\r\n:7\r\n:7\r\n*2\r\n:4\r\n:4\r\n:1\r\n*3\r\n*2\r\n:6\r\n:6\r\n*2\r\n:2\r\n:2\r\n:1\r\n*3\r\n*2\r\n:4\r\n:4\r\n*2\r\n:1\r\n:1\r\n:1\r\n*3\r\n*2\r\n:2\r\n:2\r\n*2\r\n:0\r\n:0\r\n:1\r\n$3\r\nlen\r\n:5\r\n"
	LCS y x IDX WITHMATCHLEN -> "*4\r\n$7\r\nmatches\r\n*5\r\n*3\r\n*2\r\n:8\r\n:8\r\n*2\r\n:6\r\n:6\r\n:1\r\n*3\r\n*2\r\n:7\r\n:7\r\n*2\r\n:4\r\n:4\r\n:1\r\n*3\r\n*2\r\n:6\r\n:6\r\n*2\r\n:2\r\n:2\r\n:1\r\n*3\r\n*2\r\n:4\r\n:4\r\n*2\r\n:1\r\n:1\r\n:1\r\n*3\r\n*2\r\n:2\r\n:2\r\n*2\r\n:0\r\n:0\r\n:1\r\n$3\r\nlen\r\n:5\r\n"
	SET e "" -> "+OK\r\n"
	LCS e a IDX -> "*4\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:0\r\n"
	LCS a e -> "$0\r\n\r\n"
	LPUSH list a -> ":1\r\n"
	LCS a list -> "-ERR The specified keys must contain string values\r\n"
	LCS list a IDX -> "-ERR The specified keys must contain string values\r\n"
	LCS list missing LEN -> "-ERR The specified keys must contain string values\r\n"
	LCS a list FOO -> "-ERR The specified keys must contain string values\r\n"
	HELLO 3 -> *
	LCS a b IDX MINMATCHLEN 4 WITHMATCHLEN -> "%2\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n$3\r\nlen\r\n:6\r\n"
	LCS a b IDX -> "%2\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n"
	LCS missing missing2 IDX -> "%2\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:0\r\n"
	LCS a b LEN -> ":6\r\n"
	LCS a b -> "$6\r\nmytext\r\n"
`

// null replies under RESP3.
const strScriptRESP3 = `
	HELLO 3 -> *
	GET missing -> "_\r\n"
	SET k v -> "+OK\r\n"
	GET k -> "$1\r\nv\r\n"
	SET k v NX -> "_\r\n"
	SET k v XX GET -> "$1\r\nv\r\n"
	SET n v XX -> "_\r\n"
	SET n v NX GET -> "_\r\n"
	SETNX k v -> ":0\r\n"
	MGET k missing -> "*2\r\n$1\r\nv\r\n_\r\n"
	GETEX missing -> "_\r\n"
	GETEX k -> "$1\r\nv\r\n"
	GETDEL missing -> "_\r\n"
	GETSET missing v -> "_\r\n"
	GETRANGE missing 0 -1 -> "$1\r\nv\r\n"
	INCRBYFLOAT f 1.5 -> "$3\r\n1.5\r\n"
	INCR c -> ":1\r\n"
`

// strIncrbyfloatCases: start value ("" for a missing key), increment and
// redis-server 7.0.15's reply, tab-separated; generated at random.
const strIncrbyfloatCases = `
0.000000000000068880	0x9b1ed40c23p-41	0.30296957634125259
-7.427e6	905811	-6521189
0xb5ea81606ep-65	547e10	5470000000000
-6735804603294904068	0.34060	-6735804603294904067.5
513e-9	0x4b1dba5859	322621298777.00000050663948059
0xd8189c32c0p9	0x74f7525482p6	507351819526272
57.794639948930500	0.4649809261100979	58.2596208750405979
0x609c010946	0.0000000000065124	414934174022
0.44930	6.797e-29	0.4493
-3636804366408422878	-0.033701898070506386	-3636804366408422878
27.37907978510705098781932	-0.9027003684006485	26.47637941670640249
27.3107925339669	-488.1469	-460.83610746603309999
981e14	-6.188e-21	98100000000000000
-621863	-1912867953149457249	-1912867953150079112
807e21	16e-1	807000000000000000000000
4.671e47	0.93979	467100000000000000005934616768844606075561836544
5.364e50	57.1977	536399999999999999991315069142934569246891668668416
	-428227	-428227
909125	-5.055e26	-505500000000000000008388608
-409.53	-345.5	-755.03000000000000003
688e-5	-0.07359977019079755	-0.06671977019079755
0.00075594	58.29414	58.29489594
475667724516816957	0.32529455409919894	475667724516816957.3125
0x96737bc2c7p-15	0.0000000047073	19719927.52169800275441958
0.53146	728e-22	0.53146
0.759e-17	0.6869070054141213	0.68690700541412131
-9.852e43	-928827	-98519999999999999999599622697018289635196928
0.00090807	239882	239882.00090806999999415
-637.5200366	0x23a3b18532p21	321011424769867138.46875
-0.9353966323889655	0.2068430463086406	-0.7285535860803249
-0.909e-17	-447940625284058378	-447940625284058378
-151.9	147e-5	-151.89853
743e-6	0.00069136	0.00143436
7.869e45	0.8045943	7869000000000000000238019362535338304874741760
-4523937735333040281	-6.702e44	-670200000000000000015935932702806003062669312
-434224040204742263	-8.547e-4	-434224040204742263
-155382	272634023094394500	272634023094239118
825.665614	45.84184150425146435	871.50745550425146435
5090191452842848143	-0.4623286535925559	5090191452842848142.5
3.917e-22	7977747716544457518	7977747716544457518
23089	0.000000010543	23089.00000001054299936
0.6325371924141214	-0.8606610227258162	-0.2281238303116948
0xf6aca53f81	0.0008083	1059458465665.00080829858779907
425e-16	81e4	810000.00000000000005684
-461.493	90.72	-370.77299999999999999
9639024514293332676	0xe4c99e4381p18	9896616419351624388
	470.8757	470.87570000000000001
8335801289263289898	66.371232	8335801289263289964.5
0.44085628148276657	4743848613636453081	4743848613636453081.5
7695070500593766911	0xb000fe4404	7695071256524674563
-0.38672187113123835	538974272246101001	538974272246101000.625
784.330	-95101	-94316.67000000000000171
0.000000000004510	95.341	95.34100000000450999
18.5731	0.000000000000086454	18.57310000000008645
	-0.07024097895293746	-0.07024097895293746
7359530054265180675	2.399e14	7359769954265180675
-1701487359661763637	0x48570b5e07p-66	-1701487359661763637
	0.0000000000014969	0.0000000000014969
0x9035caae73p1	0x5f1f8164f7p-11	1238955019538.62060546875
515079	-2.973e-26	515079
0.00000000000024125	121e19	1210000000000000000000
	411e-14	0.00000000000411
-606393	3461453465227256162	3461453465226649769
0.28465908127773765	1138442670052132372	1138442670052132372.3125
0.0000000000014680	-623.3811705	-623.38117049999853203
469e-16	717e5	71700000
0.00094593	-438.745	-438.74405406999999998
0x68df9df1e7p-43	0xc4bdd0f684	844998178436.0512077808380127
0.041256	-71.8511538	-71.8098978
-0.37948853931233195	-133914766087066313	-133914766087066313.3828125
0xe0d9bf7146p11	94.42493212263142835468973	1977806595174494.4249267578125
57.220760847308	0.40172	57.622480847308
92e21	5785504134226886647	92005785504134226886656
542.57578	0.014784876087084342	542.59056487608708436
735e19	643136	7350000000000000643072
0.7746945653011619	28.990653619209150002397	29.7653481845103119
0x98a1fab804p-55	0x64005308bp9	13744069481984.00001811981201172
-5.592e43	-8953892983608036312	-55920000000000000001439620224865143965614080
-4933871268157342312	0.78212	-4933871268157342311
0.6751870071463142	0.96544	1.6406270071463142
0.00000000012186	-9420571198032161560	-9420571198032161560
	0.009853	0.009853
	0x83426545d8p15	18473112340004864
7.712e57	-7169	7712000000000000000123440682501398327832385048764926132224
0.000000000029845	8.1532185905869	8.153218590616745
-9150945155629341611	-0.2856005439219722	-9150945155629341611.5
-384.43331	3.467e-7	-384.43330965330000001
-566012	-554.1	-566566.10000000000002274
0xba4d3ac795p-16	3091324769812175419	3091324769824384885.75
0.00000000000079801	-0.034611036124453154	-0.03461103612365514
	502e8	50200000000
-6498977175155940011	858e-24	-6498977175155940011
303e-11	0.0094829	0.00948290303
97.24977990571994596762	0.000066612	97.24984651771994597
359e21	17.9935766144413312	359000000000000000000000
	34.28112928568243843	34.28112928568243843
883e-23	0x41ca0392aep8	72335899143680
10.29447539183411	67.686729320944	77.98120471277811
0.8424521008259374	0.000000020066	0.8424521208919374
0.000000000009721	-0.9202644760351619	-0.9202644760254409
-0.9754274023509104	583e-22	-0.9754274023509104
-528361	5.391e47	539100000000000000019061827448321899897389318144
	447.361889	447.36188899999999999
0.2328920791045861	-1.469e48	-1468999999999999999968525170614892288872508555264
-5029444164886695226	0.22883770044063811	-5029444164886695226
0.000031164	7871260642747266038	7871260642747266038
	0.0000000097509	0.0000000097509
-0.9659266158629509	900e20	90000000000000000000000
0.36678134124176354	6.61436925502795045164671	6.98115059626971399
	543087532799265601	543087532799265601
0x95f48ed5a3p-44	0.2179053447658117	0.25451552652406063
0.00096	-666743	-666742.9990399999999795
-736560	0.000000000000050809	-736559.99999999999994316
7574813281965122559	-766259	7574813281964356300
1.041e29	67.781176053171829149	104100000000000000003690987520
236e15	211e1	236000000000002110
254e15	0.41547	254000000000000000.421875
242816	-1391203975675042245	-1391203975674799429
3.917e43	-0.5493433105672239	39169999999999999999137941028163626125492224
-8.187e10	954349	-81869045651
946e-2	0.610402685177263	10.070402685177263
	6665386227359150978	6665386227359150978
0x9179e4400cp26	673e-3	41930642285647626240
-63.5567346	769973	769909.44326539999997294
-0.8927080961180396	-311581	-311581.89270809611804225
0x9dc7143e8d	-0.702e45	-701999999999999999980984924459764707118546944
-6704587115542028215	-5310861293434483136	-12015448408976511351
	-999548	-999548
0xa17e6892d9	-0.7030343445414327	693610517208.29696565866470337
740e-17	-946918	-946918
	-3925926472743533716	-3925926472743533716
0xe3b10671cdp7	369e22	3690000000125174728359936
907e-10	-3.740e-23	0.0000000907
0.00000000000033326	-3665878535431933053	-3665878535431933053
692003	-0.5218372279131056	692002.47816277208687552
1983455211449588534	0.9833375108172109	1983455211449588535
-0.47797430529883567	26.9707626326121513274937	26.49278832731331566
0.7306	-1943048358333485854	-1943048358333485853.25
9.934e-27	-46153	-46153
0x88b24a6269p3	69.117226836003589767	4696854172557.11722660064697266
105913	8.038e23	803800000000000000131072
5731887007733337363	0.6602389832272308	5731887007733337363.5
-694.910332	451266	450571.08966799999998898
-859.9554	-138.894	-998.84940000000000004
0x75b6e9dd35p-37	99.31147009985883567085321	102.99004841182190073
0.00000000000075859	83.1254147063425220930168	83.12541470634328068
	-9.547e1	-95.47
-1.405e-7	686.784528	686.78452785949999998
638675	-367.9660	638307.03399999999999181
0.0000000000013954	911666	911666.00000000000142109
-545683	1.826073074959737	-545681.17392692504029128
-8788096086070075676	-1.858e-3	-8788096086070075676
	0xa149026917	692714629399
2.497e32	794.5	249700000000000000000675920478208
539.291034	43.3012394142463348762666	582.59227341424633489
	73.34	73.34
-560592	-730.0515	-561322.0514999999999759
913e-16	-12.56743	-12.5674299999999087
	-909045	-909045
4.769e12	0x8ca0c16962	5372992451426
-762.5	6.365108085279	-756.13489191472099998
-834.1	0.000000000000004383	-834.09999999999999559
371.5797	0x7b5570bb6fp-35	386.9964189257859718
0.9120557257098527	768053	768053.9120557257098767
2.633e27	913.1545	2633000000000000000117440512
937876	35.901661183325627839562	937911.90166118332564338
64.50521752293	0.0000000000082405	64.5052175229382405
4.724e-14	0x1c15060416p15	3952207465218048
247.85	-0.5216435243883975	247.3283564756116025
417.1238141	-0.355094004151169	416.768720095848831
-186.9037	95.977788260100565	-90.925911739899435
963e-25	0.0000000014235	0.0000000014235
0.11780	0.6355175850370396	0.7533175850370396
63.199849099469043	638e22	6380000000000000000000000
	-0.0412928179707126	-0.0412928179707126
	270843837596150509	270843837596150509
4440479330078787444	32.830800179941	4440479330078787476.75
27e16	-837070	269999999999162930
	-1155178779110876630	-1155178779110876630
	273e-12	0.000000000273
-4.431e15	-4236675144892221237	-4241106144892221237
0x659ae18c5ep29	815e-4	234285188391452540928
11.334862891	-244785	-244773.66513710899999978
737e-2	0xccb571f96cp-26	13108.73130303144454967
0.87508	0.41441	1.28949
-2.516e45	178.9	-2515999999999999999970424513248056547896983552
	0.242e14	24200000000000
0x47edd3ee63p-6	0.999e-12	4827074489.546875
-0.005943899103749262	0xd11ba1aea4p-10	877062251.65421235089888796
2.962e-4	-0.133693295485382	-0.133397095485382
0.71424	301e-4	0.74434
-6729435911484944999	41e-15	-6729435911484944999
72.56486311661016837	642.117046	714.68190911661016834
0xee6d9ad1c4p3	8.294e-29	8192328633888
	-0.346122482343618	-0.346122482343618
0.000000000021363	0.00000000040233	0.000000000423693
0.00000077627	81.80359099935191508	81.80359177562191508
17.1080134168496	0.17703	17.2850434168496
4383908893459418302	0.0000000000041064	4383908893459418302
0x7ad9986c15p24	0.7491	8852274132549632000.5
`
