package redact_test

import (
	"testing"

	"github.com/olkit/olkit/transforms/redact/internal/corpus"
	"github.com/olkit/olkit/transforms/transformtest"
)

// TestConformance checks both transforms against the transform contract
// with the plugin kit: read sizes, headers, source errors, cancellation,
// early close, goroutines and bounded memory.
func TestConformance(t *testing.T) {
	doc := corpus.New(42).Generate(300 << 10)
	masked := reference(doc.Data, allTypes, '*')
	clean := []byte("nothing to see here: order 123456 shipped, version 1.2.3.4, total 19.99\n")
	t.Run("redact", func(t *testing.T) {
		transformtest.Run(t, transformtest.Registered("redact", ""), transformtest.Config{
			Inputs: []transformtest.Input{
				{Name: "ticket", Data: []byte(ticket), Want: []byte("Hi, I'm Ada (************************, ************). SSN ***********, card *******************.\n" +
					"My server is ******** and version 1.2.3.4 is fine. Order 123456.\n")},
				{Name: "corpus", Data: doc.Data, Want: masked},
				{Name: "binary", Data: []byte{0xff, 0xfe, 'a'}, WantErr: true},
			},
			MaxHeapGrowth: 4 << 20,
		})
	})
	t.Run("redact replace", func(t *testing.T) {
		transformtest.Run(t, transformtest.Registered("redact", `{"mask_mode":"REPLACE_WITH_PII_ENTITY_TYPE"}`), transformtest.Config{
			Inputs:        []transformtest.Input{{Name: "corpus", Data: doc.Data}},
			MaxHeapGrowth: 4 << 20,
		})
	})
	t.Run("redact pass", func(t *testing.T) {
		bin := append([]byte{0xff, 0xfe}, doc.Data[:70000]...)
		transformtest.Run(t, transformtest.Registered("redact", `{"unsupported_file_handling":"PASS"}`), transformtest.Config{
			Inputs:        []transformtest.Input{{Name: "binary", Data: bin, Want: bin}},
			MaxHeapGrowth: 4 << 20,
		})
	})
	t.Run("pii-access-control", func(t *testing.T) {
		transformtest.Run(t, transformtest.Registered("pii-access-control", ""), transformtest.Config{
			Inputs: []transformtest.Input{
				{Name: "clean", Data: clean, Want: clean},
				{Name: "pii", Data: doc.Data, WantErr: true},
			},
			MaxHeapGrowth: 4 << 20,
		})
	})
}
