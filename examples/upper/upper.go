// Package upper is the smallest useful transform, the one the README and
// docs/writing-transforms.md show: it upper-cases UTF-8 text as it streams
// by. It is correct for any input and any read size: a character cut
// between two reads is joined before it is changed, a character whose
// upper case has another length is written whole, and bytes that are not
// UTF-8 pass through as they are.
package upper

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"unicode"
	"unicode/utf8"

	"github.com/olkit/olkit/transforms"
)

func init() {
	transforms.Register("upper", func(opts json.RawMessage) (transforms.Transform, error) {
		if len(opts) > 0 {
			return nil, errors.New("upper takes no options")
		}
		return Upper{}, nil
	})
	transforms.Describe("upper", transforms.Description{Summary: "Upper-cases UTF-8 text; takes no options."})
}

// Upper is the transform.
type Upper struct{}

// Apply returns the upper-cased stream. The output's length may differ
// from the input's, so Size is left for the Chain to drop.
func (Upper) Apply(ctx context.Context, obj *transforms.Object, r io.Reader) (io.Reader, error) {
	return &reader{r: bufio.NewReader(r)}, Upper{}.Head(ctx, obj)
}

// Head describes the output as Apply does, for a HEAD.
func (Upper) Head(_ context.Context, obj *transforms.Object) error {
	obj.Header.Set("Content-Type", "text/plain; charset=utf-8")
	return nil
}

type reader struct {
	r   *bufio.Reader
	out []byte // upper-cased, not yet read
	err error
}

func (u *reader) Read(p []byte) (int, error) {
	for len(u.out) < len(p) && u.err == nil {
		c, size, err := u.r.ReadRune()
		switch {
		case err != nil:
			u.err = err
		case c == utf8.RuneError && size == 1:
			u.r.UnreadRune()
			if next, err := u.r.Peek(utf8.UTFMax); err != nil && err != io.EOF && !utf8.FullRune(next) {
				u.err = err // the source failed inside a character: none of it goes out
				break
			}
			b, _ := u.r.ReadByte() // not UTF-8: the byte goes on as it is
			u.out = append(u.out, b)
		default:
			u.out = utf8.AppendRune(u.out, unicode.ToUpper(c))
		}
	}
	n := copy(p, u.out)
	u.out = u.out[n:]
	if n == 0 && len(u.out) == 0 {
		return 0, u.err
	}
	return n, nil
}
