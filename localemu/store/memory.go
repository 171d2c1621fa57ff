package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sync"
)

// NewMemory returns a store that keeps everything in memory: for tests and
// throwaway runs (objects then do sit in memory, by choice).
func NewMemory() *Store {
	return newStore(&memory{blobs: map[string][]byte{}, recs: map[string]map[string][]byte{}})
}

type memory struct {
	mu    sync.Mutex
	blobs map[string][]byte
	recs  map[string]map[string][]byte
}

type memBlob struct {
	m   *memory
	buf bytes.Buffer
}

func (m *memory) newBlob() (blobWriter, error) { return &memBlob{m: m}, nil }

func (b *memBlob) Write(p []byte) (int, error) { return b.buf.Write(p) }
func (b *memBlob) abort()                      { b.buf = bytes.Buffer{} }

func (b *memBlob) commit() (string, error) {
	id := newID()
	b.m.mu.Lock()
	b.m.blobs[id] = b.buf.Bytes()
	b.m.mu.Unlock()
	return id, nil
}

func (m *memory) openBlob(id string) (Content, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	data, ok := m.blobs[id]
	if !ok {
		return nil, fmt.Errorf("object data %s is missing", id)
	}
	return nopCloser{bytes.NewReader(data)}, nil
}

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }

func (m *memory) removeBlob(id string) {
	m.mu.Lock()
	delete(m.blobs, id)
	m.mu.Unlock()
}

func (m *memory) putRecord(kind, id string, v any) error {
	data, err := json.Marshal(v)
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
