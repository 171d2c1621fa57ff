package serve_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/serve"
	"github.com/olkit/olkit/transforms"
)

// "serve-test-rot" rotates letters by one and can start anywhere: the
// output is as long as the input, so byte i of the output is byte i of the
// input, shifted. It counts how its output was made.
var rotApplies, rotApplyAts atomic.Int64

func init() {
	transforms.Register("serve-test-rot", func(json.RawMessage) (transforms.Transform, error) { return rot{}, nil })
}

type rot struct{}

func (rot) Apply(_ context.Context, obj *transforms.Object, r io.Reader) (io.Reader, error) {
	rotApplies.Add(1)
	obj.SetSize(obj.Size)
	return rotReader{r}, nil
}

func (rot) ApplyAt(_ context.Context, obj *transforms.Object, off, _ int64) (io.Reader, bool, error) {
	if obj.Source == nil {
		return nil, false, nil
	}
	rotApplyAts.Add(1)
	size := obj.Source.Size()
	obj.SetSize(size)
	if off < 0 {
		off = max(0, size+off)
	}
	return rotReader{io.NewSectionReader(obj.Source, min(off, size), max(0, size-off))}, true, nil
}

type rotReader struct{ r io.Reader }

func (r rotReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	for i := range p[:n] {
		if 'a' <= p[i] && p[i] <= 'y' {
			p[i]++
		}
	}
	return n, err
}

// bytesOrigin is an origin with random access.
type bytesOrigin struct{ data []byte }

func (o bytesOrigin) Fetch(_ context.Context, f serve.Fetch) (*serve.Original, error) {
	orig := &serve.Original{Status: 200, Header: http.Header{"Etag": {`"x"`}}, Size: int64(len(o.data))}
	if !f.Head {
		orig.Body = io.NopCloser(bytes.NewReader(o.data))
	}
	return orig, nil
}

func (o bytesOrigin) Open(context.Context, string, int64) (serve.Source, error) {
	return nopClose{bytes.NewReader(o.data)}, nil
}

type nopClose struct{ *bytes.Reader }

func (nopClose) Close() error { return nil }

func TestRangesStartWhereTheyStartWhenTheChainCanSeek(t *testing.T) {
	data := []byte(strings.Repeat("abcdefghij", 1000))
	want := bytes.Map(func(r rune) rune {
		if 'a' <= r && r <= 'y' {
			return r + 1
		}
		return r
	}, data)
	chain, _, e := serve.ParsePayload(`{"transforms":[{"name":"serve-test-rot"},{"name":"identity"}]}`)
	require.Nil(t, e)
	for _, tc := range []struct {
		rng          string
		first, last  int
		contentRange string
	}{
		{"bytes=5000-5009", 5000, 5009, "bytes 5000-5009/10000"},
		{"bytes=9990-", 9990, 9999, "bytes 9990-9999/10000"},
		{"bytes=-3", 9997, 9999, "bytes 9997-9999/10000"},
		{"bytes=0-0", 0, 0, "bytes 0-0/10000"},
	} {
		rotApplies.Store(0)
		rotApplyAts.Store(0)
		resp, err := serve.Serve(context.Background(), &serve.Request{Method: http.MethodGet, Key: "k",
			Header: http.Header{"Range": {tc.rng}}, Chain: chain, Origin: bytesOrigin{data}})
		require.NoError(t, err, tc.rng)
		body, err := io.ReadAll(resp.Body)
		resp.Close()
		require.NoError(t, err)
		assert.Equal(t, 206, resp.Status)
		assert.Equal(t, tc.contentRange, resp.Header.Get("Content-Range"))
		assert.Equal(t, string(want[tc.first:tc.last+1]), string(body), tc.rng)
		assert.Equal(t, int64(0), rotApplies.Load(), "%s: the output was started at the range, not made from the first byte", tc.rng)
		assert.Equal(t, int64(1), rotApplyAts.Load())
	}

	_, err := serve.Serve(context.Background(), &serve.Request{Method: http.MethodGet, Key: "k",
		Header: http.Header{"Range": {"bytes=20000-"}}, Chain: chain, Origin: bytesOrigin{data}})
	assert.ErrorContains(t, err, "InvalidRange")
}
