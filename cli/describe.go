package cli

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/olkit/olkit/transforms"
)

// listTransforms is `olkit transforms [-v] [NAME...]`: the names alone (one
// a line, for scripts), or with -v or names given, each transform's
// description and options. One command rather than a separate `describe`
// verb: naming transforms narrows the same listing, in the same format.
func listTransforms(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("olkit transforms", flag.ContinueOnError)
	fs.SetOutput(stderr)
	verbose := fs.Bool("v", false, "describe each transform and its options")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: olkit transforms [-v] [NAME...]\n")
		fs.PrintDefaults()
	}
	if slices.ContainsFunc(args, isHelpFlag) {
		fs.SetOutput(stdout)
		fs.Usage()
		return 0
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	names := fs.Args()
	registered := transforms.Names()
	for _, n := range names {
		if !slices.Contains(registered, n) {
			fmt.Fprintf(stderr, "olkit transforms: unknown transform %q (this build has %s)\n", n, strings.Join(registered, ", "))
			return 2
		}
	}
	if len(names) == 0 {
		if !*verbose {
			for _, n := range registered {
				fmt.Fprintln(stdout, n)
			}
			return 0
		}
		names = registered
	}
	for i, n := range names {
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		WriteDescription(stdout, n)
	}
	return 0
}

// WriteDescription writes what `olkit transforms -v` says of the
// transform registered under name: its summary, then each option with its
// type, default and meaning, wrapped for an 80-column terminal. The
// README's list of built-ins is this text.
func WriteDescription(w io.Writer, name string) {
	d, ok := transforms.Described(name)
	if !ok {
		fmt.Fprintf(w, "%s\n  (no description registered)\n", name)
		return
	}
	fmt.Fprintf(w, "%s\n%s", name, wrap(d.Summary, "  ", 80))
	if len(d.Options) == 0 {
		fmt.Fprintln(w, "  no options")
		return
	}
	fmt.Fprintln(w)
	for _, o := range d.Options {
		head := o.Type
		if o.Default != "" {
			head += ", default " + o.Default + humanBytes(o)
		}
		fmt.Fprintf(w, "  %s  %s\n%s", o.Name, head, wrap(o.Doc, "      ", 80))
	}
}

// humanBytes spells a default counted in bytes in KiB, MiB or GiB, when it
// is a whole number of them.
func humanBytes(o transforms.Option) string {
	if !strings.Contains(o.Type, "bytes") {
		return ""
	}
	n, err := strconv.ParseInt(o.Default, 10, 64)
	if err != nil || n <= 0 {
		return ""
	}
	for _, u := range []struct {
		size int64
		name string
	}{{1 << 30, "GiB"}, {1 << 20, "MiB"}, {1 << 10, "KiB"}} {
		if n >= u.size && n%u.size == 0 {
			return fmt.Sprintf(" (%d %s)", n/u.size, u.name)
		}
	}
	return ""
}

// wrap fills text into lines of at most width columns (a longer word
// stands alone), each starting with indent and ending with a newline.
func wrap(text, indent string, width int) string {
	var b strings.Builder
	line := indent
	for _, word := range strings.Fields(text) {
		if line != indent && len(line)+1+len(word) > width {
			b.WriteString(line + "\n")
			line = indent
		}
		if line != indent {
			line += " "
		}
		line += word
	}
	if line != indent {
		b.WriteString(line + "\n")
	}
	return b.String()
}
