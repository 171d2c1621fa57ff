package seek_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/olkit/olkit/transforms/decompress/internal/pbzip2"
	"github.com/olkit/olkit/transforms/decompress/seek"
)

// benchSize is the decoded size of the benchmark objects: 32 MiB, or
// SEEK_BENCH_MB MiB (256 for the table; making those takes a
// minute, bzip2's most).
func benchSize() int {
	if mb, err := strconv.Atoi(os.Getenv("SEEK_BENCH_MB")); err == nil && mb > 0 {
		return mb << 20
	}
	return 32 << 20
}

type benchObject struct {
	name   string
	format seek.Format
	data   []byte
	id     seek.ID
	idx    *seek.Index
}

var (
	benchOnce sync.Once
	benchObjs []*benchObject
	benchErr  error
)

// benchObjects compresses one corpus with each format's usual tool at its
// default level (pzstd for zstd: a frame per job, so it has checkpoints;
// the zstd CLI's single frame is measured too, to show why not).
func benchObjects(b *testing.B) []*benchObject {
	benchOnce.Do(func() {
		plain := plainText(9, benchSize())
		for _, c := range []struct {
			name   string
			format seek.Format
			tool   []string
		}{
			{"gzip", seek.Gzip, []string{"gzip", "-c", "-6"}},
			{"bzip2", seek.Bzip2, []string{"bzip2", "-c", "-9"}},
			{"zstd-pzstd", seek.Zstd, []string{"pzstd", "-c", "-q", "-p", "2", "-3"}},
			{"zstd-1frame", seek.Zstd, []string{"zstd", "-c", "-q", "-3"}},
		} {
			// A file, not a pipe: the zstd CLI then states the content size.
			file, err := os.CreateTemp("", "seek-bench-")
			if err == nil {
				_, err = file.Write(plain)
				defer os.Remove(file.Name())
				defer file.Close()
			}
			if err != nil {
				benchErr = err
				return
			}
			cmd := exec.Command(c.tool[0], append(c.tool[1:], file.Name())...)
			data, err := cmd.Output()
			if err != nil {
				benchErr = fmt.Errorf("%s: %w", c.tool[0], err)
				return
			}
			o := &benchObject{name: c.name, format: c.format, data: data, id: seek.ID{Size: int64(len(data)), ETag: c.name}}
			o.idx, err = seek.Build(bytes.NewReader(data), o.id, o.format, seek.Options{})
			if err != nil {
				benchErr = err
				return
			}
			benchObjs = append(benchObjs, o)
		}
	})
	if benchErr != nil {
		b.Skip(benchErr)
	}
	return benchObjs
}

// libraryReader is the decoder the decompress transform streams with, over
// the 64 KiB bufio.Reader it puts in front of the object's body.
func libraryReader(o *benchObject) (io.ReadCloser, error) {
	r := bufio.NewReaderSize(bytes.NewReader(o.data), 64<<10)
	switch o.format {
	case seek.Gzip:
		return gzip.NewReader(r)
	case seek.Zstd:
		z, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true))
		if err != nil {
			return nil, err
		}
		return z.IOReadCloser(), nil
	}
	return pbzip2.NewReader(r), nil
}

// BenchmarkSeek: per format, a full decode by the transform's decoder and
// by the Indexer (the cost of indexing on the way), then 1 MiB from the
// middle and from the end (OpenRange, as a Range request would), cold
// (decoding from the start) and through an index. ns/op of each is the figure; docs/benchmarks.md has the table.
func BenchmarkSeek(b *testing.B) {
	for _, o := range benchObjects(b) {
		total := o.idx.Total()
		b.Run(o.name+"/full/library", func(b *testing.B) {
			b.SetBytes(total)
			for b.Loop() {
				r, err := libraryReader(o)
				if err != nil {
					b.Fatal(err)
				}
				if n, err := io.Copy(io.Discard, r); err != nil || n != total {
					b.Fatal(n, err)
				}
				r.Close()
			}
		})
		b.Run(o.name+"/full/indexer", func(b *testing.B) {
			b.SetBytes(total)
			for b.Loop() {
				ix, err := seek.NewIndexer(bytes.NewReader(o.data), o.id, o.format, seek.Options{})
				if err != nil {
					b.Fatal(err)
				}
				if n, err := io.Copy(io.Discard, ix); err != nil || n != total {
					b.Fatal(n, err)
				}
				idx, err := ix.Index()
				if err != nil {
					b.Fatal(err)
				}
				ix.Close()
				b.ReportMetric(float64(idx.Len()), "points")
				b.ReportMetric(float64(idx.Bytes()), "index-bytes")
			}
		})
		for _, at := range []struct {
			name string
			off  int64
		}{{"middle", total / 2}, {"end", total - 1<<20}} {
			for _, idx := range []*seek.Index{nil, o.idx} {
				how := "cold"
				if idx != nil {
					how = "index"
				}
				b.Run(o.name+"/1MiB-"+at.name+"/"+how, func(b *testing.B) {
					b.SetBytes(1 << 20)
					for b.Loop() {
						r, err := seek.OpenRange(bytes.NewReader(o.data), o.id, o.format, idx, at.off, 1<<20, seek.Options{})
						if err != nil {
							b.Fatal(err)
						}
						if n, err := io.Copy(io.Discard, r); err != nil || n != 1<<20 {
							b.Fatal(n, err)
						}
						r.Close()
					}
				})
			}
		}
	}
}

// BenchmarkDecodedSize: HEAD's cost by format metadata — walking zstd
// frame headers without decoding.
func BenchmarkDecodedSize(b *testing.B) {
	for _, o := range benchObjects(b) {
		if o.name != "zstd-1frame" { // pzstd's frames state no content size
			continue
		}
		b.Run(o.name, func(b *testing.B) {
			for b.Loop() {
				_, err := seek.DecodedSize(bytes.NewReader(o.data), o.id, o.format, "")
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
