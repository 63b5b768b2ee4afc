package data

import (
	"errors"
	"strings"
	"testing"
)

// wantConflict checks err is an ImportConflictError saying, Chinese first,
// what it is and what to do, and naming what it should.
func wantConflict(t *testing.T, err error, names ...string) *ImportConflictError {
	t.Helper()
	var ce *ImportConflictError
	if !errors.As(err, &ce) {
		t.Fatalf("got %v, want an ImportConflictError", err)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "同步包中的记录与本机数据冲突") || !strings.Contains(msg, "重新导出") ||
		!strings.Contains(msg, "管理员指南第 9 节") || !strings.Contains(msg, "admin guide §9") || strings.Contains(msg, "constraint failed") {
		t.Errorf("message: %s", msg)
	}
	for _, n := range names {
		if !strings.Contains(msg, n) {
			t.Errorf("message does not name %q: %s", n, msg)
		}
	}
	return ce
}

// TestImportRefersToMissingRow: a record that refers to a row this
// install lacks is refused by the commit, unnamed; the same import that
// explains conflicts refuses it before the commit, naming both, in words.
func TestImportRefersToMissingRow(t *testing.T) {
	st := stationWithRecords(t)
	e := exportFrom(t, st, ExportScope{Self: "st1", Side: StationSide, Peer: "hq"})
	var account SyncRecord
	for _, r := range e.recs {
		if r.Type == "account" {
			account = r
		}
	}
	hq, _, _ := newTestStore(t)
	before, _ := CanonicalDump(hq.Reader())
	apply := func(explain bool) error {
		im, err := hq.NewImporter(ImportScope{Self: "hq", Sender: "st1", SenderSide: StationSide})
		if err != nil {
			t.Fatal(err)
		}
		im.ExplainConflicts = explain
		return hq.Write(func(tx *Tx) error {
			if err := im.Begin(tx); err != nil {
				return err
			}
			if err := (exported{recs: []SyncRecord{account}}).replay(st, im.Record, im.Attachment); err != nil {
				return err
			}
			return im.Finish()
		})
	}
	err := apply(false)
	if !NeedsExplaining(err) {
		t.Fatalf("without explaining: %v, want a constraint to explain", err)
	}
	wantConflict(t, ImportConflict(err))
	err = apply(true)
	ce := wantConflict(t, err, "账号 a1", "民警 o1", "account a1", "officer o1")
	if ce.Type != "account" || ce.ID != "a1" || ce.RefTable != "officers" || ce.RefID != "o1" {
		t.Errorf("conflict %+v", ce)
	}
	t.Log(err)
	if after, _ := CanonicalDump(hq.Reader()); after != before {
		t.Error("a refused import changed the store")
	}
	// The whole bundle imports.
	if _, err := importInto(t, hq, st, ImportScope{Self: "hq", Sender: "st1", SenderSide: StationSide}, e); err != nil {
		t.Fatal(err)
	}
}

// TestImportUniqueConflict: a record that breaks a unique constraint here
// is refused in words, naming it.
func TestImportUniqueConflict(t *testing.T) {
	hq, _, _ := newTestStore(t)
	mustWrite(t, hq, func(tx *Tx) error {
		_, err := tx.Exec(`INSERT INTO lexicon_versions(id, owner_unit, number, terms, term_count, created_by, created_at, updated_at)
			VALUES ('lx1', 'hq', 1, '', 0, 'zhao', 1, 1)`)
		return err
	})
	e := exportFrom(t, hq, ExportScope{Self: "hq", Side: HQSide, Peer: "st1"})
	if len(e.recs) != 1 || e.recs[0].Type != "lexicon" {
		t.Fatalf("exported %+v", e.recs)
	}
	st, _, _ := newTestStore(t)
	mustWrite(t, st, func(tx *Tx) error { // the same number under another id
		_, err := tx.Exec(`INSERT INTO lexicon_versions(id, owner_unit, number, terms, term_count, created_by, created_at, updated_at)
			VALUES ('lx0', 'hq', 1, '', 0, 'zhao', 1, 1)`)
		return err
	})
	_, err := importInto(t, st, hq, ImportScope{Self: "st1", Sender: "hq", SenderSide: HQSide}, e)
	ce := wantConflict(t, err, "词库 lx1", "lexicon lx1")
	if ce.Type != "lexicon" || ce.ID != "lx1" || ce.Err == nil {
		t.Errorf("conflict %+v", ce)
	}
	t.Log(err)
}

// TestImportConflictAtCommit: a deferred foreign key that fails at the
// commit is said in words too (no record named), and other errors pass.
func TestImportConflictAtCommit(t *testing.T) {
	s, _, _ := newTestStore(t)
	err := s.Write(func(tx *Tx) error {
		if _, err := tx.Exec("PRAGMA defer_foreign_keys = ON"); err != nil {
			return err
		}
		_, err := tx.Exec(`INSERT INTO accounts(id, owner_unit, action, platform, name, platform_id, kind, department, officer_id,
			responsible, contact, filed_on, status, created_at, updated_at)
			VALUES ('a1', 'st1', 'open', 'weibo', 'x', 'pid', 'personal', 'd', 'nobody', 'r', 'c', '2026-01-01', 'accepted', 1, 1)`)
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "FOREIGN KEY") {
		t.Fatalf("commit with a broken reference: %v", err)
	}
	wantConflict(t, ImportConflict(err))
	if other := errors.New("x"); ImportConflict(other) != other {
		t.Error("ImportConflict changed an error that is no constraint failure")
	}
	if ImportConflict(nil) != nil {
		t.Error("ImportConflict(nil)")
	}
}
