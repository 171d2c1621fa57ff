package objectlambda

import (
	"encoding/json"
	"encoding/xml"

	"github.com/olkit/olkit/s3err"
)

// listBucketResult is a List answer given as JSON (listBucketResult), with
// S3's XML names. Pointers tell a field left out from a zero: required
// fields must be there, optional ones left out are left out of the XML
// too (an empty <LastModified/> is not a time any client parses). JSON
// keys match whatever their case ("isTruncated", "IsTruncated").
type listBucketResult struct {
	XMLName               xml.Name     `xml:"ListBucketResult" json:"-"`
	Xmlns                 string       `xml:"xmlns,attr" json:"-"`
	Name                  *string      `xml:"Name" json:"name"`
	Prefix                *string      `xml:"Prefix" json:"prefix"`
	Marker                *string      `xml:"Marker" json:"marker"`
	NextMarker            *string      `xml:"NextMarker" json:"nextMarker"`
	ContinuationToken     *string      `xml:"ContinuationToken" json:"continuationToken"`
	NextContinuationToken *string      `xml:"NextContinuationToken" json:"nextContinuationToken"`
	StartAfter            *string      `xml:"StartAfter" json:"startAfter"`
	KeyCount              *int         `xml:"KeyCount" json:"keyCount"`
	MaxKeys               *int         `xml:"MaxKeys" json:"maxKeys"`
	Delimiter             *string      `xml:"Delimiter" json:"delimiter"`
	EncodingType          *string      `xml:"EncodingType" json:"encodingType"`
	IsTruncated           *bool        `xml:"IsTruncated" json:"isTruncated"`
	Contents              []listObject `xml:"Contents" json:"contents"`
	CommonPrefixes        []listCommon `xml:"CommonPrefixes" json:"commonPrefixes"`
}

type listCommon struct {
	Prefix *string `xml:"Prefix" json:"prefix"`
}

type listObject struct {
	Key               *string    `xml:"Key" json:"key"`
	LastModified      *string    `xml:"LastModified" json:"lastModified"`
	ETag              *string    `xml:"ETag" json:"eTag"`
	ChecksumAlgorithm []string   `xml:"ChecksumAlgorithm" json:"checksumAlgorithm"`
	Size              *int64     `xml:"Size" json:"size"`
	StorageClass      *string    `xml:"StorageClass" json:"storageClass"`
	Owner             *listOwner `xml:"Owner" json:"owner"`
}

type listOwner struct {
	ID          *string `xml:"ID" json:"id"`
	DisplayName *string `xml:"DisplayName" json:"displayName"`
}

// check names the first required field l lacks.
func (l *listBucketResult) check(v2 bool) *s3err.Error {
	switch {
	case l.Name == nil:
		return invalidAnswer("listBucketResult.name is required")
	case l.MaxKeys == nil:
		return invalidAnswer("listBucketResult.maxKeys is required")
	case l.IsTruncated == nil:
		return invalidAnswer("listBucketResult.isTruncated is required")
	case v2 && l.KeyCount == nil:
		return invalidAnswer("listBucketResult.keyCount is required for ListObjectsV2")
	}
	for i, c := range l.Contents {
		switch {
		case c.Key == nil:
			return invalidAnswer("listBucketResult.contents[%d].key is required", i)
		case c.Size == nil:
			return invalidAnswer("listBucketResult.contents[%d].size is required", i)
		case c.Owner != nil && c.Owner.DisplayName == nil:
			return invalidAnswer("listBucketResult.contents[%d].owner.displayName is required", i)
		case c.Owner != nil && c.Owner.ID == nil:
			return invalidAnswer("listBucketResult.contents[%d].owner.id is required", i)
		}
	}
	for i, p := range l.CommonPrefixes {
		if p.Prefix == nil {
			return invalidAnswer("listBucketResult.commonPrefixes[%d].prefix is required", i)
		}
	}
	return nil
}

// renderListing turns a listBucketResult answer into S3's XML.
func renderListing(raw json.RawMessage, v2 bool) (string, *s3err.Error) {
	var l listBucketResult
	if err := json.Unmarshal(raw, &l); err != nil {
		return "", invalidAnswer("listBucketResult does not read as a listing: %v", err)
	}
	if e := l.check(v2); e != nil {
		return "", e
	}
	if !v2 {
		l.KeyCount = nil // a V1 listing has no KeyCount
	}
	l.Xmlns = "http://s3.amazonaws.com/doc/2006-03-01/"
	out, err := xml.Marshal(l)
	if err != nil {
		return "", invalidAnswer("listBucketResult cannot be rendered as XML: %v", err)
	}
	return xml.Header + string(out), nil
}
