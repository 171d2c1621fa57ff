package decompress_test

import (
	"bytes"
	"compress/bzip2"
	"io"
	"testing"

	"github.com/stretchr/testify/require"
)

// The bzip2 fuzz seed must be real bzip2 data, or the fuzzer starts blind.
func TestBzip2SeedIsValid(t *testing.T) {
	out, err := io.ReadAll(bzip2.NewReader(bytes.NewReader(bzip2Hello)))
	require.NoError(t, err)
	require.Equal(t, "hello\n", string(out))
}
