package lambda

import (
	"net/http"
	"strings"
	"time"
)

// evaluateConditions answers the caller's preconditions against the
// output's own ETag and Last-Modified, in the order RFC 9110 (13.2.2) and
// S3 use: If-Match, else If-Unmodified-Since, may fail with 412; then
// If-None-Match, else If-Modified-Since, may give 304. It reports the
// status and false when the answer is not the object.
func evaluateConditions(user map[string]string, h http.Header) (int, bool) {
	etag := h.Get("ETag")
	modified, hasModified := httpDate(h.Get("Last-Modified"))
	if im, ok := lookupHeader(user, "If-Match"); ok {
		if !etagMatches(im, etag) {
			return http.StatusPreconditionFailed, false
		}
	} else if ius, ok := lookupHeader(user, "If-Unmodified-Since"); ok && hasModified {
		if t, ok := httpDate(ius); ok && modified.After(t) {
			return http.StatusPreconditionFailed, false
		}
	}
	if inm, ok := lookupHeader(user, "If-None-Match"); ok {
		if etagMatches(inm, etag) {
			return http.StatusNotModified, false
		}
	} else if ims, ok := lookupHeader(user, "If-Modified-Since"); ok && hasModified {
		if t, ok := httpDate(ims); ok && !modified.After(t) {
			return http.StatusNotModified, false
		}
	}
	return 0, true
}

// etagMatches reports whether a list of entity tags (If-Match or
// If-None-Match) names etag; "*" names any. Weak tags compare by value, as
// S3 compares them.
func etagMatches(list, etag string) bool {
	if etag == "" {
		return false
	}
	for _, t := range strings.Split(list, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == strings.TrimPrefix(etag, "W/") || strings.Trim(t, `"`) == strings.Trim(etag, `"`) {
			return true
		}
	}
	return false
}

// httpDate parses an HTTP date to the second, as headers carry it.
func httpDate(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	t, err := http.ParseTime(s)
	return t.Truncate(time.Second), err == nil
}

// conditionalHeaders304 keeps what a 304 carries: the validators and the
// caching headers.
func conditionalHeaders304(h http.Header) http.Header {
	out := http.Header{}
	for _, k := range []string{"Etag", "Last-Modified", "Cache-Control", "Expires", "X-Amz-Version-Id"} {
		if v := h.Values(k); len(v) > 0 {
			out[k] = v
		}
	}
	return out
}
