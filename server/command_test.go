package server

import (
	"fmt"
	"strings"
	"testing"

	"ferrite/server/resp"
)

// TestCommandTableComplete checks the join of handlers and metadata: every
// registered command (and subcommand) has a handler and Redis's metadata.
func TestCommandTableComplete(t *testing.T) {
	table := buildCommandTable()
	if len(table) == 0 {
		t.Fatal("empty command table")
	}
	for name, cmd := range table {
		if cmd.Subs == nil && cmd.Proc == nil {
			t.Errorf("%s: no handler", name)
		}
		if cmd.Arity == 0 || len(cmd.infoTree()) != 10 || cmd.docsTree() == nil {
			t.Errorf("%s: incomplete metadata", name)
		}
		for sn, sub := range cmd.Subs {
			if sub.Proc == nil || sub.Parent != cmd || sub.FullName != name+"|"+sn {
				t.Errorf("%s|%s: bad subcommand entry", name, sn)
			}
		}
	}
}

// sampleArgs builds a syntactically plausible argument list for cmd from
// its COMMAND DOCS arguments: keys are distinct names, tokens are written,
// the first choice of each oneof is taken, optional arguments are kept.
func sampleArgs(cmd *Command) []string {
	argv := strings.Split(cmd.FullName, "|")
	n := 0
	var walk func(args []any)
	walk = func(args []any) {
		for _, a := range args {
			m := treeMap(a)
			if tok, ok := m["token"].(string); ok {
				argv = append(argv, tok)
			}
			switch m["type"] {
			case "key":
				n++
				argv = append(argv, fmt.Sprintf("key:%d", n))
			case "integer", "unix-time":
				argv = append(argv, "1")
			case "double":
				argv = append(argv, "1.5")
			case "string", "pattern":
				argv = append(argv, "v")
			case "pure-token":
			case "oneof":
				if sub, _ := m["arguments"].([]any); len(sub) > 0 {
					walk(sub[:1])
				}
			case "block":
				sub, _ := m["arguments"].([]any)
				walk(sub)
			}
		}
	}
	args, _ := treeMap(cmd.docsTree())["arguments"].([]any)
	walk(args)
	return argv
}

// TestKeySpecsMatchRedis walks the whole table: for every command with
// keys, Ferrite's key extraction (COMMAND GETKEYS and GETKEYSANDFLAGS)
// must agree with a real redis-server on sample arguments.
func TestKeySpecsMatchRedis(t *testing.T) {
	r := startRedis(t)
	s := startServer(t)
	f := dial(t, s)
	checked := 0
	var all []*Command
	for _, cmd := range s.sortedCommands() {
		if cmd.Subs == nil {
			all = append(all, cmd)
		}
		all = append(all, cmd.subList()...)
	}
	for _, cmd := range all {
		if !cmd.hasKeys() {
			continue
		}
		for _, sub := range []string{"GETKEYS", "GETKEYSANDFLAGS"} {
			args := append([]string{"COMMAND", sub}, sampleArgs(cmd)...)
			want := r.Do(args...)
			got := f.Do(args...)
			if got != want {
				t.Errorf("%s: %q\n got %q\nwant %q", cmd.FullName, args, got, want)
			}
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("no command with keys checked")
	}
	t.Logf("key specs of %d commands agree with redis-server", checked)
}

// TestCommandRepliesMatchRedis compares COMMAND INFO and COMMAND DOCS of
// every implemented command without subcommands byte for byte, in RESP2
// and RESP3.
func TestCommandRepliesMatchRedis(t *testing.T) {
	r := startRedis(t)
	s := startServer(t)
	f := dial(t, s)
	for _, proto := range []string{"2", "3"} {
		r.Do("HELLO", proto)
		f.Do("HELLO", proto)
		for _, cmd := range s.sortedCommands() {
			if cmd.Subs != nil {
				continue
			}
			for _, sub := range []string{"INFO", "DOCS"} {
				if got, want := f.Do("COMMAND", sub, cmd.Name), r.Do("COMMAND", sub, cmd.Name); got != want {
					t.Errorf("RESP%s COMMAND %s %s:\n got %q\nwant %q", proto, sub, cmd.Name, got, want)
				}
			}
		}
		for _, args := range [][]string{
			{"COMMAND", "HELP"}, {"COMMAND", "INFO", "nosuch"}, {"COMMAND", "DOCS", "nosuch"},
			{"COMMAND", "GETKEYS", "nosuch", "a"}, {"COMMAND", "GETKEYS", "ping", "x"},
			{"COMMAND", "GETKEYS", "get", "a", "b"}, {"COMMAND", "LIST", "FILTERBY", "foo", "x"},
			{"COMMAND", "LIST", "FILTERBY", "module", "x"}, {"COMMAND", "COUNT", "x"},
			{"COMMAND", "GETKEYS", "set"}, {"COMMAND", "nosuchsub"},
		} {
			if got, want := f.Do(args...), r.Do(args...); got != want {
				t.Errorf("RESP%s %q:\n got %q\nwant %q", proto, args, got, want)
			}
		}
	}
}

// TestKeyExtractionAllRedisCommands runs the key-spec extractor over every
// command and subcommand Redis 7.0 has (implemented or not), so families
// added later inherit a checked extractor: positions and flags must equal
// redis-server's COMMAND GETKEYSANDFLAGS on sample arguments.
func TestKeyExtractionAllRedisCommands(t *testing.T) {
	r := startRedis(t)
	var all []*Command
	for _, cmd := range loadMetadata() {
		all = append(all, cmd)
		for _, sub := range cmd.allSubs {
			all = append(all, sub)
		}
	}
	for name, fn := range keyFinders {
		for _, cmd := range all {
			if cmd.FullName == name {
				cmd.GetKeys = fn
			}
		}
	}
	checked := 0
	for _, cmd := range all {
		if !cmd.hasKeys() || cmd.has(cmdMovableKeys) && cmd.GetKeys == nil && hasIncomplete(cmd) {
			continue
		}
		argv := sampleArgs(cmd)
		want := r.Do(append([]string{"COMMAND", "GETKEYSANDFLAGS"}, argv...)...)
		if strings.HasPrefix(want, "-") {
			continue // sample arguments Redis itself rejects
		}
		bargv := make([][]byte, len(argv))
		for i, a := range argv {
			bargv[i] = []byte(a)
		}
		keys, err := cmd.keyPositions(bargv)
		var got []byte
		if err != nil || len(keys) == 0 {
			got = resp.AppendArray(nil, 0)
		} else {
			got = resp.AppendArray(nil, len(keys))
			for _, k := range keys {
				got = resp.AppendArray(got, 2)
				got = resp.AppendBulkString(got, argv[k.Pos])
				got = resp.AppendSet(got, 2, len(k.Flags))
				for _, f := range k.Flags {
					got = resp.AppendSimple(got, f)
				}
			}
		}
		if string(got) != want {
			t.Errorf("%s %q:\n got %q\nwant %q", cmd.FullName, argv, got, want)
		}
		checked++
	}
	t.Logf("key extraction of %d Redis commands agrees with redis-server", checked)
}

// hasIncomplete reports whether a key spec of cmd is incomplete (Redis
// then needs a hand-written getkeys function, as SORT and MIGRATE).
func hasIncomplete(cmd *Command) bool {
	for _, ks := range cmd.KeySpecs {
		if ks.Incomplete {
			return true
		}
	}
	return false
}

// TestModuleMatchesRedis: MODULE is guarded by enable-module-command with
// Redis's error, and with it enabled loading fails as a failed load does.
func TestModuleMatchesRedis(t *testing.T) {
	r := startRedis(t)
	cases := [][]string{
		{"MODULE", "LIST"}, {"MODULE", "LOAD", "/nonexistent.so"},
		{"MODULE", "LOADEX", "/nonexistent.so", "CONFIG", "a", "b", "ARGS", "x"},
		{"MODULE", "UNLOAD", "foo"}, {"MODULE", "HELP"}, {"MODULE", "NOSUCH"},
	}
	f := dial(t, startServer(t))
	for _, args := range cases {
		if got, want := f.Do(args...), r.Do(args...); got != want {
			t.Errorf("%q (module command disabled):\n got %q\nwant %q", args, got, want)
		}
	}
	// redis-server was started without enable-module-command; compare the
	// enabled form with the replies Redis 7.0.15 gives when enabled.
	on := dial(t, startServer(t, func(c *Config) { c.EnableModuleCommand = "yes" }))
	on.expect("*0\r\n", "MODULE", "LIST")
	on.expect("-ERR Error loading the extension. Please check the server logs.\r\n", "MODULE", "LOAD", "/nonexistent.so")
	on.expect("-ERR Error unloading module: no such module with that name\r\n", "MODULE", "UNLOAD", "foo")
}
