package lambda_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"hash/crc32"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/transforms"
)

// "test-double" writes every byte twice and knows its output's length, so
// ranges are cut from the stream; "test-upper" does not know it.
func init() {
	transforms.Register("test-double", func(json.RawMessage) (transforms.Transform, error) {
		return transforms.Func(func(_ context.Context, obj *transforms.Object, r io.Reader) (io.Reader, error) {
			if obj.Size >= 0 {
				obj.SetSize(2 * obj.Size)
			}
			return &doubler{r: r}, nil
		}), nil
	})
}

type doubler struct {
	r    io.Reader
	pend []byte
}

func (d *doubler) Read(p []byte) (int, error) {
	if len(d.pend) == 0 {
		buf := make([]byte, (len(p)+1)/2)
		n, err := d.r.Read(buf)
		for _, c := range buf[:n] {
			d.pend = append(d.pend, c, c)
		}
		if n == 0 {
			return 0, err
		}
	}
	n := copy(p, d.pend)
	d.pend = d.pend[n:]
	return n, nil
}

const (
	upperChain   = `{"transforms":[{"name":"test-upper"}]}`
	doubledChain = `{"transforms":[{"name":"test-double"}]}`
)

func TestRangesOnTheTransformedBytes(t *testing.T) {
	e := setup(t)
	body := []byte("abcdefghijklmnopqrstuvwxyz")
	e.s3.Put("doc", bytesObject(body, http.Header{"Etag": {`"orig"`}}))
	up := bytes.ToUpper(body)
	var dbl []byte
	for _, c := range body {
		dbl = append(dbl, c, c)
	}
	for _, tc := range []struct {
		name, payload, rng string
		want               []byte
		contentRange       string
	}{
		// Length unknown from headers (test-upper): the total is learnt
		// by counting the output (downloaders need it), the range cut
		// from a bounded spool.
		{"a-b", upperChain, "bytes=2-5", up[2:6], "bytes 2-5/26"},
		{"a-b past the end", upperChain, "bytes=20-99", up[20:], "bytes 20-25/26"},
		{"a-", upperChain, "bytes=24-", up[24:], "bytes 24-25/26"},
		{"-n", upperChain, "bytes=-3", up[23:], "bytes 23-25/26"},
		{"-n larger than the object", upperChain, "bytes=-100", up, "bytes 0-25/26"},
		// Length known (test-double): cut from the stream.
		{"known a-b", doubledChain, "bytes=0-3", dbl[0:4], "bytes 0-3/52"},
		{"known a-", doubledChain, "bytes=50-", dbl[50:], "bytes 50-51/52"},
		{"known -n", doubledChain, "bytes=-2", dbl[50:], "bytes 50-51/52"},
		// Identity: the Range goes to the original, which answers it.
		{"identity", "", "bytes=1-2", body[1:3], "bytes 1-2/26"},
		{"identity -n", "", "bytes=-1", body[25:], "bytes 25-25/26"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, _, err := e.get(t, "doc", tc.payload, map[string]string{"Range": tc.rng})
			require.NoError(t, err)
			require.Equal(t, http.StatusPartialContent, w.Status, w.ErrorMessage)
			assert.Equal(t, string(tc.want), string(w.Body))
			assert.Equal(t, tc.contentRange, w.Header.Get("Content-Range"))
			assert.Equal(t, int64(len(tc.want)), w.ContentLength)
		})
	}
}

func TestUnsatisfiableAndIgnoredRanges(t *testing.T) {
	e := setup(t)
	e.s3.Put("doc", bytesObject([]byte("0123456789"), nil))
	for _, payload := range []string{"", upperChain, doubledChain} {
		for _, rng := range []string{"bytes=50-60", "bytes=-0", "bytes=100-"} {
			t.Run(payload+rng, func(t *testing.T) {
				w, _, err := e.get(t, "doc", payload, map[string]string{"Range": rng})
				require.NoError(t, err)
				assert.Equal(t, http.StatusRequestedRangeNotSatisfiable, w.Status)
				assert.Equal(t, "InvalidRange", w.ErrorCode)
			})
		}
		// Forms S3 ignores serve the whole object.
		for _, rng := range []string{"bytes=5-2", "bytes=0-1,4-5", "items=0-1", "bytes=x-"} {
			t.Run(payload+rng, func(t *testing.T) {
				w, _, err := e.get(t, "doc", payload, map[string]string{"Range": rng})
				require.NoError(t, err)
				assert.Equal(t, http.StatusOK, w.Status)
				assert.Empty(t, w.Header.Get("Content-Range"))
			})
		}
	}
}

func TestRangeAsQueryParameter(t *testing.T) {
	e := setup(t)
	e.s3.Put("doc", bytesObject([]byte("0123456789"), nil))
	ev := e.s3.Event("doc", upperChain, nil)
	ev.UserRequest.URL += "?Range=bytes%3D3-4"
	_, err := e.h.Handle(context.Background(), ev)
	require.NoError(t, err)
	w := e.s3.WaitWGOR(t, 0)
	assert.Equal(t, http.StatusPartialContent, w.Status)
	assert.Equal(t, "34", string(w.Body))
}

func TestAKnownLengthRangeStopsReadingTheOriginal(t *testing.T) {
	e := setup(t)
	const size = 8 << 20
	e.s3.Put("big", fakesPattern(size))
	w, _, err := e.get(t, "big", doubledChain, map[string]string{"Range": "bytes=0-99"})
	require.NoError(t, err)
	assert.Equal(t, int64(100), w.BodyLen)
	var entry struct {
		BytesIn int64 `json:"bytes_in"`
	}
	require.NoError(t, json.Unmarshal([]byte(lastLine(e.logs.String())), &entry))
	assert.Less(t, entry.BytesIn, int64(2<<20), "read %d of %d bytes of the original for a 100-byte range", entry.BytesIn, size)
}

func TestPartNumber(t *testing.T) {
	e := setup(t)
	body := []byte(strings.Repeat("0123456789", 300)) // 3000 bytes: parts of 1 KiB
	e.s3.Put("doc", bytesObject(body, nil))
	payload := `{"transforms":[{"name":"test-upper"}],"response":{"partSize":1024}}`
	part := func(n string, extra map[string]string) (wgor, *resultT) {
		ev := e.s3.Event("doc", payload, extra)
		ev.UserRequest.URL += "?partNumber=" + n
		before := len(e.s3.WGORs())
		res, err := e.h.Handle(context.Background(), ev)
		require.NoError(t, err)
		return e.s3.WaitWGOR(t, before), res
	}
	w, _ := part("1", nil)
	assert.Equal(t, http.StatusPartialContent, w.Status)
	assert.Equal(t, string(bytes.ToUpper(body[:1024])), string(w.Body))
	assert.Equal(t, "bytes 0-1023/3000", w.Header.Get("Content-Range"))
	assert.Equal(t, "3", w.Header.Get("X-Amz-Mp-Parts-Count"))

	w, _ = part("3", nil)
	assert.Equal(t, "bytes 2048-2999/3000", w.Header.Get("Content-Range"))
	assert.Equal(t, int64(952), w.ContentLength)

	w, _ = part("4", nil)
	assert.Equal(t, http.StatusRequestedRangeNotSatisfiable, w.Status)
	assert.Equal(t, "InvalidPartNumber", w.ErrorCode)

	w, _ = part("0", nil)
	assert.Equal(t, http.StatusBadRequest, w.Status)
	assert.Equal(t, "InvalidArgument", w.ErrorCode)

	w, _ = part("1", map[string]string{"Range": "bytes=0-1"})
	assert.Equal(t, http.StatusBadRequest, w.Status)
	assert.Equal(t, "InvalidRequest", w.ErrorCode)
}

func TestConditionsOnTheTransformedETag(t *testing.T) {
	e := setup(t)
	lm := "Wed, 12 Oct 2022 17:50:00 GMT"
	e.s3.Put("doc", bytesObject([]byte("hello"), http.Header{"Etag": {`"orig"`}, "Last-Modified": {lm}}))
	w, _, err := e.get(t, "doc", upperChain, nil)
	require.NoError(t, err)
	etag := w.Header.Get("ETag")
	require.NotEmpty(t, etag)
	again, _, err := e.get(t, "doc", upperChain, nil)
	require.NoError(t, err)
	assert.Equal(t, etag, again.Header.Get("ETag"), "the same output has the same ETag")
	other, _, err := e.get(t, "doc", doubledChain, nil)
	require.NoError(t, err)
	assert.NotEqual(t, etag, other.Header.Get("ETag"), "another chain, another ETag")

	for _, tc := range []struct {
		name    string
		headers map[string]string
		status  int
	}{
		{"If-None-Match matching", map[string]string{"If-None-Match": etag}, 304},
		{"If-None-Match on the original's ETag", map[string]string{"If-None-Match": `"orig"`}, 200},
		{"If-Match matching", map[string]string{"If-Match": etag}, 200},
		{"If-Match the original's ETag", map[string]string{"If-Match": `"orig"`}, 412},
		{"If-Match star", map[string]string{"If-Match": "*"}, 200},
		{"If-Modified-Since later", map[string]string{"If-Modified-Since": "Thu, 13 Oct 2022 00:00:00 GMT"}, 304},
		{"If-Modified-Since earlier", map[string]string{"If-Modified-Since": "Tue, 11 Oct 2022 00:00:00 GMT"}, 200},
		{"If-Unmodified-Since earlier", map[string]string{"If-Unmodified-Since": "Tue, 11 Oct 2022 00:00:00 GMT"}, 412},
		{"If-Unmodified-Since equal", map[string]string{"If-Unmodified-Since": lm}, 200},
		{"If-Match wins over If-Unmodified-Since", map[string]string{"If-Match": etag, "If-Unmodified-Since": "Tue, 11 Oct 2022 00:00:00 GMT"}, 200},
		{"If-None-Match wins over If-Modified-Since", map[string]string{"If-None-Match": `"nope"`, "If-Modified-Since": "Thu, 13 Oct 2022 00:00:00 GMT"}, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, _, err := e.get(t, "doc", upperChain, tc.headers)
			require.NoError(t, err)
			assert.Equal(t, tc.status, w.Status, w.ErrorMessage)
			switch tc.status {
			case 304:
				assert.Equal(t, etag, w.Header.Get("ETag"))
				assert.Zero(t, w.BodyLen)
			case 412:
				assert.Equal(t, "PreconditionFailed", w.ErrorCode)
			default:
				assert.Equal(t, "HELLO", string(w.Body))
			}
		})
	}
}

func TestChecksumMode(t *testing.T) {
	e := setup(t)
	body := []byte("checksum me, please")
	e.s3.Put("plain", bytesObject(body, nil))
	e.s3.Put("sha", bytesObject(body, http.Header{"X-Amz-Checksum-Sha256": {"AAAA"}}))
	e.s3.Put("crc", bytesObject(body, http.Header{"X-Amz-Checksum-Crc32": {"original=="}}))
	enabled := map[string]string{"x-amz-checksum-mode": "ENABLED"}
	upBody := bytes.ToUpper(body)

	w, _, err := e.get(t, "plain", upperChain, enabled)
	require.NoError(t, err)
	crc := crc32.ChecksumIEEE(upBody)
	assert.Equal(t, base64.StdEncoding.EncodeToString([]byte{byte(crc >> 24), byte(crc >> 16), byte(crc >> 8), byte(crc)}),
		w.Header.Get("X-Amz-Checksum-Crc32"), "CRC32 of the bytes sent")
	assert.Equal(t, int64(len(upBody)), w.ContentLength)

	w, _, err = e.get(t, "sha", upperChain, enabled)
	require.NoError(t, err)
	assert.NotEqual(t, "AAAA", w.Header.Get("X-Amz-Checksum-Sha256"), "never the original's checksum on changed bytes")
	assert.Len(t, w.Header.Get("X-Amz-Checksum-Sha256"), 44, "the original's algorithm, of the new bytes")

	w, _, err = e.get(t, "crc", "", enabled)
	require.NoError(t, err)
	assert.Equal(t, "original==", w.Header.Get("X-Amz-Checksum-Crc32"), "identity keeps the original's checksum")

	w, _, err = e.get(t, "plain", upperChain, nil)
	require.NoError(t, err)
	assert.Empty(t, w.Header.Get("X-Amz-Checksum-Crc32"), "no checksum unless asked")
}

func TestChecksumModePastTheSpoolLimit(t *testing.T) {
	e := setup(t)
	const size = 3 << 20
	e.s3.Put("big", fakesPattern(size))
	payload := `{"transforms":[{"name":"test-upper"}],"response":{"maxSpoolBytes":1048576}}`
	w, _, err := e.get(t, "big", payload, map[string]string{"x-amz-checksum-mode": "ENABLED"})
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, w.Status)
	assert.Equal(t, int64(size), w.BodyLen, "the whole object, without a checksum")
	assert.Empty(t, w.Header.Get("X-Amz-Checksum-Crc32"))

	w, _, err = e.get(t, "big", `{"transforms":[{"name":"test-upper"}]}`, map[string]string{"x-amz-checksum-mode": "ENABLED"})
	require.NoError(t, err)
	assert.NotEmpty(t, w.Header.Get("X-Amz-Checksum-Crc32"), "within the default limit, a checksum")
	assert.Equal(t, int64(size), w.ContentLength)
}

func TestBadResponseOptions(t *testing.T) {
	e := setup(t)
	e.s3.Put("doc", bytesObject([]byte("x"), nil))
	w, _, err := e.get(t, "doc", `{"transforms":[],"response":{"partBytes":1}}`, nil)
	require.NoError(t, err)
	assert.Equal(t, "InvalidRequest", w.ErrorCode)
	assert.Contains(t, w.ErrorMessage, `unknown field "partBytes"`)
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
