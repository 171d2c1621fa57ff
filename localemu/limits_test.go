package localemu_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/localemu/emutest"
)

// S3 takes up to 2 KB of user metadata (names without x-amz-meta- plus
// values, in UTF-8 bytes) and refuses more with MetadataTooLarge on PUT,
// CopyObject with REPLACE and CreateMultipartUpload; metadata at the
// limit, full of characters JSON would escape, survives a restart along
// with every write after it.
func TestSDKMetadataLimit(t *testing.T) {
	dir := t.TempDir()
	emu := emutest.New(t, emutest.WithDir(dir))
	c := s3.NewFromConfig(emu.Config)
	mustCreate(t, c, "meta")
	atLimit := map[string]string{"big": strings.Repeat("<", 2045)}         // 3 + 2045 = 2048 bytes
	over := map[string]string{"big": strings.Repeat("<", 2044), "a": "bc"} // 3 + 2044 + 1 + 2 = 2050 bytes
	_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("meta"), Key: aws.String("at-limit"), Body: strings.NewReader("v"), Metadata: atLimit})
	require.NoError(t, err)

	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("meta"), Key: aws.String("over"), Body: strings.NewReader("v"), Metadata: over})
	assert.Equal(t, "MetadataTooLarge", errCode(err))
	assert.Equal(t, 400, httpStatus(err))
	_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("meta"), Key: aws.String("copy-over"), CopySource: aws.String("meta/at-limit"),
		MetadataDirective: types.MetadataDirectiveReplace, Metadata: over})
	assert.Equal(t, "MetadataTooLarge", errCode(err))
	_, err = c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("meta"), Key: aws.String("mp-over"), Metadata: over})
	assert.Equal(t, "MetadataTooLarge", errCode(err))
	_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("meta"), Key: aws.String("copy"), CopySource: aws.String("meta/at-limit")})
	require.NoError(t, err, "a copy keeps metadata at the limit")

	long := strings.Repeat("k", 1025)
	_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("meta"), Key: aws.String(long), CopySource: aws.String("meta/at-limit")})
	assert.Equal(t, "KeyTooLongError", errCode(err))
	_, err = c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("meta"), Key: aws.String(long)})
	assert.Equal(t, "KeyTooLongError", errCode(err))

	for i := range 20 {
		mustPut(t, c, "meta", "after"+strconv.Itoa(i), "v"+strconv.Itoa(i))
	}
	mustCreate(t, c, "later")
	mustPut(t, c, "later", "k", "later")
	emu.Close()

	c = s3.NewFromConfig(emutest.New(t, emutest.WithDir(dir)).Config)
	for _, key := range []string{"at-limit", "copy"} {
		h, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("meta"), Key: aws.String(key)})
		require.NoError(t, err, key)
		assert.Equal(t, atLimit, h.Metadata, key)
	}
	for _, key := range []string{"over", "copy-over"} {
		_, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("meta"), Key: aws.String(key)})
		assert.Equal(t, 404, httpStatus(err), key)
	}
	for i := range 20 {
		assert.Equal(t, "v"+strconv.Itoa(i), mustGet(t, c, "meta", "after"+strconv.Itoa(i)))
	}
	assert.Equal(t, "later", mustGet(t, c, "later", "k"))
}
