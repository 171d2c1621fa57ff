package serve_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/olkit/olkit/serve"
)

// memory is an Origin holding one object.
type memory struct {
	data string
	etag string
}

func (m memory) Fetch(_ context.Context, f serve.Fetch) (*serve.Original, error) {
	h := http.Header{"Etag": {m.etag}, "Content-Type": {"text/plain"}}
	o := &serve.Original{Status: http.StatusOK, Header: h, Size: int64(len(m.data))}
	if !f.Head {
		o.Body = io.NopCloser(strings.NewReader(m.data))
	}
	return o, nil
}

// Serve decides one request: here a Range of an object that an identity
// chain keeps as it is, so the Range goes to the origin.
func ExampleServe() {
	chain, _, _ := serve.ParsePayload(`{"transforms":[{"name":"identity"}]}`)
	req := &serve.Request{
		Method: http.MethodGet,
		Key:    "greeting.txt",
		Header: http.Header{"Range": {"bytes=0-4"}},
		Chain:  chain,
		Origin: rangeOrigin{memory{data: "hello, world", etag: `"v1"`}},
	}
	resp, err := serve.Serve(context.Background(), req)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.Status, resp.Header.Get("Content-Range"), resp.Size, string(body))
	// Output: 206 bytes 0-4/12 5 hello
}

// rangeOrigin applies a Range as S3 would.
type rangeOrigin struct{ memory }

func (o rangeOrigin) Fetch(ctx context.Context, f serve.Fetch) (*serve.Original, error) {
	orig, err := o.memory.Fetch(ctx, f)
	if err != nil || f.Range != "bytes=0-4" {
		return orig, err
	}
	orig.Status, orig.Size = http.StatusPartialContent, 5
	orig.Header.Set("Content-Range", "bytes 0-4/12")
	orig.Body = io.NopCloser(strings.NewReader(o.data[:5]))
	return orig, nil
}
