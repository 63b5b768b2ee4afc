package data

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"testing"
)

// The crash test (crash_test.go) kills a writer, which loses nothing the
// kernel already holds: the page cache survives a killed process. A power
// cut also loses what was written but not yet flushed, and not in order:
// any sector of an unflushed write may or may not have reached the disk,
// and an unflushed growth of the file may or may not have happened.
// powerCut models exactly that for the journal, the file every commit
// lands in: it keeps the file as the last flush left it and the writes
// since, and at the chosen flush it fails the flush and makes the image
// a power cut at that moment could leave.

// powerCut wraps journal files (Options.wrapJournal) and cuts the power
// at the cutAt-th flush (counting from 1).
type powerCut struct {
	mu     sync.Mutex
	rng    *rand.Rand
	cutAt  int
	syncs  int
	file   *cutFile // the journal being written
	image  []byte   // the journal as the power cut left it, once it came
	imaged string   // its path
}

func (pc *powerCut) wrap(f journalFile) journalFile {
	osf := f.(*os.File)
	content, err := os.ReadFile(osf.Name())
	if err != nil {
		panic(err)
	}
	off, err := osf.Seek(0, io.SeekCurrent)
	if err != nil {
		panic(err)
	}
	cf := &cutFile{journalFile: f, pc: pc, path: osf.Name(), now: content, flushed: bytes.Clone(content), off: off}
	pc.mu.Lock()
	pc.file = cf
	pc.mu.Unlock()
	return cf
}

// cutFile is one journal file under a powerCut.
type cutFile struct {
	journalFile
	pc      *powerCut
	path    string
	now     []byte // the file as written so far
	flushed []byte // the file as the last flush left it on disk
	writes  [][2]int64
	off     int64
}

func (f *cutFile) Write(p []byte) (int, error) {
	n, err := f.journalFile.Write(p)
	end := f.off + int64(n)
	if end > int64(len(f.now)) {
		f.now = append(f.now, make([]byte, end-int64(len(f.now)))...)
	}
	copy(f.now[f.off:], p[:n])
	f.writes = append(f.writes, [2]int64{f.off, end})
	f.off = end
	return n, err
}

func (f *cutFile) Seek(offset int64, whence int) (int64, error) {
	off, err := f.journalFile.Seek(offset, whence)
	if err == nil {
		f.off = off
	}
	return off, err
}

func (f *cutFile) Truncate(size int64) error {
	if err := f.journalFile.Truncate(size); err != nil {
		return err
	}
	if size < int64(len(f.now)) {
		f.now = f.now[:size]
	} else {
		f.now = append(f.now, make([]byte, size-int64(len(f.now)))...)
	}
	f.writes = append(f.writes, [2]int64{size, size}) // the length changed
	return nil
}

func (f *cutFile) Sync() error {
	pc := f.pc
	pc.mu.Lock()
	pc.syncs++
	cut := pc.syncs == pc.cutAt
	pc.mu.Unlock()
	if !cut {
		if err := f.journalFile.Sync(); err != nil {
			return err
		}
		f.flushed, f.writes = bytes.Clone(f.now), nil
		return nil
	}
	// The power goes: of each unflushed write, each sector landed or
	// not; the file's new length landed or not.
	img := bytes.Clone(f.flushed)
	if len(f.now) > len(img) && pc.rng.IntN(2) == 0 {
		img = append(img, make([]byte, len(f.now)-len(img))...)
	}
	for _, w := range f.writes {
		for at := w[0] / sectorSize * sectorSize; at < w[1]; at += sectorSize {
			from, to := max(at, w[0]), min(at+sectorSize, w[1], int64(len(img)))
			if from < to && pc.rng.IntN(2) == 0 {
				copy(img[from:to], f.now[from:to])
			}
		}
	}
	pc.mu.Lock()
	pc.image, pc.imaged = img, f.path
	pc.mu.Unlock()
	return errPowerCut
}

var errPowerCut = errors.New("the power went")

// TestPowerCut cuts the power during commits of every size (one byte, a
// few sectors, past the zeroed room) at random moments: the store must
// open from what the disk kept, with every acknowledged commit, the one
// in flight whole or not at all, and go on working.
func TestPowerCut(t *testing.T) {
	sizes := []int{1, 700, 5000, 60_000, 1_500_000}
	for trial := range 40 {
		t.Run(fmt.Sprint(trial), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(trial), 7))
			pc := &powerCut{rng: rng, cutAt: 2 + rng.IntN(14)}
			opts := testOpts
			opts.wrapJournal = pc.wrap
			opts.CompactBytes = 1 << 40 // one journal: no compaction mid-test
			dir := t.TempDir()
			s, _ := createT(t, dir, opts, nil)
			acked := map[string]string{}
			var inFlight, inFlightValue string
			for i := 0; ; i++ {
				key := fmt.Sprintf("n%d", i)
				value := strings.Repeat(string(rune('a'+i%26)), sizes[rng.IntN(len(sizes))])
				err := s.Write(func(tx *Tx) error { return SetSetting(tx, key, value) })
				if err == nil {
					acked[key] = value
					continue
				}
				if !errors.Is(err, errPowerCut) {
					t.Fatalf("commit %d: %v", i, err)
				}
				inFlight, inFlightValue = key, value
				break
			}
			abandon(s)
			if pc.image == nil {
				t.Fatal("the power never went")
			}
			if err := os.WriteFile(pc.imaged, pc.image, 0o600); err != nil {
				t.Fatal(err)
			}
			s, err := Open(dir, "admin", testPassword, testOpts)
			if err != nil {
				t.Fatalf("after the power cut (at flush %d, %d commits acknowledged): %v", pc.cutAt, len(acked), err)
			}
			for k, v := range acked {
				if got, err := Setting(s.Reader(), k); err != nil || got != v {
					t.Fatalf("acknowledged %s: %d bytes, %v", k, len(got), err)
				}
			}
			if got, err := Setting(s.Reader(), inFlight); err == nil && got != inFlightValue {
				t.Fatalf("the commit in flight came back changed: %d bytes", len(got))
			} else if err != nil && !errors.Is(err, ErrNotFound) {
				t.Fatal(err)
			}
			addNote(t, s, "after", "ok")
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			s = openT(t, dir, testOpts)
			if got, err := Setting(s.Reader(), "after"); err != nil || got != "ok" {
				t.Fatalf("a write after the power cut: %q %v", got, err)
			}
			s.Close()
		})
	}
}
