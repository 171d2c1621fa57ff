package function

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// BootstrapConfig describes a function packaged as a provided.al2023
// `bootstrap` executable.
type BootstrapConfig struct {
	Name string // the function's name: AWS_LAMBDA_FUNCTION_NAME, its ARN, the log prefix
	Path string // the bootstrap executable; its directory is LAMBDA_TASK_ROOT and the working directory

	// Env is added to the process's environment last, overriding what
	// Bootstrap sets ("KEY=value"; e.g. AWS_ENDPOINT_URL_S3, OLKIT_TRANSFORMS).
	Env []string

	Region    string // AWS_REGION and AWS_DEFAULT_REGION; default us-east-1
	AccountID string // in the invoked function ARN; default 000000000000

	// The function's credentials (its execution role's, on AWS).
	AccessKey, SecretKey, SessionToken string

	MemorySize     int           // AWS_LAMBDA_FUNCTION_MEMORY_SIZE in MB; default 128
	MaxConcurrency int           // processes at most; default 10
	Timeout        time.Duration // per invocation; default 60 s

	// Logf receives the processes' stdout and stderr line by line, and a
	// line when a process starts or ends; nil means log.Printf.
	Logf func(format string, args ...any)
}

const (
	defaultTimeout     = 60 * time.Second
	defaultConcurrency = 10
	stderrTailLines    = 20
	// Lambda's limits on a synchronous response: buffered, and streamed.
	maxResponse         = 6 << 20
	maxStreamedResponse = 20 << 20
	maxErrorBody        = 1 << 20
)

// Bootstrap runs a `bootstrap` executable as Lambda does: each process (an
// execution environment) serves one invocation at a time through the
// Lambda Runtime API, which Bootstrap serves on a loopback port of its own
// for each process. Processes start when needed, stay warm between
// invocations, and are replaced when they crash or time out.
type Bootstrap struct {
	cfg  BootstrapConfig
	path string // absolute
	logf func(format string, args ...any)

	mu      sync.Mutex
	envs    map[*env]struct{} // every live process, busy or idle
	idle    []*env            // processes waiting in /next with nothing to do
	changed chan struct{}     // closed (and replaced) when a process frees up or ends
	closed  bool
	seq     int

	wg sync.WaitGroup // process waiters, servers, watchdogs
}

// errClosed is what invocations get once the Bootstrap is closed.
var errClosed = errors.New("function: bootstrap closed")

// NewBootstrap checks that cfg.Path is an executable file and returns a
// Bootstrap; no process starts before the first invocation.
func NewBootstrap(cfg BootstrapConfig) (*Bootstrap, error) {
	if cfg.Name == "" {
		return nil, errors.New("function: bootstrap needs a function name")
	}
	path, err := filepath.Abs(cfg.Path)
	if err != nil {
		return nil, fmt.Errorf("function %s: %w", cfg.Name, err)
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("function %s: %w", cfg.Name, err)
	}
	if st.IsDir() || st.Mode()&0o111 == 0 {
		return nil, fmt.Errorf("function %s: %s is not an executable file", cfg.Name, path)
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.AccountID == "" {
		cfg.AccountID = "000000000000"
	}
	if cfg.MemorySize <= 0 {
		cfg.MemorySize = 128
	}
	if cfg.MaxConcurrency <= 0 {
		cfg.MaxConcurrency = defaultConcurrency
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = defaultTimeout
	}
	b := &Bootstrap{cfg: cfg, path: path, logf: cfg.Logf, envs: map[*env]struct{}{}, changed: make(chan struct{})}
	if b.logf == nil {
		b.logf = log.Printf
	}
	return b, nil
}

// ARN is the function's ARN, as the runtime sees it in
// Lambda-Runtime-Invoked-Function-Arn.
func (b *Bootstrap) ARN() string {
	return fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", b.cfg.Region, b.cfg.AccountID, b.cfg.Name)
}

// envState is where a process stands in its life.
type envState int

const (
	stateInit envState = iota // started, its first invocation assigned, not yet in /next
	stateIdle                 // waiting in /next, nothing assigned
	stateBusy                 // an invocation assigned or running
	stateDead                 // exited
)

// env is one process and the Runtime API it talks to.
type env struct {
	seq    int
	cmd    *exec.Cmd
	srv    *http.Server
	addr   string
	stdout *lineLogger
	stderr *lineLogger

	// Guarded by Bootstrap.mu.
	state   envState
	pending *invocation // assigned, not yet handed out by /next
	current *invocation // handed out, maybe answered
	nexted  bool        // has called /next: initialisation is over
	initErr *Error      // posted to /init/error
	waitErr error       // how the process ended

	wake   chan struct{} // a token per assignment, for /next
	exited chan struct{} // closed once the process has been waited for
}

// invocation is one event on its way through a process.
type invocation struct {
	id       string
	event    []byte
	deadline time.Time
	timeout  time.Duration
	done     chan result // buffered: the answer, delivered once
	answered bool        // guarded by Bootstrap.mu
}

type result struct {
	payload []byte
	err     error
}

// Invoke runs the function on event in an idle process, starting one when
// all are busy and fewer than MaxConcurrency exist, else waiting for one.
// A function error, a crash or a failed start is an *Error; running past
// the deadline (ctx's or Timeout, whichever comes first) kills the
// process and returns an error wrapping context.DeadlineExceeded.
func (b *Bootstrap) Invoke(ctx context.Context, event []byte) ([]byte, error) {
	start := time.Now()
	deadline := start.Add(b.cfg.Timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	inv := &invocation{id: newRequestID(), event: event, deadline: deadline, timeout: deadline.Sub(start), done: make(chan result, 1)}
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	e, err := b.acquire(ctx, inv, timer.C)
	if err != nil {
		return nil, err
	}
	return b.await(ctx, e, inv, timer.C)
}

// acquire assigns inv to a process: an idle one, else a new one, else the
// first to free up.
func (b *Bootstrap) acquire(ctx context.Context, inv *invocation, timeout <-chan time.Time) (*env, error) {
	var grace <-chan time.Time // while a process that has just answered gets back to /next
	for {
		b.mu.Lock()
		if b.closed {
			b.mu.Unlock()
			return nil, errClosed
		}
		if n := len(b.idle); n > 0 {
			e := b.idle[n-1] // the most recently used: keep few processes hot
			b.idle = b.idle[:n-1]
			e.state, e.pending = stateBusy, inv
			b.mu.Unlock()
			e.signal()
			return e, nil
		}
		finishing := b.finishingLocked()
		if finishing && grace == nil {
			// A process that has just answered is about to ask for the
			// next invocation: wait a moment for it rather than start
			// another, so that sequential invocations stay on one warm
			// process.
			t := time.NewTimer(finishingGrace)
			defer t.Stop()
			grace = t.C
		}
		waitForFinishing := finishing && grace != graceOver
		if len(b.envs) < b.cfg.MaxConcurrency && !waitForFinishing {
			e, err := b.startLocked(inv)
			b.mu.Unlock()
			if err != nil {
				return nil, err
			}
			return e, nil
		}
		changed := b.changed
		b.mu.Unlock()
		select {
		case <-changed:
		case <-grace:
			grace = graceOver
		case <-timeout:
			return nil, b.timeoutError(inv, "waiting for a free process")
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return nil, b.timeoutError(inv, "waiting for a free process")
			}
			return nil, ctx.Err()
		}
	}
}

// finishingGrace is how long an invocation waits for a process that has
// answered to come back to /next before starting another process.
const finishingGrace = 100 * time.Millisecond

// graceOver stands for a grace period that is over: it never fires.
var graceOver = make(<-chan time.Time)

// finishingLocked reports whether a process has answered its invocation
// and not yet asked for the next one.
func (b *Bootstrap) finishingLocked() bool {
	for e := range b.envs {
		if e.state == stateBusy && e.pending == nil && e.current != nil && e.current.answered {
			return true
		}
	}
	return false
}

// await waits for inv's outcome in process e.
func (b *Bootstrap) await(ctx context.Context, e *env, inv *invocation, timeout <-chan time.Time) ([]byte, error) {
	select {
	case r := <-inv.done:
		return r.payload, r.err
	case <-e.exited:
		return b.exitOutcome(e, inv)
	case <-timeout:
		return b.expire(e, inv)
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return b.expire(e, inv)
		}
	}
	// The caller went away: as on Lambda, the function runs on, but not
	// past its deadline.
	b.mu.Lock()
	if !b.closed {
		b.wg.Add(1)
		go func() {
			defer b.wg.Done()
			t := time.NewTimer(time.Until(inv.deadline))
			defer t.Stop()
			select {
			case <-inv.done:
			case <-e.exited:
			case <-t.C:
				b.expire(e, inv)
			}
		}()
	}
	b.mu.Unlock()
	return nil, ctx.Err()
}

// exitOutcome is inv's outcome once process e has ended: its answer if it
// gave one before ending, else the crash.
func (b *Bootstrap) exitOutcome(e *env, inv *invocation) ([]byte, error) {
	select {
	case r := <-inv.done:
		return r.payload, r.err
	default:
	}
	b.mu.Lock()
	closed, waitErr, initErr := b.closed, e.waitErr, e.initErr
	b.mu.Unlock()
	if closed {
		return nil, errClosed
	}
	fe := &Error{Type: "Runtime.ExitError"}
	switch {
	case initErr != nil:
		fe.Type = initErr.Type
		fe.Message = fmt.Sprintf("RequestId: %s Error: %s", inv.id, initErr.Message)
	case waitErr != nil:
		fe.Message = fmt.Sprintf("RequestId: %s Error: Runtime exited with error: %v", inv.id, waitErr)
	default:
		fe.Message = fmt.Sprintf("RequestId: %s Error: Runtime exited without providing a reason", inv.id)
	}
	if tail := e.stderr.Tail(); tail != "" {
		fe.Message += "\nstderr:\n" + tail
	}
	return nil, fe
}

// expire ends inv at its deadline: unless the answer just arrived, the
// process is killed (the next invocation starts a fresh one).
func (b *Bootstrap) expire(e *env, inv *invocation) ([]byte, error) {
	select {
	case r := <-inv.done:
		return r.payload, r.err
	default:
	}
	b.logf("%s: invocation %s timed out after %s; killing process %d", b.cfg.Name, inv.id, inv.timeout.Round(time.Millisecond), e.cmd.Process.Pid)
	killProcess(e.cmd)
	<-e.exited
	return nil, b.timeoutError(inv, "")
}

func (b *Bootstrap) timeoutError(inv *invocation, while string) error {
	if while != "" {
		while = " (" + while + ")"
	}
	return fmt.Errorf("function %s: RequestId: %s Error: Task timed out after %.2f seconds%s: %w",
		b.cfg.Name, inv.id, inv.timeout.Seconds(), while, context.DeadlineExceeded)
}

// startLocked starts a process whose first invocation is inv; b.mu is held,
// so that Close sees every process that will ever run.
func (b *Bootstrap) startLocked(inv *invocation) (*env, error) {
	b.seq++
	e := &env{seq: b.seq, state: stateInit, pending: inv, wake: make(chan struct{}, 1), exited: make(chan struct{})}
	e.signal()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("function %s: runtime API: %w", b.cfg.Name, err)
	}
	e.addr = ln.Addr().String()
	e.srv = &http.Server{Handler: b.runtimeAPI(e), ReadHeaderTimeout: 10 * time.Second, ErrorLog: log.New(discard{}, "", 0)}
	e.stdout = newLineLogger(b.logf, b.cfg.Name, 0)
	e.stderr = newLineLogger(b.logf, b.cfg.Name, stderrTailLines)

	cmd := exec.Command(b.path)
	cmd.Dir = filepath.Dir(b.path)
	cmd.Env = b.environ(e.addr)
	cmd.Stdout, cmd.Stderr = e.stdout, e.stderr
	cmd.WaitDelay = 2 * time.Second // a grandchild holding the pipes must not hold us
	setProcessGroup(cmd)
	if err := cmd.Start(); err != nil {
		ln.Close()
		return nil, &Error{Type: "Runtime.InvalidEntrypoint", Message: fmt.Sprintf("function %s: %v", b.cfg.Name, err)}
	}
	e.cmd = cmd
	b.envs[e] = struct{}{}
	b.logf("%s: started process %d (runtime API %s)", b.cfg.Name, cmd.Process.Pid, e.addr)
	b.wg.Add(2)
	go func() {
		defer b.wg.Done()
		e.srv.Serve(ln)
	}()
	go b.wait(e)
	return e, nil
}

// wait reaps process e and retires it.
func (b *Bootstrap) wait(e *env) {
	defer b.wg.Done()
	err := e.cmd.Wait()
	e.stdout.Flush()
	e.stderr.Flush()
	b.mu.Lock()
	e.waitErr, e.state = err, stateDead
	delete(b.envs, e)
	for i, x := range b.idle {
		if x == e {
			b.idle = append(b.idle[:i], b.idle[i+1:]...)
			break
		}
	}
	b.broadcastLocked()
	b.mu.Unlock()
	close(e.exited)
	how := "exited"
	if err != nil {
		how = err.Error()
	}
	b.logf("%s: process %d ended: %s", b.cfg.Name, e.cmd.Process.Pid, how)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if e.srv.Shutdown(ctx) != nil {
		e.srv.Close()
	}
}

func (b *Bootstrap) broadcastLocked() {
	close(b.changed)
	b.changed = make(chan struct{})
}

// signal tells e's /next that an invocation is assigned.
func (e *env) signal() {
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

// environ is a process's environment: what Lambda sets for a provided
// runtime, then cfg.Env.
func (b *Bootstrap) environ(runtimeAPI string) []string {
	c := b.cfg
	path := os.Getenv("PATH")
	if path == "" {
		path = "/usr/local/bin:/usr/bin:/bin"
	}
	env := []string{
		"PATH=" + path,
		"LANG=en_US.UTF-8",
		"TZ=:UTC",
		"_HANDLER=bootstrap",
		"LAMBDA_TASK_ROOT=" + filepath.Dir(b.path),
		"LAMBDA_RUNTIME_DIR=" + filepath.Dir(b.path),
		"AWS_LAMBDA_RUNTIME_API=" + runtimeAPI,
		"AWS_LAMBDA_FUNCTION_NAME=" + c.Name,
		"AWS_LAMBDA_FUNCTION_VERSION=$LATEST",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=" + strconv.Itoa(c.MemorySize),
		"AWS_LAMBDA_INITIALIZATION_TYPE=on-demand",
		"AWS_LAMBDA_LOG_GROUP_NAME=/aws/lambda/" + c.Name,
		"AWS_LAMBDA_LOG_STREAM_NAME=" + time.Now().UTC().Format("2006/01/02") + "/[$LATEST]" + randomHex(16),
		"AWS_REGION=" + c.Region,
		"AWS_DEFAULT_REGION=" + c.Region,
		"AWS_ACCESS_KEY_ID=" + c.AccessKey,
		"AWS_SECRET_ACCESS_KEY=" + c.SecretKey,
	}
	if c.SessionToken != "" {
		env = append(env, "AWS_SESSION_TOKEN="+c.SessionToken)
	}
	return append(env, c.Env...) // exec keeps the last value of a repeated key
}

// Close stops every process and Runtime API server and waits for them;
// invocations in flight fail. Close is idempotent.
func (b *Bootstrap) Close() error {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		b.wg.Wait()
		return nil
	}
	b.closed = true
	envs := make([]*env, 0, len(b.envs))
	for e := range b.envs {
		envs = append(envs, e)
	}
	b.broadcastLocked()
	b.mu.Unlock()
	for _, e := range envs {
		killProcess(e.cmd)
	}
	for _, e := range envs {
		<-e.exited
	}
	b.wg.Wait()
	return nil
}

// newRequestID returns a random UUID, as Lambda request IDs are.
func newRequestID() string {
	var u [16]byte
	rand.Read(u[:])
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	h := hex.EncodeToString(u[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func randomHex(n int) string {
	b := make([]byte, n/2)
	rand.Read(b)
	return hex.EncodeToString(b)
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
