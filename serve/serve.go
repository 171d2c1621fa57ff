// Package serve decides one request for a transformed object, whatever it
// came through: an Object Lambda GET (answered through WGOR) or HEAD
// (answered as JSON), a function URL (HTTP in, HTTP out) or the olkit CLI.
// Each of those is a thin adapter that turns its input into a Request and
// the Response into its own answer; none repeats a decision made here.
//
// Serve makes one plan per request: which conditions the origin judges
// (S3, when the chain keeps the bytes) and which it judges itself (against
// the output's own ETag), who applies a Range or partNumber (the origin, or
// Serve on the output), whether the output must be read before the first
// byte is sent (a checksum the caller asked for, a range of an output of
// unknown length) and, for a HEAD, what length the answer states.
package serve

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/olkit/olkit/checksum"
	"github.com/olkit/olkit/conditions"
	"github.com/olkit/olkit/transforms"
)

// Request is one caller's request for an object.
type Request struct {
	// Method is http.MethodGet or http.MethodHead.
	Method string
	// Key is the object's key, as the caller asked for it.
	Key string
	// Query is the caller's query string (partNumber, file_name, ...).
	Query url.Values
	// Header holds the caller's request headers (Range, If-*,
	// x-amz-checksum-mode, ...).
	Header http.Header
	// Chain is what the object goes through; nil is the identity.
	Chain *transforms.Chain
	// Options bound spooling and size parts; the zero value is the default.
	Options Options
	// Origin is where the original object comes from.
	Origin Origin
	// Sizes, when set, remembers the output's length from every GET read
	// to the end, for the HEADs that follow; Scope names the origin in its
	// keys (the supporting access point, the bucket), so two origins with
	// the same key and ETag do not share an entry.
	Sizes *SizeCache
	Scope string
	// Store, when set, is offered to the stages (transforms.Object.Store)
	// to keep small objects of their own beside the originals.
	Store transforms.Store
}

// Fetch is how Serve asks the origin for the original.
type Fetch struct {
	// Head asks for the headers only.
	Head bool
	// Conditions are the caller's If-* headers, to be judged by the origin;
	// nil when Serve judges them itself.
	Conditions http.Header
	// Range is a Range header for the origin to apply, or "".
	Range string
}

// Original is the origin's answer: 200, 206 (a Range it applied) or 304.
type Original struct {
	Status int
	Header http.Header   // GetObject response headers
	Size   int64         // length of Body (of the range, for a 206), or -1
	Body   io.ReadCloser // nil for a HEAD or a 304
}

// Origin fetches the original object. Any answer but 2xx or 304 comes back
// as an error: an *s3err.Error with the origin's status and code when it
// gave them.
type Origin interface {
	Fetch(ctx context.Context, f Fetch) (*Original, error)
}

// A RandomAccess origin can also read the original at any offset, pinned
// to the version whose ETag it is given, for the stages that seek (ZIP's
// central directory) and for HEADs that must read the object.
type RandomAccess interface {
	Origin
	Open(ctx context.Context, etag string, size int64) (Source, error)
}

// Source is random access to the original; Close ends what it holds open.
type Source interface {
	transforms.Source
	io.Closer
}

// Response is the answer: an object (200, 206) or a 304. Errors come back
// from Serve as errors instead.
type Response struct {
	Status int
	// Header holds the GetObject response headers still true of the
	// bytes; Content-Length is in Size, not here.
	Header http.Header
	// Size is the length of Body, or for a HEAD of the body a GET would
	// have; -1 when unknown.
	Size int64
	// Body is the object's bytes; nil for a HEAD and a 304. A Read that
	// fails after the first byte must abort the answer, so that the
	// caller's download fails rather than ends short.
	Body io.Reader

	in      *counter
	out     *counter
	src     Source
	closers []func()
}

// BytesOut is how much of Body has been read so far.
func (r *Response) BytesOut() int64 {
	if r == nil || r.out == nil {
		return 0
	}
	return r.out.n
}

// BytesIn is how much of the original has been read so far, streamed or
// through random access.
func (r *Response) BytesIn() int64 {
	if r == nil {
		return 0
	}
	n := int64(0)
	if r.in != nil {
		n += r.in.n
	}
	if s, ok := r.src.(interface{ BytesRead() int64 }); ok {
		n += s.BytesRead()
	}
	return n
}

// Close releases what the answer holds: the original's stream, temporary
// files, decoders. Call it once the body is sent (or abandoned).
func (r *Response) Close() error {
	for i := len(r.closers) - 1; i >= 0; i-- {
		r.closers[i]()
	}
	r.closers = nil
	return nil
}

func (r *Response) onClose(f func()) { r.closers = append(r.closers, f) }

// Serve answers req. An error is the answer the caller gets: an
// *s3err.Error where its status and code are known (s3err.From gives the
// rest theirs); a *transforms.PanicError in its chain is a plugin that
// panicked, whose stack belongs in the log. On error nothing needs closing.
func Serve(ctx context.Context, req *Request) (*Response, error) {
	p, err := plan(req)
	if err != nil {
		return nil, err
	}
	resp := &Response{}
	if err := p.run(ctx, req, resp); err != nil {
		resp.Close()
		return nil, err
	}
	return resp, nil
}

// planned is what plan decides before the original is fetched.
type planned struct {
	chain    *transforms.Chain
	opts     Options
	ask      ask
	head     bool
	preserve bool   // the chain keeps the bytes: the origin judges conditions
	rng      string // the Range the origin applies, or ""
	at       int64  // the output offset the chain's output starts at
}

func plan(req *Request) (*planned, error) {
	chain := req.Chain
	if chain == nil {
		chain = &transforms.Chain{}
	}
	opts := req.Options.withDefaults()
	a, e := parseAsk(conditions.FromHeader(req.Header), req.Query)
	if e != nil {
		return nil, e
	}
	if a.part > 0 {
		a.rng = partRange(a.part, opts.PartSize)
	}
	p := &planned{chain: chain, opts: opts, ask: a, head: req.Method == http.MethodHead, preserve: chain.PreservesBytes()}
	if p.preserve && a.rng != nil && a.part == 0 {
		p.rng = a.rng.header()
	}
	return p, nil
}

// fetch is the request for the original the plan makes.
func (p *planned) fetch(caller http.Header) Fetch {
	f := Fetch{Head: p.head, Range: p.rng}
	if p.preserve {
		f.Conditions = http.Header{}
		for _, name := range conditions.Names {
			if v := caller.Values(name); len(v) > 0 {
				f.Conditions[name] = v
			}
		}
	}
	return f
}

func (p *planned) run(ctx context.Context, req *Request, resp *Response) error {
	orig, err := req.Origin.Fetch(ctx, p.fetch(req.Header))
	if err != nil {
		return err
	}
	if orig.Body != nil {
		resp.onClose(func() { orig.Body.Close() })
	}
	if orig.Status == http.StatusNotModified {
		resp.Status, resp.Header, resp.Size = http.StatusNotModified, conditions.NotModifiedHeaders(orig.Header), -1
		return nil
	}
	obj := &transforms.Object{Key: req.Key, Header: orig.Header.Clone(), Size: orig.Size, Query: req.Query, Store: req.Store}
	if err := p.attachSource(ctx, req.Origin, obj, orig, resp); err != nil {
		return err
	}
	originalChecksum := checksum.Of(orig.Header)
	var out io.Reader
	if p.head {
		if err := p.describe(ctx, obj, resp); err != nil {
			return err
		}
	} else {
		rc, err := p.apply(ctx, obj, orig, resp)
		if err != nil {
			return err
		}
		resp.onClose(func() { rc.Close() })
		out = &ctxReader{ctx: ctx, r: rc}
	}
	if !p.preserve {
		setDerivedETag(obj.Header, orig.Header.Get("ETag"), p.chain)
		switch conditions.Evaluate(conditions.FromHeader(req.Header), obj.Header.Get("ETag"), lastModified(obj.Header)) {
		case http.StatusNotModified:
			resp.Status, resp.Header, resp.Size = http.StatusNotModified, conditions.NotModifiedHeaders(obj.Header), -1
			return nil
		case http.StatusPreconditionFailed:
			return conditions.Failed()
		}
	}
	if obj.Size < 0 && (p.head || p.ask.rng != nil && p.rng == "") {
		// A HEAD states the length the GET will have, never none; a range
		// states the total, which downloaders need to plan their parts.
		n, err := p.length(ctx, req, orig, resp)
		switch {
		case err == nil:
			obj.Size = n
		case p.head || !isLengthUnknown(err):
			return err
		}
	}
	ans := &answer{status: orig.Status, header: obj.Header, body: out, size: obj.Size, at: p.at, resp: resp}
	if p.rng == "" {
		ans.status = http.StatusOK
		if p.ask.rng != nil {
			if err := ans.cutRange(p.ask.rng, p.opts, p.head); err != nil {
				return err
			}
		}
	}
	if !p.head && p.ask.checksum && (p.ask.rng == nil || p.ask.part > 0) && p.rng == "" {
		if err := ans.addChecksum(originalChecksum, p.opts); err != nil {
			return err
		}
	}
	for _, h := range exchangeHeaders {
		ans.header.Del(h)
	}
	resp.Status, resp.Header, resp.Size = ans.status, ans.header, ans.size
	if p.head {
		return nil
	}
	if err := ans.prime(); err != nil {
		return err
	}
	if !p.preserve && p.ask.rng == nil {
		p.record(req, orig, resp)
	}
	resp.out = &counter{r: resp.Body}
	resp.Body = resp.out
	return nil
}

// apply runs the chain for a GET: from where the caller's range starts
// when the chain can start there (Chain.ApplyAt: decompress with a
// checkpoint index), so the range costs what it spans; else from the
// first byte, over the original's stream.
func (p *planned) apply(ctx context.Context, obj *transforms.Object, orig *Original, resp *Response) (io.ReadCloser, error) {
	if r := p.ask.rng; r != nil && p.rng == "" && resp.src != nil {
		off, n := r.First, int64(-1)
		switch {
		case off < 0:
			off, n = -r.Suffix, r.Suffix
		case r.Last >= 0:
			n = r.Last - r.First + 1
		}
		rc, ok, err := p.chain.ApplyAt(ctx, obj, off, n)
		if err != nil {
			return nil, err
		}
		if ok && obj.Size < 0 {
			rc.Close()
			return nil, fmt.Errorf("the chain started its output at byte %d but did not state its length (a RangeTransform must call SetSize)", off)
		}
		if ok {
			p.at = off
			if off < 0 { // a suffix: counted back from the end
				p.at = max(0, obj.Size+off)
			}
			return rc, nil
		}
	}
	resp.in = &counter{r: orig.Body}
	return p.chain.Apply(ctx, obj, resp.in)
}

// describe makes obj what a GET would answer, for a HEAD: through the
// chain's HEAD hooks when every stage has one, else (a stage only Apply
// can describe, such as access control, which must read the document to
// know whether it answers 403) by running the chain over the original.
func (p *planned) describe(ctx context.Context, obj *transforms.Object, resp *Response) error {
	if p.chain.DescribesHead() {
		return p.chain.Head(ctx, obj)
	}
	if resp.src == nil {
		return lengthUnknown()
	}
	n, err := measure(ctx, p.chain, obj, resp.src)
	if err != nil {
		return err
	}
	obj.Size = n
	return nil
}

// length is what a HEAD through a chain that changes bytes learns of the
// output's length: from the cache a GET filled, else by running the chain
// over the original and counting (the answer is then cached too).
func (p *planned) length(ctx context.Context, req *Request, orig *Original, resp *Response) (int64, error) {
	key := sizeKey(req, p.chain, orig.Header)
	if n, ok := req.Sizes.get(key); ok {
		return n, nil
	}
	if resp.src == nil {
		return 0, lengthUnknown()
	}
	scratch := &transforms.Object{Key: req.Key, Header: orig.Header.Clone(), Size: orig.Size, Query: req.Query, Source: resp.src, Store: req.Store}
	n, err := measure(ctx, p.chain, scratch, resp.src)
	if err != nil {
		return 0, err
	}
	req.Sizes.put(key, n)
	return n, nil
}

// record has the length of a whole answer cached once it is known: now,
// or when the body has been read to its end.
func (p *planned) record(req *Request, orig *Original, resp *Response) {
	key := sizeKey(req, p.chain, orig.Header)
	if req.Sizes == nil || key == "" {
		return
	}
	if resp.Size >= 0 {
		req.Sizes.put(key, resp.Size)
		return
	}
	resp.Body = &recordAtEOF{r: resp.Body, done: func(n int64) { req.Sizes.put(key, n) }}
}

// attachSource offers the stages random access to the original when the
// origin has it and the whole object is at hand.
func (p *planned) attachSource(ctx context.Context, o Origin, obj *transforms.Object, orig *Original, resp *Response) error {
	ra, ok := o.(RandomAccess)
	if !ok || p.rng != "" || orig.Size < 0 {
		return nil
	}
	src, err := ra.Open(ctx, orig.Header.Get("ETag"), orig.Size)
	if err != nil || src == nil {
		return err
	}
	resp.src = src
	resp.onClose(func() { src.Close() })
	obj.Source = src
	return nil
}

// exchangeHeaders are headers of the exchange with the origin, not of the
// object: an adapter sets its own.
var exchangeHeaders = []string{"Date", "Server", "Connection", "Keep-Alive", "Transfer-Encoding",
	"X-Amz-Request-Id", "X-Amz-Id-2", "Content-Length"}

// primeSize is the most Serve reads of the output before it answers.
// Reading first means a fault found at the start of the stream (a corrupt
// header, a refused object, a panicking plugin) becomes a proper S3 error
// answer instead of an aborted download.
const primeSize = 32 << 10

// prime reads the first bytes of the body: an error before the first byte
// is the answer; a body that ends within them has a known length.
func (a *answer) prime() error {
	first := make([]byte, primeSize)
	n, err := readSome(a.body, first)
	switch {
	case err == io.EOF:
		a.resp.Body, a.resp.Size = bytesReader(first[:n]), int64(n)
	case err != nil:
		return err
	default:
		a.resp.Body = io.MultiReader(bytesReader(first[:n]), a.body)
	}
	return nil
}

// readSome reads until it has at least one byte or an error.
func readSome(r io.Reader, p []byte) (int, error) {
	for {
		n, err := r.Read(p)
		if n > 0 || err != nil {
			return n, err
		}
	}
}

// answer is the response taking shape.
type answer struct {
	status int
	header http.Header
	body   io.Reader
	size   int64
	at     int64 // the output offset body starts at
	resp   *Response
}

// ctxReader fails reads once ctx is done, so a slow transform or source
// cannot run past the caller's deadline.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, fmt.Errorf("olkit stopped reading before the deadline: %w", context.Cause(c.ctx))
	}
	return c.r.Read(p)
}

// counter counts the bytes read through it.
type counter struct {
	r io.Reader
	n int64
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func bytesReader(p []byte) io.Reader { return &sliceReader{p: p} }

// sliceReader is bytes.Reader without the methods (WriterTo, Seeker) that
// would let an SDK treat the body as replayable.
type sliceReader struct{ p []byte }

func (s *sliceReader) Read(b []byte) (int, error) {
	if len(s.p) == 0 {
		return 0, io.EOF
	}
	n := copy(b, s.p)
	s.p = s.p[n:]
	return n, nil
}
