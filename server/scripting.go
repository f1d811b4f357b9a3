package server

import (
	"context"
	"encoding/binary"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	lzf "github.com/zhuyie/golzf"

	"ferrite/datatypes"
	"ferrite/persistence"
	"ferrite/scripts"
	"ferrite/server/resp"
)

// Lua scripting: EVAL, EVALSHA, their _RO forms and SCRIPT, as Redis 7.0's
// eval.c and script.c, and functions: FUNCTION and FCALL(_RO), as
// functions.c. The Lua engine
// is package scripts; this file is its Host (scriptCall: the checks a
// command called from a script goes through, then call() on a client of
// its own) and the commands.
//
// A script runs holding s.mu, like any command, so its effects are atomic
// and they propagate as the writes it made, wrapped in MULTI/EXEC when
// there are several (execute/propagatePending); EVAL itself never
// propagates.
//
// Long scripts. Redis answers other clients from the script's Lua hook
// once the script has run past busy-reply-threshold: -BUSY to all but
// SCRIPT KILL and SHUTDOWN NOSAVE. Here other connections do it
// themselves, without the lock: a running script is published in
// s.script.running (an atomic pointer, with its start time and the
// threshold it started under). A connection whose batch cannot take s.mu
// while a script runs polls (lockUnlessBusy) until it gets the lock or the
// script passes the threshold; from then on it answers its commands
// without the lock: BUSY, or SCRIPT KILL (FUNCTION KILL for FCALL), which
// cancels the script's context (gopher-lua checks it before every
// instruction) unless the script already wrote, or SHUTDOWN, which kills
// the script whatever it did and then waits for the lock to run. A batch
// already waiting on s.mu when the script began simply waits for its end.
// Answers given without the lock are not counted in errorstats.

var scriptCommands = map[string]cmdProc{
	"eval":          evalCommand,
	"evalsha":       evalShaCommand,
	"eval_ro":       evalRoCommand,
	"evalsha_ro":    evalShaRoCommand,
	"script|load":   scriptLoadCommand,
	"script|exists": scriptExistsCommand,
	"script|flush":  scriptFlushCommand,
	"script|kill":   scriptKillCommand,
	"script|help":   scriptHelpCommand,

	"fcall":            fcallCommand,
	"fcall_ro":         fcallRoCommand,
	"function|load":    functionLoadCommand,
	"function|delete":  functionDeleteCommand,
	"function|flush":   functionFlushCommand,
	"function|list":    functionListCommand,
	"function|stats":   functionStatsCommand,
	"function|kill":    functionKillCommand,
	"function|help":    functionHelpCommand,
	"function|dump":    functionDumpCommand,
	"function|restore": functionRestoreCommand,
}

// scriptState is the server's scripting state. engine and lua are
// protected by s.mu; running is read by other connections without it.
type scriptState struct {
	engine    *scripts.Engine
	functions *scripts.Functions
	lua       *client // the client scripts run their commands as
	kill      *killSwitch
	running   atomic.Pointer[runningScript]
}

// runningScript is the script being executed, as other connections see it.
type runningScript struct {
	start     time.Duration // monotonic()
	threshold time.Duration // busy-reply-threshold when it started; 0: never busy
	ctx       *killSwitch   // the script's context; SCRIPT KILL closes it
	wrote     atomic.Bool   // it called a write command: SCRIPT KILL refuses
	killed    atomic.Bool
	isEval    bool // EVAL (SCRIPT KILL) or FCALL (FUNCTION KILL)
}

// scriptRun is one run's host and runningScript, allocated together.
type scriptRun struct {
	host scriptHost
	rs   runningScript
}

// killSwitch is the context scripts run under, cancelled by SCRIPT KILL
// (and SHUTDOWN). Unlike context.WithCancel's it is not made per run: the
// same one serves script after script until one is killed, so that a
// short script allocates no context and no channel. owner is the script
// it serves now: a SCRIPT KILL aimed at a script that has ended meanwhile
// must not kill the next one.
type killSwitch struct {
	done   chan struct{}
	killed atomic.Bool
	owner  atomic.Pointer[runningScript] // nil between runs
	// mu orders a kill against the end of the run it aims at: kill
	// checks owner and closes done under it, and a run ends (owner back
	// to nil) under it, so a kill that finds its script still the owner
	// closes done before the next script can start.
	mu sync.Mutex
}

var _ context.Context = (*killSwitch)(nil)

func (k *killSwitch) Deadline() (time.Time, bool) { return time.Time{}, false }
func (k *killSwitch) Done() <-chan struct{}       { return k.done }
func (k *killSwitch) Value(any) any               { return nil }

func (k *killSwitch) Err() error {
	if k.killed.Load() {
		return context.Canceled
	}
	return nil
}

// kill cancels the context if it still serves rs; killing it again does
// nothing.
func (k *killSwitch) kill(rs *runningScript) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.owner.Load() == rs && k.killed.CompareAndSwap(false, true) {
		close(k.done)
	}
}

// begin starts rs's run under k.
func (k *killSwitch) begin(rs *runningScript) { k.owner.Store(rs) }

// end ends the run under k.
func (k *killSwitch) end() {
	k.mu.Lock()
	k.owner.Store(nil)
	k.mu.Unlock()
}

// killSwitch returns the context for the next script run: the last one
// unless it was killed.
func (st *scriptState) killSwitch() *killSwitch {
	if st.kill == nil || st.kill.killed.Load() {
		st.kill = &killSwitch{done: make(chan struct{})}
	}
	return st.kill
}

// busyError is what other clients get while rs runs past the threshold.
func (rs *runningScript) busyError() string {
	if rs.isEval {
		return busyScriptErr
	}
	return busyFunctionErr
}

const (
	busyScriptErr   = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."
	busyFunctionErr = "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE."
	notBusyErr      = "NOTBUSY No scripts in execution right now."
	unkillableErr   = "UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command."
	noScriptErr     = "NOSCRIPT No matching script. Please use EVAL."
	scriptKilledLog = "Lua script killed by user with SCRIPT KILL."
)

func (s *Server) scriptEngine() *scripts.Engine {
	if s.script.engine == nil {
		s.script.engine = scripts.New()
	}
	return s.script.engine
}

// EVAL script numkeys [key [key ...]] [arg [arg ...]]
func evalCommand(c *client) { evalGeneric(c, false, false) }

// EVALSHA sha1 numkeys [key [key ...]] [arg [arg ...]]
func evalShaCommand(c *client) { evalGeneric(c, true, false) }

// EVAL_RO script numkeys [key [key ...]] [arg [arg ...]]
func evalRoCommand(c *client) { evalGeneric(c, false, true) }

// EVALSHA_RO sha1 numkeys [key [key ...]] [arg [arg ...]]
func evalShaRoCommand(c *client) { evalGeneric(c, true, true) }

// evalGeneric is evalGenericCommand: numkeys, the script from the cache
// (compiled and cached first for EVAL), then the run.
func evalGeneric(c *client, bySHA, readOnly bool) {
	s := c.srv
	s.feedScriptMonitors(c)
	numkeys, ok := datatypes.ParseInt(c.argv[2])
	if !ok {
		c.addError(errNotInt)
		return
	}
	if numkeys > int64(len(c.argv)-3) {
		c.addErrorString("ERR Number of keys can't be greater than number of args")
		return
	}
	if numkeys < 0 {
		c.addErrorString("ERR Number of keys can't be negative")
		return
	}
	eng := s.scriptEngine()
	var sc *scripts.Script
	if bySHA {
		if sc = eng.LookupBytes(c.argv[1]); sc == nil {
			c.addErrorString(noScriptErr)
			return
		}
	} else {
		var err error
		if sc, err = eng.Create(c.argv[1]); err != nil {
			c.addError(err)
			return
		}
	}
	keys := c.argv[3 : 3+numkeys]
	args := c.argv[3+numkeys:]
	s.runScript(c, sc.Flags, readOnly, true, func(ctx context.Context, h *scriptHost) ([]byte, bool) {
		return eng.Run(ctx, sc, h, keys, args, c.proto)
	})
}

// feedScriptMonitors shows EVAL and FCALL to MONITOR before the commands
// they run (their skip_monitor flag keeps call() from showing them after).
func (s *Server) feedScriptMonitors(c *client) {
	if len(s.monitors) > 0 {
		s.feedMonitors(c)
	}
}

// runScript is scriptPrepareForRun + luaCallFunction + scriptResetRun
// around run, which calls the script or function.
func (s *Server) runScript(c *client, flags scripts.Flags, readOnly, isEval bool, run func(context.Context, *scriptHost) ([]byte, bool)) {
	compat := flags&scripts.FlagEvalCompat != 0
	oom := s.cfg.MaxMemory > 0 && !s.freeMemoryIfNeeded()
	if !compat {
		if oom && flags&(scripts.FlagAllowOOM|scripts.FlagNoWrites) == 0 {
			c.addErrorString("OOM allow-oom flag is not set on the script, can not run it when used memory > 'maxmemory'")
			return
		}
		if flags&scripts.FlagNoWrites == 0 && readOnly {
			c.addErrorString("ERR Can not execute a script with write flag using *_ro command.")
			return
		}
	}
	// The host and the published runningScript, in one allocation (the
	// latter cannot be reused: other connections may still hold it).
	r := &scriptRun{
		host: scriptHost{
			s:        s,
			lc:       s.scriptClient(c),
			readOnly: readOnly || (!compat && flags&scripts.FlagNoWrites != 0),
			allowOOM: !compat && flags&scripts.FlagAllowOOM != 0,
			oom:      oom,
			repl:     scripts.ReplAll,
		},
		rs: runningScript{
			start:     s.lastMono, // the EVAL's start, as call() took it
			threshold: time.Duration(s.cfg.BusyReplyThreshold) * time.Millisecond,
			ctx:       s.script.killSwitch(),
			isEval:    isEval,
		},
	}
	h, rs := &r.host, &r.rs
	h.rs = rs
	rs.ctx.begin(rs)
	s.script.running.Store(rs)
	reply, counted := run(rs.ctx, h)
	s.script.running.Store(nil)
	rs.ctx.end()
	if rs.killed.Load() {
		s.logf("#", scriptKilledLog)
	}
	switch {
	case len(reply) > 0 && reply[0] == '-' && !counted:
		c.addErrorString(string(reply[1 : len(reply)-2]))
	case len(reply) > 0 && reply[0] == '-':
		c.errored = true // a failed call, its error counted by the command
		c.addRaw(reply)
	default:
		c.addRaw(reply)
	}
	// The writes made inside propagate; EVAL itself does not.
	c.ownPropagationReplaced = true
}

// scriptClient prepares the client scripts run commands as: the caller's
// database (a SELECT inside the script does not leak out, as in 7.0),
// RESP2 until redis.setresp, blocking commands answered as timed out.
func (s *Server) scriptClient(caller *client) *client {
	lc := s.script.lua
	if lc == nil {
		lc = &client{srv: s, id: -1, raddr: "lua", user: "default", authenticated: true, ctime: s.now()}
		s.script.lua = lc
	}
	lc.db = caller.db
	lc.proto = 2
	lc.flags = flagDenyBlocking | flagScript
	lc.reply = lc.reply[:0]
	return lc
}

// scriptHost runs the commands of one script run (scripts.Host).
type scriptHost struct {
	s        *Server
	lc       *client
	rs       *runningScript
	readOnly bool // EVAL_RO or a no-writes script
	allowOOM bool
	oom      bool // used memory was over maxmemory when the script started
	repl     int  // redis.set_repl
}

// Call is scriptCall: Redis's checks for commands called from scripts,
// then the command through call(), its reply returned as RESP. The reply
// is the script client's buffer, valid until the next Call.
func (h *scriptHost) Call(argv [][]byte, proto int) (reply []byte) {
	s := h.s
	cmd := s.lookupCommand(argv)
	if msg := h.refuse(cmd, argv); msg != "" {
		// Counted here like a command's own error, so that every error
		// a script gets back has been counted once.
		s.countError(msg)
		return resp.AppendError(nil, msg)
	}
	if cmd.has(cmdWrite) {
		h.rs.wrote.Store(true)
	}
	lc := h.lc
	lc.argv, lc.cmd, lc.errored, lc.proto = argv, cmd, false, proto
	lc.reply = lc.reply[:0]
	props, depth := len(s.pendingProps), s.inCall
	defer func() {
		// A panicking command must not leave the propagation depth
		// raised; gopher-lua would otherwise swallow the panic.
		if r := recover(); r != nil {
			s.logf("#", "panic while executing %q from a script: %v", cmd.FullName, r)
			s.inCall = depth
			s.pendingProps = s.pendingProps[:props]
			reply = []byte("-ERR internal error while executing the command\r\n")
		}
	}()
	s.call(lc, cmd)
	if h.repl == scripts.ReplNone {
		s.pendingProps = s.pendingProps[:props]
	}
	return lc.reply
}

// refuse is scriptCall's checks: the error for a command a script may not
// call, or "".
func (h *scriptHost) refuse(cmd *Command, argv [][]byte) string {
	switch {
	case cmd == nil:
		return "ERR Unknown Redis command called from script"
	case (cmd.Arity > 0 && cmd.Arity != len(argv)) || len(argv) < -cmd.Arity:
		return "ERR Wrong number of args calling Redis command from script"
	case cmd.has(cmdNoScript):
		return "ERR This Redis command is not allowed from script"
	case cmd.has(cmdWrite) && h.readOnly:
		return "ERR Write commands are not allowed from read-only scripts."
	case !h.allowOOM && h.oom && cmd.has(cmdDenyOOM):
		return "OOM command not allowed when used memory > 'maxmemory'."
	}
	return ""
}

// SetRepl is redis.set_repl. Ferrite has one propagation stream for the
// AOF and the replicas, so only REPL_NONE (nothing) and anything else
// (everything) can be told apart.
func (h *scriptHost) SetRepl(flags int) { h.repl = flags }

// Allowed is redis.acl_check_cmd. Without ACL users, the one user may
// run every command.
func (h *scriptHost) Allowed(argv [][]byte) (allowed, known bool) {
	return true, h.s.lookupCommand(argv) != nil
}

// Log is redis.log, filtered by loglevel (logf).
func (h *scriptHost) Log(level int, msg string) {
	h.s.logf(logLevelMark[level], "%s", msg)
}

// SCRIPT LOAD script
func scriptLoadCommand(c *client) {
	sc, err := c.srv.scriptEngine().Create(c.argv[2])
	if err != nil {
		c.addError(err)
		return
	}
	c.addBulkString(sc.SHA)
}

// SCRIPT EXISTS sha1 [sha1 ...]
func scriptExistsCommand(c *client) {
	eng := c.srv.scriptEngine()
	c.addArrayLen(len(c.argv) - 2)
	for _, sha := range c.argv[2:] {
		if eng.Lookup(string(sha)) != nil {
			c.addInt(1)
		} else {
			c.addInt(0)
		}
	}
}

// SCRIPT FLUSH [ASYNC | SYNC]
func scriptFlushCommand(c *client) {
	if len(c.argv) > 3 || (len(c.argv) == 3 && !strings.EqualFold(string(c.argv[2]), "sync") && !strings.EqualFold(string(c.argv[2]), "async")) {
		c.addErrorString("ERR SCRIPT FLUSH only support SYNC|ASYNC option")
		return
	}
	// ASYNC frees the old state in the background in Redis; dropping the
	// references does the same for Go's collector.
	c.srv.scriptEngine().Flush()
	c.addOK()
}

// SCRIPT KILL
//
// Reached only when no script runs (a running script holds s.mu; other
// connections kill it from lockUnlessBusy).
func scriptKillCommand(c *client) { c.addErrorString(notBusyErr) }

// SCRIPT HELP
func scriptHelpCommand(c *client) {
	c.addReplyHelp(
		"DEBUG (YES|SYNC|NO)",
		"    Set the debug mode for subsequent scripts executed.",
		"EXISTS <sha1> [<sha1> ...]",
		"    Return information about the existence of the scripts in the script cache.",
		"FLUSH [ASYNC|SYNC]",
		"    Flush the Lua scripts cache. Very dangerous on replicas.",
		"    When called without the optional mode argument, the behavior is determined by the",
		"    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
		"    * ASYNC: Asynchronously flush the scripts cache.",
		"    * SYNC: Synchronously flush the scripts cache.",
		"KILL",
		"    Kill the currently executing Lua script.",
		"LOAD <script>",
		"    Load a script into the scripts cache without executing it.",
	)
}

// lockUnlessBusy takes s.mu for c's batch, unless a script runs past
// busy-reply-threshold: then the batch is answered without the lock (BUSY,
// SCRIPT KILL) up to a SHUTDOWN, which kills the script and takes the lock
// for the rest of the batch. It returns the commands left to run under
// the lock, which it holds exactly when ok.
func (s *Server) lockUnlessBusy(c *client, cmds [][][]byte) (rest [][][]byte, ok bool) {
	for {
		if s.mu.TryLock() {
			return cmds, true
		}
		rs := s.script.running.Load()
		if rs == nil {
			s.mu.Lock()
			return cmds, true
		}
		if rs.threshold > 0 && monotonic()-rs.start >= rs.threshold {
			break
		}
		time.Sleep(time.Millisecond)
	}
	for i, argv := range cmds {
		rs := s.script.running.Load()
		if rs == nil { // it ended meanwhile: the rest runs normally
			s.mu.Lock()
			return cmds[i:], true
		}
		name := strings.ToLower(string(argv[0]))
		kill := len(argv) == 2 && strings.EqualFold(string(argv[1]), "kill") &&
			((name == "script" && rs.isEval) || (name == "function" && !rs.isEval))
		switch {
		case kill:
			if rs.wrote.Load() {
				c.reply = resp.AppendError(c.reply, unkillableErr)
				continue
			}
			rs.killed.Store(true)
			rs.ctx.kill(rs)
			c.reply = resp.AppendSimple(c.reply, "OK")
		case name == "shutdown":
			rs.killed.Store(true)
			rs.ctx.kill(rs)
			s.mu.Lock()
			return cmds[i:], true
		default:
			c.reply = resp.AppendError(c.reply, rs.busyError())
		}
	}
	return nil, false
}

func (s *Server) functionStore() *scripts.Functions {
	if s.script.functions == nil {
		s.script.functions = scripts.NewFunctions()
	}
	return s.script.functions
}

// FCALL function numkeys [key [key ...]] [arg [arg ...]]
func fcallCommand(c *client) { fcallGeneric(c, false) }

// FCALL_RO function numkeys [key [key ...]] [arg [arg ...]]
func fcallRoCommand(c *client) { fcallGeneric(c, true) }

// fcallGeneric is fcallCommandGeneric: the function, numkeys, the run.
func fcallGeneric(c *client, readOnly bool) {
	s := c.srv
	s.feedScriptMonitors(c)
	store := s.functionStore()
	fn := store.Lookup(string(c.argv[1]))
	if fn == nil {
		c.addErrorString("ERR Function not found")
		return
	}
	numkeys, ok := datatypes.ParseInt(c.argv[2])
	if !ok {
		c.addErrorString("ERR Bad number of keys provided")
		return
	}
	if numkeys > int64(len(c.argv)-3) {
		c.addErrorString("ERR Number of keys can't be greater than number of args")
		return
	}
	if numkeys < 0 {
		c.addErrorString("ERR Number of keys can't be negative")
		return
	}
	keys := c.argv[3 : 3+numkeys]
	args := c.argv[3+numkeys:]
	s.runScript(c, fn.Flags, readOnly, false, func(ctx context.Context, h *scriptHost) ([]byte, bool) {
		return store.Run(ctx, fn, h, keys, args, c.proto)
	})
}

// FUNCTION LOAD [REPLACE] function-code
func functionLoadCommand(c *client) {
	s := c.srv
	replace := false
	argv := c.argv[2:]
	if len(argv) > 1 && strings.EqualFold(string(argv[0]), "replace") {
		replace, argv = true, argv[1:]
	}
	if len(argv) != 1 {
		c.addErrorString("ERR Unknown option given: " + string(argv[0]))
		return
	}
	name, err := s.functionStore().Load(argv[0], replace, &scriptHost{s: s})
	if err != nil {
		c.addError(err)
		return
	}
	s.addDirty(1)
	c.addBulkString(name)
}

// FUNCTION DELETE library-name
func functionDeleteCommand(c *client) {
	if err := c.srv.functionStore().Delete(string(c.argv[2])); err != nil {
		c.addError(err)
		return
	}
	c.srv.addDirty(1)
	c.addOK()
}

// FUNCTION FLUSH [ASYNC | SYNC]
func functionFlushCommand(c *client) {
	if len(c.argv) > 3 || (len(c.argv) == 3 && !strings.EqualFold(string(c.argv[2]), "sync") && !strings.EqualFold(string(c.argv[2]), "async")) {
		c.addErrorString("ERR FUNCTION FLUSH only supports SYNC|ASYNC option")
		return
	}
	c.srv.functionStore().Flush()
	c.srv.addDirty(1)
	c.addOK()
}

// FUNCTION LIST [LIBRARYNAME library-name-pattern] [WITHCODE]
//
// Libraries and their functions come sorted by name (Redis lists them in
// its dictionaries' order).
func functionListCommand(c *client) {
	withCode := false
	var pattern []byte
	for i := 2; i < len(c.argv); i++ {
		switch strings.ToLower(string(c.argv[i])) {
		case "withcode":
			withCode = true
		case "libraryname":
			if i+1 >= len(c.argv) {
				c.addErrorString("ERR library name argument was not given")
				return
			}
			i++
			pattern = c.argv[i]
		default:
			c.addErrorString("ERR Unknown argument " + string(c.argv[i]))
			return
		}
	}
	var libs []*scripts.Library
	for _, lib := range c.srv.functionStore().Libraries() {
		if pattern == nil || datatypes.GlobMatch(pattern, []byte(lib.Name), false) {
			libs = append(libs, lib)
		}
	}
	c.addArrayLen(len(libs))
	for _, lib := range libs {
		if withCode {
			c.addMapLen(4)
		} else {
			c.addMapLen(3)
		}
		c.addBulkString("library_name")
		c.addBulkString(lib.Name)
		c.addBulkString("engine")
		c.addBulkString("LUA")
		c.addBulkString("functions")
		c.addArrayLen(len(lib.Functions))
		for _, fn := range lib.Functions {
			c.addMapLen(3)
			c.addBulkString("name")
			c.addBulkString(fn.Name)
			c.addBulkString("description")
			if fn.HasDesc {
				c.addBulkString(fn.Desc)
			} else {
				c.addNull()
			}
			c.addBulkString("flags")
			names := fn.Flags.Names()
			c.addSetLen(len(names))
			for _, n := range names {
				c.addSimple(n)
			}
		}
		if withCode {
			c.addBulkString("library_code")
			c.addBulkString(lib.Code)
		}
	}
}

// FUNCTION STATS
//
// Reached only when no function runs (see lockUnlessBusy), so
// running_script is always null.
func functionStatsCommand(c *client) {
	libs, funcs := c.srv.script.functions.Counts()
	c.addMapLen(2)
	c.addBulkString("running_script")
	c.addNull()
	c.addBulkString("engines")
	c.addMapLen(1)
	c.addBulkString("LUA")
	c.addMapLen(2)
	c.addBulkString("libraries_count")
	c.addInt(int64(libs))
	c.addBulkString("functions_count")
	c.addInt(int64(funcs))
}

// FUNCTION KILL
func functionKillCommand(c *client) { c.addErrorString(notBusyErr) }

// FUNCTION HELP
func functionHelpCommand(c *client) {
	c.addReplyHelp(
		"LOAD [REPLACE] <FUNCTION CODE>",
		"    Create a new library with the given library name and code.",
		"DELETE <LIBRARY NAME>",
		"    Delete the given library.",
		"LIST [LIBRARYNAME PATTERN] [WITHCODE]",
		"    Return general information on all the libraries:",
		"    * Library name",
		"    * The engine used to run the Library",
		"    * Library description",
		"    * Functions list",
		"    * Library code (if WITHCODE is given)",
		"    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
		"STATS",
		"    Return information about the current function running:",
		"    * Function name",
		"    * Command used to run the function",
		"    * Duration in MS that the function is running",
		"    If no function is running, return nil",
		"    In addition, returns a list of available engines.",
		"KILL",
		"    Kill the current running function.",
		"FLUSH [ASYNC|SYNC]",
		"    Delete all the libraries.",
		"    When called without the optional mode argument, the behavior is determined by the",
		"    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
		"    * ASYNC: Asynchronously flush the libraries.",
		"    * SYNC: Synchronously flush the libraries.",
		"DUMP",
		"    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
		"RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
		"    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
		"    control how to handle existing libraries (default APPEND):",
		"    * FLUSH: delete all existing libraries.",
		"    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
		"    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
		"      libraries with the new libraries (notice that even on this option there is a chance of failure",
		"      in case of functions name collision with another library).",
	)
}

// functionLibraries returns every library's code, for RDB and AOF
// rewrites (RDB_OPCODE_FUNCTION2).
func (s *Server) functionLibraries() [][]byte {
	if s.script.functions == nil {
		return nil
	}
	var codes [][]byte
	for _, lib := range s.script.functions.Libraries() {
		codes = append(codes, []byte(lib.Code))
	}
	return codes
}

// loadFunctionLibrary adds a library read from an RDB file (replacing one
// of the same name).
func (s *Server) loadFunctionLibrary(code []byte) error {
	_, err := s.functionStore().Load(code, true, &scriptHost{s: s})
	return err
}

// rdbOpFunction2 is RDB_OPCODE_FUNCTION2: one library's code follows.
const rdbOpFunction2 = 0xF5

// FUNCTION DUMP
//
// The payload is DUMP's: per library the FUNCTION2 opcode and its code as
// an RDB string (written uncompressed), then the RDB version (2 bytes LE)
// and the CRC-64 of all that (8 bytes LE).
func functionDumpCommand(c *client) {
	var b []byte
	for _, code := range c.srv.functionLibraries() {
		b = append(b, rdbOpFunction2)
		b = appendRDBLen(b, uint64(len(code)))
		b = append(b, code...)
	}
	b = binary.LittleEndian.AppendUint16(b, persistence.Version)
	b = binary.LittleEndian.AppendUint64(b, persistence.CRC64(0, b))
	c.addBulk(b)
}

// FUNCTION RESTORE serialized-value [FLUSH | APPEND | REPLACE]
func functionRestoreCommand(c *client) {
	policy := "append"
	if len(c.argv) > 4 {
		c.addErrorArity()
		return
	}
	if len(c.argv) == 4 {
		policy = strings.ToLower(string(c.argv[3]))
		if policy != "flush" && policy != "append" && policy != "replace" {
			c.addErrorString("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.")
			return
		}
	}
	p := c.argv[2]
	if len(p) < 10 || binary.LittleEndian.Uint16(p[len(p)-10:]) > persistence.Version ||
		persistence.CRC64(0, p[:len(p)-8]) != binary.LittleEndian.Uint64(p[len(p)-8:]) {
		c.addErrorString("ERR DUMP payload version or checksum are wrong")
		return
	}
	body := p[:len(p)-10]
	var codes [][]byte
	for len(body) > 0 {
		switch body[0] {
		case rdbOpFunction2:
		case 0xF6:
			c.addErrorString("ERR Pre-GA function format not supported")
			return
		default:
			c.addErrorString("ERR given type is not a function")
			return
		}
		code, rest, ok := readRDBString(body[1:])
		if !ok {
			c.addErrorString("ERR Failed loading library payload")
			return
		}
		codes, body = append(codes, code), rest
	}
	if err := c.srv.functionStore().Restore(codes, policy, &scriptHost{s: c.srv}); err != nil {
		c.addError(err)
		return
	}
	c.srv.addDirty(1)
	c.addOK()
}

// appendRDBLen is rdbSaveLen: 6, 14, 32 or 64 bits.
func appendRDBLen(b []byte, n uint64) []byte {
	switch {
	case n < 1<<6:
		return append(b, byte(n))
	case n < 1<<14:
		return append(b, 0x40|byte(n>>8), byte(n))
	case n <= 0xffffffff:
		return binary.BigEndian.AppendUint32(append(b, 0x80), uint32(n))
	}
	return binary.BigEndian.AppendUint64(append(b, 0x81), n)
}

// readRDBLen is rdbLoadLen; special reports an encoded-string marker.
func readRDBLen(b []byte) (n uint64, special bool, rest []byte, ok bool) {
	if len(b) == 0 {
		return 0, false, nil, false
	}
	switch b[0] >> 6 {
	case 0:
		return uint64(b[0] & 0x3f), false, b[1:], true
	case 1:
		if len(b) < 2 {
			return 0, false, nil, false
		}
		return uint64(b[0]&0x3f)<<8 | uint64(b[1]), false, b[2:], true
	case 3:
		return uint64(b[0] & 0x3f), true, b[1:], true
	}
	switch {
	case b[0] == 0x80 && len(b) >= 5:
		return uint64(binary.BigEndian.Uint32(b[1:])), false, b[5:], true
	case b[0] == 0x81 && len(b) >= 9:
		return binary.BigEndian.Uint64(b[1:]), false, b[9:], true
	}
	return 0, false, nil, false
}

// readRDBString is rdbGenericLoadStringObject for a library's code: plain,
// integer-encoded or LZF-compressed.
func readRDBString(b []byte) (s, rest []byte, ok bool) {
	n, special, b, ok := readRDBLen(b)
	if !ok {
		return nil, nil, false
	}
	if !special {
		if uint64(len(b)) < n {
			return nil, nil, false
		}
		return b[:n], b[n:], true
	}
	switch n {
	case 0, 1, 2: // int8, int16, int32, little endian
		size := 1 << n
		if len(b) < size {
			return nil, nil, false
		}
		var v int64
		switch size {
		case 1:
			v = int64(int8(b[0]))
		case 2:
			v = int64(int16(binary.LittleEndian.Uint16(b)))
		default:
			v = int64(int32(binary.LittleEndian.Uint32(b)))
		}
		return []byte(strconv.FormatInt(v, 10)), b[size:], true
	case 3: // LZF
		clen, _, b, ok1 := readRDBLen(b)
		ulen, _, b, ok2 := readRDBLen(b)
		if !ok1 || !ok2 || uint64(len(b)) < clen || ulen > 512<<20 {
			return nil, nil, false
		}
		out := make([]byte, ulen)
		if m, err := lzf.Decompress(b[:clen], out); err != nil || uint64(m) != ulen {
			return nil, nil, false
		}
		return out, b[clen:], true
	}
	return nil, nil, false
}
