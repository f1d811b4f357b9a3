package server

import (
	"bytes"
	"errors"
	"slices"

	"ferrite/datatypes"
)

// Bitmap commands, as Redis 7.0's bitops.c: strings addressed bit by bit
// (SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP) or as packed integers of 1 to
// 64 bits (BITFIELD, BITFIELD_RO). The pure bit arithmetic lives in
// datatypes/bitops.go.
//
// Writers turn the value into a private raw buffer grown with zero bytes up
// to the highest bit they touch, as lookupStringForBitCommand does; readers
// see an int-encoded value as its decimal digits. In 7.0 BITCOUNT and
// BITPOS look the key up before parsing their range, so a missing key
// answers 0 (or BITPOS's -1/0) whatever the remaining arguments.

var bitmapCommands = map[string]cmdProc{
	"setbit":      setbitCommand,
	"getbit":      getbitCommand,
	"bitcount":    bitcountCommand,
	"bitpos":      bitposCommand,
	"bitop":       bitopCommand,
	"bitfield":    bitfieldCommand,
	"bitfield_ro": bitfieldroCommand,
}

var (
	errBitOffset     = errors.New("ERR bit offset is not an integer or out of range")
	errBitValue      = errors.New("ERR bit is not an integer or out of range")
	errBitArg        = errors.New("ERR The bit argument must be 1 or 0.")
	errBitopNot      = errors.New("ERR BITOP NOT must be called with a single source key.")
	errBitfieldType  = errors.New("ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.")
	errBitfieldOflow = errors.New("ERR Invalid OVERFLOW type specified")
	errBitfieldRO    = errors.New("ERR BITFIELD_RO only supports the GET subcommand")
)

// bitOffset parses a bit offset as getBitOffsetFromArgument: a
// non-negative integer whose byte lies below proto-max-bulk-len. With
// nbits > 0 (BITFIELD) the form #N means N*nbits; the product wraps as
// Redis's long long multiplication does in practice. It replies on error.
func (c *client) bitOffset(arg []byte, nbits int) (uint64, bool) {
	useHash := nbits > 0 && len(arg) > 0 && arg[0] == '#'
	if useHash {
		arg = arg[1:]
	}
	off, ok := datatypes.ParseInt(arg)
	if ok && useHash {
		off *= int64(nbits)
	}
	if !ok || off < 0 || off>>3 >= c.srv.cfg.ProtoMaxBulkLen {
		c.addError(errBitOffset)
		return 0, false
	}
	return uint64(off), true
}

// bitfieldType parses a BITFIELD type, i1..i64 or u1..u63 (a u64 could not
// be replied as a RESP integer). Like Redis it reads the digits as a C
// string, up to a NUL byte. It replies on error.
func (c *client) bitfieldType(arg []byte) (signed bool, nbits int, ok bool) {
	if i := bytes.IndexByte(arg, 0); i >= 0 {
		arg = arg[:i]
	}
	if len(arg) == 0 || (arg[0] != 'i' && arg[0] != 'u') {
		c.addError(errBitfieldType)
		return false, 0, false
	}
	signed = arg[0] == 'i'
	n, ok := datatypes.ParseInt(arg[1:])
	if !ok || n < 1 || (signed && n > 64) || (!signed && n > 63) {
		c.addError(errBitfieldType)
		return false, 0, false
	}
	return signed, int(n), true
}

// lookupStringForBit returns the string at c.argv[1] as a private raw
// buffer holding at least bit maxbit, creating the key or padding the
// value with zero bytes (lookupStringForBitCommand). grew reports whether
// the key was created or lengthened. It replies WRONGTYPE and returns nil
// for another type.
func (c *client) lookupStringForBit(maxbit uint64) (o *datatypes.Object, grew bool) {
	key := c.argv[1]
	o, ok := c.lookupType(key, datatypes.TypeString, true)
	if !ok {
		return nil, false
	}
	need := int(maxbit>>3) + 1
	if o == nil {
		o = datatypes.NewRawString(make([]byte, need))
		c.srv.dbAdd(c.db, key, o)
		return o, true
	}
	b := o.Unshare()
	if need > len(b) {
		old := len(b)
		b = slices.Grow(b, need-old)[:need]
		clear(b[old:])
		o.SetRaw(b)
		grew = true
	}
	return o, grew
}

// SETBIT key offset value
//
// As Redis 7.0.15, a SETBIT counts as a change (and propagates) only when
// it created or grew the string or flipped the bit.
func setbitCommand(c *client) {
	off, ok := c.bitOffset(c.argv[2], 0)
	if !ok {
		return
	}
	on, ok := datatypes.ParseInt(c.argv[3])
	if !ok || on&^1 != 0 {
		c.addError(errBitValue)
		return
	}
	o, grew := c.lookupStringForBit(off)
	if o == nil {
		return
	}
	b := o.Str()
	byt, shift := off>>3, 7-off&7
	old := b[byt] >> shift & 1
	if grew || int64(old) != on {
		b[byt] = b[byt]&^(1<<shift) | byte(on)<<shift
		c.srv.signalModifiedKey(c.db, unsafeString(c.argv[1]))
		c.notify(NotifyString, "setbit", c.argv[1])
		c.srv.addDirty(1)
	}
	c.addInt(int64(old))
}

// GETBIT key offset
func getbitCommand(c *client) {
	off, ok := c.bitOffset(c.argv[2], 0)
	if !ok {
		return
	}
	o, ok := c.lookupType(c.argv[1], datatypes.TypeString, false)
	if !ok {
		return
	}
	var bit byte
	if o != nil {
		if b := o.StringBytes(); off>>3 < uint64(len(b)) {
			bit = b[off>>3] >> (7 - off&7) & 1
		}
	}
	c.addInt(int64(bit))
}

// bitRange is a range of BITCOUNT or BITPOS in bytes, start > end when
// empty. firstMask and lastMask select the bits of the first and last
// byte that lie outside a range given in BIT units.
type bitRange struct {
	start, end          int64
	firstMask, lastMask byte
}

// resolveBitRange resolves start/end over a string of n bytes as both
// commands do in Redis: negative indexes count from the end and the range
// is clamped to the string.
func resolveBitRange(n, start, end int64, isBit bool) bitRange {
	total := n
	if isBit {
		total <<= 3
	}
	if start < 0 {
		start += total
	}
	if end < 0 {
		end += total
	}
	start, end = max(start, 0), max(end, 0)
	if end >= total {
		end = total - 1
	}
	r := bitRange{start: start, end: end}
	if isBit && start <= end {
		r.firstMask = ^byte(1<<(8-start&7) - 1)
		r.lastMask = byte(1<<(7-end&7) - 1)
		r.start, r.end = start>>3, end>>3
	}
	return r
}

// parseBitUnit parses the BYTE|BIT option of BITCOUNT and BITPOS.
func (c *client) parseBitUnit(arg []byte) (isBit, ok bool) {
	switch {
	case argIsASCII(arg, "bit"):
		return true, true
	case argIsASCII(arg, "byte"):
		return false, true
	}
	c.addError(errSyntax)
	return false, false
}

// BITCOUNT key [start end [BYTE | BIT]]
func bitcountCommand(c *client) {
	o, ok := c.lookupType(c.argv[1], datatypes.TypeString, false)
	if !ok {
		return
	}
	if o == nil {
		c.addInt(0)
		return
	}
	p := o.StringBytes()
	var r bitRange
	switch len(c.argv) {
	case 2:
		r = bitRange{start: 0, end: int64(len(p)) - 1}
	case 4, 5:
		start, ok1 := datatypes.ParseInt(c.argv[2])
		end, ok2 := datatypes.ParseInt(c.argv[3])
		if !ok1 || !ok2 {
			c.addError(errNotInt)
			return
		}
		// 7.0 answers an empty negative range before looking at the unit.
		if start < 0 && end < 0 && start > end {
			c.addInt(0)
			return
		}
		isBit := false
		if len(c.argv) == 5 {
			if isBit, ok = c.parseBitUnit(c.argv[4]); !ok {
				return
			}
		}
		r = resolveBitRange(int64(len(p)), start, end, isBit)
	default:
		c.addError(errSyntax)
		return
	}
	if r.start > r.end {
		c.addInt(0)
		return
	}
	count := datatypes.Popcount(p[r.start : r.end+1])
	// Bits of the edge bytes outside a BIT range were counted: take them off.
	count -= datatypes.Popcount([]byte{p[r.start] & r.firstMask, p[r.end] & r.lastMask})
	c.addInt(count)
}

// BITPOS key bit [start [end [BYTE | BIT]]]
//
// A missing key is an endless run of zeros. Without an explicit end the
// string also reads as padded with zeros, so looking for 0 in all ones
// finds the first bit past the end; with an end it finds nothing (-1).
func bitposCommand(c *client) {
	bit, ok := datatypes.ParseInt(c.argv[2])
	if !ok {
		c.addError(errNotInt)
		return
	}
	if bit != 0 && bit != 1 {
		c.addError(errBitArg)
		return
	}
	o, ok := c.lookupType(c.argv[1], datatypes.TypeString, false)
	if !ok {
		return
	}
	if o == nil {
		c.addInt(-bit) // -1 for a 1, 0 for a 0
		return
	}
	p := o.StringBytes()
	var r bitRange
	endGiven := false
	switch len(c.argv) {
	case 3:
		r = bitRange{start: 0, end: int64(len(p)) - 1}
	case 4, 5, 6:
		start, ok := datatypes.ParseInt(c.argv[3])
		if !ok {
			c.addError(errNotInt)
			return
		}
		isBit := false
		if len(c.argv) == 6 {
			if isBit, ok = c.parseBitUnit(c.argv[5]); !ok {
				return
			}
		}
		end := int64(len(p)) - 1
		if len(c.argv) >= 5 {
			if end, ok = datatypes.ParseInt(c.argv[4]); !ok {
				c.addError(errNotInt)
				return
			}
			endGiven = true
		}
		r = resolveBitRange(int64(len(p)), start, end, isBit)
	default:
		c.addError(errSyntax)
		return
	}
	if r.start > r.end {
		c.addInt(-1)
		return
	}
	pos := searchBits(p, r, int(bit))
	if endGiven && bit == 0 && pos == (r.end-r.start+1)*8 {
		c.addInt(-1)
		return
	}
	if pos != -1 {
		pos += r.start << 3
	}
	c.addInt(pos)
}

// searchBits is datatypes.BitPos over the bytes of the non-empty range r
// of p, with the edge bits outside a BIT range forced to the value not
// searched for. The position is relative to the range's first byte; a 0
// not found is reported one past the range's last byte, as BitPos does.
func searchBits(p []byte, r bitRange, bit int) int64 {
	fix := func(c, outside byte) byte {
		if bit == 1 {
			return c &^ outside
		}
		return c | outside
	}
	if r.start == r.end {
		return datatypes.BitPos([]byte{fix(fix(p[r.start], r.firstMask), r.lastMask)}, bit)
	}
	if pos := datatypes.BitPos([]byte{fix(p[r.start], r.firstMask)}, bit); pos >= 0 && pos < 8 {
		return pos
	}
	mid := r.end - r.start - 1
	if pos := datatypes.BitPos(p[r.start+1:r.end], bit); pos >= 0 && pos < mid*8 {
		return 8 + pos
	}
	pos := datatypes.BitPos([]byte{fix(p[r.end], r.lastMask)}, bit)
	if pos < 0 {
		return -1
	}
	return (mid+1)*8 + pos
}

// BITOP AND | OR | XOR | NOT destkey key [key ...]
//
// Missing sources read as empty strings. The destination gets a raw
// string as long as the longest source (its TTL dropped), or is deleted
// when every source is empty.
func bitopCommand(c *client) {
	var op int
	switch opname := c.argv[1]; {
	case argIsASCII(opname, "and"):
		op = datatypes.BitAnd
	case argIsASCII(opname, "or"):
		op = datatypes.BitOr
	case argIsASCII(opname, "xor"):
		op = datatypes.BitXor
	case argIsASCII(opname, "not"):
		op = datatypes.BitNot
	default:
		c.addError(errSyntax)
		return
	}
	if op == datatypes.BitNot && len(c.argv) != 4 {
		c.addError(errBitopNot)
		return
	}
	srcs := make([][]byte, 0, len(c.argv)-3)
	for _, key := range c.argv[3:] {
		o, ok := c.lookupType(key, datatypes.TypeString, false)
		if !ok {
			return
		}
		var b []byte
		if o != nil {
			b = o.StringBytes()
		}
		srcs = append(srcs, b)
	}
	s, dest := c.srv, c.argv[2]
	res := datatypes.BitOp(op, srcs)
	if res != nil {
		s.setKey(c.db, dest, datatypes.NewRawString(res), false)
		c.notify(NotifyString, "set", dest)
		s.addDirty(1)
	} else if s.dbDelete(c.db, dest) {
		c.notify(NotifyGeneric, "del", dest)
		s.addDirty(1)
	}
	c.addInt(int64(len(res)))
}

// Bitfield subcommands.
const (
	bitfieldGet = iota
	bitfieldSet
	bitfieldIncrby
)

type bitfieldOp struct {
	offset uint64
	value  int64 // SET value or INCRBY increment
	opcode int
	owtype int
	bits   int
	signed bool
}

// BITFIELD key [GET encoding offset | [OVERFLOW WRAP | SAT | FAIL] SET encoding offset value | INCRBY encoding offset increment [GET encoding offset | [OVERFLOW WRAP | SAT | FAIL] SET encoding offset value | INCRBY encoding offset increment ...]]
func bitfieldCommand(c *client) { bitfieldGeneric(c, false) }

// BITFIELD_RO key [GET encoding offset [GET encoding offset ...]]
func bitfieldroCommand(c *client) { bitfieldGeneric(c, true) }

// bitfieldGeneric parses every operation first (any error leaves the key
// untouched), then creates or grows the string once up to the farthest
// bit written and runs the operations in order. A write refused by
// OVERFLOW FAIL replies null. As in 7.0.15, a SET or INCRBY counts as a
// change when it changed the field or the string grew, and the command
// propagates (as given) only when one did.
func bitfieldGeneric(c *client, readOnlyCmd bool) {
	var ops []bitfieldOp
	owtype := datatypes.OverflowWrap
	readonly := true
	var highest uint64
	argv := c.argv
	for j := 2; j < len(argv); j++ {
		remargs := len(argv) - j - 1
		sub := argv[j]
		var opcode int
		switch {
		case argIsASCII(sub, "get") && remargs >= 2:
			opcode = bitfieldGet
		case argIsASCII(sub, "set") && remargs >= 3:
			opcode = bitfieldSet
		case argIsASCII(sub, "incrby") && remargs >= 3:
			opcode = bitfieldIncrby
		case argIsASCII(sub, "overflow") && remargs >= 1:
			j++
			switch name := argv[j]; {
			case argIsASCII(name, "wrap"):
				owtype = datatypes.OverflowWrap
			case argIsASCII(name, "sat"):
				owtype = datatypes.OverflowSat
			case argIsASCII(name, "fail"):
				owtype = datatypes.OverflowFail
			default:
				c.addError(errBitfieldOflow)
				return
			}
			continue
		default:
			c.addError(errSyntax)
			return
		}
		signed, nbits, ok := c.bitfieldType(argv[j+1])
		if !ok {
			return
		}
		off, ok := c.bitOffset(argv[j+2], nbits)
		if !ok {
			return
		}
		var v int64
		if opcode != bitfieldGet {
			readonly = false
			highest = max(highest, off+uint64(nbits)-1)
			if v, ok = datatypes.ParseInt(argv[j+3]); !ok {
				c.addError(errNotInt)
				return
			}
			j++
		}
		ops = append(ops, bitfieldOp{offset: off, value: v, opcode: opcode, owtype: owtype, bits: nbits, signed: signed})
		j += 2
	}

	var o *datatypes.Object
	var grew bool
	if readonly {
		var ok bool
		if o, ok = c.lookupType(argv[1], datatypes.TypeString, false); !ok {
			return
		}
	} else {
		if readOnlyCmd {
			c.addError(errBitfieldRO)
			return
		}
		if o, grew = c.lookupStringForBit(highest); o == nil {
			return
		}
	}

	c.addArrayLen(len(ops))
	changes := int64(0)
	for _, op := range ops {
		if op.opcode == bitfieldGet {
			// Read through a zero-padded copy of the 9 bytes a 64-bit
			// field may span, so fields past the end read as zeros.
			var buf [9]byte
			if o != nil {
				p := o.StringBytes()
				if byt := op.offset >> 3; byt < uint64(len(p)) {
					copy(buf[:], p[byt:])
				}
			}
			rel := op.offset & 7
			if op.signed {
				c.addInt(datatypes.GetSignedBitfield(buf[:], rel, op.bits))
			} else {
				c.addInt(int64(datatypes.GetUnsignedBitfield(buf[:], rel, op.bits)))
			}
			continue
		}
		p := o.Str()
		var overflow bool
		var retval int64
		var newval, oldbits uint64
		if op.signed {
			oldval := datatypes.GetSignedBitfield(p, op.offset, op.bits)
			oldbits = uint64(oldval)
			var wrapped int64
			if op.opcode == bitfieldIncrby {
				overflow, wrapped = datatypes.CheckSignedBitfieldOverflow(oldval, op.value, op.bits, op.owtype)
				nv := oldval + op.value
				if overflow {
					nv = wrapped
				}
				newval, retval = uint64(nv), nv
			} else {
				overflow, wrapped = datatypes.CheckSignedBitfieldOverflow(op.value, 0, op.bits, op.owtype)
				nv := op.value
				if overflow {
					nv = wrapped
				}
				newval, retval = uint64(nv), oldval
			}
		} else {
			oldval := datatypes.GetUnsignedBitfield(p, op.offset, op.bits)
			oldbits = oldval
			var wrapped uint64
			if op.opcode == bitfieldIncrby {
				overflow, wrapped = datatypes.CheckUnsignedBitfieldOverflow(oldval, op.value, op.bits, op.owtype)
				newval = oldval + uint64(op.value)
				if overflow {
					newval = wrapped
				}
				retval = int64(newval)
			} else {
				overflow, wrapped = datatypes.CheckUnsignedBitfieldOverflow(uint64(op.value), 0, op.bits, op.owtype)
				newval = uint64(op.value)
				if overflow {
					newval = wrapped
				}
				retval = int64(oldval)
			}
		}
		if overflow && op.owtype == datatypes.OverflowFail {
			c.addNull()
			continue
		}
		c.addInt(retval)
		datatypes.SetBitfield(p, op.offset, op.bits, newval)
		if grew || oldbits != newval {
			changes++
		}
	}
	if changes > 0 {
		c.srv.signalModifiedKey(c.db, unsafeString(argv[1]))
		c.notify(NotifyString, "setbit", argv[1])
		c.srv.addDirty(changes)
	}
}
