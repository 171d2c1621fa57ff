package s3api

import (
	"encoding/xml"
	"io"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/olkit/olkit/localemu/internal/store"
	"github.com/olkit/olkit/s3err"
)

const s3NS = "http://s3.amazonaws.com/doc/2006-03-01/"

func isoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

type xmlOwner struct {
	ID          string
	DisplayName string `xml:",omitempty"`
}

func (o owner) xml() *xmlOwner { return &xmlOwner{ID: o.ID, DisplayName: o.DisplayName} }

var bucketName = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

func validBucketName(n string) bool {
	return bucketName.MatchString(n) && !strings.Contains(n, "..") && !regexp.MustCompile(`^\d+\.\d+\.\d+\.\d+$`).MatchString(n)
}

func listBuckets(c *call) error {
	type bucket struct {
		Name         string
		CreationDate string
		BucketRegion string
	}
	res := struct {
		XMLName xml.Name  `xml:"ListAllMyBucketsResult"`
		NS      string    `xml:"xmlns,attr"`
		Owner   *xmlOwner `xml:"Owner"`
		Buckets []bucket  `xml:"Buckets>Bucket"`
	}{NS: s3NS, Owner: c.owner().xml()}
	for _, b := range c.h.cfg.Store.ListBuckets() {
		if b.Owner == c.auth.AccessKey {
			res.Buckets = append(res.Buckets, bucket{Name: b.Name, CreationDate: isoTime(b.Created), BucketRegion: c.h.cfg.Region})
		}
	}
	return c.writeXML(res)
}

func createBucket(c *call) error {
	name := c.route.Bucket
	if !validBucketName(name) || reservedBucketName(name) {
		return s3err.New(http.StatusBadRequest, "InvalidBucketName", "The specified bucket is not valid.")
	}
	var conf struct {
		LocationConstraint string
	}
	if err := c.readOptionalXML(&conf); err != nil {
		return err
	}
	if conf.LocationConstraint != "" && conf.LocationConstraint != c.h.cfg.Region {
		return s3err.New(http.StatusBadRequest, "IllegalLocationConstraintException", "The %s location constraint is incompatible for the region specific endpoint this request was sent to.", conf.LocationConstraint)
	}
	canned, grants, _, err := c.requestedACL()
	if err != nil {
		return err
	}
	if canned != "" {
		grants = cannedGrants(canned, c.auth.AccessKey)
	}
	b := store.Bucket{Name: name, Owner: c.auth.AccessKey, ACL: grants}
	if strings.EqualFold(c.r.Header.Get("X-Amz-Bucket-Object-Lock-Enabled"), "true") {
		b.ObjectLock = &store.LockConfig{}
		b.Versioning = store.VersioningEnabled
	}
	err = c.h.cfg.Store.CreateBucket(b)
	if e := s3err.From(err); err != nil && e.Code == "BucketAlreadyOwnedByYou" && c.h.cfg.Region == "us-east-1" {
		err = nil // us-east-1 answers 200 to its owner, for compatibility
	}
	if err != nil {
		return err
	}
	c.w.Header().Set("Location", "/"+name)
	c.w.WriteHeader(http.StatusOK)
	return nil
}

// readOptionalXML decodes a body that may be empty.
func (c *call) readOptionalXML(v any) error {
	var first [1]byte
	n, err := io.ReadFull(c.auth.Body, first[:])
	if n == 0 {
		if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
			return s3err.From(err)
		}
		return nil
	}
	c.auth.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(strings.NewReader(string(first[:n])), c.auth.Body), c.auth.Body}
	return c.readXML(v)
}

func deleteBucket(c *call) error {
	if err := c.h.cfg.Store.DeleteBucket(c.route.Bucket); err != nil {
		return err
	}
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

func headBucket(c *call) error {
	if _, err := c.h.cfg.Store.GetBucket(c.route.Bucket); err != nil {
		return err
	}
	c.w.Header().Set("X-Amz-Bucket-Region", c.h.cfg.Region)
	c.w.WriteHeader(http.StatusOK)
	return nil
}

func getBucketLocation(c *call) error {
	if _, err := c.h.cfg.Store.GetBucket(c.route.Bucket); err != nil {
		return err
	}
	loc := c.h.cfg.Region
	if loc == "us-east-1" {
		loc = "" // S3 answers an empty constraint for us-east-1
	}
	return c.writeXML(struct {
		XMLName xml.Name `xml:"LocationConstraint"`
		NS      string   `xml:"xmlns,attr"`
		Value   string   `xml:",chardata"`
	}{NS: s3NS, Value: loc})
}

type versioningConfig struct {
	XMLName   xml.Name `xml:"VersioningConfiguration"`
	NS        string   `xml:"xmlns,attr,omitempty"`
	Status    string   `xml:",omitempty"`
	MfaDelete string   `xml:",omitempty"`
}

func getBucketVersioning(c *call) error {
	b, err := c.h.cfg.Store.GetBucket(c.route.Bucket)
	if err != nil {
		return err
	}
	return c.writeXML(versioningConfig{NS: s3NS, Status: b.Versioning})
}

func putBucketVersioning(c *call) error {
	var conf versioningConfig
	if err := c.readXML(&conf); err != nil {
		return err
	}
	if conf.Status != store.VersioningEnabled && conf.Status != store.VersioningSuspended {
		return s3err.New(http.StatusBadRequest, "MalformedXML", "Status must be Enabled or Suspended")
	}
	err := c.h.cfg.Store.UpdateBucket(c.route.Bucket, func(b *store.Bucket) error {
		if b.ObjectLock != nil && conf.Status != store.VersioningEnabled {
			return s3err.New(http.StatusConflict, "InvalidBucketState", "An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.")
		}
		b.Versioning = conf.Status
		return nil
	})
	if err != nil {
		return err
	}
	c.w.WriteHeader(http.StatusOK)
	return nil
}
