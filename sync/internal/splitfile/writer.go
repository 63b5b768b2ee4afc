// Package splitfile writes one logical byte stream as consecutive part
// files of a fixed size (FAT32 sticks stop at 4 GiB) under temp names,
// makes them durable and renames them into place; and reads such parts
// back as one stream (docs/bundle-format.md §3.3, §7).
package splitfile

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"os"
	"path/filepath"
	"strconv"
)

// MaxParts is the most parts one stream may be split into.
const MaxParts = 64

// TempSuffix ends the name of a part that is still being written.
const TempSuffix = ".tmp"

// PartName returns the file name of part k (1-based) of the stream whose
// first part is called first: first itself, then first.part2, ….
func PartName(first string, k int) string {
	if k == 1 {
		return first
	}
	return first + ".part" + strconv.Itoa(k)
}

// Info describes one written part.
type Info struct {
	// Size is the part's length in bytes.
	Size int64
	// SHA256 is the hash of the whole part, for parts 2 and later
	// (part 1 holds the manifest that lists these hashes).
	SHA256 []byte
}

// Writer writes a stream as parts in a folder. Nothing is visible under
// the final names before Commit; Abort removes everything it wrote.
type Writer struct {
	dir, first string
	partSize   int64
	files      []*os.File
	hashes     []hash.Hash
	sizes      []int64
	off        int64
	done       bool
}

// Create starts writing the stream whose first part will be dir/first,
// in parts of partSize bytes.
func Create(dir, first string, partSize int64) (*Writer, error) {
	if partSize <= 0 {
		return nil, fmt.Errorf("splitfile: part size %d", partSize)
	}
	w := &Writer{dir: dir, first: first, partSize: partSize}
	if err := w.addPart(); err != nil {
		return nil, err
	}
	return w, nil
}

func (w *Writer) tempPath(k int) string {
	return filepath.Join(w.dir, PartName(w.first, k)+TempSuffix)
}

func (w *Writer) addPart() error {
	if len(w.files) == MaxParts {
		return ErrTooManyParts
	}
	f, err := os.OpenFile(w.tempPath(len(w.files)+1), os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	var h hash.Hash
	if len(w.files) > 0 {
		h = sha256.New()
	}
	w.files = append(w.files, f)
	w.hashes = append(w.hashes, h)
	w.sizes = append(w.sizes, 0)
	return nil
}

// ErrTooManyParts says the stream would need more than MaxParts parts.
var ErrTooManyParts = errors.New("splitfile: more parts than allowed")

// Write appends p to the stream, starting new parts as needed.
func (w *Writer) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 {
		k := len(w.files) - 1
		if w.sizes[k] == w.partSize {
			if err := w.addPart(); err != nil {
				return written, err
			}
			k++
		}
		n := int(min(int64(len(p)), w.partSize-w.sizes[k]))
		m, err := w.files[k].Write(p[:n])
		if w.hashes[k] != nil {
			w.hashes[k].Write(p[:m])
		}
		w.sizes[k] += int64(m)
		w.off += int64(m)
		written += m
		if err != nil {
			return written, err
		}
		p = p[n:]
	}
	return written, nil
}

// WriteAt overwrites bytes already written in part 1 (the header room).
func (w *Writer) WriteAt(p []byte, off int64) (int, error) {
	if off < 0 || off+int64(len(p)) > w.sizes[0] {
		return 0, fmt.Errorf("splitfile: WriteAt outside the written part 1")
	}
	return w.files[0].WriteAt(p, off)
}

// Size returns the number of bytes written so far.
func (w *Writer) Size() int64 { return w.off }

// Parts describes the parts written so far.
func (w *Writer) Parts() []Info {
	out := make([]Info, len(w.files))
	for k := range w.files {
		out[k].Size = w.sizes[k]
		if w.hashes[k] != nil {
			out[k].SHA256 = w.hashes[k].Sum(nil)
		}
	}
	return out
}

// TempPaths returns where the parts are while being written.
func (w *Writer) TempPaths() []string {
	out := make([]string, len(w.files))
	for k := range w.files {
		out[k] = w.tempPath(k + 1)
	}
	return out
}

// Sync makes every part durable, then asks the system to forget its
// cached pages so that a following read comes from the medium.
func (w *Writer) Sync() error {
	for _, f := range w.files {
		if err := f.Sync(); err != nil {
			return err
		}
		dropCache(f)
	}
	return nil
}

// Commit closes the parts and renames them to their final names — later
// parts first, part 1 last, so a visible first part has all the others —
// removes leftover higher parts of an older stream of the same name, and
// makes the folder durable. It returns the final paths.
func (w *Writer) Commit() ([]string, error) {
	if err := w.close(); err != nil {
		w.Abort()
		return nil, err
	}
	paths := make([]string, len(w.files))
	for k := len(w.files); k >= 1; k-- {
		paths[k-1] = filepath.Join(w.dir, PartName(w.first, k))
		if err := os.Rename(w.tempPath(k), paths[k-1]); err != nil {
			w.Abort()
			return nil, err
		}
	}
	w.done = true
	for k := len(w.files) + 1; k <= MaxParts; k++ {
		err := os.Remove(filepath.Join(w.dir, PartName(w.first, k)))
		if errors.Is(err, os.ErrNotExist) {
			break
		}
	}
	return paths, syncDir(w.dir)
}

// Abort closes and removes every temp part; it is a no-op after Commit.
func (w *Writer) Abort() {
	if w.done {
		return
	}
	w.done = true
	w.close()
	for k := range w.files {
		os.Remove(w.tempPath(k + 1))
	}
}

func (w *Writer) close() error {
	var first error
	for _, f := range w.files {
		if err := f.Close(); err != nil && first == nil && !errors.Is(err, os.ErrClosed) {
			first = err
		}
	}
	return first
}
