package integration

// The bitmap differential test sends one seeded random stream of SETBIT,
// GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD and BITFIELD_RO commands (plus
// SET/APPEND/GET to bring in int-encoded and arbitrary values) over a few
// keys to a real redis-server and to Ferrite, and compares the raw reply
// bytes exactly, and the value of every key after every write.
//
//	SEED=123 DIFF_OPS=20000 go test ./integration -run TestDifferentialBitmap -v
//
// Offsets stay within a few hundred bytes, so ranges often straddle the end
// of the strings and negative indexes reach before their start; a list key
// gives the WRONGTYPE replies.

import (
	"strconv"
	"strings"
	"testing"
)

func TestDifferentialBitmap(t *testing.T) {
	forEachDiffProto(t, "DIFF_OPS", 4000, runBitmapDiff)
}

type bitmapDiff struct {
	*diffBase
}

var bitmapDiffKeys = []string{"b0", "b1", "b2", "b3"}

func runBitmapDiff(t *testing.T, seed int64, ops, proto int) {
	d := &bitmapDiff{newDiffBase(t, seed, proto, startRedis(t), startFerrite(t), []string{"RPUSH", "list", "x"})}
	for i := 0; i < ops; i++ {
		args := d.next()
		d.step(i, args)
		// After anything that may write, the values must agree too.
		if name := strings.ToLower(args[0]); name != "getbit" && name != "bitcount" && name != "bitpos" && name != "bitfield_ro" && name != "get" {
			for _, k := range bitmapDiffKeys {
				d.step(i, []string{"GET", k})
			}
		}
	}
	for _, k := range bitmapDiffKeys {
		d.step(ops, []string{"OBJECT", "ENCODING", k})
	}
	t.Logf("redis-server replies by type: %s", d.replyKinds())
}

func (d *bitmapDiff) num(lo, hi int) string { return strconv.Itoa(lo + d.r.Intn(hi-lo+1)) }

// key is mostly one of the bitmap keys, sometimes a missing key or the list.
func (d *bitmapDiff) key() string {
	switch n := d.r.Intn(20); {
	case n == 0:
		return "missing"
	case n == 1:
		return "list"
	default:
		return bitmapDiffKeys[d.r.Intn(len(bitmapDiffKeys))]
	}
}

// unit is an optional, sometimes invalid, BYTE|BIT argument.
func (d *bitmapDiff) unit() []string {
	switch d.r.Intn(8) {
	case 0, 1, 2:
		return nil
	case 3, 4:
		return []string{"BIT"}
	case 5:
		return []string{"bit"}
	case 6:
		return []string{"byte"}
	}
	return []string{"bits"}
}

// fieldType is a BITFIELD type, now and then an invalid one.
func (d *bitmapDiff) fieldType() string {
	if d.r.Intn(30) == 0 {
		return []string{"u64", "i65", "u0", "x8", "i", "I8"}[d.r.Intn(6)]
	}
	if d.r.Intn(2) == 0 {
		return "i" + d.num(1, 64)
	}
	return "u" + d.num(1, 63)
}

// fieldValue is a SET value or INCRBY increment: small, near a bound, or
// anywhere in int64.
func (d *bitmapDiff) fieldValue() string {
	switch d.r.Intn(5) {
	case 0:
		return strconv.FormatInt(int64(d.r.Uint64()), 10)
	case 1:
		return strconv.FormatInt(1<<uint(d.r.Intn(63))-int64(d.r.Intn(3)), 10)
	case 2:
		return strconv.FormatInt(-(1 << uint(d.r.Intn(64))), 10)
	}
	return d.num(-300, 300)
}

func (d *bitmapDiff) next() []string {
	k := d.key()
	switch d.r.Intn(14) {
	case 0, 1:
		v := strconv.Itoa(d.r.Intn(2))
		if d.r.Intn(40) == 0 {
			v = []string{"2", "-1", "x"}[d.r.Intn(3)]
		}
		off := d.num(0, 2000)
		if d.r.Intn(40) == 0 {
			off = []string{"-1", "4294967296", "x"}[d.r.Intn(3)]
		}
		return []string{"SETBIT", k, off, v}
	case 2:
		return []string{"GETBIT", k, d.num(0, 2100)}
	case 3, 4:
		args := []string{"BITCOUNT", k}
		if d.r.Intn(6) > 0 {
			args = append(args, d.num(-300, 300), d.num(-300, 300))
			args = append(args, d.unit()...)
		} else if d.r.Intn(3) == 0 {
			args = append(args, d.num(-5, 5)) // a syntax error on an existing key
		}
		return args
	case 5, 6:
		args := []string{"BITPOS", k, d.num(0, 1)}
		if d.r.Intn(40) == 0 {
			args[2] = "2"
		}
		switch d.r.Intn(4) {
		case 1:
			args = append(args, d.num(-300, 300))
		case 2:
			args = append(args, d.num(-300, 300), d.num(-300, 300))
		case 3:
			args = append(args, d.num(-300, 300), d.num(-300, 300))
			args = append(args, d.unit()...)
		}
		return args
	case 7:
		op := []string{"AND", "OR", "XOR", "NOT", "and", "nand"}[d.r.Intn(6)]
		args := []string{"BITOP", op, d.key()}
		n := 1 + d.r.Intn(3)
		if op == "NOT" && d.r.Intn(4) > 0 {
			n = 1
		}
		for j := 0; j < n; j++ {
			args = append(args, d.key())
		}
		return args
	case 8, 9, 10:
		args := []string{"BITFIELD", k}
		for n := d.r.Intn(5); n >= 0; n-- {
			off := d.num(0, 1500)
			if d.r.Intn(4) == 0 {
				off = "#" + d.num(0, 20)
			}
			switch d.r.Intn(7) {
			case 0:
				args = append(args, "OVERFLOW", []string{"WRAP", "SAT", "FAIL", "sat", "fail"}[d.r.Intn(5)])
			case 1, 2:
				args = append(args, "GET", d.fieldType(), off)
			case 3, 4:
				args = append(args, "SET", d.fieldType(), off, d.fieldValue())
			default:
				args = append(args, "INCRBY", d.fieldType(), off, d.fieldValue())
			}
		}
		if d.r.Intn(40) == 0 {
			args = append(args, "GET") // a syntax error
		}
		return args
	case 11:
		args := []string{"BITFIELD_RO", k}
		for n := d.r.Intn(3); n >= 0; n-- {
			args = append(args, "GET", d.fieldType(), d.num(0, 1500))
		}
		if d.r.Intn(10) == 0 {
			args = append(args, "SET", "u8", "0", "1")
		}
		return args
	case 12:
		// Int-encoded and embstr values, read through the bit commands.
		if d.r.Intn(2) == 0 {
			return []string{"SET", k, strconv.FormatInt(d.r.Int63n(1_000_000)-500_000, 10)}
		}
		return []string{"APPEND", k, string([]byte{byte(d.r.Intn(256)), byte(d.r.Intn(256))})}
	}
	if d.r.Intn(10) == 0 {
		return []string{"DEL", k}
	}
	return []string{"GET", k}
}
