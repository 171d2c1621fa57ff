package s3api

import (
	"encoding/base64"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/olkit/olkit/s3err"
)

// Request validation S3 does that does not belong to one operation.

// storageClasses are the x-amz-storage-class values S3 accepts.
var storageClasses = map[string]bool{
	"STANDARD": true, "REDUCED_REDUNDANCY": true, "STANDARD_IA": true, "ONEZONE_IA": true,
	"INTELLIGENT_TIERING": true, "GLACIER": true, "DEEP_ARCHIVE": true, "OUTPOSTS": true,
	"GLACIER_IR": true, "SNOW": true, "EXPRESS_ONEZONE": true, "FSX_OPENZFS": true, "FSX_ONTAP": true,
}

func validStorageClass(sc string) error {
	if sc != "" && !storageClasses[sc] {
		return s3err.New(http.StatusBadRequest, "InvalidStorageClass", "The storage class you specified is not valid")
	}
	return nil
}

// reservedBucketAffixes are the prefixes and suffixes S3 keeps for
// itself (access point aliases, Object Lambda aliases, multi-region
// access points, directory buckets, S3 Tables).
var (
	reservedBucketPrefixes = []string{"xn--", "sthree-", "amzn-s3-demo-"}
	reservedBucketSuffixes = []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"}
)

func reservedBucketName(n string) bool {
	for _, p := range reservedBucketPrefixes {
		if strings.HasPrefix(n, p) {
			return true
		}
	}
	for _, s := range reservedBucketSuffixes {
		if strings.HasSuffix(n, s) {
			return true
		}
	}
	return false
}

// requireIntegrityHeader refuses a request S3 requires Content-MD5 or an
// x-amz-checksum-* for (DeleteObjects); a trailing checksum counts.
func requireIntegrityHeader(r *http.Request) error {
	if r.Header.Get("Content-MD5") != "" || strings.HasPrefix(strings.ToLower(r.Header.Get("X-Amz-Trailer")), "x-amz-checksum-") {
		return nil
	}
	for name := range r.Header {
		alg, ok := strings.CutPrefix(strings.ToUpper(name), "X-AMZ-CHECKSUM-")
		if ok && alg != "MODE" && alg != "TYPE" && alg != "ALGORITHM" {
			return nil
		}
	}
	return s3err.InvalidRequest("Missing required header for this request: Content-MD5 OR x-amz-checksum-*")
}

// readIntegrityXML reads a request's XML body into v for the operations
// S3 makes send Content-MD5 or an x-amz-checksum-* (DeleteObjects, bucket
// tagging, CORS): the header must be there and the body must match it.
func (c *call) readIntegrityXML(v any) error {
	if err := requireIntegrityHeader(c.r); err != nil {
		return err
	}
	finish, err := c.verifiedBody()
	if err != nil {
		return err
	}
	if err := c.readXML(v); err != nil {
		return err
	}
	return finish()
}

// verifiedBody wraps the request body so that reading it to the end
// checks Content-MD5 and any x-amz-checksum-* against it; finish drains
// what the reader left and reports a mismatch as S3 does (BadDigest).
func (c *call) verifiedBody() (finish func() error, err error) {
	ig, err := newIntegrity(c.r, "")
	if err != nil {
		return nil, err
	}
	body := c.auth.Body
	c.auth.Body = struct {
		io.Reader
		io.Closer
	}{io.TeeReader(body, ig), body}
	return func() error {
		if _, err := io.Copy(ig, body); err != nil {
			return s3err.From(err)
		}
		_, _, err := ig.verify(c.auth.Trailer())
		return err
	}, nil
}

// User metadata and non-ASCII text, as S3 documents it: a value arriving
// as RFC 2047 encoded-words is decoded before it is stored, and a stored
// value with non-ASCII characters is returned RFC 2047-encoded ("mail
// safe"); ASCII values pass unchanged both ways. Raw bytes that are not
// UTF-8 are read as ISO-8859-1, which is what HTTP headers carry.

var wordDecoder = &mime.WordDecoder{}

func decodeMetaValue(v string) string {
	if !utf8.ValidString(v) {
		runes := make([]rune, len(v))
		for i := 0; i < len(v); i++ {
			runes[i] = rune(v[i])
		}
		v = string(runes)
	}
	if d, err := wordDecoder.DecodeHeader(v); err == nil {
		return d
	}
	return v
}

func encodeMetaValue(v string) string {
	for i := 0; i < len(v); i++ {
		if v[i] >= 0x80 {
			return "=?UTF-8?B?" + base64.StdEncoding.EncodeToString([]byte(v)) + "?="
		}
	}
	return v
}
