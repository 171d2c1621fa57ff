package decompress

import (
	"strconv"

	"github.com/olkit/olkit/transforms"
)

// The description `olkit transforms -v` prints and the README lists; its
// option names are checked against Options' JSON fields by a test.
func init() {
	transforms.Describe("decompress", transforms.Description{
		Summary: "decompresses gzip, zlib, zstd, snappy, bzip2 or one file of a ZIP archive, the format found from the data",
		Options: []transforms.Option{
			{Name: "format", Type: "string",
				Doc: "force one format: " + formatList(allFormats) + " (snappy-block is raw snappy, never detected). " +
					"Absent: the first bytes decide, then Content-Encoding, then the key's suffix"},
			{Name: "formats", Type: "list of strings",
				Doc: "the formats accepted, from the names above; data in any other is unknown. Absent: every format"},
			{Name: "unknown", Type: "string", Default: `"pass"`,
				Doc: `data in no accepted format: "pass" hands it on unchanged, "refuse" answers 400 UnexpectedContent`},
			{Name: "entry", Type: "string",
				Doc: "the ZIP entry to serve (its full name in the archive, e.g. \"data/report.csv\"), unless the request's " +
					"file_name query parameter names one; the way to choose an entry for clients that cannot add query " +
					"parameters (the aws CLI). Absent: the archive's only file, else 400 InvalidRequest"},
			{Name: "maxOutputBytes", Type: "integer (bytes)", Default: strconv.Itoa(DefaultMaxOutputBytes),
				Doc: "more output than this fails the request with 400 EntityTooLarge"},
			{Name: "maxRatio", Type: "number", Default: strconv.Itoa(DefaultMaxRatio),
				Doc: "output more than this many times the input fails with 400 EntityTooLarge (a decompression bomb), " +
					"checked once the output passes 16 MiB; at least 1"},
			{Name: "maxWindowBytes", Type: "integer (bytes)", Default: strconv.Itoa(DefaultMaxWindowBytes),
				Doc: "the largest zstd window accepted (zstd -19 uses 8 MiB)"},
			{Name: "maxSpoolBytes", Type: "integer (bytes)", Default: strconv.Itoa(DefaultMaxSpoolBytes),
				Doc: "the largest ZIP archive held in a temporary file when it cannot be read in place (after another stage); " +
					"beyond, 400 EntityTooLarge"},
			{Name: "maxBlockBytes", Type: "integer (bytes)", Default: strconv.Itoa(DefaultMaxBlockBytes),
				Doc: "the largest raw snappy block (snappy-block), decoded in memory"},
			{Name: "indexPrefix", Type: "string",
				Doc: "a key prefix (e.g. \"olkit-index/\") under which each object's checkpoint index is kept beside the " +
					"originals, so a cold instance serves ranges without decoding the object first; the function needs " +
					"s3:PutObject and s3:GetObject there. Absent: indexes live in each instance's memory only"},
		},
	})
}
