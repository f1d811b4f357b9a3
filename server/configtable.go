package server

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"ferrite/datatypes"
)

// The parameter table: every configuration parameter Redis 7.0 accepts,
// ported from src/config.c (static_configs[] and the special parameters),
// with its alias, type, bounds, default and flags. One table serves config
// files, the command line, CONFIG GET/SET/REWRITE and DefaultConfig, so a
// parameter's facts live in one place.
//
// Accepted, no effect: these parameters are parsed, validated, stored,
// returned by CONFIG GET and rewritten by CONFIG REWRITE exactly as Redis
// does, but nothing in Ferrite acts on them (checked 2026-11-22):
//
//	unixsocket, unixsocketperm, socket-mark-id, bind-source-addr,
//	tcp-backlog, tls-* (all), supervised, syslog-*, crash-log-enabled,
//	crash-memcheck-enabled, use-exit-on-panic, always-show-logo,
//	set-proc-title, proc-title-template, ignore-warnings, disable-thp,
//	jemalloc-bg-thread, io-threads-do-reads, server_cpulist, bio_cpulist,
//	aof_rewrite_cpulist, bgsave_cpulist, oom-score-adj,
//	oom-score-adj-values, shutdown-timeout, watchdog-period,
//	sanitize-dump-payload, rdb-del-sync-files,
//	loading-process-events-interval-bytes, activedefrag and
//	active-defrag-*, maxmemory-eviction-tenacity, maxmemory-clients,
//	lua-enable-deprecated-api;
//	replicaof, masteruser, masterauth, every repl-* and replica-*
//	parameter, min-replicas-*, propagation-error-behavior (no replication
//	yet); aclfile, acllog-max-len, acl-pubsub-default, user directives (no
//	ACL yet); every cluster-* parameter (no cluster yet).
//
// lazyfree-* need no action: Go's collector already frees values in the
// background. pidfile is written by main.

// paramFlag is Redis's *_CONFIG flags.
type paramFlag uint8

const (
	paramImmutable   paramFlag = 1 << iota // CONFIG SET refuses it: set at startup only
	paramProtected                         // CONFIG SET only where enable-protected-configs allows
	paramDenyLoading                       // CONFIG SET refused while loading a dataset
	paramMultiArg                          // several arguments; CONFIG SET splits its value on spaces
	paramHidden                            // CONFIG GET answers it only when named exactly
	paramSensitive                         // value must not be shown in logs
)

type paramKind uint8

const (
	kindBool paramKind = iota
	kindNum
	kindString
	kindEnum
	kindSpecial
)

// numFlag says how a numeric parameter is written and bounded.
type numFlag uint8

const (
	numMemory   numFlag = 1 << iota // accepts 1k, 5mb, 1gb...
	numPercent                      // accepts N%, stored as -N
	numOctal                        // written and read in octal
	numUnsigned                     // C unsigned type: bounds compared unsigned
)

type enumValue struct {
	name string
	val  int
}

// numField reads and writes one numeric Config field as int64, whatever
// its Go type.
type numField struct {
	get func(*Config) int64
	set func(*Config, int64)
}

func numRef[T ~int | ~int64](f func(*Config) *T) numField {
	return numField{
		get: func(c *Config) int64 { return int64(*f(c)) },
		set: func(c *Config, v int64) { *f(c) = T(v) },
	}
}

// param is one configuration parameter.
type param struct {
	name  string
	alias string
	flags paramFlag
	kind  paramKind
	def   string // default, in the form a config file gives it

	lo, hi int64 // kindNum bounds (for numUnsigned, compared as uint64)
	nflags numFlag
	num    numField

	boolField func(*Config) *bool
	strField  func(*Config) *string // kindString, kindEnum

	emptyIsNull bool // kindString: "" means unset, and REWRITE drops the directive
	validate    func(string) string
	enum        []enumValue
	bitflags    bool // kindEnum: a set of flags, as shutdown-on-sigint

	setFn     func(c *Config, args []string) string // kindSpecial: returns Redis's error text
	getFn     func(c *Config) string
	rewriteFn func(st *rewriteState, name string, c *Config)
	resetFn   func(c *Config) // kindSpecial: sets the default where def cannot say it

	// apply makes a changed value take effect in a running server; CONFIG
	// SET calls it after setting every parameter of the command. A
	// returned error rolls the whole command back.
	apply func(s *Server) error
}

func boolParam(name, alias string, flags paramFlag, f func(*Config) *bool, def bool) *param {
	return &param{name: name, alias: alias, flags: flags, kind: kindBool, boolField: f, def: yesNoString(def)}
}

func numParam[T ~int | ~int64](name, alias string, flags paramFlag, lo, hi int64, f func(*Config) *T, def int64, nf numFlag) *param {
	return &param{name: name, alias: alias, flags: flags, kind: kindNum, lo: lo, hi: hi, num: numRef(f), def: strconv.FormatInt(def, 10), nflags: nf}
}

// strParam: emptyIsNull is Redis's EMPTY_STRING_IS_NULL (the default is
// then "unset" too).
func strParam(name, alias string, flags paramFlag, emptyIsNull bool, f func(*Config) *string, def string) *param {
	return &param{name: name, alias: alias, flags: flags, kind: kindString, emptyIsNull: emptyIsNull, strField: f, def: def}
}

func enumParam(name, alias string, flags paramFlag, values []enumValue, f func(*Config) *string, def string) *param {
	return &param{name: name, alias: alias, flags: flags, kind: kindEnum, enum: values, strField: f, def: def, bitflags: flags&paramMultiArg != 0}
}

func specialParam(name, alias string, flags paramFlag, def string, set func(*Config, []string) string, get func(*Config) string, rewrite func(*rewriteState, string, *Config)) *param {
	return &param{name: name, alias: alias, flags: flags, kind: kindSpecial, def: def, setFn: set, getFn: get, rewriteFn: rewrite}
}

func (p *param) withApply(fn func(s *Server) error) *param  { p.apply = fn; return p }
func (p *param) withValidate(fn func(string) string) *param { p.validate = fn; return p }
func (p *param) withReset(fn func(c *Config)) *param        { p.resetFn = fn; return p }

const (
	intMax   = 1<<31 - 1
	intMin   = -1 << 31
	uintMax  = 1<<32 - 1
	llongMax = 1<<63 - 1
	ullMax   = -1 // as int64: numUnsigned bounds compare it as 1<<64-1
)

var (
	maxmemoryPolicyEnum = []enumValue{{"volatile-lru", 0}, {"volatile-lfu", 1}, {"volatile-random", 2}, {"volatile-ttl", 3}, {"allkeys-lru", 4}, {"allkeys-lfu", 5}, {"allkeys-random", 6}, {"noeviction", 7}}
	syslogFacilityEnum  = []enumValue{{"user", 0}, {"local0", 1}, {"local1", 2}, {"local2", 3}, {"local3", 4}, {"local4", 5}, {"local5", 6}, {"local6", 7}, {"local7", 8}}
	loglevelEnum        = []enumValue{{"debug", 0}, {"verbose", 1}, {"notice", 2}, {"warning", 3}}
	supervisedEnum      = []enumValue{{"upstart", 1}, {"systemd", 2}, {"auto", 3}, {"no", 0}}
	aofFsyncEnum        = []enumValue{{"everysec", 0}, {"always", 1}, {"no", 2}}
	replDisklessEnum    = []enumValue{{"disabled", 0}, {"on-empty-db", 1}, {"swapdb", 2}}
	tlsAuthClientsEnum  = []enumValue{{"no", 0}, {"yes", 1}, {"optional", 2}}
	oomScoreAdjEnum     = []enumValue{{"no", 0}, {"yes", 1}, {"relative", 1}, {"absolute", 2}}
	aclPubsubEnum       = []enumValue{{"allchannels", 1}, {"resetchannels", 0}}
	sanitizeDumpEnum    = []enumValue{{"no", 0}, {"yes", 1}, {"clients", 2}}
	protectedEnum       = []enumValue{{"no", 0}, {"yes", 1}, {"local", 2}}
	endpointTypeEnum    = []enumValue{{"ip", 0}, {"hostname", 1}, {"unknown-endpoint", 2}}
	propagationErrEnum  = []enumValue{{"ignore", 0}, {"panic", 1}, {"panic-on-replicas", 2}}
	// shutdownOnSigEnum is a set of flags; the values are Redis's SHUTDOWN_*.
	shutdownOnSigEnum = []enumValue{{"default", 0}, {"save", 1}, {"nosave", 2}, {"now", 4}, {"force", 8}}
)

// configParams is the table, in Redis's order (CONFIG REWRITE appends new
// directives in this order).
var configParams = []*param{
	// Booleans.
	boolParam("rdbchecksum", "", paramImmutable, func(c *Config) *bool { return &c.RDBChecksum }, true),
	boolParam("daemonize", "", paramImmutable, func(c *Config) *bool { return &c.Daemonize }, false),
	boolParam("io-threads-do-reads", "", paramImmutable, func(c *Config) *bool { return &c.IOThreadsDoReads }, false),
	boolParam("always-show-logo", "", paramImmutable, func(c *Config) *bool { return &c.AlwaysShowLogo }, false),
	boolParam("protected-mode", "", 0, func(c *Config) *bool { return &c.ProtectedMode }, true),
	boolParam("rdbcompression", "", 0, func(c *Config) *bool { return &c.RDBCompression }, true),
	boolParam("rdb-del-sync-files", "", 0, func(c *Config) *bool { return &c.RDBDelSyncFiles }, false),
	boolParam("activerehashing", "", 0, func(c *Config) *bool { return &c.ActiveRehashing }, true),
	boolParam("stop-writes-on-bgsave-error", "", 0, func(c *Config) *bool { return &c.StopWritesOnBgsaveError }, true),
	boolParam("set-proc-title", "", paramImmutable, func(c *Config) *bool { return &c.SetProcTitle }, true),
	boolParam("dynamic-hz", "", 0, func(c *Config) *bool { return &c.DynamicHz }, true),
	boolParam("lazyfree-lazy-eviction", "", 0, func(c *Config) *bool { return &c.LazyfreeLazyEviction }, false),
	boolParam("lazyfree-lazy-expire", "", 0, func(c *Config) *bool { return &c.LazyfreeLazyExpire }, false),
	boolParam("lazyfree-lazy-server-del", "", 0, func(c *Config) *bool { return &c.LazyfreeLazyServerDel }, false),
	boolParam("lazyfree-lazy-user-del", "", 0, func(c *Config) *bool { return &c.LazyfreeLazyUserDel }, false),
	boolParam("lazyfree-lazy-user-flush", "", 0, func(c *Config) *bool { return &c.LazyfreeLazyUserFlush }, false),
	boolParam("repl-disable-tcp-nodelay", "", 0, func(c *Config) *bool { return &c.ReplDisableTCPNoDelay }, false),
	boolParam("repl-diskless-sync", "", 0, func(c *Config) *bool { return &c.ReplDisklessSync }, true),
	boolParam("aof-rewrite-incremental-fsync", "", 0, func(c *Config) *bool { return &c.AOFRewriteIncrementalFsync }, true),
	boolParam("no-appendfsync-on-rewrite", "", 0, func(c *Config) *bool { return &c.NoAppendfsyncOnRewrite }, false),
	boolParam("cluster-require-full-coverage", "", 0, func(c *Config) *bool { return &c.ClusterRequireFullCoverage }, true),
	boolParam("rdb-save-incremental-fsync", "", 0, func(c *Config) *bool { return &c.RDBSaveIncrementalFsync }, true),
	boolParam("aof-load-truncated", "", 0, func(c *Config) *bool { return &c.AOFLoadTruncated }, true),
	boolParam("aof-use-rdb-preamble", "", 0, func(c *Config) *bool { return &c.AOFUseRDBPreamble }, true),
	boolParam("aof-timestamp-enabled", "", 0, func(c *Config) *bool { return &c.AOFTimestampEnabled }, false),
	boolParam("cluster-replica-no-failover", "cluster-slave-no-failover", 0, func(c *Config) *bool { return &c.ClusterReplicaNoFailover }, false),
	boolParam("replica-lazy-flush", "slave-lazy-flush", 0, func(c *Config) *bool { return &c.ReplicaLazyFlush }, false),
	boolParam("replica-serve-stale-data", "slave-serve-stale-data", 0, func(c *Config) *bool { return &c.ReplicaServeStaleData }, true),
	boolParam("replica-read-only", "slave-read-only", 0, func(c *Config) *bool { return &c.ReplicaReadOnly }, true),
	boolParam("replica-ignore-maxmemory", "slave-ignore-maxmemory", 0, func(c *Config) *bool { return &c.ReplicaIgnoreMaxmemory }, true),
	boolParam("jemalloc-bg-thread", "", 0, func(c *Config) *bool { return &c.JemallocBgThread }, true),
	boolParam("activedefrag", "", 0, func(c *Config) *bool { return &c.ActiveDefrag }, false),
	boolParam("syslog-enabled", "", paramImmutable, func(c *Config) *bool { return &c.SyslogEnabled }, false),
	boolParam("cluster-enabled", "", paramImmutable, func(c *Config) *bool { return &c.ClusterEnabled }, false),
	boolParam("appendonly", "", paramDenyLoading, func(c *Config) *bool { return &c.AppendOnly }, false).withApply((*Server).applyAppendOnly),
	boolParam("cluster-allow-reads-when-down", "", 0, func(c *Config) *bool { return &c.ClusterAllowReadsWhenDown }, false),
	boolParam("cluster-allow-pubsubshard-when-down", "", 0, func(c *Config) *bool { return &c.ClusterAllowPubsubshardWhenDown }, true),
	boolParam("crash-log-enabled", "", 0, func(c *Config) *bool { return &c.CrashLogEnabled }, true),
	boolParam("crash-memcheck-enabled", "", 0, func(c *Config) *bool { return &c.CrashMemcheckEnabled }, true),
	boolParam("use-exit-on-panic", "", paramHidden, func(c *Config) *bool { return &c.UseExitOnPanic }, false),
	boolParam("disable-thp", "", paramImmutable, func(c *Config) *bool { return &c.DisableTHP }, true),
	boolParam("cluster-allow-replica-migration", "", 0, func(c *Config) *bool { return &c.ClusterAllowReplicaMigration }, true),
	boolParam("replica-announced", "", 0, func(c *Config) *bool { return &c.ReplicaAnnounced }, true),
	boolParam("latency-tracking", "", 0, func(c *Config) *bool { return &c.LatencyTracking }, true),
	boolParam("aof-disable-auto-gc", "", 0, func(c *Config) *bool { return &c.AOFDisableAutoGC }, false),
	boolParam("replica-ignore-disk-write-errors", "", 0, func(c *Config) *bool { return &c.ReplicaIgnoreDiskWriteErrors }, false),
	boolParam("lua-enable-deprecated-api", "", paramImmutable|paramHidden, func(c *Config) *bool { return &c.LuaEnableDeprecatedAPI }, false),

	// Strings.
	strParam("aclfile", "", paramImmutable, false, func(c *Config) *string { return &c.ACLFile }, ""),
	strParam("unixsocket", "", paramImmutable, true, func(c *Config) *string { return &c.UnixSocket }, ""),
	strParam("pidfile", "", paramImmutable, true, func(c *Config) *string { return &c.PidFile }, ""),
	strParam("replica-announce-ip", "slave-announce-ip", 0, true, func(c *Config) *string { return &c.ReplicaAnnounceIP }, ""),
	strParam("masteruser", "", paramSensitive, true, func(c *Config) *string { return &c.MasterUser }, ""),
	strParam("cluster-announce-ip", "", 0, true, func(c *Config) *string { return &c.ClusterAnnounceIP }, ""),
	strParam("cluster-config-file", "", paramImmutable, false, func(c *Config) *string { return &c.ClusterConfigFile }, "nodes.conf"),
	strParam("cluster-announce-hostname", "", 0, true, func(c *Config) *string { return &c.ClusterAnnounceHostname }, "").withValidate(validAnnouncedHostname),
	strParam("syslog-ident", "", paramImmutable, false, func(c *Config) *string { return &c.SyslogIdent }, "redis"),
	strParam("dbfilename", "", paramProtected, false, func(c *Config) *string { return &c.DBFilename }, "dump.rdb").withValidate(validDBFilename),
	strParam("appendfilename", "", paramImmutable, false, func(c *Config) *string { return &c.AppendFilename }, "appendonly.aof").withValidate(validAOFFilename),
	strParam("appenddirname", "", paramImmutable, false, func(c *Config) *string { return &c.AppendDirname }, "appendonlydir").withValidate(validAOFDirname),
	strParam("server_cpulist", "", paramImmutable, true, func(c *Config) *string { return &c.ServerCPUList }, ""),
	strParam("bio_cpulist", "", paramImmutable, true, func(c *Config) *string { return &c.BioCPUList }, ""),
	strParam("aof_rewrite_cpulist", "", paramImmutable, true, func(c *Config) *string { return &c.AOFRewriteCPUList }, ""),
	strParam("bgsave_cpulist", "", paramImmutable, true, func(c *Config) *string { return &c.BGSaveCPUList }, ""),
	strParam("ignore-warnings", "", 0, false, func(c *Config) *string { return &c.IgnoreWarnings }, ""),
	strParam("proc-title-template", "", 0, false, func(c *Config) *string { return &c.ProcTitleTemplate }, "{title} {listen-addr} {server-mode}").withValidate(validProcTitleTemplate),
	strParam("bind-source-addr", "", 0, true, func(c *Config) *string { return &c.BindSourceAddr }, ""),
	strParam("logfile", "", paramImmutable, false, func(c *Config) *string { return &c.LogFile }, ""),
	strParam("masterauth", "", paramSensitive, true, func(c *Config) *string { return &c.MasterAuth }, ""),
	strParam("requirepass", "", paramSensitive, true, func(c *Config) *string { return &c.Requirepass }, ""),

	// Enumerations.
	enumParam("supervised", "", paramImmutable, supervisedEnum, func(c *Config) *string { return &c.Supervised }, "no"),
	enumParam("syslog-facility", "", paramImmutable, syslogFacilityEnum, func(c *Config) *string { return &c.SyslogFacility }, "local0"),
	enumParam("repl-diskless-load", "", paramDenyLoading, replDisklessEnum, func(c *Config) *string { return &c.ReplDisklessLoad }, "disabled"),
	enumParam("loglevel", "", 0, loglevelEnum, func(c *Config) *string { return &c.LogLevel }, "notice").withApply((*Server).applyLogLevel),
	enumParam("maxmemory-policy", "", 0, maxmemoryPolicyEnum, func(c *Config) *string { return &c.MaxMemoryPolicy }, "noeviction"),
	enumParam("appendfsync", "", 0, aofFsyncEnum, func(c *Config) *string { return &c.AppendFsync }, "everysec").withApply((*Server).applyAppendFsync),
	enumParam("oom-score-adj", "", 0, oomScoreAdjEnum, func(c *Config) *string { return &c.OOMScoreAdj }, "no"),
	enumParam("acl-pubsub-default", "", 0, aclPubsubEnum, func(c *Config) *string { return &c.ACLPubsubDefault }, "resetchannels"),
	enumParam("sanitize-dump-payload", "", 0, sanitizeDumpEnum, func(c *Config) *string { return &c.SanitizeDumpPayload }, "no"),
	enumParam("enable-protected-configs", "", paramImmutable, protectedEnum, func(c *Config) *string { return &c.EnableProtectedConfigs }, "no"),
	enumParam("enable-debug-command", "", paramImmutable, protectedEnum, func(c *Config) *string { return &c.EnableDebugCommand }, "no"),
	enumParam("enable-module-command", "", paramImmutable, protectedEnum, func(c *Config) *string { return &c.EnableModuleCommand }, "no"),
	enumParam("cluster-preferred-endpoint-type", "", 0, endpointTypeEnum, func(c *Config) *string { return &c.ClusterPreferredEndpointType }, "ip"),
	enumParam("propagation-error-behavior", "", 0, propagationErrEnum, func(c *Config) *string { return &c.PropagationErrorBehavior }, "ignore"),
	enumParam("shutdown-on-sigint", "", paramMultiArg, shutdownOnSigEnum, func(c *Config) *string { return &c.ShutdownOnSigint }, "default").withValidate(validShutdownFlags),
	enumParam("shutdown-on-sigterm", "", paramMultiArg, shutdownOnSigEnum, func(c *Config) *string { return &c.ShutdownOnSigterm }, "default").withValidate(validShutdownFlags),

	// Integers (C int).
	numParam("databases", "", paramImmutable, 1, intMax, func(c *Config) *int { return &c.Databases }, 16, 0),
	numParam("port", "", 0, 0, 65535, func(c *Config) *int { return &c.Port }, 6379, 0).withApply((*Server).applyListeners),
	numParam("io-threads", "", paramImmutable, 1, 128, func(c *Config) *int { return &c.IOThreads }, 1, 0),
	// Ferrite's own (hidden: CONFIG GET * lists what Redis lists).
	numParam("busy-poll-usec", "", paramHidden, 0, 1000000, func(c *Config) *int { return &c.BusyPollUsec }, 50, 0).withApply((*Server).applyBusyPoll),
	numParam("auto-aof-rewrite-percentage", "", 0, 0, intMax, func(c *Config) *int { return &c.AutoAOFRewritePercentage }, 100, 0),
	numParam("cluster-replica-validity-factor", "cluster-slave-validity-factor", 0, 0, intMax, func(c *Config) *int { return &c.ClusterReplicaValidityFactor }, 10, 0),
	numParam("list-max-listpack-size", "list-max-ziplist-size", 0, intMin, intMax, func(c *Config) *int { return &c.ListMaxListpackSize }, -2, 0),
	numParam("tcp-keepalive", "", 0, 0, intMax, func(c *Config) *int { return &c.TCPKeepalive }, 300, 0),
	numParam("cluster-migration-barrier", "", 0, 0, intMax, func(c *Config) *int { return &c.ClusterMigrationBarrier }, 1, 0),
	numParam("active-defrag-cycle-min", "", 0, 1, 99, func(c *Config) *int { return &c.ActiveDefragCycleMin }, 1, 0),
	numParam("active-defrag-cycle-max", "", 0, 1, 99, func(c *Config) *int { return &c.ActiveDefragCycleMax }, 25, 0),
	numParam("active-defrag-threshold-lower", "", 0, 0, 1000, func(c *Config) *int { return &c.ActiveDefragThresholdLow }, 10, 0),
	numParam("active-defrag-threshold-upper", "", 0, 0, 1000, func(c *Config) *int { return &c.ActiveDefragThresholdHigh }, 100, 0),
	numParam("lfu-log-factor", "", 0, 0, intMax, func(c *Config) *int { return &c.LFULogFactor }, 10, 0),
	numParam("lfu-decay-time", "", 0, 0, intMax, func(c *Config) *int { return &c.LFUDecayTime }, 1, 0),
	numParam("replica-priority", "slave-priority", 0, 0, intMax, func(c *Config) *int { return &c.ReplicaPriority }, 100, 0),
	numParam("repl-diskless-sync-delay", "", 0, 0, intMax, func(c *Config) *int { return &c.ReplDisklessSyncDelay }, 5, 0),
	numParam("maxmemory-samples", "", 0, 1, intMax, func(c *Config) *int { return &c.MaxMemorySamples }, 5, 0),
	numParam("maxmemory-eviction-tenacity", "", 0, 0, 100, func(c *Config) *int { return &c.MaxMemoryEvictionTenacity }, 10, 0),
	numParam("timeout", "", 0, 0, intMax, func(c *Config) *int { return &c.Timeout }, 0, 0),
	numParam("replica-announce-port", "slave-announce-port", 0, 0, 65535, func(c *Config) *int { return &c.ReplicaAnnouncePort }, 0, 0),
	numParam("tcp-backlog", "", paramImmutable, 0, intMax, func(c *Config) *int { return &c.TCPBacklog }, 511, 0),
	numParam("cluster-port", "", paramImmutable, 0, 65535, func(c *Config) *int { return &c.ClusterPort }, 0, 0),
	numParam("cluster-announce-bus-port", "", 0, 0, 65535, func(c *Config) *int { return &c.ClusterAnnounceBusPort }, 0, 0),
	numParam("cluster-announce-port", "", 0, 0, 65535, func(c *Config) *int { return &c.ClusterAnnouncePort }, 0, 0),
	numParam("cluster-announce-tls-port", "", 0, 0, 65535, func(c *Config) *int { return &c.ClusterAnnounceTLSPort }, 0, 0),
	numParam("repl-timeout", "", 0, 1, intMax, func(c *Config) *int { return &c.ReplTimeout }, 60, 0),
	numParam("repl-ping-replica-period", "repl-ping-slave-period", 0, 1, intMax, func(c *Config) *int { return &c.ReplPingReplicaPeriod }, 10, 0),
	numParam("list-compress-depth", "", 0, 0, intMax, func(c *Config) *int { return &c.ListCompressDepth }, 0, 0),
	numParam("rdb-key-save-delay", "", paramHidden, intMin, intMax, func(c *Config) *int { return &c.RDBKeySaveDelay }, 0, 0),
	numParam("key-load-delay", "", paramHidden, intMin, intMax, func(c *Config) *int { return &c.KeyLoadDelay }, 0, 0),
	numParam("active-expire-effort", "", 0, 1, 10, func(c *Config) *int { return &c.ActiveExpireEffort }, 1, 0),
	numParam("hz", "", 0, 0, intMax, func(c *Config) *int { return &c.Hz }, 10, 0).withApply((*Server).applyHz),
	numParam("min-replicas-to-write", "min-slaves-to-write", 0, 0, intMax, func(c *Config) *int { return &c.MinReplicasToWrite }, 0, 0),
	numParam("min-replicas-max-lag", "min-slaves-max-lag", 0, 0, intMax, func(c *Config) *int { return &c.MinReplicasMaxLag }, 10, 0),
	numParam("watchdog-period", "", paramHidden, 0, intMax, func(c *Config) *int { return &c.WatchdogPeriod }, 0, 0),
	numParam("shutdown-timeout", "", 0, 0, intMax, func(c *Config) *int { return &c.ShutdownTimeout }, 10, 0),
	numParam("repl-diskless-sync-max-replicas", "", 0, 0, intMax, func(c *Config) *int { return &c.ReplDisklessSyncMaxReplicas }, 0, 0),

	// Unsigned int.
	numParam("maxclients", "", 0, 1, uintMax, func(c *Config) *int { return &c.MaxClients }, 10000, numUnsigned),
	numParam("unixsocketperm", "", paramImmutable, 0, 0777, func(c *Config) *int { return &c.UnixSocketPerm }, 0, numUnsigned|numOctal),
	numParam("socket-mark-id", "", paramImmutable, 0, uintMax, func(c *Config) *int64 { return &c.SocketMarkID }, 0, numUnsigned),

	// Unsigned long.
	numParam("active-defrag-max-scan-fields", "", 0, 1, llongMax, func(c *Config) *int64 { return &c.ActiveDefragMaxScanFields }, 1000, 0),
	numParam("slowlog-max-len", "", 0, 0, llongMax, func(c *Config) *int64 { return &c.SlowlogMaxLen }, 128, 0),
	numParam("acllog-max-len", "", 0, 0, llongMax, func(c *Config) *int64 { return &c.ACLLogMaxLen }, 128, 0),

	// Long long.
	numParam("busy-reply-threshold", "lua-time-limit", 0, 0, llongMax, func(c *Config) *int64 { return &c.BusyReplyThreshold }, 5000, 0),
	numParam("cluster-node-timeout", "", 0, 0, llongMax, func(c *Config) *int64 { return &c.ClusterNodeTimeout }, 15000, 0),
	numParam("slowlog-log-slower-than", "", 0, -1, llongMax, func(c *Config) *int64 { return &c.SlowlogLogSlowerThan }, 10000, 0),
	numParam("latency-monitor-threshold", "", 0, 0, llongMax, func(c *Config) *int64 { return &c.LatencyMonitorThreshold }, 0, 0),
	numParam("proto-max-bulk-len", "", 0, 1<<20, llongMax, func(c *Config) *int64 { return &c.ProtoMaxBulkLen }, 512<<20, numMemory),
	numParam("stream-node-max-entries", "", 0, 0, llongMax, func(c *Config) *int64 { return &c.StreamNodeMaxEntries }, 100, 0),
	numParam("repl-backlog-size", "", 0, 1, llongMax, func(c *Config) *int64 { return &c.ReplBacklogSize }, 1<<20, numMemory).withApply((*Server).applyReplBacklogSize),

	// Unsigned long long.
	numParam("maxmemory", "", 0, 0, ullMax, func(c *Config) *int64 { return &c.MaxMemory }, 0, numMemory|numUnsigned).withApply((*Server).applyMaxmemory),
	numParam("cluster-link-sendbuf-limit", "", 0, 0, ullMax, func(c *Config) *int64 { return &c.ClusterLinkSendbufLimit }, 0, numMemory|numUnsigned),

	// size_t.
	numParam("hash-max-listpack-entries", "hash-max-ziplist-entries", 0, 0, llongMax, func(c *Config) *int64 { return &c.HashMaxListpackEntries }, 512, numUnsigned),
	numParam("set-max-intset-entries", "", 0, 0, llongMax, func(c *Config) *int64 { return &c.SetMaxIntsetEntries }, 512, numUnsigned),
	numParam("zset-max-listpack-entries", "zset-max-ziplist-entries", 0, 0, llongMax, func(c *Config) *int64 { return &c.ZsetMaxListpackEntries }, 128, numUnsigned),
	numParam("active-defrag-ignore-bytes", "", 0, 1, llongMax, func(c *Config) *int64 { return &c.ActiveDefragIgnoreBytes }, 100<<20, numMemory|numUnsigned),
	numParam("hash-max-listpack-value", "hash-max-ziplist-value", 0, 0, llongMax, func(c *Config) *int64 { return &c.HashMaxListpackValue }, 64, numMemory|numUnsigned),
	numParam("stream-node-max-bytes", "", 0, 0, llongMax, func(c *Config) *int64 { return &c.StreamNodeMaxBytes }, 4096, numMemory|numUnsigned),
	numParam("zset-max-listpack-value", "zset-max-ziplist-value", 0, 0, llongMax, func(c *Config) *int64 { return &c.ZsetMaxListpackValue }, 64, numMemory|numUnsigned),
	numParam("hll-sparse-max-bytes", "", 0, 0, llongMax, func(c *Config) *int64 { return &c.HLLSparseMaxBytes }, 3000, numMemory|numUnsigned),
	numParam("tracking-table-max-keys", "", 0, 0, llongMax, func(c *Config) *int64 { return &c.TrackingTableMaxKeys }, 1000000, numUnsigned),
	numParam("client-query-buffer-limit", "", 0, 1<<20, llongMax, func(c *Config) *int64 { return &c.ClientQueryBufferLimit }, 1<<30, numMemory|numUnsigned),
	numParam("maxmemory-clients", "", 0, -100, llongMax, func(c *Config) *int64 { return &c.MaxMemoryClients }, 0, numMemory|numPercent),

	// time_t, off_t.
	numParam("repl-backlog-ttl", "", 0, 0, llongMax, func(c *Config) *int64 { return &c.ReplBacklogTTL }, 3600, 0),
	numParam("auto-aof-rewrite-min-size", "", 0, 0, llongMax, func(c *Config) *int64 { return &c.AutoAOFRewriteMinSize }, 64<<20, numMemory),
	numParam("loading-process-events-interval-bytes", "", paramHidden, 1024, intMax, func(c *Config) *int64 { return &c.LoadingProcessEventsIntervalBytes }, 2<<20, 0),

	// TLS.
	numParam("tls-port", "", 0, 0, 65535, func(c *Config) *int { return &c.TLSPort }, 0, 0),
	numParam("tls-session-cache-size", "", 0, 0, intMax, func(c *Config) *int { return &c.TLSSessionCacheSize }, 20*1024, 0),
	numParam("tls-session-cache-timeout", "", 0, 0, intMax, func(c *Config) *int { return &c.TLSSessionCacheTimeout }, 300, 0),
	boolParam("tls-cluster", "", 0, func(c *Config) *bool { return &c.TLSCluster }, false),
	boolParam("tls-replication", "", 0, func(c *Config) *bool { return &c.TLSReplication }, false),
	enumParam("tls-auth-clients", "", 0, tlsAuthClientsEnum, func(c *Config) *string { return &c.TLSAuthClients }, "yes"),
	boolParam("tls-prefer-server-ciphers", "", 0, func(c *Config) *bool { return &c.TLSPreferServerCiphers }, false),
	boolParam("tls-session-caching", "", 0, func(c *Config) *bool { return &c.TLSSessionCaching }, true),
	strParam("tls-cert-file", "", 0, true, func(c *Config) *string { return &c.TLSCertFile }, ""),
	strParam("tls-key-file", "", 0, true, func(c *Config) *string { return &c.TLSKeyFile }, ""),
	strParam("tls-key-file-pass", "", 0, true, func(c *Config) *string { return &c.TLSKeyFilePass }, ""),
	strParam("tls-client-cert-file", "", 0, true, func(c *Config) *string { return &c.TLSClientCertFile }, ""),
	strParam("tls-client-key-file", "", 0, true, func(c *Config) *string { return &c.TLSClientKeyFile }, ""),
	strParam("tls-client-key-file-pass", "", 0, true, func(c *Config) *string { return &c.TLSClientKeyFilePass }, ""),
	strParam("tls-dh-params-file", "", 0, true, func(c *Config) *string { return &c.TLSDHParamsFile }, ""),
	strParam("tls-ca-cert-file", "", 0, true, func(c *Config) *string { return &c.TLSCACertFile }, ""),
	strParam("tls-ca-cert-dir", "", 0, true, func(c *Config) *string { return &c.TLSCACertDir }, ""),
	strParam("tls-protocols", "", 0, true, func(c *Config) *string { return &c.TLSProtocols }, ""),
	strParam("tls-ciphers", "", 0, true, func(c *Config) *string { return &c.TLSCiphers }, ""),
	strParam("tls-ciphersuites", "", 0, true, func(c *Config) *string { return &c.TLSCiphersuites }, ""),

	// Special parameters, with their own syntax.
	specialParam("dir", "", paramProtected|paramDenyLoading, "", setDir, getDir, rewriteDir).withReset(func(c *Config) { c.Dir = "." }),
	specialParam("save", "", paramMultiArg, "3600 1 300 100 60 10000", setSave, getSave, rewriteSave),
	specialParam("client-output-buffer-limit", "", paramMultiArg, "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60", setOutputBufferLimits, getOutputBufferLimits, rewriteOutputBufferLimits),
	specialParam("oom-score-adj-values", "", paramMultiArg, "0 200 800", setOOMScoreAdjValues, getOOMScoreAdjValues, rewriteOOMScoreAdjValues),
	specialParam("notify-keyspace-events", "", 0, "", setNotifyKeyspaceEvents, getNotifyKeyspaceEvents, rewriteNotifyKeyspaceEvents),
	specialParam("bind", "", paramMultiArg, "* -::*", setBind, getBind, rewriteBind).withApply((*Server).applyListeners),
	specialParam("replicaof", "slaveof", paramImmutable|paramMultiArg, "", setReplicaOf, getReplicaOf, rewriteReplicaOf).withReset(func(c *Config) { c.MasterHost, c.MasterPort = "", 0 }),
	specialParam("latency-tracking-info-percentiles", "", paramMultiArg, "50 99 99.9", setLatencyPercentiles, getLatencyPercentiles, rewriteLatencyPercentiles),
}

// paramEntry is one name a parameter answers to: its own or its alias.
// Redis registers an alias as a separate entry, which CONFIG GET lists and
// CONFIG SET's duplicate check tells apart from the primary name.
type paramEntry struct {
	name    string
	p       *param
	isAlias bool
}

var (
	paramEntries []paramEntry          // primary names and aliases, table order
	paramLookup  map[string]paramEntry // by lower-case name
)

func init() {
	paramLookup = make(map[string]paramEntry, 2*len(configParams))
	for _, p := range configParams {
		e := paramEntry{name: p.name, p: p}
		paramEntries = append(paramEntries, e)
		paramLookup[p.name] = e
		if p.alias != "" {
			a := paramEntry{name: p.alias, p: p, isAlias: true}
			paramEntries = append(paramEntries, a)
			paramLookup[p.alias] = a
		}
	}
}

// lookupParam finds a parameter by name or alias, case-insensitively.
func lookupParam(name string) (paramEntry, bool) {
	e, ok := paramLookup[strings.ToLower(name)]
	return e, ok
}

// --- setting, getting, defaults ---

// reset sets the parameter to its default.
func (p *param) reset(c *Config) {
	if p.resetFn != nil {
		p.resetFn(c)
		return
	}
	if err := p.set(c, p.defaultArgs()); err != "" {
		panic("config: bad default for " + p.name + ": " + err)
	}
}

// defaultArgs is the default as set arguments.
func (p *param) defaultArgs() []string {
	if p.flags&paramMultiArg != 0 {
		return splitMultiArg(p.def)
	}
	return []string{p.def}
}

// splitMultiArg splits a CONFIG SET value of a multi-argument parameter
// on single spaces, as Redis's sdssplitlen: "" is no argument at all and
// two spaces make an empty argument.
func splitMultiArg(v string) []string {
	if v == "" {
		return nil
	}
	return strings.Split(v, " ")
}

// set parses args and stores the value in c. It returns Redis's error text
// ("argument must be 'yes' or 'no'", ...), "" on success. Arguments were
// counted by the caller: exactly one unless paramMultiArg.
func (p *param) set(c *Config, args []string) string {
	switch p.kind {
	case kindBool:
		v, ok := parseYesNo(args[0])
		if !ok {
			return "argument must be 'yes' or 'no'"
		}
		*p.boolField(c) = v
	case kindNum:
		v, err := p.parseNum(args[0])
		if err != "" {
			return err
		}
		if err := p.checkBounds(v); err != "" {
			return err
		}
		p.num.set(c, v)
	case kindString:
		if p.validate != nil {
			if err := p.validate(args[0]); err != "" {
				return err
			}
		}
		*p.strField(c) = args[0]
	case kindEnum:
		v, err := p.parseEnum(args)
		if err != "" {
			return err
		}
		*p.strField(c) = v
	case kindSpecial:
		return p.setFn(c, args)
	}
	return ""
}

// get is the value as CONFIG GET shows it.
func (p *param) get(c *Config) string {
	switch p.kind {
	case kindBool:
		return yesNoString(*p.boolField(c))
	case kindNum:
		return p.formatNum(p.num.get(c))
	case kindString, kindEnum:
		return *p.strField(c)
	default:
		return p.getFn(c)
	}
}

// check validates a value set in code (Config.Validate).
func (p *param) check(c *Config) error {
	var msg string
	switch p.kind {
	case kindNum:
		msg = p.checkBounds(p.num.get(c))
	case kindEnum:
		if _, err := p.parseEnum(splitMultiArg(*p.strField(c))); err != "" {
			msg = err
		}
	}
	if msg != "" {
		return errorString(msg)
	}
	return nil
}

type errorString string

func (e errorString) Error() string { return string(e) }

func parseYesNo(s string) (bool, bool) {
	switch {
	case strings.EqualFold(s, "yes"):
		return true, true
	case strings.EqualFold(s, "no"):
		return false, true
	}
	return false, false
}

func yesNoString(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// parseNum is Redis's numericParseString: memory units first, then a
// percentage, then octal, then a plain strict integer.
func (p *param) parseNum(s string) (int64, string) {
	if p.nflags&numMemory != 0 {
		if v, ok := memToUint64(s); ok {
			return int64(v), ""
		}
	}
	if p.nflags&numPercent != 0 && len(s) > 1 && s[len(s)-1] == '%' {
		if v, ok := datatypes.ParseInt([]byte(s[:len(s)-1])); ok && v >= 0 {
			return -v, "" // percentages are stored negative
		}
	}
	if p.nflags&numOctal != 0 {
		if v, err := strconv.ParseInt(s, 8, 64); err == nil || s == "" {
			return v, ""
		}
	}
	if p.nflags&(numMemory|numPercent|numOctal) == 0 {
		if v, ok := datatypes.ParseInt([]byte(s)); ok {
			return v, ""
		}
	}
	switch {
	case p.nflags&numMemory != 0 && p.nflags&numPercent != 0:
		return 0, "argument must be a memory or percent value"
	case p.nflags&numMemory != 0:
		return 0, "argument must be a memory value"
	case p.nflags&numOctal != 0:
		return 0, "argument couldn't be parsed as an octal number"
	}
	return 0, "argument couldn't be parsed into an integer"
}

// checkBounds is Redis's numericBoundaryCheck.
func (p *param) checkBounds(v int64) string {
	if p.nflags&numUnsigned != 0 {
		u, lo, hi := uint64(v), uint64(p.lo), uint64(p.hi)
		if u > hi || u < lo {
			if p.nflags&numOctal != 0 {
				return "argument must be between " + strconv.FormatUint(lo, 8) + " and " + strconv.FormatUint(hi, 8) + " inclusive"
			}
			return "argument must be between " + strconv.FormatUint(lo, 10) + " and " + strconv.FormatUint(hi, 10) + " inclusive"
		}
		return ""
	}
	if p.nflags&numPercent != 0 && v < 0 {
		if v < p.lo {
			return "percentage argument must be less or equal to " + strconv.FormatInt(-p.lo, 10)
		}
		return ""
	}
	if v > p.hi || v < p.lo {
		return "argument must be between " + strconv.FormatInt(p.lo, 10) + " and " + strconv.FormatInt(p.hi, 10) + " inclusive"
	}
	return ""
}

func (p *param) formatNum(v int64) string {
	switch {
	case p.nflags&numPercent != 0 && v < 0:
		return strconv.FormatInt(-v, 10) + "%"
	case p.nflags&numMemory != 0:
		return strconv.FormatUint(uint64(v), 10)
	case p.nflags&numOctal != 0:
		return strconv.FormatUint(uint64(v), 8)
	}
	return strconv.FormatInt(v, 10)
}

// memToUint64 is Redis's memtoull: digits followed by an optional unit
// (b, k, kb, m, mb, g, gb, any case; k/m/g are powers of 1000). Like
// Redis, it saturates on overflow of the digits and wraps on the unit.
func memToUint64(s string) (uint64, bool) {
	if strings.HasPrefix(s, "-") {
		return 0, false
	}
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	var mul uint64
	switch strings.ToLower(s[i:]) {
	case "", "b":
		mul = 1
	case "k":
		mul = 1000
	case "kb":
		mul = 1024
	case "m":
		mul = 1000 * 1000
	case "mb":
		mul = 1024 * 1024
	case "g":
		mul = 1000 * 1000 * 1000
	case "gb":
		mul = 1024 * 1024 * 1024
	default:
		return 0, false
	}
	if i >= 128 {
		return 0, false
	}
	var v uint64
	if i > 0 {
		var err error
		if v, err = strconv.ParseUint(s[:i], 10, 64); err != nil {
			v = 1<<64 - 1 // strtoull saturates; Redis does not check ERANGE
		}
	}
	return v * mul, true
}

// parseEnum matches each argument case-insensitively; a bitflags
// parameter ORs several, the others take exactly one. It returns the
// canonical name(s).
func (p *param) parseEnum(args []string) (string, string) {
	val, ok := 0, len(args) > 0 && (p.bitflags || len(args) == 1)
	for _, a := range args {
		matched := false
		for _, e := range p.enum {
			if strings.EqualFold(a, e.name) {
				val |= e.val
				matched = true
			}
		}
		if !matched {
			ok = false
		}
	}
	if !ok {
		names := make([]string, len(p.enum))
		for i, e := range p.enum {
			names[i] = e.name
		}
		return "", clip("argument(s) must be one of the following: "+strings.Join(names, ", "), 255)
	}
	name := p.enumName(val)
	if p.validate != nil {
		if err := p.validate(name); err != "" {
			return "", err
		}
	}
	return name, ""
}

// enumName is Redis's configEnumGetName: the first exact match, else for
// bitflags the names of the set flags in table order.
func (p *param) enumName(val int) string {
	var names []string
	unmatched := val
	for _, e := range p.enum {
		if e.val == val {
			return e.name
		}
		if p.bitflags && e.val != 0 && e.val == unmatched&e.val {
			names = append(names, e.name)
			unmatched &^= e.val
		}
	}
	if len(names) == 0 || unmatched != 0 {
		return "unknown"
	}
	return strings.Join(names, " ")
}

// --- validators ---

func validShutdownFlags(v string) string {
	f := " " + v + " "
	if strings.Contains(f, " save ") && strings.Contains(f, " nosave ") {
		return "shutdown options SAVE and NOSAVE can't be used simultaneously"
	}
	return ""
}

func pathIsBaseName(s string) bool { return !strings.ContainsAny(s, "/\\") }

func validDBFilename(v string) string {
	if !pathIsBaseName(v) {
		return "dbfilename can't be a path, just a filename"
	}
	return ""
}

func validAOFFilename(v string) string {
	if v == "" {
		return "appendfilename can't be empty"
	}
	if !pathIsBaseName(v) {
		return "appendfilename can't be a path, just a filename"
	}
	return ""
}

func validAOFDirname(v string) string {
	if v == "" {
		return "appenddirname can't be empty"
	}
	if !pathIsBaseName(v) {
		return "appenddirname can't be a path, just a dirname"
	}
	return ""
}

func validAnnouncedHostname(v string) string {
	if len(v) >= 256 {
		return "Hostnames must be less than 256 characters"
	}
	for i := 0; i < len(v); i++ {
		ch := v[i]
		if !(ch >= 'A' && ch <= 'Z' || ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' || ch == '-' || ch == '.') {
			return "Hostnames may only contain alphanumeric characters, hyphens or dots"
		}
	}
	return ""
}

// validProcTitleTemplate is Redis's validateProcTitleTemplate: the
// template must expand (known {variables}, "{{" for a brace) to something
// non-blank.
func validProcTitleTemplate(v string) string {
	const bad = "template format is invalid or contains unknown variables"
	var out strings.Builder
	for rest := v; rest != ""; {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			out.WriteString(rest)
			break
		}
		out.WriteString(rest[:i])
		rest = rest[i+1:]
		if rest == "" {
			return bad
		}
		if rest[0] == '{' {
			out.WriteByte('{')
			rest = rest[1:]
			continue
		}
		j := strings.IndexByte(rest, '}')
		if j < 0 {
			return bad
		}
		switch rest[:j] {
		case "title", "server-mode":
		case "listen-addr", "port", "tls-port", "unixsocket", "config-file":
			out.WriteString("x")
		default:
			return bad
		}
		rest = rest[j+1:]
	}
	if strings.Trim(out.String(), " ") == "" {
		return bad
	}
	return ""
}

// --- special parameters ---

// setDir checks that the directory exists and stores it absolute. Redis
// chdir()s; Ferrite keeps the process directory alone (several servers
// may share a process) and persistence joins paths to Config.Dir.
func setDir(c *Config, args []string) string {
	if len(args) != 1 {
		return "wrong number of arguments"
	}
	d := args[0]
	if !filepath.IsAbs(d) {
		d = filepath.Join(getDir(c), d)
	}
	fi, err := os.Stat(d)
	if err != nil {
		return strerror(err)
	}
	if !fi.IsDir() {
		return strerror(syscall.ENOTDIR)
	}
	c.Dir = filepath.Clean(d)
	return ""
}

func getDir(c *Config) string {
	d, err := filepath.Abs(c.Dir)
	if err != nil {
		return ""
	}
	return d
}

// setSave replaces the save points (a config file appends instead: see
// the loader).
func setSave(c *Config, args []string) string {
	sp, err := parseSaveParams(args)
	if err != "" {
		return err
	}
	c.Save = sp
	return ""
}

// parseSaveParams reads "seconds changes" pairs; a single "" is none.
func parseSaveParams(args []string) ([]SaveParam, string) {
	const bad = "Invalid save parameters"
	if len(args) == 1 && args[0] == "" {
		args = nil
	}
	if len(args)%2 != 0 {
		return nil, bad
	}
	sp := make([]SaveParam, 0, len(args)/2)
	for j := 0; j < len(args); j += 2 {
		secs, rest1 := cStrtoll(args[j])
		changes, rest2 := cStrtoll(args[j+1])
		if rest1 != "" || rest2 != "" || secs < 1 || changes < 0 {
			return nil, bad
		}
		sp = append(sp, SaveParam{Seconds: secs, Changes: int64(int32(changes))})
	}
	return sp, ""
}

func getSave(c *Config) string {
	parts := make([]string, 0, 2*len(c.Save))
	for _, p := range c.Save {
		parts = append(parts, strconv.FormatInt(p.Seconds, 10), strconv.FormatInt(p.Changes, 10))
	}
	return strings.Join(parts, " ")
}

// obufClassNames are the class names CONFIG GET shows (Redis's
// getClientTypeName).
var obufClassNames = [3]string{"normal", "slave", "pubsub"}

// setOutputBufferLimits is Redis's updateClientOutputBufferLimit: groups
// of <class> <hard> <soft> <soft seconds>, all checked before any is set.
func setOutputBufferLimits(c *Config, args []string) string {
	if len(args)%4 != 0 {
		return "Wrong number of arguments in buffer limit configuration."
	}
	limits := c.ClientOutputLimits
	for j := 0; j < len(args); j += 4 {
		class := -1
		switch strings.ToLower(args[j]) {
		case "normal":
			class = obufNormal
		case "slave", "replica":
			class = obufReplica
		case "pubsub":
			class = obufPubsub
		}
		if class < 0 {
			return "Invalid client class specified in buffer limit configuration."
		}
		hard, ok1 := memToUint64(args[j+1])
		soft, ok2 := memToUint64(args[j+2])
		secs, rest := cStrtoll(args[j+3])
		secs = int64(int32(secs)) // Redis keeps it in an int
		if !ok1 || !ok2 || secs < 0 || rest != "" {
			return "Error in hard, soft or soft_seconds setting in buffer limit configuration."
		}
		limits[class] = OutputBufferLimit{Hard: int64(hard), Soft: int64(soft), SoftSecs: secs}
	}
	c.ClientOutputLimits = limits
	return ""
}

func getOutputBufferLimits(c *Config) string {
	var b strings.Builder
	for i, l := range c.ClientOutputLimits {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(obufClassNames[i] + " " + strconv.FormatUint(uint64(l.Hard), 10) + " " +
			strconv.FormatUint(uint64(l.Soft), 10) + " " + strconv.FormatInt(l.SoftSecs, 10))
	}
	return b.String()
}

func setOOMScoreAdjValues(c *Config, args []string) string {
	if len(args) != 3 {
		return "wrong number of arguments"
	}
	var vals [3]int
	for i, a := range args {
		v, rest := cStrtoll(a)
		if rest != "" || v < -2000 || v > 2000 {
			return "Invalid oom-score-adj-values, elements must be between -2000 and 2000."
		}
		vals[i] = int(v)
	}
	c.OOMScoreAdjValues = vals
	return ""
}

func getOOMScoreAdjValues(c *Config) string {
	v := c.OOMScoreAdjValues
	return strconv.Itoa(v[0]) + " " + strconv.Itoa(v[1]) + " " + strconv.Itoa(v[2])
}

// NotifyFlags are the classes of keyspace events notify-keyspace-events
// enables, with Redis's NOTIFY_* bit values.
type NotifyFlags int

const (
	NotifyKeyspace NotifyFlags = 1 << iota // K
	NotifyKeyevent                         // E
	NotifyGeneric                          // g
	NotifyString                           // $
	NotifyList                             // l
	NotifySet                              // s
	NotifyHash                             // h
	NotifyZset                             // z
	NotifyExpired                          // x
	NotifyEvicted                          // e
	NotifyStream                           // t
	NotifyKeyMiss                          // m (not part of A)
	NotifyLoaded                           // module-only
	NotifyModule                           // d
	NotifyNew                              // n (not part of A)

	NotifyAll = NotifyGeneric | NotifyString | NotifyList | NotifySet | NotifyHash |
		NotifyZset | NotifyExpired | NotifyEvicted | NotifyStream | NotifyModule // A
)

// ParseNotifyFlags is Redis's keyspaceEventsStringToFlags.
func ParseNotifyFlags(s string) (NotifyFlags, bool) {
	var f NotifyFlags
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case 'A':
			f |= NotifyAll
		case 'g':
			f |= NotifyGeneric
		case '$':
			f |= NotifyString
		case 'l':
			f |= NotifyList
		case 's':
			f |= NotifySet
		case 'h':
			f |= NotifyHash
		case 'z':
			f |= NotifyZset
		case 'x':
			f |= NotifyExpired
		case 'e':
			f |= NotifyEvicted
		case 'K':
			f |= NotifyKeyspace
		case 'E':
			f |= NotifyKeyevent
		case 't':
			f |= NotifyStream
		case 'm':
			f |= NotifyKeyMiss
		case 'd':
			f |= NotifyModule
		case 'n':
			f |= NotifyNew
		default:
			return 0, false
		}
	}
	return f, true
}

// String is Redis's keyspaceEventsFlagsToString.
func (f NotifyFlags) String() string {
	var b []byte
	if f&NotifyAll == NotifyAll {
		b = append(b, 'A')
	} else {
		for _, fc := range []struct {
			f NotifyFlags
			c byte
		}{{NotifyGeneric, 'g'}, {NotifyString, '$'}, {NotifyList, 'l'}, {NotifySet, 's'}, {NotifyHash, 'h'},
			{NotifyZset, 'z'}, {NotifyExpired, 'x'}, {NotifyEvicted, 'e'}, {NotifyStream, 't'},
			{NotifyModule, 'd'}, {NotifyNew, 'n'}} {
			if f&fc.f != 0 {
				b = append(b, fc.c)
			}
		}
	}
	if f&NotifyKeyspace != 0 {
		b = append(b, 'K')
	}
	if f&NotifyKeyevent != 0 {
		b = append(b, 'E')
	}
	if f&NotifyKeyMiss != 0 {
		b = append(b, 'm')
	}
	return string(b)
}

func setNotifyKeyspaceEvents(c *Config, args []string) string {
	if len(args) != 1 {
		return "wrong number of arguments"
	}
	f, ok := ParseNotifyFlags(args[0])
	if !ok {
		return "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."
	}
	c.NotifyKeyspaceEvents = f
	return ""
}

func getNotifyKeyspaceEvents(c *Config) string { return c.NotifyKeyspaceEvents.String() }

// maxBindAddrs is Redis's CONFIG_BINDADDR_MAX.
const maxBindAddrs = 16

func setBind(c *Config, args []string) string {
	if len(args) > maxBindAddrs {
		return "Too many bind addresses specified."
	}
	if len(args) == 1 && args[0] == "" {
		args = nil
	}
	c.Bind = append([]string{}, args...)
	return ""
}

func getBind(c *Config) string { return strings.Join(c.Bind, " ") }

func setReplicaOf(c *Config, args []string) string {
	if len(args) != 2 {
		return "wrong number of arguments"
	}
	c.MasterHost, c.MasterPort = "", 0
	if strings.EqualFold(args[0], "no") && strings.EqualFold(args[1], "one") {
		return ""
	}
	port, rest := cStrtoll(args[1])
	if port < 0 || port > 65535 || rest != "" {
		return "Invalid master port"
	}
	c.MasterHost, c.MasterPort = args[0], int(port)
	return ""
}

func getReplicaOf(c *Config) string {
	if c.MasterHost == "" {
		return ""
	}
	return c.MasterHost + " " + strconv.Itoa(c.MasterPort)
}

func setLatencyPercentiles(c *Config, args []string) string {
	if len(args) == 1 && args[0] == "" {
		args = nil
	}
	ps := make([]float64, 0, len(args))
	for _, a := range args {
		v, ok := parseCDouble(a)
		if !ok {
			return "Invalid latency-tracking-info-percentiles parameters"
		}
		if v > 100 || v < 0 {
			return "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]"
		}
		ps = append(ps, v)
	}
	c.LatencyTrackingInfoPercentiles = ps
	return ""
}

func getLatencyPercentiles(c *Config) string {
	parts := make([]string, len(c.LatencyTrackingInfoPercentiles))
	for i, v := range c.LatencyTrackingInfoPercentiles {
		parts[i] = formatPercentile(v)
	}
	return strings.Join(parts, " ")
}

// formatPercentile is printf("%f") without trailing zeros, as Redis's
// trimDoubleString.
func formatPercentile(v float64) string {
	s := strconv.FormatFloat(v, 'f', 6, 64)
	if strings.IndexByte(s, '.') >= 0 {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, ".")
	}
	return s
}

// parseCDouble is Redis's string2d: the whole string is a finite or
// infinite number, no leading space, no NaN.
func parseCDouble(s string) (float64, bool) {
	if s == "" || isCSpace(s[0]) {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) {
		return 0, false
	}
	return v, true
}

// cStrtoll is C's strtoll(s, &end, 10): leading white space, a sign,
// digits (saturating on overflow); it returns the unparsed rest, which
// Redis requires to be empty. No digits at all parses as 0 with s as the
// rest, except for "" which is 0 with nothing left, as in C.
func cStrtoll(s string) (int64, string) {
	i := 0
	for i < len(s) && isCSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	start := i
	var v uint64
	overflow := false
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		d := uint64(s[i] - '0')
		if v > (1<<64-1-d)/10 {
			overflow = true
		} else {
			v = v*10 + d
		}
		i++
	}
	if i == start {
		return 0, s
	}
	switch {
	case neg && (overflow || v > 1<<63):
		return math.MinInt64, s[i:]
	case neg:
		return -int64(v), s[i:]
	case overflow || v > math.MaxInt64:
		return math.MaxInt64, s[i:]
	}
	return int64(v), s[i:]
}

// strerror is C's strerror(errno) for err's errno: "No such file or
// directory", with Redis's capital.
func strerror(err error) string {
	var errno syscall.Errno
	msg := err.Error()
	if errors.As(err, &errno) {
		msg = errno.Error()
	}
	if msg != "" && msg[0] >= 'a' && msg[0] <= 'z' {
		msg = string(msg[0]-'a'+'A') + msg[1:]
	}
	return msg
}
