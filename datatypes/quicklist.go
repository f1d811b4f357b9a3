package datatypes

// Quicklist: Redis 7.0's list encoding (src/quicklist.c).
//
// A quicklist is a doubly linked list of nodes. Each node holds either
//
//   - a PACKED container: one listpack (see listpack.go) with 1..N elements,
//     bounded by `fill`, or
//   - a PLAIN container: exactly one element stored as raw bytes, used for
//     elements whose length is >= packedThreshold (1<<30 by default, settable
//     as DEBUG QUICKLIST-PACKED-THRESHOLD does).
//
// Node fields (Redis's quicklistNode, same names where they exist):
//
//	prev, next    neighbours; head.prev == nil, tail.next == nil
//	lp            the uncompressed bytes (listpack, or the plain value);
//	              nil while the node is LZF-compressed
//	lzf           LZF-compressed copy of the same bytes; nil while raw
//	sz            length of the uncompressed bytes (lpBytes or plain length)
//	count         number of elements in the node (1 for a plain node)
//	plain         container is PLAIN
//	recompress    node was decompressed for temporary use and must be
//	              compressed again by the next quicklistCompress
//	dontCompress  never compress this node now (set during replace)
//
// fill (list-max-listpack-size):
//
//	-1..-5  a node's listpack may grow to 4, 8, 16, 32 or 64 KB
//	 N > 0  a node holds at most N elements, and never more than
//	        sizeSafetyLimit (8 KB) bytes unless it holds a single element
//
// compress (list-compress-depth): 0 disables compression; otherwise the
// `compress` nodes at each end stay raw and nodes further inside are
// LZF-compressed when that saves at least minCompressImprove bytes and the
// listpack is at least minCompressBytes long. Reading a compressed node
// decompresses it into a scratch buffer; writing one decompresses it "for
// use" and recompresses it afterwards, as Redis does.
//
// Node layout (where splits and merges happen) follows quicklist.c of
// redis-server 7.0.15 operation for operation, so DEBUG OBJECT's ql_nodes
// for the same command sequence is the same here.

import (
	"encoding/binary"
	"errors"
	"sync"

	lzf "github.com/zhuyie/golzf"
)

const (
	// sizeSafetyLimit caps a multi-element listpack when fill is a count.
	qlSizeSafetyLimit = 8192
	// qlSizeEstimateOverhead is the worst-case per-entry listpack overhead
	// used to predict whether one more element still fits (7.0.15 value).
	qlSizeEstimateOverhead = 8
	qlMinCompressBytes     = 48
	qlMinCompressImprove   = 8
	// DefaultPackedThreshold: elements at least this long go into plain nodes.
	DefaultPackedThreshold = 1 << 30
	qlFillMax              = 1<<15 - 1
	qlCompressMax          = 1<<16 - 1
	// qlMergeOverhead: Redis 7.0 estimates a merged node's size as
	// a.sz + b.sz - 11 (the old ziplist header+trailer; a listpack's is 7,
	// which 7.2 uses). We keep 11 so merge decisions match 7.0.
	qlMergeOverhead = 11
)

var qlOptimizationLevel = [...]int{4096, 8192, 16384, 32768, 65536}

// ErrQuicklistCorrupt is returned when a compressed node fails to inflate.
var ErrQuicklistCorrupt = errors.New("quicklist: corrupt compressed node")

type qlNode struct {
	prev, next   *qlNode
	lp           []byte
	lzf          []byte
	sz           int
	count        int
	plain        bool
	recompress   bool
	dontCompress bool
}

func (n *qlNode) compressed() bool { return n.lzf != nil }

// Quicklist is a list of byte strings. The zero value is not usable; call
// NewQuicklist.
type Quicklist struct {
	head, tail      *qlNode
	count           int // total elements
	len             int // nodes
	fill            int
	compress        int
	packedThreshold int
}

// NewQuicklist returns an empty list with list-max-listpack-size `fill`
// (clamped to -5..32767) and list-compress-depth `compress` (clamped to
// 0..65535).
func NewQuicklist(fill, compress int) *Quicklist {
	ql := &Quicklist{packedThreshold: DefaultPackedThreshold}
	ql.SetOptions(fill, compress)
	return ql
}

// SetOptions changes fill and compress depth for future operations, as
// quicklistSetOptions does; existing nodes are left as they are.
func (ql *Quicklist) SetOptions(fill, compress int) {
	if fill > qlFillMax {
		fill = qlFillMax
	} else if fill < -5 {
		fill = -5
	}
	if compress > qlCompressMax {
		compress = qlCompressMax
	} else if compress < 0 {
		compress = 0
	}
	ql.fill, ql.compress = fill, compress
}

// SetPackedThreshold sets the length at and above which an element gets a
// plain node (DEBUG QUICKLIST-PACKED-THRESHOLD). 0 restores the default.
// Returns false, changing nothing, for values above 4GB-1MB as Redis does.
func (ql *Quicklist) SetPackedThreshold(sz int) bool {
	if uint64(sz) > 1<<32-1<<20 {
		return false
	}
	if sz <= 0 {
		sz = DefaultPackedThreshold
	}
	ql.packedThreshold = sz
	return true
}

// Len is the number of elements.
func (ql *Quicklist) Len() int { return ql.count }

// Nodes is the number of nodes (DEBUG OBJECT ql_nodes).
func (ql *Quicklist) Nodes() int { return ql.len }

// QuicklistStats are the figures DEBUG OBJECT prints for a quicklist.
type QuicklistStats struct {
	Nodes            int // ql_nodes
	Compressed       int // ql_compressed: nodes currently LZF-compressed
	UncompressedSize int // ql_uncompressed_size: sum of node sz
	PlainNodes       int
}

// Stats walks the nodes.
func (ql *Quicklist) Stats() QuicklistStats {
	var s QuicklistStats
	for n := ql.head; n != nil; n = n.next {
		s.Nodes++
		if n.compressed() {
			s.Compressed++
		}
		if n.plain {
			s.PlainNodes++
		}
		s.UncompressedSize += n.sz
	}
	return s
}

// NodeCounts returns each node's element count, head first (for tests and
// DEBUG output).
func (ql *Quicklist) NodeCounts() []int {
	out := make([]int, 0, ql.len)
	for n := ql.head; n != nil; n = n.next {
		out = append(out, n.count)
	}
	return out
}

func (ql *Quicklist) isLarge(sz int) bool { return sz >= ql.packedThreshold }

// ---- compression -------------------------------------------------------

// compressNode is __quicklistCompressNode: compress a raw interior node when
// it is big enough and LZF saves at least minCompressImprove bytes.
func compressNode(n *qlNode) bool {
	if n.dontCompress {
		return false
	}
	n.recompress = false
	if n.sz < qlMinCompressBytes {
		return false
	}
	out := make([]byte, n.sz)
	htab := qlHtabPool.Get().(*[lzf.HashTableSize]uint32)
	c, err := lzf.CompressFast(n.lp, out, htab[:])
	qlHtabPool.Put(htab)
	if err != nil || c == 0 || c+qlMinCompressImprove >= n.sz {
		return false
	}
	n.lzf = append([]byte(nil), out[:c]...)
	n.lp = nil
	return true
}

// qlHtabPool recycles LZF hash tables (64 KB each) across compressions.
// A table left over from another input only proposes match candidates that
// the compressor verifies byte by byte, so reuse never corrupts output.
var qlHtabPool = sync.Pool{New: func() any { return new([lzf.HashTableSize]uint32) }}

// inflate returns the uncompressed bytes of a node without changing it.
func (n *qlNode) inflate() []byte {
	if n.lzf == nil {
		return n.lp
	}
	out := make([]byte, n.sz)
	c, err := lzf.Decompress(n.lzf, out)
	if err != nil || c != n.sz {
		// Only our own compressor produced these bytes; failure means memory
		// corruption, which Redis also treats as fatal.
		panic(ErrQuicklistCorrupt)
	}
	return out
}

func decompressNode(n *qlNode) {
	if n != nil && n.compressed() {
		n.recompress = false
		n.lp = n.inflate()
		n.lzf = nil
	}
}

// decompressForUse is quicklistDecompressNodeForUse: the node must be
// recompressed by the next quicklistCompress on it.
func decompressForUse(n *qlNode) {
	if n != nil && n.compressed() {
		decompressNode(n)
		n.recompress = true
	}
}

func compressIfRaw(n *qlNode) {
	if n != nil && !n.compressed() {
		compressNode(n)
	}
}

// compressDepth is __quicklistCompress: keep `compress` nodes raw at each
// end and compress `node` (if inside) plus the first node past the depth on
// each side.
func (ql *Quicklist) compressDepth(node *qlNode) {
	if ql.len == 0 || ql.compress == 0 || ql.len < ql.compress*2 {
		return
	}
	forward, reverse := ql.head, ql.tail
	inDepth := false
	for depth := 0; depth < ql.compress; depth++ {
		decompressNode(forward)
		decompressNode(reverse)
		if forward == node || reverse == node {
			inDepth = true
		}
		if forward == reverse || forward.next == reverse {
			return
		}
		forward, reverse = forward.next, reverse.prev
	}
	if !inDepth && node != nil {
		compressIfRaw(node)
	}
	compressIfRaw(forward)
	compressIfRaw(reverse)
}

// qlCompress is the quicklistCompress macro.
func (ql *Quicklist) qlCompress(n *qlNode) {
	if n.recompress {
		compressIfRaw(n)
	} else {
		ql.compressDepth(n)
	}
}

func recompressOnly(n *qlNode) {
	if n.recompress {
		compressIfRaw(n)
	}
}

// ---- node list ---------------------------------------------------------

// insertNode is __quicklistInsertNode: link newNode after (or before) old.
func (ql *Quicklist) insertNode(old, newNode *qlNode, after bool) {
	if after {
		newNode.prev = old
		if old != nil {
			newNode.next = old.next
			if old.next != nil {
				old.next.prev = newNode
			}
			old.next = newNode
		}
		if ql.tail == old {
			ql.tail = newNode
		}
	} else {
		newNode.next = old
		if old != nil {
			newNode.prev = old.prev
			if old.prev != nil {
				old.prev.next = newNode
			}
			old.prev = newNode
		}
		if ql.head == old {
			ql.head = newNode
		}
	}
	if ql.len == 0 {
		ql.head, ql.tail = newNode, newNode
	}
	ql.len++
	if old != nil {
		ql.qlCompress(old)
	}
	ql.qlCompress(newNode)
}

// delNode is __quicklistDelNode.
func (ql *Quicklist) delNode(n *qlNode) {
	if n.next != nil {
		n.next.prev = n.prev
	}
	if n.prev != nil {
		n.prev.next = n.next
	}
	if n == ql.tail {
		ql.tail = n.prev
	}
	if n == ql.head {
		ql.head = n.next
	}
	ql.len--
	ql.count -= n.count
	ql.compressDepth(nil)
	n.prev, n.next, n.lp, n.lzf = nil, nil, nil, nil
}

func sizeMeetsOptimization(sz, fill int) bool {
	if fill >= 0 {
		return false
	}
	off := -fill - 1
	return off < len(qlOptimizationLevel) && sz <= qlOptimizationLevel[off]
}

// allowInsert is _quicklistNodeAllowInsert for an element of length sz.
func (ql *Quicklist) allowInsert(n *qlNode, sz int) bool {
	if n == nil || n.plain || ql.isLarge(sz) {
		return false
	}
	newSz := n.sz + sz + qlSizeEstimateOverhead
	if sizeMeetsOptimization(newSz, ql.fill) {
		return true
	}
	if newSz > qlSizeSafetyLimit {
		return false
	}
	return n.count < ql.fill
}

// allowMerge is _quicklistNodeAllowMerge.
func (ql *Quicklist) allowMerge(a, b *qlNode) bool {
	if a == nil || b == nil || a.plain || b.plain {
		return false
	}
	mergeSz := a.sz + b.sz - qlMergeOverhead
	if sizeMeetsOptimization(mergeSz, ql.fill) {
		return true
	}
	if mergeSz > qlSizeSafetyLimit {
		return false
	}
	return a.count+b.count <= ql.fill
}

func newPackedNode(lp []byte) *qlNode {
	return &qlNode{lp: lp, sz: len(lp), count: lpCount(lp)}
}

func newPlainNode(v []byte) *qlNode {
	return &qlNode{lp: append([]byte(nil), v...), sz: len(v), count: 1, plain: true}
}

func (n *qlNode) setLP(lp []byte) {
	n.lp = lp
	n.sz = len(lp)
	n.count = lpCount(lp)
}

// ---- push / pop --------------------------------------------------------

// PushHead prepends value. It reports whether a new head node was created.
func (ql *Quicklist) PushHead(value []byte) bool {
	return ql.push(value, false)
}

// PushTail appends value. It reports whether a new tail node was created.
func (ql *Quicklist) PushTail(value []byte) bool {
	return ql.push(value, true)
}

func (ql *Quicklist) push(value []byte, tail bool) bool {
	end := ql.head
	if tail {
		end = ql.tail
	}
	if ql.isLarge(len(value)) {
		ql.insertNode(end, newPlainNode(value), tail)
		ql.count++
		return true
	}
	if ql.allowInsert(end, len(value)) {
		if tail {
			end.setLP(lpAppendValue(end.lp, value))
		} else {
			end.setLP(lpPrependValue(end.lp, value))
		}
		ql.count++
		return false
	}
	var lp []byte
	if tail {
		lp = lpAppendValue(lpNewEmpty(), value)
	} else {
		lp = lpPrependValue(lpNewEmpty(), value)
	}
	ql.insertNode(end, newPackedNode(lp), tail)
	ql.count++
	return true
}

// PopHead removes and returns the first element (ok false when empty).
func (ql *Quicklist) PopHead() ([]byte, bool) { return ql.pop(ql.head, 0) }

// PopTail removes and returns the last element (ok false when empty).
func (ql *Quicklist) PopTail() ([]byte, bool) { return ql.pop(ql.tail, -1) }

func (ql *Quicklist) pop(n *qlNode, pos int) ([]byte, bool) {
	if n == nil {
		return nil, false
	}
	// Head and tail are never compressed; be safe anyway.
	decompressNode(n)
	if pos < 0 {
		pos = n.count - 1
	}
	v := append([]byte(nil), ql.nodeGet(n, pos)...)
	ql.delIndex(n, pos)
	return v, true
}

// nodeGet returns element i of a raw node.
func (ql *Quicklist) nodeGet(n *qlNode, i int) []byte {
	if n.plain {
		return n.lp
	}
	return lpGetAt(n.lp, i)
}

// delIndex is quicklistDelIndex: delete element i of a raw node. Reports
// whether the node itself went away.
func (ql *Quicklist) delIndex(n *qlNode, i int) bool {
	if n.plain {
		ql.delNode(n)
		return true
	}
	n.lp = lpDeleteAt(n.lp, i)
	n.count--
	ql.count--
	if n.count == 0 {
		ql.delNode(n) // subtracts n.count, now 0

		return true
	}
	n.sz = len(n.lp)
	return false
}

// ---- index lookup ------------------------------------------------------

// locate is the seek of quicklistGetIteratorAtIdx: node and offset (0-based
// within the node) of element idx (negative counts from the tail).
func (ql *Quicklist) locate(idx int) (*qlNode, int, bool) {
	forward := idx >= 0
	index := idx
	if !forward {
		index = -idx - 1
	}
	if index >= ql.count {
		return nil, 0, false
	}
	seekForward := forward
	seekIndex := index
	if index > (ql.count-1)/2 {
		seekForward = !forward
		seekIndex = ql.count - 1 - index
	}
	n := ql.head
	if !seekForward {
		n = ql.tail
	}
	accum := 0
	for n != nil {
		if accum+n.count > seekIndex {
			break
		}
		accum += n.count
		if seekForward {
			n = n.next
		} else {
			n = n.prev
		}
	}
	if n == nil {
		return nil, 0, false
	}
	// Offset from the head of the node of the wanted element.
	var off int
	if seekForward {
		off = seekIndex - accum
	} else {
		off = n.count - 1 - (seekIndex - accum)
	}
	return n, off, true
}

// Index returns element i (negative from the tail). The returned slice
// must not be modified and is valid until the next write to the list.
func (ql *Quicklist) Index(i int) ([]byte, bool) {
	n, off, ok := ql.locate(i)
	if !ok {
		return nil, false
	}
	if n.plain {
		return n.inflate(), true
	}
	return lpGetAt(n.inflate(), off), true
}

// ---- insert / replace --------------------------------------------------

// InsertBefore inserts value before element i; false if i is out of range.
func (ql *Quicklist) InsertBefore(i int, value []byte) bool {
	n, off, ok := ql.locate(i)
	if !ok {
		return false
	}
	ql.insert(n, off, value, false)
	return true
}

// InsertAfter inserts value after element i; false if i is out of range.
func (ql *Quicklist) InsertAfter(i int, value []byte) bool {
	n, off, ok := ql.locate(i)
	if !ok {
		return false
	}
	ql.insert(n, off, value, true)
	return true
}

// splitNode is _quicklistSplitNode on a raw node. after: node keeps
// [0, off] and the returned node gets [off+1, end]; otherwise the returned
// node gets [0, off-1] and node keeps [off, end].
func splitNode(n *qlNode, off int, after bool) *qlNode {
	cp := append([]byte(nil), n.lp...)
	var origStart, origExtent, newStart, newExtent int
	if after {
		origStart, origExtent, newStart, newExtent = off+1, -1, 0, off+1
	} else {
		origStart, origExtent, newStart, newExtent = 0, off, off, -1
	}
	n.setLP(lpDeleteRangeAt(n.lp, origStart, origExtent))
	nn := &qlNode{}
	nn.setLP(lpDeleteRangeAt(cp, newStart, newExtent))
	return nn
}

// insert is _quicklistInsert with the entry at (n, off).
func (ql *Quicklist) insert(n *qlNode, off int, value []byte, after bool) {
	sz := len(value)
	full := !ql.allowInsert(n, sz)
	atTail, atHead, availNext, availPrev := false, false, false, false
	if after && off == n.count-1 {
		atTail = true
		availNext = ql.allowInsert(n.next, sz)
	}
	if !after && off == 0 {
		atHead = true
		availPrev = ql.allowInsert(n.prev, sz)
	}

	if ql.isLarge(sz) {
		if n.plain || atTail || atHead {
			ql.insertNode(n, newPlainNode(value), after)
			ql.count++
		} else {
			decompressForUse(n)
			nn := splitNode(n, off, after)
			entry := newPlainNode(value)
			ql.insertNode(n, entry, after)
			ql.insertNode(entry, nn, after)
			ql.count++
		}
		return
	}

	switch {
	case !full:
		decompressForUse(n)
		n.setLP(lpInsertAt(n.lp, off, value, after))
		recompressOnly(n)
	case atTail && availNext:
		nn := n.next
		decompressForUse(nn)
		nn.setLP(lpPrependValue(nn.lp, value))
		recompressOnly(nn)
		recompressOnly(n)
	case atHead && availPrev:
		nn := n.prev
		decompressForUse(nn)
		nn.setLP(lpAppendValue(nn.lp, value))
		recompressOnly(nn)
		recompressOnly(n)
	case atTail || atHead:
		ql.insertNode(n, newPackedNode(lpPrependValue(lpNewEmpty(), value)), after)
	default:
		// Full node, insertion in its middle (or a plain node): split.
		decompressForUse(n)
		var nn *qlNode
		if n.plain {
			// Redis reaches here only for a plain node when neither atHead
			// nor atTail holds, which cannot happen for count==1.
			nn = newPackedNode(lpPrependValue(lpNewEmpty(), value))
		} else {
			nn = splitNode(n, off, after)
			if after {
				nn.setLP(lpPrependValue(nn.lp, value))
			} else {
				nn.setLP(lpAppendValue(nn.lp, value))
			}
		}
		ql.insertNode(n, nn, after)
		ql.mergeNodes(n)
	}
	ql.count++
}

// listpackMerge is _quicklistListpackMerge: a is left of b; the merged
// node is kept, the other deleted. Returns the kept node.
func (ql *Quicklist) listpackMerge(a, b *qlNode) *qlNode {
	decompressNode(a)
	decompressNode(b)
	// lpMerge keeps the larger listpack and appends/prepends the smaller.
	keep, nokeep := a, b
	if len(b.lp) > len(a.lp) {
		keep, nokeep = b, a
	}
	keep.setLP(lpConcat(a.lp, b.lp))
	nokeep.count = 0
	ql.delNode(nokeep)
	ql.qlCompress(keep)
	return keep
}

// mergeNodes is _quicklistMergeNodes around center.
func (ql *Quicklist) mergeNodes(center *qlNode) {
	var prev, prevPrev, next, nextNext *qlNode
	if center.prev != nil {
		prev = center.prev
		prevPrev = prev.prev
	}
	if center.next != nil {
		next = center.next
		nextNext = next.next
	}
	if ql.allowMerge(prev, prevPrev) {
		ql.listpackMerge(prevPrev, prev)
	}
	if ql.allowMerge(next, nextNext) {
		ql.listpackMerge(next, nextNext)
	}
	var target *qlNode
	if ql.allowMerge(center, center.prev) {
		target = ql.listpackMerge(center.prev, center)
	} else {
		target = center
	}
	if ql.allowMerge(target, target.next) {
		ql.listpackMerge(target, target.next)
	}
}

// ReplaceAt sets element i to value (quicklistReplaceAtIndex); false if i is
// out of range.
func (ql *Quicklist) ReplaceAt(i int, value []byte) bool {
	n, off, ok := ql.locate(i)
	if !ok {
		return false
	}
	decompressForUse(n)
	ql.replaceEntry(n, off, value)
	return true
}

// replaceEntry is quicklistReplaceEntry on a node decompressed for use.
func (ql *Quicklist) replaceEntry(n *qlNode, off int, value []byte) {
	sz := len(value)
	switch {
	case !n.plain && !ql.isLarge(sz):
		n.setLP(lpReplaceAt(n.lp, off, value))
		ql.qlCompress(n)
	case n.plain && ql.isLarge(sz):
		n.lp = append([]byte(nil), value...)
		n.sz = sz
		ql.qlCompress(n)
	case n.plain:
		ql.insert(n, off, value, true)
		ql.delNode(n)
	default:
		n.dontCompress = true
		ql.insert(n, off, value, true)
		if n.count == 1 {
			ql.delNode(n)
		} else {
			ql.delIndex(n, off)
			n.dontCompress = false
			ql.qlCompress(n)
			if n.next != nil {
				ql.qlCompress(n.next)
			}
		}
	}
}

// ---- range delete ------------------------------------------------------

// DelRange deletes count elements starting at start (negative from the
// tail), clamped to the list, as quicklistDelRange. Reports whether
// anything was deleted.
func (ql *Quicklist) DelRange(start, count int) bool {
	if count <= 0 {
		return false
	}
	extent := count
	if start >= 0 && extent > ql.count-start {
		extent = ql.count - start
	} else if start < 0 && extent > -start {
		extent = -start
	}
	node, off, ok := ql.locate(start)
	if !ok {
		return false
	}
	// Redis keeps the offset negative when start was negative; the deletion
	// count of the first node then is its distance to the node's end.
	for extent > 0 && node != nil {
		next := node.next
		var del int
		entire := false
		switch {
		case off == 0 && extent >= node.count:
			entire = true
			del = node.count
		case extent+off >= node.count:
			del = node.count - off
		default:
			del = extent
		}
		if entire || node.plain {
			ql.delNode(node)
		} else {
			decompressForUse(node)
			node.lp = lpDeleteRangeAt(node.lp, off, del)
			node.sz = len(node.lp)
			node.count -= del
			ql.count -= del
			if node.count == 0 {
				ql.delNode(node)
			} else {
				recompressOnly(node)
			}
		}
		extent -= del
		node = next
		off = 0
	}
	return true
}

// ---- iterator ----------------------------------------------------------

// QuicklistIter walks a quicklist from the head or the tail. While it is
// in use the only allowed write is DeleteCurrent; call Close when done so
// the node being read is recompressed.
type QuicklistIter struct {
	ql       *Quicklist
	node     *qlNode
	offset   int // index within node of the next element to return
	fromTail bool
	started  bool // offset points at the last returned element
	curNode  *qlNode
	curOff   int

	// The byte position in pnode's listpack of element poff, so stepping
	// to the neighbour is O(1) instead of a Seek from the node's start
	// (which made iterating a node quadratic: LRANGE 600 ran at 0.1x).
	pnode *qlNode
	poff  int
	ppos  int
}

// elementAt returns element off of raw node n, stepping from the last
// position when it is a neighbour.
func (it *QuicklistIter) elementAt(n *qlNode, off int) []byte {
	if n.plain {
		return n.lp
	}
	lp := Listpack(n.lp)
	var p int
	switch {
	case it.pnode == n && off == it.poff+1:
		p = lp.Next(it.ppos)
	case it.pnode == n && off == it.poff-1:
		p = lp.Prev(it.ppos)
	default:
		p = lp.Seek(off)
	}
	it.pnode, it.poff, it.ppos = n, off, p
	return lp.GetBytes(p, nil)
}

// Iterator returns an iterator from the head (fromTail false) or the tail.
func (ql *Quicklist) Iterator(fromTail bool) *QuicklistIter {
	it := &QuicklistIter{ql: ql, fromTail: fromTail}
	if fromTail {
		it.node = ql.tail
		it.offset = -1
	} else {
		it.node = ql.head
	}
	return it
}

// Next returns the next element; ok is false at the end. The slice is
// valid until the next call or write.
func (it *QuicklistIter) Next() ([]byte, bool) {
	for it.node != nil {
		n := it.node
		decompressForUse(n)
		off := it.offset
		if off < 0 {
			off += n.count
		}
		if off >= 0 && off < n.count {
			it.curNode, it.curOff = n, off
			if it.fromTail {
				it.offset = off - 1 - n.count // stays relative to the end
			} else {
				it.offset = off + 1
			}
			return it.elementAt(n, off), true
		}
		// Ran out of elements in this node: move on, as quicklistNext.
		it.ql.qlCompress(n)
		if it.fromTail {
			it.node = n.prev
			it.offset = -1
		} else {
			it.node = n.next
			it.offset = 0
		}
	}
	it.curNode = nil
	return nil, false
}

// DeleteCurrent deletes the element last returned by Next
// (quicklistDelEntry); iteration continues with the element after it.
func (it *QuicklistIter) DeleteCurrent() {
	n := it.curNode
	if n == nil {
		return
	}
	prev, next := n.prev, n.next
	// Offsets from the tail are negative and so unaffected by deleting the
	// current element; offsets from the head step back by one.
	gone := it.ql.delIndex(n, it.curOff)
	it.curNode = nil
	it.pnode = nil // the node's bytes changed
	if gone {
		if it.fromTail {
			it.node, it.offset = prev, -1
		} else {
			it.node, it.offset = next, 0
		}
		return
	}
	if !it.fromTail {
		it.offset--
	} else {
		it.offset++ // n.count shrank by one; keep pointing at curOff-1
	}
}

// Close recompresses the node the iterator stopped on.
func (it *QuicklistIter) Close() {
	if it.node != nil {
		it.ql.qlCompress(it.node)
		it.node = nil
	}
}

// ---- listpack adapter --------------------------------------------------
//
// A node's listpack is stored as plain []byte; these helpers apply the
// Listpack (listpack.go) operations to it by element index.

func lpNewEmpty() []byte { return NewListpack() }

func lpCount(lp []byte) int { return Listpack(lp).Len() }

func lpAppendValue(lp, v []byte) []byte {
	l := Listpack(lp)
	l.Append(v)
	return l
}

func lpPrependValue(lp, v []byte) []byte {
	l := Listpack(lp)
	l.Prepend(v)
	return l
}

// lpGetAt returns element i; strings alias lp, integers are formatted into
// a fresh buffer.
func lpGetAt(lp []byte, i int) []byte {
	l := Listpack(lp)
	return l.GetBytes(l.Seek(i), nil)
}

func lpInsertAt(lp []byte, i int, v []byte, after bool) []byte {
	l := Listpack(lp)
	where := ListpackBefore
	if after {
		where = ListpackAfter
	}
	l.Insert(l.Seek(i), v, where)
	return l
}

func lpReplaceAt(lp []byte, i int, v []byte) []byte {
	l := Listpack(lp)
	l.Replace(l.Seek(i), v)
	return l
}

func lpDeleteAt(lp []byte, i int) []byte {
	l := Listpack(lp)
	l.Delete(l.Seek(i))
	return l
}

// lpDeleteRangeAt deletes count elements from index start; count < 0 means
// "to the end" (Redis passes -1 as an unsigned long).
func lpDeleteRangeAt(lp []byte, start, count int) []byte {
	if count < 0 {
		count = int(^uint(0) >> 1)
	}
	l := Listpack(lp)
	l.DeleteRange(start, count)
	return l
}

// lpConcat is lpMerge's result: the entries of a followed by those of b,
// in a fresh buffer.
func lpConcat(a, b []byte) []byte {
	const hdr = 6
	out := make([]byte, 0, len(a)+len(b)-hdr-1)
	out = append(out, a[:len(a)-1]...)
	out = append(out, b[hdr:]...)
	binary.LittleEndian.PutUint32(out, uint32(len(out)))
	lpSetNumElements(out, Listpack(a).Len()+Listpack(b).Len())
	return out
}
