package server

// Placeholder until the family lands (being written).
var geoCommands = map[string]cmdProc{}
