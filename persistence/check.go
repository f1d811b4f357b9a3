package persistence

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// CheckRDB is redis-check-rdb: it reads the RDB file at path with Load,
// writes redis-check-rdb's report to out and returns the exit status (0 when
// the file loads, 1 otherwise). The lines are Redis 7.0's:
//
//	[offset 0] Checking RDB file dump.rdb
//	[offset 27] AUX FIELD redis-ver = '7.0.15'
//	[offset 82] Selecting DB ID 0
//	[offset 178] Checksum OK
//	[offset 178] \o/ RDB looks OK! \o/
//	[info] 5 keys read
//	[info] 2 expires
//	[info] 0 already expired
//
// and on failure "--- RDB ERROR DETECTED ---", "[offset N] reason" and the
// [info] lines (the reason in Redis's words where it has them). Offsets are
// the bytes consumed when the line's item was read, as Redis's
// processed_bytes. Not reproduced, since Load does not report them: the
// "[additional info]" lines (which key and what step failed), and the key
// whose value was cut short (Redis counts it in "keys read").
func CheckRDB(path string, out io.Writer) int {
	return checkRDB(path, out, time.Now().UnixMilli())
}

// checkRDB is CheckRDB with the clock for "already expired" given.
func checkRDB(path string, out io.Writer, nowMs int64) int {
	w := bufio.NewWriter(out)
	defer w.Flush()
	fmt.Fprintf(w, "[offset 0] Checking RDB file %s\n", path)
	f, err := os.Open(path)
	if err != nil {
		// redis-check-rdb exits 1 without a word when fopen fails.
		return 1
	}
	defer f.Close()
	cr := &checkReader{r: bufio.NewReaderSize(f, 64<<10)}
	c := &checker{w: w, cr: cr, now: nowMs}
	err = Load(cr, LoadOptions{Limits: checkLimits}, c)
	if err != nil {
		off := cr.n
		reason := err.Error()
		inHeader := cr.n < int64(len(cr.head))
		var ce *CorruptError
		if errors.As(err, &ce) {
			off, reason = ce.Offset, redisCheckReason(ce.Reason, cr.version())
			inHeader = inHeader || strings.HasPrefix(ce.Reason, "wrong signature") ||
				strings.HasPrefix(ce.Reason, "can't handle")
		}
		c.announceDB()
		st := c.failedAt(inHeader)
		if st.key != nil {
			c.keys++ // Redis counts a key once its name is read
		}
		fmt.Fprintf(w, "--- RDB ERROR DETECTED ---\n[offset %d] %s\n", off, reason)
		fmt.Fprintf(w, "[additional info] While doing: %s\n", st.doing)
		if st.key != nil {
			fmt.Fprintf(w, "[additional info] Reading key '%s'\n", cString(st.key))
		}
		if st.keyType >= 0 {
			name := "unknown"
			if st.keyType < len(rdbTypeNames) {
				name = rdbTypeNames[st.keyType]
			}
			fmt.Fprintf(w, "[additional info] Reading type %d (%s)\n", st.keyType, name)
		}
		c.info()
		return 1
	}
	if cr.version() >= 5 {
		if cr.tail == [8]byte{} {
			c.line("RDB file was saved with checksum disabled: no check performed.")
		} else {
			c.line("Checksum OK")
		}
	}
	c.line(`\o/ RDB looks OK! \o/`)
	c.info()
	return 0
}

// redisCheckReasons give, for Load's reasons that redis-check-rdb also
// reports, its exact words (scripts match them); other reasons pass as is.
var redisCheckReasons = []struct{ prefix, redis string }{
	{"unexpected end of input", "Unexpected EOF reading RDB file"},
	{"wrong RDB checksum", "RDB CRC error"},
	{"wrong signature", "Wrong signature trying to load DB from file"},
	{"can't handle RDB format version", ""}, // formatted by redisCheckReason
}

func redisCheckReason(reason string, version int) string {
	for _, r := range redisCheckReasons {
		if strings.HasPrefix(reason, r.prefix) {
			if r.redis == "" {
				return fmt.Sprintf("Can't handle RDB format version %d", version)
			}
			return r.redis
		}
	}
	return reason
}

// rdbTypeNames are redis-check-rdb's names of the RDB types (7.0).
var rdbTypeNames = []string{
	"string", "list-linked", "set-hashtable", "zset-v1", "hash-hashtable",
	"zset-v2", "module-pre-release", "module-value", "", "hash-zipmap",
	"list-ziplist", "set-intset", "zset-ziplist", "hash-ziplist",
	"quicklist", "stream", "hash-listpack", "zset-listpack",
	"quicklist-v2", "stream-v2",
}

// checkState is what redis-check-rdb's rdbstate says when an error stops it.
type checkState struct {
	doing   string // rdb_check_doing_string
	key     []byte // the key whose value was being read, nil if none
	keyType int    // the type byte of the current key, -1 if none
}

// failedAt works out, from the bytes consumed since the last callback, the
// step Redis would have been in when Load failed. It decodes them with
// Load's own decoder over the kept bytes: whatever it cannot complete is
// where the input gave out (or was found bad).
func (c *checker) failedAt(inHeader bool) checkState {
	// Until a first key completes, Redis's key_type is still the 0 that
	// static storage starts with.
	st := checkState{doing: "read-type", keyType: -1}
	if c.keys == 0 {
		st.keyType = 0
	}
	if inHeader {
		st.doing = "start"
		return st
	}
	d := &decoder{buf: c.cr.pending, w: len(c.cr.pending)}
	for {
		t, err := d.byte()
		if err != nil {
			return st
		}
		switch t {
		case opExpire, opExpireMS:
			st.doing = "read-expire"
			n := 4
			if t == opExpireMS {
				n = 8
			}
			if _, err := d.fixed(n); err != nil {
				return st
			}
		case opFreq:
			if _, err := d.byte(); err != nil {
				return st
			}
		case opIdle:
			if _, err := d.plainLen(); err != nil {
				return st
			}
		case opEOF:
			st.doing = "check-sum"
			return st
		case opSelectDB, opResizeDB:
			st.doing = "read-len"
			n := 1
			if t == opResizeDB {
				n = 2
			}
			for ; n > 0; n-- {
				if _, err := d.plainLen(); err != nil {
					return st
				}
			}
		case opAux:
			st.doing = "read-aux"
			return st
		case opModuleAux:
			st.doing = "read-module-aux"
			return st
		case opFunction2:
			st.doing = "read-functions"
			return st
		default:
			if !isObjectType(t) {
				return st
			}
			st.keyType = int(t)
			st.doing = "read-key"
			key, err := d.string()
			if err != nil {
				return st
			}
			st.key = key
			st.doing = "read-object-value"
			return st
		}
		st.doing = "read-type"
	}
}

// checkLimits are Redis's defaults: the checker builds values only to
// validate them, so the encodings chosen do not matter.
var checkLimits = Limits{
	HashMaxListpackEntries: 128, HashMaxListpackValue: 64,
	SetMaxIntsetEntries:    512,
	ZsetMaxListpackEntries: 128, ZsetMaxListpackValue: 64,
	ListMaxListpackSize: -2,
}

// checkReader counts the bytes Load consumes so that a line printed from a
// Load callback carries Redis's offset. It hands out one byte per Read:
// Load's decoder buffers ahead whatever a Read returns, and at one byte a
// time it holds nothing beyond what it has consumed when a callback runs.
// (That costs speed — tens of MB/s — acceptable for an offline checker.)
// It also keeps the signature (for the version), the last 8 bytes (the
// CRC, to tell "checksum disabled" from "Checksum OK") and the first bytes
// consumed since the last callback (to find a SELECTDB there).
type checkReader struct {
	r       *bufio.Reader
	n       int64
	head    [9]byte
	tail    [8]byte
	pending []byte // up to pendingMax bytes consumed since the last mark
	markAt  int64  // the offset of the last mark
	// announced is set once a SELECTDB in pending has been printed.
	announced bool
}

// pendingMax bounds the bytes kept since the last callback: enough for the
// opcodes before a key and the key itself, to say what failed as Redis does.
const pendingMax = 64 << 10

// mark starts recording the bytes of the next item.
func (cr *checkReader) mark() {
	cr.pending, cr.markAt, cr.announced = cr.pending[:0], cr.n, false
}

// selectDB decodes a SELECTDB at the start of the pending bytes: the
// database and the offset where its operand ends, where redis-check-rdb
// prints the selection.
func (cr *checkReader) selectDB() (db uint64, end int64, ok bool) {
	p := cr.pending
	if len(p) < 2 || p[0] != opSelectDB {
		return 0, 0, false
	}
	var n int
	switch {
	case p[1]>>6 == len6:
		db, n = uint64(p[1]&0x3F), 1
	case p[1]>>6 == len14 && len(p) >= 3:
		db, n = uint64(p[1]&0x3F)<<8|uint64(p[2]), 2
	case p[1] == len32 && len(p) >= 6:
		db, n = uint64(binary.BigEndian.Uint32(p[2:])), 5
	case p[1] == len64 && len(p) >= 10:
		db, n = binary.BigEndian.Uint64(p[2:]), 9
	default:
		return 0, 0, false
	}
	return db, cr.markAt + 1 + int64(n), true
}

func (cr *checkReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	b, err := cr.r.ReadByte()
	if err != nil {
		return 0, err
	}
	if cr.n < int64(len(cr.head)) {
		cr.head[cr.n] = b
	}
	if cr.n >= int64(len(cr.head)) && len(cr.pending) < pendingMax {
		cr.pending = append(cr.pending, b)
	}
	copy(cr.tail[:], cr.tail[1:])
	cr.tail[7] = b
	cr.n++
	p[0] = b
	return 1, nil
}

// version is the RDB version in the signature, read as C's atoi reads it.
func (cr *checkReader) version() int {
	v := 0
	for _, c := range cr.head[5:] {
		if c < '0' || c > '9' {
			break
		}
		v = v*10 + int(c-'0')
	}
	return v
}

// checker is the LoadHandler that prints and counts.
type checker struct {
	w   *bufio.Writer
	cr  *checkReader
	now int64 // unix ms, for "already expired"

	keys, expires, expired uint64
}

func (c *checker) line(msg string) {
	fmt.Fprintf(c.w, "[offset %d] %s\n", c.cr.n, msg)
}

func (c *checker) info() {
	fmt.Fprintf(c.w, "[info] %d keys read\n[info] %d expires\n[info] %d already expired\n", c.keys, c.expires, c.expired)
}

// cString is what C's %s prints of a Redis string: up to the first NUL.
func cString(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}

func (c *checker) Aux(key, val []byte) error {
	c.line(fmt.Sprintf("AUX FIELD %s = '%s'", cString(key), cString(val)))
	c.cr.mark()
	return nil
}

// announceDB prints "Selecting DB ID" for a SELECTDB read since the last
// callback. Load reports no SELECTDB, so the checker finds it in the bytes
// (it comes first in what follows the previous item) when RESIZEDB, a key,
// or an error is reported.
func (c *checker) announceDB() {
	db, end, ok := c.cr.selectDB()
	if !ok || c.cr.announced {
		return
	}
	c.cr.announced = true
	fmt.Fprintf(c.w, "[offset %d] Selecting DB ID %d\n", end, db)
}

func (c *checker) ResizeDB(db int, size, expires uint64) {
	c.announceDB()
	c.cr.mark()
}

func (c *checker) Entry(e *Entry) error {
	c.announceDB()
	c.keys++
	if e.ExpireAt != -1 {
		c.expires++
		if e.ExpireAt < c.now {
			c.expired++
		}
	}
	c.cr.mark()
	return nil
}

func (c *checker) Function(code []byte) error {
	c.cr.mark()
	return nil
}
