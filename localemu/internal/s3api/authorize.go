package s3api

import (
	"net"
	"net/http"
	"strings"

	"github.com/olkit/olkit/localemu/internal/policy"
	"github.com/olkit/olkit/localemu/internal/s3auth"
	"github.com/olkit/olkit/localemu/internal/store"
	"github.com/olkit/olkit/s3err"
)

// Authorization, the emulator's model (README, "Access between keys"):
// each access key is its own principal; a bucket's owner may do anything
// to it and to every object in it unless the bucket policy explicitly
// denies it; any other key, and an anonymous request, needs an Allow in
// the bucket policy or a grant in the bucket's (or for object reads the
// object's) ACL. An explicit Deny wins over both.

func accessDenied() error {
	return s3err.New(http.StatusForbidden, "AccessDenied", "Access Denied")
}

// actions maps an operation to the IAM action a policy names it by. An
// operation missing here is decided by its owner alone.
var actions = map[string]string{
	"HeadBucket": "s3:ListBucket", "ListObjects": "s3:ListBucket", "ListObjectsV2": "s3:ListBucket",
	"ListObjectVersions": "s3:ListBucketVersions", "ListMultipartUploads": "s3:ListBucketMultipartUploads",
	"GetBucketLocation": "s3:GetBucketLocation", "DeleteBucket": "s3:DeleteBucket",
	"GetBucketVersioning": "s3:GetBucketVersioning", "PutBucketVersioning": "s3:PutBucketVersioning",
	"GetBucketAcl": "s3:GetBucketAcl", "PutBucketAcl": "s3:PutBucketAcl",
	"GetBucketPolicy": "s3:GetBucketPolicy", "PutBucketPolicy": "s3:PutBucketPolicy", "DeleteBucketPolicy": "s3:DeleteBucketPolicy",
	"GetBucketTagging": "s3:GetBucketTagging", "PutBucketTagging": "s3:PutBucketTagging", "DeleteBucketTagging": "s3:PutBucketTagging",
	"GetBucketOwnershipControls": "s3:GetBucketOwnershipControls", "PutBucketOwnershipControls": "s3:PutBucketOwnershipControls",
	"GetBucketCors": "s3:GetBucketCORS", "PutBucketCors": "s3:PutBucketCORS", "DeleteBucketCors": "s3:PutBucketCORS",
	"GetObjectLockConfiguration": "s3:GetBucketObjectLockConfiguration", "PutObjectLockConfiguration": "s3:PutBucketObjectLockConfiguration",
	"GetObject": "s3:GetObject", "HeadObject": "s3:GetObject", "GetObjectAttributes": "s3:GetObjectAttributes",
	"PutObject": "s3:PutObject", "CopyObject": "s3:PutObject", "CreateMultipartUpload": "s3:PutObject",
	"UploadPart": "s3:PutObject", "UploadPartCopy": "s3:PutObject", "CompleteMultipartUpload": "s3:PutObject",
	"AbortMultipartUpload": "s3:AbortMultipartUpload", "ListParts": "s3:ListMultipartUploadParts",
	"DeleteObject": "s3:DeleteObject", "GetObjectTagging": "s3:GetObjectTagging", "PutObjectTagging": "s3:PutObjectTagging",
	"DeleteObjectTagging": "s3:DeleteObjectTagging", "GetObjectAcl": "s3:GetObjectAcl", "PutObjectAcl": "s3:PutObjectAcl",
	"GetObjectRetention": "s3:GetObjectRetention", "PutObjectRetention": "s3:PutObjectRetention",
	"GetObjectLegalHold": "s3:GetObjectLegalHold", "PutObjectLegalHold": "s3:PutObjectLegalHold",
}

// versioned are the actions whose name gains "Version" when the request
// names a version (s3:GetObject -> s3:GetObjectVersion), as S3 checks them.
var versioned = map[string]string{
	"s3:GetObject": "s3:GetObjectVersion", "s3:DeleteObject": "s3:DeleteObjectVersion",
	"s3:GetObjectTagging": "s3:GetObjectVersionTagging", "s3:PutObjectTagging": "s3:PutObjectVersionTagging",
	"s3:DeleteObjectTagging": "s3:DeleteObjectVersionTagging", "s3:GetObjectAcl": "s3:GetObjectVersionAcl",
	"s3:PutObjectAcl": "s3:PutObjectVersionAcl", "s3:GetObjectAttributes": "s3:GetObjectVersionAttributes",
}

// aclPermission is the ACL permission that grants an action: on the
// bucket's ACL, or on the object's for object reads and ACL access.
var aclPermission = map[string]struct {
	perm   string
	object bool
}{
	"s3:ListBucket": {"READ", false}, "s3:ListBucketVersions": {"READ", false},
	"s3:ListBucketMultipartUploads": {"READ", false}, "s3:ListMultipartUploadParts": {"READ", false},
	"s3:PutObject": {"WRITE", false}, "s3:DeleteObject": {"WRITE", false}, "s3:DeleteObjectVersion": {"WRITE", false},
	"s3:AbortMultipartUpload": {"WRITE", false},
	"s3:GetBucketAcl":         {"READ_ACP", false}, "s3:PutBucketAcl": {"WRITE_ACP", false},
	"s3:GetObject": {"READ", true}, "s3:GetObjectVersion": {"READ", true},
	"s3:GetObjectAcl": {"READ_ACP", true}, "s3:GetObjectVersionAcl": {"READ_ACP", true},
	"s3:PutObjectAcl": {"WRITE_ACP", true}, "s3:PutObjectVersionAcl": {"WRITE_ACP", true},
}

// policyManagement are the actions a bucket owner keeps even when its
// policy denies them, so a policy cannot lock its owner out (AWS keeps
// this for the account's root user).
var policyManagement = map[string]bool{"s3:GetBucketPolicy": true, "s3:PutBucketPolicy": true, "s3:DeleteBucketPolicy": true}

// Authorize decides whether auth may do route.Op on route; it is nil when
// allowed. Object Lambda access points call it for the supporting bucket.
func (h *Handler) Authorize(r *http.Request, route Route, auth *s3auth.Result) error {
	c := &call{r: r, route: route, auth: auth, q: r.URL.Query(), h: h}
	return c.authorize()
}

func (c *call) anonymous() bool { return c.auth.AccessKey == "" }

// authorize decides the request's operation, before it runs.
func (c *call) authorize() error {
	switch c.route.Op {
	case "ListBuckets", "CreateBucket":
		if c.anonymous() {
			return accessDenied()
		}
		return nil
	case "DeleteObjects":
		return nil // decided per key
	case "CORSPreflight":
		return nil // browsers send preflights unsigned; the CORS rules decide
	case "PostObject":
		return nil // decided as PutObject by the form's signer, once the form is read
	}
	b, err := c.h.cfg.Store.GetBucket(c.route.Bucket)
	if err != nil {
		return nil // the operation answers NoSuchBucket, as S3 does to anyone
	}
	if err := c.expectedOwner("X-Amz-Expected-Bucket-Owner"); err != nil {
		return err
	}
	action, ok := actions[c.route.Op]
	if !ok {
		if c.isOwner(b) {
			return nil
		}
		return accessDenied()
	}
	return c.allowed(b, c.route.Key, c.q.Get("versionId"), action)
}

func (c *call) isOwner(b store.Bucket) bool { return !c.anonymous() && b.Owner == c.auth.AccessKey }

// allowed decides one action on bucket b (key "" for the bucket itself).
func (c *call) allowed(b store.Bucket, key, versionID, action string) error {
	if v, ok := versioned[action]; ok && versionID != "" {
		action = v
	}
	dec, err := c.policyDecision(b, key, action)
	if err != nil {
		return err
	}
	owner := c.isOwner(b)
	switch {
	case dec == policy.Deny && !(owner && policyManagement[action]):
		return accessDenied()
	case owner:
		return nil
	case dec == policy.Allow:
		return c.hideMissing(b, key, versionID, action)
	}
	if c.aclAllows(b, key, versionID, action) {
		return nil
	}
	return accessDenied()
}

// policyDecision evaluates the bucket policy, if any, for action on key.
func (c *call) policyDecision(b store.Bucket, key, action string) (policy.Decision, error) {
	if b.Policy == "" {
		return policy.NoMatch, nil
	}
	p, err := policy.Parse([]byte(b.Policy))
	if err != nil {
		return policy.NoMatch, s3err.Wrap(err, http.StatusInternalServerError, "InternalError", "the stored bucket policy no longer parses: %v", err)
	}
	return p.Evaluate(policy.Request{Principal: c.principal(), Action: action, Resource: resourceARN(b.Name, key), Context: c.conditionContext(action)}), nil
}

// hideMissing applies S3's rule for reads of a key that does not exist:
// 404 to whoever may list the bucket (s3:ListBucket), 403 to anyone else,
// so that a read grant does not reveal which keys exist.
func (c *call) hideMissing(b store.Bucket, key, versionID, action string) error {
	if action != "s3:GetObject" && action != "s3:GetObjectVersion" {
		return nil
	}
	if o, err := c.h.cfg.Store.Get(b.Name, key, versionID); err == nil || o != nil {
		return nil
	}
	if dec, err := c.policyDecision(b, "", "s3:ListBucket"); err != nil || dec == policy.Allow {
		return err
	}
	if c.granted(b.ACL, "READ") {
		return nil
	}
	return accessDenied()
}

// aclAllows applies the bucket's and the object's ACL.
func (c *call) aclAllows(b store.Bucket, key, versionID, action string) bool {
	need, ok := aclPermission[action]
	if key == "" || (ok && !need.object) {
		return ok && c.granted(b.ACL, need.perm)
	}
	o, err := c.h.cfg.Store.Get(b.Name, key, versionID)
	if err != nil {
		// Missing: S3 answers 404 to whoever may list the bucket, 403
		// to anyone else, so that keys do not leak.
		return o == nil && c.granted(b.ACL, "READ")
	}
	if !c.anonymous() && o.Owner == c.auth.AccessKey {
		return true // an object's owner has full control of it
	}
	return ok && c.granted(objectGrants(b.Owner, o), need.perm)
}

// granted reports whether grants give the caller perm.
func (c *call) granted(grants []store.Grant, perm string) bool {
	id := ""
	if !c.anonymous() {
		id = c.owner().ID
	}
	for _, g := range grants {
		if g.Permission != perm && g.Permission != "FULL_CONTROL" {
			continue
		}
		switch {
		case g.URI == allUsers,
			g.URI == authenticatedUsers && !c.anonymous(),
			g.ID != "" && g.ID == id:
			return true
		}
	}
	return false
}

// principal is the caller as a policy sees it.
func (c *call) principal() policy.Principal {
	if c.anonymous() {
		return policy.Principal{Anonymous: true}
	}
	acct := c.h.cfg.Account
	return policy.Principal{Account: acct, ARN: "arn:aws:iam::" + acct + ":user/" + c.auth.AccessKey, CanonicalID: c.owner().ID}
}

func resourceARN(bucket, key string) string {
	if key == "" {
		return "arn:aws:s3:::" + bucket
	}
	return "arn:aws:s3:::" + bucket + "/" + key
}

// conditionContext holds the condition keys the emulator knows for this
// request (README lists them); a key absent here is absent for the policy.
func (c *call) conditionContext(action string) map[string][]string {
	ctx := map[string][]string{"aws:securetransport": {"false"}}
	if c.r.TLS != nil {
		ctx["aws:securetransport"] = []string{"true"}
	}
	if host, _, err := net.SplitHostPort(c.r.RemoteAddr); err == nil {
		ctx["aws:sourceip"] = []string{host}
	}
	if !c.anonymous() {
		p := c.principal()
		ctx["aws:username"] = []string{c.auth.AccessKey}
		ctx["aws:userid"] = []string{c.auth.AccessKey}
		ctx["aws:principalarn"] = []string{p.ARN}
		ctx["aws:principalaccount"] = []string{p.Account}
		ctx["aws:principaltype"] = []string{"User"}
	}
	for _, hk := range []string{"Referer", "User-Agent"} {
		if v := c.r.Header.Get(hk); v != "" {
			ctx["aws:"+strings.ReplaceAll(strings.ToLower(hk), "-", "")] = []string{v}
		}
	}
	for name, vals := range c.r.Header {
		if n := strings.ToLower(name); strings.HasPrefix(n, "x-amz-") {
			ctx["s3:"+n] = []string{strings.Join(vals, ",")}
		}
	}
	if strings.HasPrefix(action, "s3:ListBucket") {
		for _, k := range []string{"prefix", "delimiter", "max-keys"} {
			if c.q.Has(k) {
				ctx["s3:"+k] = []string{c.q.Get(k)}
			}
		}
	}
	if v := c.q.Get("versionId"); v != "" {
		ctx["s3:versionid"] = []string{v}
	}
	return ctx
}

// mayRead decides s3:GetObject on a copy's source, which may be in
// another bucket than the request's.
func (c *call) mayRead(bucket, key, versionID string) error {
	b, err := c.h.cfg.Store.GetBucket(bucket)
	if err != nil {
		return err
	}
	if err := c.expectedOwner("X-Amz-Source-Expected-Bucket-Owner"); err != nil {
		return err
	}
	return c.allowed(b, key, versionID, "s3:GetObject")
}

// expectedOwner refuses, as S3 does with 403, a request whose
// x-amz-expected-bucket-owner (or its copy-source twin) names another
// account than the one every bucket of the emulator belongs to.
func (c *call) expectedOwner(header string) error {
	if want := c.r.Header.Get(header); want != "" && want != c.h.cfg.Account {
		return accessDenied()
	}
	return nil
}
