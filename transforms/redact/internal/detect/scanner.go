package detect

import (
	"math"
	"math/bits"
	"strings"
)

// The scanner makes one pass over the bytes. A table sorts every byte into
// "nothing can start here" (lower-case letters, spaces, most punctuation),
// which is skipped in a tight loop, and a few anchors: a digit or a capital
// at the start of a word, '@', ':', '=', '(', '+' and '.', and the line
// break, where the table state (columns.go) is kept. (A digit inside a
// word is one only where a MAC address or an identifier typed in lower
// case may hold it: de-b2-..., cd56.7e8a..., zb630500b.) Only at an
// anchor do the matchers run, and each reads a bounded window around it:
// at most Lookback bytes before and Lookahead bytes from the anchor. That
// bound is what makes streaming exact: a caller that keeps Lookback bytes
// of history and waits for Lookahead bytes of future (or the end of the
// stream) gets the same matches, whatever the chunking, as a scan of the
// whole input at once.

const (
	// Lookback is how many bytes before an anchor the scanner may read
	// (context words, the local part of an e-mail address, a URL scheme).
	Lookback = 128
	// Lookahead is how many bytes from an anchor the scanner may read.
	Lookahead = 4096
	// MaxBack is how far before Pos a match reported by a later Scan may
	// start: a match starts before its anchor (an e-mail address's local
	// part, a weekday before its date, a lower-case identifier whose
	// first digit was the anchor), never further.
	MaxBack = 64
	// maxURL is the longest URL matched in one piece; a longer one goes on
	// as continuation matches.
	maxURL = 4000
	// ctxWindow is how far before a match context words are looked for.
	ctxWindow = 48
)

// Match is one entity found: bytes [Start, End) of the scanned buffer.
type Match struct {
	Start, End int
	Type       Entity
	Score      float32
	// Cont marks the continuation of the previous match (a URL longer than
	// one match may be), which a replacement should not announce again.
	Cont bool
}

// Config selects what a Scanner reports.
type Config struct {
	Types     Set     // entity types to report
	Threshold float32 // lowest confidence reported
}

// Scanner finds entities in a stream scanned in consecutive buffers. The
// zero value reports nothing; use New.
type Scanner struct {
	types Set
	thr   float32
	pos   int  // next position to look at, in the current buffer
	last  int  // end of the last match, in the current buffer
	cont  bool // the last match was a URL cut at maxURL
	score float32
	g     groups // scratch for numeric
	// inWord: a digit inside a word may start a match (a type that may be
	// written in lower case is asked for).
	inWord bool
	// dates, topics, lowerKeys, swifts: whether dates, a type whose topic
	// words are noted, secret keys, SWIFT codes are asked for, so that the
	// work only they need is skipped otherwise.
	dates, topics, lowerKeys, swifts bool
	hdr                              header       // the header of the table being scanned, if any
	row                              span         // the table row being scanned, if any
	bounds                           [maxCols]int // where the row's fields end (delimited and SQL rows), so a cell far into a wide row still has its column
	nb                               int          // how many of bounds are set
	cells                            []Match      // matches in table cells, found by their column (columns.go), not yet reported
	cellAt                           int          // where the first of cells starts; noCell if there is none
	// keyStart is where a secret key that starts in lower case (no anchor
	// there) starts, and keyEnd where the scan goes on if it is none.
	keyStart, keyEnd int
	// seen is, per type, where the type was last named by its acronym or
	// found (topics.go); far before the buffer when never.
	seen [numEntities]int
}

// New returns a Scanner for cfg.
func New(cfg Config) *Scanner {
	t := cfg.Types & Detectable
	s := &Scanner{types: t, thr: cfg.Threshold,
		inWord:    t&SetOf(MAC_ADDRESS, UK_NATIONAL_INSURANCE_NUMBER, INTERNATIONAL_BANK_ACCOUNT_NUMBER, VEHICLE_IDENTIFICATION_NUMBER) != 0,
		dates:     t.Has(DATE_TIME),
		topics:    t&topicTypes != 0,
		lowerKeys: t.Has(AWS_SECRET_KEY),
		swifts:    t.Has(SWIFT_CODE)}
	s.Reset()
	return s
}

// Reset makes s ready for a new stream.
func (s *Scanner) Reset() {
	s.pos, s.last, s.cont, s.hdr.n, s.row, s.cells, s.cellAt = 0, 0, false, 0, span{}, s.cells[:0], noCell
	s.forgetTopics()
}

// Pos returns the position the next Scan starts from: every byte more
// than MaxBack before it has been decided.
func (s *Scanner) Pos() int { return s.pos }

// Last returns the end of the last match, relative to the current buffer.
func (s *Scanner) Last() int { return s.last }

// Shift tells s that the caller dropped the first n bytes of its buffer.
func (s *Scanner) Shift(n int) {
	s.pos -= n
	s.last -= n
	s.row.st -= n
	s.row.e -= n
	for k := range s.nb {
		s.bounds[k] -= n
	}
	for i := range s.cells {
		s.cells[i].Start -= n
		s.cells[i].End -= n
	}
	if s.cellAt != noCell {
		s.cellAt -= n
	}
	for i := range s.seen {
		s.seen[i] = max(s.seen[i]-n, never)
	}
}

// Find scans all of data at once and returns the matches.
func Find(cfg Config, data []byte) []Match {
	return New(cfg).Scan(data, true, nil)
}

// Scan looks for entities in buf from s.Pos(), appending matches to dst in
// order; they never overlap. Unless atEOF, it stops Lookahead bytes short of
// the end of buf, and the caller must call again with those bytes (and at
// least Lookback bytes before Pos()) at the front of a fuller buffer,
// calling Shift for what it dropped.
func (s *Scanner) Scan(buf []byte, atEOF bool, dst []Match) []Match {
	end := len(buf)
	if !atEOF {
		end -= Lookahead
	}
	p := s.pos
	if p == 0 && p < end {
		s.lineStart(buf[:min(len(buf), Lookahead)], 0) // the first line
	}
	p, dst = s.continueURL(buf, p, end, dst)
	var b best
	for p < end {
		// Skip what cannot start an entity: eight bytes a step while none
		// is a trigger, then straight to the first that is. A digit or a
		// capital inside a word (hashes, identifiers) starts nothing, and
		// the rest of its word is skipped with it.
		for p < end {
			if p+8 <= end {
				q := buf[p : p+8 : p+8]
				m := uint64(trig[q[0]]) | uint64(trig[q[1]])<<8 | uint64(trig[q[2]])<<16 | uint64(trig[q[3]])<<24 |
					uint64(trig[q[4]])<<32 | uint64(trig[q[5]])<<40 | uint64(trig[q[6]])<<48 | uint64(trig[q[7]])<<56
				if m == 0 {
					p += 8
					continue
				}
				p += bits.TrailingZeros64(m) >> 3
			} else if trig[buf[p]] == 0 {
				p++
				continue
			}
			// Two anchors that need no matcher most of the time: a line
			// break, which only tells the table state, and a '.' that
			// does not end "www".
			t := trig[buf[p]]
			if t == tNL {
				if s.hdr.n > 0 || p+1 < len(buf) && class[buf[p+1]]&cLineStart != 0 {
					s.lineStart(buf[:min(len(buf), p+Lookahead)], p+1)
				} else {
					s.row = span{}
				}
				p++
				continue
			}
			if p == 0 {
				break
			}
			prev := buf[p-1]
			if (t == tDigit && !digitStartOK(prev)) || (t == tUpper && isWord(prev)) {
				if t == tDigit && s.inWord && p >= 2 && (prev == '-' || isLower(prev) && (isLower(buf[p-2]) || buf[p-2] == '-' || p+3 < len(buf) && buf[p+3] == '.') || prev == '.' && isLower(buf[p-2])) && inWordStart(buf, p) {
					break
				}
				// The whole word, even past end: what follows it decides,
				// and a scan of the whole input would see it too.
				q := skipWordTo(buf, p+1, len(buf))
				if s.lowerKeys && q < len(buf) && (buf[q] == '/' || buf[q] == '+') && s.keyInWord(buf, p, q) {
					p = s.keyStart
					break
				}
				p = q
				continue
			}
			if t == tDot && (p < 3 || prev|0x20 != 'w') {
				p++
				continue
			}
			break
		}
		if p >= end {
			break
		}
		w := buf[:min(len(buf), p+Lookahead)]
		ctxLo := max(0, p-Lookback)
		blo := max(ctxLo, s.last)
		b.ok = false // what the last anchor found is spent
		next := p + 1
		switch trig[buf[p]] {
		case tNone:
			// Only keyInWord stops the skip at a byte that is no
			// anchor: a secret key that starts in lower case.
			s.secret(&b, w, p, ctxLo)
			next = s.keyEnd
		case tDigit:
			if p > 0 && !digitStartOK(buf[p-1]) {
				if st := macStart(w, p); st >= blo {
					s.hexColon(&b, w, st, ctxLo)
				} else if st := ciscoStart(w, p); st >= blo {
					s.hexColon(&b, w, st, ctxLo)
				} else if st := lowerToken(w, p); st >= blo && isLower(buf[p-1]) {
					s.lowerID(&b, w, st, ctxLo)
				}
				if !b.ok {
					next = skipWord(buf, p)
				}
				break
			}
			if isoDate(w, p) {
				// A log timestamp, 2024-01-15T... or 2024-01-15 ...: the
				// most common anchor by far, and one only a date can
				// match (numeric would offer nothing else at it).
				y, m, d := num4(w[p:]), num2(w[p+5:]), num2(w[p+8:])
				if s.types.Has(DATE_TIME) && validDate(y, m, d) {
					s.dateWithTime(&b, w, p, p+10, ctxLo)
				}
				if !b.ok {
					next = pastTimestamp(w, p)
					break
				}
			} else if !loneNumber(w, p) {
				s.numeric(&b, w, p, ctxLo)
			} else if s.hdr.n > 0 && s.hdr.dateCols != 0 {
				s.yymmddCell(&b, w, p, ctxLo) // (in a table with a date's column)
			}
			if !b.ok {
				next = skipWord(buf, p)
			}
		case tUpper:
			if p > 0 && isWord(buf[p-1]) {
				next = skipWord(buf, p)
				break
			}
			s.upper(&b, w, p, ctxLo)
			if !b.ok {
				next = skipWord(buf, p)
			}
		case tAt:
			s.email(&b, w, p, blo)
		case tColon:
			if s.swifts && p >= 3 && (w[p-1]|0x20 == 't' || w[p-1]|0x20 == 'c' || p >= 4 && quotedBIC(w, p)) {
				s.swiftAfterLabel(&b, w, p, ctxLo) // swift: qiqjiecjo9n, bic: hyqldew3, "bic":"ingbnl2a"
			}
			if !b.ok && !quietColon(w, p) {
				// (A SWIFT MT tag ends in a digit or a capital of hex.)
				if s.dates && p >= 3 && isDigit(w[p-2]) && (w[p-3] == ':' || p >= 4 && w[p-4] == ':') {
					s.mtDate(&b, w, p) // :32A:250729EUR
				}
				if !b.ok {
					s.colon(&b, w, p, ctxLo, blo)
				}
			}
		case tEq:
			if keyLength(w, skipSeps(w, p+1, 3)) {
				s.secretAfter(&b, w, p+1, 3, ctxLo)
			}
		case tParen:
			s.parenPhone(&b, w, p, ctxLo)
		case tPlus:
			s.e164(&b, w, p, ctxLo)
			if !b.ok && p > 0 && isB64(w[p-1]) && s.types.Has(AWS_SECRET_KEY) {
				s.keyAroundPlus(&b, w, p, ctxLo)
			}
		case tDot:
			s.www(&b, w, p, blo)
		}
		if !b.ok || b.m.End <= p {
			p = next
			continue
		}
		if s.cellAt < b.m.End {
			// Matches held for cells come first, and win over one that
			// overlaps them.
			if dst = s.flushCells(dst, b.m.End); b.m.Start < s.last {
				p = max(p+1, s.last)
				continue
			}
		}
		if b.m.Type == AWS_ACCESS_KEY {
			p, dst = s.accessKey(&b, w, blo, ctxLo, dst)
			continue
		}
		dst = append(dst, b.m)
		s.found(b.m)
		if (b.m.Type == INTERNATIONAL_BANK_ACCOUNT_NUMBER || b.m.Type == BANK_ROUTING) && s.swifts {
			s.bicAfter(w, b.m.End)
		}
		s.last, p = b.m.End, b.m.End
		s.cont = b.cont
		s.score = b.m.Score
		if s.cont {
			p, dst = s.continueURL(buf, p, end, dst)
		}
	}
	if s.cellAt < min(p, end) {
		dst = s.flushCells(dst, min(p, end)) // every match before Pos is reported
	}
	s.pos = max(p, s.pos)
	return dst
}

// holdCell keeps a match found ahead of the scan, where no anchor starts
// it (a table's cell at a row's start, a time after '-'), until the scan
// reaches it. Held matches are kept in order: one that starts inside or
// before the last one held is dropped.
func (s *Scanner) holdCell(m Match) {
	if n := len(s.cells); n > 0 && s.cells[n-1].End > m.Start {
		return
	}
	if len(s.cells) == 0 {
		s.cellAt = m.Start
	}
	s.cells = append(s.cells, m)
}

// flushCells appends the matches held for cells that start before
// before, unless a match before one covers part of it.
func (s *Scanner) flushCells(dst []Match, before int) []Match {
	k := 0
	for ; k < len(s.cells) && s.cells[k].Start < before; k++ {
		if m := s.cells[k]; m.Start >= s.last {
			dst = append(dst, m)
			s.found(m)
			s.last = m.End
		}
	}
	s.cells = append(s.cells[:0], s.cells[k:]...)
	s.cellAt = noCell
	if len(s.cells) > 0 {
		s.cellAt = s.cells[0].Start
	}
	return dst
}

// noCell is cellAt when no match is held.
const noCell = math.MaxInt

// keyInWord reports whether the word that holds p and ends at q, before
// a '/' or '+', starts a secret key (Scan asks only when secret keys are
// wanted): it starts a run of key bytes (no
// '/' or '+' before it: a path's segments do not), after the last match,
// that is 40 long. It is kept out of line, away from the skip loop.
//
//go:noinline
func (s *Scanner) keyInWord(buf []byte, p, q int) bool {
	st := p
	for st > 0 && p-st < 40 && isWord(buf[st-1]) {
		st--
	}
	if st > 0 && isB64(buf[st-1]) || !isLower(buf[st]) || st < s.last || !keyLength(buf, st) {
		return false
	}
	s.keyStart, s.keyEnd = st, q
	return true
}

// accessKey appends an access key id found, with the secret key next to
// it, if any: one that ends just before it and starts with a lower-case
// letter (no anchor stopped there), or one right after it (CSV, "key
// secret", "(key AKIA..., secret qsJG...)"). It returns where to go on.
func (s *Scanner) accessKey(b *best, w []byte, blo, lo int, dst []Match) (int, []Match) {
	var b2 best
	s.secretBefore(&b2, w, b.m.Start, blo, lo)
	if b2.ok {
		dst = append(dst, b2.m)
	}
	dst = append(dst, b.m)
	s.found(b.m)
	p := b.m.End
	s.last, s.cont, s.score = p, false, b.m.Score
	b2.ok = false
	s.secretNear(&b2, w, p, lo)
	if b2.ok {
		// Held, not reported at once: what lies between (a second access
		// key, as a rotation's CSV lists old and new) is still scanned.
		s.holdCell(b2.m)
	} else if s.dates && p+10 <= len(w) && w[p] == '/' && w[p+9] == '/' && digitsEnd(w, p+1) == p+9 &&
		yyyymmdd(w[p+1:]) {
		// A SigV4 credential's scope: AKIA.../20250216/eu-west-1/s3/aws4_request;
		// no anchor starts a date after '/'.
		s.holdCell(Match{Start: p + 1, End: p + 9, Type: DATE_TIME, Score: 0.8})
	}
	return p, dst
}

// continueURL goes on with a URL cut at maxURL that ended at p: its next
// piece is a match of its own, marked as a continuation.
func (s *Scanner) continueURL(buf []byte, p, end int, dst []Match) (int, []Match) {
	for p < end && s.cont && p == s.last {
		e, capped := urlEnd(buf[:min(len(buf), p+Lookahead)], p, p, false)
		s.cont = capped
		if e <= p {
			break
		}
		dst = append(dst, Match{Start: p, End: e, Type: URL, Score: s.score, Cont: true})
		s.last, p = e, e
	}
	return p, dst
}

// skipWordTo returns the end of the word bytes from p, no further than end.
func skipWordTo(buf []byte, p, end int) int {
	for p < end && class[buf[p]]&cWord != 0 {
		p++
	}
	return p
}

// best collects the candidates found at one anchor and keeps the most
// confident one of a reported type.
type best struct {
	m    Match
	ok   bool
	cont bool
}

func (s *Scanner) offer(b *best, start, end int, t Entity, score float32) bool {
	if !s.types.Has(t) || score < s.thr || end <= start {
		return false
	}
	if !b.ok || score > b.m.Score || (score == b.m.Score && end-start > b.m.End-b.m.Start) {
		b.m = Match{Start: start, End: end, Type: t, Score: score}
		b.ok, b.cont = true, false
	}
	return true
}

const (
	tNone = iota
	tDigit
	tUpper
	tAt
	tColon
	tEq
	tParen
	tPlus
	tDot
	tNL
)

const (
	cDigit = 1 << iota
	cUpper
	cLower
	cHex
	cB64   // A-Z a-z 0-9 + /
	cLocal // e-mail local part
	cURL   // URL character
	cWord  // A-Z a-z 0-9 _
	cSep   // between a label and its value: space tab " ' , ; : = | \
	cName  // in a column name: A-Z a-z 0-9 _ - . # / ( ) " ' and CR
	// cLineStart may start a header line: a letter, '"', a delimiter, a
	// byte order mark's first byte, the '#' of a commented header, or the
	// space of psql's.
	cLineStart
	// cNumTail may join a number to more after it, or make a short one
	// worth a look (loneNumber): letters, ':', '-', '.', ' ', '/', '*'
	// and 年's first byte.
	cNumTail
	// cNoDigitStart: a digit after it continues a word, a decimal, a
	// path, a range or a signed number rather than starting one
	// (digitStartOK).
	cNoDigitStart
)

var (
	trig  [256]uint8
	class [256]uint16
)

func init() {
	for c := 0; c < 256; c++ {
		b := byte(c)
		var k uint16
		switch {
		case b >= '0' && b <= '9':
			k = cDigit | cHex | cB64 | cLocal | cWord
			trig[c] = tDigit
		case b >= 'A' && b <= 'Z':
			k = cUpper | cB64 | cLocal | cWord
			if b <= 'F' {
				k |= cHex
			}
			trig[c] = tUpper
		case b >= 'a' && b <= 'z':
			k = cLower | cB64 | cLocal | cWord
			if b <= 'f' {
				k |= cHex
			}
		}
		switch b {
		case '+', '/':
			k |= cB64
		}
		switch b {
		case '.', '_', '%', '+', '-':
			k |= cLocal
		}
		if b == '_' {
			k |= cWord
		}
		if k&cWord != 0 || bytesContain(".-/+\\", b) {
			k |= cNoDigitStart
		}
		if bytesContain(" \t\"',;:=|\\", b) { // (a backslash escapes a quote in a JSON string)
			k |= cSep
		}
		if k&cWord != 0 || bytesContain("-.#/()\"'\r", b) {
			k |= cName
		}
		if k&(cUpper|cLower) != 0 || bytesContain("\",\t;| \xef#", b) {
			k |= cLineStart
		}
		if k&(cUpper|cLower) != 0 || bytesContain(":-. /*\xe5\xeb", b) {
			k |= cNumTail
		}
		// A ',' may stand in a URL, but in text, and in CSV above all,
		// it ends one far more often than it is part of one.
		if b > ' ' && b < 0x7f && !bytesContain(`"<>\^{}|,`+"`", b) {
			k |= cURL
		}
		class[c] = k
	}
	trig['@'] = tAt
	trig[':'] = tColon
	trig['='] = tEq
	trig['('] = tParen
	trig['+'] = tPlus
	trig['.'] = tDot
	trig['\n'] = tNL
}

// bytesContain reports whether b is one of the bytes of s.
func bytesContain(s string, b byte) bool { return strings.IndexByte(s, b) >= 0 }

func isWord(c byte) bool  { return class[c]&cWord != 0 }
func isAlpha(c byte) bool { return class[c]&(cUpper|cLower) != 0 }
func isUpper(c byte) bool { return class[c]&cUpper != 0 }
func isLower(c byte) bool { return class[c]&cLower != 0 }
func isHex(c byte) bool   { return class[c]&cHex != 0 }
func isB64(c byte) bool   { return class[c]&cB64 != 0 }

// toUpper upper-cases an ASCII letter.
func toUpper(c byte) byte {
	if isLower(c) {
		return c - ('a' - 'A')
	}
	return c
}

// lowerToken returns where the word holding the digit at p starts when it
// starts with lower-case letters that no anchor stopped at, and may be an
// identifier typed in lower case: two letters then digits (an IBAN, a
// National Insurance number: de89..., zb630500b), or 17 characters (a
// VIN: wvwzzz1jzxw000001). Otherwise -1.
func lowerToken(w []byte, p int) int {
	return lowerTokenAt(w, lowerStart(w, p), p)
}

// lowerStart returns where the lower-case letters before p start (at
// most 16 of them).
func lowerStart(w []byte, p int) int {
	st := p - 1
	for st > 0 && p-st < 17 && isLower(w[st-1]) {
		st--
	}
	return st
}

// lowerTokenAt is lowerToken for a word whose letters start at st.
func lowerTokenAt(w []byte, st, p int) int {
	if p-st < 2 || st > 0 && (isWord(w[st-1]) || w[st-1] == '.' || w[st-1] == '-' || w[st-1] == '/' || w[st-1] == ':') {
		return -1
	}
	if p-st == 2 {
		// An IBAN's country or an NI number's prefix (most pairs of hex
		// letters, which start hashes, are neither).
		a, b := toUpper(w[st]), toUpper(w[st+1])
		if ibanLen(a, b) > 0 || NINOPrefix(a, b) || a == 'Q' && b == 'Q' {
			return st
		}
	}
	if st+17 <= len(w) && isWord(w[st+16]) && wordEnd(w, st+17) {
		return st // vin checks that the 17 bytes between are its own
	}
	return -1
}

// inWordStart reports whether the digit at p, inside a word after a
// lower-case letter or '-', may be in a MAC address or an identifier that
// no anchor started (macStart, ciscoStart, lowerToken). It is kept out of
// line, so that the skip loop, which calls it rarely, stays small.
//
//go:noinline
func inWordStart(w []byte, p int) bool {
	if p < 2 {
		return false
	}
	if w[p-1] == '.' {
		return ciscoStart(w, p) >= 0 // acde.484b.3a9b
	}
	if w[p-1] == '-' || w[p-2] == '-' {
		// The digit's group and the one before it must be hex pairs
		// (a UUID's groups of four are turned away here).
		g := p - 1
		if w[p-1] == '-' {
			g = p
		}
		return g >= 3 && g+2 <= len(w) && isHex(w[g]) && isHex(w[g+1]) && (g+2 == len(w) || !isWord(w[g+2])) &&
			isHex(w[g-2]) && isHex(w[g-3]) && (g == 3 || !isWord(w[g-4])) && macStart(w, p) >= 0
	}
	// The letters before the digit, which is the first of its word: a
	// Cisco group's hex letters, or an identifier's.
	st := lowerStart(w, p)
	if p-st <= 3 && st+4 < len(w) && w[st+4] == '.' && ciscoStart(w, p) >= 0 {
		return true
	}
	return p-st >= 2 && lowerTokenAt(w, st, p) >= 0
}

// ciscoStart returns where a MAC address in Cisco's dotted form that
// starts with a lower-case hex letter (no anchor) starts, when the digit
// at p is in its first group (cd56.7e8a.809a), or starts the second after
// a first of letters alone (acde.484b.3a9b). Otherwise -1.
func ciscoStart(w []byte, p int) int {
	if p >= 5 && w[p-1] == '.' {
		if lowerHexStart(w, p-1, 4) {
			return p - 5
		}
		return -1
	}
	st := p
	for st > 0 && p-st < 3 && isHex(w[st-1]) {
		st--
	}
	if st+4 >= len(w) || w[st+4] != '.' || w[st] < 'a' || w[st] > 'f' || !lowerHexStart(w, st+4, 4) {
		return -1
	}
	return st
}

// macStart returns where a MAC address written with '-' that starts with
// a lower-case hex letter (no anchor) starts, when the digit at p may be
// in one (de-b2-c2-f7-32-91): after '-', or second in a group. Otherwise
// -1.
func macStart(w []byte, p int) int {
	g := p
	if w[p-1] != '-' {
		if p < 2 || w[p-2] != '-' || !isHex(w[p-1]) {
			return -1
		}
		g = p - 1
	}
	for k := 0; k < 5 && g >= 3 && w[g-1] == '-' && isHex(w[g-2]) && isHex(w[g-3]); k++ {
		g -= 3
	}
	if g >= p-1 || w[g] < 'a' || w[g] > 'f' || !lowerHexStart(w, g+2, 2) {
		return -1
	}
	return g
}

// digitStartOK: a number starts a token unless it continues a word, a
// decimal, a path, a range or a signed number.
func digitStartOK(prev byte) bool { return class[prev]&cNoDigitStart == 0 }

// skipWord returns the end of the run of word bytes at p (at least p+1).
func skipWord(buf []byte, p int) int {
	p++
	for p < len(buf) && isWord(buf[p]) {
		p++
	}
	return p
}

// wordEnd reports whether a token may end at e: the end of the window or a
// byte that is not part of a word.
func wordEnd(w []byte, e int) bool { return e >= len(w) || !isWord(w[e]) }

// isoDate reports whether w[p:] starts with yyyy-mm-dd followed by 'T' or
// a space: a shape at which numeric would try nothing but a date.
func isoDate(w []byte, p int) bool {
	if p+11 > len(w) {
		return false
	}
	q := w[p : p+11 : p+11]
	return q[4] == '-' && q[7] == '-' && (q[10] == 'T' || q[10] == ' ') &&
		isDigit(q[0]) && isDigit(q[1]) && isDigit(q[2]) && isDigit(q[3]) &&
		isDigit(q[5]) && isDigit(q[6]) && isDigit(q[8]) && isDigit(q[9])
}

// pastTimestamp returns where to go on after an ISO date at p that is not
// reported (DATE_TIME not asked for): past its time too when it has one
// after a 'T', since no entity can start inside yyyy-mm-ddThh:mm:ss. A
// digit after '-' or in a word starts nothing, and the ':' of a time has
// neither an IPv6 address nor a key after it, unless the time runs on
// into one (a ':', '.', '-', or a byte a key may hold after it). After a space, what follows may
// be anything, so only the date is passed.
func pastTimestamp(w []byte, p int) int {
	if w[p+10] == 'T' {
		if e := timeAt(w, p+11); e > 0 && (e == len(w) || !isB64(w[e]) && w[e] != ':' && w[e] != '.' && w[e] != '-') {
			return e
		}
	}
	return p + 10
}

// yyyymmdd reports whether the digits d starts with are a date, yyyymmdd.
func yyyymmdd(d []byte) bool { return validDate(num4(d), num2(d[4:]), num2(d[6:])) }

// yymmdd reports whether the digits d starts with are a date of this
// century written yymmdd, as SWIFT, X12 and NACHA write one.
func yymmdd(d []byte) bool { return validDate(2000+num2(d), num2(d[2:]), num2(d[4:])) }

func num2(d []byte) int { return int(d[0]-'0')*10 + int(d[1]-'0') }

func num4(d []byte) int {
	return int(d[0]-'0')*1000 + int(d[1]-'0')*100 + int(d[2]-'0')*10 + int(d[3]-'0')
}
