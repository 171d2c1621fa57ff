package localemu_test

import (
	"os/exec"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/localemu/emutest"
)

// TestValidationWithBoto3: what S3 refuses is refused, and what S3 keeps
// as sent is kept as sent.
func TestValidationWithBoto3(t *testing.T) {
	python := needClient(t, "python3", "-c", "import boto3")
	emu := emutest.New(t)
	script := `
import boto3
from botocore.exceptions import ClientError
s3 = boto3.client("s3")
def code(fn):
    try:
        fn()
    except ClientError as e:
        return e.response["Error"]["Code"]
    return "no error"
for name in ["xn--bucket", "sthree-bucket", "amzn-s3-demo-bucket", "b-s3alias", "b--ol-s3", "b.mrap", "b--table-s3"]:
    assert code(lambda: s3.create_bucket(Bucket=name)) == "InvalidBucketName", name
s3.create_bucket(Bucket="val")
assert code(lambda: s3.put_object(Bucket="val", Key="k", Body=b"x", StorageClass="BOGUS")) == "InvalidStorageClass"
assert code(lambda: s3.create_multipart_upload(Bucket="val", Key="k", StorageClass="BOGUS")) == "InvalidStorageClass"
s3.put_object(Bucket="val", Key="ia", Body=b"x", StorageClass="STANDARD_IA")
assert s3.head_object(Bucket="val", Key="ia")["StorageClass"] == "STANDARD_IA"

s3.put_object(Bucket="val", Key="enc", Body=b"x", ContentEncoding="deflate, gzip")
assert s3.head_object(Bucket="val", Key="enc")["ContentEncoding"] == "deflate, gzip"

# Non-ASCII metadata: botocore refuses it client-side, so users send
# RFC 2047 words, which S3 decodes on the way in and encodes again on
# the way out (a Q-encoded word comes back B-encoded).
s3.put_object(Bucket="val", Key="meta", Body=b"x", Metadata={"q": "=?UTF-8?Q?caf=C3=A9?=", "word": "=?UTF-8?B?w6nDqQ==?=", "plain": "ascii"})
md = s3.head_object(Bucket="val", Key="meta")["Metadata"]
assert md == {"q": "=?UTF-8?B?Y2Fmw6k=?=", "word": "=?UTF-8?B?w6nDqQ==?=", "plain": "ascii"}, md

# DeleteObjects: botocore sends a checksum, which is verified.
s3.delete_objects(Bucket="val", Delete={"Objects": [{"Key": "enc"}, {"Key": "meta"}]})
assert code(lambda: s3.head_object(Bucket="val", Key="enc")) == "404"
print("ok")
`
	cmd := exec.Command(python, "-c", script)
	cmd.Env = clientEnv(emu)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "ok")
}

// TestNonASCIIMetadataWithSDK: the Go SDK sends UTF-8 as is; the value
// comes back RFC 2047-encoded, as S3 returns it.
func TestNonASCIIMetadataWithSDK(t *testing.T) {
	emu := emutest.New(t)
	c := s3.NewFromConfig(emu.Config, func(o *s3.Options) { o.UsePathStyle = true })
	_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("utf")})
	require.NoError(t, err)
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("utf"), Key: aws.String("k"), Body: nil, Metadata: map[string]string{"who": "Zoë 東京"}})
	require.NoError(t, err)
	h, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("utf"), Key: aws.String("k")})
	require.NoError(t, err)
	assert.Equal(t, "=?UTF-8?B?Wm/DqyDmnbHkuqw=?=", h.Metadata["who"])
}
