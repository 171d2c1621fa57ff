package transformtest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/transforms"
	"github.com/olkit/olkit/transforms/transformtest"
)

// samples are the inputs every transform here is checked with.
func samples() []transformtest.Input {
	return []transformtest.Input{
		{Name: "empty", Data: []byte{}},
		{Name: "line", Data: []byte("hello, olkit\n")},
		{Name: "secret", Data: []byte("the secret is out; another secret follows\n")},
		{Name: "text", Data: bytes.Repeat([]byte("The quick brown fox jumps over the lazy dog. 0123456789\n"), 300)},
	}
}

// quick is a Config that keeps the broken transforms' runs short: the
// bounds are tight, and the memory check streams 32 MiB against 8 MiB.
func quick() transformtest.Config {
	return transformtest.Config{
		Inputs:        samples(),
		Timeout:       500 * time.Millisecond,
		LargeSize:     32 << 20,
		MaxHeapGrowth: 8 << 20,
	}
}

// check runs the kit and returns its violations (nil when there are none).
func check(t *testing.T, s transformtest.Subject, cfg transformtest.Config) *transformtest.Error {
	t.Helper()
	cfg.Logf = t.Logf
	err := transformtest.TestTransform(s, cfg)
	if err == nil {
		return nil
	}
	var e *transformtest.Error
	require.ErrorAs(t, err, &e)
	t.Log(e)
	return e
}

// requireViolation asserts that e reports a violation of check whose detail
// contains each of the fragments.
func requireViolation(t *testing.T, e *transformtest.Error, check string, fragments ...string) {
	t.Helper()
	require.NotNil(t, e, "the kit found no violation; want a %q one", check)
	vs := e.Of(check)
	require.NotEmpty(t, vs, "no %q violation among:\n%v", check, e)
	for _, v := range vs {
		ok := true
		for _, f := range fragments {
			ok = ok && strings.Contains(v.Detail, f)
		}
		if ok {
			return
		}
	}
	t.Fatalf("no %q violation mentions %q:\n%v", check, fragments, e)
}

// --- correct transforms -------------------------------------------------

// upperReader upper-cases ASCII letters as they stream by.
type upperReader struct{ r io.Reader }

func (u upperReader) Read(p []byte) (int, error) {
	n, err := u.r.Read(p)
	for i, c := range p[:n] {
		if 'a' <= c && c <= 'z' {
			p[i] = c - 'a' + 'A'
		}
	}
	return n, err
}

// upper upper-cases ASCII letters, keeping the length, and says so for
// GET and HEAD alike.
var upper upperT

type upperT struct{}

func (upperT) Apply(ctx context.Context, obj *transforms.Object, r io.Reader) (io.Reader, error) {
	return upperReader{r}, upperT{}.Head(ctx, obj)
}

func (upperT) Head(_ context.Context, obj *transforms.Object) error {
	obj.Header.Set("Content-Type", "text/plain; charset=utf-8")
	obj.SetSize(obj.Size)
	return nil
}

// pipeUpper does its work in a goroutine, writing to an io.Pipe; closing
// the *io.PipeReader it returns stops the goroutine.
var pipeUpper = transforms.Func(func(ctx context.Context, _ *transforms.Object, r io.Reader) (io.Reader, error) {
	pr, pw := io.Pipe()
	go func() {
		_, err := io.Copy(pw, upperReader{r})
		pw.CloseWithError(err)
	}()
	return pr, nil
})

// spool copies its input to a temporary file in Apply, then serves it: the
// whole input is in hand before the first byte, but not in memory. It knows
// its size and says so.
var spool = transforms.Func(func(ctx context.Context, obj *transforms.Object, r io.Reader) (io.Reader, error) {
	f, err := os.CreateTemp("", "transformtest-spool-*")
	if err != nil {
		return nil, err
	}
	n, err := io.Copy(f, upperReader{r})
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, fmt.Errorf("spooling the input: %w", err)
	}
	obj.SetSize(n)
	return &spooled{f}, nil
})

type spooled struct{ f *os.File }

func (s *spooled) Read(p []byte) (int, error) { return s.f.Read(p) }
func (s *spooled) Close() error {
	err := s.f.Close()
	os.Remove(s.f.Name())
	return err
}

func TestIdentityPasses(t *testing.T) {
	transformtest.Run(t, transformtest.Registered("identity", ""), transformtest.Config{Inputs: samples()})
}

func TestUpperPasses(t *testing.T) {
	cfg := transformtest.Config{Inputs: samples()}
	cfg.Inputs[1].Want = []byte("HELLO, OLKIT\n")
	transformtest.Run(t, transformtest.Value(upper), cfg)
}

func TestGoroutineTransformPasses(t *testing.T) {
	transformtest.Run(t, transformtest.Value(pipeUpper), transformtest.Config{Inputs: samples()})
}

func TestSpoolingTransformPasses(t *testing.T) {
	transformtest.Run(t, transformtest.Value(spool), transformtest.Config{Inputs: samples()})
}

func TestFactorySubjectPasses(t *testing.T) {
	factory := func(opts json.RawMessage) (transforms.Transform, error) {
		if len(opts) > 0 {
			return nil, errors.New("upper takes no options")
		}
		return upper, nil
	}
	transformtest.Run(t, transformtest.Factory(factory, ""), quick())
}

// --- broken transforms the kit must catch -------------------------------

func TestCatchesBufferingInApply(t *testing.T) {
	bufferAll := transforms.Func(func(_ context.Context, _ *transforms.Object, r io.Reader) (io.Reader, error) {
		data, err := io.ReadAll(r)
		if err != nil {
			return nil, err
		}
		return bytes.NewReader(bytes.ToUpper(data)), nil
	})
	e := check(t, transformtest.Value(bufferAll), quick())
	requireViolation(t, e, transformtest.CheckMemory, "live heap grew", "bound 8.0 MiB")
}

// lazyBuffer reads its whole input on the first Read.
type lazyBuffer struct {
	r   io.Reader
	buf *bytes.Reader
}

func (l *lazyBuffer) Read(p []byte) (int, error) {
	if l.buf == nil {
		data, err := io.ReadAll(l.r)
		if err != nil {
			return 0, err
		}
		l.buf = bytes.NewReader(data)
	}
	return l.buf.Read(p)
}

func TestCatchesBufferingInRead(t *testing.T) {
	tr := transforms.Func(func(_ context.Context, _ *transforms.Object, r io.Reader) (io.Reader, error) {
		return &lazyBuffer{r: r}, nil
	})
	e := check(t, transformtest.Value(tr), quick())
	requireViolation(t, e, transformtest.CheckMemory, "live heap grew")
}

// swallower turns every error from its source into a clean end.
type swallower struct{ r io.Reader }

func (s swallower) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil {
		err = io.EOF
	}
	return n, err
}

func TestCatchesSwallowedSourceErrors(t *testing.T) {
	tr := transforms.Func(func(_ context.Context, _ *transforms.Object, r io.Reader) (io.Reader, error) {
		return swallower{r}, nil
	})
	e := check(t, transformtest.Value(tr), quick())
	requireViolation(t, e, transformtest.CheckSourceError, "source failing after 0 of", "swallowing the error")
	requireViolation(t, e, transformtest.CheckSourceError, "source failing after 21 of 42 bytes", "swallowing the error")
	// Cancellation is a source error too: the output must not end cleanly.
	requireViolation(t, e, transformtest.CheckCancel, "ended cleanly")
}

// unwrapper reports source errors, but as text, losing the cause.
type unwrapper struct{ r io.Reader }

func (u unwrapper) Read(p []byte) (int, error) {
	n, err := u.r.Read(p)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("upstream broke: %v", err)
	}
	return n, err
}

func TestCatchesUnwrappedSourceErrors(t *testing.T) {
	tr := transforms.Func(func(_ context.Context, _ *transforms.Object, r io.Reader) (io.Reader, error) {
		return unwrapper{r}, nil
	})
	e := check(t, transformtest.Value(tr), quick())
	requireViolation(t, e, transformtest.CheckSourceError, "does not wrap the source's error")
	assert.False(t, e.Has(transformtest.CheckCancel), "a transform that fails promptly honours cancellation")
}

func TestCatchesLeakedGoroutine(t *testing.T) {
	// The pipe's reader is returned without its Close, so when the caller
	// stops reading early the goroutine blocks on Write forever.
	var leakers sync.WaitGroup
	leaky := transforms.Func(func(_ context.Context, _ *transforms.Object, r io.Reader) (io.Reader, error) {
		pr, pw := io.Pipe()
		leakers.Add(1)
		go func() {
			defer leakers.Done()
			_, err := io.Copy(pw, upperReader{r})
			pw.CloseWithError(err)
		}()
		return struct{ io.Reader }{pr}, nil
	})
	e := check(t, transformtest.Value(leaky), quick())
	requireViolation(t, e, transformtest.CheckGoroutines, "closing (or abandoning) the output", "io.(*PipeWriter).Write")
	assert.Len(t, e.Of(transformtest.CheckGoroutines), 1, "only the early close leaks")
}

// retrier retries failed source reads as if they were transient, without
// looking at the context; it gives up only when closed.
type retrier struct {
	r      io.Reader
	closed atomic.Bool
}

func (r *retrier) Read(p []byte) (int, error) {
	for {
		n, err := r.r.Read(p)
		if err == nil || err == io.EOF || r.closed.Load() {
			return n, err
		}
		if n > 0 {
			return n, nil
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (r *retrier) Close() error { r.closed.Store(true); return nil }

func TestCatchesIgnoredContext(t *testing.T) {
	tr := transforms.Func(func(_ context.Context, _ *transforms.Object, r io.Reader) (io.Reader, error) {
		return &retrier{r: r}, nil
	})
	cfg := quick()
	cfg.Skip = []string{transformtest.CheckSourceError} // it retries those too
	e := check(t, transformtest.Value(tr), cfg)
	requireViolation(t, e, transformtest.CheckCancel, "still blocked", "after the context was cancelled")
}

// chunkRedactor replaces "secret" within each Read: a match split across
// two reads goes through.
type chunkRedactor struct{ r io.Reader }

func (c chunkRedactor) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	copy(p[:n], bytes.ReplaceAll(p[:n], []byte("secret"), []byte("******")))
	return n, err
}

func TestCatchesOutputDependingOnReadSizes(t *testing.T) {
	tr := transforms.Func(func(_ context.Context, _ *transforms.Object, r io.Reader) (io.Reader, error) {
		return chunkRedactor{r}, nil
	})
	cfg := quick()
	cfg.Seed = 42
	e := check(t, transformtest.Value(tr), cfg)
	requireViolation(t, e, transformtest.CheckReadSizes, "one byte at a time", "output differs from whole reads")
	var seeds []int64
	for _, v := range e.Of(transformtest.CheckReadSizes) {
		if v.Seed != 0 {
			seeds = append(seeds, v.Seed)
			assert.Contains(t, v.String(), fmt.Sprintf("seed %d", v.Seed))
		}
	}
	require.NotEmpty(t, seeds, "random read sizes should find it too, and report their seed")
	for _, s := range seeds {
		assert.True(t, s >= 42 && s < 42+transformtest.DefaultRandomRuns, "seed %d", s)
	}
}

// falsePreserver appends a trailer but claims to preserve the bytes, so
// the Chain keeps the original's Content-Length, ETag and checksums.
type falsePreserver struct{}

func (falsePreserver) Apply(_ context.Context, _ *transforms.Object, r io.Reader) (io.Reader, error) {
	return io.MultiReader(r, strings.NewReader("-- end\n")), nil
}
func (falsePreserver) PreservesBytes() bool { return true }

func TestCatchesStaleContentLength(t *testing.T) {
	e := check(t, transformtest.Value(falsePreserver{}), quick())
	requireViolation(t, e, transformtest.CheckHeaders, "stale Content-Length 13", "the output is 20 bytes")
	requireViolation(t, e, transformtest.CheckHeaders, "Object.Size is 13 but the output is 20 bytes")
	requireViolation(t, e, transformtest.CheckHeaders, "stale X-Amz-Checksum-Crc32")
	requireViolation(t, e, transformtest.CheckHeaders, "stale ETag")
	requireViolation(t, e, transformtest.CheckPreserver, "output is not its input")
}

func TestCatchesWrongSize(t *testing.T) {
	// Upper-casing keeps the length, so this stage "knows" the size... of
	// a Content-Length it read before the Chain dropped it. Here it guesses
	// from a header the caller set, which describes the wrong bytes.
	tr := transforms.Func(func(_ context.Context, obj *transforms.Object, r io.Reader) (io.Reader, error) {
		obj.Size = 1000
		obj.Header.Set("Content-Length", "1000")
		return upperReader{r}, nil
	})
	e := check(t, transformtest.Value(tr), quick())
	requireViolation(t, e, transformtest.CheckHeaders, "Apply assigned Object.Size = 1000", "SetSize")
	requireViolation(t, e, transformtest.CheckHeaders, "stale Content-Length 1000")
}

func TestCatchesLateObjectEdits(t *testing.T) {
	tr := transforms.Func(func(_ context.Context, obj *transforms.Object, r io.Reader) (io.Reader, error) {
		return &sizeAtEOF{r: r, obj: obj}, nil
	})
	e := check(t, transformtest.Value(tr), quick())
	requireViolation(t, e, transformtest.CheckHeaders, "Object changed while the output was read")
}

// sizeAtEOF sets Object.Size once it has counted the stream: too late.
type sizeAtEOF struct {
	r   io.Reader
	obj *transforms.Object
	n   int64
}

func (s *sizeAtEOF) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	s.n += int64(n)
	if err == io.EOF {
		s.obj.Size = s.n
	}
	return n, err
}

func TestCatchesWrongWant(t *testing.T) {
	cfg := quick()
	cfg.Inputs[1].Want = []byte("hello, olkit\n")
	e := check(t, transformtest.Value(upper), cfg)
	requireViolation(t, e, transformtest.CheckOutput, "wrong output", "first difference at byte 0")
	assert.Len(t, e.Violations, 1)
}

func TestWantErr(t *testing.T) {
	// A transform that refuses input containing "secret", whatever the
	// read sizes: it must fail on that sample, every way it is read.
	cfg := quick()
	cfg.Inputs[2].WantErr = true
	refuse := transforms.Func(func(_ context.Context, _ *transforms.Object, r io.Reader) (io.Reader, error) {
		return &refuser{r: r}, nil
	})
	assert.Nil(t, check(t, transformtest.Value(refuse), cfg))

	cfg.Inputs[1].WantErr = true
	e := check(t, transformtest.Value(refuse), cfg)
	requireViolation(t, e, transformtest.CheckOutput, "want an error")
}

// refuser fails when its input contains "secret", looking across reads by
// keeping the last five bytes.
type refuser struct {
	r    io.Reader
	tail []byte
}

func (f *refuser) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	window := append(f.tail, p[:n]...)
	if bytes.Contains(window, []byte("secret")) {
		return 0, errors.New("refused: the input holds a secret")
	}
	f.tail = append([]byte(nil), window[max(0, len(window)-5):]...)
	return n, err
}

func TestSubjectError(t *testing.T) {
	e := check(t, transformtest.Registered("identity", `{"x":1}`), quick())
	requireViolation(t, e, transformtest.CheckSubject, "identity takes no options")
	assert.Len(t, e.Violations, 1)
}

func TestNoInputs(t *testing.T) {
	err := transformtest.TestTransform(transformtest.Value(upper), transformtest.Config{})
	assert.ErrorContains(t, err, "Config.Inputs is empty")
}

func TestCatchesBufferingWithASmallBound(t *testing.T) {
	// A line-based transform's test sets a bound of a few lines; the input
	// streamed shrinks with it, and buffering is still caught.
	tr := transforms.Func(func(_ context.Context, _ *transforms.Object, r io.Reader) (io.Reader, error) {
		return &lazyBuffer{r: r}, nil
	})
	cfg := quick()
	cfg.MaxHeapGrowth, cfg.LargeSize = 1<<20, 0
	e := check(t, transformtest.Value(tr), cfg)
	requireViolation(t, e, transformtest.CheckMemory, "live heap grew", "bound 1.0 MiB")
}

func TestCatchesHeadThatDisagreesWithApply(t *testing.T) {
	// Apply changes Content-Type but there is no Head: a HEAD would say
	// the original's type.
	noHead := transforms.Func(func(ctx context.Context, obj *transforms.Object, r io.Reader) (io.Reader, error) {
		return upper.Apply(ctx, obj, r)
	})
	e := check(t, transformtest.Value(noHead), quick())
	requireViolation(t, e, transformtest.CheckHead, "Content-Type", "implement transforms.HeadTransform")

	// Head states a length the GET body does not have.
	e = check(t, transformtest.Value(wrongHeadSize{}), quick())
	requireViolation(t, e, transformtest.CheckHead, "Head says the length is")
}

// wrongHeadSize doubles its input but its Head keeps the input's length.
type wrongHeadSize struct{}

func (wrongHeadSize) Apply(_ context.Context, obj *transforms.Object, r io.Reader) (io.Reader, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	obj.SetSize(int64(2 * len(data)))
	return bytes.NewReader(append(data, data...)), nil
}

func (wrongHeadSize) Head(_ context.Context, obj *transforms.Object) error {
	obj.SetSize(obj.Size)
	return nil
}
