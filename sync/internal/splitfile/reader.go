package splitfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"syscall"
	"unsafe"
)

// Part is one part to read: its name for messages, its size, its bytes.
type Part struct {
	// Name is shown in messages (the file's base name).
	Name string
	// Size is the part's length.
	Size int64
	// R reads the part.
	R io.ReaderAt
	// Bulk, if set, reads long sequential ranges around the page cache;
	// where the system refuses that, R is used instead.
	Bulk io.ReaderAt
	// C closes it; may be nil.
	C io.Closer
}

// OpenPart opens a part file for reading.
func OpenPart(path string) (Part, error) {
	f, err := os.Open(path)
	if err != nil {
		return Part{}, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return Part{}, err
	}
	p := Part{Name: filepath.Base(path), Size: st.Size(), R: f, C: f}
	if d := openDirect(path); d != nil {
		p.Bulk = d
		p.C = closers{f, d.(io.Closer)}
	}
	return p, nil
}

// closers closes several things, returning the first error.
type closers []io.Closer

func (cs closers) Close() error {
	var first error
	for _, c := range cs {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Set reads consecutive parts as one stream.
type Set struct {
	parts  []Part
	starts []int64
	size   int64
}

// NewSet joins parts in order.
func NewSet(parts []Part) *Set {
	s := &Set{parts: parts, starts: make([]int64, len(parts))}
	for k, p := range parts {
		s.starts[k] = s.size
		s.size += p.Size
	}
	return s
}

// Size returns the length of the joined stream.
func (s *Set) Size() int64 { return s.size }

// Parts returns the parts in order.
func (s *Set) Parts() []Part { return s.parts }

// Start returns the offset of part k (0-based) in the stream.
func (s *Set) Start(k int) int64 { return s.starts[k] }

// Locate returns the index of the part holding offset off (the last
// part for offsets at or past the end).
func (s *Set) Locate(off int64) int {
	return sort.Search(len(s.starts), func(i int) bool { return s.starts[i] > off }) - 1
}

// ReadAt reads from the joined stream.
func (s *Set) ReadAt(p []byte, off int64) (int, error) { return s.readAt(p, off, nil) }

// Bulk returns a reader of the joined stream for one long sequential
// pass, for one goroutine: it reads each part through its Bulk reader in
// aligned windows of directWindow bytes (direct reads get no read-ahead
// from the system, so they are made few and large).
func (s *Set) Bulk() io.ReaderAt {
	return &bulkReader{s: s, refused: make([]bool, len(s.parts)), winPart: -1}
}

// Direct reads need offsets, lengths and buffers aligned to directAlign
// on the file systems a stick carries (FAT, exFAT, NTFS, ext4).
const (
	directAlign  = 4096
	directWindow = 4 << 20
)

// bulkReader holds one window of a part (its buffer made at first use)
// and remembers which parts refused direct reads (those are read the
// ordinary way).
type bulkReader struct {
	s       *Set
	refused []bool
	buf     []byte
	winPart int
	winOff  int64
	winLen  int
}

func (b *bulkReader) ReadAt(p []byte, off int64) (int, error) { return b.s.readAt(p, off, b) }

// read reads part k at in through the window; refused reports that the
// system does not allow direct reads of it.
func (b *bulkReader) read(k int, p []byte, in int64) (n int, refused bool, err error) {
	if b.winPart != k || in < b.winOff || in >= b.winOff+int64(b.winLen) {
		if b.buf == nil {
			b.buf = alignedBuffer(directWindow)
		}
		start := in &^ (directAlign - 1)
		m, err := b.s.parts[k].Bulk.ReadAt(b.buf, start)
		if errors.Is(err, syscall.EINVAL) {
			return 0, true, nil
		}
		b.winPart, b.winOff, b.winLen = k, start, m
		if in >= start+int64(m) {
			if err == nil {
				err = io.EOF
			}
			return 0, false, err
		}
	}
	return copy(p, b.buf[in-b.winOff:b.winLen]), false, nil
}

// alignedBuffer returns size bytes starting at a directAlign boundary.
func alignedBuffer(size int) []byte {
	buf := make([]byte, size+directAlign)
	shift := (directAlign - int(uintptr(unsafe.Pointer(&buf[0]))&(directAlign-1))) & (directAlign - 1)
	return buf[shift : shift+size]
}

// readAt reads from the joined stream, through bulk readers when b is set.
func (s *Set) readAt(p []byte, off int64, b *bulkReader) (int, error) {
	if off < 0 {
		return 0, os.ErrInvalid
	}
	n := 0
	for len(p) > 0 {
		if off >= s.size {
			return n, io.EOF
		}
		k := s.Locate(off)
		part := s.parts[k]
		in := off - s.starts[k]
		chunk := p[:min(int64(len(p)), part.Size-in)]
		var m int
		var err error
		if b != nil && part.Bulk != nil && !b.refused[k] {
			var refused bool
			if m, refused, err = b.read(k, chunk, in); refused {
				b.refused[k] = true
				continue
			}
		} else {
			m, err = part.R.ReadAt(chunk, in)
		}
		n += m
		off += int64(m)
		p = p[m:]
		if m < len(chunk) && (err != nil || m == 0) {
			if err == nil || err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return n, fmt.Errorf("%s: %w", part.Name, err)
		}
	}
	return n, nil
}

// Close closes every part.
func (s *Set) Close() error {
	var first error
	for _, p := range s.parts {
		if p.C != nil {
			if err := p.C.Close(); err != nil && first == nil {
				first = err
			}
		}
	}
	return first
}
