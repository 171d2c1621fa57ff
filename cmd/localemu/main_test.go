package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/localemu"
)

func TestFlags(t *testing.T) {
	cfg, addr, _, err := parseFlags(nil)
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1:9000", addr)
	assert.Equal(t, "localemu-data", cfg.DataDir)
	assert.Empty(t, cfg.Credentials, "empty means the test/test default")

	cfg, _, _, err = parseFlags([]string{"--memory", "--credentials", "a:b,c:d"})
	require.NoError(t, err)
	assert.True(t, cfg.Memory)
	assert.Equal(t, map[string]string{"a": "b", "c": "d"}, cfg.Credentials)

	_, _, _, err = parseFlags([]string{"--credentials", "nosecret"})
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
