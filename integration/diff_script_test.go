package integration

// The scripting differential test sends one seeded random stream of EVAL,
// EVALSHA, SCRIPT, FUNCTION and FCALL commands to a real redis-server and
// to Ferrite and compares the raw reply bytes exactly. The scripts come
// from templates that exercise what users' scripts do: redis.call and
// pcall on every reply type (errors and wrong types included), the value
// conversions both ways in RESP2 and RESP3 (redis.setresp), script errors,
// the sandbox, number formatting through tostring, math.random (whose
// sequence both servers share from startup), and the cjson, cmsgpack,
// struct and bit libraries on inputs whose output order is defined.
//
//	SEED=123 DIFF_OPS=5000 go test ./integration -run TestDifferentialScript -v

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"math/rand"
	"strconv"
	"strings"
	"testing"
)

func TestDifferentialScript(t *testing.T) {
	forEachDiffProto(t, "DIFF_OPS", 2000, runScriptDiff)
}

// scriptTemplates are script bodies; KEYS and ARGV come from the stream.
// Each returns something whose bytes do not depend on hash-table order.
var scriptTemplates = []string{
	"return redis.call('incrby', KEYS[1], ARGV[1])",
	"return redis.pcall('incrby', KEYS[1], ARGV[1])",
	"return redis.call('set', KEYS[1], ARGV[1])",
	"return redis.call('get', KEYS[1])",
	"return redis.call('get', KEYS[1]) == false",
	"return redis.call('append', KEYS[1], ARGV[1])",
	"return redis.call('rpush', KEYS[1], ARGV[1], ARGV[2])",
	"return redis.call('lrange', KEYS[1], 0, -1)",
	"return redis.pcall('lpop', KEYS[1])",
	"return redis.call('hset', KEYS[1], 'f', ARGV[1])",
	"return redis.call('hgetall', KEYS[1])",
	"redis.setresp(3) return redis.call('hgetall', KEYS[1])",
	"redis.setresp(3) local r = redis.pcall('hgetall', KEYS[1]) if r.map then return r.map.f end return r",
	"return redis.call('zadd', KEYS[1], ARGV[1], 'm')",
	"return redis.pcall('zscore', KEYS[1], 'm')",
	"redis.setresp(3) return redis.pcall('zscore', KEYS[1], 'm')",
	"redis.setresp(3) local r = redis.pcall('zincrby', KEYS[1], ARGV[1], 'm') if type(r) == 'table' and r.double then return tostring(r.double) end return r",
	"return redis.pcall('type', KEYS[1])",
	"return redis.call('type', KEYS[1]).ok",
	"return redis.call('del', KEYS[1])",
	"return redis.call('exists', KEYS[1], KEYS[2])",
	"return {KEYS[1], ARGV[1], tonumber(ARGV[1]), tostring(tonumber(ARGV[1]))}",
	"return tonumber(ARGV[1]) / 3",
	"return tostring(tonumber(ARGV[1]) / 3)",
	"return {tonumber(ARGV[1]) * 1.5, -tonumber(ARGV[1]) / 7}",
	"return redis.call('set', KEYS[1], tonumber(ARGV[1]) / 3)",
	"return {1, 2, nil, 3}",
	"return {true, false, {ok = ARGV[1]}, {err = 'E ' .. ARGV[1]}}",
	"redis.setresp(3) return {true, false, nil}",
	"return {double = tonumber(ARGV[1]) / 4}",
	"return {big_number = ARGV[1]}",
	"return {verbatim_string = {format = 'txt', string = ARGV[1]}}",
	"return {map = {f = ARGV[1]}}",
	"return {set = {[ARGV[1]] = true}}",
	"return redis.status_reply(ARGV[1])",
	"return redis.error_reply(ARGV[1])",
	"return redis.error_reply('MYERR ' .. ARGV[1])",
	"error('boom ' .. ARGV[1])",
	"error({err = 'CUSTOM ' .. ARGV[1]})",
	"return redis.call('incr', KEYS[1], 'extra')",
	"return redis.call('nosuchcommand', KEYS[1])",
	"return redis.pcall('nosuchcommand')",
	"return redis.call('blpop', KEYS[1], 0)",
	"x = 1",
	"return undefined_variable",
	"local ok, e = pcall(function() redis.call('incr', KEYS[1]) end) return {tostring(ok), e}",
	"return math.random(1000)",
	"return {math.random(5, 10), math.floor(math.random() * 1000)}",
	"return redis.sha1hex(ARGV[1])",
	"return cjson.encode({tonumber(ARGV[1]), ARGV[1], true, {1, 2}})",
	"local t = cjson.decode('[' .. ARGV[1] .. ', \"x\", [1,2]]') return {t[1], t[2], t[3][2]}",
	"return cjson.decode(ARGV[2])",
	"return {cmsgpack.unpack(cmsgpack.pack(tonumber(ARGV[1]), ARGV[1], {1, 2}))}",
	"local p = cmsgpack.pack(tonumber(ARGV[1]), ARGV[1]) local h = '' for i = 1, #p do h = h .. string.format('%02x', string.byte(p, i)) end return h",
	"return {struct.unpack('>i2 b', struct.pack('>i2 b', tonumber(ARGV[1]) % 30000, 7))}",
	"return {bit.band(tonumber(ARGV[1]), 255), bit.tohex(tonumber(ARGV[1])), bit.lshift(tonumber(ARGV[1]), 3)}",
	"#!lua flags=no-writes\nreturn redis.call('get', KEYS[1])",
	"#!lua flags=no-writes\nreturn redis.call('set', KEYS[1], ARGV[1])",
	"#!lua\nreturn redis.call('set', KEYS[1], ARGV[1])",
	"#!lua flags=bogus\nreturn 1",
	"return redis.call('select', '1')",
	"redis.call('select', '2') return redis.call('get', KEYS[1])",
	"local n = 0 for i = 1, tonumber(ARGV[1]) % 50 do n = n + i end return n",
}

// functionLibrary is loaded on both servers; FCALLs call its functions.
const functionLibrary = `#!lua name=difflib
redis.register_function('fget', function(keys, args) return redis.call('get', keys[1]) end)
redis.register_function('fincr', function(keys, args) return redis.call('incrby', keys[1], args[1]) end)
redis.register_function{function_name = 'fro', callback = function(keys, args) return redis.call('exists', keys[1]) end, flags = {'no-writes'}}
redis.register_function('ferr', function(keys, args) error('failed ' .. args[1]) end)`

var scriptDiffKeys = []string{"s0", "s1", "s2", "s3"}

func runScriptDiff(t *testing.T, seed int64, ops, proto int) {
	r := rand.New(rand.NewSource(seed))
	red, fer := dialDiff(t, startRedis(t)), dialDiff(t, startFerrite(t))
	var history []string
	exec := func(i int, args []string) {
		rr, err := red.do(args)
		if err != nil {
			t.Fatalf("redis-server: op %d %q: %v (SEED=%d)", i, args, err, seed)
		}
		fr, err := fer.do(args)
		history = append(history, fmt.Sprintf("%5d: %q => %q | %q", i, args, truncReply(rr), truncReply(fr)))
		if len(history) > 15 {
			history = history[1:]
		}
		if err != nil || rr != fr {
			t.Fatalf("SEED=%d RESP%d op %d: reply mismatch (err %v)\nlast commands (redis | ferrite):\n%s", seed, proto, i, err, strings.Join(history, "\n"))
		}
	}
	if proto == 3 {
		for _, c := range []*diffConn{red, fer} {
			if reply, err := c.do([]string{"HELLO", "3"}); err != nil || !strings.HasPrefix(reply, "%") {
				t.Fatalf("%s: HELLO 3 answered %q, %v", c.name, reply, err)
			}
		}
	}
	exec(-1, []string{"FUNCTION", "LOAD", functionLibrary})
	arg := func() string {
		switch r.Intn(6) {
		case 0:
			return strconv.Itoa(r.Intn(2000) - 1000)
		case 1:
			return strconv.FormatFloat(float64(r.Intn(20000)-10000)/8, 'f', -1, 64)
		case 2:
			return "x" + strconv.Itoa(r.Intn(100))
		case 3:
			return "[1,2]"
		case 4:
			return "{\"a\":1}"
		}
		return strconv.Itoa(r.Intn(100))
	}
	key := func() string { return scriptDiffKeys[r.Intn(len(scriptDiffKeys))] }
	for i := 0; i < ops; i++ {
		var args []string
		switch n := r.Intn(100); {
		case n < 75:
			body := scriptTemplates[r.Intn(len(scriptTemplates))]
			cmd := "EVAL"
			if r.Intn(10) == 0 {
				cmd = "EVAL_RO"
			}
			args = []string{cmd, body, "2", key(), key(), arg(), arg()}
		case n < 83:
			body := scriptTemplates[r.Intn(len(scriptTemplates))]
			sha := sha1hex(body)
			if r.Intn(3) == 0 {
				exec(i, []string{"SCRIPT", "LOAD", body})
			}
			args = []string{"EVALSHA", sha, "1", key(), arg(), arg()}
		case n < 86:
			body := scriptTemplates[r.Intn(len(scriptTemplates))]
			args = []string{"SCRIPT", "EXISTS", sha1hex(body), sha1hex(body + " ")}
		case n < 87:
			args = []string{"SCRIPT", "FLUSH"}
		case n < 97:
			fn := []string{"fget", "fincr", "fro", "ferr", "nofunc"}[r.Intn(5)]
			cmd := "FCALL"
			if r.Intn(4) == 0 {
				cmd = "FCALL_RO"
			}
			args = []string{cmd, fn, "1", key(), arg()}
		default:
			args = []string{"GET", key()}
		}
		exec(i, args)
	}
}

func sha1hex(s string) string {
	sum := sha1.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}
