package lambda_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/internal/fakes3"
	"github.com/olkit/olkit/internal/handlertest"
	"github.com/olkit/olkit/internal/heappeak"
	"github.com/olkit/olkit/internal/syncbuf"
	"github.com/olkit/olkit/lambda"
	"github.com/olkit/olkit/s3err"
	"github.com/olkit/olkit/transforms"
	"github.com/olkit/olkit/writeresponse"
)

// Test transforms: "test-upper" changes bytes (ASCII upper case);
// "test-fail" fails after a number of bytes with an S3 error.
func init() {
	transforms.Register("test-upper", func(json.RawMessage) (transforms.Transform, error) {
		return transforms.Func(func(_ context.Context, obj *transforms.Object, r io.Reader) (io.Reader, error) {
			obj.Header.Set("Content-Type", "text/plain")
			return &upper{r}, nil
		}), nil
	})
	transforms.Register("test-fail", func(opts json.RawMessage) (transforms.Transform, error) {
		var o struct {
			After int64 `json:"after"`
		}
		if err := json.Unmarshal(opts, &o); err != nil {
			return nil, fmt.Errorf("options: %w", err)
		}
		return transforms.Func(func(_ context.Context, _ *transforms.Object, r io.Reader) (io.Reader, error) {
			return io.MultiReader(io.LimitReader(r, o.After), &failing{}), nil
		}), nil
	})
}

type upper struct{ r io.Reader }

func (u *upper) Read(p []byte) (int, error) {
	n, err := u.r.Read(p)
	copy(p[:n], bytes.ToUpper(p[:n]))
	return n, err
}

type failing struct{}

func (failing) Read([]byte) (int, error) {
	return 0, s3err.New(http.StatusBadRequest, "UnexpectedContent", "test-fail: corrupt input")
}

type env struct {
	s3   *fakes3.Server
	h    *lambda.Handler
	logs *syncbuf.Buffer
}

func setup(t testing.TB) *env {
	logs := &syncbuf.Buffer{}
	srv, h := handlertest.New(t, logs)
	return &env{s3: srv, h: h, logs: logs}
}

// get runs one GetObject event and returns the single WGOR it produced.
func (e *env) get(t testing.TB, key, payload string, headers map[string]string) (fakes3.WGOR, *lambda.Result, error) {
	t.Helper()
	before := len(e.s3.WGORs())
	res, err := e.h.Handle(context.Background(), e.s3.Event(key, payload, headers))
	// Handle returns after its WGOR calls were answered, and the fake
	// records a WGOR before it answers: the count is final here.
	w := e.s3.WaitWGOR(t, before)
	require.Len(t, e.s3.WGORs(), before+1, "exactly one WGOR per GetObject")
	return w, res, err
}

func bytesObject(body []byte, h http.Header) fakes3.Object {
	if h == nil {
		h = http.Header{}
	}
	return fakes3.Object{Header: h, Size: int64(len(body)), Body: func() io.Reader { return bytes.NewReader(body) }}
}

func TestIdentitySmallSizes(t *testing.T) {
	e := setup(t)
	for _, size := range []int64{0, 1, 10 << 20} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			key := fmt.Sprintf("obj-%d", size)
			e.s3.Put(key, fakes3.Object{
				Header: http.Header{"Etag": {`"abc"`}, "Content-Type": {"application/x-test"}},
				Size:   size,
				Body:   func() io.Reader { return fakes3.Pattern(size) },
			})
			w, res, err := e.get(t, key, "", nil)
			require.NoError(t, err)
			assert.Equal(t, http.StatusOK, res.StatusCode)
			assert.Equal(t, http.StatusOK, w.Status)
			assert.Empty(t, w.ErrorCode)
			assert.NoError(t, w.BodyErr)
			assert.Equal(t, size, w.BodyLen)
			assert.Equal(t, fakes3.PatternCRC(size), w.BodyCRC)
			assert.Equal(t, size, w.ContentLength, "identity keeps the length")
			assert.Equal(t, `"abc"`, w.Header.Get("ETag"), "identity keeps the ETag")
			assert.Equal(t, "application/x-test", w.Header.Get("Content-Type"))
		})
	}
}

func TestIdentityChunkedOriginalStreamsWithUnknownLength(t *testing.T) {
	e := setup(t)
	const size = 3<<20 + 17
	e.s3.Put("chunked", fakes3.Object{Header: http.Header{}, Size: -1, Body: func() io.Reader { return fakes3.Pattern(size) }})
	w, _, err := e.get(t, "chunked", "", nil)
	require.NoError(t, err)
	assert.Equal(t, int64(-1), w.ContentLength, "unknown length goes out chunked")
	assert.Equal(t, int64(size), w.BodyLen)
	assert.Equal(t, fakes3.PatternCRC(size), w.BodyCRC)
}

// TestIdentityOneGiB streams a gigabyte generated on the fly through the
// handler and checks the heap never grows by 64 MiB.
func TestIdentityOneGiB(t *testing.T) {
	if testing.Short() {
		t.Skip("1 GiB end-to-end run skipped in -short mode")
	}
	const size = 1 << 30
	e := setup(t)
	e.s3.Put("big", fakes3.Object{Header: http.Header{}, Size: size, Body: func() io.Reader { return fakes3.Pattern(size) }})
	want := fakes3.PatternCRC(size)

	var w fakes3.WGOR
	var err error
	growth := heappeak.Growth(20*time.Millisecond, func() { w, _, err = e.get(t, "big", "", nil) })
	require.NoError(t, err)
	assert.Equal(t, int64(size), w.BodyLen)
	assert.Equal(t, want, w.BodyCRC)
	t.Logf("heap growth peak while streaming 1 GiB: %.1f MiB", float64(growth)/(1<<20))
	assert.Less(t, growth, int64(64<<20), "heap must stay bounded")
}

func TestOriginalErrorsAreForwarded(t *testing.T) {
	e := setup(t)
	e.s3.Put("forbidden", fakes3.Object{Status: http.StatusForbidden, Size: -1, Body: func() io.Reader {
		return strings.NewReader(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>`)
	}})
	e.s3.Put("broken", fakes3.Object{Status: http.StatusInternalServerError, Size: -1, Body: func() io.Reader { return strings.NewReader("not xml") }})
	e.s3.Put("busy", fakes3.Object{Status: http.StatusServiceUnavailable, Size: -1, Body: func() io.Reader {
		return strings.NewReader(`<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>`)
	}})
	for _, tc := range []struct {
		key, code, msg string
		status         int
	}{
		{"missing", "NoSuchKey", "The specified key does not exist.", 404},
		{"forbidden", "AccessDenied", "Access Denied", 403},
		{"broken", "InternalError", "Internal Server Error", 500},
		{"busy", "SlowDown", "Please reduce your request rate.", 503},
	} {
		t.Run(tc.key, func(t *testing.T) {
			w, res, err := e.get(t, tc.key, "", nil)
			require.NoError(t, err)
			assert.Equal(t, tc.status, w.Status)
			assert.Equal(t, tc.code, w.ErrorCode)
			assert.Equal(t, tc.msg, w.ErrorMessage)
			assert.Zero(t, w.BodyLen)
			assert.Equal(t, tc.code, res.ErrorCode)
		})
	}
}

func TestConditionalRequestsPassThrough(t *testing.T) {
	e := setup(t)
	e.s3.Put("doc", bytesObject([]byte("hello"), http.Header{"Etag": {`"v1"`}, "Last-Modified": {"Wed, 01 Jan 2025 00:00:00 GMT"}}))

	w, _, err := e.get(t, "doc", "", map[string]string{"if-none-match": `"v1"`})
	require.NoError(t, err)
	assert.Equal(t, http.StatusNotModified, w.Status)
	assert.Empty(t, w.ErrorCode)
	assert.Zero(t, w.BodyLen)
	assert.Equal(t, `"v1"`, w.Header.Get("ETag"), "identity: the 304 carries the ETag the caller matched")

	w, _, err = e.get(t, "doc", "", map[string]string{"If-Match": `"v0"`})
	require.NoError(t, err)
	assert.Equal(t, http.StatusPreconditionFailed, w.Status)
	assert.Equal(t, "PreconditionFailed", w.ErrorCode)

	w, _, err = e.get(t, "doc", "", map[string]string{"If-Match": `"v1"`})
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, w.Status)
	assert.Equal(t, "hello", string(w.Body))

	gets := e.s3.Gets()
	assert.Equal(t, `"v1"`, gets[0].Get("If-None-Match"), "header names are matched without regard to case")
	assert.Equal(t, `"v0"`, gets[1].Get("If-Match"))
	assert.Equal(t, "identity", gets[0].Get("Accept-Encoding"), "the original is never fetched compressed by the HTTP client")
}

func TestSignedHeadersAreSent(t *testing.T) {
	e := setup(t)
	e.s3.Put("doc", bytesObject([]byte("signed"), nil))
	// Newer SDKs make S3 sign x-amz-checksum-mode into inputS3Url; without
	// it S3 answers 403 SignatureDoesNotMatch. The caller's header name
	// arrives with its own capitalisation.
	w, _, err := e.get(t, "doc", "", map[string]string{"X-Amz-Checksum-Mode": "ENABLED", "Host": "ignored"})
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, w.Status, w.ErrorMessage)
	assert.Equal(t, "signed", string(w.Body))
	assert.Equal(t, "ENABLED", e.s3.Gets()[0].Get("X-Amz-Checksum-Mode"))

	// The fake really checks: the same URL fetched without the header fails.
	ev := e.s3.Event("doc", "", map[string]string{"x-amz-checksum-mode": "ENABLED"})
	resp, err := http.Get(ev.GetObjectContext.InputS3URL)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
}

func TestBadPayloads(t *testing.T) {
	e := setup(t)
	e.s3.Put("doc", bytesObject([]byte("x"), nil))
	for _, tc := range []struct{ payload, want string }{
		{`{"transforms":[{"name":"nope"}]}`, `unknown transform "nope"`},
		{`{"transforms":[{"name":"identity","options":{"x":1}}]}`, "identity takes no options"},
		{`{"transforms":[{"name":"test-fail","options":{"after":"ten"}}]}`, "options"},
		{`{"transfroms":[]}`, `unknown field "transfroms"`},
		{`{"transforms":[{}]}`, `missing "name"`},
		{`not json`, "not a valid transform list"},
		{`{"transforms":[]} {}`, "data after its JSON object"},
	} {
		t.Run(tc.payload, func(t *testing.T) {
			w, res, err := e.get(t, "doc", tc.payload, nil)
			require.NoError(t, err)
			assert.Equal(t, http.StatusBadRequest, w.Status)
			assert.Equal(t, "InvalidRequest", w.ErrorCode)
			assert.Contains(t, w.ErrorMessage, tc.want)
			assert.Equal(t, "InvalidRequest", res.ErrorCode)
		})
	}
	assert.Contains(t, e.logs.String(), `"error_code":"InvalidRequest"`, "bad payloads are logged")
	assert.Empty(t, e.s3.Gets(), "a bad payload fails before the original is fetched")
}

func TestDefaultPayloadFromEnvironment(t *testing.T) {
	t.Setenv("OLKIT_TRANSFORMS", `{"transforms":[{"name":"test-upper"}]}`)
	e := setup(t)
	e.h = lambda.New(e.h.Responder)
	e.h.Logger = slog.New(slog.NewJSONHandler(e.logs, nil))
	e.s3.Put("doc", bytesObject([]byte("shout"), nil))
	w, _, err := e.get(t, "doc", "", nil)
	require.NoError(t, err)
	assert.Equal(t, "SHOUT", string(w.Body), "blank payload falls back to OLKIT_TRANSFORMS")
	w, _, err = e.get(t, "doc", `{"transforms":[]}`, nil)
	require.NoError(t, err)
	assert.Equal(t, "shout", string(w.Body), "a payload given wins over the environment")
}

func TestTransformFailingMidStreamAbortsTheDownload(t *testing.T) {
	e := setup(t)
	const size = 4 << 20
	e.s3.Put("big", fakes3.Object{Size: size, Body: func() io.Reader { return fakes3.Pattern(size) }})
	w, _, err := e.get(t, "big", `{"transforms":[{"name":"test-fail","options":{"after":1048576}}]}`, nil)
	require.Error(t, err, "the handler reports the failed invocation")
	assert.Contains(t, err.Error(), "corrupt input")
	assert.Error(t, w.BodyErr, "the WGOR body must not end cleanly")
	assert.Less(t, w.BodyLen, int64(size))
	assert.Contains(t, e.logs.String(), `"level":"ERROR"`)
}

func TestTransformFailingBeforeFirstByteIsAnErrorAnswer(t *testing.T) {
	e := setup(t)
	e.s3.Put("doc", bytesObject([]byte("abc"), nil))
	w, res, err := e.get(t, "doc", `{"transforms":[{"name":"test-fail","options":{"after":0}}]}`, nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusBadRequest, w.Status)
	assert.Equal(t, "UnexpectedContent", w.ErrorCode)
	assert.Equal(t, "test-fail: corrupt input", w.ErrorMessage)
	assert.Equal(t, 400, res.StatusCode)
}

// allHeaders is an original GetObject response with every header WGOR can
// carry, and the value each must arrive with.
var allHeaders = http.Header{
	"Accept-Ranges":                               {"bytes"},
	"Cache-Control":                               {"max-age=60"},
	"Content-Disposition":                         {`attachment; filename="r.csv"`},
	"Content-Encoding":                            {"identity"},
	"Content-Language":                            {"en-GB"},
	"Content-Type":                                {"text/csv"},
	"Etag":                                        {`"5d41402abc4b2a76b9719d911017c592"`},
	"Expires":                                     {"Thu, 01 Jan 2099 00:00:00 GMT"},
	"Last-Modified":                               {"Wed, 12 Oct 2022 17:50:00 GMT"},
	"X-Amz-Checksum-Crc32":                        {"NhCmhg=="},
	"X-Amz-Delete-Marker":                         {"false"},
	"X-Amz-Expiration":                            {`expiry-date="Fri, 23 Dec 2099 00:00:00 GMT", rule-id="rule1"`},
	"X-Amz-Meta-Owner":                            {"data-team"},
	"X-Amz-Meta-Source":                           {"etl"},
	"X-Amz-Missing-Meta":                          {"2"},
	"X-Amz-Mp-Parts-Count":                        {"3"},
	"X-Amz-Object-Lock-Legal-Hold":                {"ON"},
	"X-Amz-Object-Lock-Mode":                      {"GOVERNANCE"},
	"X-Amz-Object-Lock-Retain-Until-Date":         {"2030-01-01T00:00:00Z"},
	"X-Amz-Replication-Status":                    {"COMPLETED"},
	"X-Amz-Request-Charged":                       {"requester"},
	"X-Amz-Restore":                               {`ongoing-request="false", expiry-date="Fri, 21 Dec 2099 00:00:00 GMT"`},
	"X-Amz-Server-Side-Encryption":                {"aws:kms"},
	"X-Amz-Server-Side-Encryption-Aws-Kms-Key-Id": {"arn:aws:kms:us-east-1:000000000000:key/k"},
	"X-Amz-Server-Side-Encryption-Bucket-Key-Enabled": {"true"},
	"X-Amz-Server-Side-Encryption-Customer-Algorithm": {"AES256"},
	"X-Amz-Server-Side-Encryption-Customer-Key-Md5":   {"ZjQrne1X/iTcskbY2m3example=="},
	"X-Amz-Storage-Class":                             {"STANDARD_IA"},
	"X-Amz-Tagging-Count":                             {"4"},
	"X-Amz-Version-Id":                                {"3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY"},
}

// byteFields describe the exact bytes, so a transform that changes them
// must not forward them.
var byteFields = map[string]bool{"Etag": true, "X-Amz-Checksum-Crc32": true, "X-Amz-Mp-Parts-Count": true}

func TestMetadataForwardedFieldByField(t *testing.T) {
	e := setup(t)
	body := []byte("hello")
	e.s3.Put("doc", bytesObject(body, allHeaders.Clone()))

	w, _, err := e.get(t, "doc", "", nil)
	require.NoError(t, err)
	for name, want := range allHeaders {
		t.Run("identity/"+name, func(t *testing.T) {
			if meta, ok := strings.CutPrefix(name, "X-Amz-Meta-"); ok {
				assert.Equal(t, want[0], w.Meta[strings.ToLower(meta)])
				return
			}
			assert.Equal(t, want[0], w.Header.Get(name))
		})
	}
	assert.Equal(t, int64(5), w.ContentLength)

	w, _, err = e.get(t, "doc", `{"transforms":[{"name":"test-upper"}]}`, nil)
	require.NoError(t, err)
	assert.Equal(t, "HELLO", string(w.Body))
	for name, want := range allHeaders {
		t.Run("changed/"+name, func(t *testing.T) {
			switch {
			case name == "Etag":
				got := w.Header.Get(name)
				assert.Regexp(t, `^"[0-9a-f]{32}"$`, got, "changed bytes get an ETag of their own")
				assert.NotEqual(t, want[0], got, "never the original's ETag on changed bytes")
			case byteFields[name]:
				assert.Empty(t, w.Header.Get(name), "%s describes the original bytes", name)
			case name == "Content-Type":
				assert.Equal(t, "text/plain", w.Header.Get(name), "the transform's own edit wins")
			case strings.HasPrefix(name, "X-Amz-Meta-"):
				assert.Equal(t, want[0], w.Meta[strings.ToLower(strings.TrimPrefix(name, "X-Amz-Meta-"))])
			default:
				assert.Equal(t, want[0], w.Header.Get(name))
			}
		})
	}
	assert.Equal(t, int64(5), w.ContentLength, "an output read whole in the first read has a known length")
}

func TestDeadlineAnswersBeforeLambdaKillsTheFunction(t *testing.T) {
	e := setup(t)
	stall := make(chan struct{})
	defer close(stall)
	e.s3.Put("slow", fakes3.Object{Size: 1, Stall: stall, Body: func() io.Reader { return strings.NewReader("x") }})
	e.h.DeadlineMargin = 500 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	start := time.Now()
	res, err := e.h.Handle(ctx, e.s3.Event("slow", "", nil))
	require.NoError(t, err)
	assert.Less(t, time.Since(start), 1400*time.Millisecond, "answered before the deadline")
	assert.Equal(t, http.StatusInternalServerError, res.StatusCode)
	w := e.s3.WaitWGOR(t, 0)
	assert.Equal(t, "InternalError", w.ErrorCode)
	assert.Contains(t, w.ErrorMessage, "olkit could not fetch the original object")
	assert.Contains(t, w.ErrorMessage, "deadline")
}

// slowReader delivers a chunk then waits, forever.
type slowReader struct {
	sent bool
	wait <-chan struct{}
}

func (s *slowReader) Read(p []byte) (int, error) {
	if !s.sent {
		s.sent = true
		return copy(p, "first bytes"), nil
	}
	<-s.wait
	return 0, io.EOF
}

func TestDeadlineMidStreamAbortsTheDownload(t *testing.T) {
	e := setup(t)
	stall := make(chan struct{})
	defer close(stall)
	e.s3.Put("slow", fakes3.Object{Size: -1, Body: func() io.Reader { return &slowReader{wait: stall} }})
	e.h.DeadlineMargin = 500 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := e.h.Handle(ctx, e.s3.Event("slow", "", nil))
	require.Error(t, err)
	assert.Less(t, time.Since(start), 1400*time.Millisecond)
	w := e.s3.WaitWGOR(t, 0)
	assert.Error(t, w.BodyErr, "the caller's download fails rather than ending short")
}

func TestLogLine(t *testing.T) {
	e := setup(t)
	secret := []byte("CONTENT-THAT-MUST-NOT-BE-LOGGED")
	e.s3.Put("doc", bytesObject(secret, nil))
	_, _, err := e.get(t, "doc", `{"transforms":[{"name":"test-upper"}]}`, nil)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(e.logs.String()), "\n")
	require.Len(t, lines, 1, "one line per request")
	var entry map[string]any
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &entry))
	assert.Equal(t, "getobject", entry["msg"])
	assert.Equal(t, "INFO", entry["level"])
	assert.NotEmpty(t, entry["request_id"])
	assert.Equal(t, "arn:aws:s3-object-lambda:us-east-1:000000000000:accesspoint/test", entry["access_point"])
	assert.Equal(t, []any{"test-upper"}, entry["chain"])
	assert.EqualValues(t, len(secret), entry["bytes_in"])
	assert.EqualValues(t, len(secret), entry["bytes_out"])
	assert.EqualValues(t, 200, entry["status"])
	assert.Contains(t, entry, "duration_ms")
	assert.NotContains(t, e.logs.String(), string(secret))
	assert.NotContains(t, e.logs.String(), "SECRET-SESSION-TOKEN", "the presigned URL's token stays out of logs")
}

func TestWGORFailureIsReported(t *testing.T) {
	e := setup(t)
	e.s3.Put("doc", bytesObject([]byte("x"), nil))
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")}
	e.h.Responder = writeresponse.New(cfg, writeresponse.WithEndpoint("http://127.0.0.1:1"))
	_, err := e.h.Handle(context.Background(), e.s3.Event("doc", "", nil))
	require.Error(t, err)
	assert.True(t, strings.Contains(err.Error(), "WriteGetObjectResponse"), err.Error())
	assert.False(t, errors.Is(err, context.Canceled))
}

type (
	wgor    = fakes3.WGOR
	resultT = lambda.Result
)

func fakesPattern(size int64) fakes3.Object {
	return fakes3.Object{Header: http.Header{}, Size: size, Body: func() io.Reader { return fakes3.Pattern(size) }}
}
