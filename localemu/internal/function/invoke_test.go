package function_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/localemu/internal/function"
)

// inProcess is a Go handler that misbehaves on request, like echofn.
var inProcess = function.Func(func(ctx context.Context, event []byte) ([]byte, error) {
	var e struct {
		Action string `json:"action"`
	}
	json.Unmarshal(event, &e)
	switch e.Action {
	case "error":
		return nil, &function.Error{Type: "customError", Message: "it went wrong"}
	case "timeout":
		<-ctx.Done()
		return nil, fmt.Errorf("gave up: %w", context.DeadlineExceeded)
	case "missing":
		return nil, function.ErrNotFound
	case "broken":
		return nil, errors.New("the emulator broke")
	}
	return append([]byte(`{"echo":`), append(event, '}')...), nil
})

func serveInvoke(t *testing.T, fns map[string]function.Invoker) string {
	srv := httptest.NewServer(function.InvokeHandler(fns))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestHTTPInvokerAgainstInvokeHandler(t *testing.T) {
	t.Parallel()
	url := serveInvoke(t, map[string]function.Invoker{"fn": inProcess})
	inv := &function.HTTPInvoker{Endpoint: url + "/", Name: "fn"}
	ctx := context.Background()

	out, err := inv.Invoke(ctx, []byte(`{"a":1}`))
	require.NoError(t, err)
	assert.JSONEq(t, `{"echo":{"a":1}}`, string(out))

	_, err = inv.Invoke(ctx, ev("error"))
	var fe *function.Error
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, function.Error{Type: "customError", Message: "it went wrong"}, *fe)

	tctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	hctx, hcancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer hcancel()
	// The handler's own deadline passes (the server side): a Sandbox.Timedout answer.
	timeoutFn := function.Func(func(_ context.Context, event []byte) ([]byte, error) { return inProcess(hctx, event) })
	url2 := serveInvoke(t, map[string]function.Invoker{"slow": timeoutFn})
	_, err = (&function.HTTPInvoker{Endpoint: url2, Name: "slow"}).Invoke(tctx, ev("timeout"))
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "Task timed out after")
	assert.False(t, errors.As(err, &fe))

	_, err = (&function.HTTPInvoker{Endpoint: url, Name: "nope"}).Invoke(ctx, ev("echo"))
	require.ErrorIs(t, err, function.ErrNotFound)
	_, err = inv.Invoke(ctx, ev("missing"))
	require.ErrorIs(t, err, function.ErrNotFound)

	_, err = inv.Invoke(ctx, ev("broken"))
	require.Error(t, err)
	assert.False(t, errors.Is(err, function.ErrNotFound) || errors.As(err, &fe))
	assert.Contains(t, err.Error(), "500")
	assert.Contains(t, err.Error(), "the emulator broke")

	// Names as ARNs, with a qualifier.
	for _, name := range []string{"arn:aws:lambda:us-east-1:123456789012:function:fn", "123456789012:function:fn:live", "fn:$LATEST"} {
		out, err := (&function.HTTPInvoker{Endpoint: url, Name: name}).Invoke(ctx, []byte(`1`))
		require.NoError(t, err, name)
		assert.JSONEq(t, `{"echo":1}`, string(out))
	}
}

func TestInvokeHandlerWire(t *testing.T) {
	t.Parallel()
	url := serveInvoke(t, map[string]function.Invoker{"fn": inProcess})
	post := func(path string, body string, hdr ...string) *http.Response {
		req, err := http.NewRequest(http.MethodPost, url+path, strings.NewReader(body))
		require.NoError(t, err)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	read := func(r *http.Response) string { b, _ := io.ReadAll(r.Body); return string(b) }

	r := post("/2015-03-31/functions/fn/invocations", `{"action":"error"}`)
	assert.Equal(t, 200, r.StatusCode)
	assert.Equal(t, "Unhandled", r.Header.Get("X-Amz-Function-Error"))
	assert.JSONEq(t, `{"errorType":"customError","errorMessage":"it went wrong"}`, read(r))

	r = post("/2015-03-31/functions/other/invocations", `{}`)
	assert.Equal(t, 404, r.StatusCode)
	assert.Equal(t, "ResourceNotFoundException", r.Header.Get("X-Amzn-ErrorType"))
	assert.JSONEq(t, `{"Type":"User","Message":"Function not found: other"}`, read(r))

	r = post("/2015-03-31/functions/fn/invocations", ``, "X-Amz-Invocation-Type", "DryRun")
	assert.Equal(t, 204, r.StatusCode)
	r = post("/2015-03-31/functions/fn/invocations", `{}`, "X-Amz-Invocation-Type", "Event")
	assert.Equal(t, 202, r.StatusCode)
	r = post("/2015-03-31/functions/fn/invocations", ``)
	assert.Equal(t, 200, r.StatusCode)
	assert.JSONEq(t, `{"echo":{}}`, read(r), "an empty body is {}")
	r = post("/2015-03-31/functions/fn/invocations", strings.Repeat("x", 6<<20+1))
	assert.Equal(t, 413, r.StatusCode)

	r = post("/2015-03-31/functions/fn/configuration", `{}`)
	assert.Equal(t, 404, r.StatusCode)
	resp, err := http.Get(url + "/2015-03-31/functions/fn/invocations")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 405, resp.StatusCode)
}

// TestHTTPInvokerSigns checks the SigV4 signature the Lambda service wants.
func TestHTTPInvokerSigns(t *testing.T) {
	t.Parallel()
	var got http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		io.WriteString(w, `{}`)
	}))
	defer srv.Close()
	inv := &function.HTTPInvoker{Endpoint: srv.URL, Name: "fn", Region: "eu-west-1", AccessKey: "AKID", SecretKey: "s", SessionToken: "tok"}
	_, err := inv.Invoke(context.Background(), []byte(`{}`))
	require.NoError(t, err)
	assert.Contains(t, got.Get("Authorization"), "Credential=AKID/")
	assert.Contains(t, got.Get("Authorization"), "/eu-west-1/lambda/aws4_request")
	assert.Equal(t, "tok", got.Get("X-Amz-Security-Token"))
}

// TestHTTPInvokerAgainstBootstrap: the Invoke API in front of a real
// process, every outcome round-tripping to the same error as direct.
func TestHTTPInvokerAgainstBootstrap(t *testing.T) {
	t.Parallel()
	b, _ := newEcho(t, function.BootstrapConfig{Timeout: 500 * time.Millisecond, MaxConcurrency: 2})
	url := serveInvoke(t, map[string]function.Invoker{"echo": b})
	inv := &function.HTTPInvoker{Endpoint: url, Name: "echo"}

	r1 := invokeEcho(t, inv, "via http")
	assert.JSONEq(t, `"via http"`, string(r1.Value))
	assert.Equal(t, r1.PID, invokeEcho(t, inv, 2).PID)

	ctx := context.Background()
	_, err := inv.Invoke(ctx, ev("panic"))
	var fe *function.Error
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "echofn panics", fe.Message)

	_, err = inv.Invoke(ctx, ev("exit"))
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "Runtime.ExitError", fe.Type)

	_, err = inv.Invoke(ctx, ev("sleep", "sleepMs", 10000))
	require.ErrorIs(t, err, context.DeadlineExceeded)

	out := invokeConcurrently(t, inv, 2, ev("echo", "sleepMs", 100))
	assert.Len(t, pidsOf(t, out), 2)
}
