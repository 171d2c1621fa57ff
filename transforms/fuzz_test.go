package transforms_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/olkit/olkit/s3err"
	"github.com/olkit/olkit/transforms"
)

// FuzzParseChain checks that no payload makes ParseChain panic, and that
// each one gives either a chain or a 400 InvalidRequest *s3err.Error.
// The test transforms of chain_test.go (including the factories that panic
// or return nothing) are registered, so the fuzzer can reach them.
func FuzzParseChain(f *testing.F) {
	for _, seed := range []string{
		// valid
		"",
		"  \n",
		"{}",
		`{"transforms":[]}`,
		`{"transforms":null}`,
		`{"transforms":[{"name":"identity"}]}`,
		`{"transforms":[{"name":"identity","options":null}]}`,
		`{"transforms":[{"name":"identity","options":{}}]}`,
		`{"transforms":[{"name":"chaintest-append-a"},{"name":"chaintest-append-b"}]}`,
		`{"transforms":[{"name":"chaintest-optsnil","options":null}]}`,
		// invalid
		`{`,
		`}`,
		`[]`,
		`null`,
		`not json`,
		`{"transforms":[{}]}`,
		`{"transforms":[{"name":""}]}`,
		`{"transforms":[{"name":"no-such-transform"}]}`,
		`{"transforms":[{"name":"identity","options":{"a":1}}]}`,
		`{"transforms":[{"name":"identity","opts":{}}]}`,
		`{"transform":[]}`,
		`{} {}`,
		`{}x`,
		`{"transforms":[{"name":"chaintest-panic"}]}`,
		`{"transforms":[{"name":"chaintest-panic-nil"}]}`,
		`{"transforms":[{"name":"chaintest-nilnil"}]}`,
		`{"transforms":[{"name":"chaintest-reject","options":{"level":10}}]}`,
		`{"transforms":[{"name":"chaintest-hook","options":[1,2]}]}`,
		"{\"transforms\":[{\"name\":\"\xff\"}]}",
		`{"transforms":[{"name":"identity"}],"transforms":[{"name":"x"}]}`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, payload string) {
		c, err := transforms.ParseChain(payload)
		if err != nil {
			if c != nil {
				t.Fatalf("ParseChain(%q) returned both a chain and %v", payload, err)
			}
			var e *s3err.Error
			if !errors.As(err, &e) {
				t.Fatalf("ParseChain(%q) error is %T, not *s3err.Error: %v", payload, err, err)
			}
			var pe *transforms.PanicError
			if errors.As(err, &pe) {
				if e.Status != http.StatusInternalServerError {
					t.Fatalf("ParseChain(%q): a factory panic is %d, want 500", payload, e.Status)
				}
			} else if e.Status != http.StatusBadRequest || e.Code != "InvalidRequest" {
				t.Fatalf("ParseChain(%q) = %d %s, want 400 InvalidRequest", payload, e.Status, e.Code)
			}
			if e.Message == "" {
				t.Fatalf("ParseChain(%q) error has no message", payload)
			}
			return
		}
		if c == nil {
			t.Fatalf("ParseChain(%q) returned neither a chain nor an error", payload)
		}
		// A chain that parsed must also be usable without panicking.
		names := c.Names()
		_ = c.PreservesBytes()
		rc, err := c.Apply(context.Background(), &transforms.Object{Size: 5}, strings.NewReader("input"))
		if err != nil {
			return
		}
		defer rc.Close()
		if _, err := io.Copy(io.Discard, io.LimitReader(rc, 1<<16)); err != nil {
			return
		}
		if len(names) == 0 && c.PreservesBytes() != true {
			t.Fatalf("an empty chain must preserve bytes")
		}
	})
}
