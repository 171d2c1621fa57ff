package detect

// Topics: a bare number of nine, ten or twelve digits says little alone
// (an order number passes a checksum one time in ten), and its label is
// often far above it: an "NHS" heading over a register, "ITIN" in the
// paragraph before a list of numbers, a column of SINs where only the
// first is labelled. So the scanner remembers, per type, where the type
// was last named by its acronym or name in capitals ("NHS", "ITIN",
// "Aadhaar") or last found, and a value that passes its type's checks
// within topicWindow bytes after that is taken as one. Only what the
// scanner reads anyway is remembered (capitalised words are anchors), in
// order, so chunking still changes nothing.

// topicTypes are the types whose topic words the scanner notes.
var topicTypes = SetOf(UK_NATIONAL_HEALTH_SERVICE_NUMBER, US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER,
	CA_SOCIAL_INSURANCE_NUMBER, SSN, IN_AADHAAR, BANK_ROUTING, AWS_SECRET_KEY, VEHICLE_IDENTIFICATION_NUMBER)

// topicWindow is how far after a mention or a value of a type a bare
// value of it is still taken as one.
const topicWindow = 1024

// never is where a type never seen was seen: far enough before any buffer
// that no window reaches it, and no Shift overflows it.
const never = -1 << 40

func (s *Scanner) forgetTopics() {
	for i := range s.seen {
		s.seen[i] = never
	}
}

// topic reports whether type t was named or found within topicWindow
// bytes before p.
func (s *Scanner) topic(t Entity, p int) bool { return p-s.seen[t] <= topicWindow }

// found records a match as a mention of its type, and of the type that
// usually goes with it: a secret key with its access key id, NHS numbers
// with a UK record.
func (s *Scanner) found(m Match) {
	s.seen[m.Type] = m.End
	switch m.Type {
	case AWS_ACCESS_KEY:
		s.seen[AWS_SECRET_KEY] = m.End
	case UK_NATIONAL_INSURANCE_NUMBER:
		// A UK record: a number of the NHS number's shape in it is more
		// likely one than a North American phone number.
		s.seen[UK_NATIONAL_HEALTH_SERVICE_NUMBER] = m.End
	}
}

// noteCaps records the word of n capitals at p (a plural 's' after them
// allowed) if it names a type.
func (s *Scanner) noteCaps(w []byte, p, n int) {
	if c := w[p]; c != 'N' && c != 'S' && c != 'A' && c != 'R' && c != 'I' && c != 'M' && c != 'U' && c != 'V' && (c != 'E' || n != 4) {
		return
	}
	if e := p + n; e < len(w) && w[e] == 's' {
		if e+1 < len(w) && isWord(w[e+1]) {
			return
		}
	} else if e < len(w) && isWord(w[e]) {
		return
	}
	t := capsTopic(w[p : p+n])
	if t != None {
		s.seen[t] = p + n
	}
}

// capsTopic returns the type a word of capitals names, or None. Most words
// of capitals in logs (INFO, GET, UTC) are turned away by their length
// and first letter.
func capsTopic(word []byte) Entity {
	switch len(word) {
	case 3:
		switch string(word) {
		case "NHS":
			return UK_NATIONAL_HEALTH_SERVICE_NUMBER
		case "SIN", "NAS":
			return CA_SOCIAL_INSURANCE_NUMBER
		case "SSN":
			return SSN
		case "ABA", "RTN":
			return BANK_ROUTING
		case "VIN":
			return VEHICLE_IDENTIFICATION_NUMBER
		}
	case 4:
		switch string(word) {
		case "EPFO": // India's provident fund, whose KYC files list Aadhaar numbers
			return IN_AADHAAR
		case "ITIN":
			return US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER
		case "MICR":
			return BANK_ROUTING
		}
	case 5:
		switch string(word) {
		case "UIDAI":
			return IN_AADHAAR
		case "NHSNO":
			return UK_NATIONAL_HEALTH_SERVICE_NUMBER
		}
	case 7:
		if string(word) == "AADHAAR" {
			return IN_AADHAAR
		}
	case 9:
		if string(word) == "NHSNUMBER" { // a header's, glued
			return UK_NATIONAL_HEALTH_SERVICE_NUMBER
		}
	}
	return None
}

// noteWord records the capitalised word at p if it names a type.
func (s *Scanner) noteWord(w []byte, p int) {
	var t Entity
	var n int
	switch {
	case wordAt(w, p, "Aadhaar"):
		t, n = IN_AADHAAR, 7
	case wordAt(w, p, "Aadhar"):
		t, n = IN_AADHAAR, 6
	case wordAt(w, p, "Routing"):
		t, n = BANK_ROUTING, 7
	case wordAt(w, p, "Secret"):
		t, n = AWS_SECRET_KEY, 6
	default:
		return
	}
	if wordEnd(w, p+n) {
		s.seen[t] = p + n
	}
}

// bareTopicScore is topicScore for a run of digits alone, which a label
// of its own names as something else ("bytes=278027800365").
func (s *Scanner) bareTopicScore(w []byte, lo int, t Entity, p int, base, raised float32) float32 {
	if base >= raised || labelledOther(w, lo, p) {
		return base
	}
	return s.topicScore(t, p, base, raised)
}

// labelledOther reports whether a label is written right before p as key
// and value are: a word, then ':' or '=' (quotes and a space allowed).
func labelledOther(w []byte, lo, p int) bool {
	i := p
	for k := 0; k < 2 && i > lo && (w[i-1] == '"' || w[i-1] == '\'' || w[i-1] == ' '); k++ {
		i--
	}
	if i <= lo || w[i-1] != ':' && w[i-1] != '=' {
		return false
	}
	i--
	for k := 0; k < 2 && i > lo && (w[i-1] == '"' || w[i-1] == '\'' || w[i-1] == ' '); k++ {
		i--
	}
	return i > lo && isWord(w[i-1])
}

// topicScore is base, or raised when t is the topic at p.
// labelIs reports whether the label right before p ("phone: ",
// "tel=") is one of words.
func (s *Scanner) labelIs(w []byte, lo, p int, words *wordSet) bool {
	var lw [16]byte
	l := lastWord(w, lo, p, &lw)
	return len(l) > 0 && contextDistance(l, 0, len(l), len(l), words) >= 0
}

func (s *Scanner) topicScore(t Entity, p int, base, raised float32) float32 {
	if base < raised && s.topic(t, p) {
		return raised
	}
	return base
}
