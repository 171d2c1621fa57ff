package seek

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"path"
)

// ErrUnknownSize: the format's metadata does not state the decoded size.
var ErrUnknownSize = errors.New("seek: the format's metadata does not state the decoded size")

// DecodedSize returns the decoded size of a compressed object from what
// the format itself records, never a guess; ErrUnknownSize when it records
// none (then an index, or a counted full read, is the answer).
//
//   - zip: the central directory's uncompressed size of entry ("" for the
//     only file of a one-file archive), a few small reads at the end.
//     archive/zip checks the size (and CRC) when the entry is read, so a
//     GET can never give another length without failing.
//   - zstd: the sum of every frame's Frame_Content_Size, walking frame and
//     block headers (the whole compressed object is read, in 8 MiB reads,
//     nothing decoded); unknown if any frame lacks it. The decoder checks
//     each frame against its stated size.
//   - snappy (framed): the sum of the decoded lengths the data chunks
//     state, walking chunk headers the same way.
//   - gzip: unknown. ISIZE is the last member's size mod 2^32, and only the
//     whole stream tells whether there is one member (concatenated members
//     are common: pigz, appends, logs rotated by cat), so ISIZE is never
//     proof. An index, built by a full read, knows the size (Index.Total).
//   - zlib, raw deflate, bzip2: record no size; unknown.
func DecodedSize(ra io.ReaderAt, id ID, f Format, entry string) (int64, error) {
	switch f {
	case Zip:
		return zipEntrySize(ra, id.Size, entry)
	case Zstd:
		return zstdContentSize(newChunkReader(ra, 0, id.Size))
	case Snappy:
		x, err := walkSnappy(newChunkReader(ra, 0, id.Size), id, Options{}.withDefaults())
		if err != nil {
			return 0, err
		}
		return x.total, nil
	}
	return 0, fmt.Errorf("%w (%s)", ErrUnknownSize, f)
}

// zipEntrySize reads the central directory for the entry's size.
func zipEntrySize(ra io.ReaderAt, size int64, entry string) (int64, error) {
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return 0, fmt.Errorf("zip: %w", err)
	}
	var files []*zip.File
	for _, f := range zr.File {
		if f.Mode().IsDir() {
			continue
		}
		if entry != "" && f.Name == entry {
			return int64(f.UncompressedSize64), nil
		}
		files = append(files, f)
	}
	switch {
	case entry != "":
		return 0, fmt.Errorf("zip: no entry %q in the archive", path.Clean(entry))
	case len(files) != 1:
		return 0, fmt.Errorf("zip: the archive holds %d files; name one", len(files))
	}
	return int64(files[0].UncompressedSize64), nil
}

// zstdContentSize walks the frames of a zstd stream by their headers and
// block headers, summing their stated content sizes.
func zstdContentSize(src io.Reader) (int64, error) {
	in := newInput(src, 0)
	var total int64
	for frames := 0; ; frames++ {
		h, err := peekFrame(in)
		switch {
		case err == io.EOF && frames > 0:
			return total, nil
		case err == io.EOF:
			return 0, fmt.Errorf("zstd: empty object: %w", errCorrupt)
		case err != nil:
			return 0, err
		case h.Skippable:
			if _, err := in.Discard(h.HeaderSize + int(h.SkippableSize)); err != nil {
				return 0, fmt.Errorf("zstd: skippable frame: %w", noEOF(err))
			}
			continue
		case !h.HasFCS:
			return 0, fmt.Errorf("%w: a zstd frame at byte %d does not state its content size", ErrUnknownSize, in.pos())
		}
		total += int64(h.FrameContentSize)
		if total < 0 || h.FrameContentSize > 1<<62 {
			return 0, fmt.Errorf("zstd: content sizes overflow: %w", errCorrupt)
		}
		f := &frameReader{in: in, h: h, left: int64(h.HeaderSize)}
		if _, err := io.Copy(io.Discard, f); err != nil {
			return 0, err
		}
	}
}
