package localemu_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/internal/realclients"
	"github.com/olkit/olkit/localemu/emutest"
)

func needClient(t *testing.T, name string, check ...string) string {
	t.Helper()
	return realclients.Need(t, name, check...)
}

// clientEnv points boto3 and the aws CLI at emu and nowhere else.
func clientEnv(emu *emutest.Emulator) []string {
	return realclients.Env(emu.URL, emu.AccessKey, emu.SecretKey, emu.Region)
}

const boto3Script = `
import base64, hashlib, io, sys, urllib.request, urllib.error
import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

s3 = boto3.client("s3")
def code(fn):
    try:
        fn()
    except ClientError as e:
        return e.response["Error"]["Code"]
    return "no error"

s3.create_bucket(Bucket="boto")
put = s3.put_object(Bucket="boto", Key="dir/hello.txt", Body=b"hello boto", ContentType="text/plain", Metadata={"who": "boto3"})
got = s3.get_object(Bucket="boto", Key="dir/hello.txt", ChecksumMode="ENABLED")
assert got["Body"].read() == b"hello boto"
assert got["Metadata"] == {"who": "boto3"}, got["Metadata"]
assert got["ETag"] == put["ETag"]
assert "ChecksumCRC32" in got or "ChecksumCRC64NVME" in got, got.keys()
assert s3.get_object(Bucket="boto", Key="dir/hello.txt", Range="bytes=6-")["Body"].read() == b"boto"
assert s3.head_object(Bucket="boto", Key="dir/hello.txt")["ContentLength"] == 10
assert code(lambda: s3.get_object(Bucket="boto", Key="missing")) == "NoSuchKey"
assert code(lambda: s3.head_object(Bucket="boto", Key="missing")) == "404"

for k in ["a b/c", "a b/d", "é/ü", "../up"]:
    s3.put_object(Bucket="boto", Key=k, Body=k.encode())
# boto3 asks for encoding-type=url and decodes the answer.
v1 = s3.list_objects(Bucket="boto", Delimiter="/")
assert [p["Prefix"] for p in v1["CommonPrefixes"]] == ["../", "a b/", "dir/", "é/"], v1
v2 = s3.list_objects_v2(Bucket="boto", Prefix="a b/", MaxKeys=1)
assert v2["IsTruncated"] and [o["Key"] for o in v2["Contents"]] == ["a b/c"], v2
v2 = s3.list_objects_v2(Bucket="boto", Prefix="a b/", ContinuationToken=v2["NextContinuationToken"])
assert [o["Key"] for o in v2["Contents"]] == ["a b/d"], v2
assert s3.get_object(Bucket="boto", Key="../up")["Body"].read() == b"../up"

# Presigned URLs: SigV2 is boto3's default for s3; SigV4 on request.
for client in [s3, boto3.client("s3", config=Config(signature_version="s3v4"))]:
    url = client.generate_presigned_url("get_object", Params={"Bucket": "boto", "Key": "a b/c"}, ExpiresIn=60)
    assert urllib.request.urlopen(url).read() == b"a b/c", url
url = s3.generate_presigned_url("get_object", Params={"Bucket": "boto", "Key": "a b/c"}, ExpiresIn=-10)
try:
    urllib.request.urlopen(url)
    raise AssertionError("an expired URL worked")
except urllib.error.HTTPError as e:
    assert e.code == 403 and b"Request has expired" in e.read()

bad = boto3.client("s3", aws_access_key_id="test", aws_secret_access_key="wrong")
assert code(lambda: bad.list_buckets()) == "SignatureDoesNotMatch"
md5 = base64.b64encode(hashlib.md5(b"other").digest()).decode()
assert code(lambda: s3.put_object(Bucket="boto", Key="x", Body=b"data", ContentMD5=md5)) == "BadDigest"

s3.copy_object(Bucket="boto", Key="copy", CopySource={"Bucket": "boto", "Key": "dir/hello.txt"})
assert s3.get_object(Bucket="boto", Key="copy")["Body"].read() == b"hello boto"
s3.put_object_tagging(Bucket="boto", Key="copy", Tagging={"TagSet": [{"Key": "k", "Value": "v"}]})
assert s3.get_object_tagging(Bucket="boto", Key="copy")["TagSet"] == [{"Key": "k", "Value": "v"}]
acl = s3.get_object_acl(Bucket="boto", Key="copy")
assert acl["Grants"][0]["Permission"] == "FULL_CONTROL", acl

# Multipart through the transfer manager (8 MiB threshold, 8 MiB parts).
data = bytes(range(256)) * (40 * 1024 + 7)
s3.upload_fileobj(io.BytesIO(data), "boto", "big")
assert s3.head_object(Bucket="boto", Key="big")["ETag"].endswith('-2"')
buf = io.BytesIO()
s3.download_fileobj("boto", "big", buf)
assert buf.getvalue() == data

s3.put_bucket_versioning(Bucket="boto", VersioningConfiguration={"Status": "Enabled"})
v1 = s3.put_object(Bucket="boto", Key="ver", Body=b"one")["VersionId"]
s3.put_object(Bucket="boto", Key="ver", Body=b"two")
s3.delete_object(Bucket="boto", Key="ver")
vs = s3.list_object_versions(Bucket="boto", Prefix="ver")
assert len(vs["Versions"]) == 2 and len(vs["DeleteMarkers"]) == 1, vs
assert s3.get_object(Bucket="boto", Key="ver", VersionId=v1)["Body"].read() == b"one"

keys = [{"Key": o["Key"]} for o in s3.list_objects_v2(Bucket="boto")["Contents"]]
res = s3.delete_objects(Bucket="boto", Delete={"Objects": keys})
assert len(res["Deleted"]) == len(keys), res
print("OK")
`

func TestBoto3(t *testing.T) {
	t.Parallel()
	python := needClient(t, "python3", "-c", "import boto3")
	emu := emutest.New(t, emutest.WithDir(t.TempDir()))
	script := filepath.Join(t.TempDir(), "boto3_test.py")
	require.NoError(t, os.WriteFile(script, []byte(boto3Script), 0o644))
	cmd := exec.Command(python, script)
	cmd.Env = clientEnv(emu)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "OK")
}

func TestAWSCLI(t *testing.T) {
	t.Parallel()
	awsCLI := needClient(t, "aws", "--version")
	emu := emutest.New(t, emutest.WithDir(t.TempDir()))
	dir := t.TempDir()
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(awsCLI, args...)
		cmd.Env = clientEnv(emu)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "aws %s: %s", strings.Join(args, " "), out)
		return string(out)
	}
	big := strings.Repeat("0123456789abcdef", 1<<20) // 16 MiB: the CLI uploads it in parts
	require.NoError(t, os.WriteFile(filepath.Join(dir, "big.bin"), []byte(big), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "small.txt"), []byte("small file\n"), 0o644))

	run("s3", "mb", "s3://cli-bucket")
	run("s3", "cp", "small.txt", "s3://cli-bucket/docs/small.txt")
	run("s3", "cp", "big.bin", "s3://cli-bucket/data/big.bin")
	ls := run("s3", "ls", "--recursive", "s3://cli-bucket")
	assert.Contains(t, ls, "docs/small.txt")
	assert.Contains(t, ls, "data/big.bin")
	assert.Contains(t, run("s3", "ls", "s3://cli-bucket"), "PRE docs/")
	run("s3", "cp", "s3://cli-bucket/data/big.bin", "back.bin")
	back, err := os.ReadFile(filepath.Join(dir, "back.bin"))
	require.NoError(t, err)
	assert.True(t, string(back) == big, "the 16 MiB round trip is byte for byte")
	assert.Equal(t, "small file\n", run("s3", "cp", "s3://cli-bucket/docs/small.txt", "-"))
	assert.Contains(t, run("s3api", "head-object", "--bucket", "cli-bucket", "--key", "data/big.bin"), `-2\"`)

	url := strings.TrimSpace(run("s3", "presign", "s3://cli-bucket/docs/small.txt", "--expires-in", "60"))
	assert.Contains(t, url, "AWSAccessKeyId=", "aws s3 presign signs with SigV2 by default")
	resp, err := emu.HTTPClient.Get(url)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)

	run("s3api", "put-object-tagging", "--bucket", "cli-bucket", "--key", "docs/small.txt", "--tagging", "TagSet=[{Key=team,Value=olkit}]")
	assert.Contains(t, run("s3api", "get-object-tagging", "--bucket", "cli-bucket", "--key", "docs/small.txt"), "olkit")
	run("s3", "sync", "s3://cli-bucket/docs", "synced")
	_, err = os.Stat(filepath.Join(dir, "synced", "small.txt"))
	assert.NoError(t, err)
	run("s3", "rm", "s3://cli-bucket/docs/small.txt")
	run("s3", "rb", "--force", "s3://cli-bucket")
	assert.NotContains(t, run("s3", "ls"), "cli-bucket")
}
