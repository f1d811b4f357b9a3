package server

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"ferrite/datatypes"
)

// The slow log (SLOWLOG) and the latency monitor (LATENCY): what call()
// records after every command, and the commands that read it back.

// slowlog keeps the last slowlog-max-len commands that took at least
// slowlog-log-slower-than microseconds, as Redis's slowlog.c.
type slowlog struct {
	entries []slowlogEntry // oldest first
	nextID  int64
}

type slowlogEntry struct {
	id   int64
	time int64 // unix seconds
	usec int64
	argv []string
	peer string
	name string
}

// Redis's limits on what one entry keeps.
const (
	slowlogMaxArgc   = 32
	slowlogMaxArgLen = 128
)

func (l *slowlog) init() { l.entries = nil }

// slowlogPush records c's command if it was slow enough. Called after the
// command ran, so CLIENT SETNAME shows the new name, as in Redis.
func (s *Server) slowlogPush(c *client, usec int64) {
	thr := s.cfg.SlowlogLogSlowerThan
	if thr < 0 || usec < thr {
		return
	}
	argv := c.argv
	n := min(len(argv), slowlogMaxArgc)
	e := slowlogEntry{id: s.slowlog.nextID, time: s.now().Unix(), usec: usec, peer: c.raddr, name: c.name}
	s.slowlog.nextID++
	redacted := redactedArgs(argv)
	e.argv = make([]string, 0, n)
	for i := 0; i < n; i++ {
		if i == slowlogMaxArgc-1 && len(argv) > slowlogMaxArgc {
			e.argv = append(e.argv, "... ("+strconv.Itoa(len(argv)-slowlogMaxArgc+1)+" more arguments)")
			break
		}
		a := argv[i]
		switch {
		case len(redacted) > 0 && redacted[i]:
			e.argv = append(e.argv, "(redacted)")
		case len(a) > slowlogMaxArgLen:
			e.argv = append(e.argv, string(a[:slowlogMaxArgLen])+"... ("+strconv.Itoa(len(a)-slowlogMaxArgLen)+" more bytes)")
		default:
			e.argv = append(e.argv, string(a))
		}
	}
	s.slowlog.entries = append(s.slowlog.entries, e)
	s.slowlog.trim(s.cfg.SlowlogMaxLen)
}

// trim drops the oldest entries beyond max (slowlog-max-len may shrink at
// any time through CONFIG SET).
func (l *slowlog) trim(max int64) {
	if extra := int64(len(l.entries)) - max; extra > 0 {
		// Copy down rather than reslice so the backing array does not
		// keep growing at its front.
		n := copy(l.entries, l.entries[extra:])
		clear(l.entries[n:])
		l.entries = l.entries[:n]
	}
}

// latencyMonitor keeps, per event, the latency samples that reached
// latency-monitor-threshold, as Redis's latency.c: one sample per second
// (the worst of that second) and at most latencyTSLen of them.
type latencyMonitor struct {
	events map[string]*latencyEvent
}

type latencyEvent struct {
	samples []latencySample // oldest first, at most latencyTSLen
	max     int64           // ms, all time
}

type latencySample struct {
	time int64 // unix seconds
	ms   int64
}

const latencyTSLen = 160

// latencyEventOf names the event a command's latency is recorded under,
// as Redis's call(): fast commands have their own.
func latencyEventOf(cmd *Command) string {
	if cmd.has(cmdFast) {
		return "fast-command"
	}
	return "command"
}

// latencyAddSampleIfNeeded records an event lasting d when it reaches
// latency-monitor-threshold (0 disables monitoring).
func (s *Server) latencyAddSampleIfNeeded(event string, d time.Duration) {
	thr := s.cfg.LatencyMonitorThreshold
	ms := d.Milliseconds()
	if thr <= 0 || ms < thr {
		return
	}
	s.latencyAddSample(event, ms)
}

func (s *Server) latencyAddSample(event string, ms int64) {
	if s.latency.events == nil {
		s.latency.events = make(map[string]*latencyEvent)
	}
	ev := s.latency.events[event]
	if ev == nil {
		ev = &latencyEvent{}
		s.latency.events[event] = ev
	}
	if ms > ev.max {
		ev.max = ms
	}
	now := s.now().Unix()
	if n := len(ev.samples); n > 0 && ev.samples[n-1].time == now {
		ev.samples[n-1].ms = max(ev.samples[n-1].ms, ms)
		return
	}
	if len(ev.samples) == latencyTSLen {
		copy(ev.samples, ev.samples[1:])
		ev.samples = ev.samples[:latencyTSLen-1]
	}
	ev.samples = append(ev.samples, latencySample{now, ms})
}

// latencyEventNames returns the events with samples, by name (Redis walks
// a dict; a stable order is kinder to tests and humans).
func (s *Server) latencyEventNames() []string {
	names := make([]string, 0, len(s.latency.events))
	for name := range s.latency.events {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// latencyReset deletes the events matching name case-insensitively, or
// all of them for "", and returns how many it deleted.
func (s *Server) latencyReset(name string) int64 {
	var n int64
	for ev := range s.latency.events {
		if name == "" || strings.EqualFold(ev, name) {
			delete(s.latency.events, ev)
			n++
		}
	}
	return n
}

// latencyStats is Redis's analyzeLatencyForEvent: average, mean absolute
// deviation, min, max and the period the samples cover.
type latencyStats struct {
	allTimeHigh, avg, min, max, mad int64
	samples                         int
	period                          int64 // seconds
}

func (s *Server) analyzeLatency(ev *latencyEvent) latencyStats {
	ls := latencyStats{allTimeHigh: ev.max}
	var sum, oldest int64
	for _, smp := range ev.samples {
		ls.samples++
		if ls.samples == 1 {
			ls.min, ls.max = smp.ms, smp.ms
		} else {
			ls.min, ls.max = min(ls.min, smp.ms), max(ls.max, smp.ms)
		}
		sum += smp.ms
		if oldest == 0 || smp.time < oldest {
			oldest = smp.time
		}
	}
	if ls.samples == 0 {
		return ls
	}
	ls.avg = sum / int64(ls.samples)
	ls.period = max(s.now().Unix()-oldest, 1)
	var dev int64
	for _, smp := range ev.samples {
		d := ls.avg - smp.ms
		if d < 0 {
			d = -d
		}
		dev += d
	}
	ls.mad = dev / int64(ls.samples)
	return ls
}

// --- SLOWLOG ---

var slowlogHelp = []string{
	"GET [<count>]",
	"    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
	"    Entries are made of:",
	"    id, timestamp, time in microseconds, arguments array, client IP and port,",
	"    client name",
	"LEN",
	"    Return the length of the slowlog.",
	"RESET",
	"    Reset the slowlog.",
}

// SLOWLOG HELP
func slowlogHelpCommand(c *client) { c.addReplyHelp(slowlogHelp...) }

// SLOWLOG GET [count]
func slowlogGetCommand(c *client) {
	if len(c.argv) > 3 {
		c.addSubcommandSyntaxError()
		return
	}
	entries := c.srv.slowlog.entries
	count := int64(10)
	if len(c.argv) == 3 {
		n, ok := datatypes.ParseInt(c.argv[2])
		if !ok || n < -1 {
			c.addErrorString("ERR count should be greater than or equal to -1")
			return
		}
		count = n
		if n == -1 {
			count = int64(len(entries))
		}
	}
	count = min(count, int64(len(entries)))
	c.addArrayLen(int(count))
	for i := len(entries) - 1; i >= len(entries)-int(count); i-- {
		e := &entries[i]
		c.addArrayLen(6)
		c.addInt(e.id)
		c.addInt(e.time)
		c.addInt(e.usec)
		c.addBulks(e.argv...)
		c.addBulkString(e.peer)
		c.addBulkString(e.name)
	}
}

// SLOWLOG LEN
func slowlogLenCommand(c *client) { c.addInt(int64(len(c.srv.slowlog.entries))) }

// SLOWLOG RESET
func slowlogResetCommand(c *client) {
	c.srv.slowlog.entries = nil // ids keep counting, as in Redis
	c.addOK()
}

// --- LATENCY ---

var latencyHelp = []string{
	"DOCTOR",
	"    Return a human readable latency analysis report.",
	"GRAPH <event>",
	"    Return an ASCII latency graph for the <event> class.",
	"HISTORY <event>",
	"    Return time-latency samples for the <event> class.",
	"LATEST",
	"    Return the latest latency samples for all events.",
	"RESET [<event> ...]",
	"    Reset latency data of one or more <event> classes.",
	"    (default: reset all data for all event classes)",
	"HISTOGRAM [COMMAND ...]",
	"    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
	"    If no commands are specified then all histograms are replied.",
}

// LATENCY HELP
func latencyHelpCommand(c *client) { c.addReplyHelp(latencyHelp...) }

// LATENCY LATEST
func latencyLatestCommand(c *client) {
	s := c.srv
	names := s.latencyEventNames()
	c.addArrayLen(len(names))
	for _, name := range names {
		ev := s.latency.events[name]
		last := ev.samples[len(ev.samples)-1]
		c.addArrayLen(4)
		c.addBulkString(name)
		c.addInt(last.time)
		c.addInt(last.ms)
		c.addInt(ev.max)
	}
}

// LATENCY HISTORY event
func latencyHistoryCommand(c *client) {
	ev := c.srv.latency.events[string(c.argv[2])]
	if ev == nil {
		c.addArrayLen(0)
		return
	}
	c.addArrayLen(len(ev.samples))
	for _, smp := range ev.samples {
		c.addArrayLen(2)
		c.addInt(smp.time)
		c.addInt(smp.ms)
	}
}

// LATENCY RESET [event [event ...]]
func latencyResetCommand(c *client) {
	s := c.srv
	if len(c.argv) == 2 {
		c.addInt(s.latencyReset(""))
		return
	}
	var n int64
	for _, ev := range c.argv[2:] {
		n += s.latencyReset(string(ev))
	}
	c.addInt(n)
}

// LATENCY GRAPH event
func latencyGraphCommand(c *client) {
	name := string(c.argv[2])
	ev := c.srv.latency.events[name]
	if ev == nil {
		c.addErrorString("ERR No samples available for event '" + name + "'")
		return
	}
	c.addVerbatim(c.srv.latencyGraph(name, ev))
}

// latencyGraph is Redis's latencyCommandGenSparkeline: a title, a rule
// and an 80-column, 4-row sparkline labelled with how long ago each
// sample was taken.
func (s *Server) latencyGraph(name string, ev *latencyEvent) []byte {
	var seq sparkline
	var lo, hi int64
	now := s.now().Unix()
	for i, smp := range ev.samples {
		if i == 0 {
			lo, hi = smp.ms, smp.ms
		} else {
			lo, hi = min(lo, smp.ms), max(hi, smp.ms)
		}
		elapsed := now - smp.time
		var label string
		switch {
		case elapsed < 60:
			label = strconv.FormatInt(elapsed, 10) + "s"
		case elapsed < 3600:
			label = strconv.FormatInt(elapsed/60, 10) + "m"
		case elapsed < 3600*24:
			label = strconv.FormatInt(elapsed/3600, 10) + "h"
		default:
			label = strconv.FormatInt(elapsed/(3600*24), 10) + "d"
		}
		seq.add(float64(smp.ms), label)
	}
	b := []byte(name + " - high " + strconv.FormatInt(hi, 10) + " ms, low " + strconv.FormatInt(lo, 10) +
		" ms (all time high " + strconv.FormatInt(ev.max, 10) + " ms)\n")
	b = append(b, strings.Repeat("-", 80)...)
	b = append(b, '\n')
	return seq.render(b, 80, 4)
}

// sparkline is Redis's sparkline.c sequence, rendered with the fill
// charset as LATENCY GRAPH does.
type sparkline struct {
	values   []float64
	labels   []string
	min, max float64
	nlabels  int
}

func (sp *sparkline) add(v float64, label string) {
	if len(sp.values) == 0 {
		sp.min, sp.max = v, v
	} else if v < sp.min {
		sp.min = v
	} else if v > sp.max {
		sp.max = v
	}
	sp.values = append(sp.values, v)
	sp.labels = append(sp.labels, label)
	if label != "" {
		sp.nlabels++
	}
}

func (sp *sparkline) render(out []byte, columns, rows int) []byte {
	for j := 0; j < len(sp.values); j += columns {
		if j != 0 {
			out = append(out, '\n')
		}
		out = sp.renderRange(out, rows, j, min(len(sp.values)-j, columns))
	}
	return out
}

func (sp *sparkline) renderRange(out []byte, rows, offset, n int) []byte {
	const charset = "_o#"
	const labelMarginTop = 1
	relmax := sp.max - sp.min
	if relmax == 0 {
		relmax = 1
	}
	steps := len(charset) * rows
	chars := make([]byte, n)
	for row := 0; ; row++ {
		loop := false
		for j := range chars {
			chars[j] = ' '
		}
		for j := 0; j < n; j++ {
			v := sp.values[j+offset]
			step := int((v - sp.min) * float64(steps) / relmax)
			step = max(min(step, steps-1), 0)
			if row < rows {
				loop = true
				idx := step - (rows-row-1)*len(charset)
				if idx >= 0 && idx < len(charset) {
					chars[j] = charset[idx]
				} else if idx >= len(charset) {
					chars[j] = '|'
				}
				continue
			}
			if sp.nlabels > 0 && row-rows < labelMarginTop {
				loop = true
				break
			}
			label := sp.labels[j+offset]
			if at := row - rows - labelMarginTop; len(label) > at {
				loop = true
				chars[j] = label[at]
			}
		}
		if !loop {
			return out
		}
		out = append(out, chars...)
		out = append(out, '\n')
	}
}

// LATENCY DOCTOR
func latencyDoctorCommand(c *client) { c.addVerbatim([]byte(c.srv.latencyReport())) }

// latencyReport is Redis's createLatencyReport, for the events Ferrite
// records; the fork, AOF and THP advice come with persistence.
func (s *Server) latencyReport() string {
	if len(s.latency.events) == 0 && s.cfg.LatencyMonitorThreshold == 0 {
		return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n"
	}
	var b strings.Builder
	var slowlogEnabled, slowlogTuning, slowlogInspect, scheduler, hz, largeObjects, massEviction bool
	advices := 0
	names := s.latencyEventNames()
	for i, name := range names {
		ev := s.latency.events[name]
		if i == 0 {
			b.WriteString("Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n")
		}
		ls := s.analyzeLatency(ev)
		b.WriteString(strconv.Itoa(i+1) + ". " + name + ": " + strconv.Itoa(ls.samples) +
			" latency spikes (average " + strconv.FormatInt(ls.avg, 10) + "ms, mean deviation " +
			strconv.FormatInt(ls.mad, 10) + "ms, period " +
			strconv.FormatFloat(float64(ls.period)/float64(ls.samples), 'f', 2, 64) +
			" sec). Worst all time event " + strconv.FormatInt(ev.max, 10) + "ms.")
		switch strings.ToLower(name) {
		case "command":
			if s.cfg.SlowlogLogSlowerThan < 0 {
				slowlogEnabled = true
				advices++
			} else if s.cfg.SlowlogLogSlowerThan/1000 > s.cfg.LatencyMonitorThreshold {
				slowlogTuning = true
				advices++
			}
			slowlogInspect, largeObjects = true, true
			advices += 2
		case "fast-command":
			scheduler = true
			advices++
		case "expire-cycle":
			hz, largeObjects = true, true
			advices += 2
		case "eviction-del":
			largeObjects = true
			advices++
		case "eviction-cycle":
			massEviction = true
			advices++
		}
		b.WriteByte('\n')
	}
	switch {
	case len(names) == 0 && advices == 0:
		b.WriteString("Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n")
	case advices == 0:
		b.WriteString("\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the Redis community to get some help, providing this report in your help request.\n")
	default:
		b.WriteString("\nI have a few advices for you:\n\n")
		thr := strconv.FormatInt(s.cfg.LatencyMonitorThreshold*1000, 10)
		if slowlogEnabled {
			b.WriteString("- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than " + thr + "'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n")
		}
		if slowlogTuning {
			b.WriteString("- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than " + thr + "'.\n")
		}
		if slowlogInspect {
			b.WriteString("- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n")
		}
		if scheduler {
			b.WriteString("- The system is slow to execute Redis code paths not containing system calls. This usually means the system does not provide Redis CPU time to run for long periods. You should try to:\n" +
				"  1) Lower the system load.\n" +
				"  2) Use a computer / VM just for Redis if you are running other software in the same system.\n" +
				"  3) Check if you have a \"noisy neighbour\" problem.\n" +
				"  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n" +
				"  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using Jemalloc. However this may create fragmentation problems.\n")
		}
		if hz && s.cfg.Hz < 100 {
			b.WriteString("- In order to make the Redis keys expiring process more incremental, try to set the 'hz' configuration parameter to 100 using 'CONFIG SET hz 100'.\n")
		}
		if largeObjects {
			b.WriteString("- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n")
		}
		if massEviction {
			b.WriteString("- Sudden changes to the 'maxmemory' setting via 'CONFIG SET', or allocation of large objects via sets or sorted sets intersections, STORE option of SORT, Redis Cluster large keys migrations (RESTORE command), may create sudden memory pressure forcing the server to block trying to evict keys. \n")
		}
	}
	return b.String()
}

// LATENCY HISTOGRAM [command [command ...]]
func latencyHistogramCommand(c *client) {
	s := c.srv
	var cmds []*Command
	withData := func(cmd *Command) {
		if cmd.stats.latency.total > 0 {
			cmds = append(cmds, cmd)
		}
		for _, sub := range cmd.subList() {
			if sub.stats.latency.total > 0 {
				cmds = append(cmds, sub)
			}
		}
	}
	if len(c.argv) == 2 {
		for _, cmd := range s.sortedCommands() {
			withData(cmd)
		}
	} else {
		for _, name := range c.argv[2:] {
			if cmd := s.lookupFullName(string(name)); cmd != nil {
				withData(cmd)
			}
		}
	}
	c.addMapLen(len(cmds))
	for _, cmd := range cmds {
		h := &cmd.stats.latency
		c.addBulkString(cmd.FullName)
		c.addMapLen(2)
		c.addBulkString("calls")
		c.addInt(int64(h.total))
		c.addBulkString("histogram_usec")
		var pairs [][2]int64
		h.eachPowerOfTwo(func(usec int64, n uint64) { pairs = append(pairs, [2]int64{usec, int64(n)}) })
		c.addMapLen(len(pairs))
		for _, p := range pairs {
			c.addInt(p[0])
			c.addInt(p[1])
		}
	}
}
