package persistence

import (
	"os"
	"runtime"
	"sync"
	"time"
)

// FsyncPolicy is appendfsync.
type FsyncPolicy int

const (
	FsyncEverysec FsyncPolicy = iota // write continuously, fsync about once a second
	FsyncAlways                      // fsync before acknowledging (group commit)
	FsyncNo                          // write, let the kernel decide when to flush
)

// ParseFsyncPolicy maps appendfsync's values.
func ParseFsyncPolicy(s string) FsyncPolicy {
	switch s {
	case "always":
		return FsyncAlways
	case "no":
		return FsyncNo
	}
	return FsyncEverysec
}

// coalesceDelay is how long the writer lets appends accumulate before a
// write when it does not fsync each round.
const coalesceDelay = time.Millisecond

// Appender writes the incr file. Append only copies bytes into a memory
// buffer (it runs under the keyspace lock and must be cheap); one
// goroutine writes the buffer to the file and fsyncs it by the policy.
//
// Offsets are logical: bytes ever appended, across file switches. With
// FsyncAlways a caller that appended up to offset N waits with WaitSynced(N)
// before acknowledging; every waiter whose bytes went out in the same
// write shares one fsync (group commit).
type Appender struct {
	mu       sync.Mutex
	cond     *sync.Cond // broadcast when synced or err changes
	f        *os.File   // the incr file
	buf      []byte     // appended, not yet written
	spare    []byte     // the writer's buffer, swapped with buf
	appended int64      // offset of the end of buf
	written  int64      // offset written to f
	synced   int64      // offset known durable
	policy   FsyncPolicy
	noSync   bool  // no-appendfsync-on-rewrite while a rewrite runs
	err      error // last write/fsync error; nil once a write succeeds again
	size     int64 // bytes in the current file
	lastSync time.Time
	syncs    int64 // fsyncs done
	closed   bool
	writing  bool // the writer is writing spare to f without mu
	wake     chan struct{}
	stopped  chan struct{}

	// OnError is called (from the writer goroutine, without mu) when a
	// write or fsync fails or recovers (err == nil).
	OnError func(err error)
}

// NewAppender appends to f (positioned at its end, holding size bytes).
func NewAppender(f *os.File, size int64, policy FsyncPolicy) *Appender {
	a := &Appender{f: f, size: size, policy: policy, wake: make(chan struct{}, 1), stopped: make(chan struct{}), lastSync: time.Now()}
	a.cond = sync.NewCond(&a.mu)
	go a.run()
	return a
}

// Append queues p (a complete encoded command) and returns the offset at
// its end.
func (a *Appender) Append(p []byte) int64 {
	a.mu.Lock()
	// The writer takes the whole buffer each round: only the first
	// append after a round needs to wake it.
	wake := len(a.buf) == 0
	a.buf = append(a.buf, p...)
	a.appended += int64(len(p))
	off := a.appended
	a.mu.Unlock()
	if wake {
		a.kick()
	}
	return off
}

// Appended is the offset at the end of everything appended.
func (a *Appender) Appended() int64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.appended
}

// WaitSynced blocks until the bytes up to off are fsynced (FsyncAlways)
// or written (other policies), or the appender closed, and returns the
// current error. With FsyncAlways a failed write keeps the caller
// waiting: its reply must never go out (the server exits on such an
// error, as Redis does); with other policies it returns the error.
func (a *Appender) WaitSynced(off int64) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	for {
		done := a.synced
		if a.policy != FsyncAlways || a.noSync { // no-appendfsync-on-rewrite: written is enough
			done = a.written
		}
		if done >= off || a.closed {
			return a.err
		}
		if a.err != nil && a.policy != FsyncAlways {
			return a.err
		}
		a.cond.Wait()
	}
}

// SetPolicy changes appendfsync at runtime.
func (a *Appender) SetPolicy(p FsyncPolicy) {
	a.mu.Lock()
	a.policy = p
	a.mu.Unlock()
	a.kick()
}

// Policy is the current fsync policy.
func (a *Appender) Policy() FsyncPolicy {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.policy
}

// SetNoSync suspends fsyncs (no-appendfsync-on-rewrite during a rewrite).
func (a *Appender) SetNoSync(v bool) {
	a.mu.Lock()
	a.noSync = v
	a.mu.Unlock()
}

// Stats are what INFO reports about the appender.
type AppenderStats struct {
	Size         int64 // bytes in the current incr file (written)
	BufferLength int64 // appended, not yet written
	Syncs        int64 // fsyncs done
	Err          error
}

func (a *Appender) Stats() AppenderStats {
	a.mu.Lock()
	defer a.mu.Unlock()
	return AppenderStats{Size: a.size, BufferLength: a.appended - a.written, Syncs: a.syncs, Err: a.err}
}

func (a *Appender) kick() {
	select {
	case a.wake <- struct{}{}:
	default:
	}
}

// Switch writes and fsyncs everything pending to the current file, then
// makes f (empty) the file to append to, and closes the old one. The
// caller must not Append concurrently (it holds the keyspace lock).
func (a *Appender) Switch(f *os.File) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	err := a.flushLocked(true)
	old := a.f
	a.f, a.size = f, 0
	if old != nil {
		old.Close()
	}
	return err
}

// Flush writes and fsyncs everything appended so far (shutdown, rewrite).
func (a *Appender) Flush() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.flushLocked(true)
}

// flushLocked writes buf synchronously (with mu held: the writer
// goroutine is not in the middle of a write, see run).
func (a *Appender) flushLocked(sync bool) error {
	for a.writing {
		a.cond.Wait()
	}
	if len(a.buf) > 0 {
		n, err := a.f.Write(a.buf)
		a.size += int64(n)
		a.written += int64(n)
		a.buf = a.buf[:copy(a.buf, a.buf[n:])]
		if err != nil {
			a.err = err
			return err
		}
	}
	if sync {
		if err := a.f.Sync(); err != nil {
			a.err = err
			return err
		}
		a.synced = a.written
		a.lastSync = time.Now()
	}
	a.cond.Broadcast()
	return nil
}

// Close flushes, fsyncs and closes the file and stops the goroutine.
func (a *Appender) Close() error {
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		return nil
	}
	err := a.flushLocked(true)
	a.closed = true
	cerr := a.f.Close()
	a.cond.Broadcast()
	a.mu.Unlock()
	a.kick()
	<-a.stopped
	if err == nil {
		err = cerr
	}
	return err
}

// run is the writer: it swaps the whole buffer out, writes it with one
// write(2) and, by policy, fsyncs. The write and fsync run without mu, so
// Append (under the keyspace lock) never waits for the disk; writing
// keeps Switch, Flush and Close from using the file meanwhile. Everything
// appended during an fsync goes out in the next round and shares the
// next fsync: that is the group commit.
func (a *Appender) run() {
	defer close(a.stopped)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	var lastErr error
	for {
		a.mu.Lock()
		closed := a.closed
		a.mu.Unlock()
		if closed {
			return
		}
		select {
		case <-a.wake:
			// Coalesce: let the appends racing with this one join the
			// round. Without fsync per write a short pause turns many
			// small writes into one (a SIGKILL loses at most that much,
			// well within everysec's second); with fsync one yield lets
			// the connections already running append first.
			a.mu.Lock()
			p := a.policy
			a.mu.Unlock()
			if p == FsyncAlways {
				runtime.Gosched()
			} else {
				time.Sleep(coalesceDelay)
			}
		case <-tick.C:
		}
		a.mu.Lock()
		if a.closed {
			a.mu.Unlock()
			return
		}
		if len(a.buf) == 0 && !a.needSyncLocked() {
			a.mu.Unlock()
			continue
		}
		// Write outside mu: swap buffers, pin the file.
		data := a.buf
		a.buf = a.spare[:0]
		f := a.f
		policy, noSync := a.policy, a.noSync
		a.writing = true
		a.mu.Unlock()

		var err error
		n := 0
		if len(data) > 0 {
			n, err = f.Write(data)
		}
		synced := false
		if err == nil && !noSync {
			if policy == FsyncAlways || (policy == FsyncEverysec && time.Since(a.lastSyncTime()) >= time.Second) {
				err = f.Sync()
				synced = err == nil
			}
		}

		a.mu.Lock()
		a.writing = false
		a.size += int64(n)
		a.written += int64(n)
		if n < len(data) {
			// Keep the unwritten tail in front of what arrived meanwhile.
			rest := append(append([]byte(nil), data[n:]...), a.buf...)
			a.buf = rest
			a.spare = data[:0]
		} else {
			a.spare = data[:0]
		}
		if synced {
			a.syncs++
			a.synced = a.written
			a.lastSync = time.Now()
		}
		a.err = err
		a.cond.Broadcast()
		a.mu.Unlock()
		if (err == nil) != (lastErr == nil) && a.OnError != nil {
			a.OnError(err)
		}
		lastErr = err
		if err != nil {
			time.Sleep(100 * time.Millisecond) // retry, as Redis does from its cron
		}
	}
}

func (a *Appender) lastSyncTime() time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.lastSync
}

// needSyncLocked: everysec has written bytes not fsynced for a second.
func (a *Appender) needSyncLocked() bool {
	return a.policy == FsyncEverysec && !a.noSync && a.synced < a.written && time.Since(a.lastSync) >= time.Second
}
