package integration

// The stream differential test sends one seeded random stream of XADD,
// XRANGE, XREVRANGE, XDEL, XTRIM, XLEN, XREAD and XSETID commands to a
// real redis-server and to Ferrite and compares the raw reply bytes
// exactly, in RESP2 and RESP3.
//
//	SEED=123 DIFF_OPS=20000 go test ./integration -run TestDifferentialStream -v
//
// IDs are explicit (or "ms-*", which is deterministic), so every reply is
// comparable byte for byte. Small node limits, changed now and then, make
// approximate trims (which remove whole nodes only) depend on the node
// layout, which must therefore be Redis's.

import (
	"strconv"
	"strings"
	"testing"
)

func TestDifferentialStream(t *testing.T) {
	forEachDiffProto(t, "DIFF_OPS", 4000, runStreamDiff)
}

type streamDiff struct {
	*diffBase
	lastMs    map[string]int
	nodeBytes string // stream-node-max-bytes for the whole run
}

var streamDiffKeys = []string{"s0", "s1", "s2", "s3"}

func runStreamDiff(t *testing.T, seed int64, ops, proto int) {
	opts := []string{"--enable-debug-command", "yes"}
	nodeBytes := []string{"0", "100", "500", "4096"}[uint64(seed)%4]
	d := &streamDiff{newDiffBase(t, seed, proto, startRedis(t, opts...), startFerrite(t, opts...),
		[]string{"CONFIG", "SET", "stream-node-max-entries", "5"},
		[]string{"CONFIG", "SET", "stream-node-max-bytes", nodeBytes},
		[]string{"SET", "str", "x"}), map[string]int{}, nodeBytes}
	for i := 0; i < ops; i++ {
		d.step(i, d.gen())
	}
	for _, k := range streamDiffKeys {
		d.step(ops, []string{"XRANGE", k, "-", "+"})
		d.step(ops, []string{"XLEN", k})
		d.step(ops, []string{"DEBUG", "DIGEST-VALUE", k})
		d.step(ops, []string{"COPY", k, k + "copy"})
		d.step(ops, []string{"XRANGE", k + "copy", "-", "+"})
		d.step(ops, []string{"XADD", k + "copy", "99999999-0", "after", "copy"})
		d.step(ops, []string{"XLEN", k})
	}
	t.Logf("redis-server replies by type: %s", d.replyKinds())
}

func (d *streamDiff) key() string {
	if d.r.Intn(40) == 0 {
		return d.pick("str", "missing")
	}
	return streamDiffKeys[d.r.Intn(len(streamDiffKeys))]
}

// id is an ID near the key's recent ones: mostly new, sometimes old.
func (d *streamDiff) id(k string) string {
	ms := d.lastMs[k] + d.r.Intn(3) - 1
	if ms < 0 {
		ms = 0
	}
	switch d.r.Intn(12) {
	case 0:
		return strconv.Itoa(ms)
	case 1:
		return d.pick("0-0", "0", "18446744073709551615-18446744073709551615", "x", "1-", "-1", "007-1")
	}
	return strconv.Itoa(ms) + "-" + strconv.Itoa(d.r.Intn(4))
}

func (d *streamDiff) rangeID(k string) string {
	switch d.r.Intn(8) {
	case 0:
		return "-"
	case 1:
		return "+"
	case 2:
		return "(" + d.id(k)
	}
	return d.id(k)
}

func (d *streamDiff) fieldsValues() []string {
	var out []string
	fields := []string{"a", "b"}
	if d.r.Intn(4) == 0 {
		fields = []string{d.pick("a", "c", "12"), d.pick("b", "d")}[:1+d.r.Intn(2)]
	}
	for _, f := range fields {
		v := d.pick("1", "-7", "hello", "", "9223372036854775807", "x y")
		if d.r.Intn(6) == 0 {
			v = strings.Repeat("v", d.r.Intn(300))
		}
		out = append(out, f, v)
	}
	return out
}

func (d *streamDiff) trimArgs(k string) []string {
	var args []string
	approx := d.r.Intn(2) == 0
	if d.r.Intn(2) == 0 {
		args = []string{"MAXLEN"}
		if approx {
			args = append(args, "~")
		} else if d.r.Intn(2) == 0 {
			args = append(args, "=")
		}
		args = append(args, d.pick("0", "1", "3", "5", "10", "20", "-1"))
	} else {
		args = []string{"MINID"}
		if approx {
			args = append(args, "~")
		}
		args = append(args, d.id(k))
	}
	if approx && d.r.Intn(3) == 0 || d.r.Intn(40) == 0 {
		args = append(args, "LIMIT", d.pick("0", "1", "5", "10", "-1"))
	}
	return args
}

func (d *streamDiff) gen() []string {
	k := d.key()
	switch d.r.Intn(20) {
	case 0, 1, 2, 3, 4, 5:
		d.lastMs[k] += d.r.Intn(3)
		args := []string{"XADD", k}
		if d.r.Intn(10) == 0 {
			args = append(args, "NOMKSTREAM")
		}
		if d.r.Intn(5) == 0 {
			args = append(args, d.trimArgs(k)...)
		}
		id := d.id(k)
		if d.r.Intn(5) == 0 {
			id = strconv.Itoa(d.lastMs[k]) + "-*"
		}
		args = append(args, id)
		return append(args, d.fieldsValues()...)
	case 6, 7:
		args := []string{"XRANGE", k, d.rangeID(k), d.rangeID(k)}
		if d.r.Intn(2) == 0 {
			args = append(args, "COUNT", d.pick("0", "1", "2", "5", "-1"))
		}
		return args
	case 8, 9:
		args := []string{"XREVRANGE", k, d.rangeID(k), d.rangeID(k)}
		if d.r.Intn(2) == 0 {
			args = append(args, "COUNT", d.pick("0", "1", "3"))
		}
		return args
	case 10, 11:
		args := []string{"XDEL", k}
		for n := 1 + d.r.Intn(3); n > 0; n-- {
			args = append(args, d.id(k))
		}
		return args
	case 12:
		return append([]string{"XTRIM", k}, d.trimArgs(k)...)
	case 13:
		return []string{"XLEN", k}
	case 14, 15:
		args := []string{"XREAD"}
		if d.r.Intn(2) == 0 {
			args = append(args, "COUNT", d.pick("1", "2", "0"))
		}
		keys := []string{k}
		if d.r.Intn(2) == 0 {
			keys = append(keys, d.key())
		}
		args = append(args, "STREAMS")
		args = append(args, keys...)
		for _, kk := range keys {
			args = append(args, d.pick(d.id(kk), "0", "$"))
		}
		return args
	case 16:
		args := []string{"XSETID", k, d.id(k)}
		if d.r.Intn(3) == 0 {
			args = append(args, "ENTRIESADDED", d.pick("0", "5", "100", "-1"))
		}
		if d.r.Intn(3) == 0 {
			args = append(args, "MAXDELETEDID", d.id(k))
		}
		return args
	case 17:
		if d.r.Intn(3) == 0 {
			return []string{"CONFIG", "SET", "stream-node-max-entries", d.pick("0", "2", "5", "100")}
		}
		if d.r.Intn(2) == 0 {
			// Each run keeps one stream-node-max-bytes (the seed picks it
			// in runStreamDiff): redis-server 7.0.15 itself can crash
			// when it is lowered mid-stream (0, then 500, then 100, with
			// entries of a few hundred bytes: "listpack.c:576 'p' is not
			// true" in the next XRANGE; SEED=1795328507737299184, replayed
			// with DIFF_DUMP). Setting the same value again is harmless.
			return []string{"CONFIG", "SET", "stream-node-max-bytes", d.nodeBytes}
		}
		return []string{"TYPE", k}
	case 18:
		if d.r.Intn(4) == 0 {
			d.lastMs[k] = 0
			return []string{"DEL", k}
		}
		return []string{"EXISTS", k}
	default:
		return []string{"XRANGE", k, "-", "+"}
	}
}
