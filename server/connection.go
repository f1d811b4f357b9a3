package server

import (
	"strings"

	"ferrite/datatypes"
)

// Connection commands: PING, ECHO, SELECT, QUIT, RESET, AUTH, HELLO.
var connectionCommands = map[string]cmdProc{
	"ping":   pingCommand,
	"echo":   echoCommand,
	"select": selectCommand,
	"quit":   quitCommand,
	"reset":  resetCommand,
	"auth":   authCommand,
	"hello":  helloCommand,
}

// PING [message]
func pingCommand(c *client) {
	if len(c.argv) > 2 {
		c.addErrorArity()
		return
	}
	if c.pubsub != nil && c.proto == 2 {
		c.addArrayLen(2)
		c.addBulkString("pong")
		if len(c.argv) == 1 {
			c.addBulkString("")
		} else {
			c.addBulk(c.argv[1])
		}
		return
	}
	if len(c.argv) == 1 {
		c.addSimple("PONG")
		return
	}
	c.addBulk(c.argv[1])
}

// ECHO message
func echoCommand(c *client) { c.addBulk(c.argv[1]) }

// SELECT index
func selectCommand(c *client) {
	id, ok := c.intArg(c.argv[1])
	if !ok {
		return
	}
	if id < 0 || id >= len(c.srv.dbs) {
		c.addError(errDBIndex)
		return
	}
	c.db = c.srv.dbs[id]
	c.addOK()
}

// QUIT
func quitCommand(c *client) {
	c.addOK()
	c.flags |= flagCloseAfterReply
}

// RESET
func resetCommand(c *client) {
	s := c.srv
	if c.flags&flagMonitor != 0 {
		s.removeMonitor(c)
	}
	s.discardTransaction(c)
	s.pubsubUnsubscribeAll(c)
	c.dirtyCAS = false
	c.db = s.dbs[0]
	c.proto = 2
	c.user = "default"
	c.authenticated = !s.authRequired()
	c.name = ""
	c.flags &^= flagNoEvict | flagReplyOff | flagReplySkip | flagReplySkipNext
	c.addSimple("RESET")
}

// checkPassword authenticates user/pass against the users Ferrite has:
// "default", with requirepass as its password (nopass when empty).
func (s *Server) checkPassword(user, pass []byte) bool {
	if string(user) != "default" {
		return false
	}
	return s.cfg.Requirepass == "" || string(pass) == s.cfg.Requirepass
}

const errWrongPass = "WRONGPASS invalid username-password pair or user is disabled."

// AUTH [username] password
func authCommand(c *client) {
	if len(c.argv) > 3 {
		c.addError(errSyntax)
		return
	}
	user, pass := []byte("default"), c.argv[len(c.argv)-1]
	if len(c.argv) == 2 {
		if c.srv.cfg.Requirepass == "" {
			c.addErrorString("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?")
			return
		}
	} else {
		user = c.argv[1]
	}
	if !c.srv.checkPassword(user, pass) {
		c.addErrorString(errWrongPass)
		return
	}
	c.authenticated = true
	c.user = string(user)
	c.addOK()
}

// HELLO [protover [AUTH username password] [SETNAME clientname]]
func helloCommand(c *client) {
	ver := int64(0)
	if len(c.argv) >= 2 {
		v, ok := datatypes.ParseInt(c.argv[1])
		if !ok {
			c.addErrorString("ERR Protocol version is not an integer or out of range")
			return
		}
		if v < 2 || v > 3 {
			c.addErrorString("NOPROTO unsupported protocol version")
			return
		}
		ver = v
	}
	var user, pass, name []byte
	for j := 2; j < len(c.argv); j++ {
		more := len(c.argv) - 1 - j
		opt := c.argv[j]
		switch {
		case strings.EqualFold(string(opt), "AUTH") && more >= 2:
			user, pass = c.argv[j+1], c.argv[j+2]
			j += 2
		case strings.EqualFold(string(opt), "SETNAME") && more >= 1:
			name = c.argv[j+1]
			if err := validateClientName(name); err != nil {
				c.addError(err)
				return
			}
			j++
		default:
			c.addErrorString("ERR Syntax error in HELLO option '" + string(opt) + "'")
			return
		}
	}
	if user != nil {
		if !c.srv.checkPassword(user, pass) {
			c.addErrorString(errWrongPass)
			return
		}
		c.authenticated = true
		c.user = string(user)
	}
	if !c.authenticated {
		c.addErrorString("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time")
		return
	}
	if name != nil {
		c.name = string(name)
	}
	if ver != 0 {
		c.proto = int(ver)
	}
	c.addMapLen(7)
	c.addBulkString("server")
	c.addBulkString("redis")
	c.addBulkString("version")
	c.addBulkString(Version)
	c.addBulkString("proto")
	c.addInt(int64(c.proto))
	c.addBulkString("id")
	c.addInt(c.id)
	c.addBulkString("mode")
	c.addBulkString("standalone")
	c.addBulkString("role")
	c.addBulkString("master")
	c.addBulkString("modules")
	c.addArrayLen(0)
}

// validateClientName accepts names without spaces, newlines or other
// characters outside '!'..'~', as Redis's validateClientName.
func validateClientName(name []byte) error {
	for _, ch := range name {
		if ch < '!' || ch > '~' {
			return errClientName
		}
	}
	return nil
}
