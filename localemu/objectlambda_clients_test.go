package localemu_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"os/exec"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/lambda"
	"github.com/olkit/olkit/localemu"
	"github.com/olkit/olkit/localemu/emutest"
	"github.com/olkit/olkit/localemu/internal/function"
	_ "github.com/olkit/olkit/transforms/builtin"
)

// demo starts an emulator serving the demo setup with the real handler.
func demo(t *testing.T) *emutest.Emulator {
	emu := emutest.New(t)
	h := lambda.NewForEndpoint(emu.Config.Copy(), emu.URL)
	stop, err := emu.Apply(localemu.DemoSetup(), function.Func(h.Invoke))
	require.NoError(t, err)
	t.Cleanup(stop)
	return emu
}

// TestObjectLambdaWithBoto3 manages an access point through the S3
// Control API and reads through it, with boto3 as a user would.
func TestObjectLambdaWithBoto3(t *testing.T) {
	python := needClient(t, "python3", "-c", "import boto3")
	emu := demo(t)
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write([]byte("through boto3\n"))
	w.Close()
	client := s3.NewFromConfig(emu.Config, func(o *s3.Options) { o.UsePathStyle = true })
	_, err := client.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String("demo"), Key: aws.String("b.txt.gz"), Body: bytes.NewReader(gz.Bytes())})
	require.NoError(t, err)

	// S3 Control clients put the account id in front of the endpoint's
	// host ("000000000000.localhost"), as botocore's endpoint rules do
	// whatever inject_host_prefix says; a user makes *.localhost resolve
	// (systemd-resolved does, or a hosts entry). The test patches the
	// resolver the same way.
	script := `
import socket
_resolve = socket.getaddrinfo
def _local(host, *a, **k):
    if isinstance(host, str) and host.endswith(".localhost"):
        host = "127.0.0.1"
    return _resolve(host, *a, **k)
socket.getaddrinfo = _local
import boto3, json, os
from botocore.config import Config
from botocore.exceptions import ClientError
acct = "000000000000"
ctl = boto3.client("s3control", endpoint_url=os.environ["AWS_ENDPOINT_URL"], config=Config(inject_host_prefix=False))
s3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
conf = {
  "SupportingAccessPoint": "arn:aws:s3:us-east-1:" + acct + ":accesspoint/demo",
  "AllowedFeatures": ["GetObject-Range"],
  "TransformationConfigurations": [{"Actions": ["GetObject"], "ContentTransformation": {"AwsLambda": {
    "FunctionArn": "arn:aws:lambda:us-east-1:" + acct + ":function:olkit",
    "FunctionPayload": json.dumps({"transforms": [{"name": "decompress"}]})}}}],
}
created = ctl.create_access_point_for_object_lambda(AccountId=acct, Name="mine", Configuration=conf)
alias = ctl.get_access_point_for_object_lambda(AccountId=acct, Name="mine")["Alias"]["Value"]
assert alias == created["Alias"]["Value"] and alias.endswith("--ol-s3"), alias
names = [ap["Name"] for ap in ctl.list_access_points_for_object_lambda(AccountId=acct)["ObjectLambdaAccessPointList"]]
assert names == ["decompress", "mine", "pii-access-control", "redact"], names
got = ctl.get_access_point_configuration_for_object_lambda(AccountId=acct, Name="mine")["Configuration"]
assert got["TransformationConfigurations"][0]["Actions"] == ["GetObject"], got
body = s3.get_object(Bucket=alias, Key="b.txt.gz")["Body"].read().decode()
assert body == "through boto3\n", body
part = s3.get_object(Bucket=alias, Key="b.txt.gz", Range="bytes=0-6")
assert part["Body"].read() == b"through" and part["ContentRange"] == "bytes 0-6/14", part["ContentRange"]
try:
    s3.get_object(Bucket=alias, Key="b.txt.gz", PartNumber=1)
    raise SystemExit("partNumber was allowed")
except ClientError as e:
    assert e.response["Error"]["Code"] == "NotImplemented", e.response
ctl.delete_access_point_for_object_lambda(AccountId=acct, Name="mine")
try:
    ctl.get_access_point_for_object_lambda(AccountId=acct, Name="mine")
    raise SystemExit("still there")
except ClientError as e:
    assert e.response["Error"]["Code"] == "NoSuchAccessPoint", e.response
print("boto3 object lambda ok")
`
	cmd := exec.Command(python, "-c", script)
	cmd.Env = append(clientEnv(emu), "AWS_ENDPOINT_URL="+strings.Replace(emu.URL, "127.0.0.1", "localhost", 1))
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.True(t, strings.Contains(string(out), "boto3 object lambda ok"), "%s", out)
}
