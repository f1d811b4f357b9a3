package integration

import (
	"bufio"
	"encoding/json"
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

// diffBase is what the per-family differential tests share: one seeded
// command stream sent to redis-server and to Ferrite over one connection
// each, the last commands with both replies for the failure report, and
// a count of redis-server's reply types (and errors) for the coverage log.
// The keyspace events of both servers are compared along the way
// (diff_events_test.go).
type diffBase struct {
	t        *testing.T
	seed     int64
	proto, i int // RESP version; the number of the operation running
	r        *rand.Rand
	red, fer *diffConn
	history  []string
	// dump, with DIFF_DUMP=path, gets every command as a JSON array per
	// line (path.TestName): the whole stream, to replay against a
	// redis-server that crashed on it.
	dump  *json.Encoder
	kinds map[byte]int
	errs  map[string]int // redis-server's error replies by first line
	// keepGoing (a family's DIFF_CONTINUE) reports a mismatch and goes
	// on; bad counts the mismatches by command for finish.
	keepGoing bool
	bad       map[string]int
	nbad      int
}

// forEachDiffProto runs a family's differential test in RESP2 and RESP3
// with one seed (SEED) and opsEnv operations (default defOps), each run
// a subtest that logs how to reproduce it. It skips when no redis-server
// is installed.
func forEachDiffProto(t *testing.T, opsEnv string, defOps int, run func(t *testing.T, seed int64, ops, proto int)) {
	redisServerPath(t)
	seed, ops := diffSeedOps(t, opsEnv, defOps)
	t.Logf("SEED=%d %s=%d", seed, opsEnv, ops)
	name := t.Name()
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			t.Logf("reproduce with: SEED=%d %s=%d go test ./integration -run '%s/RESP%d' -v", seed, opsEnv, ops, name, proto)
			run(t, seed, ops, proto)
		})
	}
}

// newDiffBase connects to both servers and runs setup (HELLO proto first)
// on each; a setup command that fails is fatal, and so is a HELLO that
// does not answer in proto (an array in RESP2, a map in RESP3: its
// contents, the connection id and server details, differ).
func newDiffBase(t *testing.T, seed int64, proto int, red, fer *instance, setup ...[]string) *diffBase {
	d := &diffBase{t: t, seed: seed, proto: proto, r: rand.New(rand.NewSource(seed)),
		red: dialDiff(t, red), fer: dialDiff(t, fer), kinds: map[byte]int{}, errs: map[string]int{}, bad: map[string]int{}}
	if path := os.Getenv("DIFF_DUMP"); path != "" {
		f, err := os.Create(path + "." + strings.ReplaceAll(t.Name(), "/", "_"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		d.dump = json.NewEncoder(f)
		for _, cmd := range setup {
			_ = d.dump.Encode(cmd)
		}
	}
	helloKind := map[int]string{2: "*", 3: "%"}[proto]
	for _, c := range []*diffConn{d.red, d.fer} {
		for j, cmd := range append([][]string{{"HELLO", strconv.Itoa(proto)}}, setup...) {
			reply, err := c.do(cmd)
			if err != nil || strings.HasPrefix(reply, "-") || j == 0 && !strings.HasPrefix(reply, helloKind) {
				t.Fatalf("%s: %s: %q, %v", c.name, quote(cmd), reply, err)
			}
		}
	}
	return d
}

// pick is one of xs, at random.
func (d *diffBase) pick(xs ...string) string { return xs[d.r.Intn(len(xs))] }

// exec runs args on one server, outside the history (the reads a
// normalization needs).
func (d *diffBase) exec(c *diffConn, args []string) string {
	d.t.Helper()
	reply, err := c.do(args)
	if err != nil {
		d.t.Fatalf("%s: %s: %v (SEED=%d)", c.name, quote(args), err, d.seed)
	}
	return reply
}

// execQuiet is exec for a read whose keyspace events are not compared
// (doQuiet).
func (d *diffBase) execQuiet(c *diffConn, args ...string) string {
	d.t.Helper()
	reply, err := c.doQuiet(args)
	if err != nil {
		d.t.Fatalf("%s: %s: %v (SEED=%d)", c.name, quote(args), err, d.seed)
	}
	return reply
}

// both runs args on both servers and records the step.
func (d *diffBase) both(args []string) (string, string) {
	d.t.Helper()
	return d.bothVia((*diffConn).do, args)
}

// bothVia is both with do running args on one server (a SCAN loop, say).
// An I/O error is fatal, even with keepGoing.
func (d *diffBase) bothVia(do func(*diffConn, []string) (string, error), args []string) (string, string) {
	d.t.Helper()
	if d.dump != nil {
		_ = d.dump.Encode(args)
	}
	red, err := do(d.red, args)
	if err != nil {
		d.t.Fatalf("redis-server: %s: %v (SEED=%d)\nlast commands (op: command => redis | ferrite):\n%s",
			quote(args), err, d.seed, strings.Join(d.history, "\n"))
	}
	if len(red) > 0 {
		d.kinds[red[0]]++
		if red[0] == '-' {
			d.errs[strings.SplitN(red, "\r\n", 2)[0]]++
		}
	}
	fer, err := do(d.fer, args)
	if err != nil {
		fer = "I/O error: " + err.Error()
	}
	d.history = append(d.history, fmt.Sprintf("%5d: %s => %s | %s", d.i, quote(args), truncReply(red), truncReply(fer)))
	if len(d.history) > historyLen {
		d.history = d.history[1:]
	}
	if err != nil {
		d.t.Fatal(d.report(args, red, fer, true))
	}
	return red, fer
}

// report describes a mismatch, with the commands that led to it when
// history is set.
//
// historyLen is how many commands a report shows: DIFF_HISTORY overrides
// the 20, to see the whole life of the key that went wrong.
var historyLen = func() int {
	if n, err := strconv.Atoi(os.Getenv("DIFF_HISTORY")); err == nil && n > 0 {
		return n
	}
	return 20
}()

func (d *diffBase) report(args []string, red, fer string, history bool) string {
	msg := fmt.Sprintf("SEED=%d RESP%d op %d %s:\n  redis:   %s\n  ferrite: %s",
		d.seed, d.proto, d.i, quote(args), truncReply(red), truncReply(fer))
	if history {
		msg += "\nlast commands (op: command => redis | ferrite):\n" + strings.Join(d.history, "\n")
	}
	return msg
}

// fail reports a mismatch with the commands that led to it and stops the
// test; with keepGoing it counts the mismatch and goes on, reporting the
// first 10 with their history and the next 40 alone.
func (d *diffBase) fail(args []string, red, fer string) {
	d.t.Helper()
	if !d.keepGoing {
		d.t.Fatal(d.report(args, red, fer, true))
	}
	d.nbad++
	d.bad[strings.ToLower(args[0])]++
	if d.nbad <= 50 {
		d.t.Error(d.report(args, red, fer, d.nbad <= 10))
	}
}

// finish ends a keepGoing run: the number of mismatches by command.
func (d *diffBase) finish() {
	d.t.Helper()
	if d.nbad == 0 {
		return
	}
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

// check runs args on both servers and compares the replies after norm
// (nil: exactly).
func (d *diffBase) check(args []string, norm func(string) string) (string, string) {
	d.t.Helper()
	return d.checkVia((*diffConn).do, args, norm)
}

// checkVia is check with bothVia.
func (d *diffBase) checkVia(do func(*diffConn, []string) (string, error), args []string, norm func(string) string) (string, string) {
	d.t.Helper()
	red, fer := d.bothVia(do, args)
	nr, nf := red, fer
	if norm != nil {
		nr, nf = norm(red), norm(fer)
	}
	if nr != nf {
		d.fail(args, red, fer)
	}
	return red, fer
}

// step runs operation i on both servers; the replies must be equal.
func (d *diffBase) step(i int, args []string) {
	d.t.Helper()
	d.i = i
	d.check(args, nil)
}

// replyKinds is the coverage log's count of redis-server's reply types.
func (d *diffBase) replyKinds() string {
	var ks []string
	for k, n := range d.kinds {
		ks = append(ks, fmt.Sprintf("%c:%d", k, n))
	}
	sort.Strings(ks)
	return strings.Join(ks, " ")
}

// coverage is replyKinds and the most frequent of redis-server's errors,
// so a generator that degenerates into errors shows.
func (d *diffBase) coverage() string {
	type kv struct {
		k string
		n int
	}
	var errs []kv
	for k, n := range d.errs {
		errs = append(errs, kv{k, n})
	}
	sort.Slice(errs, func(i, j int) bool { return errs[i].n > errs[j].n || errs[i].n == errs[j].n && errs[i].k < errs[j].k })
	var b strings.Builder
	fmt.Fprintf(&b, "%s; %d distinct errors, most frequent:", d.replyKinds(), len(errs))
	for i := 0; i < len(errs) && i < 8; i++ {
		fmt.Fprintf(&b, "\n  %5d %s", errs[i].n, errs[i].k)
	}
	return b.String()
}

// compareKeyspace compares databases 0 to dbs-1 at the end of a run: the
// sorted KEYS *, and per key its TYPE and what value (nil: nothing) says
// of it on that server. The reads are outside the history and the event
// comparison; a database that differs is reported and the test goes on.
func (d *diffBase) compareKeyspace(dbs int, value func(c *diffConn, key, typ string) string) {
	d.t.Helper()
	for db := 0; db < dbs; db++ {
		if red, fer := d.keyspace(d.red, db, value), d.keyspace(d.fer, db, value); red != fer {
			d.t.Errorf("SEED=%d RESP%d: keyspace of db %d differs at the end\nredis:\n%s\nferrite:\n%s", d.seed, d.proto, db, red, fer)
		}
	}
}

// keyspace is one server's database db as compareKeyspace compares it.
func (d *diffBase) keyspace(c *diffConn, db int, value func(c *diffConn, key, typ string) string) string {
	d.t.Helper()
	d.execQuiet(c, "SELECT", strconv.Itoa(db))
	keys := d.execQuiet(c, "KEYS", "*")
	v, err := parseReply(keys)
	if err != nil || v.kind != '*' {
		return "KEYS * answered " + keys
	}
	sort.Slice(v.elems, func(i, j int) bool { return v.elems[i].str < v.elems[j].str })
	var b strings.Builder
	for _, k := range v.elems {
		typ := d.execQuiet(c, "TYPE", k.str)
		fmt.Fprintf(&b, "%q %s", k.str, strings.TrimSpace(typ))
		if value != nil {
			b.WriteString(value(c, k.str, typ))
		}
		b.WriteByte('\n')
	}
	return b.String()
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

func dialDiff(t *testing.T, inst *instance) *diffConn {
	c := inst.dial(t)
	return &diffConn{name: inst.name, conn: c.conn, r: c.r, events: eventSubFor(t, inst)}
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
