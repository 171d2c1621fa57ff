package function

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The Lambda Runtime API, as a runtime client (aws-lambda-go's, or any
// custom runtime) talks to it:
// https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
const (
	runtimePrefix = "/2018-06-01/runtime"

	hdrRequestID    = "Lambda-Runtime-Aws-Request-Id"
	hdrDeadline     = "Lambda-Runtime-Deadline-Ms"
	hdrFunctionARN  = "Lambda-Runtime-Invoked-Function-Arn"
	hdrTraceID      = "Lambda-Runtime-Trace-Id"
	hdrErrorType    = "Lambda-Runtime-Function-Error-Type"
	hdrErrorBody    = "Lambda-Runtime-Function-Error-Body" // a trailer: base64 of the error JSON
	hdrResponseMode = "Lambda-Runtime-Function-Response-Mode"
)

// errorBody is the JSON a runtime posts to /error and /init/error, and what
// Lambda's Invoke answers for a failed function.
type errorBody struct {
	ErrorMessage string          `json:"errorMessage"`
	ErrorType    string          `json:"errorType"`
	StackTrace   json.RawMessage `json:"stackTrace,omitempty"`
}

// runtimeAPI serves the Runtime API to the one process of e.
func (b *Bootstrap) runtimeAPI(e *env) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+runtimePrefix+"/invocation/next", func(w http.ResponseWriter, r *http.Request) { b.next(e, w, r) })
	mux.HandleFunc("POST "+runtimePrefix+"/invocation/{id}/response", func(w http.ResponseWriter, r *http.Request) { b.response(e, w, r) })
	mux.HandleFunc("POST "+runtimePrefix+"/invocation/{id}/error", func(w http.ResponseWriter, r *http.Request) { b.invocationError(e, w, r) })
	mux.HandleFunc("POST "+runtimePrefix+"/init/error", func(w http.ResponseWriter, r *http.Request) { b.initError(e, w, r) })
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		runtimeAPIError(w, http.StatusNotFound, "UnknownEndpoint", fmt.Sprintf("olkit's Runtime API does not serve %s %s", r.Method, r.URL.Path))
	})
	return mux
}

func runtimeAPIError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(errorBody{ErrorMessage: msg, ErrorType: typ})
}

func accepted(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusAccepted)
	io.WriteString(w, `{"status":"OK"}`+"\n")
}

// next hands the process its next invocation, waiting for one. Asking for
// the next one also ends initialisation, and the previous invocation.
func (b *Bootstrap) next(e *env, w http.ResponseWriter, r *http.Request) {
	b.mu.Lock()
	e.nexted = true
	if prev := e.current; prev != nil {
		e.current = nil
		if !prev.answered {
			prev.answered = true
			prev.done <- result{err: &Error{Type: "Runtime.NoResponse",
				Message: fmt.Sprintf("RequestId: %s Error: the runtime asked for the next invocation without answering this one", prev.id)}}
		}
	}
	if e.pending == nil && e.state != stateIdle && e.state != stateDead {
		e.state = stateIdle
		b.idle = append(b.idle, e)
		b.broadcastLocked()
	}
	b.mu.Unlock()

	select {
	case <-e.wake:
	case <-e.exited:
		runtimeAPIError(w, http.StatusInternalServerError, "Runtime.Ended", "the execution environment is ending")
		return
	case <-r.Context().Done():
		return // the runtime hung up; what was assigned waits for its next /next
	}
	b.mu.Lock()
	inv := e.pending
	e.pending, e.current, e.state = nil, inv, stateBusy
	b.mu.Unlock()
	if inv == nil {
		runtimeAPIError(w, http.StatusInternalServerError, "Runtime.NoInvocation", "no invocation")
		return
	}
	h := w.Header()
	h.Set(hdrRequestID, inv.id)
	h.Set(hdrDeadline, strconv.FormatInt(inv.deadline.UnixMilli(), 10))
	h.Set(hdrFunctionARN, b.ARN())
	h.Set(hdrTraceID, traceID())
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(inv.event)))
	w.WriteHeader(http.StatusOK)
	w.Write(inv.event)
}

// claim returns e's current invocation if it is id and still unanswered,
// marking it answered; otherwise it answers the runtime with an error.
func (b *Bootstrap) claim(e *env, w http.ResponseWriter, id string) *invocation {
	b.mu.Lock()
	defer b.mu.Unlock()
	inv := e.current
	switch {
	case inv == nil || inv.id != id:
		runtimeAPIError(w, http.StatusBadRequest, "InvalidRequestID", fmt.Sprintf("Invalid request ID: %q", id))
		return nil
	case inv.answered:
		runtimeAPIError(w, http.StatusBadRequest, "InvalidStateTransition", fmt.Sprintf("Invocation %s has already been answered", id))
		return nil
	}
	inv.answered = true
	return inv
}

// response is the function's result, possibly streamed, possibly with an
// error in the trailers (what aws-lambda-go sends when its response reader
// fails).
func (b *Bootstrap) response(e *env, w http.ResponseWriter, r *http.Request) {
	inv := b.claim(e, w, r.PathValue("id"))
	if inv == nil {
		return
	}
	limit := int64(maxResponse)
	if strings.EqualFold(r.Header.Get(hdrResponseMode), "streaming") {
		limit = maxStreamedResponse
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	switch {
	case err != nil:
		inv.done <- result{err: &Error{Type: "Runtime.TruncatedResponse",
			Message: fmt.Sprintf("RequestId: %s Error: reading the function's response: %v", inv.id, err)}}
		runtimeAPIError(w, http.StatusBadRequest, "Runtime.TruncatedResponse", err.Error())
	case int64(len(body)) > limit:
		msg := fmt.Sprintf("Response payload size exceeded maximum allowed payload size (%d bytes).", limit)
		inv.done <- result{err: &Error{Type: "Function.ResponseSizeTooLarge", Message: msg}}
		runtimeAPIError(w, http.StatusRequestEntityTooLarge, "Function.ResponseSizeTooLarge", msg)
	case r.Trailer.Get(hdrErrorType) != "":
		inv.done <- result{err: trailerError(r.Trailer)}
		accepted(w)
	default:
		inv.done <- result{payload: body}
		accepted(w)
	}
}

// trailerError is the error a runtime reported in the trailers of a
// streamed response.
func trailerError(t http.Header) *Error {
	fe := &Error{Type: t.Get(hdrErrorType)}
	if raw, err := base64.StdEncoding.DecodeString(t.Get(hdrErrorBody)); err == nil {
		fe.decode(raw, string(raw))
	}
	return fe
}

// decode fills fe from an error body as the Runtime API carries it: the
// errorBody JSON, or else text, the body as plain text.
func (fe *Error) decode(raw []byte, text string) {
	var eb errorBody
	if json.Unmarshal(raw, &eb) != nil {
		fe.Message = text
		return
	}
	fe.Message = eb.ErrorMessage
	if eb.ErrorType != "" {
		fe.Type = eb.ErrorType
	}
}

// readError reads the body of /error or /init/error.
func readError(r *http.Request) *Error {
	raw, _ := io.ReadAll(io.LimitReader(r.Body, maxErrorBody))
	fe := &Error{Type: r.Header.Get(hdrErrorType)}
	fe.decode(raw, strings.TrimSpace(string(raw)))
	if fe.Type == "" {
		fe.Type = "Unhandled"
	}
	return fe
}

func (b *Bootstrap) invocationError(e *env, w http.ResponseWriter, r *http.Request) {
	inv := b.claim(e, w, r.PathValue("id"))
	if inv == nil {
		return
	}
	inv.done <- result{err: readError(r)}
	accepted(w)
}

// initError records why the process could not start; Lambda then ends the
// process, and the invocation waiting for it fails with this error.
func (b *Bootstrap) initError(e *env, w http.ResponseWriter, r *http.Request) {
	fe := readError(r)
	b.mu.Lock()
	nexted := e.nexted
	if !nexted {
		e.initErr = fe
	}
	b.mu.Unlock()
	if nexted {
		runtimeAPIError(w, http.StatusForbidden, "InvalidStateTransition", "initialization is over")
		return
	}
	accepted(w)
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	b.logf("%s: init error %s: %s", b.cfg.Name, fe.Type, fe.Message)
	killProcess(e.cmd)
}

// traceID returns an X-Ray trace header with a new root, not sampled.
func traceID() string {
	return fmt.Sprintf("Root=1-%08x-%s;Parent=%s;Sampled=0", time.Now().Unix(), randomHex(24), randomHex(16))
}
