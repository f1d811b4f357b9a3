package server

// Placeholder until the family lands (being written).
var bitmapCommands = map[string]cmdProc{}
