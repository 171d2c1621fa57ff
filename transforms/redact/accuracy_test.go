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
// regression. Values in fixed-width and box-drawn tables have no column
// context (only CSV, TSV, ';' and '|' tables do); NHS numbers and North
// American phone numbers share the 3-3-4 shape, and in prose far from a
// label the phone reading wins.
var heldOutGaps = map[detect.Entity]floor{
	detect.BANK_ROUTING:                      {1, 0.78},
	detect.UK_NATIONAL_HEALTH_SERVICE_NUMBER: {1, 0.86},
	detect.PHONE:                             {0.94, 0.95},
	detect.SWIFT_CODE:                        {0.94, 0.89},
	detect.CA_SOCIAL_INSURANCE_NUMBER:        {1, 0.93},
}

// heldOut2Gaps: on the second, independent set (issue 19) the goal is
// recall 0.98 for every type; these fall short, pinned at what they
// reach (docs/benchmarks.md says where each falls short). Below that is
// a regression.
var heldOut2Gaps = map[detect.Entity]floor{
	detect.AWS_ACCESS_KEY:                          {0.97, 1},
	detect.AWS_SECRET_KEY:                          {1, 0.92},
	detect.BANK_ROUTING:                            {1, 0.95},
	detect.CA_SOCIAL_INSURANCE_NUMBER:              {1, 0.92},
	detect.DATE_TIME:                               {0.91, 0.81},
	detect.IN_AADHAAR:                              {0.97, 0.92},
	detect.IP_ADDRESS:                              {0.98, 0.98},
	detect.MAC_ADDRESS:                             {1, 0.96},
	detect.PHONE:                                   {0.91, 0.94},
	detect.SSN:                                     {1, 0.97},
	detect.SWIFT_CODE:                              {0.96, 0.71},
	detect.UK_NATIONAL_HEALTH_SERVICE_NUMBER:       {1, 0.60},
	detect.UK_NATIONAL_INSURANCE_NUMBER:            {1, 0.97},
	detect.URL:                                     {0.97, 0.97},
	detect.US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER: {1, 0.87},
	detect.VEHICLE_IDENTIFICATION_NUMBER:           {0.95, 1},
}

// heldOut2Partials are the partial redactions measured on the second set,
// per type (the goal is none): dates whose label holds more than the
// match (a weekday, "the", a time after "at"; 9 of the 19 leave only
// words out), a phone number's "1 " prefix, a URL cut at a ',', and an
// Aadhaar number read inside a lower-case IBAN that fails its check.
var heldOut2Partials = map[detect.Entity]int{
	detect.DATE_TIME: 19, detect.PHONE: 1, detect.URL: 1, detect.IN_AADHAAR: 1,
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

// The accuracy goals hold on the generated corpus, and on the two
// hand-written held-out sets but for the gaps above (go run
// ./transforms/redact/cmd/pii-accuracy [-heldout|-heldout2] prints the
// tables).
func TestAccuracyGoals(t *testing.T) {
	t.Run("generated", func(t *testing.T) { assertAccuracy(t, corpus.New(3).Generate(2<<20), expect{}) })
	t.Run("held-out", func(t *testing.T) {
		doc, err := corpus.HeldOut()
		require.NoError(t, err)
		assertAccuracy(t, doc, expect{gaps: heldOutGaps, negatives: 2})
	})
	t.Run("held-out 2", func(t *testing.T) {
		doc, err := corpus.HeldOut2()
		require.NoError(t, err)
		assertAccuracy(t, doc, expect{gaps: heldOut2Gaps, recall: 0.98, partials: heldOut2Partials, negatives: 15})
	})
}
