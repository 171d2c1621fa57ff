package lambda_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/transforms"
)

// "test-hide" hides keys under secret/ from listings.
func init() {
	transforms.Register("test-hide", func(json.RawMessage) (transforms.Transform, error) { return hider{}, nil })
}

type hider struct{ transforms.Transform }

func (hider) List(_ context.Context, in []transforms.ListEntry) ([]transforms.ListEntry, error) {
	var out []transforms.ListEntry
	for _, e := range in {
		if !strings.HasPrefix(e.Key, "secret/") {
			out = append(out, e)
		}
	}
	return out, nil
}

func TestHeadIdentity(t *testing.T) {
	e := setup(t)
	e.s3.Put("doc", bytesObject([]byte("0123456789"), http.Header{"Etag": {`"v1"`}, "Content-Type": {"text/plain"}, "X-Amz-Meta-Team": {"data"}}))
	res, err := e.h.Handle(context.Background(), e.s3.HeadEvent("doc", "", nil))
	require.NoError(t, err)
	assert.Equal(t, 200, res.StatusCode)
	assert.Equal(t, int64(10), res.Headers["Content-Length"], "a number, as AWS documents it")
	assert.Equal(t, `"v1"`, res.Headers["Etag"])
	assert.Equal(t, "text/plain", res.Headers["Content-Type"])
	assert.Equal(t, "data", res.Headers["X-Amz-Meta-Team"])
	assert.NotContains(t, res.Headers, "Date")

	res, err = e.h.Handle(context.Background(), e.s3.HeadEvent("doc", "", map[string]string{"Range": "bytes=2-4"}))
	require.NoError(t, err)
	assert.Equal(t, 206, res.StatusCode)
	assert.Equal(t, int64(3), res.Headers["Content-Length"])
	assert.Equal(t, "bytes 2-4/10", res.Headers["Content-Range"])

	res, err = e.h.Handle(context.Background(), e.s3.HeadEvent("doc", "", map[string]string{"If-None-Match": `"v1"`}))
	require.NoError(t, err)
	assert.Equal(t, 304, res.StatusCode)

	res, err = e.h.Handle(context.Background(), e.s3.HeadEvent("missing", "", nil))
	require.NoError(t, err)
	assert.Equal(t, 404, res.StatusCode)
	assert.Equal(t, "NoSuchKey", res.ErrorCode)
}

func TestHeadOfATransformedObjectMatchesItsGet(t *testing.T) {
	e := setup(t)
	e.s3.Put("doc", bytesObject([]byte("hello"), http.Header{"Etag": {`"v1"`}, "Content-Type": {"text/plain"}}))
	head, err := e.h.Handle(context.Background(), e.s3.HeadEvent("doc", upperChain, nil))
	require.NoError(t, err)
	require.Equal(t, 200, head.StatusCode, head.ErrorMessage)
	w, _, err := e.get(t, "doc", upperChain, nil)
	require.NoError(t, err)
	assert.Equal(t, w.Header.Get("ETag"), head.Headers["Etag"], "HEAD and GET agree on the transformed ETag")
	assert.NotEqual(t, `"v1"`, head.Headers["Etag"])
	assert.Equal(t, int64(len(w.Body)), head.Headers["Content-Length"],
		"the chain's length is unknown from headers, so the HEAD read the original through the supporting access point and counted")
	assert.Equal(t, int64(1), e.s3.OwnReads())

	res, err := e.h.Handle(context.Background(), e.s3.HeadEvent("doc", upperChain, map[string]string{"If-None-Match": head.Headers["Etag"].(string)}))
	require.NoError(t, err)
	assert.Equal(t, 304, res.StatusCode)
	res, err = e.h.Handle(context.Background(), e.s3.HeadEvent("doc", upperChain, map[string]string{"If-Match": `"v1"`}))
	require.NoError(t, err)
	assert.Equal(t, 412, res.StatusCode)
	assert.Equal(t, "PreconditionFailed", res.ErrorCode)
}

const listXML = `<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix></Prefix><KeyCount>3</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated><Contents><Key>a.txt</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified><ETag>"e1"</ETag><ChecksumAlgorithm>CRC64NVME</ChecksumAlgorithm><Size>3</Size><StorageClass>STANDARD</StorageClass></Contents><Contents><Key>secret/b.txt</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified><ETag>"e2"</ETag><Size>4</Size><StorageClass>STANDARD</StorageClass></Contents><Contents><Key>z.txt</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified><ETag>"e3"</ETag><Size>5</Size><StorageClass>STANDARD</StorageClass></Contents></ListBucketResult>`

func TestListsPassThroughOrAreEdited(t *testing.T) {
	e := setup(t)
	e.s3.ListXML = listXML
	for _, v2 := range []bool{false, true} {
		res, err := e.h.Handle(context.Background(), e.s3.ListEvent(v2, upperChain))
		require.NoError(t, err)
		assert.Equal(t, 200, res.StatusCode)
		assert.Equal(t, listXML, res.ListResultXML, "no stage edits listings: S3's own XML, untouched")
	}
	res, err := e.h.Handle(context.Background(), e.s3.ListEvent(true, `{"transforms":[{"name":"test-hide"}]}`))
	require.NoError(t, err)
	assert.Equal(t, 200, res.StatusCode)
	assert.Contains(t, res.ListResultXML, "<Key>a.txt</Key>")
	assert.Contains(t, res.ListResultXML, "<Key>z.txt</Key>")
	assert.NotContains(t, res.ListResultXML, "secret/")
	assert.Contains(t, res.ListResultXML, "<KeyCount>2</KeyCount>")
	assert.Contains(t, res.ListResultXML, "<ChecksumAlgorithm>CRC64NVME</ChecksumAlgorithm>", "what the hook does not see is kept")

	res, err = e.h.Handle(context.Background(), e.s3.ListEvent(true, `{"transforms":[{"name":"nope"}]}`))
	require.NoError(t, err)
	assert.Equal(t, 400, res.StatusCode)
	assert.Equal(t, "InvalidRequest", res.ErrorCode)
}

// "test-upper-described" is test-upper with a HEAD hook: its headers are
// known without the bytes, its length is not.
func init() {
	transforms.Register("test-upper-described", func(json.RawMessage) (transforms.Transform, error) { return describedUpper{}, nil })
}

type describedUpper struct{}

func (describedUpper) Apply(ctx context.Context, obj *transforms.Object, r io.Reader) (io.Reader, error) {
	return &upper{r}, describedUpper{}.Head(ctx, obj)
}

func (describedUpper) Head(_ context.Context, obj *transforms.Object) error {
	obj.Header.Set("Content-Type", "text/plain")
	return nil
}

func TestHeadLengthComesFromTheCacheAfterAGet(t *testing.T) {
	const chain = `{"transforms":[{"name":"test-upper-described"}]}`
	e := setup(t)
	e.s3.Put("doc", bytesObject([]byte("hello, world"), http.Header{"Etag": {`"v1"`}}))
	w, _, err := e.get(t, "doc", chain, nil)
	require.NoError(t, err)
	head, err := e.h.Handle(context.Background(), e.s3.HeadEvent("doc", chain, nil))
	require.NoError(t, err)
	assert.Equal(t, int64(len(w.Body)), head.Headers["Content-Length"])
	assert.Zero(t, e.s3.OwnReads(), "a HEAD after a whole GET reads nothing")

	// A new ETag is a new object: the cached length is not used for it.
	e.s3.Put("doc", bytesObject([]byte("hello"), http.Header{"Etag": {`"v2"`}}))
	head, err = e.h.Handle(context.Background(), e.s3.HeadEvent("doc", chain, nil))
	require.NoError(t, err)
	assert.Equal(t, int64(5), head.Headers["Content-Length"])
	assert.Equal(t, int64(1), e.s3.OwnReads())
}

func TestHeadWithNoWayToLearnTheLengthSaysSo(t *testing.T) {
	e := setup(t)
	e.h.Originals = nil
	e.s3.Put("doc", bytesObject([]byte("hello"), http.Header{"Etag": {`"v1"`}}))
	head, err := e.h.Handle(context.Background(), e.s3.HeadEvent("doc", upperChain, nil))
	require.NoError(t, err)
	assert.Equal(t, 501, head.StatusCode, "never a HEAD without its length")
	assert.Equal(t, "NotImplemented", head.ErrorCode)
	assert.Contains(t, head.ErrorMessage, "supporting access point")
}
