// Package transforms defines what a transform is, how transforms register by
// name, and the Chain that an access point's payload builds from them.
//
// A transform wraps one stream into another, the way compress/gzip.NewReader
// wraps an io.Reader, and edits the Object that travels with the stream so
// its headers stay true of the bytes. A plugin is a package that calls
// Register from init; importing it from a main package makes it available to
// every payload, as database/sql drivers do.
//
// A stage describes its output in one way, the same for a GET (Apply) and
// a HEAD (Head): it edits obj's headers, calls obj.SetSize when it knows
// the output's length, and obj.Unchanged when this time it handed its
// input on as it was. After each stage the Chain drops whatever still
// describes the input's bytes (ETag, checksums, a length not stated), so a
// stage that forgets never leaves a false header. A stage that never
// changes a byte promises so once by being a Preserver, which lets the
// server send the caller's Range and conditions to S3.
//
// A panic in any stage, on whatever goroutine its stream is read, becomes
// a *PanicError for that one request: a plugin never ends the process.
//
// The package knows nothing of Lambda, HTTP servers or S3 requests: the same
// Chain serves an Object Lambda access point, a function URL or the olkit CLI.
package transforms

import (
	"context"
	"errors"
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
	// Source gives random access to the stream's bytes when whoever started
	// the chain can offer it (the handler does, with ranged GETs of the
	// original; the CLI does for a regular file), else nil. A stage that
	// needs to seek, such as ZIP reading its central directory, uses it
	// instead of reading the stream. The Chain clears it after a stage that
	// changes bytes, since it no longer describes the stream.
	Source Source
	// Store, when whoever started the chain offers it, keeps small objects
	// of a stage's own beside the original, with the function's role (a
	// decompress index, so that a cold instance need not rebuild it); nil
	// otherwise. A stage writes there only when its options say where.
	Store Store

	// What the current stage has said of its output: set by SetSize and
	// Unchanged, cleared by the Chain before each stage.
	sizeSet, unchanged bool
}

// SetSize states the length of the stage's output, in Apply or in Head.
// It is the one way to keep a length after a stage that changes bytes:
// whatever Size holds when such a stage returns is otherwise dropped, since
// it described the input. A stage that replaces bytes one for one calls
// SetSize(obj.Size).
func (o *Object) SetSize(n int64) {
	o.Size = n
	o.sizeSet = true
}

// Unchanged states that this time the stage hands on its input byte for
// byte, in Apply or in Head: the Chain then keeps everything that
// describes the bytes (Size, ETag, checksums, Source), which it otherwise
// drops after every stage. A stage that decides per object (decompress
// passing through data in no format it knows, access control letting a
// clean document through) calls it; one that never changes bytes is a
// Preserver instead.
func (o *Object) Unchanged() { o.unchanged = true }

// Store keeps small objects by key for the stages, next to the originals.
// Get returns ErrNotStored for a key that holds nothing.
type Store interface {
	Get(ctx context.Context, key string) ([]byte, error)
	Put(ctx context.Context, key string, data []byte) error
}

// ErrNotStored is a Store's answer for a key that holds nothing.
var ErrNotStored = errors.New("transforms: nothing stored under that key")

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

// A Preserver is a Transform that never changes a byte: it may observe
// the stream or edit headers. Being one is a promise made before any
// request, which lets whoever serves the chain plan with it: the original
// is asked for just the Range the caller wants, and S3 judges the caller's
// conditions. Every Apply and Head of a Preserver counts as Unchanged.
//
// A stage that must see the whole object to decide (access control) is not
// a Preserver, even when what it hands on is its input: a decision taken on
// a range could be dodged by asking for the object in slices. It calls
// Unchanged instead.
type Preserver interface {
	Transform
	PreservesBytes() bool
}

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
