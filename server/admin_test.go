package server

import (
	"bytes"
	"log"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"ferrite/datatypes"
)

// Expected replies below were recorded from redis-server 7.0.15.

func TestTimeAndLastsave(t *testing.T) {
	s := startServer(t)
	c := dial(t, s)
	r := c.Do("TIME")
	m := regexp.MustCompile(`^\*2\r\n\$10\r\n(\d{10})\r\n\$\d\r\n(\d{1,6})\r\n$`).FindStringSubmatch(r)
	if m == nil {
		t.Fatalf("TIME: %q", r)
	}
	if sec, _ := strconv.ParseInt(m[1], 10, 64); sec < time.Now().Unix()-5 || sec > time.Now().Unix()+5 {
		t.Errorf("TIME seconds %d far from now", sec)
	}
	c.expect("-ERR wrong number of arguments for 'time' command\r\n", "TIME", "x")
	c.expect(":"+strconv.FormatInt(s.lastSave.Unix(), 10)+"\r\n", "LASTSAVE")
	c.expect("-ERR wrong number of arguments for 'lastsave' command\r\n", "LASTSAVE", "x")
}

func TestShutdown(t *testing.T) {
	s := startServer(t)
	c := dial(t, s)
	for _, args := range [][]string{{"foo"}, {"NOSAVE", "SAVE"}, {"save", "nosave"}, {"now", "abort"}, {"force", "abort"}, {"nosave", "abort"}} {
		c.expect("-ERR syntax error\r\n", append([]string{"SHUTDOWN"}, args...)...)
	}
	c.expect("-ERR No shutdown in progress.\r\n", "SHUTDOWN", "ABORT")
	c.expect("-ERR No shutdown in progress.\r\n", "SHUTDOWN", "abort", "abort")
	other := dial(t, s)
	other.expect("+PONG\r\n", "PING")

	c.Send("SHUTDOWN", "NOSAVE", "NOW")
	expectClosed(t, c) // no reply: the connection just closes
	select {
	case <-s.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("Done not closed after SHUTDOWN")
	}
	expectClosed(t, other)
}

var slowlogHelpReply = "*12\r\n+SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+GET [<count>]\r\n+    Return top <count> entries from the slowlog (default: 10, -1 mean all).\r\n+    Entries are made of:\r\n+    id, timestamp, time in microseconds, arguments array, client IP and port,\r\n+    client name\r\n+LEN\r\n+    Return the length of the slowlog.\r\n+RESET\r\n+    Reset the slowlog.\r\n+HELP\r\n+    Prints this help.\r\n"

func TestSlowlog(t *testing.T) {
	s := startServer(t, func(cfg *Config) { cfg.SlowlogLogSlowerThan = 0 })
	c := dial(t, s)
	c.expect(slowlogHelpReply, "SLOWLOG", "HELP")
	c.expect("-ERR wrong number of arguments for 'slowlog' command\r\n", "SLOWLOG")
	c.expect("-ERR unknown subcommand 'foo'. Try SLOWLOG HELP.\r\n", "SLOWLOG", "foo")
	c.expect("-ERR count should be greater than or equal to -1\r\n", "SLOWLOG", "GET", "abc")
	c.expect("-ERR count should be greater than or equal to -1\r\n", "SLOWLOG", "GET", "-2")
	c.expect("-ERR count should be greater than or equal to -1\r\n", "SLOWLOG", "GET", "9223372036854775808")
	c.expect("-ERR unknown subcommand or wrong number of arguments for 'GET'. Try SLOWLOG HELP.\r\n", "SLOWLOG", "GET", "1", "2")
	c.expect("-ERR wrong number of arguments for 'slowlog|len' command\r\n", "SLOWLOG", "LEN", "x")
	c.expect("+OK\r\n", "SLOWLOG", "RESET")
	c.expect(":1\r\n", "SLOWLOG", "LEN") // RESET itself is logged after it ran...
	c.expect(":2\r\n", "SLOWLOG", "LEN") // ...and so is LEN
	c.expect("*0\r\n", "SLOWLOG", "GET", "0")

	c.expect("+OK\r\n", "SET", "a", "b")
	c.expect("+OK\r\n", "CLIENT", "SETNAME", "nm")
	c.expect("-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?\r\n", "AUTH", "pw")
	peer := c.conn.LocalAddr().String()
	r := c.Do("SLOWLOG", "GET", "3")
	re := regexp.MustCompile(`^\*3\r\n` +
		`\*6\r\n:(\d+)\r\n:\d+\r\n:\d+\r\n\*2\r\n\$4\r\nAUTH\r\n\$10\r\n\(redacted\)\r\n\$\d+\r\n` + regexp.QuoteMeta(peer) + `\r\n\$2\r\nnm\r\n` +
		`\*6\r\n:\d+\r\n:\d+\r\n:\d+\r\n\*3\r\n\$6\r\nCLIENT\r\n\$7\r\nSETNAME\r\n\$2\r\nnm\r\n\$\d+\r\n` + regexp.QuoteMeta(peer) + `\r\n\$2\r\nnm\r\n` +
		`\*6\r\n:\d+\r\n:\d+\r\n:\d+\r\n\*3\r\n\$3\r\nSET\r\n\$1\r\na\r\n\$1\r\nb\r\n\$\d+\r\n` + regexp.QuoteMeta(peer) + `\r\n\$0\r\n\r\n$`)
	if !re.MatchString(r) {
		t.Errorf("SLOWLOG GET 3: %q", r)
	}

	// Long arguments and argument lists are cut as Redis cuts them.
	args := []string{"ECHO", strings.Repeat("x", 130)}
	c.Do(args...)
	r = c.Do("SLOWLOG", "GET", "1")
	if !strings.Contains(r, "$146\r\n"+strings.Repeat("x", 128)+"... (2 more bytes)\r\n") {
		t.Errorf("long argument: %q", r)
	}
	many := []string{"DEL"}
	for i := 0; i < 40; i++ {
		many = append(many, "k"+strconv.Itoa(i))
	}
	c.Do(many...)
	r = c.Do("SLOWLOG", "GET", "1")
	if !strings.Contains(r, "*32\r\n$3\r\nDEL\r\n") || !strings.Contains(r, "$23\r\n... (10 more arguments)\r\n") {
		t.Errorf("long argument list: %q", r)
	}

	// -1 is all; slowlog-max-len bounds the log.
	if r := c.Do("SLOWLOG", "GET", "-1"); !strings.HasPrefix(r, "*12\r\n") {
		t.Errorf("SLOWLOG GET -1: %.40q", r)
	}
	s.mu.Lock()
	s.cfg.SlowlogMaxLen = 3
	s.mu.Unlock()
	c.Do("PING")
	c.expect(":3\r\n", "SLOWLOG", "LEN")
}

var latencyHelpReply = "*17\r\n+LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+DOCTOR\r\n+    Return a human readable latency analysis report.\r\n+GRAPH <event>\r\n+    Return an ASCII latency graph for the <event> class.\r\n+HISTORY <event>\r\n+    Return time-latency samples for the <event> class.\r\n+LATEST\r\n+    Return the latest latency samples for all events.\r\n+RESET [<event> ...]\r\n+    Reset latency data of one or more <event> classes.\r\n+    (default: reset all data for all event classes)\r\n+HISTOGRAM [COMMAND ...]\r\n+    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.\r\n+    If no commands are specified then all histograms are replied.\r\n+HELP\r\n+    Prints this help.\r\n"

const latencyDisabledReply = "$288\r\nI'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n\r\n"

func TestLatency(t *testing.T) {
	s := startServer(t, func(cfg *Config) { cfg.EnableDebugCommand = "yes" })
	c := dial(t, s)
	c.expect(latencyHelpReply, "LATENCY", "HELP")
	c.expect("*0\r\n", "LATENCY", "LATEST")
	c.expect("*0\r\n", "LATENCY", "HISTORY", "command")
	c.expect(":0\r\n", "LATENCY", "RESET")
	c.expect("-ERR No samples available for event 'command'\r\n", "LATENCY", "GRAPH", "command")
	c.expect("-ERR wrong number of arguments for 'latency|history' command\r\n", "LATENCY", "HISTORY")
	c.expect("-ERR unknown subcommand 'foo'. Try LATENCY HELP.\r\n", "LATENCY", "foo")
	c.expect(latencyDisabledReply, "LATENCY", "DOCTOR")

	s.mu.Lock()
	s.cfg.LatencyMonitorThreshold = 1
	s.mu.Unlock()
	c.expect("+OK\r\n", "DEBUG", "SLEEP", "0.02")
	r := c.Do("LATENCY", "LATEST")
	m := regexp.MustCompile(`^\*1\r\n\*4\r\n\$7\r\ncommand\r\n:(\d+)\r\n:(\d+)\r\n:(\d+)\r\n$`).FindStringSubmatch(r)
	if m == nil {
		t.Fatalf("LATENCY LATEST: %q", r)
	}
	if ms, _ := strconv.Atoi(m[2]); ms < 20 {
		t.Errorf("latest sample %dms, want >= 20", ms)
	}
	if r := c.Do("LATENCY", "HISTORY", "command"); !regexp.MustCompile(`^\*1\r\n\*2\r\n:\d+\r\n:\d+\r\n$`).MatchString(r) {
		t.Errorf("LATENCY HISTORY: %q", r)
	}
	// One sample, as redis-server draws it: at the bottom, labelled with
	// its age in seconds.
	graph := c.Do("LATENCY", "GRAPH", "command")
	if !regexp.MustCompile(`^\$149\r\ncommand - high (\d\d) ms, low \d\d ms \(all time high \d\d ms\)\n-{80}\n \n \n \n_\n \n\d\ns\n\r\n$`).MatchString(graph) {
		t.Errorf("LATENCY GRAPH: %q", graph)
	}
	doc := c.Do("LATENCY", "DOCTOR")
	if !strings.Contains(doc, "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n1. command: 1 latency spikes (average ") ||
		!strings.Contains(doc, "- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than 1000'.\n") {
		t.Errorf("LATENCY DOCTOR: %q", doc)
	}
	c.expect(":1\r\n", "LATENCY", "RESET", "COMMAND", "nosuch")
	c.expect("*0\r\n", "LATENCY", "LATEST")

	// HISTOGRAM: a map of command -> {calls, histogram_usec}.
	c.Do("SET", "a", "1")
	c.Do("SET", "a", "2")
	r = c.Do("LATENCY", "HISTOGRAM", "set", "nosuch", "client|id")
	if !regexp.MustCompile(`^\*2\r\n\$3\r\nset\r\n\*4\r\n\$5\r\ncalls\r\n:2\r\n\$14\r\nhistogram_usec\r\n\*(\d+)\r\n(:\d+\r\n)+$`).MatchString(r) {
		t.Errorf("LATENCY HISTOGRAM set: %q", r)
	}
	c.Do("HELLO", "3")
	r = c.Do("LATENCY", "HISTOGRAM", "SET")
	if !regexp.MustCompile(`^%1\r\n\$3\r\nset\r\n%2\r\n\$5\r\ncalls\r\n:2\r\n\$14\r\nhistogram_usec\r\n%\d+\r\n(:\d+\r\n:[12]\r\n)+$`).MatchString(r) {
		t.Errorf("LATENCY HISTOGRAM in RESP3: %q", r)
	}
}

func TestHistogramPowersOfTwo(t *testing.T) {
	var h histogram
	for _, d := range []time.Duration{500, 1500, 1800, 3 * time.Microsecond, 30 * time.Microsecond, 2 * time.Millisecond} {
		h.record(d)
	}
	var got []int64
	h.eachPowerOfTwo(func(usec int64, n uint64) { got = append(got, usec, int64(n)) })
	// Labels as redis-server reports them: 1, 2, 4, 8, 16, 33, ... 2113.
	want := []int64{1, 1, 2, 3, 4, 4, 33, 5, 2113, 6}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
}

var memoryHelpReply = "*14\r\n+MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+DOCTOR\r\n+    Return memory problems reports.\r\n+MALLOC-STATS\r\n+    Return internal statistics report from the memory allocator.\r\n+PURGE\r\n+    Attempt to purge dirty pages for reclamation by the allocator.\r\n+STATS\r\n+    Return information about the memory usage of the server.\r\n+USAGE <key> [SAMPLES <count>]\r\n+    Return memory in bytes used by <key> and its value. Nested values are\r\n+    sampled up to <count> times (default: 5, 0 means sample all).\r\n+HELP\r\n+    Prints this help.\r\n"

func TestMemory(t *testing.T) {
	s := startServer(t)
	c := dial(t, s)
	c.expect(memoryHelpReply, "MEMORY", "HELP")
	c.expect("-ERR wrong number of arguments for 'memory|usage' command\r\n", "MEMORY", "USAGE")
	c.expect("-ERR unknown subcommand 'foo'. Try MEMORY HELP.\r\n", "MEMORY", "foo")
	c.expect("$-1\r\n", "MEMORY", "USAGE", "nokey")
	c.expect("+OK\r\n", "SET", "s", "hello")
	c.expect("+OK\r\n", "SET", "big", strings.Repeat("v", 1000))
	c.expect("-ERR syntax error\r\n", "MEMORY", "USAGE", "s", "SAMPLES")
	c.expect("-ERR value is not an integer or out of range\r\n", "MEMORY", "USAGE", "s", "SAMPLES", "abc")
	c.expect("-ERR syntax error\r\n", "MEMORY", "USAGE", "s", "SAMPLES", "-1")
	c.expect("-ERR syntax error\r\n", "MEMORY", "USAGE", "s", "foo", "1")
	c.expect("-ERR syntax error\r\n", "MEMORY", "USAGE", "s", "samples", "5", "foo")
	small := c.Do("MEMORY", "USAGE", "s", "SAMPLES", "0")
	large := c.Do("MEMORY", "USAGE", "big", "samples", "5", "SAMPLES", "6")
	n1, _ := strconv.Atoi(strings.Trim(small, ":\r\n"))
	n2, _ := strconv.Atoi(strings.Trim(large, ":\r\n"))
	if n1 < 64 || n2 < n1+1000 {
		t.Errorf("MEMORY USAGE: %d for a 5-byte string, %d for a 1000-byte one", n1, n2)
	}

	stats := c.Do("MEMORY", "STATS")
	want := []string{"peak.allocated", "total.allocated", "startup.allocated", "replication.backlog",
		"clients.slaves", "clients.normal", "cluster.links", "aof.buffer", "lua.caches", "functions.caches",
		"db.0", "overhead.hashtable.main", "overhead.hashtable.expires", "overhead.hashtable.slot-to-keys",
		"overhead.total", "keys.count", "keys.bytes-per-key", "dataset.bytes", "dataset.percentage",
		"peak.percentage", "allocator.allocated", "allocator.active", "allocator.resident",
		"allocator-fragmentation.ratio", "allocator-fragmentation.bytes", "allocator-rss.ratio",
		"allocator-rss.bytes", "rss-overhead.ratio", "rss-overhead.bytes", "fragmentation", "fragmentation.bytes"}
	if !strings.HasPrefix(stats, "*56\r\n") {
		t.Errorf("MEMORY STATS: %.20q, want 28 pairs", stats)
	}
	at := 0
	for _, name := range want {
		i := strings.Index(stats[at:], "\r\n"+name+"\r\n")
		if i < 0 {
			t.Fatalf("MEMORY STATS lacks %s (or has it out of order): %q", name, stats)
		}
		at += i + 1
	}
	if !strings.Contains(stats, "$10\r\nkeys.count\r\n:2\r\n") {
		t.Errorf("keys.count: %q", stats)
	}

	doc := c.Do("MEMORY", "DOCTOR")
	if !strings.Contains(doc, "Hi Sam, ") && !strings.Contains(doc, "Sam, I detected a few issues") {
		t.Errorf("MEMORY DOCTOR: %q", doc)
	}
	if r := c.Do("MEMORY", "MALLOC-STATS"); !strings.Contains(r, "/memory/classes/heap/objects:bytes: ") {
		t.Errorf("MEMORY MALLOC-STATS: %.200q", r)
	}
	c.expect("+OK\r\n", "MEMORY", "PURGE")
	c.expect("-ERR wrong number of arguments for 'memory|doctor' command\r\n", "MEMORY", "DOCTOR", "x")
}

func TestAllocSize(t *testing.T) {
	for _, tc := range [][2]int64{{0, 0}, {1, 8}, {8, 8}, {9, 16}, {25, 32}, {1000, 1024}, {32768, 32768}, {32769, 40960}} {
		if got := allocSize(tc[0]); got != tc[1] {
			t.Errorf("allocSize(%d) = %d, want %d", tc[0], got, tc[1])
		}
	}
	if bytesToHuman(100) != "100B" || bytesToHuman(1536) != "1.50K" || bytesToHuman(3<<20) != "3.00M" || bytesToHuman(5<<30) != "5.00G" {
		t.Error("bytesToHuman")
	}
}

func TestLatencyGraphShape(t *testing.T) {
	// Two samples, 50ms two seconds ago and 20ms one second ago: the
	// graph redis-server 7.0.15 drew for them.
	s := &Server{now: func() time.Time { return time.Unix(1000, 0) }}
	ev := &latencyEvent{samples: []latencySample{{998, 50}, {999, 20}}, max: 50}
	want := "command - high 50 ms, low 20 ms (all time high 50 ms)\n" + strings.Repeat("-", 80) + "\n" +
		"# \n| \n| \n|_\n  \n21\nss\n"
	if got := string(s.latencyGraph("command", ev)); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// loglevel filters the server's log as Redis's serverLog does: messages
// below the level are dropped, and CONFIG SET takes effect at once.
func TestLogLevelFilters(t *testing.T) {
	s := startServer(t)
	var buf safeBuffer
	s.SetLogger(log.New(&buf, "", 0))
	c := dial(t, s)
	c.expect("+OK\r\n", "CONFIG", "SET", "loglevel", "warning")
	s.logf("*", "notice-level line")
	s.logf("#", "warning-level line")
	c.expect("+OK\r\n", "CONFIG", "SET", "loglevel", "notice")
	s.logf("*", "notice again")
	out := buf.String()
	if strings.Contains(out, "notice-level line") || !strings.Contains(out, "warning-level line") || !strings.Contains(out, "notice again") {
		t.Errorf("log with loglevel warning then notice:\n%s", out)
	}
}

// safeBuffer is a bytes.Buffer the server's goroutines may log to while
// the test reads it.
type safeBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *safeBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *safeBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// activerehashing no leaves rehashing to the commands, as in Redis.
func TestActiveRehashingOff(t *testing.T) {
	s := startServer(t, func(c *Config) { c.ActiveRehashing = false })
	s.mu.Lock()
	defer s.mu.Unlock()
	db := s.dbs[0]
	for i := 0; !db.Keys.IsRehashing(); i++ {
		db.Keys.Set("k"+strconv.Itoa(i), datatypes.NewInt(int64(i)))
		if i > 1<<16 {
			t.Fatal("the keyspace never started a rehash")
		}
	}
	s.databasesCron()
	if !db.Keys.IsRehashing() {
		t.Error("activerehashing no: the cron finished the rehash")
	}
	s.cfg.ActiveRehashing = true
	s.databasesCron()
	if db.Keys.IsRehashing() {
		t.Error("activerehashing yes: the cron left the rehash unfinished")
	}
}
