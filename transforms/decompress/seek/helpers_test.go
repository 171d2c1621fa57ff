package seek_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math/rand/v2"
	"os/exec"
	"sync"
	"testing"

	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/s2"
	"github.com/klauspost/compress/zstd"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/internal/compresstest"
	"github.com/olkit/olkit/transforms/decompress/seek"
)

// plainText makes n bytes of log-like text, deterministic for a seed: it
// compresses about 4:1 with gzip, as real logs do, with enough noise that
// no format finds long repeats everywhere.
func plainText(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, 20))
	words := []string{"GET", "PUT", "user", "bucket", "object", "latency", "region", "eu-west-1", "status", "ok", "retry"}
	b := bytes.NewBuffer(make([]byte, 0, n+256))
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(b, "%08d %s /%s/%s-%x %d %s=%d\n", i, words[r.IntN(3)], words[3+r.IntN(3)], words[r.IntN(len(words))],
			r.Uint32(), 200+r.IntN(5)*100, words[6+r.IntN(5)], r.IntN(100000))
	}
	return b.Bytes()[:n]
}

// cli runs a compressor of this machine, skipping when it is missing.
var cli = compresstest.Tool

// splits cuts plain into n parts of uneven lengths.
func splits(plain []byte, n int) [][]byte {
	var parts [][]byte
	for i := range n {
		a, b := len(plain)*i*i/(n*n), len(plain)*(i+1)*(i+1)/(n*n)
		parts = append(parts, plain[a:b])
	}
	return parts
}

// concat compresses each part with compress and concatenates the results:
// multi-member gzip, multi-stream bzip2, multi-frame zstd.
func concat(parts [][]byte, compress func([]byte) []byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, compress(p)...)
	}
	return out
}

func goGzip(level int) func([]byte) []byte {
	return func(p []byte) []byte {
		var b bytes.Buffer
		w, _ := gzip.NewWriterLevel(&b, level)
		w.Write(p)
		w.Close()
		return b.Bytes()
	}
}

// goGzipFlushed flushes every 100 KB, as pigz and streaming writers do:
// each flush is an empty stored block after Huffman-coded ones, where
// flate's offsets drift (see inflater.startFlate).
func goGzipFlushed(p []byte) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	for len(p) > 0 {
		n := min(len(p), 100000)
		w.Write(p[:n])
		w.Flush()
		p = p[n:]
	}
	w.Close()
	return b.Bytes()
}

func goZlib(p []byte) []byte { return compresstest.Zlib(p) }

func goDeflate(p []byte) []byte {
	var b bytes.Buffer
	w, _ := flate.NewWriter(&b, 6)
	w.Write(p)
	w.Close()
	return b.Bytes()
}

// goZstdFrames compresses plain as frames of frame bytes each, optionally
// followed by a seek table (the seekable format).
func goZstdFrames(plain []byte, frame int, table bool) []byte {
	enc, _ := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1))
	defer enc.Close()
	var out, entries []byte
	for len(plain) > 0 {
		n := min(frame, len(plain))
		f := enc.EncodeAll(plain[:n], nil)
		out = append(out, f...)
		entries = binary.LittleEndian.AppendUint32(entries, uint32(len(f)))
		entries = binary.LittleEndian.AppendUint32(entries, uint32(n))
		plain = plain[n:]
	}
	if !table {
		return out
	}
	nframes := uint32(len(entries) / 8)
	out = binary.LittleEndian.AppendUint32(out, 0x184D2A5E)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(entries)+9))
	out = append(out, entries...)
	out = binary.LittleEndian.AppendUint32(out, nframes)
	out = append(out, 0)
	return binary.LittleEndian.AppendUint32(out, 0x8F92EAB1)
}

// goSnappy writes the snappy framing format (s2 in snappy-compatible mode).
func goSnappy(p []byte) []byte {
	var b bytes.Buffer
	w := s2.NewWriter(&b, s2.WriterSnappyCompat(), s2.WriterConcurrency(1))
	w.Write(p)
	w.Close()
	return b.Bytes()
}

// sample is one compressed object and the plain data it holds.
type sample struct {
	name   string
	format seek.Format
	data   []byte
	plain  []byte
}

func (s sample) id() seek.ID { return seek.ID{Size: int64(len(s.data)), ETag: `"` + s.name + `"`} }

// sampleDef makes a sample on first use; the tools it needs must be on
// the machine, else the test using it is skipped.
type sampleDef struct {
	name   string
	format seek.Format
	tools  []string
	make   func(t testing.TB) []byte
}

var (
	plainOnce  sync.Once
	plainAll   []byte
	sampleData sync.Map // name → compressed bytes
)

func samplePlain() []byte {
	plainOnce.Do(func() { plainAll = plainText(1, 3<<20+12345) })
	return plainAll
}

// get compresses the sample once per test binary.
func (d sampleDef) get(t testing.TB) sample {
	t.Helper()
	for _, tool := range d.tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed on this machine", tool)
		}
	}
	data, ok := sampleData.Load(d.name)
	if !ok {
		data, _ = sampleData.LoadOrStore(d.name, d.make(t))
	}
	return sample{d.name, d.format, data.([]byte), samplePlain()}
}

// samples are every format, made by the real tools where the machine has
// them and by the Go encoders otherwise; each is several units (members,
// streams, frames) where the format allows, about 3 MiB decoded.
func samples() []sampleDef {
	plain := samplePlain()
	parts := splits(plain, 4)
	return []sampleDef{
		{"gzip-cli", seek.Gzip, []string{"gzip"}, func(t testing.TB) []byte { return cli(t, plain, "gzip", "-c", "-6") }},
		{"gzip-cli-members", seek.Gzip, []string{"gzip"}, func(t testing.TB) []byte {
			return concat(parts, func(p []byte) []byte { return cli(t, p, "gzip", "-c", "-1") })
		}},
		{"gzip-pigz", seek.Gzip, []string{"pigz"}, func(t testing.TB) []byte { return cli(t, plain, "pigz", "-c", "-p", "2") }},
		{"gzip-go-members", seek.Gzip, nil, func(testing.TB) []byte { return concat(parts, goGzip(9)) }},
		{"gzip-go-stored", seek.Gzip, nil, func(testing.TB) []byte { return goGzip(0)(plain) }},
		{"gzip-go-flushed", seek.Gzip, nil, func(testing.TB) []byte { return goGzipFlushed(plain) }},
		{"zlib-python", seek.Zlib, []string{"python3"}, func(t testing.TB) []byte {
			return cli(t, plain, "python3", "-c", "import sys,zlib; sys.stdout.buffer.write(zlib.compress(sys.stdin.buffer.read(), 6))")
		}},
		{"zlib-go", seek.Zlib, nil, func(testing.TB) []byte { return goZlib(plain) }},
		{"deflate-go", seek.Deflate, nil, func(testing.TB) []byte { return goDeflate(plain) }},
		{"bzip2-cli-streams", seek.Bzip2, []string{"bzip2"}, func(t testing.TB) []byte {
			return concat(parts, func(p []byte) []byte { return cli(t, p, "bzip2", "-c", "-1") })
		}},
		{"bzip2-pbzip2", seek.Bzip2, []string{"pbzip2"}, func(t testing.TB) []byte { return cli(t, plain, "pbzip2", "-c", "-1", "-p2") }},
		{"zstd-cli-one-frame", seek.Zstd, []string{"zstd"}, func(t testing.TB) []byte { return cli(t, plain, "zstd", "-c", "-3") }},
		{"zstd-cli-frames", seek.Zstd, []string{"zstd"}, func(t testing.TB) []byte {
			return concat(parts, func(p []byte) []byte { return cli(t, p, "zstd", "-c", "-3") })
		}},
		{"zstd-pzstd", seek.Zstd, []string{"pzstd"}, func(t testing.TB) []byte { return cli(t, plain, "pzstd", "-c", "-p", "2", "-3") }},
		{"zstd-go-seekable", seek.Zstd, nil, func(testing.TB) []byte { return goZstdFrames(plain, 256<<10, true) }},
		{"snappy-go-streams", seek.Snappy, nil, func(testing.TB) []byte { return concat(parts, goSnappy) }},
	}
}

// named returns the sample called name.
func named(t testing.TB, name string) sample {
	for _, d := range samples() {
		if d.name == name {
			return d.get(t)
		}
	}
	t.Fatalf("no sample %q", name)
	return sample{}
}

// readRange reads n bytes at off with OpenRange.
func readRange(t testing.TB, s sample, idx *seek.Index, off int64, n int) []byte {
	t.Helper()
	r, err := seek.OpenRange(bytes.NewReader(s.data), s.id(), s.format, idx, off, int64(n), seek.Options{})
	require.NoError(t, err, "%s: open range at %d", s.name, off)
	defer r.Close()
	got, err := io.ReadAll(r)
	require.NoError(t, err, "%s: read range at %d", s.name, off)
	return got
}

// readAt opens obj at off through idx and reads n bytes.
func readAt(t testing.TB, s sample, idx *seek.Index, off int64, n int) []byte {
	t.Helper()
	r, err := seek.OpenAt(bytes.NewReader(s.data), s.id(), s.format, idx, off, seek.Options{})
	require.NoError(t, err, "%s: open at %d", s.name, off)
	defer r.Close()
	got, err := io.ReadAll(io.LimitReader(r, int64(n)))
	require.NoError(t, err, "%s: read at %d", s.name, off)
	return got
}
