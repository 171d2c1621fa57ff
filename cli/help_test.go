package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHelp: asking for help is a success, on standard output, for the
// command and each subcommand; nothing goes to standard error.
func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}, {"run", "--help"}, {"run", "-h"},
		{"transforms", "--help"}, {"transforms", "-help"}} {
		code, out, errOut := runCLI(t, strings.NewReader(""), args...)
		assert.Equal(t, 0, code, "%v", args)
		assert.Empty(t, errOut, "%v", args)
		assert.Contains(t, out, "usage:", "%v", args)
	}
	_, out, _ := runCLI(t, nil, "--help")
	for _, want := range []string{"olkit run", "olkit transforms [-v]", "OLKIT_TRANSFORMS", DocsURL} {
		assert.Contains(t, out, want)
	}
	_, out, _ = runCLI(t, nil, "run", "--help")
	assert.Contains(t, out, "-payload", "run --help lists its flags")
}

func TestHelpHelper(t *testing.T) {
	var b bytes.Buffer
	assert.False(t, Help(nil, &b, "use me"), "no arguments: Lambda's case")
	assert.False(t, Help([]string{"serve", "-x"}, &b, "use me"))
	assert.Empty(t, b.String())
	assert.True(t, Help([]string{"--help"}, &b, "use me"))
	assert.Equal(t, "use me", b.String())

	u := FunctionUsage()
	for _, want := range []string{"OLKIT_TRANSFORMS", "AWS_ENDPOINT_URL_S3", "OLKIT_AWS_PAYLOAD_TRANSFORM",
		"decompress, identity", "clitest-reverse-lines", DocsURL} {
		assert.Contains(t, u, want, "the function's usage names the environment and this build's transforms")
	}
}

func TestTransformsVerbose(t *testing.T) {
	code, out, errOut := runCLI(t, nil, "transforms", "-v")
	require.Equal(t, 0, code, errOut)
	for _, want := range []string{
		"decompress\n  decompresses gzip",
		"  entry  string\n      the ZIP entry to serve",
		`  unknown  string, default "pass"`,
		"  maxOutputBytes  integer (bytes), default 8589934592 (8 GiB)",
		`  mask_mode  string, default "MASK"`,
		"  max_spool_bytes  integer (bytes), default 536870912 (512 MiB)",
		"identity\n  hands the object on unchanged",
		"clitest-reverse-lines\n  (no description registered)",
	} {
		assert.Contains(t, out, want)
	}
	for _, line := range strings.Split(out, "\n") {
		assert.LessOrEqual(t, len(line), 80, "wrapped for a terminal: %q", line)
	}

	code, out, _ = runCLI(t, nil, "transforms", "redact")
	assert.Equal(t, 0, code)
	assert.True(t, strings.HasPrefix(out, "redact\n"), "naming one describes only it: %s", out)
	assert.NotContains(t, out, "max_spool_bytes", "redact streams: no spool option")
	assert.NotContains(t, out, "decompress")

	code, _, errOut = runCLI(t, nil, "transforms", "-v", "no-such")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `unknown transform "no-such"`)
}

func TestWrap(t *testing.T) {
	assert.Equal(t, "  a bb\n  ccc\n", wrap("a bb  ccc", "  ", 7))
	assert.Equal(t, "  averyveryverylongword\n  x\n", wrap("averyveryverylongword x", "  ", 7), "a long word stands alone")
	assert.Equal(t, "", wrap("  ", "  ", 7))
}
