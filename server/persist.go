package server

// RDB persistence, as Redis 7.0's rdb.c and the persistence parts of
// server.c: SAVE (synchronous, under the lock, as Redis's SAVE blocks),
// BGSAVE (a snapshot without fork: snapshot.go), save points checked by
// the cron, stop-writes-on-bgsave-error, loading at startup (clients are
// accepted meanwhile and get -LOADING), DEBUG RELOAD, and the final save
// of SHUTDOWN and of SIGTERM/SIGINT.
//
// A save writes dir/temp-<pid>-<n>.rdb, fsyncs it, renames it over
// dir/dbfilename and fsyncs the directory, so a crash leaves either the
// old file or the new one.

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"ferrite/datatypes"
	"ferrite/persistence"
)

// bgsaveRetryDelay is CONFIG_BGSAVE_RETRY_DELAY: after a failed BGSAVE, save
// points wait this long before trying again.
const bgsaveRetryDelay = 5 * time.Second

// persistState is the RDB part of Server, protected by s.mu.
type persistState struct {
	bgsaveRunning   bool
	bgsaveGen       int64 // identifies the running BGSAVE (a canceled one may finish late)
	bgsaveStart     time.Time
	bgsaveTmp       string // its temp file
	bgsaveScheduled bool   // BGSAVE SCHEDULE while an AOF rewrite runs
	dirtyBefore     int64  // s.dirty when the running BGSAVE started
	lastBgsaveErr   bool   // rdb_last_bgsave_status:err (and -MISCONF)
	lastBgsaveTry   time.Time
	lastBgsaveSecs  int64 // rdb_last_bgsave_time_sec minus one: 0 = never (-1)
	saves           int64 // rdb_saves
	tmpSeq          int64

	loading         bool
	loadStart       time.Time
	loadTotal       int64
	loadLoaded      int64
	lastLoadExpired int64
	lastLoadLoaded  int64
}

var (
	errBgsaveInProgress = errors.New("ERR Background save already in progress")
	errLoading          = "LOADING Redis is loading the dataset in memory"
	errMisconf          = "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error."
)

// rdbPath is dir/dbfilename.
func (s *Server) rdbPath() string { return filepath.Join(getDir(s.cfg), s.cfg.DBFilename) }

// rdbTempPath is a fresh temp file name in dir: a canceled BGSAVE may
// still be removing its own while the next save writes.
func (s *Server) rdbTempPath() string {
	s.persist.tmpSeq++
	return filepath.Join(getDir(s.cfg), fmt.Sprintf("temp-%d-%d.rdb", os.Getpid(), s.persist.tmpSeq))
}

// rdbAux is the AUX fields Redis 7.0 writes (rdbSaveInfoAuxFields). There
// is no replication backlog yet, so no repl-stream-db/repl-id/repl-offset.
func (s *Server) rdbAux(aofBase bool) [][2]string {
	base := "0"
	if aofBase {
		base = "1"
	}
	return [][2]string{
		{"redis-ver", Version},
		{"redis-bits", "64"},
		{"ctime", strconv.FormatInt(s.now().Unix(), 10)},
		{"used-mem", strconv.FormatUint(s.usedMemory(), 10)},
		{"aof-base", base},
	}
}

// rdbWriteHeader writes the header and the function libraries.
func (s *Server) rdbWriteHeader(wr *persistence.Writer, aofBase bool) error {
	if err := wr.Header(s.rdbAux(aofBase)); err != nil {
		return err
	}
	for _, code := range s.functionLibraries() {
		if err := wr.Function(code); err != nil {
			return err
		}
	}
	return nil
}

// rdbWriteSync writes the whole dataset to w under s.mu (SAVE, shutdown).
func (s *Server) rdbWriteSync(w io.Writer) error {
	wr := persistence.NewWriter(w, persistence.WriteOptions{Compress: s.cfg.RDBCompression, Checksum: s.cfg.RDBChecksum})
	if err := s.rdbWriteHeader(wr, false); err != nil {
		return err
	}
	saveIdle, saveFreq := s.rdbSaveLRUInfo()
	for _, db := range s.dbs {
		if db.Keys.Len() == 0 {
			continue
		}
		if err := wr.SelectDB(db.ID, uint64(db.Keys.Len()), uint64(db.Expires.Len())); err != nil {
			return err
		}
		var err error
		db.Keys.Range(func(key string, o *datatypes.Object) bool {
			idle, freq := s.rdbKeyLRUInfo(o, saveIdle, saveFreq)
			err = wr.Entry(key, o, db.ExpireAt(key), idle, freq)
			return err == nil
		})
		if err != nil {
			return err
		}
	}
	return wr.Finish()
}

// rdbSave is Redis's rdbSave: the dataset to dbfilename, synchronously.
// Called with s.mu held.
func (s *Server) rdbSave() error {
	tmp := s.rdbTempPath()
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		s.logf("#", "Failed opening the temp RDB file %s (in server root dir %s) for saving: %v", filepath.Base(tmp), getDir(s.cfg), err)
		return err
	}
	bw := bufio.NewWriterSize(newAutoSyncWriter(f, s.cfg.RDBSaveIncrementalFsync), 256<<10)
	err = s.rdbWriteSync(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = s.rdbInstall(f, tmp)
	} else {
		f.Close()
		os.Remove(tmp)
	}
	if err != nil {
		s.logf("#", "Write error saving DB on disk: %v", err)
		return err
	}
	s.logf("*", "DB saved on disk")
	s.dirty = 0
	s.lastSave = s.now()
	s.persist.lastBgsaveErr = false
	s.persist.saves++
	return nil
}

// rdbInstall makes the written temp file durable and moves it over
// dbfilename. It closes f and removes tmp on failure.
func (s *Server) rdbInstall(f *os.File, tmp string) error {
	err := f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		if err = os.Rename(tmp, s.rdbPath()); err != nil {
			s.logf("#", "Error moving temp DB file %s on the final destination %s (in server root dir %s): %v",
				filepath.Base(tmp), s.cfg.DBFilename, getDir(s.cfg), err)
		}
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	if d, derr := os.Open(filepath.Dir(tmp)); derr == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// rdbSaveBackground is Redis's rdbSaveBackground on a snapshot without
// fork. Called with s.mu held.
func (s *Server) rdbSaveBackground() error {
	p := &s.persist
	p.dirtyBefore = s.dirty
	p.lastBgsaveTry = s.now()
	tmp := s.rdbTempPath()
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		// Redis's child fails here, after BGSAVE has replied "started":
		// the save is a failed one, not a refused one.
		s.logf("*", "Background saving started by pid %d", os.Getpid())
		s.logf("#", "Failed opening the temp RDB file %s (in server root dir %s) for saving: %v", filepath.Base(tmp), getDir(s.cfg), err)
		s.logf("#", "Background saving error")
		p.lastBgsaveErr = true
		p.saves++
		p.lastBgsaveSecs = 1
		return nil
	}
	{
		p.bgsaveGen++
		gen := p.bgsaveGen
		err = s.startSnapshot(newAutoSyncWriter(f, s.cfg.RDBSaveIncrementalFsync), snapshotOptions{kind: snapshotRDB}, func(err error) {
			if err == nil {
				err = s.rdbInstall(f, tmp)
			} else {
				f.Close()
				os.Remove(tmp)
			}
			s.mu.Lock()
			defer s.mu.Unlock()
			s.bgsaveDone(gen, err)
		})
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}
	if err != nil {
		p.lastBgsaveErr = true
		s.logf("#", "Can't save in background: %v", err)
		return err
	}
	s.logf("*", "Background saving started by pid %d", os.Getpid())
	p.bgsaveRunning = true
	p.bgsaveStart = s.now()
	p.bgsaveTmp = tmp
	p.saves++
	return nil
}

// bgsaveDone is backgroundSaveDoneHandlerDisk. Called with s.mu held.
func (s *Server) bgsaveDone(gen int64, err error) {
	p := &s.persist
	if gen != p.bgsaveGen || !p.bgsaveRunning {
		return // canceled, and its state already reset
	}
	p.bgsaveRunning = false
	p.lastBgsaveSecs = int64(s.now().Sub(p.bgsaveStart)/time.Second) + 1
	switch {
	case err == nil:
		s.logf("*", "Background saving terminated with success")
		s.dirty -= p.dirtyBefore
		s.lastSave = s.now()
		p.lastBgsaveErr = false
	case errors.Is(err, errSnapshotCanceled):
		s.logf("#", "Background saving terminated by cancellation")
	default:
		s.logf("#", "Background saving error: %v", err)
		p.lastBgsaveErr = true
	}
}

// killRDBSnapshot is killRDBChild: a running BGSAVE stops and leaves no
// file; its status does not become an error (as a SIGUSR1-killed child).
func (s *Server) killRDBSnapshot() {
	p := &s.persist
	if !p.bgsaveRunning {
		return
	}
	if s.snap != nil && s.snap.opts.kind == snapshotRDB {
		s.cancelSnapshot()
	}
	p.bgsaveRunning = false
	p.lastBgsaveSecs = int64(s.now().Sub(p.bgsaveStart)/time.Second) + 1
	p.bgsaveGen++ // its done finds itself disowned
	// Removed now, not when its goroutine notices: the process may be
	// about to exit (SHUTDOWN), as rdbRemoveTempFile on killRDBChild.
	os.Remove(p.bgsaveTmp)
}

// SAVE
func saveCommand(c *client) {
	s := c.srv
	if s.persist.bgsaveRunning {
		c.addError(errBgsaveInProgress)
		return
	}
	if err := s.rdbSave(); err != nil {
		c.addErrorString("ERR")
		return
	}
	c.addOK()
}

// BGSAVE [SCHEDULE]
func bgsaveCommand(c *client) {
	s := c.srv
	schedule := false
	if len(c.argv) > 1 {
		if len(c.argv) == 2 && strings.EqualFold(string(c.argv[1]), "schedule") {
			schedule = true
		} else {
			c.addError(errSyntax)
			return
		}
	}
	switch {
	case s.persist.bgsaveRunning:
		c.addError(errBgsaveInProgress)
	case s.snap != nil || s.aof.rewriting || s.inCall > 1: // an AOF rewrite runs, or inside EXEC
		if schedule || s.inCall > 1 {
			s.persist.bgsaveScheduled = true
			c.addSimple("Background saving scheduled")
		} else {
			c.addErrorString("ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.")
		}
	default:
		if err := s.rdbSaveBackground(); err != nil {
			c.addErrorString("ERR")
			return
		}
		c.addSimple("Background saving started")
	}
}

var persistCommands = map[string]cmdProc{
	"save":   saveCommand,
	"bgsave": bgsaveCommand,
}

// persistCron is the save-point part of serverCron. Called with s.mu held.
func (s *Server) persistCron() {
	p := &s.persist
	if p.bgsaveRunning || s.snap != nil || s.aof.rewriting || p.loading { // hasActiveChildProcess
		return
	}
	now := s.now()
	retryOK := !p.lastBgsaveErr || now.Sub(p.lastBgsaveTry) > bgsaveRetryDelay
	for _, sp := range s.cfg.Save {
		if s.dirty >= sp.Changes && now.Unix()-s.lastSave.Unix() > sp.Seconds && retryOK {
			s.logf("*", "%d changes in %d seconds. Saving...", sp.Changes, sp.Seconds)
			_ = s.rdbSaveBackground()
			return
		}
	}
	if p.bgsaveScheduled && retryOK {
		if s.rdbSaveBackground() == nil {
			p.bgsaveScheduled = false
		}
	}
}

// rdbDiskError is the -MISCONF refusal of writes (and PING) after a
// failed BGSAVE, as writeCommandsDeniedByDiskError's RDB case.
func (s *Server) rdbDiskError() string {
	if s.cfg.StopWritesOnBgsaveError && len(s.cfg.Save) > 0 && s.persist.lastBgsaveErr {
		return errMisconf
	}
	return ""
}

// --- loading ---

// rdbLoader is the persistence.LoadHandler that fills the keyspace.
type rdbLoader struct {
	s         *Server
	locked    bool // the caller holds s.mu (DEBUG RELOAD)
	merge     bool // replace existing keys (DEBUG RELOAD MERGE)
	now       int64
	keyDelay  int // key-load-delay (tests): microseconds per key, slept outside the lock
	loaded    int64
	expired   int64
	functions [][]byte
	fileSize  int64 // bounds the sizes RESIZEDB announces (0: unknown)

	// The pipeline of a load that does not hold s.mu throughout: the
	// decoder (persistence.Load) hands batches of entries to an inserter
	// goroutine, so decoding and dict insertion use two cores.
	batch    []persistence.Entry
	pipe     chan []persistence.Entry
	free     chan []persistence.Entry // inserted batches, for reuse
	inserted chan struct{}
	failed   atomic.Pointer[error] // the inserter's first error
	touched  uint32                // keeps Dict.Touch's reads (see there)
}

// loadBatchSize is how many entries go to the inserter at once (and are
// inserted under one acquisition of s.mu).
const loadBatchSize = 256

// startPipeline starts the inserter goroutine.
func (l *rdbLoader) startPipeline() {
	l.pipe = make(chan []persistence.Entry, 8)
	l.free = make(chan []persistence.Entry, 10)
	l.inserted = make(chan struct{})
	go func() {
		defer close(l.inserted)
		for batch := range l.pipe {
			if l.failed.Load() != nil {
				continue // drain: the decoder stops at its next Entry
			}
			l.s.mu.Lock()
			for _, e := range batch {
				if e.DB >= 0 && e.DB < len(l.s.dbs) {
					l.touched += l.s.dbs[e.DB].Keys.Touch(e.Key)
				}
			}
			for i := range batch {
				if err := l.insert(&batch[i]); err != nil {
					l.failed.Store(&err)
					break
				}
			}
			l.s.mu.Unlock()
			clear(batch) // drop the references to what was inserted
			select {
			case l.free <- batch[:0]:
			default:
			}
		}
	}()
}

// finishPipeline hands over the last batch, waits for the inserter and
// returns its error, if any.
func (l *rdbLoader) finishPipeline() error {
	if len(l.batch) > 0 {
		l.pipe <- l.batch
		l.batch = nil
	}
	close(l.pipe)
	<-l.inserted
	if err := l.failed.Load(); err != nil {
		return *err
	}
	return nil
}

func (l *rdbLoader) lock() {
	if !l.locked {
		l.s.mu.Lock()
	}
}

func (l *rdbLoader) unlock() {
	if !l.locked {
		l.s.mu.Unlock()
	}
}

func (l *rdbLoader) Aux(key, val []byte) error {
	switch string(key) {
	case "redis-ver":
		l.s.logf("*", "Loading RDB produced by version %s", val)
	case "ctime":
		if t, err := strconv.ParseInt(string(val), 10, 64); err == nil {
			age := l.now/1000 - t
			if age < 0 {
				age = 0
			}
			l.s.logf("*", "RDB age %d seconds", age)
		}
	case "used-mem":
		if n, err := strconv.ParseInt(string(val), 10, 64); err == nil {
			l.s.logf("*", "RDB memory usage when created %.2f Mb", float64(n)/(1024*1024))
		}
	}
	return nil
}

// ResizeDB sizes the database's dicts for what the file announces, so the
// load does not rehash (Redis's dictExpand on RDB_OPCODE_RESIZEDB). The
// sizes are bounded by the file's size: each key takes several bytes.
func (l *rdbLoader) ResizeDB(db int, size, expires uint64) {
	if db < 0 || db >= len(l.s.dbs) {
		return
	}
	limit := uint64(l.fileSize)
	if limit == 0 {
		limit = 1 << 20
	}
	l.lock()
	defer l.unlock()
	l.s.dbs[db].Keys.Expand(int(min(size, limit)))
	l.s.dbs[db].Expires.Expand(int(min(expires, limit)))
}

func (l *rdbLoader) Function(code []byte) error {
	l.functions = append(l.functions, append([]byte(nil), code...))
	return nil
}

func (l *rdbLoader) Entry(e *persistence.Entry) error {
	if l.pipe != nil {
		if err := l.failed.Load(); err != nil {
			return *err
		}
		l.batch = append(l.batch, *e) // e is valid only during the call
		if len(l.batch) == loadBatchSize {
			l.pipe <- l.batch
			select {
			case l.batch = <-l.free:
			default:
				l.batch = make([]persistence.Entry, 0, loadBatchSize)
			}
		}
		return nil
	}
	if l.keyDelay > 0 && !l.locked {
		time.Sleep(time.Duration(l.keyDelay) * time.Microsecond)
	}
	l.lock()
	defer l.unlock()
	return l.insert(e)
}

// insert adds one loaded key to the keyspace; s.mu is held.
func (l *rdbLoader) insert(e *persistence.Entry) error {
	s := l.s
	if e.DB < 0 || e.DB >= len(s.dbs) {
		return fmt.Errorf("FATAL: Data file was created with a Redis server configured to handle more than %d databases", len(s.dbs))
	}
	// A primary drops keys that expired while the file sat on disk; a
	// replica keeps them for its primary to expire (rdbLoadRio).
	if e.ExpireAt != -1 && e.ExpireAt < l.now && s.cfg.MasterHost == "" {
		l.expired++
		return nil
	}
	db := s.dbs[e.DB]
	o := e.Val
	o.LRU = s.newObjectLRU()
	if e.Idle >= 0 && !s.lfuPolicy() {
		o.LRU = uint32((int64(s.lruClock()) - e.Idle) & lruClockMax)
	}
	if e.Freq >= 0 && s.lfuPolicy() {
		o.LRU = s.lfuMinutes()<<8 | uint32(e.Freq)
	}
	if !db.Keys.Add(e.Key, o) { // one probe: absent keys are the rule
		if !l.merge {
			s.logf("#", "RDB has duplicated key '%s' in DB %d", e.Key, e.DB)
			return fmt.Errorf("duplicated key %q found in DB %d", e.Key, e.DB)
		}
		db.Delete(e.Key)
		db.Add(e.Key, o)
	}
	if e.ExpireAt != -1 {
		db.SetExpire(e.Key, e.ExpireAt)
	}
	l.loaded++
	return nil
}

// errRDBNotExist is rdbLoad's RDB_NOT_EXIST.
var errRDBNotExist = errors.New("no RDB file")

// rdbLoad loads dbfilename into the keyspace. With locked the caller holds
// s.mu for the whole load (DEBUG RELOAD); otherwise the lock is taken per
// key and clients are served meanwhile (they get -LOADING).
func (s *Server) rdbLoad(locked, merge bool) error {
	f, err := os.Open(s.rdbPath())
	if err != nil {
		if os.IsNotExist(err) {
			return errRDBNotExist
		}
		s.logf("#", "Fatal error loading the DB: %v. Exiting.", err)
		return err
	}
	defer f.Close()
	var size int64
	if st, err := f.Stat(); err == nil {
		size = st.Size()
	}
	l := &rdbLoader{s: s, locked: locked, merge: merge, fileSize: size}
	l.lock()
	start := s.now()
	l.now = start.UnixMilli()
	l.keyDelay = s.cfg.KeyLoadDelay
	p := &s.persist
	p.loading, p.loadStart, p.loadTotal, p.loadLoaded = true, start, size, 0
	cfg := s.cfg
	lim := persistence.Limits{
		Seed:                   s.seed,
		HashMaxListpackEntries: int(cfg.HashMaxListpackEntries),
		HashMaxListpackValue:   int(cfg.HashMaxListpackValue),
		SetMaxIntsetEntries:    int(cfg.SetMaxIntsetEntries),
		ZsetMaxListpackEntries: int(cfg.ZsetMaxListpackEntries),
		ZsetMaxListpackValue:   int(cfg.ZsetMaxListpackValue),
		ListMaxListpackSize:    cfg.ListMaxListpackSize,
		ListCompressDepth:      cfg.ListCompressDepth,
	}
	l.unlock()
	if !locked && l.keyDelay == 0 {
		l.startPipeline()
	}
	// Fewer collections while the heap only grows: a load makes no
	// garbage worth collecting early.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	err = persistence.Load(bufio.NewReaderSize(f, 256<<10), persistence.LoadOptions{Limits: lim,
		Progress: func(off int64) {
			l.lock()
			p.loadLoaded = off
			l.unlock()
		}}, l)
	if l.pipe != nil {
		if perr := l.finishPipeline(); err == nil {
			err = perr
		}
	}
	l.lock()
	defer l.unlock()
	p.loading = false
	p.loadLoaded = size
	if err != nil {
		var ce *persistence.CorruptError
		if errors.As(err, &ce) {
			s.logf("#", "Internal error in RDB reading offset %d: %s", ce.Offset, ce.Reason)
		} else {
			s.logf("#", "Error loading the RDB file %s: %v", s.cfg.DBFilename, err)
		}
		return err
	}
	// The file's function libraries replace the loaded ones (all of
	// them, unless MERGE), as Redis's rdbLoad does.
	if !merge {
		s.functionStore().Flush()
	}
	for _, code := range l.functions {
		if err := s.loadFunctionLibrary(code); err != nil {
			s.logf("#", "Failed loading library from the RDB file: %v", err)
			return err
		}
	}
	p.lastLoadLoaded, p.lastLoadExpired = l.loaded, l.expired
	s.logf("*", "Done loading RDB, keys loaded: %d, keys expired: %d.", l.loaded, l.expired)
	s.logf("*", "DB loaded from disk: %.3f seconds", s.now().Sub(start).Seconds())
	// A loaded dataset is what is on disk: nothing to save yet.
	s.dirty = 0
	s.lastSave = s.now()
	return nil
}

// LoadDataFromDisk starts loading the dataset, as loadDataFromDisk: the
// AOF when appendonly is yes, else dbfilename if it exists. The loading
// flag is set before it returns, so clients that connect meanwhile get
// -LOADING; the channel yields the result. A non-nil error means the
// server must exit with status 1.
func (s *Server) LoadDataFromDisk() <-chan error {
	s.mu.Lock()
	s.persist.loading = true
	s.persist.loadStart = s.now()
	if !s.cfg.AppendOnly {
		// INFO's loading_total_bytes is right from the first moment
		// loading:1 shows.
		if st, err := os.Stat(s.rdbPath()); err == nil {
			s.persist.loadTotal = st.Size()
		}
	}
	s.mu.Unlock()
	ch := make(chan error, 1)
	go func() { ch <- s.loadDataFromDisk() }()
	return ch
}

func (s *Server) loadDataFromDisk() error {
	s.mu.Lock()
	aof := s.cfg.AppendOnly
	s.mu.Unlock()
	if aof {
		err := s.LoadAppendOnly()
		s.mu.Lock()
		s.persist.loading = false
		s.mu.Unlock()
		return err
	}
	err := s.rdbLoad(false, false)
	if errors.Is(err, errRDBNotExist) {
		s.mu.Lock()
		s.persist.loading = false
		s.mu.Unlock()
		return nil
	}
	if err != nil {
		s.mu.Lock()
		s.logf("#", "Fatal error loading the DB, check server logs. Exiting.")
		s.mu.Unlock()
	}
	return err
}

// --- shutdown ---

// saveBeforeShutdown is the save part of prepareForShutdown: a running
// BGSAVE is abandoned, then the final snapshot is written when SAVE is
// given or save points are configured and NOSAVE is not. Called with s.mu
// held.
func (s *Server) saveBeforeShutdown(save, nosave bool) error {
	if s.persist.bgsaveRunning {
		s.logf("#", "There is a child saving an .rdb. Killing it!")
		s.killRDBSnapshot()
	}
	if (len(s.cfg.Save) > 0 && !nosave) || save {
		s.logf("*", "Saving the final RDB snapshot before exiting.")
		if err := s.rdbSave(); err != nil {
			return err
		}
	}
	return nil
}

// ShutdownOnSignal runs the shutdown a SIGTERM or SIGINT asks for, with
// the flags of shutdown-on-sigterm / shutdown-on-sigint ("default": save
// if save points are set). It reports whether the process may exit: a
// failed save refuses the shutdown unless the flags say force.
func (s *Server) ShutdownOnSignal(sigint bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	flags, name := s.cfg.ShutdownOnSigterm, "SIGTERM"
	if sigint {
		flags, name = s.cfg.ShutdownOnSigint, "SIGINT"
	}
	var save, nosave, force bool
	for _, f := range strings.Fields(flags) {
		switch f {
		case "save":
			save = true
		case "nosave":
			nosave = true
		case "force":
			force = true
		}
	}
	if err := s.saveBeforeShutdown(save, nosave); err != nil {
		if !force {
			s.logf("#", "Error trying to save the DB, can't exit.")
			s.logf("#", "%s received but errors trying to shut down the server, check the logs for more information", name)
			return false
		}
		s.logf("#", "Error trying to save the DB. Exit anyway.")
	}
	return true
}

// --- DEBUG RELOAD ---

// debugReload is DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: save, flush and
// load back, under the lock.
func debugReload(c *client) {
	s := c.srv
	flush, save, merge := true, true, false
	for _, a := range c.argv[2:] {
		switch strings.ToLower(string(a)) {
		case "merge":
			merge = true
		case "noflush":
			flush = false
		case "nosave":
			save = false
		default:
			c.addErrorString("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.")
			return
		}
	}
	if save && s.rdbSave() != nil {
		c.addErrorString("ERR")
		return
	}
	if flush {
		for _, db := range s.dbs {
			s.flushDB(db)
		}
	}
	if err := s.rdbLoad(true, merge); err != nil {
		c.addErrorString("ERR Error trying to load the RDB dump")
		return
	}
	s.logf("#", "DB reloaded by DEBUG RELOAD")
	c.addOK()
}

// --- INFO ---

// infoLoading appends the loading_* fields shown while loading.
func (s *Server) infoLoading(w *infoWriter) {
	p := &s.persist
	if !p.loading {
		return
	}
	var perc float64
	remaining := int64(1)
	if p.loadTotal > 0 {
		perc = float64(p.loadLoaded) / float64(p.loadTotal) * 100
		remaining = p.loadTotal - p.loadLoaded
	}
	elapsed := s.now().Unix() - p.loadStart.Unix()
	eta := int64(1)
	if elapsed != 0 {
		eta = elapsed * remaining / (p.loadLoaded + 1)
	}
	w.num("loading_start_time", p.loadStart.Unix())
	w.num("loading_total_bytes", p.loadTotal)
	w.num("loading_rdb_used_mem", 0)
	w.num("loading_loaded_bytes", p.loadLoaded)
	w.fixed2("loading_loaded_perc", perc)
	w.num("loading_eta_seconds", eta)
}

// afterFlushAll is the persistence part of flushAllDataAndResetRDB: a
// running BGSAVE is killed (its data is gone) and the empty dataset is
// saved when save points are set (redis-server 7.0.15 then reports
// rdb_changes_since_last_save:0).
func (s *Server) afterFlushAll() {
	s.killRDBSnapshot()
	if len(s.cfg.Save) > 0 {
		_ = s.rdbSave()
	}
}
