package detect

import (
	"bytes"
	"net/netip"
)

// upper tries the entities that start with a capital letter.
func (s *Scanner) upper(b *best, w []byte, p, lo int) {
	if p+1 < len(w) && isLower(w[p+1]) {
		if c := w[p]; s.topics && (c == 'A' || c == 'R' || c == 'S') && p+6 < len(w) && (w[p+2] == 'd' || w[p+2] == 'u' || w[p+2] == 'c') {
			s.noteWord(w, p) // Aadhaar, Routing, Secret
		}
		// A capitalised word: a month name, or a secret key that happens
		// to start this way.
		if s.types.Has(DATE_TIME) {
			s.monthDayYear(b, w, p, lo)
		}
		if keyLength(w, p) {
			s.secret(b, w, p, lo)
		}
		if p+2 < len(w) && isDigit(w[p+2]) {
			s.nino(b, w, p, lo) // typed as a name: Zy022889c
		}
		return
	}
	if w[p] <= 'F' {
		s.hexColon(b, w, p, lo)
		if b.ok {
			return
		}
	}
	// The run of capitals and digits decides which shapes are possible.
	r := p
	for r < len(w) && r-p < 35 && (isUpper(w[r]) || isDigit(w[r])) {
		r++
	}
	n := r - p
	if r+2 < len(w) && (w[r] == '_' || w[r] == '/') {
		s.afterCode(b, w, r) // Squid's HIER_DIRECT/203.0.113.7
		if b.ok {
			return
		}
	}
	if n >= 3 && n <= 9 && s.topics {
		s.noteCaps(w, p, n) // NHS, ITIN, SIN, SSN, NHSNUMBER
	}
	if n >= 3 && n <= 9 && r+1 < len(w) && w[r] == ' ' && isDigit(w[r+1]) && s.dates && monthOf(w[p]|0x20, w[p+1]|0x20, w[p+2]|0x20) >= 0 {
		s.monthDayYear(b, w, p, lo) // in capitals: AUGUST 2, 2025
	}
	if n >= 20 && w[p] == 'A' {
		s.awsKey(b, w, p) // (more than 20: its secret glued to it, starting with a capital or digit)
	}
	switch n {
	case 5:
		if isDigit(w[p+1]) && s.dates && (p == 0 || w[p-1] == '\n' || p >= 2 && w[p-1] == ' ' && (w[p-2] == 'Z' || isDigit(w[p-2]))) {
			s.klog(b, w, p) // at a line's start, or after the stamp kubectl logs --timestamps adds
		}
	case 12:
		s.bareMAC(b, w, p, lo)
	case 17:
		s.vin(b, w, p, lo)
	case 8, 11:
		s.swift(b, w, p, lo, n)
	}
	if n >= 2 {
		s.iban(b, w, p, lo)
		s.nino(b, w, p, lo)
	}
	if keyLength(w, p) {
		s.secret(b, w, p, lo)
	}
}

// klog reads the header glog and Kubernetes write before each line, a
// level letter glued to the month and day, then the time: "I0722
// 14:05:09.481220". The date starts after the letter.
func (s *Scanner) klog(b *best, w []byte, p int) {
	if p+14 > len(w) || !bytesContain("IWEF", w[p]) || digitsEnd(w, p+1) != p+5 || w[p+5] != ' ' || !validDate(2000, num2(w[p+1:]), num2(w[p+3:])) {
		return
	}
	if t := timeAt(w, p+6); t-(p+6) >= 8 {
		s.offer(b, p+1, t, DATE_TIME, 0.85)
	}
}

// lowerID tries the identifiers that may be typed in lower case, at the
// start st of a word that starts with lower-case letters.
func (s *Scanner) lowerID(b *best, w []byte, st, lo int) {
	s.iban(b, w, st, lo)
	s.nino(b, w, st, lo)
	s.vin(b, w, st, lo)
}

// awsPrefixes are the prefixes IAM gives credentials: access keys (AKIA),
// temporary keys (ASIA), STS bearer tokens (ABIA) and context-specific
// credentials (ACCA). The other unique-ID prefixes (AIDA a user, AROA a
// role, AGPA a group, ANPA a policy, ...) name IAM entities and are no
// keys (IAM User Guide, "Understanding unique ID prefixes").
var awsPrefixes = [...]string{"AKIA", "ASIA", "ABIA", "ACCA"}

// awsKey: an access key id, a known four-letter prefix and 16 capitals or
// digits.
func (s *Scanner) awsKey(b *best, w []byte, p int) {
	if p+20 > len(w) || !wordEnd(w, p+20) && !gluedSecret(w, p+20) {
		return
	}
	pre := string(w[p : p+4])
	for i, a := range awsPrefixes {
		if pre == a {
			score := float32(0.95)
			if i >= 2 {
				score = 0.85
			}
			s.offer(b, p, p+20, AWS_ACCESS_KEY, score)
			return
		}
	}
}

// gluedSecret reports whether an access key id that ends at i has its
// secret key glued to it, as trufflehog reports the pair in RawV2
// ("AKIA...16...wJalr...40..."): 40 key bytes that end the word.
func gluedSecret(w []byte, i int) bool {
	if i < 16 || !keyLength(w, i) {
		return false
	}
	for _, c := range w[i-16 : i] {
		if !isUpper(c) && (c < '2' || c > '7') {
			return false // (an access key id is base 32)
		}
	}
	for _, c := range w[i : i+40] {
		if !isB64(c) {
			return false
		}
	}
	return true
}

// secret: a 40-character secret access key (letters, digits, '+', '/'),
// confident after a label naming a secret or near an access key id.
func (s *Scanner) secret(b *best, w []byte, p, lo int) { s.secretAt(b, w, p, lo, false) }

// secretAt is secret, for a key glued to the access key id before it
// (a key byte before p) when glued.
func (s *Scanner) secretAt(b *best, w []byte, p, lo int, glued bool) {
	if !s.types.Has(AWS_SECRET_KEY) || p+40 > len(w) || !glued && p > 0 && isB64(w[p-1]) {
		return
	}
	// Most candidates are ordinary words: the 40th byte or the one after
	// rejects most of them at once, the first byte that cannot be in a
	// key the rest. Letters and digits are word bytes, '+' and '/' are not.
	if !keyLength(w, p) {
		return
	}
	q := w[p : p+40 : p+40]
	kor, kand := uint16(0), uint16(0xffff)
	for _, c := range q {
		k := class[c]
		if k&cB64 == 0 {
			return
		}
		kor |= k
		kand &= k
	}
	up, low, other := kor&cUpper != 0, kor&cLower != 0, kor&cDigit != 0 || kand&cWord == 0
	if !up || !low || !other {
		return
	}
	score := float32(0.3)
	if s.contextWithin(w, lo, p, 64, ctxSecret) || nearAccessKey(w, lo, p) {
		score = 0.95
	} else {
		score = s.topicScore(AWS_SECRET_KEY, p, score, 0.6)
	}
	s.offer(b, p, p+40, AWS_SECRET_KEY, score)
}

// secretGap is how far from its access key id a secret key is looked for
// when no label names it.
const secretGap = 64

// keyAroundPlus tries a secret key that holds the '+' at p and starts
// before it in lower case, where no anchor stops: rb+Qa+KvKx....
func (s *Scanner) keyAroundPlus(b *best, w []byte, p, lo int) {
	st := p
	for st > max(lo, s.last) && p-st < 40 && isB64(w[st-1]) {
		st--
	}
	if st < p && (st == 0 || !isB64(w[st-1])) && keyLength(w, st) {
		s.secret(b, w, st, lo)
	}
}

// secretNear looks for a secret key that starts within secretGap bytes
// after an access key id that ends at i, on the same line: an access key
// id is the label of its secret ("(key AKIA..., secret qsJG...)", "keys
// like AKIA... / zD+Je...").
func (s *Scanner) secretNear(b *best, w []byte, i, lo int) {
	if !s.types.Has(AWS_SECRET_KEY) {
		return
	}
	if i < len(w) && isB64(w[i]) && gluedSecret(w, i) {
		s.secretAt(b, w, i, lo, true) // AKIA...wJalr...: trufflehog's RawV2
		return
	}
	for j := i; j < len(w) && j-i <= secretGap && w[j] != '\n'; j++ {
		if !isB64(w[j-1]) && keyLength(w, j) {
			if s.secret(b, w, j, lo); b.ok {
				return
			}
		}
	}
}

// secretBefore looks for a secret key that starts with a lower-case letter
// (where no anchor stopped) and ends within secretGap bytes before an
// access key id at a, on the same line, and no earlier than blo.
func (s *Scanner) secretBefore(b *best, w []byte, a, blo, lo int) {
	if !s.types.Has(AWS_SECRET_KEY) {
		return
	}
	from := blo
	if k := bytes.LastIndexByte(w[blo:a], '\n'); k >= 0 {
		from = blo + k + 1
	}
	for j := a - 40; j >= from && a-(j+40) <= secretGap; j-- {
		if isLower(w[j]) && (j == 0 || !isB64(w[j-1])) && keyLength(w, j) {
			if s.secret(b, w, j, lo); b.ok {
				return
			}
		}
	}
}

// nearAccessKey reports whether an access key id is among the Lookback
// bytes before p, or within secretGap bytes after the key at p.
func nearAccessKey(w []byte, lo, p int) bool {
	return accessKeyIn(w, lo, p) || accessKeyIn(w, p+40, min(len(w), p+40+secretGap+20))
}

// accessKeyIn reports whether an AKIA or ASIA access key id is in w[lo:e].
func accessKeyIn(w []byte, lo, e int) bool {
	for i := lo; i+20 <= e; i++ {
		if w[i] != 'A' {
			continue
		}
		for _, a := range awsPrefixes[:2] {
			if string(w[i:i+4]) == a {
				ok := true
				for _, c := range w[i+4 : i+20] {
					if !isUpper(c) && !isDigit(c) {
						ok = false
						break
					}
				}
				if ok {
					return true
				}
			}
		}
	}
	return false
}

// secretAfter looks for a secret key after at most skip separators
// (spaces, quotes, ',', ';', ':', '=', '|') from i.
func (s *Scanner) secretAfter(b *best, w []byte, i, skip, lo int) {
	if !s.types.Has(AWS_SECRET_KEY) {
		return
	}
	if j := skipSeps(w, i, skip); keyLength(w, j) {
		s.secret(b, w, j, lo)
	}
}

// skipSeps returns where the value after a label starts: i, past at most
// skip separators (spaces, quotes, ',', ';', ':', '=', '|', '\\').
func skipSeps(w []byte, i, skip int) int {
	j := i
	for j < len(w) && j-i < skip && class[w[j]]&cSep != 0 {
		j++
	}
	return j
}

// keyLength is secret's first test, cheap enough to make at every label:
// whether the 40th byte from j may end a key (a key byte followed by one
// that cannot continue it). Most values fail it.
func keyLength(w []byte, j int) bool {
	return j+40 <= len(w) && isB64(w[j+39]) && (j+40 == len(w) || (!isB64(w[j+40]) && w[j+40] != '='))
}

// vin: 17 characters VINs use, with letters and digits, and a valid check
// digit (or a label).
func (s *Scanner) vin(b *best, w []byte, p, lo int) {
	if p+17 > len(w) || !wordEnd(w, p+17) {
		return
	}
	var vb [17]byte // VINs are printed in capitals, and typed in either case
	for i := range vb {
		vb[i] = toUpper(w[p+i])
	}
	v := vb[:]
	if !VINChars(v) {
		return
	}
	var letters, digits int
	for _, c := range v {
		if isDigit(c) {
			digits++
		} else {
			letters++
		}
	}
	if letters == 0 || digits < 3 {
		return
	}
	if VIN(v) {
		s.offer(b, p, p+17, VEHICLE_IDENTIFICATION_NUMBER, s.ctxScore(w, lo, p, 0.85, 0.95, ctxVIN))
	} else if v[0] > '5' && (s.hasContext(w, lo, p, ctxVIN) || isAlpha(v[8]) && v[8] != 'X' && s.topic(VEHICLE_IDENTIFICATION_NUMBER, p)) {
		// Only North America (1-5) requires the check digit: a labelled
		// European or Asian VIN need not have one. Nor need one in a
		// list whose other VINs were found (a recall notice, a fleet
		// register), if a letter where the check digit goes says its
		// maker uses none: a digit there that fails is a mistyped VIN.
		s.offer(b, p, p+17, VEHICLE_IDENTIFICATION_NUMBER, 0.7)
	}
}

// swift: a SWIFT/BIC code, 4 letters of bank, a country, 2 characters of
// location and an optional 3-character branch. All-capital words of that
// length are common, so a code of letters only needs a label.
func (s *Scanner) swift(b *best, w []byte, p, lo, n int) {
	if !s.types.Has(SWIFT_CODE) || !wordEnd(w, p+n) {
		return
	}
	if !upperRun(w[p : p+6]) {
		return
	}
	if !Country(w[p+4], w[p+5]) || w[p] == w[p+1] && w[p] == w[p+2] && w[p] == w[p+3] || n == 11 && wordAt(w, p, "NOTPROVIDED") {
		return // placeholders: XXXXDEFF, and SEPA's NOTPROVIDED for a missing reference
	}
	score := float32(0.35)
	for i := p + 6; i < p+n; i++ {
		if isDigit(w[i]) {
			score = 0.55
		}
	}
	if n == 11 && string(w[p+8:p+11]) == "XXX" {
		score = 0.55
	}
	if w[p+7] == '0' { // test and training codes
		score = 0.35
	}
	if s.hasContext(w, lo, p, ctxSWIFT) || mtField(w, p) {
		score = 0.95
	} else if score < 0.5 && w[p+7] != '0' && s.afterBankValue(w, p) {
		score = 0.6 // after an IBAN or in a list of codes: "SK46 9234 ... · TATRSKBX"
	}
	s.offer(b, p, p+n, SWIFT_CODE, score)
}

// afterBankValue reports whether an IBAN or a SWIFT code ended shortly
// before p on its line ("SK46 9234 ... · TATRSKBX"), or, for a code in a
// table's cell (after a tab or two spaces), a SWIFT code on one of the two
// lines before: a column of codes. (A word of capitals after one space is
// prose or a name: "PIERRE LINDGREN".)
func (s *Scanner) afterBankValue(w []byte, p int) bool {
	for _, t := range [...]Entity{INTERNATIONAL_BANK_ACCOUNT_NUMBER, SWIFT_CODE} {
		if e := s.seen[t]; e >= 0 && p-e <= 40 && bytes.IndexByte(w[e:p], '\n') < 0 {
			return true
		}
	}
	e := s.seen[SWIFT_CODE]
	cell := p >= 2 && (w[p-1] == '\t' || w[p-1] == ' ' && w[p-2] == ' ')
	return cell && e >= 0 && p-e <= 256 && bytes.Count(w[e:p], []byte{'\n'}) <= 2
}

// swiftAfterLabel tries a SWIFT code typed in lower case after "swift:" or
// "bic:" at p, which no anchor starts: swift: qiqjiecjo9n. (Scan calls it
// only when SWIFT codes are asked for.)
func (s *Scanner) swiftAfterLabel(b *best, w []byte, p, lo int) {
	var lw [16]byte
	if l := string(lastWord(w, lo, p+1, &lw)); l != "swift" && l != "bic" {
		return
	}
	i := skipSeps(w, p+1, 3)
	e := i
	for e < len(w) && e-i < 12 && (isLower(w[e]) || isDigit(w[e])) {
		e++
	}
	if n := e - i; (n == 8 || n == 11) && wordEnd(w, e) && lowerSWIFT(w[i:e]) {
		s.offer(b, i, e, SWIFT_CODE, 0.9)
	}
}

// bicAfter looks on the line after a bank account's number, which ends at
// i, for a SWIFT code typed in lower case after the word "bic" or
// "swift" ("iban be05 7680 1988 3923 / bic gkccbebb", "routing 117971938,
// swift/bic yavgushm"): no anchor starts such a code, so it is held until
// the scan reaches it.
func (s *Scanner) bicAfter(w []byte, i int) {
	end := min(len(w), i+48)
	for j := i; j+4 < end && w[j] != '\n'; j++ {
		c := w[j] | 0x20
		if c != 'b' && c != 's' || isAlpha(w[j-1]) {
			continue
		}
		var k int
		switch {
		case c == 'b' && w[j+1]|0x20 == 'i' && w[j+2]|0x20 == 'c':
			k = j + 3
		case c == 's' && j+5 < end && bytes.EqualFold(w[j:j+5], []byte("swift")):
			if k = j + 5; k+4 < end && w[k] == '/' && bytes.EqualFold(w[k+1:k+4], []byte("bic")) {
				k += 4
			}
		default:
			continue
		}
		a := k
		for a < end && a-k < 3 && (w[a] == ' ' || w[a] == ':') {
			a++
		}
		e := a
		for e < len(w) && e-a < 12 && (isLower(w[e]) || isDigit(w[e])) {
			e++
		}
		// A word of letters with prose after it is a word: "bic required
		// for this".
		prose := e+1 < len(w) && w[e] == ' ' && isLower(w[e+1]) && bytes.IndexAny(w[a:e], "0123456789") < 0
		if n := e - a; a > k && (n == 8 || n == 11) && wordEnd(w, e) && !prose && lowerSWIFT(w[a:e]) {
			s.holdCell(Match{Start: a, End: e, Type: SWIFT_CODE, Score: 0.9})
		}
		return
	}
}

// quotedBIC reports whether the ':' at p ends a quoted key "bic" or
// "swift" ('bic': in Python's repr): JSON's and Python's labels.
func quotedBIC(w []byte, p int) bool {
	if q := w[p-1]; q != '"' && q != '\'' {
		return false
	}
	return w[p-2]|0x20 == 'c' && w[p-3]|0x20 == 'i' && w[p-4]|0x20 == 'b' || w[p-2]|0x20 == 't' && w[p-3]|0x20 == 'f'
}

// lowerSWIFT reports whether c (8 or 11 lower-case letters and digits)
// is a SWIFT code typed in lower case: six letters, the fifth and sixth a
// country, and not a test code (a '0' second in the location).
func lowerSWIFT(c []byte) bool {
	for k, x := range c {
		if !isLower(x) && (k < 6 || !isDigit(x)) {
			return false
		}
	}
	return c[7] != '0' && Country(toUpper(c[4]), toUpper(c[5]))
}

// mtField reports whether p follows the tag of a SWIFT MT message's field
// that holds a BIC: ":52A:", ":57A:" (the option letter A means a BIC).
func mtField(w []byte, p int) bool {
	return p >= 5 && w[p-1] == ':' && w[p-2] == 'A' && isDigit(w[p-3]) && isDigit(w[p-4]) && w[p-5] == ':'
}

// mtDate tries the date of a SWIFT MT message's field whose tag ends at
// p: ":30:250729", ":32A:250729EUR1000,", ":60F:C250728EUR...", ":61:"
// with its value date and entry date (2507290729), ":13D:" with a time
// and zone. Dates there are yymmdd.
func (s *Scanner) mtDate(b *best, w []byte, p int) {
	t := p - 3 // the tag's first digit
	if w[t] != ':' {
		t--
		if t < 0 || w[t] != ':' || !isUpper(w[p-1]) {
			return
		}
	}
	if t > 0 && w[t-1] != '\n' || !isDigit(w[t+1]) || !isDigit(w[t+2]) {
		return
	}
	i := p + 1
	switch tag := string(w[t+1 : t+3]); {
	case tag == "60" || tag == "62" || tag == "64" || tag == "65":
		if i < len(w) && (w[i] == 'R' || w[i] == 'E') {
			i++ // reversal or expected: RC, RD, EC, ED
		}
		if i < len(w) && (w[i] == 'C' || w[i] == 'D') {
			i++
		}
	case tag == "30" || tag == "32" || tag == "61" || tag == "13":
	default:
		return
	}
	e := digitsMax(w, i, 10)
	if e-i < 6 || !yymmdd(w[i:]) {
		return
	}
	end := i + 6
	switch {
	case e-i == 10 && w[t+1] == '6' && validDate(2000, num(w[end:end+2]), num(w[end+2:end+4])):
		end += 4 // :61: an entry date, mmdd
	case e-i == 10 && w[t+1] == '1' && clockDigits(w[end:e]):
		end += 4 // :13D: a time, then its zone
		if end+5 <= len(w) && (w[end] == '+' || w[end] == '-') && digitsEnd(w, end+1) == end+5 {
			end += 5
		}
	}
	s.offer(b, i, end, DATE_TIME, 0.85)
}

// iban: country, check digits and the account, whole or in groups of four
// separated by single spaces; the country's length and mod 97.
func (s *Scanner) iban(b *best, w []byte, p, lo int) {
	if p+4 > len(w) || !isAlpha(w[p+1]) || !isDigit(w[p+2]) || !isDigit(w[p+3]) {
		return
	}
	want := ibanLen(toUpper(w[p]), toUpper(w[p+1]))
	if want == 0 || !s.types.Has(INTERNATIONAL_BANK_ACCOUNT_NUMBER) {
		return
	}
	var buf [34]byte
	n, i, group := 0, p, 0
	for i < len(w) && n < want {
		c := w[i]
		switch {
		case isAlpha(c) || isDigit(c):
			buf[n] = toUpper(c)
			n++
			group++
			i++
		case c == ' ' && group == 4 && i+1 < len(w) && (isAlpha(w[i+1]) || isDigit(w[i+1])):
			group = 0
			i++
		default:
			return
		}
	}
	if n != want || !wordEnd(w, i) || !IBAN(buf[:n]) {
		return
	}
	s.offer(b, p, i, INTERNATIONAL_BANK_ACCOUNT_NUMBER, s.ctxScore(w, lo, p, 0.95, 0.99, ctxIBAN))
}

// nino: a UK National Insurance number, AB123456C or AB 12 34 56 C, in
// either case.
func (s *Scanner) nino(b *best, w []byte, p, lo int) {
	if p+8 > len(w) || !(isDigit(w[p+2]) || w[p+2] == ' ' && isDigit(w[p+3])) || !s.types.Has(UK_NATIONAL_INSURANCE_NUMBER) {
		return
	}
	// QQ is HMRC's example prefix: a number with it only with a label.
	example := toUpper(w[p]) == 'Q' && toUpper(w[p+1]) == 'Q'
	if !example && !NINOPrefix(toUpper(w[p]), toUpper(w[p+1])) {
		return
	}
	i := p + 2
	spaced := w[i] == ' '
	// AB123456C, AB 12 34 56 C, or AB 123456 C.
	grouped := spaced && p+9 <= len(w) && digitsEnd(w, p+3) == p+9
	if grouped {
		i = p + 9
	}
	for k := 0; k < 3 && !grouped; k++ {
		if spaced {
			if i >= len(w) || w[i] != ' ' {
				return
			}
			i++
		}
		if i+2 > len(w) || !isDigit(w[i]) || !isDigit(w[i+1]) {
			return
		}
		i += 2
	}
	score := float32(0.4)
	j := i
	if j+1 < len(w) && w[j] == ' ' && (spaced || w[j+1] >= 'A' && w[j+1] <= 'D') {
		j++ // AB 12 34 56 C, and AB123456 C (but "AB123456 a record": an article)
	}
	if j < len(w) && w[j]|0x20 >= 'a' && w[j]|0x20 <= 'd' && wordEnd(w, j+1) {
		i, score = j+1, 0.85
	} else if !wordEnd(w, i) {
		return
	}
	if s.hasContext(w, lo, p, ctxNINO) {
		score = 0.95
	} else if example {
		return
	}
	s.offer(b, p, i, UK_NATIONAL_INSURANCE_NUMBER, score)
}

// hexColon tries a MAC address (six hex pairs joined by ':' or '-', or
// Cisco's three dotted quads) or an IPv6 address (parsed by net/netip)
// starting at p.
func (s *Scanner) hexColon(b *best, w []byte, p, lo int) {
	if p > 0 && (isWord(w[p-1]) || w[p-1] == ':' && !(p > 1 && isAlpha(w[p-2]) && !isHex(w[p-2])) || w[p-1] == '.') {
		return // (after a label's ':' an address may start: "IP Address:2406:da14::30e8")
	}
	if p+14 <= len(w) && w[p+4] == '.' {
		s.ciscoMAC(b, w, p, lo)
		return
	}
	if p >= 4 && w[p-1] == '=' && wordAt(w, p-4, "MAC=") && s.iptablesMAC(b, w, p) {
		return
	}
	if p+17 <= len(w) && s.types.Has(MAC_ADDRESS) {
		sep := w[p+2]
		if (sep == ':' || sep == '-') && hexPairs(w, p, 6, sep) && wordEnd(w, p+17) && !(p+18 < len(w) && w[p+17] == sep && isHex(w[p+18])) && !(p >= 2 && w[p-1] == sep && isHex(w[p-2])) {
			s.offer(b, p, p+17, MAC_ADDRESS, s.ctxScore(w, lo, p, 0.85, 0.95, ctxMAC))
			return
		}
	}
	// An IPv6 address starts with "::" or a group of one to four hex
	// digits and a ':'; most numbers are turned away here.
	if g := hexEnd(w, p, 5); !s.types.Has(IP_ADDRESS) || g-p > 4 || g >= len(w) || w[g] != ':' {
		return
	}
	e, colons, double := p, 0, false
	for e < len(w) && e-p <= 45 && (isHex(w[e]) || w[e] == ':' || w[e] == '.') {
		if w[e] == ':' {
			colons++
			if e > p && w[e-1] == ':' {
				double = true
			}
		}
		e++
	}
	if e-p > 45 || colons < 2 || (!double && colons < 6) || (e < len(w) && (isWord(w[e]) || w[e] == '%' && !linkLocal(w, p))) {
		return
	}
	for e > p && w[e-1] == '.' {
		e--
	}
	a, err := netip.ParseAddr(string(w[p:e]))
	if err != nil && w[e-1] == ':' && (e-2 < p || w[e-2] != ':') {
		e--
		a, err = netip.ParseAddr(string(w[p:e]))
	}
	if d := bytes.LastIndexByte(w[p:e], '.'); err != nil && d > 0 && digitsEnd(w, p+d+1) == e && e-(p+d+1) <= 5 && (wordAt(w, e, " > ") || e < len(w) && w[e] == ':') {
		e = p + d // tcpdump's address and port: 2406:da14::6435.53811 > ...
		a, err = netip.ParseAddr(string(w[p:e]))
	}
	if c := bytes.LastIndexByte(w[p:e], ':'); err != nil && c > 0 && bytes.IndexByte(w[p:p+c], '.') > 0 && digitsEnd(w, p+c+1) == e {
		e = p + c // an IPv4-mapped address and its port: ::ffff:94.120.44.239:42762
		a, err = netip.ParseAddr(string(w[p:e]))
	}
	if err != nil || !a.Is6() || e-p < 3 {
		return
	}
	if e < len(w) && w[e] == '%' {
		// A link-local address's zone is part of it (RFC 4007):
		// fe80::1%14, fe80::1%eth0.
		z := e + 1
		for z < len(w) && z-e <= 16 && isWord(w[z]) {
			z++
		}
		if z > e+1 {
			e = z
		}
	}
	score := float32(0.85)
	first := p
	for first < e && isHex(w[first]) {
		first++
	}
	if first-p < 3 && colons < 3 {
		score = 0.45 // "a::b": too short to tell from other text
	}
	s.offer(b, p, e, IP_ADDRESS, score)
}

// iptablesMAC reads the MAC= field iptables logs a packet with: the
// destination's address, the source's and the frame's type, fourteen
// bytes joined by ':' ("MAC=3c:22:fb:c1:a0:8d:e4:5f:01:6d:82:d4:08:00"),
// two addresses; the second is held.
func (s *Scanner) iptablesMAC(b *best, w []byte, p int) bool {
	if p+41 > len(w) || !wordEnd(w, p+41) || !s.types.Has(MAC_ADDRESS) {
		return false
	}
	if !hexPairs(w, p, 14, ':') {
		return false
	}
	if s.offer(b, p, p+17, MAC_ADDRESS, 0.9) {
		s.holdCell(Match{Start: p + 18, End: p + 35, Type: MAC_ADDRESS, Score: 0.9})
	}
	return true
}

// hexPairs reports whether n pairs of hex digits joined by sep start at
// p (the caller knows 3n-1 bytes are there): a MAC address's six, or the
// fourteen of iptables' MAC= field.
func hexPairs(w []byte, p, n int, sep byte) bool {
	for k := range n {
		i := p + 3*k
		if !isHex(w[i]) || !isHex(w[i+1]) || k < n-1 && w[i+2] != sep {
			return false
		}
	}
	return true
}

// bareMAC: twelve hex digits with no separator, as Windows logs a network
// card's address, only after a label ("network address A483E7761630").
func (s *Scanner) bareMAC(b *best, w []byte, p, lo int) {
	if !s.types.Has(MAC_ADDRESS) || !wordEnd(w, p+12) || hexEnd(w, p, 12) != p+12 {
		return
	}
	if s.hasContext(w, lo, p, ctxMAC) {
		s.offer(b, p, p+12, MAC_ADDRESS, 0.85)
	}
}

// messageColumn reports whether i is in a table's column named for a
// message's id (message_id, MessageId): <...@mail.gmail.com> there names
// a message.
func (s *Scanner) messageColumn(w []byte, lo, i int) bool {
	if s.hdr.n == 0 || i == 0 || w[i-1] != '<' && w[i-1] != '=' {
		return false
	}
	name, ok := s.column(w, lo, i)
	for k := 0; ok && k+7 <= len(name); k++ {
		if bytes.EqualFold(name[k:k+7], []byte("message")) {
			return true
		}
	}
	return false
}

// messageID reports whether the address-shaped [i, j) is a mail's
// Message-ID (or a reference to one) between '<' and '>' in its header,
// whose line starts after lo: it names a message, not a mailbox.
func messageID(w []byte, lo, i, j int) bool {
	for k := 0; i > lo && k < 64 && w[i-1] != '<' && w[i-1] > ' ' && w[i-1] != '"'; k++ {
		i-- // <CAF8x2Lq0=Tn7cW@mail.gmail.com>: the address-shaped part starts after '='
	}
	if i == 0 || w[i-1] != '<' || j >= len(w) || w[j] != '>' {
		return false
	}
	for _, h := range [...]string{"message-id=<", "msgid=<"} { // as Postfix and others log it
		if i >= lo+len(h) && bytes.EqualFold(w[i-len(h):i], []byte(h)) {
			return true
		}
	}
	ls := bytes.LastIndexByte(w[lo:i], '\n') + 1 + lo
	if ls == lo && lo > 0 {
		return false // the line starts before what may be read
	}
	for _, h := range [...]string{"message-id:", "in-reply-to:", "references:", "content-id:"} {
		if ls+len(h) <= i && bytes.EqualFold(w[ls:ls+len(h)], []byte(h)) {
			return true
		}
	}
	return false
}

// linkLocal reports whether the IPv6 address at p is link-local (fe80::),
// the one kind written with a zone after it, fe80::1%14 or fe80::1%eth0.
func linkLocal(w []byte, p int) bool {
	return p+5 <= len(w) && w[p]|0x20 == 'f' && w[p+1]|0x20 == 'e' && w[p+2] == '8' && w[p+3] == '0' && w[p+4] == ':'
}

// ciscoMAC: a MAC address as Cisco writes it, 809a.7e8a.cd56. Three
// dotted groups of four digits are as often a number, so a form without
// a hex letter needs a label.
func (s *Scanner) ciscoMAC(b *best, w []byte, p, lo int) {
	if !s.types.Has(MAC_ADDRESS) {
		return
	}
	letters := false
	for k := 0; k < 3; k++ {
		i := p + 5*k
		if hexEnd(w, i, 4) != i+4 || (k < 2 && w[i+4] != '.') {
			return
		}
		for _, c := range w[i : i+4] {
			letters = letters || !isDigit(c)
		}
	}
	e := p + 14
	if !wordEnd(w, e) || (e+1 < len(w) && (w[e] == '.' || w[e] == ':') && isWord(w[e+1])) {
		return
	}
	score := float32(0.85)
	if !letters {
		score = 0.3
	}
	s.offer(b, p, e, MAC_ADDRESS, s.ctxScore(w, lo, p, score, 0.95, ctxMAC))
}

// lowerHexStart reports whether the '-' or '.' at p ends the first group
// of a MAC address that starts with a lower-case hex letter (de-b2-...,
// cd56.7e8a...), which no anchor starts: n hex digits before it, the first
// a letter, at the start of a token, and the next group followed by the
// same separator.
func lowerHexStart(w []byte, p, n int) bool {
	st := p - n
	if st < 0 || p+n+1 >= len(w) || w[p+n+1] != w[p] || w[st] < 'a' || w[st] > 'f' {
		return false
	}
	if hexEnd(w, st, n) != p || hexEnd(w, p+1, n) != p+n+1 {
		return false
	}
	return st == 0 || !isWord(w[st-1]) && w[st-1] != '.' && w[st-1] != ':' && w[st-1] != '-'
}

// hexEnd returns the end of the run of hex digits from p, reading
// at most n of them.
func hexEnd(w []byte, p, n int) int {
	i := p
	for i < len(w) && i-p < n && isHex(w[i]) {
		i++
	}
	return i
}

// quietColon reports whether colon would find nothing at p without
// calling it: no "//" or second ':' after, no hex digit before, and no key
// after the label. Most colons end a label ("status": 200) and are these.
func quietColon(w []byte, p int) bool {
	if p+1 < len(w) && (w[p+1] == '/' || w[p+1] == ':') || p > 0 && isHex(w[p-1]) {
		return false
	}
	return !keyLength(w, skipSeps(w, p+1, 3))
}

// colon is the ':' anchor: a URL's "://", an IPv6 address whose first group
// starts with a lower-case letter or is empty, or a secret key after a
// label.
func (s *Scanner) colon(b *best, w []byte, p, lo, blo int) {
	if p+2 < len(w) && w[p+1] == '/' && w[p+2] == '/' {
		s.url(b, w, p, blo)
		if b.ok {
			return
		}
	}
	i := p
	for i > blo && p-i < 4 && isHex(w[i-1]) {
		i--
	}
	if i == p && !(p+1 < len(w) && w[p+1] == ':') {
		// no group before: only "::" can start an address here
	} else if i >= blo && (i == 0 || !isHex(w[i-1])) {
		s.hexColon(b, w, i, lo)
		if b.ok {
			return
		}
	}
	s.secretAfter(b, w, p+1, 3, lo)
}

var schemes = [...]string{"http", "https", "ftp", "ftps", "sftp", "ws", "wss", "s3", "file", "ssh", "git", "smb", "ldap", "ldaps", "jdbc", "mailto",
	// Object stores as Hadoop and Spark name them; connection strings,
	// which often hold a user and password.
	"s3a", "s3n", "abfs", "abfss", "wasb", "wasbs", "gcs", "postgres", "postgresql", "mysql", "mongodb", "redis", "rediss", "amqp", "amqps", "smtp", "smtps", "imap", "imaps", "gs", "hdfs"}

// url: scheme://... with a known scheme, to the first character a URL
// cannot hold, less trailing punctuation.
func (s *Scanner) url(b *best, w []byte, p, blo int) {
	if !s.types.Has(URL) {
		return
	}
	i := p
	for i > blo && p-i < 10 && (isAlpha(w[i-1]) || isDigit(w[i-1])) {
		i-- // a scheme: letters, and digits after the first (s3)
	}
	if i == p || !isAlpha(w[i]) || (i > 0 && (isWord(w[i-1]) || w[i-1] == '.' || w[i-1] == '-')) {
		return
	}
	var sch [10]byte
	n := copy(sch[:], w[i:p])
	for k := range n {
		sch[k] |= 0x20
	}
	known := false
	for _, k := range schemes {
		if string(sch[:n]) == k {
			known = true
			break
		}
	}
	if !known || p+3 >= len(w) || !(isWord(w[p+3]) || w[p+3] == '[' || w[p+3] == ':' && p+4 < len(w) && isWord(w[p+4])) {
		return // (redis://:password@host has no user)
	}
	if i >= 5 && wordAt(w, i-5, "jdbc:") && i-5 >= blo {
		i -= 5 // jdbc:postgresql://db:5432/app
	}
	s.offerURL(b, w, i, p+3, 0.9)
}

// queryGoesOn reports whether the ',' at i sits inside a URL's query
// rather than after the URL: the query goes on after it with another
// parameter ("&z=15"), and up to the next space, quote or line's end
// there are only URL bytes and commas, with something between each two.
// (A CSV field after a URL seldom holds '&' or '='; a table's rows are
// kept from this by the caller.)
func queryGoesOn(w []byte, i int) bool {
	param := false
	for i < len(w) && w[i] == ',' {
		j := i + 1
		for j < len(w) && class[w[j]]&cURL != 0 {
			param = param || w[j] == '&' || w[j] == '='
			j++
		}
		if j == i+1 {
			return false // ", " or ",,": the sentence's or the record's
		}
		i = j
	}
	return param && (i == len(w) || w[i] == ' ' || w[i] == '\n' || w[i] == '\r' || w[i] == '\t' || w[i] == '"' || w[i] == '>')
}

// offerURL offers the URL that starts at start, read on from from, and
// marks it to be continued if it was cut at maxURL and is the best yet.
func (s *Scanner) offerURL(b *best, w []byte, start, from int, score float32) {
	if s.hdr.n > 0 && s.hdr.delim == ';' && start >= s.row.st && start < s.row.e {
		// In a row of a ';' table, the delimiter ends the URL, as ','
		// does everywhere.
		if k := bytes.IndexByte(w[from:min(len(w), s.row.e)], ';'); k >= 0 {
			w = w[:from+k]
		}
	}
	commas := !(s.hdr.n > 0 && s.hdr.delim == ',' && start >= s.row.st && start < s.row.e)
	e, capped := urlEnd(w, start, from, commas)
	if e <= from {
		return
	}
	if s.offer(b, start, e, URL, score) && b.m.Start == start && b.m.End == e {
		b.cont = capped
	}
}

// urlEnd returns where a URL that starts at start ends, reading from from,
// and whether it was cut at maxURL with more to come. A ',' ends a URL
// unless commas allows one in its query that the query goes on after
// (?q=51.4545,-2.5879&z=15).
func urlEnd(w []byte, start, from int, commas bool) (int, bool) {
	e := from
	query := false
	for e < len(w) && e-start < maxURL {
		if c := w[e]; class[c]&cURL != 0 {
			query = query || c == '?'
		} else if c != ',' || !commas || !query || !queryGoesOn(w, e) {
			break
		}
		e++
	}
	capped := e-start >= maxURL && e < len(w) && class[w[e]]&cURL != 0
	if capped {
		return e, true
	}
	// Trailing punctuation belongs to the sentence, and a closing bracket
	// to the text around unless the URL opened it.
	for e > from {
		c := w[e-1]
		if c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '\'' {
			e--
			continue
		}
		if c == ')' || c == ']' {
			open := byte('(')
			if c == ']' {
				open = '['
			}
			depth := 0
			for _, x := range w[start : e-1] {
				if x == open {
					depth++
				} else if x == c {
					depth--
				}
			}
			if depth <= 0 {
				e--
				continue
			}
		}
		break
	}
	return e, false
}

// www: a URL without a scheme, www.example.com/...
func (s *Scanner) www(b *best, w []byte, p, blo int) {
	if !s.types.Has(URL) || p-3 < blo || p-3 < 0 {
		return
	}
	st := p - 3
	if w[st]|0x20 != 'w' || w[st+1]|0x20 != 'w' || w[st+2]|0x20 != 'w' {
		return
	}
	if st > 0 && (isWord(w[st-1]) || w[st-1] == '.' || w[st-1] == '/' || w[st-1] == '@' || w[st-1] == '-') {
		return
	}
	// host: at least two more labels
	i, dots := p+1, 0
	for i < len(w) && (isWord(w[i]) || w[i] == '-' || w[i] == '.') && i-st < 256 {
		if w[i] == '.' && i+1 < len(w) && isAlpha(w[i+1]) {
			dots++
		}
		i++
	}
	if dots == 0 {
		return
	}
	s.offerURL(b, w, st, p+1, 0.85)
}

// email: local@domain.tld around the '@' at p; the local part is read
// backwards, no further than blo.
func (s *Scanner) email(b *best, w []byte, p, blo int) {
	if !s.types.Has(EMAIL) {
		return
	}
	i := p
	for i > blo && p-i < 64 && class[w[i-1]]&cLocal != 0 {
		i--
	}
	if i == p || (i > 0 && class[w[i-1]]&cLocal != 0) || w[i] == '.' || w[p-1] == '.' {
		return
	}
	// the local part may not start with punctuation other than '_'
	for i < p && (w[i] == '-' || w[i] == '+' || w[i] == '%') {
		i++
	}
	if i+4 < p && w[i+3] == '+' && isUpper(w[i]) && isUpper(w[i+1]) && isUpper(w[i+2]) && (i == 0 || w[i-1] == '\n' || w[i-1] == '\'') {
		i += 4 // an EDIFACT segment's tag: COM+ap@example.com:EM'
	}
	if i == p {
		return
	}
	j, labels, tld := p+1, 0, 0
	for labels < 127 {
		st := j
		for j < len(w) && (isWord(w[j]) && w[j] != '_' || w[j] == '-') && j-st < 63 {
			j++
		}
		if j == st || w[st] == '-' || w[j-1] == '-' {
			if labels == 0 {
				return
			}
			j = st - 1 // back before the '.'
			break
		}
		labels++
		tld = j - st
		for k := st; k < j; k++ {
			if !isAlpha(w[k]) {
				tld = 0
			}
		}
		if j+1 < len(w) && w[j] == '.' && isWord(w[j+1]) {
			j++
			continue
		}
		break
	}
	if labels < 2 || tld < 2 || (j < len(w) && (isWord(w[j]) || w[j] == '-')) || messageID(w, max(0, p-Lookback), i, j) || s.messageColumn(w, blo, i) {
		return
	}
	s.offer(b, i, j, EMAIL, 0.95)
}

// parenPhone: (555) 123-4567.
func (s *Scanner) parenPhone(b *best, w []byte, p, lo int) {
	if !s.types.Has(PHONE) || p+13 > len(w) || (p > 0 && isWord(w[p-1])) {
		return
	}
	if w[p+1] == '0' {
		s.parenNational(b, w, p, lo)
		return
	}
	var d [10]byte
	n, i := 0, p+1
	take := func(k int) bool {
		for ; k > 0; k-- {
			if i >= len(w) || !isDigit(w[i]) {
				return false
			}
			d[n] = w[i]
			n++
			i++
		}
		return true
	}
	if !take(2) {
		return
	}
	if w[i] == ')' {
		s.parenBrazil(b, w, p, lo)
		return
	}
	if !take(1) || w[i] != ')' {
		return
	}
	i++
	if i < len(w) && w[i] == ' ' {
		i++
	}
	if !take(3) {
		return
	}
	if i < len(w) && (w[i] == '-' || w[i] == ' ' || w[i] == '.') {
		i++
	}
	if !take(4) || !wordEnd(w, i) {
		return
	}
	if p >= 2 && w[p-1] == ' ' && w[p-2] == '1' && p-2 >= s.last && (p == 2 || !isWord(w[p-3]) && w[p-3] != '.') {
		p -= 2 // the country code written without '+': 1 (403) 555-0101
	}
	if nanp(d[:]) {
		s.offer(b, p, i, PHONE, s.ctxScore(w, lo, p, 0.9, 0.95, ctxPhone))
	} else if exampleNANP(d[:]) {
		s.labelled(b, w, lo, p, i, PHONE, ctxPhone)
	}
}

// parenBrazil: an area code of two digits in brackets, then four or five
// digits, '-' and four: (21) 2864-8499, (11) 92806-4306.
func (s *Scanner) parenBrazil(b *best, w []byte, p, lo int) {
	i := p + 4
	if i < len(w) && w[i] == ' ' {
		i++
	}
	j := digitsEnd(w, i)
	if n := j - i; n != 4 && n != 5 || j+5 > len(w) || w[j] != '-' && w[j] != ' ' || digitsEnd(w, j+1) != j+5 || !wordEnd(w, j+5) || w[p+1] == '0' {
		return // (21) 98765-4321, (48) 98678 8694
	}
	s.offer(b, p, j+5, PHONE, s.ctxScore(w, lo, p, 0.8, 0.95, ctxPhone))
}

// e164: +country and number, digits in groups joined by single spaces,
// '-' or '.', an area code perhaps in brackets; 8 to 15 digits.
func (s *Scanner) e164(b *best, w []byte, p, lo int) {
	if keyLength(w, p) {
		s.secret(b, w, p, lo) // a secret key that starts with '+'
	}
	if !s.types.Has(PHONE) || (p > 0 && (isWord(w[p-1]) || w[p-1] == '+' && !(p > 1 && isUpper(w[p-2])))) || p+1 >= len(w) || w[p+1] < '1' || w[p+1] > '9' {
		return
	}
	s.intl(b, w, p, p+1, lo)
}

// intl reads an international number that starts at p with '+' or 00,
// its country code at cc.
func (s *Scanner) intl(b *best, w []byte, p, cc, lo int) {
	var d [16]byte
	n, i, e := 0, cc, cc
	for i < len(w) && n <= 15 {
		c := w[i]
		switch {
		case isDigit(c):
			if n < len(d) {
				d[n] = c
			}
			n++
			i++
			e = i
			continue
		case (c == ' ' || c == '-' || c == '.') && i+1 < len(w) && (isDigit(w[i+1]) || w[i+1] == '(') && i > cc && w[i-1] != ' ':
			i++
			continue
		case c == '(' && i+1 < len(w) && isDigit(w[i+1]):
			i++
			continue
		case c == ')' && i > 0 && isDigit(w[i-1]):
			i++
			continue
		}
		break
	}
	if n < 8 || n > 15 || !wordEnd(w, e) {
		return
	}
	if d[0] == '1' && (n != 11 || !nanp(d[1:11])) {
		if n == 11 && exampleNANP(d[1:11]) {
			s.labelled(b, w, lo, p, e, PHONE, ctxPhone) // +1 (555) 123-4567
		}
		return
	}
	s.offer(b, p, e, PHONE, s.ctxScore(w, lo, p, 0.85, 0.95, ctxPhone))
}
