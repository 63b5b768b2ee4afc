package splitfile

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
)

func names(t *testing.T, dir string) []string {
	t.Helper()
	es, _ := os.ReadDir(dir)
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	slices.Sort(out)
	return out
}

func TestWriteCommitRead(t *testing.T) {
	dir := t.TempDir()
	data := make([]byte, 3*window+12345)
	rand.NewChaCha8([32]byte{1}).Read(data)
	os.WriteFile(filepath.Join(dir, "b.part9"), []byte("stale"), 0o644)
	w, err := Create(dir, "b", window+4096, 16)
	if err != nil {
		t.Fatal(err)
	}
	for rest := data; len(rest) > 0; {
		n := min(len(rest), 777_777)
		if _, err := w.Write(rest[:n]); err != nil {
			t.Fatal(err)
		}
		rest = rest[n:]
	}
	w.WriteAt([]byte("HEAD"), 0)
	copy(data, "HEAD")
	if got := names(t, dir); !slices.Equal(got, []string{"b.part2.tmp", "b.part3.tmp", "b.part4.tmp", "b.part9", "b.tmp"}) {
		t.Fatalf("while writing: %v", got)
	}
	parts := w.Parts()
	if err := w.Sync(); err != nil {
		t.Fatal(err)
	}
	paths, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	if got := names(t, dir); !slices.Equal(got, []string{"b", "b.part2", "b.part3", "b.part4", "b.part9"}) {
		t.Fatalf("after commit: %v", got)
	}
	var set []Part
	for k, p := range paths {
		part, err := OpenPart(p)
		if err != nil || part.Size != parts[k].Size {
			t.Fatalf("part %d: %v", k+1, err)
		}
		if k > 0 {
			b, _ := os.ReadFile(p)
			if sum := sha256.Sum256(b); !bytes.Equal(sum[:], parts[k].SHA256) {
				t.Fatalf("part %d hash", k+1)
			}
		}
		set = append(set, part)
	}
	s := NewSet(set)
	defer s.Close()
	if s.Size() != int64(len(data)) {
		t.Fatalf("size %d", s.Size())
	}
	// Ordinary and bulk reads at odd offsets and lengths give the bytes.
	r := rand.New(rand.NewPCG(1, 2))
	for _, reader := range []io.ReaderAt{s, s.Bulk()} {
		for range 60 {
			off := r.Int64N(int64(len(data)))
			n := r.IntN(1 << 20)
			buf := make([]byte, n)
			m, err := reader.ReadAt(buf, off)
			want := data[off:min(int64(len(data)), off+int64(n))]
			if m != len(want) || !bytes.Equal(buf[:m], want) || (m < n) != (err == io.EOF) {
				t.Fatalf("ReadAt(%d, %d) = %d, %v", n, off, m, err)
			}
		}
	}
	if set[0].Bulk == nil {
		t.Log("the temp folder's file system refuses O_DIRECT; bulk reads used the cache")
	}
}

func TestAbortAndLimits(t *testing.T) {
	dir := t.TempDir()
	w, _ := Create(dir, "x", 1000, 0)
	w.Write(make([]byte, 2500))
	w.Abort()
	if got := names(t, dir); len(got) != 0 {
		t.Fatalf("abort left %v", got)
	}
	w, _ = Create(dir, "y", 10, 0)
	if _, err := w.Write(make([]byte, 10*MaxParts+1)); err != ErrTooManyParts {
		t.Fatalf("got %v", err)
	}
	w.Abort()
	if _, err := w.WriteAt([]byte("x"), 0); err == nil {
		t.Fatal("WriteAt outside the room")
	}
}

// TestReadBackFindsDifferences changes bytes behind the writer's back:
// Sync must notice, wherever they are.
func TestReadBackFindsDifferences(t *testing.T) {
	for name, at := range map[string]int64{"room": 5, "first window": 100, "middle window": window + 7, "last bytes": 2*window + 999} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			w, _ := Create(dir, "b", 4*window, 64)
			data := make([]byte, 2*window+1000)
			rand.NewChaCha8([32]byte{2}).Read(data)
			w.Write(data)
			w.WriteAt([]byte("head"), 0)
			f, _ := os.OpenFile(w.TempPaths()[0], os.O_WRONLY, 0)
			f.WriteAt([]byte{data[at] ^ 1}, at)
			f.Close()
			if err := w.Sync(); !errors.Is(err, ErrReadBack) {
				t.Fatalf("Sync after a changed byte at %d: %v", at, err)
			}
			w.Abort()
		})
	}
	t.Run("window read back while writing", func(t *testing.T) {
		w, _ := Create(t.TempDir(), "b", 8*window, 64)
		w.Write(make([]byte, 2*window))
		f, _ := os.OpenFile(w.TempPaths()[0], os.O_WRONLY, 0)
		f.WriteAt([]byte{1}, window+5)
		f.Close()
		w.Write(make([]byte, 2*window))
		_, err := w.checker.finish()
		if !errors.Is(err, ErrReadBack) {
			t.Fatalf("background read-back: %v", err)
		}
		w.Abort()
	})
	dir := t.TempDir()
	w, _ := Create(dir, "b", 4*window, 64)
	w.Write(make([]byte, 2*window+1000))
	w.WriteAt([]byte("head"), 0)
	if err := w.Sync(); err != nil {
		t.Fatalf("Sync of an unchanged stream: %v", err)
	}
	w.Abort()
}

// TestFailedCommitLeavesNothing: a rename that fails during Commit takes
// the parts already renamed with it, not only the temp files.
func TestFailedCommitLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	w, _ := Create(dir, "b", 1000, 0)
	w.Write(make([]byte, 2500)) // three parts, renamed part 3 first
	if err := w.Sync(); err != nil {
		t.Fatal(err)
	}
	// A non-empty folder where part 2 goes makes its rename fail.
	if err := os.MkdirAll(filepath.Join(dir, "b.part2", "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Commit(); err == nil {
		t.Fatal("Commit over a folder succeeded")
	}
	if got := names(t, dir); !slices.Equal(got, []string{"b.part2"}) {
		t.Fatalf("a failed Commit left %v", got)
	}
}

// TestRefusedDirectReadIsClosed: a read-back whose direct reader the file
// system refuses (EINVAL) goes on the ordinary way and closes it.
func TestRefusedDirectReadIsClosed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p")
	data := []byte("what was written")
	os.WriteFile(path, data, 0o644)
	plain, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	direct := &refusingDirect{}
	c := &checker{files: map[int]*readBack{0: {direct: direct, plain: plain}}, buf: alignedBuffer(window)}
	defer c.close()
	b, err := c.read(0, 0, int64(len(data)))
	if err != nil || !bytes.Equal(b, data) {
		t.Fatalf("read %q, %v", b, err)
	}
	if !direct.closed {
		t.Fatal("the refused direct reader was left open")
	}
}

// refusingDirect is a direct reader the file system refuses.
type refusingDirect struct{ closed bool }

func (*refusingDirect) ReadAt([]byte, int64) (int, error) { return 0, syscall.EINVAL }

func (d *refusingDirect) Close() error {
	d.closed = true
	return nil
}
