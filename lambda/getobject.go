package lambda

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

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
}

func (h *Handler) getObject(ctx context.Context, ev *events.S3ObjectLambdaEvent) (res *Result, err error) {
	rq := &request{h: h, ev: ev, start: time.Now()}
	defer func() { rq.log(ctx, err) }()
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
	payload := ev.Configuration.Payload
	if strings.TrimSpace(payload) == "" {
		payload = h.DefaultPayload
	}
	chain, err := transforms.ParseChain(payload)
	if err != nil {
		return rq.fail(ctx, s3err.From(err))
	}
	rq.chain = chain.Names()
	if e := unsupported(ev.UserRequest.Headers, query); e != nil {
		return rq.fail(ctx, e)
	}

	resp, err := fetchOriginal(work, h.HTTPClient, ev.GetObjectContext.InputS3URL, ev.UserRequest.Headers)
	if err != nil {
		return rq.fail(ctx, s3err.Wrap(err, http.StatusInternalServerError, "InternalError", "olkit could not fetch the original object: %v", err))
	}
	defer resp.Body.Close()
	obj := &transforms.Object{Key: key, Header: resp.Header.Clone(), Size: resp.ContentLength, Query: query}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		if !chain.PreservesBytes() {
			obj.ForgetBytes()
		}
		return rq.write(ctx, writeresponse.Response{Status: http.StatusNotModified, Header: obj.Header, Size: -1})
	case resp.StatusCode/100 != 2:
		return rq.fail(ctx, originalError(resp))
	}

	if resp.ContentLength >= 0 {
		src := &rangeSource{ctx: work, client: h.HTTPClient, url: ev.GetObjectContext.InputS3URL,
			headers: ev.UserRequest.Headers, etag: resp.Header.Get("ETag"), size: resp.ContentLength}
		defer src.Close()
		obj.Source, rq.src = src, src
	}
	rq.in.r = resp.Body
	out, err := chain.Apply(work, obj, &rq.in)
	if err != nil {
		return rq.fail(ctx, s3err.From(err))
	}
	defer out.Close()
	return rq.stream(ctx, work, obj, &ctxReader{ctx: work, r: out})
}

// stream reads the first bytes of the output, then answers: with an error if
// the output failed before its first byte, else with the stream.
func (rq *request) stream(ctx, work context.Context, obj *transforms.Object, body io.Reader) (*Result, error) {
	first := make([]byte, primeSize)
	n, err := readSome(body, first)
	size := obj.Size
	switch {
	case err == io.EOF: // the whole output is in hand: its length is known
		body, size = bytesReader(first[:n]), int64(n)
	case err != nil:
		return rq.fail(ctx, s3err.From(err))
	default:
		body = io.MultiReader(bytesReader(first[:n]), body)
	}
	rq.out.r = body
	resp := writeresponse.Response{Status: http.StatusOK, Header: obj.Header, Size: size, Body: &rq.out}
	return rq.write(work, resp)
}

// unsupported refuses what the handler cannot yet answer correctly. A
// ranged or part GET answered with the whole object would be a wrong
// success (parallel downloaders would stitch a corrupt file). S3 itself
// answers 501 when an access point does not allow the feature, but WGOR
// accepts no 501, and a 500 would be retried: so 400, saying why.
func unsupported(headers map[string]string, query url.Values) *s3err.Error {
	if _, ok := lookupHeader(headers, "Range"); ok {
		return s3err.InvalidRequest("olkit does not serve Range requests yet; request the whole object")
	}
	if query.Has("partNumber") {
		return s3err.InvalidRequest("olkit does not serve partNumber requests yet; request the whole object")
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
