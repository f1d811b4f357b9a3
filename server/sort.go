package server

// Placeholder until the family lands (being written).
var sortCommands = map[string]cmdProc{}
