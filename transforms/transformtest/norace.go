//go:build !race

package transformtest

const raceEnabled = false
