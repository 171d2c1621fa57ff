package objectlambda

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/olkit/olkit/localemu/internal/function"
	"github.com/olkit/olkit/localemu/internal/s3api"
	"github.com/olkit/olkit/localemu/internal/s3auth"
	"github.com/olkit/olkit/s3err"
)

// DefaultTimeout is how long S3 lets a function answer.
const DefaultTimeout = 60 * time.Second

// Config is what the access points need of the emulator.
type Config struct {
	API     *s3api.Handler   // the storage API: pass-through and errors
	Auth    *s3auth.Verifier // must accept services s3 and s3-object-lambda
	Secret  func(accessKey string) (string, bool)
	Region  string
	Account string
	Domain  string
	// Endpoint is the URL functions reach the emulator at (presigned URLs
	// and WGOR); empty means the host the client used, without a bucket.
	Endpoint string
	Timeout  time.Duration
	Logf     func(format string, args ...any)
}

// Handler serves the emulator with Object Lambda access points in front
// of the storage API.
type Handler struct {
	cfg       Config
	aps       registry
	fnMu      sync.RWMutex
	functions map[string]function.Invoker
	pending   sync.Map // token -> *pending
}

// New returns the handler; Put adds access points, SetFunction functions.
func New(cfg Config) *Handler {
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	return &Handler{cfg: cfg, aps: registry{account: cfg.Account, byName: map[string]*AccessPoint{}}, functions: map[string]function.Invoker{}}
}

// Put adds or replaces an access point.
func (h *Handler) Put(ap AccessPoint) error {
	ap.Function = functionName(ap.Function)
	if err := ap.Check(); err != nil {
		return err
	}
	h.aps.put(&ap)
	return nil
}

// AccessPoints lists the access points, sorted by name.
func (h *Handler) AccessPoints() []AccessPoint {
	var out []AccessPoint
	for _, ap := range h.aps.list() {
		out = append(out, *ap)
	}
	return out
}

// Alias and ARN of an access point of this emulator.
func (h *Handler) Alias(name string) string { return Alias(h.cfg.Account, name) }
func (h *Handler) ARN(name string) string   { return ARN(h.cfg.Region, h.cfg.Account, name) }

// SetTimeout sets how long a function may take (S3's is 60 seconds).
func (h *Handler) SetTimeout(d time.Duration) {
	h.fnMu.Lock()
	defer h.fnMu.Unlock()
	h.cfg.Timeout = d
}

func (h *Handler) timeout() time.Duration {
	h.fnMu.RLock()
	defer h.fnMu.RUnlock()
	return h.cfg.Timeout
}

// SetFunction makes name run inv.
func (h *Handler) SetFunction(name string, inv function.Invoker) {
	h.fnMu.Lock()
	defer h.fnMu.Unlock()
	h.functions[name] = inv
}

func (h *Handler) function(name string) (function.Invoker, bool) {
	h.fnMu.RLock()
	defer h.fnMu.RUnlock()
	inv, ok := h.functions[name]
	return inv, ok
}

// functionName takes a function's name from its ARN, if given one.
func functionName(s string) string {
	if strings.HasPrefix(s, "arn:") {
		if i := strings.LastIndex(s, ":function:"); i >= 0 {
			s = s[i+len(":function:"):]
		}
		s, _, _ = strings.Cut(s, ":") // a qualifier
	}
	return s
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w = &lowerAmzHeaders{ResponseWriter: w}
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/WriteGetObjectResponse":
		h.writeGetObjectResponse(w, r)
	case strings.HasPrefix(r.URL.Path, "/v20180820/"):
		h.control(w, r)
	default:
		route, err := h.cfg.API.Resolve(r)
		if err == nil {
			if ap, ok := h.lookup(route); ok {
				h.serveAccessPoint(w, r, ap, route)
				return
			}
			if bucket, ok := h.supportingAccessPoint(route); ok {
				h.serveSupporting(w, r, route, bucket)
				return
			}
		}
		h.cfg.API.ServeHTTP(w, r)
	}
}

// arnHost is the virtual host SDKs make of an access point ARN:
// "<name>-<account>".
var arnHost = regexp.MustCompile(`^([a-z0-9-]+)-([0-9]{12})$`)

// lookup finds the access point a resolved request names: an alias where a
// bucket goes, or the host an ARN becomes.
func (h *Handler) lookup(route s3api.Route) (*AccessPoint, bool) {
	if ap, ok := h.aps.byAlias(route.Bucket); ok {
		return ap, true
	}
	if m := arnHost.FindStringSubmatch(route.Bucket); route.VirtualHost && m != nil && m[2] == h.cfg.Account {
		return h.aps.get(m[1])
	}
	return nil, false
}

// supportingAccessPoint finds the bucket an S3 access point ARN names, as
// the host an SDK makes of it ("<name>-<account>"): the emulator's
// supporting access points are named after their buckets (see the events'
// supportingAccessPointArn), which is how a function reads an original
// with its own role.
func (h *Handler) supportingAccessPoint(route s3api.Route) (string, bool) {
	m := arnHost.FindStringSubmatch(route.Bucket)
	if !route.VirtualHost || m == nil || m[2] != h.cfg.Account {
		return "", false
	}
	return m[1], true
}

// serveSupporting serves a request through a supporting access point as
// the same request to its bucket.
func (h *Handler) serveSupporting(w http.ResponseWriter, r *http.Request, route s3api.Route, bucket string) {
	auth, err := h.cfg.Auth.Verify(r, route.Bucket)
	if err != nil {
		h.cfg.API.Fail(w, r, route, err)
		return
	}
	defer auth.Body.Close()
	pass := route
	pass.Bucket, pass.VirtualHost = bucket, false
	h.cfg.API.ServeRoute(w, r, pass, auth)
}

// serveAccessPoint authenticates as S3 does (the signature covers what the
// client sent), then transforms the configured actions and passes every
// other operation to the supporting bucket untransformed.
func (h *Handler) serveAccessPoint(w http.ResponseWriter, r *http.Request, ap *AccessPoint, route s3api.Route) {
	vhost := ""
	if route.VirtualHost {
		vhost = route.Bucket
	}
	// An alias is a bucket name, signed for s3; the host an ARN becomes is
	// the s3-object-lambda endpoint's, signed for it.
	var auth *s3auth.Result
	var err error
	if _, isAlias := h.aps.byAlias(route.Bucket); isAlias {
		auth, err = h.cfg.Auth.Verify(r, vhost)
	} else {
		auth, err = h.cfg.Auth.VerifyFor(r, vhost, "s3-object-lambda")
	}
	if err != nil {
		h.cfg.API.Fail(w, r, route, err)
		return
	}
	defer auth.Body.Close()
	supporting := route
	supporting.Bucket, supporting.VirtualHost = ap.Bucket, false
	if err := h.cfg.API.Authorize(r, supporting, auth); err != nil {
		h.cfg.API.Fail(w, r, route, err)
		return
	}
	inv := invocation{h: h, w: w, r: r, ap: ap, route: route, auth: auth}
	switch {
	case route.Op == "GetObject" && ap.Transforms("GetObject"):
		inv.get()
	case route.Op == "HeadObject" && ap.Transforms("HeadObject"):
		inv.head()
	case route.Op == "ListObjects" && ap.Transforms("ListObjects"),
		route.Op == "ListObjectsV2" && ap.Transforms("ListObjectsV2"):
		inv.list()
	default:
		pass := route
		pass.Bucket, pass.VirtualHost = ap.Bucket, false
		h.cfg.API.ServeRoute(w, r, pass, auth)
	}
}

// invocation is one request through an access point.
type invocation struct {
	h     *Handler
	w     http.ResponseWriter
	r     *http.Request
	ap    *AccessPoint
	route s3api.Route
	auth  *s3auth.Result
	start time.Time
}

func (inv *invocation) fail(err error) { inv.h.cfg.API.Fail(inv.w, inv.r, inv.route, err) }

// featureAllowed answers 501, as S3 does, a Range or partNumber the access
// point does not allow for this action.
func (inv *invocation) featureAllowed(action string) bool {
	q := inv.r.URL.Query()
	if (inv.r.Header.Get("Range") != "" || q.Has("Range")) && !inv.ap.Allows(action+"-Range") {
		inv.fail(s3err.New(http.StatusNotImplemented, "NotImplemented", "This access point does not allow %s-Range", action))
		return false
	}
	if q.Has("partNumber") && !inv.ap.Allows(action+"-PartNumber") {
		inv.fail(s3err.New(http.StatusNotImplemented, "NotImplemented", "This access point does not allow %s-PartNumber", action))
		return false
	}
	return true
}

// run invokes the access point's function on event, mapping what goes
// wrong to the errors S3 reports.
func (inv *invocation) run(ctx context.Context, event any) ([]byte, *s3err.Error) {
	fn, ok := inv.h.function(inv.ap.Function)
	if !ok {
		return nil, s3err.New(http.StatusNotFound, "LambdaNotFound", "The AWS Lambda function %s was not found", inv.ap.Function)
	}
	body, err := json.Marshal(event)
	if err != nil {
		return nil, s3err.Wrap(err, http.StatusInternalServerError, "InternalError", "localemu could not encode the event: %v", err)
	}
	out, err := fn.Invoke(ctx, body)
	var fe *function.Error
	switch {
	case err == nil:
		return out, nil
	case errors.Is(err, function.ErrNotFound):
		return nil, s3err.New(http.StatusNotFound, "LambdaNotFound", "The AWS Lambda function %s was not found", inv.ap.Function)
	case errors.Is(err, context.DeadlineExceeded):
		return nil, s3err.New(http.StatusInternalServerError, "LambdaTimeout", "The Lambda function did not respond in time")
	case errors.As(err, &fe):
		return nil, s3err.New(http.StatusInternalServerError, "LambdaRuntimeError", "The Lambda function failed: %s: %s", fe.Type, fe.Message)
	}
	return nil, s3err.Wrap(err, http.StatusInternalServerError, "LambdaRuntimeError", "The Lambda function failed: %v", err)
}

// logInvocation writes the invocation's log line.
func (inv *invocation) logInvocation(action string, status int, bytes int64) {
	inv.h.cfg.Logf("localemu: object lambda %s %s %s function=%s status=%d bytes=%d duration=%s",
		inv.ap.Name, action, inv.route.Key, inv.ap.Function, status, bytes, time.Since(inv.start).Round(time.Millisecond))
}

// endpoint is the base URL functions reach the emulator at.
func (h *Handler) endpoint(r *http.Request) string {
	if h.cfg.Endpoint != "" {
		return strings.TrimSuffix(h.cfg.Endpoint, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	host, port, err := net.SplitHostPort(r.Host)
	if err != nil {
		host, port = r.Host, ""
	}
	if _, rest, ok := strings.Cut(host, "."); ok && strings.HasSuffix(host, "."+h.cfg.Domain) {
		host = rest // drop the bucket of a virtual host
	}
	if port != "" {
		host = net.JoinHostPort(host, port)
	}
	return scheme + "://" + host
}

func newToken() string {
	var b [24]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

var invocationSeq atomic.Int64

func requestID() string { return fmt.Sprintf("localemu-%d-%s", invocationSeq.Add(1), newToken()[:8]) }
