package s3api

import (
	"encoding/xml"
	"net/http"
	"strings"

	"github.com/olkit/olkit/localemu/internal/store"
	"github.com/olkit/olkit/s3err"
)

// ACLs. The emulator's buckets behave as S3 buckets whose Object
// Ownership is ObjectWriter (ACLs enabled): canned ACLs and grants are
// stored on buckets and objects and honoured by authorize. A canned ACL
// is kept by name on an object (it may name the bucket owner) and
// expanded to grants on a bucket.

// The groups S3 grants to.
const (
	allUsers           = "http://acs.amazonaws.com/groups/global/AllUsers"
	authenticatedUsers = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
	logDelivery        = "http://acs.amazonaws.com/groups/s3/LogDelivery"
)

var cannedACLs = map[string]bool{
	"": true, "private": true, "public-read": true, "public-read-write": true, "authenticated-read": true,
	"aws-exec-read": true, "bucket-owner-read": true, "bucket-owner-full-control": true, "log-delivery-write": true,
}

var permissions = map[string]bool{"READ": true, "WRITE": true, "READ_ACP": true, "WRITE_ACP": true, "FULL_CONTROL": true}

func validACL(acl string) error {
	if !cannedACLs[acl] {
		return s3err.New(http.StatusBadRequest, "InvalidArgument", "the canned ACL %q is not one S3 knows", acl)
	}
	return nil
}

// cannedGrants expands a canned ACL beyond the owner's full control;
// bucketOwner is the bucket owner's access key, for bucket-owner-*.
// aws-exec-read grants EC2, which the emulator has not: nothing.
func cannedGrants(acl, bucketOwner string) []store.Grant {
	g := func(uri, perm string) store.Grant { return store.Grant{URI: uri, Permission: perm} }
	switch acl {
	case "public-read":
		return []store.Grant{g(allUsers, "READ")}
	case "public-read-write":
		return []store.Grant{g(allUsers, "READ"), g(allUsers, "WRITE")}
	case "authenticated-read":
		return []store.Grant{g(authenticatedUsers, "READ")}
	case "log-delivery-write":
		return []store.Grant{g(logDelivery, "WRITE"), g(logDelivery, "READ_ACP")}
	case "bucket-owner-read":
		return []store.Grant{{ID: ownerOf(bucketOwner).ID, Permission: "READ"}}
	case "bucket-owner-full-control":
		return []store.Grant{{ID: ownerOf(bucketOwner).ID, Permission: "FULL_CONTROL"}}
	}
	return nil
}

// objectGrants is an object's ACL beyond its owner.
func objectGrants(bucketOwner string, o *store.Object) []store.Grant {
	return append(cannedGrants(o.ACL, bucketOwner), o.Grants...)
}

// grantHeaders are the x-amz-grant-* headers and the permission each gives.
var grantHeaders = map[string]string{
	"X-Amz-Grant-Read": "READ", "X-Amz-Grant-Write": "WRITE", "X-Amz-Grant-Read-Acp": "READ_ACP",
	"X-Amz-Grant-Write-Acp": "WRITE_ACP", "X-Amz-Grant-Full-Control": "FULL_CONTROL",
}

// requestedACL reads the ACL a request sets: a canned ACL (x-amz-acl) or
// grants (x-amz-grant-*), never both. set is false when it names none.
func (c *call) requestedACL() (canned string, grants []store.Grant, set bool, err error) {
	canned = c.r.Header.Get("X-Amz-Acl")
	if err := validACL(canned); err != nil {
		return "", nil, false, err
	}
	for h, perm := range grantHeaders {
		for _, v := range c.r.Header.Values(h) {
			g, err := parseGrantHeader(v, perm)
			if err != nil {
				return "", nil, false, err
			}
			grants = append(grants, g...)
		}
	}
	if canned != "" && grants != nil {
		return "", nil, false, s3err.InvalidRequest("Specifying both Canned ACLs and Header Grants is not allowed")
	}
	return canned, grants, canned != "" || grants != nil, nil
}

// parseGrantHeader reads `id="…", uri="…"` lists.
func parseGrantHeader(v, perm string) ([]store.Grant, error) {
	var out []store.Grant
	for _, item := range strings.Split(v, ",") {
		typ, val, ok := strings.Cut(strings.TrimSpace(item), "=")
		val = strings.Trim(strings.TrimSpace(val), `"`)
		if !ok || val == "" {
			return nil, s3err.New(http.StatusBadRequest, "InvalidArgument", "grant %q is not type=\"value\"", item)
		}
		g, err := grantFor(strings.ToLower(strings.TrimSpace(typ)), val, perm)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, nil
}

func grantFor(typ, val, perm string) (store.Grant, error) {
	if !permissions[perm] {
		return store.Grant{}, s3err.New(http.StatusBadRequest, "MalformedACLError", "Permission %q is not READ, WRITE, READ_ACP, WRITE_ACP or FULL_CONTROL", perm)
	}
	switch typ {
	case "id", "canonicaluser":
		return store.Grant{ID: val, Permission: perm}, nil
	case "uri", "group":
		if val != allUsers && val != authenticatedUsers && val != logDelivery {
			return store.Grant{}, s3err.New(http.StatusBadRequest, "InvalidArgument", "Invalid group uri %q", val)
		}
		return store.Grant{URI: val, Permission: perm}, nil
	case "emailaddress", "amazoncustomerbyemail":
		return store.Grant{}, s3err.New(http.StatusNotImplemented, "NotImplemented", "localemu does not support grants by e-mail address; grant to the canonical user id")
	}
	return store.Grant{}, s3err.New(http.StatusBadRequest, "InvalidArgument", "grantee type %q is not id, uri or emailAddress", typ)
}

type grantee struct {
	XMLNSXSI    string `xml:"xmlns:xsi,attr"`
	Type        string `xml:"xsi:type,attr"`
	ID          string `xml:",omitempty"`
	DisplayName string `xml:",omitempty"`
	URI         string `xml:",omitempty"`
}

type grant struct {
	Grantee    grantee
	Permission string
}

type accessControlPolicy struct {
	XMLName xml.Name  `xml:"AccessControlPolicy"`
	NS      string    `xml:"xmlns,attr,omitempty"`
	Owner   *xmlOwner `xml:"Owner"`
	Grants  []grant   `xml:"AccessControlList>Grant"`
}

const xsi = "http://www.w3.org/2001/XMLSchema-instance"

// aclDoc is the AccessControlPolicy of a resource owned by ownerKey.
func aclDoc(ownerKey string, grants []store.Grant) accessControlPolicy {
	ow := ownerOf(ownerKey)
	p := accessControlPolicy{NS: s3NS, Owner: ow.xml(), Grants: []grant{{
		Grantee:    grantee{XMLNSXSI: xsi, Type: "CanonicalUser", ID: ow.ID, DisplayName: ow.DisplayName},
		Permission: "FULL_CONTROL",
	}}}
	for _, g := range grants {
		ge := grantee{XMLNSXSI: xsi, Type: "Group", URI: g.URI}
		if g.ID != "" {
			ge = grantee{XMLNSXSI: xsi, Type: "CanonicalUser", ID: g.ID}
		}
		p.Grants = append(p.Grants, grant{Grantee: ge, Permission: g.Permission})
	}
	return p
}

// aclFromBody reads an AccessControlPolicy body; the owner's own full
// control is implied and not stored twice.
func (c *call) aclFromBody(ownerKey string) ([]store.Grant, error) {
	var doc struct {
		Grants []struct {
			Grantee struct {
				Type         string `xml:"type,attr"`
				ID           string
				URI          string
				EmailAddress string
			}
			Permission string
		} `xml:"AccessControlList>Grant"`
	}
	if err := c.readXML(&doc); err != nil {
		return nil, err
	}
	ownerID := ownerOf(ownerKey).ID
	out := []store.Grant{}
	for _, g := range doc.Grants {
		typ, val := g.Grantee.Type, g.Grantee.ID
		switch typ {
		case "Group":
			val = g.Grantee.URI
		case "AmazonCustomerByEmail":
			val = g.Grantee.EmailAddress
		case "CanonicalUser":
		default:
			return nil, s3err.New(http.StatusBadRequest, "MalformedACLError", "grantee type %q is not CanonicalUser, Group or AmazonCustomerByEmail", typ)
		}
		gr, err := grantFor(strings.ToLower(typ), val, g.Permission)
		if err != nil {
			return nil, err
		}
		if gr.ID == ownerID && gr.Permission == "FULL_CONTROL" {
			continue
		}
		out = append(out, gr)
	}
	return out, nil
}

// newACL reads the ACL a Put*Acl request sets: headers or a body.
func (c *call) newACL(ownerKey string) (canned string, grants []store.Grant, err error) {
	canned, grants, set, err := c.requestedACL()
	if err != nil || set {
		return canned, grants, err
	}
	grants, err = c.aclFromBody(ownerKey)
	return "", grants, err
}

func getBucketACL(c *call) error {
	b, err := c.h.cfg.Store.GetBucket(c.route.Bucket)
	if err != nil {
		return err
	}
	return c.writeXML(aclDoc(b.Owner, b.ACL))
}

func putBucketACL(c *call) error {
	b, err := c.h.cfg.Store.GetBucket(c.route.Bucket)
	if err != nil {
		return err
	}
	canned, grants, err := c.newACL(b.Owner)
	if err != nil {
		return err
	}
	if canned != "" {
		grants = cannedGrants(canned, b.Owner)
	}
	err = c.h.cfg.Store.UpdateBucket(c.route.Bucket, func(b *store.Bucket) error { b.ACL = grants; return nil })
	if err != nil {
		return err
	}
	c.w.WriteHeader(http.StatusOK)
	return nil
}

func getObjectACL(c *call) error {
	b, err := c.h.cfg.Store.GetBucket(c.route.Bucket)
	if err != nil {
		return err
	}
	o, err := c.h.cfg.Store.Get(c.route.Bucket, c.route.Key, c.q.Get("versionId"))
	if err != nil {
		return err
	}
	setVersionHeader(c.w.Header(), o)
	return c.writeXML(aclDoc(o.Owner, objectGrants(b.Owner, o)))
}

func putObjectACL(c *call) error {
	o, err := c.h.cfg.Store.Get(c.route.Bucket, c.route.Key, c.q.Get("versionId"))
	if err != nil {
		return err
	}
	canned, grants, err := c.newACL(o.Owner)
	if err != nil {
		return err
	}
	return c.updateObject(func(o *store.Object) error { o.ACL, o.Grants = canned, grants; return nil }, http.StatusOK)
}
