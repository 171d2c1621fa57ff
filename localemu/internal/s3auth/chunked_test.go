package s3auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// signedTrailerRequest builds a STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER
// body. minio writes the trailer as minio-go does ("name:value\n", a
// blank line, then the signature); otherwise as AWS's documentation shows
// ("name:value\r\n" then the signature line). edit may change the body.
func signedTrailerRequest(t *testing.T, chunks []string, trailer string, minio bool, edit func(string) string) *http.Request {
	t.Helper()
	c, err := http.NewRequest("PUT", "http://127.0.0.1:9000/b/k", nil)
	require.NoError(t, err)
	c.Header.Set("X-Amz-Content-Sha256", streamingSignedTrailer)
	c.Header.Set("Content-Encoding", "aws-chunked")
	c.Header.Set("X-Amz-Trailer", "x-amz-checksum-crc32")
	c.Header.Set("X-Amz-Decoded-Content-Length", fmt.Sprint(len(strings.Join(chunks, ""))))
	require.NoError(t, v4.NewSigner().SignHTTP(context.Background(), testCreds, c, streamingSignedTrailer, "s3", "us-east-1", testNow))
	a := v4Auth{date: "20260102", region: "us-east-1", service: "s3", time: testNow, signature: authSignature(c.Header.Get("Authorization"))}
	key := signingKey("secret", a)
	prev := a.signature
	var body strings.Builder
	for _, ch := range append(chunks, "") {
		sum := sha256.Sum256([]byte(ch))
		sts := strings.Join([]string{"AWS4-HMAC-SHA256-PAYLOAD", testNow.Format(amzDateFormat), a.scope(), prev, emptySHA256, hex.EncodeToString(sum[:])}, "\n")
		prev = hex.EncodeToString(hmacSHA256(key, sts))
		fmt.Fprintf(&body, "%x;chunk-signature=%s\r\n", len(ch), prev)
		if ch != "" {
			body.WriteString(ch + "\r\n")
		}
	}
	sum := sha256.Sum256([]byte(trailer + "\n"))
	sts := strings.Join([]string{"AWS4-HMAC-SHA256-TRAILER", testNow.Format(amzDateFormat), a.scope(), prev, hex.EncodeToString(sum[:])}, "\n")
	sig := hex.EncodeToString(hmacSHA256(key, sts))
	if minio {
		body.WriteString(trailer + "\n\r\nx-amz-trailer-signature:" + sig + "\r\n\r\n")
	} else {
		body.WriteString(trailer + "\r\nx-amz-trailer-signature:" + sig + "\r\n\r\n")
	}
	raw := body.String()
	if edit != nil {
		raw = edit(raw)
	}
	c.Body = io.NopCloser(strings.NewReader(raw))
	c.ContentLength = int64(len(raw))
	return serverRequest(t, c)
}

func readChunked(t *testing.T, r *http.Request) (string, http.Header, error) {
	t.Helper()
	res, err := testVerifier().Verify(r, "")
	require.NoError(t, err)
	b, err := io.ReadAll(res.Body)
	return string(b), res.Trailer(), err
}

func TestChunkedSignedTrailer(t *testing.T) {
	const trailer = "x-amz-checksum-crc32:DUoRhQ=="
	for _, minio := range []bool{false, true} {
		t.Run(fmt.Sprint("minio-go framing=", minio), func(t *testing.T) {
			body, tr, err := readChunked(t, signedTrailerRequest(t, []string{"hello ", "world"}, trailer, minio, nil))
			require.NoError(t, err)
			assert.Equal(t, "hello world", body)
			assert.Equal(t, "DUoRhQ==", tr.Get("x-amz-checksum-crc32"))

			// The trailer's value is signed: changing it fails.
			_, _, err = readChunked(t, signedTrailerRequest(t, []string{"hello ", "world"}, trailer, minio,
				func(s string) string { return strings.Replace(s, "DUoRhQ==", "AAAAAA==", 1) }))
			assert.Equal(t, "SignatureDoesNotMatch", code(t, err))

			// So is its presence: no signature line fails.
			_, _, err = readChunked(t, signedTrailerRequest(t, []string{"hello"}, trailer, minio,
				func(s string) string { return s[:strings.Index(s, "x-amz-trailer-signature")] + "\r\n" }))
			assert.Contains(t, []string{"SignatureDoesNotMatch", "MalformedTrailerError"}, code(t, err))

			// A body that stops right after the signature line is complete.
			_, _, err = readChunked(t, signedTrailerRequest(t, []string{"hello ", "world"}, trailer, minio,
				func(s string) string { return strings.TrimSuffix(s, "\r\n") }))
			assert.NoError(t, err)
		})
	}
	_, _, err := readChunked(t, signedTrailerRequest(t, []string{"x"}, trailer, false,
		func(s string) string {
			return strings.Replace(s, "x-amz-trailer-signature:", "x-amz-checksum-sha1:AAAA\r\nx-amz-trailer-signature:", 1)
		}))
	assert.Equal(t, "SignatureDoesNotMatch", code(t, err), "an extra unsigned trailer")
}

// FuzzChunkReader feeds arbitrary bodies to the aws-chunked decoder, in
// the unsigned-trailer and signed-trailer modes: it must end in data or
// an error, never a panic or a hang.
func FuzzChunkReader(f *testing.F) {
	f.Add("5\r\nhello\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n", false)
	f.Add("0;chunk-signature=ab\r\nx-amz-checksum-crc32c:sOO8/Q==\n\r\nx-amz-trailer-signature:cd\r\n\r\n", true)
	f.Add("0\r\n\r\n\r\n", true)
	f.Fuzz(func(t *testing.T, body string, signed bool) {
		c := newChunkReader(io.NopCloser(strings.NewReader(body)), -1)
		if signed {
			c.signed, c.signedTrailer, c.key, c.prevSig = true, true, []byte("k"), "00"
		}
		n, err := io.Copy(io.Discard, c)
		if n > int64(len(body)) {
			t.Fatalf("decoded %d bytes from a %d-byte body", n, len(body))
		}
		if err == nil && signed {
			t.Fatalf("a forged signed body was accepted: %q", body)
		}
	})
}
