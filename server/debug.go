package server

import (
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"ferrite/datatypes"
	"ferrite/server/resp"
)

// DEBUG: the subcommands of Redis 7.0's debug.c that mean something for
// Ferrite. The others (crash helpers, allocator tuning, RELOAD and
// LOADAOF until persistence lands, encodings' internals) answer Redis's
// generic DEBUG error. DEBUG is a protected command: dispatch refuses it
// unless enable-debug-command allows it.

var debugHelp = []string{
	"AOF-FLUSH-SLEEP <microsec>",
	"    Server will sleep before flushing the AOF, this is used for testing.",
	"ASSERT",
	"    Crash by assertion failed.",
	"CHANGE-REPL-ID",
	"    Change the replication IDs of the instance.",
	"    Dangerous: should be used only for testing the replication subsystem.",
	"CONFIG-REWRITE-FORCE-ALL",
	"    Like CONFIG REWRITE but writes all configuration options, including",
	"    keywords not listed in original configuration file or default values.",
	"CRASH-AND-RECOVER [<milliseconds>]",
	"    Hard crash and restart after a <milliseconds> delay (default 0).",
	"DIGEST",
	"    Output a hex signature representing the current DB content.",
	"DIGEST-VALUE <key> [<key> ...]",
	"    Output a hex signature of the values of all the specified keys.",
	"ERROR <string>",
	"    Return a Redis protocol error with <string> as message. Useful for clients",
	"    unit tests to simulate Redis errors.",
	"LEAK <string>",
	"    Create a memory leak of the input string.",
	"LOG <message>",
	"    Write <message> to the server log.",
	"HTSTATS <dbid>",
	"    Return hash table statistics of the specified Redis database.",
	"HTSTATS-KEY <key>",
	"    Like HTSTATS but for the hash table stored at <key>'s value.",
	"LOADAOF",
	"    Flush the AOF buffers on disk and reload the AOF in memory.",
	"REPLICATE <string>",
	"    Replicates the provided string to replicas, allowing data divergence.",
	"MALLCTL <key> [<val>]",
	"    Get or set a malloc tuning integer.",
	"MALLCTL-STR <key> [<val>]",
	"    Get or set a malloc tuning string.",
	"OBJECT <key>",
	"    Show low level info about `key` and associated value.",
	"DROP-CLUSTER-PACKET-FILTER <packet-type>",
	"    Drop all packets that match the filtered type. Set to -1 allow all packets.",
	"OOM",
	"    Crash the server simulating an out-of-memory error.",
	"PANIC",
	"    Crash the server simulating a panic.",
	"POPULATE <count> [<prefix>] [<size>]",
	"    Create <count> string keys named key:<num>. If <prefix> is specified then",
	"    it is used instead of the 'key' prefix. These are not propagated to",
	"    replicas. Cluster slots are not respected so keys not belonging to the",
	"    current node can be created in cluster mode.",
	"PROTOCOL <type>",
	"    Reply with a test value of the specified type. <type> can be: string,",
	"    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
	"    true, false.",
	"RELOAD [option ...]",
	"    Save the RDB on disk and reload it back to memory. Valid <option> values:",
	"    * MERGE: conflicting keys will be loaded from RDB.",
	"    * NOFLUSH: the existing database will not be removed before load, but",
	"      conflicting keys will generate an exception and kill the server.",
	"    * NOSAVE: the database will be loaded from an existing RDB file.",
	"    Examples:",
	"    * DEBUG RELOAD: verify that the server is able to persist, flush and reload",
	"      the database.",
	"    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an",
	"      existing RDB file.",
	"    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB",
	"      file to the database.",
	"RESTART [<milliseconds>]",
	"    Graceful restart: save config, db, restart after a <milliseconds> delay (default 0).",
	"SDSLEN <key>",
	"    Show low level SDS string info representing `key` and value.",
	"SEGFAULT",
	"    Crash the server with sigsegv.",
	"SET-ACTIVE-EXPIRE <0|1>",
	"    Setting it to 0 disables expiring keys in background when they are not",
	"    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
	"    default.",
	"QUICKLIST-PACKED-THRESHOLD <size>",
	"    Sets the threshold for elements to be inserted as plain vs packed nodes",
	"    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.",
	"SET-SKIP-CHECKSUM-VALIDATION <0|1>",
	"    Enables or disables checksum checks for RDB files and RESTORE's payload.",
	"SLEEP <seconds>",
	"    Stop the server for <seconds>. Decimals allowed.",
	"STRINGMATCH-TEST",
	"    Run a fuzz tester against the stringmatchlen() function.",
	"STRUCTSIZE",
	"    Return the size of different Redis core C structures.",
	"LISTPACK <key>",
	"    Show low level info about the listpack encoding of <key>.",
	"QUICKLIST <key> [<0|1>]",
	"    Show low level info about the quicklist encoding of <key>.",
	"    The optional argument (0 by default) sets the level of detail",
	"CLIENT-EVICTION",
	"    Show low level client eviction pools info (maxmemory-clients).",
	"PAUSE-CRON <0|1>",
	"    Stop periodic cron job processing.",
	"REPLYBUFFER PEAK-RESET-TIME <NEVER||RESET|time>",
	"    Sets the time (in milliseconds) to wait between client reply buffer peak resets.",
	"    In case NEVER is provided the last observed peak will never be reset",
	"    In case RESET is provided the peak reset time will be restored to the default value",
	"REPLYBUFFER RESIZING <0|1>",
	"    Enable or disable the reply buffer resize cron job",
	"CLUSTERLINK KILL <to|from|all> <node-id>",
	"    Kills the link based on the direction to/from (both) with the provided node.",
}

// DEBUG subcommand [argument ...]
func debugCommand(c *client) {
	sub := strings.ToLower(string(c.argv[1]))
	argc := len(c.argv)
	switch {
	case sub == "help" && argc == 2:
		c.addReplyHelp(debugHelp...)
	case sub == "sleep" && argc == 3:
		debugSleep(c)
	case sub == "object" && argc == 3:
		debugObject(c)
	case sub == "set-active-expire" && argc == 3:
		c.srv.activeExpire = atoi(c.argv[2]) != 0
		c.addOK()
	case sub == "change-repl-id" && argc == 2:
		c.srv.logf("#", "Changing replication IDs after receiving DEBUG change-repl-id")
		c.srv.replID = randomHex(40)
		c.addOK()
	case sub == "digest" && argc == 2:
		d := c.srv.datasetDigest()
		c.addSimple(hex.EncodeToString(d[:]))
	case sub == "digest-value" && argc >= 2:
		c.addArrayLen(argc - 2)
		for _, key := range c.argv[2:] {
			// A debug command sees logically expired keys: no lookup.
			var d [20]byte
			if o := c.db.Lookup(unsafeString(key)); o != nil {
				objectDigest(&d, c.db, unsafeString(key), o)
			}
			c.addSimple(hex.EncodeToString(d[:]))
		}
	case sub == "protocol" && argc == 3:
		debugProtocol(c)
	case sub == "error" && argc == 3:
		// Written raw, as Redis does: it counts in no error statistics.
		c.addRaw(resp.AppendError(nil, string(c.argv[2])))
	case sub == "reload":
		debugReload(c) // persist.go
	case sub == "log" && argc == 3:
		c.srv.logf("#", "DEBUG LOG: %s", c.argv[2])
		c.addOK()
	default:
		c.addSubcommandSyntaxError()
	}
}

// debugSleep stops the whole server, as Redis does: it sleeps holding the
// keyspace lock. The argument is read like strtod: "0.5" is half a second,
// garbage is 0, a negative time does not sleep.
func debugSleep(c *client) {
	secs := strtod(c.argv[2])
	if secs > 0 && !math.IsInf(secs, 1) && !math.IsNaN(secs) {
		time.Sleep(time.Duration(secs * float64(time.Second)))
	}
	c.addOK()
}

// DEBUG OBJECT key: Redis's line, with the object's address, refcount,
// encoding, RDB serialized length (estimated until RDB lands: no LZF
// compression is assumed) and LRU clock.
func debugObject(c *client) {
	s := c.srv
	o := c.db.Lookup(unsafeString(c.argv[2]))
	if o == nil {
		c.addError(errNoSuchKey)
		return
	}
	refcount := int64(1)
	if s.isSharedInteger(o) {
		refcount = math.MaxInt32 // OBJ_SHARED_REFCOUNT
	}
	idle := int64(s.lruClock()) - int64(o.LRU)
	if idle < 0 {
		idle += 1 << 24
	}
	line := fmt.Sprintf("Value at:%p refcount:%d encoding:%s serializedlength:%d lru:%d lru_seconds_idle:%d",
		o, refcount, o.Enc.Name(), serializedLength(o), o.LRU, idle)
	c.addSimple(line)
}

// isSharedInteger reports whether Redis would store o as one of its shared
// integers 0..9999 (refcount OBJ_SHARED_REFCOUNT): it does unless an LRU
// or LFU maxmemory policy needs a private LRU per key.
func (s *Server) isSharedInteger(o *datatypes.Object) bool {
	if o.Type != datatypes.TypeString || o.Enc != datatypes.EncInt {
		return false
	}
	v := o.Int()
	if v < 0 || v >= 10000 {
		return false
	}
	p := s.cfg.MaxMemoryPolicy
	return s.cfg.MaxMemory == 0 || !(strings.Contains(p, "lru") || strings.Contains(p, "lfu"))
}

// serializedLength estimates Redis's rdbSavedObjectLen for a string: the
// integer encodings when the value is a small integer, otherwise the
// length prefix and the bytes. Other types report what their type knows
// through rdbSizer, 0 until then.
func serializedLength(o *datatypes.Object) int64 {
	if o.Type != datatypes.TypeString {
		if sz, ok := o.Val().(rdbSizer); ok {
			return sz.RDBLength()
		}
		return 0
	}
	if o.Enc == datatypes.EncInt {
		if n := rdbIntLen(o.Int()); n > 0 {
			return n
		}
		return rdbLenLen(int64(o.StringLen())) + int64(o.StringLen())
	}
	b := o.Str()
	if len(b) <= 11 {
		if v, ok := datatypes.ParseInt(b); ok {
			if n := rdbIntLen(v); n > 0 {
				return n
			}
		}
	}
	return rdbLenLen(int64(len(b))) + int64(len(b))
}

// rdbSizer is implemented by value types that know their RDB length.
type rdbSizer interface{ RDBLength() int64 }

// rdbIntLen is the size of RDB's int8/16/32 string encodings, 0 when v
// needs a plain string.
func rdbIntLen(v int64) int64 {
	switch {
	case v >= math.MinInt8 && v <= math.MaxInt8:
		return 2
	case v >= math.MinInt16 && v <= math.MaxInt16:
		return 3
	case v >= math.MinInt32 && v <= math.MaxInt32:
		return 5
	}
	return 0
}

// rdbLenLen is the size of RDB's length prefix for n.
func rdbLenLen(n int64) int64 {
	switch {
	case n < 1<<6:
		return 1
	case n < 1<<14:
		return 2
	case n <= math.MaxUint32:
		return 5
	}
	return 9
}

// DEBUG PROTOCOL type: Redis's RESP3 test replies.
func debugProtocol(c *client) {
	switch strings.ToLower(string(c.argv[2])) {
	case "string":
		c.addBulkString("Hello World")
	case "integer":
		c.addInt(12345)
	case "double":
		c.addDouble(3.141)
	case "bignum":
		c.addRaw(resp.AppendBigNumber(nil, c.proto, "1234567999999999999999999999999999999"))
	case "null":
		c.addNull()
	case "array":
		c.addArrayLen(3)
		for j := int64(0); j < 3; j++ {
			c.addInt(j)
		}
	case "set":
		c.addSetLen(3)
		for j := int64(0); j < 3; j++ {
			c.addInt(j)
		}
	case "map":
		c.addMapLen(3)
		for j := int64(0); j < 3; j++ {
			c.addInt(j)
			c.addBool(j == 1)
		}
	case "attrib":
		if c.proto >= 3 {
			// An attribute is not a reply of its own: the real one follows.
			c.addRaw([]byte("|1\r\n"))
			c.addBulkString("key-popularity")
			c.addArrayLen(2)
			c.addBulkString("key:123")
			c.addInt(90)
		}
		c.addBulkString("Some real reply following the attribute")
	case "push":
		if c.proto < 3 {
			c.addErrorString("ERR RESP2 is not supported by this command")
			return
		}
		c.addRaw(resp.AppendPush(nil, c.proto, 2))
		c.addBulkString("server-cpu-usage")
		c.addInt(42)
		c.addBulkString("Some real reply following the push reply")
	case "true":
		c.addBool(true)
	case "false":
		c.addBool(false)
	case "verbatim":
		c.addVerbatim([]byte("This is a verbatim\nstring"))
	default:
		c.addErrorString("ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false")
	}
}

// --- DEBUG DIGEST ---
//
// Redis's debug.c digest: a key's digest mixes (SHA1 chaining, so order
// matters) the key, the type and the value, and xors in "!!expire!!" when
// the key has a TTL; the dataset digest xors (order does not matter) every
// key's digest after mixing in each non-empty database's number. Equal
// datasets therefore give equal digests, and an empty one gives 40 zeros.
// Strings hash exactly as Redis does, so the digests match redis-server's.

// xorDigest xors SHA1(data) into digest.
func xorDigest(digest *[20]byte, data []byte) {
	h := sha1.Sum(data)
	for i := range digest {
		digest[i] ^= h[i]
	}
}

// mixDigest sets digest to SHA1(digest xor SHA1(data)).
func mixDigest(digest *[20]byte, data []byte) {
	xorDigest(digest, data)
	*digest = sha1.Sum(digest[:])
}

// objectDigest adds o, the value at key, to a key digest as Redis's
// xorObjectDigest. Aggregate types take part when they implement
// digester (each type family adds it with its encodings, following
// xorObjectDigest: lists mix their elements in order, sets and hashes xor
// per-element digests, sorted sets mix each member with its "%.17g"
// score).
func objectDigest(d *[20]byte, db *datatypes.DB, key string, o *datatypes.Object) {
	var aux [4]byte
	binary.BigEndian.PutUint32(aux[:], uint32(o.Type))
	mixDigest(d, aux[:])
	switch {
	case o.Type == datatypes.TypeString:
		mixDigest(d, o.StringBytes())
	case o.Type == datatypes.TypeHash:
		hashDigest(d, o)
	case o.Type == datatypes.TypeSet:
		setDigest(d, o)
	case o.Type == datatypes.TypeZSet:
		zsetDigest(d, o)
	case o.Type == datatypes.TypeList:
		listDigest(d, o)
	default:
		if dg, ok := o.Val().(digester); ok {
			dg.Digest(func(data []byte) { mixDigest(d, data) }, func(data []byte) { xorDigest(d, data) })
		}
	}
	if db.ExpireAt(key) >= 0 {
		xorDigest(d, []byte("!!expire!!"))
	}
}

// digester is implemented by aggregate value types for DEBUG DIGEST: Digest
// calls mix for ordered content and xor for unordered content, exactly as
// Redis's xorObjectDigest does for that type.
type digester interface {
	Digest(mix, xor func([]byte))
}

// datasetDigest is Redis's computeDatasetDigest.
func (s *Server) datasetDigest() [20]byte {
	var final [20]byte
	for _, db := range s.dbs {
		if db.Len() == 0 {
			continue
		}
		var aux [4]byte
		binary.BigEndian.PutUint32(aux[:], uint32(db.ID))
		mixDigest(&final, aux[:])
		db.Keys.Range(func(key string, o *datatypes.Object) bool {
			var d [20]byte
			mixDigest(&d, []byte(key))
			objectDigest(&d, db, key, o)
			xorDigest(&final, d[:])
			return true
		})
	}
	return final
}

// --- C-style number parsing for DEBUG's arguments ---

// atoi is C's atoi: optional spaces and sign, then digits; 0 if none.
func atoi(b []byte) int64 {
	i := 0
	for i < len(b) && isCSpace(b[i]) {
		i++
	}
	neg := false
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		neg = b[i] == '-'
		i++
	}
	var n int64
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		n = n*10 + int64(b[i]-'0')
	}
	if neg {
		return -n
	}
	return n
}

// strtod is C's strtod without the end pointer: the longest prefix that
// is a number, 0 when there is none.
func strtod(b []byte) float64 {
	i := 0
	for i < len(b) && isCSpace(b[i]) {
		i++
	}
	start := i
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		i++
	}
	for end := len(b); end > i; end-- {
		if v, err := strconv.ParseFloat(string(b[start:end]), 64); err == nil {
			return v
		} else if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return v
		}
	}
	return 0
}
