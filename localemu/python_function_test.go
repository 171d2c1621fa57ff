package localemu_test

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/localemu/emutest"
	"github.com/olkit/olkit/localemu/internal/function"
	"github.com/olkit/olkit/localemu/internal/objectlambda"
)

// TestPythonFunction runs an Object Lambda function written in Python
// with boto3 (testdata/pyfunction, written as AWS's samples are) both ways
// the emulator runs foreign functions: as a Runtime API `bootstrap`, and
// behind a Lambda Invoke endpoint. boto3 and the aws CLI read through each
// access point's alias. The emulator is thus checked against botocore's
// signing, its WGOR, and a function that compares header names as strings.
func TestPythonFunction(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Python processes")
	}
	python := needClient(t, "python3", "-c", "import boto3")
	awsCLI := needClient(t, "aws", "--version")
	emu := emutest.New(t)
	client := s3.NewFromConfig(emu.Config, func(o *s3.Options) { o.UsePathStyle = true })
	_, err := client.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String("data")})
	require.NoError(t, err)
	_, err = client.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String("data"), Key: aws.String("note.txt"),
		Body: strings.NewReader("hello from python\n"), Metadata: map[string]string{"owner": "me"}})
	require.NoError(t, err)

	dir, err := filepath.Abs(filepath.Join("testdata", "pyfunction"))
	require.NoError(t, err)
	noProxy := []string{"NO_PROXY=127.0.0.1,localhost", "no_proxy=127.0.0.1,localhost"}

	// Runtime API: the emulator starts bootstrap and serves it the API.
	rt, err := function.NewBootstrap(function.BootstrapConfig{Name: "py-runtime", Path: filepath.Join(dir, "bootstrap"),
		Env:       append([]string{"AWS_ENDPOINT_URL_S3=" + emu.URL, "AWS_CONFIG_FILE=/dev/null", "PYTHONDONTWRITEBYTECODE=1"}, noProxy...),
		AccessKey: emu.AccessKey, SecretKey: emu.SecretKey, Region: emu.Region, Logf: t.Logf})
	require.NoError(t, err)
	t.Cleanup(func() { rt.Close() })
	emu.ObjectLambda.SetFunction("py-runtime", rt)

	// Invoke endpoint: a Python server the emulator invokes over HTTP.
	srv := exec.Command(python, filepath.Join(dir, "invoke_server.py"))
	srv.Env = append(clientEnv(emu), append(noProxy, "AWS_ENDPOINT_URL_S3="+emu.URL, "PYTHONDONTWRITEBYTECODE=1")...)
	srv.Stderr = os.Stderr
	stdout, err := srv.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, srv.Start())
	t.Cleanup(func() { srv.Process.Kill(); srv.Wait() })
	port, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(t, err, "the invoke server did not print its port")
	emu.ObjectLambda.SetFunction("py-invoke", &function.HTTPInvoker{Endpoint: "http://127.0.0.1:" + strings.TrimSpace(port), Name: "py-invoke"})

	for _, name := range []string{"py-runtime", "py-invoke"} {
		require.NoError(t, emu.ObjectLambda.Put(objectlambda.AccessPoint{Name: name, Bucket: "data", Function: name,
			Actions: []string{"GetObject", "HeadObject", "ListObjectsV2"}}))
		alias := emu.ObjectLambda.Alias(name)
		t.Run(name+"/boto3", func(t *testing.T) {
			cmd := exec.Command(python, "-c", pythonCaller, alias)
			cmd.Env = append(clientEnv(emu), noProxy...)
			out, err := cmd.CombinedOutput()
			require.NoError(t, err, "%s", out)
			assert.Contains(t, string(out), "boto3 through "+alias+" ok")
		})
		t.Run(name+"/aws-cli", func(t *testing.T) {
			aws := func(args ...string) string {
				cmd := exec.Command(awsCLI, args...)
				cmd.Env = append(clientEnv(emu), noProxy...)
				cmd.Dir = t.TempDir()
				out, err := cmd.CombinedOutput()
				require.NoError(t, err, "aws %s: %s", strings.Join(args, " "), out)
				return string(out)
			}
			head := aws("s3api", "head-object", "--bucket", alias, "--key", "note.txt")
			assert.Contains(t, head, `"ContentLength": 18`)
			assert.Contains(t, head, `"owner": "me"`)
			// s3 cp HEADs, then GETs: the HEAD's length must be the GET's.
			assert.Equal(t, "HELLO FROM PYTHON\n", aws("s3", "cp", "s3://"+alias+"/note.txt", "-"))
			assert.Contains(t, aws("s3api", "list-objects-v2", "--bucket", alias), `"Key": "note.txt"`)
		})
	}
}

// pythonCaller reads through the alias in argv[1] with boto3.
const pythonCaller = `
import sys
import boto3
alias = sys.argv[1]
s3 = boto3.client("s3")
got = s3.get_object(Bucket=alias, Key="note.txt")
assert got["Body"].read() == b"HELLO FROM PYTHON\n"
assert got["Metadata"] == {"owner": "me"}, got["Metadata"]
assert got["ContentType"] == "text/plain", got["ContentType"]
# With checksum mode, S3 signs x-amz-checksum-mode into inputS3Url; the
# function forwards it because it sends every signed header.
got = s3.get_object(Bucket=alias, Key="note.txt", ChecksumMode="ENABLED")
assert got["Body"].read() == b"HELLO FROM PYTHON\n"
head = s3.head_object(Bucket=alias, Key="note.txt")
assert head["ContentLength"] == 18 and head["Metadata"] == {"owner": "me"}, head
keys = [o["Key"] for o in s3.list_objects_v2(Bucket=alias)["Contents"]]
assert keys == ["note.txt"], keys
print("boto3 through " + alias + " ok")
`
