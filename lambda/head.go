package lambda

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/olkit/olkit/s3err"
	"github.com/olkit/olkit/serve"
)

// headObject answers a HEAD through the access point: the serving core
// HEADs the original and lets each stage describe its output
// (transforms.HeadTransform), with the same conditions, ETag and Range
// rules as GetObject; the answer is the function's JSON.
func (h *Handler) headObject(ctx context.Context, ev *events.S3ObjectLambdaEvent) (*Result, error) {
	work, cancel := h.workContext(ctx)
	defer cancel()
	req, e := h.serveRequest(work, ev, http.MethodHead, ev.HeadObjectContext.InputS3URL)
	if e != nil {
		return errorResult(e), nil
	}
	resp, err := serve.Serve(work, req)
	if err != nil {
		logPanic(ctx, h.Logger, ev.XAmzRequestID, err)
		return errorResult(s3err.From(err)), nil
	}
	resp.Close()
	return &Result{StatusCode: resp.Status, Headers: headHeaders(resp.Header, resp.Size)}, nil
}

// headTypes are the HEAD answer's headers that AWS documents as numbers or
// booleans rather than strings, as S3's HeadObject has them.
var headTypes = map[string]string{
	"content-length":                                  "number",
	"x-amz-missing-meta":                              "number",
	"x-amz-mp-parts-count":                            "number",
	"x-amz-tagging-count":                             "number",
	"x-amz-delete-marker":                             "boolean",
	"x-amz-server-side-encryption-bucket-key-enabled": "boolean",
}

// headHeaders is the headers object of a HEAD answer: each header once,
// numbers and booleans typed as AWS documents them, and Content-Length
// when the size is known.
func headHeaders(h http.Header, size int64) map[string]any {
	out := map[string]any{}
	for k, v := range h {
		if len(v) > 0 {
			out[k] = typed(k, v[0])
		}
	}
	if size >= 0 {
		out["Content-Length"] = size
	}
	return out
}

// typed is v as its JSON type: a number or boolean for the headers AWS
// types so, when v reads as one; else the string.
func typed(name, v string) any {
	switch headTypes[strings.ToLower(name)] {
	case "number":
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return n
		}
	case "boolean":
		if b, err := strconv.ParseBool(v); err == nil {
			return b
		}
	}
	return v
}

// errorResult is an error answer in the function's JSON.
func errorResult(e *s3err.Error) *Result {
	return &Result{StatusCode: e.Status, ErrorCode: e.WireCode(), ErrorMessage: e.Message}
}
