package data

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// partOpts are test options under which a transaction writes a part
// record every 2,000 bytes of statements.
func partOpts() Options {
	opts := testOpts
	opts.partBytes = 2000
	opts.CompactBytes = 1 << 40 // one journal: the records stay to be looked at
	return opts
}

// writeNotes writes n notes "<prefix>i" of size bytes in one transaction,
// then returns fail (nil: commit).
func writeNotes(s *Store, prefix string, n, size int, fail error) error {
	return s.Write(func(tx *Tx) error {
		for i := range n {
			if err := SetSetting(tx, fmt.Sprintf("%s%d", prefix, i), strings.Repeat("记", size/3)); err != nil {
				return err
			}
		}
		return fail
	})
}

// journalKinds lists the kinds of the records in s's current journal.
func journalKinds(t *testing.T, s *Store, dir string) []byte {
	t.Helper()
	recs, err := readJournal(filepath.Join(dir, journalName(s.gen)), s.storeID, s.gen, s.dek)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []byte
	for _, r := range recs.records {
		kinds = append(kinds, r[0])
	}
	return kinds
}

// wantNotes checks that notes "<prefix>0" … "<prefix>n-1" are all there
// (present) or all missing.
func wantNotes(t *testing.T, s *Store, prefix string, n int, present bool) {
	t.Helper()
	for i := range n {
		_, err := Setting(s.Reader(), fmt.Sprintf("%s%d", prefix, i))
		switch {
		case present && err != nil:
			t.Fatalf("note %s%d: %v", prefix, i, err)
		case !present && !errors.Is(err, ErrNotFound):
			t.Fatalf("note %s%d is there (%v), want it missing", prefix, i, err)
		}
	}
}

// TestLargeTransactionInParts: a transaction past the part size is
// journaled as parts and a commit, and replays whole.
func TestLargeTransactionInParts(t *testing.T) {
	dir := t.TempDir()
	s, _ := createT(t, dir, partOpts(), nil)
	if err := writeNotes(s, "big", 60, 300, nil); err != nil {
		t.Fatal(err)
	}
	kinds := journalKinds(t, s, dir)
	last := kinds[len(kinds)-1]
	parts := strings.Count(string(kinds), string(rune(recordPart)))
	if last != recordCommit || parts < 5 || !strings.HasSuffix(string(kinds), strings.Repeat(string(rune(recordPart)), parts)+string(rune(recordCommit))) {
		t.Fatalf("journal record kinds %v: want at least 5 parts, then the commit", kinds)
	}
	addNote(t, s, "small", "x")
	if k := journalKinds(t, s, dir); len(k) != len(kinds)+1 || k[len(k)-1] != recordCommit {
		t.Fatalf("a small transaction wrote %v after %v: want one commit", k[len(kinds):], kinds)
	}
	abandon(s)
	s = openT(t, dir, partOpts())
	defer s.Close()
	wantNotes(t, s, "big", 60, true)
	checkNotes(t, s, map[string]string{"small": "x"})
}

// TestFailedTransactionLeavesNoParts: a transaction that fails after
// writing parts leaves the journal as it found it.
func TestFailedTransactionLeavesNoParts(t *testing.T) {
	dir := t.TempDir()
	s, _ := createT(t, dir, partOpts(), nil)
	addNote(t, s, "before", "1")
	path := filepath.Join(dir, journalName(s.gen))
	before, err := readJournal(path, s.storeID, s.gen, s.dek)
	if err != nil {
		t.Fatal(err)
	}
	kinds := journalKinds(t, s, dir)
	boom := errors.New("boom")
	if err := writeNotes(s, "failed", 60, 300, boom); !errors.Is(err, boom) {
		t.Fatalf("write: %v, want boom", err)
	}
	after, err := readJournal(path, s.storeID, s.gen, s.dek)
	if err != nil {
		t.Fatal(err)
	}
	if after.goodSize != before.goodSize || after.torn || fileSize(t, path) != after.goodSize {
		t.Fatalf("journal holds %d bytes of records (torn %v) in %d after the failed transaction, held %d",
			after.goodSize, after.torn, fileSize(t, path), before.goodSize)
	}
	if k := journalKinds(t, s, dir); string(k) != string(kinds) {
		t.Fatalf("journal records %v after the failed transaction, were %v", k, kinds)
	}
	wantNotes(t, s, "failed", 60, false)
	wantTransactionGone(t, s, dir, partOpts(), "failed", 60)
}

// TestPartsWithoutCommitDropped: a crash while a large transaction ran
// leaves its parts with no commit; open drops them, and later commits
// follow cleanly.
func TestPartsWithoutCommitDropped(t *testing.T) {
	dir := t.TempDir()
	s, _ := createT(t, dir, partOpts(), nil)
	if err := writeNotes(s, "kept", 30, 300, nil); err != nil {
		t.Fatal(err)
	}
	if err := writeNotes(s, "crashed", 60, 300, nil); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, journalName(s.gen))
	recs, err := readJournal(path, s.storeID, s.gen, s.dek)
	if err != nil {
		t.Fatal(err)
	}
	abandon(s)
	// The crash came before the last commit record was written.
	if err := os.Truncate(path, recs.starts[len(recs.starts)-1]); err != nil {
		t.Fatal(err)
	}
	s = openT(t, dir, partOpts())
	wantNotes(t, s, "kept", 30, true)
	wantNotes(t, s, "crashed", 60, false)
	if err := writeNotes(s, "later", 30, 300, nil); err != nil {
		t.Fatal(err)
	}
	abandon(s)
	s = openT(t, dir, partOpts())
	defer s.Close()
	wantNotes(t, s, "kept", 30, true)
	wantNotes(t, s, "crashed", 60, false)
	wantNotes(t, s, "later", 30, true)
}

// TestPartWriteFails: the disk fills while a part is written. The
// transaction fails with the write error, nothing of it stays, and the
// store goes on.
func TestPartWriteFails(t *testing.T) {
	fi, opts, dir, s := faultyStore(t)
	s.opts.partBytes = 2000
	fi.set(func(fi *faultInjector) { fi.writeErr, fi.okWrites = syscall.ENOSPC, 2 })
	err := writeNotes(s, "failed", 60, 300, nil)
	var we *WriteError
	if !errors.As(err, &we) || !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("write: %v, want the disk-full write error", err)
	}
	fi.clear()
	wantNotes(t, s, "failed", 60, false)
	wantTransactionGone(t, s, dir, opts, "failed", 60)
}

// TestPowerCutParts cuts the power at random flushes while transactions
// of several statements, many of them in parts, commit: every
// acknowledged transaction comes back whole, the one in flight whole or
// not at all.
func TestPowerCutParts(t *testing.T) {
	for trial := range 30 {
		t.Run(fmt.Sprint(trial), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(trial), 11))
			pc := &powerCut{rng: rng, cutAt: 2 + rng.IntN(20)}
			opts := partOpts()
			opts.wrapJournal = pc.wrap
			dir := t.TempDir()
			s, _ := createT(t, dir, opts, nil)
			acked := map[string]int{}
			var inFlight string
			var inFlightN int
			for i := 0; ; i++ {
				prefix, n := fmt.Sprintf("t%d-", i), 1+rng.IntN(40)
				err := writeNotes(s, prefix, n, 30+rng.IntN(600), nil)
				if err == nil {
					acked[prefix] = n
					continue
				}
				if !errors.Is(err, errPowerCut) {
					t.Fatalf("transaction %d: %v", i, err)
				}
				inFlight, inFlightN = prefix, n
				break
			}
			abandon(s)
			if err := os.WriteFile(pc.imaged, pc.image, 0o600); err != nil {
				t.Fatal(err)
			}
			s, err := Open(dir, "admin", testPassword, testOpts)
			if err != nil {
				t.Fatalf("after the power cut (at flush %d, %d transactions acknowledged): %v", pc.cutAt, len(acked), err)
			}
			for prefix, n := range acked {
				wantNotes(t, s, prefix, n, true)
			}
			_, err = Setting(s.Reader(), inFlight+"0")
			wantNotes(t, s, inFlight, inFlightN, err == nil)
			addNote(t, s, "after", "ok")
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			s = openT(t, dir, testOpts)
			checkNotes(t, s, map[string]string{"after": "ok"})
			s.Close()
		})
	}
}

// TestPartsCutWhenCommitFails: a large transaction whose deferred
// foreign-key check fails at the commit, after its parts and commit
// record were written, leaves no trace in the journal.
func TestPartsCutWhenCommitFails(t *testing.T) {
	dir := t.TempDir()
	s, _ := createT(t, dir, partOpts(), nil)
	addNote(t, s, "before", "1")
	kinds := journalKinds(t, s, dir)
	err := s.Write(func(tx *Tx) error {
		if _, err := tx.Exec("PRAGMA defer_foreign_keys = ON"); err != nil {
			return err
		}
		if _, err := tx.Exec("INSERT INTO post_events(id, post_id, at, actor, kind, from_status, to_status, content_hash)" +
			" VALUES ('e1', 'no-such-post', 1, 'wang', 'submit', 'draft', 'submitted', x'01')"); err != nil {
			return err
		}
		for i := range 60 {
			if err := SetSetting(tx, fmt.Sprintf("failed%d", i), strings.Repeat("记", 100)); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil || !strings.Contains(err.Error(), "FOREIGN KEY") {
		t.Fatalf("a commit that breaks a foreign key: %v, want the foreign-key failure", err)
	}
	if k := journalKinds(t, s, dir); string(k) != string(kinds) {
		t.Fatalf("journal records %v after the failed commit, were %v", k, kinds)
	}
	wantTransactionGone(t, s, dir, partOpts(), "failed", 60)
}

// TestPartsCutWhenTransactionPanics: a transaction that panics after
// writing parts leaves none behind for the next commit to follow.
func TestPartsCutWhenTransactionPanics(t *testing.T) {
	dir := t.TempDir()
	s, _ := createT(t, dir, partOpts(), nil)
	addNote(t, s, "before", "1")
	kinds := journalKinds(t, s, dir)
	func() {
		defer func() {
			if r := recover(); r != "boom" {
				t.Fatalf("recovered %v, want the transaction's panic", r)
			}
		}()
		s.Write(func(tx *Tx) error {
			for i := range 60 {
				if err := SetSetting(tx, fmt.Sprintf("panicked%d", i), strings.Repeat("记", 100)); err != nil {
					return err
				}
			}
			panic("boom")
		})
	}()
	if k := journalKinds(t, s, dir); string(k) != string(kinds) {
		t.Fatalf("journal records %v after the panic, were %v", k, kinds)
	}
	wantTransactionGone(t, s, dir, partOpts(), "panicked", 60)
}

// wantTransactionGone checks that a failed transaction of notes
// "<prefix>0" … left nothing: a note "after" still commits, and once
// the store was abandoned and opened again the notes "before" and "after"
// are there and none of the failed ones.
func wantTransactionGone(t *testing.T, s *Store, dir string, opts Options, prefix string, n int) {
	t.Helper()
	addNote(t, s, "after", "2")
	abandon(s)
	s = openT(t, dir, opts)
	defer s.Close()
	wantNotes(t, s, prefix, n, false)
	checkNotes(t, s, map[string]string{"before": "1", "after": "2"})
}
