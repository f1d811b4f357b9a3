package server

import (
	"strconv"
	"strings"
	"testing"
)

// bitmapScript covers every command, option and error of the family. Its
// replies were recorded from redis-server 7.0.15 (the script in order on
// an empty server, after HELLO 2 or HELLO 3); in RESP3, OVERFLOW FAIL
// replies null.
func TestBitmapScriptRESP2(t *testing.T) { runReplyScript(t, 2, bitmapScript) }
func TestBitmapScriptRESP3(t *testing.T) { runReplyScript(t, 3, bitmapScript) }

var bitmapScript = []replyCase{
	{[]string{"flushall"}, "+OK\r\n", ""},
	{[]string{"set", "s", "foo"}, "+OK\r\n", ""},
	{[]string{"bitcount", "s", "0"}, "-ERR syntax error\r\n", ""},
	{[]string{"bitcount", "nokey", "0"}, ":0\r\n", ""},
	{[]string{"bitcount", "nokey", "0", "1", "foo"}, ":0\r\n", ""},
	{[]string{"bitcount", "s", "0", "1", "foo"}, "-ERR syntax error\r\n", ""},
	{[]string{"bitcount", "s", "a", "1"}, "-ERR value is not an integer or out of range\r\n", ""},
	{[]string{"bitcount", "s", "1", "a"}, "-ERR value is not an integer or out of range\r\n", ""},
	{[]string{"bitcount", "s", "0", "1", "bit", "3"}, "-ERR syntax error\r\n", ""},
	{[]string{"bitcount", "s", "0", "-1"}, ":16\r\n", ""},
	{[]string{"bitcount", "s", "0", "-1", "bit"}, ":16\r\n", ""},
	{[]string{"bitcount", "s", "0", "-1", "BYTE"}, ":16\r\n", ""},
	{[]string{"bitcount", "s", "3", "20", "bit"}, ":11\r\n", ""},
	{[]string{"bitcount", "s", "-3", "-20", "bit"}, ":0\r\n", ""},
	{[]string{"bitcount", "s", "-20", "-3", "bit"}, ":12\r\n", ""},
	{[]string{"bitcount", "s", "-5", "-1", "bit"}, ":4\r\n", ""},
	{[]string{"bitcount", "s", "1", "1", "bit"}, ":1\r\n", ""},
	{[]string{"bitcount", "s", "0", "0"}, ":4\r\n", ""},
	{[]string{"bitcount", "s"}, ":16\r\n", ""},
	{[]string{"bitpos", "s", "2"}, "-ERR The bit argument must be 1 or 0.\r\n", ""},
	{[]string{"bitpos", "s", "x"}, "-ERR value is not an integer or out of range\r\n", ""},
	{[]string{"bitpos", "s", "-1"}, "-ERR The bit argument must be 1 or 0.\r\n", ""},
	{[]string{"bitpos", "nokey", "1", "0", "1", "BIT"}, ":-1\r\n", ""},
	{[]string{"bitpos", "nokey", "0", "0", "1", "BIT"}, ":0\r\n", ""},
	{[]string{"bitpos", "nokey", "1", "x"}, ":-1\r\n", ""},
	{[]string{"bitpos", "nokey", "0", "0", "1", "bit", "x"}, ":0\r\n", ""},
	{[]string{"bitpos", "s", "1", "0", "1", "xx"}, "-ERR syntax error\r\n", ""},
	{[]string{"bitpos", "s", "1", "0", "BIT"}, "-ERR value is not an integer or out of range\r\n", ""},
	{[]string{"bitpos", "s", "1", "0", "1", "BIT", "2"}, "-ERR syntax error\r\n", ""},
	{[]string{"bitpos", "s", "1"}, ":1\r\n", ""},
	{[]string{"bitpos", "s", "0"}, ":0\r\n", ""},
	{[]string{"bitpos", "s", "0", "1"}, ":8\r\n", ""},
	{[]string{"bitpos", "s", "0", "1", "2"}, ":8\r\n", ""},
	{[]string{"bitpos", "s", "0", "1", "2", "bit"}, ":-1\r\n", ""},
	{[]string{"bitpos", "s", "1", "5", "12", "bit"}, ":5\r\n", ""},
	{[]string{"bitpos", "s", "0", "5", "12", "bit"}, ":7\r\n", ""},
	{[]string{"bitpos", "s", "1", "-5", "-1", "bit"}, ":20\r\n", ""},
	{[]string{"bitpos", "s", "0", "-5", "-1", "bit"}, ":19\r\n", ""},
	{[]string{"set", "ones", "\xff\xff\xff"}, "+OK\r\n", ""},
	{[]string{"bitpos", "ones", "0"}, ":24\r\n", ""},
	{[]string{"bitpos", "ones", "0", "1"}, ":24\r\n", ""},
	{[]string{"bitpos", "ones", "0", "1", "-1"}, ":-1\r\n", ""},
	{[]string{"bitpos", "ones", "0", "0", "-1", "bit"}, ":-1\r\n", ""},
	{[]string{"bitpos", "ones", "1", "2"}, ":16\r\n", ""},
	{[]string{"bitpos", "ones", "1", "3"}, ":-1\r\n", ""},
	{[]string{"set", "e", ""}, "+OK\r\n", ""},
	{[]string{"bitpos", "e", "0"}, ":-1\r\n", ""},
	{[]string{"bitpos", "e", "1"}, ":-1\r\n", ""},
	{[]string{"bitcount", "e"}, ":0\r\n", ""},
	{[]string{"bitcount", "e", "0", "-1"}, ":0\r\n", ""},
	{[]string{"lpush", "l", "a"}, ":1\r\n", ""},
	{[]string{"bitpos", "l", "1", "x"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{[]string{"bitpos", "l", "2"}, "-ERR The bit argument must be 1 or 0.\r\n", ""},
	{[]string{"bitcount", "l", "x"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{[]string{"getbit", "l", "0"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{[]string{"setbit", "l", "0", "1"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{[]string{"bitop", "and", "d", "l"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{[]string{"bitfield", "l", "get", "u8", "0"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{[]string{"bitfield_ro", "l", "get", "u8", "0"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{[]string{"bitfield", "l", "set", "u8", "0", "1"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{[]string{"setbit", "s", "0", "1"}, ":0\r\n", ""},
	{[]string{"object", "encoding", "s"}, "$3\r\nraw\r\n", ""},
	{[]string{"set", "n", "123"}, "+OK\r\n", ""},
	{[]string{"getbit", "n", "2"}, ":1\r\n", ""},
	{[]string{"getbit", "n", "3"}, ":1\r\n", ""},
	{[]string{"bitcount", "n"}, ":10\r\n", ""},
	{[]string{"bitpos", "n", "1"}, ":2\r\n", ""},
	{[]string{"setbit", "n", "1", "1"}, ":0\r\n", ""},
	{[]string{"object", "encoding", "n"}, "$3\r\nraw\r\n", ""},
	{[]string{"get", "n"}, "$3\r\nq23\r\n", ""},
	{[]string{"setbit", "x", "-1", "1"}, "-ERR bit offset is not an integer or out of range\r\n", ""},
	{[]string{"setbit", "x", "a", "1"}, "-ERR bit offset is not an integer or out of range\r\n", ""},
	{[]string{"config", "set", "proto-max-bulk-len", "1048576"}, "+OK\r\n", ""},
	{[]string{"setbit", "x", "8388607", "1"}, ":0\r\n", ""},
	{[]string{"setbit", "x", "8388608", "1"}, "-ERR bit offset is not an integer or out of range\r\n", ""},
	{[]string{"bitfield", "x", "get", "u8", "8388607"}, "*1\r\n:128\r\n", ""},
	{[]string{"bitfield", "x", "get", "u8", "8388608"}, "-ERR bit offset is not an integer or out of range\r\n", ""},
	{[]string{"bitfield", "x", "get", "u8", "#1048575"}, "*1\r\n:1\r\n", ""},
	{[]string{"bitfield", "x", "get", "u8", "#1048576"}, "-ERR bit offset is not an integer or out of range\r\n", ""},
	{[]string{"strlen", "x"}, ":1048576\r\n", ""},
	{[]string{"config", "set", "proto-max-bulk-len", "536870912"}, "+OK\r\n", ""},
	{[]string{"del", "x"}, ":1\r\n", ""},
	{[]string{"setbit", "x", "4294967296", "1"}, "-ERR bit offset is not an integer or out of range\r\n", ""},
	{[]string{"setbit", "x", "0", "2"}, "-ERR bit is not an integer or out of range\r\n", ""},
	{[]string{"setbit", "x", "0", "-1"}, "-ERR bit is not an integer or out of range\r\n", ""},
	{[]string{"setbit", "x", "0", "a"}, "-ERR bit is not an integer or out of range\r\n", ""},
	{[]string{"setbit", "x", "a", "a"}, "-ERR bit offset is not an integer or out of range\r\n", ""},
	{[]string{"setbit", "x", "8", "1"}, ":0\r\n", ""},
	{[]string{"get", "x"}, "$2\r\n\x00\x80\r\n", ""},
	{[]string{"setbit", "x", "8", "1"}, ":1\r\n", ""},
	{[]string{"getbit", "x", "8"}, ":1\r\n", ""},
	{[]string{"getbit", "x", "100"}, ":0\r\n", ""},
	{[]string{"getbit", "x", "-1"}, "-ERR bit offset is not an integer or out of range\r\n", ""},
	{[]string{"getbit", "x", "4294967296"}, "-ERR bit offset is not an integer or out of range\r\n", ""},
	{[]string{"getbit", "nokey", "1"}, ":0\r\n", ""},
	{[]string{"getbit", "x", "abc"}, "-ERR bit offset is not an integer or out of range\r\n", ""},
	{[]string{"flushall"}, "+OK\r\n", ""},
	{[]string{"bitfield", "bf"}, "*0\r\n", ""},
	{[]string{"bitfield", "bf", "get"}, "-ERR syntax error\r\n", ""},
	{[]string{"bitfield", "bf", "get", "u8"}, "-ERR syntax error\r\n", ""},
	{[]string{"bitfield", "bf", "get", "u8", "0"}, "*1\r\n:0\r\n", ""},
	{[]string{"bitfield", "bf", "get", "u64", "0"}, "-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n", ""},
	{[]string{"bitfield", "bf", "get", "i65", "0"}, "-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n", ""},
	{[]string{"bitfield", "bf", "get", "i64", "0"}, "*1\r\n:0\r\n", ""},
	{[]string{"bitfield", "bf", "get", "u63", "0"}, "*1\r\n:0\r\n", ""},
	{[]string{"bitfield", "bf", "get", "u0", "0"}, "-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n", ""},
	{[]string{"bitfield", "bf", "get", "x8", "0"}, "-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n", ""},
	{[]string{"bitfield", "bf", "get", "I8", "0"}, "-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n", ""},
	{[]string{"bitfield", "bf", "get", "i08", "0"}, "-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n", ""},
	{[]string{"bitfield", "bf", "get", "i8", "-1"}, "-ERR bit offset is not an integer or out of range\r\n", ""},
	{[]string{"bitfield", "bf", "get", "i8", "#-1"}, "-ERR bit offset is not an integer or out of range\r\n", ""},
	{[]string{"bitfield", "bf", "get", "i8", "#1"}, "*1\r\n:0\r\n", ""},
	{[]string{"bitfield", "bf", "get", "i8", "##1"}, "-ERR bit offset is not an integer or out of range\r\n", ""},
	{[]string{"bitfield", "bf", "get", "i8", "4294967295"}, "*1\r\n:0\r\n", ""},
	{[]string{"bitfield", "bf", "get", "i8", "4294967296"}, "-ERR bit offset is not an integer or out of range\r\n", ""},
	{[]string{"bitfield", "bf", "get", "i8", "#536870912"}, "-ERR bit offset is not an integer or out of range\r\n", ""},
	{[]string{"bitfield", "bf", "get", "i8", "#536870911"}, "*1\r\n:0\r\n", ""},
	{[]string{"bitfield", "bf", "get", "i64", "#1152921504606846976"}, "*1\r\n:0\r\n", ""},
	{[]string{"bitfield", "bf", "get", "i64", "#2305843009213693952"}, "*1\r\n:0\r\n", ""},
	{[]string{"bitfield", "bf", "set", "i8", "0"}, "-ERR syntax error\r\n", ""},
	{[]string{"bitfield", "bf", "set", "i8", "0", "x"}, "-ERR value is not an integer or out of range\r\n", ""},
	{[]string{"bitfield", "bf", "set", "i8", "0", "99999999999999999999"}, "-ERR value is not an integer or out of range\r\n", ""},
	{[]string{"bitfield", "bf", "overflow"}, "-ERR syntax error\r\n", ""},
	{[]string{"bitfield", "bf", "overflow", "foo", "get", "i8", "0"}, "-ERR Invalid OVERFLOW type specified\r\n", ""},
	{[]string{"bitfield", "bf", "overflow", "wrap"}, "*0\r\n", ""},
	{[]string{"bitfield", "bf", "foo"}, "-ERR syntax error\r\n", ""},
	{[]string{"bitfield", "bf", "get", "i8", "0", "foo"}, "-ERR syntax error\r\n", ""},
	{[]string{"exists", "bf"}, ":0\r\n", ""},
	{[]string{"bitfield", "bf", "set", "i8", "0", "-100", "get", "u8", "0", "get", "i4", "0", "get", "u4", "4", "incrby", "i8", "0", "-100"}, "*5\r\n:0\r\n:156\r\n:-7\r\n:12\r\n:56\r\n", ""},
	{[]string{"get", "bf"}, "$1\r\n8\r\n", ""},
	{[]string{"object", "encoding", "bf"}, "$3\r\nraw\r\n", ""},
	{[]string{"bitfield", "bf", "overflow", "sat", "incrby", "i8", "0", "-100", "incrby", "u8", "8", "300", "incrby", "u8", "8", "-301", "overflow", "fail", "incrby", "i8", "0", "-1", "set", "u2", "100", "7", "get", "u2", "100"}, "*6\r\n:-44\r\n:255\r\n:0\r\n:-45\r\n$-1\r\n:0\r\n", "*6\r\n:-44\r\n:255\r\n:0\r\n:-45\r\n_\r\n:0\r\n"},
	{[]string{"get", "bf"}, "$13\r\n\xd3\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\r\n", ""},
	{[]string{"bitfield", "bf", "overflow", "wrap", "incrby", "u8", "8", "300", "incrby", "i8", "16", "200", "set", "i8", "24", "200", "set", "u8", "32", "300", "set", "u8", "40", "-1", "set", "i64", "48", "-1", "incrby", "i64", "48", "-9223372036854775807"}, "*7\r\n:44\r\n:-56\r\n:0\r\n:0\r\n:0\r\n:0\r\n:-9223372036854775808\r\n", ""},
	{[]string{"bitfield", "bf", "overflow", "sat", "set", "i8", "24", "200", "set", "u8", "32", "300", "set", "u8", "40", "-1", "set", "i8", "16", "-300", "incrby", "i64", "48", "-9223372036854775808", "incrby", "i64", "48", "-2", "incrby", "u63", "0", "9223372036854775807"}, "*7\r\n:-56\r\n:44\r\n:255\r\n:-56\r\n:-9223372036854775808\r\n:-9223372036854775808\r\n:9223372036854775807\r\n", ""},
	{[]string{"bitfield", "bf", "overflow", "fail", "set", "i8", "24", "200", "set", "u8", "32", "300", "set", "u8", "40", "-1", "set", "i8", "16", "-300", "set", "u1", "0", "1", "set", "i1", "0", "1", "set", "i1", "0", "-1", "set", "i1", "0", "-2"}, "*8\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n:1\r\n$-1\r\n:-1\r\n$-1\r\n", "*8\r\n_\r\n_\r\n_\r\n_\r\n:1\r\n_\r\n:-1\r\n_\r\n"},
	{[]string{"bitfield", "bf", "get", "i64", "#0", "get", "i64", "#1", "get", "u63", "1", "get", "i1", "7", "get", "u1", "7", "get", "u5", "#3"}, "*6\r\n:-2\r\n:0\r\n:9223372036854775806\r\n:-1\r\n:1\r\n:31\r\n", ""},
	{[]string{"get", "bf"}, "$14\r\n\xff\xff\xff\xff\xff\xff\xff\xfe\x00\x00\x00\x00\x00\x00\r\n", ""},
	{[]string{"bitfield_ro", "bf", "get", "i8", "0", "get", "u8", "8"}, "*2\r\n:-1\r\n:255\r\n", ""},
	{[]string{"bitfield_ro", "bf", "get", "i8", "0", "set", "u8", "8", "1"}, "-ERR BITFIELD_RO only supports the GET subcommand\r\n", ""},
	{[]string{"bitfield_ro", "bf", "overflow", "fail", "get", "i8", "0"}, "*1\r\n:-1\r\n", ""},
	{[]string{"bitfield_ro", "bf", "incrby", "i8", "0", "1"}, "-ERR BITFIELD_RO only supports the GET subcommand\r\n", ""},
	{[]string{"bitfield_ro", "bf"}, "*0\r\n", ""},
	{[]string{"bitfield_ro", "nokey", "get", "u8", "100"}, "*1\r\n:0\r\n", ""},
	{[]string{"bitfield", "nokey2", "overflow", "fail", "incrby", "u8", "0", "300"}, "*1\r\n$-1\r\n", "*1\r\n_\r\n"},
	{[]string{"exists", "nokey2"}, ":1\r\n", ""},
	{[]string{"get", "nokey2"}, "$1\r\n\x00\r\n", ""},
	{[]string{"bitfield", "n3", "set", "u8", "#2", "65"}, "*1\r\n:0\r\n", ""},
	{[]string{"get", "n3"}, "$3\r\n\x00\x00A\r\n", ""},
	{[]string{"set", "num", "12345"}, "+OK\r\n", ""},
	{[]string{"bitfield", "num", "get", "u8", "0", "get", "i16", "8"}, "*2\r\n:49\r\n:12851\r\n", ""},
	{[]string{"object", "encoding", "num"}, "$3\r\nint\r\n", ""},
	{[]string{"bitfield", "num", "incrby", "u8", "0", "1"}, "*1\r\n:50\r\n", ""},
	{[]string{"object", "encoding", "num"}, "$3\r\nraw\r\n", ""},
	{[]string{"get", "num"}, "$5\r\n22345\r\n", ""},
	{[]string{"bitfield", "bf", "set", "i64", "100", "9223372036854775807", "incrby", "i64", "100", "1", "overflow", "sat", "incrby", "i64", "100", "1"}, "*3\r\n:0\r\n:-9223372036854775808\r\n:-9223372036854775807\r\n", ""},
	{[]string{"bitfield", "bf", "SET", "u8", "0", "255", "INCRBY", "u8", "0", "1", "OVERFLOW", "SAT", "INCRBY", "u8", "0", "1", "Overflow", "Fail", "incrby", "u8", "0", "1", "GET", "u8", "0"}, "*5\r\n:255\r\n:0\r\n:1\r\n:2\r\n:2\r\n", ""},
	{[]string{"set", "a", "\x0f\xf0"}, "+OK\r\n", ""},
	{[]string{"set", "b", "\xff"}, "+OK\r\n", ""},
	{[]string{"bitop", "and", "dest", "a", "b"}, ":2\r\n", ""},
	{[]string{"get", "dest"}, "$2\r\n\x0f\x00\r\n", ""},
	{[]string{"object", "encoding", "dest"}, "$3\r\nraw\r\n", ""},
	{[]string{"bitop", "or", "dest", "a", "b", "nokey"}, ":2\r\n", ""},
	{[]string{"get", "dest"}, "$2\r\n\xff\xf0\r\n", ""},
	{[]string{"bitop", "xor", "dest", "a", "b"}, ":2\r\n", ""},
	{[]string{"get", "dest"}, "$2\r\n\xf0\xf0\r\n", ""},
	{[]string{"bitop", "not", "dest", "a"}, ":2\r\n", ""},
	{[]string{"get", "dest"}, "$2\r\n\xf0\x0f\r\n", ""},
	{[]string{"bitop", "not", "dest", "a", "b"}, "-ERR BITOP NOT must be called with a single source key.\r\n", ""},
	{[]string{"bitop", "not", "dest"}, "-ERR wrong number of arguments for 'bitop' command\r\n", ""},
	{[]string{"bitop", "foo", "dest", "a"}, "-ERR syntax error\r\n", ""},
	{[]string{"bitop", "and", "dest", "nokey", "nokey2"}, ":1\r\n", ""},
	{[]string{"exists", "dest"}, ":1\r\n", ""},
	{[]string{"bitop", "and", "dest", "l", "a"}, ":2\r\n", ""},
	{[]string{"lpush", "l", "x"}, ":1\r\n", ""},
	{[]string{"bitop", "and", "dest", "nokey", "l"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{[]string{"bitop", "or", "dest", "a", "l"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{[]string{"bitop", "And", "dest"}, "-ERR wrong number of arguments for 'bitop' command\r\n", ""},
	{[]string{"set", "dest", "x"}, "+OK\r\n", ""},
	{[]string{"expire", "dest", "100"}, ":1\r\n", ""},
	{[]string{"bitop", "or", "dest", "a"}, ":2\r\n", ""},
	{[]string{"ttl", "dest"}, ":-1\r\n", ""},
	{[]string{"set", "num", "12"}, "+OK\r\n", ""},
	{[]string{"bitop", "or", "dest", "num"}, ":2\r\n", ""},
	{[]string{"get", "dest"}, "$2\r\n12\r\n", ""},
	{[]string{"bitop", "and", "dest", "a", "nokey"}, ":2\r\n", ""},
	{[]string{"get", "dest"}, "$2\r\n\x00\x00\r\n", ""},
	{[]string{"bitop", "xor", "dest", "dest", "dest"}, ":2\r\n", ""},
	{[]string{"get", "dest"}, "$2\r\n\x00\x00\r\n", ""},
	{[]string{"set", "w", "1"}, "+OK\r\n", ""},
	{[]string{"lpush", "wl", "1"}, ":1\r\n", ""},
	{[]string{"bitop", "or", "w", "wl"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{[]string{"get", "w"}, "$1\r\n1\r\n", ""},
	{[]string{"bitop", "or", "l", "a"}, ":2\r\n", ""},
	{[]string{"type", "l"}, "+string\r\n", ""},
	{[]string{"flushall"}, "+OK\r\n", ""},
	{[]string{"setbit", "k", "0", "0"}, ":0\r\n", ""},
	{[]string{"setbit", "k", "0", "0"}, ":0\r\n", ""},
	{[]string{"setbit", "k", "0", "1"}, ":0\r\n", ""},
	{[]string{"setbit", "k", "100", "0"}, ":0\r\n", ""},
	{[]string{"bitfield", "k", "set", "u8", "0", "128"}, "*1\r\n:128\r\n", ""},
	{[]string{"bitfield", "k", "set", "u8", "0", "128", "set", "u8", "0", "128", "get", "u8", "0"}, "*3\r\n:128\r\n:128\r\n:128\r\n", ""},
	{[]string{"bitfield", "k", "overflow", "fail", "incrby", "u8", "0", "300"}, "*1\r\n$-1\r\n", "*1\r\n_\r\n"},
	{[]string{"bitfield", "k2", "overflow", "fail", "incrby", "u8", "0", "300"}, "*1\r\n$-1\r\n", "*1\r\n_\r\n"},
	{[]string{"bitfield", "k3", "get", "u8", "0"}, "*1\r\n:0\r\n", ""},
	{[]string{"bitop", "and", "d", "k"}, ":13\r\n", ""},
	{[]string{"bitop", "and", "d", "nokey"}, ":0\r\n", ""},
	{[]string{"bitop", "and", "d", "nokey"}, ":0\r\n", ""},
	{[]string{"bitop", "or", "d", "k", "k"}, ":13\r\n", ""},
	{[]string{"setbit", "k", "5", "x"}, "-ERR bit is not an integer or out of range\r\n", ""},
	{[]string{"bitfield", "k", "overflow", "fail", "incrby", "u8", "0", "300", "get", "i8", "0"}, "*2\r\n$-1\r\n:-128\r\n", "*2\r\n_\r\n:-128\r\n"},
	{[]string{"bitfield", "k3", "overflow", "fail", "incrby", "u8", "0", "300", "get", "i8", "0"}, "*2\r\n$-1\r\n:0\r\n", "*2\r\n_\r\n:0\r\n"},
	{[]string{"bitfield_ro", "k", "get", "i8", "0"}, "*1\r\n:-128\r\n", ""},
	{[]string{"bitpos", "k", "0"}, ":1\r\n", ""},
	{[]string{"bitcount", "k"}, ":1\r\n", ""},
	{[]string{"setbit", "k", "0", "0"}, ":1\r\n", ""},
	{[]string{"bitcount", "k"}, ":0\r\n", ""},
}

// TestBitmapDirty checks which writes count as changes (and so propagate):
// the deltas of rdb_changes_since_last_save redis-server 7.0.15 showed.
func TestBitmapDirty(t *testing.T) {
	c := dial(t, startServer(t))
	dirty := func() int {
		info := c.Do("INFO", "persistence")
		i := strings.Index(info, "rdb_changes_since_last_save:")
		if i < 0 {
			t.Fatalf("no rdb_changes_since_last_save in %q", info)
		}
		n, _ := strconv.Atoi(strings.SplitN(info[i+len("rdb_changes_since_last_save:"):], "\r\n", 2)[0])
		return n
	}
	for _, step := range []struct {
		args  string
		delta int
	}{
		{"setbit k 0 0", 1}, // creates the key
		{"setbit k 0 0", 0},
		{"setbit k 0 1", 1},
		{"setbit k 100 0", 1}, // grows the string
		{"setbit k 100 0", 0},
		{"bitfield k set u8 0 128", 0},
		{"bitfield k set u8 0 129 set u8 0 129 incrby u8 0 2", 2},
		{"bitfield k overflow fail incrby u8 0 300", 0},
		{"bitfield k2 overflow fail incrby u8 0 300", 0}, // creates k2 all the same
		{"bitfield k3 get u8 0", 0},
		{"bitfield k set u8 200 0", 1},
		{"bitop and d k", 1},
		{"bitop and d nokey", 1}, // deletes d
		{"bitop and d nokey", 0},
		{"bitop or d k k", 1},
	} {
		before := dirty()
		c.Do(strings.Fields(step.args)...)
		if got := dirty() - before; got != step.delta {
			t.Errorf("%s: %d changes, want %d", step.args, got, step.delta)
		}
	}
	c.expect("$1\r\n\x00\r\n", "GET", "k2")
}

// TestBitmapArgumentOrder pins the order in which 7.0.15 looks at things:
// the key before the range (a missing key answers whatever follows), and
// BITCOUNT's empty negative range before its unit.
func TestBitmapArgumentOrder(t *testing.T) {
	c := dial(t, startServer(t))
	c.expect("+OK\r\n", "SET", "s", "foobar")
	for _, step := range []struct {
		args string
		want string
	}{
		{"BITCOUNT s -1 -2 bits", ":0\r\n"},
		{"BITCOUNT s -1 -2 x", ":0\r\n"},
		{"BITCOUNT s 1 2 bits", "-ERR syntax error\r\n"},
		{"BITCOUNT s -2 -1 bits", "-ERR syntax error\r\n"},
		{"BITPOS s 0 -1 -2 bits", "-ERR syntax error\r\n"},
		{"BITPOS s 1 2 1", ":-1\r\n"},
		{"BITPOS missing 1 0 1 bits", ":-1\r\n"},
		{"BITPOS missing 0 a", ":0\r\n"},
		{"BITCOUNT missing 1", ":0\r\n"},
		{"BITOP or d missing missing2", ":0\r\n"},
	} {
		c.expect(step.want, strings.Fields(step.args)...)
	}
}
