package datatypes

// Quicklist additions for the list commands: COPY, positioned iteration
// (LRANGE, LPOP count) and MEMORY USAGE sampling.

// Dup returns a copy of the quicklist node for node, compressed nodes
// staying compressed, as quicklistDup does, so the copy's layout (DEBUG
// OBJECT ql_nodes) is the original's.
func (ql *Quicklist) Dup() any {
	c := &Quicklist{fill: ql.fill, compress: ql.compress, packedThreshold: ql.packedThreshold}
	for n := ql.head; n != nil; n = n.next {
		m := &qlNode{sz: n.sz, count: n.count, plain: n.plain, recompress: n.recompress}
		if n.lzf != nil {
			m.lzf = append([]byte(nil), n.lzf...)
		}
		if n.lp != nil {
			m.lp = append([]byte(nil), n.lp...)
		}
		m.prev = c.tail
		if c.tail == nil {
			c.head = m
		} else {
			c.tail.next = m
		}
		c.tail = m
		c.len++
		c.count += n.count
	}
	return c
}

// IteratorAt returns an iterator whose first Next is element idx (negative
// from the tail), walking towards the tail, or towards the head when
// fromTail, as quicklistGetIteratorAtIdx. ok is false when idx is out of
// range.
func (ql *Quicklist) IteratorAt(idx int, fromTail bool) (*QuicklistIter, bool) {
	n, off, ok := ql.locate(idx)
	if !ok {
		return nil, false
	}
	it := &QuicklistIter{ql: ql, fromTail: fromTail, node: n, offset: off}
	if fromTail {
		it.offset = off - n.count
	}
	return it, true
}

// RangeNodeBytes calls fn with the allocated size of each node's data (the
// compressed bytes of a compressed node) from the head, until fn returns
// false. It is MEMORY USAGE's sample of quicklist nodes.
func (ql *Quicklist) RangeNodeBytes(fn func(bytes int) bool) {
	for n := ql.head; n != nil; n = n.next {
		b := cap(n.lp)
		if n.lzf != nil {
			b = cap(n.lzf)
		}
		if !fn(b) {
			return
		}
	}
}
