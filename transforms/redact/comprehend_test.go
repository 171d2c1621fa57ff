package redact_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/comprehend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/s3err"
	"github.com/olkit/olkit/transforms/redact"
	"github.com/olkit/olkit/transforms/redact/internal/detect"
)

// fakeComprehend speaks the Comprehend JSON 1.1 protocol for the two PII
// operations. It "recognises" a fixed list of names and addresses, and
// reports offsets in characters, as Comprehend does.
type fakeComprehend struct {
	mu          sync.Mutex
	contains    int
	detects     int
	maxContains int
	maxDetect   int
	errCode     string // answer every call with this error
	failAfter   int    // answer DetectPiiEntities calls after this many with errCode
}

var fakeEntities = map[string]string{
	"Ada Lovelace":      "NAME",
	"José Müller":       "NAME",
	"Zoë Ångström":      "NAME",
	"山田太郎":              "NAME",
	"221B Baker Street": "ADDRESS",
}

func (f *fakeComprehend) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var in struct{ Text, LanguageCode string }
	body, err := io.ReadAll(r.Body)
	if err == nil {
		err = json.Unmarshal(body, &in)
	}
	if err != nil {
		http.Error(w, err.Error(), 400)
		return
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	reply := func(status int, v any) {
		b, _ := json.Marshal(v)
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.WriteHeader(status)
		w.Write(b)
	}
	fail := func(code string) {
		reply(400, map[string]string{"__type": code, "message": "fake " + code})
	}
	f.mu.Lock()
	op := r.Header.Get("X-Amz-Target")
	var n int
	switch op {
	case "Comprehend_20171127.ContainsPiiEntities":
		f.contains++
		f.maxContains = max(f.maxContains, len(in.Text))
		n = f.contains
	case "Comprehend_20171127.DetectPiiEntities":
		f.detects++
		f.maxDetect = max(f.maxDetect, len(in.Text))
		n = f.detects
	}
	errCode, failAfter := f.errCode, f.failAfter
	f.mu.Unlock()
	if errCode != "" && (failAfter == 0 || (op == "Comprehend_20171127.DetectPiiEntities" && n > failAfter)) {
		fail(errCode)
		return
	}
	if in.LanguageCode != "en" {
		fail("ValidationException")
		return
	}
	type ent struct {
		BeginOffset, EndOffset int
		Score                  float64
		Type                   string
	}
	var ents []ent
	for name, typ := range fakeEntities {
		for i := 0; ; {
			k := strings.Index(in.Text[i:], name)
			if k < 0 {
				break
			}
			b := utf8.RuneCountInString(in.Text[:i+k])
			ents = append(ents, ent{b, b + utf8.RuneCountInString(name), 0.99, typ})
			i += k + len(name)
		}
	}
	switch op {
	case "Comprehend_20171127.ContainsPiiEntities":
		if len(in.Text) > 50000 {
			fail("TextSizeLimitExceededException")
			return
		}
		labels := []map[string]any{}
		seen := map[string]bool{}
		for _, e := range ents {
			if !seen[e.Type] {
				seen[e.Type] = true
				labels = append(labels, map[string]any{"Name": e.Type, "Score": e.Score})
			}
		}
		reply(200, map[string]any{"Labels": labels})
	case "Comprehend_20171127.DetectPiiEntities":
		if len(in.Text) > 5000 {
			fail("TextSizeLimitExceededException")
			return
		}
		reply(200, map[string]any{"Entities": ents})
	default:
		fail("UnknownOperationException")
	}
}

func fakeClient(t *testing.T) (*fakeComprehend, *comprehend.Client) {
	f := &fakeComprehend{}
	c := comprehend.New(comprehend.Options{
		BaseEndpoint: aws.String("http://comprehend.test"),
		// The SDK's requests go straight to the fake's handler, with no
		// socket between: over loopback TCP, reads of a response body
		// failed now and then with "use of closed network connection",
		// at times three attempts in a row, which made these tests flaky
		// under load. What they test is the transform, not HTTP.
		HTTPClient:  handlerClient{f},
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
		// Retries without waiting, so throttling fails fast.
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = 3
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
			o.RateLimiter = ratelimit.None
		}),
	})
	return f, c
}

// handlerClient is an HTTP client that serves each request with a
// handler in the same process.
type handlerClient struct{ h http.Handler }

func (c handlerClient) Do(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	c.h.ServeHTTP(rec, r)
	resp := rec.Result()
	resp.Request = r
	return resp, nil
}

// useClient makes the transforms built from payloads use c.
func useClient(t *testing.T, c redact.ComprehendAPI) {
	old := redact.NewComprehendClient
	redact.NewComprehendClient = func(context.Context) (redact.ComprehendAPI, error) { return c, nil }
	t.Cleanup(func() { redact.NewComprehendClient = old })
}

// chunky reads its data in pieces of random sizes.
type chunky struct {
	data []byte
	r    *rand.Rand
}

func (c *chunky) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := min(len(p), len(c.data), 1+c.r.IntN(70000))
	copy(p, c.data[:n])
	c.data = c.data[n:]
	return n, nil
}

// comprehendDoc is text with names and addresses (some with multi-byte
// characters, so Comprehend's character offsets differ from byte offsets)
// everywhere, segment and batch boundaries included, and offline PII.
func comprehendDoc(size int) []byte {
	r := rand.New(rand.NewPCG(7, 7))
	names := []string{"Ada Lovelace", "José Müller", "Zoë Ångström", "山田太郎", "221B Baker Street"}
	filler := []string{"the ", "order ", "shipped ", "café ", "naïve ", "日本語 ", "résumé ", "\n", "ssn 536-22-1234 ", "mail a@example.com "}
	var b bytes.Buffer
	for b.Len() < size {
		if r.IntN(4) == 0 {
			b.WriteString(names[r.IntN(len(names))])
			b.WriteString(" ")
		}
		b.WriteString(filler[r.IntN(len(filler))])
	}
	return b.Bytes()
}

// comprehendWant masks what the fake finds and, unless all, what the
// offline detector finds.
func comprehendWant(doc []byte, all bool) []byte {
	out := bytes.Clone(doc)
	mask := func(s, e int) {
		for i := s; i < e; i++ {
			out[i] = '*'
		}
	}
	if !all {
		for _, m := range detect.Find(allTypes, doc) {
			mask(m.Start, m.End)
		}
	}
	for name := range fakeEntities {
		for i := 0; ; {
			k := bytes.Index(doc[i:], []byte(name))
			if k < 0 {
				break
			}
			mask(i+k, i+k+len(name))
			i += k + len(name)
		}
	}
	return out
}

func TestComprehendRedact(t *testing.T) {
	f, c := fakeClient(t)
	useClient(t, c)
	doc := comprehendDoc(300 << 10)
	for _, tc := range []struct {
		opts string
		all  bool
	}{
		{`{"detector":"comprehend"}`, false},
		{`{"detector":"comprehend-all","pii_entity_types":["NAME","ADDRESS","SSN"]}`, true},
	} {
		for seed := uint64(1); seed <= 3; seed++ {
			out, obj, err := run(chain(t, "redact", tc.opts), &chunky{doc, rand.New(rand.NewPCG(seed, 1))}, nil)
			require.NoError(t, err)
			want := comprehendWant(doc, tc.all)
			require.Equal(t, len(want), len(out))
			if !bytes.Equal(want, out) {
				for i := range want {
					if want[i] != out[i] {
						t.Fatalf("%s seed %d: first difference at byte %d: %q, want %q", tc.opts, seed, i, out[max(0, i-20):min(len(out), i+40)], want[max(0, i-20):min(len(want), i+40)])
					}
				}
			}
			assert.True(t, utf8.Valid(out))
			assert.Equal(t, int64(-1), obj.Size)
		}
	}
	assert.LessOrEqual(t, f.maxContains, 50000, "ContainsPiiEntities gets at most 50 KB")
	assert.LessOrEqual(t, f.maxDetect, 5000, "DetectPiiEntities gets at most 5 KB")
	assert.Greater(t, f.detects, 2*len(doc)/5000, "segments")
	if testing.Verbose() {
		t.Logf("%d Contains calls, %d Detect calls, largest %d and %d bytes", f.contains, f.detects, f.maxContains, f.maxDetect)
	}

	// REPLACE: one [TYPE] per entity.
	out, _, err := run(chain(t, "redact", `{"detector":"comprehend","mask_mode":"REPLACE_WITH_PII_ENTITY_TYPE"}`), strings.NewReader("Dear José Müller, of 221B Baker Street: ssn 536-22-1234.\n"), nil)
	require.NoError(t, err)
	assert.Equal(t, "Dear [NAME], of [ADDRESS]: ssn [SSN].\n", string(out))
}

func TestComprehendNotAskedWithoutNeed(t *testing.T) {
	redactNew := redact.NewComprehendClient
	redact.NewComprehendClient = func(context.Context) (redact.ComprehendAPI, error) {
		t.Error("the Comprehend client was built")
		return nil, errors.New("no")
	}
	t.Cleanup(func() { redact.NewComprehendClient = redactNew })
	for _, opts := range []string{"", `{"detector":"offline"}`, `{"detector":"comprehend","pii_entity_types":["SSN","EMAIL"]}`} {
		out, _, err := run(chain(t, "redact", opts), strings.NewReader("ssn 536-22-1234, Ada Lovelace\n"), nil)
		require.NoError(t, err)
		assert.Equal(t, "ssn ***********, Ada Lovelace\n", string(out), opts)
	}
	_, _, err := run(chainErr(t, `{"detector":"cloud"}`), strings.NewReader("x"), nil)
	assert.ErrorContains(t, err, "option detector")
}

func TestComprehendErrors(t *testing.T) {
	f, c := fakeClient(t)
	useClient(t, c)
	doc := comprehendDoc(200 << 10)
	for _, tc := range []struct {
		code   string
		status int
		s3code string
	}{
		{"ThrottlingException", 503, "SlowDown"},
		{"TooManyRequestsException", 503, "SlowDown"},
		{"AccessDeniedException", 500, "InternalError"},
	} {
		f.mu.Lock()
		f.errCode, f.failAfter = tc.code, 0
		f.mu.Unlock()
		for _, name := range []string{"redact", "pii-access-control"} {
			_, _, err := run(chain(t, name, `{"detector":"comprehend"}`), bytes.NewReader(doc), nil)
			var e *s3err.Error
			require.True(t, errors.As(err, &e), "%s %s: %v", name, tc.code, err)
			assert.Equal(t, tc.status, e.Status, tc.code)
			assert.Equal(t, tc.s3code, e.Code, tc.code)
			assert.Contains(t, e.Message, tc.code)
		}
	}
	// After the first batch has gone out, a failure aborts the download.
	// The first batch of 50 KB takes 12 DetectPiiEntities calls, the
	// document about four times as many; the margin is for
	// the odd call retried after a transient loopback error, which the
	// fake counts twice.
	f.mu.Lock()
	f.errCode, f.failAfter, f.detects = "ThrottlingException", 24, 0
	f.mu.Unlock()
	obj := newObj()
	rc, err := chain(t, "redact", `{"detector":"comprehend"}`).Apply(context.Background(), obj, bytes.NewReader(doc))
	require.NoError(t, err, "the first batch succeeds")
	got, err := io.ReadAll(rc)
	rc.Close()
	var e *s3err.Error
	require.True(t, errors.As(err, &e), "%v", err)
	assert.Equal(t, "SlowDown", e.Code)
	assert.Less(t, len(got), len(doc))
}

func TestComprehendAccessControl(t *testing.T) {
	_, c := fakeClient(t)
	useClient(t, c)
	clean := strings.Repeat("nothing personal here, café 日本語\n", 5000)
	_, _, err := run(chain(t, "pii-access-control", `{"detector":"comprehend"}`), strings.NewReader(clean), nil)
	require.NoError(t, err)
	_, _, err = run(chain(t, "pii-access-control", `{"detector":"comprehend","pii_entity_types":["NAME"]}`), strings.NewReader(clean+"signed, 山田太郎\n"+clean), nil)
	var e *s3err.Error
	require.True(t, errors.As(err, &e), "%v", err)
	assert.Equal(t, 403, e.Status)
	assert.Equal(t, "Document Contains PII", e.Message)
	_, _, err = run(chain(t, "pii-access-control", `{"detector":"comprehend","pii_entity_types":["ADDRESS"]}`), strings.NewReader(clean+"signed, 山田太郎\n"), nil)
	assert.NoError(t, err, "a name is not of interest")
}
