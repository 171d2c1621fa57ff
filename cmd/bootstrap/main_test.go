package main_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/internal/fakes3"
	"github.com/olkit/olkit/internal/syncbuf"
)

// runtimeAPI is a minimal Lambda Runtime API: it hands out queued events on
// /next and records what the function posts back.
type runtimeAPI struct {
	*httptest.Server
	events chan invocation

	mu        sync.Mutex
	responses map[string][]byte
	errors    map[string][]byte
	done      chan string
}

type invocation struct {
	id   string
	body []byte
}

func newRuntimeAPI(t *testing.T) *runtimeAPI {
	api := &runtimeAPI{
		events:    make(chan invocation, 10),
		responses: map[string][]byte{},
		errors:    map[string][]byte{},
		done:      make(chan string, 10),
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2018-06-01/runtime/invocation/next", func(w http.ResponseWriter, r *http.Request) {
		select {
		case inv := <-api.events:
			w.Header().Set("Lambda-Runtime-Aws-Request-Id", inv.id)
			w.Header().Set("Lambda-Runtime-Deadline-Ms", fmt.Sprint(time.Now().Add(30*time.Second).UnixMilli()))
			w.Header().Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:000000000000:function:olkit")
			w.Write(inv.body)
		case <-r.Context().Done():
		}
	})
	record := func(into map[string][]byte) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			id := r.PathValue("id")
			api.mu.Lock()
			into[id] = body
			api.mu.Unlock()
			w.WriteHeader(http.StatusAccepted)
			api.done <- id
		}
	}
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/response", record(api.responses))
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/error", record(api.errors))
	api.Server = httptest.NewServer(mux)
	t.Cleanup(api.Close)
	return api
}

// invoke queues an event and waits for the function's answer to it.
func (api *runtimeAPI) invoke(t *testing.T, id string, event any) (response, errBody []byte) {
	t.Helper()
	body, err := json.Marshal(event)
	require.NoError(t, err)
	api.events <- invocation{id: id, body: body}
	select {
	case got := <-api.done:
		require.Equal(t, id, got)
	case <-time.After(20 * time.Second):
		t.Fatalf("invocation %s: no answer from the function", id)
	}
	api.mu.Lock()
	defer api.mu.Unlock()
	return api.responses[id], api.errors[id]
}

// buildBootstrap builds the real binary as Lambda would run it.
func buildBootstrap(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "bootstrap")
	cmd := exec.Command("go", "build", "-tags", "lambda.norpc", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return bin
}

func TestBootstrapBinaryUnderRuntimeAPI(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBootstrap(t)
	s3 := fakes3.New(t)
	api := newRuntimeAPI(t)

	logs := &syncbuf.Buffer{}
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(),
		"AWS_LAMBDA_RUNTIME_API="+strings.TrimPrefix(api.URL, "http://"),
		"AWS_LAMBDA_FUNCTION_NAME=olkit",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=512",
		"AWS_REGION=us-east-1",
		"AWS_ACCESS_KEY_ID=test",
		"AWS_SECRET_ACCESS_KEY=test",
		"AWS_SESSION_TOKEN=",
		"AWS_ENDPOINT_URL_S3="+s3.URL,
		"OLKIT_TRANSFORMS=",
	)
	cmd.Stdout, cmd.Stderr = logs, logs
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })

	const size = 5<<20 + 3
	s3.Put("data.bin", fakes3.Object{
		Header: http.Header{"Content-Type": {"application/octet-stream"}, "X-Amz-Meta-Team": {"infra"}},
		Size:   size,
		Body:   func() io.Reader { return fakes3.Pattern(size) },
	})

	// A GetObject event: answered through WGOR, then /response.
	resp, errBody := api.invoke(t, "inv-1", s3.Event("data.bin", "", map[string]string{"x-amz-checksum-mode": "ENABLED"}))
	require.Nil(t, errBody, "unexpected /error: %s\nlogs:\n%s", errBody, logs)
	assert.JSONEq(t, `{"statusCode":200}`, string(resp))
	w := s3.WaitWGOR(t, 0)
	assert.Equal(t, 200, w.Status)
	assert.Equal(t, int64(size), w.BodyLen)
	assert.Equal(t, fakes3.PatternCRC(size), w.BodyCRC)
	assert.Equal(t, "infra", w.Meta["team"])
	assert.Contains(t, w.Request.Get("Authorization"), "Credential=test/")

	// A bad payload: a 400 InvalidRequest through WGOR; the invocation itself succeeds.
	resp, errBody = api.invoke(t, "inv-2", s3.Event("data.bin", `{"transforms":[{"name":"no-such"}]}`, nil))
	require.Nil(t, errBody)
	assert.Contains(t, string(resp), `"errorCode":"InvalidRequest"`)
	w = s3.WaitWGOR(t, 1)
	assert.Equal(t, 400, w.Status)
	assert.Contains(t, w.ErrorMessage, `unknown transform "no-such"`)

	// An event with no context at all: the handler fails, posted to /error.
	resp, errBody = api.invoke(t, "inv-3", map[string]any{"xAmzRequestId": "x"})
	assert.Nil(t, resp)
	assert.Contains(t, string(errBody), "no getObjectContext")

	// The same warm process served all three, and logged each request once.
	assert.Eventually(t, func() bool { return strings.Count(logs.String(), `"msg":"getobject"`) == 2 },
		5*time.Second, 10*time.Millisecond, logs.String())
}
