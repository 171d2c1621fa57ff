package redact_test

import (
	"bytes"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/s3err"
)

func TestAccessControl(t *testing.T) {
	big := strings.Repeat("an ordinary line of text, order 123456, version 1.2.3.4\n", 20000)
	t.Run("denies", func(t *testing.T) {
		for _, doc := range []string{ticket, big + "ssn 536-22-1234\n", "key AKIAIOSFODNN7EXAMPLE"} {
			_, _, err := run(chain(t, "pii-access-control", ""), strings.NewReader(doc), nil)
			var e *s3err.Error
			require.True(t, errors.As(err, &e), "%v", err)
			assert.Equal(t, 403, e.Status)
			assert.Equal(t, "AccessDenied", e.Code)
			assert.Equal(t, "Document Contains PII", e.Message)
			assert.NotContains(t, err.Error(), "536-22-1234", "values never reach an error or a log")
		}
	})
	t.Run("allows, keeping length and ETag", func(t *testing.T) {
		h := http.Header{"Etag": {`"abc"`}, "Content-Length": {"10"}}
		out, obj, err := run(chain(t, "pii-access-control", ""), strings.NewReader(big), h)
		require.NoError(t, err)
		assert.Equal(t, big, string(out))
		assert.Equal(t, `"abc"`, obj.Header.Get("ETag"))
	})
	t.Run("types of interest and threshold", func(t *testing.T) {
		_, _, err := run(chain(t, "pii-access-control", `{"pii_entity_types":["SSN"]}`), strings.NewReader("mail a@example.com"), nil)
		assert.NoError(t, err, "an e-mail address is not of interest")
		_, _, err = run(chain(t, "pii-access-control", `{"confidence_threshold":0.99}`), strings.NewReader("tel 415-555-2671"), nil)
		assert.NoError(t, err, "below the threshold")
		_, _, err = run(chain(t, "pii-access-control", `{"pii_entity_types":"SSN,EMAIL"}`), strings.NewReader("mail a@example.com"), nil)
		assert.Error(t, err)
	})
	t.Run("spool limit", func(t *testing.T) {
		_, _, err := run(chain(t, "pii-access-control", `{"max_spool_bytes":1000}`), strings.NewReader(big), nil)
		var e *s3err.Error
		require.True(t, errors.As(err, &e))
		assert.Equal(t, "EntityTooLarge", e.Code)
		assert.Contains(t, e.Message, "max_spool_bytes")
	})
	t.Run("not text", func(t *testing.T) {
		bin := append([]byte(big), 0xff, 0xfe)
		_, _, err := run(chain(t, "pii-access-control", ""), bytes.NewReader(bin), nil)
		var e *s3err.Error
		require.True(t, errors.As(err, &e))
		assert.Equal(t, "UnexpectedContent", e.Code)
		out, _, err := run(chain(t, "pii-access-control", `{"unsupported_file_handling":"PASS"}`), bytes.NewReader(bin), nil)
		require.NoError(t, err)
		assert.Equal(t, bin, out)
	})
}
