package deploytest

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func read(t *testing.T, path ...string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(append([]string{root}, path...)...))
	require.NoError(t, err)
	return string(b)
}

// The deployer reads the parameters in deploy/README.md and copies
// samconfig.example.toml: both name the template's parameters, all of
// them, and nothing else.
func TestDocsNameTheTemplateParameters(t *testing.T) {
	params := obj(translate(t)["Parameters"])
	require.NotEmpty(t, params)

	doc := read(t, "deploy", "README.md")
	table := regexp.MustCompile("(?m)^\\| ((?:`[A-Za-z]+`(?:, )?)+) \\|")
	documented := map[string]bool{}
	for _, row := range table.FindAllStringSubmatch(doc, -1) {
		for _, name := range regexp.MustCompile("`([A-Za-z]+)`").FindAllStringSubmatch(row[1], -1) {
			documented[name[1]] = true
		}
	}
	for name := range params {
		assert.True(t, documented[name], "deploy/README.md's table documents %s", name)
	}
	for name := range documented {
		assert.Contains(t, params, name, "deploy/README.md documents %s: the template has it", name)
	}

	toml := read(t, "deploy", "samconfig.example.toml")
	m := regexp.MustCompile(`(?m)^parameter_overrides = "(.*)"$`).FindStringSubmatch(toml)
	require.NotNil(t, m, "samconfig.example.toml has parameter_overrides")
	overrides := map[string]string{}
	for _, kv := range regexp.MustCompile(`(\w+)=\\"([^\\]*)\\"`).FindAllStringSubmatch(m[1], -1) {
		assert.Contains(t, params, kv[1], "samconfig.example.toml sets %s: the template has it", kv[1])
		overrides[kv[1]] = kv[2]
	}
	require.NotEmpty(t, overrides)
	s := deploy(t, overrides)
	assert.Empty(t, s.Rejected, "the example's answers deploy")

	readme := read(t, "README.md")
	for name := range params {
		assert.True(t, strings.Contains(readme, "`"+name+"`"), "README.md names %s", name)
	}
}
