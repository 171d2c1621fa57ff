package serve

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"time"

	"github.com/olkit/olkit/transforms"
)

// setDerivedETag gives changed bytes an ETag of their own, derived from the
// original's ETag and what the chain does, so that it is the same for the
// same output and caches and conditional requests work; never the
// original's ETag on changed bytes. A stage that set an ETag keeps it.
func setDerivedETag(h http.Header, original string, chain *transforms.Chain) {
	if h.Get("ETag") != "" || original == "" {
		return
	}
	sum := sha256.Sum256([]byte(original + "\x00" + chain.Fingerprint()))
	h.Set("ETag", `"`+hex.EncodeToString(sum[:16])+`"`)
}

// lastModified is the Last-Modified of h, zero when it has none.
func lastModified(h http.Header) time.Time {
	t, _ := http.ParseTime(h.Get("Last-Modified"))
	return t
}
