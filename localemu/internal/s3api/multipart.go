package s3api

import (
	"cmp"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/olkit/olkit/checksum"
	"github.com/olkit/olkit/localemu/internal/store"
	"github.com/olkit/olkit/s3err"
	"github.com/olkit/olkit/s3range"
)

// minPartSize is S3's minimum for every part but the last.
const minPartSize = 5 << 20

type copyResult struct {
	ETag         string
	LastModified string
	copyResultChecksums
}

func (r *copyResultChecksums) setChecksums(sums map[string]string) {
	for alg, v := range sums {
		switch alg {
		case "CRC32":
			r.ChecksumCRC32 = v
		case "CRC32C":
			r.ChecksumCRC32C = v
		case "CRC64NVME":
			r.ChecksumCRC64NVME = v
		case "MD5":
			r.ChecksumMD5 = v
		case "SHA1":
			r.ChecksumSHA1 = v
		case "SHA256":
			r.ChecksumSHA256 = v
		case "SHA512":
			r.ChecksumSHA512 = v
		}
	}
}

func createMultipartUpload(c *call) error {
	b, err := c.h.cfg.Store.GetBucket(c.route.Bucket)
	if err != nil {
		return err
	}
	o, err := c.newObject()
	if err != nil {
		return err
	}
	c.applyDefaultRetention(b, &o)
	alg := strings.ToUpper(c.r.Header.Get("X-Amz-Checksum-Algorithm"))
	if alg != "" {
		if err := knownAlgorithm(alg); err != nil {
			return err
		}
	}
	typ, err := checksumType(alg, c.r.Header.Get("X-Amz-Checksum-Type"))
	if err != nil {
		return err
	}
	u, err := c.h.cfg.Store.CreateUpload(store.Upload{Bucket: c.route.Bucket, Key: c.route.Key, Owner: c.auth.AccessKey, Object: o,
		ChecksumAlgorithm: alg, ChecksumType: typ})
	if err != nil {
		return err
	}
	if alg != "" {
		c.w.Header().Set("X-Amz-Checksum-Algorithm", alg)
		c.w.Header().Set("X-Amz-Checksum-Type", typ)
	}
	return c.writeXML(struct {
		XMLName  xml.Name `xml:"InitiateMultipartUploadResult"`
		NS       string   `xml:"xmlns,attr"`
		Bucket   string
		Key      string
		UploadID string `xml:"UploadId"`
	}{NS: s3NS, Bucket: u.Bucket, Key: u.Key, UploadID: u.ID})
}

func partNumber(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 10000 {
		return 0, s3err.New(http.StatusBadRequest, "InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive")
	}
	return n, nil
}

// uploadPart serves UploadPart and UploadPartCopy.
func uploadPart(c *call) error {
	n, err := partNumber(c.q.Get("partNumber"))
	if err != nil {
		return err
	}
	id := c.q.Get("uploadId")
	u, _, err := c.h.cfg.Store.GetUpload(c.route.Bucket, c.route.Key, id)
	if err != nil {
		return err
	}
	if c.r.Header.Get("X-Amz-Copy-Source") != "" {
		return c.uploadPartCopy(u, n)
	}
	if c.r.ContentLength > maxPutSize || c.auth.DecodedLength > maxPutSize {
		return s3err.New(http.StatusBadRequest, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size")
	}
	st, etag, sums, err := c.receiveBody(u.ChecksumAlgorithm)
	if err != nil {
		return err
	}
	defer st.Abort()
	p, err := c.h.cfg.Store.PutPart(c.route.Bucket, c.route.Key, store.Part{UploadID: id, Number: n, ETag: `"` + etag + `"`, Checksums: sums}, st)
	if err != nil {
		return err
	}
	c.w.Header().Set("ETag", p.ETag)
	setChecksumHeaders(c.w.Header(), p.Checksums, "")
	c.w.WriteHeader(http.StatusOK)
	return nil
}

func (c *call) uploadPartCopy(u *store.Upload, n int) error {
	src, err := c.openSource()
	if err != nil {
		return err
	}
	start, length := int64(0), src.Size
	if rng := c.r.Header.Get("X-Amz-Copy-Source-Range"); rng != "" {
		s, e, ok := s3range.Apply(rng, src.Size)
		if !ok || s < 0 || !strings.Contains(rng, "-") || strings.HasPrefix(strings.TrimPrefix(rng, "bytes="), "-") {
			return s3err.New(http.StatusBadRequest, "InvalidArgument", "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy")
		}
		if last, _ := strconv.ParseInt(rng[strings.LastIndex(rng, "-")+1:], 10, 64); last >= src.Size {
			return s3range.ErrUnsatisfiable()
		}
		start, length = s, e-s+1
	}
	st, etag, sums, err := c.stageCopy(src, start, length, u.ChecksumAlgorithm)
	if err != nil {
		return err
	}
	p, err := c.h.cfg.Store.PutPart(c.route.Bucket, c.route.Key, store.Part{UploadID: u.ID, Number: n, ETag: etag, Checksums: sums}, st)
	if err != nil {
		return err
	}
	if src.VersionID != store.NullVersion {
		c.w.Header().Set("X-Amz-Copy-Source-Version-Id", src.VersionID)
	}
	res := copyResult{ETag: p.ETag, LastModified: isoTime(p.LastModified)}
	res.setChecksums(p.Checksums)
	return c.writeXML(struct {
		XMLName xml.Name `xml:"CopyPartResult"`
		copyResult
	}{copyResult: res})
}

func completeMultipartUpload(c *call) error {
	b, err := c.h.cfg.Store.GetBucket(c.route.Bucket)
	if err != nil {
		return err
	}
	id := c.q.Get("uploadId")
	u, parts, uerr := c.h.cfg.Store.GetUpload(c.route.Bucket, c.route.Key, id)
	if uerr != nil && s3err.From(uerr).Code != "NoSuchUpload" {
		return uerr
	}
	var req completeRequest
	if err := c.readXML(&req); err != nil || len(req.Parts) == 0 {
		if uerr != nil {
			return uerr
		}
		if err != nil {
			return err
		}
		return s3err.New(http.StatusBadRequest, "MalformedXML", "You must specify at least one part")
	}
	if uerr != nil {
		if done, ok := c.alreadyCompleted(req); ok {
			return c.completeResult(done) // a retried Complete gets the same answer
		}
		return uerr
	}
	have := map[int]store.Part{}
	for _, p := range parts {
		have[p.Number] = p
	}
	md5s := md5.New()
	var numbers []int
	var chosen []store.Part
	for i, rp := range req.Parts {
		if i > 0 && rp.PartNumber <= req.Parts[i-1].PartNumber {
			return s3err.New(http.StatusBadRequest, "InvalidPartOrder", "The list of parts was not in ascending order. The parts list must be specified in order by part number.")
		}
	}
	for i, rp := range req.Parts {
		p, ok := have[rp.PartNumber]
		if !ok || strings.Trim(rp.ETag, `" `) != strings.Trim(p.ETag, `"`) {
			return s3err.New(http.StatusBadRequest, "InvalidPart", "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.")
		}
		if i < len(req.Parts)-1 && p.Size < minPartSize {
			return s3err.New(http.StatusBadRequest, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.")
		}
		raw, _ := hex.DecodeString(strings.Trim(p.ETag, `"`))
		md5s.Write(raw)
		numbers = append(numbers, p.Number)
		chosen = append(chosen, p)
	}
	o := u.Object
	o.ETag = fmt.Sprintf(`"%s-%d"`, hex.EncodeToString(md5s.Sum(nil)), len(numbers))
	switch u.ChecksumType {
	case "COMPOSITE":
		if sum, ok := compositeChecksum(u.ChecksumAlgorithm, chosen); ok {
			o.Checksums, o.ChecksumType = map[string]string{u.ChecksumAlgorithm: sum}, "COMPOSITE"
		}
	default: // FULL_OBJECT, and S3's CRC64NVME when the upload named none
		alg := cmp.Or(u.ChecksumAlgorithm, defaultAlgorithm)
		sum, err := c.fullObjectChecksum(alg, chosen)
		if err != nil {
			return err
		}
		o.Checksums, o.ChecksumType = map[string]string{alg: sum}, "FULL_OBJECT"
	}
	o.PartChecksums = partChecksums(firstAlgorithm(o.Checksums, ""), chosen)
	stored, err := c.h.cfg.Store.CompleteUpload(c.route.Bucket, c.route.Key, id, numbers, o, c.writePrecondition(b))
	if err != nil {
		return err
	}
	return c.completeResult(stored)
}

type completeRequest struct {
	Parts []struct {
		PartNumber int
		ETag       string
	} `xml:"Part"`
}

// alreadyCompleted finds the object a Complete with this parts list made,
// if it is still the current version: the multipart ETag is a function of
// the parts' ETags, so a retry names it exactly.
func (c *call) alreadyCompleted(req completeRequest) (*store.Object, bool) {
	md5s := md5.New()
	for _, p := range req.Parts {
		raw, err := hex.DecodeString(strings.Trim(p.ETag, `" `))
		if err != nil || len(raw) != md5.Size {
			return nil, false
		}
		md5s.Write(raw)
	}
	etag := fmt.Sprintf(`"%s-%d"`, hex.EncodeToString(md5s.Sum(nil)), len(req.Parts))
	o, err := c.h.cfg.Store.Get(c.route.Bucket, c.route.Key, "")
	if err != nil || o.ETag != etag || len(o.PartSizes) != len(req.Parts) {
		return nil, false
	}
	return o, true
}

// partChecksums lists each part's alg checksum, or nil unless all have one.
func partChecksums(alg string, parts []store.Part) []string {
	var out []string
	for _, p := range parts {
		v := p.Checksums[alg]
		if alg == "" || v == "" {
			return nil
		}
		out = append(out, v)
	}
	return out
}

func (c *call) completeResult(stored *store.Object) error {
	setVersionHeader(c.w.Header(), stored)
	res := copyResult{ETag: stored.ETag}
	res.setChecksums(stored.Checksums)
	scheme := "http"
	if c.r.TLS != nil {
		scheme = "https"
	}
	return c.writeXML(struct {
		XMLName  xml.Name `xml:"CompleteMultipartUploadResult"`
		NS       string   `xml:"xmlns,attr"`
		Location string
		Bucket   string
		Key      string
		ETag     string
		copyResultChecksums
		ChecksumType string `xml:",omitempty"`
	}{NS: s3NS, Location: scheme + "://" + c.r.Host + "/" + c.route.Bucket + "/" + c.route.Key, Bucket: c.route.Bucket, Key: c.route.Key, ETag: stored.ETag,
		copyResultChecksums: res.copyResultChecksums, ChecksumType: checksumTypeOf(stored)})
}

// checksumType validates a multipart upload's checksum type: COMPOSITE
// (the default with an algorithm) works with every algorithm, FULL_OBJECT
// only with the CRCs, as in S3. An upload naming no algorithm gets S3's
// default, a FULL_OBJECT CRC64NVME.
func checksumType(alg, typ string) (string, error) {
	typ = strings.ToUpper(typ)
	switch {
	case typ == "" && alg == "":
		return "FULL_OBJECT", nil
	case typ == "":
		return "COMPOSITE", nil
	case typ != "COMPOSITE" && typ != "FULL_OBJECT":
		return "", s3err.InvalidRequest("Value for x-amz-checksum-type header is invalid.")
	case alg == "":
		return "", s3err.InvalidRequest("The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.")
	case typ == "FULL_OBJECT" && (alg == "SHA1" || alg == "SHA256" || alg == "MD5" || alg == "SHA512"):
		return "", s3err.InvalidRequest("The FULL_OBJECT checksum type cannot be used with the %s algorithm.", strings.ToLower(alg))
	case typ == "COMPOSITE" && alg == "CRC64NVME":
		return "", s3err.InvalidRequest("The COMPOSITE checksum type cannot be used with the crc64nvme algorithm.")
	}
	return typ, nil
}

// fullObjectChecksum is the CRC of the object Complete makes, read back
// from its parts, and checked against the one the client sent, if any.
func (c *call) fullObjectChecksum(alg string, parts []store.Part) (string, error) {
	h, _ := checksum.New(alg)
	if err := c.h.cfg.Store.ReadParts(h, parts); err != nil {
		return "", err
	}
	sum := checksum.Encode(h)
	if want := c.r.Header.Get(checksum.Header(alg)); want != "" && want != sum {
		return "", s3err.New(http.StatusBadRequest, "BadDigest", "The %s you specified did not match the calculated checksum.", strings.ToLower(alg))
	}
	return sum, nil
}

// compositeChecksum is S3's checksum of checksums: the algorithm over the
// parts' raw checksums, then "-N".
func compositeChecksum(alg string, parts []store.Part) (string, bool) {
	newHash, ok := algorithms[alg]
	if !ok {
		return "", false
	}
	h := newHash()
	for _, p := range parts {
		raw, err := base64.StdEncoding.DecodeString(p.Checksums[alg])
		if err != nil || len(raw) == 0 {
			return "", false
		}
		h.Write(raw)
	}
	return fmt.Sprintf("%s-%d", base64.StdEncoding.EncodeToString(h.Sum(nil)), len(parts)), true
}

func abortMultipartUpload(c *call) error {
	if err := c.h.cfg.Store.AbortUpload(c.route.Bucket, c.route.Key, c.q.Get("uploadId")); err != nil {
		return err
	}
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

type partXML struct {
	PartNumber   int
	LastModified string
	ETag         string
	Size         int64
	copyResultChecksums
}

type copyResultChecksums struct {
	ChecksumCRC32     string `xml:",omitempty"`
	ChecksumCRC32C    string `xml:",omitempty"`
	ChecksumCRC64NVME string `xml:",omitempty"`
	ChecksumMD5       string `xml:",omitempty"`
	ChecksumSHA1      string `xml:",omitempty"`
	ChecksumSHA256    string `xml:",omitempty"`
	ChecksumSHA512    string `xml:",omitempty"`
}

func listParts(c *call) error {
	u, parts, err := c.h.cfg.Store.GetUpload(c.route.Bucket, c.route.Key, c.q.Get("uploadId"))
	if err != nil {
		return err
	}
	max, err := maxKeys(c.q, "max-parts")
	if err != nil {
		return err
	}
	marker := 0
	if v := c.q.Get("part-number-marker"); v != "" {
		if marker, err = strconv.Atoi(v); err != nil || marker < 0 {
			return s3err.New(http.StatusBadRequest, "InvalidArgument", "Provided part-number-marker not an integer or within integer range")
		}
	}
	ow := ownerOf(u.Owner).xml()
	res := struct {
		XMLName              xml.Name `xml:"ListPartsResult"`
		NS                   string   `xml:"xmlns,attr"`
		Bucket               string
		Key                  string
		UploadID             string `xml:"UploadId"`
		Initiator            *xmlOwner
		Owner                *xmlOwner
		StorageClass         string
		PartNumberMarker     int
		NextPartNumberMarker int
		MaxParts             int
		IsTruncated          bool
		ChecksumAlgorithm    string    `xml:",omitempty"`
		Parts                []partXML `xml:"Part"`
	}{NS: s3NS, Bucket: u.Bucket, Key: u.Key, UploadID: u.ID, Initiator: ow, Owner: ow, StorageClass: storageClass(&u.Object),
		PartNumberMarker: marker, MaxParts: max, ChecksumAlgorithm: u.ChecksumAlgorithm}
	for _, p := range parts {
		if p.Number <= marker {
			continue
		}
		if len(res.Parts) == max {
			res.IsTruncated = true
			break
		}
		px := partXML{PartNumber: p.Number, LastModified: isoTime(p.LastModified), ETag: p.ETag, Size: p.Size}
		var cr copyResult
		cr.setChecksums(p.Checksums)
		px.copyResultChecksums = cr.copyResultChecksums
		res.Parts = append(res.Parts, px)
		res.NextPartNumberMarker = p.Number
	}
	return c.writeXML(res)
}

func listMultipartUploads(c *call) error {
	enc, encType, err := encoder(c.q)
	if err != nil {
		return err
	}
	max, err := maxKeys(c.q, "max-uploads")
	if err != nil {
		return err
	}
	uploads, err := c.h.cfg.Store.ListUploads(c.route.Bucket)
	if err != nil {
		return err
	}
	keyMarker, idMarker := c.q.Get("key-marker"), c.q.Get("upload-id-marker")
	g := &grouper{prefix: c.q.Get("prefix"), delim: c.q.Get("delimiter"), after: keyMarker, max: max}
	type uploadXML struct {
		Key          string
		UploadID     string `xml:"UploadId"`
		Initiator    *xmlOwner
		Owner        *xmlOwner
		StorageClass string
		Initiated    string
	}
	var out []uploadXML
	var nextID string
	skipping := idMarker != ""
	for _, u := range uploads {
		if !strings.HasPrefix(u.Key, g.prefix) || u.Key < keyMarker {
			continue
		}
		if u.Key == keyMarker {
			if skipping || idMarker == "" {
				skipping = skipping && u.ID != idMarker
				continue
			}
		}
		own, stop := g.add(u.Key)
		if stop {
			break
		}
		if own {
			ow := ownerOf(u.Owner).xml()
			out = append(out, uploadXML{Key: enc(u.Key), UploadID: u.ID, Initiator: ow, Owner: ow, StorageClass: storageClass(&u.Object), Initiated: isoTime(u.Initiated)})
			nextID = u.ID
		}
	}
	res := struct {
		XMLName            xml.Name `xml:"ListMultipartUploadsResult"`
		NS                 string   `xml:"xmlns,attr"`
		Bucket             string
		KeyMarker          string
		UploadIDMarker     string `xml:"UploadIdMarker"`
		NextKeyMarker      string `xml:",omitempty"`
		NextUploadIDMarker string `xml:"NextUploadIdMarker,omitempty"`
		Prefix             string
		Delimiter          string `xml:",omitempty"`
		MaxUploads         int
		EncodingType       string `xml:",omitempty"`
		IsTruncated        bool
		Uploads            []uploadXML `xml:"Upload"`
		CommonPrefixes     []commonPrefix
	}{NS: s3NS, Bucket: c.route.Bucket, KeyMarker: enc(keyMarker), UploadIDMarker: idMarker, Prefix: enc(g.prefix), Delimiter: enc(g.delim),
		MaxUploads: max, EncodingType: encType, IsTruncated: g.truncated, Uploads: out, CommonPrefixes: prefixesOf(g, enc)}
	if g.truncated {
		res.NextKeyMarker = enc(g.last)
		if len(out) > 0 && out[len(out)-1].Key == enc(g.last) {
			res.NextUploadIDMarker = nextID
		}
	}
	return c.writeXML(res)
}

// checksumTypeOf is the x-amz-checksum-type / ChecksumType of o's
// checksum, "" when it has none.
func checksumTypeOf(o *store.Object) string {
	if len(o.Checksums) == 0 {
		return ""
	}
	return o.ChecksumType
}
