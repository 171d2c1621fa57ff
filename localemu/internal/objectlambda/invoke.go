package objectlambda

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/olkit/olkit/s3err"
)

// get runs GetObject through the function: the function's WGOR, when it
// comes, streams into this request's response (see wgor.go); without one
// the caller gets S3's error for what the function did.
func (inv *invocation) get() {
	if !inv.featureAllowed("GetObject") {
		return
	}
	inv.start = time.Now()
	timeout := inv.h.timeout()
	token := newToken()
	p := &pending{w: inv.w, r: inv.r, route: inv.route, api: inv.h.cfg.API,
		checksumMode: inv.r.Header.Get("X-Amz-Checksum-Mode") == "ENABLED",
		deadline:     inv.start.Add(timeout),
		started:      make(chan struct{}), done: make(chan struct{})}
	inv.h.pending.Store(token, p)
	defer inv.h.pending.Delete(token)
	ev, err := inv.event("get", token)
	if err != nil {
		inv.fail(err)
		return
	}
	inv.setRequestID(ev.XAmzRequestID)
	// The function's context ends at its deadline or when it returns, not
	// when the caller's answer is through: on Lambda a function that has
	// streamed its WGOR runs on until it returns.
	ctx, cancel := context.WithDeadline(context.Background(), p.deadline)
	type result struct{ e *s3err.Error }
	ran := make(chan result, 1)
	go func() {
		defer cancel()
		_, e := inv.run(ctx, ev)
		ran <- result{e}
	}()
	var e *s3err.Error
	select {
	case res := <-ran:
		e = res.e
	case <-p.started:
	case <-ctx.Done():
		select { // ended by the function's return, not its deadline?
		case res := <-ran:
			e = res.e
		default:
		}
	}
	if p.claim() { // no WGOR came, and none may now
		if e == nil {
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				e = s3err.New(http.StatusInternalServerError, "LambdaTimeout", "The Lambda function did not respond in time")
			} else {
				e = s3err.New(http.StatusInternalServerError, "LambdaResponseNotReceived", "The Lambda function ended without calling WriteGetObjectResponse")
			}
		}
		inv.fail(e)
		inv.logInvocation("GetObject", e.Status, 0)
		return
	}
	<-p.done
	inv.logInvocation("GetObject", p.status, p.bytes)
	if p.abort {
		panic(http.ErrAbortHandler) // the download fails, as S3 fails it
	}
}

// head runs HeadObject through the function and renders its JSON answer.
func (inv *invocation) head() {
	if !inv.featureAllowed("HeadObject") {
		return
	}
	out, ok := inv.call("head", "HeadObject")
	if !ok {
		return
	}
	a, e := decodeHead(out)
	if e == nil && a.ErrorCode != "" && !errorCodePattern.MatchString(a.ErrorCode) {
		e = invalidAnswer("errorCode %q must match ^[A-Z][a-zA-Z]+$", a.ErrorCode)
	}
	if e != nil {
		inv.failInvocation("HeadObject", e)
		return
	}
	if a.ErrorCode != "" || a.StatusCode >= 300 && a.StatusCode != http.StatusNotModified {
		inv.failInvocation("HeadObject", answeredError(a.StatusCode, a.ErrorCode, a.ErrorMessage))
		return
	}
	for k, v := range a.Header {
		// S3 sends the headers under its own names, whatever the case the
		// function wrote them in (x-amz-* go out in lower case).
		inv.w.Header()[http.CanonicalHeaderKey(k)] = v
	}
	inv.w.WriteHeader(a.StatusCode)
	inv.logInvocation("HeadObject", a.StatusCode, 0)
}

// list runs ListObjects(V2) through the function and renders its answer.
func (inv *invocation) list() {
	kind, action := "list", "ListObjects"
	if inv.route.Op == "ListObjectsV2" {
		kind, action = "listv2", "ListObjectsV2"
	}
	out, ok := inv.call(kind, action)
	if !ok {
		return
	}
	a, e := decodeList(out, kind == "listv2")
	if e == nil && a.ErrorCode != "" && !errorCodePattern.MatchString(a.ErrorCode) {
		e = invalidAnswer("errorCode %q must match ^[A-Z][a-zA-Z]+$", a.ErrorCode)
	}
	if e != nil {
		inv.failInvocation(action, e)
		return
	}
	if a.ErrorCode != "" || a.StatusCode >= 300 && a.XML == "" {
		inv.failInvocation(action, answeredError(a.StatusCode, a.ErrorCode, a.ErrorMessage))
		return
	}
	// listResultXml may be S3's error XML, with the error's status.
	inv.w.Header().Set("Content-Type", "application/xml")
	inv.w.Header().Set("Content-Length", strconv.Itoa(len(a.XML)))
	inv.w.WriteHeader(a.StatusCode)
	inv.w.Write([]byte(a.XML))
	inv.logInvocation(action, a.StatusCode, int64(len(a.XML)))
}

// call invokes the function for a JSON-answered action and returns its
// answer; false when the caller has been answered with an error.
func (inv *invocation) call(kind, action string) ([]byte, bool) {
	inv.start = time.Now()
	ev, err := inv.event(kind, "")
	if err != nil {
		inv.fail(err)
		return nil, false
	}
	inv.setRequestID(ev.XAmzRequestID)
	ctx, cancel := context.WithTimeout(context.Background(), inv.h.timeout())
	defer cancel()
	out, e := inv.run(ctx, ev)
	if e != nil {
		inv.failInvocation(action, e)
		return nil, false
	}
	return out, true
}

// answeredError is the error a function answered: its status and code,
// or for a bare status the code S3 uses with it.
func answeredError(status int, code, message string) *s3err.Error {
	if code == "" {
		code = s3err.CodeFor(status)
	}
	return s3err.New(status, code, "%s", message)
}

// failInvocation answers the caller with e and logs the invocation.
func (inv *invocation) failInvocation(action string, e *s3err.Error) {
	inv.fail(e)
	inv.logInvocation(action, e.Status, 0)
}

// setRequestID puts the invocation's request ids on the answer, as S3
// puts them on every answer.
func (inv *invocation) setRequestID(id string) {
	inv.w.Header().Set("X-Amz-Request-Id", id)
	inv.w.Header().Set("X-Amz-Id-2", id+"/localemu")
}
