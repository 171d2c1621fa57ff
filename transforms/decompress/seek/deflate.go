package seek

import (
	"bytes"
	"encoding"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/adler32"
	"hash/crc32"
	"io"

	"github.com/klauspost/compress/flate"
)

// inflater decodes gzip (multi-member), zlib and raw deflate from a
// checkpoint, checking each member's trailer, and reports block ends (with
// their window) and member starts to its tracker. It parses the gzip and
// zlib wrappers itself because the library's readers cannot resume inside
// a member or report where a member starts.
type inflater struct {
	f    Format
	in   *input
	t    *tracker
	fr   io.ReadCloser // the current member's deflate stream; nil between members
	out  int64         // decoded offset of the next byte
	unit int64         // decoded bytes of the current member
	sum  checksum
	last bool // the (only) zlib or deflate stream ended: no more members
	// pending are checkpoints whose check value is not known yet: the
	// decoder reports a block end before handing out the block's bytes.
	pending []point
	zw      *flate.Writer
	zbuf    bytes.Buffer
	err     error
}

func openInflate(f Format, src io.Reader, p point, t *tracker) (io.ReadCloser, error) {
	d := &inflater{f: f, in: newInput(src, p.in/8), t: t, out: p.out}
	if t.rec {
		d.zw, _ = flate.NewWriter(nil, flate.BestSpeed)
	}
	if p.kind == unitStart {
		if p.in == 0 {
			if err := d.header(true); err != nil {
				return nil, err
			}
		}
		return d, nil
	}
	window, err := unpackWindow(p.window)
	if err != nil {
		return nil, err
	}
	d.unit, d.sum = p.unit, newChecksum(f, p.check)
	d.startFlate(&flate.InflateCheckpoint{
		UncompressedOffset: p.unit, CompressedOffset: p.in / 8, BitOffset: uint8(p.in % 8), Window: window})
	return d, nil
}

func (d *inflater) Read(p []byte) (int, error) {
	for d.err == nil {
		if d.fr == nil {
			if d.err = d.header(false); d.err != nil {
				break
			}
		}
		n, err := d.fr.Read(p)
		d.emit(p[:n])
		switch {
		case err == io.EOF:
			d.err = d.trailer()
		case err != nil:
			d.err = fmt.Errorf("%s: %w", d.f, err)
		}
		if n > 0 {
			return n, nil
		}
	}
	return 0, d.err
}

func (d *inflater) Close() error { return nil }

// header reads a member's header (gzip) or the stream's (zlib) and starts
// its deflate stream; io.EOF when a gzip stream has no more members.
func (d *inflater) header(first bool) error {
	if d.last {
		return io.EOF
	}
	start := d.in.pos()
	if !first {
		if _, err := d.in.Peek(1); err == io.EOF && d.f == Gzip {
			return io.EOF
		}
	}
	var err error
	switch d.f {
	case Gzip:
		err = gzipHeader(d.in)
	case Zlib:
		err = zlibHeader(d.in)
		d.last = true
	default:
		d.last = true
	}
	if err != nil {
		return err
	}
	if d.t.seen(start*8, d.out) {
		d.t.add(point{kind: unitStart, in: start * 8, out: d.out})
	}
	d.unit, d.sum = 0, newChecksum(d.f, 0)
	if d.f == Zlib {
		d.sum = newChecksum(d.f, 1) // Adler-32 starts at 1
	}
	d.startFlate(nil)
	return nil
}

// startFlate starts the member's deflate stream at the input's position,
// or resumes it from a checkpoint. Recording, the reader reports block
// ends; opening, it does not (the library copies the window at each).
func (d *inflater) startFlate(resume *flate.InflateCheckpoint) {
	var opts []flate.ReaderOpt
	base := d.in.pos() // a fresh reader counts its offsets from here
	if resume != nil {
		opts = append(opts, flate.WithResumeFrom(*resume))
		base = 0 // a resumed one from the checkpoint's, which are absolute
	}
	if d.t.rec {
		memberOut := d.out - d.unit
		var drift int64
		opts = append(opts, flate.WithEobCallback(func(cp flate.InflateCheckpoint) {
			// The library counts a stored block's header bytes twice when
			// they were already in its bit buffer (dataBlock adds them to
			// its offset again), so its offsets drift ahead by up to 3
			// bytes per stored block (pigz ends every chunk with one). The
			// true position is never past what it has read from us, and
			// right after a stored block it is exactly that (its bit buffer
			// is empty then): so the drift is the largest excess seen, and
			// it only changes at stored blocks.
			lib := (base+cp.CompressedOffset)*8 + int64(cp.BitOffset)
			if x := lib - d.in.pos()*8; x > 0 {
				drift = max(drift, (x+7)/8)
			}
			in := lib - drift*8
			out := memberOut + cp.UncompressedOffset
			if cp.Final || !d.t.seen(in, out) {
				return
			}
			d.pending = append(d.pending, point{kind: midUnit, in: in, out: out, unit: cp.UncompressedOffset,
				window: packWindow(d.zw, &d.zbuf, cp.Window)})
		}))
	}
	// The bare *bufio.Reader, not the input around it: the library has a
	// fast path for that type (2.5 times faster than for any ByteReader).
	d.fr = flate.NewReaderOpts(d.in.Reader, opts...)
}

// emit accounts for decoded bytes: the running checksum, and the check
// value of each pending checkpoint once the output reaches it.
func (d *inflater) emit(p []byte) {
	for len(d.pending) > 0 && d.pending[0].out <= d.out+int64(len(p)) {
		k := d.pending[0].out - d.out
		d.sum.write(p[:k])
		d.out, d.unit, p = d.out+k, d.unit+k, p[k:]
		cp := d.pending[0]
		cp.check = d.sum.value()
		d.t.add(cp)
		d.pending = d.pending[1:]
	}
	d.sum.write(p)
	d.out += int64(len(p))
	d.unit += int64(len(p))
}

// trailer checks the member's trailer after its deflate stream ends.
func (d *inflater) trailer() error {
	d.fr, d.pending = nil, d.pending[:0]
	var tr [8]byte
	switch d.f {
	case Gzip:
		if _, err := io.ReadFull(d.in, tr[:8]); err != nil {
			return fmt.Errorf("gzip: the member's trailer: %w", noEOF(err))
		}
		if binary.LittleEndian.Uint32(tr[:4]) != d.sum.value() || binary.LittleEndian.Uint32(tr[4:]) != uint32(d.unit) {
			return fmt.Errorf("gzip: a member's CRC or size does not match its data: %w", errCorrupt)
		}
		return nil
	case Zlib:
		if _, err := io.ReadFull(d.in, tr[:4]); err != nil {
			return fmt.Errorf("zlib: the trailer: %w", noEOF(err))
		}
		if binary.BigEndian.Uint32(tr[:4]) != d.sum.value() {
			return fmt.Errorf("zlib: the Adler-32 does not match the data: %w", errCorrupt)
		}
	}
	return io.EOF
}

var errCorrupt = errors.New("the data is corrupt, or the index does not belong to it")

func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// gzipHeader reads an RFC 1952 member header.
func gzipHeader(r *input) error {
	var h [10]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return fmt.Errorf("gzip: header: %w", noEOF(err))
	}
	if h[0] != 0x1f || h[1] != 0x8b || h[2] != 8 {
		return fmt.Errorf("gzip: invalid header: %w", errCorrupt)
	}
	flg := h[3]
	if flg&0xe0 != 0 {
		return fmt.Errorf("gzip: reserved header flags set: %w", errCorrupt)
	}
	if flg&0x04 != 0 { // FEXTRA
		var n [2]byte
		if _, err := io.ReadFull(r, n[:]); err != nil {
			return fmt.Errorf("gzip: header: %w", noEOF(err))
		}
		if _, err := r.Discard(int(binary.LittleEndian.Uint16(n[:]))); err != nil {
			return fmt.Errorf("gzip: header: %w", noEOF(err))
		}
	}
	for _, bit := range []byte{0x08, 0x10} { // FNAME, FCOMMENT: zero-terminated
		if flg&bit == 0 {
			continue
		}
		for {
			c, err := r.ReadByte()
			if err != nil {
				return fmt.Errorf("gzip: header: %w", noEOF(err))
			}
			if c == 0 {
				break
			}
		}
	}
	if flg&0x02 != 0 { // FHCRC
		if _, err := r.Discard(2); err != nil {
			return fmt.Errorf("gzip: header: %w", noEOF(err))
		}
	}
	return nil
}

// zlibHeader reads an RFC 1950 header; a preset dictionary is refused, as
// the decompress transform refuses it.
func zlibHeader(r *input) error {
	var h [2]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return fmt.Errorf("zlib: header: %w", noEOF(err))
	}
	if h[0]&0x0f != 8 || h[0]>>4 > 7 || (uint16(h[0])<<8|uint16(h[1]))%31 != 0 {
		return fmt.Errorf("zlib: invalid header: %w", errCorrupt)
	}
	if h[1]&0x20 != 0 {
		return fmt.Errorf("zlib: a preset dictionary is not supported")
	}
	return nil
}

// checksum is a member's running CRC-32 (gzip) or Adler-32 (zlib),
// resumable from a saved value.
type checksum struct {
	crc   bool
	v     uint32
	adler hash.Hash32
}

func newChecksum(f Format, v uint32) checksum {
	switch f {
	case Gzip:
		return checksum{crc: true, v: v}
	case Zlib:
		h := adler32.New()
		// hash/adler32's marshalled state: "adl\x01" and the value.
		h.(encoding.BinaryUnmarshaler).UnmarshalBinary(binary.BigEndian.AppendUint32([]byte("adl\x01"), v))
		return checksum{adler: h}
	}
	return checksum{}
}

func (c *checksum) write(p []byte) {
	switch {
	case c.crc:
		c.v = crc32.Update(c.v, crc32.IEEETable, p)
	case c.adler != nil:
		c.adler.Write(p)
	}
}

func (c *checksum) value() uint32 {
	if c.adler != nil {
		return c.adler.Sum32()
	}
	return c.v
}
