// Package cli is the olkit command line: it applies a transform chain to
// local data, so a chain can be tried on files without AWS:
//
//	olkit run --payload '{"transforms":[{"name":"identity"}]}' --key report.csv < in > out
//	olkit transforms
//
// The payload is the same JSON an access point's payload holds; without
// --payload the OLKIT_TRANSFORMS environment variable is used, and without
// either the chain is the identity. Errors go to standard error with the S3
// status and code the caller of an access point would see, and the exit
// status is non-zero. The transforms are whatever the program registered:
// cmd/olkit has the built-ins; a plugin's own CLI imports its package too.
package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strings"

	"github.com/olkit/olkit/s3err"
	"github.com/olkit/olkit/serve"
)

// Main runs the CLI on the process's arguments and streams and exits with
// its status. A plugin's own CLI is its imports and one line:
//
//	func main() { cli.Main() }
func Main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `olkit: try an olkit transform chain on local files, without AWS.

usage:
  olkit run [--payload JSON] [--key NAME] [--query Q] [--header 'Name: value']... [--show-headers] < in > out
  olkit transforms [-v] [NAME...]
  olkit help

run         streams standard input through the chain to standard output, as
            an Object Lambda access point with that payload would serve it;
            errors print the S3 status and code its caller would get
transforms  lists the transforms this build has; -v, or naming some,
            describes each with its options

Environment:
  OLKIT_TRANSFORMS  the payload when --payload is not given (as the Lambda
                    function reads it); without either the chain is the identity

Docs: ` + DocsURL + ` ("Trying a chain on local files", "Built-in transforms").
`

// Run is the whole program, its streams passed in so tests can drive it; it
// returns the exit status.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "run":
		return runChain(ctx, args[1:], stdin, stdout, stderr)
	case "transforms":
		return listTransforms(args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "olkit: unknown command %q\n%s", args[0], usage)
	return 2
}

// headerFlags collects repeated --header values.
type headerFlags http.Header

func (h headerFlags) String() string { return "" }

func (h headerFlags) Set(v string) error {
	name, value, ok := strings.Cut(v, ":")
	if !ok || strings.TrimSpace(name) == "" {
		return fmt.Errorf("want 'Name: value', got %q", v)
	}
	http.Header(h).Add(textproto.TrimString(name), textproto.TrimString(value))
	return nil
}

func runChain(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("olkit run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: olkit run [flags] < in > out\n")
		fs.PrintDefaults()
	}
	payload := fs.String("payload", os.Getenv("OLKIT_TRANSFORMS"), "the chain, as an access point payload (default $OLKIT_TRANSFORMS)")
	key := fs.String("key", "", "the object key the chain sees (its suffix can choose a format or type)")
	query := fs.String("query", "", "the caller's query string the chain sees, e.g. file_name=a.csv")
	show := fs.Bool("show-headers", false, "print the output's headers to standard error")
	header := headerFlags{}
	fs.Var(header, "header", "an original object header, 'Name: value' (repeatable)")
	if slices.ContainsFunc(args, isHelpFlag) {
		fs.SetOutput(stdout) // asked for: standard output, and success
		fs.Usage()
		return 0
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "olkit run: unexpected argument %q: input is read from standard input\n", fs.Arg(0))
		return 2
	}
	q, err := url.ParseQuery(*query)
	if err != nil {
		fmt.Fprintf(stderr, "olkit run: --query: %v\n", err)
		return 2
	}
	chain, opts, e := serve.ParsePayload(*payload)
	if e != nil {
		return fail(stderr, e)
	}
	origin := &localOrigin{r: stdin, header: http.Header(header), size: -1}
	if f, ok := stdin.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			// A file redirected to stdin can be read at any offset (a ZIP
			// needs its directory, at the end), from where it stands.
			if pos, err := f.Seek(0, io.SeekCurrent); err == nil {
				origin.size = fi.Size() - pos
				origin.src = io.NewSectionReader(f, pos, origin.size)
			}
		}
	}
	resp, err := serve.Serve(ctx, &serve.Request{Method: http.MethodGet, Key: *key, Query: q, Header: http.Header{},
		Chain: chain, Options: opts, Origin: origin})
	if err != nil {
		return fail(stderr, err)
	}
	defer resp.Close()
	w := bufio.NewWriterSize(stdout, 64<<10)
	if _, err := io.Copy(w, resp.Body); err != nil {
		w.Flush()
		return fail(stderr, err)
	}
	if err := w.Flush(); err != nil {
		return fail(stderr, fmt.Errorf("writing standard output: %w", err))
	}
	if *show {
		printHeaders(stderr, resp)
	}
	return 0
}

// localOrigin is the original read from standard input: a stream, with
// random access when it is a regular file.
type localOrigin struct {
	r      io.Reader
	header http.Header
	size   int64
	src    *io.SectionReader
}

func (o *localOrigin) Fetch(context.Context, serve.Fetch) (*serve.Original, error) {
	return &serve.Original{Status: http.StatusOK, Header: o.header, Size: o.size, Body: io.NopCloser(o.r)}, nil
}

func (o *localOrigin) Open(context.Context, string, int64) (serve.Source, error) {
	if o.src == nil {
		return nil, nil
	}
	return nopSource{o.src}, nil
}

type nopSource struct{ *io.SectionReader }

func (nopSource) Close() error { return nil }

func printHeaders(w io.Writer, resp *serve.Response) {
	names := make([]string, 0, len(resp.Header))
	for n := range resp.Header {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		fmt.Fprintf(w, "%s: %s\n", n, strings.Join(resp.Header[n], ", "))
	}
	if resp.Size >= 0 {
		fmt.Fprintf(w, "Content-Length: %d\n", resp.Size)
	}
}

// fail prints err as the S3 error an access point's caller would get.
func fail(stderr io.Writer, err error) int {
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(stderr, "olkit: interrupted")
		return 130
	}
	e := s3err.From(err)
	fmt.Fprintf(stderr, "olkit: %d %s: %s\n", e.Status, e.Code, strings.TrimPrefix(e.Message, "olkit: "))
	return 1
}
