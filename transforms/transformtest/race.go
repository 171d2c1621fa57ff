//go:build race

package transformtest

// raceEnabled shortens the default memory check under the race detector,
// which slows streaming code down several times.
const raceEnabled = true
