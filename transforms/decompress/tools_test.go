package decompress_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/snappy"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/internal/compresstest"
	"github.com/olkit/olkit/transforms"
	_ "github.com/olkit/olkit/transforms/decompress"
)

// corpus is text and JSON lines like the logs users store compressed, with
// some random bytes so that no format gets it too easy.
func corpus(size int) []byte {
	r := rand.New(rand.NewPCG(3, 4))
	var b bytes.Buffer
	levels := []string{"INFO", "WARN", "ERROR"}
	for b.Len() < size {
		switch r.IntN(3) {
		case 0:
			fmt.Fprintf(&b, "2026-11-21T%02d:%02d:%02dZ %s request path=/api/v1/items/%d status=%d took=%dms\n",
				r.IntN(24), r.IntN(60), r.IntN(60), levels[r.IntN(3)], r.IntN(100000), 200+r.IntN(4)*100, r.IntN(900))
		case 1:
			fmt.Fprintf(&b, `{"id":%d,"user":"u%d","amount":%.2f,"tags":["a","b"]}`+"\n", r.Int64(), r.IntN(5000), r.Float64()*100)
		default:
			for range 16 {
				b.WriteByte(byte(r.Uint32()))
			}
			b.WriteByte('\n')
		}
	}
	return b.Bytes()[:size]
}

// tool runs a compression tool of this machine on input, skipping the test
// when the machine lacks it.
var tool = compresstest.Tool

func gzipTool(t testing.TB, in []byte) []byte  { return tool(t, in, "gzip", "-c", "-6") }
func bzip2Tool(t testing.TB, in []byte) []byte { return tool(t, in, "bzip2", "-c", "-9") }
func zstdTool(t testing.TB, in []byte, args ...string) []byte {
	return tool(t, in, "zstd", append([]string{"-c", "-q"}, args...)...)
}
func zlibTool(t testing.TB, in []byte) []byte {
	return tool(t, in, "python3", "-c", "import sys,zlib; sys.stdout.buffer.write(zlib.compress(sys.stdin.buffer.read(), 9))")
}

// zipTool archives files (name -> content) with Info-ZIP's zip and extra
// flags (-0 stores, -fz forces Zip64), returning the archive.
func zipTool(t testing.TB, files map[string][]byte, flags ...string) []byte {
	t.Helper()
	if _, err := exec.LookPath("zip"); err != nil {
		t.Skip("zip is not installed on this machine")
	}
	dir := t.TempDir()
	var names []string
	for name, data := range files {
		p := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, data, 0o644))
		names = append(names, name)
	}
	archive := filepath.Join(t.TempDir(), "a.zip")
	cmd := exec.Command("zip", append(append([]string{"-q", "-X"}, flags...), append([]string{archive}, names...)...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "zip: %s", out)
	data, err := os.ReadFile(archive)
	require.NoError(t, err)
	return data
}

// snappyFrame builds the framed snappy format from its specification, not
// from the library under test: the stream identifier, then one chunk per
// 64 KiB, compressed (type 0) or stored (type 1), each with the masked
// CRC-32C of its data.
func snappyFrame(data []byte, compressed bool) []byte {
	out := []byte("\xff\x06\x00\x00sNaPpY")
	for len(data) > 0 {
		n := min(len(data), 65536)
		chunk := data[:n]
		data = data[n:]
		body, typ := chunk, byte(1)
		if compressed {
			body, typ = snappy.Encode(nil, chunk), 0
		}
		c := crc32.Checksum(chunk, crc32.MakeTable(crc32.Castagnoli))
		masked := ((c >> 15) | (c << 17)) + 0xa282ead8
		hdr := []byte{typ, 0, 0, 0}
		l := len(body) + 4
		hdr[1], hdr[2], hdr[3] = byte(l), byte(l>>8), byte(l>>16)
		out = append(out, hdr...)
		out = binary.LittleEndian.AppendUint32(out, masked)
		out = append(out, body...)
	}
	return out
}

// run applies a payload to data as an object with key and headers, reading
// the output with read (io.ReadAll when nil).
type result struct {
	out []byte
	obj *transforms.Object
	err error // from Apply or from reading
}

func run(t testing.TB, payload, key string, header http.Header, data []byte, source bool) result {
	t.Helper()
	c, err := transforms.ParseChain(payload)
	require.NoError(t, err)
	if header == nil {
		header = http.Header{}
	}
	obj := &transforms.Object{Key: key, Header: header, Size: int64(len(data))}
	if source {
		obj.Source = bytes.NewReader(data)
	}
	if i := strings.IndexByte(key, '?'); i >= 0 {
		obj.Key = key[:i]
		obj.Query = parseQuery(key[i+1:])
	}
	rc, err := c.Apply(context.Background(), obj, bytes.NewReader(data))
	if err != nil {
		return result{obj: obj, err: err}
	}
	defer rc.Close()
	out, err := io.ReadAll(rc)
	return result{out: out, obj: obj, err: err}
}

const plain = `{"transforms":[{"name":"decompress"}]}`

func withOptions(opts string) string {
	return `{"transforms":[{"name":"decompress","options":` + opts + `}]}`
}
