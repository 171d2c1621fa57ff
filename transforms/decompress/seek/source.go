package seek

import (
	"errors"
	"io"
)

// Read sizes of a chunkReader: the first read is small enough to be cheap
// when a short range needs little, later ones large enough that a long
// read costs few requests (over HTTP each is a ranged GET).
const (
	firstChunk = 1 << 20
	maxChunk   = 8 << 20
)

// chunkReader reads [off, end) of a ReaderAt sequentially in large,
// growing chunks.
type chunkReader struct {
	ra       io.ReaderAt
	off, end int64
	buf      []byte // what is left of the last read
	store    []byte // the buffer reads go into, reused
	next     int
	reads    int // ReadAt calls, for tests and benchmarks
}

func newChunkReader(ra io.ReaderAt, off, end int64) *chunkReader {
	return &chunkReader{ra: ra, off: off, end: end, next: firstChunk}
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.buf) == 0 {
		if err := c.fill(); err != nil {
			return 0, err
		}
	}
	n := copy(p, c.buf)
	c.buf = c.buf[n:]
	return n, nil
}

func (c *chunkReader) fill() error {
	if c.off >= c.end {
		return io.EOF
	}
	n := int(min(int64(c.next), c.end-c.off))
	if cap(c.store) < n {
		c.store = make([]byte, n)
	}
	buf := c.store[:n]
	c.reads++
	m, err := c.ra.ReadAt(buf, c.off)
	if m < n {
		if err == nil || errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF // the object is shorter than its ID says
		}
		return err
	}
	c.buf, c.off = buf, c.off+int64(n)
	c.next = min(c.next*2, maxChunk)
	return nil
}
