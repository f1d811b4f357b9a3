package server

import "ferrite/datatypes"

// List commands (being written): placeholders so the table and the hooks
// compile until the family lands.
var listCommands = map[string]cmdProc{}

// listDigest adds a list to a key digest as Redis's xorObjectDigest.
func listDigest(d *[20]byte, o *datatypes.Object) {}

// listMemoryUsage is what a list value costs (MEMORY USAGE).
func listMemoryUsage(o *datatypes.Object, samples int) int64 { return 0 }
