package persistence

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"ferrite/datatypes"

	lzf "github.com/zhuyie/golzf"
)

// LoadHandler receives what Load reads, in file order.
type LoadHandler interface {
	Aux(key, val []byte) error
	ResizeDB(db int, size, expires uint64)
	// Entry receives one key. e is Load's and valid only during the call
	// (one Entry serves the whole file): copy what is kept. Key and Val
	// are the receiver's.
	Entry(e *Entry) error
	Function(code []byte) error // RDB_OPCODE_FUNCTION2 payload (a library's source)
}

// LoadOptions configure Load.
type LoadOptions struct {
	Limits
	Progress func(offset int64) // optional, called every ~1MB
}

// decoder reads an RDB stream through its own buffer so that it knows the
// offset of every byte (for errors) and can checksum exactly the bytes
// consumed before the trailing CRC.
type decoder struct {
	src     io.Reader // nil when the whole input is in buf
	buf     []byte
	r, w    int // unread bytes are buf[r:w]
	crcFrom int // buf[crcFrom:r] is consumed but not yet checksummed
	crc     uint64
	base    int64 // offset of buf[0]
	srcErr  error
	lim     Limits

	progress     func(int64)
	nextProgress int64
}

const (
	decoderBuf    = 64 << 10
	progressEvery = 1 << 20
	// readChunk bounds what one step of a long read allocates ahead of the
	// bytes actually present, so a huge bogus length fails at the end of
	// the input instead of allocating.
	readChunk = 1 << 20
)

func (d *decoder) offset() int64 { return d.base + int64(d.r) }

func (d *decoder) corrupt(format string, args ...any) error {
	return &CorruptError{Offset: d.offset(), Reason: fmt.Sprintf(format, args...)}
}

// fill makes more bytes available; false at the end of the input.
func (d *decoder) fill() bool {
	if d.src == nil || d.srcErr != nil {
		return false
	}
	d.crc = CRC64(d.crc, d.buf[d.crcFrom:d.r])
	n := copy(d.buf, d.buf[d.r:d.w])
	d.base += int64(d.r)
	d.r, d.w, d.crcFrom = 0, n, 0
	for d.w == n {
		m, err := d.src.Read(d.buf[d.w:])
		d.w += m
		if err != nil {
			d.srcErr = err
			break
		}
	}
	if d.progress != nil && d.base >= d.nextProgress {
		d.progress(d.base)
		d.nextProgress = d.base + progressEvery
	}
	return d.w > d.r
}

// sum is the CRC-64 of every byte consumed so far.
func (d *decoder) sum() uint64 {
	d.crc = CRC64(d.crc, d.buf[d.crcFrom:d.r])
	d.crcFrom = d.r
	return d.crc
}

func (d *decoder) eof() error {
	if d.srcErr != nil && d.srcErr != io.EOF {
		return d.srcErr
	}
	return d.corrupt("unexpected end of input")
}

func (d *decoder) byte() (byte, error) {
	if d.r == d.w && !d.fill() {
		return 0, d.eof()
	}
	c := d.buf[d.r]
	d.r++
	return c, nil
}

// fixed returns the next n (small) bytes, valid until the next read.
func (d *decoder) fixed(n int) ([]byte, error) {
	for d.w-d.r < n {
		if !d.fill() {
			return nil, d.eof()
		}
	}
	p := d.buf[d.r : d.r+n]
	d.r += n
	return p, nil
}

// bytes returns the next n bytes in a new slice the caller owns.
func (d *decoder) bytes(n uint64) ([]byte, error) {
	if n <= uint64(d.w-d.r) {
		out := append([]byte(nil), d.buf[d.r:d.r+int(n)]...)
		d.r += int(n)
		return out, nil
	}
	if d.src == nil {
		return nil, d.corrupt("length %d runs past the end of the input", n)
	}
	out := make([]byte, 0, min(n, readChunk))
	for uint64(len(out)) < n {
		if d.r == d.w && !d.fill() {
			return nil, d.eof()
		}
		take := min(n-uint64(len(out)), uint64(d.w-d.r))
		out = append(out, d.buf[d.r:d.r+int(take)]...)
		d.r += int(take)
	}
	return out, nil
}

// length is rdbLoadLenByRef: a length, or with encoded set the kind of a
// specially encoded string.
func (d *decoder) length() (n uint64, encoded bool, err error) {
	c, err := d.byte()
	if err != nil {
		return 0, false, err
	}
	switch c >> 6 {
	case len6:
		return uint64(c & 0x3F), false, nil
	case len14:
		c2, err := d.byte()
		if err != nil {
			return 0, false, err
		}
		return uint64(c&0x3F)<<8 | uint64(c2), false, nil
	case lenEncVal:
		return uint64(c & 0x3F), true, nil
	}
	switch c {
	case len32:
		p, err := d.fixed(4)
		if err != nil {
			return 0, false, err
		}
		return uint64(binary.BigEndian.Uint32(p)), false, nil
	case len64:
		p, err := d.fixed(8)
		if err != nil {
			return 0, false, err
		}
		return binary.BigEndian.Uint64(p), false, nil
	}
	return 0, false, d.corrupt("unknown length encoding 0x%02x", c)
}

// plainLen is a length where a string encoding is not allowed.
func (d *decoder) plainLen() (uint64, error) {
	n, enc, err := d.length()
	if err == nil && enc {
		return 0, d.corrupt("unexpected string encoding where a length belongs")
	}
	return n, err
}

// count is a length of collection elements, checked to fit an int.
func (d *decoder) count() (int, error) {
	n, err := d.plainLen()
	if err == nil && n > math.MaxInt32 {
		return 0, d.corrupt("element count %d too large", n)
	}
	return int(n), err
}

// nonEmptyCount is count for a collection's length: an empty collection
// is skipped as Redis's loader skips it (errEmptyKey).
func (d *decoder) nonEmptyCount() (int, error) {
	n, err := d.count()
	if err == nil && n == 0 {
		err = errEmptyKey
	}
	return n, err
}

// string is rdbGenericLoadStringObject: the bytes of any string encoding
// (an integer comes back as its decimal digits), in a new slice.
func (d *decoder) string() ([]byte, error) {
	n, enc, err := d.length()
	if err != nil {
		return nil, err
	}
	if !enc {
		return d.bytes(n)
	}
	switch n {
	case encInt8:
		c, err := d.byte()
		if err != nil {
			return nil, err
		}
		return strconv.AppendInt(nil, int64(int8(c)), 10), nil
	case encInt16:
		p, err := d.fixed(2)
		if err != nil {
			return nil, err
		}
		return strconv.AppendInt(nil, int64(int16(binary.LittleEndian.Uint16(p))), 10), nil
	case encInt32:
		p, err := d.fixed(4)
		if err != nil {
			return nil, err
		}
		return strconv.AppendInt(nil, int64(int32(binary.LittleEndian.Uint32(p))), 10), nil
	case encLZF:
		return d.lzfString()
	}
	return nil, d.corrupt("unknown string encoding %d", n)
}

// lzfString is rdbLoadLzfStringObject. LZF expands at most ~132x (a
// 3-byte back reference yields up to 264 bytes), which bounds the output
// buffer by the compressed size.
func (d *decoder) lzfString() ([]byte, error) {
	clen, err := d.plainLen()
	if err != nil {
		return nil, err
	}
	ulen, err := d.plainLen()
	if err != nil {
		return nil, err
	}
	if clen == 0 || ulen == 0 || ulen/132 > clen+1 {
		return nil, d.corrupt("invalid LZF lengths %d -> %d", clen, ulen)
	}
	c, err := d.bytes(clen)
	if err != nil {
		return nil, err
	}
	out := make([]byte, ulen)
	n, err := lzf.Decompress(c, out)
	if err != nil || uint64(n) != ulen {
		return nil, d.corrupt("invalid LZF compressed string")
	}
	return out, nil
}

// stringDouble is rdbLoadDoubleValue (zset type 3's scores).
func (d *decoder) stringDouble() (float64, error) {
	n, err := d.byte()
	if err != nil {
		return 0, err
	}
	switch n {
	case 253:
		return math.NaN(), nil
	case 254:
		return math.Inf(1), nil
	case 255:
		return math.Inf(-1), nil
	}
	p, err := d.fixed(int(n))
	if err != nil {
		return 0, err
	}
	f, err := strconv.ParseFloat(string(p), 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
			return 0, d.corrupt("invalid double %q", p)
		}
	}
	return f, nil
}

func (d *decoder) binaryDouble() (float64, error) {
	p, err := d.fixed(8)
	if err != nil {
		return 0, err
	}
	return math.Float64frombits(binary.LittleEndian.Uint64(p)), nil
}

// Load reads a whole RDB file (versions 1..11) and verifies the CRC64
// when it is non-zero. Keys whose value is empty are skipped, as Redis
// does; expired keys are passed on (dropping them is the caller's call).
func Load(r io.Reader, opts LoadOptions, h LoadHandler) error {
	d := &decoder{src: r, buf: make([]byte, decoderBuf), lim: opts.Limits,
		progress: opts.Progress, nextProgress: progressEvery}
	magic, err := d.fixed(9)
	if err != nil {
		return err
	}
	if string(magic[:5]) != "REDIS" {
		return d.corrupt("wrong signature trying to load DB from file")
	}
	ver, err := strconv.Atoi(string(magic[5:]))
	if err != nil || ver < 1 || ver > maxReadVersion {
		return d.corrupt("can't handle RDB format version %q", magic[5:])
	}
	db := 0
	expireAt, idle, freq := int64(-1), int64(-1), -1
	e := new(Entry) // handed to every h.Entry call: one allocation per file, not per key
	for {
		t, err := d.byte()
		if err != nil {
			return err
		}
		switch t {
		case opExpire:
			p, err := d.fixed(4)
			if err != nil {
				return err
			}
			expireAt = int64(int32(binary.LittleEndian.Uint32(p))) * 1000
			continue
		case opExpireMS:
			p, err := d.fixed(8)
			if err != nil {
				return err
			}
			expireAt = int64(binary.LittleEndian.Uint64(p))
			continue
		case opFreq:
			c, err := d.byte()
			if err != nil {
				return err
			}
			freq = int(c)
			continue
		case opIdle:
			n, err := d.plainLen()
			if err != nil {
				return err
			}
			if n > math.MaxInt64 {
				return d.corrupt("idle time %d too large", n)
			}
			idle = int64(n)
			continue
		case opEOF:
			return d.checksum(ver)
		case opSelectDB:
			n, err := d.plainLen()
			if err != nil {
				return err
			}
			if n > math.MaxInt32 {
				return d.corrupt("database number %d too large", n)
			}
			db = int(n)
			continue
		case opResizeDB:
			size, err := d.plainLen()
			if err != nil {
				return err
			}
			exp, err := d.plainLen()
			if err != nil {
				return err
			}
			h.ResizeDB(db, size, exp)
			continue
		case opAux:
			k, err := d.string()
			if err != nil {
				return err
			}
			v, err := d.string()
			if err != nil {
				return err
			}
			if err := h.Aux(k, v); err != nil {
				return err
			}
			continue
		case opModuleAux:
			if err := d.skipEmptyModuleAux(); err != nil {
				return err
			}
			continue
		case opFunctionOld:
			return d.corrupt("pre-release function format not supported")
		case opFunction2:
			code, err := d.string()
			if err != nil {
				return err
			}
			if err := h.Function(code); err != nil {
				return err
			}
			continue
		}
		key, err := d.keyAfterType(t)
		if err != nil {
			return err
		}
		o, err := d.object(t)
		if err == errEmptyKey {
			expireAt, idle, freq = -1, -1, -1
			continue
		}
		if err != nil {
			return err
		}
		*e = Entry{DB: db, Key: string(key), Val: o, ExpireAt: expireAt, Idle: idle, Freq: freq}
		if err := h.Entry(e); err != nil {
			return err
		}
		expireAt, idle, freq = -1, -1, -1
	}
}

// keyAfterType checks that t is an object type and reads the key.
func (d *decoder) keyAfterType(t byte) ([]byte, error) {
	if !isObjectType(t) {
		return nil, d.corrupt("unknown RDB type %d", t)
	}
	return d.string()
}

func isObjectType(t byte) bool {
	return t <= typeZSet2 || (t >= typeModulePreGA && t <= typeStreamListpacks3 && t != 8)
}

// checksum reads the trailing CRC (RDB 5 and later) and compares it with
// what was read, unless it is zero (written with rdbchecksum no).
func (d *decoder) checksum(ver int) error {
	if ver < 5 {
		return nil
	}
	sum := d.sum()
	p, err := d.fixed(8)
	if err != nil {
		return err
	}
	if want := binary.LittleEndian.Uint64(p); want != 0 && want != sum {
		return d.corrupt("wrong RDB checksum expected %#x got %#x", want, sum)
	}
	return nil
}

// skipEmptyModuleAux accepts module AUX data only when it holds nothing
// (just the module EOF opcode): with no modules, real data cannot load.
func (d *decoder) skipEmptyModuleAux() error {
	id, err := d.plainLen()
	if err != nil {
		return err
	}
	if _, err := d.plainLen(); err != nil { // when_opcode
		return err
	}
	if _, err := d.plainLen(); err != nil { // when
		return err
	}
	op, err := d.plainLen()
	if err != nil {
		return err
	}
	if op != 0 {
		return d.corrupt("the RDB file contains AUX module data I can't load: no matching module (id %#x)", id)
	}
	return nil
}

// errEmptyKey is what Redis's emptykey label means: the value held no
// elements; a file load skips the key, RESTORE rejects the payload.
var errEmptyKey = errors.New("rdb: empty key")

// object is rdbLoadObject: a value of RDB type t, converted to the
// encoding the server would use under d.lim. Every blob is validated
// deeply and duplicates are corruption, as Redis's deep sanitization.
func (d *decoder) object(t byte) (*datatypes.Object, error) {
	switch t {
	case typeString:
		s, err := d.string()
		if err != nil {
			return nil, err
		}
		return datatypes.NewString(s), nil
	case typeList:
		return d.listLinked()
	case typeSet:
		return d.set()
	case typeZSet, typeZSet2:
		return d.zset(t == typeZSet2)
	case typeHash:
		return d.hash()
	case typeListQuicklist, typeListQuicklist2:
		return d.quicklist(t == typeListQuicklist2)
	case typeModulePreGA, typeModule2:
		return nil, d.corrupt("module value of type %d cannot be loaded: modules are not supported", t)
	case typeStreamListpacks, typeStreamListpacks2, typeStreamListpacks3:
		return d.stream(t)
	}
	// The rest are one blob.
	start := d.offset()
	blob, err := d.string()
	if err != nil {
		return nil, err
	}
	bad := func(what string, err error) error {
		return &CorruptError{Offset: start, Reason: what + ": " + err.Error()}
	}
	switch t {
	case typeSetIntset:
		if err := datatypes.ValidateIntset(blob, true); err != nil {
			return nil, bad("intset integrity check failed", err)
		}
		is := datatypes.Intset(blob)
		o := datatypes.NewObject(datatypes.TypeSet, datatypes.EncIntset, &is)
		if is.Len() > d.lim.SetMaxIntsetEntries {
			d.intsetToDict(o)
		}
		return o, nil
	case typeSetListpack:
		if err := datatypes.ValidateListpack(blob, true); err != nil {
			return nil, bad("listpack integrity check failed", err)
		}
		return d.setFromListpack(datatypes.Listpack(blob), start)
	case typeListZiplist:
		ql := datatypes.NewQuicklist(d.lim.ListMaxListpackSize, d.lim.ListCompressDepth)
		err := datatypes.ZiplistEntries(blob, func(s []byte, v int64, isInt bool) bool {
			if isInt {
				s = strconv.AppendInt(nil, v, 10)
			}
			ql.PushTail(s)
			return true
		})
		if err != nil {
			return nil, bad("ziplist integrity check failed", err)
		}
		if ql.Len() == 0 {
			return nil, errEmptyKey
		}
		return datatypes.NewObject(datatypes.TypeList, datatypes.EncQuicklist, ql), nil
	case typeHashZipmap:
		lp, err := datatypes.ZipmapToListpack(blob)
		if err != nil {
			return nil, bad("zipmap integrity check failed", err)
		}
		return d.hashFromListpack(lp, start, true)
	case typeHashZiplist, typeZSetZiplist:
		lp, err := datatypes.ZiplistToListpack(blob)
		if err != nil {
			return nil, bad("ziplist integrity check failed", err)
		}
		if t == typeHashZiplist {
			return d.hashFromListpack(lp, start, false)
		}
		return d.zsetFromListpack(lp, start)
	case typeHashListpack, typeZSetListpack:
		if err := datatypes.ValidateListpack(blob, true); err != nil {
			return nil, bad("listpack integrity check failed", err)
		}
		if t == typeHashListpack {
			return d.hashFromListpack(datatypes.Listpack(blob), start, false)
		}
		return d.zsetFromListpack(datatypes.Listpack(blob), start)
	}
	return nil, &CorruptError{Offset: start, Reason: fmt.Sprintf("unknown RDB type %d", t)}
}

func (d *decoder) newQuicklist() *datatypes.Quicklist {
	return datatypes.NewQuicklist(d.lim.ListMaxListpackSize, d.lim.ListCompressDepth)
}

// listLinked is RDB_TYPE_LIST: elements pushed one by one.
func (d *decoder) listLinked() (*datatypes.Object, error) {
	n, err := d.nonEmptyCount()
	if err != nil {
		return nil, err
	}
	ql := d.newQuicklist()
	for ; n > 0; n-- {
		s, err := d.string()
		if err != nil {
			return nil, err
		}
		ql.PushTail(s)
	}
	return datatypes.NewObject(datatypes.TypeList, datatypes.EncQuicklist, ql), nil
}

// quicklist is RDB_TYPE_LIST_QUICKLIST(_2): whole nodes appended as they
// come (ziplists converted), empty ones skipped.
func (d *decoder) quicklist(v2 bool) (*datatypes.Object, error) {
	n, err := d.nonEmptyCount()
	if err != nil {
		return nil, err
	}
	ql := d.newQuicklist()
	for ; n > 0; n-- {
		container := uint64(containerPacked)
		if v2 {
			if container, err = d.plainLen(); err != nil {
				return nil, err
			}
			if container != containerPacked && container != containerPlain {
				return nil, d.corrupt("quicklist integrity check failed: container %d", container)
			}
		}
		start := d.offset()
		data, err := d.string()
		if err != nil {
			return nil, err
		}
		if len(data) == 0 {
			return nil, &CorruptError{Offset: start, Reason: "empty quicklist node"}
		}
		if container == containerPlain {
			ql.AppendPlainNode(data)
			continue
		}
		var lp datatypes.Listpack
		if v2 {
			if err := datatypes.ValidateListpack(data, true); err != nil {
				return nil, &CorruptError{Offset: start, Reason: "listpack integrity check failed: " + err.Error()}
			}
			lp = data
		} else if lp, err = datatypes.ZiplistToListpack(data); err != nil {
			return nil, &CorruptError{Offset: start, Reason: "ziplist integrity check failed: " + err.Error()}
		}
		if lp.Len() == 0 {
			continue
		}
		ql.AppendListpackNode(lp)
	}
	if ql.Len() == 0 {
		return nil, errEmptyKey
	}
	return datatypes.NewObject(datatypes.TypeList, datatypes.EncQuicklist, ql), nil
}

func (d *decoder) intsetToDict(o *datatypes.Object) {
	is := *o.Intset()
	dict := datatypes.NewDict[struct{}](d.lim.Seed)
	for i := 0; i < is.Len(); i++ {
		dict.Set(strconv.FormatInt(is.Get(i), 10), struct{}{})
	}
	o.Enc = datatypes.EncHT
	o.SetVal(dict)
}

// set is RDB_TYPE_SET: an intset while every member is a canonical integer
// and the count allows it, else a hash table.
func (d *decoder) set() (*datatypes.Object, error) {
	n, err := d.nonEmptyCount()
	if err != nil {
		return nil, err
	}
	var o *datatypes.Object
	if n > d.lim.SetMaxIntsetEntries {
		o = datatypes.NewObject(datatypes.TypeSet, datatypes.EncHT, datatypes.NewDict[struct{}](d.lim.Seed))
	} else {
		is := datatypes.NewIntset()
		o = datatypes.NewObject(datatypes.TypeSet, datatypes.EncIntset, &is)
	}
	for ; n > 0; n-- {
		m, err := d.string()
		if err != nil {
			return nil, err
		}
		if o.Enc == datatypes.EncIntset {
			if v, ok := datatypes.ParseInt(m); ok {
				if !o.Intset().Add(v) {
					return nil, d.corrupt("duplicate set members detected")
				}
				continue
			}
			d.intsetToDict(o)
		}
		if !o.SetDict().Add(string(m), struct{}{}) {
			return nil, d.corrupt("duplicate set members detected")
		}
	}
	return o, nil
}

// setFromListpack turns a Redis 7.2 listpack set into what 7.0 would have
// built from the same members: an intset when all are integers and few
// enough, else a hash table.
func (d *decoder) setFromListpack(lp datatypes.Listpack, start int64) (*datatypes.Object, error) {
	n := lp.Len()
	if n == 0 {
		return nil, errEmptyKey
	}
	allInts := n <= d.lim.SetMaxIntsetEntries
	var members []string
	for p := lp.First(); p >= 0; p = lp.Next(p) {
		m := string(lp.GetBytes(p, nil))
		if _, ok := datatypes.ParseInt([]byte(m)); !ok {
			allInts = false
		}
		members = append(members, m)
	}
	dup := &CorruptError{Offset: start, Reason: "duplicate set members detected"}
	if allInts {
		is := datatypes.NewIntset()
		for _, m := range members {
			v, _ := datatypes.ParseInt([]byte(m))
			if !is.Add(v) {
				return nil, dup
			}
		}
		return datatypes.NewObject(datatypes.TypeSet, datatypes.EncIntset, &is), nil
	}
	dict := datatypes.NewDict[struct{}](d.lim.Seed)
	for _, m := range members {
		if !dict.Add(m, struct{}{}) {
			return nil, dup
		}
	}
	return datatypes.NewObject(datatypes.TypeSet, datatypes.EncHT, dict), nil
}

// zset is RDB_TYPE_ZSET(_2): built as a skiplist, then turned into a
// listpack when it is small enough, as rdbLoadObject does.
func (d *decoder) zset(binaryScores bool) (*datatypes.Object, error) {
	n, err := d.nonEmptyCount()
	if err != nil {
		return nil, err
	}
	z := datatypes.NewZSet(d.lim.Seed, nil)
	maxlen, total := 0, 0
	for ; n > 0; n-- {
		m, err := d.string()
		if err != nil {
			return nil, err
		}
		var score float64
		if binaryScores {
			score, err = d.binaryDouble()
		} else {
			score, err = d.stringDouble()
		}
		if err != nil {
			return nil, err
		}
		if math.IsNaN(score) {
			return nil, d.corrupt("zset with NAN score detected")
		}
		if _, ok := z.Score(string(m)); ok {
			return nil, d.corrupt("duplicate zset fields detected")
		}
		maxlen = max(maxlen, len(m))
		total += len(m)
		z.Add(string(m), score, 0)
	}
	o := datatypes.NewObject(datatypes.TypeZSet, datatypes.EncSkiplist, z)
	if z.Len() <= d.lim.ZsetMaxListpackEntries && maxlen <= d.lim.ZsetMaxListpackValue &&
		datatypes.ListpackSafeToAdd(nil, total) {
		var es []datatypes.ZEntry
		for x := z.Skiplist().First(); x != nil; x = x.Next() {
			es = append(es, datatypes.ZEntry{Member: x.Member(), Score: x.Score()})
		}
		o.Enc = datatypes.EncListpack
		o.SetVal(datatypes.ZzlBuild(es))
	}
	return o, nil
}

// checkPairs is lpValidateIntegrityAndDups for pairs: an even number of
// entries and no field twice.
func checkPairs(lp datatypes.Listpack, start int64) error {
	if lp.Len()%2 != 0 {
		return &CorruptError{Offset: start, Reason: "listpack of pairs has an odd number of entries"}
	}
	seen := make(map[string]struct{}, lp.Len()/2)
	for p := lp.First(); p >= 0; p = lp.Next(lp.Next(p)) {
		f := string(lp.GetBytes(p, nil))
		if _, ok := seen[f]; ok {
			return &CorruptError{Offset: start, Reason: "listpack with duplicate elements"}
		}
		seen[f] = struct{}{}
	}
	return nil
}

// zsetFromListpack is RDB_TYPE_ZSET_LISTPACK / ZIPLIST.
func (d *decoder) zsetFromListpack(lp datatypes.Listpack, start int64) (*datatypes.Object, error) {
	if err := checkPairs(lp, start); err != nil {
		return nil, err
	}
	if lp.Len() == 0 {
		return nil, errEmptyKey
	}
	o := datatypes.NewObject(datatypes.TypeZSet, datatypes.EncListpack, &lp)
	if lp.Len()/2 > d.lim.ZsetMaxListpackEntries {
		z := datatypes.NewZSet(d.lim.Seed, nil)
		for _, e := range datatypes.ZzlEntries(lp) {
			if _, _, err := z.Add(e.Member, e.Score, 0); err != nil {
				return nil, &CorruptError{Offset: start, Reason: "zset with NAN score detected"}
			}
		}
		o.Enc = datatypes.EncSkiplist
		o.SetVal(z)
	}
	return o, nil
}

// hashFromListpack is RDB_TYPE_HASH_LISTPACK / ZIPLIST / ZIPMAP: converted
// to a hash table over hash-max-listpack-entries (and, for zipmaps only,
// over hash-max-listpack-value, as in Redis).
func (d *decoder) hashFromListpack(lp datatypes.Listpack, start int64, checkValue bool) (*datatypes.Object, error) {
	if err := checkPairs(lp, start); err != nil {
		return nil, err
	}
	if lp.Len() == 0 {
		return nil, errEmptyKey
	}
	o := datatypes.NewObject(datatypes.TypeHash, datatypes.EncListpack, &lp)
	convert := lp.Len()/2 > d.lim.HashMaxListpackEntries
	if checkValue && !convert {
		for p := lp.First(); p >= 0; p = lp.Next(p) {
			if s, v, isInt := lp.Get(p); (isInt && len(strconv.AppendInt(nil, v, 10)) > d.lim.HashMaxListpackValue) ||
				(!isInt && len(s) > d.lim.HashMaxListpackValue) {
				convert = true
				break
			}
		}
	}
	if convert {
		d.hashToDict(o)
	}
	return o, nil
}

// hash is RDB_TYPE_HASH: a listpack while the pairs fit the limits, then
// a hash table for the rest.
func (d *decoder) hash() (*datatypes.Object, error) {
	n, err := d.nonEmptyCount()
	if err != nil {
		return nil, err
	}
	var lp datatypes.Listpack
	var dict *datatypes.Dict[string]
	var seen map[string]struct{}
	if n > d.lim.HashMaxListpackEntries {
		dict = datatypes.NewDict[string](d.lim.Seed)
	} else {
		lp = datatypes.NewListpack()
		seen = make(map[string]struct{})
	}
	for ; n > 0; n-- {
		f, err := d.string()
		if err != nil {
			return nil, err
		}
		v, err := d.string()
		if err != nil {
			return nil, err
		}
		if dict == nil {
			if _, ok := seen[string(f)]; ok {
				return nil, d.corrupt("hash with dup elements")
			}
			seen[string(f)] = struct{}{}
			if len(f) > d.lim.HashMaxListpackValue || len(v) > d.lim.HashMaxListpackValue ||
				!datatypes.ListpackSafeToAdd(lp, len(f)+len(v)) {
				o := datatypes.NewObject(datatypes.TypeHash, datatypes.EncListpack, &lp)
				d.hashToDict(o)
				dict = o.HashDict()
			} else {
				lp.Append(f)
				lp.Append(v)
				continue
			}
		}
		if !dict.Add(string(f), string(v)) {
			return nil, d.corrupt("duplicate hash fields detected")
		}
	}
	if dict != nil {
		return datatypes.NewObject(datatypes.TypeHash, datatypes.EncHT, dict), nil
	}
	return datatypes.NewObject(datatypes.TypeHash, datatypes.EncListpack, &lp), nil
}

func (d *decoder) hashToDict(o *datatypes.Object) {
	lp := o.Listpack()
	dict := datatypes.NewDict[string](d.lim.Seed)
	for p := lp.First(); p >= 0; {
		f := lp.GetBytes(p, nil)
		p = lp.Next(p)
		v := lp.GetBytes(p, nil)
		p = lp.Next(p)
		dict.Set(string(f), string(v))
	}
	o.Enc = datatypes.EncHT
	o.SetVal(dict)
}
