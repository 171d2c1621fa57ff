// Package realclients finds the real S3 clients end-to-end tests run
// (the aws CLI, Python with boto3) and gives them an environment that
// points at one endpoint and nowhere else.
package realclients

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Need finds a client program that passes check (its arguments run as a
// probe). A missing client skips the test, unless OLKIT_REQUIRE_CLIENTS=1
// (as .ci/run sets), when it fails it.
func Need(t testing.TB, name string, check ...string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil && len(check) > 0 {
		err = exec.Command(path, check...).Run()
	}
	if err != nil {
		if os.Getenv("OLKIT_REQUIRE_CLIENTS") == "1" {
			t.Fatalf("%s is required (OLKIT_REQUIRE_CLIENTS=1) but not usable: %v", name, err)
		}
		t.Skipf("%s is not usable here (%v); set OLKIT_REQUIRE_CLIENTS=1 to make this a failure", name, err)
	}
	return path
}

// Env is the process environment less every AWS_ setting (but the CA
// bundle), plus endpoint, credentials and region, with no config or
// credentials file and no instance metadata.
func Env(endpoint, accessKey, secretKey, region string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") || strings.HasPrefix(kv, "AWS_CA_BUNDLE=") {
			env = append(env, kv)
		}
	}
	return append(env,
		"AWS_ENDPOINT_URL="+endpoint,
		"AWS_ACCESS_KEY_ID="+accessKey,
		"AWS_SECRET_ACCESS_KEY="+secretKey,
		"AWS_DEFAULT_REGION="+region,
		"AWS_REGION="+region,
		"AWS_CONFIG_FILE=/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE=/dev/null",
		"AWS_EC2_METADATA_DISABLED=true",
	)
}

// NpmInstall copies a Node.js project's files (package.json,
// package-lock.json, scripts) from dir into a temporary folder, runs
// `npm ci` there from the lock file, and returns that folder. Without node
// or npm, or when npm cannot install (no registry), the test skips, unless
// OLKIT_REQUIRE_CLIENTS=1, when it fails.
func NpmInstall(t testing.TB, dir string, files ...string) string {
	t.Helper()
	Need(t, "node", "--version")
	npm := Need(t, "npm", "--version")
	tmp := t.TempDir()
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatalf("realclients: %v", err)
		}
		if err := os.WriteFile(filepath.Join(tmp, f), data, 0o755); err != nil {
			t.Fatalf("realclients: %v", err)
		}
	}
	install := exec.Command(npm, "ci", "--no-audit", "--no-fund", "--loglevel=error")
	install.Dir = tmp
	if out, err := install.CombinedOutput(); err != nil {
		if os.Getenv("OLKIT_REQUIRE_CLIENTS") == "1" {
			t.Fatalf("npm ci in a copy of %s: %v\n%s", dir, err, out)
		}
		t.Skipf("npm ci failed (%v); set OLKIT_REQUIRE_CLIENTS=1 to make this a failure", err)
	}
	return tmp
}
