package durability_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/olkit/olkit/localemu"
	"github.com/olkit/olkit/localemu/emutest"
)

// TestConcurrentClients runs 32 clients on the same few keys, small (in
// the journal) and large (files), with PUTs, GETs, HEADs and DELETEs, on
// a disk store that compacts its journal every few dozen writes: no
// request may fail with a 5xx, and every GET must return bytes some PUT
// of that key was acknowledged for (or 404).
func TestConcurrentClients(t *testing.T) {
	if testing.Short() {
		t.Skip("1,280 requests from 32 clients")
	}
	for _, store := range []string{"disk", "memory"} {
		t.Run(store, func(t *testing.T) {
			opts := []emutest.Option{emutest.WithConfig(func(c *localemu.Config) { c.JournalCompactMin = 16 << 10; c.Logf = nil })}
			dir := t.TempDir()
			if store == "disk" {
				opts = append(opts, emutest.WithDir(dir))
			}
			emu := emutest.New(t, opts...)
			c := client(emu.URL)
			_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("load")})
			if err != nil {
				t.Fatal(err)
			}
			runLoad(t, c)
			if store == "disk" {
				// About 700 KB of small objects and records went to the
				// journal (with 40 requests per client): it stayed small
				// only if compactions ran.
				fi, err := os.Stat(filepath.Join(dir, "meta", "journal"))
				if err != nil {
					t.Fatal(err)
				}
				if fi.Size() > 256<<10 {
					t.Errorf("the journal is %d bytes: it was not compacted", fi.Size())
				}
			}
		})
	}
}

func runLoad(t *testing.T, c *s3.Client) {
	const clients = 32
	ops := 40
	if v := os.Getenv("DURABILITY_LOAD_OPS"); v != "" { // for longer runs by hand
		n, err := strconv.Atoi(v)
		if err != nil {
			t.Fatalf("DURABILITY_LOAD_OPS: %v", err)
		}
		ops = n
	}
	keys := []string{"small0", "small1", "small2", "small3", "large0", "large1", "large2", "large3"}
	var mu sync.Mutex
	acked := map[string]map[version]bool{}
	type read struct {
		key string
		v   version
	}
	var reads []read
	var fails, gets, puts atomic.Int64
	fail := func(op, key string, err error) {
		if fails.Add(1) <= 5 {
			t.Errorf("%s %s: status %d: %v", op, key, httpStatus(err), err)
		}
	}
	var wg sync.WaitGroup
	for n := range clients {
		rng := rand.New(rand.NewPCG(uint64(n), 15))
		wg.Go(func() {
			for i := range ops {
				key := keys[rng.IntN(len(keys))]
				switch r := rng.IntN(20); {
				case r < 8:
					size := 1 + rng.IntN(4<<10)
					if key[0] == 'l' {
						size = 130<<10 + rng.IntN(200<<10)
					}
					b := body(fmt.Sprintf("%d-%d", n, i), size)
					if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("load"), Key: aws.String(key), Body: bytes.NewReader(b)}); err != nil {
						fail("PUT", key, err)
						continue
					}
					puts.Add(1)
					mu.Lock()
					if acked[key] == nil {
						acked[key] = map[version]bool{}
					}
					acked[key][contentOf(b)] = true
					mu.Unlock()
				case r < 10:
					if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("load"), Key: aws.String(key)}); err != nil {
						fail("DELETE", key, err)
					}
				case r < 11:
					_, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("load"), Key: aws.String(key)})
					if err != nil && httpStatus(err) != 404 {
						fail("HEAD", key, err)
					}
				default:
					v, err := readVersion(c, "load", key)
					if err != nil {
						fail("GET", key, err)
						continue
					}
					gets.Add(1)
					mu.Lock()
					reads = append(reads, read{key, v})
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	wrong := 0
	for _, r := range reads {
		if r.v.present && !acked[r.key][r.v] {
			wrong++
		}
	}
	t.Logf("%d PUTs, %d GETs answered: %d failed requests, %d GETs with bytes no PUT was acknowledged for", puts.Load(), gets.Load(), fails.Load(), wrong)
	if fails.Load() > 0 || wrong > 0 {
		t.Errorf("%d requests failed, %d GETs returned unacknowledged bytes", fails.Load(), wrong)
	}
}
