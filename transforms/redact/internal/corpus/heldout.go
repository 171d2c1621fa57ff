package corpus

import (
	_ "embed"
	"fmt"
	"strings"

	"github.com/olkit/olkit/transforms/redact/internal/detect"
)

// heldout.txt was written by hand, by an author who had not read the
// detector or this generator, to measure the detector on formats and
// contexts the generator does not produce. Every entity is marked in
// place as ⟦TYPE|value⟧; what is not marked is not PII of the types
// detected offline, near-misses included.
//
//go:embed heldout.txt
var heldout string

// HeldOut returns the hand-written held-out document and its labels.
func HeldOut() (Doc, error) { return ParseMarked(heldout) }

// A Set is a hand-written held-out set: its name (pii-accuracy's flag)
// and how to load it.
type Set struct {
	Name string
	Load func() (Doc, error)
}

// HeldOutSets are the held-out sets in the order they were written; each
// after the first five was measured once, blind, before the detector was
// tuned on it (docs/benchmarks.md).
var HeldOutSets = []Set{
	{"heldout", HeldOut}, {"heldout2", HeldOut2}, {"heldout3", HeldOut3}, {"heldout4", HeldOut4},
	{"heldout5", HeldOut5}, {"heldout6", HeldOut6}, {"heldout7", HeldOut7}, {"heldout8", HeldOut8},
	{"heldout9", HeldOut9}, {"heldout10", HeldOut10},
	{"heldout11", HeldOut11},
}

const (
	markOpen  = "⟦"
	markClose = "⟧"
)

// ParseMarked removes the ⟦TYPE|value⟧ marks from s and returns the text
// that is left, with a label for each value. TYPE is a Comprehend entity
// name.
func ParseMarked(s string) (Doc, error) {
	var (
		out  strings.Builder
		labs []Label
		line = 1
	)
	for {
		i := strings.Index(s, markOpen)
		if j := strings.Index(s, markClose); j >= 0 && (i < 0 || j < i) {
			return Doc{}, fmt.Errorf("line %d: %s without %s", line+strings.Count(s[:j], "\n"), markClose, markOpen)
		}
		if i < 0 {
			out.WriteString(s)
			break
		}
		out.WriteString(s[:i])
		line += strings.Count(s[:i], "\n")
		s = s[i+len(markOpen):]
		j := strings.Index(s, markClose)
		if j < 0 {
			return Doc{}, fmt.Errorf("line %d: %s not closed", line, markOpen)
		}
		name, value, ok := strings.Cut(s[:j], "|")
		t, known := detect.ParseEntity(name)
		switch {
		case !ok || value == "":
			return Doc{}, fmt.Errorf("line %d: mark %q is not TYPE|value", line, s[:j])
		case !known:
			return Doc{}, fmt.Errorf("line %d: %q is not a Comprehend entity type", line, name)
		case strings.Contains(value, markOpen):
			return Doc{}, fmt.Errorf("line %d: marks nest", line)
		}
		labs = append(labs, Label{out.Len(), out.Len() + len(value), t})
		out.WriteString(value)
		line += strings.Count(value, "\n")
		s = s[j+len(markClose):]
	}
	return Doc{Data: []byte(out.String()), Labels: labs}, nil
}

// Counts are one type's true positives, false positives and false
// negatives.
type Counts struct{ TP, FP, FN int }

// Precision is TP/(TP+FP), 1 when nothing was found.
func (c Counts) Precision() float64 { return ratio(c.TP, c.TP+c.FP) }

// Recall is TP/(TP+FN), 1 when there was nothing to find.
func (c Counts) Recall() float64 { return ratio(c.TP, c.TP+c.FN) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

type span struct{ s, e int }

// Score matches found against the labels: a true positive has the label's
// exact bytes and type; any other match is a false positive of its type.
func Score(doc Doc, found []detect.Match) map[detect.Entity]*Counts {
	c := map[detect.Entity]*Counts{}
	get := func(t detect.Entity) *Counts {
		if c[t] == nil {
			c[t] = &Counts{}
		}
		return c[t]
	}
	labels := map[span]detect.Entity{}
	for _, l := range doc.Labels {
		labels[span{l.Start, l.End}] = l.Type
		get(l.Type)
	}
	hit := map[span]bool{}
	for _, m := range found {
		sp := span{m.Start, m.End}
		if t, ok := labels[sp]; ok && t == m.Type {
			get(t).TP++
			hit[sp] = true
		} else {
			get(m.Type).FP++
		}
	}
	for sp, t := range labels {
		if !hit[sp] {
			get(t).FN++
		}
	}
	return c
}

// Misses describes up to n wrong or missed matches per type, each with
// some text around it.
func Misses(doc Doc, found []detect.Match, n int) []string {
	labels := map[span]detect.Entity{}
	for _, l := range doc.Labels {
		labels[span{l.Start, l.End}] = l.Type
	}
	shown := map[string]int{}
	var out []string
	quote := func(s, e int) string {
		return fmt.Sprintf("%q in %q", doc.Data[s:e], doc.Data[max(0, s-30):min(len(doc.Data), e+10)])
	}
	got := map[Label]bool{}
	for _, m := range found {
		sp := span{m.Start, m.End}
		got[Label{m.Start, m.End, m.Type}] = true
		if t, ok := labels[sp]; !ok || t != m.Type {
			k := "FP " + m.Type.String()
			if shown[k]++; shown[k] <= n {
				out = append(out, k+" "+quote(m.Start, m.End))
			}
		}
	}
	for _, l := range doc.Labels {
		if !got[l] {
			k := "FN " + l.Type.String()
			if shown[k]++; shown[k] <= n {
				out = append(out, k+" "+quote(l.Start, l.End))
			}
		}
	}
	return out
}
