package detect

// National phone numbers: how the UK, India, France, Germany (and the
// Netherlands, Australia and most of Europe) write a number at home, with
// the trunk prefix 0 instead of +country: 07758 504408, 020 7617 3192,
// 022-92879476, 06 12 34 56 78, (030) 1234567. A number of digits alone
// says nothing; what tells a phone number from an order number is the
// numbering plan: a trunk 0 and an area code that does not start with 0
// (00 dials abroad), an area code of a length the plans use, grouped as
// they group it, the subscriber number after it, and a total length the
// plans allow. This is a hand-written table rather than a port of
// libphonenumber: that library parses a candidate in about 20 µs and 60
// allocations per region tried, more than the scanner spends on 4 KB of
// text, and the regions are not known here.

// trunkPlan reports whether digits d (with the trunk 0), whose area code
// (with the 0) is area digits long, fit a national numbering plan.
func trunkPlan(d []byte, area int) bool {
	n := len(d)
	if n == 11 && d[0] == '0' && d[1] >= '6' && area == 6 {
		return true // an Indian mobile number after a trunk 0: 098765 43210
	}
	if n < 10 || n > 12 || d[0] != '0' || d[1] == '0' || area < 2 || area > 5 || area >= n-4 {
		return false
	}
	switch n {
	case 10:
		// France, the Netherlands, Australia (0x, two digits of area),
		// Germany (030 1234567, 0221 123456).
		return true
	case 11:
		// The UK and India; Germany. The UK's 02x area codes are three
		// digits long, its mobiles (07xxx) five or four.
		if d[1] == '2' && area != 3 && (d[2] == '0' || d[2] == '3' || d[2] == '8' || d[2] == '9') {
			return false
		}
		return area >= 3
	default:
		// Twelve digits: German mobiles (0151 23456789) and the longer
		// German area codes.
		return area >= 3 && (d[1] == '1' || area >= 4)
	}
}

// national tries a number with a trunk prefix, in groups joined by one
// separator (space, '-', '/', or '.' for French pairs), and an Indian
// mobile number written 98765 43210.
func (s *Scanner) national(b *best, w []byte, p, lo int, g *groups) {
	if g.n < 2 || !s.types.Has(PHONE) || g.sep[0] == g.before {
		return
	}
	var dbuf [24]byte
	sep := g.sep[0]
	if w[p] != '0' {
		// India: ten digits from 6-9, written in two groups of five.
		if w[p] >= '6' && g.token(w, " -", 5, 5) {
			s.offer(b, p, g.e[1], PHONE, s.ctxScore(w, lo, p, 0.6, 0.95, ctxPhone))
		}
		return
	}
	if g.token(w, " .-", 2, 2, 2, 2, 2) {
		// France: five pairs.
		if d := g.digits(w, 5, &dbuf); d[1] != '0' {
			s.offer(b, p, g.e[4], PHONE, s.ctxScore(w, lo, p, 0.8, 0.95, ctxPhone))
		}
		return
	}
	if sep == '.' || sep == ':' || w[g.s[1]] == '0' {
		return // the subscriber number never starts with 0
	}
	// The area code, then the subscriber number whole or in groups of
	// three or more joined by one separator (a space or '-', which may
	// differ from the one after the area code: 080-2345 6789).
	for k := 2; k <= g.n && k <= 4; k++ {
		if k > 2 && (g.sep[k-2] != g.sep[1] || g.sep[1] != ' ' && g.sep[1] != '-' || g.len(k-1) < 3) {
			return
		}
		if g.len(1) < 3 || !g.endsAt(w, k, "") || k < g.n && g.sep[k-1] == g.sep[k-2] {
			continue
		}
		if k == 3 && sep == '-' && g.len(0) == 3 && g.len(1) == 3 && g.len(2) == 4 {
			return // written as North America writes, 011-555-1234: not a trunk 0
		}
		d := g.digits(w, k, &dbuf)
		if trunkPlan(d, g.len(0)) {
			score := float32(0.6)
			if k > 2 {
				score = 0.7 // the subscriber number grouped too
			}
			s.offer(b, p, g.e[k-1], PHONE, s.ctxScore(w, lo, p, score, 0.95, ctxPhone))
			return
		}
	}
}

// parenNational: an area code with its trunk 0 in brackets, then the
// subscriber number: (030) 1234567, (020) 7617 3192, (01632) 771753.
func (s *Scanner) parenNational(b *best, w []byte, p, lo int) {
	var d [14]byte
	n, i := 0, p+1
	for i < len(w) && isDigit(w[i]) && n < 5 {
		d[n] = w[i]
		n++
		i++
	}
	area := n
	if area < 3 || i+1 >= len(w) || w[i] != ')' {
		return
	}
	i++
	if w[i] == ' ' {
		i++
	}
	if i >= len(w) || w[i] < '1' || w[i] > '9' {
		return
	}
	for i < len(w) && n < len(d) {
		c := w[i]
		switch {
		case isDigit(c):
			d[n] = c
			n++
			i++
			continue
		case (c == ' ' || c == '-') && i+1 < len(w) && isDigit(w[i+1]) && isDigit(w[i-1]):
			i++
			continue
		}
		break
	}
	if n-area < 5 || !wordEnd(w, i) || (i < len(w) && (w[i] == '-' || w[i] == '.') && i+1 < len(w) && isDigit(w[i+1])) || !trunkPlan(d[:n], area) {
		return
	}
	s.offer(b, p, i, PHONE, s.ctxScore(w, lo, p, 0.85, 0.95, ctxPhone))
}
