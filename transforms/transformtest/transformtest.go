// Package transformtest checks a transform against the contract of package
// transforms, the way testing/fstest.TestFS checks an fs.FS: one call runs
// every check and reports every violation it finds.
//
//	func TestUpper(t *testing.T) {
//		transformtest.Run(t, transformtest.Registered("upper", ""), transformtest.Config{
//			Inputs: []transformtest.Input{{Name: "hello", Data: []byte("hello\n"), Want: []byte("HELLO\n")}},
//		})
//	}
//
// The checks, each named by a Check constant in the violations it reports:
//
//   - output: every sample gives its Want (or fails when WantErr is set).
//   - read-sizes: the output bytes, the error and the edits to Object are the
//     same whatever the read sizes: whole reads, a source read one byte at a
//     time (iotest.OneByteReader), the output read one byte at a time, half
//     reads (iotest.HalfReader) of both, data arriving with io.EOF
//     (iotest.DataErrReader), iotest.TestReader on the output, and seeded
//     random splits of both the source's and the output's reads.
//   - headers: the Object describes the output: Size is -1 or the output's
//     length; no Content-Length, Content-MD5, ETag or x-amz-checksum-* that
//     does not match the output bytes; no edits after Apply returned.
//   - preserver: a Preserver's output is its input, byte for byte.
//   - source-error: a source failing before any byte, mid-stream and instead
//     of io.EOF makes the output fail with an error wrapping the source's
//     error (errors.Is), not end with io.EOF; the bytes before it are a
//     prefix of the full output.
//   - cancel: with the source blocked, cancelling the context makes the
//     pending Apply or Read return an error within Config.Timeout.
//   - close: after reading a little, the output's Close (when it is an
//     io.Closer) returns within Config.Timeout, and a Read after it does
//     not hang; Close after a complete read returns no error.
//   - goroutines: no goroutine the transform started survives a complete
//     read, an early close, a failed source or a cancellation (waiting up
//     to Config.Timeout for them to end).
//   - memory: streaming a large input (Config.LargeSize: by default four
//     times the bound, twice under the race detector) grows the live heap
//     by at most Config.MaxHeapGrowth (32 MiB by default, so 128 MiB are
//     streamed), measured after a forced GC every quarter bound (at most
//     every 4 MiB) of input and of output. A transform that spools to a
//     temporary file passes.
//
// The transform is applied the way transforms.Chain applies a stage: it
// sees its input described (Size, Content-Length, ETag, Content-MD5,
// x-amz-checksum-crc32 of the sample); after Apply, for a stage that is not
// a Preserver, whatever of those it left unchanged is dropped, as the Chain
// drops it; a returned io.Closer is closed when the request ends. Each Apply
// gets a fresh Transform from the Subject, as each request gets a fresh
// Chain.
package transformtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/olkit/olkit/transforms"
)

// The names of the checks, as Violation.Check reports them and Config.Skip
// takes them.
const (
	CheckSubject     = "subject"      // the Subject could not build a transform
	CheckOutput      = "output"       // a sample's output, error or Apply result is wrong
	CheckReadSizes   = "read-sizes"   // output, error or Object edits depend on read sizes
	CheckHeaders     = "headers"      // Object describes bytes the output does not have
	CheckPreserver   = "preserver"    // a Preserver changed bytes
	CheckHead        = "head"         // Head describes other headers or another length than Apply
	CheckSourceError = "source-error" // a source error was swallowed or not wrapped
	CheckCancel      = "cancel"       // cancellation not honoured within Timeout
	CheckClose       = "close"        // Close hangs, fails, or use after Close hangs
	CheckGoroutines  = "goroutines"   // a goroutine outlived the request
	CheckMemory      = "memory"       // heap grew with the input
)

// Defaults for the zero fields of Config.
const (
	DefaultMaxHeapGrowth = 32 << 20
	DefaultTimeout       = 2 * time.Second
	DefaultRandomRuns    = 4
)

// Input is one sample the transform is checked with.
type Input struct {
	// Name identifies the sample in violations; default "input N".
	Name string
	// Data is the source stream.
	Data []byte
	// Want is the expected output; nil means any output is accepted (use
	// []byte{} to expect an empty output).
	Want []byte
	// WantErr says that the transform must fail on this sample (in Apply or
	// in a Read). Only the read-sizes check runs on it: every way of reading
	// must fail, with the same S3 error code when the error is an
	// *s3err.Error.
	WantErr bool
	// Key, Header and Query describe the original object and request, as
	// transforms.Object does. The Object starts with Content-Type
	// application/octet-stream, Content-Length, ETag, Content-MD5 and
	// x-amz-checksum-crc32 of Data; Header adds to and overrides these.
	Key    string
	Header http.Header
	Query  url.Values
}

// Config says what to check a transform with.
type Config struct {
	// Inputs are the samples; at least one is required. The largest one
	// that is not WantErr drives the cancel, close and goroutine checks and,
	// repeated, the memory check.
	Inputs []Input
	// Seed seeds the random read sizes; 0 picks one from the clock. Every
	// violation found with random sizes reports its seed: set Seed to it to
	// reproduce the failure.
	Seed int64
	// RandomRuns is how many random splits each sample is read with;
	// default DefaultRandomRuns.
	RandomRuns int
	// LargeSize is how many bytes the memory check streams, by repeating
	// the largest sample; by default 4 * MaxHeapGrowth (2 * under -race).
	// The check also stops once that much output has been read, so an
	// expanding transform (a decompressor) is not run for gigabytes.
	// Negative skips the check; Run skips it under -short. Keep it well
	// above MaxHeapGrowth, or buffering goes unnoticed.
	LargeSize int64
	// Large, when set, returns the large input instead (for a transform
	// whose input cannot simply be repeated). It is read to its end.
	Large func() io.Reader
	// MaxHeapGrowth bounds the live heap's growth while the large input
	// streams; default DefaultMaxHeapGrowth. A transform that holds at most
	// one bounded unit (a line, a block) can set it to a few times that
	// unit, which also makes the check faster.
	MaxHeapGrowth int64
	// Timeout bounds how long a cancelled Read, a Close, a Read after
	// Close and the end of the transform's goroutines may take; default
	// DefaultTimeout. A whole run on a sample may take 20 times as long
	// before it counts as hung.
	Timeout time.Duration
	// Skip names checks not to run (see the Check constants).
	Skip []string
	// Logf, when set, receives notes (the seed, the memory check's figures).
	Logf func(format string, args ...any)
}

// A Subject builds the transform under test. It is called once per Apply,
// as a Chain is parsed once per request.
type Subject func() (transforms.Transform, error)

// Value returns a Subject that hands out t for every Apply. Use it for a
// transform without per-request state.
func Value(t transforms.Transform) Subject {
	return func() (transforms.Transform, error) { return t, nil }
}

// Factory returns a Subject that builds each transform with f from options
// (JSON, "" for none), as the registry would.
func Factory(f transforms.Factory, options string) Subject {
	return func() (transforms.Transform, error) {
		var opts json.RawMessage
		if options != "" {
			opts = json.RawMessage(options)
		}
		return f(opts)
	}
}

// Registered returns a Subject that applies the transform registered as
// name, with options (JSON, "" for none), through a real transforms.Chain
// built by transforms.ParseChain, exactly as a request would.
func Registered(name, options string) Subject {
	spec := transforms.Spec{Name: name}
	if options != "" {
		spec.Options = json.RawMessage(options)
	}
	payload, err := json.Marshal(transforms.Payload{Transforms: []transforms.Spec{spec}})
	if err != nil {
		return func() (transforms.Transform, error) {
			return nil, fmt.Errorf("transformtest: options for %q are not JSON: %v", name, err)
		}
	}
	return Payload(string(payload))
}

// Payload returns a Subject that applies the chain an access point payload
// describes, through transforms.ParseChain and Chain.Apply.
func Payload(payload string) Subject {
	return func() (transforms.Transform, error) {
		c, err := transforms.ParseChain(payload)
		if err != nil {
			return nil, err
		}
		return chainTransform{c}, nil
	}
}

// chainTransform lets a Chain stand where a Transform goes.
type chainTransform struct{ c *transforms.Chain }

func (c chainTransform) Apply(ctx context.Context, obj *transforms.Object, r io.Reader) (io.Reader, error) {
	out, err := c.c.Apply(ctx, obj, r)
	if err != nil {
		return nil, err
	}
	obj.Unchanged() // the chain has already applied its own rules
	return out, nil
}

// Head runs the chain's HEAD hooks.
func (c chainTransform) Head(ctx context.Context, obj *transforms.Object) error {
	if err := c.c.Head(ctx, obj); err != nil {
		return err
	}
	obj.Unchanged() // the chain has already applied its own rules
	return nil
}

func (c chainTransform) PreservesBytes() bool { return c.c.PreservesBytes() }

// Violation is one way the transform breaks the contract.
type Violation struct {
	Check  string // one of the Check constants
	Input  string // the sample's name, or "" for checks that are not per sample
	Seed   int64  // the random seed that found it, or 0
	Detail string
}

func (v Violation) String() string {
	var b strings.Builder
	b.WriteString(v.Check)
	if v.Input != "" {
		fmt.Fprintf(&b, " [%s]", v.Input)
	}
	if v.Seed != 0 {
		fmt.Fprintf(&b, " (seed %d: set Config.Seed to reproduce)", v.Seed)
	}
	b.WriteString(": ")
	b.WriteString(v.Detail)
	return b.String()
}

// Error is what TestTransform returns when the transform breaks the
// contract: every violation found.
type Error struct {
	Violations []Violation
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "transformtest: %d contract violation(s):", len(e.Violations))
	for _, v := range e.Violations {
		b.WriteString("\n\t")
		b.WriteString(strings.ReplaceAll(v.String(), "\n", "\n\t\t"))
	}
	return b.String()
}

// Has reports whether any violation is of check.
func (e *Error) Has(check string) bool {
	return slices.ContainsFunc(e.Violations, func(v Violation) bool { return v.Check == check })
}

// Of returns the violations of check.
func (e *Error) Of(check string) []Violation {
	var out []Violation
	for _, v := range e.Violations {
		if v.Check == check {
			out = append(out, v)
		}
	}
	return out
}

// TestTransform runs every check on the transforms s builds and returns nil
// or an *Error listing every violation. It must not run in parallel with
// tests that start goroutines or allocate heavily, which the goroutine and
// memory checks would count against the transform.
func TestTransform(s Subject, cfg Config) error {
	if len(cfg.Inputs) == 0 {
		return errors.New("transformtest: Config.Inputs is empty: give at least one sample input")
	}
	k := newKit(s, cfg)
	k.run()
	if len(k.violations) == 0 {
		return nil
	}
	return &Error{Violations: k.violations}
}

// Run calls TestTransform and reports each violation with t.Error. Under
// go test -short it skips the memory check unless cfg.Large is set.
func Run(t testing.TB, s Subject, cfg Config) {
	t.Helper()
	if testing.Short() && cfg.Large == nil && cfg.LargeSize >= 0 {
		cfg.LargeSize = -1
		t.Log("transformtest: -short: skipping the memory check")
	}
	if cfg.Logf == nil {
		cfg.Logf = t.Logf
	}
	err := TestTransform(s, cfg)
	var e *Error
	switch {
	case errors.As(err, &e):
		for _, v := range e.Violations {
			t.Error(v.String())
		}
	case err != nil:
		t.Error(err)
	}
}
