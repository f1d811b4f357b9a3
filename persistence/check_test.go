package persistence

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"ferrite/datatypes"
)

// checkOut runs checkRDB on data written to a file named name and returns
// its exit status and output.
func checkOut(t *testing.T, dir, name string, data []byte, nowMs int64) (int, string) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	rc := checkRDB(p, &out, nowMs)
	return rc, out.String()
}

// redisCheck runs the real redis-check-rdb on path.
func redisCheck(t *testing.T, path string) (int, string) {
	t.Helper()
	out, err := exec.Command("redis-check-rdb", path).Output()
	rc := 0
	if ee, ok := err.(*exec.ExitError); ok {
		rc = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return rc, string(out)
}

// zlTestBuild writes a ziplist of strings and small ints (0..12 become
// immediates, other canonical ints int16) — enough for an RDB fixture.
func zlTestBuild(elems ...string) []byte {
	b := make([]byte, 10)
	prev, tail := 0, 10
	for _, s := range elems {
		tail = len(b)
		start := len(b)
		b = append(b, byte(prev)) // fixtures keep entries under 254 bytes
		if v, err := strconv.Atoi(s); err == nil && strconv.Itoa(v) == s && v >= -32768 && v <= 32767 {
			if v >= 0 && v <= 12 {
				b = append(b, byte(0xF1+v))
			} else {
				b = binary.LittleEndian.AppendUint16(append(b, 0xC0), uint16(v))
			}
		} else {
			b = append(append(b, byte(len(s))), s...)
		}
		prev = len(b) - start
	}
	b = append(b, 0xFF)
	binary.LittleEndian.PutUint32(b, uint32(len(b)))
	binary.LittleEndian.PutUint32(b[4:], uint32(tail))
	binary.LittleEndian.PutUint16(b[8:], uint16(len(elems)))
	return b
}

// legacyRDB is an RDB 9 file as Redis 6.0 wrote it (no RESIZEDB, which
// Redis 6 does write but this older layout must load too), holding each
// legacy encoding: zipmap hash, ziplist list/hash/zset, and a quicklist of
// ziplists, in databases 0 and 5.
func legacyRDB(checksum bool) []byte {
	str := func(b []byte, s []byte) []byte { return append(appendLen(b, uint64(len(s))), s...) }
	b := []byte("REDIS0009")
	b = append(b, opAux)
	b = str(b, []byte("redis-ver"))
	b = str(b, []byte("6.0.16"))
	b = append(b, opSelectDB, 0)
	b = append(b, typeHashZipmap)
	b = str(b, []byte("zm"))
	b = str(b, []byte("\x02\x03foo\x03\x00bar\x05hello\x05\x02world!!\xff"))
	b = append(b, typeListZiplist)
	b = str(b, []byte("zl"))
	b = str(b, zlTestBuild("a", "7", "-5000", "hello"))
	b = append(b, opExpireMS)
	b = binary.LittleEndian.AppendUint64(b, 4102444800000) // 2100-01-01
	b = append(b, typeHashZiplist)
	b = str(b, []byte("zh"))
	b = str(b, zlTestBuild("f1", "v1", "f2", "300"))
	b = append(b, opSelectDB, 5)
	b = append(b, typeZSetZiplist)
	b = str(b, []byte("zz"))
	b = str(b, zlTestBuild("m1", "1.5", "m2", "2"))
	b = append(b, opExpireMS)
	b = binary.LittleEndian.AppendUint64(b, 1000) // long ago
	b = append(b, typeListQuicklist)
	b = str(b, []byte("ql"))
	b = appendLen(b, 2)
	b = str(b, zlTestBuild("x", "y"))
	b = str(b, zlTestBuild("z"))
	b = append(b, opEOF)
	var sum uint64
	if checksum {
		sum = CRC64(0, b)
	}
	return binary.LittleEndian.AppendUint64(b, sum)
}

// The legacy file, checked line by line. The expected text is what
// redis-check-rdb 7.0.15 prints for it (compared live below when present).
func TestCheckRDBLegacyEncodings(t *testing.T) {
	dir := t.TempDir()
	rc, got := checkOut(t, dir, "legacy.rdb", legacyRDB(true), time.Now().UnixMilli())
	want := fmt.Sprintf(`[offset 0] Checking RDB file %s
[offset 27] AUX FIELD redis-ver = '6.0.16'
[offset 29] Selecting DB ID 0
[offset 135] Selecting DB ID 5
[offset 222] Checksum OK
[offset 222] \o/ RDB looks OK! \o/
[info] 5 keys read
[info] 2 expires
[info] 1 already expired
`, filepath.Join(dir, "legacy.rdb"))
	if rc != 0 || got != want {
		t.Fatalf("rc=%d output:\n%s\nwant:\n%s", rc, got, want)
	}
	rc, got = checkOut(t, dir, "nosum.rdb", legacyRDB(false), time.Now().UnixMilli())
	if rc != 0 || !strings.Contains(got, "[offset 222] RDB file was saved with checksum disabled: no check performed.\n[offset 222] \\o/ RDB looks OK! \\o/\n") {
		t.Fatalf("checksum disabled: rc=%d\n%s", rc, got)
	}
	// The "already expired" count follows the clock given.
	if _, got = checkOut(t, dir, "legacy.rdb", legacyRDB(true), 999); !strings.Contains(got, "[info] 0 already expired\n") {
		t.Fatalf("clock not used:\n%s", got)
	}
}

// The legacy fixture is a file Redis 7.0.15 itself loads, with the values
// the ziplist/zipmap decoders give; and redis-check-rdb prints exactly
// what CheckRDB prints for it.
func TestCheckRDBLegacyAgainstRedis(t *testing.T) {
	if _, err := exec.LookPath("redis-check-rdb"); err != nil {
		t.Skip("redis-check-rdb not installed")
	}
	dir := t.TempDir()
	for _, sum := range []bool{true, false} {
		p := filepath.Join(dir, fmt.Sprintf("legacy-%v.rdb", sum))
		if err := os.WriteFile(p, legacyRDB(sum), 0o644); err != nil {
			t.Fatal(err)
		}
		wrc, want := redisCheck(t, p)
		var out bytes.Buffer
		rc := checkRDB(p, &out, time.Now().UnixMilli())
		if rc != wrc || out.String() != want {
			t.Fatalf("checksum=%v: rc %d vs redis %d\nours:\n%s\nredis-check-rdb:\n%s", sum, rc, wrc, out.String(), want)
		}
	}
	compareTruncations(t, dir, legacyRDB(true))
	// Load decodes the legacy values to what Redis 7.0 loads from them.
	f, err := os.Open(filepath.Join(dir, "legacy-true.rdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := &collectHandler{}
	if err := Load(f, LoadOptions{Limits: checkLimits}, h); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(h.keys, "\n")
	want := strings.Join([]string{
		"0 zm hash foo=bar hello=world",
		"0 zl list a 7 -5000 hello",
		"0 zh hash f1=v1 f2=300",
		"5 zz zset m1=1.5 m2=2",
		"5 ql list x y z",
	}, "\n")
	if got != want {
		t.Fatalf("loaded:\n%s\nwant:\n%s", got, want)
	}
	if _, err := exec.LookPath("redis-server"); err != nil {
		return
	}
	// redis-server 7.0.15 loads the same file to the same values (and
	// drops "ql", whose TTL is long past).
	port := freePort(t)
	srv := exec.Command("redis-server", "--port", port, "--save", "", "--appendonly", "no",
		"--dir", dir, "--dbfilename", "legacy-true.rdb")
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = srv.Process.Kill(); _ = srv.Wait() }()
	var lines []string
	for _, q := range [][]string{
		{"hgetall", "zm"}, {"lrange", "zl", "0", "-1"}, {"hgetall", "zh"},
		{"-n", "5", "zrange", "zz", "0", "-1", "withscores"}, {"-n", "5", "lrange", "ql", "0", "-1"},
	} {
		lines = append(lines, strings.Join(redisCLI(t, port, q...), " "))
	}
	if got, want := strings.Join(lines, "\n"), "foo bar hello world\na 7 -5000 hello\nf1 v1 f2 300\nm1 1.5 m2 2\n"; got != want {
		t.Fatalf("redis-server loaded:\n%s\nwant:\n%s", got, want)
	}
}

// redisCLI runs redis-cli against port (retrying while the server starts)
// and returns its output lines.
func redisCLI(t *testing.T, port string, args ...string) []string {
	t.Helper()
	for i := 0; ; i++ {
		out, err := exec.Command("redis-cli", append([]string{"-p", port}, args...)...).CombinedOutput()
		s := string(out)
		if err == nil && !strings.Contains(s, "Could not connect") && !strings.Contains(s, "LOADING") {
			return strings.Fields(s)
		}
		if i == 100 {
			t.Fatalf("redis-cli %v: %v %s", args, err, out)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// collectHandler renders each loaded key as "db key type elements".
type collectHandler struct{ keys []string }

func (h *collectHandler) Aux(key, val []byte) error             { return nil }
func (h *collectHandler) ResizeDB(db int, size, expires uint64) {}
func (h *collectHandler) Function(code []byte) error            { return nil }
func (h *collectHandler) Entry(e *Entry) error {
	var parts []string
	switch v := e.Val.Val().(type) {
	case *datatypes.Listpack:
		s := lpAll(*v)
		for i := 0; i+1 < len(s); i += 2 {
			parts = append(parts, s[i]+"="+s[i+1])
		}
	case *datatypes.Quicklist:
		for i := 0; i < v.Len(); i++ {
			s, _ := v.Index(i)
			parts = append(parts, string(s))
		}
	default:
		parts = append(parts, fmt.Sprintf("%T", v))
	}
	h.keys = append(h.keys, fmt.Sprintf("%d %s %s %s", e.DB, e.Key, e.Val.Type.Name(), strings.Join(parts, " ")))
	return nil
}

func lpAll(lp datatypes.Listpack) []string {
	var out []string
	for p := lp.First(); p >= 0; p = lp.Next(p) {
		s, v, isInt := lp.Get(p)
		if isInt {
			out = append(out, strconv.FormatInt(v, 10))
		} else {
			out = append(out, string(s))
		}
	}
	return out
}

// A file written by redis-server 7.0.15, then every truncation of it:
// CheckRDB prints what redis-check-rdb prints, line for line, except the
// error's offset inside a string, where Load reports the end of the input
// and Redis the start of the string it could not read.
func TestCheckRDBAgainstRedisTruncations(t *testing.T) {
	for _, bin := range []string{"redis-server", "redis-cli", "redis-check-rdb"} {
		if _, err := exec.LookPath(bin); err != nil {
			t.Skipf("%s not installed", bin)
		}
	}
	dir := t.TempDir()
	port := freePort(t)
	srv := exec.Command("redis-server", "--port", port, "--save", "", "--appendonly", "no",
		"--dir", dir, "--dbfilename", "dump.rdb")
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = srv.Process.Kill(); _ = srv.Wait() }()
	cli := func(args ...string) { redisCLI(t, port, args...) }
	cli("set", "a", "1")
	cli("set", "b", "hello", "EX", "100000")
	cli("rpush", "l", "x", "y", "z")
	cli("-n", "2", "hset", "h", "f", "v")
	cli("-n", "2", "sadd", "s", "1", "2", "3")
	cli("-n", "3", "zadd", "z", "1", "m")
	cli("save")
	data, err := os.ReadFile(filepath.Join(dir, "dump.rdb"))
	if err != nil {
		t.Fatal(err)
	}
	compareTruncations(t, dir, data)
}

// compareTruncations checks data and every truncation of it with CheckRDB
// and redis-check-rdb: the same lines, except the error's offset inside a
// string (see TestCheckRDBAgainstRedisTruncations).
func compareTruncations(t *testing.T, dir string, data []byte) {
	t.Helper()
	p := filepath.Join(dir, "t.rdb")
	for l := len(data); l >= 0; l-- {
		if err := os.WriteFile(p, data[:l], 0o644); err != nil {
			t.Fatal(err)
		}
		wrc, want := redisCheck(t, p)
		var out bytes.Buffer
		rc := checkRDB(p, &out, time.Now().UnixMilli())
		got := out.String()
		if l == len(data) {
			if rc != 0 || got != want {
				t.Fatalf("whole file: ours\n%s\nredis-check-rdb\n%s", got, want)
			}
			continue
		}
		if rc != 1 || wrc != 1 {
			t.Fatalf("len %d: rc %d, redis %d", l, rc, wrc)
		}
		wpre, wline, _ := strings.Cut(want, "--- RDB ERROR DETECTED ---\n")
		gpre, gline, _ := strings.Cut(got, "--- RDB ERROR DETECTED ---\n")
		if gpre != wpre {
			t.Fatalf("len %d: before the error, ours\n%s\nredis-check-rdb\n%s", l, gpre, wpre)
		}
		wline, wrest, _ := strings.Cut(wline, "\n")
		gline, grest, _ := strings.Cut(gline, "\n")
		if grest != wrest {
			t.Fatalf("len %d: after the error line, ours\n%s\nredis-check-rdb\n%s", l, grest, wrest)
		}
		var woff, goff int
		var wmsg, gmsg string
		fmt.Sscanf(wline, "[offset %d]", &woff)
		fmt.Sscanf(gline, "[offset %d]", &goff)
		_, wmsg, _ = strings.Cut(wline, "] ")
		_, gmsg, _ = strings.Cut(gline, "] ")
		if wmsg != gmsg {
			t.Fatalf("len %d: reason %q, redis %q", l, gmsg, wmsg)
		}
		if goff != woff && (goff != l || woff > l) {
			t.Fatalf("len %d: offset %d, redis %d", l, goff, woff)
		}
	}
}

func freePort(t *testing.T) string {
	t.Helper()
	for p := 17400 + os.Getpid()%500; p < 18400; p++ {
		c := exec.Command("redis-cli", "-p", strconv.Itoa(p), "ping")
		if out, _ := c.CombinedOutput(); strings.Contains(string(out), "Could not connect") {
			return strconv.Itoa(p)
		}
	}
	t.Fatal("no free port")
	return ""
}

func TestCheckRDBErrors(t *testing.T) {
	dir := t.TempDir()
	good := legacyRDB(true)
	cases := []struct {
		name       string
		data       []byte
		line, info string
	}{
		{"signature", append([]byte("XEDIS"), good[5:]...), "[offset 9] Wrong signature trying to load DB from file",
			"[additional info] While doing: start\n[additional info] Reading type 0 (string)\n[info] 0 keys read\n"},
		{"version", append([]byte("REDIS0012"), good[9:]...), "[offset 9] Can't handle RDB format version 12",
			"[additional info] While doing: start\n"},
		{"crc", append(bytes.Clone(good[:len(good)-1]), good[len(good)-1]^1), "[offset 222] RDB CRC error",
			"[additional info] While doing: check-sum\n[info] 5 keys read\n"},
		{"truncated", good[:40], "[offset 40] Unexpected EOF reading RDB file",
			"[additional info] While doing: read-object-value\n[additional info] Reading key 'zm'\n[additional info] Reading type 9 (hash-zipmap)\n[info] 1 keys read\n"},
	}
	for _, c := range cases {
		rc, out := checkOut(t, dir, c.name+".rdb", c.data, 0)
		if rc != 1 || !strings.Contains(out, "--- RDB ERROR DETECTED ---\n"+c.line+"\n"+c.info) {
			t.Errorf("%s: rc=%d\n%s", c.name, rc, out)
		}
	}
	// A corrupt ziplist inside the file is reported, not a panic.
	bad := bytes.Clone(good)
	i := bytes.Index(bad, []byte("\x02zl"))
	bad[i+3+1+9]++ // the ziplist's entry count
	if rc, out := checkOut(t, dir, "badzl.rdb", bad, 0); rc != 1 || !strings.Contains(out, "--- RDB ERROR DETECTED ---") {
		t.Errorf("corrupt ziplist: rc=%d\n%s", rc, out)
	}
	// A missing file: the first line, then exit status 1, as redis-check-rdb.
	var out bytes.Buffer
	if rc := CheckRDB(filepath.Join(dir, "missing.rdb"), &out); rc != 1 || out.String() != "[offset 0] Checking RDB file "+filepath.Join(dir, "missing.rdb")+"\n" {
		t.Errorf("missing file: rc=%d %q", rc, out.String())
	}
}
