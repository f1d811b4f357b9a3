package server

import (
	"context"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"ferrite/server/resp"
)

// Replies checked byte for byte against redis-server 7.0.15 (each case
// was sent to it and its reply pasted here). Known gopher-lua differences
// (compile error wording) are tested separately.

type scriptCase struct {
	args []string
	want string
}

var scriptCasesRESP2 = []scriptCase{
	{[]string{"flushall"}, "+OK\r\n"},
	{[]string{"eval", "return 1", "0"}, ":1\r\n"},
	{[]string{"eval", "return {1,2,3,'ciao',{1,2}}", "0"}, "*5\r\n:1\r\n:2\r\n:3\r\n$4\r\nciao\r\n*2\r\n:1\r\n:2\r\n"},
	{[]string{"eval", "return {1,2,nil,3}", "0"}, "*2\r\n:1\r\n:2\r\n"},
	{[]string{"eval", "return {1,'a',{ok='x'},{err='e'},true,false,3.9,-2.5}", "0"}, "*8\r\n:1\r\n$1\r\na\r\n+x\r\n-e\r\n:1\r\n$-1\r\n:3\r\n:-2\r\n"},
	{[]string{"eval", "return nil", "0"}, "$-1\r\n"},
	{[]string{"eval", "return true", "0"}, ":1\r\n"},
	{[]string{"eval", "return false", "0"}, "$-1\r\n"},
	{[]string{"eval", "return {ok='fine'}", "0"}, "+fine\r\n"},
	{[]string{"eval", "return redis.status_reply('PONG')", "0"}, "+PONG\r\n"},
	{[]string{"eval", "return {err='My error'}", "0"}, "-My error\r\n"},
	{[]string{"eval", "return redis.error_reply('My Error')", "0"}, "-My Error\r\n"},
	{[]string{"eval", "return redis.error_reply('-NOPE not here')", "0"}, "-NOPE not here\r\n"},
	{[]string{"eval", "return {double=3.14}", "0"}, "$18\r\n3.1400000000000001\r\n"},
	{[]string{"eval", "return {map={a=1}}", "0"}, "*2\r\n$1\r\na\r\n:1\r\n"},
	{[]string{"eval", "return {set={a=true}}", "0"}, "*1\r\n$1\r\na\r\n"},
	{[]string{"eval", "return {big_number='123456789012345678901234567890'}", "0"}, "$30\r\n123456789012345678901234567890\r\n"},
	{[]string{"eval", "return {verbatim_string={format='txt',string='hi'}}", "0"}, "$2\r\nhi\r\n"},
	{[]string{"eval", "return {KEYS[1],KEYS[2],ARGV[1],ARGV[2]}", "2", "k1", "k2", "a1", "a2"}, "*4\r\n$2\r\nk1\r\n$2\r\nk2\r\n$2\r\na1\r\n$2\r\na2\r\n"},
	{[]string{"set", "foo", "bar"}, "+OK\r\n"},
	{[]string{"eval", "return redis.call('get',KEYS[1])", "1", "foo"}, "$3\r\nbar\r\n"},
	{[]string{"eval", "return redis.call('get','nokey')", "0"}, "$-1\r\n"},
	{[]string{"eval", "return redis.call('get','nokey') == false", "0"}, ":1\r\n"},
	{[]string{"eval", "return redis.call('set','x','1')", "0"}, "+OK\r\n"},
	{[]string{"eval", "return redis.call('incr','x')", "0"}, ":2\r\n"},
	{[]string{"eval", "return redis.call('hgetall','nohash')", "0"}, "*0\r\n"},
	{[]string{"rpush", "l", "a", "b", "c"}, ":3\r\n"},
	{[]string{"eval", "return redis.call('lrange','l',0,-1)", "0"}, "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n"},
	{[]string{"eval", "return redis.call('set','x',3.5)", "0"}, "+OK\r\n"},
	{[]string{"get", "x"}, "$3\r\n3.5\r\n"},
	{[]string{"eval", "return redis.call('set','x',10/3)", "0"}, "+OK\r\n"},
	{[]string{"get", "x"}, "$18\r\n3.3333333333333335\r\n"},
	{[]string{"eval", "return tostring(10/3)", "0"}, "$15\r\n3.3333333333333\r\n"},
	{[]string{"eval", "return tostring(1e15)", "0"}, "$5\r\n1e+15\r\n"},
	{[]string{"eval", "return tostring(100)", "0"}, "$3\r\n100\r\n"},
	{[]string{"eval", "return redis.call('type','l')", "0"}, "+list\r\n"},
	{[]string{"eval", "return redis.call('type','l').ok", "0"}, "$4\r\nlist\r\n"},
	{[]string{"eval", "return redis.pcall('incr','foo')", "0"}, "-ERR value is not an integer or out of range\r\n"},
	{[]string{"eval", "return redis.call('incr','foo')", "0"}, "-ERR value is not an integer or out of range script: 22c9dbdd80709fb523d10691f558682a9d7129bf, on @user_script:1.\r\n"},
	{[]string{"eval", "local r = redis.pcall('incr','foo') return r.err", "0"}, "$43\r\nERR value is not an integer or out of range\r\n"},
	{[]string{"eval", "return redis.call('nosuchcommand')", "0"}, "-ERR Unknown Redis command called from script script: 60e6252e19199d82f2bea24345497fd1b735ed32, on @user_script:1.\r\n"},
	{[]string{"eval", "return redis.pcall('nosuchcommand')", "0"}, "-ERR Unknown Redis command called from script\r\n"},
	{[]string{"eval", "return redis.call('get')", "0"}, "-ERR Wrong number of args calling Redis command from script script: f187dee77f607f7cff00bbabc9df38507582c78d, on @user_script:1.\r\n"},
	{[]string{"eval", "return redis.call('eval','return 1','0')", "0"}, "-ERR This Redis command is not allowed from script script: 1e5046f3a9119d3dc9cf5824428b6d9fedd305d2, on @user_script:1.\r\n"},
	{[]string{"eval", "return redis.call()", "0"}, "-ERR Please specify at least one argument for this redis lib call script: 0a907e1429221a4d85516cab7fd219a82a9439d8, on @user_script:1.\r\n"},
	{[]string{"eval", "return redis.call('get',{})", "0"}, "-ERR Lua redis lib command arguments must be strings or integers script: 4deb073a545207f215b56dcef5ca825f9f406808, on @user_script:1.\r\n"},
	{[]string{"eval", "error('boom')", "0"}, "-ERR user_script:1: boom script: 82903a0434f1503e152f89c03c9acd881a0e8150, on @user_script:1.\r\n"},
	{[]string{"eval", "error({err='CUSTOM boom'})", "0"}, "-CUSTOM boom script: 04d39340f134fecca222bb279e1aa1d64359c655, on @user_script:1.\r\n"},
	{[]string{"eval", "\n\nerror('line three')", "0"}, "-ERR user_script:3: line three script: 813480392a2c85c754f404c02c1ac87a51d39bc2, on @user_script:3.\r\n"},
	{[]string{"eval", "x = 1", "0"}, "-ERR user_script:1: Attempt to modify a readonly table script: 34bce5f775de97f557a34088509c8bfe1ea17e52, on @user_script:1.\r\n"},
	{[]string{"eval", "return undefinedvar", "0"}, "-ERR user_script:1: Script attempted to access nonexistent global variable 'undefinedvar' script: 3a7a0da27ed9511341f5b4d17f1bcac3aa887d8c, on @user_script:1.\r\n"},
	{[]string{"eval", "string.x = 1", "0"}, "-ERR user_script:1: Attempt to modify a readonly table script: c3eb0a2a15b3d4790b323c4104029c1ae425a769, on @user_script:1.\r\n"},
	{[]string{"eval", "return 1", "-1"}, "-ERR Number of keys can't be negative\r\n"},
	{[]string{"eval", "return 1", "5", "a"}, "-ERR Number of keys can't be greater than number of args\r\n"},
	{[]string{"eval", "return 1", "x"}, "-ERR value is not an integer or out of range\r\n"},
	{[]string{"evalsha", "ffffffffffffffffffffffffffffffffffffffff", "0"}, "-NOSCRIPT No matching script. Please use EVAL.\r\n"},
	{[]string{"evalsha", "nope", "0"}, "-NOSCRIPT No matching script. Please use EVAL.\r\n"},
	{[]string{"script", "load", "return 'loaded'"}, "$40\r\nb534286061d4b9e4026607613b95c06c06015ae8\r\n"},
	{[]string{"evalsha", "c2d33a0a4ec5c9eae2ce2a6fd1d6c0a0d9e5b7a0", "0"}, "-NOSCRIPT No matching script. Please use EVAL.\r\n"},
	{[]string{"script", "exists", "c2d33a0a4ec5c9eae2ce2a6fd1d6c0a0d9e5b7a0", "ffffffffffffffffffffffffffffffffffffffff"}, "*2\r\n:0\r\n:0\r\n"},
	{[]string{"script", "flush", "bad"}, "-ERR SCRIPT FLUSH only support SYNC|ASYNC option\r\n"},
	{[]string{"script", "kill"}, "-NOTBUSY No scripts in execution right now.\r\n"},
	{[]string{"script", "flush"}, "+OK\r\n"},
	{[]string{"script", "flush", "async"}, "+OK\r\n"},
	{[]string{"eval_ro", "return redis.call('get','foo')", "0"}, "$3\r\nbar\r\n"},
	{[]string{"eval_ro", "return redis.call('set','foo','x')", "0"}, "-ERR Write commands are not allowed from read-only scripts. script: 00e724b325073ffd7b37e24fbbf13ff9fce48a2f, on @user_script:1.\r\n"},
	{[]string{"eval", "#!lua flags=no-writes\nreturn redis.call('set','foo','x')", "0"}, "-ERR Write commands are not allowed from read-only scripts. script: bb1cc29989571f20389d8336e980ece0676b7d90, on @user_script:2.\r\n"},
	{[]string{"eval", "#!lua flags=no-writes\nreturn redis.call('get','foo')", "0"}, "$3\r\nbar\r\n"},
	{[]string{"eval", "#!lua\nreturn redis.call('get','foo')", "0"}, "$3\r\nbar\r\n"},
	{[]string{"eval_ro", "#!lua\nreturn 1", "0"}, "-ERR Can not execute a script with write flag using *_ro command.\r\n"},
	{[]string{"eval", "#!lua flags=nope\nreturn 1", "0"}, "-ERR Unexpected flag in script shebang: nope\r\n"},
	{[]string{"eval", "#!python\nreturn 1", "0"}, "-ERR Unexpected engine in script shebang: #!python\r\n"},
	{[]string{"eval", "#!lua name=lib\nreturn 1", "0"}, "-ERR Unknown lua shebang option: name=lib\r\n"},
	{[]string{"eval", "return redis.sha1hex('hello')", "0"}, "$40\r\naaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d\r\n"},
	{[]string{"eval", "return redis.sha1hex()", "0"}, "-ERR wrong number of arguments script: 3c7ce947ae74a835cc575b6ee87fb27503cb7ba4, on @user_script:1.\r\n"},
	{[]string{"eval", "redis.setresp(4)", "0"}, "-ERR RESP version must be 2 or 3. script: 68e72e4d8a428b9f599dce492315f2455a425a82, on @user_script:1.\r\n"},
	{[]string{"eval", "redis.set_repl(17)", "0"}, "-ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE. script: 0005adcc21db2372c8f2aade04b1e393aa41f4d5, on @user_script:1.\r\n"},
	{[]string{"eval", "redis.log(redis.LOG_WARNING, 'from script')", "0"}, "$-1\r\n"},
	{[]string{"eval", "redis.log('x')", "0"}, "-ERR redis.log() requires two arguments or more. script: 4365d697bcf18447f1a1b2cbfc70a188fabcdcff, on @user_script:1.\r\n"},
	{[]string{"eval", "redis.log(9, 'x')", "0"}, "-ERR Invalid debug level. script: 33c5adda35db23aef2d79cdf8ec88f4a6e44b5f3, on @user_script:1.\r\n"},
	{[]string{"eval", "return {redis.REDIS_VERSION, redis.REDIS_VERSION_NUM}", "0"}, "*2\r\n$6\r\n7.0.15\r\n:458767\r\n"},
	{[]string{"eval", "return {redis.REPL_NONE, redis.REPL_AOF, redis.REPL_REPLICA, redis.REPL_SLAVE, redis.REPL_ALL}", "0"}, "*5\r\n:0\r\n:1\r\n:2\r\n:2\r\n:3\r\n"},
	{[]string{"eval", "return redis.call('blpop','nolist','0')", "0"}, "-ERR This Redis command is not allowed from script script: e1756cc4bfe98195c8420a7d606591965592a8ea, on @user_script:1.\r\n"},
	{[]string{"eval", "return redis.call('brpoplpush','nolist','x2','0')", "0"}, "-ERR This Redis command is not allowed from script script: 384614c00c491b7553cae2fa5a516f29ca7b1164, on @user_script:1.\r\n"},
	{[]string{"eval", "return redis.call('select','1')", "0"}, "+OK\r\n"},
	{[]string{"eval", "return print", "0"}, "-ERR user_script:1: Script attempted to access nonexistent global variable 'print' script: df4c752a7558004676bbee87e38b92e0b9056d68, on @user_script:1.\r\n"},
	{[]string{"eval", "return type(loadstring)", "0"}, "$8\r\nfunction\r\n"},
	{[]string{"eval", "return pcall(function() redis.call('nosuch') end)", "0"}, "$-1\r\n"},
	{[]string{"eval", "local ok, e = pcall(function() error('x') end) return e", "0"}, "$16\r\nuser_script:1: x\r\n"},
	{[]string{"eval", "return redis.call('ping')", "0"}, "+PONG\r\n"},
	{[]string{"eval", "return redis.call('hset','h','a','1','b','2')", "0"}, ":2\r\n"},
	{[]string{"eval", "return redis.call('zadd','z','1.5','m')", "0"}, ":1\r\n"},
	{[]string{"eval", "return redis.call('zscore','z','m')", "0"}, "$3\r\n1.5\r\n"},
	{[]string{"eval", "return redis.call('exists','foo','nokey')", "0"}, ":1\r\n"},
	{[]string{"eval", "return 3.99", "0"}, ":3\r\n"},
	{[]string{"eval", "return -3.99", "0"}, ":-3\r\n"},
	{[]string{"eval", "return {1,{2,{3,{4}}}}", "0"}, "*2\r\n:1\r\n*2\r\n:2\r\n*2\r\n:3\r\n*1\r\n:4\r\n"},
	{[]string{"eval", "return string.format('%d-%s', 5, 'x')", "0"}, "$3\r\n5-x\r\n"},
	{[]string{"eval", "return cjson", "0"}, "*0\r\n"},
	{[]string{"eval", "return redis.setresp", "0"}, "$-1\r\n"},
	{[]string{"script", "help"}, "*17\r\n+SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+DEBUG (YES|SYNC|NO)\r\n+    Set the debug mode for subsequent scripts executed.\r\n+EXISTS <sha1> [<sha1> ...]\r\n+    Return information about the existence of the scripts in the script cache.\r\n+FLUSH [ASYNC|SYNC]\r\n+    Flush the Lua scripts cache. Very dangerous on replicas.\r\n+    When called without the optional mode argument, the behavior is determined by the\r\n+    lazyfree-lazy-user-flush configuration directive. Valid modes are:\r\n+    * ASYNC: Asynchronously flush the scripts cache.\r\n+    * SYNC: Synchronously flush the scripts cache.\r\n+KILL\r\n+    Kill the currently executing Lua script.\r\n+LOAD <script>\r\n+    Load a script into the scripts cache without executing it.\r\n+HELP\r\n+    Prints this help.\r\n"},
}

func runScriptCases(t *testing.T, c *testConn, cases []scriptCase) {
	t.Helper()
	for _, tc := range cases {
		if got := c.Do(tc.args...); got != tc.want {
			t.Errorf("%q:\n got %q\nwant %q", strings.Join(tc.args, " "), got, tc.want)
		}
	}
}

func TestScriptRepliesRESP2(t *testing.T) {
	s := startServer(t)
	runScriptCases(t, dial(t, s), scriptCasesRESP2)
}

// Sent after HELLO 3.
var scriptCasesRESP3 = []scriptCase{
	{[]string{"flushall"}, "+OK\r\n"},
	{[]string{"eval", "return nil", "0"}, "_\r\n"},
	{[]string{"eval", "return true", "0"}, ":1\r\n"},
	{[]string{"eval", "return false", "0"}, "_\r\n"},
	{[]string{"eval", "redis.setresp(3) return true", "0"}, "#t\r\n"},
	{[]string{"eval", "redis.setresp(3) return false", "0"}, "#f\r\n"},
	{[]string{"eval", "return {double=3.14}", "0"}, ",3.1400000000000001\r\n"},
	{[]string{"eval", "return {map={a=1}}", "0"}, "%1\r\n$1\r\na\r\n:1\r\n"},
	{[]string{"eval", "return {set={a=true}}", "0"}, "~1\r\n$1\r\na\r\n"},
	{[]string{"eval", "return {big_number='123456789012345678901234567890'}", "0"}, "(123456789012345678901234567890\r\n"},
	{[]string{"eval", "return {verbatim_string={format='txt',string='hi'}}", "0"}, "=6\r\ntxt:hi\r\n"},
	{[]string{"eval", "return redis.call('get','nokey')", "0"}, "_\r\n"},
	{[]string{"eval", "redis.setresp(3) return redis.call('get','nokey')", "0"}, "_\r\n"},
	{[]string{"eval", "redis.setresp(3) return redis.call('get','nokey') == nil", "0"}, "#t\r\n"},
	{[]string{"hset", "h", "f", "v"}, ":1\r\n"},
	{[]string{"eval", "redis.setresp(3) return redis.call('hgetall','h')", "0"}, "%1\r\n$1\r\nf\r\n$1\r\nv\r\n"},
	{[]string{"eval", "redis.setresp(3) local r = redis.call('hgetall','h') return r.map.f", "0"}, "$1\r\nv\r\n"},
	{[]string{"eval", "return redis.call('hgetall','h')", "0"}, "*2\r\n$1\r\nf\r\n$1\r\nv\r\n"},
	{[]string{"sadd", "s", "m"}, ":1\r\n"},
	{[]string{"eval", "redis.setresp(3) return redis.call('smembers','s')", "0"}, "~1\r\n$1\r\nm\r\n"},
	{[]string{"eval", "redis.setresp(3) local r = redis.call('smembers','s') return tostring(r.set.m)", "0"}, "$4\r\ntrue\r\n"},
	{[]string{"zadd", "z", "1.5", "m"}, ":1\r\n"},
	{[]string{"eval", "redis.setresp(3) return redis.call('zscore','z','m')", "0"}, ",1.5\r\n"},
	{[]string{"eval", "redis.setresp(3) return redis.call('zscore','z','m').double", "0"}, ":1\r\n"},
	{[]string{"eval", "return redis.call('zscore','z','m')", "0"}, "$3\r\n1.5\r\n"},
	{[]string{"eval", "redis.setresp(3) return redis.call('exists','h')", "0"}, ":1\r\n"},
	{[]string{"eval", "redis.setresp(3) return {redis.call('ping')}", "0"}, "*1\r\n+PONG\r\n"},
	{[]string{"eval", "return {1,'a',{ok='x'},true,false}", "0"}, "*5\r\n:1\r\n$1\r\na\r\n+x\r\n:1\r\n_\r\n"},
	{[]string{"eval", "redis.setresp(3) return {1,'a',{ok='x'},true,false}", "0"}, "*5\r\n:1\r\n$1\r\na\r\n+x\r\n#t\r\n#f\r\n"},
}

// A RESP2 client with scripts that switch to RESP3 (redis.setresp(3)).
var scriptCasesSetresp = []scriptCase{
	{[]string{"eval", "redis.setresp(3) return {true,false}", "0"}, "*2\r\n:1\r\n:0\r\n"},
	{[]string{"eval", "redis.setresp(3) return redis.call('hgetall','h')", "0"}, "*2\r\n$1\r\nf\r\n$1\r\nv\r\n"},
	{[]string{"eval", "redis.setresp(3) return redis.call('get','nokey')", "0"}, "$-1\r\n"},
	{[]string{"eval", "return {map={a=1}}", "0"}, "*2\r\n$1\r\na\r\n:1\r\n"},
}

func TestScriptRepliesRESP3(t *testing.T) {
	s := startServer(t)
	c := dial(t, s)
	if got := c.Do("HELLO", "3"); !strings.HasPrefix(got, "%") {
		t.Fatalf("HELLO 3: %q", got)
	}
	runScriptCases(t, c, scriptCasesRESP3)
	if got := c.Do("HELLO", "2"); !strings.HasPrefix(got, "*") {
		t.Fatalf("HELLO 2: %q", got)
	}
	runScriptCases(t, c, scriptCasesSetresp)
}

// gopher-lua words syntax errors its own way; the frame is Redis's.
func TestScriptCompileError(t *testing.T) {
	c := dial(t, startServer(t))
	c.expect("-ERR Error compiling script (new function): user_script:1: syntax error near '<eof>'\r\n", "EVAL", "return 1 +", "0")
	c.expect("-ERR Error compiling script (new function): user_script:2: syntax error near '='\r\n", "EVAL", "local a = 1\nx = = 1", "0")
	c.expect("*1\r\n:0\r\n", "SCRIPT", "EXISTS", "d9c8c2e0b6b0c4a8c5cd8b0c4c2e4c0a7f6b7e5d")
}

func TestScriptCache(t *testing.T) {
	c := dial(t, startServer(t))
	const sha = "b534286061d4b9e4026607613b95c06c06015ae8" // SHA1("return 'loaded'")
	c.expect("$40\r\n"+sha+"\r\n", "SCRIPT", "LOAD", "return 'loaded'")
	c.expect("$6\r\nloaded\r\n", "EVALSHA", sha, "0")
	c.expect("$6\r\nloaded\r\n", "EVALSHA", strings.ToUpper(sha), "0")
	c.expect("$6\r\nloaded\r\n", "EVALSHA_RO", sha, "0")
	// EVAL caches what it runs.
	c.expect(":1\r\n", "EVAL", "return 1", "0")
	c.expect("*3\r\n:1\r\n:1\r\n:0\r\n", "SCRIPT", "EXISTS", sha, "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "ffffffffffffffffffffffffffffffffffffffff")
	c.expect("+OK\r\n", "SCRIPT", "FLUSH", "SYNC")
	c.expect("*1\r\n:0\r\n", "SCRIPT", "EXISTS", sha)
	c.expect("-NOSCRIPT No matching script. Please use EVAL.\r\n", "EVALSHA", sha, "0")
	c.expect("-ERR SCRIPT FLUSH only support SYNC|ASYNC option\r\n", "SCRIPT", "FLUSH", "ASYNC", "SYNC")
	if info := c.Do("INFO", "memory"); !strings.Contains(info, "number_of_cached_scripts:0\r\n") {
		t.Errorf("INFO memory after FLUSH: %q", info)
	}
	c.expect(":1\r\n", "EVAL", "return 1", "0")
	if info := c.Do("INFO", "memory"); !strings.Contains(info, "number_of_cached_scripts:1\r\n") {
		t.Errorf("INFO memory: %q", info)
	}
}

// A script's writes propagate as themselves, in MULTI/EXEC when there
// are several; EVAL itself never does, and a script that changed nothing
// propagates nothing.
func TestScriptPropagation(t *testing.T) {
	e := newClockEnv(t, &feedRecorder{sep: " "})
	e.c.expect("$-1\r\n", "EVAL", "redis.call('get', KEYS[1])", "1", "k")
	e.expectFeed()
	e.c.expect("+OK\r\n", "EVAL", "return redis.call('set', KEYS[1], ARGV[1])", "1", "k", "v")
	e.expectFeed("0 set k v")
	e.c.expect(":1\r\n", "EVAL", "redis.call('set','n','1') redis.call('select','2') redis.call('set','m','x') return redis.call('incr','n')", "0")
	e.expectFeed("0 MULTI", "0 set n 1", "2 set m x", "2 incr n", "2 EXEC")
	// The SELECT inside did not move the caller.
	e.c.expect("$1\r\nv\r\n", "GET", "k")
	// Deterministic forms: SET EX propagates as SET PXAT.
	e.c.expect("+OK\r\n", "EVAL", "return redis.call('set','t','v','EX','10')", "0")
	e.expectFeed("0 SET t v PXAT 1700000010000")
	// REPL_NONE: writes after it stay local.
	e.c.expect("+OK\r\n", "EVAL", "redis.call('set','a','1') redis.set_repl(redis.REPL_NONE) redis.call('set','b','2') redis.set_repl(redis.REPL_ALL) return redis.call('set','c','3')", "0")
	e.expectFeed("0 MULTI", "0 set a 1", "0 set c 3", "0 EXEC")
	e.c.expect("$1\r\n2\r\n", "GET", "b")
	// A failing script keeps the writes made before the error.
	e.c.expect("-ERR value is not an integer or out of range script: 0e5da2b59e2c0d346aad3a526db43e6d8ca2fd5f, on @user_script:1.\r\n", "EVAL", "redis.call('set','s','x') redis.call('incr','s')", "0")
	e.expectFeed("0 set s x")
}

// The patterns users write: a lock released only by its owner, and a
// job queue that moves a job to a processing list with a lease.
func TestScriptUserPatterns(t *testing.T) {
	c := dial(t, startServer(t))
	const unlock = `if redis.call("get", KEYS[1]) == ARGV[1] then
    return redis.call("del", KEYS[1])
else
    return 0
end`
	c.expect("+OK\r\n", "SET", "lock", "token-1", "NX", "PX", "30000")
	c.expect(":0\r\n", "EVAL", unlock, "1", "lock", "token-2")
	c.expect(":1\r\n", "EVAL", unlock, "1", "lock", "token-1")
	c.expect(":0\r\n", "EXISTS", "lock")
	c.expect(":0\r\n", "EVAL", unlock, "1", "lock", "token-1")

	const take = `local job = redis.call('rpoplpush', KEYS[1], KEYS[2])
if not job then return nil end
redis.call('hset', KEYS[3], job, ARGV[1])
redis.call('hincrby', KEYS[4], 'taken', 1)
return {job, redis.call('llen', KEYS[1])}`
	c.expect(":3\r\n", "LPUSH", "jobs", "j1", "j2", "j3")
	c.expect("*2\r\n$2\r\nj1\r\n:2\r\n", "EVAL", take, "4", "jobs", "processing", "leases", "stats", "1700000000")
	c.expect("*2\r\n$2\r\nj2\r\n:1\r\n", "EVAL", take, "4", "jobs", "processing", "leases", "stats", "1700000001")
	c.expect("*2\r\n$2\r\nj3\r\n:0\r\n", "EVAL", take, "4", "jobs", "processing", "leases", "stats", "1700000002")
	c.expect("$-1\r\n", "EVAL", take, "4", "jobs", "processing", "leases", "stats", "1700000003")
	c.expect("*3\r\n$2\r\nj3\r\n$2\r\nj2\r\n$2\r\nj1\r\n", "LRANGE", "processing", "0", "-1")
	c.expect("$1\r\n3\r\n", "HGET", "stats", "taken")
	c.expect("$10\r\n1700000001\r\n", "HGET", "leases", "j2")
}

// While a script runs past busy-reply-threshold other clients get BUSY,
// and SCRIPT KILL stops it unless it wrote.
func TestScriptBusyAndKill(t *testing.T) {
	s := startServer(t, func(c *Config) { c.BusyReplyThreshold = 50 })
	runner, other := dial(t, s), dial(t, s)
	other.expect("-NOTBUSY No scripts in execution right now.\r\n", "SCRIPT", "KILL")

	runner.Send("EVAL", "local i = 0 while true do i = i + 1 end", "0")
	waitRunning(t, s)
	other.expect("-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n", "GET", "x")
	other.expect("+OK\r\n", "SCRIPT", "KILL")
	if got := runner.Read(); got != "-ERR Script killed by user with SCRIPT KILL... script: 3fcf51a9b854b8f66cb8685600b0d7df968f4398, on @user_script:1.\r\n" {
		t.Errorf("killed script replied %q", got)
	}
	other.expect("$-1\r\n", "GET", "x")
	runner.expect("+PONG\r\n", "PING")
	// The next script runs under a fresh context.
	runner.expect(":1\r\n", "EVAL", "return 1", "0")

	// pcall cannot catch the kill.
	runner.Send("EVAL", "while true do pcall(function() while true do end end) end", "0")
	waitRunning(t, s)
	other.expect("+OK\r\n", "SCRIPT", "KILL")
	if got := runner.Read(); !strings.HasPrefix(got, "-ERR Script killed by user with SCRIPT KILL...") {
		t.Errorf("killed script replied %q", got)
	}

	// A script that wrote cannot be killed; it finishes on its own, after
	// 300ms (well past the threshold, so that waitRunning sees it).
	runner.Send("EVAL", "redis.call('set','x','1') local t = redis.call('time') while true do local n = redis.call('time') if (n[1] - t[1]) * 1000000 + n[2] - t[2] >= 300000 then break end end return 'done'", "0")
	waitRunning(t, s)
	other.expect("-UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.\r\n", "SCRIPT", "KILL")
	if got := runner.Read(); got != "$4\r\ndone\r\n" {
		t.Errorf("unkillable script replied %q", got)
	}
	other.expect("$1\r\n1\r\n", "GET", "x")
}

// waitRunning polls until a script has run past the busy threshold.
func waitRunning(t *testing.T, s *Server) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if rs := s.script.running.Load(); rs != nil && monotonic()-rs.start >= rs.threshold {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatal("no script running")
}

// cjson, cmsgpack, struct and bit, checked against redis-server 7.0.15.
var scriptCasesLibs = []scriptCase{
	{[]string{"eval", "return cjson.encode({1,2,'a/b',true,{}, {x=1.5}, 10/3, cjson.null})", "0"}, "$51\r\n[1,2,\"a\\/b\",true,{},{\"x\":1.5},3.3333333333333,null]\r\n"},
	{[]string{"eval", "return cjson.encode({[1]=1,[20]=2})", "0"}, "-ERR user_script:1: Cannot serialise table: excessively sparse array script: 17303987ac6a57263cac31c74212431dce49e99c, on @user_script:1.\r\n"},
	{[]string{"eval", "return cjson.encode(function() end)", "0"}, "-ERR user_script:1: Cannot serialise function: type not supported script: c6600573aa08cdf0af5da6e0ef682db69a3acc00, on @user_script:1.\r\n"},
	{[]string{"eval", "local t = cjson.decode('{\"a\":[1,2,{\"b\":null}],\"c\":\"x\\u00e9\"}') return {t.a[1], t.a[2], type(t.a[3].b), t.c, tostring(t.a[3].b == cjson.null)}", "0"}, "*5\r\n:1\r\n:2\r\n$8\r\nuserdata\r\n$6\r\nxu00e9\r\n$4\r\ntrue\r\n"},
	{[]string{"eval", "return cjson.decode('[1,')", "0"}, "-ERR user_script:1: Expected value but found T_END at character 4 script: ad8248c68c719abd59f0dd09dea378bb946e7d3f, on @user_script:1.\r\n"},
	{[]string{"eval", "return cjson.decode('{bad}')", "0"}, "-ERR user_script:1: Expected object key string but found invalid token at character 2 script: a5c34379eab19ce66a835a35b1c2fd2f84b4c5e1, on @user_script:1.\r\n"},
	{[]string{"eval", "return cjson.encode({[1]=1,[3]=3})", "0"}, "$10\r\n[1,null,3]\r\n"},
	{[]string{"eval", "return cjson.encode(1e20)", "0"}, "$5\r\n1e+20\r\n"},
	{[]string{"eval", "return cjson.encode({[1.5]=1})", "0"}, "$9\r\n{\"1.5\":1}\r\n"},
	{[]string{"eval", "return cjson.encode(0/0)", "0"}, "-ERR user_script:1: Cannot serialise number: must not be NaN or Inf script: d3f8d4e745d6587b04e9dd216e0d4631f0a306d9, on @user_script:1.\r\n"},
	{[]string{"eval", "return cjson.encode({a={b={c='d'}}})", "0"}, "$21\r\n{\"a\":{\"b\":{\"c\":\"d\"}}}\r\n"},
	{[]string{"eval", "return cjson.decode('\"\\ud83d\\ude00\"')", "0"}, "$10\r\nud83dude00\r\n"},
	{[]string{"eval", "return cjson.decode('[true,false,1.5,-2,\"s\"]')", "0"}, "*5\r\n:1\r\n$-1\r\n:1\r\n:-2\r\n$1\r\ns\r\n"},
	{[]string{"eval", "local p = cmsgpack.pack({1,2,3}, 'ab', 1.5, -1, 300, true, nil, {a=1}, 70000, 0.1, -40, 2^40) local h = '' for i=1,#p do h = h .. string.format('%02x', string.byte(p,i)) end return h", "0"}, "$94\r\n93010203a26162ca3fc00000ffcd012cc3c081a16101ce00011170cb3fb999999999999ad0d8cf0000010000000000\r\n"},
	{[]string{"eval", "return {cmsgpack.unpack(cmsgpack.pack(1,'x',{1,2}))}", "0"}, "*3\r\n:1\r\n$1\r\nx\r\n*2\r\n:1\r\n:2\r\n"},
	{[]string{"eval", "local p = cmsgpack.pack(string.rep('x', 40), -200, -40000, 2^33, -2^33, {}) local h = '' for i=1,#p do h = h .. string.format('%02x', string.byte(p,i)) end return h", "0"}, "$138\r\nd92878787878787878787878787878787878787878787878787878787878787878787878787878787878d1ff38d2ffff63c0cf0000000200000000d3fffffffe0000000090\r\n"},
	{[]string{"eval", "return {cmsgpack.unpack(cmsgpack.pack(-200, -40000, 2^33, -2^33, 0.25, 'abc'))}", "0"}, "*6\r\n:-200\r\n:-40000\r\n:8589934592\r\n:-8589934592\r\n:0\r\n$3\r\nabc\r\n"},
	{[]string{"eval", "return {cmsgpack.unpack_one(cmsgpack.pack(1, 2, 3))}", "0"}, "*2\r\n:1\r\n:1\r\n"},
	{[]string{"eval", "return cmsgpack.unpack('\\xc1')", "0"}, ":120\r\n"},
	{[]string{"eval", "local h='' local p = struct.pack('>iHb', 1, 2, -1) for i=1,#p do h = h .. string.format('%02x', string.byte(p,i)) end return h", "0"}, "$14\r\n000000010002ff\r\n"},
	{[]string{"eval", "return {struct.unpack('>iHb', struct.pack('>iHb', 1, 2, -1))}", "0"}, "*4\r\n:1\r\n:2\r\n:-1\r\n:8\r\n"},
	{[]string{"eval", "return struct.size('>iHbd')", "0"}, ":15\r\n"},
	{[]string{"eval", "return struct.pack('z', 'x')", "0"}, "-ERR user_script:1: bad argument #1 to 'pack' (invalid format option 'z') script: 35765ee1eeb6d97cc4146eeadbf2a88b0e3dcffd, on @user_script:1.\r\n"},
	{[]string{"eval", "return {struct.unpack('<I2 s c3 b', struct.pack('<I2 s c3 b', 513, 'hi', 'abc', -5))}", "0"}, "*5\r\n:513\r\n$2\r\nhi\r\n$3\r\nabc\r\n:-5\r\n:10\r\n"},
	{[]string{"eval", "return {struct.unpack('!4 b i', struct.pack('!4 b i', 1, 2))}", "0"}, "*3\r\n:1\r\n:2\r\n:9\r\n"},
	{[]string{"eval", "return struct.size('!4 b i')", "0"}, ":8\r\n"},
	{[]string{"eval", "return {struct.unpack('>d f', struct.pack('>d f', 1.25, 0.5))}", "0"}, "*3\r\n:1\r\n:0\r\n:13\r\n"},
	{[]string{"eval", "return {bit.tohex(255), bit.band(0xff, 0x0f), bit.lshift(1, 31), bit.tohex(-1, -4)}", "0"}, "*4\r\n$8\r\n000000ff\r\n:15\r\n:-2147483648\r\n$4\r\nFFFF\r\n"},
	{[]string{"eval", "return {bit.bnot(0), bit.bor(1,2,4), bit.bxor(5,3), bit.rshift(-1, 28), bit.arshift(-16, 2), bit.rol(1, 33), bit.ror(1, 1), bit.bswap(0x12345678), bit.tobit(2^32+5)}", "0"}, "*9\r\n:-1\r\n:7\r\n:6\r\n:15\r\n:-4\r\n:2\r\n:-2147483648\r\n:2018915346\r\n:5\r\n"},
}

func TestScriptLibraries(t *testing.T) {
	runScriptCases(t, dial(t, startServer(t)), scriptCasesLibs)
}

// An error a script passes on from a command is counted once, by the
// command; the script's own errors are counted at its reply. Every failed
// script is a failed EVAL.
func TestScriptErrorStats(t *testing.T) {
	c := dial(t, startServer(t))
	c.expect("+OK\r\n", "SET", "foo", "bar")
	c.Do("EVAL", "return redis.call('incr','foo')", "0")
	c.Do("EVAL", "return redis.pcall('incr','foo')", "0")
	c.Do("EVAL", "error('x')", "0")
	c.Do("EVAL", "return {err='MY thing'}", "0")
	c.Do("EVAL", "return redis.call('nosuch')", "0")
	c.Do("EVAL", "return redis.pcall('nosuch')", "0")
	stats := c.Do("INFO", "errorstats")
	for _, want := range []string{"errorstat_ERR:count=5\r\n", "errorstat_MY:count=1\r\n"} {
		if !strings.Contains(stats, want) {
			t.Errorf("INFO errorstats %q lacks %q", stats, want)
		}
	}
	if cmds := c.Do("INFO", "commandstats"); !strings.Contains(cmds, "cmdstat_eval:calls=6,") || !strings.Contains(cmds, "rejected_calls=0,failed_calls=6\r\n") {
		t.Errorf("INFO commandstats: %q", cmds)
	}
}

// FUNCTION and FCALL, checked against redis-server 7.0.15 (libraries hold one
// function each where Redis lists them in its hash order).
var functionCases = []scriptCase{
	{[]string{"function", "flush"}, "+OK\r\n"},
	{[]string{"function", "load", "#!lua name=lib1\nredis.register_function{function_name='f2', callback=function(keys, args) return #args end, flags={'no-writes', 'allow-oom'}, description='two'}"}, "$4\r\nlib1\r\n"},
	{[]string{"function", "list"}, "*1\r\n*6\r\n$12\r\nlibrary_name\r\n$4\r\nlib1\r\n$6\r\nengine\r\n$3\r\nLUA\r\n$9\r\nfunctions\r\n*1\r\n*6\r\n$4\r\nname\r\n$2\r\nf2\r\n$11\r\ndescription\r\n$3\r\ntwo\r\n$5\r\nflags\r\n*2\r\n+no-writes\r\n+allow-oom\r\n"},
	{[]string{"function", "list", "withcode"}, "*1\r\n*8\r\n$12\r\nlibrary_name\r\n$4\r\nlib1\r\n$6\r\nengine\r\n$3\r\nLUA\r\n$9\r\nfunctions\r\n*1\r\n*6\r\n$4\r\nname\r\n$2\r\nf2\r\n$11\r\ndescription\r\n$3\r\ntwo\r\n$5\r\nflags\r\n*2\r\n+no-writes\r\n+allow-oom\r\n$12\r\nlibrary_code\r\n$160\r\n#!lua name=lib1\nredis.register_function{function_name='f2', callback=function(keys, args) return #args end, flags={'no-writes', 'allow-oom'}, description='two'}\r\n"},
	{[]string{"function", "list", "libraryname", "li*"}, "*1\r\n*6\r\n$12\r\nlibrary_name\r\n$4\r\nlib1\r\n$6\r\nengine\r\n$3\r\nLUA\r\n$9\r\nfunctions\r\n*1\r\n*6\r\n$4\r\nname\r\n$2\r\nf2\r\n$11\r\ndescription\r\n$3\r\ntwo\r\n$5\r\nflags\r\n*2\r\n+no-writes\r\n+allow-oom\r\n"},
	{[]string{"function", "list", "libraryname", "zz*"}, "*0\r\n"},
	{[]string{"function", "list", "bad"}, "-ERR Unknown argument bad\r\n"},
	{[]string{"function", "list", "libraryname"}, "-ERR library name argument was not given\r\n"},
	{[]string{"function", "stats"}, "*4\r\n$14\r\nrunning_script\r\n$-1\r\n$7\r\nengines\r\n*2\r\n$3\r\nLUA\r\n*4\r\n$15\r\nlibraries_count\r\n:1\r\n$15\r\nfunctions_count\r\n:1\r\n"},
	{[]string{"function", "load", "#!lua name=lib0\nredis.register_function('f1', function(keys, args) return keys[1] end)"}, "$4\r\nlib0\r\n"},
	{[]string{"fcall", "f1", "1", "k"}, "$1\r\nk\r\n"},
	{[]string{"fcall", "f2", "0", "a", "b"}, ":2\r\n"},
	{[]string{"fcall_ro", "f2", "0", "a"}, ":1\r\n"},
	{[]string{"fcall_ro", "f1", "1", "k"}, "-ERR Can not execute a script with write flag using *_ro command.\r\n"},
	{[]string{"fcall", "f1", "-1"}, "-ERR Number of keys can't be negative\r\n"},
	{[]string{"fcall", "f1", "3", "k"}, "-ERR Number of keys can't be greater than number of args\r\n"},
	{[]string{"fcall", "f1", "x"}, "-ERR Bad number of keys provided\r\n"},
	{[]string{"fcall", "nofunc", "0"}, "-ERR Function not found\r\n"},
	{[]string{"function", "load", "#!lua\nredis.register_function('g', function() return 1 end)"}, "-ERR Library name was not given\r\n"},
	{[]string{"function", "load", "#!py name=x\nredis.register_function('g', function() return 1 end)"}, "-ERR Engine 'py' not found\r\n"},
	{[]string{"function", "load", "#!lua name=bad-name\nredis.register_function('g', function() return 1 end)"}, "-ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long\r\n"},
	{[]string{"function", "load", "#!lua name=x foo=bar\nredis.register_function('g', function() return 1 end)"}, "-ERR Invalid metadata value given: foo=bar\r\n"},
	{[]string{"function", "load", "#!lua name=x\nredis.register_function('bad-name', function() return 1 end)"}, "-ERR Error registering functions: ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long\r\n"},
	{[]string{"function", "load", "#!lua name=x\nredis.register_function('g', function() return 1 end)\nredis.register_function('g', function() return 1 end)"}, "-ERR Error registering functions: ERR Function already exists in the library\r\n"},
	{[]string{"function", "load", "#!lua name=x\nredis.register_function()"}, "-ERR Error registering functions: ERR wrong number of arguments to redis.register_function\r\n"},
	{[]string{"function", "load", "#!lua name=x1\nredis.register_function(1, function() return 'one' end)"}, "$2\r\nx1\r\n"},
	{[]string{"fcall", "1", "0"}, "$3\r\none\r\n"},
	{[]string{"function", "load", "#!lua name=x2\nredis.register_function{function_name='g', callback=function() end, flags={'bad'}}"}, "-ERR Error registering functions: ERR unknown flag given\r\n"},
	{[]string{"function", "load", "#!lua name=x3\nredis.register_function{function_name='g', callback=function() end, foo=1}"}, "-ERR Error registering functions: ERR unknown argument given to redis.register_function\r\n"},
	{[]string{"function", "load", "#!lua name=x5\nerror('boom')"}, "-ERR Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable 'error'\r\n"},
	{[]string{"function", "load", "#!lua name=x6\nredis.log(redis.LOG_NOTICE, 'loading') redis.register_function('g', function() return type(redis.setresp) end)"}, "$2\r\nx6\r\n"},
	{[]string{"fcall", "g", "0"}, "$8\r\nfunction\r\n"},
	{[]string{"function", "load", "#!lua name=x7\nredis.register_function{function_name='g7'}"}, "-ERR Error registering functions: ERR redis.register_function must get a callback argument\r\n"},
	{[]string{"function", "load", "#!lua name=x8\nredis.register_function{function_name='g8', callback=function() end, flags='no-writes'}"}, "-ERR Error registering functions: ERR flags argument to redis.register_function must be a table representing function flags\r\n"},
	{[]string{"function", "load", "#!lua name=x9\nredis.register_function('g9', function() end, 1)"}, "-ERR Error registering functions: ERR wrong number of arguments to redis.register_function\r\n"},
	{[]string{"function", "load", "#!lua name=x10\nlocal t = {} t.x = 1 redis.register_function('g10', function() return t.x end)"}, "$3\r\nx10\r\n"},
	{[]string{"fcall", "g10", "0"}, ":1\r\n"},
	{[]string{"function", "load", "#!lua name=x11\nredis.register_function('g11', function(k, a) x = 1 end)"}, "$3\r\nx11\r\n"},
	{[]string{"fcall", "g11", "0"}, "-ERR user_function:2: Attempt to modify a readonly table script: g11, on @user_function:2.\r\n"},
	{[]string{"function", "load", "#!lua name=x12\nredis.register_function('g12', function(k, a) return {KEYS == nil, #k, #a} end)"}, "$3\r\nx12\r\n"},
	{[]string{"fcall", "g12", "1", "a", "b", "c"}, "-ERR user_function:2: Script attempted to access nonexistent global variable 'KEYS' script: g12, on @user_function:2.\r\n"},
	{[]string{"function", "load", "#!lua name=x13\nredis.register_function('g13', function(k, a) return redis.call('set','a','b') end)"}, "$3\r\nx13\r\n"},
	{[]string{"fcall_ro", "g13", "0"}, "-ERR Can not execute a script with write flag using *_ro command.\r\n"},
	{[]string{"function", "load", "#!lua name=x14\nredis.register_function{function_name='g14', callback=function(k, a) return redis.call('set','a','b') end, flags={'no-writes'}}"}, "$3\r\nx14\r\n"},
	{[]string{"fcall", "g14", "0"}, "-ERR Write commands are not allowed from read-only scripts. script: g14, on @user_function:2.\r\n"},
	{[]string{"function", "load", "replace"}, "-ERR Missing library metadata\r\n"},
	{[]string{"function", "load", "#!lua name=a1\nlocal s = string.format('%d', 1) redis.register_function('a1', function() return s end)"}, "-ERR Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable 'string'\r\n"},
	{[]string{"function", "load", "#!lua name=a9\nlocal s = type(redis.call) redis.register_function('a9', function() return s end)"}, "-ERR Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable 'type'\r\n"},
	{[]string{"function", "load", "#!lua name=a6\nlocal s = redis.REDIS_VERSION redis.register_function('a6', function() return s end)"}, "$2\r\na6\r\n"},
	{[]string{"fcall", "a6", "0"}, "$6\r\n7.0.15\r\n"},
	{[]string{"function", "load", "#!lua name=x6\nredis.register_function('g', function() return 2 end)"}, "-ERR Library 'x6' already exists\r\n"},
	{[]string{"function", "load", "replace", "#!lua name=x6\nredis.register_function('g', function() return 2 end)"}, "$2\r\nx6\r\n"},
	{[]string{"fcall", "g", "0"}, ":2\r\n"},
	{[]string{"function", "load", "replace", "#!lua name=y\nredis.register_function('g', function() return 2 end)"}, "-ERR Function g already exists\r\n"},
	{[]string{"function", "delete", "x6"}, "+OK\r\n"},
	{[]string{"function", "delete", "x6"}, "-ERR Library not found\r\n"},
	{[]string{"fcall", "g", "0"}, "-ERR Function not found\r\n"},
	{[]string{"function", "flush", "bad"}, "-ERR FUNCTION FLUSH only supports SYNC|ASYNC option\r\n"},
	{[]string{"function", "flush", "async"}, "+OK\r\n"},
	{[]string{"function", "list"}, "*0\r\n"},
	{[]string{"function", "help"}, "*40\r\n+FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+LOAD [REPLACE] <FUNCTION CODE>\r\n+    Create a new library with the given library name and code.\r\n+DELETE <LIBRARY NAME>\r\n+    Delete the given library.\r\n+LIST [LIBRARYNAME PATTERN] [WITHCODE]\r\n+    Return general information on all the libraries:\r\n+    * Library name\r\n+    * The engine used to run the Library\r\n+    * Library description\r\n+    * Functions list\r\n+    * Library code (if WITHCODE is given)\r\n+    It also possible to get only function that matches a pattern using LIBRARYNAME argument.\r\n+STATS\r\n+    Return information about the current function running:\r\n+    * Function name\r\n+    * Command used to run the function\r\n+    * Duration in MS that the function is running\r\n+    If no function is running, return nil\r\n+    In addition, returns a list of available engines.\r\n+KILL\r\n+    Kill the current running function.\r\n+FLUSH [ASYNC|SYNC]\r\n+    Delete all the libraries.\r\n+    When called without the optional mode argument, the behavior is determined by the\r\n+    lazyfree-lazy-user-flush configuration directive. Valid modes are:\r\n+    * ASYNC: Asynchronously flush the libraries.\r\n+    * SYNC: Synchronously flush the libraries.\r\n+DUMP\r\n+    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command\r\n+RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]\r\n+    Restore the libraries represented by the given payload, it is possible to give a restore policy to\r\n+    control how to handle existing libraries (default APPEND):\r\n+    * FLUSH: delete all existing libraries.\r\n+    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.\r\n+    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old\r\n+      libraries with the new libraries (notice that even on this option there is a chance of failure\r\n+      in case of functions name collision with another library).\r\n+HELP\r\n+    Prints this help.\r\n"},
	{[]string{"function", "stats"}, "*4\r\n$14\r\nrunning_script\r\n$-1\r\n$7\r\nengines\r\n*2\r\n$3\r\nLUA\r\n*4\r\n$15\r\nlibraries_count\r\n:0\r\n$15\r\nfunctions_count\r\n:0\r\n"},
	{[]string{"function", "kill"}, "-NOTBUSY No scripts in execution right now.\r\n"},
	{[]string{"function", "load", "#!lua name=z\nredis.register_function('h', function(keys, args) redis.call('set', keys[1], args[1]) return redis.call('get', keys[1]) end)"}, "$1\r\nz\r\n"},
	{[]string{"fcall", "h", "1", "k", "v"}, "$1\r\nv\r\n"},
	{[]string{"fcall", "h", "1", "k"}, "-ERR Lua redis lib command arguments must be strings or integers script: h, on @user_function:2.\r\n"},
	{[]string{"function", "load", "#!lua name=y2\nredis.register_function('boom', function(keys, args) error('bad') end)\nredis.register_function('boom2', function(keys, args) return redis.call('nosuch') end)"}, "$2\r\ny2\r\n"},
	{[]string{"fcall", "boom", "0"}, "-ERR user_function:2: bad script: boom, on @user_function:2.\r\n"},
	{[]string{"fcall", "boom2", "0"}, "-ERR Unknown Redis command called from script script: boom2, on @user_function:3.\r\n"},
}

func TestFunctions(t *testing.T) {
	runScriptCases(t, dial(t, startServer(t)), functionCases)
}

// Sent after HELLO 3.
var functionCasesRESP3 = []scriptCase{
	{[]string{"function", "flush"}, "+OK\r\n"},
	{[]string{"function", "load", "#!lua name=lib1\nredis.register_function{function_name='f2', callback=function(keys, args) return #args end, flags={'no-writes', 'allow-oom'}, description='two'}"}, "$4\r\nlib1\r\n"},
	{[]string{"function", "load", "#!lua name=lib2\nredis.register_function('f3', function(keys, args) return {map={a=1}} end)"}, "$4\r\nlib2\r\n"},
	{[]string{"function", "list", "libraryname", "lib1"}, "*1\r\n%3\r\n$12\r\nlibrary_name\r\n$4\r\nlib1\r\n$6\r\nengine\r\n$3\r\nLUA\r\n$9\r\nfunctions\r\n*1\r\n%3\r\n$4\r\nname\r\n$2\r\nf2\r\n$11\r\ndescription\r\n$3\r\ntwo\r\n$5\r\nflags\r\n~2\r\n+no-writes\r\n+allow-oom\r\n"},
	{[]string{"function", "list", "withcode", "libraryname", "lib2"}, "*1\r\n%4\r\n$12\r\nlibrary_name\r\n$4\r\nlib2\r\n$6\r\nengine\r\n$3\r\nLUA\r\n$9\r\nfunctions\r\n*1\r\n%3\r\n$4\r\nname\r\n$2\r\nf3\r\n$11\r\ndescription\r\n_\r\n$5\r\nflags\r\n~0\r\n$12\r\nlibrary_code\r\n$90\r\n#!lua name=lib2\nredis.register_function('f3', function(keys, args) return {map={a=1}} end)\r\n"},
	{[]string{"function", "stats"}, "%2\r\n$14\r\nrunning_script\r\n_\r\n$7\r\nengines\r\n%1\r\n$3\r\nLUA\r\n%2\r\n$15\r\nlibraries_count\r\n:2\r\n$15\r\nfunctions_count\r\n:2\r\n"},
	{[]string{"fcall", "f3", "0"}, "%1\r\n$1\r\na\r\n:1\r\n"},
}

func TestFunctionsRESP3(t *testing.T) {
	c := dial(t, startServer(t))
	if got := c.Do("HELLO", "3"); !strings.HasPrefix(got, "%") {
		t.Fatalf("HELLO 3: %q", got)
	}
	runScriptCases(t, c, functionCasesRESP3)
	if info := c.Do("INFO", "memory"); !strings.Contains(info, "number_of_functions:2\r\nnumber_of_libraries:2\r\n") {
		t.Errorf("INFO memory: %q", info)
	}
}

// FUNCTION LOAD propagates as itself, FCALL as the writes it made.
func TestFunctionPropagation(t *testing.T) {
	e := newClockEnv(t, &feedRecorder{sep: " "})
	lib := "#!lua name=q\nredis.register_function('push2', function(keys, args) redis.call('rpush', keys[1], args[1]) return redis.call('rpush', keys[1], args[2]) end)"
	e.c.expect("$1\r\nq\r\n", "FUNCTION", "LOAD", lib)
	e.expectFeed("0 FUNCTION LOAD " + lib)
	e.c.expect(":2\r\n", "FCALL", "push2", "1", "l", "a", "b")
	e.expectFeed("0 MULTI", "0 rpush l a", "0 rpush l b", "0 EXEC")
	e.c.expect("-ERR Library not found\r\n", "FUNCTION", "DELETE", "nope")
	e.expectFeed()
	e.c.expect("+OK\r\n", "FUNCTION", "DELETE", "q")
	e.expectFeed("0 FUNCTION DELETE q")
	if codes := e.s.functionLibraries(); len(codes) != 0 {
		t.Errorf("libraries after DELETE: %q", codes)
	}
}

// FUNCTION KILL stops a long function; SCRIPT KILL is for EVAL only.
func TestFunctionBusyAndKill(t *testing.T) {
	s := startServer(t, func(c *Config) { c.BusyReplyThreshold = 50 })
	runner, other := dial(t, s), dial(t, s)
	runner.expect("$4\r\nspin\r\n", "FUNCTION", "LOAD", "#!lua name=spin\nredis.register_function('spin', function() while true do end end)")
	runner.Send("FCALL", "spin", "0")
	waitRunning(t, s)
	other.expect("-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.\r\n", "PING")
	other.expect("-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.\r\n", "SCRIPT", "KILL")
	other.expect("+OK\r\n", "FUNCTION", "KILL")
	if got := runner.Read(); got != "-ERR Script killed by user with SCRIPT KILL... script: spin, on @user_function:2.\r\n" {
		t.Errorf("killed function replied %q", got)
	}
	other.expect("+PONG\r\n", "PING")
}

// MONITOR shows EVAL and FCALL first, then the commands they run as the
// "lua" client, as redis-server 7.0.15 does.
func TestScriptMonitor(t *testing.T) {
	s := startServer(t)
	m, b := dial(t, s), dial(t, s)
	addr := b.conn.LocalAddr().String()
	m.expect("+OK\r\n", "MONITOR")
	b.expect(":1\r\n", "EVAL", "redis.call('set','mk','1') return 1", "0")
	expectMonitorLine(t, m, "0", addr, `"EVAL" "redis.call('set','mk','1') return 1" "0"`)
	expectMonitorLine(t, m, "0", "lua", `"set" "mk" "1"`)
	b.expect("-ERR Function not found\r\n", "FCALL", "nofunc", "0")
	expectMonitorLine(t, m, "0", addr, `"FCALL" "nofunc" "0"`)
}

// Commands a script may not call or that touch the connection.
var scriptCasesRestricted = []scriptCase{
	{[]string{"eval", "return redis.call('client','id')", "0"}, "-ERR This Redis command is not allowed from script script: 6b57691688c1a59f07a7665ec9d907a922123bf8, on @user_script:1.\r\n"},
	{[]string{"eval", "return redis.call('client','getname')", "0"}, "-ERR This Redis command is not allowed from script script: 9c48a340563f77b57be5b303459df692359fd744, on @user_script:1.\r\n"},
	{[]string{"eval", "return type(redis.call('client','info'))", "0"}, "-ERR This Redis command is not allowed from script script: 7b75efaf5e4953a3fb8810023847ee77ff73ef98, on @user_script:1.\r\n"},
	{[]string{"eval", "return redis.call('client','setname','x')", "0"}, "-ERR This Redis command is not allowed from script script: d68904a2e1c959f0e59fe80a353f6dcd8cbd7bc5, on @user_script:1.\r\n"},
	{[]string{"eval", "return redis.call('client','reply','off')", "0"}, "-ERR This Redis command is not allowed from script script: 7be3f5c679fa0de989bd90f2064f0851956284a9, on @user_script:1.\r\n"},
	{[]string{"eval", "return redis.call('publish','ch','m')", "0"}, ":0\r\n"},
	{[]string{"eval", "return redis.call('blmove','a','b','left','left','0')", "0"}, "-ERR This Redis command is not allowed from script script: b15bf38d86c52f8f5b42d9d3e856f62bf7e7e99a, on @user_script:1.\r\n"},
	{[]string{"eval", "return redis.call('quit')", "0"}, "-ERR This Redis command is not allowed from script script: 594184995799820e8ea15ff5ed6e55342c8fed42, on @user_script:1.\r\n"},
	{[]string{"eval", "return redis.call('debug','sleep','0')", "0"}, "-ERR This Redis command is not allowed from script script: 3ab121bfba97ea652249c19f202e9d69a51d0cbf, on @user_script:1.\r\n"},
	{[]string{"eval", "return redis.call('info','nosuchsection')", "0"}, "$0\r\n\r\n"},
	{[]string{"eval", "return redis.call('config','get','maxmemory')", "0"}, "-ERR This Redis command is not allowed from script script: ce45eb79367d493e5dbe55446ef14fbdf6f8cfae, on @user_script:1.\r\n"},
	{[]string{"eval", "return redis.call('spop','nosuch')", "0"}, "$-1\r\n"},
	{[]string{"eval", "return redis.call('object','encoding','nosuch')", "0"}, "$-1\r\n"},
	{[]string{"eval", "return redis.call('time')[3]", "0"}, "$-1\r\n"},
	{[]string{"eval", "return redis.call('select','99')", "0"}, "-ERR DB index is out of range script: 5f72176ae2b82fe5e33c8d814dd61a9880ab5bde, on @user_script:1.\r\n"},
	{[]string{"eval", "return redis.call('script','load','return 1')", "0"}, "-ERR This Redis command is not allowed from script script: e884fdd1089d33f7e88d638d04f7355ac44786c2, on @user_script:1.\r\n"},
	{[]string{"eval", "return redis.call('function','list')", "0"}, "-ERR This Redis command is not allowed from script script: b11690a77ce8d92f96187f0ab83077ef3b3de586, on @user_script:1.\r\n"},
	{[]string{"eval", "return redis.call('monitor')", "0"}, "-ERR This Redis command is not allowed from script script: 816ccacd66cee27df40b38b03fcb7a2e6769f006, on @user_script:1.\r\n"},
	{[]string{"eval", "return redis.call('watch','x')", "0"}, "-ERR This Redis command is not allowed from script script: 9a1a35c05e04d2ab477f9ffcb999995832000a6d, on @user_script:1.\r\n"},
	{[]string{"eval", "return redis.call('sort','nosuch')", "0"}, "*0\r\n"},
}

func TestScriptRestrictedCommands(t *testing.T) {
	c := dial(t, startServer(t))
	runScriptCases(t, c, scriptCasesRestricted)
	c.expect("+PONG\r\n", "PING")
}

// redis.acl_check_cmd, and runtime errors, which gopher-lua words
// differently, in Lua 5.1's words.
var scriptCasesRuntimeErrors = []scriptCase{
	{[]string{"eval", "return {redis.acl_check_cmd('get','x'), redis.acl_check_cmd('set')}", "0"}, "*2\r\n:1\r\n:1\r\n"},
	{[]string{"eval", "return redis.acl_check_cmd('nosuch')", "0"}, "-ERR Invalid command passed to redis.acl_check_cmd() script: d2491587bab5149c93be0dce4426f7a06ba9e1a1, on @user_script:1.\r\n"},
	{[]string{"eval", "return redis.acl_check_cmd()", "0"}, "-ERR Please specify at least one argument for this redis lib call script: 1124f33ad66e7866b4e0c1499a4c20fb5eb9c180, on @user_script:1.\r\n"},
	{[]string{"eval", "return tonumber('x') / 3", "0"}, "-ERR user_script:1: attempt to perform arithmetic on a nil value script: ff8817d03c7e1ecbdd3c22a0a1e1e7e1a704a601, on @user_script:1.\r\n"},
	{[]string{"eval", "return 'a' .. tonumber('x')", "0"}, "-ERR user_script:1: attempt to concatenate a nil value script: 9bc05fd6232472a868c165fd873bc95a310106ce, on @user_script:1.\r\n"},
	{[]string{"eval", "return redis.call('get','nokey').x.y", "0"}, "-ERR user_script:1: attempt to index a boolean value script: 37856dd50e2c8b99049efa5eea109dc9292b86f7, on @user_script:1.\r\n"},
	{[]string{"eval", "return 1 < 'x'", "0"}, "-ERR user_script:1: attempt to compare number with string script: 6eb39b93a508ef218c3d802c1e5162ad876dfecf, on @user_script:1.\r\n"},
	{[]string{"eval", "return {} + 1", "0"}, "-ERR user_script:1: attempt to perform arithmetic on a table value script: 63bfc7278beb802efdd1c8b87af355d990ff9912, on @user_script:1.\r\n"},
}

func TestScriptRuntimeErrors(t *testing.T) {
	runScriptCases(t, dial(t, startServer(t)), scriptCasesRuntimeErrors)
}

// FUNCTION DUMP payloads travel both ways between redis-server 7.0.15 and
// Ferrite, including Redis's LZF-compressed ones; the restore policies and
// errors answer as Redis's.
func TestFunctionDumpRestore(t *testing.T) {
	red := startRedis(t)
	c := dial(t, startServer(t))
	short := "#!lua name=lib1\nredis.register_function('f1', function() return 1 end)\n"
	for _, conn := range []*testConn{red, c} {
		conn.expect("$4\r\nlib1\r\n", "FUNCTION", "LOAD", short)
	}
	ours := c.Do("FUNCTION", "DUMP")
	if theirs := red.Do("FUNCTION", "DUMP"); ours != theirs {
		t.Fatalf("DUMP: got %q, redis-server gives %q", ours, theirs)
	}
	payload := ours[strings.Index(ours, "\r\n")+2 : len(ours)-2]
	for _, conn := range []*testConn{red, c} {
		conn.expect("-ERR Library lib1 already exists\r\n", "FUNCTION", "RESTORE", payload)
		conn.expect("+OK\r\n", "FUNCTION", "RESTORE", payload, "REPLACE")
		conn.expect("-ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.\r\n", "FUNCTION", "RESTORE", payload, "BOGUS")
		conn.expect("-ERR DUMP payload version or checksum are wrong\r\n", "FUNCTION", "RESTORE", payload[:len(payload)-1]+"x")
		conn.expect("-ERR DUMP payload version or checksum are wrong\r\n", "FUNCTION", "RESTORE", payload[:3])
		conn.expect("+OK\r\n", "FUNCTION", "FLUSH")
		conn.expect("$4\r\nlib2\r\n", "FUNCTION", "LOAD", "#!lua name=lib2\nredis.register_function('f1', function() return 2 end)")
		conn.expect("-ERR Function f1 already exists\r\n", "FUNCTION", "RESTORE", payload, "REPLACE")
		conn.expect("+OK\r\n", "FUNCTION", "RESTORE", payload, "FLUSH")
		conn.expect(":1\r\n", "FCALL", "f1", "0")
	}
	// A long library: redis-server compresses it with LZF.
	long := "#!lua name=big\n" + strings.Repeat("local x = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'\n", 40) + "redis.register_function('big', function() return 'big' end)"
	red.expect("$3\r\nbig\r\n", "FUNCTION", "LOAD", long)
	dump := red.Do("FUNCTION", "DUMP")
	payload = dump[strings.Index(dump, "\r\n")+2 : len(dump)-2]
	c.expect("+OK\r\n", "FUNCTION", "RESTORE", payload, "FLUSH")
	c.expect("$3\r\nbig\r\n", "FCALL", "big", "0")
	if codes := c.Do("FUNCTION", "LIST", "LIBRARYNAME", "big", "WITHCODE"); !strings.Contains(codes, long) {
		t.Errorf("restored code differs: %q", codes)
	}
	// And ours loads there.
	c.expect("$3\r\nbig\r\n", "FUNCTION", "LOAD", "REPLACE", long)
	ours = c.Do("FUNCTION", "DUMP")
	red.expect("+OK\r\n", "FUNCTION", "RESTORE", ours[strings.Index(ours, "\r\n")+2:len(ours)-2], "FLUSH")
	red.expect("$3\r\nbig\r\n", "FCALL", "big", "0")
}

// BenchmarkEvalSha is redis-benchmark's "evalsha <sha> 1 key" on a
// one-GET script, from parallel connections (bench/lua/bench.sh compares
// it with redis-server).
func BenchmarkEvalSha(b *testing.B) {
	s := startServer(b)
	c := dial(b, s)
	c.Do("SET", "key", "value")
	sha := c.Do("SCRIPT", "LOAD", "return redis.call('GET', KEYS[1])")
	sha = sha[strings.IndexByte(sha, '\n')+1 : len(sha)-2]
	want := "$5\r\nvalue\r\n"
	if got := c.Do("EVALSHA", sha, "1", "key"); got != want {
		b.Fatalf("got %q", got)
	}
	cmd := resp.AppendCommand(nil, "EVALSHA", sha, "1", "key")
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		c := dial(b, s)
		buf := make([]byte, len(want))
		for pb.Next() {
			if _, err := c.conn.Write(cmd); err != nil {
				b.Error(err)
				return
			}
			if _, err := io.ReadFull(c.r, buf); err != nil || string(buf) != want {
				b.Errorf("got %q, %v", buf, err)
				return
			}
		}
	})
}

// BenchmarkEvalShaExecute is the server side of one EVALSHA of a one-GET
// script (no network), with GET for scale.
func BenchmarkEvalShaExecute(b *testing.B) {
	s := startServer(b)
	c1, c2 := net.Pipe()
	b.Cleanup(func() { c1.Close(); c2.Close() })
	c := s.newClient(c1)
	do := func(args ...string) string {
		argv := make([][]byte, len(args))
		for i, a := range args {
			argv[i] = []byte(a)
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		c.reply = c.reply[:0]
		s.beginBatch()
		s.processCommand(c, argv)
		return string(c.reply)
	}
	do("SET", "key", "value")
	sha := do("SCRIPT", "LOAD", "return redis.call('GET', KEYS[1])")
	sha = sha[strings.IndexByte(sha, '\n')+1 : len(sha)-2]
	for _, bc := range []struct {
		name string
		argv []string
	}{
		{"evalsha", []string{"EVALSHA", sha, "1", "key"}},
		{"get", []string{"GET", "key"}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			if got := do(bc.argv...); got != "$5\r\nvalue\r\n" {
				b.Fatalf("got %q", got)
			}
			argv := make([][]byte, len(bc.argv))
			for i, a := range bc.argv {
				argv[i] = []byte(a)
			}
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				s.mu.Lock()
				c.reply = c.reply[:0]
				s.beginBatch()
				s.processCommand(c, argv)
				s.mu.Unlock()
			}
		})
	}
}

// A SCRIPT KILL aimed at a script that has just ended must not kill the
// next script, which runs under the same reused context.
func TestScriptKillSwitchOwner(t *testing.T) {
	var st scriptState
	k := st.killSwitch()
	rs1, rs2 := &runningScript{ctx: k}, &runningScript{ctx: k}
	k.begin(rs1)
	k.end()
	if st.killSwitch() != k {
		t.Fatal("a context not killed is not reused")
	}
	k.begin(rs2)
	k.kill(rs1) // late: rs1 has ended
	if k.Err() != nil {
		t.Fatal("a late kill cancelled the next script")
	}
	select {
	case <-k.Done():
		t.Fatal("Done closed by a late kill")
	default:
	}
	k.kill(rs2)
	k.kill(rs2) // twice does nothing more
	if k.Err() != context.Canceled {
		t.Fatalf("Err = %v", k.Err())
	}
	select {
	case <-k.Done():
	default:
		t.Fatal("Done not closed by the kill")
	}
	k.end()
	if st.killSwitch() == k {
		t.Fatal("a killed context is reused")
	}
}
