// Package localemu is the local S3 emulator: the S3 storage API (buckets,
// objects, versions, tags, ACLs, object lock, multipart uploads) served over
// HTTP from a folder on disk or from memory, authenticated like S3 (SigV4,
// presigned URLs, SigV2 presigned URLs, aws-chunked bodies), for the
// unmodified clients users already have: aws-sdk-go-v2, boto3 and the aws
// CLI.
//
// The parts, each its own package; only emutest is for users to import, the
// rest live under localemu/internal:
//
//	internal/s3auth       request authentication and body decoding
//	internal/store        buckets, versions and uploads over a disk or memory backend
//	internal/s3api        the HTTP API: resolve a request, authenticate, dispatch
//	internal/objectlambda Object Lambda access points, events and the WGOR endpoint
//	internal/function     running functions: in process, bootstrap, Invoke URL
//	emutest               a test helper in the style of httptest.NewServer
//
// New assembles them; cmd/localemu serves the result.
package localemu
