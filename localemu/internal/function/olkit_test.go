package function_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/internal/fakes3"
	"github.com/olkit/olkit/localemu/internal/function"
)

// TestOlkitBootstrap runs the real olkit function binary (cmd/bootstrap)
// through the Runtime API: it fetches the object from the presigned URL and
// answers through WriteGetObjectResponse at AWS_ENDPOINT_URL_S3.
func TestOlkitBootstrap(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t, "../../../cmd/bootstrap")
	s3 := fakes3.New(t)
	const size = 1<<20 + 7
	s3.Put("data.bin", fakes3.Object{
		Header: http.Header{"Content-Type": {"application/octet-stream"}},
		Size:   size,
		Body:   func() io.Reader { return fakes3.Pattern(size) },
	})
	b, err := function.NewBootstrap(function.BootstrapConfig{
		Name: "olkit", Path: bin, Region: "us-east-1", AccessKey: "test", SecretKey: "test",
		Env:  []string{"AWS_ENDPOINT_URL_S3=" + s3.URL, "OLKIT_TRANSFORMS="},
		Logf: t.Logf,
	})
	require.NoError(t, err)
	t.Cleanup(func() { b.Close() })

	event, err := json.Marshal(s3.Event("data.bin", "", map[string]string{"x-amz-checksum-mode": "ENABLED"}))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	out, err := b.Invoke(ctx, event)
	require.NoError(t, err)
	assert.JSONEq(t, `{"statusCode":200}`, string(out))
	w := s3.WaitWGOR(t, 0)
	assert.Equal(t, 200, w.Status)
	assert.Equal(t, int64(size), w.BodyLen)
	assert.Equal(t, fakes3.PatternCRC(size), w.BodyCRC)
	assert.Contains(t, w.Request.Get("Authorization"), "Credential=test/")

	// An event the handler refuses: a function error, the process stays warm.
	_, err = b.Invoke(ctx, []byte(`{"xAmzRequestId":"x"}`))
	var fe *function.Error
	require.ErrorAs(t, err, &fe)
	assert.Contains(t, fe.Message, "no getObjectContext")
}
