// Stream: Redis 7.0's stream (src/t_stream.c), an ordered map from a node's
// master ID to a listpack holding that node's entries, in Redis's exact node
// layout so that RDB writes each node verbatim and loads Redis's bytes as is.
//
// The map is a slice of nodes sorted by master ID, searched by binary
// search: appends and trims from the head are the common operations and both
// are O(1) amortized on a slice; a radix tree buys nothing here.
//
// Node layout (every number is a listpack integer):
//
//	master entry:  count deleted num-fields field_1 ... field_N 0
//	each entry:    flags ms-diff seq-diff [num-fields field_1] value_1 ... lp-count
//
//	count       live entries in the node; deleted: entries flagged deleted
//	field_i     the fields of the node's first entry; an entry with exactly
//	            those fields sets SAMEFIELDS and stores only its values
//	flags       1 = deleted, 2 = same fields as the master entry
//	ms-diff     entry ms minus master ms; seq-diff likewise (wrapping)
//	lp-count    elements of the entry before it (values + 3, or
//	            2*fields + 4 without SAMEFIELDS): how far back the flags are,
//	            for walking right to left. The master entry's 0 is its lp-count.
//
// Deleting an entry only sets its flag and moves one from count to deleted;
// a node whose count reaches zero is dropped, as Redis does.
package datatypes

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
)

// StreamID is a stream entry ID: milliseconds and sequence.
type StreamID struct{ Ms, Seq uint64 }

// MaxStreamID is UINT64_MAX-UINT64_MAX.
var MaxStreamID = StreamID{math.MaxUint64, math.MaxUint64}

// Compare is streamCompareID: -1, 0 or 1.
func (a StreamID) Compare(b StreamID) int {
	switch {
	case a.Ms > b.Ms:
		return 1
	case a.Ms < b.Ms:
		return -1
	case a.Seq > b.Seq:
		return 1
	case a.Seq < b.Seq:
		return -1
	}
	return 0
}

// IsZero reports whether id is 0-0.
func (id StreamID) IsZero() bool { return id.Ms == 0 && id.Seq == 0 }

// Incr is streamIncrID: the next ID, false (and id unchanged) past the last.
func (id StreamID) Incr() (StreamID, bool) {
	if id.Seq == math.MaxUint64 {
		if id.Ms == math.MaxUint64 {
			return id, false
		}
		return StreamID{id.Ms + 1, 0}, true
	}
	return StreamID{id.Ms, id.Seq + 1}, true
}

// Decr is streamDecrID: the previous ID, false (and id unchanged) before 0-0.
func (id StreamID) Decr() (StreamID, bool) {
	if id.Seq == 0 {
		if id.Ms == 0 {
			return id, false
		}
		return StreamID{id.Ms - 1, math.MaxUint64}, true
	}
	return StreamID{id.Ms, id.Seq - 1}, true
}

// AppendTo appends "ms-seq".
func (id StreamID) AppendTo(dst []byte) []byte {
	dst = strconv.AppendUint(dst, id.Ms, 10)
	dst = append(dst, '-')
	return strconv.AppendUint(dst, id.Seq, 10)
}

// String is "ms-seq".
func (id StreamID) String() string { return string(id.AppendTo(nil)) }

// Entry flags.
const (
	streamItemDeleted    = 1 << 0
	streamItemSameFields = 1 << 1
)

const (
	// streamListpackMaxSize is STREAM_LISTPACK_MAX_SIZE: the node size cap
	// when stream-node-max-bytes is 0 or larger.
	streamListpackMaxSize = 1 << 30
	// streamListpackMaxPrealloc is STREAM_LISTPACK_MAX_PRE_ALLOCATE.
	streamListpackMaxPrealloc = 4096
)

// ErrStreamTooLarge is returned by Append when the fields and values add up
// to more than a listpack may hold ("Elements are too large to be stored").
var ErrStreamTooLarge = errors.New("stream elements too large")

type streamNode struct {
	master StreamID
	lp     Listpack
}

// Stream is a Redis stream. Length counts live entries; LastID is the
// greatest ID ever added (or set by XSETID); FirstID the first live entry
// ({0,0} when empty); MaxDeletedID the greatest ID ever deleted;
// EntriesAdded every entry ever added.
type Stream struct {
	Length       uint64
	LastID       StreamID
	FirstID      StreamID
	MaxDeletedID StreamID
	EntriesAdded uint64
	Groups       *StreamGroups // nil until the first XGROUP CREATE

	nodes []streamNode // sorted by master ID
}

// NewStream returns an empty stream.
func NewStream() *Stream { return &Stream{} }

// lpInt reads the integer element at p (lpGetInteger); listpacks built
// here always store these as integers.
func lpInt(lp Listpack, p int) int64 {
	s, v, isInt := lp.Get(p)
	if isInt {
		return v
	}
	n, _ := strconv.ParseInt(string(s), 10, 64)
	return n
}

// Append is streamAppendItem once the ID is decided: it adds the entry to
// the tail node, or to a new node when the tail would grow past
// nodeMaxBytes or already holds nodeMaxEntries entries (deleted included);
// 0 means no limit. id must be greater than LastID.
func (s *Stream) Append(id StreamID, fv [][]byte, nodeMaxBytes, nodeMaxEntries int) {
	numFields := len(fv) / 2
	totelelen := 0
	for _, b := range fv {
		totelelen += len(b)
	}
	var tail *streamNode
	if n := len(s.nodes); n > 0 {
		tail = &s.nodes[n-1]
		maxBytes := nodeMaxBytes
		if maxBytes <= 0 || maxBytes > streamListpackMaxSize {
			maxBytes = streamListpackMaxSize
		}
		if tail.lp.TotalBytes()+totelelen >= maxBytes {
			tail = nil
		} else if nodeMaxEntries > 0 {
			p := tail.lp.First()
			if lpInt(tail.lp, p)+lpInt(tail.lp, tail.lp.Next(p)) >= int64(nodeMaxEntries) {
				tail = nil
			}
		}
	}
	flags := int64(0)
	if tail == nil {
		prealloc := streamListpackMaxPrealloc
		if nodeMaxBytes > 0 && nodeMaxBytes < prealloc {
			prealloc = nodeMaxBytes
		}
		lp := make(Listpack, lpHdrSize+1, prealloc)
		copy(lp, NewListpack())
		lp.AppendInt(1) // count: the entry being added
		lp.AppendInt(0) // deleted
		lp.AppendInt(int64(numFields))
		for i := 0; i < numFields; i++ {
			lp.Append(fv[2*i])
		}
		lp.AppendInt(0) // master entry terminator
		s.nodes = append(s.nodes, streamNode{master: id, lp: lp})
		tail = &s.nodes[len(s.nodes)-1]
		flags |= streamItemSameFields
	} else {
		lp := tail.lp
		p := lp.First()
		lp.ReplaceInt(p, lpInt(lp, p)+1)
		p = lp.Next(lp.Next(p))
		if lpInt(lp, p) == int64(numFields) {
			same := true
			for i := 0; i < numFields; i++ {
				p = lp.Next(p)
				if !lpEqual(lp, p, fv[2*i]) {
					same = false
					break
				}
			}
			if same {
				flags |= streamItemSameFields
			}
		}
		tail.lp = lp
	}
	lp := tail.lp
	lp.AppendInt(flags)
	lp.AppendInt(int64(id.Ms - tail.master.Ms))
	lp.AppendInt(int64(id.Seq - tail.master.Seq))
	if flags&streamItemSameFields == 0 {
		lp.AppendInt(int64(numFields))
	}
	for i := 0; i < numFields; i++ {
		if flags&streamItemSameFields == 0 {
			lp.Append(fv[2*i])
		}
		lp.Append(fv[2*i+1])
	}
	lpCount := int64(numFields) + 3
	if flags&streamItemSameFields == 0 {
		lpCount += int64(numFields) + 1
	}
	lp.AppendInt(lpCount)
	tail.lp = lp
	s.Length++
	s.EntriesAdded++
	s.LastID = id
	if s.Length == 1 {
		s.FirstID = id
	}
}

// lpEqual reports whether the element at p has the string form b.
func lpEqual(lp Listpack, p int, b []byte) bool {
	str, v, isInt := lp.Get(p)
	if !isInt {
		return string(str) == string(b)
	}
	n, ok := ParseInt(b)
	return ok && n == v
}

// nodeCursor walks the entries of one node.
type nodeCursor struct {
	lp           Listpack
	master       StreamID
	masterFields int
	fieldsPos    int // position of the first master field, -1 if none
}

func newNodeCursor(n *streamNode) (nodeCursor, int) {
	lp := n.lp
	p := lp.Next(lp.Next(lp.First())) // num-fields
	nf := int(lpInt(lp, p))
	p = lp.Next(p)
	c := nodeCursor{lp: lp, master: n.master, masterFields: nf, fieldsPos: -1}
	if nf > 0 {
		c.fieldsPos = p
	}
	for i := 0; i < nf; i++ {
		p = lp.Next(p)
	}
	return c, lp.Next(p) // skip the master terminator: the first entry or -1
}

// entry decodes the entry whose flags are at p: its ID, flags, the position
// of its first field or value, and the position of the next entry (-1 at
// the end).
func (c *nodeCursor) entry(p int) (id StreamID, flags int64, body int, next int) {
	lp := c.lp
	flags = lpInt(lp, p)
	p = lp.Next(p)
	id.Ms = c.master.Ms + uint64(lpInt(lp, p))
	p = lp.Next(p)
	id.Seq = c.master.Seq + uint64(lpInt(lp, p))
	body = lp.Next(p)
	// lp-count is the last element: walking the body by count is as cheap.
	n := c.masterFields
	q := body
	if flags&streamItemSameFields == 0 {
		n = 2 * int(lpInt(lp, q))
		q = lp.Next(q)
	}
	for i := 0; i < n; i++ {
		q = lp.Next(q)
	}
	return id, flags, body, lp.Next(q)
}

// fields decodes the field/value pairs of an entry at body into dst,
// formatting integers into buf. The slices alias the listpack or buf.
func (c *nodeCursor) fields(flags int64, body int, dst [][]byte, buf []byte) ([][]byte, []byte) {
	lp := c.lp
	get := func(p int) []byte {
		str, v, isInt := lp.Get(p)
		if !isInt {
			return str
		}
		if cap(buf)-len(buf) < 20 {
			buf = make([]byte, 0, 256) // earlier slices keep the old array
		}
		start := len(buf)
		buf = strconv.AppendInt(buf, v, 10)
		return buf[start:len(buf):len(buf)]
	}
	dst = dst[:0]
	if flags&streamItemSameFields != 0 {
		f := c.fieldsPos
		p := body
		for i := 0; i < c.masterFields; i++ {
			dst = append(dst, get(f), get(p))
			f, p = lp.Next(f), lp.Next(p)
		}
		return dst, buf
	}
	n := int(lpInt(lp, body))
	p := lp.Next(body)
	for i := 0; i < n; i++ {
		q := lp.Next(p)
		dst = append(dst, get(p), get(q))
		p = lp.Next(q)
	}
	return dst, buf
}

// nodeFor is the index of the last node whose master ID is <= id, or -1.
func (s *Stream) nodeFor(id StreamID) int {
	return sort.Search(len(s.nodes), func(i int) bool { return s.nodes[i].master.Compare(id) > 0 }) - 1
}

// Range visits the live entries with start <= id <= end, ascending (or
// descending when rev), until fn returns false. fv is valid only during
// the call.
func (s *Stream) Range(start, end StreamID, rev bool, fn func(id StreamID, fv [][]byte) bool) {
	if start.Compare(end) > 0 || len(s.nodes) == 0 {
		return
	}
	var fv [][]byte
	buf := make([]byte, 0, 256)
	if !rev {
		i := s.nodeFor(start)
		if i < 0 {
			i = 0
		}
		for ; i < len(s.nodes); i++ {
			n := &s.nodes[i]
			if n.master.Compare(end) > 0 {
				return
			}
			c, p := newNodeCursor(n)
			for p >= 0 {
				id, flags, body, next := c.entry(p)
				p = next
				if flags&streamItemDeleted != 0 || id.Compare(start) < 0 {
					continue
				}
				if id.Compare(end) > 0 {
					return
				}
				fv, buf = c.fields(flags, body, fv, buf[:0])
				if !fn(id, fv) {
					return
				}
			}
		}
		return
	}
	var starts []int
	for i := s.nodeFor(end); i >= 0; i-- {
		n := &s.nodes[i]
		c, p := newNodeCursor(n)
		starts = starts[:0]
		for ; p >= 0; p = c.skip(p) {
			starts = append(starts, p)
		}
		for j := len(starts) - 1; j >= 0; j-- {
			id, flags, body, _ := c.entry(starts[j])
			if flags&streamItemDeleted != 0 || id.Compare(end) > 0 {
				continue
			}
			if id.Compare(start) < 0 {
				return
			}
			fv, buf = c.fields(flags, body, fv, buf[:0])
			if !fn(id, fv) {
				return
			}
		}
	}
}

// skip returns the position of the entry after the one at p, or -1.
func (c *nodeCursor) skip(p int) int {
	_, _, _, next := c.entry(p)
	return next
}

// Get returns a copy of the fields and values of the live entry id.
func (s *Stream) Get(id StreamID) (fv [][]byte, ok bool) {
	s.Range(id, id, false, func(_ StreamID, f [][]byte) bool {
		fv = make([][]byte, len(f))
		for i, b := range f {
			fv[i] = append([]byte(nil), b...)
		}
		ok = true
		return false
	})
	return fv, ok
}

// Delete is streamDeleteItem plus XDEL's bookkeeping: it flags the live
// entry id deleted (dropping its node when no live entry is left) and
// updates Length, FirstID and MaxDeletedID. It reports whether id existed.
func (s *Stream) Delete(id StreamID) bool {
	i := s.nodeFor(id)
	if i < 0 {
		return false
	}
	n := &s.nodes[i]
	c, p := newNodeCursor(n)
	for p >= 0 {
		eid, flags, _, next := c.entry(p)
		// Tombstones are skipped before the comparison, as Redis's
		// iterator does: after XSETID lowered the last ID below a
		// deleted entry, a node's live entry can follow a greater
		// tombstone.
		if flags&streamItemDeleted != 0 {
			p = next
			continue
		}
		if cmp := eid.Compare(id); cmp > 0 {
			return false
		} else if cmp < 0 {
			p = next
			continue
		}
		lp := n.lp
		count := lpInt(lp, lp.First())
		if count == 1 {
			s.removeNode(i)
		} else {
			lp.ReplaceInt(p, flags|streamItemDeleted) // same size: flags < 128
			q := lp.First()
			lp.ReplaceInt(q, count-1)
			q = lp.Next(q)
			lp.ReplaceInt(q, lpInt(lp, q)+1)
			n.lp = lp
		}
		s.Length--
		if id.Compare(s.MaxDeletedID) > 0 {
			s.MaxDeletedID = id
		}
		if s.Length == 0 {
			s.FirstID = StreamID{}
		} else if id == s.FirstID {
			s.FirstID = s.edgeID(true, true)
		}
		return true
	}
	return false
}

func (s *Stream) removeNode(i int) {
	if i == 0 {
		s.nodes[0] = streamNode{}
		s.nodes = s.nodes[1:]
		return
	}
	s.nodes = append(s.nodes[:i], s.nodes[i+1:]...)
	s.nodes[len(s.nodes):cap(s.nodes)][0] = streamNode{}
}

// edgeID is streamGetEdgeID: the first (or last) entry's ID, deleted
// entries included unless skipTombstones; MaxStreamID (first) or 0-0
// (last) when there is none.
func (s *Stream) edgeID(first, skipTombstones bool) StreamID {
	if first {
		for i := range s.nodes {
			c, p := newNodeCursor(&s.nodes[i])
			for p >= 0 {
				id, flags, _, next := c.entry(p)
				if !skipTombstones || flags&streamItemDeleted == 0 {
					return id
				}
				p = next
			}
		}
		return MaxStreamID
	}
	for i := len(s.nodes) - 1; i >= 0; i-- {
		c, p := newNodeCursor(&s.nodes[i])
		last, found := StreamID{}, false
		for p >= 0 {
			id, flags, _, next := c.entry(p)
			if !skipTombstones || flags&streamItemDeleted == 0 {
				last, found = id, true
			}
			p = next
		}
		if found {
			return last
		}
	}
	return StreamID{}
}

// FirstEntryID is the first entry's ID, tombstones included, or MaxStreamID
// for a stream without nodes (what XADD/XTRIM propagate as the new MINID).
func (s *Stream) FirstEntryID() StreamID { return s.edgeID(true, false) }

// LastValidID is streamLastValidID: the last live entry's ID, 0-0 if none.
func (s *Stream) LastValidID() StreamID { return s.edgeID(false, true) }

// TrimMaxLen is streamTrim with MAXLEN: it removes the oldest entries until
// at most maxLen are left. approx removes whole nodes only; limit > 0 stops
// before a node whose entries would take the removed count past it. It
// returns the number of entries removed.
func (s *Stream) TrimMaxLen(maxLen int64, approx bool, limit int64) int64 {
	return s.trim(true, maxLen, StreamID{}, approx, limit)
}

// TrimMinID is streamTrim with MINID: it removes the entries below minID,
// with approx and limit as TrimMaxLen.
func (s *Stream) TrimMinID(minID StreamID, approx bool, limit int64) int64 {
	return s.trim(false, 0, minID, approx, limit)
}

func (s *Stream) trim(byLen bool, maxLen int64, minID StreamID, approx bool, limit int64) int64 {
	var deleted int64
	for len(s.nodes) > 0 {
		if byLen && int64(s.Length) <= maxLen {
			break
		}
		n := &s.nodes[0]
		lp := n.lp
		entries := lpInt(lp, lp.First())
		if limit > 0 && deleted+entries > limit {
			break
		}
		var remove bool
		if byLen {
			remove = int64(s.Length)-entries >= maxLen
		} else {
			// The node's last entry, deleted or not, is below minID.
			c, p := newNodeCursor(n)
			var last StreamID
			for p >= 0 {
				id, _, _, next := c.entry(p)
				last, p = id, next
			}
			remove = last.Compare(minID) < 0
		}
		if remove {
			s.removeNode(0)
			s.Length -= uint64(entries)
			deleted += entries
			continue
		}
		if approx {
			break
		}
		var fromNode int64
		c, p := newNodeCursor(n)
		for p >= 0 {
			id, flags, _, next := c.entry(p)
			if byLen {
				if int64(s.Length) <= maxLen {
					break
				}
			} else if id.Compare(minID) >= 0 {
				break
			}
			if flags&streamItemDeleted == 0 {
				c.lp.ReplaceInt(p, flags|streamItemDeleted) // same size
				fromNode++
				s.Length--
			}
			p = next
		}
		deleted += fromNode
		q := lp.First()
		lp.ReplaceInt(q, entries-fromNode)
		q = lp.Next(q)
		lp.ReplaceInt(q, lpInt(lp, q)+fromNode)
		n.lp = lp
		break
	}
	if s.Length == 0 {
		s.FirstID = StreamID{}
	} else {
		s.FirstID = s.edgeID(true, true)
	}
	return deleted
}

// RangeHasTombstones is streamRangeHasTombstones: whether a deleted entry
// may lie within [start, end] (nil: unbounded).
func (s *Stream) RangeHasTombstones(start, end *StreamID) bool {
	if s.Length == 0 || s.MaxDeletedID.IsZero() || s.FirstID.Compare(s.MaxDeletedID) > 0 {
		return false
	}
	lo, hi := StreamID{}, MaxStreamID
	if start != nil {
		lo = *start
	}
	if end != nil {
		hi = *end
	}
	return lo.Compare(s.MaxDeletedID) <= 0 && s.MaxDeletedID.Compare(hi) <= 0
}

// EstimateDistanceFromFirstEverEntry is
// streamEstimateDistanceFromFirstEverEntry: the entries-read counter of id,
// or -1 (SCG_INVALID_ENTRIES_READ) when it cannot be known.
func (s *Stream) EstimateDistanceFromFirstEverEntry(id StreamID) int64 {
	if s.EntriesAdded == 0 {
		return 0
	}
	if s.Length == 0 && id.Compare(s.LastID) < 1 {
		return int64(s.EntriesAdded)
	}
	cmpLast := id.Compare(s.LastID)
	if cmpLast == 0 {
		return int64(s.EntriesAdded)
	} else if cmpLast > 0 {
		return -1
	}
	cmpFirst := id.Compare(s.FirstID)
	if s.MaxDeletedID.IsZero() || s.MaxDeletedID.Compare(s.FirstID) < 0 {
		if cmpFirst < 0 {
			return int64(s.EntriesAdded - s.Length)
		} else if cmpFirst == 0 {
			return int64(s.EntriesAdded - s.Length + 1)
		}
	}
	return -1
}

// Nodes is the number of nodes (XINFO STREAM radix-tree-keys).
func (s *Stream) Nodes() int { return len(s.nodes) }

// RangeNodes visits each node's master ID and listpack in order, until fn
// returns false. The listpack must not be modified.
func (s *Stream) RangeNodes(fn func(master StreamID, lp []byte) bool) {
	for i := range s.nodes {
		if !fn(s.nodes[i].master, s.nodes[i].lp) {
			return
		}
	}
}

// AppendNode adds a node read from an RDB file after the existing ones. It
// validates lp deeply first (streamValidateListpackIntegrity): the listpack
// itself, the master entry, every entry's shape and lp-count, and that IDs
// ascend past the previous node. The caller sets Length, LastID and the
// other counters from the file. lp is retained.
func (s *Stream) AppendNode(master StreamID, lp []byte) error {
	if err := ValidateListpack(lp, true); err != nil {
		return err
	}
	if n := len(s.nodes); n > 0 && master.Compare(s.nodes[n-1].master) <= 0 {
		return fmt.Errorf("%w: stream node IDs not ascending", ErrCorruptListpack)
	}
	if err := validateStreamNode(master, Listpack(lp)); err != nil {
		return err
	}
	s.nodes = append(s.nodes, streamNode{master: master, lp: Listpack(lp)})
	return nil
}

// validateStreamNode checks the node layout of a listpack already known to
// be a valid listpack.
func validateStreamNode(master StreamID, lp Listpack) error {
	bad := func(what string) error { return fmt.Errorf("%w: stream node: %s", ErrCorruptListpack, what) }
	p := lp.First()
	intAt := func() (int64, bool) {
		if p < 0 {
			return 0, false
		}
		_, v, isInt := lp.Get(p)
		p = lp.Next(p)
		return v, isInt
	}
	count, ok1 := intAt()
	deleted, ok2 := intAt()
	nf, ok3 := intAt()
	if !ok1 || !ok2 || !ok3 || count < 0 || deleted < 0 || nf < 0 {
		return bad("master entry")
	}
	if count+deleted == 0 {
		return bad("empty node")
	}
	for i := int64(0); i < nf; i++ {
		if p < 0 {
			return bad("master fields")
		}
		p = lp.Next(p)
	}
	if z, ok := intAt(); !ok || z != 0 {
		return bad("master terminator")
	}
	var live, dead int64
	prev, first := StreamID{}, true
	for p >= 0 {
		flags, ok := intAt()
		msd, ok2 := intAt()
		seqd, ok3 := intAt()
		if !ok || !ok2 || !ok3 {
			return bad("entry header")
		}
		id := StreamID{master.Ms + uint64(msd), master.Seq + uint64(seqd)}
		if (!first && id.Compare(prev) <= 0) || id.Compare(master) < 0 {
			return bad("entry IDs not ascending")
		}
		prev, first = id, false
		var elems int64
		if flags&streamItemSameFields != 0 {
			elems = nf
		} else {
			f, ok := intAt()
			if !ok || f < 0 {
				return bad("entry fields")
			}
			elems = 2 * f
		}
		for i := int64(0); i < elems; i++ {
			if p < 0 {
				return bad("entry truncated")
			}
			p = lp.Next(p)
		}
		want := elems + 3
		if flags&streamItemSameFields == 0 {
			want++
		}
		if c, ok := intAt(); !ok || c != want {
			return bad("lp-count")
		}
		if flags&streamItemDeleted != 0 {
			dead++
		} else {
			live++
		}
	}
	if live != count || dead != deleted {
		return bad("counts")
	}
	return nil
}

// Dup returns a deep copy (COPY). Consumer groups are copied by the
// groups' own Dup() *StreamGroups (stream_cgroup.go) when it exists.
func (s *Stream) Dup() any {
	d := *s
	d.nodes = make([]streamNode, len(s.nodes))
	for i, n := range s.nodes {
		d.nodes[i] = streamNode{master: n.master, lp: append(Listpack(nil), n.lp...)}
	}
	d.Groups = nil
	if g, ok := any(s.Groups).(interface{ Dup() *StreamGroups }); ok && s.Groups != nil {
		d.Groups = g.Dup()
	}
	return &d
}

// MemoryUsage estimates the bytes the stream's nodes take (MEMORY USAGE,
// DEBUG): listpack capacities plus the node index.
func (s *Stream) MemoryUsage(samples int) int64 {
	total := int64(64 + cap(s.nodes)*40)
	for i := range s.nodes {
		total += int64(cap(s.nodes[i].lp))
	}
	return total
}

// Digest feeds DEBUG DIGEST as Redis's xorObjectDigest does for a stream:
// each live entry's "ms.seq" ID, then its fields and values, mixed in order.
func (s *Stream) Digest(mix, xor func([]byte)) {
	var idbuf []byte
	s.Range(StreamID{}, MaxStreamID, false, func(id StreamID, fv [][]byte) bool {
		idbuf = strconv.AppendUint(idbuf[:0], id.Ms, 10)
		idbuf = append(idbuf, '.')
		idbuf = strconv.AppendUint(idbuf, id.Seq, 10)
		mix(idbuf)
		for _, b := range fv {
			mix(b)
		}
		return true
	})
}
