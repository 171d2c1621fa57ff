package cli

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"

	"github.com/olkit/olkit/s3err"
	"github.com/olkit/olkit/transforms"
	_ "github.com/olkit/olkit/transforms/builtin"
)

func init() {
	transforms.Register("clitest-reverse-lines", func(json.RawMessage) (transforms.Transform, error) {
		return transforms.Func(func(_ context.Context, obj *transforms.Object, r io.Reader) (io.Reader, error) {
			obj.Header.Set("Content-Type", "text/plain; charset=utf-8")
			data, err := io.ReadAll(r)
			if err != nil {
				return nil, err
			}
			lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
			for i, j := 0, len(lines)-1; i < j; i, j = i+1, j-1 {
				lines[i], lines[j] = lines[j], lines[i]
			}
			return strings.NewReader(strings.Join(lines, "\n") + "\n"), nil
		}), nil
	})
}

func runCLI(t *testing.T, stdin io.Reader, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Run(context.Background(), args, stdin, &out, &errb)
	return code, out.String(), errb.String()
}

func TestRunIdentityCopiesInput(t *testing.T) {
	t.Setenv("OLKIT_TRANSFORMS", "")
	in := strings.Repeat("olkit\n", 50_000)
	code, out, errOut := runCLI(t, iotest.HalfReader(strings.NewReader(in)), "run")
	assert.Equal(t, 0, code, errOut)
	assert.Equal(t, in, out)
}

func TestRunAppliesPayloadAndShowsHeaders(t *testing.T) {
	code, out, errOut := runCLI(t, strings.NewReader("a\nb\nc\n"), "run",
		"--payload", `{"transforms":[{"name":"clitest-reverse-lines"}]}`,
		"--header", "ETag: \"x\"", "--header", "x-amz-meta-team: data", "--show-headers")
	assert.Equal(t, 0, code, errOut)
	assert.Equal(t, "c\nb\na\n", out)
	assert.Contains(t, errOut, "Content-Type: text/plain; charset=utf-8")
	assert.Contains(t, errOut, "X-Amz-Meta-Team: data")
	assert.NotContains(t, errOut, `Etag: "x"`, "the ETag of the original bytes is not the output's")
	assert.Contains(t, errOut, "Etag: ", "the output has an ETag of its own, as through an access point")
}

func TestRunPayloadFromEnvironment(t *testing.T) {
	t.Setenv("OLKIT_TRANSFORMS", `{"transforms":[{"name":"clitest-reverse-lines"}]}`)
	code, out, _ := runCLI(t, strings.NewReader("1\n2\n"), "run")
	assert.Equal(t, 0, code)
	assert.Equal(t, "2\n1\n", out)
}

func TestRunBadPayloadFails(t *testing.T) {
	code, out, errOut := runCLI(t, strings.NewReader("x"), "run", "--payload", `{"transforms":[{"name":"nope"}]}`)
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, `olkit: 400 InvalidRequest:`)
	assert.Contains(t, errOut, `unknown transform "nope"`)
}

func TestRunInputErrorFails(t *testing.T) {
	broken := io.MultiReader(strings.NewReader("partial"), iotest.ErrReader(s3err.New(400, "UnexpectedContent", "bad bytes")))
	code, _, errOut := runCLI(t, broken, "run")
	assert.Equal(t, 1, code)
	assert.Equal(t, "olkit: 400 UnexpectedContent: bad bytes\n", errOut)

	code, _, errOut = runCLI(t, iotest.ErrReader(errors.New("disk on fire")), "run")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "500 InternalError: disk on fire")
}

func TestUsageErrors(t *testing.T) {
	code, _, errOut := runCLI(t, nil)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "usage:")
	code, _, errOut = runCLI(t, nil, "frobnicate")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `unknown command "frobnicate"`)
	code, _, errOut = runCLI(t, strings.NewReader(""), "run", "--header", "no-colon")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "Name: value")
	code, _, _ = runCLI(t, strings.NewReader(""), "run", "file.txt")
	assert.Equal(t, 2, code)
}

func TestTransformsListsRegistered(t *testing.T) {
	code, out, _ := runCLI(t, nil, "transforms")
	assert.Equal(t, 0, code)
	assert.Contains(t, strings.Fields(out), "identity")
	assert.Contains(t, strings.Fields(out), "clitest-reverse-lines")
}

func TestRunZipFromARegularFile(t *testing.T) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, body := range map[string]string{"a.csv": "x,y\n1,2\n", "b.txt": "bee\n"} {
		w, err := zw.Create(name)
		assert.NoError(t, err)
		io.WriteString(w, body)
	}
	assert.NoError(t, zw.Close())
	path := filepath.Join(t.TempDir(), "bundle.zip")
	assert.NoError(t, os.WriteFile(path, b.Bytes(), 0o644))
	f, err := os.Open(path)
	assert.NoError(t, err)
	defer f.Close()

	code, out, errOut := runCLI(t, f, "run", "--payload", `{"transforms":[{"name":"decompress"}]}`,
		"--key", "bundle.zip", "--query", "file_name=a.csv", "--show-headers")
	assert.Equal(t, 0, code, errOut)
	assert.Equal(t, "x,y\n1,2\n", out)
	assert.Contains(t, errOut, "Content-Type: text/csv")
	assert.Contains(t, errOut, "Content-Length: 8")
}
