package server

import (
	"bytes"
	"errors"
	"math"
	"strconv"
	"strings"
	"unsafe"

	"ferrite/datatypes"
)

// Generic key commands and keyspace administration, as Redis's db.c and
// the OBJECT command of object.c. The TTL commands live in expire.go.

var keyCommands = map[string]cmdProc{
	"del":       delCommand,
	"unlink":    unlinkCommand,
	"exists":    existsCommand,
	"type":      typeCommand,
	"rename":    renameCommand,
	"renamenx":  renamenxCommand,
	"copy":      copyCommand,
	"move":      moveCommand,
	"keys":      keysCommand,
	"scan":      scanCommand,
	"randomkey": randomkeyCommand,
	"touch":     touchCommand,
	"dbsize":    dbsizeCommand,
	"flushdb":   flushdbCommand,
	"flushall":  flushallCommand,
	"swapdb":    swapdbCommand,

	"object|encoding": objectEncodingCommand,
	"object|refcount": objectRefcountCommand,
	"object|idletime": objectIdletimeCommand,
	"object|freq":     objectFreqCommand,
	"object|help":     objectHelpCommand,

	// expire.go
	"expire":      expireCommand,
	"pexpire":     pexpireCommand,
	"expireat":    expireatCommand,
	"pexpireat":   pexpireatCommand,
	"ttl":         ttlCommand,
	"pttl":        pttlCommand,
	"expiretime":  expiretimeCommand,
	"pexpiretime": pexpiretimeCommand,
	"persist":     persistCommand,
}

var (
	errSameObject    = errors.New("ERR source and destination objects are the same")
	errInvalidCursor = errors.New("ERR invalid cursor")
)

// --- keyspace helpers ---

// lookupKeyReadNoTouch is lookupKeyRead with Redis's LOOKUP_NOTOUCH: lazy
// expiry and hit/miss stats, but the key's LRU clock is left alone, so that
// inspecting a key (EXISTS, TYPE, TTL, OBJECT) does not make it look used.
func (s *Server) lookupKeyReadNoTouch(db *datatypes.DB, key []byte) *datatypes.Object {
	o := s.lookupKeyReadNoNotify(db, key)
	if o == nil {
		s.notifyKeyspaceEvent(s.execClient, NotifyKeyMiss, "keymiss", key, db.ID)
	}
	return o
}

// lookupKeyReadNoNotify adds LOOKUP_NONOTIFY: a miss publishes no keymiss
// event (OBJECT, as Redis).
func (s *Server) lookupKeyReadNoNotify(db *datatypes.DB, key []byte) *datatypes.Object {
	k := unsafeString(key)
	o := db.Lookup(k)
	if o != nil && s.expireIfNeeded(db, k) {
		o = nil
	}
	if o == nil {
		s.stats.keyspaceMisses++
	} else {
		s.stats.keyspaceHits++
	}
	return o
}

// keyBytes views a key string as bytes without copying; the result must
// not be modified.
func keyBytes(k string) []byte {
	return unsafe.Slice(unsafe.StringData(k), len(k))
}

// parseDBIndex parses a database number as Redis's getIntFromObject: a
// canonical integer that fits an int32. Range checks against the number of
// databases are the caller's.
func parseDBIndex(b []byte) (int, bool) {
	n, ok := datatypes.ParseInt(b)
	if !ok || n < math.MinInt32 || n > math.MaxInt32 {
		return 0, false
	}
	return int(n), true
}

// dbByIndex returns database id, or nil when out of range.
func (s *Server) dbByIndex(id int) *datatypes.DB {
	if id < 0 || id >= len(s.dbs) {
		return nil
	}
	return s.dbs[id]
}

// --- commands ---

// delGeneric implements DEL and UNLINK. Go's collector frees values in the
// background either way, so UNLINK's lazy free is the same operation.
func delGeneric(c *client) {
	s, db := c.srv, c.db
	var n int64
	for _, key := range c.argv[1:] {
		// An expired key is deleted (and DEL propagated) as expired, so
		// it does not count as deleted by this command.
		s.expireIfNeeded(db, unsafeString(key))
		if s.dbDelete(db, key) {
			c.notify(NotifyGeneric, "del", key)
			s.addDirty(1)
			n++
		}
	}
	c.addInt(n)
}

// DEL key [key ...]
func delCommand(c *client) { delGeneric(c) }

// UNLINK key [key ...]
func unlinkCommand(c *client) { delGeneric(c) }

// EXISTS key [key ...]
func existsCommand(c *client) {
	var n int64
	for _, key := range c.argv[1:] {
		if c.srv.lookupKeyReadNoTouch(c.db, key) != nil {
			n++
		}
	}
	c.addInt(n)
}

// TYPE key
func typeCommand(c *client) {
	name := "none"
	if o := c.srv.lookupKeyReadNoTouch(c.db, c.argv[1]); o != nil {
		name = o.Type.Name()
	}
	c.addSimple(name)
}

// renameGeneric implements RENAME and RENAMENX: the value object moves to
// the new name with its TTL.
func renameGeneric(c *client, nx bool) {
	s, db := c.srv, c.db
	src, dst := c.argv[1], c.argv[2]
	o := s.lookupKeyWrite(db, src)
	if o == nil {
		c.addError(errNoSuchKey)
		return
	}
	// Renaming a key to itself does nothing, but only once the key is
	// known to exist: a missing key is still an error.
	if bytes.Equal(src, dst) {
		if nx {
			c.addInt(0)
		} else {
			c.addOK()
		}
		return
	}
	expire := db.ExpireAt(unsafeString(src))
	if s.lookupKeyWrite(db, dst) != nil {
		if nx {
			c.addInt(0)
			return
		}
		s.dbDelete(db, dst)
	}
	s.dbAdd(db, dst, o)
	if expire != -1 {
		db.SetExpire(unsafeString(dst), expire)
	}
	s.dbDelete(db, src)
	c.notify(NotifyGeneric, "rename_from", src)
	c.notify(NotifyGeneric, "rename_to", dst)
	s.addDirty(1)
	if nx {
		c.addInt(1)
	} else {
		c.addOK()
	}
}

// RENAME key newkey
func renameCommand(c *client) { renameGeneric(c, false) }

// RENAMENX key newkey
func renamenxCommand(c *client) { renameGeneric(c, true) }

// COPY source destination [DB destination-db] [REPLACE]
func copyCommand(c *client) {
	s, src := c.srv, c.db
	dst := src
	replace := false
	for j := 3; j < len(c.argv); j++ {
		switch {
		case strings.EqualFold(string(c.argv[j]), "replace"):
			replace = true
		case strings.EqualFold(string(c.argv[j]), "db") && j+1 < len(c.argv):
			id, ok := c.intArg(c.argv[j+1])
			if !ok {
				return
			}
			if dst = s.dbByIndex(id); dst == nil {
				c.addError(errDBIndex)
				return
			}
			j++
		default:
			c.addError(errSyntax)
			return
		}
	}
	key, newkey := c.argv[1], c.argv[2]
	if src == dst && bytes.Equal(key, newkey) {
		c.addError(errSameObject)
		return
	}
	o := s.lookupKeyRead(src, key)
	if o == nil {
		c.addInt(0)
		return
	}
	expire := src.ExpireAt(unsafeString(key))
	exists := s.lookupKeyWrite(dst, newkey) != nil
	if exists && !replace {
		c.addInt(0)
		return
	}
	dup := o.Dup()
	if dup == nil {
		c.addErrorString("ERR unknown type object")
		return
	}
	if exists {
		s.dbDelete(dst, newkey)
	}
	s.dbAdd(dst, newkey, dup)
	if expire != -1 {
		dst.SetExpire(unsafeString(newkey), expire)
	}
	s.notifyKeyspaceEvent(c, NotifyGeneric, "copy_to", newkey, dst.ID)
	s.addDirty(1)
	c.addInt(1)
}

// MOVE key db
func moveCommand(c *client) {
	s, src := c.srv, c.db
	id, ok := c.intArg(c.argv[2])
	if !ok {
		return
	}
	dst := s.dbByIndex(id)
	if dst == nil {
		c.addError(errDBIndex)
		return
	}
	if src == dst {
		c.addError(errSameObject)
		return
	}
	key := c.argv[1]
	o := s.lookupKeyWrite(src, key)
	if o == nil {
		c.addInt(0)
		return
	}
	expire := src.ExpireAt(unsafeString(key))
	if s.lookupKeyWrite(dst, key) != nil {
		c.addInt(0)
		return
	}
	s.dbAdd(dst, key, o)
	if expire != -1 {
		dst.SetExpire(unsafeString(key), expire)
	}
	s.dbDelete(src, key)
	s.notifyKeyspaceEvent(c, NotifyGeneric, "move_from", key, src.ID)
	s.notifyKeyspaceEvent(c, NotifyGeneric, "move_to", key, dst.ID)
	s.addDirty(1)
	c.addInt(1)
}

// KEYS pattern
//
// Expired keys are left out but not deleted, as in Redis 7.0: KEYS only
// reads, so it propagates nothing.
func keysCommand(c *client) {
	db := c.db
	pattern := c.argv[1]
	all := len(pattern) == 1 && pattern[0] == '*'
	now := c.srv.mstime()
	var keys []string
	db.Keys.Range(func(k string, _ *datatypes.Object) bool {
		if (all || datatypes.GlobMatch(pattern, keyBytes(k), false)) && !db.Expired(k, now) {
			keys = append(keys, k)
		}
		return true
	})
	c.addArrayLen(len(keys))
	for _, k := range keys {
		c.addBulkString(k)
	}
}

// parseScanCursor parses a cursor as Redis does with strtoul: decimal
// digits with an optional sign ('-' negates modulo 2^64), the whole
// argument consumed, no overflow, no leading space. An empty argument is
// cursor 0, as strtoul leaves it.
func parseScanCursor(b []byte) (uint64, bool) {
	if len(b) == 0 {
		return 0, true
	}
	if isCSpace(b[0]) {
		return 0, false
	}
	p, neg := b, false
	switch p[0] {
	case '-':
		neg, p = true, p[1:]
	case '+':
		p = p[1:]
	}
	if len(p) == 0 {
		return 0, false
	}
	v, err := strconv.ParseUint(string(p), 10, 64)
	if err != nil {
		return 0, false
	}
	if neg {
		v = -v
	}
	return v, true
}

// scanOptions are SCAN's MATCH, COUNT and TYPE, shared with the
// collection SCANs (HSCAN, SSCAN, ZSCAN) that parse from a later index.
type scanOptions struct {
	count    int64
	pattern  []byte // nil: match everything
	typeName []byte // nil: any type
}

// scanDict is the loop of Redis's scanGenericCommand over a hashtable:
// scan buckets from cursor, handing each entry to fn, until collected()
// reaches count, the cursor wraps to 0, or count*10 buckets were visited
// (so a sparse table cannot make one call scan it all). It returns the
// cursor to reply. SCAN, SSCAN, HSCAN and ZSCAN share it.
func scanDict[V any](d *datatypes.Dict[V], cursor uint64, count int64, fn func(k string, v V), collected func() int) uint64 {
	maxIterations := int64(math.MaxInt64)
	if count <= math.MaxInt64/10 {
		maxIterations = count * 10
	}
	for {
		cursor = d.Scan(cursor, fn)
		if cursor == 0 || maxIterations == 0 || int64(collected()) >= count {
			return cursor
		}
		maxIterations--
	}
}

// parseScanOptions parses argv[i:] as Redis's scanGenericCommand; TYPE is
// accepted only when allowType (the keyspace SCAN). It replies with the
// error and returns false on bad input.
func parseScanOptions(c *client, i int, allowType bool) (scanOptions, bool) {
	opts := scanOptions{count: 10}
	for i < len(c.argv) {
		more := len(c.argv) - i
		opt := string(c.argv[i])
		switch {
		case strings.EqualFold(opt, "count") && more >= 2:
			n, ok := datatypes.ParseInt(c.argv[i+1])
			if !ok {
				c.addError(errNotInt)
				return opts, false
			}
			if n < 1 {
				c.addError(errSyntax)
				return opts, false
			}
			opts.count = n
		case strings.EqualFold(opt, "match") && more >= 2:
			// "*" matches everything, so it costs no matching at all.
			if p := c.argv[i+1]; len(p) == 1 && p[0] == '*' {
				opts.pattern = nil
			} else {
				opts.pattern = p
			}
		case strings.EqualFold(opt, "type") && allowType && more >= 2:
			opts.typeName = c.argv[i+1]
		default:
			c.addError(errSyntax)
			return opts, false
		}
		i += 2
	}
	return opts, true
}

// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
//
// Each call visits dict buckets from the cursor (Dict.Scan's reverse-binary
// order, so growth and rehashing between calls never skip a key) until
// COUNT keys are collected, the scan ends, or COUNT*10 buckets were
// visited: a sparse table cannot make one call run long. Keys are filtered
// after collection, as Redis does, so a call may return fewer than COUNT
// keys, or none, with a non-zero cursor.
func scanCommand(c *client) {
	s, db := c.srv, c.db
	cursor, ok := parseScanCursor(c.argv[1])
	if !ok {
		c.addError(errInvalidCursor)
		return
	}
	opts, ok := parseScanOptions(c, 2, true)
	if !ok {
		return
	}
	var keys []string
	cursor = scanDict(db.Keys, cursor, opts.count, func(k string, _ *datatypes.Object) {
		keys = append(keys, k)
	}, func() int { return len(keys) })

	kept := keys[:0]
	for _, k := range keys {
		if opts.pattern != nil && !datatypes.GlobMatch(opts.pattern, keyBytes(k), false) {
			continue
		}
		if opts.typeName != nil {
			// Redis looks the key up here (stats counted, expiry applied),
			// so an expired key reads as "none" and is no longer found
			// expired below: SCAN TYPE none returns it.
			name := "none"
			if o := s.lookupKeyReadNoTouch(db, keyBytes(k)); o != nil {
				name = o.Type.Name()
			}
			s.propagateArbitraryKeyDeletion()
			if !strings.EqualFold(string(opts.typeName), name) {
				continue
			}
		}
		if s.expireIfNeeded(db, k) {
			s.propagateArbitraryKeyDeletion()
			continue
		}
		kept = append(kept, k)
	}

	c.addArrayLen(2)
	c.addBulkString(strconv.FormatUint(cursor, 10))
	c.addArrayLen(len(kept))
	for _, k := range kept {
		c.addBulkString(k)
	}
}

// propagateArbitraryKeyDeletion sends on at once the DEL of an expired
// key SCAN or RANDOMKEY just met. Redis 7.0.15 flags both commands
// CMD_TOUCHES_ARBITRARY_KEYS (hidden from COMMAND INFO): run directly,
// not inside MULTI/EXEC or a script, the deletions they cause propagate
// one by one, as active expiry's do, rather than wrapped in MULTI/EXEC
// like those of other commands.
func (s *Server) propagateArbitraryKeyDeletion() {
	if s.inCall == 1 {
		s.propagatePending()
	}
}

// isCSpace is C's isspace.
func isCSpace(b byte) bool {
	return b == ' ' || (b >= '\t' && b <= '\r')
}

// RANDOMKEY
//
// An expired key drawn is deleted and another drawn, as Redis's
// dbRandomKey does. Where an expired key is only hidden, not deleted (a
// replica waits for its primary's DEL), a database holding nothing but
// expired keys would loop forever; so, like Redis, after 100 such draws in
// an all-volatile database the last one is returned.
func randomkeyCommand(c *client) {
	s, db := c.srv, c.db
	tries := 100
	allVolatile := db.Keys.Len() == db.Expires.Len()
	for {
		k, _, ok := db.Keys.RandomKey()
		if !ok {
			c.addNull()
			return
		}
		if db.ExpireAt(k) >= 0 && s.expireIfNeeded(db, k) {
			s.propagateArbitraryKeyDeletion()
			if allVolatile && db.Lookup(k) != nil {
				if tries--; tries == 0 {
					c.addBulkString(k)
					return
				}
			}
			continue
		}
		c.addBulkString(k)
		return
	}
}

// TOUCH key [key ...]
func touchCommand(c *client) {
	var n int64
	for _, key := range c.argv[1:] {
		if c.srv.lookupKeyRead(c.db, key) != nil {
			n++
		}
	}
	c.addInt(n)
}

// DBSIZE
func dbsizeCommand(c *client) { c.addInt(int64(c.db.Len())) }

// parseFlushMode checks FLUSHDB/FLUSHALL's optional ASYNC|SYNC. Both free
// the same way here: the tables are dropped at once and Go's collector
// reclaims them in the background.
func parseFlushMode(c *client) bool {
	if len(c.argv) == 1 {
		return true
	}
	if len(c.argv) == 2 {
		mode := string(c.argv[1])
		if strings.EqualFold(mode, "sync") || strings.EqualFold(mode, "async") {
			return true
		}
	}
	c.addError(errSyntax)
	return false
}

// flushDB empties db and returns how many keys it held.
func (s *Server) flushDB(db *datatypes.DB) int64 {
	s.touchAllWatchedKeysInDB(db, nil)
	n := int64(db.Len())
	s.snapshotDetach(db) // a running snapshot keeps reading the old dicts
	db.Clear()
	s.streamDBReplaced(db)
	return n
}

// forcePropagation propagates the current command as issued even when it
// changed nothing (Redis's forceCommandPropagation): a FLUSHALL on an empty
// primary must still reach replicas that may hold data.
func forcePropagation(c *client) {
	c.alsoPropagate(c.db.ID, cloneArgs(c.argv...)...)
}

// FLUSHDB [ASYNC | SYNC]
func flushdbCommand(c *client) {
	if !parseFlushMode(c) {
		return
	}
	c.srv.addDirty(c.srv.flushDB(c.db))
	c.srv.trackingInvalidateOnFlush()
	forcePropagation(c)
	c.addOK()
}

// FLUSHALL [ASYNC | SYNC]
func flushallCommand(c *client) {
	if !parseFlushMode(c) {
		return
	}
	s := c.srv
	for _, db := range s.dbs {
		s.addDirty(s.flushDB(db))
	}
	s.afterFlushAll() // persist.go: kill BGSAVE, save if save points are set
	s.trackingInvalidateOnFlush()
	forcePropagation(c)
	c.addOK()
}

// SWAPDB index1 index2
//
// Clients keep pointing at the same *DB (their SELECTed number), so the
// contents are swapped, not the DB values.
func swapdbCommand(c *client) {
	s := c.srv
	id1, ok := parseDBIndex(c.argv[1])
	if !ok {
		c.addErrorString("ERR invalid first DB index")
		return
	}
	id2, ok := parseDBIndex(c.argv[2])
	if !ok {
		c.addErrorString("ERR invalid second DB index")
		return
	}
	db1, db2 := s.dbByIndex(id1), s.dbByIndex(id2)
	if db1 == nil || db2 == nil {
		c.addError(errDBIndex)
		return
	}
	if db1 != db2 {
		s.touchAllWatchedKeysInDB(db1, db2)
		s.touchAllWatchedKeysInDB(db2, db1)
		db1.Keys, db2.Keys = db2.Keys, db1.Keys
		db1.Expires, db2.Expires = db2.Expires, db1.Expires
		db1.AvgTTL, db2.AvgTTL = db2.AvgTTL, db1.AvgTTL
		db1.ExpiresCursor, db2.ExpiresCursor = db2.ExpiresCursor, db1.ExpiresCursor
		s.streamDBReplaced(db1)
		s.streamDBReplaced(db2)
	}
	s.addDirty(1)
	c.addOK()
}

// --- OBJECT ---

// objectLookup finds the key for an OBJECT subcommand without touching its
// LRU clock, replying null when it is missing.
func objectLookup(c *client) *datatypes.Object {
	o := c.srv.lookupKeyReadNoNotify(c.db, c.argv[2])
	if o == nil {
		c.addNull()
	}
	return o
}

// Eviction policies that track access in an object's LRU field.
func policyIsLFU(p string) bool { return p == "allkeys-lfu" || p == "volatile-lfu" }
func policyIsLRU(p string) bool { return p == "allkeys-lru" || p == "volatile-lru" }

// sharedRefcount is OBJ_SHARED_REFCOUNT, what OBJECT REFCOUNT reports for
// Redis's shared integer objects.
const sharedRefcount = math.MaxInt32

// sharedIntegers is OBJ_SHARED_INTEGERS: Redis keeps one shared object for
// each integer in [0, 10000).
const sharedIntegers = 10000

// OBJECT ENCODING key
func objectEncodingCommand(c *client) {
	if o := objectLookup(c); o != nil {
		c.addBulkString(o.Enc.Name())
	}
}

// OBJECT REFCOUNT key
//
// Ferrite shares no objects, but Redis stores small integer strings as
// shared objects unless an LRU/LFU policy with a memory limit needs a
// clock per key, and reports them as such; so do we.
func objectRefcountCommand(c *client) {
	o := objectLookup(c)
	if o == nil {
		return
	}
	cfg := c.srv.cfg
	shareable := cfg.MaxMemory == 0 || !(policyIsLRU(cfg.MaxMemoryPolicy) || policyIsLFU(cfg.MaxMemoryPolicy))
	if shareable && o.Type == datatypes.TypeString && o.Enc == datatypes.EncInt {
		if n := o.Int(); n >= 0 && n < sharedIntegers {
			c.addInt(sharedRefcount)
			return
		}
	}
	c.addInt(1)
}

// lruClockMax is LRU_CLOCK_MAX: the LRU clock wraps at 24 bits.
const lruClockMax = 1<<24 - 1

// OBJECT IDLETIME key
func objectIdletimeCommand(c *client) {
	o := objectLookup(c)
	if o == nil {
		return
	}
	if policyIsLFU(c.srv.cfg.MaxMemoryPolicy) {
		c.addErrorString("ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.")
		return
	}
	// estimateObjectIdleTime: the clock may have wrapped since the access.
	now := int64(c.srv.lruClock())
	lru := int64(o.LRU)
	idle := now - lru
	if now < lru {
		idle = now + lruClockMax - lru
	}
	c.addInt(idle)
}

// OBJECT FREQ key
func objectFreqCommand(c *client) {
	o := objectLookup(c)
	if o == nil {
		return
	}
	if !policyIsLFU(c.srv.cfg.MaxMemoryPolicy) {
		c.addErrorString("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.")
		return
	}
	// The counter is decayed on read too, since a key not accessed for
	// long has not had its counter updated.
	c.addInt(int64(c.srv.lfuDecrAndReturn(o)))
}

// objectHelp is redis-server 7.0's OBJECT HELP text.
var objectHelp = []string{
	"OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
	"ENCODING <key>",
	"    Return the kind of internal representation used in order to store the value",
	"    associated with a <key>.",
	"FREQ <key>",
	"    Return the access frequency index of the <key>. The returned integer is",
	"    proportional to the logarithm of the recent access frequency of the key.",
	"IDLETIME <key>",
	"    Return the idle time of the <key>, that is the approximated number of",
	"    seconds elapsed since the last access to the key.",
	"REFCOUNT <key>",
	"    Return the number of references of the value associated with the specified",
	"    <key>.",
	"HELP",
	"    Prints this help.",
}

// OBJECT HELP
func objectHelpCommand(c *client) {
	c.addArrayLen(len(objectHelp))
	for _, line := range objectHelp {
		c.addSimple(line)
	}
}
