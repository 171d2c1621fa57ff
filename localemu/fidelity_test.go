package localemu_test

import (
	"os/exec"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/localemu/emutest"
)

// TestMultipartAndListingWithBoto3 checks, with boto3 (the client of the
// ceph s3-tests that found them), multipart and listing behaviours
// paginators and retries depend on.
func TestMultipartAndListingWithBoto3(t *testing.T) {
	python := needClient(t, "python3", "-c", "import boto3")
	emu := emutest.New(t)
	script := `
import base64, zlib
import boto3
from botocore.exceptions import ClientError
s3 = boto3.client("s3")
def code(fn):
    try:
        fn()
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]
    return "no error"

s3.create_bucket(Bucket="fid")
for k in ["a b/1", "a b/2", "c"]:
    s3.put_object(Bucket="fid", Key=k, Body=b"x")

# Listing edge cases.
r = s3.list_objects_v2(Bucket="fid", MaxKeys=0)
assert r["IsTruncated"] is False and r["KeyCount"] == 0 and "Contents" not in r, r
r = s3.list_objects(Bucket="fid", MaxKeys=0)
assert r["IsTruncated"] is False, r
r = s3.list_objects_v2(Bucket="fid", ContinuationToken="")
assert [o["Key"] for o in r["Contents"]] == ["a b/1", "a b/2", "c"], r
page = s3.list_objects_v2(Bucket="fid", MaxKeys=1)
r = s3.list_objects_v2(Bucket="fid", ContinuationToken=page["NextContinuationToken"])
assert [o["Key"] for o in r["Contents"]] == ["a b/2", "c"], r
got = code(lambda: s3.list_objects_v2(Bucket="fid", ContinuationToken="abcd"))
assert got == ("InvalidArgument", 400), got
s3.create_bucket(Bucket="fid2")
assert code(lambda: s3.list_objects_v2(Bucket="fid2", ContinuationToken=page["NextContinuationToken"])) == ("InvalidArgument", 400)
# boto3 asks V1 for encoding-type=url and decodes Key, Marker, Delimiter,
# but not Prefix, which S3 does not encode in V1.
r = s3.list_objects(Bucket="fid", Prefix="a b/")
assert r["Prefix"] == "a b/", r["Prefix"]
assert [o["Key"] for o in r["Contents"]] == ["a b/1", "a b/2"], r

# Multipart.
part = b"p" * (5 << 20)
mp = s3.create_multipart_upload(Bucket="fid", Key="mp", ChecksumAlgorithm="CRC32")
p1 = s3.upload_part(Bucket="fid", Key="mp", UploadId=mp["UploadId"], PartNumber=1, Body=part, ChecksumAlgorithm="CRC32")
p2 = s3.upload_part(Bucket="fid", Key="mp", UploadId=mp["UploadId"], PartNumber=2, Body=b"tail", ChecksumAlgorithm="CRC32")
parts = [{"PartNumber": 1, "ETag": p1["ETag"], "ChecksumCRC32": p1["ChecksumCRC32"]},
         {"PartNumber": 2, "ETag": p2["ETag"], "ChecksumCRC32": p2["ChecksumCRC32"]}]
dup = [parts[0], parts[0], parts[1]]
assert code(lambda: s3.complete_multipart_upload(Bucket="fid", Key="mp", UploadId=mp["UploadId"], MultipartUpload={"Parts": dup})) == ("InvalidPartOrder", 400)
done = s3.complete_multipart_upload(Bucket="fid", Key="mp", UploadId=mp["UploadId"], MultipartUpload={"Parts": parts})
assert done["ChecksumType"] == "COMPOSITE", done
again = s3.complete_multipart_upload(Bucket="fid", Key="mp", UploadId=mp["UploadId"], MultipartUpload={"Parts": parts})
assert again["ETag"] == done["ETag"] and again["ChecksumCRC32"] == done["ChecksumCRC32"], (done, again)
assert code(lambda: s3.complete_multipart_upload(Bucket="fid", Key="mp", UploadId=mp["UploadId"], MultipartUpload={"Parts": parts[:1]})) == ("NoSuchUpload", 404)
got = s3.get_object(Bucket="fid", Key="mp", PartNumber=2, ChecksumMode="ENABLED")
assert got["Body"].read() == b"tail"
assert got["ChecksumCRC32"] == p2["ChecksumCRC32"], got
assert got["PartsCount"] == 2
assert code(lambda: s3.get_object(Bucket="fid", Key="mp", PartNumber=3)) == ("InvalidPartNumber", 416)
print("ok")
`
	cmd := exec.Command(python, "-c", script)
	cmd.Env = clientEnv(emu)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "ok")
}
