package server

import (
	"errors"
	"net"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"unsafe"

	"ferrite/datatypes"
)

// CLIENT subcommands and the client bookkeeping behind them: the CLIENT
// LIST line, killing clients, and the idle-timeout cron.
//
// CACHING, TRACKING, GETREDIR, TRACKINGINFO and UNBLOCK come with
// client-side caching and blocking commands; Redis 7.0 has no SETINFO or
// NO-TOUCH, so they stay unknown subcommands.

var errClientName = errors.New("ERR Client names cannot contain spaces, newlines or special characters.")

var clientHelp = []string{
	"CACHING (YES|NO)",
	"    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
	"GETREDIR",
	"    Return the client ID we are redirecting to when tracking is enabled.",
	"GETNAME",
	"    Return the name of the current connection.",
	"ID",
	"    Return the ID of the current connection.",
	"INFO",
	"    Return information about the current client connection.",
	"KILL <ip:port>",
	"    Kill connection made from <ip:port>.",
	"KILL <option> <value> [<option> <value> [...]]",
	"    Kill connections. Options are:",
	"    * ADDR (<ip:port>|<unixsocket>:0)",
	"      Kill connections made from the specified address",
	"    * LADDR (<ip:port>|<unixsocket>:0)",
	"      Kill connections made to specified local address",
	"    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
	"      Kill connections by type.",
	"    * USER <username>",
	"      Kill connections authenticated by <username>.",
	"    * SKIPME (YES|NO)",
	"      Skip killing current connection (default: yes).",
	"LIST [options ...]",
	"    Return information about client connections. Options:",
	"    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
	"      Return clients of specified type.",
	"UNPAUSE",
	"    Stop the current client pause, resuming traffic.",
	"PAUSE <timeout> [WRITE|ALL]",
	"    Suspend all, or just write, clients for <timeout> milliseconds.",
	"REPLY (ON|OFF|SKIP)",
	"    Control the replies sent to the current connection.",
	"SETNAME <name>",
	"    Assign the name <name> to the current connection.",
	"UNBLOCK <clientid> [TIMEOUT|ERROR]",
	"    Unblock the specified blocked client.",
	"TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
	"         [OPTIN] [OPTOUT] [NOLOOP]",
	"    Control server assisted client side caching.",
	"TRACKINGINFO",
	"    Report tracking status for the current connection.",
	"NO-EVICT (ON|OFF)",
	"    Protect current client connection from eviction.",
}

// Client types of CLIENT LIST/KILL TYPE and client-output-buffer-limit
// (Redis's CLIENT_TYPE_*).
const (
	clientTypeNormal = iota
	clientTypeReplica
	clientTypePubSub
	clientTypeMaster
)

// clientTypeByName is Redis's getClientTypeByName; -1 when unknown.
func clientTypeByName(name []byte) int {
	switch strings.ToLower(string(name)) {
	case "normal":
		return clientTypeNormal
	case "slave", "replica":
		return clientTypeReplica
	case "pubsub":
		return clientTypePubSub
	case "master":
		return clientTypeMaster
	}
	return -1
}

// clientType is Redis's getClientType. A monitor is a normal client for
// it. Replicas, masters and pub/sub clients get their type when those
// features land.
func (c *client) clientType() int {
	if c.pubsub != nil {
		return clientTypePubSub
	}
	return clientTypeNormal
}

// addSubcommandSyntaxError is Redis's addReplySubcommandSyntaxError, for a
// known subcommand with arguments it does not accept.
func (c *client) addSubcommandSyntaxError() {
	c.addErrorString("ERR unknown subcommand or wrong number of arguments for '" +
		clip(string(c.argv[1]), 128) + "'. Try " + strings.ToUpper(string(c.argv[0])) + " HELP.")
}

// CLIENT HELP
func clientHelpCommand(c *client) { c.addReplyHelp(clientHelp...) }

// CLIENT ID
func clientIDCommand(c *client) { c.addInt(c.id) }

// CLIENT SETNAME connection-name
func clientSetnameCommand(c *client) {
	name := c.argv[2]
	if err := validateClientName(name); err != nil {
		c.addError(err)
		return
	}
	c.name = string(name) // "" removes the name
	c.addOK()
}

// CLIENT GETNAME
func clientGetnameCommand(c *client) {
	if c.name == "" {
		c.addNull()
		return
	}
	c.addBulkString(c.name)
}

// CLIENT INFO
func clientInfoCommand(c *client) {
	b := c.srv.appendClientInfo(nil, c, c)
	c.addVerbatim(append(b, '\n'))
}

// CLIENT LIST [TYPE NORMAL|MASTER|REPLICA|PUBSUB] [ID client-id [client-id ...]]
func clientListCommand(c *client) {
	s := c.srv
	var out []byte
	switch {
	case len(c.argv) == 4 && strings.EqualFold(string(c.argv[2]), "type"):
		typ := clientTypeByName(c.argv[3])
		if typ < 0 {
			c.addErrorString("ERR Unknown client type '" + string(c.argv[3]) + "'")
			return
		}
		for _, cl := range s.sortedClients() {
			if cl.clientType() == typ {
				out = append(s.appendClientInfo(out, cl, c), '\n')
			}
		}
	case len(c.argv) > 3 && strings.EqualFold(string(c.argv[2]), "id"):
		for _, arg := range c.argv[3:] {
			id, ok := datatypes.ParseInt(arg)
			if !ok {
				c.addErrorString("ERR Invalid client ID")
				return
			}
			if cl := s.clients[id]; cl != nil {
				out = append(s.appendClientInfo(out, cl, c), '\n')
			}
		}
	case len(c.argv) != 2:
		c.addError(errSyntax)
		return
	default:
		for _, cl := range s.sortedClients() {
			out = append(s.appendClientInfo(out, cl, c), '\n')
		}
	}
	c.addVerbatim(out)
}

// sortedClients returns the connected clients in connection order, as
// Redis's server.clients list holds them.
func (s *Server) sortedClients() []*client {
	out := make([]*client, 0, len(s.clients))
	for _, cl := range s.clients {
		out = append(out, cl)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}

// clientStructSize is what a client costs before its buffers (tot-mem).
const clientStructSize = int64(unsafe.Sizeof(client{}))

// appendClientInfo appends cl's CLIENT LIST line (without the newline) in
// Redis 7.0's field order. self is the client running the command: only
// its own buffers may be read here, the others belong to goroutines
// running without the lock, so their query and reply buffers show as
// empty, as an idle Redis client's are.
func (s *Server) appendClientInfo(b []byte, cl, self *client) []byte {
	now := s.now()
	var qbuf, qbufFree, argvMem, rbs, rbp int64
	if cl == self {
		qbuf = requestLen(cl.argv)
		qbufFree = max(int64(cl.rd.BufferCap())-qbuf, 0)
		for _, a := range cl.argv {
			argvMem += int64(len(a))
		}
		rbs, rbp = int64(cap(cl.reply)), int64(len(cl.reply))
	}
	omem := int64(cl.pendingOutput())
	field := func(name string, v int64) {
		b = append(b, ' ')
		b = append(b, name...)
		b = append(b, '=')
		b = strconv.AppendInt(b, v, 10)
	}
	str := func(name, v string) {
		b = append(b, ' ')
		b = append(b, name...)
		b = append(b, '=')
		b = append(b, v...)
	}
	b = append(b, "id="...)
	b = strconv.AppendInt(b, cl.id, 10)
	str("addr", cl.raddr)
	str("laddr", cl.laddr)
	field("fd", connFD(cl.conn))
	str("name", cl.name)
	field("age", now.Unix()-cl.ctime.Unix())
	field("idle", now.Unix()-cl.lastInteraction.Unix())
	str("flags", s.clientFlagString(cl))
	field("db", int64(cl.db.ID))
	var sub, psub, ssub int
	if ps := cl.pubsub; ps != nil {
		sub, psub, ssub = len(ps.channels), len(ps.patterns), len(ps.shard)
	}
	field("sub", int64(sub))
	field("psub", int64(psub))
	field("ssub", int64(ssub))
	field("multi", -1)
	field("qbuf", qbuf)
	field("qbuf-free", qbufFree)
	field("argv-mem", argvMem)
	field("multi-mem", 0)
	field("rbs", rbs)
	field("rbp", rbp)
	field("obl", 0)
	field("oll", min(omem, 1))
	field("omem", omem)
	field("tot-mem", clientStructSize+qbuf+qbufFree+rbs+omem)
	if omem > 0 {
		str("events", "rw")
	} else {
		str("events", "r")
	}
	if cl.cmd != nil {
		str("cmd", cl.cmd.FullName)
	} else {
		str("cmd", "NULL")
	}
	str("user", cl.user)
	field("redir", trackingRedir(cl.tracking))
	field("resp", int64(cl.proto))
	return b
}

// clientFlagString is the flags= field, letters in Redis's order.
func (s *Server) clientFlagString(cl *client) string {
	var f []byte
	if cl.flags&flagMonitor != 0 {
		f = append(f, 'O')
	}
	if cl.pubsub != nil {
		f = append(f, 'P')
	}
	if s.isPauseWaiting(cl) {
		f = append(f, 'b')
	}
	f = trackingFlags(f, cl.tracking)
	if cl.flags&flagCloseAfterReply != 0 {
		f = append(f, 'c')
	}
	if cl.flags&flagCloseASAP != 0 {
		f = append(f, 'A')
	}
	if cl.flags&flagNoEvict != 0 {
		f = append(f, 'e')
	}
	if len(f) == 0 {
		return "N"
	}
	return string(f)
}

// requestLen is the size of argv as a RESP multibulk request: what Redis
// counts as the query buffer while the command runs.
func requestLen(argv [][]byte) int64 {
	n := 1 + int64(len(strconv.Itoa(len(argv)))) + 2
	for _, a := range argv {
		n += 1 + int64(len(strconv.Itoa(len(a)))) + 2 + int64(len(a)) + 2
	}
	return n
}

// connFD returns the descriptor of a socket, -1 for connections without one.
func connFD(conn net.Conn) int64 {
	sc, ok := conn.(syscall.Conn)
	if !ok {
		return -1
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return -1
	}
	fd := int64(-1)
	if rc.Control(func(f uintptr) { fd = int64(f) }) != nil {
		return -1
	}
	return fd
}

// CLIENT KILL ip:port
// CLIENT KILL [ID client-id] [TYPE NORMAL|MASTER|SLAVE|REPLICA|PUBSUB] [USER username] [ADDR ip:port] [LADDR ip:port] [SKIPME yes/no]
func clientKillCommand(c *client) {
	s := c.srv
	var (
		addr, laddr, user string
		hasAddr, hasLaddr bool
		hasUser           bool
		typ               = -1
		id                int64
		skipme            = true
	)
	if len(c.argv) == 3 {
		// The old form kills by address and may kill the caller itself.
		addr, hasAddr, skipme = string(c.argv[2]), true, false
	} else {
		for i := 2; i < len(c.argv); i += 2 {
			if i+1 >= len(c.argv) {
				c.addError(errSyntax)
				return
			}
			opt, val := strings.ToLower(string(c.argv[i])), c.argv[i+1]
			switch opt {
			case "id":
				n, ok := datatypes.ParseInt(val)
				if !ok || n < 1 {
					c.addErrorString("ERR client-id should be greater than 0")
					return
				}
				id = n
			case "type":
				if typ = clientTypeByName(val); typ < 0 {
					c.addErrorString("ERR Unknown client type '" + string(val) + "'")
					return
				}
			case "addr":
				addr, hasAddr = string(val), true
			case "laddr":
				laddr, hasLaddr = string(val), true
			case "user":
				if !s.userExists(string(val)) {
					c.addErrorString("ERR No such user '" + string(val) + "'")
					return
				}
				user, hasUser = string(val), true
			case "skipme":
				switch strings.ToLower(string(val)) {
				case "yes":
					skipme = true
				case "no":
					skipme = false
				default:
					c.addError(errSyntax)
					return
				}
			default:
				c.addError(errSyntax)
				return
			}
		}
	}
	killed, killSelf := 0, false
	for _, cl := range s.sortedClients() {
		if (hasAddr && cl.raddr != addr) || (hasLaddr && cl.laddr != laddr) ||
			(typ >= 0 && cl.clientType() != typ) || (id != 0 && cl.id != id) ||
			(hasUser && cl.user != user) || (cl == c && skipme) {
			continue
		}
		if cl == c {
			killSelf = true
		} else {
			s.killClient(cl)
		}
		killed++
	}
	if len(c.argv) == 3 {
		if killed == 0 {
			c.addErrorString("ERR No such client")
		} else {
			c.addOK()
		}
	} else {
		c.addInt(int64(killed))
	}
	// The caller goes only once its reply is written.
	if killSelf {
		c.flags |= flagCloseAfterReply
	}
}

// userExists reports whether an ACL user of that name exists; until ACL
// lands the only user is "default".
func (s *Server) userExists(name string) bool { return name == "default" }

// killClient disconnects another client at once, as Redis's freeClient:
// it leaves the client table (CLIENT LIST, INFO and the next KILL no
// longer see it), stops being fed as a monitor, a command of it waiting
// for a pause is dropped, and its connection is closed so its goroutine
// ends. Its flags are left alone: they belong to its own goroutine, which
// notices it is gone (executeBatch) before running anything else.
// Called with s.mu held.
func (s *Server) killClient(cl *client) {
	delete(s.clients, cl.id)
	s.dropMonitor(cl)
	s.wakePaused(cl)
	s.endBlock(cl)
	cl.disconnect()
}

// CLIENT PAUSE timeout [WRITE | ALL]
func clientPauseCommand(c *client) {
	if len(c.argv) > 4 {
		c.addSubcommandSyntaxError()
		return
	}
	typ := pauseAll
	if len(c.argv) == 4 {
		switch strings.ToLower(string(c.argv[3])) {
		case "write":
			typ = pauseWrite
		case "all":
		default:
			c.addErrorString("ERR CLIENT PAUSE mode must be WRITE or ALL")
			return
		}
	}
	ms, ok := datatypes.ParseInt(c.argv[2])
	if !ok {
		c.addErrorString("ERR timeout is not an integer or out of range")
		return
	}
	if ms < 0 {
		c.addErrorString("ERR timeout is negative")
		return
	}
	// As Redis 7.0, 0 means an end already past, and a huge timeout wraps
	// around to one (so it pauses nothing) rather than being refused.
	end := ms
	if ms > 0 {
		end = ms + c.srv.mstime()
	}
	c.srv.pauseClients(end, typ)
	c.addOK()
}

// CLIENT UNPAUSE
func clientUnpauseCommand(c *client) {
	c.srv.unpauseClients()
	c.addOK()
}

// CLIENT REPLY ON|OFF|SKIP
func clientReplyCommand(c *client) {
	switch strings.ToLower(string(c.argv[2])) {
	case "on":
		c.flags &^= flagReplySkip | flagReplySkipNext | flagReplyOff
		c.addOK()
	case "off":
		c.flags |= flagReplyOff
	case "skip":
		if c.flags&flagReplyOff == 0 {
			c.flags |= flagReplySkipNext
		}
	default:
		c.addError(errSyntax)
	}
}

// CLIENT NO-EVICT ON|OFF
func clientNoEvictCommand(c *client) {
	switch strings.ToLower(string(c.argv[2])) {
	case "on":
		c.flags |= flagNoEvict
		c.addOK()
	case "off":
		c.flags &^= flagNoEvict
		c.addOK()
	default:
		c.addError(errSyntax)
	}
}

// clientsCron is the per-tick client work of Redis's clientsCron: it
// closes clients idle for longer than the timeout parameter (not monitors,
// nor clients whose command waits for a pause: for Redis those are
// replicas and blocked clients) and samples the statistics INFO shows.
// Called from the cron with s.mu held.
func (s *Server) clientsCron() {
	now := s.now()
	s.admin.sample(s, now)
	s.pauseActive() // ends a pause whose time is up even if its timer is late
	if s.cfg.Timeout <= 0 || now.Unix() == s.admin.lastTimeoutScan {
		return
	}
	// Once a second is enough: timeouts are in whole seconds.
	s.admin.lastTimeoutScan = now.Unix()
	for _, cl := range s.clients {
		if cl.flags&flagMonitor != 0 || cl.pubsub != nil || s.isPauseWaiting(cl) {
			continue
		}
		if now.Unix()-cl.lastInteraction.Unix() > int64(s.cfg.Timeout) {
			s.killClient(cl)
		}
	}
}
