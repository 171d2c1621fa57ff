package store

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
)

// Record kinds.
const (
	kindBucket = "buckets"
	kindObject = "objects"
	kindUpload = "uploads"
	kindPart   = "parts"
)

// backend is where bytes and records live. putRecord must be durable
// when it returns; a blob is durable once commit returns.
type backend interface {
	newBlob() (blobWriter, error)
	openBlob(id string) (Content, error)
	removeBlob(id string)
	putRecord(kind, id string, v any) error
	deleteRecord(kind, id string) error
	// records calls fn with every record of a kind.
	records(kind string, fn func(data []byte) error) error
	// blobIDs lists every committed blob, to find orphans at start.
	blobIDs() ([]string, error)
}

type blobWriter interface {
	io.Writer
	commit() (id string, err error)
	abort()
}

// load rebuilds the index from the backend's records and removes blobs no
// record refers to (left by a crash between a blob and its record).
func load(b backend) (*Store, error) {
	s := newStore(b)
	live := map[string]bool{}
	err := b.records(kindBucket, func(data []byte) error {
		var bk Bucket
		if err := json.Unmarshal(data, &bk); err != nil {
			return err
		}
		s.buckets[bk.Name] = &bucketState{Bucket: bk, keys: map[string][]*Object{}}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("loading buckets: %w", err)
	}
	if err := s.loadObjects(live); err != nil {
		return nil, fmt.Errorf("loading objects: %w", err)
	}
	if err := s.loadUploads(live); err != nil {
		return nil, fmt.Errorf("loading uploads: %w", err)
	}
	ids, err := b.blobIDs()
	if err != nil {
		return nil, fmt.Errorf("listing blobs: %w", err)
	}
	for _, id := range ids {
		if !live[id] {
			b.removeBlob(id)
		}
	}
	return s, nil
}

func (s *Store) loadObjects(live map[string]bool) error {
	err := s.b.records(kindObject, func(data []byte) error {
		o := &Object{}
		if err := json.Unmarshal(data, o); err != nil {
			return err
		}
		bk, ok := s.buckets[o.Bucket]
		if !ok {
			return nil // its bucket's deletion won the race: ignore
		}
		bk.keys[o.Key] = append(bk.keys[o.Key], o)
		live[o.Blob] = true
		s.seq = max(s.seq, o.Seq)
		return nil
	})
	for _, bk := range s.buckets {
		for _, versions := range bk.keys {
			slices.SortFunc(versions, func(a, b *Object) int { return int(b.Seq - a.Seq) })
		}
	}
	return err
}

func (s *Store) loadUploads(live map[string]bool) error {
	err := s.b.records(kindUpload, func(data []byte) error {
		u := &Upload{}
		if err := json.Unmarshal(data, u); err != nil {
			return err
		}
		u.parts = map[int]*Part{}
		s.uploads[u.ID] = u
		return nil
	})
	if err != nil {
		return err
	}
	return s.b.records(kindPart, func(data []byte) error {
		p := &Part{}
		if err := json.Unmarshal(data, p); err != nil {
			return err
		}
		if u, ok := s.uploads[p.UploadID]; ok {
			u.parts[p.Number] = p
			live[p.Blob] = true
		}
		return nil
	})
}
