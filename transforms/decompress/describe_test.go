package decompress_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/transforms"
	"github.com/olkit/olkit/transforms/decompress"
)

// TestDescription keeps `olkit transforms -v` and the README true: the
// described options are exactly the fields the factory accepts, and
// writing out every described default changes nothing.
func TestDescription(t *testing.T) {
	require.NoError(t, transforms.CheckDescription("decompress", decompress.Options{}))

	d, _ := transforms.Described("decompress")
	raw, err := d.Defaults()
	require.NoError(t, err)
	absent, err := decompress.ParseOptions(nil)
	require.NoError(t, err)
	explicit, err := decompress.ParseOptions(raw)
	require.NoError(t, err)
	assert.Equal(t, absent, explicit, "the described defaults are the defaults: %s", raw)
}
