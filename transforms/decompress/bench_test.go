package decompress_test

import (
	"bytes"
	"compress/bzip2"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/olkit/olkit/internal/heappeak"
	"github.com/olkit/olkit/transforms"
)

// benchCorpusSize is the decompressed size each benchmark iteration makes.
const benchCorpusSize = 32 << 20

type benchInput struct {
	format, tool string
	args         []string // the C tool's decompress command, before the file
	data         []byte   // compressed
	file         string   // the same bytes on disk, for the C tool
}

var (
	benchOnce   sync.Once
	benchInputs []benchInput
	benchDir    string // the compressed inputs on disk, removed when the tests end
)

// TestMain removes the benchmarks' inputs from disk: they are written once
// for every benchmark of the package, so no one benchmark's TempDir fits.
func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// inputs compresses one realistic corpus (logs and JSON lines) with each
// format's usual tool at its default level.
func inputs(b *testing.B) []benchInput {
	benchOnce.Do(func() {
		plain := corpus(benchCorpusSize)
		dir, err := os.MkdirTemp("", "olkit-bench-")
		if err != nil {
			b.Fatal(err)
		}
		benchDir = dir
		add := func(format, tool string, args []string, data []byte) {
			file := filepath.Join(dir, "corpus."+format)
			if err := os.WriteFile(file, data, 0o644); err != nil {
				b.Fatal(err)
			}
			benchInputs = append(benchInputs, benchInput{format, tool, args, data, file})
		}
		add("gzip", "gzip", []string{"-dc"}, tool(b, plain, "gzip", "-c"))
		add("zlib", "python3", []string{"-c", "import sys,zlib; sys.stdout.buffer.write(zlib.decompress(open(sys.argv[1],'rb').read()))"}, zlibTool(b, plain))
		add("zstd", "zstd", []string{"-dcq"}, tool(b, plain, "zstd", "-c", "-q"))
		add("bzip2", "bzip2", []string{"-dc"}, tool(b, plain, "bzip2", "-c"))
		add("snappy", "", nil, snappyFrame(plain, true))
	})
	return benchInputs
}

// BenchmarkDecompress reports decompressed MB/s per format, and the peak
// heap one stream needs (peak-heap-MiB, measured on a separate run).
func BenchmarkDecompress(b *testing.B) {
	for _, in := range inputs(b) {
		b.Run(in.format, func(b *testing.B) {
			chain := mustChain(b, withOptions(`{"format":"`+in.format+`"}`))
			peak := peakHeapMiB(b, chain, in.data)
			b.SetBytes(benchCorpusSize)
			b.ReportAllocs()
			for b.Loop() {
				decompressOnce(b, chain, in.data)
			}
			b.ReportMetric(peak, "peak-heap-MiB") // after the loop, which resets metrics
		})
	}
}

// BenchmarkBzip2Stdlib is the standard library's sequential bzip2 reader on
// the same file, for comparison with olkit's parallel block decoder.
func BenchmarkBzip2Stdlib(b *testing.B) {
	for _, in := range inputs(b) {
		if in.format != "bzip2" {
			continue
		}
		b.SetBytes(benchCorpusSize)
		for b.Loop() {
			if n, err := io.Copy(io.Discard, bzip2.NewReader(bytes.NewReader(in.data))); err != nil || n != benchCorpusSize {
				b.Fatal(n, err)
			}
		}
	}
}

// BenchmarkCTool runs the C command-line tool on the same file, for the
// side-by-side figures in docs/benchmarks.md.
func BenchmarkCTool(b *testing.B) {
	for _, in := range inputs(b) {
		if in.tool == "" {
			continue
		}
		b.Run(in.format, func(b *testing.B) {
			if _, err := exec.LookPath(in.tool); err != nil {
				b.Skipf("%s is not installed", in.tool)
			}
			b.SetBytes(benchCorpusSize)
			for b.Loop() {
				cmd := exec.Command(in.tool, append(in.args, in.file)...)
				cmd.Stdout = io.Discard
				if err := cmd.Run(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func decompressOnce(b *testing.B, chain *transforms.Chain, data []byte) {
	obj := &transforms.Object{Header: http.Header{}, Size: int64(len(data))}
	rc, err := chain.Apply(context.Background(), obj, bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	n, err := io.Copy(io.Discard, rc)
	rc.Close()
	if err != nil || n != benchCorpusSize {
		b.Fatalf("decompressed %d bytes: %v", n, err)
	}
}

// peakHeapMiB decompresses once while sampling the heap, and returns the
// highest growth over the starting heap.
func peakHeapMiB(b *testing.B, chain *transforms.Chain, data []byte) float64 {
	return float64(heappeak.Growth(2*time.Millisecond, func() { decompressOnce(b, chain, data) })) / (1 << 20)
}
