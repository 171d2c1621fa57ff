package seek

import (
	"io"

	"github.com/olkit/olkit/transforms/decompress/internal/pbzip2"
)

// openBzip2 decodes bzip2 from a checkpoint with the transform's parallel
// decoder, which reports each block it completes: a checkpoint to keep
// (recording) or to check against the index (opening).
func openBzip2(src io.Reader, p point, t *tracker) io.ReadCloser {
	var z *pbzip2.Reader
	if p.kind == midUnit {
		z = pbzip2.NewReaderAt(src, uint8(p.in%8), p.level, p.check)
	} else {
		z = pbzip2.NewReader(src)
	}
	base := p.in &^ 7 // the reader's first byte, in bits
	z.OnBlock(func(b pbzip2.Block) {
		in, out := base+int64(b.Bit), p.out+b.Out
		if t.seen(in, out) {
			t.add(point{kind: midUnit, in: in, out: out, level: b.Level, check: b.StreamCRC})
		}
	})
	return z
}
