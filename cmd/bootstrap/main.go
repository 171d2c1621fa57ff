// Command bootstrap is the olkit Object Lambda function for the
// provided.al2023 runtime, with every built-in transform registered.
//
// Build it for Lambda with:
//
//	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go build -tags lambda.norpc -o bootstrap ./cmd/bootstrap
//
// The access point's payload chooses the chain; a blank payload falls back
// to the OLKIT_TRANSFORMS environment variable. When AWS_ENDPOINT_URL_S3 (or
// AWS_ENDPOINT_URL) is set, WriteGetObjectResponse goes there, which is how
// the local emulator runs this very binary.
package main

import (
	"github.com/olkit/olkit/lambda"
	_ "github.com/olkit/olkit/transforms/builtin"
)

func main() { lambda.Main() }
