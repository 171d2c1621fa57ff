package builtin_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/olkit/olkit/internal/compresstest"
	"github.com/olkit/olkit/internal/fakes3"
	"github.com/olkit/olkit/internal/handlertest"
)

// BenchmarkHeadStrategies is what a HEAD through decompress costs, by how
// it learns the length of a 256 MiB decompressed object: from the size
// cache a GET filled, from format metadata (the ZIP central directory), or
// by decompressing and counting (gzip, nothing records the length).
//
//	go test -run '^$' -bench HeadStrategies -benchtime 5x ./transforms/builtin
func BenchmarkHeadStrategies(b *testing.B) {
	const size = 256 << 20
	plain := csvLike(size)
	s3, h := handlertest.New(b, nil)
	put := func(key string, data []byte) {
		s3.Put(key, fakes3.Object{Header: http.Header{"Etag": {`"` + key + `"`}}, Size: int64(len(data)),
			Body: func() io.Reader { return bytes.NewReader(data) }})
	}
	put("big.csv.gz", compresstest.Gzip(plain))
	put("big.zip", compresstest.Zip("big.csv", plain))
	const chain = `{"transforms":[{"name":"decompress"}]}`
	head := func(b *testing.B, key string) {
		res, err := h.Handle(context.Background(), s3.HeadEvent(key, chain, nil))
		if err != nil || res.StatusCode != 200 || res.Headers["Content-Length"] != int64(size) {
			b.Fatalf("HEAD %s: %v %+v", key, err, res)
		}
	}
	b.Run("cached", func(b *testing.B) {
		h.Sizes.Purge()
		head(b, "big.csv.gz") // counts once, as a GET to the end would record it
		b.ResetTimer()
		for range b.N {
			head(b, "big.csv.gz")
		}
	})
	b.Run("format-metadata-zip", func(b *testing.B) {
		for range b.N {
			h.Sizes.Purge()
			head(b, "big.zip")
		}
	})
	b.Run("counted-gzip", func(b *testing.B) {
		b.SetBytes(size)
		for range b.N {
			h.Sizes.Purge()
			head(b, "big.csv.gz")
		}
	})
}

// csvLike is n bytes of varied CSV, deterministic.
func csvLike(n int) []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "%d,user%d@example.com,%d,%x\n", i, i%9973, i*7%100003, i*2654435761)
	}
	return b.Bytes()[:n]
}
