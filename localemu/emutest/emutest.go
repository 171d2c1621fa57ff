// Package emutest starts a localemu S3 emulator for a test, in the style of
// httptest.NewServer:
//
//	emu := emutest.New(t)
//	client := s3.NewFromConfig(emu.Config)
//
// The emulator listens on a free loopback port, keeps its data in memory
// (or in a folder, WithDir), and is closed when the test ends. Config is an
// aws-sdk-go-v2 configuration loaded through config.LoadDefaultConfig, so
// it behaves as users' code does (default checksums, AWS_CA_BUNDLE), with
// the emulator's endpoint, region and credentials.
package emutest

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/olkit/olkit/localemu"
)

// Emulator is a running emulator.
type Emulator struct {
	*localemu.Server
	URL       string // endpoint, e.g. http://127.0.0.1:41234
	Region    string
	AccessKey string
	SecretKey string
	// Config is ready for s3.NewFromConfig.
	Config aws.Config
	// HTTPClient trusts the emulator's certificate when it serves TLS.
	HTTPClient *http.Client

	ts *httptest.Server
}

type options struct {
	tls       bool
	dir       string
	configure func(*localemu.Config)
	wrap      func(http.Handler) http.Handler
}

// Option changes how New starts the emulator.
type Option func(*options)

// WithTLS serves HTTPS with a test certificate the Config trusts; over
// HTTPS the SDK sends aws-chunked bodies, as it does against S3.
func WithTLS() Option { return func(o *options) { o.tls = true } }

// WithDir keeps the data in dir (a durable disk store) instead of memory.
func WithDir(dir string) Option { return func(o *options) { o.dir = dir } }

// WithConfig edits the emulator's configuration before it starts.
func WithConfig(fn func(*localemu.Config)) Option { return func(o *options) { o.configure = fn } }

// WithMiddleware wraps the emulator's handler, e.g. to record requests.
func WithMiddleware(wrap func(http.Handler) http.Handler) Option {
	return func(o *options) { o.wrap = wrap }
}

// New starts an emulator that is closed when t ends.
func New(t testing.TB, opts ...Option) *Emulator {
	t.Helper()
	var o options
	for _, fn := range opts {
		fn(&o)
	}
	cfg := localemu.Config{Memory: o.dir == "", DataDir: o.dir, Logf: t.Logf}
	if o.configure != nil {
		o.configure(&cfg)
	}
	srv, err := localemu.New(cfg)
	if err != nil {
		t.Fatalf("emutest: %v", err)
	}
	e := &Emulator{Server: srv, Region: srv.Config.Region, AccessKey: srv.AccessKeys()[0]}
	e.SecretKey = srv.Config.Credentials[e.AccessKey]
	var h http.Handler = srv
	if o.wrap != nil {
		h = o.wrap(h)
	}
	e.ts = httptest.NewUnstartedServer(h)
	if o.tls {
		e.ts.StartTLS()
	} else {
		e.ts.Start()
	}
	t.Cleanup(e.Close)
	e.URL = e.ts.URL
	e.HTTPClient = e.ts.Client()
	e.Config = e.LoadConfig(t, e.URL)
	return e
}

// Close stops the emulator; New arranges it for the end of the test.
func (e *Emulator) Close() { e.ts.Close() }

// LoadConfig loads an aws-sdk-go-v2 configuration through
// config.LoadDefaultConfig for endpoint (the emulator's URL, or
// "http://localhost:<port>" for virtual-host addressing: every host then
// dials the emulator, since Go does not resolve *.localhost).
func (e *Emulator) LoadConfig(t testing.TB, endpoint string) aws.Config {
	t.Helper()
	addr := e.ts.Listener.Addr().String()
	client := awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
		tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		}
		if e.ts.TLS != nil {
			pool := x509.NewCertPool()
			pool.AddCert(e.ts.Certificate())
			tr.TLSClientConfig = &tls.Config{RootCAs: pool}
		}
	})
	cfg, err := config.LoadDefaultConfig(context.Background(),
		config.WithRegion(e.Region),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(e.AccessKey, e.SecretKey, "")),
		config.WithBaseEndpoint(endpoint),
		config.WithHTTPClient(client),
	)
	if err != nil {
		t.Fatalf("emutest: loading the aws config: %v", err)
	}
	return cfg
}
