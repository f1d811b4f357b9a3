//go:build !linux

package server

import "os"

// flushRange is an fsync where sync_file_range does not exist (as Redis's
// rioFileWrite without it).
func flushRange(f *os.File, off, n int64) error { return f.Sync() }
