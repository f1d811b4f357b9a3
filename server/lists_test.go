package server

import (
	"strconv"
	"strings"
	"testing"
)

// listScript's replies were recorded from
// redis-server 7.0.15 (FLUSHALL, then the script in order, after HELLO 2
// or HELLO 3).
func TestListScriptRESP2(t *testing.T) { runReplyScript(t, 2, listScript) }
func TestListScriptRESP3(t *testing.T) { runReplyScript(t, 3, listScript) }

// The same scripts with one-element nodes compressed past the ends, so
// every command crosses node boundaries and compressed nodes.
func TestListScriptSmallNodes(t *testing.T) {
	small := func(cfg *Config) { cfg.ListMaxListpackSize, cfg.ListCompressDepth = 1, 1 }
	runReplyScript(t, 2, listScript, small)
	runReplyScript(t, 3, listScript, small)
}

var listScript = []replyCase{
	{strings.Fields("RPUSH l a b c"), ":3\r\n", ""},
	{strings.Fields("LPUSH l z y"), ":5\r\n", ""},
	{strings.Fields("OBJECT ENCODING l"), "$9\r\nquicklist\r\n", ""},
	{strings.Fields("LRANGE l 0 -1"), "*5\r\n$1\r\ny\r\n$1\r\nz\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", ""},
	{strings.Fields("LLEN l"), ":5\r\n", ""},
	{strings.Fields("LLEN nokey"), ":0\r\n", ""},
	{strings.Fields("LPUSHX nokey a"), ":0\r\n", ""},
	{strings.Fields("RPUSHX nokey a"), ":0\r\n", ""},
	{strings.Fields("EXISTS nokey"), ":0\r\n", ""},
	{strings.Fields("LPUSHX l x1 x2"), ":7\r\n", ""},
	{strings.Fields("RPUSHX l w1 w2"), ":9\r\n", ""},
	{strings.Fields("LRANGE l 0 -1"), "*9\r\n$2\r\nx2\r\n$2\r\nx1\r\n$1\r\ny\r\n$1\r\nz\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$2\r\nw1\r\n$2\r\nw2\r\n", ""},
	{strings.Fields("LRANGE l -3 -1"), "*3\r\n$1\r\nc\r\n$2\r\nw1\r\n$2\r\nw2\r\n", ""},
	{strings.Fields("LRANGE l 5 2"), "*0\r\n", ""},
	{strings.Fields("LRANGE l -100 1"), "*2\r\n$2\r\nx2\r\n$2\r\nx1\r\n", ""},
	{strings.Fields("LRANGE l 7 100"), "*2\r\n$2\r\nw1\r\n$2\r\nw2\r\n", ""},
	{strings.Fields("LRANGE l 9 100"), "*0\r\n", ""},
	{strings.Fields("LRANGE l x 1"), "-ERR value is not an integer or out of range\r\n", ""},
	{strings.Fields("LRANGE l 0 y"), "-ERR value is not an integer or out of range\r\n", ""},
	{strings.Fields("LRANGE nokey 0 -1"), "*0\r\n", ""},
	{strings.Fields("LRANGE nokey x 1"), "-ERR value is not an integer or out of range\r\n", ""},
	{strings.Fields("LINDEX l 0"), "$2\r\nx2\r\n", ""},
	{strings.Fields("LINDEX l -1"), "$2\r\nw2\r\n", ""},
	{strings.Fields("LINDEX l 100"), "$-1\r\n", "_\r\n"},
	{strings.Fields("LINDEX l -100"), "$-1\r\n", "_\r\n"},
	{strings.Fields("LINDEX l x"), "-ERR value is not an integer or out of range\r\n", ""},
	{strings.Fields("LINDEX nokey x"), "$-1\r\n", "_\r\n"},
	{strings.Fields("LINDEX nokey 0"), "$-1\r\n", "_\r\n"},
	{strings.Fields("LSET l 0 first"), "+OK\r\n", ""},
	{strings.Fields("LSET l -1 last"), "+OK\r\n", ""},
	{strings.Fields("LSET l 9 v"), "-ERR index out of range\r\n", ""},
	{strings.Fields("LSET l -10 v"), "-ERR index out of range\r\n", ""},
	{strings.Fields("LSET l x v"), "-ERR value is not an integer or out of range\r\n", ""},
	{strings.Fields("LSET nokey 0 v"), "-ERR no such key\r\n", ""},
	{strings.Fields("LSET nokey x v"), "-ERR no such key\r\n", ""},
	{strings.Fields("LRANGE l 0 -1"), "*9\r\n$5\r\nfirst\r\n$2\r\nx1\r\n$1\r\ny\r\n$1\r\nz\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$2\r\nw1\r\n$4\r\nlast\r\n", ""},
	{strings.Fields("LPOP l"), "$5\r\nfirst\r\n", ""},
	{strings.Fields("RPOP l"), "$4\r\nlast\r\n", ""},
	{strings.Fields("LPOP l 0"), "*0\r\n", ""},
	{strings.Fields("RPOP l 0"), "*0\r\n", ""},
	{strings.Fields("LPOP l 2"), "*2\r\n$2\r\nx1\r\n$1\r\ny\r\n", ""},
	{strings.Fields("RPOP l 2"), "*2\r\n$2\r\nw1\r\n$1\r\nc\r\n", ""},
	{strings.Fields("LPOP l -1"), "-ERR value is out of range, must be positive\r\n", ""},
	{strings.Fields("LPOP l x"), "-ERR value is out of range, must be positive\r\n", ""},
	{strings.Fields("LPOP l 1 2"), "-ERR wrong number of arguments for 'lpop' command\r\n", ""},
	{strings.Fields("LPOP nokey"), "$-1\r\n", "_\r\n"},
	{strings.Fields("RPOP nokey 1"), "*-1\r\n", "_\r\n"},
	{strings.Fields("LPOP nokey 0"), "*-1\r\n", "_\r\n"},
	{strings.Fields("LPOP nokey -1"), "-ERR value is out of range, must be positive\r\n", ""},
	{strings.Fields("RPOP l 100"), "*3\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\nz\r\n", ""},
	{strings.Fields("EXISTS l"), ":0\r\n", ""},
	{strings.Fields("RPUSH l 1 2 3 4 5 6 7 8 9"), ":9\r\n", ""},
	{strings.Fields("LTRIM l 1 -2"), "+OK\r\n", ""},
	{strings.Fields("LRANGE l 0 -1"), "*7\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n$1\r\n6\r\n$1\r\n7\r\n$1\r\n8\r\n", ""},
	{strings.Fields("LTRIM l -3 100"), "+OK\r\n", ""},
	{strings.Fields("LRANGE l 0 -1"), "*3\r\n$1\r\n6\r\n$1\r\n7\r\n$1\r\n8\r\n", ""},
	{strings.Fields("LTRIM l x 1"), "-ERR value is not an integer or out of range\r\n", ""},
	{strings.Fields("LTRIM nokey 0 1"), "+OK\r\n", ""},
	{strings.Fields("LTRIM l 5 1"), "+OK\r\n", ""},
	{strings.Fields("EXISTS l"), ":0\r\n", ""},
	{strings.Fields("RPUSH l a b a c a d a"), ":7\r\n", ""},
	{strings.Fields("LREM l 2 a"), ":2\r\n", ""},
	{strings.Fields("LRANGE l 0 -1"), "*5\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nd\r\n$1\r\na\r\n", ""},
	{strings.Fields("LREM l -1 a"), ":1\r\n", ""},
	{strings.Fields("LRANGE l 0 -1"), "*4\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nd\r\n", ""},
	{strings.Fields("LREM l 0 zz"), ":0\r\n", ""},
	{strings.Fields("LREM l x a"), "-ERR value is not an integer or out of range\r\n", ""},
	{strings.Fields("LREM nokey 0 a"), ":0\r\n", ""},
	{strings.Fields("RPUSH l a a"), ":6\r\n", ""},
	{strings.Fields("LREM l 0 a"), ":3\r\n", ""},
	{strings.Fields("LRANGE l 0 -1"), "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n", ""},
	{strings.Fields("LREM l 0 b"), ":1\r\n", ""},
	{strings.Fields("LREM l 0 c"), ":1\r\n", ""},
	{strings.Fields("LREM l -5 d"), ":1\r\n", ""},
	{strings.Fields("EXISTS l"), ":0\r\n", ""},
	{strings.Fields("RPUSH l a b c"), ":3\r\n", ""},
	{strings.Fields("LINSERT l BEFORE b x"), ":4\r\n", ""},
	{strings.Fields("LINSERT l after c y"), ":5\r\n", ""},
	{strings.Fields("LINSERT l before zz q"), ":-1\r\n", ""},
	{strings.Fields("LINSERT l middle a q"), "-ERR syntax error\r\n", ""},
	{strings.Fields("LINSERT nokey before a q"), ":0\r\n", ""},
	{strings.Fields("LINSERT nokey middle a q"), "-ERR syntax error\r\n", ""},
	{strings.Fields("LRANGE l 0 -1"), "*5\r\n$1\r\na\r\n$1\r\nx\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\ny\r\n", ""},
	{strings.Fields("DEL l"), ":1\r\n", ""},
	{strings.Fields("RPUSH l a b c a b c a"), ":7\r\n", ""},
	{strings.Fields("LPOS l a"), ":0\r\n", ""},
	{strings.Fields("LPOS l b"), ":1\r\n", ""},
	{strings.Fields("LPOS l zz"), "$-1\r\n", "_\r\n"},
	{strings.Fields("LPOS l a RANK 2"), ":3\r\n", ""},
	{strings.Fields("LPOS l a RANK -1"), ":6\r\n", ""},
	{strings.Fields("LPOS l a RANK -2"), ":3\r\n", ""},
	{strings.Fields("LPOS l a RANK 10"), "$-1\r\n", "_\r\n"},
	{strings.Fields("LPOS l a COUNT 0"), "*3\r\n:0\r\n:3\r\n:6\r\n", ""},
	{strings.Fields("LPOS l a COUNT 2"), "*2\r\n:0\r\n:3\r\n", ""},
	{strings.Fields("LPOS l a COUNT 0 RANK -1"), "*3\r\n:6\r\n:3\r\n:0\r\n", ""},
	{strings.Fields("LPOS l a COUNT 2 RANK 2"), "*2\r\n:3\r\n:6\r\n", ""},
	{strings.Fields("LPOS l a COUNT 0 MAXLEN 4"), "*2\r\n:0\r\n:3\r\n", ""},
	{strings.Fields("LPOS l a COUNT 0 MAXLEN 3 RANK -1"), "*1\r\n:6\r\n", ""},
	{strings.Fields("LPOS l a MAXLEN 1"), ":0\r\n", ""},
	{strings.Fields("LPOS l a MAXLEN 1 RANK -1"), ":6\r\n", ""},
	{strings.Fields("LPOS l zz COUNT 3"), "*0\r\n", ""},
	{strings.Fields("LPOS l a RANK 0"), "-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list\r\n", ""},
	{strings.Fields("LPOS l a RANK x"), "-ERR value is not an integer or out of range\r\n", ""},
	{strings.Fields("LPOS l a RANK -9223372036854775808"), ":6\r\n", ""},
	{strings.Fields("LPOS l a COUNT -1"), "-ERR COUNT can't be negative\r\n", ""},
	{strings.Fields("LPOS l a COUNT x"), "-ERR COUNT can't be negative\r\n", ""},
	{strings.Fields("LPOS l a MAXLEN -1"), "-ERR MAXLEN can't be negative\r\n", ""},
	{strings.Fields("LPOS l a MAXLEN x"), "-ERR MAXLEN can't be negative\r\n", ""},
	{strings.Fields("LPOS l a FOO 1"), "-ERR syntax error\r\n", ""},
	{strings.Fields("LPOS l a RANK"), "-ERR syntax error\r\n", ""},
	{strings.Fields("LPOS nokey a"), "$-1\r\n", "_\r\n"},
	{strings.Fields("LPOS nokey a COUNT 1"), "*0\r\n", ""},
	{strings.Fields("LPOS nokey a RANK 0"), "-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list\r\n", ""},
	{strings.Fields("DEL l"), ":1\r\n", ""},
	{strings.Fields("RPUSH l 1 2 3"), ":3\r\n", ""},
	{strings.Fields("LMOVE l l LEFT RIGHT"), "$1\r\n1\r\n", ""},
	{strings.Fields("LRANGE l 0 -1"), "*3\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n1\r\n", ""},
	{strings.Fields("LMOVE l l RIGHT LEFT"), "$1\r\n1\r\n", ""},
	{strings.Fields("LMOVE l d LEFT LEFT"), "$1\r\n1\r\n", ""},
	{strings.Fields("LMOVE l d RIGHT RIGHT"), "$1\r\n3\r\n", ""},
	{strings.Fields("LMOVE l d LEFT right"), "$1\r\n2\r\n", ""},
	{strings.Fields("LRANGE d 0 -1"), "*3\r\n$1\r\n1\r\n$1\r\n3\r\n$1\r\n2\r\n", ""},
	{strings.Fields("EXISTS l"), ":0\r\n", ""},
	{strings.Fields("LMOVE l d LEFT LEFT"), "$-1\r\n", "_\r\n"},
	{strings.Fields("LMOVE d l UP LEFT"), "-ERR syntax error\r\n", ""},
	{strings.Fields("LMOVE d l LEFT DOWN"), "-ERR syntax error\r\n", ""},
	{strings.Fields("RPOPLPUSH d d"), "$1\r\n2\r\n", ""},
	{strings.Fields("RPOPLPUSH d e"), "$1\r\n3\r\n", ""},
	{strings.Fields("RPOPLPUSH nokey e"), "$-1\r\n", "_\r\n"},
	{strings.Fields("LRANGE d 0 -1"), "*2\r\n$1\r\n2\r\n$1\r\n1\r\n", ""},
	{strings.Fields("LRANGE e 0 -1"), "*1\r\n$1\r\n3\r\n", ""},
	{strings.Fields("RPUSH one x"), ":1\r\n", ""},
	{strings.Fields("RPOPLPUSH one one"), "$1\r\nx\r\n", ""},
	{strings.Fields("LMOVE one one LEFT LEFT"), "$1\r\nx\r\n", ""},
	{strings.Fields("LRANGE one 0 -1"), "*1\r\n$1\r\nx\r\n", ""},
	{strings.Fields("LMPOP 2 nokey d LEFT"), "*2\r\n$1\r\nd\r\n*1\r\n$1\r\n2\r\n", ""},
	{strings.Fields("LMPOP 2 nokey e RIGHT COUNT 10"), "*2\r\n$1\r\ne\r\n*1\r\n$1\r\n3\r\n", ""},
	{strings.Fields("LMPOP 2 nokey e RIGHT"), "*-1\r\n", "_\r\n"},
	{strings.Fields("LMPOP 1 d left count 5"), "*2\r\n$1\r\nd\r\n*1\r\n$1\r\n1\r\n", ""},
	{strings.Fields("LMPOP 0 d LEFT"), "-ERR numkeys should be greater than 0\r\n", ""},
	{strings.Fields("LMPOP x d LEFT"), "-ERR numkeys should be greater than 0\r\n", ""},
	{strings.Fields("LMPOP -1 d LEFT"), "-ERR numkeys should be greater than 0\r\n", ""},
	{strings.Fields("LMPOP 3 d LEFT"), "-ERR syntax error\r\n", ""},
	{strings.Fields("LMPOP 1 d UP"), "-ERR syntax error\r\n", ""},
	{strings.Fields("LMPOP 1 d LEFT COUNT 0"), "-ERR count should be greater than 0\r\n", ""},
	{strings.Fields("LMPOP 1 d LEFT COUNT -1"), "-ERR count should be greater than 0\r\n", ""},
	{strings.Fields("LMPOP 1 d LEFT COUNT x"), "-ERR count should be greater than 0\r\n", ""},
	{strings.Fields("LMPOP 1 d LEFT COUNT 1 COUNT 1"), "-ERR syntax error\r\n", ""},
	{strings.Fields("LMPOP 1 d LEFT FOO"), "-ERR syntax error\r\n", ""},
	{strings.Fields("LMPOP 1 d LEFT COUNT"), "-ERR syntax error\r\n", ""},
	{strings.Fields("SET str v"), "+OK\r\n", ""},
	{strings.Fields("LPUSH str a"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{strings.Fields("RPUSH str a"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{strings.Fields("LPUSHX str a"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{strings.Fields("LPOP str"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{strings.Fields("RPOP str 1"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{strings.Fields("LLEN str"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{strings.Fields("LINDEX str 0"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{strings.Fields("LSET str 0 a"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{strings.Fields("LRANGE str 0 1"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{strings.Fields("LTRIM str 0 1"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{strings.Fields("LREM str 0 a"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{strings.Fields("LINSERT str BEFORE a b"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{strings.Fields("LPOS str a"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{strings.Fields("LMOVE str d LEFT LEFT"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{strings.Fields("RPUSH d x"), ":1\r\n", ""},
	{strings.Fields("LMOVE d str LEFT LEFT"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{strings.Fields("RPOPLPUSH str d"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{strings.Fields("LMPOP 2 nokey str LEFT"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{strings.Fields("LMPOP 2 d str LEFT"), "*2\r\n$1\r\nd\r\n*1\r\n$1\r\nx\r\n", ""},
}

// Propagation as redis-server 7.0.15 writes it to its AOF: LMPOP becomes
// LPOP/RPOP with the count actually popped, the rest propagate as given,
// and commands that change nothing propagate nothing.
func TestListPropagation(t *testing.T) {
	e := newClockEnv(t, &feedRecorder{sep: " "})
	c := e.c
	for _, step := range []struct{ cmd, feed string }{
		{"RPUSH p a b c d e", "0 RPUSH p a b c d e"},
		{"LPUSH p z", "0 LPUSH p z"},
		{"LPUSHX p y", "0 LPUSHX p y"},
		{"RPUSHX nokey y", ""},
		{"LPOP p 2", "0 LPOP p 2"},
		{"RPOP p", "0 RPOP p"},
		{"LPOP p 0", ""},
		{"LMPOP 1 p RIGHT COUNT 10", "0 RPOP p 4"},
		{"RPUSH q 1 2 3", "0 RPUSH q 1 2 3"},
		{"LMOVE q r LEFT RIGHT", "0 LMOVE q r LEFT RIGHT"},
		{"RPOPLPUSH q r", "0 RPOPLPUSH q r"},
		{"LMOVE q q LEFT LEFT", "0 LMOVE q q LEFT LEFT"},
		{"LTRIM r 0 0", "0 LTRIM r 0 0"},
		{"LTRIM r 0 -1", ""},
		{"LREM q 0 zz", ""},
		{"LREM q 0 3", ""},
		{"LINSERT r BEFORE 1 x", ""},
		{"LINSERT r BEFORE zz x", ""},
		{"LSET r 0 y", "0 LSET r 0 y"},
		{"LTRIM nokey 0 1", ""},
		{"LMPOP 2 nokey r LEFT", "0 LPOP r 1"},
		{"LMPOP 2 nokey r LEFT", ""},
		{"RPUSH s a b", "0 RPUSH s a b"},
		{"LMPOP 1 s LEFT COUNT 1", "0 LPOP s 1"},
		{"LTRIM s 1 0", "0 LTRIM s 1 0"},
	} {
		c.Do(strings.Fields(step.cmd)...)
		if step.feed == "" {
			e.expectFeed()
		} else {
			e.expectFeed(step.feed)
		}
	}
}

// DEBUG DIGEST and DIGEST-VALUE of the same lists as redis-server 7.0.15:
// elements are mixed in order, integers by their decimal text.
func TestListDigest(t *testing.T) {
	s := startServer(t, func(cfg *Config) {
		cfg.EnableDebugCommand = "yes"
		cfg.ListMaxListpackSize, cfg.ListCompressDepth = 2, 1
	})
	c := dial(t, s)
	c.expect(":6\r\n", "RPUSH", "dl", "a", "1", "bb", "-5", "10000000000", "")
	c.expect("*1\r\n+be68776e6223ee1901460ce30ae4ace3833b50c2\r\n", "DEBUG", "DIGEST-VALUE", "dl")
	c.expect(":1\r\n", "RPUSH", "d2", "x")
	c.expect("+2f11c97593f7268d62281f1ce3a98e62e37393a6\r\n", "DEBUG", "DIGEST")
	c.expect("*1\r\n+b7bf7c7fd12bee893767b604e8582837a111d357\r\n", "DEBUG", "DIGEST-VALUE", "d2")
	c.expect(":10\r\n", "RPUSH", "big", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j")
	c.expect("*1\r\n+e0a04563657cb3d7c1b66bf49801f5e2c545aeed\r\n", "DEBUG", "DIGEST-VALUE", "big")
}

// COPY duplicates a list node for node: the copy is a quicklist with the
// same elements and shares nothing with the source.
func TestListCopy(t *testing.T) {
	s := startServer(t, func(cfg *Config) { cfg.ListMaxListpackSize, cfg.ListCompressDepth = 2, 1 })
	c := dial(t, s)
	long := strings.Repeat("x", 100) // compressible, so interior nodes compress
	args := []string{"RPUSH", "l"}
	for i := 0; i < 10; i++ {
		args = append(args, long+strconv.Itoa(i))
	}
	c.expect(":10\r\n", args...)
	c.expect(":1\r\n", "COPY", "l", "l2")
	c.expect("$9\r\nquicklist\r\n", "OBJECT", "ENCODING", "l2")
	c.expect("+OK\r\n", "LSET", "l", "5", "changed")
	c.expect("$7\r\nchanged\r\n", "LINDEX", "l", "5")
	c.expect("$101\r\n"+long+"5\r\n", "LINDEX", "l2", "5")
	c.expect("$101\r\n"+long+"9\r\n", "RPOP", "l2")
	c.expect(":10\r\n", "LLEN", "l")
	c.expect(":9\r\n", "LLEN", "l2")
	want := "*9\r\n"
	for i := 0; i < 9; i++ {
		want += "$101\r\n" + long + strconv.Itoa(i) + "\r\n"
	}
	c.expect(want, "LRANGE", "l2", "0", "-1")
}

// MEMORY USAGE grows with the list and samples nodes as Redis does.
func TestListMemoryUsage(t *testing.T) {
	s := startServer(t)
	c := dial(t, s)
	usage := func(key string, samples string) int {
		t.Helper()
		r := c.Do("MEMORY", "USAGE", key, "SAMPLES", samples)
		n, err := strconv.Atoi(strings.TrimSpace(r[1:]))
		if err != nil {
			t.Fatalf("MEMORY USAGE %s: %q", key, r)
		}
		return n
	}
	c.Do("RPUSH", "l", "a")
	small := usage("l", "0")
	for i := 0; i < 2000; i++ {
		c.Do("RPUSH", "l", strings.Repeat("m", 50)+strconv.Itoa(i))
	}
	if big := usage("l", "0"); big < small+2000*50 {
		t.Errorf("list of 2000 x 52 bytes: %d, one element %d", big, small)
	}
	if sampled := usage("l", "1"); sampled < 2000*40 {
		t.Errorf("sampled from the first node: %d", sampled)
	}
}
