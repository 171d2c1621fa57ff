package serve

import (
	"net/url"
	"strings"

	"github.com/olkit/olkit/conditions"
	"github.com/olkit/olkit/s3err"
	"github.com/olkit/olkit/s3range"
)

// partSize is the size of a part of a transformed object: partNumber N
// serves bytes (N-1)*5 MiB to N*5 MiB-1 of the output, as AWS's sample
// functions do. The original's own part layout cannot be used: the
// presigned inputS3Url is signed without partNumber, and adding it breaks
// the signature.
const partSize = 5 << 20

// byteRange is a Range the caller asked for, or the bytes a partNumber
// addresses.
type byteRange struct {
	s3range.Spec
	part int // > 0: this range is partNumber part
}

// ask is what of the caller's request shapes the answer.
type ask struct {
	rng      *byteRange // a Range, or nil
	part     int        // a partNumber, or 0
	checksum bool       // x-amz-checksum-mode: ENABLED
}

// partRange is the range of bytes partNumber n addresses.
func partRange(n int, size int64) *byteRange {
	return &byteRange{Spec: s3range.Spec{First: int64(n-1) * size, Last: int64(n)*size - 1}, part: n}
}

// parseAsk reads Range (header, or query parameter as S3 also accepts it),
// partNumber and checksum mode from the caller's request.
func parseAsk(get conditions.Lookup, query url.Values) (ask, *s3err.Error) {
	var a ask
	if v, ok := get("x-amz-checksum-mode"); ok && strings.EqualFold(v, "ENABLED") {
		a.checksum = true
	}
	raw, hasRange := get("Range")
	if !hasRange && query.Has("Range") {
		raw, hasRange = query.Get("Range"), true
	}
	if query.Has("partNumber") {
		if hasRange {
			return a, s3range.ErrBoth()
		}
		n, e := s3range.ParsePart(query.Get("partNumber"))
		if e != nil {
			return a, e
		}
		a.part = n
		return a, nil
	}
	if hasRange {
		a.rng = parseRange(raw) // nil for forms S3 ignores: the whole object is served
	}
	return a, nil
}

// parseRange parses a Range header; nil for forms S3 ignores (the whole
// object is served).
func parseRange(h string) *byteRange {
	spec, ok := s3range.Parse(h)
	if !ok {
		return nil
	}
	return &byteRange{Spec: spec}
}

// header is the Range header to send the original for the same bytes.
func (r *byteRange) header() string { return r.Spec.String() }

// resolve fixes the range against an output of total bytes: the first and
// last byte served, or a 416 when none can be.
func (r *byteRange) resolve(total int64) (first, last int64, e *s3err.Error) {
	first, last, ok := r.Spec.Resolve(total)
	if !ok {
		return 0, 0, unsatisfiable(r)
	}
	return first, last, nil
}

func unsatisfiable(r *byteRange) *s3err.Error {
	if r.part > 0 {
		return s3range.ErrPartUnsatisfiable()
	}
	return s3range.ErrUnsatisfiable()
}

// contentRange formats the Content-Range of a partial answer.
var contentRange = s3range.ContentRange
