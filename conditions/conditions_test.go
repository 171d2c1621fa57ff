package conditions

import (
	"net/http"
	"testing"
	"time"
)

func TestEvaluate(t *testing.T) {
	mod := time.Date(2026, 5, 1, 12, 0, 0, 500e6, time.UTC) // sub-second: S3 compares seconds
	before := mod.Add(-time.Hour).Format(http.TimeFormat)
	same := mod.Format(http.TimeFormat)
	after := mod.Add(time.Hour).Format(http.TimeFormat)
	const etag = `"abc"`
	cases := []struct {
		name string
		h    map[string]string
		want int
	}{
		{"none", nil, 0},
		{"if-match hit", map[string]string{"If-Match": `"abc"`}, 0},
		{"if-match unquoted", map[string]string{"if-match": `abc`}, 0},
		{"if-match weak", map[string]string{"If-Match": `W/"abc"`}, 0},
		{"if-match list", map[string]string{"If-Match": `"x", "abc"`}, 0},
		{"if-match star", map[string]string{"If-Match": `*`}, 0},
		{"if-match miss", map[string]string{"If-Match": `"x"`}, 412},
		{"if-match wins over unmodified-since", map[string]string{"If-Match": etag, "If-Unmodified-Since": before}, 0},
		{"unmodified-since fails", map[string]string{"If-Unmodified-Since": before}, 412},
		{"unmodified-since same second", map[string]string{"If-Unmodified-Since": same}, 0},
		{"if-none-match hit", map[string]string{"If-None-Match": etag}, 304},
		{"if-none-match star", map[string]string{"If-None-Match": "*"}, 304},
		{"if-none-match miss", map[string]string{"If-None-Match": `"x"`}, 0},
		{"if-none-match miss wins over modified-since", map[string]string{"If-None-Match": `"x"`, "If-Modified-Since": after}, 0},
		{"modified-since not modified", map[string]string{"If-Modified-Since": after}, 304},
		{"modified-since same second", map[string]string{"If-Modified-Since": same}, 304},
		{"modified-since modified", map[string]string{"If-Modified-Since": before}, 0},
		{"bad date ignored", map[string]string{"If-Modified-Since": "yesterday"}, 0},
		{"412 wins over 304", map[string]string{"If-Match": `"x"`, "If-None-Match": etag}, 412},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Evaluate(FromMap(c.h), etag, mod); got != c.want {
				t.Errorf("Evaluate(%v) = %d, want %d", c.h, got, c.want)
			}
			h := http.Header{}
			for k, v := range c.h {
				h.Set(k, v)
			}
			if got := Evaluate(FromHeader(h), etag, mod); got != c.want {
				t.Errorf("Evaluate(header %v) = %d, want %d", h, got, c.want)
			}
		})
	}
}

func TestNoETagNeverMatches(t *testing.T) {
	if got := Evaluate(FromMap(map[string]string{"If-Match": "*"}), "", time.Time{}); got != 412 {
		t.Errorf("If-Match * on an object without ETag = %d, want 412", got)
	}
	if got := Evaluate(FromMap(map[string]string{"If-Modified-Since": time.Now().Format(http.TimeFormat)}), "", time.Time{}); got != 0 {
		t.Errorf("date condition without Last-Modified = %d, want 0 (served)", got)
	}
}

func TestNotModifiedHeaders(t *testing.T) {
	h := http.Header{"Etag": {`"a"`}, "Content-Type": {"text/plain"}, "Cache-Control": {"max-age=1"}}
	got := NotModifiedHeaders(h)
	if got.Get("ETag") != `"a"` || got.Get("Cache-Control") != "max-age=1" || got.Get("Content-Type") != "" {
		t.Errorf("NotModifiedHeaders = %v", got)
	}
}

func FuzzEvaluate(f *testing.F) {
	f.Add(`"abc"`, "", `"abc"`, "")
	f.Add("*", "Mon, 02 Jan 2006 15:04:05 GMT", `W/"x", "y"`, "junk")
	f.Fuzz(func(t *testing.T, im, ius, inm, ims string) {
		h := map[string]string{}
		for k, v := range map[string]string{"If-Match": im, "If-Unmodified-Since": ius, "If-None-Match": inm, "If-Modified-Since": ims} {
			if v != "" {
				h[k] = v
			}
		}
		got := Evaluate(FromMap(h), `"y"`, time.Unix(1e9, 0))
		if got != 0 && got != 304 && got != 412 {
			t.Fatalf("Evaluate = %d", got)
		}
		if im != "" && got != 412 && !ETagMatches(im, `"y"`) {
			t.Fatalf("If-Match %q does not name the ETag but the object was served (%d)", im, got)
		}
	})
}
