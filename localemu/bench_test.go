package localemu_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go/logging"

	"github.com/olkit/olkit/localemu/emutest"
)

// BenchmarkS3 measures PutObject and GetObject of small (4 KiB, read as
// ops/s) and large (256 MiB, read as MB/s) objects through aws-sdk-go-v2
// loaded with config.LoadDefaultConfig, against localemu's durable disk
// store (server=localemu), its in-memory store (server=localemu-memory,
// what --memory serves) and, in the same run, against moto_server (its
// sub-benchmarks skip when moto is not installed):
//
//	go test -run '^$' -bench S3 -count 3 ./localemu/
//
// Both servers listen on 127.0.0.1 and serve one client request at a time
// over plain HTTP, where the SDK signs the payload (SHA-256) and sends a
// CRC32 checksum header, as users' code does against a local endpoint. The
// large body is generated on the fly by a seekable reader (the SDK reads
// it once to hash it, seeks back and streams it) and GET bodies are
// discarded as they arrive, so no 256 MiB buffer exists on the client.
func BenchmarkS3(b *testing.B) {
	emu := emutest.New(b, emutest.WithDir(b.TempDir()))
	mem := emutest.New(b)
	clients := map[string]*s3.Client{"localemu": s3.NewFromConfig(emu.Config), "localemu-memory": s3.NewFromConfig(mem.Config)}
	motoClient, skip := startMoto(b)
	if motoClient != nil {
		clients["moto"] = motoClient
	}
	for name, c := range clients {
		if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(benchBucket)}); err != nil {
			b.Fatalf("creating the bucket on %s: %v", name, err)
		}
	}
	for _, size := range []int64{4 << 10, 256 << 20} {
		for _, op := range []string{"PutObject", "GetObject"} {
			for _, server := range []string{"localemu", "localemu-memory", "moto"} {
				b.Run(fmt.Sprintf("%s-%s/server=%s", op, sizeName(size), server), func(b *testing.B) {
					c := clients[server]
					if c == nil {
						b.Skip(skip)
					}
					if op == "PutObject" {
						benchPut(b, c, size)
					} else {
						benchGet(b, c, size)
					}
				})
			}
		}
	}
}

const benchBucket = "bench"

func sizeName(n int64) string {
	if n >= 1<<20 {
		return strconv.FormatInt(n>>20, 10) + "MiB"
	}
	return strconv.FormatInt(n>>10, 10) + "KiB"
}

// bodyOf returns a fresh request body of size bytes: a bytes.Reader for
// small objects, a generated seekable stream for large ones.
func bodyOf(size int64) io.ReadSeeker {
	if size <= 1<<20 {
		return bytes.NewReader(benchPattern[:size])
	}
	return &patternReader{size: size}
}

var benchPattern = func() []byte {
	p := make([]byte, 1<<20)
	x := uint32(2463534242)
	for i := range p {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		p[i] = byte(x)
	}
	return p
}()

// patternReader streams size bytes of benchPattern, repeated, and can seek.
type patternReader struct{ size, off int64 }

func (r *patternReader) Read(p []byte) (int, error) {
	if r.off >= r.size {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), r.size-r.off)]
	n := 0
	for n < len(p) {
		n += copy(p[n:], benchPattern[(r.off+int64(n))%int64(len(benchPattern)):])
	}
	r.off += int64(n)
	return n, nil
}

func (r *patternReader) Seek(off int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		off += r.off
	case io.SeekEnd:
		off += r.size
	}
	if off < 0 {
		return 0, errors.New("patternReader: negative position")
	}
	r.off = off
	return off, nil
}

func benchPut(b *testing.B, c *s3.Client, size int64) {
	b.SetBytes(size)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		key := "put-" + sizeName(size)
		if size < 1<<20 {
			key += "/" + strconv.Itoa(i%64) // some keys new, most replaced
		}
		_, err := c.PutObject(ctx, &s3.PutObjectInput{
			Bucket: aws.String(benchBucket), Key: aws.String(key),
			Body: bodyOf(size), ContentLength: aws.Int64(size),
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	reportOps(b, size)
}

func benchGet(b *testing.B, c *s3.Client, size int64) {
	key := aws.String("get-" + sizeName(size))
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(benchBucket), Key: key, Body: bodyOf(size), ContentLength: aws.Int64(size)}); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(benchBucket), Key: key})
		if err != nil {
			b.Fatal(err)
		}
		n, err := io.Copy(io.Discard, out.Body)
		out.Body.Close()
		if err != nil || n != size {
			b.Fatalf("read %d of %d bytes: %v", n, size, err)
		}
	}
	reportOps(b, size)
}

func reportOps(b *testing.B, size int64) {
	if size < 1<<20 && b.Elapsed() > 0 {
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
	}
}

// startMoto runs moto_server (or python3 -m moto.server) on a free
// loopback port until b ends and returns a client for it, or nil and the
// reason it is not available.
func startMoto(b *testing.B) (*s3.Client, string) {
	var argv []string
	if path, err := exec.LookPath("moto_server"); err == nil {
		argv = []string{path}
	} else if py, err := exec.LookPath("python3"); err == nil && exec.Command(py, "-c", "import moto.server").Run() == nil {
		argv = []string{py, "-m", "moto.server"}
	} else {
		return nil, "moto is not installed (neither moto_server nor python3 -m moto.server); pip install 'moto[server]' to compare"
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	l.Close()
	var out strings.Builder
	cmd := exec.Command(argv[0], append(argv[1:], "-H", "127.0.0.1", "-p", port)...)
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.Env = append(os.Environ(), "PYTHONUNBUFFERED=1")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Sprintf("moto_server does not start: %v", err)
	}
	b.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
	})
	url := "http://127.0.0.1:" + port
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(url + "/moto-api/")
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			b.Fatalf("moto_server did not answer on %s within 60s: %v\n%s", url, err, out.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	cfg, err := config.LoadDefaultConfig(context.Background(),
		config.WithRegion("us-east-1"),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("test", "test", "")),
		config.WithBaseEndpoint(url),
		// moto sends no checksum with GetObject, which the SDK would log
		// at every request.
		config.WithLogger(logging.Nop{}),
	)
	if err != nil {
		b.Fatal(err)
	}
	return s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }), ""
}
