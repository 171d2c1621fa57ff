package lambda

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/olkit/olkit/s3err"
)

// conditionalHeaders are the caller's preconditions.
var conditionalHeaders = []string{"If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since"}

// fetch is how the original is asked for. Every header the URL's
// signature covers (X-Amz-SignedHeaders, less host) must arrive with the
// value the caller sent, or S3 answers 403 SignatureDoesNotMatch; the
// values come from the caller's headers, matched without regard to case.
// The response is never transparently decompressed: an object stored with
// Content-Encoding: gzip must reach the chain as stored.
type fetch struct {
	// conditional forwards the caller's If-* headers, so S3 answers 304
	// or 412 itself: right when the output's ETag is the original's.
	conditional bool
	// rng, when set, is a Range header for the original.
	rng string
	// head sends HEAD instead of GET (the HEAD event's URL is signed so).
	head bool
}

// do GETs the presigned inputS3Url.
func (f fetch) do(ctx context.Context, client *http.Client, inputURL string, userHeaders map[string]string) (*http.Response, error) {
	req, err := originalRequest(ctx, inputURL, userHeaders)
	if err != nil {
		return nil, err
	}
	if f.head {
		req.Method = http.MethodHead
	}
	if f.conditional {
		for _, name := range conditionalHeaders {
			if v, ok := lookupHeader(userHeaders, name); ok {
				req.Header.Set(name, v)
			}
		}
	}
	if f.rng != "" {
		req.Header.Set("Range", f.rng)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, redactURL(err)
	}
	return resp, nil
}

// originalRequest builds a GET of inputS3Url with the signed headers set.
func originalRequest(ctx context.Context, inputURL string, userHeaders map[string]string) (*http.Request, error) {
	u, err := url.Parse(inputURL)
	if err != nil {
		return nil, fmt.Errorf("inputS3Url does not parse: %w", redactURL(err))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("building the request for inputS3Url: %w", redactURL(err))
	}
	for _, name := range signedHeaders(u) {
		if v, ok := lookupHeader(userHeaders, name); ok {
			req.Header.Set(name, v)
		}
	}
	if req.Header.Get("Accept-Encoding") == "" {
		req.Header.Set("Accept-Encoding", "identity")
	}
	return req, nil
}

// signedHeaders lists the headers a presigned URL's signature covers,
// other than host, which the HTTP client sets from the URL itself.
func signedHeaders(u *url.URL) []string {
	var names []string
	for _, name := range strings.Split(u.Query().Get("X-Amz-SignedHeaders"), ";") {
		name = strings.TrimSpace(name)
		if name != "" && !strings.EqualFold(name, "host") {
			names = append(names, name)
		}
	}
	return names
}

// lookupHeader finds a header in the event's case-preserving map.
func lookupHeader(h map[string]string, name string) (string, bool) {
	if v, ok := h[name]; ok {
		return v, true
	}
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return "", false
}

// redactURL strips the URL from a *url.Error: a presigned URL carries a
// session token, which must reach neither the caller nor the log.
func redactURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s inputS3Url: %w", ue.Op, ue.Err)
	}
	return err
}

// maxErrorBody bounds how much of an error answer is read for its code.
const maxErrorBody = 64 << 10

// originalError turns S3's non-2xx answer into the error the caller should
// see: the same status, and the code and message from S3's error XML (or
// the usual code for the status when the body has none).
func originalError(resp *http.Response) *s3err.Error {
	var body struct {
		Code    string `xml:"Code"`
		Message string `xml:"Message"`
	}
	data, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	_ = xml.Unmarshal(data, &body)
	code := strings.TrimSpace(body.Code)
	if !s3err.ValidCode(code) {
		code = s3err.CodeFor(resp.StatusCode)
	}
	msg := strings.TrimSpace(body.Message)
	if msg == "" {
		msg = http.StatusText(resp.StatusCode)
	}
	return s3err.New(resp.StatusCode, code, "%s", msg)
}
