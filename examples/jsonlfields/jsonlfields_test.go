package jsonlfields_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/examples/jsonlfields"
	"github.com/olkit/olkit/s3err"
	"github.com/olkit/olkit/transforms"
	"github.com/olkit/olkit/transforms/transformtest"
)

const records = `{"id":1,"name":"Ada","email":"ada@example.com","tags":["a","b"]}
{"id":2,"email":"bob@example.com","name":"Bob","address":{"email":"nested stays"}}
{"id":3,"name":"Cy"}

{ "id" : 4 , "email" : null }
`

const dropped = `{"id":1,"name":"Ada","tags":["a","b"]}
{"id":2,"name":"Bob","address":{"email":"nested stays"}}
{"id":3,"name":"Cy"}

{"id":4}
`

// run applies the payload's chain to in, as a request would.
func run(t *testing.T, payload, in string) (string, error) {
	t.Helper()
	c, err := transforms.ParseChain(payload)
	require.NoError(t, err)
	out, err := c.Apply(context.Background(), &transforms.Object{Header: http.Header{}, Size: -1}, strings.NewReader(in))
	if err != nil {
		return "", err
	}
	defer out.Close()
	b, err := io.ReadAll(out)
	return string(b), err
}

func drop(fields string) string {
	return `{"transforms":[{"name":"jsonl-fields","options":{"drop":` + fields + `}}]}`
}

// heapBound is the memory check's bound: the transform holds one line
// (at most 1 MiB by default, the samples' lines are far shorter) and its
// rewrite, so 2 MiB is generous, and keeps the check quick under -race.
const heapBound = 2 << 20

// --- the contract --------------------------------------------------------

func TestContractDrop(t *testing.T) {
	transformtest.Run(t, transformtest.Registered("jsonl-fields", `{"drop":["email"]}`), transformtest.Config{
		Inputs: []transformtest.Input{
			{Name: "records", Data: []byte(records), Want: []byte(dropped)},
			{Name: "empty", Data: []byte{}, Want: []byte{}},
			{Name: "no final newline", Data: []byte(`{"a":1,"email":2}`), Want: []byte(`{"a":1}`)},
			{Name: "crlf", Data: []byte("{\"email\":1,\"b\":2}\r\n{\"c\":3}\r\n"), Want: []byte("{\"b\":2}\r\n{\"c\":3}\r\n")},
			{Name: "invalid line", Data: []byte("{\"id\":1}\n{\"id\":\n"), WantErr: true},
			{Name: "array line", Data: []byte("[1,2]\n"), WantErr: true},
		},
		MaxHeapGrowth: heapBound,
	})
}

func TestContractKeepAndPass(t *testing.T) {
	transformtest.Run(t, transformtest.Registered("jsonl-fields", `{"keep":["id"],"onInvalid":"pass"}`), transformtest.Config{
		Inputs: []transformtest.Input{
			{Name: "records", Data: []byte(records), Want: []byte("{\"id\":1}\n{\"id\":2}\n{\"id\":3}\n\n{\"id\":4}\n")},
			{Name: "invalid passes", Data: []byte("not json\n{\"id\":5,\"x\":1}\n"), Want: []byte("not json\n{\"id\":5}\n")},
		},
		MaxHeapGrowth: heapBound,
	})
}

func TestContractLongLines(t *testing.T) {
	// With a 64-byte bound, the long line must fail however it is read.
	transformtest.Run(t, transformtest.Registered("jsonl-fields", `{"drop":["x"],"maxLineBytes":64}`), transformtest.Config{
		Inputs: []transformtest.Input{
			{Name: "short", Data: []byte(`{"x":1,"y":"` + strings.Repeat("y", 40) + "\"}\n")},
			{Name: "exactly 64", Data: []byte(`{"y":"` + strings.Repeat("y", 56) + "\"}\r\n")},
			{Name: "65", Data: []byte(`{"y":"` + strings.Repeat("y", 57) + "\"}\n"), WantErr: true},
		},
		MaxHeapGrowth: heapBound,
	})
}

// --- behaviour -----------------------------------------------------------

func TestDropsFields(t *testing.T) {
	out, err := run(t, drop(`["email","tags"]`), records)
	require.NoError(t, err)
	assert.Equal(t, `{"id":1,"name":"Ada"}
{"id":2,"name":"Bob","address":{"email":"nested stays"}}
{"id":3,"name":"Cy"}

{"id":4}
`, out)
}

func TestUntouchedLinesKeepTheirBytes(t *testing.T) {
	in := "{ \"id\" : 1, \"html\": \"<b>\\u00e9</b>\" }\n"
	out, err := run(t, drop(`["email"]`), in)
	require.NoError(t, err)
	assert.Equal(t, in, out)
}

func TestRewrittenLinesKeepValuesAndOrder(t *testing.T) {
	out, err := run(t, drop(`["email"]`), `{"z":1,"email":"x","a<b":{"k": [1, 2]},"é":"\u00e9","n":1.50e3}`)
	require.NoError(t, err)
	assert.Equal(t, `{"z":1,"a<b":{"k": [1, 2]},"é":"\u00e9","n":1.50e3}`, out)
}

func TestDuplicateFieldsAllDropped(t *testing.T) {
	out, err := run(t, drop(`["a"]`), `{"a":1,"b":2,"a":3}`+"\n")
	require.NoError(t, err)
	assert.Equal(t, `{"b":2}`+"\n", out)
}

func TestInvalidLineIs400(t *testing.T) {
	for name, in := range map[string]string{
		"syntax":        "{\"id\":1}\n{\"id\":1,}\n",
		"not an object": "{\"id\":1}\n\"just a string\"\n",
		"two values":    "{\"id\":1}\n{\"id\":2} {\"id\":3}\n",
		"truncated":     "{\"id\":1}\n{\"id\":",
	} {
		t.Run(name, func(t *testing.T) {
			out, err := run(t, drop(`["id"]`), in)
			var e *s3err.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, http.StatusBadRequest, e.Status)
			assert.Equal(t, "UnexpectedContent", e.Code)
			assert.Contains(t, e.Message, "line 2 is not a JSON object")
			assert.Equal(t, "{}\n", out, "the good first line comes out before the error")
		})
	}
}

func TestLongLineIs400InBoundedMemory(t *testing.T) {
	c, err := transforms.ParseChain(`{"transforms":[{"name":"jsonl-fields","options":{"drop":["x"],"maxLineBytes":1024}}]}`)
	require.NoError(t, err)
	// An endless line: the transform must give up after about maxLineBytes
	// plus its read buffer, not read on.
	src := &countingReader{r: endless('a')}
	out, err := c.Apply(context.Background(), &transforms.Object{Header: http.Header{}, Size: -1}, io.MultiReader(strings.NewReader(`{"x":"`), src))
	require.NoError(t, err)
	defer out.Close()
	_, err = io.ReadAll(out)
	var e *s3err.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, http.StatusBadRequest, e.Status)
	assert.Equal(t, "UnexpectedContent", e.Code)
	assert.Contains(t, e.Message, "line 1 is longer than maxLineBytes (1024 bytes)")
	assert.Less(t, src.n, int64(256<<10), "read %d bytes of an endless line", src.n)
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

type endless byte

func (e endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(e)
	}
	return len(p), nil
}

func TestEncodedObjectRefused(t *testing.T) {
	c, err := transforms.ParseChain(drop(`["a"]`))
	require.NoError(t, err)
	obj := &transforms.Object{Header: http.Header{"Content-Encoding": {"gzip"}}, Size: -1}
	_, err = c.Apply(context.Background(), obj, strings.NewReader("\x1f\x8b"))
	var e *s3err.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, http.StatusBadRequest, e.Status)
	assert.Contains(t, e.Message, "gzip-encoded; put a stage that decodes it (such as decompress) before jsonl-fields")
}

func TestDropsByteHeaders(t *testing.T) {
	c, err := transforms.ParseChain(drop(`["a"]`))
	require.NoError(t, err)
	obj := &transforms.Object{Header: http.Header{"Content-Length": {"8"}, "Etag": {`"x"`}, "Content-Type": {"application/x-ndjson"}}, Size: 8}
	out, err := c.Apply(context.Background(), obj, strings.NewReader(`{"a":1}`+"\n"))
	require.NoError(t, err)
	defer out.Close()
	assert.Equal(t, int64(-1), obj.Size)
	assert.Empty(t, obj.Header.Get("Content-Length"))
	assert.Empty(t, obj.Header.Get("Etag"))
	assert.Equal(t, "application/x-ndjson", obj.Header.Get("Content-Type"))
}

func TestSourceErrorPassedOn(t *testing.T) {
	boom := errors.New("connection reset")
	c, err := transforms.ParseChain(drop(`["a"]`))
	require.NoError(t, err)
	out, err := c.Apply(context.Background(), &transforms.Object{Header: http.Header{}, Size: -1},
		io.MultiReader(strings.NewReader("{\"a\":1,\"b\":2}\n{\"a\""), iotest.ErrReader(boom)))
	require.NoError(t, err)
	defer out.Close()
	got, err := io.ReadAll(out)
	assert.ErrorIs(t, err, boom)
	assert.Equal(t, "{\"b\":2}\n", string(got), "the partial second line is not guessed at")
}

func TestOptionsValidation(t *testing.T) {
	for _, tc := range []struct{ options, want string }{
		{``, `give "drop" (fields to remove) or "keep"`},
		{`{}`, `give "drop" (fields to remove) or "keep"`},
		{`{"drop":["a"],"keep":["b"]}`, `give "drop" or "keep", not both`},
		{`{"drop":[]}`, `"drop" is empty`},
		{`{"keep":[]}`, `"keep" is empty`},
		{`{"drop":[""]}`, `"drop" holds an empty field name`},
		{`{"drop":"email"}`, `"drop" must be a list of field names, not a JSON string`},
		{`{"drop":["a"],"maxLineBytes":1.5}`, `"maxLineBytes" must be a whole number of bytes, not a JSON number`},
		{`{"drop":["a"],"maxLineBytes":-1}`, `"maxLineBytes" must be between 1 and 67108864, got -1`},
		{`{"drop":["a"],"maxLineBytes":67108865}`, `"maxLineBytes" must be between 1 and 67108864`},
		{`{"drop":["a"],"onInvalid":"skip"}`, `"onInvalid" must be "fail" or "pass", got "skip"`},
		{`{"drop":["a"],"dorp":["b"]}`, `unknown field "dorp"`},
	} {
		t.Run(tc.options, func(t *testing.T) {
			payload := `{"transforms":[{"name":"jsonl-fields"}]}`
			if tc.options != "" {
				payload = `{"transforms":[{"name":"jsonl-fields","options":` + tc.options + `}]}`
			}
			_, err := transforms.ParseChain(payload)
			var e *s3err.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, http.StatusBadRequest, e.Status)
			assert.Equal(t, "InvalidRequest", e.Code)
			assert.Contains(t, e.Message, `transform 1 ("jsonl-fields")`)
			assert.Contains(t, e.Message, tc.want)
		})
	}
}

func TestNewDirectly(t *testing.T) {
	tr, err := jsonlfields.New(jsonlfields.Options{Keep: []string{"id"}})
	require.NoError(t, err)
	r, err := tr.Apply(context.Background(), &transforms.Object{Header: http.Header{}, Size: -1}, strings.NewReader(`{"id":7,"x":1}`))
	require.NoError(t, err)
	got, err := io.ReadAll(r)
	require.NoError(t, err)
	assert.Equal(t, `{"id":7}`, string(got))
}

func TestCancelledContextStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	tr, err := jsonlfields.New(jsonlfields.Options{Drop: []string{"a"}})
	require.NoError(t, err)
	r, err := tr.Apply(ctx, &transforms.Object{Header: http.Header{}, Size: -1}, strings.NewReader(strings.Repeat("{\"a\":1}\n", 1000)))
	require.NoError(t, err)
	_, err = r.Read(make([]byte, 4))
	require.NoError(t, err)
	cancel()
	_, err = io.ReadAll(r)
	assert.ErrorIs(t, err, context.Canceled)
}

// FuzzDrop checks the top-level walk against encoding/json: for any line
// that is a JSON object, the output is the same object without the dropped
// field.
func FuzzDrop(f *testing.F) {
	for _, seed := range []string{
		`{"a":1,"b":2}`, `{}`, `{ "a" : [1,{"a":"}"}] , "b\"":"x,y" }`, `{"\u0061":1,"b":{"c":[]}}`,
		`{"a":"\\","b":true,"c":null,"d":-1.5e3}`, `[1]`, `{"a":}`, `"a"`,
	} {
		f.Add(seed)
	}
	tr, err := jsonlfields.New(jsonlfields.Options{Drop: []string{"a"}, OnInvalid: "pass"})
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, line string) {
		if strings.ContainsAny(line, "\r\n") {
			return
		}
		r, err := tr.Apply(context.Background(), &transforms.Object{Header: http.Header{}, Size: -1}, strings.NewReader(line))
		require.NoError(t, err)
		out, err := io.ReadAll(r)
		require.NoError(t, err)
		var in map[string]any
		if json.Unmarshal([]byte(line), &in) != nil || in == nil {
			if strings.TrimSpace(line) != "" {
				assert.Equal(t, line, string(out), "a line that is not an object passes unchanged")
			}
			return
		}
		delete(in, "a")
		var got map[string]any
		require.NoError(t, json.Unmarshal(out, &got), "output %q", out)
		assert.Equal(t, in, got)
	})
}

func TestDescriptionMatchesOptions(t *testing.T) {
	if err := transforms.CheckDescription(jsonlfields.Name, jsonlfields.Options{}); err != nil {
		t.Fatal(err)
	}
}
