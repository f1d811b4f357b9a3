package integration

// The sorted set differential test sends one seeded random stream of
// sorted set commands to a real redis-server and to Ferrite, in RESP2 and
// RESP3, with zset-max-listpack-entries 6 and zset-max-listpack-value 8
// on both so sorted sets cross between listpack and skiplist often, and
// compares replies and OBJECT ENCODING after writes.
//
//	SEED=123 ZSET_DIFF_OPS=20000 go test ./integration -run TestZsetDifferential -v
//
// Replies are compared byte for byte except where Redis's own output
// depends on its hash function or its random generator; those are
// normalized the same way on both sides, never skipped:
//
//   - ZSCAN of a skiplist: iterated to cursor 0; the sorted union of
//     member/score pairs (a listpack is returned whole and compared
//     exactly).
//   - ZRANDMEMBER: reduced to its length and whether every element is a
//     member with its score, distinct when the count is positive (the
//     whole set, in order, when the count covers it).
//
// Scores are finite and exactly representable, so sums do not depend on
// the order in which ZUNION/ZINTER visit inputs of equal size (Redis's
// qsort is not stable); infinities are exercised as range bounds and in
// the server package's scripts.

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
)

var (
	zsetDiffKeys    = []string{"z0", "z1", "z2", "z3", "{z}4"}
	zsetDiffMembers = []string{"a", "b", "c", "d", "e", "f", "g", "1", "2", "10", "", "longmember1", "longmember22"}
	zsetDiffScores  = []string{"0", "1", "2", "3", "-1", "1.5", "-2.5", "0.25", "100", "-0", "1e3"}
	zsetDiffBounds  = []string{"-inf", "+inf", "0", "1", "(1", "2", "(2", "-1", "1.5", "(0.25", "100", "x"}
	zsetDiffLex     = []string{"-", "+", "[a", "(a", "[c", "(d", "[1", "(10", "[longmember1", "a", "[", "("}
)

func TestZsetDifferential(t *testing.T) {
	forEachDiffProto(t, "ZSET_DIFF_OPS", 4000, func(t *testing.T, seed int64, ops, proto int) {
		red, fer := startRedis(t), startFerrite(t)
		d := &zsetDiff{&setDiff{newDiffBase(t, seed, proto, red, fer, []string{"FLUSHALL"},
			[]string{"CONFIG", "SET", "zset-max-listpack-entries", "6"},
			[]string{"CONFIG", "SET", "zset-max-listpack-value", "8"},
			[]string{"SET", "str", "x"}, []string{"SADD", "s", "a", "b", "1", "longmember1"})}}
		for i := 0; i < ops; i++ {
			d.i = i
			d.step()
		}
		d.compareAll()
	})
}

type zsetDiff struct {
	*setDiff
}

func (d *zsetDiff) zkey() string {
	switch n := d.r.Intn(25); {
	case n == 0:
		return "str"
	case n == 1:
		return "nokey"
	case n == 2:
		return "s"
	default:
		return d.pick(zsetDiffKeys...)
	}
}

func (d *zsetDiff) zkeys(min, max int) []string {
	out := make([]string, min+d.r.Intn(max-min+1))
	for i := range out {
		out[i] = d.zkey()
	}
	return out
}

func (d *zsetDiff) pairs(min, max int) []string {
	var out []string
	for n := min + d.r.Intn(max-min+1); n > 0; n-- {
		out = append(out, d.pick(zsetDiffScores...), d.pick(zsetDiffMembers...))
	}
	return out
}

// lexKey is a key for a lex range command: one whose elements all have
// the same score, or "lx" (only ever written with score 0). Lex ranges
// over unequal scores are undefined in Redis: its skiplist answer depends
// on the random node levels.
func (d *zsetDiff) lexKey() string {
	key := d.zkey()
	first := ""
	for _, sc := range d.zscores(key) {
		if first == "" {
			first = sc
		} else if sc != first {
			return "lx"
		}
	}
	return key
}

func (d *zsetDiff) lexPairs() []string {
	var out []string
	for n := 1 + d.r.Intn(4); n > 0; n-- {
		out = append(out, "0", d.pick(zsetDiffMembers...))
	}
	return out
}

func (d *zsetDiff) num(lo, hi int) string { return strconv.Itoa(lo + d.r.Intn(hi-lo+1)) }

func (d *zsetDiff) write(args []string, keys ...string) {
	d.check(args, nil)
	for _, k := range keys {
		d.encoding(k)
	}
}

func (d *zsetDiff) step() {
	switch n := d.r.Intn(100); {
	case n < 20:
		key := d.zkey()
		args := []string{"ZADD", key}
		for _, f := range []string{"NX", "XX", "GT", "LT", "CH", "INCR"} {
			if d.r.Intn(8) == 0 {
				args = append(args, f)
			}
		}
		if d.r.Intn(10) == 0 {
			args = append(args, d.pick(zsetDiffScores...), "bad", "x")
		}
		d.write(append(args, d.pairs(1, 5)...), key)
	case n < 25:
		key := d.zkey()
		d.write([]string{"ZINCRBY", key, d.pick(zsetDiffScores...), d.pick(zsetDiffMembers...)}, key)
	case n < 31:
		key := d.zkey()
		d.write(append([]string{"ZREM", key}, d.members(1, 3)...), key)
	case n < 36:
		key := d.zkey()
		switch d.r.Intn(6) {
		case 0:
			d.check([]string{"ZCARD", key}, nil)
		case 1:
			d.check([]string{"ZSCORE", key, d.pick(zsetDiffMembers...)}, nil)
		case 2:
			d.check(append([]string{"ZMSCORE", key}, d.members(1, 3)...), nil)
		case 3:
			d.check([]string{"ZRANK", key, d.pick(zsetDiffMembers...)}, nil)
		case 4:
			d.check([]string{"ZREVRANK", key, d.pick(zsetDiffMembers...)}, nil)
		default:
			d.check([]string{"ZCOUNT", key, d.pick(zsetDiffBounds...), d.pick(zsetDiffBounds...)}, nil)
		}
	case n < 37:
		d.check([]string{"ZLEXCOUNT", d.lexKey(), d.pick(zsetDiffLex...), d.pick(zsetDiffLex...)}, nil)
	case n < 38:
		d.write(append([]string{"ZADD", "lx"}, d.lexPairs()...), "lx")
	case n < 52:
		d.check(d.zrangeArgs(false), nil)
	case n < 56:
		args := d.zrangeArgs(true)
		d.write(args, args[1])
	case n < 61:
		key := d.zkey()
		switch d.r.Intn(3) {
		case 0:
			d.write([]string{"ZREMRANGEBYRANK", key, d.num(-5, 5), d.num(-5, 5)}, key)
		case 1:
			d.write([]string{"ZREMRANGEBYSCORE", key, d.pick(zsetDiffBounds...), d.pick(zsetDiffBounds...)}, key)
		default:
			key = d.lexKey()
			d.write([]string{"ZREMRANGEBYLEX", key, d.pick(zsetDiffLex...), d.pick(zsetDiffLex...)}, key)
		}
	case n < 68:
		key := d.zkey()
		args := []string{d.pick("ZPOPMIN", "ZPOPMAX"), key}
		if d.r.Intn(2) == 0 {
			args = append(args, d.num(-1, 8))
		}
		d.write(args, key)
	case n < 71:
		keys := d.zkeys(1, 3)
		args := append([]string{"ZMPOP", strconv.Itoa(len(keys))}, keys...)
		args = append(args, d.pick("MIN", "MAX", "max", "foo"))
		if d.r.Intn(2) == 0 {
			args = append(args, "COUNT", d.num(-1, 8))
		}
		d.write(args, keys...)
	case n < 82:
		d.setOp()
	case n < 85:
		keys := d.zkeys(1, 3)
		args := append([]string{"ZINTERCARD", strconv.Itoa(len(keys))}, keys...)
		if d.r.Intn(2) == 0 {
			args = append(args, "LIMIT", d.num(-1, 3))
		}
		d.check(args, nil)
	case n < 92:
		d.zrandmember()
	default:
		d.zscan()
	}
}

// zrangeArgs builds a ZRANGE-family command (or ZRANGESTORE when store)
// with random options, sometimes invalid ones.
func (d *zsetDiff) zrangeArgs(store bool) []string {
	key := d.zkey()
	typ := d.r.Intn(3) // rank, score, lex
	if typ == 2 {
		key = d.lexKey()
	}
	bounds := func() (string, string) {
		switch typ {
		case 0:
			return d.num(-6, 6), d.num(-6, 6)
		case 1:
			return d.pick(zsetDiffBounds...), d.pick(zsetDiffBounds...)
		}
		return d.pick(zsetDiffLex...), d.pick(zsetDiffLex...)
	}
	lo, hi := bounds()
	limit := func() []string { return []string{"LIMIT", d.num(-1, 4), d.num(-2, 5)} }
	if store || d.r.Intn(2) == 0 {
		args := []string{"ZRANGE", key, lo, hi}
		if store {
			args = []string{"ZRANGESTORE", d.pick(zsetDiffKeys...), key, lo, hi}
		}
		if typ == 1 || (typ == 0 && d.r.Intn(10) == 0) {
			args = append(args, "BYSCORE")
		} else if typ == 2 {
			args = append(args, "BYLEX")
		}
		if d.r.Intn(3) == 0 {
			args = append(args, "REV")
		}
		if d.r.Intn(3) == 0 {
			args = append(args, limit()...)
		}
		if d.r.Intn(3) == 0 {
			args = append(args, "WITHSCORES")
		}
		return args
	}
	switch typ {
	case 0:
		args := []string{d.pick("ZRANGE", "ZREVRANGE"), key, lo, hi}
		if d.r.Intn(2) == 0 {
			args = append(args, "WITHSCORES")
		}
		return args
	case 1:
		args := []string{d.pick("ZRANGEBYSCORE", "ZREVRANGEBYSCORE"), key, lo, hi}
		if d.r.Intn(2) == 0 {
			args = append(args, "WITHSCORES")
		}
		if d.r.Intn(2) == 0 {
			args = append(args, limit()...)
		}
		return args
	}
	args := []string{d.pick("ZRANGEBYLEX", "ZREVRANGEBYLEX"), key, lo, hi}
	if d.r.Intn(2) == 0 {
		args = append(args, limit()...)
	}
	return args
}

func (d *zsetDiff) setOp() {
	cmd := d.pick("ZUNION", "ZINTER", "ZDIFF", "ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE")
	store := strings.HasSuffix(cmd, "STORE")
	keys := d.zkeys(1, 4)
	args := []string{cmd}
	dst := d.pick(zsetDiffKeys...)
	if store {
		args = append(args, dst)
	}
	args = append(args, strconv.Itoa(len(keys)))
	args = append(args, keys...)
	if !strings.HasPrefix(cmd, "ZDIFF") || d.r.Intn(10) == 0 {
		if d.r.Intn(3) == 0 {
			args = append(args, "WEIGHTS")
			for range keys {
				args = append(args, d.pick("1", "2", "0.5", "-1", "0"))
			}
		}
		if d.r.Intn(3) == 0 {
			args = append(args, "AGGREGATE", d.pick("SUM", "MIN", "MAX", "avg"))
		}
	}
	if !store && d.r.Intn(2) == 0 {
		args = append(args, "WITHSCORES")
	}
	if store {
		d.write(args, dst)
	} else {
		d.check(args, nil)
	}
}

// zscores is the member -> score text of the sorted set at key on
// redis-server.
func (d *zsetDiff) zscores(key string) map[string]string {
	reply, err := d.red.doQuiet([]string{"ZRANGE", key, "0", "-1", "WITHSCORES"})
	if err != nil {
		d.t.Fatal(err)
	}
	v, err := parseReply(reply)
	out := map[string]string{}
	if err != nil || v.kind != '*' {
		return out
	}
	for _, e := range flattenPairs(v.elems) {
		out[e[0]] = e[1]
	}
	return out
}

// flattenPairs turns a flat (RESP2) or nested (RESP3) WITHSCORES array
// into member, score pairs.
func flattenPairs(elems []replyValue) [][2]string {
	var out [][2]string
	if len(elems) > 0 && len(elems[0].elems) == 2 {
		for _, e := range elems {
			out = append(out, [2]string{e.elems[0].str, e.elems[1].str})
		}
		return out
	}
	for i := 0; i+1 < len(elems); i += 2 {
		out = append(out, [2]string{elems[i].str, elems[i+1].str})
	}
	return out
}

func (d *zsetDiff) zrandmember() {
	key := d.zkey()
	zs := d.zscores(key)
	if d.r.Intn(4) == 0 {
		d.check([]string{"ZRANDMEMBER", key}, func(r string) string {
			if v, err := parseReply(r); err == nil && v.kind == '$' {
				_, ok := zs[v.str]
				return fmt.Sprintf("member:%v", ok)
			}
			return r
		})
		return
	}
	count := d.num(-8, 8)
	n, _ := strconv.Atoi(count)
	args := []string{"ZRANDMEMBER", key, count}
	withscores := d.r.Intn(2) == 0
	if withscores {
		args = append(args, "WITHSCORES")
	}
	if n >= len(zs) {
		d.check(args, nil) // the whole set, in order
		return
	}
	d.check(args, func(r string) string {
		v, err := parseReply(r)
		if err != nil || v.kind != '*' {
			return r
		}
		var items [][2]string
		if withscores {
			items = flattenPairs(v.elems)
		} else {
			for _, e := range v.elems {
				items = append(items, [2]string{e.str, zs[e.str]})
			}
		}
		seen := map[string]bool{}
		ok := true
		for _, it := range items {
			if sc, in := zs[it[0]]; !in || sc != it[1] || (n > 0 && seen[it[0]]) {
				ok = false
			}
			seen[it[0]] = true
		}
		return fmt.Sprintf("*%d items:%d ok:%v", len(v.elems), len(items), ok)
	})
}

func (d *zsetDiff) zscan() {
	key := d.zkey()
	var opts []string
	if d.r.Intn(2) == 0 {
		opts = append(opts, "MATCH", d.pick("*", "1*", "[a-c]", "*member*", "?"))
	}
	if d.r.Intn(2) == 0 {
		opts = append(opts, "COUNT", d.pick("1", "3", "100", "0"))
	}
	if enc := d.encoding(key); enc != "$8\r\nskiplist\r\n" {
		d.check(append([]string{"ZSCAN", key, "0"}, opts...), nil)
		return
	}
	scan := func(c *diffConn) string {
		cursor, seen := "0", map[string]bool{}
		for iter := 0; iter < 10000; iter++ {
			reply, err := c.do(append([]string{"ZSCAN", key, cursor}, opts...))
			if err != nil {
				d.t.Fatal(err)
			}
			v, err := parseReply(reply)
			if err != nil || v.kind != '*' || len(v.elems) != 2 {
				return reply
			}
			for _, p := range flattenPairs(v.elems[1].elems) {
				seen[p[0]+"="+p[1]] = true
			}
			if cursor = v.elems[0].str; cursor == "0" {
				var out []string
				for m := range seen {
					out = append(out, m)
				}
				sort.Strings(out)
				return fmt.Sprintf("%q", out)
			}
		}
		return "ZSCAN did not return to cursor 0"
	}
	if red, fer := scan(d.red), scan(d.fer); red != fer {
		d.fail(append([]string{"ZSCAN", key, "..."}, opts...), red, fer)
	}
}

// compareAll compares every sorted set at the end: content and encoding.
func (d *zsetDiff) compareAll() {
	for _, key := range append(zsetDiffKeys, "lx") {
		d.encoding(key)
		d.check([]string{"ZRANGE", key, "0", "-1", "WITHSCORES"}, nil)
	}
}

// check is setDiff's check, logging every command when ZSET_DIFF_TRACE is
// set (the failure report only shows the last few).
func (d *zsetDiff) check(args []string, norm func(string) string) (string, string) {
	red, fer := d.setDiff.check(args, norm)
	if os.Getenv("ZSET_DIFF_TRACE") != "" {
		d.t.Logf("%d: %s => %s", d.i, quote(args), truncReply(red))
	}
	return red, fer
}
