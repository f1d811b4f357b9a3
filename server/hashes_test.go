package server

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// Expected replies below were recorded from redis-server 7.0.15; when it is
// installed, hashStep scripts also run against it so a drift shows up as a
// failure on the Redis side.

// hashStep is one command of a script and its exact reply.
type hashStep struct {
	want string
	args []string
}

func hst(want string, args ...string) hashStep { return hashStep{want, args} }

// runHashScript runs steps on Ferrite and, when available, on redis-server.
func runHashScript(t *testing.T, steps []hashStep, mutate ...func(*Config)) {
	t.Helper()
	s := startServer(t, mutate...)
	c := dial(t, s)
	for _, step := range steps {
		c.expect(step.want, step.args...)
	}
	if testing.Short() {
		return
	}
	r := startRedis(t)
	for _, step := range steps {
		if got := r.Do(step.args...); got != step.want {
			t.Errorf("redis-server: %s: got %q, want %q", strings.Join(step.args, " "), got, step.want)
		}
	}
}

const hashWrongType = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"

func TestHashBasics(t *testing.T) {
	runHashScript(t, []hashStep{
		hst(":3\r\n", "HSET", "h", "a", "1", "b", "2", "c", "x"),
		hst(":0\r\n", "HSET", "h", "a", "3"),
		hst(":1\r\n", "HSET", "h", "a", "4", "n", "-7"),
		hst("-ERR wrong number of arguments for 'hset' command\r\n", "HSET", "h", "a", "1", "b"),
		hst("-ERR wrong number of arguments for 'hmset' command\r\n", "HMSET", "h", "a"),
		hst("+OK\r\n", "HMSET", "h", "d", "4", "a", "3"),
		hst("*10\r\n$1\r\na\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\nx\r\n$1\r\nn\r\n$2\r\n-7\r\n$1\r\nd\r\n$1\r\n4\r\n", "HGETALL", "h"),
		hst(":0\r\n", "HSETNX", "h", "a", "9"),
		hst(":1\r\n", "HSETNX", "h", "z", "9"),
		hst(":1\r\n", "HSETNX", "new", "f", "v"),
		hst("$1\r\n3\r\n", "HGET", "h", "a"),
		hst("$-1\r\n", "HGET", "h", "nope"),
		hst("$-1\r\n", "HGET", "nokey", "a"),
		hst("*3\r\n$1\r\n3\r\n$-1\r\n$1\r\nx\r\n", "HMGET", "h", "a", "q", "c"),
		hst("*2\r\n$-1\r\n$-1\r\n", "HMGET", "nokey", "a", "b"),
		hst(":6\r\n", "HLEN", "h"),
		hst(":0\r\n", "HLEN", "nokey"),
		hst(":2\r\n", "HSTRLEN", "h", "n"),
		hst(":1\r\n", "HSTRLEN", "h", "c"),
		hst(":0\r\n", "HSTRLEN", "h", "nope"),
		hst(":0\r\n", "HSTRLEN", "nokey", "a"),
		hst(":1\r\n", "HEXISTS", "h", "a"),
		hst(":0\r\n", "HEXISTS", "h", "nope"),
		hst(":0\r\n", "HEXISTS", "nokey", "a"),
		hst("*6\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nn\r\n$1\r\nd\r\n$1\r\nz\r\n", "HKEYS", "h"),
		hst("*6\r\n$1\r\n3\r\n$1\r\n2\r\n$1\r\nx\r\n$2\r\n-7\r\n$1\r\n4\r\n$1\r\n9\r\n", "HVALS", "h"),
		hst("*0\r\n", "HKEYS", "nokey"),
		hst("*0\r\n", "HVALS", "nokey"),
		hst("*0\r\n", "HGETALL", "nokey"),
		hst(":2\r\n", "HDEL", "h", "a", "b", "nope"),
		hst(":0\r\n", "HDEL", "h", "nope"),
		hst(":0\r\n", "HDEL", "nokey", "a"),
		// The last field deletes the key; later fields are not counted.
		hst(":4\r\n", "HDEL", "h", "c", "n", "d", "z", "a"),
		hst(":0\r\n", "EXISTS", "h"),
		hst(":1\r\n", "HDEL", "new", "f"),
		hst(":0\r\n", "EXISTS", "new"),
	})
}

func TestHashWrongType(t *testing.T) {
	steps := []hashStep{hst("+OK\r\n", "SET", "s", "x")}
	for _, args := range [][]string{
		{"HSET", "s", "a", "1"}, {"HMSET", "s", "a", "1"}, {"HSETNX", "s", "a", "1"}, {"HGET", "s", "a"},
		{"HMGET", "s", "a"}, {"HDEL", "s", "a"}, {"HLEN", "s"}, {"HSTRLEN", "s", "a"}, {"HEXISTS", "s", "a"},
		{"HKEYS", "s"}, {"HVALS", "s"}, {"HGETALL", "s"}, {"HINCRBY", "s", "a", "1"},
		{"HINCRBYFLOAT", "s", "a", "1"}, {"HRANDFIELD", "s"}, {"HRANDFIELD", "s", "0"},
		{"HRANDFIELD", "s", "2", "WITHVALUES"}, {"HSCAN", "s", "0"},
	} {
		steps = append(steps, hst(hashWrongType, args...))
	}
	steps = append(steps,
		// Argument errors come before the type check where Redis parses first.
		hst("-ERR value is not an integer or out of range\r\n", "HINCRBY", "s", "a", "x"),
		hst("-ERR value is not a valid float\r\n", "HINCRBYFLOAT", "s", "a", "x"),
		hst("-ERR invalid cursor\r\n", "HSCAN", "s", "x"),
		hst("-ERR syntax error\r\n", "HRANDFIELD", "s", "1", "x"),
	)
	runHashScript(t, steps)
}

func TestHashIncr(t *testing.T) {
	runHashScript(t, []hashStep{
		hst(":5\r\n", "HINCRBY", "h", "a", "5"),
		hst(":-1\r\n", "HINCRBY", "h", "a", "-6"),
		hst(":1\r\n", "HSET", "h", "s", "abc"),
		hst("-ERR hash value is not an integer\r\n", "HINCRBY", "h", "s", "1"),
		hst("-ERR value is not an integer or out of range\r\n", "HINCRBY", "h", "a", "1.5"),
		hst(":1\r\n", "HSET", "h", "m", "9223372036854775807"),
		hst("-ERR increment or decrement would overflow\r\n", "HINCRBY", "h", "m", "1"),
		hst(":-9223372036854775808\r\n", "HINCRBY", "h", "n", "-9223372036854775808"),
		hst("-ERR increment or decrement would overflow\r\n", "HINCRBY", "h", "n", "-1"),
		hst("$4\r\n10.5\r\n", "HINCRBYFLOAT", "h", "f", "10.5"),
		hst("$4\r\n10.6\r\n", "HINCRBYFLOAT", "h", "f", "0.1"),
		hst("$4\r\n5000\r\n", "HINCRBYFLOAT", "h", "f", "4989.4"),
		hst(":1\r\n", "HSET", "h", "i", "7"),
		hst("$3\r\n7.5\r\n", "HINCRBYFLOAT", "h", "i", "0.5"),
		hst("$1\r\n3\r\n", "HINCRBYFLOAT", "h", "z", "3.0"),
		hst(":0\r\n", "HSET", "h", "s", "abc"),
		hst("-ERR hash value is not a float\r\n", "HINCRBYFLOAT", "h", "s", "1"),
		hst("-ERR value is not a valid float\r\n", "HINCRBYFLOAT", "h", "f", "abc"),
		hst("-ERR value is not a valid float\r\n", "HINCRBYFLOAT", "h", "f", "nan"),
		hst("-ERR value is NaN or Infinity\r\n", "HINCRBYFLOAT", "h", "f", "inf"),
		hst("-ERR value is NaN or Infinity\r\n", "HINCRBYFLOAT", "h", "f", "-Infinity"),
		hst(":1\r\n", "HSET", "h", "big", "1e4932"),
		hst("-ERR increment would produce NaN or Infinity\r\n", "HINCRBYFLOAT", "h", "big", "1e4932"),
		// A new key is created even when the field then fails: nothing fails here.
		hst("$1\r\n1\r\n", "HINCRBYFLOAT", "fresh", "f", "1"),
	})
}

func TestHashIncrPropagation(t *testing.T) {
	e := newClockEnv(t, &feedRecorder{sep: " ", skipMulti: true})
	e.c.expect("$3\r\n1.5\r\n", "HINCRBYFLOAT", "h", "f", "1.5")
	e.expectFeed("0 HSET h f 1.5")
	e.c.expect("$1\r\n3\r\n", "HINCRBYFLOAT", "h", "f", "1.5e0")
	e.expectFeed("0 HSET h f 3")
	e.c.expect(":4\r\n", "HINCRBY", "h", "f", "1")
	e.expectFeed("0 HINCRBY h f 1")
	e.c.expect(":1\r\n", "HSET", "h", "a", "1")
	e.c.expect(":0\r\n", "HSETNX", "h", "a", "1")
	e.c.expect(":0\r\n", "HDEL", "h", "zz")
	e.c.expect(":2\r\n", "HDEL", "h", "a", "f")
	e.expectFeed("0 HSET h a 1", "0 HDEL h a f")
	// Failed writes propagate nothing.
	e.c.expect("-ERR value is not a valid float\r\n", "HINCRBYFLOAT", "h", "f", "x")
	e.expectFeed()
}

func TestHashDirty(t *testing.T) {
	s := startServer(t)
	c := dial(t, s)
	dirty := func() int64 {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.dirty
	}
	d0 := dirty()
	c.expect(":2\r\n", "HSET", "h", "a", "1", "b", "2")
	c.expect(":0\r\n", "HSET", "h", "a", "1")
	c.expect(":0\r\n", "HSETNX", "h", "a", "1")
	c.expect(":1\r\n", "HDEL", "h", "a", "zz")
	if got := dirty() - d0; got != 4 {
		t.Errorf("dirty grew by %d, want 4 (2 HSET pairs + 1 + HDEL 1, none for HSETNX)", got)
	}
}

func TestHashEncodingTransitions(t *testing.T) {
	long := strings.Repeat("x", 9)
	runHashScript(t, []hashStep{
		hst("+OK\r\n", "CONFIG", "SET", "hash-max-listpack-entries", "4"),
		hst("+OK\r\n", "CONFIG", "SET", "hash-max-listpack-value", "8"),
		hst(":4\r\n", "HSET", "h", "a", "1", "b", "2", "c", "3", "d", "4"),
		hst("$8\r\nlistpack\r\n", "OBJECT", "ENCODING", "h"),
		hst(":0\r\n", "HSET", "h", "a", "12345678"),
		hst("$8\r\nlistpack\r\n", "OBJECT", "ENCODING", "h"),
		hst(":1\r\n", "HSET", "h", "e", "5"),
		hst("$9\r\nhashtable\r\n", "OBJECT", "ENCODING", "h"),
		// Never converts back.
		hst(":4\r\n", "HDEL", "h", "a", "b", "c", "d"),
		hst("$9\r\nhashtable\r\n", "OBJECT", "ENCODING", "h"),
		hst("*2\r\n$1\r\ne\r\n$1\r\n5\r\n", "HGETALL", "h"),
		// A long value or field converts at once.
		hst(":1\r\n", "HSET", "v", "a", long),
		hst("$9\r\nhashtable\r\n", "OBJECT", "ENCODING", "v"),
		hst(":1\r\n", "HSET", "f", long, "1"),
		hst("$9\r\nhashtable\r\n", "OBJECT", "ENCODING", "f"),
		hst(":1\r\n", "HSETNX", "nx", long, "1"),
		hst("$9\r\nhashtable\r\n", "OBJECT", "ENCODING", "nx"),
		// HSETNX on an existing field converts nothing (the check comes first).
		hst(":1\r\n", "HSET", "nx2", "a", "1"),
		hst(":0\r\n", "HSETNX", "nx2", "a", long),
		hst("$8\r\nlistpack\r\n", "OBJECT", "ENCODING", "nx2"),
		// HINCRBY* convert in hashTypeSet for a long field or result.
		hst(":1\r\n", "HINCRBY", "i", long, "1"),
		hst("$9\r\nhashtable\r\n", "OBJECT", "ENCODING", "i"),
		hst("$8\r\n1.000001\r\n", "HINCRBYFLOAT", "fl", "a", "1.000001"),
		hst("$8\r\nlistpack\r\n", "OBJECT", "ENCODING", "fl"),
		hst("$9\r\n1.0000011\r\n", "HINCRBYFLOAT", "fl", "a", "0.0000001"),
		hst("$9\r\nhashtable\r\n", "OBJECT", "ENCODING", "fl"),
		// Lowering the limit converts on the next write of an existing field.
		hst(":3\r\n", "HSET", "low", "a", "1", "b", "2", "c", "3"),
		hst("+OK\r\n", "CONFIG", "SET", "hash-max-listpack-entries", "2"),
		hst("$8\r\nlistpack\r\n", "OBJECT", "ENCODING", "low"),
		hst(":0\r\n", "HSET", "low", "a", "9"),
		hst("$9\r\nhashtable\r\n", "OBJECT", "ENCODING", "low"),
		// Zero entries: every hash is a hash table.
		hst("+OK\r\n", "CONFIG", "SET", "hash-max-listpack-entries", "0"),
		hst(":1\r\n", "HSET", "z", "a", "1"),
		hst("$9\r\nhashtable\r\n", "OBJECT", "ENCODING", "z"),
		hst("$1\r\n1\r\n", "HGET", "z", "a"),
	})
}

// TestHashHashtableReplies checks hash-table-encoded hashes, whose order
// depends on the hash function, as sorted sets of replies.
func TestHashHashtableReplies(t *testing.T) {
	s := startServer(t, func(cfg *Config) { cfg.HashMaxListpackEntries = 2 })
	c := dial(t, s)
	c.expect(":5\r\n", "HSET", "h", "a", "1", "b", "22", "c", "-3", "d", "x", "e", "")
	c.expect("$9\r\nhashtable\r\n", "OBJECT", "ENCODING", "h")
	c.expect("$2\r\n22\r\n", "HGET", "h", "b")
	c.expect(":2\r\n", "HSTRLEN", "h", "c")
	c.expect(":5\r\n", "HLEN", "h")
	keys := hashReplyItems(t, c.Do("HKEYS", "h"))
	sort.Strings(keys)
	if strings.Join(keys, ",") != "a,b,c,d,e" {
		t.Errorf("HKEYS: %v", keys)
	}
	all := hashReplyItems(t, c.Do("HGETALL", "h"))
	pairs := []string{}
	for i := 0; i+1 < len(all); i += 2 {
		pairs = append(pairs, all[i]+"="+all[i+1])
	}
	sort.Strings(pairs)
	if strings.Join(pairs, ",") != "a=1,b=22,c=-3,d=x,e=" {
		t.Errorf("HGETALL: %v", pairs)
	}
	// HSCAN iterates to cursor 0 and sees every field once at least.
	seen := map[string]string{}
	cursor := "0"
	for i := 0; ; i++ {
		items := hashReplyItems(t, c.Do("HSCAN", "h", cursor, "COUNT", "1"))
		cursor = items[0]
		rest := items[1:]
		for j := 0; j+1 < len(rest); j += 2 {
			seen[rest[j]] = rest[j+1]
		}
		if cursor == "0" || i > 100 {
			break
		}
	}
	if len(seen) != 5 || seen["c"] != "-3" {
		t.Errorf("HSCAN saw %v", seen)
	}
	items := hashReplyItems(t, c.Do("HSCAN", "h", "0", "MATCH", "[ab]", "COUNT", "100"))
	if strings.Join(items, ",") != "0,a,1,b,22" && strings.Join(items, ",") != "0,b,22,a,1" {
		t.Errorf("HSCAN MATCH: %v", items)
	}
	c.expect(":5\r\n", "HDEL", "h", "a", "b", "c", "d", "e")
	c.expect(":0\r\n", "EXISTS", "h")
}

// hashReplyItems flattens a reply's bulk strings (nested arrays included); for
// HSCAN the cursor comes first.
func hashReplyItems(t *testing.T, reply string) []string {
	t.Helper()
	var out []string
	lines := strings.Split(strings.TrimSuffix(reply, "\r\n"), "\r\n")
	for i := 0; i < len(lines); i++ {
		if strings.HasPrefix(lines[i], "$") {
			i++
			out = append(out, lines[i])
		}
	}
	return out
}

func TestHashScanListpack(t *testing.T) {
	runHashScript(t, []hashStep{
		hst(":4\r\n", "HSET", "h", "a", "1", "b", "2", "ab", "3", "c", "-4"),
		hst("*2\r\n$1\r\n0\r\n*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$2\r\nab\r\n$1\r\n3\r\n$1\r\nc\r\n$2\r\n-4\r\n", "HSCAN", "h", "0"),
		hst("*2\r\n$1\r\n0\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$2\r\nab\r\n$1\r\n3\r\n", "HSCAN", "h", "0", "MATCH", "a*", "COUNT", "1"),
		hst("*2\r\n$1\r\n0\r\n*0\r\n", "HSCAN", "h", "0", "MATCH", "zz"),
		// A listpack ignores the cursor.
		hst("*2\r\n$1\r\n0\r\n*2\r\n$1\r\nc\r\n$2\r\n-4\r\n", "HSCAN", "h", "123", "match", "c"),
		hst("*2\r\n$1\r\n0\r\n*0\r\n", "HSCAN", "nokey", "0"),
		// Options are parsed after the lookup: a missing key never fails.
		hst("*2\r\n$1\r\n0\r\n*0\r\n", "HSCAN", "nokey", "0", "COUNT", "0"),
		hst("-ERR syntax error\r\n", "HSCAN", "h", "0", "COUNT", "0"),
		hst("-ERR value is not an integer or out of range\r\n", "HSCAN", "h", "0", "COUNT", "x"),
		hst("-ERR syntax error\r\n", "HSCAN", "h", "0", "TYPE", "hash"),
		hst("-ERR syntax error\r\n", "HSCAN", "h", "0", "MATCH"),
		hst("-ERR invalid cursor\r\n", "HSCAN", "h", "x"),
		hst("-ERR invalid cursor\r\n", "HSCAN", "nokey", "-x"),
	})
}

func TestHashRandfield(t *testing.T) {
	runHashScript(t, []hashStep{
		hst("$-1\r\n", "HRANDFIELD", "nokey"),
		hst("*0\r\n", "HRANDFIELD", "nokey", "5"),
		hst("*0\r\n", "HRANDFIELD", "nokey", "-5", "WITHVALUES"),
		hst(":3\r\n", "HSET", "h", "a", "1", "b", "2", "c", "3"),
		hst("*0\r\n", "HRANDFIELD", "h", "0"),
		hst("*0\r\n", "HRANDFIELD", "h", "0", "WITHVALUES"),
		// CASE 2: count >= size gives the whole hash in its order.
		hst("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", "HRANDFIELD", "h", "3"),
		hst("*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n", "HRANDFIELD", "h", "100", "withvalues"),
		hst("-ERR syntax error\r\n", "HRANDFIELD", "h", "1", "WITHVALUES", "x"),
		hst("-ERR syntax error\r\n", "HRANDFIELD", "h", "1", "x"),
		hst("-ERR value is not an integer or out of range\r\n", "HRANDFIELD", "h", "x"),
		hst("-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n", "HRANDFIELD", "h", "-9223372036854775808"),
		hst("-ERR value is out of range\r\n", "HRANDFIELD", "h", "4611686018427387904", "WITHVALUES"),
		hst("-ERR value is out of range\r\n", "HRANDFIELD", "h", "-4611686018427387904", "WITHVALUES"),
	})

	// RESP3 WITHVALUES: an array of [field, value] pairs.
	s := startServer(t)
	c := dial(t, s)
	c.Do("HELLO", "3")
	c.expect(":2\r\n", "HSET", "h", "a", "1", "b", "2")
	c.expect("*2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n", "HRANDFIELD", "h", "2", "WITHVALUES")
	c.expect("%2\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n", "HGETALL", "h")
	c.expect("%0\r\n", "HGETALL", "nokey")
	c.expect("_\r\n", "HRANDFIELD", "nokey")
	got := c.Do("HRANDFIELD", "h", "-3", "WITHVALUES")
	if !strings.HasPrefix(got, "*3\r\n*2\r\n") {
		t.Errorf("RESP3 negative count WITHVALUES: %q", got)
	}
}

// TestHashRandfieldCases exercises every sampling case on both encodings:
// replies have the promised size, distinct fields when the count is
// positive, and values that belong to their fields.
func TestHashRandfieldCases(t *testing.T) {
	for _, enc := range []string{"listpack", "hashtable"} {
		s := startServer(t)
		c := dial(t, s)
		if enc == "hashtable" {
			c.expect("+OK\r\n", "CONFIG", "SET", "hash-max-listpack-entries", "4")
		}
		args := []string{"HSET", "h"}
		for i := 0; i < 30; i++ {
			args = append(args, "f"+strconv.Itoa(i), "v"+strconv.Itoa(i))
		}
		c.expect(":30\r\n", args...)
		c.expect("$"+strconv.Itoa(len(enc))+"\r\n"+enc+"\r\n", "OBJECT", "ENCODING", "h")
		for _, count := range []int{1, 2, 5, 9, 11, 25, 29, 30, 31, -1, -7, -40} {
			for _, withValues := range []bool{false, true} {
				cmd := []string{"HRANDFIELD", "h", strconv.Itoa(count)}
				if withValues {
					cmd = append(cmd, "WITHVALUES")
				}
				items := hashReplyItems(t, c.Do(cmd...))
				want := count
				if want < 0 {
					want = -want
				} else if want > 30 {
					want = 30
				}
				step := 1
				if withValues {
					step = 2
				}
				if len(items) != want*step {
					t.Fatalf("%s %v: %d items, want %d", enc, cmd, len(items), want*step)
				}
				seen := map[string]bool{}
				for i := 0; i < len(items); i += step {
					f := items[i]
					if !strings.HasPrefix(f, "f") {
						t.Fatalf("%s %v: bad field %q", enc, cmd, f)
					}
					if withValues && items[i+1] != "v"+f[1:] {
						t.Fatalf("%s %v: %q has value %q", enc, cmd, f, items[i+1])
					}
					if count > 0 && seen[f] {
						t.Fatalf("%s %v: %q repeated", enc, cmd, f)
					}
					seen[f] = true
				}
			}
		}
		got := c.Do("HRANDFIELD", "h")
		if !strings.HasPrefix(got, "$2\r\nf") && !strings.HasPrefix(got, "$3\r\nf") {
			t.Errorf("%s HRANDFIELD: %q", enc, got)
		}
	}
}

func TestHashDigestAndCopy(t *testing.T) {
	s := startServer(t, func(cfg *Config) { cfg.EnableDebugCommand = "yes" })
	c := dial(t, s)
	long := strings.Repeat("x", 70)
	c.expect(":4\r\n", "HSET", "lp", "a", "1", "b", "hello", "c", "-5", "d", "3.25")
	c.expect(":5\r\n", "HSET", "ht", "a", "1", "b", "hello", "c", "-5", "d", "3.25", "long", long)
	c.expect(":1\r\n", "HDEL", "ht", "long")
	c.expect("$9\r\nhashtable\r\n", "OBJECT", "ENCODING", "ht")
	// redis-server 7.0.15 gives both encodings the same digest.
	c.expect("*2\r\n+eb31fbca01b7bdc92f8f5dceeddb58c38fb43c26\r\n+eb31fbca01b7bdc92f8f5dceeddb58c38fb43c26\r\n",
		"DEBUG", "DIGEST-VALUE", "lp", "ht")
	c.expect("+a99fba51a47bcfbfcabcf1f0a8efaaf9de3dc1b7\r\n", "DEBUG", "DIGEST")

	c.expect(":1\r\n", "COPY", "lp", "lp2")
	c.expect(":1\r\n", "COPY", "ht", "ht2")
	c.expect("$8\r\nlistpack\r\n", "OBJECT", "ENCODING", "lp2")
	c.expect("$9\r\nhashtable\r\n", "OBJECT", "ENCODING", "ht2")
	c.expect(":1\r\n", "HSET", "lp2", "z", "1")
	c.expect(":1\r\n", "HSET", "ht2", "z", "1")
	c.expect(":4\r\n", "HLEN", "lp")
	c.expect(":4\r\n", "HLEN", "ht")
	c.expect(":0\r\n", "HSET", "lp2", "a", "changed")
	c.expect("$1\r\n1\r\n", "HGET", "lp", "a")
	c.expect("$7\r\nchanged\r\n", "HGET", "lp2", "a")
	c.expect("*2\r\n+eb31fbca01b7bdc92f8f5dceeddb58c38fb43c26\r\n+eb31fbca01b7bdc92f8f5dceeddb58c38fb43c26\r\n",
		"DEBUG", "DIGEST-VALUE", "lp", "ht")

	for _, k := range []string{"lp", "ht"} {
		got := c.Do("MEMORY", "USAGE", k)
		if !strings.HasPrefix(got, ":") || got == ":0\r\n" {
			t.Errorf("MEMORY USAGE %s: %q", k, got)
		}
	}
}

// TestHscanCountCountsFields: on a hashtable, HSCAN's COUNT is a number of
// fields (each replied with its value), as redis-server 7.0.15 does: COUNT
// 10 on 1000 fields returns at least 10 pairs in the first call.
func TestHscanCountCountsFields(t *testing.T) {
	s := startServer(t)
	c := dial(t, s)
	args := []string{"HSET", "h"}
	for i := 0; i < 1000; i++ {
		args = append(args, fmt.Sprintf("f%d", i), "v")
	}
	c.Do(args...)
	c.expect("$9\r\nhashtable\r\n", "OBJECT", "ENCODING", "h")
	r := c.Do("HSCAN", "h", "0", "COUNT", "10")
	n := strings.Count(r, "\r\n$") - 1 // bulk strings after the cursor
	if n < 20 {
		t.Errorf("HSCAN COUNT 10 returned %d elements, want at least 20 (10 field/value pairs): %q", n, r)
	}
}
