package decompress

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/olkit/olkit/transforms"
	"github.com/olkit/olkit/transforms/decompress/seek"
)

// memStore is a transforms.Store in memory.
type memStore struct {
	mu   sync.Mutex
	objs map[string][]byte
}

func (m *memStore) Get(_ context.Context, key string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if b, ok := m.objs[key]; ok {
		return b, nil
	}
	return nil, transforms.ErrNotStored
}

func (m *memStore) Put(_ context.Context, key string, data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.objs[key] = bytes.Clone(data)
	return nil
}

// countingSource counts what is read of the compressed object at random.
type countingSource struct {
	*bytes.Reader
	n atomic.Int64
}

func (c *countingSource) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.Reader.ReadAt(p, off)
	c.n.Add(int64(n))
	return n, err
}

// TestIndexKeptBesideTheOriginals: with indexPrefix, a full read leaves
// the object's index in the store; an instance with an empty cache (here,
// the cache emptied) serves a range through it, reading a small part of
// the object; another ETag finds nothing and builds its own; a damaged
// stored index is rebuilt, never trusted.
func TestIndexKeptBesideTheOriginals(t *testing.T) {
	var text bytes.Buffer
	for i := 0; text.Len() < 4<<20; i++ {
		fmt.Fprintf(&text, "%d user%d@example.com %x kept beside its index\n", i, i*7919%100003, uint64(i)*0x9e3779b97f4a7c15)
	}
	data := text.Bytes()
	cmd := exec.Command("gzip", "-c")
	cmd.Stdin = bytes.NewReader(data)
	gz, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	store := &memStore{objs: map[string][]byte{}}
	opts, err := ParseOptions([]byte(`{"indexPrefix":"idx/"}`))
	if err != nil {
		t.Fatal(err)
	}
	tr := New(opts)
	object := func(etag string, src *countingSource) *transforms.Object {
		o := &transforms.Object{Key: "logs/a.log.gz", Header: http.Header{"Etag": {etag}}, Size: int64(len(gz)), Store: store}
		if src != nil {
			o.Source = src
		}
		return o
	}

	// A full read files the index, in the cache and in the store.
	chain := transforms.ChainOf("decompress", tr)
	out, err := chain.Apply(context.Background(), object(`"v1"`, nil), bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(out); !bytes.Equal(got, data) {
		t.Fatal("the full read is wrong")
	}
	out.Close()
	if len(store.objs) != 1 {
		t.Fatalf("the store holds %d objects after a full read, want the index", len(store.objs))
	}
	for k := range store.objs {
		if !strings.HasPrefix(k, "idx/logs/a.log.gz.") {
			t.Fatalf("index kept at %q, not under the prefix", k)
		}
	}

	// A cold instance: the range comes through the stored index.
	indexes = newIndexCache(DefaultIndexCacheBytes)
	if idx := tr.stored(context.Background(), object(`"v1"`, &countingSource{Reader: bytes.NewReader(gz)}), mustID(t, object(`"v1"`, nil))); idx == nil {
		t.Fatal("the stored index is not found")
	}
	src := &countingSource{Reader: bytes.NewReader(gz)}
	r, ok, err := tr.ApplyAt(context.Background(), object(`"v1"`, src), int64(len(data))-1000, 1000)
	if err != nil || !ok {
		t.Fatalf("ApplyAt: %v %v", ok, err)
	}
	if got, _ := io.ReadAll(r); !bytes.Equal(got, data[len(data)-1000:]) {
		t.Fatal("the range is wrong")
	}
	if n := src.n.Load(); n > int64(len(gz))/2 {
		t.Errorf("a cold instance read %d of %d compressed bytes: it rebuilt the index instead of reading the stored one", n, len(gz))
	}

	// Another ETag: nothing stored for it; it builds and stores its own.
	indexes = newIndexCache(DefaultIndexCacheBytes)
	if _, ok, err := tr.ApplyAt(context.Background(), object(`"v2"`, &countingSource{Reader: bytes.NewReader(gz)}), 0, 10); err != nil || !ok {
		t.Fatalf("ApplyAt for v2: %v %v", ok, err)
	}
	if len(store.objs) != 2 {
		t.Errorf("the store holds %d objects, want one index per ETag", len(store.objs))
	}

	// A damaged stored index is not trusted: the range is still right.
	for k, v := range store.objs {
		v[len(v)/2] ^= 0xff
		store.objs[k] = v
	}
	indexes = newIndexCache(DefaultIndexCacheBytes)
	r, ok, err = tr.ApplyAt(context.Background(), object(`"v1"`, &countingSource{Reader: bytes.NewReader(gz)}), 5000, 100)
	if err != nil || !ok {
		t.Fatalf("ApplyAt over a damaged index: %v %v", ok, err)
	}
	if got, _ := io.ReadAll(r); !bytes.Equal(got, data[5000:5100]) {
		t.Fatal("the range over a damaged stored index is wrong")
	}
}

func mustID(t *testing.T, o *transforms.Object) seek.ID {
	id, ok := objectID(o, o.Size)
	if !ok {
		t.Fatal("no id")
	}
	return id
}
