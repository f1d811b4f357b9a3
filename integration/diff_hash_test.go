package integration

// The hash differential test sends one seeded random stream of hash
// commands to a real redis-server and to Ferrite and compares the raw reply
// bytes exactly, and OBJECT ENCODING after every write.
//
//	SEED=123 DIFF_OPS=20000 go test ./integration -run TestDifferentialHash -v
//
// Small listpack thresholds (changed now and then during the run) make
// conversions to hashtable happen often. Replies whose order is the hash
// table's are normalized the same way on both sides, only when the key is
// hashtable-encoded (a listpack's order is insertion order and compared
// exactly):
//
//   - HKEYS, HVALS: sorted; HGETALL: sorted field/value pairs.
//   - HSCAN: iterated to cursor 0 on each server; the union of pairs, sorted.
//   - HRANDFIELD: random on both encodings. Each reply is checked against
//     that server's own hash (taken with HGETALL just before): the size,
//     fields that exist with their values, no repeats for a positive
//     count; what is compared is the shape and "valid". A count covering
//     the whole listpack hash is compared exactly.

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"
)

func TestDifferentialHash(t *testing.T) {
	forEachDiffProto(t, "DIFF_OPS", 4000, runHashDiff)
}

type hashDiff struct {
	*diffBase
	encs map[string]int
}

var hashDiffKeys = []string{"h0", "h1", "h2", "h3", "h4", "h5"}

func runHashDiff(t *testing.T, seed int64, ops, proto int) {
	opts := []string{"--enable-debug-command", "yes"}
	h := &hashDiff{newDiffBase(t, seed, proto, startRedis(t, opts...), startFerrite(t, opts...),
		[]string{"CONFIG", "SET", "hash-max-listpack-entries", "8"},
		[]string{"CONFIG", "SET", "hash-max-listpack-value", "16"}, []string{"SET", "str", "x"}), map[string]int{}}
	for i := 0; i < ops; i++ {
		h.step(i)
	}
	h.compareKeyspace()
	t.Logf("redis-server replies by type: %s; encodings seen after writes: %v", h.replyKinds(), h.encs)
}

func (h *hashDiff) key() string {
	if h.r.Intn(40) == 0 {
		return h.pick("str", "missing")
	}
	return hashDiffKeys[h.r.Intn(len(hashDiffKeys))]
}

func (h *hashDiff) field() string {
	switch h.r.Intn(50) {
	case 0:
		return strings.Repeat("F", 17+h.r.Intn(3)) // longer than the value limit
	case 1:
		return h.pick("", "12", "-7", "007")
	}
	return "f" + strconv.Itoa(h.r.Intn(12))
}

func (h *hashDiff) value() string {
	switch h.r.Intn(30) {
	case 0:
		return strings.Repeat("v", 17+h.r.Intn(5))
	case 1, 2, 3, 4, 5, 6, 7:
		return strconv.Itoa(h.r.Intn(2000) - 1000)
	case 8, 9:
		return h.pick("9223372036854775807", "-9223372036854775808", "1.5", "3.0e2", "-0.25", "", " 1", "0x10")
	}
	return h.pick("a", "bc", "hello", "x y", "ZZ") + strconv.Itoa(h.r.Intn(10))
}

func (h *hashDiff) fieldsValues(maxPairs int) []string {
	var out []string
	for n := 1 + h.r.Intn(maxPairs); n > 0; n-- {
		out = append(out, h.field(), h.value())
	}
	return out
}

func (h *hashDiff) fields(max int) []string {
	var out []string
	for n := 1 + h.r.Intn(max); n > 0; n-- {
		out = append(out, h.field())
	}
	return out
}

// hashOp is one generated command: write says OBJECT ENCODING is compared
// after it; kind selects the normalization.
type hashOp struct {
	args  []string
	write bool
	kind  string // "", "order", "pairs", "scan", "rand"
}

func (h *hashDiff) gen() hashOp {
	k := h.key()
	switch h.r.Intn(25) {
	case 0, 1, 2:
		args := append([]string{"HSET", k}, h.fieldsValues(4)...)
		if h.r.Intn(30) == 0 {
			args = args[:len(args)-1] // odd: arity error
		}
		return hashOp{args: args, write: true}
	case 3:
		return hashOp{args: append([]string{"HMSET", k}, h.fieldsValues(3)...), write: true}
	case 4:
		return hashOp{args: []string{"HSETNX", k, h.field(), h.value()}, write: true}
	case 5, 6:
		return hashOp{args: []string{"HGET", k, h.field()}}
	case 7:
		return hashOp{args: append([]string{"HMGET", k}, h.fields(4)...)}
	case 8, 9:
		return hashOp{args: append([]string{"HDEL", k}, h.fields(3)...), write: true}
	case 10:
		return hashOp{args: []string{h.pick("HLEN", "HKEYS", "HVALS"), k}, kind: "order"}
	case 11:
		return hashOp{args: []string{"HSTRLEN", k, h.field()}}
	case 12:
		return hashOp{args: []string{"HEXISTS", k, h.field()}}
	case 13:
		return hashOp{args: []string{"HGETALL", k}, kind: "pairs"}
	case 14, 15:
		incr := h.pick("1", "-3", "100", "9223372036854775807", "-9223372036854775808", "x", "1.5", "0")
		return hashOp{args: []string{"HINCRBY", k, h.field(), incr}, write: true}
	case 16, 17:
		incr := h.pick("1.5", "-0.25", "1e3", "3", "x", "inf", "-inf", "nan", "0.1", "1e4900", "5.0e-1")
		return hashOp{args: []string{"HINCRBYFLOAT", k, h.field(), incr}, write: true}
	case 18, 19:
		args := []string{"HRANDFIELD", k}
		if h.r.Intn(5) > 0 {
			args = append(args, h.pick("0", "1", "2", "3", "5", "8", "12", "100", "-1", "-3", "-9", "-20", "x", "4611686018427387904"))
			if h.r.Intn(2) == 0 {
				args = append(args, h.pick("WITHVALUES", "withvalues", "WITHVALUES", "bad"))
			}
		}
		return hashOp{args: args, kind: "rand"}
	case 20, 21:
		args := []string{"HSCAN", k, h.pick("0", "0", "0", "x", "17")}
		if h.r.Intn(2) == 0 {
			args = append(args, "MATCH", h.pick("*", "f1*", "f?", "[a-f]*", "F*", "nomatch"))
		}
		if h.r.Intn(2) == 0 {
			args = append(args, "COUNT", h.pick("1", "2", "5", "100", "0"))
		}
		return hashOp{args: args, kind: "scan"}
	case 22:
		if h.r.Intn(4) == 0 {
			return hashOp{args: []string{"CONFIG", "SET", "hash-max-listpack-entries", h.pick("0", "1", "3", "8", "16")}}
		}
		return hashOp{args: []string{"DEL", k}, write: true}
	case 23:
		return hashOp{args: []string{"DEL", k}, write: true}
	default:
		return hashOp{args: []string{"HINCRBY", k, h.field(), strconv.Itoa(h.r.Intn(10))}, write: true}
	}
}

func (h *hashDiff) step(i int) {
	h.i = i
	op := h.gen()
	key := op.args[1]
	if op.args[0] == "CONFIG" {
		key = ""
	}
	var redEnc string
	var redHash, ferHash map[string]string
	if op.kind != "" {
		redEnc, _ = h.check([]string{"OBJECT", "ENCODING", key}, nil)
		if op.kind == "rand" {
			redHash, ferHash = h.snapshot(h.red, key), h.snapshot(h.fer, key)
		}
	}
	red, fer := h.both(op.args)
	hashtable := redEnc == "$9\r\nhashtable\r\n"
	switch op.kind {
	case "order":
		if hashtable {
			red, fer = sortArray(red), sortArray(fer)
		}
	case "pairs":
		if hashtable {
			red, fer = hashSortPairs(red), hashSortPairs(fer)
		}
	case "scan":
		if hashtable && !strings.HasPrefix(red, "-") {
			red, fer = hscanAll(h, h.red, op.args), hscanAll(h, h.fer, op.args)
		}
	case "rand":
		red, fer = hashNormRandfield(red, op.args, redHash, hashtable), hashNormRandfield(fer, op.args, ferHash, hashtable)
	}
	if red != fer {
		h.fail(op.args, red, fer)
	}
	if op.write {
		redEnc, _ = h.check([]string{"OBJECT", "ENCODING", key}, nil)
		h.encs[strings.TrimSpace(redEnc[strings.Index(redEnc, "\n")+1:])]++
	}
}

// snapshot is the hash at key as a map (empty when missing or not a hash).
func (h *hashDiff) snapshot(c *diffConn, key string) map[string]string {
	m := map[string]string{}
	v, err := parseReply(h.exec(c, []string{"HGETALL", key}))
	if err != nil {
		return m
	}
	for i := 0; i+1 < len(v.elems); i += 2 {
		m[v.elems[i].str] = v.elems[i+1].str
	}
	return m
}

// hashSortPairs sorts the field/value pairs of an HGETALL reply, keeping its
// type (array or map).
func hashSortPairs(reply string) string {
	v, err := parseReply(reply)
	if err != nil || (v.kind != '*' && v.kind != '%') {
		return reply
	}
	var pairs []string
	for i := 0; i+1 < len(v.elems); i += 2 {
		pairs = append(pairs, strconv.Quote(v.elems[i].str)+"="+strconv.Quote(v.elems[i+1].str))
	}
	sort.Strings(pairs)
	return string(v.kind) + strings.Join(pairs, ",")
}

// hscanAll runs HSCAN from cursor 0 with the command's options until the
// server returns cursor 0 and answers the sorted, de-duplicated pairs.
func hscanAll(h *hashDiff, c *diffConn, args []string) string {
	cursor := "0"
	seen := map[string]bool{}
	for iter := 0; ; iter++ {
		if iter > 100000 {
			return "HSCAN did not return to cursor 0"
		}
		a := append([]string{"HSCAN", args[1], cursor}, args[3:]...)
		reply := h.exec(c, a)
		v, err := parseReply(reply)
		if err != nil || v.kind != '*' || len(v.elems) != 2 || v.elems[1].kind != '*' {
			return reply
		}
		items := v.elems[1].elems
		if len(items)%2 != 0 {
			return "odd HSCAN reply " + reply
		}
		for i := 0; i < len(items); i += 2 {
			seen[strconv.Quote(items[i].str)+"="+strconv.Quote(items[i+1].str)] = true
		}
		cursor = v.elems[0].str
		if cursor == "0" {
			break
		}
	}
	pairs := make([]string, 0, len(seen))
	for p := range seen {
		pairs = append(pairs, p)
	}
	sort.Strings(pairs)
	return strings.Join(pairs, ",")
}

// hashNormRandfield checks an HRANDFIELD reply against the hash it was drawn
// from and reduces it to its shape.
func hashNormRandfield(reply string, args []string, hash map[string]string, hashtable bool) string {
	v, err := parseReply(reply)
	if err != nil {
		return reply
	}
	if len(args) == 2 {
		if v.kind != '$' {
			return reply // nil or an error
		}
		if _, ok := hash[v.str]; !ok {
			return "field not in hash: " + reply
		}
		return "$<a field>"
	}
	if v.kind != '*' || len(v.elems) == 0 {
		return reply
	}
	count, _ := strconv.Atoi(args[2])
	withValues := len(args) == 4
	if count >= len(hash) && !hashtable {
		return reply // the whole listpack, in its order
	}
	type pair struct{ f, v string }
	var pairs []pair
	nested := false
	if withValues && len(v.elems) > 0 && v.elems[0].kind == '*' {
		nested = true
		for _, e := range v.elems {
			if len(e.elems) != 2 {
				return "bad pair in " + reply
			}
			pairs = append(pairs, pair{e.elems[0].str, e.elems[1].str})
		}
	} else if withValues {
		if len(v.elems)%2 != 0 {
			return "odd reply " + reply
		}
		for i := 0; i < len(v.elems); i += 2 {
			pairs = append(pairs, pair{v.elems[i].str, v.elems[i+1].str})
		}
	} else {
		for _, e := range v.elems {
			pairs = append(pairs, pair{f: e.str})
		}
	}
	seen := map[string]bool{}
	for _, p := range pairs {
		val, ok := hash[p.f]
		if !ok || (withValues && val != p.v) {
			return fmt.Sprintf("pair %q=%q not in hash: %s", p.f, p.v, reply)
		}
		if count > 0 && seen[p.f] {
			return "repeated field in " + reply
		}
		seen[p.f] = true
	}
	want := count
	if want < 0 {
		want = -want
	} else if want > len(hash) {
		want = len(hash)
	}
	if len(pairs) != want {
		return fmt.Sprintf("%d fields, want %d: %s", len(pairs), want, reply)
	}
	return fmt.Sprintf("%d valid pairs nested=%v outer=%d", len(pairs), nested, len(v.elems))
}

// compareKeyspace compares every hash at the end: type, encoding, sorted
// contents and DEBUG DIGEST-VALUE (Redis's digest of the hash), then the
// whole dataset's DEBUG DIGEST.
func (h *hashDiff) compareKeyspace() {
	for _, k := range append(hashDiffKeys, "str") {
		for _, args := range [][]string{{"TYPE", k}, {"OBJECT", "ENCODING", k}, {"HLEN", k}, {"DEBUG", "DIGEST-VALUE", k}} {
			h.check(args, nil)
		}
		h.check([]string{"HGETALL", k}, hashSortPairs)
	}
	h.check([]string{"DEBUG", "DIGEST"}, nil)
}
