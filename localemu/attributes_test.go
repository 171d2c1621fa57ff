package localemu_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/localemu/emutest"
)

func TestGetObjectAttributesWithSDK(t *testing.T) {
	emu := emutest.New(t)
	c := s3.NewFromConfig(emu.Config, func(o *s3.Options) { o.UsePathStyle = true })
	b := aws.String("attrs")
	_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: b})
	require.NoError(t, err)
	put, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("small"), Body: strings.NewReader("hello"),
		ChecksumAlgorithm: types.ChecksumAlgorithmSha256, StorageClass: types.StorageClassStandardIa})
	require.NoError(t, err)
	all := []types.ObjectAttributes{types.ObjectAttributesEtag, types.ObjectAttributesChecksum, types.ObjectAttributesObjectParts,
		types.ObjectAttributesStorageClass, types.ObjectAttributesObjectSize}
	a, err := c.GetObjectAttributes(ctx, &s3.GetObjectAttributesInput{Bucket: b, Key: aws.String("small"), ObjectAttributes: all})
	require.NoError(t, err)
	assert.Equal(t, strings.Trim(aws.ToString(put.ETag), `"`), aws.ToString(a.ETag))
	assert.Equal(t, int64(5), aws.ToInt64(a.ObjectSize))
	assert.Equal(t, types.StorageClassStandardIa, a.StorageClass)
	require.NotNil(t, a.Checksum)
	assert.Equal(t, aws.ToString(put.ChecksumSHA256), aws.ToString(a.Checksum.ChecksumSHA256))
	assert.Equal(t, types.ChecksumTypeFullObject, a.Checksum.ChecksumType)
	assert.Nil(t, a.ObjectParts, "a single PUT has no parts")
	require.NotNil(t, a.LastModified)

	// Only what was asked for.
	a, err = c.GetObjectAttributes(ctx, &s3.GetObjectAttributesInput{Bucket: b, Key: aws.String("small"), ObjectAttributes: []types.ObjectAttributes{types.ObjectAttributesObjectSize}})
	require.NoError(t, err)
	assert.Nil(t, a.ETag)
	assert.Nil(t, a.Checksum)
	assert.Equal(t, int64(5), aws.ToInt64(a.ObjectSize))

	// A multipart object lists its parts, with their checksums, in pages.
	mp, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: b, Key: aws.String("big"), ChecksumAlgorithm: types.ChecksumAlgorithmCrc32})
	require.NoError(t, err)
	var done []types.CompletedPart
	for i, body := range [][]byte{bytes.Repeat([]byte("a"), 5<<20), []byte("tail")} {
		p, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: b, Key: aws.String("big"), UploadId: mp.UploadId, PartNumber: aws.Int32(int32(i + 1)),
			Body: bytes.NewReader(body), ChecksumAlgorithm: types.ChecksumAlgorithmCrc32})
		require.NoError(t, err)
		done = append(done, types.CompletedPart{PartNumber: aws.Int32(int32(i + 1)), ETag: p.ETag, ChecksumCRC32: p.ChecksumCRC32})
	}
	_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: b, Key: aws.String("big"), UploadId: mp.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: done}})
	require.NoError(t, err)
	a, err = c.GetObjectAttributes(ctx, &s3.GetObjectAttributesInput{Bucket: b, Key: aws.String("big"), ObjectAttributes: all, MaxParts: aws.Int32(1)})
	require.NoError(t, err)
	require.NotNil(t, a.ObjectParts)
	require.NotNil(t, a.Checksum)
	assert.Equal(t, types.ChecksumTypeComposite, a.Checksum.ChecksumType)
	assert.NotEmpty(t, aws.ToString(a.Checksum.ChecksumCRC32))
	assert.NotContains(t, aws.ToString(a.Checksum.ChecksumCRC32), "-", "GetObjectAttributes sends a composite checksum without -N")
	assert.Equal(t, int32(2), aws.ToInt32(a.ObjectParts.TotalPartsCount))
	assert.True(t, aws.ToBool(a.ObjectParts.IsTruncated))
	require.Len(t, a.ObjectParts.Parts, 1)
	assert.Equal(t, int64(5<<20), aws.ToInt64(a.ObjectParts.Parts[0].Size))
	assert.Equal(t, aws.ToString(done[0].ChecksumCRC32), aws.ToString(a.ObjectParts.Parts[0].ChecksumCRC32))
	a, err = c.GetObjectAttributes(ctx, &s3.GetObjectAttributesInput{Bucket: b, Key: aws.String("big"), ObjectAttributes: all, PartNumberMarker: a.ObjectParts.NextPartNumberMarker})
	require.NoError(t, err)
	require.Len(t, a.ObjectParts.Parts, 1)
	assert.Equal(t, int32(2), aws.ToInt32(a.ObjectParts.Parts[0].PartNumber))
	assert.Equal(t, int64(4), aws.ToInt64(a.ObjectParts.Parts[0].Size))

	_, err = c.GetObjectAttributes(ctx, &s3.GetObjectAttributesInput{Bucket: b, Key: aws.String("missing"), ObjectAttributes: all})
	assert.Equal(t, "NoSuchKey", errCode(err))
	_, err = c.GetObjectAttributes(ctx, &s3.GetObjectAttributesInput{Bucket: aws.String("nobucket"), Key: aws.String("k"), ObjectAttributes: all})
	assert.Equal(t, "NoSuchBucket", errCode(err))
}
