package server

import (
	"strings"

	"ferrite/datatypes"
)

// COMMAND family: every reply is generated from the command table, so
// what COMMAND says is what dispatch does.
var commandCommands = map[string]cmdProc{
	"command":                 commandCommand,
	"command|count":           commandCountCommand,
	"command|list":            commandListCommand,
	"command|info":            commandInfoCommand,
	"command|docs":            commandDocsCommand,
	"command|getkeys":         commandGetKeysCommand,
	"command|getkeysandflags": commandGetKeysAndFlagsCommand,
	"command|help":            commandHelpCommand,
}

// COMMAND
func commandCommand(c *client) {
	cmds := c.srv.sortedCommands()
	c.addArrayLen(len(cmds))
	for _, cmd := range cmds {
		c.addCommandInfo(cmd)
	}
}

// COMMAND COUNT
func commandCountCommand(c *client) { c.addInt(int64(len(c.srv.commands))) }

// COMMAND INFO [command-name ...]
func commandInfoCommand(c *client) {
	if len(c.argv) == 2 {
		commandCommand(c)
		return
	}
	c.addArrayLen(len(c.argv) - 2)
	for _, name := range c.argv[2:] {
		if cmd := c.srv.lookupFullName(string(name)); cmd != nil {
			c.addCommandInfo(cmd)
		} else {
			c.addNull()
		}
	}
}

// COMMAND DOCS [command-name ...]
func commandDocsCommand(c *client) {
	var cmds []*Command
	if len(c.argv) == 2 {
		cmds = c.srv.sortedCommands()
	} else {
		for _, name := range c.argv[2:] {
			if cmd := c.srv.lookupFullName(string(name)); cmd != nil {
				cmds = append(cmds, cmd)
			}
		}
	}
	c.addMapLen(len(cmds))
	for _, cmd := range cmds {
		c.addBulkString(cmd.FullName)
		c.addDocs(cmd)
	}
}

// COMMAND LIST [FILTERBY MODULE module-name | ACLCAT category | PATTERN pattern]
func commandListCommand(c *client) {
	var match func(cmd *Command) bool
	if len(c.argv) != 2 {
		if len(c.argv) != 5 || !strings.EqualFold(string(c.argv[2]), "FILTERBY") {
			c.addError(errSyntax)
			return
		}
		arg := c.argv[4]
		switch strings.ToLower(string(c.argv[3])) {
		case "module":
			match = func(*Command) bool { return false } // no modules
		case "aclcat":
			match = func(cmd *Command) bool {
				for _, cat := range cmd.ACLCats {
					if strings.EqualFold(cat, string(arg)) {
						return true
					}
				}
				return false
			}
		case "pattern":
			match = func(cmd *Command) bool {
				return datatypes.GlobMatch(arg, []byte(cmd.FullName), true)
			}
		default:
			c.addError(errSyntax)
			return
		}
	}
	var names []string
	var walk func(cmds []*Command)
	walk = func(cmds []*Command) {
		for _, cmd := range cmds {
			if match == nil || match(cmd) {
				names = append(names, cmd.FullName)
			}
			walk(cmd.subList())
		}
	}
	walk(c.srv.sortedCommands())
	c.addBulks(names...)
}

// COMMAND GETKEYS command [arg ...]
func commandGetKeysCommand(c *client) { getKeysSubcommand(c, false) }

// COMMAND GETKEYSANDFLAGS command [arg ...]
func commandGetKeysAndFlagsCommand(c *client) { getKeysSubcommand(c, true) }

func getKeysSubcommand(c *client, withFlags bool) {
	argv := c.argv[2:]
	cmd := c.srv.lookupCommand(argv)
	switch {
	case cmd == nil:
		c.addErrorString("ERR Invalid command specified")
		return
	case !cmd.hasKeys():
		c.addErrorString("ERR The command has no key arguments")
		return
	case (cmd.Arity > 0 && cmd.Arity != len(argv)) || len(argv) < -cmd.Arity:
		c.addErrorString("ERR Invalid number of arguments specified for command")
		return
	}
	keys, err := cmd.keyPositions(argv)
	if err != nil || len(keys) == 0 {
		if cmd.has(cmdNoMandatoryKeys) {
			c.addArrayLen(0)
		} else {
			c.addError(errInvalidKeys)
		}
		return
	}
	c.addArrayLen(len(keys))
	for _, k := range keys {
		if !withFlags {
			c.addBulk(argv[k.Pos])
			continue
		}
		c.addArrayLen(2)
		c.addBulk(argv[k.Pos])
		c.addSetLen(len(k.Flags))
		for _, f := range k.Flags {
			c.addSimple(f)
		}
	}
}

// COMMAND HELP
func commandHelpCommand(c *client) {
	c.addReplyHelp(
		"(no subcommand)",
		"    Return details about all Redis commands.",
		"COUNT",
		"    Return the total number of commands in this Redis server.",
		"LIST",
		"    Return a list of all commands in this Redis server.",
		"INFO [<command-name> ...]",
		"    Return details about multiple Redis commands.",
		"    If no command names are given, documentation details for all",
		"    commands are returned.",
		"DOCS [<command-name> ...]",
		"    Return documentation details about multiple Redis commands.",
		"    If no command names are given, documentation details for all",
		"    commands are returned.",
		"GETKEYS <full-command>",
		"    Return the keys from a full Redis command.",
		"GETKEYSANDFLAGS <full-command>",
		"    Return the keys and the access flags from a full Redis command.",
	)
}

// addReplyHelp replies with Redis's addReplyHelp layout: a header naming the
// command, the given lines, and the HELP entry, all as status strings.
func (c *client) addReplyHelp(lines ...string) {
	name := strings.ToUpper(string(c.argv[0]))
	c.addArrayLen(len(lines) + 3)
	c.addSimple(name + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:")
	for _, l := range lines {
		c.addSimple(l)
	}
	c.addSimple("HELP")
	c.addSimple("    Prints this help.")
}

// lookupFullName finds a registered command by "name" or "container|sub".
func (s *Server) lookupFullName(name string) *Command {
	parent, sub, isSub := strings.Cut(strings.ToLower(name), "|")
	cmd := s.commands[parent]
	if cmd == nil || !isSub {
		return cmd
	}
	return cmd.Subs[sub]
}

// hasKeys is Redis's doesCommandHaveKeys.
func (cmd *Command) hasKeys() bool {
	if cmd.GetKeys != nil {
		return true
	}
	for _, ks := range cmd.KeySpecs {
		if !ks.NotKey {
			return true
		}
	}
	return false
}

// addCommandInfo writes the COMMAND INFO entry of cmd: Redis's own reply,
// with the subcommand list reduced to those Ferrite implements.
func (c *client) addCommandInfo(cmd *Command) {
	info := cmd.infoTree()
	c.addArrayLen(len(info))
	for i, node := range info {
		if i == 9 {
			subs := cmd.subList()
			c.addSetLen(len(subs))
			for _, sub := range subs {
				c.addCommandInfo(sub)
			}
			continue
		}
		c.addTree(node)
	}
}

// addDocs writes the COMMAND DOCS entry of cmd, its subcommands reduced
// to those Ferrite implements.
func (c *client) addDocs(cmd *Command) {
	pairs, _ := cmd.docsTree().(map[string]any)["map"].([]any)
	c.addMapLen(len(pairs) / 2)
	for i := 0; i+1 < len(pairs); i += 2 {
		c.addTree(pairs[i])
		if pairs[i] == "subcommands" {
			subs := cmd.subList()
			c.addMapLen(len(subs))
			for _, sub := range subs {
				c.addBulkString(sub.FullName)
				c.addDocs(sub)
			}
			continue
		}
		c.addTree(pairs[i+1])
	}
}

// addTree writes a node of commands.json in the client's protocol (see
// gencommands for the encoding).
func (c *client) addTree(node any) {
	switch v := node.(type) {
	case string:
		c.addBulkString(v)
	case float64:
		c.addInt(int64(v))
	case nil:
		c.addNull()
	case []any:
		c.addArrayLen(len(v))
		for _, e := range v {
			c.addTree(e)
		}
	case map[string]any:
		if s, ok := v["status"].(string); ok {
			c.addSimple(s)
		} else if set, ok := v["set"].([]any); ok {
			c.addSetLen(len(set))
			for _, e := range set {
				c.addTree(e)
			}
		} else if m, ok := v["map"].([]any); ok {
			c.addMapLen(len(m) / 2)
			for _, e := range m {
				c.addTree(e)
			}
		}
	}
}
