package deploytest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/internal/realclients"
	"github.com/olkit/olkit/internal/syncbuf"
)

// TestFunctionURLBinaryRunsLocally is deploy/README.md's local run of the
// function URL binary, black box: `make local-funcurl`, the emulator
// started with deploy/localemu-funcurl.json, a gzip object put with the
// aws CLI, and deploy/events/function-url-get.json sent with `aws lambda
// invoke`. What comes back is what a function URL caller would see:
// the streamed response's prelude (status, headers), eight zero bytes,
// the body.
func TestFunctionURLBinaryRunsLocally(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binaries")
	}
	aws := realclients.Need(t, "aws", "--version")
	dir := t.TempDir()

	mk := exec.Command("make", "-s", "local-funcurl", "LOCAL_BIN="+filepath.Join(dir, "bin"))
	mk.Dir = root
	out, err := mk.CombinedOutput()
	require.NoError(t, err, "make local-funcurl: %s", out)
	emu := filepath.Join(dir, "localemu")
	build := exec.Command("go", "build", "-o", emu, "./cmd/localemu")
	build.Dir = root
	out, err = build.CombinedOutput()
	require.NoError(t, err, "go build ./cmd/localemu: %s", out)

	// The shipped setup, with the binary the test built.
	var setup map[string]any
	raw, err := os.ReadFile(filepath.Join(root, "deploy", "localemu-funcurl.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &setup))
	fn := obj(at(setup, "functions", "0"))
	require.Equal(t, "./bin/local/funcurl/bootstrap", fn["bootstrap"], "the setup names what `make local-funcurl` builds")
	fn["bootstrap"] = filepath.Join(dir, "bin", "funcurl", "bootstrap")
	setupFile := filepath.Join(dir, "setup.json")
	raw, _ = json.Marshal(setup)
	require.NoError(t, os.WriteFile(setupFile, raw, 0o644))
	bucket := fmt.Sprint(at(fn, "env", "OLKIT_BUCKET"))
	function := fmt.Sprint(fn["name"])

	endpoint := startEmulator(t, emu, "--memory", "--addr", "127.0.0.1:0", "--config", setupFile)
	env := realclients.Env(endpoint, "test", "test", "us-east-1")
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(aws, args...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "aws %v: %s", args, out)
		return string(out)
	}

	eventFile := filepath.Join(root, "deploy", "events", "function-url-get.json")
	var event map[string]any
	raw, err = os.ReadFile(eventFile)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &event))
	key := strings.TrimPrefix(fmt.Sprint(event["rawPath"]), "/")
	require.Equal(t, "bytes=0-1023", at(event, "headers", "range"), "the sample asks for the first KiB")

	var plain strings.Builder
	plain.WriteString("id,email\n")
	for i := 0; plain.Len() < 8<<10; i++ {
		fmt.Fprintf(&plain, "%d,user%d@example.com\n", i, i)
	}
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write([]byte(plain.String()))
	require.NoError(t, w.Close())
	src := filepath.Join(dir, "people.csv.gz")
	require.NoError(t, os.WriteFile(src, gz.Bytes(), 0o644))
	run("s3", "cp", src, "s3://"+bucket+"/"+key, "--content-encoding", "gzip")

	invoke := func(eventFile string) (int, map[string]string, []byte) {
		t.Helper()
		outFile := filepath.Join(dir, "out.bin")
		res := run("lambda", "invoke", "--function-name", function, "--payload", "fileb://"+eventFile, outFile)
		assert.NotContains(t, res, "FunctionError", "the function ran: %s", res)
		got, err := os.ReadFile(outFile)
		require.NoError(t, err)
		return parseStreamed(t, got)
	}

	t.Run("the sample event", func(t *testing.T) {
		status, headers, body := invoke(eventFile)
		assert.Equal(t, 206, status)
		assert.Equal(t, fmt.Sprintf("bytes 0-1023/%d", plain.Len()), headers["content-range"], "a range of the decompressed bytes states their total, as S3's do")
		assert.Equal(t, "text/csv", headers["content-type"])
		assert.Empty(t, headers["content-encoding"])
		assert.Equal(t, plain.String()[:1024], string(body))
	})

	variant := func(name string, edit func(ev map[string]any)) string {
		var ev map[string]any
		require.NoError(t, json.Unmarshal(raw, &ev))
		edit(ev)
		b, _ := json.Marshal(ev)
		f := filepath.Join(dir, name+".json")
		require.NoError(t, os.WriteFile(f, b, 0o644))
		return f
	}
	t.Run("whole object", func(t *testing.T) {
		status, _, body := invoke(variant("whole", func(ev map[string]any) { delete(obj(ev["headers"]), "range") }))
		assert.Equal(t, 200, status)
		assert.Equal(t, plain.String(), string(body))
	})
	t.Run("missing key", func(t *testing.T) {
		status, headers, body := invoke(variant("missing", func(ev map[string]any) {
			ev["rawPath"] = "/no/such.csv"
			obj(at(ev, "requestContext", "http"))["path"] = "/no/such.csv"
		}))
		assert.Equal(t, 404, status)
		assert.Equal(t, "application/xml", headers["content-type"])
		assert.Contains(t, string(body), "<Code>NoSuchKey</Code>")
	})
}

// parseStreamed splits what a RESPONSE_STREAM function returns through
// the Invoke API: a JSON prelude, eight zero bytes, the body. Header names
// are lower-cased, as HTTP compares them.
func parseStreamed(t *testing.T, payload []byte) (int, map[string]string, []byte) {
	t.Helper()
	i := bytes.Index(payload, make([]byte, 8))
	require.GreaterOrEqual(t, i, 0, "a streamed function URL response: %q", payload)
	var prelude struct {
		StatusCode int               `json:"statusCode"`
		Headers    map[string]string `json:"headers"`
	}
	require.NoError(t, json.Unmarshal(payload[:i], &prelude), "the prelude: %q", payload[:i])
	headers := map[string]string{}
	for k, v := range prelude.Headers {
		headers[strings.ToLower(k)] = v
	}
	return prelude.StatusCode, headers, payload[i+8:]
}

// startEmulator runs the emulator binary and returns its endpoint, read
// from its banner.
func startEmulator(t *testing.T, bin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = root
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	stderr := &syncbuf.Buffer{}
	cmd.Stderr = stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`S3 API on (http://\S+)`)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
		close(addr)
	}()
	select {
	case a, ok := <-addr:
		require.True(t, ok, "the emulator stopped: %s", stderr.String())
		return a
	case <-time.After(30 * time.Second):
		t.Fatalf("no banner from the emulator: %s", stderr.String())
	}
	return ""
}
