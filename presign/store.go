package presign

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/olkit/olkit/transforms"
)

// maxStored bounds what Store.Get reads: a stage keeps small objects there
// (a checkpoint index is at most a few MiB).
const maxStored = 16 << 20

// Store keeps the stages' small objects (transforms.Store) in Bucket — a
// bucket name or an access point ARN — through URLs the Signer signs with
// the function's own role.
type Store struct {
	Signer *Signer
	Client *http.Client
	Bucket string
}

// Get reads key; transforms.ErrNotStored when it holds nothing (or the
// role may not read it: a store is an optimisation, never a requirement).
func (s *Store) Get(ctx context.Context, key string) ([]byte, error) {
	u, err := s.Signer.GetURL(ctx, s.Bucket, key, "")
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := s.Client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("presign store: reading %s: %w", key, err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusForbidden:
		return nil, transforms.ErrNotStored
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("presign store: reading %s: %s", key, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxStored+1))
	if err != nil {
		return nil, fmt.Errorf("presign store: reading %s: %w", key, err)
	}
	if len(data) > maxStored {
		return nil, fmt.Errorf("presign store: %s is larger than %d bytes", key, maxStored)
	}
	return data, nil
}

// Put writes data under key.
func (s *Store) Put(ctx context.Context, key string, data []byte) error {
	u, err := s.Signer.PutURL(ctx, s.Bucket, key)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, u, bytes.NewReader(data))
	if err != nil {
		return err
	}
	resp, err := s.Client.Do(req)
	if err != nil {
		return fmt.Errorf("presign store: writing %s: %w", key, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("presign store: writing %s: %s", key, resp.Status)
	}
	return nil
}
