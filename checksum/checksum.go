// Package checksum knows S3's additional checksums: CRC32, CRC32C,
// CRC64NVME, SHA1 and SHA256, their headers and their encoding. The
// function (answering with the checksum of the bytes it sends) and the
// emulator (verifying what clients and functions send) share it.
package checksum

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"hash"
	"hash/crc32"
	"hash/crc64"
	"net/http"
	"strings"
)

// The checksum algorithms S3 and WGOR know, as S3 names them.
const (
	CRC32     = "CRC32"
	CRC32C    = "CRC32C"
	CRC64NVME = "CRC64NVME"
	SHA1      = "SHA1"
	SHA256    = "SHA256"
)

// crc64NVME is CRC-64/NVME (reflected polynomial 0x9a6c9329ac4bc9b5), the
// checksum S3 computes by default since 2025.
var crc64NVME = crc64.MakeTable(0x9a6c9329ac4bc9b5)

// New returns a hash for a checksum algorithm, or false if unknown.
func New(algorithm string) (hash.Hash, bool) {
	switch strings.ToUpper(algorithm) {
	case CRC32:
		return crc32.NewIEEE(), true
	case CRC32C:
		return crc32.New(crc32.MakeTable(crc32.Castagnoli)), true
	case CRC64NVME:
		return crc64.New(crc64NVME), true
	case SHA1:
		return sha1.New(), true
	case SHA256:
		return sha256.New(), true
	}
	return nil, false
}

// Header is the response header that carries algorithm's checksum.
func Header(algorithm string) string {
	return http.CanonicalHeaderKey("x-amz-checksum-" + strings.ToLower(algorithm))
}

// Encode formats a hash's sum as S3 sends checksums: base64.
func Encode(h hash.Hash) string { return base64.StdEncoding.EncodeToString(h.Sum(nil)) }

// Of returns the algorithm of the full-object checksum in h
// (the original's, from its GetObject answer), or "" when there is none.
func Of(h http.Header) string {
	for _, alg := range Algorithms {
		if v := h.Get(Header(alg)); v != "" && !strings.Contains(v, "-") {
			return alg
		}
	}
	return ""
}

// Algorithms lists the algorithms, strongest first.
var Algorithms = []string{CRC64NVME, SHA256, SHA1, CRC32C, CRC32}
