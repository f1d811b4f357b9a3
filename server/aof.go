package server

// The append only file, as Redis 7.0's aof.c: the multi-part layout (base
// + incr files + manifest in appenddirname, see persistence/aof.go), the
// feeder that turns every propagated change into AOF bytes, loading at
// startup, BGREWRITEAOF and the automatic rewrite, CONFIG SET appendonly,
// and the MISCONF refusal after a write error.
//
// Durability: the feeder only copies bytes into the Appender's buffer
// (under s.mu); the Appender's goroutine writes and fsyncs them. With
// appendfsync always, a connection whose batch ends at AOF offset N does
// not send its replies before offset N is fsynced (aofWaitDurable), and
// all connections waiting at once share one fsync.

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"time"

	"ferrite/datatypes"
	"ferrite/persistence"
)

// AOF states (Redis's AOF_OFF, AOF_ON, AOF_WAIT_REWRITE).
const (
	aofOff = iota
	aofOn
	aofWaitRewrite // enabled at runtime: on once the first rewrite is done
)

// aofState is the AOF part of Server; protected by s.mu except writeErr.
type aofState struct {
	state    int
	manifest *persistence.Manifest
	app      *persistence.Appender // nil when no incr file is open
	feeding  bool                  // aofFeeder is in s.sinks
	selDB    int                   // db of the last command written; -1: next one writes SELECT
	lastTS   int64                 // aof-timestamp-enabled: last annotation written (unix s)
	enc      []byte

	// Size accounting (aof_current_size, aof_base_size): sizeAt + bytes
	// appended since offsetAt.
	sizeAt, offsetAt int64
	rewriteBaseSize  int64

	rewriting         bool
	rewriteGen        int64 // bumped to disown a rewrite (CONFIG SET appendonly no)
	scheduled         bool
	rewriteStart      time.Time
	lastRewriteSec    int64 // duration of the last rewrite, valid when rewrites > 0
	lastRewriteFailed bool
	rewrites          int64
	failures          int64 // consecutive failed rewrites

	writeErr atomic.Pointer[error]                // last write/fsync error of the appender; nil: ok
	appRef   atomic.Pointer[persistence.Appender] // app, for the writer goroutine's error callback
}

// aofFeeder is the Feeder the AOF registers.
type aofFeeder struct{ s *Server }

// aofWait is what a connection waits for before sending a batch's
// replies (appendfsync always).
type aofWait struct {
	app *persistence.Appender
	off int64
}

func (s *Server) aofDir() string {
	return filepath.Join(getDir(s.cfg), s.cfg.AppendDirname)
}

// Feed encodes one propagated command, with a SELECT when the database
// changes, as Redis's feedAppendOnlyFile. Called with s.mu held.
func (f aofFeeder) Feed(db int, argv [][]byte) {
	s := f.s
	a := &s.aof
	if a.state == aofOff || a.app == nil {
		return
	}
	b := a.enc[:0]
	if s.cfg.AOFTimestampEnabled {
		if ts := s.cmdTime.Unix(); ts > a.lastTS {
			b = append(b, "#TS:"...)
			b = strconv.AppendInt(b, ts, 10)
			b = append(b, '\r', '\n')
			a.lastTS = ts
		}
	}
	if db != a.selDB {
		var num [20]byte
		b = persistence.AppendCommand(b, [][]byte{[]byte("SELECT"), strconv.AppendInt(num[:0], int64(db), 10)})
		a.selDB = db
	}
	b = persistence.AppendCommand(b, argv)
	a.enc = b
	a.app.Append(b)
}

// aofBatchEnd records, at the end of a batch (s.mu held), the AOF offset
// c's replies must wait for: everything appended so far, so a reply
// never shows a change (this client's or another's) that a crash could
// still lose.
func (s *Server) aofBatchEnd(c *client) {
	c.aofWait = aofWait{}
	if s.aof.app != nil && s.aof.state != aofOff && s.cfg.AppendFsync == "always" {
		c.aofWait = aofWait{s.aof.app, s.aof.app.Appended()}
	}
}

// aofWaitDurable blocks (without s.mu) until c's batch is durable.
func (s *Server) aofWaitDurable(c *client) {
	if w := c.aofWait; w.app != nil {
		c.aofWait = aofWait{}
		_ = w.app.WaitSynced(w.off)
	}
}

// aofOpenAppender opens name in the AOF dir for appending.
func (s *Server) aofOpenAppender(name string, truncate bool) (*persistence.Appender, error) {
	flags := os.O_WRONLY | os.O_CREATE | os.O_APPEND
	if truncate {
		flags |= os.O_TRUNC
	}
	f, err := os.OpenFile(filepath.Join(s.aofDir(), name), flags, 0o644)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	app := persistence.NewAppender(f, st.Size(), persistence.ParseFsyncPolicy(s.cfg.AppendFsync))
	app.OnError = s.aofWriteError
	s.aof.appRef.Store(app)
	return app, nil
}

// aofSwitchTo makes name the file the feeder appends to.
func (s *Server) aofSwitchTo(name string) error {
	a := &s.aof
	if a.app == nil {
		app, err := s.aofOpenAppender(name, true)
		if err != nil {
			return err
		}
		a.app = app
	} else {
		f, err := os.OpenFile(filepath.Join(s.aofDir(), name), os.O_WRONLY|os.O_CREATE|os.O_TRUNC|os.O_APPEND, 0o644)
		if err != nil {
			return err
		}
		if err := a.app.Switch(f); err != nil {
			s.logf("#", "Error writing the AOF before switching to %s: %v", name, err)
		}
	}
	a.selDB = -1
	a.lastTS = 0
	return nil
}

// aofWriteError records the appender's state for INFO and MISCONF; with
// appendfsync always a failed write cannot be recovered (replies are
// already promised durable), so the server exits, as Redis does.
func (s *Server) aofWriteError(err error) {
	if err == nil {
		s.aof.writeErr.Store(nil)
		s.logf("*", "AOF write error looks solved, Redis can write again.")
		return
	}
	s.aof.writeErr.Store(&err)
	// Not s.mu: the appender's Close may hold it while waiting for the
	// writer goroutine this runs on.
	if app := s.aof.appRef.Load(); app != nil && app.Policy() == persistence.FsyncAlways {
		s.logf("#", "Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...")
		os.Exit(1)
	}
	s.logf("#", "Error writing to the AOF file: %s", strerror(err))
}

// aofDiskError is the MISCONF refusal while the AOF cannot be written.
func (s *Server) aofDiskError() string {
	if s.aof.state == aofOff {
		return ""
	}
	if p := s.aof.writeErr.Load(); p != nil {
		return "MISCONF Errors writing to the AOF file: " + strerror(*p)
	}
	return ""
}

// --- loading ---

// aofFakeClient is the client loaded commands run as (Redis's
// createAOFClient): no connection, no replies kept, never blocks.
func (s *Server) aofFakeClient() *client {
	c1, c2 := net.Pipe()
	c2.Close()
	c := s.newClient(c1)
	c.authenticated = true
	c.flags |= flagDenyBlocking | flagMustObey
	return c
}

// aofLoadError is a fatal loading failure (the server must not start).
type aofLoadError struct{ msg string }

func (e *aofLoadError) Error() string { return e.msg }

// loadAppendOnlyFiles loads the dataset from the AOF (base, then every
// incr file, as Redis's loadAppendOnlyFiles), then opens the AOF for
// appending: the last incr file, or a new base and incr when there was
// no AOF. Called at startup when appendonly is yes, without s.mu. A
// truncated last command is cut off when aof-load-truncated is yes;
// every other problem is an error naming the file and offset, and the
// server must exit.
func (s *Server) loadAppendOnlyFiles() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.aof.state != aofOff {
		return nil // already loaded and open
	}
	dir := s.aofDir()
	fname := s.cfg.AppendFilename
	m, err := persistence.LoadManifest(dir, fname)
	if err != nil {
		var me *persistence.ManifestError
		if errors.As(err, &me) {
			s.logf("#", "*** FATAL AOF MANIFEST FILE ERROR ***")
			if me.Line > 0 {
				s.logf("#", "Reading the manifest file, at line %d", me.Line)
				s.logf("#", ">>> '%s'", me.Text)
			}
			s.logf("#", "%s", me.Msg)
			return &aofLoadError{me.Msg}
		}
		return err
	}
	if err := s.aofUpgradeIfNeeded(m); err != nil {
		return err
	}
	var total int64
	files := m.Files()
	for i, ai := range files {
		last := i == len(files)-1
		start := time.Now()
		n, err := s.loadSingleAppendOnlyFile(ai.Name, last)
		if err != nil {
			return err
		}
		total += n
		kind := "incr"
		if ai.Type == persistence.AOFTypeBase {
			kind = "base"
		}
		s.logf("*", "DB loaded from %s file %s: %.3f seconds", kind, ai.Name, time.Since(start).Seconds())
	}
	s.aof.manifest = m
	if len(files) > 0 {
		s.aof.sizeAt = total
		s.aof.rewriteBaseSize = total
	}
	return s.aofOpenOnStart()
}

// aofUpgradeIfNeeded moves a Redis < 7.0 single appendonly.aof (in dir)
// into the AOF directory as the base of a new manifest, as Redis's
// aofUpgradePrepare.
func (s *Server) aofUpgradeIfNeeded(m *persistence.Manifest) error {
	old := filepath.Join(getDir(s.cfg), s.cfg.AppendFilename)
	if _, err := os.Stat(old); err != nil || m.Base != nil || len(m.Incr) > 0 {
		return nil
	}
	dir := s.aofDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		s.logf("#", "Can't open or create append-only dir %s: %v", dir, err)
		return err
	}
	m.Base = &persistence.AOFInfo{Name: s.cfg.AppendFilename, Seq: 1, Type: persistence.AOFTypeBase}
	m.CurBaseSeq = 1
	if err := persistence.WriteManifest(dir, s.cfg.AppendFilename, m); err != nil {
		return err
	}
	if err := os.Rename(old, filepath.Join(dir, s.cfg.AppendFilename)); err != nil {
		return err
	}
	s.logf("*", "Successfully migrated an old-style AOF into the AOF directory")
	return nil
}

// loadSingleAppendOnlyFile replays one file and returns its size.
func (s *Server) loadSingleAppendOnlyFile(name string, last bool) (int64, error) {
	path := filepath.Join(s.aofDir(), name)
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			s.logf("#", "The append log file %s doesn't exist: %v", name, err)
		} else {
			s.logf("#", "Fatal error: can't open the append log file %s for reading: %v", name, err)
		}
		return 0, &aofLoadError{"can't open the append log file " + name + ": " + err.Error()}
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	if st.Size() == 0 {
		return 0, nil
	}
	var sig [5]byte
	if n, _ := io.ReadFull(f, sig[:]); n == 5 && string(sig[:]) == "REDIS" {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return 0, err
		}
		if name != s.cfg.AppendFilename {
			// A 7.0 base in RDB format: the whole file is the snapshot.
			s.logf("*", "Reading RDB base file on AOF loading...")
			if err := s.aofLoadRDB(f); err != nil {
				s.logf("#", "Error reading the RDB base file %s, AOF loading aborted: %v", name, err)
				return 0, &aofLoadError{fmt.Sprintf("Error reading the RDB base file %s: %v", name, err)}
			}
			return st.Size(), nil
		}
		// An old single-file AOF (upgraded): an RDB preamble, then
		// commands. The decoder is fed one byte per read so it stops
		// exactly at the end of the RDB (slow, but only once: the next
		// rewrite replaces this file).
		s.logf("*", "Reading RDB preamble from AOF file...")
		br := &byteReader{f: f}
		if err := s.aofLoadRDB(br); err != nil {
			s.logf("#", "Error reading the RDB preamble of the AOF file %s, AOF loading aborted", name)
			return 0, &aofLoadError{fmt.Sprintf("Error reading the RDB preamble of the AOF file %s: %v", name, err)}
		}
		s.logf("*", "Reading the remaining AOF tail...")
		return st.Size(), s.aofReplay(f, br.n, name, path, last)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return 0, err
	}
	return st.Size(), s.aofReplay(f, 0, name, path, last)
}

// aofReplay runs the commands of one AOF file through a fake client.
func (s *Server) aofReplay(f io.Reader, start int64, name, path string, last bool) error {
	c := s.aofFakeClient()
	defer c.conn.Close()
	cr := persistence.NewCommandReader(f, start)
	var beforeMulti int64
	loops := 0
	s.beginBatch()
	for {
		argv, err := cr.Next()
		if err == io.EOF {
			if c.multi == nil {
				return nil
			}
			s.logf("#", "Revert incomplete MULTI/EXEC transaction in AOF file %s", name)
			return s.aofTruncated(name, path, beforeMulti, last)
		}
		if errors.Is(err, persistence.ErrAOFTruncated) {
			valid := cr.Offset()
			if c.multi != nil {
				valid = beforeMulti
			}
			return s.aofTruncated(name, path, valid, last)
		}
		var fe *persistence.AOFFormatError
		if errors.As(err, &fe) {
			s.logf("#", "Bad file format reading the append only file %s: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>", name)
			return &aofLoadError{fmt.Sprintf("Bad file format reading the append only file %s at offset %d", name, fe.Offset)}
		}
		if err != nil {
			s.logf("#", "Unrecoverable error reading the append only file %s: %v", name, err)
			return &aofLoadError{fmt.Sprintf("Unrecoverable error reading the append only file %s: %v", name, err)}
		}
		start := cr.Offset()
		cmd := s.lookupCommand(argv)
		if cmd == nil {
			s.logf("#", "Unknown command '%s' reading the append only file %s", argv[0], name)
			return &aofLoadError{fmt.Sprintf("Unknown command '%s' reading the append only file %s at offset %d", argv[0], name, start)}
		}
		if cmd.Name == "multi" && cmd.Parent == nil {
			beforeMulti = start - int64(len(persistence.AppendCommand(nil, argv)))
		}
		s.aofRunLoaded(c, cmd, argv)
		// Let clients in from time to time (they get -LOADING), as
		// Redis's processEventsWhileBlocked every 1024 commands.
		if loops++; loops%1024 == 0 {
			s.mu.Unlock()
			s.mu.Lock()
			s.beginBatch()
		}
	}
}

// aofRunLoaded executes one loaded command as Redis's loader does: the
// handler directly (no checks, no stats), queued when inside MULTI, and
// nothing it changes propagates.
func (s *Server) aofRunLoaded(c *client, cmd *Command, argv [][]byte) {
	c.argv, c.cmd = argv, cmd
	s.cmdTime = s.commandTime()
	func() {
		defer s.recoverPanic(c)
		s.inCall++
		defer func() { s.inCall-- }()
		if c.multi != nil && queuesInMulti(cmd) {
			c.queueCommand(cmd)
		} else {
			cmd.Proc(c)
		}
	}()
	c.reply = c.reply[:0]
	s.pendingProps = s.pendingProps[:0]
	s.lastMono = monotonic()
}

// aofTruncated handles a file that ends inside a command (or an open
// MULTI): with aof-load-truncated (and only for the last file) it is cut
// at the last complete command.
func (s *Server) aofTruncated(name, path string, valid int64, last bool) error {
	if s.cfg.AOFLoadTruncated {
		s.logf("#", "!!! Warning: short read while loading the AOF file %s!!!", name)
		s.logf("#", "!!! Truncating the AOF %s at offset %d !!!", name, valid)
		if err := os.Truncate(path, valid); err != nil {
			s.logf("#", "Error truncating the AOF file %s: %v", name, err)
		} else {
			s.logf("#", "AOF %s loaded anyway because aof-load-truncated is enabled", name)
			if !last {
				s.logf("#", "Fatal error: the truncated file is not the last file")
				return &aofLoadError{"the truncated file " + name + " is not the last file"}
			}
			return nil
		}
	}
	s.logf("#", "Unexpected end of file reading the append only file %s. You can: 1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.", name)
	return &aofLoadError{fmt.Sprintf("Unexpected end of file reading the append only file %s (last valid command ends at offset %d)", name, valid)}
}

// byteReader reads one byte per Read and counts them.
type byteReader struct {
	f *os.File
	n int64
}

func (r *byteReader) Read(p []byte) (int, error) {
	if len(p) > 1 {
		p = p[:1]
	}
	n, err := r.f.Read(p)
	r.n += int64(n)
	return n, err
}

// aofRDBLoader installs the keys of an RDB base.
type aofRDBLoader struct{ s *Server }

func (l aofRDBLoader) Aux(key, val []byte) error         { return nil }
func (l aofRDBLoader) ResizeDB(db int, size, exp uint64) {}
func (l aofRDBLoader) Function(code []byte) error        { return nil }
func (l aofRDBLoader) Entry(e *persistence.Entry) error {
	s := l.s
	if e.DB < 0 || e.DB >= len(s.dbs) {
		return fmt.Errorf("database %d out of range", e.DB)
	}
	db := s.dbs[e.DB]
	e.Val.LRU = s.newObjectLRU()
	db.Store(e.Key, e.Val, false)
	if e.ExpireAt >= 0 {
		db.Expires.Set(e.Key, e.ExpireAt)
	}
	return nil
}

func (s *Server) aofLoadRDB(r io.Reader) error {
	return persistence.Load(r, persistence.LoadOptions{Limits: s.rdbLimits()}, aofRDBLoader{s})
}

// aofOpenOnStart opens the AOF for appending after loading, as Redis's
// aofOpenIfNeededOnServerStart: with no AOF yet it writes a base of the
// current dataset first. s.mu held.
func (s *Server) aofOpenOnStart() error {
	a := &s.aof
	dir := s.aofDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		s.logf("#", "Can't open or create append-only dir %s: %v", dir, err)
		return err
	}
	if a.manifest == nil {
		a.manifest = &persistence.Manifest{}
	}
	m := a.manifest.Clone()
	if m.Base == nil && len(m.Incr) == 0 {
		base := m.NewBase(s.cfg.AppendFilename, s.cfg.AOFUseRDBPreamble)
		if err := s.aofWriteBaseSync(filepath.Join(dir, base)); err != nil {
			s.logf("#", "Can't create the AOF base file %s: %v", base, err)
			return err
		}
		s.logf("*", "Creating AOF base file %s on server start", base)
	}
	fresh := len(m.Incr) == 0
	incr := m.LastIncr(s.cfg.AppendFilename)
	if fresh {
		if err := persistence.WriteManifest(dir, s.cfg.AppendFilename, m); err != nil {
			s.logf("#", "%v", err)
			return err
		}
		s.logf("*", "Creating AOF incr file %s on server start", incr)
	}
	app, err := s.aofOpenAppender(incr, false)
	if err != nil {
		s.logf("#", "Can't open the append-only file %s: %v", incr, err)
		return err
	}
	a.app = app
	a.manifest = m
	a.selDB = -1
	a.offsetAt = app.Appended()
	a.state = aofOn
	a.lastRewriteFailed = false
	s.aofRegisterFeeder()
	return nil
}

func (s *Server) aofRegisterFeeder() {
	if !s.aof.feeding {
		s.sinks = append(s.sinks, aofFeeder{s})
		s.aof.feeding = true
	}
}

// aofWriteBaseSync writes the current dataset as a base file to path,
// synchronously (startup: the dataset is empty or just loaded).
func (s *Server) aofWriteBaseSync(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if err := s.aofWriteDataset(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// aofWriteDataset writes every key as an RDB with the aof-base aux field
// (or as commands with aof-use-rdb-preamble no). s.mu held.
func (s *Server) aofWriteDataset(w io.Writer) error {
	if !s.cfg.AOFUseRDBPreamble {
		return s.aofWriteCommands(w)
	}
	rw := persistence.NewWriter(w, persistence.WriteOptions{Compress: s.cfg.RDBCompression, Checksum: s.cfg.RDBChecksum})
	if err := rw.Header([][2]string{{"redis-ver", Version}, {"redis-bits", "64"},
		{"ctime", strconv.FormatInt(s.now().Unix(), 10)}, {"used-mem", "0"}, {"aof-base", "1"}}); err != nil {
		return err
	}
	for _, db := range s.dbs {
		if db.Keys.Len() == 0 {
			continue
		}
		if err := rw.SelectDB(db.ID, uint64(db.Keys.Len()), uint64(db.Expires.Len())); err != nil {
			return err
		}
		var werr error
		db.Keys.Range(func(key string, o *datatypes.Object) bool {
			exp := int64(-1)
			if t, ok := db.Expires.Get(key); ok {
				exp = t
			}
			werr = rw.Entry(key, o, exp, -1, -1)
			return werr == nil
		})
		if werr != nil {
			return werr
		}
	}
	return rw.Finish()
}

// aofWriteCommands writes the dataset as commands: a base .aof file.
func (s *Server) aofWriteCommands(w io.Writer) error {
	var b []byte
	for _, db := range s.dbs {
		if db.Keys.Len() == 0 {
			continue
		}
		b = persistence.AppendCommand(b, [][]byte{[]byte("SELECT"), []byte(strconv.Itoa(db.ID))})
		var werr error
		db.Keys.Range(func(key string, o *datatypes.Object) bool {
			// A key's value goes through RESTORE with its DUMP payload:
			// one command per key whatever its type, loadable by Redis.
			exp := int64(0)
			if t, ok := db.Expires.Get(key); ok {
				exp = t
			}
			argv := [][]byte{[]byte("RESTORE"), []byte(key), []byte(strconv.FormatInt(exp, 10)),
				persistence.DumpPayload(o, s.cfg.RDBCompression), []byte("REPLACE")}
			if exp > 0 {
				argv = append(argv, []byte("ABSTTL"))
			}
			b = persistence.AppendCommand(b, argv)
			if len(b) > 1<<20 {
				_, werr = w.Write(b)
				b = b[:0]
			}
			return werr == nil
		})
		if werr != nil {
			return werr
		}
	}
	_, err := w.Write(b)
	return err
}

// --- rewriting ---

// rdbChildActive reports a BGSAVE in progress (Redis's
// hasActiveChildProcess for a non-AOF child): a rewrite then waits.
func (s *Server) rdbChildActive() bool {
	return s.persist.bgsaveRunning || s.snap != nil && !s.aof.rewriting
}

// lastRewriteSecs is aof_last_rewrite_time_sec (-1: none yet).
func (a *aofState) lastRewriteSecs() int64 {
	if a.rewrites == 0 || a.rewriting && a.rewrites == 1 {
		return -1
	}
	return a.lastRewriteSec
}

// aofCurrentRewriteSecs is aof_current_rewrite_time_sec (-1: none running).
func (s *Server) aofCurrentRewriteSecs() int64 {
	if !s.aof.rewriting {
		return -1
	}
	return int64(s.now().Sub(s.aof.rewriteStart).Seconds())
}

// BGREWRITEAOF
func bgrewriteaofCommand(c *client) {
	s := c.srv
	switch {
	case s.aof.rewriting:
		c.addErrorString("ERR Background append only file rewriting already in progress")
	case s.inCall > 1 || s.rdbChildActive(): // inside MULTI/EXEC or a script, or another snapshot runs
		s.aof.scheduled = true
		s.aof.failures = 0
		c.addSimple("Background append only file rewriting scheduled")
	default:
		if err := s.rewriteAppendOnlyFileBackground(); err != nil {
			c.addErrorString("ERR Can't execute an AOF background rewriting. Please check the server logs for more information.")
			return
		}
		c.addSimple("Background append only file rewriting started")
	}
}

// rewriteAppendOnlyFileBackground starts a rewrite: new writes go to a new
// incr file from now on, and the dataset as of now becomes the new base.
// The swap to the new files happens in aofRewriteDone. s.mu held.
func (s *Server) rewriteAppendOnlyFileBackground() error {
	a := &s.aof
	if a.rewriting {
		return errors.New("rewrite in progress")
	}
	dir := s.aofDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		s.logf("#", "Can't open or create append-only dir %s: %v", dir, err)
		a.lastRewriteFailed = true
		return err
	}
	if a.manifest == nil {
		m, err := persistence.LoadManifest(dir, s.cfg.AppendFilename)
		if err != nil {
			a.lastRewriteFailed = true
			return err
		}
		a.manifest = m
	}
	// New writes go to a new incr file (a temporary one while the AOF is
	// being switched on: it joins the manifest only with its base).
	switch a.state {
	case aofOn:
		m := a.manifest.Clone()
		name := m.NewIncr(s.cfg.AppendFilename)
		if err := s.aofSwitchTo(name); err != nil {
			s.logf("#", "Can't open the append-only file %s: %v", name, err)
			a.lastRewriteFailed = true
			return err
		}
		if err := persistence.WriteManifest(dir, s.cfg.AppendFilename, m); err != nil {
			s.logf("#", "%v", err)
			a.lastRewriteFailed = true
			return err
		}
		a.manifest = m
		s.logf("*", "Creating AOF incr file %s on background rewrite", name)
	case aofWaitRewrite:
		if err := s.aofSwitchTo(s.aofTempIncrName()); err != nil {
			s.logf("#", "Can't open the append-only file %s: %v", s.aofTempIncrName(), err)
			a.lastRewriteFailed = true
			return err
		}
	}
	if a.app != nil {
		a.sizeAt, a.offsetAt = s.aofCurrentSize(), a.app.Appended()
	}

	tmp := filepath.Join(dir, persistence.TempRewriteName(os.Getpid()))
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		s.logf("#", "Opening the temp file for AOF rewrite in rewriteAppendOnlyFile(): %v", err)
		a.lastRewriteFailed = true
		return err
	}
	a.rewriting = true
	a.rewriteGen++
	gen := a.rewriteGen
	a.rewrites++
	a.scheduled = false
	a.rewriteStart = s.now()
	if a.app != nil && s.cfg.NoAppendfsyncOnRewrite {
		a.app.SetNoSync(true)
	}
	s.logf("*", "Background append only file rewriting started")
	done := func(err error) {
		if err == nil {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		s.aofRewriteDone(gen, tmp, err)
	}
	if err := s.aofStartSnapshot(newAutoSyncWriter(f, s.cfg.AOFRewriteIncrementalFsync), done); err != nil {
		a.rewriting = false
		f.Close()
		os.Remove(tmp)
		a.lastRewriteFailed = true
		return err
	}
	return nil
}

// aofStartSnapshot writes the dataset as of now to w and calls done
// (without s.mu) when finished. s.mu held. The RDB base comes from the
// fork-less snapshot (snapshot.go) while commands keep running; a base
// of commands (aof-use-rdb-preamble no) is written here and now.
func (s *Server) aofStartSnapshot(w io.Writer, done func(error)) error {
	if s.cfg.AOFUseRDBPreamble {
		return s.startSnapshot(w, snapshotOptions{kind: snapshotAOF, aofBase: true}, done)
	}
	err := s.aofWriteCommands(w)
	go done(err)
	return nil
}

func (s *Server) aofTempIncrName() string { return "temp-" + s.cfg.AppendFilename + ".incr" }

// aofRewriteDone installs a finished rewrite, as Redis's
// backgroundRewriteDoneHandler. s.mu held.
func (s *Server) aofRewriteDone(gen int64, tmp string, err error) {
	a := &s.aof
	if gen != a.rewriteGen {
		os.Remove(tmp) // disowned (AOF switched off meanwhile)
		return
	}
	a.rewriting = false
	if a.app != nil {
		a.app.SetNoSync(false)
	}
	a.lastRewriteSec = int64(s.now().Sub(a.rewriteStart).Seconds())
	if err == nil {
		s.logf("*", "Background AOF rewrite terminated with success")
		err = s.aofInstallRewrite(tmp)
	}
	if err != nil {
		a.lastRewriteFailed = true
		a.failures++
		s.logf("#", "Background AOF rewrite terminated with error: %v", err)
		os.Remove(tmp)
		if a.state == aofWaitRewrite {
			a.scheduled = true // retried from cron, as Redis does
		}
		return
	}
	a.lastRewriteFailed = false
	a.failures = 0
	s.logf("*", "Background AOF rewrite finished successfully")
}

func (s *Server) aofInstallRewrite(tmp string) error {
	a := &s.aof
	dir := s.aofDir()
	m := a.manifest.Clone()
	base := m.NewBase(s.cfg.AppendFilename, s.cfg.AOFUseRDBPreamble)
	if err := os.Rename(tmp, filepath.Join(dir, base)); err != nil {
		return fmt.Errorf("Error trying to rename the temporary AOF base file %s into %s: %w", filepath.Base(tmp), base, err)
	}
	s.logf("*", "Successfully renamed the temporary AOF base file %s into %s", filepath.Base(tmp), base)
	waiting := a.state == aofWaitRewrite
	if waiting {
		incr := m.NewIncr(s.cfg.AppendFilename)
		if err := os.Rename(filepath.Join(dir, s.aofTempIncrName()), filepath.Join(dir, incr)); err != nil {
			return fmt.Errorf("Error trying to rename the temporary AOF incr file %s into %s: %w", s.aofTempIncrName(), incr, err)
		}
		s.logf("*", "Successfully renamed the temporary AOF incr file %s into %s", s.aofTempIncrName(), incr)
	}
	m.MarkIncrHistory(a.app != nil)
	if err := persistence.WriteManifest(dir, s.cfg.AppendFilename, m); err != nil {
		return err
	}
	a.manifest = m
	if waiting {
		a.state = aofOn
	}
	if st, err := os.Stat(filepath.Join(dir, base)); err == nil && a.app != nil {
		a.sizeAt, a.offsetAt = st.Size(), a.app.Appended()-a.app.Stats().Size
		a.rewriteBaseSize = s.aofCurrentSize()
	}
	s.aofDeleteHistory()
	return nil
}

// aofDeleteHistory removes the history files and drops them from the
// manifest (in the background, as Redis's bioCreateLazyFreeJob unlink).
func (s *Server) aofDeleteHistory() {
	a := &s.aof
	if len(a.manifest.History) == 0 {
		return
	}
	dir := s.aofDir()
	var names []string
	for _, h := range a.manifest.History {
		s.logf("*", "Removing the history file %s in the background", h.Name)
		names = append(names, h.Name)
	}
	m := a.manifest.Clone()
	m.History = nil
	if err := persistence.WriteManifest(dir, s.cfg.AppendFilename, m); err != nil {
		s.logf("#", "%v", err)
		return
	}
	a.manifest = m
	go func() {
		for _, n := range names {
			os.Remove(filepath.Join(dir, n))
		}
	}()
}

// aofCurrentSize is aof_current_size.
func (s *Server) aofCurrentSize() int64 {
	a := &s.aof
	if a.app == nil {
		return a.sizeAt
	}
	return a.sizeAt + a.app.Appended() - a.offsetAt
}

// aofCron starts scheduled and automatic rewrites (serverCron's part).
// s.mu held.
func (s *Server) aofCron() {
	a := &s.aof
	if a.rewriting {
		return
	}
	if a.scheduled {
		if !s.rdbChildActive() {
			_ = s.rewriteAppendOnlyFileBackground()
		}
		return
	}
	if a.state == aofOn && s.cfg.AutoAOFRewritePercentage > 0 {
		cur := s.aofCurrentSize()
		if cur > s.cfg.AutoAOFRewriteMinSize {
			base := a.rewriteBaseSize
			if base == 0 {
				base = 1
			}
			if growth := cur*100/base - 100; growth >= int64(s.cfg.AutoAOFRewritePercentage) {
				s.logf("*", "Starting automatic rewriting of AOF on %d%% growth", growth)
				_ = s.rewriteAppendOnlyFileBackground()
			}
		}
	}
}

// applyAppendOnly is CONFIG SET appendonly: yes starts a rewrite that
// creates the AOF (startAppendOnly), no closes it (stopAppendOnly).
func (s *Server) applyAppendOnly() error {
	a := &s.aof
	if s.cfg.AppendOnly && a.state == aofOff {
		if a.rewriting {
			s.logf("#", "AOF was enabled but there is already an AOF rewriting in background. Stopping background AOF and starting a rewrite now.")
			a.rewriteGen++ // disown it
			a.rewriting = false
		}
		a.state = aofWaitRewrite
		s.aofRegisterFeeder()
		if err := s.rewriteAppendOnlyFileBackground(); err != nil {
			a.state = aofOff
			s.logf("#", "Redis needs to enable the AOF but can't trigger a background AOF rewrite operation. Check the above logs for more info about the error.")
			return errors.New("Unable to turn on AOF. Check server logs.")
		}
		return nil
	}
	if !s.cfg.AppendOnly && a.state != aofOff {
		s.stopAppendOnly()
	}
	return nil
}

// stopAppendOnly flushes and closes the AOF. s.mu held.
func (s *Server) stopAppendOnly() {
	a := &s.aof
	if a.app != nil {
		if err := a.app.Close(); err != nil {
			s.logf("#", "Fail to fsync the AOF file: %v", err)
		}
		a.app = nil
	}
	if a.rewriting {
		s.logf("*", "Killing running AOF rewrite child")
		a.rewriteGen++
		a.rewriting = false
	}
	if a.state == aofWaitRewrite {
		os.Remove(filepath.Join(s.aofDir(), s.aofTempIncrName()))
	}
	a.state = aofOff
	a.scheduled = false
	a.writeErr.Store(nil)
}

// applyAppendFsync is CONFIG SET appendfsync.
func (s *Server) applyAppendFsync() error {
	if s.aof.app != nil {
		s.aof.app.SetPolicy(persistence.ParseFsyncPolicy(s.cfg.AppendFsync))
	}
	return nil
}

// aofShutdown flushes and fsyncs the AOF (SHUTDOWN, Close).
func (s *Server) aofShutdown() {
	if s.aof.app != nil {
		s.logf("*", "Calling fsync() on the AOF file.")
		if err := s.aof.app.Close(); err != nil {
			s.logf("#", "Error flushing the AOF on shutdown: %v", err)
		}
		s.aof.app = nil
	}
}

// infoAOF appends the aof_* fields shown only while the AOF is enabled.
func (s *Server) infoAOF(w *infoWriter) {
	a := &s.aof
	if a.state == aofOff {
		return
	}
	var st persistence.AppenderStats
	if a.app != nil {
		st = a.app.Stats()
	}
	w.num("aof_current_size", s.aofCurrentSize())
	w.num("aof_base_size", a.rewriteBaseSize)
	w.num("aof_pending_rewrite", b2i(a.scheduled))
	w.num("aof_buffer_length", st.BufferLength)
	w.num("aof_pending_bio_fsync", 0)
	w.num("aof_delayed_fsync", 0)
}

func b2i(v bool) int64 {
	if v {
		return 1
	}
	return 0
}

// AOF commands.
var aofCommands = map[string]cmdProc{
	"bgrewriteaof": bgrewriteaofCommand,
}

// LoadAppendOnly loads the AOF and opens it for appending when
// appendonly is yes (startup). It does nothing when the AOF is already
// open, so the startup loader and main may both call it.
func (s *Server) LoadAppendOnly() error {
	s.mu.Lock()
	on := s.cfg.AppendOnly && s.aof.state == aofOff
	s.mu.Unlock()
	if !on {
		return nil
	}
	return s.loadAppendOnlyFiles()
}
