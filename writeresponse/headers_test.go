package writeresponse_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/s3err"
	"github.com/olkit/olkit/writeresponse"
)

func fullHeader() http.Header {
	h := http.Header{}
	h.Set("Accept-Ranges", "bytes")
	h.Set("Cache-Control", "max-age=60")
	h.Set("Content-Disposition", `attachment; filename="a.txt"`)
	h.Set("Content-Encoding", "gzip")
	h.Set("Content-Language", "en-GB")
	h.Set("Content-Range", "bytes 0-9/100")
	h.Set("Content-Type", "text/plain")
	h.Set("ETag", `"0123456789abcdef"`)
	h.Set("Expires", "Wed, 21 Oct 2015 07:28:00 GMT")
	h.Set("Last-Modified", "Tue, 20 Oct 2015 06:27:59 GMT")
	h.Set("x-amz-expiration", `expiry-date="Fri, 23 Dec 2012 00:00:00 GMT", rule-id="r1"`)
	h.Set("x-amz-restore", `ongoing-request="false", expiry-date="Fri, 21 Dec 2012 00:00:00 GMT"`)
	h.Set("x-amz-version-id", "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY")
	h.Set("x-amz-object-lock-mode", "GOVERNANCE")
	h.Set("x-amz-object-lock-legal-hold", "ON")
	h.Set("x-amz-object-lock-retain-until-date", "2030-01-02T03:04:05.678Z")
	h.Set("x-amz-replication-status", "COMPLETED")
	h.Set("x-amz-request-charged", "requester")
	h.Set("x-amz-storage-class", "STANDARD_IA")
	h.Set("x-amz-server-side-encryption", "aws:kms")
	h.Set("x-amz-server-side-encryption-aws-kms-key-id", "arn:aws:kms:us-east-1:111122223333:key/k")
	h.Set("x-amz-server-side-encryption-customer-algorithm", "AES256")
	h.Set("x-amz-server-side-encryption-customer-key-MD5", "bWQ1bWQ1bWQ1bWQ1bWQ1bQ==")
	h.Set("x-amz-server-side-encryption-bucket-key-enabled", "true")
	h.Set("x-amz-missing-meta", "2")
	h.Set("x-amz-mp-parts-count", "5")
	h.Set("x-amz-tagging-count", "4")
	h.Set("x-amz-delete-marker", "false")
	h.Set("x-amz-checksum-crc32", "AAAAAA==")
	h.Set("x-amz-meta-owner", "alice")
	h.Set("x-amz-meta-Project-Name", "olkit")
	return h
}

func TestInputFields(t *testing.T) {
	in := writeresponse.Input("route-1", "token-1", writeresponse.Response{
		Status: http.StatusPartialContent,
		Header: fullHeader(),
		Body:   strings.NewReader("0123456789"),
		Size:   10,
	})
	require.NotNil(t, in)

	tests := []struct {
		header string
		got    any
		want   any
	}{
		{"route", in.RequestRoute, aws.String("route-1")},
		{"token", in.RequestToken, aws.String("token-1")},
		{"status", in.StatusCode, aws.Int32(206)},
		{"size", in.ContentLength, aws.Int64(10)},
		{"Accept-Ranges", in.AcceptRanges, aws.String("bytes")},
		{"Cache-Control", in.CacheControl, aws.String("max-age=60")},
		{"Content-Disposition", in.ContentDisposition, aws.String(`attachment; filename="a.txt"`)},
		{"Content-Encoding", in.ContentEncoding, aws.String("gzip")},
		{"Content-Language", in.ContentLanguage, aws.String("en-GB")},
		{"Content-Range", in.ContentRange, aws.String("bytes 0-9/100")},
		{"Content-Type", in.ContentType, aws.String("text/plain")},
		{"ETag", in.ETag, aws.String(`"0123456789abcdef"`)},
		{"Expires", in.Expires, aws.Time(time.Date(2015, 10, 21, 7, 28, 0, 0, time.UTC))},
		{"Last-Modified", in.LastModified, aws.Time(time.Date(2015, 10, 20, 6, 27, 59, 0, time.UTC))},
		{"x-amz-expiration", in.Expiration, aws.String(`expiry-date="Fri, 23 Dec 2012 00:00:00 GMT", rule-id="r1"`)},
		{"x-amz-restore", in.Restore, aws.String(`ongoing-request="false", expiry-date="Fri, 21 Dec 2012 00:00:00 GMT"`)},
		{"x-amz-version-id", in.VersionId, aws.String("3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY")},
		{"x-amz-object-lock-mode", in.ObjectLockMode, types.ObjectLockModeGovernance},
		{"x-amz-object-lock-legal-hold", in.ObjectLockLegalHoldStatus, types.ObjectLockLegalHoldStatusOn},
		{"x-amz-object-lock-retain-until-date", in.ObjectLockRetainUntilDate, aws.Time(time.Date(2030, 1, 2, 3, 4, 5, 678000000, time.UTC))},
		{"x-amz-replication-status", in.ReplicationStatus, types.ReplicationStatusCompleted},
		{"x-amz-request-charged", in.RequestCharged, types.RequestChargedRequester},
		{"x-amz-storage-class", in.StorageClass, types.StorageClassStandardIa},
		{"x-amz-server-side-encryption", in.ServerSideEncryption, types.ServerSideEncryptionAwsKms},
		{"x-amz-server-side-encryption-aws-kms-key-id", in.SSEKMSKeyId, aws.String("arn:aws:kms:us-east-1:111122223333:key/k")},
		{"x-amz-server-side-encryption-customer-algorithm", in.SSECustomerAlgorithm, aws.String("AES256")},
		{"x-amz-server-side-encryption-customer-key-MD5", in.SSECustomerKeyMD5, aws.String("bWQ1bWQ1bWQ1bWQ1bWQ1bQ==")},
		{"x-amz-server-side-encryption-bucket-key-enabled", in.BucketKeyEnabled, aws.Bool(true)},
		{"x-amz-missing-meta", in.MissingMeta, aws.Int32(2)},
		{"x-amz-mp-parts-count", in.PartsCount, aws.Int32(5)},
		{"x-amz-tagging-count", in.TagCount, aws.Int32(4)},
		{"x-amz-delete-marker", in.DeleteMarker, aws.Bool(false)},
		{"x-amz-checksum-crc32", in.ChecksumCRC32, aws.String("AAAAAA==")},
		{"x-amz-meta-*", in.Metadata, map[string]string{"owner": "alice", "project-name": "olkit"}},
	}
	for _, tc := range tests {
		t.Run(tc.header, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.got)
		})
	}

	// Nothing an error answer carries, nor a body that was not given.
	assert.Nil(t, in.ErrorCode)
	assert.Nil(t, in.ErrorMessage)
	assert.Nil(t, in.Body)
}

// Each header maps to its own field only: with just that one header set,
// exactly one field of the input differs from the input with no headers.
func TestInputFieldsIndependently(t *testing.T) {
	empty := writeresponse.Input("r", "t", writeresponse.Response{Status: 200, Size: 0})
	for name, values := range fullHeader() {
		t.Run(name, func(t *testing.T) {
			h := http.Header{name: values}
			in := writeresponse.Input("r", "t", writeresponse.Response{Status: 200, Header: h, Size: 0})
			assert.NotEqual(t, empty, in, "header %s changed nothing", name)
		})
	}
}

func TestInputNoHeaders(t *testing.T) {
	for _, h := range []http.Header{nil, {}} {
		in := writeresponse.Input("r", "t", writeresponse.Response{Status: 304, Header: h, Size: -1})
		assert.Equal(t, &s3.WriteGetObjectResponseInput{
			RequestRoute:  aws.String("r"),
			RequestToken:  aws.String("t"),
			StatusCode:    aws.Int32(304),
			ContentLength: aws.Int64(0),
		}, in)
	}
}

func TestInputContentLength(t *testing.T) {
	body := strings.NewReader("x")
	cases := []struct {
		name string
		resp writeresponse.Response
		want *int64
	}{
		{"known size", writeresponse.Response{Status: 200, Body: body, Size: 123}, aws.Int64(123)},
		{"zero size", writeresponse.Response{Status: 200, Body: body, Size: 0}, aws.Int64(0)},
		{"known size, no body", writeresponse.Response{Status: 200, Size: 5}, aws.Int64(5)},
		{"unknown size with body", writeresponse.Response{Status: 200, Body: body, Size: -1}, nil},
		{"no body", writeresponse.Response{Status: 304, Size: -1}, aws.Int64(0)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := writeresponse.Input("r", "t", tc.resp)
			assert.Equal(t, tc.want, in.ContentLength)
		})
	}
}

func TestInputUnparsableValuesLeftOut(t *testing.T) {
	h := http.Header{}
	h.Set("Expires", "0")
	h.Set("Last-Modified", "yesterday")
	h.Set("x-amz-object-lock-retain-until-date", "2030-13-45")
	h.Set("x-amz-missing-meta", "two")
	h.Set("x-amz-mp-parts-count", "99999999999")
	h.Set("x-amz-tagging-count", "1.5")
	h.Set("x-amz-server-side-encryption-bucket-key-enabled", "yes")
	h.Set("x-amz-delete-marker", "maybe")
	in := writeresponse.Input("r", "t", writeresponse.Response{Status: 200, Header: h, Size: 0})
	assert.Nil(t, in.Expires)
	assert.Nil(t, in.LastModified)
	assert.Nil(t, in.ObjectLockRetainUntilDate)
	assert.Nil(t, in.MissingMeta)
	assert.Nil(t, in.PartsCount, "out of int32 range")
	assert.Nil(t, in.TagCount)
	assert.Nil(t, in.BucketKeyEnabled)
	assert.Nil(t, in.DeleteMarker)
}

func TestInputDateForms(t *testing.T) {
	want := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, v := range []string{"2030-01-02T03:04:05Z", "2030-01-02T04:04:05+01:00", "Wed, 02 Jan 2030 03:04:05 GMT"} {
		h := http.Header{}
		h.Set("x-amz-object-lock-retain-until-date", v)
		in := writeresponse.Input("r", "t", writeresponse.Response{Status: 200, Header: h, Size: 0})
		if assert.NotNil(t, in.ObjectLockRetainUntilDate, v) {
			assert.True(t, want.Equal(*in.ObjectLockRetainUntilDate), "%s gave %v", v, *in.ObjectLockRetainUntilDate)
		}
	}
	// Expires and Last-Modified take any of the HTTP date forms.
	h := http.Header{}
	h.Set("Expires", "Wednesday, 02-Jan-30 03:04:05 GMT") // RFC 850
	h.Set("Last-Modified", "Wed Jan  2 03:04:05 2030")    // asctime
	in := writeresponse.Input("r", "t", writeresponse.Response{Status: 200, Header: h, Size: 0})
	require.NotNil(t, in.Expires)
	require.NotNil(t, in.LastModified)
	assert.True(t, want.Equal(*in.Expires))
	assert.True(t, want.Equal(*in.LastModified))
}

func TestInputChecksumOne(t *testing.T) {
	all := map[string]string{
		"x-amz-checksum-crc64nvme": "NVME",
		"x-amz-checksum-sha256":    "SHA256",
		"x-amz-checksum-sha1":      "SHA1",
		"x-amz-checksum-crc32c":    "CRC32C",
		"x-amz-checksum-crc32":     "CRC32",
	}
	order := []string{"x-amz-checksum-crc64nvme", "x-amz-checksum-sha256", "x-amz-checksum-sha1", "x-amz-checksum-crc32c", "x-amz-checksum-crc32"}

	set := func(in *s3.WriteGetObjectResponseInput) map[string]string {
		got := map[string]string{}
		for name, p := range map[string]*string{
			"x-amz-checksum-crc64nvme": in.ChecksumCRC64NVME,
			"x-amz-checksum-sha256":    in.ChecksumSHA256,
			"x-amz-checksum-sha1":      in.ChecksumSHA1,
			"x-amz-checksum-crc32c":    in.ChecksumCRC32C,
			"x-amz-checksum-crc32":     in.ChecksumCRC32,
		} {
			if p != nil {
				got[name] = *p
			}
		}
		return got
	}

	// With the strongest i headers removed, the next one wins, alone.
	for i := range order {
		h := http.Header{}
		for _, name := range order[i:] {
			h.Set(name, all[name])
		}
		in := writeresponse.Input("r", "t", writeresponse.Response{Status: 200, Header: h, Size: 0})
		assert.Equal(t, map[string]string{order[i]: all[order[i]]}, set(in), "headers %v", order[i:])
	}

	// Each alone reaches its own field.
	for _, name := range order {
		h := http.Header{}
		h.Set(name, all[name])
		in := writeresponse.Input("r", "t", writeresponse.Response{Status: 200, Header: h, Size: 0})
		assert.Equal(t, map[string]string{name: all[name]}, set(in))
	}

	t.Run("composite skipped for the next", func(t *testing.T) {
		h := http.Header{}
		h.Set("x-amz-checksum-crc64nvme", "abc==-3")
		h.Set("x-amz-checksum-sha256", "def==-3")
		h.Set("x-amz-checksum-crc32", "AAAAAA==")
		in := writeresponse.Input("r", "t", writeresponse.Response{Status: 200, Header: h, Size: 0})
		assert.Equal(t, map[string]string{"x-amz-checksum-crc32": "AAAAAA=="}, set(in))
	})

	t.Run("only composite", func(t *testing.T) {
		h := http.Header{}
		h.Set("x-amz-checksum-crc32c", "abc==-3")
		in := writeresponse.Input("r", "t", writeresponse.Response{Status: 200, Header: h, Size: 0})
		assert.Empty(t, set(in))
	})
}

func TestInputMetadata(t *testing.T) {
	h := http.Header{}
	h.Add("X-Amz-Meta-Color", "red")
	h.Add("X-Amz-Meta-Color", "blue")
	h.Set("X-Amz-Meta-MixedCase-Key", "v")
	h["x-amz-meta-raw"] = []string{"lower"} // not canonicalised
	h.Set("X-Amz-Meta-", "no key")
	h.Set("X-Amz-Metadata-Directive", "COPY")
	h.Set("Content-Type", "text/plain")
	in := writeresponse.Input("r", "t", writeresponse.Response{Status: 200, Header: h, Size: 0})
	assert.Equal(t, map[string]string{
		"color":         "red,blue",
		"mixedcase-key": "v",
		"raw":           "lower",
	}, in.Metadata)

	// No meta headers, no map.
	in = writeresponse.Input("r", "t", writeresponse.Response{Status: 200, Header: http.Header{"Content-Type": {"x"}}, Size: 0})
	assert.Nil(t, in.Metadata)
}

func TestInputEmptyValuesLeftOut(t *testing.T) {
	h := http.Header{}
	for name := range fullHeader() {
		if strings.HasPrefix(strings.ToLower(name), "x-amz-meta-") {
			continue
		}
		h[name] = []string{""}
	}
	in := writeresponse.Input("r", "t", writeresponse.Response{Status: 200, Header: h, Size: 0})
	empty := writeresponse.Input("r", "t", writeresponse.Response{Status: 200, Size: 0})
	assert.Equal(t, empty, in)
}

// ---- ErrorInput ----

func TestErrorInputBasic(t *testing.T) {
	in := writeresponse.ErrorInput("route-9", "token-9", s3err.New(404, "NoSuchKey", "The specified key does not exist."))
	assert.Equal(t, &s3.WriteGetObjectResponseInput{
		RequestRoute: aws.String("route-9"),
		RequestToken: aws.String("token-9"),
		StatusCode:   aws.Int32(404),
		ErrorCode:    aws.String("NoSuchKey"),
		ErrorMessage: aws.String("The specified key does not exist."),
	}, in)
}

func TestErrorInputInvalidCode(t *testing.T) {
	cases := []struct {
		status int
		code   string
		want   string
	}{
		{400, "not-valid", "InvalidRequest"},
		{403, "lower", "AccessDenied"},
		{404, "", "NoSuchKey"},
		{503, "Slow Down", "ServiceUnavailable"},
		{500, "X", "InternalError"},
		{412, "Precondition_Failed", "PreconditionFailed"},
		{416, "InvalidRange", "InvalidRange"}, // valid, kept
		{400, "MyCustomCode", "MyCustomCode"}, // valid, kept
	}
	for _, tc := range cases {
		in := writeresponse.ErrorInput("r", "t", s3err.New(tc.status, tc.code, "m"))
		assert.Equal(t, tc.want, aws.ToString(in.ErrorCode), "status %d code %q", tc.status, tc.code)
		assert.Equal(t, tc.want == tc.code, s3err.ValidCode(tc.code))
	}
}

func TestErrorInputStatus(t *testing.T) {
	cases := map[int]int{
		429: 503,
		418: 400,
		410: 400,
		502: 500,
		504: 500,
		501: 500,
		200: 500,
		304: 500,
		0:   500,
	}
	for _, s := range []int{400, 401, 403, 404, 405, 409, 411, 412, 416, 500, 503} {
		cases[s] = s
	}
	for status, want := range cases {
		in := writeresponse.ErrorInput("r", "t", s3err.New(status, "SomeCode", "m"))
		assert.Equal(t, int32(want), aws.ToInt32(in.StatusCode), "status %d", status)
		assert.Equal(t, "SomeCode", aws.ToString(in.ErrorCode), "a valid code is kept for status %d", status)
	}
}

func TestErrorInputMessageHeaderSafe(t *testing.T) {
	cases := map[string]string{
		"plain":                    "plain",
		"line one\nline two":       "line one line two",
		"crlf\r\nX-Injected: yes":  "crlf  X-Injected: yes",
		"tab\tnul\x00bell\x07":     "tab nul bell ",
		"del\x7f":                  "del?",
		"café naïve":               "caf? na?ve",
		"日本":                       "??",
		"bad utf8 \xff\xfe":        "bad utf8 ??",
		"":                         "",
		"quotes \"and\" 'singles'": "quotes \"and\" 'singles'",
	}
	for msg, want := range cases {
		in := writeresponse.ErrorInput("r", "t", s3err.New(400, "InvalidRequest", "%s", msg))
		got := aws.ToString(in.ErrorMessage)
		assert.Equal(t, want, got, "message %q", msg)
		for _, r := range got {
			assert.True(t, r >= 0x20 && r < 0x7f, "message %q kept %q", msg, r)
		}
	}
}

func TestErrorInputMessageTruncated(t *testing.T) {
	// Exactly at the limit: kept whole.
	atLimit := strings.Repeat("a", 1024)
	in := writeresponse.ErrorInput("r", "t", s3err.New(500, "InternalError", "%s", atLimit))
	assert.Equal(t, atLimit, aws.ToString(in.ErrorMessage))

	// Over it: cut to the limit and marked.
	long := strings.Repeat("b", 1023) + "cdefg" + strings.Repeat("z", 5000)
	in = writeresponse.ErrorInput("r", "t", s3err.New(500, "InternalError", "%s", long))
	got := aws.ToString(in.ErrorMessage)
	assert.Equal(t, strings.Repeat("b", 1023)+"c...", got)
	assert.LessOrEqual(t, len(got), 1024+len("..."))

	// Sanitising and truncation together.
	long = strings.Repeat("é\n", 2000)
	in = writeresponse.ErrorInput("r", "t", s3err.New(500, "InternalError", "%s", long))
	got = aws.ToString(in.ErrorMessage)
	assert.Equal(t, strings.Repeat("? ", 512)+"...", got)
}
