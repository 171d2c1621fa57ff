package decompress_test

import (
	"archive/zip"
	"bytes"
	"net/http"
	"runtime"
	"testing"

	"github.com/klauspost/compress/zstd"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestZipEntries(t *testing.T) {
	csv := corpus(300 << 10)
	txt := []byte("just one line\n")
	multi := zipTool(t, map[string][]byte{"data/report.csv": csv, "readme.txt": txt})
	single := zipTool(t, map[string][]byte{"only.json": []byte(`{"a":1}`)})

	for _, tc := range []struct {
		name, key string
		archive   []byte
		opts      string
		want      []byte
		ctype     string
	}{
		{"named by file_name", "a.zip?file_name=data/report.csv", multi, "", csv, "text/csv"},
		{"named by option", "a.zip", multi, `{"entry":"readme.txt"}`, txt, "text/plain"},
		{"file_name wins over option", "a.zip?file_name=readme.txt", multi, `{"entry":"data/report.csv"}`, txt, "text/plain"},
		{"the only file by default", "one.zip", single, "", []byte(`{"a":1}`), "application/json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			payload := plain
			if tc.opts != "" {
				payload = withOptions(tc.opts)
			}
			for _, viaSource := range []bool{true, false} {
				res := run(t, payload, tc.key, http.Header{"Etag": {`"zip"`}}, tc.archive, viaSource)
				require.NoError(t, res.err, "viaSource=%v", viaSource)
				assert.Equal(t, tc.want, res.out)
				assert.Equal(t, int64(len(tc.want)), res.obj.Size, "a ZIP entry states its length")
				assert.Equal(t, tc.ctype, res.obj.Header.Get("Content-Type"))
				assert.Empty(t, res.obj.Header.Get("ETag"))
			}
		})
	}

	t.Run("no entry chosen among several", func(t *testing.T) {
		res := run(t, plain, "a.zip", nil, multi, true)
		msg := requireS3Error(t, res.err, 400, "InvalidRequest")
		assert.Contains(t, msg, "file_name")
		assert.Contains(t, msg, `"readme.txt"`)
	})
	t.Run("entry not found", func(t *testing.T) {
		res := run(t, plain, "a.zip?file_name=nope.csv", nil, multi, true)
		msg := requireS3Error(t, res.err, 404, "NoSuchKey")
		assert.Contains(t, msg, `"nope.csv"`)
	})
	t.Run("not an archive", func(t *testing.T) {
		res := run(t, withOptions(`{"format":"zip"}`), "a.zip", nil, []byte("PK\x03\x04 but nothing more"), true)
		requireS3Error(t, res.err, 400, "UnexpectedContent")
	})
}

func TestZipMethodsAndZip64(t *testing.T) {
	data := corpus(1 << 20)
	t.Run("stored", func(t *testing.T) {
		res := run(t, plain, "s.zip", nil, zipTool(t, map[string][]byte{"a.bin": data}, "-0"), true)
		require.NoError(t, res.err)
		assert.Equal(t, data, res.out)
	})
	t.Run("zip64", func(t *testing.T) {
		archive := zipTool(t, map[string][]byte{"a.bin": data}, "-fz")
		res := run(t, plain, "z.zip", nil, archive, true)
		require.NoError(t, res.err)
		assert.Equal(t, data, res.out)
	})
	t.Run("zstd entries", func(t *testing.T) {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		zw.RegisterCompressor(zstd.ZipMethodWinZip, zstd.ZipCompressor())
		w, err := zw.CreateHeader(&zip.FileHeader{Name: "z.log", Method: zstd.ZipMethodWinZip})
		require.NoError(t, err)
		w.Write(data)
		require.NoError(t, zw.Close())
		res := run(t, plain, "z.zip", nil, buf.Bytes(), true)
		require.NoError(t, res.err)
		assert.Equal(t, data, res.out)
	})
	t.Run("unsupported method", func(t *testing.T) {
		archive := zipTool(t, map[string][]byte{"a.bin": data}, "-0")
		// Method field of both headers: local at 8, central after the data.
		archive[8] = 12 // bzip2, which olkit does not read inside ZIP
		i := bytes.Index(archive, []byte("PK\x01\x02"))
		archive[i+10] = 12
		res := run(t, plain, "a.zip", nil, archive, true)
		msg := requireS3Error(t, res.err, 400, "UnexpectedContent")
		assert.Contains(t, msg, "method 12")
	})
	t.Run("crc mismatch fails at the end", func(t *testing.T) {
		archive := zipTool(t, map[string][]byte{"a.bin": data}, "-0")
		archive[len(archive)/2] ^= 0xff // inside the stored data
		res := run(t, plain, "a.zip", nil, archive, true)
		msg := requireS3Error(t, res.err, 400, "UnexpectedContent")
		assert.Contains(t, msg, "checksum")
	})
	t.Run("encrypted", func(t *testing.T) {
		archive := zipTool(t, map[string][]byte{"a.bin": data}, "-0")
		i := bytes.Index(archive, []byte("PK\x01\x02"))
		archive[i+8] |= 1
		archive[6] |= 1
		res := run(t, plain, "a.zip", nil, archive, true)
		msg := requireS3Error(t, res.err, 400, "UnexpectedContent")
		assert.Contains(t, msg, "encrypted")
	})
}

func TestZipInsideGzipIsSpooled(t *testing.T) {
	data := corpus(500 << 10)
	archive := zipTool(t, map[string][]byte{"inner.csv": data})
	gz := gzipTool(t, archive)
	chain := `{"transforms":[{"name":"decompress","options":{"format":"gzip"}},{"name":"decompress"}]}`
	res := run(t, chain, "bundle.zip.gz", nil, gz, true)
	require.NoError(t, res.err)
	assert.Equal(t, data, res.out)
	assert.Equal(t, "text/csv", res.obj.Header.Get("Content-Type"))

	small := `{"transforms":[{"name":"decompress","options":{"format":"gzip"}},{"name":"decompress","options":{"maxSpoolBytes":65536}}]}`
	res = run(t, small, "bundle.zip.gz", nil, gz, true)
	msg := requireS3Error(t, res.err, 400, "EntityTooLarge")
	assert.Contains(t, msg, "maxSpoolBytes")
}

func TestZipBombByDeclaredSize(t *testing.T) {
	archive := zipTool(t, map[string][]byte{"zeros": make([]byte, 32<<20)})
	res := run(t, withOptions(`{"maxOutputBytes":1048576}`), "b.zip", nil, archive, true)
	msg := requireS3Error(t, res.err, 400, "EntityTooLarge")
	assert.Contains(t, msg, "maxOutputBytes")
	res = run(t, plain, "b.zip", nil, archive, true)
	msg = requireS3Error(t, res.err, 400, "EntityTooLarge")
	assert.Contains(t, msg, "maxRatio")
}

// TestBombs feeds inputs of at most a kilobyte that expand a
// thousandfold and more: each fails cleanly, having produced no more than
// the limit, with the allocation bounded.
func TestBombs(t *testing.T) {
	zeros := make([]byte, 32<<20)
	bombs := map[string][]byte{
		"zstd":  zstdTool(t, zeros[:24<<20], "-19"), // ~800 bytes
		"bzip2": bzip2Tool(t, zeros[:4<<20]),        // ~50 bytes
		"gzip":  tool(t, zeros[:1<<20], "gzip", "-9", "-c"),
	}
	zeros = nil
	runtime.GC()
	for name, bomb := range bombs {
		t.Run(name, func(t *testing.T) {
			require.LessOrEqual(t, len(bomb), 1100, "a kilobyte bomb")
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			res := run(t, withOptions(`{"maxOutputBytes":262144}`), "b", nil, bomb, false)
			runtime.ReadMemStats(&after)
			msg := requireS3Error(t, res.err, 400, "EntityTooLarge")
			assert.Contains(t, msg, "maxOutputBytes")
			assert.Equal(t, 256<<10, len(res.out), "output stops at the limit")
			assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(32<<20), "allocation stays bounded")
		})
	}
	// With default options the ratio guard stops what the size limit would
	// let through: 24 MiB of output from 800 bytes.
	res := run(t, plain, "b", nil, bombs["zstd"], false)
	msg := requireS3Error(t, res.err, 400, "EntityTooLarge")
	assert.Contains(t, msg, "maxRatio")
}

func TestZstdWindowLimit(t *testing.T) {
	data := corpus(40 << 20)
	long := zstdTool(t, data, "--long=27", "-1")
	res := run(t, plain, "l.zst", nil, long, false)
	msg := requireS3Error(t, res.err, 400, "UnexpectedContent")
	assert.Contains(t, msg, "maxWindowBytes")
	res = run(t, withOptions(`{"maxWindowBytes":134217728}`), "l.zst", nil, long, false)
	require.NoError(t, res.err)
	assert.True(t, bytes.Equal(data, res.out))
}
