package integration

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// rdbKeys is a dataset with every type and encoding Redis 7.0 has, some
// keys with a TTL: what both directions of the RDB exchange must keep.
func rdbFill(t *testing.T, c *rawConn) []string {
	t.Helper()
	var keys []string
	do := func(key string, args ...string) {
		if r := c.Do(args...); strings.HasPrefix(r, "-") {
			t.Fatalf("%v: %s", args, r)
		}
		keys = append(keys, key)
	}
	big := strings.Repeat("x", 100)
	do("str:int", "SET", "str:int", "12345")
	do("str:neg", "SET", "str:neg", "-9000000000")
	do("str:embstr", "SET", "str:embstr", "hello")
	do("str:raw", "SET", "str:raw", strings.Repeat("raw", 30))
	do("str:lzf", "SET", "str:lzf", strings.Repeat("compressible ", 100))
	do("str:ttl", "SET", "str:ttl", "v", "PXAT", "4102444800000")
	do("list:small", "RPUSH", "list:small", "a", "1", "b", "-2")
	for i := 0; i < 2000; i++ {
		do("list:big", "RPUSH", "list:big", "element-"+strconv.Itoa(i), strconv.Itoa(i))
	}
	do("list:plain", "RPUSH", "list:plain", strings.Repeat("p", 10000))
	do("hash:lp", "HSET", "hash:lp", "f1", "v1", "f2", "2")
	for i := 0; i < 200; i++ {
		do("hash:ht", "HSET", "hash:ht", "field"+strconv.Itoa(i), "value"+strconv.Itoa(i))
	}
	do("hash:bigval", "HSET", "hash:bigval", "f", big)
	do("set:intset", "SADD", "set:intset", "1", "2", "3", "-100000000000")
	do("set:ht", "SADD", "set:ht", "a", "b", "c")
	for i := 0; i < 600; i++ {
		do("set:bigint", "SADD", "set:bigint", strconv.Itoa(i))
	}
	do("zset:lp", "ZADD", "zset:lp", "1", "a", "2.5", "b", "-inf", "c")
	for i := 0; i < 200; i++ {
		do("zset:sl", "ZADD", "zset:sl", strconv.Itoa(i)+".5", "member"+strconv.Itoa(i))
	}
	do("zset:ttl", "PEXPIREAT", "zset:sl", "4102444800123")
	do("hash:ttl", "EXPIRE", "hash:ht", "100000")
	do("db1", "SELECT", "1")
	do("db1:key", "SET", "db1:key", "in db 1")
	do("db0", "SELECT", "0")
	return keys
}

// rdbCompare checks that two servers hold the same dataset (DEBUG DIGEST
// covers values and TTLs) with the same encodings.
func rdbCompare(t *testing.T, want, got *rawConn) {
	t.Helper()
	w, g := want.Do("DEBUG", "DIGEST"), got.Do("DEBUG", "DIGEST")
	if !strings.HasPrefix(w, "+") || strings.HasPrefix(w, "+0000000000") {
		t.Fatalf("DEBUG DIGEST of the reference: %q", w)
	}
	if w != g {
		t.Errorf("DEBUG DIGEST differs: want %q got %q", w, g)
	}
	for _, db := range []string{"0", "1"} {
		want.Do("SELECT", db)
		got.Do("SELECT", db)
		if w, g := want.Do("DBSIZE"), got.Do("DBSIZE"); w != g {
			t.Errorf("db %s: DBSIZE want %q got %q", db, w, g)
		}
		for _, k := range []string{"str:int", "str:neg", "str:embstr", "str:raw", "str:lzf", "str:ttl",
			"list:small", "list:big", "list:plain", "hash:lp", "hash:ht", "hash:bigval",
			"set:intset", "set:ht", "set:bigint", "zset:lp", "zset:sl", "db1:key"} {
			for _, cmd := range [][]string{{"OBJECT", "ENCODING", k}, {"PEXPIRETIME", k}, {"DEBUG", "DIGEST-VALUE", k}} {
				if w, g := want.Do(cmd...), got.Do(cmd...); w != g {
					t.Errorf("db %s: %v: want %q got %q", db, cmd, w, g)
				}
			}
		}
	}
	want.Do("SELECT", "0")
	got.Do("SELECT", "0")
	if w, g := want.Do("LRANGE", "list:big", "990", "1010"), got.Do("LRANGE", "list:big", "990", "1010"); w != g {
		t.Errorf("LRANGE differs:\nwant %q\ngot  %q", w, g)
	}
}

var rdbOpts = []string{"--enable-debug-command", "yes", "--list-compress-depth", "1"}

// TestRDBFromRedis: a dump.rdb written by redis-server 7.0 loads in
// Ferrite with every value, encoding and TTL.
func TestRDBFromRedis(t *testing.T) {
	redisServerPath(t)
	rdir, fdir := t.TempDir(), t.TempDir()
	r := startRedis(t, append([]string{"--dir", rdir}, rdbOpts...)...)
	rc := r.dial(t)
	rdbFill(t, rc)
	rc.expect("+OK\r\n", "SAVE")
	data, err := os.ReadFile(filepath.Join(rdir, "dump.rdb"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(fdir, "dump.rdb"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	f := startFerrite(t, append([]string{"--dir", fdir}, rdbOpts...)...)
	fc := f.dial(t)
	rdbCompare(t, rc, fc)
}

// TestRDBToRedis: Ferrite's SAVE loads in redis-server 7.0 with every
// value, encoding and TTL; and Ferrite loads its own file back.
func TestRDBToRedis(t *testing.T) {
	redisServerPath(t)
	rdir, fdir := t.TempDir(), t.TempDir()
	f := startFerrite(t, append([]string{"--dir", fdir}, rdbOpts...)...)
	fc := f.dial(t)
	rdbFill(t, fc)
	fc.expect("+OK\r\n", "SAVE")
	data, err := os.ReadFile(filepath.Join(fdir, "dump.rdb"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(rdir, "dump.rdb"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	r := startRedis(t, append([]string{"--dir", rdir}, rdbOpts...)...)
	rc := r.dial(t)
	rdbCompare(t, fc, rc)

	// And back: a restarted Ferrite loads the file (BGSAVE's this time).
	fc.expect("+Background saving started\r\n", "BGSAVE")
	for deadline := time.Now().Add(20 * time.Second); strings.Contains(fc.Do("INFO", "persistence"), "rdb_bgsave_in_progress:1"); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("BGSAVE did not finish")
		}
	}
	f2dir := t.TempDir()
	data, err = os.ReadFile(filepath.Join(fdir, "dump.rdb"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(f2dir, "dump.rdb"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	f2 := startFerrite(t, append([]string{"--dir", f2dir}, rdbOpts...)...)
	rdbCompare(t, fc, f2.dial(t))
}

// TestRDBCorruptStopsStartup: a truncated file stops the server with
// status 1 and a log line naming the offset.
func TestRDBCorruptStopsStartup(t *testing.T) {
	dir := t.TempDir()
	f := startFerrite(t, "--dir", dir)
	fc := f.dial(t)
	fc.expect("+OK\r\n", "SET", "a", "1")
	fc.expect("+OK\r\n", "SAVE")
	data, _ := os.ReadFile(filepath.Join(dir, "dump.rdb"))
	bad := t.TempDir()
	if err := os.WriteFile(filepath.Join(bad, "dump.rdb"), data[:len(data)-10], 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := tryStart(t, "ferrite", ferriteBin, []string{"--dir", bad})
	if err == nil {
		t.Fatal("ferrite started on a corrupt dump.rdb")
	}
	if !strings.Contains(err.Error(), "offset") {
		t.Errorf("no offset in the failure output: %v", err)
	}
}

// TestRDBSigterm: SIGTERM saves when save points are set (Redis's default
// shutdown-on-sigterm), and not with shutdown-on-sigterm nosave.
func TestRDBSigterm(t *testing.T) {
	for _, tc := range []struct {
		flags string
		saved bool
	}{{"default", true}, {"nosave", false}} {
		dir := t.TempDir()
		f := startFerrite(t, "--dir", dir, "--save", "3600", "1", "--shutdown-on-sigterm", tc.flags)
		f.dial(t).expect("+OK\r\n", "SET", "a", "1")
		f.stop()
		_, err := os.Stat(filepath.Join(dir, "dump.rdb"))
		if saved := err == nil; saved != tc.saved {
			t.Errorf("shutdown-on-sigterm %s: dump.rdb written: %v, want %v", tc.flags, saved, tc.saved)
		}
		if code := f.cmd.ProcessState.ExitCode(); code != 0 {
			t.Errorf("shutdown-on-sigterm %s: exit status %d", tc.flags, code)
		}
	}
}
