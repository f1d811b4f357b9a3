package persistence

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"os"
	"strings"
	"testing"
)

// Fixtures written by redis-server 7.0.15 (see TestRedisFixtures): a
// dump.rdb saved under maxmemory-policy allkeys-lru (so with IDLE
// opcodes), and DUMP payloads of every type and encoding, LZF included.
const (
	fixtureRDB   = "testdata/redis-7.0.15.rdb"
	fixtureDumps = "testdata/redis-7.0.15-dumps.txt"
)

func readDumpFixtures(t testing.TB) map[string][]byte {
	t.Helper()
	f, err := os.Open(fixtureDumps)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][]byte{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		k, h, _ := strings.Cut(sc.Text(), " ")
		p, err := hex.DecodeString(h)
		if err != nil {
			t.Fatal(err)
		}
		out[k] = p
	}
	return out
}

// TestRedisFixtures checks the fixtures without needing redis-server:
// every key of the saved file equals its DUMP, and re-encoding a DUMP
// (uncompressed) decodes to the same value.
func TestRedisFixtures(t *testing.T) {
	raw, err := os.ReadFile(fixtureRDB)
	if err != nil {
		t.Fatal(err)
	}
	lim := defaultLimits
	h, err := loadBytes(raw, lim)
	if err != nil {
		t.Fatal(err)
	}
	dumps := readDumpFixtures(t)
	if len(h.entries) != len(dumps)+1 || len(h.funcs) != 1 {
		t.Fatalf("%d entries, %d functions; %d dumps", len(h.entries), len(h.funcs), len(dumps))
	}
	for _, e := range h.entries {
		if e.Idle < 0 {
			t.Errorf("%s: no IDLE from an allkeys-lru save", e.Key)
		}
		if e.DB == 2 {
			if e.Key != "db2" || describe(e.Val) != `string/embstr:"x"` {
				t.Errorf("db 2 entry %s %s", e.Key, describe(e.Val))
			}
			continue
		}
		want, err := DecodeDump(dumps[e.Key], lim)
		if err != nil {
			t.Fatalf("%s: %v", e.Key, err)
		}
		if describe(e.Val) != describe(want) {
			t.Errorf("%s:\n file %s\n dump %s", e.Key, describe(e.Val), describe(want))
		}
		if again, err := DecodeDump(DumpPayload(want, false), lim); err != nil || describe(again) != describe(want) {
			t.Errorf("%s: re-encoded: %v %s", e.Key, err, describe(again))
		}
		wantExp := int64(-1)
		switch e.Key {
		case "h:lp":
			wantExp = 4102444800000
		case "s:emb": // PEXPIRE'd by that many ms from when the fixture was made
			wantExp = 5897748712073
		}
		if e.ExpireAt != wantExp {
			t.Errorf("%s: expire %d", e.Key, e.ExpireAt)
		}
	}
}

// The fuzz targets are best run with -fuzzminimizetime 100x: on a busy
// machine minimizing every new input otherwise stalls the workers.

func FuzzLoad(f *testing.F) {
	if raw, err := os.ReadFile(fixtureRDB); err == nil {
		f.Add(raw)
	}
	for _, opts := range []WriteOptions{{Checksum: true}, {Compress: true}} {
		var buf bytes.Buffer
		w := NewWriter(&buf, opts)
		w.Header([][2]string{{"redis-ver", "7.0.15"}})
		w.SelectDB(0, 1, 0)
		for i, so := range sampleObjects() {
			// Big seeds make the engine spend its time minimizing them.
			if len(DumpPayload(so.o, false)) < 1024 {
				w.Entry(so.key, so.o, int64(i), int64(i)-1, i%2-1)
			}
		}
		w.Function([]byte("#!lua name=x"))
		w.Finish()
		f.Add(buf.Bytes())
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		lim := defaultLimits
		lim.ListCompressDepth = 1
		h := &memHandler{}
		if err := Load(bytes.NewReader(b), LoadOptions{Limits: lim}, h); err != nil {
			return
		}
		// What loads must survive a round trip.
		for _, e := range h.entries {
			p := DumpPayload(e.Val, true)
			back, err := DecodeDump(p, lim)
			if err != nil {
				t.Fatalf("%s: re-encoded value does not decode: %v", e.Key, err)
			}
			if describe(back) != describe(e.Val) {
				t.Fatalf("%s: round trip changed\n %s\n %s", e.Key, describe(e.Val), describe(back))
			}
		}
	})
}

func FuzzDecodeDump(f *testing.F) {
	for _, p := range readDumpFixtures(f) {
		f.Add(p)
	}
	for _, so := range sampleObjects() {
		// Big seeds make the engine spend its time minimizing them.
		if p := DumpPayload(so.o, false); len(p) < 2048 {
			f.Add(p)
		}
	}
	f.Fuzz(func(t *testing.T, p []byte) {
		// The CRC would stop almost every mutation at the footer: fix it
		// up so the value decoder sees the mutated bytes.
		if len(p) >= 10 {
			body := p[:len(p)-8]
			sum := CRC64(0, body)
			p = append(append([]byte(nil), body...), byte(sum), byte(sum>>8), byte(sum>>16),
				byte(sum>>24), byte(sum>>32), byte(sum>>40), byte(sum>>48), byte(sum>>56))
		}
		o, err := DecodeDump(p, defaultLimits)
		if err != nil {
			return
		}
		back, err := DecodeDump(DumpPayload(o, false), defaultLimits)
		if err != nil || describe(back) != describe(o) {
			t.Fatalf("round trip: %v\n %s\n %s", err, describe(o), describe(back))
		}
	})
}
