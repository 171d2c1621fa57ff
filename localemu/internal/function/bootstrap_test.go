package function_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/internal/syncbuf"
	"github.com/olkit/olkit/localemu/internal/function"
)

func TestNewBootstrapChecksThePath(t *testing.T) {
	_, err := function.NewBootstrap(function.BootstrapConfig{Name: "f", Path: filepath.Join(t.TempDir(), "nope")})
	assert.Error(t, err)
	notExec := filepath.Join(t.TempDir(), "bootstrap")
	require.NoError(t, os.WriteFile(notExec, []byte("#!/bin/sh\n"), 0o644))
	_, err = function.NewBootstrap(function.BootstrapConfig{Name: "f", Path: notExec})
	assert.ErrorContains(t, err, "not an executable")
	_, err = function.NewBootstrap(function.BootstrapConfig{Path: notExec})
	assert.Error(t, err)
}

func TestBootstrapEchoWarmAndEnvironment(t *testing.T) {
	t.Parallel()
	b, logs := newEcho(t, function.BootstrapConfig{
		Name: "echo-env", MemorySize: 512, Timeout: 7 * time.Second,
		Env: []string{"AWS_ENDPOINT_URL_S3=http://127.0.0.1:9", "ECHOFN_EXTRA=yes", "AWS_REGION=ap-south-1"},
	})
	before := time.Now()
	r1 := invokeEcho(t, b, "one")
	r2 := invokeEcho(t, b, map[string]int{"two": 2})

	// Warm: one process served both.
	assert.Equal(t, r1.PID, r2.PID)
	assert.JSONEq(t, `"one"`, string(r1.Value))
	assert.JSONEq(t, `{"two":2}`, string(r2.Value))

	// What the Runtime API sent with each invocation.
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, r1.RequestID)
	assert.NotEqual(t, r1.RequestID, r2.RequestID)
	assert.Equal(t, "arn:aws:lambda:eu-west-3:000000000000:function:echo-env", r1.ARN)
	assert.Regexp(t, `^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$`, r1.TraceID)
	deadline := time.UnixMilli(r1.DeadlineMs)
	assert.WithinDuration(t, before.Add(7*time.Second), deadline, 2*time.Second)

	// The environment Lambda gives a provided runtime, then Env.
	env := r1.Env
	assert.Equal(t, "echo-env", env["AWS_LAMBDA_FUNCTION_NAME"])
	assert.Equal(t, "$LATEST", env["AWS_LAMBDA_FUNCTION_VERSION"])
	assert.Equal(t, "512", env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"])
	assert.Equal(t, "ap-south-1", env["AWS_REGION"], "Env overrides")
	assert.Equal(t, "eu-west-3", env["AWS_DEFAULT_REGION"])
	assert.Equal(t, "AKIDTEST", env["AWS_ACCESS_KEY_ID"])
	assert.Equal(t, "secret", env["AWS_SECRET_ACCESS_KEY"])
	assert.Equal(t, "bootstrap", env["_HANDLER"])
	assert.Equal(t, filepath.Dir(echofn(t)), env["LAMBDA_TASK_ROOT"])
	assert.Equal(t, env["LAMBDA_TASK_ROOT"], r1.Cwd)
	assert.Equal(t, "http://127.0.0.1:9", env["AWS_ENDPOINT_URL_S3"])
	assert.Equal(t, "yes", env["ECHOFN_EXTRA"])
	assert.Regexp(t, `^127\.0\.0\.1:\d+$`, env["AWS_LAMBDA_RUNTIME_API"])
	assert.NotContains(t, env, "AWS_SESSION_TOKEN")

	// The process's output reaches Logf line by line, prefixed.
	assert.Contains(t, logs.String(), "echo-env: echofn: starting\n")
}

func TestBootstrapContextDeadlineIsTheRuntimeDeadline(t *testing.T) {
	t.Parallel()
	b, _ := newEcho(t, function.BootstrapConfig{})
	ctx, cancel := context.WithTimeout(context.Background(), 9*time.Second)
	defer cancel()
	want, _ := ctx.Deadline()
	out, err := b.Invoke(ctx, ev("echo"))
	require.NoError(t, err)
	var r echoReply
	require.NoError(t, json.Unmarshal(out, &r))
	assert.WithinDuration(t, want, time.UnixMilli(r.DeadlineMs), time.Millisecond)
}

func TestBootstrapFunctionError(t *testing.T) {
	t.Parallel()
	b, _ := newEcho(t, function.BootstrapConfig{})
	r1 := invokeEcho(t, b, 1)
	_, err := b.Invoke(context.Background(), ev("error"))
	var fe *function.Error
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "customError", fe.Type)
	assert.Equal(t, "it went wrong", fe.Message)
	// A handled error leaves the process warm.
	assert.Equal(t, r1.PID, invokeEcho(t, b, 2).PID)
}

func TestBootstrapPanic(t *testing.T) {
	t.Parallel()
	b, _ := newEcho(t, function.BootstrapConfig{MaxConcurrency: 1})
	r1 := invokeEcho(t, b, 1)
	_, err := b.Invoke(context.Background(), ev("panic"))
	var fe *function.Error
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "string", fe.Type) // aws-lambda-go names a panic by its value's type
	assert.Equal(t, "echofn panics", fe.Message)
	// aws-lambda-go exits after a panic: the next invocation gets a new
	// process, not the exit of the old one.
	r2 := invokeEcho(t, b, 2)
	assert.NotEqual(t, r1.PID, r2.PID)
	assert.False(t, alive(r1.PID))
}

func TestBootstrapCrashIsReplaced(t *testing.T) {
	t.Parallel()
	b, logs := newEcho(t, function.BootstrapConfig{Name: "crashy", MaxConcurrency: 1})
	r1 := invokeEcho(t, b, 1)
	_, err := b.Invoke(context.Background(), ev("exit"))
	var fe *function.Error
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "Runtime.ExitError", fe.Type)
	assert.Contains(t, fe.Message, "Runtime exited with error: exit status 3")
	assert.Contains(t, fe.Message, "echofn: exiting with status 3", "the stderr tail")
	assert.False(t, alive(r1.PID))
	assert.Contains(t, logs.String(), "crashy: echofn: exiting with status 3\n")

	r2 := invokeEcho(t, b, 2)
	assert.NotEqual(t, r1.PID, r2.PID)
	assert.Equal(t, r2.PID, invokeEcho(t, b, 3).PID)
}

func TestBootstrapTimeoutKillsAndReplaces(t *testing.T) {
	t.Parallel()
	b, _ := newEcho(t, function.BootstrapConfig{Timeout: 700 * time.Millisecond, MaxConcurrency: 1})
	r1 := invokeEcho(t, b, 1)
	start := time.Now()
	_, err := b.Invoke(context.Background(), ev("sleep", "sleepMs", 30000))
	took := time.Since(start)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "Task timed out after 0.70 seconds")
	var fe *function.Error
	assert.False(t, errors.As(err, &fe), "a timeout is not a function error")
	assert.Less(t, took, 5*time.Second)
	assert.False(t, alive(r1.PID), "the stuck process is killed")

	r2 := invokeEcho(t, b, 2)
	assert.NotEqual(t, r1.PID, r2.PID)

	// The caller's deadline, earlier than Timeout, applies too.
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err = b.Invoke(ctx, ev("sleep", "sleepMs", 30000))
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.False(t, alive(r2.PID))
}

func TestBootstrapCallerCancelLetsTheFunctionFinish(t *testing.T) {
	t.Parallel()
	b, _ := newEcho(t, function.BootstrapConfig{MaxConcurrency: 1})
	r1 := invokeEcho(t, b, 1)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	_, err := b.Invoke(ctx, ev("sleep", "sleepMs", 400))
	require.ErrorIs(t, err, context.Canceled)
	// The process finishes that invocation, then serves the next.
	assert.Equal(t, r1.PID, invokeEcho(t, b, 2).PID)
}

func TestBootstrapStreamedResponseErrorTrailer(t *testing.T) {
	t.Parallel()
	b, _ := newEcho(t, function.BootstrapConfig{})
	_, err := b.Invoke(context.Background(), ev("stream-error"))
	var fe *function.Error
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "errorString", fe.Type)
	assert.Equal(t, "stream broke", fe.Message)
}

func TestBootstrapResponseTooLarge(t *testing.T) {
	t.Parallel()
	b, _ := newEcho(t, function.BootstrapConfig{})
	_, err := b.Invoke(context.Background(), ev("big", "size", 6<<20+1))
	var fe *function.Error
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "Function.ResponseSizeTooLarge", fe.Type)
	invokeEcho(t, b, "still works")
}

func TestBootstrapInitFailure(t *testing.T) {
	t.Parallel()
	t.Run("exit", func(t *testing.T) {
		t.Parallel()
		b, _ := newEcho(t, function.BootstrapConfig{Env: []string{"ECHOFN_INIT=exit"}})
		_, err := b.Invoke(context.Background(), ev("echo"))
		var fe *function.Error
		require.ErrorAs(t, err, &fe)
		assert.Equal(t, "Runtime.ExitError", fe.Type)
		assert.Contains(t, fe.Message, "exit status 2")
		assert.Contains(t, fe.Message, "echofn: init failed: missing configuration")
	})
	t.Run("init error", func(t *testing.T) {
		t.Parallel()
		b, _ := newEcho(t, function.BootstrapConfig{Env: []string{"ECHOFN_INIT=post"}})
		start := time.Now()
		_, err := b.Invoke(context.Background(), ev("echo"))
		var fe *function.Error
		require.ErrorAs(t, err, &fe)
		assert.Equal(t, "EchoInitError", fe.Type)
		assert.Contains(t, fe.Message, "cannot load configuration")
		assert.Less(t, time.Since(start), 5*time.Second, "the process is ended, not waited for")
	})
}

func TestBootstrapMissingExecutable(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bootstrap")
	require.NoError(t, os.WriteFile(path, []byte("#!/bin/sh\nexit 0\n"), 0o755))
	b, err := function.NewBootstrap(function.BootstrapConfig{Name: "gone", Path: path, Logf: t.Logf})
	require.NoError(t, err)
	defer b.Close()
	require.NoError(t, os.Remove(path))
	_, err = b.Invoke(context.Background(), []byte(`{}`))
	var fe *function.Error
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "Runtime.InvalidEntrypoint", fe.Type)
}

func TestBootstrapExitWithoutReason(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bootstrap")
	require.NoError(t, os.WriteFile(path, []byte("#!/bin/sh\necho quitting >&2\nexit 0\n"), 0o755))
	b, err := function.NewBootstrap(function.BootstrapConfig{Name: "quitter", Path: path, Logf: t.Logf})
	require.NoError(t, err)
	defer b.Close()
	_, err = b.Invoke(context.Background(), []byte(`{}`))
	var fe *function.Error
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "Runtime.ExitError", fe.Type)
	assert.Contains(t, fe.Message, "Runtime exited without providing a reason")
	assert.Contains(t, fe.Message, "quitting")
}

func pidsOf(t *testing.T, outs [][]byte) map[int]bool {
	pids := map[int]bool{}
	for _, out := range outs {
		var r echoReply
		require.NoError(t, json.Unmarshal(out, &r), "%s", out)
		pids[r.PID] = true
	}
	return pids
}

func invokeConcurrently(t *testing.T, inv function.Invoker, n int, event []byte) [][]byte {
	outs := make([][]byte, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			outs[i], errs[i] = inv.Invoke(ctx, event)
		})
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	return outs
}

func TestBootstrapConcurrency(t *testing.T) {
	t.Parallel()
	const n = 4
	t.Run("one process each", func(t *testing.T) {
		t.Parallel()
		b, _ := newEcho(t, function.BootstrapConfig{MaxConcurrency: n})
		pids := pidsOf(t, invokeConcurrently(t, b, n, ev("echo", "sleepMs", 300)))
		assert.Len(t, pids, n)
		// Warm now: another round reuses those processes.
		again := pidsOf(t, invokeConcurrently(t, b, n, ev("echo", "sleepMs", 300)))
		assert.Equal(t, pids, again)
	})
	t.Run("queued on one", func(t *testing.T) {
		t.Parallel()
		b, _ := newEcho(t, function.BootstrapConfig{MaxConcurrency: 1})
		invokeEcho(t, b, "warm up")
		start := time.Now()
		pids := pidsOf(t, invokeConcurrently(t, b, n, ev("echo", "sleepMs", 200)))
		assert.Len(t, pids, 1)
		assert.GreaterOrEqual(t, time.Since(start), n*200*time.Millisecond, "one at a time")
	})
	t.Run("queued past the deadline", func(t *testing.T) {
		t.Parallel()
		b, logs := newEcho(t, function.BootstrapConfig{MaxConcurrency: 1})
		done := make(chan error, 1)
		go func() {
			_, err := b.Invoke(context.Background(), ev("echo", "sleepMs", 1000))
			done <- err
		}()
		waitStarted(t, logs, 1)
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		_, err := b.Invoke(ctx, ev("echo"))
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.NoError(t, <-done)
	})
}

// TestBootstrapCloseLeavesNothing is not parallel: it counts goroutines.
func TestBootstrapCloseLeavesNothing(t *testing.T) {
	path := echofn(t)
	logs := &syncbuf.Buffer{}
	cfg := function.BootstrapConfig{Name: "closing", Path: path, MaxConcurrency: 3,
		Logf: func(format string, args ...any) { fmt.Fprintf(logs, format+"\n", args...) }}
	base := runtime.NumGoroutine()
	b, err := function.NewBootstrap(cfg)
	require.NoError(t, err)
	pids := pidsOf(t, invokeConcurrently(t, b, 3, ev("echo", "sleepMs", 200)))
	require.Len(t, pids, 3)

	// One invocation in flight while closing: it fails, it does not hang.
	inflight := make(chan error, 1)
	go func() {
		_, err := b.Invoke(context.Background(), ev("sleep", "sleepMs", 30000))
		inflight <- err
	}()
	waitStarted(t, logs, 4) // three before it, then this one
	require.NoError(t, b.Close())
	select {
	case err := <-inflight:
		assert.ErrorContains(t, err, "closed")
	case <-time.After(5 * time.Second):
		t.Fatal("the invocation in flight did not end")
	}
	for pid := range pids {
		assert.False(t, alive(pid), "process %d still runs", pid)
	}
	_, err = b.Invoke(context.Background(), ev("echo"))
	assert.Error(t, err)
	require.NoError(t, b.Close(), "Close twice")

	// Not assert.Eventually: it counts as a goroutine itself.
	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > base && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	assert.LessOrEqual(t, runtime.NumGoroutine(), base, "goroutines left:\n%s", goroutines())
}

func goroutines() string {
	buf := make([]byte, 1<<20)
	return string(buf[:runtime.Stack(buf, true)])
}

func TestBootstrapLogsAreBounded(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bootstrap")
	script := "#!/bin/sh\nhead -c 100000 /dev/zero | tr '\\0' 'a' >&2\necho >&2\nprintf 'no newline' >&2\nexit 7\n"
	require.NoError(t, os.WriteFile(path, []byte(script), 0o755))
	var mu sync.Mutex
	var lines []string
	b, err := function.NewBootstrap(function.BootstrapConfig{Name: "loud", Path: path, Logf: func(f string, a ...any) {
		mu.Lock()
		defer mu.Unlock()
		if args := a; len(args) == 2 && f == "%s: %s" {
			lines = append(lines, args[1].(string))
		}
	}})
	require.NoError(t, err)
	defer b.Close()
	_, err = b.Invoke(context.Background(), []byte(`{}`))
	var fe *function.Error
	require.ErrorAs(t, err, &fe)
	assert.Contains(t, fe.Message, "exit status 7")
	assert.Contains(t, fe.Message, "no newline")
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, lines, 2, "%q", lines)
	assert.LessOrEqual(t, len(lines[0]), 8<<10+len(" [line truncated]"))
	assert.True(t, strings.HasSuffix(lines[0], "[line truncated]"))
	assert.Equal(t, "no newline", lines[1])
}

// waitStarted waits until n invocations have said they are under way.
func waitStarted(t *testing.T, logs *syncbuf.Buffer, n int) {
	t.Helper()
	require.Eventually(t, func() bool { return strings.Count(logs.String(), "echofn: started") >= n },
		10*time.Second, 5*time.Millisecond, "the invocation did not start:\n%s", logs)
}
