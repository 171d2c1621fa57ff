package durability_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

var ctx = context.Background()

// keyState is what the writer of a key knows: the last acknowledged
// state, and the state an unanswered request (cut by the kill) may have
// left instead.
type keyState struct {
	acked   version
	pending *version
}

// tally counts what the harness did and found.
type tally struct {
	puts, deletes, completes         atomic.Int64
	lost, corrupt, resurrected       int
	killsInCompaction, killsComplete int
	killsStartup                     int
}

const crashBucket = "crash"

// TestCrashHarness runs rounds of concurrent writers against a child
// emulator that is killed with SIGKILL at a random moment (some rounds:
// while a multipart Complete is in flight, or while the journal is being
// compacted), restarts it, and checks every key byte for byte against
// what was acknowledged, deletes included, and the listing.
func TestCrashHarness(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and restarts an emulator process 20 times")
	}
	rounds := 20
	if v := os.Getenv("DURABILITY_ROUNDS"); v != "" { // for longer runs by hand
		n, err := strconv.Atoi(v)
		if err != nil {
			t.Fatalf("DURABILITY_ROUNDS: %v", err)
		}
		rounds = n
	}
	dir := t.TempDir()
	const compactMin = 16 << 10
	const writers = 6
	keys := []string{"s0", "s1", "s2", "l0", "l1", "mp"}
	state := map[string]*keyState{}
	for w := range writers {
		for _, k := range keys {
			state[fmt.Sprintf("w%d/%s", w, k)] = &keyState{}
		}
	}
	var tl tally
	emu := startChild(t, dir, compactMin)
	if _, err := client(emu.url).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(crashBucket)}); err != nil {
		t.Fatal(err)
	}
	for round := range rounds {
		c := client(emu.url)
		var killing atomic.Bool
		completing := make(chan struct{}, 1)
		var wg sync.WaitGroup
		for w := range writers {
			rng := rand.New(rand.NewPCG(uint64(round), uint64(w)))
			wg.Go(func() {
				write(t, c, rng, fmt.Sprintf("r%d-w%d", round, w), state, fmt.Sprintf("w%d/", w), keys, &killing, completing, &tl)
			})
		}
		switch round % 3 {
		case 0: // anywhere
			<-time.After(time.Duration(50+rand.IntN(400)) * time.Millisecond)
		case 1: // during a multipart Complete
			select {
			case <-completing:
				<-time.After(time.Duration(rand.IntN(3000)) * time.Microsecond)
				tl.killsComplete++
			case <-time.After(3 * time.Second):
			}
		case 2: // during a journal compaction: its new journal is in tmp/
			if waitForCompaction(filepath.Join(dir, "tmp"), 3*time.Second) {
				tl.killsInCompaction++
			}
		}
		killing.Store(true) // before the kill: errors from now on are its doing
		emu.kill()
		wg.Wait()
		if round%2 == 1 {
			// Kill a start too: replay, cutting a torn tail, dropping
			// orphans and the start's compaction must be safe to cut.
			killDuringStartup(t, dir, compactMin)
			tl.killsStartup++
		}
		emu = startChild(t, dir, compactMin)
		verify(t, client(emu.url), state, &tl)
		if t.Failed() {
			t.Fatalf("round %d failed; stderr of the emulator:\n%s", round, emu.stderr.String())
		}
	}
	t.Logf("%d rounds (%d killed during a Complete, %d during a compaction, %d starts killed too): %d acknowledged PUTs, %d DELETEs, %d Completes; lost %d, corrupt %d, resurrected %d",
		rounds, tl.killsComplete, tl.killsInCompaction, tl.killsStartup, tl.puts.Load(), tl.deletes.Load(), tl.completes.Load(), tl.lost, tl.corrupt, tl.resurrected)
}

// killDuringStartup starts an emulator on dir and kills it within a few
// milliseconds of its starting to open the store.
func killDuringStartup(t *testing.T, dir string, compactMin int64) {
	cmd := childCmd(dir, compactMin)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	bufio.NewReader(out).ReadString('\n') // "opening"
	<-time.After(time.Duration(rand.IntN(5000)) * time.Microsecond)
	cmd.Process.Kill()
	cmd.Wait()
}

// waitForCompaction polls dir until a compaction's journal appears.
func waitForCompaction(dir string, limit time.Duration) bool {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), "journal-") {
				return true
			}
		}
	}
	return false
}

// write runs one writer over its own keys until the kill: PUTs small and
// large (some with 2 KB of metadata full of "<"), DELETEs and multipart
// uploads, recording each acknowledgement.
func write(t *testing.T, c *s3.Client, rng *rand.Rand, tag string, state map[string]*keyState, prefix string, keys []string, killing *atomic.Bool, completing chan struct{}, tl *tally) {
	for i := 0; ; i++ {
		if killing.Load() {
			return
		}
		k := keys[rng.IntN(len(keys))]
		key := prefix + k
		st := state[key]
		var err error
		switch {
		case rng.IntN(6) == 0:
			st.pending = &version{}
			_, err = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(crashBucket), Key: aws.String(key)})
			if err == nil {
				tl.deletes.Add(1)
			}
		case k == "mp":
			err = multipart(c, rng, fmt.Sprintf("%s-%d", tag, i), key, st, completing)
			if err == nil {
				tl.completes.Add(1)
			}
		default:
			size := 1 + rng.IntN(2<<10)
			if k[0] == 'l' {
				size = 130<<10 + rng.IntN(200<<10)
			}
			b := body(fmt.Sprintf("%s-%d", tag, i), size)
			v := contentOf(b)
			st.pending = &v
			in := &s3.PutObjectInput{Bucket: aws.String(crashBucket), Key: aws.String(key), Body: bytes.NewReader(b)}
			if rng.IntN(4) == 0 {
				in.Metadata = map[string]string{"big": strings.Repeat("<", 2045)}
			}
			_, err = c.PutObject(ctx, in)
			if err == nil {
				tl.puts.Add(1)
			}
		}
		if err != nil {
			if !killing.Load() {
				t.Errorf("%s before the kill: %v", key, err)
			}
			return // cut by the kill: pending stays undecided
		}
		st.acked, st.pending = *st.pending, nil
	}
}

// multipart uploads key in one or two parts and completes it.
func multipart(c *s3.Client, rng *rand.Rand, tag, key string, st *keyState, completing chan struct{}) error {
	up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(crashBucket), Key: aws.String(key)})
	if err != nil {
		return err
	}
	sizes := []int{130<<10 + rng.IntN(200<<10)}
	if rng.IntN(4) == 0 {
		sizes = []int{5 << 20, 1 + rng.IntN(100<<10)}
	}
	var whole []byte
	var done []types.CompletedPart
	for n, size := range sizes {
		b := body(fmt.Sprintf("%s-%d", tag, n), size)
		whole = append(whole, b...)
		p, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(crashBucket), Key: aws.String(key), UploadId: up.UploadId,
			PartNumber: aws.Int32(int32(n + 1)), Body: bytes.NewReader(b)})
		if err != nil {
			return err
		}
		done = append(done, types.CompletedPart{ETag: p.ETag, PartNumber: aws.Int32(int32(n + 1))})
	}
	v := contentOf(whole)
	st.pending = &v
	select {
	case completing <- struct{}{}:
	default:
	}
	_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(crashBucket), Key: aws.String(key), UploadId: up.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: done}})
	return err
}

// verify reads every key and the listing after a restart, then takes
// what it found as the acknowledged state for the next round.
func verify(t *testing.T, c *s3.Client, state map[string]*keyState, tl *tally) {
	present := []string{}
	for key, st := range state {
		got, err := readVersion(c, crashBucket, key)
		if err != nil {
			t.Errorf("%s: %v", key, err)
			continue
		}
		if got != st.acked && (st.pending == nil || got != *st.pending) {
			switch {
			case !got.present:
				tl.lost++
			case !st.acked.present && (st.pending == nil || !st.pending.present):
				tl.resurrected++
			default:
				tl.corrupt++
			}
			t.Errorf("%s: got %v, acknowledged %v, in flight %v", key, got, st.acked, st.pending)
		}
		st.acked, st.pending = got, nil
		if got.present {
			present = append(present, key)
		}
	}
	var listed []string
	p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String(crashBucket)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Errorf("listing: %v", err)
			return
		}
		for _, o := range page.Contents {
			listed = append(listed, *o.Key)
		}
	}
	slices.Sort(present)
	if !slices.Equal(present, listed) {
		t.Errorf("the listing %v differs from the keys found %v", listed, present)
	}
}
