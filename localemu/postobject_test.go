package localemu_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"os/exec"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/localemu/emutest"
)

// postForm sends a browser-style multipart/form-data upload.
func postForm(t *testing.T, emu *emutest.Emulator, url string, fields map[string]string, extra map[string]string, file string) (*http.Response, string) {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	for k, v := range extra {
		w.WriteField(k, v)
	}
	fw, _ := w.CreateFormFile("file", "hello.txt")
	io.WriteString(fw, file)
	w.Close()
	resp, err := emu.HTTPClient.Post(url, w.FormDataContentType(), &body)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// TestPresignedPostWithSDK: aws-sdk-go-v2's PresignPostObject form posts,
// and a form that strays from its policy is refused.
func TestPresignedPostWithSDK(t *testing.T) {
	emu := emutest.New(t)
	c := s3.NewFromConfig(emu.Config, func(o *s3.Options) { o.UsePathStyle = true })
	_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("forms")})
	require.NoError(t, err)
	pc := s3.NewPresignClient(c)
	post, err := pc.PresignPostObject(ctx, &s3.PutObjectInput{Bucket: aws.String("forms"), Key: aws.String("up/hello.txt")})
	require.NoError(t, err)

	resp, body := postForm(t, emu, post.URL, post.Values, nil, "hello form")
	require.Equal(t, 204, resp.StatusCode, body)
	assert.NotEmpty(t, resp.Header.Get("ETag"))
	assert.Equal(t, "hello form", mustGet(t, c, "forms", "up/hello.txt"))

	resp, body = postForm(t, emu, post.URL, post.Values, map[string]string{"x-amz-meta-sneaky": "1"}, "x")
	assert.Equal(t, 403, resp.StatusCode)
	assert.Contains(t, body, "Extra input fields: x-amz-meta-sneaky")

	forged := map[string]string{}
	for k, v := range post.Values {
		forged[k] = v
	}
	forged["key"] = "elsewhere.txt"
	resp, body = postForm(t, emu, post.URL, forged, nil, "x")
	assert.Equal(t, 403, resp.StatusCode, body)
	assert.Contains(t, body, "Policy Condition failed")
	forged["key"] = "up/hello.txt"
	for k := range forged {
		if strings.EqualFold(k, "x-amz-signature") {
			forged[k] = strings.Repeat("0", 64)
		}
	}
	resp, body = postForm(t, emu, post.URL, forged, nil, "x")
	assert.Equal(t, 403, resp.StatusCode)
	assert.Contains(t, body, "SignatureDoesNotMatch")

	// Without a policy it is an anonymous write: refused on a private bucket.
	resp, body = postForm(t, emu, post.URL, map[string]string{"key": "anon.txt"}, nil, "x")
	assert.Equal(t, 403, resp.StatusCode)
	assert.Contains(t, body, "AccessDenied")
}

// TestPresignedPostWithBoto3: boto3's generate_presigned_post with
// conditions, posted with requests as a browser would.
func TestPresignedPostWithBoto3(t *testing.T) {
	python := needClient(t, "python3", "-c", "import boto3, requests")
	emu := emutest.New(t)
	script := `
import boto3, requests
from botocore.config import Config
s3 = boto3.client("s3")
s3.create_bucket(Bucket="bforms")
for client in [s3, boto3.client("s3", config=Config(signature_version="s3v4"))]:
    p = client.generate_presigned_post("bforms", "user/${filename}",
        Fields={"acl": "public-read", "success_action_status": "201", "Content-Type": "text/plain"},
        Conditions=[{"acl": "public-read"}, {"success_action_status": "201"}, ["starts-with", "$key", "user/"],
                    ["starts-with", "$Content-Type", "text/"], ["content-length-range", 1, 20]],
        ExpiresIn=60)
    r = requests.post(p["url"], data=p["fields"], files={"file": ("a.txt", b"posted")})
    assert r.status_code == 201, (r.status_code, r.text)
    assert "<Key>user/a.txt</Key>" in r.text, r.text
    got = s3.get_object(Bucket="bforms", Key="user/a.txt")
    assert got["Body"].read() == b"posted" and got["ContentType"] == "text/plain", got
    acl = s3.get_object_acl(Bucket="bforms", Key="user/a.txt")
    assert any(g["Permission"] == "READ" for g in acl["Grants"]), acl
    r = requests.post(p["url"], data=p["fields"], files={"file": ("big.txt", b"x" * 21)})
    assert r.status_code == 400 and "EntityTooLarge" in r.text, r.text
print("ok")
`
	cmd := exec.Command(python, "-c", script)
	cmd.Env = clientEnv(emu)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "ok")
}
