package splitfile

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
)

// Part is one part to read: its name for messages, its size, its bytes.
type Part struct {
	// Name is shown in messages (the file's base name).
	Name string
	// Size is the part's length.
	Size int64
	// R reads the part.
	R io.ReaderAt
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
	return Part{Name: filepath.Base(path), Size: st.Size(), R: f, C: f}, nil
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
func (s *Set) ReadAt(p []byte, off int64) (int, error) {
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
		m, err := part.R.ReadAt(chunk, in)
		n += m
		off += int64(m)
		p = p[m:]
		if m < len(chunk) {
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
