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
	"github.com/olkit/olkit/transforms"
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

const usage = `usage:
  olkit run [--payload JSON] [--key NAME] [--header 'Name: value']... [--show-headers] < in > out
  olkit transforms
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
		for _, n := range transforms.Names() {
			fmt.Fprintln(stdout, n)
		}
		return 0
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
	payload := fs.String("payload", os.Getenv("OLKIT_TRANSFORMS"), "the chain, as an access point payload (default $OLKIT_TRANSFORMS)")
	key := fs.String("key", "", "the object key the chain sees (its suffix can choose a format or type)")
	query := fs.String("query", "", "the caller's query string the chain sees, e.g. file_name=a.csv")
	show := fs.Bool("show-headers", false, "print the output's headers to standard error")
	header := headerFlags{}
	fs.Var(header, "header", "an original object header, 'Name: value' (repeatable)")
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
	chain, err := transforms.ParseChain(*payload)
	if err != nil {
		return fail(stderr, err)
	}
	obj := &transforms.Object{Key: *key, Header: http.Header(header), Size: -1, Query: q}
	if f, ok := stdin.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			// A file redirected to stdin can be read at any offset (a ZIP
			// needs its directory, at the end), from where it stands.
			if pos, err := f.Seek(0, io.SeekCurrent); err == nil {
				obj.Size = fi.Size() - pos
				obj.Source = io.NewSectionReader(f, pos, obj.Size)
			}
		}
	}
	out, err := chain.Apply(ctx, obj, stdin)
	if err != nil {
		return fail(stderr, err)
	}
	defer out.Close()
	w := bufio.NewWriterSize(stdout, 64<<10)
	if _, err := io.Copy(w, out); err != nil {
		w.Flush()
		return fail(stderr, err)
	}
	if err := w.Flush(); err != nil {
		return fail(stderr, fmt.Errorf("writing standard output: %w", err))
	}
	if *show {
		printHeaders(stderr, obj)
	}
	return 0
}

func printHeaders(w io.Writer, obj *transforms.Object) {
	names := make([]string, 0, len(obj.Header))
	for n := range obj.Header {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		fmt.Fprintf(w, "%s: %s\n", n, strings.Join(obj.Header[n], ", "))
	}
	if obj.Size >= 0 {
		fmt.Fprintf(w, "Content-Length: %d\n", obj.Size)
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
