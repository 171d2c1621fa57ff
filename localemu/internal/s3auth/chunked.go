package s3auth

import (
	"bufio"
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/olkit/olkit/s3err"
)

// chunkReader decodes an aws-chunked body:
//
//	hex-size[;chunk-signature=sig]\r\n data \r\n ... 0[;chunk-signature=sig]\r\n
//	[trailer-name:value\r\n ... [x-amz-trailer-signature:sig\r\n]] \r\n
//
// Data streams through; a chunk's signature is checked when its last byte
// has been read, so a forged chunk fails before EOF is ever reported.
type chunkReader struct {
	rc      io.ReadCloser
	br      *bufio.Reader
	decoded int64 // announced decoded length, -1 unknown
	total   int64

	left    int64 // bytes of the current chunk still to read
	inChunk bool
	done    bool
	err     error
	trailer http.Header

	signed, signedTrailer bool
	key                   []byte
	amzDate, scope        string
	prevSig, chunkSig     string
	h                     hash.Hash
}

func newChunkReader(rc io.ReadCloser, decoded int64) *chunkReader {
	return &chunkReader{rc: rc, br: bufio.NewReaderSize(rc, 64<<10), decoded: decoded, h: sha256.New()}
}

func (c *chunkReader) Close() error { return c.rc.Close() }

func incomplete(format string, args ...any) *s3err.Error {
	return s3err.New(http.StatusBadRequest, "IncompleteBody", "aws-chunked body: "+format, args...)
}

// maxTrailers bounds the trailing headers of one body.
const maxTrailers = 16

func malformedTrailer(format string, args ...any) *s3err.Error {
	return s3err.New(http.StatusBadRequest, "MalformedTrailerError", "The request contained trailing data that was not well-formed or did not conform to our published schema: "+format, args...)
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	if c.done {
		return 0, io.EOF
	}
	if !c.inChunk {
		if c.err = c.startChunk(); c.err != nil {
			return 0, c.err
		}
		if c.done {
			return 0, io.EOF
		}
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.br.Read(p)
	c.h.Write(p[:n])
	c.left -= int64(n)
	c.total += int64(n)
	if c.left == 0 {
		if c.err = c.endChunk(); c.err != nil {
			return n, c.err
		}
	} else if err == io.EOF {
		c.err = incomplete("the body ended inside a chunk")
		return n, c.err
	} else if err != nil {
		c.err = err
	}
	return n, c.err
}

func (c *chunkReader) readLine() (string, error) {
	line, err := c.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull || len(line) > maxChunkHeaderLineBytes {
		return "", incomplete("a chunk header line is too long")
	}
	if err != nil {
		return "", incomplete("the body ended before its final chunk: %v", err)
	}
	return strings.TrimRight(string(line), "\r\n"), nil
}

func (c *chunkReader) startChunk() error {
	line, err := c.readLine()
	if err != nil {
		return err
	}
	sizeHex, ext, _ := strings.Cut(line, ";")
	size, err := strconv.ParseInt(strings.TrimSpace(sizeHex), 16, 64)
	if err != nil || size < 0 {
		return incomplete("chunk size %q is not hexadecimal", sizeHex)
	}
	c.chunkSig = strings.TrimPrefix(strings.TrimSpace(ext), "chunk-signature=")
	if c.signed && c.chunkSig == "" {
		return signatureMismatch()
	}
	c.h.Reset()
	c.left, c.inChunk = size, true
	if size == 0 {
		return c.finish()
	}
	return nil
}

// endChunk consumes the CRLF after a chunk's data and checks its signature.
func (c *chunkReader) endChunk() error {
	c.inChunk = false
	var crlf [2]byte
	if _, err := io.ReadFull(c.br, crlf[:]); err != nil || crlf != [2]byte{'\r', '\n'} {
		return incomplete("a chunk is not followed by CRLF")
	}
	return c.checkChunkSig()
}

func (c *chunkReader) checkChunkSig() error {
	if !c.signed {
		return nil
	}
	sts := strings.Join([]string{"AWS4-HMAC-SHA256-PAYLOAD", c.amzDate, c.scope, c.prevSig, emptySHA256, hex.EncodeToString(c.h.Sum(nil))}, "\n")
	want := hex.EncodeToString(hmacSHA256(c.key, sts))
	if !hmac.Equal([]byte(want), []byte(c.chunkSig)) {
		return signatureMismatch()
	}
	c.prevSig = want
	return nil
}

// finish handles the final zero-length chunk, then the trailers.
func (c *chunkReader) finish() error {
	if err := c.checkChunkSig(); err != nil {
		return err
	}
	c.done = true
	if c.decoded >= 0 && c.total != c.decoded {
		return incomplete("decoded %d bytes, x-amz-decoded-content-length said %d", c.total, c.decoded)
	}
	c.trailer = http.Header{}
	var signedPart bytes.Buffer
	trailerSig := ""
	blankSeen := false
	for {
		line, err := c.readLine()
		if err != nil {
			if c.signed && !c.signedTrailer && len(c.trailer) == 0 {
				return nil // a signed stream without trailers may end right after "0;...\r\n"
			}
			if trailerSig != "" {
				break // the body ended right after the trailer signature
			}
			return malformedTrailer("the body ended inside its trailer")
		}
		if line == "" {
			// minio-go writes "name:value\n\r\n" before the signature
			// line: one blank line there is framing, not the end.
			if c.signedTrailer && trailerSig == "" && len(c.trailer) > 0 && !blankSeen {
				blankSeen = true
				continue
			}
			break
		}
		name, val, ok := strings.Cut(line, ":")
		if !ok {
			return malformedTrailer("trailer line %q has no colon", line)
		}
		name = strings.ToLower(strings.TrimSpace(name))
		if name == "x-amz-trailer-signature" {
			if trailerSig != "" {
				return malformedTrailer("two trailer signatures")
			}
			trailerSig = strings.TrimSpace(val)
			continue
		}
		if trailerSig != "" {
			return malformedTrailer("trailer %q after the trailer signature", name)
		}
		if len(c.trailer) >= maxTrailers {
			return malformedTrailer("more than %d trailing headers", maxTrailers)
		}
		c.trailer.Add(name, strings.TrimSpace(val))
		signedPart.WriteString(name + ":" + strings.TrimSpace(val) + "\n")
	}
	if c.signedTrailer && trailerSig == "" {
		return signatureMismatch()
	}
	if c.signedTrailer {
		sum := sha256.Sum256(signedPart.Bytes())
		sts := strings.Join([]string{"AWS4-HMAC-SHA256-TRAILER", c.amzDate, c.scope, c.prevSig, hex.EncodeToString(sum[:])}, "\n")
		if !hmac.Equal([]byte(hex.EncodeToString(hmacSHA256(c.key, sts))), []byte(trailerSig)) {
			return signatureMismatch()
		}
	}
	return nil
}
