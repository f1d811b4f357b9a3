package scripts

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	lua "github.com/yuin/gopher-lua"
)

// The libraries Redis bundles beyond Lua's own: cjson (lua-cjson 2.1),
// bit (LuaBitOp), cmsgpack (lua-cmsgpack) and struct (Roberto's struct),
// written again in Go with their formats and error texts. Where the C
// library walks a table with lua_next, key order here is gopher-lua's,
// so JSON objects and msgpack maps may list keys in another order.

func openExtraLibs(L *lua.LState, g *lua.LTable) {
	g.RawSetString("cjson", newCJSON(L))
	g.RawSetString("bit", newBit(L))
	g.RawSetString("cmsgpack", newCmsgpack(L))
	g.RawSetString("struct", newStruct(L))
}

func register(L *lua.LState, fns map[string]lua.LGFunction) *lua.LTable {
	t := L.NewTable()
	for name, fn := range fns {
		t.RawSetString(name, L.NewFunction(fn))
	}
	return t
}

// --- cjson ---

const jsonMaxDepth = 1000

// jsonNull is cjson.null: a light userdata, as in lua-cjson.
var jsonNull *lua.LUserData

func newCJSON(L *lua.LState) *lua.LTable {
	jsonNull = L.NewUserData()
	t := register(L, map[string]lua.LGFunction{
		"encode": jsonEncode,
		"decode": jsonDecode,
	})
	// The configuration functions answer with the defaults and change nothing.
	for name, vals := range map[string][]lua.LValue{
		"encode_sparse_array":     {lua.LFalse, lua.LNumber(2), lua.LNumber(10)},
		"encode_max_depth":        {lua.LNumber(jsonMaxDepth)},
		"decode_max_depth":        {lua.LNumber(jsonMaxDepth)},
		"encode_number_precision": {lua.LNumber(14)},
		"encode_keep_buffer":      {lua.LTrue},
		"encode_invalid_numbers":  {lua.LFalse},
		"decode_invalid_numbers":  {lua.LTrue},
	} {
		vals := vals
		t.RawSetString(name, L.NewFunction(func(L *lua.LState) int {
			for _, v := range vals {
				L.Push(v)
			}
			return len(vals)
		}))
	}
	t.RawSetString("null", jsonNull)
	t.RawSetString("_NAME", lua.LString("cjson"))
	t.RawSetString("_VERSION", lua.LString("2.1.0"))
	return t
}

func jsonEncode(L *lua.LState) int {
	if L.GetTop() != 1 {
		L.ArgError(1, "expected 1 argument")
	}
	var b strings.Builder
	jsonAppend(L, &b, L.Get(1), 0)
	L.Push(lua.LString(b.String()))
	return 1
}

func jsonAppend(L *lua.LState, b *strings.Builder, v lua.LValue, depth int) {
	switch x := v.(type) {
	case lua.LString:
		jsonString(b, string(x))
	case lua.LNumber:
		f := float64(x)
		if math.IsInf(f, 0) || math.IsNaN(f) {
			L.RaiseError("Cannot serialise number: must not be NaN or Inf")
		}
		b.WriteString(formatNumber(f))
	case lua.LBool:
		if x {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case *lua.LNilType:
		b.WriteString("null")
	case *lua.LTable:
		depth++
		if depth > jsonMaxDepth {
			L.RaiseError("Cannot serialise, excessive nesting (%d)", depth)
		}
		n, isArray := jsonArrayLength(L, x)
		if isArray && n > 0 {
			b.WriteByte('[')
			for i := 1; i <= n; i++ {
				if i > 1 {
					b.WriteByte(',')
				}
				jsonAppend(L, b, x.RawGetInt(i), depth)
			}
			b.WriteByte(']')
			return
		}
		b.WriteByte('{')
		first := true
		x.ForEach(func(k, val lua.LValue) {
			if !first {
				b.WriteByte(',')
			}
			first = false
			switch kk := k.(type) {
			case lua.LString:
				jsonString(b, string(kk))
			case lua.LNumber:
				jsonString(b, formatNumber(float64(kk)))
			default:
				L.RaiseError("Cannot serialise %s: table key must be a number or string", k.Type().String())
			}
			b.WriteByte(':')
			jsonAppend(L, b, val, depth)
		})
		b.WriteByte('}')
	default:
		if v == jsonNull {
			b.WriteString("null")
			return
		}
		L.RaiseError("Cannot serialise %s: type not supported", v.Type().String())
	}
}

// jsonArrayLength is lua-cjson's lua_array_length: a table whose keys are
// all positive integers is an array unless excessively sparse.
func jsonArrayLength(L *lua.LState, t *lua.LTable) (int, bool) {
	max, items := 0, 0
	isArray := true
	t.ForEach(func(k, _ lua.LValue) {
		n, ok := k.(lua.LNumber)
		if !ok || float64(n) != math.Floor(float64(n)) || n < 1 {
			isArray = false
			return
		}
		if int(n) > max {
			max = int(n)
		}
		items++
	})
	if !isArray {
		return 0, false
	}
	if max > 10 && max > items*2 {
		L.RaiseError("Cannot serialise table: excessively sparse array")
	}
	return max, true
}

func jsonString(b *strings.Builder, s string) {
	const hexDigits = "0123456789abcdef"
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '/':
			b.WriteString(`\/`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if c < 0x20 || c == 0x7f {
				b.WriteString(`\u00`)
				b.WriteByte(hexDigits[c>>4])
				b.WriteByte(hexDigits[c&15])
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
}

type jsonDecoder struct {
	L     *lua.LState
	s     string
	pos   int
	depth int
}

func jsonDecode(L *lua.LState) int {
	if L.GetTop() != 1 {
		L.ArgError(1, "expected 1 argument")
	}
	d := &jsonDecoder{L: L, s: L.CheckString(1)}
	v := d.value()
	d.skipSpace()
	if d.pos < len(d.s) {
		d.fail("the end", d.tokenName())
	}
	L.Push(v)
	return 1
}

func (d *jsonDecoder) skipSpace() {
	for d.pos < len(d.s) && strings.IndexByte(" \t\r\n", d.s[d.pos]) >= 0 {
		d.pos++
	}
}

// tokenName is how lua-cjson names the token at pos in its errors.
func (d *jsonDecoder) tokenName() string {
	if d.pos >= len(d.s) {
		return "T_END"
	}
	switch c := d.s[d.pos]; {
	case c == '{':
		return "T_OBJ_BEGIN"
	case c == '}':
		return "T_OBJ_END"
	case c == '[':
		return "T_ARR_BEGIN"
	case c == ']':
		return "T_ARR_END"
	case c == ',':
		return "T_COMMA"
	case c == ':':
		return "T_COLON"
	case c == '"':
		return "T_STRING"
	case c == '-' || (c >= '0' && c <= '9'):
		return "T_NUMBER"
	case strings.HasPrefix(d.s[d.pos:], "true"), strings.HasPrefix(d.s[d.pos:], "false"):
		return "T_BOOLEAN"
	case strings.HasPrefix(d.s[d.pos:], "null"):
		return "T_NULL"
	}
	return "invalid token"
}

func (d *jsonDecoder) fail(expected, found string) {
	d.L.RaiseError("Expected %s but found %s at character %d", expected, found, d.pos+1)
}

func (d *jsonDecoder) value() lua.LValue {
	d.skipSpace()
	if d.pos >= len(d.s) {
		d.fail("value", "T_END")
	}
	switch c := d.s[d.pos]; {
	case c == '{':
		return d.object()
	case c == '[':
		return d.array()
	case c == '"':
		return lua.LString(d.str())
	case c == '-' || (c >= '0' && c <= '9'):
		return d.number()
	case strings.HasPrefix(d.s[d.pos:], "true"):
		d.pos += 4
		return lua.LTrue
	case strings.HasPrefix(d.s[d.pos:], "false"):
		d.pos += 5
		return lua.LFalse
	case strings.HasPrefix(d.s[d.pos:], "null"):
		d.pos += 4
		return jsonNull
	}
	d.fail("value", d.tokenName())
	return lua.LNil
}

func (d *jsonDecoder) nest() {
	d.depth++
	if d.depth > jsonMaxDepth {
		d.L.RaiseError("Found too many nested data structures (%d) at character %d", d.depth, d.pos+1)
	}
}

func (d *jsonDecoder) object() lua.LValue {
	d.nest()
	t := d.L.NewTable()
	d.pos++
	d.skipSpace()
	if d.pos < len(d.s) && d.s[d.pos] == '}' {
		d.pos++
		d.depth--
		return t
	}
	for {
		d.skipSpace()
		if d.pos >= len(d.s) || d.s[d.pos] != '"' {
			d.fail("object key string", d.tokenName())
		}
		k := d.str()
		d.skipSpace()
		if d.pos >= len(d.s) || d.s[d.pos] != ':' {
			d.fail("colon", d.tokenName())
		}
		d.pos++
		t.RawSetString(k, d.value())
		d.skipSpace()
		if d.pos < len(d.s) && d.s[d.pos] == '}' {
			d.pos++
			d.depth--
			return t
		}
		if d.pos >= len(d.s) || d.s[d.pos] != ',' {
			d.fail("comma or object end", d.tokenName())
		}
		d.pos++
	}
}

func (d *jsonDecoder) array() lua.LValue {
	d.nest()
	t := d.L.NewTable()
	d.pos++
	d.skipSpace()
	if d.pos < len(d.s) && d.s[d.pos] == ']' {
		d.pos++
		d.depth--
		return t
	}
	for i := 1; ; i++ {
		t.RawSetInt(i, d.value())
		d.skipSpace()
		if d.pos < len(d.s) && d.s[d.pos] == ']' {
			d.pos++
			d.depth--
			return t
		}
		if d.pos >= len(d.s) || d.s[d.pos] != ',' {
			d.fail("comma or array end", d.tokenName())
		}
		d.pos++
	}
}

func (d *jsonDecoder) number() lua.LValue {
	start := d.pos
	for d.pos < len(d.s) && strings.IndexByte("+-0123456789.eE", d.s[d.pos]) >= 0 {
		d.pos++
	}
	f, err := strconv.ParseFloat(d.s[start:d.pos], 64)
	if err != nil && !strings.Contains(err.Error(), "range") {
		d.pos = start
		d.fail("value", "invalid number")
	}
	return lua.LNumber(f)
}

func (d *jsonDecoder) str() string {
	d.pos++ // opening quote
	var b strings.Builder
	for {
		if d.pos >= len(d.s) {
			d.fail("value", "unexpected end of string")
		}
		c := d.s[d.pos]
		switch {
		case c == '"':
			d.pos++
			return b.String()
		case c == '\\':
			if d.pos+1 >= len(d.s) {
				d.fail("value", "invalid escape code")
			}
			e := d.s[d.pos+1]
			d.pos += 2
			switch e {
			case '"', '\\', '/':
				b.WriteByte(e)
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'u':
				r := d.hex4()
				if r >= 0xD800 && r < 0xDC00 && strings.HasPrefix(d.s[d.pos:], `\u`) {
					d.pos += 2
					lo := d.hex4()
					r = 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00)
				}
				var buf [4]byte
				b.Write(buf[:utf8.EncodeRune(buf[:], rune(r))])
			default:
				d.fail("value", "invalid escape code")
			}
		default:
			b.WriteByte(c)
			d.pos++
		}
	}
}

func (d *jsonDecoder) hex4() int {
	if d.pos+4 > len(d.s) {
		d.fail("value", "invalid unicode escape code")
	}
	n, err := strconv.ParseUint(d.s[d.pos:d.pos+4], 16, 32)
	if err != nil {
		d.fail("value", "invalid unicode escape code")
	}
	d.pos += 4
	return int(n)
}

// --- bit (LuaBitOp): 32-bit operations on numbers ---

func newBit(L *lua.LState) *lua.LTable {
	tobit := func(L *lua.LState, i int) int32 {
		f := float64(L.CheckNumber(i))
		// LuaBitOp normalizes through the 2^52+2^51 trick: modular.
		return int32(uint32(int64(math.Mod(math.RoundToEven(f), 4294967296))))
	}
	fold := func(op func(a, b int32) int32) lua.LGFunction {
		return func(L *lua.LState) int {
			r := tobit(L, 1)
			for i := 2; i <= L.GetTop(); i++ {
				r = op(r, tobit(L, i))
			}
			L.Push(lua.LNumber(r))
			return 1
		}
	}
	shift := func(op func(a int32, n uint) int32) lua.LGFunction {
		return func(L *lua.LState) int {
			a, n := tobit(L, 1), uint(tobit(L, 2))&31
			L.Push(lua.LNumber(op(a, n)))
			return 1
		}
	}
	return register(L, map[string]lua.LGFunction{
		"tobit": func(L *lua.LState) int { L.Push(lua.LNumber(tobit(L, 1))); return 1 },
		"bnot":  func(L *lua.LState) int { L.Push(lua.LNumber(^tobit(L, 1))); return 1 },
		"band":  fold(func(a, b int32) int32 { return a & b }),
		"bor":   fold(func(a, b int32) int32 { return a | b }),
		"bxor":  fold(func(a, b int32) int32 { return a ^ b }),
		"lshift": shift(func(a int32, n uint) int32 {
			return int32(uint32(a) << n)
		}),
		"rshift": shift(func(a int32, n uint) int32 {
			return int32(uint32(a) >> n)
		}),
		"arshift": shift(func(a int32, n uint) int32 { return a >> n }),
		"rol": shift(func(a int32, n uint) int32 {
			return int32(uint32(a)<<n | uint32(a)>>(32-n))
		}),
		"ror": shift(func(a int32, n uint) int32 {
			return int32(uint32(a)>>n | uint32(a)<<(32-n))
		}),
		"bswap": func(L *lua.LState) int {
			x := uint32(tobit(L, 1))
			L.Push(lua.LNumber(int32(x>>24 | (x>>8)&0xff00 | (x<<8)&0xff0000 | x<<24)))
			return 1
		},
		"tohex": func(L *lua.LState) int {
			x := uint32(tobit(L, 1))
			n := 8
			if L.GetTop() >= 2 {
				n = int(tobit(L, 2))
			}
			digits := "0123456789abcdef"
			if n < 0 {
				n, digits = -n, "0123456789ABCDEF"
			}
			if n > 8 {
				n = 8
			}
			buf := make([]byte, n)
			for i := n - 1; i >= 0; i-- {
				buf[i] = digits[x&15]
				x >>= 4
			}
			L.Push(lua.LString(buf))
			return 1
		},
	})
}
