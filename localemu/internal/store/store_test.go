package store

import (
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
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
	big := strings.Repeat("B", inlineMax+1) // a blob file, not a journal entry
	put(t, s, "b", "k", "first")
	put(t, s, "b", "k", "second")
	put(t, s, "b", "big", big)
	put(t, s, "b", "big", big+"2")
	u, err := s.CreateUpload(Upload{Bucket: "b", Key: "m"})
	require.NoError(t, err)
	st, _ := s.Stage()
	io.WriteString(st, "part")
	_, err = s.PutPart("b", "m", Part{UploadID: u.ID, Number: 1, ETag: `"p"`}, st)
	require.NoError(t, err)
	// Blobs whose record never got written (a crash in between), one
	// small (in the journal) and one large (a file).
	for _, data := range []string{"lost", big} {
		orphan, _ := s.Stage()
		io.WriteString(orphan, data)
		_, err = orphan.commit()
		require.NoError(t, err)
	}
	os.WriteFile(filepath.Join(dir, "tmp", "half-written"), []byte("x"), 0o644)

	s2, err := OpenDisk(dir)
	require.NoError(t, err)
	o, err := s2.Get("b", "k", "")
	require.NoError(t, err)
	assert.Equal(t, "second", read(t, s2, o))
	o, err = s2.Get("b", "big", "")
	require.NoError(t, err)
	assert.Equal(t, big+"2", read(t, s2, o))
	_, parts, err := s2.GetUpload("b", "m", u.ID)
	require.NoError(t, err)
	require.Len(t, parts, 1)
	ids, err := s2.b.blobIDs()
	require.NoError(t, err)
	assert.Len(t, ids, 3, "two objects, one part; the orphans are gone")
	blobs, _ := os.ReadDir(filepath.Join(dir, "blobs"))
	assert.Len(t, blobs, 1, "only the large object has a file")
	tmp, _ := os.ReadDir(filepath.Join(dir, "tmp"))
	assert.Empty(t, tmp)
}

// A write torn by a crash (the end of the journal) is dropped at start;
// everything acknowledged before it stays.
func TestTornJournal(t *testing.T) {
	dir := t.TempDir()
	s, err := OpenDisk(dir)
	require.NoError(t, err)
	require.NoError(t, s.CreateBucket(Bucket{Name: "b"}))
	put(t, s, "b", "k", "kept")
	journal := filepath.Join(dir, "meta", "journal")
	whole, err := os.ReadFile(journal)
	require.NoError(t, err)
	for _, tail := range [][]byte{
		encodeEntry(opPut, kindObject, recordID("x"), []byte(`{"Bucket":"b","Key":"torn"}`))[:20], // cut short
		append(encodeEntry(opPut, kindObject, recordID("y"), []byte(`{}`))[:12], "garbage!"...),   // bad CRC
		make([]byte, 100), // the file grew but its data never landed
	} {
		require.NoError(t, os.WriteFile(journal, append(slices.Clone(whole), tail...), 0o644))
		s2, err := OpenDisk(dir)
		require.NoError(t, err)
		o, err := s2.Get("b", "k", "")
		require.NoError(t, err)
		assert.Equal(t, "kept", read(t, s2, o))
		_, err = s2.Get("b", "torn", "")
		assert.Equal(t, "NoSuchKey", code(err))
		put(t, s2, "b", "after", "ok") // appends after the cut
		s3, err := OpenDisk(dir)
		require.NoError(t, err)
		o, err = s3.Get("b", "after", "")
		require.NoError(t, err)
		assert.Equal(t, "ok", read(t, s3, o))
		whole, err = os.ReadFile(journal)
		require.NoError(t, err)
	}
}

// Overwrites make the journal grow; it is compacted once mostly dead, and
// what it holds stays readable during and after.
func TestJournalCompaction(t *testing.T) {
	dir := t.TempDir()
	const compactMin = 2 << 20
	s, err := OpenDiskOptions(dir, DiskOptions{CompactMin: compactMin})
	require.NoError(t, err)
	d := s.b.(*disk)
	require.NoError(t, s.CreateBucket(Bucket{Name: "b"}))
	data := strings.Repeat("x", 100<<10)
	for i := range 100 { // 10 MiB written, 3 keys live
		put(t, s, "b", "k"+strconv.Itoa(i%3), data+strconv.Itoa(i))
	}
	d.mu.Lock()
	size, live := d.size, d.live
	d.mu.Unlock()
	assert.Less(t, size, compactMin+int64(200<<10), "compacted")
	assert.LessOrEqual(t, live, size)
	for i := 97; i < 100; i++ {
		o, err := s.Get("b", "k"+strconv.Itoa(i%3), "")
		require.NoError(t, err)
		assert.Equal(t, data+strconv.Itoa(i), read(t, s, o))
	}
	s2, err := OpenDisk(dir)
	require.NoError(t, err)
	o, err := s2.Get("b", "k0", "")
	require.NoError(t, err)
	assert.Equal(t, data+"99", read(t, s2, o))
	fi, err := os.Stat(filepath.Join(dir, "meta", "journal"))
	require.NoError(t, err)
	assert.Less(t, fi.Size(), int64(400<<10), "only live entries after a restart")
}

// A data folder of the first layout (one file per record) is imported.
func TestLegacyRecords(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "meta", kindBucket), 0o755))
	rec, _ := json.Marshal(Bucket{Name: "old", Owner: "test"})
	require.NoError(t, os.WriteFile(filepath.Join(dir, "meta", kindBucket, recordID("old")+".json"), rec, 0o644))
	s, err := OpenDisk(dir)
	require.NoError(t, err)
	b, err := s.GetBucket("old")
	require.NoError(t, err)
	assert.Equal(t, "test", b.Owner)
	_, err = os.Stat(filepath.Join(dir, "meta", kindBucket))
	assert.ErrorIs(t, err, fs.ErrNotExist)
	s2, err := OpenDisk(dir)
	require.NoError(t, err)
	_, err = s2.GetBucket("old")
	assert.NoError(t, err)
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
