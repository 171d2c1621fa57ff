// Package realclients finds the real S3 clients end-to-end tests run
// (the aws CLI, Python with boto3) and gives them an environment that
// points at one endpoint and nowhere else.
package realclients

import (
	"os"
	"os/exec"
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
