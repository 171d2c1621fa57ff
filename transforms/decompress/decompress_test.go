package decompress_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/s3err"
)

func parseQuery(q string) url.Values {
	v, _ := url.ParseQuery(q)
	return v
}

// requireS3Error checks err is an *s3err.Error with status and code, and
// returns its message.
func requireS3Error(t *testing.T, err error, status int, code string) string {
	t.Helper()
	var e *s3err.Error
	require.True(t, errors.As(err, &e), "want an S3 error %d %s, got %v", status, code, err)
	assert.Equal(t, status, e.Status, e.Message)
	assert.Equal(t, code, e.Code, e.Message)
	return e.Message
}

func TestRoundTripsWithRealTools(t *testing.T) {
	data := corpus(3 << 20)
	half := data[:len(data)/2]
	for _, tc := range []struct {
		name, key string
		make      func(t testing.TB) []byte
		want      []byte
		ctype     string
	}{
		{"gzip", "logs/app.log.gz", func(t testing.TB) []byte { return gzipTool(t, data) }, data, "text/plain"},
		{"gzip multi-member", "x.csv.gz", func(t testing.TB) []byte {
			return append(gzipTool(t, half), gzipTool(t, data)...)
		}, append(append([]byte{}, half...), data...), "text/csv"},
		{"gzip empty", "e.json.gz", func(t testing.TB) []byte { return gzipTool(t, nil) }, nil, "application/json"},
		{"bzip2", "a.tsv.bz2", func(t testing.TB) []byte { return bzip2Tool(t, data) }, data, "text/tab-separated-values"},
		{"bzip2 multi-stream", "a.bz2", func(t testing.TB) []byte {
			return append(bzip2Tool(t, half), bzip2Tool(t, data)...)
		}, append(append([]byte{}, half...), data...), "application/octet-stream"},
		{"bzip2 empty", "e.bz2", func(t testing.TB) []byte { return bzip2Tool(t, nil) }, nil, "application/octet-stream"},
		{"zstd", "events.jsonl.zst", func(t testing.TB) []byte { return zstdTool(t, data, "-19") }, data, "application/x-ndjson"},
		{"zstd multi-frame", "m.zst", func(t testing.TB) []byte {
			return append(zstdTool(t, half), zstdTool(t, data, "-1")...)
		}, append(append([]byte{}, half...), data...), "application/octet-stream"},
		{"zstd empty", "e.zst", func(t testing.TB) []byte { return zstdTool(t, nil) }, nil, "application/octet-stream"},
		{"zlib", "blob.zz", func(t testing.TB) []byte { return zlibTool(t, data) }, data, "application/octet-stream"},
		{"snappy framed", "s.txt.sz", func(testing.TB) []byte { return snappyFrame(data, true) }, data, "text/plain"},
		{"snappy framed, stored chunks", "s.snappy", func(testing.TB) []byte { return snappyFrame(data, false) }, data, "application/octet-stream"},
		{"snappy empty", "e.sz", func(testing.TB) []byte { return snappyFrame(nil, true) }, nil, "application/octet-stream"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			compressed := tc.make(t)
			hdr := http.Header{"Etag": {`"compressed"`}, "X-Amz-Checksum-Crc32": {"AAAAAA=="}, "X-Amz-Meta-Origin": {"etl"}}
			res := run(t, plain, tc.key, hdr, compressed, false)
			require.NoError(t, res.err)
			assert.True(t, bytes.Equal(tc.want, res.out), "output differs (%d bytes, want %d)", len(res.out), len(tc.want))
			assert.Equal(t, tc.ctype, res.obj.Header.Get("Content-Type"))
			assert.Empty(t, res.obj.Header.Get("ETag"), "the compressed bytes' ETag is dropped")
			assert.Empty(t, res.obj.Header.Get("X-Amz-Checksum-Crc32"))
			assert.Equal(t, "etl", res.obj.Header.Get("X-Amz-Meta-Origin"))
			assert.Equal(t, int64(-1), res.obj.Size)
		})
	}
}

func TestOneByteReadsGiveTheSameBytes(t *testing.T) {
	data := corpus(200 << 10)
	for name, compressed := range map[string][]byte{
		"gzip": gzipTool(t, data), "bzip2": bzip2Tool(t, data), "zstd": zstdTool(t, data),
		"zlib": zlibTool(t, data), "snappy": snappyFrame(data, true),
	} {
		t.Run(name, func(t *testing.T) {
			got := runOneByte(t, plain, compressed)
			assert.True(t, bytes.Equal(data, got), "%s: one-byte reads differ", name)
		})
	}
}

func TestContentEncodingAndTypeHeaders(t *testing.T) {
	data := []byte("a,b\n1,2\n")
	gz := gzipTool(t, data)
	// Stored the HTTP way: the type describes the decoded data; keep it.
	res := run(t, plain, "export", http.Header{"Content-Type": {"text/csv; charset=utf-8"}, "Content-Encoding": {"gzip"}}, gz, false)
	require.NoError(t, res.err)
	assert.Equal(t, data, res.out)
	assert.Empty(t, res.obj.Header.Get("Content-Encoding"))
	assert.Equal(t, "text/csv; charset=utf-8", res.obj.Header.Get("Content-Type"))

	// A type that only says "gzip" is replaced by the inner name's.
	res = run(t, plain, "report.csv.gz", http.Header{"Content-Type": {"application/gzip"}}, gz, false)
	require.NoError(t, res.err)
	assert.Equal(t, "text/csv", res.obj.Header.Get("Content-Type"))
}

func TestDetection(t *testing.T) {
	data := []byte(strings.Repeat("detect me\n", 100))
	gz, zst := gzipTool(t, data), zstdTool(t, data)

	t.Run("magic wins over suffix and encoding", func(t *testing.T) {
		res := run(t, plain, "mislabelled.bz2", http.Header{"Content-Encoding": {"zstd"}}, gz, false)
		require.NoError(t, res.err)
		assert.Equal(t, data, res.out)
	})
	t.Run("content-encoding when there is no magic", func(t *testing.T) {
		block := snappyBlockOf(data)
		res := run(t, withOptions(`{"format":"snappy-block"}`), "x", nil, block, false)
		require.NoError(t, res.err)
		assert.Equal(t, data, res.out)
		assert.Equal(t, int64(len(data)), res.obj.Size, "a raw snappy block states its length")
	})
	t.Run("suffix claims a format the data is not in", func(t *testing.T) {
		res := run(t, plain, "notreally.gz", nil, []byte("\x00\x01plain bytes, not gzip"), false)
		msg := requireS3Error(t, res.err, 400, "UnexpectedContent")
		assert.Contains(t, msg, "gzip")
	})
	t.Run("forced format", func(t *testing.T) {
		res := run(t, withOptions(`{"format":"zstd"}`), "x.gz", nil, zst, false)
		require.NoError(t, res.err)
		assert.Equal(t, data, res.out)
	})
	t.Run("formats limits what is accepted", func(t *testing.T) {
		hdr := http.Header{"Etag": {`"e"`}}
		res := run(t, withOptions(`{"formats":["gzip"]}`), "x.zst", hdr, zst, false)
		require.NoError(t, res.err)
		assert.Equal(t, zst, res.out, "zstd is not accepted here: passed through")
		assert.Equal(t, `"e"`, res.obj.Header.Get("ETag"), "unchanged bytes keep their ETag")
		assert.Equal(t, int64(len(zst)), res.obj.Size)
	})
	t.Run("unknown data passes through unchanged", func(t *testing.T) {
		hdr := http.Header{"Etag": {`"plain"`}, "Content-Type": {"text/plain"}}
		res := run(t, plain, "notes.txt", hdr, data, false)
		require.NoError(t, res.err)
		assert.Equal(t, data, res.out)
		assert.Equal(t, `"plain"`, res.obj.Header.Get("ETag"))
		assert.Equal(t, "text/plain", res.obj.Header.Get("Content-Type"))
	})
	t.Run("unknown data refused when asked", func(t *testing.T) {
		res := run(t, withOptions(`{"unknown":"refuse"}`), "notes.txt", nil, data, false)
		msg := requireS3Error(t, res.err, 400, "UnexpectedContent")
		assert.Contains(t, msg, "notes.txt")
	})
	t.Run("empty object", func(t *testing.T) {
		res := run(t, plain, "empty.gz", nil, nil, false)
		require.NoError(t, res.err)
		assert.Empty(t, res.out)
	})
}

func TestCorruptAndTruncatedInput(t *testing.T) {
	data := corpus(1 << 20)
	for name, compressed := range map[string][]byte{
		"gzip": gzipTool(t, data), "bzip2": bzip2Tool(t, data), "zstd": zstdTool(t, data),
		"zlib": zlibTool(t, data), "snappy": snappyFrame(data, true),
	} {
		t.Run(name+" truncated", func(t *testing.T) {
			res := run(t, withOptions(`{"format":"`+name+`"}`), "x", nil, compressed[:len(compressed)*2/3], false)
			msg := requireS3Error(t, res.err, 400, "UnexpectedContent")
			assert.Contains(t, msg, name)
			assert.Less(t, len(res.out), len(data), "never a full-length success")
		})
		t.Run(name+" corrupt", func(t *testing.T) {
			bad := bytes.Clone(compressed)
			for i := len(bad) / 2; i < len(bad)/2+64; i++ {
				bad[i] ^= 0x5a
			}
			res := run(t, withOptions(`{"format":"`+name+`"}`), "x", nil, bad, false)
			msg := requireS3Error(t, res.err, 400, "UnexpectedContent")
			assert.Contains(t, msg, name)
		})
		t.Run(name+" header only", func(t *testing.T) {
			res := run(t, withOptions(`{"format":"`+name+`"}`), "x", nil, compressed[:3], false)
			requireS3Error(t, res.err, 400, "UnexpectedContent")
			assert.Empty(t, res.out)
		})
	}
}

func TestSourceErrorsPassThrough(t *testing.T) {
	gz := gzipTool(t, corpus(1<<20))
	boom := errors.New("network gone")
	for _, cut := range []int{0, 5, len(gz) / 2} {
		c := mustChain(t, plain)
		src := io.MultiReader(bytes.NewReader(gz[:cut]), errReader{boom})
		_, err := readChain(c, "x.gz", src)
		assert.ErrorIs(t, err, boom, "cut at %d: the source's own error, not UnexpectedContent", cut)
		var e *s3err.Error
		assert.False(t, errors.As(err, &e) && e.Code == "UnexpectedContent", "cut at %d", cut)
	}
}

func TestOptionsValidation(t *testing.T) {
	for opts, want := range map[string]string{
		`{"format":"rar"}`:                     `"rar" is not one of`,
		`{"formats":["gzip","lz4"]}`:           `"lz4" is not one of`,
		`{"format":"zstd","formats":["gzip"]}`: "not among formats",
		`{"unknown":"maybe"}`:                  `neither "pass" nor "refuse"`,
		`{"maxRatio":0.5}`:                     "maxRatio",
		`{"maxOutputBytes":-1}`:                "maxOutputBytes",
		`{"maxWindow":1}`:                      `unknown field "maxWindow"`,
	} {
		_, err := parseChain(withOptions(opts))
		msg := requireS3Error(t, err, 400, "InvalidRequest")
		assert.Contains(t, msg, want, opts)
	}
}
