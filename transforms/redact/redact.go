// Package redact is the "redact" and "pii-access-control" transforms:
// offline, streamed detection of personally identifiable information, a
// drop-in for the AWS sample functions built on Amazon Comprehend, taking
// the same options.
//
// "redact" masks every entity found (MASK: each character becomes
// mask_character) or replaces it with its type in brackets
// (REPLACE_WITH_PII_ENTITY_TYPE: "[SSN]"). It streams: objects of any size
// in bounded memory (a 128 KiB window), the output the same whatever the
// read sizes, no UTF-8 sequence ever cut.
//
// "pii-access-control" reads the whole object into a bounded temporary file
// first, and answers 403 AccessDenied "Document Contains PII" if it holds
// an entity of interest at or above the threshold; otherwise the original
// bytes go on unchanged, with their length, ETag and checksums.
//
// Options (AWS's names, so payloads carry over):
//
//	pii_entity_types           ["ALL"] (default), or a list of Comprehend names
//	mask_mode                  MASK (default) or REPLACE_WITH_PII_ENTITY_TYPE
//	mask_character             "*" (default); one visible character
//	confidence_threshold       0.5 (default) to 1.0
//	language_code              "en" (the only one accepted)
//	unsupported_file_handling  FAIL (default): 400 UnexpectedContent for
//	                           data that is not UTF-8 text (or has a
//	                           Content-Encoding); PASS: hand it on unchanged
//	max_spool_bytes            pii-access-control only: largest object held
//	                           for the decision, default 512 MiB (400
//	                           EntityTooLarge beyond)
//	detector                   offline (default), comprehend or
//	                           comprehend-all (olkit's own option)
//
// Whether an object is text is decided on its first 32 KiB. With FAIL, an
// invalid sequence found later fails the request (a 400 if no byte was
// sent, else an aborted download); with PASS it goes on as it is, and the
// rest is still redacted.
//
// The entity types found offline are those of detect.Detectable, each with
// validation (checksums, issuer prefixes, registry lengths) where the type
// has one; see package detect. The other Comprehend types (NAME, ADDRESS,
// ...) are accepted in pii_entity_types, so AWS payloads carry over, but
// are found only with a Comprehend detector. Detected values never reach a
// log or an error message.
//
// Detectors. "offline" (the default) never leaves the process and never
// loads AWS configuration. "comprehend" also asks Amazon Comprehend, for
// the requested types the offline detector cannot find (NAME, ADDRESS and
// the other types that need language understanding), and merges its
// entities with the offline matches (overlapping matches become one that
// covers both, typed as the more confident); if no such type is requested
// Comprehend is not called. "comprehend-all" asks Comprehend for every
// requested type and does not use the offline detector, as AWS's functions
// do. The text goes as AWS's functions send it, still streamed in bounded
// memory: the window hands Comprehend batches of up to 48 KiB
// (ContainsPiiEntities, which has a 50 KB limit), each with 512 bytes of
// context before it and ending 1 KiB past what it decides; a batch holding
// an entity of interest is sent again in segments of up to 4,800 bytes
// that overlap by 400 (DetectPiiEntities, 5 KB), an entity belonging to
// the segment it starts in up to the middle of the overlap. Comprehend's
// offsets count characters (code points); they are turned into byte
// offsets. Nothing is handed on before Comprehend has decided it. The
// client comes from the default AWS configuration (config.LoadDefaultConfig,
// so the Lambda's role needs comprehend:ContainsPiiEntities and
// comprehend:DetectPiiEntities), built on first use; NewComprehendClient
// and Options.WithComprehend replace it. Comprehend's refusals become S3
// errors: throttling 503 SlowDown, anything else 500 InternalError; redact
// has the answer on the first batch before it returns, so those come before
// the first byte, and a later one aborts the download.
//
// Length: MASK with a one-byte mask character replaces byte for byte, so
// the length stays known (a multi-byte character is masked by as many mask
// characters as it has bytes); REPLACE_WITH_PII_ENTITY_TYPE (or a
// multi-byte mask character) changes it, and it becomes unknown (-1).
package redact

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"unicode/utf8"

	"github.com/olkit/olkit/transforms"
)

func init() {
	transforms.Register("redact", func(raw json.RawMessage) (transforms.Transform, error) {
		o, err := ParseOptions(raw, false)
		if err != nil {
			return nil, err
		}
		return NewRedact(o), nil
	})
	transforms.Register("pii-access-control", func(raw json.RawMessage) (transforms.Transform, error) {
		o, err := ParseOptions(raw, true)
		if err != nil {
			return nil, err
		}
		return NewAccessControl(o), nil
	})
}

// Redact is the "redact" transform.
type Redact struct{ opts Options }

// NewRedact returns the redact transform for opts (from ParseOptions).
func NewRedact(opts Options) *Redact { return &Redact{opts: opts} }

// encoded reports whether the object's bytes are encoded (gzip, ...), so
// cannot be read as text.
func encoded(obj *transforms.Object) bool {
	ce := obj.Header.Get("Content-Encoding")
	return ce != "" && ce != "identity"
}

// Apply reads the object's head to decide whether it is text, then returns
// the redacted stream.
func (t *Redact) Apply(ctx context.Context, obj *transforms.Object, r io.Reader) (io.Reader, error) {
	pass := t.opts.UnsupportedFileHandling == Pass
	if encoded(obj) {
		return encodedObject(pass, "redact", obj, r)
	}
	w := newWindow(r, t.opts.detectConfig())
	w.fill(sniffLen)
	if w.err != nil {
		return nil, w.err
	}
	head := w.buf[:min(w.n, sniffLen)]
	if !isText(head, w.eof && w.n <= sniffLen) {
		if pass {
			obj.Unchanged()
			return io.MultiReader(bytes.NewReader(w.buf[:w.n]), r), nil
		}
		return nil, unexpected("redact")
	}
	remote, err := t.opts.remote(ctx, "redact")
	if err != nil {
		return nil, err
	}
	w.remote, w.ctx = remote, ctx
	// MASK with a one-byte character replaces byte for byte: the length
	// stays, and is confirmed so the answer keeps its Content-Length.
	if t.opts.MaskMode == Mask && len(t.opts.MaskCharacter) == 1 {
		obj.SetSize(obj.Size)
	}
	rr := &redactReader{w: w, mode: t.opts.MaskMode, mask: []byte(t.opts.MaskCharacter), pass: pass}
	if remote != nil {
		// Have Comprehend's answer on the first batch before the first
		// byte, so that its refusal (throttling, access) is a clear error
		// rather than an aborted download.
		for len(rr.pend) == 0 && rr.final == nil {
			rr.advance()
		}
		if rr.final != nil && rr.final != io.EOF {
			return nil, rr.final
		}
	}
	return rr, nil
}

// isText reports whether head is UTF-8, allowing a sequence cut at its end
// when more follows.
func isText(head []byte, eof bool) bool {
	if utf8.Valid(head) {
		return true
	}
	if eof {
		return false
	}
	for k := 1; k <= 3 && k <= len(head); k++ {
		if utf8.Valid(head[:len(head)-k]) && !utf8.FullRune(head[len(head)-k:]) {
			return true
		}
	}
	return false
}
