package decompress

import (
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/olkit/olkit/transforms"
	"github.com/olkit/olkit/transforms/decompress/seek"
)

// Random access: with a checkpoint index (package seek) decompress serves
// a range of the decompressed bytes by decoding from the checkpoint before
// it, so a ranged GET costs what the range costs, not what its offset
// costs, and a parallel downloader's parts cost one decode in all rather
// than one per part. Indexes are built on demand (ApplyAt, from the
// original read at random) and as a by-product of a full read (Apply,
// for the formats where recording costs next to nothing), and kept in a
// bounded per-process cache keyed by the object's key, ETag, version and
// compressed size: an overwritten object is another key, so an index
// never outlives the ETag it was built for.

// DefaultIndexCacheBytes bounds the memory the per-process index cache
// holds: 64 MiB, about 22 gzip indexes of 256 MiB of text at their most
// (256 checkpoints of a compressed 32 KiB window), thousands of bzip2 or
// zstd ones (16-18 bytes a checkpoint).
const DefaultIndexCacheBytes = 64 << 20

var indexes = newIndexCache(DefaultIndexCacheBytes)

// seekable maps the transform's formats to the index's.
var seekable = map[Format]seek.Format{Gzip: seek.Gzip, Zlib: seek.Zlib, Bzip2: seek.Bzip2, Zstd: seek.Zstd, Snappy: seek.Snappy}

// byProduct are the formats whose full read records an index at no cost
// worth naming (see docs/benchmarks.md); bzip2's parallel decoder is
// faster than the recording one, so its index is built when a range
// first asks for it.
var byProduct = map[Format]bool{Gzip: true, Zlib: true, Zstd: true, Snappy: true}

// objectID names the object an index is for: its compressed size and its
// ETag and version; false when there is nothing to pin an index to.
func objectID(obj *transforms.Object, size int64) (seek.ID, bool) {
	etag := obj.Header.Get("ETag")
	if etag == "" || size < 0 {
		return seek.ID{}, false
	}
	return seek.ID{Size: size, ETag: etag + "\x00" + obj.Header.Get("X-Amz-Version-Id")}, true
}

func (t *Transform) seekOptions() seek.Options {
	return seek.Options{MaxWindowBytes: t.opts.MaxWindowBytes, MaxOutputBytes: t.opts.MaxOutputBytes}
}

// ApplyAt serves the decompressed bytes from off on (off < 0: the last
// -off), through the object's index, built now if the cache has none; with
// n >= 0 it reads the compressed object only between the checkpoints
// around those n bytes.
// It implements transforms.RangeTransform; it declines (false) without
// random access to the original, for formats without an index (ZIP is
// random access per entry already), and for data in no format it takes.
func (t *Transform) ApplyAt(ctx context.Context, obj *transforms.Object, off, n int64) (io.Reader, bool, error) {
	src := obj.Source
	if src == nil {
		return nil, false, nil
	}
	id, ok := objectID(obj, src.Size())
	if !ok {
		return nil, false, nil
	}
	f, empty, err := t.sourceFormat(obj)
	if err != nil {
		return nil, false, err
	}
	sf, ok := seekable[f]
	if !ok || empty {
		return nil, false, nil
	}
	idx, err := indexes.get(obj.Key, id, func() (*seek.Index, error) { return t.build(ctx, obj, id, sf) })
	if err != nil {
		return nil, false, decodeError(f, err, nil)
	}
	total := idx.Total()
	obj.SetSize(total)
	setDecodedHeaders(obj, innerName(obj.Key, f))
	if off < 0 {
		off = max(0, total+off)
	}
	if off >= total {
		return strings.NewReader(""), true, nil
	}
	var rc io.ReadCloser
	if n >= 0 {
		rc, err = seek.OpenRange(src, id, sf, idx, off, min(n, total-off), t.seekOptions())
	} else {
		rc, err = seek.OpenAt(src, id, sf, idx, off, t.seekOptions())
	}
	if err != nil {
		return nil, false, decodeError(f, err, nil)
	}
	return &output{r: rc, close: func() { rc.Close() }, format: f, max: t.opts.MaxOutputBytes, ratio: t.opts.MaxRatio}, true, nil
}

// knownSize is the decompressed size Head states: from a cached index,
// else from what the format records (zstd frame headers, snappy chunk
// headers), else by building the object's index, which decodes it once
// and leaves the index for the ranges a HEAD usually comes before
// (downloaders HEAD, then GET in parts). -1 when it cannot tell (no
// random access, or data the index cannot be built from: the caller then
// learns what the GET would answer by other means).
func (t *Transform) knownSize(ctx context.Context, obj *transforms.Object, f Format) int64 {
	sf, ok := seekable[f]
	if !ok || obj.Source == nil {
		return -1
	}
	id, ok := objectID(obj, obj.Source.Size())
	if !ok {
		return -1
	}
	if idx := indexes.cached(obj.Key, id); idx != nil {
		return idx.Total()
	}
	if n, err := seek.DecodedSize(obj.Source, id, sf, ""); err == nil {
		return n
	}
	idx, err := indexes.get(obj.Key, id, func() (*seek.Index, error) { return t.build(ctx, obj, id, sf) })
	if err != nil {
		return -1
	}
	return idx.Total()
}

// build is the object's index: the one kept beside the originals when the
// options name a prefix and it is there, else one built by decoding the
// object (and then kept there).
func (t *Transform) build(ctx context.Context, obj *transforms.Object, id seek.ID, f seek.Format) (*seek.Index, error) {
	if idx := t.stored(ctx, obj, id); idx != nil {
		return idx, nil
	}
	idx, err := seek.Build(obj.Source, id, f, t.seekOptions())
	if err == nil {
		t.keep(ctx, obj, id, idx)
	}
	return idx, err
}

// storeKey is where the object's index is kept: under the prefix, named
// by the object's key and identity, so an overwritten object's index is
// another key and an old one is never used for new bytes.
func (t *Transform) storeKey(obj *transforms.Object, id seek.ID) (string, bool) {
	if t.opts.IndexPrefix == "" || obj.Store == nil {
		return "", false
	}
	sum := sha256.Sum256([]byte(id.ETag + "\x00" + strconv.FormatInt(id.Size, 10)))
	return t.opts.IndexPrefix + obj.Key + "." + hex.EncodeToString(sum[:12]) + ".olkit-index", true
}

// stored is the index kept beside the originals, if there is one and it
// is sound and for this object; any fault means building it again.
func (t *Transform) stored(ctx context.Context, obj *transforms.Object, id seek.ID) *seek.Index {
	key, ok := t.storeKey(obj, id)
	if !ok {
		return nil
	}
	data, err := obj.Store.Get(ctx, key)
	if err != nil {
		return nil
	}
	idx, err := seek.Unmarshal(data)
	if err != nil || idx.Check(id) != nil {
		return nil
	}
	return idx
}

// keep writes the index beside the originals, when the options say where.
// A failure costs only a rebuild on another instance, so it is not the
// request's.
func (t *Transform) keep(ctx context.Context, obj *transforms.Object, id seek.ID, idx *seek.Index) {
	key, ok := t.storeKey(obj, id)
	if !ok {
		return
	}
	if data, err := idx.MarshalBinary(); err == nil {
		obj.Store.Put(ctx, key, data)
	}
}

// indexing returns the decoder for a full read of f that records the
// object's index as it goes, filing it in the cache at the end; nil when
// f or the object does not allow it.
func (t *Transform) indexing(ctx context.Context, f Format, r io.Reader, obj *transforms.Object) io.ReadCloser {
	sf, ok := seekable[f]
	if !ok || !byProduct[f] {
		return nil
	}
	id, ok := objectID(obj, obj.Size)
	if !ok || indexes.cached(obj.Key, id) != nil {
		return nil
	}
	ix, err := seek.NewIndexer(r, id, sf, t.seekOptions())
	if err != nil {
		return nil
	}
	return &filing{Indexer: ix, ctx: ctx, t: t, obj: obj, id: id}
}

// filing files the index of a full read once the stream has ended: in the
// cache, and beside the originals when the options say where.
type filing struct {
	*seek.Indexer
	ctx  context.Context
	t    *Transform
	obj  *transforms.Object
	id   seek.ID
	done bool
}

func (f *filing) Read(p []byte) (int, error) {
	n, err := f.Indexer.Read(p)
	if err == io.EOF && !f.done {
		f.done = true
		if idx, ierr := f.Index(); ierr == nil {
			indexes.put(f.obj.Key, f.id, idx)
			f.t.keep(f.ctx, f.obj, f.id, idx)
		}
	}
	return n, err
}

// indexCache is a bounded LRU of indexes by object, with one build at a
// time per object (concurrent ranges of a cold object wait for the first
// build rather than each decoding everything).
type indexCache struct {
	mu       sync.Mutex
	max      int64
	used     int64
	order    *list.List // of *indexEntry, most recent first
	byKey    map[string]*list.Element
	building map[string]*building
}

type indexEntry struct {
	key string
	idx *seek.Index
}

// building is an index under construction, which others wait for.
type building struct {
	done chan struct{}
	idx  *seek.Index
	err  error
}

func newIndexCache(max int64) *indexCache {
	return &indexCache{max: max, order: list.New(), byKey: map[string]*list.Element{}, building: map[string]*building{}}
}

func cacheKey(key string, id seek.ID) string {
	return key + "\x00" + id.ETag + "\x00" + strconv.FormatInt(id.Size, 10)
}

// cached is the object's index, or nil.
func (c *indexCache) cached(key string, id seek.ID) *seek.Index {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[cacheKey(key, id)]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*indexEntry).idx
	}
	return nil
}

// get is the object's index, built by build when the cache has none.
func (c *indexCache) get(key string, id seek.ID, build func() (*seek.Index, error)) (*seek.Index, error) {
	k := cacheKey(key, id)
	c.mu.Lock()
	if e, ok := c.byKey[k]; ok {
		c.order.MoveToFront(e)
		c.mu.Unlock()
		return e.Value.(*indexEntry).idx, nil
	}
	if b, ok := c.building[k]; ok {
		c.mu.Unlock()
		<-b.done
		return b.idx, b.err
	}
	b := &building{done: make(chan struct{})}
	c.building[k] = b
	c.mu.Unlock()

	b.idx, b.err = build()
	c.mu.Lock()
	delete(c.building, k)
	c.mu.Unlock()
	close(b.done)
	if b.err == nil {
		c.put(key, id, b.idx)
	}
	return b.idx, b.err
}

// put files an index, dropping the least recently used past the bound. An
// index larger than the whole bound is not kept.
func (c *indexCache) put(key string, id seek.ID, idx *seek.Index) {
	size := idx.Bytes()
	if size > c.max {
		return
	}
	k := cacheKey(key, id)
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[k]; ok {
		c.used -= e.Value.(*indexEntry).idx.Bytes()
		c.order.Remove(e)
	}
	c.byKey[k] = c.order.PushFront(&indexEntry{key: k, idx: idx})
	c.used += size
	for c.used > c.max {
		last := c.order.Back()
		ent := last.Value.(*indexEntry)
		c.order.Remove(last)
		delete(c.byKey, ent.key)
		c.used -= ent.idx.Bytes()
	}
}
