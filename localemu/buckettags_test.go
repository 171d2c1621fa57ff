package localemu_test

import (
	"os/exec"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/localemu/emutest"
)

// TestBucketTaggingAndOwnershipWithBoto3: bucket tags as S3 keeps and
// checks them; ownership controls report what the emulator models
// (ObjectWriter) and refuse what it does not.
func TestBucketTaggingAndOwnershipWithBoto3(t *testing.T) {
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
s3.create_bucket(Bucket="tagged")
assert code(lambda: s3.get_bucket_tagging(Bucket="tagged")) == "NoSuchTagSet"
tags = [{"Key": "team", "Value": "data"}, {"Key": "env", "Value": "dev"}]
s3.put_bucket_tagging(Bucket="tagged", Tagging={"TagSet": tags})
assert s3.get_bucket_tagging(Bucket="tagged")["TagSet"] == tags
assert code(lambda: s3.put_bucket_tagging(Bucket="tagged", Tagging={"TagSet": [{"Key": "aws:x", "Value": "1"}]})) == "InvalidTag"
assert code(lambda: s3.put_bucket_tagging(Bucket="tagged", Tagging={"TagSet": [{"Key": "a", "Value": "1"}, {"Key": "a", "Value": "2"}]})) == "InvalidTag"
assert code(lambda: s3.put_bucket_tagging(Bucket="tagged", Tagging={"TagSet": [{"Key": "k%d" % i, "Value": ""} for i in range(51)]})) == "InvalidTag"
assert s3.get_bucket_tagging(Bucket="tagged")["TagSet"] == tags, "refused puts changed nothing"
s3.delete_bucket_tagging(Bucket="tagged")
assert code(lambda: s3.get_bucket_tagging(Bucket="tagged")) == "NoSuchTagSet"

oc = s3.get_bucket_ownership_controls(Bucket="tagged")["OwnershipControls"]
assert oc == {"Rules": [{"ObjectOwnership": "ObjectWriter"}]}, oc
s3.put_bucket_ownership_controls(Bucket="tagged", OwnershipControls={"Rules": [{"ObjectOwnership": "ObjectWriter"}]})
assert code(lambda: s3.put_bucket_ownership_controls(Bucket="tagged", OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]})) == "NotImplemented"
print("ok")
`
	cmd := exec.Command(python, "-c", script)
	cmd.Env = clientEnv(emu)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "ok")
}
