package persistence

// Streams in RDB (rdb.c, Redis 7.0). RDB_TYPE_STREAM_LISTPACKS_2, which we
// write:
//
//	length: number of nodes
//	per node: string master ID (16 bytes: ms, seq big-endian), string listpack
//	length: entries; last ID ms, seq; first ID ms, seq; max deleted ID ms,
//	seq; entries added                          (type 15 stops after last ID)
//	length: consumer groups, then per group in name order:
//	  string name; last ID ms, seq; entries read (type 15: none)
//	  length: PEL size, then per entry: 16-byte raw ID, 8-byte LE delivery
//	          time, length delivery count
//	  length: consumers, then per consumer in name order: string name,
//	          8-byte LE seen time (type 21: then active time), length: PEL
//	          size, then 16-byte raw IDs that must be in the group's PEL
//
// Lengths are 64-bit, so -1 (entries read unknown) is written as 2^64-1.

import (
	"encoding/binary"

	"ferrite/datatypes"
)

// streamSupported: streams are saved as RDB_TYPE_STREAM_LISTPACKS_2.
const streamSupported = true

func appendRawID(b []byte, id datatypes.StreamID) []byte {
	b = binary.BigEndian.AppendUint64(b, id.Ms)
	return binary.BigEndian.AppendUint64(b, id.Seq)
}

func (e *encoder) id(id datatypes.StreamID) {
	e.b = appendLen(e.b, id.Ms)
	e.b = appendLen(e.b, id.Seq)
}

// stream is rdbSaveObject's stream part.
func (e *encoder) stream(o *datatypes.Object) error {
	s := o.Stream()
	e.length(s.Nodes())
	var err error
	var key [16]byte
	s.RangeNodes(func(master datatypes.StreamID, lp []byte) bool {
		e.str(appendRawID(key[:0], master))
		e.str(lp)
		err = e.spill()
		return err == nil
	})
	if err != nil {
		return err
	}
	e.b = appendLen(e.b, s.Length)
	e.id(s.LastID)
	e.id(s.FirstID)
	e.id(s.MaxDeletedID)
	e.b = appendLen(e.b, s.EntriesAdded)
	e.length(s.GroupCount())
	s.RangeGroups(func(g *datatypes.ConsumerGroup) bool {
		e.strString(g.Name)
		e.id(g.LastID)
		e.b = appendLen(e.b, uint64(g.EntriesRead))
		e.length(g.PendingLen())
		g.RangePending(datatypes.StreamID{}, datatypes.MaxStreamID, func(pe *datatypes.PendingEntry) bool {
			e.b = appendRawID(e.b, pe.ID)
			e.b = binary.LittleEndian.AppendUint64(e.b, uint64(pe.DeliveryTime))
			e.b = appendLen(e.b, pe.DeliveryCount)
			return true
		})
		e.length(g.ConsumerCount())
		g.RangeConsumers(func(c *datatypes.Consumer) bool {
			e.strString(c.Name)
			e.b = binary.LittleEndian.AppendUint64(e.b, uint64(c.SeenTime))
			e.length(c.PendingLen())
			c.RangePending(datatypes.StreamID{}, datatypes.MaxStreamID, func(pe *datatypes.PendingEntry) bool {
				e.b = appendRawID(e.b, pe.ID)
				return true
			})
			return true
		})
		err = e.spill()
		return err == nil
	})
	return err
}

func (d *decoder) streamID() (datatypes.StreamID, error) {
	ms, err := d.plainLen()
	if err != nil {
		return datatypes.StreamID{}, err
	}
	seq, err := d.plainLen()
	return datatypes.StreamID{Ms: ms, Seq: seq}, err
}

func (d *decoder) rawID() (datatypes.StreamID, error) {
	p, err := d.fixed(16)
	if err != nil {
		return datatypes.StreamID{}, err
	}
	return datatypes.StreamID{Ms: binary.BigEndian.Uint64(p), Seq: binary.BigEndian.Uint64(p[8:])}, nil
}

func (d *decoder) msTime() (int64, error) {
	p, err := d.fixed(8)
	if err != nil {
		return 0, err
	}
	return int64(binary.LittleEndian.Uint64(p)), nil
}

// stream is rdbLoadObject's stream part for types 15, 19 and 21.
func (d *decoder) stream(t byte) (*datatypes.Object, error) {
	s := datatypes.NewStream()
	nodes, err := d.plainLen()
	if err != nil {
		return nil, err
	}
	for ; nodes > 0; nodes-- {
		start := d.offset()
		key, err := d.string()
		if err != nil {
			return nil, err
		}
		if len(key) != 16 {
			return nil, &CorruptError{Offset: start, Reason: "stream node key entry is not the size of a stream ID"}
		}
		master := datatypes.StreamID{Ms: binary.BigEndian.Uint64(key), Seq: binary.BigEndian.Uint64(key[8:])}
		start = d.offset()
		lp, err := d.string()
		if err != nil {
			return nil, err
		}
		if err := datatypes.ValidateListpack(lp, true); err != nil {
			return nil, &CorruptError{Offset: start, Reason: "stream listpack integrity check failed: " + err.Error()}
		}
		if datatypes.Listpack(lp).First() < 0 {
			return nil, &CorruptError{Offset: start, Reason: "empty listpack inside stream"}
		}
		if err := s.AppendNode(master, lp); err != nil {
			return nil, &CorruptError{Offset: start, Reason: "stream listpack integrity check failed: " + err.Error()}
		}
	}
	if s.Length, err = d.plainLen(); err != nil {
		return nil, err
	}
	if s.LastID, err = d.streamID(); err != nil {
		return nil, err
	}
	if t >= typeStreamListpacks2 {
		if s.FirstID, err = d.streamID(); err != nil {
			return nil, err
		}
		if s.MaxDeletedID, err = d.streamID(); err != nil {
			return nil, err
		}
		if s.EntriesAdded, err = d.plainLen(); err != nil {
			return nil, err
		}
	} else {
		// As Redis migrating an old stream: the counter restarts at the
		// length, and the first ID is the first live entry.
		s.EntriesAdded = s.Length
		s.FirstID = datatypes.MaxStreamID
		s.Range(datatypes.StreamID{}, datatypes.MaxStreamID, false, func(id datatypes.StreamID, _ [][]byte) bool {
			s.FirstID = id
			return false
		})
	}
	if s.Length != 0 && s.Nodes() == 0 {
		return nil, d.corrupt("stream length inconsistent with rax entries")
	}
	groups, err := d.plainLen()
	if err != nil {
		return nil, err
	}
	for ; groups > 0; groups-- {
		if err := d.streamGroup(s, t); err != nil {
			return nil, err
		}
	}
	return datatypes.NewObject(datatypes.TypeStream, datatypes.EncStream, s), nil
}

func (d *decoder) streamGroup(s *datatypes.Stream, t byte) error {
	name, err := d.string()
	if err != nil {
		return err
	}
	last, err := d.streamID()
	if err != nil {
		return err
	}
	var read int64
	if t >= typeStreamListpacks2 {
		n, err := d.plainLen()
		if err != nil {
			return err
		}
		read = int64(n)
	} else {
		read = s.EstimateDistanceFromFirstEverEntry(last)
	}
	g, ok := s.CreateGroup(string(name), last, read)
	if !ok {
		return d.corrupt("duplicated consumer group name %q", name)
	}
	pel, err := d.plainLen()
	if err != nil {
		return err
	}
	for ; pel > 0; pel-- {
		id, err := d.rawID()
		if err != nil {
			return err
		}
		when, err := d.msTime()
		if err != nil {
			return err
		}
		count, err := d.plainLen()
		if err != nil {
			return err
		}
		pe, ok := g.AddPending(id, nil, when)
		if !ok {
			return d.corrupt("duplicated global PEL entry loading stream consumer group")
		}
		pe.DeliveryCount = count
	}
	consumers, err := d.plainLen()
	if err != nil {
		return err
	}
	for ; consumers > 0; consumers-- {
		cname, err := d.string()
		if err != nil {
			return err
		}
		seen, err := d.msTime()
		if err != nil {
			return err
		}
		if t >= typeStreamListpacks3 {
			if _, err := d.msTime(); err != nil { // active time: Redis 7.2 only
				return err
			}
		}
		c, ok := g.CreateConsumer(string(cname), seen)
		if !ok {
			return d.corrupt("duplicate stream consumer detected")
		}
		n, err := d.plainLen()
		if err != nil {
			return err
		}
		for ; n > 0; n-- {
			id, err := d.rawID()
			if err != nil {
				return err
			}
			pe := g.LookupPending(id)
			if pe == nil {
				return d.corrupt("consumer entry not found in group global PEL")
			}
			if pe.Consumer == c {
				return d.corrupt("duplicated consumer PEL entry loading a stream consumer group")
			}
			g.SetOwner(pe, c)
		}
	}
	// Deep sanitization: every pending entry needs an owner.
	var orphan error
	g.RangePending(datatypes.StreamID{}, datatypes.MaxStreamID, func(pe *datatypes.PendingEntry) bool {
		if pe.Consumer == nil {
			orphan = d.corrupt("stream CG PEL entry without consumer")
		}
		return orphan == nil
	})
	return orphan
}
