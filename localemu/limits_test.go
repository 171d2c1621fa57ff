package localemu_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/localemu/emutest"
)

// S3 takes up to 2 KB of user metadata (names without x-amz-meta- plus
// values, in UTF-8 bytes) and refuses more with MetadataTooLarge on PUT,
// CopyObject with REPLACE and CreateMultipartUpload; metadata at the
// limit, full of characters JSON would escape, survives a restart along
// with every write after it.
func TestSDKMetadataLimit(t *testing.T) {
	dir := t.TempDir()
	emu := emutest.New(t, emutest.WithDir(dir))
	c := s3.NewFromConfig(emu.Config)
	mustCreate(t, c, "meta")
	atLimit := map[string]string{"big": strings.Repeat("<", 2045)}         // 3 + 2045 = 2048 bytes
	over := map[string]string{"big": strings.Repeat("<", 2044), "a": "bc"} // 3 + 2044 + 1 + 2 = 2050 bytes
	_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("meta"), Key: aws.String("at-limit"), Body: strings.NewReader("v"), Metadata: atLimit})
	require.NoError(t, err)

	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("meta"), Key: aws.String("over"), Body: strings.NewReader("v"), Metadata: over})
	assert.Equal(t, "MetadataTooLarge", errCode(err))
	assert.Equal(t, 400, httpStatus(err))
	_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("meta"), Key: aws.String("copy-over"), CopySource: aws.String("meta/at-limit"),
		MetadataDirective: types.MetadataDirectiveReplace, Metadata: over})
	assert.Equal(t, "MetadataTooLarge", errCode(err))
	_, err = c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("meta"), Key: aws.String("mp-over"), Metadata: over})
	assert.Equal(t, "MetadataTooLarge", errCode(err))
	_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("meta"), Key: aws.String("copy"), CopySource: aws.String("meta/at-limit")})
	require.NoError(t, err, "a copy keeps metadata at the limit")

	long := strings.Repeat("k", 1025)
	_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("meta"), Key: aws.String(long), CopySource: aws.String("meta/at-limit")})
	assert.Equal(t, "KeyTooLongError", errCode(err))
	_, err = c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("meta"), Key: aws.String(long)})
	assert.Equal(t, "KeyTooLongError", errCode(err))

	for i := range 20 {
		mustPut(t, c, "meta", "after"+strconv.Itoa(i), "v"+strconv.Itoa(i))
	}
	mustCreate(t, c, "later")
	mustPut(t, c, "later", "k", "later")
	emu.Close()

	c = s3.NewFromConfig(emutest.New(t, emutest.WithDir(dir)).Config)
	for _, key := range []string{"at-limit", "copy"} {
		h, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("meta"), Key: aws.String(key)})
		require.NoError(t, err, key)
		assert.Equal(t, atLimit, h.Metadata, key)
	}
	for _, key := range []string{"over", "copy-over"} {
		_, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("meta"), Key: aws.String(key)})
		assert.Equal(t, 404, httpStatus(err), key)
	}
	for i := range 20 {
		assert.Equal(t, "v"+strconv.Itoa(i), mustGet(t, c, "meta", "after"+strconv.Itoa(i)))
	}
	assert.Equal(t, "later", mustGet(t, c, "later", "k"))
}

const boto3MetadataScript = `
import sys
import boto3
from botocore.exceptions import ClientError

s3 = boto3.client("s3")
at_limit = {"big": "<" * 2045}
if sys.argv[1] == "write":
    s3.create_bucket(Bucket="meta")
    s3.put_object(Bucket="meta", Key="at-limit", Body=b"v", Metadata=at_limit)
    try:
        s3.put_object(Bucket="meta", Key="over", Body=b"v", Metadata={"big": "<" * 2046})
        raise AssertionError("2,049 bytes of metadata were accepted")
    except ClientError as e:
        assert e.response["Error"]["Code"] == "MetadataTooLarge", e.response
        assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    for i in range(5):
        s3.put_object(Bucket="meta", Key="after%d" % i, Body=b"v%d" % i)
else:
    assert s3.head_object(Bucket="meta", Key="at-limit")["Metadata"] == at_limit
    for i in range(5):
        assert s3.get_object(Bucket="meta", Key="after%d" % i)["Body"].read() == b"v%d" % i
print("OK")
`

// boto3 sees the same limit, and metadata at it survives a restart.
func TestBoto3MetadataLimit(t *testing.T) {
	python := needClient(t, "python3", "-c", "import boto3")
	dir := t.TempDir()
	script := filepath.Join(t.TempDir(), "metadata.py")
	require.NoError(t, os.WriteFile(script, []byte(boto3MetadataScript), 0o644))
	for _, phase := range []string{"write", "read"} {
		emu := emutest.New(t, emutest.WithDir(dir))
		cmd := exec.Command(python, script, phase)
		cmd.Env = clientEnv(emu)
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", out)
		assert.Contains(t, string(out), "OK")
		emu.Close()
	}
}
