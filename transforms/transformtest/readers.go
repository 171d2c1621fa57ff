package transformtest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand"
	"sync"
)

// plain hides every method of r but Read, so a transform sees an io.Reader
// as the handler hands it, not a *bytes.Reader it could type-assert.
type plain struct{ r io.Reader }

func (p plain) Read(b []byte) (int, error) { return p.r.Read(b) }

func source(data []byte) io.Reader { return plain{bytes.NewReader(data)} }

// randomReader returns a random share of each Read from r: often a few
// bytes, sometimes up to a few hundred, sometimes all that was asked.
type randomReader struct {
	r   io.Reader
	rng *rand.Rand
}

func (s *randomReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return s.r.Read(p)
	}
	return s.r.Read(p[:randomSize(s.rng, len(p))])
}

func randomSize(rng *rand.Rand, max int) int {
	limit := max
	switch rng.Intn(3) {
	case 0:
		limit = min(max, 8)
	case 1:
		limit = min(max, 512)
	}
	return 1 + rng.Intn(limit)
}

// SourceError is the error the source-error check injects. The output must
// fail with an error that wraps it (errors.Is), so the caller learns that
// the original could not be read.
type SourceError struct {
	After int // bytes the source delivered before failing
}

func (e *SourceError) Error() string {
	return fmt.Sprintf("transformtest: the source failed after %d bytes (injected)", e.After)
}

// failingReader delivers data, then fails with err on every later Read.
type failingReader struct {
	data []byte
	err  error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, f.err
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

// blockingReader delivers data, then blocks until ctx is done and fails
// with its error, as an HTTP body tied to the request's context does.
type blockingReader struct {
	data    []byte
	ctx     context.Context
	blocked chan struct{}
	once    sync.Once
}

func (b *blockingReader) Read(p []byte) (int, error) {
	if len(b.data) > 0 {
		n := copy(p, b.data)
		b.data = b.data[n:]
		return n, nil
	}
	if len(p) == 0 {
		return 0, nil
	}
	b.once.Do(func() { close(b.blocked) })
	<-b.ctx.Done()
	return 0, fmt.Errorf("transformtest: reading the source: %w", b.ctx.Err())
}

// repeatReader streams chunk over and over until size bytes have gone.
// chunk holds whole copies of the sample, so the stream ends at a sample
// boundary whenever size is a multiple of len(chunk).
type repeatReader struct {
	chunk []byte
	off   int
	left  int64
}

func newRepeatReader(sample []byte, size int64) *repeatReader {
	if len(sample) == 0 {
		sample = []byte{0}
	}
	reps := max(1, (64<<10)/len(sample))
	chunk := bytes.Repeat(sample, reps)
	// Round size up to whole samples.
	if r := size % int64(len(sample)); r != 0 {
		size += int64(len(sample)) - r
	}
	return &repeatReader{chunk: chunk, left: size}
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.left <= 0 {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && r.left > 0 {
		c := copy(p[n:], r.chunk[r.off:])
		if int64(c) > r.left {
			c = int(r.left)
		}
		n += c
		r.left -= int64(c)
		r.off = (r.off + c) % len(r.chunk)
	}
	return n, nil
}

// readResult is what reading an output gave.
type readResult struct {
	data []byte
	err  error
}

// readAllSizes reads r to its end or first error, asking each Read for
// next() bytes. It turns a broken Read (a count out of range, or endless
// 0, nil) into an error rather than a panic or a hang.
func readAllSizes(r io.Reader, next func() int) readResult {
	var out []byte
	buf := make([]byte, 64<<10)
	zeros := 0
	for {
		size := next()
		p := buf[:size]
		n, err := r.Read(p)
		if n < 0 || n > len(p) {
			return readResult{out, fmt.Errorf("transformtest: Read(%d bytes) returned count %d", len(p), n)}
		}
		out = append(out, p[:n]...)
		if err == io.EOF {
			return readResult{out, nil}
		}
		if err != nil {
			return readResult{out, err}
		}
		if n == 0 {
			if zeros++; zeros >= 1000 {
				return readResult{out, fmt.Errorf("transformtest: Read returned 0, nil %d times in a row: %w", zeros, io.ErrNoProgress)}
			}
		} else {
			zeros = 0
		}
	}
}

func fixed(n int) func() int { return func() int { return n } }

// halving asks for half of the usual buffer, as iotest.HalfReader would
// pass on.
func halving() func() int {
	n := 64 << 10
	return func() int {
		n = max(1, (n+1)/2)
		if n == 1 {
			n = 64 << 10
		}
		return n
	}
}

func randomSizes(rng *rand.Rand) func() int {
	return func() int { return randomSize(rng, 64<<10) }
}
