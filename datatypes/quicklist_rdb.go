package datatypes

// Node access for the RDB codec (persistence/): saving walks the nodes as
// they are, compressed ones included; loading appends whole nodes as
// quicklistAppendListpack / quicklistAppendPlainNode do.

// QuicklistNode is one node as RDB sees it. Exactly one of Data and LZF is
// set; both alias the node and must not be modified or retained.
type QuicklistNode struct {
	Plain bool   // PLAIN container: Data is one element, not a listpack
	Data  []byte // the uncompressed bytes, when the node is not compressed
	LZF   []byte // the LZF bytes of a node compressed in memory
	Size  int    // uncompressed length
}

// RangeNodes calls fn for each node from the head until fn returns false.
func (ql *Quicklist) RangeNodes(fn func(n QuicklistNode) bool) {
	for n := ql.head; n != nil; n = n.next {
		qn := QuicklistNode{Plain: n.plain, Size: n.sz}
		if n.lzf != nil {
			qn.LZF = n.lzf
		} else {
			qn.Data = n.lp
		}
		if !fn(qn) {
			return
		}
	}
}

// AppendListpackNode adds lp, which the quicklist now owns, as a new tail
// node and compresses by the list's depth (quicklistAppendListpack). The
// caller has validated lp deeply and it is not empty.
func (ql *Quicklist) AppendListpackNode(lp []byte) {
	n := newPackedNode(lp)
	ql.insertNode(ql.tail, n, true)
	ql.count += n.count
}

// AppendPlainNode adds v, which the quicklist now owns, as a new tail
// PLAIN node (quicklistAppendPlainNode).
func (ql *Quicklist) AppendPlainNode(v []byte) {
	n := &qlNode{lp: v, sz: len(v), count: 1, plain: true}
	ql.insertNode(ql.tail, n, true)
	ql.count++
}
