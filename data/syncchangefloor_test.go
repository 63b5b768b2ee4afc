package data

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
)

// childTriggers lists the change-log triggers on the child tables of
// record types in s, by name, with their SQL.
func childTriggers(t *testing.T, s *Store) map[string]string {
	t.Helper()
	var tables []any
	for _, k := range syncKinds {
		for _, ch := range k.children {
			tables = append(tables, ch.table)
		}
	}
	list, err := json.Marshal(tables)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	err = scanRows(s.Reader(), 2, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'sync\\_%' ESCAPE '\\'"+
		" AND tbl_name IN (SELECT value FROM json_each(?))", []any{string(list)}, func(vals []any) error {
		out[vals[0].(string)] = vals[1].(string)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestChangeFloorMigrationCoversEveryChildTrigger: migration 22 replaces
// exactly the change-log triggers the child tables had, and each new one
// heeds the floor.
func TestChangeFloorMigrationCoversEveryChildTrigger(t *testing.T) {
	opts := testOpts
	opts.schemaLimit = 21
	dir := t.TempDir()
	s, _ := createT(t, dir, opts, nil)
	before := childTriggers(t, s)
	s.Close()
	s = openT(t, dir, testOpts)
	defer s.Close()
	after := childTriggers(t, s)
	if got, want := slices.Sorted(maps.Keys(after)), slices.Sorted(maps.Keys(before)); !slices.Equal(got, want) || len(got) == 0 {
		t.Fatalf("child change-log triggers after migration 22: %v, before: %v", got, want)
	}
	for name, sql := range after {
		if !strings.Contains(sql, "sync_change_floor") {
			t.Errorf("%s does not heed the floor: %s", name, sql)
		}
	}
}

// changeLogAbove returns the highest change sequence above floor and how
// many entries lie above it.
func changeLogAbove(t *testing.T, s *Store, floor int64) (high, n int64) {
	t.Helper()
	if err := s.Reader().QueryRow("SELECT coalesce(MAX(seq), 0), count(*) FROM sync_changes WHERE seq > ?", floor).Scan(&high, &n); err != nil {
		t.Fatal(err)
	}
	return high, n
}

// TestImportMovesEachEntryOnce: an import of posts with several events
// each writes every change-log entry once (no sequence numbers skipped by
// moves), leaves no floor behind, and later changes move entries as
// before: a local event, and an event an import adds to a post that is
// not newer.
func TestImportMovesEachEntryOnce(t *testing.T) {
	st := stationWithPosts(t, 300, "平安汤阴")
	mustWrite(t, st, func(tx *Tx) error {
		_, err := tx.Exec("INSERT INTO post_events(id, post_id, at, actor, kind, from_status, to_status, content_hash)" +
			" SELECT 'ev2-' || id, id, 3, 'wang', 'comment', 'submitted', 'submitted', x'01' FROM posts")
		return err
	})
	hq, _, _ := newTestStore(t)
	defer hq.Close()
	floor, _ := changeLogAbove(t, hq, -1)
	e := exportFrom(t, st, ExportScope{Self: "st1", Side: StationSide, Peer: "hq"})
	in := ImportScope{Self: "hq", Sender: "st1", SenderSide: StationSide}
	if _, err := importInto(t, hq, st, in, e); err != nil {
		t.Fatal(err)
	}
	high, n := changeLogAbove(t, hq, floor)
	if n < 300 || high-floor != n {
		t.Fatalf("after the import: %d entries above %d, the highest %d: entries were moved", n, floor, high)
	}
	var floors int
	if err := hq.Reader().QueryRow("SELECT count(*) FROM sync_change_floor").Scan(&floors); err != nil || floors != 0 {
		t.Fatalf("floor rows left after the import: %d %v", floors, err)
	}

	// A local change to an imported post's child moves its entry last.
	mustWrite(t, hq, func(tx *Tx) error {
		_, err := tx.Exec("INSERT INTO post_events(id, post_id, at, actor, kind, from_status, to_status, content_hash)" +
			" VALUES ('ev-local', 'post-000007', 4, 'wang', 'comment', 'submitted', 'submitted', x'01')")
		return err
	})
	if seq, err := ChangeSeq(hq.Reader(), "post", "post-000007"); err != nil || seq != high+1 {
		t.Fatalf("entry of the post with a local event: %d %v, want %d", seq, err, high+1)
	}

	// An import adding an event to a post that is not newer moves its
	// entry past everything before that import.
	var post SyncRecord
	for _, r := range e.recs {
		if r.Type == "post" && r.ID == "post-000011" {
			post = r
		}
	}
	var body map[string]map[string]any
	if err := json.Unmarshal(post.Data, &body); err != nil {
		t.Fatal(err)
	}
	event := map[string]any{"id": "ev-late", "post_id": post.ID, "at": 9, "actor": "wang", "kind": "comment",
		"from_status": "submitted", "to_status": "submitted", "content_hash": "AQ==", "comment": ""}
	var err error
	if post.Data, err = json.Marshal(map[string]any{"row": body["row"], "children": map[string]any{"post_events": []any{event}}}); err != nil {
		t.Fatal(err)
	}
	before, _ := changeLogAbove(t, hq, -1)
	if _, err := importInto(t, hq, st, in, exported{recs: []SyncRecord{post}}); err != nil {
		t.Fatal(err)
	}
	if seq, err := ChangeSeq(hq.Reader(), "post", post.ID); err != nil || seq <= before {
		t.Fatalf("entry of the post given a late event: %d %v, want above %d", seq, err, before)
	}
}
