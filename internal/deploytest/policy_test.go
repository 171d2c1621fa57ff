package deploytest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// deploy/caller-policy.json is what a deployer gives the callers. Its
// placeholders are the stack's outputs (<OutputName>) and the values the
// deployer chose (<NamePrefix>, <Region>, <AccountId>).
func TestCallerPolicy(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(root, "deploy", "caller-policy.json"))
	require.NoError(t, err)
	var policy struct {
		Statement []struct {
			Sid       string
			Effect    string
			Action    any
			Resource  any
			Condition map[string]map[string]any
		}
	}
	require.NoError(t, json.Unmarshal(raw, &policy))

	outputs := map[string]bool{}
	for _, params := range []map[string]string{nil, {"UseObjectLambda": "false"}} {
		for name := range deploy(t, params).Outputs {
			outputs[name] = true
		}
	}
	placeholder := regexp.MustCompile(`<([A-Za-z]+)>`)
	for _, m := range placeholder.FindAllStringSubmatch(string(raw), -1) {
		assert.True(t, outputs[m[1]] || m[1] == "NamePrefix" || m[1] == "Region" || m[1] == "AccountId",
			"<%s> is a stack output or a value the deployer knows", m[1])
	}

	// New function URLs: both actions on the URL function, each with the
	// condition key AWS documents for it.
	url := map[string]map[string]map[string]any{}
	for _, st := range policy.Statement {
		assert.Equal(t, "Allow", st.Effect, st.Sid)
		for _, r := range strs(st.Resource) {
			if r == "<UrlFunctionArn>" {
				for _, a := range strs(st.Action) {
					url[a] = st.Condition
				}
			}
		}
	}
	require.Len(t, url, 2, "lambda:InvokeFunctionUrl and lambda:InvokeFunction on the URL function")
	assert.Equal(t, map[string]map[string]any{"StringEquals": {"lambda:FunctionUrlAuthType": "AWS_IAM"}}, url["lambda:InvokeFunctionUrl"])
	assert.Equal(t, map[string]map[string]any{"Bool": {"lambda:InvokedViaFunctionUrl": "true"}}, url["lambda:InvokeFunction"],
		"InvokeFunction only through the URL, not the Invoke API")

	// The access point pattern matches the names the template makes.
	s := deploy(t, map[string]string{"NamePrefix": "abc"})
	re := regexp.MustCompile(`^` + strings.ReplaceAll(regexp.QuoteMeta(strings.NewReplacer("<Region>", "us-east-1", "<AccountId>", "123456789012", "<NamePrefix>", "abc").Replace(
		"arn:aws:s3-object-lambda:<Region>:<AccountId>:accesspoint/<NamePrefix>-*")), `\*`, `.*`) + `$`)
	assert.Contains(t, string(raw), "accesspoint/<NamePrefix>-*")
	for name, ap := range s.ofType("AWS::S3ObjectLambda::AccessPoint") {
		arn := "arn:aws:s3-object-lambda:us-east-1:123456789012:accesspoint/" + s.eval(t, at(ap, "Properties", "Name"), sampleAttrs)
		assert.Regexp(t, re, arn, name)
	}
}
