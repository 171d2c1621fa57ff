// Package compresstest makes compressed objects for tests: with this
// machine's command-line tools, as users' files are made, and with Go's
// encoders where a test wants no tool.
package compresstest

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"os/exec"
	"testing"

	"github.com/klauspost/compress/snappy"
	"github.com/klauspost/compress/zstd"
)

// Tool runs a compressor of this machine (gzip -c, bzip2 -c, zstd -c, ...)
// on input and returns what it wrote, skipping the test when the machine
// lacks it.
func Tool(t testing.TB, input []byte, name string, args ...string) []byte {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("%s is not installed on this machine", name)
	}
	cmd := exec.Command(name, args...)
	cmd.Stdin = bytes.NewReader(input)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %v: %v: %s", name, args, err, errb.String())
	}
	return out.Bytes()
}

// Gzip is p as one gzip member.
func Gzip(p []byte) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write(p)
	w.Close()
	return b.Bytes()
}

// Zlib is p as a zlib stream.
func Zlib(p []byte) []byte {
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	w.Write(p)
	w.Close()
	return b.Bytes()
}

// Zstd is p as one zstd frame.
func Zstd(p []byte) []byte {
	w, _ := zstd.NewWriter(nil)
	return w.EncodeAll(p, nil)
}

// Snappy is p in the framed snappy format.
func Snappy(p []byte) []byte {
	var b bytes.Buffer
	w := snappy.NewBufferedWriter(&b)
	w.Write(p)
	w.Close()
	return b.Bytes()
}

// Zip is a ZIP archive of one file, name, holding p.
func Zip(name string, p []byte) []byte {
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	f, _ := w.Create(name)
	f.Write(p)
	w.Close()
	return b.Bytes()
}
