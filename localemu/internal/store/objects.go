package store

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/olkit/olkit/s3err"
)

// Precondition is checked under the store's lock against the current
// version of the key (nil when there is none or it is a delete marker), so
// that conditional writes and object lock see no race.
type Precondition func(current *Object) error

// Put commits data as a new version of o.Key in o.Bucket and returns the
// stored object. With versioning enabled it gets a fresh version id and
// older versions stay; otherwise it replaces the "null" version. data is
// consumed whatever happens.
func (s *Store) Put(o Object, data *Staging, check Precondition) (*Object, error) {
	defer data.Abort()
	if _, err := s.GetBucket(o.Bucket); err != nil {
		return nil, err
	}
	blob, err := data.commit()
	if err != nil {
		return nil, err
	}
	o.Size = data.Size()
	o.Blob = blob
	stored, err := s.putVersion(o, check)
	if err != nil {
		s.dropBlob(blob)
		return nil, err
	}
	return stored, nil
}

// putVersion records o as the newest version of its key.
func (s *Store) putVersion(o Object, check Precondition) (*Object, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, err := s.bucket(o.Bucket)
	if err != nil {
		return nil, err
	}
	if check != nil {
		if err := check(liveVersion(b.keys[o.Key])); err != nil {
			return nil, err
		}
	}
	o.Seq = s.nextSeq()
	if o.LastModified.IsZero() {
		o.LastModified = time.Now().UTC()
	}
	o.LastModified = o.LastModified.Truncate(time.Second)
	o.VersionID = NullVersion
	if b.Versioning == VersioningEnabled {
		o.VersionID = newVersionID()
	}
	if err := s.b.putRecord(kindObject, objectRecordID(&o), o); err != nil {
		return nil, err
	}
	versions := b.keys[o.Key]
	var replaced *Object
	if o.VersionID == NullVersion {
		versions, replaced = removeVersion(versions, NullVersion)
	}
	b.keys[o.Key] = append([]*Object{&o}, versions...)
	if replaced != nil {
		s.dropBlob(replaced.Blob)
	}
	cp := o
	return &cp, nil
}

func objectRecordID(o *Object) string { return recordID(o.Bucket, o.Key, o.VersionID) }

// newVersionID looks like S3's: opaque, URL safe, 32 characters.
func newVersionID() string { return newID() }

func liveVersion(versions []*Object) *Object {
	if len(versions) == 0 || versions[0].DeleteMarker {
		return nil
	}
	return versions[0]
}

func removeVersion(versions []*Object, id string) ([]*Object, *Object) {
	for i, v := range versions {
		if v.VersionID == id {
			return slices.Delete(slices.Clone(versions), i, i+1), v
		}
	}
	return versions, nil
}

// Get returns a version of a key: the current one when versionID is "".
// A current delete marker answers NoSuchKey and a delete marker asked for
// by id MethodNotAllowed; both also return the marker, whose headers S3
// sends with the error.
func (s *Store) Get(bucket, key, versionID string) (*Object, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, err := s.bucket(bucket)
	if err != nil {
		return nil, err
	}
	versions := b.keys[key]
	if versionID == "" {
		if len(versions) == 0 {
			return nil, errNoSuchKey(key)
		}
		o := *versions[0]
		if o.DeleteMarker {
			return &o, errNoSuchKey(key)
		}
		s.pin(&o)
		return &o, nil
	}
	for _, v := range versions {
		if v.VersionID == versionID {
			o := *v
			if o.DeleteMarker {
				return &o, s3err.New(http.StatusMethodNotAllowed, "MethodNotAllowed", "The specified method is not allowed against this resource.")
			}
			s.pin(&o)
			return &o, nil
		}
	}
	if versionID != NullVersion && len(versionID) != 32 {
		return nil, s3err.New(http.StatusBadRequest, "InvalidArgument", "Invalid version id specified")
	}
	return nil, errNoSuchVersion()
}

// Update changes a stored version's metadata (tags, ACL, lock) through fn.
func (s *Store) Update(bucket, key, versionID string, fn func(*Object) error) (*Object, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, err := s.bucket(bucket)
	if err != nil {
		return nil, err
	}
	versions := b.keys[key]
	for i, v := range versions {
		if (versionID == "" && i == 0) || v.VersionID == versionID {
			if v.DeleteMarker {
				return nil, s3err.New(http.StatusMethodNotAllowed, "MethodNotAllowed", "The specified method is not allowed against this resource.")
			}
			o := *v
			if err := fn(&o); err != nil {
				return nil, err
			}
			if err := s.b.putRecord(kindObject, objectRecordID(&o), o); err != nil {
				return nil, err
			}
			versions[i] = &o
			cp := o
			return &cp, nil
		}
	}
	if versionID == "" {
		return nil, errNoSuchKey(key)
	}
	return nil, errNoSuchVersion()
}

// DeleteResult says what a Delete did.
type DeleteResult struct {
	VersionID    string // the version removed, or the delete marker created
	DeleteMarker bool   // the removed version, or the one created, is a delete marker
}

// Delete removes a key the way S3 does: with no versionID, an unversioned
// bucket loses the object, a versioned one gains a delete marker; with a
// versionID that version is gone for good. check sees the version about to
// be removed (nil when none is) and may refuse.
func (s *Store) Delete(bucket, key, versionID string, check Precondition) (DeleteResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.deleteLocked(bucket, key, versionID, check)
}

// deleteLocked is Delete with s.mu held.
func (s *Store) deleteLocked(bucket, key, versionID string, check Precondition) (DeleteResult, error) {
	b, err := s.bucket(bucket)
	if err != nil {
		return DeleteResult{}, err
	}
	versions := b.keys[key]
	if versionID == "" && b.Versioning == VersioningEnabled {
		return s.addDeleteMarker(b, key, newVersionID())
	}
	target := versionID
	if target == "" {
		target = NullVersion
	}
	var victim *Object
	for _, v := range versions {
		if v.VersionID == target {
			victim = v
		}
	}
	if check != nil && victim != nil && !victim.DeleteMarker {
		if err := check(victim); err != nil {
			return DeleteResult{}, err
		}
	}
	if victim != nil {
		if err := s.b.deleteRecord(kindObject, objectRecordID(victim)); err != nil {
			return DeleteResult{}, err
		}
		versions, _ = removeVersion(versions, target)
		s.setVersions(b, key, versions)
		s.dropBlob(victim.Blob)
	}
	if versionID == "" && b.Versioning == VersioningSuspended {
		return s.addDeleteMarker(b, key, NullVersion)
	}
	res := DeleteResult{}
	if versionID != "" {
		res.VersionID = versionID
		res.DeleteMarker = victim != nil && victim.DeleteMarker
	}
	return res, nil
}

func (s *Store) setVersions(b *bucketState, key string, versions []*Object) {
	if len(versions) == 0 {
		delete(b.keys, key)
		return
	}
	b.keys[key] = versions
}

func (s *Store) addDeleteMarker(b *bucketState, key, versionID string) (DeleteResult, error) {
	m := &Object{Bucket: b.Name, Key: key, VersionID: versionID, Seq: s.nextSeq(), DeleteMarker: true, LastModified: time.Now().UTC().Truncate(time.Second), Owner: b.Owner}
	if err := s.b.putRecord(kindObject, objectRecordID(m), m); err != nil {
		return DeleteResult{}, err
	}
	b.keys[key] = append([]*Object{m}, b.keys[key]...)
	return DeleteResult{VersionID: versionID, DeleteMarker: true}, nil
}

// Walk calls fn, in key order, for the current version of every key that
// starts with prefix and sorts after after, skipping keys whose current
// version is a delete marker, until fn returns false.
func (s *Store) Walk(bucket, prefix, after string, fn func(o *Object) bool) error {
	return s.walk(bucket, prefix, after, func(versions []*Object) bool {
		if versions[0].DeleteMarker {
			return true
		}
		return fn(versions[0])
	})
}

// WalkVersions calls fn, in key order and newest first within a key, for
// every version and delete marker of keys starting with prefix and sorting
// after after, until fn returns false.
func (s *Store) WalkVersions(bucket, prefix, after string, fn func(o *Object) bool) error {
	return s.walk(bucket, prefix, after, func(versions []*Object) bool {
		for _, v := range versions {
			if !fn(v) {
				return false
			}
		}
		return true
	})
}

// walk snapshots the matching keys under the lock, then visits them
// without it, so a slow lister never blocks writers.
func (s *Store) walk(bucket, prefix, after string, fn func([]*Object) bool) error {
	s.mu.Lock()
	b, err := s.bucket(bucket)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	var keys []string
	for k := range b.keys {
		if strings.HasPrefix(k, prefix) && k > after {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	snap := make([][]*Object, len(keys))
	for i, k := range keys {
		snap[i] = slices.Clone(b.keys[k])
	}
	s.mu.Unlock()
	for _, versions := range snap {
		if !fn(versions) {
			return nil
		}
	}
	return nil
}
