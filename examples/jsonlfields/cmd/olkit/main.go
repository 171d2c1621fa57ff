// Command olkit is the olkit CLI with the jsonl-fields example registered
// next to the built-in transforms, to try a payload on local files before
// deploying it:
//
//	printf '{"id":1,"email":"a@example.com"}\n' |
//		go run ./examples/jsonlfields/cmd/olkit run --payload '{"transforms":[{"name":"jsonl-fields","options":{"drop":["email"]}}]}'
package main

import (
	"github.com/olkit/olkit/cli"
	_ "github.com/olkit/olkit/transforms/builtin"

	_ "github.com/olkit/olkit/examples/jsonlfields"
)

func main() { cli.Main() }
