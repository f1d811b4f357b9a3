package server

import (
	"math/rand"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Consumer group tests. The scripts below run side by side against a real
// redis-server 7.0 (skipped when none is installed) and must give the same
// bytes in RESP2 and RESP3; the clock tests pin the time-dependent fields
// (idle times, delivery times) and what is propagated, with expectations
// derived from t_stream.c and checked on redis-server 7.0.15 by hand.

// streamGroupScript covers every error and reply shape of XGROUP,
// XREADGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM and XINFO that does not
// depend on the clock.
const streamGroupScript = `
flushall
xgroup create s g $
xgroup create s g $ MKSTREAM
xgroup create s g $ MKSTREAM
xgroup create s g2 0 entriesread -2
xgroup create s g2 0 entriesread x
xgroup create s g2 0 foo
xgroup create s g2 +
xgroup create s g2 1-x
xgroup setid s nog 0
xgroup setid s g +
xgroup setid s g -
xgroup setid s g (1
xgroup setid s g 5 entriesread 3
xgroup setid s g 5 mkstream
xgroup destroy s nog
xgroup createconsumer s g c1
xgroup createconsumer s g c1
xgroup createconsumer s nog c1
xgroup delconsumer s g c1
xgroup delconsumer s g c1
xgroup destroy s g
xgroup help
xgroup foo
xgroup create s g 0 mkstream mkstream mkstream mkstream
xgroup create nokey g 0 entriesread 5 mkstream
xinfo groups nokey
set str x
xgroup create str g 0
xgroup setid nokey g 0
xgroup createconsumer nokey g c
del s nokey
xadd s 1-1 a 1
xadd s 2-1 b 2
xadd s 3-1 c 3
xgroup create s g 0
xinfo groups s
xreadgroup group g c1 count 1 streams s >
xinfo groups s
xreadgroup group g c1 streams s 0
xreadgroup group g c1 streams s $
xreadgroup group g c1 streams s +
xreadgroup group nog c1 streams s >
xreadgroup group g c1 streams nokey >
xreadgroup group g c1 streams str >
xreadgroup group g c1 count -5 streams s 0
xreadgroup group g c1 block -1 streams s >
xreadgroup group g c1 foo streams s >
xreadgroup group g c1 streams s 1-x
xreadgroup group g c1 noack count 1 streams s >
xinfo groups s
xreadgroup group g c2 count 0 streams s 0
xack s g 1-1 x
xack s g 1-1 2-1 1-1
xack nokey g 1
xack s nog 1
xack str g 1
xack s g -
xreadgroup group g c1 count 10 streams s >
xreadgroup group g c1 count 10 streams s >
xreadgroup group g c1 count 10 streams s 0 s 0
xpending s g
xpending s nog
xpending nokey g
xpending str g
xpending s g - + 10 nobody
xpending s g idle x - + 10
xpending s g idle 10 - +
xpending s g - + x
xpending s g - + -1
xpending s g (- + 10
xpending s g - (+ 10
xpending s g -
xpending s g - +
xpending s g (18446744073709551615-18446744073709551615 + 10
xpending s g - (0-0 10
xpending nokey g x + 10
xpending s g x + 10
xclaim s g c2 x 3-1
xclaim s nog c2 0 3-1
xclaim nokey g c2 0 3-1
xclaim s g c2 0 3-1 idle x
xclaim s g c2 0 3-1 time x
xclaim s g c2 0 3-1 retrycount x
xclaim s g c2 0 3-1 lastid x
xclaim s g c2 0 3-1 foo
xclaim s g c2 0 3-1 idle
xclaim s g c2 0 x 3-1
xclaim s g c2 0 3-1 justid
xclaim s g c2 -5 3-1 justid retrycount 7
xclaim s g c2 0 2-1 force justid retrycount 3
xclaim s g c2 0 9-1 force justid
xautoclaim s g c3 0 0 count 0
xautoclaim s g c3 0 0 count x
xautoclaim s g c3 0 0 count 1 justid
xautoclaim s g c3 0 0 foo
xautoclaim s g c3 x 0
xautoclaim s g c3 0 x
xautoclaim s nog c3 0 0
xautoclaim nokey g c3 0 0
xautoclaim s g c3 0 (18446744073709551615-18446744073709551615
xautoclaim s g c3 0 0 count 9223372036854775807
xautoclaim s g c3 0 0 count 576460752303423487 justid
xautoclaim s g c3 0 0 count 576460752303423488 justid
xautoclaim s g c3 0 - count 1 justid
xautoclaim s g c4 0 - count 1 justid
xautoclaim s g c4 0 3-1 count 1 justid
xdel s 2-1
xautoclaim s g c4 0 - count 1 justid
xclaim s g c4 0 3-1 justid
xinfo stream s foo
xinfo stream s full count
xinfo stream s full foo 1
xinfo stream s full count x
xinfo consumers s nog
xinfo consumers nokey g
xinfo consumers str g
xinfo groups nokey
xinfo foo s
xinfo help
xinfo groups s x
xinfo consumers s
xinfo stream s
xinfo groups s
xinfo stream nokey
xgroup create s g3 0-5 entriesread 7
xinfo groups s
xadd s 5-1 e 5
xinfo groups s
xreadgroup group g3 x noack streams s >
xinfo groups s
xtrim s maxlen 1
xinfo groups s
xgroup create s g4 0
xinfo groups s
xreadgroup group g4 x count 1 streams s >
xinfo groups s
xinfo stream s
del q
xadd q 1 a 1
xadd q 2 a 1
xadd q 3 a 1
xadd q 4 a 1
xadd q 5 a 1
xadd q 6 a 1
xadd q 7 a 1
xadd q 8 a 1
xadd q 9 a 1
xadd q 10 a 1
xadd q 11 a 1
xadd q 12 a 1
xadd q 13 a 1
xgroup create q g 0
xreadgroup group g c streams q >
xautoclaim q g x 100000000 0 count 1
xautoclaim q g x 100000000 0 count 2 justid
xautoclaim q g x 100000000 (1-0 count 1 justid
xdel q 2-0 3-0 12-0
xautoclaim q g x 100000000 0 count 1
xautoclaim q g x 100000000 0 count 5
xautoclaim q g x 0 11-0 count 5
xclaim q g y 0 1-0 2-0 5 justid
xgroup delconsumer q g c
xpending q g
xinfo groups q
del w
xadd w 1 a 1
xgroup create w g 0
xreadgroup group g c streams w >
xautoclaim w g newbie 100000000 0
xinfo groups w
xclaim w g newbie2 100000000 1-0
xinfo groups w
xdel w 1-0
xautoclaim w g newbie3 0 0
xinfo groups w
`

// streamGroupLagScript exercises entries-read and lag (XINFO GROUPS) with
// tombstones, trims and several nodes, and radix-tree-keys/-nodes.
const streamGroupLagScript = `
flushall
config set stream-node-max-entries 2
xadd s 1-1 a 1
xadd s 2-1 a 1
xadd s 3-1 a 1
xinfo stream s
xadd s 4-1 a 1
xadd s 5-1 a 1
xadd s 6-1 a 1
xadd s 7-1 a 1
xadd s 300-1 a 1
xadd s 301-1 a 1
xadd s 70000-1 a 1
xadd s 70000-2 a 1
xadd s 70000-3 a 1
xadd s 18446744073709551614-0 a 1
xinfo stream s
xgroup create s g0 0
xgroup create s gmid 4-1
xgroup create s gmid2 4-1 entriesread 4
xgroup create s gend $
xgroup create s gfut 99999999999999999-0
xinfo groups s
xdel s 5-1
xinfo groups s
xinfo stream s
xreadgroup group g0 c count 3 streams s >
xinfo groups s
xreadgroup group gmid c count 3 streams s >
xinfo groups s
xreadgroup group gmid2 c count 3 streams s >
xinfo groups s
xdel s 1-1 2-1
xinfo groups s
xinfo stream s
xtrim s maxlen 3
xinfo groups s
xinfo stream s
xreadgroup group g0 c streams s >
xinfo groups s
xdel s 70000-3 18446744073709551614-0
xinfo stream s
xinfo groups s
xtrim s maxlen 0
xinfo stream s
xinfo groups s
xgroup setid s g0 0 entriesread 0
xinfo groups s
xgroup setid s g0 $
xinfo groups s
xadd s 18446744073709551614-5 x y
xinfo groups s
xreadgroup group gfut c streams s >
xinfo groups s
xinfo stream s
del s
xadd t 1-1 a 1
xadd t 2-1 a 1
xadd t 3-1 a 1
xadd t 4-1 a 1
xgroup create t g 0
xdel t 3-1
xreadgroup group g c count 1 streams t >
xinfo groups t
xreadgroup group g c count 1 streams t >
xinfo groups t
xreadgroup group g c count 1 streams t >
xinfo groups t
xgroup create t g2 0
xdel t 1-1
xinfo groups t
xreadgroup group g2 c count 1 streams t >
xinfo groups t
xgroup create t g3 0
xtrim t minid 4-1
xinfo groups t
xreadgroup group g3 c count 1 streams t >
xinfo groups t
config set stream-node-max-entries 100
`

// streamGroupFullScript checks XINFO STREAM FULL; delivery and seen times
// (Unix ms) are masked since the two servers' clocks differ.
const streamGroupFullScript = `
xadd s 1-1 a 1 b 2
xadd s 2-1 a 1
xadd s 3-1 c 3
xgroup create s g 0
xgroup create s h $
xgroup createconsumer s g idle
xreadgroup group g c count 2 streams s >
xreadgroup group g d streams s >
xinfo stream s full
xinfo stream s full count 1
xinfo stream s full count 0
xinfo stream s full count -3
xdel s 1-1
xinfo stream s full count 1
`

var unixMsReply = regexp.MustCompile(`:1[0-9]{12}\r\n`)

func runDifferential(t *testing.T, script string, resp3 bool) {
	t.Helper()
	r := startRedis(t)
	f := dial(t, startServer(t))
	if resp3 {
		r.Do("HELLO", "3")
		f.Do("HELLO", "3")
	}
	for _, line := range strings.Split(script, "\n") {
		args := strings.Fields(line)
		if len(args) == 0 {
			continue
		}
		want, got := r.Do(args...), f.Do(args...)
		want, got = unixMsReply.ReplaceAllString(want, ":T\r\n"), unixMsReply.ReplaceAllString(got, ":T\r\n")
		if got != want {
			t.Errorf("%s:\n got  %q\n want %q", line, got, want)
		}
	}
}

func TestStreamGroupDifferential(t *testing.T) {
	for _, resp3 := range []bool{false, true} {
		runDifferential(t, streamGroupScript, resp3)
		runDifferential(t, streamGroupLagScript, resp3)
		runDifferential(t, streamGroupFullScript, resp3)
	}
}

// Reply builders for the expectations below.
func cgBulk(s string) string { return "$" + cgItoa(len(s)) + "\r\n" + s + "\r\n" }
func cgInt(n int64) string   { return ":" + cgItoa64(n) + "\r\n" }
func cgArr(items ...string) string {
	return "*" + cgItoa(len(items)) + "\r\n" + strings.Join(items, "")
}
func cgEntry(id string, fv ...string) string {
	parts := make([]string, len(fv))
	for i, x := range fv {
		parts[i] = cgBulk(x)
	}
	return cgArr(cgBulk(id), cgArr(parts...))
}
func cgItoa(n int) string     { return strconv.Itoa(n) }
func cgItoa64(n int64) string { return strconv.FormatInt(n, 10) }

// TestStreamGroupClock walks a group through reads, claims, autoclaims,
// a deleted entry and a NOACK read with an injected clock, checking the
// idle and delivery times replied and every command propagated.
func TestStreamGroupClock(t *testing.T) {
	e := newClockEnv(t, &feedRecorder{sep: " "})
	c := e.c
	const t0 = testEpoch
	ts := func(d int64) string { return cgItoa64(t0 + d) }
	for _, id := range []string{"1-1", "2-1", "3-1"} {
		c.expect(cgBulk(id), "XADD", "s", id, "f", "v")
	}
	c.expect("+OK\r\n", "XGROUP", "CREATE", "s", "g", "0")
	e.feeds.take()

	c.expect(cgArr(cgArr(cgBulk("s"), cgArr(cgEntry("1-1", "f", "v"), cgEntry("2-1", "f", "v")))),
		"XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "s", ">")
	e.expectFeed("0 MULTI",
		"0 XCLAIM s g alice 0 1-1 TIME "+ts(0)+" RETRYCOUNT 1 FORCE JUSTID LASTID 1-1",
		"0 XCLAIM s g alice 0 2-1 TIME "+ts(0)+" RETRYCOUNT 1 FORCE JUSTID LASTID 2-1",
		"0 EXEC")

	e.advance(1500 * time.Millisecond)
	c.expect(cgArr(cgInt(2), cgBulk("1-1"), cgBulk("2-1"), cgArr(cgArr(cgBulk("alice"), cgBulk("2")))), "XPENDING", "s", "g")
	c.expect(cgArr(cgArr(cgBulk("1-1"), cgBulk("alice"), cgInt(1500), cgInt(1)), cgArr(cgBulk("2-1"), cgBulk("alice"), cgInt(1500), cgInt(1))),
		"XPENDING", "s", "g", "-", "+", "10")
	c.expect(cgArr(cgArr(cgBulk("2-1"), cgBulk("alice"), cgInt(1500), cgInt(1))), "XPENDING", "s", "g", "IDLE", "1500", "(1-1", "+", "10", "alice")
	c.expect("*0\r\n", "XPENDING", "s", "g", "IDLE", "1501", "-", "+", "10")
	c.expect(cgArr(cgArr(cgBulk("name"), cgBulk("alice"), cgBulk("pending"), cgInt(2), cgBulk("idle"), cgInt(1500))), "XINFO", "CONSUMERS", "s", "g")

	c.expect(cgArr(cgEntry("1-1", "f", "v")), "XCLAIM", "s", "g", "bob", "1000", "1-1")
	e.expectFeed("0 XCLAIM s g bob 0 1-1 TIME " + ts(1500) + " RETRYCOUNT 2 FORCE JUSTID LASTID 2-1")
	c.expect(cgArr(cgEntry("2-1", "f", "v")), "XCLAIM", "s", "g", "bob", "1000", "2-1", "IDLE", "500")
	e.expectFeed("0 XCLAIM s g bob 0 2-1 TIME " + ts(1000) + " RETRYCOUNT 2 FORCE JUSTID LASTID 2-1")
	// Not idle enough: nothing claimed, and carol is not even created.
	c.expect("*0\r\n", "XCLAIM", "s", "g", "carol", "1000", "2-1")
	e.expectFeed()
	c.expect(cgArr(
		cgArr(cgBulk("name"), cgBulk("alice"), cgBulk("pending"), cgInt(0), cgBulk("idle"), cgInt(1500)),
		cgArr(cgBulk("name"), cgBulk("bob"), cgBulk("pending"), cgInt(2), cgBulk("idle"), cgInt(0))),
		"XINFO", "CONSUMERS", "s", "g")

	e.advance(2000 * time.Millisecond)
	c.expect(cgArr(cgBulk("2-1"), cgArr(cgEntry("1-1", "f", "v")), "*0\r\n"), "XAUTOCLAIM", "s", "g", "carol", "1000", "0", "COUNT", "1")
	e.expectFeed("0 XCLAIM s g carol 0 1-1 TIME " + ts(3500) + " RETRYCOUNT 3 FORCE JUSTID LASTID 2-1")
	c.expect(cgInt(1), "XDEL", "s", "2-1")
	e.feeds.take()
	// The deleted entry leaves the PEL (reported, and propagated as an
	// XCLAIM of its old NACK); JUSTID does not count a delivery.
	c.expect(cgArr(cgBulk("0-0"), cgArr(cgBulk("1-1")), cgArr(cgBulk("2-1"))), "XAUTOCLAIM", "s", "g", "carol", "0", "0", "JUSTID")
	e.expectFeed("0 MULTI",
		"0 XCLAIM s g carol 0 1-1 TIME "+ts(3500)+" RETRYCOUNT 3 FORCE JUSTID LASTID 2-1",
		"0 XCLAIM s g bob 0 2-1 TIME "+ts(1000)+" RETRYCOUNT 2 FORCE JUSTID LASTID 2-1",
		"0 EXEC")

	c.expect(cgArr(cgArr(cgBulk("s"), cgArr(cgEntry("3-1", "f", "v")))), "XREADGROUP", "GROUP", "g", "dave", "NOACK", "STREAMS", "s", ">")
	e.expectFeed("0 MULTI", "0 XGROUP CREATECONSUMER s g dave", "0 XGROUP SETID s g 3-1 ENTRIESREAD 3", "0 EXEC")
	// History reads count a delivery and propagate nothing.
	c.expect(cgArr(cgArr(cgBulk("s"), cgArr(cgEntry("1-1", "f", "v")))), "XREADGROUP", "GROUP", "g", "carol", "STREAMS", "s", "0")
	e.expectFeed()
	c.expect("*0\r\n", "XCLAIM", "s", "g", "carol", "0", "9-9", "LASTID", "5-0")
	e.expectFeed("0 XGROUP SETID s g 5-0 ENTRIESREAD 3")
	c.expect(cgInt(0), "XACK", "s", "g", "3-1")
	c.expect(cgInt(1), "XACK", "s", "g", "1-1", "1-1")
	e.expectFeed("0 XACK s g 1-1 1-1")
	c.expect(cgArr(cgEntry("1-1", "f", "v")), "XCLAIM", "s", "g", "erin", "0", "1-1", "FORCE", "TIME", ts(-5), "RETRYCOUNT", "9")
	e.expectFeed("0 XCLAIM s g erin 0 1-1 TIME " + ts(-5) + " RETRYCOUNT 9 FORCE JUSTID LASTID 5-0")

	consumer := func(name string, seen int64, pending ...string) string {
		return cgArr(cgBulk("name"), cgBulk(name), cgBulk("seen-time"), cgInt(t0+seen), cgBulk("pel-count"), cgInt(int64(len(pending))), cgBulk("pending"), cgArr(pending...))
	}
	want := cgArr(
		cgBulk("length"), cgInt(2),
		cgBulk("radix-tree-keys"), cgInt(1),
		cgBulk("radix-tree-nodes"), cgInt(2),
		cgBulk("last-generated-id"), cgBulk("3-1"),
		cgBulk("max-deleted-entry-id"), cgBulk("2-1"),
		cgBulk("entries-added"), cgInt(3),
		cgBulk("recorded-first-entry-id"), cgBulk("1-1"),
		cgBulk("entries"), cgArr(cgEntry("1-1", "f", "v"), cgEntry("3-1", "f", "v")),
		cgBulk("groups"), cgArr(cgArr(
			cgBulk("name"), cgBulk("g"),
			cgBulk("last-delivered-id"), cgBulk("5-0"),
			cgBulk("entries-read"), cgInt(3),
			cgBulk("lag"), cgInt(0),
			cgBulk("pel-count"), cgInt(1),
			cgBulk("pending"), cgArr(cgArr(cgBulk("1-1"), cgBulk("erin"), cgInt(t0-5), cgInt(9))),
			cgBulk("consumers"), cgArr(
				consumer("alice", 0),
				consumer("bob", 1500),
				consumer("carol", 3500),
				consumer("dave", 3500),
				consumer("erin", 3500, cgArr(cgBulk("1-1"), cgInt(t0-5), cgInt(9))),
			))))
	c.expect(want, "XINFO", "STREAM", "s", "FULL")

	// RESP3: XREADGROUP answers a map, XPENDING's empty summary nulls.
	c.Do("HELLO", "3")
	c.expect("%1\r\n"+cgBulk("s")+cgArr(cgEntry("1-1", "f", "v")), "XREADGROUP", "GROUP", "g", "erin", "STREAMS", "s", "0")
	c.expect(cgInt(1), "XACK", "s", "g", "1-1")
	c.expect(cgArr(cgInt(0), "_\r\n", "_\r\n", "_\r\n"), "XPENDING", "s", "g")
	c.expect("_\r\n", "XREADGROUP", "GROUP", "g", "erin", "STREAMS", "s", ">")
}

// TestXreadgroupBlocking covers a blocked XREADGROUP: served by XADD (and
// then propagating its XCLAIM), ended by the group's destruction or the
// key's deletion or overwrite with Redis 7.0's errors, and timing out.
func TestXreadgroupBlocking(t *testing.T) {
	feeds := &feedRecorder{sep: " "}
	s := startServer(t)
	s.AddFeeder(feeds)
	a, b := dial(t, s), dial(t, s)
	b.expect("+OK\r\n", "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")

	a.Send("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">")
	waitBlockedClients(t, s, 1)
	// A history read never blocks; other groups and keys do not wake a.
	b.expect(cgArr(cgArr(cgBulk("s"), "*0\r\n")), "XREADGROUP", "GROUP", "g", "bob", "BLOCK", "0", "STREAMS", "s", "0")
	feeds.take()
	b.expect(cgBulk("1-1"), "XADD", "s", "1-1", "f", "v")
	if got, want := a.Read(), cgArr(cgArr(cgBulk("s"), cgArr(cgEntry("1-1", "f", "v")))); got != want {
		t.Fatalf("served: got %q want %q", got, want)
	}
	if got := strings.Join(feeds.take(), "\n"); !strings.Contains(got, "0 XADD s 1-1 f v\n") || !strings.Contains(got, "0 XCLAIM s g alice 0 1-1 TIME ") {
		t.Errorf("propagated %q", got)
	}
	b.expect(cgArr(cgInt(1), cgBulk("1-1"), cgBulk("1-1"), cgArr(cgArr(cgBulk("alice"), cgBulk("1")))), "XPENDING", "s", "g")

	a.Send("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">")
	waitBlockedClients(t, s, 1)
	b.expect(cgInt(1), "XGROUP", "DESTROY", "s", "g")
	if got := a.Read(); got != "-NOGROUP the consumer group this client was blocked on no longer exists\r\n" {
		t.Fatalf("destroyed group: %q", got)
	}

	for _, kill := range [][]string{{"DEL", "s"}, {"SET", "s", "x"}, {"RENAME", "s", "s2"}, {"SWAPDB", "0", "1"}, {"FLUSHALL"}} {
		b.Do("DEL", "s", "s2")
		b.expect("+OK\r\n", "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
		a.Send("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">")
		waitBlockedClients(t, s, 1)
		b.Do(kill...)
		if got := a.Read(); got != "-UNBLOCKED the stream key no longer exists\r\n" {
			t.Fatalf("%v: %q", kill, got)
		}
	}

	// SWAPDB brings in a stream without the reader's group.
	b.Do("FLUSHALL")
	b.expect("+OK\r\n", "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
	b.Do("SELECT", "1")
	b.expect("+OK\r\n", "XGROUP", "CREATE", "s", "other", "$", "MKSTREAM")
	b.Do("SELECT", "0")
	a.Send("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">")
	waitBlockedClients(t, s, 1)
	b.expect("+OK\r\n", "SWAPDB", "0", "1")
	if got := a.Read(); got != "-NOGROUP the consumer group this client was blocked on no longer exists\r\n" {
		t.Fatalf("swapdb: %q", got)
	}

	b.Do("DEL", "s", "s2")
	b.expect("+OK\r\n", "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM")
	a.expect("*-1\r\n", "XREADGROUP", "GROUP", "g", "alice", "BLOCK", "10", "STREAMS", "s", ">")
	// Inside MULTI a blocking read answers at once.
	a.expect("+OK\r\n", "MULTI")
	a.expect("+QUEUED\r\n", "XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">")
	a.expect("*1\r\n*-1\r\n", "EXEC")
}

// TestStreamGroupRandomDifferential sends the same random stream of group
// commands to redis-server and Ferrite and compares every reply. Only
// clock-free replies are used (min-idle 0, no idle fields).
func TestStreamGroupRandomDifferential(t *testing.T) {
	seed := time.Now().UnixNano()
	if v := os.Getenv("SEED"); v != "" {
		seed, _ = strconv.ParseInt(v, 10, 64)
	}
	t.Logf("SEED=%d", seed)
	rng := rand.New(rand.NewSource(seed))
	r := startRedis(t)
	f := dial(t, startServer(t))
	r.Do("CONFIG", "SET", "stream-node-max-entries", "4")
	f.Do("CONFIG", "SET", "stream-node-max-entries", "4")
	id := func() string {
		return strconv.Itoa(rng.Intn(60)) + "-" + strconv.Itoa(rng.Intn(3))
	}
	groups := []string{"g1", "g2"}
	cons := []string{"a", "b", "c"}
	pick := func(xs []string) string { return xs[rng.Intn(len(xs))] }
	var history []string
	for step := 0; step < 3000; step++ {
		var args []string
		switch rng.Intn(14) {
		case 0, 1:
			args = []string{"XADD", "s", strconv.Itoa(step/10+1) + "-" + strconv.Itoa(step%10), "f", strconv.Itoa(step)}
		case 2:
			args = []string{"XGROUP", "CREATE", "s", pick(groups), pick([]string{"0", "$", id()}), "MKSTREAM"}
		case 3, 4:
			args = []string{"XREADGROUP", "GROUP", pick(groups), pick(cons), "COUNT", strconv.Itoa(rng.Intn(4)), "STREAMS", "s", ">"}
			if rng.Intn(4) == 0 {
				args = append(args[:4], append([]string{"NOACK"}, args[4:]...)...)
			}
		case 5:
			args = []string{"XREADGROUP", "GROUP", pick(groups), pick(cons), "COUNT", strconv.Itoa(rng.Intn(4)), "STREAMS", "s", id()}
		case 6:
			args = []string{"XACK", "s", pick(groups), id(), id()}
		case 7:
			args = []string{"XCLAIM", "s", pick(groups), pick(cons), "0", id(), id()}
			if rng.Intn(2) == 0 {
				args = append(args, "JUSTID")
			}
			if rng.Intn(3) == 0 {
				args = append(args, "FORCE")
			}
		case 8:
			args = []string{"XAUTOCLAIM", "s", pick(groups), pick(cons), "0", pick([]string{"0", id()}), "COUNT", strconv.Itoa(rng.Intn(4) + 1)}
		case 9:
			args = []string{"XDEL", "s", id()}
		case 10:
			if rng.Intn(4) == 0 {
				args = []string{"XTRIM", "s", "MAXLEN", strconv.Itoa(rng.Intn(20))}
			} else {
				args = []string{"XGROUP", "SETID", "s", pick(groups), pick([]string{"0", "$", id()})}
			}
		case 11:
			args = []string{"XPENDING", "s", pick(groups)}
		case 12:
			args = []string{"XINFO", "GROUPS", "s"}
		default:
			switch rng.Intn(3) {
			case 0:
				args = []string{"XGROUP", "DELCONSUMER", "s", pick(groups), pick(cons)}
			case 1:
				args = []string{"XGROUP", "DESTROY", "s", pick(groups)}
			default:
				args = []string{"XINFO", "STREAM", "s"}
			}
		}
		history = append(history, strings.Join(args, " "))
		if want, got := r.Do(args...), f.Do(args...); got != want {
			t.Fatalf("step %d: %s\n got  %q\n want %q\nlast commands:\n  %s", step, strings.Join(args, " "), got, want,
				strings.Join(history[max(0, len(history)-15):], "\n  "))
		}
	}
}
