package server

import (
	"bytes"
	"sort"
	"strings"
	"testing"
)

// FuzzCommands sends random argument lists to every command of the table
// and fails when a handler panics (the recovered panic answers "internal
// error"): bad input must get Redis's error, never reach a panic. Commands
// that would end or freeze the session (SHUTDOWN, MONITOR, QUIT, CLIENT,
// CONFIG SET port, DEBUG SLEEP, blocking pops, SUBSCRIBE, MULTI, ...) are
// left out.
//
//	go test ./server -run '^$' -fuzz FuzzCommands -fuzztime 60s
func FuzzCommands(f *testing.F) {
	skip := map[string]bool{"shutdown": true, "monitor": true, "quit": true, "client": true,
		"config": true, "debug": true, "reset": true, "hello": true, "auth": true, "select": true,
		// these wait (blocking pops with timeout 0) or change what later
		// commands mean (subscribed mode, MULTI queuing)
		"blpop": true, "brpop": true, "blmove": true, "brpoplpush": true, "blmpop": true,
		"bzpopmin": true, "bzpopmax": true, "bzmpop": true, "xread": true, "xreadgroup": true,
		// these stop the server or the running script machinery
		"save": true, "bgsave": true, "bgrewriteaof": true, "failover": true,
		"subscribe": true, "psubscribe": true, "ssubscribe": true, "multi": true, "watch": true}
	var names []string
	for name := range buildCommandTable() {
		if !skip[name] {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, seed := range []string{
		"\x00k\x00v", "\x01k\x00v\x00EX\x0010", "\x02k\x00-1\x002", "\x03a\x00b\x00c",
		"\x04k\x00999999999999999999999", "\x05\x00\x00", "\x06k\x000\x00-1", "\x07*\x00COUNT\x00-5",
		"\x08k\x00k\x00IDX\x00MINMATCHLEN\x00-1\x00WITHMATCHLEN",
	} {
		f.Add([]byte(seed))
	}
	s := startServer(f)
	c := dial(f, s)
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) == 0 {
			return
		}
		name := names[int(in[0])%len(names)]
		args := []string{name}
		for _, a := range bytes.Split(in[1:], []byte{0}) {
			args = append(args, string(a))
		}
		if len(args) > 64 {
			args = args[:64]
		}
		c.t = t
		if r := c.Do(args...); strings.HasPrefix(r, "-ERR internal error") {
			t.Fatalf("%q panicked", args)
		}
	})
}
