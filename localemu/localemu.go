package localemu

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/olkit/olkit/localemu/internal/objectlambda"
	"github.com/olkit/olkit/localemu/internal/s3api"
	"github.com/olkit/olkit/localemu/internal/s3auth"
	"github.com/olkit/olkit/localemu/internal/store"
)

// Defaults of a Config left empty.
const (
	DefaultRegion    = "us-east-1"
	DefaultAccountID = "000000000000"
	DefaultDomain    = "localhost"
	DefaultAccessKey = "test"
	DefaultSecretKey = "test"
)

// Config says what an emulator serves.
type Config struct {
	// DataDir is the folder of the durable store; ignored with Memory.
	DataDir string
	// Memory keeps everything in memory and loses it at exit.
	Memory bool
	// JournalCompactMin is the size below which the durable store's
	// journal is never compacted while running; 0 means 64 MiB. Tests set
	// it low to make compaction frequent.
	JournalCompactMin int64
	// Region is the only region requests may be signed for.
	Region string
	// AccountID is the account the emulator plays.
	AccountID string
	// Domain is the virtual-host suffix: "bucket.<Domain>" names a bucket.
	Domain string
	// Credentials maps access keys to secret keys; each pair is its own
	// owner. Empty means test/test.
	Credentials map[string]string
	// Logf, if set, receives a line for each failed request and each
	// Object Lambda invocation.
	Logf func(format string, args ...any)
	// Endpoint is the URL functions reach the emulator at; empty means
	// the host each client used.
	Endpoint string
	// FunctionTimeout is how long an Object Lambda function has to answer,
	// its WGOR body included; 0 means S3's 60 seconds. Tests shorten it.
	FunctionTimeout time.Duration
}

// Server is an emulator: an http.Handler over a store, with Object Lambda
// access points in front of it.
type Server struct {
	http.Handler
	Store  *store.Store
	Config Config
	// ObjectLambda holds the access points and the functions they run.
	ObjectLambda *objectlambda.Handler
}

// New opens the store and returns the emulator. Defaults fill any field
// left empty; DataDir is required unless Memory is set.
func New(cfg Config) (*Server, error) {
	cfg = withDefaults(cfg)
	var st *store.Store
	if cfg.Memory {
		st = store.NewMemory()
	} else {
		if cfg.DataDir == "" {
			return nil, fmt.Errorf("localemu: a data folder is needed unless the store is in memory")
		}
		var err error
		if st, err = store.OpenDiskOptions(cfg.DataDir, store.DiskOptions{CompactMin: cfg.JournalCompactMin}); err != nil {
			return nil, fmt.Errorf("localemu: opening %s: %w", cfg.DataDir, err)
		}
	}
	creds := cfg.Credentials
	secret := func(ak string) (string, bool) { s, ok := creds[ak]; return s, ok }
	verifier := &s3auth.Verifier{
		Secret: secret,
		Region: cfg.Region,
		// Buckets and aliases are signed for s3; the Object Lambda side
		// asks for s3-object-lambda where S3 does (ARN hosts, WGOR).
		Services: []string{"s3"},
	}
	api := s3api.New(s3api.Config{Store: st, Auth: verifier, Region: cfg.Region, Account: cfg.AccountID, Domain: cfg.Domain, Logf: cfg.Logf})
	ol := objectlambda.New(objectlambda.Config{API: api, Auth: verifier, Secret: secret, Region: cfg.Region,
		Account: cfg.AccountID, Domain: cfg.Domain, Endpoint: cfg.Endpoint, Timeout: cfg.FunctionTimeout, Logf: cfg.Logf})
	return &Server{Handler: ol, Store: st, Config: cfg, ObjectLambda: ol}, nil
}

func withDefaults(cfg Config) Config {
	if cfg.Region == "" {
		cfg.Region = DefaultRegion
	}
	if cfg.AccountID == "" {
		cfg.AccountID = DefaultAccountID
	}
	if cfg.Domain == "" {
		cfg.Domain = DefaultDomain
	}
	if len(cfg.Credentials) == 0 {
		cfg.Credentials = map[string]string{DefaultAccessKey: DefaultSecretKey}
	}
	return cfg
}

// ParseCredentials reads "AKID:SECRET" pairs separated by commas or new
// lines (blank lines and # comments ignored), for flags and files.
func ParseCredentials(s string) (map[string]string, error) {
	out := map[string]string{}
	for _, line := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' }) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		ak, sk, ok := strings.Cut(line, ":")
		if !ok || ak == "" || sk == "" {
			return nil, fmt.Errorf("credentials %q: want ACCESS_KEY:SECRET_KEY", line)
		}
		out[strings.TrimSpace(ak)] = strings.TrimSpace(sk)
	}
	return out, nil
}

// AccessKeys lists the configured access keys, sorted.
func (s *Server) AccessKeys() []string {
	keys := make([]string, 0, len(s.Config.Credentials))
	for k := range s.Config.Credentials {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
