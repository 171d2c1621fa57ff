package s3range_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/olkit/olkit/s3range"
)

func TestParseAndResolve(t *testing.T) {
	for _, tc := range []struct {
		h           string
		size        int64
		parsed, sat bool
		first, last int64
	}{
		{"bytes=0-9", 100, true, true, 0, 9},
		{"bytes=90-200", 100, true, true, 90, 99},
		{"bytes=50-", 100, true, true, 50, 99},
		{"bytes=-10", 100, true, true, 90, 99},
		{"bytes=-500", 100, true, true, 0, 99},
		{"bytes=100-", 100, true, false, 0, 0},
		{"bytes=-0", 100, true, false, 0, 0},
		{"bytes=0-", 0, true, false, 0, 0},
		{" bytes=1-2 ", 100, true, true, 1, 2},
		{"bytes=5-2", 100, false, false, 0, 0},
		{"bytes=0-1,3-4", 100, false, false, 0, 0},
		{"items=0-1", 100, false, false, 0, 0},
		{"bytes=x-", 100, false, false, 0, 0},
		{"bytes=+1-2", 100, false, false, 0, 0},
		{"bytes=-", 100, false, false, 0, 0},
		{"bytes", 100, false, false, 0, 0},
	} {
		s, ok := s3range.Parse(tc.h)
		assert.Equal(t, tc.parsed, ok, tc.h)
		if !ok {
			continue
		}
		first, last, sat := s.Resolve(tc.size)
		assert.Equal(t, tc.sat, sat, tc.h)
		if sat {
			assert.Equal(t, [2]int64{tc.first, tc.last}, [2]int64{first, last}, tc.h)
		}
		again, ok := s3range.Parse(s.String())
		assert.True(t, ok)
		assert.Equal(t, s, again, "String round-trips %q", tc.h)
	}
	assert.Equal(t, "bytes 0-9/*", s3range.ContentRange(0, 9, -1))
	assert.Equal(t, "bytes 0-9/10", s3range.ContentRange(0, 9, 10))
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"bytes=0-9", "bytes=-5", "bytes=5-", "bytes=1-0", "bytes=0-1,2-3", ""} {
		f.Add(s, int64(100))
	}
	f.Fuzz(func(t *testing.T, h string, size int64) {
		if size < 0 {
			return // sizes are never negative
		}
		s, ok := s3range.Parse(h)
		if !ok {
			return
		}
		if first, last, sat := s.Resolve(size); sat && (first < 0 || last < first || last >= size) {
			t.Fatalf("%q over %d resolved to %d-%d", h, size, first, last)
		}
	})
}
