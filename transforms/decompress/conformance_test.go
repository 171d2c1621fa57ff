package decompress_test

import (
	"testing"

	"github.com/olkit/olkit/transforms/transformtest"
)

// TestConformance checks decompress against the transform contract with
// the plugin kit, one format at a time: read sizes, source errors,
// cancellation, early close, goroutines, headers and bounded memory.
func TestConformance(t *testing.T) {
	plain := corpus(64 << 10)
	for _, tc := range []struct {
		format     string
		compressed []byte
		noRepeat   bool // the format's data cannot simply be repeated
	}{
		{"gzip", gzipTool(t, plain), false},
		{"zstd", zstdTool(t, plain), false},
		{"bzip2", bzip2Tool(t, plain), false},
		{"snappy", snappyFrame(plain, true), false},
		{"zlib", zlibTool(t, plain), true},
		{"zip", zipTool(t, map[string][]byte{"a.csv": plain}), true},
	} {
		t.Run(tc.format, func(t *testing.T) {
			cfg := transformtest.Config{Inputs: []transformtest.Input{
				{Name: tc.format, Data: tc.compressed, Want: plain, Key: "data.csv"},
			}}
			if tc.noRepeat {
				cfg.LargeSize = -1 // repeated, the data would not be valid
			}
			transformtest.Run(t, transformtest.Registered("decompress", `{"format":"`+tc.format+`"}`), cfg)
		})
	}
	t.Run("unknown data passes through", func(t *testing.T) {
		transformtest.Run(t, transformtest.Registered("decompress", ""), transformtest.Config{Inputs: []transformtest.Input{
			{Name: "text", Data: plain, Want: plain, Key: "notes.txt"},
		}})
	})
}
