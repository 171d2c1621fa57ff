package localemu_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/localemu/emutest"
)

var ctx = context.Background()

// errCode is the S3 error code of err ("" when err is nil).
func errCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

func httpStatus(err error) int {
	var re interface{ HTTPStatusCode() int }
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

// clients returns SDK clients for every way users reach the emulator:
// HTTP and HTTPS, path style (IP endpoint) and virtual hosts.
func clients(t *testing.T) map[string]*s3.Client {
	vhost := emutest.New(t)
	port := vhost.URL[strings.LastIndex(vhost.URL, ":"):]
	return map[string]*s3.Client{
		"http-path":  s3.NewFromConfig(emutest.New(t).Config),
		"http-vhost": s3.NewFromConfig(vhost.LoadConfig(t, "http://localhost"+port)),
		"https-path": s3.NewFromConfig(emutest.New(t, emutest.WithTLS()).Config),
	}
}

func mustCreate(t *testing.T, c *s3.Client, bucket string) {
	t.Helper()
	_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)})
	require.NoError(t, err)
}

func mustPut(t *testing.T, c *s3.Client, bucket, key, body string) *s3.PutObjectOutput {
	t.Helper()
	out, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: strings.NewReader(body)})
	require.NoError(t, err)
	return out
}

func mustGet(t *testing.T, c *s3.Client, bucket, key string) string {
	t.Helper()
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	require.NoError(t, err)
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	require.NoError(t, err)
	return string(b)
}

func TestSDKBuckets(t *testing.T) {
	for name, c := range clients(t) {
		t.Run(name, func(t *testing.T) {
			mustCreate(t, c, "alpha")
			mustCreate(t, c, "beta")
			_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("alpha")})
			assert.NoError(t, err, "us-east-1 answers 200 to the owner re-creating a bucket")
			_, err = c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("Bad_Name")})
			assert.Equal(t, "InvalidBucketName", errCode(err))
			l, err := c.ListBuckets(ctx, &s3.ListBucketsInput{})
			require.NoError(t, err)
			require.Len(t, l.Buckets, 2)
			assert.Equal(t, "alpha", *l.Buckets[0].Name)
			_, err = c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("alpha")})
			assert.NoError(t, err)
			_, err = c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("missing")})
			assert.Equal(t, 404, httpStatus(err))
			loc, err := c.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String("alpha")})
			require.NoError(t, err)
			assert.Equal(t, types.BucketLocationConstraint(""), loc.LocationConstraint)
			mustPut(t, c, "alpha", "k", "v")
			_, err = c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("alpha")})
			assert.Equal(t, "BucketNotEmpty", errCode(err))
			_, err = c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("beta")})
			assert.NoError(t, err)
			_, err = c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("beta")})
			assert.Equal(t, "NoSuchBucket", errCode(err))
			_, err = c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String("alpha")})
			assert.Equal(t, "NoSuchBucketPolicy", errCode(err))
			assert.Equal(t, 404, httpStatus(err))
			_, err = c.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: aws.String("alpha")})
			assert.Equal(t, "NotImplemented", errCode(err))
			assert.Equal(t, 501, httpStatus(err))
		})
	}
}

func TestSDKObjects(t *testing.T) {
	for name, c := range clients(t) {
		t.Run(name, func(t *testing.T) {
			mustCreate(t, c, "objs")
			body := "hello, localemu"
			sum := md5.Sum([]byte(body))
			put, err := c.PutObject(ctx, &s3.PutObjectInput{
				Bucket: aws.String("objs"), Key: aws.String("dir/file.txt"), Body: strings.NewReader(body),
				ContentType: aws.String("text/plain"), Metadata: map[string]string{"color": "blue"},
				ContentMD5: aws.String(base64.StdEncoding.EncodeToString(sum[:])),
			})
			require.NoError(t, err)
			assert.Equal(t, fmt.Sprintf(`"%x"`, sum), *put.ETag)
			assert.NotNil(t, put.ChecksumCRC32, "the SDK's default CRC32 is verified and echoed")

			get, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("objs"), Key: aws.String("dir/file.txt"), ChecksumMode: types.ChecksumModeEnabled})
			require.NoError(t, err)
			b, _ := io.ReadAll(get.Body)
			assert.Equal(t, body, string(b))
			assert.Equal(t, "text/plain", *get.ContentType)
			assert.Equal(t, "blue", get.Metadata["color"])
			assert.Equal(t, *put.ChecksumCRC32, *get.ChecksumCRC32)

			rng, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("objs"), Key: aws.String("dir/file.txt"), Range: aws.String("bytes=7-"),
				ResponseContentType: aws.String("application/x-test")})
			require.NoError(t, err)
			b, _ = io.ReadAll(rng.Body)
			assert.Equal(t, "localemu", string(b))
			assert.Equal(t, "bytes 7-14/15", *rng.ContentRange)
			assert.Equal(t, "application/x-test", *rng.ContentType)
			_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("objs"), Key: aws.String("dir/file.txt"), Range: aws.String("bytes=100-")})
			assert.Equal(t, "InvalidRange", errCode(err))

			_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("objs"), Key: aws.String("dir/file.txt"), IfNoneMatch: put.ETag})
			assert.Equal(t, 304, httpStatus(err))
			_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("objs"), Key: aws.String("dir/file.txt"), IfMatch: aws.String(`"nope"`)})
			assert.Equal(t, 412, httpStatus(err))
			_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("objs"), Key: aws.String("dir/file.txt"), IfModifiedSince: aws.Time(time.Now().Add(time.Hour))})
			assert.Equal(t, 304, httpStatus(err))
			_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("objs"), Key: aws.String("dir/file.txt"), IfUnmodifiedSince: aws.Time(time.Now().Add(-time.Hour))})
			assert.Equal(t, 412, httpStatus(err))

			head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("objs"), Key: aws.String("dir/file.txt")})
			require.NoError(t, err)
			assert.Equal(t, int64(len(body)), *head.ContentLength)
			_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("objs"), Key: aws.String("nope")})
			assert.Equal(t, 404, httpStatus(err))
			_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("objs"), Key: aws.String("nope")})
			assert.Equal(t, "NoSuchKey", errCode(err))
			_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("nobucket"), Key: aws.String("k")})
			assert.Equal(t, "NoSuchBucket", errCode(err))

			cp, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("objs"), Key: aws.String("copy"), CopySource: aws.String("objs/dir/file.txt")})
			require.NoError(t, err)
			assert.Equal(t, *put.ETag, *cp.CopyObjectResult.ETag)
			got, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("objs"), Key: aws.String("copy")})
			require.NoError(t, err)
			assert.Equal(t, "blue", got.Metadata["color"])
			_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("objs"), Key: aws.String("copy"), CopySource: aws.String("objs/copy"),
				MetadataDirective: types.MetadataDirectiveReplace, Metadata: map[string]string{"color": "red"}})
			require.NoError(t, err)
			got, _ = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("objs"), Key: aws.String("copy")})
			assert.Equal(t, "red", got.Metadata["color"])
			_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("objs"), Key: aws.String("copy"), CopySource: aws.String("objs/copy")})
			assert.Equal(t, "InvalidRequest", errCode(err))
			_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("objs"), Key: aws.String("c2"), CopySource: aws.String("objs/copy"), CopySourceIfMatch: aws.String(`"x"`)})
			assert.Equal(t, "PreconditionFailed", errCode(err))

			_, err = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("objs"), Key: aws.String("copy")})
			require.NoError(t, err)
			_, err = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("objs"), Key: aws.String("copy")})
			require.NoError(t, err, "deleting a missing key succeeds, as in S3")
			_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("objs"), Key: aws.String("copy")})
			assert.Equal(t, 404, httpStatus(err))
		})
	}
}

func TestSDKIntegrityErrors(t *testing.T) {
	for name, c := range clients(t) {
		t.Run(name, func(t *testing.T) {
			mustCreate(t, c, "integrity")
			_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("integrity"), Key: aws.String("k"), Body: strings.NewReader("data"),
				ContentMD5: aws.String(base64.StdEncoding.EncodeToString(make([]byte, 16)))})
			assert.Equal(t, "BadDigest", errCode(err))
			_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("integrity"), Key: aws.String("k"), Body: strings.NewReader("data"),
				ContentMD5: aws.String("not-base64")})
			assert.Equal(t, "InvalidDigest", errCode(err))
			_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("integrity"), Key: aws.String("k"), Body: strings.NewReader("data"),
				ChecksumSHA256: aws.String(base64.StdEncoding.EncodeToString(make([]byte, 32)))})
			assert.Equal(t, "BadDigest", errCode(err))
			_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("integrity"), Key: aws.String("k")})
			assert.Equal(t, 404, httpStatus(err), "a refused PUT leaves nothing behind")
			put, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("integrity"), Key: aws.String("k"), Body: strings.NewReader("data"),
				ChecksumAlgorithm: types.ChecksumAlgorithmSha256})
			require.NoError(t, err)
			get, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("integrity"), Key: aws.String("k"), ChecksumMode: types.ChecksumModeEnabled})
			require.NoError(t, err)
			io.Copy(io.Discard, get.Body)
			assert.Equal(t, *put.ChecksumSHA256, *get.ChecksumSHA256)
		})
	}
}

func TestSDKAuthErrors(t *testing.T) {
	t.Parallel()
	emu := emutest.New(t)
	c := s3.NewFromConfig(emu.Config)
	mustCreate(t, c, "auth")
	mustPut(t, c, "auth", "k", "v")
	bad := func(ak, sk string) *s3.Client {
		return s3.NewFromConfig(emu.Config, func(o *s3.Options) { o.Credentials = credentials.NewStaticCredentialsProvider(ak, sk, "") })
	}
	_, err := bad("nobody", "test").GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("auth"), Key: aws.String("k")})
	assert.Equal(t, "InvalidAccessKeyId", errCode(err))
	_, err = bad("test", "wrong").GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("auth"), Key: aws.String("k")})
	assert.Equal(t, "SignatureDoesNotMatch", errCode(err))
	_, err = bad("test", "wrong").PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("auth"), Key: aws.String("k"), Body: strings.NewReader("evil")})
	assert.Equal(t, "SignatureDoesNotMatch", errCode(err))
	assert.Equal(t, "v", mustGet(t, c, "auth", "k"))

	resp, err := http.Get(emu.URL + "/auth/k")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 403, resp.StatusCode, "anonymous requests are refused")
	assert.NotEmpty(t, resp.Header.Get("X-Amz-Request-Id"))
	assert.NotEmpty(t, resp.Header.Get("X-Amz-Id-2"))

	ps := s3.NewPresignClient(c)
	req, err := ps.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("auth"), Key: aws.String("k")}, s3.WithPresignExpires(time.Minute))
	require.NoError(t, err)
	resp, err = http.Get(req.URL)
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "v", string(b))

	// Signed an hour ago, valid for a second: expired, with no waiting.
	old := s3.NewPresignClient(c, func(o *s3.PresignOptions) { o.Presigner = signedAgo{v4.NewSigner(), time.Hour} })
	req, err = old.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("auth"), Key: aws.String("k")}, s3.WithPresignExpires(time.Second))
	require.NoError(t, err)
	resp, err = http.Get(req.URL)
	require.NoError(t, err)
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 403, resp.StatusCode)
	assert.Contains(t, string(b), "<Code>AccessDenied</Code><Message>Request has expired</Message>")

	preq, err := ps.PresignPutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("auth"), Key: aws.String("presigned-put")})
	require.NoError(t, err)
	hr, _ := http.NewRequest(http.MethodPut, preq.URL, strings.NewReader("via presigned put"))
	resp, err = http.DefaultClient.Do(hr)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "via presigned put", mustGet(t, c, "auth", "presigned-put"))
}

// Keys that look like paths stay keys: stored, listed and read back as
// given, never touching the file system under their own name.
func TestSDKHostileKeys(t *testing.T) {
	dir := t.TempDir()
	emu := emutest.New(t, emutest.WithDir(dir+"/data"))
	c := s3.NewFromConfig(emu.Config)
	mustCreate(t, c, "keys")
	keys := []string{"../../../escape", "a//b", "dir/", "dir/../../x", "é 日本/ü?&=#+%", "./.", strings.Repeat("k", 1024), "with\ttab"}
	for _, k := range keys {
		mustPut(t, c, "keys", k, "v:"+k)
	}
	for _, k := range keys {
		assert.Equal(t, "v:"+k, mustGet(t, c, "keys", k), "%q", k)
	}
	l, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("keys")})
	require.NoError(t, err)
	assert.Len(t, l.Contents, len(keys))
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("keys"), Key: aws.String(strings.Repeat("k", 1025)), Body: strings.NewReader("x")})
	assert.Equal(t, "KeyTooLongError", errCode(err))
	entries, err := readDirNames(dir)
	require.NoError(t, err)
	assert.Equal(t, []string{"data"}, entries, "nothing escaped the data folder")
}

func TestSDKListing(t *testing.T) {
	for name, c := range clients(t) {
		t.Run(name, func(t *testing.T) {
			mustCreate(t, c, "list")
			for _, k := range []string{"a/1", "a/2", "b/1", "c", "d e", "d/x/y"} {
				mustPut(t, c, "list", k, k)
			}
			l, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("list"), Delimiter: aws.String("/")})
			require.NoError(t, err)
			assert.Equal(t, []string{"c", "d e"}, keysOf(l.Contents))
			assert.Equal(t, []string{"a/", "b/", "d/"}, prefixesOf(l.CommonPrefixes))

			var all []string
			p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String("list"), MaxKeys: aws.Int32(2)})
			pages := 0
			for p.HasMorePages() {
				page, err := p.NextPage(ctx)
				require.NoError(t, err)
				all = append(all, keysOf(page.Contents)...)
				pages++
			}
			assert.Equal(t, []string{"a/1", "a/2", "b/1", "c", "d e", "d/x/y"}, all)
			assert.Equal(t, 3, pages)

			l, err = c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("list"), Prefix: aws.String("a/"), StartAfter: aws.String("a/1"), FetchOwner: aws.Bool(true)})
			require.NoError(t, err)
			assert.Equal(t, []string{"a/2"}, keysOf(l.Contents))
			require.NotNil(t, l.Contents[0].Owner)
			assert.Equal(t, "test", *l.Contents[0].Owner.DisplayName)

			l, err = c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("list"), Prefix: aws.String("d "), EncodingType: types.EncodingTypeUrl})
			require.NoError(t, err)
			assert.Equal(t, []string{"d+e"}, keysOf(l.Contents), "encoding-type=url encodes keys")

			v1, err := c.ListObjects(ctx, &s3.ListObjectsInput{Bucket: aws.String("list"), Marker: aws.String("b/1"), MaxKeys: aws.Int32(2), Delimiter: aws.String("/")})
			require.NoError(t, err)
			assert.Equal(t, []string{"c", "d e"}, keysOf(v1.Contents))
			assert.True(t, *v1.IsTruncated)
			assert.Equal(t, "d e", *v1.NextMarker)
			v1, err = c.ListObjects(ctx, &s3.ListObjectsInput{Bucket: aws.String("list"), Marker: v1.NextMarker, Delimiter: aws.String("/")})
			require.NoError(t, err)
			assert.Equal(t, []string{"d/"}, prefixesOf(v1.CommonPrefixes))

			del, err := c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("list"), Delete: &types.Delete{Objects: []types.ObjectIdentifier{{Key: aws.String("a/1")}, {Key: aws.String("a/2")}, {Key: aws.String("never")}}}})
			require.NoError(t, err)
			assert.Len(t, del.Deleted, 3)
			del, err = c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("list"), Delete: &types.Delete{Quiet: aws.Bool(true), Objects: []types.ObjectIdentifier{{Key: aws.String("b/1")}}}})
			require.NoError(t, err)
			assert.Empty(t, del.Deleted)
			l, err = c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("list")})
			require.NoError(t, err)
			assert.Equal(t, []string{"c", "d e", "d/x/y"}, keysOf(l.Contents))
		})
	}
}

func keysOf(objs []types.Object) []string {
	var out []string
	for _, o := range objs {
		out = append(out, *o.Key)
	}
	return out
}

func prefixesOf(ps []types.CommonPrefix) []string {
	var out []string
	for _, p := range ps {
		out = append(out, *p.Prefix)
	}
	return out
}

func TestSDKMultipart(t *testing.T) {
	for name, c := range clients(t) {
		t.Run(name, func(t *testing.T) {
			mustCreate(t, c, "mpu")
			part1 := bytes.Repeat([]byte("a"), 5<<20)
			part2 := []byte("tail")
			cr, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String("big"), ContentType: aws.String("text/x-big"), ChecksumAlgorithm: types.ChecksumAlgorithmCrc32})
			require.NoError(t, err)
			up := func(n int32, data []byte) *s3.UploadPartOutput {
				out, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("mpu"), Key: aws.String("big"), UploadId: cr.UploadId, PartNumber: aws.Int32(n), Body: bytes.NewReader(data), ChecksumAlgorithm: types.ChecksumAlgorithmCrc32})
				require.NoError(t, err)
				return out
			}
			p1, p2 := up(1, part1), up(2, part2)
			_, err = c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("mpu"), Key: aws.String("big"), UploadId: aws.String("nope"), PartNumber: aws.Int32(1), Body: strings.NewReader("x")})
			assert.Equal(t, "NoSuchUpload", errCode(err))

			lp, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String("mpu"), Key: aws.String("big"), UploadId: cr.UploadId, MaxParts: aws.Int32(1)})
			require.NoError(t, err)
			require.Len(t, lp.Parts, 1)
			assert.True(t, *lp.IsTruncated)
			assert.Equal(t, int64(5<<20), *lp.Parts[0].Size)
			assert.Equal(t, *p1.ChecksumCRC32, *lp.Parts[0].ChecksumCRC32)
			lp, err = c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String("mpu"), Key: aws.String("big"), UploadId: cr.UploadId, PartNumberMarker: lp.NextPartNumberMarker})
			require.NoError(t, err)
			require.Len(t, lp.Parts, 1)
			assert.Equal(t, int32(2), *lp.Parts[0].PartNumber)

			lu, err := c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String("mpu")})
			require.NoError(t, err)
			require.Len(t, lu.Uploads, 1)
			assert.Equal(t, *cr.UploadId, *lu.Uploads[0].UploadId)

			complete := func(parts ...types.CompletedPart) (*s3.CompleteMultipartUploadOutput, error) {
				return c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String("big"), UploadId: cr.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: parts}})
			}
			cp1 := types.CompletedPart{PartNumber: aws.Int32(1), ETag: p1.ETag, ChecksumCRC32: p1.ChecksumCRC32}
			cp2 := types.CompletedPart{PartNumber: aws.Int32(2), ETag: p2.ETag, ChecksumCRC32: p2.ChecksumCRC32}
			_, err = complete(cp2, cp1)
			assert.Equal(t, "InvalidPartOrder", errCode(err))
			_, err = complete(cp1, types.CompletedPart{PartNumber: aws.Int32(2), ETag: aws.String(`"0000"`)})
			assert.Equal(t, "InvalidPart", errCode(err))
			done, err := complete(cp1, cp2)
			require.NoError(t, err)
			m1, m2 := md5.Sum(part1), md5.Sum(part2)
			joined := md5.Sum(append(m1[:], m2[:]...))
			assert.Equal(t, fmt.Sprintf(`"%x-2"`, joined), *done.ETag)
			assert.Equal(t, string(part1)+string(part2), mustGet(t, c, "mpu", "big"))

			pn, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("mpu"), Key: aws.String("big"), PartNumber: aws.Int32(2)})
			require.NoError(t, err)
			b, _ := io.ReadAll(pn.Body)
			assert.Equal(t, "tail", string(b))
			assert.Equal(t, int32(2), *pn.PartsCount)
			assert.Equal(t, "text/x-big", *pn.ContentType)

			// Too small a first part; then UploadPartCopy with a range; then abort.
			cr2, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String("small")})
			require.NoError(t, err)
			s1, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("mpu"), Key: aws.String("small"), UploadId: cr2.UploadId, PartNumber: aws.Int32(1), Body: strings.NewReader("tiny")})
			require.NoError(t, err)
			s2, err := c.UploadPartCopy(ctx, &s3.UploadPartCopyInput{Bucket: aws.String("mpu"), Key: aws.String("small"), UploadId: cr2.UploadId, PartNumber: aws.Int32(2),
				CopySource: aws.String("mpu/big"), CopySourceRange: aws.String(fmt.Sprintf("bytes=%d-%d", 5<<20, 5<<20+3))})
			require.NoError(t, err)
			_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String("small"), UploadId: cr2.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{
				{PartNumber: aws.Int32(1), ETag: s1.ETag}, {PartNumber: aws.Int32(2), ETag: s2.CopyPartResult.ETag}}}})
			assert.Equal(t, "EntityTooSmall", errCode(err))
			_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String("small"), UploadId: cr2.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{
				{PartNumber: aws.Int32(2), ETag: s2.CopyPartResult.ETag}}}})
			require.NoError(t, err, "a single last part may be small")
			assert.Equal(t, "tail", mustGet(t, c, "mpu", "small"))

			cr3, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String("gone")})
			require.NoError(t, err)
			_, err = c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String("gone"), UploadId: cr3.UploadId})
			require.NoError(t, err)
			_, err = c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String("mpu"), Key: aws.String("gone"), UploadId: cr3.UploadId})
			assert.Equal(t, "NoSuchUpload", errCode(err))
		})
	}
}

// signedAgo presigns as if the clock read ago earlier.
type signedAgo struct {
	s   *v4.Signer
	ago time.Duration
}

func (p signedAgo) PresignHTTP(ctx context.Context, creds aws.Credentials, r *http.Request, payloadHash, service, region string,
	signingTime time.Time, optFns ...func(*v4.SignerOptions)) (string, http.Header, error) {
	return p.s.PresignHTTP(ctx, creds, r, payloadHash, service, region, signingTime.Add(-p.ago), optFns...)
}
