package server

import (
	"bufio"
	"fmt"
	"math/rand"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// streamScript is one session of stream commands with the exact replies
// of redis-server 7.0.15 in RESP2 and, where they differ, RESP3 (""
// means the same bytes). The expectations were taken from a real
// redis-server; TestStreamScriptMatchesRedis re-checks them there.
var streamScript = [][]string{
	{"+OK\r\n", "", "flushall"},
	// IDs: explicit, ms-*, and the lax forms Redis's string2ull accepts
	{"$3\r\n1-1\r\n", "", "xadd", "s", "1-1", "a", "1"},
	{"$3\r\n1-2\r\n", "", "xadd", "s", "1-*", "a", "2"},
	{"-ERR The ID specified in XADD must be greater than 0-0\r\n", "", "xadd", "s", "0-0", "a", "1"},
	{"-ERR The ID specified in XADD must be greater than 0-0\r\n", "", "xadd", "s2", "0-0", "a", "1"},
	{":0\r\n", "", "exists", "s2"},
	{"-ERR The ID specified in XADD is equal or smaller than the target stream top item\r\n", "", "xadd", "s", "1", "a", "1"},
	{"$22\r\n1-18446744073709551614\r\n", "", "xadd", "s", "1--02", "a", "b"},
	{"$3\r\n7-0\r\n", "", "xadd", "s", " 7", "a", "b"},
	{"$3\r\n8-1\r\n", "", "xadd", "s", "+8-1", "a", "b"},
	{"$3\r\n9-0\r\n", "", "xadd", "s", "09", "a", "b"},
	{"-ERR Invalid stream ID specified as stream command argument\r\n", "", "xadd", "s", "-03", "a", "b"},
	{"-ERR Invalid stream ID specified as stream command argument\r\n", "", "xadd", "s", "18446744073709551616", "a", "b"},
	{"$4\r\n10-5\r\n", "", "xadd", "s", "10-5", "f1", "v1", "f2", "v2"},
	{"$4\r\n10-6\r\n", "", "xadd", "s", "10-6", "f1", "v1", "f2", "v2"},
	{"$4\r\n10-7\r\n", "", "xadd", "s", "10-7", "f1", "v1"},
	{"$4\r\n10-8\r\n", "", "xadd", "s", "10-8", "123", "-5", "x", "99999999999"},
	// option errors
	{"-ERR syntax error, LIMIT cannot be used without the special ~ option\r\n", "", "xadd", "s", "limit", "0", "*", "a", "b"},
	{"-ERR syntax error, LIMIT cannot be used without specifying a trimming strategy\r\n", "", "xadd", "s", "limit", "5", "6", "a", "b"},
	{"-ERR syntax error, LIMIT cannot be used without the special ~ option\r\n", "", "xadd", "s", "maxlen", "5", "limit", "2", "*", "a", "b"},
	{"-ERR The LIMIT argument must be >= 0.\r\n", "", "xadd", "s", "maxlen", "~", "5", "limit", "-1", "*", "a", "b"},
	{"-ERR The MAXLEN argument must be >= 0.\r\n", "", "xadd", "s", "maxlen", "-1", "*", "a", "b"},
	{"-ERR syntax error, MAXLEN and MINID options at the same time are not compatible\r\n", "", "xadd", "s", "maxlen", "1", "minid", "5", "*", "a", "b"},
	{"-ERR value is not an integer or out of range\r\n", "", "xadd", "s", "maxlen", "x", "*", "a", "b"},
	{"-ERR Invalid stream ID specified as stream command argument\r\n", "", "xadd", "s", "minid", "x", "*", "a", "b"},
	{"-ERR Invalid stream ID specified as stream command argument\r\n", "", "xadd", "s", "minid", "-", "*", "a", "b"},
	{"-ERR wrong number of arguments for 'xadd' command\r\n", "", "xadd", "s", "nomkstream", "5"},
	{"-ERR wrong number of arguments for 'xadd' command\r\n", "", "xadd", "s", "5", "a"},
	{"$-1\r\n", "_\r\n", "xadd", "nokey", "nomkstream", "5", "a", "b"},
	{":0\r\n", "", "exists", "nokey"},
	// ranges
	{"*10\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n1-2\r\n*2\r\n$1\r\na\r\n$1\r\n2\r\n*2\r\n$22\r\n1-18446744073709551614\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n*2\r\n$3\r\n7-0\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n*2\r\n$3\r\n8-1\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n*2\r\n$3\r\n9-0\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n*2\r\n$4\r\n10-5\r\n*4\r\n$2\r\nf1\r\n$2\r\nv1\r\n$2\r\nf2\r\n$2\r\nv2\r\n*2\r\n$4\r\n10-6\r\n*4\r\n$2\r\nf1\r\n$2\r\nv1\r\n$2\r\nf2\r\n$2\r\nv2\r\n*2\r\n$4\r\n10-7\r\n*2\r\n$2\r\nf1\r\n$2\r\nv1\r\n*2\r\n$4\r\n10-8\r\n*4\r\n$3\r\n123\r\n$2\r\n-5\r\n$1\r\nx\r\n$11\r\n99999999999\r\n", "", "xrange", "s", "-", "+"},
	{"*10\r\n*2\r\n$4\r\n10-8\r\n*4\r\n$3\r\n123\r\n$2\r\n-5\r\n$1\r\nx\r\n$11\r\n99999999999\r\n*2\r\n$4\r\n10-7\r\n*2\r\n$2\r\nf1\r\n$2\r\nv1\r\n*2\r\n$4\r\n10-6\r\n*4\r\n$2\r\nf1\r\n$2\r\nv1\r\n$2\r\nf2\r\n$2\r\nv2\r\n*2\r\n$4\r\n10-5\r\n*4\r\n$2\r\nf1\r\n$2\r\nv1\r\n$2\r\nf2\r\n$2\r\nv2\r\n*2\r\n$3\r\n9-0\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n*2\r\n$3\r\n8-1\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n*2\r\n$3\r\n7-0\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n*2\r\n$22\r\n1-18446744073709551614\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n*2\r\n$3\r\n1-2\r\n*2\r\n$1\r\na\r\n$1\r\n2\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n", "", "xrevrange", "s", "+", "-"},
	{"*2\r\n*2\r\n$4\r\n10-8\r\n*4\r\n$3\r\n123\r\n$2\r\n-5\r\n$1\r\nx\r\n$11\r\n99999999999\r\n*2\r\n$4\r\n10-7\r\n*2\r\n$2\r\nf1\r\n$2\r\nv1\r\n", "", "xrevrange", "s", "+", "-", "count", "2"},
	{"*6\r\n*2\r\n$22\r\n1-18446744073709551614\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n*2\r\n$3\r\n7-0\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n*2\r\n$3\r\n8-1\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n*2\r\n$3\r\n9-0\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n*2\r\n$4\r\n10-5\r\n*4\r\n$2\r\nf1\r\n$2\r\nv1\r\n$2\r\nf2\r\n$2\r\nv2\r\n*2\r\n$4\r\n10-6\r\n*4\r\n$2\r\nf1\r\n$2\r\nv1\r\n$2\r\nf2\r\n$2\r\nv2\r\n", "", "xrange", "s", "(1-2", "(10-7"},
	{"*6\r\n*2\r\n$4\r\n10-6\r\n*4\r\n$2\r\nf1\r\n$2\r\nv1\r\n$2\r\nf2\r\n$2\r\nv2\r\n*2\r\n$4\r\n10-5\r\n*4\r\n$2\r\nf1\r\n$2\r\nv1\r\n$2\r\nf2\r\n$2\r\nv2\r\n*2\r\n$3\r\n9-0\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n*2\r\n$3\r\n8-1\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n*2\r\n$3\r\n7-0\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n*2\r\n$22\r\n1-18446744073709551614\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n", "", "xrevrange", "s", "(10-7", "(1-2"},
	{"*4\r\n*2\r\n$4\r\n10-5\r\n*4\r\n$2\r\nf1\r\n$2\r\nv1\r\n$2\r\nf2\r\n$2\r\nv2\r\n*2\r\n$4\r\n10-6\r\n*4\r\n$2\r\nf1\r\n$2\r\nv1\r\n$2\r\nf2\r\n$2\r\nv2\r\n*2\r\n$4\r\n10-7\r\n*2\r\n$2\r\nf1\r\n$2\r\nv1\r\n*2\r\n$4\r\n10-8\r\n*4\r\n$3\r\n123\r\n$2\r\n-5\r\n$1\r\nx\r\n$11\r\n99999999999\r\n", "", "xrange", "s", "10", "10"},
	{"*1\r\n*2\r\n$4\r\n10-6\r\n*4\r\n$2\r\nf1\r\n$2\r\nv1\r\n$2\r\nf2\r\n$2\r\nv2\r\n", "", "xrange", "s", "10-6", "10-6"},
	{"*-1\r\n", "_\r\n", "xrange", "s", "-", "+", "count", "0"},
	{"*0\r\n", "", "xrange", "nokey", "-", "+", "count", "0"},
	{"*-1\r\n", "_\r\n", "xrange", "s", "-", "+", "count", "-1"},
	{"*2\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n1-2\r\n*2\r\n$1\r\na\r\n$1\r\n2\r\n", "", "xrange", "s", "-", "+", "count", "0", "count", "2"},
	{"-ERR Invalid stream ID specified as stream command argument\r\n", "", "xrange", "s", "(-", "+"},
	{"-ERR invalid start ID for the interval\r\n", "", "xrange", "s", "(18446744073709551615-18446744073709551615", "+"},
	{"-ERR invalid end ID for the interval\r\n", "", "xrange", "s", "-", "(0-0"},
	{"-ERR syntax error\r\n", "", "xrange", "s", "-", "+", "foo"},
	{"-ERR Invalid stream ID specified as stream command argument\r\n", "", "xrange", "nokey", "x", "+"},
	{"-ERR syntax error\r\n", "", "xrange", "s", "1", "2", "count"},
	{"-ERR value is not an integer or out of range\r\n", "", "xrange", "s", "1", "2", "count", "x"},
	{":10\r\n", "", "xlen", "s"},
	{":0\r\n", "", "xlen", "nokey"},
	// XREAD
	{"-ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.\r\n", "", "xread", "count", "1", "streams", "s", "s2", "0", "0", "0"},
	{"-ERR timeout is negative\r\n", "", "xread", "block", "-1", "streams", "s", "0"},
	{"-ERR timeout is not an integer or out of range\r\n", "", "xread", "block", "1.5", "streams", "s", "0"},
	{"-ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.\r\n", "", "xread", "streams", "s", ">"},
	{"-ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.\r\n", "", "xread", "group", "a", "b", "streams", "s", "0"},
	{"-ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.\r\n", "", "xread", "noack", "streams", "s", "0"},
	{"-ERR syntax error\r\n", "", "xread", "foo", "streams", "s", "0"},
	{"*-1\r\n", "_\r\n", "xread", "streams", "s", "$"},
	{"*1\r\n*2\r\n$1\r\ns\r\n*2\r\n*2\r\n$4\r\n10-7\r\n*2\r\n$2\r\nf1\r\n$2\r\nv1\r\n*2\r\n$4\r\n10-8\r\n*4\r\n$3\r\n123\r\n$2\r\n-5\r\n$1\r\nx\r\n$11\r\n99999999999\r\n", "%1\r\n$1\r\ns\r\n*2\r\n*2\r\n$4\r\n10-7\r\n*2\r\n$2\r\nf1\r\n$2\r\nv1\r\n*2\r\n$4\r\n10-8\r\n*4\r\n$3\r\n123\r\n$2\r\n-5\r\n$1\r\nx\r\n$11\r\n99999999999\r\n", "xread", "streams", "s", "10-6"},
	{"*1\r\n*2\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n1-2\r\n*2\r\n$1\r\na\r\n$1\r\n2\r\n", "%1\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n1-2\r\n*2\r\n$1\r\na\r\n$1\r\n2\r\n", "xread", "count", "2", "streams", "s", "0"},
	{"*1\r\n*2\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n1-2\r\n*2\r\n$1\r\na\r\n$1\r\n2\r\n", "%1\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n1-2\r\n*2\r\n$1\r\na\r\n$1\r\n2\r\n", "xread", "count", "2", "streams", "s", "nokey", "0", "0"},
	{"*1\r\n*2\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n1-2\r\n*2\r\n$1\r\na\r\n$1\r\n2\r\n", "%1\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n1-2\r\n*2\r\n$1\r\na\r\n$1\r\n2\r\n", "xread", "count", "2", "streams", "nokey", "s", "0", "0"},
	{"*2\r\n*2\r\n$1\r\ns\r\n*2\r\n*2\r\n$4\r\n10-7\r\n*2\r\n$2\r\nf1\r\n$2\r\nv1\r\n*2\r\n$4\r\n10-8\r\n*4\r\n$3\r\n123\r\n$2\r\n-5\r\n$1\r\nx\r\n$11\r\n99999999999\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$4\r\n10-8\r\n*4\r\n$3\r\n123\r\n$2\r\n-5\r\n$1\r\nx\r\n$11\r\n99999999999\r\n", "%2\r\n$1\r\ns\r\n*2\r\n*2\r\n$4\r\n10-7\r\n*2\r\n$2\r\nf1\r\n$2\r\nv1\r\n*2\r\n$4\r\n10-8\r\n*4\r\n$3\r\n123\r\n$2\r\n-5\r\n$1\r\nx\r\n$11\r\n99999999999\r\n$1\r\ns\r\n*1\r\n*2\r\n$4\r\n10-8\r\n*4\r\n$3\r\n123\r\n$2\r\n-5\r\n$1\r\nx\r\n$11\r\n99999999999\r\n", "xread", "streams", "s", "s", "10-6", "10-7"},
	{"-ERR Invalid stream ID specified as stream command argument\r\n", "", "xread", "streams", "s", "bad"},
	{"-ERR Invalid stream ID specified as stream command argument\r\n", "", "xread", "streams", "s", "-"},
	{"*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$4\r\n10-8\r\n*4\r\n$3\r\n123\r\n$2\r\n-5\r\n$1\r\nx\r\n$11\r\n99999999999\r\n", "%1\r\n$1\r\ns\r\n*1\r\n*2\r\n$4\r\n10-8\r\n*4\r\n$3\r\n123\r\n$2\r\n-5\r\n$1\r\nx\r\n$11\r\n99999999999\r\n", "xread", "count", "-5", "streams", "s", "10-7"},
	// wrong type
	{"+OK\r\n", "", "set", "str", "x"},
	{"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "", "xread", "streams", "str", "0"},
	{"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "", "xadd", "str", "*", "a", "b"},
	{"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "", "xrange", "str", "-", "+"},
	{"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "", "xlen", "str"},
	{"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "", "xdel", "str", "1"},
	{"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "", "xtrim", "str", "maxlen", "1"},
	{"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", "", "xsetid", "str", "1"},
	// XDEL and XTRIM
	{":0\r\n", "", "xdel", "nokey", "bad"},
	{"-ERR Invalid stream ID specified as stream command argument\r\n", "", "xdel", "s", "bad"},
	{"-ERR syntax error, LIMIT cannot be used without specifying a trimming strategy\r\n", "", "xtrim", "s", "limit", "5"},
	{"-ERR syntax error\r\n", "", "xtrim", "s", "foo", "bar"},
	{"-ERR value is not an integer or out of range\r\n", "", "xtrim", "nokey", "maxlen", "x"},
	{"-ERR syntax error, LIMIT cannot be used without the special ~ option\r\n", "", "xtrim", "nokey", "maxlen", "1", "limit", "3"},
	{":0\r\n", "", "xtrim", "nokey", "maxlen", "1"},
	{":2\r\n", "", "xdel", "s", "1-1", "1-2", "1-2", "5"},
	{"*8\r\n*2\r\n$22\r\n1-18446744073709551614\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n*2\r\n$3\r\n7-0\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n*2\r\n$3\r\n8-1\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n*2\r\n$3\r\n9-0\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n*2\r\n$4\r\n10-5\r\n*4\r\n$2\r\nf1\r\n$2\r\nv1\r\n$2\r\nf2\r\n$2\r\nv2\r\n*2\r\n$4\r\n10-6\r\n*4\r\n$2\r\nf1\r\n$2\r\nv1\r\n$2\r\nf2\r\n$2\r\nv2\r\n*2\r\n$4\r\n10-7\r\n*2\r\n$2\r\nf1\r\n$2\r\nv1\r\n*2\r\n$4\r\n10-8\r\n*4\r\n$3\r\n123\r\n$2\r\n-5\r\n$1\r\nx\r\n$11\r\n99999999999\r\n", "", "xrange", "s", "-", "+"},
	{":5\r\n", "", "xtrim", "s", "maxlen", "3"},
	{"*3\r\n*2\r\n$4\r\n10-6\r\n*4\r\n$2\r\nf1\r\n$2\r\nv1\r\n$2\r\nf2\r\n$2\r\nv2\r\n*2\r\n$4\r\n10-7\r\n*2\r\n$2\r\nf1\r\n$2\r\nv1\r\n*2\r\n$4\r\n10-8\r\n*4\r\n$3\r\n123\r\n$2\r\n-5\r\n$1\r\nx\r\n$11\r\n99999999999\r\n", "", "xrange", "s", "-", "+"},
	{":2\r\n", "", "xtrim", "s", "minid", "10-8"},
	{"*1\r\n*2\r\n$4\r\n10-8\r\n*4\r\n$3\r\n123\r\n$2\r\n-5\r\n$1\r\nx\r\n$11\r\n99999999999\r\n", "", "xrange", "s", "-", "+"},
	{":1\r\n", "", "xtrim", "s", "maxlen", "~", "0"},
	{":0\r\n", "", "xtrim", "s", "maxlen", "~", "0", "limit", "0"},
	{":1\r\n", "", "exists", "s"},
	// XSETID
	{"$4\r\n10-9\r\n", "", "xadd", "s", "10-9", "a", "b"},
	{":1\r\n", "", "xdel", "s", "10-9"},
	{"+OK\r\n", "", "xsetid", "s", "5"},
	{"+OK\r\n", "", "xsetid", "s", "10-8"},
	{"-ERR no such key\r\n", "", "xsetid", "nokey", "5"},
	{"-ERR entries_added must be positive\r\n", "", "xsetid", "s", "1-0", "entriesadded", "-1"},
	{"+OK\r\n", "", "xsetid", "s", "99999", "entriesadded", "1"},
	{"-ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id\r\n", "", "xsetid", "s", "99999", "maxdeletedid", "999999"},
	{"-ERR Invalid stream ID specified as stream command argument\r\n", "", "xsetid", "s", "x"},
	{"-ERR syntax error\r\n", "", "xsetid", "s", "99999", "foo"},
	{"-ERR syntax error\r\n", "", "xsetid", "s", "99999", "entriesadded"},
	{"+OK\r\n", "", "xsetid", "s", "99999", "entriesadded", "100", "maxdeletedid", "5"},
	{"+OK\r\n", "", "xsetid", "s", "6", "maxdeletedid", "1"},
	{"$7\r\n99999-0\r\n", "", "xadd", "s", "99999", "a", "b"},
	{"$7\r\n99999-1\r\n", "", "xadd", "s", "99999-*", "a", "b"},
	{"+OK\r\n", "", "xsetid", "s", "18446744073709551615-18446744073709551615"},
	{"-ERR The stream has exhausted the last possible ID, unable to add more items\r\n", "", "xadd", "s", "*", "a", "b"},
	{"-ERR The stream has exhausted the last possible ID, unable to add more items\r\n", "", "xadd", "s", "18446744073709551615-*", "a", "b"},
	{":2\r\n", "", "xdel", "s", "99999-0", "99999-1"},
	{":0\r\n", "", "xlen", "s"},
	{":1\r\n", "", "exists", "s"},
	{"+stream\r\n", "", "type", "s"},
	{"$6\r\nstream\r\n", "", "object", "encoding", "s"},
}

func runStreamScript(t *testing.T, c *testConn, proto int) {
	t.Helper()
	if proto == 3 {
		if got := c.Do("HELLO", "3"); !strings.HasPrefix(got, "%") {
			t.Fatalf("HELLO 3: %q", got)
		}
	}
	for _, row := range streamScript {
		want := row[0]
		if proto == 3 && row[1] != "" {
			want = row[1]
		}
		c.expect(want, row[2:]...)
	}
}

func TestStreamScript(t *testing.T) {
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			runStreamScript(t, dial(t, startServer(t)), proto)
		})
	}
}

// TestStreamScriptMatchesRedis keeps streamScript honest: the same
// session against a real redis-server gives the recorded bytes.
func TestStreamScriptMatchesRedis(t *testing.T) {
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			runStreamScript(t, startRedis(t), proto)
		})
	}
}

// streamTarget is a server the blocking tests run against: Ferrite, or a
// real redis-server when installed, so each expectation is checked on both.
type streamTarget struct {
	name    string
	dial    func() *testConn
	blocked func(n int) // waits until n clients are blocked
}

func streamTargets(t *testing.T) []streamTarget {
	s := startServer(t)
	targets := []streamTarget{{"ferrite", func() *testConn { return dial(t, s) }, func(n int) { waitBlockedClients(t, s, n) }}}
	if r := startRedisIfInstalled(t); r != nil {
		addr := r.conn.RemoteAddr().String()
		dialRedis := func() *testConn {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { conn.Close() })
			return &testConn{t: t, conn: conn, r: bufio.NewReader(conn)}
		}
		targets = append(targets, streamTarget{"redis", dialRedis, func(n int) {
			want := "blocked_clients:" + strconv.Itoa(n) + "\r\n"
			for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
				if strings.Contains(r.Do("INFO", "clients"), want) {
					return
				}
			}
			t.Fatalf("redis: blocked clients never reached %d", n)
		}})
	}
	return targets
}

// startRedisIfInstalled is startRedis, or nil without a redis-server.
func startRedisIfInstalled(t *testing.T) *testConn {
	if _, err := exec.LookPath("redis-server"); err != nil {
		return nil
	}
	return startRedis(t)
}

const entry2 = "*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n"

func TestStreamXreadBlocking(t *testing.T) {
	for _, tg := range streamTargets(t) {
		t.Run(tg.name, func(t *testing.T) {
			a, b := tg.dial(), tg.dial()
			b.Do("FLUSHALL")

			// Timeout: a null array, RESP2 and RESP3.
			a.expect("*-1\r\n", "XREAD", "BLOCK", "30", "STREAMS", "s", "$")
			a.Do("HELLO", "3")
			a.expect("_\r\n", "XREAD", "BLOCK", "30", "STREAMS", "s", "$")
			a.Do("HELLO", "2")

			// "$" is the last ID when blocking: the entry already there
			// is not returned, the one added later is.
			b.expect("$3\r\n1-0\r\n", "XADD", "s", "1-0", "f", "v")
			a.Send("XREAD", "BLOCK", "0", "STREAMS", "s", "$")
			tg.blocked(1)
			b.expect("$3\r\n2-0\r\n", "XADD", "s", "2-0", "f", "v")
			if got, want := a.Read(), "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n"+entry2; got != want {
				t.Errorf("woken XREAD: %q, want %q", got, want)
			}

			// RESP3: a map of one stream.
			a.Do("HELLO", "3")
			a.Send("XREAD", "BLOCK", "0", "STREAMS", "s", "$")
			tg.blocked(1)
			b.expect("$3\r\n3-0\r\n", "XADD", "s", "3-0", "f", "v")
			if got, want := a.Read(), "%1\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n"; got != want {
				t.Errorf("woken XREAD in RESP3: %q, want %q", got, want)
			}
			a.Do("HELLO", "2")

			// Several keys: only the one that got data is in the reply.
			a.Send("XREAD", "BLOCK", "0", "STREAMS", "k1", "k2", "$", "$")
			tg.blocked(1)
			b.expect("$3\r\n2-0\r\n", "XADD", "k2", "2-0", "f", "v")
			if got, want := a.Read(), "*1\r\n*2\r\n$2\r\nk2\r\n*1\r\n"+entry2; got != want {
				t.Errorf("several keys: %q, want %q", got, want)
			}

			// MULTI/EXEC: served once EXEC is done, with both entries;
			// two readers blocked on the same key are both served.
			c := tg.dial()
			a.Send("XREAD", "BLOCK", "0", "STREAMS", "m", "$")
			c.Send("XREAD", "COUNT", "1", "BLOCK", "0", "STREAMS", "m", "$")
			tg.blocked(2)
			b.Do("MULTI")
			b.Do("XADD", "m", "1-0", "a", "1")
			b.Do("XADD", "m", "2-0", "a", "2")
			b.expect("*2\r\n$3\r\n1-0\r\n$3\r\n2-0\r\n", "EXEC")
			e1 := "*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"
			e2 := "*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\na\r\n$1\r\n2\r\n"
			if got, want := a.Read(), "*1\r\n*2\r\n$1\r\nm\r\n*2\r\n"+e1+e2; got != want {
				t.Errorf("after EXEC: %q, want %q", got, want)
			}
			if got, want := c.Read(), "*1\r\n*2\r\n$1\r\nm\r\n*1\r\n"+e1; got != want {
				t.Errorf("after EXEC with COUNT 1: %q, want %q", got, want)
			}

			// Blocked past the last ID: an XADD below it does not serve
			// the reader; one above does.
			a.Send("XREAD", "BLOCK", "0", "STREAMS", "m", "100-0")
			tg.blocked(1)
			b.Do("XADD", "m", "50-0", "a", "1")
			b.Do("PING")
			tg.blocked(1)
			b.Do("XADD", "m", "101-0", "a", "1")
			if got, want := a.Read(), "*1\r\n*2\r\n$1\r\nm\r\n*1\r\n*2\r\n$5\r\n101-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"; got != want {
				t.Errorf("past the last ID: %q, want %q", got, want)
			}

			// Such a wake-up does not restart the timeout.
			start := time.Now()
			a.Send("XREAD", "BLOCK", "400", "STREAMS", "m", "1000-0")
			tg.blocked(1)
			time.Sleep(200 * time.Millisecond)
			b.Do("XADD", "m", "500-0", "a", "1")
			if got := a.Read(); got != "*-1\r\n" {
				t.Errorf("timeout after a wake-up: %q", got)
			}
			if d := time.Since(start); d > 580*time.Millisecond {
				t.Errorf("timeout took %v, want about 400ms", d)
			}

			// Inside MULTI, BLOCK answers at once as a timeout.
			b.Do("MULTI")
			b.Do("XREAD", "BLOCK", "0", "STREAMS", "nokey", "$")
			b.expect("*1\r\n*-1\r\n", "EXEC")
		})
	}
}

// TestStreamPropagation checks the forms XADD and XTRIM propagate, as
// recorded from redis-server 7.0.15's AOF: a generated ID is written out,
// an approximate trim becomes an exact one ("=") to what is left.
func TestStreamPropagation(t *testing.T) {
	e := newClockEnv(t, &feedRecorder{sep: " "}, func(c *Config) { c.StreamNodeMaxEntries = 10 })
	c := e.c
	for i := 1; i <= 35; i++ {
		c.Do("XADD", "s", strconv.Itoa(i)+"-0", "f", "v")
	}
	e.feeds.take()
	c.expect("$4\r\n36-0\r\n", "XADD", "s", "MAXLEN", "~", "5", "36-0", "f", "v")
	c.expect("$4\r\n40-0\r\n", "XADD", "s", "40-*", "f", "v")
	c.expect("$15\r\n1700000000000-0\r\n", "XADD", "s", "maxlen", "~", "5", "LIMIT", "10", "*", "f", "v")
	c.expect(":0\r\n", "XTRIM", "s", "MAXLEN", "~", "2")
	c.expect(":8\r\n", "XTRIM", "s", "MINID", "~", "999999999999999")
	c.expect(":0\r\n", "XTRIM", "s", "MINID", "1")
	c.expect("$15\r\n1700000000000-0\r\n", "XADD", "s2", "MINID", "~", "5", "*", "f", "v")
	c.expect("$15\r\n1700000000000-1\r\n", "XADD", "s2", "MAXLEN", "1", "*", "f", "v")
	c.expect(":0\r\n", "XDEL", "s2", "1-1")
	c.expect(":1\r\n", "XDEL", "s2", "1700000000000-1", "1-1")
	c.expect("+OK\r\n", "XSETID", "s2", "99999999999999")
	c.Do("XREAD", "STREAMS", "s2", "0")
	e.expectFeed(
		"0 XADD s MAXLEN = 6 36-0 f v",
		"0 XADD s 40-0 f v",
		"0 XADD s maxlen = 8 LIMIT 10 1700000000000-0 f v",
		"0 XTRIM s MINID = 18446744073709551615-18446744073709551615",
		"0 XADD s2 MINID = 1700000000000-0 1700000000000-0 f v",
		"0 XADD s2 MAXLEN 1 1700000000000-1 f v",
		"0 XDEL s2 1700000000000-1 1-1",
		"0 XSETID s2 99999999999999",
	)
}

// TestStreamNodesMatchRedis checks that nodes split where Redis's do, by
// comparing our node count with XINFO STREAM's radix-tree-keys after the
// same random appends and deletes, under several node limits.
func TestStreamNodesMatchRedis(t *testing.T) {
	r := startRedis(t)
	s := startServer(t)
	c := dial(t, s)
	seed := time.Now().UnixNano()
	if v, err := strconv.ParseInt(os.Getenv("SEED"), 10, 64); err == nil {
		seed = v
	}
	t.Logf("SEED=%d", seed)
	rnd := rand.New(rand.NewSource(seed))
	for _, limits := range [][2]string{{"4096", "100"}, {"200", "5"}, {"0", "7"}, {"1000", "0"}} {
		for _, x := range []*testConn{r, c} {
			x.Do("FLUSHALL")
			x.Do("CONFIG", "SET", "stream-node-max-bytes", limits[0])
			x.Do("CONFIG", "SET", "stream-node-max-entries", limits[1])
		}
		for i := 1; i <= 300; i++ {
			args := []string{"XADD", "s", strconv.Itoa(i) + "-0"}
			for f := rnd.Intn(3); f >= 0; f-- {
				args = append(args, "f"+strconv.Itoa(rnd.Intn(2)), strings.Repeat("v", rnd.Intn(80)))
			}
			if rnd.Intn(5) == 0 {
				args = []string{"XDEL", "s", strconv.Itoa(rnd.Intn(i)+1) + "-0"}
			}
			if want, got := r.Do(args...), c.Do(args...); want != got {
				t.Fatalf("%v: %q, redis %q", args, got, want)
			}
		}
		info := r.Do("XINFO", "STREAM", "s")
		_, after, _ := strings.Cut(info, "radix-tree-keys\r\n:")
		want, _ := strconv.Atoi(after[:strings.IndexByte(after, '\r')])
		s.mu.Lock()
		got := s.dbs[0].Lookup("s").Stream().Nodes()
		s.mu.Unlock()
		if got != want {
			t.Errorf("limits %v: %d nodes, redis %d", limits, got, want)
		}
	}
}

// TestStreamMustObeyForms: the forms XADD and XTRIM propagate after an
// approximate trim ("= n LIMIT m") are errors from a user but must load
// from an AOF or a master, as Redis's mustObeyClient allows.
func TestStreamMustObeyForms(t *testing.T) {
	s := startServer(t)
	c := dial(t, s)
	for i := 1; i <= 5; i++ {
		c.Do("XADD", "s", strconv.Itoa(i)+"-0", "f", "v")
	}
	const limitErr = "-ERR syntax error, LIMIT cannot be used without the special ~ option\r\n"
	c.expect(limitErr, "XADD", "s", "MAXLEN", "=", "3", "LIMIT", "1", "6-0", "f", "v")
	c.expect(limitErr, "XTRIM", "s", "MAXLEN", "=", "3", "LIMIT", "1")
	// The AOF loader's client obeys them.
	s.mu.Lock()
	fc := s.aofFakeClient()
	for _, tc := range []struct{ want, cmd string }{
		{"$3\r\n6-0\r\n", "XADD s MAXLEN = 4 LIMIT 1 6-0 f v"},
		{":2\r\n", "XTRIM s MAXLEN = 2 LIMIT 1"},
	} {
		argv := cloneArgs(bytesFields(tc.cmd)...)
		fc.argv, fc.cmd = argv, s.lookupCommand(argv)
		fc.cmd.Proc(fc)
		if got := string(fc.reply); got != tc.want {
			t.Errorf("%s from the AOF client: %q, want %q", tc.cmd, got, tc.want)
		}
		fc.reply = fc.reply[:0]
	}
	s.mu.Unlock()
	fc.conn.Close()
	c.expect(":2\r\n", "XLEN", "s")
}

// FuzzParseStreamID: any accepted ID prints as "ms-seq" that parses back
// to itself, strictly, in every parser.
func FuzzParseStreamID(f *testing.F) {
	for _, s := range []string{"0-1", "5", "18446744073709551615-18446744073709551615", " 7", "+8-1", "1--02", "-", "+", "(5-1", "1-*", "x", "007"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, seqGiven, err := parseStreamIDGeneric([]byte(s), 0, false, true)
		if err != nil {
			return
		}
		back, err := parseStreamID(id.AppendTo(nil), 0)
		if err != nil || back != id {
			t.Fatalf("%q -> %v (seq given %v) -> %v, %v", s, id, seqGiven, back, err)
		}
		if r, ex, err := parseStreamRangeID([]byte(s), 0); err == nil && !ex && r != id && seqGiven {
			t.Fatalf("%q: range parser %v, generic %v", s, r, id)
		}
	})
}

func bytesFields(s string) [][]byte {
	var out [][]byte
	for _, f := range strings.Fields(s) {
		out = append(out, []byte(f))
	}
	return out
}

// XREAD and XREADGROUP with BLOCK from a script are an error, as in
// redis-server 7.0.15 (inside MULTI they only time out at once).
func TestXreadBlockFromScript(t *testing.T) {
	s := startServer(t)
	c := dial(t, s)
	c.expect("-ERR XREAD command is not allowed with BLOCK option from scripts script: 6475a58e5ce74a5434e15b26cb7cf7d348dd7732, on @user_script:1.\r\n",
		"EVAL", "return redis.call('XREAD','BLOCK','0','STREAMS','s','$')", "0")
	c.expect("-ERR xreadgroup command is not allowed with BLOCK option from scripts script: 40ae38cbde7434f3109fe6858cf64791dee33abd, on @user_script:1.\r\n",
		"EVAL", "return redis.call('xreadgroup','GROUP','g','c','BLOCK','100','STREAMS','s','>')", "0")
	// Without BLOCK a script reads as usual.
	c.expect("$3\r\n1-1\r\n", "XADD", "s", "1-1", "f", "v")
	c.expect("*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n",
		"EVAL", "return redis.call('XREAD','STREAMS','s','0')", "0")
}
