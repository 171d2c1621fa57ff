package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/internal/compresstest"
	"github.com/olkit/olkit/internal/realclients"
)

// TestDownloadersThroughTransformingAccessPoints runs the everyday
// downloaders, which HEAD first (or GET a first range) to learn the size
// and then GET in ranges, through the demo's decompress access point for
// every format, and through decompress+redact: aws s3 cp (multipart),
// boto3's download_file with 4 MiB parts and 4 threads, and
// aws-sdk-go-v2's transfer manager. Each file must equal the GET body.
func TestDownloadersThroughTransformingAccessPoints(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the emulator")
	}
	awsCLI := realclients.Need(t, "aws", "--version")
	python := realclients.Need(t, "python3", "-c", "import boto3")
	dir := t.TempDir()
	emuBin := filepath.Join(dir, "localemu")
	build(t, ".", emuBin)
	e := start(t, emuBin)

	plain := csvText(12 << 20) // past the aws CLI's 8 MiB multipart threshold
	files := map[string][]byte{"plain.csv": plain}
	for _, f := range []struct{ name, tool string }{{"data.csv.gz", "gzip"}, {"data.csv.bz2", "bzip2"}, {"data.csv.zst", "zstd"}} {
		files[f.name] = compresstest.Tool(t, plain, f.tool, "-c")
	}
	files["data.csv.sz"] = compresstest.Snappy(plain)
	files["data.zip"] = zipOf(t, dir, "data.csv", plain)

	s3c := s3.NewFromConfig(aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")},
		func(o *s3.Options) { o.BaseEndpoint, o.UsePathStyle = aws.String("http://"+e.addr), true })
	for name, data := range files {
		_, err := s3c.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String("demo"), Key: aws.String(name), Body: bytes.NewReader(data)})
		require.NoError(t, err, name)
	}

	download := func(t *testing.T, alias, key string) map[string][]byte {
		out := map[string][]byte{}
		cliOut := filepath.Join(dir, "cli.out")
		e.run(t, awsCLI, "s3", "cp", "s3://"+alias+"/"+key, cliOut)
		out["aws s3 cp"] = readFile(t, cliOut)

		pyOut := filepath.Join(dir, "boto3.out")
		e.run(t, python, "-c", fmt.Sprintf(`
import boto3, os
from boto3.s3.transfer import TransferConfig
s3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
s3.download_file(%q, %q, %q, Config=TransferConfig(multipart_threshold=4<<20, multipart_chunksize=4<<20, max_concurrency=4))
`, alias, key, pyOut))
		out["boto3 download_file"] = readFile(t, pyOut)

		buf := manager.NewWriteAtBuffer(nil)
		d := manager.NewDownloader(s3c, func(d *manager.Downloader) { d.PartSize, d.Concurrency = 4<<20, 4 })
		_, err := d.Download(context.Background(), buf, &s3.GetObjectInput{Bucket: aws.String(alias), Key: aws.String(key)})
		require.NoError(t, err, "transfer manager")
		out["aws-sdk-go-v2 transfer manager"] = buf.Bytes()
		return out
	}

	for name := range files {
		t.Run("decompress "+name, func(t *testing.T) {
			for client, got := range download(t, e.aliases["decompress"], name) {
				assert.True(t, bytes.Equal(plain, got), "%s: %d bytes, want the %d decompressed bytes", client, len(got), len(plain))
			}
		})
	}
	t.Run("decompress+redact data.csv.gz", func(t *testing.T) {
		alias := e.aliases["redact"]
		get := filepath.Join(dir, "get.out")
		e.run(t, awsCLI, "s3api", "get-object", "--bucket", alias, "--key", "data.csv.gz", get)
		want := readFile(t, get)
		require.NotEqual(t, plain, want, "redact changed the bytes")
		for client, got := range download(t, alias, "data.csv.gz") {
			assert.True(t, bytes.Equal(want, got), "%s: %d bytes, want the GET body's %d", client, len(got), len(want))
		}
	})
}

// csvText is n bytes of CSV with emails among other fields, compressible
// as real exports are, and deterministic.
func csvText(n int) []byte {
	r := rand.New(rand.NewSource(1))
	var b bytes.Buffer
	b.WriteString("id,email,amount,note\n")
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "%d,user%d@example.com,%d.%02d,order %x shipped\n", i, r.Intn(100000), r.Intn(10000), r.Intn(100), r.Int63())
	}
	return b.Bytes()[:n]
}

func zipOf(t *testing.T, dir, name string, data []byte) []byte {
	src := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(src, data, 0o644))
	archive := filepath.Join(dir, "archive.zip")
	cmd := exec.Command("zip", "-q", "-j", archive, src)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "zip: %s", out)
	return readFile(t, archive)
}

func readFile(t *testing.T, name string) []byte {
	b, err := os.ReadFile(name)
	require.NoError(t, err)
	return b
}
