package s3api

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/xml"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/olkit/olkit/localemu/internal/store"
	"github.com/olkit/olkit/s3err"
)

// grouper folds keys into common prefixes the way S3's delimiter does and
// counts entries against max-keys.
type grouper struct {
	prefix, delim, after string
	max                  int
	count                int
	prefixes             []string
	truncated            bool
	last                 string // last key or common prefix returned
}

// add reports whether key is to be listed on its own; false with stop
// false means it was folded into a common prefix (or skipped).
func (g *grouper) add(key string) (own, stop bool) {
	if g.delim != "" {
		if i := strings.Index(key[len(g.prefix):], g.delim); i >= 0 {
			cp := key[:len(g.prefix)+i+len(g.delim)]
			if cp == g.last || strings.HasPrefix(g.after, cp) {
				return false, false
			}
			if !g.room() {
				return false, true
			}
			g.prefixes = append(g.prefixes, cp)
			g.last = cp
			return false, false
		}
	}
	if !g.room() {
		return false, true
	}
	g.last = key
	return true, false
}

func (g *grouper) room() bool {
	if g.count >= g.max {
		// S3 answers max-keys=0 with an empty, untruncated page.
		g.truncated = g.max > 0
		return false
	}
	g.count++
	return true
}

func maxKeys(q url.Values, name string) (int, error) {
	v := q.Get(name)
	if v == "" {
		return 1000, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, s3err.New(http.StatusBadRequest, "InvalidArgument", "Provided %s not an integer or within integer range", name)
	}
	return min(n, 1000), nil
}

type listEntry struct {
	Key               string
	LastModified      string
	ETag              string
	ChecksumAlgorithm []string `xml:",omitempty"`
	ChecksumType      string   `xml:",omitempty"`
	Size              int64
	Owner             *xmlOwner `xml:",omitempty"`
	StorageClass      string
}

type commonPrefix struct{ Prefix string }

func (c *call) entry(o *store.Object, withOwner bool, enc func(string) string) listEntry {
	e := listEntry{Key: enc(o.Key), LastModified: isoTime(o.LastModified), ETag: o.ETag, Size: o.Size, StorageClass: storageClass(o)}
	for alg := range o.Checksums {
		e.ChecksumAlgorithm = append(e.ChecksumAlgorithm, alg)
		e.ChecksumType = o.ChecksumType
	}
	if withOwner {
		e.Owner = ownerOf(o.Owner).xml()
	}
	return e
}

func storageClass(o *store.Object) string {
	if o.StorageClass == "" {
		return "STANDARD"
	}
	return o.StorageClass
}

// encoder applies encoding-type=url.
func encoder(q url.Values) (func(string) string, string, error) {
	switch q.Get("encoding-type") {
	case "":
		return func(s string) string { return s }, "", nil
	case "url":
		return func(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "%2F", "/") }, "url", nil
	}
	return nil, "", s3err.New(http.StatusBadRequest, "InvalidArgument", "Invalid Encoding Method specified in Request")
}

func prefixesOf(g *grouper, enc func(string) string) []commonPrefix {
	out := make([]commonPrefix, len(g.prefixes))
	for i, p := range g.prefixes {
		out[i] = commonPrefix{enc(p)}
	}
	return out
}

// collect lists current versions after after.
func (c *call) collect(g *grouper, withOwner bool, enc func(string) string) ([]listEntry, error) {
	var out []listEntry
	err := c.h.cfg.Store.Walk(c.route.Bucket, g.prefix, g.after, func(o *store.Object) bool {
		own, stop := g.add(o.Key)
		if own {
			out = append(out, c.entry(o, withOwner, enc))
		}
		return !stop
	})
	return out, err
}

func listObjectsV1(c *call) error {
	enc, encType, err := encoder(c.q)
	if err != nil {
		return err
	}
	max, err := maxKeys(c.q, "max-keys")
	if err != nil {
		return err
	}
	g := &grouper{prefix: c.q.Get("prefix"), delim: c.q.Get("delimiter"), after: c.q.Get("marker"), max: max}
	contents, err := c.collect(g, true, enc)
	if err != nil {
		return err
	}
	res := struct {
		XMLName        xml.Name `xml:"ListBucketResult"`
		NS             string   `xml:"xmlns,attr"`
		Name           string
		Prefix         string
		Marker         string
		NextMarker     string `xml:",omitempty"`
		MaxKeys        int
		Delimiter      string `xml:",omitempty"`
		EncodingType   string `xml:",omitempty"`
		IsTruncated    bool
		Contents       []listEntry
		CommonPrefixes []commonPrefix
	}{NS: s3NS, Name: c.route.Bucket, Prefix: g.prefix, Marker: enc(g.after), MaxKeys: max, Delimiter: enc(g.delim),
		EncodingType: encType, IsTruncated: g.truncated, Contents: contents, CommonPrefixes: prefixesOf(g, enc)}
	if g.truncated && g.delim != "" {
		res.NextMarker = enc(g.last)
	}
	return c.writeXML(res)
}

func listObjectsV2(c *call) error {
	enc, encType, err := encoder(c.q)
	if err != nil {
		return err
	}
	max, err := maxKeys(c.q, "max-keys")
	if err != nil {
		return err
	}
	after := c.q.Get("start-after")
	token := c.q.Get("continuation-token")
	if token != "" { // an empty token is no token, as SDK paginators send it
		key, ok := decodeToken(c.route.Bucket, token)
		if !ok {
			return s3err.New(http.StatusBadRequest, "InvalidArgument", "The continuation token provided is incorrect")
		}
		after = key
	}
	g := &grouper{prefix: c.q.Get("prefix"), delim: c.q.Get("delimiter"), after: after, max: max}
	contents, err := c.collect(g, c.q.Get("fetch-owner") == "true", enc)
	if err != nil {
		return err
	}
	res := struct {
		XMLName               xml.Name `xml:"ListBucketResult"`
		NS                    string   `xml:"xmlns,attr"`
		Name                  string
		Prefix                string
		Delimiter             string `xml:",omitempty"`
		MaxKeys               int
		EncodingType          string `xml:",omitempty"`
		KeyCount              int
		IsTruncated           bool
		ContinuationToken     string `xml:",omitempty"`
		NextContinuationToken string `xml:",omitempty"`
		StartAfter            string `xml:",omitempty"`
		Contents              []listEntry
		CommonPrefixes        []commonPrefix
	}{NS: s3NS, Name: c.route.Bucket, Prefix: enc(g.prefix), Delimiter: enc(g.delim), MaxKeys: max, EncodingType: encType,
		KeyCount: g.count, IsTruncated: g.truncated, ContinuationToken: token, StartAfter: enc(c.q.Get("start-after")),
		Contents: contents, CommonPrefixes: prefixesOf(g, enc)}
	if g.truncated {
		res.NextContinuationToken = encodeToken(c.route.Bucket, g.last)
	}
	return c.writeXML(res)
}

// A continuation token is the last key listed with a check of it and its
// bucket in front, so a token that localemu did not issue for this bucket
// is refused, as S3 refuses it, instead of listing from wherever it
// decodes to.
func encodeToken(bucket, key string) string {
	sum := tokenCheck(bucket, key)
	return base64.RawURLEncoding.EncodeToString(append(sum[:], key...))
}

func decodeToken(bucket, token string) (string, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) < tokenCheckLen {
		return "", false
	}
	key := string(raw[tokenCheckLen:])
	sum := tokenCheck(bucket, key)
	return key, string(sum[:]) == string(raw[:tokenCheckLen])
}

const tokenCheckLen = 8

func tokenCheck(bucket, key string) [tokenCheckLen]byte {
	h := sha256.Sum256([]byte("localemu-token\x00" + bucket + "\x00" + key))
	return [tokenCheckLen]byte(h[:tokenCheckLen])
}

type versionEntry struct {
	XMLName      xml.Name
	Key          string
	VersionID    string `xml:"VersionId"`
	IsLatest     bool
	LastModified string
	ETag         string `xml:",omitempty"`
	Size         *int64 `xml:",omitempty"`
	StorageClass string `xml:",omitempty"`
	Owner        *xmlOwner
}

func listObjectVersions(c *call) error {
	enc, encType, err := encoder(c.q)
	if err != nil {
		return err
	}
	max, err := maxKeys(c.q, "max-keys")
	if err != nil {
		return err
	}
	keyMarker, vidMarker := c.q.Get("key-marker"), c.q.Get("version-id-marker")
	g := &grouper{prefix: c.q.Get("prefix"), delim: c.q.Get("delimiter"), after: keyMarker, max: max}
	var entries []versionEntry
	lastKey, skipping := "", vidMarker != ""
	var nextVID string
	err = c.h.cfg.Store.WalkVersions(c.route.Bucket, g.prefix, "", func(o *store.Object) bool {
		latest := o.Key != lastKey
		lastKey = o.Key
		if o.Key < keyMarker || (o.Key == keyMarker && (vidMarker == "" || skipping)) {
			if o.Key == keyMarker && o.VersionID == vidMarker {
				skipping = false
			}
			return true
		}
		own, stop := g.add(o.Key)
		if !own {
			return !stop
		}
		entries = append(entries, versionXML(o, latest, enc))
		nextVID = o.VersionID
		return true
	})
	if err != nil {
		return err
	}
	res := struct {
		XMLName             xml.Name `xml:"ListVersionsResult"`
		NS                  string   `xml:"xmlns,attr"`
		Name                string
		Prefix              string
		KeyMarker           string
		VersionIDMarker     string `xml:"VersionIdMarker"`
		NextKeyMarker       string `xml:",omitempty"`
		NextVersionIDMarker string `xml:"NextVersionIdMarker,omitempty"`
		MaxKeys             int
		Delimiter           string `xml:",omitempty"`
		EncodingType        string `xml:",omitempty"`
		IsTruncated         bool
		Entries             []versionEntry
		CommonPrefixes      []commonPrefix
	}{NS: s3NS, Name: c.route.Bucket, Prefix: enc(g.prefix), KeyMarker: enc(keyMarker), VersionIDMarker: vidMarker, MaxKeys: max,
		Delimiter: enc(g.delim), EncodingType: encType, IsTruncated: g.truncated, Entries: entries, CommonPrefixes: prefixesOf(g, enc)}
	if g.truncated {
		res.NextKeyMarker = enc(g.last)
		if len(entries) > 0 && entries[len(entries)-1].Key == enc(g.last) {
			res.NextVersionIDMarker = nextVID
		}
	}
	return c.writeXML(res)
}

func versionXML(o *store.Object, latest bool, enc func(string) string) versionEntry {
	e := versionEntry{Key: enc(o.Key), VersionID: o.VersionID, IsLatest: latest, LastModified: isoTime(o.LastModified), Owner: ownerOf(o.Owner).xml()}
	if o.DeleteMarker {
		e.XMLName.Local = "DeleteMarker"
		return e
	}
	e.XMLName.Local = "Version"
	e.ETag, e.StorageClass = o.ETag, storageClass(o)
	size := o.Size
	e.Size = &size
	return e
}

func deleteObjects(c *call) error {
	b, err := c.h.cfg.Store.GetBucket(c.route.Bucket)
	if err != nil {
		return err
	}
	var req struct {
		Quiet   bool
		Objects []struct {
			Key              string
			VersionID        string  `xml:"VersionId"`
			ETag             string  `xml:"ETag"`
			LastModifiedTime *string `xml:"LastModifiedTime"`
			Size             *string `xml:"Size"`
		} `xml:"Object"`
	}
	if err := c.readIntegrityXML(&req); err != nil {
		return err
	}
	if len(req.Objects) == 0 || len(req.Objects) > 1000 {
		return s3err.New(http.StatusBadRequest, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema: Delete takes 1 to 1000 objects")
	}
	type deleted struct {
		Key                   string
		VersionID             string `xml:"VersionId,omitempty"`
		DeleteMarker          bool   `xml:",omitempty"`
		DeleteMarkerVersionID string `xml:"DeleteMarkerVersionId,omitempty"`
	}
	type failed struct {
		Key       string
		VersionID string `xml:"VersionId,omitempty"`
		Code      string
		Message   string
	}
	res := struct {
		XMLName xml.Name `xml:"DeleteResult"`
		NS      string   `xml:"xmlns,attr"`
		Deleted []deleted
		Errors  []failed `xml:"Error"`
	}{NS: s3NS}
	for _, o := range req.Objects {
		if err := c.allowed(b, o.Key, o.VersionID, "s3:DeleteObject"); err != nil {
			e := s3err.From(err)
			res.Errors = append(res.Errors, failed{Key: o.Key, VersionID: o.VersionID, Code: e.Code, Message: e.Message})
			continue
		}
		cond, err := deleteCondition(strings.TrimSpace(o.ETag), o.LastModifiedTime != nil, o.Size != nil)
		var r store.DeleteResult
		if err == nil {
			r, err = c.deleteWith(o.Key, o.VersionID, cond, c.deletePrecondition(b))
		}
		if err != nil {
			e := s3err.From(err)
			res.Errors = append(res.Errors, failed{Key: o.Key, VersionID: o.VersionID, Code: e.Code, Message: e.Message})
			continue
		}
		if req.Quiet {
			continue
		}
		d := deleted{Key: o.Key, VersionID: o.VersionID, DeleteMarker: r.DeleteMarker}
		if r.DeleteMarker && o.VersionID == "" {
			d.DeleteMarkerVersionID = r.VersionID
		}
		res.Deleted = append(res.Deleted, d)
	}
	return c.writeXML(res)
}
