package s3api

import (
	"net/http"
	"strings"

	"github.com/olkit/olkit/conditions"
	"github.com/olkit/olkit/localemu/internal/store"
	"github.com/olkit/olkit/s3err"
)

// Conditional deletes, as S3 documents them for general purpose buckets
// ("How to perform conditional deletes"): If-Match with an ETag or "*" is
// evaluated against the key's current version; a mismatch is 412
// PreconditionFailed, no current version 404 NoSuchKey. The size and
// last-modified-time conditions exist only for directory buckets, which
// the emulator does not have: they answer 501 rather than being ignored.

// deleteCondition is the condition a DeleteObject request (headers) or a
// DeleteObjects entry (etag, lastModified, size) puts on the delete; nil
// when there is none.
func deleteCondition(etag string, hasTime, hasSize bool) (store.Precondition, error) {
	if hasTime || hasSize {
		return nil, s3err.New(http.StatusNotImplemented, "NotImplemented",
			"localemu does not implement the last-modified-time and size delete conditions (S3 supports them on directory buckets only)")
	}
	if etag == "" {
		return nil, nil
	}
	return func(cur *store.Object) error {
		if cur == nil {
			return s3err.New(http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
		}
		if !conditions.ETagMatches(etag, cur.ETag) {
			return preconditionFailed("If-Match")
		}
		return nil
	}, nil
}

// requestDeleteCondition reads DeleteObject's conditional headers.
func (c *call) requestDeleteCondition() (store.Precondition, error) {
	h := c.r.Header
	return deleteCondition(strings.TrimSpace(h.Get("If-Match")),
		h.Get("X-Amz-If-Match-Last-Modified-Time") != "", h.Get("X-Amz-If-Match-Size") != "")
}

// deleteWith runs a delete, conditional when cond is set.
func (c *call) deleteWith(key, versionID string, cond, check store.Precondition) (store.DeleteResult, error) {
	if cond == nil {
		return c.h.cfg.Store.Delete(c.route.Bucket, key, versionID, check)
	}
	return c.h.cfg.Store.DeleteIf(c.route.Bucket, key, versionID, cond, check)
}
