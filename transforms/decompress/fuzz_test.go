package decompress_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/snappy"
	"github.com/klauspost/compress/zlib"
	"github.com/klauspost/compress/zstd"

	"github.com/olkit/olkit/s3err"
	"github.com/olkit/olkit/transforms"
)

// fuzzFormat feeds arbitrary bytes to one forced format with small limits.
// Whatever the input: no panic, no hang, bounded output, and any failure is
// an S3 error a caller can read (400 or 404), never an internal error.
func fuzzFormat(f *testing.F, format string, seeds ...[]byte) {
	for _, s := range seeds {
		f.Add(s)
		if len(s) > 4 {
			f.Add(s[:len(s)/2])
			bad := bytes.Clone(s)
			bad[len(bad)/2] ^= 0xff
			f.Add(bad)
		}
	}
	chain, err := transforms.ParseChain(withOptions(`{"format":"` + format + `","maxOutputBytes":4194304,"maxSpoolBytes":1048576,"maxBlockBytes":1048576}`))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		obj := &transforms.Object{Key: "k", Header: http.Header{}, Size: int64(len(data)), Source: bytes.NewReader(data)}
		rc, err := chain.Apply(context.Background(), obj, bytes.NewReader(data))
		if err == nil {
			var n int64
			n, err = io.Copy(io.Discard, rc)
			rc.Close()
			if n > 4<<20 {
				t.Fatalf("%d bytes out, past maxOutputBytes", n)
			}
		}
		if err == nil {
			return
		}
		var e *s3err.Error
		if !errors.As(err, &e) || (e.Status != 400 && e.Status != 404) {
			t.Fatalf("want a 400/404 S3 error, got %v", err)
		}
	})
}

var fuzzText = []byte("olkit fuzz seed: some text that repeats, repeats, repeats.\n")

func FuzzGzip(f *testing.F) {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write(fuzzText)
	w.Close()
	fuzzFormat(f, "gzip", b.Bytes(), append(bytes.Clone(b.Bytes()), b.Bytes()...))
}

func FuzzZlib(f *testing.F) {
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	w.Write(fuzzText)
	w.Close()
	fuzzFormat(f, "zlib", b.Bytes())
}

func FuzzZstd(f *testing.F) {
	enc, _ := zstd.NewWriter(nil)
	one := enc.EncodeAll(fuzzText, nil)
	fuzzFormat(f, "zstd", one, append(bytes.Clone(one), one...))
}

func FuzzSnappy(f *testing.F) {
	fuzzFormat(f, "snappy", snappyFrame(fuzzText, true), snappyFrame(fuzzText, false))
}

func FuzzSnappyBlock(f *testing.F) {
	fuzzFormat(f, "snappy-block", snappy.Encode(nil, fuzzText))
}

// bzip2Hello is "hello\n" as bzip2 -9 writes it.
var bzip2Hello = []byte("BZh91AY&SY\xc1\xc0\x80\xe2\x00\x00\x01A\x00\x00\x10\x02D\xa0\x000\xcd\x00\xc3F)\x97\x17rE8P\x90\xc1\xc0\x80\xe2")

func FuzzBzip2(f *testing.F) {
	fuzzFormat(f, "bzip2", bzip2Hello, append(bytes.Clone(bzip2Hello), bzip2Hello...))
}

func FuzzZip(f *testing.F) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, _ := zw.Create("a.txt")
	w.Write(fuzzText)
	zw.Close()
	fuzzFormat(f, "zip", b.Bytes())
}
