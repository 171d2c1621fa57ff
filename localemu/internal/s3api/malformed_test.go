package s3api_test

import (
	"context"
	"crypto/md5"
	"encoding/base64"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/localemu/emutest"
)

// Malformed but correctly signed requests get S3 error XML, never a panic
// and never a success.
func TestMalformedRequests(t *testing.T) {
	emu := emutest.New(t)
	signer := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
	do := func(method, path, body string, hdr map[string]string) (int, string) {
		t.Helper()
		req, err := http.NewRequest(method, emu.URL+path, strings.NewReader(body))
		require.NoError(t, err)
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		req.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
		require.NoError(t, signer.SignHTTP(context.Background(), aws.Credentials{AccessKeyID: emu.AccessKey, SecretAccessKey: emu.SecretKey}, req, "UNSIGNED-PAYLOAD", "s3", emu.Region, time.Now()))
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		assert.NotEmpty(t, resp.Header.Get("X-Amz-Request-Id"))
		return resp.StatusCode, string(b)
	}
	status, _ := do("PUT", "/bkt", "", nil)
	require.Equal(t, 200, status)
	cases := []struct {
		method, path, body string
		hdr                map[string]string
		status             int
		code               string
	}{
		{"POST", "/bkt?delete", "<Delete><Object>", contentMD5("<Delete><Object>"), 400, "MalformedXML"},
		{"POST", "/bkt?delete", "not xml at all", contentMD5("not xml at all"), 400, "MalformedXML"},
		{"POST", "/bkt?delete", "<Delete><Object><Key>k</Key></Object></Delete>", nil, 400, "InvalidRequest"},
		{"POST", "/bkt?delete", "<Delete><Object><Key>k</Key></Object></Delete>", contentMD5("other"), 400, "BadDigest"},
		{"POST", "/bkt?delete", "<Delete><Object><Key>k</Key></Object></Delete>", map[string]string{"X-Amz-Checksum-Crc32": "AAAAAA=="}, 400, "BadDigest"},
		{"POST", "/bkt/k?uploadId=nope", "<CompleteMultipartUpload/>", nil, 404, "NoSuchUpload"},
		{"PUT", "/bkt?versioning", "<VersioningConfiguration><Status>Maybe</Status></VersioningConfiguration>", nil, 400, "MalformedXML"},
		{"PUT", "/bkt/k?tagging", "<Tagging><TagSet><Tag><Key></Key></Tag></TagSet></Tagging>", nil, 400, "InvalidTag"},
		{"PUT", "/bkt?policy", "{}", nil, 400, "MalformedPolicy"},
		{"PUT", "/bkt?policyStatus", "", nil, 501, "NotImplemented"},
		{"PUT", "/dir--x-s3", "", nil, 400, "InvalidBucketName"},
		{"GET", "/bkt?lifecycle", "", nil, 501, "NotImplemented"},
		{"PATCH", "/bkt/k", "", nil, 501, "NotImplemented"},
		{"GET", "/bkt/k?partNumber=0", "", nil, 404, "NoSuchKey"},
		{"PUT", "/bkt/k", "x", map[string]string{"X-Amz-Copy-Source": "%%%"}, 400, "InvalidRequest"},
		{"PUT", "/bkt/k", "x", map[string]string{"Content-MD5": "short"}, 400, "InvalidDigest"},
		{"PUT", "/bkt/k", "x", map[string]string{"X-Amz-Checksum-Crc32": "!!"}, 400, "InvalidRequest"},
		{"PUT", "/bkt/k", "x", map[string]string{"X-Amz-Tagging": "a=%zz"}, 400, "InvalidArgument"},
		{"GET", "/bkt?list-type=2&max-keys=-1", "", nil, 400, "InvalidArgument"},
		{"GET", "/bkt?list-type=2&continuation-token=!!!", "", nil, 400, "InvalidArgument"},
		{"GET", "/bkt?encoding-type=base64", "", nil, 400, "InvalidArgument"},
		{"PUT", "/bkt/k?partNumber=1&uploadId=x", "x", nil, 404, "NoSuchUpload"},
		{"GET", "/bkt/k?versionId=bogus", "", nil, 400, "InvalidArgument"},
	}
	for _, c := range cases {
		status, body := do(c.method, c.path, c.body, c.hdr)
		assert.Equal(t, c.status, status, "%s %s: %s", c.method, c.path, body)
		assert.Contains(t, body, "<Code>"+c.code+"</Code>", "%s %s", c.method, c.path)
	}
}

func contentMD5(body string) map[string]string {
	sum := md5.Sum([]byte(body))
	return map[string]string{"Content-MD5": base64.StdEncoding.EncodeToString(sum[:])}
}
