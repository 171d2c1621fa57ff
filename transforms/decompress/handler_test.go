package decompress_test

import (
	"context"
	"hash/crc32"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/internal/fakes3"
	"github.com/olkit/olkit/internal/handlertest"
	"github.com/olkit/olkit/lambda"
)

func handlerEnv(t *testing.T) (*fakes3.Server, *lambda.Handler) { return handlertest.New(t, nil) }

func put(srv *fakes3.Server, key string, data []byte, h http.Header) { srv.PutBytes(key, data, h) }

func TestThroughTheHandler(t *testing.T) {
	srv, h := handlerEnv(t)
	data := corpus(2 << 20)
	put(srv, "logs/day.csv.gz", gzipTool(t, data), http.Header{
		"Content-Encoding": {"gzip"}, "Content-Type": {"application/gzip"}, "Etag": {`"gz"`}, "X-Amz-Meta-Source": {"etl"}})
	archive := zipTool(t, map[string][]byte{"a/report.csv": data, "b.txt": []byte("b\n")})
	put(srv, "bundle.zip", archive, http.Header{"Etag": {`"zip"`}})

	t.Run("gzip", func(t *testing.T) {
		_, err := h.Handle(context.Background(), srv.Event("logs/day.csv.gz", plain, nil))
		require.NoError(t, err)
		w := srv.WaitWGOR(t, 0)
		assert.Equal(t, 200, w.Status)
		assert.Equal(t, int64(len(data)), w.BodyLen)
		assert.Equal(t, crc32.ChecksumIEEE(data), w.BodyCRC)
		assert.Empty(t, w.Header.Get("Content-Encoding"))
		assert.NotEmpty(t, w.Header.Get("ETag"))
		assert.NotEqual(t, `"gz"`, w.Header.Get("ETag"), "the decompressed bytes have their own ETag")
		assert.Equal(t, "text/csv", w.Header.Get("Content-Type"))
		assert.Equal(t, "etl", w.Meta["source"])
		assert.Equal(t, int64(-1), w.ContentLength)
	})
	t.Run("head", func(t *testing.T) {
		res, err := h.Handle(context.Background(), srv.HeadEvent("logs/day.csv.gz", plain, nil))
		require.NoError(t, err)
		assert.Equal(t, 200, res.StatusCode)
		assert.NotContains(t, res.Headers, "Content-Encoding")
		assert.Equal(t, "text/csv", res.Headers["Content-Type"])
		assert.Equal(t, int64(len(data)), res.Headers["Content-Length"], "the HEAD states the decompressed length, as the GET gave it")
		assert.NotEqual(t, `"gz"`, res.Headers["Etag"])
	})
	t.Run("zip entry through ranged reads", func(t *testing.T) {
		ev := srv.Event("bundle.zip", plain, nil)
		ev.UserRequest.URL += "?file_name=a/report.csv"
		_, err := h.Handle(context.Background(), ev)
		require.NoError(t, err)
		w := srv.WaitWGOR(t, 1)
		assert.Equal(t, 200, w.Status, w.ErrorMessage)
		assert.Equal(t, crc32.ChecksumIEEE(data), w.BodyCRC)
		assert.Equal(t, int64(len(data)), w.ContentLength, "a ZIP entry's size is known: Content-Length")
		assert.Equal(t, "text/csv", w.Header.Get("Content-Type"))
		assert.Positive(t, srv.RangeGets())
		assert.LessOrEqual(t, srv.RangeGets(), 4, "sequential reads share one ranged GET")
	})
	t.Run("zip entry missing", func(t *testing.T) {
		ev := srv.Event("bundle.zip", plain, nil)
		ev.UserRequest.URL += "?file_name=c.txt"
		res, err := h.Handle(context.Background(), ev)
		require.NoError(t, err)
		assert.Equal(t, 404, res.StatusCode)
		w := srv.WaitWGOR(t, 2)
		assert.Equal(t, "NoSuchKey", w.ErrorCode)
		assert.Contains(t, w.ErrorMessage, `"c.txt"`)
	})
	t.Run("corrupt gzip is a 400 before any byte", func(t *testing.T) {
		put(srv, "bad.gz", []byte("\x1f\x8b\x08\x00garbage-garbage-garbage"), nil)
		_, err := h.Handle(context.Background(), srv.Event("bad.gz", plain, nil))
		require.NoError(t, err)
		w := srv.WaitWGOR(t, 3)
		assert.Equal(t, 400, w.Status)
		assert.Equal(t, "UnexpectedContent", w.ErrorCode)
		assert.Contains(t, w.ErrorMessage, "gzip")
	})
}
