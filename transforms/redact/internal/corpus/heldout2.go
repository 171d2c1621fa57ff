package corpus

import _ "embed"

// heldout2.txt is a second held-out set in the same format as
// heldout.txt, written later by another author who had not read the
// detector, its corpora or its tests, after an independent corpus found
// formats the first set lacked (national phone numbers, every MAC form,
// identifiers in lower case, ordinal dates, secret keys without a label,
// numbers longer than any one type).
//
//go:embed heldout2.txt
var heldout2 string

// HeldOut2 returns the second hand-written held-out document and its
// labels.
func HeldOut2() (Doc, error) { return ParseMarked(heldout2) }
