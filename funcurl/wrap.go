package funcurl

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

// Wrap turns an http.Handler into the handler of a function URL in
// RESPONSE_STREAM mode, as aws-lambda-go's lambdaurl.Wrap does, with one
// difference that matters here: a response can be aborted (Abort, or a
// panic), which ends the stream with an error, so the Lambda runtime marks
// the invocation failed and the caller's download fails, where lambdaurl
// would end the stream as if it were complete.
func Wrap(h http.Handler) func(context.Context, *events.LambdaFunctionURLRequest) (*events.LambdaFunctionURLStreamingResponse, error) {
	return func(ctx context.Context, req *events.LambdaFunctionURLRequest) (*events.LambdaFunctionURLStreamingResponse, error) {
		var body io.Reader = strings.NewReader(req.Body)
		if req.IsBase64Encoded {
			body = base64.NewDecoder(base64.StdEncoding, body)
		}
		target := "https://" + req.RequestContext.DomainName + req.RawPath
		if req.RawQueryString != "" {
			target += "?" + req.RawQueryString
		}
		hr, err := http.NewRequestWithContext(ctx, req.RequestContext.HTTP.Method, target, body)
		if err != nil {
			return nil, fmt.Errorf("funcurl: the function URL request does not parse: %w", err)
		}
		for k, v := range req.Headers {
			hr.Header.Add(k, v)
		}
		pr, pw := io.Pipe()
		sw := &streamWriter{pw: pw, header: http.Header{}, ready: make(chan struct{})}
		go func() {
			defer func() {
				if p := recover(); p != nil {
					sw.Abort(fmt.Errorf("funcurl: handler panic: %v", p))
				}
				sw.WriteHeader(http.StatusOK) // when the handler wrote nothing
				pw.Close()                    // keeps an abort's error
			}()
			h.ServeHTTP(sw, hr)
		}()
		<-sw.ready
		resp := &events.LambdaFunctionURLStreamingResponse{Body: pr, StatusCode: sw.code, Headers: map[string]string{}}
		for k, v := range sw.sent {
			if k == "Set-Cookie" {
				resp.Cookies = v
			} else {
				resp.Headers[k] = strings.Join(v, ",")
			}
		}
		return resp, nil
	}
}

// streamWriter is the http.ResponseWriter of a streamed function URL
// response: the status and headers go first, then the body through a pipe.
type streamWriter struct {
	pw     *io.PipeWriter
	header http.Header
	sent   http.Header
	code   int
	once   sync.Once
	ready  chan struct{}
}

func (w *streamWriter) Header() http.Header { return w.header }

func (w *streamWriter) WriteHeader(code int) {
	w.once.Do(func() {
		w.code, w.sent = code, w.header.Clone()
		close(w.ready)
	})
}

func (w *streamWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.pw.Write(p)
}

// Abort ends the response with err: the body's reader fails with it.
func (w *streamWriter) Abort(err error) {
	w.WriteHeader(http.StatusInternalServerError)
	w.pw.CloseWithError(err)
}

// lambdaRequestID is the invocation's request id, inside Lambda.
func lambdaRequestID(ctx context.Context) (string, bool) {
	lc, ok := lambdacontext.FromContext(ctx)
	if !ok || lc.AwsRequestID == "" {
		return "", false
	}
	return lc.AwsRequestID, true
}
