package server

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// helloPayload is redis-server 7.0.15's DUMP of the string "hello".
const helloPayload = "\x00\x05hello\x0a\x00\x63\x72\xdf\x76\x65\x34\x20\x0a"

// TestDumpRestoreDifferential runs the same commands against Ferrite and a
// real redis-server and compares the raw replies: DUMP payloads of the
// order-independent encodings byte for byte, and every RESTORE error.
func TestDumpRestoreDifferential(t *testing.T) {
	r := startRedis(t)
	c := dial(t, startServer(t))
	bigList := []string{"RPUSH", "lbig"}
	for i := 0; i < 300; i++ {
		bigList = append(bigList, "element-"+strconv.Itoa(i)+strings.Repeat("x", i%40))
	}
	zbig := []string{"ZADD", "zbig"}
	for i := 0; i < 200; i++ {
		zbig = append(zbig, strconv.Itoa(i*3-100), "m"+strconv.Itoa(i))
	}
	cmds := [][]string{
		{"SET", "k", "123"}, {"DUMP", "k"},
		{"SET", "big", "-9223372036854775808"}, {"DUMP", "big"},
		{"SET", "s", "hello"}, {"DUMP", "s"},
		{"SET", "long", strings.Repeat("abcdefgh", 20)}, {"DUMP", "long"},
		{"RPUSH", "l", "a", "b", "12", "-7000"}, {"DUMP", "l"},
		// Redis's LZF output depends on a stale hash table, so compare the
		// bigger values uncompressed (persistence tests cross-RESTORE LZF).
		{"CONFIG", "SET", "rdbcompression", "no"},
		bigList, {"DUMP", "lbig"},
		{"HSET", "h", "f", "v", "n", "5"}, {"DUMP", "h"},
		{"ZADD", "z", "1", "a", "2.5", "b"}, {"DUMP", "z"},
		zbig, {"DUMP", "zbig"}, {"OBJECT", "ENCODING", "zbig"},
		{"SADD", "si", "3", "1", "2"}, {"DUMP", "si"},
		{"CONFIG", "SET", "rdbcompression", "yes"},
		{"XADD", "x", "1-1", "a", "1"}, {"XADD", "x", "2-0", "b", "2", "c", "3"}, {"XDEL", "x", "1-1"},
		{"XGROUP", "CREATE", "x", "g", "0"}, {"DUMP", "x"},
		{"DUMP", "nokey"},
		{"RESTORE", "k", "0", "x"},
		{"RESTORE", "k2", "-1", "x"},
		{"RESTORE", "k2", "abc", "x"},
		{"RESTORE", "k2", "0", "x"},
		{"RESTORE", "k2", "0", "xxxxxxxxxxxxxxx"},
		{"RESTORE", "k2", "0", "x", "IDLETIME", "1", "FREQ", "2"},
		{"RESTORE", "k2", "0", "x", "FREQ", "2", "IDLETIME", "1"},
		{"RESTORE", "k2", "0", "x", "IDLETIME", "-1"},
		{"RESTORE", "k2", "0", "x", "FREQ", "256"},
		{"RESTORE", "k2", "0", "x", "FREQ", "-1"},
		{"RESTORE", "k2", "0", "x", "FREQ"},
		{"RESTORE", "k2", "0", "x", "IDLETIME", "abc"},
		{"RESTORE", "k2", "0", "x", "FOO"},
		{"RESTORE", "k", "-5", "x", "REPLACE"},
		{"RESTORE", "k2", "0", "\x00\x05hello\x0b\x00\x63\x72\xdf\x76\x65\x34\x20\x0a"}, // version 11
		{"RESTORE", "k2", "0", "\x00\x05hello\x0a\x00\x63\x72\xdf\x76\x65\x34\x20\x0b"}, // crc
		{"RESTORE", "k2", "0", "\x08\x05hello\x0a\x00\x86\x6e\x83\x4f\x6b\x2b\x2d\x4c"},
		{"RESTORE", "k2", "0", helloPayload}, {"GET", "k2"}, {"OBJECT", "ENCODING", "k2"}, {"TTL", "k2"},
		{"RESTORE", "k2", "0", helloPayload},
		{"RESTORE", "k", "0", helloPayload, "REPLACE"}, {"GET", "k"},
		{"RESTORE", "t", "4102444800000", helloPayload, "ABSTTL"}, {"PEXPIRETIME", "t"},
		{"RESTORE", "past", "1", helloPayload, "ABSTTL"}, {"EXISTS", "past"},
		{"RESTORE", "k", "1", helloPayload, "ABSTTL", "REPLACE"}, {"EXISTS", "k"},
		{"RESTORE", "i", "0", helloPayload, "IDLETIME", "1000"}, {"OBJECT", "IDLETIME", "i"},
		{"RESTORE", "f", "0", helloPayload, "FREQ", "5"}, {"OBJECT", "IDLETIME", "f"},
		{"RESTORE", "f2", "0", helloPayload, "freq", "5", "replace", "absttl"},
		{"RESTORE", "l2", "0", "\x12\x01\x02\x0b\x0b\x00\x00\x00\x01\x00\x81a\x02\xff\x0a\x00\xbf\x10\x1b\xd3\x93\x31\x0f\xd4"},
		{"LRANGE", "l2", "0", "-1"},
		{"RESTORE", "empty", "0", "\x12\x00\x0a\x00\x5a\xd3\x2b\x4e\x3b\x8e\x6f\x7e"},
	}
	for _, cmd := range cmds {
		want := r.Do(cmd...)
		if got := c.Do(cmd...); got != want {
			t.Errorf("%q:\n got %q\nwant %q", cmd, got, want)
		}
	}
	// Redis's payloads restore here into values that dump back the same.
	r.Do("CONFIG", "SET", "rdbcompression", "no")
	c.Do("CONFIG", "SET", "rdbcompression", "no")
	for _, key := range []string{"big", "s", "long", "l", "lbig", "h", "z", "zbig", "si", "x"} {
		dump := r.Do("DUMP", key)
		payload := dump[strings.Index(dump, "\r\n")+2 : len(dump)-2]
		c.expect("+OK\r\n", "RESTORE", key+":r", "0", payload)
		c.expect(dump, "DUMP", key+":r")
		c.expect(r.Do("OBJECT", "ENCODING", key), "OBJECT", "ENCODING", key+":r")
	}
	c.expect(r.Do("XINFO", "GROUPS", "x"), "XINFO", "GROUPS", "x:r")
}

// TestRestorePropagation: a relative TTL goes out as an absolute one with
// ABSTTL; a TTL already past deletes (propagating DEL) or does nothing.
func TestRestorePropagation(t *testing.T) {
	e := newClockEnv(t, &feedRecorder{sep: " "})
	e.c.expect("+OK\r\n", "RESTORE", "k", "1000", helloPayload)
	e.expectFeed("0 RESTORE k " + strconv.FormatInt(testEpoch+1000, 10) + " " + helloPayload + " ABSTTL")
	e.c.expect(":"+strconv.FormatInt(testEpoch+1000, 10)+"\r\n", "PEXPIRETIME", "k")
	e.c.expect("+OK\r\n", "RESTORE", "n", "0", helloPayload, "IDLETIME", "5")
	e.expectFeed("0 RESTORE n 0 " + helloPayload + " IDLETIME 5")
	e.c.expect(":5\r\n", "OBJECT", "IDLETIME", "n")
	e.c.expect("+OK\r\n", "RESTORE", "a", strconv.FormatInt(testEpoch+50, 10), helloPayload, "ABSTTL")
	e.expectFeed("0 RESTORE a " + strconv.FormatInt(testEpoch+50, 10) + " " + helloPayload + " ABSTTL")

	// Past TTL over an existing key: the key goes, and a DEL says so.
	e.c.expect("+OK\r\n", "RESTORE", "k", strconv.FormatInt(testEpoch-1, 10), helloPayload, "ABSTTL", "REPLACE")
	e.expectFeed("0 DEL k")
	e.c.expect(":0\r\n", "EXISTS", "k")
	// Past TTL, no key: nothing happens at all.
	e.c.expect("+OK\r\n", "RESTORE", "gone", "1", helloPayload, "ABSTTL")
	e.expectFeed()
	e.c.expect(":0\r\n", "EXISTS", "gone")
	// Errors propagate nothing.
	e.c.expect("-BUSYKEY Target key name already exists.\r\n", "RESTORE", "n", "0", helloPayload)
	e.expectFeed()
	e.advance(time.Second)
}

func TestRestoreLazyfreeAndFreq(t *testing.T) {
	e := newClockEnv(t, &feedRecorder{sep: " "}, func(c *Config) {
		c.LazyfreeLazyServerDel = true
		c.MaxMemoryPolicy = "allkeys-lfu"
	})
	e.c.expect("+OK\r\n", "SET", "k", "v")
	e.expectFeed("0 SET k v")
	e.c.expect("+OK\r\n", "RESTORE", "k", "1", helloPayload, "ABSTTL", "REPLACE")
	e.expectFeed("0 UNLINK k")
	e.c.expect("+OK\r\n", "RESTORE", "f", "0", helloPayload, "FREQ", "100")
	e.expectFeed("0 RESTORE f 0 " + helloPayload + " FREQ 100")
	e.c.expect(":100\r\n", "OBJECT", "FREQ", "f")
}

// TestDumpRestoreEncodings: a RESTOREd value takes this server's limits,
// as rdbLoadObject converts with the loading server's config.
func TestDumpRestoreEncodings(t *testing.T) {
	c := dial(t, startServer(t))
	c.expect(":3\r\n", "HSET", "h", "a", "1", "b", "2", "c", "3")
	dump := c.Do("DUMP", "h")
	payload := dump[strings.Index(dump, "\r\n")+2 : len(dump)-2]
	c.expect("+OK\r\n", "CONFIG", "SET", "hash-max-listpack-entries", "2")
	c.expect("+OK\r\n", "RESTORE", "h2", "0", payload)
	c.expect("$9\r\nhashtable\r\n", "OBJECT", "ENCODING", "h2")
	c.expect("$1\r\n2\r\n", "HGET", "h2", "b")
	c.expect("+OK\r\n", "CONFIG", "SET", "rdbcompression", "no")
	c.expect("+OK\r\n", "SET", "s", strings.Repeat("a", 100))
	if got := c.Do("DUMP", "s"); !strings.HasPrefix(got, "$113\r\n\x00\x40\x64"+strings.Repeat("a", 100)+"\x0a\x00") {
		t.Errorf("DUMP with rdbcompression no: %q", got)
	}
	c.expect("+OK\r\n", "CONFIG", "SET", "rdbcompression", "yes")
	if got := c.Do("DUMP", "s"); !strings.HasPrefix(got, "$") || len(got) > 40 || got[strings.Index(got, "\r\n")+3] != 0xC3 {
		t.Errorf("DUMP with rdbcompression yes is not LZF: %q", got)
	}
}
