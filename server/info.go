package server

import (
	"net"
	"os"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// INFO: Redis 7.0's sections, fields and field order (genRedisInfoString),
// with Ferrite's real values. Fields of features Ferrite does not have yet
// show the value Redis shows when the feature is idle (no persistence,
// no replicas, no scripts); the families that add them fill them in here.
//
// Not shown: used_cpu_sys_main_thread and used_cpu_user_main_thread
// (Ferrite has no main thread: commands run on connection goroutines).

// INFO [section [section ...]]
func infoCommand(c *client) {
	c.addVerbatim(c.srv.genInfo(c.argv[1:]))
}

// defaultInfoSections are what INFO and INFO default show.
var defaultInfoSections = []string{"server", "clients", "memory", "persistence", "stats",
	"replication", "cpu", "module_list", "errorstats", "cluster", "keyspace"}

// infoWriter builds the INFO text: sections separated by an empty line,
// "name:value" fields, CRLF line ends.
type infoWriter struct {
	b        []byte
	sections int
}

func (w *infoWriter) section(title string) {
	if w.sections > 0 {
		w.b = append(w.b, '\r', '\n')
	}
	w.sections++
	w.b = append(w.b, "# "...)
	w.b = append(w.b, title...)
	w.b = append(w.b, '\r', '\n')
}

func (w *infoWriter) str(name, v string) {
	w.b = append(w.b, name...)
	w.b = append(w.b, ':')
	w.b = append(w.b, v...)
	w.b = append(w.b, '\r', '\n')
}

func (w *infoWriter) num(name string, v int64) { w.str(name, strconv.FormatInt(v, 10)) }

// fixed2 is printf's "%.2f".
func (w *infoWriter) fixed2(name string, v float64) { w.str(name, strconv.FormatFloat(v, 'f', 2, 64)) }

// genInfo is Redis's genInfoSectionDict plus genRedisInfoString: section
// names are case-insensitive, "default" adds the default sections, "all"
// every section, "everything" every section and module-generated ones.
func (s *Server) genInfo(args [][]byte) []byte {
	sections := make(map[string]bool)
	all := false
	if len(args) == 0 {
		for _, n := range defaultInfoSections {
			sections[n] = true
		}
	}
	for _, a := range args {
		switch name := strings.ToLower(string(a)); name {
		case "default":
			for _, n := range defaultInfoSections {
				sections[n] = true
			}
		case "all", "everything":
			all = true
		default:
			sections[name] = true
		}
	}
	want := func(name string) bool { return all || sections[name] }
	w := &infoWriter{}
	if want("server") {
		s.infoServer(w)
	}
	if want("clients") {
		s.infoClients(w)
	}
	if want("memory") {
		s.infoMemory(w)
	}
	if want("persistence") {
		s.infoPersistence(w)
	}
	if want("stats") {
		s.infoStats(w)
	}
	if want("replication") {
		s.infoReplication(w)
	}
	if want("cpu") {
		infoCPU(w)
	}
	if all || sections["module_list"] || sections["modules"] {
		w.section("Modules")
	}
	if want("commandstats") {
		w.section("Commandstats")
		for _, cmd := range s.sortedCommands() {
			s.infoCommandStats(w, cmd)
		}
	}
	if want("errorstats") {
		w.section("Errorstats")
		codes := make([]string, 0, len(s.stats.errors))
		for code := range s.stats.errors {
			codes = append(codes, code)
		}
		sort.Strings(codes)
		for _, code := range codes {
			w.str("errorstat_"+safeInfoString(code), "count="+strconv.FormatInt(s.stats.errors[code], 10))
		}
	}
	if want("latencystats") {
		w.section("Latencystats")
		if s.cfg.LatencyTracking {
			for _, cmd := range s.sortedCommands() {
				s.infoLatencyStats(w, cmd)
			}
		}
	}
	if want("cluster") {
		w.section("Cluster")
		w.num("cluster_enabled", 0)
	}
	if want("keyspace") {
		w.section("Keyspace")
		for _, db := range s.dbs {
			keys, expires := db.Len(), db.Expires.Len()
			if keys == 0 && expires == 0 {
				continue
			}
			w.str("db"+strconv.Itoa(db.ID), "keys="+strconv.Itoa(keys)+",expires="+strconv.Itoa(expires)+
				",avg_ttl="+strconv.FormatInt(db.AvgTTL, 10))
		}
	}
	return w.b
}

func (s *Server) infoServer(w *infoWriter) {
	now := s.now()
	uptime := now.Unix() - s.startTime.Unix()
	w.section("Server")
	w.str("redis_version", Version)
	w.str("redis_git_sha1", "00000000")
	w.num("redis_git_dirty", 0)
	w.str("redis_build_id", buildID())
	w.str("redis_mode", "standalone")
	w.str("os", osName())
	w.num("arch_bits", strconv.IntSize)
	w.str("monotonic_clock", "POSIX clock_gettime")
	w.str("multiplexing_api", multiplexingAPI())
	w.str("atomicvar_api", "c11-builtin")
	w.str("gcc_version", "0.0.0")
	w.num("process_id", int64(os.Getpid()))
	w.str("process_supervised", "no")
	w.str("run_id", s.runID())
	w.num("tcp_port", int64(s.tcpPort()))
	w.num("server_time_usec", now.UnixMicro())
	w.num("uptime_in_seconds", uptime)
	w.num("uptime_in_days", uptime/(3600*24))
	w.num("hz", int64(s.effectiveHz()))
	w.num("configured_hz", int64(s.cfg.Hz))
	w.num("lru_clock", int64(s.lruClock()))
	exe, _ := os.Executable()
	w.str("executable", exe)
	w.str("config_file", s.cfg.ConfigFile)
	w.num("io_threads_active", 0)
}

// tcpPort is the port clients connect to: the configured one, or the one
// the listener got when configured with port 0.
func (s *Server) tcpPort() int {
	if s.cfg.Port != 0 {
		return s.cfg.Port
	}
	if a, ok := s.Addr().(*net.TCPAddr); ok {
		return a.Port
	}
	return 0
}

func (s *Server) infoClients(w *infoWriter) {
	var maxOut int64
	for _, cl := range s.clients {
		maxOut = max(maxOut, int64(cl.pendingOutput()))
	}
	w.section("Clients")
	w.num("connected_clients", int64(len(s.clients)))
	w.num("cluster_connections", 0)
	w.num("maxclients", int64(s.cfg.MaxClients))
	w.num("client_recent_max_input_buffer", 0)
	w.num("client_recent_max_output_buffer", maxOut)
	w.num("blocked_clients", int64(len(s.pause.waiting)+s.blockedCount))
	w.num("tracking_clients", int64(s.tracking.clients))
	w.num("clients_in_timeout_table", 0)
}

func (s *Server) infoMemory(w *infoWriter) {
	m := s.memoryOverhead()
	sysMem := totalSystemMemory()
	w.section("Memory")
	w.num("used_memory", int64(m.totalAllocated))
	w.str("used_memory_human", bytesToHuman(m.totalAllocated))
	w.num("used_memory_rss", int64(m.rss))
	w.str("used_memory_rss_human", bytesToHuman(m.rss))
	w.num("used_memory_peak", int64(m.peakAllocated))
	w.str("used_memory_peak_human", bytesToHuman(m.peakAllocated))
	w.str("used_memory_peak_perc", strconv.FormatFloat(m.peakPerc, 'f', 2, 64)+"%")
	w.num("used_memory_overhead", m.overheadTotal)
	w.num("used_memory_startup", int64(m.startupAllocated))
	w.num("used_memory_dataset", m.dataset)
	w.str("used_memory_dataset_perc", strconv.FormatFloat(m.datasetPerc, 'f', 2, 64)+"%")
	w.num("allocator_allocated", int64(m.allocated))
	w.num("allocator_active", int64(m.active))
	w.num("allocator_resident", int64(m.resident))
	w.num("total_system_memory", int64(sysMem))
	w.str("total_system_memory_human", bytesToHuman(sysMem))
	// No memory figure for gopher-lua's states.
	w.num("used_memory_lua", 0)
	w.num("used_memory_vm_eval", 0)
	w.str("used_memory_lua_human", "0B")
	w.num("used_memory_scripts_eval", int64(s.script.engine.BodiesSize()))
	w.num("number_of_cached_scripts", int64(s.script.engine.Len()))
	libs, funcs := s.script.functions.Counts()
	w.num("number_of_functions", int64(funcs))
	w.num("number_of_libraries", int64(libs))
	w.num("used_memory_vm_functions", 0)
	w.num("used_memory_vm_total", 0)
	w.str("used_memory_vm_total_human", "0B")
	w.num("used_memory_functions", 0)
	w.num("used_memory_scripts", 0)
	w.str("used_memory_scripts_human", "0B")
	w.num("maxmemory", s.cfg.MaxMemory)
	w.str("maxmemory_human", bytesToHuman(uint64(max(s.cfg.MaxMemory, 0))))
	w.str("maxmemory_policy", s.cfg.MaxMemoryPolicy)
	w.fixed2("allocator_frag_ratio", m.allocatorFrag)
	w.num("allocator_frag_bytes", m.allocatorFragBytes)
	w.fixed2("allocator_rss_ratio", m.allocatorRSS)
	w.num("allocator_rss_bytes", m.allocatorRSSBytes)
	w.fixed2("rss_overhead_ratio", m.rssExtra)
	w.num("rss_overhead_bytes", m.rssExtraBytes)
	w.fixed2("mem_fragmentation_ratio", m.totalFrag)
	w.num("mem_fragmentation_bytes", m.totalFragBytes)
	w.num("mem_not_counted_for_evict", 0)
	w.num("mem_replication_backlog", 0)
	w.num("mem_total_replication_buffers", 0)
	w.num("mem_clients_slaves", 0)
	w.num("mem_clients_normal", m.clientsNormal)
	w.num("mem_cluster_links", 0)
	w.num("mem_aof_buffer", 0)
	w.str("mem_allocator", memAllocatorName())
	w.num("active_defrag_running", 0)
	w.num("lazyfree_pending_objects", 0)
	w.num("lazyfreed_objects", 0)
}

// persistenceStatus is what INFO persistence reports: the RDB state from
// persist.go; the AOF fields are those of a server without AOF until
// aof.go fills them here.
type persistenceStatus struct {
	loading, rdbSaving, aofEnabled, aofRewriting bool
	rdbSaves, aofRewrites                        int64
	rdbLastSaveOK, aofLastRewriteOK, aofWriteOK  bool
	rdbLastSaveSecs, aofLastRewriteSecs          int64 // -1: never
}

func (s *Server) persistenceStatus() persistenceStatus {
	p := &s.persist
	return persistenceStatus{loading: p.loading, rdbSaving: p.bgsaveRunning,
		rdbSaves: p.saves, rdbLastSaveOK: !p.lastBgsaveErr, rdbLastSaveSecs: p.lastBgsaveSecs - 1,
		aofEnabled: s.aof.state != aofOff, aofRewriting: s.aof.rewriting, aofRewrites: s.aof.rewrites,
		aofLastRewriteOK: !s.aof.lastRewriteFailed, aofWriteOK: s.aof.writeErr.Load() == nil, aofLastRewriteSecs: s.aof.lastRewriteSecs()}
}

func (s *Server) infoPersistence(w *infoWriter) {
	p := s.persistenceStatus()
	b01 := func(v bool) int64 {
		if v {
			return 1
		}
		return 0
	}
	okErr := func(v bool) string {
		if v {
			return "ok"
		}
		return "err"
	}
	w.section("Persistence")
	w.num("loading", b01(p.loading))
	w.num("async_loading", 0)
	w.num("current_cow_peak", 0)
	w.num("current_cow_size", 0)
	w.num("current_cow_size_age", 0)
	w.fixed2("current_fork_perc", 0)
	processed, total := s.snapshotProgress()
	w.num("current_save_keys_processed", processed)
	w.num("current_save_keys_total", total)
	w.num("rdb_changes_since_last_save", s.dirty)
	w.num("rdb_bgsave_in_progress", b01(p.rdbSaving))
	w.num("rdb_last_save_time", s.lastSave.Unix())
	w.str("rdb_last_bgsave_status", okErr(p.rdbLastSaveOK))
	w.num("rdb_last_bgsave_time_sec", p.rdbLastSaveSecs)
	if p.rdbSaving {
		w.num("rdb_current_bgsave_time_sec", s.now().Unix()-s.persist.bgsaveStart.Unix())
	} else {
		w.num("rdb_current_bgsave_time_sec", -1)
	}
	w.num("rdb_saves", p.rdbSaves)
	w.num("rdb_last_cow_size", 0)
	w.num("rdb_last_load_keys_expired", s.persist.lastLoadExpired)
	w.num("rdb_last_load_keys_loaded", s.persist.lastLoadLoaded)
	w.num("aof_enabled", b01(p.aofEnabled))
	w.num("aof_rewrite_in_progress", b01(p.aofRewriting))
	w.num("aof_rewrite_scheduled", b2i(s.aof.scheduled))
	w.num("aof_last_rewrite_time_sec", p.aofLastRewriteSecs)
	w.num("aof_current_rewrite_time_sec", s.aofCurrentRewriteSecs())
	w.str("aof_last_bgrewrite_status", okErr(p.aofLastRewriteOK))
	w.num("aof_rewrites", p.aofRewrites)
	w.num("aof_rewrites_consecutive_failures", s.aof.failures)
	w.str("aof_last_write_status", okErr(p.aofWriteOK))
	w.num("aof_last_cow_size", 0)
	w.num("module_fork_in_progress", 0)
	w.num("module_fork_last_cow_size", 0)
	s.infoAOF(w)
	s.infoLoading(w) // persist.go
}

func (s *Server) infoStats(w *infoWriter) {
	st := &s.stats
	w.section("Stats")
	w.num("total_connections_received", st.connectionsReceived)
	w.num("total_commands_processed", st.commandsProcessed)
	w.num("instantaneous_ops_per_sec", st.opsSample.perSec())
	w.num("total_net_input_bytes", st.netInput.Load())
	w.num("total_net_output_bytes", st.netOutput.Load())
	w.num("total_net_repl_input_bytes", 0)
	w.num("total_net_repl_output_bytes", 0)
	w.fixed2("instantaneous_input_kbps", s.admin.netIn.perSec()/1024)
	w.fixed2("instantaneous_output_kbps", s.admin.netOut.perSec()/1024)
	w.fixed2("instantaneous_input_repl_kbps", 0)
	w.fixed2("instantaneous_output_repl_kbps", 0)
	w.num("rejected_connections", st.rejectedConns)
	w.num("sync_full", 0)
	w.num("sync_partial_ok", 0)
	w.num("sync_partial_err", 0)
	w.num("expired_keys", st.expiredKeys)
	w.fixed2("expired_stale_perc", st.expiredStalePerc*100)
	w.num("expired_time_cap_reached_count", st.expiredTimeCapReached)
	w.num("expire_cycle_cpu_milliseconds", st.expireCycleCPUMs)
	w.num("evicted_keys", st.evictedKeys)
	w.num("evicted_clients", 0)
	w.num("total_eviction_exceeded_time", 0)
	w.num("current_eviction_exceeded_time", 0)
	w.num("keyspace_hits", st.keyspaceHits)
	w.num("keyspace_misses", st.keyspaceMisses)
	w.num("pubsub_channels", int64(len(s.pubsub.channels)))
	w.num("pubsub_patterns", int64(len(s.pubsub.patterns)))
	w.num("pubsubshard_channels", int64(len(s.pubsub.shard)))
	w.num("latest_fork_usec", 0)
	w.num("total_forks", 0)
	w.num("migrate_cached_sockets", 0)
	w.num("slave_expires_tracked_keys", 0)
	w.num("active_defrag_hits", 0)
	w.num("active_defrag_misses", 0)
	w.num("active_defrag_key_hits", 0)
	w.num("active_defrag_key_misses", 0)
	w.num("total_active_defrag_time", 0)
	w.num("current_active_defrag_time", 0)
	w.num("tracking_total_keys", int64(len(s.tracking.keys)))
	w.num("tracking_total_items", int64(s.tracking.items))
	w.num("tracking_total_prefixes", int64(len(s.tracking.prefixes)))
	w.num("unexpected_error_replies", st.unexpectedErrorReplies)
	w.num("total_error_replies", st.totalErrorReplies)
	w.num("dump_payload_sanitizations", 0)
	w.num("total_reads_processed", 0)
	w.num("total_writes_processed", 0)
	w.num("io_threaded_reads_processed", 0)
	w.num("io_threaded_writes_processed", 0)
	w.num("reply_buffer_shrinks", 0)
	w.num("reply_buffer_expands", 0)
}

func (s *Server) infoReplication(w *infoWriter) {
	w.section("Replication")
	w.str("role", "master")
	w.num("connected_slaves", 0)
	w.str("master_failover_state", "no-failover")
	w.str("master_replid", s.replID)
	w.str("master_replid2", strings.Repeat("0", 40))
	w.num("master_repl_offset", 0)
	w.num("second_repl_offset", -1)
	w.num("repl_backlog_active", 0)
	w.num("repl_backlog_size", s.cfg.ReplBacklogSize)
	w.num("repl_backlog_first_byte_offset", 0)
	w.num("repl_backlog_histlen", 0)
}

func infoCPU(w *infoWriter) {
	var self, children syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	_ = syscall.Getrusage(syscall.RUSAGE_CHILDREN, &children)
	tv := func(t syscall.Timeval) string {
		var b []byte
		b = strconv.AppendInt(b, int64(t.Sec), 10)
		b = append(b, '.')
		return string(appendPadded(b, int64(t.Usec), 6))
	}
	w.section("CPU")
	w.str("used_cpu_sys", tv(self.Stime))
	w.str("used_cpu_user", tv(self.Utime))
	w.str("used_cpu_sys_children", tv(children.Stime))
	w.str("used_cpu_user_children", tv(children.Utime))
}

// infoCommandStats writes the cmdstat_ line of cmd and of its
// subcommands, for those that were called, failed or rejected.
func (s *Server) infoCommandStats(w *infoWriter, cmd *Command) {
	st := &cmd.stats
	if st.calls != 0 || st.failed != 0 || st.rejected != 0 {
		perCall := 0.0
		if st.calls != 0 {
			perCall = float64(float32(st.usec) / float32(st.calls))
		}
		w.str("cmdstat_"+safeInfoString(cmd.FullName),
			"calls="+strconv.FormatInt(st.calls, 10)+
				",usec="+strconv.FormatInt(st.usec, 10)+
				",usec_per_call="+strconv.FormatFloat(perCall, 'f', 2, 64)+
				",rejected_calls="+strconv.FormatInt(st.rejected, 10)+
				",failed_calls="+strconv.FormatInt(st.failed, 10))
	}
	for _, sub := range cmd.subList() {
		s.infoCommandStats(w, sub)
	}
}

// infoLatencyStats writes the latency_percentiles_usec_ line of cmd and
// its subcommands, for those with samples, at the percentiles of
// latency-tracking-info-percentiles.
func (s *Server) infoLatencyStats(w *infoWriter, cmd *Command) {
	h := &cmd.stats.latency
	if h.total > 0 {
		var v []byte
		for i, p := range s.cfg.LatencyTrackingInfoPercentiles {
			if i > 0 {
				v = append(v, ',')
			}
			v = append(v, 'p')
			v = strconv.AppendFloat(v, p, 'f', -1, 64)
			v = append(v, '=')
			v = strconv.AppendFloat(v, h.percentile(p), 'f', 3, 64)
		}
		w.str("latency_percentiles_usec_"+safeInfoString(cmd.FullName), string(v))
	}
	for _, sub := range cmd.subList() {
		s.infoLatencyStats(w, sub)
	}
}

// safeInfoString replaces the characters that would break INFO's format
// ("#", ":", CR, LF) with "_", as Redis's getSafeInfoString.
func safeInfoString(s string) string {
	if !strings.ContainsAny(s, "#:\r\n") {
		return s
	}
	return strings.NewReplacer("#", "_", ":", "_", "\r", "_", "\n", "_").Replace(s)
}

// --- facts about the process and the machine, computed once ---

var sysInfo struct {
	once    sync.Once
	os      string
	buildID string
}

func loadSysInfo() {
	sysInfo.once.Do(func() {
		read := func(path string) string {
			b, err := os.ReadFile(path)
			if err != nil {
				return ""
			}
			return strings.TrimSpace(string(b))
		}
		sysname, release := read("/proc/sys/kernel/ostype"), read("/proc/sys/kernel/osrelease")
		if sysname == "" {
			sysname = runtime.GOOS
		}
		sysInfo.os = sysname + " " + release + " " + machineName()
		sysInfo.buildID = "0"
		if bi, ok := debug.ReadBuildInfo(); ok {
			for _, st := range bi.Settings {
				if st.Key == "vcs.revision" && len(st.Value) >= 15 {
					sysInfo.buildID = st.Value[:15]
				}
			}
		}
	})
}

// osName is INFO's os: uname's sysname, release and machine.
func osName() string {
	loadSysInfo()
	return sysInfo.os
}

func buildID() string {
	loadSysInfo()
	return sysInfo.buildID
}

// machineName is uname -m for the architecture Ferrite was built for.
func machineName() string {
	switch runtime.GOARCH {
	case "amd64":
		return "x86_64"
	case "arm64":
		return "aarch64"
	case "386":
		return "i686"
	}
	return runtime.GOARCH
}

// multiplexingAPI names the poller Go's network runtime uses.
func multiplexingAPI() string {
	switch runtime.GOOS {
	case "linux", "android":
		return "epoll"
	case "darwin", "freebsd", "netbsd", "openbsd", "dragonfly", "ios":
		return "kqueue"
	case "solaris", "illumos":
		return "evport"
	}
	return "select"
}

// memAllocatorName is mem_allocator: the Go runtime and its version, in
// the style of Redis's "jemalloc-5.3.0".
func memAllocatorName() string {
	return "go-" + strings.TrimPrefix(runtime.Version(), "go")
}
