package transforms

import (
	"context"
	"io"
)

// A HeadTransform answers HEAD requests: Head edits obj as Apply would,
// without the bytes (a HEAD has none), so that a HEAD describes what a GET
// would return: the same headers, and through SetSize the same length when
// the stage knows it from the headers alone, or Unchanged when the bytes
// would pass through as they are.
//
// A stage without Head is taken to change the bytes in a way only Apply
// can tell: its HEAD answer keeps the headers but drops what described the
// original bytes.
type HeadTransform interface {
	Transform
	Head(ctx context.Context, obj *Object) error
}

// ListEntry is one object of a listing, as ListObjects and ListObjectsV2
// return it.
type ListEntry struct {
	Key          string
	Size         int64
	ETag         string
	LastModified string
	StorageClass string
}

// A ListTransform edits listings answered through the access point: it may
// change, drop or add entries (a stage that serves objects under other
// names, or hides some). Stages without it leave listings unchanged.
type ListTransform interface {
	Transform
	List(ctx context.Context, entries []ListEntry) ([]ListEntry, error)
}

// Head runs the HEAD hooks of every stage on obj. Before each stage obj
// describes its input; after a stage that is not a Preserver, whatever of
// that it left untouched is dropped, exactly as Apply does.
func (c *Chain) Head(ctx context.Context, obj *Object) error {
	c.prepare(obj)
	for _, s := range c.stages {
		err := s.run(obj, func() error {
			if h, ok := s.t.(HeadTransform); ok {
				return h.Head(ctx, obj)
			}
			return nil
		})
		if err != nil {
			return stageError(s.name, err)
		}
	}
	return nil
}

// DescribesHead reports whether the chain's HEAD hooks describe its output
// without the bytes: every stage is a Preserver or a HeadTransform. When
// one is neither, only Apply can tell what a GET would answer, so a HEAD
// must run it.
func (c *Chain) DescribesHead() bool {
	for _, s := range c.stages {
		if _, ok := s.t.(HeadTransform); !ok && !preserves(s.t) {
			return false
		}
	}
	return true
}

// Lists reports whether any stage edits listings.
func (c *Chain) Lists() bool {
	for _, s := range c.stages {
		if _, ok := s.t.(ListTransform); ok {
			return true
		}
	}
	return false
}

// List runs the listing hooks of every stage, in order.
func (c *Chain) List(ctx context.Context, entries []ListEntry) ([]ListEntry, error) {
	for _, s := range c.stages {
		if l, ok := s.t.(ListTransform); ok {
			err := s.guard(func() (err error) {
				entries, err = l.List(ctx, entries)
				return err
			})
			if err != nil {
				return nil, stageError(s.name, err)
			}
		}
	}
	return entries, nil
}

// A RangeTransform can start its output at any offset without producing
// what comes before it, reading its input at random through obj.Source
// (decompress does, with a checkpoint index into the compressed object),
// so that a ranged GET costs what the range costs, not what its offset
// costs.
type RangeTransform interface {
	Transform
	// ApplyAt is Apply from output byte off on (off < 0: the last -off
	// bytes), of which the caller will read n (n < 0: to the end; a hint
	// that lets it read no more of its input than that needs). It
	// describes obj as Apply would and needs the output's whole length,
	// which it states with SetSize. ok false means it cannot this time (no
	// Source, a format it cannot seek in): the caller then uses Apply.
	ApplyAt(ctx context.Context, obj *Object, off, n int64) (r io.Reader, ok bool, err error)
}

// ApplyAt is Apply from output byte off on, when the chain can start
// there: its first stage is a RangeTransform that can this time, and every
// later stage a Preserver. ok false means it cannot, and nothing was done.
func (c *Chain) ApplyAt(ctx context.Context, obj *Object, off, n int64) (_ io.ReadCloser, ok bool, _ error) {
	if len(c.stages) == 0 {
		return nil, false, nil
	}
	first := c.stages[0]
	rt, isRange := first.t.(RangeTransform)
	if !isRange {
		return nil, false, nil
	}
	for _, s := range c.stages[1:] {
		if !preserves(s.t) {
			return nil, false, nil
		}
	}
	c.prepare(obj)
	trial := *obj // obj stays as it was unless the stage can
	trial.Header = obj.Header.Clone()
	out := &output{}
	err := first.run(&trial, func() error {
		next, can, err := rt.ApplyAt(ctx, &trial, off, n)
		if err != nil || !can {
			return err
		}
		ok = true
		return out.push(first.name, next)
	})
	if err != nil {
		out.Close()
		return nil, false, stageError(first.name, err)
	}
	if !ok {
		return nil, false, nil
	}
	*obj = trial
	if err := out.through(ctx, obj, c.stages[1:]); err != nil {
		return nil, true, err
	}
	return out, true, nil
}
