package persistence

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"unsafe"

	"ferrite/datatypes"
)

// Writer writes an RDB file: Header, then per database SelectDB and its
// entries, functions anywhere after the header, then Finish. The first
// error is sticky: every later call returns it.
type Writer struct {
	w       io.Writer
	opts    WriteOptions
	buf     []byte
	written int64 // bytes handed to w
	crc     uint64
	err     error
}

// WriteOptions are rdbcompression and rdbchecksum.
type WriteOptions struct{ Compress, Checksum bool }

// writerFlushAt is how much a Writer buffers before writing through.
const writerFlushAt = 64 << 10

// NewWriter returns a Writer on w.
func NewWriter(w io.Writer, opts WriteOptions) *Writer {
	return &Writer{w: w, opts: opts, buf: make([]byte, 0, writerFlushAt+4096)}
}

func (w *Writer) flush() error {
	if w.err != nil {
		return w.err
	}
	if len(w.buf) == 0 {
		return nil
	}
	if w.opts.Checksum {
		w.crc = CRC64(w.crc, w.buf)
	}
	n, err := w.w.Write(w.buf)
	w.written += int64(n)
	w.buf = w.buf[:0]
	if err != nil {
		w.err = err
	}
	return w.err
}

func (w *Writer) maybeFlush() error {
	if len(w.buf) >= writerFlushAt {
		return w.flush()
	}
	return w.err
}

// Offset is the number of bytes written so far, buffered ones included.
func (w *Writer) Offset() int64 { return w.written + int64(len(w.buf)) }

// Header writes the magic and version, then each AUX field in order.
func (w *Writer) Header(aux [][2]string) error {
	if w.err != nil {
		return w.err
	}
	w.buf = fmt.Appendf(w.buf, "REDIS%04d", Version)
	for _, kv := range aux {
		w.buf = append(w.buf, opAux)
		w.buf = appendString(w.buf, []byte(kv[0]), w.opts.Compress)
		w.buf = appendString(w.buf, []byte(kv[1]), w.opts.Compress)
	}
	return w.maybeFlush()
}

// SelectDB starts database db, announcing its number of keys and of keys
// with a TTL (RESIZEDB) so the loader can size its tables.
func (w *Writer) SelectDB(db int, size, expires uint64) error {
	if w.err != nil {
		return w.err
	}
	w.buf = append(w.buf, opSelectDB)
	w.buf = appendLen(w.buf, uint64(db))
	w.buf = append(w.buf, opResizeDB)
	w.buf = appendLen(w.buf, size)
	w.buf = appendLen(w.buf, expires)
	return w.maybeFlush()
}

// Entry writes one key as rdbSaveKeyValuePair: its TTL (absolute unix ms),
// LRU idle seconds and LFU counter, each left out when -1, then the type,
// the key and the value.
func (w *Writer) Entry(key string, o *datatypes.Object, expireAt, idle int64, freq int) error {
	if w.err != nil {
		return w.err
	}
	t, err := objectType(o)
	if err != nil {
		return err
	}
	if expireAt != -1 {
		w.buf = append(w.buf, opExpireMS)
		w.buf = binary.LittleEndian.AppendUint64(w.buf, uint64(expireAt))
	}
	if idle != -1 {
		w.buf = append(w.buf, opIdle)
		w.buf = appendLen(w.buf, uint64(idle))
	}
	if freq != -1 {
		w.buf = append(w.buf, opFreq, byte(freq))
	}
	w.buf = append(w.buf, t)
	w.buf = appendString(w.buf, unsafe.Slice(unsafe.StringData(key), len(key)), w.opts.Compress)
	e := encoder{b: w.buf, compress: w.opts.Compress, w: w}
	if err := e.object(o); err != nil {
		w.buf = e.b
		return err
	}
	w.buf = e.b
	return w.maybeFlush()
}

// Function writes one function library (RDB_OPCODE_FUNCTION2).
func (w *Writer) Function(code []byte) error {
	if w.err != nil {
		return w.err
	}
	w.buf = append(w.buf, opFunction2)
	w.buf = appendString(w.buf, code, w.opts.Compress)
	return w.maybeFlush()
}

// Finish writes EOF and the checksum (zero without rdbchecksum) and
// flushes; it does not sync or close the underlying writer.
func (w *Writer) Finish() error {
	if w.err != nil {
		return w.err
	}
	w.buf = append(w.buf, opEOF)
	if err := w.flush(); err != nil {
		return err
	}
	var crc uint64
	if w.opts.Checksum {
		crc = w.crc
	}
	w.buf = binary.LittleEndian.AppendUint64(w.buf, crc)
	return w.flush()
}

// errUnknownObject is returned for a value the codec cannot serialize.
var errUnknownObject = errors.New("rdb: unknown object type or encoding")

// objectType is rdbSaveObjectType.
func objectType(o *datatypes.Object) (byte, error) {
	switch o.Type {
	case datatypes.TypeString:
		return typeString, nil
	case datatypes.TypeList:
		if o.Enc == datatypes.EncQuicklist {
			return typeListQuicklist2, nil
		}
	case datatypes.TypeSet:
		switch o.Enc {
		case datatypes.EncIntset:
			return typeSetIntset, nil
		case datatypes.EncHT:
			return typeSet, nil
		}
	case datatypes.TypeZSet:
		switch o.Enc {
		case datatypes.EncListpack:
			return typeZSetListpack, nil
		case datatypes.EncSkiplist:
			return typeZSet2, nil
		}
	case datatypes.TypeHash:
		switch o.Enc {
		case datatypes.EncListpack:
			return typeHashListpack, nil
		case datatypes.EncHT:
			return typeHash, nil
		}
	case datatypes.TypeStream:
		if streamSupported {
			return typeStreamListpacks2, nil
		}
	}
	return 0, fmt.Errorf("%w: type %d encoding %d", errUnknownObject, o.Type, o.Enc)
}

// encoder appends values; with a Writer it writes through between the
// elements of big collections so a huge key does not sit in memory twice.
type encoder struct {
	b        []byte
	compress bool
	w        *Writer
}

func (e *encoder) str(s []byte) { e.b = appendString(e.b, s, e.compress) }

// strString appends a Go string without copying it first: appendString
// only reads its argument.
func (e *encoder) strString(s string) {
	e.b = appendString(e.b, unsafe.Slice(unsafe.StringData(s), len(s)), e.compress)
}

func (e *encoder) length(n int) { e.b = appendLen(e.b, uint64(n)) }

func (e *encoder) spill() error {
	if e.w == nil || len(e.b) < writerFlushAt {
		return nil
	}
	e.w.buf = e.b
	err := e.w.flush()
	e.b = e.w.buf
	return err
}

// object is rdbSaveObject: the value alone, without its type byte.
func (e *encoder) object(o *datatypes.Object) error {
	switch o.Type {
	case datatypes.TypeString:
		if o.Enc == datatypes.EncInt {
			e.b = appendInt64String(e.b, o.Int())
		} else {
			e.str(o.Str())
		}
		return nil
	case datatypes.TypeList:
		return e.list(o.Quicklist())
	case datatypes.TypeSet:
		if o.Enc == datatypes.EncIntset {
			e.str(o.Intset().Bytes())
			return nil
		}
		d := o.SetDict()
		e.length(d.Len())
		var err error
		d.Range(func(m string, _ struct{}) bool {
			e.strString(m)
			err = e.spill()
			return err == nil
		})
		return err
	case datatypes.TypeZSet:
		if o.Enc == datatypes.EncListpack {
			e.str(o.Listpack().Bytes())
			return nil
		}
		zsl := o.ZSet().Skiplist()
		e.length(zsl.Len())
		for x := zsl.Last(); x != nil; x = x.Prev() {
			e.strString(x.Member())
			e.b = appendBinaryDouble(e.b, x.Score())
			if err := e.spill(); err != nil {
				return err
			}
		}
		return nil
	case datatypes.TypeHash:
		if o.Enc == datatypes.EncListpack {
			e.str(o.Listpack().Bytes())
			return nil
		}
		d := o.HashDict()
		e.length(d.Len())
		var err error
		d.Range(func(f, v string) bool {
			e.strString(f)
			e.strString(v)
			err = e.spill()
			return err == nil
		})
		return err
	case datatypes.TypeStream:
		return e.stream(o)
	}
	return errUnknownObject
}

// list writes a quicklist node by node; a node compressed in memory goes
// out as its LZF bytes, as Redis does, so saving costs no recompression.
func (e *encoder) list(ql *datatypes.Quicklist) error {
	e.length(ql.Nodes())
	var err error
	ql.RangeNodes(func(n datatypes.QuicklistNode) bool {
		if n.Plain {
			e.length(containerPlain)
		} else {
			e.length(containerPacked)
		}
		if n.LZF != nil {
			e.b = appendLZFBlob(e.b, n.LZF, n.Size)
		} else {
			e.str(n.Data)
		}
		err = e.spill()
		return err == nil
	})
	return err
}

// DumpPayload is DUMP's serialization of o (createDumpPayload): the type
// byte and the value, the RDB version (2 bytes LE) and the CRC-64 of all
// that (8 bytes LE).
func DumpPayload(o *datatypes.Object, compress bool) []byte {
	t, err := objectType(o)
	if err != nil {
		return nil
	}
	e := encoder{b: []byte{t}, compress: compress}
	if e.object(o) != nil {
		return nil
	}
	b := binary.LittleEndian.AppendUint16(e.b, Version)
	return binary.LittleEndian.AppendUint64(b, CRC64(0, b))
}
