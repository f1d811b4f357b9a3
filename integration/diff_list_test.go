package integration

// The list differential test sends one seeded random stream of list
// commands to a real redis-server and to Ferrite, in RESP2 and RESP3,
// with list-max-listpack-size 4 and list-compress-depth 1 on both so
// quicklist nodes split, merge and compress all the time, and compares
// every reply byte for byte (lists are deterministic: nothing is
// normalized) and LRANGE 0 -1 plus OBJECT ENCODING of the key after every
// write.
//
//	SEED=123 LIST_DIFF_OPS=20000 go test ./integration -run TestListDifferential -v

import (
	"strconv"
	"strings"
	"testing"
)

var (
	listDiffKeys  = []string{"l0", "l1", "l2", "{l}3"}
	listDiffElems = []string{"a", "b", "c", "d", "0", "1", "-7", "12345678901", "",
		strings.Repeat("x", 60), strings.Repeat("y", 300), strings.Repeat("ab", 40) + "z"}
)

func TestListDifferential(t *testing.T) {
	forEachDiffProto(t, "LIST_DIFF_OPS", 4000, func(t *testing.T, seed int64, ops, proto int) {
		red, fer := startRedis(t), startFerrite(t)
		d := &listDiff{newDiffBase(t, seed, proto, red, fer, []string{"FLUSHALL"},
			[]string{"CONFIG", "SET", "list-max-listpack-size", "4"},
			[]string{"CONFIG", "SET", "list-compress-depth", "1"}, []string{"SET", "str", "x"})}
		for i := 0; i < ops; i++ {
			d.i = i
			d.step()
		}
		for _, k := range listDiffKeys {
			d.check([]string{"LRANGE", k, "0", "-1"}, nil)
		}
	})
}

type listDiff struct {
	*diffBase
}

func (d *listDiff) key() string {
	switch n := d.r.Intn(25); {
	case n == 0:
		return "str"
	case n == 1:
		return "nokey"
	default:
		return d.pick(listDiffKeys...)
	}
}

func (d *listDiff) elems(min, max int) []string {
	out := make([]string, min+d.r.Intn(max-min+1))
	for i := range out {
		out[i] = d.pick(listDiffElems...)
	}
	return out
}

// index is an index or count around the lists' sizes, sometimes invalid.
func (d *listDiff) index() string {
	switch d.r.Intn(30) {
	case 0:
		return "x"
	case 1:
		return "9223372036854775807"
	case 2:
		return "-9223372036854775808"
	}
	return strconv.Itoa(d.r.Intn(50) - 25)
}

func (d *listDiff) side() string {
	return d.pick("LEFT", "RIGHT", "left", "right")
}

func (d *listDiff) step() {
	k := d.key()
	var args []string
	write := true
	switch d.r.Intn(19) {
	case 0, 1:
		args = append([]string{"RPUSH", k}, d.elems(1, 6)...)
	case 2, 3:
		args = append([]string{"LPUSH", k}, d.elems(1, 6)...)
	case 4:
		args = append([]string{d.pick("LPUSHX", "RPUSHX"), k}, d.elems(1, 3)...)
	case 5:
		args = []string{d.pick("LPOP", "RPOP"), k}
		if d.r.Intn(2) == 0 {
			args = append(args, strconv.Itoa(d.r.Intn(8)-1))
		}
	case 6:
		args, write = []string{"LRANGE", k, d.index(), d.index()}, false
	case 7:
		args, write = []string{d.pick("LLEN", "LINDEX"), k}, false
		if args[0] == "LINDEX" {
			args = append(args, d.index())
		}
	case 8:
		args = []string{"LSET", k, d.index(), d.pick(listDiffElems...)}
	case 9:
		args = []string{"LTRIM", k, d.index(), d.index()}
	case 10:
		args = []string{"LREM", k, strconv.Itoa(d.r.Intn(7) - 3), d.pick(listDiffElems...)}
	case 11:
		args = []string{"LINSERT", k, d.pick("BEFORE", "AFTER", "after"), d.pick(listDiffElems...), d.pick(listDiffElems...)}
	case 12:
		args, write = []string{"LPOS", k, d.pick(listDiffElems...)}, false
		for n := d.r.Intn(4); n > 0; n-- {
			switch d.r.Intn(3) {
			case 0:
				args = append(args, "RANK", strconv.Itoa(d.r.Intn(9)-4))
			case 1:
				args = append(args, "COUNT", strconv.Itoa(d.r.Intn(5)-1))
			case 2:
				args = append(args, "MAXLEN", strconv.Itoa(d.r.Intn(12)-1))
			}
		}
	case 13, 14:
		args = []string{"LMOVE", k, d.key(), d.side(), d.side()}
	case 15:
		args = []string{"RPOPLPUSH", k, d.key()}
	case 16:
		n := 1 + d.r.Intn(3)
		args = []string{"LMPOP", strconv.Itoa(n)}
		for j := 0; j < n; j++ {
			args = append(args, d.key())
		}
		args = append(args, d.side())
		if d.r.Intn(2) == 0 {
			args = append(args, "COUNT", strconv.Itoa(d.r.Intn(7)))
		}
	case 17:
		args = []string{"COPY", k, d.key(), "REPLACE"}
	case 18:
		args, write = []string{"LRANGE", k, "0", "-1"}, false
	}
	d.check(args, nil)
	if write {
		for _, key := range listDiffKeys {
			d.check([]string{"LRANGE", key, "0", "-1"}, nil)
			d.check([]string{"OBJECT", "ENCODING", key}, nil)
		}
	}
}
