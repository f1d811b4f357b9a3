package server

import (
	"bufio"
	"bytes"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"sort"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"ferrite/datatypes"
)

// Server administration commands: TIME, LASTSAVE, SHUTDOWN and MEMORY,
// plus the table of every admin-family handler (INFO, CLIENT, MONITOR,
// DEBUG, SLOWLOG and LATENCY live in their own files).

var serverCommands = map[string]cmdProc{
	"info":    infoCommand,
	"monitor": monitorCommand,
	"debug":   debugCommand,

	"client|help":         clientHelpCommand,
	"client|id":           clientIDCommand,
	"client|setname":      clientSetnameCommand,
	"client|getname":      clientGetnameCommand,
	"client|list":         clientListCommand,
	"client|info":         clientInfoCommand,
	"client|kill":         clientKillCommand,
	"client|pause":        clientPauseCommand,
	"client|unpause":      clientUnpauseCommand,
	"client|reply":        clientReplyCommand,
	"client|no-evict":     clientNoEvictCommand,
	"client|unblock":      clientUnblockCommand,
	"client|tracking":     clientTrackingCommand,
	"client|caching":      clientCachingCommand,
	"client|getredir":     clientGetredirCommand,
	"client|trackinginfo": clientTrackinginfoCommand,

	"time":     timeCommand,
	"lastsave": lastsaveCommand,
	"shutdown": shutdownCommand,

	"slowlog|get":   slowlogGetCommand,
	"slowlog|len":   slowlogLenCommand,
	"slowlog|reset": slowlogResetCommand,
	"slowlog|help":  slowlogHelpCommand,

	"latency|latest":    latencyLatestCommand,
	"latency|history":   latencyHistoryCommand,
	"latency|reset":     latencyResetCommand,
	"latency|graph":     latencyGraphCommand,
	"latency|doctor":    latencyDoctorCommand,
	"latency|histogram": latencyHistogramCommand,
	"latency|help":      latencyHelpCommand,

	"memory|usage":        memoryUsageCommand,
	"memory|stats":        memoryStatsCommand,
	"memory|doctor":       memoryDoctorCommand,
	"memory|malloc-stats": memoryMallocStatsCommand,
	"memory|purge":        memoryPurgeCommand,
	"memory|help":         memoryHelpCommand,
}

// adminState is the bookkeeping of the admin commands that outlives one
// command: identity, memory peaks and rates INFO reports, the cron's
// timeout scan. It lives in Server.admin, protected by Server.mu.
type adminState struct {
	runID           string
	startupMem      uint64 // used_memory once the server was up
	peakMem         uint64
	lastTimeoutScan int64 // unix second of the last idle-client scan
	netIn, netOut   instMetric
}

// runID is Redis's run_id: 40 random hex characters, one per process
// lifetime of the server.
func (s *Server) runID() string {
	if s.admin.runID == "" {
		s.admin.runID = randomHex(40)
	}
	return s.admin.runID
}

// sample is the statistics part of the cron: memory peak and the network
// rates of INFO stats.
func (a *adminState) sample(s *Server, now time.Time) {
	used := heapInUse()
	if a.startupMem == 0 {
		a.startupMem = used
	}
	a.peakMem = max(a.peakMem, used)
	a.netIn.track(now, s.stats.netInput.Load())
	a.netOut.track(now, s.stats.netOutput.Load())
}

// instMetric is Redis's instantaneous metric: the rate of a counter over
// the last 16 samples taken at least 100 ms apart.
type instMetric struct {
	lastTime time.Time
	lastVal  int64
	samples  [16]float64
	idx      int
}

func (m *instMetric) track(now time.Time, v int64) {
	if m.lastTime.IsZero() {
		m.lastTime, m.lastVal = now, v
		return
	}
	dt := now.Sub(m.lastTime)
	if dt < 100*time.Millisecond {
		return
	}
	m.samples[m.idx%len(m.samples)] = float64(v-m.lastVal) / dt.Seconds()
	m.idx++
	m.lastTime, m.lastVal = now, v
}

func (m *instMetric) perSec() float64 {
	var sum float64
	for _, v := range m.samples {
		sum += v
	}
	return sum / float64(len(m.samples))
}

// --- TIME, LASTSAVE, SHUTDOWN ---

// TIME
func timeCommand(c *client) {
	now := c.srv.now().UnixMicro()
	c.addArrayLen(2)
	c.addBulkInt(now / 1e6)
	c.addBulkInt(now % 1e6)
}

// LASTSAVE
func lastsaveCommand(c *client) { c.addInt(c.srv.lastSave.Unix()) }

// SHUTDOWN [NOSAVE | SAVE] [NOW] [FORCE] [ABORT]
//
// A shutdown is never left in progress (there are no replicas to wait
// for yet), so ABORT always finds none. On success there is no reply: the
// server closes every connection and Done is closed, so main exits.
func shutdownCommand(c *client) {
	var save, nosave, now, force, abort bool
	for _, a := range c.argv[1:] {
		switch strings.ToLower(string(a)) {
		case "nosave":
			nosave = true
		case "save":
			save = true
		case "now":
			now = true
		case "force":
			force = true
		case "abort":
			abort = true
		default:
			c.addError(errSyntax)
			return
		}
	}
	if (abort && (save || nosave || now || force)) || (save && nosave) {
		c.addError(errSyntax)
		return
	}
	if abort {
		c.addErrorString("ERR No shutdown in progress.")
		return
	}
	s := c.srv
	s.logf("#", "User requested shutdown...")
	if err := s.saveBeforeShutdown(save, nosave); err != nil {
		s.logf("#", "Error trying to save the DB, can't exit.")
		if !force {
			s.logf("#", "Errors trying to shut down the server. Check the logs for more information.")
			c.addErrorString("ERR Errors trying to SHUTDOWN. Check logs.")
			return
		}
	}
	s.logf("#", "Redis is now ready to exit, bye bye...")
	s.shutdownAsked = true
	c.flags |= flagCloseASAP
	// Close takes the lock and waits for this connection to end, so it
	// runs on its own goroutine once this command has returned.
	go s.Close()
}

// --- MEMORY ---

var memoryHelp = []string{
	"DOCTOR",
	"    Return memory problems reports.",
	"MALLOC-STATS",
	"    Return internal statistics report from the memory allocator.",
	"PURGE",
	"    Attempt to purge dirty pages for reclamation by the allocator.",
	"STATS",
	"    Return information about the memory usage of the server.",
	"USAGE <key> [SAMPLES <count>]",
	"    Return memory in bytes used by <key> and its value. Nested values are",
	"    sampled up to <count> times (default: 5, 0 means sample all).",
}

// MEMORY HELP
func memoryHelpCommand(c *client) { c.addReplyHelp(memoryHelp...) }

// MEMORY USAGE key [SAMPLES count]
func memoryUsageCommand(c *client) {
	samples := 5
	for j := 3; j < len(c.argv); j++ {
		if !strings.EqualFold(string(c.argv[j]), "samples") || j+1 >= len(c.argv) {
			c.addError(errSyntax)
			return
		}
		n, ok := datatypes.ParseInt(c.argv[j+1])
		if !ok {
			c.addError(errNotInt)
			return
		}
		if n < 0 {
			c.addError(errSyntax)
			return
		}
		samples = int(min(n, 1<<31-1))
		if n == 0 {
			samples = 1<<31 - 1
		}
		j++
	}
	// Like Redis, a logically expired key still has a size: no lookup.
	key := unsafeString(c.argv[2])
	o := c.db.Lookup(key)
	if o == nil {
		c.addNull()
		return
	}
	c.addInt(keyMemoryUsage(c.db, key, o, samples))
}

// memSizer is implemented by value types that can estimate the heap bytes
// they hold, sampling at most samples elements of aggregates (MEMORY
// USAGE's SAMPLES).
type memSizer interface {
	MemoryUsage(samples int) int64
}

// Sizes of the keyspace's per-key structures (datatypes.Dict entries).
var (
	keyEntrySize = int64(unsafe.Sizeof(struct {
		k    string
		v    *datatypes.Object
		n, h uint32
	}{}))
	expireEntrySize = int64(unsafe.Sizeof(struct {
		k    string
		v    int64
		n, h uint32
	}{}))
	objectSize = int64(unsafe.Sizeof(datatypes.Object{}))
)

// keyMemoryUsage estimates what key costs in Ferrite's heap: its dict
// entry and bucket slot, the key bytes, the object header and the value
// (a string's bytes, or what an aggregate reports
// through memSizer), and the expires entry if it has a TTL. Allocations
// are rounded to Go's size classes.
func keyMemoryUsage(db *datatypes.DB, key string, o *datatypes.Object, samples int) int64 {
	n := keyEntrySize + 4 + allocSize(int64(len(key))) + allocSize(objectSize)
	if b := o.Str(); b != nil {
		n += allocSize(int64(cap(b)))
	}
	switch o.Type {
	case datatypes.TypeHash:
		n += hashMemoryUsage(o, samples)
	case datatypes.TypeSet:
		n += setMemoryUsage(o, samples)
	case datatypes.TypeZSet:
		n += zsetMemoryUsage(o, samples)
	case datatypes.TypeList:
		n += listMemoryUsage(o, samples)
	}
	if o.Type != datatypes.TypeString { // an int-encoded string lives in the object
		if v, ok := o.Val().(memSizer); ok {
			n += v.MemoryUsage(samples)
		}
	}
	if db.ExpireAt(key) >= 0 {
		n += expireEntrySize + 4
	}
	return n
}

// goSizeClasses are the Go allocator's small size classes (runtime/sizeclasses.go).
var goSizeClasses = []int64{8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256,
	288, 320, 352, 384, 416, 448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280, 1408, 1536, 1792,
	2048, 2304, 2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472, 9728, 10240,
	10880, 12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264, 28672, 32768}

// allocSize is what the Go allocator really hands out for n bytes.
func allocSize(n int64) int64 {
	if n <= 0 {
		return 0
	}
	if n <= 32768 {
		i := sort.Search(len(goSizeClasses), func(i int) bool { return goSizeClasses[i] >= n })
		return goSizeClasses[i]
	}
	return (n + 8191) &^ 8191
}

// memOverhead is Redis's redisMemOverhead, from what Ferrite can measure.
type memOverhead struct {
	totalAllocated, peakAllocated, startupAllocated uint64
	clientsNormal                                   int64
	dbs                                             []dbOverhead
	overheadTotal                                   int64
	keys                                            int64
	bytesPerKey                                     int64
	dataset                                         int64
	datasetPerc, peakPerc                           float64

	allocated, active, resident, rss      uint64
	allocatorFrag, allocatorRSS, rssExtra float64
	allocatorFragBytes, allocatorRSSBytes int64
	rssExtraBytes, totalFragBytes         int64
	totalFrag                             float64
}

type dbOverhead struct {
	id            int
	main, expires int64
}

// memoryOverhead gathers MEMORY STATS, MEMORY DOCTOR and INFO memory.
func (s *Server) memoryOverhead() memOverhead {
	ms := readMemClasses()
	s.admin.peakMem = max(s.admin.peakMem, ms.objects)
	if s.admin.startupMem == 0 {
		s.admin.startupMem = ms.objects
	}
	m := memOverhead{
		totalAllocated:   s.usedMemory(),
		peakAllocated:    s.admin.peakMem,
		startupAllocated: s.admin.startupMem,
		allocated:        ms.objects,
		active:           ms.objects + ms.unused,
		resident:         ms.total - ms.released,
		rss:              processRSS(),
	}
	if m.rss == 0 {
		m.rss = m.resident
	}
	for _, cl := range s.clients {
		m.clientsNormal += clientStructSize + int64(cl.pendingOutput())
	}
	m.overheadTotal = int64(m.startupAllocated) + m.clientsNormal
	for _, db := range s.dbs {
		keys := int64(db.Len())
		if keys == 0 {
			continue
		}
		t0, t1 := db.Keys.Buckets()
		e0, e1 := db.Expires.Buckets()
		d := dbOverhead{
			id:      db.ID,
			main:    keys*keyEntrySize + int64(t0+t1)*4,
			expires: int64(db.Expires.Len())*expireEntrySize + int64(e0+e1)*4,
		}
		m.dbs = append(m.dbs, d)
		m.overheadTotal += d.main + d.expires
		m.keys += keys
	}
	net := int64(m.totalAllocated) - int64(m.startupAllocated)
	if m.keys > 0 {
		m.bytesPerKey = net / m.keys
	}
	if int64(m.totalAllocated) > m.overheadTotal {
		m.dataset = int64(m.totalAllocated) - m.overheadTotal
	}
	if net > 0 {
		m.datasetPerc = float64(float32(float64(m.dataset) * 100 / float64(net)))
	}
	if m.peakAllocated > 0 {
		m.peakPerc = float64(float32(float64(m.totalAllocated) * 100 / float64(m.peakAllocated)))
	}
	ratio := func(a, b uint64) float64 {
		if b == 0 {
			return 0
		}
		return float64(float32(float64(a) / float64(b)))
	}
	m.allocatorFrag, m.allocatorFragBytes = ratio(m.active, m.allocated), int64(m.active)-int64(m.allocated)
	m.allocatorRSS, m.allocatorRSSBytes = ratio(m.resident, m.active), int64(m.resident)-int64(m.active)
	m.rssExtra, m.rssExtraBytes = ratio(m.rss, m.resident), int64(m.rss)-int64(m.resident)
	m.totalFrag, m.totalFragBytes = ratio(m.rss, m.totalAllocated), int64(m.rss)-int64(m.totalAllocated)
	return m
}

// MEMORY STATS
func memoryStatsCommand(c *client) {
	m := c.srv.memoryOverhead()
	c.addMapLen(27 + len(m.dbs))
	kv := func(name string, v int64) {
		c.addBulkString(name)
		c.addInt(v)
	}
	kd := func(name string, v float64) {
		c.addBulkString(name)
		c.addDouble(v)
	}
	kv("peak.allocated", int64(m.peakAllocated))
	kv("total.allocated", int64(m.totalAllocated))
	kv("startup.allocated", int64(m.startupAllocated))
	kv("replication.backlog", 0)
	kv("clients.slaves", 0)
	kv("clients.normal", m.clientsNormal)
	kv("cluster.links", 0)
	kv("aof.buffer", 0)
	kv("lua.caches", 0)
	kv("functions.caches", 0)
	for _, d := range m.dbs {
		c.addBulkString("db." + strconv.Itoa(d.id))
		c.addMapLen(3)
		kv("overhead.hashtable.main", d.main)
		kv("overhead.hashtable.expires", d.expires)
		kv("overhead.hashtable.slot-to-keys", 0)
	}
	kv("overhead.total", m.overheadTotal)
	kv("keys.count", m.keys)
	kv("keys.bytes-per-key", m.bytesPerKey)
	kv("dataset.bytes", m.dataset)
	kd("dataset.percentage", m.datasetPerc)
	kd("peak.percentage", m.peakPerc)
	kv("allocator.allocated", int64(m.allocated))
	kv("allocator.active", int64(m.active))
	kv("allocator.resident", int64(m.resident))
	kd("allocator-fragmentation.ratio", m.allocatorFrag)
	kv("allocator-fragmentation.bytes", m.allocatorFragBytes)
	kd("allocator-rss.ratio", m.allocatorRSS)
	kv("allocator-rss.bytes", m.allocatorRSSBytes)
	kd("rss-overhead.ratio", m.rssExtra)
	kv("rss-overhead.bytes", m.rssExtraBytes)
	kd("fragmentation", m.totalFrag)
	kv("fragmentation.bytes", m.totalFragBytes)
}

// MEMORY DOCTOR
func memoryDoctorCommand(c *client) { c.addVerbatim([]byte(c.srv.memoryReport())) }

// memoryReport is Redis's getMemoryDoctorReport. The allocator checks
// apply to the Go heap: "active" is the heap's in-use spans, "resident"
// what the runtime holds from the OS.
func (s *Server) memoryReport() string {
	m := s.memoryOverhead()
	var bigPeak, highFrag, highAllocFrag, highAllocRSS, highProcRSS, bigClientBuf bool
	reports := 0
	empty := m.totalAllocated < 5<<20
	if empty {
		reports++
	} else {
		if float64(m.peakAllocated)/float64(m.totalAllocated) > 1.5 {
			bigPeak = true
			reports++
		}
		if m.totalFrag > 1.4 && m.totalFragBytes > 10<<20 {
			highFrag = true
			reports++
		}
		if m.allocatorFrag > 1.1 && m.allocatorFragBytes > 10<<20 {
			highAllocFrag = true
			reports++
		}
		if m.allocatorRSS > 1.1 && m.allocatorRSSBytes > 10<<20 {
			highAllocRSS = true
			reports++
		}
		if m.rssExtra > 1.1 && m.rssExtraBytes > 10<<20 {
			highProcRSS = true
			reports++
		}
		if n := int64(len(s.clients)); n > 0 && m.clientsNormal/n > 1024*200 {
			bigClientBuf = true
			reports++
		}
	}
	switch {
	case reports == 0:
		return "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n"
	case empty:
		return "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n"
	}
	var b strings.Builder
	b.WriteString("Sam, I detected a few issues in this Redis instance memory implants:\n\n")
	if bigPeak {
		b.WriteString(" * Peak memory: In the past this instance used more than 150% the memory that is currently using. The allocator is normally not able to release memory after a peak, so you can expect to see a big fragmentation ratio, however this is actually harmless and is only due to the memory peak, and if the Redis instance Resident Set Size (RSS) is currently bigger than expected, the memory will be used as soon as you fill the Redis instance with more data. If the memory peak was only occasional and you want to try to reclaim memory, please try the MEMORY PURGE command, otherwise the only other option is to shutdown and restart the instance.\n\n")
	}
	if highFrag {
		b.WriteString(" * High total RSS: This instance has a memory fragmentation and RSS overhead greater than 1.4 (this means that the Resident Set Size of the Redis process is much larger than the sum of the logical allocations Redis performed). This problem is usually due either to a large peak memory (check if there is a peak memory entry above in the report) or may result from a workload that causes the allocator to fragment memory a lot. If the problem is a large peak memory, then there is no issue. Otherwise, make sure you are using the Jemalloc allocator and not the default libc malloc. Note: The currently used allocator is \"" + memAllocatorName() + "\".\n\n")
	}
	if highAllocFrag {
		b.WriteString(" * High allocator fragmentation: This instance has an allocator external fragmentation greater than 1.1. This problem is usually due either to a large peak memory (check if there is a peak memory entry above in the report) or may result from a workload that causes the allocator to fragment memory a lot. You can try enabling 'activedefrag' config option.\n\n")
	}
	if highAllocRSS {
		b.WriteString(" * High allocator RSS overhead: This instance has an RSS memory overhead is greater than 1.1 (this means that the Resident Set Size of the allocator is much larger than the sum what the allocator actually holds). This problem is usually due to a large peak memory (check if there is a peak memory entry above in the report), you can try the MEMORY PURGE command to reclaim it.\n\n")
	}
	if highProcRSS {
		b.WriteString(" * High process RSS overhead: This instance has non-allocator RSS memory overhead is greater than 1.1 (this means that the Resident Set Size of the Redis process is much larger than the RSS the allocator holds). This problem may be due to Lua scripts or Modules.\n\n")
	}
	if bigClientBuf {
		b.WriteString(" * Big client buffers: The clients output buffers in this instance are greater than 200K per client (on average). This may result from different causes, like Pub/Sub clients subscribed to channels bot not receiving data fast enough, so that data piles on the Redis instance output buffer, or clients sending commands with large replies or very large sequences of commands in the same pipeline. Please use the CLIENT LIST command in order to investigate the issue if it causes problems in your instance, or to understand better why certain clients are using a big amount of memory.\n\n")
	}
	b.WriteString("I'm here to keep you safe, Sam. I want to help you.\n")
	return b.String()
}

// MEMORY MALLOC-STATS
//
// Redis prints jemalloc's report; Ferrite's allocator is the Go runtime,
// so this is its memory classes (runtime/metrics), one per line.
func memoryMallocStatsCommand(c *client) {
	var b bytes.Buffer
	b.WriteString("___ Begin Go runtime memory statistics ___\n")
	var samples []metrics.Sample
	for _, d := range metrics.All() {
		if strings.HasPrefix(d.Name, "/memory/classes/") || strings.HasPrefix(d.Name, "/gc/heap/") {
			samples = append(samples, metrics.Sample{Name: d.Name})
		}
	}
	metrics.Read(samples)
	for _, smp := range samples {
		if smp.Value.Kind() != metrics.KindUint64 {
			continue
		}
		b.WriteString(smp.Name + ": " + strconv.FormatUint(smp.Value.Uint64(), 10) + "\n")
	}
	b.WriteString("--- End Go runtime memory statistics ---\n")
	c.addVerbatim(b.Bytes())
}

// MEMORY PURGE
func memoryPurgeCommand(c *client) {
	debug.FreeOSMemory()
	c.addOK()
}

// --- memory measurements ---

// memClasses are the Go runtime's memory classes Ferrite reports.
type memClasses struct {
	objects  uint64 // live and not yet swept heap objects: used_memory
	unused   uint64 // free space inside in-use heap spans
	released uint64 // heap memory returned to the OS
	total    uint64 // everything the runtime has mapped
}

var memClassNames = [...]string{
	"/memory/classes/heap/objects:bytes",
	"/memory/classes/heap/unused:bytes",
	"/memory/classes/heap/released:bytes",
	"/memory/classes/total:bytes",
}

// readMemClasses reads the runtime's memory classes; unlike
// runtime.ReadMemStats it does not stop the world.
func readMemClasses() memClasses {
	var smp [len(memClassNames)]metrics.Sample
	for i, n := range memClassNames {
		smp[i].Name = n
	}
	metrics.Read(smp[:])
	v := func(i int) uint64 {
		if smp[i].Value.Kind() == metrics.KindUint64 {
			return smp[i].Value.Uint64()
		}
		return 0
	}
	return memClasses{objects: v(0), unused: v(1), released: v(2), total: v(3)}
}

// heapInUse is used_memory: the bytes of heap objects.
func heapInUse() uint64 {
	smp := [1]metrics.Sample{{Name: memClassNames[0]}}
	metrics.Read(smp[:])
	if smp[0].Value.Kind() == metrics.KindUint64 {
		return smp[0].Value.Uint64()
	}
	return 0
}

// processRSS is the resident set size from /proc/self/statm, 0 where
// there is no procfs.
func processRSS() uint64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := bytes.Fields(b)
	if len(f) < 2 {
		return 0
	}
	pages, err := strconv.ParseUint(string(f[1]), 10, 64)
	if err != nil {
		return 0
	}
	return pages * uint64(os.Getpagesize())
}

// totalSystemMemory is MemTotal from /proc/meminfo, 0 if unknown.
func totalSystemMemory() uint64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
			fields := strings.Fields(rest)
			if len(fields) > 0 {
				kb, _ := strconv.ParseUint(fields[0], 10, 64)
				return kb * 1024
			}
		}
	}
	return 0
}

// bytesToHuman is Redis's bytesToHuman: 100B, 2.00K, 1.50M, ...
func bytesToHuman(n uint64) string {
	units := []struct {
		limit float64
		sfx   string
	}{{1 << 20, "K"}, {1 << 30, "M"}, {1 << 40, "G"}, {1 << 50, "T"}, {1 << 60, "P"}}
	if n < 1024 {
		return strconv.FormatUint(n, 10) + "B"
	}
	div := float64(1024)
	for _, u := range units {
		if float64(n) < u.limit {
			return strconv.FormatFloat(float64(n)/div, 'f', 2, 64) + u.sfx
		}
		div *= 1024
	}
	return strconv.FormatUint(n, 10) + "B"
}
