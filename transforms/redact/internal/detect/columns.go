package detect

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// Column context: in a CSV or TSV export the label of a value is its
// column's header ("routing_number", "nhs_no"), far above it, not the
// words just before it. At each line start the scanner looks at the line:
// a line that looks like a header starts a table; a line with as many
// fields as the header is a row of it; a blank line, or one that starts
// as JSON, markup or indented text does, ends it. A candidate in a row takes its
// column's name as context. What this reads is within the scanner's
// bounds, so streaming stays exact: a line is read from its start to its
// end within Lookahead, and a candidate's cell from the row start within
// Lookback; a longer line simply has no column context.

const (
	maxCols    = 32 // columns of a header that are kept
	maxColName = 40 // bytes of a column name that are kept
)

// header is a header line's column names.
type header struct {
	delim byte
	n     int // columns
	names [maxCols][maxColName]byte
	lens  [maxCols]uint8
	// fixed: a fixed-width table, whose columns start at these offsets
	// from the start of the line (delim is 0).
	fixed bool
	cols  [maxCols]uint16
	// swift is the column named for SWIFT codes (swift, bic), or -1.
	swift int
	// dateCols has bit k set when column k is named for dates
	// (effective_date, DOB): only there are six digits one (250729).
	dateCols uint32
	// indented: rows may start with spaces, as psql and other '|' tables
	// print them.
	indented bool
	// ruled: a fixed-width header with a rule under it, whose rows need
	// not line up with it. right: an unruled one whose rows end each
	// field where its column's name ends (pandas prints a frame so), at
	// the offsets in ends.
	ruled, right bool
	ends         [maxCols]uint16
	// rightCol: in a table of mixed alignment (numbers right, text
	// left), the columns whose fields end where their name ends.
	rightCol [maxCols]bool
	// sql: the column list of an SQL INSERT; its rows are the value
	// tuples on the lines after it, '(' first, fields quoted with '\''.
	sql bool
}

// headerDelims are the delimiters a header may use.
const headerDelims = ",\t;|"

// readHeader reports whether the line at i (ending within w) looks like a
// header, and if so records it in h: two delimiters or more of one kind
// outside quotes, every field a short name of a few words that starts
// with a letter (quotes and spaces around it allowed; empty allowed, but
// two named at least), nothing a value has ('@', ':', '=', braces), and
// a next line (ending within w) with as many fields.
func readHeader(h *header, w []byte, i int) bool {
	var counts [len(headerDelims)]int
	// spaces counts the runs of spaces in a field (the words of a name
	// less one); pad the spaces past the first of a run, which a header
	// aligned with its rows has ("Date     | Narration      |").
	e, spaces, pad, quoted := i, 0, 0, false
	for ; e < len(w) && w[e] != '\n'; e++ {
		c := w[e]
		switch {
		case c == '"':
			quoted = !quoted
		case class[c]&cName != 0 || c >= 0x80: // a name may be in any language: Téléphone
		case c == ' ':
			if e > i && w[e-1] == ' ' {
				pad++
			} else if spaces++; spaces > 3 {
				return false // a field of many words: prose
			}
		default:
			k := strings.IndexByte(headerDelims, c)
			if k < 0 {
				return false // '@', ':', '=', braces: a value, not a name
			}
			if !quoted {
				counts[k]++
				spaces = 0
			}
		}
		if e-i-pad > (maxColName+1)*(1+counts[0]+counts[1]+counts[2]+counts[3]) {
			return false // a field too long for a name
		}
	}
	if e >= len(w) {
		return false // no line end in sight
	}
	var delim byte
	best := 1
	for k, c := range counts {
		if c > best {
			delim, best = headerDelims[k], c
		}
	}
	if delim == 0 || best+1 > maxCols {
		return false
	}
	var tmp header
	tmp.delim = delim
	named := 0
	for f := range split(w[i:e], delim) {
		// An unnamed column (pandas writes its index so) is allowed.
		name := trimField(f)
		if len(name) > maxColName || len(name) > 0 && !isAlpha(name[0]) {
			return false
		}
		if len(name) > 0 {
			named++
		}
		copy(tmp.names[tmp.n][:], name)
		tmp.lens[tmp.n] = uint8(len(name))
		tmp.n++
	}
	if named < 2 {
		return false
	}
	tmp.swift = -1
	for k := range tmp.n {
		if name := tmp.names[k][:tmp.lens[k]]; nameHas(name, ctxSWIFT) {
			tmp.swift = k
		}
	}
	tmp.markDates()
	// A header has a row under it, perhaps after a rule (psql's
	// "----+----", MySQL's "+----+", Markdown's "|---|"), or after one
	// malformed row: a line of names alone (prose, or a malformed row of
	// words) does not start a table.
	next := e + 1
	if r := bytes.IndexByte(w[next:], '\n'); r >= 0 && tableRule(w[next:next+r]) {
		next += r + 1
	}
	if e2, n := fields(w, next, delim); !rowOf(&tmp, w, next, e2, n) {
		// One malformed row (a comma outside quotes) does not hide a
		// table: the row after it may show it.
		if e2 < 0 {
			return false
		}
		if e3, n2 := fields(w, e2+1, delim); !rowOf(&tmp, w, e2+1, e3, n2) {
			return false
		}
	}
	if w[i] == ' ' && delim != '|' {
		return false
	}
	tmp.indented = delim == '|' // rows of a '|' table may be padded: "   1 | CCHU9215084 |"
	*h = tmp
	return true
}

// split yields the fields of line between delim bytes outside double
// quotes.
func split(line []byte, delim byte) func(func([]byte) bool) {
	return func(yield func([]byte) bool) {
		for {
			k, quoted := 0, false
			for k < len(line) && (quoted || line[k] != delim) {
				if line[k] == '"' {
					quoted = !quoted
				}
				k++
			}
			if !yield(line[:k]) || k == len(line) {
				return
			}
			line = line[k+1:]
		}
	}
}

// trimField drops spaces and quotes around a field.
func trimField(f []byte) []byte {
	for len(f) > 0 && (f[0] == ' ' || f[0] == '"' || f[0] == '\'' || f[0] == '\r') {
		f = f[1:]
	}
	for len(f) > 0 && (f[len(f)-1] == ' ' || f[len(f)-1] == '"' || f[len(f)-1] == '\'' || f[len(f)-1] == '\r') {
		f = f[:len(f)-1]
	}
	return f
}

// column returns the name of the header column that holds position p
// (empty for an unnamed column), and false when p is not in a row of a
// table or the row starts more than Lookback bytes before it (lo).
func (s *Scanner) column(w []byte, lo, p int) ([]byte, bool) {
	col := s.columnIndex(w, lo, p)
	if col < 0 {
		return nil, false
	}
	return s.hdr.names[col][:s.hdr.lens[col]], true
}

// columnIndex is column's: the index of p's column, or -1.
func (s *Scanner) columnIndex(w []byte, lo, p int) int {
	h, r := &s.hdr, s.row
	if h.n == 0 || p < r.st || p >= r.e || h.fixed && r.st < lo {
		return -1 // (a fixed-width row's columns are counted from its start)
	}
	var col int
	switch {
	case h.fixed && h.right:
		at := utf8.RuneCount(w[r.st:p])
		for col+1 < h.n && int(h.ends[col]) <= at {
			col++
		}
	case h.fixed:
		at := utf8.RuneCount(w[r.st:p])
		for col+1 < h.n && (!h.rightCol[col+1] && int(h.cols[col+1]) <= at || h.rightCol[col+1] && int(h.ends[col]) < at) {
			col++ // (a column that end-aligns starts after the one before it)
		}
	case h.sql:
		// Counted from the row's start: a line may hold several tuples.
		if r.st < lo {
			return -1
		}
		if col = sqlField(w[r.st:p]); col >= h.n {
			return -1
		}
	case s.nb > 0:
		for col < s.nb && s.bounds[col] < p {
			col++
		}
	case r.st < lo:
		return -1
	default:
		col = countOutsideQuotes(w[r.st:p], h.delim)
	}
	if col >= h.n {
		return -1
	}
	return col
}

// fields returns the end of the line at i, and how many fields delim
// splits it into (outside double quotes); -1 when the line does not end
// within w. Every row of a table is counted, so the common case (no
// quotes) goes to bytes.IndexByte and bytes.Count, which run vectorised.
func fields(w []byte, i int, delim byte) (int, int) {
	k := bytes.IndexByte(w[i:], '\n')
	if k < 0 {
		return -1, 0
	}
	return i + k, 1 + countOutsideQuotes(w[i:i+k], delim)
}

// countOutsideQuotes counts delim in s outside double quotes.
func countOutsideQuotes(s []byte, delim byte) int {
	if bytes.IndexByte(s, '"') < 0 {
		return bytes.Count(s, []byte{delim})
	}
	n, quoted := 0, false
	for _, c := range s {
		switch {
		case c == '"':
			quoted = !quoted
		case c == delim && !quoted:
			n++
		}
	}
	return n
}

// ctxDistance is contextDistance, except in a table: there a value's
// label is first its column's name, nearer than anything, and then the
// words before it on its own row (in its cell, or in a cell to its left,
// as key/value exports have them); the header line above and the rows
// before are not (a "mobile" column in the header says nothing of an NHS
// number in the first). The column wins over the row: in a 1099 export a
// routing number in the "routing_number" column stays one though "SSN" is
// written in a cell to its left.
func (s *Scanner) ctxDistance(w []byte, lo, start, window int, ws *wordSet) int {
	name, ok := s.column(w, lo, start)
	if !ok {
		return contextDistance(w, lo, start, window, ws)
	}
	if nameHas(name, ws) {
		return 0
	}
	return contextDistance(w, max(lo, s.row.st), start, window, ws)
}

// lineStart is called at the start of each line, at i (w ends Lookahead
// bytes after i or at the end of the stream): the line is a row of the
// current table, or ends it and may be the header of the next.
func (s *Scanner) lineStart(w []byte, i int) {
	s.row, s.nb = span{}, 0
	if s.hdr.n > 0 && s.hdr.fixed {
		// Every line is a row of a fixed-width table, but its rules,
		// until a blank line or one that starts as markup does; under a
		// header with no rule, until a line that does not line up with it.
		e := bytes.IndexByte(w[i:], '\n')
		switch {
		case e < 0 || i >= len(w) || bytesContain("{[<#\r\n", w[i]):
			s.hdr.n = 0
		case ruleLine(w[i : i+e]):
			return
		case s.hdr.ruled || alignedRow(&s.hdr, w[i:i+e]):
			s.row = span{i, i + e}
			return
		default:
			s.hdr.n = 0
		}
	}
	if s.hdr.n > 0 && s.hdr.sql {
		// A row of an INSERT is a tuple, "  (42, 'Ann', ...),"; any other
		// line ends the statement's values.
		j := i
		for j < len(w) && j-i < 8 && (w[j] == ' ' || w[j] == '\t') {
			j++
		}
		if e := bytes.IndexByte(w[j:], '\n'); e >= 0 && w[j] == '(' {
			s.row = span{j + 1, j + e}
			s.rowBounds(w, false)
			return
		}
		s.hdr.n = 0
	}
	if s.hdr.n > 0 {
		// A row starts with a value or a delimiter; a line that starts
		// otherwise (blank, JSON, markup, indented text) ends the table,
		// whatever its commas, and so does a line with no delimiter (a
		// title, a separator) that is not a '#' comment or a rule. A line with
		// another number of fields is only not a row: one malformed line
		// does not end an export.
		if i >= len(w) || bytesContain("{[< \t\r\n", w[i]) && !(s.hdr.indented && w[i] == ' ') {
			s.hdr.n = 0
		} else if e, n := fields(w, i, s.hdr.delim); rowOf(&s.hdr, w, i, e, n) {
			s.row = span{i, e}
			s.rowBounds(w, n != s.hdr.n)
			if s.hdr.swift >= 0 && s.swifts {
				s.swiftCell(w, i, e)
			}
			return
		} else if n == 1 && w[i] != '#' && !tableRule(w[i:e]) {
			s.hdr.n = 0
		}
	}
	if wordAt(w, i, "\xef\xbb\xbf") {
		i += 3 // a byte order mark, as Excel writes before a header
	} else if i+2 < len(w) && w[i] == '#' && w[i+1] == ' ' {
		i += 2 // a header written as a comment: # calling_number,called_number,...
	}
	if i < len(w) && w[i] == ' ' && !indentedHeader(w, i) {
		readFixedHeader(&s.hdr, w, i) // indented, lined up with its first row (pandas indents a frame's header)
		return
	}
	if i+12 < len(w) && w[i]|0x20 == 'i' && bytes.EqualFold(w[i:i+12], []byte("insert into ")) {
		s.readInsert(w, i)
		return
	}
	if i < len(w) && (isAlpha(w[i]) || w[i] == '"' || w[i] == ' ' || bytesContain(headerDelims, w[i])) {
		if !readHeader(&s.hdr, w, i) && isAlpha(w[i]) {
			readFixedHeader(&s.hdr, w, i)
		}
	}
}

// idColumn reports whether p is in a table's column named for an
// identifier: id, tag_id, ref, account.
func (s *Scanner) idColumn(w []byte, lo, p int) bool {
	name, ok := s.column(w, lo, p)
	if !ok || len(name) < 2 {
		return false
	}
	n := len(name)
	tail := func(t string) bool {
		return n >= len(t) && bytes.EqualFold(name[n-len(t):], []byte(t)) && (n == len(t) || !isAlpha(name[n-len(t)-1]))
	}
	return tail("id") || tail("ref") || tail("account") || tail("acct")
}

// wholeCell reports whether [p, e) is the whole of a cell of the current
// table's row, spaces around it aside.
func (s *Scanner) wholeCell(w []byte, p, e int) bool {
	if s.hdr.n == 0 || p < s.row.st || e > s.row.e || s.hdr.fixed {
		return false
	}
	d := s.hdr.delim
	for p > s.row.st && w[p-1] == ' ' {
		p--
	}
	for e < s.row.e && (w[e] == ' ' || w[e] == '\r') {
		e++
	}
	return (p == s.row.st || w[p-1] == d) && (e == s.row.e || w[e] == d)
}

// cell reports whether [p, e) is a cell of the current table: the whole
// of a delimited row's cell, or a value in a fixed-width table's column.
func (s *Scanner) cell(w []byte, lo, p, e int) bool {
	if s.hdr.n > 0 && s.hdr.fixed {
		return s.columnIndex(w, lo, p) >= 0
	}
	return s.wholeCell(w, p, e)
}

// markDates notes in dateCols the columns named for dates.
func (h *header) markDates() {
	h.dateCols = 0
	for k := range h.n {
		if nameHas(h.names[k][:h.lens[k]], ctxDate) {
			h.dateCols |= 1 << k
		}
	}
}

// dateColumn reports whether p is in a column named for dates.
func (s *Scanner) dateColumn(w []byte, lo, p int) bool {
	col := s.columnIndex(w, lo, p)
	return col >= 0 && s.hdr.dateCols&(1<<col) != 0
}

// readInsert reads the column list of an SQL INSERT statement at i,
// "INSERT INTO customers (id, full_name, ssn) VALUES", as a header whose
// rows are the tuples of values after it, on its line or the next.
func (s *Scanner) readInsert(w []byte, i int) {
	e := bytes.IndexByte(w[i:], '\n')
	if e < 0 {
		return
	}
	line := w[i : i+e]
	open, close := bytes.IndexByte(line, '('), bytes.IndexByte(line, ')')
	values := close + 1
	for values+6 <= len(line) && !bytes.EqualFold(line[values:values+6], []byte("values")) {
		values++
	}
	if open < 0 || close < open || values+6 > len(line) {
		return
	}
	var tmp header
	tmp.delim, tmp.sql, tmp.swift = ',', true, -1
	for name := range split(line[open+1:close], ',') {
		name = bytes.Trim(name, " `\"[]\t")
		if tmp.n == maxCols || len(name) == 0 || len(name) > maxColName {
			return
		}
		copy(tmp.names[tmp.n][:], name)
		tmp.lens[tmp.n] = uint8(len(name))
		tmp.n++
	}
	tmp.markDates()
	s.hdr = tmp
	if t := bytes.IndexByte(line[values:], '('); t >= 0 {
		s.row = span{i + values + t + 1, i + e} // VALUES (42, 'Ann', ...) on the same line
		s.rowBounds(w, false)
	}
}

// rowBounds records where the fields of the current delimited row end,
// as it starts: a cell far into a wide row (past Lookback) still has its
// column. A delimiter between double quotes is no bound.
func (s *Scanner) rowBounds(w []byte, amounts bool) {
	h, r := &s.hdr, s.row
	s.nb = 0
	if h.fixed || h.sql || r.e-r.st <= Lookback && !amounts {
		return // (a short row's fields are counted from its start, which stays in reach)
	}
	line := w[r.st:r.e]
	if amounts {
		for i, c := range line {
			if c == ',' && !amountComma(line, i) && s.nb < maxCols {
				s.bounds[s.nb] = r.st + i
				s.nb++
			}
		}
		return
	}
	if bytes.IndexByte(line, '"') < 0 {
		for i := 0; s.nb < maxCols; i++ {
			k := bytes.IndexByte(line[i:], h.delim)
			if k < 0 {
				return
			}
			i += k
			s.bounds[s.nb] = r.st + i
			s.nb++
		}
		return
	}
	quoted := false
	for i, c := range line {
		switch {
		case c == '"':
			quoted = !quoted
		case c == h.delim && !quoted && s.nb < maxCols:
			s.bounds[s.nb] = r.st + i
			s.nb++
		}
	}
}

// rowOf reports whether the line [i, e) with n fields is a row of h's
// table: as many fields, or more by the thousands separators of amounts
// written without quotes ("43,791.28"), which separate no fields.
func rowOf(h *header, w []byte, i, e, n int) bool {
	if n == h.n {
		return e >= 0
	}
	return e >= 0 && n > h.n && h.delim == ',' && n-amountCommas(w[i:e]) == h.n
}

// amountComma reports whether the ',' at i is the thousands separator of
// an amount written without quotes: a digit before it, three digits and
// ".dd" after it, then the end of the field (43,791.28).
func amountComma(line []byte, i int) bool {
	return i > 0 && isDigit(line[i-1]) && i+7 <= len(line) && digitsEnd(line, i+1) == i+4 && line[i+4] == '.' &&
		digitsEnd(line, i+5) == i+7 && (i+7 == len(line) || line[i+7] == ',' || line[i+7] == '\r')
}

// amountCommas counts the thousands separators of unquoted amounts in a
// CSV line with no quotes.
func amountCommas(line []byte) int {
	if bytes.IndexByte(line, '"') >= 0 {
		return 0
	}
	n := 0
	for i, c := range line {
		if c == ',' && amountComma(line, i) {
			n++
		}
	}
	return n
}

// sqlField returns the index of the field of a tuple of SQL values that
// ends f, the text from the tuple's start: commas outside quotes, counted
// again after each '(' that opens a tuple.
func sqlField(f []byte) int {
	n, quoted, escaped := 0, false, false
	for _, c := range f {
		switch {
		case escaped:
			escaped = false
		case c == '\\' && quoted:
			escaped = true // MySQL's \' inside a string
		case c == '\'':
			quoted = !quoted
		case quoted:
		case c == ',':
			n++
		case c == '(':
			n = 0
		}
	}
	return n
}

// indentedHeader is the cheap test for a line at i that starts with a
// space: a header of psql's, " id | name | ssn": one or two spaces, a
// name and a '|' on the line.
func indentedHeader(w []byte, i int) bool {
	j := i
	for j < len(w) && j-i < 2 && w[j] == ' ' {
		j++
	}
	if j >= len(w) || !isAlpha(w[j]) {
		return false
	}
	e := bytes.IndexByte(w[j:], '\n')
	return e > 0 && bytes.IndexByte(w[j:j+e], '|') > 0
}

// tableRule reports whether a line is the rule under a table's header:
// '-' (or '=') three times at least, with '+', '|', ':' and spaces.
func tableRule(l []byte) bool {
	n := 0
	for _, c := range l {
		switch c {
		case '-', '=':
			n++
		case '+', '|', ':', ' ', '\r':
		default:
			return false
		}
	}
	return n >= 3
}

// readFixedHeader reports whether the line at i is the header of a
// fixed-width table, and if so records it in h: three names or more
// (a name may hold single spaces) separated by two spaces or more, and a
// rule of '-' or '=' under it, as reports and command-line tools print,
// or a first row whose every field starts where its name does:
//
//	NAME                ROUTING    ACCOUNT
//	------------------- ---------  -------------
//
//	SSN         LAST NAME       DOB
//	420601163   WILSON          19880814
func readFixedHeader(h *header, w []byte, i int) bool {
	if !columnGap(w, i) {
		return false // the cheap test first
	}
	e := bytes.IndexByte(w[i:], '\n')
	if e < 0 || i+e+1 >= len(w) {
		return false
	}
	e += i
	r := bytes.IndexByte(w[e+1:], '\n')
	if r < 0 {
		return false
	}
	next := w[e+1 : e+1+r]
	ruled := ruleLine(next)
	var tmp header
	tmp.fixed = true
	line := w[i:e]
	k := 0
	for k < len(line) && line[k] == ' ' {
		k++ // an indented header; its rows are indented alike
	}
	if k > 0 && ruled {
		return false
	}
	for k < len(line) {
		st := k
		for k < len(line) && !(line[k] == ' ' && (k+1 == len(line) || line[k+1] == ' ')) {
			if c := line[k]; c != ' ' && c < 0x80 && class[c]&cName == 0 {
				return false
			}
			k++
		}
		name := trimField(line[st:k])
		if len(name) == 0 {
			break // spaces to the end of the line
		}
		if len(name) > maxColName || !isAlpha(name[0]) || tmp.n == maxCols {
			return false
		}
		copy(tmp.names[tmp.n][:], name)
		tmp.lens[tmp.n] = uint8(len(name))
		tmp.cols[tmp.n] = uint16(utf8.RuneCount(line[:st])) // columns line up in characters
		tmp.ends[tmp.n] = tmp.cols[tmp.n] + uint16(utf8.RuneCount(name))
		tmp.n++
		for k < len(line) && line[k] == ' ' {
			k++
		}
	}
	if tmp.n < 3 {
		return false
	}
	if !ruled && !alignedRow(&tmp, next) {
		if tmp.right = true; !alignedRow(&tmp, next) {
			tmp.right = false
			if !mixedRow(&tmp, next, true) {
				return false
			}
		}
	}
	tmp.ruled = ruled
	tmp.markDates()
	*h = tmp
	return true
}

// columnGap reports whether the line at i, after its indent, has two
// spaces after a first name: no longer than a name may be, and holding
// only what a name holds.
func columnGap(w []byte, i int) bool {
	for st := i; i < len(w) && w[i] == ' '; i++ {
		if i-st > 24 {
			return false // indented as code or markup is, not as a frame's header
		}
	}
	for k := i; k+1 < len(w) && k-i <= maxColName; k++ {
		c := w[k]
		if c == ' ' && w[k+1] == ' ' {
			return k > i
		}
		if c < 0x80 && c != ' ' && class[c]&cName == 0 {
			return false
		}
	}
	return false
}

// alignedRow reports whether every field of the line row starts where
// its column's name does in h, after a space (or, in a right-aligned
// table, ends where it ends, before a space): a fixed-width table's row
// under a header with no rule.
func alignedRow(h *header, row []byte) bool {
	if h.mixed() {
		return mixedRow(h, row, false)
	}
	for k := range h.n {
		if h.right && !endsAt(h, row, k) || !h.right && !startsAt(h, row, k) {
			return false
		}
	}
	return true
}

// startsAt reports whether row has a field that starts where column k's
// name does, after a space or at the line's start.
func startsAt(h *header, row []byte, k int) bool {
	c := runeIndex(row, int(h.cols[k]))
	return c >= 0 && c < len(row) && (c == 0 || row[c-1] == ' ') && row[c] != ' '
}

// endsAt reports whether row has a field that ends where column k's name
// does, before a space or the line's end.
func endsAt(h *header, row []byte, k int) bool {
	r := runeIndex(row, int(h.ends[k])-1)
	if r < 0 || r >= len(row) || row[r] == ' ' {
		return false
	}
	_, size := utf8.DecodeRune(row[r:])
	return r+size == len(row) || row[r+size] == ' ' || row[r+size] == '\r'
}

// mixed reports whether some of h's columns end-align and others not.
func (h *header) mixed() bool {
	for k := range h.n {
		if h.rightCol[k] {
			return true
		}
	}
	return false
}

// mixedRow reports whether every field of row lines up with its column's
// name at the start or at the end, as a report prints text left and
// numbers right. With learn, it records which columns end-align.
func mixedRow(h *header, row []byte, learn bool) bool {
	for k := range h.n {
		left, right := startsAt(h, row, k), endsAt(h, row, k)
		switch {
		case learn && left:
			h.rightCol[k] = false
		case learn && right:
			h.rightCol[k] = true
		case !learn && (h.rightCol[k] && right || !h.rightCol[k] && left):
		default:
			return false
		}
	}
	return true
}

// runeIndex returns where the n-th character of b starts, or -1.
func runeIndex(b []byte, n int) int {
	i := 0
	for k := 0; k < n; k++ {
		if i >= len(b) {
			return -1
		}
		if b[i] < utf8.RuneSelf {
			i++
		} else {
			_, size := utf8.DecodeRune(b[i:])
			i += size
		}
	}
	return i
}

// ruleLine reports whether a line is a table's rule: '-', '=' and '+'
// between spaces, three at least.
func ruleLine(l []byte) bool {
	n := 0
	for _, c := range l {
		switch c {
		case '-', '=', '+':
			n++
		case ' ', '\r':
		default:
			return false
		}
	}
	return n >= 3
}

// swiftCell looks at the cell of the row [i, e) under a column named
// for SWIFT codes: one typed in lower case has no anchor to start it
// (bkxuie9m), so it is found here, and held until the scan reaches it.
func (s *Scanner) swiftCell(w []byte, i, e int) {
	k, st, quoted := 0, i, false
	for j := i; j <= e; j++ {
		if j < e && w[j] == '"' {
			quoted = !quoted
		}
		if j < e && (w[j] != s.hdr.delim || quoted) {
			continue
		}
		if k == s.hdr.swift {
			a, b := st, j
			for a < b && (w[a] == ' ' || w[a] == '"' || w[a] == '\'') {
				a++
			}
			for b > a && (w[b-1] == ' ' || w[b-1] == '"' || w[b-1] == '\'' || w[b-1] == '\r') {
				b--
			}
			if (b-a == 8 || b-a == 11) && lowerSWIFT(w[a:b]) {
				s.holdCell(Match{Start: a, End: b, Type: SWIFT_CODE, Score: 0.9})
			}
			return
		}
		k, st = k+1, j+1
	}
}

// span is bytes [st, e) of the scanned buffer.
type span struct{ st, e int }
