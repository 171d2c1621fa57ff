package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/cli"
)

var update = flag.Bool("update", false, "rewrite README.md's list of built-in transforms from `olkit transforms -v`")

const (
	readme      = "../../README.md"
	readmeBegin = "<!-- begin: olkit transforms -v -->\n```text\n"
	readmeEnd   = "```\n<!-- end: olkit transforms -v -->"
)

// TestREADMEListsTransforms keeps the README's list of built-in transforms
// equal to what this binary (the built-ins, nothing else) prints for
// `olkit transforms -v`, itself made from the transforms' own descriptions.
// After changing a description: go test ./cmd/olkit -run README -update
func TestREADMEListsTransforms(t *testing.T) {
	var out, errb bytes.Buffer
	require.Equal(t, 0, cli.Run(context.Background(), []string{"transforms", "-v"}, nil, &out, &errb), errb.String())
	b, err := os.ReadFile(readme)
	require.NoError(t, err)
	doc := string(b)
	start, end := strings.Index(doc, readmeBegin), strings.Index(doc, readmeEnd)
	require.True(t, start >= 0 && end > start, "README.md has the markers %q and %q", readmeBegin, readmeEnd)
	start += len(readmeBegin)
	if *update {
		require.NoError(t, os.WriteFile(readme, []byte(doc[:start]+out.String()+doc[end:]), 0o644))
		return
	}
	assert.Equal(t, out.String(), doc[start:end],
		"README.md's built-in transforms differ from `olkit transforms -v`: go test ./cmd/olkit -run README -update")
}

// TestEveryBinaryAnswersHelp builds every command of the repository (cmd/*
// and examples/*/cmd/*) and asks each for --help and -h: usage on standard
// output, nothing on standard error, status 0, and no Lambda environment
// needed. The Lambda functions run with no arguments still start as
// before: outside Lambda that is an error about the missing environment.
func TestEveryBinaryAnswersHelp(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every binary")
	}
	pkgs, err := filepath.Glob("../*/main.go")
	require.NoError(t, err)
	examples, err := filepath.Glob("../../examples/*/cmd/*/main.go")
	require.NoError(t, err)
	pkgs = append(pkgs, examples...)
	require.GreaterOrEqual(t, len(pkgs), 6, "cmd/{bootstrap,funcurl,localemu,olkit} and the examples: %v", pkgs)
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()} // no AWS_LAMBDA_RUNTIME_API, no OLKIT_BUCKET
	for _, main := range pkgs {
		dir := filepath.Dir(main)
		name, _ := filepath.Rel("../..", dir)
		t.Run(name, func(t *testing.T) {
			bin := filepath.Join(t.TempDir(), filepath.Base(dir))
			build := exec.Command("go", "build", "-o", bin, "./"+dir)
			build.Env = append(os.Environ(), "CGO_ENABLED=0")
			b, err := build.CombinedOutput()
			require.NoError(t, err, "go build: %s", b)
			for _, arg := range []string{"--help", "-h"} {
				code, stdout, stderr := runBinary(t, bin, env, arg)
				assert.Equal(t, 0, code, "%s %s: %s", name, arg, stderr)
				assert.Empty(t, stderr, "%s %s", name, arg)
				assert.Contains(t, stdout, filepath.Base(dir)+": ", "%s %s says what it is", name, arg)
				assert.Contains(t, stdout, "Docs: "+cli.DocsURL, "%s %s says where the docs are", name, arg)
			}
			switch filepath.Base(dir) {
			case "bootstrap", "funcurl":
				code, stdout, stderr := runBinary(t, bin, env)
				assert.NotEqual(t, 0, code, "%s with no arguments starts the Lambda runtime", name)
				assert.Empty(t, stdout)
				assert.Regexp(t, `AWS_LAMBDA_RUNTIME_API|OLKIT_BUCKET is not set`, stderr)
			case "olkit":
				code, stdout, stderr := runBinary(t, bin, env)
				assert.Equal(t, 2, code)
				assert.Empty(t, stdout)
				assert.Contains(t, stderr, "usage:")
			}
		})
	}
}

func runBinary(t *testing.T, bin string, env []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	require.NoError(t, ctx.Err(), "%s %v did not exit", bin, args)
	if err != nil {
		var ee *exec.ExitError
		require.ErrorAs(t, err, &ee)
		return ee.ExitCode(), out.String(), errb.String()
	}
	return 0, out.String(), errb.String()
}
