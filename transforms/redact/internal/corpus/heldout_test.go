package corpus

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/transforms/redact/detect"
)

func TestParseMarked(t *testing.T) {
	doc, err := ParseMarked("SSN ⟦SSN|536-22-1234⟧, café ⟦EMAIL|zoë@example.fr⟧.\n")
	require.NoError(t, err)
	assert.Equal(t, "SSN 536-22-1234, café zoë@example.fr.\n", string(doc.Data))
	require.Len(t, doc.Labels, 2)
	for i, want := range []struct {
		text string
		typ  detect.Entity
	}{{"536-22-1234", detect.SSN}, {"zoë@example.fr", detect.EMAIL}} {
		l := doc.Labels[i]
		assert.Equal(t, want.text, string(doc.Data[l.Start:l.End]))
		assert.Equal(t, want.typ, l.Type)
	}

	for in, msg := range map[string]string{
		"a\n⟦SSN|536-22-1234":      "line 2: ⟦ not closed",
		"a\nb ⟧":                   "line 2: ⟧ without ⟦",
		"⟦SOCIAL|536-22-1234⟧":     `"SOCIAL" is not a Comprehend entity type`,
		"⟦SSN⟧":                    "is not TYPE|value",
		"⟦URL|a ⟦EMAIL|a@b.io⟧ b⟧": "marks nest",
	} {
		_, err := ParseMarked(in)
		assert.ErrorContains(t, err, msg, in)
	}
}

// The held-out set parses, and labels every type detected offline.
func TestHeldOutLabelsEveryType(t *testing.T) {
	doc, err := HeldOut()
	require.NoError(t, err)
	n := map[detect.Entity]int{}
	for _, l := range doc.Labels {
		n[l.Type]++
	}
	for _, e := range detect.Detectable.Slice() {
		assert.GreaterOrEqual(t, n[e], 10, "%s values in the held-out set", e)
	}
	assert.True(t, utf8.Valid(doc.Data))
}

func FuzzParseMarked(f *testing.F) {
	f.Add("SSN ⟦SSN|536-22-1234⟧ and ⟦EMAIL|a@b.io⟧")
	f.Add("⟦⟧⟦|⟧⟦SSN|")
	f.Fuzz(func(t *testing.T, s string) {
		doc, err := ParseMarked(s)
		if err != nil {
			return
		}
		out := string(doc.Data)
		if strings.Contains(out, markOpen) || strings.Contains(out, markClose) {
			t.Fatalf("a mark is left in %q", out)
		}
		at := 0
		for _, l := range doc.Labels {
			if l.Start < at || l.End <= l.Start || l.End > len(out) {
				t.Fatalf("label %+v out of order or bounds in %q", l, out)
			}
			at = l.End
		}
	})
}
