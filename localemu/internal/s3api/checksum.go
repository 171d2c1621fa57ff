package s3api

import (
	"crypto/md5"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"io"
	"net/http"
	"strings"

	"github.com/olkit/olkit/checksum"
	"github.com/olkit/olkit/localemu/internal/store"
	"github.com/olkit/olkit/s3err"
)

// algorithms are S3's additional checksums, by their upper-case name:
// the five every SDK knows, and MD5 and SHA512, which S3 added later
// (x-amz-checksum-md5, x-amz-checksum-sha512; not composable into a
// FULL_OBJECT multipart checksum, like SHA1 and SHA256).
var algorithms = func() map[string]func() hash.Hash {
	m := map[string]func() hash.Hash{"MD5": md5.New, "SHA512": sha512.New}
	for _, alg := range checksum.Algorithms {
		m[alg] = func() hash.Hash { h, _ := checksum.New(alg); return h }
	}
	return m
}()

// notBuilt are checksum algorithms S3 accepts that localemu does not
// compute: a request naming one answers 501 rather than storing data
// unverified.
var notBuilt = map[string]bool{"XXHASH64": true, "XXHASH3": true, "XXHASH128": true}

func checksumNotBuilt(alg string) error {
	return s3err.New(http.StatusNotImplemented, "NotImplemented", "localemu does not compute %s checksums; use CRC32, CRC32C, CRC64NVME, MD5, SHA1, SHA256 or SHA512", alg)
}

// knownAlgorithm checks a checksum algorithm a request names.
func knownAlgorithm(alg string) error {
	if notBuilt[alg] {
		return checksumNotBuilt(alg)
	}
	if _, ok := algorithms[alg]; !ok {
		return s3err.InvalidRequest("Checksum algorithm %q is not one of CRC32, CRC32C, CRC64NVME, MD5, SHA1, SHA256, SHA512", alg)
	}
	return nil
}

// defaultAlgorithm is what S3 computes when a client names none.
const defaultAlgorithm = "CRC64NVME"

// integrity hashes a body as it streams and checks it against what the
// client claimed: Content-MD5, and one x-amz-checksum-* from a header or
// from the aws-chunked trailer.
type integrity struct {
	md5     hash.Hash
	wantMD5 []byte
	alg     string
	sum     hash.Hash
	want    string // base64 value from the header; "" when it comes in the trailer or not at all
	trailer bool
}

// newIntegrity reads what r claims about its body. fallback is the
// algorithm to compute when the request names none ("" for none).
func newIntegrity(r *http.Request, fallback string) (*integrity, error) {
	ig := &integrity{md5: md5.New()}
	if v := r.Header.Get("Content-MD5"); v != "" {
		b, err := base64.StdEncoding.DecodeString(v)
		if err != nil || len(b) != md5.Size {
			return nil, s3err.New(http.StatusBadRequest, "InvalidDigest", "The Content-MD5 you specified was invalid.")
		}
		ig.wantMD5 = b
	}
	n := 0
	for name, vals := range r.Header {
		alg, ok := strings.CutPrefix(strings.ToUpper(name), "X-AMZ-CHECKSUM-")
		if !ok || alg == "MODE" || alg == "TYPE" || alg == "ALGORITHM" || len(vals) == 0 || vals[0] == "" {
			continue
		}
		if notBuilt[alg] {
			return nil, checksumNotBuilt(alg)
		}
		if _, ok := algorithms[alg]; ok {
			n++
			ig.alg, ig.want = alg, vals[0]
		}
	}
	if n > 1 {
		return nil, s3err.InvalidRequest("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
	}
	if t := strings.ToLower(r.Header.Get("X-Amz-Trailer")); strings.HasPrefix(t, "x-amz-checksum-") && ig.alg == "" {
		ig.alg, ig.trailer = strings.ToUpper(strings.TrimPrefix(t, "x-amz-checksum-")), true
	}
	if ig.alg == "" {
		ig.alg = strings.ToUpper(r.Header.Get("X-Amz-Sdk-Checksum-Algorithm"))
	}
	if ig.alg == "" {
		ig.alg = fallback
	}
	if ig.alg != "" {
		if err := knownAlgorithm(ig.alg); err != nil {
			return nil, err
		}
		ig.sum = algorithms[ig.alg]()
		if ig.want != "" && !validChecksum(ig.alg, ig.want) {
			return nil, s3err.InvalidRequest("Value for x-amz-checksum-%s header is invalid.", strings.ToLower(ig.alg))
		}
	}
	return ig, nil
}

func validChecksum(alg, v string) bool {
	b, err := base64.StdEncoding.DecodeString(v)
	return err == nil && len(b) == algorithms[alg]().Size()
}

func (ig *integrity) Write(p []byte) (int, error) {
	ig.md5.Write(p)
	if ig.sum != nil {
		ig.sum.Write(p)
	}
	return len(p), nil
}

// verify checks the body read so far; trailer holds the aws-chunked
// trailing headers. It returns the ETag (hex MD5) and the checksums to store.
func (ig *integrity) verify(trailer http.Header) (string, map[string]string, error) {
	gotMD5 := ig.md5.Sum(nil)
	if ig.wantMD5 != nil && string(gotMD5) != string(ig.wantMD5) {
		return "", nil, s3err.New(http.StatusBadRequest, "BadDigest", "The Content-MD5 you specified did not match what we received.")
	}
	etag := hex.EncodeToString(gotMD5)
	if ig.sum == nil {
		return etag, nil, nil
	}
	got := base64.StdEncoding.EncodeToString(ig.sum.Sum(nil))
	want := ig.want
	if ig.trailer {
		want = trailer.Get("x-amz-checksum-" + strings.ToLower(ig.alg))
		if want == "" {
			return "", nil, s3err.New(http.StatusBadRequest, "MalformedTrailerError", "The request contained trailing data that was not well-formed or did not conform to our published schema.")
		}
		if !validChecksum(ig.alg, want) {
			return "", nil, s3err.InvalidRequest("Value for x-amz-checksum-%s trailing header is invalid.", strings.ToLower(ig.alg))
		}
	}
	if want != "" && want != got {
		return "", nil, s3err.New(http.StatusBadRequest, "BadDigest", "The %s you specified did not match the calculated checksum.", ig.alg)
	}
	return etag, map[string]string{ig.alg: got}, nil
}

// copyVerified streams body into dst through ig. A body expected to be
// large is hashed for its MD5 on a second goroutine while this one reads,
// verifies and writes, so a big PUT is not held to one core's MD5 speed.
func copyVerified(dst io.Writer, body io.Reader, ig *integrity, expect int64) (int64, error) {
	var n int64
	var err error
	if expect >= pipelineMin {
		n, err = copyPipelined(dst, body, ig)
	} else {
		n, err = io.Copy(io.MultiWriter(dst, ig), body)
	}
	if err != nil {
		if e, ok := err.(*s3err.Error); ok {
			return n, e
		}
		return n, s3err.Wrap(err, http.StatusBadRequest, "IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header.")
	}
	return n, nil
}

// pipelineMin is the body size from which copyVerified hashes MD5 aside.
const pipelineMin = 4 << 20

func copyPipelined(dst io.Writer, body io.Reader, ig *integrity) (int64, error) {
	const buffers, size = 4, 256 << 10
	free := make(chan []byte, buffers)
	for range buffers {
		free <- make([]byte, size)
	}
	work := make(chan []byte, buffers)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for p := range work {
			ig.md5.Write(p)
			free <- p[:cap(p)]
		}
	}()
	var n int64
	var err error
	for {
		p := <-free
		m, rerr := io.ReadFull(body, p)
		if m > 0 {
			if ig.sum != nil {
				ig.sum.Write(p[:m])
			}
			if _, err = dst.Write(p[:m]); err != nil {
				break
			}
			n += int64(m)
			work <- p[:m]
		}
		if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
			break
		}
		if rerr != nil {
			err = rerr
			break
		}
	}
	close(work)
	<-done
	return n, err
}

func setChecksumHeaders(h http.Header, sums map[string]string, typ string) {
	for alg, v := range sums {
		h.Set("X-Amz-Checksum-"+alg, v)
	}
	if len(sums) > 0 && typ != "" {
		h.Set("X-Amz-Checksum-Type", typ)
	}
}

// receiveBody stages the request's body, verifying Content-MD5 and any
// x-amz-checksum-* (header or trailer) as it streams; algorithm is the
// checksum to compute when the client named none. It returns the staged
// data, which the caller must Abort unless committed, with the MD5 ETag
// (unquoted) and the checksums.
func (c *call) receiveBody(algorithm string) (*store.Staging, string, map[string]string, error) {
	ig, err := newIntegrity(c.r, algorithm)
	if err != nil {
		return nil, "", nil, err
	}
	st, err := c.h.cfg.Store.Stage()
	if err != nil {
		return nil, "", nil, err
	}
	expect := c.r.ContentLength
	if c.auth.DecodedLength >= 0 {
		expect = c.auth.DecodedLength
	}
	if _, err := copyVerified(st, c.auth.Body, ig, expect); err != nil {
		st.Abort()
		return nil, "", nil, err
	}
	etag, sums, err := ig.verify(c.auth.Trailer())
	if err != nil {
		st.Abort()
		return nil, "", nil, err
	}
	return st, etag, sums, nil
}
