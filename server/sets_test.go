package server

import (
	"strconv"
	"strings"
	"testing"
)

// setScript's replies were recorded from
// redis-server 7.0.15 (FLUSHALL, then the script in order, after HELLO 2
// or HELLO 3). Only deterministic replies are scripted: intsets iterate
// in order, hashtables hold at most one member where order shows.
func TestSetScriptRESP2(t *testing.T) { runReplyScript(t, 2, setScript) }
func TestSetScriptRESP3(t *testing.T) { runReplyScript(t, 3, setScript) }

var setScript = []replyCase{
	{strings.Fields("SADD s 3 1 2"), ":3\r\n", ""},
	{strings.Fields("SADD s 2 4"), ":1\r\n", ""},
	{strings.Fields("OBJECT ENCODING s"), "$6\r\nintset\r\n", ""},
	{strings.Fields("SMEMBERS s"), "*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n", "~4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n"},
	{strings.Fields("SCARD s"), ":4\r\n", ""},
	{strings.Fields("SCARD nokey"), ":0\r\n", ""},
	{strings.Fields("SISMEMBER s 2"), ":1\r\n", ""},
	{strings.Fields("SISMEMBER s 9"), ":0\r\n", ""},
	{strings.Fields("SISMEMBER s 02"), ":0\r\n", ""},
	{strings.Fields("SISMEMBER nokey 1"), ":0\r\n", ""},
	{strings.Fields("SMISMEMBER s 1 9 4"), "*3\r\n:1\r\n:0\r\n:1\r\n", ""},
	{strings.Fields("SMISMEMBER nokey 1 2"), "*2\r\n:0\r\n:0\r\n", ""},
	{strings.Fields("SREM s 9 4 x"), ":1\r\n", ""},
	{strings.Fields("SREM nokey a"), ":0\r\n", ""},
	{strings.Fields("SMEMBERS s"), "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n", "~3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n"},
	{strings.Fields("SMEMBERS nokey"), "*0\r\n", "~0\r\n"},
	{strings.Fields("SADD s -5 9223372036854775807 -9223372036854775808"), ":3\r\n", ""},
	{strings.Fields("SMEMBERS s"), "*6\r\n$20\r\n-9223372036854775808\r\n$2\r\n-5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$19\r\n9223372036854775807\r\n", "~6\r\n$20\r\n-9223372036854775808\r\n$2\r\n-5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$19\r\n9223372036854775807\r\n"},
	{strings.Fields("OBJECT ENCODING s"), "$6\r\nintset\r\n", ""},
	{strings.Fields("SADD s 007"), ":1\r\n", ""},
	{strings.Fields("OBJECT ENCODING s"), "$9\r\nhashtable\r\n", ""},
	{strings.Fields("SISMEMBER s 007"), ":1\r\n", ""},
	{strings.Fields("SISMEMBER s 7"), ":0\r\n", ""},
	{strings.Fields("SREM s 007 1 2 3 -5 9223372036854775807 -9223372036854775808"), ":7\r\n", ""},
	{strings.Fields("EXISTS s"), ":0\r\n", ""},
	{strings.Fields("SET str v"), "+OK\r\n", ""},
	{strings.Fields("SADD str a"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{strings.Fields("SREM str a"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{strings.Fields("SCARD str"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{strings.Fields("SISMEMBER str a"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{strings.Fields("SMISMEMBER str a"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{strings.Fields("SMEMBERS str"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{strings.Fields("SPOP str"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{strings.Fields("SPOP str 2"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{strings.Fields("SRANDMEMBER str"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{strings.Fields("SRANDMEMBER str 2"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{strings.Fields("SSCAN str 0"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{strings.Fields("SINTER str"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{strings.Fields("SINTER nokey str"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{strings.Fields("SINTERCARD 2 nokey str"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{strings.Fields("SINTERSTORE d str"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{strings.Fields("SUNION nokey str"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{strings.Fields("SDIFF nokey str"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{strings.Fields("SDIFFSTORE d nokey str"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{strings.Fields("SMOVE str d a"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{strings.Fields("SMOVE nokey str a"), ":0\r\n", ""},
	{strings.Fields("SPOP nokey"), "$-1\r\n", "_\r\n"},
	{strings.Fields("SPOP nokey 3"), "*0\r\n", "~0\r\n"},
	{strings.Fields("SPOP nokey 0"), "*0\r\n", "~0\r\n"},
	{strings.Fields("SRANDMEMBER nokey"), "$-1\r\n", "_\r\n"},
	{strings.Fields("SRANDMEMBER nokey 3"), "*0\r\n", ""},
	{strings.Fields("SRANDMEMBER nokey -3"), "*0\r\n", ""},
	{strings.Fields("SPOP s 1 2"), "-ERR syntax error\r\n", ""},
	{strings.Fields("SPOP s -1"), "-ERR value is out of range, must be positive\r\n", ""},
	{strings.Fields("SPOP s x"), "-ERR value is out of range, must be positive\r\n", ""},
	{strings.Fields("SRANDMEMBER s 1 2"), "-ERR syntax error\r\n", ""},
	{strings.Fields("SRANDMEMBER s x"), "-ERR value is not an integer or out of range\r\n", ""},
	{strings.Fields("SRANDMEMBER s -9223372036854775808"), "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n", ""},
	{strings.Fields("SADD a 1 2 3 4"), ":4\r\n", ""},
	{strings.Fields("SADD b 3 4 5"), ":3\r\n", ""},
	{strings.Fields("SADD c x 4 3"), ":3\r\n", ""},
	{strings.Fields("SINTER a b"), "*2\r\n$1\r\n3\r\n$1\r\n4\r\n", "~2\r\n$1\r\n3\r\n$1\r\n4\r\n"},
	{strings.Fields("SINTER a b c"), "*2\r\n$1\r\n3\r\n$1\r\n4\r\n", "~2\r\n$1\r\n3\r\n$1\r\n4\r\n"},
	{strings.Fields("SINTER a b nokey"), "*0\r\n", "~0\r\n"},
	{strings.Fields("SINTERCARD 2 a b"), ":2\r\n", ""},
	{strings.Fields("SINTERCARD 2 a b LIMIT 1"), ":1\r\n", ""},
	{strings.Fields("SINTERCARD 2 a b limit 0"), ":2\r\n", ""},
	{strings.Fields("SINTERCARD 3 a b c LIMIT 5"), ":2\r\n", ""},
	{strings.Fields("SINTERCARD 1 nokey"), ":0\r\n", ""},
	{strings.Fields("SINTERCARD 0 a"), "-ERR numkeys should be greater than 0\r\n", ""},
	{strings.Fields("SINTERCARD x a"), "-ERR numkeys should be greater than 0\r\n", ""},
	{strings.Fields("SINTERCARD -1 a"), "-ERR numkeys should be greater than 0\r\n", ""},
	{strings.Fields("SINTERCARD 3 a b"), "-ERR Number of keys can't be greater than number of args\r\n", ""},
	{strings.Fields("SINTERCARD 1 a LIMIT -1"), "-ERR LIMIT can't be negative\r\n", ""},
	{strings.Fields("SINTERCARD 1 a LIMIT x"), "-ERR LIMIT can't be negative\r\n", ""},
	{strings.Fields("SINTERCARD 1 a LIMIT"), "-ERR syntax error\r\n", ""},
	{strings.Fields("SINTERCARD 1 a foo 1"), "-ERR syntax error\r\n", ""},
	{strings.Fields("SINTERSTORE d a b"), ":2\r\n", ""},
	{strings.Fields("SMEMBERS d"), "*2\r\n$1\r\n3\r\n$1\r\n4\r\n", "~2\r\n$1\r\n3\r\n$1\r\n4\r\n"},
	{strings.Fields("OBJECT ENCODING d"), "$6\r\nintset\r\n", ""},
	{strings.Fields("SINTERSTORE d a c"), ":2\r\n", ""},
	{strings.Fields("OBJECT ENCODING d"), "$6\r\nintset\r\n", ""},
	{strings.Fields("SINTERSTORE d a nokey"), ":0\r\n", ""},
	{strings.Fields("EXISTS d"), ":0\r\n", ""},
	{strings.Fields("SUNION a b"), "*5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n", "~5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n"},
	{strings.Fields("SUNIONSTORE d a b"), ":5\r\n", ""},
	{strings.Fields("SMEMBERS d"), "*5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n", "~5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n"},
	{strings.Fields("OBJECT ENCODING d"), "$6\r\nintset\r\n", ""},
	{strings.Fields("SUNIONSTORE d nokey"), ":0\r\n", ""},
	{strings.Fields("EXISTS d"), ":0\r\n", ""},
	{strings.Fields("SDIFF a b"), "*2\r\n$1\r\n1\r\n$1\r\n2\r\n", "~2\r\n$1\r\n1\r\n$1\r\n2\r\n"},
	{strings.Fields("SDIFF a nokey b"), "*2\r\n$1\r\n1\r\n$1\r\n2\r\n", "~2\r\n$1\r\n1\r\n$1\r\n2\r\n"},
	{strings.Fields("SDIFF a a"), "*0\r\n", "~0\r\n"},
	{strings.Fields("SDIFF nokey a"), "*0\r\n", "~0\r\n"},
	{strings.Fields("SDIFFSTORE d a b"), ":2\r\n", ""},
	{strings.Fields("SMEMBERS d"), "*2\r\n$1\r\n1\r\n$1\r\n2\r\n", "~2\r\n$1\r\n1\r\n$1\r\n2\r\n"},
	{strings.Fields("OBJECT ENCODING d"), "$6\r\nintset\r\n", ""},
	{strings.Fields("SDIFFSTORE d a a"), ":0\r\n", ""},
	{strings.Fields("EXISTS d"), ":0\r\n", ""},
	{strings.Fields("SMOVE a b 1"), ":1\r\n", ""},
	{strings.Fields("SMOVE a b 9"), ":0\r\n", ""},
	{strings.Fields("SMOVE a a 2"), ":1\r\n", ""},
	{strings.Fields("SMOVE a a 9"), ":0\r\n", ""},
	{strings.Fields("SMOVE a new 2"), ":1\r\n", ""},
	{strings.Fields("SMEMBERS a"), "*2\r\n$1\r\n3\r\n$1\r\n4\r\n", "~2\r\n$1\r\n3\r\n$1\r\n4\r\n"},
	{strings.Fields("SMEMBERS b"), "*4\r\n$1\r\n1\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n", "~4\r\n$1\r\n1\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n"},
	{strings.Fields("SMEMBERS new"), "*1\r\n$1\r\n2\r\n", "~1\r\n$1\r\n2\r\n"},
	{strings.Fields("OBJECT ENCODING new"), "$6\r\nintset\r\n", ""},
	{strings.Fields("SMOVE a new2 xx"), ":0\r\n", ""},
	{strings.Fields("SMOVE a str 3"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{strings.Fields("SMOVE nokey str 3"), ":0\r\n", ""},
	{strings.Fields("SADD one 5"), ":1\r\n", ""},
	{strings.Fields("SMOVE one b 5"), ":1\r\n", ""},
	{strings.Fields("EXISTS one"), ":0\r\n", ""},
	{strings.Fields("SRANDMEMBER b 0"), "*0\r\n", ""},
	{strings.Fields("SRANDMEMBER b 100"), "*4\r\n$1\r\n1\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n", ""},
	{strings.Fields("SRANDMEMBER new -3"), "*3\r\n$1\r\n2\r\n$1\r\n2\r\n$1\r\n2\r\n", ""},
	{strings.Fields("SRANDMEMBER new 1"), "*1\r\n$1\r\n2\r\n", ""},
	{strings.Fields("SPOP b 0"), "*0\r\n", "~0\r\n"},
	{strings.Fields("SSCAN b 0"), "*2\r\n$1\r\n0\r\n*4\r\n$1\r\n1\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n", ""},
	{strings.Fields("SSCAN b 0 MATCH 1*"), "*2\r\n$1\r\n0\r\n*1\r\n$1\r\n1\r\n", ""},
	{strings.Fields("SSCAN b 0 COUNT 1"), "*2\r\n$1\r\n0\r\n*4\r\n$1\r\n1\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n", ""},
	{strings.Fields("SSCAN b 0 TYPE set"), "-ERR syntax error\r\n", ""},
	{strings.Fields("SSCAN b 0 COUNT 0"), "-ERR syntax error\r\n", ""},
	{strings.Fields("SSCAN b x"), "-ERR invalid cursor\r\n", ""},
	{strings.Fields("SSCAN nokey 0"), "*2\r\n$1\r\n0\r\n*0\r\n", ""},
	{strings.Fields("SSCAN nokey 0 COUNT 0"), "*2\r\n$1\r\n0\r\n*0\r\n", ""},
	{strings.Fields("SSCAN b 0 MATCH"), "-ERR syntax error\r\n", ""},
	{strings.Fields("SADD h x"), ":1\r\n", ""},
	{strings.Fields("SSCAN h 0 MATCH x"), "*2\r\n$1\r\n0\r\n*1\r\n$1\r\nx\r\n", ""},
	{strings.Fields("SSCAN h 0 MATCH y"), "*2\r\n$1\r\n0\r\n*0\r\n", ""},
	{strings.Fields("SPOP h"), "$1\r\nx\r\n", ""},
	{strings.Fields("EXISTS h"), ":0\r\n", ""},
	{strings.Fields("SADD p 1 2 3"), ":3\r\n", ""},
	{strings.Fields("SPOP p 5"), "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n", "~3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n"},
	{strings.Fields("EXISTS p"), ":0\r\n", ""},
	{strings.Fields("SADD q 7"), ":1\r\n", ""},
	{strings.Fields("SPOP q"), "$1\r\n7\r\n", ""},
	{strings.Fields("SRANDMEMBER q"), "$-1\r\n", "_\r\n"},
}

// Encodings after the same commands as redis-server 7.0.15 with
// set-max-intset-entries 4: growth and string members convert to
// hashtable for good; commands that build a new set (SPOP's complement
// strategy, the STORE variants) start from an intset again, and SDIFF's
// add-then-remove algorithm keeps the hashtable its strings caused.
func TestSetEncodings(t *testing.T) {
	s := startServer(t)
	c := dial(t, s)
	c.expect("+OK\r\n", "CONFIG", "SET", "set-max-intset-entries", "4")
	enc := func(key, want string) {
		t.Helper()
		c.expect("$"+strconv.Itoa(len(want))+"\r\n"+want+"\r\n", "OBJECT", "ENCODING", key)
	}
	c.expect(":4\r\n", "SADD", "e", "1", "2", "3", "4")
	enc("e", "intset")
	c.expect(":1\r\n", "SADD", "e", "5")
	enc("e", "hashtable")
	c.expect(":2\r\n", "SREM", "e", "5", "4")
	enc("e", "hashtable")
	c.expect(":1\r\n", "SADD", "x", "-1")
	enc("x", "intset")
	c.expect(":1\r\n", "SADD", "x", "a")
	enc("x", "hashtable")
	c.expect(":1\r\n", "SADD", "y", "a")
	enc("y", "hashtable")

	// SPOP 5 of 6 keeps the one remaining member as a new set: an intset.
	c.expect(":6\r\n", "SADD", "f", "1", "2", "3", "4", "5", "6")
	enc("f", "hashtable")
	got := c.Do("SPOP", "f", "5")
	if !strings.HasPrefix(got, "*5\r\n") {
		t.Fatalf("SPOP f 5: %q", got)
	}
	enc("f", "intset")
	c.expect(":1\r\n", "SCARD", "f")
	// SPOP 2 of 6 extracts in place: the hashtable stays.
	c.expect(":6\r\n", "SADD", "g", "1", "2", "3", "4", "5", "6")
	c.Do("SPOP", "g", "2")
	enc("g", "hashtable")
	c.expect(":4\r\n", "SCARD", "g")

	c.expect(":6\r\n", "SADD", "s0", "1", "2", "3", "4", "x", "y")
	c.expect(":1\r\n", "SADD", "s1", "x")
	c.expect(":1\r\n", "SADD", "s2", "y")
	c.expect(":4\r\n", "SDIFFSTORE", "d", "s0", "s1", "s2") // algorithm 2
	enc("d", "hashtable")
	c.expect(":3\r\n", "SADD", "t0", "1", "2", "x")
	c.expect(":2\r\n", "SDIFFSTORE", "d2", "t0", "s1") // algorithm 1
	enc("d2", "intset")
	c.expect(":7\r\n", "SADD", "i1", "1", "2", "3", "4", "5", "6", "7")
	c.expect(":8\r\n", "SADD", "i2", "1", "2", "3", "4", "5", "6", "7", "8")
	c.expect(":7\r\n", "SINTERSTORE", "i", "i1", "i2")
	enc("i", "hashtable")
	c.expect(":4\r\n", "SINTERSTORE", "i", "i1", "d")
	enc("i", "intset")
	c.expect(":4\r\n", "SUNIONSTORE", "u", "d", "d2")
	enc("u", "intset")
	c.expect(":6\r\n", "SUNIONSTORE", "u", "d", "x")
	enc("u", "hashtable")
}

// SPOP and SRANDMEMBER with a count, every strategy: the replies hold
// the right number of members, distinct unless the count is negative,
// all from the set, and SPOP removes exactly what it returned.
func TestSetRandomCounts(t *testing.T) {
	s := startServer(t)
	c := dial(t, s)
	for _, members := range [][]string{
		{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"},
		{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"},
	} {
		universe := map[string]bool{}
		for _, m := range members {
			universe[m] = true
		}
		for _, count := range []int{1, 2, 3, 4, 8, 9, 10, 11, -1, -5, -30} {
			c.Do("DEL", "k")
			c.Do(append([]string{"SADD", "k"}, members...)...)
			got := replyBulks(t, c.Do("SRANDMEMBER", "k", strconv.Itoa(count)))
			want := count
			if want < 0 {
				want = -want
			} else if want > len(members) {
				want = len(members)
			}
			checkMembers(t, "SRANDMEMBER", got, want, count > 0, universe)

			if count < 0 {
				continue
			}
			got = replyBulks(t, c.Do("SPOP", "k", strconv.Itoa(count)))
			checkMembers(t, "SPOP", got, want, true, universe)
			rest := replyBulks(t, c.Do("SMEMBERS", "k"))
			if len(rest)+len(got) != len(members) {
				t.Errorf("SPOP %d: %d popped, %d left of %d", count, len(got), len(rest), len(members))
			}
			for _, m := range rest {
				for _, p := range got {
					if m == p {
						t.Errorf("SPOP %d: %s popped and still there", count, m)
					}
				}
			}
		}
	}
}

func checkMembers(t *testing.T, cmd string, got []string, n int, distinct bool, universe map[string]bool) {
	t.Helper()
	if len(got) != n {
		t.Errorf("%s: %d members %v, want %d", cmd, len(got), got, n)
	}
	seen := map[string]bool{}
	for _, m := range got {
		if !universe[m] {
			t.Errorf("%s: %q is not a member", cmd, m)
		}
		if distinct && seen[m] {
			t.Errorf("%s: %q repeated in %v", cmd, m, got)
		}
		seen[m] = true
	}
}

// replyBulks parses a flat RESP2/RESP3 array or set of bulk strings.
func replyBulks(t *testing.T, r string) []string {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(r, "\r\n"), "\r\n")
	if len(lines) == 0 || (lines[0][0] != '*' && lines[0][0] != '~') {
		t.Fatalf("not an array: %q", r)
	}
	var out []string
	for i := 2; i < len(lines); i += 2 {
		out = append(out, lines[i])
	}
	return out
}

// Propagation as redis-server 7.0.15 writes it to its AOF: SPOP becomes
// SREM per popped member (wrapped in MULTI/EXEC when several), or DEL
// when the count takes the whole set; commands that change nothing
// propagate nothing.
func TestSetPropagation(t *testing.T) {
	e := newClockEnv(t, &feedRecorder{sep: " "})
	c := e.c
	c.expect(":3\r\n", "SADD", "s", "1", "2", "3")
	e.expectFeed("0 SADD s 1 2 3")
	c.expect(":0\r\n", "SADD", "s", "1")
	e.expectFeed()
	got := c.Do("SPOP", "s")
	e.expectFeed("0 SREM s " + strings.Split(got, "\r\n")[1])
	got = c.Do("SPOP", "s", "1")
	e.expectFeed("0 SREM s " + replyBulks(t, got)[0])
	c.expect("*0\r\n", "SPOP", "s", "0")
	e.expectFeed()
	c.expect(":2\r\n", "SADD", "s", "7", "8")
	e.feeds.take()
	got = c.Do("SPOP", "s", "5")
	e.expectFeed("0 DEL s")
	if len(replyBulks(t, got)) != 3 {
		t.Errorf("SPOP s 5: %q", got)
	}

	// Extraction (case 2) and complement (case 3): SREMs in one MULTI.
	c.expect(":10\r\n", "SADD", "s", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10")
	e.feeds.take()
	for _, n := range []string{"2", "7"} {
		popped := replyBulks(t, c.Do("SPOP", "s", n))
		want := []string{"0 MULTI"}
		for _, m := range popped {
			want = append(want, "0 SREM s "+m)
		}
		e.expectFeed(append(want, "0 EXEC")...)
	}

	c.expect(":0\r\n", "SREM", "s", "nope")
	e.expectFeed()
	c.expect(":1\r\n", "SADD", "a", "x")
	c.expect(":1\r\n", "SMOVE", "a", "b", "x")
	c.expect(":0\r\n", "SMOVE", "a", "b", "x")
	e.expectFeed("0 SADD a x", "0 SMOVE a b x")
	c.expect(":1\r\n", "SINTERSTORE", "d", "b")
	c.expect(":0\r\n", "SDIFFSTORE", "d", "b", "b")
	c.expect(":0\r\n", "SDIFFSTORE", "d", "b", "b") // nothing to delete
	c.expect(":1\r\n", "SUNIONSTORE", "d", "b", "nokey")
	e.expectFeed("0 SINTERSTORE d b", "0 SDIFFSTORE d b b", "0 SUNIONSTORE d b nokey")
	c.expect("*1\r\n$1\r\nx\r\n", "SRANDMEMBER", "b", "1")
	c.expect(":1\r\n", "SCARD", "b")
	e.expectFeed()
}

// DEBUG DIGEST and DIGEST-VALUE of the same sets as redis-server 7.0.15,
// both encodings.
func TestSetDigest(t *testing.T) {
	s := startServer(t, func(cfg *Config) { cfg.EnableDebugCommand = "yes" })
	c := dial(t, s)
	c.expect(":5\r\n", "SADD", "ds", "1", "2", "3", "a", "b")
	c.expect("*1\r\n+4566d1564ccd51185b3a89cfe4392eb6c5ffba66\r\n", "DEBUG", "DIGEST-VALUE", "ds")
	c.expect(":3\r\n", "SADD", "dsi", "5", "-7", "100000")
	c.expect("*1\r\n+084dafe7234572233034d34be87118e7cfb58e6f\r\n", "DEBUG", "DIGEST-VALUE", "dsi")
	c.expect(":1\r\n", "DEL", "dsi")
	c.expect("+cb95a745e3501dcde9ddc6da28b57497047265ae\r\n", "DEBUG", "DIGEST")
}

// COPY duplicates a set of either encoding: the copy keeps the encoding
// and shares nothing with the source.
func TestSetCopy(t *testing.T) {
	s := startServer(t)
	c := dial(t, s)
	c.expect(":3\r\n", "SADD", "i", "1", "2", "3")
	c.expect(":2\r\n", "SADD", "h", "a", "b")
	c.expect(":1\r\n", "COPY", "i", "i2")
	c.expect(":1\r\n", "COPY", "h", "h2")
	c.expect("$6\r\nintset\r\n", "OBJECT", "ENCODING", "i2")
	c.expect("$9\r\nhashtable\r\n", "OBJECT", "ENCODING", "h2")
	c.expect(":1\r\n", "SADD", "i", "4")
	c.expect(":1\r\n", "SREM", "h", "a")
	c.expect("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n", "SMEMBERS", "i2")
	c.expect(":2\r\n", "SCARD", "h2")
	c.expect(":1\r\n", "SISMEMBER", "h2", "a")
}

// MEMORY USAGE grows with the set and counts an intset by its bytes.
func TestSetMemoryUsage(t *testing.T) {
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
	c.Do("SADD", "i", "1")
	small := usage("i")
	for i := 0; i < 200; i++ {
		c.Do("SADD", "i", strconv.Itoa(i*1000))
		c.Do("SADD", "h", strings.Repeat("m", 50)+strconv.Itoa(i))
	}
	if big := usage("i"); big < small+200*2 {
		t.Errorf("intset of 200: %d bytes, one member %d", big, small)
	}
	if h := usage("h"); h < 200*50 {
		t.Errorf("hashtable of 200 x 52 bytes: %d", h)
	}
}
