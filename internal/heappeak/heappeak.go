// Package heappeak measures how far the heap grows while a piece of code
// runs: the bound that streaming tests and benchmarks check.
package heappeak

import (
	"runtime"
	"time"
)

// Growth runs fn while sampling the heap every interval, and returns the
// highest heap (garbage not yet collected included) above the heap after a
// GC before fn started, in bytes.
func Growth(interval time.Duration, fn func()) int64 {
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	done := make(chan struct{})
	peak := make(chan uint64)
	go func() {
		var m runtime.MemStats
		var high uint64
		for {
			runtime.ReadMemStats(&m)
			high = max(high, m.HeapAlloc)
			select {
			case <-done:
				peak <- high
				return
			case <-time.After(interval):
			}
		}
	}()
	fn()
	close(done)
	return int64(<-peak) - int64(base.HeapAlloc)
}
