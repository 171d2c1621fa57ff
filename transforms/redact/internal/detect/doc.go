// Package detect finds personal data in text offline: the 19 entity types
// of entity.go (e-mail addresses, phone numbers in international and
// national formats, payment cards, IBANs, national identifiers and the
// like), each checked by its checksum or numbering plan where it has one,
// with the words before a value, its table column (CSV, TSV, ';', '|' and
// fixed-width tables under a rule) and the topic of the text around it
// (topics.go: the types named or found in the last kilobyte) as context.
//
// A Scanner reads its input in chunks of any size and finds the same
// matches as a scan of the whole input at once, because every match is
// decided within a bounded window around its anchor (Lookback bytes
// before, Lookahead after), and what the scanner carries from one anchor
// to the next (the table's header, the topics) it takes in the order it
// reads the text, whatever the chunks: the redact and pii-access-control
// transforms stream through it in bounded memory. A match may start up
// to MaxBack bytes before the position a previous Scan reached. Find
// scans a whole buffer.
//
// It is internal to the redact transforms: users choose entity types by
// name in the transforms' options, and the accuracy of the detector is
// measured by the pii-accuracy command (see docs/benchmarks.md).
package detect
