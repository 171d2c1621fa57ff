//go:build race

package store

// raceEnabled: the race detector multiplies memory (its shadow memory
// alone is several times the heap), so absolute RSS bounds hold only
// without it.
const raceEnabled = true
