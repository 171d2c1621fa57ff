package transformtest

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"hash/crc64"
	"io"
	"math/rand"
	"net/http"
	"net/url"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing/iotest"
	"time"

	"github.com/olkit/olkit/s3err"
	"github.com/olkit/olkit/transforms"
)

type kit struct {
	subject    Subject
	cfg        Config
	mu         sync.Mutex
	violations []Violation
	broken     bool // the Subject cannot build a transform
}

func newKit(s Subject, cfg Config) *kit {
	if cfg.Seed == 0 {
		cfg.Seed = time.Now().UnixNano()
	}
	if cfg.RandomRuns <= 0 {
		cfg.RandomRuns = DefaultRandomRuns
	}
	if cfg.MaxHeapGrowth <= 0 {
		cfg.MaxHeapGrowth = DefaultMaxHeapGrowth
	}
	if cfg.LargeSize == 0 {
		cfg.LargeSize = 4 * cfg.MaxHeapGrowth
		if raceEnabled {
			cfg.LargeSize = 2 * cfg.MaxHeapGrowth
		}
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	for i := range cfg.Inputs {
		if cfg.Inputs[i].Name == "" {
			cfg.Inputs[i].Name = fmt.Sprintf("input %d", i+1)
		}
	}
	return &kit{subject: s, cfg: cfg}
}

func (k *kit) fail(check, input string, seed int64, format string, args ...any) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.violations = append(k.violations, Violation{Check: check, Input: input, Seed: seed, Detail: fmt.Sprintf(format, args...)})
}

func (k *kit) skip(check string) bool { return slices.Contains(k.cfg.Skip, check) }

// hangBound is how long one run on a sample may take before it counts as
// hung.
func (k *kit) hangBound() time.Duration { return 20 * k.cfg.Timeout }

func (k *kit) run() {
	k.cfg.Logf("transformtest: random read sizes use seed %d", k.cfg.Seed)
	var primary *Input
	for i := range k.cfg.Inputs {
		in := &k.cfg.Inputs[i]
		k.checkInput(in)
		if k.broken {
			return
		}
		if !in.WantErr && (primary == nil || len(in.Data) > len(primary.Data)) {
			primary = in
		}
	}
	if primary == nil {
		k.cfg.Logf("transformtest: every input is WantErr: skipping the cancel, close, goroutine and memory checks")
		return
	}
	k.checkLifecycle(primary)
	if !k.skip(CheckMemory) {
		k.checkMemory(primary)
	}
}

// newObject is the Object a request for in starts with.
func newObject(in *Input) *transforms.Object {
	h := http.Header{}
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Last-Modified", "Mon, 02 Jan 2006 15:04:05 GMT")
	h.Set("Content-Length", strconv.Itoa(len(in.Data)))
	sum := md5.Sum(in.Data)
	h.Set("Etag", `"`+hex.EncodeToString(sum[:])+`"`)
	h.Set("Content-Md5", base64.StdEncoding.EncodeToString(sum[:]))
	h.Set("X-Amz-Checksum-Crc32", checksum("X-Amz-Checksum-Crc32", in.Data))
	h.Set("X-Amz-Checksum-Type", "FULL_OBJECT")
	for name, v := range in.Header {
		h[http.CanonicalHeaderKey(name)] = slices.Clone(v)
	}
	key := in.Key
	if key == "" {
		key = "transformtest/object"
	}
	q := url.Values{}
	for name, v := range in.Query {
		q[name] = slices.Clone(v)
	}
	return &transforms.Object{Key: key, Header: h, Size: int64(len(in.Data)), Query: q}
}

// objState is what a run's Object said, for comparing runs.
type objState struct {
	Key    string
	Header http.Header
	Size   int64
	Query  url.Values
}

func snapshot(o *transforms.Object) objState {
	return objState{Key: o.Key, Header: o.Header.Clone(), Size: o.Size, Query: url.Values(http.Header(o.Query).Clone())}
}

func (s objState) String() string {
	return fmt.Sprintf("Size %d, Header %v", s.Size, s.Header)
}

// outcome is one complete run: Apply, read to the end, Close.
type outcome struct {
	applyErr   error
	data       []byte
	err        error // from Apply or Read; nil after a clean io.EOF
	afterApply objState
	afterRead  objState
	closeErr   error
	hung       bool
	preserves  bool
}

// apply builds a transform and applies it as a Chain stage would.
func (k *kit) apply(ctx context.Context, in *Input, src io.Reader) (obj *transforms.Object, out io.Reader, preserves bool, err error) {
	t, err := k.subject()
	if err != nil || t == nil {
		if err == nil {
			err = errors.New("the Subject returned no transform")
		}
		k.mu.Lock()
		first := !k.broken
		k.broken = true
		k.mu.Unlock()
		if first {
			k.fail(CheckSubject, "", 0, "cannot build the transform: %v", err)
		}
		return nil, nil, false, errSubject
	}
	obj = newObject(in)
	chain := transforms.ChainOf("subject", t)
	preserves = chain.PreservesBytes()
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("Apply panicked: %v", r)
		}
	}()
	// Applied through a real Chain, so the header rules (what a stage that
	// changes bytes leaves behind is dropped) are the Chain's own.
	rc, err := chain.Apply(ctx, obj, src)
	if err != nil {
		return obj, nil, preserves, err
	}
	return obj, rc, preserves, nil
}

var errSubject = errors.New("transformtest: no transform")

// once runs Apply on src, reads the output with sizes from next and closes
// it, giving up after the hang bound.
func (k *kit) once(in *Input, src io.Reader, next func() int) outcome {
	done := make(chan outcome, 1)
	opened := make(chan io.Reader, 1)
	go func() {
		var o outcome
		defer func() {
			if r := recover(); r != nil {
				o.err = fmt.Errorf("Read panicked: %v", r)
			}
			done <- o
		}()
		obj, out, preserves, err := k.apply(context.Background(), in, src)
		o.preserves = preserves
		if err != nil {
			o.applyErr, o.err = err, err
			return
		}
		opened <- out
		o.afterApply = snapshot(obj)
		res := readAllSizes(out, next)
		o.data, o.err = res.data, res.err
		o.afterRead = snapshot(obj)
		if c, ok := out.(io.Closer); ok {
			o.closeErr = c.Close()
		}
	}()
	select {
	case o := <-done:
		return o
	case <-time.After(k.hangBound()):
		select {
		case out := <-opened:
			if c, ok := out.(io.Closer); ok {
				go c.Close() // release it if it can be released
			}
		default:
		}
		return outcome{hung: true, err: fmt.Errorf("transformtest: the run did not finish within %v (a deadlock?)", k.hangBound())}
	}
}

func (k *kit) checkInput(in *Input) {
	base := k.once(in, source(in.Data), fixed(64<<10))
	if k.broken {
		return
	}
	if base.hung {
		k.fail(CheckOutput, in.Name, 0, "reading the whole output: %v", base.err)
		return
	}
	switch {
	case in.WantErr && base.err == nil:
		k.fail(CheckOutput, in.Name, 0, "want an error, got %d bytes of output and io.EOF", len(base.data))
	case !in.WantErr && base.applyErr != nil:
		k.fail(CheckOutput, in.Name, 0, "Apply failed: %v", base.applyErr)
		return
	case !in.WantErr && base.err != nil:
		k.fail(CheckOutput, in.Name, 0, "reading the output failed after %d bytes: %v", len(base.data), base.err)
		return
	case !in.WantErr && in.Want != nil && !bytes.Equal(base.data, in.Want):
		k.fail(CheckOutput, in.Name, 0, "wrong output: %s", diff(base.data, in.Want))
	}
	if base.err == nil && base.closeErr != nil && !k.skip(CheckClose) {
		k.fail(CheckClose, in.Name, 0, "Close after a complete read returned %v", base.closeErr)
	}
	if base.err == nil && !k.skip(CheckHeaders) {
		k.checkHeaders(in, base)
	}
	if base.err == nil && !in.WantErr && !k.skip(CheckHead) {
		k.checkHead(in, base)
	}
	if !k.skip(CheckReadSizes) {
		k.checkReadSizes(in, base)
	}
	if base.err == nil && !in.WantErr && !k.skip(CheckSourceError) {
		k.checkSourceErrors(in, base.data)
	}
}

// checkReadSizes reads in with every strategy and compares with base.
func (k *kit) checkReadSizes(in *Input, base outcome) {
	type strategy struct {
		name string
		src  func() io.Reader
		next func() int
		seed int64
	}
	strategies := []strategy{
		{"source read one byte at a time (iotest.OneByteReader)", func() io.Reader { return iotest.OneByteReader(source(in.Data)) }, fixed(64 << 10), 0},
		{"output read one byte at a time", func() io.Reader { return source(in.Data) }, fixed(1), 0},
		{"half reads of source (iotest.HalfReader) and output", func() io.Reader { return iotest.HalfReader(source(in.Data)) }, halving(), 0},
		{"source returning its last data with io.EOF (iotest.DataErrReader)", func() io.Reader { return iotest.DataErrReader(source(in.Data)) }, fixed(64 << 10), 0},
	}
	for i := range k.cfg.RandomRuns {
		seed := k.cfg.Seed + int64(i)
		strategies = append(strategies, strategy{"random read sizes of source and output", func() io.Reader {
			return &randomReader{r: source(in.Data), rng: rand.New(rand.NewSource(seed))}
		}, randomSizes(rand.New(rand.NewSource(seed ^ 0x5eed))), seed})
	}
	for _, s := range strategies {
		o := k.once(in, s.src(), s.next)
		if k.broken {
			return
		}
		if msg := compare(base, o); msg != "" {
			k.fail(CheckReadSizes, in.Name, s.seed, "%s: %s", s.name, msg)
		}
	}
	if base.err == nil {
		k.checkIotest(in, base.data)
	}
}

// checkIotest runs iotest.TestReader on the output: small reads, Read(nil),
// a Read after io.EOF (and Seek/ReadAt when the output has them).
func (k *kit) checkIotest(in *Input, want []byte) {
	done := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- fmt.Errorf("panicked: %v", r)
			}
		}()
		_, out, _, err := k.apply(context.Background(), in, source(in.Data))
		if err != nil {
			done <- fmt.Errorf("Apply failed: %v", err)
			return
		}
		err = iotest.TestReader(out, want)
		if c, ok := out.(io.Closer); ok {
			c.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil && !errors.Is(err, errSubject) {
			k.fail(CheckReadSizes, in.Name, 0, "iotest.TestReader on the output: %v", err)
		}
	case <-time.After(k.hangBound()):
		k.fail(CheckReadSizes, in.Name, 0, "iotest.TestReader on the output did not finish within %v", k.hangBound())
	}
}

// compare says how o differs from base, or "" when it does not.
func compare(base, o outcome) string {
	switch {
	case o.hung:
		return o.err.Error()
	case (base.err == nil) != (o.err == nil):
		if o.err != nil {
			return fmt.Sprintf("failed after %d bytes (%v), but succeeded with whole reads", len(o.data), o.err)
		}
		return fmt.Sprintf("succeeded with %d bytes, but whole reads failed (%v)", len(o.data), base.err)
	case base.err != nil:
		if b, c := s3Code(base.err), s3Code(o.err); b != c {
			return fmt.Sprintf("failed with S3 code %q (%v), whole reads with %q (%v)", c, o.err, b, base.err)
		}
		return ""
	case !bytes.Equal(base.data, o.data):
		return "output differs from whole reads: " + diff(o.data, base.data)
	case !reflect.DeepEqual(base.afterApply, o.afterApply):
		return fmt.Sprintf("Object after Apply differs from whole reads: %v, want %v", o.afterApply, base.afterApply)
	case !reflect.DeepEqual(base.afterRead, o.afterRead):
		return fmt.Sprintf("Object after reading differs from whole reads: %v, want %v", o.afterRead, base.afterRead)
	}
	return ""
}

func s3Code(err error) string {
	var e *s3err.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// diff describes where got first differs from want.
func diff(got, want []byte) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	return fmt.Sprintf("%d bytes, want %d; first difference at byte %d: got %q, want %q", len(got), len(want), i, snippet(got, i), snippet(want, i))
}

func snippet(b []byte, at int) string {
	from := max(0, at-16)
	to := min(len(b), at+32)
	if from >= to {
		return ""
	}
	return string(b[from:to])
}

// checksum computes the value S3 would give header for data; "" when the
// header is not a checksum the kit knows.
func checksum(header string, data []byte) string {
	var h hash.Hash
	switch header {
	case "Content-Md5":
		h = md5.New()
	case "X-Amz-Checksum-Crc32":
		h = crc32.NewIEEE()
	case "X-Amz-Checksum-Crc32c":
		h = crc32.New(crc32.MakeTable(crc32.Castagnoli))
	case "X-Amz-Checksum-Crc64nvme":
		sum := crc64.Checksum(data, crc64.MakeTable(0x9a6c9329ac4bc9b5))
		return base64.StdEncoding.EncodeToString(binary.BigEndian.AppendUint64(nil, sum))
	case "X-Amz-Checksum-Sha1":
		h = sha1.New()
	case "X-Amz-Checksum-Sha256":
		h = sha256.New()
	default:
		return ""
	}
	h.Write(data)
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// byteHeaders are the headers that describe the exact bytes of a stream,
// as transforms.Object.ForgetBytes drops them.
var byteHeaders = []string{
	"Content-Length", "Content-Md5", "Content-Range", "Etag",
	"X-Amz-Checksum-Crc32", "X-Amz-Checksum-Crc32c", "X-Amz-Checksum-Crc64nvme",
	"X-Amz-Checksum-Sha1", "X-Amz-Checksum-Sha256", "X-Amz-Checksum-Type", "X-Amz-Mp-Parts-Count",
}

// checkHeaders checks that the Object after a complete read describes the
// output bytes, and that a Preserver preserved them.
func (k *kit) checkHeaders(in *Input, base outcome) {
	out := base.data
	orig := newObject(in)
	same := bytes.Equal(out, in.Data)
	if base.preserves && !same && !k.skip(CheckPreserver) {
		k.fail(CheckPreserver, in.Name, 0, "the transform is a Preserver (PreservesBytes true) but its output is not its input: %s", diff(out, in.Data))
	}
	st := base.afterRead
	if st.Size >= 0 && st.Size != int64(len(out)) {
		k.fail(CheckHeaders, in.Name, 0, "Object.Size is %d but the output is %d bytes; set -1 when unknown", st.Size, len(out))
	}
	if st.Size < 0 && !same {
		if n := k.assignedSize(in); n >= 0 {
			k.fail(CheckHeaders, in.Name, 0, "Apply assigned Object.Size = %d, which the Chain drops: state a length with Object.SetSize (output is %d bytes)", n, len(out))
		}
	}
	for _, name := range byteHeaders {
		v := st.Header.Get(name)
		if v == "" {
			continue
		}
		switch name {
		case "Content-Length":
			if v != strconv.Itoa(len(out)) {
				k.fail(CheckHeaders, in.Name, 0, "stale Content-Length %s: the output is %d bytes", v, len(out))
			}
			continue
		case "Content-Range":
			if !same {
				k.fail(CheckHeaders, in.Name, 0, "Content-Range %q left on changed bytes (ranges are applied after the chain)", v)
			}
			continue
		case "Etag":
			sum := md5.Sum(out)
			if !same && v == orig.Header.Get(name) && v != `"`+hex.EncodeToString(sum[:])+`"` {
				k.fail(CheckHeaders, in.Name, 0, "stale ETag %s: it is the original's, and the bytes changed", v)
			}
			continue
		}
		if want := checksum(name, out); want != "" {
			if v != want {
				k.fail(CheckHeaders, in.Name, 0, "stale %s %s: the output's is %s", name, v, want)
			}
		} else if !same && v == orig.Header.Get(name) {
			k.fail(CheckHeaders, in.Name, 0, "stale %s %s: it is the original's, and the bytes changed", name, v)
		}
	}
	if !reflect.DeepEqual(base.afterApply, base.afterRead) {
		k.fail(CheckHeaders, in.Name, 0, "Object changed while the output was read (after Apply: %v; after the read: %v); the handler may already have sent the headers, so edit Object in Apply", base.afterApply, base.afterRead)
	}
}

// assignedSize applies the transform outside a Chain and returns the Size
// it left if it assigned one (rather than SetSize, whose length the Chain
// would have kept), else -1.
func (k *kit) assignedSize(in *Input) int64 {
	t, err := k.subject()
	if err != nil || t == nil {
		return -1
	}
	obj := newObject(in)
	var r io.Reader
	err = guardPanic(func() (err error) {
		r, err = t.Apply(context.Background(), obj, bytes.NewReader(in.Data))
		return err
	})
	if c, ok := r.(io.Closer); ok {
		c.Close()
	}
	if err != nil || obj.Size == int64(len(in.Data)) {
		return -1
	}
	return obj.Size
}

// guardPanic calls f, turning a panic into an error.
func guardPanic(f func() error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("panic: %v", v)
		}
	}()
	return f()
}

// checkHead checks that a HEAD through the transform describes what a GET
// gives: the same headers (Content-Type, Content-Encoding, metadata, ...),
// no byte header (ETag, a checksum) that differs from the GET's, and a
// length only when it is the GET body's. Head is given the original as a
// Source, as the serving core gives it when it can read the original.
func (k *kit) checkHead(in *Input, base outcome) {
	t, err := k.subject()
	if err != nil || t == nil {
		return
	}
	obj := newObject(in)
	obj.Source = bytes.NewReader(in.Data)
	if err := transforms.ChainOf("subject", t).Head(context.Background(), obj); err != nil {
		k.fail(CheckHead, in.Name, 0, "Head failed where Apply and the read succeeded: %v", err)
		return
	}
	got := base.afterRead
	if obj.Size >= 0 && obj.Size != int64(len(base.data)) {
		k.fail(CheckHead, in.Name, 0, "Head says the length is %d, but a GET gives %d bytes", obj.Size, len(base.data))
	}
	names := map[string]bool{}
	for name := range obj.Header {
		names[name] = true
	}
	for name := range got.Header {
		names[name] = true
	}
	for name := range names {
		hv, av := obj.Header.Values(name), got.Header.Values(name)
		if slices.Contains(byteHeaders, name) && len(hv) == 0 {
			continue // Head may not know what only the bytes tell
		}
		if !slices.Equal(hv, av) {
			k.fail(CheckHead, in.Name, 0, "Head gives %s %q, but Apply %q: a HEAD must describe what a GET returns (implement transforms.HeadTransform)", name, hv, av)
		}
	}
}

// checkSourceErrors makes the source fail before any byte, mid-stream and
// instead of io.EOF.
func (k *kit) checkSourceErrors(in *Input, full []byte) {
	positions := []int{0}
	if len(in.Data) > 1 {
		positions = append(positions, len(in.Data)/2)
	}
	if len(in.Data) > 0 {
		positions = append(positions, len(in.Data))
	}
	for _, at := range positions {
		o, srcErr := k.failAt(in, at)
		if k.broken {
			return
		}
		where := fmt.Sprintf("source failing after %d of %d bytes", at, len(in.Data))
		switch {
		case o.hung:
			k.fail(CheckSourceError, in.Name, 0, "%s: %v", where, o.err)
		case o.err == nil:
			k.fail(CheckSourceError, in.Name, 0, "%s: the output ended with io.EOF after %d bytes, swallowing the error; return it (wrapped) instead", where, len(o.data))
		case !errors.Is(o.err, srcErr):
			k.fail(CheckSourceError, in.Name, 0, "%s: the output failed with %q, which does not wrap the source's error; wrap it with %%w or s3err.Wrap", where, o.err)
		case !bytes.HasPrefix(full, o.data):
			k.fail(CheckSourceError, in.Name, 0, "%s: the bytes before the error are not a prefix of the full output: %s", where, diff(o.data, full[:min(len(full), len(o.data))]))
		}
		if o.closeErr != nil && !errors.Is(o.closeErr, srcErr) && !k.skip(CheckClose) {
			k.fail(CheckClose, in.Name, 0, "%s: Close returned %v", where, o.closeErr)
		}
	}
}

func (k *kit) failAt(in *Input, at int) (outcome, error) {
	srcErr := &SourceError{After: at}
	return k.once(in, &failingReader{data: in.Data[:at], err: srcErr}, fixed(64<<10)), srcErr
}

// checkLifecycle runs the close and cancel checks, and the goroutine check
// around them and around a complete read and a failed source.
func (k *kit) checkLifecycle(in *Input) {
	leaks := func(scenario string, f func()) {
		before := goroutines()
		f()
		if k.skip(CheckGoroutines) {
			return
		}
		if extra := leaked(before, k.cfg.Timeout); len(extra) > 0 {
			stacks := ""
			for _, s := range extra {
				stacks += "\n" + shortStack(s)
			}
			k.fail(CheckGoroutines, in.Name, 0, "%d goroutine(s) still running %v after %s:%s", len(extra), k.cfg.Timeout, scenario, stacks)
		}
	}
	leaks("a complete read and Close", func() { k.once(in, source(in.Data), fixed(64<<10)) })
	if len(in.Data) > 1 && !k.skip(CheckSourceError) {
		leaks("a source error mid-stream", func() { k.failAt(in, len(in.Data)/2) })
	}
	leaks("reading a little and then closing (or abandoning) the output", func() { k.checkEarlyClose(in) })
	if !k.skip(CheckCancel) {
		leaks("cancelling the context", func() { k.checkCancel(in) })
	}
}

// earlySource is a source long enough that a transform is mid-stream when
// its output is closed early: Config.Large when set, else the sample
// repeated to at least 1 MiB.
func (k *kit) earlySource(in *Input) io.Reader {
	if k.cfg.Large != nil {
		return k.cfg.Large()
	}
	if len(in.Data) == 0 {
		return source(nil)
	}
	return plain{newRepeatReader(in.Data, 1<<20)}
}

// checkEarlyClose reads a little of the output and closes it: Close and a
// Read after it must return within Timeout.
func (k *kit) checkEarlyClose(in *Input) {
	type step struct {
		out io.Reader
		err error
	}
	opened := make(chan step, 1)
	go func() {
		_, out, _, err := k.apply(context.Background(), in, k.earlySource(in))
		if err == nil {
			p := make([]byte, 512)
			for {
				n, rerr := out.Read(p)
				if n > 0 || rerr != nil {
					break
				}
			}
		}
		opened <- step{out, err}
	}()
	var s step
	select {
	case s = <-opened:
	case <-time.After(k.hangBound()):
		k.fail(CheckClose, in.Name, 0, "reading the first bytes of the output did not finish within %v", k.hangBound())
		return
	}
	if s.err != nil {
		if !errors.Is(s.err, errSubject) {
			k.fail(CheckClose, in.Name, 0, "Apply failed on the sample repeated to 1 MiB: %v (set Config.Large to a valid long input)", s.err)
		}
		return
	}
	c, ok := s.out.(io.Closer)
	if !ok || k.skip(CheckClose) {
		return // the handler drops it; the goroutine check sees what it leaves
	}
	closed := make(chan struct{})
	go func() { c.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(k.cfg.Timeout):
		k.fail(CheckClose, in.Name, 0, "Close of a partly read output did not return within %v", k.cfg.Timeout)
		return
	}
	read := make(chan struct{})
	go func() {
		defer func() { recover(); close(read) }() // a panic is tolerable, a hang is not
		s.out.Read(make([]byte, 512))
	}()
	select {
	case <-read:
	case <-time.After(k.cfg.Timeout):
		k.fail(CheckClose, in.Name, 0, "a Read after Close did not return within %v", k.cfg.Timeout)
	}
}

// checkCancel blocks the source after half the sample, cancels the
// context, and wants the pending Apply or Read to fail within Timeout.
func (k *kit) checkCancel(in *Input) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	src := &blockingReader{data: in.Data[:len(in.Data)/2], ctx: ctx, blocked: make(chan struct{})}
	outc := make(chan io.Reader, 1)
	done := make(chan readResult, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- readResult{err: fmt.Errorf("panicked: %v", r)}
			}
		}()
		_, out, _, err := k.apply(ctx, in, src)
		if err != nil {
			done <- readResult{err: err}
			return
		}
		outc <- out
		done <- readAllSizes(out, fixed(32<<10))
	}()
	closeOut := func() {
		select {
		case out := <-outc:
			if c, ok := out.(io.Closer); ok {
				go c.Close()
			}
		default:
		}
	}
	select {
	case <-src.blocked:
	case r := <-done:
		closeOut()
		switch {
		case errors.Is(r.err, errSubject):
		case r.err == nil:
			k.fail(CheckCancel, in.Name, 0, "the output ended (io.EOF) after %d bytes although the source had not ended", len(r.data))
		default:
			k.fail(CheckCancel, in.Name, 0, "the output failed before the source ended or blocked: %v", r.err)
		}
		return
	case <-time.After(k.hangBound()):
		k.fail(CheckCancel, in.Name, 0, "the transform did not read the source to where it blocks within %v", k.hangBound())
		cancel()
		return
	}
	cancel()
	select {
	case r := <-done:
		closeOut()
		if r.err == nil {
			k.fail(CheckCancel, in.Name, 0, "after cancellation the output ended cleanly (io.EOF) after %d bytes; it must fail", len(r.data))
		}
	case <-time.After(k.cfg.Timeout):
		k.fail(CheckCancel, in.Name, 0, "Apply or Read still blocked %v after the context was cancelled (the source had failed with context.Canceled); check ctx.Done() wherever the transform waits", k.cfg.Timeout)
		closeOut()
	}
}

// meter samples the live heap as bytes stream by and stops the stream once
// it grows past the bound.
type meter struct {
	mu       sync.Mutex
	base     uint64
	peak     int64
	bound    int64
	every    int64 // bytes between samples
	exceeded bool
}

var errHeap = errors.New("transformtest: heap bound exceeded; stream stopped")

func (m *meter) sample() {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	m.mu.Lock()
	defer m.mu.Unlock()
	if g := int64(ms.HeapAlloc) - int64(m.base); g > m.peak {
		m.peak = g
	}
	if m.peak > m.bound {
		m.exceeded = true
	}
}

func (m *meter) over() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.exceeded
}

// meteredReader samples the heap every m.every bytes read through it.
type meteredReader struct {
	r    io.Reader
	m    *meter
	n    atomic.Int64 // read by the kit while a transform's goroutine reads
	next int64
}

func (r *meteredReader) Read(p []byte) (int, error) {
	if r.m.over() {
		return 0, errHeap
	}
	n, err := r.r.Read(p)
	total := r.n.Add(int64(n))
	if total >= r.next {
		r.next = total + r.m.every
		r.m.sample()
	}
	return n, err
}

// checkMemory streams the large input and bounds the live heap's growth.
func (k *kit) checkMemory(in *Input) {
	var large io.Reader
	limit := k.cfg.LargeSize
	switch {
	case k.cfg.Large != nil:
		large = k.cfg.Large()
	case k.cfg.LargeSize < 0:
		return
	case len(in.Data) == 0:
		k.cfg.Logf("transformtest: no non-empty sample to repeat: skipping the memory check")
		return
	default:
		large = newRepeatReader(in.Data, k.cfg.LargeSize)
	}
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	// Sample four times per bound's worth of bytes, at most every 4 MiB.
	every := min(4<<20, max(64<<10, k.cfg.MaxHeapGrowth/4))
	m := &meter{base: ms.HeapAlloc, bound: k.cfg.MaxHeapGrowth, every: every}
	src := &meteredReader{r: plain{large}, m: m, next: every}
	start := time.Now()
	type result struct {
		out int64
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- result{err: fmt.Errorf("panicked: %v", r)}
			}
		}()
		_, out, _, err := k.apply(context.Background(), in, src)
		if err != nil {
			done <- result{err: err}
			return
		}
		if c, ok := out.(io.Closer); ok {
			defer c.Close()
		}
		sink := &meteredReader{r: out, m: m, next: every}
		buf := make([]byte, 32<<10)
		var total int64
		for {
			n, err := sink.Read(buf)
			total += int64(n)
			if err == io.EOF || limit > 0 && total >= limit {
				// The input ended, or enough output has streamed (an
				// expanding transform, such as a decompressor, stops here).
				done <- result{total, nil}
				return
			}
			if err != nil {
				done <- result{total, err}
				return
			}
		}
	}()
	var r result
	select {
	case r = <-done:
	case <-time.After(max(5*time.Minute, k.hangBound())):
		k.fail(CheckMemory, in.Name, 0, "streaming the large input did not finish within 5 minutes")
		return
	}
	m.sample()
	elapsed := time.Since(start)
	m.mu.Lock()
	peak, exceeded := m.peak, m.exceeded
	m.mu.Unlock()
	if exceeded {
		k.fail(CheckMemory, in.Name, 0, "the live heap grew by %.1f MiB after %.1f MiB of input (bound %.1f MiB): the transform holds data in proportion to its input (io.ReadAll, bytes.Buffer, an unbounded line...); stream it, or spool to a temporary file",
			mib(peak), mib(src.n.Load()), mib(m.bound))
		return
	}
	if r.err != nil && !errors.Is(r.err, errSubject) {
		k.fail(CheckMemory, in.Name, 0, "the large input failed after %.1f MiB in, %.1f MiB out: %v (if the repeated sample is not a valid input, set Config.Large)", mib(src.n.Load()), mib(r.out), r.err)
		return
	}
	k.cfg.Logf("transformtest: memory: %.0f MiB in, %.0f MiB out in %v, live heap grew by at most %.1f MiB (bound %.0f MiB)",
		mib(src.n.Load()), mib(r.out), elapsed.Round(time.Millisecond), mib(peak), mib(m.bound))
}

func mib(n int64) float64 { return float64(n) / (1 << 20) }
