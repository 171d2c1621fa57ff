package deploytest

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// What a sample deployment resolves to, for the expressions only AWS
// fills in.
var sampleAttrs = map[string]string{
	"AWS::StackId":                      "arn:aws:cloudformation:us-east-1:123456789012:stack/My-Stack/1c2fa620-982a-11e3-aff7-50e2416294e0",
	"AWS::StackName":                    "My-Stack",
	"AWS::Partition":                    "aws",
	"AWS::Region":                       "us-east-1",
	"AWS::AccountId":                    "123456789012",
	"OlkitUrlFunctionUrl.FunctionUrl":   "https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws/",
	"OlkitDistribution":                 "E1PDK09ESKHJWT",
	"OlkitDistribution.DomainName":      "d111111abcdef8.cloudfront.net",
	"OlkitOriginAccessControl.Id":       "E2QWRUHAPOMQZL",
	"OlkitCachePolicy":                  "2766f7b2-75c5-41c6-8f06-bf4303a2f2f5",
	"OlkitUrlFunction":                  "My-Stack-OlkitUrlFunction-AbCdEf123456",
	"OlkitUrlFunction.Arn":              "arn:aws:lambda:us-east-1:123456789012:function:My-Stack-OlkitUrlFunction-AbCdEf123456",
	"OlkitFunction.Arn":                 "arn:aws:lambda:us-east-1:123456789012:function:My-Stack-OlkitFunction-AbCdEf123456",
	"DataBucket":                        "my-stack-databucket-1a2b3c4d5e6f",
	"SupportingAccessPoint.Arn":         "arn:aws:s3:us-east-1:123456789012:accesspoint/olkit-supporting",
	"DecompressAccessPoint.Arn":         "arn:aws:s3-object-lambda:us-east-1:123456789012:accesspoint/olkit-decompress",
	"DecompressAccessPoint.Alias.Value": "olkit-decompress-abc--ol-s3",
}

func TestStackPerParameters(t *testing.T) {
	objectLambda := []string{"DataBucket", "OlkitFunction", "OlkitFunctionRole", "SupportingAccessPoint",
		"DecompressAccessPoint", "RedactAccessPoint", "PiiAccessControlAccessPoint"}
	functionURL := []string{"DataBucket", "OlkitUrlFunction", "OlkitUrlFunctionRole", "OlkitUrlFunctionUrl"}
	cloudFront := append(slices.Clone(functionURL), "OlkitOriginAccessControl", "OlkitCachePolicy", "OlkitDistribution",
		"CloudFrontInvokeFunctionUrlPermission", "CloudFrontInvokeFunctionPermission")
	for _, tc := range []struct {
		name      string
		params    map[string]string
		resources []string
		outputs   []string
	}{
		{"defaults: Object Lambda", nil, objectLambda,
			[]string{"BucketName", "DecompressAccessPointArn", "DecompressAccessPointAlias", "RedactAccessPointArn",
				"RedactAccessPointAlias", "PiiAccessControlAccessPointArn", "PiiAccessControlAccessPointAlias",
				"ObjectLambdaFunctionArn", "SupportingAccessPointArn"}},
		{"an existing bucket", map[string]string{"BucketName": "my-bucket"}, objectLambda[1:], nil},
		{"function URL", map[string]string{"UseObjectLambda": "false"}, functionURL,
			[]string{"BucketName", "FunctionUrl", "UrlFunctionArn"}},
		{"function URL and CloudFront", map[string]string{"UseObjectLambda": "false", "UseCloudFront": "true"}, cloudFront,
			[]string{"BucketName", "FunctionUrl", "UrlFunctionArn", "DistributionUrl", "DistributionId"}},
		{"CloudFront with signed URLs", map[string]string{"UseObjectLambda": "false", "UseCloudFront": "true",
			"CloudFrontKeyGroupId": "b8ba0c9d-1111-2222-3333-444455556666"}, cloudFront, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := deploy(t, tc.params)
			assert.Empty(t, s.Rejected, "CloudFormation accepts the parameters")
			assert.ElementsMatch(t, tc.resources, slices.Collect(maps.Keys(s.Resources)))
			if tc.outputs != nil {
				assert.ElementsMatch(t, tc.outputs, slices.Collect(maps.Keys(s.Outputs)))
			}
		})
	}
}

func TestCloudFrontNeedsTheFunctionURL(t *testing.T) {
	s := deploy(t, map[string]string{"UseCloudFront": "true"})
	assert.Equal(t, []string{"CloudFrontNeedsTheFunctionUrl"}, s.Rejected,
		"with Object Lambda, UseCloudFront is refused before anything is created, not silently ignored")
}

// SAM adds no resource policy for an AWS_IAM function URL: callers of the
// account are allowed by their own policies, and nobody else is.
func TestFunctionURLIsIAMOnly(t *testing.T) {
	s := deploy(t, map[string]string{"UseObjectLambda": "false"})
	url := s.Resources["OlkitUrlFunctionUrl"]
	assert.Equal(t, "AWS_IAM", at(url, "Properties", "AuthType"))
	assert.Equal(t, "RESPONSE_STREAM", at(url, "Properties", "InvokeMode"))
	assert.Equal(t, sampleAttrs["OlkitUrlFunction"], s.eval(t, at(url, "Properties", "TargetFunctionArn"), sampleAttrs))
	assert.Empty(t, s.ofType("AWS::Lambda::Permission"), "no resource policy opens the URL")

	fn := s.Resources["OlkitUrlFunction"]
	env := at(fn, "Properties", "Environment", "Variables")
	assert.Equal(t, sampleAttrs["DataBucket"], s.eval(t, at(env, "OLKIT_BUCKET"), sampleAttrs))
	assert.Equal(t, s.params["UrlPayload"], s.eval(t, at(env, "OLKIT_TRANSFORMS"), sampleAttrs))
	out := s.Outputs["FunctionUrl"]
	assert.Equal(t, sampleAttrs["OlkitUrlFunctionUrl.FunctionUrl"], s.eval(t, out["Value"], sampleAttrs))
	assert.Contains(t, out["Description"], "lambda:InvokeFunction ")
	assert.Contains(t, out["Description"], "lambda:InvokeFunctionUrl")
}

// The README says what the function URL's role may do; this is what SAM
// makes of S3ReadPolicy.
func TestFunctionURLRoleReadsTheBucketOnly(t *testing.T) {
	for _, bucket := range []string{"", "my-bucket"} {
		s := deploy(t, map[string]string{"UseObjectLambda": "false", "BucketName": bucket})
		want := bucket
		if want == "" {
			want = sampleAttrs["DataBucket"]
		}
		role := s.Resources["OlkitUrlFunctionRole"]
		var actions, resources []string
		for _, p := range list(at(role, "Properties", "Policies")) {
			for _, st := range list(at(p, "PolicyDocument", "Statement")) {
				require.Equal(t, "Allow", at(st, "Effect"))
				actions = append(actions, strs(at(st, "Action"))...)
				for _, r := range list(at(st, "Resource")) {
					resources = append(resources, s.eval(t, r, sampleAttrs))
				}
			}
		}
		assert.ElementsMatch(t, []string{"s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket", "s3:GetBucketLocation",
			"s3:GetLifecycleConfiguration"}, actions, "the five actions of S3ReadPolicy, as the README lists them")
		assert.ElementsMatch(t, []string{"arn:aws:s3:::" + want, "arn:aws:s3:::" + want + "/*"}, resources)
		assert.Equal(t, []any{"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"},
			at(role, "Properties", "ManagedPolicyArns"), "logs, and nothing else")
	}
}

func TestCloudFrontInFrontOfTheFunctionURL(t *testing.T) {
	s := deploy(t, map[string]string{"UseObjectLambda": "false", "UseCloudFront": "true"})

	oac := at(s.Resources["OlkitOriginAccessControl"], "Properties", "OriginAccessControlConfig")
	assert.Equal(t, "lambda", at(oac, "OriginAccessControlOriginType"))
	assert.Equal(t, "always", at(oac, "SigningBehavior"), "CloudFront signs every request, replacing a viewer's Authorization")
	assert.Equal(t, "sigv4", at(oac, "SigningProtocol"))
	oacName := s.eval(t, at(oac, "Name"), sampleAttrs)
	assert.LessOrEqual(t, len(oacName), 64, "OAC names have at most 64 characters")
	assert.Contains(t, oacName, "1c2fa620-982a-11e3-aff7-50e2416294e0", "unique per stack: OAC names are unique per account")

	dist := at(s.Resources["OlkitDistribution"], "Properties", "DistributionConfig")
	origins := list(at(dist, "Origins"))
	require.Len(t, origins, 1)
	origin := origins[0]
	assert.Equal(t, "abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws", s.eval(t, at(origin, "DomainName"), sampleAttrs),
		"the origin is the function URL's host")
	assert.Equal(t, sampleAttrs["OlkitOriginAccessControl.Id"], s.eval(t, at(origin, "OriginAccessControlId"), sampleAttrs))
	assert.Equal(t, "https-only", at(origin, "CustomOriginConfig", "OriginProtocolPolicy"))
	assert.EqualValues(t, 60, at(origin, "CustomOriginConfig", "OriginReadTimeout"), "as long as the function may run")

	b := at(dist, "DefaultCacheBehavior")
	assert.Equal(t, at(origin, "Id"), at(b, "TargetOriginId"))
	assert.Equal(t, []string{"GET", "HEAD"}, strs(at(b, "AllowedMethods")), "no bodies: through OAC they need x-amz-content-sha256")
	assert.NotEqual(t, "allow-all", at(b, "ViewerProtocolPolicy"))
	assert.Equal(t, false, at(b, "Compress"), "the bytes sent are those the checksum and length describe")
	assert.Nil(t, at(b, "TrustedKeyGroups"), "no key group: no signed URLs required")
	assert.Nil(t, at(b, "ForwardedValues"), "the cache policy decides")
	assert.Equal(t, sampleAttrs["OlkitCachePolicy"], s.eval(t, at(b, "CachePolicyId"), sampleAttrs))

	key := at(s.Resources["OlkitCachePolicy"], "Properties", "CachePolicyConfig", "ParametersInCacheKeyAndForwardedToOrigin")
	assert.Equal(t, "whitelist", at(key, "HeadersConfig", "HeaderBehavior"))
	assert.ElementsMatch(t, []string{"Range", "x-amz-checksum-mode"}, strs(at(key, "HeadersConfig", "Headers")),
		"Range reaches the function and keys the cache; the checksum mode changes the answer's headers")
	assert.Equal(t, "allExcept", at(key, "QueryStringsConfig", "QueryStringBehavior"),
		"partNumber, Range and a transform's own parameters change the answer")
	assert.ElementsMatch(t, []string{"Expires", "Signature", "Key-Pair-Id", "Policy"}, strs(at(key, "QueryStringsConfig", "QueryStrings")),
		"a signed URL's own parameters do not split the cache")
	assert.Equal(t, "none", at(key, "CookiesConfig", "CookieBehavior"))
	assert.Equal(t, false, at(key, "EnableAcceptEncodingGzip"))

	distArn := "arn:aws:cloudfront::123456789012:distribution/E1PDK09ESKHJWT"
	perms := s.ofType("AWS::Lambda::Permission")
	actions := map[string]map[string]any{}
	for _, p := range perms {
		props := obj(p["Properties"])
		actions[props["Action"].(string)] = props
		assert.Equal(t, "cloudfront.amazonaws.com", props["Principal"])
		assert.Equal(t, distArn, s.eval(t, props["SourceArn"], sampleAttrs), "this distribution only")
		assert.Equal(t, sampleAttrs["OlkitUrlFunction"], s.eval(t, props["FunctionName"], sampleAttrs))
	}
	require.ElementsMatch(t, []string{"lambda:InvokeFunctionUrl", "lambda:InvokeFunction"}, slices.Collect(maps.Keys(actions)),
		"new function URLs need both")
	assert.Equal(t, "AWS_IAM", actions["lambda:InvokeFunctionUrl"]["FunctionUrlAuthType"])
	assert.Equal(t, true, actions["lambda:InvokeFunction"]["InvokedViaFunctionUrl"], "the function itself stays closed to CloudFront")

	assert.Equal(t, "https://d111111abcdef8.cloudfront.net/", s.eval(t, s.Outputs["DistributionUrl"]["Value"], sampleAttrs))
	assert.Equal(t, "E1PDK09ESKHJWT", s.eval(t, s.Outputs["DistributionId"]["Value"], sampleAttrs))
}

func TestCloudFrontSignedURLs(t *testing.T) {
	const group = "b8ba0c9d-1111-2222-3333-444455556666"
	s := deploy(t, map[string]string{"UseObjectLambda": "false", "UseCloudFront": "true", "CloudFrontKeyGroupId": group})
	b := at(s.Resources["OlkitDistribution"], "Properties", "DistributionConfig", "DefaultCacheBehavior")
	groups := list(at(b, "TrustedKeyGroups"))
	require.Len(t, groups, 1)
	assert.Equal(t, group, s.eval(t, groups[0], sampleAttrs), "only URLs signed with the group's keys are served")
}

// roleGrants lists a role's inline statements as "action resource
// [condition]" lines.
func roleGrants(t *testing.T, s *stack, role string) []string {
	var grants []string
	for _, p := range list(at(s.Resources[role], "Properties", "Policies")) {
		for _, st := range list(at(p, "PolicyDocument", "Statement")) {
			require.Equal(t, "Allow", at(st, "Effect"))
			resources := list(at(st, "Resource"))
			if resources == nil {
				resources = []any{at(st, "Resource")}
			}
			for _, action := range strs(at(st, "Action")) {
				for _, r := range resources {
					g := action + " " + s.eval(t, r, sampleAttrs)
					if c := at(st, "Condition", "StringEquals", "s3:DataAccessPointArn"); c != nil {
						g += " via " + s.eval(t, c, sampleAttrs)
					}
					grants = append(grants, g)
				}
			}
		}
	}
	return grants
}

// The Object Lambda function may answer, read objects through the
// supporting access point only (a HEAD that must learn a length), and,
// with IndexPrefix, write under that prefix only; the function URL's role
// gains the same write. Without IndexPrefix nothing may write.
func TestRolesReadThroughTheSupportingAccessPointAndWriteOnlyIndexes(t *testing.T) {
	ap := sampleAttrs["SupportingAccessPoint.Arn"]
	bucket := sampleAttrs["DataBucket"]
	read := []string{
		"s3-object-lambda:WriteGetObjectResponse *",
		"s3:GetObject " + ap + "/object/*",
		"s3:GetObject arn:aws:s3:::" + bucket + "/* via " + ap,
	}
	assert.ElementsMatch(t, read, roleGrants(t, deploy(t, nil), "OlkitFunctionRole"))
	assert.ElementsMatch(t, append(read,
		"s3:PutObject "+ap+"/object/olkit-index/*",
		"s3:PutObject arn:aws:s3:::"+bucket+"/olkit-index/* via "+ap,
	), roleGrants(t, deploy(t, map[string]string{"IndexPrefix": "olkit-index/"}), "OlkitFunctionRole"))

	url := roleGrants(t, deploy(t, map[string]string{"UseObjectLambda": "false", "IndexPrefix": "olkit-index/"}), "OlkitUrlFunctionRole")
	assert.Contains(t, url, "s3:PutObject arn:aws:s3:::"+bucket+"/olkit-index/*")
	for _, g := range url {
		if strings.HasPrefix(g, "s3:PutObject") {
			assert.Contains(t, g, "/olkit-index/", "writes only under the prefix")
		}
	}
	// CloudFormation checks AllowedPattern before it creates anything.
	pattern := regexp.MustCompile(fmt.Sprint(at(translate(t), "Parameters", "IndexPrefix", "AllowedPattern")))
	for _, good := range []string{"", "olkit-index/", "a/b.c/"} {
		assert.True(t, pattern.MatchString(good), "IndexPrefix %q is accepted", good)
	}
	for _, bad := range []string{"/olkit-index/", "olkit-index", "a b/", "a//"} {
		assert.False(t, pattern.MatchString(bad), "IndexPrefix %q is refused", bad)
	}
}
