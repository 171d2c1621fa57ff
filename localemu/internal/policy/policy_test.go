package policy

import (
	"errors"
	"testing"
)

const acct = "000000000000"

var (
	alice = Principal{Account: acct, ARN: "arn:aws:iam::" + acct + ":user/alice", CanonicalID: "aa"}
	bob   = Principal{Account: acct, ARN: "arn:aws:iam::" + acct + ":user/bob", CanonicalID: "bb"}
	anon  = Principal{Anonymous: true}
)

func req(p Principal, action, resource string, ctx map[string][]string) Request {
	return Request{Principal: p, Action: action, Resource: resource, Context: ctx}
}

func TestEvaluate(t *testing.T) {
	publicRead := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`
	bobOnly := `{"Statement":{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::000000000000:user/bob"]},"Action":["s3:Get*","s3:List*"],"Resource":["arn:aws:s3:::b","arn:aws:s3:::b/pub/*"]}}`
	denyHTTP := `{"Statement":[
		{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:*","Resource":"arn:aws:s3:::b/*"},
		{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`
	prefix := `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"000000000000"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::b","Condition":{"StringLike":{"s3:prefix":["home/${x}","docs/*"]}}}]}`
	prefixPlain := `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"000000000000"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::b","Condition":{"StringLike":{"s3:prefix":["docs/*",""]}}}]}`
	notAction := `{"Statement":[{"Effect":"Deny","Principal":"*","NotAction":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`
	notIP := `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":["127.0.0.0/8","::1"]}}}]}`
	ifExists := `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringNotEqualsIfExists":{"s3:x-amz-acl":"private"}}}]}`
	canonical := `{"Statement":[{"Effect":"Allow","Principal":{"CanonicalUser":"bb"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::b/?.txt"}]}`
	forAll := `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"ForAllValues:StringEquals":{"x:tags":["a","b"]}}}]}`
	numeric := `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:ListBucket","Resource":"*","Condition":{"NumericGreaterThan":{"s3:max-keys":10}}}]}`
	null := `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"*","Condition":{"Null":{"s3:x-amz-server-side-encryption":true}}}]}`

	tests := []struct {
		name, policy string
		req          Request
		want         Decision
	}{
		{"anonymous reads a public object", publicRead, req(anon, "s3:GetObject", "arn:aws:s3:::b/k", nil), Allow},
		{"action case does not matter", publicRead, req(anon, "S3:getobject", "arn:aws:s3:::b/k", nil), Allow},
		{"public read is not public write", publicRead, req(anon, "s3:PutObject", "arn:aws:s3:::b/k", nil), NoMatch},
		{"the bucket itself is not b/*", publicRead, req(bob, "s3:GetObject", "arn:aws:s3:::b", nil), NoMatch},
		{"another bucket is not covered", publicRead, req(anon, "s3:GetObject", "arn:aws:s3:::bb/k", nil), NoMatch},
		{"resources are case sensitive", publicRead, req(anon, "s3:GetObject", "arn:aws:s3:::B/k", nil), NoMatch},
		{"named user with action wildcard", bobOnly, req(bob, "s3:GetObjectTagging", "arn:aws:s3:::b/pub/x", nil), Allow},
		{"named user, other prefix", bobOnly, req(bob, "s3:GetObject", "arn:aws:s3:::b/private/x", nil), NoMatch},
		{"other user not named", bobOnly, req(alice, "s3:GetObject", "arn:aws:s3:::b/pub/x", nil), NoMatch},
		{"anonymous not an AWS user", bobOnly, req(anon, "s3:ListBucket", "arn:aws:s3:::b", nil), NoMatch},
		{"explicit deny wins over allow", denyHTTP, req(bob, "s3:GetObject", "arn:aws:s3:::b/k", map[string][]string{"aws:securetransport": {"false"}}), Deny},
		{"TLS passes the deny", denyHTTP, req(bob, "s3:GetObject", "arn:aws:s3:::b/k", map[string][]string{"aws:securetransport": {"true"}}), Allow},
		{"policy variables are refused at parse", prefix, Request{}, NoMatch},
		{"s3:prefix matches", prefixPlain, req(alice, "s3:ListBucket", "arn:aws:s3:::b", map[string][]string{"s3:prefix": {"docs/2024/"}}), Allow},
		{"s3:prefix empty allowed", prefixPlain, req(alice, "s3:ListBucket", "arn:aws:s3:::b", map[string][]string{"s3:prefix": {""}}), Allow},
		{"s3:prefix outside", prefixPlain, req(alice, "s3:ListBucket", "arn:aws:s3:::b", map[string][]string{"s3:prefix": {"home/"}}), NoMatch},
		{"missing key fails a positive operator", prefixPlain, req(alice, "s3:ListBucket", "arn:aws:s3:::b", nil), NoMatch},
		{"account id principal covers its users", prefixPlain, req(bob, "s3:ListBucket", "arn:aws:s3:::b", map[string][]string{"s3:prefix": {"docs/"}}), Allow},
		{"NotAction denies the rest", notAction, req(alice, "s3:DeleteObject", "arn:aws:s3:::b/k", nil), Deny},
		{"NotAction leaves the named one", notAction, req(alice, "s3:GetObject", "arn:aws:s3:::b/k", nil), NoMatch},
		{"NotIpAddress denies outside", notIP, req(alice, "s3:GetObject", "arn:aws:s3:::b/k", map[string][]string{"aws:sourceip": {"10.1.2.3"}}), Deny},
		{"NotIpAddress lets loopback", notIP, req(alice, "s3:GetObject", "arn:aws:s3:::b/k", map[string][]string{"aws:sourceip": {"127.0.0.1"}}), NoMatch},
		{"NotIpAddress lets v6 loopback", notIP, req(alice, "s3:GetObject", "arn:aws:s3:::b/k", map[string][]string{"aws:sourceip": {"::1"}}), NoMatch},
		{"negated operator with missing key holds", notIP, req(alice, "s3:GetObject", "arn:aws:s3:::b/k", nil), Deny},
		{"IfExists with key absent holds", ifExists, req(alice, "s3:PutObject", "arn:aws:s3:::b/k", nil), Deny},
		{"IfExists with matching key", ifExists, req(alice, "s3:PutObject", "arn:aws:s3:::b/k", map[string][]string{"s3:x-amz-acl": {"private"}}), NoMatch},
		{"IfExists with other value", ifExists, req(alice, "s3:PutObject", "arn:aws:s3:::b/k", map[string][]string{"s3:x-amz-acl": {"public-read"}}), Deny},
		{"canonical user and ? wildcard", canonical, req(bob, "s3:PutObject", "arn:aws:s3:::b/é.txt", nil), Allow},
		{"? is exactly one character", canonical, req(bob, "s3:PutObject", "arn:aws:s3:::b/ab.txt", nil), NoMatch},
		{"ForAllValues with subset", forAll, req(alice, "s3:GetObject", "arn:aws:s3:::b/k", map[string][]string{"x:tags": {"a"}}), Allow},
		{"ForAllValues with extra", forAll, req(alice, "s3:GetObject", "arn:aws:s3:::b/k", map[string][]string{"x:tags": {"a", "c"}}), NoMatch},
		{"numeric", numeric, req(alice, "s3:ListBucket", "arn:aws:s3:::b", map[string][]string{"s3:max-keys": {"1000"}}), Deny},
		{"numeric below", numeric, req(alice, "s3:ListBucket", "arn:aws:s3:::b", map[string][]string{"s3:max-keys": {"5"}}), NoMatch},
		{"Null true when absent", null, req(alice, "s3:PutObject", "arn:aws:s3:::b/k", nil), Deny},
		{"Null true when present", null, req(alice, "s3:PutObject", "arn:aws:s3:::b/k", map[string][]string{"s3:x-amz-server-side-encryption": {"AES256"}}), NoMatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse([]byte(tt.policy))
			if tt.name == "policy variables are refused at parse" {
				if !errors.Is(err, ErrUnsupported) {
					t.Fatalf("Parse = %v, want ErrUnsupported", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := p.Evaluate(tt.req); got != tt.want {
				t.Errorf("Evaluate = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseRefuses(t *testing.T) {
	tests := []struct {
		name, doc   string
		unsupported bool
	}{
		{"not JSON", `{`, false},
		{"no statement", `{"Version":"2012-10-17"}`, false},
		{"bad effect", `{"Statement":[{"Effect":"Maybe","Principal":"*","Action":"s3:*","Resource":"*"}]}`, false},
		{"no principal", `{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`, false},
		{"string principal not *", `{"Statement":[{"Effect":"Allow","Principal":"bob","Action":"s3:*","Resource":"*"}]}`, false},
		{"both Action and NotAction", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","NotAction":"s3:Get*","Resource":"*"}]}`, false},
		{"non-s3 action", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"ec2:*","Resource":"*"}]}`, false},
		{"non-s3 resource", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:sqs:::q"}]}`, false},
		{"unknown field", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*","Extra":1}]}`, false},
		{"bad version", `{"Version":"2020-01-01","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}`, false},
		{"bad operator", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"StringSorta":{"a":"b"}}}]}`, false},
		{"bad bool value", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"yes"}}}]}`, false},
		{"bad CIDR", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"300.1.1.1"}}}]}`, false},
		{"NotPrincipal", `{"Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":"*"},"Action":"s3:*","Resource":"*"}]}`, true},
		{"service principal", `{"Statement":[{"Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},"Action":"s3:PutObject","Resource":"*"}]}`, true},
		{"date operator", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}}]}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.doc))
			if err == nil {
				t.Fatal("Parse accepted it")
			}
			if errors.Is(err, ErrUnsupported) != tt.unsupported {
				t.Errorf("Parse = %v; unsupported want %v", err, tt.unsupported)
			}
		})
	}
}

func TestWildcard(t *testing.T) {
	for _, tt := range []struct {
		p, s string
		want bool
	}{
		{"*", "", true}, {"a*c", "abbbc", true}, {"a*c", "abbb", false}, {"a?c", "abc", true},
		{"a?c", "ac", false}, {"*.txt", "x/y.txt", true}, {"a**b", "ab", true}, {"", "", true}, {"", "a", false},
		{"arn:aws:s3:::b/*/x", "arn:aws:s3:::b/1/2/x", true},
	} {
		if got := Wildcard(tt.p, tt.s); got != tt.want {
			t.Errorf("Wildcard(%q, %q) = %v", tt.p, tt.s, got)
		}
	}
}

// FuzzParse checks the parser never panics and that what it accepts
// evaluates without panicking.
func FuzzParse(f *testing.F) {
	f.Add(`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`)
	f.Add(`{"Statement":{"Effect":"Deny","Principal":{"AWS":["000000000000"]},"NotAction":["s3:*"],"NotResource":"*","Condition":{"ForAnyValue:StringLikeIfExists":{"s3:prefix":["a*",1,true]},"Null":{"k":"true"}}}}`)
	f.Fuzz(func(t *testing.T, doc string) {
		p, err := Parse([]byte(doc))
		if err != nil {
			return
		}
		for _, pr := range []Principal{anon, alice} {
			p.Evaluate(req(pr, "s3:GetObject", "arn:aws:s3:::b/k", map[string][]string{"s3:prefix": {"a"}, "k": {"1"}, "aws:sourceip": {"1.2.3.4"}}))
		}
	})
}
