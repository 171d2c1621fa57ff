package funcurl_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"hash/crc32"
	"io"
	"log/slog"
	"net/http"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/funcurl"
	"github.com/olkit/olkit/internal/fakes3"
	"github.com/olkit/olkit/internal/heappeak"
	"github.com/olkit/olkit/presign"
	"github.com/olkit/olkit/s3err"
	"github.com/olkit/olkit/transforms"
	_ "github.com/olkit/olkit/transforms/builtin"
)

func init() {
	transforms.Register("funcurl-fail", func(json.RawMessage) (transforms.Transform, error) {
		return transforms.Func(func(_ context.Context, _ *transforms.Object, r io.Reader) (io.Reader, error) {
			return io.MultiReader(io.LimitReader(r, 1<<20), errReader{}), nil
		}), nil
	})
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, s3err.New(400, "UnexpectedContent", "broken") }

type env struct {
	s3     *fakes3.Server
	invoke func(*events.LambdaFunctionURLRequest) (*events.LambdaFunctionURLStreamingResponse, error)
}

// setup serves bucket "b" of a fake S3 through the function URL handler,
// the original read through URLs the real SDK presigns.
func setup(t *testing.T, payload string) *env {
	srv := fakes3.New(t)
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("fn", "fn", "")}
	presigner := presign.New(cfg, func(o *s3.Options) { o.BaseEndpoint, o.UsePathStyle = aws.String(srv.URL), true })
	handler := funcurl.Wrap(&funcurl.Server{Presigner: presigner, Bucket: "b", Payload: payload,
		Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))})
	return &env{s3: srv, invoke: func(r *events.LambdaFunctionURLRequest) (*events.LambdaFunctionURLStreamingResponse, error) {
		return handler(context.Background(), r)
	}}
}

func get(path string, headers map[string]string) *events.LambdaFunctionURLRequest {
	r := &events.LambdaFunctionURLRequest{RawPath: path, Headers: headers}
	r.RequestContext.DomainName = "abc.lambda-url.us-east-1.on.aws"
	r.RequestContext.HTTP.Method = http.MethodGet
	return r
}

func TestStreamsALargeObjectInBoundedMemory(t *testing.T) {
	const size = 256 << 20
	e := setup(t, "")
	e.s3.Put("b/big.bin", fakes3.Object{Header: http.Header{"Etag": {`"big"`}}, Size: size, Body: func() io.Reader { return fakes3.Pattern(size) }})
	h := crc32.NewIEEE()
	var n int64
	growth := heappeak.Growth(20*time.Millisecond, func() {
		resp, err := e.invoke(get("/big.bin", nil))
		require.NoError(t, err)
		assert.Equal(t, 200, resp.StatusCode)
		assert.Equal(t, "268435456", resp.Headers["Content-Length"])
		assert.Equal(t, `"big"`, resp.Headers["Etag"])
		n, err = io.Copy(h, resp.Body)
		require.NoError(t, err)
	})
	assert.Equal(t, int64(size), n)
	assert.Equal(t, fakes3.PatternCRC(size), h.Sum32())
	assert.Less(t, growth, int64(64<<20), "heap stays bounded")
}

func TestRangeAndConditions(t *testing.T) {
	e := setup(t, `{"transforms":[{"name":"decompress"}]}`)
	plain := bytes.Repeat([]byte("function url "), 1000)
	e.s3.Put("b/x.txt.gz", fakes3.Object{Header: http.Header{"Etag": {`"gz"`}, "Content-Encoding": {"gzip"}}, Size: -1,
		Body: func() io.Reader { return bytes.NewReader(gzipped(t, plain)) }})

	resp, err := e.invoke(get("/x.txt.gz", map[string]string{"range": "bytes=13-24"}))
	require.NoError(t, err)
	assert.Equal(t, 206, resp.StatusCode)
	assert.Equal(t, "bytes 13-24/*", resp.Headers["Content-Range"], "the decompressed length is unknown: reading stopped after the range")
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, string(plain[13:25]), string(body))

	resp, err = e.invoke(get("/x.txt.gz", nil))
	require.NoError(t, err)
	etag := resp.Headers["Etag"]
	body, _ = io.ReadAll(resp.Body)
	assert.Equal(t, plain, body)
	assert.NotEqual(t, `"gz"`, etag)
	assert.Empty(t, resp.Headers["Content-Encoding"])
	assert.Equal(t, "text/plain", resp.Headers["Content-Type"])

	resp, err = e.invoke(get("/x.txt.gz", map[string]string{"if-none-match": etag}))
	require.NoError(t, err)
	assert.Equal(t, 304, resp.StatusCode)
}

func TestErrorsAreS3XML(t *testing.T) {
	e := setup(t, "")
	resp, err := e.invoke(get("/missing", nil))
	require.NoError(t, err)
	assert.Equal(t, 404, resp.StatusCode)
	assert.Equal(t, "application/xml", resp.Headers["Content-Type"])
	body, _ := io.ReadAll(resp.Body)
	assert.Contains(t, string(body), "<Code>NoSuchKey</Code>")
	assert.Contains(t, string(body), "<Key>missing</Key>")

	r := get("/anything", nil)
	r.RequestContext.HTTP.Method = http.MethodPut
	resp, err = e.invoke(r)
	require.NoError(t, err)
	assert.Equal(t, 405, resp.StatusCode)

	resp, err = e.invoke(get("/", nil))
	require.NoError(t, err)
	assert.Equal(t, 400, resp.StatusCode)
}

func TestHead(t *testing.T) {
	e := setup(t, "")
	e.s3.Put("b/doc", fakes3.Object{Header: http.Header{"Etag": {`"d"`}, "Content-Type": {"text/csv"}}, Size: 3, Body: func() io.Reader { return bytes.NewReader([]byte("a,b")) }})
	r := get("/doc", nil)
	r.RequestContext.HTTP.Method = http.MethodHead
	resp, err := e.invoke(r)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "3", resp.Headers["Content-Length"])
	assert.Equal(t, "text/csv", resp.Headers["Content-Type"])
	body, _ := io.ReadAll(resp.Body)
	assert.Empty(t, body)
}

func TestFailureMidStreamFailsTheStream(t *testing.T) {
	e := setup(t, `{"transforms":[{"name":"funcurl-fail"}]}`)
	e.s3.Put("b/big", fakes3.Object{Size: 4 << 20, Body: func() io.Reader { return fakes3.Pattern(4 << 20) }})
	resp, err := e.invoke(get("/big", nil))
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	done := make(chan error, 1)
	go func() {
		_, err := io.Copy(io.Discard, resp.Body)
		done <- err
	}()
	select {
	case err := <-done:
		require.Error(t, err, "the stream ends with an error, not a clean end")
		assert.Contains(t, err.Error(), "broken")
	case <-time.After(10 * time.Second):
		t.Fatal("stream did not end")
	}
}

func gzipped(t *testing.T, data []byte) []byte {
	cmd := exec.Command("gzip", "-c")
	cmd.Stdin = bytes.NewReader(data)
	out, err := cmd.Output()
	require.NoError(t, err)
	return out
}

func TestHeadThroughDecompressStatesTheGETLength(t *testing.T) {
	e := setup(t, `{"transforms":[{"name":"decompress"}]}`)
	plain := bytes.Repeat([]byte("id,name\n1,ada\n"), 10_000)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(plain)
	zw.Close()
	e.s3.Put("b/doc.csv.gz", fakes3.Object{Header: http.Header{"Etag": {`"z"`}, "Content-Type": {"application/gzip"}},
		Size: int64(gz.Len()), Body: func() io.Reader { return bytes.NewReader(gz.Bytes()) }})

	head := get("/doc.csv.gz", nil)
	head.RequestContext.HTTP.Method = http.MethodHead
	resp, err := e.invoke(head)
	require.NoError(t, err)
	require.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, strconv.Itoa(len(plain)), resp.Headers["Content-Length"], "HEAD states the decompressed length")
	headETag := resp.Headers["Etag"]

	resp, err = e.invoke(get("/doc.csv.gz", nil))
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, plain, body)
	assert.Equal(t, headETag, resp.Headers["Etag"], "HEAD and GET agree on the ETag")
}
