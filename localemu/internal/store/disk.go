package store

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// inlineMax is the largest blob kept in the journal rather than in a file
// of its own: a small PUT then costs one append and one fsync.
const inlineMax = 128 << 10

// compactMin is the journal size below which it is never compacted at
// run time.
var compactMin int64 = 64 << 20

// OpenDisk opens (creating if needed) a store in dir. Layout:
//
//	blobs/<random id>  data of objects and parts larger than 128 KiB
//	meta/journal       append-only journal of every record (bucket,
//	                   version, upload, part) and of small objects' data
//	tmp/               files being written; emptied at start
//
// A record write appends to the journal and fsyncs it before returning;
// a large blob goes to tmp/, is fsynced, renamed into blobs/ and the
// directory fsynced before its record is written. So an acknowledged
// write survives a crash, and an interrupted one leaves nothing visible:
// a torn journal entry fails its CRC and is dropped at the next start.
// The journal is compacted at every start and when it grows to four times
// its live size.
func OpenDisk(dir string) (*Store, error) {
	d := &disk{root: dir, recs: map[string]span{}, inline: map[string]span{}}
	for _, sub := range []string{"blobs", "tmp", "meta"} {
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
	if err := d.open(); err != nil {
		return nil, err
	}
	return load(d)
}

// Journal entry: payload length and CRC32C (both little endian), then the
// payload: an op byte, the kind's and the id's lengths (one byte each),
// the kind, the id, and the data.
const (
	opPut      = 'P' // a record
	opDelete   = 'D' // a record removed
	opBlob     = 'B' // a small blob's data (kind "")
	opBlobGone = 'X' // a small blob removed
	headerSize = 8
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// span is where an entry's data sits in the journal.
type span struct{ off, n int64 }

type disk struct {
	root string

	mu     sync.Mutex
	f      *os.File // the journal, written at size
	size   int64
	live   int64           // bytes of entries still in use
	recs   map[string]span // kind + "/" + id
	inline map[string]span // small blobs by id
}

func (d *disk) path(parts ...string) string {
	return filepath.Join(append([]string{d.root}, parts...)...)
}

// validID guards every name the backend builds: ids are generated hex,
// never user input, and this keeps it that way.
func validID(id string) bool {
	return id != "" && len(id) <= 64 && strings.Trim(id, "0123456789abcdef") == ""
}

func encodeEntry(op byte, kind, id string, data []byte) []byte {
	payload := 3 + len(kind) + len(id) + len(data)
	e := make([]byte, headerSize, headerSize+payload)
	e = append(e, op, byte(len(kind)), byte(len(id)))
	e = append(e, kind...)
	e = append(e, id...)
	e = append(e, data...)
	binary.LittleEndian.PutUint32(e[0:], uint32(payload))
	binary.LittleEndian.PutUint32(e[4:], crc32.Checksum(e[headerSize:], castagnoli))
	return e
}

// entry is one decoded journal entry; data aliases the read buffer.
type entry struct {
	op       byte
	kind, id string
	data     []byte
	dataOff  int64 // offset of data in the journal
}

// readEntries calls fn for each intact entry of r from its start and
// returns the offset where intact entries end.
func readEntries(r io.Reader, fn func(e entry)) (int64, error) {
	br := bufio.NewReaderSize(r, 1<<20)
	var off int64
	var hdr [headerSize]byte
	var buf []byte
	for {
		if _, err := io.ReadFull(br, hdr[:]); err != nil {
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				return off, nil
			}
			return off, err
		}
		n := int64(binary.LittleEndian.Uint32(hdr[0:]))
		if n < 3 || n > inlineMax+1<<20 {
			return off, nil // garbage: a torn write
		}
		if int64(cap(buf)) < n {
			buf = make([]byte, n)
		}
		buf = buf[:n]
		if _, err := io.ReadFull(br, buf); err != nil {
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				return off, nil
			}
			return off, err
		}
		if crc32.Checksum(buf, castagnoli) != binary.LittleEndian.Uint32(hdr[4:]) {
			return off, nil
		}
		kl, il := int(buf[1]), int(buf[2])
		if 3+kl+il > len(buf) {
			return off, nil
		}
		head := int64(headerSize + 3 + kl + il)
		fn(entry{op: buf[0], kind: string(buf[3 : 3+kl]), id: string(buf[3+kl : 3+kl+il]), data: buf[3+kl+il:], dataOff: off + head})
		off += headerSize + n
	}
}

// open replays the journal (and the per-record files of the store's
// first layout, which it imports), then writes a compacted journal.
func (d *disk) open() error {
	recs, blobs := map[string][]byte{}, map[string][]byte{}
	if f, err := os.Open(d.path("meta", "journal")); err == nil {
		_, err = readEntries(f, func(e entry) {
			switch e.op {
			case opPut:
				recs[e.kind+"/"+e.id] = bytes.Clone(e.data)
			case opDelete:
				delete(recs, e.kind+"/"+e.id)
			case opBlob:
				blobs[e.id] = bytes.Clone(e.data)
			case opBlobGone:
				delete(blobs, e.id)
			}
		})
		f.Close()
		if err != nil {
			return fmt.Errorf("reading the journal: %w", err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("reading the journal: %w", err)
	}
	var legacy []string
	for _, kind := range []string{kindBucket, kindObject, kindUpload, kindPart} {
		entries, err := os.ReadDir(d.path("meta", kind))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		} else if err != nil {
			return err
		}
		legacy = append(legacy, d.path("meta", kind))
		for _, e := range entries {
			id, ok := strings.CutSuffix(e.Name(), ".json")
			if !ok || !validID(id) {
				continue
			}
			if _, done := recs[kind+"/"+id]; done {
				continue
			}
			data, err := os.ReadFile(d.path("meta", kind, e.Name()))
			if err != nil {
				return err
			}
			recs[kind+"/"+id] = data
		}
	}
	var buf bytes.Buffer
	for id, data := range blobs {
		buf.Write(encodeEntry(opBlob, "", id, data))
	}
	for key, data := range recs {
		kind, id, _ := strings.Cut(key, "/")
		buf.Write(encodeEntry(opPut, kind, id, data))
	}
	if err := d.rewrite(buf.Bytes()); err != nil {
		return err
	}
	for _, dir := range legacy {
		if err := os.RemoveAll(dir); err != nil {
			return err
		}
	}
	if len(legacy) > 0 {
		return syncDir(d.path("meta"))
	}
	return nil
}

// rewrite replaces the journal with content (whole entries), durably, and
// indexes it. d.mu is held or d is not shared yet.
func (d *disk) rewrite(content []byte) error {
	f, err := os.CreateTemp(d.path("tmp"), "journal-*")
	if err != nil {
		return fmt.Errorf("writing the journal: %w", err)
	}
	_, err = f.Write(content)
	if err == nil {
		err = f.Sync()
	}
	if err == nil {
		err = os.Rename(f.Name(), d.path("meta", "journal"))
	}
	if err == nil {
		err = syncDir(d.path("meta"))
	}
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		return fmt.Errorf("writing the journal: %w", err)
	}
	if d.f != nil {
		d.f.Close()
	}
	d.f, d.size, d.live = f, int64(len(content)), int64(len(content))
	clear(d.recs)
	clear(d.inline)
	readEntries(bytes.NewReader(content), func(e entry) {
		s := span{e.dataOff, int64(len(e.data))}
		if e.op == opBlob {
			d.inline[e.id] = s
		} else {
			d.recs[e.kind+"/"+e.id] = s
		}
	})
	return nil
}

// appendEntry writes an entry at the journal's end and, with sync, makes
// it and every entry before it durable. It returns the data's span.
func (d *disk) appendEntry(op byte, kind, id string, data []byte, sync bool) (span, error) {
	e := encodeEntry(op, kind, id, data)
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, err := d.f.WriteAt(e, d.size); err != nil {
		return span{}, fmt.Errorf("writing the journal: %w", err)
	}
	s := span{d.size + int64(len(e)-len(data)), int64(len(data))}
	d.size += int64(len(e))
	if sync {
		if err := d.f.Sync(); err != nil {
			return span{}, fmt.Errorf("syncing the journal: %w", err)
		}
	}
	return s, nil
}

// entrySize is the journal bytes of an entry whose data span is s.
func entrySize(kind, id string, s span) int64 {
	return headerSize + 3 + int64(len(kind)+len(id)) + s.n
}

// maybeCompact rewrites the journal with only live entries once it is
// four times larger than them (and over compactMin). d.mu is held.
func (d *disk) maybeCompact() {
	if d.size < compactMin || d.size < 4*d.live {
		return
	}
	var buf bytes.Buffer
	read := func(s span) []byte {
		p := make([]byte, s.n)
		d.f.ReadAt(p, s.off)
		return p
	}
	for id, s := range d.inline {
		buf.Write(encodeEntry(opBlob, "", id, read(s)))
	}
	for key, s := range d.recs {
		kind, id, _ := strings.Cut(key, "/")
		buf.Write(encodeEntry(opPut, kind, id, read(s)))
	}
	// On failure the current journal stays as it is: still correct.
	d.rewrite(buf.Bytes())
}

type diskBlob struct {
	d   *disk
	buf []byte   // data while it is small
	f   *os.File // data once it is not
}

func (d *disk) newBlob() (blobWriter, error) { return &diskBlob{d: d}, nil }

func (b *diskBlob) Write(p []byte) (int, error) {
	if b.f == nil && len(b.buf)+len(p) <= inlineMax {
		b.buf = append(b.buf, p...)
		return len(p), nil
	}
	if b.f == nil {
		f, err := os.CreateTemp(b.d.path("tmp"), "blob-*")
		if err != nil {
			return 0, fmt.Errorf("staging object data: %w", err)
		}
		b.f = f
		if _, err := f.Write(b.buf); err != nil {
			return 0, err
		}
		b.buf = nil
	}
	return b.f.Write(p)
}

func (b *diskBlob) abort() {
	b.buf = nil
	if b.f != nil {
		b.f.Close()
		os.Remove(b.f.Name())
	}
}

// commit stores the blob. A small one is appended to the journal without
// an fsync of its own: the record that refers to it is written next, and
// its fsync covers both; a crash in between leaves an orphan that the
// next start drops.
func (b *diskBlob) commit() (string, error) {
	id := newID()
	if b.f == nil {
		s, err := b.d.appendEntry(opBlob, "", id, b.buf, false)
		if err != nil {
			return "", err
		}
		b.d.mu.Lock()
		b.d.inline[id] = s
		b.d.live += entrySize("", id, s)
		b.d.mu.Unlock()
		b.buf = nil
		return id, nil
	}
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
	d.mu.Lock()
	s, ok := d.inline[id]
	if ok {
		p := make([]byte, s.n)
		_, err := d.f.ReadAt(p, s.off)
		d.mu.Unlock()
		if err != nil {
			return nil, fmt.Errorf("reading object data: %w", err)
		}
		return bytesContent{bytes.NewReader(p)}, nil
	}
	d.mu.Unlock()
	f, err := os.Open(d.path("blobs", id))
	if err != nil {
		return nil, fmt.Errorf("opening object data: %w", err)
	}
	return f, nil
}

type bytesContent struct{ *bytes.Reader }

func (bytesContent) Close() error { return nil }

func (d *disk) removeBlob(id string) {
	if !validID(id) {
		return
	}
	d.mu.Lock()
	s, ok := d.inline[id]
	if ok {
		delete(d.inline, id)
		d.live -= entrySize("", id, s)
	}
	d.mu.Unlock()
	if ok {
		// No fsync: a removal lost in a crash leaves an orphan, dropped
		// at the next start.
		d.appendEntry(opBlobGone, "", id, nil, false)
		return
	}
	os.Remove(d.path("blobs", id))
}

func (d *disk) putRecord(kind, id string, v any) error {
	if !validID(id) {
		return fmt.Errorf("record id %q is not valid", id)
	}
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	s, err := d.appendEntry(opPut, kind, id, data, true)
	if err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	key := kind + "/" + id
	if old, ok := d.recs[key]; ok {
		d.live -= entrySize(kind, id, old)
	}
	d.recs[key] = s
	d.live += entrySize(kind, id, s)
	d.maybeCompact()
	return nil
}

func (d *disk) deleteRecord(kind, id string) error {
	if !validID(id) {
		return fmt.Errorf("record id %q is not valid", id)
	}
	if _, err := d.appendEntry(opDelete, kind, id, nil, true); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	key := kind + "/" + id
	if old, ok := d.recs[key]; ok {
		d.live -= entrySize(kind, id, old)
		delete(d.recs, key)
	}
	d.maybeCompact()
	return nil
}

func (d *disk) records(kind string, fn func([]byte) error) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	for key, s := range d.recs {
		k, id, _ := strings.Cut(key, "/")
		if k != kind {
			continue
		}
		data := make([]byte, s.n)
		if _, err := d.f.ReadAt(data, s.off); err != nil {
			return err
		}
		if err := fn(data); err != nil {
			return fmt.Errorf("%s %s: %w", kind, id, err)
		}
	}
	return nil
}

func (d *disk) blobIDs() ([]string, error) {
	entries, err := os.ReadDir(d.path("blobs"))
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	ids := make([]string, 0, len(entries)+len(d.inline))
	for _, e := range entries {
		ids = append(ids, e.Name())
	}
	for id := range d.inline {
		ids = append(ids, id)
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
