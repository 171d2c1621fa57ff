package detect

// Context words raise a candidate's confidence when they appear shortly
// before it ("SSN: 123-45-6789") or, in a CSV or TSV table, in the name of
// its column (see columns.go). They are matched case-insensitively as
// whole words, except that a word may be glued to others with '_' or in
// camelCase ("aws_secret_access_key", "SecretAccessKey").
var (
	ctxSSN     = words("ssn", "social security", "social sec", "ss#", "ss #")
	ctxITIN    = words("itin", "taxpayer", "tax id", "tax_id", "taxid", "tin")
	ctxSIN     = words("sin", "s.i.n", "social insurance", "insurance number", "nas", "assurance sociale")
	ctxRouting = words("routing", "aba", "rtn", "transit", "bank", "route", "rdfi", "odfi")
	ctxPhone   = words("phone", "tel", "telephone", "mobile", "cell", "fax", "call", "contact", "ph", "msisdn",
		"calling", "called", "caller", "callee",
		"mob", "móvil", "movil", "teléfono", "telefono", "tlf", "telefon", "handy", "mobil", "portable", "téléphone", "celular",
		"contacto", "telefone", "telemóvel", "telemovel", "llamar", "llamarnos", "chiamare", "chiamarci", "cel", "gsm",
		"sms", "telefoon", "mobiel")
	ctxNHS     = words("nhs", "health service", "nhs number", "nhsnumber", "nhsno") // (and as headers glue it: NHSNUMBER)
	ctxAadhaar = words("aadhaar", "aadhar", "uid", "uidai")
	ctxCard    = words("card", "visa", "mastercard", "amex", "credit", "debit", "cc", "pan")
	ctxNINO    = words("nino", "national insurance", "ni number", "ni no", "nin")
	ctxSWIFT   = words("swift", "bic", "bicfi", "anybic", "intermediary", "correspondent") // (and ISO 20022's tags)
	ctxVIN     = words("vin", "vehicle", "chassis")
	ctxDate    = words("dob", "birth", "born", "birthday", "date", "effective", "expiry", "expires", "issued",
		"bday", "dtstart", "dtend", "due") // (vCard's and iCalendar's too)
	ctxExpiry  = words("exp", "expiry", "expires", "expiration", "valid", "thru") // a card's: exp 09/27, valid thru
	ctxVersion = words("version", "ver", "vers", "firmware", "fw", "release", "build", "rev", "revision", "oid")
	ctxIBAN    = words("iban")
	ctxMAC     = words("mac", "hwaddr", "ether", "bssid", "network address", "physical address", "macaddress", "sta") // (hostapd's STA)
	ctxSecret  = words("secret", "secretaccesskey", "secret_access_key", "aws_secret_access_key", "secretkey")
)

// wordSet is a list of context words (lower case, each starting with a
// letter) with the set of their first letters, so one backward pass over
// the text tries only the words that can start at each byte.
type wordSet struct {
	byFirst [26][]string // the words, by first letter
	first   uint32       // bit c-'a' for each first letter c
	maxLen  int
}

func words(ws ...string) *wordSet {
	s := &wordSet{}
	for _, w := range ws {
		s.byFirst[w[0]-'a'] = append(s.byFirst[w[0]-'a'], w)
		s.first |= 1 << (w[0] - 'a')
		s.maxLen = max(s.maxLen, len(w))
	}
	return s
}

// has reports whether word, in lower case, is one of ws.
func (ws *wordSet) has(word []byte) bool {
	if len(word) == 0 || word[0] < 'a' || word[0] > 'z' {
		return false
	}
	for _, x := range ws.byFirst[word[0]-'a'] {
		if x == string(word) {
			return true
		}
	}
	return false
}

// hasContext reports whether one of words occurs in w[lo:start] within
// ctxWindow bytes of start, or names start's column.
func (s *Scanner) hasContext(w []byte, lo, start int, words *wordSet) bool {
	return s.contextWithin(w, lo, start, ctxWindow, words)
}

func (s *Scanner) contextWithin(w []byte, lo, start, window int, words *wordSet) bool {
	return s.ctxDistance(w, lo, start, window, words) >= 0
}

// contextDistance returns how many bytes before start the nearest of words
// ends, or -1.
func contextDistance(w []byte, lo, start, window int, ws *wordSet) int {
	return wordDistance(w, lo, start, window, ws, false)
}

// nameHas reports whether a column's name holds one of ws, perhaps as a
// plural (dependent_tins, phones): a column is named for what each of its
// cells holds.
func nameHas(name []byte, ws *wordSet) bool {
	return wordDistance(name, 0, len(name), len(name), ws, true) >= 0
}

// wordDistance is contextDistance, with a word's plural 's' allowed when
// plural.
func wordDistance(w []byte, lo, start, window int, ws *wordSet, plural bool) int {
	from := max(lo, start-window)
	if from >= start {
		return -1
	}
	orig := w[from:start]
	n := len(orig)
	best := -1
	for i := n - 1; i >= 0; i-- {
		if best >= 0 && n-i-ws.maxLen >= best {
			break // every word starting here or before ends further away
		}
		c := orig[i] | 0x20
		if c < 'a' || c > 'z' || ws.first&(1<<(c-'a')) == 0 {
			continue
		}
	words:
		for _, word := range ws.byFirst[c-'a'] {
			if i+len(word) > n {
				continue
			}
			for k := 1; k < len(word); k++ {
				c := orig[i+k]
				if c >= 'A' && c <= 'Z' {
					c += 'a' - 'A'
				}
				if c != word[k] {
					continue words
				}
			}
			if !ctxBoundary(orig, i-1, i) {
				continue
			}
			// A plural's 's' (dependent_tins, phones) may end the word.
			if end := i + len(word); !ctxBoundary(orig, end, end-1) && (!plural || orig[end] != 's' || !ctxBoundary(orig, end+1, end)) {
				continue
			}
			if d := n - i - len(word); best < 0 || d < best {
				best = d
			}
		}
	}
	return best
}

// lastWord returns the word (letters, lower-cased) right before start,
// past at most four separators (space, ':', '=', quotes: "mobile": ").
func lastWord(w []byte, lo, start int, buf *[16]byte) []byte {
	i := start
	for k := 0; k < 4 && i > lo; k++ {
		c := w[i-1]
		if c != ' ' && c != ':' && c != '=' && c != '"' && c != '\'' && c != '\t' {
			break
		}
		i--
	}
	j := i
	for j > lo && i-j < len(buf) && isAlpha(w[j-1]) {
		j--
	}
	n := copy(buf[:], w[j:i])
	for k := range n {
		buf[k] |= 0x20
	}
	return buf[:n]
}

// ctxBoundary reports whether a word may end (or start) next to index j:
// outside the window, a non-letter, or a camelCase change.
func ctxBoundary(orig []byte, j, inside int) bool {
	if j < 0 || j >= len(orig) {
		return true
	}
	c := orig[j]
	if !isAlpha(c) {
		return true
	}
	// camelCase: "SecretKey" ends "secret" at 't'|'K'; "awsSecret" starts at 'S';
	// "NHSNumber" ends "nhs" at 'S'|'Nu'.
	if j > inside {
		return isUpper(c) && (isLower(orig[inside]) || isUpper(orig[inside]) && j+1 < len(orig) && isLower(orig[j+1]))
	}
	return isLower(c) && isUpper(orig[inside])
}
