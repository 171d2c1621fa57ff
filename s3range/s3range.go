// Package s3range parses the Range header as S3 reads it: one byte range,
// bytes=first-last, bytes=first- or bytes=-suffix. What S3 does not
// understand (another unit, several ranges, a last byte before the first,
// junk) it ignores, serving the whole object; a range that starts past the
// end is unsatisfiable (416 InvalidRange).
package s3range

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/olkit/olkit/s3err"
)

// Spec is one byte range as asked for.
type Spec struct {
	First  int64 // < 0 for a suffix range
	Last   int64 // < 0 when open (to the end)
	Suffix int64 // the last Suffix bytes, when First < 0
}

// Parse reads a Range header; false means S3 would ignore it.
func Parse(h string) (Spec, bool) {
	spec, ok := strings.CutPrefix(strings.TrimSpace(h), "bytes=")
	if !ok || strings.Contains(spec, ",") {
		return Spec{}, false
	}
	first, last, ok := strings.Cut(strings.TrimSpace(spec), "-")
	if !ok {
		return Spec{}, false
	}
	if first == "" {
		n, ok := number(last)
		return Spec{First: -1, Last: -1, Suffix: n}, ok
	}
	a, ok := number(first)
	if !ok {
		return Spec{}, false
	}
	if last == "" {
		return Spec{First: a, Last: -1}, true
	}
	b, ok := number(last)
	if !ok || b < a {
		return Spec{}, false
	}
	return Spec{First: a, Last: b}, true
}

func number(s string) (int64, bool) {
	if s == "" || s[0] < '0' || s[0] > '9' {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// Resolve fixes the range against an object of size bytes: the first and
// last byte to serve, or false when no byte can be (a 416).
func (s Spec) Resolve(size int64) (first, last int64, ok bool) {
	switch {
	case s.First < 0:
		if s.Suffix == 0 || size == 0 {
			return 0, 0, false
		}
		return max(0, size-s.Suffix), size - 1, true
	case s.First >= size:
		return 0, 0, false
	case s.Last < 0 || s.Last >= size:
		return s.First, size - 1, true
	}
	return s.First, s.Last, true
}

// String is the Range header that asks for the same bytes.
func (s Spec) String() string {
	switch {
	case s.First < 0:
		return fmt.Sprintf("bytes=-%d", s.Suffix)
	case s.Last < 0:
		return fmt.Sprintf("bytes=%d-", s.First)
	}
	return fmt.Sprintf("bytes=%d-%d", s.First, s.Last)
}

// ContentRange is the Content-Range of a partial answer; total < 0 when
// the whole's length is unknown.
func ContentRange(first, last, total int64) string {
	if total < 0 {
		return fmt.Sprintf("bytes %d-%d/*", first, last)
	}
	return fmt.Sprintf("bytes %d-%d/%d", first, last, total)
}

// Apply reads a Range header against an object of size bytes, as S3 serves
// it: ok is false when S3 would ignore the header (the whole object is
// served), first < 0 when the range is unsatisfiable (416).
func Apply(h string, size int64) (first, last int64, ok bool) {
	spec, ok := Parse(h)
	if !ok {
		return 0, 0, false
	}
	first, last, sat := spec.Resolve(size)
	if !sat {
		return -1, 0, true
	}
	return first, last, true
}

// The answers S3 gives for what a caller asks of an object's bytes, the
// same whoever applies the range: the handler on transformed bytes, the
// emulator and the test S3 on stored ones.

// ErrBoth is the answer to a Range together with a partNumber.
func ErrBoth() *s3err.Error {
	return s3err.InvalidRequest("Cannot specify both Range header and partNumber query parameter")
}

// ErrUnsatisfiable is the answer to a range no byte of the object is in.
func ErrUnsatisfiable() *s3err.Error {
	return s3err.New(http.StatusRequestedRangeNotSatisfiable, "InvalidRange", "The requested range is not satisfiable")
}

// ErrPartUnsatisfiable is the answer to a part the object does not have.
func ErrPartUnsatisfiable() *s3err.Error {
	return s3err.New(http.StatusRequestedRangeNotSatisfiable, "InvalidPartNumber", "The requested partnumber is not satisfiable")
}

// ParsePart reads a partNumber query parameter: 1 to 10,000, else S3's
// 400 InvalidArgument.
func ParsePart(s string) (int, *s3err.Error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 10000 {
		return 0, s3err.New(http.StatusBadRequest, "InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive")
	}
	return n, nil
}
