// Package transforms defines what a transform is, how transforms register by
// name, and the Chain that an access point's payload builds from them.
//
// A transform wraps one stream into another, the way compress/gzip.NewReader
// wraps an io.Reader, and edits the Object that travels with the stream so
// its headers stay true of the bytes. A plugin is a package that calls
// Register from init; importing it from a main package makes it available to
// every payload, as database/sql drivers do.
//
// The package knows nothing of Lambda, HTTP servers or S3 requests: the same
// Chain serves an Object Lambda access point, a function URL or the olkit CLI.
package transforms

import (
	"context"
	"io"
	"net/http"
	"net/url"
)

// Object is what a stage knows about the stream it is handed, and what it
// hands on. Each stage may edit it to describe its output.
type Object struct {
	// Key is the object's key, as the caller asked for it.
	Key string
	// Header holds the GetObject response headers that describe the stream:
	// Content-Type, Content-Encoding, ETag, checksums, x-amz-meta-*, ...
	Header http.Header
	// Size is the length of the stream in bytes, or -1 when unknown.
	Size int64
	// Query holds the query parameters of the caller's request (for example
	// the file_name that picks a ZIP entry). Never nil after Chain.Apply.
	Query url.Values
	// sizeSet records a SetSize by the current stage.
	sizeSet bool
	// Source gives random access to the stream's bytes when whoever started
	// the chain can offer it (the handler does, with ranged GETs of the
	// original; the CLI does for a regular file), else nil. A stage that
	// needs to seek, such as ZIP reading its central directory, uses it
	// instead of reading the stream. The Chain clears it after a stage that
	// changes bytes, since it no longer describes the stream.
	Source Source
}

// SetSize states the length of the stage's output. Assigning Size does the
// same when the value changes; SetSize also confirms a length equal to the
// input's (a transform that replaces bytes one for one), which the Chain
// would otherwise drop as describing the old bytes.
func (o *Object) SetSize(n int64) {
	o.Size = n
	o.sizeSet = true
}

// Source is random access to a stream's bytes, of a known size.
type Source interface {
	io.ReaderAt
	Size() int64
}

// A Transform turns one stream into another. Apply is called once per
// request with the stream from the stage before; it returns the stream for
// the stage after and edits obj to describe it. Apply should not read r
// itself unless it must: reading belongs to whoever reads the returned
// io.Reader, so that memory stays bounded and the caller controls pace.
//
// Errors meant for the caller should be *s3err.Error values (an S3 status
// and code); anything else reaches the caller as 500 InternalError. The same
// goes for errors returned later by the returned reader's Read: one that
// comes before the first output byte becomes the caller's error answer, one
// that comes after makes the caller's download fail.
//
// A returned reader that is also an io.Closer is closed when the request
// ends, whether or not it was read to the end.
type Transform interface {
	Apply(ctx context.Context, obj *Object, r io.Reader) (io.Reader, error)
}

// Func adapts an ordinary function to the Transform interface.
type Func func(ctx context.Context, obj *Object, r io.Reader) (io.Reader, error)

// Apply calls f.
func (f Func) Apply(ctx context.Context, obj *Object, r io.Reader) (io.Reader, error) {
	return f(ctx, obj, r)
}

// A Preserver is a Transform whose output bytes are its input bytes: it may
// observe the stream or edit headers, but it changes no byte. For such a
// stage the Chain keeps Size, ETag, checksums and Source, which it otherwise
// drops after every stage (unless the stage set them anew) because they
// describe bytes the stage changed.
type Preserver interface {
	Transform
	PreservesBytes() bool
}

// Unchanged marks r, returned from Apply, as the stage's input handed on
// byte for byte: for this request the Chain treats the stage as a
// Preserver and keeps what describes the bytes. A stage that decides per
// object (decompress passing through data in no known format) returns it.
func Unchanged(r io.Reader) io.Reader { return unchanged{r} }

type unchanged struct{ io.Reader }

// byteHeaders name the headers that describe the exact bytes of a stream;
// once a stage may change the bytes they are false and are dropped.
var byteHeaders = []string{
	"Content-Length",
	"Content-Md5",
	"Content-Range",
	"Etag",
	"X-Amz-Checksum-Crc32",
	"X-Amz-Checksum-Crc32c",
	"X-Amz-Checksum-Crc64nvme",
	"X-Amz-Checksum-Sha1",
	"X-Amz-Checksum-Sha256",
	"X-Amz-Checksum-Type",
	"X-Amz-Mp-Parts-Count",
}

// ForgetBytes marks everything that described the exact bytes of the stream
// as unknown: Size becomes -1, the length, ETag, checksum and parts-count
// headers are removed, and Source is cleared. It is for answers about
// changed bytes given without running the chain (a 304 for a transformed
// object, say).
func (o *Object) ForgetBytes() {
	o.Size = -1
	o.Source = nil
	for _, h := range byteHeaders {
		o.Header.Del(h)
	}
}
