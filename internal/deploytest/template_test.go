// Package deploytest checks the SAM template against the code and the
// docs: what cfn-lint cannot know. Some tests read template.yaml as YAML;
// most read it as CloudFormation receives it, translated by the SAM
// translator and evaluated for one set of parameters (cfn_test.go).
package deploytest

import (
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/olkit/olkit/transforms"
	_ "github.com/olkit/olkit/transforms/builtin"
)

const root = "../.."

// node loads template.yaml as a YAML tree: CloudFormation's short tags
// (!Ref, !GetAtt, !Sub) stay readable as tagged nodes.
func load(t *testing.T) *yaml.Node {
	data, err := os.ReadFile(filepath.Join(root, "template.yaml"))
	require.NoError(t, err)
	var doc yaml.Node
	require.NoError(t, yaml.Unmarshal(data, &doc))
	return doc.Content[0]
}

// get walks mapping keys.
func get(n *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		if n == nil || n.Kind != yaml.MappingNode {
			return nil
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				next = n.Content[i+1]
			}
		}
		n = next
	}
	return n
}

// entries lists a mapping's keys and values in order.
func entries(n *yaml.Node) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		out[n.Content[i].Value] = n.Content[i+1]
	}
	return out
}

func resourcesOfType(t *testing.T, tmpl *yaml.Node, typ string) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	for name, r := range entries(get(tmpl, "Resources")) {
		if get(r, "Type").Value == typ {
			out[name] = r
		}
	}
	return out
}

func TestFunctionsBuildFromTheMakefile(t *testing.T) {
	tmpl := load(t)
	makefile, err := os.ReadFile(filepath.Join(root, "Makefile"))
	require.NoError(t, err)
	functions := resourcesOfType(t, tmpl, "AWS::Serverless::Function")
	require.NotEmpty(t, functions)
	assert.Equal(t, "provided.al2023", get(tmpl, "Globals", "Function", "Runtime").Value)
	assert.Equal(t, "60", get(tmpl, "Globals", "Function", "Timeout").Value)
	for name, fn := range functions {
		t.Run(name, func(t *testing.T) {
			require.Equal(t, "makefile", get(fn, "Metadata", "BuildMethod").Value)
			target := "build-" + name
			assert.Regexp(t, regexp.MustCompile(`(?m)^`+target+`:`), string(makefile), "the Makefile has %s", target)
			if testing.Short() {
				t.Skip("builds the binary")
			}
			dir := t.TempDir()
			cmd := exec.Command("make", "-s", target, "ARTIFACTS_DIR="+dir)
			cmd.Dir = root
			out, err := cmd.CombinedOutput()
			require.NoError(t, err, "%s", out)
			f, err := elf.Open(filepath.Join(dir, "bootstrap"))
			require.NoError(t, err, "the target leaves a bootstrap binary")
			defer f.Close()
			assert.Equal(t, elf.EM_AARCH64, f.Machine, "built for arm64, as the template's Architectures say")
		})
	}
}

func TestAccessPointsNameAFunctionAndAValidChain(t *testing.T) {
	tmpl := load(t)
	functions := resourcesOfType(t, tmpl, "AWS::Serverless::Function")
	params := entries(get(tmpl, "Parameters"))
	aps := resourcesOfType(t, tmpl, "AWS::S3ObjectLambda::AccessPoint")
	require.Len(t, aps, 3, "decompress, redact and pii-access-control")
	for name, ap := range aps {
		t.Run(name, func(t *testing.T) {
			cfg := get(ap, "Properties", "ObjectLambdaConfiguration")
			features := map[string]bool{}
			for _, f := range get(cfg, "AllowedFeatures").Content {
				features[f.Value] = true
			}
			for _, f := range []string{"GetObject-Range", "GetObject-PartNumber", "HeadObject-Range", "HeadObject-PartNumber"} {
				assert.True(t, features[f], "allows %s", f)
			}
			assert.Equal(t, "true", get(cfg, "CloudWatchMetricsEnabled").Value)
			tc := get(cfg, "TransformationConfigurations").Content[0]
			var actions []string
			for _, a := range get(tc, "Actions").Content {
				actions = append(actions, a.Value)
			}
			assert.ElementsMatch(t, []string{"GetObject", "HeadObject", "ListObjects", "ListObjectsV2"}, actions)

			lam := get(tc, "ContentTransformation", "AwsLambda")
			arn := get(lam, "FunctionArn")
			require.Equal(t, "!GetAtt", arn.Tag)
			fn := strings.TrimSuffix(arn.Value, ".Arn")
			assert.Contains(t, functions, fn, "names a function of the template")

			payload := get(lam, "FunctionPayload")
			require.Equal(t, "!Ref", payload.Tag)
			param := params[payload.Value]
			require.NotNil(t, param, "the payload is parameter %s", payload.Value)
			_, err := transforms.ParseChain(get(param, "Default").Value)
			assert.NoError(t, err, "the default payload of %s is a chain the function can run", payload.Value)
		})
	}
	url := get(params["UrlPayload"], "Default").Value
	_, err := transforms.ParseChain(url)
	assert.NoError(t, err)
}

// The function URL's config: AWS_IAM, streamed. (What the roles may do is
// tested on the deployed stack, in stack_test.go.)
func TestFunctionURLConfig(t *testing.T) {
	tmpl := load(t)
	url := get(tmpl, "Resources", "OlkitUrlFunction", "Properties", "FunctionUrlConfig")
	assert.Equal(t, "AWS_IAM", get(url, "AuthType").Value)
	assert.Equal(t, "RESPONSE_STREAM", get(url, "InvokeMode").Value)
}
