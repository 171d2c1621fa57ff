package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/internal/realclients"
)

// TestZipEntryFromTheAWSCLI: the aws CLI cannot add a query parameter
// (file_name) to a GetObject, so an access point whose payload names the
// entry (the decompress option "entry") is how it reads one file of a ZIP
// archive holding several. Both the plain GET (s3api get-object) and the
// multipart download (s3 cp: HEAD for the length, then ranged GETs) give
// that entry; without the option the caller is told which files there are.
func TestZipEntryFromTheAWSCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the emulator")
	}
	awsCLI := realclients.Need(t, "aws", "--version")
	zipTool := realclients.Need(t, "zip", "-v")
	dir := t.TempDir()

	// An archive made by Info-ZIP: two files under inner/, one at the top.
	want := csvText(9 << 20) // past the aws CLI's 8 MiB multipart threshold
	src := filepath.Join(dir, "src")
	require.NoError(t, os.MkdirAll(filepath.Join(src, "inner"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(src, "inner", "b.csv"), want, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(src, "inner", "a.txt"), []byte("not this one\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(src, "top.txt"), []byte("nor this\n"), 0o644))
	archive := filepath.Join(dir, "bundle.zip")
	zip := exec.Command(zipTool, "-q", "-r", archive, "inner", "top.txt")
	zip.Dir = src
	out, err := zip.CombinedOutput()
	require.NoError(t, err, "zip: %s", out)

	ap := func(name, payload string) map[string]any {
		return map[string]any{"name": name, "bucket": "demo", "function": "olkit", "payload": payload,
			"allowedFeatures": []string{"GetObject-Range", "HeadObject-Range"}, "actions": []string{"GetObject", "HeadObject"}}
	}
	setup, err := json.Marshal(map[string]any{
		"buckets":   []string{"demo"},
		"functions": []map[string]any{{"name": "olkit", "builtin": true}},
		"accessPoints": []map[string]any{
			ap("bcsv", `{"transforms":[{"name":"decompress","options":{"entry":"inner/b.csv"}}]}`),
			ap("unzip", `{"transforms":[{"name":"decompress"}]}`),
			ap("missing", `{"transforms":[{"name":"decompress","options":{"entry":"inner/c.csv"}}]}`),
		},
	})
	require.NoError(t, err)
	cfgFile := filepath.Join(dir, "setup.json")
	require.NoError(t, os.WriteFile(cfgFile, setup, 0o644))
	emuBin := filepath.Join(dir, "localemu")
	build(t, ".", emuBin)
	e := start(t, emuBin, "--config", cfgFile)
	e.run(t, awsCLI, "s3", "cp", archive, "s3://demo/exports/bundle.zip")

	alias := e.aliases["bcsv"]
	got := filepath.Join(dir, "get.out")
	meta := e.run(t, awsCLI, "s3api", "get-object", "--bucket", alias, "--key", "exports/bundle.zip", got)
	assert.True(t, bytes.Equal(want, readFile(t, got)), "s3api get-object gives inner/b.csv")
	assert.Contains(t, meta, `"ContentType": "text/csv"`, "the entry's own name gives the type")

	cp := filepath.Join(dir, "cp.out")
	e.run(t, awsCLI, "s3", "cp", "s3://"+alias+"/exports/bundle.zip", cp)
	assert.True(t, bytes.Equal(want, readFile(t, cp)), "s3 cp (HEAD, then ranged GETs) gives inner/b.csv")

	fail := func(ap string) string {
		cmd := exec.Command(awsCLI, "s3api", "get-object", "--bucket", e.aliases[ap], "--key", "exports/bundle.zip", filepath.Join(dir, ap+".out"))
		cmd.Env = e.env
		out, err := cmd.CombinedOutput()
		require.Error(t, err, "%s: %s", ap, out)
		return string(out)
	}
	msg := fail("unzip")
	assert.Contains(t, msg, "InvalidRequest")
	assert.Contains(t, msg, `holds 3 files`, "without the option the caller learns the archive has several files")
	msg = fail("missing")
	assert.Contains(t, msg, "NoSuchKey")
	assert.Contains(t, msg, `has no file "inner/c.csv"`)
}
