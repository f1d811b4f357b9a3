package server

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"ferrite/datatypes"
	"ferrite/persistence"
)

// Replies and error strings below were checked against redis-server
// 7.0.15 side by side (redis-cli on both).

func persistServer(t *testing.T, mutate ...func(*Config)) (*Server, *testConn, string) {
	t.Helper()
	dir := t.TempDir()
	s := startServer(t, append([]func(*Config){func(c *Config) {
		c.Dir = dir
		c.Save = nil
		c.EnableDebugCommand = "yes"
	}}, mutate...)...)
	return s, dial(t, s), dir
}

// infoField returns one field of INFO persistence.
func infoField(c *testConn, name string) string {
	info := c.Do("INFO", "persistence")
	for _, line := range strings.Split(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, name+":"); ok {
			return v
		}
	}
	return ""
}

// waitField polls INFO until name has value want.
func waitField(t *testing.T, c *testConn, name, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for infoField(c, name) != want {
		if time.Now().After(deadline) {
			t.Fatalf("INFO %s = %q, want %q", name, infoField(c, name), want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestSaveBgsaveLastsave(t *testing.T) {
	s, c, dir := persistServer(t)
	c.expect("+OK\r\n", "SET", "a", "1")
	c.expect(":1\r\n", "RPUSH", "l", "x")
	if got := infoField(c, "rdb_changes_since_last_save"); got != "2" {
		t.Errorf("rdb_changes_since_last_save = %s, want 2", got)
	}
	before := c.Do("LASTSAVE")
	time.Sleep(1100 * time.Millisecond) // LASTSAVE has a one-second resolution
	c.expect("+OK\r\n", "SAVE")
	if after := c.Do("LASTSAVE"); after == before {
		t.Errorf("LASTSAVE did not move after SAVE: %q", after)
	}
	if _, err := os.Stat(filepath.Join(dir, "dump.rdb")); err != nil {
		t.Fatal(err)
	}
	if got := infoField(c, "rdb_changes_since_last_save"); got != "0" {
		t.Errorf("rdb_changes_since_last_save after SAVE = %s", got)
	}
	c.expect("-ERR syntax error\r\n", "BGSAVE", "foo")
	c.expect("-ERR syntax error\r\n", "BGSAVE", "schedule", "x")
	c.expect("+Background saving started\r\n", "BGSAVE")
	waitField(t, c, "rdb_bgsave_in_progress", "0")
	for name, want := range map[string]string{"rdb_saves": "2", "rdb_last_bgsave_status": "ok",
		"rdb_last_bgsave_time_sec": "0", "rdb_current_bgsave_time_sec": "-1"} {
		if got := infoField(c, name); got != want {
			t.Errorf("INFO %s = %q, want %q", name, got, want)
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "temp-") {
			t.Errorf("temp file left behind: %s", e.Name())
		}
	}
	_ = s
}

func TestBgsaveInProgress(t *testing.T) {
	_, c, dir := persistServer(t)
	for i := 0; i < 100; i++ {
		c.Send("SET", "k"+string(rune('a'+i%26))+strings.Repeat("x", i), "v")
	}
	for i := 0; i < 100; i++ {
		c.Read()
	}
	c.expect("+OK\r\n", "CONFIG", "SET", "rdb-key-save-delay", "50000") // 50ms a key: ~5s
	c.expect("+Background saving started\r\n", "BGSAVE")
	c.expect("-ERR Background save already in progress\r\n", "BGSAVE")
	c.expect("-ERR Background save already in progress\r\n", "BGSAVE", "SCHEDULE")
	c.expect("-ERR Background save already in progress\r\n", "SAVE")
	for name, want := range map[string]string{"rdb_bgsave_in_progress": "1",
		"current_save_keys_total": "100"} {
		if got := infoField(c, name); got != want {
			t.Errorf("INFO %s = %q, want %q", name, got, want)
		}
	}
	// Whole seconds, as Redis's time(NULL) - rdb_save_time_start: a save
	// started at x.999 is 1 second old at x+1.001.
	if got := infoField(c, "rdb_current_bgsave_time_sec"); got != "0" && got != "1" {
		t.Errorf("INFO rdb_current_bgsave_time_sec = %q, want 0 or 1", got)
	}
	// FLUSHALL kills the BGSAVE, which is not an error (Redis 7.0).
	c.expect("+OK\r\n", "FLUSHALL")
	if got := infoField(c, "rdb_bgsave_in_progress"); got != "0" {
		t.Errorf("rdb_bgsave_in_progress after FLUSHALL = %s", got)
	}
	if got := infoField(c, "rdb_last_bgsave_status"); got != "ok" {
		t.Errorf("rdb_last_bgsave_status after a killed BGSAVE = %s", got)
	}
	if got := infoField(c, "rdb_changes_since_last_save"); got != "200" {
		t.Errorf("rdb_changes_since_last_save = %s, want 200", got)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		entries, _ := os.ReadDir(dir)
		if len(entries) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("files left after a killed BGSAVE: %v", entries)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestFlushallSavesWithSavePoints(t *testing.T) {
	_, c, dir := persistServer(t, func(c *Config) { c.Save = []SaveParam{{Seconds: 3600, Changes: 1000}} })
	c.expect("+OK\r\n", "SET", "a", "1")
	c.expect("+OK\r\n", "FLUSHALL")
	if got := infoField(c, "rdb_changes_since_last_save"); got != "0" {
		t.Errorf("rdb_changes_since_last_save = %s, want 0", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "dump.rdb")); err != nil {
		t.Error(err)
	}
}

func TestMisconfAfterFailedBgsave(t *testing.T) {
	s, c, dir := persistServer(t, func(c *Config) { c.Save = []SaveParam{{Seconds: 3600, Changes: 1000}} })
	c.expect("+OK\r\n", "SET", "a", "1")
	if err := os.Remove(dir); err != nil {
		t.Fatal(err)
	}
	c.expect("+Background saving started\r\n", "BGSAVE")
	waitField(t, c, "rdb_last_bgsave_status", "err")
	misconf := "-" + errMisconf + "\r\n"
	c.expect(misconf, "SET", "a", "2")
	c.expect(misconf, "PING")
	c.expect("$1\r\n1\r\n", "GET", "a")
	c.expect("+OK\r\n", "MULTI")
	c.expect("+QUEUED\r\n", "GET", "a")
	c.expect("*1\r\n$1\r\n1\r\n", "EXEC")
	// Without save points (or with stop-writes-on-bgsave-error no) writes go on.
	c.expect("+OK\r\n", "CONFIG", "SET", "stop-writes-on-bgsave-error", "no")
	c.expect("+OK\r\n", "SET", "a", "2")
	c.expect("+OK\r\n", "CONFIG", "SET", "stop-writes-on-bgsave-error", "yes")
	c.expect(misconf, "SET", "a", "3")
	// A successful save clears it.
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	c.expect("+OK\r\n", "SAVE")
	c.expect("+OK\r\n", "SET", "a", "3")
	_ = s
}

func TestLoadingRejectsCommands(t *testing.T) {
	s, c, _ := persistServer(t)
	s.mu.Lock()
	s.persist.loading = true
	s.persist.loadStart = s.now()
	s.persist.loadTotal = 1000
	s.persist.loadLoaded = 250
	s.mu.Unlock()
	c.expect("-LOADING Redis is loading the dataset in memory\r\n", "GET", "a")
	c.expect("-LOADING Redis is loading the dataset in memory\r\n", "SET", "a", "1")
	if got := infoField(c, "loading"); got != "1" {
		t.Errorf("loading:%s", got)
	}
	if got := infoField(c, "loading_loaded_perc"); got != "25.00" {
		t.Errorf("loading_loaded_perc:%s", got)
	}
	if got := infoField(c, "loading_total_bytes"); got != "1000" {
		t.Errorf("loading_total_bytes:%s", got)
	}
	s.mu.Lock()
	s.persist.loading = false
	s.mu.Unlock()
	c.expect("$-1\r\n", "GET", "a")
	if got := infoField(c, "loading_total_bytes"); got != "" {
		t.Errorf("loading_total_bytes shown when not loading: %s", got)
	}
}

func TestDebugReload(t *testing.T) {
	_, c, dir := persistServer(t)
	c.expect("+OK\r\n", "SET", "n", "12345")
	c.expect("+OK\r\n", "SET", "ttl", "v", "EX", "1000")
	c.expect(":3\r\n", "SADD", "s", "1", "2", "3")
	c.expect(":2\r\n", "HSET", "h", "a", "1", "b", "2")
	c.expect("+OK\r\n", "DEBUG", "RELOAD")
	c.expect("$5\r\n12345\r\n", "GET", "n")
	c.expect("$3\r\nint\r\n", "OBJECT", "ENCODING", "n")
	c.expect("$6\r\nintset\r\n", "OBJECT", "ENCODING", "s")
	c.expect("$8\r\nlistpack\r\n", "OBJECT", "ENCODING", "h")
	if ttl := c.Do("TTL", "ttl"); ttl != ":1000\r\n" && ttl != ":999\r\n" {
		t.Errorf("TTL after reload: %q", ttl)
	}
	c.expect("-ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.\r\n", "DEBUG", "RELOAD", "FOO")
	// NOFLUSH without MERGE: the file's keys are already there.
	c.expect("-ERR Error trying to load the RDB dump\r\n", "DEBUG", "RELOAD", "NOSAVE", "NOFLUSH")
	c.expect("+OK\r\n", "SET", "extra", "1")
	c.expect("+OK\r\n", "DEBUG", "RELOAD", "NOSAVE", "NOFLUSH", "MERGE")
	c.expect(":5\r\n", "DBSIZE")
	c.expect("+OK\r\n", "DEBUG", "RELOAD", "NOSAVE")
	c.expect(":4\r\n", "DBSIZE")
	os.Remove(filepath.Join(dir, "dump.rdb"))
	c.expect("-ERR Error trying to load the RDB dump\r\n", "DEBUG", "RELOAD", "NOSAVE")
}

func TestStartupLoad(t *testing.T) {
	_, c1, dir := persistServer(t)
	c1.expect("+OK\r\n", "SET", "a", "1")
	c1.expect("+OK\r\n", "SET", "gone", "1", "PX", "1")
	c1.expect("+OK\r\n", "SELECT", "5")
	c1.expect(":2\r\n", "RPUSH", "l", "x", "y")
	c1.expect("$3\r\nlib\r\n", "FUNCTION", "LOAD", "#!lua name=lib\nredis.register_function('f', function() return 1 end)")
	time.Sleep(5 * time.Millisecond) // "gone" expires on disk
	c1.expect("+OK\r\n", "SAVE")

	s2 := startServer(t, func(c *Config) { c.Dir = dir; c.Save = nil })
	if err := <-s2.LoadDataFromDisk(); err != nil {
		t.Fatal(err)
	}
	c2 := dial(t, s2)
	c2.expect("$1\r\n1\r\n", "GET", "a")
	c2.expect(":0\r\n", "EXISTS", "gone")
	c2.expect("+OK\r\n", "SELECT", "5")
	c2.expect("*2\r\n$1\r\nx\r\n$1\r\ny\r\n", "LRANGE", "l", "0", "-1")
	if got := infoField(c2, "rdb_last_load_keys_loaded"); got != "2" {
		t.Errorf("rdb_last_load_keys_loaded:%s", got)
	}
	if got := infoField(c2, "rdb_last_load_keys_expired"); got != "1" {
		t.Errorf("rdb_last_load_keys_expired:%s", got)
	}
	// The function library came back with the dataset.
	c2.expect(":1\r\n", "FCALL", "f", "0")

	// A corrupt file stops startup with an error naming the offset.
	path := filepath.Join(dir, "dump.rdb")
	data, _ := os.ReadFile(path)
	if err := os.WriteFile(path, data[:len(data)-12], 0o644); err != nil {
		t.Fatal(err)
	}
	s3 := startServer(t, func(c *Config) { c.Dir = dir })
	err := <-s3.LoadDataFromDisk()
	var ce *persistence.CorruptError
	if !errors.As(err, &ce) {
		t.Fatalf("loading a truncated file: %v, want a CorruptError", err)
	}
}

func TestShutdownSaveFailure(t *testing.T) {
	_, c, dir := persistServer(t, func(c *Config) { c.Save = []SaveParam{{Seconds: 3600, Changes: 1}} })
	c.expect("+OK\r\n", "SET", "a", "1")
	os.Remove(dir)
	c.expect("-ERR Errors trying to SHUTDOWN. Check logs.\r\n", "SHUTDOWN")
	c.expect("-ERR Errors trying to SHUTDOWN. Check logs.\r\n", "SHUTDOWN", "SAVE")
	os.Mkdir(dir, 0o755)
	c.Send("SHUTDOWN")
	_ = c.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if b, err := c.r.ReadByte(); err == nil {
		t.Errorf("SHUTDOWN replied (%q...), want a closed connection", b)
	}
	if _, err := os.Stat(filepath.Join(dir, "dump.rdb")); err != nil {
		t.Error("SHUTDOWN with save points did not save:", err)
	}
}

func TestSavePointTriggersBgsave(t *testing.T) {
	s, c, dir := persistServer(t, func(c *Config) { c.Save = []SaveParam{{Seconds: 1, Changes: 2}} })
	s.mu.Lock()
	s.lastSave = s.now().Add(-10 * time.Second)
	s.mu.Unlock()
	c.expect("+OK\r\n", "SET", "a", "1")
	time.Sleep(300 * time.Millisecond) // one change: no save
	if got := infoField(c, "rdb_saves"); got != "0" {
		t.Fatalf("saved after one change: rdb_saves:%s", got)
	}
	c.expect("+OK\r\n", "SET", "b", "1")
	waitField(t, c, "rdb_saves", "1")
	waitField(t, c, "rdb_changes_since_last_save", "0")
	if _, err := os.Stat(filepath.Join(dir, "dump.rdb")); err != nil {
		t.Error(err)
	}
}

// TestStartupLoadingAnswersLOADING: clients connected while the file
// loads get -LOADING (commands without the loading flag) and INFO shows
// the progress; once loaded, the data is there.
func TestStartupLoadingAnswersLOADING(t *testing.T) {
	_, c1, dir := persistServer(t)
	for i := 0; i < 300; i++ {
		c1.Send("SET", "key"+strings.Repeat("x", i), "v")
	}
	for i := 0; i < 300; i++ {
		c1.Read()
	}
	c1.expect("+OK\r\n", "SAVE")
	s2 := startServer(t, func(c *Config) { c.Dir = dir; c.KeyLoadDelay = 5000 }) // 5ms a key
	loaded := s2.LoadDataFromDisk()
	c2 := dial(t, s2)
	c2.expect("-LOADING Redis is loading the dataset in memory\r\n", "GET", "keyx")
	c2.expect("-LOADING Redis is loading the dataset in memory\r\n", "SET", "keyx", "1")
	if got := infoField(c2, "loading"); got != "1" {
		t.Errorf("loading:%s", got)
	}
	if got := infoField(c2, "loading_total_bytes"); got == "" || got == "0" {
		t.Errorf("loading_total_bytes:%q", got)
	}
	if err := <-loaded; err != nil {
		t.Fatal(err)
	}
	c2.expect("$1\r\nv\r\n", "GET", "keyx")
	if got := infoField(c2, "loading"); got != "0" {
		t.Errorf("loading:%s after the load", got)
	}
}

// writeRDB writes an RDB file of string keys (db 0) with the Writer.
func writeRDB(t *testing.T, path string, keys []string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := persistence.NewWriter(f, persistence.WriteOptions{Checksum: true})
	if err := w.Header(nil); err != nil {
		t.Fatal(err)
	}
	if err := w.SelectDB(0, uint64(len(keys)), 0); err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if err := w.Entry(k, datatypes.NewString([]byte("v")), -1, -1, -1); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Finish(); err != nil {
		t.Fatal(err)
	}
}

// The startup load inserts on another goroutine than the decoder: a
// duplicate key deep in the file must still fail the load, and the table
// is sized from RESIZEDB (no rehash left when the load ends).
func TestStartupLoadPipeline(t *testing.T) {
	dir := t.TempDir()
	keys := make([]string, 5000)
	for i := range keys {
		keys[i] = "k" + strconv.Itoa(i)
	}
	writeRDB(t, filepath.Join(dir, "dump.rdb"), keys)
	s := startServer(t, func(c *Config) { c.Dir = dir })
	if err := <-s.LoadDataFromDisk(); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	n, rehashing := s.dbs[0].Keys.Len(), s.dbs[0].Keys.IsRehashing()
	b0, _ := s.dbs[0].Keys.Buckets()
	s.mu.Unlock()
	if n != len(keys) || rehashing || b0 < len(keys) {
		t.Fatalf("loaded %d keys, rehashing %v, %d buckets", n, rehashing, b0)
	}

	writeRDB(t, filepath.Join(dir, "dump.rdb"), append(keys, "k4321"))
	s2 := startServer(t, func(c *Config) { c.Dir = dir })
	if err := <-s2.LoadDataFromDisk(); err == nil || !strings.Contains(err.Error(), "duplicated key") {
		t.Fatalf("load of a file with a duplicate key: %v", err)
	}
}
