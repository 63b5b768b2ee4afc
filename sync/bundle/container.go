package bundle

import (
	"bytes"
	"io"
	"time"

	"mediadesk/sync/internal/refuse"
	"mediadesk/sync/internal/ustar"
)

// trailerSize is the end-of-archive marker: two NUL blocks.
const trailerSize = 2 * ustar.BlockSize

// slot is one expected member of a container.
type slot struct {
	name  string
	limit int64
	load  bool // read its data into memory (else only locate it)
}

// member is where one member's data lies.
type member struct {
	off, size int64
	data      []byte // when loaded
}

// readHead parses the expected members in order from r, of which avail
// bytes exist, loading the small ones. Padding after a loaded member must
// be NUL. It returns the members and the offset after the last one's
// padding.
func readHead(r io.ReaderAt, avail int64, slots []slot) ([]member, int64, error) {
	var off int64
	seen := make([]string, 0, len(slots))
	out := make([]member, 0, len(slots))
	for _, s := range slots {
		block, err := readAt(r, avail, off, ustar.BlockSize)
		if err != nil {
			if len(seen) == 0 && avail < ustar.BlockSize {
				return nil, 0, refuse.New(refuse.NotBundle, "", "")
			}
			return nil, 0, err
		}
		size, err := ustar.Parse(block, s.name, seen, s.limit)
		if err != nil {
			return nil, 0, err
		}
		seen = append(seen, s.name)
		m := member{off: off + ustar.BlockSize, size: size}
		padded := size + ustar.Pad(size)
		if s.load {
			b, err := readAt(r, avail, m.off, padded)
			if err != nil {
				return nil, 0, err
			}
			if !allZero(b[size:]) {
				return nil, 0, refuse.New(refuse.Damaged, s.name+" 之后的填充不是零", "the padding after "+s.name+" is not zero")
			}
			m.data = b[:size]
		}
		out = append(out, m)
		off = m.off + padded
	}
	return out, off, nil
}

// readAt reads n bytes at off, refusing a file that ends before them.
func readAt(r io.ReaderAt, avail, off, n int64) ([]byte, error) {
	if off+n > avail {
		return nil, refuse.New(refuse.Truncated, "", "")
	}
	b := make([]byte, n)
	if _, err := r.ReadAt(b, off); err != nil {
		return nil, refuse.Wrap(refuse.Truncated, err, "", "")
	}
	return b, nil
}

// appendMember appends a member header, its data and padding to dst.
func appendMember(dst []byte, name string, data []byte, mtime time.Time) ([]byte, error) {
	h, err := ustar.Header(name, int64(len(data)), mtime)
	if err != nil {
		return nil, err
	}
	dst = append(dst, h[:]...)
	dst = append(dst, data...)
	return append(dst, make([]byte, ustar.Pad(int64(len(data))))...), nil
}

func allZero(b []byte) bool {
	return len(bytes.Trim(b, "\x00")) == 0
}
