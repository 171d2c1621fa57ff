package objectlambda_test

import (
	"context"
	"io"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/olkit/olkit/writeresponse"
)

// BenchmarkGetThroughWGOR measures what the emulator adds to a GetObject
// through an access point: a function streaming 64 MiB through WGOR to a
// caller reading it, both over loopback HTTP.
//
//	go test -run XXX -bench GetThroughWGOR -benchtime 20x ./localemu/internal/objectlambda
func BenchmarkGetThroughWGOR(b *testing.B) {
	const size = 64 << 20
	p := newProbe(b)
	wgorClient := s3.NewFromConfig(p.emu.Config.Copy(), writeresponse.WithEndpoint(p.emu.URL))
	p.answers(func(ctx context.Context, ev events.S3ObjectLambdaEvent) ([]byte, error) {
		_, err := wgorClient.WriteGetObjectResponse(ctx, &s3.WriteGetObjectResponseInput{
			RequestRoute: aws.String(ev.GetObjectContext.OutputRoute), RequestToken: aws.String(ev.GetObjectContext.OutputToken),
			Body: io.LimitReader(zeros{}, size), ContentLength: aws.Int64(size)})
		return []byte(`{"statusCode":200}`), err
	})
	caller := s3.NewFromConfig(p.emu.Config, func(o *s3.Options) {
		o.UsePathStyle, o.DisableLogOutputChecksumValidationSkipped = true, true
	})
	alias := aws.String(p.emu.ObjectLambda.Alias("probe"))
	b.SetBytes(size)
	b.ResetTimer()
	for range b.N {
		out, err := caller.GetObject(context.Background(), &s3.GetObjectInput{Bucket: alias, Key: aws.String("k")})
		if err != nil {
			b.Fatal(err)
		}
		n, err := io.Copy(io.Discard, out.Body)
		out.Body.Close()
		if err != nil || n != size {
			b.Fatalf("%d bytes, %v", n, err)
		}
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
