package objectlambda

import (
	"context"
	"encoding/json"
	"fmt"
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
	token := newToken()
	p := &pending{w: inv.w, r: inv.r, route: inv.route, api: inv.h.cfg.API,
		checksumMode: inv.r.Header.Get("X-Amz-Checksum-Mode") == "ENABLED",
		started:      make(chan struct{}), done: make(chan struct{})}
	inv.h.pending.Store(token, p)
	defer inv.h.pending.Delete(token)
	ev, err := inv.event("get", token)
	if err != nil {
		inv.fail(err)
		return
	}
	// Every S3 answer carries its request ids, the function's too.
	inv.w.Header().Set("X-Amz-Request-Id", ev.XAmzRequestID)
	inv.w.Header().Set("X-Amz-Id-2", ev.XAmzRequestID+"/localemu")
	ctx, cancel := context.WithTimeout(context.Background(), inv.h.timeout())
	defer cancel()
	type result struct{ e *s3err.Error }
	ran := make(chan result, 1)
	go func() {
		_, e := inv.run(ctx, ev)
		ran <- result{e}
	}()
	var e *s3err.Error
	select {
	case res := <-ran:
		e = res.e
	case <-p.started:
	case <-ctx.Done():
	}
	if p.claim() { // no WGOR came, and none may now
		if e == nil {
			if ctx.Err() != nil {
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

// headAnswer is a HEAD function's JSON answer.
type headAnswer struct {
	StatusCode   int    `json:"statusCode"`
	ErrorCode    string `json:"errorCode"`
	ErrorMessage string `json:"errorMessage"`
	// Headers are strings, numbers or booleans, as AWS documents the HEAD
	// answer (Content-Length is a number).
	Headers map[string]any `json:"headers"`
}

// head runs HeadObject through the function and renders its JSON answer.
func (inv *invocation) head() {
	if !inv.featureAllowed("HeadObject") {
		return
	}
	var a headAnswer
	if !inv.call("head", "HeadObject", &a) {
		return
	}
	if a.ErrorCode != "" || a.StatusCode >= 300 && a.StatusCode != http.StatusNotModified {
		inv.fail(s3err.New(a.StatusCode, a.ErrorCode, "%s", a.ErrorMessage))
		return
	}
	for k, v := range a.Headers {
		inv.w.Header().Set(k, headerValue(v))
	}
	inv.w.WriteHeader(statusOr(a.StatusCode, http.StatusOK))
	inv.logInvocation("HeadObject", a.StatusCode, 0)
}

// headerValue writes a HEAD answer's header value: a JSON number in
// decimal (never 2.2e+07), a boolean or string as it is.
func headerValue(v any) string {
	if f, ok := v.(float64); ok {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

// listAnswer is a List function's JSON answer.
type listAnswer struct {
	StatusCode       int             `json:"statusCode"`
	ErrorCode        string          `json:"errorCode"`
	ErrorMessage     string          `json:"errorMessage"`
	ListResultXML    string          `json:"listResultXml"`
	ListBucketResult json.RawMessage `json:"listBucketResult"`
}

// list runs ListObjects(V2) through the function and renders its answer.
func (inv *invocation) list() {
	kind, action := "list", "ListObjects"
	if inv.route.Op == "ListObjectsV2" {
		kind, action = "listv2", "ListObjectsV2"
	}
	var a listAnswer
	if !inv.call(kind, action, &a) {
		return
	}
	if a.ErrorCode != "" || a.StatusCode >= 300 {
		inv.fail(s3err.New(a.StatusCode, a.ErrorCode, "%s", a.ErrorMessage))
		return
	}
	if a.ListResultXML == "" && len(a.ListBucketResult) > 0 {
		xmlBody, err := renderListing(a.ListBucketResult)
		if err != nil {
			inv.fail(s3err.New(http.StatusBadRequest, "LambdaInvalidResponse", "The Lambda function's listBucketResult does not read as a listing: %v", err))
			return
		}
		a.ListResultXML = xmlBody
	}
	if a.ListResultXML == "" {
		inv.fail(s3err.New(http.StatusBadRequest, "LambdaInvalidResponse", "The Lambda function answered %s with neither listResultXml nor listBucketResult", action))
		return
	}
	inv.w.Header().Set("Content-Type", "application/xml")
	inv.w.Header().Set("Content-Length", strconv.Itoa(len(a.ListResultXML)))
	inv.w.WriteHeader(statusOr(a.StatusCode, http.StatusOK))
	inv.w.Write([]byte(a.ListResultXML))
	inv.logInvocation(action, a.StatusCode, int64(len(a.ListResultXML)))
}

// call invokes the function for a JSON-answered action and decodes the
// answer into v; false when the caller has been answered with an error.
func (inv *invocation) call(kind, action string, v any) bool {
	inv.start = time.Now()
	ev, err := inv.event(kind, "")
	if err != nil {
		inv.fail(err)
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), inv.h.timeout())
	defer cancel()
	out, e := inv.run(ctx, ev)
	if e == nil && json.Unmarshal(out, v) != nil {
		e = s3err.New(http.StatusBadRequest, "LambdaInvalidResponse", "The Lambda function's answer to %s is not the JSON S3 expects", action)
	}
	if e != nil {
		inv.fail(e)
		inv.logInvocation(action, e.Status, 0)
		return false
	}
	return true
}

func statusOr(s, def int) int {
	if s == 0 {
		return def
	}
	return s
}
