package server

// MODULE: Ferrite cannot load Redis modules (they are C shared objects
// written against Redis's internals), so loading fails the way a failed
// load fails in Redis, and the list is always empty. The family is still
// there so enable-module-command guards it with Redis's error, and so
// tools that run MODULE LIST get Redis's answer for "no modules".
var moduleCommands = map[string]cmdProc{
	"module|list":   moduleListCommand,
	"module|load":   moduleLoadCommand,
	"module|loadex": moduleLoadCommand,
	"module|unload": moduleUnloadCommand,
	"module|help":   moduleHelpCommand,
}

// MODULE LIST
func moduleListCommand(c *client) { c.addArrayLen(0) }

// MODULE LOAD path [arg [arg ...]]
// MODULE LOADEX path [CONFIG name value [CONFIG name value ...]] [ARGS args [args ...]]
func moduleLoadCommand(c *client) {
	c.srv.logf("#", "Module %s failed to load: Ferrite does not support Redis modules", c.argv[2])
	c.addErrorString("ERR Error loading the extension. Please check the server logs.")
}

// MODULE UNLOAD name
func moduleUnloadCommand(c *client) {
	c.addErrorString("ERR Error unloading module: no such module with that name")
}

// MODULE HELP
func moduleHelpCommand(c *client) {
	c.addReplyHelp(
		"LIST",
		"    Return a list of loaded modules.",
		"LOAD <path> [<arg> ...]",
		"    Load a module library from <path>, passing to it any optional arguments.",
		"LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]",
		"    Load a module library from <path>, while passing it module configurations and optional arguments.",
		"UNLOAD <name>",
		"    Unload a module.",
	)
}
