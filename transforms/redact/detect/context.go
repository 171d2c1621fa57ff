package detect

// Context words raise a candidate's confidence when they appear shortly
// before it ("SSN: 123-45-6789"). They are matched case-insensitively as
// whole words, except that a word may be glued to others with '_' or in
// camelCase ("aws_secret_access_key", "SecretAccessKey").
var (
	ctxSSN     = []string{"ssn", "social security", "social sec", "ss#", "ss #"}
	ctxITIN    = []string{"itin", "taxpayer", "tax id", "tin"}
	ctxSIN     = []string{"sin", "social insurance", "insurance number"}
	ctxRouting = []string{"routing", "aba", "rtn", "transit", "bank"}
	ctxPhone   = []string{"phone", "tel", "telephone", "mobile", "cell", "fax", "call", "contact", "ph"}
	ctxNHS     = []string{"nhs", "health service", "nhs number"}
	ctxAadhaar = []string{"aadhaar", "aadhar", "uid", "uidai"}
	ctxCard    = []string{"card", "visa", "mastercard", "amex", "credit", "debit", "cc", "pan"}
	ctxNINO    = []string{"nino", "national insurance", "ni number", "ni no", "nin"}
	ctxSWIFT   = []string{"swift", "bic"}
	ctxVIN     = []string{"vin", "vehicle", "chassis"}
	ctxDate    = []string{"dob", "birth", "born", "birthday", "date"}
	ctxIBAN    = []string{"iban"}
	ctxMAC     = []string{"mac", "hwaddr", "ether", "bssid"}
)

// hasContext reports whether one of words occurs in w[lo:start] within
// ctxWindow bytes of start.
func hasContext(w []byte, lo, start int, words []string) bool {
	return contextWithin(w, lo, start, ctxWindow, words)
}

func contextWithin(w []byte, lo, start, window int, words []string) bool {
	return contextDistance(w, lo, start, window, words) >= 0
}

// contextDistance returns how many bytes before start the nearest of words
// ends, or -1.
func contextDistance(w []byte, lo, start, window int, words []string) int {
	from := max(lo, start-window)
	if from >= start {
		return -1
	}
	orig := w[from:start]
	n := len(orig)
	best := -1
	for _, word := range words {
		first := word[0]
	scan:
		for i := n - len(word); i >= 0; i-- {
			if orig[i]|0x20 != first {
				continue
			}
			for k := 1; k < len(word); k++ {
				c := orig[i+k]
				if c >= 'A' && c <= 'Z' {
					c += 'a' - 'A'
				}
				if c != word[k] {
					continue scan
				}
			}
			if ctxBoundary(orig, i-1, i) && ctxBoundary(orig, i+len(word), i+len(word)-1) {
				if d := n - i - len(word); best < 0 || d < best {
					best = d
				}
				break
			}
		}
	}
	return best
}

// lastWord returns the word (letters, lower-cased) right before start,
// past at most three separators (space, ':', '=', quotes).
func lastWord(w []byte, lo, start int, buf *[16]byte) []byte {
	i := start
	for k := 0; k < 3 && i > lo; k++ {
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
	// camelCase: "SecretKey" ends "secret" at 't'|'K'; "awsSecret" starts at 'S'.
	if j > inside {
		return isUpper(c) && isLower(orig[inside])
	}
	return isLower(c) && isUpper(orig[inside])
}
