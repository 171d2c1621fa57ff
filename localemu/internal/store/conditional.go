package store

// DeleteIf is Delete made conditional on the key's current version, as
// S3's conditional deletes are: cond sees the current version (nil when
// there is none or it is a delete marker) under the same lock as the
// delete, so a write racing the delete cannot slip between the check and
// the removal.
func (s *Store) DeleteIf(bucket, key, versionID string, cond, check Precondition) (DeleteResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, err := s.bucket(bucket)
	if err != nil {
		return DeleteResult{}, err
	}
	var cur *Object
	if versions := b.keys[key]; len(versions) > 0 && !versions[0].DeleteMarker {
		cur = versions[0]
	}
	if err := cond(cur); err != nil {
		return DeleteResult{}, err
	}
	return s.deleteLocked(bucket, key, versionID, check)
}
