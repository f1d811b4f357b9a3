package server

// DUMP and RESTORE (Redis's cluster.c dumpCommand / restoreCommand): a
// value serialized in the RDB format with a version and CRC-64 footer.

import (
	"strconv"
	"strings"

	"ferrite/datatypes"
	"ferrite/persistence"
)

var dumpCommands = map[string]cmdProc{
	"dump":    dumpCommand,
	"restore": restoreCommand,
}

// rdbLimits are the thresholds a value loaded from RDB or a DUMP payload
// is encoded under: the same the commands use.
func (s *Server) rdbLimits() persistence.Limits {
	return persistence.Limits{
		Seed:                   s.seed,
		HashMaxListpackEntries: int(s.cfg.HashMaxListpackEntries),
		HashMaxListpackValue:   int(s.cfg.HashMaxListpackValue),
		SetMaxIntsetEntries:    int(s.cfg.SetMaxIntsetEntries),
		ZsetMaxListpackEntries: int(s.cfg.ZsetMaxListpackEntries),
		ZsetMaxListpackValue:   int(s.cfg.ZsetMaxListpackValue),
		ListMaxListpackSize:    s.cfg.ListMaxListpackSize,
		ListCompressDepth:      s.cfg.ListCompressDepth,
	}
}

// DUMP key
func dumpCommand(c *client) {
	o := c.srv.lookupKeyRead(c.db, c.argv[1])
	if o == nil {
		c.addNull()
		return
	}
	p := persistence.DumpPayload(o, c.srv.cfg.RDBCompression)
	if p == nil {
		c.addErrorString("ERR DUMP of this value is not supported")
		return
	}
	c.addBulk(p)
}

// RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]
func restoreCommand(c *client) {
	s, db, key := c.srv, c.db, c.argv[1]
	var replace, absttl bool
	lfuFreq, lruIdle := int64(-1), int64(-1)
	for j := 4; j < len(c.argv); j++ {
		opt := unsafeString(c.argv[j])
		more := j+1 < len(c.argv)
		switch {
		case strings.EqualFold(opt, "replace"):
			replace = true
		case strings.EqualFold(opt, "absttl"):
			absttl = true
		case strings.EqualFold(opt, "idletime") && more && lfuFreq == -1:
			v, ok := datatypes.ParseInt(c.argv[j+1])
			if !ok {
				c.addError(errNotInt)
				return
			}
			if v < 0 {
				c.addErrorString("ERR Invalid IDLETIME value, must be >= 0")
				return
			}
			lruIdle = v
			j++
		case strings.EqualFold(opt, "freq") && more && lruIdle == -1:
			v, ok := datatypes.ParseInt(c.argv[j+1])
			if !ok {
				c.addError(errNotInt)
				return
			}
			if v < 0 || v > 255 {
				c.addErrorString("ERR Invalid FREQ value, must be >= 0 and <= 255")
				return
			}
			lfuFreq = v
			j++
		default:
			c.addError(errSyntax)
			return
		}
	}
	if !replace && s.lookupKeyWrite(db, key) != nil {
		c.addErrorString("BUSYKEY Target key name already exists.")
		return
	}
	ttl, ok := datatypes.ParseInt(c.argv[2])
	if !ok {
		c.addError(errNotInt)
		return
	}
	if ttl < 0 {
		c.addErrorString("ERR Invalid TTL value, must be >= 0")
		return
	}
	o, err := persistence.DecodeDump(c.argv[3], s.rdbLimits())
	if err == persistence.ErrDumpVersion {
		c.addErrorString("ERR DUMP payload version or checksum are wrong")
		return
	}
	if err != nil {
		c.addErrorString("ERR Bad data format")
		return
	}

	deleted := replace && s.dbDelete(db, key)
	if ttl != 0 && !absttl {
		ttl += s.mstime()
	}
	// checkAlreadyExpired: a replica keeps what its master sends.
	if ttl != 0 && ttl <= s.mstime() && s.cfg.MasterHost == "" {
		if deleted {
			del := "DEL"
			if s.cfg.LazyfreeLazyServerDel {
				del = "UNLINK"
			}
			c.notify(NotifyGeneric, "del", key)
			s.addDirty(1)
			c.alsoPropagate(db.ID, []byte(del), copyBytes(key))
		}
		c.addOK()
		return
	}

	s.dbAdd(db, key, o)
	if ttl != 0 {
		db.SetExpire(unsafeString(key), ttl)
		if !absttl {
			// Propagate the TTL as an absolute time, as Redis rewrites argv.
			argv := cloneArgs(c.argv...)
			argv[2] = strconv.AppendInt(nil, ttl, 10)
			argv = append(argv, []byte("ABSTTL"))
			c.alsoPropagate(db.ID, argv...)
		}
	}
	s.objectSetLRUOrLFU(o, lfuFreq, lruIdle)
	c.notify(NotifyGeneric, "restore", key)
	s.addDirty(1)
	c.addOK()
}

// objectSetLRUOrLFU is Redis 7.0's objectSetLRUOrLFU for RESTORE and RDB
// loading: under an LFU policy a given frequency becomes the counter, else
// a given idle time (seconds) moves the LRU clock back, wrapping to half
// the clock range when it would go negative.
func (s *Server) objectSetLRUOrLFU(o *datatypes.Object, lfuFreq, lruIdle int64) bool {
	if s.lfuPolicy() {
		if lfuFreq >= 0 {
			o.LRU = s.lfuMinutes()<<8 | uint32(lfuFreq)
			return true
		}
		return false
	}
	if lruIdle < 0 {
		return false
	}
	clock := int64(s.lruClock())
	abs := clock - lruIdle
	if abs < 0 {
		abs = (clock + lruClockMax/2) % lruClockMax
	}
	o.LRU = uint32(abs)
	return true
}
