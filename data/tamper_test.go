package data

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mediadesk/data/internal/seal"
)

// tamperStore makes a closed store whose snapshot body spans several
// chunks and returns its directory.
func tamperStore(t *testing.T) string {
	t.Helper()
	s, dir, _ := newTestStore(t)
	for i := range 6 {
		blob := seededBytes(uint64(i), 40<<10)
		mustWrite(t, s, func(tx *Tx) error {
			return SetSetting(tx, fmt.Sprintf("k%d", i), fmt.Sprintf("%x", blob))
		})
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestTamperSnapshotHeaderEveryByte(t *testing.T) {
	dir := tamperStore(t)
	path := filepath.Join(dir, snapshotFile)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	hl := snapshotHeaderLen(t, raw)
	if hl >= len(raw) || hl < 100 {
		t.Fatalf("implausible header length %d of %d", hl, len(raw))
	}
	for off := 0; off < hl; off++ {
		for _, mask := range []byte{0x01, 0xff} {
			flipByte(t, path, int64(off), mask)
			err := mustFailOpen(t, dir, fmt.Sprintf("header byte %d ^%#x", off, mask))
			wantDamaged(t, err, path, fmt.Sprintf("header byte %d ^%#x", off, mask))
			flipByte(t, path, int64(off), mask)
		}
	}
	// Untouched, it still opens.
	s := openT(t, dir, testOpts)
	abandon(s)
}

func TestTamperSnapshotBody(t *testing.T) {
	dir := tamperStore(t)
	path := filepath.Join(dir, snapshotFile)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	hl := snapshotHeaderLen(t, raw)
	body := len(raw) - hl
	full := seal.ChunkSize + 16
	if body < 3*full {
		t.Fatalf("body of %d bytes spans fewer than 3 chunks", body)
	}
	offs := map[int]bool{hl: true, hl + 1: true, len(raw) - 1: true, len(raw) - 17: true,
		hl + full - 1: true, hl + full: true, len(raw) - 100: true}
	lastChunk := hl + (body/full)*full
	if lastChunk == len(raw) {
		lastChunk -= full
	}
	offs[lastChunk] = true
	offs[lastChunk+24] = true
	for off := hl; off < len(raw); off += 4099 {
		offs[off] = true
	}
	for off := range offs {
		flipByte(t, path, int64(off), 0x20)
		err := mustFailOpen(t, dir, fmt.Sprintf("body byte %d", off))
		wantDamaged(t, err, path, fmt.Sprintf("body byte %d", off))
		flipByte(t, path, int64(off), 0x20)
	}
	// Cut off and extended bodies fail too.
	for _, n := range []int{len(raw) - 1, len(raw) - full, hl + full, hl} {
		if err := os.WriteFile(path, raw[:n], 0o600); err != nil {
			t.Fatal(err)
		}
		wantDamaged(t, mustFailOpen(t, dir, fmt.Sprintf("cut at %d", n)), path, fmt.Sprintf("cut at %d", n))
	}
	if err := os.WriteFile(path, append(append([]byte{}, raw...), 0), 0o600); err != nil {
		t.Fatal(err)
	}
	wantDamaged(t, mustFailOpen(t, dir, "extended"), path, "extended")
	os.WriteFile(path, raw, 0o600)
	abandon(openT(t, dir, testOpts))
}

// TestTamperKeySlots changes the key-slot table. With the header checksum
// left alone every flip is reported as damage before any password is
// tried (TestTamperSnapshotHeaderEveryByte covers that). Here the
// attacker also recomputes the (unkeyed) checksum: the store must still
// fail closed — the body is bound to the header digest, and a changed
// slot of the user opening it cannot tell damage from a wrong password.
func TestTamperKeySlots(t *testing.T) {
	dir := tamperStore(t)
	path := filepath.Join(dir, snapshotFile)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	before := dirBytes(t, dir)
	hl := snapshotHeaderLen(t, raw)
	slotsStart := 8 + 2 + 2 + 16 + 8 + 16 + 4
	slotsEnd := hl - sha256.Size
	damagedCount := 0
	for off := slotsStart; off < slotsEnd; off++ {
		c := append([]byte{}, raw...)
		c[off] ^= 0x01
		sum := sha256.Sum256(c[:slotsEnd])
		copy(c[slotsEnd:], sum[:])
		if err := os.WriteFile(path, c, 0o600); err != nil {
			t.Fatal(err)
		}
		err := mustFailOpen(t, dir, fmt.Sprintf("slot byte %d with checksum recomputed", off))
		var de *DamagedError
		switch {
		case errors.As(err, &de):
			if de.File != path {
				t.Fatalf("slot byte %d: names %q", off, de.File)
			}
			damagedCount++
		case errors.Is(err, ErrWrongPassword), errors.Is(err, ErrUnknownUser):
		default:
			t.Fatalf("slot byte %d: unexpected error %v", off, err)
		}
	}
	if damagedCount < (slotsEnd-slotsStart)/2 {
		t.Fatalf("only %d of %d slot flips were reported as damage", damagedCount, slotsEnd-slotsStart)
	}
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	sameDir(t, before, dirBytes(t, dir), "after slot tampering")
	abandon(openT(t, dir, testOpts))
}

// journalStore returns a store directory holding a snapshot and a journal
// with the given notes as separate records (the store was dropped as by a
// crash, so the journal was not compacted).
func journalStore(t *testing.T, notes ...string) (dir, journal string) {
	t.Helper()
	s, dir, _ := newTestStore(t)
	for i, n := range notes {
		addNote(t, s, fmt.Sprintf("n%d", i), n)
	}
	abandon(s)
	js := journalFiles(t, dir)
	if len(js) != 1 {
		t.Fatalf("want one journal, have %v", js)
	}
	return dir, js[0]
}

func TestTamperJournalEveryByte(t *testing.T) {
	dir, path := journalStore(t, "一", "two", "三")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	offs := recordOffsets(t, raw)
	if len(offs) != 4 {
		t.Fatalf("want 3 records, found %d", len(offs)-1)
	}
	// Every header byte, every byte of the middle record and every byte of
	// the last one.
	var targets []int
	for i := 0; i < journalHeaderSize; i++ {
		targets = append(targets, i)
	}
	for i := offs[1]; i < offs[3]; i++ {
		targets = append(targets, i)
	}
	before := dirBytes(t, dir)
	for _, off := range targets {
		for _, mask := range []byte{0x01, 0xff} {
			flipByte(t, path, int64(off), mask)
			what := fmt.Sprintf("journal byte %d ^%#x", off, mask)
			wantDamaged(t, mustFailOpen(t, dir, what), path, what)
			flipByte(t, path, int64(off), mask)
		}
	}
	// A failed open changed nothing (it did not "repair" a tail).
	sameDir(t, before, dirBytes(t, dir), "after journal tampering")

	// Records swapped, or one dropped from the middle.
	swapped := append([]byte{}, raw[:offs[1]]...)
	swapped = append(swapped, raw[offs[2]:offs[3]]...)
	swapped = append(swapped, raw[offs[1]:offs[2]]...)
	dropped := append(append([]byte{}, raw[:offs[1]]...), raw[offs[2]:]...)
	for name, c := range map[string][]byte{"swapped": swapped, "dropped": dropped} {
		os.WriteFile(path, c, 0o600)
		wantDamaged(t, mustFailOpen(t, dir, name), path, name)
	}
	os.WriteFile(path, raw, 0o600)
	s := openT(t, dir, testOpts)
	for i, want := range []string{"一", "two", "三"} {
		if v, err := Setting(s.Reader(), fmt.Sprintf("n%d", i)); err != nil || v != want {
			t.Fatalf("n%d: %q %v", i, v, err)
		}
	}
	abandon(s)
}

func TestTamperJournalFromAnotherStore(t *testing.T) {
	dirA, pathA := journalStore(t, "a")
	_, pathB := journalStore(t, "b")
	b, _ := os.ReadFile(pathB)
	os.WriteFile(pathA, b, 0o600)
	wantDamaged(t, mustFailOpen(t, dirA, "foreign journal"), pathA, "foreign journal")
}

func checkNotes(t *testing.T, s *Store, want map[string]string) {
	t.Helper()
	for k, v := range want {
		got, err := Setting(s.Reader(), k)
		if v == "" {
			if !errors.Is(err, ErrNotFound) {
				t.Fatalf("%s should be absent: %q %v", k, got, err)
			}
			continue
		}
		if err != nil || got != v {
			t.Fatalf("%s: got %q %v, want %q", k, got, err, v)
		}
	}
}

// withJournal copies the store in dir to a new folder, there with data
// in place of its journal path, and returns the new folder.
func withJournal(t *testing.T, dir, path string, data []byte) string {
	t.Helper()
	d := t.TempDir()
	copyDir(t, dir, d)
	if err := os.WriteFile(filepath.Join(d, filepath.Base(path)), data, 0o600); err != nil {
		t.Fatal(err)
	}
	return d
}

// TestJournalTornTail cuts the journal inside its last record, at many
// points: the store opens with only that transaction missing, and the
// next write lands after the last whole record and survives a reopen.
func TestJournalTornTail(t *testing.T) {
	dir, path := journalStore(t, "first", "second", "third-"+strings.Repeat("x", 300))
	raw, _ := os.ReadFile(path)
	offs := recordOffsets(t, raw)
	last, end := offs[2], offs[3]
	cuts := []int{last + 1, last + 4, last + 7, last + 8, last + 9, last + 40, (last + end) / 2, end - 16, end - 1}
	for _, cut := range cuts {
		t.Run(fmt.Sprintf("cut%d", cut-last), func(t *testing.T) {
			d := withJournal(t, dir, path, raw[:cut])
			s := openT(t, d, testOpts)
			checkNotes(t, s, map[string]string{"n0": "first", "n1": "second", "n2": ""})
			addNote(t, s, "after", "写入成功")
			abandon(s)
			s = openT(t, d, testOpts)
			checkNotes(t, s, map[string]string{"n0": "first", "n1": "second", "n2": "", "after": "写入成功"})
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			s = openT(t, d, testOpts)
			checkNotes(t, s, map[string]string{"n0": "first", "n1": "second", "n2": "", "after": "写入成功"})
			abandon(s)
		})
	}
}

// TestJournalZeroTail: zeros after the last record (space allocated but
// never written) and a last record whose tail is zeros are torn tails.
func TestJournalZeroTail(t *testing.T) {
	dir, path := journalStore(t, "first", "second")
	raw, _ := os.ReadFile(path)
	offs := recordOffsets(t, raw)
	cases := map[string]struct {
		data []byte
		n1   string
	}{
		"zeros after the last record": {append(append([]byte{}, raw...), make([]byte, 4096)...), "second"},
		"a few zeros after it":        {append(append([]byte{}, raw...), make([]byte, 5)...), "second"},
		"last record's tail zeroed": {func() []byte {
			c := append([]byte{}, raw...)
			clear(c[offs[2]-40 : offs[2]])
			return c
		}(), ""},
		"last record all zeros": {func() []byte {
			c := append([]byte{}, raw...)
			clear(c[offs[1]:offs[2]])
			return c
		}(), ""},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			d := withJournal(t, dir, path, c.data)
			s := openT(t, d, testOpts)
			checkNotes(t, s, map[string]string{"n0": "first", "n1": c.n1})
			addNote(t, s, "after", "ok")
			abandon(s)
			s = openT(t, d, testOpts)
			checkNotes(t, s, map[string]string{"n0": "first", "n1": c.n1, "after": "ok"})
			abandon(s)
		})
	}
	// Zeros in the middle of a record that is followed by another are damage.
	c := append([]byte{}, raw...)
	clear(c[offs[1]-40 : offs[1]])
	os.WriteFile(path, c, 0o600)
	wantDamaged(t, mustFailOpen(t, dir, "zeroed middle record"), path, "zeroed middle record")
}

// TestJournalGenerations mixes files from before and after a compaction:
// the old snapshot with both journals opens (a crash before the rename);
// the old snapshot without its own journal, or with a torn tail followed
// by a later journal, is damage that names the file.
func TestJournalGenerations(t *testing.T) {
	s, dir, _ := newTestStore(t)
	addNote(t, s, "a", "1")
	addNote(t, s, "b", "2")
	old := t.TempDir()
	s.bg.Wait()
	copyDir(t, dir, old) // snapshot G, journal G with a and b
	if err := s.Compact(); err != nil {
		t.Fatal(err)
	}
	emptyNewJ, err := os.ReadFile(s.journal.path) // journal G+1, header only
	if err != nil {
		t.Fatal(err)
	}
	addNote(t, s, "c", "3")
	abandon(s)
	js := journalFiles(t, dir)
	if len(js) != 1 {
		t.Fatalf("after compaction: %v", js)
	}
	oldJs := journalFiles(t, old)
	newJ, _ := os.ReadFile(js[0])

	// Crash before the rename: old snapshot, journal G and journal G+1.
	mid := withJournal(t, old, js[0], newJ)
	s = openT(t, mid, testOpts)
	checkNotes(t, s, map[string]string{"a": "1", "b": "2", "c": "3"})
	abandon(s)

	// Killed right after the new journal was made: snapshot G, journal G
	// with a and b, journal G+1 empty. An open and a close without writes
	// (so no compaction) must not delete journal G.
	early := t.TempDir()
	copyDir(t, old, early)
	os.WriteFile(filepath.Join(early, filepath.Base(js[0])), emptyNewJ, 0o600)
	for range 3 {
		s = openT(t, early, testOpts)
		checkNotes(t, s, map[string]string{"a": "1", "b": "2"})
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	s = openT(t, early, testOpts)
	addNote(t, s, "d", "4")
	abandon(s)
	s = openT(t, early, testOpts)
	checkNotes(t, s, map[string]string{"a": "1", "b": "2", "d": "4"})
	abandon(s)

	// Journal G missing: records a and b would be lost silently.
	gap := t.TempDir()
	copyDir(t, mid, gap)
	os.Remove(filepath.Join(gap, filepath.Base(oldJs[0])))
	err = mustFailOpen(t, gap, "missing journal generation")
	var de *DamagedError
	if !errors.As(err, &de) || !strings.Contains(de.File, filepath.Join(gap, "journal-")) {
		t.Fatalf("missing generation: %v", err)
	}

	// Torn tail in journal G followed by journal G+1.
	torn := t.TempDir()
	copyDir(t, old, torn)
	jg := filepath.Join(torn, filepath.Base(oldJs[0]))
	b, _ := os.ReadFile(jg)
	offs := recordOffsets(t, b)
	os.WriteFile(jg, b[:offs[len(offs)-1]-3], 0o600) // cut inside the last record
	os.WriteFile(filepath.Join(torn, filepath.Base(js[0])), newJ, 0o600)
	wantDamaged(t, mustFailOpen(t, torn, "torn before a later journal"), jg, "torn before a later journal")
}

func TestWrongPasswordChangesNothing(t *testing.T) {
	dir, path := journalStore(t, "one", "two")
	// A torn tail that a successful open would cut off.
	raw, _ := os.ReadFile(path)
	offs := recordOffsets(t, raw)
	f, _ := os.OpenFile(path, os.O_WRONLY, 0)
	f.WriteAt([]byte{1, 2, 3}, int64(offs[len(offs)-1]))
	f.Close()
	os.MkdirAll(filepath.Join(dir, attachmentsDir), 0o700)
	os.WriteFile(filepath.Join(dir, attachmentsDir, ".tmp-leftover"), []byte("x"), 0o600)
	before := dirBytes(t, dir)
	if _, err := Open(dir, "admin", "wrong password", testOpts); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("wrong password: %v", err)
	}
	if _, err := OpenWithRecoveryKey(dir, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH", testOpts); !errors.Is(err, ErrWrongRecoveryKey) {
		t.Fatalf("wrong recovery key: %v", err)
	}
	if _, err := OpenWithAnyPassword(dir, "wrong password", testOpts); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("wrong password, no name: %v", err)
	}
	if _, err := Open(dir, "nobody", testPassword, testOpts); !errors.Is(err, ErrUnknownUser) {
		t.Fatalf("unknown user: %v", err)
	}
	sameDir(t, before, dirBytes(t, dir), "after wrong passwords")
	s := openT(t, dir, testOpts)
	checkNotes(t, s, map[string]string{"n0": "one", "n1": "two"})
	abandon(s)
}

// attachmentPath returns the file of an attachment.
func attachmentPath(t testing.TB, s *Store, id string) string {
	t.Helper()
	var rel string
	if err := s.Reader().QueryRow("SELECT file FROM attachments WHERE id = ?", id).Scan(&rel); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(s.Dir(), attachmentsDir, filepath.FromSlash(rel))
}

func readAttachment(s *Store, id string) ([]byte, error) {
	r, err := s.OpenAttachment(id)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

func TestTamperAttachment(t *testing.T) {
	s, _, _ := newTestStore(t)
	defer s.Close()
	content := seededBytes(3, 3*seal.ChunkSize+1234)
	a, err := s.PutAttachment(bytes.NewReader(content), "scan.jpg", "image/jpeg", 1)
	if err != nil {
		t.Fatal(err)
	}
	other, err := s.PutAttachment(strings.NewReader("another file"), "b.txt", "text/plain", 2)
	if err != nil {
		t.Fatal(err)
	}
	path := attachmentPath(t, s, a.ID)
	raw, _ := os.ReadFile(path)
	if got, err := readAttachment(s, a.ID); err != nil || !bytes.Equal(got, content) {
		t.Fatalf("untouched attachment: %v", err)
	}
	full := seal.ChunkSize + 16
	offs := map[int]bool{}
	for i := 0; i < attachmentHeaderSize; i++ {
		offs[i] = true
	}
	for i := attachmentHeaderSize; i < len(raw); i += 997 {
		offs[i] = true
	}
	for _, i := range []int{attachmentHeaderSize, attachmentHeaderSize + full - 1, attachmentHeaderSize + full,
		attachmentHeaderSize + 3*full, len(raw) - 17, len(raw) - 1} {
		offs[i] = true
	}
	for off := range offs {
		flipByte(t, path, int64(off), 0x04)
		_, err := readAttachment(s, a.ID)
		wantDamaged(t, err, path, fmt.Sprintf("attachment byte %d", off))
		flipByte(t, path, int64(off), 0x04)
	}
	for _, n := range []int{len(raw) - 1, attachmentHeaderSize + full, attachmentHeaderSize, 10} {
		os.WriteFile(path, raw[:n], 0o600)
		_, err := readAttachment(s, a.ID)
		wantDamaged(t, err, path, fmt.Sprintf("attachment cut at %d", n))
	}
	// Another valid attachment file put in its place.
	ob, _ := os.ReadFile(attachmentPath(t, s, other.ID))
	os.WriteFile(path, ob, 0o600)
	_, err = readAttachment(s, a.ID)
	wantDamaged(t, err, path, "swapped attachment")
	os.Remove(path)
	_, err = readAttachment(s, a.ID)
	wantDamaged(t, err, path, "missing attachment")
	os.WriteFile(path, raw, 0o600)
	if got, err := readAttachment(s, a.ID); err != nil || !bytes.Equal(got, content) {
		t.Fatalf("restored attachment: %v", err)
	}
}
