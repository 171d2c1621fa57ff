package s3auth

import (
	"bufio"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/olkit/olkit/s3err"
)

// FuzzVerify: whatever request arrives (its request line, headers,
// Authorization header, presigned query), Verify answers an S3 error or an
// authenticated result, never a panic; and it never authenticates a
// request it cannot have a signature for (the fuzzer does not know the
// secret).
func FuzzVerify(f *testing.F) {
	for _, s := range []string{
		"GET /b/k HTTP/1.1\r\nHost: h\r\nX-Amz-Date: 20260102T030405Z\r\nX-Amz-Content-Sha256: UNSIGNED-PAYLOAD\r\n" +
			"Authorization: AWS4-HMAC-SHA256 Credential=test/20260102/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=00\r\n\r\n",
		"GET /b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=test%2F20260102%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20260102T030405Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=00 HTTP/1.1\r\nHost: h\r\n\r\n",
		"PUT /b/k HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\nx-amz-meta-a: b\r\nx-amz-meta-a: c\r\nAuthorization: AWS4-HMAC-SHA256 Credential=test/20260102/us-east-1/s3-object-lambda/aws4_request,SignedHeaders=content-length;host,Signature=\r\n\r\n",
		"GET /?Signature=x&AWSAccessKeyId=test&Expires=1 HTTP/1.1\r\nHost: h\r\nAuthorization: AWS x:y\r\n\r\n",
	} {
		f.Add(s, "")
		f.Add(s, serviceObjectLambda)
	}
	f.Fuzz(func(t *testing.T, raw, want string) {
		r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw)))
		if err != nil {
			return
		}
		v := testVerifier()
		res, err := v.VerifyFor(r, "", want)
		if err == nil {
			io.Copy(io.Discard, res.Body)
			t.Fatalf("authenticated a request the fuzzer could not sign:\n%q", raw)
		}
		if e := s3err.From(err); e.Status < 400 || e.Code == "" || e.Code == "InternalError" {
			t.Fatalf("not an S3 error: %v", err)
		}
	})
}
