package objectlambda

import (
	"bufio"
	"hash"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/olkit/olkit/checksum"
	"github.com/olkit/olkit/localemu/internal/s3api"
	"github.com/olkit/olkit/s3err"
)

// pending is a GetObject waiting for its function's WGOR. Whoever claims
// it first answers it: the WGOR (streaming into w), or the waiting request
// itself (with an error, when the function ended or timed out without
// one). A token is single-use.
type pending struct {
	w            http.ResponseWriter
	r            *http.Request
	route        s3api.Route
	api          *s3api.Handler
	checksumMode bool
	deadline     time.Time // S3 allows 60 s from the invocation to the end of the body

	mu      sync.Mutex
	claimed bool
	started chan struct{} // closed when a WGOR claims it
	done    chan struct{} // closed when that WGOR is through

	status int
	bytes  int64
	abort  bool // the download must fail: the body broke or its checksum did not match
}

func (p *pending) claim() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.claimed {
		return false
	}
	p.claimed = true
	return true
}

var errorCodePattern = regexp.MustCompile(`^[A-Z][a-zA-Z]+$`)

// wgorStatuses are the statuses WGOR accepts.
var wgorStatuses = map[int]bool{200: true, 206: true, 304: true, 400: true, 401: true, 403: true, 404: true,
	405: true, 409: true, 411: true, 412: true, 416: true, 500: true, 503: true}

// writeGetObjectResponse serves POST /WriteGetObjectResponse, with the
// route in the host prefix or not: it checks what S3 checks, then streams
// the body to the waiting client as it arrives, x-amz-fwd-* becoming the
// response's status and headers.
func (h *Handler) writeGetObjectResponse(w http.ResponseWriter, r *http.Request) {
	route := s3api.Route{Op: "WriteGetObjectResponse"}
	auth, err := h.cfg.Auth.VerifyFor(r, "", "s3-object-lambda")
	if err != nil {
		h.cfg.API.Fail(w, r, route, err)
		return
	}
	defer auth.Body.Close()
	refuse := func(format string, args ...any) {
		h.cfg.API.Fail(w, r, route, s3err.New(http.StatusBadRequest, "ValidationError", format, args...))
	}
	v, ok := h.pending.Load(r.Header.Get("X-Amz-Request-Token"))
	if !ok {
		refuse("The request token is unknown, expired or already used")
		return
	}
	p := v.(*pending)
	status := http.StatusOK
	if s := r.Header.Get("X-Amz-Fwd-Status"); s != "" {
		if status, err = strconv.Atoi(s); err != nil || !wgorStatuses[status] {
			refuse("x-amz-fwd-status %q is not a status WriteGetObjectResponse accepts", s)
			return
		}
	}
	code := r.Header.Get("X-Amz-Fwd-Error-Code")
	if code != "" {
		switch {
		case !errorCodePattern.MatchString(code):
			refuse("x-amz-fwd-error-code %q must match ^[A-Z][a-zA-Z]+$", code)
			return
		case status < 300:
			refuse("an error code cannot go with the success status %d", status)
			return
		case auth.DecodedLength > 0:
			refuse("an error code cannot go with a body")
			return
		}
	}
	alg, sums := "", 0
	for k := range r.Header {
		if name, ok := strings.CutPrefix(k, "X-Amz-Fwd-Header-X-Amz-Checksum-"); ok && !strings.EqualFold(name, "type") {
			alg, sums = strings.ToUpper(name), sums+1
		}
	}
	if sums > 1 {
		refuse("Only one checksum header can be specified")
		return
	}
	if !p.claim() {
		refuse("The request token was already used")
		return
	}
	close(p.started)
	defer close(p.done)
	p.status = status
	if code != "" {
		p.api.Fail(p.w, p.r, p.route, s3err.New(status, code, "%s", r.Header.Get("X-Amz-Fwd-Error-Message")))
		w.WriteHeader(http.StatusOK)
		return
	}
	// The body must be through by the deadline: reads past it fail, and
	// so does the caller's download.
	http.NewResponseController(w).SetReadDeadline(p.deadline)
	if bad := p.stream(r, auth.Body, auth.DecodedLength, alg); bad != "" {
		refuse("%s", bad)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// stream writes the WGOR's status, headers and body to the waiting
// client; it returns what went wrong, if anything, after marking the
// client's download to fail. A body that fails before its first byte
// leaves the client's answer unstarted: it gets an S3 error instead.
func (p *pending) stream(r *http.Request, body io.Reader, length int64, alg string) string {
	br := bufio.NewReaderSize(body, 32<<10)
	if _, err := br.Peek(1); err != nil && err != io.EOF {
		p.failEarly(err)
		return "the body failed before its first byte: " + err.Error()
	}
	out := p.w.Header()
	for k, v := range r.Header {
		if name, ok := strings.CutPrefix(k, "X-Amz-Fwd-Header-"); ok {
			out[http.CanonicalHeaderKey(name)] = v
		} else if strings.HasPrefix(k, "X-Amz-Meta-") {
			out[k] = v
		}
	}
	if out.Get("Content-Type") == "" {
		out["Content-Type"] = nil // S3 sends the function's Content-Type or none, never a sniffed one
	}
	if length >= 0 {
		out.Set("Content-Length", strconv.FormatInt(length, 10))
	}
	want := ""
	if alg != "" {
		want = out.Get(checksum.Header(alg)) // before WriteHeader lower-cases the name
	}
	p.w.WriteHeader(p.status)
	// What arrives goes out at once, as S3 streams it: a body cut later
	// still leaves the caller the status line and the bytes so far.
	flusher := http.NewResponseController(p.w)
	flusher.Flush()
	var sum hash.Hash
	var src io.Reader = br
	if p.checksumMode && alg != "" {
		if h, ok := checksum.New(alg); ok {
			sum = h
			src = io.TeeReader(br, h)
		}
	}
	n, err := io.Copy(flushWriter{p.w, flusher}, src)
	p.bytes = n
	switch {
	case err != nil:
		p.abort = true
		if time.Now().After(p.deadline) {
			return "the body was not through within the function's time limit (" + strconv.FormatInt(n, 10) + " bytes sent)"
		}
		return "the body failed after " + strconv.FormatInt(n, 10) + " bytes: " + err.Error()
	case length >= 0 && n != length:
		p.abort = true
		return "the body is shorter than its Content-Length"
	case sum != nil && checksum.Encode(sum) != want:
		p.abort = true
		return "The " + alg + " checksum you specified does not match the body"
	}
	return ""
}

// failEarly answers the waiting client with an S3 error for a WGOR body
// that broke before its first byte: LambdaTimeout past the deadline, else
// LambdaRuntimeError (the function failed while answering).
func (p *pending) failEarly(err error) {
	p.status = http.StatusInternalServerError
	if time.Now().After(p.deadline) {
		p.api.Fail(p.w, p.r, p.route, s3err.New(http.StatusInternalServerError, "LambdaTimeout", "The Lambda function did not respond in time"))
		return
	}
	p.api.Fail(p.w, p.r, p.route, s3err.New(http.StatusInternalServerError, "LambdaRuntimeError", "The Lambda function's WriteGetObjectResponse body failed before its first byte: %v", err))
}

// flushWriter flushes each write through to the client.
type flushWriter struct {
	w  io.Writer
	rc *http.ResponseController
}

func (f flushWriter) Write(p []byte) (int, error) {
	n, err := f.w.Write(p)
	if err == nil {
		err = f.rc.Flush()
	}
	return n, err
}
