package lambda

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/olkit/olkit/presign"
	"github.com/olkit/olkit/s3err"
	"github.com/olkit/olkit/serve"
	"github.com/olkit/olkit/transforms"
	"github.com/olkit/olkit/writeresponse"
)

// request carries what one GetObject call has learnt, for its log line.
type request struct {
	h        *Handler
	ev       *events.S3ObjectLambdaEvent
	start    time.Time
	chain    []string
	key      string
	resp     *serve.Response
	status   int
	errCode  string
	errMsg   string
	answered bool
}

// getObject serves a GetObject: the serving core decides the answer, which
// goes to the caller through WGOR.
func (h *Handler) getObject(ctx context.Context, ev *events.S3ObjectLambdaEvent) (res *Result, err error) {
	rq := &request{h: h, ev: ev, start: time.Now()}
	defer func() { rq.log(ctx, err) }()
	defer func() {
		// A backstop: the chain recovers its stages' panics, so one here
		// is olkit's own, and still must not end the process.
		if p := recover(); p != nil {
			err = fmt.Errorf("lambda: panic serving %s: %v\n%s", ev.XAmzRequestID, p, debug.Stack())
			if !rq.answered {
				res, _ = rq.fail(ctx, s3err.New(http.StatusInternalServerError, "InternalError", "olkit failed while transforming the object"))
			}
		}
	}()

	work, cancel := h.workContext(ctx)
	defer cancel()
	req, e := h.serveRequest(work, ev, http.MethodGet, ev.GetObjectContext.InputS3URL)
	if e != nil {
		return rq.fail(ctx, e)
	}
	rq.key, rq.chain = req.Key, req.Chain.Names()
	resp, err := serve.Serve(work, req)
	if err != nil {
		rq.logPanic(ctx, err)
		return rq.fail(ctx, s3err.From(err))
	}
	defer resp.Close()
	rq.resp = resp
	out := writeresponse.Response{Status: resp.Status, Header: resp.Header, Size: resp.Size}
	if resp.Body != nil {
		out.Body = resp.Body
	}
	return rq.write(work, out)
}

// serveRequest turns an event into the serving core's request: the key and
// query from userRequest.url, the caller's headers, the chain from the
// payload, and the original through the presigned inputURL. A GET's URL
// also gives random access (ranged GETs); a HEAD's allows HEAD only, so a
// HEAD reads through the supporting access point with the function's own
// role, when it has one.
func (h *Handler) serveRequest(ctx context.Context, ev *events.S3ObjectLambdaEvent, method, inputURL string) (*serve.Request, *s3err.Error) {
	chain, opts, e := h.chainFor(ev.Configuration.Payload)
	if e != nil {
		return nil, e
	}
	key, query := objectKey(ev.UserRequest.URL)
	header := http.Header{}
	for k, v := range ev.UserRequest.Headers {
		header.Add(k, v)
	}
	origin := &serve.URLOrigin{Client: h.HTTPClient, URL: inputURL, Header: header}
	supporting := ev.Configuration.SupportingAccessPointARN
	switch {
	case method == http.MethodGet:
		origin.SourceURL = inputURL
	case h.Originals != nil && supporting != "":
		u, err := h.Originals.GetURL(ctx, supporting, key, query.Get("versionId"))
		if err != nil {
			return nil, s3err.Wrap(err, http.StatusInternalServerError, "InternalError", "olkit could not sign its read of the original: %v", err)
		}
		origin.SourceURL = u
	}
	req := &serve.Request{Method: method, Key: key, Query: query, Header: header, Chain: chain, Options: opts,
		Origin: origin, Sizes: h.Sizes, Scope: supporting}
	if signer, ok := h.Originals.(*presign.Signer); ok && supporting != "" {
		// Stages may keep objects of their own beside the originals (a
		// decompress index, where its options name a prefix).
		req.Store = &presign.Store{Signer: signer, Client: h.HTTPClient, Bucket: supporting}
	}
	return req, nil
}

// chainFor builds the chain and its serving options from the payload, or
// from OLKIT_TRANSFORMS when the payload is blank.
func (h *Handler) chainFor(payload string) (*transforms.Chain, serve.Options, *s3err.Error) {
	if strings.TrimSpace(payload) == "" {
		payload = h.DefaultPayload
	}
	return serve.ParsePayload(awsPayload(payload, h.AWSPayloadTransform))
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
	rq.status, rq.errCode, rq.errMsg, rq.answered = e.Status, e.WireCode(), e.Error(), true
	gc := rq.ev.GetObjectContext
	if err := rq.h.Responder.Fail(ctx, gc.OutputRoute, gc.OutputToken, e); err != nil {
		return nil, err
	}
	return &Result{StatusCode: e.Status, ErrorCode: e.WireCode(), ErrorMessage: e.Message}, nil
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
		slog.Int64("bytes_in", rq.resp.BytesIn()),
		slog.Int64("bytes_out", rq.resp.BytesOut()),
		slog.Int("status", rq.status),
		slog.Float64("duration_ms", float64(time.Since(rq.start).Microseconds())/1000),
	}
	if rq.errCode != "" {
		attrs = append(attrs, slog.String("error_code", rq.errCode), slog.String("error_message", rq.errMsg))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
		rq.logPanic(ctx, err)
	}
	rq.h.Logger.LogAttrs(ctx, level, "getobject", attrs...)
}

// logPanic writes the stack of a plugin's panic, if err holds one.
func (rq *request) logPanic(ctx context.Context, err error) {
	logPanic(ctx, rq.h.Logger, rq.ev.XAmzRequestID, err)
}

func logPanic(ctx context.Context, l *slog.Logger, requestID string, err error) {
	var pe *transforms.PanicError
	if errors.As(err, &pe) {
		l.LogAttrs(ctx, slog.LevelError, "transform panicked", slog.String("request_id", requestID),
			slog.String("transform", pe.Stage), slog.String("panic", fmt.Sprint(pe.Value)), slog.String("stack", string(pe.Stack)))
	}
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
