// Package scripts is Ferrite's Lua engine for EVAL, EVALSHA and SCRIPT,
// built on gopher-lua (Lua 5.1, as Redis's). It follows Redis 7.0's
// eval.c and script_lua.c: one Lua state for every script, a cache of
// compiled scripts keyed by the SHA1 of their body, a sandbox whose globals
// are read-only, the redis.* API, and the conversions between RESP and Lua
// values in both directions.
//
// The package knows nothing of the server: a running script reaches the
// keyspace only through Host, which runs one command the way Redis's
// scriptCall does and hands back its RESP reply. Scripts are not
// goroutine-safe; the server runs them under its keyspace lock. Only a
// Run's context may be cancelled from elsewhere (SCRIPT KILL): gopher-lua
// checks it before every instruction.
//
// Known differences from Redis's Lua, all from gopher-lua: numbers
// concatenated with .. print the Go way (tostring and redis.call follow
// Redis: %.14g and %.17g); runtime and compile error texts are
// gopher-lua's; there is no memory cap.
package scripts

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// Host runs commands for the script being executed.
type Host interface {
	// Call runs argv as a command called from the script, with Redis's
	// scriptCall checks first, and returns its RESP reply in protocol
	// version resp (2 or 3). Errors, including the checks', are RESP
	// error replies ("-ERR Unknown Redis command called from script").
	// The engine is done with the reply before its next Call, so it may
	// be a buffer the host reuses; the engine keeps nothing of argv.
	Call(argv [][]byte, resp int) []byte
	// SetRepl applies redis.set_repl: a REPL_* bit set for the writes
	// that follow.
	SetRepl(flags int)
	// Log writes a redis.log line; level is Redis's (0 debug .. 3 warning).
	Log(level int, msg string)
	// Allowed is redis.acl_check_cmd: whether the script's user may run
	// argv; known is false when there is no such command.
	Allowed(argv [][]byte) (allowed, known bool)
}

// Flags are the script flags of a "#!lua flags=..." shebang.
type Flags int

const (
	FlagNoWrites Flags = 1 << iota
	FlagAllowOOM
	FlagAllowStale
	FlagNoCluster
	FlagAllowCrossSlot
	// FlagEvalCompat: no shebang, the script runs with pre-7.0 rules.
	FlagEvalCompat
)

var flagByName = map[string]Flags{
	"no-writes":             FlagNoWrites,
	"allow-oom":             FlagAllowOOM,
	"allow-stale":           FlagAllowStale,
	"no-cluster":            FlagNoCluster,
	"allow-cross-slot-keys": FlagAllowCrossSlot,
}

// The REPL_* values of redis.set_repl.
const (
	ReplNone = 0
	ReplAOF  = 1
	ReplRepl = 2
	ReplAll  = ReplAOF | ReplRepl
)

// Script is one compiled script of the cache.
type Script struct {
	SHA   string // lower-case hex SHA1 of Body
	Body  string
	Flags Flags
	fn    *lua.LFunction
}

// Engine is the Lua state and the script cache.
type Engine struct {
	L       *lua.LState
	globals *lua.LTable    // the real globals, behind the read-only proxy env
	env     *lua.LTable    // what scripts see as their globals
	envMeta *lua.LTable    // env's metatable: FUNCTION LOAD points its __index elsewhere
	handler *lua.LFunction // errorHandler, made once
	// readonly are the proxies standing for read-only tables
	readonly map[*lua.LTable]bool
	scripts  map[string]*Script
	bodies   int // sum of the cached bodies' lengths

	run  *runState // the running script, nil between runs
	rand uint64    // redisLrand48 state, shared by every script as in Redis

	// Reused from one run to the next, so that a short script allocates
	// little: the run state run points to, the buffer Run's reply lives
	// in, and the KEYS and ARGV tables (see setArgs).
	cur        runState
	out        []byte
	keys, argv *lua.LTable
}

// runState is what redis.* functions need while a script runs.
type runState struct {
	host Host
	resp int // redis.setresp: protocol of replies given to the script
	ctx  context.Context
}

// New returns an engine with an empty cache.
func New() *Engine {
	e := &Engine{scripts: make(map[string]*Script), rand: lrand48Init}
	e.reset()
	return e
}

// reset opens a fresh Lua state (SCRIPT FLUSH drops the old one, as Redis
// does, so nothing a script left behind survives).
func (e *Engine) reset() {
	if e.L != nil {
		e.L.Close()
	}
	L := lua.NewState(lua.Options{SkipOpenLibs: true})
	e.L = L
	e.keys, e.argv = nil, nil
	e.globals = L.G.Global
	e.openLibs()
	e.env = e.sandbox()
	e.handler = L.NewFunction(e.errorHandler)
}

// Flush empties the cache and the Lua state (SCRIPT FLUSH).
func (e *Engine) Flush() {
	e.scripts = make(map[string]*Script)
	e.bodies = 0
	e.reset()
}

// Len is the number of cached scripts (INFO number_of_cached_scripts).
// A nil engine (no script run yet) has none.
func (e *Engine) Len() int {
	if e == nil {
		return 0
	}
	return len(e.scripts)
}

// BodiesSize is the memory the cached bodies take (used_memory_scripts_eval).
func (e *Engine) BodiesSize() int {
	if e == nil {
		return 0
	}
	return e.bodies
}

// Lookup returns the cached script with that SHA1 (any case), or nil.
func (e *Engine) Lookup(sha string) *Script {
	if len(sha) != 40 {
		return nil
	}
	return e.scripts[strings.ToLower(sha)]
}

// LookupBytes is Lookup for EVALSHA's argument, without allocating when
// the SHA1 is given in lower case, as clients send it.
func (e *Engine) LookupBytes(sha []byte) *Script {
	if len(sha) != 40 {
		return nil
	}
	if sc := e.scripts[string(sha)]; sc != nil {
		return sc
	}
	return e.scripts[strings.ToLower(string(sha))]
}

// SHA1Hex is the script cache key of body.
func SHA1Hex(body []byte) string {
	sum := sha1.Sum(body)
	return hex.EncodeToString(sum[:])
}

// Error is an error reply text with its code ("ERR ...", "NOSCRIPT ...").
type Error string

func (e Error) Error() string { return string(e) }

// Create compiles body and caches it, or returns the cached script. The
// error is the reply Redis gives: a shebang error or "ERR Error compiling
// script (new function): ...".
func (e *Engine) Create(body []byte) (*Script, error) {
	sha := SHA1Hex(body)
	if sc := e.scripts[sha]; sc != nil {
		return sc, nil
	}
	flags, shebangLen, err := ParseShebang(body)
	if err != nil {
		return nil, err
	}
	// The shebang is skipped but its line feed kept, so line numbers in
	// errors are the user's.
	src := string(body[shebangLen:])
	fn, lerr := e.L.Load(strings.NewReader(src), "user_script")
	if lerr != nil {
		return nil, Error("ERR Error compiling script (new function): " + compileMessage(lerr, src, "user_script"))
	}
	fn.Env = e.env
	mainChunkNoArg(fn)
	sc := &Script{SHA: sha, Body: string(body), Flags: flags, fn: fn}
	e.scripts[sha] = sc
	e.bodies += len(body)
	return sc, nil
}

// mainChunkNoArg drops the "arg" table gopher-lua builds on every call of
// a vararg function (LUA_COMPAT_VARARG) from a compiled chunk. A main
// chunk has no local named arg to read it (Lua 5.1's main chunks never
// get one), so it was a table and a map allocated per run for nothing;
// functions declared inside the chunk keep theirs.
func mainChunkNoArg(fn *lua.LFunction) {
	fn.Proto.IsVarArg &^= lua.VarArgNeedsArg
}

// compileMessage gives gopher-lua's syntax errors Lua's "chunk:line: msg"
// shape; the wording after it stays gopher-lua's.
func compileMessage(err error, src, chunk string) string {
	msg := err.Error()
	if ae, ok := err.(*lua.ApiError); ok && ae.Cause != nil {
		msg = ae.Cause.Error()
	}
	msg = strings.TrimSpace(msg)
	if rest, ok := strings.CutPrefix(msg, chunk+" at EOF:"); ok {
		line := strings.Count(src, "\n") + 1
		return chunk + ":" + strconv.Itoa(line) + ": " + strings.TrimSpace(rest) + " near '<eof>'"
	}
	// "user_script line:3(column:5) near 'x':   syntax error"
	if rest, ok := strings.CutPrefix(msg, chunk+" line:"); ok {
		line, tail, _ := strings.Cut(rest, "(")
		near := ""
		if _, after, ok := strings.Cut(tail, ") "); ok {
			near, tail, _ = strings.Cut(after, ":")
		}
		return chunk + ":" + line + ": " + strings.TrimSpace(tail) + " " + near
	}
	return msg
}

// ParseShebang reads the flags of a "#!lua flags=a,b" first line. Without
// one the script is in EVAL compatibility mode. shebangLen is the length
// of the line without its line feed.
func ParseShebang(body []byte) (flags Flags, shebangLen int, err error) {
	if len(body) < 2 || body[0] != '#' || body[1] != '!' {
		return FlagEvalCompat, 0, nil
	}
	line := string(body)
	if i := strings.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	parts := strings.Fields(line)
	if len(parts) == 0 || parts[0] != "#!lua" {
		engine := ""
		if len(parts) > 0 {
			engine = parts[0]
		}
		return 0, 0, Error("ERR Unexpected engine in script shebang: " + engine)
	}
	for _, p := range parts[1:] {
		list, ok := strings.CutPrefix(p, "flags=")
		if !ok {
			return 0, 0, Error("ERR Unknown lua shebang option: " + p)
		}
		for _, name := range strings.Split(list, ",") {
			if name == "" {
				continue
			}
			f, ok := flagByName[name]
			if !ok {
				return 0, 0, Error("ERR Unexpected flag in script shebang: " + name)
			}
			flags |= f
		}
	}
	return flags, len(line), nil
}

// Run executes sc with KEYS and ARGV and returns the reply for a client
// speaking protocol proto. The script's writes happen through host; ctx
// cancelled (SCRIPT KILL) stops it with Redis's error. counted reports an
// error reply that was already counted in errorstats (the error of a
// command the script called, passed on). The reply is valid until the
// engine's next run.
func (e *Engine) Run(ctx context.Context, sc *Script, host Host, keys, args [][]byte, proto int) (reply []byte, counted bool) {
	// On EVAL, KEYS and ARGV are globals.
	e.keys = e.setArgs(e.keys, "KEYS", keys)
	e.argv = e.setArgs(e.argv, "ARGV", args)
	return e.call(ctx, sc.fn, sc.SHA, host, nil, proto)
}

// setArgs makes the global name the array of items and returns its table.
//
// Redis makes new KEYS and ARGV tables for every script; here the last
// run's are refilled when that cannot be told apart: no script can keep
// a table from one run to the next (globals, library tables and the
// strings' metatable are read-only, and getfenv is gone), so only what
// the last script did to it could show, and a table is refilled only if
// that script left no metatable, no hash part and a short array: its
// entries past the new items are cleared, and a Lua array ending in nils
// is the same array to #, ipairs, pairs and the table library. Anything
// else, and FCALL's arguments (a library's upvalues can keep them), get
// a new table.
func (e *Engine) setArgs(t *lua.LTable, name string, items [][]byte) *lua.LTable {
	alen, ok := reusableArgs(t)
	if !ok {
		t = stringArray(e.L, items)
		e.globals.RawSetString(name, t)
		return t
	}
	for i, b := range items {
		t.RawSetInt(i+1, lua.LString(b))
	}
	for i := len(items) + 1; i <= alen; i++ {
		t.RawSetInt(i, lua.LNil)
	}
	return t
}

// maxReusedArgs bounds the array kept from one run to the next.
const maxReusedArgs = 64

// ltableArray and ltableKeys index LTable's array part and its list of
// hash keys (every key ever set outside the array), read through reflect:
// gopher-lua does not tell their lengths. -1 when this gopher-lua has no
// such fields: then KEYS and ARGV are never reused.
var ltableArray, ltableKeys = ltableField("array"), ltableField("keys")

func ltableField(name string) int {
	f, ok := reflect.TypeOf(lua.LTable{}).FieldByName(name)
	if !ok || len(f.Index) != 1 || f.Type.Kind() != reflect.Slice {
		return -1
	}
	return f.Index[0]
}

// reusableArgs reports whether t, a KEYS or ARGV table after a run, holds
// nothing but a short array, and that array's length.
func reusableArgs(t *lua.LTable) (alen int, ok bool) {
	if t == nil || ltableArray < 0 || ltableKeys < 0 || t.Metatable != lua.LNil {
		return 0, false
	}
	v := reflect.ValueOf(t).Elem()
	alen = v.Field(ltableArray).Len()
	return alen, alen <= maxReusedArgs && v.Field(ltableKeys).Len() == 0
}

// call runs fn with args under ctx; label names it in error replies.
func (e *Engine) call(ctx context.Context, fn *lua.LFunction, label string, host Host, args []lua.LValue, proto int) (reply []byte, counted bool) {
	L := e.L
	e.cur = runState{host: host, resp: 2, ctx: ctx}
	e.run = &e.cur
	defer e.endRun()
	L.SetContext(ctx)

	top := L.GetTop()
	L.Push(fn)
	for _, a := range args {
		L.Push(a)
	}
	err := L.PCall(len(args), 1, e.handler)
	if err != nil {
		var obj lua.LValue = lua.LNil
		if ae, ok := err.(*lua.ApiError); ok {
			obj = ae.Object
		}
		if msg, ok := obj.(lua.LString); ok {
			// The handler could not run (a stack overflow): the
			// position is in the message.
			obj = errTableFromMessage(L, string(msg))
		}
		L.SetTop(top)
		e.out = errorReply(e.out[:0], obj, label)
		return e.out, alreadyCounted(obj)
	}
	ret := L.Get(-1)
	L.SetTop(top)
	e.out = luaToResp(e.out[:0], ret, e.run.resp, proto)
	if cap(e.out) > 64<<10 {
		// A big reply is not kept for the runs that follow.
		out := e.out
		e.out = nil
		return out, alreadyCounted(ret)
	}
	return e.out, alreadyCounted(ret)
}

// endRun forgets the run: nothing of it (host, context) stays reachable.
func (e *Engine) endRun() {
	e.L.RemoveContext()
	e.cur = runState{}
	e.run = nil
}

func alreadyCounted(v lua.LValue) bool {
	t, ok := v.(*lua.LTable)
	if !ok {
		return false
	}
	_, isErr := t.RawGetString("err").(lua.LString)
	return isErr && lua.LVAsBool(t.RawGetString(ignoreStatsField))
}

// errorHandler is Redis's __redis__err__handler: it turns any error into
// a table {err=, source=, line=} naming the Lua line that raised it (for
// an error raised by a Go function such as redis.call, its caller's).
func (e *Engine) errorHandler(L *lua.LState) int {
	v := L.Get(1)
	if e.run != nil && e.run.ctx.Err() != nil {
		v = errTable(L, "ERR Script killed by user with SCRIPT KILL...")
	}
	t, ok := v.(*lua.LTable)
	if !ok {
		t = L.NewTable()
		t.RawSetString("err", lua.LString("ERR "+luaMessage(tostring(v))))
	}
	for level := 1; ; level++ {
		dbg, ok := L.GetStack(level)
		if !ok {
			break
		}
		if _, err := L.GetInfo("Sl", dbg, lua.LNil); err != nil {
			break
		}
		if dbg.What == "G" {
			continue
		}
		t.RawSetString("source", lua.LString("@"+dbg.Source))
		t.RawSetString("line", lua.LNumber(dbg.CurrentLine))
		break
	}
	L.Push(t)
	return 1
}

// gopher-lua words some runtime errors its own way; these give them Lua
// 5.1's words (without the variable names Lua adds when it knows them).
var (
	// "bad argument #1 to band (...)": Lua quotes the function name.
	argErrorName = regexp.MustCompile(`bad argument #(\d+) to ([^' (]+) \(`)
	// "cannot perform div operation between nil and number"
	arithError = regexp.MustCompile(`cannot perform (\w+) operation between (\w+) and (\w+)`)
	// "attempt to index a non-table object(nil) with key 'x'"
	indexError = regexp.MustCompile(`attempt to index a non-table object\((\w+)\) with key '[^']*'`)
)

func luaMessage(msg string) string {
	msg = argErrorName.ReplaceAllString(msg, "bad argument #$1 to '$2' (")
	msg = indexError.ReplaceAllString(msg, "attempt to index a $1 value")
	return arithError.ReplaceAllStringFunc(msg, func(m string) string {
		sub := arithError.FindStringSubmatch(m)
		op, lhs, rhs := sub[1], sub[2], sub[3]
		if op == "concat" {
			// The first operand that is neither a string nor a number.
			if lhs == "string" || lhs == "number" {
				lhs = rhs
			}
			return "attempt to concatenate a " + lhs + " value"
		}
		if lhs == "number" {
			lhs = rhs
		}
		return "attempt to perform arithmetic on a " + lhs + " value"
	})
}

// chunkPosition finds "user_script:12:" at the start of an error message.
var chunkPosition = regexp.MustCompile(`^(user_script|user_function):(\d+):`)

// errTableFromMessage is the error handler's table for a plain message.
func errTableFromMessage(L *lua.LState, msg string) *lua.LTable {
	t := errTable(L, "ERR "+luaMessage(msg))
	if m := chunkPosition.FindStringSubmatch(msg); m != nil {
		t.RawSetString("source", lua.LString("@"+m[1]))
		n, _ := strconv.Atoi(m[2])
		t.RawSetString("line", lua.LNumber(n))
	}
	return t
}

// errorReply formats a failed script as luaCallFunction does.
func errorReply(b []byte, obj lua.LValue, sha string) []byte {
	t, ok := obj.(*lua.LTable)
	if !ok {
		msg := "execution failure"
		if s, ok := obj.(lua.LString); ok {
			msg = string(s)
		}
		return appendError(b, "ERR Error running script "+sha+", "+clip(msg, 100))
	}
	msg := ""
	if s, ok := t.RawGetString("err").(lua.LString); ok {
		msg = string(s)
	}
	src, srcOK := t.RawGetString("source").(lua.LString)
	line := t.RawGetString("line")
	if srcOK && line != lua.LNil {
		msg += " script: " + sha + ", on " + string(src) + ":" + tostring(line) + "."
	}
	return appendError(b, msg)
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func stringArray(L *lua.LState, items [][]byte) *lua.LTable {
	t := L.CreateTable(len(items), 0)
	for i, b := range items {
		t.RawSetInt(i+1, lua.LString(b))
	}
	return t
}
