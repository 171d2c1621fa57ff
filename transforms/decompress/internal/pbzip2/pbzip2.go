// Package pbzip2 decodes bzip2 (multi-stream) with its blocks decoded in
// parallel, and tells where each block starts (a bit offset in the input)
// and what output it starts at, so a reader can later resume at a block:
// the decompress transform streams with it, its seek package indexes with
// it.
package pbzip2

import (
	"bytes"
	"compress/bzip2"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
)

// Parallel bzip2. A bzip2 stream is a header ("BZh1".."BZh9"), blocks that
// each start with the 48-bit magic 0x314159265359 at any bit offset, and an
// end-of-stream magic 0x177245385090 with the stream's CRC. Each block can
// be decoded on its own: copied out and wrapped as a one-block stream
// (whose stream CRC is the block's own CRC), it is a valid file for the
// standard library's decoder. So blocks are found by scanning the bits,
// decoded by several goroutines, and their output handed on in order; the
// real stream CRC is checked from the block CRCs as the blocks pass.
//
// A magic can also occur by chance inside compressed data (about once per
// 2^48 bits). A block cut short by such a false boundary fails to decode
// before giving any output (a block decodes whole before its first byte),
// and is then decoded again joined with the piece after it.
//
// Memory: each block in flight holds its compressed bits (under 1 MiB), a
// decoder (4 bytes per block byte, 3.6 MiB at level 9) and at most four
// 256 KiB chunks of output; at most workers+1 blocks are in flight.

const (
	blockMagic = 0x314159265359
	eosMagic   = 0x177245385090
	magicMask  = 1<<48 - 1
	chunkSize  = 256 << 10
	maxMerges  = 3
	// maxPiece bounds a block's compressed size: 900k symbols of at most
	// 20-bit codes is under 2.3 MB, so a longer run without a magic is
	// corrupt data, not a block, and must not be buffered.
	maxPiece = 3 << 20
)

// bzWorkers is how many blocks decode at once.
func bzWorkers() int { return min(max(runtime.GOMAXPROCS(0), 1), 8) }

// piece is a run of compressed bits: a block, or what a false magic split.
type piece struct {
	data  []byte // holds the bits, starting at bit off of data[0]
	off   uint   // 0..7
	nbits uint64
	start uint64 // bit offset of the piece in the scanner's input
	crc   uint32 // the block's CRC, from its header
	level byte   // '1'..'9', from the stream header
}

// job is one piece on its way through the pipeline. eos jobs carry no
// bits: they check the stream CRC (want) once every block before them has
// passed.
type job struct {
	p    piece
	eos  bool
	want uint32
	out  chan []byte
	err  error // set before out is closed
}

// Reader is the decoder's io.ReadCloser.
type Reader struct {
	ctx    context.Context
	cancel context.CancelFunc
	order  chan *job
	work   chan *job
	wg     sync.WaitGroup

	cur    *job
	chunk  []byte // what is left to hand out of whole
	whole  []byte // the chunk being handed out, for the pool
	next   *job   // a job read ahead while merging
	stream uint32
	err    error

	onBlock func(Block)
	out     int64 // bytes handed out
	curOut  int64 // out when the current job started
}

// Block says where a block that decoded whole starts: in the input (as a
// bit offset from the reader's first byte) and in the output, with what
// resuming there needs (the stream's level and CRC so far).
type Block struct {
	Bit       uint64 // offset of the block magic, in bits from the input's first byte
	Out       int64  // output offset of the block's first byte
	Level     byte   // the stream's block size digit, '1'..'9'
	StreamCRC uint32 // the stream CRC combined over the blocks before this one
}

// NewReader decodes the bzip2 streams in r.
func NewReader(r io.Reader) *Reader {
	return start(r, &scanner{r: r}, 0)
}

// NewReaderAt decodes from a block (and on through the streams after it):
// r starts with the byte holding the block's first bit, bit (0..7, from
// the most significant) is where in that byte, and level and streamCRC come
// from the Block the offset was recorded with.
func NewReaderAt(r io.Reader, bit uint8, level byte, streamCRC uint32) *Reader {
	return start(r, &scanner{r: r, inStream: true, level: level, start: uint64(bit & 7)}, streamCRC)
}

func start(r io.Reader, s *scanner, stream uint32) *Reader {
	ctx, cancel := context.WithCancel(context.Background())
	n := bzWorkers()
	z := &Reader{ctx: ctx, cancel: cancel, order: make(chan *job, n+1), work: make(chan *job, n+1), stream: stream}
	z.wg.Add(n + 1)
	for range n {
		go z.worker()
	}
	go z.scan(s)
	return z
}

// OnBlock sets fn to be called, on the reading goroutine, for each block
// once all its output has been read; call it before the first Read.
func (z *Reader) OnBlock(fn func(Block)) { z.onBlock = fn }

func (z *Reader) Read(p []byte) (int, error) {
	for len(z.chunk) == 0 {
		if z.whole != nil {
			putChunk(z.whole)
			z.whole = nil
		}
		if z.err != nil {
			return 0, z.err
		}
		z.err = z.advance()
	}
	n := copy(p, z.chunk)
	z.chunk = z.chunk[n:]
	z.out += int64(n)
	return n, nil
}

// advance fills z.chunk from the current job, moving to the next job when
// this one is done; it returns io.EOF at the end of the input.
func (z *Reader) advance() error {
	if z.cur == nil {
		j, err := z.take()
		if err != nil {
			return err
		}
		if j.eos {
			if j.want != z.stream {
				return fmt.Errorf("bzip2 stream CRC mismatch: the data is corrupt")
			}
			z.stream = 0
			return nil
		}
		z.cur, z.curOut = j, z.out
	}
	chunk, ok := <-z.cur.out
	if ok {
		z.chunk, z.whole = chunk, chunk
		return nil
	}
	if z.cur.err != nil {
		return z.retry() // on success z.cur is the joined piece, read next
	}
	if z.onBlock != nil {
		z.onBlock(Block{Bit: z.cur.p.start, Out: z.curOut, Level: z.cur.p.level, StreamCRC: z.stream})
	}
	z.stream = (z.stream<<1 | z.stream>>31) ^ z.cur.p.crc
	z.cur = nil
	return nil
}

// take returns the next job in order, or io.EOF once the scanner is done.
func (z *Reader) take() (*job, error) {
	if j := z.next; j != nil {
		z.next = nil
		return j, nil
	}
	j, ok := <-z.order
	if !ok {
		return nil, io.EOF
	}
	if j.eos && j.err != nil {
		return nil, j.err
	}
	return j, nil
}

// retry decodes the failed current piece joined with the ones after it, in
// case a false magic cut it short; the joined piece's output replaces both.
func (z *Reader) retry() error {
	failed := z.cur.err
	joined := z.cur.p
	for range maxMerges {
		next, err := z.take()
		if err != nil || next.eos {
			z.next = next
			break
		}
		z.discard(next)
		joined = join(joined, next.p)
		out := make(chan []byte, 4)
		j := &job{p: joined, out: out}
		go z.decode(j)
		var buf [][]byte
		for c := range out {
			buf = append(buf, c)
		}
		if j.err == nil {
			z.cur = &job{p: joined, out: replay(buf)}
			z.chunk = nil
			return nil
		}
	}
	return failed
}

// discard drains a job nobody will read, so its worker is not left
// blocked; it stops when the job is done or the reader is closed.
func (z *Reader) discard(j *job) {
	z.wg.Add(1)
	go func() {
		defer z.wg.Done()
		for {
			select {
			case _, ok := <-j.out:
				if !ok {
					return
				}
			case <-z.ctx.Done():
				return
			}
		}
	}()
}

func replay(chunks [][]byte) chan []byte {
	c := make(chan []byte, len(chunks))
	for _, b := range chunks {
		c <- b
	}
	close(c)
	return c
}

// worker decodes jobs with one long-lived standard-library decoder, fed
// one job's one-block stream after another: the decoder reuses its tables
// (4 bytes per block byte) across them, where a decoder per block would
// allocate them for every block.
func (z *Reader) worker() {
	defer z.wg.Done()
	w := &bzWorker{z: z}
	w.run()
}

// bzWorker is one worker's state: its decoder, the feed of stream bytes,
// the job being decoded and the chunk being filled for it. The decoder
// writes into scratch; its output is copied into chunks the job owns, so a
// chunk is never shared between two jobs and can go back to the pool.
type bzWorker struct {
	z       *Reader
	dec     io.Reader
	feed    []byte // the rest of the current job's stream
	job     *job
	chunk   []byte
	scratch []byte
}

func (w *bzWorker) run() {
	w.scratch = make([]byte, 64<<10)
	for {
		if w.job == nil && !w.next() {
			return
		}
		if w.dec == nil {
			w.dec = bzip2.NewReader(w)
		}
		n, err := w.dec.Read(w.scratch)
		// Bytes from this Read belong to the job current now: when a job
		// ended during the Read, ReadByte already finished it.
		if !w.add(w.scratch[:n]) {
			return
		}
		switch {
		case err == io.EOF: // no more jobs
			return
		case err != nil: // this piece does not decode: let the reader retry it
			if w.job != nil {
				w.job.err = err
				close(w.job.out)
				w.job = nil
			}
			w.dec, w.feed = nil, nil
			putChunk(w.chunk)
			w.chunk = nil
			if w.z.ctx.Err() != nil {
				return
			}
		}
	}
}

// add copies output into the job's chunk, sending each chunk as it fills.
func (w *bzWorker) add(p []byte) bool {
	for len(p) > 0 {
		if w.chunk == nil {
			w.chunk = getChunk()[:0]
		}
		n := copy(w.chunk[len(w.chunk):cap(w.chunk)], p)
		w.chunk = w.chunk[:len(w.chunk)+n]
		p = p[n:]
		if len(w.chunk) == cap(w.chunk) && !w.send() {
			return false
		}
	}
	return true
}

// ReadByte feeds the decoder. Past the end of a job's stream the decoder is
// looking for a next stream, which it does only once it has handed out all
// of the job's output and checked its CRC: so the job is finished here, and
// the next one starts. No more jobs is the end of the input.
func (w *bzWorker) ReadByte() (byte, error) {
	for len(w.feed) == 0 {
		if w.job != nil {
			if !w.send() {
				return 0, w.z.ctx.Err()
			}
			close(w.job.out)
			w.job = nil
		}
		if !w.next() {
			if err := w.z.ctx.Err(); err != nil {
				return 0, err
			}
			return 0, io.EOF
		}
	}
	b := w.feed[0]
	w.feed = w.feed[1:]
	return b, nil
}

// Read makes bzWorker an io.Reader too; the decoder reads by byte.
func (w *bzWorker) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	b, err := w.ReadByte()
	if err != nil {
		return 0, err
	}
	p[0] = b
	return 1, nil
}

// next takes the next job; false when there are none or the reader closed.
func (w *bzWorker) next() bool {
	select {
	case j, ok := <-w.z.work:
		if !ok {
			return false
		}
		w.job, w.feed = j, standalone(j.p)
		return true
	case <-w.z.ctx.Done():
		return false
	}
}

// send hands the chunk, if it holds anything, to the current job.
func (w *bzWorker) send() bool {
	if len(w.chunk) == 0 || w.job == nil {
		return true
	}
	c := w.chunk
	w.chunk = nil
	select {
	case w.job.out <- c:
		return true
	case <-w.z.ctx.Done():
		putChunk(c)
		return false
	}
}

// decode runs one piece through a decoder of its own, for the reader's
// retries of a piece joined with the next.
func (z *Reader) decode(j *job) {
	defer close(j.out)
	d := bzip2.NewReader(bytes.NewReader(standalone(j.p)))
	for {
		buf := make([]byte, chunkSize)
		n, err := fill(d, buf)
		if n > 0 {
			select {
			case j.out <- buf[:n]:
			case <-z.ctx.Done():
				j.err = z.ctx.Err()
				return
			}
		}
		switch {
		case err == io.EOF:
			return
		case err != nil: // io.ErrUnexpectedEOF included: a piece cut short
			j.err = err
			return
		}
	}
}

var chunkPool = sync.Pool{New: func() any { b := make([]byte, chunkSize); return &b }}

func getChunk() []byte { return (*chunkPool.Get().(*[]byte))[:chunkSize] }

// putChunk returns a chunk the reader has finished with.
func putChunk(c []byte) {
	if cap(c) == chunkSize {
		c = c[:chunkSize]
		chunkPool.Put(&c)
	}
}

// fill reads into buf until it is full or the reader stops; unlike
// io.ReadFull it keeps a clean io.EOF apart from a decoder's own
// io.ErrUnexpectedEOF.
func fill(r io.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := r.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// Close stops the scanner and the workers and waits for them. (The
// scanner may first have to see its pending read of the source return.)
func (z *Reader) Close() error {
	z.cancel()
	z.wg.Wait()
	return nil
}

// scan reads the compressed input, cuts it into pieces at every magic, and
// hands them to the workers and, in order, to the reader.
func (z *Reader) scan(s *scanner) {
	defer z.wg.Done()
	defer close(z.order)
	defer close(z.work)
	send := func(j *job) bool {
		select {
		case z.order <- j:
		case <-z.ctx.Done():
			return false
		}
		if j.eos {
			return true
		}
		select {
		case z.work <- j:
			return true
		case <-z.ctx.Done():
			return false
		}
	}
	for {
		j, err := s.next()
		if err == io.EOF {
			return
		}
		if err != nil {
			send(&job{eos: true, err: err})
			return
		}
		if j.out == nil && !j.eos {
			j.out = make(chan []byte, 4)
		}
		if !send(j) {
			return
		}
	}
}

// scanner finds the streams, blocks and end markers in the bit stream.
type scanner struct {
	r        io.Reader
	buf      []byte // unconsumed input, from byte pos
	pos      uint64 // bit offset in the input of buf[0]'s first bit
	eof      bool
	level    byte
	inStream bool
	start    uint64 // bit offset of the current piece
}

// fill reads more input; it reports false at the end of the input.
func (s *scanner) fill() (bool, error) {
	if s.eof {
		return false, nil
	}
	if cap(s.buf)-len(s.buf) < 32<<10 {
		s.buf = append(make([]byte, 0, 2*cap(s.buf)+64<<10), s.buf...)
	}
	n, err := s.r.Read(s.buf[len(s.buf):cap(s.buf)])
	s.buf = s.buf[:len(s.buf)+n]
	if err == io.EOF {
		s.eof = true
		return n > 0, nil
	}
	return true, err
}

// need makes at least n bytes available past byte index i of buf.
func (s *scanner) need(i, n int) (bool, error) {
	for len(s.buf) < i+n {
		more, err := s.fill()
		if err != nil || !more {
			return false, err
		}
	}
	return true, nil
}

// next returns the next piece or end-of-stream job.
func (s *scanner) next() (*job, error) {
	if !s.inStream {
		if err := s.streamHeader(); err != nil {
			return nil, err
		}
	}
	// s.start is at a block or end-of-stream magic; find the next one.
	if ok, err := s.need(int((s.start-s.pos)/8), int((s.start%8+48+7)/8)); err != nil {
		return nil, err
	} else if !ok {
		return nil, io.ErrUnexpectedEOF
	}
	first := s.bits(s.start, 48)
	if first == eosMagic {
		return s.endOfStream()
	}
	if first != blockMagic {
		return nil, errors.New("bzip2 block magic not found: the data is corrupt")
	}
	end, err := s.findMagic(s.start + 48 + 32)
	if err != nil {
		return nil, err
	}
	p := s.cut(s.start, end)
	p.start = s.start
	p.crc = uint32(s.bits(s.start+48, 32))
	s.start = end
	s.trim()
	return &job{p: p}, nil
}

// streamHeader reads "BZh" and the level at a byte boundary.
func (s *scanner) streamHeader() error {
	i := int((s.start - s.pos) / 8)
	ok, err := s.need(i, 4)
	if err != nil {
		return err
	}
	if !ok {
		if len(s.buf) > i && s.start == 0 {
			return io.ErrUnexpectedEOF
		}
		return io.EOF
	}
	h := s.buf[i : i+4]
	if h[0] != 'B' || h[1] != 'Z' || h[2] != 'h' || h[3] < '1' || h[3] > '9' {
		if s.start == 0 {
			return errors.New("not bzip2 data (bad stream header)")
		}
		return io.EOF // trailing data after the last stream, as bzip2 -d ignores it
	}
	s.level, s.inStream = h[3], true
	s.start += 32
	if ok, err := s.need(i+4, 6); !ok || err != nil {
		if err == nil {
			err = io.ErrUnexpectedEOF
		}
		return err
	}
	return nil
}

// endOfStream reads the stream CRC after the end magic and skips the
// padding to the next byte.
func (s *scanner) endOfStream() (*job, error) {
	if ok, err := s.need(int((s.start-s.pos)/8), 11); err != nil {
		return nil, err
	} else if !ok && (s.start+80+7)/8 > s.pos/8+uint64(len(s.buf)) {
		return nil, io.ErrUnexpectedEOF
	}
	want := uint32(s.bits(s.start+48, 32))
	s.start = (s.start + 80 + 7) &^ 7
	s.inStream = false
	s.trim()
	return &job{eos: true, want: want}, nil
}

// findMagic returns the bit offset of the next block or end magic at or
// after from; a block cannot end elsewhere.
func (s *scanner) findMagic(from uint64) (uint64, error) {
	var w uint64
	i := int((from - s.pos) / 8) // the byte holding bit from
	for {
		if ok, err := s.need(i, 1); err != nil {
			return 0, err
		} else if !ok {
			return 0, io.ErrUnexpectedEOF
		}
		w = w<<8 | uint64(s.buf[i])
		i++
		if s.pos+uint64(i)*8-s.start > maxPiece*8 {
			return 0, errors.New("no bzip2 block boundary within 3 MiB: the data is corrupt")
		}
		end := s.pos + uint64(i)*8 // bit offset just past the window
		for sh := 7; sh >= 0; sh-- {
			p := end - uint64(sh) - 48
			if end < uint64(sh)+48 || p < from {
				continue
			}
			if m := (w >> uint(sh)) & magicMask; m == blockMagic || m == eosMagic {
				return p, nil
			}
		}
	}
}

// bits returns n (at most 64) bits at bit offset off, from buf.
func (s *scanner) bits(off uint64, n uint) uint64 {
	var v uint64
	for k := uint(0); k < n; k++ {
		bit := off + uint64(k) - s.pos
		v = v<<1 | uint64(s.buf[bit/8]>>(7-bit%8)&1)
	}
	return v
}

// cut copies the bits [from, to) into a piece of their own.
func (s *scanner) cut(from, to uint64) piece {
	a, b := (from-s.pos)/8, (to-s.pos+7)/8
	return piece{data: bytes.Clone(s.buf[a:b]), off: uint(from % 8), nbits: to - from, level: s.level}
}

// trim drops input before the current piece's first byte.
func (s *scanner) trim() {
	drop := (s.start - s.pos) / 8
	if drop > 0 && drop <= uint64(len(s.buf)) {
		// Move what is left to the front, so the buffer's memory is reused
		// rather than regrown for every block.
		s.buf = append(s.buf[:0], s.buf[drop:]...)
		s.pos += drop * 8
	}
}

// standalone wraps a piece as a one-block bzip2 stream: header, the bits,
// the end magic and, as the stream CRC, the block's own CRC.
func standalone(p piece) []byte {
	w := &bitWriter{buf: append(make([]byte, 0, len(p.data)+16), 'B', 'Z', 'h', p.level)}
	w.copyBits(p.data, p.off, p.nbits)
	w.write(eosMagic, 48)
	w.write(uint64(p.crc), 32)
	return w.bytes()
}

// join appends q's bits to p's.
func join(p, q piece) piece {
	w := &bitWriter{}
	w.copyBits(p.data, p.off, p.nbits)
	w.copyBits(q.data, q.off, q.nbits)
	return piece{data: w.bytes(), nbits: p.nbits + q.nbits, start: p.start, crc: p.crc, level: p.level}
}

// bitWriter appends bits, most significant first.
type bitWriter struct {
	buf   []byte
	nbits uint // bits used in the last byte, 0 when byte aligned
}

func (w *bitWriter) write(v uint64, n uint) {
	for n > 0 {
		if w.nbits == 0 {
			w.buf = append(w.buf, 0)
		}
		room := 8 - w.nbits
		take := min(room, n)
		bits := byte(v>>(n-take)) & (1<<take - 1)
		w.buf[len(w.buf)-1] |= bits << (room - take)
		w.nbits = (w.nbits + take) % 8
		n -= take
	}
}

// copyBits appends n bits of src starting at bit off of src[0].
func (w *bitWriter) copyBits(src []byte, off uint, n uint64) {
	bit := uint64(off)
	for n >= 56 {
		i := bit / 8
		var v uint64
		for k := uint64(0); k < 8 && i+k < uint64(len(src)); k++ {
			v |= uint64(src[i+k]) << (56 - 8*k)
		}
		v = v << (bit % 8) >> 8 // the 56 bits at bit
		w.write(v, 56)
		bit += 56
		n -= 56
	}
	for ; n > 0; n-- {
		w.write(uint64(src[bit/8]>>(7-bit%8)&1), 1)
		bit++
	}
}

func (w *bitWriter) bytes() []byte { return w.buf }
