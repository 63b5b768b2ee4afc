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
// padding. An empty file is refused as truncated (an interrupted copy),
// a sync file of another kind as such (otherKind).
func readHead(r io.ReaderAt, avail int64, slots []slot) ([]member, int64, error) {
	var off int64
	seen := make([]string, 0, len(slots))
	out := make([]member, 0, len(slots))
	for _, s := range slots {
		block, err := readAt(r, avail, off, ustar.BlockSize)
		switch {
		case err != nil && len(seen) == 0 && avail == 0:
			return nil, 0, refuse.New(refuse.Truncated, "文件是空的（0 字节），拷贝可能中断了", "the file is empty (0 bytes): the copy was probably interrupted")
		case err != nil && len(seen) == 0 && avail < ustar.BlockSize:
			return nil, 0, refuse.New(refuse.NotBundle, "", "")
		case err != nil:
			return nil, 0, err
		}
		size, err := ustar.Parse(block, s.name, seen, s.limit)
		if err != nil {
			if name, ok := ustar.Name(block); ok && len(seen) == 0 && name != s.name {
				if wrong := otherKind(name); wrong != nil {
					return nil, 0, wrong
				}
			}
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

// otherKind returns the refusal for a sync file of another kind than the
// one expected, known by its first member (both kinds travel on the same
// stick, so picking the wrong one is easy), saying where it belongs; nil
// when name is no sync file's first member. The places are named as the
// app's screens and commands name them.
func otherKind(name string) error {
	switch name {
	case memberManifest:
		return refuse.New(refuse.WrongKind,
			"这是同步包或注册包（.mdbundle），不是登记文件：请选择宣传科发放的登记文件（.mdenroll）；同步包请在「同步」页点“导入同步包”导入（命令行 mediadesk import）",
			"this is a sync or registration bundle (.mdbundle), not an enrollment file: choose the enrollment file (.mdenroll) the publicity section gave you; import sync bundles on the Sync page with “Import sync bundles” (command line: mediadesk import)")
	case memberEnrollment:
		return refuse.New(refuse.WrongKind,
			"这是登记文件（.mdenroll），不是同步包：所队请在「同步」页点“导入登记文件”打开（命令行 mediadesk join --enrollment）；宣传科登记所队时请选择所队写出的注册包（…-registration.mdbundle）",
			"this is an enrollment file (.mdenroll), not a bundle: a station opens it on the Sync page with “Import enrollment file” (command line: mediadesk join --enrollment); to register a station, the publicity section chooses the registration bundle the station wrote (…-registration.mdbundle)")
	}
	return nil
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
