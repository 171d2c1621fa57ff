package transforms_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/s3err"
	"github.com/olkit/olkit/transforms"
)

// Test transforms. All are registered once, from init, so that the tests
// can run with -count=N and alongside the fuzz target.
//
//   - chaintest-append-a / -b append "-a" / "-b" to the stream.
//   - chaintest-hook, chaintest-alpha, chaintest-beta, chaintest-gamma run the
//     function stored in hooks under options.id; options.preserves, when
//     present, makes the stage a Preserver reporting that value.
//   - chaintest-optsnil accepts only nil options.
//   - chaintest-panic, chaintest-panic-nil, chaintest-nilnil and
//     chaintest-reject are factories that misbehave.
var (
	hooks  sync.Map // id -> transforms.Func
	hookID atomic.Int64
)

type hookOptions struct {
	ID        string `json:"id"`
	Preserves *bool  `json:"preserves"`
}

type hookTransform struct{ id string }

func (h hookTransform) Apply(ctx context.Context, obj *transforms.Object, r io.Reader) (io.Reader, error) {
	f, ok := hooks.Load(h.id)
	if !ok {
		return nil, fmt.Errorf("no hook %q", h.id)
	}
	return f.(transforms.Func)(ctx, obj, r)
}

type preservingHook struct {
	hookTransform
	preserves bool
}

func (p preservingHook) PreservesBytes() bool { return p.preserves }

func hookFactory(opts json.RawMessage) (transforms.Transform, error) {
	var o hookOptions
	if err := json.Unmarshal(opts, &o); err != nil {
		return nil, err
	}
	h := hookTransform{id: o.ID}
	if o.Preserves != nil {
		return preservingHook{hookTransform: h, preserves: *o.Preserves}, nil
	}
	return h, nil
}

func appendFactory(suffix string) transforms.Factory {
	return func(json.RawMessage) (transforms.Transform, error) {
		return transforms.Func(func(_ context.Context, _ *transforms.Object, r io.Reader) (io.Reader, error) {
			return io.MultiReader(r, strings.NewReader(suffix)), nil
		}), nil
	}
}

func init() {
	transforms.Register("chaintest-append-a", appendFactory("-a"))
	transforms.Register("chaintest-append-b", appendFactory("-b"))
	for _, name := range []string{"chaintest-hook", "chaintest-alpha", "chaintest-beta", "chaintest-gamma"} {
		transforms.Register(name, hookFactory)
	}
	transforms.Register("chaintest-optsnil", func(opts json.RawMessage) (transforms.Transform, error) {
		if opts != nil {
			return nil, fmt.Errorf("want nil options, got %q", opts)
		}
		return transforms.Func(func(_ context.Context, _ *transforms.Object, r io.Reader) (io.Reader, error) {
			return r, nil
		}), nil
	})
	transforms.Register("chaintest-panic", func(json.RawMessage) (transforms.Transform, error) {
		panic("chaintest boom")
	})
	transforms.Register("chaintest-panic-nil", func(json.RawMessage) (transforms.Transform, error) {
		panic(nil)
	})
	transforms.Register("chaintest-nilnil", func(json.RawMessage) (transforms.Transform, error) {
		return nil, nil
	})
	transforms.Register("chaintest-reject", func(json.RawMessage) (transforms.Transform, error) {
		return nil, errors.New("option \"level\" must be 1-9")
	})
}

// hook stores f for the life of t and returns the options that select it.
func hook(t *testing.T, f transforms.Func) string {
	t.Helper()
	id := fmt.Sprintf("%s#%d", t.Name(), hookID.Add(1))
	hooks.Store(id, f)
	t.Cleanup(func() { hooks.Delete(id) })
	return fmt.Sprintf(`{"id":%q}`, id)
}

// preservingHookOpts is hook for a stage that is a Preserver.
func preservingHookOpts(t *testing.T, preserves bool, f transforms.Func) string {
	t.Helper()
	opts := hook(t, f)
	return strings.TrimSuffix(opts, "}") + fmt.Sprintf(`,"preserves":%t}`, preserves)
}

func payload(stages ...string) string {
	return `{"transforms":[` + strings.Join(stages, ",") + `]}`
}

func stage(name, opts string) string {
	if opts == "" {
		return fmt.Sprintf(`{"name":%q}`, name)
	}
	return fmt.Sprintf(`{"name":%q,"options":%s}`, name, opts)
}

func mustParse(t *testing.T, p string) *transforms.Chain {
	t.Helper()
	c, err := transforms.ParseChain(p)
	require.NoError(t, err, "payload %s", p)
	require.NotNil(t, c)
	return c
}

// requireInvalidRequest checks err is a 400 InvalidRequest *s3err.Error and
// returns its message.
func requireInvalidRequest(t *testing.T, c *transforms.Chain, err error) string {
	t.Helper()
	require.Error(t, err)
	assert.Nil(t, c)
	var e *s3err.Error
	require.True(t, errors.As(err, &e), "want *s3err.Error, got %T: %v", err, err)
	assert.Equal(t, http.StatusBadRequest, e.Status)
	assert.Equal(t, "InvalidRequest", e.Code)
	return e.Message
}

// passthrough is a stage that changes nothing itself.
func passthrough(_ context.Context, _ *transforms.Object, r io.Reader) (io.Reader, error) {
	return r, nil
}

// fullObject is an Object with every header that describes the bytes, and
// some that do not.
func fullObject() *transforms.Object {
	h := http.Header{}
	h.Set("ETag", `"abc"`)
	h.Set("Content-Length", "42")
	h.Set("Content-MD5", "q1w2e3==")
	h.Set("Content-Range", "bytes 0-41/100")
	h.Set("X-Amz-Checksum-Crc32", "AAAAAA==")
	h.Set("X-Amz-Checksum-Crc32c", "BBBBBB==")
	h.Set("X-Amz-Checksum-Crc64nvme", "CCCCCCCCCCC=")
	h.Set("X-Amz-Checksum-Sha1", "DDDD")
	h.Set("X-Amz-Checksum-Sha256", "EEEE")
	h.Set("X-Amz-Checksum-Type", "FULL_OBJECT")
	h.Set("X-Amz-Mp-Parts-Count", "3")
	h.Set("Content-Type", "text/plain")
	h.Set("Cache-Control", "max-age=60")
	h.Set("X-Amz-Meta-Owner", "alice")
	return &transforms.Object{Key: "k", Header: h, Size: 42}
}

var byteHeaders = []string{
	"ETag", "Content-Length", "Content-MD5", "Content-Range",
	"X-Amz-Checksum-Crc32", "X-Amz-Checksum-Crc32c", "X-Amz-Checksum-Crc64nvme",
	"X-Amz-Checksum-Sha1", "X-Amz-Checksum-Sha256", "X-Amz-Checksum-Type",
	"X-Amz-Mp-Parts-Count",
}

func assertBytesForgotten(t *testing.T, size int64, h http.Header) {
	t.Helper()
	assert.Equal(t, int64(-1), size)
	for _, name := range byteHeaders {
		assert.Empty(t, h.Values(name), "%s should be removed", name)
	}
	assert.Equal(t, "text/plain", h.Get("Content-Type"))
	assert.Equal(t, "max-age=60", h.Get("Cache-Control"))
	assert.Equal(t, "alice", h.Get("X-Amz-Meta-Owner"))
}

func assertBytesKept(t *testing.T, size int64, h http.Header) {
	t.Helper()
	want := fullObject()
	assert.Equal(t, want.Size, size)
	assert.Equal(t, want.Header, h)
}

func readAllAndClose(t *testing.T, rc io.ReadCloser) string {
	t.Helper()
	b, err := io.ReadAll(rc)
	require.NoError(t, err)
	require.NoError(t, rc.Close())
	return string(b)
}

// ---- ParseChain ----

func TestParseChainIdentity(t *testing.T) {
	for _, p := range []string{"", "   ", "\n\t ", "{}", " {} \n", `{"transforms":[]}`, `{"transforms":null}`} {
		t.Run(fmt.Sprintf("%q", p), func(t *testing.T) {
			c := mustParse(t, p)
			assert.Empty(t, c.Names())
			assert.True(t, c.PreservesBytes())

			obj := fullObject()
			body := "the original bytes"
			rc, err := c.Apply(context.Background(), obj, strings.NewReader(body))
			require.NoError(t, err)
			assert.Equal(t, body, readAllAndClose(t, rc))
			// No stage, so nothing about the bytes is forgotten.
			assertBytesKept(t, obj.Size, obj.Header)
		})
	}
}

func TestZeroChainIsIdentity(t *testing.T) {
	var c transforms.Chain
	assert.Empty(t, c.Names())
	assert.True(t, c.PreservesBytes())
	rc, err := c.Apply(context.Background(), &transforms.Object{Size: 3}, strings.NewReader("abc"))
	require.NoError(t, err)
	assert.Equal(t, "abc", readAllAndClose(t, rc))
}

func TestParseChainExplicitIdentity(t *testing.T) {
	for _, p := range []string{
		payload(stage("identity", "")),
		payload(stage("identity", "{}")),
		payload(stage("identity", "null")),
		payload(stage("identity", ""), stage("identity", "")),
	} {
		c := mustParse(t, p)
		assert.True(t, c.PreservesBytes(), p)
		for _, n := range c.Names() {
			assert.Equal(t, "identity", n)
		}
		obj := fullObject()
		rc, err := c.Apply(context.Background(), obj, strings.NewReader("xyz"))
		require.NoError(t, err)
		assert.Equal(t, "xyz", readAllAndClose(t, rc))
		assertBytesKept(t, obj.Size, obj.Header)
	}
	c := mustParse(t, payload(stage("identity", ""), stage("identity", "")))
	assert.Equal(t, []string{"identity", "identity"}, c.Names())

	c, err := transforms.ParseChain(payload(stage("identity", `{"x":1}`)))
	msg := requireInvalidRequest(t, c, err)
	assert.Contains(t, msg, "identity takes no options")
}

func TestParseChainUnknownTransform(t *testing.T) {
	c, err := transforms.ParseChain(payload(stage("identity", ""), stage("chaintest-no-such-thing", "")))
	msg := requireInvalidRequest(t, c, err)
	assert.Contains(t, msg, "chaintest-no-such-thing")
	assert.Contains(t, msg, "unknown transform")
	assert.Contains(t, msg, "transform 2", "the message gives the position")
}

func TestParseChainUnknownField(t *testing.T) {
	for _, p := range []string{
		`{"transform":[]}`,
		`{"transforms":[],"extra":1}`,
		`{"transforms":[{"name":"identity","opts":{}}]}`,
	} {
		t.Run(p, func(t *testing.T) {
			c, err := transforms.ParseChain(p)
			msg := requireInvalidRequest(t, c, err)
			assert.Contains(t, msg, "unknown field")
		})
	}
}

func TestParseChainInvalidJSON(t *testing.T) {
	for _, p := range []string{
		`{`,
		`not json`,
		`{"transforms":[{"name":}]}`,
		`{"transforms":[`,
		`[]`,
		`"identity"`,
		`42`,
		`{"transforms":{"name":"identity"}}`,
		`{"transforms":[{"name":42}]}`,
		`{"transforms":["identity"]}`,
		"{\"transforms\":[{\"name\":\"identity\"}],}",
	} {
		t.Run(p, func(t *testing.T) {
			c, err := transforms.ParseChain(p)
			msg := requireInvalidRequest(t, c, err)
			assert.Contains(t, msg, "not a valid transform list")
		})
	}
}

func TestParseChainTrailingData(t *testing.T) {
	for _, p := range []string{
		`{} {}`,
		`{}x`,
		`{"transforms":[]} []`,
		`{"transforms":[{"name":"identity"}]} "more"`,
		`{} 1`,
	} {
		t.Run(p, func(t *testing.T) {
			c, err := transforms.ParseChain(p)
			msg := requireInvalidRequest(t, c, err)
			assert.Contains(t, msg, "after its JSON object")
		})
	}
}

// A stray closing bracket after the object is trailing data too
// (json.Decoder.More reports false before '}' or ']', so it cannot be the test).
func TestParseChainTrailingCloser(t *testing.T) {
	for _, p := range []string{`{}}`, `{"transforms":[]}]`, `{"transforms":[{"name":"identity"}]} }`} {
		t.Run(p, func(t *testing.T) {
			c, err := transforms.ParseChain(p)
			requireInvalidRequest(t, c, err)
		})
	}
}

func TestParseChainMissingName(t *testing.T) {
	for _, p := range []string{
		`{"transforms":[{}]}`,
		`{"transforms":[{"name":""}]}`,
		`{"transforms":[{"options":{}}]}`,
		`{"transforms":[{"name":null}]}`,
		`{"transforms":[{"name":"identity"},{}]}`,
	} {
		t.Run(p, func(t *testing.T) {
			c, err := transforms.ParseChain(p)
			msg := requireInvalidRequest(t, c, err)
			assert.Contains(t, msg, `missing "name"`)
		})
	}
}

func TestParseChainNullOptionsAreNoOptions(t *testing.T) {
	for _, p := range []string{
		payload(stage("chaintest-optsnil", "")),
		payload(stage("chaintest-optsnil", "null")),
		`{"transforms":[{"name":"chaintest-optsnil","options": null }]}`,
	} {
		c := mustParse(t, p)
		assert.Equal(t, []string{"chaintest-optsnil"}, c.Names())
	}
	// The check is real: options that are not null reach the factory.
	c, err := transforms.ParseChain(payload(stage("chaintest-optsnil", "{}")))
	msg := requireInvalidRequest(t, c, err)
	assert.Contains(t, msg, "want nil options")
}

func TestParseChainFactoryPanics(t *testing.T) {
	for _, name := range []string{"chaintest-panic", "chaintest-panic-nil"} {
		t.Run(name, func(t *testing.T) {
			var (
				c   *transforms.Chain
				err error
			)
			require.NotPanics(t, func() { c, err = transforms.ParseChain(payload(stage(name, `{"a":1}`))) })
			// The plugin's fault, not the caller's: a 500 naming the transform.
			require.Error(t, err)
			assert.Nil(t, c)
			var e *s3err.Error
			require.True(t, errors.As(err, &e), "want *s3err.Error, got %T: %v", err, err)
			assert.Equal(t, http.StatusInternalServerError, e.Status)
			assert.Equal(t, "InternalError", e.Code)
			assert.Contains(t, e.Message, name)
			assert.Contains(t, e.Message, "panicked")
			var pe *transforms.PanicError
			require.True(t, errors.As(err, &pe), "the panic stays findable for the log")
			assert.NotEmpty(t, pe.Stack)
		})
	}
	_, err := transforms.ParseChain(payload(stage("chaintest-panic", "")))
	assert.ErrorContains(t, err, "chaintest boom", "the log and the caller see what the plugin said")
}

func TestParseChainFactoryReturnsNothing(t *testing.T) {
	c, err := transforms.ParseChain(payload(stage("identity", ""), stage("chaintest-nilnil", "")))
	msg := requireInvalidRequest(t, c, err)
	assert.Contains(t, msg, "chaintest-nilnil")
	assert.Contains(t, msg, "no transform")
}

func TestParseChainFactoryError(t *testing.T) {
	c, err := transforms.ParseChain(payload(stage("chaintest-reject", `{"level":10}`)))
	msg := requireInvalidRequest(t, c, err)
	assert.Contains(t, msg, "chaintest-reject")
	assert.Contains(t, msg, `option "level" must be 1-9`)
}

// ---- Chain.Apply: what the stages see and leave ----

// seen records the Object as a stage saw it on entry.
type seen struct {
	size   int64
	header http.Header
}

func recordInto(s *seen) transforms.Func {
	return func(_ context.Context, obj *transforms.Object, r io.Reader) (io.Reader, error) {
		s.size = obj.Size
		s.header = obj.Header.Clone()
		return r, nil
	}
}

func TestApplySeesInputThenForgetsBytes(t *testing.T) {
	var in seen
	c := mustParse(t, payload(stage("chaintest-hook", hook(t, recordInto(&in)))))
	assert.False(t, c.PreservesBytes())

	obj := fullObject()
	rc, err := c.Apply(context.Background(), obj, strings.NewReader("x"))
	require.NoError(t, err)
	defer rc.Close()

	// The stage sees its input described; afterwards that is gone.
	assertBytesKept(t, in.size, in.header)
	assertBytesForgotten(t, obj.Size, obj.Header)
	assert.Equal(t, "k", obj.Key)
}

func TestApplyPreserverKeepsBytes(t *testing.T) {
	var in seen
	c := mustParse(t, payload(stage("chaintest-hook", preservingHookOpts(t, true, recordInto(&in)))))
	assert.True(t, c.PreservesBytes())

	obj := fullObject()
	rc, err := c.Apply(context.Background(), obj, strings.NewReader("x"))
	require.NoError(t, err)
	assert.Equal(t, "x", readAllAndClose(t, rc))
	assertBytesKept(t, in.size, in.header)
	assertBytesKept(t, obj.Size, obj.Header)
}

func TestApplyPreserverThatSaysFalse(t *testing.T) {
	var in seen
	c := mustParse(t, payload(stage("chaintest-hook", preservingHookOpts(t, false, recordInto(&in)))))
	assert.False(t, c.PreservesBytes())

	obj := fullObject()
	rc, err := c.Apply(context.Background(), obj, strings.NewReader("x"))
	require.NoError(t, err)
	defer rc.Close()
	assertBytesKept(t, in.size, in.header)
	assertBytesForgotten(t, obj.Size, obj.Header)
}

func TestApplyPreserverThenChanger(t *testing.T) {
	var first, second seen
	c := mustParse(t, payload(
		stage("chaintest-alpha", preservingHookOpts(t, true, recordInto(&first))),
		stage("chaintest-beta", hook(t, recordInto(&second))),
	))
	assert.False(t, c.PreservesBytes())

	obj := fullObject()
	rc, err := c.Apply(context.Background(), obj, strings.NewReader("x"))
	require.NoError(t, err)
	defer rc.Close()
	assertBytesKept(t, first.size, first.header)
	assertBytesKept(t, second.size, second.header)
	assertBytesForgotten(t, obj.Size, obj.Header)
}

func TestApplyStageSetsSize(t *testing.T) {
	setSize := func(_ context.Context, obj *transforms.Object, r io.Reader) (io.Reader, error) {
		obj.SetSize(7)
		obj.Header.Set("ETag", `"new"`)
		return io.LimitReader(r, 7), nil
	}

	t.Run("last stage", func(t *testing.T) {
		c := mustParse(t, payload(stage("chaintest-hook", hook(t, setSize))))
		obj := fullObject()
		rc, err := c.Apply(context.Background(), obj, strings.NewReader("0123456789"))
		require.NoError(t, err)
		assert.Equal(t, "0123456", readAllAndClose(t, rc))
		assert.Equal(t, int64(7), obj.Size)
		assert.Equal(t, `"new"`, obj.Header.Get("ETag"))
		assert.Empty(t, obj.Header.Get("Content-Md5"))
	})

	t.Run("then a preserver", func(t *testing.T) {
		var in seen
		c := mustParse(t, payload(
			stage("chaintest-alpha", hook(t, setSize)),
			stage("chaintest-beta", preservingHookOpts(t, true, recordInto(&in))),
		))
		obj := fullObject()
		rc, err := c.Apply(context.Background(), obj, strings.NewReader("0123456789"))
		require.NoError(t, err)
		defer rc.Close()
		assert.Equal(t, int64(7), in.size)
		assert.Equal(t, int64(7), obj.Size)
		assert.Equal(t, `"new"`, obj.Header.Get("ETag"))
	})

	t.Run("then a changer", func(t *testing.T) {
		c := mustParse(t, payload(
			stage("chaintest-alpha", hook(t, setSize)),
			stage("chaintest-beta", hook(t, passthrough)),
		))
		obj := fullObject()
		rc, err := c.Apply(context.Background(), obj, strings.NewReader("0123456789"))
		require.NoError(t, err)
		defer rc.Close()
		assert.Equal(t, int64(-1), obj.Size)
		assert.Empty(t, obj.Header.Get("ETag"))
	})
}

func TestApplyFillsNilHeaderAndQuery(t *testing.T) {
	var gotHeader, gotQuery bool
	c := mustParse(t, payload(stage("chaintest-hook", hook(t, func(_ context.Context, obj *transforms.Object, r io.Reader) (io.Reader, error) {
		gotHeader, gotQuery = obj.Header != nil, obj.Query != nil
		return r, nil
	}))))
	obj := &transforms.Object{Size: 1}
	rc, err := c.Apply(context.Background(), obj, strings.NewReader("x"))
	require.NoError(t, err)
	defer rc.Close()
	assert.True(t, gotHeader)
	assert.True(t, gotQuery)
	assert.NotNil(t, obj.Header)
	assert.NotNil(t, obj.Query)
}

func TestApplyPassesContext(t *testing.T) {
	type key struct{}
	var got any
	c := mustParse(t, payload(stage("chaintest-hook", hook(t, func(ctx context.Context, _ *transforms.Object, r io.Reader) (io.Reader, error) {
		got = ctx.Value(key{})
		return r, nil
	}))))
	rc, err := c.Apply(context.WithValue(context.Background(), key{}, "v"), &transforms.Object{}, strings.NewReader(""))
	require.NoError(t, err)
	defer rc.Close()
	assert.Equal(t, "v", got)
}

func TestApplyOrder(t *testing.T) {
	cases := []struct {
		stages []string
		want   string
	}{
		{[]string{"chaintest-append-a", "chaintest-append-b"}, "body-a-b"},
		{[]string{"chaintest-append-b", "chaintest-append-a"}, "body-b-a"},
		{[]string{"chaintest-append-a", "identity", "chaintest-append-a", "chaintest-append-b"}, "body-a-a-b"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.stages, ","), func(t *testing.T) {
			specs := make([]string, len(tc.stages))
			for i, n := range tc.stages {
				specs[i] = stage(n, "")
			}
			c := mustParse(t, payload(specs...))
			assert.Equal(t, tc.stages, c.Names())
			assert.False(t, c.PreservesBytes())
			rc, err := c.Apply(context.Background(), &transforms.Object{Size: 4}, strings.NewReader("body"))
			require.NoError(t, err)
			assert.Equal(t, tc.want, readAllAndClose(t, rc))
		})
	}
}

// ---- Chain.Apply: errors ----

func failApply(err error) transforms.Func {
	return func(context.Context, *transforms.Object, io.Reader) (io.Reader, error) { return nil, err }
}

func TestApplyErrorS3errUnchanged(t *testing.T) {
	e := s3err.New(http.StatusRequestedRangeNotSatisfiable, "InvalidRange", "no such range")
	wrapped := fmt.Errorf("context: %w", e)
	for name, err := range map[string]error{"bare": e, "wrapped": wrapped} {
		t.Run(name, func(t *testing.T) {
			c := mustParse(t, payload(
				stage("chaintest-alpha", hook(t, passthrough)),
				stage("chaintest-beta", hook(t, failApply(err))),
			))
			rc, got := c.Apply(context.Background(), &transforms.Object{}, strings.NewReader("x"))
			assert.Nil(t, rc)
			assert.Same(t, err, got)
		})
	}
}

func TestApplyErrorWrappedWithStageName(t *testing.T) {
	cause := errors.New("cannot decode")
	c := mustParse(t, payload(
		stage("chaintest-alpha", hook(t, passthrough)),
		stage("chaintest-beta", hook(t, failApply(cause))),
	))
	rc, err := c.Apply(context.Background(), &transforms.Object{}, strings.NewReader("x"))
	assert.Nil(t, rc)
	require.Error(t, err)
	assert.ErrorIs(t, err, cause)
	assert.NotSame(t, cause, err)
	assert.Contains(t, err.Error(), "chaintest-beta")
	assert.Contains(t, err.Error(), "cannot decode")
	assert.NotContains(t, err.Error(), "chaintest-alpha")
	var e *s3err.Error
	assert.False(t, errors.As(err, &e))
}

func TestApplyNilReader(t *testing.T) {
	c := mustParse(t, payload(stage("chaintest-gamma", hook(t, func(context.Context, *transforms.Object, io.Reader) (io.Reader, error) {
		return nil, nil
	}))))
	rc, err := c.Apply(context.Background(), &transforms.Object{}, strings.NewReader("x"))
	assert.Nil(t, rc)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "chaintest-gamma")
}

// scriptReader returns data, then err.
type scriptReader struct {
	data []byte
	err  error
}

func (s *scriptReader) Read(p []byte) (int, error) {
	if len(s.data) > 0 {
		n := copy(p, s.data)
		s.data = s.data[n:]
		return n, nil
	}
	return 0, s.err
}

func readerStage(r io.Reader) transforms.Func {
	return func(context.Context, *transforms.Object, io.Reader) (io.Reader, error) { return r, nil }
}

func TestReadErrorWrappedWithStageName(t *testing.T) {
	cause := errors.New("corrupt block")
	c := mustParse(t, payload(
		stage("chaintest-alpha", hook(t, passthrough)),
		stage("chaintest-beta", hook(t, readerStage(&scriptReader{data: []byte("part"), err: cause}))),
	))
	rc, err := c.Apply(context.Background(), &transforms.Object{}, strings.NewReader("x"))
	require.NoError(t, err)
	defer rc.Close()
	b, err := io.ReadAll(rc)
	assert.Equal(t, "part", string(b))
	require.Error(t, err)
	assert.ErrorIs(t, err, cause)
	assert.Contains(t, err.Error(), "chaintest-beta")
	assert.NotContains(t, err.Error(), "chaintest-alpha")
}

func TestReadErrorFromEarlierStageNamesIt(t *testing.T) {
	cause := errors.New("corrupt block")
	c := mustParse(t, payload(
		stage("chaintest-alpha", hook(t, readerStage(&scriptReader{data: []byte("p"), err: cause}))),
		stage("chaintest-beta", hook(t, passthrough)),
	))
	rc, err := c.Apply(context.Background(), &transforms.Object{}, strings.NewReader("x"))
	require.NoError(t, err)
	defer rc.Close()
	_, err = io.ReadAll(rc)
	require.Error(t, err)
	assert.ErrorIs(t, err, cause)
	assert.Contains(t, err.Error(), "chaintest-alpha")
}

func TestReadS3errUnchanged(t *testing.T) {
	e := s3err.New(http.StatusForbidden, "AccessDenied", "redacted")
	c := mustParse(t, payload(stage("chaintest-alpha", hook(t, readerStage(&scriptReader{err: e})))))
	rc, err := c.Apply(context.Background(), &transforms.Object{}, strings.NewReader("x"))
	require.NoError(t, err)
	defer rc.Close()
	_, err = rc.Read(make([]byte, 8))
	assert.Same(t, e, err)
}

func TestReadEOFNotWrapped(t *testing.T) {
	// One stage whose reader returns data with io.EOF, then a passthrough
	// stage on top, so EOF crosses two stage boundaries.
	c := mustParse(t, payload(
		stage("chaintest-alpha", hook(t, readerStage(&scriptReader{data: []byte("abc"), err: io.EOF}))),
		stage("chaintest-beta", hook(t, passthrough)),
	))
	rc, err := c.Apply(context.Background(), &transforms.Object{}, strings.NewReader("ignored"))
	require.NoError(t, err)
	defer rc.Close()

	var got []byte
	buf := make([]byte, 2)
	for range 10 {
		n, err := rc.Read(buf)
		got = append(got, buf[:n]...)
		if err != nil {
			assert.True(t, err == io.EOF, "want io.EOF itself, got %#v", err)
			break
		}
	}
	assert.Equal(t, "abc", string(got))

	// Also through a stage that returns (n, io.EOF) in one call.
	c = mustParse(t, payload(stage("chaintest-gamma", hook(t, readerStage(io.MultiReader())))))
	rc2, err := c.Apply(context.Background(), &transforms.Object{}, strings.NewReader(""))
	require.NoError(t, err)
	defer rc2.Close()
	_, err = rc2.Read(buf)
	assert.True(t, err == io.EOF, "want io.EOF itself, got %#v", err)
}

func TestReadUnexpectedEOFIsWrapped(t *testing.T) {
	c := mustParse(t, payload(stage("chaintest-alpha", hook(t, readerStage(&scriptReader{err: io.ErrUnexpectedEOF})))))
	rc, err := c.Apply(context.Background(), &transforms.Object{}, strings.NewReader(""))
	require.NoError(t, err)
	defer rc.Close()
	_, err = rc.Read(make([]byte, 1))
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.Contains(t, err.Error(), "chaintest-alpha")
}

// ---- Chain.Apply: closing ----

type closeLog struct {
	mu    sync.Mutex
	order []string
}

func (l *closeLog) add(name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.order = append(l.order, name)
}

func (l *closeLog) get() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.order)
}

type closingReader struct {
	io.Reader
	name string
	log  *closeLog
	err  error
}

func (c *closingReader) Close() error {
	c.log.add(c.name)
	return c.err
}

func closingStage(name string, log *closeLog, err error) transforms.Func {
	return func(_ context.Context, _ *transforms.Object, r io.Reader) (io.Reader, error) {
		return &closingReader{Reader: r, name: name, log: log, err: err}, nil
	}
}

func TestCloseClosesEveryStageLastFirstOnce(t *testing.T) {
	log := &closeLog{}
	c := mustParse(t, payload(
		stage("chaintest-alpha", hook(t, closingStage("alpha", log, nil))),
		stage("chaintest-beta", hook(t, passthrough)), // not a Closer
		stage("chaintest-gamma", hook(t, closingStage("gamma", log, nil))),
	))
	rc, err := c.Apply(context.Background(), &transforms.Object{}, strings.NewReader("data"))
	require.NoError(t, err)
	assert.Empty(t, log.get(), "nothing is closed before Close")

	b, err := io.ReadAll(rc)
	require.NoError(t, err)
	assert.Equal(t, "data", string(b))
	assert.Empty(t, log.get(), "reading to the end does not close")

	require.NoError(t, rc.Close())
	assert.Equal(t, []string{"gamma", "alpha"}, log.get())
	assert.NoError(t, rc.Close())
	assert.Equal(t, []string{"gamma", "alpha"}, log.get(), "a second Close closes nothing again")
}

func TestCloseWithoutReading(t *testing.T) {
	log := &closeLog{}
	c := mustParse(t, payload(stage("chaintest-alpha", hook(t, closingStage("alpha", log, nil)))))
	rc, err := c.Apply(context.Background(), &transforms.Object{}, strings.NewReader("data"))
	require.NoError(t, err)
	require.NoError(t, rc.Close())
	assert.Equal(t, []string{"alpha"}, log.get())
}

func TestCloseReportsErrorsAndClosesAll(t *testing.T) {
	log := &closeLog{}
	errA, errG := errors.New("close alpha"), errors.New("close gamma")
	c := mustParse(t, payload(
		stage("chaintest-alpha", hook(t, closingStage("alpha", log, errA))),
		stage("chaintest-beta", hook(t, closingStage("beta", log, nil))),
		stage("chaintest-gamma", hook(t, closingStage("gamma", log, errG))),
	))
	rc, err := c.Apply(context.Background(), &transforms.Object{}, strings.NewReader(""))
	require.NoError(t, err)
	err = rc.Close()
	assert.ErrorIs(t, err, errA)
	assert.ErrorIs(t, err, errG)
	assert.Equal(t, []string{"gamma", "beta", "alpha"}, log.get())
}

func TestApplyFailureClosesEarlierStages(t *testing.T) {
	for name, failing := range map[string]transforms.Func{
		"error":      failApply(errors.New("no")),
		"nil reader": func(context.Context, *transforms.Object, io.Reader) (io.Reader, error) { return nil, nil },
	} {
		t.Run(name, func(t *testing.T) {
			log := &closeLog{}
			var reached bool
			c := mustParse(t, payload(
				stage("chaintest-alpha", hook(t, closingStage("alpha", log, nil))),
				stage("chaintest-beta", hook(t, closingStage("beta", log, nil))),
				stage("chaintest-gamma", hook(t, failing)),
				stage("chaintest-hook", hook(t, func(_ context.Context, _ *transforms.Object, r io.Reader) (io.Reader, error) {
					reached = true
					return r, nil
				})),
			))
			rc, err := c.Apply(context.Background(), &transforms.Object{}, strings.NewReader(""))
			require.Error(t, err)
			assert.Nil(t, rc)
			assert.Equal(t, []string{"beta", "alpha"}, log.get())
			assert.False(t, reached, "stages after the failing one do not run")
		})
	}
}

// ---- Registry ----

func TestRegisterPanics(t *testing.T) {
	f := func(json.RawMessage) (transforms.Transform, error) { return nil, nil }
	assert.Panics(t, func() { transforms.Register("", f) }, "empty name")
	assert.Panics(t, func() { transforms.Register("chaintest-nil-factory", nil) }, "nil factory")
	assert.Panics(t, func() { transforms.Register("identity", f) }, "duplicate of a built-in")
	assert.Panics(t, func() { transforms.Register("chaintest-append-a", f) }, "duplicate of a test transform")

	// The failed registrations changed nothing.
	assert.NotContains(t, transforms.Names(), "")
	assert.NotContains(t, transforms.Names(), "chaintest-nil-factory")
	c := mustParse(t, payload(stage("chaintest-append-a", "")))
	rc, err := c.Apply(context.Background(), &transforms.Object{}, strings.NewReader("x"))
	require.NoError(t, err)
	assert.Equal(t, "x-a", readAllAndClose(t, rc))

	// And the registry is still usable (its lock was released).
	assert.NotPanics(t, func() { transforms.Names() })
}

func TestNames(t *testing.T) {
	names := transforms.Names()
	assert.True(t, slices.IsSorted(names), "%v is not sorted", names)
	for _, n := range []string{"identity", "chaintest-append-a", "chaintest-append-b", "chaintest-hook", "chaintest-panic"} {
		assert.Contains(t, names, n)
	}
	// Each name once.
	assert.Equal(t, len(names), len(slices.Compact(slices.Clone(names))))

	// The slice is a copy.
	names[0] = "zzz-changed"
	assert.NotEqual(t, "zzz-changed", transforms.Names()[0])
}

func TestConcurrentParseAndApply(t *testing.T) {
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				c, err := transforms.ParseChain(payload(stage("chaintest-append-a", ""), stage("identity", "")))
				if !assert.NoError(t, err) {
					return
				}
				rc, err := c.Apply(context.Background(), &transforms.Object{}, strings.NewReader("c"))
				if !assert.NoError(t, err) {
					return
				}
				b, _ := io.ReadAll(rc)
				rc.Close()
				assert.Equal(t, "c-a", string(b))
				_ = transforms.Names()
			}
		})
	}
	wg.Wait()
}

// sizedReader is a Source over a string.
type sizedReader struct{ *strings.Reader }

func (s sizedReader) Size() int64 { return s.Reader.Size() }

func TestApplySourceReachesFirstStageOnly(t *testing.T) {
	var first, second transforms.Source
	c := mustParse(t, payload(
		stage("chaintest-alpha", hook(t, func(_ context.Context, obj *transforms.Object, r io.Reader) (io.Reader, error) {
			first = obj.Source
			return r, nil
		})),
		stage("chaintest-beta", hook(t, func(_ context.Context, obj *transforms.Object, r io.Reader) (io.Reader, error) {
			second = obj.Source
			return r, nil
		})),
	))
	src := sizedReader{strings.NewReader("abc")}
	obj := &transforms.Object{Size: 3, Source: src}
	rc, err := c.Apply(context.Background(), obj, strings.NewReader("abc"))
	require.NoError(t, err)
	defer rc.Close()
	assert.Equal(t, transforms.Source(src), first, "the first stage may seek in the original")
	assert.Nil(t, second, "after a stage that changes bytes the original no longer describes the stream")
	assert.Nil(t, obj.Source)

	obj = &transforms.Object{Size: 3, Source: src}
	rc, err = mustParse(t, `{"transforms":[{"name":"identity"}]}`).Apply(context.Background(), obj, strings.NewReader("abc"))
	require.NoError(t, err)
	defer rc.Close()
	assert.Equal(t, transforms.Source(src), obj.Source, "a Preserver keeps it")
}

func TestApplyUnchangedKeepsBytesForThisRequest(t *testing.T) {
	c := mustParse(t, payload(stage("chaintest-hook", hook(t, func(_ context.Context, obj *transforms.Object, r io.Reader) (io.Reader, error) {
		obj.Unchanged()
		return io.NopCloser(r), nil
	}))))
	obj := fullObject()
	rc, err := c.Apply(context.Background(), obj, strings.NewReader("x"))
	require.NoError(t, err)
	assert.Equal(t, "x", readAllAndClose(t, rc))
	assertBytesKept(t, obj.Size, obj.Header)
}

func TestFingerprint(t *testing.T) {
	a := mustParse(t, `{"transforms":[{"name":"identity"},{"name":"chaintest-append-a","options":{ "x" : 1 }}]}`)
	b := mustParse(t, `{"transforms": [ {"name":"identity"}, {"name":"chaintest-append-a","options":{"x":1}} ]}`)
	c := mustParse(t, `{"transforms":[{"name":"identity"},{"name":"chaintest-append-a","options":{"x":2}}]}`)
	assert.Equal(t, a.Fingerprint(), b.Fingerprint(), "white space does not matter")
	assert.NotEqual(t, a.Fingerprint(), c.Fingerprint(), "options do")
	assert.Empty(t, (&transforms.Chain{}).Fingerprint())
}

func TestSetSizeConfirmsAnUnchangedLength(t *testing.T) {
	c := mustParse(t, payload(stage("chaintest-hook", hook(t, func(_ context.Context, obj *transforms.Object, r io.Reader) (io.Reader, error) {
		obj.SetSize(obj.Size) // one for one: the length stays
		return r, nil
	}))))
	obj := fullObject()
	size := obj.Size
	rc, err := c.Apply(context.Background(), obj, strings.NewReader("x"))
	require.NoError(t, err)
	defer rc.Close()
	assert.Equal(t, size, obj.Size)
	assert.Empty(t, obj.Header.Get("ETag"), "the bytes changed: the ETag still goes")
}
