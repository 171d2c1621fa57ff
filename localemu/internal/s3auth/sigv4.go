package s3auth

import (
	"context"
	"crypto/hmac"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go/encoding/httpbinding"

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

func (a v4Auth) scope() string {
	return a.date + "/" + a.region + "/" + a.service + "/aws4_request"
}

var signer = v4.NewSigner(func(o *v4.SignerOptions) {
	// S3 signs the path as sent (no second escaping), and the headers we
	// hand the signer are exactly the ones the client signed.
	o.DisableURIPathEscaping = true
	o.DisableHeaderHoisting = true
})

// parseCredential splits "AKID/20240101/us-east-1/s3/aws4_request".
func (v *Verifier) parseCredential(a *v4Auth, cred string, malformed func(string, ...any) *s3err.Error) error {
	parts := strings.Split(cred, "/")
	if len(parts) != 5 || parts[4] != "aws4_request" {
		return malformed("the Credential %q is not AKID/date/region/service/aws4_request", cred)
	}
	a.accessKey, a.date, a.region, a.service = parts[0], parts[1], parts[2], parts[3]
	if a.region != v.Region {
		return malformed("the region '%s' is wrong; expecting '%s'", a.region, v.Region)
	}
	if !v.serviceAllowed(a.service) {
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
func (v *Verifier) parseV4Header(r *http.Request, auth string) (v4Auth, error) {
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
	if err := v.parseCredential(&a, fields["Credential"], headerMalformed); err != nil {
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

func (v *Verifier) verifyV4Header(r *http.Request, auth string) (*Result, error) {
	a, err := v.parseV4Header(r, auth)
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
	creds := aws.Credentials{AccessKeyID: a.accessKey, SecretAccessKey: secret}
	return v.accept(r, a, payload, secret, func(req *http.Request) string {
		if signer.SignHTTP(context.Background(), creds, req, payload, a.service, a.region, a.time) != nil {
			return ""
		}
		return authSignature(req.Header.Get("Authorization"))
	})
}

func (v *Verifier) verifyV4Query(r *http.Request) (*Result, error) {
	q := r.URL.Query()
	var a v4Auth
	if q.Get("X-Amz-Algorithm") != algorithmV4 {
		return nil, queryMalformed("X-Amz-Algorithm must be %s", algorithmV4)
	}
	if err := v.parseCredential(&a, q.Get("X-Amz-Credential"), queryMalformed); err != nil {
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
	creds := aws.Credentials{AccessKeyID: a.accessKey, SecretAccessKey: secret}
	return v.accept(r, a, payload, secret, func(req *http.Request) string {
		u, _, err := signer.PresignHTTP(context.Background(), creds, req, payload, a.service, a.region, a.time)
		if err != nil {
			return ""
		}
		_, sig, _ := strings.Cut(u, "X-Amz-Signature=")
		return sig
	})
}

// accept ends both SigV4 checks: the request must carry the signature
// sign computes for it (on one of the paths the client may have signed),
// and then its body is decoded as its payload header says.
func (v *Verifier) accept(r *http.Request, a v4Auth, payload, secret string, sign func(*http.Request) string) (*Result, error) {
	if !v.matchesAnyPath(r, sign, a) {
		return nil, signatureMismatch()
	}
	res, err := decodeBody(r, a, payload, secret)
	if err != nil {
		return nil, err
	}
	res.AccessKey, res.Service = a.accessKey, a.service
	return res, nil
}

// matchesAnyPath rebuilds the request the client signed (only the signed
// headers) and asks sign for the signature it yields, once with the path
// exactly as received and once with the path in AWS's canonical escaping,
// since clients differ in which of the two they put on the wire.
func (v *Verifier) matchesAnyPath(r *http.Request, sign func(*http.Request) string, a v4Auth) bool {
	raw := rawPath(r)
	candidates := []string{raw}
	if p := httpbinding.EscapePath(r.URL.Path, false); p != raw {
		candidates = append(candidates, p)
	}
	for _, p := range candidates {
		req, ok := rebuild(r, a, p)
		if !ok {
			return false
		}
		got := sign(req)
		if got != "" && hmac.Equal([]byte(got), []byte(a.signature)) {
			return true
		}
	}
	return false
}

// rawPath is the request path as it arrived on the wire.
func rawPath(r *http.Request) string {
	p, _, _ := strings.Cut(r.RequestURI, "?")
	if strings.HasPrefix(p, "/") {
		return p
	}
	return r.URL.EscapedPath()
}

// rebuild makes the request the client signed: same method, host, path and
// query (without the signature), and only the headers named as signed.
func rebuild(r *http.Request, a v4Auth, path string) (*http.Request, bool) {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	q := r.URL.Query()
	q.Del("X-Amz-Signature")
	req := &http.Request{
		Method: r.Method,
		URL:    &url.URL{Scheme: scheme, Opaque: "//" + r.Host + path, RawQuery: q.Encode()},
		Host:   r.Host,
		Header: http.Header{},
	}
	hasHost := false
	for _, name := range a.signedHeaders {
		switch name {
		case "host":
			hasHost = true
		case "content-length":
			n, err := strconv.ParseInt(r.Header.Get("Content-Length"), 10, 64)
			if err != nil {
				n = r.ContentLength
			}
			req.ContentLength = n
		default:
			vals := r.Header.Values(name)
			if name == "transfer-encoding" {
				vals = r.TransferEncoding
			}
			req.Header[http.CanonicalHeaderKey(name)] = vals
		}
	}
	return req, hasHost
}

// authSignature pulls "Signature=..." out of an Authorization header.
func authSignature(h string) string {
	_, sig, _ := strings.Cut(h, "Signature=")
	return strings.TrimSpace(sig)
}
