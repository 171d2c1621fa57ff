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
			if score := s.ctxScore(w, lo, p, 0.6, 0.95, ctxPhone); score > 0.6 || !s.idColumn(w, lo, p) {
				s.offer(b, p, g.e[1], PHONE, score)
			}
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
	if w[p+1] == '0' {
		// 00 dials abroad, then a country's calling code: 0091 89560
		// 22714, 0044 20 7946 0958.
		if l := g.len(0) - 2; l >= 1 && l <= 3 && callingCode(w[p+2:g.e[0]]) {
			s.intl(b, w, p, p+2, lo)
		}
		return
	}
	if g.n >= 4 && sep == ' ' && g.sep[1] == ' ' && g.sep[2] == ' ' && g.len(0) >= 2 && g.len(0) <= 4 && g.len(2) == 2 && g.len(3) == 2 &&
		(g.len(1) == 3 || g.len(1) == 2) && g.endsAt(w, 4, "") && w[g.s[1]] != '0' {
		// Belgium's and Switzerland's groups of two after the area code:
		// 09 223 44 71, 044 447 12 09, 0477 12 09 33.
		if n := g.len(0) + g.len(1) + 4; n == 9 || n == 10 {
			s.offer(b, p, g.e[3], PHONE, s.ctxScore(w, lo, p, 0.6, 0.95, ctxPhone))
			return
		}
	}
	// The subscriber number never starts with 0, but in the UK's mobile
	// and non-geographic ranges and Australia's mobiles: 07384 019 227,
	// 0330 088 4410, 0412 040 834.
	zeroSub := w[g.s[1]] == '0'
	if sep == '.' || sep == ':' || zeroSub && w[p+1] != '3' && w[p+1] != '7' && w[p+1] != '8' && w[p+1] != '4' {
		return
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
		if zeroSub && len(d) != 11 && !((d[1] == '4' || d[1] == '8') && len(d) == 10) {
			continue // (ten digits: Australia's 04 and Ireland's 08 mobiles, 085-0153363)
		}
		if len(d) == 9 && k == 3 && g.len(0) == 2 && g.len(1) == 3 && sep == ' ' && (d[1] == '1' || d[1] == '2') {
			// Dublin's 01 and Brussels' 02, then seven digits grouped
			// 3-4: 01 412 5478.
			s.offer(b, p, g.e[2], PHONE, s.ctxScore(w, lo, p, 0.6, 0.95, ctxPhone))
			return
		}
		if trunkPlan(d, g.len(0)) {
			score := float32(0.6)
			if k > 2 {
				score = 0.7 // the subscriber number grouped too
			}
			if score = s.ctxScore(w, lo, p, score, 0.95, ctxPhone); score < 0.95 && s.idColumn(w, lo, p) {
				return // a table's tag_id, ref or account column holds numbers of this shape too
			}
			s.offer(b, p, g.e[k-1], PHONE, score)
			return
		}
	}
}

// namedNational takes a number with a trunk 0 in any grouping a plan's
// digits allow, when its label or column says phone: national forms mix
// separators as no single rule does (Sweden's 08-209 93 05 and 076-131
// 44 21, Belgium's 0475/84.37.26, South Africa's 072-314-8979).
func (s *Scanner) namedNational(b *best, w []byte, p, lo int, g *groups) {
	if !s.types.Has(PHONE) || w[p+1] == '0' || g.sep[0] == g.before || g.len(0) > 5 {
		return
	}
	n, k := 0, 0
	for ; k < g.n && k < 5; k++ {
		if g.sep[k] != ' ' && g.sep[k] != '-' && g.sep[k] != '/' && g.sep[k] != '.' && k < g.n-1 {
			break
		}
		n += g.len(k)
		if n >= 9 && g.endsAt(w, k+1, "") && (k+1 == g.n || g.sep[k] == ' ' && !isDigit(w[g.e[k]+1])) {
			break
		}
	}
	if k == g.n || k == 5 || n < 9 || n > 11 || !g.endsAt(w, k+1, "") {
		return
	}
	if s.namedBy(w, lo, p, ctxPhone) || s.hasContext(w, lo, p, ctxPhone) {
		s.offer(b, p, g.e[k], PHONE, 0.8)
	}
}

// noTrunk tries the national forms that have no trunk 0: Brazil's area
// code and number, 11 97168-7102 (a mobile's nine digits start with 9),
// and Spain's nine digits from 6-9, 625 671 402, 620 12 84 23, 91 463 80
// 35, which are a Canadian SIN's shape too and so need a label.
func (s *Scanner) noTrunk(b *best, w []byte, p, lo int, g *groups) {
	if !s.types.Has(PHONE) || g.sep[0] == g.before {
		return
	}
	l0 := g.len(0)
	if l0 == 2 && w[p+1] != '0' && g.sep[0] == ' ' && g.n >= 3 && g.sep[1] == '-' && g.len(2) == 4 && g.endsAt(w, 3, "") {
		if l1 := g.len(1); l1 == 5 && w[g.s[1]] == '9' {
			s.offer(b, p, g.e[2], PHONE, s.ctxScore(w, lo, p, 0.6, 0.95, ctxPhone))
		} else if l1 == 4 {
			s.offer(b, p, g.e[2], PHONE, s.ctxScore(w, lo, p, 0.3, 0.9, ctxPhone))
		}
		return
	}
	if l0 == 2 && w[p] != '0' && g.token(w, " ", 2, 4, 4) && s.hasContext(w, lo, p, ctxPhone) {
		s.offer(b, p, g.e[2], PHONE, 0.9) // Mexico: 55 1234 5678, with a label
		return
	}
	if (w[p] >= '6' || w[p] == '2' && g.len(0) == 3) && (g.token(w, " ", 3, 3, 3) || g.token(w, " ", 3, 2, 2, 2) || g.token(w, " ", 2, 3, 2, 2)) {
		// Spain's and Portugal's nine digits (Portugal's fixed lines
		// start with 2: 234 183 500), only with a label.
		e := g.e[2]
		if g.n > 3 && g.len(1) != 3 || g.len(0) == 2 {
			e = g.e[3]
		}
		if s.hasContext(w, lo, p, ctxPhone) {
			s.offer(b, p, e, PHONE, 0.9)
		}
	}
}

// callingCode reports whether digits are a country calling code in use
// (ITU-T E.164 assignments), so that a number after 00 is one dialled
// abroad rather than an identifier padded with zeros.
func callingCode(d []byte) bool {
	n := num(d)
	switch len(d) {
	case 1:
		return n == 1 || n == 7
	case 2:
		switch n {
		case 20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55, 56, 57, 58,
			60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98:
			return true
		}
	case 3:
		switch {
		case n >= 211 && n <= 269, n >= 290 && n <= 299, n >= 350 && n <= 359, n >= 370 && n <= 389,
			n >= 420 && n <= 423, n >= 500 && n <= 509, n >= 590 && n <= 599, n >= 670 && n <= 692,
			n >= 850 && n <= 856, n >= 880 && n <= 886, n >= 960 && n <= 998:
			return true
		}
	}
	return false
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
	if area < 2 || i+1 >= len(w) || w[i] != ')' {
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
