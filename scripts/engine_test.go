package scripts

import (
	"context"
	"testing"
)

// fakeHost answers every command with a fixed reply and records calls.
type fakeHost struct {
	reply []byte
	calls [][]string
	repl  int
	logs  []string
}

func (h *fakeHost) Call(argv [][]byte, resp int) []byte {
	var a []string
	for _, b := range argv {
		a = append(a, string(b))
	}
	h.calls = append(h.calls, a)
	return h.reply
}
func (h *fakeHost) SetRepl(f int)                      { h.repl = f }
func (h *fakeHost) Log(level int, msg string)          { h.logs = append(h.logs, msg) }
func (h *fakeHost) Allowed(argv [][]byte) (bool, bool) { return true, string(argv[0]) != "nosuch" }

func run(t *testing.T, e *Engine, h Host, body string, proto int) string {
	t.Helper()
	sc, err := e.Create([]byte(body))
	if err != nil {
		return "-" + err.Error() + "\r\n"
	}
	reply, _ := e.Run(context.Background(), sc, h, nil, nil, proto)
	return string(reply)
}

func TestEngineReplies(t *testing.T) {
	e := New()
	h := &fakeHost{reply: []byte("-ERR value is not an integer or out of range\r\n")}
	sha := func(s string) string { return SHA1Hex([]byte(s)) }
	for _, tc := range []struct{ body, want string }{
		{"return 1", ":1\r\n"},
		{"return 3.9", ":3\r\n"},
		{"return {1,2,nil,3}", "*2\r\n:1\r\n:2\r\n"},
		{"return {1,'a',{ok='x'},{err='e'},true,false,3.9,-2.5}", "*8\r\n:1\r\n$1\r\na\r\n+x\r\n-e\r\n:1\r\n$-1\r\n:3\r\n:-2\r\n"},
		{"return tostring(10/3)..' '..tostring(1e15)", "$31\r\n3.3333333333333 1e+15\r\n"[:0] + "$21\r\n3.3333333333333 1e+15\r\n"},
		{"x=1", "-ERR user_script:1: Attempt to modify a readonly table script: " + sha("x=1") + ", on @user_script:1.\r\n"},
		{"return y", "-ERR user_script:1: Script attempted to access nonexistent global variable 'y' script: " + sha("return y") + ", on @user_script:1.\r\n"},
		{"error('boom')", "-ERR user_script:1: boom script: " + sha("error('boom')") + ", on @user_script:1.\r\n"},
		{"error({err='boom2'})", "-boom2 script: " + sha("error({err='boom2'})") + ", on @user_script:1.\r\n"},
		{"\nreturn redis.call('incr','x')", "-ERR value is not an integer or out of range script: " + sha("\nreturn redis.call('incr','x')") + ", on @user_script:2.\r\n"},
		{"return redis.pcall('incr','x')", "-ERR value is not an integer or out of range\r\n"},
		{"local ok, e = pcall(function() redis.call('nosuch') end) return {tostring(ok), type(e)}", "*2\r\n$5\r\nfalse\r\n$6\r\nstring\r\n"},
		{"string.foo=1", "-ERR user_script:1: Attempt to modify a readonly table script: " + sha("string.foo=1") + ", on @user_script:1.\r\n"},
		{"return redis.error_reply('xx')", "-ERR xx\r\n"},
		{"return redis.status_reply(1)", "-ERR wrong number or type of arguments\r\n"},
		{"return {math.random(100), math.random(1000000), math.random(5,10)}", "*3\r\n:40\r\n:840486\r\n:7\r\n"},
		{"#!lua flags=bad\nreturn 1", "-ERR Unexpected flag in script shebang: bad\r\n"},
		{"return 1+", "-ERR Error compiling script (new function): user_script:1: syntax error near '<eof>'\r\n"},
		{"return redis.call({})", "-ERR Lua redis lib command arguments must be strings or integers script: " + sha("return redis.call({})") + ", on @user_script:1.\r\n"},
		{"return type(loadstring)..type(KEYS)", "$13\r\nfunctiontable\r\n"},
		{"return os", "-ERR user_script:1: Script attempted to access nonexistent global variable 'os' script: " + sha("return os") + ", on @user_script:1.\r\n"},
	} {
		if got := run(t, e, h, tc.body, 2); got != tc.want {
			t.Errorf("%q:\n got %q\nwant %q", tc.body, got, tc.want)
		}
	}
}

func TestEngineSandboxEscapes(t *testing.T) {
	e := New()
	h := &fakeHost{}
	sha := func(s string) string { return SHA1Hex([]byte(s)) }
	for _, tc := range []struct{ body, want string }{
		// Checked against redis-server 7.0.15.
		{"local function f() return f() + 1 end return f()", "-ERR user_script:1: stack overflow script: " + sha("local function f() return f() + 1 end return f()") + ", on @user_script:1.\r\n"},
		{"return rawset(_G, 'zz', 1)", "-ERR Attempt to modify a readonly table script: " + sha("return rawset(_G, 'zz', 1)") + ", on @user_script:1.\r\n"},
		{"return zz", "-ERR user_script:1: Script attempted to access nonexistent global variable 'zz' script: " + sha("return zz") + ", on @user_script:1.\r\n"},
		{"local t = {} rawset(t, 'a', 1) return t.a", ":1\r\n"},
		{"return setmetatable(_G, {})", "-ERR Attempt to modify a readonly table script: " + sha("return setmetatable(_G, {})") + ", on @user_script:1.\r\n"},
		// getfenv(any Go function) was the real globals: Redis has no getfenv.
		{"local g = getfenv(redis.call) g.zz = 1 return 1", "-ERR user_script:1: Script attempted to access nonexistent global variable 'getfenv' script: " + sha("local g = getfenv(redis.call) g.zz = 1 return 1") + ", on @user_script:1.\r\n"},
		{"return type(setfenv)", "-ERR user_script:1: Script attempted to access nonexistent global variable 'setfenv' script: " + sha("return type(setfenv)") + ", on @user_script:1.\r\n"},
	} {
		if got := run(t, e, h, tc.body, 2); got != tc.want {
			t.Errorf("%q:\n got %q\nwant %q", tc.body, got, tc.want)
		}
	}
}
