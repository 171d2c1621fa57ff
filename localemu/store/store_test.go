package store

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/s3err"
)

func backends(t *testing.T) map[string]*Store {
	d, err := OpenDisk(t.TempDir())
	require.NoError(t, err)
	return map[string]*Store{"disk": d, "memory": NewMemory()}
}

func put(t *testing.T, s *Store, bucket, key, data string) *Object {
	t.Helper()
	st, err := s.Stage()
	require.NoError(t, err)
	_, err = io.WriteString(st, data)
	require.NoError(t, err)
	o, err := s.Put(Object{Bucket: bucket, Key: key, ETag: `"x"`}, st, nil)
	require.NoError(t, err)
	return o
}

func read(t *testing.T, s *Store, o *Object) string {
	t.Helper()
	c, err := s.Open(o)
	require.NoError(t, err)
	defer c.Close()
	b, err := io.ReadAll(io.NewSectionReader(c, 0, o.Size))
	require.NoError(t, err)
	return string(b)
}

func code(err error) string { return s3err.From(err).Code }

func TestBuckets(t *testing.T) {
	for name, s := range backends(t) {
		t.Run(name, func(t *testing.T) {
			require.NoError(t, s.CreateBucket(Bucket{Name: "b", Owner: "a"}))
			assert.Equal(t, "BucketAlreadyOwnedByYou", code(s.CreateBucket(Bucket{Name: "b", Owner: "a"})))
			assert.Equal(t, "BucketAlreadyExists", code(s.CreateBucket(Bucket{Name: "b", Owner: "z"})))
			put(t, s, "b", "k", "v")
			assert.Equal(t, "BucketNotEmpty", code(s.DeleteBucket("b")))
			_, err := s.Delete("b", "k", "", nil)
			require.NoError(t, err)
			require.NoError(t, s.DeleteBucket("b"))
			assert.Equal(t, "NoSuchBucket", code(s.DeleteBucket("b")))
			assert.Empty(t, s.ListBuckets())
		})
	}
}

func TestVersions(t *testing.T) {
	for name, s := range backends(t) {
		t.Run(name, func(t *testing.T) {
			require.NoError(t, s.CreateBucket(Bucket{Name: "b", Versioning: VersioningEnabled}))
			v1 := put(t, s, "b", "k", "one")
			v2 := put(t, s, "b", "k", "two")
			assert.NotEqual(t, v1.VersionID, v2.VersionID)
			res, err := s.Delete("b", "k", "", nil)
			require.NoError(t, err)
			assert.True(t, res.DeleteMarker)
			m, err := s.Get("b", "k", "")
			assert.Equal(t, "NoSuchKey", code(err))
			assert.True(t, m.DeleteMarker)
			o, err := s.Get("b", "k", v1.VersionID)
			require.NoError(t, err)
			assert.Equal(t, "one", read(t, s, o))
			var n int
			require.NoError(t, s.WalkVersions("b", "", "", func(*Object) bool { n++; return true }))
			assert.Equal(t, 3, n)
			_, err = s.Delete("b", "k", res.VersionID, nil)
			require.NoError(t, err)
			o, err = s.Get("b", "k", "")
			require.NoError(t, err)
			assert.Equal(t, "two", read(t, s, o))
		})
	}
}

// No key, however hostile, names a file: the data folder holds only
// hashed record names and random blob ids, and nothing appears outside it.
func TestKeysNeverEscape(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "data")
	s, err := OpenDisk(dir)
	require.NoError(t, err)
	require.NoError(t, s.CreateBucket(Bucket{Name: "b"}))
	keys := []string{"../../escape", "../x", "/abs", "a//b", "dir/", "é/ü/日本", strings.Repeat("../", 300), "..", ".", "nul\x00byte"}
	for _, k := range keys {
		put(t, s, "b", k, k)
	}
	entries, err := os.ReadDir(parent)
	require.NoError(t, err)
	require.Len(t, entries, 1, "only the data folder is in its parent")
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		assert.NotContains(t, p, "..")
		assert.NotContains(t, p, "escape")
		return nil
	})
	s2, err := OpenDisk(dir)
	require.NoError(t, err)
	for _, k := range keys {
		o, err := s2.Get("b", k, "")
		require.NoError(t, err, "%q", k)
		assert.Equal(t, k, read(t, s2, o))
	}
}

func TestRestartAndOrphans(t *testing.T) {
	dir := t.TempDir()
	s, err := OpenDisk(dir)
	require.NoError(t, err)
	require.NoError(t, s.CreateBucket(Bucket{Name: "b"}))
	put(t, s, "b", "k", "first")
	put(t, s, "b", "k", "second")
	u, err := s.CreateUpload(Upload{Bucket: "b", Key: "m"})
	require.NoError(t, err)
	st, _ := s.Stage()
	io.WriteString(st, "part")
	_, err = s.PutPart("b", "m", Part{UploadID: u.ID, Number: 1, ETag: `"p"`}, st)
	require.NoError(t, err)
	// A blob whose record never got written (a crash in between).
	orphan, _ := s.Stage()
	io.WriteString(orphan, "lost")
	_, err = orphan.commit()
	require.NoError(t, err)
	os.WriteFile(filepath.Join(dir, "tmp", "half-written"), []byte("x"), 0o644)

	s2, err := OpenDisk(dir)
	require.NoError(t, err)
	o, err := s2.Get("b", "k", "")
	require.NoError(t, err)
	assert.Equal(t, "second", read(t, s2, o))
	_, parts, err := s2.GetUpload("b", "m", u.ID)
	require.NoError(t, err)
	require.Len(t, parts, 1)
	blobs, _ := os.ReadDir(filepath.Join(dir, "blobs"))
	assert.Len(t, blobs, 2, "one object, one part; the orphan is gone")
	tmp, _ := os.ReadDir(filepath.Join(dir, "tmp"))
	assert.Empty(t, tmp)
}

func TestMultipart(t *testing.T) {
	for name, s := range backends(t) {
		t.Run(name, func(t *testing.T) {
			require.NoError(t, s.CreateBucket(Bucket{Name: "b"}))
			u, err := s.CreateUpload(Upload{Bucket: "b", Key: "m"})
			require.NoError(t, err)
			for i, data := range []string{"aa", "bbb", "c"} {
				st, _ := s.Stage()
				io.WriteString(st, data)
				_, err := s.PutPart("b", "m", Part{UploadID: u.ID, Number: i + 1}, st)
				require.NoError(t, err)
			}
			ups, err := s.ListUploads("b")
			require.NoError(t, err)
			require.Len(t, ups, 1)
			o, err := s.CompleteUpload("b", "m", u.ID, []int{1, 3}, Object{Bucket: "b", Key: "m"}, nil)
			require.NoError(t, err)
			assert.Equal(t, "aac", read(t, s, o))
			assert.Equal(t, []int64{2, 1}, o.PartSizes)
			assert.Equal(t, "NoSuchUpload", code(s.AbortUpload("b", "m", u.ID)))
		})
	}
}
