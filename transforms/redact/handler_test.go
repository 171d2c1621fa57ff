package redact_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/internal/fakes3"
	"github.com/olkit/olkit/internal/handlertest"
	"github.com/olkit/olkit/lambda"
)

func handlerEnv(t *testing.T) (*fakes3.Server, *lambda.Handler, *bytes.Buffer) {
	var logs bytes.Buffer
	srv, h := handlertest.New(t, &logs)
	srv.KeepBody = 4 << 20
	return srv, h, &logs
}

func put(srv *fakes3.Server, key string, data []byte, h http.Header) { srv.PutBytes(key, data, h) }

func TestThroughTheHandler(t *testing.T) {
	srv, h, logs := handlerEnv(t)
	pii := []byte(strings.Repeat("a line without anything personal in it\n", 30000) + ticket)
	clean := []byte(strings.Repeat("a line without anything personal in it\n", 30000))
	put(srv, "pii.txt", pii, http.Header{"Content-Type": {"text/plain"}, "Etag": {`"pii"`}})
	put(srv, "clean.txt", clean, http.Header{"Content-Type": {"text/plain"}, "Etag": {`"clean"`}})
	put(srv, "image.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\xff"), http.Header{"Content-Type": {"image/png"}})

	t.Run("redact", func(t *testing.T) {
		_, err := h.Handle(context.Background(), srv.Event("pii.txt", `{"transforms":[{"name":"redact"}]}`, nil))
		require.NoError(t, err)
		w := srv.WaitWGOR(t, 0)
		assert.Equal(t, 200, w.Status, w.ErrorMessage)
		assert.Equal(t, reference(pii, allTypes, '*'), w.Body)
		assert.NotEqual(t, `"pii"`, w.Header.Get("ETag"), "the original's ETag does not describe redacted bytes")
		assert.Equal(t, "text/plain", w.Header.Get("Content-Type"))
	})
	t.Run("access control denies", func(t *testing.T) {
		res, err := h.Handle(context.Background(), srv.Event("pii.txt", `{"transforms":[{"name":"pii-access-control"}]}`, nil))
		require.NoError(t, err)
		assert.Equal(t, 403, res.StatusCode)
		w := srv.WaitWGOR(t, 1)
		assert.Equal(t, 403, w.Status)
		assert.Equal(t, "AccessDenied", w.ErrorCode)
		assert.Equal(t, "Document Contains PII", w.ErrorMessage)
	})
	t.Run("access control allows", func(t *testing.T) {
		_, err := h.Handle(context.Background(), srv.Event("clean.txt", `{"transforms":[{"name":"pii-access-control","options":{"pii_entity_types":["ALL"],"confidence_threshold":0.5}}]}`, nil))
		require.NoError(t, err)
		w := srv.WaitWGOR(t, 2)
		assert.Equal(t, 200, w.Status, w.ErrorMessage)
		assert.Equal(t, clean, w.Body)
		assert.Equal(t, `"clean"`, w.Header.Get("ETag"), "unchanged bytes keep the ETag")
		assert.Equal(t, int64(len(clean)), w.ContentLength)
	})
	t.Run("not text", func(t *testing.T) {
		_, err := h.Handle(context.Background(), srv.Event("image.png", `{"transforms":[{"name":"redact"}]}`, nil))
		require.NoError(t, err)
		w := srv.WaitWGOR(t, 3)
		assert.Equal(t, 400, w.Status)
		assert.Equal(t, "UnexpectedContent", w.ErrorCode)
	})
	for _, secret := range []string{"536-22-1234", "ada.lovelace@example.com", "4111 1111 1111 1111"} {
		assert.NotContains(t, logs.String(), secret, "detected values never reach the log")
	}
}

// A caller must not read a guarded document slice by slice: the decision
// is taken on the whole object whatever range is asked for.
func TestAccessControlCannotBeDodgedWithRanges(t *testing.T) {
	srv, h, _ := handlerEnv(t)
	doc := []byte(strings.Repeat("harmless text. ", 20) + "card 4111 1111 1111 1111\n")
	put(srv, "guarded.txt", doc, http.Header{"Content-Type": {"text/plain"}, "Etag": {`"g"`}})
	for _, rng := range []string{"bytes=0-9", "bytes=-5", "bytes=10-"} {
		_, err := h.Handle(context.Background(), srv.Event("guarded.txt", `{"transforms":[{"name":"pii-access-control"}]}`, map[string]string{"Range": rng}))
		require.NoError(t, err)
		w := srv.WGORs()[len(srv.WGORs())-1]
		assert.Equal(t, 403, w.Status, rng)
		assert.Equal(t, "AccessDenied", w.ErrorCode, rng)
	}
	clean := []byte(strings.Repeat("harmless text. ", 20))
	put(srv, "clean2.txt", clean, http.Header{"Content-Type": {"text/plain"}, "Etag": {`"c"`}})
	_, err := h.Handle(context.Background(), srv.Event("clean2.txt", `{"transforms":[{"name":"pii-access-control"}]}`, map[string]string{"Range": "bytes=0-7"}))
	require.NoError(t, err)
	w := srv.WGORs()[len(srv.WGORs())-1]
	assert.Equal(t, 206, w.Status)
	assert.Equal(t, "harmless", string(w.Body))
	assert.Equal(t, `"c"`, w.Header.Get("ETag"), "the bytes let through are the original's, with its ETag")
}

// An access point moving from AWS's Comprehend function keeps its payload.
func TestAWSFlatPayloadCarriesOver(t *testing.T) {
	srv, h, _ := handlerEnv(t)
	put(srv, "mail.txt", []byte("write to jane.doe@example.com today\n"), http.Header{"Content-Type": {"text/plain"}})
	aws := `{"pii_entity_types":["EMAIL"],"mask_mode":"REPLACE_WITH_PII_ENTITY_TYPE","confidence_threshold":0.6,"language_code":"en"}`
	_, err := h.Handle(context.Background(), srv.Event("mail.txt", aws, nil))
	require.NoError(t, err)
	w := srv.WGORs()[len(srv.WGORs())-1]
	assert.Equal(t, 200, w.Status, w.ErrorMessage)
	assert.Equal(t, "write to [EMAIL] today\n", string(w.Body))

	h.AWSPayloadTransform = "pii-access-control"
	_, err = h.Handle(context.Background(), srv.Event("mail.txt", `{"pii_entity_types":["ALL"]}`, nil))
	require.NoError(t, err)
	w = srv.WGORs()[len(srv.WGORs())-1]
	assert.Equal(t, 403, w.Status)
	assert.Equal(t, "Document Contains PII", w.ErrorMessage)

	_, err = h.Handle(context.Background(), srv.Event("mail.txt", `{"pii_entity_types":["EMAIL"],"surprise":1}`, nil))
	require.NoError(t, err)
	w = srv.WGORs()[len(srv.WGORs())-1]
	assert.Equal(t, "InvalidRequest", w.ErrorCode, "an unknown key is not AWS's form: the payload is refused, not guessed")
}
