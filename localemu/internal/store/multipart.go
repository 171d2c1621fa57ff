package store

import (
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/olkit/olkit/s3err"
)

// Upload is a multipart upload in progress.
type Upload struct {
	ID          string
	Bucket, Key string
	Initiated   time.Time
	Owner       string
	// Object is the template of the object Complete will create: headers,
	// metadata, tags, ACL, lock settings, checksum algorithm.
	Object            Object
	ChecksumAlgorithm string `json:",omitempty"`
	// ChecksumType is COMPOSITE (a checksum of the parts' checksums) or
	// FULL_OBJECT (a CRC of the whole object).
	ChecksumType string `json:",omitempty"`

	parts map[int]*Part
}

// Part is one uploaded part.
type Part struct {
	UploadID     string
	Number       int
	Size         int64
	ETag         string
	LastModified time.Time
	Checksums    map[string]string `json:",omitempty"`
	Blob         string
}

func errNoSuchUpload() error {
	return s3err.New(http.StatusNotFound, "NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.")
}

func partRecordID(uploadID string, n int) string { return recordID(uploadID, strconv.Itoa(n)) }

// CreateUpload starts a multipart upload and returns it with its id.
func (s *Store) CreateUpload(u Upload) (*Upload, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.bucket(u.Bucket); err != nil {
		return nil, err
	}
	u.ID = newID()
	u.Initiated = time.Now().UTC().Truncate(time.Second)
	if err := s.b.putRecord(kindUpload, recordID(u.ID), u); err != nil {
		return nil, err
	}
	u.parts = map[int]*Part{}
	s.uploads[u.ID] = &u
	cp := u
	cp.parts = nil
	return &cp, nil
}

func (s *Store) upload(bucket, key, id string) (*Upload, error) {
	if _, err := s.bucket(bucket); err != nil {
		return nil, err
	}
	u, ok := s.uploads[id]
	if !ok || u.Bucket != bucket || u.Key != key {
		return nil, errNoSuchUpload()
	}
	return u, nil
}

// GetUpload returns an upload and its parts in part number order.
func (s *Store) GetUpload(bucket, key, id string) (*Upload, []Part, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.upload(bucket, key, id)
	if err != nil {
		return nil, nil, err
	}
	parts := make([]Part, 0, len(u.parts))
	for _, p := range u.parts {
		parts = append(parts, *p)
	}
	slices.SortFunc(parts, func(a, b Part) int { return a.Number - b.Number })
	cp := *u
	cp.parts = nil
	return &cp, parts, nil
}

// PutPart commits data as part p.Number of an upload, replacing any part
// uploaded before under that number.
func (s *Store) PutPart(bucket, key string, p Part, data *Staging) (*Part, error) {
	defer data.Abort()
	if _, _, err := s.GetUpload(bucket, key, p.UploadID); err != nil {
		return nil, err
	}
	blob, err := data.commit()
	if err != nil {
		return nil, err
	}
	p.Blob, p.Size = blob, data.Size()
	p.LastModified = time.Now().UTC().Truncate(time.Second)
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.upload(bucket, key, p.UploadID)
	if err == nil {
		err = s.b.putRecord(kindPart, partRecordID(p.UploadID, p.Number), p)
	}
	if err != nil {
		s.dropBlob(blob)
		return nil, err
	}
	if old := u.parts[p.Number]; old != nil {
		s.dropBlob(old.Blob)
	}
	u.parts[p.Number] = &p
	cp := p
	return &cp, nil
}

// ListUploads returns a bucket's uploads in progress, by key then by
// initiation time.
func (s *Store) ListUploads(bucket string) ([]Upload, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.bucket(bucket); err != nil {
		return nil, err
	}
	var out []Upload
	for _, u := range s.uploads {
		if u.Bucket == bucket {
			cp := *u
			cp.parts = nil
			out = append(out, cp)
		}
	}
	slices.SortFunc(out, func(a, b Upload) int {
		if c := strings.Compare(a.Key, b.Key); c != 0 {
			return c
		}
		if c := a.Initiated.Compare(b.Initiated); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// AbortUpload discards an upload and its parts.
func (s *Store) AbortUpload(bucket, key, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.upload(bucket, key, id); err != nil {
		return err
	}
	s.dropUploadLocked(id)
	return nil
}

func (s *Store) dropUploadLocked(id string) {
	u := s.uploads[id]
	for n, p := range u.parts {
		s.b.deleteRecord(kindPart, partRecordID(id, n))
		s.dropBlob(p.Blob)
	}
	s.b.deleteRecord(kindUpload, recordID(id))
	delete(s.uploads, id)
}

// CompleteUpload joins the given parts, in the order given, into a new
// version of the upload's key described by o, then forgets the upload.
func (s *Store) CompleteUpload(bucket, key, id string, numbers []int, o Object, check Precondition) (*Object, error) {
	_, parts, err := s.GetUpload(bucket, key, id)
	if err != nil {
		return nil, err
	}
	// Hold the parts' data while copying it: an Abort, a second Complete
	// or a part uploaded again meanwhile must not pull it away.
	unpin, err := s.pinParts(bucket, key, id, parts)
	if err != nil {
		return nil, err
	}
	defer unpin()
	byNum := map[int]Part{}
	for _, p := range parts {
		byNum[p.Number] = p
	}
	data, err := s.Stage()
	if err != nil {
		return nil, err
	}
	defer data.Abort()
	for _, n := range numbers {
		p, ok := byNum[n]
		if !ok {
			return nil, s3err.New(http.StatusBadRequest, "InvalidPart", "One or more of the specified parts could not be found.")
		}
		if err := s.copyBlob(data, p.Blob, p.Size); err != nil {
			return nil, err
		}
		o.PartSizes = append(o.PartSizes, p.Size)
	}
	stored, err := s.Put(o, data, check)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if _, ok := s.uploads[id]; ok {
		s.dropUploadLocked(id)
	}
	s.mu.Unlock()
	return stored, nil
}

// ReadParts writes the data of parts to w, in order: the object Complete
// will make, for a checksum of it before it exists.
func (s *Store) ReadParts(w io.Writer, parts []Part) error {
	for _, p := range parts {
		if err := s.copyBlob(w, p.Blob, p.Size); err != nil {
			return err
		}
	}
	return nil
}

// pinParts pins the data of parts, if they are still the upload's.
func (s *Store) pinParts(bucket, key, id string, parts []Part) (func(), error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.upload(bucket, key, id)
	if err != nil {
		return nil, err
	}
	var blobs []string
	for _, p := range parts {
		if cur := u.parts[p.Number]; cur != nil && cur.Blob == p.Blob && p.Blob != "" {
			s.pinBlob(p.Blob)
			blobs = append(blobs, p.Blob)
		}
	}
	return func() {
		for _, b := range blobs {
			s.unpinBlob(b)
		}
	}, nil
}

func (s *Store) copyBlob(w io.Writer, blob string, size int64) error {
	c, err := s.b.openBlob(blob)
	if errors.Is(err, errBlobGone) {
		// A part replaced, or its upload completed or aborted, meanwhile.
		return errNoSuchUpload()
	}
	if err != nil {
		return err
	}
	defer c.Close()
	_, err = io.Copy(w, io.NewSectionReader(c, 0, size))
	return err
}
