// Command funcurl is olkit without S3 Object Lambda: a Lambda function
// behind a function URL (InvokeMode RESPONSE_STREAM, AuthType AWS_IAM)
// that serves GET /{key} and HEAD /{key} of the bucket OLKIT_BUCKET through
// the chain in OLKIT_TRANSFORMS, reading the bucket with its own role.
//
//	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go build -tags lambda.norpc -o bootstrap ./cmd/funcurl
package main

import (
	"github.com/olkit/olkit/funcurl"
	_ "github.com/olkit/olkit/transforms/builtin"
)

func main() { funcurl.Main() }
