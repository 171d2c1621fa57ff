package redact_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/transforms"
	"github.com/olkit/olkit/transforms/redact/internal/detect"
)

func chain(t testing.TB, name, opts string) *transforms.Chain {
	t.Helper()
	p := `{"transforms":[{"name":"` + name + `"}]}`
	if opts != "" {
		p = `{"transforms":[{"name":"` + name + `","options":` + opts + `}]}`
	}
	c, err := transforms.ParseChain(p)
	require.NoError(t, err)
	return c
}

// run applies c to src and reads the output with buffers of readSize.
func run(c *transforms.Chain, src io.Reader, h http.Header) ([]byte, *transforms.Object, error) {
	if h == nil {
		h = http.Header{}
	}
	obj := &transforms.Object{Key: "k.txt", Header: h, Size: -1}
	rc, err := c.Apply(context.Background(), obj, src)
	if err != nil {
		return nil, obj, err
	}
	defer rc.Close()
	out, err := io.ReadAll(rc)
	return out, obj, err
}

// reference is what redaction must give: the matches of one scan of the
// whole input, each byte masked.
func reference(data []byte, cfg detect.Config, mask byte) []byte {
	out := bytes.Clone(data)
	for _, m := range detect.Find(cfg, data) {
		for i := m.Start; i < m.End; i++ {
			out[i] = mask
		}
	}
	return out
}

var allTypes = detect.Config{Types: detect.All, Threshold: 0.5}

func newObj() *transforms.Object { return &transforms.Object{Header: http.Header{}, Size: -1} }

// chainErr parses a redact payload with opts and returns a chain that
// fails with the parse error, so tests can look at it as a caller would.
func chainErr(t testing.TB, opts string) *transforms.Chain {
	t.Helper()
	_, err := transforms.ParseChain(`{"transforms":[{"name":"redact","options":` + opts + `}]}`)
	return transforms.ChainOf("redact", transforms.Func(func(context.Context, *transforms.Object, io.Reader) (io.Reader, error) {
		if err == nil {
			return nil, errors.New("options accepted")
		}
		return nil, err
	}))
}
