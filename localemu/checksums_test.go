package localemu_test

import (
	"bytes"
	"crypto/md5"
	"crypto/rand"
	"encoding/base64"
	"io"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/localemu/emutest"
)

// TestMinioSignedTrailers writes with minio-go's trailing headers on: over
// plain HTTP it sends STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER bodies
// whose trailer ("x-amz-checksum-…:v\n\r\nx-amz-trailer-signature:…")
// is signed, for PutObject and for every part of a multipart upload.
func TestMinioSignedTrailers(t *testing.T) {
	emu := emutest.New(t)
	mc, err := minio.New(strings.TrimPrefix(emu.URL, "http://"), &minio.Options{
		Creds:           credentials.NewStaticV4(emu.AccessKey, emu.SecretKey, ""),
		Region:          emu.Region,
		TrailingHeaders: true,
		BucketLookup:    minio.BucketLookupPath,
	})
	require.NoError(t, err)
	require.NoError(t, mc.MakeBucket(ctx, "trailers", minio.MakeBucketOptions{}))
	sdk := s3.NewFromConfig(emu.Config, func(o *s3.Options) { o.UsePathStyle = true })

	for _, tc := range []struct {
		name string
		cs   minio.ChecksumType
		size int
	}{
		{"crc32c", minio.ChecksumCRC32C, 100 << 10},
		{"crc64nvme", minio.ChecksumCRC64NVME, 3},
		{"sha256", minio.ChecksumSHA256, 70 << 10},
		{"md5", minio.ChecksumMD5, 1 << 10},
		{"sha512", minio.ChecksumSHA512, 1 << 10},
		{"multipart crc32", minio.ChecksumCRC32, 11 << 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := make([]byte, tc.size)
			rand.Read(data)
			info, err := mc.PutObject(ctx, "trailers", tc.name, bytes.NewReader(data), int64(len(data)),
				minio.PutObjectOptions{Checksum: tc.cs, PartSize: 5 << 20})
			require.NoError(t, err)
			got, err := sdk.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("trailers"), Key: aws.String(tc.name), ChecksumMode: types.ChecksumModeEnabled})
			require.NoError(t, err)
			body, err := io.ReadAll(got.Body)
			require.NoError(t, err)
			assert.True(t, bytes.Equal(data, body), "stored bytes differ")
			assert.Equal(t, strings.Trim(info.ETag, `"`), strings.Trim(aws.ToString(got.ETag), `"`))
		})
	}
}

// TestChecksumAlgorithmsWithSDK: S3's newer MD5 and SHA512 checksums
// are computed, verified and returned; a wrong one is refused with
// BadDigest; the xxHash family, which localemu does not compute, is
// refused with 501 rather than stored unverified.
func TestChecksumAlgorithmsWithSDK(t *testing.T) {
	for name, emu := range map[string]*emutest.Emulator{"http": emutest.New(t), "https": emutest.New(t, emutest.WithTLS())} {
		t.Run(name, func(t *testing.T) {
			c := s3.NewFromConfig(emu.Config, func(o *s3.Options) { o.UsePathStyle = true })
			_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("sums")})
			require.NoError(t, err)
			b := aws.String("sums")
			_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("sha512"), Body: strings.NewReader("hello"), ChecksumAlgorithm: types.ChecksumAlgorithmSha512})
			require.NoError(t, err)
			got, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: aws.String("sha512"), ChecksumMode: types.ChecksumModeEnabled})
			require.NoError(t, err)
			got.Body.Close()
			assert.Equal(t, "m3HSJL1i83hdltRq0+o9czGb+8KJDKra4t/3JRlnPKcjI8PZm6XBHXx6zG4UuMXaDEZjR1wuXDre9G9zvN7AQw==", aws.ToString(got.ChecksumSHA512))

			sum := md5.Sum([]byte("hello"))
			good := base64.StdEncoding.EncodeToString(sum[:])
			_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("md5"), Body: strings.NewReader("hello"), ChecksumMD5: aws.String(good)})
			require.NoError(t, err)
			sum = md5.Sum([]byte("other"))
			_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("md5-bad"), Body: strings.NewReader("hello"), ChecksumMD5: aws.String(base64.StdEncoding.EncodeToString(sum[:]))})
			assert.Equal(t, "BadDigest", errCode(err))
			_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("cmd5-bad"), Body: strings.NewReader("hello"), ContentMD5: aws.String(base64.StdEncoding.EncodeToString(sum[:]))})
			assert.Equal(t, "BadDigest", errCode(err))
			_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("xx"), Body: strings.NewReader("hello"), ChecksumXXHASH64: aws.String("AAAAAAAAAAA=")})
			assert.Equal(t, 501, httpStatus(err))
			_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: aws.String("md5-bad")})
			assert.Equal(t, 404, httpStatus(err), "nothing stored")
		})
	}
}
