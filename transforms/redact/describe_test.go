package redact_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/transforms"
	"github.com/olkit/olkit/transforms/redact"
)

// TestDescription keeps `olkit transforms -v` and the README true: the
// described options are exactly the fields each factory accepts, and
// writing out every described default changes nothing.
func TestDescription(t *testing.T) {
	// pii-access-control takes every field of Options; redact all but
	// max_spool_bytes, which it refuses (it streams).
	require.NoError(t, transforms.CheckDescription("pii-access-control", redact.Options{}))
	access, _ := transforms.Described("pii-access-control")
	red, ok := transforms.Described("redact")
	require.True(t, ok)
	var names []string
	for _, o := range access.Options {
		if o.Name != "max_spool_bytes" {
			names = append(names, o.Name)
		}
	}
	assert.Equal(t, names, optionNames(red), "redact describes the fields it shares with pii-access-control")
	_, err := redact.ParseOptions(json.RawMessage(`{"max_spool_bytes":1}`), false)
	assert.ErrorContains(t, err, "max_spool_bytes", "redact refuses the one option it does not describe")

	for _, tc := range []struct {
		name   string
		access bool
	}{{"redact", false}, {"pii-access-control", true}} {
		d, _ := transforms.Described(tc.name)
		raw, err := d.Defaults()
		require.NoError(t, err)
		absent, err := redact.ParseOptions(nil, tc.access)
		require.NoError(t, err)
		explicit, err := redact.ParseOptions(raw, tc.access)
		require.NoError(t, err, tc.name)
		assert.Equal(t, absent, explicit, "%s: the described defaults are the defaults: %s", tc.name, raw)
	}
}

func optionNames(d transforms.Description) []string {
	var names []string
	for _, o := range d.Options {
		names = append(names, o.Name)
	}
	return names
}
