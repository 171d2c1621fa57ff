package detect

import (
	"bytes"
	"strings"
)

const maxGroups = 6

// groups is a number as written: runs of digits joined by single
// separators (space, '-', '.', '/', ':').
type groups struct {
	n    int
	s, e [maxGroups]int
	sep  [maxGroups]byte // sep[i] joins group i and i+1
	// before is the separator that joins the number to a group of digits
	// before it (the rest of a longer run: "4539 1488 0343 6468" read
	// from its second group), or 0.
	before byte
}

func parseGroups(g *groups, w []byte, p int) {
	g.n = 0
	i := p
	for g.n < maxGroups {
		st := i
		for i < len(w) && isDigit(w[i]) {
			i++
			if i-st > 19 {
				g.n = 0
				return
			}
		}
		g.s[g.n], g.e[g.n] = st, i
		g.n++
		if i+1 < len(w) && isGroupSep(w[i]) && isDigit(w[i+1]) && g.n < maxGroups {
			g.sep[g.n-1] = w[i]
			i++
			continue
		}
		break
	}
}

func isGroupSep(c byte) bool { return c == ' ' || c == '-' || c == '.' || c == '/' || c == ':' }

func (g *groups) len(i int) int { return g.e[i] - g.s[i] }

// shape reports whether the first len(lens) groups have these lengths and
// are joined by one same separator from seps (what follows is not checked).
func (g *groups) shape(w []byte, seps string, lens ...int) bool {
	if g.n < len(lens) {
		return false
	}
	for i, l := range lens {
		if g.len(i) != l {
			return false
		}
	}
	if len(lens) == 1 {
		return true
	}
	s := g.sep[0]
	if !bytesContain(seps, s) {
		return false
	}
	for i := 1; i < len(lens)-1; i++ {
		if g.sep[i] != s {
			return false
		}
	}
	return true
}

// token reports whether the first len(lens) groups have this shape and end
// cleanly there.
// A token of several groups must be the whole run: one that another
// group joins with its own separator, before or after, is a slice of a
// longer number (a 16-digit number read as an Aadhaar number and four
// digits more, a card number in a 22-digit tracking number), and a
// partial redaction would leak the rest and look done.
func (g *groups) token(w []byte, seps string, lens ...int) bool {
	return g.shape(w, seps, lens...) && g.endsAt(w, len(lens), "") && (len(lens) == 1 || g.sep[0] != g.before)
}

// spaceThenDash reports whether the number is 3-3-4 digits written as
// Quebec and some forms write a phone number, 418 555-0133.
func (g *groups) spaceThenDash(w []byte) bool {
	return g.sep[0] == ' ' && g.sep[1] == '-' && g.len(0) == 3 && g.len(1) == 3 && g.len(2) == 4 && g.before != ' ' &&
		(g.n == 3 && wordEnd(w, g.e[2]) || g.n > 3 && g.sep[2] == ' ')
}

// endsAt reports whether a token of the first k groups ends cleanly: the
// next group is only joined by a space (or one of also) that is not the
// token's own separator, or nothing word-like follows.
func (g *groups) endsAt(w []byte, k int, also string) bool {
	if k < g.n {
		s := g.sep[k-1]
		if k >= 2 && s == g.sep[0] && !(k+1 < g.n && g.sep[k] != s) {
			// The run goes on: a slice of it is no token. (A group that
			// another separator joins on is another token: the expiry
			// date in "4111 1111 1111 1111 12/28".)
			return false
		}
		return s == ' ' || bytesContain(also, s)
	}
	return wordEnd(w, g.e[k-1])
}

// runBefore returns the group separator that joins the number at p to a
// group before it (digits, or letters and digits such as an IBAN's first
// group, be29 in one typed in lower case), or 0 when nothing does.
func runBefore(w []byte, p, lo int) byte {
	if p-2 < lo || !isGroupSep(w[p-1]) {
		return 0
	}
	digit := false
	i := p - 2
	for ; i >= lo && p-2-i < 8 && (isDigit(w[i]) || isAlpha(w[i])); i-- {
		digit = digit || isDigit(w[i])
	}
	if !digit || i == p-2 || (i >= lo && isWord(w[i])) {
		return 0
	}
	if i > lo && isGroupSep(w[i]) && w[i] != w[p-1] && isDigit(w[i-1]) {
		return 0 // the end of a date or a time, then another number
	}
	return w[p-1]
}

// digits copies the digits of the first k groups into d.
func (g *groups) digits(w []byte, k int, d *[24]byte) []byte {
	n := 0
	for i := 0; i < k; i++ {
		for _, c := range w[g.s[i]:g.e[i]] {
			if n == len(d) {
				return d[:n]
			}
			d[n] = c
			n++
		}
	}
	return d[:n]
}

func (s *Scanner) ctxScore(w []byte, lo, start int, base, raised float32, words *wordSet) float32 {
	if d := s.ctxDistance(w, lo, start, ctxWindow, words); d >= 0 {
		return raised - float32(d)/10000 // the nearest label wins a tie
	}
	return base
}

// loneNumber reports whether the number at p can be nothing numeric would
// find, which counts, codes and amounts in logs mostly are; saying so
// early spares numeric. Either fewer than nine digits (too short alone for
// any entity) followed by nothing that would join them to more (a letter,
// ':', '-', a separator and another digit, or the space or '/' after a
// day of the month); or a decimal, two runs of digits joined by '.' and nothing more
// (every dotted shape has three groups or more).
func loneNumber(w []byte, p int) bool {
	i := digitsEnd(w, p+1)
	if i == len(w) {
		return i-p < 9
	}
	if c := w[i]; class[c]&cNumTail == 0 {
		// Most numbers end at a ',', a quote or a line's end: only their
		// length decides.
		n := i - p
		return n < 9 && !(n == 8 && (w[p] == '2' && w[p+1] == '0' || w[p] == '1' && w[p+1] == '9'))
	}
	switch c := w[i]; {
	case c == ':' || c == '-' || isAlpha(c) || (c == 0xe5 || c == 0xeb) && i-p == 4 || c == '*' && i-p == 6: // 0xe5, 0xeb: 年, 년, a year in Chinese, Japanese or Korean; '*': X12's yymmdd
		return false
	case i-p == 8 && (w[p] == '2' && w[p+1] == '0' || w[p] == '1' && w[p+1] == '9'):
		return false // perhaps a date, 20261230, under a label
	case c == '.':
		switch {
		case i-p == 4 && i+5 < len(w) && w[i+5] == '.':
			return false // a Cisco MAC's first group: 3032.8c5f.c273
		case p > 0 && w[p-1] == '[':
			return false // a DICOM time: TM [141502.118]
		case joined(w, i):
			return !joined(w, digitsEnd(w, i+1))
		case i-p <= 2:
			return !(i+2 < len(w) && w[i+1] == ' ' && isUpper(w[i+2])) // a German date: 3. Juni 2026
		}
		return i-p < 9
	case i-p >= 9 || (c == ' ' || c == '/') && i-p <= 2 || joined(w, i):
		return false
	case c == ' ' && i-p == 6 && p >= 3 && w[p-1] == ' ' && isLower(w[p-2]):
		return false // perhaps a NI number typed in lower case: pj 104417 a
	case c == ' ' && i-p == 6 && (p == 0 || w[p-1] == '\n'):
		return false // perhaps MySQL's date: 240522  4:39:30
	}
	return true
}

// digitsMax is digitsEnd, reading at most n digits: a field's day, hour
// or year, which a longer run is no longer one of.
func digitsMax(w []byte, i, n int) int { return digitsEnd(w[:min(len(w), i+n)], i) }

// digitsEnd returns the end of the run of digits from i.
func digitsEnd(w []byte, i int) int {
	for i < len(w) && isDigit(w[i]) {
		i++
	}
	return i
}

// joined reports whether a group separator at i joins a digit after it,
// as parseGroups reads numbers.
func joined(w []byte, i int) bool {
	return i+1 < len(w) && isGroupSep(w[i]) && isDigit(w[i+1])
}

// numeric tries the entities that start with a digit.
func (s *Scanner) numeric(b *best, w []byte, p, lo int) {
	if c := w[p]; (c == '1' || c == '5' || c == '6') && (p == 0 || w[p-1] == '\n') && p+94 <= len(w) && (p+94 == len(w) || w[p+94] == '\n' || w[p+94] == '\r') && s.nacha(b, w, p) {
		return
	}
	g := &s.g
	parseGroups(g, w, p)
	if g.n == 0 {
		return
	}
	g.before = 0
	if p-2 >= lo && isGroupSep(w[p-1]) && (isDigit(w[p-2]) || isUpper(w[p-2])) {
		g.before = runBefore(w, p, lo)
	}
	e0 := g.e[0]
	dates := s.dates
	if e0-p == 4 && e0 < len(w) && (w[e0] == 0xe5 || w[e0] == 0xeb) && g.n == 1 && dates && (wordAt(w, e0, "年") || wordAt(w, e0, "년")) {
		s.cjkDate(b, w, p, lo)
		return
	}
	if e0-p == 6 && dates && (p == 0 || w[p-1] == '\n') && e0 < len(w) && w[e0] == ' ' && yymmdd(w[p:]) {
		// MySQL's logs: "240522  4:39:30", "240309 22:20:58".
		i := e0 + 1
		if i < len(w) && w[i] == ' ' {
			i++
		}
		if t := paddedTimeAt(w, i); t-i >= 7 {
			s.offer(b, p, t, DATE_TIME, 0.85)
			return
		}
	}
	if e0-p == 6 && g.n == 1 && dates && p > 0 && w[p-1] == '*' && e0 < len(w) && w[e0] == '*' &&
		yymmdd(w[p:]) && hhmmField(w, e0+1) > 0 {
		// X12's interchange header: ISA*...*230714*2021*, a date and a time.
		s.offer(b, p, e0, DATE_TIME, 0.8)
		s.x12Time(w, e0)
		return
	}
	if p >= 4 && w[p-1] == '[' && w[p-2] == ' ' && (w[p-4] == 'D' || w[p-4] == 'T') && dates {
		s.dicom(b, w, p, e0) // DA [20250728], TM [141502.118], DT [...]
		if b.ok {
			return
		}
	}
	if e0-p == 8 && dates && e0+9 <= len(w) && w[e0] == '-' && isDigit(w[e0+1]) && w[e0+3] == ':' {
		// FIX's UTCTimestamp: 20250729-13:30:00.002.
		if t := timeAt(w, e0+1); t-e0 >= 9 && yyyymmdd(w[p:]) {
			s.offer(b, p, t, DATE_TIME, 0.85)
			return
		}
	}
	if n := e0 - p; uint(n-8) <= 6 && (g.n == 1 || n >= 12 && g.n == 2 && g.sep[0] == '-' && g.len(1) == 4 || g.sep[0] == ':' && p > 0 && edifactDate(w, p, e0)) && dates {
		// Digits run together: ISO 8601's basic format (20250729T101500Z,
		// as iCalendar writes it), or a field of a delimited record (HL7's
		// |19730517| and |20251015234634+0100|, X12's *D8*20250729~).
		if e0 < len(w) && (w[e0] == 'T' || w[e0] == 'Z') || n == 14 || p > 0 && stampField(w, p, e0, n) {
			if e := basicStamp(w, p, e0); e > 0 {
				s.offer(b, p, e, DATE_TIME, 0.85)
				if e0 < len(w) && (w[e0] == 'T' || w[e0] == 'Z') {
					return
				}
				if n == 8 {
					s.x12Time(w, e)
				}
			}
		}
		if n == 8 && wordEnd(w, e0) {
			// yyyymmdd is as often an order number: a date only under a
			// label, as a report's EFFECTIVE or DATE column.
			if yyyymmdd(w[p:]) {
				s.underLabel(b, w, lo, p, e0, DATE_TIME, 0.85, ctxDate)
			}
			return
		}
	}
	if e0 < len(w) {
		if c := w[e0]; isHex(c) && !isDigit(c) && p+12 <= len(w) {
			s.bareMAC(b, w, p, lo) // 9CB6D0B376DF under a telematics_mac column, after client_mac=
			if b.ok {
				return
			}
		}
		if c := w[e0]; c == ':' || c == '-' || (isHex(c) && !isDigit(c)) || (c == '.' && e0-p == 4 && p+9 < len(w) && w[p+9] == '.') {
			s.hexColon(b, w, p, lo)
			if b.ok {
				return
			}
		}
		if isAlpha(w[e0]) {
			if e0-p == 2 && p > 0 && w[p-1] == '?' && w[p] == '3' {
				s.mt940Sub(b, w, p, e0, lo)
				if b.ok {
					return
				}
			}
			// Letters follow: a VIN or a secret key, or an ordinal date
			// ("16th of April 1955").
			if p+17 <= len(w) && wordEnd(w, p+17) {
				s.vin(b, w, p, lo)
			}
			if keyLength(w, p) {
				s.secret(b, w, p, lo)
			}
			if g.len(0) <= 2 && ordinal(w, e0) && dates {
				s.dayMonthYear(b, w, p, lo)
				s.monthBefore(b, w, p, lo)
			}
			if g.len(0) <= 2 && dates && isUpper(w[e0]) {
				s.compactDate(b, w, p, e0, lo)
			}
			if g.len(0) <= 2 && dates && (w[e0]|0x20 == 'a' || w[e0]|0x20 == 'p') {
				if h := num(w[p:e0]); h >= 1 && h <= 12 {
					if n := ampmAt(w, e0); n > 0 && p > 0 && w[p-1] != '.' && w[p-1] != ',' {
						if s.offer(b, p, e0+n, DATE_TIME, 0.6) { // an hour: 9am, 6pm
							s.hourRange(w, e0+n) // 9am-5pm
						}
					}
				}
			}
			if g.len(0) == 6 && dates && e0+4 <= len(w) && isDigit(w[e0+3]) && currency(w[e0:e0+3]) &&
				yymmdd(w[p:]) {
				s.offer(b, p, e0, DATE_TIME, 0.8) // SWIFT's value date, currency and amount: 241016USD12194,4
			}
			if g.len(0) <= 2 && w[e0] == 'h' && dates {
				if t := frenchClock(w, p); t > 0 && t-p >= 4 {
					s.offer(b, p, t, DATE_TIME, 0.7) // French: 9h00, 18 h 30
				}
			}
			return
		}
		if (w[e0] == ' ' || w[e0] == '/' || w[e0] == '-' || w[e0] == '.' && e0+1 < len(w) && w[e0+1] == ' ') && g.len(0) <= 2 && dates {
			s.dayMonthYear(b, w, p, lo)
			if h := num(w[p:e0]); !b.ok && w[e0] == ' ' && h >= 1 && h <= 12 && ampmAt(w, e0+1) > 0 {
				if e, _ := clockTail(w, e0); p == 0 || w[p-1] != '.' && w[p-1] != ',' {
					s.offer(b, p, e, DATE_TIME, 0.6) // an hour: 9 AM, 11 AM Eastern
				}
			}
			if wordAt(w, e0, " / ") {
				s.spacedDate(b, w, p, e0) // as OCR reads a form: 07 / 22 / 1988
			}
		}
	}
	var dbuf [24]byte
	p0 := p
	// Each shape below is guarded by its group count and first group's
	// length, so a number tries only the shapes it can have.
	l0 := g.len(0)
	switch {
	case g.n >= 4 && g.sep[0] == '.' && g.sep[1] == '.' && g.sep[2] == '.':
		s.ipv4(b, w, p, lo, g)
	case !dates:
	case g.n >= 3 && l0 == 4 && (g.shape(w, "-/.", 4, 2, 2) || g.shape(w, "-/.", 4, 1, 2) || g.shape(w, "-/.", 4, 2, 1) || g.shape(w, "-/.", 4, 1, 1)):
		y, m, d := num(w[g.s[0]:g.e[0]]), num(w[g.s[1]:g.e[1]]), num(w[g.s[2]:g.e[2]])
		if validDate(y, m, d) && !(g.sep[0] == '.' && calVer(w, g)) {
			s.dateWithTime(b, w, p, g.e[2], lo)
		}
	case g.n >= 3 && g.len(2) == 4 && g.len(0) <= 2 && g.len(1) <= 2 && g.shape(w, "/-. ", g.len(0), g.len(1), 4):
		a, c, y := num(w[g.s[0]:g.e[0]]), num(w[g.s[1]:g.e[1]]), num(w[g.s[2]:g.e[2]])
		// Spaced (08 15 1989, as forms print it), only under a label.
		if (validDate(y, a, c) || validDate(y, c, a)) && (g.sep[0] != ' ' || s.hasContext(w, lo, p, ctxDate)) {
			s.dateWithTime(b, w, p, g.e[2], lo)
		}
	case g.n >= 4 && l0 <= 2 && g.len(1) <= 2 && g.sep[2] == ' ' && g.sep[0] == g.sep[1] && g.shape(w, "./", l0, g.len(1), 2):
		// dd.mm.yy or m/d/yy, only with a time after it: alone, the
		// shape is as often a version or a ratio.
		a, c, y := num(w[g.s[0]:g.e[0]]), num(w[g.s[1]:g.e[1]]), 2000+num(w[g.s[2]:g.e[2]])
		if t := paddedTimeAt(w, g.e[2]+1); t > 0 && (validDate(y, a, c) || validDate(y, c, a)) {
			if t, _ = clockTail(w, t); wordEnd(w, t) {
				st := p
				if p > 3 && w[p-1] == ' ' {
					st = s.weekdayBefore(w, p, lo) // Wed 18/6/25 2:30pm
				}
				s.offer(b, st, t, DATE_TIME, 0.85)
			}
		}
	case g.n >= 4 && l0 <= 2 && g.sep[0] == '/' && g.len(1) <= 2 && g.sep[1] == ' ' && g.sep[2] == ':':
		// A day and month with a time and no year, as logs and
		// registers write them: 16/06 10:12, 7/1 06:10.
		a, c := num(w[g.s[0]:g.e[0]]), num(w[g.s[1]:g.e[1]])
		if t := paddedTimeAt(w, g.s[2]); t > 0 && (validDate(2000, a, c) || validDate(2000, c, a)) {
			if t, _ = clockTail(w, t); wordEnd(w, t) {
				s.offer(b, p, t, DATE_TIME, 0.8)
			}
		}
	case g.n == 3 && l0 == 2 && g.shape(w, "./", 2, 2, 2) && g.e[2]+2 < len(w) && w[g.e[2]] == ',' && w[g.e[2]+1] == ' ':
		// The same with ", " and a time, as WhatsApp exports a chat:
		// "02/06/26, 8:14 pm".
		a, c, y := num(w[g.s[0]:g.e[0]]), num(w[g.s[1]:g.e[1]]), 2000+num(w[g.s[2]:g.e[2]])
		if t := clockAt(w, g.e[2]+2); t > 0 && wordEnd(w, t) && (validDate(y, a, c) || validDate(y, c, a)) {
			s.offer(b, p, t, DATE_TIME, 0.85)
		}
	case g.n == 3 && l0 <= 2 && g.len(1) <= 2 && g.len(2) == 2 && (g.shape(w, "./- ", l0, g.len(1), 2) && g.sep[0] == g.sep[1]) && wordEnd(w, g.e[2]):
		// dd/mm/yy or m/d/yy alone, as a statement's Date column has it:
		// a date only under a label or as a table's cell, for the shape
		// is as often a version or a ratio.
		a, c, y := num(w[g.s[0]:g.e[0]]), num(w[g.s[1]:g.e[1]]), 2000+num(w[g.s[2]:g.e[2]])
		if !validDate(y, a, c) && !validDate(y, c, a) {
			break
		}
		if g.sep[0] == '.' && versionKey(w, lo, p) {
			break // NODE_VERSION=8.22.15
		}
		if g.sep[0] == '/' && s.wholeCell(w, p, g.e[2]) {
			s.offer(b, p, g.e[2], DATE_TIME, 0.8) // (dotted, a cell is as often a version: 15.12.49)
		} else {
			s.underLabel(b, w, lo, p, g.e[2], DATE_TIME, 0.8, ctxDate)
		}
	case g.n == 2 && l0 == 2 && g.len(1) == 2 && g.sep[0] == '/' && wordEnd(w, g.e[1]):
		// mm/dd or dd/mm with no year, as a card statement's Trans and
		// Post columns print it: a date only as a table's cell (alone,
		// as often a ratio, a score or a page).
		a, c := num2(w[p:]), num2(w[g.s[1]:])
		if (validDate(2000, a, c) || validDate(2000, c, a)) && s.cell(w, lo, p, g.e[1]) && !s.namedBy(w, lo, p, ctxExpiry) {
			s.offer(b, p, g.e[1], DATE_TIME, 0.7) // (a card's expiry is no date: Comprehend's CREDIT_DEBIT_EXPIRY)
		}
	case g.n >= 2 && g.sep[0] == ':' && g.len(0) <= 2 && g.len(1) == 2:
		s.timeOnly(b, w, p, lo)
	case g.n >= 4 && l0 == 2 && g.sep[0] == '-' && g.len(1) == 2 && g.sep[1] == ' ' && (p == 0 || w[p-1] == '\n'):
		// Android's logcat: 07-26 11:10:58.221, a month and day at a
		// line's start, then a time with seconds.
		if t := timeAt(w, g.s[2]); t-g.s[2] >= 8 && validDate(2000, num(w[p:p+2]), num(w[g.s[1]:g.e[1]])) {
			s.offer(b, p, t, DATE_TIME, 0.85)
		}
	}
	// SSN and ITIN: 123-45-6789.
	if g.n >= 3 && l0 == 3 && g.token(w, "- ", 3, 2, 4) {
		d := g.digits(w, 3, &dbuf)
		e := g.e[2]
		if ITIN(d) {
			s.offer(b, p0, e, US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER, s.ctxScore(w, lo, p0, 0.85, 0.95, ctxITIN))
		} else if ValidSSN(d) {
			base := float32(0.85)
			if g.sep[0] == ' ' {
				base = 0.6
			}
			s.offer(b, p0, e, SSN, s.ctxScore(w, lo, p0, base, 0.95, ctxSSN))
		} else if exampleSSN(d) {
			s.labelled(b, w, lo, p0, e, SSN, ctxSSN)
		}
	}
	// North American phone numbers, NHS numbers: 555-123-4567, 943 476 5919.
	if g.n >= 3 && l0 == 3 && (g.token(w, "-. ", 3, 3, 4) || g.spaceThenDash(w)) {
		d := g.digits(w, 3, &dbuf)
		e := g.e[2]
		// Where NHS numbers are the topic, a number of their shape is one
		// (or a mistyped one) rather than a North American phone number,
		// unless a label says phone.
		// (555 is the exchange of North America's fictional numbers.)
		nhsTopic := g.sep[0] != '.' && string(d[3:6]) != "555" && s.topic(UK_NATIONAL_HEALTH_SERVICE_NUMBER, p0)
		if nanp(d) {
			score := s.ctxScore(w, lo, p0, 0.8, 0.95, ctxPhone)
			if score <= 0.8 && !NHS(d) && s.hasContext(w, lo, p0, ctxNHS) {
				score = 0.35 // "nhs_number  452 994 8726": a mistyped NHS number, no phone
			}
			if nhsTopic && p0-s.seen[UK_NATIONAL_HEALTH_SERVICE_NUMBER] <= 256 && (score <= 0.8 || NHS(d) && !s.namedBy(w, lo, p0, ctxPhone)) {
				// NHS numbers were named or found a few lines up, and no
				// label right before it says phone (a "Contact" column
				// further along a header does not): an NHS number, or a
				// mistyped one, not a phone.
				score = 0.45
			}
			s.offer(b, p0, e, PHONE, score)
		} else if exampleNANP(d) {
			s.labelled(b, w, lo, p0, e, PHONE, ctxPhone)
		}
		if g.sep[0] != '.' && NHS(d) {
			score := s.ctxScore(w, lo, p0, 0.5, 0.95, ctxNHS)
			if nhsTopic && score < 0.9 {
				score = 0.9
			}
			s.offer(b, p0, e, UK_NATIONAL_HEALTH_SERVICE_NUMBER, score)
		}
	}
	if g.n >= 4 && l0 == 1 && w[p] == '1' && g.token(w, "-. ", 1, 3, 3, 4) {
		d := g.digits(w, 4, &dbuf)
		if nanp(d[1:]) {
			s.offer(b, p0, g.e[3], PHONE, s.ctxScore(w, lo, p0, 0.8, 0.95, ctxPhone))
		} else if exampleNANP(d[1:]) {
			s.labelled(b, w, lo, p0, g.e[3], PHONE, ctxPhone)
		}
	}
	// Canadian SIN: 046 454 286.
	if g.n >= 3 && l0 == 3 && g.token(w, "- ", 3, 3, 3) {
		if d := g.digits(w, 3, &dbuf); SIN(d) {
			s.offer(b, p0, g.e[2], CA_SOCIAL_INSURANCE_NUMBER, s.ctxScore(w, lo, p0, 0.6, 0.95, ctxSIN))
		} else if exampleSIN(d) {
			s.labelled(b, w, lo, p0, g.e[2], CA_SOCIAL_INSURANCE_NUMBER, ctxSIN)
		}
	}
	// Aadhaar: 2345 6789 0123.
	if g.n >= 3 && l0 == 4 && g.token(w, " -", 4, 4, 4) {
		if d := g.digits(w, 3, &dbuf); Aadhaar(d) {
			s.offer(b, p0, g.e[2], IN_AADHAAR, s.ctxScore(w, lo, p0, 0.85, 0.95, ctxAadhaar))
		}
	}
	if (l0 == 2 && g.n >= 3 || l0 == 6) && p >= 3 && w[p-1] == ' ' && isLower(w[p-2]) && isLower(w[p-3]) && p-3 >= s.last && (p == 3 || !isWord(w[p-4])) {
		s.nino(b, w, p-3, lo) // typed in lower case and spaced: zb 63 05 00 b
	}
	if g.n >= 2 && (w[p] == '0' || w[p] >= '6' && l0 == 5) {
		s.national(b, w, p, lo, g)
		if !b.ok && w[p] == '0' {
			s.namedNational(b, w, p, lo, g)
		}
	}
	if g.n >= 3 && (l0 == 2 || l0 == 3 && (w[p] >= '6' || w[p] == '2')) {
		s.noTrunk(b, w, p, lo, g)
	}
	s.card(b, w, p, lo, g)
	if g.endsAt(w, 1, "") {
		s.plainNumber(b, w, p, lo, g)
	}
}

// card tries payment card numbers: 13-19 digits, whole or in groups joined
// by one separator (4-4-4-4, 4-6-5, ...), Luhn valid with an issuer prefix.
func (s *Scanner) card(b *best, w []byte, p, lo int, g *groups) {
	if l0 := g.len(0); l0 < 13 && (l0 != 4 || g.n < 2) {
		return // too short alone, and not in groups after a first of four
	}
	var dbuf [24]byte
	total := 0
	for k := 1; k <= g.n; k++ {
		total += g.len(k - 1)
		if total > 19 {
			return
		}
		if k >= 2 && (g.sep[k-2] != g.sep[0] || (g.sep[0] != ' ' && g.sep[0] != '-')) {
			return
		}
		if k >= 2 && (g.len(0) != 4 || g.sep[0] == g.before) {
			return
		}
		if total < 13 || !g.endsAt(w, k, "") {
			continue
		}
		d := g.digits(w, k, &dbuf)
		if Card(d) {
			s.offer(b, p, g.e[k-1], CREDIT_DEBIT_NUMBER, s.ctxScore(w, lo, p, 0.9, 0.98, ctxCard))
		}
	}
}

// plainNumber tries the entities written as one run of digits, which are
// told apart by their length, checksums and context words.
func (s *Scanner) plainNumber(b *best, w []byte, p, lo int, g *groups) {
	d := w[g.s[0]:g.e[0]] // one group: its digits as written
	e := g.e[0]
	if len(d) >= 11 {
		s.intlDigits(b, w, lo, p, e, d)
	}
	switch len(d) {
	case 9:
		if ITIN(d) {
			score := float32(0.9) // X12's qualifier for a taxpayer id, as for an SSN below
			if !x12Qualified(w, p, x12TaxID) {
				score = s.bareTopicScore(w, lo, US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER, p, s.ctxScore(w, lo, p, 0.3, 0.9, ctxITIN), 0.6)
			}
			s.offer(b, p, e, US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER, score)
		} else if ValidSSN(d) {
			// A taxpayer id that is not an ITIN is an SSN.
			score := float32(0.9)
			if !x12Qualified(w, p, x12TaxID) {
				score = s.ctxScore(w, lo, p, 0.3, 0.9, ctxSSN)
			}
			if score < 0.9 {
				score = s.ctxScore(w, lo, p, score, 0.85, ctxITIN)
			}
			s.offer(b, p, e, SSN, score)
		} else if exampleSSN(d) {
			s.labelled(b, w, lo, p, e, SSN, ctxSSN)
		}
		if SIN(d) {
			s.offer(b, p, e, CA_SOCIAL_INSURANCE_NUMBER, s.bareTopicScore(w, lo, CA_SOCIAL_INSURANCE_NUMBER, p, s.ctxScore(w, lo, p, 0.3, 0.9, ctxSIN), 0.6))
		} else if exampleSIN(d) {
			s.labelled(b, w, lo, p, e, CA_SOCIAL_INSURANCE_NUMBER, ctxSIN)
		}
		if ABA(d) {
			score := float32(0.95) // between a cheque's MICR transit symbols, or after X12's qualifier
			if !micrTransit(w, p, e) && !x12Qualified(w, p, "01") {
				score = s.bareTopicScore(w, lo, BANK_ROUTING, p, s.ctxScore(w, lo, p, 0.4, 0.9, ctxRouting), 0.6)
			}
			s.offer(b, p, e, BANK_ROUTING, score)
		}
	case 10:
		if nanp(d) || trunkPlan(d, 3) || d[0] >= '6' { // (India's mobiles start 6-9)
			score := float32(0.85)
			if !x12Qualified(w, p, "TEFXCPHPWPBN") {
				score = s.ctxScore(w, lo, p, 0.35, 0.85, ctxPhone)
			}
			if score > 0.35 && (labelledOther(w, lo, p) && !s.labelIs(w, lo, p, ctxPhone) || s.idColumn(w, lo, p)) {
				score = 0.35 // its own label says what it is: "PO number: 9921186444"; a call_id column's are ids
			}
			if score > 0.45 && p-s.seen[UK_NATIONAL_HEALTH_SERVICE_NUMBER] <= 256 && NHS(d) && !s.namedBy(w, lo, p, ctxPhone) {
				score = 0.45 // as for 943 476 5919 above: NHS numbers are the topic
			}
			s.offer(b, p, e, PHONE, score)
		}
		if NHS(d) {
			s.offer(b, p, e, UK_NATIONAL_HEALTH_SERVICE_NUMBER, s.bareTopicScore(w, lo, UK_NATIONAL_HEALTH_SERVICE_NUMBER, p, s.ctxScore(w, lo, p, 0.3, 0.9, ctxNHS), 0.6))
		}
	case 11:
		// A mobile number with its trunk 0 is a shape of its own: the
		// UK's 07xxx, India's 0 and ten digits from 6-9.
		base := float32(0.35)
		if d[0] == '0' && (d[1] == '7' && d[2] != '0' || d[1] >= '6') {
			base = 0.55
		}
		if d[0] == '1' && nanp(d[1:]) || trunkPlan(d, 3) {
			s.offer(b, p, e, PHONE, s.ctxScore(w, lo, p, base, 0.85, ctxPhone))
		}
	case 12:
		if d[0] == '9' && d[1] == '1' && d[2] >= '6' { // India's 91 and a mobile number, as operators log it
			s.offer(b, p, e, PHONE, s.ctxScore(w, lo, p, 0.3, 0.85, ctxPhone))
		}
		if Aadhaar(d) {
			s.offer(b, p, e, IN_AADHAAR, s.bareTopicScore(w, lo, IN_AADHAAR, p, s.ctxScore(w, lo, p, 0.4, 0.95, ctxAadhaar), 0.6))
		}
	}
}

// x12TaxID are the X12 qualifiers that say an element is a taxpayer id:
// SY (REF's SSN), 34 (NM1's SSN), 0F (an enrolment's subscriber number).
const x12TaxID = "SY340F"

// x12Qualified reports whether the element before p in an X12 segment is
// one of the two-character qualifiers in quals, which say what the element
// at p is: PER*IC*JANE*TE*6175551234 (a telephone), REF*SY*123456789 (a
// social security number).
func x12Qualified(w []byte, p int, quals string) bool {
	if p < 4 || w[p-1] != '*' || w[p-4] != '*' {
		return false
	}
	for k := 0; k+1 < len(quals); k += 2 {
		if w[p-3] == quals[k] && w[p-2] == quals[k+1] {
			return true
		}
	}
	return false
}

// micrTransit reports whether the number at [p, e) is between the transit
// symbols (⑆, U+2446) of a cheque's MICR line, as a routing number is.
func micrTransit(w []byte, p, e int) bool {
	const sym = "\u2446"
	return p >= len(sym) && wordAt(w, p-len(sym), sym) && wordAt(w, e, sym)
}

// intlDigits offers a number of 11 to 14 digits that starts with a
// country's calling code as a phone number, in a table column named for
// phone numbers only: a call record's calling_number, 4915577446572, has
// no '+'. (Fifteen digits are a device's IMEI far more often, and a long
// run elsewhere an id or an epoch in milliseconds.)
func (s *Scanner) intlDigits(b *best, w []byte, lo, p, e int, d []byte) {
	if len(d) < 11 || len(d) > 14 || d[0] == '0' {
		return
	}
	name, ok := s.column(w, lo, p)
	if !ok || !nameHas(name, ctxPhone) {
		return
	}
	if callingCode(d[:1]) || callingCode(d[:2]) || callingCode(d[:3]) {
		s.offer(b, p, e, PHONE, 0.8)
	}
}

// underLabel offers [p, e) as t only when one of words labels it, at the
// label's confidence: a shape that is as often something else alone.
func (s *Scanner) underLabel(b *best, w []byte, lo, p, e int, t Entity, raised float32, words *wordSet) {
	if score := s.ctxScore(w, lo, p, 0, raised, words); score > 0 {
		s.offer(b, p, e, t, score)
	}
}

// labelled offers a value that fails its type's rules only because it is
// a well-known example (SSN 123-45-6789, (555) 123-4567), when a label
// names the type: what a user marks as PII, and types first to try the
// redaction, is masked. Unlabelled, it stays text (documentation, tests).
func (s *Scanner) labelled(b *best, w []byte, lo, p, e int, t Entity, words *wordSet) {
	if s.hasContext(w, lo, p, words) {
		s.offer(b, p, e, t, 0.9)
	}
}

// exampleSIN reports whether 9 digits are 046 454 286, the number the
// Government of Canada prints on its sample SIN card and forms (no SIN
// starts with 0).
func exampleSIN(d []byte) bool { return string(d) == "046454286" }

// exampleSSN reports whether 9 digits are one of the numbers the SSA never
// issued because they were printed as examples (078-05-1120 on a wallet
// insert, 219-09-9999 in an advertisement), or the sequence 123-45-6789.
func exampleSSN(d []byte) bool {
	s := string(d)
	return s == "078051120" || s == "219099999" || s == "123456789"
}

// exampleNANP reports whether 10 digits are a North American number but
// for an exchange starting 0 or 1 or a service code: the fictional
// numbers of films and forms, 555-123-4567, (212) 123-4567.
func exampleNANP(d []byte) bool {
	return len(d) == 10 && d[0] >= '2'
}

// nanp reports whether 10 digits are a North American number: area code
// and exchange start with 2-9, and the area code is not an N11 service code.
func nanp(d []byte) bool {
	return len(d) == 10 && d[0] >= '2' && d[3] >= '2' && !(d[1] == '1' && d[2] == '1') && !(d[4] == '1' && d[5] == '1') && !allSame(d)
}

// ipv4 tries a dotted quad: four numbers 0-255 without leading zeros, not
// part of a longer dotted run (a version string), lowered after "version".
func (s *Scanner) ipv4(b *best, w []byte, p, lo int, g *groups) {
	if g.n < 4 || g.sep[0] != '.' || g.sep[1] != '.' || g.sep[2] != '.' {
		return
	}
	for i := 0; i < 4; i++ {
		l := g.len(i)
		if l > 3 || (l > 1 && w[g.s[i]] == '0') || num(w[g.s[i]:g.e[i]]) > 255 {
			return
		}
	}
	port := tcpdumpPort(w, g)
	if !g.endsAt(w, 4, ":/") && !port {
		return
	}
	e := g.e[3]
	if e < len(w) && w[e] == '.' && e+1 < len(w) && isWord(w[e+1]) && !port {
		return
	}
	if netmask(w, g) {
		return // 255.255.255.0, 0.0.0.255 say how a network is cut, not who is on it
	}
	score := float32(0.9)
	var lw [16]byte
	if versionWord(lastWord(w, lo, p, &lw)) || versionKey(w, lo, p) {
		score = 0.3
	} else if name, ok := s.column(w, lo, p); ok && nameHas(name, ctxVersion) {
		score = 0.3 // under a table's firmware or version column: os_version, "switch firmware"
	}
	s.offer(b, p, e, IP_ADDRESS, score)
}

// yymmddCell offers six digits at p as a date in a table's column named
// for one: an export's effective_date as NACHA writes it, 250729. (Alone,
// six digits are a count or a code far more often.)
func (s *Scanner) yymmddCell(b *best, w []byte, p, lo int) {
	if p+6 >= len(w) || w[p+2] > '1' || isDigit(w[p+6]) || !s.dates || digitsEnd(w, p) != p+6 || !wordEnd(w, p+6) || !yymmdd(w[p:]) {
		return
	}
	if s.dateColumn(w, lo, p) {
		s.offer(b, p, p+6, DATE_TIME, 0.8)
	}
}

// namedBy reports whether the label right before p, or the name of the
// column p is in, is one of words: a word further back ("Contact" along
// a header that does not line up, "MacDonald" in a name) says less.
func (s *Scanner) namedBy(w []byte, lo, p int, words *wordSet) bool {
	if name, ok := s.column(w, lo, p); ok && nameHas(name, words) {
		return true
	}
	return s.labelIs(w, lo, p, words)
}

// mt940Sub reads the subfields German banks give an MT940 statement's
// field 86 with '?' and two digits, each glued to its value: ?30 the
// other party's BIC, ?31 its IBAN ("?30KREDBEBB?31BE16603108584874?32").
func (s *Scanner) mt940Sub(b *best, w []byte, p, e0, lo int) {
	switch w[p+1] {
	case '0':
		r := e0
		for r < len(w) && r-e0 < 12 && (isUpper(w[r]) || isDigit(w[r])) {
			r++
		}
		if n := r - e0; (n == 8 || n == 11) && s.types.Has(SWIFT_CODE) && upperRun(w[e0:e0+6]) && Country(w[e0+4], w[e0+5]) {
			s.offer(b, e0, r, SWIFT_CODE, 0.85)
		}
	case '1':
		s.iban(b, w, e0, lo)
	}
}

// upperRun reports whether every byte of c is a capital.
func upperRun(c []byte) bool {
	for _, x := range c {
		if !isUpper(x) {
			return false
		}
	}
	return true
}

// afterCode tries an address glued by '/' to a code in capitals that
// ends at or after r, as Squid logs the server it asked:
// "HIER_DIRECT/203.0.113.7". (After any other '/' a number is a path's
// part, and no anchor starts there.)
func (s *Scanner) afterCode(b *best, w []byte, r int) {
	for r < len(w) && (isUpper(w[r]) || w[r] == '_') {
		r++
	}
	if r+1 >= len(w) || w[r] != '/' || !isDigit(w[r+1]) || !s.types.Has(IP_ADDRESS) {
		return
	}
	parseGroups(&s.g, w, r+1)
	s.ipv4(b, w, r+1, r+1, &s.g)
}

// netmask reports whether a dotted quad is a mask rather than an
// address: a network mask (255 first, its bits ones then zeros), a
// wildcard mask (0 first, zeros then ones: 0.0.0.255), or 0.0.0.0, the
// default route. (A network written with its prefix, 10.42.0.0/16, stays
// an address.)
// currency reports whether c is the ISO 4217 code of a currency payments
// are often made in.
func currency(c []byte) bool {
	switch string(c) {
	case "USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "NZD", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF",
		"INR", "CNY", "HKD", "SGD", "ZAR", "BRL", "MXN", "AED", "SAR", "TRY", "KRW", "RON", "ILS", "THB":
		return true
	}
	return false
}

// versionKey reports whether the key, label, tag or field right before p
// names a version: Version, SchemaVersion, apiVersion, api_version,
// <ClientVersion>, "firmware_version,3.12.0.4".
func versionKey(w []byte, lo, p int) bool {
	i := p
	for k := 0; k < 4 && i > lo && bytesContain(" \":=,>", w[i-1]); k++ {
		i--
	}
	return i-7 >= lo && bytes.EqualFold(w[i-7:i], []byte("version"))
}

// tcpdumpPort reports whether the four groups of g are an address that
// tcpdump writes with its port joined by a '.': "192.168.16.195.40112 >"
// or "> 192.168.1.66.53:".
func tcpdumpPort(w []byte, g *groups) bool {
	if g.n < 5 || g.sep[3] != '.' || g.len(4) > 5 {
		return false
	}
	e := g.e[4]
	return wordAt(w, e, " > ") || e < len(w) && w[e] == ':' && g.s[0] >= 2 && wordAt(w, g.s[0]-2, "> ")
}

// dicom reads a value of a DICOM dump whose value representation, DA,
// TM or DT, says it is a date, a time or both: "(0008,0020) DA
// [20250728]", "TM [141502.118]". The digits start at p, their first run
// ends at e0.
func (s *Scanner) dicom(b *best, w []byte, p, e0 int) {
	vr := string(w[p-4 : p-2])
	e := e0
	if e+1 < len(w) && w[e] == '.' && isDigit(w[e+1]) {
		e = digitsMax(w, e+1, 7)
	}
	if e >= len(w) || w[e] != ']' {
		return
	}
	n := e0 - p
	switch {
	case vr == "DA" && n == 8 && yyyymmdd(w[p:]),
		vr == "TM" && (n == 4 || n == 6) && clockDigits(w[p:e0]),
		vr == "DT" && n >= 8 && n <= 14 && n%2 == 0 && yyyymmdd(w[p:]) && clockDigits(w[p+8:e0]):
		s.offer(b, p, e, DATE_TIME, 0.85)
	}
}

// versionWord reports whether a lower-case word labels a version, which
// may have an IPv4 address's shape: firmware 1.18.4.1.
func versionWord(word []byte) bool {
	if string(word) == "v" || ctxVersion.has(word) {
		return true
	}
	// Glued to what it versions, as keys and tags write it: osversion
	// (of os_version), clientversion (of <ClientVersion>).
	return bytes.HasSuffix(word, []byte("version")) || bytes.HasSuffix(word, []byte("firmware"))
}

func netmask(w []byte, g *groups) bool {
	var m uint32
	for i := 0; i < 4; i++ {
		m = m<<8 | uint32(num(w[g.s[i]:g.e[i]]))
	}
	return m>>24 == 255 && m|(m-1) == 0xffffffff || m == 0xffffffff || m>>24 == 0 && m&(m+1) == 0
}

func validDate(y, m, d int) bool {
	if y < 1900 || y > 2099 || m < 1 || m > 12 || d < 1 {
		return false
	}
	days := [13]int{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
	if m == 2 && d == 29 {
		return y%4 == 0 && (y%100 != 0 || y%400 == 0)
	}
	return d <= days[m]
}

// dateWithTime offers a date ending at e, extended by a time that follows
// it after 'T', a space, ", " or ':' ("T10:23:45Z", " 10:23:45.123+02:00",
// ", 18:41", ":10:24:09 +0000", " 4:51 PM UTC") or after "at" (" at
// 4:12 PM", French " à 10 h 14"), and by a weekday before it ("Mon 1 June
// 2026", "Thursday, 4 June").
func (s *Scanner) dateWithTime(b *best, w []byte, p, e, lo int) {
	s.dateSpan(b, w, p, e, lo, 0.85)
}

// dateSpan is dateWithTime for a date of confidence score.
func (s *Scanner) dateSpan(b *best, w []byte, p, e, lo int, score float32) {
	if e+1 < len(w) {
		te := 0
		switch w[e] {
		case 'T': // ISO 8601: two-digit hours
			if te = timeAt(w, e+1); te > 0 && w[te-1] != 'Z' {
				te, _ = clockTail(w, te) // no AM or zone after a 'Z'
			}
		case ' ', ':':
			if te = clockAt(w, e+1); te == 0 && w[e] == ' ' && (w[e+1] == 'a' || w[e+1] == 'u' || w[e+1] == 'o' || w[e+1] == '@' || w[e+1] == 0xc3) {
				te = atClock(w, e+1)
			}
		case '-':
			// Zeek's #open 2025-07-29-09-00-00.
			if e+9 <= len(w) && w[e+3] == '-' && w[e+6] == '-' && twoDigits(w, e+1, 23) && twoDigits(w, e+4, 59) && twoDigits(w, e+7, 59) {
				te = e + 9
			}
		case ',':
			if w[e+1] == ' ' {
				if te = clockAt(w, e+2); te == 0 {
					te = atClock(w, e+2) // "1 de julho de 2025, às 16:00"
				}
				if te == 0 {
					te = hourAt(w, e+2) // "Friday 11 July, 9am"
				}
				if h := digitsMax(w, e+2, 2); te == 0 && h > e+2 && num(w[e+2:h]) <= 23 && wordAt(w, h, " Uhr") && wordEnd(w, h+4) {
					te = h + 4 // "30. April 2025, 17 Uhr"
				}
			}
		}
		if te > 0 && wordEnd(w, te) {
			e, score = te, 0.9
		}
	}
	if !wordEnd(w, e) {
		return
	}
	if e-p == 10 && p > 1 && (w[p-1] == '"' || w[p-1] == ' ') && bytesContain("\":= ", w[p-2]) && versionKey(w, lo, p) {
		return // "Version": "2012-10-17", as IAM policies and API schemas date their version
	}
	if score < s.thr {
		// Only worth the context search when it decides the match.
		score = s.ctxScore(w, lo, p, score, 0.95, ctxDate)
	}
	st := p
	if p > 3 && w[p-1] == ' ' {
		st = s.weekdayBefore(w, p, lo)
		if p > 9 && w[p-2] >= '0' && w[p-2] <= '6' && w[p-3] == ' ' && (wordAt(w, p-9, "starts") || wordAt(w, p-7, "ends") || wordAt(w, p-7, "cltt") || wordAt(w, p-7, "tstp")) {
			st = p - 2 // ISC dhcpd's lease: "starts 1 2025/06/30 08:01:12", the weekday's number first
		}
	}
	s.offer(b, st, e, DATE_TIME, score)
}

// atClock parses a time after a date and a word that says "at": "at
// 4:12 PM", "@ 09:30", German "um 14:30", French "à 10 h 14". It returns
// the end, or 0.
func atClock(w []byte, i int) int {
	switch {
	case wordAt(w, i, "at "):
		return hourAt(w, i+3)
	case wordAt(w, i, "um "):
		// German: um 14:30, um 10 Uhr.
		e := hourAt(w, i+3)
		if e == 0 {
			e = digitsMax(w, i+3, 2)
			if e == i+3 || num(w[i+3:e]) > 23 || !wordAt(w, e, " Uhr") {
				return 0
			}
		}
		if wordAt(w, e, " Uhr") && wordEnd(w, e+4) {
			e += 4
		}
		return e
	case wordAt(w, i, "a las "): // Spanish
		return clockAt(w, i+6)
	case wordAt(w, i, "às "): // Portuguese
		return clockAt(w, i+len("às "))
	case wordAt(w, i, "alle "): // Italian
		return clockAt(w, i+5)
	case wordAt(w, i, "om "): // Dutch
		return clockAt(w, i+3)
	case wordAt(w, i, "o "): // Polish
		return clockAt(w, i+2)
	case i+2 < len(w) && w[i] == '@' && w[i+1] == ' ':
		return clockAt(w, i+2)
	case wordAt(w, i, "à "): // French
		if e := clockAt(w, i+len("à ")); e > 0 {
			return e
		}
		return frenchClock(w, i+len("à "))
	}
	return 0
}

// hourAt is clockAt, or an hour alone with AM or PM ("3pm GMT"), as
// written after "at".
func hourAt(w []byte, i int) int {
	if e := clockAt(w, i); e > 0 {
		return e
	}
	if h := digitsMax(w, i, 3); h > i && h < len(w) && w[h] == '.' && twoDigits(w, h+1, 59) {
		if n := ampmAt(w, h+3); n > 0 && num(w[i:h]) <= 12 {
			return h + 3 + n // British: 2.15pm
		}
	}
	e := digitsMax(w, i, 3)
	if e == i || num(w[i:e]) > 12 || num(w[i:e]) == 0 {
		return 0
	}
	if e, marked := clockTail(w, e); marked && w[e-1] != ' ' && (e-i > 2 || w[i+1] != ' ') {
		return e
	}
	return 0
}

// frenchClock parses a time as French writes it, "10 h 14" or "10h14", at
// i, and returns its end, or 0.
func frenchClock(w []byte, i int) int {
	e := digitsMax(w, i, 3)
	if e == i || num(w[i:e]) > 23 {
		return 0
	}
	if e+1 < len(w) && w[e] == ' ' {
		e++
	}
	if e >= len(w) || w[e] != 'h' {
		return 0
	}
	e++
	if e+1 < len(w) && w[e] == ' ' {
		e++
	}
	if !twoDigits(w, e, 59) || !wordEnd(w, e+2) {
		return 0
	}
	return e + 2
}

var weekdays = [...]string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}

// weekdayBefore returns where a weekday written before the date at p
// starts ("Mon 1 June", "Thursday, 4 June 2026", "Fri, Feb 6"), or p. The
// weekday is part of the date: left out, it says which date it was.
func (s *Scanner) weekdayBefore(w []byte, p, lo int) int {
	lo = max(lo, s.last)
	i := p - 1
	if i-3 < lo || w[i] != ' ' {
		return p
	}
	if w[i-1] == ',' {
		i--
	}
	dot := w[i-1] == '.'
	if dot {
		i-- // "Tue., 3 June", "mar. 29 juil.", "Di., 29. Juli"
	}
	j := i
	for j > lo && i-j < 14 && (isAlpha(w[j-1]) || w[j-1] >= 0x80 || w[j-1] == '-') {
		j-- // (Portuguese weekdays hold a '-': terça-feira)
	}
	for j < i && w[j] == '-' {
		j++
	}
	if n := i - j; n < 2 || j > 0 && isWord(w[j-1]) {
		return p
	}
	for _, d := range weekdays {
		k := 0
		for k < i-j && k < len(d) && w[j+k]|0x20 == d[k] {
			k++
		}
		// The whole name, or an abbreviation of three or four letters
		// (Mon, Tues, Thur).
		if k == i-j && (k == len(d) || k == 3 || k == 4 && k < len(d)) {
			return j
		}
	}
	if foreignWeekday(w[j:i], dot) {
		return j
	}
	return p
}

// foreignWeekdays are the weekdays of French, German, Spanish, Italian
// and Dutch, whole and as their mail clients abbreviate them.
var foreignWeekdays = strings.Fields(`lundi mardi mercredi jeudi vendredi samedi dimanche
	lun mar mer jeu ven sam dim
	montag dienstag mittwoch donnerstag freitag samstag sonntag
	lunes martes miércoles miercoles jueves viernes sábado sabado domingo mié jue vie sáb sab dom
	lunedì martedì mercoledì giovedì venerdì sabato domenica lunedi martedi mercoledi giovedi venerdi gio
	segunda-feira terça-feira terca-feira quarta-feira quinta-feira sexta-feira
	maandag dinsdag woensdag donderdag vrijdag zaterdag zondag
	poniedziałek wtorek środa czwartek piątek sobota niedziela pon czw sob niedz`)

// foreignWeekday reports whether name is a weekday of foreignWeekdays, or
// a German or Dutch two-letter one with its '.' (Di., wo.).
func foreignWeekday(name []byte, dot bool) bool {
	if len(name) == 2 {
		if !dot {
			return false
		}
		switch string([]byte{name[0] | 0x20, name[1] | 0x20}) {
		case "mo", "di", "mi", "do", "fr", "sa", "so", "ma", "wo", "vr", "za", "zo", "wt", "pt":
			return true
		}
		return false
	}
	for _, d := range foreignWeekdays {
		if len(d) == len(name) && bytes.EqualFold(name, []byte(d)) {
			return true
		}
	}
	return false
}

// clockAt parses a time of day at i as it is written after a date or
// alone: timeAt's forms or a one-digit hour, then perhaps AM or PM, then
// perhaps a zone after a space (" +0000", " UTC"). It returns the end, or
// 0.
func clockAt(w []byte, i int) int {
	e := paddedTimeAt(w, i)
	if e == 0 {
		return 0
	}
	e, _ = clockTail(w, e)
	return e
}

// clockTail reads what may follow a time at e: AM or PM, then a zone after
// a space. It returns the end, and whether there was either.
func clockTail(w []byte, e int) (int, bool) {
	if e >= len(w) || w[e] != ' ' && w[e]|0x20 != 'a' && w[e]|0x20 != 'p' {
		return e, false // most times end at a quote or a comma
	}
	e0 := e
	if w[e] == ' ' {
		e++
	}
	if n := ampmAt(w, e); n > 0 || e == e0 && e+1 < len(w) && (w[e] == 'a' || w[e] == 'p') && wordEnd(w, e+1) {
		if n == 0 {
			n = 1 // a or p glued to the time, as claim notes write it: 8:30a
		}
		e += n
		for _, z := range usZones {
			if wordAt(w, e, z) && wordEnd(w, e+len(z)) {
				return e + len(z), true // 3:12 PM ET, 11 AM Eastern
			}
		}
	} else {
		e = e0
	}
	if e+1 < len(w) && w[e] == ' ' {
		if z := zoneAt(w, e+1); z > 0 {
			numeric := w[e+1] == '+' || w[e+1] == '-'
			e = z
			if z2 := zoneAt(w, e+1); numeric && e+1 < len(w) && w[e] == ' ' && z2 > 0 && isUpper(w[e+1]) {
				e = z2 // the offset and the zone's name, as Go prints a time: "+0000 UTC"
			} else if z2 := zoneAt(w, e+2); numeric && wordAt(w, e, " (") && z2 > 0 && z2 < len(w) && w[z2] == ')' {
				e = z2 + 1 // and as mail headers do: "+0200 (CEST)"
			}
		}
	}
	if wordAt(w, e, " Uhr") && wordEnd(w, e+4) {
		e += 4 // German: 17:30 Uhr
	}
	return e, e > e0
}

// hourRange holds the second hour of a range written with AM or PM,
// "9am-5pm", whose first ends at i: no anchor starts after the '-'.
func (s *Scanner) hourRange(w []byte, i int) {
	if i+3 >= len(w) || w[i] != '-' || !isDigit(w[i+1]) {
		return
	}
	h := digitsMax(w, i+1, 3)
	if n := ampmAt(w, h); n > 0 && h-i <= 3 && num(w[i+1:h]) >= 1 && num(w[i+1:h]) <= 12 {
		s.holdCell(Match{Start: i + 1, End: h + n, Type: DATE_TIME, Score: 0.6})
	}
}

// usZones are North America's zones as written after a time's AM or PM,
// in two letters or by name.
var usZones = [...]string{" ET", " PT", " CT", " MT", " Eastern", " Central", " Mountain", " Pacific"}

// paddedTimeAt is timeAt that also takes a one-digit hour (9:30).
func paddedTimeAt(w []byte, i int) int {
	if i+1 < len(w) && w[i+1] == ':' {
		return oneDigitHourAt(w, i)
	}
	return timeAt(w, i)
}

// oneDigitHourAt parses 9:30... at i as timeAt would 09:30...
func oneDigitHourAt(w []byte, i int) int {
	if !isDigit(w[i]) {
		return 0
	}
	var tmp [40]byte
	tmp[0] = '0'
	n := copy(tmp[1:], w[i:min(len(w), i+39)])
	if e := timeAt(tmp[:n+1], 0); e > 0 {
		return i + e - 1
	}
	return 0
}

// zoneAt parses a zone written on its own at i, a numeric offset (+0000,
// -07:00) or an abbreviation (UTC), and returns its end, or 0.
func zoneAt(w []byte, i int) int {
	if i >= len(w) {
		return 0
	}
	if c := w[i]; c == '+' || c == '-' {
		if !twoDigits(w, i+1, 14) {
			return 0
		}
		e := i + 3
		if e < len(w) && w[e] == ':' {
			e++
		}
		if !twoDigits(w, e, 59) || !wordEnd(w, e+2) {
			return 0
		}
		return e + 2
	}
	e := i
	for e < len(w) && e-i < 5 && isUpper(w[e]) {
		e++
	}
	if l := w[e-1]; e-i < 3 || e-i > 4 || (l != 'T' && l != 'C' && l != 'K') || !wordEnd(w, e) {
		return 0 // every abbreviation below ends in T but UTC and MSK: not INFO, WARN
	}
	// The abbreviations a log or a letter writes after a time.
	switch string(w[i:e]) {
	case "UTC", "GMT", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT", "AKST", "AKDT",
		"HST", "IST", "BST", "CET", "CEST", "EET", "EEST", "WET", "WEST", "JST", "KST", "HKT", "SGT", "AEST",
		"AEDT", "ACST", "AWST", "NZST", "NZDT", "MSK", "BRT", "ART":
		return e
	}
	return 0
}

// timeAt parses hh:mm[:ss[.frac]][Z|±hh[:mm]] at i, returning its end or 0.
func timeAt(w []byte, i int) int {
	if i < 0 || i+5 > len(w) {
		return 0
	}
	// Every timestamp of a log comes here: hh:mm is read in one go.
	q := w[i : i+5 : i+5]
	h1, h2, m1, m2 := q[0]-'0', q[1]-'0', q[3]-'0', q[4]-'0'
	if q[2] != ':' || h1 > 2 || h2 > 9 || h1 == 2 && h2 > 3 || m1 > 5 || m2 > 9 {
		return 0
	}
	e := i + 5
	if e+2 < len(w) && w[e] == ':' && twoDigits(w, e+1, 60) {
		e += 3
		switch {
		case e+1 < len(w) && w[e] == '.' && isDigit(w[e+1]):
			e = digitsEnd(w[:min(len(w), i+30)], e+1)
		case e+4 <= len(w) && w[e] == ',' && digitsEnd(w, e+1) == e+4 && msEnd(w, e+4):
			e += 4
		}
	}
	if e < len(w) {
		switch w[e] {
		case 'Z':
			e++
		case '+', '-':
			if twoDigits(w, e+1, 23) {
				z := e + 3
				if z+2 < len(w) && w[z] == ':' && twoDigits(w, z+1, 59) {
					z += 3
				} else if twoDigits(w, z, 59) {
					z += 2
				}
				e = z
			}
		}
	}
	return e
}

// msEnd reports whether ",ddd" ending at e is milliseconds as Java and
// Python log them ("10:23:45,415 INFO", "[10:23:45,415]"), rather than the
// next field of a CSV line ("10:23:45,415-555-2671", ",200,GET", ",306 261
// 1693"): what follows must end it.
func msEnd(w []byte, e int) bool {
	if e >= len(w) {
		return true
	}
	switch w[e] {
	case ']', ')', '"', '\t', '\n', '\r', 'Z', '+':
		return true
	case ' ':
		return e+1 >= len(w) || !isDigit(w[e+1])
	}
	return false
}

// twoDigits reports whether w[j:j+2] are two digits making at most maxv.
func twoDigits(w []byte, j, maxv int) bool {
	if j < 0 || j+1 >= len(w) {
		return false
	}
	a, b := w[j]-'0', w[j+1]-'0'
	return a <= 9 && b <= 9 && int(a)*10+int(b) <= maxv
}

// timeOnly offers a time of day on its own: 10:23:45, or 9:30 followed by
// am/pm.
func (s *Scanner) timeOnly(b *best, w []byte, p, lo int) {
	if m, e := timeRange(w, p); e > 0 {
		// Two times, as opening hours and shifts are written: the second
		// starts after a '-', where no anchor does, so it is held.
		if s.offer(b, p, m, DATE_TIME, 0.8) {
			e, _ = clockTail(w, e) // 02:00-04:00 UTC
			s.holdCell(Match{Start: m + 1, End: e, Type: DATE_TIME, Score: 0.8})
		}
		return
	}
	if e := paddedTimeAt(w, p); e > 0 {
		s.timeEnd(b, w, p, e, lo)
	}
}

// timeRange parses two times of hours and minutes joined by '-' at p,
// "18:28-20:59", which timeAt would read as a time and its zone, and
// returns the end of the first and of the second, or 0, 0.
func timeRange(w []byte, p int) (int, int) {
	m := hmAt(w, p)
	if m == 0 || m+1 >= len(w) || w[m] != '-' {
		return 0, 0
	}
	e := hmAt(w, m+1)
	if e == 0 || !wordEnd(w, e) || e < len(w) && w[e] == ':' {
		return 0, 0
	}
	return m, e
}

// hmAt returns the end of h:mm or hh:mm at i, or 0.
func hmAt(w []byte, i int) int {
	h := digitsMax(w, i, 3)
	if h == i || h-i > 2 || num(w[i:h]) > 23 || h >= len(w) || w[h] != ':' || !twoDigits(w, h+1, 59) {
		return 0
	}
	if e := h + 3; e >= len(w) || !isDigit(w[e]) {
		return e
	}
	return 0
}

// timeEnd offers a time alone, from p to e: with AM, PM or a zone after
// it, with seconds, or with two digits of hours (14:21, 09:12). A bare
// 9:30 is as often a score, a ratio or a verse.
func (s *Scanner) timeEnd(b *best, w []byte, p, e, lo int) {
	if end, marked := clockTail(w, e); marked {
		if d := weekdayDate(w, end); d > 0 {
			end = d
		}
		s.offer(b, p, end, DATE_TIME, 0.7)
		return
	}
	if !wordEnd(w, e) || e < len(w) && w[e] == ':' {
		return
	}
	switch {
	case e-p >= 7: // seconds
		var lw [16]byte
		if p >= 2 && (w[p-2] == ':' || w[p-1] == '=' || w[p-1] == ':') && durationWord(lastWord(w, lo, p, &lw)) {
			return // duration: 00:04:27, elapsed=00:00:12
		}
		s.offer(b, p, e, DATE_TIME, s.ctxScore(w, lo, p, 0.6, 0.9, ctxDate))
	case e-p == 5 && w[p+2] == ':' && (p == 0 || w[p-1] != ':'):
		s.offer(b, p, e, DATE_TIME, 0.6)
	case e-p == 4 && p >= 3 && wordAt(w, p-3, "at "):
		s.offer(b, p, e, DATE_TIME, 0.6) // at 9:30
	}
}

// spelledDays are the days of a month as ordinals in words, the last
// word of each: "twenty-first" ends "first".
var spelledDays = strings.Fields(`first second third fourth fifth sixth seventh eighth ninth tenth
	eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth
	twentieth thirtieth`)

// spelledDayBefore returns where a day written in words and "of" before
// the month at p starts ("fourteenth of March", "twenty-first of June"),
// or p.
func spelledDayBefore(w []byte, p, lo int) int {
	if p-4 < lo || !wordAt(w, p-4, " of ") {
		return p
	}
	i := p - 4
	j := i
	for j > lo && i-j < 12 && isLower(w[j-1]) {
		j--
	}
	if j > lo && isWord(w[j-1]) {
		return p
	}
	for _, d := range spelledDays {
		if string(w[j:i]) == d {
			if j-7 >= lo && (wordAt(w, j-7, "twenty-") || wordAt(w, j-7, "thirty-")) {
				return j - 7
			}
			return j
		}
	}
	return p
}

// weekdayDate returns the end of a date written after a time and its
// zone, as Cisco IOS stamps a configuration ("20:00:07 UTC Sun Apr 28
// 2024"): at i, a space, a weekday of three letters, the month, the day
// and the year; or 0.
func weekdayDate(w []byte, i int) int {
	if i+16 > len(w) || w[i] != ' ' || w[i+4] != ' ' || !isUpper(w[i+1]) {
		return 0
	}
	wd := false
	for _, d := range weekdays {
		wd = wd || w[i+1]|0x20 == d[0] && w[i+2] == d[1] && w[i+3] == d[2]
	}
	m, j := englishMonth(w, i+5)
	if !wd || m == 0 || j+1 >= len(w) || w[j] != ' ' {
		return 0
	}
	d, j := dayDigits(w, j+1)
	if j == 0 || j+1 >= len(w) || w[j] != ' ' {
		return 0
	}
	if y, e := yearAt(w, j+1); e > 0 && validDate(y, m, d) {
		return e
	}
	return 0
}

// durationWord reports whether a label says the time after it is how
// long something took, not when.
func durationWord(word []byte) bool {
	switch string(word) {
	case "duration", "elapsed", "uptime", "took", "runtime", "length":
		return true
	}
	return false
}

// ampmAt returns the length of AM or PM at i (am, PM, a.m., p.m.), or 0.
func ampmAt(w []byte, i int) int {
	if i+1 >= len(w) || w[i]|0x20 != 'a' && w[i]|0x20 != 'p' {
		return 0
	}
	if w[i+1]|0x20 == 'm' && wordEnd(w, i+2) {
		return 2
	}
	if i+3 < len(w) && w[i+1] == '.' && w[i+2]|0x20 == 'm' && w[i+3] == '.' {
		return 4
	}
	return 0
}

var monthNames = [...]string{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}

// foreignMonths are the month names of French, German, Portuguese,
// Spanish, Italian and Dutch that English does not share, lower case,
// with their months.
var foreignMonths = [...]struct {
	name string
	m    int
}{
	{"janvier", 1}, {"février", 2}, {"fevrier", 2}, {"mars", 3}, {"avril", 4}, {"mai", 5}, {"juin", 6},
	{"juillet", 7}, {"août", 8}, {"aout", 8}, {"septembre", 9}, {"octobre", 10}, {"novembre", 11},
	{"décembre", 12}, {"decembre", 12},
	{"januar", 1}, {"februar", 2}, {"märz", 3}, {"maerz", 3}, {"juni", 6}, {"juli", 7}, {"oktober", 10},
	{"dezember", 12},
	{"janeiro", 1}, {"fevereiro", 2}, {"março", 3}, {"maio", 5}, {"junho", 6}, {"julho", 7},
	{"setembro", 9}, {"outubro", 10}, {"novembro", 11}, {"dezembro", 12},
	{"enero", 1}, {"febrero", 2}, {"marzo", 3}, {"abril", 4}, {"mayo", 5}, {"junio", 6}, {"julio", 7},
	{"agosto", 8}, {"septiembre", 9}, {"setiembre", 9}, {"octubre", 10}, {"noviembre", 11}, {"diciembre", 12},
	{"gennaio", 1}, {"febbraio", 2}, {"aprile", 4}, {"maggio", 5}, {"giugno", 6}, {"luglio", 7},
	{"settembre", 9}, {"ottobre", 10}, {"dicembre", 12},
	{"januari", 1}, {"februari", 2}, {"maart", 3}, {"mei", 5}, {"augustus", 8},
	// Abbreviations English does not share: French with their '.',
	// Spanish, Italian and Dutch.
	{"janv.", 1}, {"févr.", 2}, {"fevr.", 2}, {"avr.", 4}, {"juil.", 7},
	{"ene", 1}, {"abr", 4}, {"ago", 8}, {"dic", 12}, {"gen", 1}, {"mag", 5}, {"giu", 6}, {"lug", 7},
	{"set", 9}, {"ott", 10}, {"mrt", 3}, {"okt", 10},
	// Polish, in the genitive a date takes, and their abbreviations.
	{"stycznia", 1}, {"lutego", 2}, {"marca", 3}, {"kwietnia", 4}, {"maja", 5}, {"czerwca", 6}, {"lipca", 7},
	{"sierpnia", 8}, {"września", 9}, {"wrzesnia", 9}, {"października", 10}, {"pazdziernika", 10},
	{"listopada", 11}, {"grudnia", 12},
	{"sty", 1}, {"lut", 2}, {"kwi", 4}, {"cze", 6}, {"lip", 7}, {"sie", 8}, {"wrz", 9}, {"paź", 10}, {"lis", 11}, {"gru", 12},
}

// foreignFirst holds, per first letter, whether a foreign month name
// starts with it: most words are turned away by one lookup.
var foreignFirst uint32

// foreignByFirst holds foreignMonths' indexes by their first letter.
var foreignByFirst [26][]uint8

func init() {
	for k, f := range foreignMonths {
		foreignFirst |= 1 << (f.name[0] - 'a')
		foreignByFirst[f.name[0]-'a'] = append(foreignByFirst[f.name[0]-'a'], uint8(k))
	}
}

func foreignMonth(w []byte, i int) (int, int) {
	if i+3 > len(w) {
		return 0, 0
	}
	c := w[i] | 0x20
	if c < 'a' || c > 'z' || foreignFirst&(1<<(c-'a')) == 0 {
		return 0, 0
	}
	for _, k := range foreignByFirst[c-'a'] {
		f := &foreignMonths[k]
		n := len(f.name)
		if i+n > len(w) {
			continue
		}
		k := 1
		for k < n && (w[i+k]|0x20 == f.name[k] || w[i+k] == f.name[k]) {
			k++
		}
		if k == n && (i+n == len(w) || !isAlpha(w[i+n]) && w[i+n] < 0x80) {
			return f.m, i + n
		}
	}
	return 0, 0
}

// englishMonth parses a month name (full, or its first three letters with
// an optional '.', "Sept" too) at i, returning the month and the end, or
// 0. (French, German and Spanish write the day first, so dayMonthYear
// alone tries foreignMonth.)
func englishMonth(w []byte, i int) (int, int) {
	if i+3 > len(w) {
		return 0, 0
	}
	switch w[i] | 0x20 {
	case 'j', 'f', 'm', 'a', 's', 'o', 'n', 'd':
	default:
		return 0, 0
	}
	m := monthOf(w[i]|0x20, w[i+1]|0x20, w[i+2]|0x20)
	if m < 0 {
		return 0, 0
	}
	name := monthNames[m]
	e := i + 3
	full := e
	for full < len(w) && full-i < len(name) && w[full]|0x20 == name[full-i] {
		full++
	}
	switch {
	case full-i == len(name):
		e = full
	case m == 8 && full-i == 4: // Sept
		e = full
	}
	if e < len(w) && w[e] == '.' && e-i == 3 {
		e++
	} else if e < len(w) && (isAlpha(w[e]) || w[e] >= 0x80) {
		return 0, 0 // a longer word: March's "mar" in Portuguese "março"
	}
	return m + 1, e
}

// monthOf returns the month (0-11) whose name starts with these three
// lower-case letters, or -1.
func monthOf(a, b, c byte) int {
	switch uint32(a)<<16 | uint32(b)<<8 | uint32(c) {
	case 'j'<<16 | 'a'<<8 | 'n':
		return 0
	case 'f'<<16 | 'e'<<8 | 'b':
		return 1
	case 'm'<<16 | 'a'<<8 | 'r':
		return 2
	case 'a'<<16 | 'p'<<8 | 'r':
		return 3
	case 'm'<<16 | 'a'<<8 | 'y':
		return 4
	case 'j'<<16 | 'u'<<8 | 'n':
		return 5
	case 'j'<<16 | 'u'<<8 | 'l':
		return 6
	case 'a'<<16 | 'u'<<8 | 'g':
		return 7
	case 's'<<16 | 'e'<<8 | 'p':
		return 8
	case 'o'<<16 | 'c'<<8 | 't':
		return 9
	case 'n'<<16 | 'o'<<8 | 'v':
		return 10
	case 'd'<<16 | 'e'<<8 | 'c':
		return 11
	}
	return -1
}

// ordinal reports whether an ordinal suffix (st, nd, rd, th) is at i.
func ordinal(w []byte, i int) bool {
	if i+2 > len(w) || (i+2 < len(w) && isWord(w[i+2])) {
		return false
	}
	switch uint16(w[i]|0x20)<<8 | uint16(w[i+1]|0x20) {
	case 's'<<8 | 't', 'n'<<8 | 'd', 'r'<<8 | 'd', 't'<<8 | 'h', 'e'<<8 | 'r':
		return true
	}
	return false
}

// dayDigits parses a day of month (1-2 digits, optional st/nd/rd/th) at i.
func dayDigits(w []byte, i int) (int, int) {
	j := i
	for j < len(w) && isDigit(w[j]) && j-i < 2 {
		j++
	}
	if j == i || (j < len(w) && isDigit(w[j])) {
		return 0, 0
	}
	d := num(w[i:j])
	if j+1 < len(w) {
		s := string([]byte{w[j] | 0x20, w[j+1] | 0x20})
		if s == "st" || s == "nd" || s == "rd" || s == "th" || s == "er" && d == 1 {
			j += 2 // (French writes the first "1er")
		}
	}
	return d, j
}

func yearAt(w []byte, i int) (int, int) {
	if i+4 > len(w) {
		return 0, 0
	}
	for j := i; j < i+4; j++ {
		if !isDigit(w[j]) {
			return 0, 0
		}
	}
	if !wordEnd(w, i+4) {
		return 0, 0
	}
	return num(w[i : i+4]), i + 4
}

// dayMonthYear: "15 January 2024", "15 Jan 2024", "16th of April, 1955",
// and with '/' or '-' ("14/Jul/2026", as web servers log it,
// "14-Jul-2026").
//
// Without a year, a day and a month name with a capital are a date too:
// "5 June", "Tuesday 9th June", "Mon 1 Jun, 09:30". German writes "3.
// Juni 2026", Spanish "2 de junio de 2026".
func (s *Scanner) dayMonthYear(b *best, w []byte, p, lo int) {
	d, i := dayDigits(w, p)
	if i == 0 || i+1 >= len(w) {
		return
	}
	if w[i] == '.' && w[i+1] == ' ' {
		i++ // German: "3. Juni 2026"
	}
	if w[i] != ' ' && w[i] != '/' && w[i] != '-' {
		return
	}
	sep := w[i]
	if sep == ' ' && (isAlpha(w[i-1]) && wordAt(w, i+1, "of ") || wordAt(w, i+1, "de ")) {
		i += 3 // "16th of April 1955", "2 de junio"
	} else if sep == ' ' && isAlpha(w[i-1]) && wordAt(w, i+1, "day of ") {
		i += 7 // as deeds are dated: "19th day of August, 2024"
	}
	mst := i + 1
	m, me := englishMonth(w, mst)
	foreign := false
	if m == 0 {
		m, me = foreignMonth(w, mst)
		foreign = me-mst >= 4
	}
	if m == 0 || me >= len(w) {
		return
	}
	i = me
	if sep == ' ' && w[i] == ',' && i+1 < len(w) && w[i+1] == ' ' {
		i++ // "16 April, 1955"
	} else if sep == ' ' && wordAt(w, i+1, "de ") {
		i += 3 // "de junio de 2026"
	}
	y, e := 0, 0
	if w[i] == sep {
		y, e = yearAt(w, i+1)
		if e == 0 && sep != ' ' && i+3 <= len(w) && isDigit(w[i+1]) && isDigit(w[i+2]) && wordEnd(w, i+3) {
			y, e = 2000+num(w[i+1:i+3]), i+3 // 28/Mar/25, as Jira writes it
		}
	}
	switch {
	case e > 0 && validDate(y, m, d) && foreign && wordAt(w, e, " r.") && (e+3 == len(w) || !isAlpha(w[e+3])):
		s.offer(b, p, e+3, DATE_TIME, 0.85) // Polish: "15 lipca 2025 r." (roku, of the year)
	case e > 0 && validDate(y, m, d):
		s.dateWithTime(b, w, p, e, lo)
	case e == 0 && sep == ' ' && (isUpper(w[mst]) || foreign) && validDate(2000, m, d): // 2000 was a leap year; French and Polish write months in lower case
		s.dateSpan(b, w, p, me, lo, 0.7)
	}
}

// wordAt reports whether w holds word at i.
func wordAt(w []byte, i int, word string) bool {
	return i+len(word) <= len(w) && string(w[i:i+len(word)]) == word
}

// spacedDate: a date whose '/' has a space each side, as OCR reads a
// printed form: "07 / 22 / 1988". The first number ends at e0.
func (s *Scanner) spacedDate(b *best, w []byte, p, e0 int) {
	i := e0 + 3
	j := digitsMax(w, i, 3)
	if j == i || j-i > 2 || !wordAt(w, j, " / ") {
		return
	}
	k := digitsMax(w, j+3, 5)
	if k-(j+3) != 4 || !wordEnd(w, k) {
		return
	}
	a, c, y := num(w[p:e0]), num(w[i:j]), num(w[j+3:k])
	if validDate(y, a, c) || validDate(y, c, a) {
		s.offer(b, p, k, DATE_TIME, 0.8)
	}
}

// cjkDate: a date as Chinese and Japanese write it, 2026年7月14日, perhaps
// with a time after it.
func (s *Scanner) cjkDate(b *best, w []byte, p, lo int) {
	korean := wordAt(w, p+4, "년")
	mark := [3]string{"年", "月", "日"}
	if korean {
		mark = [3]string{"년", "월", "일"} // 2025년 8월 1일, with spaces
	}
	i := p + 4 + len(mark[0])
	if korean && i < len(w) && w[i] == ' ' {
		i++
	}
	j := digitsMax(w, i, 2)
	m := num(w[i:j])
	if j == i || !wordAt(w, j, mark[1]) {
		return
	}
	i = j + len(mark[1])
	if korean && i < len(w) && w[i] == ' ' {
		i++
	}
	k := digitsMax(w, i, 2)
	d := num(w[i:k])
	if k == i || !wordAt(w, k, mark[2]) || !validDate(num(w[p:p+4]), m, d) {
		return
	}
	e := k + len(mark[2])
	if wordAt(w, e, "(") && e+5 <= len(w) && w[e+4] == ')' {
		e += 5 // a weekday: 2025年7月29日(火)
	} else if wordAt(w, e, "（") && wordAt(w, e+6, "）") {
		e += 9 // in full-width parentheses
	}
	t := cjkClock(w, e)
	if korean {
		t = koreanClock(w, e)
	}
	if t > 0 {
		s.offer(b, p, t, DATE_TIME, 0.9)
		return
	}
	s.dateSpan(b, w, p, e, lo, 0.85)
}

// koreanClock parses a time as Korean writes it after a date, "오후 6시"
// or "오전 9시 30분" (morning or afternoon, hours, minutes), at i after a
// space. It returns its end, or 0.
func koreanClock(w []byte, i int) int {
	if i >= len(w) || w[i] != ' ' || !wordAt(w, i+1, "오전") && !wordAt(w, i+1, "오후") {
		return 0
	}
	i += 1 + len("오전")
	if i < len(w) && w[i] == ' ' {
		i++
	}
	h := digitsMax(w, i, 2)
	if h == i || num(w[i:h]) > 12 || !wordAt(w, h, "시") {
		return 0
	}
	e := h + len("시")
	if m := digitsMax(w, e+1, 2); e < len(w) && w[e] == ' ' && m > e+1 && num(w[e+1:m]) <= 59 && wordAt(w, m, "분") {
		e = m + len("분")
	}
	return e
}

// cjkClock parses a time as Japanese and Chinese write it after a date,
// at i or after a space: 14時30分, 9时5分20秒. It returns its end, or 0.
func cjkClock(w []byte, i int) int {
	if i < len(w) && w[i] == ' ' {
		i++
	}
	h := digitsMax(w, i, 2)
	if h == i || num(w[i:h]) > 23 || !wordAt(w, h, "時") && !wordAt(w, h, "时") {
		return 0
	}
	i = h + len("時")
	m := digitsMax(w, i, 2)
	if m == i || num(w[i:m]) > 59 || !wordAt(w, m, "分") {
		return 0
	}
	e := m + len("分")
	if sec := digitsMax(w, e, 2); sec > e && num(w[e:sec]) <= 60 && wordAt(w, sec, "秒") {
		e = sec + len("秒")
	}
	return e
}

// compactDate: a day, a month's three capitals and a year, as airline and
// mainframe records write a date: 21NOV1956, 23DEC26.
func (s *Scanner) compactDate(b *best, w []byte, p, e0, lo int) {
	if e0+5 > len(w) || !isUpper(w[e0+1]) || !isUpper(w[e0+2]) {
		return
	}
	m := monthOf(w[e0]|0x20, w[e0+1]|0x20, w[e0+2]|0x20)
	i := e0 + 3
	j := digitsMax(w, i, 5)
	if m < 0 || j-i != 2 && j-i != 4 || !wordEnd(w, j) {
		return
	}
	y := num(w[i:j])
	if j-i == 2 {
		y += 1900
		if y < 1930 {
			y += 100 // two digits: 1930 to 2029
		}
	}
	if !validDate(y, m+1, num(w[p:e0])) {
		return
	}
	if j+5 <= len(w) && w[j] == '/' && digitsMax(w, j+1, 5) == j+5 && clockDigits(w[j+1:j+5]) {
		j += 5 // an airline record's time after its date: 23DEC26/0531Z
		if j < len(w) && w[j] == 'Z' {
			j++
		}
	}
	s.offer(b, p, j, DATE_TIME, 0.8)
}

// basicStamp returns the end of a date and time written with no
// separators from p, whose digits end at e0: yyyymmdd, 'T' and hhmm[ss];
// yyyymmddhhmm[ss] and 'Z', as LDAP writes a time; or, between a
// delimited record's field separators, yyyymmdd[hh[mm[ss]]] as HL7 and
// X12 write it; then a fraction and a zone may follow. It returns 0 for
// anything else: alone, eight to fourteen digits are as often an order
// or a serial number.
func basicStamp(w []byte, p, e0 int) int {
	if (e0-p)%2 != 0 || !yyyymmdd(w[p:]) {
		return 0
	}
	e := e0
	glued := e0 < len(w) && (w[e0] == 'T' || w[e0] == 'Z')
	switch {
	case e0-p == 8 && glued && w[e0] == 'T':
		e = digitsEnd(w, e0+1)
		if n := e - (e0 + 1); n != 4 && n != 6 || !clockDigits(w[e0+1:e]) {
			return 0
		}
	case glued:
		if e0-p < 12 || !clockDigits(w[p+8:e0]) {
			return 0 // 20240916200010Z
		}
	case e0-p == 14 || e0-p == 12 && p > 0 && w[p-1] == '"':
		// A date and time to the second, whole, or to the minute in
		// quotes, with perhaps a zone: C-CDA's value="20250722090500-0700".
		if !clockDigits(w[p+8:e0]) || p > 0 && isWord(w[p-1]) {
			return 0
		}
		glued = true // ends as a word does
	case p == 0 || !(fieldSep(w[p-1]) || w[p-1] == '=' && e0 < len(w) && (w[e0] == '|' || w[e0] == 1) || edifactDate(w, p, e0)) || !clockDigits(w[p+8:e0]):
		return 0 // (FIX's tag=value fields end at '|' or SOH: 75=20250729|)
	}
	if !glued && p > 0 && w[p-1] == ':' {
		return e0 // EDIFACT's format code follows
	}
	if e+1 < len(w) && w[e] == '.' && isDigit(w[e+1]) {
		e = digitsMax(w, e+1, 7)
	}
	if e < len(w) && w[e] == 'Z' {
		e++
	} else if e+5 <= len(w) && (w[e] == '+' || w[e] == '-') && digitsEnd(w, e+1) == e+5 && clockDigits(w[e+1:e+5]) {
		e += 5
	}
	if glued {
		if !wordEnd(w, e) {
			return 0
		}
	} else if e < len(w) && !fieldSep(w[e]) && w[e] != '\n' && w[e] != '\r' {
		return 0
	}
	return e
}

// nacha reads a record of a NACHA (ACH) file, 94 characters a line, at
// p: the file header's destination and origin routing numbers and its
// creation date and time, the batch header's dates, an entry's receiving
// bank's routing number. Fields there are glued together, so no anchor
// starts them. It reports whether the line is such a record.
func (s *Scanner) nacha(b *best, w []byte, p int) bool {
	r := w[p : p+94]
	aba := func(i int) bool { return digitsEnd(r, i) >= i+9 && ABA(r[i:i+9]) }
	yymmdd := func(i int) bool {
		return digitsEnd(r, i) >= i+6 && yymmdd(r[i:])
	}
	switch {
	case r[0] == '1' && r[1] == '0' && r[2] == '1' && r[3] == ' ' && aba(4):
		if s.types.Has(BANK_ROUTING) {
			s.offer(b, p+4, p+13, BANK_ROUTING, 0.9)
			if r[13] == ' ' && aba(14) {
				s.holdCell(Match{Start: p + 14, End: p + 23, Type: BANK_ROUTING, Score: 0.9})
			}
		}
		if s.dates && yymmdd(23) && clockDigits(r[29:33]) {
			s.holdCell(Match{Start: p + 23, End: p + 33, Type: DATE_TIME, Score: 0.85})
		}
		return true
	case r[0] == '5' && (r[1] == '2' && (r[2] == '0' || r[2] == '2') || r[1] == '1' && r[2] == '6') && s.dates:
		// A batch header: its descriptive and effective entry dates.
		for _, i := range [...]int{63, 69} {
			if yymmdd(i) && (i == 69 || !isDigit(r[i-1])) {
				if !b.ok {
					s.offer(b, p+i, p+i+6, DATE_TIME, 0.8)
				} else {
					s.holdCell(Match{Start: p + i, End: p + i + 6, Type: DATE_TIME, Score: 0.8})
				}
			}
		}
		return b.ok
	case r[0] == '6' && isDigit(r[1]) && isDigit(r[2]) && aba(3) && s.types.Has(BANK_ROUTING):
		s.offer(b, p+3, p+12, BANK_ROUTING, 0.9) // an entry: the receiving bank's routing number
		return true
	}
	return false
}

// x12Time holds the time of an X12 segment's date-and-time pair whose
// date ends at e, "*20230714*2021*": no anchor starts it, for a number of
// four digits alone is as often a count or a code.
func (s *Scanner) x12Time(w []byte, e int) {
	if e < len(w) && w[e] == '*' {
		if t := hhmmField(w, e+1); t > 0 {
			s.holdCell(Match{Start: e + 1, End: t, Type: DATE_TIME, Score: 0.8})
		}
	}
}

// hhmmField returns the end of a field of an X12 segment at i that is a
// time, hhmm (or hhmmss), or 0.
func hhmmField(w []byte, i int) int {
	e := digitsMax(w, i, 7)
	if n := e - i; n != 4 && n != 6 || !clockDigits(w[i:e]) || e < len(w) && w[e] != '*' && w[e] != '~' && w[e] != '\n' {
		return 0
	}
	return e
}

// clockDigits reports whether d (none, or two, four or six digits) is an
// hour, minute and second run together: 23, 2359, 235959.
func clockDigits(d []byte) bool {
	for k := 0; k+1 < len(d); k += 2 {
		if n := num(d[k : k+2]); k == 0 && n > 23 || n > 59 {
			return false
		}
	}
	return len(d)%2 == 0
}

// stampField reports whether the n digits [p, e0) stand as a field in
// which a record writes a date and time run together: between '|', '^',
// '*' or '~' (HL7, X12), in FIX's tag=value|, quoted with a time, or in
// an EDIFACT composite.
func stampField(w []byte, p, e0, n int) bool {
	switch c := w[p-1]; c {
	case '=':
		return e0 < len(w) && (w[e0] == '|' || w[e0] == 1)
	case '"':
		return n >= 12
	case ':':
		return edifactDate(w, p, e0)
	default:
		return fieldSep(c)
	}
}

// edifactDate reports whether the digits [p, e0) are the date of an
// EDIFACT DTM segment's composite, between ':' and its format code:
// DTM+137:20250729:102' (102 is CCYYMMDD, 203 CCYYMMDDHHMM).
func edifactDate(w []byte, p, e0 int) bool {
	return w[p-1] == ':' && e0+4 < len(w) && w[e0] == ':' && digitsEnd(w, e0+1) == e0+4 &&
		(w[e0+1] == '1' || w[e0+1] == '2') && (w[e0+4] == '\'' || w[e0+4] == '+')
}

// fieldSep reports whether c separates the fields of a delimited record,
// HL7's '|' and '^', X12's '*' and '~'.
func fieldSep(c byte) bool { return c == '|' || c == '^' || c == '*' || c == '~' }

// calVer reports whether a dotted date, 2026.06.1, is a version (calendar
// versioning) rather than a date: a one-digit month or day, or a suffix
// joined on ("2026.06.03-r4417", "2026.06.1+g3f9c2a7").
func calVer(w []byte, g *groups) bool {
	e := g.e[2]
	return g.len(1) == 1 || g.len(2) == 1 || g.n > 3 && g.sep[2] == '.' ||
		e+1 < len(w) && (w[e] == '-' || w[e] == '+') && isWord(w[e+1])
}

// followsDate reports whether more of a date follows a month and day that
// end at i: a year, a time, or digits joined on.
func followsDate(w []byte, i int) bool {
	if i >= len(w) {
		return false
	}
	switch w[i] {
	case ' ':
		return i+1 < len(w) && (isDigit(w[i+1]) || w[i+1] == ',' && followsDate(w, i+1))
	case ',':
		return i+2 < len(w) && w[i+1] == ' ' && isDigit(w[i+2]) && digitsEnd(w, i+2)-(i+2) == 4
	case ':', '/', '-', '.':
		return i+1 < len(w) && isDigit(w[i+1])
	}
	return isWord(w[i])
}

// monthBefore tries an ordinal day after a month name in lower case,
// where no anchor stopped: "april 16th, 1955".
func (s *Scanner) monthBefore(b *best, w []byte, p, lo int) {
	if b.ok || p < 4 || w[p-1] != ' ' || !isLower(w[p-2]) {
		return
	}
	st := p - 2
	for st > 0 && p-st < 11 && isAlpha(w[st-1]) {
		st--
	}
	if st < s.last || st > 0 && isWord(w[st-1]) {
		return
	}
	if m, e := englishMonth(w, st); m > 0 && e == p-1 {
		s.monthDayYear(b, w, st, lo)
	}
}

// monthDayYear: "January 15, 2024", "Jan 15th 2024", and syslog's
// "Jul 14 10:23:45" and "Jul  4 10:23:45" (no year, but a time).
func (s *Scanner) monthDayYear(b *best, w []byte, p, lo int) {
	m, i := englishMonth(w, p)
	if m == 0 || i+1 >= len(w) || w[i] != ' ' {
		return
	}
	if w[i+1] == ' ' {
		i++ // syslog pads the day with a space
	} else if y, e := yearAt(w, i+1); e > 0 && isUpper(w[p]) && validDate(y, m, 1) {
		// A month, "Sept 2021", "June 2026", or a day spelled out before
		// it: "the fourteenth of March 1979".
		s.offer(b, spelledDayBefore(w, p, max(lo, s.last)), e, DATE_TIME, 0.75)
		return
	}
	d, i := dayDigits(w, i+1)
	if i == 0 {
		return
	}
	if isUpper(w[p]) && validDate(2000, m, d) && !followsDate(w, i) {
		s.dateSpan(b, w, p, i, lo, 0.7) // no year: "June 5", "May 4.", "June 10th"
		return
	}
	if i+1 >= len(w) {
		return
	}
	if w[i] == ' ' && validDate(2000, m, d) { // 2000 was a leap year
		if t := timeAt(w, i+1); t-(i+1) >= 8 && wordEnd(w, t) {
			t, _ = clockTail(w, t)
			if y, e := yearAt(w, t+1); e > 0 && w[t] == ' ' && y >= 1900 && y <= 2099 {
				// Apache's error log, [Wed Jun 03 17:06:45.118223 2026], and
				// git's, Sat Aug 22 04:46:12 2026 +0530.
				t = e
				if z := zoneAt(w, t+1); z > 0 && w[t] == ' ' {
					t = z
				}
			}
			s.offer(b, s.weekdayBefore(w, p, lo), t, DATE_TIME, 0.85)
			return
		}
	}
	if wordAt(w, i, " ,") {
		i++ // as OCR reads it: "Aug 4 , 2025"
	}
	if w[i] == ',' {
		i++
	}
	if i >= len(w) || w[i] != ' ' {
		return
	}
	y, e := yearAt(w, i+1)
	if e == 0 || !validDate(y, m, d) {
		return
	}
	s.dateWithTime(b, w, p, e, lo)
}
