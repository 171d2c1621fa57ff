package lambda

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"

	"github.com/olkit/olkit/s3err"
	"github.com/olkit/olkit/serve"
	"github.com/olkit/olkit/transforms"
)

// maxListing bounds a listing read into memory: S3 returns at most 1,000
// keys of at most 1 KiB each, plus their metadata.
const maxListing = 8 << 20

// listObjects answers ListObjects and ListObjectsV2 through the access
// point: fetch S3's listing with the presigned URL and answer it as
// listResultXml, S3's own XML, so nothing of it is lost. Stages that edit
// listings (transforms.ListTransform) see and change its entries first.
func (h *Handler) listObjects(ctx context.Context, inputURL string, headers map[string]string, payload string) (*Result, error) {
	chain, _, e := h.chainFor(payload)
	if e != nil {
		return errorResult(e), nil
	}
	header := http.Header{}
	for k, v := range headers {
		header.Add(k, v)
	}
	origin := &serve.URLOrigin{Client: h.HTTPClient, URL: inputURL, Header: header}
	resp, err := origin.Fetch(ctx, serve.Fetch{})
	if err != nil {
		return errorResult(s3err.From(err)), nil
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxListing+1))
	if err != nil {
		return errorResult(s3err.Wrap(err, http.StatusInternalServerError, "InternalError", "olkit could not read the listing: %v", err)), nil
	}
	if len(body) > maxListing {
		return errorResult(s3err.New(http.StatusInternalServerError, "InternalError", "olkit: the listing is larger than %d bytes", maxListing)), nil
	}
	if chain.Lists() {
		if body, e = editListing(ctx, chain, body); e != nil {
			return errorResult(e), nil
		}
	}
	return &Result{StatusCode: http.StatusOK, ListResultXML: string(body)}, nil
}

// listing is ListBucketResult, for both versions of the call.
type listing struct {
	XMLName               xml.Name       `xml:"ListBucketResult"`
	Xmlns                 string         `xml:"xmlns,attr,omitempty"`
	Name                  string         `xml:"Name"`
	Prefix                string         `xml:"Prefix"`
	Marker                *string        `xml:"Marker"`
	NextMarker            string         `xml:"NextMarker,omitempty"`
	ContinuationToken     string         `xml:"ContinuationToken,omitempty"`
	NextContinuationToken string         `xml:"NextContinuationToken,omitempty"`
	StartAfter            string         `xml:"StartAfter,omitempty"`
	KeyCount              *int           `xml:"KeyCount"`
	MaxKeys               int            `xml:"MaxKeys"`
	Delimiter             string         `xml:"Delimiter,omitempty"`
	EncodingType          string         `xml:"EncodingType,omitempty"`
	IsTruncated           bool           `xml:"IsTruncated"`
	Contents              []listObject   `xml:"Contents"`
	CommonPrefixes        []commonPrefix `xml:"CommonPrefixes"`
}

type listObject struct {
	Key               string   `xml:"Key"`
	LastModified      string   `xml:"LastModified"`
	ETag              string   `xml:"ETag"`
	ChecksumAlgorithm []string `xml:"ChecksumAlgorithm,omitempty"`
	Size              int64    `xml:"Size"`
	Owner             *owner   `xml:"Owner,omitempty"`
	StorageClass      string   `xml:"StorageClass,omitempty"`
}

type owner struct {
	ID          string `xml:"ID"`
	DisplayName string `xml:"DisplayName,omitempty"`
}

type commonPrefix struct {
	Prefix string `xml:"Prefix"`
}

// editListing lets the chain's listing hooks edit the entries of body.
func editListing(ctx context.Context, chain *transforms.Chain, body []byte) ([]byte, *s3err.Error) {
	var l listing
	if err := xml.Unmarshal(body, &l); err != nil {
		return nil, s3err.Wrap(err, http.StatusInternalServerError, "InternalError", "olkit could not read S3's listing: %v", err)
	}
	entries := make([]transforms.ListEntry, len(l.Contents))
	byKey := map[string]listObject{}
	for i, c := range l.Contents {
		entries[i] = transforms.ListEntry{Key: c.Key, Size: c.Size, ETag: c.ETag, LastModified: c.LastModified, StorageClass: c.StorageClass}
		byKey[c.Key] = c
	}
	entries, err := chain.List(ctx, entries)
	if err != nil {
		return nil, s3err.From(err)
	}
	l.Contents = l.Contents[:0]
	for _, en := range entries {
		c := byKey[en.Key] // keeps owner and checksum algorithm of a known key
		c.Key, c.Size, c.ETag, c.LastModified, c.StorageClass = en.Key, en.Size, en.ETag, en.LastModified, en.StorageClass
		l.Contents = append(l.Contents, c)
	}
	if l.KeyCount != nil {
		n := len(l.Contents) + len(l.CommonPrefixes)
		l.KeyCount = &n
	}
	out, err := xml.Marshal(l)
	if err != nil {
		return nil, s3err.From(fmt.Errorf("writing the edited listing: %w", err))
	}
	return append([]byte(xml.Header), out...), nil
}
