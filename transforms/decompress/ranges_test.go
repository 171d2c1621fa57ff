package decompress_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/internal/fakes3"
	"github.com/olkit/olkit/internal/handlertest"
	"github.com/olkit/olkit/internal/syncbuf"
	"github.com/olkit/olkit/lambda"
)

const decompressPayload = `{"transforms":[{"name":"decompress"}]}`

// TestRangesThroughTheIndex reads random ranges of decompressed objects
// through the handler, for every format with an index and the shapes real
// tools write (several gzip members, zstd frames, bzip2 streams, snappy
// streams back to back): every range is byte-exact and states the total,
// and once the object's index exists a range reads a small part of the
// compressed object, not everything before it.
func TestRangesThroughTheIndex(t *testing.T) {
	logs := &syncbuf.Buffer{}
	srv, h := handlertest.New(t, logs)
	srv.KeepBody = 1 << 20
	data := corpus(4 << 20)
	quarters := func(compress func([]byte) []byte) []byte { // four members, frames, streams
		var out []byte
		for q := range 4 {
			out = append(out, compress(data[q*len(data)/4:(q+1)*len(data)/4])...)
		}
		return out
	}
	objects := map[string][]byte{
		"members.csv.gz":  quarters(func(p []byte) []byte { return gzipTool(t, p) }),
		"frames.csv.zst":  quarters(func(p []byte) []byte { return zstdTool(t, p) }),
		"streams.csv.bz2": quarters(func(p []byte) []byte { return bzip2Tool(t, p) }),
		"chunks.csv.sz":   quarters(func(p []byte) []byte { return snappyFrame(p, true) }),
		"one.csv.zlib":    zlibTool(t, data),
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for key, compressed := range objects {
		t.Run(key, func(t *testing.T) {
			srv.PutBytes(key, compressed, http.Header{"Etag": {`"` + key + `"`}})
			for i := range 12 {
				first := rng.IntN(len(data))
				if i%2 == 1 { // in the last quarter, where a read from the start costs three quarters
					first = len(data)*3/4 + rng.IntN(len(data)/4)
				}
				last := min(len(data)-1, first+rng.IntN(64<<10))
				body, contentRange := getRange(t, srv, h, key, fmt.Sprintf("bytes=%d-%d", first, last))
				require.Equal(t, string(data[first:last+1]), string(body), "range %d-%d", first, last)
				assert.Equal(t, fmt.Sprintf("bytes %d-%d/%d", first, last, len(data)), contentRange)
				if i%2 == 1 { // the first range, i == 0, built the index
					// At most the two checkpoint spans around the range: about half.
					assert.Less(t, bytesIn(t, logs), int64(len(compressed))*11/20,
						"a range through the index reads a part of the compressed object, not all before it")
				}
			}
			body, contentRange := getRange(t, srv, h, key, "bytes=-100")
			assert.Equal(t, string(data[len(data)-100:]), string(body))
			assert.Equal(t, fmt.Sprintf("bytes %d-%d/%d", len(data)-100, len(data)-1, len(data)), contentRange)
		})
	}
}

// TestIndexNeverOutlivesItsETag overwrites an object whose index is cached:
// ranges of the new object are the new bytes.
func TestIndexNeverOutlivesItsETag(t *testing.T) {
	srv, h := handlertest.New(t, nil)
	srv.KeepBody = 1 << 20
	a, b := corpus(1<<20), []byte(strings.Repeat("overwritten, shorter\n", 20000))
	srv.PutBytes("doc.csv.gz", gzipTool(t, a), http.Header{"Etag": {`"a"`}})
	body, _ := getRange(t, srv, h, "doc.csv.gz", "bytes=1000-1099")
	require.Equal(t, string(a[1000:1100]), string(body))
	srv.PutBytes("doc.csv.gz", gzipTool(t, b), http.Header{"Etag": {`"b"`}})
	body, contentRange := getRange(t, srv, h, "doc.csv.gz", "bytes=1000-1099")
	assert.Equal(t, string(b[1000:1100]), string(body))
	assert.Equal(t, fmt.Sprintf("bytes 1000-1099/%d", len(b)), contentRange)
}

// getRange GETs a range of key through the decompress chain.
func getRange(t *testing.T, srv *fakes3.Server, h *lambda.Handler, key, rng string) ([]byte, string) {
	t.Helper()
	before := len(srv.WGORs())
	_, err := h.Handle(context.Background(), srv.Event(key, decompressPayload, map[string]string{"Range": rng}))
	require.NoError(t, err)
	w := srv.WaitWGOR(t, before)
	require.Equal(t, 206, w.Status, "%s %s: %s %s", key, rng, w.ErrorCode, w.ErrorMessage)
	return w.Body, w.Header.Get("Content-Range")
}

// bytesIn is what the last request read of the original, from its log line.
func bytesIn(t *testing.T, logs *syncbuf.Buffer) int64 {
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	var rec struct {
		BytesIn int64 `json:"bytes_in"`
	}
	require.NoError(t, json.Unmarshal([]byte(lines[len(lines)-1]), &rec))
	return rec.BytesIn
}
