// Package splitfile writes one logical byte stream as consecutive part
// files of a fixed size (FAT32 sticks stop at 4 GiB) under temp names,
// reads every byte back from the medium, and renames the parts into
// place; and reads such parts back as one stream (docs/bundle-format.md
// §3.3, §7).
package splitfile

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// MaxParts is the most parts one stream may be split into.
const MaxParts = 64

// window is the unit of writeback and read-back: each window of a part
// is sent on to the medium once written, and read back from it (and
// compared with its CRC-32C) once it got there.
const window = 8 << 20

// TempSuffix ends the name of a part that is still being written.
const TempSuffix = ".tmp"

// castagnoli is the CRC-32C table (hardware-accelerated on amd64, arm64).
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// ErrReadBack says the medium returned other bytes than were written.
var ErrReadBack = errors.New("splitfile: read-back differs from what was written")

// ErrTooManyParts says the stream would need more than MaxParts parts.
var ErrTooManyParts = errors.New("splitfile: more parts than allowed")

// PartName returns the file name of part k (1-based) of the stream whose
// first part is called first: first itself, then first.part2, ….
func PartName(first string, k int) string {
	if k == 1 {
		return first
	}
	return first + ".part" + strconv.Itoa(k)
}

// ParsePartName tells whether name is a later part (k ≥ 2) of a stream
// and returns the first part's name.
func ParsePartName(name string) (first string, k int, ok bool) {
	i := strings.LastIndex(name, ".part")
	if i <= 0 {
		return "", 0, false
	}
	k, err := strconv.Atoi(name[i+len(".part"):])
	if err != nil || k < 2 || k > MaxParts || strconv.Itoa(k) != name[i+len(".part"):] {
		return "", 0, false
	}
	return name[:i], k, true
}

// Info describes one written part.
type Info struct {
	// Size is the part's length in bytes.
	Size int64
	// SHA256 is the hash of the whole part, for parts 2 and later
	// (part 1 holds the manifest that lists these hashes).
	SHA256 []byte
}

// Writer writes a stream as parts in a folder. The first room bytes of
// part 1 may be rewritten (WriteAt) until Sync. Nothing is visible under
// the final names before Commit; Abort removes everything it wrote.
type Writer struct {
	dir, first string
	partSize   int64
	room       []byte // the rewritable start of part 1, as last written
	files      []*os.File
	hashes     []hash.Hash
	sizes      []int64
	flushed    []int64    // per part: where writeback has been started up to
	crcs       [][]uint32 // per part, per window: CRC-32C (part 1's window 0 without the room)
	crc        uint32     // of the current window so far
	checker    *checker
	done       bool
}

// Create starts writing the stream whose first part will be dir/first,
// in parts of partSize bytes, the first room bytes of which stay
// rewritable.
func Create(dir, first string, partSize, room int64) (*Writer, error) {
	if partSize <= 0 || room < 0 || room > min(partSize, window) {
		return nil, fmt.Errorf("splitfile: part size %d, room %d", partSize, room)
	}
	w := &Writer{dir: dir, first: first, partSize: partSize, room: make([]byte, room)}
	if err := w.addPart(); err != nil {
		return nil, err
	}
	w.checker = newChecker(w.tempPath)
	return w, nil
}

func (w *Writer) tempPath(k int) string {
	return filepath.Join(w.dir, PartName(w.first, k)+TempSuffix)
}

func (w *Writer) addPart() error {
	if len(w.files) == MaxParts {
		return ErrTooManyParts
	}
	if k := len(w.files) - 1; k >= 0 && w.sizes[k]%window != 0 {
		w.endWindow(k)
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
	w.flushed = append(w.flushed, 0)
	w.crcs = append(w.crcs, nil)
	return nil
}

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
		w.account(k, p[:m])
		written += m
		if err != nil {
			return written, err
		}
		w.writeback(k)
		p = p[n:]
	}
	return written, nil
}

// account adds bytes just written to part k to the window CRCs.
func (w *Writer) account(k int, b []byte) {
	for len(b) > 0 {
		at := w.sizes[k]
		n := min(int64(len(b)), (at/window+1)*window-at)
		if k == 0 && at < int64(len(w.room)) {
			n = min(n, int64(len(w.room))-at)
			copy(w.room[at:], b[:n])
		} else {
			w.crc = crc32.Update(w.crc, castagnoli, b[:n])
		}
		w.sizes[k] += n
		b = b[n:]
		if w.sizes[k]%window == 0 {
			w.endWindow(k)
		}
	}
}

// endWindow records the CRC of part k's current window.
func (w *Writer) endWindow(k int) {
	w.crcs[k] = append(w.crcs[k], w.crc)
	w.crc = 0
}

// writeback starts writing each full window of part k to the medium and
// hands it to the checker goroutine, which waits until it got there,
// drops it from the cache and reads it back. The writer never waits for
// the medium itself, only when the checker is a few windows behind:
// writing thus keeps pace with the stick (progress is honest), little
// dirty data waits in memory, the final fsync is short, and the waiting
// and reading back overlap the work.
func (w *Writer) writeback(k int) {
	f := w.files[k]
	for w.sizes[k]-w.flushed[k] >= window {
		j := w.flushed[k] / window
		startWriteback(f, j*window, window)
		if k > 0 || j > 0 { // the room is rewritten: read back at Sync
			w.checker.check(w.job(k, int(j)))
		}
		w.flushed[k] += window
	}
}

// job describes the read-back of window j of part k.
func (w *Writer) job(k, j int) job {
	jb := job{part: k, off: int64(j) * window, crc: w.crcs[k][j], file: w.files[k]}
	jb.n = min(window, w.sizes[k]-jb.off)
	if k == 0 && j == 0 {
		jb.skip = int64(len(w.room))
	}
	return jb
}

// WriteAt rewrites bytes within the room at the start of part 1.
func (w *Writer) WriteAt(p []byte, off int64) (int, error) {
	if off < 0 || off+int64(len(p)) > min(int64(len(w.room)), w.sizes[0]) {
		return 0, fmt.Errorf("splitfile: WriteAt outside the room")
	}
	copy(w.room[off:], p)
	return w.files[0].WriteAt(p, off)
}

// Size returns the number of bytes written so far.
func (w *Writer) Size() int64 {
	var n int64
	for _, s := range w.sizes {
		n += s
	}
	return n
}

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

// Sync makes every part durable, drops it from the cache, and reads back
// from the medium every window not yet read back, and the room: any byte
// that differs from what was written fails it with ErrReadBack.
func (w *Writer) Sync() error {
	last := len(w.files) - 1
	if w.sizes[last]%window != 0 {
		w.endWindow(last)
	}
	for _, f := range w.files {
		if err := f.Sync(); err != nil {
			return err
		}
		dropCache(f, 0, 0)
	}
	done, err := w.checker.finish()
	if err != nil {
		return err
	}
	for k := range w.files {
		for j := range w.crcs[k] {
			if k == 0 && j == 0 || !done[job{part: k, off: int64(j) * window}.key()] {
				if err := w.checker.verify(w.job(k, j)); err != nil {
					return err
				}
			}
		}
	}
	return w.checker.verifyRoom(w.room)
}

// Commit closes the parts and renames them to their final names — later
// parts first, part 1 last, so a visible first part has all the others —
// removes leftover higher parts of an older stream of the same name, and
// makes the folder durable. It returns the final paths. When it fails,
// no part is left under either name.
func (w *Writer) Commit() ([]string, error) {
	if err := w.close(); err != nil {
		w.Abort()
		return nil, err
	}
	paths := make([]string, len(w.files))
	for k := len(w.files); k >= 1; k-- {
		paths[k-1] = filepath.Join(w.dir, PartName(w.first, k))
		if err := os.Rename(w.tempPath(k), paths[k-1]); err != nil {
			// Abort removes the temp names; the later parts already
			// renamed go too, lest they pass for a stream's parts.
			w.Abort()
			removeAll(paths[k:])
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
	if err := syncDir(w.dir); err != nil {
		// The parts are whole and were read back, but their names may not
		// survive the stick being pulled out. They are removed, part 1
		// first, rather than kept: a caller told of a failure writes the
		// stream again, maybe other content under the same name, and a
		// copy it does not know of must not travel.
		removeAll(paths)
		return nil, err
	}
	return paths, nil
}

// removeAll removes the files at paths, in order, as far as it can.
func removeAll(paths []string) {
	for _, p := range paths {
		os.Remove(p)
	}
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
	w.checker.finish()
	w.checker.close()
	var first error
	for _, f := range w.files {
		if err := f.Close(); err != nil && first == nil && !errors.Is(err, os.ErrClosed) {
			first = err
		}
	}
	return first
}
