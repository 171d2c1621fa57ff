package redact_test

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/olkit/olkit/s3err"
	"github.com/olkit/olkit/transforms/redact/internal/corpus"
)

const ticket = "Hi, I'm Ada (ada.lovelace@example.com, 415-555-2671). SSN 536-22-1234, card 4111 1111 1111 1111.\n" +
	"My server is 10.1.2.3 and version 1.2.3.4 is fine. Order 123456.\n"

func TestMask(t *testing.T) {
	out, _, err := run(chain(t, "redact", ""), strings.NewReader(ticket), nil)
	require.NoError(t, err)
	assert.Equal(t, "Hi, I'm Ada (************************, ************). SSN ***********, card *******************.\n"+
		"My server is ******** and version 1.2.3.4 is fine. Order 123456.\n", string(out))
}

func TestReplaceWithType(t *testing.T) {
	out, obj, err := run(chain(t, "redact", `{"mask_mode":"REPLACE_WITH_PII_ENTITY_TYPE"}`), strings.NewReader(ticket), nil)
	require.NoError(t, err)
	assert.Equal(t, "Hi, I'm Ada ([EMAIL], [PHONE]). SSN [SSN], card [CREDIT_DEBIT_NUMBER].\n"+
		"My server is [IP_ADDRESS] and version 1.2.3.4 is fine. Order 123456.\n", string(out))
	assert.Equal(t, int64(-1), obj.Size)
}

func TestOptionsSelect(t *testing.T) {
	out, _, err := run(chain(t, "redact", `{"pii_entity_types":["SSN","EMAIL"],"mask_character":"#"}`), strings.NewReader(ticket), nil)
	require.NoError(t, err)
	assert.Contains(t, string(out), "(########################, 415-555-2671). SSN ###########, card 4111 1111 1111 1111.")
	// a multi-byte mask character is written per masked byte
	out, _, err = run(chain(t, "redact", `{"pii_entity_types":"SSN","mask_character":"•"}`), strings.NewReader("ssn 536-22-1234!"), nil)
	require.NoError(t, err)
	assert.Equal(t, "ssn •••••••••••!", string(out))
	// a higher threshold drops the unlabelled 10-digit phone number but not the labelled one
	out, _, err = run(chain(t, "redact", `{"confidence_threshold":"0.9"}`), strings.NewReader("415-555-2671 and call 415-555-2671"), nil)
	require.NoError(t, err)
	assert.Equal(t, "415-555-2671 and call ************", string(out))
}

func TestOptionErrors(t *testing.T) {
	for opts, want := range map[string]string{
		`{"mask_mode":"BLUR"}`:                   "mask_mode",
		`{"mask_character":"**"}`:                "mask_character",
		`{"mask_character":" "}`:                 "mask_character",
		`{"confidence_threshold":0.2}`:           "confidence_threshold",
		`{"confidence_threshold":"high"}`:        "confidence_threshold",
		`{"pii_entity_types":["SSN","FOO"]}`:     "pii_entity_types",
		`{"pii_entity_types":"ssn"}`:             "pii_entity_types",
		`{"language_code":"fr"}`:                 "language_code",
		`{"unsupported_file_handling":"IGNORE"}`: "unsupported_file_handling",
		`{"max_spool_bytes":10}`:                 "max_spool_bytes",
		`{"mask_mod":"MASK"}`:                    "mask_mod",
	} {
		_, _, err := run(chainErr(t, opts), strings.NewReader(""), nil)
		require.Error(t, err, opts)
		var e *s3err.Error
		require.True(t, errors.As(err, &e), opts)
		assert.Equal(t, 400, e.Status)
		assert.Contains(t, e.Message, want, opts)
	}
	// AWS's names and value forms are accepted as they are.
	chain(t, "redact", `{"pii_entity_types":["ALL"],"mask_mode":"MASK","mask_character":"*","confidence_threshold":0.5,"language_code":"en","unsupported_file_handling":"PASS"}`)
	chain(t, "pii-access-control", `{"pii_entity_types":["NAME","SSN"],"confidence_threshold":"0.75","max_spool_bytes":1048576}`)
}

func TestNotText(t *testing.T) {
	bin := append([]byte("ssn 536-22-1234 "), 0xff, 0xfe, 0x00, 0x80)
	_, _, err := run(chain(t, "redact", ""), bytes.NewReader(bin), nil)
	var e *s3err.Error
	require.True(t, errors.As(err, &e))
	assert.Equal(t, "UnexpectedContent", e.Code)
	out, obj, err := run(chain(t, "redact", `{"unsupported_file_handling":"PASS"}`), bytes.NewReader(bin), http.Header{"Etag": {`"e"`}})
	require.NoError(t, err)
	assert.Equal(t, bin, out, "passed through unchanged")
	assert.Equal(t, `"e"`, obj.Header.Get("ETag"), "unchanged bytes keep their ETag")
	// encoded objects are not text either
	_, _, err = run(chain(t, "redact", ""), strings.NewReader("x"), http.Header{"Content-Encoding": {"gzip"}})
	require.True(t, errors.As(err, &e))
	assert.Contains(t, e.Message, "decompress")
	// a UTF-8 sequence cut by the sniff boundary is still text
	text := strings.Repeat("é", 40000) + " ssn 536-22-1234"
	out, _, err = run(chain(t, "redact", ""), iotest.HalfReader(strings.NewReader(text)), nil)
	require.NoError(t, err)
	assert.Equal(t, strings.Repeat("é", 40000)+" ssn ***********", string(out))
	// invalid UTF-8 after the head: FAIL fails, PASS hands it on and goes on redacting
	late := strings.Repeat("a", 100000) + "\xff ssn 536-22-1234"
	_, _, err = run(chain(t, "redact", ""), strings.NewReader(late), nil)
	require.True(t, errors.As(err, &e))
	assert.Equal(t, "UnexpectedContent", e.Code)
	out, _, err = run(chain(t, "redact", `{"unsupported_file_handling":"PASS"}`), strings.NewReader(late), nil)
	require.NoError(t, err)
	assert.Equal(t, strings.Repeat("a", 100000)+"\xff ssn ***********", string(out))
}

var raceEnabled bool

// randomReader returns the data in reads of random sizes up to max.
type randomReader struct {
	data []byte
	r    *rand.Rand
	max  int
}

func (rr *randomReader) Read(p []byte) (int, error) {
	if len(rr.data) == 0 {
		return 0, io.EOF
	}
	n := min(len(p), len(rr.data), 1+rr.r.IntN(rr.max))
	copy(p, rr.data[:n])
	rr.data = rr.data[n:]
	return n, nil
}

// readRandom reads r with buffers of random sizes up to max.
func readRandom(r io.Reader, rnd *rand.Rand, max int) ([]byte, error) {
	var out []byte
	for {
		p := make([]byte, 1+rnd.IntN(max))
		n, err := r.Read(p)
		out = append(out, p[:n]...)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
	}
}

// TestRandomSplits is the property: whatever the sizes of the source's
// reads and of the caller's, the output is that of one scan of the whole
// input.
func TestRandomSplits(t *testing.T) {
	rnd := rand.New(rand.NewPCG(7, 7))
	runs, size := 24, 400<<10
	if testing.Short() || raceEnabled {
		runs, size = 6, 200<<10
	}
	c := chain(t, "redact", "")
	for i := range runs {
		doc := corpus.New(uint64(i)).Generate(size/2 + rnd.IntN(size))
		want := reference(doc.Data, allTypes, '*')
		for _, max := range []int{7, 300, 70000} {
			obj := newObj()
			rc, err := c.Apply(t.Context(), obj, &randomReader{doc.Data, rnd, max})
			require.NoError(t, err)
			got, err := readRandom(rc, rnd, max)
			rc.Close()
			require.NoError(t, err)
			require.True(t, bytes.Equal(want, got), "run %d (reads up to %d): output differs from the whole-input scan", i, max)
		}
	}
}

// TestEveryOffset moves a dense sample across every alignment with the
// source's reads, so each match meets a read boundary at each of its bytes.
func TestEveryOffset(t *testing.T) {
	sample := []byte("x john.doe@example.com (415) 555-2671 536-22-1234 4111111111111111 DE89370400440532013000 " +
		"10.1.2.3 fe80::1 https://example.com/a AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY é日本 ")
	const chunk = 613 // the sample meets a read boundary at each of its bytes
	c := chain(t, "redact", "")
	step := 1
	if testing.Short() {
		step = 7
	}
	for off := 0; off < chunk; off += step {
		data := append(bytes.Repeat([]byte("a"), off), bytes.Repeat(sample, 40)...)
		want := reference(data, allTypes, '*')
		got, _, err := run(c, &chunkReader{data: data, n: chunk}, nil)
		require.NoError(t, err)
		if !bytes.Equal(want, got) {
			t.Fatalf("offset %d: output differs from the whole-input scan", off)
		}
	}
}

type chunkReader struct {
	data []byte
	n    int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), c.n)], c.data)
	c.data = c.data[n:]
	return n, nil
}

func TestSourceErrorPassesThrough(t *testing.T) {
	boom := errors.New("boom")
	src := io.MultiReader(strings.NewReader(strings.Repeat("ssn 536-22-1234 ", 20000)), iotest.ErrReader(boom))
	_, _, err := run(chain(t, "redact", ""), src, nil)
	assert.ErrorIs(t, err, boom)
}
