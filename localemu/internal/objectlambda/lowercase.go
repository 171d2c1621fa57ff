package objectlambda

import (
	"net/http"
	"strings"
)

// lowerAmzHeaders sends x-amz-* response header names in lower case, as
// S3 does (x-amz-meta-owner, x-amz-checksum-crc32, x-amz-request-id):
// Go's Header.Set canonicalises them to X-Amz-Meta-Owner, and functions in
// other languages that compare names as strings (AWS's decompression
// samples keep headers that start with "x-amz-meta-") would otherwise miss
// them. The headers net/http itself reads (Content-Length, Content-Type,
// ...) keep their canonical names.
type lowerAmzHeaders struct {
	http.ResponseWriter
	done bool
}

func (l *lowerAmzHeaders) lower() {
	if l.done {
		return
	}
	l.done = true
	h := l.ResponseWriter.Header()
	for k, v := range h {
		if strings.HasPrefix(k, "X-Amz-") {
			delete(h, k)
			h[strings.ToLower(k)] = append(h[strings.ToLower(k)], v...)
		}
	}
}

func (l *lowerAmzHeaders) WriteHeader(code int) {
	l.lower()
	l.ResponseWriter.WriteHeader(code)
}

func (l *lowerAmzHeaders) Write(p []byte) (int, error) {
	l.lower()
	return l.ResponseWriter.Write(p)
}

func (l *lowerAmzHeaders) Flush() {
	l.lower()
	if f, ok := l.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the connection.
func (l *lowerAmzHeaders) Unwrap() http.ResponseWriter { return l.ResponseWriter }
