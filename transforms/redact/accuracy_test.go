package redact_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/transforms/redact/internal/corpus"
	"github.com/olkit/olkit/transforms/redact/internal/detect"
)

// checksummed are the types whose values carry a check digit or checksum;
// the goal for them is 0.98 precision and recall, 0.95 for the others.
var checksummed = detect.SetOf(detect.CREDIT_DEBIT_NUMBER, detect.INTERNATIONAL_BANK_ACCOUNT_NUMBER,
	detect.BANK_ROUTING, detect.CA_SOCIAL_INSURANCE_NUMBER, detect.UK_NATIONAL_HEALTH_SERVICE_NUMBER,
	detect.IN_AADHAAR, detect.VEHICLE_IDENTIFICATION_NUMBER)

// floor is a lowest precision and recall.
type floor struct{ precision, recall float64 }

func goal(t detect.Entity) floor {
	if checksummed.Has(t) {
		return floor{0.98, 0.98}
	}
	return floor{0.95, 0.95}
}

// heldOutGaps are the types that fall short of the goals on the first
// hand-written set, at what they reach, and why; anything lower is a
// regression. Routing numbers in an indented fixed-width table with no
// rule under its header have no column context; "SWIFT MT103 SINGLE
// CUSTOMER" reads CUSTOMER as a code after its label.
var heldOutGaps = map[detect.Entity]floor{
	detect.BANK_ROUTING: {1, 0.78},
	detect.SWIFT_CODE:   {0.95, 1},
}

// heldOut2Gaps: on the second set, which issue 19's work was tuned on,
// the goal is recall 0.98 for every type; these fall short, pinned at
// what they reach (docs/benchmarks.md says where each falls short).
var heldOut2Gaps = map[detect.Entity]floor{
	detect.AWS_ACCESS_KEY:                    {0.97, 1},
	detect.AWS_SECRET_KEY:                    {1, 0.97},
	detect.DATE_TIME:                         {0.98, 0.97},
	detect.IP_ADDRESS:                        {0.96, 0.98}, // its label leaves a link-local address's zone out
	detect.SWIFT_CODE:                        {0.97, 0.97},
	detect.UK_NATIONAL_HEALTH_SERVICE_NUMBER: {1, 0.97},
}

// heldOut2Partials are the partial redactions left on the second set:
// five dates whose label holds a leading "the" (or "le") the match
// leaves out.
var heldOut2Partials = map[detect.Entity]int{detect.DATE_TIME: 5}

// heldOut3Gaps: the third set was written after the tuning, and its first
// measurement is the held-out figure (docs/benchmarks.md); the detector
// was corrected after it, and these types still fall short of recall
// 0.98 by exact type and bounds. Most dates counted missed are there
// whole, in one match where the labels make two ("23/11/2025 at 9:20am").
var heldOut3Gaps = map[detect.Entity]floor{
	detect.BANK_ROUTING: {1, 0.97},
	detect.DATE_TIME:    {0.96, 0.94}, // and dhcpd's weekday number before a lease's date
	detect.IP_ADDRESS:   {0.98, 0.98}, // its label leaves a link-local address's zone out
}

// heldOut4Gaps: the fourth set was measured once, blind, after the second
// pass (docs/benchmarks.md); what is left after the fixes its misses led
// to: dates in airline records and US statements (12/21), two SSNs whose
// label follows them, a card glued to its type code.
var heldOut4Gaps = map[detect.Entity]floor{
	detect.CREDIT_DEBIT_NUMBER: {1, 0.96},
	detect.DATE_TIME:           {0.95, 0.93}, // its labels leave dhcpd's weekday number out of a lease's dates
	detect.IP_ADDRESS:          {0.97, 1},
}

// heldOut5Gaps: the fifth set was measured once, blind, in the third
// pass (docs/benchmarks.md); what is left after the fixes its misses led
// to. Its labels leave networks (10.0.0.0/8) out, which stay addresses
// (Comprehend's own example of an address is 198.51.100.0): they are
// its false positives and the hard negatives touched.
var heldOut5Gaps = map[detect.Entity]floor{
	detect.IP_ADDRESS: {0.94, 1},
}

// heldOut7Gaps: the seventh set was measured once, blind, at the end of
// the third pass (docs/benchmarks.md); what is left after the fixes its
// misses led to: BAI2, EDIFACT UNB and ISO 8583 dates, a Chinese month
// and day, dates in file names, DICOM's patient ids (NHS numbers with no
// context), two secret keys listed with no label, a BAI2 reference taken
// for a routing number.
var heldOut7Gaps = map[detect.Entity]floor{
	detect.AWS_SECRET_KEY:                    {1, 0.96},
	detect.BANK_ROUTING:                      {0.96, 1},
	detect.DATE_TIME:                         {0.99, 0.96},
	detect.UK_NATIONAL_HEALTH_SERVICE_NUMBER: {1, 0.94},
}

// heldOut8Gaps: the eighth set was measured once, blind, at the end of
// the third pass (docs/benchmarks.md); what is left after the fixes its
// misses led to: spoken dates and times ("June the 2nd", "quarter past
// four"), days and months with no year or time (20/06), bare SSNs and
// SINs in notes, a return file's routing numbers, numbers written as OCR
// or speech splits them, and the AWS documentation's example keys and
// an s3:// URL, which its labels leave out.
var heldOut8Gaps = map[detect.Entity]floor{
	detect.AWS_ACCESS_KEY:             {0.96, 1},
	detect.BANK_ROUTING:               {1, 0.96},
	detect.CA_SOCIAL_INSURANCE_NUMBER: {0.98, 0.96},
	detect.CREDIT_DEBIT_NUMBER:        {0.96, 1},
	detect.DATE_TIME:                  {1, 0.97},
	detect.PHONE:                      {1, 0.97},
	detect.SSN:                        {1, 0.94},
	detect.URL:                        {0.98, 0.96},
}

// heldOut9Gaps: the ninth set, meant to be typical rather than hard, was
// measured once, blind, on the final code of the third pass; two general
// faults it showed were fixed then, the rest in the fourth pass. Left: a
// pharmacy's list of NHS numbers with no heading, card expiry dates its
// labels call dates (the fourth, fifth, seventh and eleventh sets leave
// them out, and Comprehend calls them CREDIT_DEBIT_EXPIRY), dates in file
// names, and an s3:// URL and a host:port its labels leave out.
var heldOut9Gaps = map[detect.Entity]floor{
	detect.DATE_TIME:                         {0.99, 0.97},
	detect.UK_NATIONAL_HEALTH_SERVICE_NUMBER: {1, 0.91},
}

// heldOut11Gaps: the eleventh set was measured once, blind, at the end
// of the fourth pass (docs/benchmarks.md); what is left after the fixes
// its misses led to: dates its labels cut otherwise than the convention
// (a postgres log's stamp without its milliseconds and zone, dhcpd's
// weekday number left out where the fourth set's labels hold it, "on
// 05/10/2025 at 13:45" as two), yyyymmdd and BAI2 dates in records with
// no header, MAC addresses written in lower case from a letter, a
// NACHA file header's routing numbers, Polish and Singapore numbers
// without a label.
var heldOut11Gaps = map[detect.Entity]floor{
	detect.BANK_ROUTING: {1, 0.96},
	detect.DATE_TIME:    {0.97, 0.95},
	detect.MAC_ADDRESS:  {1, 0.92},
	detect.PHONE:        {0.99, 0.97},
}

// expect is what a labelled set must reach: precision and recall floors
// per type, where they differ from the goals, at most this many partial
// redactions per type and hard negatives touched.
type expect struct {
	gaps      map[detect.Entity]floor
	recall    float64 // the recall goal for every type; 0 for goal()
	partials  map[detect.Entity]int
	negatives int
}

func assertAccuracy(t *testing.T, doc corpus.Doc, want expect) {
	t.Helper()
	found := detect.Find(allTypes, doc.Data)
	for typ, c := range corpus.Score(doc, found) {
		f, ok := want.gaps[typ]
		if !ok {
			f = goal(typ)
			f.recall = max(f.recall, want.recall)
		}
		assert.GreaterOrEqual(t, c.Precision(), f.precision, "%s precision (%+v)", typ, *c)
		assert.GreaterOrEqual(t, c.Recall(), f.recall, "%s recall (%+v)", typ, *c)
	}
	ev := corpus.Evaluate(doc, found)
	for typ, n := range ev.Partial {
		assert.LessOrEqual(t, n, want.partials[typ], "%s partial redactions", typ)
	}
	assert.LessOrEqual(t, ev.NegTouched, want.negatives, "hard negatives touched, of %d", ev.Negatives)
	assert.Zero(t, ev.ProseTouched, "prose lines touched, of %d", ev.Prose)
	if t.Failed() {
		for _, m := range corpus.Misses(doc, found, 5) {
			t.Log(m)
		}
	}
}

// The accuracy goals hold on the generated corpus, and on the
// hand-written held-out sets but for the gaps above (go run
// ./transforms/redact/cmd/pii-accuracy [-heldout|-heldout2|...|-heldout9]
// prints the tables).
func TestAccuracyGoals(t *testing.T) {
	t.Run("generated", func(t *testing.T) { assertAccuracy(t, corpus.New(3).Generate(2<<20), expect{}) })
	// What each held-out set must reach, in corpus.HeldOutSets' order.
	expects := []expect{
		{gaps: heldOutGaps},
		{gaps: heldOut2Gaps, recall: 0.98, partials: heldOut2Partials, negatives: 2},
		{gaps: heldOut3Gaps, recall: 0.98, negatives: 2},
		{gaps: heldOut4Gaps, recall: 0.98, negatives: 2},
		{gaps: heldOut5Gaps, recall: 0.98, negatives: 7},
		{recall: 0.98}, // the sixth set meets every goal
		{gaps: heldOut7Gaps, recall: 0.98, negatives: 2},
		{gaps: heldOut8Gaps, recall: 0.98, negatives: 6},
		{gaps: heldOut9Gaps, recall: 0.98, negatives: 6},
		// The tenth set, measured once, blind, in the fourth pass, meets
		// every goal since the fixes its misses led to.
		{recall: 0.98, negatives: 3},
		{gaps: heldOut11Gaps, recall: 0.98, partials: map[detect.Entity]int{detect.DATE_TIME: 1}, negatives: 7},
	}
	require.Len(t, corpus.HeldOutSets, len(expects), "every held-out set has its goals")
	for k, set := range corpus.HeldOutSets {
		t.Run(set.Name, func(t *testing.T) {
			doc, err := set.Load()
			require.NoError(t, err)
			assertAccuracy(t, doc, expects[k])
		})
	}
}
