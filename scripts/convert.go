package scripts

import (
	"bytes"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"ferrite/server/resp"
)

// Conversions between RESP and Lua, as Redis 7.0's script_lua.c.
//
// RESP -> Lua (replies of redis.call): integer -> number, bulk -> string,
// null bulk and null array -> false, array -> table, status -> {ok=s},
// error -> {err=s}; RESP3: map -> {map=t}, set -> {set=t} (members as keys
// with true), double -> {double=n}, boolean -> boolean, null -> nil, big
// number -> {big_number=s}, verbatim -> {verbatim_string={format=, string=}};
// attributes are skipped.
//
// Lua -> RESP (the script's return value): string -> bulk, number ->
// integer (truncated), boolean -> 1 / null (RESP2 scripts) or a RESP3
// boolean, tables by their err / ok / double / big_number /
// verbatim_string / map / set field, else an array up to the first nil;
// anything else -> null.

// ignoreStatsField marks an error table whose error was already counted
// in errorstats.
const ignoreStatsField = "ignore_error_stats_update"

// maxDepth bounds nesting in both directions; past it the reply is Redis's
// "reached lua stack limit" error instead of an endless recursion on a
// table that contains itself.
const maxDepth = 1000

// respToLua converts one RESP reply into a Lua value; rest is what follows.
func respToLua(L *lua.LState, b []byte) (v lua.LValue, rest []byte) {
	if len(b) == 0 {
		return lua.LNil, b
	}
	typ := b[0]
	end := bytes.Index(b, []byte("\r\n"))
	if end < 1 {
		return lua.LNil, nil
	}
	// The header line as bytes: the common replies (integers, bulk
	// strings, arrays) need only its number, not a string of it.
	lineb := b[1:end]
	rest = b[end+2:]
	switch typ {
	case '+':
		t := L.CreateTable(0, 1)
		t.RawSetString("ok", lua.LString(lineb))
		return t, rest
	case '-':
		// The command counted its error already: the script's reply
		// will not count it again (ignore_error_stats_update).
		t := errTableFromReply(L, "-"+string(lineb))
		t.RawSetString(ignoreStatsField, lua.LTrue)
		return t, rest
	case ':':
		return lua.LNumber(parseInt(lineb)), rest
	case '$', '=':
		n := int(parseInt(lineb))
		if n < 0 {
			return lua.LFalse, rest
		}
		if n+2 > len(rest) {
			return lua.LNil, nil
		}
		s := string(rest[:n])
		rest = rest[n+2:]
		if typ == '$' {
			return lua.LString(s), rest
		}
		vt := L.CreateTable(0, 2)
		format, str := s, ""
		if len(s) >= 4 {
			format, str = s[:3], s[4:]
		}
		vt.RawSetString("string", lua.LString(str))
		vt.RawSetString("format", lua.LString(format))
		t := L.CreateTable(0, 1)
		t.RawSetString("verbatim_string", vt)
		return t, rest
	case '*', '>':
		n := int(parseInt(lineb))
		if n < 0 {
			return lua.LFalse, rest
		}
		t := L.CreateTable(min(n, len(rest)/3), 0)
		for i := 1; i <= n && len(rest) > 0; i++ {
			var e lua.LValue
			e, rest = respToLua(L, rest)
			t.RawSetInt(i, e)
		}
		return t, rest
	case '%', '~':
		n := int(parseInt(lineb))
		inner := L.NewTable()
		for i := 0; i < n && len(rest) > 0; i++ {
			var k, val lua.LValue
			k, rest = respToLua(L, rest)
			if typ == '%' {
				val, rest = respToLua(L, rest)
			} else {
				val = lua.LTrue
			}
			if k != lua.LNil {
				inner.RawSet(k, val)
			}
		}
		t := L.CreateTable(0, 1)
		if typ == '%' {
			t.RawSetString("map", inner)
		} else {
			t.RawSetString("set", inner)
		}
		return t, rest
	case ',':
		f, _ := strconv.ParseFloat(string(lineb), 64)
		t := L.CreateTable(0, 1)
		t.RawSetString("double", lua.LNumber(f))
		return t, rest
	case '#':
		return lua.LBool(string(lineb) == "t"), rest
	case '_':
		return lua.LNil, rest
	case '(':
		t := L.CreateTable(0, 1)
		t.RawSetString("big_number", lua.LString(lineb))
		return t, rest
	case '|':
		n := int(parseInt(lineb))
		for i := 0; i < 2*n && len(rest) > 0; i++ {
			_, rest = respToLua(L, rest)
		}
		return respToLua(L, rest)
	}
	return lua.LNil, nil
}

// parseInt reads a RESP header's decimal number as strconv.ParseInt does
// (0 when it is not one), without making a string of it first.
func parseInt(b []byte) int64 {
	digits := b
	if len(digits) > 0 && digits[0] == '-' {
		digits = digits[1:]
	}
	if len(digits) == 0 || len(digits) > 18 {
		n, _ := strconv.ParseInt(string(b), 10, 64)
		return n
	}
	var n int64
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int64(c-'0')
	}
	if len(digits) < len(b) {
		n = -n
	}
	return n
}

// errTableFromReply is luaPushErrorBuff: "-CODE msg" or "msg" becomes the
// table {err="CODE msg"}, with ERR when no code can be told.
func errTableFromReply(L *lua.LState, s string) *lua.LTable {
	code, msg := "ERR", s
	if strings.HasPrefix(s, "-") {
		if c, m, ok := strings.Cut(s[1:], " "); ok {
			code, msg = c, m
		} else {
			msg = s[1:]
		}
	}
	msg = strings.Trim(msg, "\r\n")
	return errTable(L, code+" "+msg)
}

func errTable(L *lua.LState, msg string) *lua.LTable {
	t := L.CreateTable(0, 1)
	t.RawSetString("err", lua.LString(msg))
	return t
}

// luaToResp appends v as the reply to a client of protocol proto; resp is
// the script's redis.setresp, which decides how booleans are sent.
func luaToResp(b []byte, v lua.LValue, scriptResp, proto int) []byte {
	return appendLua(b, v, scriptResp, proto, 0)
}

func appendLua(b []byte, v lua.LValue, scriptResp, proto, depth int) []byte {
	if depth > maxDepth {
		return appendError(b, "ERR reached lua stack limit")
	}
	switch x := v.(type) {
	case lua.LString:
		return resp.AppendBulkString(b, string(x))
	case lua.LBool:
		if scriptResp == 2 {
			if x {
				return resp.AppendInt(b, 1)
			}
			return resp.AppendNull(b, proto)
		}
		return resp.AppendBool(b, proto, bool(x))
	case lua.LNumber:
		return resp.AppendInt(b, int64(x))
	case *lua.LTable:
		return appendTable(b, x, scriptResp, proto, depth)
	}
	return resp.AppendNull(b, proto)
}

func appendTable(b []byte, t *lua.LTable, scriptResp, proto, depth int) []byte {
	if s, ok := t.RawGetString("err").(lua.LString); ok {
		return appendError(b, string(s))
	}
	if s, ok := t.RawGetString("ok").(lua.LString); ok {
		return resp.AppendSimple(b, noNewlines(string(s)))
	}
	if n, ok := t.RawGetString("double").(lua.LNumber); ok {
		return resp.AppendDouble(b, proto, float64(n))
	}
	if s, ok := t.RawGetString("big_number").(lua.LString); ok {
		return resp.AppendBigNumber(b, proto, noNewlines(string(s)))
	}
	if vt, ok := t.RawGetString("verbatim_string").(*lua.LTable); ok {
		format, fok := vt.RawGetString("format").(lua.LString)
		str, sok := vt.RawGetString("string").(lua.LString)
		if fok && sok {
			return resp.AppendVerbatim(b, proto, string(format), []byte(str))
		}
	}
	if m, ok := t.RawGetString("map").(*lua.LTable); ok {
		var body []byte
		n := 0
		m.ForEach(func(k, val lua.LValue) {
			body = appendLua(body, k, scriptResp, proto, depth+1)
			body = appendLua(body, val, scriptResp, proto, depth+1)
			n++
		})
		b = resp.AppendMap(b, proto, n)
		return append(b, body...)
	}
	if s, ok := t.RawGetString("set").(*lua.LTable); ok {
		var body []byte
		n := 0
		s.ForEach(func(k, _ lua.LValue) {
			body = appendLua(body, k, scriptResp, proto, depth+1)
			n++
		})
		b = resp.AppendSet(b, proto, n)
		return append(b, body...)
	}
	n := 0
	for t.RawGetInt(n+1) != lua.LNil {
		n++
	}
	b = resp.AppendArray(b, n)
	for i := 1; i <= n; i++ {
		b = appendLua(b, t.RawGetInt(i), scriptResp, proto, depth+1)
	}
	return b
}

// appendError is addReplyErrorFormat("-%s"): the text carries its code.
func appendError(b []byte, msg string) []byte {
	return resp.AppendError(b, msg)
}

func noNewlines(s string) string {
	return strings.NewReplacer("\r", " ", "\n", " ").Replace(s)
}
