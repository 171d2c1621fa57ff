package corpus

import (
	"bytes"
	"slices"

	"github.com/olkit/olkit/transforms/redact/internal/detect"
)

// Eval is what a redaction of a labelled document would do, beyond
// precision and recall: the outcomes a user notices.
type Eval struct {
	// Partial counts, per type, the redactions that cover part of a value
	// or a slice of a longer run of digits: the worst outcome, output
	// that looks redacted and still leaks. A labelled value is counted
	// under its label's type, an unlabelled run under the match's. A
	// match that covers the whole value and more (a weekday before a
	// date the label leaves out) is no partial redaction: nothing of the
	// value is left; Score counts it as a miss and a false positive.
	Partial map[detect.Entity]int
	// PartialWords counts the partial redactions of labelled values that
	// leave only words of the label out ("the" in "the 3rd of March,
	// 1990", a weekday): a difference over where the value starts rather
	// than a leak of its digits. They are counted in Partial too.
	PartialWords map[detect.Entity]int
	// Redacted counts, per type, the labelled values that matches cover
	// whole, whatever the matches' types and however far they go past
	// the value: what a redaction leaves of nothing. Recall by this count
	// forgives a value found as another type, or with its weekday where
	// the label leaves it out, or a date and its time in one match where
	// the labels make two; Score does not.
	Redacted map[detect.Entity]int
	// NegHit counts, per type, matches on text with no label at all:
	// near-misses (order numbers, versions, hashes, Luhn-failing cards)
	// taken for PII.
	NegHit map[detect.Entity]int
	// Negatives is how many hard negatives the text holds: unlabelled
	// tokens that look like PII (four digits or more, a long mix of
	// letters and digits, an '@' or "://").
	Negatives int
	// NegTouched is how many of those tokens a match touches, and
	// NegSeen the first few of them, to say which.
	NegTouched int
	NegSeen    []string
	// Prose is how many lines of prose (no label, no digit, five words or
	// more) the text holds, and ProseTouched how many a match touches.
	Prose, ProseTouched int
}

// Evaluate compares found with doc's labels.
func Evaluate(doc Doc, found []detect.Match) Eval {
	ev := Eval{Partial: map[detect.Entity]int{}, PartialWords: map[detect.Entity]int{}, NegHit: map[detect.Entity]int{}, Redacted: map[detect.Entity]int{}}
	labelled := make([]bool, len(doc.Data)) // byte is inside a label
	for _, l := range doc.Labels {
		for i := l.Start; i < l.End; i++ {
			labelled[i] = true
		}
	}
	matched := make([]bool, len(doc.Data))
	for _, m := range found {
		for i := m.Start; i < m.End; i++ {
			matched[i] = true
		}
	}
	// Partial redactions of labelled values, once per value.
	li := 0
	for _, l := range doc.Labels {
		if !slices.Contains(matched[l.Start:l.End], false) {
			ev.Redacted[l.Type]++
		}
		covered, overlap := false, false
		for ; li < len(found) && found[li].End <= l.Start; li++ {
		}
		for k := li; k < len(found) && found[k].Start < l.End; k++ {
			overlap = true
			if found[k].Start <= l.Start && found[k].End >= l.End {
				covered = true
			}
		}
		if overlap && !covered {
			ev.Partial[l.Type]++
			digitsLeft := false
			for i := l.Start; i < l.End; i++ {
				digitsLeft = digitsLeft || !matched[i] && isDigit(doc.Data[i])
			}
			if !digitsLeft {
				ev.PartialWords[l.Type]++
			}
		}
	}
	// Matches on unlabelled text: slices of a run, or hard negatives hit.
	for _, m := range found {
		inLabel := false
		for i := m.Start; i < m.End; i++ {
			if labelled[i] {
				inLabel = true
				break
			}
		}
		if inLabel {
			continue
		}
		if slice(doc.Data, m) {
			ev.Partial[m.Type]++
		} else {
			ev.NegHit[m.Type]++
		}
	}
	// Hard negatives: PII-like tokens outside labels.
	data := doc.Data
	for i := 0; i < len(data); {
		if isSpace(data[i]) {
			i++
			continue
		}
		j := i
		for j < len(data) && !isSpace(data[j]) {
			j++
		}
		s, e := trimToken(data, i, j)
		if s < e && negative(data[s:e]) && !anyTrue(labelled[s:e]) {
			ev.Negatives++
			if anyTrue(matched[s:e]) {
				ev.NegTouched++
				if len(ev.NegSeen) < 100 {
					ev.NegSeen = append(ev.NegSeen, string(data[s:e]))
				}
			}
		}
		i = j
	}
	// Prose lines.
	for st := 0; st < len(data); {
		e := bytes.IndexByte(data[st:], '\n')
		if e < 0 {
			e = len(data)
		} else {
			e += st
		}
		line := data[st:e]
		if !anyTrue(labelled[st:e]) && bytes.IndexAny(line, "0123456789") < 0 && len(bytes.Fields(line)) >= 5 {
			ev.Prose++
			if anyTrue(matched[st:e]) {
				ev.ProseTouched++
			}
		}
		st = e + 1
	}
	return ev
}

// slice reports whether a match is part of a longer token: a letter or a
// digit right next to it, or a run of digit groups that goes on past it
// with a separator the match holds itself (9400 [1118 9922 3334 5678] 41).
func slice(data []byte, m detect.Match) bool {
	if m.Start > 0 && isAlnum(data[m.Start-1]) || m.End < len(data) && isAlnum(data[m.End]) {
		return true
	}
	in := data[m.Start:m.End]
	if m.Start >= 2 && isDigit(data[m.Start-2]) && isDigit(in[0]) && bytes.IndexByte(in, data[m.Start-1]) >= 0 && isSep(data[m.Start-1]) {
		return true
	}
	return m.End+1 < len(data) && isDigit(data[m.End+1]) && isDigit(in[len(in)-1]) && isSep(data[m.End]) && bytes.IndexByte(in, data[m.End]) >= 0
}

// trimToken drops the punctuation around a token.
func trimToken(data []byte, s, e int) (int, int) {
	for s < e && bytes.IndexByte([]byte(`()[]{}<>"',;:.!?`), data[s]) >= 0 {
		s++
	}
	for e > s && bytes.IndexByte([]byte(`()[]{}<>"',;:.!?`), data[e-1]) >= 0 {
		e--
	}
	return s, e
}

// negative reports whether an unlabelled token looks like PII: four
// digits or more, sixteen letters-and-digits with both, an '@' or "://".
func negative(t []byte) bool {
	digits, letters := 0, 0
	for _, c := range t {
		switch {
		case isDigit(c):
			digits++
		case c|0x20 >= 'a' && c|0x20 <= 'z':
			letters++
		}
	}
	return digits >= 4 || (len(t) >= 16 && digits > 0 && letters > 0) || bytes.IndexByte(t, '@') > 0 || bytes.Contains(t, []byte("://"))
}

func anyTrue(b []bool) bool {
	for _, v := range b {
		if v {
			return true
		}
	}
	return false
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isAlnum(c byte) bool { return isDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'z' }
func isSep(c byte) bool   { return c == ' ' || c == '-' || c == '.' || c == '/' }
