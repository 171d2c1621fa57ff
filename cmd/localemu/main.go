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

	"github.com/olkit/olkit/localemu"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "localemu:", err)
		os.Exit(1)
	}
}

func run(args []string, out io.Writer) error {
	cfg, addr, err := parseFlags(args)
	if err != nil {
		return err
	}
	srv, err := localemu.New(cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
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

func parseFlags(args []string) (localemu.Config, string, error) {
	fs := flag.NewFlagSet("localemu", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:9000", "address to listen on")
	data := fs.String("data", "localemu-data", "folder of the durable store")
	memory := fs.Bool("memory", false, "keep everything in memory (lost at exit)")
	domain := fs.String("domain", localemu.DefaultDomain, "virtual-host domain: bucket.<domain> names a bucket")
	region := fs.String("region", localemu.DefaultRegion, "region requests must be signed for")
	creds := fs.String("credentials", "", "ACCESS_KEY:SECRET_KEY pairs, comma separated (default test:test)")
	credsFile := fs.String("credentials-file", "", "file of ACCESS_KEY:SECRET_KEY lines")
	if err := fs.Parse(args); err != nil {
		return localemu.Config{}, "", err
	}
	cfg := localemu.Config{DataDir: *data, Memory: *memory, Domain: *domain, Region: *region, Logf: log.Printf}
	spec := *creds
	if *credsFile != "" {
		b, err := os.ReadFile(*credsFile)
		if err != nil {
			return cfg, "", err
		}
		spec += "\n" + string(b)
	}
	m, err := localemu.ParseCredentials(spec)
	if err != nil {
		return cfg, "", err
	}
	cfg.Credentials = m
	return cfg, *addr, nil
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
}
