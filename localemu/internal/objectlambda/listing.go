package objectlambda

import (
	"encoding/json"
	"encoding/xml"
)

// listBucketResult is a List answer given as JSON (listBucketResult), with
// S3's XML names; JSON keys match whatever their case ("isTruncated",
// "IsTruncated"), as functions write them either way.
type listBucketResult struct {
	XMLName               xml.Name     `xml:"ListBucketResult" json:"-"`
	Xmlns                 string       `xml:"xmlns,attr" json:"-"`
	Name                  string       `xml:"Name" json:"name"`
	Prefix                string       `xml:"Prefix" json:"prefix"`
	Marker                string       `xml:"Marker,omitempty" json:"marker"`
	NextMarker            string       `xml:"NextMarker,omitempty" json:"nextMarker"`
	ContinuationToken     string       `xml:"ContinuationToken,omitempty" json:"continuationToken"`
	NextContinuationToken string       `xml:"NextContinuationToken,omitempty" json:"nextContinuationToken"`
	StartAfter            string       `xml:"StartAfter,omitempty" json:"startAfter"`
	KeyCount              *int         `xml:"KeyCount" json:"keyCount"`
	MaxKeys               int          `xml:"MaxKeys" json:"maxKeys"`
	Delimiter             string       `xml:"Delimiter,omitempty" json:"delimiter"`
	EncodingType          string       `xml:"EncodingType,omitempty" json:"encodingType"`
	IsTruncated           bool         `xml:"IsTruncated" json:"isTruncated"`
	Contents              []listObject `xml:"Contents" json:"contents"`
	CommonPrefixes        []struct {
		Prefix string `xml:"Prefix" json:"prefix"`
	} `xml:"CommonPrefixes" json:"commonPrefixes"`
}

type listObject struct {
	Key               string   `xml:"Key" json:"key"`
	LastModified      string   `xml:"LastModified" json:"lastModified"`
	ETag              string   `xml:"ETag" json:"eTag"`
	ChecksumAlgorithm []string `xml:"ChecksumAlgorithm,omitempty" json:"checksumAlgorithm"`
	Size              int64    `xml:"Size" json:"size"`
	StorageClass      string   `xml:"StorageClass,omitempty" json:"storageClass"`
	Owner             *struct {
		ID          string `xml:"ID" json:"id"`
		DisplayName string `xml:"DisplayName,omitempty" json:"displayName"`
	} `xml:"Owner,omitempty" json:"owner"`
}

// renderListing turns a listBucketResult answer into S3's XML.
func renderListing(raw json.RawMessage) (string, error) {
	var l listBucketResult
	if err := json.Unmarshal(raw, &l); err != nil {
		return "", err
	}
	l.Xmlns = "http://s3.amazonaws.com/doc/2006-03-01/"
	out, err := xml.Marshal(l)
	if err != nil {
		return "", err
	}
	return xml.Header + string(out), nil
}
