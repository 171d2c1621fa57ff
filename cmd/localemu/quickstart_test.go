package main

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

func build(t *testing.T, pkg, out string) {
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	b, err := cmd.CombinedOutput()
	require.NoError(t, err, "go build %s: %s", pkg, b)
}

type emulator struct {
	addr    string
	aliases map[string]string
	env     []string
}

// start runs the built emulator and reads its banner for the address and
// the access points' aliases.
func start(t *testing.T, bin string, args ...string) *emulator {
	cmd := exec.Command(bin, append([]string{"--memory", "--addr", "127.0.0.1:0"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	stderr := &syncbuf.Buffer{}
	cmd.Stderr = stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	e := &emulator{aliases: map[string]string{}}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	addrRE := regexp.MustCompile(`S3 API on http://(\S+)`)
	aliasRE := regexp.MustCompile(`^\s+(\S+)\s+(\S+--ol-s3)$`)
	deadline := time.After(30 * time.Second)
	for {
		select {
		case line, ok := <-lines:
			require.True(t, ok, "the emulator stopped: %s", stderr.String())
			if m := addrRE.FindStringSubmatch(line); m != nil {
				e.addr = m[1]
			}
			if m := aliasRE.FindStringSubmatch(line); m != nil {
				e.aliases[m[1]] = m[2]
			}
			if strings.Contains(line, "s3api get-object") { // the banner's last line
				go func() {
					for range lines {
					}
				}()
				e.env = realclients.Env("http://"+e.addr, "test", "test", "us-east-1")
				return e
			}
		case <-deadline:
			t.Fatalf("no banner: %s", stderr.String())
		}
	}
}

func (e *emulator) run(t *testing.T, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = e.env
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s %v: %s", name, args, out)
	return string(out)
}

// TestQuickstart is the README's quickstart with the real clients: start
// the emulator, put a gzip file in demo with the aws CLI, get it back
// decompressed through the alias; the same with boto3, and through a
// function running as the built bootstrap binary under the emulator's
// Lambda Runtime API.
func TestQuickstart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binaries")
	}
	aws := realclients.Need(t, "aws", "--version")
	python := realclients.Need(t, "python3", "-c", "import boto3")
	dir := t.TempDir()
	emuBin, bootBin := filepath.Join(dir, "localemu"), filepath.Join(dir, "bootstrap")
	build(t, ".", emuBin)
	build(t, "../bootstrap", bootBin)
	setup := map[string]any{
		"buckets":   []string{"demo"},
		"functions": []map[string]any{{"name": "olkit", "builtin": true}, {"name": "boot", "bootstrap": bootBin}},
		"accessPoints": []map[string]any{
			{"name": "decompress", "bucket": "demo", "function": "olkit", "payload": `{"transforms":[{"name":"decompress"}]}`,
				"allowedFeatures": []string{"GetObject-Range"}, "actions": []string{"GetObject", "HeadObject", "ListObjectsV2"}},
			{"name": "viaboot", "bucket": "demo", "function": "boot", "payload": `{"transforms":[{"name":"decompress"}]}`,
				"actions": []string{"GetObject"}},
		},
	}
	cfgFile := filepath.Join(dir, "setup.json")
	b, _ := json.Marshal(setup)
	require.NoError(t, os.WriteFile(cfgFile, b, 0o644))

	for _, tc := range []struct {
		name string
		args []string
		ap   string
	}{
		{"demo", nil, "decompress"},
		{"bootstrap function", []string{"--config", cfgFile}, "viaboot"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := start(t, emuBin, tc.args...)
			alias := e.aliases[tc.ap]
			require.NotEmpty(t, alias, "the banner names %s's alias", tc.ap)
			plain := strings.Repeat("id,name\n1,olkit\n", 2000)
			var gz bytes.Buffer
			w := gzip.NewWriter(&gz)
			w.Write([]byte(plain))
			w.Close()
			src := filepath.Join(dir, tc.ap+".csv.gz")
			require.NoError(t, os.WriteFile(src, gz.Bytes(), 0o644))

			e.run(t, aws, "s3", "cp", src, "s3://demo/data/report.csv.gz")
			out := filepath.Join(dir, tc.ap+".out")
			meta := e.run(t, aws, "s3api", "get-object", "--bucket", alias, "--key", "data/report.csv.gz", out)
			got, err := os.ReadFile(out)
			require.NoError(t, err)
			assert.Equal(t, plain, string(got), "the aws CLI gets it decompressed through the alias")
			assert.Contains(t, meta, `"ContentType": "text/csv"`)

			script := fmt.Sprintf(`
import boto3, os
s3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
body = s3.get_object(Bucket=%q, Key="data/report.csv.gz")["Body"].read()
assert body.decode() == %q, "boto3 got %%d bytes" %% len(body)
print("boto3 ok")
`, alias, plain)
			assert.Contains(t, e.run(t, python, "-c", script), "boto3 ok")
			if tc.ap == "decompress" {
				ranged := filepath.Join(dir, "ranged.out")
				meta = e.run(t, aws, "s3api", "get-object", "--bucket", alias, "--key", "data/report.csv.gz", "--range", "bytes=0-6", ranged)
				got, _ = os.ReadFile(ranged)
				assert.Equal(t, "id,name", string(got))
				assert.Contains(t, meta, fmt.Sprintf(`"ContentRange": "bytes 0-6/%d"`, len(plain)), "a range states the total, learnt by counting")
			}
		})
	}
}
