package function

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// The Lambda Invoke API (synchronous, RequestResponse), as the Lambda
// service and `sam local start-lambda` serve it.
const (
	invokePathPrefix = "/2015-03-31/functions/"
	invokePathSuffix = "/invocations"

	hdrFunctionError  = "X-Amz-Function-Error"
	hdrInvocationType = "X-Amz-Invocation-Type"
	hdrAmznErrorType  = "X-Amzn-Errortype"
	hdrAmznRequestID  = "X-Amzn-Requestid"

	// timeoutErrorType is how Lambda reports a function that ran past its
	// timeout.
	timeoutErrorType = "Sandbox.Timedout"
)

// HTTPInvoker invokes a function through a Lambda Invoke endpoint:
// POST {Endpoint}/2015-03-31/functions/{Name}/invocations with the event
// as the body. The answer maps as Invoker says: X-Amz-Function-Error is an
// *Error (or, for a timed-out function, an error wrapping
// context.DeadlineExceeded), 404 is ErrNotFound.
type HTTPInvoker struct {
	Endpoint string       // e.g. http://127.0.0.1:3001 (sam local start-lambda)
	Name     string       // function name or ARN
	Client   *http.Client // nil: http.DefaultClient

	// With AccessKey set, requests are signed (SigV4, service lambda), as
	// the Lambda service requires; sam local needs no signature.
	Region, AccessKey, SecretKey, SessionToken string
}

// Invoke posts event and returns the function's result payload.
func (h *HTTPInvoker) Invoke(ctx context.Context, event []byte) ([]byte, error) {
	u := strings.TrimSuffix(h.Endpoint, "/") + invokePathPrefix + url.PathEscape(h.Name) + invokePathSuffix
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(event))
	if err != nil {
		return nil, fmt.Errorf("function %s: %w", h.Name, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(hdrInvocationType, "RequestResponse")
	if h.AccessKey != "" {
		if err := h.sign(ctx, req, event); err != nil {
			return nil, fmt.Errorf("function %s: signing: %w", h.Name, err)
		}
	}
	client := h.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("function %s: %w", h.Name, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxStreamedResponse+1))
	if err != nil {
		return nil, fmt.Errorf("function %s: reading the answer: %w", h.Name, err)
	}
	if len(body) > maxStreamedResponse {
		return nil, fmt.Errorf("function %s: answer larger than %d bytes", h.Name, maxStreamedResponse)
	}
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return nil, fmt.Errorf("%w: %s: %s", ErrNotFound, h.Name, serviceMessage(body))
	case resp.StatusCode/100 != 2:
		typ := resp.Header.Get(hdrAmznErrorType)
		if i := strings.IndexByte(typ, ':'); i >= 0 {
			typ = typ[:i]
		}
		return nil, fmt.Errorf("function %s: invoke answered %s %s: %s", h.Name, resp.Status, typ, serviceMessage(body))
	case resp.Header.Get(hdrFunctionError) != "":
		var eb errorBody
		if json.Unmarshal(body, &eb) != nil {
			eb = errorBody{ErrorType: resp.Header.Get(hdrFunctionError), ErrorMessage: string(body)}
		}
		if eb.ErrorType == timeoutErrorType || eb.ErrorType == "" && strings.Contains(eb.ErrorMessage, "Task timed out after") {
			return nil, fmt.Errorf("function %s: %s: %w", h.Name, eb.ErrorMessage, context.DeadlineExceeded)
		}
		if eb.ErrorType == "" {
			eb.ErrorType = resp.Header.Get(hdrFunctionError)
		}
		return nil, &Error{Type: eb.ErrorType, Message: eb.ErrorMessage}
	}
	return body, nil
}

func (h *HTTPInvoker) sign(ctx context.Context, req *http.Request, body []byte) error {
	sum := sha256.Sum256(body)
	region := h.Region
	if region == "" {
		region = "us-east-1"
	}
	creds := aws.Credentials{AccessKeyID: h.AccessKey, SecretAccessKey: h.SecretKey, SessionToken: h.SessionToken}
	return v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "lambda", region, time.Now())
}

// serviceMessage is the message of a Lambda service error body
// ({"Type":"User","Message":"..."}), else the body itself, shortened.
func serviceMessage(body []byte) string {
	var m struct {
		Message  string `json:"Message"`
		Message2 string `json:"message"`
	}
	if json.Unmarshal(body, &m) == nil {
		if m.Message != "" {
			return m.Message
		}
		if m.Message2 != "" {
			return m.Message2
		}
	}
	s := strings.TrimSpace(string(body))
	if len(s) > 512 {
		s = s[:512] + "..."
	}
	return s
}

// InvokeHandler serves the Lambda Invoke API for functions, so that
// clients invoke them as they would on Lambda (`aws lambda invoke
// --endpoint-url`, an SDK's Lambda client, HTTPInvoker):
// POST /2015-03-31/functions/{name}/invocations, name being the function's
// name or ARN. An unknown function is 404 ResourceNotFoundException; a
// failed function is 200 with X-Amz-Function-Error: Unhandled and the
// error JSON ({errorMessage, errorType}); a timeout is errorType
// Sandbox.Timedout. X-Amz-Invocation-Type Event runs the function in the
// background (202), DryRun only checks it exists (204).
func InvokeHandler(functions map[string]Invoker) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requestID := newRequestID()
		w.Header().Set(hdrAmznRequestID, requestID)
		rest, ok := strings.CutPrefix(r.URL.EscapedPath(), invokePathPrefix)
		escaped, ok2 := strings.CutSuffix(rest, invokePathSuffix)
		if !ok || !ok2 || escaped == "" || strings.Contains(escaped, "/") {
			serviceError(w, http.StatusNotFound, "UnknownOperationException", "Unknown operation "+r.Method+" "+r.URL.Path)
			return
		}
		if r.Method != http.MethodPost {
			serviceError(w, http.StatusMethodNotAllowed, "UnknownOperationException", "Invoke is POST, not "+r.Method)
			return
		}
		name, err := url.PathUnescape(escaped)
		if err != nil {
			serviceError(w, http.StatusBadRequest, "InvalidParameterValueException", "Bad function name: "+err.Error())
			return
		}
		name = functionName(name)
		fn, ok := functions[name]
		if !ok {
			serviceError(w, http.StatusNotFound, "ResourceNotFoundException", "Function not found: "+name)
			return
		}
		event, err := io.ReadAll(io.LimitReader(r.Body, maxResponse+1))
		if err != nil {
			serviceError(w, http.StatusBadRequest, "InvalidRequestContentException", "Could not read the request body: "+err.Error())
			return
		}
		if len(event) > maxResponse {
			serviceError(w, http.StatusRequestEntityTooLarge, "RequestTooLargeException", fmt.Sprintf("Request must be smaller than %d bytes for the InvokeFunction operation", maxResponse))
			return
		}
		if len(event) == 0 {
			event = []byte("{}")
		}
		switch r.Header.Get(hdrInvocationType) {
		case "", "RequestResponse":
		case "DryRun":
			w.WriteHeader(http.StatusNoContent)
			return
		case "Event":
			go fn.Invoke(context.WithoutCancel(r.Context()), event)
			w.WriteHeader(http.StatusAccepted)
			return
		default:
			serviceError(w, http.StatusBadRequest, "InvalidParameterValueException", "Unknown invocation type "+r.Header.Get(hdrInvocationType))
			return
		}

		start := time.Now()
		out, err := fn.Invoke(r.Context(), event)
		var fe *Error
		switch {
		case err == nil:
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("X-Amz-Executed-Version", "$LATEST")
			w.WriteHeader(http.StatusOK)
			w.Write(out)
		case errors.Is(err, ErrNotFound):
			serviceError(w, http.StatusNotFound, "ResourceNotFoundException", err.Error())
		case errors.Is(err, context.DeadlineExceeded):
			functionError(w, errorBody{ErrorType: timeoutErrorType, ErrorMessage: fmt.Sprintf(
				"RequestId: %s Error: Task timed out after %.2f seconds", requestID, time.Since(start).Seconds())})
		case errors.As(err, &fe):
			functionError(w, errorBody{ErrorType: fe.Type, ErrorMessage: fe.Message})
		case errors.Is(err, context.Canceled):
			// The client went away; nobody reads this.
			serviceError(w, http.StatusInternalServerError, "ServiceException", err.Error())
		default:
			serviceError(w, http.StatusInternalServerError, "ServiceException", err.Error())
		}
	})
}

// functionName is the name in a function name, partial ARN
// (123456789012:function:name) or ARN, without a version or alias.
func functionName(s string) string {
	if i := strings.LastIndex(s, "function:"); i >= 0 {
		s = s[i+len("function:"):]
	}
	if i := strings.IndexByte(s, ':'); i >= 0 {
		s = s[:i]
	}
	return s
}

// functionError answers a failed invocation as Lambda does.
func functionError(w http.ResponseWriter, eb errorBody) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set(hdrFunctionError, "Unhandled")
	w.Header().Set("X-Amz-Executed-Version", "$LATEST")
	w.WriteHeader(http.StatusOK)
	json.NewEncoder(w).Encode(eb)
}

// serviceError answers as the Lambda service's REST-JSON errors do.
func serviceError(w http.ResponseWriter, status int, code, msg string) {
	typ := "User"
	if status >= 500 {
		typ = "Service"
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set(hdrAmznErrorType, code)
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"Type": typ, "Message": msg})
}
