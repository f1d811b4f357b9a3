package server

import "ferrite/datatypes"

// Sorted set commands (being written): placeholders so the table and the
// hooks compile until the family lands.
var zsetCommands = map[string]cmdProc{}

// zsetDigest adds a sorted set to a key digest as Redis's xorObjectDigest.
func zsetDigest(d *[20]byte, o *datatypes.Object) {}

// zsetMemoryUsage is what a sorted set value costs (MEMORY USAGE).
func zsetMemoryUsage(o *datatypes.Object, samples int) int64 { return 0 }
