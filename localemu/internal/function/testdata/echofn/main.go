// Command echofn is a test Lambda function built with aws-lambda-go: the
// event chooses what it does, so that one binary can show every outcome a
// runtime can produce (answer, error, panic, crash, timeout, failed init,
// an error mid-stream).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

type event struct {
	Action  string          `json:"action"` // echo (default), error, panic, exit, sleep, stream-error, big
	Value   json.RawMessage `json:"value,omitempty"`
	SleepMs int             `json:"sleepMs,omitempty"`
	Size    int             `json:"size,omitempty"`
}

type echo struct {
	PID        int               `json:"pid"`
	Value      json.RawMessage   `json:"value,omitempty"`
	RequestID  string            `json:"requestId"`
	ARN        string            `json:"arn"`
	TraceID    string            `json:"traceId"`
	DeadlineMs int64             `json:"deadlineMs"`
	Env        map[string]string `json:"env"`
	Cwd        string            `json:"cwd"`
}

// failingReader yields some bytes, then fails: aws-lambda-go reports the
// failure in the trailers of its /response request.
type failingReader struct{ r io.Reader }

func (f *failingReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return n, errors.New("stream broke")
	}
	return n, err
}

type customError struct{ msg string }

func (e *customError) Error() string { return e.msg }

func handle(ctx context.Context, ev event) (any, error) {
	if ev.SleepMs > 0 {
		// Tests wait for this line to know the invocation is under way.
		fmt.Fprintln(os.Stderr, "echofn: started, sleeping", ev.SleepMs, "ms")
	}
	switch ev.Action {
	case "error":
		return nil, &customError{"it went wrong"}
	case "panic":
		panic("echofn panics")
	case "exit":
		fmt.Fprintln(os.Stderr, "echofn: exiting with status 3")
		os.Exit(3)
	case "sleep":
		time.Sleep(time.Duration(ev.SleepMs) * time.Millisecond) // ignores ctx, as a stuck function does
		return map[string]string{"slept": "yes"}, nil
	case "stream-error":
		return &failingReader{strings.NewReader(`{"partial":`)}, nil
	case "big":
		return bytes.NewReader(bytes.Repeat([]byte("x"), ev.Size)), nil
	}
	if ev.SleepMs > 0 {
		select {
		case <-time.After(time.Duration(ev.SleepMs) * time.Millisecond):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	out := echo{PID: os.Getpid(), Value: ev.Value, Env: map[string]string{}}
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		out.RequestID, out.ARN = lc.AwsRequestID, lc.InvokedFunctionArn
	}
	if d, ok := ctx.Deadline(); ok {
		out.DeadlineMs = d.UnixMilli()
	}
	out.TraceID, _ = ctx.Value("x-amzn-trace-id").(string)
	for _, kv := range os.Environ() {
		if k, v, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "AWS_") || strings.HasPrefix(k, "LAMBDA_") || k == "_HANDLER" || strings.HasPrefix(k, "ECHOFN_") {
			out.Env[k] = v
		}
	}
	out.Cwd, _ = os.Getwd()
	return out, nil
}

func main() {
	fmt.Println("echofn: starting") // a stdout line for the log capture
	switch os.Getenv("ECHOFN_INIT") {
	case "exit":
		fmt.Fprintln(os.Stderr, "echofn: init failed: missing configuration")
		os.Exit(2)
	case "post":
		// What a custom runtime does when its initialisation fails.
		body := `{"errorMessage":"cannot load configuration","errorType":"EchoInitError","stackTrace":[]}`
		req, _ := http.NewRequest(http.MethodPost, "http://"+os.Getenv("AWS_LAMBDA_RUNTIME_API")+"/2018-06-01/runtime/init/error", strings.NewReader(body))
		req.Header.Set("Lambda-Runtime-Function-Error-Type", "EchoInitError")
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
		time.Sleep(10 * time.Second) // the Runtime API ends the process
		os.Exit(1)
	}
	lambda.Start(handle)
}
