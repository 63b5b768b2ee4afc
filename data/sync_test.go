package data

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
)

// stationWithRecords is a store of unit "st1" holding a submitted post with
// an image and a comment, a private draft, an officer, an account with a
// metrics snapshot, a training and a message.
func stationWithRecords(t *testing.T) *Store {
	t.Helper()
	s, _, _ := newTestStore(t)
	img, err := s.PutAttachment(strings.NewReader("照片内容 canary-attachment"), "a.jpg", "image/jpeg", 5)
	if err != nil {
		t.Fatal(err)
	}
	mustWrite(t, s, func(tx *Tx) error {
		for _, st := range []struct {
			q    string
			args []any
		}{
			{"INSERT INTO settings(key, value) VALUES ('unit.id', 'st1')", nil},
			{"INSERT INTO users(id, name, display_name, role, active, created_at, updated_at) VALUES ('u1', 'wang', '王警官', 'officer', 1, 1, 1)", nil},
			{"INSERT INTO officers(id, owner_unit, name, police_no, department, created_at, updated_at) VALUES ('o1', 'st1', '王', '000001', '宣传', 1, 1)", nil},
			{`INSERT INTO accounts(id, owner_unit, action, platform, name, platform_id, kind, department, officer_id, responsible, contact, filed_on, status, created_at, updated_at)
				VALUES ('a1', 'st1', 'open', 'weibo', '平安城关', 'pid1', 'personal', '宣传', 'o1', '王', '138', '2026-01-01', 'accepted', 1, 1)`, nil},
			{"INSERT INTO account_metrics(account_id, day, followers, posts, at, actor) VALUES ('a1', '2026-02-01', 100, 3, 5, 'wang')", nil},
			{`INSERT INTO posts(id, owner_unit, author_id, title, body, category, targets, status, content_hash, created_at, updated_at, account_id)
				VALUES ('p1', 'st1', 'u1', '反诈提醒', 'canary-record 正文', 'notice', '["weibo"]', 'submitted', x'01', 1, 2, 'a1')`, nil},
			{`INSERT INTO posts(id, owner_unit, author_id, title, body, category, targets, status, content_hash, created_at, updated_at)
				VALUES ('p2', 'st1', 'u1', '私人草稿', '不外传', 'notice', '["weibo"]', 'draft', x'02', 1, 2)`, nil},
			{"INSERT INTO post_events(id, post_id, at, actor, kind, from_status, to_status, content_hash) VALUES ('e1', 'p1', 2, 'wang', 'submit', 'draft', 'submitted', x'01')", nil},
			{"INSERT INTO post_comments(id, post_id, at, author, body) VALUES ('c1', 'p1', 3, 'u1', '请审核')", nil},
			{"INSERT INTO post_images(post_id, position, attachment_id) VALUES ('p1', 0, ?)", []any{img.ID}},
			{`INSERT INTO trainings(id, owner_unit, held_on, minutes, form, topics, trainer, place, created_by, created_at, updated_at)
				VALUES ('t1', 'st1', '2026-03-01', 90, 'lecture', 'politics', '李', '会议室', 'u1', 1, 1)`, nil},
			{"INSERT INTO training_attendees(training_id, officer_id) VALUES ('t1', 'o1')", nil},
			{`INSERT INTO messages(id, owner_unit, platform, handle, received_at, type, content, status, due_on, created_by, created_at, updated_at)
				VALUES ('m1', 'st1', 'weibo', '网友甲', 1, 'consult', '请问', 'accepted', '2026-03-09', 'u1', 1, 1)`, nil},
		} {
			if _, err := tx.Exec(st.q, st.args...); err != nil {
				return err
			}
		}
		return nil
	})
	return s
}

type exported struct {
	recs []SyncRecord
	refs []AttachmentRef
	high int64
}

func exportFrom(t *testing.T, s *Store, scope ExportScope) exported {
	t.Helper()
	var e exported
	high, err := ChangedRecords(s.Reader(), scope, func(r SyncRecord, refs []AttachmentRef) error {
		// The bundle writer relies on this (RecordsWellFormed).
		if !json.Valid(r.Data) || bytes.IndexByte(r.Data, '\n') >= 0 {
			t.Errorf("%s %s: data is not compact, valid JSON: %s", r.Type, r.ID, r.Data)
		}
		e.recs = append(e.recs, r)
		e.refs = append(e.refs, refs...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	e.high = high
	return e
}

// importInto applies e to dst, record by record, then its attachments
// (read from src), and returns what it applied by type.
func importInto(t *testing.T, dst, src *Store, scope ImportScope, e exported) (map[string]int, error) {
	t.Helper()
	im, err := applyImport(t, dst, scope, func(im *Importer) error { return e.replay(src, im.Record, im.Attachment) })
	return im.Applied, err
}

// applyImport runs one import into dst in a write: apply hands the
// records to the importer between Begin and Finish. When the write fails
// the attachment files the import sealed are removed.
func applyImport(t *testing.T, dst *Store, scope ImportScope, apply func(*Importer) error) (*Importer, error) {
	t.Helper()
	im, err := dst.NewImporter(scope)
	if err != nil {
		t.Fatal(err)
	}
	err = dst.Write(func(tx *Tx) error {
		if err := im.Begin(tx); err != nil {
			return err
		}
		if err := apply(im); err != nil {
			return err
		}
		return im.Finish()
	})
	if err != nil {
		im.Discard()
	}
	return im, err
}

// replay hands e's records to record, then its attachments, read from
// src, to attachment.
func (e exported) replay(src *Store, record func(SyncRecord) error, attachment func([]byte, io.Reader) error) error {
	for _, r := range e.recs {
		if err := record(r); err != nil {
			return err
		}
	}
	for _, ref := range e.refs {
		rc, err := src.OpenAttachment(ref.ID)
		if err != nil {
			return err
		}
		err = attachment(ref.SHA256, rc)
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

func TestSyncRecordsRoundTrip(t *testing.T) {
	st := stationWithRecords(t)
	hq, _, _ := newTestStore(t)
	scope := ExportScope{Self: "st1", Side: StationSide, Peer: "hq"}
	e := exportFrom(t, st, scope)
	types := map[string]int{}
	for _, r := range e.recs {
		types[r.Type]++
		if r.ID == "p2" {
			t.Fatal("a private draft was exported")
		}
	}
	for _, want := range []string{"user", "officer", "account", "post", "training", "message", "audit"} {
		if want != "audit" && types[want] != 1 {
			t.Errorf("exported %d %s records, want 1 (all: %v)", types[want], want, types)
		}
	}
	if len(e.refs) != 1 {
		t.Fatalf("attachment refs %v", e.refs)
	}

	in := ImportScope{Self: "hq", Sender: "st1", SenderSide: StationSide}
	applied, err := importInto(t, hq, st, in, e)
	if err != nil {
		t.Fatal(err)
	}
	if applied["post"] != 1 || applied["account"] != 1 {
		t.Errorf("applied %v", applied)
	}
	var title, att, name string
	if err := hq.Reader().QueryRow("SELECT p.title, a.name, u.name FROM posts p JOIN post_images i ON i.post_id = p.id JOIN attachments a ON a.id = i.attachment_id JOIN users u ON u.id = p.author_id").Scan(&title, &att, &name); err != nil {
		t.Fatal(err)
	}
	if title != "反诈提醒" || att != "a.jpg" || name != "st1/wang" {
		t.Errorf("at HQ: %q %q %q", title, att, name)
	}
	rc, err := hq.OpenAttachment(mustID(t, hq, "SELECT attachment_id FROM post_images"))
	if err != nil {
		t.Fatal(err)
	}
	rc.Close()

	// The same records again change nothing.
	before, _ := CanonicalDump(hq.Reader())
	applied, err = importInto(t, hq, st, in, e)
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) != 0 {
		t.Errorf("second import applied %v", applied)
	}
	if after, _ := CanonicalDump(hq.Reader()); after != before {
		t.Error("a second import changed the dump")
	}
	// The import replays from the journal like any write.
	hq.Close()
	hq = openT(t, hq.dir, testOpts)
	if after, _ := CanonicalDump(hq.Reader()); after != before {
		t.Error("the imported records differ after reopening")
	}

	// A newer version replaces the old; the change log sends only it.
	mustWrite(t, st, func(tx *Tx) error {
		_, err := tx.Exec("UPDATE posts SET title = '反诈提醒（修改）', version = 2 WHERE id = 'p1'")
		return err
	})
	scope.After = e.high
	e2 := exportFrom(t, st, scope)
	if len(e2.recs) != 1 || e2.recs[0].ID != "p1" || e2.recs[0].Version != 2 {
		t.Fatalf("second export %+v", e2.recs)
	}
	if _, err := importInto(t, hq, st, in, e2); err != nil {
		t.Fatal(err)
	}
	if mustID(t, hq, "SELECT title FROM posts WHERE id = 'p1'") != "反诈提醒（修改）" {
		t.Error("newer version not applied")
	}
	// … and the older one arriving late does not undo it.
	if _, err := importInto(t, hq, st, in, e); err != nil {
		t.Fatal(err)
	}
	if mustID(t, hq, "SELECT title FROM posts WHERE id = 'p1'") != "反诈提醒（修改）" {
		t.Error("an older version overwrote a newer one")
	}
}

func mustID(t *testing.T, s *Store, q string) string {
	t.Helper()
	var v string
	if err := s.Reader().QueryRow(q).Scan(&v); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return v
}

func TestSyncRecordsRefused(t *testing.T) {
	st := stationWithRecords(t)
	e := exportFrom(t, st, ExportScope{Self: "st1", Side: StationSide, Peer: "hq"})
	var post SyncRecord
	for _, r := range e.recs {
		if r.Type == "post" {
			post = r
		}
	}
	cases := map[string]struct {
		scope ImportScope
		rec   func(SyncRecord) SyncRecord
	}{
		"another station's record": {ImportScope{Self: "hq", Sender: "st2", SenderSide: StationSide}, nil},
		"claims HQ ownership": {ImportScope{Self: "hq", Sender: "hq", SenderSide: StationSide}, func(r SyncRecord) SyncRecord {
			r.Owner = "hq"
			return r
		}},
		"station sends an HQ type": {ImportScope{Self: "hq", Sender: "st1", SenderSide: StationSide}, func(r SyncRecord) SyncRecord {
			r.Type = "decision"
			return r
		}},
		"unknown column": {ImportScope{Self: "hq", Sender: "st1", SenderSide: StationSide}, func(r SyncRecord) SyncRecord {
			r.Data = []byte(strings.Replace(string(r.Data), `"title"`, `"title2"`, 1))
			return r
		}},
		"row owner differs": {ImportScope{Self: "hq", Sender: "st1", SenderSide: StationSide}, func(r SyncRecord) SyncRecord {
			r.Data = []byte(strings.Replace(string(r.Data), `"owner_unit":"st1"`, `"owner_unit":"st9"`, 1))
			return r
		}},
		"version differs": {ImportScope{Self: "hq", Sender: "st1", SenderSide: StationSide}, func(r SyncRecord) SyncRecord {
			r.Version = 7
			return r
		}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			hq, _, _ := newTestStore(t)
			before, _ := CanonicalDump(hq.Reader())
			r := post
			if c.rec != nil {
				r = c.rec(r)
			}
			_, err := importInto(t, hq, st, c.scope, exported{recs: []SyncRecord{r}})
			var re *RecordError
			if !errors.As(err, &re) {
				t.Fatalf("got %v, want a RecordError", err)
			}
			t.Log(err)
			if after, _ := CanonicalDump(hq.Reader()); after != before {
				t.Error("a refused import changed the store")
			}
		})
	}

	// A station may not overwrite another station's record with the same id.
	hq, _, _ := newTestStore(t)
	if _, err := importInto(t, hq, st, ImportScope{Self: "hq", Sender: "st1", SenderSide: StationSide}, e); err != nil {
		t.Fatal(err)
	}
	r := post
	r.Owner, r.Version = "st2", 9
	r.Data = []byte(strings.NewReplacer(`"owner_unit":"st1"`, `"owner_unit":"st2"`, `"version":1`, `"version":9`).Replace(string(r.Data)))
	if _, err := importInto(t, hq, st, ImportScope{Self: "hq", Sender: "st2", SenderSide: StationSide}, exported{recs: []SyncRecord{r}}); err == nil {
		t.Fatal("st2 overwrote st1's post")
	}
}
