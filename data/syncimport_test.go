package data

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
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

// feedInto applies e to dst as importInto does, through Feed.
func feedInto(t *testing.T, dst, src *Store, scope ImportScope, e exported) error {
	t.Helper()
	_, err := applyImport(t, dst, scope, func(im *Importer) error {
		return im.Feed(func(record func(SyncRecord) error, attachment func([]byte, io.Reader) error) error {
			return e.replay(src, record, attachment)
		})
	})
	return err
}

// TestImportIndexesPostsForSearch imports a station's posts at HQ (one
// bundle through Record, the next through Feed) and searches them: new
// posts, a post whose title changed and that gained a comment, and the
// journal replayed. An import refused at its last record leaves none of
// its posts in the index, and later writes are indexed at once.
func TestImportIndexesPostsForSearch(t *testing.T) {
	st := stationWithRecords(t)
	addStationPost := func(id, title, body string) { // submitted, so that it travels
		mustWrite(t, st, func(tx *Tx) error {
			if _, err := tx.Exec(`INSERT INTO posts(id, owner_unit, author_id, title, body, category, targets, status, content_hash, created_at, updated_at)
				VALUES (?, 'st1', 'u1', ?, ?, 'notice', '["weibo"]', 'submitted', x'01', 1, 2)`, id, title, body); err != nil {
				return err
			}
			_, err := tx.Exec("INSERT INTO post_events(id, post_id, at, actor, kind, from_status, to_status, content_hash) VALUES (?, ?, 2, 'wang', 'submit', 'draft', 'submitted', x'01')",
				"e-"+id, id)
			return err
		})
	}
	for i := range 300 { // more than one batch
		addStationPost(fmt.Sprintf("bulk%03d", i), fmt.Sprintf("第%d期警情通报", i), "辖区平安。")
	}
	addStationPost("p3", "汤阴县城关派出所反诈宣传", "民警走进社区讲解电信诈骗。")
	hq, dir, _ := newTestStore(t)
	mustWrite(t, hq, func(tx *Tx) error {
		return InsertUser(tx, User{ID: "hq-admin", Name: "admin", DisplayName: "管理员", Role: "admin", Active: true})
	})
	scope := ExportScope{Self: "st1", Side: StationSide, Peer: "hq"}
	in := ImportScope{Self: "hq", Sender: "st1", SenderSide: StationSide}
	if _, err := importInto(t, hq, st, in, exportFrom(t, st, scope)); err != nil {
		t.Fatal(err)
	}
	checkSearchIndex(t, hq)
	q := hq.Reader()
	wantHits(t, q, "汤阴", PostFilter{}, false, "p3")
	wantHits(t, q, "反诈", PostFilter{}, false, "p1", "p3")
	wantHits(t, q, "请审核", PostFilter{}, false, "p1") // p1's comment
	if res := search(t, q, "警情通报", PostFilter{}); res.Total != 300 {
		t.Fatalf("警情通报: %d hits, want 300", res.Total)
	}

	// The station renames p3 and comments on it; the next bundle (all
	// records again: the unchanged ones are left alone) goes through Feed.
	mustWrite(t, st, func(tx *Tx) error {
		if _, err := tx.Exec("UPDATE posts SET title = '平安城关夜间巡逻', version = 2, updated_at = 3 WHERE id = 'p3'"); err != nil {
			return err
		}
		_, err := tx.Exec("INSERT INTO post_comments(id, post_id, at, author, body) VALUES ('c3', 'p3', 4, 'u1', '配图清晰')")
		return err
	})
	if err := feedInto(t, hq, st, in, exportFrom(t, st, scope)); err != nil {
		t.Fatal(err)
	}
	checkSearchIndex(t, hq)
	wantHits(t, q, "汤阴", PostFilter{}, false)
	wantHits(t, q, "巡逻", PostFilter{}, false, "p3")
	wantHits(t, q, "配图", PostFilter{}, false, "p3")
	wantHits(t, q, "诈骗", PostFilter{}, false, "p3")

	// A bundle refused at its last record: nothing of it stays.
	addStationPost("p4", "汤阴县交通安全提示", "雨天路滑。")
	e := exportFrom(t, st, scope)
	bad := e.recs[len(e.recs)-1]
	bad.Owner = "st2"
	e.recs = append(e.recs, bad)
	for name, apply := range map[string]func() error{
		"Record": func() error { _, err := importInto(t, hq, st, in, e); return err },
		"Feed":   func() error { return feedInto(t, hq, st, in, e) },
	} {
		var re *RecordError
		if err := apply(); !errors.As(err, &re) {
			t.Fatalf("%s: import with a foreign record: %v", name, err)
		}
		wantHits(t, q, "交通", PostFilter{}, false)
		checkSearchIndex(t, hq)
	}
	mustWrite(t, hq, func(tx *Tx) error {
		return SavePost(tx, Post{ID: "hq1", OwnerUnit: "hq", AuthorID: "hq-admin", Title: "汤阴县公安局通报", Body: "全县平安。", Category: "notice",
			Targets: `["weibo"]`, Status: "draft", ContentHash: []byte{1}, CreatedAt: 5, UpdatedAt: 5, Version: 1})
	})
	wantHits(t, q, "汤阴", PostFilter{}, false, "hq1")

	// Replaying the journal builds the same index.
	want := search(t, q, "平安", PostFilter{})
	hq = reopen(t, hq, dir)
	defer hq.Close()
	checkSearchIndex(t, hq)
	if got := search(t, hq.Reader(), "平安", PostFilter{}); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("after replay:\n%v\nwant\n%v", got, want)
	}
}

// TestImportBoundsBatchBytes: big records (a post of 1.5 MB) are applied
// a few at a time, not 256 at once, so memory stays bounded however large
// the records of a bundle are.
func TestImportBoundsBatchBytes(t *testing.T) {
	st := stationWithPosts(t, 12, strings.Repeat("长文", 1<<18)) // 1.5 MB of text each
	hq, _, _ := newTestStore(t)
	im, err := hq.NewImporter(ImportScope{Self: "hq", Sender: "st1", SenderSide: StationSide})
	if err != nil {
		t.Fatal(err)
	}
	var recs []SyncRecord
	if _, err := ChangedRecords(st.Reader(), ExportScope{Self: "st1", Side: StationSide, Peer: "hq"}, func(r SyncRecord, _ []AttachmentRef) error {
		recs = append(recs, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	mustWrite(t, hq, func(tx *Tx) error {
		if err := im.Begin(tx); err != nil {
			return err
		}
		for _, r := range recs {
			if err := im.Record(r); err != nil {
				return err
			}
			if im.batchSz >= importBatchBytes || len(im.batch) > 3 {
				t.Fatalf("%d records of %d bytes wait in the batch", len(im.batch), im.batchSz)
			}
		}
		return im.Finish()
	})
	var n int
	if err := hq.Reader().QueryRow("SELECT count(*) FROM posts WHERE length(body) = 524288").Scan(&n); err != nil || n != 12 {
		t.Fatalf("%d big posts imported, %v", n, err)
	}
}
