package s3api

import (
	"encoding/base64"
	"testing"
	"time"
)

func TestPostPolicyCheck(t *testing.T) {
	doc := `{"expiration":"2030-01-01T00:00:00Z","conditions":[{"bucket":"b"},["starts-with","$key","u/"],["eq","$acl","private"],["content-length-range",1,10],["starts-with","$Content-Type","image/"]]}`
	p, err := parsePostPolicy(base64.StdEncoding.EncodeToString([]byte(doc)))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2029, 1, 1, 0, 0, 0, 0, time.UTC)
	ok := map[string]string{"bucket": "b", "key": "u/x", "acl": "private", "content-type": "image/png, image/jpeg", "policy": "p", "x-ignore-me": "1"}
	if err := p.check(ok, now); err != nil {
		t.Fatalf("a form meeting the policy: %v", err)
	}
	for name, edit := range map[string]func(map[string]string){
		"key outside prefix":   func(f map[string]string) { f["key"] = "v/x" },
		"other acl":            func(f map[string]string) { f["acl"] = "public-read" },
		"one type not allowed": func(f map[string]string) { f["content-type"] = "image/png, text/html" },
		"extra field":          func(f map[string]string) { f["x-amz-meta-a"] = "1" },
		"missing field":        func(f map[string]string) { delete(f, "acl") },
	} {
		f := map[string]string{}
		for k, v := range ok {
			f[k] = v
		}
		edit(f)
		if p.check(f, now) == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if p.check(ok, time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)) == nil {
		t.Error("an expired policy was accepted")
	}
	if p.lengthOK(0) == nil || p.lengthOK(11) == nil || p.lengthOK(10) != nil {
		t.Error("content-length-range is not applied as 1..10")
	}
	for _, bad := range []string{"not base64!", base64.StdEncoding.EncodeToString([]byte(`{"expiration":"soon","conditions":[]}`)),
		base64.StdEncoding.EncodeToString([]byte(`{"expiration":"2030-01-01T00:00:00Z","conditions":[["between","$key","a"]]}`))} {
		if _, err := parsePostPolicy(bad); err == nil {
			t.Errorf("parsePostPolicy(%q) accepted", bad)
		}
	}
}

// FuzzPostPolicy: any policy document parses or fails cleanly, and a
// parsed one checks any form without panicking.
func FuzzPostPolicy(f *testing.F) {
	f.Add(`{"expiration":"2030-01-01T00:00:00Z","conditions":[{"bucket":"b"},["starts-with","$key",""],["content-length-range",0,5]]}`, "k")
	f.Add(`{"expiration":"2030-01-01T00:00:00Z","conditions":[["eq","$Content-Type","a,b"],{"$x":"y"}]}`, "")
	f.Fuzz(func(t *testing.T, doc, key string) {
		p, err := parsePostPolicy(base64.StdEncoding.EncodeToString([]byte(doc)))
		if err != nil {
			return
		}
		p.check(map[string]string{"key": key, "content-type": key, "bucket": "b"}, time.Now())
		p.lengthOK(int64(len(key)))
	})
}
