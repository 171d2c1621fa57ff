// Package writeresponse answers an Object Lambda GetObject through
// WriteGetObjectResponse (WGOR): a status, the GetObject response headers
// that are still true of the bytes sent, and the body as a stream.
//
// It knows nothing of events or transforms: its input is a status, an
// http.Header of GetObject response headers and an io.Reader.
package writeresponse

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/olkit/olkit/s3err"
)

// Response is one answer to a GetObject call.
type Response struct {
	Status int         // 200, 206, 304, ...
	Header http.Header // GetObject response headers, as the chain left them
	Body   io.Reader   // nil for no body
	Size   int64       // length of Body, or -1 when unknown (streamed chunked)
}

// Client sends WGOR requests.
type Client struct {
	api *s3.Client
}

// New returns a Client using cfg. Pass WithEndpoint to send WGOR to a local
// endpoint (the emulator) rather than to S3.
//
// Retries are off: the request token is single-use, a streamed body cannot
// be replayed, and a retried error answer would only repeat the fault.
func New(cfg aws.Config, optFns ...func(*s3.Options)) *Client {
	noRetry := func(o *s3.Options) { o.Retryer = aws.NopRetryer{} }
	return &Client{api: s3.NewFromConfig(cfg, append([]func(*s3.Options){noRetry}, optFns...)...)}
}

// EndpointFromEnv returns the S3 endpoint the environment names, as the
// SDKs read it: AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL, else "".
func EndpointFromEnv() string {
	if v := os.Getenv("AWS_ENDPOINT_URL_S3"); v != "" {
		return v
	}
	return os.Getenv("AWS_ENDPOINT_URL")
}

// WithEndpoint sends WGOR to endpoint as it is. By default the SDK prefixes
// the host with "{RequestRoute}." (a name that local resolvers do not
// resolve), and over plain HTTP it wants to SHA-256 the body, which a stream
// cannot give: both are turned off here, so a streamed body goes out as
// UNSIGNED-PAYLOAD. An empty endpoint changes nothing.
func WithEndpoint(endpoint string) func(*s3.Options) {
	return func(o *s3.Options) {
		if endpoint == "" {
			return
		}
		o.BaseEndpoint = aws.String(endpoint)
		o.UsePathStyle = true
		o.APIOptions = append(o.APIOptions, disableHostPrefix)
		if u, err := url.Parse(endpoint); err == nil && u.Scheme == "http" {
			o.APIOptions = append(o.APIOptions, v4.SwapComputePayloadSHA256ForUnsignedPayloadMiddleware)
		}
	}
}

func disableHostPrefix(stack *middleware.Stack) error {
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("OlkitDisableHostPrefix",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			return next.HandleInitialize(smithyhttp.DisableEndpointHostPrefix(ctx, true), in)
		}), middleware.Before)
}

// Write answers the GetObject call that route and token identify. The body
// is streamed; if reading it fails, the WGOR request is aborted so that the
// caller's download fails rather than ending short, and the read error is
// returned. WGOR is never retried: the token is single-use and a stream
// cannot be replayed.
func (c *Client) Write(ctx context.Context, route, token string, resp Response) error {
	in := Input(route, token, resp)
	var body *trackingReader
	if resp.Body != nil {
		body = &trackingReader{r: resp.Body}
		in.Body = body
	}
	_, err := c.api.WriteGetObjectResponse(ctx, in)
	if body != nil && body.err != nil {
		return fmt.Errorf("writeresponse: body failed after %d bytes, WGOR aborted: %w", body.n, body.err)
	}
	if err != nil {
		return fmt.Errorf("writeresponse: WriteGetObjectResponse: %w", err)
	}
	return nil
}

// Fail answers the GetObject call with an S3 error: a status, an error code
// and a message, and no body.
func (c *Client) Fail(ctx context.Context, route, token string, e *s3err.Error) error {
	_, err := c.api.WriteGetObjectResponse(ctx, ErrorInput(route, token, e))
	if err != nil {
		return fmt.Errorf("writeresponse: WriteGetObjectResponse for error %s: %w", e.Code, err)
	}
	return nil
}

// ErrorInput builds the WGOR input for an error answer. A code WGOR would
// reject (it must match ^[A-Z][a-zA-Z]+$) is replaced by the usual code for
// the status; the message is made safe for an HTTP header.
func ErrorInput(route, token string, e *s3err.Error) *s3.WriteGetObjectResponseInput {
	status := errorStatus(e.Status)
	code := e.Code
	if !s3err.ValidCode(code) {
		code = s3err.CodeFor(status)
	}
	return &s3.WriteGetObjectResponseInput{
		RequestRoute: aws.String(route),
		RequestToken: aws.String(token),
		StatusCode:   aws.Int32(int32(status)),
		ErrorCode:    aws.String(code),
		ErrorMessage: aws.String(headerSafe(e.Message)),
	}
}

// errorStatus maps a status to the nearest one WGOR accepts for an error:
// 400, 401, 403, 404, 405, 409, 411, 412, 416, 500 or 503.
func errorStatus(status int) int {
	switch status {
	case 400, 401, 403, 404, 405, 409, 411, 412, 416, 500, 503:
		return status
	case http.StatusTooManyRequests:
		return http.StatusServiceUnavailable
	}
	if status >= 400 && status < 500 {
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

// maxMessage bounds an error message sent as a header.
const maxMessage = 1024

// headerSafe replaces what an HTTP header value cannot hold (control
// characters, line breaks, non-ASCII) and bounds the length.
func headerSafe(s string) string {
	var b strings.Builder
	for _, r := range s {
		if b.Len() >= maxMessage {
			b.WriteString("...")
			break
		}
		switch {
		case r < 0x20:
			r = ' '
		case r >= 0x7f:
			r = '?'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// trackingReader remembers how much was read and the first read error, so
// Write can tell a failed body from a failed WGOR call.
type trackingReader struct {
	r   io.Reader
	n   int64
	err error
}

func (t *trackingReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	t.n += int64(n)
	if err != nil && !errors.Is(err, io.EOF) && t.err == nil {
		t.err = err
	}
	return n, err
}
