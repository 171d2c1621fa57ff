package seek_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/transforms/decompress/seek"
)

// small makes indexes with many checkpoints out of a few MiB.
var small = seek.Options{Spacing: 64 << 10}

// indexed reads s through an Indexer, checks the bytes, and returns the
// index it recorded.
func indexed(t *testing.T, s sample, opts seek.Options) *seek.Index {
	t.Helper()
	ix, err := seek.NewIndexer(bytes.NewReader(s.data), s.id(), s.format, opts)
	require.NoError(t, err)
	defer ix.Close()
	_, err = ix.Index()
	require.ErrorIs(t, err, seek.ErrIncomplete, "no index before the end")
	got, err := io.ReadAll(ix)
	require.NoError(t, err)
	require.True(t, bytes.Equal(s.plain, got), "%s: the indexer's output differs from the data", s.name)
	idx, err := ix.Index()
	require.NoError(t, err)
	require.Equal(t, int64(len(s.plain)), idx.Total())
	return idx
}

// offsets are random offsets plus the edges: start, end, just before the
// end.
func offsets(seed uint64, total int64) []int64 {
	r := rand.New(rand.NewPCG(seed, 7))
	offs := []int64{0, 1, total - 1, total}
	for range 12 {
		offs = append(offs, r.Int64N(total))
	}
	return offs
}

func TestRangesAreByteExactForEveryFormat(t *testing.T) {
	for _, d := range samples() {
		t.Run(d.name, func(t *testing.T) {
			if testing.Short() && d.name != "gzip-go-flushed" {
				t.Skip("one format under -short")
			}
			s := d.get(t)
			streamed := indexed(t, s, small)
			built, err := seek.Build(bytes.NewReader(s.data), s.id(), s.format, small)
			require.NoError(t, err)
			require.Equal(t, streamed.Total(), built.Total())
			switch s.format {
			case seek.Zstd: // a checkpoint per frame: one, four, or one per 256 KiB
				assert.GreaterOrEqual(t, streamed.Len(), map[string]int{"zstd-cli-frames": 4, "zstd-go-seekable": 12}[s.name])
			default:
				assert.Greater(t, streamed.Len(), 12, "%s: several checkpoints", s.name)
			}
			total := int64(len(s.plain))
			for i, off := range offsets(uint64(len(s.name)), total) {
				n := 1 + int(off)%100000
				want := s.plain[off:min(off+int64(n), total)]
				idx := streamed
				if i%2 == 1 {
					idx = built
				}
				require.True(t, bytes.Equal(want, readAt(t, s, idx, off, n)), "%s: %d bytes at %d", s.name, n, off)
				require.True(t, bytes.Equal(want, readRange(t, s, idx, off, n)), "%s: range of %d bytes at %d", s.name, n, off)
				if i < 4 {
					require.True(t, bytes.Equal(want, readAt(t, s, nil, off, n)), "%s cold: %d bytes at %d", s.name, n, off)
				}
			}
		})
	}
}

// TestReadToTheEndChecksEverything reads from every checkpoint to the end:
// the tail of each member is checked by its trailer, the end by the total.
func TestReadToTheEndFromEveryCheckpoint(t *testing.T) {
	if testing.Short() {
		t.Skip("long")
	}
	for _, name := range []string{"gzip-cli-members", "gzip-go-flushed", "zlib-go", "bzip2-cli-streams", "zstd-go-seekable"} {
		s := named(t, name)
		idx := indexed(t, s, seek.Options{Spacing: 256 << 10})
		for off := int64(0); off < int64(len(s.plain)); off += 300 << 10 {
			got := readAt(t, s, idx, off, len(s.plain))
			require.True(t, bytes.Equal(s.plain[off:], got), "%s: from %d to the end", s.name, off)
		}
	}
}

func TestIndexIsBoundedAndThinned(t *testing.T) {
	s := named(t, "gzip-go-members")
	idx := indexed(t, s, seek.Options{Spacing: 16 << 10, MaxPoints: 8})
	assert.LessOrEqual(t, idx.Len(), 8)
	assert.GreaterOrEqual(t, idx.Len(), 4, "thinning keeps half, not one")
	for _, off := range offsets(3, idx.Total()) {
		want := s.plain[off:min(off+5000, idx.Total())]
		require.True(t, bytes.Equal(want, readAt(t, s, idx, off, 5000)), "at %d", off)
	}
	// A window is at most 32 KiB before compression; text packs it 2-4×.
	assert.Less(t, idx.Bytes(), int64(idx.Len())*(20<<10))
}

func TestSerialisedIndexRoundTrips(t *testing.T) {
	for _, name := range []string{"gzip-go-members", "bzip2-cli-streams", "zstd-go-seekable", "snappy-go-streams"} {
		s := named(t, name)
		idx := indexed(t, s, small)
		b, err := idx.MarshalBinary()
		require.NoError(t, err)
		back, err := seek.Unmarshal(b)
		require.NoError(t, err)
		require.Equal(t, idx, back)
		assert.InDelta(t, idx.Bytes(), len(b), float64(len(b))/4+100, "Bytes is about the serialised size")
		off := idx.Total() / 3
		require.True(t, bytes.Equal(s.plain[off:off+1000], readAt(t, s, back, off, 1000)))
	}
}

func TestDamagedIndexIsRefused(t *testing.T) {
	s := named(t, "gzip-go-members")
	b, err := indexed(t, s, small).MarshalBinary()
	require.NoError(t, err)
	r := rand.New(rand.NewPCG(5, 5))
	for range 300 {
		bad := bytes.Clone(b)
		i := r.IntN(len(bad))
		bad[i] ^= byte(1 + r.IntN(255))
		_, err := seek.Unmarshal(bad)
		require.ErrorIs(t, err, seek.ErrCorruptIndex, "byte %d changed", i)
	}
	for _, n := range []int{0, 5, len(b) / 2, len(b) - 1} {
		_, err := seek.Unmarshal(b[:n])
		require.ErrorIs(t, err, seek.ErrCorruptIndex, "cut to %d bytes", n)
	}
	future := bytes.Clone(b)
	future[7] = 2
	_, err = seek.Unmarshal(future)
	require.ErrorContains(t, err, "version 2")
}

// TestForgedIndexIsCaughtByTheEnd changes a checkpoint's decoded offset
// and re-seals the checksum, as a bug or a hand edit could (the checksum
// guards against damage, not forgery): a read through it to the end must
// fail, as the data no longer ends where the index says.
func TestForgedIndexIsCaughtByTheEnd(t *testing.T) {
	for _, name := range []string{"gzip-go-members", "bzip2-cli-streams", "zstd-go-seekable", "snappy-go-streams"} {
		s := named(t, name)
		idx := indexed(t, s, small)
		b, err := idx.MarshalBinary()
		require.NoError(t, err)
		forged, err := seek.Unmarshal(reseal(t, b, 3))
		require.NoError(t, err, s.name)
		r, err := seek.OpenAt(bytes.NewReader(s.data), s.id(), s.format, forged, forged.Total()/2, seek.Options{})
		require.NoError(t, err)
		got, err := io.ReadAll(r)
		r.Close()
		require.ErrorIs(t, err, seek.ErrMismatch, "%s: %d bytes read", s.name, len(got))
	}
}

// reseal adds one to the Δout of checkpoint k of a serialised index and
// recomputes its checksum.
func reseal(t *testing.T, b []byte, k int) []byte {
	d := b[8:]
	d = d[1:]                 // format
	_, n := binary.Uvarint(d) // size
	d = d[n:]
	l, n := binary.Uvarint(d) // etag
	d = d[n+int(l):]
	for range 3 { // total, spacing, count
		_, n = binary.Uvarint(d)
		d = d[n:]
	}
	for i := 0; ; i++ {
		d = d[2:]
		if i == k {
			require.NotEqual(t, byte(0x7f), d[0]&0x7f)
			d[0]++ // the low bits of Δout's varint
			break
		}
		for range 3 {
			_, n = binary.Uvarint(d)
			d = d[n:]
		}
		d = d[4:]
		l, n = binary.Uvarint(d)
		d = d[n+int(l):]
	}
	out := bytes.Clone(b[:len(b)-4])
	return binary.LittleEndian.AppendUint32(out, crc32.Checksum(out, crc32.MakeTable(crc32.Castagnoli)))
}

func TestIndexIsNeverUsedForAnotherObject(t *testing.T) {
	s := named(t, "gzip-go-members")
	idx := indexed(t, s, small)
	ra := bytes.NewReader(s.data)
	for _, id := range []seek.ID{{Size: s.id().Size, ETag: `"other"`}, {Size: s.id().Size + 1, ETag: s.id().ETag}} {
		_, err := seek.OpenAt(ra, id, s.format, idx, 0, seek.Options{})
		require.ErrorIs(t, err, seek.ErrStale)
	}
	_, err := seek.OpenAt(ra, s.id(), seek.Zstd, idx, 0, seek.Options{})
	require.ErrorIs(t, err, seek.ErrStale, "a gzip index is not a zstd index")
	_, err = seek.OpenAt(ra, s.id(), s.format, idx, idx.Total()+1, seek.Options{})
	require.ErrorIs(t, err, seek.ErrOffset)
}

// TestIndexerRefusesAnotherLength: an index describes the object named by
// its ID, so a stream longer or (for formats read to the end) shorter than
// the ID's size gives none.
func TestIndexerRefusesAnotherLength(t *testing.T) {
	s := named(t, "gzip-go-members")
	first := concat(splits(s.plain, 4)[:1], goGzip(9)) // a whole first member
	for _, size := range []int64{int64(len(first)) + 1, int64(len(first)) - 1} {
		ix, err := seek.NewIndexer(bytes.NewReader(first), seek.ID{Size: size}, seek.Gzip, small)
		require.NoError(t, err)
		_, err = io.Copy(io.Discard, ix)
		require.NoError(t, err, "a member alone decodes")
		_, err = ix.Index()
		require.ErrorIs(t, err, seek.ErrMismatch, "size %d for %d bytes", size, len(first))
	}
}

func TestCorruptDataIsAnErrorNotAnIndex(t *testing.T) {
	for _, name := range []string{"gzip-go-members", "zlib-go", "bzip2-cli-streams", "zstd-cli-one-frame", "snappy-go-streams"} {
		s := named(t, name)
		bad := bytes.Clone(s.data)
		bad[len(bad)/2] ^= 0x55
		ix, err := seek.NewIndexer(bytes.NewReader(bad), s.id(), s.format, small)
		require.NoError(t, err)
		_, err = io.Copy(io.Discard, ix)
		ix.Close()
		require.Error(t, err, s.name)
		_, err = ix.Index()
		require.ErrorIs(t, err, seek.ErrIncomplete, s.name)
		cut := s.data[:len(s.data)-7]
		_, err = seek.Build(bytes.NewReader(cut), seek.ID{Size: int64(len(cut))}, s.format, small)
		require.Error(t, err, "%s cut short", s.name)
	}
}

// TestShortRangeCostsOneRead: a 1 MiB range in the middle, through an
// index, reads the object once or twice (one ranged GET over HTTP with
// OpenRange).
func TestShortRangeCostsOneRead(t *testing.T) {
	for _, name := range []string{"gzip-go-members", "bzip2-cli-streams", "zstd-go-seekable"} {
		s := named(t, name)
		idx := indexed(t, s, seek.Options{})
		ra := &countingReaderAt{r: bytes.NewReader(s.data)}
		off := idx.Total() / 2
		r, err := seek.OpenAt(ra, s.id(), s.format, idx, off, seek.Options{})
		require.NoError(t, err)
		got, err := io.ReadAll(io.LimitReader(r, 1<<20))
		r.Close()
		require.NoError(t, err)
		require.True(t, bytes.Equal(s.plain[off:off+1<<20], got))
		assert.LessOrEqual(t, ra.n, 2, s.name)

		// OpenRange reads only the span between two checkpoints, at once.
		ra.n = 0
		r, err = seek.OpenRange(ra, s.id(), s.format, idx, off, 1<<20, seek.Options{})
		require.NoError(t, err)
		got, err = io.ReadAll(r)
		r.Close()
		require.NoError(t, err)
		require.True(t, bytes.Equal(s.plain[off:off+1<<20], got))
		assert.Equal(t, 1, ra.n, s.name)
	}
}

type countingReaderAt struct {
	r io.ReaderAt
	n int
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	c.n++
	return c.r.ReadAt(p, off)
}

func TestSeekTableIndexesWithoutDecoding(t *testing.T) {
	s := named(t, "zstd-go-seekable")
	ra := &countingReaderAt{r: bytes.NewReader(s.data)}
	idx, err := seek.Build(ra, s.id(), s.format, small)
	require.NoError(t, err)
	assert.Equal(t, 1, ra.n, "one read of the tail")
	assert.Equal(t, int64(len(s.plain)), idx.Total())
	assert.Greater(t, idx.Len(), 8)

	lying := bytes.Clone(s.data)
	binary.LittleEndian.PutUint32(lying[len(lying)-9-8+4:], 1) // the last frame "decodes to" 1 byte
	_, err = seek.Build(bytes.NewReader(lying), seek.ID{Size: int64(len(lying))}, s.format, small)
	require.NoError(t, err, "the table is believed when built")
	idx, err = seek.Build(bytes.NewReader(lying), seek.ID{Size: int64(len(lying))}, s.format, small)
	require.NoError(t, err)
	r, err := seek.OpenAt(bytes.NewReader(lying), seek.ID{Size: int64(len(lying))}, s.format, idx, idx.Total()-1, seek.Options{})
	if err == nil {
		_, err = io.ReadAll(r)
	}
	require.True(t, errors.Is(err, seek.ErrMismatch) || errors.Is(err, seek.ErrOffset), "a lying table is caught when read: %v", err)
}
