package seek

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/klauspost/compress/zstd"
)

// zstdDecoder decodes zstd frame by frame: a frameReader hands the decoder
// exactly one frame, so each frame's start (a checkpoint) and its decoded
// length are known, and frames that state their content size are checked
// against it.
type zstdDecoder struct {
	in    *input
	t     *tracker
	dec   *zstd.Decoder
	frame *frameReader // nil between frames
	out   int64
	err   error
}

func openZstd(src io.Reader, p point, t *tracker, opts Options) (io.ReadCloser, error) {
	dec, err := zstd.NewReader(nil,
		zstd.WithDecoderConcurrency(1),
		zstd.WithDecoderMaxWindow(uint64(opts.MaxWindowBytes)),
		zstd.WithDecoderMaxMemory(uint64(opts.MaxWindowBytes)),
		zstd.WithDecoderLowmem(true))
	if err != nil {
		return nil, err
	}
	return &zstdDecoder{in: newInput(src, p.in/8), t: t, dec: dec, out: p.out}, nil
}

func (z *zstdDecoder) Read(p []byte) (int, error) {
	for z.err == nil {
		if z.frame == nil {
			if z.err = z.nextFrame(); z.err != nil {
				break
			}
		}
		n, err := z.dec.Read(p)
		z.out += int64(n)
		z.frame.decoded += int64(n)
		switch {
		case err == io.EOF:
			z.err = z.frame.done()
			z.frame = nil
		case err != nil:
			z.err = fmt.Errorf("zstd: %w", err)
		}
		if n > 0 {
			return n, nil
		}
	}
	return 0, z.err
}

// nextFrame skips skippable frames and starts the decoder on the next
// frame; io.EOF at the end of the input.
func (z *zstdDecoder) nextFrame() error {
	for {
		start := z.in.pos()
		h, err := peekFrame(z.in)
		if err != nil {
			return err
		}
		if h.Skippable {
			if _, err := z.in.Discard(h.HeaderSize + int(h.SkippableSize)); err != nil {
				return fmt.Errorf("zstd: skippable frame: %w", noEOF(err))
			}
			continue
		}
		if z.t.seen(start*8, z.out) {
			z.t.add(point{kind: unitStart, in: start * 8, out: z.out})
		}
		z.frame = &frameReader{in: z.in, h: h, left: int64(h.HeaderSize)}
		return z.dec.Reset(z.frame)
	}
}

func (z *zstdDecoder) Close() error {
	z.dec.Close()
	return nil
}

// peekFrame decodes the header of the frame at the input's position;
// io.EOF when the input has ended.
func peekFrame(in *input) (zstd.Header, error) {
	var h zstd.Header
	b, err := in.Peek(zstd.HeaderMaxSize)
	if len(b) == 0 && err == io.EOF {
		return h, io.EOF
	}
	if err := h.Decode(b); err != nil {
		if errors.Is(err, zstd.ErrMagicMismatch) {
			return h, fmt.Errorf("zstd: no frame magic at byte %d: %w", in.pos(), errCorrupt)
		}
		return h, fmt.Errorf("zstd: frame header at byte %d: %w", in.pos(), noEOF(err))
	}
	return h, nil
}

// frameReader passes exactly one frame of the input: its header, each
// block (3-byte header and body) and the checksum, found from the headers
// alone.
type frameReader struct {
	in      *input
	h       zstd.Header
	left    int64 // bytes of the current part still to pass
	last    bool  // the last block's header has been read
	end     bool  // the checksum (if any) is under way
	decoded int64 // decoded bytes the decoder gave
}

func (f *frameReader) Read(p []byte) (int, error) {
	for f.left == 0 {
		if err := f.nextPart(); err != nil {
			return 0, err
		}
	}
	n, err := f.in.Read(p[:min(int64(len(p)), f.left)])
	f.left -= int64(n)
	return n, noEOF(err)
}

// nextPart reads the next block header, or moves on to the checksum, or
// ends the frame.
func (f *frameReader) nextPart() error {
	switch {
	case f.end:
		return io.EOF
	case f.last:
		f.end = true
		if f.h.HasCheckSum {
			f.left = 4
		}
		return nil
	}
	size, last, err := blockHeader(f.in)
	if err != nil {
		return err
	}
	f.left, f.last = 3+size, last
	return nil
}

// blockHeader reads a block header without consuming it: the bytes that
// follow it (1 for RLE) and whether it is the frame's last block.
func blockHeader(in *input) (body int64, last bool, err error) {
	b, err := in.Peek(3)
	if err != nil {
		return 0, false, fmt.Errorf("zstd: block header: %w", noEOF(err))
	}
	v := uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16
	last, typ, size := v&1 == 1, (v>>1)&3, int64(v>>3)
	switch typ {
	case 1: // RLE: one byte, repeated size times
		return 1, last, nil
	case 3:
		return 0, false, fmt.Errorf("zstd: reserved block type: %w", errCorrupt)
	}
	if size > 128<<10 {
		return 0, false, fmt.Errorf("zstd: a block of %d bytes: %w", size, errCorrupt)
	}
	return size, last, nil
}

// done checks a frame once the decoder has finished it.
func (f *frameReader) done() error {
	if f.left != 0 || !f.end {
		return fmt.Errorf("zstd: the decoder stopped inside a frame: %w", errCorrupt)
	}
	if f.h.HasFCS && f.decoded != int64(f.h.FrameContentSize) {
		return fmt.Errorf("zstd: a frame decodes to %d bytes, its header says %d: %w", f.decoded, f.h.FrameContentSize, errCorrupt)
	}
	return nil
}

// Seekable format (facebook/zstd contrib/seekable_format): a skippable
// frame (magic 0x184D2A5E) at the end holding, per frame, its compressed
// and decompressed sizes (and a checksum when the descriptor's top bit
// says so), then a 9-byte footer: frame count, descriptor, 0x8F92EAB1.
const (
	seekableMagic  = 0x8F92EAB1
	seekTableMagic = 0x184D2A5E
	seekFooterSize = 9
	maxSeekFrames  = 0x8000000 // the format's own limit
)

// fromSeekTable builds an index from a seek table without decoding
// anything: one read of the object's last bytes, or two for a large
// table. ok is false when the object has no seek table.
func fromSeekTable(ra io.ReaderAt, id ID, opts Options) (*Index, bool, error) {
	if id.Size < seekFooterSize+8 {
		return nil, false, nil
	}
	tail := min(id.Size, 64<<10)
	buf := make([]byte, tail)
	if _, err := ra.ReadAt(buf, id.Size-tail); err != nil && !errors.Is(err, io.EOF) {
		return nil, false, err
	}
	foot := buf[len(buf)-seekFooterSize:]
	if binary.LittleEndian.Uint32(foot[5:]) != seekableMagic {
		return nil, false, nil
	}
	n, desc := int64(binary.LittleEndian.Uint32(foot)), foot[4]
	entry := int64(8)
	if desc&0x80 != 0 {
		entry = 12
	}
	tableLen := 8 + n*entry + seekFooterSize
	if n > maxSeekFrames || desc&0x7c != 0 || tableLen > id.Size {
		return nil, false, fmt.Errorf("zstd seek table: %d frames, descriptor %#x: %w", n, desc, errCorrupt)
	}
	if tableLen > tail {
		buf = make([]byte, tableLen)
		if _, err := ra.ReadAt(buf, id.Size-tableLen); err != nil && !errors.Is(err, io.EOF) {
			return nil, false, err
		}
	}
	table := buf[len(buf)-int(tableLen):]
	if binary.LittleEndian.Uint32(table) != seekTableMagic || int64(binary.LittleEndian.Uint32(table[4:])) != tableLen-8 {
		return nil, false, fmt.Errorf("zstd seek table: bad skippable frame header: %w", errCorrupt)
	}
	t := newRecorder(Zstd, id, opts)
	var in, out int64
	for i := range n {
		e := table[8+i*entry:]
		if i > 0 && t.seen(in*8, out) {
			t.add(point{kind: unitStart, in: in * 8, out: out})
		}
		in += int64(binary.LittleEndian.Uint32(e))
		out += int64(binary.LittleEndian.Uint32(e[4:]))
	}
	if in+tableLen != id.Size {
		return nil, false, fmt.Errorf("zstd seek table: frames of %d bytes and a table of %d in an object of %d: %w", in, tableLen, id.Size, errCorrupt)
	}
	t.idx.total = out
	return t.idx, true, nil
}
