package funcurl

import (
	"context"
	"fmt"
	"os"

	awslambda "github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/olkit/olkit/writeresponse"
)

// SDKPresigner presigns with aws-sdk-go-v2 and the function's credentials.
type SDKPresigner struct{ c *s3.PresignClient }

// NewPresigner returns a Presigner for cfg. With an endpoint set in the
// environment (AWS_ENDPOINT_URL_S3, as the emulator sets it) it signs for
// that endpoint, path style.
func NewPresigner(cfg aws.Config, optFns ...func(*s3.Options)) *SDKPresigner {
	if ep := writeresponse.EndpointFromEnv(); ep != "" {
		optFns = append([]func(*s3.Options){func(o *s3.Options) { o.BaseEndpoint, o.UsePathStyle = aws.String(ep), true }}, optFns...)
	}
	return &SDKPresigner{c: s3.NewPresignClient(s3.NewFromConfig(cfg, optFns...))}
}

// PresignGet signs a GetObject of bucket/key.
func (p *SDKPresigner) PresignGet(ctx context.Context, bucket, key string) (string, error) {
	req, err := p.c.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: &bucket, Key: &key})
	if err != nil {
		return "", err
	}
	return req.URL, nil
}

// PresignHead signs a HeadObject of bucket/key.
func (p *SDKPresigner) PresignHead(ctx context.Context, bucket, key string) (string, error) {
	req, err := p.c.PresignHeadObject(ctx, &s3.HeadObjectInput{Bucket: &bucket, Key: &key})
	if err != nil {
		return "", err
	}
	return req.URL, nil
}

// Main runs the function URL function: the bucket from OLKIT_BUCKET, the
// chain from OLKIT_TRANSFORMS, the original read with the function's role.
func Main() {
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, "olkit function URL: cannot start:", err)
		os.Exit(1)
	}
	bucket := os.Getenv("OLKIT_BUCKET")
	if bucket == "" {
		fail(fmt.Errorf("OLKIT_BUCKET is not set: it names the bucket to serve"))
	}
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		fail(err)
	}
	srv := &Server{Presigner: NewPresigner(cfg), Bucket: bucket, Payload: os.Getenv("OLKIT_TRANSFORMS")}
	awslambda.Start(Wrap(srv))
}
