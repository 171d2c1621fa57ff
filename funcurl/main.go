package funcurl

import (
	"context"
	"fmt"
	"os"

	awslambda "github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/olkit/olkit/presign"
)

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
	srv := &Server{Presigner: presign.New(cfg), Bucket: bucket, Payload: os.Getenv("OLKIT_TRANSFORMS"), HTTPClient: presign.Client()}
	awslambda.Start(Wrap(srv))
}
