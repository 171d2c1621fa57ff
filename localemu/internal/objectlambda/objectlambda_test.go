package objectlambda_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/middleware"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/internal/compresstest"
	"github.com/olkit/olkit/lambda"
	"github.com/olkit/olkit/localemu/emutest"
	"github.com/olkit/olkit/localemu/internal/function"
	"github.com/olkit/olkit/localemu/internal/objectlambda"
	_ "github.com/olkit/olkit/transforms/builtin"
	"github.com/olkit/olkit/writeresponse"
)

var all = objectlambda.AccessPoint{AllowedFeatures: objectlambda.Features, Actions: objectlambda.Actions}

type env struct {
	emu    *emutest.Emulator
	s3     *s3.Client // path style
	olkit  *lambda.Handler
	logged *strings.Builder
}

// setup starts an emulator with bucket "data", the real olkit handler in
// process as function "olkit", and access point "dec" (decompress) over it.
func setup(t *testing.T) *env {
	emu := emutest.New(t)
	client := s3.NewFromConfig(emu.Config, func(o *s3.Options) { o.UsePathStyle = true })
	_, err := client.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String("data")})
	require.NoError(t, err)
	cfg := emu.Config.Copy()
	h := lambda.NewForEndpoint(cfg, emu.URL)
	h.DefaultPayload = ""
	emu.ObjectLambda.SetFunction("olkit", function.Func(h.Invoke))
	ap := all
	ap.Name, ap.Bucket, ap.Function, ap.Payload = "dec", "data", "olkit", `{"transforms":[{"name":"decompress"}]}`
	require.NoError(t, emu.ObjectLambda.Put(ap))
	return &env{emu: emu, s3: client, olkit: h}
}

func (e *env) put(t *testing.T, key string, body []byte, enc string) {
	in := &s3.PutObjectInput{Bucket: aws.String("data"), Key: aws.String(key), Body: bytes.NewReader(body)}
	if enc != "" {
		in.ContentEncoding = aws.String(enc)
	}
	_, err := e.s3.PutObject(context.Background(), in)
	require.NoError(t, err)
}

func httpStatus(err error) int {
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func TestGetThroughAliasAndARN(t *testing.T) {
	e := setup(t)
	plain := bytes.Repeat([]byte("object lambda, locally. "), 5000)
	e.put(t, "logs/a.txt.gz", compresstest.Gzip(plain), "gzip")
	alias := e.emu.ObjectLambda.Alias("dec")
	assert.Regexp(t, `^dec-[a-z2-7]{26}--ol-s3$`, alias)

	// The alias, wherever a bucket name goes; the SDK's checksum mode on.
	out, err := e.s3.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(alias), Key: aws.String("logs/a.txt.gz"), ChecksumMode: "ENABLED"})
	require.NoError(t, err)
	got, err := io.ReadAll(out.Body)
	require.NoError(t, err)
	assert.Equal(t, plain, got)
	assert.Equal(t, "text/plain", aws.ToString(out.ContentType))
	assert.Nil(t, out.ContentEncoding)
	assert.NotNil(t, out.ChecksumCRC32, "the checksum of the bytes sent, in the original's algorithm (the SDK stored a CRC32)")
	reqID, ok := middleware.GetRequestIDMetadata(out.ResultMetadata)
	assert.True(t, ok && reqID != "", "the answer carries x-amz-request-id")

	// The ARN: the SDK makes it a virtual host signed for s3-object-lambda.
	cfg := e.emu.LoadConfig(t, strings.Replace(e.emu.URL, "127.0.0.1", "localhost", 1))
	arnClient := s3.NewFromConfig(cfg)
	out, err = arnClient.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(e.emu.ObjectLambda.ARN("dec")), Key: aws.String("logs/a.txt.gz")})
	require.NoError(t, err)
	got, _ = io.ReadAll(out.Body)
	assert.Equal(t, plain, got)

	// The alias as a virtual host: alias.localhost.
	vhClient := s3.NewFromConfig(cfg)
	out, err = vhClient.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(alias), Key: aws.String("logs/a.txt.gz")})
	require.NoError(t, err)
	got, _ = io.ReadAll(out.Body)
	assert.Equal(t, plain, got)

	// A range of the transformed bytes.
	out, err = e.s3.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(alias), Key: aws.String("logs/a.txt.gz"), Range: aws.String("bytes=7-12")})
	require.NoError(t, err)
	got, _ = io.ReadAll(out.Body)
	assert.Equal(t, "lambda", string(got))
	assert.Equal(t, fmt.Sprintf("bytes 7-12/%d", len(plain)), aws.ToString(out.ContentRange))
}

func TestHeadListAndPassThrough(t *testing.T) {
	e := setup(t)
	e.put(t, "x.csv.gz", compresstest.Gzip([]byte("a,b\n1,2\n")), "gzip")
	alias := e.emu.ObjectLambda.Alias("dec")
	// A HEAD states the decompressed length (the function counts it,
	// reading through the supporting access point), as AWS requires.
	head, err := e.s3.HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String(alias), Key: aws.String("x.csv.gz")})
	require.NoError(t, err)
	assert.Equal(t, int64(len("a,b\n1,2\n")), aws.ToInt64(head.ContentLength))
	assert.Equal(t, "text/csv", aws.ToString(head.ContentType))
	assert.Nil(t, head.ContentEncoding)

	list, err := e.s3.ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{Bucket: aws.String(alias)})
	require.NoError(t, err)
	require.Len(t, list.Contents, 1)
	assert.Equal(t, "x.csv.gz", aws.ToString(list.Contents[0].Key))

	// PutObject is not transformed: it goes to the supporting bucket.
	_, err = e.s3.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(alias), Key: aws.String("via-ap.txt"), Body: strings.NewReader("hi")})
	require.NoError(t, err)
	raw, err := e.s3.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String("data"), Key: aws.String("via-ap.txt")})
	require.NoError(t, err)
	b, _ := io.ReadAll(raw.Body)
	assert.Equal(t, "hi", string(b))
}

func TestFeaturesNotAllowedAre501(t *testing.T) {
	e := setup(t)
	require.NoError(t, e.emu.ObjectLambda.Put(objectlambda.AccessPoint{Name: "plain", Bucket: "data", Function: "olkit", Actions: []string{"GetObject"}}))
	e.put(t, "f.txt", []byte("0123456789"), "")
	alias := e.emu.ObjectLambda.Alias("plain")
	_, err := e.s3.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(alias), Key: aws.String("f.txt"), Range: aws.String("bytes=0-1")})
	assert.Equal(t, "NotImplemented", apiCode(err))
	_, err = e.s3.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(alias), Key: aws.String("f.txt"), PartNumber: aws.Int32(1)})
	assert.Equal(t, "NotImplemented", apiCode(err))
	out, err := e.s3.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(alias), Key: aws.String("f.txt")})
	require.NoError(t, err)
	b, _ := io.ReadAll(out.Body)
	assert.Equal(t, "0123456789", string(b))
}

// misbehave registers a function doing what the test says.
func (e *env) misbehave(t *testing.T, name string, fn func(ctx context.Context, ev events.S3ObjectLambdaEvent) ([]byte, error)) string {
	e.emu.ObjectLambda.SetFunction(name, function.Func(func(ctx context.Context, raw []byte) ([]byte, error) {
		var ev events.S3ObjectLambdaEvent
		require.NoError(t, json.Unmarshal(raw, &ev))
		return fn(ctx, ev)
	}))
	require.NoError(t, e.emu.ObjectLambda.Put(objectlambda.AccessPoint{Name: name, Bucket: "data", Function: name, Actions: []string{"GetObject"}}))
	return e.emu.ObjectLambda.Alias(name)
}

// wgor sends a WGOR with headers as a function would, over plain HTTP.
func (e *env) wgor(t *testing.T, ev events.S3ObjectLambdaEvent, status string, headers map[string]string, body string) int {
	cfg := e.emu.Config.Copy()
	client := s3.NewFromConfig(cfg, writeresponse.WithEndpoint(e.emu.URL))
	in := &s3.WriteGetObjectResponseInput{RequestRoute: aws.String(ev.GetObjectContext.OutputRoute), RequestToken: aws.String(ev.GetObjectContext.OutputToken)}
	var st int32
	fmt.Sscan(status, &st)
	in.StatusCode = aws.Int32(st)
	if v, ok := headers["code"]; ok {
		in.ErrorCode = aws.String(v)
	}
	if v, ok := headers["crc32"]; ok {
		in.ChecksumCRC32 = aws.String(v)
	}
	if body != "" {
		in.Body = strings.NewReader(body)
		in.ContentLength = aws.Int64(int64(len(body)))
	}
	_, err := client.WriteGetObjectResponse(context.Background(), in)
	var re interface{ HTTPStatusCode() int }
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	if err != nil {
		t.Logf("wgor: %v", err)
		return -1
	}
	return 200
}

func TestMisbehavingFunctions(t *testing.T) {
	e := setup(t)
	e.put(t, "k", []byte("x"), "")
	get := func(alias string, mode bool) error {
		in := &s3.GetObjectInput{Bucket: aws.String(alias), Key: aws.String("k")}
		if mode {
			in.ChecksumMode = "ENABLED"
		}
		out, err := e.s3.GetObject(context.Background(), in, func(o *s3.Options) { o.RetryMaxAttempts = 1 })
		if err == nil {
			_, err = io.ReadAll(out.Body)
		}
		return err
	}

	silent := e.misbehave(t, "silent", func(context.Context, events.S3ObjectLambdaEvent) ([]byte, error) { return []byte(`{}`), nil })
	assert.Equal(t, "LambdaResponseNotReceived", apiCode(get(silent, false)))

	failing := e.misbehave(t, "failing", func(context.Context, events.S3ObjectLambdaEvent) ([]byte, error) {
		return nil, &function.Error{Type: "errorString", Message: "boom"}
	})
	assert.Equal(t, "LambdaRuntimeError", apiCode(get(failing, false)))

	require.NoError(t, e.emu.ObjectLambda.Put(objectlambda.AccessPoint{Name: "ghost", Bucket: "data", Function: "nobody", Actions: []string{"GetObject"}}))
	assert.Equal(t, "LambdaNotFound", apiCode(get(e.emu.ObjectLambda.Alias("ghost"), false)))

	statuses := make(chan [2]int, 1)
	twice := e.misbehave(t, "twice", func(_ context.Context, ev events.S3ObjectLambdaEvent) ([]byte, error) {
		first := e.wgor(t, ev, "200", nil, "first")
		statuses <- [2]int{first, e.wgor(t, ev, "200", nil, "second")}
		return []byte(`{}`), nil
	})
	require.NoError(t, get(twice, false))
	assert.Equal(t, [2]int{200, 400}, <-statuses, "a token is single-use")

	bad := make(chan [2]int, 1)
	invalid := e.misbehave(t, "invalid", func(_ context.Context, ev events.S3ObjectLambdaEvent) ([]byte, error) {
		bad <- [2]int{e.wgor(t, ev, "200", map[string]string{"code": "NoSuchKey"}, ""), e.wgor(t, ev, "404", map[string]string{"code": "not-valid"}, "")}
		return []byte(`{}`), nil
	})
	assert.Equal(t, "LambdaResponseNotReceived", apiCode(get(invalid, false)))
	assert.Equal(t, [2]int{400, 400}, <-bad, "an error code with a success status, an invalid code: refused")

	wrongSum := e.misbehave(t, "wrongsum", func(_ context.Context, ev events.S3ObjectLambdaEvent) ([]byte, error) {
		e.wgor(t, ev, "200", map[string]string{"crc32": "AAAAAA=="}, "payload")
		return []byte(`{}`), nil
	})
	assert.Error(t, get(wrongSum, true), "a checksum that does not match the bytes fails a checksum-mode download")

	slow := e.misbehave(t, "slow", func(ctx context.Context, _ events.S3ObjectLambdaEvent) ([]byte, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	})
	e.emu.ObjectLambda.SetTimeout(300 * time.Millisecond)
	assert.Equal(t, "LambdaTimeout", apiCode(get(slow, false)))
}

func TestConcurrentGets(t *testing.T) {
	e := setup(t)
	plain := bytes.Repeat([]byte("concurrency "), 20000)
	e.put(t, "c.gz", compresstest.Gzip(plain), "gzip")
	alias := e.emu.ObjectLambda.Alias("dec")
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := e.s3.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(alias), Key: aws.String("c.gz")})
			if err == nil {
				var got []byte
				got, err = io.ReadAll(out.Body)
				if err == nil && !bytes.Equal(got, plain) {
					err = errors.New("wrong bytes")
				}
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
}

// A function may answer a listing as listBucketResult JSON, as AWS's
// documentation shows; the emulator renders it as S3's XML.
func TestListBucketResultJSON(t *testing.T) {
	e := setup(t)
	e.emu.ObjectLambda.SetFunction("lister", function.Func(func(context.Context, []byte) ([]byte, error) {
		return []byte(`{"statusCode":200,"listBucketResult":{"name":"data","prefix":"","keyCount":1,"maxKeys":1000,"isTruncated":false,
			"contents":[{"key":"made-up.txt","size":42,"eTag":"\"e\"","lastModified":"2026-01-02T03:04:05.000Z","storageClass":"STANDARD"}]}}`), nil
	}))
	require.NoError(t, e.emu.ObjectLambda.Put(objectlambda.AccessPoint{Name: "lister", Bucket: "data", Function: "lister", Actions: []string{"ListObjectsV2"}}))
	out, err := e.s3.ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{Bucket: aws.String(e.emu.ObjectLambda.Alias("lister"))})
	require.NoError(t, err)
	require.Len(t, out.Contents, 1)
	assert.Equal(t, "made-up.txt", aws.ToString(out.Contents[0].Key))
	assert.Equal(t, int64(42), aws.ToInt64(out.Contents[0].Size))
	assert.Equal(t, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), aws.ToTime(out.Contents[0].LastModified))

	e.emu.ObjectLambda.SetFunction("lister", function.Func(func(context.Context, []byte) ([]byte, error) { return []byte(`{"statusCode":200}`), nil }))
	_, err = e.s3.ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{Bucket: aws.String(e.emu.ObjectLambda.Alias("lister"))})
	assert.Equal(t, "LambdaInvalidResponse", apiCode(err))
}
