package objectlambda

import (
	"encoding/xml"
	"strconv"
	"strings"
	"testing"

	"github.com/olkit/olkit/s3err"
)

// FuzzDecodeHead: any bytes a function returns give a HEAD answer or a
// LambdaInvalidResponse, never a panic; an accepted answer has an HTTP
// status, and a success has a whole Content-Length; no header value can
// split the response.
func FuzzDecodeHead(f *testing.F) {
	for _, s := range []string{
		`{"statusCode":200,"headers":{"Content-Length":3,"x-amz-delete-marker":true,"ETag":"\"e\""}}`,
		`{"statusCode":404,"errorCode":"NoSuchKey","errorMessage":"gone"}`,
		`{"statusCode":304}`, `{"errorCode":"X"}`, `{"statusCode":200,"headers":{"Content-Length":"3"}}`,
		`{"statusCode":2e2,"headers":{"Content-Length":-1}}`, `null`, `[]`, `{"headers":null}`, `{"statusCode":200}{}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		a, e := decodeHead(raw)
		if !accepted(t, a != nil, e) {
			return
		}
		checkStatus(t, a.StatusCode)
		if a.StatusCode/100 == 2 && a.ErrorCode == "" {
			if n, err := strconv.ParseInt(a.get("content-length"), 10, 64); err != nil || n < 0 {
				t.Fatalf("Content-Length %q accepted", a.get("content-length"))
			}
		}
		for k, v := range a.Header {
			if !validHeaderName(k) || strings.ContainsAny(k, " :\r\n") {
				t.Fatalf("header name %q accepted", k)
			}
			if strings.ContainsAny(v[0], "\r\n") {
				t.Fatalf("header %s=%q accepted", k, v[0])
			}
		}
	})
}

// FuzzDecodeList: any bytes give a List answer or a LambdaInvalidResponse;
// a listBucketResult accepted renders as XML that reads back.
func FuzzDecodeList(f *testing.F) {
	for _, s := range []string{
		`{"statusCode":200,"listBucketResult":{"name":"b","maxKeys":1,"isTruncated":false,"keyCount":1,"contents":[{"key":"a<&>","size":1,"owner":{"id":"i","displayName":"d"}}],"commonPrefixes":[{"prefix":"p/"}]}}`,
		`{"statusCode":200,"listResultXml":"<ListBucketResult/>"}`,
		`{"statusCode":200,"listResultXml":"x","listBucketResult":{}}`,
		`{"statusCode":403,"errorCode":"AccessDenied"}`, `{"statusCode":200,"listBucketResult":{"name":"\u0000"}}`,
	} {
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, raw []byte, v2 bool) {
		a, e := decodeList(raw, v2)
		if !accepted(t, a != nil, e) {
			return
		}
		checkStatus(t, a.StatusCode)
		if strings.HasPrefix(a.XML, xml.Header) { // rendered from listBucketResult
			var back struct {
				Name string `xml:"Name"`
			}
			if err := xml.Unmarshal([]byte(a.XML), &back); err != nil {
				t.Fatalf("rendered XML does not read back: %v\n%s", err, a.XML)
			}
		}
	})
}

// accepted reports whether a decoder accepted an answer; a refusal must be
// a 400 LambdaInvalidResponse, and exactly one of answer and error is set.
func accepted(t *testing.T, answered bool, e *s3err.Error) bool {
	t.Helper()
	if answered == (e != nil) {
		t.Fatalf("answered %v with error %v", answered, e)
	}
	if e != nil && (e.Code != "LambdaInvalidResponse" || e.Status != 400) {
		t.Fatalf("error %v", e)
	}
	return answered
}

func checkStatus(t *testing.T, status int) {
	t.Helper()
	if status < 100 || status > 599 {
		t.Fatalf("status %d accepted", status)
	}
}
