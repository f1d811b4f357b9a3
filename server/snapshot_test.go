package server

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

// testSeed is SEED from the environment, or a random seed; it is logged.
func testSeed(t *testing.T) uint64 {
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("SEED"); v != "" {
		seed, _ = strconv.ParseUint(v, 10, 64)
	}
	t.Logf("SEED=%d", seed)
	return seed
}

// rdbDigest loads an RDB image into a fresh server and returns its
// DEBUG DIGEST; loading fails on a key present twice.
func rdbDigest(t *testing.T, data []byte) ([20]byte, int) {
	t.Helper()
	cfg := DefaultConfig()
	cfg.Dir = t.TempDir()
	cfg.DBFilename = "check.rdb"
	if err := os.WriteFile(filepath.Join(cfg.Dir, cfg.DBFilename), data, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s.SetLoggerDiscard()
	defer s.Close()
	if err := s.rdbLoad(false, false); err != nil {
		t.Fatalf("loading the snapshot: %v", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, db := range s.dbs {
		n += db.Len()
	}
	return s.datasetDigest(), n
}

// populate fills dbs 0..3 with n keys of every type, some with a TTL.
func populate(t *testing.T, c *testConn, rng *rand.Rand, n int) {
	for db := 0; db < 4; db++ {
		c.Send("SELECT", strconv.Itoa(db))
		for i := 0; i < n/4; i++ {
			c.Send(randomWrite(rng, n)...)
		}
	}
	for db := 0; db < 4; db++ {
		c.Read()
		for i := 0; i < n/4; i++ {
			c.Read()
		}
	}
}

// randomWrite is one random write over keys k0..k<n>.
func randomWrite(rng *rand.Rand, n int) []string {
	k := "k" + strconv.Itoa(rng.IntN(n))
	v := strconv.Itoa(rng.IntN(1000))
	switch rng.IntN(15) {
	case 0:
		return []string{"SET", k, v}
	case 1:
		return []string{"SET", k, "value-" + v, "EX", "100000"}
	case 2:
		return []string{"RPUSH", "l" + k, v, "x" + v}
	case 3:
		return []string{"HSET", "h" + k, "f" + v, v}
	case 4:
		return []string{"SADD", "s" + k, v}
	case 5:
		return []string{"SADD", "s" + k, "m" + v}
	case 6:
		return []string{"ZADD", "z" + k, v, "m" + v}
	case 7:
		return []string{"DEL", k}
	case 8:
		return []string{"EXPIRE", "h" + k, "100000"}
	case 9:
		return []string{"PERSIST", k}
	case 10:
		return []string{"APPEND", k, v}
	case 11:
		return []string{"INCR", "c" + k}
	case 12:
		return []string{"RENAME", "l" + k, "l" + k + "r"}
	case 13: // overwrites strings in place (Object.OverwriteString)
		return []string{"MSET", k, "value-" + v, "c" + k, v}
	default:
		return []string{"LPOP", "l" + k}
	}
}

// TestSnapshotPointInTime starts a snapshot with tiny slices on a dataset
// of every type, rewrites it concurrently (writes, deletes, creations,
// TTL changes, RENAME, FLUSHDB, SWAPDB), and checks that the file holds
// exactly the dataset as of the start: the same digest as a synchronous
// save taken under the same lock, and no key twice.
func TestSnapshotPointInTime(t *testing.T) {
	seed := testSeed(t)
	for round := 0; round < 3; round++ {
		rng := rand.New(rand.NewPCG(seed, uint64(round)))
		s := startServer(t, func(c *Config) { c.Dir = t.TempDir() })
		c := dial(t, s)
		const nkeys = 8000
		populate(t, c, rng, nkeys)

		var want bytes.Buffer
		var got bytes.Buffer
		done := make(chan error, 1)
		s.mu.Lock()
		if err := s.rdbWriteSync(&want); err != nil {
			s.mu.Unlock()
			t.Fatal(err)
		}
		err := s.startSnapshot(&got, snapshotOptions{kind: snapshotAOF, sliceKeys: 1 + rng.IntN(20)}, func(err error) { done <- err })
		if err == nil {
			if err2 := s.startSnapshot(&bytes.Buffer{}, snapshotOptions{}, func(error) {}); err2 != errSnapshotRunning {
				t.Errorf("second snapshot: %v, want errSnapshotRunning", err2)
			}
		}
		s.mu.Unlock()
		if err != nil {
			t.Fatal(err)
		}

		stop := make(chan struct{})
		var wg sync.WaitGroup
		for w := 0; w < 4; w++ {
			wc := dial(t, s)
			wrng := rand.New(rand.NewPCG(seed, uint64(round*10+w+1)))
			wg.Add(1)
			go func() {
				defer wg.Done()
				wc.Do("SELECT", strconv.Itoa(wrng.IntN(4)))
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					switch wrng.IntN(500) {
					case 0:
						wc.Do("FLUSHDB")
					case 1:
						wc.Do("SWAPDB", strconv.Itoa(wrng.IntN(4)), strconv.Itoa(wrng.IntN(4)))
					case 2:
						wc.Do("SELECT", strconv.Itoa(wrng.IntN(4)))
					default:
						wc.Do(randomWrite(wrng, nkeys)...)
					}
				}
			}()
		}
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(60 * time.Second):
			t.Fatal("snapshot did not finish")
		}
		close(stop)
		wg.Wait()

		wantDigest, wantKeys := rdbDigest(t, want.Bytes())
		gotDigest, gotKeys := rdbDigest(t, got.Bytes())
		if wantDigest != gotDigest || wantKeys != gotKeys {
			t.Fatalf("round %d: snapshot has %d keys (digest %x), the dataset at its start had %d (digest %x)",
				round, gotKeys, gotDigest, wantKeys, wantDigest)
		}
		s.mu.Lock()
		if s.snap != nil {
			t.Error("snapshot still attached after done")
		}
		for _, db := range s.dbs {
			if db.BeforeChange != nil {
				t.Error("write hook left on a database")
			}
		}
		s.mu.Unlock()
	}
}

// TestSnapshotCanceled: a canceled snapshot reports errSnapshotCanceled
// and detaches.
func TestSnapshotCanceled(t *testing.T) {
	s := startServer(t, func(c *Config) { c.Dir = t.TempDir() })
	c := dial(t, s)
	populate(t, c, rand.New(rand.NewPCG(1, 2)), 4000)
	done := make(chan error, 1)
	s.mu.Lock()
	s.cfg.RDBKeySaveDelay = 1000 // 1ms per slice: still running when canceled
	if err := s.startSnapshot(&bytes.Buffer{}, snapshotOptions{sliceKeys: 1}, func(err error) { done <- err }); err != nil {
		s.mu.Unlock()
		t.Fatal(err)
	}
	s.cancelSnapshot()
	s.mu.Unlock()
	if err := <-done; err != errSnapshotCanceled {
		t.Fatalf("done(%v), want errSnapshotCanceled", err)
	}
}
