// Package s3auth authenticates S3 requests the way S3 does: SigV4 in the
// Authorization header or in a presigned query string, SigV2 presigned URLs
// (boto3's and `aws s3 presign`'s default), and the payload forms clients
// send (a signed SHA-256, UNSIGNED-PAYLOAD, and aws-chunked bodies with
// chunk signatures or trailing checksums). It hands back the decoded body as
// a stream: nothing is buffered, and a body whose hash or chunk signature is
// wrong fails on the read that discovers it, so a store that commits only
// after a clean EOF never keeps bad data.
package s3auth

import (
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/olkit/olkit/s3err"
)

// Verifier checks requests against a set of credentials.
type Verifier struct {
	// Secret returns the secret key of accessKey, or false when it is unknown.
	Secret func(accessKey string) (string, bool)
	// Region is the only region a SigV4 scope may name.
	Region string
	// Services are the SigV4 service names accepted; empty means "s3".
	Services []string
	// Now is the clock for expiry and skew checks; nil means time.Now.
	Now func() time.Time
}

// Result is an authenticated request.
type Result struct {
	AccessKey string
	Service   string // SigV4 service name ("s3" for SigV2)
	// Body is the decoded payload: aws-chunked framing removed, hashes and
	// chunk signatures checked as it is read.
	Body io.ReadCloser
	// DecodedLength is the payload's length when known, else -1.
	DecodedLength int64
	// Trailer returns the trailing headers of an aws-chunked body (the
	// x-amz-checksum-* values); it is complete only after Body hit EOF.
	Trailer func() http.Header
}

// maxSkew is how far a header-signed request's date may be from the clock.
const maxSkew = 15 * time.Minute

// Verify authenticates r. vhostBucket is the bucket named by the Host
// header in virtual-host addressing ("" for path style); SigV2 signs it as
// part of the resource. A SigV4 scope may name any of v.Services. Errors
// are *s3err.Error with S3's status and code.
func (v *Verifier) Verify(r *http.Request, vhostBucket string) (*Result, error) {
	return v.verify(r, vhostBucket, "")
}

// VerifyFor authenticates r as sent to the endpoint of service: a SigV4
// scope naming another service is refused, and so is SigV2 unless service
// is s3. Object Lambda ARNs and WriteGetObjectResponse are
// s3-object-lambda's.
func (v *Verifier) VerifyFor(r *http.Request, vhostBucket, service string) (*Result, error) {
	return v.verify(r, vhostBucket, service)
}

func (v *Verifier) verify(r *http.Request, vhostBucket, want string) (*Result, error) {
	q := r.URL.Query()
	auth := r.Header.Get("Authorization")
	v4Query := q.Has("X-Amz-Algorithm") || q.Has("X-Amz-Signature")
	v2Query := q.Has("Signature") || q.Has("AWSAccessKeyId")
	if mechanisms(auth != "", v4Query, v2Query) > 1 {
		return nil, s3err.New(http.StatusBadRequest, "InvalidArgument", "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified")
	}
	v2 := strings.HasPrefix(auth, "AWS ") || auth == "" && v2Query
	if v2 && want != "" && want != "s3" {
		return nil, s3err.InvalidRequest("The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.")
	}
	switch {
	case strings.HasPrefix(auth, algorithmV4+" "):
		return v.verifyV4Header(r, auth, want)
	case strings.HasPrefix(auth, "AWS "):
		return v.verifyV2(r, vhostBucket, auth)
	case auth != "":
		return nil, s3err.New(http.StatusBadRequest, "InvalidArgument", "Unsupported Authorization Type")
	case v4Query:
		return v.verifyV4Query(r, want)
	case v2Query:
		return v.verifyV2(r, vhostBucket, "")
	}
	return nil, s3err.New(http.StatusForbidden, "AccessDenied", "Access Denied: the request is not signed")
}

// mechanisms counts the authentication mechanisms a request uses.
func mechanisms(used ...bool) int {
	n := 0
	for _, u := range used {
		if u {
			n++
		}
	}
	return n
}

func (v *Verifier) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

func (v *Verifier) secret(accessKey string) (string, error) {
	if v.Secret != nil {
		if s, ok := v.Secret(accessKey); ok {
			return s, nil
		}
	}
	return "", s3err.New(http.StatusForbidden, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.")
}

func (v *Verifier) serviceAllowed(s string) bool {
	if len(v.Services) == 0 {
		return s == "s3"
	}
	for _, x := range v.Services {
		if x == s {
			return true
		}
	}
	return false
}

func signatureMismatch() *s3err.Error {
	return s3err.New(http.StatusForbidden, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.")
}

// plainBody wraps a body that needs no decoding.
func plainBody(r *http.Request) *Result {
	body := r.Body
	if body == nil {
		body = http.NoBody
	}
	return &Result{Body: body, DecodedLength: r.ContentLength, Trailer: func() http.Header { return nil }}
}

// Anonymous returns r as an unauthenticated request (AccessKey "") when it
// carries no signature at all: no Authorization header and no signature
// query parameters. ok is false for any request that tries to sign, which
// Verify then checks; S3 serves anonymous requests where ACLs or a bucket
// policy allow everyone.
func Anonymous(r *http.Request) (*Result, bool) {
	q := r.URL.Query()
	for _, k := range []string{"X-Amz-Algorithm", "X-Amz-Signature", "X-Amz-Credential", "Signature", "AWSAccessKeyId"} {
		if q.Has(k) {
			return nil, false
		}
	}
	if _, ok := r.Header["Authorization"]; ok {
		return nil, false
	}
	res := plainBody(r)
	res.Service = "s3"
	return res, true
}
