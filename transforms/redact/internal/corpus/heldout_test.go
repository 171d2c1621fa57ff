package corpus

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/transforms/redact/internal/detect"
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

// The held-out sets parse, and label every type detected offline.
func TestHeldOutLabelsEveryType(t *testing.T) {
	for _, set := range HeldOutSets {
		name := set.Name
		doc, err := set.Load()
		require.NoError(t, err, name)
		n := map[detect.Entity]int{}
		for _, l := range doc.Labels {
			n[l.Type]++
		}
		for _, e := range detect.Detectable.Slice() {
			assert.GreaterOrEqual(t, n[e], 10, "%s values in %s", e, name)
		}
		assert.True(t, utf8.Valid(doc.Data), name)
	}
}

// Evaluate tells a whole redaction from a partial one, a slice of a
// longer number from a value, and counts the hard negatives touched.
func TestEvaluate(t *testing.T) {
	doc, err := ParseMarked("ssn ⟦SSN|536-22-1234⟧ on ⟦DATE_TIME|the 3rd of May⟧, " +
		"card ⟦CREDIT_DEBIT_NUMBER|4111 1111 1111 1111⟧ ref 9400 1118 9922 3334 5678 41 version 1.2.3.4\nplain words of prose here\n")
	require.NoError(t, err)
	at := func(s string, typ detect.Entity) detect.Match {
		i := strings.Index(string(doc.Data), s)
		require.GreaterOrEqual(t, i, 0, s)
		return detect.Match{Start: i, End: i + len(s), Type: typ}
	}
	found := []detect.Match{
		at("536-22-1234", detect.SSN),
		at("3rd of May", detect.DATE_TIME),                    // leaves "the" out
		at("4111 1111 1111", detect.IN_AADHAAR),               // leaves digits out
		at("1118 9922 3334 5678", detect.CREDIT_DEBIT_NUMBER), // a slice of a run
		at("1.2.3.4", detect.IP_ADDRESS),                      // a version
	}
	ev := Evaluate(doc, found)
	assert.Equal(t, map[detect.Entity]int{detect.DATE_TIME: 1, detect.CREDIT_DEBIT_NUMBER: 2}, ev.Partial)
	assert.Equal(t, map[detect.Entity]int{detect.DATE_TIME: 1}, ev.PartialWords)
	assert.Equal(t, map[detect.Entity]int{detect.SSN: 1}, ev.Redacted, "only the SSN is covered whole")
	assert.Equal(t, map[detect.Entity]int{detect.IP_ADDRESS: 1}, ev.NegHit)
	assert.Equal(t, 6, ev.Negatives, "the tracking number's five groups of four, and the version")
	assert.Equal(t, 5, ev.NegTouched)
	assert.Equal(t, 1, ev.Prose)
	assert.Zero(t, ev.ProseTouched)
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
