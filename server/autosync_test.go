package server

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestAutoSyncWriter: the bytes arrive intact, write-back is started
// every autoSyncBytes, and with the option off the file is written as is.
func TestAutoSyncWriter(t *testing.T) {
	for _, on := range []bool{true, false} {
		path := filepath.Join(t.TempDir(), "f")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		w := newAutoSyncWriter(f, on)
		var want []byte
		chunk := make([]byte, 1<<20-7) // not aligned with autoSyncBytes
		for i := 0; i < 10; i++ {
			for j := range chunk {
				chunk[j] = byte(i + j)
			}
			if n, err := w.Write(chunk); err != nil || n != len(chunk) {
				t.Fatalf("write: %d, %v", n, err)
			}
			want = append(want, chunk...)
		}
		if aw, ok := w.(*autoSyncWriter); ok != on {
			t.Fatalf("incremental fsync %v: got %T", on, w)
		} else if ok {
			// Started at the first writes past 4MB and 8MB.
			if aw.synced < 2*autoSyncBytes || aw.synced > aw.written || aw.written != int64(len(want)) {
				t.Errorf("synced %d of %d bytes written, want write-back started twice", aw.synced, aw.written)
			}
		}
		f.Close()
		got, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("file differs from what was written (%d vs %d bytes, %v)", len(got), len(want), err)
		}
	}
}
