package lambda

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/olkit/olkit/checksum"
	"github.com/olkit/olkit/s3err"
	"github.com/olkit/olkit/transforms"
	"github.com/olkit/olkit/writeresponse"
)

// primeSize is the most the handler reads of the chain's output before it
// starts the WGOR call. Reading first means a fault found at the start of
// the stream (a corrupt header, a refused object) becomes a proper S3 error
// answer instead of an aborted download.
const primeSize = 32 << 10

// request carries what one GetObject call has learnt, for its log line.
type request struct {
	h        *Handler
	ev       *events.S3ObjectLambdaEvent
	start    time.Time
	chain    []string
	key      string
	in, out  counter
	src      *rangeSource
	status   int
	errCode  string
	errMsg   string
	answered bool
	cleanup  []func()
}

func (h *Handler) getObject(ctx context.Context, ev *events.S3ObjectLambdaEvent) (res *Result, err error) {
	rq := &request{h: h, ev: ev, start: time.Now()}
	defer func() { rq.log(ctx, err) }()
	defer func() {
		for _, f := range rq.cleanup {
			f()
		}
	}()
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("lambda: panic serving %s: %v\n%s", ev.XAmzRequestID, p, debug.Stack())
			if !rq.answered {
				res, _ = rq.fail(ctx, s3err.New(http.StatusInternalServerError, "InternalError", "olkit failed while transforming the object"))
			}
		}
	}()

	work, cancel := h.workContext(ctx)
	defer cancel()

	key, query := objectKey(ev.UserRequest.URL)
	rq.key = key
	chain, opts, e := h.chainFor(ev.Configuration.Payload)
	if e != nil {
		return rq.fail(ctx, e)
	}
	rq.chain = chain.Names()
	a, e := parseAsk(ev.UserRequest.Headers, query)
	if e != nil {
		return rq.fail(ctx, e)
	}
	if a.part > 0 {
		a.rng = partRange(a.part, opts.PartSize)
	}

	// A chain that changes no byte answers as S3 would: conditions and a
	// Range go to the original. Otherwise the handler judges conditions
	// against the output's own ETag and cuts ranges from the output.
	preserve := chain.PreservesBytes()
	f := fetch{conditional: preserve}
	if preserve && a.rng != nil && a.part == 0 {
		f.rng = a.rng.header()
	}
	resp, err := f.do(work, h.HTTPClient, ev.GetObjectContext.InputS3URL, ev.UserRequest.Headers)
	if err != nil {
		return rq.fail(ctx, s3err.Wrap(err, http.StatusInternalServerError, "InternalError", "olkit could not fetch the original object: %v", err))
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotModified:
		return rq.write(ctx, writeresponse.Response{Status: http.StatusNotModified, Header: resp.Header.Clone(), Size: -1})
	case resp.StatusCode/100 != 2:
		return rq.fail(ctx, originalError(resp))
	}

	obj := &transforms.Object{Key: key, Header: resp.Header.Clone(), Size: resp.ContentLength, Query: query}
	if f.rng == "" && resp.ContentLength >= 0 {
		src := &rangeSource{ctx: work, client: h.HTTPClient, url: ev.GetObjectContext.InputS3URL,
			headers: ev.UserRequest.Headers, etag: resp.Header.Get("ETag"), size: resp.ContentLength}
		rq.cleanup = append(rq.cleanup, func() { src.Close() })
		obj.Source, rq.src = src, src
	}
	checksumAlg := checksum.Of(resp.Header)
	rq.in.r = resp.Body
	out, err := chain.Apply(work, obj, &rq.in)
	if err != nil {
		return rq.fail(ctx, s3err.From(err))
	}
	rq.cleanup = append(rq.cleanup, func() { out.Close() })
	if !preserve {
		setDerivedETag(obj.Header, resp.Header.Get("ETag"), chain)
		if status, ok := evaluateConditions(ev.UserRequest.Headers, obj.Header); !ok {
			if status == http.StatusNotModified {
				return rq.write(ctx, writeresponse.Response{Status: status, Header: conditionalHeaders304(obj.Header), Size: -1})
			}
			return rq.fail(ctx, s3err.New(status, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold"))
		}
	}

	ans := answer{status: resp.StatusCode, header: obj.Header, body: &ctxReader{ctx: work, r: out}, size: obj.Size}
	if f.rng == "" {
		ans.status = http.StatusOK
		if a.rng != nil {
			if e := rq.cutRange(&ans, a.rng, opts); e != nil {
				return rq.fail(ctx, e)
			}
		}
	}
	if a.checksum && (a.rng == nil || a.part > 0) && f.rng == "" {
		if e := rq.addChecksum(&ans, checksumAlg, opts); e != nil {
			return rq.fail(ctx, e)
		}
	}
	return rq.stream(ctx, work, ans)
}

// chainFor builds the chain and its serving options from the payload, or
// from OLKIT_TRANSFORMS when the payload is blank.
func (h *Handler) chainFor(payload string) (*transforms.Chain, Options, *s3err.Error) {
	if strings.TrimSpace(payload) == "" {
		payload = h.DefaultPayload
	}
	chain, err := transforms.ParseChain(h.awsPayload(payload))
	if err != nil {
		return nil, Options{}, s3err.From(err)
	}
	opts, e := parseOptions(chain.ResponseOptions())
	return chain, opts, e
}

// awsPIIOptions are the payload keys of AWS's Comprehend PII functions.
var awsPIIOptions = map[string]bool{"pii_entity_types": true, "mask_mode": true, "mask_character": true,
	"confidence_threshold": true, "language_code": true, "unsupported_file_handling": true}

// awsPayload turns the flat payload AWS's PII functions take into a chain
// of one stage, h.AWSPayloadTransform with those options, so an access
// point moves to olkit by changing its function alone. Anything else is
// returned as it is.
func (h *Handler) awsPayload(payload string) string {
	var m map[string]json.RawMessage
	if json.Unmarshal([]byte(payload), &m) != nil || len(m) == 0 {
		return payload
	}
	for k := range m {
		if !awsPIIOptions[k] {
			return payload
		}
	}
	name, _ := json.Marshal(h.AWSPayloadTransform)
	return `{"transforms":[{"name":` + string(name) + `,"options":` + payload + `}]}`
}

// answer is the response taking shape: status, headers, body and length.
type answer struct {
	status int
	header http.Header
	body   io.Reader
	size   int64
}

// stream reads the first bytes of the body, then answers: with an error if
// the body failed before its first byte, else with the stream.
func (rq *request) stream(ctx, work context.Context, ans answer) (*Result, error) {
	first := make([]byte, primeSize)
	n, err := readSome(ans.body, first)
	body := ans.body
	switch {
	case err == io.EOF: // the whole body is in hand: its length is known
		body, ans.size = bytesReader(first[:n]), int64(n)
	case err != nil:
		return rq.fail(ctx, s3err.From(err))
	default:
		body = io.MultiReader(bytesReader(first[:n]), body)
	}
	rq.out.r = body
	return rq.write(work, writeresponse.Response{Status: ans.status, Header: ans.header, Size: ans.size, Body: &rq.out})
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

func (rq *request) write(ctx context.Context, resp writeresponse.Response) (*Result, error) {
	rq.status, rq.answered = resp.Status, true
	gc := rq.ev.GetObjectContext
	if err := rq.h.Responder.Write(ctx, gc.OutputRoute, gc.OutputToken, resp); err != nil {
		return nil, err
	}
	return &Result{StatusCode: resp.Status}, nil
}

func (rq *request) fail(ctx context.Context, e *s3err.Error) (*Result, error) {
	rq.status, rq.errCode, rq.errMsg, rq.answered = e.Status, e.Code, e.Error(), true
	gc := rq.ev.GetObjectContext
	if err := rq.h.Responder.Fail(ctx, gc.OutputRoute, gc.OutputToken, e); err != nil {
		return nil, err
	}
	return &Result{StatusCode: e.Status, ErrorCode: e.Code, ErrorMessage: e.Message}, nil
}

// log writes the request's one log line: who asked, through which chain,
// how many bytes went in and out, how it ended.
func (rq *request) log(ctx context.Context, err error) {
	level := slog.LevelInfo
	switch {
	case err != nil || rq.status >= 500:
		level = slog.LevelError
	case rq.status >= 400:
		level = slog.LevelWarn
	}
	attrs := []slog.Attr{
		slog.String("request_id", rq.ev.XAmzRequestID),
		slog.String("access_point", rq.ev.Configuration.AccessPointARN),
		slog.String("key", rq.key),
		slog.Any("chain", rq.chain),
		slog.Int64("bytes_in", rq.bytesIn()),
		slog.Int64("bytes_out", rq.out.n),
		slog.Int("status", rq.status),
		slog.Float64("duration_ms", float64(time.Since(rq.start).Microseconds())/1000),
	}
	if rq.errCode != "" {
		attrs = append(attrs, slog.String("error_code", rq.errCode), slog.String("error_message", rq.errMsg))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	rq.h.Logger.LogAttrs(ctx, level, "getobject", attrs...)
}

// bytesIn counts what was read of the original, streamed or ranged.
func (rq *request) bytesIn() int64 {
	n := rq.in.n
	if rq.src != nil {
		n += rq.src.read()
	}
	return n
}

// workContext is ctx ended DeadlineMargin before ctx's own deadline, so the
// handler still has time to answer when the work runs out of time.
func (h *Handler) workContext(ctx context.Context) (context.Context, context.CancelFunc) {
	deadline, ok := ctx.Deadline()
	if !ok {
		return context.WithCancel(ctx)
	}
	return context.WithDeadline(ctx, deadline.Add(-h.DeadlineMargin))
}

// objectKey returns the key and query of the caller's request URL.
func objectKey(raw string) (string, url.Values) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", url.Values{}
	}
	return strings.TrimPrefix(u.Path, "/"), u.Query()
}

// setDerivedETag gives changed bytes an ETag of their own, derived from the
// original's ETag and what the chain does, so that it is the same for the
// same output and caches and conditional requests work; never the
// original's ETag on changed bytes. A stage that set an ETag keeps it.
func setDerivedETag(h http.Header, original string, chain *transforms.Chain) {
	if h.Get("ETag") != "" || original == "" {
		return
	}
	sum := sha256.Sum256([]byte(original + "\x00" + chain.Fingerprint()))
	h.Set("ETag", `"`+hex.EncodeToString(sum[:16])+`"`)
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

// ctxReader fails reads once ctx is done, so a slow transform or source
// cannot run past the deadline margin.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, fmt.Errorf("olkit stopped reading before the Lambda deadline: %w", context.Cause(c.ctx))
	}
	return c.r.Read(p)
}

func bytesReader(p []byte) io.Reader { return &sliceReader{p: p} }

// sliceReader is bytes.Reader without the methods (WriterTo, Seeker) that
// would let the SDK treat the body as replayable.
type sliceReader struct{ p []byte }

func (s *sliceReader) Read(b []byte) (int, error) {
	if len(s.p) == 0 {
		return 0, io.EOF
	}
	n := copy(b, s.p)
	s.p = s.p[n:]
	return n, nil
}
