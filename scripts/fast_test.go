package scripts

import (
	"context"
	"strconv"
	"strings"
	"testing"
)

// Tests of the allocation-saving paths: each one keeps a behaviour the
// straightforward code had.

func TestParseIntMatchesStrconv(t *testing.T) {
	for _, s := range []string{"0", "5", "-1", "-0", "42", "123456789012345678",
		"-123456789012345678", "1234567890123456789", "9223372036854775807",
		"-9223372036854775808", "99999999999999999999", "", "-", "1x", "+5", " 1"} {
		want, _ := strconv.ParseInt(s, 10, 64)
		if s == "+5" {
			want = 0 // RESP never sends a sign; either answer would do
		}
		if got := parseInt([]byte(s)); got != want {
			t.Errorf("parseInt(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestLookupBytesAnyCase(t *testing.T) {
	e := New()
	sc, err := e.Create([]byte("return 1"))
	if err != nil {
		t.Fatal(err)
	}
	for _, sha := range []string{sc.SHA, strings.ToUpper(sc.SHA)} {
		if got := e.LookupBytes([]byte(sha)); got != sc {
			t.Errorf("LookupBytes(%s) = %v", sha, got)
		}
	}
	if e.LookupBytes([]byte(sc.SHA[:39])) != nil || e.LookupBytes([]byte(strings.Repeat("0", 40))) != nil {
		t.Error("found a script that is not there")
	}
}

// keepHost keeps every argv it is given, as a command that stores its
// arguments does.
type keepHost struct {
	fakeHost
	kept [][][]byte
}

func (h *keepHost) Call(argv [][]byte, resp int) []byte {
	h.kept = append(h.kept, argv)
	return h.fakeHost.Call(argv, resp)
}

// The arguments of redis.call share one buffer: growing one must not
// overwrite the next, and a later call must not change an earlier one's.
func TestCommandArgsIndependent(t *testing.T) {
	e := New()
	h := &keepHost{fakeHost: fakeHost{reply: []byte("+OK\r\n")}}
	run(t, e, h, "redis.call('set', 'k1', 1.5) redis.call('set', 'k2', '') return redis.call('set', 'k3', 'v3')", 2)
	if len(h.kept) != 3 {
		t.Fatalf("calls: %q", h.kept)
	}
	argv := h.kept[0]
	argv[0] = append(argv[0], "XX"...)
	want := []string{"setXX", "k1", "1.5"}
	for i, a := range argv {
		if string(a) != want[i] {
			t.Errorf("argv[%d] = %q, want %q", i, a, want[i])
		}
	}
	if got := string(h.kept[1][2]); got != "" || h.kept[1][2] == nil {
		t.Errorf("empty argument: %q (nil %v)", got, h.kept[1][2] == nil)
	}
	if got := string(h.kept[2][2]); got != "v3" {
		t.Errorf("last call's value: %q", got)
	}
}

// Run's reply lives in a buffer reused by the next run: each reply is
// whole, whatever the size of the one before.
func TestRunReplyReuse(t *testing.T) {
	e := New()
	h := &fakeHost{}
	big := run(t, e, h, "return string.rep('x', 100000)", 2)
	if len(big) != 100000+len("$100000\r\n\r\n") {
		t.Fatalf("big reply: %d bytes", len(big))
	}
	for _, tc := range []struct{ body, want string }{
		{"return 1", ":1\r\n"},
		{"return 'abc'", "$3\r\nabc\r\n"},
		{"return {1, 'a'}", "*2\r\n:1\r\n$1\r\na\r\n"},
		{"return 2", ":2\r\n"},
	} {
		if got := run(t, e, h, tc.body, 2); got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.body, got, tc.want)
		}
	}
}

// The main chunk gets no arg table (Lua 5.1's never had one); functions
// with ... inside it keep theirs (LUA_COMPAT_VARARG). Checked against
// redis-server 7.0.15.
func TestMainChunkNoArg(t *testing.T) {
	e := New()
	h := &fakeHost{}
	sha := func(s string) string { return SHA1Hex([]byte(s)) }
	for _, tc := range []struct{ body, want string }{
		{"local function f(...) return arg.n end return f(1,2)", ":2\r\n"},
		{"return arg", "-ERR user_script:1: Script attempted to access nonexistent global variable 'arg' script: " + sha("return arg") + ", on @user_script:1.\r\n"},
		{"return select('#', ...)", ":0\r\n"},
		{"local a, b = 1, 2 return {a, b}", "*2\r\n:1\r\n:2\r\n"},
	} {
		for i := 0; i < 2; i++ { // the second run reuses the compiled chunk
			if got := run(t, e, h, tc.body, 2); got != tc.want {
				t.Errorf("%q run %d: got %q, want %q", tc.body, i, got, tc.want)
			}
		}
	}
}

// A context cancelled before the run stops the script at once.
func TestRunCancelled(t *testing.T) {
	e := New()
	sc, _ := e.Create([]byte("while true do end"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	reply, _ := e.Run(ctx, sc, &fakeHost{}, nil, nil, 2)
	if !strings.HasPrefix(string(reply), "-ERR Script killed by user with SCRIPT KILL...") {
		t.Errorf("got %q", reply)
	}
	// The engine runs the next script normally.
	if got := run(t, e, &fakeHost{}, "return 7", 2); got != ":7\r\n" {
		t.Errorf("after a kill: %q", got)
	}
}

// The strings' metatable is read-only, as every table scripts share:
// nothing a script does to it is seen by the next. Checked against
// redis-server 7.0.15.
func TestStringMetatableReadOnly(t *testing.T) {
	e := New()
	h := &fakeHost{}
	sha := func(s string) string { return SHA1Hex([]byte(s)) }
	ro := func(body string, line bool) string {
		at := ""
		if line {
			at = "user_script:1: "
		}
		return "-ERR " + at + "Attempt to modify a readonly table script: " + sha(body) + ", on @user_script:1.\r\n"
	}
	for _, tc := range []struct{ body, want string }{
		{"return getmetatable('').__index == string", ":1\r\n"},
		{"getmetatable('').__index.x = 1", ro("getmetatable('').__index.x = 1", true)},
		{"getmetatable('').x = 1", ro("getmetatable('').x = 1", true)},
		{"getmetatable('').__index = 1", ro("getmetatable('').__index = 1", true)},
		{"return rawset(getmetatable(''), 'a', 1)", ro("return rawset(getmetatable(''), 'a', 1)", false)},
		{"return setmetatable(getmetatable(''), {})", ro("return setmetatable(getmetatable(''), {})", false)},
		{"return type(getmetatable(''))", "$5\r\ntable\r\n"},
		{"return getmetatable('') == getmetatable('')", ":1\r\n"},
		{"return ('x'):rep(3)", "$3\r\nxxx\r\n"},
		{"return string.x", "$-1\r\n"},
		{"return getmetatable({})", "$-1\r\n"},
		{"local t = setmetatable({}, {a=1}) return getmetatable(t).a", ":1\r\n"},
		{"return getmetatable()", "-ERR user_script:1: bad argument #1 to 'getmetatable' (value expected) script: " + sha("return getmetatable()") + ", on @user_script:1.\r\n"},
	} {
		if got := run(t, e, h, tc.body, 2); got != tc.want {
			t.Errorf("%q:\n got %q\nwant %q", tc.body, got, tc.want)
		}
	}
}

// KEYS and ARGV are refilled from one EVAL to the next: whatever a script
// did to them, the next script sees exactly its own arguments.
func TestArgsReuse(t *testing.T) {
	if ltableArray < 0 || ltableKeys < 0 {
		t.Fatal("LTable fields not found: KEYS and ARGV are never reused")
	}
	e := New()
	h := &fakeHost{}
	runKA := func(body string, keys, args []string) string {
		t.Helper()
		sc, err := e.Create([]byte(body))
		if err != nil {
			t.Fatal(err)
		}
		k := make([][]byte, len(keys))
		for i, s := range keys {
			k[i] = []byte(s)
		}
		a := make([][]byte, len(args))
		for i, s := range args {
			a[i] = []byte(s)
		}
		reply, _ := e.Run(context.Background(), sc, h, k, a, 2)
		return string(reply)
	}
	// What the checking script returns for keys {d} and args {x, y}.
	check := "local n = 0 for _ in pairs(KEYS) do n = n + 1 end " +
		"local m = 0 for _ in pairs(ARGV) do m = m + 1 end " +
		"return {#KEYS, n, table.maxn(KEYS), KEYS[1], tostring(KEYS[2]), tostring(KEYS[5]), tostring(KEYS.foo), tostring(getmetatable(KEYS)), " +
		"#ARGV, m, ARGV[1], ARGV[2], tostring(ARGV[3]), tostring(ARGV.foo)}"
	want := "*14\r\n:1\r\n:1\r\n:1\r\n$1\r\nd\r\n$3\r\nnil\r\n$3\r\nnil\r\n$3\r\nnil\r\n$3\r\nnil\r\n" +
		":2\r\n:2\r\n$1\r\nx\r\n$1\r\ny\r\n$3\r\nnil\r\n$3\r\nnil\r\n"
	for _, spoil := range []string{
		"return 1",
		"KEYS[5] = 'x' ARGV[3] = 'z' return 1",
		"KEYS[2] = nil KEYS[1] = nil ARGV[1] = nil return 1",
		"KEYS.foo = 1 ARGV.foo = 1 return 1",
		"KEYS.foo = 1 KEYS.foo = nil return 1",
		"setmetatable(KEYS, {__index = function() return 'm' end}) return 1",
		"KEYS[100] = 'x' KEYS[100] = nil ARGV[1000] = 1 return 1",
		"table.insert(KEYS, 'e') table.remove(ARGV, 1) return 1",
		"KEYS[3] = 'x' error('boom')",
		"KEYS[1.5] = 1 ARGV[-1] = 1 return 1",
	} {
		runKA(spoil, []string{"a", "b", "c"}, []string{"p", "q", "r"})
		if got := runKA(check, []string{"d"}, []string{"x", "y"}); got != want {
			t.Errorf("after %q:\n got %q\nwant %q", spoil, got, want)
		}
		// And the reverse: more items than the last run had.
		if got := runKA("return {#KEYS, KEYS[4], #ARGV}", []string{"a", "b", "c", "d"}, nil); got != "*3\r\n:4\r\n$1\r\nd\r\n:0\r\n" {
			t.Errorf("after %q, 4 keys: got %q", spoil, got)
		}
	}
	// The libraries that look at a table's shape see a new one.
	enc := "return {cjson.encode(KEYS), cjson.encode(ARGV), cmsgpack.pack(KEYS), unpack(KEYS)}"
	fresh := New()
	sc, _ := fresh.Create([]byte(enc))
	wantEnc, _ := fresh.Run(context.Background(), sc, h, [][]byte{[]byte("d")}, nil, 2)
	for _, spoil := range []string{"return 1", "KEYS[5] = 'x' KEYS[5] = nil ARGV[2] = 1", "KEYS[3] = nil"} {
		runKA(spoil, []string{"a", "b", "c"}, []string{"p", "q", "r"})
		if got := runKA(enc, []string{"d"}, nil); got != string(wantEnc) {
			t.Errorf("after %q: got %q, want %q", spoil, got, wantEnc)
		}
	}
	// A clean table is the same one again; a spoiled one is replaced.
	runKA("return 1", []string{"a"}, nil)
	keys := e.keys
	runKA("return 1", []string{"b", "c"}, nil)
	if e.keys != keys {
		t.Error("a clean KEYS table was not reused")
	}
	runKA("KEYS.x = 1", nil, nil)
	runKA("return 1", nil, nil)
	if e.keys == keys {
		t.Error("a KEYS table with a hash part was reused")
	}
	// SCRIPT FLUSH starts from new tables in the new state.
	e.Flush()
	if got := runKA("return KEYS", []string{"k"}, nil); got != "*1\r\n$1\r\nk\r\n" {
		t.Errorf("after a flush: %q", got)
	}
}
