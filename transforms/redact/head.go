package redact

import (
	"context"
	"io"

	"github.com/olkit/olkit/transforms"
)

// Head describes redact's output for a HEAD as Apply would: an encoded
// object passes unchanged or is refused, by the same option; text keeps
// its length under a one-byte MASK and loses it otherwise. With the
// original at hand (obj.Source) it reads the first bytes to tell text from
// binary, as Apply does.
func (t *Redact) Head(_ context.Context, obj *transforms.Object) error {
	pass := t.opts.UnsupportedFileHandling == Pass
	if encoded(obj) {
		if !pass {
			return unexpectedEncoded("redact", obj)
		}
		obj.Unchanged()
		return nil
	}
	if obj.Source != nil {
		head := make([]byte, sniffLen+1)
		n, err := obj.Source.ReadAt(head, 0)
		if err != nil && err != io.EOF {
			return err
		}
		if !isText(head[:min(n, sniffLen)], n <= sniffLen) {
			if !pass {
				return unexpected("redact")
			}
			obj.Unchanged()
			return nil
		}
	}
	if t.opts.MaskMode == Mask && len(t.opts.MaskCharacter) == 1 {
		obj.SetSize(obj.Size)
	}
	return nil
}
