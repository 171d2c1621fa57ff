// Package spool holds a stream in a bounded temporary file, for the stages
// that must see all of it before answering: a ZIP archive that arrives as a
// stream (its directory is at the end), a checksum or length the caller
// needs before the first byte, an access decision over the whole object.
//
// The file is unlinked as soon as it is created, so nothing is left behind
// however the process ends; Close releases it.
package spool

import (
	"fmt"
	"io"
	"os"
)

// LimitError reports a stream longer than the spool may hold.
type LimitError struct{ Limit int64 }

func (e *LimitError) Error() string {
	return fmt.Sprintf("spool: the stream is longer than the %d bytes a temporary file may hold", e.Limit)
}

// File is a temporary file that refuses to grow past its limit.
type File struct {
	f     *os.File
	size  int64
	limit int64
}

// New creates an empty spool of at most limit bytes in dir (os.TempDir()
// when empty; /tmp on Lambda).
func New(dir string, limit int64) (*File, error) {
	f, err := os.CreateTemp(dir, "olkit-spool-*")
	if err != nil {
		return nil, fmt.Errorf("spool: %w", err)
	}
	// Unlinked at once: the open descriptor keeps the data until Close.
	if err := os.Remove(f.Name()); err != nil {
		f.Close()
		return nil, fmt.Errorf("spool: %w", err)
	}
	return &File{f: f, limit: limit}, nil
}

// Copy spools all of r into a new File. Past the limit it stops reading and
// returns a *LimitError.
func Copy(dir string, limit int64, r io.Reader) (*File, error) {
	s, err := New(dir, limit)
	if err != nil {
		return nil, err
	}
	if _, err := io.Copy(s, r); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Write appends p, or fails with a *LimitError if that would pass the limit.
func (s *File) Write(p []byte) (int, error) {
	if s.size+int64(len(p)) > s.limit {
		return 0, &LimitError{Limit: s.limit}
	}
	n, err := s.f.Write(p)
	s.size += int64(n)
	return n, err
}

// ReadAt reads the spooled bytes at off.
func (s *File) ReadAt(p []byte, off int64) (int, error) { return s.f.ReadAt(p, off) }

// Size returns how many bytes were spooled.
func (s *File) Size() int64 { return s.size }

// Reader returns a reader of the spooled bytes from the start.
func (s *File) Reader() io.Reader { return io.NewSectionReader(s.f, 0, s.size) }

// Close releases the file.
func (s *File) Close() error { return s.f.Close() }
