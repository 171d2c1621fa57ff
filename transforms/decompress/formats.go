package decompress

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/s2"
	"github.com/klauspost/compress/snappy"
	"github.com/klauspost/compress/zlib"
	"github.com/klauspost/compress/zstd"

	"github.com/olkit/olkit/s3err"
	"github.com/olkit/olkit/transforms"
	"github.com/olkit/olkit/transforms/decompress/internal/pbzip2"
)

// trailingLimit bounds what is read of the source after a decoder ends
// (trailing bytes are ignored, as gzip -d and bzip2 -d ignore them).
const trailingLimit = 64 << 10

// snappyMaxBlock is the largest block the snappy framing format allows.
const snappyMaxBlock = 64 << 10

// open returns the decoder for f over r, guarded by the limits; in counts
// the compressed bytes beneath r.
func (t *Transform) open(ctx context.Context, f Format, r io.Reader, in *source, obj *transforms.Object) (io.Reader, error) {
	var dec io.Reader
	var closer func()
	if ix := t.indexing(ctx, f, r, obj); ix != nil { // the index comes with the read
		return &output{r: ix, close: func() { ix.Close() }, format: f, in: in, max: t.opts.MaxOutputBytes, ratio: t.opts.MaxRatio}, nil
	}
	switch f {
	case Gzip:
		zr, err := gzip.NewReader(r) // multi-member by default, as gzip -dc
		if err != nil {
			return nil, err
		}
		dec, closer = zr, func() { zr.Close() }
	case Zlib:
		zr, err := zlib.NewReader(r)
		if err != nil {
			return nil, err
		}
		dec, closer = zr, func() { zr.Close() }
	case Zstd:
		zr, err := zstd.NewReader(r,
			zstd.WithDecoderConcurrency(1),
			zstd.WithDecoderMaxWindow(uint64(t.opts.MaxWindowBytes)),
			zstd.WithDecoderMaxMemory(uint64(t.opts.MaxWindowBytes)), // for streams, also a window cap
			zstd.WithDecoderLowmem(true))
		if err != nil {
			return nil, err
		}
		dec, closer = zr, zr.Close
	case Snappy:
		dec = s2.NewReader(r, s2.ReaderMaxBlockSize(snappyMaxBlock))
	case SnappyBlock:
		block, err := t.snappyBlock(r)
		if err != nil {
			return nil, err
		}
		obj.SetSize(int64(len(block)))
		dec = bytes.NewReader(block)
	case Bzip2:
		z := pbzip2.NewReader(r) // blocks decoded in parallel; concatenated streams too
		dec, closer = z, func() { z.Close() }
	default:
		return nil, fmt.Errorf("no decoder for %s", f)
	}
	return &output{r: dec, close: closer, format: f, in: in, max: t.opts.MaxOutputBytes, ratio: t.opts.MaxRatio}, nil
}

// output is a decoder's stream with the limits applied and its errors made
// into what the caller should see. Its first error sticks.
type output struct {
	r      io.Reader
	close  func()
	format Format
	in     *source // nil when the input is not a stream (ZIP)
	n      int64
	max    int64
	ratio  float64
	err    error
}

func (o *output) Read(p []byte) (int, error) {
	if o.err != nil {
		return 0, o.err
	}
	n, err := o.r.Read(p)
	o.n += int64(n)
	switch {
	case o.n > o.max:
		n -= int(o.n - o.max)
		o.n = o.max
		o.err = s3err.New(http.StatusBadRequest, "EntityTooLarge",
			"decompress: the %s data decompresses to more than maxOutputBytes (%d); raise it if this object is genuine", o.format, o.max)
	case o.in != nil && o.n > ratioFloor && float64(o.n) > o.ratio*float64(o.in.n.Load()):
		o.err = s3err.New(http.StatusBadRequest, "EntityTooLarge",
			"decompress: the %s data expands more than maxRatio (%g) times, as decompression bombs do; raise it if this object is genuine", o.format, o.ratio)
	case err == io.EOF:
		// The decoder is done; the source must be too. Reading what is left
		// (a little, bounded) surfaces a source that fails instead of ending,
		// which a decoder that stops at its own trailer never sees.
		if o.in != nil && o.in.failure() == nil {
			io.CopyN(io.Discard, o.in, trailingLimit)
		}
		if err := o.in.failure(); err != nil {
			o.err = err
			return n, o.err
		}
		return n, err
	case err != nil:
		o.err = decodeError(o.format, err, o.in)
	}
	if o.err != nil {
		return n, o.err
	}
	return n, nil
}

// Close releases the decoder (zstd's holds buffers and goroutines).
func (o *output) Close() error {
	if o.close != nil {
		o.close()
		o.close = nil
	}
	return nil
}

// snappyBlock decodes the raw block format, which has no framing: the
// whole block must be in memory, so it is bounded by maxBlockBytes.
func (t *Transform) snappyBlock(r io.Reader) ([]byte, error) {
	limit := int64(snappy.MaxEncodedLen(int(t.opts.MaxBlockBytes)))
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, s3err.New(http.StatusBadRequest, "EntityTooLarge",
			"decompress: a raw snappy block is decoded in memory and this one is larger than maxBlockBytes (%d)", t.opts.MaxBlockBytes)
	}
	n, err := snappy.DecodedLen(data)
	if err != nil {
		return nil, err
	}
	if int64(n) > t.opts.MaxBlockBytes {
		return nil, s3err.New(http.StatusBadRequest, "EntityTooLarge",
			"decompress: the raw snappy block decodes to %d bytes, more than maxBlockBytes (%d)", n, t.opts.MaxBlockBytes)
	}
	return snappy.Decode(nil, data)
}
