package pbzip2

import (
	"bytes"
	"compress/bzip2"
	"io"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func bzip2Of(t *testing.T, data []byte) []byte {
	t.Helper()
	if _, err := exec.LookPath("bzip2"); err != nil {
		t.Skip("bzip2 is not installed on this machine")
	}
	cmd := exec.Command("bzip2", "-c", "-1") // 100k blocks: several per test input
	cmd.Stdin = bytes.NewReader(data)
	out, err := cmd.Output()
	require.NoError(t, err)
	return out
}

func testText(n int) []byte {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		b.WriteString("line ")
		b.WriteString(strings.Repeat(string(rune('a'+i%26)), i%17))
		b.WriteString(" ")
		b.WriteString(string(rune('0' + i%10)))
		b.WriteString("\n")
	}
	return []byte(b.String()[:n])
}

// pieces cuts a stream into its jobs with the real scanner.
func pieces(t *testing.T, compressed []byte) []*job {
	s := &scanner{r: bytes.NewReader(compressed)}
	var jobs []*job
	for {
		j, err := s.next()
		if err == io.EOF {
			return jobs
		}
		require.NoError(t, err)
		jobs = append(jobs, j)
	}
}

func TestScannerFindsEveryBlock(t *testing.T) {
	data := testText(450 << 10)
	jobs := pieces(t, bzip2Of(t, data))
	require.GreaterOrEqual(t, len(jobs), 5, "several 100k blocks and an end marker")
	var out bytes.Buffer
	for _, j := range jobs[:len(jobs)-1] {
		require.False(t, j.eos)
		got, err := io.ReadAll(bzip2.NewReader(bytes.NewReader(standalone(j.p))))
		require.NoError(t, err, "each block is a valid one-block stream")
		out.Write(got)
	}
	assert.True(t, jobs[len(jobs)-1].eos)
	assert.True(t, bytes.Equal(data, out.Bytes()), "got %d bytes, want %d", out.Len(), len(data))
}

// TestFalseBoundaryIsJoined plays a magic number found by chance inside a
// block: the block arrives as two pieces. The first fails without output,
// and the reader decodes the two joined instead.
func TestFalseBoundaryIsJoined(t *testing.T) {
	data := testText(250 << 10)
	jobs := pieces(t, bzip2Of(t, data))
	victim := jobs[1].p
	cut := victim.nbits / 3
	first := split(victim, 0, cut)
	second := split(victim, cut, victim.nbits)
	first.crc = victim.crc

	_, err := io.ReadAll(bzip2.NewReader(bytes.NewReader(standalone(first))))
	require.Error(t, err, "a block cut short does not decode")

	seq := append([]*job{jobs[0], {p: first}, {p: second}}, jobs[2:]...)
	z := feed(seq)
	defer z.Close()
	got, err := io.ReadAll(z)
	require.NoError(t, err)
	assert.True(t, bytes.Equal(data, got), "got %d bytes, want %d", len(got), len(data))
}

func TestStreamCRCIsChecked(t *testing.T) {
	jobs := pieces(t, bzip2Of(t, testText(150<<10)))
	jobs[len(jobs)-1].want ^= 1
	z := feed(jobs)
	defer z.Close()
	_, err := io.ReadAll(z)
	assert.ErrorContains(t, err, "CRC")
}

// feed runs the reader on a given sequence of jobs instead of a scanner.
func feed(jobs []*job) *Reader {
	z := NewReader(strings.NewReader("")) // its scanner ends at once
	for range z.order {
	}
	z.order = make(chan *job, len(jobs))
	work := make(chan *job, len(jobs))
	for _, j := range jobs {
		if !j.eos {
			j.out = make(chan []byte, 4)
			work <- j
		}
		z.order <- j
	}
	close(z.order)
	close(work)
	go func() {
		for j := range work {
			z.decode(j)
		}
	}()
	return z
}

// split copies bits [from, to) of p.
func split(p piece, from, to uint64) piece {
	w := &bitWriter{}
	bitOff := uint64(p.off) + from
	w.copyBits(p.data[bitOff/8:], uint(bitOff%8), to-from)
	return piece{data: w.bytes(), nbits: to - from, level: p.level}
}

func TestCloseMidStreamLeavesNoGoroutine(t *testing.T) {
	compressed := bzip2Of(t, testText(600<<10))
	before := runtime.NumGoroutine()
	for range 5 {
		z := NewReader(bytes.NewReader(compressed))
		buf := make([]byte, 1000)
		_, err := io.ReadFull(z, buf)
		require.NoError(t, err)
		require.NoError(t, z.Close())
	}
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	assert.LessOrEqual(t, runtime.NumGoroutine(), before)
}

func TestGarbageAfterABlockHeaderIsNotBuffered(t *testing.T) {
	var in bytes.Buffer
	in.WriteString("BZh9")
	in.Write([]byte{0x31, 0x41, 0x59, 0x26, 0x53, 0x59, 1, 2, 3, 4})
	in.Write(bytes.Repeat([]byte{0x00}, 8<<20)) // no magic anywhere
	z := NewReader(&in)
	defer z.Close()
	_, err := io.ReadAll(z)
	assert.ErrorContains(t, err, "no bzip2 block boundary")
	assert.Greater(t, in.Len(), 4<<20, "stopped reading long before the end")
}

// TestResumeAtEveryBlock: OnBlock reports every block of a multi-stream
// file, and NewReaderAt from each gives exactly the output from there on.
func TestResumeAtEveryBlock(t *testing.T) {
	a, b := testText(250<<10), testText(180<<10)
	data := append(bzip2Of(t, a), bzip2Of(t, b)...)
	plain := append(bytes.Clone(a), b...)
	z := NewReader(bytes.NewReader(data))
	var blocks []Block
	z.OnBlock(func(b Block) { blocks = append(blocks, b) })
	out, err := io.ReadAll(z)
	z.Close()
	require.NoError(t, err)
	require.Equal(t, plain, out)
	require.GreaterOrEqual(t, len(blocks), 4, "100k blocks in both streams")
	require.True(t, slices.ContainsFunc(blocks, func(b Block) bool { return b.Out == int64(len(a)) }), "the second stream's first block")
	for i, blk := range blocks {
		if i > 0 {
			require.Greater(t, blk.Out, blocks[i-1].Out)
			require.Greater(t, blk.Bit, blocks[i-1].Bit)
		}
		r := NewReaderAt(bytes.NewReader(data[blk.Bit/8:]), uint8(blk.Bit%8), blk.Level, blk.StreamCRC)
		rest, err := io.ReadAll(r)
		r.Close()
		require.NoError(t, err, "block %d: the stream CRCs check out from here too", i)
		require.Equal(t, plain[blk.Out:], rest, "block %d", i)
	}
}
