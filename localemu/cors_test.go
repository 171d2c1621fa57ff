package localemu_test

import (
	"net/http"
	"os/exec"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/localemu/emutest"
)

// TestCORSWithSDK sets a CORS configuration with aws-sdk-go-v2 and checks
// what a browser sees: the unsigned preflight and the actual response.
func TestCORSWithSDK(t *testing.T) {
	emu := emutest.New(t)
	c := s3.NewFromConfig(emu.Config, func(o *s3.Options) { o.UsePathStyle = true })
	b := aws.String("web")
	_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: b, ACL: types.BucketCannedACLPublicRead})
	require.NoError(t, err)
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("k"), Body: nil, ACL: types.ObjectCannedACLPublicRead})
	require.NoError(t, err)

	preflight := func(origin, method, headers string) *http.Response {
		req, _ := http.NewRequest(http.MethodOptions, emu.URL+"/web/k", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", method)
		if headers != "" {
			req.Header.Set("Access-Control-Request-Headers", headers)
		}
		resp, err := emu.HTTPClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp
	}
	resp := preflight("https://app.example.com", "GET", "")
	assert.Equal(t, 403, resp.StatusCode, "CORS is not enabled yet")
	_, err = c.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: b})
	assert.Equal(t, "NoSuchCORSConfiguration", errCode(err))

	_, err = c.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: b, CORSConfiguration: &types.CORSConfiguration{CORSRules: []types.CORSRule{{
		AllowedOrigins: []string{"https://*.example.com"}, AllowedMethods: []string{"GET", "PUT"},
		AllowedHeaders: []string{"content-type", "x-amz-*"}, ExposeHeaders: []string{"ETag"}, MaxAgeSeconds: aws.Int32(600),
	}}}})
	require.NoError(t, err)
	got, err := c.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: b})
	require.NoError(t, err)
	require.Len(t, got.CORSRules, 1)
	assert.Equal(t, []string{"GET", "PUT"}, got.CORSRules[0].AllowedMethods)

	resp = preflight("https://app.example.com", "PUT", "Content-Type, X-Amz-Meta-Who")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "https://app.example.com", resp.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "GET, PUT", resp.Header.Get("Access-Control-Allow-Methods"))
	assert.Equal(t, "content-type,x-amz-meta-who", resp.Header.Get("Access-Control-Allow-Headers"))
	assert.Equal(t, "600", resp.Header.Get("Access-Control-Max-Age"))
	assert.Equal(t, "true", resp.Header.Get("Access-Control-Allow-Credentials"))
	assert.Equal(t, 403, preflight("https://evil.test", "GET", "").StatusCode)
	assert.Equal(t, 403, preflight("https://app.example.com", "DELETE", "").StatusCode)
	assert.Equal(t, 403, preflight("https://app.example.com", "GET", "authorization-x").StatusCode)

	// The actual (anonymous) GET carries the headers for an allowed origin only.
	get := func(origin string) *http.Response {
		req, _ := http.NewRequest(http.MethodGet, emu.URL+"/web/k", nil)
		req.Header.Set("Origin", origin)
		resp, err := emu.HTTPClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp
	}
	resp = get("https://app.example.com")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "https://app.example.com", resp.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "ETag", resp.Header.Get("Access-Control-Expose-Headers"))
	assert.Empty(t, get("https://evil.test").Header.Get("Access-Control-Allow-Origin"))

	_, err = c.DeleteBucketCors(ctx, &s3.DeleteBucketCorsInput{Bucket: b})
	require.NoError(t, err)
	assert.Equal(t, 403, preflight("https://app.example.com", "GET", "").StatusCode)
}

// TestCORSWithAWSCLI: the aws CLI's put-bucket-cors (it sends
// Content-MD5 as S3 requires) and a bad method refused as S3 does.
func TestCORSWithAWSCLI(t *testing.T) {
	awscli := needClient(t, "aws", "--version")
	emu := emutest.New(t)
	run := func(args ...string) (string, error) {
		cmd := exec.Command(awscli, args...)
		cmd.Env = clientEnv(emu)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := run("s3api", "create-bucket", "--bucket", "clicors")
	require.NoError(t, err, out)
	out, err = run("s3api", "put-bucket-cors", "--bucket", "clicors", "--cors-configuration", `{"CORSRules":[{"AllowedOrigins":["*"],"AllowedMethods":["GET"]}]}`)
	require.NoError(t, err, out)
	out, err = run("s3api", "get-bucket-cors", "--bucket", "clicors")
	require.NoError(t, err, out)
	assert.Contains(t, out, `"AllowedOrigins"`)
	out, err = run("s3api", "put-bucket-cors", "--bucket", "clicors", "--cors-configuration", `{"CORSRules":[{"AllowedOrigins":["*"],"AllowedMethods":["PATCH"]}]}`)
	assert.Error(t, err)
	assert.Contains(t, out, "InvalidRequest")
}
