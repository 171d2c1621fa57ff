package store

import (
	"errors"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"weak"

	"github.com/olkit/olkit/s3err"
)

// errBlobGone is what a backend answers for a blob that was removed.
var errBlobGone = errors.New("the object's data was removed")

// errRecordTooLarge refuses a record replay could not read back.
func errRecordTooLarge(n int) error {
	return s3err.New(http.StatusBadRequest, "InvalidArgument", "The object's description (%d bytes of headers, metadata and tags) is too large to store", n)
}

// A reader between Get and Open holds a pin on the blob it is about to
// read: a version replaced or deleted meanwhile keeps its blob until the
// pin goes, so a GET racing an overwrite or a DELETE serves the old bytes
// instead of failing. Open releases the pin once the data is open (an
// open file or copied bytes stay readable after the blob is removed); a
// HEAD or a 304 never opens, and its pin goes when the Object it got is
// garbage collected.
type pins struct {
	mu     sync.Mutex
	count  map[string]int  // blob id -> pins held
	doomed map[string]bool // removed while pinned: remove at the last unpin
	byObj  map[weak.Pointer[Object]]*pinState
}

type pinState struct {
	blob string
	done atomic.Bool
}

// pin marks o's blob as in use until Open(o) or o is collected. s.mu is
// held, so the blob is still referred to by a version.
func (s *Store) pin(o *Object) {
	if o.Blob == "" {
		return
	}
	st := &pinState{blob: o.Blob}
	p := &s.pins
	p.mu.Lock()
	if p.count == nil {
		p.count, p.doomed, p.byObj = map[string]int{}, map[string]bool{}, map[weak.Pointer[Object]]*pinState{}
	}
	p.count[o.Blob]++
	wp := weak.Make(o)
	p.byObj[wp] = st
	p.mu.Unlock()
	runtime.AddCleanup(o, func(wp weak.Pointer[Object]) {
		p.mu.Lock()
		st := p.byObj[wp]
		delete(p.byObj, wp)
		p.mu.Unlock()
		if st != nil {
			s.unpin(st)
		}
	}, wp)
}

// takePin returns o's pin, if it has one that was not released yet, for
// the caller to release.
func (s *Store) takePin(o *Object) *pinState {
	p := &s.pins
	p.mu.Lock()
	defer p.mu.Unlock()
	wp := weak.Make(o)
	st := p.byObj[wp]
	delete(p.byObj, wp)
	return st
}

// unpin releases a pin once; the last one out removes a doomed blob.
func (s *Store) unpin(st *pinState) {
	if st == nil || !st.done.CompareAndSwap(false, true) {
		return
	}
	s.unpinBlob(st.blob)
}

func (s *Store) unpinBlob(blob string) {
	p := &s.pins
	p.mu.Lock()
	p.count[blob]--
	remove := false
	if p.count[blob] <= 0 {
		delete(p.count, blob)
		remove = p.doomed[blob]
		delete(p.doomed, blob)
	}
	p.mu.Unlock()
	if remove {
		s.b.removeBlob(blob)
	}
}

// pinBlob pins a blob by id, for the store's own readers (Complete);
// release with unpinBlob.
func (s *Store) pinBlob(blob string) {
	p := &s.pins
	p.mu.Lock()
	if p.count == nil {
		p.count, p.doomed, p.byObj = map[string]int{}, map[string]bool{}, map[weak.Pointer[Object]]*pinState{}
	}
	p.count[blob]++
	p.mu.Unlock()
}

// dropBlob removes a blob no record refers to any more, at once or, when
// a reader holds it, at its last unpin.
func (s *Store) dropBlob(blob string) {
	if blob == "" {
		return
	}
	p := &s.pins
	p.mu.Lock()
	if p.count[blob] > 0 {
		p.doomed[blob] = true
		p.mu.Unlock()
		return
	}
	p.mu.Unlock()
	s.b.removeBlob(blob)
}
