package integration

// The set differential test sends one seeded random stream of set
// commands to a real redis-server and to Ferrite, in RESP2 and RESP3,
// with set-max-intset-entries 8 on both so sets cross between intset and
// hashtable often, and compares replies and OBJECT ENCODING after writes.
//
//	SEED=123 SET_DIFF_OPS=20000 go test ./integration -run TestSetDifferential -v
//
// Replies are compared byte for byte except where Redis's own output
// depends on its hash function or its random generator; those are
// normalized the same way on both sides, never skipped:
//
//   - SMEMBERS of a hashtable set, SINTER, SUNION, SDIFF: the elements are
//     sorted (the reply type and length stay). SMEMBERS and SSCAN of an
//     intset are ascending in both and compared exactly.
//   - SSCAN of a hashtable set: iterated to cursor 0; the sorted union.
//   - SRANDMEMBER: reduced to its length and whether every element is a
//     member, distinct when the count is positive (the whole set, in
//     order, when an intset is returned entirely).
//   - SPOP: the same checks on what was popped; then, since the two servers
//     popped different members, the key is rebuilt on both from
//     redis-server's remaining members. OBJECT ENCODING is compared after
//     SPOP except for SPOP's complement strategy (count close to the
//     size), whose new set's encoding depends on which members remain.

import (
	"fmt"
	"sort"
	"strconv"
	"testing"

	"ferrite/server/resp"
)

const setDiffMaxIntset = 8

var (
	setDiffKeys    = []string{"s0", "s1", "s2", "s3", "{s}4"}
	setDiffMembers = []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12",
		"-3", "100000", "9223372036854775807", "-9223372036854775808", "a", "b", "c", "d", "007", "1.5", ""}
)

func TestSetDifferential(t *testing.T) {
	forEachDiffProto(t, "SET_DIFF_OPS", 4000, func(t *testing.T, seed int64, ops, proto int) {
		red, fer := startRedis(t), startFerrite(t)
		d := &setDiff{newDiffBase(t, seed, proto, red, fer, []string{"FLUSHALL"},
			[]string{"CONFIG", "SET", "set-max-intset-entries", strconv.Itoa(setDiffMaxIntset)}, []string{"SET", "str", "x"})}
		for i := 0; i < ops; i++ {
			d.i = i
			d.step()
		}
		d.compareAll()
	})
}

type setDiff struct {
	*diffBase
}

func (d *setDiff) key() string {
	switch n := d.r.Intn(20); {
	case n == 0:
		return "str"
	case n == 1:
		return "nokey"
	default:
		return d.pick(setDiffKeys...)
	}
}

func (d *setDiff) keys(min, max int) []string {
	out := make([]string, min+d.r.Intn(max-min+1))
	for i := range out {
		out[i] = d.key()
	}
	return out
}

func (d *setDiff) members(min, max int) []string {
	out := make([]string, min+d.r.Intn(max-min+1))
	for i := range out {
		out[i] = d.pick(setDiffMembers...)
	}
	return out
}

func (d *setDiff) count() string {
	return strconv.Itoa(d.r.Intn(14) - 3)
}

func (d *setDiff) encoding(key string) string {
	red, _ := d.check([]string{"OBJECT", "ENCODING", key}, nil)
	return red
}

// redisMembers is the set at key on redis-server (sorted, nil if none).
func (d *setDiff) redisMembers(key string) []string {
	reply, err := d.red.doQuiet([]string{"SMEMBERS", key})
	if err != nil {
		d.t.Fatal(err)
	}
	v, err := parseReply(reply)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range v.elems {
		out = append(out, e.str)
	}
	sort.Strings(out)
	return out
}

// sortedElems sorts a flat array or set reply's elements.
func sortedElems(reply string) string {
	v, err := parseReply(reply)
	if err != nil || (v.kind != '*' && v.kind != '~') {
		return reply
	}
	elems := make([]string, len(v.elems))
	for i, e := range v.elems {
		elems[i] = e.str
	}
	sort.Strings(elems)
	return fmt.Sprintf("%c%d %q", v.kind, len(elems), elems)
}

// randomCheck summarizes a random selection: its length, and whether it
// holds only members of set, distinct when distinct.
func randomCheck(set []string, distinct bool) func(string) string {
	in := map[string]bool{}
	for _, m := range set {
		in[m] = true
	}
	return func(reply string) string {
		v, err := parseReply(reply)
		if err != nil || (v.kind != '*' && v.kind != '~') {
			return reply
		}
		seen := map[string]bool{}
		ok := true
		for _, e := range v.elems {
			if !in[e.str] || (distinct && seen[e.str]) {
				ok = false
			}
			seen[e.str] = true
		}
		return fmt.Sprintf("%c%d members:%v", v.kind, len(v.elems), ok)
	}
}

func (d *setDiff) step() {
	switch n := d.r.Intn(100); {
	case n < 22:
		key := d.key()
		d.check(append([]string{"SADD", key}, d.members(1, 6)...), nil)
		d.encoding(key)
	case n < 32:
		key := d.key()
		d.check(append([]string{"SREM", key}, d.members(1, 4)...), nil)
		d.encoding(key)
	case n < 37:
		src, dst := d.key(), d.key()
		d.check([]string{"SMOVE", src, dst, d.pick(setDiffMembers...)}, nil)
		d.encoding(src)
		d.encoding(dst)
	case n < 40:
		d.check([]string{"SISMEMBER", d.key(), d.pick(setDiffMembers...)}, nil)
	case n < 43:
		d.check(append([]string{"SMISMEMBER", d.key()}, d.members(1, 4)...), nil)
	case n < 46:
		d.check([]string{"SCARD", d.key()}, nil)
	case n < 52:
		key := d.key()
		if d.encoding(key) == "$6\r\nintset\r\n" {
			d.check([]string{"SMEMBERS", key}, nil)
		} else {
			d.check([]string{"SMEMBERS", key}, sortedElems)
		}
	case n < 60:
		cmd := d.pick("SINTER", "SUNION", "SDIFF")
		d.check(append([]string{cmd}, d.keys(1, 4)...), sortedElems)
	case n < 68:
		cmd := d.pick("SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE")
		dst := d.key()
		d.check(append([]string{cmd, dst}, d.keys(1, 4)...), nil)
		d.encoding(dst)
	case n < 72:
		keys := d.keys(1, 4)
		args := append([]string{"SINTERCARD", strconv.Itoa(len(keys))}, keys...)
		switch d.r.Intn(6) {
		case 0:
			args = append(args, "LIMIT", d.count())
		case 1:
			args = append(args, "limit", "1")
		case 2:
			args[1] = strconv.Itoa(d.r.Intn(len(keys)+3) - 1)
		}
		d.check(args, nil)
	case n < 80:
		d.srandmember()
	case n < 90:
		d.spop()
	default:
		d.sscan()
	}
}

func (d *setDiff) srandmember() {
	key := d.key()
	set := d.redisMembers(key)
	if d.r.Intn(3) == 0 {
		d.check([]string{"SRANDMEMBER", key}, func(r string) string {
			if v, err := parseReply(r); err == nil && v.kind == '$' {
				return randomCheck(set, true)(string(resp.AppendCommand(nil, v.str)))
			}
			return r
		})
		return
	}
	count := d.count()
	n, _ := strconv.Atoi(count)
	args := []string{"SRANDMEMBER", key, count}
	if n >= len(set) && d.encoding(key) == "$6\r\nintset\r\n" {
		d.check(args, nil) // the whole intset, in order
		return
	}
	d.check(args, randomCheck(set, n > 0))
}

func (d *setDiff) spop() {
	key := d.key()
	set := d.redisMembers(key)
	size := len(set)
	args := []string{"SPOP", key}
	n := 1
	if d.r.Intn(3) > 0 {
		count := d.count()
		n, _ = strconv.Atoi(count)
		args = append(args, count)
	}
	var red string
	if len(args) == 2 {
		red, _ = d.check(args, func(r string) string {
			if v, err := parseReply(r); err == nil && v.kind == '$' {
				return randomCheck(set, true)(string(resp.AppendCommand(nil, v.str)))
			}
			return r
		})
	} else {
		red, _ = d.check(args, randomCheck(set, true))
	}
	if red[0] == '-' || size == 0 || n <= 0 {
		return
	}
	if n >= size {
		d.check([]string{"EXISTS", key}, nil)
		return
	}
	if (size-n)*5 > n {
		d.encoding(key) // extracted in place: the encoding is kept
	}
	// Rebuild the key on both servers from redis-server's remaining members.
	rest := d.redisMembers(key)
	d.both([]string{"DEL", key})
	d.check(append([]string{"SADD", key}, rest...), nil)
	d.encoding(key)
}

func (d *setDiff) sscan() {
	key := d.key()
	var opts []string
	if d.r.Intn(2) == 0 {
		opts = append(opts, "MATCH", d.pick("*", "1*", "[a-c]", "*0*", "?"))
	}
	if d.r.Intn(2) == 0 {
		opts = append(opts, "COUNT", d.pick("1", "3", "100", "0"))
	}
	enc := d.encoding(key)
	if enc != "$9\r\nhashtable\r\n" {
		d.check(append([]string{"SSCAN", key, "0"}, opts...), nil)
		return
	}
	scan := func(c *diffConn) string {
		cursor, seen := "0", map[string]bool{}
		for iter := 0; iter < 10000; iter++ {
			reply, err := c.do(append([]string{"SSCAN", key, cursor}, opts...))
			if err != nil {
				d.t.Fatal(err)
			}
			v, err := parseReply(reply)
			if err != nil || v.kind != '*' || len(v.elems) != 2 {
				return reply
			}
			for _, e := range v.elems[1].elems {
				seen[e.str] = true
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
		return "SSCAN did not return to cursor 0"
	}
	if red, fer := scan(d.red), scan(d.fer); red != fer {
		d.fail(append([]string{"SSCAN", key, "..."}, opts...), red, fer)
	}
}

// compareAll compares every set at the end: members and encoding.
func (d *setDiff) compareAll() {
	for _, key := range setDiffKeys {
		d.encoding(key)
		d.check([]string{"SMEMBERS", key}, sortedElems)
	}
}
