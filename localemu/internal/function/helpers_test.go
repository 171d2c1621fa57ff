package function_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/internal/syncbuf"
	"github.com/olkit/olkit/localemu/internal/function"
)

var (
	binDir    string
	buildOnce sync.Map // package dir -> *built
)

type built struct {
	once sync.Once
	path string
	err  error
}

func TestMain(m *testing.M) {
	var err error
	binDir, err = os.MkdirTemp("", "olkit-function-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(binDir)
	os.Exit(code)
}

// buildBinary builds the main package in dir (relative to this package) as
// a `bootstrap` executable, as Lambda runs it, once per test binary.
func buildBinary(t *testing.T, dir string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds a function binary")
	}
	v, _ := buildOnce.LoadOrStore(dir, &built{})
	b := v.(*built)
	b.once.Do(func() {
		out := filepath.Join(binDir, filepath.Base(dir), "bootstrap")
		cmd := exec.Command("go", "build", "-tags", "lambda.norpc", "-o", out, dir)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if msg, err := cmd.CombinedOutput(); err != nil {
			b.err = fmt.Errorf("go build %s: %v\n%s", dir, err, msg)
			return
		}
		b.path = out
	})
	require.NoError(t, b.err)
	return b.path
}

func echofn(t *testing.T) string { return buildBinary(t, "./testdata/echofn") }

// newEcho returns a Bootstrap running echofn, closed when the test ends,
// and the buffer its logs go to.
func newEcho(t *testing.T, cfg function.BootstrapConfig) (*function.Bootstrap, *syncbuf.Buffer) {
	t.Helper()
	logs := &syncbuf.Buffer{}
	if cfg.Name == "" {
		cfg.Name = "echo"
	}
	cfg.Path = echofn(t)
	if cfg.Region == "" {
		cfg.Region, cfg.AccessKey, cfg.SecretKey = "eu-west-3", "AKIDTEST", "secret"
	}
	cfg.Logf = func(format string, args ...any) { fmt.Fprintf(logs, format+"\n", args...) }
	b, err := function.NewBootstrap(cfg)
	require.NoError(t, err)
	t.Cleanup(func() { b.Close() })
	return b, logs
}

// echoReply is what echofn answers.
type echoReply struct {
	PID        int               `json:"pid"`
	Value      json.RawMessage   `json:"value"`
	RequestID  string            `json:"requestId"`
	ARN        string            `json:"arn"`
	TraceID    string            `json:"traceId"`
	DeadlineMs int64             `json:"deadlineMs"`
	Env        map[string]string `json:"env"`
	Cwd        string            `json:"cwd"`
}

func ev(action string, extra ...any) []byte {
	m := map[string]any{"action": action}
	for i := 0; i+1 < len(extra); i += 2 {
		m[extra[i].(string)] = extra[i+1]
	}
	b, _ := json.Marshal(m)
	return b
}

func invokeEcho(t *testing.T, inv function.Invoker, value any) echoReply {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	out, err := inv.Invoke(ctx, ev("echo", "value", value))
	require.NoError(t, err)
	var r echoReply
	require.NoError(t, json.Unmarshal(out, &r), "%s", out)
	return r
}

// alive reports whether a process with this pid exists (not a zombie we
// reaped).
func alive(pid int) bool { return syscall.Kill(pid, 0) == nil }
