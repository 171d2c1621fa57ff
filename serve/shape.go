package serve

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/olkit/olkit/checksum"
	"github.com/olkit/olkit/s3err"
	"github.com/olkit/olkit/spool"
)

// cutRange makes ans the part of the output the caller asked for. When
// the output's length is known the range is cut from the stream: bytes
// before it are skipped and reading stops after it, so no more of the
// original is read than the range needs. When it is not known, the output
// is spooled (up to the range's end for bytes=a-b, else all of it, parts
// included, since their answer states the total) to a
// temporary file of at most MaxSpoolBytes, and the range cut from that.
//
// For a HEAD there is no stream: the range is resolved against a known
// length, and left unapplied when the length is unknown.
func (ans *answer) cutRange(r *byteRange, o Options, head bool) *s3err.Error {
	total := ans.size
	if head && total < 0 {
		return nil
	}
	var spooled *spool.File
	if total < 0 {
		upTo := int64(-1) // all: a part's answer states the total and the parts count
		if r.First >= 0 && r.Last >= 0 && r.part == 0 {
			upTo = r.Last + 1
		}
		sp, complete, err := ans.spoolOutput(upTo, o.MaxSpoolBytes)
		var le *spool.LimitError
		switch {
		case errors.As(err, &le):
			return s3err.InvalidRequest("olkit: the transformed object's length is unknown until it is read, and serving this range needs more than the %d bytes maxSpoolBytes allows", le.Limit)
		case err != nil:
			return s3err.From(err)
		}
		spooled = sp
		if complete {
			total = sp.Size()
		} else if r.First >= sp.Size() {
			return unsatisfiable(r)
		}
	}
	size := total
	if size < 0 {
		size = spooled.Size() // the output goes on past the range's end
	}
	first, last, e := r.resolve(size)
	if e != nil {
		return e
	}
	n := last - first + 1
	switch {
	case head: // no body to cut
	case spooled != nil:
		ans.body = io.NewSectionReader(spooled, first, n)
	case first < ans.at:
		return s3err.From(fmt.Errorf("the transformed object's stream starts at byte %d, after the range's first byte %d", ans.at, first))
	default:
		if _, err := io.CopyN(io.Discard, ans.body, first-ans.at); err != nil {
			return s3err.From(fmt.Errorf("skipping to byte %d of the transformed object: %w", first, err))
		}
		ans.body = io.LimitReader(ans.body, n)
	}
	ans.status, ans.size = http.StatusPartialContent, n
	ans.header.Set("Content-Range", contentRange(first, last, total))
	if r.part > 0 && total >= 0 {
		parts := (total + o.PartSize - 1) / o.PartSize
		ans.header.Set("X-Amz-Mp-Parts-Count", strconv.FormatInt(parts, 10))
	}
	return nil
}

// spoolOutput copies r into a new temporary file, up to upTo bytes (all
// when negative), and reports whether r ended. The file is released when
// the request ends.
func (ans *answer) spoolOutput(upTo, limit int64) (*spool.File, bool, error) {
	r := ans.body
	sp, err := spool.New("", limit)
	if err != nil {
		return nil, false, err
	}
	ans.resp.onClose(func() { sp.Close() })
	if upTo < 0 {
		_, err = io.Copy(sp, r)
		return sp, err == nil, err
	}
	_, err = io.CopyN(sp, r, upTo)
	if err == io.EOF {
		return sp, true, nil
	}
	if err != nil {
		return nil, false, err
	}
	// Exactly upTo bytes: peek one more to know whether the output ended.
	var one [1]byte
	m, err := io.ReadFull(r, one[:])
	if m == 0 && (err == io.EOF || err == io.ErrUnexpectedEOF) {
		return sp, true, nil
	}
	return sp, false, nil
}

// addChecksum gives the answer the checksum of the bytes it sends, for a
// caller that asked (x-amz-checksum-mode: ENABLED): with the original's
// algorithm where it had one, else CRC32. The output is spooled to know
// it before the first byte; past MaxSpoolBytes the answer goes without a
// checksum (S3 validates one only when present). Spooling also gives the
// answer a real Content-Length.
func (ans *answer) addChecksum(alg string, o Options) *s3err.Error {
	if alg == "" {
		alg = checksum.CRC32
	}
	name := checksum.Header(alg)
	if ans.header.Get(name) != "" {
		return nil // the bytes are the original's, and so is its checksum
	}
	h, _ := checksum.New(alg)
	sp, err := spool.New("", o.MaxSpoolBytes)
	if err != nil {
		return s3err.From(err)
	}
	ans.resp.onClose(func() { sp.Close() })
	buf := make([]byte, 256<<10)
	for {
		n, err := ans.body.Read(buf)
		if sp.Size()+int64(n) > o.MaxSpoolBytes {
			// Too long to checksum first: send what is spooled, then the rest.
			ans.body = io.MultiReader(sp.Reader(), bytesReader(append([]byte(nil), buf[:n]...)), ans.body)
			return nil
		}
		sp.Write(buf[:n])
		h.Write(buf[:n])
		if err == io.EOF {
			break
		}
		if err != nil {
			return s3err.From(err)
		}
	}
	ans.header.Set(name, checksum.Encode(h))
	ans.body, ans.size = sp.Reader(), sp.Size()
	return nil
}
