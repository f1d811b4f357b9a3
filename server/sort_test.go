package server

import (
	"strings"
	"testing"
)

// sortScript's replies were recorded from
// redis-server 7.0.15 (HELLO 2 or 3, FLUSHALL, then the script in order,
// on one connection).
//
// The INCRBYFLOAT errnoreset lines follow each SORT whose weight overflows
// or underflows: Redis 7.0 does not clear errno before its strtod, so an
// ERANGE stays set until something else resets it (INCRBYFLOAT's string
// parsing does) and a later numeric SORT in the same process fails on
// valid numbers. That depends on hidden process state; Ferrite judges
// every weight on its own, and the recording resets errno to match.
func TestSortScriptRESP2(t *testing.T) { runReplyScript(t, 2, sortScript) }
func TestSortScriptRESP3(t *testing.T) { runReplyScript(t, 3, sortScript) }

var sortScript = []replyCase{
	{[]string{"RPUSH", "l", "3", "1", "2", "10", "-5", "1.5"}, ":6\r\n", ""},
	{[]string{"SORT", "l"}, "*6\r\n$2\r\n-5\r\n$1\r\n1\r\n$3\r\n1.5\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n", ""},
	{[]string{"SORT", "l", "DESC"}, "*6\r\n$2\r\n10\r\n$1\r\n3\r\n$1\r\n2\r\n$3\r\n1.5\r\n$1\r\n1\r\n$2\r\n-5\r\n", ""},
	{[]string{"SORT", "l", "ALPHA"}, "*6\r\n$2\r\n-5\r\n$1\r\n1\r\n$3\r\n1.5\r\n$2\r\n10\r\n$1\r\n2\r\n$1\r\n3\r\n", ""},
	{[]string{"SORT", "l", "alpha", "desc"}, "*6\r\n$1\r\n3\r\n$1\r\n2\r\n$2\r\n10\r\n$3\r\n1.5\r\n$1\r\n1\r\n$2\r\n-5\r\n", ""},
	{[]string{"SORT", "l", "LIMIT", "1", "2"}, "*2\r\n$1\r\n1\r\n$3\r\n1.5\r\n", ""},
	{[]string{"SORT", "l", "LIMIT", "-1", "2"}, "*2\r\n$2\r\n-5\r\n$1\r\n1\r\n", ""},
	{[]string{"SORT", "l", "LIMIT", "2", "-1"}, "*4\r\n$3\r\n1.5\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n", ""},
	{[]string{"SORT", "l", "LIMIT", "2", "-7"}, "*4\r\n$3\r\n1.5\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n", ""},
	{[]string{"SORT", "l", "LIMIT", "10", "2"}, "*0\r\n", ""},
	{[]string{"SORT", "l", "LIMIT", "6", "1"}, "*0\r\n", ""},
	{[]string{"SORT", "l", "LIMIT", "5", "100"}, "*1\r\n$2\r\n10\r\n", ""},
	{[]string{"SORT", "l", "LIMIT", "0", "0"}, "*0\r\n", ""},
	{[]string{"SORT", "l", "LIMIT", "1"}, "-ERR syntax error\r\n", ""},
	{[]string{"SORT", "l", "LIMIT", "a", "1"}, "-ERR value is not an integer or out of range\r\n", ""},
	{[]string{"SORT", "l", "LIMIT", "1", "b"}, "-ERR value is not an integer or out of range\r\n", ""},
	{[]string{"SORT", "l", "LIMIT", "1", "99999999999999999999"}, "-ERR value is not an integer or out of range\r\n", ""},
	{[]string{"SORT", "l", "ASC", "DESC", "ASC"}, "*6\r\n$2\r\n-5\r\n$1\r\n1\r\n$3\r\n1.5\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n", ""},
	{[]string{"SORT", "l", "DESC", "ASC"}, "*6\r\n$2\r\n-5\r\n$1\r\n1\r\n$3\r\n1.5\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n", ""},
	{[]string{"SORT", "l", "foo"}, "-ERR syntax error\r\n", ""},
	{[]string{"SORT", "l", "STORE"}, "-ERR syntax error\r\n", ""},
	{[]string{"SORT", "l", "BY"}, "-ERR syntax error\r\n", ""},
	{[]string{"SORT", "l", "GET"}, "-ERR syntax error\r\n", ""},
	{[]string{"SORT_RO", "l", "STORE", "dst"}, "-ERR syntax error\r\n", ""},
	{[]string{"SORT_RO", "l", "DESC", "LIMIT", "0", "3"}, "*3\r\n$2\r\n10\r\n$1\r\n3\r\n$1\r\n2\r\n", ""},
	{[]string{"SORT", "nokey"}, "*0\r\n", ""},
	{[]string{"SORT", "nokey", "BY", "w_*", "GET", "#", "ALPHA", "DESC", "LIMIT", "0", "1"}, "*0\r\n", ""},
	{[]string{"SORT", "nokey", "STORE", "dst2"}, ":0\r\n", ""},
	{[]string{"EXISTS", "dst2"}, ":0\r\n", ""},
	{[]string{"SORT", "l", "STORE", "dst"}, ":6\r\n", ""},
	{[]string{"LRANGE", "dst", "0", "-1"}, "*6\r\n$2\r\n-5\r\n$1\r\n1\r\n$3\r\n1.5\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n", ""},
	{[]string{"OBJECT", "ENCODING", "dst"}, "$9\r\nquicklist\r\n", ""},
	{[]string{"SORT", "l", "LIMIT", "0", "2", "STORE", "dst"}, ":2\r\n", ""},
	{[]string{"LRANGE", "dst", "0", "-1"}, "*2\r\n$2\r\n-5\r\n$1\r\n1\r\n", ""},
	{[]string{"MSET", "w_3", "30", "w_1", "10", "w_2", "20", "w_10", "5", "w_-5", "100", "w_1.5", "1"}, "+OK\r\n", ""},
	{[]string{"SORT", "l", "BY", "w_*"}, "*6\r\n$3\r\n1.5\r\n$2\r\n10\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n-5\r\n", ""},
	{[]string{"SORT", "l", "BY", "w_*", "DESC"}, "*6\r\n$2\r\n-5\r\n$1\r\n3\r\n$1\r\n2\r\n$1\r\n1\r\n$2\r\n10\r\n$3\r\n1.5\r\n", ""},
	{[]string{"SORT", "l", "BY", "w_*", "LIMIT", "1", "3"}, "*3\r\n$2\r\n10\r\n$1\r\n1\r\n$1\r\n2\r\n", ""},
	{[]string{"SORT", "l", "BY", "w_*", "LIMIT", "1", "3", "DESC"}, "*3\r\n$1\r\n3\r\n$1\r\n2\r\n$1\r\n1\r\n", ""},
	{[]string{"SORT", "l", "BY", "w_*", "GET", "#", "GET", "w_*"}, "*12\r\n$3\r\n1.5\r\n$1\r\n1\r\n$2\r\n10\r\n$1\r\n5\r\n$1\r\n1\r\n$2\r\n10\r\n$1\r\n2\r\n$2\r\n20\r\n$1\r\n3\r\n$2\r\n30\r\n$2\r\n-5\r\n$3\r\n100\r\n", ""},
	{[]string{"SORT", "l", "BY", "w_*", "GET", "w_*", "GET", "nokey_*", "GET", "#"}, "*18\r\n$1\r\n1\r\n$-1\r\n$3\r\n1.5\r\n$1\r\n5\r\n$-1\r\n$2\r\n10\r\n$2\r\n10\r\n$-1\r\n$1\r\n1\r\n$2\r\n20\r\n$-1\r\n$1\r\n2\r\n$2\r\n30\r\n$-1\r\n$1\r\n3\r\n$3\r\n100\r\n$-1\r\n$2\r\n-5\r\n", "*18\r\n$1\r\n1\r\n_\r\n$3\r\n1.5\r\n$1\r\n5\r\n_\r\n$2\r\n10\r\n$2\r\n10\r\n_\r\n$1\r\n1\r\n$2\r\n20\r\n_\r\n$1\r\n2\r\n$2\r\n30\r\n_\r\n$1\r\n3\r\n$3\r\n100\r\n_\r\n$2\r\n-5\r\n"},
	{[]string{"SORT", "l", "BY", "nosort"}, "*6\r\n$1\r\n3\r\n$1\r\n1\r\n$1\r\n2\r\n$2\r\n10\r\n$2\r\n-5\r\n$3\r\n1.5\r\n", ""},
	{[]string{"SORT", "l", "BY", "nosort", "DESC"}, "*6\r\n$3\r\n1.5\r\n$2\r\n-5\r\n$2\r\n10\r\n$1\r\n2\r\n$1\r\n1\r\n$1\r\n3\r\n", ""},
	{[]string{"SORT", "l", "BY", "nosort", "LIMIT", "1", "2"}, "*2\r\n$1\r\n1\r\n$1\r\n2\r\n", ""},
	{[]string{"SORT", "l", "BY", "nosort", "DESC", "LIMIT", "1", "2"}, "*2\r\n$2\r\n-5\r\n$2\r\n10\r\n", ""},
	{[]string{"SORT", "l", "BY", "nosort", "LIMIT", "10", "2"}, "*0\r\n", ""},
	{[]string{"SORT", "l", "BY", "nosort", "DESC", "LIMIT", "4", "10"}, "*2\r\n$1\r\n1\r\n$1\r\n3\r\n", ""},
	{[]string{"SORT", "l", "BY", "nosort", "LIMIT", "0", "0"}, "*0\r\n", ""},
	{[]string{"SORT", "l", "BY", "nosort", "ALPHA", "GET", "w_*"}, "*6\r\n$2\r\n30\r\n$2\r\n10\r\n$2\r\n20\r\n$1\r\n5\r\n$3\r\n100\r\n$1\r\n1\r\n", ""},
	{[]string{"SORT", "l", "BY", "nosort", "BY", "w_*"}, "*6\r\n$1\r\n3\r\n$1\r\n1\r\n$1\r\n2\r\n$2\r\n10\r\n$2\r\n-5\r\n$3\r\n1.5\r\n", ""},
	{[]string{"SORT", "l", "BY", "w_*", "BY", "nosort"}, "*6\r\n$1\r\n3\r\n$1\r\n1\r\n$1\r\n2\r\n$2\r\n10\r\n$2\r\n-5\r\n$3\r\n1.5\r\n", ""},
	{[]string{"SORT", "l", "BY", "x->y"}, "*6\r\n$1\r\n3\r\n$1\r\n1\r\n$1\r\n2\r\n$2\r\n10\r\n$2\r\n-5\r\n$3\r\n1.5\r\n", ""},
	{[]string{"HSET", "h_3", "f", "3", "g", "x"}, ":2\r\n", ""},
	{[]string{"HSET", "h_1", "f", "1"}, ":1\r\n", ""},
	{[]string{"HSET", "h_2", "f", "2", "g", "y"}, ":2\r\n", ""},
	{[]string{"HSET", "h_10", "f", "notanumber"}, ":1\r\n", ""},
	{[]string{"SORT", "l", "BY", "h_*->f"}, "-ERR One or more scores can't be converted into double\r\n", ""},
	{[]string{"SORT", "l", "BY", "h_*->f", "ALPHA", "GET", "#", "GET", "h_*->g", "GET", "h_*->f"}, "*18\r\n$2\r\n-5\r\n$-1\r\n$-1\r\n$3\r\n1.5\r\n$-1\r\n$-1\r\n$1\r\n1\r\n$-1\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\ny\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\nx\r\n$1\r\n3\r\n$2\r\n10\r\n$-1\r\n$10\r\nnotanumber\r\n", "*18\r\n$2\r\n-5\r\n_\r\n_\r\n$3\r\n1.5\r\n_\r\n_\r\n$1\r\n1\r\n_\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\ny\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\nx\r\n$1\r\n3\r\n$2\r\n10\r\n_\r\n$10\r\nnotanumber\r\n"},
	{[]string{"SORT", "l", "BY", "h_*->g", "ALPHA", "GET", "#"}, "*6\r\n$1\r\n1\r\n$2\r\n10\r\n$2\r\n-5\r\n$3\r\n1.5\r\n$1\r\n3\r\n$1\r\n2\r\n", ""},
	{[]string{"SORT", "l", "BY", "h_*->g", "ALPHA", "DESC", "GET", "#"}, "*6\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n1\r\n$2\r\n10\r\n$2\r\n-5\r\n$3\r\n1.5\r\n", ""},
	{[]string{"SORT", "l", "BY", "h_*->f", "GET", "#", "LIMIT", "0", "3"}, "-ERR One or more scores can't be converted into double\r\n", ""},
	{[]string{"SORT", "l", "BY", "w_*->f", "GET", "#"}, "*6\r\n$2\r\n-5\r\n$1\r\n1\r\n$3\r\n1.5\r\n$2\r\n10\r\n$1\r\n2\r\n$1\r\n3\r\n", ""},
	{[]string{"SORT", "l", "BY", "h_*->", "GET", "#"}, "*6\r\n$2\r\n-5\r\n$1\r\n1\r\n$3\r\n1.5\r\n$2\r\n10\r\n$1\r\n2\r\n$1\r\n3\r\n", ""},
	{[]string{"SORT", "l", "GET", "h_*-"}, "*6\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n", "*6\r\n_\r\n_\r\n_\r\n_\r\n_\r\n_\r\n"},
	{[]string{"SORT", "l", "GET", "h_*->"}, "*6\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n", "*6\r\n_\r\n_\r\n_\r\n_\r\n_\r\n_\r\n"},
	{[]string{"SORT", "l", "GET", "nostar"}, "*6\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n", "*6\r\n_\r\n_\r\n_\r\n_\r\n_\r\n_\r\n"},
	{[]string{"SORT", "l", "GET", "#x"}, "*6\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n", "*6\r\n_\r\n_\r\n_\r\n_\r\n_\r\n_\r\n"},
	{[]string{"SORT", "l", "GET", "##"}, "*6\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n", "*6\r\n_\r\n_\r\n_\r\n_\r\n_\r\n_\r\n"},
	{[]string{"SORT", "l", "GET", "h_*->nofield"}, "*6\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n", "*6\r\n_\r\n_\r\n_\r\n_\r\n_\r\n_\r\n"},
	{[]string{"SORT", "l", "GET", "w_*->f"}, "*6\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n", "*6\r\n_\r\n_\r\n_\r\n_\r\n_\r\n_\r\n"},
	{[]string{"SORT", "l", "GET", "h_*"}, "*6\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n", "*6\r\n_\r\n_\r\n_\r\n_\r\n_\r\n_\r\n"},
	{[]string{"SET", "pre_3_post", "a"}, "+OK\r\n", ""},
	{[]string{"SET", "pre_3_post->f", "b"}, "+OK\r\n", ""},
	{[]string{"SORT", "l", "GET", "pre_*_post", "GET", "pre_*_post->f", "LIMIT", "0", "3", "DESC"}, "*6\r\n$-1\r\n$-1\r\n$1\r\na\r\n$-1\r\n$-1\r\n$-1\r\n", "*6\r\n_\r\n_\r\n$1\r\na\r\n_\r\n_\r\n_\r\n"},
	{[]string{"SORT", "l", "GET", "#", "GET", "#", "STORE", "dst"}, ":12\r\n", ""},
	{[]string{"LRANGE", "dst", "0", "-1"}, "*12\r\n$2\r\n-5\r\n$2\r\n-5\r\n$1\r\n1\r\n$1\r\n1\r\n$3\r\n1.5\r\n$3\r\n1.5\r\n$1\r\n2\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n3\r\n$2\r\n10\r\n$2\r\n10\r\n", ""},
	{[]string{"SORT", "l", "GET", "h_*->g", "STORE", "dst"}, ":6\r\n", ""},
	{[]string{"LRANGE", "dst", "0", "-1"}, "*6\r\n$0\r\n\r\n$0\r\n\r\n$0\r\n\r\n$1\r\ny\r\n$1\r\nx\r\n$0\r\n\r\n", ""},
	{[]string{"SORT", "l", "GET", "h_*->g", "BY", "nosort", "LIMIT", "0", "2", "STORE", "dst"}, ":2\r\n", ""},
	{[]string{"LRANGE", "dst", "0", "-1"}, "*2\r\n$1\r\nx\r\n$0\r\n\r\n", ""},
	{[]string{"SADD", "s", "5", "3", "9", "1"}, ":4\r\n", ""},
	{[]string{"SORT", "s"}, "*4\r\n$1\r\n1\r\n$1\r\n3\r\n$1\r\n5\r\n$1\r\n9\r\n", ""},
	{[]string{"SORT", "s", "DESC", "LIMIT", "1", "2"}, "*2\r\n$1\r\n5\r\n$1\r\n3\r\n", ""},
	{[]string{"SORT", "s", "BY", "nosort", "STORE", "dst"}, ":4\r\n", ""},
	{[]string{"LRANGE", "dst", "0", "-1"}, "*4\r\n$1\r\n1\r\n$1\r\n3\r\n$1\r\n5\r\n$1\r\n9\r\n", ""},
	{[]string{"SORT", "s", "BY", "nosort", "DESC", "LIMIT", "1", "2", "STORE", "dst"}, ":2\r\n", ""},
	{[]string{"LRANGE", "dst", "0", "-1"}, "*2\r\n$1\r\n5\r\n$1\r\n3\r\n", ""},
	{[]string{"SADD", "s2", "b", "a", "c", "B", "10"}, ":5\r\n", ""},
	{[]string{"SORT", "s2"}, "-ERR One or more scores can't be converted into double\r\n", ""},
	{[]string{"SORT", "s2", "ALPHA"}, "*5\r\n$2\r\n10\r\n$1\r\nB\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", ""},
	{[]string{"SORT", "s2", "ALPHA", "DESC"}, "*5\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\nB\r\n$2\r\n10\r\n", ""},
	{[]string{"SORT", "s2", "BY", "nosort", "STORE", "dst"}, ":5\r\n", ""},
	{[]string{"LRANGE", "dst", "0", "-1"}, "*5\r\n$2\r\n10\r\n$1\r\nB\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", ""},
	{[]string{"SORT", "s2", "BY", "nosort", "DESC", "STORE", "dst"}, ":5\r\n", ""},
	{[]string{"LRANGE", "dst", "0", "-1"}, "*5\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\nB\r\n$2\r\n10\r\n", ""},
	{[]string{"SORT", "s2", "BY", "w_*", "STORE", "dst"}, ":5\r\n", ""},
	{[]string{"LRANGE", "dst", "0", "-1"}, "*5\r\n$1\r\nB\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$2\r\n10\r\n", ""},
	{[]string{"ZADD", "z", "3", "a", "1", "b", "2", "c"}, ":3\r\n", ""},
	{[]string{"OBJECT", "ENCODING", "z"}, "$8\r\nlistpack\r\n", ""},
	{[]string{"SORT", "z", "ALPHA"}, "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", ""},
	{[]string{"OBJECT", "ENCODING", "z"}, "$8\r\nskiplist\r\n", ""},
	{[]string{"SORT", "z", "BY", "nosort"}, "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n", ""},
	{[]string{"SORT", "z", "BY", "nosort", "DESC"}, "*3\r\n$1\r\na\r\n$1\r\nc\r\n$1\r\nb\r\n", ""},
	{[]string{"SORT", "z", "BY", "nosort", "LIMIT", "1", "1"}, "*1\r\n$1\r\nc\r\n", ""},
	{[]string{"SORT", "z", "BY", "nosort", "DESC", "LIMIT", "1", "5"}, "*2\r\n$1\r\nc\r\n$1\r\nb\r\n", ""},
	{[]string{"SORT", "z", "BY", "nosort", "LIMIT", "5", "1"}, "*0\r\n", ""},
	{[]string{"SORT", "z", "BY", "nosort", "GET", "#", "GET", "h_*"}, "*6\r\n$1\r\nb\r\n$-1\r\n$1\r\nc\r\n$-1\r\n$1\r\na\r\n$-1\r\n", "*6\r\n$1\r\nb\r\n_\r\n$1\r\nc\r\n_\r\n$1\r\na\r\n_\r\n"},
	{[]string{"SORT", "z", "BY", "nosort", "STORE", "dst"}, ":3\r\n", ""},
	{[]string{"LRANGE", "dst", "0", "-1"}, "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n", ""},
	{[]string{"SORT", "z"}, "-ERR One or more scores can't be converted into double\r\n", ""},
	{[]string{"ZADD", "zn", "3", "10", "1", "20", "2", "5"}, ":3\r\n", ""},
	{[]string{"SORT", "zn"}, "*3\r\n$1\r\n5\r\n$2\r\n10\r\n$2\r\n20\r\n", ""},
	{[]string{"SORT", "zn", "BY", "nosort", "DESC"}, "*3\r\n$2\r\n10\r\n$1\r\n5\r\n$2\r\n20\r\n", ""},
	{[]string{"SET", "str", "v"}, "+OK\r\n", ""},
	{[]string{"SORT", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{[]string{"SORT", "str", "STORE", "d"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{[]string{"SORT_RO", "str"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{[]string{"HSET", "hh", "a", "b"}, ":1\r\n", ""},
	{[]string{"SORT", "hh"}, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", ""},
	{[]string{"SORT", "hh", "foo"}, "-ERR syntax error\r\n", ""},
	{[]string{"SORT", "l", "STORE", "str"}, ":6\r\n", ""},
	{[]string{"TYPE", "str"}, "+list\r\n", ""},
	{[]string{"SORT", "nokey2", "STORE", "l"}, ":0\r\n", ""},
	{[]string{"EXISTS", "l"}, ":0\r\n", ""},
	{[]string{"RPUSH", "nums", " 5", "", "0x10", "inf", "-inf", "-1e3", "+2"}, ":7\r\n", ""},
	{[]string{"SORT", "nums"}, "*7\r\n$4\r\n-inf\r\n$4\r\n-1e3\r\n$0\r\n\r\n$2\r\n+2\r\n$2\r\n 5\r\n$4\r\n0x10\r\n$3\r\ninf\r\n", ""},
	{[]string{"SORT", "nums", "DESC"}, "*7\r\n$3\r\ninf\r\n$4\r\n0x10\r\n$2\r\n 5\r\n$2\r\n+2\r\n$0\r\n\r\n$4\r\n-1e3\r\n$4\r\n-inf\r\n", ""},
	{[]string{"RPUSH", "bad1", "5 "}, ":1\r\n", ""},
	{[]string{"SORT", "bad1"}, "-ERR One or more scores can't be converted into double\r\n", ""},
	{[]string{"SORT", "bad1", "ALPHA"}, "*1\r\n$2\r\n5 \r\n", ""},
	{[]string{"RPUSH", "bad2", "1e-310", "1"}, ":2\r\n", ""},
	{[]string{"SORT", "bad2"}, "-ERR One or more scores can't be converted into double\r\n", ""},
	{[]string{"INCRBYFLOAT", "errnoreset", "1"}, "$1\r\n1\r\n", ""},
	{[]string{"RPUSH", "bad3", "4.9e-324"}, ":1\r\n", ""},
	{[]string{"SORT", "bad3"}, "-ERR One or more scores can't be converted into double\r\n", ""},
	{[]string{"INCRBYFLOAT", "errnoreset", "1"}, "$1\r\n2\r\n", ""},
	{[]string{"RPUSH", "bad4", "1e309"}, ":1\r\n", ""},
	{[]string{"SORT", "bad4"}, "-ERR One or more scores can't be converted into double\r\n", ""},
	{[]string{"INCRBYFLOAT", "errnoreset", "1"}, "$1\r\n3\r\n", ""},
	{[]string{"RPUSH", "bad5", "nan"}, ":1\r\n", ""},
	{[]string{"SORT", "bad5"}, "-ERR One or more scores can't be converted into double\r\n", ""},
	{[]string{"RPUSH", "ok1", "0x1p-1070", "2.2250738585072014e-308", "0e5", "-0"}, ":4\r\n", ""},
	{[]string{"SORT", "ok1"}, "*4\r\n$2\r\n-0\r\n$3\r\n0e5\r\n$9\r\n0x1p-1070\r\n$23\r\n2.2250738585072014e-308\r\n", ""},
	{[]string{"RPUSH", "nul", "1\x00x", "0\x00a", "0.5"}, ":3\r\n", ""},
	{[]string{"SORT", "nul"}, "*3\r\n$3\r\n0\x00a\r\n$3\r\n0.5\r\n$3\r\n1\x00x\r\n", ""},
	{[]string{"SORT", "nul", "ALPHA"}, "*3\r\n$3\r\n0\x00a\r\n$3\r\n0.5\r\n$3\r\n1\x00x\r\n", ""},
	{[]string{"SORT", "nul", "ALPHA", "STORE", "dst"}, ":3\r\n", ""},
	{[]string{"LRANGE", "dst", "0", "-1"}, "*3\r\n$3\r\n0\x00a\r\n$3\r\n0.5\r\n$3\r\n1\x00x\r\n", ""},
	{[]string{"RPUSH", "tie", "2", "02", "2.0", "+2", "1", "01"}, ":6\r\n", ""},
	{[]string{"SORT", "tie"}, "*6\r\n$2\r\n01\r\n$1\r\n1\r\n$2\r\n+2\r\n$2\r\n02\r\n$1\r\n2\r\n$3\r\n2.0\r\n", ""},
	{[]string{"SORT", "tie", "DESC"}, "*6\r\n$3\r\n2.0\r\n$1\r\n2\r\n$2\r\n02\r\n$2\r\n+2\r\n$1\r\n1\r\n$2\r\n01\r\n", ""},
	{[]string{"SET", "n_a", "1"}, "+OK\r\n", ""},
	{[]string{"SET", "n_b", "1"}, "+OK\r\n", ""},
	{[]string{"SET", "n_c", "1"}, "+OK\r\n", ""},
	{[]string{"RPUSH", "letters", "c", "a", "b"}, ":3\r\n", ""},
	{[]string{"SORT", "letters", "BY", "n_*"}, "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", ""},
	{[]string{"SORT", "letters", "BY", "n_*", "DESC"}, "*3\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n", ""},
	{[]string{"SORT", "letters", "BY", "n_*", "GET", "#", "STORE", "dst"}, ":3\r\n", ""},
	{[]string{"LRANGE", "dst", "0", "-1"}, "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", ""},
	{[]string{"SET", "n_a", "notnum"}, "+OK\r\n", ""},
	{[]string{"SORT", "letters", "BY", "n_*"}, "-ERR One or more scores can't be converted into double\r\n", ""},
	{[]string{"SORT", "letters", "BY", "n_*", "GET", "nokey_*", "STORE", "dst"}, "-ERR One or more scores can't be converted into double\r\n", ""},
	{[]string{"EXISTS", "dst"}, ":1\r\n", ""},
	{[]string{"INFO", "keyspace"}, "$45\r\n# Keyspace\r\ndb0:keys=33,expires=0,avg_ttl=0\r\n\r\n", "=49\r\ntxt:# Keyspace\r\ndb0:keys=33,expires=0,avg_ttl=0\r\n\r\n"},
}

// TestSortPropagation: SORT ... STORE propagates as issued when it
// changed something (stored a list, or deleted the destination for an
// empty result); SORT without STORE, SORT_RO and a STORE that found
// nothing to delete propagate nothing.
func TestSortPropagation(t *testing.T) {
	e := newKeysEnv(t)
	e.expect(":3\r\n", "RPUSH", "l", "2", "3", "1")
	e.feeds.take()
	for _, tc := range []struct {
		args, reply string
		feed        []string
	}{
		{"SORT l", "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n", nil},
		{"SORT_RO l DESC", "*3\r\n$1\r\n3\r\n$1\r\n2\r\n$1\r\n1\r\n", nil},
		{"SORT l DESC STORE dst", ":3\r\n", []string{"0 SORT l DESC STORE dst"}},
		{"SORT l BY nosort GET # GET nokey_* STORE dst", ":6\r\n", []string{"0 SORT l BY nosort GET # GET nokey_* STORE dst"}},
		{"SORT nokey STORE dst", ":0\r\n", []string{"0 SORT nokey STORE dst"}},
		{"SORT nokey STORE dst", ":0\r\n", nil},
		{"SORT l LIMIT 5 1 STORE dst", ":0\r\n", nil},
	} {
		e.expect(tc.reply, strings.Fields(tc.args)...)
		e.expectFeed(tc.feed...)
	}
	e.expect(":0\r\n", "EXISTS", "dst")
}

// TestSortKeyspaceStats: the sorted key and every BY and GET lookup count
// as keyspace hits or misses, as lookupKeyRead does in Redis ("#" and
// patterns without '*' look nothing up).
func TestSortKeyspaceStats(t *testing.T) {
	s := startServer(t)
	c := dial(t, s)
	c.Do("RPUSH", "l", "1", "2")
	c.Do("SET", "w_1", "5")
	c.Do("HSET", "h_2", "f", "x")
	c.expect("+OK\r\n", "CONFIG", "RESETSTAT")
	c.expect("*8\r\n$1\r\n2\r\n$-1\r\n$-1\r\n$-1\r\n$1\r\n1\r\n$1\r\n5\r\n$-1\r\n$-1\r\n", "SORT", "l", "BY", "w_*", "GET", "#", "GET", "w_*", "GET", "h_*->g", "GET", "nostar")
	// As redis-server 7.0.15 counts it: l hit; BY w_1 hit, w_2 miss; GET
	// w_*: w_2 miss, w_1 hit; GET h_*->g: h_2 hit (no field g), h_1 miss.
	s.mu.Lock()
	hits, misses := s.stats.keyspaceHits, s.stats.keyspaceMisses
	s.mu.Unlock()
	if hits != 4 || misses != 3 {
		t.Errorf("keyspace hits/misses = %d/%d, want 4/3", hits, misses)
	}
}
