package localemu_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/klauspost/compress/zstd"

	"github.com/olkit/olkit/internal/compresstest"
	"github.com/olkit/olkit/internal/realclients"
	"github.com/olkit/olkit/lambda"
	"github.com/olkit/olkit/localemu"
	"github.com/olkit/olkit/localemu/emutest"
)

// BenchmarkRangesThroughDecompress measures what a ranged GET of
// decompressed bytes costs through the demo's decompress access point,
// beside a full GET of the same object: 1 MiB at the end and in the
// middle, cold (an object no request has read, so its index is built
// first) and through the index a full read left, and boto3's
// download_file with 8 MiB parts and 4 threads of a cold object (a HEAD,
// then ranges). OLKIT_RANGE_BENCH_MB sets the decompressed size (default
// 32; the docs' table uses 256):
//
//	OLKIT_RANGE_BENCH_MB=256 go test -run '^$' -bench RangesThroughDecompress -benchtime 2x -timeout 60m ./localemu/
//
// gzip and bzip2 objects are made by the gzip -6 and bzip2 -9 tools; the
// zstd object is written in 4 MiB frames (as pzstd and the seekable format
// write it), since within one frame there is no checkpoint to start from.
func BenchmarkRangesThroughDecompress(b *testing.B) {
	mb := 32
	if v, err := strconv.Atoi(os.Getenv("OLKIT_RANGE_BENCH_MB")); err == nil && v > 0 {
		mb = v
	}
	size := mb << 20
	emu := emutest.New(b)
	h := lambda.NewForEndpoint(emu.Config.Copy(), emu.URL)
	h.Logger = slog.New(slog.NewJSONHandler(io.Discard, nil))
	stop, err := emu.Apply(localemu.DemoSetup(), localemu.Func(h.Invoke))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(stop)
	client := s3.NewFromConfig(emu.Config, func(o *s3.Options) { o.UsePathStyle = true })
	alias := emu.ObjectLambda.Alias("decompress")
	plain := benchLog(size)
	objects := []struct {
		name, ext string
		data      []byte
	}{
		{"gzip", "gz", compresstest.Tool(b, plain, "gzip", "-c", "-6")},
		{"zstd", "zst", zstdFrames(plain, 4<<20)},
		{"bzip2", "bz2", compresstest.Tool(b, plain, "bzip2", "-c", "-9")},
	}
	python, _ := exec.LookPath("python3")
	for _, o := range objects {
		n := 0
		fresh := func(b *testing.B) string { // a key no request has read: nothing cached
			b.StopTimer()
			defer b.StartTimer()
			n++
			key := fmt.Sprintf("bench/%s-%d.log.%s", o.name, n, o.ext)
			if _, err := client.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String("demo"), Key: aws.String(key), Body: bytes.NewReader(o.data)}); err != nil {
				b.Fatal(err)
			}
			return key
		}
		get := func(b *testing.B, key, rng string, want int) {
			in := &s3.GetObjectInput{Bucket: aws.String(alias), Key: aws.String(key)}
			if rng != "" {
				in.Range = aws.String(rng)
			}
			out, err := client.GetObject(context.Background(), in)
			if err != nil {
				b.Fatal(err)
			}
			got, err := io.Copy(io.Discard, out.Body)
			out.Body.Close()
			if err != nil || got != int64(want) {
				b.Fatalf("GET %s %s: %d bytes, %v; want %d", key, rng, got, err, want)
			}
		}
		end := fmt.Sprintf("bytes=%d-%d", size-1<<20, size-1)
		middle := fmt.Sprintf("bytes=%d-%d", size/2, size/2+1<<20-1)
		warm := fresh(b)
		b.Run(o.name+"/full-GET", func(b *testing.B) {
			for range b.N {
				get(b, warm, "", size)
			}
		})
		for _, r := range []struct{ name, rng string }{{"end", end}, {"middle", middle}} {
			b.Run(o.name+"/1MiB-"+r.name+"-cold", func(b *testing.B) {
				for range b.N {
					get(b, fresh(b), r.rng, 1<<20)
				}
			})
			b.Run(o.name+"/1MiB-"+r.name+"-indexed", func(b *testing.B) {
				get(b, warm, r.rng, 1<<20) // the index exists from here on (bzip2: built by this first range)
				b.ResetTimer()
				for range b.N {
					get(b, warm, r.rng, 1<<20)
				}
			})
		}
		// boto3, a whole object with one get_object beside download_file in
		// parts, each of a cold object and with the interpreter's start in
		// both, so their ratio is what parallel parts cost.
		for _, dl := range []struct{ name, call string }{
			{"boto3-get_object-cold", `open(%[3]q, "wb").write(s3.get_object(Bucket=%[1]q, Key=%[2]q)["Body"].read())`},
			{"boto3-download_file-8MiBx4-cold", `s3.download_file(%[1]q, %[2]q, %[3]q, Config=TransferConfig(multipart_threshold=8<<20, multipart_chunksize=8<<20, max_concurrency=4))`},
		} {
			b.Run(o.name+"/"+dl.name, func(b *testing.B) {
				if python == "" {
					b.Skip("python3 with boto3 is not here")
				}
				for range b.N {
					key := fresh(b)
					dst := filepath.Join(b.TempDir(), "out")
					cmd := exec.Command(python, "-c", `
import boto3, os
from boto3.s3.transfer import TransferConfig
s3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
`+fmt.Sprintf(dl.call, alias, key, dst))
					cmd.Env = realclients.Env(emu.URL, emu.AccessKey, emu.SecretKey, emu.Region)
					if out, err := cmd.CombinedOutput(); err != nil {
						b.Fatalf("%s: %v\n%s", dl.name, err, out)
					}
					if fi, err := os.Stat(dst); err != nil || fi.Size() != int64(size) {
						b.Fatalf("%s wrote %v, %v; want %d bytes", dl.name, fi, err, size)
					}
				}
			})
		}
	}
}

// benchLog is n bytes of log lines, compressible as real logs are.
func benchLog(n int) []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "2026-12-01T06:%02d:%02d.%03dZ INFO request id=%08x user=%d path=/api/v1/items/%d status=%d bytes=%d\n",
			i/60000%60, i/1000%60, i%1000, uint32(i)*2654435761, i%9973, i%100003, 200+i%7*50, i*37%65536)
	}
	return b.Bytes()[:n]
}

// zstdFrames compresses data as independent frames of frame bytes each.
func zstdFrames(data []byte, frame int) []byte {
	enc, _ := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1))
	var out []byte
	for len(data) > 0 {
		n := min(frame, len(data))
		out = enc.EncodeAll(data[:n], out)
		data = data[n:]
	}
	return out
}
