package store

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// inlineMax is the largest blob kept in the journal rather than in a file
// of its own: a small PUT then costs one append and one fsync.
const inlineMax = 128 << 10

// maxEntry is the largest journal entry payload. putRecord refuses a
// record over it and replay reads any entry up to it, so a record that
// was acknowledged is always one replay accepts. It is far above what
// S3's own limits let a record reach (2 KB of user metadata, 1,024-byte
// keys, 10,000 part sizes, headers bounded by the HTTP server).
const maxEntry = 16 << 20

// DefaultCompactMin is the journal size below which it is never compacted
// while running.
const DefaultCompactMin int64 = 64 << 20

// DiskOptions tunes a disk store.
type DiskOptions struct {
	// CompactMin is the journal size below which it is never compacted
	// while running; 0 means DefaultCompactMin. Tests set it low to make
	// compaction frequent.
	CompactMin int64
}

// OpenDisk opens (creating if needed) a store in dir with default options.
func OpenDisk(dir string) (*Store, error) { return OpenDiskOptions(dir, DiskOptions{}) }

// OpenDiskOptions opens (creating if needed) a store in dir. Layout:
//
//	blobs/<random id>  data of objects and parts larger than 128 KiB
//	meta/journal       append-only journal of every record (bucket,
//	                   version, upload, part) and of small objects' data
//	tmp/               files being written; emptied at start
//
// A record write appends to the journal and fsyncs it before returning;
// a large blob goes to tmp/, is fsynced, renamed into blobs/ and the
// directory fsynced before its record is written. So an acknowledged
// write survives a crash, and an interrupted one leaves nothing visible.
//
// Replay keeps only where each live entry sits (never its data), so
// startup memory depends on the number of live records, not on the
// journal's size. An entry cut short by the end of the file is the torn
// last write of a crash, never acknowledged, and is cut off; an entry
// that cannot be read with data after it is damage, and opening fails
// with its offset rather than dropping what follows. The journal is
// compacted at start when at least half of it is dead, and while running
// when it grows past CompactMin and four times its live size.
func OpenDiskOptions(dir string, opt DiskOptions) (*Store, error) {
	d := &disk{root: dir, compactMin: opt.CompactMin, recs: map[string]span{}, inline: map[string]span{}}
	if d.compactMin <= 0 {
		d.compactMin = DefaultCompactMin
	}
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
	s, err := load(d)
	if err != nil {
		d.f.Close()
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.size > 0 && d.size >= 2*d.live {
		if err := d.compact(); err != nil {
			d.f.Close()
			return nil, err
		}
	}
	return s, nil
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
	root       string
	compactMin int64

	mu     sync.Mutex
	f      *os.File // the journal, written at size
	size   int64
	live   int64           // bytes of entries still in use
	recs   map[string]span // kind + "/" + id
	inline map[string]span // small blobs by id
	// failed is set when an fsync of the journal failed: what is on disk
	// is then unknown, so no later write may be acknowledged.
	failed error
}

func (d *disk) path(parts ...string) string {
	return filepath.Join(append([]string{d.root}, parts...)...)
}

// validID guards every name the backend builds: ids are generated hex,
// never user input, and this keeps it that way.
func validID(id string) bool {
	return id != "" && len(id) <= 64 && strings.Trim(id, "0123456789abcdef") == ""
}

// pathless drops the file name from an error: errors reach clients in 500
// answers, and they must not show the server's folders.
func pathless(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return fmt.Errorf("%s: %w", le.Op, le.Err)
	}
	return err
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

// journalName is how errors name the journal: relative to the data
// folder, which the caller names.
const journalName = "meta/journal"

// scanJournal calls fn for each entry of the first size bytes of f and
// returns the offset where whole entries end. An entry that reaches past
// size is the torn last write of a crash; so is a bad final entry, or a
// bad one followed only by zeros (a crash after the file grew but before
// its data landed). Any other unreadable entry is damage: scanJournal
// fails naming its offset, because entries after it were acknowledged.
func scanJournal(f io.ReaderAt, size int64, fn func(e entry)) (int64, error) {
	br := bufio.NewReaderSize(io.NewSectionReader(f, 0, size), 1<<20)
	var off int64
	var hdr [headerSize]byte
	var buf []byte
	for off < size {
		if size-off < headerSize {
			return off, nil // a header cut short
		}
		if _, err := io.ReadFull(br, hdr[:]); err != nil {
			return off, fmt.Errorf("%s at offset %d: %w", journalName, off, pathless(err))
		}
		n := int64(binary.LittleEndian.Uint32(hdr[0:]))
		if n < 3 {
			return off, tailIsTorn(f, off, off, size, fmt.Sprintf("a length of %d", n))
		}
		if n > maxEntry {
			// No writer makes such an entry, and a kill tears an append
			// only by cutting it short: this header is damaged.
			return off, damaged(off, size, fmt.Sprintf("a length of %d, over the limit of %d", n, maxEntry))
		}
		if off+headerSize+n > size {
			return off, nil // cut short by the end of the file
		}
		if int64(cap(buf)) < n {
			buf = make([]byte, n)
		}
		buf = buf[:n]
		if _, err := io.ReadFull(br, buf); err != nil {
			return off, fmt.Errorf("%s at offset %d: %w", journalName, off, pathless(err))
		}
		kl, il := int(buf[1]), int(buf[2])
		if crc32.Checksum(buf, castagnoli) != binary.LittleEndian.Uint32(hdr[4:]) || 3+kl+il > len(buf) {
			if off+headerSize+n == size {
				return off, nil // the last entry, torn
			}
			return off, tailIsTorn(f, off, off+headerSize+n, size, "a checksum mismatch")
		}
		head := int64(headerSize + 3 + kl + il)
		fn(entry{op: buf[0], kind: string(buf[3 : 3+kl]), id: string(buf[3+kl : 3+kl+il]), data: buf[3+kl+il:], dataOff: off + head})
		off += headerSize + n
	}
	return off, nil
}

// tailIsTorn accepts the bad entry at off as torn when only zeros follow
// from from; otherwise it is damage.
func tailIsTorn(f io.ReaderAt, off, from, size int64, why string) error {
	buf := make([]byte, 64<<10)
	for at := from; at < size; {
		n, err := f.ReadAt(buf[:min(int64(len(buf)), size-at)], at)
		for _, c := range buf[:n] {
			if c != 0 {
				return damaged(off, size, why)
			}
		}
		if err != nil && err != io.EOF {
			return fmt.Errorf("%s at offset %d: %w", journalName, at, pathless(err))
		}
		if n == 0 {
			break
		}
		at += int64(n)
	}
	return nil
}

func damaged(off, size int64, why string) error {
	return fmt.Errorf("%s: the entry at offset %d is unreadable (%s) and %d bytes of acknowledged entries may follow it; "+
		"refusing to start rather than drop them (to start anyway, keep a copy of the journal and truncate it to %d bytes)",
		journalName, off, why, size-off, off)
}

// open replays the journal into the index (spans only), cuts off a torn
// tail, and imports the per-record files of the store's first layout.
func (d *disk) open() error {
	f, err := os.OpenFile(d.path("meta", "journal"), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("opening %s: %w", journalName, pathless(err))
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("opening %s: %w", journalName, pathless(err))
	}
	end, err := scanJournal(f, fi.Size(), func(e entry) { d.index(e.op, e.kind, e.id, span{e.dataOff, int64(len(e.data))}) })
	if err != nil {
		f.Close()
		return err
	}
	if end < fi.Size() {
		// Appends go after end; the torn bytes must not stay between.
		if err := f.Truncate(end); err == nil {
			err = f.Sync()
		}
		if err != nil {
			f.Close()
			return fmt.Errorf("cutting the torn end of %s: %w", journalName, pathless(err))
		}
	}
	d.f, d.size = f, end
	if err := d.importLegacy(); err != nil {
		f.Close()
		return err
	}
	return nil
}

// importLegacy moves the records of the first layout (meta/<kind>/<id>.json)
// into the journal, then removes their folders.
func (d *disk) importLegacy() error {
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
			if _, done := d.recs[kind+"/"+id]; done {
				continue
			}
			data, err := os.ReadFile(d.path("meta", kind, e.Name()))
			if err != nil {
				return err
			}
			if err := d.appendEntry(opPut, kind, id, data, true); err != nil {
				return err
			}
		}
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

// index applies an entry whose data is at s to the index. d.mu is held
// or d is not shared yet.
func (d *disk) index(op byte, kind, id string, s span) {
	switch op {
	case opPut:
		key := kind + "/" + id
		if old, ok := d.recs[key]; ok {
			d.live -= entrySize(kind, id, old)
		}
		d.recs[key] = s
		d.live += entrySize(kind, id, s)
	case opDelete:
		key := kind + "/" + id
		if old, ok := d.recs[key]; ok {
			d.live -= entrySize(kind, id, old)
			delete(d.recs, key)
		}
	case opBlob:
		if old, ok := d.inline[id]; ok {
			d.live -= entrySize("", id, old)
		}
		d.inline[id] = s
		d.live += entrySize("", id, s)
	case opBlobGone:
		if old, ok := d.inline[id]; ok {
			d.live -= entrySize("", id, old)
			delete(d.inline, id)
		}
	}
}

// appendEntry writes an entry at the journal's end and indexes it in the
// same critical section, so a compaction sees either neither or both.
// With sync it makes the entry and every one before it durable, then
// compacts the journal if it is due.
func (d *disk) appendEntry(op byte, kind, id string, data []byte, sync bool) error {
	e := encodeEntry(op, kind, id, data)
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.failed != nil {
		return fmt.Errorf("the journal failed an fsync earlier (%w); restart localemu", d.failed)
	}
	if _, err := d.f.WriteAt(e, d.size); err != nil {
		// Nothing is indexed; the next entry is written over this one.
		return fmt.Errorf("writing the journal: %w", pathless(err))
	}
	s := span{d.size + int64(len(e)-len(data)), int64(len(data))}
	d.size += int64(len(e))
	d.index(op, kind, id, s)
	if sync {
		if err := d.f.Sync(); err != nil {
			d.failed = pathless(err)
			return fmt.Errorf("syncing the journal: %w", d.failed)
		}
		if d.size >= d.compactMin && d.size >= 4*d.live {
			// On failure the current journal stays as it is: still correct.
			d.compact()
		}
	}
	return nil
}

// entrySize is the journal bytes of an entry whose data span is s.
func entrySize(kind, id string, s span) int64 {
	return headerSize + 3 + int64(len(kind)+len(id)) + s.n
}

// liveEntry is one live entry during compaction.
type liveEntry struct {
	key    string
	blob   bool
	s      span
	head   int64 // bytes before the data
	newOff int64
}

// compact rewrites the journal with only its live entries, copied byte
// for byte in file order through a bounded buffer, to a temporary file
// that is fsynced and renamed over the journal. d.mu is held, so no entry
// is appended or indexed meanwhile; a crash at any point leaves either
// the old journal or the new one, both complete.
func (d *disk) compact() error {
	entries := make([]liveEntry, 0, len(d.recs)+len(d.inline))
	for key, s := range d.recs {
		kind, id, _ := strings.Cut(key, "/")
		entries = append(entries, liveEntry{key: key, s: s, head: headerSize + 3 + int64(len(kind)+len(id))})
	}
	for id, s := range d.inline {
		entries = append(entries, liveEntry{key: id, blob: true, s: s, head: headerSize + 3 + int64(len(id))})
	}
	slices.SortFunc(entries, func(a, b liveEntry) int { return int(a.s.off - b.s.off) })
	f, err := os.CreateTemp(d.path("tmp"), "journal-*")
	if err != nil {
		return fmt.Errorf("compacting the journal: %w", pathless(err))
	}
	fail := func(err error) error {
		f.Close()
		os.Remove(f.Name())
		return fmt.Errorf("compacting the journal: %w", pathless(err))
	}
	w := bufio.NewWriterSize(f, 1<<20)
	var off int64
	for i := range entries {
		e := &entries[i]
		start := e.s.off - e.head
		if _, err := io.Copy(w, io.NewSectionReader(d.f, start, e.head+e.s.n)); err != nil {
			return fail(err)
		}
		e.newOff = off
		off += e.head + e.s.n
	}
	if err := w.Flush(); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := os.Rename(f.Name(), d.path("meta", "journal")); err != nil {
		return fail(err)
	}
	if err := syncDir(d.path("meta")); err != nil {
		// The rename may not survive a power loss, and with it what is
		// appended to the new journal: acknowledge no further write.
		d.failed = err
	}
	d.f.Close()
	d.f, d.size, d.live = f, off, off
	for _, e := range entries {
		s := span{e.newOff + e.head, e.s.n}
		if e.blob {
			d.inline[e.key] = s
		} else {
			d.recs[e.key] = s
		}
	}
	return nil
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
			return 0, fmt.Errorf("staging object data: %w", pathless(err))
		}
		b.f = f
		if _, err := f.Write(b.buf); err != nil {
			return 0, fmt.Errorf("staging object data: %w", pathless(err))
		}
		b.buf = nil
	}
	n, err := b.f.Write(p)
	if err != nil {
		err = fmt.Errorf("staging object data: %w", pathless(err))
	}
	return n, err
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
		err := b.d.appendEntry(opBlob, "", id, b.buf, false)
		b.buf = nil
		return id, err
	}
	if err := b.f.Sync(); err != nil {
		b.abort()
		return "", fmt.Errorf("syncing object data: %w", pathless(err))
	}
	if err := b.f.Close(); err != nil {
		os.Remove(b.f.Name())
		return "", fmt.Errorf("closing object data: %w", pathless(err))
	}
	if err := os.Rename(b.f.Name(), b.d.path("blobs", id)); err != nil {
		os.Remove(b.f.Name())
		return "", fmt.Errorf("storing object data: %w", pathless(err))
	}
	return id, syncDir(b.d.path("blobs"))
}

// openBlob returns a blob's data. A small one is copied out of the
// journal; a large one is an open file, which keeps its data readable
// even once the blob is removed.
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
			return nil, fmt.Errorf("reading object data: %w", pathless(err))
		}
		return bytesContent(p), nil
	}
	d.mu.Unlock()
	f, err := os.Open(d.path("blobs", id))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errBlobGone
	}
	if err != nil {
		return nil, fmt.Errorf("opening object data: %w", pathless(err))
	}
	return fileContent{f}, nil
}

// fileContent is a blob file whose errors name no path.
type fileContent struct{ f *os.File }

func (c fileContent) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.f.ReadAt(p, off)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("reading object data: %w", pathless(err))
	}
	return n, err
}

func (c fileContent) Close() error { return c.f.Close() }

// bytesContent is a small blob's data, read at any offset.
type bytesContent []byte

func (c bytesContent) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 || off >= int64(len(c)) {
		return 0, io.EOF
	}
	n := copy(p, c[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (bytesContent) Close() error { return nil }

func (d *disk) removeBlob(id string) {
	if !validID(id) {
		return
	}
	d.mu.Lock()
	_, ok := d.inline[id]
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
	data, err := marshalRecord(v)
	if err != nil {
		return err
	}
	return d.appendEntry(opPut, kind, id, data, true)
}

func (d *disk) deleteRecord(kind, id string) error {
	if !validID(id) {
		return fmt.Errorf("record id %q is not valid", id)
	}
	return d.appendEntry(opDelete, kind, id, nil, true)
}

func (d *disk) records(kind string, fn func([]byte) error) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	var data []byte
	for key, s := range d.recs {
		k, id, _ := strings.Cut(key, "/")
		if k != kind {
			continue
		}
		data = slices.Grow(data[:0], int(s.n))[:s.n]
		if _, err := d.f.ReadAt(data, s.off); err != nil {
			return fmt.Errorf("%s %s at offset %d: %w", kind, id, s.off, pathless(err))
		}
		if err := fn(data); err != nil {
			return fmt.Errorf("%s %s at offset %d of %s: %w", kind, id, s.off, journalName, err)
		}
	}
	return nil
}

func (d *disk) blobIDs() ([]string, error) {
	entries, err := os.ReadDir(d.path("blobs"))
	if err != nil {
		return nil, pathless(err)
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

// marshalRecord encodes a record as JSON without HTML escaping (which
// turns "<" into six bytes), and refuses one over maxEntry, which replay
// would not accept.
func marshalRecord(v any) ([]byte, error) {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	data := []byte(strings.TrimSuffix(b.String(), "\n"))
	if len(data) > maxEntry-3-255-255 {
		return nil, errRecordTooLarge(len(data))
	}
	return data, nil
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return pathless(err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("syncing a folder: %w", pathless(err))
	}
	return nil
}
