// Package funcurl serves the same transform chains without S3 Object
// Lambda, behind a Lambda function URL (InvokeMode RESPONSE_STREAM): since
// 2025-11-07 AWS opens Object Lambda only to existing customers, so a new
// account deploys this instead.
//
// GET /{key} returns the transformed object, HEAD /{key} its headers, with
// the same headers, Range, partNumber, conditional and checksum behaviour
// as through an access point, and errors as S3's error XML. It reuses the
// Object Lambda handler whole: the function presigns its own GetObject (or
// HeadObject) of the original with its role, builds the event S3 would
// have sent, and answers through a responder that writes the HTTP
// response instead of calling WriteGetObjectResponse.
package funcurl

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/aws/aws-lambda-go/events"

	"github.com/olkit/olkit/lambda"
	"github.com/olkit/olkit/s3err"
	"github.com/olkit/olkit/writeresponse"
)

// Presigner makes presigned URLs for the original object, signed with the
// function's own credentials.
type Presigner interface {
	PresignGet(ctx context.Context, bucket, key string) (string, error)
	PresignHead(ctx context.Context, bucket, key string) (string, error)
}

// Server is the http.Handler of the function URL.
type Server struct {
	// Handler is the Object Lambda handler whose chain logic serves each
	// request; its Responder is replaced per request.
	Handler *lambda.Handler
	// Presigner signs the function's own requests for the original.
	Presigner Presigner
	// Bucket holds the originals.
	Bucket string
	// Payload is the chain, in the access point payload's format.
	Payload string

	seq atomic.Int64
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	key := strings.TrimPrefix(r.URL.Path, "/")
	id := fmt.Sprintf("funcurl-%d", s.seq.Add(1))
	if lr, ok := lambdaRequestID(r.Context()); ok {
		id = lr
	}
	hw := &httpResponder{w: w, key: key, requestID: id, head: r.Method == http.MethodHead}
	switch {
	case r.Method != http.MethodGet && r.Method != http.MethodHead:
		w.Header().Set("Allow", "GET, HEAD")
		hw.Fail(r.Context(), "", "", s3err.New(http.StatusMethodNotAllowed, "MethodNotAllowed", "The specified method is not allowed against this resource."))
		return
	case key == "":
		hw.Fail(r.Context(), "", "", s3err.InvalidRequest("olkit: ask for an object: GET /{key}"))
		return
	}
	ev := s.event(r, key, id)
	presign := s.Presigner.PresignGet
	if hw.head {
		presign = s.Presigner.PresignHead
	}
	u, err := presign(r.Context(), s.Bucket, key)
	if err != nil {
		hw.Fail(r.Context(), "", "", s3err.Wrap(err, http.StatusInternalServerError, "InternalError", "olkit could not sign its request for the original: %v", err))
		return
	}
	h := *s.Handler
	h.Responder = hw
	if hw.head {
		ev.HeadObjectContext = &events.S3ObjectLambdaHeadObjectContext{InputS3URL: u}
		res, err := h.Handle(r.Context(), ev)
		hw.head2(res, err)
		return
	}
	ev.GetObjectContext = &events.S3ObjectLambdaGetObjectContext{InputS3URL: u, OutputRoute: "function-url", OutputToken: id}
	if _, err := h.Handle(r.Context(), ev); err != nil && !hw.started {
		hw.Fail(r.Context(), "", "", s3err.From(err))
	}
}

// event is the Object Lambda event S3 would have sent for r.
func (s *Server) event(r *http.Request, key, id string) events.S3ObjectLambdaEvent {
	headers := map[string]string{}
	for k, v := range r.Header {
		headers[k] = strings.Join(v, ",")
	}
	u := url.URL{Scheme: "https", Host: "function-url", Path: "/" + key, RawQuery: r.URL.RawQuery}
	return events.S3ObjectLambdaEvent{
		XAmzRequestID: id,
		Configuration: events.S3ObjectLambdaConfiguration{
			AccessPointARN: "function-url:" + s.Bucket,
			Payload:        s.Payload,
		},
		UserRequest:     events.S3ObjectLambdaUserRequest{URL: u.String(), Headers: headers},
		ProtocolVersion: "1.00",
	}
}

// httpResponder answers through the HTTP response instead of WGOR.
type httpResponder struct {
	w         http.ResponseWriter
	key       string
	requestID string
	head      bool
	started   bool
}

// notForwarded are headers of the exchange with S3, not of the object.
var notForwarded = map[string]bool{"Date": true, "Server": true, "Connection": true, "Keep-Alive": true,
	"Transfer-Encoding": true, "X-Amz-Request-Id": true, "X-Amz-Id-2": true, "Content-Length": true}

// Write sends the answer; a body that fails mid-stream aborts the
// response, so the download fails rather than ends short.
func (r *httpResponder) Write(_ context.Context, _, _ string, resp writeresponse.Response) error {
	r.started = true
	h := r.w.Header()
	for k, v := range resp.Header {
		if !notForwarded[http.CanonicalHeaderKey(k)] {
			h[http.CanonicalHeaderKey(k)] = v
		}
	}
	if resp.Size >= 0 {
		h.Set("Content-Length", strconv.FormatInt(resp.Size, 10))
	}
	h.Set("X-Amz-Request-Id", r.requestID)
	r.w.WriteHeader(resp.Status)
	if resp.Body == nil || r.head {
		return nil
	}
	n, err := io.Copy(r.w, resp.Body)
	if err == nil && resp.Size >= 0 && n != resp.Size {
		err = fmt.Errorf("the body ended after %d of %d bytes", n, resp.Size)
	}
	if err != nil {
		abort(r.w, err)
		return fmt.Errorf("funcurl: body failed after %d bytes, response aborted: %w", n, err)
	}
	return nil
}

// Fail answers with S3's error XML.
func (r *httpResponder) Fail(_ context.Context, _, _ string, e *s3err.Error) error {
	r.started = true
	type errorXML struct {
		XMLName   xml.Name `xml:"Error"`
		Code      string
		Message   string
		Key       string `xml:",omitempty"`
		RequestID string `xml:"RequestId"`
	}
	code := e.Code
	if !s3err.ValidCode(code) {
		code = s3err.CodeFor(e.Status)
	}
	body, _ := xml.Marshal(errorXML{Code: code, Message: e.Message, Key: r.key, RequestID: r.requestID})
	body = append([]byte(xml.Header), body...)
	h := r.w.Header()
	h.Set("Content-Type", "application/xml")
	h.Set("X-Amz-Request-Id", r.requestID)
	if !r.head {
		h.Set("Content-Length", strconv.Itoa(len(body)))
	}
	r.w.WriteHeader(e.Status)
	if !r.head {
		r.w.Write(body)
	}
	return nil
}

// head2 writes a HEAD answer from the handler's JSON result.
func (r *httpResponder) head2(res *lambda.Result, err error) {
	if err != nil || res == nil {
		if err == nil {
			err = errors.New("no answer")
		}
		r.Fail(context.Background(), "", "", s3err.From(err))
		return
	}
	if res.ErrorCode != "" {
		r.Fail(context.Background(), "", "", s3err.New(res.StatusCode, res.ErrorCode, "%s", res.ErrorMessage))
		return
	}
	for k, v := range res.Headers {
		r.w.Header().Set(k, v)
	}
	r.w.Header().Set("X-Amz-Request-Id", r.requestID)
	r.w.WriteHeader(res.StatusCode)
}

// aborter is a ResponseWriter that can fail the response mid-stream (the
// Lambda stream Wrap builds); under net/http, panicking with
// http.ErrAbortHandler does the same.
type aborter interface{ Abort(error) }

func abort(w http.ResponseWriter, err error) {
	if a, ok := w.(aborter); ok {
		a.Abort(err)
		return
	}
	panic(http.ErrAbortHandler)
}
