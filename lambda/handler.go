// Package lambda is the Object Lambda function: it decodes the event S3
// sends, fetches the original object through the presigned inputS3Url, runs
// it through the chain of transforms the access point's payload names, and
// answers GetObject through WriteGetObjectResponse.
package lambda

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/events"
	awslambda "github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/olkit/olkit/presign"
	"github.com/olkit/olkit/s3err"
	"github.com/olkit/olkit/serve"
	"github.com/olkit/olkit/writeresponse"
)

// Responder answers a GetObject call; *writeresponse.Client is one.
type Responder interface {
	Write(ctx context.Context, route, token string, resp writeresponse.Response) error
	Fail(ctx context.Context, route, token string, e *s3err.Error) error
}

// DefaultDeadlineMargin is how long before the Lambda deadline the handler
// stops reading and answers, so that it ends with an answer of its own
// rather than being killed mid-call.
const DefaultDeadlineMargin = time.Second

// Handler serves S3 Object Lambda events.
type Handler struct {
	// Responder sends the WGOR answers.
	Responder Responder
	// HTTPClient fetches inputS3Url. It must not decompress responses.
	HTTPClient *http.Client
	// DefaultPayload is the chain used when the access point's payload is
	// blank; New takes it from the OLKIT_TRANSFORMS environment variable.
	DefaultPayload string
	// Logger receives one line per request; object contents never reach it.
	Logger *slog.Logger
	// DeadlineMargin is how long before the context's deadline the handler
	// gives up and answers with an error.
	DeadlineMargin time.Duration
	// Originals signs the function's own reads of originals, through the
	// supporting access point with the function's role: a HEAD through a
	// chain that changes bytes reads the object to learn its length (the
	// HEAD event's URL is signed for HEAD only). Nil: no such reads, and
	// such a HEAD answers from the size cache or 501.
	Originals Originals
	// Sizes remembers the length of every output a GET read to the end,
	// so a HEAD after it is free. New makes one per process.
	Sizes *serve.SizeCache
	// AWSPayloadTransform runs a payload in the flat form of AWS's
	// Comprehend PII functions ({"pii_entity_types":[...], ...}): "redact"
	// (the default) or "pii-access-control", from OLKIT_AWS_PAYLOAD_TRANSFORM.
	AWSPayloadTransform string
}

// Options are re-exported from the serving core for the payload's
// "response" object.
type Options = serve.Options

// DefaultMaxSpoolBytes is the default for Options.MaxSpoolBytes.
const DefaultMaxSpoolBytes = serve.DefaultMaxSpoolBytes

// New returns a Handler answering through r, with the chain fallback from
// OLKIT_TRANSFORMS and JSON logs on standard error (CloudWatch in Lambda).
func New(r Responder) *Handler {
	return &Handler{
		Responder:           r,
		HTTPClient:          presign.Client(),
		Sizes:               serve.NewSizeCache(0),
		DefaultPayload:      os.Getenv("OLKIT_TRANSFORMS"),
		Logger:              slog.New(slog.NewJSONHandler(os.Stderr, nil)),
		DeadlineMargin:      DefaultDeadlineMargin,
		AWSPayloadTransform: cmp.Or(os.Getenv("OLKIT_AWS_PAYLOAD_TRANSFORM"), "redact"),
	}
}

// NewFromEnv returns a Handler whose WGOR client comes from the default AWS
// configuration, sent to AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL when set.
func NewFromEnv(ctx context.Context) (*Handler, error) {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("lambda: loading AWS configuration: %w", err)
	}
	h := New(writeresponse.New(cfg, writeresponse.WithEndpoint(writeresponse.EndpointFromEnv())))
	h.Originals = presign.New(cfg)
	return h, nil
}

// NewForEndpoint returns a Handler for an S3 endpoint of its own (the local
// emulator): WGOR goes there, and the function's own reads of originals
// (a HEAD that must count) are signed for it and reach it, access point
// ARN hosts included. cfg holds the function's credentials and region.
func NewForEndpoint(cfg aws.Config, endpoint string) *Handler {
	h := New(writeresponse.New(cfg, writeresponse.WithEndpoint(endpoint)))
	h.Originals = presign.New(cfg, func(o *s3.Options) { o.BaseEndpoint = aws.String(endpoint) })
	h.HTTPClient = presign.ClientFor(endpoint)
	return h
}

// Originals presigns GetObject with the function's own role;
// *presign.Signer is one.
type Originals interface {
	GetURL(ctx context.Context, bucket, key, versionID string) (string, error)
}

// Main runs the function under the Lambda runtime, with whatever
// transforms the program registered; it does not return. A custom binary
// is its imports and one line:
//
//	func main() { lambda.Main() }
func Main() {
	h, err := NewFromEnv(context.Background())
	if err != nil {
		slog.New(slog.NewJSONHandler(os.Stderr, nil)).Error("olkit: cannot start", "error", err.Error())
		os.Exit(1)
	}
	awslambda.Start(h.Handle)
}

// Invoke serves an event given as JSON and returns the Result as JSON,
// as the Lambda runtime would: the shape of an in-process function (the
// local emulator runs the handler this way). A failed invocation is an
// error, as Lambda reports it.
func (h *Handler) Invoke(ctx context.Context, event []byte) ([]byte, error) {
	var ev events.S3ObjectLambdaEvent
	if err := json.Unmarshal(event, &ev); err != nil {
		return nil, fmt.Errorf("lambda: the event is not an S3 Object Lambda event: %w", err)
	}
	res, err := h.Handle(ctx, ev)
	if err != nil {
		return nil, err
	}
	return json.Marshal(res)
}

// Result is what the function returns to the Lambda service. For GetObject
// the answer went through WGOR and this only records its status; for HEAD
// and List it is the answer itself.
type Result struct {
	StatusCode   int    `json:"statusCode"`
	ErrorCode    string `json:"errorCode,omitempty"`
	ErrorMessage string `json:"errorMessage,omitempty"`
	// Headers are a HEAD answer's headers: strings, and the numbers and
	// booleans AWS documents as such (Content-Length is a number).
	Headers map[string]any `json:"headers,omitempty"`
	// ListResultXML is a List answer: S3's ListBucketResult XML.
	ListResultXML string `json:"listResultXml,omitempty"`
}

// Handle serves one event. GetObject is answered through WGOR, HEAD and
// List with the returned Result; for GetObject an error is
// returned only when no complete answer could be given (the WGOR call itself
// failed, or the body failed mid-stream and the download was aborted), so
// that Lambda counts the invocation as failed.
func (h *Handler) Handle(ctx context.Context, ev events.S3ObjectLambdaEvent) (*Result, error) {
	switch {
	case ev.GetObjectContext != nil:
		return h.getObject(ctx, &ev)
	case ev.HeadObjectContext != nil:
		return h.headObject(ctx, &ev)
	case ev.ListObjectsContext != nil:
		return h.listObjects(ctx, ev.ListObjectsContext.InputS3URL, ev.UserRequest.Headers, ev.Configuration.Payload)
	case ev.ListObjectsV2Context != nil:
		return h.listObjects(ctx, ev.ListObjectsV2Context.InputS3URL, ev.UserRequest.Headers, ev.Configuration.Payload)
	}
	return nil, fmt.Errorf("lambda: event %s has no getObjectContext, headObjectContext, listObjectsContext or listObjectsV2Context", ev.XAmzRequestID)
}
