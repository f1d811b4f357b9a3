package integration

// The differential test sends one seeded random stream of string and
// generic-key commands to a real redis-server and to Ferrite and compares
// the raw reply bytes exactly.
//
//	SEED=123 DIFF_OPS=20000 go test ./integration -run TestDifferential -v
//
// SEED picks the stream (printed on every run; a shorter DIFF_OPS replays
// a prefix), DIFF_OPS its length (default 5000); DIFF_CONTINUE=1 goes on
// after a mismatch and prints a summary by command instead of stopping at
// the first one. Keys of another type (for WRONGTYPE replies) join the
// stream once Ferrite has lists, which changes the stream of a seed.
//
// Keys come from a small keyspace in three databases so commands collide.
// Replies that legitimately differ between two servers are normalized the
// same way on both sides, never compared loosely:
//
//   - TTLs: every expire time in the stream is drawn from a pool of distinct
//     values 1000 s apart and at least 100000 s away (past times only where
//     Redis deletes the key at once), so no key expires during a run,
//     NX/XX/GT/LT comparisons cannot depend on timing,
//     and a TTL/PTTL/EXPIRETIME/PEXPIRETIME reply rounds to exactly one
//     pool entry (":~<n>").
//   - KEYS: the array is sorted.
//   - SCAN: iterated to cursor 0 on each server; the union of keys, sorted.
//   - RANDOMKEY: only nil versus "some key" is compared.

import (
	"fmt"
	"math/rand"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"ferrite/server/resp"
)

func TestDifferential(t *testing.T) {
	forEachDiffProto(t, "DIFF_OPS", 5000, runStringsDiff)
}

func runStringsDiff(t *testing.T, seed int64, ops, proto int) {
	d := newDiffBase(t, seed, proto, startRedis(t), startFerrite(t))
	d.keepGoing = os.Getenv("DIFF_CONTINUE") != ""
	g := newDiffGen(seed)
	// Wrong-type calls need keys of another type; use lists once Ferrite
	// has them (LLEN answers an integer).
	if reply, err := d.fer.doQuiet([]string{"LLEN", "probe:lists"}); err == nil && strings.HasPrefix(reply, ":") {
		g.lists = true
	} else {
		t.Logf("Ferrite has no lists yet (LLEN answered %q): wrong-type calls are left out of the stream", reply)
	}
	for i := 0; i < ops; i++ {
		d.i = i
		op := g.next()
		do := (*diffConn).do
		if op.scan {
			do = scanAll
		}
		d.checkVia(do, op.args, op.norm)
	}
	if g.inMulti { // leave no transaction open for the keyspace comparison
		d.both(s("DISCARD"))
	}
	// Per key: TYPE, then GET and OBJECT ENCODING (strings) and the TTL.
	d.compareKeyspace(diffDBs, func(c *diffConn, key, typ string) string {
		var b strings.Builder
		if typ == "+string\r\n" {
			fmt.Fprintf(&b, " %q %q", d.execQuiet(c, "GET", key), d.execQuiet(c, "OBJECT", "ENCODING", key))
		}
		fmt.Fprintf(&b, " ttl %s", strings.TrimSpace(g.normTTL(d.execQuiet(c, "TTL", key))))
		return b.String()
	})
	t.Logf("redis-server replies by type: %s", d.coverage())
	d.finish()
}

// scanAll runs SCAN from cursor 0 until the server returns cursor 0 and
// answers the sorted, de-duplicated keys as one array, or the first error.
func scanAll(c *diffConn, args []string) (string, error) {
	cursor := "0"
	seen := map[string]bool{}
	for iter := 0; ; iter++ {
		if iter > 100000 {
			return "SCAN did not return to cursor 0", nil
		}
		a := append([]string{"SCAN", cursor}, args[2:]...)
		reply, err := c.do(a)
		if err != nil {
			return "", err
		}
		v, err := parseReply(reply)
		if err != nil || v.kind != '*' || len(v.elems) != 2 || v.elems[1].kind != '*' {
			return reply, nil // errors (and malformed replies) compare as they are
		}
		for _, k := range v.elems[1].elems {
			seen[k.str] = true
		}
		cursor = v.elems[0].str
		if cursor == "0" {
			break
		}
	}
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return string(resp.AppendCommand(nil, keys...)), nil
}

// ---- the generator ----

const diffDBs = 3

var diffKeys = []string{"a", "b", "c", "d", "e", "f", "g", "{t}x", "{t}y", ""}

type diffOp struct {
	args []string
	norm func(string) string
	scan bool
}

type diffGen struct {
	r       *rand.Rand
	lists   bool // Ferrite has lists: add wrong-type keys to the stream
	startS  int64
	usedTTL map[int64]bool
	// A transaction in progress: MULTI was sent and left more commands
	// are queued before EXEC (or DISCARD).
	inMulti bool
	left    int
}

// The stream depends only on the seed (not on DIFF_OPS), so a shorter run
// with the same SEED replays a prefix of a longer one.
func newDiffGen(seed int64) *diffGen {
	return &diffGen{r: rand.New(rand.NewSource(seed)), startS: time.Now().Unix(), usedTTL: map[int64]bool{}}
}

func (g *diffGen) pick(xs ...string) string { return xs[g.r.Intn(len(xs))] }
func (g *diffGen) chance(p float64) bool    { return g.r.Float64() < p }
func (g *diffGen) key() string              { return diffKeys[g.r.Intn(len(diffKeys))] }

func (g *diffGen) keys(min, max int) []string {
	n := min + g.r.Intn(max-min+1)
	out := make([]string, n)
	for i := range out {
		out[i] = g.key()
	}
	return out
}

// ttl returns a fresh TTL in seconds, 100000 + 1000*k for a k no earlier
// call returned (up to about 32 years).
func (g *diffGen) ttl() int64 {
	for {
		v := 100000 + 1000*int64(g.r.Intn(1000000))
		if !g.usedTTL[v] {
			g.usedTTL[v] = true
			return v
		}
	}
}

// normTTL maps a TTL/PTTL/EXPIRETIME/PEXPIRETIME reply to the pool entry
// it belongs to; -1, -2 and errors stay as they are.
func (g *diffGen) normTTLWith(reply string, scale, origin int64) string {
	if !strings.HasPrefix(reply, ":") {
		return reply
	}
	v, err := strconv.ParseInt(strings.TrimSuffix(reply[1:], "\r\n"), 10, 64)
	if err != nil || v < 0 {
		return reply
	}
	unit := 1000 * scale // pool entries are 1000 s apart
	return ":~" + strconv.FormatInt((v-origin+unit/2)/unit, 10) + "\r\n"
}

func (g *diffGen) normTTL(reply string) string  { return g.normTTLWith(reply, 1, 0) }
func (g *diffGen) normPTTL(reply string) string { return g.normTTLWith(reply, 1000, 0) }
func (g *diffGen) normExpireTime(reply string) string {
	return g.normTTLWith(reply, 1, g.startS)
}
func (g *diffGen) normPExpireTime(reply string) string {
	return g.normTTLWith(reply, 1000, g.startS*1000)
}

// expireArg is the argument of an expire option or command, in the unit
// unit ("s", "ms", "unix-s", "unix-ms"): mostly a fresh pool TTL, sometimes
// an edge (zero, negative, overflow, not a number) and, with past, a time
// in the past. EXPIREAT and GETEX delete the key at once for a past time;
// SET EXAT/PXAT stores it already expired, and when it goes (lazily, or by
// the active expire cycle) is timing, which DBSIZE, KEYS and SCAN would see:
// SET never gets one.
func (g *diffGen) expireArg(unit string, past bool) string {
	switch g.r.Intn(20) {
	case 0:
		return g.pick("0", "-1", "-100")
	case 1:
		return g.pick("abc", "1.5", "", "9223372036854775807", "-9223372036854775808", "9223372036854775", "+1", " 1")
	case 2:
		if past && strings.HasPrefix(unit, "unix") {
			return g.pick("1", "1000")
		}
	}
	s := g.ttl()
	switch unit {
	case "ms":
		return strconv.FormatInt(s*1000, 10)
	case "unix-s":
		return strconv.FormatInt(g.startS+s, 10)
	case "unix-ms":
		return strconv.FormatInt((g.startS+s)*1000, 10)
	}
	return strconv.FormatInt(s, 10)
}

var (
	diffInts = []string{"0", "1", "-1", "9223372036854775807", "-9223372036854775808",
		"9223372036854775806", "-9223372036854775807", "9223372036854775808", "-0", "007",
		"+5", " 5", "5 ", "10000", "9999", "1e3", "0x10", "100000000000000000000", "3.0"}
	diffFloats = []string{"1.5", "-0.25", "3.0", "1e10", "1e-5", "0.1", "inf", "-inf", "+inf", "nan",
		"1.7976931348623157e308", "5e-324", ".5", "5.", "1e400", "-1e400", "0.0", "-0.0",
		"123456789012345678", "1.23456789012345678", "2.5e-3", "abc", "", " 1.5", "1.5 "}
)

// value returns a random value of one of the interesting shapes.
func (g *diffGen) value() string {
	switch n := g.r.Intn(100); {
	case n < 20:
		return strconv.Itoa(g.r.Intn(2001) - 1000)
	case n < 25:
		return g.pick(diffInts...)
	case n < 33:
		if g.chance(0.5) {
			return g.pick(diffFloats...)
		}
		return strconv.FormatFloat((g.r.Float64()-0.5)*math10(g.r.Intn(12)), 'f', g.r.Intn(6), 64)
	case n < 40:
		return ""
	case n < 50:
		b := make([]byte, g.r.Intn(31))
		g.r.Read(b)
		return string(b)
	case n < 60:
		// Around the embstr/raw boundary (44 bytes) and beyond.
		return g.letters(g.pick4(43, 44, 45, 46+g.r.Intn(250)))
	case n < 80:
		return g.lcsString(g.r.Intn(30))
	}
	return g.letters(1 + g.r.Intn(20))
}

func (g *diffGen) pick4(a, b, c, d int) int {
	return []int{a, b, c, d}[g.r.Intn(4)]
}

func math10(n int) float64 {
	f := 1.0
	for i := 0; i < n; i++ {
		f *= 10
	}
	return f
}

func (g *diffGen) letters(n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[g.r.Intn(len(alphabet))]
	}
	return string(b)
}

// lcsString draws from a 4-letter alphabet so LCS finds long matches.
func (g *diffGen) lcsString(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = "abcd"[g.r.Intn(4)]
	}
	return string(b)
}

// short values keep APPEND and SETRANGE from growing strings without bound
// (LCS is quadratic in the lengths).
func (g *diffGen) short() string {
	if g.chance(0.3) {
		return strconv.Itoa(g.r.Intn(100))
	}
	return g.lcsString(g.r.Intn(8))
}

func (g *diffGen) index() string {
	switch g.r.Intn(10) {
	case 0:
		return g.pick("9223372036854775807", "-9223372036854775808", "abc", "1.5")
	case 1, 2:
		return strconv.Itoa(-g.r.Intn(60))
	}
	return strconv.Itoa(g.r.Intn(60))
}

func (g *diffGen) db() string {
	if g.chance(0.05) {
		return g.pick("16", "-1", "abc", "99999999999")
	}
	return strconv.Itoa(g.r.Intn(diffDBs))
}

func (g *diffGen) expireFlags() []string {
	var out []string
	if g.chance(0.6) {
		out = append(out, g.pick("NX", "XX", "GT", "LT", "nx", "gt"))
		if g.chance(0.1) {
			out = append(out, g.pick("NX", "XX", "GT", "LT", "FOO"))
		}
	}
	return out
}

// setArgs is SET's option list: mostly valid, sometimes conflicting.
func (g *diffGen) setArgs() []string {
	var out []string
	if g.chance(0.3) {
		out = append(out, g.pick("NX", "XX", "nx"))
	}
	if g.chance(0.3) {
		out = append(out, "GET")
	}
	if g.chance(0.5) {
		switch g.r.Intn(6) {
		case 0:
			out = append(out, "EX", g.expireArg("s", false))
		case 1:
			out = append(out, "PX", g.expireArg("ms", false))
		case 2:
			out = append(out, "EXAT", g.expireArg("unix-s", false))
		case 3:
			out = append(out, "PXAT", g.expireArg("unix-ms", false))
		case 4:
			out = append(out, "KEEPTTL")
		case 5:
			out = append(out, g.pick("EX", "PX", "KEEPTTL", "FOO", "XX", "NX", "GET"))
		}
	}
	g.r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func cat(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func s(xs ...string) []string { return xs }

// next draws the next command.
func (g *diffGen) next() diffOp {
	if g.inMulti {
		return g.nextInMulti()
	}
	switch {
	case g.chance(0.03):
		g.inMulti, g.left = true, g.r.Intn(6)
		return diffOp{args: s("MULTI")}
	case g.chance(0.01):
		return diffOp{args: cat(s("WATCH"), g.keys(1, 3))}
	case g.chance(0.005):
		return diffOp{args: s("UNWATCH")}
	case g.chance(0.003):
		return diffOp{args: s("EXEC")} // without MULTI
	}
	for {
		if op, ok := g.draw(); ok {
			return op
		}
	}
}

// nextInMulti is the next command of an open transaction: commands to
// queue (only those with deterministic replies: EXEC returns them all),
// now and then one that fails while queuing (EXEC then aborts) or is
// refused inside MULTI, then EXEC or DISCARD.
func (g *diffGen) nextInMulti() diffOp {
	if g.left == 0 {
		g.inMulti = false
		if g.chance(0.2) {
			return diffOp{args: s("DISCARD")}
		}
		return diffOp{args: s("EXEC")}
	}
	g.left--
	switch {
	case g.chance(0.03):
		return diffOp{args: s("NOSUCHCOMMAND", g.key())}
	case g.chance(0.03):
		return diffOp{args: s("GET")} // wrong arity
	case g.chance(0.03):
		return diffOp{args: s("WATCH", g.key())}
	case g.chance(0.02):
		return diffOp{args: s("MULTI")}
	}
	for {
		if op, ok := g.draw(); ok && op.norm == nil && !op.scan {
			return op
		}
	}
}

func (g *diffGen) draw() (diffOp, bool) {
	k, v := g.key(), g.value()
	switch g.r.Intn(62) {
	case 0, 1, 2, 3:
		return diffOp{args: cat(s("SET", k, v), g.setArgs())}, true
	case 4, 5:
		return diffOp{args: s("GET", k)}, true
	case 6:
		return diffOp{args: s("SETNX", k, v)}, true
	case 7:
		if g.chance(0.5) {
			return diffOp{args: s("SETEX", k, g.expireArg("s", false), v)}, true
		}
		return diffOp{args: s("PSETEX", k, g.expireArg("ms", false), v)}, true
	case 8:
		return diffOp{args: s("GETSET", k, v)}, true
	case 9:
		return diffOp{args: s("GETDEL", k)}, true
	case 10, 11:
		args := s("GETEX", k)
		switch g.r.Intn(7) {
		case 0:
			args = append(args, "EX", g.expireArg("s", true))
		case 1:
			args = append(args, "PX", g.expireArg("ms", true))
		case 2:
			args = append(args, "EXAT", g.expireArg("unix-s", true))
		case 3:
			args = append(args, "PXAT", g.expireArg("unix-ms", true))
		case 4:
			args = append(args, "PERSIST")
		case 5:
			args = append(args, g.pick("EX", "PERSIST", "KEEPTTL", "FOO"), g.pick("1", "PERSIST"))
		}
		return diffOp{args: args}, true
	case 12, 13:
		return diffOp{args: cat(s("MGET"), g.keys(1, 5))}, true
	case 14, 15:
		args := s("MSET")
		for i := 1 + g.r.Intn(3); i > 0; i-- {
			args = append(args, g.key(), g.value())
		}
		if g.chance(0.05) {
			args = args[:len(args)-1] // odd: wrong number of arguments
		}
		return diffOp{args: args}, true
	case 16:
		args := s("MSETNX")
		for i := 1 + g.r.Intn(3); i > 0; i-- {
			args = append(args, g.key(), g.value())
		}
		return diffOp{args: args}, true
	case 17, 18:
		return diffOp{args: s("APPEND", k, g.short())}, true
	case 19:
		return diffOp{args: s("STRLEN", k)}, true
	case 20, 21:
		return diffOp{args: s(g.pick("INCR", "DECR"), k)}, true
	case 22, 23:
		inc := strconv.Itoa(g.r.Intn(2001) - 1000)
		if g.chance(0.2) {
			inc = g.pick(diffInts...)
		}
		return diffOp{args: s(g.pick("INCRBY", "DECRBY"), k, inc)}, true
	case 24, 25:
		inc := g.pick(diffFloats...)
		if g.chance(0.5) {
			inc = strconv.FormatFloat((g.r.Float64()-0.5)*100, 'f', g.r.Intn(4), 64)
		}
		return diffOp{args: s("INCRBYFLOAT", k, inc)}, true
	case 26:
		off := strconv.Itoa(g.r.Intn(64))
		if g.chance(0.1) {
			off = g.pick("-1", "abc", "536870911", "536870912")
			return diffOp{args: s("SETRANGE", k, off, "xy")}, true
		}
		return diffOp{args: s("SETRANGE", k, off, g.short())}, true
	case 27, 28:
		return diffOp{args: s(g.pick("GETRANGE", "SUBSTR"), k, g.index(), g.index())}, true
	case 29:
		args := s("LCS", k, g.key())
		for _, opt := range []string{"LEN", "IDX", "WITHMATCHLEN"} {
			if g.chance(0.3) {
				args = append(args, opt)
			}
		}
		if g.chance(0.3) {
			args = append(args, "MINMATCHLEN", g.pick("0", "1", "2", "3", "5", "-1", "abc"))
		}
		return diffOp{args: args}, true
	case 30, 31:
		return diffOp{args: cat(s(g.pick("DEL", "UNLINK")), g.keys(1, 3))}, true
	case 32, 33:
		return diffOp{args: cat(s("EXISTS"), g.keys(1, 4))}, true
	case 34:
		return diffOp{args: s("TYPE", k)}, true
	case 35, 36, 37:
		cmd := g.pick("EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT")
		unit := map[string]string{"EXPIRE": "s", "PEXPIRE": "ms", "EXPIREAT": "unix-s", "PEXPIREAT": "unix-ms"}[cmd]
		return diffOp{args: cat(s(cmd, k, g.expireArg(unit, true)), g.expireFlags())}, true
	case 38, 39:
		switch g.r.Intn(4) {
		case 0:
			return diffOp{args: s("TTL", k), norm: g.normTTL}, true
		case 1:
			return diffOp{args: s("PTTL", k), norm: g.normPTTL}, true
		case 2:
			return diffOp{args: s("EXPIRETIME", k), norm: g.normExpireTime}, true
		}
		return diffOp{args: s("PEXPIRETIME", k), norm: g.normPExpireTime}, true
	case 40:
		return diffOp{args: s("PERSIST", k)}, true
	case 41:
		return diffOp{args: s(g.pick("RENAME", "RENAMENX"), k, g.key())}, true
	case 42:
		args := s("COPY", k, g.key())
		if g.chance(0.4) {
			args = append(args, "DB", g.db())
		}
		if g.chance(0.4) {
			args = append(args, "REPLACE")
		}
		if g.chance(0.03) {
			args = append(args, "FOO")
		}
		return diffOp{args: args}, true
	case 43:
		return diffOp{args: s("MOVE", k, g.db())}, true
	case 44, 45:
		return diffOp{args: s("SELECT", g.db())}, true
	case 46:
		return diffOp{args: s("DBSIZE")}, true
	case 47, 48:
		return diffOp{args: s("OBJECT", "ENCODING", k)}, true
	case 49:
		return diffOp{args: s("KEYS", g.pick("*", "?", "{t}*", "[a-c]", "[^a]", "*x*", "\\{*", "")), norm: sortArray}, true
	case 50:
		args := s("SCAN", "0")
		if g.chance(0.5) {
			args = append(args, "MATCH", g.pick("*", "?", "{t}*", "[a-d]"))
		}
		if g.chance(0.5) {
			args = append(args, "COUNT", g.pick("1", "2", "10", "1000", "0", "-1", "abc"))
		}
		if g.chance(0.3) {
			args = append(args, "TYPE", g.pick("string", "list", "none", "STRING"))
		}
		return diffOp{args: args, scan: true}, true
	case 51:
		return diffOp{args: s("RANDOMKEY"), norm: normRandomKey}, true
	case 52:
		return diffOp{args: cat(s("TOUCH"), g.keys(1, 3))}, true
	case 53:
		return diffOp{args: g.wrongArity()}, true
	case 54:
		return diffOp{args: s(g.pick("NOSUCHCMD", "GETT", "foo"), k, v)}, true
	case 56, 57:
		return diffOp{args: cat(s("SET", k, v), g.setArgs())}, true
	case 55:
		if !g.lists {
			return diffOp{}, false
		}
		// A key of another type in the shared keyspace: every string command
		// that later meets it must answer WRONGTYPE as Redis does.
		return diffOp{args: s("LPUSH", k, v)}, true
	case 58:
		if g.chance(0.05) {
			return diffOp{args: s("FLUSHDB")}, true
		}
		return diffOp{args: s("SET", k, v, "KEEPTTL")}, true
	case 59:
		return diffOp{args: s("OBJECT", g.pick("ENCODING", "ENCODING", "ENCODING", "FREQ", "NOSUCH"), k)}, true
	case 60:
		return diffOp{args: s("SET", k, v, g.pick("EX", "PX", "EXAT", "PXAT"), g.pick("0", "-1", "abc", "9223372036854775807"))}, true
	case 61:
		return diffOp{args: s("ECHO", v)}, true
	}
	return diffOp{}, false
}

// wrongArity is a command with one argument too many or too few.
func (g *diffGen) wrongArity() []string {
	k := g.key()
	return g.pickArgs(
		s("GET"), s("GET", k, k), s("SET", k), s("SETNX", k), s("GETDEL"), s("MGET"),
		s("MSET", k), s("APPEND", k), s("STRLEN"), s("INCR"), s("INCRBY", k), s("DECRBY", k, "1", "2"),
		s("INCRBYFLOAT", k), s("SETRANGE", k, "0"), s("GETRANGE", k, "0"), s("LCS", k),
		s("DEL"), s("EXISTS"), s("TYPE"), s("EXPIRE", k), s("TTL"), s("TTL", k, k), s("PERSIST"),
		s("RENAME", k), s("COPY", k), s("MOVE", k), s("SELECT"), s("DBSIZE", k), s("OBJECT"),
		s("OBJECT", "ENCODING"), s("KEYS"), s("SCAN"), s("RANDOMKEY", k), s("GETEX"), s("SETEX", k, "10"),
	)
}

func (g *diffGen) pickArgs(choices ...[]string) []string { return choices[g.r.Intn(len(choices))] }

func normRandomKey(reply string) string {
	if strings.HasPrefix(reply, "$") && !strings.HasPrefix(reply, "$-1") {
		return "$<some key>\r\n"
	}
	return reply
}
