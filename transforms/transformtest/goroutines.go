package transformtest

import (
	"bytes"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// goroutines returns the stacks of all goroutines, by id.
func goroutines() map[int64]string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	out := map[int64]string{}
	for _, g := range bytes.Split(buf, []byte("\n\n")) {
		s := string(g)
		rest, ok := strings.CutPrefix(s, "goroutine ")
		if !ok {
			continue
		}
		idText, _, _ := strings.Cut(rest, " ")
		id, err := strconv.ParseInt(idText, 10, 64)
		if err != nil {
			continue
		}
		out[id] = s
	}
	return out
}

// ignoredStacks are goroutines the runtime or the testing package start on
// their own, which a transform cannot be blamed for.
var ignoredStacks = []string{
	"os/signal.signal_recv",
	"os/signal.loop",
	"testing.tRunner", // a parallel test starting meanwhile
	"testing.(*T).Run",
	"runtime.ensureSigM",
}

// leaked waits up to d for the goroutines not in before to end, and returns
// the stacks of those that did not.
func leaked(before map[int64]string, d time.Duration) []string {
	deadline := time.Now().Add(d)
	for {
		var extra []string
		for id, s := range goroutines() {
			if _, old := before[id]; old || ignored(s) {
				continue
			}
			extra = append(extra, s)
		}
		if len(extra) == 0 || time.Now().After(deadline) {
			return extra
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func ignored(stack string) bool {
	for _, s := range ignoredStacks {
		if strings.Contains(stack, s) {
			return true
		}
	}
	return false
}

// shortStack keeps the header and the first frames of a goroutine's stack.
func shortStack(s string) string {
	lines := strings.Split(s, "\n")
	if len(lines) > 9 {
		lines = append(lines[:9], "...")
	}
	return strings.Join(lines, "\n")
}
