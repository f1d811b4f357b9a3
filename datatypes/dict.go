// Dict: a chained hash table with incremental rehashing, ported from the
// ideas of Redis 7.0 src/dict.c. It is the keyspace of a database and the
// hashtable encoding of hashes and sets.
//
// Contract
//
//   - Not safe for concurrent use. Get is not read-only either: like
//     dictFind it performs one rehash step while a rehash is in progress.
//   - Set and Add retain the key string; Upsert copies it when it adds it;
//     Get, Key and Delete never keep it. Callers may pass zero-copy strings
//     aliasing a reused buffer to all but Set and Add.
//   - Callbacks given to Scan, SomeKeys and Range must not modify the Dict.
//   - The zero value is an empty Dict hashing with seed 0; NewDict sets the
//     seed, which should be random per process (hash flooding).
//
// # Design
//
// Two tables, ht[0] and ht[1]. ht[1] exists only while rehashing: every
// Get/Set/Add/Delete moves one bucket from ht[0] to ht[1] (_dictRehashStep)
// and the server cron calls RehashSteps with a budget. New keys go to ht[1]
// while rehashing. The table grows when used >= buckets (load factor 1) to
// the next power of two >= used+1, and shrinks only when the owner calls
// ShrinkIfNeeded (Redis shrinks from the cron, not on delete) once fill is
// below 10%. SetResizeAllowed(false) is dict_can_resize = 0: no shrink, and
// no growth unless used/buckets > 5.
//
// Memory is kept pointer-light for the garbage collector:
//
//   - Buckets are []uint32 holding entry references (no pointers to scan).
//   - Entries live in an arena of fixed chunks of 1024 (the first chunk
//     starts at 8 and doubles, so small dicts stay small). Growing the arena
//     appends a chunk and never copies existing entries, so a table of
//     millions of keys never stalls on a reallocation. Chains link by
//     uint32 reference; reference 0 is a reserved slot meaning "none".
//   - Deleted slots go on a free list, with key and value zeroed so the
//     collector can reclaim what they pointed to.
//   - An entry caches the low 32 bits of its hash. It fits in the padding
//     after the 32-bit next link, so it costs nothing for word-sized values,
//     and it lets rehashing relink entries without re-reading or re-hashing
//     the key bytes and lets lookups skip most string compares.
//   - A shrink relocates the surviving entries into a fresh arena as their
//     buckets move, then drops the old arena: this is how the slack left by
//     mass deletion is returned. A grow keeps the entries where they are;
//     both tables then share one arena.
//
// Bucket indexes use the low bits of the 32-bit hash, so a table has at
// most 2^32 buckets and an arena at most 2^32-1 entries.
package datatypes

import (
	"math/bits"
	"math/rand/v2"
	"strings"

	"github.com/cespare/xxhash/v2"
)

const (
	dictInitialSize      = 4  // DICT_HT_INITIAL_SIZE
	dictForceResizeRatio = 5  // dict_force_resize_ratio
	dictMinFillPercent   = 10 // HASHTABLE_MIN_FILL in server.h
	dictFairSample       = 15 // GETFAIR_NUM_ENTRIES

	arenaChunkShift = 10
	arenaChunkSize  = 1 << arenaChunkShift
	arenaChunkMask  = arenaChunkSize - 1
	arenaFirstChunk = 8
	arenaMaxRefs    = 1<<32 - 1
)

// Dict is a hash table from string keys to values of type V.
type Dict[V any] struct {
	ht [2]dictTable[V]
	// rehashIdx is the next ht[0] bucket to move; ht[0] buckets below it are
	// empty. Meaningful only while rehashing, i.e. while ht[1].buckets != nil.
	rehashIdx int
	seed      uint64
	noResize  bool // inverse of dict_can_resize, so the zero value allows resizing
}

type dictTable[V any] struct {
	buckets []uint32 // chain heads; len is 0 or a power of two
	used    int
	ar      *dictArena[V] // shared by both tables while growing
}

type dictEntry[V any] struct {
	key  string
	val  V
	next uint32 // next entry in the chain (or the free list); 0 ends it
	hash uint32 // low 32 bits of the key's hash
}

// dictArena stores entries in chunks addressed by uint32 references.
type dictArena[V any] struct {
	chunks [][]dictEntry[V]
	n      uint32 // slots handed out so far, including reserved slot 0
	free   uint32 // head of the free list, 0 if empty
}

// NewDict returns an empty Dict hashing keys with xxhash seeded by seed.
func NewDict[V any](seed uint64) *Dict[V] {
	return &Dict[V]{seed: seed}
}

// Len returns the number of keys.
func (d *Dict[V]) Len() int { return d.ht[0].used + d.ht[1].used }

// IsRehashing reports whether an incremental rehash is in progress.
func (d *Dict[V]) IsRehashing() bool { return d.ht[1].buckets != nil }

// Buckets returns the bucket counts of both tables (table1 is 0 unless
// rehashing), for DEBUG HTSTATS-style reporting.
func (d *Dict[V]) Buckets() (table0, table1 int) {
	return len(d.ht[0].buckets), len(d.ht[1].buckets)
}

// SetResizeAllowed is dict_can_resize for this Dict. When false (for
// example while a snapshot child shares memory copy-on-write), ShrinkIfNeeded
// does nothing and the table grows only once used/buckets exceeds 5. A
// rehash already in progress continues either way.
func (d *Dict[V]) SetResizeAllowed(ok bool) { d.noResize = !ok }

// Clear removes every key and releases all memory, keeping the seed and the
// resize policy.
func (d *Dict[V]) Clear() {
	d.ht = [2]dictTable[V]{}
	d.rehashIdx = 0
}

// Get returns the value stored under key. It does not retain key.
func (d *Dict[V]) Get(key string) (V, bool) {
	if d.Len() == 0 {
		var zero V
		return zero, false
	}
	if d.IsRehashing() {
		d.rehash(1)
	}
	if e := d.find(key, d.hash(key)); e != nil {
		return e.val, true
	}
	var zero V
	return zero, false
}

// Key returns the key string stored in d that equals key, so callers can
// share its bytes (the expires dict stores the main dict's key). It does not
// retain key.
func (d *Dict[V]) Key(key string) (string, bool) {
	if d.Len() == 0 {
		return "", false
	}
	if d.IsRehashing() {
		d.rehash(1)
	}
	if e := d.find(key, d.hash(key)); e != nil {
		return e.key, true
	}
	return "", false
}

// Set stores v under key, replacing any previous value, and reports whether
// the key was added. A new key string is retained; on replace the stored key
// is kept (as dictReplace does).
func (d *Dict[V]) Set(key string, v V) bool {
	h := d.hash(key)
	e, idx := d.findForInsert(key, h)
	if e != nil {
		e.val = v
		return false
	}
	d.insert(idx, key, v, h)
	return true
}

// Upsert is Set for callers whose key aliases memory they do not own (a
// request buffer): the key is copied only when it is added, so a replace
// neither allocates nor hashes twice. It reports whether the key was added.
func (d *Dict[V]) Upsert(key string, v V) bool {
	h := d.hash(key)
	e, idx := d.findForInsert(key, h)
	if e != nil {
		e.val = v
		return false
	}
	d.insert(idx, strings.Clone(key), v, h)
	return true
}

// Add stores v under key only if key is absent, and reports whether it did.
func (d *Dict[V]) Add(key string, v V) bool {
	h := d.hash(key)
	e, idx := d.findForInsert(key, h)
	if e != nil {
		return false
	}
	d.insert(idx, key, v, h)
	return true
}

// Delete removes key and returns its value. It does not retain key. Deletes
// never shrink the table; see ShrinkIfNeeded.
func (d *Dict[V]) Delete(key string) (V, bool) {
	var zero V
	if d.Len() == 0 {
		return zero, false
	}
	if d.IsRehashing() {
		d.rehash(1)
	}
	h := d.hash(key)
	for t := 0; t < 2; t++ {
		tb := &d.ht[t]
		idx := h & uint32(len(tb.buckets)-1)
		if t == 0 && d.IsRehashing() && int(idx) < d.rehashIdx {
			continue // already moved to ht[1]
		}
		var prev uint32
		for r := tb.buckets[idx]; r != 0; {
			e := tb.ar.at(r)
			if e.hash == h && e.key == key {
				v := e.val
				if prev == 0 {
					tb.buckets[idx] = e.next
				} else {
					tb.ar.at(prev).next = e.next
				}
				tb.ar.release(r)
				tb.used--
				if tb.used == 0 && !d.IsRehashing() {
					// Nothing is left: hand the arena's chunks back now
					// rather than waiting for a shrink.
					*tb.ar = dictArena[V]{}
				}
				return v, true
			}
			prev, r = r, e.next
		}
		if !d.IsRehashing() {
			break
		}
	}
	return zero, false
}

// RehashSteps performs up to n bucket moves of an ongoing rehash, visiting at
// most n*10 empty buckets so the work stays bounded on sparse tables. It
// returns true if the rehash is still in progress afterwards. This is the
// budgeted entry point for the server cron (dictRehash).
func (d *Dict[V]) RehashSteps(n int) bool { return d.rehash(n) }

// ShrinkIfNeeded starts a shrinking rehash when the table is below 10% fill
// (htNeedsResize + dictResize): the new size is the smallest power of two
// >= max(used, 4). It reports whether a resize was started. It does nothing
// while rehashing or when resizing is not allowed.
func (d *Dict[V]) ShrinkIfNeeded() bool {
	size := len(d.ht[0].buckets) + len(d.ht[1].buckets)
	if size <= dictInitialSize || d.Len()*100/size >= dictMinFillPercent {
		return false
	}
	if d.noResize || d.IsRehashing() {
		return false
	}
	return d.expand(max(d.ht[0].used, dictInitialSize))
}

// Scan visits the bucket addressed by cursor (in both tables while
// rehashing) and returns the next cursor; start with 0, and a returned 0
// means the scan is complete (dictScan). Every key present for the whole scan
// is visited at least once even if the table grows, shrinks or rehashes
// between calls; some keys may be visited more than once. fn must not modify
// d.
//
// The cursor counts with its bits reversed, so the high bits of the bucket
// index advance first. When the table grows, the buckets a visited bucket
// splits into share its low bits, which the reversed increment never
// revisits; when it shrinks, a bucket whose low bits were all covered is
// skipped. While rehashing, the smaller table's bucket is visited and then
// every expansion of it in the larger table, which reduces two tables to
// the one-table case.
func (d *Dict[V]) Scan(cursor uint64, fn func(key string, v V)) uint64 {
	if d.Len() == 0 {
		return 0
	}
	v := cursor
	if !d.IsRehashing() {
		t0 := &d.ht[0]
		m0 := uint64(len(t0.buckets) - 1)
		t0.visitChain(t0.buckets[v&m0], fn)
		v |= ^m0 // so the increment below carries through the masked bits only
		return bits.Reverse64(bits.Reverse64(v) + 1)
	}
	small, large := &d.ht[0], &d.ht[1]
	if len(small.buckets) > len(large.buckets) {
		small, large = large, small
	}
	m0 := uint64(len(small.buckets) - 1)
	m1 := uint64(len(large.buckets) - 1)
	small.visitChain(small.buckets[v&m0], fn)
	for {
		large.visitChain(large.buckets[v&m1], fn)
		v |= ^m1
		v = bits.Reverse64(bits.Reverse64(v) + 1)
		if v&(m0^m1) == 0 {
			break
		}
	}
	return v
}

// ScanVisited reports whether a scan that started at cursor 0 and has
// reached cursor (the value Scan last returned, not 0) has already visited
// key's bucket, whether or not key is there. Scan visits buckets in the
// order of their reversed index bits, so a bucket is behind the cursor
// when its reversed index is smaller; during a rehash the smaller table's
// mask decides, since Scan visits a small bucket together with all its
// expansions. The answer stays right across growth (a visited bucket's
// expansions share its low bits) but not across a shrink that starts
// mid-scan, which may merge a visited bucket with an unvisited one:
// callers that rely on it disable resizing (SetResizeAllowed(false)).
func (d *Dict[V]) ScanVisited(cursor uint64, key string) bool {
	if cursor == 0 {
		return false
	}
	n := len(d.ht[0].buckets)
	if d.IsRehashing() && len(d.ht[1].buckets) < n {
		n = len(d.ht[1].buckets)
	}
	if n == 0 {
		return false
	}
	m := uint64(n - 1)
	return bits.Reverse64(uint64(d.hash(key))&m) < bits.Reverse64(cursor&m)
}

// Range calls fn for every key until fn returns false. fn must not modify d.
// Unlike Scan it does no rehash step and gives no guarantee across
// modifications, because there are none.
func (d *Dict[V]) Range(fn func(key string, v V) bool) {
	for t := 0; t < 2; t++ {
		tb := &d.ht[t]
		start := 0
		if t == 0 && d.IsRehashing() {
			start = d.rehashIdx
		}
		for i := start; i < len(tb.buckets); i++ {
			for r := tb.buckets[i]; r != 0; {
				e := tb.ar.at(r)
				r = e.next
				if !fn(e.key, e.val) {
					return
				}
			}
		}
		if !d.IsRehashing() {
			return
		}
	}
}

// RandomKey returns a random entry, reasonably fair across chain lengths
// (dictGetFairRandomKey): it samples up to 15 entries from a run of buckets
// with SomeKeys and picks one of them, falling back to a random bucket and
// a random chain element if sampling found nothing.
func (d *Dict[V]) RandomKey() (string, V, bool) {
	if d.Len() == 0 {
		var zero V
		return "", zero, false
	}
	var sample [dictFairSample]dictRef[V]
	n := 0
	d.someKeys(dictFairSample, func(ar *dictArena[V], r uint32) {
		sample[n] = dictRef[V]{ar, r}
		n++
	})
	var e *dictEntry[V]
	if n == 0 {
		e = d.randomEntry()
	} else {
		s := sample[rand.IntN(n)]
		e = s.ar.at(s.r)
	}
	return e.key, e.val, true
}

// SomeKeys calls fn for up to n entries sampled from a run of consecutive
// buckets starting at a random one (dictGetSomeKeys), for eviction and active
// expiry. It does rehash work proportional to n first. It may call fn fewer
// than n times even if Len() >= n, and may not be uniformly distributed; it
// is much cheaper than n RandomKey calls. fn must not modify d.
func (d *Dict[V]) SomeKeys(n int, fn func(key string, v V)) {
	d.someKeys(n, func(ar *dictArena[V], r uint32) {
		e := ar.at(r)
		fn(e.key, e.val)
	})
}

// dictRef names an entry in a particular arena.
type dictRef[V any] struct {
	ar *dictArena[V]
	r  uint32
}

func (d *Dict[V]) hash(key string) uint32 {
	return uint32(xxhash64Seeded(key, d.seed))
}

// xxhash64Seeded is XXH64 of s with seed, the value an xxhash.Digest reset
// with the seed would give. Keys are mostly short, and for fewer than 32
// bytes the streaming Digest costs several times the algorithm itself
// (buffering, then finishing from the buffer), so that case is computed
// here directly; longer keys go through a stack Digest. TestDictHashIsXXH64
// checks the two agree.
func xxhash64Seeded(s string, seed uint64) uint64 {
	const (
		prime1 uint64 = 11400714785074694791
		prime2 uint64 = 14029467366897019727
		prime3 uint64 = 1609587929392839161
		prime4 uint64 = 9650029242287828579
		prime5 uint64 = 2870177450012600261
	)
	if len(s) >= 32 {
		var x xxhash.Digest
		x.ResetWithSeed(seed)
		x.WriteString(s)
		return x.Sum64()
	}
	h := seed + prime5 + uint64(len(s))
	for ; len(s) >= 8; s = s[8:] {
		k := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
		k = bits.RotateLeft64(k*prime2, 31) * prime1
		h ^= k
		h = bits.RotateLeft64(h, 27)*prime1 + prime4
	}
	if len(s) >= 4 {
		k := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24
		h ^= k * prime1
		h = bits.RotateLeft64(h, 23)*prime2 + prime3
		s = s[4:]
	}
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i]) * prime5
		h = bits.RotateLeft64(h, 11) * prime1
	}
	h ^= h >> 33
	h *= prime2
	h ^= h >> 29
	h *= prime3
	h ^= h >> 32
	return h
}

// find looks key up in both tables without rehashing.
func (d *Dict[V]) find(key string, h uint32) *dictEntry[V] {
	for t := 0; t < 2; t++ {
		tb := &d.ht[t]
		idx := h & uint32(len(tb.buckets)-1)
		if t == 0 && d.IsRehashing() && int(idx) < d.rehashIdx {
			continue
		}
		for r := tb.buckets[idx]; r != 0; {
			e := tb.ar.at(r)
			if e.hash == h && e.key == key {
				return e
			}
			r = e.next
		}
		if !d.IsRehashing() {
			break
		}
	}
	return nil
}

// findForInsert is _dictKeyIndex: one rehash step, grow if needed, then
// return the existing entry for key, or else the bucket of the table new
// keys go to (ht[1] while rehashing).
func (d *Dict[V]) findForInsert(key string, h uint32) (*dictEntry[V], uint32) {
	if d.IsRehashing() {
		d.rehash(1)
	}
	d.expandIfNeeded()
	var idx uint32
	for t := 0; t < 2; t++ {
		tb := &d.ht[t]
		idx = h & uint32(len(tb.buckets)-1)
		if t == 0 && d.IsRehashing() && int(idx) < d.rehashIdx {
			continue
		}
		for r := tb.buckets[idx]; r != 0; {
			e := tb.ar.at(r)
			if e.hash == h && e.key == key {
				return e, 0
			}
			r = e.next
		}
		if !d.IsRehashing() {
			break
		}
	}
	return nil, idx
}

// insert puts a new entry at the head of bucket idx of the insert table:
// recently added keys are assumed more likely to be accessed.
func (d *Dict[V]) insert(idx uint32, key string, v V, h uint32) {
	tb := &d.ht[0]
	if d.IsRehashing() {
		tb = &d.ht[1]
	}
	r := tb.ar.alloc()
	*tb.ar.at(r) = dictEntry[V]{key: key, val: v, next: tb.buckets[idx], hash: h}
	tb.buckets[idx] = r
	tb.used++
}

// Expand sizes the table for n keys at once, as dictExpand does when an
// RDB file announces a database's size: loading then never rehashes. It
// does nothing while rehashing or when the table already fits n.
func (d *Dict[V]) Expand(n int) {
	if n > len(d.ht[0].buckets) {
		d.expand(n)
	}
}

// Touch reads what an Add of key will read first, its bucket and the
// head of the bucket's chain, and returns a value made from them (so the
// reads are not optimized away). Touching a batch of keys before adding
// them lets the CPU wait for their cache misses together instead of one
// after the other: bulk loading is bound by those misses.
func (d *Dict[V]) Touch(key string) uint32 {
	tb := &d.ht[0]
	if d.IsRehashing() {
		tb = &d.ht[1]
	}
	if len(tb.buckets) == 0 {
		return 0
	}
	r := tb.buckets[d.hash(key)&uint32(len(tb.buckets)-1)]
	if r == 0 {
		return 0
	}
	return tb.ar.at(r).hash
}

// expandIfNeeded is _dictExpandIfNeeded of Redis 7.0.
func (d *Dict[V]) expandIfNeeded() {
	if d.IsRehashing() {
		return
	}
	size := len(d.ht[0].buckets)
	if size == 0 {
		d.expand(dictInitialSize)
		return
	}
	used := d.ht[0].used
	if used >= size && (!d.noResize || used/size > dictForceResizeRatio) {
		d.expand(used + 1)
	}
}

// expand is _dictExpand: start a rehash into a table of the smallest power
// of two >= size. It fails while rehashing, if size < used, or if the size
// would not change. An empty table is replaced at once.
func (d *Dict[V]) expand(size int) bool {
	t0 := &d.ht[0]
	if d.IsRehashing() || t0.used > size {
		return false
	}
	n := dictNextSize(size)
	if n == len(t0.buckets) || uint64(n) > 1<<32 {
		return false
	}
	nt := dictTable[V]{buckets: make([]uint32, n)}
	if t0.used == 0 {
		// Nothing to move. Start over with a fresh arena: the old one can
		// only hold free slots.
		nt.ar = new(dictArena[V])
		d.ht[0] = nt
		return true
	}
	if n > len(t0.buckets) {
		nt.ar = t0.ar
	} else {
		nt.ar = new(dictArena[V]) // compact: see the file comment
	}
	d.ht[1] = nt
	d.rehashIdx = 0
	return true
}

func dictNextSize(size int) int {
	if size <= dictInitialSize {
		return dictInitialSize
	}
	return 1 << bits.Len(uint(size-1))
}

// rehash is dictRehash: move up to n non-empty buckets from ht[0] to ht[1],
// visiting at most n*10 empty buckets, since a sparse table could otherwise
// make one step scan an unbounded run of empty buckets. Reports whether
// rehashing is still in progress.
func (d *Dict[V]) rehash(n int) bool {
	if !d.IsRehashing() {
		return false
	}
	emptyVisits := n * 10
	t0 := &d.ht[0]
	for ; n > 0 && t0.used != 0; n-- {
		for t0.buckets[d.rehashIdx] == 0 {
			d.rehashIdx++
			emptyVisits--
			if emptyVisits == 0 {
				return true
			}
		}
		d.moveBucket(d.rehashIdx)
		d.rehashIdx++
	}
	if t0.used == 0 {
		d.ht[0] = d.ht[1]
		d.ht[1] = dictTable[V]{}
		d.rehashIdx = 0
		return false
	}
	return true
}

// moveBucket relinks the chain of ht[0] bucket idx into ht[1], copying the
// entries into ht[1]'s arena when the two differ (a compacting shrink).
func (d *Dict[V]) moveBucket(idx int) {
	t0, t1 := &d.ht[0], &d.ht[1]
	m1 := uint32(len(t1.buckets) - 1)
	relocate := t0.ar != t1.ar
	for r := t0.buckets[idx]; r != 0; {
		e := t0.ar.at(r)
		next := e.next
		b := e.hash & m1
		if relocate {
			nr := t1.ar.alloc()
			*t1.ar.at(nr) = dictEntry[V]{key: e.key, val: e.val, next: t1.buckets[b], hash: e.hash}
			t0.ar.release(r)
			t1.buckets[b] = nr
		} else {
			e.next = t1.buckets[b]
			t1.buckets[b] = r
		}
		t0.used--
		t1.used++
		r = next
	}
	t0.buckets[idx] = 0
}

// someKeys is dictGetSomeKeys of Redis 7.0; it returns how many entries it
// passed to visit.
func (d *Dict[V]) someKeys(count int, visit func(ar *dictArena[V], r uint32)) int {
	count = min(count, d.Len())
	if count <= 0 {
		return 0
	}
	maxSteps := count * 10
	// Do rehash work proportional to count.
	for j := 0; j < count && d.IsRehashing(); j++ {
		d.rehash(1)
	}
	tables := 1
	if d.IsRehashing() {
		tables = 2
	}
	maxMask := uint64(len(d.ht[0].buckets) - 1)
	if tables > 1 {
		maxMask = max(maxMask, uint64(len(d.ht[1].buckets)-1))
	}
	i := rand.Uint64() & maxMask
	emptyLen, stored := 0, 0
	for ; stored < count && maxSteps > 0; maxSteps-- {
		for j := 0; j < tables; j++ {
			// ht[0] buckets below rehashIdx are empty. If i is also beyond
			// ht[1] (shrinking), nothing is there in either table: jump.
			if tables == 2 && j == 0 && i < uint64(d.rehashIdx) {
				if i >= uint64(len(d.ht[1].buckets)) {
					i = uint64(d.rehashIdx)
				} else {
					continue
				}
			}
			tb := &d.ht[j]
			if i >= uint64(len(tb.buckets)) {
				continue
			}
			r := tb.buckets[i]
			if r == 0 {
				// Jump elsewhere after a run of empty buckets as long as
				// count (minimum 5).
				emptyLen++
				if emptyLen >= 5 && emptyLen > count {
					i = rand.Uint64() & maxMask
					emptyLen = 0
				}
				continue
			}
			emptyLen = 0
			for r != 0 {
				next := tb.ar.at(r).next
				visit(tb.ar, r)
				stored++
				if stored == count {
					return stored
				}
				r = next
			}
		}
		i = (i + 1) & maxMask
	}
	return stored
}

// randomEntry is dictGetRandomKey: a random non-empty bucket, then a random
// element of its chain. Entries in long chains are less likely to be picked.
func (d *Dict[V]) randomEntry() *dictEntry[V] {
	if d.IsRehashing() {
		d.rehash(1)
	}
	var tb *dictTable[V]
	var r uint32
	if d.IsRehashing() {
		// No entries below rehashIdx in ht[0]; draw from the rest of ht[0]
		// followed by all of ht[1].
		s0 := len(d.ht[0].buckets)
		span := s0 + len(d.ht[1].buckets) - d.rehashIdx
		for r == 0 {
			h := d.rehashIdx + rand.IntN(span)
			if h >= s0 {
				tb = &d.ht[1]
				r = tb.buckets[h-s0]
			} else {
				tb = &d.ht[0]
				r = tb.buckets[h]
			}
		}
	} else {
		tb = &d.ht[0]
		m := uint64(len(tb.buckets) - 1)
		for r == 0 {
			r = tb.buckets[rand.Uint64()&m]
		}
	}
	n := 0
	for x := r; x != 0; x = tb.ar.at(x).next {
		n++
	}
	for k := rand.IntN(n); k > 0; k-- {
		r = tb.ar.at(r).next
	}
	return tb.ar.at(r)
}

func (t *dictTable[V]) visitChain(r uint32, fn func(key string, v V)) {
	for r != 0 {
		e := t.ar.at(r)
		r = e.next
		fn(e.key, e.val)
	}
}

func (a *dictArena[V]) at(r uint32) *dictEntry[V] {
	return &a.chunks[r>>arenaChunkShift][r&arenaChunkMask]
}

// alloc returns the reference of an unused slot, reusing freed slots first.
func (a *dictArena[V]) alloc() uint32 {
	if r := a.free; r != 0 {
		a.free = a.at(r).next
		return r
	}
	if a.n == 0 {
		a.chunks = [][]dictEntry[V]{make([]dictEntry[V], arenaFirstChunk)}
		a.n = 1 // slot 0 is the "none" reference
	}
	if a.n == arenaMaxRefs {
		panic("datatypes: Dict holds too many entries")
	}
	r := a.n
	c, off := int(r>>arenaChunkShift), int(r&arenaChunkMask)
	switch {
	case c == len(a.chunks):
		a.chunks = append(a.chunks, make([]dictEntry[V], arenaChunkSize))
	case off == len(a.chunks[c]):
		// Only the first chunk is ever short; it doubles up to full size,
		// copying at most half a chunk.
		grown := make([]dictEntry[V], 2*off)
		copy(grown, a.chunks[c])
		a.chunks[c] = grown
	}
	a.n++
	return r
}

// release zeroes slot r, dropping its key and value, and frees it.
func (a *dictArena[V]) release(r uint32) {
	*a.at(r) = dictEntry[V]{next: a.free}
	a.free = r
}
