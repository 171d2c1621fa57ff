package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/olkit/olkit/transforms"
)

// DocsURL is where olkit's documentation lives (README.md, docs/); every
// binary's --help ends with it.
const DocsURL = "https://github.com/olkit/olkit#readme"

// Help writes usage to w and reports true when args ask for help (-h,
// -help or --help, as the flag package spells it), so a main package can
// answer --help before it does anything else:
//
//	if cli.Help(os.Args[1:], os.Stdout, cli.FunctionUsage()) {
//		return
//	}
//
// Any other arguments, or none, report false and write nothing.
func Help(args []string, w io.Writer, usage string) bool {
	if !slices.ContainsFunc(args, isHelpFlag) {
		return false
	}
	fmt.Fprint(w, usage)
	return true
}

func isHelpFlag(a string) bool { return a == "-h" || a == "-help" || a == "--help" }

// FunctionUsage is the --help of an Object Lambda function binary: the
// program's name (cmd/bootstrap's, or a custom build's), how Lambda runs
// it, the environment it reads and the transforms it registered.
func FunctionUsage() string {
	return `bootstrap: the olkit S3 Object Lambda function.

Lambda's provided.al2023 runtime runs it with no arguments; it serves
GetObject, HeadObject and the listings of the Object Lambda access points
that name it, through the chain of transforms in the access point's payload:
  {"transforms":[{"name":"decompress"},{"name":"redact","options":{...}}]}
Run outside Lambda (without AWS_LAMBDA_RUNTIME_API) it stops with an error;
to try it locally, give its path to the emulator (go run ./cmd/localemu
--config setup.json, "bootstrap": "./bootstrap"), or try a chain on files
with the olkit command.

Build:
  CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go build -tags lambda.norpc -o bootstrap ./cmd/bootstrap

Environment:
  OLKIT_TRANSFORMS             the chain (payload JSON) for access points whose payload is blank
  OLKIT_AWS_PAYLOAD_TRANSFORM  the transform an AWS Comprehend-style payload
                               ({"pii_entity_types":...}) runs: redact (default) or pii-access-control
  AWS_ENDPOINT_URL_S3          where WriteGetObjectResponse and the function's own reads go
                               (else AWS_ENDPOINT_URL, else AWS); the emulator sets it
  AWS_REGION, AWS_ACCESS_KEY_ID, ...  the function's role, as every AWS SDK reads them
  AWS_LAMBDA_RUNTIME_API       set by Lambda (or the emulator): the runtime to serve

` + TransformList() + `
Docs: ` + DocsURL + ` ("Deploy to AWS", "Choosing the chain").
`
}

// TransformList names the transforms this program registered, for a
// binary's --help.
func TransformList() string {
	return "Transforms in this build (olkit transforms -v describes their options):\n  " +
		strings.Join(transforms.Names(), ", ") + "\n"
}
