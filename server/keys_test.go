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

// Expected replies in these tests were checked against redis-server 7.0.15
// with the same commands.

// keysEnv is a clockEnv whose connection may SELECT another database.
type keysEnv struct {
	*clockEnv
	db int // database SELECTed on c
}

// keysEpoch is the injected clock's start.
const keysEpoch = testEpoch

func newKeysEnv(t *testing.T, mutate ...func(*Config)) *keysEnv {
	t.Helper()
	return &keysEnv{clockEnv: newClockEnv(t, &feedRecorder{sep: " "}, mutate...)}
}

// do runs a command and returns its raw reply.
func (e *keysEnv) do(args ...string) string {
	e.t.Helper()
	return e.c.Do(args...)
}

func (e *keysEnv) expect(want string, args ...string) {
	e.t.Helper()
	e.c.expect(want, args...)
}

// set stores a string in the SELECTed database: with SET when the strings
// family is there, else directly.
func (e *keysEnv) set(key, val string) {
	e.t.Helper()
	e.s.mu.Lock()
	hasSet := e.s.commands["set"] != nil
	e.s.mu.Unlock()
	if hasSet {
		e.expect("+OK\r\n", "SET", key, val)
		return
	}
	e.s.mu.Lock()
	e.s.setKey(e.s.dbs[e.db], []byte(key), datatypes.NewString([]byte(val)), false)
	e.s.addDirty(1)
	e.s.mu.Unlock()
}

// put stores an object directly (types whose commands are not ours).
func (e *keysEnv) put(key string, o *datatypes.Object) {
	e.s.mu.Lock()
	e.s.setKey(e.s.dbs[e.db], []byte(key), o, false)
	e.s.mu.Unlock()
}

func (e *keysEnv) selectDB(n int) {
	e.t.Helper()
	e.expect("+OK\r\n", "SELECT", strconv.Itoa(n))
	e.db = n
}

// locked runs fn under the keyspace lock.
func (e *keysEnv) locked(fn func(s *Server)) {
	e.s.mu.Lock()
	defer e.s.mu.Unlock()
	fn(e.s)
}

// bulks is the raw reply of an array of bulk strings.
func bulks(items ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", len(items))
	for _, it := range items {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(it), it)
	}
	return b.String()
}

// parseBulks parses a raw array of bulk strings (tests only).
func parseBulks(t *testing.T, raw string) []string {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(raw, "\r\n"), "\r\n")
	if !strings.HasPrefix(lines[0], "*") {
		t.Fatalf("not an array: %q", raw)
	}
	var out []string
	for i := 2; i < len(lines); i += 2 {
		out = append(out, lines[i])
	}
	return out
}

func TestDelUnlinkExists(t *testing.T) {
	e := newKeysEnv(t)
	e.set("a", "1")
	e.set("b", "hello")
	e.feeds.take()
	e.expect(":3\r\n", "EXISTS", "a", "a", "b", "c")
	e.expect(":2\r\n", "DEL", "a", "b", "c", "a")
	e.expectFeed("0 DEL a b c a")
	e.expect(":0\r\n", "DEL", "a")
	e.expectFeed() // nothing deleted, nothing propagated
	e.expect(":0\r\n", "EXISTS", "a")
	e.set("a", "1")
	e.set("b", "hello")
	e.feeds.take()
	e.expect(":2\r\n", "UNLINK", "a", "b", "c")
	e.expectFeed("0 UNLINK a b c")
	e.expect("-ERR wrong number of arguments for 'exists' command\r\n", "EXISTS")
	e.expect("-ERR wrong number of arguments for 'del' command\r\n", "DEL")
	e.expect(":0\r\n", "DBSIZE")
}

func TestType(t *testing.T) {
	e := newKeysEnv(t)
	e.expect("+none\r\n", "TYPE", "a")
	e.set("a", "1")
	e.expect("+string\r\n", "TYPE", "a")
	for _, tc := range []struct {
		t    datatypes.ObjType
		name string
	}{
		{datatypes.TypeList, "list"}, {datatypes.TypeSet, "set"}, {datatypes.TypeZSet, "zset"},
		{datatypes.TypeHash, "hash"}, {datatypes.TypeStream, "stream"},
	} {
		e.put(tc.name, &datatypes.Object{Type: tc.t})
		e.expect("+"+tc.name+"\r\n", "TYPE", tc.name)
	}
}

func TestRename(t *testing.T) {
	e := newKeysEnv(t)
	e.expect("-ERR no such key\r\n", "RENAME", "nokey", "x")
	e.expect("-ERR no such key\r\n", "RENAMENX", "nokey", "x")
	// Same name: nothing happens, but the key must exist.
	e.expect("-ERR no such key\r\n", "RENAME", "nokey", "nokey")
	e.set("a", "1")
	e.feeds.take()
	e.expect("+OK\r\n", "RENAME", "a", "a")
	e.expect(":0\r\n", "RENAMENX", "a", "a")
	e.expectFeed()

	e.set("b", "old")
	e.expect(":0\r\n", "RENAMENX", "a", "b")
	e.expect(":1\r\n", "PEXPIREAT", "a", strconv.Itoa(keysEpoch+100_000))
	e.feeds.take()
	e.expect("+OK\r\n", "RENAME", "a", "b") // overwrites b, carries a's TTL
	e.expectFeed("0 RENAME a b")
	e.expect(":0\r\n", "EXISTS", "a")
	e.expect(":100000\r\n", "PTTL", "b")
	e.expect("+OK\r\n", "RENAME", "b", "c")
	e.expect(":1\r\n", "RENAMENX", "c", "d")
	e.expect(":100000\r\n", "PTTL", "d")
	e.expect(":1\r\n", "EXISTS", "d")
	// A key without TTL renamed over one with a TTL has none.
	e.set("e", "v")
	e.expect("+OK\r\n", "RENAME", "e", "d")
	e.expect(":-1\r\n", "PTTL", "d")
	// The value object moved: it is the same one.
	e.locked(func(s *Server) {
		if o := s.dbs[0].Lookup("d"); o == nil || string(o.StringBytes()) != "v" {
			t.Errorf("d = %v", o)
		}
	})
	e.expect(":1\r\n", "DBSIZE")
}

func TestCopy(t *testing.T) {
	e := newKeysEnv(t)
	e.set("d", "10")
	e.set("s", "some string")
	e.expect(":1\r\n", "PEXPIREAT", "d", strconv.Itoa(keysEpoch+100_000))
	for _, tc := range []struct{ want, args string }{
		{"-ERR source and destination objects are the same\r\n", "d d"},
		{"-ERR DB index is out of range\r\n", "d e db 16"},
		{"-ERR DB index is out of range\r\n", "d e db -1"},
		{"-ERR value is not an integer or out of range\r\n", "d e db abc"},
		{"-ERR value is out of range, value must between -2147483648 and 2147483647\r\n", "d e db 2147483648"},
		{"-ERR syntax error\r\n", "d e db"},
		{"-ERR syntax error\r\n", "d e foo"},
		{"-ERR syntax error\r\n", "d e replace foo"},
		{":0\r\n", "nokey e"},
		{":1\r\n", "d e"},
		{":0\r\n", "d e"},
		{":0\r\n", "d e db 1 db 0"},
		{":1\r\n", "d e replace"},
		{":1\r\n", "d e REPLACE replace"},
		{":1\r\n", "d d db 1"},
		{":0\r\n", "d d DB 1"},
		{":1\r\n", "s s2"},
	} {
		e.expect(tc.want, append([]string{"COPY"}, strings.Fields(tc.args)...)...)
	}
	e.expect(":100000\r\n", "PTTL", "e")
	e.expect(":-1\r\n", "PTTL", "s2")
	e.selectDB(1)
	e.expect(":100000\r\n", "PTTL", "d")
	e.expect("$3\r\nint\r\n", "OBJECT", "ENCODING", "d")
	e.selectDB(0)
	e.expect("$6\r\nembstr\r\n", "OBJECT", "ENCODING", "s2")
	// A copy shares no memory with the original.
	e.locked(func(s *Server) {
		a, b := s.dbs[0].Lookup("s"), s.dbs[0].Lookup("s2")
		if &a.Str()[0] == &b.Str()[0] {
			t.Error("COPY shares the string buffer")
		}
	})
	e.feeds.take()
	e.expect(":1\r\n", "COPY", "s", "s3", "DB", "2")
	e.expectFeed("0 COPY s s3 DB 2")
	// A type that cannot be copied yet says so, as Redis's default case.
	e.put("weird", &datatypes.Object{Type: datatypes.TypeList})
	e.expect("-ERR unknown type object\r\n", "COPY", "weird", "w2")
}

func TestMove(t *testing.T) {
	e := newKeysEnv(t)
	e.set("d", "x")
	e.expect("-ERR source and destination objects are the same\r\n", "MOVE", "d", "0")
	e.expect("-ERR DB index is out of range\r\n", "MOVE", "d", "16")
	e.expect("-ERR DB index is out of range\r\n", "MOVE", "d", "-1")
	e.expect("-ERR value is not an integer or out of range\r\n", "MOVE", "d", "abc")
	e.expect(":0\r\n", "MOVE", "nokey", "1")
	e.expect(":1\r\n", "PEXPIREAT", "d", strconv.Itoa(keysEpoch+5000))
	e.feeds.take()
	e.expect(":1\r\n", "MOVE", "d", "1")
	e.expectFeed("0 MOVE d 1")
	e.expect(":0\r\n", "EXISTS", "d")
	e.set("d", "y")
	e.expect(":0\r\n", "MOVE", "d", "1") // exists in the target
	e.selectDB(1)
	e.expect(":5000\r\n", "PTTL", "d")
	e.expect(":1\r\n", "DBSIZE")
}

func TestKeys(t *testing.T) {
	e := newKeysEnv(t)
	e.expect("*0\r\n", "KEYS", "*")
	for _, k := range []string{"foo", "foobar", "bar", "f*o"} {
		e.set(k, "1")
	}
	e.expect("-ERR wrong number of arguments for 'keys' command\r\n", "KEYS")
	got := parseBulks(t, e.do("KEYS", "f*"))
	if strings.Join(sortedCopy(got), ",") != "f*o,foo,foobar" {
		t.Errorf("KEYS f* = %v", got)
	}
	e.expect(bulks("f*o"), "KEYS", `f\*o`)
	e.expect(bulks("bar"), "KEYS", "b?r")
	// Expired keys are hidden but, in Redis 7.0, not deleted by KEYS.
	e.expect(":1\r\n", "PEXPIREAT", "bar", strconv.Itoa(keysEpoch+10))
	e.advance(11 * time.Millisecond)
	e.feeds.take()
	if got := parseBulks(t, e.do("KEYS", "*")); len(got) != 3 {
		t.Errorf("KEYS * = %v", got)
	}
	e.expect(":4\r\n", "DBSIZE")
	e.expectFeed()
}

func sortedCopy(in []string) []string {
	out := append([]string(nil), in...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestScanErrors(t *testing.T) {
	e := newKeysEnv(t)
	e.set("a", "1")
	for _, tc := range []struct {
		want string
		args []string
	}{
		{"-ERR invalid cursor\r\n", []string{"abc"}},
		{"-ERR invalid cursor\r\n", []string{"18446744073709551616"}},
		{"-ERR invalid cursor\r\n", []string{"-18446744073709551616"}},
		{"-ERR invalid cursor\r\n", []string{"0x1"}},
		{"-ERR invalid cursor\r\n", []string{"+"}},
		{"-ERR invalid cursor\r\n", []string{"1 "}},
		{"-ERR invalid cursor\r\n", []string{" 0"}},
		{"-ERR syntax error\r\n", []string{"0", "count", "0"}},
		{"-ERR syntax error\r\n", []string{"0", "count", "-1"}},
		{"-ERR value is not an integer or out of range\r\n", []string{"0", "count", "abc"}},
		{"-ERR syntax error\r\n", []string{"0", "match"}},
		{"-ERR syntax error\r\n", []string{"0", "foo", "bar"}},
		{"-ERR syntax error\r\n", []string{"0", "count", "0", "foo"}},
	} {
		e.expect(tc.want, append([]string{"SCAN"}, tc.args...)...)
	}
	// strtoul leniencies Redis inherits: empty is 0, a sign is accepted.
	e.expect("*2\r\n$1\r\n0\r\n*1\r\n$1\r\na\r\n", "SCAN", "")
	e.expect("*2\r\n$1\r\n0\r\n*1\r\n$1\r\na\r\n", "SCAN", "-0")
	e.expect("*2\r\n$1\r\n0\r\n*1\r\n$1\r\na\r\n", "SCAN", "+0")
	e.expect("*2\r\n$1\r\n0\r\n*1\r\n$1\r\na\r\n", "SCAN", "0", "MATCH", "*", "COUNT", "1000", "TYPE", "String")
	e.expect("*2\r\n$1\r\n0\r\n*0\r\n", "SCAN", "0", "TYPE", "strin")
	e.expect("*2\r\n$1\r\n0\r\n*0\r\n", "SCAN", "0", "MATCH", "b*")
}

func TestParseScanCursor(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"0", 0, true}, {"", 0, true}, {"123", 123, true}, {"-1", 1<<64 - 1, true},
		{"-18446744073709551615", 1, true}, {"18446744073709551615", 1<<64 - 1, true},
		{"18446744073709551616", 0, false}, {"-", 0, false}, {"1a", 0, false}, {"+5", 5, true},
		{" 1", 0, false}, {"\t1", 0, false},
	} {
		got, ok := parseScanCursor([]byte(tc.in))
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseScanCursor(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// scanAll runs a full SCAN iteration, calling between(i) after each call.
func (e *keysEnv) scanAll(count int, extra []string, between func(i int)) map[string]int {
	e.t.Helper()
	seen, _ := e.scanCalls(count, extra, between)
	return seen
}

// scanCalls is scanAll that also returns the number of SCAN calls made.
func (e *keysEnv) scanCalls(count int, extra []string, between func(i int)) (map[string]int, int) {
	e.t.Helper()
	seen := map[string]int{}
	cursor := "0"
	for i := 1; ; i++ {
		args := append([]string{"SCAN", cursor, "COUNT", strconv.Itoa(count)}, extra...)
		raw := e.do(args...)
		lines := strings.Split(raw, "\r\n")
		if lines[0] != "*2" {
			e.t.Fatalf("SCAN reply %q", raw)
		}
		cursor = lines[2]
		for _, k := range parseBulks(e.t, strings.Join(lines[3:], "\r\n")) {
			seen[k]++
		}
		if cursor == "0" {
			return seen, i
		}
		if between != nil {
			between(i)
		}
		if i > 1_000_000 {
			e.t.Fatal("SCAN does not terminate")
		}
	}
}

// TestScanGrowth: every key present for the whole iteration is returned
// although the table grows (and rehashes) between calls.
func TestScanGrowth(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("SEED"); v != "" {
		seed, _ = strconv.ParseUint(v, 10, 64)
	}
	t.Logf("SEED=%d", seed)
	rng := rand.New(rand.NewPCG(seed, seed))
	e := newKeysEnv(t)
	const initial = 500
	for i := 0; i < initial; i++ {
		e.set("k"+strconv.Itoa(i), "v")
	}
	added := 0
	var before int
	e.locked(func(s *Server) { before, _ = s.dbs[0].Keys.Buckets() })
	seen := e.scanAll(3, nil, func(int) {
		// Grow the table by a few keys per call: several doublings happen
		// during the iteration.
		for n := rng.IntN(20); n > 0; n-- {
			e.set("new"+strconv.Itoa(added), "v")
			added++
		}
	})
	for i := 0; i < initial; i++ {
		if seen["k"+strconv.Itoa(i)] == 0 {
			t.Fatalf("key k%d never returned (added %d keys during the scan)", i, added)
		}
	}
	var after int
	e.locked(func(s *Server) { after, _ = s.dbs[0].Keys.Buckets() })
	if after < 4*before {
		t.Errorf("table went from %d to %d buckets: the scan did not see it grow", before, after)
	}
}

func TestScanCountAndFilters(t *testing.T) {
	e := newKeysEnv(t)
	for i := 0; i < 200; i++ {
		e.set("s"+strconv.Itoa(i), "v")
	}
	for i := 0; i < 50; i++ {
		e.put("l"+strconv.Itoa(i), &datatypes.Object{Type: datatypes.TypeList})
	}
	// Without filters a call returns at least COUNT keys unless it ends.
	raw := e.do("SCAN", "0", "COUNT", "20")
	if n := len(parseBulks(t, strings.SplitN(raw, "\r\n", 4)[3])); n < 20 {
		t.Errorf("SCAN COUNT 20 returned %d keys", n)
	}
	lists := e.scanAll(7, []string{"TYPE", "LIST"}, nil)
	if len(lists) != 50 {
		t.Errorf("SCAN TYPE list found %d keys, want 50", len(lists))
	}
	for k := range lists {
		if !strings.HasPrefix(k, "l") {
			t.Errorf("SCAN TYPE list returned %q", k)
		}
	}
	matched := e.scanAll(10, []string{"MATCH", "s1*"}, nil)
	if len(matched) != 111 { // s1, s10..s19, s100..s199
		t.Errorf("SCAN MATCH s1* found %d keys, want 111", len(matched))
	}
	// A call visits at most 1+COUNT*10 buckets: on a sparse table it
	// returns early, with few or no keys, rather than running long.
	e.locked(func(s *Server) {
		db := s.dbs[0]
		db.Clear()
		db.Keys.SetResizeAllowed(false) // keep the cron from shrinking it
		for i := 0; i < 4096; i++ {
			db.Add("x"+strconv.Itoa(i), datatypes.NewString([]byte("v")))
		}
		for i := 1; i < 4096; i++ {
			db.Delete("x" + strconv.Itoa(i))
		}
		for db.Keys.IsRehashing() {
			db.Keys.RehashSteps(100)
		}
	})
	all, calls := e.scanCalls(1, nil, nil)
	if len(all) != 1 || all["x0"] == 0 {
		t.Errorf("sparse table scan = %v", all)
	}
	var buckets int
	e.locked(func(s *Server) { buckets, _ = s.dbs[0].Keys.Buckets() })
	if least := buckets / 11; calls < least {
		t.Errorf("%d buckets scanned in %d calls of COUNT 1, want at least %d calls", buckets, calls, least)
	}
}

func TestScanSkipsExpired(t *testing.T) {
	e := newKeysEnv(t)
	e.set("a", "1")
	e.set("b", "2")
	e.set("c", "3")
	e.expect(":1\r\n", "PEXPIREAT", "a", strconv.Itoa(keysEpoch+1))
	e.expect(":1\r\n", "PEXPIREAT", "b", strconv.Itoa(keysEpoch+1))
	e.advance(2 * time.Millisecond)
	e.feeds.take()
	e.expect("*2\r\n$1\r\n0\r\n*1\r\n$1\r\nc\r\n", "SCAN", "0")
	// SCAN deletes the expired keys it meets, propagating DELs, and (as
	// in redis-server 7.0.15's AOF) not wrapped in MULTI/EXEC.
	if got := sortedCopy(e.feeds.take()); strings.Join(got, ",") != "0 DEL a,0 DEL b" {
		t.Errorf("propagated %v", got)
	}
	e.expect(":1\r\n", "DBSIZE")

	// TYPE's lookup expires the key first, so it reads as "none" (a Redis
	// 7.0 quirk kept for fidelity).
	e.set("a", "1")
	e.expect(":1\r\n", "PEXPIREAT", "a", strconv.Itoa(keysEpoch+3))
	e.advance(2 * time.Millisecond)
	e.expect("*2\r\n$1\r\n0\r\n*1\r\n$1\r\na\r\n", "SCAN", "0", "TYPE", "none")
	e.expect(":1\r\n", "DBSIZE")
}

func TestRandomKey(t *testing.T) {
	e := newKeysEnv(t)
	e.expect("$-1\r\n", "RANDOMKEY")
	e.set("live", "1")
	for i := 0; i < 50; i++ {
		k := "exp" + strconv.Itoa(i)
		e.set(k, "1")
		e.expect(":1\r\n", "PEXPIREAT", k, strconv.Itoa(keysEpoch+1))
	}
	e.advance(2 * time.Millisecond)
	e.feeds.take()
	e.expect("$4\r\nlive\r\n", "RANDOMKEY")
	for _, f := range e.feeds.take() {
		if !strings.HasPrefix(f, "0 DEL exp") {
			t.Errorf("RANDOMKEY propagated %q", f)
		}
	}
	// Expired keys drawn were deleted; repeat until all are gone.
	for i := 0; i < 200; i++ {
		e.expect("$4\r\nlive\r\n", "RANDOMKEY")
	}
}

func TestRandomKeyRESP3(t *testing.T) {
	e := newKeysEnv(t)
	e.do("HELLO", "3")
	e.expect("_\r\n", "RANDOMKEY")
	e.expect("_\r\n", "OBJECT", "ENCODING", "nokey")
}

func TestTouchDBSize(t *testing.T) {
	e := newKeysEnv(t)
	e.expect(":0\r\n", "TOUCH", "a", "b", "c")
	e.set("a", "1")
	e.expect(":2\r\n", "TOUCH", "a", "a", "b")
	e.expect(":1\r\n", "DBSIZE")
	e.expect("-ERR wrong number of arguments for 'dbsize' command\r\n", "DBSIZE", "x")
	// TOUCH updates the LRU clock; EXISTS does not.
	e.advance(30 * time.Second)
	e.expect(":1\r\n", "EXISTS", "a")
	e.expect(":30\r\n", "OBJECT", "IDLETIME", "a")
	e.expect(":1\r\n", "TOUCH", "a")
	e.expect(":0\r\n", "OBJECT", "IDLETIME", "a")
}

func TestFlush(t *testing.T) {
	e := newKeysEnv(t)
	for _, tc := range []struct{ want, args string }{
		{"-ERR syntax error\r\n", "FLUSHDB foo"},
		{"-ERR syntax error\r\n", "FLUSHALL a b"},
		{"-ERR syntax error\r\n", "FLUSHALL async sync"},
		{"+OK\r\n", "FLUSHDB async"},
		{"+OK\r\n", "FLUSHDB SYNC"},
		{"+OK\r\n", "FLUSHALL ASYNC"},
		{"+OK\r\n", "FLUSHALL sync"},
		{"+OK\r\n", "FLUSHALL"},
	} {
		e.expect(tc.want, strings.Fields(tc.args)...)
	}
	// Propagated even when there was nothing to flush.
	e.expectFeed("0 FLUSHDB async", "0 FLUSHDB SYNC", "0 FLUSHALL ASYNC", "0 FLUSHALL sync", "0 FLUSHALL")

	e.set("a", "1")
	e.selectDB(1)
	e.set("b", "1")
	e.set("c", "1")
	e.expect(":1\r\n", "PEXPIREAT", "c", strconv.Itoa(keysEpoch+1000))
	e.feeds.take()
	var dirty int64
	e.locked(func(s *Server) { dirty = s.dirty })
	e.expect("+OK\r\n", "FLUSHDB")
	e.expectFeed("1 FLUSHDB")
	e.locked(func(s *Server) {
		if s.dirty-dirty != 2 {
			t.Errorf("FLUSHDB of 2 keys added %d to dirty", s.dirty-dirty)
		}
		if s.dbs[1].Expires.Len() != 0 {
			t.Error("FLUSHDB left expires")
		}
	})
	e.expect(":0\r\n", "DBSIZE")
	e.selectDB(0)
	e.expect(":1\r\n", "DBSIZE")
	e.expect("+OK\r\n", "FLUSHALL")
	e.expect(":0\r\n", "DBSIZE")
}

func TestSwapDB(t *testing.T) {
	e := newKeysEnv(t)
	for _, tc := range []struct{ want, args string }{
		{"-ERR invalid first DB index\r\n", "a 1"},
		{"-ERR invalid second DB index\r\n", "0 a"},
		{"-ERR invalid first DB index\r\n", "2147483648 0"},
		{"-ERR DB index is out of range\r\n", "0 16"},
		{"-ERR DB index is out of range\r\n", "16 0"},
		{"-ERR DB index is out of range\r\n", "-1 0"},
		{"+OK\r\n", "0 0"},
	} {
		e.expect(tc.want, append([]string{"SWAPDB"}, strings.Fields(tc.args)...)...)
	}
	e.expectFeed("0 SWAPDB 0 0")
	e.set("a", "1")
	e.expect(":1\r\n", "PEXPIREAT", "a", strconv.Itoa(keysEpoch+1000))
	e.selectDB(1)
	e.set("b", "2")
	e.set("c", "3")
	e.feeds.take()
	e.expect("+OK\r\n", "SWAPDB", "0", "1")
	e.expectFeed("1 SWAPDB 0 1")
	// This connection stays on database 1, which now holds the old 0.
	e.expect(":1\r\n", "DBSIZE")
	e.expect(":1000\r\n", "PTTL", "a")
	e.selectDB(0)
	e.expect(":2\r\n", "DBSIZE")
	e.locked(func(s *Server) {
		if s.dbs[0].ID != 0 || s.dbs[1].ID != 1 {
			t.Error("SWAPDB changed database numbers")
		}
	})
}

func TestObject(t *testing.T) {
	e := newKeysEnv(t)
	e.set("int", "123")
	e.set("emb", "hello")
	e.set("raw", strings.Repeat("x", 45))
	e.set("big", "100000")
	for _, tc := range []struct{ want, args string }{
		{"$3\r\nint\r\n", "ENCODING int"},
		{"$6\r\nembstr\r\n", "ENCODING emb"},
		{"$3\r\nraw\r\n", "encoding raw"},
		{"$-1\r\n", "ENCODING nokey"},
		{"$-1\r\n", "REFCOUNT nokey"},
		{"$-1\r\n", "IDLETIME nokey"},
		{"$-1\r\n", "FREQ nokey"},
		{":2147483647\r\n", "REFCOUNT int"},
		{":1\r\n", "REFCOUNT big"},
		{":1\r\n", "REFCOUNT emb"},
		{"-ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.\r\n", "FREQ emb"},
		{"-ERR wrong number of arguments for 'object|encoding' command\r\n", "ENCODING"},
		{"-ERR wrong number of arguments for 'object|encoding' command\r\n", "ENCODING a b"},
		{"-ERR unknown subcommand 'foo'. Try OBJECT HELP.\r\n", "foo a"},
	} {
		e.expect(tc.want, append([]string{"OBJECT"}, strings.Fields(tc.args)...)...)
	}
	e.expect("-ERR wrong number of arguments for 'object' command\r\n", "OBJECT")
	e.expect("*15\r\n+OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"+
		"+ENCODING <key>\r\n"+
		"+    Return the kind of internal representation used in order to store the value\r\n"+
		"+    associated with a <key>.\r\n"+
		"+FREQ <key>\r\n"+
		"+    Return the access frequency index of the <key>. The returned integer is\r\n"+
		"+    proportional to the logarithm of the recent access frequency of the key.\r\n"+
		"+IDLETIME <key>\r\n"+
		"+    Return the idle time of the <key>, that is the approximated number of\r\n"+
		"+    seconds elapsed since the last access to the key.\r\n"+
		"+REFCOUNT <key>\r\n"+
		"+    Return the number of references of the value associated with the specified\r\n"+
		"+    <key>.\r\n"+
		"+HELP\r\n"+
		"+    Prints this help.\r\n", "OBJECT", "HELP")

	// IDLETIME counts seconds since the last access on the LRU clock, and
	// OBJECT itself is not an access.
	e.expect(":0\r\n", "OBJECT", "IDLETIME", "emb")
	e.advance(90 * time.Second)
	e.expect(":90\r\n", "OBJECT", "IDLETIME", "emb")
	e.expect(":90\r\n", "OBJECT", "IDLETIME", "emb")
	e.expect(":1\r\n", "TOUCH", "emb")
	e.expect(":0\r\n", "OBJECT", "IDLETIME", "emb")
	// The 24-bit clock wraps: an access just before the wrap is still
	// measured right after it.
	e.locked(func(s *Server) { s.dbs[0].Lookup("emb").LRU = lruClockMax - 5 })
	e.ms.Store((int64(lruClockMax)+1)*1000*3 + 10_000) // clock reads 10
	e.expect(":15\r\n", "OBJECT", "IDLETIME", "emb")
}

func TestObjectPolicies(t *testing.T) {
	e := newKeysEnv(t)
	e.set("int", "5")
	e.set("emb", "hello")
	// With a memory limit and an LRU/LFU policy every key needs its own
	// clock, so Redis does not share integers.
	e.locked(func(s *Server) { s.cfg.MaxMemory = 1 << 30; s.cfg.MaxMemoryPolicy = "allkeys-lru" })
	e.expect(":1\r\n", "OBJECT", "REFCOUNT", "int")
	e.locked(func(s *Server) { s.cfg.MaxMemoryPolicy = "volatile-ttl" })
	e.expect(":2147483647\r\n", "OBJECT", "REFCOUNT", "int")
	e.locked(func(s *Server) { s.cfg.MaxMemory = 0; s.cfg.MaxMemoryPolicy = "allkeys-lfu" })
	e.expect(":2147483647\r\n", "OBJECT", "REFCOUNT", "int")
	e.expect("-ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.\r\n",
		"OBJECT", "IDLETIME", "emb")
	// FREQ decays the 8-bit counter by one per idle minute.
	minutes := uint32(keysEpoch / 1000 / 60 & 65535)
	e.locked(func(s *Server) { s.dbs[0].Lookup("emb").LRU = minutes<<8 | 7 })
	e.expect(":7\r\n", "OBJECT", "FREQ", "emb")
	e.advance(3 * time.Minute)
	e.expect(":4\r\n", "OBJECT", "FREQ", "emb")
	e.advance(10 * time.Minute)
	e.expect(":0\r\n", "OBJECT", "FREQ", "emb")
}

// TestKeyspaceStats: which commands count keyspace hits and misses, as
// redis-server 7.0 does.
func TestKeyspaceStats(t *testing.T) {
	e := newKeysEnv(t)
	for _, tc := range []struct {
		args         string
		hits, misses int64
	}{
		{"OBJECT ENCODING a", 1, 0},
		{"OBJECT ENCODING nokey", 0, 1},
		{"EXISTS a", 1, 0},
		{"TYPE a", 1, 0},
		{"TTL a", 1, 0},
		{"PEXPIRETIME a", 1, 0},
		{"TOUCH a", 1, 0},
		{"COPY a a2", 1, 0},
		{"SCAN 0 TYPE string", 1, 0},
		{"RENAME a a", 0, 0},
		{"PERSIST a", 0, 0},
		{"EXPIRE a 100", 0, 0},
		{"MOVE a 5", 0, 0},
		{"KEYS *", 0, 0},
		{"RANDOMKEY", 0, 0},
		{"DEL a", 0, 0},
	} {
		e.do("FLUSHALL")
		e.set("a", "1")
		var h0, m0 int64
		e.locked(func(s *Server) { h0, m0 = s.stats.keyspaceHits, s.stats.keyspaceMisses })
		e.do(strings.Fields(tc.args)...)
		e.locked(func(s *Server) {
			if h, m := s.stats.keyspaceHits-h0, s.stats.keyspaceMisses-m0; h != tc.hits || m != tc.misses {
				t.Errorf("%s: hits %d misses %d, want %d %d", tc.args, h, m, tc.hits, tc.misses)
			}
		})
	}
}
