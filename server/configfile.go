package server

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"ferrite/server/resp"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Config files and the command line, as redis-server reads them
// (config.c's loadServerConfig and server.c's main): a file is lines of
// directives, '#' comments, arguments split as sdssplitargs does; the
// command line's "--name value ..." options are turned into directive
// lines appended after the file, so one parser checks everything and
// errors name the line exactly as Redis does.

// ConfigError is a fatal error in a config file or in command-line
// options. Error() is exactly what redis-server prints on stderr.
type ConfigError struct {
	Line     int    // 1-based, 0 when the error is not about one line
	LineText string // the offending line, trimmed
	Msg      string
}

func (e *ConfigError) Error() string {
	s := "\n*** FATAL CONFIG FILE ERROR (Redis " + Version + ") ***\n"
	if e.Line > 0 {
		s += "Reading the configuration file, at line " + strconv.Itoa(e.Line) + "\n>>> '" + e.LineText + "'\n"
	}
	return s + e.Msg
}

// ConfigFileOpenError is a config file (or include) that cannot be read;
// redis-server logs it (Error() is the log message) and exits.
type ConfigFileOpenError struct {
	Path string
	Err  error
}

func (e *ConfigFileOpenError) Error() string {
	return "Fatal error, can't open config file '" + e.Path + "': " + strerror(e.Err)
}

func (e *ConfigFileOpenError) Unwrap() error { return e.Err }

// InfoExit is returned by LoadConfig for --version and --help: the caller
// prints Text and exits with Status, as redis-server does (--version on
// stdout with 0, --help on stderr with 1).
type InfoExit struct {
	Text   string
	Status int
}

func (e *InfoExit) Error() string { return e.Text }

// VersionLine is what --version prints.
func VersionLine() string {
	return "Ferrite server v=" + Version + " sha=00000000:0 malloc=go bits=64 build=0000000000000000"
}

func usageText() string {
	return `Usage: ./ferrite [/path/to/redis.conf] [options] [-]
       ./ferrite - (read config from stdin)
       ./ferrite -v or --version
       ./ferrite -h or --help

Examples:
       ./ferrite (run the server with default conf)
       echo 'maxmemory 128mb' | ./ferrite -
       ./ferrite /etc/redis/6379.conf
       ./ferrite --port 7777
       ./ferrite --port 7777 --replicaof 127.0.0.1 8888
       ./ferrite /etc/myredis.conf --loglevel verbose -
       ./ferrite /etc/myredis.conf --loglevel verbose
`
}

// LoadConfig builds a Config from redis-server's command line: an
// optional config file path first ("-" or a trailing "-" reads stdin
// too), then "--name value [value ...]" options, which override the file.
func LoadConfig(args []string) (*Config, error) {
	return loadConfig(args, os.Stdin)
}

func loadConfig(args []string, stdin io.Reader) (*Config, error) {
	cfg := DefaultConfig()
	if len(args) == 0 {
		return cfg, nil
	}
	switch args[0] {
	case "-v", "--version":
		return nil, &InfoExit{VersionLine(), 0}
	case "-h", "--help":
		return nil, &InfoExit{usageText(), 1}
	}
	j := 0
	if args[0] == "" || args[0][0] != '-' {
		abs, err := filepath.Abs(args[0])
		if err != nil {
			return nil, &ConfigFileOpenError{args[0], err}
		}
		cfg.ConfigFile = abs
		j = 1
	}
	fromStdin := false
	options := commandLineOptions(args[j:], j == 0, &fromStdin)

	var content string
	if cfg.ConfigFile != "" {
		b, err := os.ReadFile(cfg.ConfigFile)
		if err != nil {
			return nil, &ConfigFileOpenError{cfg.ConfigFile, err}
		}
		content = string(b)
	}
	if fromStdin {
		b, err := io.ReadAll(stdin)
		if err != nil {
			return nil, err
		}
		content += string(b)
	}
	if options != "" {
		content += "\n" + options
	}
	ld := &configLoader{cfg: cfg}
	if err := ld.load(content); err != nil {
		return nil, err
	}
	return cfg, nil
}

// commandLineOptions turns options into directive lines as redis-server's
// main does: "--name" starts a line, every other argument is appended
// quoted. "--save" with no value means save "". A lone "-" first or last
// asks for stdin.
func commandLineOptions(args []string, firstIsArg1 bool, fromStdin *bool) string {
	var b strings.Builder
	handledLastConfigArg := true
	for i, a := range args {
		last := i == len(args)-1
		if a == "-" && ((i == 0 && firstIsArg1) || last) {
			*fromStdin = true
			continue
		}
		if handledLastConfigArg && strings.HasPrefix(a, "--") {
			if b.Len() > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(a[2:])
			b.WriteByte(' ')
			if words, _ := resp.SplitLine(a); len(words) == 1 {
				// Only the name: its value is the next argument.
				handledLastConfigArg = false
				nextIsOption := !last && strings.HasPrefix(args[i+1], "--")
				if strings.EqualFold(a, "--save") && (last || nextIsOption) {
					b.WriteString(`""`)
					handledLastConfigArg = !last
				}
			} else {
				handledLastConfigArg = true
			}
			continue
		}
		b.WriteString(quoteArg(a))
		b.WriteByte(' ')
		handledLastConfigArg = true
	}
	return b.String()
}

// configLoader applies directives to cfg; it carries what must persist
// across included files.
type configLoader struct {
	cfg        *Config
	saveLoaded bool // the first "save" replaces the defaults, later ones add
	commands   map[string]bool
	depth      int
}

// deprecatedDirectives are accepted and ignored, with their argc range.
var deprecatedDirectives = map[string][2]int{
	"list-max-ziplist-entries": {2, 2},
	"list-max-ziplist-value":   {2, 2},
	"lua-replicate-commands":   {2, 2},
}

// load is Redis's loadServerConfigFromString.
func (ld *configLoader) load(content string) error {
	lines := strings.Split(content, "\n")
	for i, raw := range lines {
		line := strings.Trim(raw, " \t\r\n")
		if line == "" || line[0] == '#' {
			continue
		}
		fail := func(msg string) error { return &ConfigError{Line: i + 1, LineText: line, Msg: msg} }
		argv, ok := resp.SplitLine(line)
		if !ok {
			return fail("Unbalanced quotes in configuration line")
		}
		if len(argv) == 0 {
			continue
		}
		name := strings.ToLower(argv[0])
		if e, ok := lookupParam(name); ok {
			p := e.p
			if p.flags&paramMultiArg == 0 && len(argv) != 2 {
				return fail("wrong number of arguments")
			}
			// A multi-argument parameter given as one non-empty argument
			// is split on spaces, as Redis 7.0 does, so that
			// --save "3600 1" works like --save 3600 1.
			if p.flags&paramMultiArg != 0 && len(argv) == 2 && argv[1] != "" {
				if split, ok := resp.SplitLine(argv[1]); ok {
					argv = append(argv[:1], split...)
				}
			}
			if p.name == "save" {
				sp, err := parseSaveParams(argv[1:])
				if err != "" {
					return fail(err)
				}
				if !ld.saveLoaded {
					ld.saveLoaded = true
					ld.cfg.Save = nil
				}
				ld.cfg.Save = append(append([]SaveParam{}, ld.cfg.Save...), sp...)
				if len(sp) == 0 {
					ld.cfg.Save = []SaveParam{}
				}
				continue
			}
			if err := p.set(ld.cfg, argv[1:]); err != "" {
				return fail(err)
			}
			continue
		}
		if r, ok := deprecatedDirectives[name]; ok && len(argv) >= r[0] && len(argv) <= r[1] {
			continue
		}
		switch {
		case name == "include" && len(argv) == 2:
			if err := ld.include(argv[1]); err != nil {
				return err
			}
		case name == "rename-command" && len(argv) == 3:
			if err := ld.renameCommand(argv[1], argv[2]); err != "" {
				return fail(err)
			}
		case name == "user" && len(argv) >= 2:
			ld.cfg.Users = append(ld.cfg.Users, append([]string{}, argv[1:]...))
		case name == "loadmodule" && len(argv) >= 2:
			return fail("Ferrite cannot load Redis modules")
		case strings.Contains(name, "."):
			if len(argv) != 2 {
				return fail("Module config specified without value")
			}
			return fail("Module Configuration detected without loadmodule directive or no ApplyConfig call: aborting")
		case name == "sentinel":
			return fail("Ferrite does not implement sentinel mode")
		default:
			return fail("Bad directive or wrong number of arguments")
		}
	}
	if ld.cfg.LogFile != "" {
		// Fail now rather than lose the log later.
		f, err := os.OpenFile(ld.cfg.LogFile, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			return &ConfigError{Msg: "Can't open the log file: " + strerror(err)}
		}
		f.Close()
	}
	if ld.cfg.ClusterEnabled && ld.cfg.MasterHost != "" {
		return &ConfigError{Msg: "replicaof directive not allowed in cluster mode"}
	}
	clampHz(ld.cfg)
	return nil
}

// include loads another file (or every file a glob pattern matches; no
// match is fine then), with its own line numbers, as Redis does.
func (ld *configLoader) include(path string) error {
	if ld.depth > 32 {
		return &ConfigError{Msg: "Too many nested include directives"}
	}
	paths := []string{path}
	if strings.ContainsAny(path, "*?[") {
		paths, _ = filepath.Glob(path)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return &ConfigFileOpenError{p, err}
		}
		ld.depth++
		err = ld.load(string(b))
		ld.depth--
		if err != nil {
			return err
		}
	}
	return nil
}

// renameCommand checks a rename-command directive against the command
// table as it stands after the previous renames, and records it for New.
func (ld *configLoader) renameCommand(from, to string) string {
	if ld.commands == nil {
		ld.commands = make(map[string]bool)
		for name := range buildCommandTable() {
			ld.commands[name] = true
		}
		for _, r := range ld.cfg.RenameCommands {
			delete(ld.commands, r[0])
			if r[1] != "" {
				ld.commands[r[1]] = true
			}
		}
	}
	from, to = strings.ToLower(from), strings.ToLower(to)
	if !ld.commands[from] {
		return "No such command in rename-command"
	}
	delete(ld.commands, from)
	if to != "" {
		if ld.commands[to] {
			return "Target command name already exists"
		}
		ld.commands[to] = true
	}
	ld.cfg.RenameCommands = append(ld.cfg.RenameCommands, [2]string{from, to})
	return ""
}

// clampHz keeps hz within [1, 500]: Redis takes it as a hint and caps it.
func clampHz(c *Config) {
	if c.Hz < 1 {
		c.Hz = 1
	}
	if c.Hz > 500 {
		c.Hz = 500
	}
}

// quoteArg is Redis's sdscatrepr: a double-quoted string resp.SplitLine reads
// back unchanged.
func quoteArg(s string) string { return string(resp.AppendRepr(nil, []byte(s))) }

// --- CONFIG REWRITE ---

// rewriteSignature marks where CONFIG REWRITE started appending.
const rewriteSignature = "# Generated by CONFIG REWRITE"

// rewriteState is Redis's rewriteConfigState: the old file's lines and,
// per directive, the lines that held it. Rewriting a directive reuses its
// old lines in order and appends the rest; lines of processed directives
// left over are blanked; everything else (comments, unknown lines) stays.
type rewriteState struct {
	optionToLine   map[string][]int
	rewritten      map[string]bool
	lines          []string
	needsSignature bool
	forceWrite     bool
}

// fileOnlyDirectives are directives that are not parameters but that a
// rewrite keeps (the others unknown become "# ??? " comments).
var fileOnlyDirectives = map[string]bool{"include": true, "rename-command": true, "user": true, "loadmodule": true, "sentinel": true}

// readOldConfig is Redis's rewriteConfigReadOldFile. A missing file gives
// an empty state.
func readOldConfig(path string) (*rewriteState, error) {
	st := &rewriteState{optionToLine: map[string][]int{}, rewritten: map[string]bool{}, needsSignature: true}
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return st, nil
		}
		return nil, err
	}
	if len(b) == 0 {
		return st, nil
	}
	for _, raw := range strings.Split(string(b), "\n") {
		line := strings.Trim(raw, "\r\n\t ")
		if line == "" || line[0] == '#' {
			if st.needsSignature && line == rewriteSignature {
				st.needsSignature = false
			}
			st.lines = append(st.lines, line)
			continue
		}
		argv, ok := resp.SplitLine(line)
		var name string
		if ok && len(argv) > 0 {
			name = strings.ToLower(argv[0])
		}
		e, known := lookupParam(name)
		if !ok || len(argv) == 0 || (!known && !fileOnlyDirectives[name]) {
			st.lines = append(st.lines, "# ??? "+line)
			continue
		}
		if known {
			name = e.p.name
		}
		if i := strings.Index(name, "slave"); i >= 0 {
			name = name[:i] + "replica" + name[i+5:]
		}
		st.optionToLine[name] = append(st.optionToLine[name], len(st.lines))
		st.lines = append(st.lines, line)
	}
	return st, nil
}

// rewriteLine is Redis's rewriteConfigRewriteLine: replace the next old
// line of option, or append when forced (the value differs from the
// default).
func (st *rewriteState) rewriteLine(option, line string, force bool) {
	st.rewritten[option] = true
	old := st.optionToLine[option]
	if len(old) == 0 && !force && !st.forceWrite {
		return
	}
	if len(old) > 0 {
		st.lines[old[0]] = line
		if len(old) == 1 {
			delete(st.optionToLine, option)
		} else {
			st.optionToLine[option] = old[1:]
		}
		return
	}
	if st.needsSignature {
		st.lines = append(st.lines, rewriteSignature)
		st.needsSignature = false
	}
	st.lines = append(st.lines, line)
}

func (st *rewriteState) markProcessed(option string) { st.rewritten[option] = true }

// removeOrphaned blanks the old lines of processed options that no new
// value reused (a second "save" line, a directive now at its default).
func (st *rewriteState) removeOrphaned() {
	for option, lines := range st.optionToLine {
		if !st.rewritten[option] {
			continue
		}
		for _, l := range lines {
			st.lines[l] = ""
		}
		delete(st.optionToLine, option)
	}
}

// content joins the lines, squeezing runs of blank lines into one.
func (st *rewriteState) content() string {
	var b strings.Builder
	wasEmpty := false
	for _, l := range st.lines {
		if l == "" {
			if wasEmpty {
				continue
			}
			wasEmpty = true
		} else {
			wasEmpty = false
		}
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.String()
}

// formatMemory is Redis's rewriteConfigFormatMemory.
func formatMemory(v int64) string {
	const kb, mb, gb = 1024, 1024 * 1024, 1024 * 1024 * 1024
	switch {
	case v != 0 && v%gb == 0:
		return strconv.FormatInt(v/gb, 10) + "gb"
	case v != 0 && v%mb == 0:
		return strconv.FormatInt(v/mb, 10) + "mb"
	case v != 0 && v%kb == 0:
		return strconv.FormatInt(v/kb, 10) + "kb"
	}
	return strconv.FormatInt(v, 10)
}

// paramDefault is a Config holding parameter name's default. (The table's
// own functions use it rather than DefaultConfig, which would make the
// table's initialization depend on itself.)
func paramDefault(name string) *Config {
	c := &Config{}
	paramLookup[name].p.reset(c)
	return c
}

// defaultValues maps each parameter to its default as get shows it.
var defaultValues = func() func() map[string]string {
	var m map[string]string
	return func() map[string]string {
		if m == nil {
			m = make(map[string]string)
			d := DefaultConfig()
			for _, p := range configParams {
				m[p.name] = p.get(d)
			}
		}
		return m
	}
}()

// rewrite writes the parameter's directive(s) into st.
func (p *param) rewrite(st *rewriteState, c *Config) {
	if p.kind == kindSpecial {
		p.rewriteFn(st, p.name, c)
		return
	}
	cur := p.get(c)
	def := defaultValues()[p.name]
	force := cur != def
	switch p.kind {
	case kindNum:
		v := p.num.get(c)
		switch {
		case p.nflags&numPercent != 0 && v < 0:
			st.rewriteLine(p.name, p.name+" "+strconv.FormatInt(-v, 10)+"%", force)
		case p.nflags&numMemory != 0:
			st.rewriteLine(p.name, p.name+" "+formatMemory(v), force)
		default:
			st.rewriteLine(p.name, p.name+" "+cur, force)
		}
	case kindString:
		if p.emptyIsNull && cur == "" {
			st.markProcessed(p.name)
			return
		}
		st.rewriteLine(p.name, p.name+" "+quoteArg(cur), force || p.emptyIsNull)
	default:
		st.rewriteLine(p.name, p.name+" "+cur, force)
	}
}

func rewriteDir(st *rewriteState, name string, c *Config) {
	st.rewriteLine(name, name+" "+quoteArg(getDir(c)), true)
}

// rewriteSave always writes the save points, or save "" so that the
// defaults do not come back at the next start.
func rewriteSave(st *rewriteState, name string, c *Config) {
	if len(c.Save) == 0 {
		st.rewriteLine(name, `save ""`, true)
	}
	for _, sp := range c.Save {
		st.rewriteLine(name, "save "+strconv.FormatInt(sp.Seconds, 10)+" "+strconv.FormatInt(sp.Changes, 10), true)
	}
	st.markProcessed(name)
}

func rewriteOutputBufferLimits(st *rewriteState, name string, c *Config) {
	defaults := paramDefault(name).ClientOutputLimits
	for i, l := range c.ClientOutputLimits {
		class := obufClassNames[i]
		if class == "slave" {
			class = "replica"
		}
		line := name + " " + class + " " + formatMemory(l.Hard) + " " + formatMemory(l.Soft) + " " + strconv.FormatInt(l.SoftSecs, 10)
		st.rewriteLine(name, line, l != defaults[i])
	}
}

func rewriteOOMScoreAdjValues(st *rewriteState, name string, c *Config) {
	st.rewriteLine(name, name+" "+getOOMScoreAdjValues(c), c.OOMScoreAdjValues != paramDefault(name).OOMScoreAdjValues)
}

func rewriteNotifyKeyspaceEvents(st *rewriteState, name string, c *Config) {
	st.rewriteLine(name, name+" "+quoteArg(c.NotifyKeyspaceEvents.String()), c.NotifyKeyspaceEvents != 0)
}

// rewriteBind drops the directive at its default and writes bind "" for
// no address at all.
func rewriteBind(st *rewriteState, name string, c *Config) {
	if def := paramDefault(name).Bind; len(c.Bind) == len(def) && getBind(c) == getBind(paramDefault(name)) {
		st.markProcessed(name)
		return
	}
	addrs := strings.Join(c.Bind, " ")
	if len(c.Bind) == 0 {
		addrs = `""`
	}
	st.rewriteLine(name, name+" "+addrs, true)
}

func rewriteReplicaOf(st *rewriteState, name string, c *Config) {
	if c.ClusterEnabled || c.MasterHost == "" {
		st.markProcessed(name)
		return
	}
	st.rewriteLine(name, name+" "+c.MasterHost+" "+strconv.Itoa(c.MasterPort), true)
}

func rewriteLatencyPercentiles(st *rewriteState, name string, c *Config) {
	line := name
	if len(c.LatencyTrackingInfoPercentiles) == 0 {
		line += ` ""`
	}
	for _, v := range c.LatencyTrackingInfoPercentiles {
		line += " " + formatPercentile(v)
	}
	st.rewriteLine(name, line, true)
}

// rewriteUsers writes the "user" directives, as Redis writes its ACL users
// when there is no aclfile: until Ferrite has ACLs, the default user (with
// requirepass as its password) and the user directives the files gave.
func rewriteUsers(st *rewriteState, c *Config) {
	if c.ACLFile != "" {
		st.markProcessed("user")
		return
	}
	users := map[string]string{}
	for _, u := range c.Users {
		users[u[0]] = "user " + strings.Join(u, " ")
	}
	if _, ok := users["default"]; !ok {
		pass := "nopass"
		if c.Requirepass != "" {
			sum := sha256.Sum256([]byte(c.Requirepass))
			pass = "#" + hex.EncodeToString(sum[:])
		}
		users["default"] = "user default on " + pass + " ~* &* +@all"
	}
	names := make([]string, 0, len(users))
	for n := range users {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		st.rewriteLine("user", users[n], true)
	}
	st.markProcessed("user")
}

// rewriteConfigFile is Redis's rewriteConfig: read the old file, rewrite
// every parameter into it, drop orphaned lines, and replace the file
// atomically.
func rewriteConfigFile(path string, c *Config, forceWrite bool) error {
	st, err := readOldConfig(path)
	if err != nil {
		return err
	}
	st.forceWrite = forceWrite
	for _, p := range configParams {
		p.rewrite(st, c)
	}
	rewriteUsers(st, c)
	st.markProcessed("loadmodule") // Ferrite loads no modules
	st.removeOrphaned()
	return overwriteFile(path, st.content())
}

// overwriteFile replaces path with content through a temporary file in
// the same directory, fsynced and renamed, so a crash leaves either file.
func overwriteFile(path, content string) error {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.WriteString(content)
	if err == nil {
		err = f.Sync()
	}
	if err == nil {
		err = f.Chmod(0o644)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}
