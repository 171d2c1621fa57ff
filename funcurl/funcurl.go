// Package funcurl serves the same transform chains without S3 Object
// Lambda, behind a Lambda function URL (InvokeMode RESPONSE_STREAM): since
// 2025-11-07 AWS opens Object Lambda only to existing customers, so a new
// account deploys this instead.
//
// GET /{key} returns the transformed object, HEAD /{key} its headers, with
// the same headers, Range, partNumber, conditional and checksum behaviour
// as through an access point, and errors as S3's error XML: an HTTP
// adapter over the serving core (package serve), which reads the original
// through URLs the function presigns with its own role.
package funcurl

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/olkit/olkit/presign"
	"github.com/olkit/olkit/s3err"
	"github.com/olkit/olkit/serve"
	"github.com/olkit/olkit/transforms"
)

// Presigner makes presigned URLs for the original object, signed with the
// function's own credentials; *presign.Signer is one.
type Presigner interface {
	GetURL(ctx context.Context, bucket, key, versionID string) (string, error)
	HeadURL(ctx context.Context, bucket, key, versionID string) (string, error)
}

// Server is the http.Handler of the function URL.
type Server struct {
	// Presigner signs the function's own requests for the original.
	Presigner Presigner
	// Bucket holds the originals.
	Bucket string
	// Payload is the chain, in the access point payload's format.
	Payload string
	// HTTPClient fetches the original; nil is a client that never
	// decompresses responses.
	HTTPClient *http.Client
	// Logger receives a line for each failed request; nil is standard error.
	Logger *slog.Logger

	seq   atomic.Int64
	sizes *serve.SizeCache
	once  sync.Once
}

// defaultClient fetches originals as stored: never transparently
// decompressed.
var defaultClient = presign.Client()

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	key := strings.TrimPrefix(r.URL.Path, "/")
	id := fmt.Sprintf("funcurl-%d", s.seq.Add(1))
	if lr, ok := lambdaRequestID(r.Context()); ok {
		id = lr
	}
	a := &answerer{w: w, key: key, requestID: id, head: r.Method == http.MethodHead}
	switch {
	case r.Method != http.MethodGet && r.Method != http.MethodHead:
		w.Header().Set("Allow", "GET, HEAD")
		a.fail(s3err.New(http.StatusMethodNotAllowed, "MethodNotAllowed", "The specified method is not allowed against this resource."))
		return
	case key == "":
		a.fail(s3err.InvalidRequest("olkit: ask for an object: GET /{key}"))
		return
	}
	req, e := s.request(r, key)
	if e != nil {
		a.fail(e)
		return
	}
	resp, err := serve.Serve(r.Context(), req)
	if err != nil {
		s.log(r.Context(), id, key, err)
		a.fail(s3err.From(err))
		return
	}
	defer resp.Close()
	if err := a.write(resp); err != nil {
		s.log(r.Context(), id, key, err)
	}
}

// request is the serving core's request for r: the chain from the payload,
// the original through URLs presigned for this key (a GET URL also gives
// random access, for stages that seek and for HEADs that must read).
func (s *Server) request(r *http.Request, key string) (*serve.Request, *s3err.Error) {
	chain, opts, e := serve.ParsePayload(s.Payload)
	if e != nil {
		return nil, e
	}
	version := r.URL.Query().Get("versionId")
	get, err := s.Presigner.GetURL(r.Context(), s.Bucket, key, version)
	fetch := get
	if err == nil && r.Method == http.MethodHead {
		fetch, err = s.Presigner.HeadURL(r.Context(), s.Bucket, key, version)
	}
	if err != nil {
		return nil, s3err.Wrap(err, http.StatusInternalServerError, "InternalError", "olkit could not sign its request for the original: %v", err)
	}
	origin := &serve.URLOrigin{Client: s.client(), URL: fetch, SourceURL: get, Header: http.Header{}}
	s.once.Do(func() { s.sizes = serve.NewSizeCache(0) })
	req := &serve.Request{Method: r.Method, Key: key, Query: r.URL.Query(), Header: r.Header, Chain: chain, Options: opts,
		Origin: origin, Sizes: s.sizes, Scope: s.Bucket}
	if signer, ok := s.Presigner.(*presign.Signer); ok {
		req.Store = &presign.Store{Signer: signer, Client: s.client(), Bucket: s.Bucket}
	}
	return req, nil
}

func (s *Server) client() *http.Client {
	if s.HTTPClient != nil {
		return s.HTTPClient
	}
	return defaultClient
}

// log writes a failed request's line, with the stack of a plugin's panic.
func (s *Server) log(ctx context.Context, id, key string, err error) {
	l := s.Logger
	if l == nil {
		l = slog.New(slog.NewJSONHandler(os.Stderr, nil))
	}
	attrs := []slog.Attr{slog.String("request_id", id), slog.String("key", key), slog.String("error", err.Error())}
	var pe *transforms.PanicError
	if errors.As(err, &pe) {
		attrs = append(attrs, slog.String("transform", pe.Stage), slog.String("stack", string(pe.Stack)))
	}
	l.LogAttrs(ctx, slog.LevelError, "funcurl", attrs...)
}

// answerer writes the serving core's answer as HTTP.
type answerer struct {
	w         http.ResponseWriter
	key       string
	requestID string
	head      bool
}

// write sends the answer; a body that fails mid-stream aborts the
// response, so the download fails rather than ends short.
func (a *answerer) write(resp *serve.Response) error {
	h := a.w.Header()
	for k, v := range resp.Header {
		h[k] = v
	}
	if resp.Size >= 0 {
		h.Set("Content-Length", strconv.FormatInt(resp.Size, 10))
	}
	h.Set("X-Amz-Request-Id", a.requestID)
	a.w.WriteHeader(resp.Status)
	if resp.Body == nil || a.head {
		return nil
	}
	n, err := io.Copy(a.w, resp.Body)
	if err == nil && resp.Size >= 0 && n != resp.Size {
		err = fmt.Errorf("the body ended after %d of %d bytes", n, resp.Size)
	}
	if err != nil {
		abort(a.w, err)
		return fmt.Errorf("funcurl: body failed after %d bytes, response aborted: %w", n, err)
	}
	return nil
}

// fail answers with S3's error XML (no body for a HEAD).
func (a *answerer) fail(e *s3err.Error) {
	type errorXML struct {
		XMLName   xml.Name `xml:"Error"`
		Code      string
		Message   string
		Key       string `xml:",omitempty"`
		RequestID string `xml:"RequestId"`
	}
	body, _ := xml.Marshal(errorXML{Code: e.WireCode(), Message: e.Message, Key: a.key, RequestID: a.requestID})
	body = append([]byte(xml.Header), body...)
	h := a.w.Header()
	h.Set("Content-Type", "application/xml")
	h.Set("X-Amz-Request-Id", a.requestID)
	if !a.head {
		h.Set("Content-Length", strconv.Itoa(len(body)))
	}
	a.w.WriteHeader(e.Status)
	if !a.head {
		a.w.Write(body)
	}
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
