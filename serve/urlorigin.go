package serve

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

// URLOrigin fetches the original through a presigned URL: the inputS3Url
// S3 hands an Object Lambda function, or one a function signs with its own
// role. Every header the URL's signature covers (X-Amz-SignedHeaders, less
// host) is sent with the caller's value, or S3 would answer 403
// SignatureDoesNotMatch. The response is never transparently decompressed:
// an object stored with Content-Encoding: gzip must reach the chain as
// stored.
type URLOrigin struct {
	// Client sends the requests; it must not decompress responses.
	Client *http.Client
	// URL is signed for the request's method: GET, or HEAD for a HEAD.
	URL string
	// SourceURL, when set, is signed for GET and serves random access to
	// the original (ranged GETs); without it there is none. For a GET it is
	// URL itself.
	SourceURL string
	// Header holds the caller's request headers.
	Header http.Header
}

// Fetch asks for the original as f says.
func (o *URLOrigin) Fetch(ctx context.Context, f Fetch) (*Original, error) {
	req, err := o.request(ctx, o.URL)
	if err != nil {
		return nil, err
	}
	if f.Head {
		req.Method = http.MethodHead
	}
	for name, v := range f.Conditions {
		req.Header[name] = v
	}
	if f.Range != "" {
		req.Header.Set("Range", f.Range)
	}
	resp, err := o.Client.Do(req)
	if err != nil {
		err = redactURL(err)
		return nil, s3err.Wrap(err, http.StatusInternalServerError, "InternalError", "olkit could not fetch the original object: %v", err)
	}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		resp.Body.Close()
		return &Original{Status: resp.StatusCode, Header: resp.Header, Size: -1}, nil
	case resp.StatusCode/100 != 2 && f.Head: // a HEAD error has no body to read a code from
		resp.Body.Close()
		return nil, s3err.New(resp.StatusCode, s3err.CodeFor(resp.StatusCode), "%s", http.StatusText(resp.StatusCode))
	case resp.StatusCode/100 != 2:
		defer resp.Body.Close()
		return nil, originalError(resp)
	}
	orig := &Original{Status: resp.StatusCode, Header: resp.Header, Size: resp.ContentLength, Body: resp.Body}
	if f.Head {
		resp.Body.Close()
		orig.Body = nil
	}
	return orig, nil
}

// Open gives random access to the original through ranged GETs of
// SourceURL pinned to etag; nil when there is no SourceURL.
func (o *URLOrigin) Open(ctx context.Context, etag string, size int64) (Source, error) {
	if o.SourceURL == "" {
		return nil, nil
	}
	return &rangeSource{ctx: ctx, origin: o, url: o.SourceURL, etag: etag, size: size}, nil
}

// request builds a GET of u with the signed headers set.
func (o *URLOrigin) request(ctx context.Context, raw string) (*http.Request, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("inputS3Url does not parse: %w", redactURL(err))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("building the request for inputS3Url: %w", redactURL(err))
	}
	for _, name := range signedHeaders(u) {
		if v := o.Header.Values(name); len(v) > 0 {
			req.Header[http.CanonicalHeaderKey(name)] = v
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
