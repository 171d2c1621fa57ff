package serve

import (
	"container/list"
	"context"
	"errors"
	"io"
	"net/http"
	"sync"

	"github.com/olkit/olkit/s3err"
	"github.com/olkit/olkit/transforms"
)

// SizeCache remembers the length of transformed objects, so that a HEAD
// after a GET (what aws s3 cp, boto3's download_file and transfer managers
// do, and then GET in ranges) costs nothing. An entry is keyed by where
// the original came from, its key, its ETag and version, and the chain's
// fingerprint: an overwritten object, or another chain, is another entry,
// so an entry is never stale. It holds at most its capacity of entries
// (about 200 bytes each), dropping the least recently used.
type SizeCache struct {
	mu    sync.Mutex
	max   int
	order *list.List // of *sizeEntry, most recent first
	byKey map[string]*list.Element
}

type sizeEntry struct {
	key  string
	size int64
}

// DefaultSizeCacheEntries is the capacity NewSizeCache(0) gives: 10,000
// entries, a few MiB.
const DefaultSizeCacheEntries = 10_000

// NewSizeCache returns a cache of at most n entries (0: the default).
func NewSizeCache(n int) *SizeCache {
	if n <= 0 {
		n = DefaultSizeCacheEntries
	}
	return &SizeCache{max: n, order: list.New(), byKey: map[string]*list.Element{}}
}

// Len is how many entries the cache holds.
func (c *SizeCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

func (c *SizeCache) get(key string) (int64, bool) {
	if c == nil || key == "" {
		return 0, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[key]
	if !ok {
		return 0, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*sizeEntry).size, true
}

func (c *SizeCache) put(key string, size int64) {
	if c == nil || key == "" || size < 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[key]; ok {
		e.Value.(*sizeEntry).size = size
		c.order.MoveToFront(e)
		return
	}
	c.byKey[key] = c.order.PushFront(&sizeEntry{key: key, size: size})
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.byKey, last.Value.(*sizeEntry).key)
	}
}

// sizeKey is the cache key of the chain's output for the original whose
// headers are h; "" when the original has no ETag to pin it to.
func sizeKey(req *Request, chain *transforms.Chain, h http.Header) string {
	etag := h.Get("ETag")
	if etag == "" {
		return ""
	}
	return req.Scope + "\x00" + req.Key + "\x00" + etag + "\x00" + h.Get("X-Amz-Version-Id") + "\x00" + chain.Fingerprint()
}

// measure learns the length of the chain's output the slow way: it runs
// the chain over the original, read through src, and counts; obj, which
// describes the original, ends describing the output. A failure is the
// answer the GET would give (an access control's 403, a corrupt archive's
// 400); running out of time is a 503 that says so.
func measure(ctx context.Context, chain *transforms.Chain, obj *transforms.Object, src Source) (int64, error) {
	obj.Source = src
	out, err := chain.Apply(ctx, obj, io.NewSectionReader(src, 0, src.Size()))
	if err != nil {
		return 0, err
	}
	defer out.Close()
	if obj.Size >= 0 {
		return obj.Size, nil
	}
	n, err := io.Copy(io.Discard, &ctxReader{ctx: ctx, r: out})
	if err != nil && ctx.Err() != nil {
		return 0, s3err.Wrap(err, http.StatusServiceUnavailable, "ServiceUnavailable",
			"olkit could not learn the transformed object's length before the time limit; a GET of the whole object records it for the next HEAD")
	}
	return n, err
}

// lengthUnknown is the answer for a HEAD whose length olkit has no way to
// learn: it cannot read the original.
func lengthUnknown() *s3err.Error {
	return s3err.Wrap(errNoSource, http.StatusNotImplemented, "NotImplemented",
		"olkit cannot tell the transformed object's length: it has no way to read the original for a HEAD (give the function s3:GetObject on the supporting access point)")
}

var errNoSource = errors.New("no random access to the original")

// isLengthUnknown reports whether err is lengthUnknown's: a ranged GET then
// goes on without the total (bytes a-b/*).
func isLengthUnknown(err error) bool { return errors.Is(err, errNoSource) }

// recordAtEOF stores the length of a body read to its end.
type recordAtEOF struct {
	r     io.Reader
	n     int64
	done  func(n int64)
	fired bool
}

func (r *recordAtEOF) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	r.n += int64(n)
	if err == io.EOF && !r.fired {
		r.fired = true
		r.done(r.n)
	}
	return n, err
}

// Purge empties the cache.
func (c *SizeCache) Purge() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.order.Init()
	clear(c.byKey)
}
