package store

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
)

// BenchmarkStore measures the store alone, without HTTP or the SDK: Put
// (stage, commit, record with its fsync on disk) and Get+Open+read of
// small (4 KiB, in the journal) and large (1 MiB, a file) objects, on the
// disk and memory backends, one key overwritten again and again:
//
//	go test -run '^$' -bench Store -count 5 ./localemu/internal/store/
func BenchmarkStore(b *testing.B) {
	for _, size := range []int{4 << 10, 1 << 20} {
		data := bytes.Repeat([]byte("0123456789abcdef"), size/16)
		for _, backend := range []string{"disk", "memory"} {
			open := func(b *testing.B) *Store {
				if backend == "memory" {
					return NewMemory()
				}
				s, err := OpenDisk(b.TempDir())
				if err != nil {
					b.Fatal(err)
				}
				return s
			}
			name := strconv.Itoa(size>>10) + "KiB/" + backend
			b.Run("Put-"+name, func(b *testing.B) {
				s := open(b)
				s.CreateBucket(Bucket{Name: "b"})
				b.SetBytes(int64(size))
				for i := 0; b.Loop(); i++ {
					benchPut(b, s, fmt.Sprintf("k%d", i%16), data)
				}
			})
			b.Run("Get-"+name, func(b *testing.B) {
				s := open(b)
				s.CreateBucket(Bucket{Name: "b"})
				benchPut(b, s, "k", data)
				b.SetBytes(int64(size))
				for b.Loop() {
					o, err := s.Get("b", "k", "")
					if err != nil {
						b.Fatal(err)
					}
					c, err := s.Open(o)
					if err != nil {
						b.Fatal(err)
					}
					n, err := io.Copy(io.Discard, io.NewSectionReader(c, 0, o.Size))
					c.Close()
					if err != nil || n != int64(size) {
						b.Fatal(n, err)
					}
				}
			})
		}
	}
}

func benchPut(b *testing.B, s *Store, key string, data []byte) {
	st, err := s.Stage()
	if err != nil {
		b.Fatal(err)
	}
	st.Write(data)
	if _, err := s.Put(Object{Bucket: "b", Key: key, ETag: `"x"`}, st, nil); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkStoreParallel is BenchmarkStore's 4 KiB disk rows with 8
// goroutines at once (as 8 clients would), for the locks' cost under
// contention:
//
//	go test -run '^$' -bench StoreParallel -count 5 ./localemu/internal/store/
func BenchmarkStoreParallel(b *testing.B) {
	data := bytes.Repeat([]byte("0123456789abcdef"), 256)
	s, err := OpenDisk(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	s.CreateBucket(Bucket{Name: "b"})
	for i := range 8 {
		benchPut(b, s, "k"+strconv.Itoa(i), data)
	}
	b.Run("Put-4KiB", func(b *testing.B) {
		b.SetParallelism(8 / max(1, runtime.GOMAXPROCS(0)))
		var n atomic.Int64
		b.RunParallel(func(pb *testing.PB) {
			key := "k" + strconv.Itoa(int(n.Add(1))%8)
			for pb.Next() {
				benchPut(b, s, key, data)
			}
		})
	})
	b.Run("Get-4KiB", func(b *testing.B) {
		b.SetParallelism(8 / max(1, runtime.GOMAXPROCS(0)))
		var n atomic.Int64
		b.RunParallel(func(pb *testing.PB) {
			key := "k" + strconv.Itoa(int(n.Add(1))%8)
			for pb.Next() {
				o, err := s.Get("b", key, "")
				if err != nil {
					b.Fatal(err)
				}
				c, err := s.Open(o)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, io.NewSectionReader(c, 0, o.Size))
				c.Close()
			}
		})
	})
}
