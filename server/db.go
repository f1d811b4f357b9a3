package server

import (
	"errors"
	"unsafe"

	"ferrite/datatypes"
)

// Keyspace access shared by every command family, as Redis's db.c: lookups
// that apply lazy expiry and count hits and misses, writes that keep the
// dirty counter, and deletions that propagate.

// Errors shared by command families, with Redis's exact texts.
var (
	errWrongType = errors.New("WRONGTYPE Operation against a key holding the wrong kind of value")
	errNotInt    = errors.New("ERR value is not an integer or out of range")
	errNotFloat  = errors.New("ERR value is not a valid float")
	// errIntRange is getIntFromObjectOrReply's error for a valid int64
	// outside int32.
	errIntRange    = errors.New("ERR value is out of range, value must between -2147483648 and 2147483647")
	errSyntax      = errors.New("ERR syntax error")
	errNoSuchKey   = errors.New("ERR no such key")
	errOverflow    = errors.New("ERR increment or decrement would overflow")
	errDBIndex     = errors.New("ERR DB index is out of range")
	errStringLimit = errors.New("ERR string exceeds maximum allowed size (proto-max-bulk-len)")
)

// intArg parses an int argument as Redis's getIntFromObjectOrReply: a
// non-integer gets errNotInt, an int64 outside int32 errIntRange.
func (c *client) intArg(b []byte) (int, bool) {
	n, ok := datatypes.ParseInt(b)
	if !ok {
		c.addError(errNotInt)
		return 0, false
	}
	if n < -1<<31 || n > 1<<31-1 {
		c.addError(errIntRange)
		return 0, false
	}
	return int(n), true
}

// copyBytes copies an argument that must outlive the request buffer.
func copyBytes(b []byte) []byte { return append([]byte(nil), b...) }

// cloneArgs copies arguments that must outlive the request buffer (forms
// to propagate, queued and blocked commands).
func cloneArgs(args ...[]byte) [][]byte {
	out := make([][]byte, len(args))
	for i, a := range args {
		out[i] = copyBytes(a)
	}
	return out
}

// unsafeString views b as a string without copying, for lookups that do
// not retain the key.
func unsafeString(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// expireIfNeeded deletes key if its TTL is due, propagating a DEL, and
// reports whether it was expired. Called with s.mu held.
func (s *Server) expireIfNeeded(db *datatypes.DB, key string) bool {
	if db.Expires.Len() == 0 {
		return false
	}
	// As Redis's keyIsExpired: a key is expired once now > its expiry.
	at := db.ExpireAt(key)
	if at < 0 || at >= s.cmdTime.UnixMilli() {
		return false
	}
	if s.expirePaused() { // CLIENT PAUSE keeps the dataset static
		return true
	}
	s.deleteExpiredKey(db, key)
	return true
}

// deleteExpiredKey removes an expired key and propagates its deletion.
func (s *Server) deleteExpiredKey(db *datatypes.DB, key string) {
	owned := key
	if k, ok := db.Keys.Key(key); ok {
		owned = k
	}
	db.Delete(key)
	s.stats.expiredKeys++
	s.notifyKeyspaceEvent(s.execClient, NotifyExpired, "expired", []byte(owned), db.ID)
	s.alsoPropagate(db.ID, [][]byte{[]byte("DEL"), []byte(owned)})
	s.signalModifiedKey(db, owned)
}

// lookupKey returns the live object at key, applying lazy expiry and
// updating the LRU clock. It does not count hits or misses.
func (s *Server) lookupKey(db *datatypes.DB, key []byte) *datatypes.Object {
	k := unsafeString(key)
	o := db.Lookup(k)
	if o == nil {
		return nil
	}
	if s.expireIfNeeded(db, k) {
		return nil
	}
	s.updateLRU(o)
	return o
}

// lookupKeyRead is lookupKey for reading commands: it counts keyspace hits
// and misses as INFO reports them.
func (s *Server) lookupKeyRead(db *datatypes.DB, key []byte) *datatypes.Object {
	o := s.lookupKey(db, key)
	if o == nil {
		s.stats.keyspaceMisses++
		s.notifyKeyspaceEvent(s.execClient, NotifyKeyMiss, "keymiss", key, db.ID)
	} else {
		s.stats.keyspaceHits++
	}
	return o
}

// lookupKeyWrite is lookupKey for writing commands.
func (s *Server) lookupKeyWrite(db *datatypes.DB, key []byte) *datatypes.Object {
	if s.snap != nil { // the command may change the value in place
		s.snapshotBeforeChange(db, unsafeString(key))
	}
	return s.lookupKey(db, key)
}

// lookupType returns the object at key if it has type t; it replies
// WRONGTYPE and returns (nil, false) for another type, and (nil, true) for
// a missing key.
func (c *client) lookupType(key []byte, t datatypes.ObjType, write bool) (*datatypes.Object, bool) {
	var o *datatypes.Object
	if write {
		o = c.srv.lookupKeyWrite(c.db, key)
	} else {
		o = c.srv.lookupKeyRead(c.db, key)
	}
	if o != nil && o.Type != t {
		c.addError(errWrongType)
		return nil, false
	}
	return o, true
}

// setKey stores o at key (a new or existing key), dropping the TTL unless
// keepTTL, and counts the change. key may alias the request buffer.
func (s *Server) setKey(db *datatypes.DB, key []byte, o *datatypes.Object, keepTTL bool) {
	k := unsafeString(key)
	s.stampValue(db, k, o) // a write is an access (OBJECT IDLETIME/FREQ)
	added := db.Store(k, o, keepTTL)
	s.signalModifiedKey(db, k)
	s.signalIfBlockable(db, key, o)
	if added {
		s.notifyKeyspaceEvent(s.execClient, NotifyNew, "new", key, db.ID)
	}
}

// setStringKey is setKey(db, key, NewString(val), keepTTL) for SET and
// MSET; old is what lookupKeyWrite found at key (nil if nothing). A short
// string is overwritten in place when its allocation fits the new value.
func (s *Server) setStringKey(db *datatypes.DB, key, val []byte, old *datatypes.Object, keepTTL bool) {
	k := unsafeString(key)
	if old != nil && db.OverwriteString(k, old, val, keepTTL) {
		s.stampValue(db, k, old)
		s.signalModifiedKey(db, k)
		return
	}
	s.setKey(db, key, datatypes.NewString(val), keepTTL)
}

// dbAdd adds a new key (it must not exist). key may alias the request buffer.
func (s *Server) dbAdd(db *datatypes.DB, key []byte, o *datatypes.Object) {
	o.LRU = s.newObjectLRU() // a write is an access (OBJECT IDLETIME/FREQ)
	db.Add(string(key), o)
	s.signalModifiedKey(db, unsafeString(key))
	s.signalIfBlockable(db, key, o)
	s.notifyKeyspaceEvent(s.execClient, NotifyNew, "new", key, db.ID)
}

// signalIfBlockable wakes clients blocked on key when it now holds a type
// they wait for. As in Redis (dbAdd), creating the key is the only event
// that matters: clients block only on missing or empty keys, and a key
// that already had elements had none waiting.
func (s *Server) signalIfBlockable(db *datatypes.DB, key []byte, o *datatypes.Object) {
	switch o.Type {
	case datatypes.TypeList, datatypes.TypeZSet, datatypes.TypeStream:
		s.signalKeyAsReady(db, key)
	}
}

// dbDelete deletes key, reporting whether it existed.
func (s *Server) dbDelete(db *datatypes.DB, key []byte) bool {
	k := unsafeString(key)
	if !db.Delete(k) {
		return false
	}
	s.signalModifiedKey(db, k)
	return true
}

// signalModifiedKey is called after every change of a key: WATCH and
// client-side caching (later issues) hook here. It does not count dirty;
// commands call s.addDirty for each change they make.
func (s *Server) signalModifiedKey(db *datatypes.DB, key string) {
	s.touchWatchedKey(db, key)
	s.trackingInvalidateKey(key, true)
	if len(s.blocked) > 0 {
		s.streamKeyChanged(db, key) // XREADGROUP readers of a deleted stream
	}
}

// addDirty counts n changes to the dataset (for propagation and save points).
func (s *Server) addDirty(n int64) { s.dirty += n }

// lruClock is Redis's 24-bit LRU clock in seconds.
// It comes from the running command's time, so it costs no clock read.
func (s *Server) lruClock() uint32 {
	return uint32(s.cmdTime.Unix()) & (1<<24 - 1)
}

// removeElements is the body HDEL, SREM and ZREM share: remove every
// argument after the key from the collection of type t at argv[1],
// deleting the key as soon as it is empty (the remaining arguments are
// then not looked at, as in Redis), and reply how many were removed. The
// keyspace event (class, event) follows, then "del" if the key went.
func (c *client) removeElements(t datatypes.ObjType, class NotifyFlags, event string, remove func(o *datatypes.Object, e []byte) bool, size func(o *datatypes.Object) int) {
	s := c.srv
	o, ok := c.lookupType(c.argv[1], t, true)
	if !ok {
		return
	}
	if o == nil {
		c.addInt(0)
		return
	}
	deleted, keyRemoved := 0, false
	for _, e := range c.argv[2:] {
		if remove(o, e) {
			deleted++
			if size(o) == 0 {
				s.dbDelete(c.db, c.argv[1])
				keyRemoved = true
				break
			}
		}
	}
	if deleted > 0 {
		s.signalModifiedKey(c.db, unsafeString(c.argv[1]))
		c.notify(class, event, c.argv[1])
		if keyRemoved {
			c.notify(NotifyGeneric, "del", c.argv[1])
		}
		s.addDirty(int64(deleted))
	}
	c.addInt(int64(deleted))
}
