package main

import (
	"bytes"
	"flag"
	"io"
	"net"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/localemu"
)

func TestFlags(t *testing.T) {
	cfg, addr, _, err := parseFlags(nil, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1:9000", addr)
	assert.Equal(t, "localemu-data", cfg.DataDir)
	assert.Empty(t, cfg.Credentials, "empty means the test/test default")

	cfg, _, _, err = parseFlags([]string{"--memory", "--credentials", "a:b,c:d"}, io.Discard)
	require.NoError(t, err)
	assert.True(t, cfg.Memory)
	assert.Equal(t, map[string]string{"a": "b", "c": "d"}, cfg.Credentials)

	_, _, _, err = parseFlags([]string{"--credentials", "nosecret"}, io.Discard)
	assert.Error(t, err)
}

func TestBanner(t *testing.T) {
	srv, err := localemu.New(localemu.Config{Memory: true})
	require.NoError(t, err)
	var out bytes.Buffer
	banner(&out, srv, "127.0.0.1:9000")
	assert.Contains(t, out.String(), "http://127.0.0.1:9000")
	assert.Contains(t, out.String(), "us-east-1, account 000000000000")
	assert.Contains(t, out.String(), "access keys: test")
}

// TestPortInUse: a taken address is reported with the flag to use and a
// free address to give it, not as a raw bind error.
func TestPortInUse(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer taken.Close()
	addr := taken.Addr().String()
	_, port, _ := net.SplitHostPort(addr)
	p, _ := strconv.Atoi(port)
	// Take the next port too when it is free, so the suggestion must skip it.
	next := net.JoinHostPort("127.0.0.1", strconv.Itoa(p+1))
	if ln, err := net.Listen("tcp", next); err == nil {
		defer ln.Close()
	}

	err = run([]string{"--memory", "--addr", addr}, io.Discard)
	require.Error(t, err)
	m := regexp.MustCompile(`^` + regexp.QuoteMeta(addr) + ` is in use: pick another address with --addr (127\.0\.0\.1:\d+)$`).
		FindStringSubmatch(err.Error())
	require.NotNil(t, m, "got %q", err)
	assert.NotEqual(t, addr, m[1])
	assert.NotEqual(t, next, m[1], "the next port is taken too")
	ln, err := net.Listen("tcp", m[1])
	require.NoError(t, err, "the suggested address was free")
	ln.Close()
}

// TestHelpAndUsageErrors: --help is the usage on the writer given (standard
// output) and flag.ErrHelp, which main turns into status 0; a bad flag is a
// usageError (status 2) that names the way to the usage.
func TestHelpAndUsageErrors(t *testing.T) {
	for _, arg := range []string{"--help", "-h"} {
		var out bytes.Buffer
		err := run([]string{arg}, &out)
		assert.ErrorIs(t, err, flag.ErrHelp)
		for _, want := range []string{"usage: localemu [flags]", "-addr string", "-config string", "aws --endpoint-url", "Docs: "} {
			assert.Contains(t, out.String(), want)
		}
	}
	var out bytes.Buffer
	err := run([]string{"--no-such-flag"}, &out)
	assert.ErrorAs(t, err, new(usageError))
	assert.ErrorContains(t, err, "localemu --help lists the flags")
	assert.Empty(t, out.String())
	assert.ErrorAs(t, run([]string{"--memory", "stray"}, &out), new(usageError))
}
