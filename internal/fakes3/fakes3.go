// Package fakes3 is a test server that plays the two S3 endpoints an Object
// Lambda function talks to: the presigned GET of the original object, and
// WriteGetObjectResponse. It checks what S3 checks — signed headers present,
// conditional headers honoured, WGOR's rules on status, error code and
// checksums — and records what arrives, hashing bodies as they stream so
// that gigabyte objects never sit in memory.
package fakes3

import (
	"bytes"
	"context"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/olkit/olkit/conditions"
	"github.com/olkit/olkit/s3range"
)

// Object is what the server answers for one key.
type Object struct {
	Status int         // 0 means 200
	Header http.Header // response headers (ETag, Content-Type, x-amz-meta-*, ...)
	Body   func() io.Reader
	// Size is announced as Content-Length; -1 streams chunked.
	Size int64
	// Stall, if set, is waited on before answering (a slow S3, to test deadlines).
	Stall <-chan struct{}
}

// WGOR is one WriteGetObjectResponse call as the server received it.
type WGOR struct {
	Route, Token  string
	Status        int
	ErrorCode     string
	ErrorMessage  string
	Header        http.Header       // x-amz-fwd-header-* with the prefix removed
	Meta          map[string]string // x-amz-meta-*, lower-case keys without the prefix
	Request       http.Header       // every request header as sent
	ContentLength int64             // as declared, -1 when chunked
	BodyLen       int64
	BodyCRC       uint32 // CRC-32 (IEEE) of the body
	Body          []byte // the first KeepBody bytes of the body
	BodyErr       error  // reading the body failed: the sender aborted
}

// Server is an httptest.Server playing S3.
type Server struct {
	*httptest.Server
	// KeepBody is how many body bytes of each WGOR to keep in WGOR.Body.
	KeepBody int
	// ListXML, when set, is the answer to a GET of "/" (a listing).
	ListXML string

	mu      sync.Mutex
	objects map[string]Object
	signed  map[string]map[string]string // key -> signed header -> expected value
	gets    []http.Header
	ranges  int
	wgors   []WGOR
	seq     atomic.Int64
	// ownReads counts GETs of GetURL's URLs.
	ownReads atomic.Int64
}

// New starts a Server that is closed when the test ends.
func New(t testing.TB) *Server {
	s := &Server{KeepBody: 1 << 20, objects: map[string]Object{}, signed: map[string]map[string]string{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// Put stores an object under key.
func (s *Server) Put(key string, o Object) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.objects[key] = o
}

// PutBytes stores data under key with headers h.
func (s *Server) PutBytes(key string, data []byte, h http.Header) {
	s.Put(key, Object{Header: h, Size: int64(len(data)), Body: func() io.Reader { return bytes.NewReader(data) }})
}

// PresignedURL returns an inputS3Url for key whose signature covers host and
// the given headers; a GET missing one of them, or with another value, is
// refused with 403 SignatureDoesNotMatch as S3 refuses it.
func (s *Server) PresignedURL(key string, signed map[string]string) string {
	names := []string{"host"}
	exp := map[string]string{}
	for k, v := range signed {
		names = append(names, strings.ToLower(k))
		exp[strings.ToLower(k)] = v
	}
	slices.Sort(names)
	s.mu.Lock()
	s.signed[key] = exp
	s.mu.Unlock()
	q := url.Values{}
	q.Set("X-Amz-Algorithm", "AWS4-HMAC-SHA256")
	q.Set("X-Amz-Credential", "AKIDEXAMPLE/20260101/us-east-1/s3/aws4_request")
	q.Set("X-Amz-Date", time.Now().UTC().Format("20060102T150405Z"))
	q.Set("X-Amz-Expires", "61")
	q.Set("X-Amz-Security-Token", "SECRET-SESSION-TOKEN")
	q.Set("X-Amz-SignedHeaders", strings.Join(names, ";"))
	q.Set("X-Amz-Signature", "0123456789abcdef")
	return s.URL + "/" + url.PathEscape(key) + "?" + q.Encode()
}

// Event returns a GetObject event for key as S3 would send it: the caller's
// headers, a presigned URL signed over the ones newer SDKs sign
// (x-amz-checksum-mode when the caller sent it), a fresh route and token.
func (s *Server) Event(key, payload string, headers map[string]string) events.S3ObjectLambdaEvent {
	signed := map[string]string{}
	for k, v := range headers {
		if strings.EqualFold(k, "x-amz-checksum-mode") {
			signed[k] = v
		}
	}
	n := s.seq.Add(1)
	if headers == nil {
		headers = map[string]string{}
	}
	return events.S3ObjectLambdaEvent{
		XAmzRequestID: fmt.Sprintf("req-%d", n),
		GetObjectContext: &events.S3ObjectLambdaGetObjectContext{
			InputS3URL:  s.PresignedURL(key, signed),
			OutputRoute: "io-use1-001",
			OutputToken: fmt.Sprintf("token-%d", n),
		},
		Configuration: events.S3ObjectLambdaConfiguration{
			AccessPointARN:           "arn:aws:s3-object-lambda:us-east-1:000000000000:accesspoint/test",
			SupportingAccessPointARN: "arn:aws:s3:us-east-1:000000000000:accesspoint/supporting",
			Payload:                  payload,
		},
		UserRequest: events.S3ObjectLambdaUserRequest{
			URL:     "https://test-000000000000.s3-object-lambda.us-east-1.amazonaws.com/" + key,
			Headers: headers,
		},
		UserIdentity:    events.S3ObjectLambdaUserIdentity{Type: "IAMUser", AccountID: "000000000000"},
		ProtocolVersion: "1.00",
	}
}

// GetURL plays the function's own role reading through the supporting
// access point: a URL this server answers for key (the access point is
// taken to be this server's one bucket). GETs of it are counted, as
// OwnReads reports.
func (s *Server) GetURL(_ context.Context, accessPoint, key, _ string) (string, error) {
	if accessPoint == "" {
		return "", fmt.Errorf("fakes3: no supporting access point")
	}
	return s.PresignedURL(key, nil) + "&x-fakes3-own=1", nil
}

// OwnReads is how many GETs of GetURL's URLs the server has answered.
func (s *Server) OwnReads() int64 { return s.ownReads.Load() }

// HeadEvent returns a HeadObject event for key.
func (s *Server) HeadEvent(key, payload string, headers map[string]string) events.S3ObjectLambdaEvent {
	ev := s.Event(key, payload, headers)
	ev.HeadObjectContext = &events.S3ObjectLambdaHeadObjectContext{InputS3URL: ev.GetObjectContext.InputS3URL}
	ev.GetObjectContext = nil
	return ev
}

// ListEvent returns a ListObjectsV2 (v2) or ListObjects event.
func (s *Server) ListEvent(v2 bool, payload string) events.S3ObjectLambdaEvent {
	ev := s.Event("", payload, nil)
	u := s.URL + "/?list-type=2&X-Amz-SignedHeaders=host"
	if v2 {
		ev.ListObjectsV2Context = &events.S3ObjectLambdaListObjectsV2Context{InputS3URL: u}
		ev.ProtocolVersion = "1.01"
	} else {
		ev.ListObjectsContext = &events.S3ObjectLambdaListObjectsContext{InputS3URL: u}
	}
	ev.GetObjectContext = nil
	return ev
}

// WGORs returns the WGOR calls received so far.
func (s *Server) WGORs() []WGOR {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.wgors)
}

// WaitWGOR returns the i-th WGOR call (from 0), waiting up to five seconds
// for it: when a sender aborts a body, the server may record it only after
// the sender has given up.
func (s *Server) WaitWGOR(t testing.TB, i int) WGOR {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if all := s.WGORs(); len(all) > i {
			return all[i]
		}
		if time.Now().After(deadline) {
			t.Fatalf("fakes3: WGOR #%d never arrived", i+1)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// RangeGets returns how many ranged GETs were served.
func (s *Server) RangeGets() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ranges
}

// Gets returns the headers of every GET of an original received so far.
func (s *Server) Gets() []http.Header {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.gets)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/WriteGetObjectResponse":
		s.serveWGOR(w, r)
	case r.Method == http.MethodGet && r.URL.Path == "/" && s.ListXML != "":
		w.Header().Set("Content-Type", "application/xml")
		io.WriteString(w, s.ListXML)
	case r.Method == http.MethodGet, r.Method == http.MethodHead:
		if r.URL.Query().Has("x-fakes3-own") {
			s.ownReads.Add(1)
		}
		s.serveGet(w, r)
	default:
		writeError(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "fakes3 serves GET and WGOR only")
	}
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>%s</Code><Message>%s</Message><RequestId>FAKE</RequestId></Error>", code, msg)
}

func (s *Server) serveGet(w http.ResponseWriter, r *http.Request) {
	key := strings.TrimPrefix(r.URL.Path, "/")
	s.mu.Lock()
	s.gets = append(s.gets, r.Header.Clone())
	o, ok := s.objects[key]
	exp := s.signed[key]
	s.mu.Unlock()
	for name, v := range exp {
		if r.Header.Get(name) != v {
			writeError(w, http.StatusForbidden, "SignatureDoesNotMatch",
				fmt.Sprintf("The request signature we calculated does not match the signature you provided (signed header %s: got %q)", name, r.Header.Get(name)))
			return
		}
	}
	if !ok {
		writeError(w, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
		return
	}
	for k, v := range o.Header {
		w.Header()[k] = v
	}
	if w.Header().Get("Content-Type") == "" {
		// S3's type for an object stored without one; also keeps net/http
		// from sniffing a type for a GET that a HEAD would not have.
		w.Header().Set("Content-Type", "binary/octet-stream")
	}
	if status := conditions.Evaluate(conditions.FromHeader(r.Header), o.Header.Get("ETag"), lastModified(o.Header)); status != 0 {
		if status == http.StatusNotModified {
			w.WriteHeader(status)
		} else {
			writeError(w, status, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold")
		}
		return
	}
	status := o.Status
	if status == 0 {
		status = http.StatusOK
	}
	body := o.Body
	if start, end, ok := s3range.Apply(r.Header.Get("Range"), o.Size); ok && status == http.StatusOK && o.Size >= 0 {
		if start < 0 {
			e := s3range.ErrUnsatisfiable()
			writeError(w, e.Status, e.Code, e.Message)
			return
		}
		s.mu.Lock()
		s.ranges++
		s.mu.Unlock()
		status = http.StatusPartialContent
		w.Header().Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", start, end, o.Size))
		o.Size = end - start + 1
		full := o.Body
		body = func() io.Reader {
			b := full()
			io.CopyN(io.Discard, b, start)
			return io.LimitReader(b, end-start+1)
		}
	}
	if o.Size >= 0 && status/100 == 2 {
		w.Header().Set("Content-Length", strconv.FormatInt(o.Size, 10))
	}
	if o.Stall != nil {
		select {
		case <-o.Stall:
		case <-r.Context().Done():
			return
		}
	}
	w.WriteHeader(status)
	if body == nil || r.Method == http.MethodHead {
		return
	}
	if o.Size < 0 { // chunked: send each piece as it comes, as S3 streams
		io.Copy(flushWriter{w}, body())
		return
	}
	io.Copy(w, body())
}

// lastModified is a fixture's Last-Modified, zero when it has none.
func lastModified(h http.Header) time.Time {
	t, _ := http.ParseTime(h.Get("Last-Modified"))
	return t
}

var codeRE = regexp.MustCompile(`^[A-Z][a-zA-Z]+$`)

func (s *Server) serveWGOR(w http.ResponseWriter, r *http.Request) {
	rec := WGOR{
		Route:         r.Header.Get("X-Amz-Request-Route"),
		Token:         r.Header.Get("X-Amz-Request-Token"),
		ErrorCode:     r.Header.Get("X-Amz-Fwd-Error-Code"),
		ErrorMessage:  r.Header.Get("X-Amz-Fwd-Error-Message"),
		Header:        http.Header{},
		Meta:          map[string]string{},
		Request:       r.Header.Clone(),
		ContentLength: r.ContentLength,
	}
	rec.Status, _ = strconv.Atoi(r.Header.Get("X-Amz-Fwd-Status"))
	for k, v := range r.Header {
		lk := strings.ToLower(k)
		if name, ok := strings.CutPrefix(lk, "x-amz-fwd-header-"); ok {
			rec.Header[http.CanonicalHeaderKey(name)] = v
		}
		if name, ok := strings.CutPrefix(lk, "x-amz-meta-"); ok {
			rec.Meta[name] = strings.Join(v, ",")
		}
	}
	h := crc32.NewIEEE()
	keep := &limitedBuffer{max: s.KeepBody}
	n, err := io.Copy(io.MultiWriter(h, keep), r.Body)
	rec.BodyLen, rec.BodyCRC, rec.Body, rec.BodyErr = n, h.Sum32(), keep.buf, err
	s.mu.Lock()
	s.wgors = append(s.wgors, rec)
	s.mu.Unlock()
	if problem := checkWGOR(r, rec); problem != "" {
		writeError(w, http.StatusBadRequest, "InvalidRequest", problem)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// checkWGOR applies the rules S3 applies to a WGOR request.
func checkWGOR(r *http.Request, rec WGOR) string {
	auth := r.Header.Get("Authorization")
	if !strings.Contains(auth, "/s3-object-lambda/aws4_request") {
		return "WGOR must be signed for service s3-object-lambda, got " + auth
	}
	if rec.Route == "" || rec.Token == "" {
		return "missing x-amz-request-route or x-amz-request-token"
	}
	if rec.ErrorCode != "" {
		if !codeRE.MatchString(rec.ErrorCode) {
			return "x-amz-fwd-error-code must match ^[A-Z][a-zA-Z]+$"
		}
		if rec.Status < 300 || rec.BodyLen > 0 {
			return "an error code cannot go with a success status or a body"
		}
	}
	sums := 0
	for k := range rec.Header {
		if strings.HasPrefix(strings.ToLower(k), "x-amz-checksum-") && !strings.EqualFold(k, "x-amz-checksum-type") {
			sums++
		}
	}
	if sums > 1 {
		return "only one checksum header can be specified"
	}
	return ""
}

type limitedBuffer struct {
	buf []byte
	max int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.max - len(b.buf); room > 0 {
		b.buf = append(b.buf, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

type flushWriter struct{ w http.ResponseWriter }

func (f flushWriter) Write(p []byte) (int, error) {
	n, err := f.w.Write(p)
	f.w.(http.Flusher).Flush()
	return n, err
}
