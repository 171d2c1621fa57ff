package transforms

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/olkit/olkit/s3err"
)

// Spec names one stage of a chain and its options, as the payload gives it.
type Spec struct {
	Name    string          `json:"name"`
	Options json.RawMessage `json:"options,omitempty"`
}

// Payload is the JSON an access point's payload holds:
//
//	{"transforms":[{"name":"decompress"},{"name":"redact","options":{...}}]}
type Payload struct {
	Transforms []Spec `json:"transforms"`
	// Response holds options for whoever serves the chain (the Lambda
	// handler: spool limits, part size); transforms never look at it.
	Response json.RawMessage `json:"response,omitempty"`
}

// A Chain is the ordered list of transforms one request runs through. The
// zero Chain is the identity: it hands the stream on untouched.
type Chain struct {
	stages   []stage
	response json.RawMessage
}

type stage struct {
	name string
	opts []byte // compact JSON, for Fingerprint
	t    Transform
}

// ParseChain builds the Chain a payload describes. A blank payload, "{}" and
// an empty list all mean the identity. Any fault — JSON that does not parse,
// an unknown field or transform name, options the transform refuses — is a
// 400 InvalidRequest *s3err.Error whose message names the fault, so the
// caller and the log both see what to fix.
func ParseChain(payload string) (*Chain, error) {
	if strings.TrimSpace(payload) == "" {
		return &Chain{}, nil
	}
	dec := json.NewDecoder(strings.NewReader(payload))
	dec.DisallowUnknownFields()
	var p Payload
	if err := dec.Decode(&p); err != nil {
		return nil, s3err.InvalidRequest("olkit: the access point payload is not a valid transform list: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, s3err.InvalidRequest("olkit: the access point payload has data after its JSON object")
	}
	c := &Chain{response: p.Response}
	for i, spec := range p.Transforms {
		t, err := build(spec)
		var pe *PanicError
		if errors.As(err, &pe) {
			// The plugin's fault, not the caller's: 500, naming the transform.
			return nil, s3err.Wrap(err, http.StatusInternalServerError, "InternalError", "olkit: transform %d (%q) panicked while reading its options: %v", i+1, spec.Name, pe.Value)
		}
		if err != nil {
			return nil, s3err.InvalidRequest("olkit: transform %d (%q) in the access point payload: %v", i+1, spec.Name, err)
		}
		var opts bytes.Buffer
		if len(spec.Options) > 0 {
			json.Compact(&opts, spec.Options)
		}
		c.stages = append(c.stages, stage{name: spec.Name, opts: opts.Bytes(), t: t})
	}
	return c, nil
}

// build calls the named factory, turning a panic in a plugin's option
// parsing into a *PanicError: a plugin must never take the function down.
func build(spec Spec) (t Transform, err error) {
	if spec.Name == "" {
		return nil, errors.New(`missing "name"`)
	}
	factory, err := lookup(spec.Name)
	if err != nil {
		return nil, err
	}
	opts := spec.Options
	if bytes.Equal(bytes.TrimSpace(opts), []byte("null")) {
		opts = nil
	}
	err = guard(spec.Name, func() (err error) {
		t, err = factory(opts)
		return err
	})
	if err == nil && t == nil {
		err = errors.New("the transform's factory returned no transform")
	}
	return t, err
}

// ChainOf returns a chain of the one transform t, named name in errors: for
// programs and tests that build a transform directly rather than from a
// payload, and want it applied exactly as a payload's chain would apply it.
func ChainOf(name string, t Transform) *Chain {
	return &Chain{stages: []stage{{name: name, t: t}}}
}

// ResponseOptions returns the payload's "response" object, or nil.
func (c *Chain) ResponseOptions() json.RawMessage { return c.response }

// Fingerprint identifies what the chain does: its stages' names and
// options, in order, with insignificant white space removed. Two chains
// with the same fingerprint turn the same input into the same output, so
// the fingerprint and the original's ETag make the output's ETag.
func (c *Chain) Fingerprint() string {
	var b strings.Builder
	for _, s := range c.stages {
		b.WriteString(s.name)
		b.WriteByte(0)
		b.Write(s.opts)
		b.WriteByte(0)
	}
	return b.String()
}

// Names returns the names of the chain's stages in order; an identity chain
// has none.
func (c *Chain) Names() []string {
	names := make([]string, len(c.stages))
	for i, s := range c.stages {
		names[i] = s.name
	}
	return names
}

// PreservesBytes reports whether every stage hands on its input bytes
// unchanged, so the output is the original object byte for byte.
func (c *Chain) PreservesBytes() bool {
	for _, s := range c.stages {
		if !preserves(s.t) {
			return false
		}
	}
	return true
}

func preserves(t Transform) bool {
	p, ok := t.(Preserver)
	return ok && p.PreservesBytes()
}

// Apply runs r through every stage and returns the output stream, which
// the caller must Close to release what the stages hold (decoders, temporary
// files). obj starts as the original's description and ends as the output's.
//
// Each stage sees its input fully described (length, ETag, checksums,
// Source). After a stage that may change bytes, whatever of that it left
// untouched is dropped, since it described the old bytes; what the stage set
// itself (a new Size, say) stays.
func (c *Chain) Apply(ctx context.Context, obj *Object, r io.Reader) (io.ReadCloser, error) {
	c.prepare(obj)
	out := &output{r: r}
	if err := out.through(ctx, obj, c.stages); err != nil {
		return nil, err
	}
	return out, nil
}

// through runs the output on through stages' Apply; on error it closes
// what it holds.
func (o *output) through(ctx context.Context, obj *Object, stages []stage) error {
	for _, s := range stages {
		err := s.run(obj, func() error {
			next, err := s.t.Apply(ctx, obj, o.r)
			if err != nil {
				return err
			}
			return o.push(s.name, next)
		})
		if err != nil {
			o.Close()
			return stageError(s.name, err)
		}
	}
	return nil
}

// push makes next, returned by the named stage, the output.
func (o *output) push(name string, next io.Reader) error {
	if next == nil {
		return errors.New("returned no reader")
	}
	if cl, ok := next.(io.Closer); ok {
		o.closers = append(o.closers, &stageCloser{name: name, c: cl})
	}
	o.r = &stageReader{name: name, r: next}
	return nil
}

// run runs one of the stage's hooks (Apply or Head) under the rule both
// follow: the stage sees its input described; unless it is a Preserver or
// calls obj.Unchanged, what it left of that description is then dropped,
// and Size stays only if the stage called SetSize. A panic in the hook is
// an error.
func (s stage) run(obj *Object, hook func() error) error {
	obj.sizeSet, obj.unchanged = false, false
	before := snapshot(obj)
	if err := s.guard(hook); err != nil {
		return err
	}
	if !preserves(s.t) && !obj.unchanged {
		before.forgetUnchanged(obj)
	}
	return nil
}

// guard calls f, turning a panic into a *PanicError naming the stage.
func (s stage) guard(f func() error) error { return guard(s.name, f) }

// prepare fills obj's maps, so stages need not check them for nil.
func (c *Chain) prepare(obj *Object) {
	if obj.Header == nil {
		obj.Header = http.Header{}
	}
	if obj.Query == nil {
		obj.Query = url.Values{}
	}
}

// byteState is what described a stage's input bytes before it ran.
type byteState struct {
	size   int64
	header map[string][]string
}

func snapshot(obj *Object) byteState {
	st := byteState{size: obj.Size, header: map[string][]string{}}
	for _, h := range byteHeaders {
		if v := obj.Header.Values(h); len(v) > 0 {
			st.header[h] = slices.Clone(v)
		}
	}
	return st
}

// forgetUnchanged drops what still describes the input: the size unless
// the stage stated one with SetSize, and the byte headers it did not set
// anew. Source always goes: a stage that changes bytes cannot leave random
// access to its input standing for its output.
func (st byteState) forgetUnchanged(obj *Object) {
	if !obj.sizeSet {
		obj.Size = -1
	}
	obj.Source = nil
	for h, v := range st.header {
		if slices.Equal(obj.Header.Values(h), v) {
			obj.Header.Del(h)
		}
	}
}

// stageError keeps an *s3err.Error meant for the caller as it is, and names
// the stage in any other error, which the caller will see as InternalError.
// An error already named by an earlier stage keeps that stage's name.
func stageError(name string, err error) error {
	var e *s3err.Error
	var f *stageFailure
	var p *PanicError
	if err == io.EOF || errors.As(err, &e) || errors.As(err, &f) || errors.As(err, &p) {
		return err
	}
	return &stageFailure{stage: name, err: err}
}

// stageFailure is an error that names the stage it came from.
type stageFailure struct {
	stage string
	err   error
}

func (f *stageFailure) Error() string { return fmt.Sprintf("transform %q: %v", f.stage, f.err) }
func (f *stageFailure) Unwrap() error { return f.err }

// stageReader names its stage in the errors its reader returns.
type stageReader struct {
	name string
	r    io.Reader
}

// Read recovers a panic in the stage's Read, wherever it is called from:
// the body of an answer is often read on a goroutine of net/http's, where
// nothing else could, and an unrecovered panic there ends the process.
func (s *stageReader) Read(p []byte) (n int, err error) {
	err = guard(s.name, func() (err error) {
		n, err = s.r.Read(p)
		return err
	})
	if err != nil {
		err = stageError(s.name, err)
	}
	if n < 0 || n > len(p) {
		return 0, stageError(s.name, fmt.Errorf("Read returned %d bytes for a buffer of %d", n, len(p)))
	}
	return n, err
}

// stageCloser recovers a panic in a stage's Close.
type stageCloser struct {
	name string
	c    io.Closer
}

func (s *stageCloser) Close() error { return guard(s.name, s.c.Close) }

// output is the chain's last reader; Close closes every stage that can be
// closed, last stage first.
type output struct {
	r       io.Reader
	closers []io.Closer
	closed  bool
}

func (o *output) Read(p []byte) (int, error) { return o.r.Read(p) }

func (o *output) Close() error {
	if o.closed {
		return nil
	}
	o.closed = true
	var errs []error
	for i := len(o.closers) - 1; i >= 0; i-- {
		errs = append(errs, o.closers[i].Close())
	}
	return errors.Join(errs...)
}

// identity hands its input on unchanged; "identity" in a payload is the same
// as an empty chain, and useful to say so explicitly.
type identity struct{}

func (identity) Apply(_ context.Context, _ *Object, r io.Reader) (io.Reader, error) { return r, nil }
func (identity) PreservesBytes() bool                                               { return true }

func init() {
	Register("identity", func(opts json.RawMessage) (Transform, error) {
		if len(opts) > 0 && !bytes.Equal(bytes.TrimSpace(opts), []byte("{}")) {
			return nil, errors.New("identity takes no options")
		}
		return identity{}, nil
	})
}

// A PanicError is a stage that panicked: in its factory, Apply, Head, List,
// Read or Close. The Chain recovers every such panic, so that one faulty
// plugin fails one request, never the process. Stack is for the log, never
// for the caller.
type PanicError struct {
	Stage string
	Value any
	Stack []byte
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("transform %q panicked: %v", e.Stage, e.Value)
}

// guard calls f and turns a panic in it into a *PanicError for stage.
func guard(stage string, f func() error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &PanicError{Stage: stage, Value: v, Stack: debug.Stack()}
		}
	}()
	return f()
}
