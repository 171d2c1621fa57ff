// Package function runs the Lambda functions behind the emulator's Object
// Lambda access points, three ways with the same event: a Go handler in
// process, a real `bootstrap` binary talking the Lambda Runtime API the
// emulator serves, and a remote Lambda Invoke endpoint (as `sam local
// start-lambda` serves). The emulator knows functions only through
// Invoker: it never imports the transforms they run.
package function

import (
	"context"
	"errors"
	"fmt"
)

// Invoker runs a function on an event (JSON) and returns the function's
// result payload (JSON).
type Invoker interface {
	Invoke(ctx context.Context, event []byte) ([]byte, error)
}

// Func adapts an in-process Go handler.
type Func func(ctx context.Context, event []byte) ([]byte, error)

// Invoke calls f.
func (f Func) Invoke(ctx context.Context, event []byte) ([]byte, error) { return f(ctx, event) }

// Error is a function that ran and failed: it returned an error, panicked,
// crashed or failed to start. S3 reports it as 500 LambdaRuntimeError.
type Error struct {
	Type    string // e.g. "Runtime.ExitError", "errorString"
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("function error %s: %s", e.Type, e.Message) }

// ErrNotFound is a function name nothing answers to: 404 LambdaNotFound.
var ErrNotFound = errors.New("function not found")
