// Package handlertest wires the real Object Lambda handler to an in-test
// S3 (internal/fakes3) through the real WGOR client, in one call: what a
// transform's end-to-end tests start from.
package handlertest

import (
	"io"
	"log/slog"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/olkit/olkit/internal/fakes3"
	"github.com/olkit/olkit/lambda"
	"github.com/olkit/olkit/writeresponse"
)

// New starts a fake S3 and returns it with a handler answering through it;
// the handler's log lines go to logs (io.Discard when nil), and it has no
// fallback chain (OLKIT_TRANSFORMS is ignored).
func New(t testing.TB, logs io.Writer) (*fakes3.Server, *lambda.Handler) {
	srv := fakes3.New(t)
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")}
	h := lambda.New(writeresponse.New(cfg, writeresponse.WithEndpoint(srv.URL)))
	h.DefaultPayload = ""
	h.Originals = srv // the function's own role, reading through the supporting access point
	if logs == nil {
		logs = io.Discard
	}
	h.Logger = slog.New(slog.NewJSONHandler(logs, nil))
	return srv, h
}
