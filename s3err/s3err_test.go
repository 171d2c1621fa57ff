package s3err_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/s3err"
)

func TestFromNil(t *testing.T) {
	assert.Nil(t, s3err.From(nil))
}

func TestFromPlainError(t *testing.T) {
	cause := errors.New("disk on fire")
	e := s3err.From(cause)
	require.NotNil(t, e)
	assert.Equal(t, http.StatusInternalServerError, e.Status)
	assert.Equal(t, "InternalError", e.Code)
	assert.Equal(t, "disk on fire", e.Message)
	assert.Same(t, cause, e.Err)
	assert.ErrorIs(t, e, cause)
}

func TestFromPlainErrorWithPercent(t *testing.T) {
	// The text is the message, not a format string.
	e := s3err.From(errors.New("100% %d %s broken"))
	assert.Equal(t, "100% %d %s broken", e.Message)
}

func TestFromWrappedError(t *testing.T) {
	inner := s3err.New(http.StatusNotFound, "NoSuchKey", "no %s", "key")
	wrapped := fmt.Errorf("layer two: %w", fmt.Errorf("layer one: %w", inner))
	got := s3err.From(wrapped)
	assert.Same(t, inner, got)
	assert.Equal(t, 404, got.Status)
	assert.Equal(t, "NoSuchKey", got.Code)
	assert.Equal(t, "no key", got.Message)

	// An *Error itself is returned as is.
	assert.Same(t, inner, s3err.From(inner))
}

func TestFromJoinedError(t *testing.T) {
	inner := s3err.InvalidRequest("bad")
	got := s3err.From(errors.Join(io.ErrUnexpectedEOF, inner))
	assert.Same(t, inner, got)
}

func TestFromDeadline(t *testing.T) {
	for name, err := range map[string]error{
		"bare":    context.DeadlineExceeded,
		"wrapped": fmt.Errorf("fetching original: %w", context.DeadlineExceeded),
	} {
		t.Run(name, func(t *testing.T) {
			e := s3err.From(err)
			require.NotNil(t, e)
			assert.Equal(t, http.StatusInternalServerError, e.Status)
			assert.Equal(t, "InternalError", e.Code)
			assert.Contains(t, e.Message, "deadline")
			assert.ErrorIs(t, e, context.DeadlineExceeded)
		})
	}

	// A real context that timed out behaves the same.
	ctx, cancel := context.WithTimeout(context.Background(), 0)
	defer cancel()
	<-ctx.Done()
	e := s3err.From(ctx.Err())
	assert.Contains(t, e.Message, "deadline")
}

func TestFromCanceledIsNotDeadline(t *testing.T) {
	e := s3err.From(context.Canceled)
	assert.Equal(t, http.StatusInternalServerError, e.Status)
	assert.Equal(t, "InternalError", e.Code)
	assert.Equal(t, context.Canceled.Error(), e.Message)
}

func TestValidCode(t *testing.T) {
	for _, c := range []string{"InvalidRequest", "NoSuchKey", "AccessDenied", "Ab", "XYZ", "InternalError"} {
		assert.True(t, s3err.ValidCode(c), "%q should be valid", c)
	}
	for _, c := range []string{"", "A", "invalidRequest", "Not-Valid", "Not Valid", "No_Such", "Code1", "lower", "Ünicode", "Code\n", " Code", "Code "} {
		assert.False(t, s3err.ValidCode(c), "%q should be invalid", c)
	}
}

func TestCodeFor(t *testing.T) {
	cases := map[int]string{
		400: "InvalidRequest",
		401: "AccessDenied",
		403: "AccessDenied",
		404: "NoSuchKey",
		405: "MethodNotAllowed",
		409: "OperationAborted",
		411: "MissingContentLength",
		412: "PreconditionFailed",
		416: "InvalidRange",
		429: "SlowDown",
		500: "InternalError",
		501: "NotImplemented",
		502: "InternalError",
		503: "ServiceUnavailable",
		504: "InternalError",
		418: "InvalidRequest",
		422: "InvalidRequest",
	}
	for status, want := range cases {
		got := s3err.CodeFor(status)
		assert.Equal(t, want, got, "CodeFor(%d)", status)
		assert.True(t, s3err.ValidCode(got), "CodeFor(%d) = %q must itself be valid", status, got)
	}
}

func TestErrorString(t *testing.T) {
	e := s3err.New(403, "AccessDenied", "no access to %q", "k")
	assert.Equal(t, `403 AccessDenied: no access to "k"`, e.Error())
	assert.Nil(t, e.Unwrap())
	assert.Nil(t, errors.Unwrap(e))

	cause := errors.New("signature mismatch")
	w := s3err.Wrap(cause, 403, "AccessDenied", "denied")
	assert.Equal(t, "403 AccessDenied: denied: signature mismatch", w.Error())
	assert.Same(t, cause, w.Unwrap())
	assert.ErrorIs(t, w, cause)
}

func TestInvalidRequest(t *testing.T) {
	e := s3err.InvalidRequest("bad %s %d", "thing", 3)
	assert.Equal(t, 400, e.Status)
	assert.Equal(t, "InvalidRequest", e.Code)
	assert.Equal(t, "bad thing 3", e.Message)
	assert.Nil(t, e.Err)
}
