package store

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeJournal makes a journal of about size bytes the way a long run of
// small PUTs does: each PUT appends its data and its record, and half of
// them overwrite an earlier object, so about half the journal is dead.
// It returns the number of live objects.
func writeJournal(t *testing.T, dir string, size int64) int {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "meta"), 0o755))
	f, err := os.Create(filepath.Join(dir, "meta", "journal"))
	require.NoError(t, err)
	defer f.Close()
	w := bufio.NewWriterSize(f, 4<<20)
	write := func(op byte, kind, id string, data []byte) {
		_, err := w.Write(encodeEntry(op, kind, id, data))
		require.NoError(t, err)
	}
	rec, err := marshalRecord(Bucket{Name: "b"})
	require.NoError(t, err)
	write(opPut, kindBucket, recordID("b"), rec)
	const blobSize = 100 << 10
	data := make([]byte, blobSize)
	for i := range data {
		data[i] = byte(i * 7)
	}
	keys := max(1, int(size/2/blobSize))
	blobs := make([]string, keys)
	var written int64
	for i := 0; written < size; i++ {
		k := i % keys
		if blobs[k] != "" {
			write(opBlobGone, "", blobs[k], nil)
		}
		blobs[k] = newID()
		copy(data, strconv.Itoa(i))
		write(opBlob, "", blobs[k], data)
		o := Object{Bucket: "b", Key: "key-" + strconv.Itoa(k), VersionID: NullVersion, Seq: int64(i + 1), Size: blobSize, ETag: `"e"`, Blob: blobs[k]}
		rec, err := marshalRecord(o)
		require.NoError(t, err)
		write(opPut, kindObject, objectRecordID(&o), rec)
		written += int64(blobSize + len(rec) + 3*headerSize + 200)
	}
	require.NoError(t, w.Flush())
	return keys
}

// startupChildDir names the data folder TestStartupChild opens.
const startupChildDir = "STORE_STARTUP_CHILD_DIR"

// TestStartupChild is the process whose memory TestStartupMemoryBound
// measures: it opens a store and reports how many objects it found.
func TestStartupChild(t *testing.T) {
	dir := os.Getenv(startupChildDir)
	if dir == "" {
		t.Skip("run by TestStartupMemoryBound")
	}
	s, err := OpenDisk(dir)
	require.NoError(t, err)
	n := 0
	require.NoError(t, s.Walk("b", "", "", func(*Object) bool { n++; return true }))
	fmt.Printf("objects %d\n", n)
}

// startup opens the store in dir in a child process and returns its peak
// RSS, the time it took and the objects it found.
func startup(t *testing.T, dir string) (rss int64, took time.Duration, objects int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestStartupChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), startupChildDir+"="+dir)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	took = time.Since(start)
	require.NoError(t, err, "%s", out)
	_, err = fmt.Sscanf(string(out[max(0, bytes.Index(out, []byte("objects "))):]), "objects %d", &objects)
	require.NoError(t, err, "%s", out)
	return cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10, took, objects
}

// Startup memory does not grow with the journal: opening a journal eight
// times larger costs about the same RSS, under 256 MiB (checked without
// -race, whose shadow memory varies from run to run). The big size
// is STORE_STARTUP_JOURNAL_MB (default 512; docs/benchmarks.md has the
// figures for 5 GB).
func TestStartupMemoryBound(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a journal of hundreds of MB")
	}
	bigMB := int64(512)
	if v := os.Getenv("STORE_STARTUP_JOURNAL_MB"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		require.NoError(t, err)
		bigMB = n
	}
	small, big := t.TempDir(), t.TempDir()
	smallKeys := writeJournal(t, small, 64<<20)
	bigKeys := writeJournal(t, big, bigMB<<20)
	rssSmall, tookSmall, n := startup(t, small)
	assert.Equal(t, smallKeys, n)
	rssBig, tookBig, n := startup(t, big)
	assert.Equal(t, bigKeys, n)
	t.Logf("64 MiB journal: RSS %d MiB in %v; %d MiB journal: RSS %d MiB in %v", rssSmall>>20, tookSmall, bigMB, rssBig>>20, tookBig)
	if !raceEnabled {
		assert.Less(t, rssBig, int64(256<<20), "startup RSS")
	}
	assert.Less(t, rssBig-rssSmall, int64(48<<20), "RSS grows with the journal")
}
