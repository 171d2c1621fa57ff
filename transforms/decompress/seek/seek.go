// Package seek gives random access into compressed objects: an Index of
// checkpoints from which decoding can start near any decoded offset, built
// as a by-product of a full read (Indexer) or on demand (Build), kept in
// memory or serialised (MarshalBinary, Unmarshal), and used by OpenAt and
// OpenRange to serve decoded bytes from any offset at the cost of the
// nearest checkpoint, not of the offset. It also finds a decoded size from
// the format's own metadata (DecodedSize) for HEAD.
//
// What a checkpoint is, per format:
//
//   - gzip, zlib, raw deflate: a deflate block boundary (a bit offset) with
//     the 32 KiB window before it, as zlib's zran.c does; resumed with
//     klauspost/compress/flate's WithResumeFrom. Gzip members start with
//     no window and are checkpoints of their own.
//   - bzip2: a block start (a bit offset; blocks are independent), with
//     the stream's level and CRC so far. Streams may be concatenated.
//   - zstd: a frame start. Frames are independent; within one frame there
//     is no checkpoint: a block needs the whole window before it (up to 8
//     MiB at level 19, 128 MiB with --long, against deflate's 32 KiB) and
//     the entropy tables and repeat offsets of earlier blocks, which no Go
//     decoder can be handed. Multi-frame files (pzstd, the seekable
//     format, any encoder writing frames of N MiB) index well; one big frame
//     has only the start. The seekable format's seek table is read when
//     present, so Build needs no full read.
//   - snappy framed: a data chunk start (chunks are independent).
//   - ZIP is random access per entry already (archive/zip over a
//     ReaderAt); only DecodedSize covers it.
//
// Bounds: at most Options.MaxPoints checkpoints (default 256). Spacing
// starts at Options.Spacing (default 1 MiB of decoded output) and doubles,
// keeping every other checkpoint, whenever the budget fills. (Formats
// without a window, bzip2, zstd and snappy, keep 16 times as many, 16 times
// closer: every bzip2 block, at about 12 bytes each.) So an index
// holds at most 256 × 32 KiB = 8 MiB of windows before compression (about
// 2-3 MiB for text), and a read at any offset decodes at most about
// max(1 MiB, size/128) plus two deflate blocks (or bzip2 blocks, or zstd
// frames) before the bytes asked for. Index.Bytes gives the figure for a
// cache.
//
// Memory while reading: one decoder (deflate: 32 KiB window plus about
// 50 KiB of tables; bzip2: the parallel decoder's, about 4 MiB per core;
// zstd: its window, at most MaxWindowBytes), a 256 KiB input buffer and
// the current read of the object (at most 8 MiB).
//
// Safety: an index names the object it was built for (ID: compressed size
// and ETag or version) and OpenAt refuses another; a serialised index
// carries a CRC-32C (against damage; a store that can forge an index can
// also change the object) and sane-offset checks; and every reader checks
// the object against the index as it goes: a unit it passes must start
// where the index says, the output must end at Total, gzip/zlib/bzip2
// checksums are carried across checkpoints and checked at the end of each
// member. An index that disagrees with its object fails any read that
// passes the disagreement.
package seek

import (
	"bufio"
	"errors"
	"fmt"
	"io"
)

// Format is a compressed format, spelled as the decompress transform
// spells it, plus "deflate" (raw RFC 1951 data).
type Format string

// The formats an Index covers.
const (
	Gzip    Format = "gzip"
	Zlib    Format = "zlib"
	Deflate Format = "deflate"
	Bzip2   Format = "bzip2"
	Zstd    Format = "zstd"
	Snappy  Format = "snappy"
	Zip     Format = "zip" // DecodedSize only
)

// windowed says whether checkpoints inside a unit carry a window.
func (f Format) windowed() bool { return f == Gzip || f == Zlib || f == Deflate }

// ID names the object an index belongs to: its compressed size and an
// identity the caller gives (the ETag, or ETag and version ID together).
type ID struct {
	Size int64
	ETag string
}

// Options tune an index. Zero values take the defaults.
type Options struct {
	// Spacing is the decoded distance between checkpoints to start with
	// (default 1 MiB).
	Spacing int64
	// MaxPoints bounds the checkpoints (default 256, at most 65536).
	MaxPoints int
	// MaxWindowBytes is the largest zstd window accepted (default 8 MiB),
	// as the decompress transform's option of that name.
	MaxWindowBytes int64
	// MaxOutputBytes bounds the decoded size (default 8 GiB, as the
	// decompress transform's option): Build on a decompression bomb
	// stops there with ErrTooLarge.
	MaxOutputBytes int64
}

// Defaults; see the package documentation.
const (
	DefaultSpacing        = 1 << 20
	DefaultMaxPoints      = 256
	DefaultMaxWindowBytes = 8 << 20
	DefaultMaxOutputBytes = 8 << 30
)

func (o Options) withDefaults() Options {
	if o.Spacing <= 0 {
		o.Spacing = DefaultSpacing
	}
	if o.MaxPoints <= 0 {
		o.MaxPoints = DefaultMaxPoints
	}
	o.MaxPoints = min(max(o.MaxPoints, 2), maxPoints)
	if o.MaxWindowBytes <= 0 {
		o.MaxWindowBytes = DefaultMaxWindowBytes
	}
	if o.MaxOutputBytes <= 0 {
		o.MaxOutputBytes = DefaultMaxOutputBytes
	}
	return o
}

// Errors callers tell apart.
var (
	// ErrStale: the index was built for another object (or version).
	ErrStale = errors.New("seek: the index belongs to another object")
	// ErrCorruptIndex: a serialised index is damaged or not an index.
	ErrCorruptIndex = errors.New("seek: corrupt index")
	// ErrMismatch: the object's data disagrees with its index.
	ErrMismatch = errors.New("seek: the object does not match its index")
	// ErrOffset: the offset is past the decoded size.
	ErrOffset = errors.New("seek: offset past the end of the decoded data")
	// ErrFormat: the format has no index (zip) or is unknown.
	ErrFormat = errors.New("seek: no index for this format")
	// ErrIncomplete: Indexer.Index was called before the stream ended.
	ErrIncomplete = errors.New("seek: the stream was not read to its end")
	// ErrTooLarge: the data decodes to more than Options.MaxOutputBytes.
	ErrTooLarge = errors.New("seek: the data decodes to more than maxOutputBytes")
)

// OpenAt returns the decoded bytes of the object from decoded offset off
// to the end, starting from idx's nearest checkpoint at or before off
// (from the start when idx is nil). ra and id describe the compressed
// object; idx must have been built for id (else ErrStale) and format f.
// Reads of ra are sequential from the checkpoint, 1 MiB first and growing
// to 8 MiB, so over HTTP a short range costs one ranged GET. An offset
// past the known decoded size is ErrOffset.
func OpenAt(ra io.ReaderAt, id ID, f Format, idx *Index, off int64, opts Options) (io.ReadCloser, error) {
	return openAt(ra, id, f, idx, off, id.Size, opts)
}

// OpenRange returns the n decoded bytes at off (fewer only where the data
// ends first), as a Range request wants them. With an index it reads the
// compressed object only from the checkpoint at or before off to the one
// after off+n, in one read when that span is at most 8 MiB (one ranged GET
// over HTTP), and decodes nothing past it: the parallel bzip2 decoder, for
// one, would otherwise decode blocks ahead that no one reads. A decoding
// error after the n bytes (the span ends mid-stream on purpose) is not
// reported; one before them is.
func OpenRange(ra io.ReaderAt, id ID, f Format, idx *Index, off, n int64, opts Options) (io.ReadCloser, error) {
	if n < 0 {
		return nil, fmt.Errorf("%w: length %d is negative", ErrOffset, n)
	}
	end := id.Size
	if idx != nil && idx.Check(id) == nil {
		if p, ok := idx.after(off + n); ok {
			// A bzip2 block ends where the next magic (48 bits) is found.
			end = min(end, (p.in+48+7)/8)
		}
	}
	r, err := openAt(ra, id, f, idx, off, end, opts)
	if err != nil {
		return nil, err
	}
	return &rangeReader{r: r, left: n}, nil
}

// rangeReader hands out at most left bytes, then io.EOF whatever the
// decoder says next.
type rangeReader struct {
	r    io.ReadCloser
	left int64
}

func (r *rangeReader) Read(p []byte) (int, error) {
	if r.left <= 0 {
		return 0, io.EOF
	}
	n, err := r.r.Read(p[:min(int64(len(p)), r.left)])
	r.left -= int64(n)
	if r.left == 0 {
		err = nil // all asked for is here, right; what follows is cut off
	}
	return n, err
}

func (r *rangeReader) Close() error { return r.r.Close() }

func openAt(ra io.ReaderAt, id ID, f Format, idx *Index, off, end int64, opts Options) (io.ReadCloser, error) {
	opts = opts.withDefaults()
	if off < 0 {
		return nil, fmt.Errorf("%w: %d is negative", ErrOffset, off)
	}
	if !f.windowed() && f != Bzip2 && f != Zstd && f != Snappy {
		return nil, fmt.Errorf("%w: %q", ErrFormat, f)
	}
	start := point{}
	if idx != nil {
		if err := idx.Check(id); err != nil {
			return nil, err
		}
		if idx.format != f {
			return nil, fmt.Errorf("%w: it is a %s index, not %s", ErrStale, idx.format, f)
		}
		if off > idx.total {
			return nil, fmt.Errorf("%w: %d is past %d", ErrOffset, off, idx.total)
		}
		start = idx.at(off)
	}
	src := newChunkReader(ra, start.in/8, end)
	if end < id.Size {
		src.next = int(min(end-start.in/8, maxChunk)) // the span in one read
	}
	t := &tracker{idx: idx}
	dec, err := open(f, src, start, t, opts)
	if err != nil {
		return nil, err
	}
	r := &reader{dec: dec, t: t, out: start.out, max: opts.MaxOutputBytes}
	if _, err := io.CopyN(io.Discard, r, off-start.out); err != nil {
		dec.Close()
		if err == io.EOF {
			err = fmt.Errorf("%w: %d is past the end", ErrOffset, off)
		}
		return nil, err
	}
	return r, nil
}

// Build reads the whole object and returns its index. Where the format
// states what an index needs without decoding (a zstd seek table, snappy's
// chunk headers), it reads only that; otherwise it decodes everything, in
// 8 MiB reads.
func Build(ra io.ReaderAt, id ID, f Format, opts Options) (*Index, error) {
	opts = opts.withDefaults()
	switch f {
	case Zstd:
		if x, ok, err := fromSeekTable(ra, id, opts); ok || err != nil {
			return x, err
		}
	case Snappy:
		return walkSnappy(newChunkReader(ra, 0, id.Size), id, opts)
	}
	ix, err := NewIndexer(newChunkReader(ra, 0, id.Size), id, f, opts)
	if err != nil {
		return nil, err
	}
	defer ix.Close()
	if _, err := io.Copy(io.Discard, ix); err != nil {
		return nil, err
	}
	return ix.Index()
}

// Indexer decodes a compressed stream and records its index as the bytes
// pass: a drop-in for the format's decoder on a full read. Overhead, see
// docs/benchmarks.md.
type Indexer struct {
	r *reader
	c *counter // the compressed bytes read, to check against id.Size
}

// NewIndexer returns the decoder for format f over r (the whole object,
// from its first byte), recording an index for id as it is read.
func NewIndexer(r io.Reader, id ID, f Format, opts Options) (*Indexer, error) {
	opts = opts.withDefaults()
	if !f.windowed() && f != Bzip2 && f != Zstd && f != Snappy {
		return nil, fmt.Errorf("%w: %q", ErrFormat, f)
	}
	c := &counter{r: r}
	t := newRecorder(f, id, opts)
	dec, err := open(f, c, point{}, t, opts)
	if err != nil {
		return nil, err
	}
	return &Indexer{r: &reader{dec: dec, t: t, max: opts.MaxOutputBytes}, c: c}, nil
}

// Read returns decoded bytes.
func (ix *Indexer) Read(p []byte) (int, error) { return ix.r.Read(p) }

// Close releases the decoder.
func (ix *Indexer) Close() error { return ix.r.Close() }

// Index returns the index once Read has returned io.EOF; before that, or
// after a decoding error, ErrIncomplete. It also refuses an index whose
// stream was not the whole object (more or fewer bytes than id.Size).
func (ix *Indexer) Index() (*Index, error) {
	if ix.r.err != io.EOF {
		return nil, ErrIncomplete
	}
	x := ix.r.t.idx
	// gzip, zstd and snappy read to the end of their input; zlib, raw
	// deflate and bzip2 stop at their own end and ignore what follows.
	toEnd := x.format == Gzip || x.format == Zstd || x.format == Snappy
	if n := ix.c.n; n > x.id.Size || toEnd && n != x.id.Size {
		return nil, fmt.Errorf("%w: read %d bytes of an object of %d", ErrMismatch, n, x.id.Size)
	}
	x.total = ix.r.out
	return x, nil
}

// reader is what OpenAt and Indexer hand out: the decoder's bytes, with
// the tracker's verdicts and the end checked against the index's total.
type reader struct {
	dec io.ReadCloser
	t   *tracker
	out int64
	max int64
	err error
}

func (r *reader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	n, err := r.dec.Read(p)
	r.out += int64(n)
	if r.out > r.max {
		n -= int(r.out - r.max)
		r.out, r.err = r.max, fmt.Errorf("%w (%d)", ErrTooLarge, r.max)
		return n, r.err
	}
	if r.t.err != nil {
		r.err = r.t.err
		return n, r.err
	}
	if err == io.EOF && r.t.idx != nil && !r.t.rec && r.out != r.t.idx.total {
		err = fmt.Errorf("%w: the data ends at %d, the index says %d", ErrMismatch, r.out, r.t.idx.total)
	}
	r.err = err
	return n, err
}

func (r *reader) Close() error { return r.dec.Close() }

// tracker is told of every place decoding could resume. Recording, it
// keeps checkpoints at the index's spacing; opening with an index, it
// checks each place the index knows against the index.
type tracker struct {
	idx    *Index
	rec    bool
	budget int   // most checkpoints kept
	last   int64 // out of the last checkpoint kept
	err    error
}

// windowless is how many times closer, and more, the checkpoints of
// formats without a window are: they cost about 12 bytes, not 32 KiB.
const windowless = 16

func newRecorder(f Format, id ID, opts Options) *tracker {
	spacing, budget := opts.Spacing, opts.MaxPoints
	if !f.windowed() {
		spacing, budget = max(spacing/windowless, 1), min(budget*windowless, maxPoints)
	}
	x := &Index{format: f, id: id, spacing: spacing, points: []point{{kind: unitStart}}}
	return &tracker{idx: x, rec: true, budget: budget}
}

// seen is called at compressed bit offset in, decoded offset out; it
// reports whether the caller should add a checkpoint there.
func (t *tracker) seen(in, out int64) bool {
	if t.idx == nil || t.err != nil {
		return false
	}
	if !t.rec {
		if p, ok := t.idx.byIn(in); ok && p.out != out {
			t.err = fmt.Errorf("%w: a unit at compressed bit %d starts at decoded %d, the index says %d", ErrMismatch, in, out, p.out)
		}
		return false
	}
	if in > 0 && out-t.last >= t.idx.spacing {
		t.last = out // a deflate checkpoint is added later; none other near it
		return true
	}
	return false
}

// add keeps a checkpoint; when the budget is full it keeps every other one
// and doubles the spacing.
func (t *tracker) add(p point) {
	x := t.idx
	if n := len(x.points); n > 0 && p.in <= x.points[n-1].in {
		return
	}
	x.points = append(x.points, p)
	t.last = p.out
	if len(x.points) > t.budget {
		kept := x.points[:1]
		for i := 2; i < len(x.points); i += 2 {
			kept = append(kept, x.points[i])
		}
		clear(x.points[len(kept):])
		x.points = kept
		x.spacing *= 2
		t.last = kept[len(kept)-1].out
	}
}

// open returns format f's decoder over src, starting at checkpoint p.
func open(f Format, src io.Reader, p point, t *tracker, opts Options) (io.ReadCloser, error) {
	switch f {
	case Gzip, Zlib, Deflate:
		return openInflate(f, src, p, t)
	case Bzip2:
		return openBzip2(src, p, t), nil
	case Zstd:
		return openZstd(src, p, t, opts)
	case Snappy:
		return openSnappy(src, p, t), nil
	}
	return nil, fmt.Errorf("%w: %q", ErrFormat, f)
}

// counter counts what is read through it.
type counter struct {
	r io.Reader
	n int64
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// input is a buffered compressed stream that knows the absolute offset of
// its next unread byte: deflate and zstd need to know where a unit ended.
type input struct {
	*bufio.Reader
	c    *counter
	base int64 // absolute offset of the stream's first byte
}

func newInput(src io.Reader, base int64) *input {
	c := &counter{r: src}
	return &input{Reader: bufio.NewReaderSize(c, 256<<10), c: c, base: base}
}

func (in *input) pos() int64 { return in.base + in.c.n - int64(in.Buffered()) }
