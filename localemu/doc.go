// Package localemu will be the local emulator: the S3 storage API on disk
// and Object Lambda access points that run the real olkit function, so a
// chain can be tested without an AWS account. It is not built yet; until it
// is, the olkit CLI (cmd/olkit) runs a chain on local files, and the
// handler's tests use internal/fakes3 to play S3.
package localemu
