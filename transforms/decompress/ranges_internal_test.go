package decompress

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"strings"
	"testing"

	"github.com/olkit/olkit/transforms/decompress/seek"
)

// TestIndexCacheIsBounded fills the cache past its bound: it never holds
// more index bytes than the bound, drops the least recently used first,
// and keeps nothing larger than itself.
func TestIndexCacheIsBounded(t *testing.T) {
	build := func(i int) (seek.ID, *seek.Index) {
		var b bytes.Buffer
		w := gzip.NewWriter(&b)
		w.Write([]byte(strings.Repeat(fmt.Sprintf("line %d of object %d\n", i, i), 4000)))
		w.Close()
		id := seek.ID{Size: int64(b.Len()), ETag: fmt.Sprint(i)}
		idx, err := seek.Build(bytes.NewReader(b.Bytes()), id, seek.Gzip, seek.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return id, idx
	}
	id0, idx0 := build(0)
	per := idx0.Bytes()
	c := newIndexCache(3 * per)
	c.put("k0", id0, idx0)
	ids := []seek.ID{id0}
	for i := 1; i < 6; i++ {
		id, idx := build(i)
		ids = append(ids, id)
		c.put(fmt.Sprintf("k%d", i), id, idx)
		if i == 3 {
			c.cached("k1", ids[1]) // k1 is used again: k2 goes before it
		}
		if c.used > c.max {
			t.Fatalf("after %d puts the cache holds %d bytes, over its bound %d", i+1, c.used, c.max)
		}
	}
	for i, want := range []bool{false, true, false, false, true, true} {
		if got := c.cached(fmt.Sprintf("k%d", i), ids[i]) != nil; got != want {
			t.Errorf("k%d cached = %v, want %v", i, got, want)
		}
	}
	if c.cached("k5", seek.ID{Size: ids[5].Size, ETag: "another"}) != nil {
		t.Error("an index is found for another ETag")
	}
	small := newIndexCache(per - 1)
	small.put("big", id0, idx0)
	if small.used != 0 {
		t.Error("an index larger than the whole bound is kept")
	}
}
