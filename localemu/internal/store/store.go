// Package store keeps the emulator's buckets, object versions and multipart
// uploads. The S3 rules about them (versioning, delete markers, what a
// missing bucket or key answers) live here once; where bytes and records
// are kept is a backend's job: Disk for the default durable store, Memory
// for tests and --memory.
//
// Object keys never become file names: a record is named by a hash of its
// identity and a blob by a random id, so no key ("../", "//", 1024 bytes of
// unicode) can reach outside the data folder. Object data is always
// streamed: staged to a blob while it arrives, read back through
// io.ReaderAt.
package store

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/olkit/olkit/s3err"
)

// Versioning states of a bucket.
const (
	VersioningNever     = ""
	VersioningEnabled   = "Enabled"
	VersioningSuspended = "Suspended"
)

// NullVersion is the version id of objects written while versioning was
// never enabled or suspended.
const NullVersion = "null"

// Bucket is a bucket's own state.
type Bucket struct {
	Name       string
	Created    time.Time
	Owner      string // access key of the credentials that created it
	Versioning string
	ObjectLock *LockConfig `json:",omitempty"`
	// ACL is the bucket's access control list beyond its owner's full
	// control: canned ACLs are expanded to grants when set.
	ACL []Grant `json:",omitempty"`
	// Policy is the bucket policy document as the owner sent it.
	Policy string `json:",omitempty"`
	// CORS is the bucket's CORSConfiguration document.
	CORS string `json:",omitempty"`
	// Tags is the bucket's tag set, in the order given.
	Tags []Tag `json:",omitempty"`
}

// Grant gives one grantee one permission (READ, WRITE, READ_ACP,
// WRITE_ACP or FULL_CONTROL). A grantee is a canonical user (ID) or a
// group (URI, e.g. AllUsers).
type Grant struct {
	ID         string `json:",omitempty"`
	URI        string `json:",omitempty"`
	Permission string
}

// LockConfig is a bucket's object lock configuration.
type LockConfig struct {
	Mode string `json:",omitempty"` // default retention mode, GOVERNANCE or COMPLIANCE
	Days int    `json:",omitempty"`
	Year int    `json:",omitempty"`
}

// Tag is one object tag; order is kept as given.
type Tag struct{ Key, Value string }

// Object is one version of an object (or a delete marker).
type Object struct {
	Bucket, Key  string
	VersionID    string
	Seq          int64 // store-wide write order; newer is larger
	DeleteMarker bool  `json:",omitempty"`
	Size         int64
	ETag         string // quoted, as S3 sends it
	LastModified time.Time
	Owner        string
	// Header holds the stored representation headers (Content-Type,
	// Content-Encoding, Cache-Control, Content-Disposition,
	// Content-Language, Expires), canonical names.
	Header map[string]string `json:",omitempty"`
	// Meta holds x-amz-meta-* values, keys lower case without the prefix.
	Meta map[string]string `json:",omitempty"`
	// Checksums maps an algorithm (CRC32, CRC32C, CRC64NVME, SHA1, SHA256)
	// to its base64 value.
	Checksums    map[string]string `json:",omitempty"`
	ChecksumType string            `json:",omitempty"` // FULL_OBJECT or COMPOSITE
	StorageClass string            `json:",omitempty"`
	ACL          string            `json:",omitempty"`
	// Grants is the object's ACL beyond its owner's full control, when set
	// with grants rather than a canned ACL (ACL then names none).
	Grants    []Grant `json:",omitempty"`
	Tags      []Tag   `json:",omitempty"`
	PartSizes []int64 `json:",omitempty"` // set for multipart objects
	// PartChecksums are the parts' checksums in the object's algorithm,
	// for GetObject?partNumber=N with checksum mode (multipart objects).
	PartChecksums []string  `json:",omitempty"`
	LockMode      string    `json:",omitempty"`
	LockUntil     time.Time `json:",omitzero"`
	LegalHold     bool      `json:",omitempty"`
	Blob          string    `json:",omitempty"`
}

// Content is an object's bytes, read at any offset; close it when done.
type Content interface {
	io.ReaderAt
	io.Closer
}

// Store is the emulator's state over a backend.
type Store struct {
	b backend

	mu      sync.Mutex
	seq     int64
	buckets map[string]*bucketState
	uploads map[string]*Upload
	pins    pins
}

type bucketState struct {
	Bucket
	keys map[string][]*Object // newest version first
}

func newStore(b backend) *Store {
	return &Store{b: b, buckets: map[string]*bucketState{}, uploads: map[string]*Upload{}}
}

// Errors the store answers with, as S3 names them.
func errNoSuchBucket(name string) error {
	return s3err.New(http.StatusNotFound, "NoSuchBucket", "The specified bucket does not exist")
}

func errNoSuchKey(key string) error {
	return s3err.New(http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
}

func errNoSuchVersion() error {
	return s3err.New(http.StatusNotFound, "NoSuchVersion", "The specified version does not exist.")
}

// recordID names a record after what it stores, never after raw user input.
func recordID(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(h[:])
}

func newID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func (s *Store) nextSeq() int64 {
	s.seq++
	return s.seq
}

func (s *Store) bucket(name string) (*bucketState, error) {
	b, ok := s.buckets[name]
	if !ok {
		return nil, errNoSuchBucket(name)
	}
	return b, nil
}

// CreateBucket creates a bucket owned by owner.
func (s *Store) CreateBucket(b Bucket) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cur, ok := s.buckets[b.Name]; ok {
		if cur.Owner == b.Owner {
			return s3err.New(http.StatusConflict, "BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.")
		}
		return s3err.New(http.StatusConflict, "BucketAlreadyExists", "The requested bucket name is not available.")
	}
	if b.Created.IsZero() {
		b.Created = time.Now().UTC()
	}
	if err := s.b.putRecord(kindBucket, recordID(b.Name), b); err != nil {
		return err
	}
	s.buckets[b.Name] = &bucketState{Bucket: b, keys: map[string][]*Object{}}
	return nil
}

// UpdateBucket changes a bucket's settings through fn.
func (s *Store) UpdateBucket(name string, fn func(*Bucket) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, err := s.bucket(name)
	if err != nil {
		return err
	}
	nb := b.Bucket
	if err := fn(&nb); err != nil {
		return err
	}
	if err := s.b.putRecord(kindBucket, recordID(name), nb); err != nil {
		return err
	}
	b.Bucket = nb
	return nil
}

// DeleteBucket removes an empty bucket (no version and no delete marker
// left); uploads in progress are aborted with it.
func (s *Store) DeleteBucket(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, err := s.bucket(name)
	if err != nil {
		return err
	}
	if len(b.keys) > 0 {
		return s3err.New(http.StatusConflict, "BucketNotEmpty", "The bucket you tried to delete is not empty")
	}
	for id, u := range s.uploads {
		if u.Bucket == name {
			s.dropUploadLocked(id)
		}
	}
	if err := s.b.deleteRecord(kindBucket, recordID(name)); err != nil {
		return err
	}
	delete(s.buckets, name)
	return nil
}

// GetBucket returns a bucket's state.
func (s *Store) GetBucket(name string) (Bucket, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, err := s.bucket(name)
	if err != nil {
		return Bucket{}, err
	}
	return b.Bucket, nil
}

// ListBuckets returns every bucket, sorted by name.
func (s *Store) ListBuckets() []Bucket {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Bucket, 0, len(s.buckets))
	for _, b := range s.buckets {
		out = append(out, b.Bucket)
	}
	slices.SortFunc(out, func(a, b Bucket) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// Stage starts a blob that a Put or part upload will commit; write the
// data to it, then hand it over, or Abort it.
func (s *Store) Stage() (*Staging, error) {
	w, err := s.b.newBlob()
	if err != nil {
		return nil, err
	}
	return &Staging{w: w}, nil
}

// Staging is object data being received.
type Staging struct {
	w    blobWriter
	n    int64
	done bool
}

func (st *Staging) Write(p []byte) (int, error) {
	n, err := st.w.Write(p)
	st.n += int64(n)
	return n, err
}

// Size is the number of bytes written so far.
func (st *Staging) Size() int64 { return st.n }

// Abort discards the staged data; it is a no-op once committed or aborted.
func (st *Staging) Abort() {
	if !st.done {
		st.done = true
		st.w.abort()
	}
}

func (st *Staging) commit() (string, error) {
	st.done = true
	return st.w.commit()
}

// Open returns the content of an object that Get returned, for reading:
// the bytes of that version even if it was overwritten or deleted since.
func (s *Store) Open(o *Object) (Content, error) {
	if o.Blob == "" {
		return emptyContent{}, nil
	}
	pin := s.takePin(o)
	defer s.unpin(pin)
	c, err := s.b.openBlob(o.Blob)
	if errors.Is(err, errBlobGone) {
		// Only an Object that Get did not return (or opened twice) gets
		// here: its version is gone, as after a DELETE.
		return nil, errNoSuchKey(o.Key)
	}
	return c, err
}

type emptyContent struct{}

func (emptyContent) ReadAt(p []byte, off int64) (int, error) { return 0, io.EOF }
func (emptyContent) Close() error                            { return nil }
