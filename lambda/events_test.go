package lambda

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func loadEvent(t *testing.T, name string) events.S3ObjectLambdaEvent {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	var ev events.S3ObjectLambdaEvent
	require.NoError(t, json.Unmarshal(data, &ev))
	return ev
}

func TestDecodeSampleEvents(t *testing.T) {
	for _, tc := range []struct {
		file string
		kind string
	}{
		{"s3-object-lambda-event-get-object-iam.json", "get"},
		{"s3-object-lambda-event-get-object-assumed-role.json", "get"},
		{"s3-object-lambda-event-head-object-iam.json", "head"},
		{"s3-object-lambda-event-list-objects-iam.json", "list"},
		{"s3-object-lambda-event-list-objects-v2-iam.json", "listv2"},
		{"get-object-signed-headers.json", "get"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			ev := loadEvent(t, tc.file)
			assert.NotEmpty(t, ev.XAmzRequestID)
			assert.Contains(t, ev.Configuration.AccessPointARN, "arn:aws:s3-object-lambda:")
			assert.NotEmpty(t, ev.UserRequest.URL)
			got := map[string]bool{
				"get":    ev.GetObjectContext != nil,
				"head":   ev.HeadObjectContext != nil,
				"list":   ev.ListObjectsContext != nil,
				"listv2": ev.ListObjectsV2Context != nil,
			}
			for kind, present := range got {
				assert.Equal(t, kind == tc.kind, present, "context %s", kind)
			}
			if ev.GetObjectContext != nil {
				assert.NotEmpty(t, ev.GetObjectContext.InputS3URL)
				assert.NotEmpty(t, ev.GetObjectContext.OutputRoute)
				assert.NotEmpty(t, ev.GetObjectContext.OutputToken)
			}
		})
	}
}

func TestSignedHeadersEvent(t *testing.T) {
	ev := loadEvent(t, "get-object-signed-headers.json")
	u, err := url.Parse(ev.GetObjectContext.InputS3URL)
	require.NoError(t, err)
	assert.Equal(t, "host;x-amz-checksum-mode", u.Query().Get("X-Amz-SignedHeaders"))
	assert.Equal(t, "ENABLED", ev.UserRequest.Headers["X-Amz-Checksum-Mode"])

	key, query := objectKey(ev.UserRequest.URL)
	assert.Equal(t, "reports/2026/q3.csv.gz", key)
	assert.Equal(t, "q3.csv", query.Get("file_name"))
}

func TestEventWithNoContextIsAnError(t *testing.T) {
	_, err := New(nil).Handle(context.Background(), events.S3ObjectLambdaEvent{XAmzRequestID: "empty"})
	assert.ErrorContains(t, err, "no getObjectContext")
}
