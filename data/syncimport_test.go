package data

import (
	"encoding/json"
	"fmt"
	"testing"
)

// TestImportMergesWithinABatch checks the merge modes when the rows they
// compare arrive together: a day's metrics given three times keep the
// latest entry (and one already here is replaced only by a later one), an
// event that two copies of a post carry is kept once, and a record that
// comes more than once is applied as if it came in separate bundles.
func TestImportMergesWithinABatch(t *testing.T) {
	st := stationWithRecords(t)
	hq, _, _ := newTestStore(t)
	e := exportFrom(t, st, ExportScope{Self: "st1", Side: StationSide, Peer: "hq"})
	in := ImportScope{Self: "hq", Sender: "st1", SenderSide: StationSide}
	if _, err := importInto(t, hq, st, in, e); err != nil {
		t.Fatal(err)
	}
	mustWrite(t, hq, func(tx *Tx) error {
		_, err := tx.Exec("INSERT INTO post_metrics(post_id, day, reads, likes, comments, reposts, at, actor) VALUES ('p1', '2026-03-01', 10, 0, 0, 0, 5, 'wang')")
		return err
	})
	var post SyncRecord
	for _, r := range e.recs {
		if r.Type == "post" {
			post = r
		}
	}
	var body map[string]map[string]any
	if err := json.Unmarshal(post.Data, &body); err != nil {
		t.Fatal(err)
	}
	metric := func(day string, reads, at int) map[string]any {
		return map[string]any{"post_id": "p1", "day": day, "reads": reads, "likes": 0, "comments": 0, "reposts": 0, "at": at, "actor": "wang"}
	}
	body["children"]["post_metrics"] = []any{metric("2026-03-01", 11, 4), metric("2026-03-02", 20, 3), metric("2026-03-02", 21, 8), metric("2026-03-02", 22, 6)}
	event := map[string]any{"id": "e-shared", "post_id": "p1", "at": 9, "actor": "wang", "kind": "comment", "from_status": "submitted",
		"to_status": "submitted", "content_hash": "AQ==", "comment": ""}
	body["children"]["post_events"] = append(body["children"]["post_events"].([]any), event)
	older := post
	var err error
	if older.Data, err = json.Marshal(map[string]any{"row": body["row"], "children": map[string]any{"post_events": []any{event}}}); err != nil {
		t.Fatal(err)
	}
	newer := post
	newer.Version = 2
	body["row"]["version"] = 2
	if newer.Data, err = json.Marshal(body); err != nil {
		t.Fatal(err)
	}
	// The older copy, with a new event, then a newer copy with the same
	// event and the metrics, then the older copy again.
	e2 := exported{recs: []SyncRecord{older, newer, older}}
	applied, err := importInto(t, hq, st, in, e2)
	if err != nil {
		t.Fatal(err)
	}
	if applied["post"] != 1 {
		t.Errorf("applied %v, want the newer post once", applied)
	}
	got := map[string]string{}
	rows, err := hq.Reader().Query("SELECT day, reads, at FROM post_metrics WHERE post_id = 'p1'")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var day string
		var reads, at int
		rows.Scan(&day, &reads, &at)
		got[day] = fmt.Sprint(reads, "@", at)
	}
	rows.Close()
	if got["2026-03-01"] != "10@5" || got["2026-03-02"] != "21@8" || len(got) != 2 {
		t.Errorf("metrics at HQ %v, want 2026-03-01 10@5 (here, later) and 2026-03-02 21@8", got)
	}
	var events int
	if err := hq.Reader().QueryRow("SELECT count(*) FROM post_events WHERE id = 'e-shared'").Scan(&events); err != nil || events != 1 {
		t.Errorf("shared event kept %d times: %v", events, err)
	}
	var version int
	if err := hq.Reader().QueryRow("SELECT version FROM posts WHERE id = 'p1'").Scan(&version); err != nil || version != 2 {
		t.Errorf("post version %d at HQ: %v", version, err)
	}
}
