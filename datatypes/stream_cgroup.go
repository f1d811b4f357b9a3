package datatypes

import "slices"

// Consumer groups, as Redis's stream.h/t_stream.c: a group has the last ID
// it delivered, a logical read counter (entries_read), a pending entries
// list (PEL: ID -> NACK) ordered by ID, and consumers by name, each with its
// own PEL sharing the group's NACKs. Groups and consumers iterate in name
// order (Redis keeps both in a rax, ordered by bytes). Nothing here reads a
// clock: times come in as Unix milliseconds.

// InvalidEntriesRead is SCG_INVALID_ENTRIES_READ: the group's read counter
// is unknown.
const InvalidEntriesRead int64 = -1

// StreamGroups holds a stream's consumer groups.
type StreamGroups struct {
	byName map[string]*ConsumerGroup
	names  []string // sorted
}

// ConsumerGroup is one consumer group of a stream.
type ConsumerGroup struct {
	Name        string
	LastID      StreamID
	EntriesRead int64 // InvalidEntriesRead when unknown

	pel           idIndex[*PendingEntry]
	consumers     map[string]*Consumer
	consumerNames []string // sorted
}

// PendingEntry is a NACK: an entry delivered and not acknowledged yet. The
// same value sits in the group's PEL and in its consumer's PEL.
type PendingEntry struct {
	ID            StreamID
	DeliveryTime  int64 // Unix ms of the last delivery
	DeliveryCount uint64
	Consumer      *Consumer
}

// Consumer is one consumer of a group.
type Consumer struct {
	Name     string
	SeenTime int64 // Unix ms of the consumer's last interaction
	pel      idIndex[*PendingEntry]
}

// --- groups of a stream ---

// CreateGroup adds a group; it returns false when the name is taken.
func (s *Stream) CreateGroup(name string, last StreamID, entriesRead int64) (*ConsumerGroup, bool) {
	if s.Groups == nil {
		s.Groups = &StreamGroups{byName: make(map[string]*ConsumerGroup)}
	}
	gs := s.Groups
	if _, ok := gs.byName[name]; ok {
		return nil, false
	}
	g := &ConsumerGroup{Name: name, LastID: last, EntriesRead: entriesRead, consumers: make(map[string]*Consumer)}
	gs.byName[name] = g
	i, _ := slices.BinarySearch(gs.names, name)
	gs.names = slices.Insert(gs.names, i, name)
	return g, true
}

// LookupGroup returns the group called name, or nil.
func (s *Stream) LookupGroup(name string) *ConsumerGroup {
	if s.Groups == nil {
		return nil
	}
	return s.Groups.byName[name]
}

// DestroyGroup removes the group called name, reporting whether it existed.
func (s *Stream) DestroyGroup(name string) bool {
	if s.Groups == nil {
		return false
	}
	gs := s.Groups
	if _, ok := gs.byName[name]; !ok {
		return false
	}
	delete(gs.byName, name)
	if i, ok := slices.BinarySearch(gs.names, name); ok {
		gs.names = slices.Delete(gs.names, i, i+1)
	}
	return true
}

// GroupCount is the number of groups.
func (s *Stream) GroupCount() int {
	if s.Groups == nil {
		return 0
	}
	return len(s.Groups.names)
}

// RangeGroups visits the groups in name order until fn returns false.
func (s *Stream) RangeGroups(fn func(g *ConsumerGroup) bool) {
	if s.Groups == nil {
		return
	}
	for _, name := range s.Groups.names {
		if !fn(s.Groups.byName[name]) {
			return
		}
	}
}

// --- consumers of a group ---

// CreateConsumer adds a consumer seen at now; it returns false (and the
// existing consumer) when the name is taken.
func (g *ConsumerGroup) CreateConsumer(name string, now int64) (*Consumer, bool) {
	if c, ok := g.consumers[name]; ok {
		return c, false
	}
	c := &Consumer{Name: name, SeenTime: now}
	g.consumers[name] = c
	i, _ := slices.BinarySearch(g.consumerNames, name)
	g.consumerNames = slices.Insert(g.consumerNames, i, name)
	return c, true
}

// LookupConsumer returns the consumer called name, or nil.
func (g *ConsumerGroup) LookupConsumer(name string) *Consumer { return g.consumers[name] }

// DeleteConsumer removes c and its pending entries from the group (they
// are not reassigned, as streamDelConsumer), returning how many it had.
func (g *ConsumerGroup) DeleteConsumer(c *Consumer) int {
	n := c.pel.Len()
	c.pel.Range(StreamID{}, MaxStreamID, func(id StreamID, _ *PendingEntry) bool {
		g.pel.Delete(id)
		return true
	})
	c.pel = idIndex[*PendingEntry]{}
	delete(g.consumers, c.Name)
	if i, ok := slices.BinarySearch(g.consumerNames, c.Name); ok {
		g.consumerNames = slices.Delete(g.consumerNames, i, i+1)
	}
	return n
}

// ConsumerCount is the number of consumers.
func (g *ConsumerGroup) ConsumerCount() int { return len(g.consumerNames) }

// RangeConsumers visits the consumers in name order until fn returns false.
func (g *ConsumerGroup) RangeConsumers(fn func(c *Consumer) bool) {
	for _, name := range g.consumerNames {
		if !fn(g.consumers[name]) {
			return
		}
	}
}

// PendingLen is the size of the consumer's PEL.
func (c *Consumer) PendingLen() int { return c.pel.Len() }

// RangePending visits the consumer's pending entries with start <= ID <=
// end in ID order until fn returns false.
func (c *Consumer) RangePending(start, end StreamID, fn func(pe *PendingEntry) bool) {
	c.pel.Range(start, end, func(_ StreamID, pe *PendingEntry) bool { return fn(pe) })
}

// --- the group's PEL ---

// PendingLen is the size of the group's PEL.
func (g *ConsumerGroup) PendingLen() int { return g.pel.Len() }

// LookupPending returns the NACK of id, or nil.
func (g *ConsumerGroup) LookupPending(id StreamID) *PendingEntry {
	pe, _ := g.pel.Get(id)
	return pe
}

// AddPending creates the NACK of id owned by c (nil: no owner yet, as
// XCLAIM FORCE and the RDB loader create them), delivered at now with a
// count of 1. It returns false, and the existing NACK, when id is pending.
func (g *ConsumerGroup) AddPending(id StreamID, c *Consumer, now int64) (*PendingEntry, bool) {
	if pe, ok := g.pel.Get(id); ok {
		return pe, false
	}
	pe := &PendingEntry{ID: id, DeliveryTime: now, DeliveryCount: 1}
	g.pel.Insert(id, pe)
	if c != nil {
		pe.Consumer = c
		c.pel.Insert(id, pe)
	}
	return pe, true
}

// SetOwner moves pe to consumer c's PEL.
func (g *ConsumerGroup) SetOwner(pe *PendingEntry, c *Consumer) {
	if pe.Consumer == c {
		return
	}
	if pe.Consumer != nil {
		pe.Consumer.pel.Delete(pe.ID)
	}
	pe.Consumer = c
	c.pel.Insert(pe.ID, pe)
}

// Ack removes id from the group's PEL and its owner's, reporting whether
// it was pending.
func (g *ConsumerGroup) Ack(id StreamID) bool {
	pe, ok := g.pel.Delete(id)
	if !ok {
		return false
	}
	if pe.Consumer != nil {
		pe.Consumer.pel.Delete(id)
	}
	return true
}

// RangePending visits the group's pending entries with start <= ID <= end
// in ID order until fn returns false. fn may Ack the entry it is given.
func (g *ConsumerGroup) RangePending(start, end StreamID, fn func(pe *PendingEntry) bool) {
	g.pel.Range(start, end, func(_ StreamID, pe *PendingEntry) bool { return fn(pe) })
}

// PendingBounds returns the smallest and largest pending IDs (false when
// the PEL is empty).
func (g *ConsumerGroup) PendingBounds() (first, last StreamID, ok bool) {
	if g.pel.Len() == 0 {
		return StreamID{}, StreamID{}, false
	}
	return g.pel.first(), g.pel.last(), true
}

// Dup copies the groups for a stream copy (COPY): NACKs and consumers
// are rebuilt so the copy shares nothing.
func (gs *StreamGroups) Dup() *StreamGroups {
	if gs == nil {
		return nil
	}
	out := &StreamGroups{byName: make(map[string]*ConsumerGroup, len(gs.byName)), names: slices.Clone(gs.names)}
	for name, g := range gs.byName {
		ng := &ConsumerGroup{Name: g.Name, LastID: g.LastID, EntriesRead: g.EntriesRead, consumers: make(map[string]*Consumer, len(g.consumers)), consumerNames: slices.Clone(g.consumerNames)}
		for cname, c := range g.consumers {
			ng.consumers[cname] = &Consumer{Name: c.Name, SeenTime: c.SeenTime}
		}
		g.pel.Range(StreamID{}, MaxStreamID, func(id StreamID, pe *PendingEntry) bool {
			npe := &PendingEntry{ID: id, DeliveryTime: pe.DeliveryTime, DeliveryCount: pe.DeliveryCount}
			ng.pel.Insert(id, npe)
			if pe.Consumer != nil {
				npe.Consumer = ng.consumers[pe.Consumer.Name]
				npe.Consumer.pel.Insert(id, npe)
			}
			return true
		})
		out.byName[name] = ng
	}
	return out
}

// --- idIndex: an ordered map keyed by stream ID ---

// idIndex is an ordered map from stream IDs to values, kept as a list of
// sorted chunks of at most idChunkMax entries: lookups are two binary
// searches, inserts at the tail (the usual delivery order) and deletes at
// the head (the usual acknowledgement order) touch one small chunk, and a
// range scan walks chunks in order. The zero value is empty.
type idIndex[V any] struct {
	chunks []*idChunk[V]
	n      int
}

type idChunk[V any] struct {
	ids  []StreamID
	vals []V
}

const idChunkMax = 128

func (x *idIndex[V]) Len() int { return x.n }

// chunkFor returns the index of the first chunk whose last ID is >= id
// (len(chunks) when id is past every chunk).
func (x *idIndex[V]) chunkFor(id StreamID) int {
	lo, hi := 0, len(x.chunks)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		ch := x.chunks[m]
		if ch.ids[len(ch.ids)-1].Compare(id) < 0 {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// search returns the position of the first ID >= id within ch.
func (ch *idChunk[V]) search(id StreamID) int {
	lo, hi := 0, len(ch.ids)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if ch.ids[m].Compare(id) < 0 {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

func (x *idIndex[V]) Get(id StreamID) (V, bool) {
	var zero V
	ci := x.chunkFor(id)
	if ci == len(x.chunks) {
		return zero, false
	}
	ch := x.chunks[ci]
	i := ch.search(id)
	if i < len(ch.ids) && ch.ids[i] == id {
		return ch.vals[i], true
	}
	return zero, false
}

// Insert adds id -> v, reporting false (and changing nothing) when id is
// already present.
func (x *idIndex[V]) Insert(id StreamID, v V) bool {
	if len(x.chunks) == 0 {
		x.chunks = []*idChunk[V]{{ids: []StreamID{id}, vals: []V{v}}}
		x.n = 1
		return true
	}
	ci := x.chunkFor(id)
	if ci == len(x.chunks) {
		ci-- // past the end: append to the last chunk
	}
	ch := x.chunks[ci]
	i := ch.search(id)
	if i < len(ch.ids) && ch.ids[i] == id {
		return false
	}
	ch.ids = slices.Insert(ch.ids, i, id)
	ch.vals = slices.Insert(ch.vals, i, v)
	x.n++
	if len(ch.ids) > idChunkMax {
		// Split; a chunk that grew at its tail keeps most entries, so
		// IDs appended in order fill chunks instead of halving them.
		cut := len(ch.ids) / 2
		if i == len(ch.ids)-1 {
			cut = len(ch.ids) - 1
		}
		right := &idChunk[V]{ids: slices.Clone(ch.ids[cut:]), vals: slices.Clone(ch.vals[cut:])}
		clear(ch.vals[cut:])
		ch.ids, ch.vals = ch.ids[:cut:cut], ch.vals[:cut:cut]
		x.chunks = slices.Insert(x.chunks, ci+1, right)
	}
	return true
}

// Delete removes id, returning its value.
func (x *idIndex[V]) Delete(id StreamID) (V, bool) {
	var zero V
	ci := x.chunkFor(id)
	if ci == len(x.chunks) {
		return zero, false
	}
	ch := x.chunks[ci]
	i := ch.search(id)
	if i == len(ch.ids) || ch.ids[i] != id {
		return zero, false
	}
	v := ch.vals[i]
	if i == 0 {
		// Deleting at the head is the common case (oldest acked first):
		// reslice instead of moving the rest down.
		ch.vals[0] = zero
		ch.ids, ch.vals = ch.ids[1:], ch.vals[1:]
	} else {
		ch.ids = slices.Delete(ch.ids, i, i+1)
		ch.vals = slices.Delete(ch.vals, i, i+1)
	}
	x.n--
	if len(ch.ids) == 0 {
		x.chunks = slices.Delete(x.chunks, ci, ci+1)
	}
	return v, true
}

// Range visits entries with start <= id <= end in order until fn returns
// false. fn may delete the entry it is given (and nothing else).
func (x *idIndex[V]) Range(start, end StreamID, fn func(id StreamID, v V) bool) {
	cur := start
	for {
		ci := x.chunkFor(cur)
		if ci == len(x.chunks) {
			return
		}
		ch := x.chunks[ci]
		reseek := false
		for i := ch.search(cur); i < len(ch.ids); i++ {
			id := ch.ids[i]
			if id.Compare(end) > 0 {
				return
			}
			n := x.n
			if !fn(id, ch.vals[i]) {
				return
			}
			if x.n != n {
				// fn deleted: the chunk may have changed, seek again.
				next, ok := id.Incr()
				if !ok {
					return
				}
				cur, reseek = next, true
				break
			}
		}
		if reseek {
			continue
		}
		if ci+1 >= len(x.chunks) {
			return
		}
		cur = x.chunks[ci+1].ids[0]
	}
}

func (x *idIndex[V]) first() StreamID { return x.chunks[0].ids[0] }

func (x *idIndex[V]) last() StreamID {
	ch := x.chunks[len(x.chunks)-1]
	return ch.ids[len(ch.ids)-1]
}
