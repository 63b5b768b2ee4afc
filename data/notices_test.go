package data

import "testing"

// TestNoticeAnswerMigrationDropsOnlyTheNoticeReference: migration 24
// keeps every answer and its change-log triggers, and an answer to a
// notice this install does not have (HQ rebuilt from a key backup) can be
// written.
func TestNoticeAnswerMigrationDropsOnlyTheNoticeReference(t *testing.T) {
	opts := testOpts
	opts.schemaLimit = 23
	dir := t.TempDir()
	s, _ := createT(t, dir, opts, nil)
	mustWrite(t, s, func(tx *Tx) error {
		if _, err := tx.Exec(`INSERT INTO notices(id, owner_unit, unit_id, title, body, due_on, status, issued_at, created_by, created_at, updated_at)
			VALUES ('n1', 'hq', 'st1', '微博更新不及时', '请整改', '2026-12-05', 'open', 1, 'admin', 1, 1)`); err != nil {
			return err
		}
		return InsertNoticeAnswer(tx, NoticeAnswer{ID: "a1", OwnerUnit: "st1", NoticeID: "n1", Body: "已整改", AnsweredAt: 2, Actor: "wang", CreatedAt: 2, UpdatedAt: 2, Version: 1})
	})
	s.Close()
	s = openT(t, dir, testOpts)
	defer s.Close()

	if got, err := NoticeAnswers(s.Reader(), "n1"); err != nil || len(got) != 1 || got[0].Body != "已整改" {
		t.Fatalf("answers after the migration: %+v %v", got, err)
	}
	var refs int
	if err := s.Reader().QueryRow("SELECT count(*) FROM pragma_foreign_key_list('notice_answers')").Scan(&refs); err != nil || refs != 0 {
		t.Fatalf("notice_answers still has %d references (%v)", refs, err)
	}
	before, _ := ChangeSeq(s.Reader(), "notice_answer", "a1")
	mustWrite(t, s, func(tx *Tx) error {
		if _, err := tx.Exec("UPDATE notice_answers SET body = '已整改完毕', version = 2 WHERE id = 'a1'"); err != nil {
			return err
		}
		return InsertNoticeAnswer(tx, NoticeAnswer{ID: "a2", OwnerUnit: "st1", NoticeID: "lost", Body: "已整改", AnsweredAt: 3, Actor: "wang", CreatedAt: 3, UpdatedAt: 3, Version: 1})
	})
	if after, err := ChangeSeq(s.Reader(), "notice_answer", "a1"); err != nil || after <= before {
		t.Fatalf("an edited answer's change-log entry stayed at %d (was %d): %v", after, before, err)
	}
	if _, err := ChangeSeq(s.Reader(), "notice_answer", "a2"); err != nil {
		t.Fatalf("a new answer is not in the change log: %v", err)
	}
	if check, err := s.IntegrityCheck(); err != nil || check != "ok" {
		t.Fatalf("integrity after the migration: %s %v", check, err)
	}
}
