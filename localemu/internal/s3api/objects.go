package s3api

import (
	"crypto/md5"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/olkit/olkit/conditions"
	"github.com/olkit/olkit/localemu/internal/store"
	"github.com/olkit/olkit/s3err"
	"github.com/olkit/olkit/s3range"
)

// maxPutSize is S3's single-request limit.
const maxPutSize = 5 << 30

// storedHeaders are the representation headers an object keeps.
var storedHeaders = []string{"Content-Type", "Content-Encoding", "Cache-Control", "Content-Disposition", "Content-Language", "Expires"}

// newObject describes the object a PUT, a CopyObject with REPLACE or a
// CreateMultipartUpload creates, from the request's headers.
func (c *call) newObject() (store.Object, error) {
	r := c.r
	o := store.Object{Bucket: c.route.Bucket, Key: c.route.Key, Owner: c.auth.AccessKey, Header: map[string]string{}, Meta: map[string]string{}}
	for _, h := range storedHeaders {
		if v := r.Header.Get(h); v != "" {
			if h == "Content-Encoding" {
				v = dropAWSChunked(v)
				if v == "" {
					continue
				}
			}
			o.Header[h] = v
		}
	}
	for name, vals := range r.Header {
		if m, ok := strings.CutPrefix(strings.ToLower(name), "x-amz-meta-"); ok {
			o.Meta[m] = decodeMetaValue(strings.Join(vals, ","))
		}
	}
	if err := checkMetadataSize(o.Meta); err != nil {
		return o, err
	}
	o.StorageClass = r.Header.Get("X-Amz-Storage-Class")
	if err := validStorageClass(o.StorageClass); err != nil {
		return o, err
	}
	acl, grants, _, err := c.requestedACL()
	if err != nil {
		return o, err
	}
	o.ACL, o.Grants = acl, grants
	if t := r.Header.Get("X-Amz-Tagging"); t != "" {
		tags, err := parseTagQuery(t)
		if err != nil {
			return o, err
		}
		o.Tags = tags
	}
	return o, c.lockFromHeaders(&o)
}

// maxMetadataSize is S3's limit on user metadata: the UTF-8 bytes of
// every x-amz-meta-* name (without the prefix) and value, summed.
const maxMetadataSize = 2 << 10

func checkMetadataSize(meta map[string]string) error {
	n := 0
	for k, v := range meta {
		n += len(k) + len(v)
	}
	if n > maxMetadataSize {
		return s3err.New(http.StatusBadRequest, "MetadataTooLarge", "Your metadata headers exceed the maximum allowed metadata size (%d bytes, the limit is %d).", n, maxMetadataSize)
	}
	return nil
}

// dropAWSChunked removes the aws-chunked transfer coding from a
// Content-Encoding list: it describes the request, not the object.
// Any other value is kept exactly as sent ("deflate, gzip" stays so).
func dropAWSChunked(v string) string {
	var keep []string
	found := false
	for _, p := range strings.Split(v, ",") {
		switch p = strings.TrimSpace(p); {
		case strings.EqualFold(p, "aws-chunked"):
			found = true
		case p != "":
			keep = append(keep, p)
		}
	}
	if !found {
		return v
	}
	return strings.Join(keep, ", ")
}

func putObject(c *call) error {
	b, err := c.h.cfg.Store.GetBucket(c.route.Bucket)
	if err != nil {
		return err
	}
	if c.r.ContentLength > maxPutSize || c.auth.DecodedLength > maxPutSize {
		return s3err.New(http.StatusBadRequest, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size")
	}
	if c.r.ContentLength < 0 && c.auth.DecodedLength < 0 && len(c.r.TransferEncoding) == 0 {
		return s3err.New(http.StatusLengthRequired, "MissingContentLength", "You must provide the Content-Length HTTP header.")
	}
	o, err := c.newObject()
	if err != nil {
		return err
	}
	stored, err := c.storeUpload(b, o, nil)
	if err != nil {
		return err
	}
	h := c.w.Header()
	h.Set("ETag", stored.ETag)
	setVersionHeader(h, stored)
	setChecksumHeaders(h, stored.Checksums, stored.ChecksumType)
	c.w.WriteHeader(http.StatusOK)
	return nil
}

// storeUpload receives the request's body as o, a new version of the
// key in bucket b, and commits it; sizeOK, if set, may refuse the size
// received (POST policies) before anything is committed.
func (c *call) storeUpload(b store.Bucket, o store.Object, sizeOK func(int64) error) (*store.Object, error) {
	c.applyDefaultRetention(b, &o)
	st, etag, sums, err := c.receiveBody(defaultAlgorithm)
	if err != nil {
		return nil, err
	}
	defer st.Abort()
	if sizeOK != nil {
		if err := sizeOK(st.Size()); err != nil {
			return nil, err
		}
	}
	o.ETag, o.Checksums, o.ChecksumType = `"`+etag+`"`, sums, "FULL_OBJECT"
	return c.h.cfg.Store.Put(o, st, c.writePrecondition(b))
}

func setVersionHeader(h http.Header, o *store.Object) {
	if o.VersionID != store.NullVersion && o.VersionID != "" {
		h.Set("X-Amz-Version-Id", o.VersionID)
	}
}

// writePrecondition enforces conditional writes (If-None-Match: *,
// If-Match) and object lock on the version a write would replace.
func (c *call) writePrecondition(b store.Bucket) store.Precondition {
	ifNone, ifMatch := c.r.Header.Get("If-None-Match"), c.r.Header.Get("If-Match")
	return func(cur *store.Object) error {
		if ifNone != "" {
			if strings.TrimSpace(ifNone) != "*" {
				return s3err.New(http.StatusNotImplemented, "NotImplemented", "If-None-Match on a write supports only *")
			}
			if cur != nil {
				return preconditionFailed("If-None-Match")
			}
		}
		if ifMatch != "" {
			if cur == nil {
				return s3err.New(http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
			}
			if !conditions.ETagMatches(ifMatch, cur.ETag) {
				return preconditionFailed("If-Match")
			}
		}
		if cur != nil && b.Versioning != store.VersioningEnabled && cur.VersionID == store.NullVersion {
			return c.lockAllowsRemoval(cur)
		}
		return nil
	}
}

func preconditionFailed(cond string) error {
	return s3err.New(http.StatusPreconditionFailed, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold (%s)", cond)
}

// getObject serves GetObject and HeadObject.
func getObject(c *call) error {
	o, err := c.readTarget()
	if err != nil {
		return err
	}
	if status := conditional(c.r.Header, o, "If-"); status == http.StatusNotModified {
		h := c.w.Header()
		h.Set("ETag", o.ETag)
		h.Set("Last-Modified", o.LastModified.Format(http.TimeFormat))
		c.w.WriteHeader(http.StatusNotModified)
		return nil
	} else if status != 0 {
		return preconditionFailed("conditional GET")
	}
	start, length, status, err := c.selectBytes(o)
	if err != nil {
		return err
	}
	c.objectHeaders(o, status == http.StatusPartialContent)
	c.partChecksumHeader(o)
	h := c.w.Header()
	h.Set("Content-Length", strconv.FormatInt(length, 10))
	if status == http.StatusPartialContent {
		h.Set("Content-Range", "bytes "+strconv.FormatInt(start, 10)+"-"+strconv.FormatInt(start+length-1, 10)+"/"+strconv.FormatInt(o.Size, 10))
	}
	if c.r.Method == http.MethodHead {
		c.w.WriteHeader(status)
		return nil
	}
	content, err := c.h.cfg.Store.Open(o)
	if err != nil {
		return err
	}
	defer content.Close()
	c.w.WriteHeader(status)
	io.Copy(c.w, io.NewSectionReader(content, start, length))
	return nil
}

// readTarget finds the version a read names; a delete marker in the way
// is reported in headers, as S3 does.
func (c *call) readTarget() (*store.Object, error) {
	o, err := c.h.cfg.Store.Get(c.route.Bucket, c.route.Key, c.q.Get("versionId"))
	if err != nil && o != nil && o.DeleteMarker {
		c.w.Header().Set("X-Amz-Delete-Marker", "true")
		setVersionHeader(c.w.Header(), o)
	}
	return o, err
}

// conditional applies If-Match, If-None-Match, If-Modified-Since and
// If-Unmodified-Since (prefix "If-") or their x-amz-copy-source-if-*
// twins, with S3's precedence. It returns 0, 304 or 412; for a copy
// source, where there is nothing to be "not modified", 412 in place of 304.
func conditional(h http.Header, o *store.Object, prefix string) int {
	get := func(name string) (string, bool) {
		return conditions.FromHeader(h)(prefix + strings.TrimPrefix(name, "If-"))
	}
	status := conditions.Evaluate(get, o.ETag, o.LastModified)
	if status == http.StatusNotModified && prefix != "If-" {
		return http.StatusPreconditionFailed
	}
	return status
}

// selectBytes applies partNumber or Range.
func (c *call) selectBytes(o *store.Object) (start, length int64, status int, err error) {
	rng, pn := c.r.Header.Get("Range"), c.q.Get("partNumber")
	if rng != "" && pn != "" {
		return 0, 0, 0, s3range.ErrBoth()
	}
	if pn != "" {
		return c.selectPart(o, pn)
	}
	if rng == "" {
		return 0, o.Size, http.StatusOK, nil
	}
	start, end, ok := s3range.Apply(rng, o.Size)
	if !ok {
		return 0, o.Size, http.StatusOK, nil // S3 ignores a Range it cannot parse
	}
	if start < 0 {
		c.w.Header().Set("Content-Range", "bytes */"+strconv.FormatInt(o.Size, 10))
		return 0, 0, 0, s3range.ErrUnsatisfiable()
	}
	return start, end - start + 1, http.StatusPartialContent, nil
}

func (c *call) selectPart(o *store.Object, pn string) (int64, int64, int, error) {
	n, e := s3range.ParsePart(pn)
	if e != nil {
		return 0, 0, 0, e
	}
	sizes := o.PartSizes
	if len(sizes) == 0 {
		sizes = []int64{o.Size}
	}
	if n > len(sizes) {
		return 0, 0, 0, s3range.ErrPartUnsatisfiable()
	}
	var start int64
	for _, s := range sizes[:n-1] {
		start += s
	}
	if len(o.PartSizes) > 0 {
		c.w.Header().Set("X-Amz-Mp-Parts-Count", strconv.Itoa(len(o.PartSizes)))
		return start, sizes[n-1], http.StatusPartialContent, nil
	}
	return 0, o.Size, http.StatusOK, nil
}

// objectHeaders sets what GetObject and HeadObject say about o.
func (c *call) objectHeaders(o *store.Object, partial bool) {
	h := c.w.Header()
	h.Set("ETag", o.ETag)
	h.Set("Last-Modified", o.LastModified.Format(http.TimeFormat))
	h.Set("Accept-Ranges", "bytes")
	h.Set("Content-Type", "binary/octet-stream")
	for k, v := range o.Header {
		h.Set(k, v)
	}
	for k, v := range o.Meta {
		h["X-Amz-Meta-"+k] = []string{encodeMetaValue(v)}
	}
	setVersionHeader(h, o)
	if o.StorageClass != "" && o.StorageClass != "STANDARD" {
		h.Set("X-Amz-Storage-Class", o.StorageClass)
	}
	if len(o.Tags) > 0 {
		h.Set("X-Amz-Tagging-Count", strconv.Itoa(len(o.Tags)))
	}
	lockHeaders(h, o)
	if strings.EqualFold(c.r.Header.Get("X-Amz-Checksum-Mode"), "ENABLED") && !partial {
		setChecksumHeaders(h, o.Checksums, o.ChecksumType)
	}
	for _, name := range []string{"Content-Type", "Content-Language", "Expires", "Cache-Control", "Content-Disposition", "Content-Encoding"} {
		if v := c.q.Get("response-" + strings.ToLower(name)); v != "" {
			h.Set(name, v)
		}
	}
}

func deleteObject(c *call) error {
	b, err := c.h.cfg.Store.GetBucket(c.route.Bucket)
	if err != nil {
		return err
	}
	cond, err := c.requestDeleteCondition()
	if err != nil {
		return err
	}
	res, err := c.deleteWith(c.route.Key, c.q.Get("versionId"), cond, c.deletePrecondition(b))
	if err != nil {
		return err
	}
	if res.DeleteMarker {
		c.w.Header().Set("X-Amz-Delete-Marker", "true")
	}
	if res.VersionID != "" && (res.VersionID != store.NullVersion || b.Versioning != store.VersioningNever) {
		c.w.Header().Set("X-Amz-Version-Id", res.VersionID)
	}
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

// deletePrecondition refuses to remove a version object lock protects.
func (c *call) deletePrecondition(b store.Bucket) store.Precondition {
	return func(victim *store.Object) error {
		if victim == nil {
			return nil
		}
		return c.lockAllowsRemoval(victim)
	}
}

// copySource parses x-amz-copy-source: "[/]bucket/key[?versionId=id]",
// URL-encoded.
func copySource(v string) (bucket, key, versionID string, err error) {
	path, query, _ := strings.Cut(v, "?")
	path, perr := url.PathUnescape(strings.TrimPrefix(path, "/"))
	bucket, key, ok := strings.Cut(path, "/")
	if perr != nil || !ok || bucket == "" || key == "" {
		return "", "", "", s3err.InvalidRequest("x-amz-copy-source %q must be bucket/key, URL-encoded", v)
	}
	if query != "" {
		q, err := url.ParseQuery(query)
		if err != nil {
			return "", "", "", s3err.InvalidRequest("x-amz-copy-source %q has a bad query", v)
		}
		versionID = q.Get("versionId")
	}
	return bucket, key, versionID, nil
}

// openSource finds and checks the source of a copy.
func (c *call) openSource() (*store.Object, error) {
	bucket, key, vid, err := copySource(c.r.Header.Get("X-Amz-Copy-Source"))
	if err != nil {
		return nil, err
	}
	if err := c.mayRead(bucket, key, vid); err != nil {
		return nil, err
	}
	src, err := c.h.cfg.Store.Get(bucket, key, vid)
	if err != nil {
		if s3err.From(err).Code == "MethodNotAllowed" {
			return nil, s3err.InvalidRequest("The source of a copy request may not specifically refer to a delete marker by version id.")
		}
		return nil, err
	}
	if conditional(c.r.Header, src, "X-Amz-Copy-Source-If-") != 0 {
		return nil, preconditionFailed("x-amz-copy-source-if-*")
	}
	return src, nil
}

func copyObject(c *call) error {
	b, err := c.h.cfg.Store.GetBucket(c.route.Bucket)
	if err != nil {
		return err
	}
	src, err := c.openSource()
	if err != nil {
		return err
	}
	o, err := c.copyTarget(src)
	if err != nil {
		return err
	}
	c.applyDefaultRetention(b, &o)
	alg := c.r.Header.Get("X-Amz-Checksum-Algorithm")
	if alg == "" {
		alg = firstAlgorithm(src.Checksums, defaultAlgorithm)
	}
	if err := knownAlgorithm(strings.ToUpper(alg)); err != nil {
		return err
	}
	stored, err := c.copyData(src, o, strings.ToUpper(alg), c.writePrecondition(b))
	if err != nil {
		return err
	}
	if src.VersionID != store.NullVersion {
		c.w.Header().Set("X-Amz-Copy-Source-Version-Id", src.VersionID)
	}
	setVersionHeader(c.w.Header(), stored)
	res := copyResult{ETag: stored.ETag, LastModified: isoTime(stored.LastModified)}
	res.setChecksums(stored.Checksums)
	return c.writeXML(struct {
		XMLName struct{} `xml:"CopyObjectResult"`
		copyResult
	}{copyResult: res})
}

// copyTarget describes the copy: metadata and tags from the source or the
// request, as the directives say.
func (c *call) copyTarget(src *store.Object) (store.Object, error) {
	md := strings.ToUpper(c.r.Header.Get("X-Amz-Metadata-Directive"))
	td := strings.ToUpper(c.r.Header.Get("X-Amz-Tagging-Directive"))
	if (md != "" && md != "COPY" && md != "REPLACE") || (td != "" && td != "COPY" && td != "REPLACE") {
		return store.Object{}, s3err.New(http.StatusBadRequest, "InvalidArgument", "Unknown metadata or tagging directive.")
	}
	o, err := c.newObject()
	if err != nil {
		return o, err
	}
	if md != "REPLACE" {
		o.Header, o.Meta = src.Header, src.Meta
		if src.Bucket == o.Bucket && src.Key == o.Key && o.StorageClass == "" && c.r.Header.Get("X-Amz-Checksum-Algorithm") == "" &&
			c.r.Header.Get("X-Amz-Server-Side-Encryption") == "" {
			return o, s3err.InvalidRequest("This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.")
		}
	}
	if td != "REPLACE" {
		o.Tags = src.Tags
	}
	return o, nil
}

func firstAlgorithm(sums map[string]string, fallback string) string {
	for alg := range sums {
		return alg
	}
	return fallback
}

// stageCopy streams a byte range of src into staged data, hashing it
// with MD5 (the ETag) and alg.
func (c *call) stageCopy(src *store.Object, start, length int64, alg string) (*store.Staging, string, map[string]string, error) {
	content, err := c.h.cfg.Store.Open(src)
	if err != nil {
		return nil, "", nil, err
	}
	defer content.Close()
	st, err := c.h.cfg.Store.Stage()
	if err != nil {
		return nil, "", nil, err
	}
	ig := &integrity{md5: md5.New(), alg: alg}
	if newHash, ok := algorithms[alg]; ok {
		ig.sum = newHash()
	}
	if _, err := io.Copy(io.MultiWriter(st, ig), io.NewSectionReader(content, start, length)); err != nil {
		st.Abort()
		return nil, "", nil, err
	}
	etag, sums, err := ig.verify(nil)
	return st, `"` + etag + `"`, sums, err
}

// copyData copies src whole into a new version described by o.
func (c *call) copyData(src *store.Object, o store.Object, alg string, check store.Precondition) (*store.Object, error) {
	st, etag, sums, err := c.stageCopy(src, 0, src.Size, alg)
	if err != nil {
		return nil, err
	}
	o.ETag, o.Checksums, o.ChecksumType = etag, sums, "FULL_OBJECT"
	return c.h.cfg.Store.Put(o, st, check)
}

// partChecksumHeader gives GetObject?partNumber=N with checksum mode the
// part's own checksum, as S3 does for multipart objects.
func (c *call) partChecksumHeader(o *store.Object) {
	n, err := strconv.Atoi(c.q.Get("partNumber"))
	if err != nil || n < 1 || n > len(o.PartChecksums) || !strings.EqualFold(c.r.Header.Get("X-Amz-Checksum-Mode"), "ENABLED") {
		return
	}
	alg := firstAlgorithm(o.Checksums, "")
	c.w.Header().Set("X-Amz-Checksum-"+alg, o.PartChecksums[n-1])
	c.w.Header().Set("X-Amz-Checksum-Type", "COMPOSITE")
}
