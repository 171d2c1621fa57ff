package redact

import (
	"context"
	"encoding/binary"
	"io"
	"net/http"
	"slices"
	"unicode/utf8"

	"github.com/olkit/olkit/s3err"
	"github.com/olkit/olkit/transforms/redact/internal/detect"
)

const (
	// bufSize is the scanning window. What it holds at most, whatever the
	// object's size: this buffer, the output of one window (REPLACE mode
	// may grow it) and the matches of one window.
	bufSize = 128 << 10
	// sniffLen is how much of the head decides whether the object is text.
	sniffLen = 32 << 10
)

// window runs a detect.Scanner over a stream in bounded memory, the way
// golang.org/x/text/transform runs a Transformer: it keeps Lookback bytes
// of history and waits for Lookahead bytes of future (or the end), so the
// matches are those of a scan of the whole stream at once, whatever the
// read sizes. Bytes before out are decided and handed on; bytes in
// [out, commit) may be handed on now, with the matches in them.
type window struct {
	src      io.Reader
	sc       *detect.Scanner
	buf      []byte
	n        int // bytes in buf
	out      int // buf[:out] has been handed on (kept as history)
	matches  []detect.Match
	eof      bool
	err      error // the source's error, other than io.EOF
	checkUTF bool  // fail on invalid UTF-8 in what is committed
	sawData  bool

	// The Comprehend detector, if the options call for one: it has
	// decided buf[:rpos] (its entities that start there are in matches).
	remote *remoteDetector
	ctx    context.Context
	rpos   int
}

func newWindow(src io.Reader, cfg detect.Config) *window {
	return &window{src: src, sc: detect.New(cfg), buf: make([]byte, bufSize)}
}

// fill reads from the source until the buffer holds at least want bytes,
// the source ends or it fails.
func (w *window) fill(want int) {
	for w.n < want && !w.eof && w.err == nil {
		w.readOnce()
	}
}

func (w *window) readOnce() {
	if w.n == len(w.buf) {
		return // full: scan and hand on first
	}
	for tries := 0; ; tries++ {
		k, err := w.src.Read(w.buf[w.n:])
		w.n += k
		switch {
		case err == io.EOF:
			w.eof = true
		case err != nil:
			w.err = err
		case k == 0 && tries < 100:
			continue
		case k == 0:
			w.err = io.ErrNoProgress
		}
		return
	}
}

// compact drops what no later decision needs: everything handed on,
// except Lookback bytes of history before the scan position.
func (w *window) compact() {
	drop := min(w.out, w.sc.Pos()-detect.Lookback)
	if drop <= 0 {
		return
	}
	copy(w.buf, w.buf[drop:w.n])
	w.n -= drop
	w.out -= drop
	w.sc.Shift(drop)
	w.rpos -= drop
	for i := range w.matches {
		w.matches[i].Start -= drop
		w.matches[i].End -= drop
	}
}

// step scans what the buffer holds and returns where the decided bytes
// end: [w.out, commit) may be handed on, with the matches that start in it.
// It reads from the source first when the buffer holds nothing new.
func (w *window) step() (commit int) {
	w.compact()
	if !w.eof && w.err == nil {
		w.readOnce()
	}
	if w.err != nil {
		return w.out // what was read but not decided is dropped
	}
	w.matches = w.sc.Scan(w.buf[:w.n], w.eof, w.matches)
	if w.remote == nil {
		if w.eof {
			return w.n
		}
		return w.commit(max(w.sc.Pos()-detect.MaxBack, w.sc.Last(), w.out))
	}
	w.remoteStep()
	if w.err != nil {
		return w.out
	}
	// Merged with Comprehend's entities; nothing handed on that it has not
	// decided, and no entity cut by the hand-over.
	w.matches = mergeMatches(w.matches)
	c := w.n
	if !w.eof {
		c = max(w.sc.Pos()-detect.MaxBack, w.sc.Last(), w.out)
	}
	c = min(c, w.rpos)
	for _, m := range w.matches {
		if m.Start < c && m.End > c {
			c = m.Start
			break
		}
	}
	if w.eof {
		return max(c, w.out)
	}
	return w.commit(max(c, w.out))
}

// commit returns where the bytes decided before c end, short of a UTF-8
// sequence c would cut.
func (w *window) commit(c int) int {
	c = min(c, w.n)
	// Never cut a UTF-8 sequence between two hand-overs.
	for k := 0; k < 3 && c > w.out && c > w.sc.Last() && c < w.n && w.buf[c]&0xC0 == 0x80; k++ {
		c--
	}
	return c
}

// remoteStep sends Comprehend the next batch once the buffer holds one (or
// the stream has ended, or the buffer is full): up to containsMax bytes
// from batchBack bytes before rpos. Its entities that start from rpos to
// batchAhead bytes short of the batch's end are kept; the rest of the
// batch goes again, with more after it, in the next.
func (w *window) remoteStep() {
	if w.rpos >= w.n {
		return
	}
	if !w.eof && w.n < len(w.buf) && w.n-w.rpos < containsMax {
		return // wait for a whole batch
	}
	a := max(0, w.rpos-batchBack)
	for a < w.rpos && !utf8.RuneStart(w.buf[a]) {
		a++
	}
	b := min(w.n, a+containsMax)
	last := w.eof && b == w.n
	decided := b
	if !last {
		b = cut(w.buf[:w.n], a, b)
		decided = b - batchAhead
		for decided > w.rpos && !utf8.RuneStart(w.buf[decided]) {
			decided--
		}
		if decided <= w.rpos { // cannot happen with containsMax > batchBack+batchAhead
			decided = b
		}
	}
	ms, err := w.remote.find(w.ctx, w.buf[a:b])
	if err != nil {
		w.err = err
		return
	}
	for _, m := range ms {
		m.Start += a
		m.End += a
		if m.Start >= w.rpos && m.Start < decided {
			w.matches = append(w.matches, m)
		}
	}
	w.rpos = decided
}

// done reports whether everything has been handed on.
func (w *window) done() bool { return (w.eof && w.out >= w.n) || w.err != nil }

// unexpected is the error for data that is not UTF-8 text.
func unexpected(name string) error {
	return s3err.New(http.StatusBadRequest, "UnexpectedContent", "%s: Unsupported file encountered for determining Pii (the object is not UTF-8 text)", name)
}

// redactReader hands on the stream with the matches masked or replaced.
type redactReader struct {
	w     *window
	mode  string
	mask  []byte
	pend  []byte // output ready for the caller (may alias w.buf)
	obuf  []byte
	final error
	pass  bool // PASS: invalid UTF-8 later in the stream goes through as is
}

func (r *redactReader) Read(p []byte) (int, error) {
	for len(r.pend) == 0 {
		if r.final != nil {
			return 0, r.final
		}
		r.advance()
	}
	n := copy(p, r.pend)
	r.pend = r.pend[n:]
	return n, nil
}

func (r *redactReader) advance() {
	w := r.w
	if w.done() {
		if w.err != nil {
			r.final = w.err
		} else {
			r.final = io.EOF
		}
		return
	}
	c := w.step()
	if c <= w.out {
		if w.err != nil {
			r.final = w.err
		}
		return
	}
	seg := w.buf[w.out:c]
	if !r.pass && !utf8.Valid(seg) {
		r.final = unexpected("redact")
		return
	}
	k := 0
	for k < len(w.matches) && w.matches[k].Start < c {
		k++
	}
	if k == 0 {
		r.pend = seg // nothing to change: hand on the window's own bytes
	} else {
		r.pend = r.render(c, w.matches[:k])
		w.matches = append(w.matches[:0], w.matches[k:]...)
	}
	w.out = c
}

// render writes buf[out:c] with the matches masked or replaced.
func (r *redactReader) render(c int, ms []detect.Match) []byte {
	w := r.w
	o := r.obuf[:0]
	at := w.out
	for _, m := range ms {
		o = append(o, w.buf[at:m.Start]...)
		if r.mode == Mask {
			if len(r.mask) == 1 {
				o = appendMask(o, r.mask[0], m.End-m.Start)
			} else {
				for i := m.Start; i < m.End; i++ {
					o = append(o, r.mask...)
				}
			}
		} else if !m.Cont {
			o = append(o, '[')
			o = append(o, m.Type.String()...)
			o = append(o, ']')
		}
		at = m.End
	}
	o = append(o, w.buf[at:c]...)
	r.obuf = o
	return o
}

// appendMask appends n copies of c to o.
func appendMask(o []byte, c byte, n int) []byte {
	o = slices.Grow(o, n)
	t := o[len(o) : len(o)+n]
	v, i := uint64(c)*0x0101010101010101, 0
	for ; i+8 <= n; i += 8 {
		binary.LittleEndian.PutUint64(t[i:], v) // eight at a time: masks are most of a dense text's output
	}
	for ; i < n; i++ {
		t[i] = c
	}
	return o[:len(o)+n]
}
