package checksum_test

import (
	"encoding/base64"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/checksum"
)

// Check values of each algorithm over "123456789", from the CRC catalogue
// and FIPS 180 test vectors.
func TestChecksumAlgorithms(t *testing.T) {
	for alg, want := range map[string]string{
		checksum.CRC32:     "cbf43926",
		checksum.CRC32C:    "e3069283",
		checksum.CRC64NVME: "ae8b14860a799888",
		checksum.SHA1:      "f7c3bc1d808e04732adf679965ccc34ca7ae3441",
		checksum.SHA256:    "15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225",
	} {
		h, ok := checksum.New(alg)
		require.True(t, ok, alg)
		h.Write([]byte("123456789"))
		assert.Equal(t, want, bytesHex(h.Sum(nil)), alg)
		raw, err := base64.StdEncoding.DecodeString(checksum.Encode(h))
		require.NoError(t, err)
		assert.Equal(t, want, bytesHex(raw))
	}
	_, ok := checksum.New("MD5")
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
	assert.Equal(t, "CRC32C", checksum.Of(http.Header{"X-Amz-Checksum-Crc32c": {"yZRlqg=="}}))
	assert.Equal(t, "", checksum.Of(http.Header{"X-Amz-Checksum-Crc32": {"abc=-3"}}), "composite is no full-object checksum")
	assert.Equal(t, "", checksum.Of(http.Header{}))
	assert.Equal(t, "X-Amz-Checksum-Crc64nvme", checksum.Header("CRC64NVME"))
}
