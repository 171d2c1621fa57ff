package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// OpenDisk opens (creating if needed) a store in dir. Layout:
//
//	blobs/<random id>          object and part data
//	meta/<kind>/<sha256>.json  one record per bucket, version, upload, part
//	tmp/                       files being written; emptied at start
//
// Every write goes to tmp/, is fsynced, renamed into place, and the
// directory fsynced, so an acknowledged write survives a crash and an
// interrupted one leaves nothing visible.
func OpenDisk(dir string) (*Store, error) {
	d := &disk{root: dir}
	for _, sub := range []string{"blobs", "tmp", "meta/" + kindBucket, "meta/" + kindObject, "meta/" + kindUpload, "meta/" + kindPart} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return nil, fmt.Errorf("creating the data folder: %w", err)
		}
	}
	if err := os.RemoveAll(filepath.Join(dir, "tmp")); err != nil {
		return nil, fmt.Errorf("emptying %s: %w", filepath.Join(dir, "tmp"), err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o755); err != nil {
		return nil, err
	}
	return load(d)
}

type disk struct{ root string }

func (d *disk) path(parts ...string) string {
	return filepath.Join(append([]string{d.root}, parts...)...)
}

// validID guards every name the backend builds: ids are generated hex,
// never user input, and this keeps it that way.
func validID(id string) bool {
	return id != "" && len(id) <= 64 && strings.Trim(id, "0123456789abcdef") == ""
}

type diskBlob struct {
	d *disk
	f *os.File
}

func (d *disk) newBlob() (blobWriter, error) {
	f, err := os.CreateTemp(d.path("tmp"), "blob-*")
	if err != nil {
		return nil, fmt.Errorf("staging object data: %w", err)
	}
	return &diskBlob{d: d, f: f}, nil
}

func (b *diskBlob) Write(p []byte) (int, error) { return b.f.Write(p) }

func (b *diskBlob) abort() {
	b.f.Close()
	os.Remove(b.f.Name())
}

func (b *diskBlob) commit() (string, error) {
	id := newID()
	if err := b.f.Sync(); err != nil {
		b.abort()
		return "", fmt.Errorf("syncing object data: %w", err)
	}
	if err := b.f.Close(); err != nil {
		os.Remove(b.f.Name())
		return "", fmt.Errorf("closing object data: %w", err)
	}
	if err := os.Rename(b.f.Name(), b.d.path("blobs", id)); err != nil {
		os.Remove(b.f.Name())
		return "", fmt.Errorf("storing object data: %w", err)
	}
	return id, syncDir(b.d.path("blobs"))
}

func (d *disk) openBlob(id string) (Content, error) {
	if !validID(id) {
		return nil, fmt.Errorf("blob id %q is not valid", id)
	}
	f, err := os.Open(d.path("blobs", id))
	if err != nil {
		return nil, fmt.Errorf("opening object data: %w", err)
	}
	return f, nil
}

func (d *disk) removeBlob(id string) {
	if validID(id) {
		os.Remove(d.path("blobs", id))
	}
}

func (d *disk) putRecord(kind, id string, v any) error {
	if !validID(id) {
		return fmt.Errorf("record id %q is not valid", id)
	}
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(d.path("tmp"), "rec-*")
	if err != nil {
		return fmt.Errorf("writing metadata: %w", err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), d.path("meta", kind, id+".json"))
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("writing metadata: %w", err)
	}
	return syncDir(d.path("meta", kind))
}

func (d *disk) deleteRecord(kind, id string) error {
	if !validID(id) {
		return fmt.Errorf("record id %q is not valid", id)
	}
	err := os.Remove(d.path("meta", kind, id+".json"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("removing metadata: %w", err)
	}
	return syncDir(d.path("meta", kind))
}

func (d *disk) records(kind string, fn func([]byte) error) error {
	entries, err := os.ReadDir(d.path("meta", kind))
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		data, err := os.ReadFile(d.path("meta", kind, e.Name()))
		if err != nil {
			return err
		}
		if err := fn(data); err != nil {
			return fmt.Errorf("%s: %w", e.Name(), err)
		}
	}
	return nil
}

func (d *disk) blobIDs() ([]string, error) {
	entries, err := os.ReadDir(d.path("blobs"))
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(entries))
	for _, e := range entries {
		ids = append(ids, e.Name())
	}
	return ids, nil
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("syncing %s: %w", dir, err)
	}
	return nil
}
