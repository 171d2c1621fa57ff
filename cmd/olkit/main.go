// Command olkit applies a transform chain to local data, so a chain can be
// tried on files without AWS:
//
//	olkit run --payload '{"transforms":[{"name":"identity"}]}' --key report.csv < in > out
//	olkit transforms
//
// The payload is the same JSON an access point's payload holds; without
// --payload the OLKIT_TRANSFORMS environment variable is used, and without
// either the chain is the identity. Errors go to standard error with the S3
// status and code the caller of an access point would see, and the exit
// status is non-zero.
package main

import (
	"github.com/olkit/olkit/cli"
	_ "github.com/olkit/olkit/transforms/builtin"
)

func main() { cli.Main() }
