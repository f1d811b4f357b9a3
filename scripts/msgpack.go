package scripts

import (
	"encoding/binary"
	"math"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// cmsgpack (lua-cmsgpack 0.4) and struct (struct.c 0.2), as Redis ships
// them.

const msgpackMaxNesting = 16 // deeper tables encode as nil, as lua-cmsgpack

func newCmsgpack(L *lua.LState) *lua.LTable {
	t := register(L, map[string]lua.LGFunction{
		"pack":         msgpackPack,
		"unpack":       func(L *lua.LState) int { return msgpackUnpack(L, 0, 0, false) },
		"unpack_one":   func(L *lua.LState) int { return msgpackUnpack(L, 1, L.OptInt(2, 0), true) },
		"unpack_limit": func(L *lua.LState) int { return msgpackUnpack(L, L.CheckInt(2), L.OptInt(3, 0), true) },
	})
	t.RawSetString("_NAME", lua.LString("cmsgpack"))
	t.RawSetString("_VERSION", lua.LString("lua-cmsgpack 0.4.0"))
	return t
}

func msgpackPack(L *lua.LState) int {
	n := L.GetTop()
	if n == 0 {
		L.RaiseError("MessagePack pack needs input.")
	}
	var b []byte
	for i := 1; i <= n; i++ {
		b = msgpackAppend(b, L.Get(i), 0)
	}
	L.Push(lua.LString(b))
	return 1
}

func msgpackAppend(b []byte, v lua.LValue, level int) []byte {
	switch x := v.(type) {
	case lua.LString:
		return msgpackHeader(b, len(x), 0xa0, 31, 0xd9, 0xda, 0xdb, true, string(x))
	case lua.LBool:
		if x {
			return append(b, 0xc3)
		}
		return append(b, 0xc2)
	case lua.LNumber:
		f := float64(x)
		if f == math.Trunc(f) && f >= -9223372036854775808 && f < 9223372036854775808 {
			return msgpackInt(b, int64(f))
		}
		if f32 := float32(f); float64(f32) == f {
			b = append(b, 0xca)
			return binary.BigEndian.AppendUint32(b, math.Float32bits(f32))
		}
		b = append(b, 0xcb)
		return binary.BigEndian.AppendUint64(b, math.Float64bits(f))
	case *lua.LTable:
		if level >= msgpackMaxNesting {
			return append(b, 0xc0)
		}
		if n, ok := msgpackArrayLen(x); ok {
			b = msgpackHeader(b, n, 0x90, 15, 0, 0xdc, 0xdd, false, "")
			for i := 1; i <= n; i++ {
				b = msgpackAppend(b, x.RawGetInt(i), level+1)
			}
			return b
		}
		n := 0
		x.ForEach(func(_, _ lua.LValue) { n++ })
		b = msgpackHeader(b, n, 0x80, 15, 0, 0xde, 0xdf, false, "")
		x.ForEach(func(k, val lua.LValue) {
			b = msgpackAppend(b, k, level+1)
			b = msgpackAppend(b, val, level+1)
		})
		return b
	}
	return append(b, 0xc0)
}

// msgpackHeader appends a length-prefixed header (fix / 8 / 16 / 32 bit
// length) and, for strings, the bytes.
func msgpackHeader(b []byte, n int, fix byte, fixMax int, c8, c16, c32 byte, str bool, s string) []byte {
	switch {
	case n <= fixMax:
		b = append(b, fix|byte(n))
	case c8 != 0 && n <= 0xff:
		b = append(b, c8, byte(n))
	case n <= 0xffff:
		b = append(b, c16)
		b = binary.BigEndian.AppendUint16(b, uint16(n))
	default:
		b = append(b, c32)
		b = binary.BigEndian.AppendUint32(b, uint32(n))
	}
	if str {
		b = append(b, s...)
	}
	return b
}

func msgpackInt(b []byte, n int64) []byte {
	if n >= 0 {
		switch {
		case n <= 127:
			return append(b, byte(n))
		case n <= 0xff:
			return append(b, 0xcc, byte(n))
		case n <= 0xffff:
			return binary.BigEndian.AppendUint16(append(b, 0xcd), uint16(n))
		case n <= 0xffffffff:
			return binary.BigEndian.AppendUint32(append(b, 0xce), uint32(n))
		}
		return binary.BigEndian.AppendUint64(append(b, 0xcf), uint64(n))
	}
	switch {
	case n >= -32:
		return append(b, byte(int8(n)))
	case n >= -128:
		return append(b, 0xd0, byte(int8(n)))
	case n >= -32768:
		return binary.BigEndian.AppendUint16(append(b, 0xd1), uint16(int16(n)))
	case n >= -2147483648:
		return binary.BigEndian.AppendUint32(append(b, 0xd2), uint32(int32(n)))
	}
	return binary.BigEndian.AppendUint64(append(b, 0xd3), uint64(n))
}

// msgpackArrayLen is table_is_an_array: keys 1..n and nothing else.
func msgpackArrayLen(t *lua.LTable) (int, bool) {
	count, max := 0, 0
	ok := true
	t.ForEach(func(k, _ lua.LValue) {
		n, isNum := k.(lua.LNumber)
		if !isNum || n < 1 || float64(n) != math.Trunc(float64(n)) {
			ok = false
			return
		}
		count++
		if int(n) > max {
			max = int(n)
		}
	})
	return max, ok && count == max
}

// msgpackUnpack decodes up to limit objects (0: all) from offset; with
// withOffset the next offset (-1 at the end) comes first, as unpack_one
// and unpack_limit return it.
func msgpackUnpack(L *lua.LState, limit, offset int, withOffset bool) int {
	s := L.CheckString(1)
	if offset < 0 || limit < 0 {
		L.RaiseError("Invalid request to unpack with offset of %d and limit of %d.", offset, limit)
	}
	if offset > len(s) {
		L.RaiseError("Start offset %d greater than input length %d.", offset, len(s))
	}
	d := &msgpackDecoder{L: L, s: s, pos: offset}
	var vals []lua.LValue
	for d.pos < len(s) && (limit == 0 || len(vals) < limit) {
		vals = append(vals, d.value())
	}
	if withOffset {
		next := d.pos
		if next >= len(s) {
			next = -1
		}
		L.Push(lua.LNumber(next))
	}
	for _, v := range vals {
		L.Push(v)
	}
	if withOffset {
		return len(vals) + 1
	}
	return len(vals)
}

type msgpackDecoder struct {
	L   *lua.LState
	s   string
	pos int
}

func (d *msgpackDecoder) take(n int) string {
	if n < 0 || d.pos+n > len(d.s) {
		d.L.RaiseError("Missing bytes in input.")
	}
	p := d.s[d.pos : d.pos+n]
	d.pos += n
	return p
}

func (d *msgpackDecoder) uint(n int) uint64 {
	p := d.take(n)
	var v uint64
	for i := 0; i < n; i++ {
		v = v<<8 | uint64(p[i])
	}
	return v
}

func (d *msgpackDecoder) value() lua.LValue {
	c := d.take(1)[0]
	switch {
	case c <= 0x7f:
		return lua.LNumber(c)
	case c >= 0xe0:
		return lua.LNumber(int8(c))
	case c&0xe0 == 0xa0:
		return lua.LString(d.take(int(c & 0x1f)))
	case c&0xf0 == 0x90:
		return d.array(int(c & 0x0f))
	case c&0xf0 == 0x80:
		return d.mapping(int(c & 0x0f))
	}
	switch c {
	case 0xc0:
		return lua.LNil
	case 0xc2:
		return lua.LFalse
	case 0xc3:
		return lua.LTrue
	case 0xca:
		return lua.LNumber(math.Float32frombits(uint32(d.uint(4))))
	case 0xcb:
		return lua.LNumber(math.Float64frombits(d.uint(8)))
	case 0xcc:
		return lua.LNumber(d.uint(1))
	case 0xcd:
		return lua.LNumber(d.uint(2))
	case 0xce:
		return lua.LNumber(d.uint(4))
	case 0xcf:
		return lua.LNumber(float64(d.uint(8)))
	case 0xd0:
		return lua.LNumber(int8(d.uint(1)))
	case 0xd1:
		return lua.LNumber(int16(d.uint(2)))
	case 0xd2:
		return lua.LNumber(int32(d.uint(4)))
	case 0xd3:
		return lua.LNumber(float64(int64(d.uint(8))))
	case 0xc4, 0xd9:
		return lua.LString(d.take(int(d.uint(1))))
	case 0xc5, 0xda:
		return lua.LString(d.take(int(d.uint(2))))
	case 0xc6, 0xdb:
		return lua.LString(d.take(int(d.uint(4))))
	case 0xdc:
		return d.array(int(d.uint(2)))
	case 0xdd:
		return d.array(int(d.uint(4)))
	case 0xde:
		return d.mapping(int(d.uint(2)))
	case 0xdf:
		return d.mapping(int(d.uint(4)))
	}
	d.L.RaiseError("Bad data format in input.")
	return lua.LNil
}

func (d *msgpackDecoder) array(n int) lua.LValue {
	t := d.L.NewTable()
	for i := 1; i <= n; i++ {
		t.RawSetInt(i, d.value())
	}
	return t
}

func (d *msgpackDecoder) mapping(n int) lua.LValue {
	t := d.L.NewTable()
	for i := 0; i < n; i++ {
		k := d.value()
		v := d.value()
		if k != lua.LNil {
			t.RawSet(k, v)
		}
	}
	return t
}

// --- struct ---

const structMaxAlign = 8

type structFormat struct {
	L      *lua.LState
	fn     string // "pack", "unpack", "size": named in errors
	f      string
	i      int
	little bool
	align  int
}

// next returns the next option and its size; ok is false at the end.
func (sf *structFormat) next() (opt byte, size int, ok bool) {
	for sf.i < len(sf.f) {
		opt = sf.f[sf.i]
		sf.i++
		switch opt {
		case ' ':
			continue
		case '>':
			sf.little = false
			continue
		case '<', '=':
			sf.little = true
			continue
		case '!':
			sf.align = sf.number(structMaxAlign)
			continue
		case 'b', 'B', 'x':
			return opt, 1, true
		case 'h', 'H':
			return opt, 2, true
		case 'l', 'L', 'T':
			return opt, 8, true
		case 'f':
			return opt, 4, true
		case 'd':
			return opt, 8, true
		case 's':
			return opt, 0, true
		case 'c':
			return opt, sf.number(1), true
		case 'i', 'I':
			n := sf.number(4)
			if n > 8 {
				sf.L.RaiseError("integral size %d is larger than limit of 8", n)
			}
			return opt, n, true
		}
		sf.L.RaiseError("bad argument #1 to '%s' (invalid format option '%c')", sf.fn, opt)
	}
	return 0, 0, false
}

func (sf *structFormat) number(def int) int {
	if sf.i >= len(sf.f) || sf.f[sf.i] < '0' || sf.f[sf.i] > '9' {
		return def
	}
	n := 0
	for sf.i < len(sf.f) && sf.f[sf.i] >= '0' && sf.f[sf.i] <= '9' {
		n = n*10 + int(sf.f[sf.i]-'0')
		sf.i++
	}
	return n
}

// pad is gettoalign: bytes to skip before an option of size at len.
func (sf *structFormat) pad(length int, opt byte, size int) int {
	if size == 0 || opt == 'c' {
		return 0
	}
	if size > sf.align {
		size = sf.align
	}
	return (size - (length & (size - 1))) & (size - 1)
}

func newStructFormat(L *lua.LState, fn string) *structFormat {
	return &structFormat{L: L, fn: fn, f: L.CheckString(1), little: true, align: 1}
}

func newStruct(L *lua.LState) *lua.LTable {
	return register(L, map[string]lua.LGFunction{
		"pack":   structPack,
		"unpack": structUnpack,
		"size":   structSize,
	})
}

func (sf *structFormat) putInt(b []byte, v uint64, size int) []byte {
	for i := 0; i < size; i++ {
		shift := i
		if !sf.little {
			shift = size - 1 - i
		}
		b = append(b, byte(v>>(8*uint(shift))))
	}
	return b
}

func structPack(L *lua.LState) int {
	sf := newStructFormat(L, "pack")
	arg := 2
	var b []byte
	for {
		opt, size, ok := sf.next()
		if !ok {
			break
		}
		for n := sf.pad(len(b), opt, size); n > 0; n-- {
			b = append(b, 0)
		}
		switch opt {
		case 'x':
			b = append(b, 0)
		case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I':
			f := float64(L.CheckNumber(arg))
			arg++
			var v uint64
			if f < 0 {
				v = uint64(int64(f))
			} else {
				v = uint64(f)
			}
			b = sf.putInt(b, v, size)
		case 'f':
			f := float32(L.CheckNumber(arg))
			arg++
			b = sf.putInt(b, uint64(math.Float32bits(f)), 4)
		case 'd':
			f := float64(L.CheckNumber(arg))
			arg++
			b = sf.putInt(b, math.Float64bits(f), 8)
		case 'c', 's':
			s := L.CheckString(arg)
			if opt == 'c' {
				if size == 0 {
					size = len(s)
				}
				if len(s) < size {
					L.RaiseError("bad argument #%d to 'pack' (string too short)", arg)
				}
				b = append(b, s[:size]...)
			} else {
				b = append(b, s...)
				b = append(b, 0)
			}
			arg++
		}
	}
	L.Push(lua.LString(b))
	return 1
}

func structUnpack(L *lua.LState) int {
	sf := newStructFormat(L, "unpack")
	data := L.CheckString(2)
	pos := L.OptInt(3, 1) - 1
	if pos < 0 {
		L.RaiseError("bad argument #3 to 'unpack' (offset must be 1 or greater)")
	}
	n := 0
	need := func(size int) {
		if pos+size > len(data) || pos+size < pos {
			L.RaiseError("bad argument #2 to 'unpack' (data string too short)")
		}
	}
	for {
		opt, size, ok := sf.next()
		if !ok {
			break
		}
		pos += sf.pad(pos, opt, size)
		switch opt {
		case 'x':
			need(1)
			pos++
			continue
		case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I':
			need(size)
			var v uint64
			for i := 0; i < size; i++ {
				idx := pos + size - 1 - i
				if !sf.little {
					idx = pos + i
				}
				v = v<<8 | uint64(data[idx])
			}
			if (opt == 'b' || opt == 'h' || opt == 'l' || opt == 'i') && size < 8 {
				shift := uint(64 - 8*size)
				L.Push(lua.LNumber(float64(int64(v<<shift) >> shift)))
			} else if opt == 'b' || opt == 'h' || opt == 'l' || opt == 'i' {
				L.Push(lua.LNumber(float64(int64(v))))
			} else {
				L.Push(lua.LNumber(float64(v)))
			}
		case 'f', 'd':
			need(size)
			var v uint64
			for i := 0; i < size; i++ {
				idx := pos + size - 1 - i
				if !sf.little {
					idx = pos + i
				}
				v = v<<8 | uint64(data[idx])
			}
			if opt == 'f' {
				L.Push(lua.LNumber(math.Float32frombits(uint32(v))))
			} else {
				L.Push(lua.LNumber(math.Float64frombits(v)))
			}
		case 'c':
			if size == 0 {
				prev, ok := L.Get(-1).(lua.LNumber)
				if n == 0 || !ok {
					L.RaiseError("format 'c0' needs a previous size")
				}
				size = int(prev)
				L.Pop(1)
				n--
			}
			need(size)
			L.Push(lua.LString(data[pos : pos+size]))
		case 's':
			end := strings.IndexByte(data[pos:], 0)
			if end < 0 {
				L.RaiseError("unfinished string in data")
			}
			L.Push(lua.LString(data[pos : pos+end]))
			size = end + 1
		}
		pos += size
		n++
	}
	L.Push(lua.LNumber(pos + 1))
	return n + 1
}

func structSize(L *lua.LState) int {
	sf := newStructFormat(L, "size")
	pos := 0
	for {
		opt, size, ok := sf.next()
		if !ok {
			break
		}
		if opt == 's' || (opt == 'c' && size == 0) {
			L.RaiseError("bad argument #1 to 'size' (options 'c0' - 's' have undefined sizes)")
		}
		pos += sf.pad(pos, opt, size) + size
	}
	L.Push(lua.LNumber(pos))
	return 1
}
