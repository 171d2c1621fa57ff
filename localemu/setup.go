package localemu

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/olkit/olkit/localemu/internal/function"
	"github.com/olkit/olkit/localemu/internal/objectlambda"
	"github.com/olkit/olkit/localemu/internal/store"
	"github.com/olkit/olkit/s3err"
)

// Setup is what an emulator serves from its start: buckets, functions and
// Object Lambda access points. A --config file holds one as JSON:
//
//	{"buckets":["data"],
//	 "functions":[{"name":"olkit","builtin":true},
//	              {"name":"mine","bootstrap":"./bin/amd64/bootstrap","env":{"OLKIT_TRANSFORMS":"..."}},
//	              {"name":"remote","invokeUrl":"http://127.0.0.1:3001","functionName":"MyFunction"}],
//	 "accessPoints":[{"name":"gunzip","bucket":"data","function":"olkit",
//	                  "payload":"{\"transforms\":[{\"name\":\"decompress\"}]}",
//	                  "allowedFeatures":["GetObject-Range"],"actions":["GetObject","HeadObject"]}]}
type Setup struct {
	Buckets      []string                   `json:"buckets"`
	Functions    []FunctionSpec             `json:"functions"`
	AccessPoints []objectlambda.AccessPoint `json:"accessPoints"`
}

// FunctionSpec declares a function, one of three ways.
type FunctionSpec struct {
	Name string `json:"name"`
	// Builtin runs the olkit handler in process (the command provides it).
	Builtin bool `json:"builtin,omitempty"`
	// Bootstrap is the path of a Lambda bootstrap binary, run as a child
	// process talking the Lambda Runtime API the emulator serves; Env adds
	// to its environment.
	Bootstrap      string            `json:"bootstrap,omitempty"`
	Env            map[string]string `json:"env,omitempty"`
	MaxConcurrency int               `json:"maxConcurrency,omitempty"`
	// InvokeURL is a Lambda Invoke endpoint (such as sam local
	// start-lambda's) serving the function as FunctionName (default Name).
	InvokeURL    string `json:"invokeUrl,omitempty"`
	FunctionName string `json:"functionName,omitempty"`
}

// LoadSetup reads a setup file; unknown fields are refused so typos show.
func LoadSetup(path string) (Setup, error) {
	var s Setup
	data, err := os.ReadFile(path)
	if err != nil {
		return s, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return s, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// Demo payloads, for the demo's access points.
const (
	DemoDecompress       = `{"transforms":[{"name":"decompress"}]}`
	DemoRedact           = `{"transforms":[{"name":"decompress"},{"name":"redact"}]}`
	DemoPIIAccessControl = `{"transforms":[{"name":"decompress"},{"name":"pii-access-control"}]}`
)

// DemoSetup is what the emulator serves with no config: bucket demo and
// access points decompress, redact and pii-access-control over it, each
// running the built-in olkit handler with its chain, all four actions
// transformed and all four Range and partNumber features allowed.
func DemoSetup() Setup {
	ap := func(name, payload string) objectlambda.AccessPoint {
		return objectlambda.AccessPoint{Name: name, Bucket: "demo", Function: "olkit", Payload: payload,
			AllowedFeatures: objectlambda.Features, Actions: objectlambda.Actions}
	}
	return Setup{
		Buckets:   []string{"demo"},
		Functions: []FunctionSpec{{Name: "olkit", Builtin: true}},
		AccessPoints: []objectlambda.AccessPoint{
			ap("decompress", DemoDecompress),
			ap("redact", DemoRedact),
			ap("pii-access-control", DemoPIIAccessControl),
		},
	}
}

// Apply creates the setup's buckets (keeping existing ones), starts its
// functions and adds its access points. builtin is the in-process olkit
// handler, for functions declared builtin. The returned closer stops the
// functions' processes.
func (s *Server) Apply(setup Setup, builtin function.Invoker) (closer func(), err error) {
	owner := s.AccessKeys()[0]
	for _, b := range setup.Buckets {
		err := s.Store.CreateBucket(store.Bucket{Name: b, Owner: owner})
		var e *s3err.Error
		if err != nil && !(errors.As(err, &e) && e.Code == "BucketAlreadyOwnedByYou") {
			return nil, fmt.Errorf("bucket %s: %w", b, err)
		}
	}
	var closers []func()
	functions := map[string]function.Invoker{}
	closeAll := func() {
		for _, c := range closers {
			c()
		}
	}
	for _, f := range setup.Functions {
		inv, stop, err := s.startFunction(f, builtin)
		if err != nil {
			closeAll()
			return nil, fmt.Errorf("function %s: %w", f.Name, err)
		}
		if stop != nil {
			closers = append(closers, stop)
		}
		s.ObjectLambda.SetFunction(f.Name, inv)
		functions[f.Name] = inv
	}
	s.withInvokeAPI(functions)
	for _, ap := range setup.AccessPoints {
		if err := s.ObjectLambda.Put(ap); err != nil {
			closeAll()
			return nil, err
		}
	}
	return closeAll, nil
}
