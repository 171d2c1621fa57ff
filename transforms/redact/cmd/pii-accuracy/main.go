// Command pii-accuracy measures the offline detector against labelled
// text: precision, recall and F1 per entity type, at a confidence
// threshold, and what a user of the redaction would notice: partial
// redactions and hard negatives hit. By default the text is the synthetic
// corpus; with -heldout, -heldout2 ... -heldout11 it is one of the
// hand-written held-out sets, formats and contexts the generator does not
// produce (each from the fourth on was measured once, blind, before the
// detector was tuned on it; docs/benchmarks.md has those figures).
//
//	go run ./transforms/redact/cmd/pii-accuracy -size 16777216 -seed 1
//	go run ./transforms/redact/cmd/pii-accuracy -heldout -misses 5
//	go run ./transforms/redact/cmd/pii-accuracy -heldout2 -misses 5
//	go run ./transforms/redact/cmd/pii-accuracy -heldout3 -misses 5
//	go run ./transforms/redact/cmd/pii-accuracy -heldout4 -misses 5
//	go run ./transforms/redact/cmd/pii-accuracy -heldout5 -misses 5
//	go run ./transforms/redact/cmd/pii-accuracy -heldout6 -misses 5
//	go run ./transforms/redact/cmd/pii-accuracy -heldout7 -misses 5
//	go run ./transforms/redact/cmd/pii-accuracy -heldout8 -misses 5
//	go run ./transforms/redact/cmd/pii-accuracy -heldout9 -misses 5
//	go run ./transforms/redact/cmd/pii-accuracy -heldout10 -misses 5
//	go run ./transforms/redact/cmd/pii-accuracy -heldout11 -misses 5
//	go run ./transforms/redact/cmd/pii-accuracy -size 268435456 -out dense.txt
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/olkit/olkit/transforms/redact/internal/corpus"
	"github.com/olkit/olkit/transforms/redact/internal/detect"
)

func main() {
	size := flag.Int("size", 16<<20, "bytes of corpus to generate")
	seed := flag.Uint64("seed", 1, "corpus seed")
	sets := make([]*bool, len(corpus.HeldOutSets))
	for k, set := range corpus.HeldOutSets {
		sets[k] = flag.Bool(set.Name, false, fmt.Sprintf("measure on hand-written held-out set %d of %d instead of the generated corpus", k+1, len(sets)))
	}
	threshold := flag.Float64("threshold", 0.5, "confidence threshold")
	misses := flag.Int("misses", 0, "print up to this many false positives and negatives per type")
	out := flag.String("out", "", "also write the text measured to this file (a benchmark input)")
	rate := flag.Float64("pii-rate", 0.025, "the generated corpus's chance that a record carries PII (0: only timestamps)")
	flag.Parse()
	var (
		doc corpus.Doc
		err error
	)
	held := -1
	for k, on := range sets {
		if *on {
			held = k // the latest-written of those named
		}
	}
	if held >= 0 {
		doc, err = corpus.HeldOutSets[held].Load()
	} else {
		g := corpus.New(*seed)
		g.PIIRate = *rate
		doc = g.Generate(*size)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "pii-accuracy: held-out set:", err)
		os.Exit(1)
	}
	if *out != "" {
		if err := os.WriteFile(*out, doc.Data, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "pii-accuracy:", err)
			os.Exit(1)
		}
	}
	found := detect.Find(detect.Config{Types: detect.All, Threshold: float32(*threshold)}, doc.Data)
	ev := corpus.Evaluate(doc, found)
	fmt.Print(Table(corpus.Score(doc, found), ev))
	fmt.Printf("hard negatives (unlabelled PII-like tokens) touched: %d of %d (%.2f%%); prose lines touched: %d of %d\n",
		ev.NegTouched, ev.Negatives, 100*float64(ev.NegTouched)/float64(max(1, ev.Negatives)), ev.ProseTouched, ev.Prose)
	for _, m := range corpus.Misses(doc, found, *misses) {
		fmt.Println(m)
	}
	for _, t := range ev.NegSeen[:min(len(ev.NegSeen), *misses)] {
		fmt.Printf("NEG %q\n", t)
	}
}

// Table formats the counts, a row per entity type: precision and recall
// (a match counts if it has the label's type and bounds), the share of
// values redacted whole by any match, then partial redactions and
// matches on unlabelled text.
func Table(c map[detect.Entity]*corpus.Counts, ev corpus.Eval) string {
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "entity type\tlabels\tTP\tFP\tFN\tprecision\trecall\tF1\tredacted\tpartial (words only)\tneg hit")
	for _, t := range detect.Entities() {
		k := c[t]
		if k == nil {
			continue
		}
		p, r := k.Precision(), k.Recall()
		f := 0.0
		if p+r > 0 {
			f = 2 * p * r / (p + r)
		}
		red := float64(ev.Redacted[t]) / float64(max(1, k.TP+k.FN))
		fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%d\t%.4f\t%.4f\t%.4f\t%.4f\t%d (%d)\t%d\n", t, k.TP+k.FN, k.TP, k.FP, k.FN, p, r, f, red, ev.Partial[t], ev.PartialWords[t], ev.NegHit[t])
	}
	w.Flush()
	return b.String()
}
