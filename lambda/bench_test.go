package lambda_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/olkit/olkit/internal/fakes3"
)

// benchSize is the object each benchmark iteration moves.
const benchSize = 64 << 20

func benchServer(b *testing.B) *env {
	e := setup(b)
	e.s3.KeepBody = 0
	e.s3.Put("bench", fakes3.Object{Header: http.Header{"Content-Type": {"application/octet-stream"}}, Size: benchSize,
		Body: func() io.Reader { return fakes3.Pattern(benchSize) }})
	return e
}

// BenchmarkHandlerIdentity is one GetObject through the olkit handler: fetch
// inputS3Url, the identity chain, WGOR through aws-sdk-go-v2.
func BenchmarkHandlerIdentity(b *testing.B) {
	e := benchServer(b)
	b.SetBytes(benchSize)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.h.Handle(context.Background(), e.s3.Event("bench", "", nil)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlainProxy is the floor a user would compare against: a
// hand-written streaming GET then POST with net/http, no SDK, no chain.
func BenchmarkPlainProxy(b *testing.B) {
	e := benchServer(b)
	b.SetBytes(benchSize)
	b.ReportAllocs()
	for b.Loop() {
		resp := fetch(b, e)
		post(b, e.s3.URL, resp.Body, resp.ContentLength)
		resp.Body.Close()
	}
}

// BenchmarkBufferedProxy reads the whole object into memory before
// answering, as AWS's sample functions do: compare its B/op.
func BenchmarkBufferedProxy(b *testing.B) {
	e := benchServer(b)
	b.SetBytes(benchSize)
	b.ReportAllocs()
	for b.Loop() {
		resp := fetch(b, e)
		data, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			b.Fatal(err)
		}
		post(b, e.s3.URL, bytes.NewReader(data), int64(len(data)))
	}
}

func fetch(b *testing.B, e *env) *http.Response {
	ev := e.s3.Event("bench", "", nil)
	resp, err := http.Get(ev.GetObjectContext.InputS3URL)
	if err != nil {
		b.Fatal(err)
	}
	return resp
}

func post(b *testing.B, base string, body io.Reader, size int64) {
	req, _ := http.NewRequest(http.MethodPost, base+"/WriteGetObjectResponse", body)
	req.ContentLength = size
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3-object-lambda/aws4_request")
	req.Header.Set("X-Amz-Request-Route", "r")
	req.Header.Set("X-Amz-Request-Token", "t")
	req.Header.Set("X-Amz-Fwd-Status", "200")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("WGOR answered %s", resp.Status)
	}
}
