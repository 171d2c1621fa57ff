package builtin_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/internal/compresstest"
	"github.com/olkit/olkit/internal/fakes3"
	"github.com/olkit/olkit/internal/handlertest"
	_ "github.com/olkit/olkit/transforms/builtin"
)

// TestHeadEqualsGetThroughEveryBuiltInChain is the property downloaders
// rely on: for every built-in chain and every kind of object, a HEAD
// through the handler answers what the GET answers: the same status (or
// error code), and for a success the same ETag, Content-Type,
// Content-Encoding and a Content-Length equal to the GET body's length.
func TestHeadEqualsGetThroughEveryBuiltInChain(t *testing.T) {
	text := bytes.Repeat([]byte("id,email,note\n1,jane@example.com,ok\n2,bob@example.org,late\n"), 2000)
	clean := bytes.Repeat([]byte("id,colour\n1,blue\n2,green\n"), 2000)
	objects := map[string]struct {
		data []byte
		h    http.Header
	}{
		"text.csv":       {text, http.Header{"Content-Type": {"text/csv"}}},
		"clean.csv":      {clean, http.Header{"Content-Type": {"text/csv"}}},
		"text.csv.gz":    {compresstest.Gzip(text), http.Header{"Content-Type": {"application/gzip"}}},
		"encoded.csv":    {compresstest.Gzip(text), http.Header{"Content-Type": {"text/csv"}, "Content-Encoding": {"gzip"}}},
		"clean.csv.zst":  {compresstest.Zstd(clean), nil},
		"text.csv.zlib":  {compresstest.Zlib(text), nil},
		"text.csv.sz":    {compresstest.Snappy(text), nil},
		"archive.zip":    {compresstest.Zip("inner.csv", text), nil},
		"binary.bin":     {[]byte{0xff, 0xfe, 0, 1, 2, 3, 0x80, 0x81}, http.Header{"Content-Type": {"application/octet-stream"}}},
		"empty.txt":      {nil, http.Header{"Content-Type": {"text/plain"}}},
		"corrupt.csv.gz": {append(compresstest.Gzip(text)[:40], 0, 1, 2, 3), nil},
	}
	chains := []string{
		``,
		`{"transforms":[{"name":"identity"}]}`,
		`{"transforms":[{"name":"decompress"}]}`,
		`{"transforms":[{"name":"decompress","options":{"unknown":"refuse"}}]}`,
		`{"transforms":[{"name":"redact"}]}`,
		`{"transforms":[{"name":"redact","options":{"mask_mode":"REPLACE_WITH_PII_ENTITY_TYPE"}}]}`,
		`{"transforms":[{"name":"decompress"},{"name":"redact"}]}`,
		`{"transforms":[{"name":"pii-access-control"}]}`,
		`{"transforms":[{"name":"decompress"},{"name":"pii-access-control"}]}`,
		`{"transforms":[{"name":"decompress"},{"name":"redact","options":{"mask_mode":"REPLACE_WITH_PII_ENTITY_TYPE"}}]}`,
	}
	s3, h := handlertest.New(t, nil)
	etag := 0
	for key, o := range objects {
		etag++
		hdr := o.h.Clone()
		if hdr == nil {
			hdr = http.Header{}
		}
		hdr.Set("Etag", fmt.Sprintf(`"e%d"`, etag))
		data := o.data
		s3.Put(key, fakes3.Object{Header: hdr, Size: int64(len(data)), Body: func() io.Reader { return bytes.NewReader(data) }})
	}
	for _, chain := range chains {
		for key := range objects {
			t.Run(fmt.Sprintf("%s %s", chain, key), func(t *testing.T) {
				h.Sizes.Purge() // the HEAD must learn the length itself, not from an earlier GET
				head, err := h.Handle(context.Background(), s3.HeadEvent(key, chain, nil))
				require.NoError(t, err)
				before := len(s3.WGORs())
				_, err = h.Handle(context.Background(), s3.Event(key, chain, nil))
				require.NoError(t, err)
				get := s3.WaitWGOR(t, before)

				require.Equal(t, get.Status, head.StatusCode, "status: GET %d %s, HEAD %d %s %s", get.Status, get.ErrorCode, head.StatusCode, head.ErrorCode, head.ErrorMessage)
				if get.Status/100 != 2 {
					assert.Equal(t, get.ErrorCode, head.ErrorCode)
					return
				}
				assert.Equal(t, get.BodyLen, head.Headers["Content-Length"], "HEAD states the GET body's length")
				for _, name := range []string{"Etag", "Content-Type", "Content-Encoding"} {
					hv, _ := head.Headers[name].(string)
					assert.Equal(t, get.Header.Get(name), hv, name)
				}
			})
		}
	}
}
