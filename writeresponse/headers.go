package writeresponse

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// Input builds the WGOR input for a successful (or 304) answer: every
// GetObject response header in resp.Header that WGOR can carry is mapped to
// its field; x-amz-meta-* become Metadata. Headers the chain removed are
// simply absent. A value that does not parse (a date, a number) is left out
// rather than sent wrong.
func Input(route, token string, resp Response) *s3.WriteGetObjectResponseInput {
	h := resp.Header
	if h == nil {
		h = http.Header{}
	}
	in := &s3.WriteGetObjectResponseInput{
		RequestRoute: aws.String(route),
		RequestToken: aws.String(token),
		StatusCode:   aws.Int32(int32(resp.Status)),
	}
	if resp.Size >= 0 {
		in.ContentLength = aws.Int64(resp.Size)
	} else if resp.Body == nil {
		in.ContentLength = aws.Int64(0)
	}
	for name, set := range stringFields {
		if v := h.Get(name); v != "" {
			set(in, v)
		}
	}
	in.Expires = httpTime(h.Get("Expires"))
	in.LastModified = httpTime(h.Get("Last-Modified"))
	in.ObjectLockRetainUntilDate = isoTime(h.Get("X-Amz-Object-Lock-Retain-Until-Date"))
	in.MissingMeta = int32Header(h.Get("X-Amz-Missing-Meta"))
	in.PartsCount = int32Header(h.Get("X-Amz-Mp-Parts-Count"))
	in.TagCount = int32Header(h.Get("X-Amz-Tagging-Count"))
	in.BucketKeyEnabled = boolHeader(h.Get("X-Amz-Server-Side-Encryption-Bucket-Key-Enabled"))
	in.DeleteMarker = boolHeader(h.Get("X-Amz-Delete-Marker"))
	setChecksum(in, h)
	in.Metadata = metadata(h)
	return in
}

// stringFields maps each string-valued GetObject header to its WGOR field.
var stringFields = map[string]func(*s3.WriteGetObjectResponseInput, string){
	"Accept-Ranges":       func(in *s3.WriteGetObjectResponseInput, v string) { in.AcceptRanges = &v },
	"Cache-Control":       func(in *s3.WriteGetObjectResponseInput, v string) { in.CacheControl = &v },
	"Content-Disposition": func(in *s3.WriteGetObjectResponseInput, v string) { in.ContentDisposition = &v },
	"Content-Encoding":    func(in *s3.WriteGetObjectResponseInput, v string) { in.ContentEncoding = &v },
	"Content-Language":    func(in *s3.WriteGetObjectResponseInput, v string) { in.ContentLanguage = &v },
	"Content-Range":       func(in *s3.WriteGetObjectResponseInput, v string) { in.ContentRange = &v },
	"Content-Type":        func(in *s3.WriteGetObjectResponseInput, v string) { in.ContentType = &v },
	"Etag":                func(in *s3.WriteGetObjectResponseInput, v string) { in.ETag = &v },
	"X-Amz-Expiration":    func(in *s3.WriteGetObjectResponseInput, v string) { in.Expiration = &v },
	"X-Amz-Restore":       func(in *s3.WriteGetObjectResponseInput, v string) { in.Restore = &v },
	"X-Amz-Version-Id":    func(in *s3.WriteGetObjectResponseInput, v string) { in.VersionId = &v },
	"X-Amz-Object-Lock-Mode": func(in *s3.WriteGetObjectResponseInput, v string) {
		in.ObjectLockMode = types.ObjectLockMode(v)
	},
	"X-Amz-Object-Lock-Legal-Hold": func(in *s3.WriteGetObjectResponseInput, v string) {
		in.ObjectLockLegalHoldStatus = types.ObjectLockLegalHoldStatus(v)
	},
	"X-Amz-Replication-Status": func(in *s3.WriteGetObjectResponseInput, v string) {
		in.ReplicationStatus = types.ReplicationStatus(v)
	},
	"X-Amz-Request-Charged": func(in *s3.WriteGetObjectResponseInput, v string) {
		in.RequestCharged = types.RequestCharged(v)
	},
	"X-Amz-Storage-Class": func(in *s3.WriteGetObjectResponseInput, v string) {
		in.StorageClass = types.StorageClass(v)
	},
	"X-Amz-Server-Side-Encryption": func(in *s3.WriteGetObjectResponseInput, v string) {
		in.ServerSideEncryption = types.ServerSideEncryption(v)
	},
	"X-Amz-Server-Side-Encryption-Aws-Kms-Key-Id": func(in *s3.WriteGetObjectResponseInput, v string) {
		in.SSEKMSKeyId = &v
	},
	"X-Amz-Server-Side-Encryption-Customer-Algorithm": func(in *s3.WriteGetObjectResponseInput, v string) {
		in.SSECustomerAlgorithm = &v
	},
	"X-Amz-Server-Side-Encryption-Customer-Key-Md5": func(in *s3.WriteGetObjectResponseInput, v string) {
		in.SSECustomerKeyMD5 = &v
	},
}

// checksumOrder lists the checksum headers WGOR accepts, strongest first.
// WGOR takes at most one; S3 sends one per object, so the order only matters
// for headers a transform added.
var checksumOrder = []struct {
	header string
	set    func(*s3.WriteGetObjectResponseInput, *string)
}{
	{"X-Amz-Checksum-Crc64nvme", func(in *s3.WriteGetObjectResponseInput, v *string) { in.ChecksumCRC64NVME = v }},
	{"X-Amz-Checksum-Sha256", func(in *s3.WriteGetObjectResponseInput, v *string) { in.ChecksumSHA256 = v }},
	{"X-Amz-Checksum-Sha1", func(in *s3.WriteGetObjectResponseInput, v *string) { in.ChecksumSHA1 = v }},
	{"X-Amz-Checksum-Crc32c", func(in *s3.WriteGetObjectResponseInput, v *string) { in.ChecksumCRC32C = v }},
	{"X-Amz-Checksum-Crc32", func(in *s3.WriteGetObjectResponseInput, v *string) { in.ChecksumCRC32 = v }},
}

// setChecksum forwards one full-object checksum. A composite checksum (a
// multipart upload's checksum of part checksums, written "value-N") does not
// describe the body as a whole and S3 could not validate it, so it is left out.
func setChecksum(in *s3.WriteGetObjectResponseInput, h http.Header) {
	for _, c := range checksumOrder {
		v := h.Get(c.header)
		if v == "" || strings.Contains(v, "-") {
			continue
		}
		c.set(in, &v)
		return
	}
}

// metadata collects x-amz-meta-* headers under their lower-case names, as S3
// stores them; repeated values are comma-joined as HTTP would fold them.
func metadata(h http.Header) map[string]string {
	var m map[string]string
	for name, values := range h {
		lower := strings.ToLower(name)
		key, ok := strings.CutPrefix(lower, "x-amz-meta-")
		if !ok || key == "" {
			continue
		}
		if m == nil {
			m = map[string]string{}
		}
		m[key] = strings.Join(values, ",")
	}
	return m
}

func httpTime(v string) *time.Time {
	if v == "" {
		return nil
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return nil
	}
	return &t
}

func isoTime(v string) *time.Time {
	if v == "" {
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return httpTime(v)
	}
	return &t
}

func int32Header(v string) *int32 {
	if v == "" {
		return nil
	}
	n, err := strconv.ParseInt(v, 10, 32)
	if err != nil {
		return nil
	}
	return aws.Int32(int32(n))
}

func boolHeader(v string) *bool {
	b, err := strconv.ParseBool(v)
	if err != nil {
		return nil
	}
	return &b
}
