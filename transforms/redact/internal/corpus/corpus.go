// Package corpus generates realistic documents with PII sprinkled in, and
// the label of every entity it put there: support tickets, CSV exports,
// JSON logs and plain logs, each entity type in several formats, plus
// near-misses that must not match (Luhn-invalid card numbers, SSNs with a
// 000 area, version numbers shaped like IP addresses, UUIDs, hashes).
package corpus

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/olkit/olkit/transforms/redact/internal/detect"
)

// Label is one entity the generator wrote: bytes [Start, End).
type Label struct {
	Start, End int
	Type       detect.Entity
}

// Doc is generated text with its labels.
type Doc struct {
	Data   []byte
	Labels []Label
}

// Generator writes documents from a seed; the same seed gives the same
// bytes.
type Generator struct {
	r   *rand.Rand
	buf bytes.Buffer
	lab []Label
	// PIIRate is the chance that a record carries PII (default 0.025,
	// which gives about 1% of the bytes, log timestamps aside).
	PIIRate float64
}

// New returns a generator seeded with seed.
func New(seed uint64) *Generator {
	return &Generator{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), PIIRate: 0.025}
}

// Generate writes at least size bytes of mixed documents.
func (g *Generator) Generate(size int) Doc {
	g.buf.Reset()
	g.lab = nil
	for g.buf.Len() < size {
		switch g.r.IntN(4) {
		case 0:
			g.logs(20)
		case 1:
			g.csv(20)
		case 2:
			g.jsonLogs(20)
		default:
			g.ticket()
		}
	}
	return Doc{Data: bytes.Clone(g.buf.Bytes()), Labels: g.lab}
}

func (g *Generator) s(format string, args ...any) { fmt.Fprintf(&g.buf, format, args...) }

// pii writes an entity and labels it.
func (g *Generator) pii(t detect.Entity, v string) {
	st := g.buf.Len()
	g.buf.WriteString(v)
	g.lab = append(g.lab, Label{st, g.buf.Len(), t})
}

func (g *Generator) chance(p float64) bool { return g.r.Float64() < p }

var words = strings.Fields(`the a order payment request user account service failed completed retry queue worker
cache hit miss timeout connection reset upstream latency region shipment invoice customer refund ticket
status updated created deleted profile settings session token expired renewed batch job scheduled report`)

func (g *Generator) words(n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = words[g.r.IntN(len(words))]
	}
	return strings.Join(w, " ")
}

func (g *Generator) timestamp() {
	g.pii(detect.DATE_TIME, fmt.Sprintf("2026-%02d-%02dT%02d:%02d:%02d.%03dZ", 1+g.r.IntN(12), 1+g.r.IntN(28),
		g.r.IntN(24), g.r.IntN(60), g.r.IntN(60), g.r.IntN(1000)))
}

// noise writes ordinary values that look a little like PII.
func (g *Generator) noise() {
	switch g.r.IntN(10) {
	case 0:
		g.s("version %d.%d.%d.%d", g.r.IntN(20), g.r.IntN(20), g.r.IntN(100), g.r.IntN(1000))
	case 1:
		g.s("trace=%08x-%04x-%04x-%04x-%012x", g.r.Uint32(), g.r.IntN(65536), g.r.IntN(65536), g.r.IntN(65536), g.r.Int64N(1<<48))
	case 2:
		g.s("sha1=%016x%016x%08x", g.r.Uint64(), g.r.Uint64(), g.r.Uint32())
	case 3:
		g.s("order=%d", 100000+g.r.IntN(900000))
	case 4:
		g.s("amount=%d.%02d", g.r.IntN(10000), g.r.IntN(100))
	case 5:
		g.s("card=%s", g.badCard()) // Luhn-invalid
	case 6:
		g.s("ssn=000-%02d-%04d", 1+g.r.IntN(99), 1+g.r.IntN(9999)) // 000 area
	case 7:
		g.s("build v%d.%d.%d", g.r.IntN(10), g.r.IntN(30), g.r.IntN(300))
	case 8:
		g.s("bytes=%d", g.r.Int64N(1<<40))
	default:
		g.s("ts_unix=%d", 1700000000+g.r.IntN(100000000))
	}
}

func (g *Generator) logs(n int) {
	for range n {
		g.timestamp()
		g.s(" %s [%s] %s ", []string{"INFO", "WARN", "ERROR", "DEBUG"}[g.r.IntN(4)], []string{"api", "billing", "auth"}[g.r.IntN(3)], g.words(3+g.r.IntN(5)))
		g.s("req=%08x path=/api/v2/orders/%d latency_ms=%d ", g.r.Uint32(), g.r.IntN(100000), g.r.IntN(3000))
		g.noise()
		if g.chance(g.PIIRate) {
			g.s(" ")
			g.entity()
		}
		g.s("\n")
	}
}

func (g *Generator) csv(n int) {
	g.s("id,name,email,phone,amount,note\n")
	for i := range n {
		g.s("%d,%s %s,", i+1, []string{"Ada", "Grace", "Linus", "Ken"}[g.r.IntN(4)], []string{"Lovelace", "Hopper", "Torvalds", "Thompson"}[g.r.IntN(4)])
		if g.chance(g.PIIRate * 2) {
			g.pii(detect.EMAIL, g.email())
		}
		g.s(",")
		if g.chance(g.PIIRate * 2) {
			g.pii(detect.PHONE, g.phone())
		}
		g.s(",%d.%02d,", g.r.IntN(5000), g.r.IntN(100))
		if g.chance(g.PIIRate) {
			g.entity()
		} else {
			g.s("%s", g.words(4))
		}
		g.s("\n")
	}
}

func (g *Generator) jsonLogs(n int) {
	for range n {
		g.s(`{"ts":"`)
		g.timestamp()
		g.s(`","level":"info","msg":"%s","status":%d,"duration_ms":%d,`, g.words(4), 200+g.r.IntN(4)*100, g.r.IntN(900))
		if g.chance(g.PIIRate) {
			g.s(`"detail":"`)
			g.entity()
			g.s(`"`)
		} else {
			g.s(`"detail":"`)
			g.noise()
			g.s(`"`)
		}
		g.s("}\n")
	}
}

func (g *Generator) ticket() {
	g.s("Ticket #%d\nSubject: %s\n\nHello, %s. ", 10000+g.r.IntN(90000), g.words(4), g.words(12))
	for range 3 {
		g.s("%s. ", g.words(10+g.r.IntN(10)))
		if g.chance(g.PIIRate * 8) {
			g.entity()
			g.s(". ")
		}
	}
	g.s("\nThanks,\nSupport\n\n")
}

// entity writes one entity of a random type, with the words around it
// that people write.
func (g *Generator) entity() {
	switch g.r.IntN(19) {
	case 0:
		g.s("email ")
		g.pii(detect.EMAIL, g.email())
	case 1:
		g.s("call me at ")
		g.pii(detect.PHONE, g.phone())
	case 2:
		g.s("SSN ")
		g.pii(detect.SSN, g.ssn())
	case 3:
		g.s("card ")
		g.pii(detect.CREDIT_DEBIT_NUMBER, g.card())
	case 4:
		g.s("IBAN ")
		g.pii(detect.INTERNATIONAL_BANK_ACCOUNT_NUMBER, g.iban())
	case 5:
		g.s("routing number ")
		g.pii(detect.BANK_ROUTING, g.valid(9, "", detect.ABA))
	case 6:
		g.s("client ip ")
		g.pii(detect.IP_ADDRESS, g.ip())
	case 7:
		g.s("mac ")
		g.pii(detect.MAC_ADDRESS, g.mac())
	case 8:
		g.s("see ")
		g.pii(detect.URL, fmt.Sprintf("https://portal.example.com/u/%d?ref=%x", g.r.IntN(1e6), g.r.Uint32()))
	case 9:
		g.s("aws_access_key_id=")
		g.pii(detect.AWS_ACCESS_KEY, "AKIA"+g.chars(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"))
		g.s(" aws_secret_access_key=")
		g.pii(detect.AWS_SECRET_KEY, g.secret())
	case 10:
		g.s("BIC ")
		g.pii(detect.SWIFT_CODE, g.chars(4, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")+[]string{"DE", "GB", "FR", "US"}[g.r.IntN(4)]+g.chars(1, "23456789")+g.chars(1, "ABCDEFGHJKLMNPQRSTUVWXYZ"))
	case 11:
		g.s("NI number ")
		pre := "GB"
		for !detect.NINOPrefix(pre[0], pre[1]) {
			pre = g.chars(2, "ABCEGHJKLMNPRSTWXYZ")
		}
		if g.chance(0.3) {
			g.pii(detect.UK_NATIONAL_INSURANCE_NUMBER, pre+" "+g.chars(2, "0123456789")+" "+g.chars(2, "0123456789")+" "+g.chars(2, "0123456789")+" "+g.chars(1, "ABCD"))
		} else {
			g.pii(detect.UK_NATIONAL_INSURANCE_NUMBER, pre+g.chars(6, "0123456789")+g.chars(1, "ABCD"))
		}
	case 12:
		g.s("SIN ")
		d := g.valid(9, "1234567", detect.SIN)
		g.pii(detect.CA_SOCIAL_INSURANCE_NUMBER, d[:3]+"-"+d[3:6]+"-"+d[6:])
	case 13:
		g.s("NHS number ")
		d := g.valid(10, "4", detect.NHS)
		g.pii(detect.UK_NATIONAL_HEALTH_SERVICE_NUMBER, d[:3]+" "+d[3:6]+" "+d[6:])
	case 14:
		g.s("Aadhaar ")
		d := g.valid(12, "23456789", detect.Aadhaar)
		g.pii(detect.IN_AADHAAR, d[:4]+" "+d[4:8]+" "+d[8:])
	case 15:
		g.s("VIN ")
		g.pii(detect.VEHICLE_IDENTIFICATION_NUMBER, g.vin())
	case 16:
		g.s("born ")
		g.pii(detect.DATE_TIME, fmt.Sprintf("%s %d, %d", []string{"Jan", "March", "Sept", "December"}[g.r.IntN(4)], 1+g.r.IntN(28), 1940+g.r.IntN(70)))
	case 17:
		g.s("ITIN ")
		d := g.valid(9, "9", detect.ITIN)
		g.pii(detect.US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER, d[:3]+"-"+d[3:5]+"-"+d[5:])
	default:
		g.s("ipv6 ")
		g.pii(detect.IP_ADDRESS, fmt.Sprintf("2001:db8:%x:%x::%x", g.r.IntN(65536), g.r.IntN(65536), 1+g.r.IntN(65535)))
	}
}

func (g *Generator) chars(n int, from string) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = from[g.r.IntN(len(from))]
	}
	return string(b)
}

// valid returns n random digits, the first from first (any digit when
// empty), that pass check.
func (g *Generator) valid(n int, first string, check func([]byte) bool) string {
	if first == "" {
		first = "0123456789"
	}
	for {
		d := []byte(g.chars(1, first) + g.chars(n-1, "0123456789"))
		for c := byte('0'); c <= '9'; c++ {
			d[n-1] = c
			if check(d) {
				return string(d)
			}
		}
	}
}

func (g *Generator) email() string {
	return fmt.Sprintf("%s.%s%d@%s", []string{"ada", "grace", "linus", "ken"}[g.r.IntN(4)], []string{"lovelace", "hopper", "t"}[g.r.IntN(3)], g.r.IntN(100),
		[]string{"example.com", "mail.example.org", "corp.example.co.uk"}[g.r.IntN(3)])
}

func (g *Generator) phone() string {
	a, x, n := 201+g.r.IntN(798), 201+g.r.IntN(798), g.r.IntN(10000)
	for a%100 == 11 || x%100 == 11 {
		a, x = 201+g.r.IntN(798), 201+g.r.IntN(798)
	}
	switch g.r.IntN(4) {
	case 0:
		return fmt.Sprintf("(%d) %d-%04d", a, x, n)
	case 1:
		return fmt.Sprintf("%d-%d-%04d", a, x, n)
	case 2:
		return fmt.Sprintf("+1 %d %d %04d", a, x, n)
	default:
		return fmt.Sprintf("+44 20 %04d %04d", g.r.IntN(10000), n)
	}
}

func (g *Generator) ssn() string {
	for {
		d := fmt.Sprintf("%03d%02d%04d", 1+g.r.IntN(899), 1+g.r.IntN(99), 1+g.r.IntN(9999))
		if detect.ValidSSN([]byte(d)) {
			return d[:3] + "-" + d[3:5] + "-" + d[5:]
		}
	}
}

func (g *Generator) card() string {
	var d string
	switch g.r.IntN(3) {
	case 0:
		d = g.valid(16, "4", detect.Card)
	case 1:
		for !strings.HasPrefix(d, "5") || !detect.Card([]byte(d)) {
			d = "5" + g.chars(1, "12345") + g.valid(14, "", func([]byte) bool { return true })
			b := []byte(d)
			for c := byte('0'); c <= '9'; c++ {
				b[15] = c
				if detect.Card(b) {
					break
				}
			}
			d = string(b)
		}
	default:
		for !detect.Card([]byte(d)) {
			b := []byte("3" + g.chars(1, "47") + g.chars(13, "0123456789"))
			for c := byte('0'); c <= '9'; c++ {
				b[14] = c
				if detect.Card(b) {
					break
				}
			}
			d = string(b)
		}
		if g.chance(0.5) {
			return d[:4] + " " + d[4:10] + " " + d[10:]
		}
		return d
	}
	if g.chance(0.5) {
		return d[:4] + " " + d[4:8] + " " + d[8:12] + " " + d[12:]
	}
	return d
}

// badCard is a 16-digit Visa-shaped number that fails Luhn.
func (g *Generator) badCard() string {
	d := []byte(g.valid(16, "4", detect.Card))
	d[15] = '0' + (d[15]-'0'+1)%10
	return string(d)
}

func (g *Generator) iban() string {
	cc := []string{"DE", "GB", "FR", "NL", "ES"}[g.r.IntN(5)]
	n := detect.IBANLength([]byte(cc))
	var bban string
	if cc == "GB" || cc == "NL" {
		bban = g.chars(4, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") + g.chars(n-8, "0123456789")
	} else {
		bban = g.chars(n-4, "0123456789")
	}
	var s string
	for ck := 2; ck < 99; ck++ {
		s = fmt.Sprintf("%s%02d%s", cc, ck, bban)
		if detect.IBAN([]byte(s)) {
			break
		}
	}
	if g.chance(0.5) {
		var b strings.Builder
		for i := 0; i < len(s); i += 4 {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(s[i:min(len(s), i+4)])
		}
		return b.String()
	}
	return s
}

func (g *Generator) ip() string {
	return fmt.Sprintf("%d.%d.%d.%d", 1+g.r.IntN(223), g.r.IntN(256), g.r.IntN(256), 1+g.r.IntN(254))
}

func (g *Generator) mac() string {
	sep := []string{":", "-"}[g.r.IntN(2)]
	p := make([]string, 6)
	for i := range p {
		p[i] = fmt.Sprintf("%02X", g.r.IntN(256))
	}
	return strings.Join(p, sep)
}

func (g *Generator) secret() string {
	for {
		s := g.chars(40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
		var up, low, other bool
		for _, c := range s {
			switch {
			case c >= 'A' && c <= 'Z':
				up = true
			case c >= 'a' && c <= 'z':
				low = true
			default:
				other = true
			}
		}
		if up && low && other {
			return s
		}
	}
}

func (g *Generator) vin() string {
	const chars = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
	for {
		b := []byte(g.chars(1, "12345") + g.chars(11, chars) + g.chars(5, "0123456789"))
		for _, c := range []byte("0123456789X") {
			b[8] = c
			if detect.VIN(b) {
				return string(b)
			}
		}
	}
}
