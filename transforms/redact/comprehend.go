package redact

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/comprehend"
	ctypes "github.com/aws/aws-sdk-go-v2/service/comprehend/types"
	"github.com/aws/smithy-go"

	"github.com/olkit/olkit/s3err"
	"github.com/olkit/olkit/transforms/redact/internal/detect"
)

// Detectors (option "detector").
const (
	// Offline finds the types of detect.Detectable, in process (default).
	Offline = "offline"
	// Comprehend asks Amazon Comprehend for the types the offline detector
	// cannot find (NAME, ADDRESS, ...), and merges its entities with the
	// offline matches for the others.
	Comprehend = "comprehend"
	// ComprehendAll asks Amazon Comprehend for every type requested, as
	// AWS's functions do; the offline detector is not used.
	ComprehendAll = "comprehend-all"
)

// How text goes to Comprehend, as AWS's functions send it: batches of up to
// 50 KB for ContainsPiiEntities and, when a batch holds an entity of
// interest, segments of up to 5 KB for DetectPiiEntities. Both limits are
// Comprehend's, in UTF-8 bytes.
const (
	containsMax = 48 << 10 // a batch, back context included (< 50 KB)
	detectMax   = 4800     // a DetectPiiEntities segment (< 5 KB)
	segOverlap  = 400      // bytes two segments of a batch share
	batchBack   = 512      // bytes of context before a batch's new text
	batchAhead  = 1 << 10  // bytes after a batch's decided text, re-sent with the next
)

// ComprehendAPI is what the backend needs of a Comprehend client
// (*comprehend.Client has it).
type ComprehendAPI interface {
	ContainsPiiEntities(context.Context, *comprehend.ContainsPiiEntitiesInput, ...func(*comprehend.Options)) (*comprehend.ContainsPiiEntitiesOutput, error)
	DetectPiiEntities(context.Context, *comprehend.DetectPiiEntitiesInput, ...func(*comprehend.Options)) (*comprehend.DetectPiiEntitiesOutput, error)
}

// NewComprehendClient returns the client the comprehend detectors use when
// their options carry none (see Options.WithComprehend). It is called only
// when such a detector is first used, so the offline path never loads AWS
// configuration; by default it builds one client from the Lambda's default
// AWS configuration (config.LoadDefaultConfig) and keeps it.
var NewComprehendClient = func(context.Context) (ComprehendAPI, error) {
	return defaultClient()
}

var defaultClient = sync.OnceValues(func() (ComprehendAPI, error) {
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		return nil, err
	}
	return comprehend.NewFromConfig(cfg), nil
})

// WithComprehend returns o with the Comprehend client its detector uses.
func (o Options) WithComprehend(c ComprehendAPI) Options {
	o.client = c
	return o
}

// remoteTypes returns the types asked of Comprehend.
func (o Options) remoteTypes() detect.Set {
	switch o.Detector {
	case Comprehend:
		return o.types &^ detect.Detectable
	case ComprehendAll:
		return o.types
	}
	return 0
}

// remote returns the Comprehend detector the options call for, or nil.
func (o Options) remote(ctx context.Context, name string) (*remoteDetector, error) {
	types := o.remoteTypes()
	if types == 0 {
		return nil, nil
	}
	c := o.client
	if c == nil {
		var err error
		if c, err = NewComprehendClient(ctx); err != nil {
			return nil, s3err.Wrap(fmt.Errorf("%s: the Comprehend client: %w", name, err), http.StatusInternalServerError, "InternalError",
				"the Amazon Comprehend client could not be configured")
		}
	}
	return &remoteDetector{api: c, types: types, thr: float32(o.ConfidenceThreshold.v), lang: ctypes.LanguageCode(o.LanguageCode), name: name}, nil
}

// remoteDetector finds entities with Amazon Comprehend.
type remoteDetector struct {
	api   ComprehendAPI
	types detect.Set
	thr   float32
	lang  ctypes.LanguageCode
	name  string
}

// find returns the entities of interest in text (at most containsMax
// bytes), with byte offsets, sorted and not overlapping.
func (d *remoteDetector) find(ctx context.Context, text []byte) ([]detect.Match, error) {
	if len(text) == 0 {
		return nil, nil
	}
	c, err := d.api.ContainsPiiEntities(ctx, &comprehend.ContainsPiiEntitiesInput{Text: aws.String(sendable(text)), LanguageCode: d.lang})
	if err != nil {
		return nil, d.fail("ContainsPiiEntities", err)
	}
	hit := false
	for _, l := range c.Labels {
		if e, ok := detect.ParseEntity(string(l.Name)); ok && d.types.Has(e) && aws.ToFloat32(l.Score) >= d.thr {
			hit = true
		}
	}
	if !hit {
		return nil, nil
	}
	var out []detect.Match
	// Segments [s, e) overlap by segOverlap; an entity belongs to the
	// segment whose share it starts in: up to the middle of the overlap.
	from := 0 // where this segment's share starts
	for s := 0; s < len(text); {
		e := len(text)
		if e-s > detectMax {
			e = cut(text, s, s+detectMax)
		}
		upto := len(text)
		if e < len(text) {
			upto = e - segOverlap/2
		}
		r, err := d.api.DetectPiiEntities(ctx, &comprehend.DetectPiiEntitiesInput{Text: aws.String(sendable(text[s:e])), LanguageCode: d.lang})
		if err != nil {
			return nil, d.fail("DetectPiiEntities", err)
		}
		conv := newCharIndex(text[s:e])
		for _, x := range r.Entities {
			t, ok := detect.ParseEntity(string(x.Type))
			score := aws.ToFloat32(x.Score)
			if !ok || !d.types.Has(t) || score < d.thr || x.BeginOffset == nil || x.EndOffset == nil {
				continue
			}
			b, f := s+conv.byteAt(int(*x.BeginOffset)), s+conv.byteAt(int(*x.EndOffset))
			if f <= b || b < from || b >= upto {
				continue
			}
			out = append(out, detect.Match{Start: b, End: f, Type: t, Score: score})
		}
		if e == len(text) {
			break
		}
		from = upto
		s = cut(text, s, e-segOverlap)
	}
	return mergeMatches(out), nil
}

// fail turns a Comprehend error into the S3 error the caller sees:
// throttling is 503 SlowDown (retry later), anything else 500
// InternalError. Comprehend's messages never carry the text sent.
func (d *remoteDetector) fail(op string, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	code := "unknown"
	var ae smithy.APIError
	if errors.As(err, &ae) {
		code = ae.ErrorCode()
	}
	wrapped := fmt.Errorf("%s: Comprehend %s: %w", d.name, op, err)
	if (retry.ThrottleErrorCode{Codes: retry.DefaultThrottleErrorCodes}).IsErrorThrottle(err).Bool() {
		return s3err.Wrap(wrapped, http.StatusServiceUnavailable, "SlowDown",
			"Amazon Comprehend is throttling requests (%s); retry later", code)
	}
	return s3err.Wrap(wrapped, http.StatusInternalServerError, "InternalError",
		"Amazon Comprehend %s failed (%s)", op, code)
}

// cut returns a place to end a piece of text that starts at s, at or
// before want: after a space or newline in the last 200 bytes if there is
// one, never inside a UTF-8 sequence.
func cut(text []byte, s, want int) int {
	if want >= len(text) {
		return len(text)
	}
	for i := want; i > s && i > want-200; i-- {
		if text[i-1] == ' ' || text[i-1] == '\n' {
			return i
		}
	}
	e := want
	for e > s+1 && !utf8.RuneStart(text[e]) {
		e--
	}
	return e
}

// sendable is text as the request carries it: JSON strings are Unicode,
// so each byte that is not part of valid UTF-8 becomes U+FFFD, one
// character, as charIndex counts it.
func sendable(text []byte) string {
	if utf8.Valid(text) {
		return string(text)
	}
	out := make([]byte, 0, len(text)+16)
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRune(text[i:])
		out = utf8.AppendRune(out, r)
		i += n
	}
	return string(out)
}

// charIndex converts Comprehend's offsets, which count characters (Unicode
// code points), to byte offsets in the text sent.
type charIndex struct {
	text  []byte
	ascii bool
}

func newCharIndex(text []byte) charIndex {
	ascii := true
	for _, c := range text {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	return charIndex{text: text, ascii: ascii}
}

// byteAt returns the byte offset of character ch (len(text) past the end).
func (x charIndex) byteAt(ch int) int {
	if ch <= 0 {
		return 0
	}
	if x.ascii {
		return min(ch, len(x.text))
	}
	i := 0
	for k := 0; k < ch && i < len(x.text); k++ {
		_, n := utf8.DecodeRune(x.text[i:])
		i += n
	}
	return i
}

// mergeMatches sorts ms by start and merges overlapping matches into one
// that covers both (so redaction masks every byte either found), with the
// type and score of the more confident.
func mergeMatches(ms []detect.Match) []detect.Match {
	if len(ms) < 2 {
		return ms
	}
	slices.SortStableFunc(ms, func(a, b detect.Match) int { return a.Start - b.Start })
	out := ms[:1]
	for _, m := range ms[1:] {
		last := &out[len(out)-1]
		if m.Start >= last.End {
			out = append(out, m)
			continue
		}
		if m.Score > last.Score {
			last.Type, last.Score = m.Type, m.Score
		}
		last.End = max(last.End, m.End)
		last.Cont = false
	}
	return out
}
