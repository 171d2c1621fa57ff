package main_test

import (
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/internal/fakes3"
	"github.com/olkit/olkit/internal/syncbuf"
)

// TestPanickingPluginNeverEndsTheProcess runs a function whose plugin
// panics (in its factory, Apply, Head, before the first byte and after
// 100 KiB, with and without checksum mode) under a Runtime API: the caller
// gets an error answer or an aborted stream, never a complete 200, and the
// same process serves the next event.
func TestPanickingPluginNeverEndsTheProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "bootstrap")
	build := exec.Command("go", "build", "-tags", "lambda.norpc", "-o", bin, "./testdata/panicfn")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)

	s3 := fakes3.New(t)
	api := newRuntimeAPI(t)
	logs := &syncbuf.Buffer{}
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(),
		"AWS_LAMBDA_RUNTIME_API="+strings.TrimPrefix(api.URL, "http://"),
		"AWS_LAMBDA_FUNCTION_NAME=olkit", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE=512", "AWS_REGION=us-east-1",
		"AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_SESSION_TOKEN=",
		"AWS_ENDPOINT_URL_S3="+s3.URL, "OLKIT_TRANSFORMS=")
	cmd.Stdout, cmd.Stderr = logs, logs
	require.NoError(t, cmd.Start())
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { cmd.Process.Kill(); <-exited })

	const size = 1 << 20
	s3.Put("data.bin", fakes3.Object{Header: http.Header{"Content-Type": {"application/octet-stream"}, "Etag": {`"v1"`}},
		Size: size, Body: func() io.Reader { return fakes3.Pattern(size) }})
	payload := func(at string) string { return `{"transforms":[{"name":"panic","options":{"at":"` + at + `"}}]}` }
	checksum := map[string]string{"x-amz-checksum-mode": "ENABLED"}

	wgors := 0
	get := func(id, at string, headers map[string]string) (fakes3.WGOR, []byte) {
		t.Helper()
		_, errBody := api.invoke(t, id, s3.Event("data.bin", payload(at), headers))
		w := s3.WaitWGOR(t, wgors)
		wgors++
		return w, errBody
	}
	for _, tc := range []struct {
		id, at  string
		headers map[string]string
	}{
		{"factory", "factory", nil},
		{"apply", "apply", nil},
		{"first-byte", "first", nil},
		{"first-byte-checksum", "first", checksum},
		{"100k-checksum", "100k", checksum}, // spooled before the first byte: an error answer
	} {
		w, _ := get(tc.id, tc.at, tc.headers)
		assert.Equal(t, http.StatusInternalServerError, w.Status, tc.id)
		assert.Equal(t, "InternalError", w.ErrorCode, tc.id)
		assert.Contains(t, w.ErrorMessage, `"panic"`, "%s: the message names the transform", tc.id)
	}

	// After 100 KiB the answer has started: the stream is aborted and the
	// invocation fails, so the caller's download fails.
	w, errBody := get("100k", "100k", nil)
	require.Error(t, w.BodyErr, "the WGOR body must be aborted, not ended as if complete (got %d bytes)", w.BodyLen)
	assert.Less(t, w.BodyLen, int64(size))
	assert.Contains(t, string(errBody), "panicked")

	// HEAD: an error answer in the function's JSON.
	resp, _ := api.invoke(t, "head", s3.HeadEvent("data.bin", payload("head"), nil))
	assert.Contains(t, string(resp), `"statusCode":500`)
	assert.Contains(t, string(resp), `"errorCode":"InternalError"`)

	// The same process serves the next event whole.
	_, errBody = api.invoke(t, "after", s3.Event("data.bin", "", nil))
	require.Nil(t, errBody)
	w = s3.WaitWGOR(t, wgors)
	assert.Equal(t, http.StatusOK, w.Status)
	assert.Equal(t, int64(size), w.BodyLen)
	assert.Equal(t, fakes3.PatternCRC(size), w.BodyCRC)
	select {
	case err := <-exited:
		t.Fatalf("the function exited: %v\n%s", err, logs)
	default:
	}
	assert.Eventually(t, func() bool { return strings.Contains(logs.String(), `"stack":"goroutine`) },
		5*time.Second, 10*time.Millisecond, "the panic's stack goes to the log")
}
