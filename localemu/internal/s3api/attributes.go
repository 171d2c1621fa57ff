package s3api

import (
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"

	"github.com/olkit/olkit/localemu/internal/store"
	"github.com/olkit/olkit/s3err"
)

// GetObjectAttributes: GET ?attributes with x-amz-object-attributes
// naming any of ETag, Checksum, ObjectParts, StorageClass, ObjectSize.

var objectAttributes = map[string]bool{"ETag": true, "Checksum": true, "ObjectParts": true, "StorageClass": true, "ObjectSize": true}

type attrChecksum struct {
	copyResultChecksums
	ChecksumType string `xml:",omitempty"`
}

type attrPart struct {
	copyResultChecksums
	PartNumber int
	Size       int64
}

type attrParts struct {
	TotalPartsCount      int `xml:"PartsCount"`
	PartNumberMarker     int
	NextPartNumberMarker int `xml:",omitempty"`
	MaxParts             int
	IsTruncated          bool
	Parts                []attrPart `xml:"Part"`
}

func getObjectAttributes(c *call) error {
	want := map[string]bool{}
	for _, v := range c.r.Header.Values("X-Amz-Object-Attributes") {
		for _, a := range strings.Split(v, ",") {
			if a = strings.TrimSpace(a); a != "" {
				if !objectAttributes[a] {
					return s3err.New(http.StatusBadRequest, "InvalidArgument", "Invalid attribute name specified: %s", a)
				}
				want[a] = true
			}
		}
	}
	if len(want) == 0 {
		return s3err.New(http.StatusBadRequest, "InvalidArgument", "The x-amz-object-attributes header specifying the attributes to be retrieved is either missing or empty")
	}
	o, err := c.readTarget()
	if err != nil {
		return err
	}
	if status := conditional(c.r.Header, o, "If-"); status == http.StatusNotModified {
		c.w.Header().Set("ETag", o.ETag)
		c.w.WriteHeader(http.StatusNotModified)
		return nil
	} else if status != 0 {
		return preconditionFailed("conditional GetObjectAttributes")
	}
	res := struct {
		XMLName      xml.Name `xml:"GetObjectAttributesResponse"`
		NS           string   `xml:"xmlns,attr"`
		ETag         string   `xml:",omitempty"`
		Checksum     *attrChecksum
		ObjectParts  *attrParts
		StorageClass string `xml:",omitempty"`
		ObjectSize   *int64
	}{NS: s3NS}
	if want["ETag"] {
		res.ETag = strings.Trim(o.ETag, `"`) // S3 answers this one unquoted
	}
	if want["Checksum"] && len(o.Checksums) > 0 {
		res.Checksum = &attrChecksum{ChecksumType: o.ChecksumType}
		bare := map[string]string{}
		for alg, v := range o.Checksums {
			bare[alg], _, _ = strings.Cut(v, "-") // GetObjectAttributes omits a composite's "-N"
		}
		res.Checksum.setChecksums(bare)
	}
	if want["ObjectParts"] && len(o.PartSizes) > 0 {
		parts, err := c.objectParts(o)
		if err != nil {
			return err
		}
		res.ObjectParts = parts
	}
	if want["StorageClass"] {
		res.StorageClass = storageClass(o)
	}
	if want["ObjectSize"] {
		res.ObjectSize = &o.Size
	}
	h := c.w.Header()
	h.Set("Last-Modified", o.LastModified.Format(http.TimeFormat))
	setVersionHeader(h, o)
	return c.writeXML(res)
}

// objectParts pages through a multipart object's parts.
func (c *call) objectParts(o *store.Object) (*attrParts, error) {
	maxParts, marker := 1000, 0
	if v := c.r.Header.Get("X-Amz-Max-Parts"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, s3err.New(http.StatusBadRequest, "InvalidArgument", "x-amz-max-parts must be a non-negative integer")
		}
		maxParts = min(n, 1000)
	}
	if v := c.r.Header.Get("X-Amz-Part-Number-Marker"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, s3err.New(http.StatusBadRequest, "InvalidArgument", "x-amz-part-number-marker must be a non-negative integer")
		}
		marker = n
	}
	p := &attrParts{TotalPartsCount: len(o.PartSizes), PartNumberMarker: marker, MaxParts: maxParts}
	alg := firstAlgorithm(o.Checksums, "")
	for i := marker; i < len(o.PartSizes); i++ {
		if len(p.Parts) == maxParts {
			p.IsTruncated = true
			break
		}
		part := attrPart{PartNumber: i + 1, Size: o.PartSizes[i]}
		if i < len(o.PartChecksums) {
			part.setChecksums(map[string]string{alg: o.PartChecksums[i]})
		}
		p.Parts = append(p.Parts, part)
		p.NextPartNumberMarker = i + 1
	}
	return p, nil
}
