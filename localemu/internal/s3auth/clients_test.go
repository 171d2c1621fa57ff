package s3auth

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/internal/realclients"
	"github.com/olkit/olkit/s3err"
)

// signCase is a request for a client's signer to sign; the signers get the
// list as JSON (testdata/pysigner.py, testdata/jssigner/sign.js).
type signCase struct {
	Name    string      `json:"name"`
	Method  string      `json:"method"`
	URL     string      `json:"url"`
	Headers [][2]string `json:"headers,omitempty"` // a name may repeat
	Body    string      `json:"body,omitempty"`
	Presign bool        `json:"presign,omitempty"`
	Service string      `json:"service,omitempty"`
}

// wireRequest is a signed request as it goes on the wire.
type wireRequest struct {
	Name    string      `json:"name"`
	Method  string      `json:"method"`
	Target  string      `json:"target"`
	Headers [][2]string `json:"headers"`
	Body    string      `json:"-"`
}

// signCases are what the SDKs sign differently, or what a canonicaliser
// easily gets wrong. {host} is the test server's address.
var signCases = []signCase{
	{Name: "get", Method: "GET", URL: "http://{host}/b/k?x-id=GetObject"},
	// The JS SDK signs content-length even when it is 0 (its WGOR for a 304).
	{Name: "zero content-length", Method: "PUT", URL: "http://{host}/b/empty", Headers: [][2]string{{"Content-Length", "0"}}},
	{Name: "wgor 304", Method: "POST", URL: "http://{host}/WriteGetObjectResponse", Service: "s3-object-lambda",
		Headers: [][2]string{{"Content-Length", "0"}, {"x-amz-request-route", "io-local-001"}, {"x-amz-request-token", "t"}, {"x-amz-fwd-status", "304"}}},
	{Name: "repeated header", Method: "PUT", URL: "http://{host}/b/k", Body: "hello",
		Headers: [][2]string{{"x-amz-meta-tag", "a"}, {"x-amz-meta-tag", "b"}, {"Content-Type", "text/plain"}}},
	{Name: "runs of spaces", Method: "PUT", URL: "http://{host}/b/k", Body: "x",
		Headers: [][2]string{{"x-amz-meta-note", "a   b    c"}, {"Content-Type", "text/plain;  charset=utf-8"}}},
	{Name: "escaped path and query", Method: "GET", URL: "http://{host}/b/dir/some%20key%2Bplus%C3%A9?list-type=2&prefix=a%2Fb%20c&empty="},
	{Name: "presigned", Method: "GET", URL: "http://{host}/b/some%20key?versionId=v%2B1", Presign: true},
}

// reversedOrder are cases whose headers go on the wire in reverse order
// of their names (SDKs send them in other orders, usually sorted):
// the canonical form must not depend on it.
var reversedOrder = map[string]bool{"repeated header": true, "get": true}

func TestSignedByEachSDK(t *testing.T) {
	v := &Verifier{Secret: func(ak string) (string, bool) { return "secret", ak == "test" }, Region: "us-east-1"}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var res *Result
		var err error
		if r.URL.Path == "/WriteGetObjectResponse" {
			res, err = v.VerifyFor(r, "", serviceObjectLambda)
		} else {
			res, err = v.Verify(r, "")
		}
		if err == nil {
			_, err = io.Copy(io.Discard, res.Body)
		}
		if err != nil {
			e := s3err.From(err)
			w.WriteHeader(e.Status)
			fmt.Fprint(w, e.Code)
			return
		}
		fmt.Fprint(w, "OK")
	}))
	defer srv.Close()
	host := srv.Listener.Addr().String()
	cases := make([]signCase, len(signCases))
	for i, c := range signCases {
		c.URL = strings.ReplaceAll(c.URL, "{host}", host)
		cases[i] = c
	}
	signers := map[string]func(testing.TB, []signCase) []wireRequest{"go": signGo, "python": signPython, "js": signJS}
	for _, sdk := range []string{"go", "python", "js"} {
		t.Run(sdk, func(t *testing.T) {
			if sdk != "go" && testing.Short() {
				t.Skip("runs Python and npm")
			}
			signed := signers[sdk](t, cases)
			require.Len(t, signed, len(cases))
			for i, w := range signed {
				w.Body = cases[i].Body
				if reversedOrder[w.Name] {
					// Names in reverse order; a repeated header's lines
					// keep theirs, which is the value's.
					sort.SliceStable(w.Headers, func(i, j int) bool {
						return strings.ToLower(w.Headers[i][0]) > strings.ToLower(w.Headers[j][0])
					})
				}
				t.Run(w.Name, func(t *testing.T) {
					status, body := send(t, host, w)
					assert.Equal(t, "200 OK", fmt.Sprint(status, " ", body), "%s signed by %s", w.Name, sdk)
				})
				for _, f := range forgeries(w) {
					t.Run(w.Name+"/"+f.name, func(t *testing.T) {
						status, body := send(t, host, f.req)
						assert.Equal(t, f.want, fmt.Sprint(status, " ", body))
					})
				}
			}
		})
	}
}

type forgery struct {
	name string
	req  wireRequest
	want string // "status code"
}

// forgeries are changes made to a signed request after signing, and what
// S3 answers them.
func forgeries(w wireRequest) []forgery {
	with := func(h ...[2]string) wireRequest {
		c := w
		c.Headers = append(slices.Clone(w.Headers), h...)
		return c
	}
	var out []forgery
	switch w.Name {
	case "get":
		out = append(out,
			// Every x-amz-* header must be signed: 403 AccessDenied, "There
			// were headers present in the request which were not signed".
			forgery{"unsigned x-amz-meta", with([2]string{"x-amz-meta-added", "1"}), "403 AccessDenied"},
			forgery{"unsigned x-amz-acl", with([2]string{"x-amz-acl", "public-read"}), "403 AccessDenied"},
			// A signed header changed.
			forgery{"changed x-id", func() wireRequest {
				c := w
				c.Target = strings.Replace(w.Target, "GetObject", "PutObject", 1)
				return c
			}(), "403 SignatureDoesNotMatch"},
			// A non-x-amz header the client did not sign may be added.
			forgery{"unsigned accept", with([2]string{"Accept", "*/*"}), "200 OK"},
		)
	case "presigned":
		out = append(out,
			forgery{"plus an Authorization header", with([2]string{"Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00"}), "400 InvalidArgument"},
			forgery{"unsigned x-amz-acl", with([2]string{"x-amz-acl", "public-read"}), "403 AccessDenied"},
		)
	case "wgor 304":
		c := w
		c.Headers = slices.Clone(w.Headers)
		for i, h := range c.Headers {
			if strings.EqualFold(h[0], "authorization") {
				c.Headers[i][1] = strings.Replace(h[1], "/s3-object-lambda/", "/s3/", 1)
			}
		}
		out = append(out, forgery{"signed for s3", c, "400 InvalidSignature"},
			forgery{"plus a presigned query", func() wireRequest { c := w; c.Target += "?X-Amz-Algorithm=AWS4-HMAC-SHA256"; return c }(), "400 InvalidArgument"})
	}
	return out
}

// send writes w on a fresh connection, byte for byte as given (header
// order, repeated lines), and returns the status and body.
func send(t testing.TB, host string, w wireRequest) (int, string) {
	t.Helper()
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\n", w.Method, w.Target)
	hasHost, hasLength := false, false
	for _, h := range w.Headers {
		hasHost = hasHost || strings.EqualFold(h[0], "host")
		hasLength = hasLength || strings.EqualFold(h[0], "content-length")
	}
	if !hasHost {
		fmt.Fprintf(&b, "Host: %s\r\n", host)
	}
	for _, h := range w.Headers {
		fmt.Fprintf(&b, "%s: %s\r\n", h[0], h[1])
	}
	if !hasLength && w.Body != "" {
		fmt.Fprintf(&b, "Content-Length: %d\r\n", len(w.Body))
	}
	b.WriteString("Connection: close\r\n\r\n")
	b.WriteString(w.Body)
	conn, err := net.Dial("tcp", host)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(10*time.Second)))
	_, err = conn.Write(b.Bytes())
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// signGo signs with aws-sdk-go-v2's signer, as the Go SDK's S3 client does
// (path unescaped, payload hash in x-amz-content-sha256).
func signGo(t testing.TB, cases []signCase) []wireRequest {
	signer := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
	var out []wireRequest
	for _, c := range cases {
		req, err := http.NewRequest(c.Method, c.URL, strings.NewReader(c.Body))
		require.NoError(t, err)
		for _, h := range c.Headers {
			if strings.EqualFold(h[0], "content-length") {
				continue // the request's ContentLength says it
			}
			req.Header.Add(h[0], h[1])
		}
		service := c.Service
		if service == "" {
			service = "s3"
		}
		w := wireRequest{Name: c.Name, Method: c.Method}
		if c.Presign {
			q := req.URL.Query()
			q.Set("X-Amz-Expires", "60")
			req.URL.RawQuery = q.Encode()
			u, h, err := signer.PresignHTTP(context.Background(), testCreds, req, unsignedPayload, service, "us-east-1", time.Now())
			require.NoError(t, err)
			w.Target = strings.TrimPrefix(u, "http://"+req.Host)
			for k, vs := range h {
				if k != "Host" {
					for _, v := range vs {
						w.Headers = append(w.Headers, [2]string{k, v})
					}
				}
			}
		} else {
			payload := sha256Hex(c.Body)
			req.Header.Set("X-Amz-Content-Sha256", payload)
			require.NoError(t, signer.SignHTTP(context.Background(), testCreds, req, payload, service, "us-east-1", time.Now()))
			w.Target = req.URL.RequestURI()
			for k, vs := range req.Header {
				for _, v := range vs {
					w.Headers = append(w.Headers, [2]string{k, v})
				}
			}
			w.Headers = append(w.Headers, [2]string{"Content-Length", fmt.Sprint(len(c.Body))})
		}
		out = append(out, w)
	}
	return out
}

// signPython signs with botocore's S3 signers (boto3, the aws CLI).
func signPython(t testing.TB, cases []signCase) []wireRequest {
	py := realclients.Need(t, "python3", "-c", "import botocore.auth")
	return runSigner(t, exec.Command(py, "testdata/pysigner.py"), cases)
}

// signJS signs with @smithy/signature-v4, the AWS SDK for JavaScript v3's
// signer, installed from testdata/jssigner's lock file.
func signJS(t testing.TB, cases []signCase) []wireRequest {
	node := realclients.Need(t, "node", "--version")
	dir := realclients.NpmInstall(t, filepath.Join("testdata", "jssigner"), "package.json", "package-lock.json", "sign.js")
	return runSigner(t, exec.Command(node, filepath.Join(dir, "sign.js")), cases)
}

func runSigner(t testing.TB, cmd *exec.Cmd, cases []signCase) []wireRequest {
	t.Helper()
	spec, err := json.Marshal(map[string]any{"region": "us-east-1", "service": "s3", "accessKey": "test", "secretKey": "secret", "cases": cases})
	require.NoError(t, err)
	cmd.Stdin = bytes.NewReader(spec)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "%s", stderr.String())
	var signed []wireRequest
	require.NoError(t, json.Unmarshal(out, &signed))
	return signed
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
