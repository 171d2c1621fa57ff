package s3api

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/olkit/olkit/localemu/internal/policy"
	"github.com/olkit/olkit/localemu/internal/store"
	"github.com/olkit/olkit/s3err"
)

// Bucket policies: stored as sent, parsed again at every decision.

func getBucketPolicy(c *call) error {
	b, err := c.h.cfg.Store.GetBucket(c.route.Bucket)
	if err != nil {
		return err
	}
	if b.Policy == "" {
		return s3err.New(http.StatusNotFound, "NoSuchBucketPolicy", "The bucket policy does not exist")
	}
	c.w.Header().Set("Content-Type", "application/json")
	c.w.WriteHeader(http.StatusOK)
	_, err = io.WriteString(c.w, b.Policy)
	return err
}

func putBucketPolicy(c *call) error {
	if _, err := c.h.cfg.Store.GetBucket(c.route.Bucket); err != nil {
		return err
	}
	doc, err := io.ReadAll(&limitedReader{r: c.auth.Body, n: policy.MaxSize + 1})
	if err != nil {
		return s3err.From(err)
	}
	p, err := policy.Parse(doc)
	if errors.Is(err, policy.ErrUnsupported) {
		return s3err.New(http.StatusNotImplemented, "NotImplemented", "localemu does not evaluate this policy: %v", err)
	}
	if err != nil {
		return s3err.New(http.StatusBadRequest, "MalformedPolicy", "%v", err)
	}
	if err := policyOnBucket(p, c.route.Bucket); err != nil {
		return err
	}
	err = c.h.cfg.Store.UpdateBucket(c.route.Bucket, func(b *store.Bucket) error { b.Policy = string(doc); return nil })
	if err != nil {
		return err
	}
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

// policyOnBucket refuses, as S3 does, a resource outside the bucket.
func policyOnBucket(p *policy.Policy, bucket string) error {
	for _, st := range p.Statements {
		for _, r := range st.Resources {
			name, _, _ := strings.Cut(strings.TrimPrefix(r, "arn:aws:s3:::"), "/")
			if r != "*" && !policy.Wildcard(name, bucket) {
				return s3err.New(http.StatusBadRequest, "MalformedPolicy", "Policy has invalid resource: %s is not in bucket %s", r, bucket)
			}
		}
	}
	return nil
}

func deleteBucketPolicy(c *call) error {
	err := c.h.cfg.Store.UpdateBucket(c.route.Bucket, func(b *store.Bucket) error { b.Policy = ""; return nil })
	if err != nil {
		return err
	}
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}
