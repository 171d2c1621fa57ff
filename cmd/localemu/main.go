// Command localemu serves the local S3 emulator:
//
//	go run ./cmd/localemu [--addr 127.0.0.1:9000] [--data ./localemu-data | --memory]
//	                      [--domain localhost] [--credentials AK:SK,AK2:SK2] [--credentials-file FILE]
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
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/olkit/olkit/lambda"
	"github.com/olkit/olkit/localemu"

	_ "github.com/olkit/olkit/transforms/builtin"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "localemu:", err)
		os.Exit(1)
	}
}

func run(args []string, out io.Writer) error {
	cfg, addr, setupFile, err := parseFlags(args)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
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

func parseFlags(args []string) (localemu.Config, string, string, error) {
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
	if err := fs.Parse(args); err != nil {
		return localemu.Config{}, "", "", err
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
