package scripts

import (
	"math"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// The sandbox and the redis.* API, as Redis 7.0's script_lua.c.
//
// Redis 7.0 makes the globals and every library table read-only. gopher-lua
// has no read-only tables, so scripts get proxies instead: an empty table
// whose metatable reads through to the real table (__index), refuses
// writes (__newindex) and hides itself (__metatable). The real globals'
// own metatable raises the nonexistent-global error. KEYS and ARGV are set
// on the real globals before each run.

// libraries and builtins scripts may see: Redis's allow lists, less what
// gopher-lua does not have.
var (
	libraryNames = []string{"string", "math", "table", "coroutine", "redis", "bit", "cjson", "cmsgpack", "struct"}
	// getfenv and setfenv too: they reach the real globals (the env of
	// any Go function), past the read-only proxies.
	deniedNames = []string{"dofile", "loadfile", "print", "module", "require", "_printregs", "newproxy", "getfenv", "setfenv"}
)

// Redis version the scripts see in redis.REDIS_VERSION(_NUM).
const (
	redisVersion    = "7.0.15"
	redisVersionNum = 0x07000f
)

func (e *Engine) openLibs() {
	L := e.L
	for _, open := range []struct {
		name string
		fn   lua.LGFunction
	}{
		{lua.BaseLibName, lua.OpenBase},
		{lua.TabLibName, lua.OpenTable},
		{lua.StringLibName, lua.OpenString},
		{lua.MathLibName, lua.OpenMath},
		{lua.CoroutineLibName, lua.OpenCoroutine},
	} {
		L.Push(L.NewFunction(open.fn))
		L.Push(lua.LString(open.name))
		L.Call(1, 0)
	}
	g := e.globals
	for _, name := range deniedNames {
		g.RawSetString(name, lua.LNil)
	}
	g.RawSetString("tostring", L.NewFunction(luaTostring))
	g.RawSetString("pcall", L.NewFunction(luaPcall))

	math := g.RawGetString("math").(*lua.LTable)
	math.RawSetString("random", L.NewFunction(e.mathRandom))
	math.RawSetString("randomseed", L.NewFunction(e.mathRandomseed))

	r := L.NewTable()
	for name, fn := range map[string]lua.LGFunction{
		"call":          func(L *lua.LState) int { return e.redisCall(L, true) },
		"pcall":         func(L *lua.LState) int { return e.redisCall(L, false) },
		"log":           e.redisLog,
		"setresp":       e.redisSetresp,
		"set_repl":      e.redisSetRepl,
		"acl_check_cmd": e.redisACLCheckCmd,
		"sha1hex":       redisSha1hex,
		"error_reply":   redisErrorReply,
		"status_reply": func(L *lua.LState) int {
			return singleFieldTable(L, "ok")
		},
		// No debugger: breakpoint says so and debug prints nowhere.
		"breakpoint": func(L *lua.LState) int { L.Push(lua.LFalse); return 1 },
		"debug":      func(L *lua.LState) int { return 0 },
	} {
		r.RawSetString(name, L.NewFunction(fn))
	}
	for name, v := range map[string]int{
		"LOG_DEBUG": 0, "LOG_VERBOSE": 1, "LOG_NOTICE": 2, "LOG_WARNING": 3,
		"REPL_NONE": ReplNone, "REPL_AOF": ReplAOF, "REPL_SLAVE": ReplRepl,
		"REPL_REPLICA": ReplRepl, "REPL_ALL": ReplAll,
		"REDIS_VERSION_NUM": redisVersionNum,
	} {
		r.RawSetString(name, lua.LNumber(v))
	}
	r.RawSetString("REDIS_VERSION", lua.LString(redisVersion))
	g.RawSetString("redis", r)
	openExtraLibs(L, g)
}

// sandbox makes the read-only proxies and returns the scripts' globals.
func (e *Engine) sandbox() *lua.LTable {
	L := e.L
	g := e.globals
	readonly := L.NewFunction(func(L *lua.LState) int {
		L.RaiseError("Attempt to modify a readonly table")
		return 0
	})
	e.readonly = make(map[*lua.LTable]bool)
	proxy := func(real *lua.LTable) *lua.LTable {
		p := L.NewTable()
		e.readonly[p] = true
		mt := L.NewTable()
		mt.RawSetString("__index", real)
		mt.RawSetString("__newindex", readonly)
		mt.RawSetString("__metatable", lua.LFalse)
		L.SetMetatable(p, mt)
		return p
	}
	for _, name := range libraryNames {
		if t, ok := g.RawGetString(name).(*lua.LTable); ok {
			g.RawSetString(name, proxy(t))
		}
	}
	gmt := L.NewTable()
	gmt.RawSetString("__index", L.NewFunction(func(L *lua.LState) int {
		L.RaiseError("Script attempted to access nonexistent global variable '%s'", tostring(L.Get(2)))
		return 0
	}))
	L.SetMetatable(g, gmt)
	// rawset and setmetatable would change a proxy behind the sandbox's
	// back (and create globals).
	for _, name := range []string{"rawset", "setmetatable"} {
		orig := g.RawGetString(name)
		g.RawSetString(name, L.NewFunction(func(L *lua.LState) int {
			if t, ok := L.Get(1).(*lua.LTable); ok && e.readonly[t] {
				L.Error(lua.LString("Attempt to modify a readonly table"), 0)
			}
			top := L.GetTop()
			L.Push(orig)
			for i := 1; i <= top; i++ {
				L.Push(L.Get(i))
			}
			L.Call(top, 1)
			return 1
		}))
	}
	// The strings' metatable is shared by every script: scripts get a
	// read-only stand-in whose __index is the read-only string table, as
	// in Redis 7.0, so that no script leaves anything behind in it for
	// the next one. (The real one, which only the VM sees, keeps the real
	// string table for method calls.)
	strMeta := L.NewTable()
	strMeta.RawSetString("__index", g.RawGetString("string"))
	strMetaView := proxy(strMeta)
	getmetatable := g.RawGetString("getmetatable")
	g.RawSetString("getmetatable", L.NewFunction(func(L *lua.LState) int {
		v := L.CheckAny(1)
		if _, ok := v.(lua.LString); ok {
			L.Push(strMetaView)
			return 1
		}
		L.Push(getmetatable)
		L.Push(v)
		L.Call(1, 1)
		return 1
	}))
	env := proxy(g)
	e.envMeta = env.Metatable.(*lua.LTable)
	g.RawSetString("_G", env)
	L.Env = env
	return env
}

// redisCall is redis.call (raise) and redis.pcall.
func (e *Engine) redisCall(L *lua.LState, raise bool) int {
	if e.run == nil {
		L.Error(errTable(L, "ERR redis.call/pcall can only be called inside a script invocation"), 0)
	}
	argv, errMsg := commandArgs(L)
	var v lua.LValue
	failed := false
	if errMsg != "" {
		v, failed = errTable(L, "ERR "+errMsg), true
	} else {
		reply := e.run.host.Call(argv, e.run.resp)
		v, _ = respToLua(L, reply)
		failed = len(reply) > 0 && reply[0] == '-'
	}
	if failed && raise {
		L.Error(v, 0)
	}
	L.Push(v)
	return 1
}

// commandArgs converts redis.call's arguments: numbers as "%.17g" (Lua's
// own conversion would lose precision), strings as they are.
//
// The arguments are copied into one new buffer, each capped to its own
// length: the command may keep them (a value stored, a propagated argv),
// so neither argv nor the buffer is reused, but a call costs two
// allocations however many arguments it has.
func commandArgs(L *lua.LState) ([][]byte, string) {
	n := L.GetTop()
	if n == 0 {
		return nil, "Please specify at least one argument for this redis lib call"
	}
	size := 0
	for i := 1; i <= n; i++ {
		switch v := L.Get(i).(type) {
		case lua.LString:
			size += len(v)
		case lua.LNumber:
			size += 24 // %.17g is at most 24 bytes
		default:
			return nil, "Lua redis lib command arguments must be strings or integers"
		}
	}
	argv := make([][]byte, n)
	buf := make([]byte, 0, size)
	for i := 1; i <= n; i++ {
		start := len(buf)
		switch v := L.Get(i).(type) {
		case lua.LString:
			buf = append(buf, v...)
		case lua.LNumber:
			buf = strconv.AppendFloat(buf, float64(v), 'g', 17, 64)
		}
		argv[i-1] = buf[start:len(buf):len(buf)]
	}
	return argv, ""
}

// luaPcall is Redis's pcall: an error table caught from redis.call comes
// back as its message, as scripts written before 7.0 expect.
func luaPcall(L *lua.LState) int {
	nargs := L.GetTop() - 1
	if nargs < 0 {
		L.ArgError(1, "value expected")
	}
	base := L.GetTop() - nargs - 1
	if err := L.PCall(nargs, lua.MultRet, nil); err != nil {
		var obj lua.LValue = lua.LString(err.Error())
		if ae, ok := err.(*lua.ApiError); ok {
			obj = ae.Object
		}
		if t, ok := obj.(*lua.LTable); ok {
			if s, ok := t.RawGetString("err").(lua.LString); ok {
				obj = s
			}
		}
		L.SetTop(base)
		L.Push(lua.LFalse)
		L.Push(obj)
		return 2
	}
	L.Insert(lua.LTrue, base+1)
	return L.GetTop() - base
}

// luaTostring prints numbers as Redis's Lua does ("%.14g").
func luaTostring(L *lua.LState) int {
	L.Push(lua.LString(tostring(L.CheckAny(1))))
	return 1
}

// tostring is Lua 5.1's tostring with LUA_NUMBER_FMT "%.14g".
func tostring(v lua.LValue) string {
	if n, ok := v.(lua.LNumber); ok {
		return formatNumber(float64(n))
	}
	return v.String()
}

func formatNumber(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case f != f:
		return "nan"
	}
	return strconv.FormatFloat(f, 'g', 14, 64)
}

// luaString is lua_tolstring: strings and numbers, else "", false.
func luaString(v lua.LValue) (string, bool) {
	switch x := v.(type) {
	case lua.LString:
		return string(x), true
	case lua.LNumber:
		return formatNumber(float64(x)), true
	}
	return "", false
}

func redisSha1hex(L *lua.LState) int {
	if L.GetTop() != 1 {
		L.Error(errTable(L, "ERR wrong number of arguments"), 0)
	}
	s, _ := luaString(L.Get(1))
	L.Push(lua.LString(SHA1Hex([]byte(s))))
	return 1
}

// redisErrorReply is redis.error_reply: {err=...} with a code, ERR when
// the text has none.
func redisErrorReply(L *lua.LState) int {
	s, ok := L.Get(1).(lua.LString)
	if L.GetTop() != 1 || !ok {
		L.Push(errTable(L, "ERR wrong number or type of arguments"))
		return 1
	}
	msg := string(s)
	if !strings.HasPrefix(msg, "-") {
		msg = "-" + msg
	}
	L.Push(errTableFromReply(L, msg))
	return 1
}

func singleFieldTable(L *lua.LState, field string) int {
	s, ok := L.Get(1).(lua.LString)
	if L.GetTop() != 1 || !ok {
		L.Push(errTable(L, "ERR wrong number or type of arguments"))
		return 1
	}
	t := L.CreateTable(0, 1)
	t.RawSetString(field, s)
	L.Push(t)
	return 1
}

func (e *Engine) redisLog(L *lua.LState) int {
	n := L.GetTop()
	if n < 2 {
		L.Error(errTable(L, "ERR redis.log() requires two arguments or more."), 0)
	}
	lv, ok := L.Get(1).(lua.LNumber)
	if !ok {
		if s, isStr := L.Get(1).(lua.LString); isStr {
			f, err := strconv.ParseFloat(strings.TrimSpace(string(s)), 64)
			lv, ok = lua.LNumber(f), err == nil
		}
	}
	if !ok {
		L.Error(errTable(L, "ERR First argument must be a number (log level)."), 0)
	}
	level := int(lv)
	if level < 0 || level > 3 {
		L.Error(errTable(L, "ERR Invalid debug level."), 0)
	}
	var msg strings.Builder
	for i := 2; i <= n; i++ {
		if s, ok := luaString(L.Get(i)); ok {
			if i != 2 {
				msg.WriteByte(' ')
			}
			msg.WriteString(s)
		}
	}
	if e.run != nil {
		e.run.host.Log(level, msg.String())
	}
	return 0
}

func (e *Engine) redisSetresp(L *lua.LState) int {
	if e.run == nil {
		L.Error(errTable(L, "ERR redis.setresp can only be called inside a script invocation"), 0)
	}
	if L.GetTop() != 1 {
		L.Error(errTable(L, "ERR redis.setresp() requires one argument."), 0)
	}
	n, _ := L.Get(1).(lua.LNumber)
	if n != 2 && n != 3 {
		L.Error(errTable(L, "ERR RESP version must be 2 or 3."), 0)
	}
	e.run.resp = int(n)
	return 0
}

func (e *Engine) redisACLCheckCmd(L *lua.LState) int {
	if e.run == nil {
		L.Error(errTable(L, "ERR redis.acl_check_cmd can only be called inside a script invocation"), 0)
	}
	argv, errMsg := commandArgs(L)
	if errMsg != "" {
		L.Error(errTable(L, "ERR "+errMsg), 0)
	}
	allowed, known := e.run.host.Allowed(argv)
	if !known {
		L.Error(errTable(L, "ERR Invalid command passed to redis.acl_check_cmd()"), 0)
	}
	L.Push(lua.LBool(allowed))
	return 1
}

func (e *Engine) redisSetRepl(L *lua.LState) int {
	if e.run == nil {
		L.Error(errTable(L, "ERR redis.set_repl can only be called inside a script invocation"), 0)
	}
	if L.GetTop() != 1 {
		L.Error(errTable(L, "ERR redis.set_repl() requires two arguments."), 0)
	}
	n, _ := L.Get(1).(lua.LNumber)
	flags := int(n)
	if flags&^ReplAll != 0 {
		L.Error(errTable(L, "ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE."), 0)
	}
	e.run.host.SetRepl(flags)
	return 0
}

// math.random and math.randomseed over redisLrand48, Redis's portable
// lrand48: the same sequence on every platform, continuing from one
// script to the next, from a fixed state at startup.

const (
	lrand48Init = 0x1234ABCD330E
	lrand48Max  = math.MaxInt32
)

func (e *Engine) lrand48() int64 {
	e.rand = (e.rand*0x5DEECE66D + 0xB) & (1<<48 - 1)
	return int64(e.rand >> 17)
}

func (e *Engine) mathRandom(L *lua.LState) int {
	r := float64(e.lrand48()%lrand48Max) / lrand48Max
	switch L.GetTop() {
	case 0:
		L.Push(lua.LNumber(r))
	case 1:
		u := L.CheckInt(1)
		if u < 1 {
			L.ArgError(1, "interval is empty")
		}
		L.Push(lua.LNumber(math.Floor(r*float64(u)) + 1))
	case 2:
		l, u := L.CheckInt(1), L.CheckInt(2)
		if l > u {
			L.ArgError(2, "interval is empty")
		}
		L.Push(lua.LNumber(math.Floor(r*float64(u-l+1)) + float64(l)))
	default:
		L.RaiseError("wrong number of arguments")
	}
	return 1
}

func (e *Engine) mathRandomseed(L *lua.LState) int {
	seed := uint64(uint32(int32(L.CheckInt(1))))
	e.rand = seed<<16 | 0x330E
	return 0
}
