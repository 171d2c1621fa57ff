package localemu_test

import (
	"crypto/sha256"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/localemu/emutest"
)

func TestRestartKeepsEverything(t *testing.T) {
	dir := t.TempDir()
	first := emutest.New(t, emutest.WithDir(dir))
	c := s3.NewFromConfig(first.Config)
	mustCreate(t, c, "durable")
	mustPut(t, c, "durable", "a/b", "persisted")
	_, err := c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("durable"), VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled}})
	require.NoError(t, err)
	v1 := mustPut(t, c, "durable", "v", "one")
	mustPut(t, c, "durable", "v", "two")
	up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("durable"), Key: aws.String("mp")})
	require.NoError(t, err)
	first.Close()

	second := emutest.New(t, emutest.WithDir(dir))
	c = s3.NewFromConfig(second.Config)
	assert.Equal(t, "persisted", mustGet(t, c, "durable", "a/b"))
	assert.Equal(t, "two", mustGet(t, c, "durable", "v"))
	old, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("durable"), Key: aws.String("v"), VersionId: v1.VersionId})
	require.NoError(t, err)
	b, _ := io.ReadAll(old.Body)
	assert.Equal(t, "one", string(b))
	ver, err := c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String("durable")})
	require.NoError(t, err)
	assert.Equal(t, types.BucketVersioningStatusEnabled, ver.Status)
	lu, err := c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String("durable")})
	require.NoError(t, err)
	require.Len(t, lu.Uploads, 1)
	assert.Equal(t, *up.UploadId, *lu.Uploads[0].UploadId)
}

// Over HTTPS the SDK sends aws-chunked bodies with a trailing checksum;
// the stored object is the decoded bytes.
func TestSDKSendsAWSChunkedOverTLS(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	emu := emutest.New(t, emutest.WithTLS(), emutest.WithMiddleware(func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPut {
				mu.Lock()
				seen = append(seen, r.Header.Get("X-Amz-Content-Sha256")+" "+r.Header.Get("X-Amz-Trailer"))
				mu.Unlock()
			}
			h.ServeHTTP(w, r)
		})
	}))
	c := s3.NewFromConfig(emu.Config)
	mustCreate(t, c, "chunked")
	// An unseekable body of unknown length, as users stream them.
	_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("chunked"), Key: aws.String("k"), Body: io.MultiReader(strings.NewReader("chunked "), strings.NewReader("body"))})
	require.NoError(t, err)
	assert.Equal(t, "chunked body", mustGet(t, c, "chunked", "k"))
	mu.Lock()
	defer mu.Unlock()
	assert.Contains(t, seen, "STREAMING-UNSIGNED-PAYLOAD-TRAILER x-amz-checksum-crc32")
}

func TestSDKVersioningTaggingLock(t *testing.T) {
	emu := emutest.New(t)
	c := s3.NewFromConfig(emu.Config)
	mustCreate(t, c, "vers")
	ver, err := c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String("vers")})
	require.NoError(t, err)
	assert.Empty(t, ver.Status, "never enabled")
	_, err = c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("vers"), VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled}})
	require.NoError(t, err)
	v1 := mustPut(t, c, "vers", "k", "one")
	v2 := mustPut(t, c, "vers", "k", "two")
	require.NotEqual(t, *v1.VersionId, *v2.VersionId)
	del, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("vers"), Key: aws.String("k")})
	require.NoError(t, err)
	assert.True(t, *del.DeleteMarker)
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("vers"), Key: aws.String("k")})
	assert.Equal(t, "NoSuchKey", errCode(err))
	lv, err := c.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String("vers"), MaxKeys: aws.Int32(2)})
	require.NoError(t, err)
	assert.Len(t, lv.DeleteMarkers, 1)
	assert.Len(t, lv.Versions, 1)
	assert.True(t, *lv.IsTruncated)
	lv, err = c.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String("vers"), KeyMarker: lv.NextKeyMarker, VersionIdMarker: lv.NextVersionIdMarker})
	require.NoError(t, err)
	require.Len(t, lv.Versions, 1)
	assert.Equal(t, *v1.VersionId, *lv.Versions[0].VersionId)
	_, err = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("vers"), Key: aws.String("k"), VersionId: del.VersionId})
	require.NoError(t, err)
	assert.Equal(t, "two", mustGet(t, c, "vers", "k"))

	// Tagging.
	_, err = c.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: aws.String("vers"), Key: aws.String("k"), Tagging: &types.Tagging{TagSet: []types.Tag{{Key: aws.String("a"), Value: aws.String("1")}}}})
	require.NoError(t, err)
	tags, err := c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("vers"), Key: aws.String("k")})
	require.NoError(t, err)
	require.Len(t, tags.TagSet, 1)
	assert.Equal(t, "two", mustGet(t, c, "vers", "k"), "tagging leaves the object intact")
	_, err = c.DeleteObjectTagging(ctx, &s3.DeleteObjectTaggingInput{Bucket: aws.String("vers"), Key: aws.String("k")})
	require.NoError(t, err)
	tags, _ = c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("vers"), Key: aws.String("k")})
	assert.Empty(t, tags.TagSet)

	// ACLs: canned only.
	_, err = c.PutObjectAcl(ctx, &s3.PutObjectAclInput{Bucket: aws.String("vers"), Key: aws.String("k"), ACL: types.ObjectCannedACLPublicRead})
	require.NoError(t, err)
	acl, err := c.GetObjectAcl(ctx, &s3.GetObjectAclInput{Bucket: aws.String("vers"), Key: aws.String("k")})
	require.NoError(t, err)
	require.Len(t, acl.Grants, 2)
	assert.Equal(t, types.PermissionFullControl, acl.Grants[0].Permission)

	// Conditional writes.
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("vers"), Key: aws.String("k"), Body: strings.NewReader("x"), IfNoneMatch: aws.String("*")})
	assert.Equal(t, "PreconditionFailed", errCode(err))
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("vers"), Key: aws.String("new"), Body: strings.NewReader("x"), IfNoneMatch: aws.String("*")})
	assert.NoError(t, err)
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("vers"), Key: aws.String("new"), Body: strings.NewReader("y"), IfMatch: aws.String(`"wrong"`)})
	assert.Equal(t, "PreconditionFailed", errCode(err))

	// Object lock: a held or retained version cannot be deleted.
	_, err = c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("locked"), ObjectLockEnabledForBucket: aws.Bool(true)})
	require.NoError(t, err)
	_, err = c.PutObjectLockConfiguration(ctx, &s3.PutObjectLockConfigurationInput{Bucket: aws.String("locked"), ObjectLockConfiguration: &types.ObjectLockConfiguration{ObjectLockEnabled: types.ObjectLockEnabledEnabled}})
	require.NoError(t, err)
	p := mustPut(t, c, "locked", "doc", "keep me")
	_, err = c.PutObjectLegalHold(ctx, &s3.PutObjectLegalHoldInput{Bucket: aws.String("locked"), Key: aws.String("doc"), LegalHold: &types.ObjectLockLegalHold{Status: types.ObjectLockLegalHoldStatusOn}})
	require.NoError(t, err)
	_, err = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("locked"), Key: aws.String("doc"), VersionId: p.VersionId})
	assert.Equal(t, "AccessDenied", errCode(err))
	_, err = c.PutObjectLegalHold(ctx, &s3.PutObjectLegalHoldInput{Bucket: aws.String("locked"), Key: aws.String("doc"), LegalHold: &types.ObjectLockLegalHold{Status: types.ObjectLockLegalHoldStatusOff}})
	require.NoError(t, err)
	_, err = c.PutObjectRetention(ctx, &s3.PutObjectRetentionInput{Bucket: aws.String("locked"), Key: aws.String("doc"), Retention: &types.ObjectLockRetention{Mode: types.ObjectLockRetentionModeGovernance, RetainUntilDate: aws.Time(time.Now().Add(time.Hour))}})
	require.NoError(t, err)
	ret, err := c.GetObjectRetention(ctx, &s3.GetObjectRetentionInput{Bucket: aws.String("locked"), Key: aws.String("doc")})
	require.NoError(t, err)
	assert.Equal(t, types.ObjectLockRetentionModeGovernance, ret.Retention.Mode)
	_, err = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("locked"), Key: aws.String("doc"), VersionId: p.VersionId})
	assert.Equal(t, "AccessDenied", errCode(err))
	_, err = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("locked"), Key: aws.String("doc"), VersionId: p.VersionId, BypassGovernanceRetention: aws.Bool(true)})
	assert.NoError(t, err, "governance yields to the bypass header")
}

// A big object goes through the disk store in bounded memory both ways.
func TestBigObjectStreams(t *testing.T) {
	size := int64(256 << 20)
	if raceEnabled || testing.Short() {
		size = 32 << 20
	}
	emu := emutest.New(t, emutest.WithTLS(), emutest.WithDir(t.TempDir()))
	c := s3.NewFromConfig(emu.Config)
	mustCreate(t, c, "big")

	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	want := sha256.New()
	_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("big"), Key: aws.String("blob"),
		Body: io.TeeReader(io.LimitReader(pattern{}, size), want), ContentLength: aws.Int64(size)})
	require.NoError(t, err)
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("big"), Key: aws.String("blob")})
	require.NoError(t, err)
	got := sha256.New()
	n, err := io.Copy(got, out.Body)
	require.NoError(t, err)
	out.Body.Close()
	close(stop)
	<-done
	assert.Equal(t, size, n)
	assert.Equal(t, want.Sum(nil), got.Sum(nil))
	assert.Less(t, peak.Load(), uint64(64<<20), "heap in use stays far below the object's size")
}

// pattern is an endless, cheap, non-repeating-enough byte stream.
type pattern struct{}

func (pattern) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(i*7 + i>>9)
	}
	return len(p), nil
}
