package server

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"ferrite/datatypes"
)

// The command table is the one source of truth about commands. It joins
// two halves:
//
//   - the metadata of Redis 7.0 (arity, flags, ACL categories, key specs,
//     docs), generated into commands.json from a real redis-server by
//     ./gencommands, so COMMAND INFO/DOCS are Redis's own to the byte;
//   - the handlers, one map per command family file (strings.go, keys.go,
//     ...), keyed by name, "container|sub" for subcommands.
//
// A command exists in Ferrite exactly when it has a handler; everything else
// answers Redis's unknown-command error. A test walks the whole table.

//go:embed commands.json
var commandsJSON []byte

// cmdProc executes one command for c with c.argv set.
type cmdProc func(c *client)

// handlerTables lists every family's handlers. A new family adds its map here.
func handlerTables() []map[string]cmdProc {
	return []map[string]cmdProc{
		connectionCommands, // connection.go
		commandCommands,    // commandcmd.go: COMMAND
		stringCommands,     // strings.go
		keyCommands,        // keys.go, expire.go
		hashCommands,       // hashes.go
		setCommands,        // sets.go
		zsetCommands,       // zsets.go
		listCommands,       // lists.go
		bitmapCommands,     // bitmaps.go
		hllCommands,        // hll.go
		geoCommands,        // geo.go
		sortCommands,       // sort.go
		multiCommands,      // multi.go
		configCommands,     // configcmd.go: CONFIG
		serverCommands,     // admin files: INFO, CLIENT, DEBUG, SLOWLOG, ...
		moduleCommands,     // module.go
		pubsubCommands,     // pubsub.go
		scriptCommands,     // scripting.go
		streamCommands,     // streams.go
		dumpCommands,       // dump.go: DUMP, RESTORE
		aofCommands,        // aof.go: BGREWRITEAOF
		persistCommands,    // persist.go: SAVE, BGSAVE
		streamGroupCommands,
	}
}

// Command flags (Redis's CMD_*).
const (
	cmdWrite = 1 << iota
	cmdReadonly
	cmdDenyOOM
	cmdAdmin
	cmdPubSub
	cmdNoScript
	cmdBlocking
	cmdLoading
	cmdStale
	cmdSkipMonitor
	cmdSkipSlowlog
	cmdAsking
	cmdFast
	cmdNoAuth
	cmdMayReplicate
	cmdNoMandatoryKeys
	cmdProtected
	cmdNoAsyncLoading
	cmdNoMulti
	cmdAllowBusy
	cmdMovableKeys
)

var flagNames = map[string]int{
	"write": cmdWrite, "readonly": cmdReadonly, "denyoom": cmdDenyOOM,
	"admin": cmdAdmin, "pubsub": cmdPubSub, "noscript": cmdNoScript,
	"blocking": cmdBlocking, "loading": cmdLoading, "stale": cmdStale,
	"skip_monitor": cmdSkipMonitor, "skip_slowlog": cmdSkipSlowlog,
	"asking": cmdAsking, "fast": cmdFast, "no_auth": cmdNoAuth,
	"may_replicate": cmdMayReplicate, "no_mandatory_keys": cmdNoMandatoryKeys,
	"protected": cmdProtected, "no_async_loading": cmdNoAsyncLoading,
	"no_multi": cmdNoMulti, "allow_busy": cmdAllowBusy, "movablekeys": cmdMovableKeys,
}

// Command is one entry of the table.
type Command struct {
	Name     string // lower case; for a subcommand the part after '|'
	FullName string // "get", "config|get"
	Arity    int    // N exact, -N at least N (argv[0] included)
	Flags    int
	ACLCats  []string // without '@'
	Group    string   // docs group: string, generic, server, ...
	KeySpecs []KeySpec
	Subs     map[string]*Command
	Parent   *Command
	Proc     cmdProc
	// GetKeys overrides the key specs where they cannot find the keys.
	GetKeys func(argv [][]byte) ([]keyRef, error)

	// runsScripts: EVAL, FCALL and their variants (the event loop hands
	// their clients to a goroutine: see runsScripts in server.go).
	runsScripts bool

	allSubs map[string]*Command // every subcommand Redis has, implemented or not
	// The COMMAND INFO and COMMAND DOCS replies of a top-level command as
	// commands.json holds them (ordered trees, see gencommands): slices of
	// the embedded file, decoded only when asked for (decoded they would
	// cost some 3 MB of heap). Subcommands find theirs in their parent's.
	infoJSON, docsJSON jsonRef

	stats cmdStats
}

// KeySpec is a Redis 7 key specification.
type KeySpec struct {
	Flags []string
	// begin_search
	Index     int    // >0: keys start at this index
	Keyword   string // or after this keyword
	StartFrom int    // searching from here (negative: from the end, backwards)
	// find_keys: range
	LastKey, KeyStep, Limit int
	// find_keys: keynum (KeyNumIdx >= 0)
	KeyNumIdx, FirstKey int
	IsKeyNum            bool
	NotKey              bool
	Incomplete          bool
	Unknown             bool // begin_search or find_keys of type "unknown" (SORT, MIGRATE)
}

type cmdStats struct {
	calls, usec, rejected, failed int64
	latency                       histogram
}

// has reports whether the command has flag f.
func (cmd *Command) has(f int) bool { return cmd.Flags&f != 0 }

// buildCommandTable joins the metadata and the handlers. It panics when a
// handler has no metadata: that is a programming error a test catches.
func buildCommandTable() map[string]*Command {
	meta := loadMetadata()
	table := make(map[string]*Command)
	for _, handlers := range handlerTables() {
		for name, proc := range handlers {
			parent, sub, isSub := strings.Cut(name, "|")
			top := meta[parent]
			if top == nil {
				panic("no Redis metadata for command " + name)
			}
			if !isSub {
				top.Proc = proc
				table[parent] = top
				continue
			}
			sc := top.allSubs[sub]
			if sc == nil {
				panic("no Redis metadata for subcommand " + name)
			}
			sc.Proc = proc
			if top.Subs == nil {
				top.Subs = make(map[string]*Command)
			}
			top.Subs[sub] = sc
			table[parent] = top
		}
	}
	for name, fn := range keyFinders {
		parent, sub, isSub := strings.Cut(name, "|")
		cmd := table[parent]
		if cmd != nil && isSub {
			cmd = cmd.Subs[sub]
		}
		if cmd != nil {
			cmd.GetKeys = fn
		}
	}
	for name, f := range hiddenFlags {
		parent, sub, isSub := strings.Cut(name, "|")
		cmd := table[parent]
		if cmd != nil && isSub {
			cmd = cmd.Subs[sub]
		}
		if cmd != nil {
			cmd.Flags |= f
		}
	}
	for _, name := range []string{"eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro"} {
		if cmd := table[name]; cmd != nil {
			cmd.runsScripts = true
		}
	}
	return table
}

// hiddenFlags are flags Redis 7.0 gives commands without showing them in
// COMMAND INFO, so commands.json cannot carry them: protected commands
// (enable-debug-command, enable-module-command) and the non-write commands
// that may replicate (paused by CLIENT PAUSE WRITE, refused to replicas).
var hiddenFlags = map[string]int{
	"debug":         cmdProtected,
	"module|load":   cmdProtected,
	"module|loadex": cmdProtected,
	"module|unload": cmdProtected,
	"eval":          cmdMayReplicate,
	"evalsha":       cmdMayReplicate,
	"fcall":         cmdMayReplicate,
	"publish":       cmdMayReplicate,
	"spublish":      cmdMayReplicate,
	"pfcount":       cmdMayReplicate,
}

// loadMetadata parses commands.json into unregistered commands (no
// handlers), every command and subcommand Redis 7.0 has.
func loadMetadata() map[string]*Command {
	var raw []struct {
		Name string  `json:"name"`
		Info jsonRef `json:"info"`
		Docs jsonRef `json:"docs"`
	}
	if err := json.Unmarshal(commandsJSON, &raw); err != nil {
		panic("commands.json: " + err.Error())
	}
	meta := make(map[string]*Command, len(raw))
	for _, r := range raw {
		cmd := &Command{infoJSON: r.Info, docsJSON: r.Docs}
		parseInfo(cmd, cmd.infoTree(), cmd.docsTree())
		meta[cmd.Name] = cmd
	}
	return meta
}

// jsonRef keeps a JSON value as the slice of the input it was read from:
// the COMMAND INFO and DOCS trees stay in the embedded commands.json (in
// the binary, not on the heap) and are decoded when asked for.
type jsonRef []byte

func (r *jsonRef) UnmarshalJSON(b []byte) error {
	*r = b // commandsJSON is never modified
	return nil
}

// infoTree is the command's COMMAND INFO tree; a subcommand's is an
// element of its parent's.
func (cmd *Command) infoTree() []any {
	if cmd.Parent != nil {
		for _, s := range treeSet(cmd.Parent.infoTree()[9]) {
			if sub := s.([]any); sub[0] == cmd.FullName {
				return sub
			}
		}
		panic("commands.json: no info for " + cmd.FullName)
	}
	var info []any
	if err := json.Unmarshal(cmd.infoJSON, &info); err != nil {
		panic("commands.json: " + err.Error())
	}
	return info
}

// docsTree is the command's COMMAND DOCS tree; a subcommand's is in its
// parent's "subcommands" map.
func (cmd *Command) docsTree() any {
	if cmd.Parent != nil {
		return treeMap(treeMap(cmd.Parent.docsTree())["subcommands"])[cmd.FullName]
	}
	var docs any
	if err := json.Unmarshal(cmd.docsJSON, &docs); err != nil {
		panic("commands.json: " + err.Error())
	}
	return docs
}

// parseInfo fills cmd (FullName, Parent and the JSON references aside)
// from its COMMAND INFO and DOCS trees, and creates its subcommands.
func parseInfo(cmd *Command, info []any, docs any) {
	cmd.FullName = info[0].(string)
	cmd.Name = cmd.FullName
	if cmd.Parent != nil {
		cmd.Name = strings.TrimPrefix(cmd.FullName, cmd.Parent.FullName+"|")
	}
	cmd.Arity = int(info[1].(float64))
	for _, f := range treeSet(info[2]) {
		cmd.Flags |= flagNames[f.(map[string]any)["status"].(string)]
	}
	for _, a := range treeSet(info[6]) {
		cmd.ACLCats = append(cmd.ACLCats, strings.TrimPrefix(a.(map[string]any)["status"].(string), "@"))
	}
	for _, ks := range treeSet(info[8]) {
		cmd.KeySpecs = append(cmd.KeySpecs, parseKeySpec(treeMap(ks)))
	}
	if m := treeMap(docs); m != nil {
		if g, ok := m["group"].(string); ok {
			cmd.Group = g
		}
	}
	subDocs := treeMap(treeMap(docs)["subcommands"])
	cmd.allSubs = map[string]*Command{}
	for _, s := range treeSet(info[9]) {
		si := s.([]any)
		sub := &Command{Parent: cmd}
		parseInfo(sub, si, subDocs[si[0].(string)])
		cmd.allSubs[sub.Name] = sub
	}
}

func parseKeySpec(m map[string]any) KeySpec {
	ks := KeySpec{KeyNumIdx: -1}
	for _, f := range treeSet(m["flags"]) {
		name := f.(map[string]any)["status"].(string)
		ks.Flags = append(ks.Flags, name)
		switch name {
		case "not_key":
			ks.NotKey = true
		case "incomplete":
			ks.Incomplete = true
		}
	}
	bs := treeMap(m["begin_search"])
	bspec := treeMap(bs["spec"])
	switch bs["type"] {
	default:
		ks.Unknown = true
	case "index":
		ks.Index = num(bspec["index"])
	case "keyword":
		ks.Keyword = bspec["keyword"].(string)
		ks.StartFrom = num(bspec["startfrom"])
	}
	fk := treeMap(m["find_keys"])
	fspec := treeMap(fk["spec"])
	switch fk["type"] {
	default:
		ks.Unknown = true
	case "range":
		ks.LastKey, ks.KeyStep, ks.Limit = num(fspec["lastkey"]), num(fspec["keystep"]), num(fspec["limit"])
	case "keynum":
		ks.IsKeyNum = true
		ks.KeyNumIdx, ks.FirstKey, ks.KeyStep = num(fspec["keynumidx"]), num(fspec["firstkey"]), num(fspec["keystep"])
	}
	return ks
}

func num(v any) int {
	f, _ := v.(float64)
	return int(f)
}

// treeSet returns the elements of a {"set":[...]} or plain array node.
func treeSet(v any) []any {
	switch t := v.(type) {
	case []any:
		return t
	case map[string]any:
		if s, ok := t["set"].([]any); ok {
			return s
		}
	}
	return nil
}

// treeMap turns a {"map":[k,v,...]} node into a Go map (order lost: only
// for reading fields).
func treeMap(v any) map[string]any {
	t, _ := v.(map[string]any)
	pairs, _ := t["map"].([]any)
	if pairs == nil {
		return nil
	}
	m := make(map[string]any, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		m[pairs[i].(string)] = pairs[i+1]
	}
	return m
}

// errInvalidKeys is what COMMAND GETKEYS says when the key specs cannot
// find the keys in the arguments.
var errInvalidKeys = fmt.Errorf("ERR Invalid arguments specified for command")

// keyRef is one key argument: its position in argv and the access flags
// of the key spec that found it (RW, OW, access, update, ...).
type keyRef struct {
	Pos   int
	Flags []string
}

// keyPositions returns the key arguments of argv, as Redis's
// getKeysFromCommandWithSpecs: the command's GetKeys if it has one,
// otherwise its key specs (keys flagged not_key are skipped).
func (cmd *Command) keyPositions(argv [][]byte) ([]keyRef, error) {
	if cmd.GetKeys != nil {
		return cmd.GetKeys(argv)
	}
	argc := len(argv)
	var keys []keyRef
	for _, ks := range cmd.KeySpecs {
		if ks.NotKey {
			continue
		}
		if ks.Unknown || ks.KeyStep <= 0 {
			return nil, errInvalidKeys
		}
		first := 0
		if ks.Keyword == "" {
			first = ks.Index
		} else {
			start, end := ks.StartFrom, argc-1
			if ks.StartFrom <= 0 {
				start, end = argc+ks.StartFrom, 1
			}
			for i := start; i != end; {
				if i >= argc || i < 1 {
					break
				}
				if strings.EqualFold(string(argv[i]), ks.Keyword) {
					first = i + 1
					break
				}
				if start <= end {
					i++
				} else {
					i--
				}
			}
			if first == 0 {
				continue
			}
		}
		var last int
		step := ks.KeyStep
		if ks.IsKeyNum {
			if first+ks.KeyNumIdx >= argc {
				return nil, errInvalidKeys
			}
			n, ok := datatypes.ParseInt(argv[first+ks.KeyNumIdx])
			if !ok || n < 0 || n > int64(argc) {
				return nil, errInvalidKeys
			}
			first += ks.FirstKey
			last = first + int(n) - 1
		} else if ks.LastKey >= 0 {
			last = first + ks.LastKey
		} else if ks.Limit == 0 {
			last = argc + ks.LastKey
		} else {
			last = first + ((argc-first)/ks.Limit + ks.LastKey)
		}
		if last >= argc || last < first || first >= argc {
			return nil, errInvalidKeys
		}
		for i := first; i <= last; i += step {
			keys = append(keys, keyRef{i, ks.Flags})
		}
		if ks.Incomplete {
			return nil, errInvalidKeys
		}
	}
	return keys, nil
}

// keyFinders are the GetKeys overrides of commands whose specs are
// incomplete; families add theirs here.
var keyFinders = map[string]func(argv [][]byte) ([]keyRef, error){
	"set":      setGetKeys,
	"bitfield": bitfieldGetKeys,
	"sort":     sortGetKeys,
	"sort_ro":  sortROGetKeys,
	"migrate":  migrateGetKeys,
}

var (
	flagsRO       = []string{"RO", "access"}
	flagsOW       = []string{"OW", "update"}
	flagsMigrated = []string{"RW", "access", "delete"}
)

// sortGetKeys is Redis's: the sorted key, and the last STORE destination,
// skipping the arguments of LIMIT, GET and BY.
func sortGetKeys(argv [][]byte) ([]keyRef, error) {
	keys := []keyRef{{1, flagsRO}}
	store := -1
	skips := map[string]int{"limit": 2, "get": 1, "by": 1}
	for i := 2; i < len(argv); i++ {
		opt := strings.ToLower(string(argv[i]))
		if n, ok := skips[opt]; ok {
			i += n
		} else if opt == "store" && i+1 < len(argv) {
			store = i + 1
		}
	}
	if store > 0 {
		keys = append(keys, keyRef{store, flagsOW})
	}
	return keys, nil
}

// sortROGetKeys: SORT_RO reads its one key.
func sortROGetKeys(argv [][]byte) ([]keyRef, error) { return []keyRef{{1, flagsRO}}, nil }

// migrateGetKeys is Redis's: the key at 3, or with KEYS every argument
// after it (and none when the key argument is not empty).
func migrateGetKeys(argv [][]byte) ([]keyRef, error) {
	first, num := 3, 1
	skips := map[string]int{"copy": 0, "replace": 0, "auth": 1, "auth2": 2}
	if len(argv) > 6 {
		for i := 6; i < len(argv); i++ {
			opt := strings.ToLower(string(argv[i]))
			if opt == "keys" {
				if len(argv[3]) > 0 {
					return nil, nil
				}
				first, num = i+1, len(argv)-i-1
				break
			}
			i += skips[opt]
		}
	}
	keys := make([]keyRef, num)
	for i := range keys {
		keys[i] = keyRef{first + i, flagsMigrated}
	}
	return keys, nil
}

// setGetKeys gives SET's key its real access flags: with GET the value is
// read (RW access update), without it only overwritten (OW update).
func setGetKeys(argv [][]byte) ([]keyRef, error) {
	for _, a := range argv[3:] {
		if strings.EqualFold(string(a), "GET") {
			return []keyRef{{1, []string{"RW", "access", "update"}}}, nil
		}
	}
	return []keyRef{{1, []string{"OW", "update"}}}, nil
}

// bitfieldGetKeys: BITFIELD only writes with SET or INCRBY.
func bitfieldGetKeys(argv [][]byte) ([]keyRef, error) {
	for _, a := range argv[2:] {
		if strings.EqualFold(string(a), "SET") || strings.EqualFold(string(a), "INCRBY") {
			return []keyRef{{1, []string{"RW", "access", "update"}}}, nil
		}
	}
	return []keyRef{{1, []string{"RO", "access"}}}, nil
}

// lookupCommand finds the command for argv: the top-level entry, or the
// subcommand when the entry is a container. It returns nil when unknown.
func (s *Server) lookupCommand(argv [][]byte) *Command {
	cmd := lookupName(s.commands, argv[0])
	if cmd == nil || cmd.Subs == nil || len(argv) < 2 {
		return cmd
	}
	return lookupName(cmd.Subs, argv[1])
}

// lookupCommandCached is lookupCommand with a one-entry cache per client:
// a client usually sends the same command again (a pipeline, a benchmark,
// a worker's loop), and comparing the name costs less than hashing it.
// Only commands without subcommands are cached; the table never changes
// after startup (rename-command applies when it is built), so a cached
// entry stays valid.
func (c *client) lookupCommandCached(argv [][]byte) *Command {
	if lc := c.cmdCache; lc != nil && equalLower(argv[0], c.cmdCacheName) {
		return lc
	}
	cmd := c.srv.lookupCommand(argv)
	if cmd != nil && cmd.Parent == nil && cmd.Subs == nil {
		// The name it was found by: rename-command may have changed it.
		c.cmdCache, c.cmdCacheName = cmd, strings.ToLower(string(argv[0]))
	}
	return cmd
}

// equalLower reports whether b, ASCII letters lower-cased, is lower.
func equalLower(b []byte, lower string) bool {
	if len(b) != len(lower) {
		return false
	}
	for i, ch := range b {
		if ch >= 'A' && ch <= 'Z' {
			ch += 'a' - 'A'
		}
		if ch != lower[i] {
			return false
		}
	}
	return true
}

// lookupName finds name case-insensitively without allocating: names are
// lower-cased in a stack buffer and the map index on string(buf) does not
// copy.
func lookupName(m map[string]*Command, name []byte) *Command {
	var buf [32]byte
	if len(name) > len(buf) {
		return m[strings.ToLower(string(name))]
	}
	for i, c := range name {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return m[string(buf[:len(name)])]
}

// sortedCommands returns the registered top-level commands by name.
func (s *Server) sortedCommands() []*Command {
	out := make([]*Command, 0, len(s.commands))
	for _, c := range s.commands {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// subList returns the registered subcommands by name.
func (cmd *Command) subList() []*Command {
	out := make([]*Command, 0, len(cmd.Subs))
	for _, c := range cmd.Subs {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
