package fakes3

import (
	"hash/crc32"
	"io"
	"math/rand/v2"
)

// patternBlock repeats with a prime period, so a chunk lost, repeated or
// reordered at any power-of-two boundary changes the stream's CRC.
var patternBlock = func() []byte {
	b := make([]byte, 1_000_003)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}()

// Pattern returns a reader of n deterministic pseudo-random bytes, made on
// the fly: a gigabyte object costs no memory.
func Pattern(n int64) io.Reader { return &pattern{n: n} }

type pattern struct{ off, n int64 }

func (p *pattern) Read(b []byte) (int, error) {
	if p.off >= p.n {
		return 0, io.EOF
	}
	if rem := p.n - p.off; int64(len(b)) > rem {
		b = b[:rem]
	}
	total := 0
	for total < len(b) {
		i := (p.off + int64(total)) % int64(len(patternBlock))
		total += copy(b[total:], patternBlock[i:])
	}
	p.off += int64(total)
	return total, nil
}

// PatternCRC returns the CRC-32 (IEEE) of Pattern(n).
func PatternCRC(n int64) uint32 {
	h := crc32.NewIEEE()
	io.Copy(h, Pattern(n))
	return h.Sum32()
}
