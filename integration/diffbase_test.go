package integration

import (
	"fmt"
	"math/rand"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// diffBase is what the per-family differential tests share: one seeded
// command stream sent to redis-server and to Ferrite over one connection
// each, the last commands with both replies for the failure report, and
// a count of redis-server's reply types for the coverage log. The keyspace
// events of both servers are compared along the way (diff_events_test.go).
type diffBase struct {
	t        *testing.T
	seed     int64
	proto, i int // RESP version; the number of the operation running
	r        *rand.Rand
	red, fer *diffConn
	history  []string
	kinds    map[byte]int
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
// on each; a setup command that fails is fatal.
func newDiffBase(t *testing.T, seed int64, proto int, red, fer *instance, setup ...[]string) *diffBase {
	d := &diffBase{t: t, seed: seed, proto: proto, r: rand.New(rand.NewSource(seed)),
		red: dialDiff(t, red), fer: dialDiff(t, fer), kinds: map[byte]int{}}
	for _, c := range []*diffConn{d.red, d.fer} {
		for _, cmd := range append([][]string{{"HELLO", strconv.Itoa(proto)}}, setup...) {
			reply, err := c.do(cmd)
			if err != nil || strings.HasPrefix(reply, "-") {
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

// both runs args on both servers and records the step.
func (d *diffBase) both(args []string) (string, string) {
	d.t.Helper()
	red, err := d.red.do(args)
	if err != nil {
		d.t.Fatalf("redis-server: %s: %v (SEED=%d)", quote(args), err, d.seed)
	}
	if len(red) > 0 {
		d.kinds[red[0]]++
	}
	fer, err := d.fer.do(args)
	if err != nil {
		fer = "I/O error: " + err.Error()
	}
	d.history = append(d.history, fmt.Sprintf("%5d: %s => %s | %s", d.i, quote(args), truncReply(red), truncReply(fer)))
	if len(d.history) > 20 {
		d.history = d.history[1:]
	}
	if err != nil {
		d.fail(args, red, fer)
	}
	return red, fer
}

// fail reports a mismatch with the commands that led to it.
func (d *diffBase) fail(args []string, red, fer string) {
	d.t.Helper()
	d.t.Fatalf("SEED=%d RESP%d op %d %s:\n  redis:   %s\n  ferrite: %s\nlast commands (op: command => redis | ferrite):\n%s",
		d.seed, d.proto, d.i, quote(args), truncReply(red), truncReply(fer), strings.Join(d.history, "\n"))
}

// check runs args on both servers and compares the replies after norm
// (nil: exactly).
func (d *diffBase) check(args []string, norm func(string) string) (string, string) {
	d.t.Helper()
	red, fer := d.both(args)
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
