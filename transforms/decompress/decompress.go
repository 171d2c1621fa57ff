// Package decompress is the "decompress" transform: gzip (multi-member),
// zlib, zstd (multi-frame), snappy (framed, or the raw block format by
// option), bzip2 (multi-stream) and ZIP, streamed in bounded memory, the
// format detected from the data itself, and guarded against decompression
// bombs.
//
// Choosing the format: the "format" option forces one; otherwise the first
// bytes decide (magic numbers), then Content-Encoding, then the key's suffix.
// "formats" limits what is accepted. Data in no accepted format passes
// through unchanged, or is refused with 400 UnexpectedContent when
// "unknown" is "refuse".
//
// After decompression Content-Encoding is dropped; Content-Type comes from
// the inner name (report.csv.gz serves text/csv; a ZIP entry's own name),
// else application/octet-stream, unless the object's Content-Type already
// described the decoded data (it had a Content-Encoding and a specific
// type); the length is unknown except where the format states it (a ZIP
// entry, a snappy block); the ETag and checksums of the compressed bytes
// are dropped.
//
// Limits, all options, with defaults for a Lambda function:
//
//	maxOutputBytes  8 GiB    more output than this fails the request
//	maxRatio        1000     output more than this many times the input
//	                         fails, once the output passes 16 MiB
//	maxWindowBytes  8 MiB    largest zstd window accepted (zstd -19 uses 8 MiB)
//	maxSpoolBytes   512 MiB  largest ZIP held in a temporary file when it
//	                         cannot be read in place (after another stage)
//	maxBlockBytes   8 MiB    largest raw snappy block, decoded in memory
//
// A fault found before the first output byte is a 400 UnexpectedContent
// naming the format and the fault; one found later makes the download
// fail, never a truncated success.
package decompress

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/klauspost/compress/zstd"

	"github.com/olkit/olkit/s3err"
	"github.com/olkit/olkit/transforms"
)

// Default limits; see the package documentation.
const (
	DefaultMaxOutputBytes = 8 << 30
	DefaultMaxRatio       = 1000
	DefaultMaxWindowBytes = 8 << 20
	DefaultMaxSpoolBytes  = 512 << 20
	DefaultMaxBlockBytes  = 8 << 20
	// ratioFloor is the output below which the ratio is not checked: small
	// files of repeated bytes are not bombs.
	ratioFloor = 16 << 20
)

// Options are the transform's options, as the payload gives them.
type Options struct {
	Format         Format   `json:"format"`
	Formats        []Format `json:"formats"`
	Unknown        string   `json:"unknown"` // "pass" (default) or "refuse"
	Entry          string   `json:"entry"`   // ZIP entry, unless the request's file_name names one
	MaxOutputBytes int64    `json:"maxOutputBytes"`
	MaxRatio       float64  `json:"maxRatio"`
	MaxWindowBytes int64    `json:"maxWindowBytes"`
	MaxSpoolBytes  int64    `json:"maxSpoolBytes"`
	MaxBlockBytes  int64    `json:"maxBlockBytes"`
	// IndexPrefix, when set, keeps each object's checkpoint index under
	// this key prefix beside the originals (where the server offers a
	// store: the supporting access point, the function URL's bucket), so
	// an instance that has not read the object finds its index there.
	IndexPrefix string `json:"indexPrefix"`
}

func init() {
	transforms.Register("decompress", func(raw json.RawMessage) (transforms.Transform, error) {
		opts, err := ParseOptions(raw)
		if err != nil {
			return nil, err
		}
		return New(opts), nil
	})
}

// ParseOptions reads and checks the options, filling in defaults.
func ParseOptions(raw json.RawMessage) (Options, error) {
	var o Options
	if len(raw) > 0 {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&o); err != nil {
			return o, fmt.Errorf("decompress options: %w", err)
		}
	}
	if o.Format != "" && !slices.Contains(allFormats, o.Format) {
		return o, fmt.Errorf("decompress option format: %q is not one of %s", o.Format, formatList(allFormats))
	}
	for _, f := range o.Formats {
		if !slices.Contains(allFormats, f) {
			return o, fmt.Errorf("decompress option formats: %q is not one of %s", f, formatList(allFormats))
		}
	}
	if o.Format != "" && len(o.Formats) > 0 && !slices.Contains(o.Formats, o.Format) {
		return o, fmt.Errorf("decompress options: format %q is not among formats %s", o.Format, formatList(o.Formats))
	}
	switch o.Unknown {
	case "":
		o.Unknown = "pass"
	case "pass", "refuse":
	default:
		return o, fmt.Errorf(`decompress option unknown: %q is neither "pass" nor "refuse"`, o.Unknown)
	}
	if o.MaxRatio != 0 && o.MaxRatio < 1 {
		return o, fmt.Errorf("decompress option maxRatio: %v is below 1", o.MaxRatio)
	}
	for name, v := range map[string]int64{"maxOutputBytes": o.MaxOutputBytes, "maxWindowBytes": o.MaxWindowBytes,
		"maxSpoolBytes": o.MaxSpoolBytes, "maxBlockBytes": o.MaxBlockBytes} {
		if v < 0 {
			return o, fmt.Errorf("decompress option %s: %d is negative", name, v)
		}
	}
	if strings.HasPrefix(o.IndexPrefix, "/") {
		return o, fmt.Errorf("decompress option indexPrefix: %q starts with /; write it as a key prefix, e.g. \"olkit-index/\"", o.IndexPrefix)
	}
	o.MaxOutputBytes = orDefault(o.MaxOutputBytes, DefaultMaxOutputBytes)
	o.MaxRatio = orDefault(o.MaxRatio, DefaultMaxRatio)
	o.MaxWindowBytes = orDefault(o.MaxWindowBytes, DefaultMaxWindowBytes)
	o.MaxSpoolBytes = orDefault(o.MaxSpoolBytes, DefaultMaxSpoolBytes)
	o.MaxBlockBytes = orDefault(o.MaxBlockBytes, DefaultMaxBlockBytes)
	return o, nil
}

func orDefault[T int64 | float64](v, def T) T {
	if v == 0 {
		return def
	}
	return v
}

func formatList(fs []Format) string {
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = string(f)
	}
	return strings.Join(names, ", ")
}

// Transform decompresses one object per Apply.
type Transform struct {
	opts Options
}

// New returns the transform for opts (from ParseOptions).
func New(opts Options) *Transform { return &Transform{opts: opts} }

// Apply chooses the format and returns the decompressed stream.
func (t *Transform) Apply(ctx context.Context, obj *transforms.Object, r io.Reader) (io.Reader, error) {
	in := &source{r: r}
	br := bufio.NewReaderSize(in, 64<<10)
	head, err := br.Peek(magicLen)
	if err != nil && err != io.EOF {
		return nil, err // the source failed: pass its error on as it is
	}
	f := t.choose(head, obj)
	switch {
	case len(head) == 0: // nothing to decompress
		obj.Unchanged()
		return br, nil
	case f == "" && t.opts.Unknown == "refuse":
		return nil, refused(obj, t.accepted())
	case f == "":
		obj.Unchanged()
		return br, nil
	}
	if f == Zip {
		return t.openZip(obj, br, in)
	}
	out, err := t.open(ctx, f, br, in, obj)
	if err != nil {
		return nil, decodeError(f, err, in)
	}
	setDecodedHeaders(obj, innerName(obj.Key, f))
	return out, nil
}

// Head describes the decompressed object for a HEAD request as Apply
// would: the format comes from the first bytes when the original can be
// read (obj.Source), else from the options, Content-Encoding or the key's
// suffix, and the headers change as Apply changes them.
func (t *Transform) Head(ctx context.Context, obj *transforms.Object) error {
	f, empty, err := t.sourceFormat(obj)
	switch {
	case err != nil:
		return err
	case empty:
		obj.Unchanged() // nothing to decompress
		return nil
	case f == "" && t.opts.Unknown == "refuse":
		return refused(obj, t.accepted())
	case f == "":
		obj.Unchanged() // would pass through as it is
		return nil
	}
	name := innerName(obj.Key, f)
	if n := t.knownSize(ctx, obj, f); n >= 0 {
		obj.SetSize(n)
	}
	if f == Zip {
		if obj.Source != nil {
			// The central directory names the entry and its length.
			rc, file, err := t.zipEntry(obj, obj.Source)
			if err != nil {
				return err
			}
			rc.Close()
			obj.SetSize(int64(file.UncompressedSize64))
			setDecodedHeaders(obj, path.Base(file.Name))
			return nil
		}
		if entry := obj.Query.Get("file_name"); entry != "" {
			name = path.Base(entry)
		} else if t.opts.Entry != "" {
			name = path.Base(t.opts.Entry)
		}
	}
	setDecodedHeaders(obj, name)
	return nil
}

// sourceFormat chooses the format as Apply does, reading the first bytes
// through obj.Source when there is one (else from the options,
// Content-Encoding and the key); empty reports an object with no bytes.
func (t *Transform) sourceFormat(obj *transforms.Object) (f Format, empty bool, err error) {
	var head []byte
	if obj.Source != nil {
		head = make([]byte, magicLen)
		n, err := obj.Source.ReadAt(head, 0)
		if err != nil && err != io.EOF {
			return "", false, err
		}
		if n == 0 {
			return "", true, nil
		}
		head = head[:n]
	}
	return t.choose(head, obj), false, nil
}

// refused is the answer for an object in no format the access point takes.
func refused(obj *transforms.Object, accepted []Format) error {
	return s3err.New(http.StatusBadRequest, "UnexpectedContent",
		"decompress: %q is in no format this access point decompresses (%s)", obj.Key, formatList(accepted))
}

// accepted is the list of formats this transform may decompress.
func (t *Transform) accepted() []Format {
	if len(t.opts.Formats) > 0 {
		return t.opts.Formats
	}
	return allFormats
}

// choose picks the format: forced, else magic, else Content-Encoding, else
// the key's suffix; "" when none is accepted.
func (t *Transform) choose(head []byte, obj *transforms.Object) Format {
	if t.opts.Format != "" {
		return t.opts.Format
	}
	f := sniff(head)
	if f == "" {
		f = fromEncoding(obj.Header.Get("Content-Encoding"))
	}
	if f == "" {
		f, _ = fromKey(obj.Key)
	}
	if !slices.Contains(t.accepted(), f) {
		return ""
	}
	return f
}

// genericTypes say only that the object is compressed, not what it holds.
var genericTypes = []string{"", "application/octet-stream", "binary/octet-stream", "application/gzip", "application/x-gzip",
	"application/zstd", "application/x-bzip2", "application/x-snappy-framed", "application/zip", "application/zlib"}

// setDecodedHeaders describes the decoded data. A Content-Type that went
// with a Content-Encoding already describes the decoded data (HTTP's
// meaning), so a specific one is kept; otherwise the inner name decides.
func setDecodedHeaders(obj *transforms.Object, name string) {
	ct := strings.ToLower(strings.TrimSpace(strings.Split(obj.Header.Get("Content-Type"), ";")[0]))
	described := obj.Header.Get("Content-Encoding") != "" && !slices.Contains(genericTypes, ct)
	obj.Header.Del("Content-Encoding")
	if !described {
		obj.Header.Set("Content-Type", contentType(name))
	}
}

// source counts what is read from the stage's input and remembers its
// first error, so a failing source is never mistaken for corrupt data. It
// is read by a decoder's goroutine (bzip2's scanner) while the output's
// guard looks at the count, hence the atomics.
type source struct {
	r   io.Reader
	n   atomic.Int64
	mu  sync.Mutex
	err error
}

func (s *source) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	s.n.Add(int64(n))
	if err != nil && err != io.EOF {
		s.mu.Lock()
		if s.err == nil {
			s.err = err
		}
		s.mu.Unlock()
	}
	return n, err
}

// failure returns the source's first error, if it failed.
func (s *source) failure() error {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// decodeError turns a decoder's error into what the caller should see: the
// source's own error when the source failed, else 400 UnexpectedContent
// naming the format and the fault.
func decodeError(f Format, err error, in *source) error {
	var e *s3err.Error
	switch {
	case in.failure() != nil:
		return in.failure()
	case errors.As(err, &e):
		return err
	case errors.Is(err, zstd.ErrWindowSizeExceeded), errors.Is(err, zstd.ErrDecoderSizeExceeded):
		return s3err.Wrap(err, http.StatusBadRequest, "UnexpectedContent",
			"decompress: the zstd data needs a larger window than maxWindowBytes allows; raise it if this object is genuine")
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return s3err.Wrap(err, http.StatusBadRequest, "UnexpectedContent", "decompress: the %s data is truncated (it ends in the middle of a stream)", f)
	}
	return s3err.Wrap(err, http.StatusBadRequest, "UnexpectedContent", "decompress: the %s data is corrupt: %v", f, err)
}
