// Package builtin registers every transform that ships with olkit. A main
// package imports it for its side effect, as the Lambda binary and the CLI
// do; a custom binary imports it and its own plugins.
//
//	import _ "github.com/olkit/olkit/transforms/builtin"
package builtin

import (
	// "decompress": gzip, zlib, zstd, snappy, bzip2 and ZIP.
	_ "github.com/olkit/olkit/transforms/decompress"
	// "redact" and "pii-access-control": offline PII detection.
	_ "github.com/olkit/olkit/transforms/redact"
)
