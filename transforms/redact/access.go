package redact

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"unicode/utf8"

	"github.com/olkit/olkit/s3err"
	"github.com/olkit/olkit/spool"
	"github.com/olkit/olkit/transforms"
	"github.com/olkit/olkit/transforms/redact/internal/detect"
)

// AccessControl is the "pii-access-control" transform.
type AccessControl struct{ opts Options }

// NewAccessControl returns the access control transform for opts (from
// ParseOptions).
func NewAccessControl(opts Options) *AccessControl { return &AccessControl{opts: opts} }

// AccessControl is deliberately not a transforms.Preserver, though what
// it lets through is the original byte for byte: a Preserver's chain has
// the caller's Range sent to the original, and a decision taken on a
// slice could be dodged by asking for the document in slices. It sees the
// whole object on every request, and says it is Unchanged when it lets it
// through, so its length and ETag stay.

// denied is the answer AWS's access control function gives.
func denied(found detect.Set) error {
	return s3err.Wrap(fmt.Errorf("pii-access-control: found %s", found), http.StatusForbidden, "AccessDenied", "Document Contains PII")
}

// Apply reads the whole object into a temporary file, scanning it as it
// goes, and answers 403 at the first entity of interest; otherwise it hands
// on the spooled bytes.
func (t *AccessControl) Apply(ctx context.Context, obj *transforms.Object, r io.Reader) (io.Reader, error) {
	pass := t.opts.UnsupportedFileHandling == Pass
	if encoded(obj) {
		return encodedObject(pass, "pii-access-control", obj, r)
	}
	f, err := spool.New("", t.opts.MaxSpoolBytes)
	if err != nil {
		return nil, err
	}
	keep := false
	defer func() {
		if !keep {
			f.Close()
		}
	}()
	remote, err := t.opts.remote(ctx, "pii-access-control")
	if err != nil {
		return nil, err
	}
	w := newWindow(io.TeeReader(r, f), t.opts.detectConfig())
	w.remote, w.ctx = remote, ctx
	text := true
	for !w.done() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		c := w.step()
		if w.err != nil {
			var le *spool.LimitError
			if errors.As(w.err, &le) {
				return nil, s3err.New(http.StatusBadRequest, "EntityTooLarge",
					"pii-access-control: the object is larger than max_spool_bytes (%d), the most it may hold while deciding", le.Limit)
			}
			return nil, w.err
		}
		if c <= w.out {
			continue
		}
		// In stream order: first text that is not UTF-8, then entities.
		if text && !utf8.Valid(w.buf[w.out:c]) {
			if !pass {
				return nil, unexpected("pii-access-control")
			}
			text = false // PASS: an object that is not text goes on unchecked, as AWS's does
		}
		if text {
			for _, m := range w.matches {
				if m.Start < c {
					return nil, denied(detect.SetOf(m.Type))
				}
			}
		}
		k := 0
		for k < len(w.matches) && w.matches[k].Start < c {
			k++
		}
		w.matches = append(w.matches[:0], w.matches[k:]...)
		w.out = c
	}
	keep = true
	obj.Unchanged()
	return &spooled{Reader: f.Reader(), f: f}, nil
}

// spooled reads the spooled object and releases the file on Close.
type spooled struct {
	io.Reader
	f *spool.File
}

func (s *spooled) Close() error { return s.f.Close() }

// encodedObject is what a PII transform does with an object whose bytes
// are encoded (gzip, ...), so not text: with PASS it hands it on
// unchanged, with FAIL it refuses it.
func encodedObject(pass bool, name string, obj *transforms.Object, r io.Reader) (io.Reader, error) {
	if pass {
		obj.Unchanged()
		return r, nil
	}
	return nil, unexpectedEncoded(name, obj)
}

func unexpectedEncoded(name string, obj *transforms.Object) error {
	return s3err.New(http.StatusBadRequest, "UnexpectedContent",
		"%s: the object has Content-Encoding %q; put \"decompress\" before it in the chain", name, obj.Header.Get("Content-Encoding"))
}
