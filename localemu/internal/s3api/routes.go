package s3api

import (
	"net/http"
	"strings"
)

// unsupported are subresources localemu knows S3 has but does not serve;
// a request naming one answers 501 rather than falling through to a
// plain GET or PUT that would succeed wrongly.
var unsupported = []string{
	"accelerate", "analytics", "encryption", "intelligent-tiering", "inventory",
	"lifecycle", "logging", "metrics", "notification",
	"policyStatus", "publicAccessBlock", "replication", "requestPayment", "website",
	"restore", "select", "torrent", "session", "renameObject", "metadataTable",
	"abac", "metadataConfiguration",
}

// operation names the S3 operation a request asks for.
func operation(r *http.Request, rt Route) string {
	q := r.URL.Query()
	has := func(k string) bool { _, ok := q[k]; return ok }
	for _, k := range unsupported {
		if has(k) {
			return "Unsupported(" + k + ")"
		}
	}
	m := r.Method
	if m == http.MethodOptions && rt.Bucket != "" {
		return "CORSPreflight"
	}
	if m == http.MethodPost && rt.Bucket != "" && rt.Key == "" && !has("delete") &&
		strings.HasPrefix(strings.ToLower(r.Header.Get("Content-Type")), "multipart/form-data") {
		return "PostObject"
	}
	switch {
	case rt.Bucket == "":
		if m == http.MethodGet {
			return "ListBuckets"
		}
	case rt.Key == "":
		return bucketOperation(m, has, q.Get("list-type"))
	default:
		return objectOperation(r, m, has)
	}
	return "Unsupported(" + m + ")"
}

func bucketOperation(m string, has func(string) bool, listType string) string {
	sub := func(names map[string]string, fallback string) string {
		for k, op := range names {
			if has(k) {
				return op
			}
		}
		return fallback
	}
	switch m {
	case http.MethodGet:
		if listType == "2" {
			return "ListObjectsV2"
		}
		return sub(map[string]string{
			"location": "GetBucketLocation", "versioning": "GetBucketVersioning", "versions": "ListObjectVersions",
			"uploads": "ListMultipartUploads", "object-lock": "GetObjectLockConfiguration", "acl": "GetBucketAcl",
			"tagging": "GetBucketTagging", "policy": "GetBucketPolicy", "cors": "GetBucketCors",
			"ownershipControls": "GetBucketOwnershipControls",
		}, "ListObjects")
	case http.MethodPut:
		return sub(map[string]string{
			"versioning": "PutBucketVersioning", "object-lock": "PutObjectLockConfiguration",
			"acl": "PutBucketAcl", "tagging": "PutBucketTagging", "policy": "PutBucketPolicy", "cors": "PutBucketCors",
			"ownershipControls": "PutBucketOwnershipControls",
		}, "CreateBucket")
	case http.MethodHead:
		return "HeadBucket"
	case http.MethodDelete:
		return sub(map[string]string{"tagging": "DeleteBucketTagging", "policy": "DeleteBucketPolicy", "cors": "DeleteBucketCors"}, "DeleteBucket")
	case http.MethodPost:
		if has("delete") {
			return "DeleteObjects"
		}
	}
	return "Unsupported(" + m + " bucket)"
}

func objectOperation(r *http.Request, m string, has func(string) bool) string {
	for _, s := range []struct{ q, get, put, del string }{
		{"tagging", "GetObjectTagging", "PutObjectTagging", "DeleteObjectTagging"},
		{"acl", "GetObjectAcl", "PutObjectAcl", ""},
		{"retention", "GetObjectRetention", "PutObjectRetention", ""},
		{"legal-hold", "GetObjectLegalHold", "PutObjectLegalHold", ""},
		{"attributes", "GetObjectAttributes", "", ""},
	} {
		if has(s.q) {
			if op := map[string]string{http.MethodGet: s.get, http.MethodPut: s.put, http.MethodDelete: s.del}[m]; op != "" {
				return op
			}
			return "Unsupported(" + m + " ?" + s.q + ")"
		}
	}
	switch m {
	case http.MethodGet:
		if has("uploadId") {
			return "ListParts"
		}
		return "GetObject"
	case http.MethodHead:
		return "HeadObject"
	case http.MethodPut:
		copySrc := r.Header.Get("X-Amz-Copy-Source") != ""
		switch {
		case has("uploadId") && copySrc:
			return "UploadPartCopy"
		case has("uploadId"):
			return "UploadPart"
		case copySrc:
			return "CopyObject"
		}
		return "PutObject"
	case http.MethodDelete:
		if has("uploadId") {
			return "AbortMultipartUpload"
		}
		return "DeleteObject"
	case http.MethodPost:
		if has("uploads") {
			return "CreateMultipartUpload"
		}
		if has("uploadId") {
			return "CompleteMultipartUpload"
		}
	}
	return "Unsupported(" + m + " object)"
}

// operations is the dispatch table.
func (h *Handler) operations() map[string]opFunc {
	return map[string]opFunc{
		"ListBuckets":                listBuckets,
		"CreateBucket":               createBucket,
		"DeleteBucket":               deleteBucket,
		"HeadBucket":                 headBucket,
		"GetBucketLocation":          getBucketLocation,
		"GetBucketVersioning":        getBucketVersioning,
		"PutBucketVersioning":        putBucketVersioning,
		"ListObjects":                listObjectsV1,
		"ListObjectsV2":              listObjectsV2,
		"ListObjectVersions":         listObjectVersions,
		"DeleteObjects":              deleteObjects,
		"PutObject":                  putObject,
		"GetObject":                  getObject,
		"HeadObject":                 getObject,
		"DeleteObject":               deleteObject,
		"CopyObject":                 copyObject,
		"GetObjectTagging":           getObjectTagging,
		"PutObjectTagging":           putObjectTagging,
		"DeleteObjectTagging":        deleteObjectTagging,
		"GetObjectAcl":               getObjectACL,
		"PutObjectAcl":               putObjectACL,
		"GetObjectAttributes":        getObjectAttributes,
		"GetBucketCors":              getBucketCors,
		"PutBucketCors":              putBucketCors,
		"DeleteBucketCors":           deleteBucketCors,
		"CORSPreflight":              corsPreflight,
		"PostObject":                 postObject,
		"GetBucketTagging":           getBucketTagging,
		"PutBucketTagging":           putBucketTagging,
		"DeleteBucketTagging":        deleteBucketTagging,
		"GetBucketOwnershipControls": getBucketOwnershipControls,
		"PutBucketOwnershipControls": putBucketOwnershipControls,
		"GetBucketAcl":               getBucketACL,
		"PutBucketAcl":               putBucketACL,
		"GetBucketPolicy":            getBucketPolicy,
		"PutBucketPolicy":            putBucketPolicy,
		"DeleteBucketPolicy":         deleteBucketPolicy,
		"CreateMultipartUpload":      createMultipartUpload,
		"UploadPart":                 uploadPart,
		"UploadPartCopy":             uploadPart,
		"CompleteMultipartUpload":    completeMultipartUpload,
		"AbortMultipartUpload":       abortMultipartUpload,
		"ListParts":                  listParts,
		"ListMultipartUploads":       listMultipartUploads,
		"GetObjectLockConfiguration": getObjectLockConfiguration,
		"PutObjectLockConfiguration": putObjectLockConfiguration,
		"GetObjectRetention":         getObjectRetention,
		"PutObjectRetention":         putObjectRetention,
		"GetObjectLegalHold":         getObjectLegalHold,
		"PutObjectLegalHold":         putObjectLegalHold,
	}
}
