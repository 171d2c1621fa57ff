package s3auth

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"github.com/olkit/olkit/s3err"
)

// VerifyPostSignature checks the signature of a browser-based POST
// upload: the form's base64 policy signed with SigV4 (x-amz-algorithm,
// x-amz-credential, x-amz-date, x-amz-signature) or SigV2
// (AWSAccessKeyId, signature). field returns a form field by its name in
// lower case. It returns the signer's access key; the policy's
// expiration and conditions are the caller's to check.
func (v *Verifier) VerifyPostSignature(field func(string) string) (string, error) {
	policy := field("policy")
	if alg := field("x-amz-algorithm"); alg != "" {
		if alg != algorithmV4 {
			return "", s3err.New(http.StatusBadRequest, "InvalidArgument", "x-amz-algorithm %q is not %s", alg, algorithmV4)
		}
		parts := strings.Split(field("x-amz-credential"), "/")
		if len(parts) != 5 || parts[4] != "aws4_request" {
			return "", s3err.New(http.StatusBadRequest, "InvalidArgument", "x-amz-credential must be AKID/date/region/s3/aws4_request")
		}
		t, err := time.Parse(amzDateFormat, field("x-amz-date"))
		if err != nil || t.Format("20060102") != parts[1] {
			return "", s3err.New(http.StatusBadRequest, "InvalidArgument", "x-amz-date is missing or does not match the credential's date")
		}
		if parts[2] != v.Region {
			return "", s3err.New(http.StatusBadRequest, "AuthorizationQueryParametersError", "the region '%s' is wrong; expecting '%s'", parts[2], v.Region)
		}
		if parts[3] != "s3" {
			return "", s3err.New(http.StatusBadRequest, "AuthorizationQueryParametersError", "the service '%s' is wrong; expecting 's3'", parts[3])
		}
		secret, err := v.secret(parts[0])
		if err != nil {
			return "", err
		}
		key := signingKey(secret, v4Auth{date: parts[1], region: parts[2], service: parts[3]})
		want := hex.EncodeToString(hmacSHA256(key, policy))
		if !hmac.Equal([]byte(want), []byte(field("x-amz-signature"))) {
			return "", signatureMismatch()
		}
		return parts[0], nil
	}
	ak := field("awsaccesskeyid")
	if ak == "" {
		return "", s3err.New(http.StatusBadRequest, "InvalidArgument", "a POST policy needs x-amz-credential (SigV4) or AWSAccessKeyId (SigV2)")
	}
	secret, err := v.secret(ak)
	if err != nil {
		return "", err
	}
	m := hmac.New(sha1.New, []byte(secret))
	m.Write([]byte(policy))
	if !hmac.Equal([]byte(base64.StdEncoding.EncodeToString(m.Sum(nil))), []byte(field("signature"))) {
		return "", signatureMismatch()
	}
	return ak, nil
}
