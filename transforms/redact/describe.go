package redact

import (
	"strconv"

	"github.com/olkit/olkit/transforms"
)

// The descriptions `olkit transforms -v` prints and the README lists; their
// option names are checked against Options' JSON fields by a test.
func init() {
	transforms.Describe("redact", transforms.Description{
		Summary: "masks the PII found in UTF-8 text, streamed; takes the options of AWS's Comprehend redaction function",
		Options: sharedOptions(false),
	})
	transforms.Describe("pii-access-control", transforms.Description{
		Summary: "answers 403 AccessDenied when the text holds PII, else hands the object on unchanged; takes the options of AWS's Comprehend access-control function",
		Options: append(sharedOptions(true), transforms.Option{
			Name: "max_spool_bytes", Type: "integer (bytes)", Default: strconv.Itoa(DefaultMaxSpoolBytes),
			Doc: "the largest object held in a temporary file while deciding; beyond, 400 EntityTooLarge (olkit's own option)"}),
	})
}

// sharedOptions are the options both transforms accept; for access control
// the mask options are accepted, so one AWS payload serves either, but
// have no effect.
func sharedOptions(access bool) []transforms.Option {
	mask := func(doc string) string {
		if access {
			return "accepted and ignored, so a redaction payload serves as it is"
		}
		return doc
	}
	return []transforms.Option{
		{Name: "pii_entity_types", Type: "list of strings", Default: `["ALL"]`,
			Doc: "the Comprehend PII entity types of interest (SSN, EMAIL, CREDIT_DEBIT_NUMBER, ...) or ALL; " +
				"a comma-separated string is accepted too. Types that need language understanding (NAME, ADDRESS, ...) " +
				"are found only with a Comprehend detector"},
		{Name: "mask_mode", Type: "string", Default: strconv.Quote(Mask),
			Doc: mask(Mask + " replaces each character of an entity with mask_character; " +
				ReplaceWithPIIEntityType + " replaces the entity with its type in brackets, e.g. [SSN]")},
		{Name: "mask_character", Type: "string", Default: strconv.Quote(DefaultMaskCharacter),
			Doc: mask("the one visible character MASK writes")},
		{Name: "confidence_threshold", Type: "number", Default: strconv.FormatFloat(DefaultConfidenceThreshold, 'g', -1, 64),
			Doc: "entities found with less confidence are ignored; 0.5 to 1.0 (a numeric string is accepted too)"},
		{Name: "language_code", Type: "string", Default: `"en"`,
			Doc: "the text's language; only en is supported"},
		{Name: "unsupported_file_handling", Type: "string", Default: strconv.Quote(Fail),
			Doc: Fail + ": data that is not UTF-8 text (or has a Content-Encoding) is refused with 400 UnexpectedContent; " +
				Pass + ": it is handed on unchanged"},
		{Name: "detector", Type: "string", Default: strconv.Quote(Offline),
			Doc: Offline + ": detection never leaves the process; " + Comprehend + ": Amazon Comprehend also looks for " +
				"the requested types the offline detector cannot find; " + ComprehendAll + ": Comprehend alone, as AWS's " +
				"functions do (the role then needs comprehend:ContainsPiiEntities and comprehend:DetectPiiEntities)"},
	}
}
