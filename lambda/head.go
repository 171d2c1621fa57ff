package lambda

import (
	"context"
	"net/http"
	"strconv"

	"github.com/aws/aws-lambda-go/events"

	"github.com/olkit/olkit/s3err"
	"github.com/olkit/olkit/transforms"
)

// dropOnHead are response headers about the exchange, not the object.
var dropOnHead = map[string]bool{"Date": true, "Server": true, "Connection": true, "Keep-Alive": true,
	"Transfer-Encoding": true, "X-Amz-Request-Id": true, "X-Amz-Id-2": true, "Content-Length": true}

// headObject answers a HEAD through the access point: HEAD the original,
// let each stage correct the headers (transforms.HeadTransform), and return
// them as the function's JSON answer, with the same conditions, ETag and
// Range rules as GetObject.
func (h *Handler) headObject(ctx context.Context, ev *events.S3ObjectLambdaEvent) (*Result, error) {
	key, query := objectKey(ev.UserRequest.URL)
	chain, opts, e := h.chainFor(ev.Configuration.Payload)
	if e != nil {
		return errorResult(e), nil
	}
	a, e := parseAsk(ev.UserRequest.Headers, query)
	if e != nil {
		return errorResult(e), nil
	}
	if a.part > 0 {
		a.rng = partRange(a.part, opts.PartSize)
	}
	preserve := chain.PreservesBytes()
	f := fetch{conditional: preserve, head: true}
	if preserve && a.rng != nil && a.part == 0 {
		f.rng = a.rng.header()
	}
	resp, err := f.do(ctx, h.HTTPClient, ev.HeadObjectContext.InputS3URL, ev.UserRequest.Headers)
	if err != nil {
		return errorResult(s3err.Wrap(err, http.StatusInternalServerError, "InternalError", "olkit could not HEAD the original object: %v", err)), nil
	}
	resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotModified:
		return &Result{StatusCode: resp.StatusCode, Headers: flatten(conditionalHeaders304(resp.Header), -1)}, nil
	case resp.StatusCode/100 != 2: // a HEAD error has no body to read a code from
		return errorResult(s3err.New(resp.StatusCode, s3err.CodeFor(resp.StatusCode), "%s", http.StatusText(resp.StatusCode))), nil
	}
	obj := &transforms.Object{Key: key, Header: resp.Header.Clone(), Size: resp.ContentLength, Query: query}
	if err := chain.Head(ctx, obj); err != nil {
		return errorResult(s3err.From(err)), nil
	}
	status := resp.StatusCode
	if !preserve {
		setDerivedETag(obj.Header, resp.Header.Get("ETag"), chain)
		if st, ok := evaluateConditions(ev.UserRequest.Headers, obj.Header); !ok {
			if st == http.StatusNotModified {
				return &Result{StatusCode: st, Headers: flatten(conditionalHeaders304(obj.Header), -1)}, nil
			}
			return errorResult(s3err.New(st, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold")), nil
		}
	}
	size := obj.Size
	if a.rng != nil && f.rng == "" && obj.Size >= 0 {
		first, last, e := a.rng.resolve(obj.Size)
		if e != nil {
			return errorResult(e), nil
		}
		status, size = http.StatusPartialContent, last-first+1
		obj.Header.Set("Content-Range", contentRange(first, last, obj.Size))
		if a.part > 0 {
			obj.Header.Set("X-Amz-Mp-Parts-Count", strconv.FormatInt((obj.Size+opts.PartSize-1)/opts.PartSize, 10))
		}
	}
	return &Result{StatusCode: status, Headers: flatten(obj.Header, size)}, nil
}

// flatten turns headers into the string map of a HEAD answer, with
// Content-Length when the size is known.
func flatten(h http.Header, size int64) map[string]string {
	out := map[string]string{}
	for k, v := range h {
		if !dropOnHead[k] && len(v) > 0 {
			out[k] = v[0]
		}
	}
	if size >= 0 {
		out["Content-Length"] = strconv.FormatInt(size, 10)
	}
	return out
}

// errorResult is an error answer in the function's JSON.
func errorResult(e *s3err.Error) *Result {
	code := e.Code
	if !s3err.ValidCode(code) {
		code = s3err.CodeFor(e.Status)
	}
	return &Result{StatusCode: e.Status, ErrorCode: code, ErrorMessage: e.Message}
}
