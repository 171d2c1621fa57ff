package objectlambda

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/olkit/olkit/s3err"
)

// The JSON a function answers HEAD and List with, as AWS's guide "Writing
// Lambda functions for S3 Object Lambda Access Points" documents it. S3 is
// strict about it: a required field missing, or a field of the wrong JSON
// type, is 400 LambdaInvalidResponse. The decoders below say which field.

func invalidAnswer(format string, args ...any) *s3err.Error {
	return s3err.New(http.StatusBadRequest, "LambdaInvalidResponse", "The Lambda function's response is invalid: "+format, args...)
}

// headAnswer is a decoded HEAD answer.
type headAnswer struct {
	StatusCode   int
	ErrorCode    string
	ErrorMessage string
	Header       http.Header
}

// headHeaderKinds are the HeadObject headers whose JSON type is not a
// string: S3's HeadObject has them as numbers and booleans.
var headHeaderKinds = map[string]string{
	"content-length":                                  "number",
	"x-amz-missing-meta":                              "number",
	"x-amz-mp-parts-count":                            "number",
	"x-amz-tagging-count":                             "number",
	"x-amz-delete-marker":                             "boolean",
	"x-amz-server-side-encryption-bucket-key-enabled": "boolean",
}

// decodeHead reads a HEAD answer: statusCode (a number) is required; a
// success needs headers with Content-Length (a number); each header is a
// string, or the number or boolean S3's HeadObject has there.
func decodeHead(raw []byte) (*headAnswer, *s3err.Error) {
	var a struct {
		StatusCode   *json.RawMessage           `json:"statusCode"`
		ErrorCode    *string                    `json:"errorCode"`
		ErrorMessage *string                    `json:"errorMessage"`
		Headers      map[string]json.RawMessage `json:"headers"`
	}
	if err := strictJSON(raw, &a); err != nil {
		return nil, invalidAnswer("%v", err)
	}
	status, e := decodeStatus(a.StatusCode)
	if e != nil {
		return nil, e
	}
	out := &headAnswer{StatusCode: status, ErrorCode: deref(a.ErrorCode), ErrorMessage: deref(a.ErrorMessage), Header: http.Header{}}
	for name, v := range a.Headers {
		if !validHeaderName(name) {
			return nil, invalidAnswer("headers has %q, which is not an HTTP header name", abbreviate([]byte(name)))
		}
		s, e := headerValue(name, v)
		if e != nil {
			return nil, e
		}
		out.Header[name] = []string{s}
	}
	if status/100 == 2 && out.ErrorCode == "" && out.get("content-length") == "" {
		return nil, invalidAnswer("headers.Content-Length is required")
	}
	return out, nil
}

// get looks a header up whatever the case of its name.
func (a *headAnswer) get(lower string) string {
	for k, v := range a.Header {
		if strings.ToLower(k) == lower {
			return v[0]
		}
	}
	return ""
}

// headerValue turns one header of a HEAD answer into its text.
func headerValue(name string, v json.RawMessage) (string, *s3err.Error) {
	want := headHeaderKinds[strings.ToLower(name)]
	if want == "" {
		want = "string"
	}
	var got string
	switch t := bytes.TrimSpace(v); {
	case len(t) > 0 && t[0] == '"':
		got = "string"
	case bytes.Equal(t, []byte("true")) || bytes.Equal(t, []byte("false")):
		got = "boolean"
	case len(t) > 0 && (t[0] == '-' || t[0] >= '0' && t[0] <= '9'):
		got = "number"
	default:
		return "", invalidAnswer("headers.%s must be a %s, not %s", name, want, abbreviate(t))
	}
	if got != want {
		return "", invalidAnswer("headers.%s must be a %s, not a %s (%s)", name, want, got, abbreviate(v))
	}
	switch got {
	case "string":
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return "", invalidAnswer("headers.%s: %v", name, err)
		}
		if strings.ContainsAny(s, "\r\n\x00") {
			return "", invalidAnswer("headers.%s has a line break or NUL in its value", name)
		}
		return s, nil
	case "number":
		n, err := strconv.ParseInt(string(bytes.TrimSpace(v)), 10, 64)
		if err != nil || n < 0 {
			return "", invalidAnswer("headers.%s must be a whole number from 0 up, not %s", name, abbreviate(v))
		}
		return strconv.FormatInt(n, 10), nil
	}
	return string(bytes.TrimSpace(v)), nil
}

// decodeStatus reads the required statusCode: a number that is an HTTP
// status.
func decodeStatus(raw *json.RawMessage) (int, *s3err.Error) {
	if raw == nil || string(*raw) == "null" {
		return 0, invalidAnswer("statusCode is required")
	}
	n, err := strconv.Atoi(string(bytes.TrimSpace(*raw)))
	if err != nil {
		return 0, invalidAnswer("statusCode must be a number, not %s", abbreviate(*raw))
	}
	if n < 100 || n > 599 {
		return 0, invalidAnswer("statusCode %d is not an HTTP status", n)
	}
	return n, nil
}

// listAnswer is a decoded List answer: the XML to send, or an error.
type listAnswer struct {
	StatusCode   int
	ErrorCode    string
	ErrorMessage string
	XML          string
}

// decodeList reads a List answer: listResultXml (a string) or
// listBucketResult, never both; a listBucketResult must carry the fields
// S3's guide marks required (v2 adds keyCount).
func decodeList(raw []byte, v2 bool) (*listAnswer, *s3err.Error) {
	var a struct {
		StatusCode       *json.RawMessage `json:"statusCode"`
		ErrorCode        *string          `json:"errorCode"`
		ErrorMessage     *string          `json:"errorMessage"`
		ListResultXML    *string          `json:"listResultXml"`
		ListBucketResult json.RawMessage  `json:"listBucketResult"`
	}
	if err := strictJSON(raw, &a); err != nil {
		return nil, invalidAnswer("%v", err)
	}
	status, e := decodeStatus(a.StatusCode)
	if e != nil {
		return nil, e
	}
	out := &listAnswer{StatusCode: status, ErrorCode: deref(a.ErrorCode), ErrorMessage: deref(a.ErrorMessage)}
	hasResult := len(a.ListBucketResult) > 0 && string(a.ListBucketResult) != "null"
	switch {
	case a.ListResultXML != nil && hasResult:
		return nil, invalidAnswer("listResultXml and listBucketResult are both set; answer one")
	case a.ListResultXML != nil:
		out.XML = *a.ListResultXML
	case hasResult:
		x, e := renderListing(a.ListBucketResult, v2)
		if e != nil {
			return nil, e
		}
		out.XML = x
	}
	if out.XML == "" && out.ErrorCode == "" && status < 300 {
		return nil, invalidAnswer("a successful List answer needs listResultXml or listBucketResult")
	}
	return out, nil
}

// strictJSON decodes one JSON object into v, and nothing after it.
func strictJSON(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("not the JSON object S3 expects: %v", err)
	}
	if dec.More() {
		return fmt.Errorf("more than one JSON value")
	}
	return nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// abbreviate quotes a JSON value for a message, shortened.
func abbreviate(v []byte) string {
	s := string(bytes.TrimSpace(v))
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	if s == "" {
		return "nothing"
	}
	return s
}

// validHeaderName reports whether name is an HTTP token (RFC 9110 5.1).
func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return true
}
