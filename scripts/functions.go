package scripts

import (
	"context"
	"sort"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// Functions is Redis 7.0's function store (functions.c, function_lua.c):
// libraries loaded with FUNCTION LOAD, each registering named functions
// that FCALL runs. They live in a Lua state of their own. While a
// library's code loads, its globals are only a restricted redis table
// (register_function, log and the constants); once loaded, its functions
// see the full sandbox of EVAL scripts, without KEYS and ARGV: they get
// the keys and arguments as their two parameters.
type Functions struct {
	eng     *Engine
	libs    map[string]*Library
	funcs   map[string]*Function
	loadAPI *lua.LTable
	loading *Library // the library whose code is running: register_function adds to it
}

// Library is one loaded library.
type Library struct {
	Name      string
	Code      string
	Functions []*Function // by name
}

// Function is one registered function.
type Function struct {
	Name    string
	Desc    string
	HasDesc bool
	Flags   Flags
	Library *Library
	fn      *lua.LFunction
}

// flagOrder is the order Redis lists function flags in.
var flagOrder = []struct {
	name string
	flag Flags
}{
	{"no-writes", FlagNoWrites},
	{"allow-oom", FlagAllowOOM},
	{"allow-stale", FlagAllowStale},
	{"no-cluster", FlagNoCluster},
	{"allow-cross-slot-keys", FlagAllowCrossSlot},
}

// Names lists f's names in Redis's order.
func (f Flags) Names() []string {
	var names []string
	for _, d := range flagOrder {
		if f&d.flag != 0 {
			names = append(names, d.name)
		}
	}
	return names
}

// NewFunctions returns an empty function store.
func NewFunctions() *Functions {
	f := &Functions{}
	f.Flush()
	return f
}

// Flush deletes every library and starts a fresh Lua state.
func (f *Functions) Flush() {
	if f.eng != nil {
		f.eng.L.Close()
	}
	f.eng = New()
	f.libs = make(map[string]*Library)
	f.funcs = make(map[string]*Function)
	L := f.eng.L
	api := L.NewTable()
	api.RawSetString("register_function", L.NewFunction(f.registerFunction))
	full := f.eng.globals.RawGetString("redis").(*lua.LTable)
	real := full.Metatable.(*lua.LTable).RawGetString("__index").(*lua.LTable)
	for _, name := range []string{"log", "LOG_DEBUG", "LOG_VERBOSE", "LOG_NOTICE", "LOG_WARNING", "REDIS_VERSION", "REDIS_VERSION_NUM"} {
		api.RawSetString(name, real.RawGetString(name))
	}
	globals := L.NewTable()
	globals.RawSetString("redis", api)
	L.SetMetatable(globals, f.eng.globals.Metatable)
	f.loadAPI = globals
}

// Lookup returns the function called name, or nil.
func (f *Functions) Lookup(name string) *Function { return f.funcs[name] }

// Counts is the number of libraries and functions.
func (f *Functions) Counts() (libs, funcs int) {
	if f == nil {
		return 0, 0
	}
	return len(f.libs), len(f.funcs)
}

// Libraries lists the libraries by name.
func (f *Functions) Libraries() []*Library {
	libs := make([]*Library, 0, len(f.libs))
	for _, l := range f.libs {
		libs = append(libs, l)
	}
	sort.Slice(libs, func(i, j int) bool { return libs[i].Name < libs[j].Name })
	return libs
}

// Delete removes a library.
func (f *Functions) Delete(name string) error {
	lib := f.libs[name]
	if lib == nil {
		return Error("ERR Library not found")
	}
	f.unlink(lib)
	return nil
}

func (f *Functions) unlink(lib *Library) {
	for _, fn := range lib.Functions {
		delete(f.funcs, fn.Name)
	}
	delete(f.libs, lib.Name)
}

// Load is FUNCTION LOAD: it runs the library's code, which must register
// at least one function, and adds the library (replacing one of the same
// name when replace). host receives redis.log lines.
func (f *Functions) Load(code []byte, replace bool, host Host) (string, error) {
	engine, name, shebangLen, err := parseLibraryMetadata(code)
	if err != nil {
		return "", err
	}
	if !strings.EqualFold(engine, "lua") {
		return "", Error("ERR Engine '" + engine + "' not found")
	}
	if !validName(name) {
		return "", Error("ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long")
	}
	old := f.libs[name]
	if old != nil && !replace {
		return "", Error("ERR Library '" + name + "' already exists")
	}
	e := f.eng
	src := string(code[shebangLen:])
	fn, lerr := e.L.Load(strings.NewReader(src), "user_function")
	if lerr != nil {
		return "", Error("ERR Error compiling function: " + compileMessage(lerr, src, "user_function"))
	}
	fn.Env = e.env
	lib := &Library{Name: name, Code: string(code)}
	f.loading = lib
	e.envMeta.RawSetString("__index", f.loadAPI)
	e.run = &runState{host: host, resp: 2, ctx: context.Background()}
	L := e.L
	top := L.GetTop()
	L.Push(fn)
	perr := L.PCall(0, 0, e.handler)
	L.SetTop(top)
	e.run = nil
	e.envMeta.RawSetString("__index", e.globals)
	f.loading = nil
	if perr != nil {
		msg := perr.Error()
		if ae, ok := perr.(*lua.ApiError); ok {
			if t, ok := ae.Object.(*lua.LTable); ok {
				if s, ok := t.RawGetString("err").(lua.LString); ok {
					msg = string(s)
				}
			}
		}
		return "", Error("ERR Error registering functions: " + msg)
	}
	if len(lib.Functions) == 0 {
		return "", Error("ERR No functions registered")
	}
	for _, fn := range lib.Functions {
		if other := f.funcs[fn.Name]; other != nil && other.Library != old {
			return "", Error("ERR Function " + fn.Name + " already exists")
		}
	}
	if old != nil {
		f.unlink(old)
	}
	sort.Slice(lib.Functions, func(i, j int) bool { return lib.Functions[i].Name < lib.Functions[j].Name })
	f.libs[name] = lib
	for _, fn := range lib.Functions {
		f.funcs[fn.Name] = fn
	}
	return name, nil
}

// parseLibraryMetadata reads "#!<engine> name=<library>".
func parseLibraryMetadata(code []byte) (engine, name string, shebangLen int, err error) {
	if len(code) < 2 || code[0] != '#' || code[1] != '!' {
		return "", "", 0, Error("ERR Missing library metadata")
	}
	line := string(code)
	if i := strings.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	parts := strings.Split(line, " ")
	engine = parts[0][2:]
	for _, p := range parts[1:] {
		if p == "" {
			continue
		}
		v, ok := strings.CutPrefix(p, "name=")
		if !ok {
			return "", "", 0, Error("ERR Invalid metadata value given: " + p)
		}
		name = v
	}
	if name == "" {
		return "", "", 0, Error("ERR Library name was not given")
	}
	return engine, name, len(line), nil
}

func validName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
			return false
		}
	}
	return true
}

// registerFunction is redis.register_function(name, callback) or
// redis.register_function{function_name=, callback=, flags=, description=}.
func (f *Functions) registerFunction(L *lua.LState) int {
	fail := func(msg string) { L.Error(errTable(L, "ERR "+msg), 0) }
	lib := f.loading
	if lib == nil {
		fail("redis.register_function can only be called on FUNCTION LOAD command")
	}
	fn := &Function{Library: lib}
	switch L.GetTop() {
	case 1:
		t, ok := L.Get(1).(*lua.LTable)
		if !ok {
			fail("calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).")
		}
		var bad string
		t.ForEach(func(k, v lua.LValue) {
			if bad != "" {
				return
			}
			key, ok := k.(lua.LString)
			if !ok {
				bad = "named argument key given to redis.register_function is not a string"
				return
			}
			switch string(key) {
			case "function_name":
				s, ok := v.(lua.LString)
				if !ok {
					bad = "function_name argument given to redis.register_function must be a string"
					return
				}
				fn.Name = string(s)
			case "description":
				s, ok := v.(lua.LString)
				if !ok {
					bad = "description argument given to redis.register_function must be a string"
					return
				}
				fn.Desc, fn.HasDesc = string(s), true
			case "callback":
				c, ok := v.(*lua.LFunction)
				if !ok {
					bad = "callback argument given to redis.register_function must be a function"
					return
				}
				fn.fn = c
			case "flags":
				ft, ok := v.(*lua.LTable)
				if !ok {
					bad = "flags argument to redis.register_function must be a table representing function flags"
					return
				}
				ft.ForEach(func(_, fv lua.LValue) {
					s, _ := fv.(lua.LString)
					flag, known := flagByName[string(s)]
					if !known && bad == "" {
						bad = "unknown flag given"
					}
					fn.Flags |= flag
				})
			default:
				bad = "unknown argument given to redis.register_function"
			}
		})
		if bad != "" {
			fail(bad)
		}
		if fn.Name == "" {
			fail("redis.register_function must get a function name argument")
		}
		if fn.fn == nil {
			fail("redis.register_function must get a callback argument")
		}
	case 2:
		name, ok := luaString(L.Get(1))
		if !ok {
			fail("first argument to redis.register_function must be a string")
		}
		c, ok := L.Get(2).(*lua.LFunction)
		if !ok {
			fail("second argument to redis.register_function must be a function")
		}
		fn.Name, fn.fn = name, c
	default:
		fail("wrong number of arguments to redis.register_function")
	}
	// Redis words a bad function name as a bad library name.
	if !validName(fn.Name) {
		fail("Library names can only contain letters, numbers, or underscores(_) and must be at least one character long")
	}
	for _, other := range lib.Functions {
		if other.Name == fn.Name {
			fail("Function already exists in the library")
		}
	}
	lib.Functions = append(lib.Functions, fn)
	return 0
}

// Run calls fn(KEYS, ARGV) as FCALL does; see Engine.Run.
func (f *Functions) Run(ctx context.Context, fn *Function, host Host, keys, args [][]byte, proto int) (reply []byte, counted bool) {
	L := f.eng.L
	return f.eng.call(ctx, fn.fn, fn.Name, host, []lua.LValue{stringArray(L, keys), stringArray(L, args)}, proto)
}

// Restore is FUNCTION RESTORE's join of the libraries in codes with the
// loaded ones, all or nothing: policy "flush" drops the loaded ones first,
// "append" refuses a library that exists, "replace" replaces it. A
// function name used by another library is refused in every case.
func (f *Functions) Restore(codes [][]byte, policy string, host Host) error {
	// Load into a scratch store first: it checks every library and tells
	// their names and functions.
	scratch := NewFunctions()
	defer scratch.eng.L.Close()
	for _, code := range codes {
		if _, err := scratch.Load(code, false, host); err != nil {
			return err
		}
	}
	if policy != "flush" {
		for _, lib := range scratch.Libraries() {
			old := f.libs[lib.Name]
			if old != nil && policy == "append" {
				return Error("ERR Library " + lib.Name + " already exists")
			}
			for _, fn := range lib.Functions {
				if other := f.funcs[fn.Name]; other != nil && other.Library != old {
					return Error("ERR Function " + fn.Name + " already exists")
				}
			}
		}
	} else {
		f.Flush()
	}
	for _, lib := range scratch.Libraries() {
		if _, err := f.Load([]byte(lib.Code), true, host); err != nil {
			return err
		}
	}
	return nil
}
