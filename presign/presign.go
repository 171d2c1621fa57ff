// Package presign signs the function's own reads of original objects, with
// its own role: what the function URL reads every object through, and what
// an Object Lambda HEAD reads through the supporting access point when it
// must run the chain to learn a length (the HEAD event's inputS3Url is
// signed for HEAD only).
package presign

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Signer presigns GetObject and HeadObject with aws-sdk-go-v2.
type Signer struct {
	path *s3.PresignClient // buckets, path style on a local endpoint
	arn  *s3.PresignClient // access point ARNs (never path style)
}

// New returns a Signer for cfg. With an endpoint set in the environment
// (AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL, as the emulator sets it) it
// signs for that endpoint: buckets path style, access point ARNs as the
// SDK turns them into hosts (<name>-<account>.<endpoint host>), which
// Client reaches.
func New(cfg aws.Config, optFns ...func(*s3.Options)) *Signer {
	base := optFns
	if ep := Endpoint(); ep != "" {
		base = append([]func(*s3.Options){func(o *s3.Options) { o.BaseEndpoint = aws.String(ep) }}, optFns...)
	}
	path := append(base[:len(base):len(base)], func(o *s3.Options) { o.UsePathStyle = o.BaseEndpoint != nil })
	return &Signer{
		path: s3.NewPresignClient(s3.NewFromConfig(cfg, path...)),
		arn:  s3.NewPresignClient(s3.NewFromConfig(cfg, base...)),
	}
}

func (s *Signer) client(bucket string) *s3.PresignClient {
	if strings.HasPrefix(bucket, "arn:") {
		return s.arn
	}
	return s.path
}

// GetURL signs a GetObject of key in bucket (a bucket name or an access
// point ARN), of versionID when not empty.
func (s *Signer) GetURL(ctx context.Context, bucket, key, versionID string) (string, error) {
	in := &s3.GetObjectInput{Bucket: &bucket, Key: &key}
	if versionID != "" {
		in.VersionId = &versionID
	}
	req, err := s.client(bucket).PresignGetObject(ctx, in)
	if err != nil {
		return "", err
	}
	return req.URL, nil
}

// HeadURL signs a HeadObject of key in bucket, of versionID when not empty.
func (s *Signer) HeadURL(ctx context.Context, bucket, key, versionID string) (string, error) {
	in := &s3.HeadObjectInput{Bucket: &bucket, Key: &key}
	if versionID != "" {
		in.VersionId = &versionID
	}
	req, err := s.client(bucket).PresignHeadObject(ctx, in)
	if err != nil {
		return "", err
	}
	return req.URL, nil
}

// Endpoint is the S3 endpoint the environment names, as the SDKs read it:
// AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL, else "".
func Endpoint() string {
	if v := os.Getenv("AWS_ENDPOINT_URL_S3"); v != "" {
		return v
	}
	return os.Getenv("AWS_ENDPOINT_URL")
}

// Client returns the HTTP client to fetch originals with: it never
// decompresses a response (an object stored gzip must reach the chain as
// stored), and with a local endpoint set (the emulator) it reaches the
// hosts the SDK makes of access point ARNs, <name>-<account>.<endpoint
// host>, which no resolver knows, by dialling the endpoint itself.
func Client() *http.Client { return ClientFor(Endpoint()) }

// ClientFor is Client for the given endpoint ("" for AWS itself).
func ClientFor(endpoint string) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DisableCompression = true
	if u, err := url.Parse(endpoint); err == nil && u.Host != "" {
		dial := t.DialContext
		endpoint := u.Host
		if u.Port() == "" {
			endpoint = net.JoinHostPort(u.Hostname(), map[string]string{"https": "443"}[u.Scheme]+map[string]string{"http": "80"}[u.Scheme])
		}
		t.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
			if strings.HasSuffix(addr, "."+endpoint) {
				addr = endpoint
			}
			return dial(ctx, network, addr)
		}
	}
	return &http.Client{Transport: t}
}

// PutURL signs a PutObject of key in bucket.
func (s *Signer) PutURL(ctx context.Context, bucket, key string) (string, error) {
	req, err := s.client(bucket).PresignPutObject(ctx, &s3.PutObjectInput{Bucket: &bucket, Key: &key})
	if err != nil {
		return "", err
	}
	return req.URL, nil
}
