package objectlambda

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// presignTTL is how long an inputS3Url lives, as S3's do.
const presignTTL = 61 * time.Second

// authHeaders are removed from userRequest.headers, as S3 removes them.
var authHeaders = map[string]bool{"Authorization": true, "X-Amz-Security-Token": true}

// event builds the event S3 sends for this request. kind is "get", "head",
// "list" or "listv2"; the input URL is presigned as the caller, for the
// supporting bucket, over the headers newer SDKs make S3 sign
// (x-amz-checksum-mode when the caller sent it).
func (inv *invocation) event(kind, token string) (events.S3ObjectLambdaEvent, error) {
	h := inv.h
	method, target := http.MethodGet, h.endpoint(inv.r)+"/"+inv.ap.Bucket
	switch kind {
	case "get", "head":
		target += "/" + escapeKey(inv.route.Key)
		if kind == "head" {
			method = http.MethodHead
		}
	default:
		target += "?" + listQuery(inv.r.URL.Query()).Encode()
	}
	input, err := inv.presign(method, target)
	if err != nil {
		return events.S3ObjectLambdaEvent{}, err
	}
	// Repeated headers comma-joined, auth headers removed, Host included.
	headers := map[string]string{"Host": inv.r.Host}
	for k, v := range inv.r.Header {
		if !authHeaders[http.CanonicalHeaderKey(k)] {
			headers[k] = strings.Join(v, ",")
		}
	}
	ak := inv.auth.AccessKey
	ev := events.S3ObjectLambdaEvent{
		XAmzRequestID: requestID(),
		Configuration: events.S3ObjectLambdaConfiguration{
			AccessPointARN:           h.ARN(inv.ap.Name),
			SupportingAccessPointARN: "arn:aws:s3:" + h.cfg.Region + ":" + h.cfg.Account + ":accesspoint/" + inv.ap.Bucket,
			Payload:                  inv.ap.Payload,
		},
		UserRequest: events.S3ObjectLambdaUserRequest{URL: inv.userURL(), Headers: headers},
		UserIdentity: events.S3ObjectLambdaUserIdentity{
			Type: "IAMUser", PrincipalID: ak, AccountID: h.cfg.Account, AccessKeyID: ak,
			ARN: "arn:aws:iam::" + h.cfg.Account + ":user/" + ak,
		},
		ProtocolVersion: "1.00",
	}
	switch kind {
	case "get":
		ev.GetObjectContext = &events.S3ObjectLambdaGetObjectContext{InputS3URL: input, OutputRoute: "io-local-001", OutputToken: token}
	case "head":
		ev.HeadObjectContext = &events.S3ObjectLambdaHeadObjectContext{InputS3URL: input}
	case "list":
		ev.ListObjectsContext = &events.S3ObjectLambdaListObjectsContext{InputS3URL: input}
	case "listv2":
		ev.ListObjectsV2Context = &events.S3ObjectLambdaListObjectsV2Context{InputS3URL: input}
		ev.ProtocolVersion = "1.01"
	}
	return ev, nil
}

// presigner keeps x-amz-checksum-mode a signed header, as S3 does
// (X-Amz-SignedHeaders=host;x-amz-checksum-mode), rather than hoisting it
// into the query: a function must send it, or S3 answers 403.
var presigner = v4.NewSigner(func(o *v4.SignerOptions) { o.DisableHeaderHoisting = true })

// presign signs method on target as the caller, for service s3.
func (inv *invocation) presign(method, target string) (string, error) {
	secret, _ := inv.h.cfg.Secret(inv.auth.AccessKey)
	req, err := http.NewRequest(method, target, nil)
	if err != nil {
		return "", err
	}
	q := req.URL.Query()
	q.Set("X-Amz-Expires", "61")
	req.URL.RawQuery = q.Encode()
	if v := inv.r.Header.Get("X-Amz-Checksum-Mode"); v != "" {
		req.Header.Set("X-Amz-Checksum-Mode", v)
	}
	creds := aws.Credentials{AccessKeyID: inv.auth.AccessKey, SecretAccessKey: secret}
	u, _, err := presigner.PresignHTTP(context.Background(), creds, req, "UNSIGNED-PAYLOAD", "s3", inv.h.cfg.Region, time.Now().UTC())
	return u, err
}

// userURL is the caller's URL as S3 reports it: the access point's own
// host (so the path is the key), the query less its auth parameters.
func (inv *invocation) userURL() string {
	u := url.URL{Scheme: "https", Host: inv.ap.Name + "-" + inv.h.cfg.Account + ".s3-object-lambda." + inv.h.cfg.Region + ".amazonaws.com", Path: "/" + inv.route.Key}
	q := inv.r.URL.Query()
	for k := range q {
		if strings.HasPrefix(k, "X-Amz-") || k == "AWSAccessKeyId" || k == "Signature" || k == "Expires" || k == "x-id" {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// listQuery keeps the listing parameters of the caller's query.
func listQuery(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		if !strings.HasPrefix(k, "X-Amz-") && k != "x-id" {
			out[k] = v
		}
	}
	return out
}

// escapeKey escapes a key for a URL path, keeping its slashes.
func escapeKey(key string) string {
	parts := strings.Split(key, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.Join(parts, "/")
}
