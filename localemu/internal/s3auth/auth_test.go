package s3auth

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/s3err"
)

var (
	testNow   = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	testCreds = aws.Credentials{AccessKeyID: "test", SecretAccessKey: "secret"}
)

func testVerifier() *Verifier {
	return &Verifier{
		Secret: func(ak string) (string, bool) { return map[string]string{"test": "secret"}[ak], ak == "test" },
		Region: "us-east-1",
		Now:    func() time.Time { return testNow },
	}
}

// serverRequest turns a client request into what a server receives.
func serverRequest(t *testing.T, c *http.Request) *http.Request {
	t.Helper()
	r := httptest.NewRequest(c.Method, c.URL.String(), c.Body)
	r.Header = c.Header.Clone()
	r.Host = c.URL.Host
	r.ContentLength = c.ContentLength
	return r
}

func signedRequest(t *testing.T, method, url, body, payloadHash string) *http.Request {
	t.Helper()
	c, err := http.NewRequest(method, url, strings.NewReader(body))
	require.NoError(t, err)
	c.Header.Set("X-Amz-Content-Sha256", payloadHash)
	c.Header.Set("Content-Type", "text/plain")
	require.NoError(t, v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true }).
		SignHTTP(context.Background(), testCreds, c, payloadHash, "s3", "us-east-1", testNow))
	return serverRequest(t, c)
}

func code(t *testing.T, err error) string {
	t.Helper()
	require.Error(t, err)
	return s3err.From(err).Code
}

func TestHeaderSignedPayload(t *testing.T) {
	sum := sha256.Sum256([]byte("hello"))
	r := signedRequest(t, "PUT", "http://127.0.0.1:9000/b/some%20key/..%2F", "hello", hex.EncodeToString(sum[:]))
	res, err := testVerifier().Verify(r, "")
	require.NoError(t, err)
	assert.Equal(t, "test", res.AccessKey)
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	assert.Equal(t, "hello", string(b))
}

func TestHeaderWrongPayloadHash(t *testing.T) {
	sum := sha256.Sum256([]byte("other"))
	r := signedRequest(t, "PUT", "http://127.0.0.1:9000/b/k", "hello", hex.EncodeToString(sum[:]))
	res, err := testVerifier().Verify(r, "")
	require.NoError(t, err)
	_, err = io.ReadAll(res.Body)
	assert.Equal(t, "XAmzContentSHA256Mismatch", code(t, err))
}

func TestHeaderErrors(t *testing.T) {
	v := testVerifier()
	r := signedRequest(t, "GET", "http://127.0.0.1:9000/b/k?x-id=GetObject", "", unsignedPayload)
	r.Header.Set("Content-Type", "text/html") // a signed header changed
	_, err := v.Verify(r, "")
	assert.Equal(t, "SignatureDoesNotMatch", code(t, err))

	r = signedRequest(t, "GET", "http://127.0.0.1:9000/b/k", "", unsignedPayload)
	r.URL.RawQuery = "acl"
	_, err = v.Verify(r, "")
	assert.Equal(t, "SignatureDoesNotMatch", code(t, err))

	r = signedRequest(t, "GET", "http://127.0.0.1:9000/b/k", "", unsignedPayload)
	r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "Credential=test/", "Credential=nobody/", 1))
	_, err = v.Verify(r, "")
	assert.Equal(t, "InvalidAccessKeyId", code(t, err))

	r = signedRequest(t, "GET", "http://127.0.0.1:9000/b/k", "", unsignedPayload)
	v.Now = func() time.Time { return testNow.Add(time.Hour) }
	_, err = v.Verify(r, "")
	assert.Equal(t, "RequestTimeTooSkewed", code(t, err))

	r = httptest.NewRequest("GET", "http://127.0.0.1:9000/b/k", nil)
	_, err = v.Verify(r, "")
	assert.Equal(t, "AccessDenied", code(t, err))
}

func presigned(t *testing.T, url string, expires int) *http.Request {
	t.Helper()
	c, err := http.NewRequest("GET", fmt.Sprintf("%s?X-Amz-Expires=%d", url, expires), nil)
	require.NoError(t, err)
	u, h, err := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true }).
		PresignHTTP(context.Background(), testCreds, c, unsignedPayload, "s3", "us-east-1", testNow)
	require.NoError(t, err)
	c, err = http.NewRequest("GET", u, nil)
	require.NoError(t, err)
	for k, v := range h {
		if k != "Host" {
			c.Header[k] = v
		}
	}
	return serverRequest(t, c)
}

func TestPresignedV4(t *testing.T) {
	v := testVerifier()
	_, err := v.Verify(presigned(t, "http://b.localhost:9000/a/b%C3%A9", 60), "b")
	require.NoError(t, err)

	v.Now = func() time.Time { return testNow.Add(61 * time.Second) }
	_, err = v.Verify(presigned(t, "http://127.0.0.1:9000/b/k", 60), "")
	require.Equal(t, "AccessDenied", code(t, err))
	assert.Equal(t, "Request has expired", s3err.From(err).Message)

	r := presigned(t, "http://127.0.0.1:9000/b/k", 60)
	r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "X-Amz-Expires=60", "X-Amz-Expires=600", 1)
	v.Now = func() time.Time { return testNow }
	_, err = v.Verify(r, "")
	assert.Equal(t, "SignatureDoesNotMatch", code(t, err))
}

func TestPresignedV2(t *testing.T) {
	v := testVerifier()
	exp := testNow.Add(time.Minute).Unix()
	r := httptest.NewRequest("GET", fmt.Sprintf("http://127.0.0.1:9000/b/k?versionId=3&AWSAccessKeyId=test&Expires=%d", exp), nil)
	sig := signV2(stringToSignV2(r, "", fmt.Sprint(exp)))
	r = httptest.NewRequest("GET", r.URL.String()+"&Signature="+urlEscape(sig), nil)
	_, err := v.Verify(r, "")
	require.NoError(t, err)

	v.Now = func() time.Time { return testNow.Add(2 * time.Minute) }
	_, err = v.Verify(r, "")
	assert.Equal(t, "AccessDenied", code(t, err))

	v.Now = func() time.Time { return testNow }
	r = httptest.NewRequest("GET", strings.Replace(r.URL.String(), "/b/k", "/b/other", 1), nil)
	_, err = v.Verify(r, "")
	assert.Equal(t, "SignatureDoesNotMatch", code(t, err))
}

// chunkedRequest builds an aws-chunked body the way the SDKs do.
func chunkedRequest(t *testing.T, payload string, chunks []string, trailer string, decodedLen bool) *http.Request {
	t.Helper()
	c, err := http.NewRequest("PUT", "http://127.0.0.1:9000/b/k", nil)
	require.NoError(t, err)
	c.Header.Set("X-Amz-Content-Sha256", payload)
	c.Header.Set("Content-Encoding", "aws-chunked")
	total := 0
	for _, ch := range chunks {
		total += len(ch)
	}
	if decodedLen {
		c.Header.Set("X-Amz-Decoded-Content-Length", fmt.Sprint(total))
	}
	require.NoError(t, v4.NewSigner().SignHTTP(context.Background(), testCreds, c, payload, "s3", "us-east-1", testNow))
	a := v4Auth{date: "20260102", region: "us-east-1", service: "s3", time: testNow, signature: authSignature(c.Header.Get("Authorization"))}
	key := signingKey("secret", a)
	prev := a.signature
	var body strings.Builder
	for _, ch := range append(chunks, "") {
		if payload == streamingUnsignedTrail {
			fmt.Fprintf(&body, "%x\r\n", len(ch))
		} else {
			sum := sha256.Sum256([]byte(ch))
			sts := strings.Join([]string{"AWS4-HMAC-SHA256-PAYLOAD", testNow.Format(amzDateFormat), a.scope(), prev, emptySHA256, hex.EncodeToString(sum[:])}, "\n")
			prev = hex.EncodeToString(hmacSHA256(key, sts))
			fmt.Fprintf(&body, "%x;chunk-signature=%s\r\n", len(ch), prev)
		}
		if ch != "" {
			body.WriteString(ch + "\r\n")
		}
	}
	body.WriteString(trailer + "\r\n")
	c.Body = io.NopCloser(strings.NewReader(body.String()))
	c.ContentLength = int64(body.Len())
	return serverRequest(t, c)
}

func TestChunkedSigned(t *testing.T) {
	r := chunkedRequest(t, streamingSigned, []string{"hello ", "world"}, "", true)
	res, err := testVerifier().Verify(r, "")
	require.NoError(t, err)
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	assert.Equal(t, "hello world", string(b))

	r = chunkedRequest(t, streamingSigned, []string{"hello ", "world"}, "", true)
	raw, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(strings.NewReader(strings.Replace(string(raw), "world", "wordl", 1)))
	res, err = testVerifier().Verify(r, "")
	require.NoError(t, err)
	_, err = io.ReadAll(res.Body)
	assert.Equal(t, "SignatureDoesNotMatch", code(t, err))
}

func TestChunkedUnsignedTrailer(t *testing.T) {
	for _, withLen := range []bool{true, false} {
		r := chunkedRequest(t, streamingUnsignedTrail, []string{"hello ", "world"}, "x-amz-checksum-crc32:DUoRhQ==\r\n", withLen)
		res, err := testVerifier().Verify(r, "")
		require.NoError(t, err)
		b, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		assert.Equal(t, "hello world", string(b))
		assert.Equal(t, "DUoRhQ==", res.Trailer().Get("x-amz-checksum-crc32"))
	}
	r := chunkedRequest(t, streamingUnsignedTrail, []string{"hello"}, "", false)
	raw, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(strings.NewReader(string(raw[:6])))
	res, err := testVerifier().Verify(r, "")
	require.NoError(t, err)
	_, err = io.ReadAll(res.Body)
	assert.Equal(t, "IncompleteBody", code(t, err))
}

func TestChunkedGarbageNeverPanics(t *testing.T) {
	for _, body := range []string{"", "zz\r\n", "ffffffffffffffffffff\r\n", "5\r\nab", strings.Repeat("1", 10000), "0\r\nbad trailer\r\n\r\n"} {
		c := newChunkReader(io.NopCloser(strings.NewReader(body)), -1)
		_, err := io.ReadAll(c)
		assert.Error(t, err, "%q", body)
	}
}

func signV2(sts string) string {
	m := hmac.New(sha1.New, []byte("secret"))
	m.Write([]byte(sts))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

func urlEscape(s string) string { return url.QueryEscape(s) }
