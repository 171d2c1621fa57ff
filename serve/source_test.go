package serve

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/s3err"
)

// rangeServer serves data with real Range and If-Match semantics
// (http.ServeContent), counting requests; etag can be changed to play an
// object overwritten mid-read.
type rangeServer struct {
	*httptest.Server
	data     []byte
	etag     atomic.Value
	requests atomic.Int64
}

func newRangeServer(t *testing.T, data []byte) *rangeServer {
	s := &rangeServer{data: data}
	s.etag.Store(`"v1"`)
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		w.Header().Set("ETag", s.etag.Load().(string))
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(s.data))
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *rangeServer) source() *rangeSource {
	o := &URLOrigin{Client: http.DefaultClient, URL: s.URL + "/obj", SourceURL: s.URL + "/obj", Header: http.Header{}}
	src, err := o.Open(context.Background(), `"v1"`, int64(len(s.data)))
	if err != nil {
		panic(err)
	}
	return src.(*rangeSource)
}

func TestRangeSourceReadsAnywhere(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
	srv := newRangeServer(t, data)
	src := srv.source()
	defer src.Close()

	check := func(off, n int) {
		t.Helper()
		p := make([]byte, n)
		got, err := src.ReadAt(p, int64(off))
		require.NoError(t, err)
		assert.Equal(t, data[off:off+n], p[:got])
	}
	for off := 0; off < 64<<10; off += 4096 {
		check(off, 4096) // sequential small reads, as archive/zip's bufio makes
	}
	assert.Equal(t, int64(1), srv.requests.Load(), "sequential reads share one GET")
	check(64<<10+100_000, 10) // a short skip forward
	assert.Equal(t, int64(1), srv.requests.Load(), "a small gap is read past, not re-requested")
	check(10, 10) // backwards
	assert.Equal(t, int64(2), srv.requests.Load())
	check(900_000, 10) // far forward
	assert.Equal(t, int64(3), srv.requests.Load())
	assert.Equal(t, int64(4096*16+10+10+10+100_000), src.BytesRead(), "bytes read, skipped ones included")

	p := make([]byte, 100)
	n, err := src.ReadAt(p, int64(len(data)-40))
	assert.Equal(t, 40, n)
	assert.Equal(t, io.EOF, err, "a read past the end returns what there is and io.EOF")
	_, err = src.ReadAt(p, int64(len(data)))
	assert.Equal(t, io.EOF, err)
}

func TestRangeSourceObjectChanged(t *testing.T) {
	srv := newRangeServer(t, bytes.Repeat([]byte("x"), 1<<20))
	src := srv.source()
	defer src.Close()
	p := make([]byte, 10)
	_, err := src.ReadAt(p, 0)
	require.NoError(t, err)
	srv.etag.Store(`"v2"`)
	_, err = src.ReadAt(p, 800_000)
	var e *s3err.Error
	require.True(t, errors.As(err, &e), "%v", err)
	assert.Equal(t, 409, e.Status)
	assert.Contains(t, e.Message, "changed")
}
