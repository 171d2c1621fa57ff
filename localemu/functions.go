package localemu

import (
	"errors"
	"net/http"
	"sort"
	"strings"

	"github.com/olkit/olkit/localemu/internal/function"
)

// startFunction makes the invoker a spec declares. A bootstrap function
// gets the emulator as its S3 endpoint (for inputS3Url and WGOR) and the
// first configured credentials as its role's.
func (s *Server) startFunction(f FunctionSpec, builtin function.Invoker) (function.Invoker, func(), error) {
	ways := 0
	for _, set := range []bool{f.Builtin, f.Bootstrap != "", f.InvokeURL != ""} {
		if set {
			ways++
		}
	}
	if f.Name == "" || ways != 1 {
		return nil, nil, errors.New("a function has a name and exactly one of builtin, bootstrap and invokeUrl")
	}
	switch {
	case f.Builtin:
		if builtin == nil {
			return nil, nil, errors.New("no built-in handler in this program")
		}
		return builtin, nil, nil
	case f.InvokeURL != "":
		name := f.FunctionName
		if name == "" {
			name = f.Name
		}
		return &function.HTTPInvoker{Endpoint: f.InvokeURL, Name: name}, nil, nil
	}
	if s.Config.Endpoint == "" {
		return nil, nil, errors.New("a bootstrap function needs the emulator's endpoint (Config.Endpoint) to reach it")
	}
	ak := s.AccessKeys()[0]
	env := []string{"AWS_ENDPOINT_URL_S3=" + s.Config.Endpoint}
	keys := make([]string, 0, len(f.Env))
	for k := range f.Env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		env = append(env, k+"="+f.Env[k])
	}
	b, err := function.NewBootstrap(function.BootstrapConfig{
		Name: f.Name, Path: f.Bootstrap, Env: env, Region: s.Config.Region, AccountID: s.Config.AccountID,
		AccessKey: ak, SecretKey: s.Config.Credentials[ak], MaxConcurrency: f.MaxConcurrency, Logf: s.Config.Logf,
	})
	if err != nil {
		return nil, nil, err
	}
	return b, func() { b.Close() }, nil
}

// invokePath is where the Lambda Invoke API lives.
const invokePath = "/2015-03-31/functions/"

// withInvokeAPI serves the Lambda Invoke API for the setup's functions
// beside the S3 API, so they can be invoked directly as well (aws lambda
// invoke --endpoint-url).
func (s *Server) withInvokeAPI(functions map[string]function.Invoker) {
	invoke := function.InvokeHandler(functions)
	next := s.Handler
	s.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, invokePath) {
			invoke.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}
