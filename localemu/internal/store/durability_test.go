package store

import (
	"bytes"

	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A record that JSON makes larger than its input (200,000 "<" become six
// bytes each with HTML escaping) is stored, replayed, and every write
// after it survives a restart.
func TestLargeRecordSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	s, err := OpenDisk(dir)
	require.NoError(t, err)
	require.NoError(t, s.CreateBucket(Bucket{Name: "b"}))
	st, _ := s.Stage()
	io.WriteString(st, "big metadata")
	_, err = s.Put(Object{Bucket: "b", Key: "big", Meta: map[string]string{"big": strings.Repeat("<", 200_000)}}, st, nil)
	require.NoError(t, err)
	for i := range 20 {
		put(t, s, "b", "after"+strconv.Itoa(i), "v"+strconv.Itoa(i))
	}
	require.NoError(t, s.CreateBucket(Bucket{Name: "later"}))
	put(t, s, "later", "k", "later")

	s2, err := OpenDisk(dir)
	require.NoError(t, err)
	o, err := s2.Get("b", "big", "")
	require.NoError(t, err)
	assert.Equal(t, strings.Repeat("<", 200_000), o.Meta["big"])
	for i := range 20 {
		o, err := s2.Get("b", "after"+strconv.Itoa(i), "")
		require.NoError(t, err, "after%d", i)
		assert.Equal(t, "v"+strconv.Itoa(i), read(t, s2, o))
	}
	o, err = s2.Get("later", "k", "")
	require.NoError(t, err)
	assert.Equal(t, "later", read(t, s2, o))
}

// A record replay could not read back is refused when written, with a
// client error, and nothing else is disturbed.
func TestRecordOverLimitIsRefused(t *testing.T) {
	for name, s := range backends(t) {
		t.Run(name, func(t *testing.T) {
			require.NoError(t, s.CreateBucket(Bucket{Name: "b"}))
			st, _ := s.Stage()
			io.WriteString(st, "x")
			_, err := s.Put(Object{Bucket: "b", Key: "huge", Meta: map[string]string{"m": strings.Repeat("m", maxEntry)}}, st, nil)
			assert.Equal(t, "InvalidArgument", code(err))
			_, err = s.Get("b", "huge", "")
			assert.Equal(t, "NoSuchKey", code(err))
			put(t, s, "b", "k", "v")
		})
	}
}

// An entry that cannot be read with acknowledged entries after it stops
// the start with its offset; it is never taken for the end of the
// journal.
func TestDamagedJournalFailsToOpen(t *testing.T) {
	dir := t.TempDir()
	s, err := OpenDisk(dir)
	require.NoError(t, err)
	require.NoError(t, s.CreateBucket(Bucket{Name: "b"}))
	put(t, s, "b", "first", "1")
	journal := filepath.Join(dir, "meta", "journal")
	fi, err := os.Stat(journal)
	require.NoError(t, err)
	damageAt := fi.Size() + headerSize + 5 // inside the next entry's payload
	for i := range 10 {
		put(t, s, "b", "k"+strconv.Itoa(i), "acknowledged")
	}
	whole, err := os.ReadFile(journal)
	require.NoError(t, err)
	for _, tc := range []struct {
		name string
		edit func([]byte)
	}{
		{"flipped byte", func(b []byte) { b[damageAt] ^= 0xff }},
		{"zeroed length", func(b []byte) { copy(b[fi.Size():], []byte{0, 0, 0, 0}) }},
		{"length past the limit", func(b []byte) { copy(b[fi.Size():], []byte{0xff, 0xff, 0xff, 0xff}) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := bytes.Clone(whole)
			tc.edit(b)
			require.NoError(t, os.WriteFile(journal, b, 0o644))
			_, err := OpenDisk(dir)
			require.Error(t, err)
			assert.Contains(t, err.Error(), fmt.Sprintf("meta/journal: the entry at offset %d is unreadable", fi.Size()))
			assert.NotContains(t, err.Error(), dir)
			got, _ := os.ReadFile(journal)
			assert.Equal(t, b, got, "a journal that fails to open is left as it was")
		})
	}
	// A bad entry followed only by zeros is a crash's torn tail.
	require.NoError(t, os.WriteFile(journal, append(bytes.Clone(whole), make([]byte, 4096)...), 0o644))
	s2, err := OpenDisk(dir)
	require.NoError(t, err)
	o, err := s2.Get("b", "k9", "")
	require.NoError(t, err)
	assert.Equal(t, "acknowledged", read(t, s2, o))
}

// Small-object commits racing frequent compactions: every acknowledged
// write stays readable while running and after a restart.
func TestCompactionKeepsConcurrentCommits(t *testing.T) {
	dir := t.TempDir()
	s, err := OpenDiskOptions(dir, DiskOptions{CompactMin: 64 << 10})
	require.NoError(t, err)
	require.NoError(t, s.CreateBucket(Bucket{Name: "b"}))
	const writers, rounds = 16, 250
	last := make([]map[string]string, writers)
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		last[w] = map[string]string{}
		wg.Go(func() {
			for i := range rounds {
				key := fmt.Sprintf("w%d-k%d", w, i%2)
				val := fmt.Sprintf("%s-%d-%s", key, i, strings.Repeat("x", 2<<10))
				st, _ := s.Stage()
				io.WriteString(st, val)
				if _, err := s.Put(Object{Bucket: "b", Key: key}, st, nil); err != nil {
					errs <- err
					return
				}
				last[w][key] = val
				o, err := s.Get("b", key, "")
				if err == nil {
					err = readErr(s, o, val)
				}
				if err != nil {
					errs <- fmt.Errorf("%s after write %d: %w", key, i, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	check := func(s *Store) {
		for _, m := range last {
			for key, val := range m {
				o, err := s.Get("b", key, "")
				require.NoError(t, err, key)
				require.NoError(t, readErr(s, o, val), key)
			}
		}
	}
	check(s)
	s2, err := OpenDisk(dir)
	require.NoError(t, err)
	check(s2)
}

func readErr(s *Store, o *Object, want string) error {
	c, err := s.Open(o)
	if err != nil {
		return err
	}
	defer c.Close()
	b, err := io.ReadAll(io.NewSectionReader(c, 0, o.Size))
	if err != nil {
		return err
	}
	if string(b) != want {
		return fmt.Errorf("read %d bytes that differ from the %d written", len(b), len(want))
	}
	return nil
}

// GETs racing overwrites and DELETEs of the same keys, small and large,
// read the old bytes, the new bytes or nothing (NoSuchKey): never an
// error, and never one that shows a server path.
func TestReadsRacingOverwritesAndDeletes(t *testing.T) {
	for name, s := range backends(t) {
		t.Run(name, func(t *testing.T) {
			require.NoError(t, s.CreateBucket(Bucket{Name: "b"}))
			values := map[string][]string{}
			for _, key := range []string{"small", "large"} {
				size := 100
				if key == "large" {
					size = inlineMax + 1000
				}
				for i := range 4 {
					values[key] = append(values[key], strings.Repeat(strconv.Itoa(i), size))
				}
			}
			stop := make(chan struct{})
			var writers sync.WaitGroup
			for _, key := range []string{"small", "large"} {
				writers.Go(func() {
					for i := 0; ; i++ {
						select {
						case <-stop:
							return
						default:
						}
						if i%5 == 4 {
							s.Delete("b", key, "", nil)
							continue
						}
						st, _ := s.Stage()
						io.WriteString(st, values[key][i%4])
						if _, err := s.Put(Object{Bucket: "b", Key: key}, st, nil); err != nil {
							t.Error(err)
						}
					}
				})
			}
			var readers sync.WaitGroup
			for r := range 4 {
				readers.Go(func() {
					key := []string{"small", "large"}[r%2]
					for range 300 {
						o, err := s.Get("b", key, "")
						if err != nil && code(err) == "NoSuchKey" {
							continue
						}
						if !assert.NoError(t, err) {
							return
						}
						c, err := s.Open(o)
						if !assert.NoError(t, err) {
							assert.NotContains(t, err.Error(), "/")
							return
						}
						b, err := io.ReadAll(io.NewSectionReader(c, 0, o.Size))
						c.Close()
						assert.NoError(t, err)
						assert.Contains(t, values[key], string(b))
					}
				})
			}
			readers.Wait()
			close(stop)
			writers.Wait()
		})
	}
}

// A version whose GET never opens it (HEAD, 304) still has its data
// removed once the reader is gone and the version replaced.
func TestUnopenedReadReleasesData(t *testing.T) {
	dir := t.TempDir()
	s, err := OpenDisk(dir)
	require.NoError(t, err)
	require.NoError(t, s.CreateBucket(Bucket{Name: "b"}))
	big := strings.Repeat("B", inlineMax+1)
	put(t, s, "b", "k", big)
	head, err := s.Get("b", "k", "") // a HEAD: never opened
	require.NoError(t, err)
	put(t, s, "b", "k", big+"2")
	blobs := func() int {
		entries, _ := os.ReadDir(filepath.Join(dir, "blobs"))
		return len(entries)
	}
	assert.Equal(t, 2, blobs(), "the replaced data waits for its reader")
	runtime.KeepAlive(head)
	for i := 0; i < 100 && blobs() != 1; i++ {
		runGC()
	}
	assert.Equal(t, 1, blobs(), "and goes once the reader is collected")
}

// runGC collects garbage and waits for the cleanups it queued to run.
func runGC() {
	runtime.GC()
	done := make(chan struct{})
	x := new([64]byte) // not a tiny allocation, whose cleanup may never run
	runtime.AddCleanup(x, func(ch chan struct{}) { close(ch) }, done)
	x = nil
	runtime.GC()
	<-done
}
