package s3api

import (
	"encoding/xml"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/olkit/olkit/localemu/internal/store"
	"github.com/olkit/olkit/s3err"
)

// Bucket tagging and ownership controls.

// validateBucketTags applies S3's bucket tag rules: at most 50, keys of
// 1 to 128 and values of at most 256 characters, no duplicate keys, and
// no key in the aws: namespace.
func validateBucketTags(tags []store.Tag) error {
	if len(tags) > 50 {
		return s3err.New(http.StatusBadRequest, "InvalidTag", "Bucket tag count cannot be greater than 50")
	}
	seen := map[string]bool{}
	for _, t := range tags {
		switch {
		case t.Key == "" || utf8.RuneCountInString(t.Key) > 128:
			return s3err.New(http.StatusBadRequest, "InvalidTag", "The TagKey you have provided is invalid")
		case utf8.RuneCountInString(t.Value) > 256:
			return s3err.New(http.StatusBadRequest, "InvalidTag", "The TagValue you have provided is invalid")
		case strings.HasPrefix(strings.ToLower(t.Key), "aws:"):
			return s3err.New(http.StatusBadRequest, "InvalidTag", "System tags cannot be added/updated by requester")
		case seen[t.Key]:
			return s3err.New(http.StatusBadRequest, "InvalidTag", "Cannot provide multiple Tags with the same key")
		}
		seen[t.Key] = true
	}
	return nil
}

func getBucketTagging(c *call) error {
	b, err := c.h.cfg.Store.GetBucket(c.route.Bucket)
	if err != nil {
		return err
	}
	if len(b.Tags) == 0 {
		return s3err.New(http.StatusNotFound, "NoSuchTagSet", "The TagSet does not exist")
	}
	return c.writeXML(tagSet{NS: s3NS, Tags: b.Tags})
}

func putBucketTagging(c *call) error {
	if _, err := c.h.cfg.Store.GetBucket(c.route.Bucket); err != nil {
		return err
	}
	var ts tagSet
	if err := c.readIntegrityXML(&ts); err != nil {
		return err
	}
	if err := validateBucketTags(ts.Tags); err != nil {
		return err
	}
	return c.setBucketTags(ts.Tags, http.StatusNoContent)
}

func deleteBucketTagging(c *call) error { return c.setBucketTags(nil, http.StatusNoContent) }

func (c *call) setBucketTags(tags []store.Tag, status int) error {
	err := c.h.cfg.Store.UpdateBucket(c.route.Bucket, func(b *store.Bucket) error { b.Tags = tags; return nil })
	if err != nil {
		return err
	}
	c.w.WriteHeader(status)
	return nil
}

// Ownership controls: the emulator's buckets behave as ObjectWriter
// (ACLs enabled, the writer owns what it writes); it says so, accepts
// that setting, and refuses the others, which it does not model, with
// 501 rather than ignoring them.

type ownershipControls struct {
	XMLName xml.Name `xml:"OwnershipControls"`
	NS      string   `xml:"xmlns,attr,omitempty"`
	Rules   []struct {
		ObjectOwnership string
	} `xml:"Rule"`
}

func getBucketOwnershipControls(c *call) error {
	if _, err := c.h.cfg.Store.GetBucket(c.route.Bucket); err != nil {
		return err
	}
	oc := ownershipControls{NS: s3NS}
	oc.Rules = append(oc.Rules, struct{ ObjectOwnership string }{"ObjectWriter"})
	return c.writeXML(oc)
}

func putBucketOwnershipControls(c *call) error {
	if _, err := c.h.cfg.Store.GetBucket(c.route.Bucket); err != nil {
		return err
	}
	var oc ownershipControls
	if err := c.readXML(&oc); err != nil {
		return err
	}
	if len(oc.Rules) != 1 {
		return s3err.New(http.StatusBadRequest, "MalformedXML", "OwnershipControls takes exactly one Rule")
	}
	switch oc.Rules[0].ObjectOwnership {
	case "ObjectWriter":
		c.w.WriteHeader(http.StatusOK)
		return nil
	case "BucketOwnerPreferred", "BucketOwnerEnforced":
		return s3err.New(http.StatusNotImplemented, "NotImplemented", "localemu buckets are ObjectWriter only; %s is not modelled", oc.Rules[0].ObjectOwnership)
	}
	return s3err.New(http.StatusBadRequest, "MalformedXML", "ObjectOwnership %q is not BucketOwnerEnforced, BucketOwnerPreferred or ObjectWriter", oc.Rules[0].ObjectOwnership)
}
