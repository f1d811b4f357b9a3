package datatypes

import (
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"strconv"
	"testing"
)

// qlCheck verifies every structural invariant of ql and that its contents
// equal model.
func qlCheck(t testing.TB, ql *Quicklist, model [][]byte) {
	t.Helper()
	if ql.Len() != len(model) {
		t.Fatalf("Len %d, model %d", ql.Len(), len(model))
	}
	nodes, total := 0, 0
	var prev *qlNode
	var got [][]byte
	for n := ql.head; n != nil; n = n.next {
		nodes++
		if n.prev != prev {
			t.Fatalf("node %d: prev link broken", nodes)
		}
		if n.count <= 0 {
			t.Fatalf("node %d: count %d", nodes, n.count)
		}
		if (n.lp == nil) == (n.lzf == nil) {
			t.Fatalf("node %d: exactly one of lp/lzf must be set", nodes)
		}
		if n.compressed() && (n == ql.head || n == ql.tail) {
			t.Fatalf("node %d: head/tail compressed", nodes)
		}
		if n.recompress {
			t.Fatalf("node %d: left decompressed-for-use", nodes)
		}
		raw := n.inflate()
		if len(raw) != n.sz {
			t.Fatalf("node %d: sz %d, bytes %d", nodes, n.sz, len(raw))
		}
		if n.plain {
			if n.count != 1 {
				t.Fatalf("plain node with count %d", n.count)
			}
			got = append(got, raw)
		} else {
			if err := ValidateListpack(raw, true); err != nil {
				t.Fatalf("node %d: %v", nodes, err)
			}
			l := Listpack(raw)
			if l.Len() != n.count {
				t.Fatalf("node %d: count %d, listpack has %d", nodes, n.count, l.Len())
			}
			for p := l.First(); p >= 0; p = l.Next(p) {
				got = append(got, l.GetBytes(p, nil))
			}
		}
		total += n.count
		prev = n
	}
	if prev != ql.tail {
		t.Fatalf("tail pointer wrong")
	}
	// The compress-depth nodes at each end are always raw.
	i := 0
	for n := ql.head; n != nil; n = n.next {
		if n.compressed() && (i < ql.compress || i >= nodes-ql.compress) {
			t.Fatalf("node %d of %d compressed within depth %d", i, nodes, ql.compress)
		}
		i++
	}
	if nodes != ql.Nodes() || total != ql.Len() {
		t.Fatalf("accounting: nodes %d/%d, count %d/%d", nodes, ql.Nodes(), total, ql.Len())
	}
	for i := range model {
		if !bytes.Equal(got[i], model[i]) {
			t.Fatalf("element %d: got %q, model %q", i, trunc(got[i]), trunc(model[i]))
		}
	}
}

func trunc(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + fmt.Sprintf("...(%d)", len(b))
	}
	return string(b)
}

func qlSeed(t testing.TB) int64 {
	seed := int64(rand.Uint32())
	if s := os.Getenv("SEED"); s != "" {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			t.Fatalf("bad SEED: %v", err)
		}
		seed = v
	}
	t.Logf("seed %d (rerun with SEED=%d)", seed, seed)
	return seed
}

// qlSource is what the random operation driver draws from: a *rand.Rand in
// the randomized test, the fuzzer's bytes in FuzzQuicklist.
type qlSource interface {
	Intn(n int) int
	Int63() int64
	Read(p []byte) (int, error)
}

// qlByteSource reads decisions from fuzz input; exhausted input reads as 0.
type qlByteSource struct{ b []byte }

func (s *qlByteSource) byte() byte {
	if len(s.b) == 0 {
		return 0
	}
	c := s.b[0]
	s.b = s.b[1:]
	return c
}

func (s *qlByteSource) Intn(n int) int {
	v := int(s.byte())<<8 | int(s.byte())
	return v % n
}

func (s *qlByteSource) Int63() int64 {
	var v int64
	for range 8 {
		v = v<<8 | int64(s.byte())
	}
	return v & (1<<63 - 1)
}

// Read fills p from one input byte, so long values cost little input.
func (s *qlByteSource) Read(p []byte) (int, error) {
	seed := uint32(s.byte())*2654435761 + 1
	for i := range p {
		seed ^= seed << 13
		seed ^= seed >> 17
		seed ^= seed << 5
		p[i] = byte(seed)
	}
	return len(p), nil
}

func qlRandValue(r qlSource) []byte {
	switch r.Intn(6) {
	case 0:
		return []byte(strconv.Itoa(r.Intn(100000) - 50000))
	case 1:
		return []byte(strconv.FormatInt(r.Int63()-r.Int63(), 10))
	case 2:
		return bytes.Repeat([]byte{byte('a' + r.Intn(3))}, r.Intn(400))
	case 3:
		b := make([]byte, r.Intn(5000))
		r.Read(b)
		return b
	default:
		return []byte(fmt.Sprintf("v%d", r.Intn(50)))
	}
}

func modelInsert(m [][]byte, i int, v []byte) [][]byte {
	m = append(m, nil)
	copy(m[i+1:], m[i:])
	m[i] = v
	return m
}

func normIndex(i, n int) int {
	if i < 0 {
		return i + n
	}
	return i
}

// qlRandomOps applies steps random operations to ql and model alike,
// checking after each.
func qlRandomOps(t testing.TB, r qlSource, ql *Quicklist, steps int) (maxLen int) {
	var model [][]byte
	for step := 0; step < steps; step++ {
		n := len(model)
		maxLen = max(maxLen, n)
		idx := 0
		if n > 0 {
			idx = r.Intn(2*n) - n
		}
		v := qlRandValue(r)
		op := r.Intn(14)
		if step < steps/3 && (op == 4 || op == 5 || op == 10 || op == 11) {
			op = 0 // grow first, so there are many nodes to split and merge
		}
		switch op {
		case 0, 1, 12, 13:
			ql.PushTail(v)
			model = append(model, v)
		case 2, 3:
			ql.PushHead(v)
			model = append([][]byte{v}, model...)
		case 4:
			got, ok := ql.PopHead()
			if ok != (n > 0) || (ok && !bytes.Equal(got, model[0])) {
				t.Fatalf("step %d PopHead: %q %v", step, trunc(got), ok)
			}
			if ok {
				model = model[1:]
			}
		case 5:
			got, ok := ql.PopTail()
			if ok != (n > 0) || (ok && !bytes.Equal(got, model[n-1])) {
				t.Fatalf("step %d PopTail: %q %v", step, trunc(got), ok)
			}
			if ok {
				model = model[:n-1]
			}
		case 6:
			got, ok := ql.Index(idx)
			if ok != (n > 0) || (ok && !bytes.Equal(got, model[normIndex(idx, n)])) {
				t.Fatalf("step %d Index(%d): %q %v", step, idx, trunc(got), ok)
			}
		case 7:
			if ql.ReplaceAt(idx, v) != (n > 0) {
				t.Fatalf("step %d ReplaceAt", step)
			}
			if n > 0 {
				model[normIndex(idx, n)] = v
			}
		case 8:
			if ql.InsertBefore(idx, v) != (n > 0) {
				t.Fatalf("step %d InsertBefore", step)
			}
			if n > 0 {
				model = modelInsert(model, normIndex(idx, n), v)
			}
		case 9:
			if ql.InsertAfter(idx, v) != (n > 0) {
				t.Fatalf("step %d InsertAfter", step)
			}
			if n > 0 {
				model = modelInsert(model, normIndex(idx, n)+1, v)
			}
		case 10:
			cnt := r.Intn(10)
			if r.Intn(20) == 0 {
				cnt = r.Intn(n + 2)
			}
			ql.DelRange(idx, cnt)
			if n > 0 && cnt > 0 {
				s := normIndex(idx, n)
				e := min(s+cnt, n)
				model = append(model[:s:s], model[e:]...)
			}
		case 11:
			// LREM-like: delete elements matching a predicate in either
			// direction, with a limit.
			fromTail := r.Intn(2) == 0
			limit := 1 + r.Intn(3)
			if r.Intn(10) == 0 {
				limit = 0 // all matches
			}
			target := r.Intn(7)
			it := ql.Iterator(fromTail)
			var keep [][]byte
			removed := 0
			pos := 0
			for {
				e, ok := it.Next()
				if !ok {
					break
				}
				mi := pos
				if fromTail {
					mi = n - 1 - pos
				}
				if !bytes.Equal(e, model[mi]) {
					t.Fatalf("step %d iter at %d: %q want %q", step, mi, trunc(e), trunc(model[mi]))
				}
				if len(e)%7 == target && (limit == 0 || removed < limit) {
					it.DeleteCurrent()
					removed++
					model[mi] = nil
				}
				pos++
			}
			it.Close()
			if pos != n {
				t.Fatalf("step %d: iterated %d of %d", step, pos, n)
			}
			for _, e := range model {
				if e != nil {
					keep = append(keep, e)
				}
			}
			model = keep
		}
		qlCheck(t, ql, model)
	}
	return maxLen
}

func TestQuicklistRandomized(t *testing.T) {
	seed := qlSeed(t)
	steps := 1000
	if testing.Short() {
		steps = 300
	}
	for _, fill := range []int{-5, -2, 1, 4, 128} {
		for _, compress := range []int{0, 1, 3} {
			for _, plain := range []int{0, 300} {
				name := fmt.Sprintf("fill%d_compress%d_plain%d", fill, compress, plain)
				t.Run(name, func(t *testing.T) {
					r := rand.New(rand.NewSource(seed + int64(fill*100+compress*10+plain)))
					ql := NewQuicklist(fill, compress)
					ql.SetPackedThreshold(plain)
					maxLen := qlRandomOps(t, r, ql, steps)
					t.Logf("max length %d", maxLen)
				})
			}
		}
	}
}

func pushN(ql *Quicklist, size, n int) {
	v := bytes.Repeat([]byte("a"), size)
	for range n {
		ql.PushTail(v)
	}
}

// Node counts observed on redis-server 7.0.15 (list-max-listpack-size -2,
// RPUSH of n copies of a size-byte string of 'a', then DEBUG OBJECT
// ql_nodes).
func TestQuicklistNodeCountsMatchRedis(t *testing.T) {
	cases := []struct{ size, n, nodes int }{
		{1, 2726, 1}, {1, 2727, 2}, {1, 3000, 2},
		{10, 681, 1}, {10, 682, 2}, {10, 1000, 2},
		{100, 156, 2}, {100, 158, 2}, {100, 159, 3}, {100, 200, 3},
		{300, 26, 1}, {300, 27, 2}, {300, 53, 3},
	}
	for _, c := range cases {
		ql := NewQuicklist(-2, 0)
		pushN(ql, c.size, c.n)
		if ql.Nodes() != c.nodes {
			t.Errorf("size %d n %d: %d nodes, redis has %d (%v)", c.size, c.n, ql.Nodes(), c.nodes, ql.NodeCounts())
		}
		// ql_uncompressed_size for {100,200} was 20621.
		if c.size == 100 && c.n == 200 && ql.Stats().UncompressedSize != 20621 {
			t.Errorf("uncompressed size %d, redis 20621", ql.Stats().UncompressedSize)
		}
	}
}

func qlFind(ql *Quicklist, v string) int {
	for i := range ql.Len() {
		e, _ := ql.Index(i)
		if string(e) == v {
			return i
		}
	}
	return -1
}

func qlLrem(ql *Quicklist, v string) {
	it := ql.Iterator(false)
	for {
		e, ok := it.Next()
		if !ok {
			break
		}
		if string(e) == v {
			it.DeleteCurrent()
		}
	}
	it.Close()
}

func qlContents(ql *Quicklist) string {
	var out []string
	it := ql.Iterator(false)
	for {
		e, ok := it.Next()
		if !ok {
			break
		}
		if len(e) > 8 {
			e = e[:8]
		}
		out = append(out, string(e))
	}
	it.Close()
	return fmt.Sprint(out)
}

// The same command sequence as run against redis-server 7.0.15 with
// list-max-listpack-size 4: node counts after each step from DEBUG OBJECT.
func TestQuicklistSplitMergeMatchesRedis(t *testing.T) {
	ql := NewQuicklist(4, 0)
	for i := 1; i <= 20; i++ {
		ql.PushTail([]byte(fmt.Sprintf("v%d", i)))
	}
	want := func(step string, nodes int) {
		t.Helper()
		if ql.Nodes() != nodes {
			t.Fatalf("%s: %d nodes %v, redis has %d", step, ql.Nodes(), ql.NodeCounts(), nodes)
		}
	}
	want("RPUSH v1..v20", 5)
	ql.InsertBefore(qlFind(ql, "v6"), []byte("x"))
	want("LINSERT BEFORE v6 x", 6)
	ql.InsertAfter(qlFind(ql, "v7"), []byte("y"))
	want("LINSERT AFTER v7 y", 6)
	ql.InsertAfter(qlFind(ql, "v8"), []byte("z"))
	want("LINSERT AFTER v8 z", 7)
	ql.InsertBefore(qlFind(ql, "v1"), []byte("w"))
	want("LINSERT BEFORE v1 w", 8)
	qlLrem(ql, "v10")
	qlLrem(ql, "v11")
	qlLrem(ql, "v12")
	want("LREM v10 v11 v12", 8)
	// LTRIM k 1 -2 is DelRange(0, 1) then DelRange(-1, 1).
	ql.DelRange(0, 1)
	ql.DelRange(-1, 1)
	want("LTRIM 1 -2", 7)
	if got := qlContents(ql); got != "[v1 v2 v3 v4 v5 x v6 v7 y v8 z v9 v13 v14 v15 v16 v17 v18 v19]" {
		t.Fatalf("contents %s", got)
	}
}

// Plain nodes: redis-server 7.0.15 with DEBUG QUICKLIST-PACKED-THRESHOLD 100
// and list-max-listpack-size -2.
func TestQuicklistPlainNodesMatchRedis(t *testing.T) {
	ql := NewQuicklist(-2, 0)
	ql.SetPackedThreshold(100)
	b := bytes.Repeat([]byte("b"), 150)
	for _, v := range [][]byte{[]byte("s1"), []byte("s2"), []byte("s3"), b, []byte("s4"), []byte("s5"), b, b, []byte("s6")} {
		ql.PushTail(v)
	}
	if ql.Nodes() != 6 {
		t.Fatalf("RPUSH: %d nodes %v, redis 6", ql.Nodes(), ql.NodeCounts())
	}
	ql.InsertAfter(0, b)
	if ql.Nodes() != 8 {
		t.Fatalf("LINSERT AFTER s1 big: %d nodes %v, redis 8", ql.Nodes(), ql.NodeCounts())
	}
	ql.ReplaceAt(4, b)
	if ql.Nodes() != 8 {
		t.Fatalf("LSET 4 big: %d nodes %v, redis 8", ql.Nodes(), ql.NodeCounts())
	}
	ql.ReplaceAt(1, []byte("small"))
	if ql.Nodes() != 7 {
		t.Fatalf("LSET 1 small: %d nodes %v, redis 7", ql.Nodes(), ql.NodeCounts())
	}
	if got := qlContents(ql); got != "[s1 small s2 s3 bbbbbbbb s4 s5 bbbbbbbb bbbbbbbb s6]" {
		t.Fatalf("contents %s", got)
	}
	if s := ql.Stats(); s.PlainNodes != 3 {
		t.Fatalf("plain nodes %d, want 3", s.PlainNodes)
	}
}

// Compression round trip: 500 compressible 100-byte values with depth 1
// and 2 (redis-server 7.0.15: 7 nodes each); interior nodes are compressed,
// the depth nodes at each end are not, and every element reads back.
func TestQuicklistCompression(t *testing.T) {
	v := bytes.Repeat([]byte("a"), 100)
	for _, depth := range []int{1, 2} {
		ql := NewQuicklist(-2, depth)
		var model [][]byte
		for range 500 {
			if depth == 1 {
				ql.PushTail(v)
			} else {
				ql.PushHead(v)
			}
			model = append(model, v)
		}
		if ql.Nodes() != 7 {
			t.Fatalf("depth %d: %d nodes, redis 7", depth, ql.Nodes())
		}
		if s := ql.Stats(); s.Compressed != 7-2*depth {
			t.Fatalf("depth %d: %d compressed nodes, want %d", depth, s.Compressed, 7-2*depth)
		}
		i := 0
		for n := ql.head; n != nil; n = n.next {
			inside := i >= depth && i < 7-depth
			if n.compressed() != inside {
				t.Fatalf("depth %d node %d: compressed=%v", depth, i, n.compressed())
			}
			i++
		}
		// LSET 250 hello (redis: still 7 nodes), reading through a
		// compressed node leaves it compressed.
		ql.ReplaceAt(250, []byte("hello"))
		model[250] = []byte("hello")
		if ql.Nodes() != 7 || ql.Stats().Compressed != 7-2*depth {
			t.Fatalf("after LSET: %d nodes, %d compressed", ql.Nodes(), ql.Stats().Compressed)
		}
		if e, _ := ql.Index(250); string(e) != "hello" {
			t.Fatalf("Index(250) = %q", e)
		}
		if ql.Stats().Compressed != 7-2*depth {
			t.Fatalf("Index changed compression")
		}
		qlCheck(t, ql, model)
	}

	// Incompressible and small nodes stay raw.
	r := rand.New(rand.NewSource(1))
	ql := NewQuicklist(2, 1)
	for range 10 {
		b := make([]byte, 200)
		r.Read(b)
		ql.PushTail(b)
		ql.PushTail([]byte("x"))
	}
	if ql.Stats().Compressed != 0 {
		t.Fatalf("random bytes compressed")
	}
	ql = NewQuicklist(1, 1)
	for range 10 {
		ql.PushTail([]byte("tiny"))
	}
	if ql.Stats().Compressed != 0 {
		t.Fatalf("node below %d bytes compressed", qlMinCompressBytes)
	}
}

func TestQuicklistEdges(t *testing.T) {
	ql := NewQuicklist(-2, 1)
	if _, ok := ql.PopHead(); ok {
		t.Fatal("pop from empty")
	}
	if _, ok := ql.PopTail(); ok {
		t.Fatal("pop from empty")
	}
	if _, ok := ql.Index(0); ok {
		t.Fatal("index of empty")
	}
	if ql.ReplaceAt(0, []byte("x")) || ql.InsertAfter(0, []byte("x")) || ql.InsertBefore(-1, []byte("x")) || ql.DelRange(0, 1) {
		t.Fatal("write to empty")
	}
	it := ql.Iterator(true)
	if _, ok := it.Next(); ok {
		t.Fatal("iterate empty")
	}
	it.Close()
	ql.PushTail([]byte("one"))
	if e, _ := ql.Index(-1); string(e) != "one" {
		t.Fatal("Index(-1)")
	}
	if _, ok := ql.Index(1); ok {
		t.Fatal("Index(1) of one element")
	}
	if _, ok := ql.Index(-2); ok {
		t.Fatal("Index(-2) of one element")
	}
	if e, ok := ql.PopTail(); !ok || string(e) != "one" || ql.Nodes() != 0 {
		t.Fatal("PopTail of one element")
	}
	// Options are clamped as quicklistSetOptions does.
	ql = NewQuicklist(-100, -3)
	if ql.fill != -5 || ql.compress != 0 {
		t.Fatalf("clamp: %d %d", ql.fill, ql.compress)
	}
	ql = NewQuicklist(1<<20, 1<<20)
	if ql.fill != qlFillMax || ql.compress != qlCompressMax {
		t.Fatalf("clamp: %d %d", ql.fill, ql.compress)
	}
	if ql.SetPackedThreshold(1<<32) || !ql.SetPackedThreshold(0) || ql.packedThreshold != DefaultPackedThreshold {
		t.Fatal("SetPackedThreshold")
	}
	// fill 1 gives one element per node, and a single large element still
	// gets a node even past the 8 KB safety limit.
	ql = NewQuicklist(1, 0)
	pushN(ql, 10, 5)
	pushN(ql, 20000, 2)
	if ql.Nodes() != 7 {
		t.Fatalf("fill 1: %d nodes", ql.Nodes())
	}
}

// FuzzQuicklist feeds operation sequences decoded from the fuzzer's bytes
// and checks every step against the slice model.
func FuzzQuicklist(f *testing.F) {
	f.Add(int8(-2), uint8(1), uint16(0), []byte("\x00\x01\x00\x02\x00\x08\x00\x05\x00\x03"))
	f.Add(int8(3), uint8(2), uint16(40), []byte("grow and shrink the list a few times over"))
	f.Fuzz(func(t *testing.T, fill int8, compress uint8, plain uint16, ops []byte) {
		ql := NewQuicklist(int(fill)%8, int(compress%4))
		ql.SetPackedThreshold(int(plain))
		src := &qlByteSource{b: ops}
		qlRandomOps(t, src, ql, min(len(ops)/2, 120))
	})
}
