package localemu_test

import (
	"os/exec"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/localemu/emutest"
)

// TestConditionalDeleteWithSDK: If-Match on DeleteObject is honoured as
// S3 does for general purpose buckets; the directory-bucket-only
// conditions are refused with 501, never ignored.
func TestConditionalDeleteWithSDK(t *testing.T) {
	emu := emutest.New(t)
	c := s3.NewFromConfig(emu.Config, func(o *s3.Options) { o.UsePathStyle = true })
	_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("cdel")})
	require.NoError(t, err)
	b, k := aws.String("cdel"), aws.String("k")
	put := mustPut(t, c, "cdel", "k", "v1")

	_, err = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: k, IfMatch: aws.String(`"0123456789abcdef0123456789abcdef"`)})
	assert.Equal(t, "PreconditionFailed", errCode(err))
	assert.Equal(t, 412, httpStatus(err))
	_, err = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: k, IfMatchSize: aws.Int64(2)})
	assert.Equal(t, 501, httpStatus(err))
	_, err = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: k, IfMatchLastModifiedTime: aws.Time(time.Now())})
	assert.Equal(t, 501, httpStatus(err))
	assert.Equal(t, "v1", mustGet(t, c, "cdel", "k"), "refused deletes left the object")

	_, err = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: k, IfMatch: put.ETag})
	require.NoError(t, err)
	_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: k})
	assert.Equal(t, 404, httpStatus(err))
	_, err = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: k, IfMatch: aws.String("*")})
	assert.Equal(t, "NoSuchKey", errCode(err), "If-Match: * needs an object")

	// Versioned: the condition applies to the current version.
	_, err = c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: b, VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled}})
	require.NoError(t, err)
	v1 := mustPut(t, c, "cdel", "k", "a")
	mustPut(t, c, "cdel", "k", "b")
	_, err = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: k, IfMatch: v1.ETag})
	assert.Equal(t, "PreconditionFailed", errCode(err), "v1 is no longer current")
	_, err = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: k, IfMatch: aws.String("*")})
	require.NoError(t, err)
	_, err = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: k, IfMatch: aws.String("*")})
	assert.Equal(t, "NoSuchKey", errCode(err), "the current version is a delete marker")
}

// TestConditionalDeleteObjectsWithBoto3: the ETag element of a
// DeleteObjects entry conditions that entry alone.
func TestConditionalDeleteObjectsWithBoto3(t *testing.T) {
	python := needClient(t, "python3", "-c", "import boto3")
	emu := emutest.New(t)
	script := `
import boto3
s3 = boto3.client("s3")
s3.create_bucket(Bucket="cdo")
a = s3.put_object(Bucket="cdo", Key="a", Body=b"a")
s3.put_object(Bucket="cdo", Key="b", Body=b"b")
r = s3.delete_objects(Bucket="cdo", Delete={"Objects": [{"Key": "a", "ETag": a["ETag"]}, {"Key": "b", "ETag": a["ETag"]}]})
assert [d["Key"] for d in r.get("Deleted", [])] == ["a"], r
assert [(e["Key"], e["Code"]) for e in r["Errors"]] == [("b", "PreconditionFailed")], r
r = s3.delete_objects(Bucket="cdo", Delete={"Objects": [{"Key": "b", "Size": 1}]})
assert [(e["Key"], e["Code"]) for e in r["Errors"]] == [("b", "NotImplemented")], r
assert s3.get_object(Bucket="cdo", Key="b")["Body"].read() == b"b"
print("ok")
`
	cmd := exec.Command(python, "-c", script)
	cmd.Env = clientEnv(emu)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "ok")
}
