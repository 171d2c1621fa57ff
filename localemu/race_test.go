//go:build race

package localemu_test

const raceEnabled = true
