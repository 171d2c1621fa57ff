// Package s3err is the error that reaches an S3 caller: an HTTP status, an
// S3 error code and a message, carried from whichever layer found the fault
// (a transform, the fetch of the original, the handler) to the one that
// answers (WriteGetObjectResponse, a HEAD or List answer, the CLI).
package s3err

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
)

// Error is a fault the caller of GetObject should see as an S3 error.
type Error struct {
	Status  int    // HTTP status, e.g. 400
	Code    string // S3 error code, e.g. "InvalidRequest"; matches ^[A-Z][a-zA-Z]+$
	Message string // what went wrong, in words the caller can act on
	Err     error  // the underlying cause, if any; never shown to the caller
}

// New returns an Error with a formatted message.
func New(status int, code, format string, args ...any) *Error {
	return &Error{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an Error that keeps err as its cause.
func Wrap(err error, status int, code, format string, args ...any) *Error {
	e := New(status, code, format, args...)
	e.Err = err
	return e
}

func (e *Error) Error() string {
	s := fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// InvalidRequest is the 400 S3 answers for a request it cannot serve as asked.
func InvalidRequest(format string, args ...any) *Error {
	return New(http.StatusBadRequest, "InvalidRequest", format, args...)
}

// From turns any error into the Error a caller should see. An *Error found
// anywhere in err's chain is returned as is; a context deadline becomes a 500
// InternalError saying so; anything else is a 500 InternalError whose
// message is err's text, since it names what broke.
func From(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return Wrap(err, http.StatusInternalServerError, "InternalError", "olkit ran out of time before the Lambda deadline")
	}
	return Wrap(err, http.StatusInternalServerError, "InternalError", "%s", err.Error())
}

// WireCode is the code to send: Code when WGOR and S3's error XML accept
// it, else the usual code for the status.
func (e *Error) WireCode() string {
	if ValidCode(e.Code) {
		return e.Code
	}
	return CodeFor(e.Status)
}

var codePattern = regexp.MustCompile(`^[A-Z][a-zA-Z]+$`)

// ValidCode reports whether code is acceptable to WriteGetObjectResponse,
// which rejects any error code not matching ^[A-Z][a-zA-Z]+$.
func ValidCode(code string) bool { return codePattern.MatchString(code) }

// CodeFor returns the S3 error code S3 itself most often uses with status,
// for answers that arrive with a status but no readable code.
func CodeFor(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "InvalidRequest"
	case http.StatusUnauthorized, http.StatusForbidden:
		return "AccessDenied"
	case http.StatusNotFound:
		return "NoSuchKey"
	case http.StatusMethodNotAllowed:
		return "MethodNotAllowed"
	case http.StatusConflict:
		return "OperationAborted"
	case http.StatusLengthRequired:
		return "MissingContentLength"
	case http.StatusPreconditionFailed:
		return "PreconditionFailed"
	case http.StatusRequestedRangeNotSatisfiable:
		return "InvalidRange"
	case http.StatusNotImplemented:
		return "NotImplemented"
	case http.StatusServiceUnavailable:
		return "ServiceUnavailable"
	case http.StatusTooManyRequests:
		return "SlowDown"
	}
	if status >= 500 {
		return "InternalError"
	}
	return "InvalidRequest"
}
