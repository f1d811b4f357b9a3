package persistence

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"ferrite/datatypes"
)

type sampleObject struct {
	key string
	o   *datatypes.Object
}

// sampleObjects builds one value of every type and encoding the server
// makes, as the command code builds them.
func sampleObjects() []sampleObject {
	var out []sampleObject
	add := func(k string, o *datatypes.Object) { out = append(out, sampleObject{k, o}) }
	for i, s := range []string{"0", "-1", "127", "-128", "32767", "-32769", "2147483647", "-2147483649",
		"9223372036854775807", "hello", "", "012", strings.Repeat("long ", 30), incompressible(2, 50)} {
		add("str"+strconv.Itoa(i), datatypes.NewString([]byte(s)))
	}
	add("str-raw", datatypes.NewRawString([]byte("appended")))

	ql := datatypes.NewQuicklist(-2, 0)
	for i := 0; i < 1500; i++ {
		ql.PushTail([]byte(fmt.Sprintf("item-%d", i)))
	}
	ql.PushHead([]byte("12345"))
	add("list", datatypes.NewObject(datatypes.TypeList, datatypes.EncQuicklist, ql))
	qc := datatypes.NewQuicklist(8, 1)
	for i := 0; i < 100; i++ {
		qc.PushTail([]byte(strings.Repeat("compress me ", 5) + strconv.Itoa(i)))
	}
	add("list-lzf", datatypes.NewObject(datatypes.TypeList, datatypes.EncQuicklist, qc))
	qp := datatypes.NewQuicklist(-2, 0)
	qp.SetPackedThreshold(20)
	qp.PushTail([]byte("x"))
	qp.PushTail([]byte(strings.Repeat("plain", 10)))
	qp.PushTail([]byte("y"))
	add("list-plain", datatypes.NewObject(datatypes.TypeList, datatypes.EncQuicklist, qp))

	is := datatypes.NewIntset()
	for _, v := range []int64{5, -3, 1 << 40, 7} {
		is.Add(v)
	}
	add("set-intset", datatypes.NewObject(datatypes.TypeSet, datatypes.EncIntset, &is))
	sd := datatypes.NewDict[struct{}](1)
	for _, m := range []string{"a", "b", "10", "hello world"} {
		sd.Set(m, struct{}{})
	}
	add("set-ht", datatypes.NewObject(datatypes.TypeSet, datatypes.EncHT, sd))

	add("zset-lp", datatypes.NewObject(datatypes.TypeZSet, datatypes.EncListpack, datatypes.ZzlBuild([]datatypes.ZEntry{
		{Member: "a", Score: math.Inf(-1)}, {Member: "b", Score: -1.5}, {Member: "c", Score: 3}, {Member: "d", Score: math.Inf(1)}})))
	z := datatypes.NewZSet(1, nil)
	for i := 0; i < 300; i++ {
		z.Add("m"+strconv.Itoa(i), float64(i%17)/3, 0)
	}
	add("zset-sl", datatypes.NewObject(datatypes.TypeZSet, datatypes.EncSkiplist, z))

	hl := datatypes.NewListpack()
	for _, s := range []string{"f", "v", "n", "42", "e", ""} {
		hl.Append([]byte(s))
	}
	add("hash-lp", datatypes.NewObject(datatypes.TypeHash, datatypes.EncListpack, &hl))
	hd := datatypes.NewDict[string](1)
	for i := 0; i < 600; i++ {
		hd.Set("field"+strconv.Itoa(i), strings.Repeat("v", i%70))
	}
	add("hash-ht", datatypes.NewObject(datatypes.TypeHash, datatypes.EncHT, hd))
	st := datatypes.NewStream()
	for i := 1; i <= 250; i++ {
		st.Append(datatypes.StreamID{Ms: 1700000000000 + uint64(i/3), Seq: uint64(i % 3)},
			[][]byte{[]byte("field"), []byte(strconv.Itoa(i)), []byte("n"), []byte("-5")}, 4096, 100)
	}
	st.Delete(datatypes.StreamID{Ms: 1700000000001, Seq: 1})
	g, _ := st.CreateGroup("grp", datatypes.StreamID{Ms: 1700000000002, Seq: 0}, 5)
	alice, _ := g.CreateConsumer("alice", 1700000001000)
	g.CreateConsumer("bob", 1700000002000)
	for _, seq := range []uint64{1, 2} {
		pe, _ := g.AddPending(datatypes.StreamID{Ms: 1700000000000, Seq: seq}, alice, 1700000003000)
		pe.DeliveryCount = 3
	}
	st.CreateGroup("empty", datatypes.StreamID{}, datatypes.InvalidEntriesRead)
	add("stream", datatypes.NewObject(datatypes.TypeStream, datatypes.EncStream, st))
	return out
}

// limitsFor gives the list options a sample list was built with, so the
// loaded copy is laid out the same.
func limitsFor(o *datatypes.Object) Limits {
	lim := defaultLimits
	if o.Type == datatypes.TypeList {
		compressed := false
		o.Quicklist().RangeNodes(func(n datatypes.QuicklistNode) bool {
			compressed = compressed || n.LZF != nil
			return true
		})
		if compressed {
			lim.ListMaxListpackSize, lim.ListCompressDepth = 8, 1
		}
	}
	return lim
}

func TestDumpRoundTrip(t *testing.T) {
	for _, so := range sampleObjects() {
		for _, compress := range []bool{false, true} {
			p := DumpPayload(so.o, compress)
			got, err := DecodeDump(p, limitsFor(so.o))
			if err != nil {
				t.Fatalf("%s compress=%v: %v", so.key, compress, err)
			}
			if describe(got) != describe(so.o) {
				t.Errorf("%s compress=%v:\n got %s\nwant %s", so.key, compress, describe(got), describe(so.o))
			}
			if so.o.Type == datatypes.TypeString && so.o.Enc != datatypes.EncRaw && got.Enc != so.o.Enc {
				t.Errorf("%s: encoding %s, want %s", so.key, got.Enc.Name(), so.o.Enc.Name())
			}
			if again := DumpPayload(got, compress); !hashOrdered(got) && !compress && !bytes.Equal(again, p) {
				t.Errorf("%s: re-encoding changed the bytes", so.key)
			}
		}
	}
}

func TestFileRoundTrip(t *testing.T) {
	objs := sampleObjects()
	for _, opts := range []WriteOptions{{}, {Compress: true}, {Checksum: true}, {Compress: true, Checksum: true}} {
		var buf bytes.Buffer
		w := NewWriter(&buf, opts)
		must(t, w.Header([][2]string{{"redis-ver", "7.0.15"}, {"redis-bits", "64"}, {"ctime", "1700000000"}}))
		must(t, w.SelectDB(0, uint64(len(objs)), 1))
		for i, so := range objs {
			exp, idle, freq := int64(-1), int64(-1), -1
			switch i {
			case 0:
				exp = 1700000000123
			case 1:
				idle = 99
			case 2:
				freq = 200
			}
			must(t, w.Entry(so.key, so.o, exp, idle, freq))
		}
		must(t, w.SelectDB(15, 1, 0))
		must(t, w.Entry("k15", datatypes.NewString([]byte("v")), -1, -1, -1))
		must(t, w.Function([]byte("#!lua name=x")))
		must(t, w.Finish())
		if w.Offset() != int64(buf.Len()) {
			t.Fatalf("Offset %d, wrote %d", w.Offset(), buf.Len())
		}
		raw := buf.Bytes()
		if !bytes.HasPrefix(raw, []byte("REDIS0010")) {
			t.Fatalf("header %q", raw[:9])
		}
		sum := binary.LittleEndian.Uint64(raw[len(raw)-8:])
		if want := CRC64(0, raw[:len(raw)-8]); opts.Checksum && sum != want || !opts.Checksum && sum != 0 {
			t.Fatalf("%+v: trailer %#x, crc %#x", opts, sum, want)
		}
		h, err := loadBytes(raw, defaultLimits)
		if err != nil {
			t.Fatalf("%+v: %v", opts, err)
		}
		if fmt.Sprint(h.aux) != "[[redis-ver 7.0.15] [redis-bits 64] [ctime 1700000000]]" {
			t.Errorf("aux %v", h.aux)
		}
		if fmt.Sprint(h.resize) != fmt.Sprintf("[0:%d:1 15:1:0]", len(objs)) {
			t.Errorf("resize %v", h.resize)
		}
		if len(h.funcs) != 1 || h.funcs[0] != "#!lua name=x" {
			t.Errorf("functions %q", h.funcs)
		}
		if len(h.entries) != len(objs)+1 {
			t.Fatalf("%d entries", len(h.entries))
		}
		for i, so := range objs {
			e := h.entries[i]
			if e.Key != so.key || e.DB != 0 {
				t.Fatalf("entry %d: key %q db %d", i, e.Key, e.DB)
			}
			if so.o.Type != datatypes.TypeList && describe(e.Val) != describe(so.o) {
				t.Errorf("%s:\n got %s\nwant %s", so.key, describe(e.Val), describe(so.o))
			}
			wantExp, wantIdle, wantFreq := int64(-1), int64(-1), -1
			switch i {
			case 0:
				wantExp = 1700000000123
			case 1:
				wantIdle = 99
			case 2:
				wantFreq = 200
			}
			if e.ExpireAt != wantExp || e.Idle != wantIdle || e.Freq != wantFreq {
				t.Errorf("%s: expire/idle/freq %d/%d/%d", so.key, e.ExpireAt, e.Idle, e.Freq)
			}
		}
		if e := h.entries[len(objs)]; e.DB != 15 || e.Key != "k15" {
			t.Errorf("last entry %+v", e)
		}
	}
}

// TestLoadConversions: values come out in the encoding the limits call
// for, converting where rdbLoadObject converts.
func TestLoadConversions(t *testing.T) {
	small := defaultLimits
	small.HashMaxListpackEntries, small.SetMaxIntsetEntries, small.ZsetMaxListpackEntries = 2, 2, 2
	cases := []struct {
		key  string
		want string
	}{
		{"set-intset", "hashtable"}, {"hash-lp", "hashtable"}, {"zset-lp", "skiplist"},
	}
	objs := map[string]*datatypes.Object{}
	for _, so := range sampleObjects() {
		objs[so.key] = so.o
	}
	for _, c := range cases {
		got, err := DecodeDump(DumpPayload(objs[c.key], false), small)
		if err != nil {
			t.Fatal(err)
		}
		if got.Enc.Name() != c.want {
			t.Errorf("%s: %s, want %s", c.key, got.Enc.Name(), c.want)
		}
		if strings.SplitN(describe(got), ":", 2)[1] != strings.SplitN(describe(objs[c.key]), ":", 2)[1] {
			t.Errorf("%s: contents changed: %s", c.key, describe(got))
		}
	}
	// A small skiplist zset and hash table hash come back compact.
	z := datatypes.NewZSet(1, nil)
	z.Add("a", 1, 0)
	got, err := DecodeDump(DumpPayload(datatypes.NewObject(datatypes.TypeZSet, datatypes.EncSkiplist, z), false), defaultLimits)
	if err != nil || got.Enc != datatypes.EncListpack {
		t.Errorf("small zset: %v %v", describe(got), err)
	}
	hd := datatypes.NewDict[string](1)
	hd.Set("a", "b")
	got, err = DecodeDump(DumpPayload(datatypes.NewObject(datatypes.TypeHash, datatypes.EncHT, hd), false), defaultLimits)
	if err != nil || got.Enc != datatypes.EncListpack {
		t.Errorf("small hash: %v %v", describe(got), err)
	}
	sd := datatypes.NewDict[struct{}](1)
	sd.Set("1", struct{}{})
	sd.Set("2", struct{}{})
	got, err = DecodeDump(DumpPayload(datatypes.NewObject(datatypes.TypeSet, datatypes.EncHT, sd), false), defaultLimits)
	if err != nil || got.Enc != datatypes.EncIntset {
		t.Errorf("integer set: %v %v", describe(got), err)
	}
}

// payload wraps a type byte and value in a valid DUMP footer.
func payload(body ...byte) []byte {
	b := binary.LittleEndian.AppendUint16(append([]byte(nil), body...), Version)
	return binary.LittleEndian.AppendUint64(b, CRC64(0, b))
}

func TestDecodeDumpErrors(t *testing.T) {
	good := DumpPayload(datatypes.NewString([]byte("hello")), false)
	badCRC := append([]byte(nil), good...)
	badCRC[len(badCRC)-1] ^= 1
	newer := append([]byte(nil), good[:len(good)-10]...)
	newer = binary.LittleEndian.AppendUint16(newer, 11)
	newer = binary.LittleEndian.AppendUint64(newer, CRC64(0, newer))
	for name, p := range map[string][]byte{"short": good[:9], "crc": badCRC, "version": newer} {
		if _, err := DecodeDump(p, defaultLimits); err != ErrDumpVersion {
			t.Errorf("%s: %v, want ErrDumpVersion", name, err)
		}
	}
	corrupt := map[string][]byte{
		"unknown type":   payload(8, 1, 'x'),
		"module":         payload(7, 1),
		"huge length":    payload(0, 0x80, 0xff, 0xff, 0xff, 0xff, 'a'),
		"huge 64 length": payload(0, 0x81, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
		"empty list":     payload(typeListQuicklist2, 0),
		"bad container":  payload(typeListQuicklist2, 1, 3, 1, 'a'),
		"bad listpack":   payload(typeListQuicklist2, 1, 2, 3, 1, 2, 3),
		"dup set":        payload(typeSet, 2, 1, 'a', 1, 'a'),
		"dup int set":    payload(typeSet, 2, 0xC0, 1, 0xC0, 1),
		"dup hash":       payload(typeHash, 2, 1, 'a', 1, 'b', 1, 'a', 1, 'c'),
		"dup zset":       payload(typeZSet2, 2, 1, 'a', 0, 0, 0, 0, 0, 0, 0, 0, 1, 'a', 0, 0, 0, 0, 0, 0, 0, 0),
		"nan zset":       payload(typeZSet, 1, 1, 'a', 253),
		"bad lzf":        payload(0, 0xC3, 2, 30, 0xff, 0xff),
		"lzf ratio":      payload(0, 0xC3, 1, 0x81, 0, 0, 0, 1, 0, 0, 0, 0, 0),
		"truncated":      payload(0, 5, 'a'),
		"bad intset":     payload(typeSetIntset, 3, 1, 2, 3),
		"empty set":      payload(typeSet, 0),
		"stream":         payload(typeStreamListpacks2, 0),
	}
	for name, p := range corrupt {
		_, err := DecodeDump(p, defaultLimits)
		var ce *CorruptError
		if !errors.As(err, &ce) {
			t.Errorf("%s: %v, want a CorruptError", name, err)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf, WriteOptions{Checksum: true})
	must(t, w.Header(nil))
	must(t, w.SelectDB(0, 1, 0))
	must(t, w.Entry("k", datatypes.NewString([]byte("value")), -1, -1, -1))
	must(t, w.Finish())
	good := buf.Bytes()
	if _, err := loadBytes(good, defaultLimits); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(good); i++ {
		if _, err := loadBytes(good[:i], defaultLimits); err == nil {
			t.Fatalf("truncated at %d: no error", i)
		}
	}
	flip := append([]byte(nil), good...)
	flip[len(flip)-12] ^= 0x20 // inside "value"
	_, err := loadBytes(flip, defaultLimits)
	var ce *CorruptError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "checksum") || !strings.Contains(err.Error(), "at offset") {
		t.Fatalf("flipped byte: %v", err)
	}
	zeroSum := append(append([]byte(nil), flip[:len(flip)-8]...), 0, 0, 0, 0, 0, 0, 0, 0)
	if _, err := loadBytes(zeroSum, defaultLimits); err != nil {
		t.Fatalf("zero checksum must not be verified: %v", err)
	}
	for name, b := range map[string][]byte{
		"signature":  []byte("REDIX0010\xff"),
		"version":    []byte("REDIS0012\xff"),
		"old fn":     []byte("REDIS0010\xf6"),
		"module aux": []byte("REDIS0010\xf7\x01\x02\x02\x05"),
		"opcode":     []byte("REDIS0010\x16"),
	} {
		if _, err := loadBytes(b, defaultLimits); !errors.As(err, &ce) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// Empty module AUX data and empty keys are skipped, as in Redis.
	h, err := loadBytes([]byte("REDIS0010\xf7\x01\x02\x02\x00\x0e\x01k\x00\xff\x00\x00\x00\x00\x00\x00\x00\x00"), defaultLimits)
	if err != nil || len(h.entries) != 0 {
		t.Errorf("empty module aux / empty key: %v %d", err, len(h.entries))
	}
	// Version 4 files have no checksum; old EXPIRETIME (seconds) loads.
	h, err = loadBytes([]byte("REDIS0004\xfd\x10\x00\x00\x00\x00\x01k\x01v\xff"), defaultLimits)
	if err != nil || len(h.entries) != 1 || h.entries[0].ExpireAt != 16000 {
		t.Errorf("rdb 4: %v %+v", err, h.entries)
	}
}

// TestLoadProgress: the callback runs as the reader passes each MB.
func TestLoadProgress(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf, WriteOptions{})
	must(t, w.Header(nil))
	must(t, w.SelectDB(0, 3, 0))
	for i := 0; i < 3; i++ {
		must(t, w.Entry("k"+strconv.Itoa(i), datatypes.NewString(bytes.Repeat([]byte{'a' + byte(i)}, 1<<20)), -1, -1, -1))
	}
	must(t, w.Finish())
	var calls []int64
	h := &memHandler{}
	if err := Load(bytes.NewReader(buf.Bytes()), LoadOptions{Limits: defaultLimits, Progress: func(off int64) { calls = append(calls, off) }}, h); err != nil {
		t.Fatal(err)
	}
	if len(calls) < 2 || len(h.entries) != 3 || h.entries[2].Val.StringLen() != 1<<20 {
		t.Fatalf("progress calls %v, %d entries", calls, len(h.entries))
	}
}
