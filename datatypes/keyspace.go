package datatypes

// DB is one numbered database: the main dict of key -> object and the
// expires dict of key -> absolute expiry in Unix milliseconds, as Redis's
// redisDb. The clock is not here: callers pass "now" and decide what an
// expired key means (a primary deletes it and propagates DEL; a replica
// only hides it).
//
// Keys passed to lookups may alias a request buffer and are not retained;
// keys passed to Add/SetKey are retained, so callers pass owned strings.
type DB struct {
	ID      int
	Keys    *Dict[*Object]
	Expires *Dict[int64]

	// AvgTTL is the running average TTL Redis reports in INFO keyspace,
	// maintained by the active expire cycle.
	AvgTTL int64
	// ExpiresCursor is where the active expire cycle resumes its scan.
	ExpiresCursor uint64

	// BeforeChange, when set, is called with a key before Store, SetKey,
	// Add, Delete, SetExpire or Persist changes it: a snapshot in progress
	// saves the key's old value first (server/snapshot.go).
	BeforeChange func(db *DB, key string)
}

// NewDB returns an empty database hashed with seed.
func NewDB(id int, seed uint64) *DB {
	return &DB{ID: id, Keys: NewDict[*Object](seed), Expires: NewDict[int64](seed)}
}

// Lookup returns the object at key without looking at its TTL.
func (db *DB) Lookup(key string) *Object {
	o, _ := db.Keys.Get(key)
	return o
}

// ExpireAt returns the key's absolute expiry in ms, or -1 if it has none.
func (db *DB) ExpireAt(key string) int64 {
	if db.Expires.Len() == 0 {
		return -1
	}
	if t, ok := db.Expires.Get(key); ok {
		return t
	}
	return -1
}

// Expired reports whether key's TTL has passed at now (ms): as Redis's
// keyIsExpired, a key is expired once now > its expiry.
func (db *DB) Expired(key string, now int64) bool {
	t := db.ExpireAt(key)
	return t >= 0 && now > t
}

// SetKey stores o at key and drops any TTL unless keepTTL, as Redis's
// setKey does. key is retained if the key is new.
func (db *DB) SetKey(key string, o *Object, keepTTL bool) {
	if db.BeforeChange != nil {
		db.BeforeChange(db, key)
	}
	db.Keys.Set(key, o)
	if !keepTTL && db.Expires.Len() > 0 {
		db.Expires.Delete(key)
	}
}

// Store is SetKey for a key that may alias a request buffer: it is copied
// only if the key is new. It reports whether the key is new.
func (db *DB) Store(key string, o *Object, keepTTL bool) bool {
	if db.BeforeChange != nil {
		db.BeforeChange(db, key)
	}
	added := db.Keys.Upsert(key, o)
	if !keepTTL && db.Expires.Len() > 0 {
		db.Expires.Delete(key)
	}
	return added
}

// OverwriteString is Store(key, NewString(val), keepTTL) for a key that
// holds o, done in place when o.CanOverwriteString(val) (no allocation);
// it reports false and changes nothing otherwise. key is not retained.
func (db *DB) OverwriteString(key string, o *Object, val []byte, keepTTL bool) bool {
	if !o.CanOverwriteString(val) {
		return false
	}
	if db.BeforeChange != nil {
		db.BeforeChange(db, key) // a snapshot saves the old value first
	}
	o.overwriteString(val)
	if !keepTTL && db.Expires.Len() > 0 {
		db.Expires.Delete(key)
	}
	return true
}

// Add inserts key, which must not exist. key is retained.
func (db *DB) Add(key string, o *Object) {
	if db.BeforeChange != nil {
		db.BeforeChange(db, key)
	}
	db.Keys.Set(key, o)
}

// Delete removes key and its TTL, reporting whether it existed.
func (db *DB) Delete(key string) bool {
	if db.BeforeChange != nil {
		db.BeforeChange(db, key)
	}
	if _, ok := db.Keys.Delete(key); !ok {
		return false
	}
	if db.Expires.Len() > 0 {
		db.Expires.Delete(key)
	}
	return true
}

// SetExpire sets the absolute expiry (ms) of an existing key. The expires
// dict stores the same string as the main dict, so the bytes exist once.
func (db *DB) SetExpire(key string, at int64) {
	if db.BeforeChange != nil {
		db.BeforeChange(db, key)
	}
	if k, ok := db.Keys.Key(key); ok {
		key = k
	}
	db.Expires.Set(key, at)
}

// Persist removes the TTL of key, reporting whether it had one.
func (db *DB) Persist(key string) bool {
	if db.BeforeChange != nil {
		db.BeforeChange(db, key)
	}
	_, ok := db.Expires.Delete(key)
	return ok
}

// Len is the number of keys, expired or not (DBSIZE).
func (db *DB) Len() int { return db.Keys.Len() }

// Clear empties the database.
func (db *DB) Clear() {
	db.Keys.Clear()
	db.Expires.Clear()
	db.AvgTTL = 0
	db.ExpiresCursor = 0
}
