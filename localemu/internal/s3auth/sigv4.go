package s3auth

import (
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/olkit/olkit/s3err"
)

const (
	algorithmV4     = "AWS4-HMAC-SHA256"
	amzDateFormat   = "20060102T150405Z"
	unsignedPayload = "UNSIGNED-PAYLOAD"
	maxPresignAge   = 7 * 24 * time.Hour
)

// v4Auth is what a SigV4 request claims: who, when, for which scope, over
// which headers, with which signature.
type v4Auth struct {
	accessKey, date, region, service string
	signedHeaders                    []string
	signature                        string
	time                             time.Time
}

// mismatch is the error for a signature that is not the request's: the
// s3-object-lambda endpoint answers 400 InvalidSignature (what callers of
// WriteGetObjectResponse and of Object Lambda ARNs report from AWS:
// aws-sdk-php #2228 and #2328, aws-cli #7456), S3 403 SignatureDoesNotMatch.
func (a v4Auth) mismatch() *s3err.Error {
	if a.service == serviceObjectLambda {
		return invalidSignature()
	}
	return signatureMismatch()
}

func invalidSignature() *s3err.Error {
	return s3err.New(http.StatusBadRequest, "InvalidSignature", "Invalid signature.")
}

// serviceObjectLambda is the SigV4 service name of Object Lambda access
// point ARNs and of WriteGetObjectResponse.
const serviceObjectLambda = "s3-object-lambda"

func (a v4Auth) scope() string {
	return a.date + "/" + a.region + "/" + a.service + "/aws4_request"
}

// parseCredential splits "AKID/20240101/us-east-1/s3/aws4_request".
func (v *Verifier) parseCredential(a *v4Auth, cred, want string, malformed func(string, ...any) *s3err.Error) error {
	parts := strings.Split(cred, "/")
	if len(parts) != 5 || parts[4] != "aws4_request" {
		return malformed("the Credential %q is not AKID/date/region/service/aws4_request", cred)
	}
	a.accessKey, a.date, a.region, a.service = parts[0], parts[1], parts[2], parts[3]
	if a.region != v.Region {
		return malformed("the region '%s' is wrong; expecting '%s'", a.region, v.Region)
	}
	switch {
	case want == serviceObjectLambda && a.service != want:
		// A request to the s3-object-lambda endpoint signed for another
		// service (s3, typically) does not verify there.
		return invalidSignature()
	case want != "" && a.service != want:
		return malformed("the service '%s' is wrong; expecting '%s'", a.service, want)
	case want == "" && !v.serviceAllowed(a.service):
		return malformed("the service '%s' is not served here", a.service)
	}
	return nil
}

func (v *Verifier) parseDate(a *v4Auth, s string, malformed func(string, ...any) *s3err.Error) error {
	t, err := time.Parse(amzDateFormat, s)
	if err != nil {
		return malformed("X-Amz-Date %q is not in the form 20060102T150405Z", s)
	}
	a.time = t
	if t.Format("20060102") != a.date {
		return malformed("the credential date %s does not match X-Amz-Date %s", a.date, s)
	}
	return nil
}

func headerMalformed(format string, args ...any) *s3err.Error {
	return s3err.New(http.StatusBadRequest, "AuthorizationHeaderMalformed", "The authorization header is malformed; "+format, args...)
}

func queryMalformed(format string, args ...any) *s3err.Error {
	return s3err.New(http.StatusBadRequest, "AuthorizationQueryParametersError", "Error parsing the X-Amz-Credential parameter; "+format, args...)
}

// parseV4Header reads "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...".
func (v *Verifier) parseV4Header(r *http.Request, auth, want string) (v4Auth, error) {
	var a v4Auth
	fields := map[string]string{}
	for _, f := range strings.Split(strings.TrimPrefix(auth, algorithmV4), ",") {
		k, val, ok := strings.Cut(strings.TrimSpace(f), "=")
		if ok {
			fields[k] = val
		}
	}
	if fields["Credential"] == "" || fields["SignedHeaders"] == "" || fields["Signature"] == "" {
		return a, headerMalformed("it needs Credential, SignedHeaders and Signature")
	}
	if err := v.parseCredential(&a, fields["Credential"], want, headerMalformed); err != nil {
		return a, err
	}
	a.signedHeaders = strings.Split(fields["SignedHeaders"], ";")
	a.signature = fields["Signature"]
	date := r.Header.Get("X-Amz-Date")
	if date == "" {
		return a, s3err.New(http.StatusForbidden, "AccessDenied", "AWS authentication requires a valid Date or x-amz-date header")
	}
	return a, v.parseDate(&a, date, headerMalformed)
}

func (v *Verifier) verifyV4Header(r *http.Request, auth, want string) (*Result, error) {
	a, err := v.parseV4Header(r, auth, want)
	if err != nil {
		return nil, err
	}
	secret, err := v.secret(a.accessKey)
	if err != nil {
		return nil, err
	}
	if d := v.now().Sub(a.time); d > maxSkew || d < -maxSkew {
		return nil, s3err.New(http.StatusForbidden, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large.")
	}
	payload := r.Header.Get("X-Amz-Content-Sha256")
	if payload == "" {
		return nil, s3err.InvalidRequest("Missing required header for this request: x-amz-content-sha256")
	}
	return v.accept(r, a, payload, secret, false)
}

func (v *Verifier) verifyV4Query(r *http.Request, want string) (*Result, error) {
	q := r.URL.Query()
	var a v4Auth
	if q.Get("X-Amz-Algorithm") != algorithmV4 {
		return nil, queryMalformed("X-Amz-Algorithm must be %s", algorithmV4)
	}
	if err := v.parseCredential(&a, q.Get("X-Amz-Credential"), want, queryMalformed); err != nil {
		return nil, err
	}
	if err := v.parseDate(&a, q.Get("X-Amz-Date"), queryMalformed); err != nil {
		return nil, err
	}
	a.signedHeaders = strings.Split(q.Get("X-Amz-SignedHeaders"), ";")
	a.signature = q.Get("X-Amz-Signature")
	expires, err := strconv.Atoi(q.Get("X-Amz-Expires"))
	if err != nil || expires < 0 || time.Duration(expires)*time.Second > maxPresignAge {
		return nil, queryMalformed("X-Amz-Expires must be a number of seconds from 0 to 604800")
	}
	secret, err := v.secret(a.accessKey)
	if err != nil {
		return nil, err
	}
	now := v.now()
	if now.After(a.time.Add(time.Duration(expires) * time.Second)) {
		return nil, s3err.New(http.StatusForbidden, "AccessDenied", "Request has expired")
	}
	if a.time.After(now.Add(maxSkew)) {
		return nil, s3err.New(http.StatusForbidden, "AccessDenied", "Request is not valid yet")
	}
	payload := q.Get("X-Amz-Content-Sha256")
	if payload == "" {
		payload = unsignedPayload
	}
	return v.accept(r, a, payload, secret, true)
}

// accept ends both SigV4 checks: every x-amz-* header the request
// carries must be signed, the signature must be the one the request
// yields, and then its body is decoded as its payload header says.
func (v *Verifier) accept(r *http.Request, a v4Auth, payload, secret string, presigned bool) (*Result, error) {
	if err := allAmzSigned(r, a); err != nil {
		return nil, err
	}
	if !slices.Contains(a.signedHeaders, "host") || !signatureMatches(r, a, payload, secret, presigned) {
		return nil, a.mismatch()
	}
	res, err := decodeBody(r, a, payload, secret)
	if err != nil {
		return nil, err
	}
	res.AccessKey, res.Service = a.accessKey, a.service
	return res, nil
}

// allAmzSigned refuses a request carrying an x-amz-* header its signature
// does not cover, as S3 does (403 AccessDenied, the headers named in
// HeadersNotSigned): otherwise anyone holding a signed request could add
// x-amz-acl or user metadata to it.
func allAmzSigned(r *http.Request, a v4Auth) error {
	var unsigned []string
	for k := range r.Header {
		name := strings.ToLower(k)
		if strings.HasPrefix(name, "x-amz-") && !slices.Contains(a.signedHeaders, name) {
			unsigned = append(unsigned, name)
		}
	}
	if len(unsigned) == 0 {
		return nil
	}
	sort.Strings(unsigned)
	return s3err.New(http.StatusForbidden, "AccessDenied", "There were headers present in the request which were not signed (HeadersNotSigned: %s)", strings.Join(unsigned, ", "))
}

// authSignature pulls "Signature=..." out of an Authorization header.
func authSignature(h string) string {
	_, sig, _ := strings.Cut(h, "Signature=")
	return strings.TrimSpace(sig)
}
