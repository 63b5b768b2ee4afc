package data

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// TestJournalLostSectors: a power cut during a record's flush may leave
// any of its sectors unwritten (zeros), not only its tail. The last
// record with such a sector is a torn tail; the same in a record that
// another follows is damage.
func TestJournalLostSectors(t *testing.T) {
	big := strings.Repeat("汤阴", 700) // a record of several sectors
	dir, path := journalStore(t, "first", "second", big)
	raw, _ := os.ReadFile(path)
	offs := recordOffsets(t, raw)
	last, end := offs[2], offs[3]
	sectorIn := func(from, to int) int { // the first whole sector in [from, to)
		at := (from + sectorSize - 1) / sectorSize * sectorSize
		if at+sectorSize > to {
			t.Fatalf("no whole sector in [%d, %d)", from, to)
		}
		return at
	}
	mid := sectorIn(last+sectorSize, end)
	cases := map[string]func(c []byte){
		"a middle sector of the last record": func(c []byte) { clear(c[mid : mid+sectorSize]) },
		"the last record's first sector": func(c []byte) {
			clear(c[last : (last+frameHeaderSize+sectorSize)/sectorSize*sectorSize])
		},
	}
	for name, damage := range cases {
		t.Run(name, func(t *testing.T) {
			c := append([]byte{}, raw...)
			damage(c)
			d := withJournal(t, dir, path, c)
			s := openT(t, d, testOpts)
			checkNotes(t, s, map[string]string{"n0": "first", "n1": "second", "n2": ""})
			addNote(t, s, "after", "ok")
			abandon(s)
			s = openT(t, d, testOpts)
			checkNotes(t, s, map[string]string{"n0": "first", "n1": "second", "n2": "", "after": "ok"})
			abandon(s)
		})
	}
	// The same big record followed by another: a zero sector is damage.
	dir, path = journalStore(t, "first", big, "third")
	raw, _ = os.ReadFile(path)
	offs = recordOffsets(t, raw)
	at := sectorIn(offs[1]+sectorSize, offs[2])
	clear(raw[at : at+sectorSize])
	os.WriteFile(path, raw, 0o600)
	wantDamaged(t, mustFailOpen(t, dir, "zero sector in a middle record"), path, "zero sector in a middle record")
}

// TestFailedCommitIsCutOff: when the in-memory commit fails after the
// record was made durable (a deferred constraint), the record is cut off
// the journal again, so no replay can bring the failed write back.
func TestFailedCommitIsCutOff(t *testing.T) {
	s, dir, _ := newTestStore(t)
	mustWrite(t, s, func(tx *Tx) error {
		_, err := tx.Exec(`CREATE TABLE parent (id TEXT PRIMARY KEY) STRICT;
			CREATE TABLE child (parent TEXT REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED) STRICT`)
		return err
	})
	addNote(t, s, "before", "1")
	size := s.journal.size
	err := s.Write(func(tx *Tx) error {
		if err := SetSetting(tx, "failed", "x"); err != nil {
			return err
		}
		_, err := tx.Exec("INSERT INTO child(parent) VALUES ('nobody')")
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "FOREIGN KEY") {
		t.Fatalf("commit of an orphan row: %v", err)
	}
	if got := fileSize(t, s.journal.path); got != size || s.journal.size != size {
		t.Fatalf("journal is %d bytes (store thinks %d) after the failed commit, want %d", got, s.journal.size, size)
	}
	addNote(t, s, "after", "2")
	abandon(s)
	wantFailedCommitGone(t, dir)
}

// TestCompactCutsDirtyJournal: a failed commit that could not be cut off
// leaves the journal dirty; a compaction that then stops before its
// rename (here: the temp file cannot be made) leaves snapshot G with
// journals G and G+1, which must open without the failed commit.
func TestCompactCutsDirtyJournal(t *testing.T) {
	fi, _, dir, s := faultyStore(t)
	failLeavingDirt(t, fi, s)
	tmp := filepath.Join(dir, snapshotFile+".tmp")
	if err := os.Mkdir(tmp, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := s.Compact(); err == nil {
		t.Fatal("compaction succeeded without its temp file")
	}
	addNote(t, s, "after", "2")
	abandon(s)
	if js := journalFiles(t, dir); len(js) != 2 {
		t.Fatalf("journals %v, want G and G+1", js)
	}
	os.Remove(tmp)
	wantFailedCommitGone(t, dir)
}

// TestKeySlotChangeWhoseDirSyncFails: the new snapshot is renamed but the
// folder's fsync fails, so the rename may not survive a power cut. The
// store must not go on writing to the old journal (replay would skip it
// behind the new snapshot): it stops, and a reopen has every
// acknowledged write and the new slot.
func TestKeySlotChangeWhoseDirSyncFails(t *testing.T) {
	s, dir, _ := newTestStore(t)
	addNote(t, s, "before", "1")
	syncDir = func(string) error { return &WriteError{File: dir, Err: syscall.EIO} }
	_, err := s.AddUserSlot("carol", "carol-password")
	syncDir = syncDirectory
	if !errors.Is(err, syscall.EIO) {
		t.Fatalf("add slot: %v, want the fsync error", err)
	}
	if err := s.Write(func(tx *Tx) error { return SetSetting(tx, "after", "2") }); err == nil {
		t.Fatal("a write was acknowledged after the failed rename; it would be lost")
	}
	abandon(s)
	s, err = Open(dir, "carol", "carol-password", testOpts)
	if err != nil {
		t.Fatalf("the new slot: %v", err)
	}
	checkNotes(t, s, map[string]string{"before": "1", "after": ""})
	s.Close()
}

// TestConcurrentSlotChanges: a user removed and another added at the same
// moment both take effect.
func TestConcurrentSlotChanges(t *testing.T) {
	s, dir, _ := newTestStore(t)
	for round := range 4 {
		bob, carol := fmt.Sprintf("bob%d", round), fmt.Sprintf("carol%d", round)
		if _, err := s.AddUserSlot(bob, "bob-password"); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		wg.Go(func() { errs[0] = s.RemoveUserSlot(bob) })
		wg.Go(func() { _, errs[1] = s.AddUserSlot(carol, "carol-password") })
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		if s.HasUserSlot(bob) || !s.HasUserSlot(carol) {
			t.Fatalf("round %d: bob's slot %v, carol's %v", round, s.HasUserSlot(bob), s.HasUserSlot(carol))
		}
	}
	s.Close()
	if _, err := Open(dir, "bob3", "bob-password", testOpts); err == nil {
		t.Fatal("the removed user's slot still opens")
	}
	s, err := Open(dir, "carol3", "carol-password", testOpts)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}

// TestConcurrentSameAttachment: the same content added twice at once
// (two imports, or an import and a user) must leave both readable.
func TestConcurrentSameAttachment(t *testing.T) {
	s, _, _ := newTestStore(t)
	content := bytes.Repeat([]byte("现场照片"), 40_000)
	for range 5 {
		var wg sync.WaitGroup
		ids := make([]string, 4)
		errs := make([]error, len(ids))
		for i := range ids {
			wg.Go(func() {
				a, err := s.PutAttachment(bytes.NewReader(content), "photo.jpg", "image/jpeg", 1)
				ids[i], errs[i] = a.ID, err
			})
		}
		wg.Wait()
		for i, id := range ids {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			r, err := s.OpenAttachment(id)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(r)
			r.Close()
			if err != nil || !bytes.Equal(got, content) {
				t.Fatalf("attachment %s: %d bytes, %v", id, len(got), err)
			}
		}
	}
	// Deterministically: two seals of the content before either row is
	// written; the second must not replace the first one's file.
	nk, err := s.nameKey()
	if err != nil {
		t.Fatal(err)
	}
	other := bytes.Repeat([]byte("另一张"), 30_000)
	var sealed []sealedAttachment
	for range 2 {
		st, err := s.sealAttachment(s.db, nk, bytes.NewReader(other), "b.jpg", "image/jpeg", 1, nil)
		if err != nil || st.existing {
			t.Fatalf("seal: %v (existing %v)", err, st.existing)
		}
		sealed = append(sealed, st)
	}
	discarded := sealed[1]
	discarded.discard() // the second one's import failed
	mustWrite(t, s, sealed[0].insert)
	r, err := s.OpenAttachment(sealed[0].a.ID)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r)
	r.Close()
	if err != nil || !bytes.Equal(got, other) {
		t.Fatalf("first seal after the second: %d bytes, %v", len(got), err)
	}
	s.Close()
}

// TestSnapshotMissing: journals without the snapshot (a copy that lost
// it, a rename lost on a file system without a journal) are damage to
// report, not an empty folder to set up again over the journals.
func TestSnapshotMissing(t *testing.T) {
	s, dir, _ := newTestStore(t)
	addNote(t, s, "a", "1")
	abandon(s)
	snap := filepath.Join(dir, snapshotFile)
	if err := os.Rename(snap, snap+".tmp"); err != nil {
		t.Fatal(err)
	}
	if !Exists(dir) {
		t.Fatal("Exists: false for a folder holding journals and a snapshot temp file")
	}
	// The temp file alone is an interrupted first setup: no store yet.
	bare := t.TempDir()
	if err := os.WriteFile(filepath.Join(bare, snapshotFile+".tmp"), []byte("half a snapshot"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(bare, "admin", "correct horse", testOpts); !errors.Is(err, ErrNoStore) || Exists(bare) {
		t.Fatalf("an interrupted first setup: %v", err)
	}
	if s, _, err := Create(bare, "admin", "correct horse", testOpts, nil); err != nil {
		t.Fatalf("setup after an interrupted one: %v", err)
	} else {
		s.Close()
	}
	wantDamaged(t, mustFailOpen(t, dir, "snapshot missing"), snap, "snapshot missing")
	if _, _, err := Create(dir, "admin", "correct horse", testOpts, nil); !errors.Is(err, ErrExists) {
		t.Fatalf("create over the journals: %v", err)
	}
	if js := journalFiles(t, dir); len(js) != 1 {
		t.Fatalf("journals now %v", js)
	}
}

// TestSecretChangesRotateTheKey: a changed password and a new recovery
// key rotate the data key, as removing a user does: with the old secret
// and a copy of the old snapshot, the journal written since stays shut.
func TestSecretChangesRotateTheKey(t *testing.T) {
	s, dir, rk := newTestStore(t)
	for _, c := range []struct {
		name   string
		change func() error
	}{
		{"password change", func() error { _, err := s.SetUserPassword("admin", "a new password"); return err }},
		{"new recovery key", func() error { _, err := s.NewRecoveryKey(); return err }},
	} {
		old := bytes.Clone(s.dek)
		if err := c.change(); err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(s.dek, old) {
			t.Fatalf("%s: the data key stayed", c.name)
		}
		addNote(t, s, c.name, "written after")
		if _, err := readJournal(s.journal.path, s.storeID, s.gen, old); err == nil {
			t.Fatalf("%s: the journal written since opens with the old key", c.name)
		}
	}
	s.Close()
	if _, err := OpenWithRecoveryKey(dir, rk, testOpts); !errors.Is(err, ErrWrongRecoveryKey) {
		t.Fatalf("the old recovery key: %v", err)
	}
	s = openWithPassword(t, dir, "admin", "a new password")
	checkNotes(t, s, map[string]string{"password change": "written after", "new recovery key": "written after"})
	s.Close()
}

// openWithPassword opens the store in dir as name.
func openWithPassword(t *testing.T, dir, name, password string) *Store {
	t.Helper()
	s, err := Open(dir, name, password, testOpts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
