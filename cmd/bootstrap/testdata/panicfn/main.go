// Command panicfn is the olkit function with a plugin that panics where its
// options say: in its factory ("factory"), in Apply ("apply"), in Head
// ("head"), on the first Read ("first") or after 100 KiB ("100k"). The
// bootstrap tests run it to show that no panic ends the process.
package main

import (
	"context"
	"encoding/json"
	"io"

	"github.com/olkit/olkit/lambda"
	"github.com/olkit/olkit/transforms"
	_ "github.com/olkit/olkit/transforms/builtin"
)

func init() {
	transforms.Register("panic", func(opts json.RawMessage) (transforms.Transform, error) {
		var o struct {
			At string `json:"at"`
		}
		if err := json.Unmarshal(opts, &o); err != nil {
			return nil, err
		}
		if o.At == "factory" {
			panic("panicfn: in the factory")
		}
		return panicker(o.At), nil
	})
}

type panicker string

func (p panicker) Apply(_ context.Context, _ *transforms.Object, r io.Reader) (io.Reader, error) {
	switch p {
	case "apply":
		panic("panicfn: in Apply")
	case "first":
		return &panicReader{r: r, after: 0}, nil
	}
	return &panicReader{r: r, after: 100 << 10}, nil
}

func (p panicker) Head(context.Context, *transforms.Object) error {
	if p == "head" {
		panic("panicfn: in Head")
	}
	return nil
}

// panicReader hands on its input, then panics once it has read after bytes.
type panicReader struct {
	r     io.Reader
	after int64
	n     int64
}

func (p *panicReader) Read(b []byte) (int, error) {
	if p.n >= p.after {
		var m map[string]int
		m["panicfn: in Read"]++ // a nil map write: a runtime panic, as real bugs are
	}
	n, err := p.r.Read(b[:min(int64(len(b)), p.after-p.n)])
	p.n += int64(n)
	return n, err
}

func main() { lambda.Main() }
