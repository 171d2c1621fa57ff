package objectlambda_test

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/internal/realclients"
	"github.com/olkit/olkit/localemu/internal/function"
	"github.com/olkit/olkit/localemu/internal/objectlambda"
)

// TestNodeFunction runs a function on the AWS SDK for JavaScript v3
// (testdata/nodefunction/bootstrap, installed with npm ci from its lock
// file) as a Runtime API bootstrap, and reads through its alias. Its WGOR
// for a 304 has no body and signs content-length: 0, which the emulator
// used to refuse (403 to the function, 500 LambdaRuntimeError to the
// caller, where S3 gives the caller its 304).
func TestNodeFunction(t *testing.T) {
	if testing.Short() {
		t.Skip("installs npm packages")
	}
	dir := realclients.NpmInstall(t, filepath.Join("testdata", "nodefunction"), "package.json", "package-lock.json", "bootstrap")

	e := setup(t)
	e.put(t, "note.txt", []byte("hello from node\n"), "")
	fn, err := function.NewBootstrap(function.BootstrapConfig{Name: "node", Path: filepath.Join(dir, "bootstrap"),
		Env:       []string{"AWS_ENDPOINT_URL_S3=" + e.emu.URL},
		AccessKey: e.emu.AccessKey, SecretKey: e.emu.SecretKey, Region: e.emu.Region, Logf: t.Logf})
	require.NoError(t, err)
	t.Cleanup(func() { fn.Close() })
	e.emu.ObjectLambda.SetFunction("node", fn)
	require.NoError(t, e.emu.ObjectLambda.Put(objectlambda.AccessPoint{Name: "node", Bucket: "data", Function: "node", Actions: []string{"GetObject"}}))
	alias := aws.String(e.emu.ObjectLambda.Alias("node"))

	out, err := e.s3.GetObject(context.Background(), &s3.GetObjectInput{Bucket: alias, Key: aws.String("note.txt"), ChecksumMode: "ENABLED"})
	require.NoError(t, err)
	body, err := io.ReadAll(out.Body)
	require.NoError(t, err)
	assert.Equal(t, "HELLO FROM NODE\n", string(body))
	assert.Equal(t, "text/plain", aws.ToString(out.ContentType))

	original, err := e.s3.HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String("data"), Key: aws.String("note.txt")})
	require.NoError(t, err)
	_, err = e.s3.GetObject(context.Background(), &s3.GetObjectInput{Bucket: alias, Key: aws.String("note.txt"), IfNoneMatch: original.ETag},
		func(o *s3.Options) { o.RetryMaxAttempts = 1 })
	assert.Equal(t, 304, httpStatus(err), "the function's 304 reaches the caller: %v", err)
	assert.False(t, strings.Contains(errString(err), "LambdaRuntimeError"), "%v", err)
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
