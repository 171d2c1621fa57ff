package writeresponse_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/writeresponse"
)

// recordingDoer stands in for the network: it reads the request as a server
// would and answers 200.
type recordingDoer struct {
	req  *http.Request
	body []byte
}

func (d *recordingDoer) Do(r *http.Request) (*http.Response, error) {
	d.req = r
	d.body, _ = io.ReadAll(r.Body)
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("")), Request: r}, nil
}

// Without an endpoint override the request is the one AWS expects: HTTPS to
// {RequestRoute}.s3-object-lambda.{region}.amazonaws.com, signed for
// s3-object-lambda, the streamed body sent unsigned and chunked.
func TestWriteToAWS(t *testing.T) {
	doer := &recordingDoer{}
	c := writeresponse.New(aws.Config{
		Region:      "eu-west-1",
		Credentials: credentials.NewStaticCredentialsProvider("AKID", "SECRET", "TOKEN"),
		HTTPClient:  doer,
	}, writeresponse.WithEndpoint(""))
	err := c.Write(context.Background(), "io-euw1-001", "tok", writeresponse.Response{
		Status: http.StatusOK,
		Header: http.Header{"Content-Type": {"text/csv"}},
		Body:   onlyReader{strings.NewReader("a,b\n1,2\n")},
		Size:   -1,
	})
	require.NoError(t, err)
	r := doer.req
	assert.Equal(t, "https", r.URL.Scheme)
	assert.Equal(t, "io-euw1-001.s3-object-lambda.eu-west-1.amazonaws.com", r.URL.Host)
	assert.Equal(t, "/WriteGetObjectResponse", r.URL.Path)
	assert.Contains(t, r.Header.Get("Authorization"), "/eu-west-1/s3-object-lambda/aws4_request")
	assert.Equal(t, "UNSIGNED-PAYLOAD", r.Header.Get("X-Amz-Content-Sha256"))
	assert.Equal(t, "TOKEN", r.Header.Get("X-Amz-Security-Token"))
	assert.Equal(t, int64(-1), r.ContentLength, "a stream of unknown length goes out chunked")
	assert.Equal(t, "tok", r.Header.Get("X-Amz-Request-Token"))
	assert.Equal(t, "200", r.Header.Get("X-Amz-Fwd-Status"))
	assert.Equal(t, "text/csv", r.Header.Get("X-Amz-Fwd-Header-Content-Type"))
	assert.Equal(t, "a,b\n1,2\n", string(doer.body))
}
