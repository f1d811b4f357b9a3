package server

import (
	"errors"
	"net"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"time"

	"ferrite/datatypes"
)

// CONFIG GET/SET/RESETSTAT/REWRITE/HELP, as Redis's config.c. The
// parameters themselves are in configtable.go, files in configfile.go.
var configCommands = map[string]cmdProc{
	"config|get":       configGetCommand,
	"config|set":       configSetCommand,
	"config|resetstat": configResetStatCommand,
	"config|rewrite":   configRewriteCommand,
	"config|help":      configHelpCommand,
}

// CONFIG GET parameter [parameter ...]
//
// A name without glob characters answers under the spelling asked for;
// a pattern matches primary names and aliases (both are listed, as in
// Redis 7.0) but never hidden parameters. Each parameter appears once.
func configGetCommand(c *client) {
	type match struct {
		name string
		p    *param
	}
	var matches []match
	seen := make(map[string]bool) // lower-case names already answered
	for _, arg := range c.argv[2:] {
		pattern := string(arg)
		if !strings.ContainsAny(pattern, "[*?") {
			lower := strings.ToLower(pattern)
			if seen[lower] {
				continue
			}
			if e, ok := lookupParam(pattern); ok {
				seen[lower] = true
				matches = append(matches, match{pattern, e.p})
			}
			continue
		}
		for _, e := range paramEntries {
			if e.p.flags&paramHidden != 0 || seen[e.name] {
				continue
			}
			if datatypes.GlobMatch(arg, []byte(e.name), true) {
				seen[e.name] = true
				matches = append(matches, match{e.name, e.p})
			}
		}
	}
	c.addMapLen(len(matches))
	for _, m := range matches {
		c.addBulkString(m.name)
		c.addBulkString(m.p.get(c.srv.cfg))
	}
}

// CONFIG SET parameter value [parameter value ...]
//
// Atomic, as Redis 7.0: every name is checked first (unknown, immutable,
// protected, given twice), then every value is set, then the apply hooks
// of the changed parameters run once each; a failure at any step restores
// the previous configuration (and re-applies it) before replying.
func configSetCommand(c *client) {
	s := c.srv
	if len(c.argv)%2 != 0 {
		c.addError(errSyntax)
		return
	}
	type change struct {
		e     paramEntry
		value string
	}
	var changes []change
	for i := 2; i < len(c.argv); i += 2 {
		name := string(c.argv[i])
		e, ok := lookupParam(name)
		if !ok {
			c.addErrorString("ERR Unknown option or number of arguments for CONFIG SET - '" + name + "'")
			return
		}
		switch {
		case e.p.flags&paramImmutable != 0:
			c.addErrorString(configSetError(name, "can't set immutable config"))
			return
		case e.p.flags&paramProtected != 0 && !allowedByOption(s.cfg.EnableProtectedConfigs, c):
			c.addErrorString(configSetError(name, "can't set protected config"))
			return
		}
		for _, prev := range changes {
			// An alias is a parameter of its own here, as in Redis:
			// "hash-max-ziplist-entries 1 hash-max-listpack-entries 2"
			// is accepted and the last one wins.
			if prev.e.p == e.p && prev.e.isAlias == e.isAlias {
				c.addErrorString(configSetError(name, "duplicate parameter"))
				return
			}
		}
		changes = append(changes, change{e, string(c.argv[i+1])})
	}

	saved := *s.cfg
	var applies []func(*Server) error
	var applyOwner []string
	for _, ch := range changes {
		p := ch.e.p
		args := []string{ch.value}
		if p.flags&paramMultiArg != 0 {
			args = splitMultiArg(ch.value)
		}
		before := p.get(s.cfg)
		if err := p.set(s.cfg, args); err != "" {
			*s.cfg = saved
			c.addErrorString(configSetError(ch.e.name, err))
			return
		}
		if p.apply != nil && p.get(s.cfg) != before && !containsFunc(applies, p.apply) {
			applies = append(applies, p.apply)
			applyOwner = append(applyOwner, p.name)
		}
	}
	for i, apply := range applies {
		if err := apply(s); err != nil {
			s.logf("#", "Failed applying new configuration. Possibly related to new %s setting. Restoring previous settings.", applyOwner[i])
			*s.cfg = saved
			for _, undo := range applies {
				if uerr := undo(s); uerr != nil {
					s.logf("#", "Failed applying restored failed CONFIG SET command: %s", uerr)
				}
			}
			c.addErrorString(configSetError(applyOwner[i], err.Error()))
			return
		}
	}
	c.addOK()
}

func configSetError(name, msg string) string {
	return "ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + msg
}

// containsFunc reports whether fns holds fn (the same function), so that
// parameters sharing an apply hook (port and bind) run it once.
func containsFunc(fns []func(*Server) error, fn func(*Server) error) bool {
	for _, f := range fns {
		if reflect.ValueOf(f).Pointer() == reflect.ValueOf(fn).Pointer() {
			return true
		}
	}
	return false
}

// CONFIG RESETSTAT
func configResetStatCommand(c *client) {
	c.srv.resetStats()
	c.addOK()
}

// resetStats zeroes what CONFIG RESETSTAT resets in Redis
// (resetServerStats, resetCommandTableStats, resetErrorTableStats): the
// INFO stats counters, errorstats, and every command's calls, time,
// failures and latency histogram. The slow log and the latency monitor
// are kept (SLOWLOG RESET and LATENCY RESET clear them). A counter added
// to stats must be added here.
func (s *Server) resetStats() {
	st := &s.stats
	st.connectionsReceived = 0
	st.rejectedConns = 0
	st.commandsProcessed = 0
	st.expiredKeys = 0
	st.expiredStalePerc = 0
	st.expiredTimeCapReached = 0
	st.expireCycleCPUMs = 0
	st.evictedKeys = 0
	st.keyspaceHits = 0
	st.keyspaceMisses = 0
	st.totalErrorReplies = 0
	st.unexpectedErrorReplies = 0
	st.errors = nil
	st.netInput.Store(0)
	st.netOutput.Store(0)
	st.opsSample = opsSampler{lastTime: s.now()}
	var walk func(cmd *Command)
	walk = func(cmd *Command) {
		cmd.stats.calls, cmd.stats.usec, cmd.stats.rejected, cmd.stats.failed = 0, 0, 0, 0
		cmd.stats.latency.reset()
		for _, sub := range cmd.Subs {
			walk(sub)
		}
	}
	for _, cmd := range s.commands {
		walk(cmd)
	}
}

// CONFIG REWRITE
func configRewriteCommand(c *client) {
	s := c.srv
	if s.cfg.ConfigFile == "" {
		c.addErrorString("ERR The server is running without a config file")
		return
	}
	if err := rewriteConfigFile(s.cfg.ConfigFile, s.cfg, false); err != nil {
		s.logf("#", "CONFIG REWRITE failed: %s", strerror(err))
		c.addErrorString("ERR Rewriting config file: " + strerror(err))
		return
	}
	s.logf("#", "CONFIG REWRITE executed with success.")
	c.addOK()
}

// CONFIG HELP
func configHelpCommand(c *client) {
	c.addReplyHelp(
		"GET <pattern>",
		"    Return parameters matching the glob-like <pattern> and their values.",
		"SET <directive> <value>",
		"    Set the configuration <directive> to <value>.",
		"RESETSTAT",
		"    Reset statistics reported by the INFO command.",
		"REWRITE",
		"    Rewrite the configuration file.",
	)
}

// --- apply hooks: make a CONFIG SET take effect in the running server ---

// applyHz caps hz to [1, 500] as Redis's updateHZ: out-of-range values
// are accepted as a hint. The cron reads hz at every tick.
func (s *Server) applyHz() error {
	clampHz(s.cfg)
	return nil
}

// applyBusyPoll hands busy-poll-usec to the event loop. With one CPU a
// spinning loop would only take it from the clients, so it never spins.
func (s *Server) applyBusyPoll() error {
	d := time.Duration(s.cfg.BusyPollUsec) * time.Microsecond
	if runtime.NumCPU() < 2 {
		d = 0
	}
	s.busyPoll.Store(int64(d))
	return nil
}

// applyMaxmemory warns when the new limit is already exceeded, as Redis
// does; the next write commands evict (or are refused) accordingly.
func (s *Server) applyMaxmemory() error {
	if m := uint64(s.cfg.MaxMemory); m > 0 {
		if used := s.usedMemory(); m < used {
			s.logf("#", "WARNING: the new maxmemory value set via CONFIG SET (%d) is smaller than the current memory usage (%d). This will result in key eviction and/or the inability to accept new write commands depending on the maxmemory-policy.", m, used)
		}
	}
	return nil
}

// minReplBacklogSize is Redis's CONFIG_REPL_BACKLOG_MIN_SIZE.
const minReplBacklogSize = 16 * 1024

// applyReplBacklogSize raises a too small backlog to the minimum, as
// Redis's resizeReplicationBacklog (a config file may set less; CONFIG SET
// may not). Replication resizes its backlog from the field.
func (s *Server) applyReplBacklogSize() error {
	if s.cfg.ReplBacklogSize < minReplBacklogSize {
		s.cfg.ReplBacklogSize = minReplBacklogSize
	}
	return nil
}

// renameCommands applies the config files' rename-command directives to
// the command table: the entry moves to its new name, or disappears when
// the new name is "".
func (s *Server) renameCommands() {
	for _, r := range s.cfg.RenameCommands {
		cmd := s.commands[r[0]]
		if cmd == nil {
			continue
		}
		delete(s.commands, r[0])
		if r[1] != "" {
			s.commands[r[1]] = cmd
		}
	}
}

// tcpListening is what ListenAndServe opened from bind and port, so that
// CONFIG SET can move it. Guarded by Server.lnMu.
type tcpListening struct {
	lns     []net.Listener
	bind    []string
	port    int
	retired []net.Listener // closed by a move: their Serve returns nil
}

// applyListeners moves the listening sockets to the new port or bind
// addresses. As Redis's changeListenPort, a new port is opened before the
// old one is closed, so a failure leaves the server as it was; as its
// changeBindAddr, new addresses on the same port need the old sockets
// closed first, and are replaced by the old ones again on failure. A
// server that was only handed listeners (Serve) has none of its own to
// move.
func (s *Server) applyListeners() error {
	s.lnMu.Lock()
	cur := s.tcp
	s.lnMu.Unlock()
	bind, port := s.cfg.Bind, s.cfg.Port
	if cur.lns == nil || (cur.port == port && slices.Equal(cur.bind, bind)) {
		return nil
	}
	if cur.port != port {
		lns, err := listenTCP(bind, port)
		if err != nil {
			s.logf("#", "%v", err)
			return errors.New("Unable to listen on this port. Check server logs.")
		}
		s.installListeners(lns, bind, port)
		return nil
	}
	s.installListeners(nil, nil, 0)
	lns, err := listenTCP(bind, port)
	if err != nil {
		s.logf("#", "%v", err)
		s.logf("#", "Failed to bind, trying to restore old listening sockets.")
		old, rerr := listenTCP(cur.bind, cur.port)
		if rerr != nil {
			s.logf("#", "Failed to restore old listening sockets: %v", rerr)
		}
		s.installListeners(old, cur.bind, cur.port)
		return errors.New("Failed to bind to specified addresses.")
	}
	s.installListeners(lns, bind, port)
	return nil
}

// installListeners closes the current TCP listeners and serves lns (which
// may be none) in their place.
func (s *Server) installListeners(lns []net.Listener, bind []string, port int) {
	s.lnMu.Lock()
	old := s.tcp.lns
	s.tcp = tcpListening{lns: lns, bind: bind, port: port, retired: append(s.tcp.retired, old...)}
	kept := s.listeners[:0]
	for _, ln := range s.listeners {
		if !slices.Contains(old, ln) {
			kept = append(kept, ln)
		}
	}
	s.listeners = kept
	s.lnMu.Unlock()
	for _, ln := range old {
		ln.Close()
	}
	for _, ln := range lns {
		go func(ln net.Listener) {
			if err := s.Serve(ln); err != nil {
				s.mu.Lock()
				s.logf("#", "Accept failed on %s: %v", ln.Addr(), err)
				s.mu.Unlock()
			}
		}(ln)
	}
}

// retiredListener reports whether ln was closed by applyListeners.
func (s *Server) retiredListener(ln net.Listener) bool {
	s.lnMu.Lock()
	defer s.lnMu.Unlock()
	return slices.Contains(s.tcp.retired, ln)
}
