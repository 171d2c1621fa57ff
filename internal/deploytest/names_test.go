package deploytest

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/localemu"
)

// AWS's naming rules (S3 Control API reference, ObjectLambdaAccessPoint
// Name; S3 user guide, "Naming rules for access points"). A name that
// breaks them fails the deploy midway, after other resources exist.
const (
	awsNamePattern   = `^[a-z0-9]([a-z0-9\-]*[a-z0-9])?$`
	olapMin, olapMax = 3, 45 // Object Lambda access points
	apMin, apMax     = 3, 50 // S3 access points
)

var awsName = regexp.MustCompile(awsNamePattern)

// nameSuffix is what an access point's name adds to NamePrefix: its Name
// must be !Sub "${NamePrefix}<suffix>".
func nameSuffix(t *testing.T, ap map[string]any) string {
	t.Helper()
	sub, ok := at(ap, "Properties", "Name", "Fn::Sub").(string)
	require.True(t, ok, "the name is !Sub of NamePrefix, not %v", at(ap, "Properties", "Name"))
	suffix, ok := strings.CutPrefix(sub, "${NamePrefix}")
	require.True(t, ok, "the name starts with NamePrefix: %s", sub)
	require.NotContains(t, suffix, "${", "nothing but NamePrefix varies (a stack name may be anything SAM accepts)")
	return suffix
}

type prefixParam struct {
	pattern        *regexp.Regexp
	raw            string
	minLen, maxLen int
	dflt           string
}

func namePrefix(t *testing.T) prefixParam {
	p := obj(at(translate(t), "Parameters", "NamePrefix"))
	require.NotNil(t, p, "a NamePrefix parameter")
	var pp prefixParam
	pp.raw, _ = p["AllowedPattern"].(string)
	require.NotEmpty(t, pp.raw, "NamePrefix has an AllowedPattern: CloudFormation checks it before creating anything")
	pp.pattern = regexp.MustCompile(pp.raw)
	_, err := fmt.Sscan(fmt.Sprint(p["MinLength"]), &pp.minLen)
	require.NoError(t, err, "NamePrefix has a MinLength")
	_, err = fmt.Sscan(fmt.Sprint(p["MaxLength"]), &pp.maxLen)
	require.NoError(t, err, "NamePrefix has a MaxLength")
	pp.dflt = fmt.Sprint(p["Default"])
	return pp
}

// accepts reports whether CloudFormation accepts prefix for NamePrefix.
func (p prefixParam) accepts(prefix string) bool {
	return p.pattern.MatchString(prefix) && len(prefix) >= p.minLen && len(prefix) <= p.maxLen
}

// Every name the template derives is valid for every NamePrefix that
// CloudFormation accepts, whatever the stack is called: the proof is in
// the lengths and the characters, checked here on the parameter's
// constraints, then on the extreme and odd prefixes themselves.
func TestAccessPointNamesAreValidForEveryAcceptedPrefix(t *testing.T) {
	prefix := namePrefix(t)
	assert.Equal(t, awsNamePattern, prefix.raw,
		"the prefix obeys AWS's own pattern: it starts and ends with a letter or digit, as a name must")
	s := deploy(t, nil)
	samples := []string{prefix.dflt, "a", "0", "a-b", "a--b", "9z", strings.Repeat("a", prefix.maxLen),
		"0" + strings.Repeat("-", prefix.maxLen-2) + "z"}
	attrs := map[string]string{"AWS::StackName": "A-Stack-Name-SAM-Accepts-With-Upper-Case-And-128-Characters" + strings.Repeat("X", 69)}
	for typ, limits := range map[string][2]int{"AWS::S3ObjectLambda::AccessPoint": {olapMin, olapMax}, "AWS::S3::AccessPoint": {apMin, apMax}} {
		aps := s.ofType(typ)
		require.NotEmpty(t, aps, typ)
		for name, ap := range aps {
			suffix := nameSuffix(t, ap)
			assert.Regexp(t, `^-[a-z0-9-]*[a-z0-9]$`, suffix, "%s: the suffix joins with a hyphen and ends with a letter or digit", name)
			assert.LessOrEqual(t, prefix.maxLen+len(suffix), limits[1], "%s: the longest prefix fits", name)
			assert.GreaterOrEqual(t, prefix.minLen+len(suffix), limits[0], "%s: the shortest prefix is long enough", name)
			for _, p := range samples {
				require.True(t, prefix.accepts(p), "sample %q is a prefix CloudFormation accepts", p)
				with := deploy(t, map[string]string{"NamePrefix": p})
				full := with.eval(t, at(with.Resources[name], "Properties", "Name"), attrs)
				assert.Regexp(t, awsName, full, "%s with prefix %q", name, p)
				assert.True(t, len(full) >= limits[0] && len(full) <= limits[1], "%s: %q has %d characters, not %d to %d", name, full, len(full), limits[0], limits[1])
				if typ == "AWS::S3::AccessPoint" {
					assert.False(t, strings.HasSuffix(full, "-s3alias"), "%s: -s3alias is reserved", full)
				}
			}
		}
	}
	for _, bad := range []string{"Olkit", "-olkit", "olkit-", "my_stack", "my.stack", "", strings.Repeat("a", prefix.maxLen+1)} {
		assert.False(t, prefix.accepts(bad), "NamePrefix %q is refused before anything is created", bad)
	}
}

// The template's default chains are the emulator demo's: what a deployer
// tried locally is what the stack serves. The template cannot import Go,
// so this test is what keeps them one.
func TestDefaultChainsAreTheEmulatorDemos(t *testing.T) {
	s := deploy(t, nil)
	byName := map[string]map[string]any{}
	for _, ap := range s.ofType("AWS::S3ObjectLambda::AccessPoint") {
		byName[s.eval(t, at(ap, "Properties", "Name"), sampleAttrs)] = ap
	}
	demo := localemu.DemoSetup().AccessPoints
	require.Len(t, byName, len(demo), "one access point per demo access point")
	for _, d := range demo {
		ap := byName[s.params["NamePrefix"]+"-"+d.Name]
		require.NotNil(t, ap, "the template has the demo's %s access point", d.Name)
		cfg := at(ap, "Properties", "ObjectLambdaConfiguration")
		tc := at(cfg, "TransformationConfigurations", "0")
		assert.Equal(t, d.Payload, s.eval(t, at(tc, "ContentTransformation", "AwsLambda", "FunctionPayload"), sampleAttrs),
			"%s: the default chain is the demo's", d.Name)
		assert.ElementsMatch(t, d.Actions, strs(at(tc, "Actions")), "%s: the same actions go through the function", d.Name)
		assert.ElementsMatch(t, d.AllowedFeatures, strs(at(cfg, "AllowedFeatures")), "%s: the same features", d.Name)
	}
	assert.Equal(t, localemu.DemoDecompress, s.params["UrlPayload"], "the function URL serves the decompress chain")
}
