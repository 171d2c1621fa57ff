package localemu_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/lambda"
	"github.com/olkit/olkit/localemu"
	"github.com/olkit/olkit/localemu/emutest"
)

// TestDecompressKeepsItsIndexBesideTheOriginals runs an access point whose
// decompress keeps its indexes under a prefix: after a whole GET the
// index is an object under that prefix in the bucket, written with the
// function's own role through the supporting access point, and ranges are
// right. (That a cold instance reads it instead of decoding is tested in
// transforms/decompress, TestIndexKeptBesideTheOriginals.)
func TestDecompressKeepsItsIndexBesideTheOriginals(t *testing.T) {
	emu := emutest.New(t)
	setup := localemu.DemoSetup()
	setup.AccessPoints = setup.AccessPoints[:1]
	setup.AccessPoints[0].Payload = `{"transforms":[{"name":"decompress","options":{"indexPrefix":"olkit-index/"}}]}`
	h := lambda.NewForEndpoint(emu.Config.Copy(), emu.URL)
	stop, err := emu.Apply(setup, localemu.Func(h.Invoke))
	require.NoError(t, err)
	t.Cleanup(stop)
	client := s3.NewFromConfig(emu.Config, func(o *s3.Options) { o.UsePathStyle = true })
	alias := emu.ObjectLambda.Alias("decompress")

	var plain bytes.Buffer
	for i := 0; plain.Len() < 3<<20; i++ {
		fmt.Fprintf(&plain, "%d,%x,row of a table kept with its index\n", i, uint64(i)*0x9e3779b97f4a7c15)
	}
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write(plain.Bytes())
	w.Close()
	_, err = client.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String("demo"), Key: aws.String("t.csv.gz"), Body: bytes.NewReader(gz.Bytes())})
	require.NoError(t, err)

	out, err := client.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(alias), Key: aws.String("t.csv.gz")})
	require.NoError(t, err)
	got, _ := io.ReadAll(out.Body)
	require.Equal(t, plain.Len(), len(got))

	list, err := client.ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{Bucket: aws.String("demo"), Prefix: aws.String("olkit-index/")})
	require.NoError(t, err)
	require.Len(t, list.Contents, 1, "the whole GET left the object's index under the prefix")
	assert.True(t, strings.HasPrefix(aws.ToString(list.Contents[0].Key), "olkit-index/t.csv.gz."))

	out, err = client.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(alias), Key: aws.String("t.csv.gz"),
		Range: aws.String("bytes=2000000-2000099")})
	require.NoError(t, err)
	got, _ = io.ReadAll(out.Body)
	assert.Equal(t, plain.String()[2000000:2000100], string(got))
}
