package objectlambda_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/localemu"
	"github.com/olkit/olkit/localemu/emutest"
	"github.com/olkit/olkit/localemu/internal/function"
	"github.com/olkit/olkit/writeresponse"
)

// probeEnv is an emulator with access point "probe" over bucket "data"
// (object "k", with user metadata owner=me), all actions transformed,
// whose function answers whatever the test sets.
type probeEnv struct {
	emu *emutest.Emulator

	mu     sync.Mutex
	answer func(ctx context.Context, ev events.S3ObjectLambdaEvent) ([]byte, error)
	codes  map[string]string // "METHOD path" -> the last error code the emulator logged for it
}

var loggedError = regexp.MustCompile(`^localemu: (\w+) (\S+): \w+ (\w+): `)

func newProbe(t testing.TB) *probeEnv {
	p := &probeEnv{codes: map[string]string{}}
	p.emu = emutest.New(t, emutest.WithConfig(func(c *localemu.Config) {
		c.Logf = func(format string, args ...any) {
			line := strings.TrimSpace(sprintf(format, args...))
			if m := loggedError.FindStringSubmatch(line); m != nil {
				p.mu.Lock()
				p.codes[m[1]+" "+m[2]] = m[3]
				p.mu.Unlock()
			}
			if _, bench := t.(*testing.B); !bench {
				t.Log(line)
			}
		}
	}))
	client := s3.NewFromConfig(p.emu.Config, func(o *s3.Options) { o.UsePathStyle = true })
	_, err := client.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String("data")})
	require.NoError(t, err)
	_, err = client.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String("data"), Key: aws.String("k"),
		Body: strings.NewReader("abc"), Metadata: map[string]string{"owner": "me"}})
	require.NoError(t, err)
	p.emu.ObjectLambda.SetFunction("probe", function.Func(func(ctx context.Context, raw []byte) ([]byte, error) {
		var ev events.S3ObjectLambdaEvent
		if err := json.Unmarshal(raw, &ev); err != nil {
			return nil, err
		}
		p.mu.Lock()
		answer := p.answer
		p.mu.Unlock()
		return answer(ctx, ev)
	}))
	ap := all
	ap.Name, ap.Bucket, ap.Function = "probe", "data", "probe"
	require.NoError(t, p.emu.ObjectLambda.Put(ap))
	return p
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

func (p *probeEnv) answers(fn func(ctx context.Context, ev events.S3ObjectLambdaEvent) ([]byte, error)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.answer = fn
}

func (p *probeEnv) answersJSON(s string) {
	p.answers(func(context.Context, events.S3ObjectLambdaEvent) ([]byte, error) { return []byte(s), nil })
}

// rawResponse is an answer as it came off the wire.
type rawResponse struct {
	status int
	code   string   // from the error body, or what the emulator logged (HEAD has no body)
	names  []string // header names exactly as sent
	header http.Header
	body   string
	err    error // reading the body
}

// do sends a request signed as the Go SDK signs it (path style, through
// the alias) and reads the answer byte for byte.
func (p *probeEnv) do(t *testing.T, method, pathAndQuery string, hdr map[string]string) rawResponse {
	t.Helper()
	u := p.emu.URL + "/" + p.emu.ObjectLambda.Alias("probe") + pathAndQuery
	req, err := http.NewRequest(method, u, nil)
	require.NoError(t, err)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	req.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
	require.NoError(t, v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: p.emu.AccessKey, SecretAccessKey: p.emu.SecretKey},
		req, "UNSIGNED-PAYLOAD", "s3", p.emu.Region, time.Now()))
	req.Close = true
	key := method + " " + req.URL.Path
	p.mu.Lock()
	delete(p.codes, key)
	p.mu.Unlock()
	return rawDo(t, req, func() string {
		p.mu.Lock()
		defer p.mu.Unlock()
		return p.codes[key]
	})
}

func rawDo(t *testing.T, req *http.Request, loggedCode func() string) rawResponse {
	t.Helper()
	conn, err := net.Dial("tcp", req.URL.Host)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(30*time.Second)))
	require.NoError(t, req.Write(conn))
	var wire bytes.Buffer
	resp, err := http.ReadResponse(bufio.NewReader(io.TeeReader(conn, &wire)), req)
	require.NoError(t, err, "the emulator must answer with a status line")
	defer resp.Body.Close()
	var out rawResponse
	body, err := io.ReadAll(resp.Body)
	out.status, out.header, out.body, out.err = resp.StatusCode, resp.Header, string(body), err
	head, _, _ := strings.Cut(wire.String(), "\r\n\r\n")
	for _, line := range strings.Split(head, "\r\n")[1:] {
		name, _, _ := strings.Cut(line, ":")
		out.names = append(out.names, name)
	}
	var doc struct{ Code string }
	if xml.Unmarshal(body, &doc) == nil && doc.Code != "" {
		out.code = doc.Code
	} else if out.status >= 300 && loggedCode != nil {
		out.code = loggedCode()
	}
	return out
}

func (r rawResponse) outcome() string {
	if r.status < 400 {
		return strconv.Itoa(r.status)
	}
	return strconv.Itoa(r.status) + " " + r.code
}

// contractRow is one documented rule and one answer to it.
type contractRow struct {
	rule, answer string
	method, path string // the caller's request through the alias
	json         string // the function's answer
	want         string // what the caller gets: "200", or "400 LambdaInvalidResponse"
}

// TestContract holds the emulator to the HEAD and List answers AWS's guide
// ("Writing Lambda functions for S3 Object Lambda Access Points")
// documents: for each rule an allowed answer and a forbidden one, and what
// the caller then gets.
func TestContract(t *testing.T) {
	p := newProbe(t)
	const head, list = "HEAD", "GET"
	const obj, v2 = "/k", "/?list-type=2"
	const full = `"name":"data","maxKeys":1000,"isTruncated":false,"keyCount":1`
	rows := []contractRow{
		{"HEAD statusCode is required", "allowed", head, obj, `{"statusCode":200,"headers":{"Content-Length":3}}`, "200"},
		{"HEAD statusCode is required", "forbidden", head, obj, `{"headers":{"Content-Length":3}}`, "400 LambdaInvalidResponse"},
		{"HEAD statusCode is required (with errorCode)", "forbidden", head, obj, `{"errorCode":"NoSuchKey","errorMessage":"gone"}`, "400 LambdaInvalidResponse"},
		{"HEAD error: statusCode and errorCode", "allowed", head, obj, `{"statusCode":404,"errorCode":"NoSuchKey","errorMessage":"gone"}`, "404 NoSuchKey"},
		{"HEAD statusCode is a number", "forbidden", head, obj, `{"statusCode":"200","headers":{"Content-Length":3}}`, "400 LambdaInvalidResponse"},
		{"HEAD statusCode is an HTTP status", "forbidden", head, obj, `{"statusCode":0,"headers":{"Content-Length":3}}`, "400 LambdaInvalidResponse"},
		{"HEAD Content-Length is required", "forbidden", head, obj, `{"statusCode":200,"headers":{"Content-Type":"text/plain"}}`, "400 LambdaInvalidResponse"},
		{"HEAD 304 needs no Content-Length", "allowed", head, obj, `{"statusCode":304,"headers":{"ETag":"\"e\""}}`, "304"},
		{"HEAD Content-Length is a number", "forbidden", head, obj, `{"statusCode":200,"headers":{"Content-Length":"3"}}`, "400 LambdaInvalidResponse"},
		{"HEAD Content-Length is a whole number", "forbidden", head, obj, `{"statusCode":200,"headers":{"Content-Length":3.5}}`, "400 LambdaInvalidResponse"},
		{"HEAD x-amz-delete-marker is a boolean", "allowed", head, obj, `{"statusCode":200,"headers":{"Content-Length":3,"x-amz-delete-marker":false}}`, "200"},
		{"HEAD x-amz-delete-marker is a boolean", "forbidden", head, obj, `{"statusCode":200,"headers":{"Content-Length":3,"x-amz-delete-marker":"false"}}`, "400 LambdaInvalidResponse"},
		{"HEAD x-amz-mp-parts-count is a number", "allowed", head, obj, `{"statusCode":200,"headers":{"Content-Length":3,"x-amz-mp-parts-count":2,"x-amz-tagging-count":1,"x-amz-missing-meta":0}}`, "200"},
		{"HEAD x-amz-mp-parts-count is a number", "forbidden", head, obj, `{"statusCode":200,"headers":{"Content-Length":3,"x-amz-mp-parts-count":true}}`, "400 LambdaInvalidResponse"},
		{"HEAD other headers are strings", "allowed", head, obj, `{"statusCode":200,"headers":{"content-length":3,"Content-Type":"text/plain","x-amz-meta-owner":"me"}}`, "200"},
		{"HEAD other headers are strings", "forbidden", head, obj, `{"statusCode":200,"headers":{"Content-Length":3,"Content-Type":7}}`, "400 LambdaInvalidResponse"},
		{"HEAD header values are not objects", "forbidden", head, obj, `{"statusCode":200,"headers":{"Content-Length":3,"ETag":{"v":1}}}`, "400 LambdaInvalidResponse"},
		{"HEAD errorCode matches ^[A-Z][a-zA-Z]+$", "forbidden", head, obj, `{"statusCode":404,"errorCode":"no such key"}`, "400 LambdaInvalidResponse"},
		{"HEAD answer is JSON", "forbidden", head, obj, `not json`, "400 LambdaInvalidResponse"},

		{"List statusCode is required", "forbidden", list, v2, `{"listResultXml":"<ListBucketResult/>"}`, "400 LambdaInvalidResponse"},
		{"List listResultXml alone", "allowed", list, v2, `{"statusCode":200,"listResultXml":"<ListBucketResult><Name>data</Name><KeyCount>0</KeyCount><MaxKeys>1</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>"}`, "200"},
		{"List never both listResultXml and listBucketResult", "forbidden", list, v2, `{"statusCode":200,"listResultXml":"<ListBucketResult/>","listBucketResult":{` + full + `}}`, "400 LambdaInvalidResponse"},
		{"List needs listResultXml or listBucketResult", "forbidden", list, v2, `{"statusCode":200}`, "400 LambdaInvalidResponse"},
		{"List error: statusCode and errorCode", "allowed", list, v2, `{"statusCode":403,"errorCode":"AccessDenied","errorMessage":"no"}`, "403 AccessDenied"},
		{"listBucketResult complete", "allowed", list, v2, `{"statusCode":200,"listBucketResult":{` + full + `,"contents":[{"key":"a","size":1,"owner":{"id":"i","displayName":"d"}}],"commonPrefixes":[{"prefix":"p/"}]}}`, "200"},
		{"listBucketResult.name is required", "forbidden", list, v2, `{"statusCode":200,"listBucketResult":{"maxKeys":1000,"isTruncated":false,"keyCount":0}}`, "400 LambdaInvalidResponse"},
		{"listBucketResult.maxKeys is required", "forbidden", list, v2, `{"statusCode":200,"listBucketResult":{"name":"data","isTruncated":false,"keyCount":0}}`, "400 LambdaInvalidResponse"},
		{"listBucketResult.isTruncated is required", "forbidden", list, v2, `{"statusCode":200,"listBucketResult":{"name":"data","maxKeys":1000,"keyCount":0}}`, "400 LambdaInvalidResponse"},
		{"listBucketResult.keyCount is required (V2)", "forbidden", list, v2, `{"statusCode":200,"listBucketResult":{"name":"data","maxKeys":1000,"isTruncated":false}}`, "400 LambdaInvalidResponse"},
		{"listBucketResult.keyCount is not required (V1)", "allowed", list, "/", `{"statusCode":200,"listBucketResult":{"name":"data","maxKeys":1000,"isTruncated":false}}`, "200"},
		{"contents[].key is required", "forbidden", list, v2, `{"statusCode":200,"listBucketResult":{` + full + `,"contents":[{"size":1}]}}`, "400 LambdaInvalidResponse"},
		{"contents[].size is required", "forbidden", list, v2, `{"statusCode":200,"listBucketResult":{` + full + `,"contents":[{"key":"a"}]}}`, "400 LambdaInvalidResponse"},
		{"contents[].owner.displayName is required", "forbidden", list, v2, `{"statusCode":200,"listBucketResult":{` + full + `,"contents":[{"key":"a","size":1,"owner":{"id":"i"}}]}}`, "400 LambdaInvalidResponse"},
		{"contents[].owner.id is required", "forbidden", list, v2, `{"statusCode":200,"listBucketResult":{` + full + `,"contents":[{"key":"a","size":1,"owner":{"displayName":"d"}}]}}`, "400 LambdaInvalidResponse"},
		{"commonPrefixes[].prefix is required", "forbidden", list, v2, `{"statusCode":200,"listBucketResult":{` + full + `,"commonPrefixes":[{}]}}`, "400 LambdaInvalidResponse"},
	}
	for _, r := range rows {
		t.Run(r.rule+"/"+r.answer, func(t *testing.T) {
			p.answersJSON(r.json)
			got := p.do(t, r.method, r.path, nil)
			assert.Equal(t, r.want, got.outcome(), "answer %s", r.json)
		})
	}
}

// HEAD answers reach the caller as S3's HeadObject has them: numbers and
// booleans as their text, names as the function wrote them (x-amz-* in
// lower case), with the invocation's request id.
func TestHeadAnswerHeaders(t *testing.T) {
	p := newProbe(t)
	p.answersJSON(`{"statusCode":200,"headers":{"Content-Length":3,"x-amz-delete-marker":false,"x-amz-mp-parts-count":2,"ETag":"\"e\"","x-amz-meta-owner":"me"}}`)
	got := p.do(t, http.MethodHead, "/k", nil)
	require.Equal(t, 200, got.status)
	assert.Equal(t, "3", got.header.Get("Content-Length"))
	assert.Equal(t, "false", got.header.Get("X-Amz-Delete-Marker"))
	assert.Equal(t, "2", got.header.Get("X-Amz-Mp-Parts-Count"))
	assert.Contains(t, got.names, "x-amz-meta-owner")
	assert.NotEmpty(t, got.header.Get("X-Amz-Request-Id"), "HEAD answers carry x-amz-request-id")

	p.answersJSON(`{"statusCode":200,"listBucketResult":{"name":"data","maxKeys":1000,"isTruncated":false,"keyCount":1,"contents":[{"key":"a","size":1}]}}`)
	got = p.do(t, http.MethodGet, "/?list-type=2", nil)
	require.Equal(t, 200, got.status, got.body)
	assert.NotEmpty(t, got.header.Get("X-Amz-Request-Id"), "List answers carry x-amz-request-id")
	assert.NotContains(t, got.body, "<LastModified>", "an optional field left out is left out of the XML")
	assert.NotContains(t, got.body, "<ETag>")
	assert.Contains(t, got.body, "<Key>a</Key><Size>1</Size>")
}

// The event S3 sends: userRequest.headers has Host; with
// x-amz-checksum-mode the inputS3Url signs it as a header, so a function
// that does not send it is refused; the original's headers come with
// S3's lower-case names.
func TestEventAndInputURL(t *testing.T) {
	p := newProbe(t)
	seen := make(chan events.S3ObjectLambdaEvent, 1)
	p.answers(func(_ context.Context, ev events.S3ObjectLambdaEvent) ([]byte, error) {
		seen <- ev
		return []byte(`{"statusCode":200,"headers":{"Content-Length":3}}`), nil
	})
	got := p.do(t, http.MethodHead, "/k", map[string]string{"X-Amz-Checksum-Mode": "ENABLED"})
	require.Equal(t, 200, got.status)
	ev := <-seen
	assert.Equal(t, strings.TrimPrefix(p.emu.URL, "http://"), ev.UserRequest.Headers["Host"])
	input, err := url.Parse(ev.HeadObjectContext.InputS3URL)
	require.NoError(t, err)
	assert.Equal(t, "host;x-amz-checksum-mode", input.Query().Get("X-Amz-SignedHeaders"))
	assert.False(t, input.Query().Has("X-Amz-Checksum-Mode"), "not hoisted into the query")

	fetch := func(withMode bool) rawResponse {
		req, err := http.NewRequest(http.MethodHead, ev.HeadObjectContext.InputS3URL, nil)
		require.NoError(t, err)
		if withMode {
			req.Header.Set("x-amz-checksum-mode", "ENABLED")
		}
		return rawDo(t, req, nil)
	}
	assert.Equal(t, 403, fetch(false).status, "S3 refuses the URL without the signed header")
	ok := fetch(true)
	require.Equal(t, 200, ok.status)
	assert.Contains(t, ok.names, "x-amz-meta-owner", "S3 sends header names in lower case")
}

// Through WGOR: what S3 checks and what the caller then gets.
func TestWGORContract(t *testing.T) {
	p := newProbe(t)
	get := func() rawResponse { return p.do(t, http.MethodGet, "/k", nil) }
	wgor := func(in *s3.WriteGetObjectResponseInput) (ok bool) {
		client := s3.NewFromConfig(p.emu.Config.Copy(), writeresponse.WithEndpoint(p.emu.URL))
		_, err := client.WriteGetObjectResponse(context.Background(), in)
		return err == nil
	}
	input := func(ev events.S3ObjectLambdaEvent) *s3.WriteGetObjectResponseInput {
		return &s3.WriteGetObjectResponseInput{RequestRoute: aws.String(ev.GetObjectContext.OutputRoute), RequestToken: aws.String(ev.GetObjectContext.OutputToken)}
	}

	rows := []struct {
		rule, answer string
		fill         func(in *s3.WriteGetObjectResponseInput)
		want         string
	}{
		{"an error with an error status", "allowed", func(in *s3.WriteGetObjectResponseInput) {
			in.StatusCode, in.ErrorCode, in.ErrorMessage = aws.Int32(404), aws.String("NoSuchKey"), aws.String("gone")
		}, "404 NoSuchKey"},
		{"never an error code with a success status", "forbidden", func(in *s3.WriteGetObjectResponseInput) {
			in.StatusCode, in.ErrorCode = aws.Int32(200), aws.String("NoSuchKey")
		}, "500 LambdaResponseNotReceived"},
		{"error code matches ^[A-Z][a-zA-Z]+$", "forbidden", func(in *s3.WriteGetObjectResponseInput) {
			in.StatusCode, in.ErrorCode = aws.Int32(404), aws.String("no-such-key")
		}, "500 LambdaResponseNotReceived"},
		{"one checksum at most", "forbidden", func(in *s3.WriteGetObjectResponseInput) {
			in.ChecksumCRC32, in.ChecksumSHA1 = aws.String("NSRBwg=="), aws.String("qZk+NkcGgWq6PiVxeFDCbJzQ2J0=")
			in.Body = strings.NewReader("abc")
		}, "500 LambdaResponseNotReceived"},
		{"a 304 with no body", "allowed", func(in *s3.WriteGetObjectResponseInput) { in.StatusCode = aws.Int32(304) }, "304"},
		{"a status WGOR knows", "forbidden", func(in *s3.WriteGetObjectResponseInput) { in.StatusCode = aws.Int32(299) }, "500 LambdaResponseNotReceived"},
	}
	for _, r := range rows {
		t.Run(r.rule+"/"+r.answer, func(t *testing.T) {
			p.answers(func(_ context.Context, ev events.S3ObjectLambdaEvent) ([]byte, error) {
				in := input(ev)
				r.fill(in)
				wgor(in)
				return []byte(`{"statusCode":200}`), nil
			})
			assert.Equal(t, r.want, get().outcome())
		})
	}

	t.Run("no Content-Type is sent as none", func(t *testing.T) {
		p.answers(func(_ context.Context, ev events.S3ObjectLambdaEvent) ([]byte, error) {
			in := input(ev)
			in.Body = strings.NewReader("hello, world")
			wgor(in)
			return []byte(`{"statusCode":200}`), nil
		})
		got := get()
		require.Equal(t, 200, got.status)
		assert.Equal(t, "hello, world", got.body)
		assert.Empty(t, got.header.Values("Content-Type"), "S3 sends the function's Content-Type or none, not a sniffed one")
	})

	t.Run("WGOR body breaks before its first byte", func(t *testing.T) {
		gone, ended := make(chan struct{}), make(chan struct{})
		close(gone)
		defer close(ended)
		p.answers(func(_ context.Context, ev events.S3ObjectLambdaEvent) ([]byte, error) {
			p.stalledWGOR(t, ev, "", 10, gone) // its WGOR connection closes with no body
			<-ended                            // and the function has not returned yet
			return nil, &function.Error{Type: "Runtime.ExitError", Message: "crashed"}
		})
		assert.Equal(t, "500 LambdaRuntimeError", get().outcome(), "a status line and an S3 error, not a dropped connection")
	})

	t.Run("function fails and returns", func(t *testing.T) {
		p.answers(func(context.Context, events.S3ObjectLambdaEvent) ([]byte, error) {
			return nil, &function.Error{Type: "Runtime.ExitError", Message: "boom"}
		})
		assert.Equal(t, "500 LambdaRuntimeError", get().outcome())
	})
}

// The time limit covers the whole answer: a WGOR body still streaming at
// the deadline fails the caller's download, and one that has not sent its
// first byte by then is a LambdaTimeout with a status line.
func TestTimeLimitCoversTheBody(t *testing.T) {
	p := newProbe(t)
	p.emu.ObjectLambda.SetTimeout(700 * time.Millisecond)
	release := make(chan struct{})
	defer close(release)
	stall := func(first string) {
		p.answers(func(_ context.Context, ev events.S3ObjectLambdaEvent) ([]byte, error) {
			p.stalledWGOR(t, ev, first, 10, release)
			return []byte(`{"statusCode":200}`), nil
		})
	}
	stall("abc")
	got := p.do(t, http.MethodGet, "/k", nil)
	assert.Equal(t, 200, got.status)
	assert.Error(t, got.err, "the body was cut at the deadline")
	assert.Less(t, len(got.body), 10)

	stall("")
	got = p.do(t, http.MethodGet, "/k", nil)
	assert.Equal(t, "500 LambdaTimeout", got.outcome())
}

// The function's context lives until the function returns, not until the
// caller's answer is through: a function still working after its WGOR
// (logging, closing) must not see its context cancelled.
func TestFunctionContextOutlivesTheAnswer(t *testing.T) {
	p := newProbe(t)
	after := make(chan error, 1)
	p.answers(func(ctx context.Context, ev events.S3ObjectLambdaEvent) ([]byte, error) {
		client := s3.NewFromConfig(p.emu.Config.Copy(), writeresponse.WithEndpoint(p.emu.URL))
		_, err := client.WriteGetObjectResponse(ctx, &s3.WriteGetObjectResponseInput{
			RequestRoute: aws.String(ev.GetObjectContext.OutputRoute), RequestToken: aws.String(ev.GetObjectContext.OutputToken),
			Body: strings.NewReader("abc"), ContentLength: aws.Int64(3)})
		if err != nil {
			after <- err
			return nil, err
		}
		// The caller's answer is through by the time WGOR returns.
		after <- ctx.Err()
		return []byte(`{"statusCode":200}`), nil
	})
	for range 5 {
		got := p.do(t, http.MethodGet, "/k", nil)
		require.Equal(t, 200, got.status)
		require.NoError(t, <-after)
	}
}

// stalledWGOR sends a WGOR announcing length bytes, writes first, and
// sends nothing more until release is closed: byte for byte on its own
// connection, since an HTTP client would buffer the first bytes.
func (p *probeEnv) stalledWGOR(t *testing.T, ev events.S3ObjectLambdaEvent, first string, length int, release <-chan struct{}) {
	req, err := http.NewRequest(http.MethodPost, p.emu.URL+"/WriteGetObjectResponse", nil)
	require.NoError(t, err)
	req.Header.Set("X-Amz-Request-Route", ev.GetObjectContext.OutputRoute)
	req.Header.Set("X-Amz-Request-Token", ev.GetObjectContext.OutputToken)
	req.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
	req.ContentLength = int64(length)
	require.NoError(t, v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: p.emu.AccessKey, SecretAccessKey: p.emu.SecretKey},
		req, "UNSIGNED-PAYLOAD", "s3-object-lambda", p.emu.Region, time.Now()))
	conn, err := net.Dial("tcp", req.URL.Host)
	require.NoError(t, err)
	defer conn.Close()
	var b strings.Builder
	fmt.Fprintf(&b, "POST /WriteGetObjectResponse HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n", req.URL.Host, length)
	for k, vs := range req.Header {
		for _, v := range vs {
			fmt.Fprintf(&b, "%s: %s\r\n", k, v)
		}
	}
	b.WriteString("\r\n" + first)
	_, err = io.WriteString(conn, b.String())
	require.NoError(t, err)
	<-release
}
