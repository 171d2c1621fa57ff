package decompress

import (
	"bytes"
	"mime"
	"path"
	"strings"
)

// Format names a compressed format, as options and logs spell it.
type Format string

// The formats olkit decompresses.
const (
	Gzip        Format = "gzip"
	Zlib        Format = "zlib"
	Zstd        Format = "zstd"
	Snappy      Format = "snappy"       // the framed stream format
	SnappyBlock Format = "snappy-block" // the raw block format: no magic, chosen by option only
	Bzip2       Format = "bzip2"
	Zip         Format = "zip"
)

// allFormats is every format, in the order detection tries magic numbers.
var allFormats = []Format{Gzip, Zstd, Bzip2, Snappy, Zip, Zlib, SnappyBlock}

// magicLen is how many leading bytes detection needs.
const magicLen = 10

// sniff names the format whose magic number data starts with, or "".
func sniff(data []byte) Format {
	switch {
	case bytes.HasPrefix(data, []byte{0x1f, 0x8b}):
		return Gzip
	case bytes.HasPrefix(data, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		return Zstd
	case len(data) >= 4 && bytes.HasPrefix(data, []byte("BZh")) && data[3] >= '1' && data[3] <= '9':
		return Bzip2
	case bytes.HasPrefix(data, []byte("\xff\x06\x00\x00sNaPpY")):
		return Snappy
	case bytes.HasPrefix(data, []byte("PK\x03\x04")), bytes.HasPrefix(data, []byte("PK\x05\x06")):
		return Zip
	case isZlibHeader(data):
		return Zlib
	}
	return ""
}

// isZlibHeader checks RFC 1950's two-byte header: deflate with a window of
// at most 32 KiB, no preset dictionary, and the check bits right.
func isZlibHeader(data []byte) bool {
	if len(data) < 2 {
		return false
	}
	cmf, flg := data[0], data[1]
	return cmf&0x0f == 8 && cmf>>4 <= 7 && flg&0x20 == 0 && (uint16(cmf)<<8|uint16(flg))%31 == 0
}

// fromEncoding maps a Content-Encoding to a format. HTTP's "deflate" is the
// zlib format (RFC 9110), whatever some servers send.
func fromEncoding(enc string) Format {
	switch strings.ToLower(strings.TrimSpace(enc)) {
	case "gzip", "x-gzip":
		return Gzip
	case "deflate", "zlib":
		return Zlib
	case "zstd":
		return Zstd
	case "bzip2", "x-bzip2":
		return Bzip2
	case "snappy", "x-snappy-framed":
		return Snappy
	}
	return ""
}

// suffixes maps a key's suffix to its format and the suffix the inner name
// takes in its place (".tgz" holds a ".tar").
var suffixes = []struct {
	suffix, inner string
	format        Format
}{
	{".gz", "", Gzip}, {".gzip", "", Gzip}, {".tgz", ".tar", Gzip},
	{".zst", "", Zstd}, {".zstd", "", Zstd}, {".tzst", ".tar", Zstd},
	{".bz2", "", Bzip2}, {".bzip2", "", Bzip2}, {".tbz2", ".tar", Bzip2}, {".tbz", ".tar", Bzip2},
	{".sz", "", Snappy}, {".snappy", "", Snappy},
	{".zz", "", Zlib}, {".zlib", "", Zlib}, {".deflate", "", Zlib},
	{".zip", "", Zip},
}

// fromKey returns the format a key's suffix names, and the key without it.
func fromKey(key string) (Format, string) {
	lower := strings.ToLower(key)
	for _, s := range suffixes {
		if strings.HasSuffix(lower, s.suffix) {
			return s.format, key[:len(key)-len(s.suffix)] + s.inner
		}
	}
	return "", key
}

// innerName is the name of the decompressed data: the key without the
// compression suffix of format, when it has one.
func innerName(key string, f Format) string {
	if kf, inner := fromKey(key); kf == f || (f == SnappyBlock && kf == Snappy) {
		return inner
	}
	return key
}

// contentTypes covers the types data files usually have, so the answer
// does not depend on the machine's mime tables (Lambda's has few).
var contentTypes = map[string]string{
	".csv":     "text/csv",
	".tsv":     "text/tab-separated-values",
	".txt":     "text/plain",
	".log":     "text/plain",
	".md":      "text/markdown",
	".json":    "application/json",
	".jsonl":   "application/x-ndjson",
	".ndjson":  "application/x-ndjson",
	".xml":     "application/xml",
	".html":    "text/html",
	".htm":     "text/html",
	".yaml":    "application/yaml",
	".yml":     "application/yaml",
	".parquet": "application/vnd.apache.parquet",
	".avro":    "application/avro",
	".orc":     "application/octet-stream",
	".tar":     "application/x-tar",
	".pdf":     "application/pdf",
	".png":     "image/png",
	".jpg":     "image/jpeg",
	".jpeg":    "image/jpeg",
	".gif":     "image/gif",
	".svg":     "image/svg+xml",
	".js":      "text/javascript",
	".css":     "text/css",
	".wasm":    "application/wasm",
}

// contentType guesses the media type of a decompressed object from its
// name; application/octet-stream when the name says nothing.
func contentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); ext != "" && t != "" {
		return t
	}
	return "application/octet-stream"
}
