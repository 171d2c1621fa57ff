package s3api

import (
	"encoding/xml"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/olkit/olkit/localemu/internal/s3auth"
	"github.com/olkit/olkit/s3err"
)

// POST Object: a browser-based upload, multipart/form-data to the bucket,
// with a policy signed by the key it acts for (or none, for a bucket that
// lets anonymous users write). Fields come before the file, which is
// streamed to the store like a PUT body; fields after it are ignored, as
// S3 ignores them.

const maxPostField = 20 << 10

func postObject(c *call) error {
	b, err := c.h.cfg.Store.GetBucket(c.route.Bucket)
	if err != nil {
		return err
	}
	fields, file, err := c.readPostForm()
	if err != nil {
		return err
	}
	fields["bucket"] = c.route.Bucket
	key := strings.ReplaceAll(fields["key"], "${filename}", file.FileName())
	fields["key"] = key
	if key == "" {
		return s3err.New(http.StatusBadRequest, "InvalidArgument", "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.")
	}
	if len(key) > 1024 || !utf8.ValidString(key) {
		return s3err.New(http.StatusBadRequest, "KeyTooLongError", "Your key is too long")
	}
	var pol *postPolicy
	accessKey := ""
	if fields["policy"] != "" {
		if accessKey, err = c.h.cfg.Auth.VerifyPostSignature(func(n string) string { return fields[n] }); err != nil {
			return err
		}
		if pol, err = parsePostPolicy(fields["policy"]); err != nil {
			return err
		}
		if err := pol.check(fields, time.Now()); err != nil {
			return err
		}
	}
	// From here the request is a PutObject by the policy's signer.
	r := c.r.Clone(c.r.Context())
	r.Header, r.ContentLength = postHeaders(fields), -1
	if r.Header.Get("Content-Type") == "" {
		r.Header.Set("Content-Type", file.Header.Get("Content-Type"))
	}
	c.r = r
	c.route.Key, c.route.Op = key, "PutObject"
	c.auth = &s3auth.Result{AccessKey: accessKey, Service: "s3", Body: &postFile{r: file, max: maxPutSize, pol: pol},
		DecodedLength: -1, Trailer: func() http.Header { return nil }}
	if err := c.authorize(); err != nil {
		return err
	}
	if t := fields["tagging"]; t != "" {
		q, err := taggingQuery(t)
		if err != nil {
			return err
		}
		r.Header.Set("X-Amz-Tagging", q)
	}
	o, err := c.newObject()
	if err != nil {
		return err
	}
	stored, err := c.storeUpload(b, o, pol.lengthOK)
	if err != nil {
		return err
	}
	setChecksumHeaders(c.w.Header(), stored.Checksums, stored.ChecksumType)
	return c.postAnswer(fields, stored.ETag, stored.VersionID)
}

// readPostForm reads the form fields up to the file part.
func (c *call) readPostForm() (map[string]string, *multipart.Part, error) {
	_, params, err := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	if err != nil || params["boundary"] == "" {
		return nil, nil, s3err.New(http.StatusBadRequest, "MalformedPOSTRequest", "The body of your POST request is not well-formed multipart/form-data.")
	}
	mr := multipart.NewReader(c.auth.Body, params["boundary"])
	fields := map[string]string{}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return nil, nil, s3err.InvalidRequest("POST requires exactly one file upload per request.")
		}
		if err != nil {
			return nil, nil, s3err.New(http.StatusBadRequest, "MalformedPOSTRequest", "The body of your POST request is not well-formed multipart/form-data.")
		}
		name := strings.ToLower(part.FormName())
		if name == "file" {
			return fields, part, nil
		}
		v, err := io.ReadAll(io.LimitReader(part, maxPostField+1))
		if err != nil || len(v) > maxPostField {
			return nil, nil, s3err.New(http.StatusBadRequest, "MalformedPOSTRequest", "form field %q is too long or cut short", name)
		}
		if _, dup := fields[name]; dup {
			return nil, nil, s3err.InvalidRequest("POST form field %q appears twice", name)
		}
		fields[name] = string(v)
	}
}

// postHeaders turns the form fields that describe the object into the
// request headers a PUT would carry.
func postHeaders(fields map[string]string) http.Header {
	h := http.Header{}
	for name, v := range fields {
		switch {
		case name == "acl":
			h.Set("X-Amz-Acl", v)
		case name == "content-md5", strings.HasPrefix(name, "x-amz-meta-"), strings.HasPrefix(name, "x-amz-checksum-"),
			name == "x-amz-storage-class", name == "x-amz-website-redirect-location":
			h.Set(name, v)
		case strings.HasPrefix(name, "x-amz-grant-"), strings.HasPrefix(name, "x-amz-object-lock-"):
			h.Set(name, v)
		}
		for _, sh := range storedHeaders {
			if strings.EqualFold(sh, name) {
				h.Set(sh, v)
			}
		}
	}
	return h
}

// taggingQuery turns the tagging field (a Tagging XML document) into
// x-amz-tagging's query form.
func taggingQuery(doc string) (string, error) {
	var ts tagSet
	if err := xml.Unmarshal([]byte(doc), &ts); err != nil {
		return "", s3err.New(http.StatusBadRequest, "MalformedXML", "the tagging field is not a Tagging document")
	}
	q := url.Values{}
	for _, t := range ts.Tags {
		q.Add(t.Key, t.Value)
	}
	return q.Encode(), nil
}

// postAnswer answers as success_action_redirect or
// success_action_status ask (204 by default).
func (c *call) postAnswer(fields map[string]string, etag, versionID string) error {
	h := c.w.Header()
	h.Set("ETag", etag)
	if versionID != "" && versionID != "null" {
		h.Set("X-Amz-Version-Id", versionID)
	}
	scheme := "http"
	if c.r.TLS != nil {
		scheme = "https"
	}
	location := scheme + "://" + c.r.Host + "/" + c.route.Bucket + "/" + url.PathEscape(c.route.Key)
	h.Set("Location", location)
	redirect := fields["success_action_redirect"]
	if redirect == "" {
		redirect = fields["redirect"]
	}
	if u, err := url.Parse(redirect); redirect != "" && err == nil && u.IsAbs() {
		q := u.Query()
		q.Set("bucket", c.route.Bucket)
		q.Set("key", c.route.Key)
		q.Set("etag", etag)
		u.RawQuery = q.Encode()
		h.Set("Location", u.String())
		c.w.WriteHeader(http.StatusSeeOther)
		return nil
	}
	switch fields["success_action_status"] {
	case "200":
		c.w.WriteHeader(http.StatusOK)
		return nil
	case "201":
		c.w.Header().Set("Content-Type", "application/xml")
		c.w.WriteHeader(http.StatusCreated)
		io.WriteString(c.w, xml.Header)
		return xml.NewEncoder(c.w).Encode(struct {
			XMLName  xml.Name `xml:"PostResponse"`
			Location string
			Bucket   string
			Key      string
			ETag     string
		}{Location: location, Bucket: c.route.Bucket, Key: c.route.Key, ETag: etag})
	}
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

// postFile is the file part, failing the read that goes past what the
// policy's content-length-range (or S3's PUT limit) allows, so that an
// oversized upload is not staged whole first.
type postFile struct {
	r   io.Reader
	n   int64
	max int64
	pol *postPolicy
}

func (f *postFile) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	f.n += int64(n)
	if f.n > f.max || (f.pol != nil && f.pol.maxLen >= 0 && f.n > f.pol.maxLen) {
		return n, s3err.New(http.StatusBadRequest, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size")
	}
	return n, err
}

func (f *postFile) Close() error { return nil }
