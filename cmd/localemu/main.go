// Command localemu serves the local S3 emulator:
//
//	go run ./cmd/localemu [--addr 127.0.0.1:9000] [--data ./localemu-data | --memory]
//	                      [--domain localhost] [--credentials AK:SK,AK2:SK2] [--credentials-file FILE]
//	                      [--config setup.json]
//
// --help prints the usage; when the address is taken it says which --addr
// is free instead.
//
// Point any S3 client at it, e.g.
//
//	AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1 \
//	aws --endpoint-url http://127.0.0.1:9000 s3 ls
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/olkit/olkit/cli"
	"github.com/olkit/olkit/lambda"
	"github.com/olkit/olkit/localemu"

	_ "github.com/olkit/olkit/transforms/builtin"
)

func main() {
	err := run(os.Args[1:], os.Stdout)
	switch {
	case errors.Is(err, flag.ErrHelp):
		// Asked for: the usage went to standard output.
	case errors.As(err, new(usageError)):
		fmt.Fprintln(os.Stderr, "localemu:", err)
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "localemu:", err)
		os.Exit(1)
	}
}

// usageError is a mistake in the command line.
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

func run(args []string, out io.Writer) error {
	cfg, addr, setupFile, err := parseFlags(args, out)
	if err != nil {
		return err
	}
	ln, err := listen(addr)
	if err != nil {
		return err
	}
	cfg.Endpoint = "http://" + ln.Addr().String()
	srv, err := localemu.New(cfg)
	if err != nil {
		return err
	}
	setup := localemu.DemoSetup()
	if setupFile != "" {
		if setup, err = localemu.LoadSetup(setupFile); err != nil {
			return err
		}
	}
	stop, err := srv.Apply(setup, builtin(srv))
	if err != nil {
		return err
	}
	defer stop()
	banner(out, srv, ln.Addr().String())
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 30 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(shut)
	}()
	if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// builtin is the olkit handler with every built-in transform, run in
// process, answering through the emulator's WGOR endpoint.
func builtin(srv *localemu.Server) localemu.Invoker {
	ak := srv.AccessKeys()[0]
	awsCfg := aws.Config{Region: srv.Config.Region, Credentials: credentials.NewStaticCredentialsProvider(ak, srv.Config.Credentials[ak], "")}
	h := lambda.NewForEndpoint(awsCfg, srv.Config.Endpoint)
	return localemu.Func(h.Invoke)
}

// listen listens on addr, and when it cannot, says what to do about it:
// which --addr is free when the port is taken.
func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	switch {
	case err == nil:
		return ln, nil
	case errors.Is(err, syscall.EADDRINUSE):
		return nil, fmt.Errorf("%s is in use: pick another address with --addr %s", addr, freeNear(addr))
	case errors.Is(err, syscall.EACCES):
		return nil, fmt.Errorf("listening on %s needs privileges: pick another address with --addr %s", addr, freeNear(addr))
	}
	return nil, fmt.Errorf("cannot listen on %s (--addr): %w", addr, err)
}

// freeNear finds a port free now on addr's host, among the next ones above
// addr's (9001 for 9000), to suggest; failing that, port 0 (any free port,
// the banner says which).
func freeNear(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return net.JoinHostPort(host, "0")
	}
	p, _ := strconv.Atoi(port)
	for next := max(p+1, 1024); next < min(max(p+1, 1024)+100, 65536); next++ {
		cand := net.JoinHostPort(host, strconv.Itoa(next))
		if ln, err := net.Listen("tcp", cand); err == nil {
			ln.Close()
			return cand
		}
	}
	return net.JoinHostPort(host, "0")
}

const usageText = `localemu: a local S3 and S3 Object Lambda emulator for olkit.

usage: localemu [flags]

It serves the S3 storage API (SigV4, presigned URLs, path style and
BUCKET.<domain> virtual hosts) and Object Lambda access points that run the
real olkit function, so aws-sdk-go-v2, boto3 and the aws CLI work against it
unchanged. Without --config it serves the demo: bucket "demo" and the access
points decompress, redact and pii-access-control (the banner prints their
aliases). Point any S3 client at it:

  AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1 \
  aws --endpoint-url http://127.0.0.1:9000 s3 ls

A function given as a bootstrap binary in --config runs with the environment
Lambda gives it, AWS_LAMBDA_RUNTIME_API and AWS_ENDPOINT_URL_S3 pointing at
the emulator, and the "env" of its entry (OLKIT_TRANSFORMS, ...). The
emulator itself reads no environment variable.

Flags:
`

func parseFlags(args []string, out io.Writer) (localemu.Config, string, string, error) {
	fs := flag.NewFlagSet("localemu", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:9000", "address to listen on")
	data := fs.String("data", "localemu-data", "folder of the durable store")
	memory := fs.Bool("memory", false, "keep everything in memory (lost at exit)")
	domain := fs.String("domain", localemu.DefaultDomain, "virtual-host domain: bucket.<domain> names a bucket")
	region := fs.String("region", localemu.DefaultRegion, "region requests must be signed for")
	creds := fs.String("credentials", "", "ACCESS_KEY:SECRET_KEY pairs, comma separated (default test:test)")
	credsFile := fs.String("credentials-file", "", "file of ACCESS_KEY:SECRET_KEY lines")
	timeout := fs.Duration("function-timeout", 0, "how long an Object Lambda function has to answer, body included (default S3's 60s)")
	setup := fs.String("config", "", "JSON file of buckets, functions and Object Lambda access points (default: the demo)")
	// Parse errors are returned, not printed: main prints them once.
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.SetOutput(out)
		fmt.Fprint(out, usageText)
		fs.PrintDefaults()
		fmt.Fprintf(out, "\nDocs: %s (\"The local emulator\", \"Quickstart\").\n", cli.DocsURL)
		return localemu.Config{}, "", "", err
	case err != nil:
		return localemu.Config{}, "", "", usageError{fmt.Errorf("%w (localemu --help lists the flags)", err)}
	case fs.NArg() > 0:
		return localemu.Config{}, "", "", usageError{fmt.Errorf("unexpected argument %q (localemu --help lists the flags)", fs.Arg(0))}
	}
	cfg := localemu.Config{DataDir: *data, Memory: *memory, Domain: *domain, Region: *region, FunctionTimeout: *timeout, Logf: log.Printf}
	spec := *creds
	if *credsFile != "" {
		b, err := os.ReadFile(*credsFile)
		if err != nil {
			return cfg, "", "", err
		}
		spec += "\n" + string(b)
	}
	m, err := localemu.ParseCredentials(spec)
	if err != nil {
		return cfg, "", "", err
	}
	cfg.Credentials = m
	return cfg, *addr, *setup, nil
}

func banner(out io.Writer, srv *localemu.Server, addr string) {
	c := srv.Config
	where := "disk, in " + c.DataDir
	if c.Memory {
		where = "memory (lost at exit)"
	}
	_, port, _ := net.SplitHostPort(addr)
	fmt.Fprintf(out, "localemu: S3 API on http://%s (virtual hosts: http://BUCKET.%s:%s)\n", addr, c.Domain, port)
	fmt.Fprintf(out, "  store:       %s\n", where)
	fmt.Fprintf(out, "  region:      %s, account %s\n", c.Region, c.AccountID)
	fmt.Fprintf(out, "  access keys: %s\n", strings.Join(srv.AccessKeys(), ", "))
	fmt.Fprintf(out, "  try:         AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=... AWS_REGION=%s aws --endpoint-url http://%s s3 ls\n", srv.AccessKeys()[0], c.Region, addr)
	aps := srv.ObjectLambda.AccessPoints()
	if len(aps) == 0 {
		return
	}
	fmt.Fprintf(out, "Object Lambda access points (alias, wherever a bucket name goes; ARN, for SDKs):\n")
	for _, ap := range aps {
		fmt.Fprintf(out, "  %-20s %s\n  %-20s %s\n", ap.Name, srv.ObjectLambda.Alias(ap.Name), "", srv.ObjectLambda.ARN(ap.Name))
		fmt.Fprintf(out, "  %-20s bucket %s, function %s, payload %s\n", "", ap.Bucket, ap.Function, ap.Payload)
	}
	first := aps[0]
	fmt.Fprintf(out, "  try:         aws --endpoint-url http://%s s3api get-object --bucket %s --key KEY out\n", addr, srv.ObjectLambda.Alias(first.Name))
}
