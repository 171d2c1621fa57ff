package writeresponse_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/s3err"
	"github.com/olkit/olkit/writeresponse"
)

func TestEndpointFromEnv(t *testing.T) {
	cases := []struct {
		name       string
		s3, global string
		want       string
	}{
		{"neither", "", "", ""},
		{"global only", "", "http://global:1", "http://global:1"},
		{"s3 only", "http://s3:2", "", "http://s3:2"},
		{"s3 wins", "http://s3:2", "http://global:1", "http://s3:2"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("AWS_ENDPOINT_URL_S3", tc.s3)
			t.Setenv("AWS_ENDPOINT_URL", tc.global)
			assert.Equal(t, tc.want, writeresponse.EndpointFromEnv())
		})
	}
}

// received is what the fake WGOR endpoint saw of one request.
type received struct {
	method        string
	path          string
	host          string
	header        http.Header
	contentLength int64
	chunked       bool
	body          []byte
	bodyErr       error
}

// fakeWGOR is an httptest.Server playing WriteGetObjectResponse. It answers
// status (200 when 0) after reading the whole body.
func fakeWGOR(t *testing.T, status int) (*httptest.Server, <-chan received) {
	t.Helper()
	ch := make(chan received, 16)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		ch <- received{
			method:        r.Method,
			path:          r.URL.Path,
			host:          r.Host,
			header:        r.Header.Clone(),
			contentLength: r.ContentLength,
			chunked:       len(r.TransferEncoding) > 0 && r.TransferEncoding[0] == "chunked",
			body:          body,
			bodyErr:       err,
		}
		if status != 0 && status != http.StatusOK {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(status)
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>fake failure</Message><RequestId>r</RequestId></Error>`)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(srv.Close)
	return srv, ch
}

func newClient(endpoint string) *writeresponse.Client {
	return writeresponse.New(aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
	}, writeresponse.WithEndpoint(endpoint))
}

func next(t *testing.T, ch <-chan received) received {
	t.Helper()
	select {
	case r := <-ch:
		return r
	case <-time.After(10 * time.Second):
		t.Fatal("the fake WGOR endpoint received no request")
		return received{}
	}
}

func assertNoMore(t *testing.T, ch <-chan received) {
	t.Helper()
	select {
	case r := <-ch:
		t.Fatalf("unexpected further request (a retry?): %s %s", r.method, r.path)
	case <-time.After(200 * time.Millisecond):
	}
}

// onlyReader hides every method but Read: not seekable, no length.
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

// trickle returns data a few bytes at a time, so the body is streamed in
// many reads.
type trickle struct {
	data []byte
	err  error // returned once data is exhausted; io.EOF for a clean end
}

func (t *trickle) Read(p []byte) (int, error) {
	if len(t.data) == 0 {
		return 0, t.err
	}
	n := min(len(p), 7, len(t.data))
	copy(p, t.data[:n])
	t.data = t.data[n:]
	return n, nil
}

func assertSigned(t *testing.T, got received) {
	t.Helper()
	auth := got.header.Get("Authorization")
	assert.True(t, strings.HasPrefix(auth, "AWS4-HMAC-SHA256 "), "Authorization %q", auth)
	assert.Contains(t, auth, "Credential=test/")
	assert.Contains(t, auth, "/us-east-1/s3-object-lambda/aws4_request")
	assert.Equal(t, "UNSIGNED-PAYLOAD", got.header.Get("X-Amz-Content-Sha256"))
}

func TestWriteStreamsToEndpoint(t *testing.T) {
	srv, ch := fakeWGOR(t, 0)
	c := newClient(srv.URL)

	payload := strings.Repeat("the quick brown fox jumps over the lazy dog\n", 2000)
	h := http.Header{}
	h.Set("Content-Type", "text/plain")
	h.Set("X-Amz-Meta-Owner", "alice")
	err := c.Write(context.Background(), "io-route-1", "token-abc", writeresponse.Response{
		Status: http.StatusOK,
		Header: h,
		Body:   onlyReader{&trickle{data: []byte(payload), err: io.EOF}},
		Size:   -1,
	})
	require.NoError(t, err)

	got := next(t, ch)
	assert.Equal(t, http.MethodPost, got.method)
	assert.Equal(t, "/WriteGetObjectResponse", got.path)
	assert.Equal(t, srv.Listener.Addr().String(), got.host, "no {RequestRoute}. prefix on the host")
	assertSigned(t, got)
	assert.Equal(t, "io-route-1", got.header.Get("X-Amz-Request-Route"))
	assert.Equal(t, "token-abc", got.header.Get("X-Amz-Request-Token"))
	assert.Equal(t, "200", got.header.Get("X-Amz-Fwd-Status"))
	assert.Equal(t, "text/plain", got.header.Get("X-Amz-Fwd-Header-Content-Type"))
	assert.Equal(t, "alice", got.header.Get("X-Amz-Meta-Owner"))
	assert.Equal(t, int64(-1), got.contentLength, "unknown length")
	assert.True(t, got.chunked, "streamed chunked")
	require.NoError(t, got.bodyErr)
	assert.Equal(t, len(payload), len(got.body))
	assert.True(t, string(got.body) == payload, "body arrived altered")
	assertNoMore(t, ch)
}

func TestWriteKnownSize(t *testing.T) {
	srv, ch := fakeWGOR(t, 0)
	c := newClient(srv.URL)
	err := c.Write(context.Background(), "r", "t", writeresponse.Response{
		Status: http.StatusPartialContent,
		Header: http.Header{"Content-Range": {"bytes 0-4/10"}},
		Body:   onlyReader{strings.NewReader("hello")},
		Size:   5,
	})
	require.NoError(t, err)
	got := next(t, ch)
	assert.Equal(t, int64(5), got.contentLength)
	assert.Equal(t, "hello", string(got.body))
	assert.Equal(t, "206", got.header.Get("X-Amz-Fwd-Status"))
	assert.Equal(t, "bytes 0-4/10", got.header.Get("X-Amz-Fwd-Header-Content-Range"))
}

func TestFailSendsErrorHeaders(t *testing.T) {
	srv, ch := fakeWGOR(t, 0)
	c := newClient(srv.URL)
	err := c.Fail(context.Background(), "io-route-2", "token-def", s3err.New(http.StatusNotFound, "NoSuchKey", "no such key:\n%q", "a/b"))
	require.NoError(t, err)

	got := next(t, ch)
	assert.Equal(t, http.MethodPost, got.method)
	assert.Equal(t, "/WriteGetObjectResponse", got.path)
	assert.Equal(t, srv.Listener.Addr().String(), got.host)
	assertSigned(t, got)
	assert.Equal(t, "io-route-2", got.header.Get("X-Amz-Request-Route"))
	assert.Equal(t, "token-def", got.header.Get("X-Amz-Request-Token"))
	assert.Equal(t, "404", got.header.Get("X-Amz-Fwd-Status"))
	assert.Equal(t, "NoSuchKey", got.header.Get("X-Amz-Fwd-Error-Code"))
	assert.Equal(t, `no such key: "a/b"`, got.header.Get("X-Amz-Fwd-Error-Message"))
	assert.Empty(t, got.body)
	assert.LessOrEqual(t, got.contentLength, int64(0))
	assertNoMore(t, ch)
}

func TestWriteBodyFailureAborts(t *testing.T) {
	srv, ch := fakeWGOR(t, 0)
	c := newClient(srv.URL)
	bodyErr := errors.New("decompressor exploded")
	sent := strings.Repeat("partial data ", 500)

	err := c.Write(context.Background(), "r", "t", writeresponse.Response{
		Status: http.StatusOK,
		Body:   onlyReader{&trickle{data: []byte(sent), err: bodyErr}},
		Size:   -1,
	})
	require.Error(t, err)
	assert.ErrorIs(t, err, bodyErr)

	got := next(t, ch)
	assert.Error(t, got.bodyErr, "the server must see the request body fail, not end cleanly")
	assert.Less(t, len(got.body), len(sent)+1)
	assert.True(t, strings.HasPrefix(sent, string(got.body)), "what arrived is a prefix of what was sent")
	assertNoMore(t, ch)
}

func TestWriteServerError(t *testing.T) {
	srv, ch := fakeWGOR(t, http.StatusInternalServerError)
	c := newClient(srv.URL)
	err := c.Write(context.Background(), "r", "t", writeresponse.Response{
		Status: http.StatusOK,
		Body:   onlyReader{strings.NewReader("body")},
		Size:   -1,
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "WriteGetObjectResponse")
	got := next(t, ch)
	assert.Equal(t, "body", string(got.body))
	assertNoMore(t, ch) // WGOR is never retried
}

func TestFailServerError(t *testing.T) {
	srv, ch := fakeWGOR(t, http.StatusInternalServerError)
	c := newClient(srv.URL)
	err := c.Fail(context.Background(), "r", "t", s3err.New(http.StatusForbidden, "AccessDenied", "no"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "AccessDenied")
	next(t, ch)
	// Whether it is retried is TestWGORNeverRetried's concern.
}

// WGOR must be sent once: the token is single-use. With the SDK's default
// retryer a request without a body (Fail, or Write of a 304) would be sent
// 3 times against a 500, and one with a streamed body would fail with
// "failed to rewind transport stream for retry", hiding the 500 it got.
func TestWGORNeverRetried(t *testing.T) {
	send := map[string]func(c *writeresponse.Client) error{
		"Fail": func(c *writeresponse.Client) error {
			return c.Fail(context.Background(), "r", "t", s3err.New(http.StatusForbidden, "AccessDenied", "no"))
		},
		"Write without body": func(c *writeresponse.Client) error {
			return c.Write(context.Background(), "r", "t", writeresponse.Response{Status: http.StatusNotModified, Size: -1})
		},
		"Write with body": func(c *writeresponse.Client) error {
			return c.Write(context.Background(), "r", "t", writeresponse.Response{Status: http.StatusOK, Body: onlyReader{strings.NewReader("body")}, Size: -1})
		},
	}
	for name, f := range send {
		t.Run(name, func(t *testing.T) {
			srv, ch := fakeWGOR(t, http.StatusInternalServerError)
			err := f(newClient(srv.URL))
			require.Error(t, err)
			assert.Contains(t, err.Error(), "500", "the error names the status WGOR answered")
			next(t, ch)
			assertNoMore(t, ch)
		})
	}
}

func TestWriteCanceledContext(t *testing.T) {
	srv, _ := fakeWGOR(t, 0)
	c := newClient(srv.URL)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := c.Write(ctx, "r", "t", writeresponse.Response{Status: 200, Body: strings.NewReader("x"), Size: 1})
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
}
