package s3api

import (
	"encoding/xml"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/olkit/olkit/localemu/internal/policy"
	"github.com/olkit/olkit/localemu/internal/store"
	"github.com/olkit/olkit/s3err"
)

// CORS: a bucket's CORSConfiguration (Put/Get/DeleteBucketCors), the
// unauthenticated preflight OPTIONS it answers, and the Access-Control-*
// headers it adds to actual requests that carry an Origin, as S3 does.

type corsRule struct {
	ID             string   `xml:"ID,omitempty"`
	AllowedHeaders []string `xml:"AllowedHeader,omitempty"`
	AllowedMethods []string `xml:"AllowedMethod"`
	AllowedOrigins []string `xml:"AllowedOrigin"`
	ExposeHeaders  []string `xml:"ExposeHeader,omitempty"`
	MaxAgeSeconds  *int     `xml:"MaxAgeSeconds,omitempty"`
}

type corsConfig struct {
	XMLName xml.Name   `xml:"CORSConfiguration"`
	NS      string     `xml:"xmlns,attr,omitempty"`
	Rules   []corsRule `xml:"CORSRule"`
}

var corsMethods = map[string]bool{"GET": true, "PUT": true, "POST": true, "DELETE": true, "HEAD": true}

func (cc *corsConfig) check() error {
	if len(cc.Rules) == 0 || len(cc.Rules) > 100 {
		return s3err.New(http.StatusBadRequest, "MalformedXML", "a CORS configuration has 1 to 100 CORSRule elements")
	}
	for _, r := range cc.Rules {
		if len(r.AllowedOrigins) == 0 || len(r.AllowedMethods) == 0 {
			return s3err.New(http.StatusBadRequest, "MalformedXML", "every CORSRule needs an AllowedOrigin and an AllowedMethod")
		}
		for _, m := range r.AllowedMethods {
			if !corsMethods[m] {
				return s3err.InvalidRequest("Found unsupported HTTP method in CORS config. Unsupported method is %s", m)
			}
		}
		for _, o := range r.AllowedOrigins {
			if strings.Count(o, "*") > 1 {
				return s3err.InvalidRequest("AllowedOrigin %q can not have more than one wildcard.", o)
			}
		}
		for _, h := range r.AllowedHeaders {
			if strings.Count(h, "*") > 1 {
				return s3err.InvalidRequest("AllowedHeader %q can not have more than one wildcard.", h)
			}
		}
	}
	return nil
}

func putBucketCors(c *call) error {
	if _, err := c.h.cfg.Store.GetBucket(c.route.Bucket); err != nil {
		return err
	}
	var cc corsConfig
	if err := c.readIntegrityXML(&cc); err != nil {
		return err
	}
	if err := cc.check(); err != nil {
		return err
	}
	cc.NS = s3NS
	doc, err := xml.Marshal(cc)
	if err != nil {
		return err
	}
	err = c.h.cfg.Store.UpdateBucket(c.route.Bucket, func(b *store.Bucket) error { b.CORS = string(doc); return nil })
	if err != nil {
		return err
	}
	c.w.WriteHeader(http.StatusOK)
	return nil
}

func noCORS() error {
	return s3err.New(http.StatusNotFound, "NoSuchCORSConfiguration", "The CORS configuration does not exist")
}

func getBucketCors(c *call) error {
	b, err := c.h.cfg.Store.GetBucket(c.route.Bucket)
	if err != nil {
		return err
	}
	if b.CORS == "" {
		return noCORS()
	}
	c.w.Header().Set("Content-Type", "application/xml")
	c.w.WriteHeader(http.StatusOK)
	io.WriteString(c.w, xml.Header+b.CORS)
	return nil
}

func deleteBucketCors(c *call) error {
	err := c.h.cfg.Store.UpdateBucket(c.route.Bucket, func(b *store.Bucket) error { b.CORS = ""; return nil })
	if err != nil {
		return err
	}
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

func bucketCORS(b store.Bucket) *corsConfig {
	if b.CORS == "" {
		return nil
	}
	var cc corsConfig
	if xml.Unmarshal([]byte(b.CORS), &cc) != nil {
		return nil
	}
	return &cc
}

// match finds the first rule allowing origin, method and every one of
// headers (lower case), as S3 evaluates them, in order.
func (cc *corsConfig) match(origin, method string, headers []string) *corsRule {
	for i := range cc.Rules {
		r := &cc.Rules[i]
		if !anyWildcard(r.AllowedOrigins, origin, false) || !contains(r.AllowedMethods, method) {
			continue
		}
		ok := true
		for _, h := range headers {
			if !anyWildcard(r.AllowedHeaders, h, true) {
				ok = false
				break
			}
		}
		if ok {
			return r
		}
	}
	return nil
}

func anyWildcard(patterns []string, s string, fold bool) bool {
	for _, p := range patterns {
		if fold {
			p, s = strings.ToLower(p), strings.ToLower(s)
		}
		if policy.Wildcard(p, s) {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// setCORSHeaders writes what a matched rule allows.
func setCORSHeaders(h http.Header, r *corsRule, origin string) {
	allowOrigin := origin
	if contains(r.AllowedOrigins, "*") {
		allowOrigin = "*"
	} else {
		h.Set("Access-Control-Allow-Credentials", "true")
	}
	h.Set("Access-Control-Allow-Origin", allowOrigin)
	h.Set("Access-Control-Allow-Methods", strings.Join(r.AllowedMethods, ", "))
	if len(r.ExposeHeaders) > 0 {
		h.Set("Access-Control-Expose-Headers", strings.Join(r.ExposeHeaders, ","))
	}
	if r.MaxAgeSeconds != nil {
		h.Set("Access-Control-Max-Age", strconv.Itoa(*r.MaxAgeSeconds))
	}
	h.Add("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method")
}

// corsPreflight answers OPTIONS, which browsers send unsigned.
func corsPreflight(c *call) error {
	origin, method := c.r.Header.Get("Origin"), c.r.Header.Get("Access-Control-Request-Method")
	if origin == "" {
		return s3err.New(http.StatusBadRequest, "BadRequest", "Insufficient information. Origin request header needed.")
	}
	if method == "" {
		return s3err.New(http.StatusBadRequest, "BadRequest", "Invalid Access-Control-Request-Method: null")
	}
	b, err := c.h.cfg.Store.GetBucket(c.route.Bucket)
	if err != nil {
		return err
	}
	cc := bucketCORS(b)
	if cc == nil {
		return s3err.New(http.StatusForbidden, "AccessForbidden", "CORSResponse: CORS is not enabled for this bucket.")
	}
	headers := requestedHeaders(c.r)
	r := cc.match(origin, method, headers)
	if r == nil {
		return s3err.New(http.StatusForbidden, "AccessForbidden", "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.")
	}
	h := c.w.Header()
	setCORSHeaders(h, r, origin)
	if len(headers) > 0 {
		h.Set("Access-Control-Allow-Headers", strings.Join(headers, ","))
	}
	c.w.WriteHeader(http.StatusOK)
	return nil
}

// applyCORS adds the Access-Control-* headers to an actual request with
// an Origin that a bucket rule allows for its method.
func (c *call) applyCORS() {
	origin := c.r.Header.Get("Origin")
	if origin == "" || c.route.Bucket == "" || c.route.Op == "CORSPreflight" {
		return
	}
	b, err := c.h.cfg.Store.GetBucket(c.route.Bucket)
	if err != nil {
		return
	}
	// S3 evaluates an actual request that carries the preflight headers
	// as the preflight would be.
	method, headers := c.r.Method, requestedHeaders(c.r)
	if m := c.r.Header.Get("Access-Control-Request-Method"); m != "" {
		method = m
	}
	if cc := bucketCORS(b); cc != nil {
		if r := cc.match(origin, method, headers); r != nil {
			setCORSHeaders(c.w.Header(), r, origin)
		}
	}
}

// requestedHeaders lists Access-Control-Request-Headers, lower case.
func requestedHeaders(r *http.Request) []string {
	var out []string
	for _, v := range r.Header.Values("Access-Control-Request-Headers") {
		for _, h := range strings.Split(v, ",") {
			if h = strings.TrimSpace(h); h != "" {
				out = append(out, strings.ToLower(h))
			}
		}
	}
	return out
}
