package server

// Snapshots without fork.
//
// Redis makes BGSAVE and BGREWRITEAOF point-in-time by forking: the child
// sees the memory as it was, the kernel copies pages the parent then
// writes. Ferrite has no fork, so a snapshot is a background goroutine
// that walks the live keyspace while clients keep writing, and the writes
// themselves keep the walk point-in-time:
//
//   - At the start, under s.mu, the snapshot records per non-empty
//     database the *Dict of its keys and of its expires. The walk reads
//     those dicts, whatever happens to the DB values: FLUSHDB/FLUSHALL
//     put fresh dicts in the DB instead of clearing captured ones
//     (snapshotDetach), and SWAPDB swaps dict pointers, so a captured dict
//     is found by identity, not by database number. Resizing of the
//     captured key dicts is disabled for the duration (a rehash already
//     under way may finish, no new one starts, and growth past 5 keys per
//     bucket only splits buckets): then a Scan cursor partitions the
//     buckets exactly into visited and not visited (Dict.ScanVisited), and
//     no key is returned twice.
//
//   - The goroutine takes s.mu for one slice (snapshotSliceKeys keys or
//     snapshotSliceTime, whichever comes first), advances the cursor,
//     serializes each key it returns that was not already handled (value,
//     TTL, and IDLE/FREQ under an LRU/LFU policy) into an in-memory buffer,
//     takes the buffer and releases s.mu, then writes the buffer to w.
//     Client stalls are bounded by one slice; the disk is written outside
//     the lock.
//
//   - Every change to a key goes through a hook first: the DB's
//     BeforeChange (Store, SetKey, Add, Delete, SetExpire, Persist) and
//     lookupKeyWrite (commands that then change a value in place). If the
//     key's bucket is behind the cursor the walk already saved it as it
//     was, and there is nothing to do. Otherwise the hook saves the key's
//     current value (its pre-image) now, or nothing if the key does not
//     exist (it was created after the start), and records the key in the
//     database's handled set, which the walk skips. The set is bounded by
//     the keys written during the snapshot. The hook costs one nil check
//     when no snapshot runs.
//
// Entries of different databases interleave in the file (a pre-image of
// db 3 while the walk is in db 0): each run starts with its SELECTDB, as
// RDB allows (loaders switch database on every SELECTDB).
//
// Memory: the buffer holds one slice plus the pre-images written before
// the goroutine's next turn; the handled sets hold one string per key
// written during the snapshot.

import (
	"errors"
	"io"
	"time"

	"ferrite/datatypes"
	"ferrite/persistence"
)

// Slice budget of the snapshot goroutine: it holds s.mu for at most this
// many keys or this long, whichever comes first.
const (
	snapshotSliceKeys  = 1000
	snapshotSliceTime  = time.Millisecond
	snapshotSlicePause = 200 * time.Microsecond
)

// snapshotKind says who runs a snapshot: FLUSHALL cancels a BGSAVE (as
// Redis 7.0 kills the RDB child) but not an AOF rewrite.
type snapshotKind int

const (
	snapshotRDB snapshotKind = iota // BGSAVE, save points
	snapshotAOF                     // BGREWRITEAOF's base
)

// snapshotOptions configure startSnapshot.
type snapshotOptions struct {
	kind    snapshotKind
	aofBase bool // aux aof-base 1: the file is the base of an AOF
	// sliceKeys and sliceTime override the slice budget (tests make
	// slices tiny so writes interleave with the walk); 0 = defaults.
	sliceKeys int
	sliceTime time.Duration
}

var (
	errSnapshotRunning  = errors.New("a snapshot is already in progress")
	errSnapshotCanceled = errors.New("snapshot canceled")
)

// snapshot is the state of the running snapshot, protected by s.mu except
// where noted.
type snapshot struct {
	opts     snapshotOptions
	dbs      []*snapDB
	next     int // index in dbs of the database the walk is in
	wr       *persistence.Writer
	buf      *snapBuffer // what wr wrote since the goroutine last took it
	curDB    int         // database of the last SELECTDB written, -1 none
	saveIdle bool        // maxmemory-policy is an LRU one: save IDLE
	saveFreq bool        // an LFU one: save FREQ
	canceled bool
	err      error // a serialization error, ends the snapshot
	start    time.Time
	keysDone int64 // keys serialized (current_save_keys_processed)
	keysAll  int64 // keys at the start (current_save_keys_total)

	sliceDone int           // keys the last slice serialized
	slices    int           // slices run so far
	lastHold  time.Duration // how long the last slice held s.mu
	maxHold   time.Duration // longest slice (how long clients could wait)
}

// snapDB is one captured database.
type snapDB struct {
	id       int
	keys     *datatypes.Dict[*datatypes.Object]
	expires  *datatypes.Dict[int64]
	size     uint64 // keys at the start (RESIZEDB hint)
	nexp     uint64
	cursor   uint64
	finished bool
	handled  map[string]struct{} // saved or created ahead of the cursor
}

// snapBuffer is the io.Writer under the snapshot's persistence.Writer.
type snapBuffer struct{ b []byte }

func (b *snapBuffer) Write(p []byte) (int, error) {
	b.b = append(b.b, p...)
	return len(p), nil
}

// startSnapshot starts writing a point-in-time RDB of the whole dataset to
// w in the background (header with aux fields, functions, every database,
// EOF and checksum). It must be called with s.mu held and fails when a
// snapshot is already running. done is called without s.mu once the
// snapshot ends: err is nil when all of it was written to w.
func (s *Server) startSnapshot(w io.Writer, opts snapshotOptions, done func(err error)) error {
	if s.snap != nil {
		return errSnapshotRunning
	}
	if opts.sliceKeys <= 0 {
		opts.sliceKeys = snapshotSliceKeys
	}
	if opts.sliceTime <= 0 {
		opts.sliceTime = snapshotSliceTime
	}
	sn := &snapshot{opts: opts, buf: &snapBuffer{}, curDB: -1, start: s.now()}
	sn.saveIdle, sn.saveFreq = s.rdbSaveLRUInfo()
	sn.wr = persistence.NewWriter(sn.buf, persistence.WriteOptions{Compress: s.cfg.RDBCompression, Checksum: s.cfg.RDBChecksum})
	if err := s.rdbWriteHeader(sn.wr, opts.aofBase); err != nil {
		return err
	}
	for _, db := range s.dbs {
		if db.Keys.Len() == 0 {
			continue
		}
		sd := &snapDB{id: db.ID, keys: db.Keys, expires: db.Expires,
			size: uint64(db.Keys.Len()), nexp: uint64(db.Expires.Len()),
			handled: make(map[string]struct{})}
		sd.keys.SetResizeAllowed(false)
		sn.dbs = append(sn.dbs, sd)
		sn.keysAll += int64(sd.size)
	}
	s.snap = sn
	for _, db := range s.dbs {
		db.BeforeChange = s.snapshotBeforeChange
	}
	go s.runSnapshot(sn, w, done)
	return nil
}

// runSnapshot is the snapshot goroutine: a slice under s.mu, a write
// outside it, until every captured database has been walked.
func (s *Server) runSnapshot(sn *snapshot, w io.Writer, done func(err error)) {
	var spare []byte
	var err error
	for {
		s.mu.Lock()
		finished := false
		switch {
		case sn.canceled:
			err = errSnapshotCanceled
		case sn.err != nil:
			err = sn.err
		default:
			t0 := time.Now()
			finished = s.snapshotSlice(sn)
			sn.slices++
			sn.lastHold = time.Since(t0)
			sn.maxHold = max(sn.maxHold, sn.lastHold)
			if sn.err != nil {
				err = sn.err
			}
			if finished {
				s.logf("*", "Snapshot of %d keys written in %d slices, the longest held the keyspace for %v",
					sn.keysDone, sn.slices, sn.maxHold.Round(time.Microsecond))
			}
		}
		if err != nil || finished {
			if s.snap == sn {
				s.endSnapshot(sn)
			}
		}
		out := sn.buf.b
		sn.buf.b = spare[:0]
		s.mu.Unlock()
		if err != nil {
			break
		}
		if len(out) > 0 {
			if _, werr := w.Write(out); werr != nil {
				err = werr
				s.mu.Lock()
				if s.snap == sn {
					s.endSnapshot(sn)
				}
				s.mu.Unlock()
				break
			}
		}
		spare = out
		if finished {
			break
		}
		// rdb-key-save-delay (tests): microseconds per key saved, slept
		// outside the lock as Redis's child sleeps.
		if d := s.keySaveDelay(); d > 0 {
			time.Sleep(time.Duration(d*max(sn.sliceDone, 1)) * time.Microsecond)
		} else {
			// Park between slices. With few Ps (GOMAXPROCS is io-threads,
			// 1 by default) a goroutine that only yields is rescheduled
			// before the network poller is consulted, so clients would
			// wait for the 10ms preemption tick; a sleep idles the P and
			// lets the poller hand it to them. Sleeping as long as the
			// slice held the lock (a 50% duty cycle at most) lets the
			// clients that queued meanwhile drain before the next one.
			time.Sleep(max(snapshotSlicePause, sn.lastHold))
		}
	}
	done(err)
}

// snapshotSlice walks one slice; it reports whether the snapshot is
// complete (the EOF and checksum are then in the buffer).
func (s *Server) snapshotSlice(sn *snapshot) bool {
	deadline := time.Now().Add(sn.opts.sliceTime)
	n := 0
	for sn.next < len(sn.dbs) {
		sd := sn.dbs[sn.next]
		sd.cursor = sd.keys.Scan(sd.cursor, func(key string, o *datatypes.Object) {
			if _, ok := sd.handled[key]; ok {
				return
			}
			s.snapshotEntry(sn, sd, key, o)
			n++
		})
		if sd.cursor == 0 {
			sd.finished = true
			sd.handled = nil
			sn.next++
		}
		if sn.err != nil {
			return false
		}
		if n >= sn.opts.sliceKeys || !time.Now().Before(deadline) || s.cfg.RDBKeySaveDelay > 0 {
			break
		}
	}
	sn.sliceDone = n
	if sn.next < len(sn.dbs) {
		return false
	}
	if err := sn.wr.Finish(); err != nil {
		sn.err = err
		return false
	}
	return true
}

// snapshotEntry serializes key of the captured database sd as it is now.
func (s *Server) snapshotEntry(sn *snapshot, sd *snapDB, key string, o *datatypes.Object) {
	if sn.curDB != sd.id {
		if err := sn.wr.SelectDB(sd.id, sd.size, sd.nexp); err != nil {
			sn.err = err
			return
		}
		sn.curDB = sd.id
	}
	expireAt := int64(-1)
	if sd.expires.Len() > 0 {
		if at, ok := sd.expires.Get(key); ok {
			expireAt = at
		}
	}
	idle, freq := s.rdbKeyLRUInfo(o, sn.saveIdle, sn.saveFreq)
	if err := sn.wr.Entry(key, o, expireAt, idle, freq); err != nil {
		sn.err = err
		return
	}
	sn.keysDone++
}

// snapshotBeforeChange is the DBs' BeforeChange hook while a snapshot
// runs (and lookupKeyWrite's): it saves key's pre-image when the walk has
// not reached it yet. Called with s.mu held.
func (s *Server) snapshotBeforeChange(db *datatypes.DB, key string) {
	sn := s.snap
	if sn == nil || sn.err != nil || sn.canceled {
		return
	}
	var sd *snapDB
	for _, d := range sn.dbs {
		if d.keys == db.Keys {
			sd = d
			break
		}
	}
	if sd == nil || sd.finished {
		return // not captured (empty at the start, or flushed): nothing to keep
	}
	if _, ok := sd.handled[key]; ok {
		return
	}
	if sd.keys.ScanVisited(sd.cursor, key) {
		return
	}
	owned := string([]byte(key)) // key may alias a request buffer
	if o, ok := sd.keys.Get(key); ok {
		s.snapshotEntry(sn, sd, owned, o)
	}
	sd.handled[owned] = struct{}{}
}

// endSnapshot detaches the finished or canceled snapshot: resizing comes
// back on and the write hooks go away.
func (s *Server) endSnapshot(sn *snapshot) {
	for _, sd := range sn.dbs {
		sd.keys.SetResizeAllowed(true)
		sd.handled = nil
	}
	for _, db := range s.dbs {
		db.BeforeChange = nil
	}
	s.snap = nil
}

// cancelSnapshot stops the running snapshot; its done gets
// errSnapshotCanceled. Called with s.mu held.
func (s *Server) cancelSnapshot() {
	if sn := s.snap; sn != nil {
		sn.canceled = true
		s.endSnapshot(sn)
	}
}

// snapshotDetach is called before db is emptied (FLUSHDB, FLUSHALL,
// DEBUG RELOAD): a database the snapshot still reads gets fresh dicts
// instead of having the captured ones cleared. Called with s.mu held.
func (s *Server) snapshotDetach(db *datatypes.DB) {
	sn := s.snap
	if sn == nil {
		return
	}
	for _, sd := range sn.dbs {
		if sd.keys == db.Keys {
			db.Keys = datatypes.NewDict[*datatypes.Object](s.seed)
			db.Expires = datatypes.NewDict[int64](s.seed)
			db.ExpiresCursor = 0
			sd.keys.SetResizeAllowed(true) // nobody writes it any more
			return
		}
	}
}

// snapshotProgress is what INFO reports of the running snapshot.
func (s *Server) snapshotProgress() (processed, total int64) {
	if sn := s.snap; sn != nil {
		return sn.keysDone, sn.keysAll
	}
	return 0, 0
}

// rdbSaveLRUInfo says which per-key access info an RDB carries: IDLE
// under an LRU maxmemory-policy, FREQ under an LFU one (rdbSaveKeyValuePair).
func (s *Server) rdbSaveLRUInfo() (idle, freq bool) {
	p := s.cfg.MaxMemoryPolicy
	if s.lfuPolicy() {
		return false, true
	}
	return len(p) > 4 && p[len(p)-4:] == "-lru", false
}

// rdbKeyLRUInfo is the IDLE (seconds) and FREQ of o to save, -1 if not.
func (s *Server) rdbKeyLRUInfo(o *datatypes.Object, saveIdle, saveFreq bool) (idle int64, freq int) {
	idle, freq = -1, -1
	if saveIdle {
		idle = s.estimateIdleTime(o)
	}
	if saveFreq {
		freq = s.lfuDecrAndReturn(o)
	}
	return idle, freq
}

// keySaveDelay is rdb-key-save-delay, read under s.mu.
func (s *Server) keySaveDelay() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cfg.RDBKeySaveDelay
}
