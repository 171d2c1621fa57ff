package transforms

import "context"

// A HeadTransform answers HEAD requests: Head edits obj as Apply would,
// without the bytes (a HEAD has none), so a HEAD describes what a GET
// would return. It reports whether the object's bytes would pass through
// unchanged (as Unchanged does for Apply).
//
// A stage without Head is assumed to change the bytes: its HEAD answer
// keeps the headers but drops what described the original bytes.
type HeadTransform interface {
	Transform
	Head(ctx context.Context, obj *Object) (unchanged bool, err error)
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
		err := byteRule(obj, s.t, func() (bool, error) {
			if h, ok := s.t.(HeadTransform); ok {
				return h.Head(ctx, obj)
			}
			return false, nil
		})
		if err != nil {
			return stageError(s.name, err)
		}
	}
	return nil
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
			var err error
			if entries, err = l.List(ctx, entries); err != nil {
				return nil, stageError(s.name, err)
			}
		}
	}
	return entries, nil
}
