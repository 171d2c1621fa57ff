// Package s3api serves the S3 storage API over a store. A request is first
// resolved to a Route (bucket, key, and the operation its method and query
// name), then authenticated, then dispatched by operation name, so that
// other front ends (Object Lambda access points) can add resolvers and
// operations without touching the ones here. Every answer carries
// x-amz-request-id and x-amz-id-2; every error is S3's XML error document;
// an operation not built answers 501 NotImplemented, never a wrong success.
package s3api

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/olkit/olkit/localemu/internal/s3auth"
	"github.com/olkit/olkit/localemu/internal/store"
	"github.com/olkit/olkit/s3err"
)

// Config is what the API serves.
type Config struct {
	Store  *store.Store
	Auth   *s3auth.Verifier
	Region string
	// Account is the account id the emulator plays: policies name its
	// users arn:aws:iam::<Account>:user/<access key>.
	Account string
	// Domain is the host suffix of virtual-host addressing: a request to
	// "bucket.<Domain>[:port]" names the bucket in its host.
	Domain string
	// Logf, if set, receives one line per failed request.
	Logf func(format string, args ...any)
}

// Handler is the S3 API as an http.Handler.
type Handler struct {
	cfg Config
	ops map[string]opFunc
}

// Route is a request resolved to what it addresses.
type Route struct {
	Bucket, Key string
	VirtualHost bool   // the bucket came from the Host header
	Op          string // S3 operation name, e.g. "GetObject"
}

type opFunc func(*call) error

// call is one request on its way through an operation.
type call struct {
	w     http.ResponseWriter
	r     *http.Request
	route Route
	auth  *s3auth.Result
	q     url.Values
	reqID string
	h     *Handler
}

// New returns the API over cfg.
func New(cfg Config) *Handler {
	if cfg.Domain == "" {
		cfg.Domain = "localhost"
	}
	h := &Handler{cfg: cfg}
	h.ops = h.operations()
	return h
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	route, err := h.Resolve(r)
	var auth *s3auth.Result
	if err == nil {
		if anon, ok := s3auth.Anonymous(r); ok {
			auth = anon
		} else {
			auth, err = h.cfg.Auth.Verify(r, bucketIfVirtual(route))
		}
	}
	h.serve(w, r, route, auth, err)
}

// ServeRoute serves a request already authenticated (auth) on route, which
// may differ from what its URL says: an Object Lambda access point passes
// requests it does not transform to its supporting bucket this way, after
// verifying the signature against the URL the client signed.
func (h *Handler) ServeRoute(w http.ResponseWriter, r *http.Request, route Route, auth *s3auth.Result) {
	route.Op = operation(r, route)
	h.serve(w, r, route, auth, nil)
}

// Fail answers r with err as S3's error XML, with the usual request ids.
func (h *Handler) Fail(w http.ResponseWriter, r *http.Request, route Route, err error) {
	h.serve(w, r, route, nil, err)
}

func (h *Handler) serve(w http.ResponseWriter, r *http.Request, route Route, auth *s3auth.Result, err error) {
	c := &call{w: w, r: r, q: r.URL.Query(), reqID: newRequestID(), h: h, route: route, auth: auth}
	w.Header().Set("X-Amz-Request-Id", c.reqID)
	w.Header().Set("X-Amz-Id-2", c.reqID+"/localemu")
	w.Header().Set("Server", "localemu")
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			h.fail(c, s3err.New(http.StatusInternalServerError, "InternalError", "localemu failed serving this request: %v", p))
		}
	}()
	if err == nil {
		defer c.auth.Body.Close()
		c.applyCORS()
		err = c.run()
	}
	if err != nil {
		h.fail(c, err)
	}
}

// run authorizes the call's operation, then runs it.
func (c *call) run() error {
	op, ok := c.h.ops[c.route.Op]
	if !ok {
		return s3err.New(http.StatusNotImplemented, "NotImplemented", "localemu does not implement %s", c.route.Op)
	}
	if err := c.authorize(); err != nil {
		return err
	}
	return op(c)
}

func bucketIfVirtual(r Route) string {
	if r.VirtualHost {
		return r.Bucket
	}
	return ""
}

func newRequestID() string {
	var b [8]byte
	rand.Read(b[:])
	return strings.ToUpper(hex.EncodeToString(b[:]))
}

// Resolve finds the bucket, key and operation a request addresses.
func (h *Handler) Resolve(r *http.Request) (Route, error) {
	var rt Route
	host := r.Host
	if hst, _, err := net.SplitHostPort(host); err == nil {
		host = hst
	}
	path := r.URL.Path
	if b, ok := virtualHost(strings.ToLower(host), h.cfg.Domain); ok {
		rt.Bucket, rt.VirtualHost = b, true
		rt.Key = strings.TrimPrefix(path, "/")
	} else {
		rest := strings.TrimPrefix(path, "/")
		rt.Bucket, rt.Key, _ = strings.Cut(rest, "/")
	}
	if len(rt.Key) > 1024 {
		return rt, s3err.New(http.StatusBadRequest, "KeyTooLongError", "Your key is too long")
	}
	if !utf8.ValidString(rt.Key) {
		return rt, s3err.New(http.StatusBadRequest, "InvalidArgument", "the object key is not valid UTF-8")
	}
	rt.Op = operation(r, rt)
	return rt, nil
}

// arnLabel is the first label SDKs make of an access point ARN:
// "<name>-<account>".
var arnLabel = regexp.MustCompile(`^[a-z0-9-]+-[0-9]{12}$`)

// virtualHost takes the bucket (or access point) from a virtual host:
// "<bucket>.<domain>", or the host an SDK makes of an access point ARN on
// an endpoint given by address, "<name>-<account>.127.0.0.1", which no
// domain covers.
func virtualHost(host, domain string) (string, bool) {
	if b, ok := strings.CutSuffix(host, "."+domain); ok && b != "" {
		return b, true
	}
	if label, rest, ok := strings.Cut(host, "."); ok && net.ParseIP(rest) != nil && arnLabel.MatchString(label) {
		return label, true
	}
	return "", false
}

// errorDoc is S3's error document.
type errorDoc struct {
	XMLName    xml.Name `xml:"Error"`
	Code       string
	Message    string
	BucketName string `xml:",omitempty"`
	Key        string `xml:",omitempty"`
	Resource   string
	RequestID  string `xml:"RequestId"`
	HostID     string `xml:"HostId"`
}

func (h *Handler) fail(c *call, err error) {
	e := s3err.From(err)
	if h.cfg.Logf != nil {
		h.cfg.Logf("localemu: %s %s: %s %s: %s", c.r.Method, c.r.URL.Path, c.route.Op, e.Code, e.Message)
	}
	if e.Status >= 500 && e.Err != nil {
		log.Printf("localemu: %s %s: %v", c.r.Method, c.r.URL.Path, e)
	}
	hdr := c.w.Header()
	hdr.Del("Content-Length")
	hdr.Del("ETag")
	hdr.Del("Last-Modified")
	hdr.Set("Content-Type", "application/xml")
	if c.r.Method == http.MethodHead {
		c.w.WriteHeader(e.Status)
		return
	}
	doc := errorDoc{Code: e.Code, Message: e.Message, Resource: c.r.URL.Path, RequestID: c.reqID, HostID: c.reqID + "/localemu"}
	switch e.Code {
	case "NoSuchBucket", "BucketNotEmpty", "BucketAlreadyExists", "BucketAlreadyOwnedByYou":
		doc.BucketName = c.route.Bucket
	case "NoSuchKey":
		doc.Key = c.route.Key
	}
	if e.Status == http.StatusMethodNotAllowed {
		hdr.Set("Allow", "GET, PUT, HEAD, DELETE, POST")
	}
	c.w.WriteHeader(e.Status)
	fmt.Fprint(c.w, xml.Header)
	xml.NewEncoder(c.w).Encode(doc)
}

// writeXML answers 200 with v as the XML body.
func (c *call) writeXML(v any) error {
	c.w.Header().Set("Content-Type", "application/xml")
	c.w.WriteHeader(http.StatusOK)
	fmt.Fprint(c.w, xml.Header)
	return xml.NewEncoder(c.w).Encode(v)
}

// readXML decodes a small XML request body into v.
func (c *call) readXML(v any) error {
	const limit = 4 << 20
	dec := xml.NewDecoder(&limitedReader{r: c.auth.Body, n: limit})
	if err := dec.Decode(v); err != nil {
		if e, ok := err.(*s3err.Error); ok {
			return e
		}
		return s3err.New(http.StatusBadRequest, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema: %v", err)
	}
	return nil
}

type limitedReader struct {
	r interface{ Read([]byte) (int, error) }
	n int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		return 0, s3err.New(http.StatusBadRequest, "MalformedXML", "the XML body is larger than localemu accepts")
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}

// owner is the canonical owner of an access key.
type owner struct {
	ID          string
	DisplayName string
}

func ownerOf(accessKey string) owner {
	sum := hex.EncodeToString([]byte(accessKey))
	id := strings.Repeat("0", max(0, 64-len(sum))) + sum
	if len(id) > 64 {
		id = id[:64]
	}
	return owner{ID: id, DisplayName: accessKey}
}

func (c *call) owner() owner { return ownerOf(c.auth.AccessKey) }
