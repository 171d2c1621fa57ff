package transforms_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/olkit/olkit/transforms"
)

// tabs turns tabs into commas: one byte for one, so the length stays, and
// it says so with SetSize; a document with no tab passes as it is, which
// it says with Unchanged, so the original's ETag and checksums stay too.
// Head describes the same without the bytes, for a HEAD.
type tabs struct{}

func (tabs) Apply(_ context.Context, obj *transforms.Object, r io.Reader) (io.Reader, error) {
	data, err := io.ReadAll(r) // a real stage streams; this example keeps it short
	if err != nil {
		return nil, err
	}
	if !strings.Contains(string(data), "\t") {
		obj.Unchanged()
		return strings.NewReader(string(data)), nil
	}
	obj.Header.Set("Content-Type", "text/csv")
	obj.SetSize(obj.Size)
	return strings.NewReader(strings.ReplaceAll(string(data), "\t", ",")), nil
}

func (tabs) Head(_ context.Context, obj *transforms.Object) error {
	obj.Header.Set("Content-Type", "text/csv")
	obj.SetSize(obj.Size)
	return nil
}

// A stage describes its output with SetSize and Unchanged; whatever else
// described its input (ETag, checksums, a length it did not state) the
// Chain drops.
func Example_describingTheOutput() {
	chain := transforms.ChainOf("tabs", tabs{})
	for _, doc := range []string{"a\tb\n", "a,b\n"} {
		obj := &transforms.Object{Size: int64(len(doc)), Header: http.Header{
			"Etag": {`"original"`}, "Content-Type": {"text/tab-separated-values"}}}
		out, _ := chain.Apply(context.Background(), obj, strings.NewReader(doc))
		body, _ := io.ReadAll(out)
		out.Close()
		fmt.Printf("%q size=%d etag=%q type=%s\n", body, obj.Size, obj.Header.Get("ETag"), obj.Header.Get("Content-Type"))
	}
	// Output:
	// "a,b\n" size=4 etag="" type=text/csv
	// "a,b\n" size=4 etag="\"original\"" type=text/tab-separated-values
}
