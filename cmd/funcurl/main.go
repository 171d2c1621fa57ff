// Command funcurl is olkit without S3 Object Lambda: a Lambda function
// behind a function URL (InvokeMode RESPONSE_STREAM, AuthType AWS_IAM)
// that serves GET /{key} and HEAD /{key} of the bucket OLKIT_BUCKET through
// the chain in OLKIT_TRANSFORMS, reading the bucket with its own role.
// Lambda runs it with no arguments; --help (or -h) prints its usage and
// exits, before anything looks for the Lambda environment.
//
//	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go build -tags lambda.norpc -o bootstrap ./cmd/funcurl
package main

import (
	"os"

	"github.com/olkit/olkit/cli"
	"github.com/olkit/olkit/funcurl"
	_ "github.com/olkit/olkit/transforms/builtin"
)

func usage() string {
	return `funcurl: olkit behind a Lambda function URL, without S3 Object Lambda.

Lambda's provided.al2023 runtime runs it (as "bootstrap") with no arguments,
behind a function URL with InvokeMode RESPONSE_STREAM and AuthType AWS_IAM.
It serves GET /{key} and HEAD /{key} of one bucket through one chain, reading
the bucket with the function's own role (s3:GetObject on that bucket); callers
sign for service "lambda" and need lambda:InvokeFunctionUrl. Run outside
Lambda (without AWS_LAMBDA_RUNTIME_API) it stops with an error.

Build:
  CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go build -tags lambda.norpc -o bootstrap ./cmd/funcurl

Environment:
  OLKIT_BUCKET         the bucket to serve (required)
  OLKIT_TRANSFORMS     the chain, as an access point payload:
                       {"transforms":[{"name":"decompress"}]}; blank serves objects unchanged
  AWS_ENDPOINT_URL_S3  where the bucket is read (else AWS_ENDPOINT_URL, else AWS)
  AWS_REGION, AWS_ACCESS_KEY_ID, ...  the function's role, as every AWS SDK reads them
  AWS_LAMBDA_RUNTIME_API  set by Lambda: the runtime to serve

` + cli.TransformList() + `
Docs: ` + cli.DocsURL + ` ("Without S3 Object Lambda: a function URL").
`
}

func main() {
	if cli.Help(os.Args[1:], os.Stdout, usage()) {
		return
	}
	funcurl.Main()
}
