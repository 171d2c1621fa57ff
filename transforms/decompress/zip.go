package decompress

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"strings"

	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/zstd"

	"github.com/olkit/olkit/s3err"
	"github.com/olkit/olkit/spool"
	"github.com/olkit/olkit/transforms"
)

// openZip serves one entry of a ZIP archive. The archive's directory is at
// its end, so it is read through obj.Source (ranged reads of the original)
// when the chain offers it; an archive that arrives only as a stream (after
// another stage, zip inside gzip) is first spooled to a temporary file of
// at most maxSpoolBytes.
func (t *Transform) openZip(obj *transforms.Object, r io.Reader, in *source) (io.Reader, error) {
	src := obj.Source
	var spooled *spool.File
	if src == nil {
		s, err := spool.Copy("", t.opts.MaxSpoolBytes, r)
		var le *spool.LimitError
		switch {
		case errors.As(err, &le):
			return nil, s3err.New(http.StatusBadRequest, "EntityTooLarge",
				"decompress: a ZIP archive that arrives as a stream is held in a temporary file first, and this one is larger than maxSpoolBytes (%d)", le.Limit)
		case err != nil:
			return nil, decodeError(Zip, err, in)
		}
		src, spooled = s, s
	}
	rc, f, err := t.zipEntry(obj, src)
	if err != nil {
		if spooled != nil {
			spooled.Close()
		}
		return nil, err
	}
	obj.SetSize(int64(f.UncompressedSize64))
	setDecodedHeaders(obj, path.Base(f.Name))
	return &output{r: rc, format: Zip, max: t.opts.MaxOutputBytes, ratio: t.opts.MaxRatio, close: func() {
		rc.Close()
		if spooled != nil {
			spooled.Close()
		}
	}}, nil
}

// zipEntry opens the entry the request names (the file_name query
// parameter, as AWS's sample function reads it, else the "entry" option),
// or the only file of a one-file archive.
func (t *Transform) zipEntry(obj *transforms.Object, src transforms.Source) (io.ReadCloser, *zip.File, error) {
	zr, err := zip.NewReader(src, src.Size())
	if err != nil {
		return nil, nil, s3err.Wrap(err, http.StatusBadRequest, "UnexpectedContent", "decompress: not a valid ZIP archive: %v", err)
	}
	zr.RegisterDecompressor(zip.Deflate, flate.NewReader)
	zr.RegisterDecompressor(zstd.ZipMethodWinZip, zstd.ZipDecompressor(zstd.WithDecoderMaxWindow(uint64(t.opts.MaxWindowBytes))))
	zr.RegisterDecompressor(zstd.ZipMethodPKWare, zstd.ZipDecompressor(zstd.WithDecoderMaxWindow(uint64(t.opts.MaxWindowBytes))))

	name := obj.Query.Get("file_name")
	if name == "" {
		name = t.opts.Entry
	}
	f, err := pickEntry(zr, name, obj.Key)
	if err != nil {
		return nil, nil, err
	}
	if err := t.checkEntry(f); err != nil {
		return nil, nil, err
	}
	rc, err := f.Open()
	if errors.Is(err, zip.ErrAlgorithm) {
		return nil, nil, s3err.New(http.StatusBadRequest, "UnexpectedContent",
			"decompress: ZIP entry %q uses compression method %d; olkit reads stored, deflate and zstd entries", f.Name, f.Method)
	}
	if err != nil {
		return nil, nil, s3err.Wrap(err, http.StatusBadRequest, "UnexpectedContent", "decompress: ZIP entry %q: %v", f.Name, err)
	}
	return rc, f, nil
}

// pickEntry finds the entry called name, or with no name the archive's
// only file. Directories do not count as files.
func pickEntry(zr *zip.Reader, name, key string) (*zip.File, error) {
	var files []*zip.File
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, "/") {
			files = append(files, f)
		}
	}
	if name != "" {
		for _, f := range files {
			if f.Name == name {
				return f, nil
			}
		}
		return nil, s3err.New(http.StatusNotFound, "NoSuchKey", "decompress: the ZIP archive %q has no file %q", key, name)
	}
	switch len(files) {
	case 1:
		return files[0], nil
	case 0:
		return nil, s3err.New(http.StatusNotFound, "NoSuchKey", "decompress: the ZIP archive %q holds no files", key)
	}
	return nil, s3err.InvalidRequest("decompress: the ZIP archive %q holds %d files; choose one with ?file_name=NAME, or the access point's \"entry\" option (%s)",
		key, len(files), sample(files))
}

// sample names the first few files, for an error message.
func sample(files []*zip.File) string {
	var names []string
	for i, f := range files {
		if i == 3 {
			names = append(names, fmt.Sprintf("and %d more", len(files)-3))
			break
		}
		names = append(names, fmt.Sprintf("%q", f.Name))
	}
	return strings.Join(names, ", ")
}

// checkEntry refuses, before any output, what cannot be served: encrypted
// entries, and entries whose declared size or ratio passes the limits.
// archive/zip then holds the entry to its declared size and checks its
// CRC-32 at the end.
func (t *Transform) checkEntry(f *zip.File) error {
	if f.Flags&0x1 != 0 {
		return s3err.New(http.StatusBadRequest, "UnexpectedContent", "decompress: ZIP entry %q is encrypted", f.Name)
	}
	if f.UncompressedSize64 > uint64(t.opts.MaxOutputBytes) {
		return s3err.New(http.StatusBadRequest, "EntityTooLarge",
			"decompress: ZIP entry %q is %d bytes, more than maxOutputBytes (%d)", f.Name, f.UncompressedSize64, t.opts.MaxOutputBytes)
	}
	if f.UncompressedSize64 > ratioFloor && float64(f.UncompressedSize64) > t.opts.MaxRatio*float64(f.CompressedSize64) {
		return s3err.New(http.StatusBadRequest, "EntityTooLarge",
			"decompress: ZIP entry %q expands more than maxRatio (%g) times, as decompression bombs do", f.Name, t.opts.MaxRatio)
	}
	return nil
}
