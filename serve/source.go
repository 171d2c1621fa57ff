package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"

	"github.com/olkit/olkit/s3err"
)

// maxSkip is how far ahead of the open stream a read may start and still
// be served from it by discarding the bytes between, rather than by a new
// request.
const maxSkip = 256 << 10

// rangeSource is random access to the original object through ranged GETs
// of inputS3Url: what a stage that must seek (ZIP's central directory)
// reads instead of the stream. It keeps one ranged GET open and serves
// sequential reads from it, since readers such as archive/zip read a few
// KiB at a time; a read elsewhere opens a new range. Every range is pinned
// to the first answer's ETag with If-Match, so an object that changes while
// it is read fails the request instead of mixing two versions.
type rangeSource struct {
	ctx    context.Context
	origin *URLOrigin
	url    string
	etag   string
	size   int64

	mu    sync.Mutex
	body  io.ReadCloser
	pos   int64 // offset of body's next byte
	total int64 // bytes read over all ranges, skipped ones included
}

func (s *rangeSource) Size() int64 { return s.size }

// ReadAt reads len(p) bytes at off, or fewer with io.EOF at the end.
func (s *rangeSource) ReadAt(p []byte, off int64) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if off < 0 {
		return 0, errors.New("rangeSource: negative offset")
	}
	if off >= s.size {
		return 0, io.EOF
	}
	want := p[:min(int64(len(p)), s.size-off)]
	if err := s.seek(off); err != nil {
		return 0, err
	}
	n, err := io.ReadFull(s.body, want)
	s.pos += int64(n)
	s.total += int64(n)
	if err != nil {
		s.drop()
		return n, fmt.Errorf("reading the original object at offset %d: %w", off+int64(n), err)
	}
	if len(want) < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// seek makes the open stream stand at off.
func (s *rangeSource) seek(off int64) error {
	if s.body != nil && off >= s.pos && off-s.pos <= maxSkip {
		n, err := io.CopyN(io.Discard, s.body, off-s.pos)
		s.pos += n
		s.total += n
		if err == nil {
			return nil
		}
	}
	s.drop()
	return s.open(off)
}

func (s *rangeSource) open(off int64) error {
	req, err := s.origin.request(s.ctx, s.url)
	if err != nil {
		return err
	}
	req.Header.Set("Range", fmt.Sprintf("bytes=%d-", off))
	if s.etag != "" {
		req.Header.Set("If-Match", s.etag)
	}
	resp, err := s.origin.Client.Do(req)
	if err != nil {
		return redactURL(err)
	}
	switch {
	case resp.StatusCode == http.StatusPartialContent:
	case resp.StatusCode == http.StatusOK && off == 0:
	case resp.StatusCode == http.StatusPreconditionFailed:
		resp.Body.Close()
		return s3err.New(http.StatusConflict, "OperationAborted", "olkit: the original object changed while it was being read")
	case resp.StatusCode/100 != 2:
		defer resp.Body.Close()
		return originalError(resp)
	default:
		resp.Body.Close()
		return fmt.Errorf("ranged GET of the original at %d answered %s, not 206", off, resp.Status)
	}
	s.body, s.pos = resp.Body, off
	return nil
}

func (s *rangeSource) drop() {
	if s.body != nil {
		s.body.Close()
		s.body = nil
	}
}

// BytesRead is how many bytes the ranges have read, for the log.
func (s *rangeSource) BytesRead() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.total
}

// Close ends the open ranged GET, if any.
func (s *rangeSource) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.drop()
	return nil
}
