package seek

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"sort"

	"github.com/klauspost/compress/flate"
)

// Index is a list of checkpoints into one compressed object: places where
// decoding can start, each with the decoded offset it starts at and what
// resuming there needs. It is immutable once built and safe to share.
type Index struct {
	format  Format
	id      ID
	total   int64 // decoded size of the whole object
	spacing int64 // decoded bytes between checkpoints, at least (after thinning)
	points  []point
}

// point kinds.
const (
	unitStart byte = iota // a member/stream/frame/chunk starts at byte in/8 with fresh state
	midUnit               // inside a deflate stream or a bzip2 stream, resumed from saved state
)

// point is one checkpoint.
type point struct {
	kind  byte
	level byte   // bzip2: the stream's block size digit
	out   int64  // decoded offset
	in    int64  // compressed offset, in bits
	unit  int64  // deflate: decoded bytes of the member before out (for gzip's ISIZE)
	check uint32 // gzip: CRC-32 of the member so far; zlib: Adler-32; bzip2: stream CRC so far
	// window is the 32 KiB of output before out (deflate midUnit only),
	// itself flate-compressed: a window of text compresses 3-4 times.
	window []byte
}

// Format is the format the index is for.
func (x *Index) Format() Format { return x.format }

// ID is the object the index was built for.
func (x *Index) ID() ID { return x.id }

// Total is the decoded size of the whole object: an index is only ever
// built by reading (or, where the format states sizes, walking) the whole
// object, so it is always known.
func (x *Index) Total() int64 { return x.total }

// Len is the number of checkpoints.
func (x *Index) Len() int { return len(x.points) }

// Bytes is roughly what the index holds in memory (and its serialised
// size), for a cache's bound.
func (x *Index) Bytes() int64 {
	n := int64(48 + len(x.id.ETag))
	for _, p := range x.points {
		n += 16 + int64(len(p.window))
	}
	return n
}

// Check says whether the index may be used for the object id names: the
// same compressed size and the same identity (ETag or version), else
// ErrStale.
func (x *Index) Check(id ID) error {
	if x.id != id {
		return fmt.Errorf("%w: it was built for %s (%d bytes), not %s (%d bytes)", ErrStale, x.id.ETag, x.id.Size, id.ETag, id.Size)
	}
	return nil
}

// at returns the last checkpoint at or before decoded offset off.
func (x *Index) at(off int64) point {
	i := sort.Search(len(x.points), func(i int) bool { return x.points[i].out > off })
	return x.points[max(i-1, 0)]
}

// after returns the first checkpoint past decoded offset off, if any.
func (x *Index) after(off int64) (point, bool) {
	i := sort.Search(len(x.points), func(i int) bool { return x.points[i].out > off })
	if i < len(x.points) {
		return x.points[i], true
	}
	return point{}, false
}

// byIn returns the checkpoint at compressed bit offset in, if there is one.
func (x *Index) byIn(in int64) (point, bool) {
	i := sort.Search(len(x.points), func(i int) bool { return x.points[i].in >= in })
	if i < len(x.points) && x.points[i].in == in {
		return x.points[i], true
	}
	return point{}, false
}

// The serialised form (version 1), all integers little-endian or
// unsigned varints:
//
//	"OLKSEEK" 0x01 | format byte | size uvarint | len uvarint, ETag |
//	total uvarint | spacing uvarint | count uvarint |
//	count × (kind byte | level byte | Δout uvarint | Δin uvarint |
//	         unit uvarint | check u32 | len uvarint, window) |
//	CRC-32C of everything before, u32
const (
	magic       = "OLKSEEK\x01"
	maxETag     = 1024
	maxPoints   = 1 << 16
	maxWindow   = 32 << 10
	maxEncoding = maxPoints * (maxWindow + 64)
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

var formatCodes = []Format{1: Gzip, 2: Zlib, 3: Deflate, 4: Bzip2, 5: Zstd, 6: Snappy}

func formatCode(f Format) byte {
	for i, g := range formatCodes {
		if g == f && f != "" {
			return byte(i)
		}
	}
	return 0
}

// MarshalBinary serialises the index: versioned, with a checksum, about
// Bytes() long.
func (x *Index) MarshalBinary() ([]byte, error) {
	b := make([]byte, 0, x.Bytes())
	b = append(b, magic...)
	b = append(b, formatCode(x.format))
	b = binary.AppendUvarint(b, uint64(x.id.Size))
	b = binary.AppendUvarint(b, uint64(len(x.id.ETag)))
	b = append(b, x.id.ETag...)
	b = binary.AppendUvarint(b, uint64(x.total))
	b = binary.AppendUvarint(b, uint64(x.spacing))
	b = binary.AppendUvarint(b, uint64(len(x.points)))
	var prev point
	for _, p := range x.points {
		b = append(b, p.kind, p.level)
		b = binary.AppendUvarint(b, uint64(p.out-prev.out))
		b = binary.AppendUvarint(b, uint64(p.in-prev.in))
		b = binary.AppendUvarint(b, uint64(p.unit))
		b = binary.LittleEndian.AppendUint32(b, p.check)
		b = binary.AppendUvarint(b, uint64(len(p.window)))
		b = append(b, p.window...)
		prev = p
	}
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, castagnoli)), nil
}

// Unmarshal reads a serialised index. A damaged or foreign one is an
// error wrapping ErrCorruptIndex, never an index that could give wrong
// bytes; use Check before using it for an object.
func Unmarshal(b []byte) (*Index, error) {
	if len(b) < len(magic)+4 || len(b) > maxEncoding {
		return nil, corrupt("%d bytes is no index's size", len(b))
	}
	if string(b[:len(magic)-1]) != magic[:len(magic)-1] {
		return nil, corrupt("no index magic")
	}
	if b[len(magic)-1] != magic[len(magic)-1] {
		return nil, corrupt("version %d, this build reads version %d", b[len(magic)-1], magic[len(magic)-1])
	}
	body, sum := b[:len(b)-4], binary.LittleEndian.Uint32(b[len(b)-4:])
	if crc32.Checksum(body, castagnoli) != sum {
		return nil, corrupt("checksum mismatch")
	}
	d := &decoder{b: body[len(magic):]}
	x := &Index{}
	code := d.byte()
	if int(code) >= len(formatCodes) || formatCodes[code] == "" {
		return nil, corrupt("unknown format code %d", code)
	}
	x.format = formatCodes[code]
	x.id.Size = d.int()
	x.id.ETag = string(d.bytes(maxETag))
	x.total, x.spacing = d.int(), d.int()
	n := d.int()
	if d.err == nil && (n < 1 || n > maxPoints) {
		return nil, corrupt("%d checkpoints", n)
	}
	var prev point
	for i := int64(0); i < n && d.err == nil; i++ {
		p := point{kind: d.byte(), level: d.byte()}
		p.out, p.in = prev.out+d.int(), prev.in+d.int()
		p.unit, p.check = d.int(), d.u32()
		p.window = d.bytes(maxWindow + 1024)
		if err := x.validPoint(i, p, prev); err != nil {
			return nil, err
		}
		x.points = append(x.points, p)
		prev = p
	}
	switch {
	case d.err != nil:
		return nil, d.err
	case len(d.b) != 0:
		return nil, corrupt("%d bytes after the last checkpoint", len(d.b))
	}
	return x, nil
}

// validPoint checks what a checksum cannot: that offsets make sense.
func (x *Index) validPoint(i int64, p, prev point) error {
	switch {
	case i == 0 && (p.in != 0 || p.out != 0 || p.kind != unitStart):
		return corrupt("the first checkpoint is not the start")
	case i > 0 && p.in <= prev.in:
		return corrupt("checkpoint %d does not move forward", i)
	case p.in >= x.id.Size*8 && i > 0, p.out > x.total, p.unit > p.out:
		return corrupt("checkpoint %d lies outside the object", i)
	case p.kind > midUnit:
		return corrupt("checkpoint %d has unknown kind %d", i, p.kind)
	case p.kind == midUnit && x.format.windowed() && len(p.window) == 0:
		return corrupt("checkpoint %d has no window", i)
	}
	return nil
}

func corrupt(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrCorruptIndex, fmt.Sprintf(format, args...))
}

// decoder reads the serialised form; its first error sticks.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) byte() byte {
	if d.err != nil || len(d.b) < 1 {
		d.fail()
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *decoder) u32() uint32 {
	if d.err != nil || len(d.b) < 4 {
		d.fail()
		return 0
	}
	v := binary.LittleEndian.Uint32(d.b)
	d.b = d.b[4:]
	return v
}

// int reads a uvarint that must fit an int64 with room to add.
func (d *decoder) int() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 || v > 1<<62 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return int64(v)
}

func (d *decoder) bytes(limit int64) []byte {
	n := d.int()
	if d.err != nil || n > limit || n > int64(len(d.b)) {
		d.fail()
		return nil
	}
	if n == 0 {
		return nil
	}
	v := bytes.Clone(d.b[:n])
	d.b = d.b[n:]
	return v
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = corrupt("truncated or malformed")
	}
}

// packWindow compresses a window for the index (fast level: the window is
// stored, not sent, and compressing it costs ~0.1 ms).
func packWindow(zw *flate.Writer, buf *bytes.Buffer, window []byte) []byte {
	buf.Reset()
	zw.Reset(buf)
	zw.Write(window)
	zw.Close()
	return bytes.Clone(buf.Bytes())
}

// unpackWindow reverses packWindow, refusing more than 32 KiB.
func unpackWindow(packed []byte) ([]byte, error) {
	r := flate.NewReader(bytes.NewReader(packed))
	w, err := io.ReadAll(io.LimitReader(r, maxWindow+1))
	if err == nil && len(w) > maxWindow {
		err = errors.New("window larger than 32 KiB")
	}
	if err != nil {
		return nil, corrupt("checkpoint window: %v", err)
	}
	return w, nil
}
