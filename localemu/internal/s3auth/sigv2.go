package s3auth

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/olkit/olkit/s3err"
)

// subresources are the query parameters SigV2 signs as part of the resource
// (the list botocore's HmacV1 signer uses).
var subresources = map[string]bool{
	"accelerate": true, "acl": true, "cors": true, "defaultObjectAcl": true, "location": true,
	"logging": true, "partNumber": true, "policy": true, "requestPayment": true, "torrent": true,
	"versioning": true, "versionId": true, "versions": true, "website": true, "uploads": true,
	"uploadId": true, "response-content-type": true, "response-content-language": true,
	"response-expires": true, "response-cache-control": true, "response-content-disposition": true,
	"response-content-encoding": true, "delete": true, "lifecycle": true, "tagging": true,
	"restore": true, "storageClass": true, "notification": true, "replication": true,
	"analytics": true, "metrics": true, "inventory": true, "select": true, "select-type": true,
	"object-lock": true, "retention": true, "legal-hold": true,
}

// verifyV2 checks a SigV2 request: presigned (AWSAccessKeyId, Signature,
// Expires in the query) when auth is empty, else "AWS AKID:signature".
func (v *Verifier) verifyV2(r *http.Request, vhostBucket, auth string) (*Result, error) {
	q := r.URL.Query()
	accessKey, sig, dateOrExpires := q.Get("AWSAccessKeyId"), q.Get("Signature"), q.Get("Expires")
	if auth != "" {
		var ok bool
		accessKey, sig, ok = strings.Cut(strings.TrimPrefix(auth, "AWS "), ":")
		if !ok {
			return nil, s3err.New(http.StatusBadRequest, "InvalidArgument", "the Authorization header must be AWS AccessKeyId:Signature")
		}
		dateOrExpires = r.Header.Get("Date")
		if r.Header.Get("X-Amz-Date") != "" {
			dateOrExpires = ""
		}
	} else {
		if accessKey == "" || sig == "" || dateOrExpires == "" {
			return nil, s3err.New(http.StatusForbidden, "AccessDenied", "Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters")
		}
		exp, err := strconv.ParseInt(dateOrExpires, 10, 64)
		if err != nil {
			return nil, s3err.New(http.StatusForbidden, "AccessDenied", "Expires %q is not a Unix time", dateOrExpires)
		}
		if v.now().After(time.Unix(exp, 0)) {
			return nil, s3err.New(http.StatusForbidden, "AccessDenied", "Request has expired")
		}
	}
	secret, err := v.secret(accessKey)
	if err != nil {
		return nil, err
	}
	sts := stringToSignV2(r, vhostBucket, dateOrExpires)
	m := hmac.New(sha1.New, []byte(secret))
	m.Write([]byte(sts))
	want := base64.StdEncoding.EncodeToString(m.Sum(nil))
	if !hmac.Equal([]byte(want), []byte(sig)) {
		return nil, signatureMismatch()
	}
	res := plainBody(r)
	res.AccessKey, res.Service = accessKey, "s3"
	return res, nil
}

func stringToSignV2(r *http.Request, vhostBucket, dateOrExpires string) string {
	var b strings.Builder
	b.WriteString(r.Method + "\n")
	b.WriteString(r.Header.Get("Content-MD5") + "\n")
	b.WriteString(r.Header.Get("Content-Type") + "\n")
	b.WriteString(dateOrExpires + "\n")
	var amz []string
	for name := range r.Header {
		if l := strings.ToLower(name); strings.HasPrefix(l, "x-amz-") {
			amz = append(amz, l)
		}
	}
	slices.Sort(amz)
	for _, l := range amz {
		b.WriteString(l + ":" + strings.Join(r.Header.Values(l), ",") + "\n")
	}
	if vhostBucket != "" {
		b.WriteString("/" + vhostBucket)
	}
	b.WriteString(rawPath(r))
	b.WriteString(canonicalSubresources(r.URL.Query()))
	return b.String()
}

func canonicalSubresources(q url.Values) string {
	var keys []string
	for k := range q {
		if subresources[k] {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return ""
	}
	slices.Sort(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		if v := q.Get(k); v != "" {
			parts = append(parts, k+"="+v)
		} else {
			parts = append(parts, k)
		}
	}
	return "?" + strings.Join(parts, "&")
}
