package durability_test

import (
	"bufio"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/olkit/olkit/internal/syncbuf"
	"github.com/olkit/olkit/localemu"
)

// The test binary doubles as the emulator: with childDirEnv set it serves
// that data folder and prints the address it listens on.
const (
	childDirEnv     = "DURABILITY_CHILD_DIR"
	childCompactEnv = "DURABILITY_CHILD_COMPACT_MIN"
)

func TestMain(m *testing.M) {
	if dir := os.Getenv(childDirEnv); dir != "" {
		serveChild(dir)
		return
	}
	os.Exit(m.Run())
}

func serveChild(dir string) {
	compact, _ := strconv.ParseInt(os.Getenv(childCompactEnv), 10, 64)
	fmt.Println("opening")
	srv, err := localemu.New(localemu.Config{DataDir: dir, JournalCompactMin: compact})
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(1)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(1)
	}
	fmt.Printf("listening %s\n", ln.Addr())
	http.Serve(ln, srv)
}

// child is an emulator process.
type child struct {
	cmd    *exec.Cmd
	url    string
	stderr syncbuf.Buffer
}

// startChild starts an emulator on dir and waits until it listens.
func startChild(t *testing.T, dir string, compactMin int64) *child {
	t.Helper()
	c := &child{cmd: childCmd(dir, compactMin)}
	c.cmd.Stderr = &c.stderr
	out, err := c.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(out)
	line, err := r.ReadString('\n')
	if err == nil {
		line, err = r.ReadString('\n') // after "opening"
	}
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "listening ")
	if err != nil || !ok {
		c.cmd.Wait()
		t.Fatalf("the emulator did not start: %q %v\n%s", line, err, c.stderr.String())
	}
	c.url = "http://" + addr
	t.Cleanup(func() { c.kill() })
	return c
}

// childCmd is the command of an emulator on dir.
func childCmd(dir string, compactMin int64) *exec.Cmd {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), childDirEnv+"="+dir, childCompactEnv+"="+strconv.FormatInt(compactMin, 10))
	return cmd
}

// kill sends SIGKILL and reaps the process.
func (c *child) kill() {
	if c.cmd.ProcessState == nil {
		c.cmd.Process.Kill()
		c.cmd.Wait()
	}
}

// client is an SDK client that never retries: each call is one attempt,
// so an answer is exactly what the emulator said.
func client(url string) *s3.Client {
	cfg := aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider(localemu.DefaultAccessKey, localemu.DefaultSecretKey, ""),
		Retryer:     func() aws.Retryer { return aws.NopRetryer{} },
		HTTPClient:  &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}},
	}
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.BaseEndpoint = aws.String(url)
		o.UsePathStyle = true
	})
}

func errCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func httpStatus(err error) int {
	var re interface{ HTTPStatusCode() int }
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

// version is one state of a key: absent, or bytes with this digest.
type version struct {
	present bool
	sum     [32]byte
	size    int
}

func (v version) String() string {
	if !v.present {
		return "absent"
	}
	return fmt.Sprintf("%d bytes %x", v.size, v.sum[:6])
}

func contentOf(b []byte) version { return version{present: true, sum: sha256.Sum256(b), size: len(b)} }

// body returns n bytes unique to tag.
func body(tag string, n int) []byte {
	b := make([]byte, n)
	seed := sha256.Sum256([]byte(tag))
	for i := 0; i < n; i += len(seed) {
		copy(b[i:], seed[:])
		seed = sha256.Sum256(seed[:])
	}
	return b
}

// readVersion GETs a key: its state, or an error for anything but 200 and
// 404 NoSuchKey.
func readVersion(c *s3.Client, bucket, key string) (version, error) {
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if errCode(err) == "NoSuchKey" {
		return version{}, nil
	}
	if err != nil {
		return version{}, err
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	if err != nil {
		return version{}, err
	}
	return contentOf(b), nil
}
