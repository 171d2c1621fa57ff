package localemu_test

import (
	"bytes"
	"io"
	"os/exec"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/localemu"
	"github.com/olkit/olkit/localemu/emutest"
	"github.com/olkit/olkit/localemu/internal/objectlambda"
)

// twoUsers starts an emulator with keys alice and bob and returns a
// client for each (path style, as boto3 uses with an endpoint).
func twoUsers(t *testing.T, opts ...emutest.Option) (emu *emutest.Emulator, alice, bob *s3.Client) {
	t.Helper()
	opts = append(opts, emutest.WithConfig(func(c *localemu.Config) {
		c.Credentials = map[string]string{"alice": "alice-secret", "bob": "bob-secret"}
	}))
	emu = emutest.New(t, opts...)
	require.Equal(t, "alice", emu.AccessKey)
	path := func(o *s3.Options) { o.UsePathStyle = true }
	alice = s3.NewFromConfig(emu.Config, path)
	bob = s3.NewFromConfig(emu.Config, path, func(o *s3.Options) {
		o.Credentials = credentials.NewStaticCredentialsProvider("bob", "bob-secret", "")
	})
	return emu, alice, bob
}

func anonGet(t *testing.T, emu *emutest.Emulator, path string) (int, string) {
	t.Helper()
	resp, err := emu.HTTPClient.Get(emu.URL + path)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestSecondUserIsShutOut: without a grant, another key can neither read
// nor change anything of the first key's, through any operation.
func TestSecondUserIsShutOut(t *testing.T) {
	emu, alice, bob := twoUsers(t)
	_, err := alice.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("mine")})
	require.NoError(t, err)
	mustPut(t, alice, "mine", "secret.txt", "alice's data")
	_, err = bob.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("bobs")})
	require.NoError(t, err)

	b, k := aws.String("mine"), aws.String("secret.txt")
	denied := map[string]error{}
	_, denied["HeadBucket"] = bob.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: b})
	_, denied["ListObjectsV2"] = bob.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: b})
	_, denied["ListObjectVersions"] = bob.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: b})
	_, denied["GetObject"] = bob.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: k})
	_, denied["HeadObject"] = bob.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: k})
	_, denied["PutObject"] = bob.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("bob.txt"), Body: strings.NewReader("x")})
	_, denied["CopyObject out"] = bob.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("bobs"), Key: k, CopySource: aws.String("mine/secret.txt")})
	_, denied["PutObjectTagging"] = bob.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: b, Key: k, Tagging: &types.Tagging{TagSet: []types.Tag{{Key: aws.String("a"), Value: aws.String("b")}}}})
	_, denied["GetObjectAcl"] = bob.GetObjectAcl(ctx, &s3.GetObjectAclInput{Bucket: b, Key: k})
	_, denied["PutBucketVersioning"] = bob.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: b, VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled}})
	_, denied["PutBucketAcl"] = bob.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: b, ACL: types.BucketCannedACLPublicReadWrite})
	_, denied["PutBucketPolicy"] = bob.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: b, Policy: aws.String(`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::mine/*"}]}`)})
	_, denied["CreateMultipartUpload"] = bob.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: b, Key: aws.String("mp")})
	_, denied["DeleteObject"] = bob.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: k})
	_, denied["DeleteBucket"] = bob.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: b})
	for op, err := range denied {
		assert.Equal(t, 403, httpStatus(err), op)
		if op != "HeadBucket" && op != "HeadObject" {
			assert.Equal(t, "AccessDenied", errCode(err), op)
		}
	}
	del, err := bob.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: b, Delete: &types.Delete{Objects: []types.ObjectIdentifier{{Key: k}}}})
	require.NoError(t, err)
	require.Len(t, del.Errors, 1)
	assert.Equal(t, "AccessDenied", aws.ToString(del.Errors[0].Code))
	assert.Empty(t, del.Deleted)

	// x-amz-expected-bucket-owner names the account (all keys share it).
	_, err = alice.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: b, ExpectedBucketOwner: aws.String("111122223333")})
	assert.Equal(t, 403, httpStatus(err))
	_, err = alice.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: b, ExpectedBucketOwner: aws.String(localemu.DefaultAccountID)})
	assert.NoError(t, err)
	_, err = alice.CopyObject(ctx, &s3.CopyObjectInput{Bucket: b, Key: aws.String("copy"), CopySource: aws.String("mine/secret.txt"), ExpectedSourceBucketOwner: aws.String("111122223333")})
	assert.Equal(t, "AccessDenied", errCode(err))

	// Nothing changed, and bob's listing shows only his bucket.
	assert.Equal(t, "alice's data", mustGet(t, alice, "mine", "secret.txt"))
	v, err := alice.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: b})
	require.NoError(t, err)
	assert.Empty(t, v.Status)
	list, err := bob.ListBuckets(ctx, &s3.ListBucketsInput{})
	require.NoError(t, err)
	require.Len(t, list.Buckets, 1)
	assert.Equal(t, "bobs", aws.ToString(list.Buckets[0].Name))

	// Anonymous requests are refused too; a forged key is not anonymous.
	status, body := anonGet(t, emu, "/mine/secret.txt")
	assert.Equal(t, 403, status)
	assert.Contains(t, body, "<Code>AccessDenied</Code>")
	status, _ = anonGet(t, emu, "/")
	assert.Equal(t, 403, status)
}

// TestGrantsOpenWhatTheySay: canned ACLs, ACL grants and a bucket policy
// each open exactly what they name, and an explicit Deny wins, even over
// the owner.
func TestGrantsOpenWhatTheySay(t *testing.T) {
	emu, alice, bob := twoUsers(t)
	_, err := alice.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("shared")})
	require.NoError(t, err)
	b := aws.String("shared")
	mustPut(t, alice, "shared", "private.txt", "private")
	_, err = alice.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("public.txt"), Body: strings.NewReader("public"), ACL: types.ObjectCannedACLPublicRead})
	require.NoError(t, err)

	// public-read object: anyone reads it, nobody else may list or write.
	status, body := anonGet(t, emu, "/shared/public.txt")
	assert.Equal(t, 200, status)
	assert.Equal(t, "public", body)
	assert.Equal(t, "public", mustGet(t, bob, "shared", "public.txt"))
	status, _ = anonGet(t, emu, "/shared/private.txt")
	assert.Equal(t, 403, status)
	_, err = bob.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: b})
	assert.Equal(t, "AccessDenied", errCode(err))

	// A READ grant on the bucket to bob's canonical id lets him list, not read.
	bobID := ownerID(t, bob)
	_, err = alice.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: b, GrantRead: aws.String(`id="` + bobID + `"`)})
	require.NoError(t, err)
	list, err := bob.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: b})
	require.NoError(t, err)
	assert.Len(t, list.Contents, 2)
	_, err = bob.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: aws.String("private.txt")})
	assert.Equal(t, "AccessDenied", errCode(err))
	_, err = bob.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: aws.String("missing")})
	assert.Equal(t, "NoSuchKey", errCode(err), "who may list learns a key is missing")
	acl, err := alice.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: b})
	require.NoError(t, err)
	require.Len(t, acl.Grants, 2)
	assert.Equal(t, bobID, aws.ToString(acl.Grants[1].Grantee.ID))
	assert.Equal(t, types.PermissionRead, acl.Grants[1].Permission)

	// A WRITE grant lets bob write; he owns what he writes.
	_, err = alice.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: b, GrantWrite: aws.String(`id="` + bobID + `"`)})
	require.NoError(t, err)
	mustPut(t, bob, "shared", "from-bob.txt", "bob wrote")
	assert.Equal(t, "bob wrote", mustGet(t, bob, "shared", "from-bob.txt"))
	_, err = bob.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: b})
	assert.Equal(t, "AccessDenied", errCode(err), "PutBucketAcl replaced the READ grant")

	// A bucket policy: bob may read docs/*; everyone may read pub/*;
	// nobody, the owner included, may delete over plain HTTP.
	mustPut(t, alice, "shared", "docs/a.txt", "doc")
	mustPut(t, alice, "shared", "pub/p.txt", "pub")
	pol := `{"Version":"2012-10-17","Statement":[
	 {"Sid":"BobDocs","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/bob"},"Action":["s3:GetObject*"],"Resource":"arn:aws:s3:::shared/docs/*"},
	 {"Sid":"Public","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::shared/pub/*"},
	 {"Sid":"BobListsDocs","Effect":"Allow","Principal":{"AWS":"bob"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::shared","Condition":{"StringLike":{"s3:prefix":"docs/*"}}},
	 {"Sid":"NoDeleteOverHTTP","Effect":"Deny","Principal":"*","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::shared/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`
	_, err = alice.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: b, Policy: aws.String(pol)})
	assert.Equal(t, "MalformedPolicy", errCode(err), "a bare user name is not a principal")
	pol = strings.Replace(pol, `{"AWS":"bob"}`, `{"AWS":["arn:aws:iam::000000000000:user/bob"]}`, 1)
	_, err = alice.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: b, Policy: aws.String(pol)})
	require.NoError(t, err)
	got, err := alice.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: b})
	require.NoError(t, err)
	assert.JSONEq(t, pol, aws.ToString(got.Policy))

	assert.Equal(t, "doc", mustGet(t, bob, "shared", "docs/a.txt"))
	_, err = bob.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: aws.String("docs/missing.txt")})
	assert.Equal(t, "AccessDenied", errCode(err), "a missing key is 403 to whoever may not list the bucket (bob's ListBucket needs an s3:prefix)")
	status, _ = anonGet(t, emu, "/shared/pub/missing.txt")
	assert.Equal(t, 403, status, "a read grant does not reveal which keys exist")
	_, err = bob.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: aws.String("private.txt")})
	assert.Equal(t, "AccessDenied", errCode(err))
	status, body = anonGet(t, emu, "/shared/pub/p.txt")
	assert.Equal(t, 200, status)
	assert.Equal(t, "pub", body)
	status, _ = anonGet(t, emu, "/shared/docs/a.txt")
	assert.Equal(t, 403, status)
	_, err = bob.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: b, Prefix: aws.String("docs/")})
	assert.NoError(t, err)
	_, err = bob.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: b})
	assert.Equal(t, "AccessDenied", errCode(err), "s3:prefix outside docs/")
	// Copy out of the bucket needs read on the source: bob may copy docs.
	_, err = bob.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("bobs")})
	require.NoError(t, err)
	_, err = bob.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("bobs"), Key: aws.String("a"), CopySource: aws.String("shared/docs/a.txt")})
	assert.NoError(t, err)
	_, err = bob.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("bobs"), Key: aws.String("b"), CopySource: aws.String("shared/private.txt")})
	assert.Equal(t, "AccessDenied", errCode(err))

	_, err = alice.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: aws.String("private.txt")})
	assert.Equal(t, "AccessDenied", errCode(err), "explicit Deny binds the owner")
	// The owner can always remove the policy that locks it out.
	_, err = alice.DeleteBucketPolicy(ctx, &s3.DeleteBucketPolicyInput{Bucket: b})
	require.NoError(t, err)
	_, err = alice.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: aws.String("private.txt")})
	assert.NoError(t, err)
	_, err = alice.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: b})
	assert.Equal(t, "NoSuchBucketPolicy", errCode(err))

	// What the emulator does not evaluate is refused, not stored.
	_, err = alice.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: b, Policy: aws.String(`{"Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":"*"},"Action":"s3:*","Resource":"arn:aws:s3:::shared/*"}]}`)})
	assert.Equal(t, 501, httpStatus(err))
	_, err = alice.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: b, Policy: aws.String(`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::other/*"}]}`)})
	assert.Equal(t, "MalformedPolicy", errCode(err))
}

// TestPolicyOverTLS: aws:SecureTransport is true over HTTPS.
func TestPolicyOverTLS(t *testing.T) {
	_, alice, _ := twoUsers(t, emutest.WithTLS())
	_, err := alice.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("tls")})
	require.NoError(t, err)
	mustPut(t, alice, "tls", "k", "v")
	_, err = alice.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("tls"), Policy: aws.String(
		`{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::tls","arn:aws:s3:::tls/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`)})
	require.NoError(t, err)
	assert.Equal(t, "v", mustGet(t, alice, "tls", "k"))
}

// TestAccessPointChecksTheCaller: an Object Lambda access point over
// alice's bucket refuses bob before the function runs.
func TestAccessPointChecksTheCaller(t *testing.T) {
	emu, alice, bob := twoUsers(t)
	_, err := alice.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("data")})
	require.NoError(t, err)
	mustPut(t, alice, "data", "k", "v")
	require.NoError(t, emu.ObjectLambda.Put(localemuAP("guard", "data")))
	alias := aws.String(emu.ObjectLambda.Alias("guard"))
	_, err = bob.GetObject(ctx, &s3.GetObjectInput{Bucket: alias, Key: aws.String("k")})
	assert.Equal(t, "AccessDenied", errCode(err))
	_, err = bob.PutObject(ctx, &s3.PutObjectInput{Bucket: alias, Key: aws.String("k2"), Body: bytes.NewReader([]byte("x"))})
	assert.Equal(t, "AccessDenied", errCode(err), "pass-through operations too")
	_, err = alice.GetObject(ctx, &s3.GetObjectInput{Bucket: alias, Key: aws.String("k")})
	assert.Equal(t, "LambdaNotFound", errCode(err), "alice gets as far as the (missing) function")
}

// TestAnonymousWithBoto3: botocore's UNSIGNED client reads what a
// public-read ACL and a Principal "*" policy open, and nothing else.
func TestAnonymousWithBoto3(t *testing.T) {
	python := needClient(t, "python3", "-c", "import boto3")
	emu, alice, _ := twoUsers(t)
	_, err := alice.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("web"), ACL: types.BucketCannedACLPublicRead})
	require.NoError(t, err)
	mustPut(t, alice, "web", "index.html", "<h1>hi</h1>")
	script := `
import boto3
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError
anon = boto3.client("s3", config=Config(signature_version=UNSIGNED))
def code(fn):
    try:
        fn()
    except ClientError as e:
        return e.response["Error"]["Code"]
    return "no error"
assert [o["Key"] for o in anon.list_objects_v2(Bucket="web")["Contents"]] == ["index.html"]
assert code(lambda: anon.get_object(Bucket="web", Key="index.html")) == "AccessDenied"
assert code(lambda: anon.put_object(Bucket="web", Key="x", Body=b"x")) == "AccessDenied"
s3 = boto3.client("s3")
s3.put_object_acl(Bucket="web", Key="index.html", ACL="public-read")
assert anon.get_object(Bucket="web", Key="index.html")["Body"].read() == b"<h1>hi</h1>"
acl = s3.get_object_acl(Bucket="web", Key="index.html")
assert [g["Permission"] for g in acl["Grants"]] == ["FULL_CONTROL", "READ"], acl
assert acl["Grants"][1]["Grantee"]["URI"] == "http://acs.amazonaws.com/groups/global/AllUsers"
bob = boto3.client("s3", aws_access_key_id="bob", aws_secret_access_key="bob-secret")
assert code(lambda: bob.get_bucket_acl(Bucket="web")) == "AccessDenied"
print("ok")
`
	cmd := exec.Command(python, "-c", script)
	cmd.Env = append(clientEnv(emu), "AWS_ACCESS_KEY_ID=alice", "AWS_SECRET_ACCESS_KEY=alice-secret")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "ok")
}

// TestPolicyWithAWSCLI sets, reads and deletes a policy with the aws CLI.
func TestPolicyWithAWSCLI(t *testing.T) {
	awscli := needClient(t, "aws", "--version")
	emu, alice, bob := twoUsers(t)
	_, err := alice.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("cli")})
	require.NoError(t, err)
	mustPut(t, alice, "cli", "k", "v")
	run := func(args ...string) (string, error) {
		cmd := exec.Command(awscli, args...)
		cmd.Env = clientEnv(emu)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := run("s3api", "put-bucket-policy", "--bucket", "cli", "--policy",
		`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/bob"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::cli/*"}]}`)
	require.NoError(t, err, out)
	out, err = run("s3api", "get-bucket-policy", "--bucket", "cli")
	require.NoError(t, err, out)
	assert.Contains(t, out, "user/bob")
	assert.Equal(t, "v", mustGet(t, bob, "cli", "k"))
	_, err = bob.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("cli"), Key: aws.String("missing")})
	assert.Equal(t, "AccessDenied", errCode(err), "no s3:ListBucket: a missing key is 403")
	out, err = run("s3api", "put-bucket-policy", "--bucket", "cli", "--policy",
		`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/bob"},"Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::cli","arn:aws:s3:::cli/*"]}]}`)
	require.NoError(t, err, out)
	_, err = bob.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("cli"), Key: aws.String("missing")})
	assert.Equal(t, "NoSuchKey", errCode(err), "with s3:ListBucket: 404")
	out, err = run("s3api", "delete-bucket-policy", "--bucket", "cli")
	require.NoError(t, err, out)
	_, err = bob.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("cli"), Key: aws.String("k")})
	assert.Equal(t, "AccessDenied", errCode(err))
	out, err = run("s3api", "get-bucket-policy", "--bucket", "cli")
	assert.Error(t, err)
	assert.Contains(t, out, "NoSuchBucketPolicy")
}

// ownerID is the canonical id ListBuckets reports for c's key.
func ownerID(t *testing.T, c *s3.Client) string {
	t.Helper()
	out, err := c.ListBuckets(ctx, &s3.ListBucketsInput{})
	require.NoError(t, err)
	return aws.ToString(out.Owner.ID)
}

func localemuAP(name, bucket string) objectlambda.AccessPoint {
	return objectlambda.AccessPoint{Name: name, Bucket: bucket, Function: "absent", Actions: objectlambda.Actions}
}
