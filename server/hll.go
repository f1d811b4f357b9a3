package server

// HyperLogLog commands (Redis's hyperloglog.c). The values are plain
// strings whose bytes are Redis's own (datatypes/hyperloglog.go), so GET,
// SET, DUMP/RESTORE and replication carry them between Ferrite and Redis.

import (
	"errors"
	"math/rand/v2"

	"ferrite/datatypes"
)

var hllCommands = map[string]cmdProc{
	"pfadd":      pfaddCommand,
	"pfcount":    pfcountCommand,
	"pfmerge":    pfmergeCommand,
	"pfdebug":    pfdebugCommand,
	"pfselftest": pfselftestCommand,
}

var (
	errHLLInvalid = errors.New("INVALIDOBJ Corrupted HLL object detected")
	errNotHLL     = errors.New("WRONGTYPE Key is not a valid HyperLogLog string value.")
)

// hllObject checks o (non-nil) as Redis's isHLLObjectOrReply: a string
// whose header is an HLL's. It replies the error and returns false
// otherwise. Int-encoded strings are never HLLs.
func hllObject(c *client, o *datatypes.Object) bool {
	if o.Type != datatypes.TypeString {
		c.addError(errWrongType)
		return false
	}
	if o.Enc == datatypes.EncInt || !datatypes.IsHLL(o.Str()) {
		c.addError(errNotHLL)
		return false
	}
	return true
}

// PFADD key [element [element ...]]
func pfaddCommand(c *client) {
	s := c.srv
	key := c.argv[1]
	o := s.lookupKeyWrite(c.db, key)
	updated := 0
	if o == nil {
		o = datatypes.NewRawString(datatypes.NewHLL())
		s.dbAdd(c.db, key, o)
		updated++
	} else {
		if !hllObject(c, o) {
			return
		}
		o.Unshare()
	}
	limit := s.cfg.HLLSparseMaxBytes
	for _, ele := range c.argv[2:] {
		b, r := datatypes.HLLAdd(o.Str(), ele, limit)
		o.SetStr(b)
		switch r {
		case 1:
			updated++
		case -1:
			c.addError(errHLLInvalid)
			return
		}
	}
	if updated > 0 {
		datatypes.HLLInvalidateCache(o.Str())
		s.signalModifiedKey(c.db, unsafeString(key))
		c.notify(NotifyString, "pfadd", key)
		s.addDirty(int64(updated))
		c.addInt(1)
	} else {
		c.addInt(0)
	}
}

// PFCOUNT key [key ...]
//
// With one key the cached cardinality is used, or computed and stored
// (a write: it counts as dirty and propagates). With several keys they
// are merged into a temporary and nothing is stored.
func pfcountCommand(c *client) {
	s := c.srv
	if len(c.argv) > 2 {
		var regs datatypes.HLLRegs
		for _, key := range c.argv[1:] {
			o := s.lookupKeyRead(c.db, key)
			if o == nil {
				continue
			}
			if !hllObject(c, o) {
				return
			}
			if !regs.Merge(o.Str()) {
				c.addError(errHLLInvalid)
				return
			}
		}
		c.addInt(int64(regs.Count()))
		return
	}
	key := c.argv[1]
	o := s.lookupKeyRead(c.db, key)
	if o == nil {
		c.addInt(0)
		return
	}
	if !hllObject(c, o) {
		return
	}
	b := o.Unshare()
	card, ok := datatypes.HLLCachedCard(b)
	if !ok {
		if card, ok = datatypes.HLLCount(b); !ok {
			c.addError(errHLLInvalid)
			return
		}
		datatypes.HLLSetCachedCard(b, card)
		s.signalModifiedKey(c.db, unsafeString(key))
		s.addDirty(1)
	}
	c.addInt(int64(card))
}

// PFMERGE destkey [sourcekey [sourcekey ...]]
//
// destkey is itself a source. The result is dense when any source is
// dense, else it stays sparse while it fits hll-sparse-max-bytes.
func pfmergeCommand(c *client) {
	s := c.srv
	var regs datatypes.HLLRegs
	useDense := false
	for _, key := range c.argv[1:] {
		o := s.lookupKeyRead(c.db, key)
		if o == nil {
			continue
		}
		if !hllObject(c, o) {
			return
		}
		if !datatypes.HLLIsSparse(o.Str()) {
			useDense = true
		}
		if !regs.Merge(o.Str()) {
			c.addError(errHLLInvalid)
			return
		}
	}
	key := c.argv[1]
	o := s.lookupKeyWrite(c.db, key)
	if o == nil {
		o = datatypes.NewRawString(datatypes.NewHLL())
		s.dbAdd(c.db, key, o)
	} else {
		o.Unshare()
	}
	if useDense {
		b, ok := datatypes.HLLToDense(o.Str())
		if !ok {
			c.addError(errHLLInvalid)
			return
		}
		o.SetStr(b)
	}
	sparseMax := s.cfg.HLLSparseMaxBytes
	for i, v := range regs {
		if v != 0 {
			// As in Redis, a corrupted destination is not reported here:
			// it was already validated as a source by Merge.
			b, _ := datatypes.HLLSet(o.Str(), i, v, sparseMax)
			o.SetStr(b)
		}
	}
	datatypes.HLLInvalidateCache(o.Str())
	s.signalModifiedKey(c.db, unsafeString(key))
	c.notify(NotifyString, "pfadd", key)
	s.addDirty(1)
	c.addOK()
}

// PFDEBUG <GETREG | DECODE | ENCODING | TODENSE> key
func pfdebugCommand(c *client) {
	s := c.srv
	sub, key := c.argv[1], c.argv[2]
	o := s.lookupKeyWrite(c.db, key)
	if o == nil {
		c.addErrorString("ERR The specified key does not exist")
		return
	}
	if !hllObject(c, o) {
		return
	}
	o.Unshare()
	// toDense converts in place; the encoding change counts as dirty so
	// it propagates, as in Redis.
	toDense := func() (converted, ok bool) {
		if !datatypes.HLLIsSparse(o.Str()) {
			return false, true
		}
		b, ok := datatypes.HLLToDense(o.Str())
		if !ok {
			c.addError(errHLLInvalid)
			return false, false
		}
		o.SetStr(b)
		s.addDirty(1)
		return true, true
	}
	switch {
	case argIsASCII(sub, "getreg"):
		if _, ok := toDense(); !ok {
			return
		}
		c.addArrayLen(datatypes.HLLRegisters)
		for i := 0; i < datatypes.HLLRegisters; i++ {
			c.addInt(int64(datatypes.HLLDenseRegister(o.Str(), i)))
		}
	case argIsASCII(sub, "decode"):
		if !datatypes.HLLIsSparse(o.Str()) {
			c.addErrorString("ERR HLL encoding is not sparse")
			return
		}
		c.addBulkString(datatypes.HLLDecode(o.Str()))
	case argIsASCII(sub, "encoding"):
		if datatypes.HLLIsSparse(o.Str()) {
			c.addSimple("sparse")
		} else {
			c.addSimple("dense")
		}
	case argIsASCII(sub, "todense"):
		conv, ok := toDense()
		if !ok {
			return
		}
		if conv {
			c.addInt(1)
		} else {
			c.addInt(0)
		}
	default:
		c.addErrorString("ERR Unknown PFDEBUG subcommand '" + string(sub) + "'")
	}
}

// PFSELFTEST
func pfselftestCommand(c *client) {
	rng := rand.New(rand.NewPCG(uint64(c.srv.mstime()), 0x9e3779b97f4a7c15))
	if msg := datatypes.HLLSelfTest(rng.Uint64); msg != "" {
		c.addErrorString(msg)
		return
	}
	c.addOK()
}
