package s3auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// The SigV4 canonical request, built here from the request as received
// rather than by re-signing it with an SDK's signer: an SDK's signer
// decides what to sign for its own requests (aws-sdk-go-v2 leaves out a
// zero Content-Length, for one), while a server must take the client's
// list of signed headers as given and canonicalise exactly those, as S3
// does (AWS's IAM guide, "Create a signed AWS API request"):
//
//	Method \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n HashedPayload
//
// CanonicalHeaders has one "name:value\n" line per signed header, in the
// order the client listed them (every SDK lists them sorted); the value is
// every instance of the header, each trimmed with runs of spaces collapsed
// to one, joined by commas.

// canonicalRequest builds the canonical request of r for path (the URI as
// the client signed it), the signed headers a lists, and payload.
func canonicalRequest(r *http.Request, a v4Auth, path, payload string, presigned bool) string {
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte('\n')
	b.WriteString(path)
	b.WriteByte('\n')
	b.WriteString(canonicalQuery(r.URL.RawQuery, presigned))
	b.WriteByte('\n')
	for _, name := range a.signedHeaders {
		b.WriteString(name)
		b.WriteByte(':')
		b.WriteString(canonicalHeaderValue(r, name))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(strings.Join(a.signedHeaders, ";"))
	b.WriteByte('\n')
	b.WriteString(payload)
	return b.String()
}

// canonicalQuery is the query with each name and value URI-encoded as
// SigV4 encodes them, sorted by name then value; a presigned URL's
// X-Amz-Signature is left out.
func canonicalQuery(raw string, presigned bool) string {
	q, _ := url.ParseQuery(raw) // a malformed pair is dropped, as it is for the rest of the emulator
	type pair struct{ k, v string }
	var pairs []pair
	for k, vs := range q {
		if presigned && k == "X-Amz-Signature" {
			continue
		}
		for _, v := range vs {
			pairs = append(pairs, pair{uriEncode(k), uriEncode(v)})
		}
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].k != pairs[j].k {
			return pairs[i].k < pairs[j].k
		}
		return pairs[i].v < pairs[j].v
	})
	parts := make([]string, len(pairs))
	for i, p := range pairs {
		parts[i] = p.k + "=" + p.v
	}
	return strings.Join(parts, "&")
}

// canonicalHeaderValue is the value a signed header contributes. Host,
// Content-Length and Transfer-Encoding are where Go's server keeps them;
// a Content-Length the client signed counts even when it is 0.
func canonicalHeaderValue(r *http.Request, name string) string {
	var vals []string
	switch name {
	case "host":
		vals = []string{r.Host}
	case "transfer-encoding":
		vals = r.TransferEncoding
	default:
		vals = r.Header.Values(name)
		if name == "content-length" && len(vals) == 0 && r.ContentLength >= 0 {
			vals = []string{strconv.FormatInt(r.ContentLength, 10)}
		}
	}
	for i, v := range vals {
		vals[i] = trimAll(v)
	}
	return strings.Join(vals, ",")
}

// trimAll trims a header value and collapses each run of spaces to one.
func trimAll(v string) string {
	v = strings.TrimSpace(v)
	if !strings.Contains(v, "  ") {
		return v
	}
	var b strings.Builder
	space := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == ' ' {
			if space {
				continue
			}
			space = true
		} else {
			space = false
		}
		b.WriteByte(c)
	}
	return b.String()
}

// uriEncode encodes s as SigV4 does: every byte but A-Z a-z 0-9 - _ . ~
// as %XX with upper-case hex.
func uriEncode(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

// uriEncodePath encodes a path as uriEncode does, keeping its slashes.
func uriEncodePath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = uriEncode(s)
	}
	return strings.Join(parts, "/")
}

// signatureOf is the SigV4 signature of a canonical request.
func signatureOf(secret string, a v4Auth, canonical string) string {
	sum := sha256.Sum256([]byte(canonical))
	sts := algorithmV4 + "\n" + a.time.Format(amzDateFormat) + "\n" + a.scope() + "\n" + hex.EncodeToString(sum[:])
	return hex.EncodeToString(hmacSHA256(signingKey(secret, a), sts))
}

// signatureMatches reports whether a's signature is r's, for the path as
// received or in SigV4's canonical escaping (clients differ in which of
// the two they put on the wire).
func signatureMatches(r *http.Request, a v4Auth, payload, secret string, presigned bool) bool {
	raw := rawPath(r)
	candidates := []string{raw}
	if p := uriEncodePath(r.URL.Path); p != raw {
		candidates = append(candidates, p)
	}
	for _, p := range candidates {
		got := signatureOf(secret, a, canonicalRequest(r, a, p, payload, presigned))
		if hmac.Equal([]byte(got), []byte(a.signature)) {
			return true
		}
	}
	return false
}

// rawPath is the request path as it arrived on the wire.
func rawPath(r *http.Request) string {
	p, _, _ := strings.Cut(r.RequestURI, "?")
	if strings.HasPrefix(p, "/") {
		return p
	}
	return r.URL.EscapedPath()
}
