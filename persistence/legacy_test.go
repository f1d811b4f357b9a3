package persistence

import (
	"encoding/binary"
	"strconv"
	"strings"
	"testing"

	"ferrite/datatypes"
)

// ziplist encodes elements as Redis 6's ziplist.c would: canonical
// integers as int16/int32/int64 (or the 4-bit immediate form), the rest as
// strings.
func ziplist(elems ...string) []byte {
	var body []byte
	prevlen, tail := 0, 10
	for _, e := range elems {
		start := len(body)
		if prevlen < 254 {
			body = append(body, byte(prevlen))
		} else {
			body = binary.LittleEndian.AppendUint32(append(body, 0xFE), uint32(prevlen))
		}
		if v, ok := datatypes.ParseInt([]byte(e)); ok {
			switch {
			case v >= 0 && v <= 12:
				body = append(body, 0xF1+byte(v))
			case v >= -32768 && v <= 32767:
				body = binary.LittleEndian.AppendUint16(append(body, 0xC0), uint16(v))
			case v >= -1<<31 && v < 1<<31:
				body = binary.LittleEndian.AppendUint32(append(body, 0xD0), uint32(v))
			default:
				body = binary.LittleEndian.AppendUint64(append(body, 0xE0), uint64(v))
			}
		} else {
			switch n := len(e); {
			case n <= 63:
				body = append(body, byte(n))
			case n <= 16383:
				body = append(body, 0x40|byte(n>>8), byte(n))
			default:
				body = binary.BigEndian.AppendUint32(append(body, 0x80), uint32(n))
			}
			body = append(body, e...)
		}
		tail = 10 + start
		prevlen = len(body) - start
	}
	zl := binary.LittleEndian.AppendUint32(nil, uint32(10+len(body)+1))
	zl = binary.LittleEndian.AppendUint32(zl, uint32(tail))
	zl = binary.LittleEndian.AppendUint16(zl, uint16(len(elems)))
	return append(append(zl, body...), 0xFF)
}

// zipmap encodes field/value pairs as Redis 2.x's zipmap.c.
func zipmap(pairs ...string) []byte {
	zm := []byte{byte(len(pairs) / 2)}
	for i, s := range pairs {
		zm = append(zm, byte(len(s)))
		if i%2 == 1 {
			zm = append(zm, 0) // free
		}
		zm = append(zm, s...)
	}
	return append(zm, 0xFF)
}

func blob(b []byte) []byte { return append(appendLen(nil, uint64(len(b))), b...) }

// legacyPayloads are DUMP payloads in the encodings Redis 7.0 still reads
// but no longer writes.
func legacyPayloads() map[string][]byte {
	long := strings.Repeat("L", 70)
	p := map[string][]byte{
		"list-ziplist": payload(append([]byte{typeListZiplist}, blob(ziplist("a", "b", "12", "-300", "70000", "5000000000", long))...)...),
		"quicklist": payload(append(append([]byte{typeListQuicklist, 2}, blob(ziplist("x", "1", "y"))...),
			blob(ziplist("z", long))...)...),
		"zset-ziplist":       payload(append([]byte{typeZSetZiplist}, blob(ziplist("a", "1", "b", "2.5", "c", "-inf"))...)...),
		"hash-ziplist":       payload(append([]byte{typeHashZiplist}, blob(ziplist("f", "v", "n", "5", "long", long))...)...),
		"hash-zipmap":        payload(append([]byte{typeHashZipmap}, blob(zipmap("f", "v", "n", "5"))...)...),
		"hash-zipmap-long":   payload(append([]byte{typeHashZipmap}, blob(zipmap("f", long))...)...),
		"zset-string-scores": payload(typeZSet, 3, 1, 'a', 3, '1', '.', '5', 1, 'b', 254, 1, 'c', 255),
		"list-linked":        payload(typeList, 3, 1, 'a', 0xC0, 7, 1, 'c'),
	}
	var many []string
	for i := 0; i < 600; i++ {
		many = append(many, "f"+strconv.Itoa(i), "v")
	}
	p["hash-ziplist-big"] = payload(append([]byte{typeHashZiplist}, blob(ziplist(many...))...)...)
	return p
}

// TestLegacyEncodingsAgainstRedis restores each legacy payload in
// redis-server 7.0 and here: both must build the same value and encoding.
func TestLegacyEncodingsAgainstRedis(t *testing.T) {
	r := startRedis(t, "")
	for name, p := range legacyPayloads() {
		ours, err := DecodeDump(p, defaultLimits)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got := r.do(t, "RESTORE", name, "0", string(p)); got != "OK" {
			t.Fatalf("%s: Redis RESTORE: %v", name, got)
		}
		theirs, err := DecodeDump([]byte(r.do(t, "DUMP", name).(string)), defaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		if describe(ours) != describe(theirs) {
			t.Errorf("%s:\n ours  %s\n redis %s", name, describe(ours), describe(theirs))
		}
		if enc := r.do(t, "OBJECT", "ENCODING", name); enc != ours.Enc.Name() {
			t.Errorf("%s: encoding %s, Redis %v", name, ours.Enc.Name(), enc)
		}
	}
	// Corrupt legacy payloads: Redis rejects them and so do we.
	bad := map[string][]byte{
		"zipmap-dup":  payload(append([]byte{typeHashZipmap}, blob(zipmap("f", "v", "f", "w"))...)...),
		"ziplist-dup": payload(append([]byte{typeHashZiplist}, blob(ziplist("f", "v", "f", "w"))...)...),
		"ziplist-odd": payload(append([]byte{typeZSetZiplist}, blob(ziplist("a", "1", "b"))...)...),
	}
	for name, p := range bad {
		if _, err := DecodeDump(p, defaultLimits); err == nil {
			t.Errorf("%s: accepted", name)
		}
		if _, err := r.cli.Do(t.Context(), "RESTORE", name, "0", string(p)).Result(); err == nil ||
			!strings.Contains(err.Error(), "Bad data format") {
			t.Errorf("%s: Redis said %v", name, err)
		}
	}
}

// TestSetListpack: Redis 7.2's listpack sets come out as 7.0 would hold
// the same members.
func TestSetListpack(t *testing.T) {
	build := func(ms ...string) []byte {
		lp := datatypes.NewListpack()
		for _, m := range ms {
			lp.Append([]byte(m))
		}
		return payload(append([]byte{typeSetListpack}, blob(lp)...)...)
	}
	for _, c := range []struct {
		members []string
		want    string
	}{
		{[]string{"3", "1", "2"}, `set/intset:"1","2","3"`},
		{[]string{"3", "a"}, `set/hashtable:"3","a"`},
	} {
		o, err := DecodeDump(build(c.members...), defaultLimits)
		if err != nil || describe(o) != c.want {
			t.Errorf("%v: %s %v", c.members, describe(o), err)
		}
	}
	if _, err := DecodeDump(build("a", "a"), defaultLimits); err == nil {
		t.Error("duplicate members accepted")
	}
}

// streamV1Payload is the DUMP of s as Redis 5/6 wrote it
// (RDB_TYPE_STREAM_LISTPACKS): no first ID, max deleted ID, entries added
// or group read counters.
func streamV1Payload(s *datatypes.Stream) []byte {
	e := encoder{b: []byte{typeStreamListpacks}}
	e.length(s.Nodes())
	var key [16]byte
	s.RangeNodes(func(master datatypes.StreamID, lp []byte) bool {
		e.str(appendRawID(key[:0], master))
		e.str(lp)
		return true
	})
	e.b = appendLen(e.b, s.Length)
	e.id(s.LastID)
	e.length(s.GroupCount())
	s.RangeGroups(func(g *datatypes.ConsumerGroup) bool {
		e.str([]byte(g.Name))
		e.id(g.LastID)
		e.length(g.PendingLen())
		g.RangePending(datatypes.StreamID{}, datatypes.MaxStreamID, func(pe *datatypes.PendingEntry) bool {
			e.b = appendRawID(e.b, pe.ID)
			e.b = binary.LittleEndian.AppendUint64(e.b, uint64(pe.DeliveryTime))
			e.b = appendLen(e.b, pe.DeliveryCount)
			return true
		})
		e.length(g.ConsumerCount())
		g.RangeConsumers(func(c *datatypes.Consumer) bool {
			e.str([]byte(c.Name))
			e.b = binary.LittleEndian.AppendUint64(e.b, uint64(c.SeenTime))
			e.length(c.PendingLen())
			c.RangePending(datatypes.StreamID{}, datatypes.MaxStreamID, func(pe *datatypes.PendingEntry) bool {
				e.b = appendRawID(e.b, pe.ID)
				return true
			})
			return true
		})
		return true
	})
	return payload(e.b...)
}

// TestStreamV1AgainstRedis: an old-format stream gets the first ID,
// counters and group read counters Redis 7.0 derives for it.
func TestStreamV1AgainstRedis(t *testing.T) {
	r := startRedis(t, "")
	var st *datatypes.Stream
	for _, so := range sampleObjects() {
		if so.key == "stream" {
			st = so.o.Stream()
		}
	}
	for name, s := range map[string]*datatypes.Stream{"sample": st, "empty": datatypes.NewStream()} {
		p := streamV1Payload(s)
		ours, err := DecodeDump(p, defaultLimits)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := r.do(t, "RESTORE", name, "0", string(p)); got != "OK" {
			t.Fatalf("Redis RESTORE: %v", got)
		}
		theirs, err := DecodeDump([]byte(r.do(t, "DUMP", name).(string)), defaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		if describe(ours) != describe(theirs) {
			t.Errorf("%s:\n ours  %s\n redis %s", name, describe(ours), describe(theirs))
		}
	}
}
