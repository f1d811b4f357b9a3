package server

import (
	"strconv"
	"strings"
	"testing"
)

// runZsetScript replays zsetScript, whose replies were recorded from
// redis-server 7.0.15 (in order, after HELLO 2 or HELLO 3). The script
// sets zset-max-listpack-entries 4 and -value 8 early, so both
// encodings and every conversion are exercised; only deterministic replies
// are scripted (ZSCAN of listpacks only, ZRANDMEMBER of one element).
func runZsetScript(t *testing.T, proto int) {
	runReplyScript(t, proto, zsetScript, func(cfg *Config) { cfg.EnableDebugCommand = "yes" })
}

func TestZsetScriptRESP2(t *testing.T) { runZsetScript(t, 2) }
func TestZsetScriptRESP3(t *testing.T) { runZsetScript(t, 3) }

// The script replayed against a live redis-server, when installed, so a
// stale recording cannot hide a difference.
func TestZsetScriptAgainstRedis(t *testing.T) {
	for _, proto := range []int{2, 3} {
		r := startRedis(t)
		r.Do("HELLO", strconv.Itoa(proto))
		for _, rc := range zsetScript {
			r.expect(rc.want(proto), rc.args...)
		}
	}
}

func TestZsetEncodings(t *testing.T) {
	s := startServer(t)
	c := dial(t, s)
	c.expect("+OK\r\n", "CONFIG", "SET", "zset-max-listpack-entries", "4")
	c.expect("+OK\r\n", "CONFIG", "SET", "zset-max-listpack-value", "8")
	enc := func(key, want string) {
		t.Helper()
		c.expect("$"+strconv.Itoa(len(want))+"\r\n"+want+"\r\n", "OBJECT", "ENCODING", key)
	}
	c.expect(":4\r\n", "ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d")
	enc("z", "listpack")
	c.expect(":1\r\n", "ZADD", "z", "5", "e")
	enc("z", "skiplist")
	c.expect(":3\r\n", "ZREM", "z", "a", "b", "c")
	enc("z", "skiplist") // never shrinks back
	c.expect(":1\r\n", "ZADD", "l", "1", "123456789")
	enc("l", "skiplist") // the first member decides at creation
	c.expect(":2\r\n", "ZADD", "m", "1", "a", "2", "123456789")
	enc("m", "skiplist")
	c.expect(":2\r\n", "ZRANGESTORE", "d", "z", "0", "-1")
	enc("d", "listpack")
	c.expect(":2\r\n", "ZUNIONSTORE", "u", "1", "z")
	enc("u", "listpack")
	c.expect(":1\r\n", "ZADD", "u", "1", "123456789")
	enc("u", "skiplist")
	c.expect(":3\r\n", "ZINTERSTORE", "i", "1", "u")
	enc("i", "skiplist")
	c.expect(":2\r\n", "ZDIFFSTORE", "i", "2", "u", "l")
	enc("i", "listpack")
	c.expect(":1\r\n", "COPY", "u", "u2")
	enc("u2", "skiplist")
	c.expect(":1\r\n", "COPY", "i", "i2")
	enc("i2", "listpack")
	c.expect(":1\r\n", "ZREM", "u", "d")
	c.expect(":3\r\n", "ZCARD", "u2")
	c.expect(":1\r\n", "ZREM", "i", "d")
	c.expect(":2\r\n", "ZCARD", "i2")

	// A rank range of more than the limit starts the ZRANGESTORE result as
	// a skiplist; a score range always starts as a listpack, which stores
	// -0 as 0 (as redis-server 7.0.15).
	c.expect(":5\r\n", "ZADD", "n", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e")
	c.expect(":0\r\n", "ZADD", "n", "-0", "a")
	c.expect("$2\r\n-0\r\n", "ZSCORE", "n", "a")
	c.expect(":5\r\n", "ZRANGESTORE", "r", "n", "0", "-1")
	c.expect("$2\r\n-0\r\n", "ZSCORE", "r", "a")
	c.expect(":5\r\n", "ZRANGESTORE", "r", "n", "-inf", "+inf", "BYSCORE")
	enc("r", "skiplist")
	c.expect("$1\r\n0\r\n", "ZSCORE", "r", "a")
}

// An update that moves a skiplist node keeps the member's own bytes, not
// the request buffer's (which the next command overwrites).
func TestZsetUpdateKeepsMember(t *testing.T) {
	s := startServer(t)
	c := dial(t, s)
	c.expect("+OK\r\n", "CONFIG", "SET", "zset-max-listpack-entries", "0")
	c.expect(":3\r\n", "ZADD", "k", "1", "abc", "2", "def", "3", "ghi")
	c.expect(":0\r\n", "ZADD", "k", "10", "abc")
	c.expect("$1\r\n1\r\n", "ECHO", "1")
	c.expect("$6\r\nxxxxxx\r\n", "ECHO", "xxxxxx")
	c.expect("*3\r\n$3\r\ndef\r\n$3\r\nghi\r\n$3\r\nabc\r\n", "ZRANGE", "k", "0", "-1")
	c.expect(":1\r\n", "ZREM", "k", "abc")
}

// ZRANDMEMBER with a count, every strategy and both encodings: the right
// number of members, distinct unless the count is negative, all members,
// with their scores.
func TestZsetRandMember(t *testing.T) {
	s := startServer(t)
	c := dial(t, s)
	for _, n := range []int{10, 200} {
		c.Do("DEL", "k")
		universe := map[string]bool{}
		for i := 0; i < n; i++ {
			m := "m" + strconv.Itoa(i)
			universe[m] = true
			c.Do("ZADD", "k", strconv.Itoa(i), m)
		}
		for _, count := range []int{1, 2, 3, 4, n - 1, n, n + 1, -1, -5, -3 * n} {
			got := replyBulks(t, c.Do("ZRANDMEMBER", "k", strconv.Itoa(count)))
			want := count
			if want < 0 {
				want = -want
			} else if want > n {
				want = n
			}
			checkMembers(t, "ZRANDMEMBER", got, want, count > 0, universe)
			pairs := replyBulks(t, c.Do("ZRANDMEMBER", "k", strconv.Itoa(count), "WITHSCORES"))
			if len(pairs) != 2*want {
				t.Fatalf("ZRANDMEMBER %d WITHSCORES: %d items", count, len(pairs))
			}
			for i := 0; i < len(pairs); i += 2 {
				if "m"+pairs[i+1] != pairs[i] {
					t.Errorf("ZRANDMEMBER WITHSCORES: %s has score %s", pairs[i], pairs[i+1])
				}
			}
		}
		got := c.Do("ZRANDMEMBER", "k")
		if !universe[strings.Split(got, "\r\n")[1]] {
			t.Errorf("ZRANDMEMBER k: %q", got)
		}
	}
}

// Propagation as redis-server 7.0.15 writes it to its AOF: ZMPOP becomes
// ZPOPMIN/ZPOPMAX with the number popped; commands that change nothing
// propagate nothing.
func TestZsetPropagation(t *testing.T) {
	e := newClockEnv(t, &feedRecorder{sep: " "})
	c := e.c
	c.expect(":4\r\n", "ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d")
	e.expectFeed("0 ZADD z 1 a 2 b 3 c 4 d")
	c.expect(":0\r\n", "ZADD", "z", "1", "a")
	c.expect("$-1\r\n", "ZADD", "z", "NX", "INCR", "1", "a")
	e.expectFeed()
	c.expect("*2\r\n$1\r\nz\r\n*4\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n",
		"ZMPOP", "1", "z", "MIN", "COUNT", "10")
	e.expectFeed("0 ZPOPMIN z 4")
	c.expect(":2\r\n", "ZADD", "z", "1", "a", "2", "b")
	c.expect("*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n", "ZMPOP", "2", "nokey", "z", "MAX")
	e.expectFeed("0 ZADD z 1 a 2 b", "0 ZPOPMAX z 1")
	c.expect("*2\r\n$1\r\na\r\n$1\r\n1\r\n", "ZPOPMIN", "z", "5")
	e.expectFeed("0 ZPOPMIN z 5")
	c.expect("*0\r\n", "ZPOPMIN", "z")
	c.expect("*-1\r\n", "ZMPOP", "1", "z", "MIN")
	c.expect(":0\r\n", "ZREM", "z", "a")
	c.expect(":0\r\n", "ZREMRANGEBYSCORE", "z", "0", "1")
	c.expect(":0\r\n", "ZUNIONSTORE", "d", "1", "nokey")
	e.expectFeed()
	c.expect(":1\r\n", "ZADD", "z", "1", "a")
	c.expect(":1\r\n", "ZRANGESTORE", "d", "z", "0", "-1")
	c.expect(":0\r\n", "ZUNIONSTORE", "d", "1", "nokey")
	c.expect("$1\r\n2\r\n", "ZINCRBY", "d", "2", "x")
	e.expectFeed("0 ZADD z 1 a", "0 ZRANGESTORE d z 0 -1", "0 ZUNIONSTORE d 1 nokey", "0 ZINCRBY d 2 x")
}

// DEBUG DIGEST-VALUE of the same sorted sets as redis-server 7.0.15, both
// encodings (the same content digests the same in either).
func TestZsetDigest(t *testing.T) {
	s := startServer(t, func(cfg *Config) { cfg.EnableDebugCommand = "yes" })
	c := dial(t, s)
	c.expect("+OK\r\n", "CONFIG", "SET", "zset-max-listpack-entries", "4")
	args := []string{"1", "a", "2.5", "b", "-inf", "c", "1e300", "d", "4503599627370496", "e"}
	c.expect(":4\r\n", append([]string{"ZADD", "lp"}, args[:8]...)...)
	c.expect(":5\r\n", append([]string{"ZADD", "sk"}, args...)...)
	c.expect("*2\r\n+33dbd358ef8d47059c4c568f46298218b4262140\r\n+8a68582d370b40ff686d00d5319d7e99aca42fd8\r\n", "DEBUG", "DIGEST-VALUE", "lp", "sk")
	c.expect("+574eb37b4ee9a1fd858beecf2a2807321efe2b4c\r\n", "DEBUG", "DIGEST")
}

// MEMORY USAGE grows with the sorted set in both encodings.
func TestZsetMemoryUsage(t *testing.T) {
	s := startServer(t)
	c := dial(t, s)
	usage := func(key string) int {
		t.Helper()
		r := c.Do("MEMORY", "USAGE", key, "SAMPLES", "0")
		n, err := strconv.Atoi(strings.TrimSpace(r[1:]))
		if err != nil {
			t.Fatalf("MEMORY USAGE %s: %q", key, r)
		}
		return n
	}
	c.Do("ZADD", "l", "1", "a")
	small := usage("l")
	for i := 0; i < 100; i++ {
		c.Do("ZADD", "l", strconv.Itoa(i), "x"+strconv.Itoa(i))
		c.Do("ZADD", "h", strconv.Itoa(i), strings.Repeat("m", 70)+strconv.Itoa(i))
	}
	if big := usage("l"); big < small+100*4 {
		t.Errorf("listpack of 100: %d bytes, one member %d", big, small)
	}
	if h := usage("h"); h < 100*70 {
		t.Errorf("skiplist of 100 x 72 bytes: %d", h)
	}
}

var zsetScript = []replyCase{
	{[]string{"flushall"}, "+OK\r\n", ""},
	{[]string{"config", "set", "zset-max-listpack-entries", "4"}, "+OK\r\n", ""},
	{[]string{"config", "set", "zset-max-listpack-value", "8"}, "+OK\r\n", ""},
	{[]string{"zadd", "z", "1", "a", "2", "b", "3", "c"}, ":3\r\n", ""},
	{[]string{"object", "encoding", "z"}, "$8\r\nlistpack\r\n", ""},
	{[]string{"zadd", "z", "1.1", "d"}, ":1\r\n", ""},
	{[]string{"zscore", "z", "d"}, "$18\r\n1.1000000000000001\r\n", ",1.1000000000000001\r\n"},
	{[]string{"zrange", "z", "0", "-1", "withscores"}, "*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nd\r\n$18\r\n1.1000000000000001\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n", "*4\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nd\r\n,1.1000000000000001\r\n*2\r\n$1\r\nb\r\n,2\r\n*2\r\n$1\r\nc\r\n,3\r\n"},
	{[]string{"zadd", "z", "nx", "xx", "1", "a"}, "-ERR XX and NX options at the same time are not compatible\r\n", ""},
	{[]string{"zadd", "z", "gt", "lt", "1", "a"}, "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n", ""},
	{[]string{"zadd", "z", "nx", "gt", "1", "a"}, "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n", ""},
	{[]string{"zadd", "z", "incr", "1", "a", "2", "b"}, "-ERR INCR option supports a single increment-element pair\r\n", ""},
	{[]string{"zadd", "z", "abc", "a"}, "-ERR value is not a valid float\r\n", ""},
	{[]string{"zadd", "z", "1"}, "-ERR wrong number of arguments for 'zadd' command\r\n", ""},
	{[]string{"zadd", "z"}, "-ERR wrong number of arguments for 'zadd' command\r\n", ""},
	{[]string{"zadd", "z", "incr", "5", "a"}, "$1\r\n6\r\n", ",6\r\n"},
	{[]string{"zadd", "z", "nx", "incr", "5", "a"}, "$-1\r\n", "_\r\n"},
	{[]string{"zadd", "z", "xx", "incr", "5", "zz"}, "$-1\r\n", "_\r\n"},
	{[]string{"zadd", "z", "ch", "10", "a", "20", "b", "1", "new"}, ":3\r\n", ""},
	{[]string{"object", "encoding", "z"}, "$8\r\nskiplist\r\n", ""},
	{[]string{"zadd", "z2", "1", "a", "1", "a", "1", "a", "1", "a", "1", "a"}, ":1\r\n", ""},
	{[]string{"object", "encoding", "z2"}, "$8\r\nlistpack\r\n", ""},
	{[]string{"zadd", "z3", "1", "a", "2", "verylongmember"}, ":2\r\n", ""},
	{[]string{"object", "encoding", "z3"}, "$8\r\nskiplist\r\n", ""},
	{[]string{"zadd", "z4", "1", "verylongmember"}, ":1\r\n", ""},
	{[]string{"object", "encoding", "z4"}, "$8\r\nskiplist\r\n", ""},
	{[]string{"zcard", "z"}, ":5\r\n", ""},
	{[]string{"zrank", "z", "a"}, ":3\r\n", ""},
	{[]string{"zrevrank", "z", "a"}, ":1\r\n", ""},
	{[]string{"zrank", "z", "nope"}, "$-1\r\n", "_\r\n"},
	{[]string{"zrank", "nokey", "a"}, "$-1\r\n", "_\r\n"},
	{[]string{"zcount", "z", "-inf", "+inf"}, ":5\r\n", ""},
	{[]string{"zcount", "z", "(1", "3"}, ":2\r\n", ""},
	{[]string{"zcount", "z", "a", "b"}, "-ERR min or max is not a float\r\n", ""},
	{[]string{"zcount", "z", "", ""}, ":0\r\n", ""},
	{[]string{"zrange", "z", "0", "-1"}, "*5\r\n$3\r\nnew\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nb\r\n", ""},
	{[]string{"zrange", "z", "-2", "-1", "withscores"}, "*4\r\n$1\r\na\r\n$2\r\n10\r\n$1\r\nb\r\n$2\r\n20\r\n", "*2\r\n*2\r\n$1\r\na\r\n,10\r\n*2\r\n$1\r\nb\r\n,20\r\n"},
	{[]string{"zrange", "z", "0", "1", "rev", "withscores"}, "*4\r\n$1\r\nb\r\n$2\r\n20\r\n$1\r\na\r\n$2\r\n10\r\n", "*2\r\n*2\r\n$1\r\nb\r\n,20\r\n*2\r\n$1\r\na\r\n,10\r\n"},
	{[]string{"zrange", "z", "-inf", "+inf", "byscore", "withscores"}, "*10\r\n$3\r\nnew\r\n$1\r\n1\r\n$1\r\nd\r\n$18\r\n1.1000000000000001\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\na\r\n$2\r\n10\r\n$1\r\nb\r\n$2\r\n20\r\n", "*5\r\n*2\r\n$3\r\nnew\r\n,1\r\n*2\r\n$1\r\nd\r\n,1.1000000000000001\r\n*2\r\n$1\r\nc\r\n,3\r\n*2\r\n$1\r\na\r\n,10\r\n*2\r\n$1\r\nb\r\n,20\r\n"},
	{[]string{"zrange", "z", "+inf", "-inf", "byscore", "rev", "limit", "1", "2", "withscores"}, "*4\r\n$1\r\na\r\n$2\r\n10\r\n$1\r\nc\r\n$1\r\n3\r\n", "*2\r\n*2\r\n$1\r\na\r\n,10\r\n*2\r\n$1\r\nc\r\n,3\r\n"},
	{[]string{"zrange", "z", "-", "+", "bylex"}, "*5\r\n$3\r\nnew\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nb\r\n", ""},
	{[]string{"zrange", "z", "-", "+", "bylex", "withscores"}, "-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n", ""},
	{[]string{"zrange", "z", "0", "1", "limit", "0", "1"}, "-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n", ""},
	{[]string{"zrange", "z", "0", "1", "foo"}, "-ERR syntax error\r\n", ""},
	{[]string{"zrangebyscore", "z", "-inf", "+inf", "limit", "-1", "2"}, "*0\r\n", ""},
	{[]string{"zrangebyscore", "z", "-inf", "+inf", "limit", "1", "-1", "withscores"}, "*8\r\n$1\r\nd\r\n$18\r\n1.1000000000000001\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\na\r\n$2\r\n10\r\n$1\r\nb\r\n$2\r\n20\r\n", "*4\r\n*2\r\n$1\r\nd\r\n,1.1000000000000001\r\n*2\r\n$1\r\nc\r\n,3\r\n*2\r\n$1\r\na\r\n,10\r\n*2\r\n$1\r\nb\r\n,20\r\n"},
	{[]string{"zrangebyscore", "z", "(1", "3", "withscores"}, "*4\r\n$1\r\nd\r\n$18\r\n1.1000000000000001\r\n$1\r\nc\r\n$1\r\n3\r\n", "*2\r\n*2\r\n$1\r\nd\r\n,1.1000000000000001\r\n*2\r\n$1\r\nc\r\n,3\r\n"},
	{[]string{"zrevrangebyscore", "z", "3", "(1", "withscores"}, "*4\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$18\r\n1.1000000000000001\r\n", "*2\r\n*2\r\n$1\r\nc\r\n,3\r\n*2\r\n$1\r\nd\r\n,1.1000000000000001\r\n"},
	{[]string{"zrangebyscore", "z", "1", "3", "rev"}, "-ERR syntax error\r\n", ""},
	{[]string{"zrangebylex", "z", "[a", "(c"}, "*0\r\n", ""},
	{[]string{"zrevrangebylex", "z", "(c", "[a"}, "*0\r\n", ""},
	{[]string{"zrangebylex", "z", "a", "c"}, "-ERR min or max not valid string range item\r\n", ""},
	{[]string{"zrevrange", "z", "0", "-1", "withscores"}, "*10\r\n$1\r\nb\r\n$2\r\n20\r\n$1\r\na\r\n$2\r\n10\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$18\r\n1.1000000000000001\r\n$3\r\nnew\r\n$1\r\n1\r\n", "*5\r\n*2\r\n$1\r\nb\r\n,20\r\n*2\r\n$1\r\na\r\n,10\r\n*2\r\n$1\r\nc\r\n,3\r\n*2\r\n$1\r\nd\r\n,1.1000000000000001\r\n*2\r\n$3\r\nnew\r\n,1\r\n"},
	{[]string{"zadd", "zl", "0", "a", "0", "b", "0", "c", "0", "d"}, ":4\r\n", ""},
	{[]string{"zlexcount", "zl", "[b", "+"}, ":3\r\n", ""},
	{[]string{"zlexcount", "zl", "-", "+"}, ":4\r\n", ""},
	{[]string{"zrangestore", "dst", "z", "0", "-1"}, ":5\r\n", ""},
	{[]string{"object", "encoding", "dst"}, "$8\r\nskiplist\r\n", ""},
	{[]string{"zrangestore", "dst", "zl", "-", "+", "bylex", "limit", "0", "2"}, ":2\r\n", ""},
	{[]string{"zrange", "dst", "0", "-1", "withscores"}, "*4\r\n$1\r\na\r\n$1\r\n0\r\n$1\r\nb\r\n$1\r\n0\r\n", "*2\r\n*2\r\n$1\r\na\r\n,0\r\n*2\r\n$1\r\nb\r\n,0\r\n"},
	{[]string{"object", "encoding", "dst"}, "$8\r\nlistpack\r\n", ""},
	{[]string{"zrangestore", "dst", "z", "0", "-1", "withscores"}, "-ERR syntax error\r\n", ""},
	{[]string{"zrangestore", "dst", "nokey", "0", "-1"}, ":0\r\n", ""},
	{[]string{"exists", "dst"}, ":0\r\n", ""},
	{[]string{"zmscore", "z", "a", "b", "nope"}, "*3\r\n$2\r\n10\r\n$2\r\n20\r\n$-1\r\n", "*3\r\n,10\r\n,20\r\n_\r\n"},
	{[]string{"zmscore", "nokey", "a"}, "*1\r\n$-1\r\n", "*1\r\n_\r\n"},
	{[]string{"zincrby", "z", "2.5", "a"}, "$4\r\n12.5\r\n", ",12.5\r\n"},
	{[]string{"zincrby", "z", "abc", "a"}, "-ERR value is not a valid float\r\n", ""},
	{[]string{"zadd", "z", "+inf", "inf"}, ":1\r\n", ""},
	{[]string{"zincrby", "z", "-inf", "inf"}, "-ERR resulting score is not a number (NaN)\r\n", ""},
	{[]string{"zscore", "z", "inf"}, "$3\r\ninf\r\n", ",inf\r\n"},
	{[]string{"zrem", "z", "a", "b", "nope"}, ":2\r\n", ""},
	{[]string{"zcard", "z"}, ":4\r\n", ""},
	{[]string{"zremrangebyrank", "z", "0", "0"}, ":1\r\n", ""},
	{[]string{"zremrangebyscore", "z", "-inf", "(5"}, ":2\r\n", ""},
	{[]string{"zremrangebylex", "zl", "[a", "[b"}, ":2\r\n", ""},
	{[]string{"zrange", "zl", "0", "-1"}, "*2\r\n$1\r\nc\r\n$1\r\nd\r\n", ""},
	{[]string{"zremrangebyscore", "z", "x", "y"}, "-ERR min or max is not a float\r\n", ""},
	{[]string{"zremrangebylex", "z", "x", "y"}, "-ERR min or max not valid string range item\r\n", ""},
	{[]string{"zremrangebyrank", "z", "x", "y"}, "-ERR value is not an integer or out of range\r\n", ""},
	{[]string{"set", "str", "x"}, "+OK\r\n", ""},
	{[]string{"zadd", "str", "1", "a"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{[]string{"zrange", "str", "0", "-1"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{[]string{"zscore", "str", "a"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{[]string{"flushall"}, "+OK\r\n", ""},
	{[]string{"config", "set", "zset-max-listpack-entries", "4"}, "+OK\r\n", ""},
	{[]string{"config", "set", "zset-max-listpack-value", "8"}, "+OK\r\n", ""},
	{[]string{"zadd", "z", "4503599627370496", "a", "4503599627370495", "b", "-4503599627370495", "c", "1e300", "d"}, ":4\r\n", ""},
	{[]string{"zrange", "z", "0", "-1", "withscores"}, "*8\r\n$1\r\nc\r\n$17\r\n-4503599627370495\r\n$1\r\nb\r\n$16\r\n4503599627370495\r\n$1\r\na\r\n$16\r\n4503599627370496\r\n$1\r\nd\r\n$23\r\n1.0000000000000001e+300\r\n", "*4\r\n*2\r\n$1\r\nc\r\n,-4503599627370495\r\n*2\r\n$1\r\nb\r\n,4503599627370495\r\n*2\r\n$1\r\na\r\n,4503599627370496\r\n*2\r\n$1\r\nd\r\n,1.0000000000000001e+300\r\n"},
	{[]string{"zadd", "z2", "4503599627370496", "a", "4503599627370495", "b", "-4503599627370495", "c", "1e300", "d", "5", "e"}, ":5\r\n", ""},
	{[]string{"zadd", "n", "1", "a"}, ":1\r\n", ""},
	{[]string{"zadd", "n", "incr", "+inf", "a"}, "$3\r\ninf\r\n", ",inf\r\n"},
	{[]string{"zadd", "n", "incr", "-inf", "a"}, "-ERR resulting score is not a number (NaN)\r\n", ""},
	{[]string{"zincrby", "n", "-inf", "a"}, "-ERR resulting score is not a number (NaN)\r\n", ""},
	{[]string{"zscore", "n", "a"}, "$3\r\ninf\r\n", ",inf\r\n"},
	{[]string{"zadd", "n", "1", " a"}, ":1\r\n", ""},
	{[]string{"zadd", "n", " 1", "a"}, "-ERR value is not a valid float\r\n", ""},
	{[]string{"zadd", "n", "1e", "a"}, "-ERR value is not a valid float\r\n", ""},
	{[]string{"zadd", "n", "0x10", "a"}, ":0\r\n", ""},
	{[]string{"zadd", "n", "inf", "a"}, ":0\r\n", ""},
	{[]string{"zadd", "n", "nan", "a"}, "-ERR value is not a valid float\r\n", ""},
	{[]string{"zadd", "n", "infinity", "b"}, ":1\r\n", ""},
	{[]string{"zrange", "n", "0", "-1", "withscores"}, "*6\r\n$2\r\n a\r\n$1\r\n1\r\n$1\r\na\r\n$3\r\ninf\r\n$1\r\nb\r\n$3\r\ninf\r\n", "*3\r\n*2\r\n$2\r\n a\r\n,1\r\n*2\r\n$1\r\na\r\n,inf\r\n*2\r\n$1\r\nb\r\n,inf\r\n"},
	{[]string{"zcount", "n", " 1", "2"}, ":1\r\n", ""},
	{[]string{"zcount", "n", "(inf", "+inf"}, ":0\r\n", ""},
	{[]string{"zcount", "n", "1e999", "inf"}, ":2\r\n", ""},
	{[]string{"zcount", "n", "(", "("}, ":0\r\n", ""},
	{[]string{"zadd", "l", "1", "aaaa", "2", "bbbbbbbbbbbbbbbb", "3", "c"}, ":3\r\n", ""},
	{[]string{"object", "encoding", "l"}, "$8\r\nskiplist\r\n", ""},
	{[]string{"zrangestore", "d", "l", "0", "0"}, ":1\r\n", ""},
	{[]string{"object", "encoding", "d"}, "$8\r\nlistpack\r\n", ""},
	{[]string{"zrangestore", "d", "l", "0", "-1"}, ":3\r\n", ""},
	{[]string{"object", "encoding", "d"}, "$8\r\nskiplist\r\n", ""},
	{[]string{"zrangestore", "d", "l", "1", "1"}, ":1\r\n", ""},
	{[]string{"object", "encoding", "d"}, "$8\r\nskiplist\r\n", ""},
	{[]string{"zunionstore", "d", "1", "l"}, ":3\r\n", ""},
	{[]string{"object", "encoding", "d"}, "$8\r\nskiplist\r\n", ""},
	{[]string{"zinterstore", "d", "2", "l", "l"}, ":3\r\n", ""},
	{[]string{"zrange", "d", "0", "-1", "withscores"}, "*6\r\n$4\r\naaaa\r\n$1\r\n2\r\n$16\r\nbbbbbbbbbbbbbbbb\r\n$1\r\n4\r\n$1\r\nc\r\n$1\r\n6\r\n", "*3\r\n*2\r\n$4\r\naaaa\r\n,2\r\n*2\r\n$16\r\nbbbbbbbbbbbbbbbb\r\n,4\r\n*2\r\n$1\r\nc\r\n,6\r\n"},
	{[]string{"zadd", "m", "1", "a", "2", "b", "3", "c", "4", "d"}, ":4\r\n", ""},
	{[]string{"zrange", "m", "0", "-1", "byscore"}, "*0\r\n", ""},
	{[]string{"zrange", "m", "1", "3", "byscore", "limit", "1", "1"}, "*1\r\n$1\r\nb\r\n", ""},
	{[]string{"zrange", "m", "3", "1", "byscore", "rev", "limit", "0", "-1", "withscores"}, "*6\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\n1\r\n", "*3\r\n*2\r\n$1\r\nc\r\n,3\r\n*2\r\n$1\r\nb\r\n,2\r\n*2\r\n$1\r\na\r\n,1\r\n"},
	{[]string{"zrange", "m", "0", "-1", "rev", "rev"}, "-ERR syntax error\r\n", ""},
	{[]string{"zrange", "m", "0", "-1", "byscore", "bylex"}, "-ERR syntax error\r\n", ""},
	{[]string{"zrange", "m", "-", "+", "bylex", "rev"}, "*0\r\n", ""},
	{[]string{"zrange", "m", "+", "-", "bylex", "rev", "limit", "1", "2"}, "*2\r\n$1\r\nc\r\n$1\r\nb\r\n", ""},
	{[]string{"zrangebylex", "m", "-", "+", "limit", "3", "5"}, "*1\r\n$1\r\nd\r\n", ""},
	{[]string{"zrangebylex", "m", "-", "+", "limit", "4", "5"}, "*0\r\n", ""},
	{[]string{"zrangebyscore", "m", "-inf", "+inf", "limit", "0", "0"}, "*0\r\n", ""},
	{[]string{"zrangebyscore", "m", "-inf", "+inf", "limit", "x", "0"}, "-ERR value is not an integer or out of range\r\n", ""},
	{[]string{"zrangebyscore", "m", "-inf", "+inf", "withscores", "withscores"}, "*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n", "*4\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,2\r\n*2\r\n$1\r\nc\r\n,3\r\n*2\r\n$1\r\nd\r\n,4\r\n"},
	{[]string{"zrangebyscore", "m", "-inf", "+inf", "limit", "1"}, "-ERR syntax error\r\n", ""},
	{[]string{"zrangebyscore", "m", "x", "+inf"}, "-ERR min or max is not a float\r\n", ""},
	{[]string{"zrangebylex", "m", "x", "+"}, "-ERR min or max not valid string range item\r\n", ""},
	{[]string{"zrange", "m", "x", "1"}, "-ERR value is not an integer or out of range\r\n", ""},
	{[]string{"zrange", "m", "0", "1", "withscores", "limit", "0", "1"}, "-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n", ""},
	{[]string{"zrangestore", "d", "m", "0", "1", "byscore", "withscores"}, "-ERR syntax error\r\n", ""},
	{[]string{"zrangestore", "d", "m", "0", "-1", "limit", "0", "1"}, "-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n", ""},
	{[]string{"zremrangebyrank", "m", "-100", "100"}, ":4\r\n", ""},
	{[]string{"exists", "m"}, ":0\r\n", ""},
	{[]string{"zrandmember", "nokey"}, "$-1\r\n", "_\r\n"},
	{[]string{"zrandmember", "nokey", "5"}, "*0\r\n", ""},
	{[]string{"zrandmember", "m", "0"}, "*0\r\n", ""},
	{[]string{"zadd", "m", "1", "a"}, ":1\r\n", ""},
	{[]string{"zrandmember", "m"}, "$1\r\na\r\n", ""},
	{[]string{"zrandmember", "m", "5", "withscores"}, "*2\r\n$1\r\na\r\n$1\r\n1\r\n", "*1\r\n*2\r\n$1\r\na\r\n,1\r\n"},
	{[]string{"zrandmember", "m", "-3", "withscores"}, "*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n1\r\n", "*3\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\na\r\n,1\r\n"},
	{[]string{"zrandmember", "m", "1", "withscores"}, "*2\r\n$1\r\na\r\n$1\r\n1\r\n", "*1\r\n*2\r\n$1\r\na\r\n,1\r\n"},
	{[]string{"zrandmember", "m", "0", "withscores"}, "*0\r\n", ""},
	{[]string{"zrandmember", "m", "x"}, "-ERR value is not an integer or out of range\r\n", ""},
	{[]string{"zpopmin", "m", "0"}, "*0\r\n", ""},
	{[]string{"zunionstore", "d", "2", "m", "nokey", "weights", "1"}, "-ERR syntax error\r\n", ""},
	{[]string{"zunionstore", "d", "2", "m", "nokey", "weights", "1", "2", "3"}, "-ERR syntax error\r\n", ""},
	{[]string{"zunionstore", "d", "2", "m", "nokey", "aggregate"}, "-ERR syntax error\r\n", ""},
	{[]string{"zunionstore", "d", "2", "m", "nokey", "withscores"}, "-ERR syntax error\r\n", ""},
	{[]string{"zinter", "1", "m", "withscores", "limit", "1"}, "-ERR syntax error\r\n", ""},
	{[]string{"zintercard", "1", "m", "limit", "0"}, ":1\r\n", ""},
	{[]string{"zintercard", "1", "m", "weights", "1"}, "-ERR syntax error\r\n", ""},
	{[]string{"zintercard", "3", "m"}, "-ERR syntax error\r\n", ""},
	{[]string{"zinterstore", "d", "0", "m"}, "-ERR at least 1 input key is needed for 'zinterstore' command\r\n", ""},
	{[]string{"zdiffstore", "d", "0", "m"}, "-ERR at least 1 input key is needed for 'zdiffstore' command\r\n", ""},
	{[]string{"zadd", "w", "1", "a", "2", "b"}, ":2\r\n", ""},
	{[]string{"zunion", "2", "w", "w", "weights", "inf", "-inf", "withscores"}, "*4\r\n$1\r\na\r\n$1\r\n0\r\n$1\r\nb\r\n$1\r\n0\r\n", "*2\r\n*2\r\n$1\r\na\r\n,0\r\n*2\r\n$1\r\nb\r\n,0\r\n"},
	{[]string{"zunion", "2", "w", "w", "weights", "inf", "inf", "withscores"}, "*4\r\n$1\r\na\r\n$3\r\ninf\r\n$1\r\nb\r\n$3\r\ninf\r\n", "*2\r\n*2\r\n$1\r\na\r\n,inf\r\n*2\r\n$1\r\nb\r\n,inf\r\n"},
	{[]string{"zunion", "2", "w", "w", "weights", "0", "inf", "withscores"}, "*4\r\n$1\r\na\r\n$3\r\ninf\r\n$1\r\nb\r\n$3\r\ninf\r\n", "*2\r\n*2\r\n$1\r\na\r\n,inf\r\n*2\r\n$1\r\nb\r\n,inf\r\n"},
	{[]string{"zinter", "2", "w", "w", "weights", "inf", "-inf", "withscores"}, "*4\r\n$1\r\na\r\n$1\r\n0\r\n$1\r\nb\r\n$1\r\n0\r\n", "*2\r\n*2\r\n$1\r\na\r\n,0\r\n*2\r\n$1\r\nb\r\n,0\r\n"},
	{[]string{"zinter", "2", "w", "w", "weights", "inf", "-inf", "aggregate", "max", "withscores"}, "*4\r\n$1\r\na\r\n$3\r\ninf\r\n$1\r\nb\r\n$3\r\ninf\r\n", "*2\r\n*2\r\n$1\r\na\r\n,inf\r\n*2\r\n$1\r\nb\r\n,inf\r\n"},
	{[]string{"zunion", "1", "w", "weights", "nan"}, "-ERR weight value is not a float\r\n", ""},
	{[]string{"zunion", "1", "w", "weights", " 1"}, "-ERR weight value is not a float\r\n", ""},
	{[]string{"flushall"}, "+OK\r\n", ""},
	{[]string{"flushall"}, "+OK\r\n", ""},
	{[]string{"config", "set", "zset-max-listpack-entries", "4"}, "+OK\r\n", ""},
	{[]string{"config", "set", "zset-max-listpack-value", "8"}, "+OK\r\n", ""},
	{[]string{"zadd", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "6", "f"}, ":6\r\n", ""},
	{[]string{"zadd", "l", "1", "a", "2", "b", "3", "c"}, ":3\r\n", ""},
	{[]string{"zpopmin", "z"}, "*2\r\n$1\r\na\r\n$1\r\n1\r\n", "*2\r\n$1\r\na\r\n,1\r\n"},
	{[]string{"zpopmax", "z", "2"}, "*4\r\n$1\r\nf\r\n$1\r\n6\r\n$1\r\ne\r\n$1\r\n5\r\n", "*2\r\n*2\r\n$1\r\nf\r\n,6\r\n*2\r\n$1\r\ne\r\n,5\r\n"},
	{[]string{"zpopmin", "z", "0"}, "*0\r\n", ""},
	{[]string{"zpopmin", "z", "-1"}, "-ERR value is out of range, must be positive\r\n", ""},
	{[]string{"zpopmin", "z", "x"}, "-ERR value is out of range, must be positive\r\n", ""},
	{[]string{"zpopmin", "z", "1", "2"}, "-ERR syntax error\r\n", ""},
	{[]string{"zpopmin", "nokey"}, "*0\r\n", ""},
	{[]string{"zpopmin", "nokey", "0"}, "*0\r\n", ""},
	{[]string{"zpopmax", "l", "10"}, "*6\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\n1\r\n", "*3\r\n*2\r\n$1\r\nc\r\n,3\r\n*2\r\n$1\r\nb\r\n,2\r\n*2\r\n$1\r\na\r\n,1\r\n"},
	{[]string{"exists", "l"}, ":0\r\n", ""},
	{[]string{"zmpop", "1", "z", "min"}, "*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n", "*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\nb\r\n,2\r\n"},
	{[]string{"zmpop", "2", "nokey", "z", "max", "count", "10"}, "*2\r\n$1\r\nz\r\n*2\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n", "*2\r\n$1\r\nz\r\n*2\r\n*2\r\n$1\r\nd\r\n,4\r\n*2\r\n$1\r\nc\r\n,3\r\n"},
	{[]string{"zmpop", "1", "z", "min"}, "*-1\r\n", "_\r\n"},
	{[]string{"zmpop", "0", "z", "min"}, "-ERR numkeys should be greater than 0\r\n", ""},
	{[]string{"zmpop", "x", "z", "min"}, "-ERR numkeys should be greater than 0\r\n", ""},
	{[]string{"zmpop", "1", "z", "foo"}, "-ERR syntax error\r\n", ""},
	{[]string{"zmpop", "1", "z", "min", "count", "0"}, "-ERR count should be greater than 0\r\n", ""},
	{[]string{"zmpop", "1", "z", "min", "count", "1", "count", "2"}, "-ERR syntax error\r\n", ""},
	{[]string{"zmpop", "3", "z", "min"}, "-ERR syntax error\r\n", ""},
	{[]string{"zadd", "a", "1", "x", "2", "y", "3", "z"}, ":3\r\n", ""},
	{[]string{"zadd", "b", "10", "y", "20", "z", "30", "w"}, ":3\r\n", ""},
	{[]string{"sadd", "s", "y", "w", "q"}, ":3\r\n", ""},
	{[]string{"zunion", "2", "a", "b", "withscores"}, "*8\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$2\r\n12\r\n$1\r\nz\r\n$2\r\n23\r\n$1\r\nw\r\n$2\r\n30\r\n", "*4\r\n*2\r\n$1\r\nx\r\n,1\r\n*2\r\n$1\r\ny\r\n,12\r\n*2\r\n$1\r\nz\r\n,23\r\n*2\r\n$1\r\nw\r\n,30\r\n"},
	{[]string{"zunion", "3", "a", "b", "s", "withscores"}, "*10\r\n$1\r\nq\r\n$1\r\n1\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$2\r\n13\r\n$1\r\nz\r\n$2\r\n23\r\n$1\r\nw\r\n$2\r\n31\r\n", "*5\r\n*2\r\n$1\r\nq\r\n,1\r\n*2\r\n$1\r\nx\r\n,1\r\n*2\r\n$1\r\ny\r\n,13\r\n*2\r\n$1\r\nz\r\n,23\r\n*2\r\n$1\r\nw\r\n,31\r\n"},
	{[]string{"zinter", "2", "a", "b", "withscores"}, "*4\r\n$1\r\ny\r\n$2\r\n12\r\n$1\r\nz\r\n$2\r\n23\r\n", "*2\r\n*2\r\n$1\r\ny\r\n,12\r\n*2\r\n$1\r\nz\r\n,23\r\n"},
	{[]string{"zinter", "3", "a", "b", "s", "withscores", "aggregate", "max"}, "*2\r\n$1\r\ny\r\n$2\r\n10\r\n", "*1\r\n*2\r\n$1\r\ny\r\n,10\r\n"},
	{[]string{"zunion", "2", "a", "b", "weights", "2", "0.5", "aggregate", "min", "withscores"}, "*8\r\n$1\r\nx\r\n$1\r\n2\r\n$1\r\ny\r\n$1\r\n4\r\n$1\r\nz\r\n$1\r\n6\r\n$1\r\nw\r\n$2\r\n15\r\n", "*4\r\n*2\r\n$1\r\nx\r\n,2\r\n*2\r\n$1\r\ny\r\n,4\r\n*2\r\n$1\r\nz\r\n,6\r\n*2\r\n$1\r\nw\r\n,15\r\n"},
	{[]string{"zunion", "2", "a", "b", "weights", "2", "withscores"}, "-ERR weight value is not a float\r\n", ""},
	{[]string{"zunion", "2", "a", "b", "weights", "x", "y"}, "-ERR weight value is not a float\r\n", ""},
	{[]string{"zunion", "2", "a", "b", "aggregate", "foo"}, "-ERR syntax error\r\n", ""},
	{[]string{"zunion", "0", "a"}, "-ERR at least 1 input key is needed for 'zunion' command\r\n", ""},
	{[]string{"zunion", "3", "a", "b"}, "-ERR syntax error\r\n", ""},
	{[]string{"zunion", "x", "a"}, "-ERR value is not an integer or out of range\r\n", ""},
	{[]string{"zinter", "2", "a", "b", "withscores", "aggregate", "sum", "weights", "inf", "0"}, "*4\r\n$1\r\ny\r\n$3\r\ninf\r\n$1\r\nz\r\n$3\r\ninf\r\n", "*2\r\n*2\r\n$1\r\ny\r\n,inf\r\n*2\r\n$1\r\nz\r\n,inf\r\n"},
	{[]string{"zdiff", "2", "a", "b", "withscores"}, "*2\r\n$1\r\nx\r\n$1\r\n1\r\n", "*1\r\n*2\r\n$1\r\nx\r\n,1\r\n"},
	{[]string{"zdiff", "2", "a", "b", "weights", "1", "1"}, "-ERR syntax error\r\n", ""},
	{[]string{"zdiff", "1", "a"}, "*3\r\n$1\r\nx\r\n$1\r\ny\r\n$1\r\nz\r\n", ""},
	{[]string{"zunionstore", "d", "2", "a", "b"}, ":4\r\n", ""},
	{[]string{"object", "encoding", "d"}, "$8\r\nlistpack\r\n", ""},
	{[]string{"zrange", "d", "0", "-1", "withscores"}, "*8\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$2\r\n12\r\n$1\r\nz\r\n$2\r\n23\r\n$1\r\nw\r\n$2\r\n30\r\n", "*4\r\n*2\r\n$1\r\nx\r\n,1\r\n*2\r\n$1\r\ny\r\n,12\r\n*2\r\n$1\r\nz\r\n,23\r\n*2\r\n$1\r\nw\r\n,30\r\n"},
	{[]string{"zinterstore", "d", "2", "a", "b", "weights", "1", "2"}, ":2\r\n", ""},
	{[]string{"object", "encoding", "d"}, "$8\r\nlistpack\r\n", ""},
	{[]string{"zrange", "d", "0", "-1", "withscores"}, "*4\r\n$1\r\ny\r\n$2\r\n22\r\n$1\r\nz\r\n$2\r\n43\r\n", "*2\r\n*2\r\n$1\r\ny\r\n,22\r\n*2\r\n$1\r\nz\r\n,43\r\n"},
	{[]string{"zunionstore", "d", "2", "a", "b", "withscores"}, "-ERR syntax error\r\n", ""},
	{[]string{"zdiffstore", "d", "2", "a", "a"}, ":0\r\n", ""},
	{[]string{"exists", "d"}, ":0\r\n", ""},
	{[]string{"zintercard", "2", "a", "b"}, ":2\r\n", ""},
	{[]string{"zintercard", "2", "a", "b", "limit", "1"}, ":1\r\n", ""},
	{[]string{"zintercard", "2", "a", "b", "limit", "-1"}, "-ERR LIMIT can't be negative\r\n", ""},
	{[]string{"zintercard", "0", "a"}, "-ERR at least 1 input key is needed for 'zintercard' command\r\n", ""},
	{[]string{"zintercard", "2", "a"}, "-ERR syntax error\r\n", ""},
	{[]string{"zunion", "2", "a", "str"}, "*3\r\n$1\r\nx\r\n$1\r\ny\r\n$1\r\nz\r\n", ""},
	{[]string{"set", "str", "x"}, "+OK\r\n", ""},
	{[]string{"zunion", "2", "a", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{[]string{"zunionstore", "d2", "1", "nokey"}, ":0\r\n", ""},
	{[]string{"zadd", "big", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "6", "f"}, ":6\r\n", ""},
	{[]string{"zunionstore", "d3", "2", "big", "a"}, ":9\r\n", ""},
	{[]string{"object", "encoding", "d3"}, "$8\r\nskiplist\r\n", ""},
	{[]string{"zinterstore", "d3", "2", "big", "a"}, ":0\r\n", ""},
	{[]string{"object", "encoding", "d3"}, "$-1\r\n", "_\r\n"},
	{[]string{"zscan", "a", "0"}, "*2\r\n$1\r\n0\r\n*6\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$1\r\n2\r\n$1\r\nz\r\n$1\r\n3\r\n", ""},
	{[]string{"zadd", "f", "1.1", "x", "2.5", "y", "-0.0", "z", "1e20", "w", "1e-5", "v"}, ":5\r\n", ""},
	{[]string{"zrange", "f", "0", "-1", "withscores"}, "*10\r\n$1\r\nz\r\n$1\r\n0\r\n$1\r\nv\r\n$22\r\n1.0000000000000001e-05\r\n$1\r\nx\r\n$18\r\n1.1000000000000001\r\n$1\r\ny\r\n$3\r\n2.5\r\n$1\r\nw\r\n$5\r\n1e+20\r\n", "*5\r\n*2\r\n$1\r\nz\r\n,0\r\n*2\r\n$1\r\nv\r\n,1.0000000000000001e-05\r\n*2\r\n$1\r\nx\r\n,1.1000000000000001\r\n*2\r\n$1\r\ny\r\n,2.5\r\n*2\r\n$1\r\nw\r\n,1e+20\r\n"},
	{[]string{"zadd", "fs", "1.1", "x", "2.5", "y", "0", "z", "1e20", "w", "1e-5", "v", "3", "a1", "3", "a2", "3", "a3", "3", "a4"}, ":9\r\n", ""},
	{[]string{"zadd", "neg", "-0", "m"}, ":1\r\n", ""},
	{[]string{"zscore", "neg", "m"}, "$1\r\n0\r\n", ",0\r\n"},
	{[]string{"zadd", "sk", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "-0", "m"}, ":6\r\n", ""},
	{[]string{"zscore", "sk", "m"}, "$2\r\n-0\r\n", ",-0\r\n"},
	{[]string{"zadd", "inf", "+inf", "a", "-inf", "b"}, ":2\r\n", ""},
	{[]string{"zunion", "2", "inf", "inf", "withscores"}, "*4\r\n$1\r\nb\r\n$4\r\n-inf\r\n$1\r\na\r\n$3\r\ninf\r\n", "*2\r\n*2\r\n$1\r\nb\r\n,-inf\r\n*2\r\n$1\r\na\r\n,inf\r\n"},
	{[]string{"zinter", "2", "inf", "inf", "weights", "0", "1", "withscores"}, "*4\r\n$1\r\nb\r\n$4\r\n-inf\r\n$1\r\na\r\n$3\r\ninf\r\n", "*2\r\n*2\r\n$1\r\nb\r\n,-inf\r\n*2\r\n$1\r\na\r\n,inf\r\n"},
}
