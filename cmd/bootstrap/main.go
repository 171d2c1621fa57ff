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
// the local emulator runs this very binary. Lambda runs it with no
// arguments; --help (or -h) prints its usage and exits, before anything
// looks for the Lambda environment.
package main

import (
	"os"

	"github.com/olkit/olkit/cli"
	"github.com/olkit/olkit/lambda"
	_ "github.com/olkit/olkit/transforms/builtin"
)

func main() {
	if cli.Help(os.Args[1:], os.Stdout, cli.FunctionUsage()) {
		return
	}
	lambda.Main()
}
