package decompress_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"
	"testing/iotest"

	"github.com/klauspost/compress/snappy"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/transforms"
)

func parseChain(p string) (*transforms.Chain, error) { return transforms.ParseChain(p) }

func mustChain(t testing.TB, p string) *transforms.Chain {
	t.Helper()
	c, err := transforms.ParseChain(p)
	require.NoError(t, err)
	return c
}

// readChain runs src through c as object key and reads all the output.
func readChain(c *transforms.Chain, key string, src io.Reader) ([]byte, error) {
	obj := &transforms.Object{Key: key, Header: http.Header{}, Size: -1}
	rc, err := c.Apply(context.Background(), obj, src)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// runOneByte feeds the input a byte at a time and reads the output a byte
// at a time.
func runOneByte(t *testing.T, payload string, compressed []byte) []byte {
	t.Helper()
	obj := &transforms.Object{Header: http.Header{}, Size: -1}
	rc, err := mustChain(t, payload).Apply(context.Background(), obj, iotest.OneByteReader(bytes.NewReader(compressed)))
	require.NoError(t, err)
	defer rc.Close()
	var out bytes.Buffer
	b := make([]byte, 1)
	for {
		n, err := rc.Read(b)
		out.Write(b[:n])
		if err == io.EOF {
			return out.Bytes()
		}
		require.NoError(t, err)
	}
}

func snappyBlockOf(data []byte) []byte { return snappy.Encode(nil, data) }

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
