//go:build linux

package server

import (
	"os"
	"syscall"
)

// flushRange starts the write-back of n bytes of f at off and returns
// without waiting for it (SYNC_FILE_RANGE_WRITE), after waiting for the
// write-back of the range before it, started by the previous call
// (SYNC_FILE_RANGE_WAIT_BEFORE on that range: normally long finished), so
// at most two ranges are in flight.
func flushRange(f *os.File, off, n int64) error {
	fd := int(f.Fd())
	if off > 0 {
		prev := max(off-autoSyncBytes, 0)
		if err := syscall.SyncFileRange(fd, prev, off-prev, 0x1 /* SYNC_FILE_RANGE_WAIT_BEFORE */); err != nil {
			return err
		}
	}
	return syscall.SyncFileRange(fd, off, n, 0x2 /* SYNC_FILE_RANGE_WRITE */)
}
