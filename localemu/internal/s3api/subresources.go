package s3api

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/olkit/olkit/localemu/internal/store"
	"github.com/olkit/olkit/s3err"
)

// Tagging.

type tagSet struct {
	XMLName xml.Name    `xml:"Tagging"`
	NS      string      `xml:"xmlns,attr,omitempty"`
	Tags    []store.Tag `xml:"TagSet>Tag"`
}

func validateTags(tags []store.Tag) error {
	if len(tags) > 10 {
		return s3err.New(http.StatusBadRequest, "BadRequest", "Object tags cannot be greater than 10")
	}
	seen := map[string]bool{}
	for _, t := range tags {
		if t.Key == "" || utf8.RuneCountInString(t.Key) > 128 || utf8.RuneCountInString(t.Value) > 256 {
			return s3err.New(http.StatusBadRequest, "InvalidTag", "The TagKey you have provided is invalid")
		}
		if seen[t.Key] {
			return s3err.New(http.StatusBadRequest, "InvalidTag", "Cannot provide multiple Tags with the same key")
		}
		seen[t.Key] = true
	}
	return nil
}

// parseTagQuery reads x-amz-tagging: "k1=v1&k2=v2".
func parseTagQuery(s string) ([]store.Tag, error) {
	var tags []store.Tag
	for _, kv := range strings.Split(s, "&") {
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		k, err1 := url.QueryUnescape(k)
		v, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			return nil, s3err.New(http.StatusBadRequest, "InvalidArgument", "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.")
		}
		tags = append(tags, store.Tag{Key: k, Value: v})
	}
	return tags, validateTags(tags)
}

func getObjectTagging(c *call) error {
	o, err := c.h.cfg.Store.Get(c.route.Bucket, c.route.Key, c.q.Get("versionId"))
	if err != nil {
		return err
	}
	setVersionHeader(c.w.Header(), o)
	return c.writeXML(tagSet{NS: s3NS, Tags: o.Tags})
}

func putObjectTagging(c *call) error {
	var ts tagSet
	if err := c.readXML(&ts); err != nil {
		return err
	}
	if err := validateTags(ts.Tags); err != nil {
		return err
	}
	return c.updateObject(func(o *store.Object) error { o.Tags = ts.Tags; return nil }, http.StatusOK)
}

func deleteObjectTagging(c *call) error {
	return c.updateObject(func(o *store.Object) error { o.Tags = nil; return nil }, http.StatusNoContent)
}

func (c *call) updateObject(fn func(*store.Object) error, status int) error {
	o, err := c.h.cfg.Store.Update(c.route.Bucket, c.route.Key, c.q.Get("versionId"), fn)
	if err != nil {
		return err
	}
	setVersionHeader(c.w.Header(), o)
	c.w.WriteHeader(status)
	return nil
}

// Object lock.

type lockConfigXML struct {
	XMLName           xml.Name `xml:"ObjectLockConfiguration"`
	NS                string   `xml:"xmlns,attr,omitempty"`
	ObjectLockEnabled string   `xml:",omitempty"`
	Rule              *struct {
		DefaultRetention struct {
			Mode  string
			Days  int `xml:",omitempty"`
			Years int `xml:",omitempty"`
		}
	} `xml:",omitempty"`
}

func noLockConfig() error {
	return s3err.New(http.StatusNotFound, "ObjectLockConfigurationNotFoundError", "Object Lock configuration does not exist for this bucket")
}

func getObjectLockConfiguration(c *call) error {
	b, err := c.h.cfg.Store.GetBucket(c.route.Bucket)
	if err != nil {
		return err
	}
	if b.ObjectLock == nil {
		return noLockConfig()
	}
	res := lockConfigXML{NS: s3NS, ObjectLockEnabled: "Enabled"}
	if b.ObjectLock.Mode != "" {
		res.Rule = &struct {
			DefaultRetention struct {
				Mode  string
				Days  int `xml:",omitempty"`
				Years int `xml:",omitempty"`
			}
		}{}
		res.Rule.DefaultRetention.Mode = b.ObjectLock.Mode
		res.Rule.DefaultRetention.Days = b.ObjectLock.Days
		res.Rule.DefaultRetention.Years = b.ObjectLock.Year
	}
	return c.writeXML(res)
}

func validMode(m string) bool { return m == "GOVERNANCE" || m == "COMPLIANCE" }

func putObjectLockConfiguration(c *call) error {
	var conf lockConfigXML
	if err := c.readXML(&conf); err != nil {
		return err
	}
	if conf.ObjectLockEnabled != "Enabled" {
		return s3err.New(http.StatusBadRequest, "MalformedXML", "ObjectLockEnabled must be Enabled")
	}
	lc := &store.LockConfig{}
	if conf.Rule != nil {
		d := conf.Rule.DefaultRetention
		if !validMode(d.Mode) || (d.Days > 0) == (d.Years > 0) {
			return s3err.New(http.StatusBadRequest, "MalformedXML", "DefaultRetention needs a Mode (GOVERNANCE or COMPLIANCE) and either Days or Years")
		}
		lc.Mode, lc.Days, lc.Year = d.Mode, d.Days, d.Years
	}
	err := c.h.cfg.Store.UpdateBucket(c.route.Bucket, func(b *store.Bucket) error {
		if b.ObjectLock == nil && b.Versioning != store.VersioningEnabled {
			return s3err.New(http.StatusConflict, "InvalidBucketState", "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration")
		}
		b.ObjectLock, b.Versioning = lc, store.VersioningEnabled
		return nil
	})
	if err != nil {
		return err
	}
	c.w.WriteHeader(http.StatusOK)
	return nil
}

func (c *call) lockBucket() (store.Bucket, error) {
	b, err := c.h.cfg.Store.GetBucket(c.route.Bucket)
	if err != nil {
		return b, err
	}
	if b.ObjectLock == nil {
		return b, s3err.InvalidRequest("Bucket is missing Object Lock Configuration")
	}
	return b, nil
}

type retentionXML struct {
	XMLName         xml.Name `xml:"Retention"`
	NS              string   `xml:"xmlns,attr,omitempty"`
	Mode            string   `xml:",omitempty"`
	RetainUntilDate string   `xml:",omitempty"`
}

func getObjectRetention(c *call) error {
	if _, err := c.lockBucket(); err != nil {
		return err
	}
	o, err := c.h.cfg.Store.Get(c.route.Bucket, c.route.Key, c.q.Get("versionId"))
	if err != nil {
		return err
	}
	if o.LockMode == "" {
		return s3err.New(http.StatusNotFound, "NoSuchObjectLockConfiguration", "The specified object does not have a ObjectLock configuration")
	}
	return c.writeXML(retentionXML{NS: s3NS, Mode: o.LockMode, RetainUntilDate: isoTime(o.LockUntil)})
}

func putObjectRetention(c *call) error {
	if _, err := c.lockBucket(); err != nil {
		return err
	}
	var ret retentionXML
	if err := c.readXML(&ret); err != nil {
		return err
	}
	until, err := time.Parse(time.RFC3339, ret.RetainUntilDate)
	if err != nil || !validMode(ret.Mode) {
		return s3err.New(http.StatusBadRequest, "MalformedXML", "Retention needs Mode GOVERNANCE or COMPLIANCE and an ISO 8601 RetainUntilDate")
	}
	if until.Before(time.Now()) {
		return s3err.New(http.StatusBadRequest, "InvalidArgument", "The retain until date must be in the future!")
	}
	bypass := c.bypassGovernance()
	return c.updateObject(func(o *store.Object) error {
		weaker := o.LockMode != "" && o.LockUntil.After(time.Now()) && (until.Before(o.LockUntil) || ret.Mode != o.LockMode)
		if weaker && (o.LockMode == "COMPLIANCE" || !bypass) {
			return s3err.New(http.StatusForbidden, "AccessDenied", "Access Denied because object protected by object lock.")
		}
		o.LockMode, o.LockUntil = ret.Mode, until.UTC()
		return nil
	}, http.StatusOK)
}

type legalHoldXML struct {
	XMLName xml.Name `xml:"LegalHold"`
	NS      string   `xml:"xmlns,attr,omitempty"`
	Status  string
}

func getObjectLegalHold(c *call) error {
	if _, err := c.lockBucket(); err != nil {
		return err
	}
	o, err := c.h.cfg.Store.Get(c.route.Bucket, c.route.Key, c.q.Get("versionId"))
	if err != nil {
		return err
	}
	st := "OFF"
	if o.LegalHold {
		st = "ON"
	}
	return c.writeXML(legalHoldXML{NS: s3NS, Status: st})
}

func putObjectLegalHold(c *call) error {
	if _, err := c.lockBucket(); err != nil {
		return err
	}
	var lh legalHoldXML
	if err := c.readXML(&lh); err != nil {
		return err
	}
	if lh.Status != "ON" && lh.Status != "OFF" {
		return s3err.New(http.StatusBadRequest, "MalformedXML", "LegalHold Status must be ON or OFF")
	}
	return c.updateObject(func(o *store.Object) error { o.LegalHold = lh.Status == "ON"; return nil }, http.StatusOK)
}

func (c *call) bypassGovernance() bool {
	return strings.EqualFold(c.r.Header.Get("X-Amz-Bypass-Governance-Retention"), "true")
}

// lockAllowsRemoval refuses removing a version under legal hold or
// unexpired retention (GOVERNANCE yields to the bypass header).
func (c *call) lockAllowsRemoval(o *store.Object) error {
	locked := o.LegalHold || (o.LockMode != "" && o.LockUntil.After(time.Now()) && (o.LockMode == "COMPLIANCE" || !c.bypassGovernance()))
	if locked {
		return s3err.New(http.StatusForbidden, "AccessDenied", "Access Denied because object protected by object lock.")
	}
	return nil
}

// lockFromHeaders reads x-amz-object-lock-* on a write.
func (c *call) lockFromHeaders(o *store.Object) error {
	h := c.r.Header
	mode, until, hold := h.Get("X-Amz-Object-Lock-Mode"), h.Get("X-Amz-Object-Lock-Retain-Until-Date"), h.Get("X-Amz-Object-Lock-Legal-Hold")
	if mode == "" && until == "" && hold == "" {
		return nil
	}
	b, err := c.h.cfg.Store.GetBucket(c.route.Bucket)
	if err != nil {
		return err
	}
	if b.ObjectLock == nil {
		return s3err.InvalidRequest("Bucket is missing Object Lock Configuration")
	}
	if (mode == "") != (until == "") {
		return s3err.InvalidRequest("x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied")
	}
	if mode != "" {
		t, err := time.Parse(time.RFC3339, until)
		if err != nil || !validMode(mode) {
			return s3err.New(http.StatusBadRequest, "InvalidArgument", "Unknown wormMode directive or bad retain-until date.")
		}
		o.LockMode, o.LockUntil = mode, t.UTC()
	}
	o.LegalHold = hold == "ON"
	return nil
}

// applyDefaultRetention gives a new version the bucket's default retention.
func (c *call) applyDefaultRetention(b store.Bucket, o *store.Object) {
	if b.ObjectLock == nil || b.ObjectLock.Mode == "" || o.LockMode != "" {
		return
	}
	o.LockMode = b.ObjectLock.Mode
	o.LockUntil = time.Now().UTC().AddDate(b.ObjectLock.Year, 0, b.ObjectLock.Days)
}

func lockHeaders(h http.Header, o *store.Object) {
	if o.LockMode != "" {
		h.Set("X-Amz-Object-Lock-Mode", o.LockMode)
		h.Set("X-Amz-Object-Lock-Retain-Until-Date", o.LockUntil.Format(time.RFC3339))
	}
	if o.LegalHold {
		h.Set("X-Amz-Object-Lock-Legal-Hold", "ON")
	}
}
