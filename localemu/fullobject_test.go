package localemu_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"hash/crc32"
	"hash/crc64"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/localemu/emutest"
)

func crc32Of(b []byte) string {
	s := crc32.ChecksumIEEE(b)
	return base64.StdEncoding.EncodeToString([]byte{byte(s >> 24), byte(s >> 16), byte(s >> 8), byte(s)})
}

func crc64NVMEOf(b []byte) string {
	s := crc64.Checksum(b, crc64.MakeTable(0x9a6c9329ac4bc9b5))
	out := make([]byte, 8)
	for i := range out {
		out[i] = byte(s >> (56 - 8*i))
	}
	return base64.StdEncoding.EncodeToString(out)
}

// upload runs a two-part multipart upload of data and completes it with
// the given full-object checksum (none when empty).
func upload(t *testing.T, c *s3.Client, key string, data []byte, create *s3.CreateMultipartUploadInput, full string) (*s3.CompleteMultipartUploadOutput, error) {
	ctx := context.Background()
	create.Bucket, create.Key = aws.String("mpu"), aws.String(key)
	u, err := c.CreateMultipartUpload(ctx, create)
	require.NoError(t, err)
	var parts []types.CompletedPart
	for i, chunk := range [][]byte{data[:5<<20], data[5<<20:]} {
		p, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: create.Bucket, Key: create.Key, UploadId: u.UploadId,
			PartNumber: aws.Int32(int32(i + 1)), Body: bytes.NewReader(chunk), ChecksumAlgorithm: create.ChecksumAlgorithm})
		require.NoError(t, err)
		parts = append(parts, types.CompletedPart{PartNumber: aws.Int32(int32(i + 1)), ETag: p.ETag, ChecksumCRC32: p.ChecksumCRC32})
	}
	in := &s3.CompleteMultipartUploadInput{Bucket: create.Bucket, Key: create.Key, UploadId: u.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: parts}}
	if full != "" {
		in.ChecksumCRC32, in.ChecksumType = aws.String(full), types.ChecksumTypeFullObject
	}
	return c.CompleteMultipartUpload(ctx, in)
}

func TestFullObjectMultipartChecksums(t *testing.T) {
	emu := emutest.New(t)
	c := s3.NewFromConfig(emu.Config, func(o *s3.Options) { o.UsePathStyle = true })
	_, err := c.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String("mpu")})
	require.NoError(t, err)
	data := bytes.Repeat([]byte("full object checksum "), 300_000) // ~6 MiB: two parts
	full := crc32Of(data)

	out, err := upload(t, c, "crc32", data, &s3.CreateMultipartUploadInput{ChecksumAlgorithm: types.ChecksumAlgorithmCrc32, ChecksumType: types.ChecksumTypeFullObject}, full)
	require.NoError(t, err)
	assert.Equal(t, full, aws.ToString(out.ChecksumCRC32), "the CRC of the whole object, not of the parts' CRCs")
	head, err := c.HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String("mpu"), Key: aws.String("crc32"), ChecksumMode: types.ChecksumModeEnabled})
	require.NoError(t, err)
	assert.Equal(t, full, aws.ToString(head.ChecksumCRC32))
	assert.Equal(t, types.ChecksumTypeFullObject, head.ChecksumType)

	_, err = upload(t, c, "wrong", data, &s3.CreateMultipartUploadInput{ChecksumAlgorithm: types.ChecksumAlgorithmCrc32, ChecksumType: types.ChecksumTypeFullObject}, crc32Of([]byte("other")))
	var ae smithy.APIError
	require.True(t, errors.As(err, &ae), "%v", err)
	assert.Equal(t, "BadDigest", ae.ErrorCode())

	// No algorithm named: S3's default, a full-object CRC64NVME.
	_, err = upload(t, c, "default", data, &s3.CreateMultipartUploadInput{}, "")
	require.NoError(t, err)
	head, err = c.HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String("mpu"), Key: aws.String("default"), ChecksumMode: types.ChecksumModeEnabled})
	require.NoError(t, err)
	assert.Equal(t, crc64NVMEOf(data), aws.ToString(head.ChecksumCRC64NVME))
	assert.Equal(t, types.ChecksumTypeFullObject, head.ChecksumType)

	// Composite stays what it was: a checksum of checksums, "-N".
	_, err = upload(t, c, "composite", data, &s3.CreateMultipartUploadInput{ChecksumAlgorithm: types.ChecksumAlgorithmCrc32}, "")
	require.NoError(t, err)
	head, err = c.HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String("mpu"), Key: aws.String("composite"), ChecksumMode: types.ChecksumModeEnabled})
	require.NoError(t, err)
	assert.Regexp(t, `-2$`, aws.ToString(head.ChecksumCRC32))

	_, err = c.CreateMultipartUpload(context.Background(), &s3.CreateMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String("x"),
		ChecksumAlgorithm: types.ChecksumAlgorithmSha256, ChecksumType: types.ChecksumTypeFullObject})
	require.True(t, errors.As(err, &ae))
	assert.Equal(t, "InvalidRequest", ae.ErrorCode())
}
