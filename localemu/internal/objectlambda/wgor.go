package objectlambda

import (
	"hash"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"

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
	auth, err := h.cfg.Auth.Verify(r, "")
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
		case r.ContentLength > 0 || auth.DecodedLength > 0:
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
	if bad := p.stream(r, auth.Body, alg); bad != "" {
		refuse("%s", bad)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// stream writes the WGOR's status, headers and body to the waiting
// client; it returns what went wrong, if anything, after marking the
// client's download to fail.
func (p *pending) stream(r *http.Request, body io.Reader, alg string) string {
	out := p.w.Header()
	for k, v := range r.Header {
		if name, ok := strings.CutPrefix(k, "X-Amz-Fwd-Header-"); ok {
			out[http.CanonicalHeaderKey(name)] = v
		} else if strings.HasPrefix(k, "X-Amz-Meta-") {
			out[k] = v
		}
	}
	if r.ContentLength >= 0 {
		out.Set("Content-Length", strconv.FormatInt(r.ContentLength, 10))
	}
	p.w.WriteHeader(p.status)
	var sum hash.Hash
	want := ""
	if p.checksumMode && alg != "" {
		if h, ok := checksum.New(alg); ok {
			sum, want = h, out.Get(checksum.Header(alg))
			body = io.TeeReader(body, h)
		}
	}
	n, err := io.Copy(p.w, body)
	p.bytes = n
	switch {
	case err != nil:
		p.abort = true
		return "the body failed after " + strconv.FormatInt(n, 10) + " bytes: " + err.Error()
	case r.ContentLength >= 0 && n != r.ContentLength:
		p.abort = true
		return "the body is shorter than its Content-Length"
	case sum != nil && checksum.Encode(sum) != want:
		p.abort = true
		return "The " + alg + " checksum you specified does not match the body"
	}
	return ""
}
