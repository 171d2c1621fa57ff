package spool_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/spool"
)

func TestCopyHoldsTheStream(t *testing.T) {
	dir := t.TempDir()
	data := bytes.Repeat([]byte("spool "), 100_000)
	s, err := spool.Copy(dir, int64(len(data)), bytes.NewReader(data))
	require.NoError(t, err)
	defer s.Close()
	assert.Equal(t, int64(len(data)), s.Size())
	got, err := io.ReadAll(s.Reader())
	require.NoError(t, err)
	assert.Equal(t, data, got)
	p := make([]byte, 5)
	_, err = s.ReadAt(p, 6)
	require.NoError(t, err)
	assert.Equal(t, "spool", string(p))

	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, entries, "the file is unlinked at once: nothing to leave behind")
}

func TestCopyStopsAtTheLimit(t *testing.T) {
	src := &countingReader{r: strings.NewReader(strings.Repeat("x", 1<<20))}
	_, err := spool.Copy(t.TempDir(), 64<<10, src)
	var le *spool.LimitError
	require.True(t, errors.As(err, &le), "got %v", err)
	assert.Equal(t, int64(64<<10), le.Limit)
	assert.Less(t, src.n, int64(256<<10), "stops reading soon after the limit")
}

func TestCopyPassesSourceErrors(t *testing.T) {
	boom := errors.New("boom")
	_, err := spool.Copy(t.TempDir(), 1<<20, io.MultiReader(strings.NewReader("abc"), errReader{boom}))
	assert.ErrorIs(t, err, boom)
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
