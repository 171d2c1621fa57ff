package seek_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/transforms/decompress/seek"
)

// FuzzUnmarshal: any bytes give an error or an index that serialises back
// to the same bytes; never a panic.
func FuzzUnmarshal(f *testing.F) {
	for _, data := range [][]byte{goGzip(6)(plainText(7, 100000)), goZstdFrames(plainText(7, 100000), 20000, false)} {
		format := seek.Gzip
		if data[0] != 0x1f {
			format = seek.Zstd
		}
		idx, err := seek.Build(bytes.NewReader(data), seek.ID{Size: int64(len(data)), ETag: "e"}, format, seek.Options{Spacing: 32 << 10})
		require.NoError(f, err)
		b, err := idx.MarshalBinary()
		require.NoError(f, err)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		idx, err := seek.Unmarshal(b)
		if err != nil {
			return
		}
		again, err := idx.MarshalBinary()
		require.NoError(t, err)
		require.Equal(t, b, again)
	})
}

// FuzzWalkers: the frame and chunk walkers and every decoder, fed
// anything, end in an error or EOF without a panic, and an index they
// build is one OpenAt accepts.
func FuzzWalkers(f *testing.F) {
	plain := plainText(8, 8000)
	f.Add(byte(0), goGzip(6)(plain))
	f.Add(byte(1), goZlib(plain))
	f.Add(byte(4), goZstdFrames(plain, 5000, true))
	f.Add(byte(5), concat(splits(plain, 3), goSnappy))
	formats := []seek.Format{seek.Gzip, seek.Zlib, seek.Deflate, seek.Bzip2, seek.Zstd, seek.Snappy}
	f.Fuzz(func(t *testing.T, which byte, data []byte) {
		format := formats[int(which)%len(formats)]
		id := seek.ID{Size: int64(len(data))}
		seek.DecodedSize(bytes.NewReader(data), id, format, "")
		opts := seek.Options{Spacing: 1 << 10, MaxOutputBytes: 256 << 10} // bombs stop early
		idx, err := seek.Build(bytes.NewReader(data), id, format, opts)
		if err != nil {
			return
		}
		r, err := seek.OpenAt(bytes.NewReader(data), id, format, idx, idx.Total()/2, opts)
		if err != nil {
			return
		}
		io.Copy(io.Discard, r)
		r.Close()
	})
}
