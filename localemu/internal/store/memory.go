package store

import (
	"io"
	"sync"
)

// NewMemory returns a store that keeps everything in memory: for tests and
// throwaway runs (objects then do sit in memory, by choice).
func NewMemory() *Store {
	return newStore(&memory{blobs: map[string]chunks{}, recs: map[string]map[string][]byte{}})
}

type memory struct {
	mu    sync.Mutex
	blobs map[string]chunks
	recs  map[string]map[string][]byte
}

// chunks is a blob's data in pieces of memChunk bytes (the last one
// shorter), so a large object is copied once as it arrives rather than at
// every doubling of one buffer.
type chunks [][]byte

const memChunk = 1 << 20

func (c chunks) ReadAt(p []byte, off int64) (int, error) {
	n := 0
	for len(p) > 0 {
		i, at := off/memChunk, off%memChunk
		if off < 0 || i >= int64(len(c)) || at >= int64(len(c[i])) {
			return n, io.EOF
		}
		k := copy(p, c[i][at:])
		n, p, off = n+k, p[k:], off+int64(k)
	}
	return n, nil
}

func (chunks) Close() error { return nil }

type memBlob struct {
	m    *memory
	data chunks
}

func (m *memory) newBlob() (blobWriter, error) { return &memBlob{m: m}, nil }

func (b *memBlob) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		if len(b.data) == 0 {
			b.data = chunks{nil} // grows as needed: small objects stay small
		} else if len(b.data[len(b.data)-1]) == memChunk {
			b.data = append(b.data, make([]byte, 0, memChunk))
		}
		last := &b.data[len(b.data)-1]
		k := min(len(p), memChunk-len(*last))
		*last = append(*last, p[:k]...)
		p = p[k:]
	}
	return n, nil
}

func (b *memBlob) abort() { b.data = nil }

func (b *memBlob) commit() (string, error) {
	id := newID()
	b.m.mu.Lock()
	b.m.blobs[id] = b.data
	b.m.mu.Unlock()
	return id, nil
}

func (m *memory) openBlob(id string) (Content, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	data, ok := m.blobs[id]
	if !ok {
		return nil, errBlobGone
	}
	return data, nil
}

func (m *memory) removeBlob(id string) {
	m.mu.Lock()
	delete(m.blobs, id)
	m.mu.Unlock()
}

func (m *memory) putRecord(kind, id string, v any) error {
	data, err := marshalRecord(v)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.recs[kind] == nil {
		m.recs[kind] = map[string][]byte{}
	}
	m.recs[kind][id] = data
	return nil
}

func (m *memory) deleteRecord(kind, id string) error {
	m.mu.Lock()
	delete(m.recs[kind], id)
	m.mu.Unlock()
	return nil
}

func (m *memory) records(kind string, fn func([]byte) error) error {
	m.mu.Lock()
	var all [][]byte
	for _, d := range m.recs[kind] {
		all = append(all, d)
	}
	m.mu.Unlock()
	for _, d := range all {
		if err := fn(d); err != nil {
			return err
		}
	}
	return nil
}

func (m *memory) blobIDs() ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ids := make([]string, 0, len(m.blobs))
	for id := range m.blobs {
		ids = append(ids, id)
	}
	return ids, nil
}
