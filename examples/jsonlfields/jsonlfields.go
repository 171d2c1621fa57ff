// Package jsonlfields is a worked example of an olkit plugin: the
// "jsonl-fields" transform removes top-level fields from every line of a
// JSON Lines (NDJSON) object, or keeps only the ones named, so an access
// point can serve a log or export without its personal data.
//
// Importing the package registers the transform:
//
//	import _ "github.com/olkit/olkit/examples/jsonlfields"
//
// and an access point's payload chooses it:
//
//	{"transforms":[{"name":"jsonl-fields","options":{"drop":["email","ssn"]}}]}
//
// Options:
//
//   - "drop": top-level field names to remove from each line; or
//   - "keep": the only top-level field names to keep (exactly one of the two).
//   - "maxLineBytes": the longest line accepted, 1 MiB by default, at most
//     64 MiB. The transform holds one line at a time; a longer line is a
//     400 UnexpectedContent error, never unbounded memory.
//   - "onInvalid": what to do with a line that is not a JSON object:
//     "fail" (the default) answers 400 UnexpectedContent naming the line;
//     "pass" hands the line on unchanged.
//
// Lines are processed one at a time, in order. A line from which nothing is
// removed is handed on byte for byte. Otherwise it is rewritten as a compact
// object of the remaining fields, in their original order and with their
// keys' and values' original text; its line ending ("\n", "\r\n" or none on the last
// line) is kept. Blank lines are handed on. Nested fields are never touched.
//
// A fault found before the first output byte reaches the caller as the S3
// error; one found later (a bad line deep in the object) aborts the
// download, since the status has already been sent.
package jsonlfields

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/olkit/olkit/s3err"
	"github.com/olkit/olkit/transforms"
)

// Name is the name the transform registers under.
const Name = "jsonl-fields"

// Limits on Options.MaxLineBytes.
const (
	DefaultMaxLineBytes = 1 << 20
	MaxMaxLineBytes     = 64 << 20
)

func init() {
	transforms.Register(Name, Factory)
	transforms.Describe(Name, transforms.Description{
		Summary: "Removes top-level fields from every line of a JSON Lines object (or keeps only some).",
		Options: []transforms.Option{
			{Name: "drop", Type: "list of strings", Doc: "top-level fields to remove from every line"},
			{Name: "keep", Type: "list of strings", Doc: "top-level fields to keep, removing the rest; not with drop"},
			{Name: "maxLineBytes", Type: "integer", Doc: "the longest line accepted, 1 to 67108864 bytes (absent: 1048576); a longer one is 400 UnexpectedContent"},
			{Name: "onInvalid", Type: "string", Doc: `a line that is not a JSON object: "fail" (absent: the same; 400 UnexpectedContent) or "pass" (the line goes through as it is)`},
		},
	})
}

// Options are the transform's options, as the payload gives them.
type Options struct {
	Drop         []string `json:"drop,omitempty"`
	Keep         []string `json:"keep,omitempty"`
	MaxLineBytes int      `json:"maxLineBytes,omitempty"`
	OnInvalid    string   `json:"onInvalid,omitempty"`
}

var kinds = map[string]string{
	"drop":         "a list of field names",
	"keep":         "a list of field names",
	"maxLineBytes": "a whole number of bytes",
	"onInvalid":    `"fail" or "pass"`,
}

// Factory builds the transform from the payload's options. Errors name the
// option at fault; the Chain turns them into 400 InvalidRequest.
func Factory(raw json.RawMessage) (transforms.Transform, error) {
	var o Options
	if len(raw) > 0 {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&o); err != nil {
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) && te.Field != "" {
				return nil, fmt.Errorf("options: %q must be %s, not a JSON %s", te.Field, kinds[te.Field], te.Value)
			}
			return nil, fmt.Errorf("options: %v", err)
		}
	}
	return New(o)
}

// New checks o and returns the transform it describes.
func New(o Options) (transforms.Transform, error) {
	switch {
	case o.Drop == nil && o.Keep == nil:
		return nil, errors.New(`options: give "drop" (fields to remove) or "keep" (fields to keep)`)
	case o.Drop != nil && o.Keep != nil:
		return nil, errors.New(`options: give "drop" or "keep", not both`)
	}
	names, option := o.Drop, "drop"
	if o.Keep != nil {
		names, option = o.Keep, "keep"
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("options: %q is empty: name at least one field", option)
	}
	for _, n := range names {
		if n == "" {
			return nil, fmt.Errorf("options: %q holds an empty field name", option)
		}
	}
	switch {
	case o.MaxLineBytes == 0:
		o.MaxLineBytes = DefaultMaxLineBytes
	case o.MaxLineBytes < 0 || o.MaxLineBytes > MaxMaxLineBytes:
		return nil, fmt.Errorf(`options: "maxLineBytes" must be between 1 and %d, got %d`, MaxMaxLineBytes, o.MaxLineBytes)
	}
	switch o.OnInvalid {
	case "":
		o.OnInvalid = "fail"
	case "fail", "pass":
	default:
		return nil, fmt.Errorf(`options: "onInvalid" must be "fail" or "pass", got %q`, o.OnInvalid)
	}
	t := &transform{keep: o.Keep != nil, fields: map[string]bool{}, maxLine: o.MaxLineBytes, pass: o.OnInvalid == "pass"}
	for _, n := range names {
		t.fields[n] = true
	}
	return t, nil
}

type transform struct {
	keep    bool            // fields lists what to keep rather than what to drop
	fields  map[string]bool // read-only once built: safe for concurrent requests
	maxLine int
	pass    bool // hand invalid lines on rather than fail
}

// Apply refuses an encoded object (the bytes are not JSON until a stage
// such as decompress decodes them) and otherwise wraps r. It reads nothing:
// the work happens as the output is read.
func (t *transform) Apply(ctx context.Context, obj *transforms.Object, r io.Reader) (io.Reader, error) {
	if enc := obj.Header.Get("Content-Encoding"); enc != "" && !strings.EqualFold(enc, "identity") {
		return nil, s3err.New(http.StatusBadRequest, "InvalidRequest",
			"%s: the object is %s-encoded; put a stage that decodes it (such as decompress) before %s", Name, enc, Name)
	}
	// obj describes the input (its Size, Content-Length, ETag, checksums).
	// The output's length is unknown until it has been read, so those are
	// left alone: the Chain drops what a byte-changing stage leaves as it
	// was. Content-Type stays true.
	return &reader{t: t, ctx: ctx, src: bufio.NewReaderSize(r, 64<<10)}, nil
}

// reader produces the output one line at a time.
type reader struct {
	t       *transform
	ctx     context.Context
	src     *bufio.Reader
	line    []byte // the current line, at most maxLine bytes plus its ending
	out     []byte // the rewritten line
	pending []byte // output not yet read
	lineNo  int
	err     error // sticky: io.EOF, the source's error, or a fault
}

func (r *reader) Read(p []byte) (int, error) {
	for len(r.pending) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		if err := r.ctx.Err(); err != nil {
			r.err = err
			return 0, err
		}
		r.next()
	}
	n := copy(p, r.pending)
	r.pending = r.pending[n:]
	return n, nil
}

// next reads one line and sets pending to its output, or err.
func (r *reader) next() {
	line, err := r.readLine()
	if err != nil && err != io.EOF {
		// The source failed (or the line is too long): hand the error on
		// as it is, without guessing at a partial line.
		r.err = err
		return
	}
	if len(line) > 0 {
		r.lineNo++
		out, ferr := r.filter(line)
		if ferr != nil {
			r.err = ferr
			return
		}
		r.pending = out
	}
	if err == io.EOF {
		r.err = io.EOF
	}
}

// readLine returns the next line with its ending. It holds at most
// maxLine bytes of content (plus the ending and one buffer's worth of
// read-ahead), whatever the source sends.
func (r *reader) readLine() ([]byte, error) {
	r.line = r.line[:0]
	for {
		chunk, err := r.src.ReadSlice('\n')
		if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
			return nil, err // the source's error, as it is
		}
		r.line = append(r.line, chunk...)
		content, limit := r.line, r.t.maxLine
		switch err {
		case nil:
			content, _ = splitEnding(r.line)
		case bufio.ErrBufferFull:
			limit++ // a final '\r' may be half of a "\r\n"
		}
		if len(content) > limit {
			return nil, s3err.New(http.StatusBadRequest, "UnexpectedContent",
				"%s: line %d is longer than maxLineBytes (%d bytes); raise the option or split the line", Name, r.lineNo+1, r.t.maxLine)
		}
		if err != bufio.ErrBufferFull {
			return r.line, err
		}
	}
}

// filter returns the output for one line (with its ending).
func (r *reader) filter(line []byte) ([]byte, error) {
	content, ending := splitEnding(line)
	trimmed := bytes.TrimSpace(content)
	if len(trimmed) == 0 {
		return line, nil
	}
	out, changed, err := r.rewrite(trimmed)
	switch {
	case err != nil && r.t.pass:
		return line, nil
	case err != nil:
		return nil, s3err.New(http.StatusBadRequest, "UnexpectedContent",
			"%s: line %d is not a JSON object: %v", Name, r.lineNo, err)
	case !changed:
		return line, nil
	}
	r.out = append(out, ending...)
	return r.out, nil
}

func splitEnding(line []byte) (content, ending []byte) {
	switch {
	case bytes.HasSuffix(line, []byte("\r\n")):
		return line[:len(line)-2], line[len(line)-2:]
	case bytes.HasSuffix(line, []byte("\n")):
		return line[:len(line)-1], line[len(line)-1:]
	}
	return line, nil
}

// rewrite checks that obj is one JSON object and writes the fields it
// keeps into r.out, each with its key's and value's original text,
// reporting whether any field was removed. json.Valid does the checking;
// the walk over the top level below relies on it.
func (r *reader) rewrite(obj []byte) ([]byte, bool, error) {
	if !json.Valid(obj) {
		err := json.Unmarshal(obj, new(json.RawMessage)) // says what is wrong, and where
		if err == nil {
			err = errors.New("invalid JSON")
		}
		return nil, false, err
	}
	if obj[0] != '{' {
		return nil, false, fmt.Errorf("found %s, want an object", kind(obj[0]))
	}
	out := append(r.out[:0], '{')
	changed, first := false, true
	i := skipSpace(obj, 1)
	for obj[i] != '}' {
		keyStart := i
		i = skipString(obj, i)
		key := obj[keyStart:i]
		i = skipSpace(obj, skipSpace(obj, i)+1) // past ':'
		valueStart := i
		i = skipValue(obj, i)
		value := obj[valueStart:i]
		if i = skipSpace(obj, i); obj[i] == ',' {
			i = skipSpace(obj, i+1)
		}
		if r.t.fields[unquote(key)] != r.t.keep {
			changed = true
			continue
		}
		if !first {
			out = append(out, ',')
		}
		first = false
		out = append(out, key...)
		out = append(out, ':')
		out = append(out, value...)
	}
	r.out = append(out, '}')
	return r.out, changed, nil
}

func kind(c byte) string {
	switch c {
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 'n':
		return "null"
	case 't', 'f':
		return "a boolean"
	}
	return "a number"
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}

// skipString returns the index after the string literal at b[i].
func skipString(b []byte, i int) int {
	for i++; b[i] != '"'; i++ {
		if b[i] == '\\' {
			i++
		}
	}
	return i + 1
}

// skipValue returns the index after the value at b[i].
func skipValue(b []byte, i int) int {
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for {
			switch b[i] {
			case '"':
				i = skipString(b, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
			i++
		}
	}
	for i < len(b) && !strings.ContainsRune(",}] \t\r\n", rune(b[i])) {
		i++
	}
	return i
}

// unquote returns the text of a JSON string literal.
func unquote(lit []byte) string {
	if bytes.IndexByte(lit, '\\') < 0 {
		return string(lit[1 : len(lit)-1])
	}
	var s string
	json.Unmarshal(lit, &s) // cannot fail: json.Valid checked the object
	return s
}
