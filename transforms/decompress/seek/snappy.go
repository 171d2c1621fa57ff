package seek

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/klauspost/compress/s2"
)

// snappyStreamID is the framing format's stream identifier chunk, put in
// front of a stream resumed at a later chunk.
var snappyStreamID = []byte("\xff\x06\x00\x00sNaPpY")

// snappyMaxBlock is the most a chunk may decode to.
const snappyMaxBlock = 64 << 10

// openSnappy decodes framed snappy from a chunk: chunks are independent,
// so a stream identifier in front of the rest is a valid stream.
func openSnappy(src io.Reader, p point, t *tracker) io.ReadCloser {
	w := &chunkWalker{in: newInput(src, p.in/8), t: t, out: p.out}
	var r io.Reader = w
	if p.in > 0 {
		r = io.MultiReader(bytes.NewReader(snappyStreamID), w)
	}
	return io.NopCloser(s2.NewReader(r, s2.ReaderMaxBlockSize(snappyMaxBlock)))
}

// walkSnappy indexes a framed snappy stream from its chunk headers alone:
// each data chunk states the length it decodes to, so nothing is decoded.
func walkSnappy(src io.Reader, id ID, opts Options) (*Index, error) {
	t := newRecorder(Snappy, id, opts)
	w := &chunkWalker{in: newInput(src, 0), t: t}
	if _, err := io.Copy(io.Discard, w); err != nil {
		return nil, err
	}
	t.idx.total = w.out
	return t.idx, nil
}

// chunkWalker passes a framed snappy stream through, reading each chunk's
// header as it goes by: where data chunks start, and what they decode to.
type chunkWalker struct {
	in   *input
	t    *tracker
	out  int64 // decoded offset at the next chunk
	left int64 // bytes of the current chunk still to pass
}

func (w *chunkWalker) Read(p []byte) (int, error) {
	for w.left == 0 {
		if err := w.next(); err != nil {
			return 0, err
		}
	}
	n, err := w.in.Read(p[:min(int64(len(p)), w.left)])
	w.left -= int64(n)
	return n, noEOF(err)
}

// next reads the header of the chunk at the input's position.
func (w *chunkWalker) next() error {
	start := w.in.pos()
	h, err := w.in.Peek(4)
	if len(h) == 0 && err == io.EOF {
		return io.EOF
	} else if err != nil {
		return fmt.Errorf("snappy: chunk header: %w", noEOF(err))
	}
	typ, n := h[0], int64(h[1])|int64(h[2])<<8|int64(h[3])<<16
	var decoded int64
	switch {
	case typ == 0x00: // compressed: CRC, then a block that starts with its decoded length
		b, _ := w.in.Peek(int(min(4+n, 4+4+binary.MaxVarintLen32)))
		v, k := binary.Uvarint(b[min(8, len(b)):])
		if n < 5 || k <= 0 || v > snappyMaxBlock {
			return fmt.Errorf("snappy: chunk at byte %d: %w", start, errCorrupt)
		}
		decoded = int64(v)
	case typ == 0x01: // uncompressed: CRC, then the data
		if n < 4 || n-4 > snappyMaxBlock {
			return fmt.Errorf("snappy: chunk at byte %d: %w", start, errCorrupt)
		}
		decoded = n - 4
	case typ < 0x80 && typ != 0x01: // reserved, unskippable
		return fmt.Errorf("snappy: chunk type %#x at byte %d: %w", typ, start, errCorrupt)
	}
	if decoded > 0 && w.t.seen(start*8, w.out) {
		w.t.add(point{kind: unitStart, in: start * 8, out: w.out})
	}
	w.out += decoded
	w.left = 4 + n
	return nil
}
