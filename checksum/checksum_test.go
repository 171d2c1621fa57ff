package writeresponse_test

import (
	"encoding/base64"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/writeresponse"
)

// Check values of each algorithm over "123456789", from the CRC catalogue
// and FIPS 180 test vectors.
func TestChecksumAlgorithms(t *testing.T) {
	for alg, want := range map[string]string{
		writeresponse.CRC32:     "cbf43926",
		writeresponse.CRC32C:    "e3069283",
		writeresponse.CRC64NVME: "ae8b14860a799888",
		writeresponse.SHA1:      "f7c3bc1d808e04732adf679965ccc34ca7ae3441",
		writeresponse.SHA256:    "15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225",
	} {
		h, ok := writeresponse.NewHash(alg)
		require.True(t, ok, alg)
		h.Write([]byte("123456789"))
		assert.Equal(t, want, bytesHex(h.Sum(nil)), alg)
		raw, err := base64.StdEncoding.DecodeString(writeresponse.Encode(h))
		require.NoError(t, err)
		assert.Equal(t, want, bytesHex(raw))
	}
	_, ok := writeresponse.NewHash("MD5")
	assert.False(t, ok)
}

func bytesHex(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

func TestChecksumAlgorithmOfTheOriginal(t *testing.T) {
	assert.Equal(t, "CRC32C", writeresponse.ChecksumAlgorithm(http.Header{"X-Amz-Checksum-Crc32c": {"yZRlqg=="}}))
	assert.Equal(t, "", writeresponse.ChecksumAlgorithm(http.Header{"X-Amz-Checksum-Crc32": {"abc=-3"}}), "composite is no full-object checksum")
	assert.Equal(t, "", writeresponse.ChecksumAlgorithm(http.Header{}))
	assert.Equal(t, "X-Amz-Checksum-Crc64nvme", writeresponse.ChecksumHeader("CRC64NVME"))
}
