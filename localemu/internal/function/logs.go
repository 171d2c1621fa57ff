package function

import (
	"bytes"
	"strings"
	"sync"
)

// maxLogLine bounds a logged line; the rest of a longer line is dropped.
const maxLogLine = 8 << 10

// lineLogger is a process's stdout or stderr: it hands each line to logf,
// prefixed with the function's name, and keeps the last few lines for
// error messages. Memory is bounded whatever the process writes.
type lineLogger struct {
	logf   func(string, ...any)
	prefix string

	mu        sync.Mutex
	partial   []byte
	truncated bool // the current line went past maxLogLine
	keep      int
	tail      []string
}

func newLineLogger(logf func(string, ...any), prefix string, keep int) *lineLogger {
	return &lineLogger{logf: logf, prefix: prefix, keep: keep}
}

func (l *lineLogger) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		chunk := p
		if i >= 0 {
			chunk = p[:i]
		}
		if room := maxLogLine - len(l.partial); len(chunk) > room {
			chunk, l.truncated = chunk[:room], true
		}
		l.partial = append(l.partial, chunk...)
		if i < 0 {
			break
		}
		l.emitLocked()
		p = p[i+1:]
	}
	return n, nil
}

func (l *lineLogger) emitLocked() {
	line := strings.TrimSuffix(string(l.partial), "\r")
	if l.truncated {
		line += " [line truncated]"
	}
	l.partial, l.truncated = l.partial[:0], false
	l.logf("%s: %s", l.prefix, line)
	if l.keep > 0 {
		if len(l.tail) == l.keep {
			l.tail = append(l.tail[:0], l.tail[1:]...)
		}
		l.tail = append(l.tail, line)
	}
}

// Flush logs an unterminated last line.
func (l *lineLogger) Flush() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.partial) > 0 || l.truncated {
		l.emitLocked()
	}
}

// Tail returns the last lines kept, joined by newlines.
func (l *lineLogger) Tail() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.tail, "\n")
}
