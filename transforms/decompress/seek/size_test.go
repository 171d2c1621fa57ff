package seek_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/transforms/decompress/seek"
)

func decodedSize(data []byte, f seek.Format, entry string) (int64, error) {
	return seek.DecodedSize(bytes.NewReader(data), seek.ID{Size: int64(len(data))}, f, entry)
}

func TestZipSizeComesFromTheCentralDirectory(t *testing.T) {
	if _, err := exec.LookPath("zip"); err != nil {
		t.Skip("zip is not installed on this machine")
	}
	dir := t.TempDir()
	a, b := plainText(2, 300000), plainText(3, 12345)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.log"), a, 0o644))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "sub"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "sub", "b.csv"), b, 0o644))
	run := func(name string, files ...string) []byte {
		cmd := exec.Command("zip", append([]string{"-q", "-r", name}, files...)...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", out)
		data, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		return data
	}
	two := run("two.zip", "a.log", "sub")
	n, err := decodedSize(two, seek.Zip, "sub/b.csv")
	require.NoError(t, err)
	assert.Equal(t, int64(len(b)), n)
	_, err = decodedSize(two, seek.Zip, "")
	assert.ErrorContains(t, err, "holds 2 files", "which entry is ambiguous")
	_, err = decodedSize(two, seek.Zip, "missing.txt")
	assert.ErrorContains(t, err, "no entry")

	n, err = decodedSize(run("one.zip", "a.log"), seek.Zip, "")
	require.NoError(t, err)
	assert.Equal(t, int64(len(a)), n, "the only file of a one-file archive")
}

func TestZstdSizeIsTheSumOfFrameContentSizes(t *testing.T) {
	plain := plainText(4, 2<<20+77)
	parts := splits(plain, 3)
	// The zstd CLI states the content size when it knows the input's size
	// (a file), and cannot when it reads a pipe.
	dir := t.TempDir()
	var framed []byte
	for i, p := range parts {
		file := filepath.Join(dir, string(rune('a'+i)))
		require.NoError(t, os.WriteFile(file, p, 0o644))
		framed = append(framed, cli(t, nil, "zstd", "-q", "-c", file)...)
	}
	n, err := decodedSize(framed, seek.Zstd, "")
	require.NoError(t, err)
	assert.Equal(t, int64(len(plain)), n)

	piped := append(bytes.Clone(framed), cli(t, []byte("tail"), "zstd", "-q", "-c")...)
	_, err = decodedSize(piped, seek.Zstd, "")
	assert.ErrorIs(t, err, seek.ErrUnknownSize, "one frame without a content size makes the sum unknown")

	withTable := goZstdFrames(plain, 100000, true) // EncodeAll states sizes; the seek table is skipped
	n, err = decodedSize(withTable, seek.Zstd, "")
	require.NoError(t, err)
	assert.Equal(t, int64(len(plain)), n)

	_, err = decodedSize(framed[:len(framed)-5], seek.Zstd, "")
	assert.Error(t, err, "a cut frame is an error, not a size")
}

func TestSnappySizeComesFromChunkHeaders(t *testing.T) {
	plain := plainText(5, 1<<20+3)
	data := concat(splits(plain, 3), goSnappy)
	n, err := decodedSize(data, seek.Snappy, "")
	require.NoError(t, err)
	assert.Equal(t, int64(len(plain)), n)
}

// TestGzipSizeIsNeverGuessed: ISIZE of the last member says 12 bytes for
// a two-member stream of more; no answer is better than that one.
func TestGzipSizeIsNeverGuessed(t *testing.T) {
	data := append(cli(t, plainText(6, 5000), "gzip", "-c"), cli(t, []byte("twelve bytes"), "gzip", "-c")...)
	for _, f := range []seek.Format{seek.Gzip, seek.Zlib, seek.Deflate, seek.Bzip2} {
		_, err := decodedSize(data, f, "")
		assert.ErrorIs(t, err, seek.ErrUnknownSize, f)
	}
}
