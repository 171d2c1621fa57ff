package lambda

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/olkit/olkit/s3err"
)

// partSize is the size of a part of a transformed object: partNumber N
// serves bytes (N-1)*5 MiB to N*5 MiB-1 of the output, as AWS's sample
// functions do. The original's own part layout cannot be used: the
// presigned inputS3Url is signed without partNumber, and adding it breaks
// the signature.
const partSize = 5 << 20

// byteRange is a Range the caller asked for, in one of its three forms:
// bytes=first-last, bytes=first- (last < 0) and bytes=-suffix.
type byteRange struct {
	first, last int64 // last < 0: to the end
	suffix      int64 // > 0: the last suffix bytes
	part        int   // > 0: this range is partNumber part
}

// ask is what of the caller's request shapes the answer.
type ask struct {
	rng      *byteRange // a Range, or nil
	part     int        // a partNumber, or 0
	checksum bool       // x-amz-checksum-mode: ENABLED
}

// partRange is the range of bytes partNumber n addresses.
func partRange(n int, size int64) *byteRange {
	return &byteRange{first: int64(n-1) * size, last: int64(n)*size - 1, part: n}
}

// parseAsk reads Range (header, or query parameter as S3 also accepts it),
// partNumber and checksum mode from the caller's request.
func parseAsk(headers map[string]string, query url.Values) (ask, *s3err.Error) {
	var a ask
	if v, ok := lookupHeader(headers, "x-amz-checksum-mode"); ok && strings.EqualFold(v, "ENABLED") {
		a.checksum = true
	}
	raw, hasRange := lookupHeader(headers, "Range")
	if !hasRange && query.Has("Range") {
		raw, hasRange = query.Get("Range"), true
	}
	if query.Has("partNumber") {
		if hasRange {
			return a, s3err.InvalidRequest("Cannot specify both Range header and partNumber query parameter")
		}
		n, err := strconv.Atoi(query.Get("partNumber"))
		if err != nil || n < 1 || n > 10000 {
			return a, s3err.New(http.StatusBadRequest, "InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive")
		}
		a.part = n
		return a, nil
	}
	if hasRange {
		a.rng = parseRange(raw) // nil for forms S3 ignores: the whole object is served
	}
	return a, nil
}

// parseRange parses one byte range. Like S3, it returns nil (serve the
// whole object) for what it does not understand: another unit, several
// ranges, a last position before the first, junk.
func parseRange(h string) *byteRange {
	spec, ok := strings.CutPrefix(strings.TrimSpace(h), "bytes=")
	if !ok || strings.Contains(spec, ",") {
		return nil
	}
	first, last, ok := strings.Cut(strings.TrimSpace(spec), "-")
	if !ok {
		return nil
	}
	num := func(s string) (int64, bool) {
		n, err := strconv.ParseInt(s, 10, 64)
		return n, err == nil && n >= 0 && s != "" && s[0] != '+'
	}
	switch {
	case first == "":
		n, ok := num(last)
		if !ok {
			return nil
		}
		return &byteRange{suffix: n, last: -1, first: -1}
	case last == "":
		a, ok := num(first)
		if !ok {
			return nil
		}
		return &byteRange{first: a, last: -1}
	}
	a, ok1 := num(first)
	b, ok2 := num(last)
	if !ok1 || !ok2 || b < a {
		return nil
	}
	return &byteRange{first: a, last: b}
}

// header is the Range header to send the original for the same bytes.
func (r *byteRange) header() string {
	switch {
	case r.first < 0:
		return fmt.Sprintf("bytes=-%d", r.suffix)
	case r.last < 0:
		return fmt.Sprintf("bytes=%d-", r.first)
	}
	return fmt.Sprintf("bytes=%d-%d", r.first, r.last)
}

// resolve fixes the range against an output of total bytes: the first and
// last byte served, or a 416 when none can be.
func (r *byteRange) resolve(total int64) (first, last int64, e *s3err.Error) {
	switch {
	case r.first < 0: // suffix
		if r.suffix == 0 || total == 0 {
			return 0, 0, unsatisfiable(r)
		}
		return max(0, total-r.suffix), total - 1, nil
	case r.first >= total:
		return 0, 0, unsatisfiable(r)
	case r.last < 0 || r.last >= total:
		return r.first, total - 1, nil
	}
	return r.first, r.last, nil
}

func unsatisfiable(r *byteRange) *s3err.Error {
	if r.part > 0 {
		return s3err.New(http.StatusRequestedRangeNotSatisfiable, "InvalidPartNumber", "The requested partnumber is not satisfiable")
	}
	return s3err.New(http.StatusRequestedRangeNotSatisfiable, "InvalidRange", "The requested range is not satisfiable")
}

// contentRange formats the Content-Range of a partial answer; total < 0
// when the length of the whole is unknown.
func contentRange(first, last, total int64) string {
	if total < 0 {
		return fmt.Sprintf("bytes %d-%d/*", first, last)
	}
	return fmt.Sprintf("bytes %d-%d/%d", first, last, total)
}
