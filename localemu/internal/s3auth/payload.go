package s3auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/olkit/olkit/s3err"
)

// The x-amz-content-sha256 values that announce an aws-chunked body.
const (
	streamingSigned         = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
	streamingSignedTrailer  = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
	streamingUnsignedTrail  = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
	emptySHA256             = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	maxChunkHeaderLineBytes = 4096
)

// decodeBody wraps r.Body according to the payload hash the client signed.
func decodeBody(r *http.Request, a v4Auth, payload, secret string) (*Result, error) {
	switch payload {
	case unsignedPayload:
		return plainBody(r), nil
	case streamingSigned, streamingSignedTrailer, streamingUnsignedTrail:
		return chunkedBody(r, a, payload, secret)
	}
	if len(payload) != 64 || strings.Trim(payload, "0123456789abcdef") != "" {
		return nil, s3err.New(http.StatusBadRequest, "InvalidArgument", "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-... or a hex SHA-256; got %q", payload)
	}
	res := plainBody(r)
	res.Body = &hashCheckReader{rc: res.Body, h: sha256.New(), want: payload}
	return res, nil
}

// hashCheckReader fails the read that reaches EOF when the body's SHA-256
// is not the one the client signed.
type hashCheckReader struct {
	rc   io.ReadCloser
	h    hash.Hash
	want string
}

func (h *hashCheckReader) Read(p []byte) (int, error) {
	n, err := h.rc.Read(p)
	h.h.Write(p[:n])
	if err == io.EOF && hex.EncodeToString(h.h.Sum(nil)) != h.want {
		return n, s3err.New(http.StatusBadRequest, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.")
	}
	return n, err
}

func (h *hashCheckReader) Close() error { return h.rc.Close() }

// signingKey derives the SigV4 key for a scope (the HMAC chain AWS documents).
func signingKey(secret string, a v4Auth) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), a.date)
	k = hmacSHA256(k, a.region)
	k = hmacSHA256(k, a.service)
	return hmacSHA256(k, "aws4_request")
}

func hmacSHA256(key []byte, s string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(s))
	return m.Sum(nil)
}

func chunkedBody(r *http.Request, a v4Auth, payload, secret string) (*Result, error) {
	decoded := int64(-1)
	if s := r.Header.Get("X-Amz-Decoded-Content-Length"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			return nil, s3err.New(http.StatusBadRequest, "InvalidArgument", "x-amz-decoded-content-length %q is not a length", s)
		}
		decoded = n
	} else if payload == streamingSigned {
		return nil, s3err.New(http.StatusLengthRequired, "MissingContentLength", "x-amz-decoded-content-length is required with %s", payload)
	}
	body := r.Body
	if body == nil {
		body = http.NoBody
	}
	c := newChunkReader(body, decoded)
	if payload != streamingUnsignedTrail {
		c.signed = true
		c.key = signingKey(secret, a)
		c.amzDate = a.time.Format(amzDateFormat)
		c.scope = a.scope()
		c.prevSig = a.signature
		c.signedTrailer = payload == streamingSignedTrailer
	}
	return &Result{Body: c, DecodedLength: decoded, Trailer: func() http.Header { return c.trailer }}, nil
}
