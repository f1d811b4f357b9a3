package server

import (
	"fmt"
	"math/rand"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"ferrite/datatypes"
)

// hllPair runs the same commands on Ferrite and a real redis-server and
// fails on any difference in the raw replies.
type hllPair struct {
	t        *testing.T
	fer, red *testConn
}

func newHLLPair(t *testing.T) *hllPair {
	red := startRedis(t)
	return &hllPair{t: t, fer: dial(t, startServer(t)), red: red}
}

func (p *hllPair) same(args ...string) string {
	p.t.Helper()
	want := p.red.Do(args...)
	got := p.fer.Do(args...)
	if got != want {
		p.t.Fatalf("%.200s: ferrite %.300q, redis %.300q", strings.Join(args, " "), got, want)
	}
	return got
}

func hllSeed(t *testing.T) int64 {
	seed := time.Now().UnixNano()
	if s := os.Getenv("SEED"); s != "" {
		seed, _ = strconv.ParseInt(s, 10, 64)
	}
	t.Logf("SEED=%d", seed)
	return seed
}

func TestHLLErrors(t *testing.T) {
	s := startServer(t)
	c := dial(t, s)
	c.expect(":1\r\n", "PFADD", "h", "a", "b", "c")
	c.expect(":0\r\n", "PFADD", "h", "a")
	c.expect(":1\r\n", "PFADD", "new")
	c.expect(":0\r\n", "PFADD", "new")
	c.expect(":3\r\n", "PFCOUNT", "h")
	c.expect(":0\r\n", "PFCOUNT", "missing")
	c.expect("+sparse\r\n", "PFDEBUG", "ENCODING", "h")
	c.expect("$44\r\nZ:8436 v:1,1 Z:4274 v:2,1 Z:3068 v:1,1 Z:603\r\n", "PFDEBUG", "DECODE", "h")
	c.expect(":1\r\n", "PFDEBUG", "TODENSE", "h")
	c.expect(":0\r\n", "PFDEBUG", "todense", "h")
	c.expect("+dense\r\n", "PFDEBUG", "encoding", "h")
	c.expect("-ERR HLL encoding is not sparse\r\n", "PFDEBUG", "DECODE", "h")
	c.expect("-ERR Unknown PFDEBUG subcommand 'foo'\r\n", "PFDEBUG", "foo", "h")
	c.expect("-ERR The specified key does not exist\r\n", "PFDEBUG", "getreg", "nokey")
	c.expect(":3\r\n", "PFCOUNT", "h")
	c.expect("+OK\r\n", "SET", "s", "hello")
	c.expect("-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n", "PFADD", "s", "x")
	c.expect("-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n", "PFCOUNT", "h", "s")
	c.expect("-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n", "PFMERGE", "h", "s")
	c.expect("+OK\r\n", "SET", "i", "1234")
	c.expect("-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n", "PFCOUNT", "i")
	c.expect(":1\r\n", "LPUSH", "l", "a")
	c.expect("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "PFCOUNT", "l")
	c.expect("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "PFDEBUG", "encoding", "l")
	c.expect("+OK\r\n", "PFSELFTEST")
	// Corrupted sparse: the opcodes cover too few registers.
	c.expect("+OK\r\n", "SET", "bad", "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f\xfe")
	c.expect("-INVALIDOBJ Corrupted HLL object detected\r\n", "PFCOUNT", "bad")
	c.expect("-INVALIDOBJ Corrupted HLL object detected\r\n", "PFCOUNT", "bad", "h")
	c.expect("-INVALIDOBJ Corrupted HLL object detected\r\n", "PFMERGE", "d", "bad")
	c.expect("-INVALIDOBJ Corrupted HLL object detected\r\n", "PFDEBUG", "GETREG", "bad")
	// GETREG converts to dense and replies all 16384 registers.
	c.expect(":1\r\n", "PFADD", "g", "a")
	reply := c.Do("PFDEBUG", "GETREG", "g")
	if !strings.HasPrefix(reply, "*16384\r\n") || strings.Count(reply, ":0\r\n") != 16383 {
		t.Errorf("GETREG: %.100q", reply)
	}
}

// TestHLLDifferentialCounts adds the same elements to both servers in
// growing batches, so values pass through every sparse shape and the
// promotion to dense, comparing PFCOUNT, the stored bytes, the encoding
// and the sparse decoding after each batch.
func TestHLLDifferentialCounts(t *testing.T) {
	p := newHLLPair(t)
	r := rand.New(rand.NewSource(hllSeed(t)))
	total := 0
	for _, batch := range []int{1, 1, 2, 5, 10, 30, 100, 300, 500, 1000, 3000, 10000, 50000} {
		args := []string{"PFADD", "h"}
		for i := 0; i < batch; i++ {
			args = append(args, fmt.Sprintf("e%d:%d", total, r.Intn(1<<30)))
			total++
		}
		p.same(args...)
		p.same("GET", "h")
		p.same("PFCOUNT", "h")
		p.same("GET", "h") // the cached cardinality
		p.same("PFCOUNT", "h")
		enc := p.same("PFDEBUG", "ENCODING", "h")
		if enc == "+sparse\r\n" {
			p.same("PFDEBUG", "DECODE", "h")
		}
		p.same("OBJECT", "ENCODING", "h")
	}
	// Re-adding known elements changes nothing.
	p.same("PFADD", "h", "e0:1", "e1:2")
	// A small sparse limit promotes early.
	p.same("CONFIG", "SET", "hll-sparse-max-bytes", "40")
	for i := 0; i < 60; i++ {
		p.same("PFADD", "small", strconv.Itoa(i))
		p.same("PFDEBUG", "ENCODING", "small")
		p.same("GET", "small")
	}
	p.same("PFCOUNT", "small")
}

// TestHLLCrossLoad moves values both ways by GET and SET and checks they
// count and grow identically.
func TestHLLCrossLoad(t *testing.T) {
	p := newHLLPair(t)
	r := rand.New(rand.NewSource(hllSeed(t)))
	for _, n := range []int{0, 1, 7, 100, 1000, 5000} {
		for dir, pair := range [][2]*testConn{{p.red, p.fer}, {p.fer, p.red}} {
			key := fmt.Sprintf("x%d-%d", n, dir)
			from, to := pair[0], pair[1]
			args := []string{"PFADD", key}
			for i := 0; i < n; i++ {
				args = append(args, strconv.Itoa(r.Int()))
			}
			from.Do(args...)
			from.Do("PFCOUNT", key)
			val := from.Do("GET", key)
			_, body, _ := strings.Cut(val, "\r\n")
			body = strings.TrimSuffix(body, "\r\n")
			if got := to.Do("SET", key, body); got != "+OK\r\n" {
				t.Fatalf("SET: %q", got)
			}
			if a, b := from.Do("PFCOUNT", key), to.Do("PFCOUNT", key); a != b {
				t.Fatalf("n=%d dir=%d: PFCOUNT %q then %q", n, dir, a, b)
			}
			more := []string{"PFADD", key}
			for i := 0; i < 50; i++ {
				more = append(more, strconv.Itoa(r.Int()))
			}
			if a, b := from.Do(more...), to.Do(more...); a != b {
				t.Fatalf("PFADD after load: %q then %q", a, b)
			}
			if a, b := from.Do("GET", key), to.Do("GET", key); a != b {
				t.Fatalf("n=%d dir=%d: values differ after PFADD", n, dir)
			}
		}
	}
}

func TestHLLDifferentialMerge(t *testing.T) {
	p := newHLLPair(t)
	r := rand.New(rand.NewSource(hllSeed(t)))
	for i, n := range []int{0, 3, 50, 400, 2000, 20000} {
		args := []string{"PFADD", "src" + strconv.Itoa(i)}
		for j := 0; j < n; j++ {
			args = append(args, strconv.Itoa(r.Intn(30000)))
		}
		p.same(args...)
	}
	p.same("PFMERGE", "d1", "src1", "src2")
	p.same("GET", "d1")
	p.same("PFMERGE", "d2", "src2", "src3", "nokey")
	p.same("GET", "d2")
	p.same("PFMERGE", "d3", "src1", "src5")
	p.same("GET", "d3")
	p.same("PFMERGE", "src2", "src3")
	p.same("GET", "src2")
	p.same("PFMERGE", "d4")
	p.same("GET", "d4")
	p.same("PFMERGE", "d5", "nokey")
	p.same("GET", "d5")
	p.same("PFDEBUG", "TODENSE", "src1")
	p.same("PFMERGE", "d6", "src0", "src1")
	p.same("GET", "d6")
	p.same("PFCOUNT", "src0", "src1", "src2", "src3", "src4", "src5", "nokey")
	p.same("PFCOUNT", "src1", "src3")
	p.same("PFCOUNT", "d3")
	p.same("PFDEBUG", "GETREG", "src4")
	p.same("GET", "src4")
	p.same("SET", "str", "abc")
	p.same("PFMERGE", "str", "src1")
	p.same("PFMERGE", "d1", "str")
}

// TestHLLCorruptDifferential stores randomly damaged values on both
// servers and compares every command's reply: Redis's checks for corrupted
// sparse values are the spec, and Ferrite must never crash.
func TestHLLCorruptDifferential(t *testing.T) {
	p := newHLLPair(t)
	r := rand.New(rand.NewSource(hllSeed(t)))
	var bases []string
	for _, n := range []int{0, 5, 40, 200} {
		args := []string{"PFADD", "base"}
		for j := 0; j < n; j++ {
			args = append(args, strconv.Itoa(r.Int()))
		}
		p.red.Do("DEL", "base")
		p.red.Do(args...)
		val := p.red.Do("GET", "base")
		_, body, _ := strings.Cut(val, "\r\n")
		bases = append(bases, strings.TrimSuffix(body, "\r\n"))
	}
	for i := 0; i < 400; i++ {
		b := []byte(bases[r.Intn(len(bases))])
		switch r.Intn(3) {
		case 0:
			for k := 1 + r.Intn(3); k > 0; k-- {
				b[16+r.Intn(len(b)-16)] = byte(r.Intn(256))
			}
		case 1:
			b = b[:16+r.Intn(len(b)-15)]
		case 2:
			extra := make([]byte, 1+r.Intn(4))
			r.Read(extra)
			at := 16 + r.Intn(len(b)-15)
			b = append(b[:at:at], append(extra, b[at:]...)...)
		}
		v := string(b)
		p.same("SET", "c", v)
		p.same("PFCOUNT", "c")
		p.same("SET", "c", v)
		p.same("PFCOUNT", "c", "nokey")
		p.same("PFMERGE", "m", "c")
		p.same("DEL", "m")
		p.same("PFDEBUG", "DECODE", "c")
		p.same("PFDEBUG", "ENCODING", "c")
		p.same("PFADD", "c", "a", "b", "c", strconv.Itoa(i))
		p.same("SET", "c", v)
		p.same("PFDEBUG", "TODENSE", "c")
	}
	// Dense values with arbitrary registers (up to 63, beyond what any
	// element can set) exercise every term of the estimator.
	for i := 0; i < 50; i++ {
		b := make([]byte, 12304)
		copy(b, "HYLL")
		b[15] = 0x80
		hi := 1 + r.Intn(256)
		for j := 16; j < len(b); j++ {
			if r.Intn(4) > 0 {
				b[j] = byte(r.Intn(hi))
			}
		}
		if i%2 == 0 {
			// Mostly saturated registers: the hllTau term matters.
			for j := 0; j < datatypes.HLLRegisters; j++ {
				datatypes.HLLSet(b, j, uint8(45+r.Intn(7)), 0)
			}
		}
		p.same("SET", "d", string(b))
		p.same("PFCOUNT", "d")
		p.same("PFCOUNT", "d", "nokey")
		p.same("PFMERGE", "m", "d")
		p.same("GET", "m")
		p.same("PFADD", "d", "x", "y", strconv.Itoa(i))
		p.same("GET", "d")
	}
}
