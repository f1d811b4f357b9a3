package server

import "os"

// autoSyncBytes is REDIS_AUTOSYNC_BYTES: with rdb-save-incremental-fsync
// (and aof-rewrite-incremental-fsync) the file is pushed to disk every
// 4MB as it is written, so the final fsync has little left to do.
const autoSyncBytes = 4 << 20

// autoSyncWriter writes to f and, every autoSyncBytes, starts the
// write-back of what it wrote (flushRange: sync_file_range on Linux,
// fsync elsewhere, as Redis's rioFileWrite with autosync).
//
// Why it matters here more than in Redis: a snapshot is written by a
// goroutine of this process, and a goroutine in a system call keeps the
// scheduler's P until the runtime's monitor takes it back, which on a
// busy server takes up to 10ms. One fsync of a whole 25MB file at the
// end of a BGSAVE held the only P, and so every client, for 11ms.
type autoSyncWriter struct {
	f       *os.File
	written int64 // bytes written
	synced  int64 // bytes whose write-back was started
}

// newAutoSyncWriter returns f itself when incremental sync is off.
func newAutoSyncWriter(f *os.File, on bool) interface{ Write([]byte) (int, error) } {
	if !on {
		return f
	}
	return &autoSyncWriter{f: f}
}

func (w *autoSyncWriter) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	w.written += int64(n)
	if err == nil && w.written-w.synced >= autoSyncBytes {
		err = flushRange(w.f, w.synced, w.written-w.synced)
		w.synced = w.written
	}
	return n, err
}
