package persistence

import (
	"bytes"
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"ferrite/datatypes"
)

// incompressible returns n random printable bytes LZF cannot shrink much.
func incompressible(seed int64, n int) string {
	r := rand.New(rand.NewSource(seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(33 + r.Intn(90))
	}
	return string(b)
}

// redisDataset builds one key of every type and encoding (and the edges
// of the string encodings) in a real Redis.
func redisDataset() [][]any {
	cmds := [][]any{
		{"SET", "s:int", "12345"}, {"SET", "s:neg", "-7"}, {"SET", "s:i8", "127"}, {"SET", "s:i16", "-32768"},
		{"SET", "s:i32", "2147483647"}, {"SET", "s:i64", "12345678901234"}, {"SET", "s:lead0", "0123"},
		{"SET", "s:empty", ""}, {"SET", "s:emb", "hello world"}, {"SET", "s:raw", strings.Repeat("abc", 40)},
		{"SET", "s:rnd", incompressible(1, 60)}, {"SET", "s:minint", "-9223372036854775808"},
		{"RPUSH", "l:small", "a", "b", "1", "2", "-300", "70000", "99999999999", strings.Repeat("z", 30)},
		{"SADD", "set:int", "1", "2", "3", "-5", "100000", "5000000000"},
		{"SADD", "set:ht", "a", "b", "c", "1"},
		{"ZADD", "z:lp", "1", "a", "2.5", "b", "-inf", "c", "inf", "d", "1e300", "e", "-0.125", "f"},
		{"ZADD", "z:long", "1", strings.Repeat("m", 70), "2", "x"},
		{"HSET", "h:lp", "f1", "v1", "f2", "2", "n", "-9", "e", ""},
		{"HSET", "h:long", "f", strings.Repeat("v", 100)},
		{"XADD", "x:plain", "1-1", "a", "1", "b", "two"}, {"XADD", "x:plain", "1-2", "a", "3", "b", "four"},
		{"XADD", "x:plain", "5-0", "other", "fields"}, {"XADD", "x:plain", "6-0", "a", "5"}, {"XDEL", "x:plain", "1-2"},
		{"XADD", "x:cg", "*", "f", "v"}, {"XADD", "x:cg", "*", "f", "w"}, {"XADD", "x:cg", "*", "f", "x"},
		{"XGROUP", "CREATE", "x:cg", "g1", "0"}, {"XGROUP", "CREATE", "x:cg", "g0", "$"},
		{"XREADGROUP", "GROUP", "g1", "alice", "COUNT", "2", "STREAMS", "x:cg", ">"},
		{"XREADGROUP", "GROUP", "g1", "bob", "STREAMS", "x:cg", ">"},
		{"XGROUP", "CREATECONSUMER", "x:cg", "g1", "carol"}, {"XACK", "x:cg", "g1", "0-0"},
		{"XGROUP", "CREATE", "x:empty", "g", "$", "MKSTREAM"},
	}
	for i := 0; i < 250; i++ {
		cmds = append(cmds, []any{"XADD", "x:big", "*", "field", strconv.Itoa(i), "other", strings.Repeat("o", i%7)})
	}
	big := []any{"RPUSH", "l:big"}
	bigset := []any{"SADD", "set:bigint"}
	zs := []any{"ZADD", "z:sl"}
	hh := []any{"HSET", "h:ht"}
	for i := 0; i < 700; i++ {
		big = append(big, fmt.Sprintf("element-%d-%s", i, strings.Repeat("p", i%50)))
		bigset = append(bigset, strconv.Itoa(i*7-1000))
	}
	for i := 0; i < 600; i++ {
		hh = append(hh, fmt.Sprintf("field:%d", i), fmt.Sprintf("value:%d", i*i))
	}
	for i := 0; i < 200; i++ {
		zs = append(zs, strconv.FormatFloat(float64(i)*1.5-50, 'g', -1, 64), fmt.Sprintf("member:%d", i))
	}
	return append(cmds, big, bigset, zs, hh)
}

// hashOrdered reports whether o's serialization depends on hash table
// order (Redis's siphash order differs from ours), so bytes can't match.
func hashOrdered(o *datatypes.Object) bool {
	return o.Enc == datatypes.EncHT
}

func TestRedisDumpPayloads(t *testing.T) {
	r := startRedis(t, "", "--rdbcompression", "no")
	for _, c := range redisDataset() {
		r.do(t, c...)
	}
	r.do(t, "DEBUG", "QUICKLIST-PACKED-THRESHOLD", "100")
	r.do(t, "RPUSH", "l:plain", "a", strings.Repeat("P", 150), "b")
	r.do(t, "DEBUG", "QUICKLIST-PACKED-THRESHOLD", "1073741824")

	keys := r.do(t, "KEYS", "*").([]any)
	for _, k := range keys {
		key := k.(string)
		p := []byte(r.do(t, "DUMP", key).(string))
		o, err := DecodeDump(p, defaultLimits)
		if err != nil {
			t.Fatalf("%s: DecodeDump of Redis's payload: %v", key, err)
		}
		if enc := r.do(t, "OBJECT", "ENCODING", key).(string); enc != o.Enc.Name() {
			t.Errorf("%s: decoded encoding %s, Redis has %s", key, o.Enc.Name(), enc)
		}
		ours := DumpPayload(o, false)
		if !hashOrdered(o) && !bytes.Equal(ours, p) {
			t.Errorf("%s: our DUMP differs from Redis's\n ours  %q\n redis %q", key, ours, p)
		}
		// Redis must load ours, compressed or not, into the same value.
		for i, payload := range [][]byte{ours, DumpPayload(o, true)} {
			copyKey := fmt.Sprintf("%s:copy%d", key, i)
			r.do(t, "RESTORE", copyKey, "0", string(payload))
			back, err := DecodeDump([]byte(r.do(t, "DUMP", copyKey).(string)), defaultLimits)
			if err != nil {
				t.Fatalf("%s: %v", copyKey, err)
			}
			if describe(back) != describe(o) {
				t.Errorf("%s: Redis restored\n %s\nwant\n %s", copyKey, describe(back), describe(o))
			}
			if enc := r.do(t, "OBJECT", "ENCODING", copyKey).(string); enc != o.Enc.Name() {
				t.Errorf("%s: Redis encoding %s, want %s", copyKey, enc, o.Enc.Name())
			}
		}
	}

	// Redis's own LZF output must decode too.
	r.do(t, "CONFIG", "SET", "rdbcompression", "yes")
	for _, k := range keys {
		key := k.(string)
		plainO, _ := DecodeDump([]byte(func() string { r.do(t, "CONFIG", "SET", "rdbcompression", "no"); return r.do(t, "DUMP", key).(string) }()), defaultLimits)
		r.do(t, "CONFIG", "SET", "rdbcompression", "yes")
		o, err := DecodeDump([]byte(r.do(t, "DUMP", key).(string)), defaultLimits)
		if err != nil {
			t.Fatalf("%s: compressed DUMP: %v", key, err)
		}
		if describe(o) != describe(plainO) {
			t.Errorf("%s: compressed DUMP decodes to\n %s\nwant\n %s", key, describe(o), describe(plainO))
		}
	}
}

// TestRedisDumpCompressedList: with list-compress-depth, Redis writes
// interior nodes as their in-memory LZF; we load and convert them, and
// Redis loads the LZF we write.
func TestRedisDumpCompressedList(t *testing.T) {
	r := startRedis(t, "", "--list-compress-depth", "1", "--list-max-listpack-size", "16")
	args := []any{"RPUSH", "l"}
	for i := 0; i < 200; i++ {
		args = append(args, fmt.Sprintf("compressible-element-%04d-%s", i, strings.Repeat("q", 40)))
	}
	r.do(t, args...)
	lim := defaultLimits
	lim.ListCompressDepth, lim.ListMaxListpackSize = 1, 16
	p := []byte(r.do(t, "DUMP", "l").(string))
	o, err := DecodeDump(p, lim)
	if err != nil {
		t.Fatal(err)
	}
	compressed := 0
	o.Quicklist().RangeNodes(func(n datatypes.QuicklistNode) bool {
		if n.LZF != nil {
			compressed++
		}
		return true
	})
	if compressed == 0 {
		t.Fatal("no node came out compressed with list-compress-depth 1")
	}
	ours := DumpPayload(o, false)
	if !bytes.Contains(ours, []byte{encodedTag | encLZF}) {
		t.Fatal("compressed nodes were not written as LZF blobs")
	}
	r.do(t, "RESTORE", "l2", "0", string(ours))
	back, err := DecodeDump([]byte(r.do(t, "DUMP", "l2").(string)), lim)
	if err != nil {
		t.Fatal(err)
	}
	if describe(back) != describe(o) {
		t.Fatalf("restored list differs:\n %s\n %s", describe(back), describe(o))
	}
	if got := r.do(t, "DEBUG", "OBJECT", "l2").(string); !strings.Contains(got, "ql_nodes:13") {
		t.Errorf("Redis layout of our dump: %s", got)
	}
}

// TestRedisRDBFile loads a dump.rdb written by redis-server (every type,
// TTLs, several databases, a function) and compares it key by key.
func TestRedisRDBFile(t *testing.T) {
	r := startRedis(t, "")
	ctx := context.Background()
	for _, c := range redisDataset() {
		r.do(t, c...)
	}
	r.do(t, "PEXPIRE", "s:emb", "100000000")
	r.do(t, "PEXPIRE", "h:ht", "200000000")
	r.do(t, "SELECT", "0")
	r.cli.Do(ctx, "FUNCTION", "LOAD", "#!lua name=mylib\nredis.register_function('f', function() return 1 end)")
	r.do(t, "SAVE")
	raw, err := os.ReadFile(filepath.Join(r.dir, "dump.rdb"))
	if err != nil {
		t.Fatal(err)
	}
	h, err := loadBytes(raw, defaultLimits)
	if err != nil {
		t.Fatalf("Load of Redis's dump.rdb: %v", err)
	}
	auxKeys := map[string]bool{}
	for _, a := range h.aux {
		auxKeys[a[0]] = true
	}
	for _, k := range []string{"redis-ver", "redis-bits", "ctime", "used-mem", "aof-base"} {
		if !auxKeys[k] {
			t.Errorf("aux field %s missing: %v", k, h.aux)
		}
	}
	if len(h.funcs) != 1 || !strings.Contains(h.funcs[0], "mylib") {
		t.Errorf("functions: %q", h.funcs)
	}
	n := int(r.do(t, "DBSIZE").(int64))
	if len(h.entries) != n {
		t.Fatalf("loaded %d entries, want %d", len(h.entries), n)
	}
	for _, e := range h.entries {
		want, err := DecodeDump([]byte(r.do(t, "DUMP", e.Key).(string)), defaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		if describe(e.Val) != describe(want) {
			t.Errorf("%s: loaded\n %s\nwant\n %s", e.Key, describe(e.Val), describe(want))
		}
		if got := r.do(t, "PEXPIRETIME", e.Key).(int64); got != e.ExpireAt {
			t.Errorf("%s: expire %d, Redis %d", e.Key, e.ExpireAt, got)
		}
	}
}

// TestWriterLoadsInRedis writes a file with Writer and starts redis-server
// on it: every key, TTL and the function must be there.
func TestWriterLoadsInRedis(t *testing.T) {
	for _, compress := range []bool{false, true} {
		t.Run(fmt.Sprintf("compress=%v", compress), func(t *testing.T) {
			objs := sampleObjects()
			dir := t.TempDir()
			var buf bytes.Buffer
			w := NewWriter(&buf, WriteOptions{Compress: compress, Checksum: true})
			must(t, w.Header([][2]string{{"redis-ver", "7.0.15"}, {"redis-bits", "64"}}))
			must(t, w.Function([]byte("#!lua name=lib1\nredis.register_function('f1', function() return 7 end)")))
			must(t, w.SelectDB(0, uint64(len(objs)), 1))
			expireAt := int64(4102444800000) // 2100-01-01
			for i, so := range objs {
				exp := int64(-1)
				if i == 0 {
					exp = expireAt
				}
				must(t, w.Entry(so.key, so.o, exp, -1, -1))
			}
			must(t, w.SelectDB(3, 1, 0))
			must(t, w.Entry("in-db-3", datatypes.NewString([]byte("three")), -1, -1, -1))
			must(t, w.Finish())
			if err := os.WriteFile(filepath.Join(dir, "dump.rdb"), buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			r := startRedis(t, dir, "--dbfilename", "dump.rdb")
			for i, so := range objs {
				p, ok := r.do(t, "DUMP", so.key).(string)
				if !ok {
					t.Fatalf("%s missing in Redis", so.key)
				}
				got, err := DecodeDump([]byte(p), defaultLimits)
				if err != nil {
					t.Fatal(err)
				}
				if describe(got) != describe(so.o) {
					t.Errorf("%s: Redis loaded\n %s\nwant\n %s", so.key, describe(got), describe(so.o))
				}
				if i == 0 {
					if got := r.do(t, "PEXPIRETIME", so.key).(int64); got != expireAt {
						t.Errorf("TTL %d, want %d", got, expireAt)
					}
				}
			}
			r.do(t, "SELECT", "3")
			if got := r.do(t, "GET", "in-db-3"); got != "three" {
				t.Errorf("db 3: %v", got)
			}
			if got := r.do(t, "FCALL", "f1", "0"); got != int64(7) {
				t.Errorf("FCALL f1: %v", got)
			}
		})
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
