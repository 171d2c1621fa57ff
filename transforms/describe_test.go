package transforms_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/transforms"
)

// describetestOptions is what the describetest transform decodes its options
// into, strictly, as the built-ins do.
type describetestOptions struct {
	Level  int    `json:"level"`
	Mode   string `json:"mode,omitempty"`
	Hidden string `json:"-"`
}

func describetestFactory(raw json.RawMessage) (transforms.Transform, error) {
	var o describetestOptions
	if len(raw) > 0 {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&o); err != nil {
			return nil, err
		}
	}
	if o.Level < 0 {
		return nil, errors.New("level is negative")
	}
	return transforms.Func(nil), nil
}

var describetestGood = []transforms.Option{
	{Name: "level", Type: "integer", Default: "0", Doc: "how hard"},
	{Name: "mode", Type: "string", Doc: "which way"},
}

// describetestCases are each kind of drift between a description and the
// options a factory accepts, one at a time, each registered from init
// (Register refuses a name twice, and tests may run with -count=N) as
// "describetest-" + name; want is what the error must say.
var describetestCases = []struct {
	name, want string
	options    []transforms.Option
}{
	{"agrees", "", describetestGood},
	{"undescribed", `"mode" (a field of transforms_test.describetestOptions) is not described`, describetestGood[:1]},
	{"unknown", `"speed" is described but is not a field`,
		append(slices.Clone(describetestGood), transforms.Option{Name: "speed", Type: "integer", Doc: "how fast"})},
	{"twice", `"mode" is described twice`, append(slices.Clone(describetestGood), describetestGood[1])},
	{"refused-default", `the factory refuses the described default -1: level is negative`,
		[]transforms.Option{{Name: "level", Type: "integer", Default: "-1", Doc: "how hard"}, describetestGood[1]}},
	{"default-not-json", `default low is not JSON`,
		[]transforms.Option{{Name: "level", Type: "integer", Default: "low", Doc: "how hard"}, describetestGood[1]}},
	{"no-meaning", `"mode" has no type or meaning`,
		[]transforms.Option{describetestGood[0], {Name: "mode", Type: "string"}}},
}

func init() {
	for _, tc := range describetestCases {
		transforms.Register("describetest-"+tc.name, describetestFactory)
		transforms.Describe("describetest-"+tc.name, transforms.Description{Summary: "a test", Options: tc.options})
	}
	// Described before anything registers the name (Describe is
	// order-free), and never registered: Described must not report it.
	transforms.Describe("describetest-unregistered", transforms.Description{Summary: "nothing"})
}

func TestDescribed(t *testing.T) {
	d, ok := transforms.Described("identity")
	require.True(t, ok, "identity describes itself")
	assert.NotEmpty(t, d.Summary)
	assert.Empty(t, d.Options)

	_, ok = transforms.Described("describetest-unregistered")
	assert.False(t, ok, "a description without a transform is not one")
	_, ok = transforms.Described("chaintest-append-a")
	assert.False(t, ok, "a transform without a description has none")

	d, ok = transforms.Described("describetest-agrees")
	require.True(t, ok)
	raw, err := d.Defaults()
	require.NoError(t, err)
	assert.JSONEq(t, `{"level":0}`, string(raw), "only options with a default are written out")

	assert.Panics(t, func() { transforms.Describe("", transforms.Description{}) }, "empty name")
	assert.Panics(t, func() { transforms.Describe("identity", transforms.Description{}) }, "described twice")
}

// TestCheckDescription: each kind of drift is caught, naming the option.
func TestCheckDescription(t *testing.T) {
	for _, tc := range describetestCases {
		t.Run(tc.name, func(t *testing.T) {
			err := transforms.CheckDescription("describetest-"+tc.name, &describetestOptions{})
			if tc.want == "" {
				assert.NoError(t, err)
				return
			}
			assert.ErrorContains(t, err, tc.want)
		})
	}
	assert.ErrorContains(t, transforms.CheckDescription("chaintest-append-a", struct{}{}), "has no description")
	assert.ErrorContains(t, transforms.CheckDescription("describetest-agrees", 3), "must be the struct")
}
