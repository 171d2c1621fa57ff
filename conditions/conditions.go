// Package conditions judges the conditional request headers of a GET or
// HEAD (If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since)
// as S3 does. The handler judges them against a transformed object's own
// ETag, the emulator against a stored object, the test S3 against its
// fixtures: one evaluator, so the three cannot drift apart.
//
// S3's rules (GetObject, "Conditional requests"): If-Match, when present,
// decides alone between serving and 412 (If-Unmodified-Since is then
// ignored); otherwise If-Unmodified-Since may give 412. Then If-None-Match,
// when present, decides alone between serving and 304 (If-Modified-Since is
// then ignored); otherwise If-Modified-Since may give 304. A 412 wins over a
// 304.
package conditions

import (
	"net/http"
	"strings"
	"time"

	"github.com/olkit/olkit/s3err"
)

// Names are the conditional request headers, in the order they are judged.
var Names = []string{"If-Match", "If-Unmodified-Since", "If-None-Match", "If-Modified-Since"}

// Lookup returns a request header's value and whether it was sent.
type Lookup func(name string) (string, bool)

// FromHeader looks names up in h.
func FromHeader(h http.Header) Lookup {
	return func(name string) (string, bool) {
		v := h.Values(name)
		if len(v) == 0 {
			return "", false
		}
		return strings.Join(v, ","), true
	}
}

// FromMap looks names up in a case-preserving map such as an Object Lambda
// event's userRequest.headers, without regard to case.
func FromMap(m map[string]string) Lookup {
	return func(name string) (string, bool) {
		if v, ok := m[name]; ok {
			return v, true
		}
		for k, v := range m {
			if strings.EqualFold(k, name) {
				return v, true
			}
		}
		return "", false
	}
}

// Evaluate judges the conditions that get finds against an object's ETag
// and Last-Modified (zero when unknown: the date conditions then hold). It
// returns 0 when the object is to be served, else 304 or 412.
func Evaluate(get Lookup, etag string, lastModified time.Time) int {
	modified := lastModified.Truncate(time.Second)
	if im, ok := get("If-Match"); ok {
		if !ETagMatches(im, etag) {
			return http.StatusPreconditionFailed
		}
	} else if t, ok := date(get, "If-Unmodified-Since"); ok && !modified.IsZero() && modified.After(t) {
		return http.StatusPreconditionFailed
	}
	if inm, ok := get("If-None-Match"); ok {
		if ETagMatches(inm, etag) {
			return http.StatusNotModified
		}
	} else if t, ok := date(get, "If-Modified-Since"); ok && !modified.IsZero() && !modified.After(t) {
		return http.StatusNotModified
	}
	return 0
}

// ETagMatches reports whether a list of entity tags (an If-Match or
// If-None-Match value) names etag; "*" names any existing object. Weak tags
// compare by value and quotes are optional, as S3 compares them.
func ETagMatches(list, etag string) bool {
	if etag == "" {
		return false
	}
	bare := strings.Trim(strings.TrimPrefix(etag, "W/"), `"`)
	for _, t := range strings.Split(list, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || strings.Trim(t, `"`) == bare {
			return true
		}
	}
	return false
}

// date parses an HTTP date condition; a value that does not parse is
// ignored, as S3 ignores it.
func date(get Lookup, name string) (time.Time, bool) {
	v, ok := get(name)
	if !ok {
		return time.Time{}, false
	}
	t, err := http.ParseTime(v)
	return t, err == nil
}

// Failed is the 412 answer.
func Failed() *s3err.Error {
	return s3err.New(http.StatusPreconditionFailed, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold")
}

// NotModifiedHeaders keeps of h what a 304 carries: the validators and the
// caching headers.
func NotModifiedHeaders(h http.Header) http.Header {
	out := http.Header{}
	for _, k := range []string{"Etag", "Last-Modified", "Cache-Control", "Expires", "X-Amz-Version-Id"} {
		if v := h.Values(k); len(v) > 0 {
			out[k] = v
		}
	}
	return out
}
