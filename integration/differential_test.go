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
	"bufio"
	"fmt"
	"math/rand"
	"net"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"ferrite/server/resp"
)

func TestDifferential(t *testing.T) {
	redisServerPath(t) // skips when not installed
	seed, ops := diffSeedOps(t, "DIFF_OPS", 5000)
	keepGoing := os.Getenv("DIFF_CONTINUE") != ""
	t.Logf("SEED=%d DIFF_OPS=%d", seed, ops)
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			t.Logf("reproduce with: SEED=%d DIFF_OPS=%d go test ./integration -run 'TestDifferential/RESP%d' -v", seed, ops, proto)
			d := newDiffRun(t, seed, ops, proto, keepGoing)
			d.run()
		})
	}
}

// diffConn is one side of the comparison.
type diffConn struct {
	name   string
	conn   net.Conn
	r      *bufio.Reader
	events *eventSub // keyspace events of this server (diff_events_test.go)
}

func (c *diffConn) do(args []string) (string, error) {
	_ = c.conn.SetDeadline(time.Now().Add(replyTimeout))
	if _, err := c.conn.Write(resp.AppendCommand(nil, args...)); err != nil {
		return "", err
	}
	b, err := resp.ReadReply(c.r)
	if err == nil && c.events != nil {
		c.events.sync(args, true)
	}
	return string(b), err
}

// doQuiet is do for a command sent to one side only (a probe, or reading
// state to build the next command): its keyspace events are not compared.
func (c *diffConn) doQuiet(args []string) (string, error) {
	ev := c.events
	c.events = nil
	defer func() { c.events = ev }()
	reply, err := c.do(args)
	if err == nil && ev != nil {
		ev.sync(args, false)
	}
	return reply, err
}

type diffStep struct {
	i         int
	args      []string
	red, ferr string
}

type diffRun struct {
	t         *testing.T
	seed      int64
	ops       int
	proto     int
	keepGoing bool
	g         *diffGen
	red, fer  *diffConn
	history   []diffStep // the last 20 steps
	bad       map[string]int
	nbad      int
	kinds     map[byte]int // redis-server's reply types, for the coverage log
	errs      map[string]int
}

func newDiffRun(t *testing.T, seed int64, ops, proto int, keepGoing bool) *diffRun {
	red := startRedis(t)
	fer := startFerrite(t)
	d := &diffRun{t: t, seed: seed, ops: ops, proto: proto, keepGoing: keepGoing,
		bad: map[string]int{}, kinds: map[byte]int{}, errs: map[string]int{}}
	d.red = dialDiff(t, red)
	d.fer = dialDiff(t, fer)
	d.g = newDiffGen(seed)
	if proto == 3 {
		// HELLO replies carry the connection id and server details; check
		// only that both switched to RESP3 (a map reply).
		for _, c := range []*diffConn{d.red, d.fer} {
			reply, err := c.do([]string{"HELLO", "3"})
			if err != nil || !strings.HasPrefix(reply, "%") {
				t.Fatalf("%s: HELLO 3 answered %q, %v", c.name, reply, err)
			}
		}
	}
	// Wrong-type calls need keys of another type; use lists once Ferrite
	// has them (LLEN answers an integer).
	if reply, err := d.fer.doQuiet([]string{"LLEN", "probe:lists"}); err == nil && strings.HasPrefix(reply, ":") {
		d.g.lists = true
	} else {
		t.Logf("Ferrite has no lists yet (LLEN answered %q): wrong-type calls are left out of the stream", reply)
	}
	return d
}

func dialDiff(t *testing.T, inst *instance) *diffConn {
	c := inst.dial(t)
	return &diffConn{name: inst.name, conn: c.conn, r: c.r, events: eventSubFor(t, inst)}
}

func (d *diffRun) run() {
	for i := 0; i < d.ops; i++ {
		op := d.g.next()
		var red, fer string
		var err error
		if op.scan {
			red, err = scanAll(d.red, op.args)
			if err == nil {
				fer, err = scanAll(d.fer, op.args)
			}
		} else {
			red, err = d.red.do(op.args)
			if err != nil {
				d.t.Fatalf("redis-server: op %d %s: %v (SEED=%d)", i, quote(op.args), err, d.seed)
			}
			fer, err = d.fer.do(op.args)
		}
		d.record(diffStep{i: i, args: op.args, red: red, ferr: fer})
		if red != "" {
			d.kinds[red[0]]++
			if red[0] == '-' {
				d.errs[strings.SplitN(red, "\r\n", 2)[0]]++
			}
		}
		if err != nil {
			d.fail(i, fmt.Sprintf("I/O error: %v", err))
			d.t.FailNow()
		}
		if op.norm != nil {
			red, fer = op.norm(red), op.norm(fer)
		}
		if red != fer {
			d.mismatch(i, op.args, red, fer)
		}
	}
	if d.g.inMulti { // leave no transaction open for the keyspace comparison
		for _, c := range []*diffConn{d.red, d.fer} {
			if _, err := c.do(s("DISCARD")); err != nil {
				d.t.Fatal(err)
			}
		}
	}
	d.compareKeyspace()
	d.logCoverage()
	if d.nbad > 0 {
		var names []string
		for n := range d.bad {
			names = append(names, n)
		}
		sort.Strings(names)
		var b strings.Builder
		for _, n := range names {
			fmt.Fprintf(&b, " %s:%d", n, d.bad[n])
		}
		d.t.Fatalf("%d mismatching replies (SEED=%d) by command:%s", d.nbad, d.seed, b.String())
	}
}

// logCoverage shows what the stream exercised: reply types and the most
// frequent errors, so a generator that degenerates into errors shows.
func (d *diffRun) logCoverage() {
	var b strings.Builder
	for _, k := range []byte("+-:$*%~_,#=") {
		if n := d.kinds[k]; n > 0 {
			fmt.Fprintf(&b, " %c:%d", k, n)
		}
	}
	type kv struct {
		k string
		n int
	}
	var errs []kv
	for k, n := range d.errs {
		errs = append(errs, kv{k, n})
	}
	sort.Slice(errs, func(i, j int) bool { return errs[i].n > errs[j].n || errs[i].n == errs[j].n && errs[i].k < errs[j].k })
	fmt.Fprintf(&b, "; %d distinct errors, most frequent:", len(errs))
	for i := 0; i < len(errs) && i < 8; i++ {
		fmt.Fprintf(&b, "\n  %5d %s", errs[i].n, errs[i].k)
	}
	d.t.Logf("redis-server replies by type:%s", b.String())
}

func (d *diffRun) record(s diffStep) {
	d.history = append(d.history, s)
	if len(d.history) > 20 {
		d.history = d.history[1:]
	}
}

func (d *diffRun) mismatch(i int, args []string, red, fer string) {
	d.nbad++
	d.bad[strings.ToLower(args[0])]++
	if d.keepGoing {
		switch {
		case d.nbad <= 10:
			d.fail(i, fmt.Sprintf("reply mismatch for %s:\n  redis:   %s\n  ferrite: %s", quote(args), truncReply(red), truncReply(fer)))
		case d.nbad <= 50:
			d.t.Errorf("op %d %s:\n  redis:   %s\n  ferrite: %s", i, quote(args), truncReply(red), truncReply(fer))
		}
		return
	}
	d.fail(i, fmt.Sprintf("reply mismatch for %s:\n  redis:   %s\n  ferrite: %s", quote(args), truncReply(red), truncReply(fer)))
	d.t.FailNow()
}

func (d *diffRun) fail(i int, msg string) {
	var b strings.Builder
	fmt.Fprintf(&b, "SEED=%d RESP%d op %d: %s\nlast %d commands (op: command => redis | ferrite):\n", d.seed, d.proto, i, msg, len(d.history))
	for _, s := range d.history {
		fmt.Fprintf(&b, "  %5d: %s => %s | %s\n", s.i, quote(s.args), truncReply(s.red), truncReply(s.ferr))
	}
	d.t.Error(b.String())
}

// compareKeyspace compares every database of the keyspace: sorted KEYS,
// then per key TYPE, GET and OBJECT ENCODING (strings) and the TTL.
func (d *diffRun) compareKeyspace() {
	for db := 0; db < diffDBs; db++ {
		sel := []string{"SELECT", strconv.Itoa(db)}
		state := func(c *diffConn) (string, error) {
			var b strings.Builder
			if _, err := c.doQuiet(sel); err != nil {
				return "", err
			}
			keys, err := c.doQuiet([]string{"KEYS", "*"})
			if err != nil {
				return "", err
			}
			v, err := parseReply(keys)
			if err != nil || v.kind != '*' {
				return "KEYS * answered " + keys, nil
			}
			sort.Slice(v.elems, func(i, j int) bool { return v.elems[i].str < v.elems[j].str })
			for _, k := range v.elems {
				typ, err := c.doQuiet([]string{"TYPE", k.str})
				if err != nil {
					return "", err
				}
				fmt.Fprintf(&b, "%q %s", k.str, strings.TrimSpace(typ))
				if typ == "+string\r\n" {
					val, err := c.doQuiet([]string{"GET", k.str})
					if err != nil {
						return "", err
					}
					enc, err := c.doQuiet([]string{"OBJECT", "ENCODING", k.str})
					if err != nil {
						return "", err
					}
					fmt.Fprintf(&b, " %q %q", val, enc)
				}
				ttl, err := c.doQuiet([]string{"TTL", k.str})
				if err != nil {
					return "", err
				}
				fmt.Fprintf(&b, " ttl %s\n", strings.TrimSpace(d.g.normTTL(ttl)))
			}
			return b.String(), nil
		}
		red, err := state(d.red)
		if err != nil {
			d.t.Fatalf("redis-server keyspace: %v", err)
		}
		fer, err := state(d.fer)
		if err != nil {
			d.t.Fatalf("ferrite keyspace: %v", err)
		}
		if red != fer {
			d.t.Errorf("SEED=%d: keyspace of db %d differs at the end\nredis:\n%s\nferrite:\n%s", d.seed, db, red, fer)
		}
	}
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

// replyValue is a parsed reply, enough to normalize.
type replyValue struct {
	kind  byte
	str   string // bulk/simple/error/number text
	elems []replyValue
}

func parseReply(raw string) (replyValue, error) {
	v, rest, err := parseValue(raw)
	if err == nil && rest != "" {
		err = fmt.Errorf("trailing bytes after reply")
	}
	return v, err
}

func parseValue(s string) (replyValue, string, error) {
	nl := strings.Index(s, "\r\n")
	if nl < 1 {
		return replyValue{}, "", fmt.Errorf("malformed reply %q", s)
	}
	kind, line, rest := s[0], s[1:nl], s[nl+2:]
	switch kind {
	case '$', '=', '!':
		n, err := strconv.Atoi(line)
		if err != nil {
			return replyValue{}, "", err
		}
		if n < 0 {
			return replyValue{kind: '_'}, rest, nil
		}
		if len(rest) < n+2 {
			return replyValue{}, "", fmt.Errorf("short bulk")
		}
		return replyValue{kind: kind, str: rest[:n]}, rest[n+2:], nil
	case '*', '~', '>', '%':
		n, err := strconv.Atoi(line)
		if err != nil {
			return replyValue{}, "", err
		}
		if kind == '%' {
			n *= 2
		}
		v := replyValue{kind: kind}
		if n < 0 {
			return replyValue{kind: '_'}, rest, nil
		}
		for i := 0; i < n; i++ {
			var e replyValue
			if e, rest, err = parseValue(rest); err != nil {
				return replyValue{}, "", err
			}
			v.elems = append(v.elems, e)
		}
		return v, rest, nil
	}
	return replyValue{kind: kind, str: line}, rest, nil
}

func truncReply(s string) string {
	if len(s) > 300 {
		return fmt.Sprintf("%q...(%d bytes)", s[:300], len(s))
	}
	return strconv.Quote(s)
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

// sortArray sorts the elements of an array reply (KEYS order is the hash
// table's and differs between implementations).
func sortArray(reply string) string {
	v, err := parseReply(reply)
	if err != nil || v.kind != '*' {
		return reply
	}
	items := make([]string, len(v.elems))
	for i, e := range v.elems {
		items[i] = e.str
	}
	sort.Strings(items)
	return string(resp.AppendCommand(nil, items...))
}

func normRandomKey(reply string) string {
	if strings.HasPrefix(reply, "$") && !strings.HasPrefix(reply, "$-1") {
		return "$<some key>\r\n"
	}
	return reply
}
