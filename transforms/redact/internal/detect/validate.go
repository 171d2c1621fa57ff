package detect

// The validators work on ASCII digit strings ('0'..'9') unless said
// otherwise; callers have already checked the characters.

// Luhn reports whether the digit string passes the Luhn (mod 10) check
// used by payment cards and Canadian SINs.
func Luhn(d []byte) bool {
	if len(d) == 0 {
		return false
	}
	sum, dbl := 0, false
	for i := len(d) - 1; i >= 0; i-- {
		v := int(d[i] - '0')
		if dbl {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
		dbl = !dbl
	}
	return sum%10 == 0
}

// ABA reports whether a 9-digit US bank routing (ABA) number has a valid
// checksum and a prefix the Federal Reserve assigns (00-12, 21-32, 61-72,
// 80).
func ABA(d []byte) bool {
	if len(d) != 9 {
		return false
	}
	p := int(d[0]-'0')*10 + int(d[1]-'0')
	if !(p <= 12 || (p >= 21 && p <= 32) || (p >= 61 && p <= 72) || p == 80) {
		return false
	}
	w := [9]int{3, 7, 1, 3, 7, 1, 3, 7, 1}
	sum := 0
	for i, c := range d {
		sum += w[i] * int(c-'0')
	}
	return sum%10 == 0 && !allSame(d)
}

// ValidSSN reports whether a 9-digit string may be a US Social Security Number
// under the SSA's rules: area not 000, 666 or 9xx; group not 00; serial not
// 0000. Well-known advertising numbers (078-05-1120, 219-09-9999) are
// refused too.
func ValidSSN(d []byte) bool {
	if len(d) != 9 {
		return false
	}
	area := num(d[:3])
	if area == 0 || area == 666 || area >= 900 || num(d[3:5]) == 0 || num(d[5:]) == 0 {
		return false
	}
	s := string(d)
	return s != "078051120" && s != "219099999" && s != "123456789"
}

// ITIN reports whether a 9-digit string is a US Individual Taxpayer
// Identification Number: 9xx, group 50-65, 70-88, 90-92 or 94-99.
func ITIN(d []byte) bool {
	if len(d) != 9 || d[0] != '9' {
		return false
	}
	g := num(d[3:5])
	return (g >= 50 && g <= 65) || (g >= 70 && g <= 88) || (g >= 90 && g <= 92) || (g >= 94 && g <= 99)
}

// SIN reports whether a 9-digit string is a Canadian Social Insurance
// Number: Luhn valid, not starting with 0 or 8.
func SIN(d []byte) bool {
	return len(d) == 9 && d[0] != '0' && d[0] != '8' && Luhn(d) && !allSame(d)
}

// NHS reports whether a 10-digit string passes the NHS number's modulus 11
// check.
func NHS(d []byte) bool {
	if len(d) != 10 || allSame(d) {
		return false
	}
	sum := 0
	for i := 0; i < 9; i++ {
		sum += int(d[i]-'0') * (10 - i)
	}
	check := 11 - sum%11
	if check == 11 {
		check = 0
	}
	return check != 10 && check == int(d[9]-'0')
}

var verhoeffD = [10][10]uint8{
	{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5},
	{2, 3, 4, 0, 1, 7, 8, 9, 5, 6}, {3, 4, 0, 1, 2, 8, 9, 5, 6, 7},
	{4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
	{6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3},
	{8, 7, 6, 5, 9, 3, 2, 1, 0, 4}, {9, 8, 7, 6, 5, 4, 3, 2, 1, 0},
}

var verhoeffP = [8][10]uint8{
	{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4},
	{5, 8, 0, 3, 7, 9, 6, 1, 4, 2}, {8, 9, 1, 6, 0, 4, 3, 5, 2, 7},
	{9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
	{2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8},
}

// Verhoeff reports whether the digit string passes the Verhoeff check.
func Verhoeff(d []byte) bool {
	c := uint8(0)
	for i := 0; i < len(d); i++ {
		c = verhoeffD[c][verhoeffP[i%8][d[len(d)-1-i]-'0']]
	}
	return len(d) > 0 && c == 0
}

// Aadhaar reports whether a 12-digit string is an Indian Aadhaar number:
// first digit 2-9, Verhoeff valid.
func Aadhaar(d []byte) bool {
	return len(d) == 12 && d[0] >= '2' && Verhoeff(d) && !allSame(d)
}

// CardIssuer reports whether a payment card number of this length has a
// known issuer prefix (Visa, Mastercard, American Express, Discover, JCB,
// Diners Club, UnionPay, Maestro).
func CardIssuer(d []byte) bool {
	n := len(d)
	if n < 13 || n > 19 {
		return false
	}
	p2 := num(d[:2])
	p4 := num(d[:4])
	p6 := num(d[:6])
	switch {
	case d[0] == '4': // Visa
		return n == 13 || n == 16 || n == 19
	case p2 >= 51 && p2 <= 55, p4 >= 2221 && p4 <= 2720: // Mastercard
		return n == 16
	case p2 == 34 || p2 == 37: // Amex
		return n == 15
	case p4 == 6011, p2 == 65, p4 >= 6440 && p4 <= 6499, p6 >= 622126 && p6 <= 622925: // Discover
		return n >= 16
	case p4 >= 3528 && p4 <= 3589: // JCB
		return n >= 16
	case p4 >= 3000 && p4 <= 3059, p2 == 36, p2 == 38, p2 == 39: // Diners
		return n >= 14
	case p2 == 62: // UnionPay
		return n >= 16
	case p2 == 50, p2 >= 56 && p2 <= 69: // Maestro
		return n >= 13
	}
	return false
}

// Card reports whether d is a payment card number: Luhn valid with a known
// issuer prefix and length.
func Card(d []byte) bool { return CardIssuer(d) && Luhn(d) }

// ibanLengths is the IBAN length of each country in the SWIFT IBAN
// registry.
var ibanLengths = map[string]int{
	"AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27,
	"BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28,
	"EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
	"GL": 18, "GR": 27, "GT": 28, "HN": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
	"IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21,
	"LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28,
	"NL": 18, "NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22,
	"RU": 33, "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25,
	"SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}

// ibanLength is ibanLengths indexed by the two capitals, for the scanner,
// which asks at every candidate.
var ibanLength = func() (t [26 * 26]uint8) {
	for cc, n := range ibanLengths {
		t[int(cc[0]-'A')*26+int(cc[1]-'A')] = uint8(n)
	}
	return t
}()

// IBANLength returns the IBAN length for a two-letter country code, or 0.
func IBANLength(cc []byte) int {
	if len(cc) != 2 {
		return 0
	}
	return ibanLen(cc[0], cc[1])
}

// ibanLen returns the IBAN length for the country a, b (capitals), or 0.
func ibanLen(a, b byte) int {
	if a < 'A' || a > 'Z' || b < 'A' || b > 'Z' {
		return 0
	}
	return int(ibanLength[int(a-'A')*26+int(b-'A')])
}

// IBAN reports whether s (upper-case letters and digits, no spaces) is an
// IBAN: a registry country, that country's length, check digits passing
// ISO 7064 mod 97-10.
func IBAN(s []byte) bool {
	if len(s) < 15 || IBANLength(s[:2]) != len(s) || !isDigit(s[2]) || !isDigit(s[3]) {
		return false
	}
	rem := 0
	add := func(c byte) bool {
		switch {
		case isDigit(c):
			rem = (rem*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			rem = (rem*100 + int(c-'A'+10)) % 97
		default:
			return false
		}
		return true
	}
	for _, c := range s[4:] {
		if !add(c) {
			return false
		}
	}
	for _, c := range s[:4] {
		add(c)
	}
	return rem == 1
}

// vinValue is the transliteration of VIN characters (0 for I, O, Q, which
// VINs never use, and anything else).
var vinValue = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = int8(c - '0')
	}
	for i, c := range "ABCDEFGH" {
		t[c] = int8(i + 1)
	}
	for i, c := range "JKLMN" {
		t[c] = int8(i + 1)
	}
	t['P'], t['R'] = 7, 9
	for i, c := range "STUVWXYZ" {
		t[c] = int8(i + 2)
	}
	return t
}()

// VINChars reports whether s is 17 characters VINs may use (digits and
// capitals except I, O, Q).
func VINChars(s []byte) bool {
	if len(s) != 17 {
		return false
	}
	for _, c := range s {
		if vinValue[c] < 0 {
			return false
		}
	}
	return true
}

// VIN reports whether s is a 17-character vehicle identification number
// whose ninth character is the check digit of ISO 3779 / 49 CFR 565 (used
// for North American VINs, and by many others).
func VIN(s []byte) bool {
	if !VINChars(s) {
		return false
	}
	w := [17]int{8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2}
	sum := 0
	for i, c := range s {
		sum += int(vinValue[c]) * w[i]
	}
	r := sum % 11
	if r == 10 {
		return s[8] == 'X'
	}
	return s[8] == byte('0'+r)
}

// NINOPrefix reports whether two capitals may begin a UK National Insurance
// number: neither D, F, I, Q, U, V; O not second; not BG, GB, KN, NK, NT,
// TN, ZZ.
func NINOPrefix(a, b byte) bool {
	bad := func(c byte) bool { return c == 'D' || c == 'F' || c == 'I' || c == 'Q' || c == 'U' || c == 'V' }
	if a < 'A' || a > 'Z' || b < 'A' || b > 'Z' || bad(a) || bad(b) || b == 'O' {
		return false
	}
	switch string([]byte{a, b}) {
	case "BG", "GB", "KN", "NK", "NT", "TN", "ZZ":
		return false
	}
	return true
}

// countries is every ISO 3166-1 alpha-2 code, for SWIFT codes.
const countries = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
	"CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
	"GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP " +
	"KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT " +
	"MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW " +
	"SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG " +
	"UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW"

var countrySet = func() (t [26 * 26]bool) {
	for i := 0; i+1 < len(countries); i += 3 {
		t[int(countries[i]-'A')*26+int(countries[i+1]-'A')] = true
	}
	return t
}()

// Country reports whether a, b is an ISO 3166-1 alpha-2 country code.
func Country(a, b byte) bool {
	if a < 'A' || a > 'Z' || b < 'A' || b > 'Z' {
		return false
	}
	return countrySet[int(a-'A')*26+int(b-'A')]
}

func num(d []byte) int {
	n := 0
	for _, c := range d {
		n = n*10 + int(c-'0')
	}
	return n
}

func allSame(d []byte) bool {
	for _, c := range d[1:] {
		if c != d[0] {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
