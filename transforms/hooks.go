package transforms

import "context"

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
