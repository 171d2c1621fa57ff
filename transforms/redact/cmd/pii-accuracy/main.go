// Command pii-accuracy measures the offline detector on the labelled
// synthetic corpus: precision, recall and F1 per entity type, at the
// default threshold.
//
//	go run ./transforms/redact/cmd/pii-accuracy -size 16777216 -seed 1
package main

import (
	"flag"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/olkit/olkit/transforms/redact/detect"
	"github.com/olkit/olkit/transforms/redact/internal/corpus"
)

func main() {
	size := flag.Int("size", 16<<20, "bytes of corpus to generate")
	seed := flag.Uint64("seed", 1, "corpus seed")
	threshold := flag.Float64("threshold", 0.5, "confidence threshold")
	flag.Parse()
	doc := corpus.New(*seed).Generate(*size)
	found := detect.Find(detect.Config{Types: detect.All, Threshold: float32(*threshold)}, doc.Data)
	fmt.Print(Table(Score(doc, found)))
	if bad := Misses(doc, found, 5); len(bad) > 0 && os.Getenv("PII_ACCURACY_SHOW") != "" {
		for _, b := range bad {
			fmt.Println(b)
		}
	}
}

// Counts are one type's true positives, false positives and false
// negatives.
type Counts struct{ TP, FP, FN int }

type span struct{ s, e int }

// Score matches found against the labels: a true positive has the label's
// exact bytes and type.
func Score(doc corpus.Doc, found []detect.Match) map[detect.Entity]*Counts {
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

// Misses describes up to n wrong or missed matches per type.
func Misses(doc corpus.Doc, found []detect.Match, n int) []string {
	labels := map[span]detect.Entity{}
	for _, l := range doc.Labels {
		labels[span{l.Start, l.End}] = l.Type
	}
	shown := map[string]int{}
	var out []string
	quote := func(s, e int) string {
		return fmt.Sprintf("%q", doc.Data[max(0, s-20):min(len(doc.Data), e+5)])
	}
	got := map[span]bool{}
	for _, m := range found {
		sp := span{m.Start, m.End}
		got[sp] = true
		if t, ok := labels[sp]; !ok || t != m.Type {
			k := "FP " + m.Type.String()
			if shown[k]++; shown[k] <= n {
				out = append(out, k+" "+quote(m.Start, m.End))
			}
		}
	}
	for _, l := range doc.Labels {
		if !got[span{l.Start, l.End}] {
			k := "FN " + l.Type.String()
			if shown[k]++; shown[k] <= n {
				out = append(out, k+" "+quote(l.Start, l.End))
			}
		}
	}
	return out
}

// Table formats the counts.
func Table(c map[detect.Entity]*Counts) string {
	var b = new(tabBuf)
	w := tabwriter.NewWriter(b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "entity type\tlabels\tTP\tFP\tFN\tprecision\trecall\tF1")
	for _, t := range detect.Entities() {
		k := c[t]
		if k == nil {
			continue
		}
		p := ratio(k.TP, k.TP+k.FP)
		r := ratio(k.TP, k.TP+k.FN)
		f := 0.0
		if p+r > 0 {
			f = 2 * p * r / (p + r)
		}
		fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%d\t%.4f\t%.4f\t%.4f\n", t, k.TP+k.FN, k.TP, k.FP, k.FN, p, r, f)
	}
	w.Flush()
	return b.String()
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

type tabBuf struct{ b []byte }

func (t *tabBuf) Write(p []byte) (int, error) { t.b = append(t.b, p...); return len(p), nil }
func (t *tabBuf) String() string              { return string(t.b) }
