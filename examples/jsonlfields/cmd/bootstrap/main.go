// Command bootstrap is the olkit Object Lambda function with the
// jsonl-fields example registered next to the built-in transforms. It is
// cmd/bootstrap plus one import: that is all a custom build takes.
//
// Build it for Lambda with:
//
//	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go build -tags lambda.norpc -o bootstrap ./examples/jsonlfields/cmd/bootstrap
//
// and name the transform in the access point's payload:
//
//	{"transforms":[{"name":"jsonl-fields","options":{"drop":["email","ssn"]}}]}
package main

import (
	"os"

	"github.com/olkit/olkit/cli"
	"github.com/olkit/olkit/lambda"
	_ "github.com/olkit/olkit/transforms/builtin" // decompress and the other built-ins

	// Plugins register their transforms from init, as database/sql drivers
	// do. Add a line here for each one the function should offer.
	_ "github.com/olkit/olkit/examples/jsonlfields"
)

func main() {
	// --help answers before anything looks for the Lambda environment;
	// its list of transforms includes jsonl-fields.
	if cli.Help(os.Args[1:], os.Stdout, cli.FunctionUsage()) {
		return
	}
	lambda.Main()
}
