package redact_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/transforms/redact/detect"
	"github.com/olkit/olkit/transforms/redact/internal/corpus"
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

// heldOutGaps are the types that fall short of the goals on the
// hand-written set, at what they reach, and why; anything lower is a
// regression. Values in fixed-width and box-drawn tables have no column
// context (only CSV, TSV, ';' and '|' tables do); NHS numbers and North
// American phone numbers share the 3-3-4 shape, and in prose far from a
// label the phone reading wins; UK phone numbers without +44 are not
// detected.
var heldOutGaps = map[detect.Entity]floor{
	detect.BANK_ROUTING:                      {1, 0.78},
	detect.UK_NATIONAL_HEALTH_SERVICE_NUMBER: {1, 0.86},
	detect.PHONE:                             {0.92, 0.96},
	detect.SWIFT_CODE:                        {0.94, 0.89},
	detect.CA_SOCIAL_INSURANCE_NUMBER:        {1, 0.93},
	detect.UK_NATIONAL_INSURANCE_NUMBER:      {1, 0.93},
	detect.AWS_SECRET_KEY:                    {1, 0.93},
}

func assertAccuracy(t *testing.T, doc corpus.Doc, gaps map[detect.Entity]floor) {
	t.Helper()
	found := detect.Find(allTypes, doc.Data)
	for typ, c := range corpus.Score(doc, found) {
		f, ok := gaps[typ]
		if !ok {
			f = goal(typ)
		}
		assert.GreaterOrEqual(t, c.Precision(), f.precision, "%s precision (%+v)", typ, *c)
		assert.GreaterOrEqual(t, c.Recall(), f.recall, "%s recall (%+v)", typ, *c)
	}
	if t.Failed() {
		for _, m := range corpus.Misses(doc, found, 5) {
			t.Log(m)
		}
	}
}

// The accuracy goals hold on the generated corpus, and on the hand-written
// held-out set but for the gaps above (go run
// ./transforms/redact/cmd/pii-accuracy [-heldout] prints the tables).
func TestAccuracyGoals(t *testing.T) {
	t.Run("generated", func(t *testing.T) { assertAccuracy(t, corpus.New(3).Generate(2<<20), nil) })
	t.Run("held-out", func(t *testing.T) {
		doc, err := corpus.HeldOut()
		require.NoError(t, err)
		assertAccuracy(t, doc, heldOutGaps)
	})
}
