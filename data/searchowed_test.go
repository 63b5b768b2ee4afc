package data

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// waitIndexed waits until s owes no search entries.
func waitIndexed(t testing.TB, s *Store) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		owed, err := OwedSearchEntries(s.Reader())
		if err != nil {
			t.Fatal(err)
		}
		if owed == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("still %d search entries owed after 30 s", owed)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// owe writes posts as an import does, but leaves their entries owed with
// nothing started to make them (as a crash right after the import would).
func owe(t *testing.T, s *Store, posts ...Post) {
	t.Helper()
	mustWrite(t, s, func(tx *Tx) error {
		if err := deferIndexing(tx); err != nil {
			return err
		}
		for _, p := range posts {
			if err := SavePost(tx, p); err != nil {
				return err
			}
		}
		_, err := tx.Exec("DELETE FROM post_search_deferring")
		return err
	})
}

func wantOwed(t *testing.T, q Querier, want int) {
	t.Helper()
	if got, err := OwedSearchEntries(q); err != nil || got != want {
		t.Fatalf("owed search entries: %d, %v; want %d", got, err, want)
	}
}

// TestOwedEntriesFollowChanges: posts whose entries are owed are edited,
// commented on, have comments moved and deleted, are deleted and replaced
// before the entries are made; a search meanwhile says how many posts it
// could not see. Once the store catches up, the index holds exactly the
// current text (FTS4's integrity check), and replaying the journal
// builds the same.
func TestOwedEntriesFollowChanges(t *testing.T) {
	s, dir := searchStore(t)
	q := s.Reader()
	savePosts(t, s, testPost("p0", "交通安全", "雨天慢行。", 1))
	addComment(t, s, "c0", "p0", "照片很清晰", 2)
	owe(t, s, testPost("p1", "汤阴县反诈宣传", "民警走进社区。", 3), testPost("p2", "夜间巡逻", "城关派出所。", 4),
		testPost("p3", "校园安全", "开学第一课。", 5))
	wantOwed(t, q, 3)
	if res := search(t, q, "社区", PostFilter{}); len(res.Hits) != 0 || res.Unindexed != 3 {
		t.Fatalf("社区 while owed: %d hits, %d unindexed; want 0 and 3", len(res.Hits), res.Unindexed)
	}
	wantHits(t, q, "交通", PostFilter{}, false, "p0")

	// Changes to owed posts leave them owed; changes to indexed posts are
	// indexed at once, also when a comment moves between the two kinds.
	p := testPost("p1", "汤阴县反诈宣传", "民警走进校园。", 3)
	p.UpdatedAt, p.Version = 10, 2
	savePosts(t, s, p)
	addComment(t, s, "c1", "p1", "注意措辞", 11)
	addComment(t, s, "c2", "p2", "配图模糊", 12)
	mustWrite(t, s, func(tx *Tx) error {
		if _, err := tx.Exec("UPDATE post_comments SET post_id = 'p0' WHERE id = 'c2'"); err != nil {
			return err
		}
		if _, err := tx.Exec("UPDATE post_comments SET post_id = 'p3' WHERE id = 'c0'"); err != nil {
			return err
		}
		if _, err := tx.Exec("DELETE FROM post_comments WHERE id = 'c1'"); err != nil {
			return err
		}
		_, err := tx.Exec("DELETE FROM posts WHERE id = 'p2'")
		return err
	})
	wantOwed(t, q, 2) // p1, p3; p2 is gone
	wantHits(t, q, "模糊", PostFilter{}, false, "p0")
	wantHits(t, q, "清晰", PostFilter{}, false) // moved to p3, owed
	savePosts(t, s, testPost("p4", "防汛演练", "汤阴县城。", 20))
	wantHits(t, q, "防汛", PostFilter{}, false, "p4")

	// An import now edits an owed post and an indexed one.
	mustWrite(t, s, func(tx *Tx) error {
		if err := deferIndexing(tx); err != nil {
			return err
		}
		if _, err := tx.Exec("UPDATE posts SET title = '汤阴县反诈宣传月' WHERE id = 'p1'"); err != nil {
			return err
		}
		if _, err := tx.Exec("UPDATE posts SET body = '禁毒宣传。' WHERE id = 'p4'"); err != nil {
			return err
		}
		_, err := tx.Exec("DELETE FROM post_search_deferring")
		return err
	})
	wantOwed(t, q, 3)
	wantHits(t, q, "防汛", PostFilter{}, false)

	// Replaying the journal gives the same owed list.
	abandon(s)
	s = openT(t, dir, testOpts) // opening resumes the indexing
	defer abandon(s)
	q = s.Reader()
	waitIndexed(t, s)
	checkSearchIndex(t, s)
	wantHits(t, q, "社区", PostFilter{}, false)
	wantHits(t, q, "校园", PostFilter{}, false, "p1", "p3")
	wantHits(t, q, "宣传月", PostFilter{}, false, "p1")
	wantHits(t, q, "措辞", PostFilter{}, false)
	wantHits(t, q, "清晰", PostFilter{}, false, "p3")
	wantHits(t, q, "巡逻", PostFilter{}, false)
	wantHits(t, q, "禁毒", PostFilter{}, false, "p4")
	if res := search(t, q, "汤阴", PostFilter{}); res.Unindexed != 0 {
		t.Fatalf("unindexed after catching up: %d", res.Unindexed)
	}
}

// TestImportOwesManyEntries: an import of more posts than indexNowLimit
// commits with their entries owed and the store makes them in the
// background, batch by batch; a small import indexes its posts itself.
func TestImportOwesManyEntries(t *testing.T) {
	st := stationWithRecords(t)
	mustWrite(t, st, func(tx *Tx) error {
		for i := range 40 {
			if _, err := tx.Exec(`INSERT INTO posts(id, owner_unit, author_id, title, body, category, targets, status, content_hash, created_at, updated_at)
				VALUES (?, 'st1', 'u1', ?, '辖区平安。', 'notice', '["weibo"]', 'submitted', x'01', 1, 2)`,
				fmt.Sprintf("bulk%02d", i), fmt.Sprintf("第%d期警情通报", i)); err != nil {
				return err
			}
			if _, err := tx.Exec("INSERT INTO post_events(id, post_id, at, actor, kind, from_status, to_status, content_hash) VALUES (?, ?, 2, 'wang', 'submit', 'draft', 'submitted', x'01')",
				fmt.Sprintf("e%02d", i), fmt.Sprintf("bulk%02d", i)); err != nil {
				return err
			}
		}
		return nil
	})
	scope := ExportScope{Self: "st1", Side: StationSide, Peer: "hq"}
	in := ImportScope{Self: "hq", Sender: "st1", SenderSide: StationSide}
	for _, c := range []struct {
		name      string
		nowLimit  int
		owedAfter int // in the import's transaction, after Finish
	}{
		{"small", 100, 0},
		{"large", 10, 41}, // the 40 and stationWithRecords' p1
	} {
		t.Run(c.name, func(t *testing.T) {
			opts := testOpts
			opts.indexNowLimit, opts.indexBatch = c.nowLimit, 7
			dir := t.TempDir()
			hq, _ := createT(t, dir, opts, nil)
			defer abandon(hq)
			im, err := hq.NewImporter(in)
			if err != nil {
				t.Fatal(err)
			}
			e := exportFrom(t, st, scope)
			mustWrite(t, hq, func(tx *Tx) error {
				if err := im.Begin(tx); err != nil {
					return err
				}
				if err := e.replay(st, im.Record, im.Attachment); err != nil {
					return err
				}
				if err := im.Finish(); err != nil {
					return err
				}
				if owed, err := OwedSearchEntries(tx); err != nil || owed != c.owedAfter {
					return fmt.Errorf("owed in the import: %d, %v; want %d", owed, err, c.owedAfter)
				}
				return nil
			})
			waitIndexed(t, hq)
			checkSearchIndex(t, hq)
			if res := search(t, hq.Reader(), "警情通报", PostFilter{}); res.Total != 40 || res.Unindexed != 0 {
				t.Fatalf("警情通报: %d hits, %d unindexed; want 40, 0", res.Total, res.Unindexed)
			}
		})
	}
}

// TestOwedEntriesSurviveClose: a store closed while it still owes
// entries keeps owing them, and makes them when next opened; a rebuild
// of the index (a new segmentation) makes them all at once.
func TestOwedEntriesSurviveClose(t *testing.T) {
	s, dir := searchStore(t)
	owe(t, s, testPost("p1", "汤阴县反诈宣传", "民警走进社区。", 1))
	s = reopen(t, s, dir)
	waitIndexed(t, s)
	wantHits(t, s.Reader(), "社区", PostFilter{}, false, "p1")
	checkSearchIndex(t, s)

	owe(t, s, testPost("p2", "夜间巡逻", "城关派出所。", 2))
	mustWrite(t, s, func(tx *Tx) error {
		_, err := tx.Exec("UPDATE post_search_version SET version = 'an older build'")
		return err
	})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openT(t, filepath.Clean(dir), testOpts)
	defer abandon(s)
	wantOwed(t, s.Reader(), 0)
	wantHits(t, s.Reader(), "巡逻", PostFilter{}, false, "p2")
	checkSearchIndex(t, s)
}

// TestOweUnderAnyConflictPolicy: a post upserted twice while an import
// defers indexing is owed once; a trigger takes the conflict policy of the
// statement that fired it, so the owed list must not rely on OR IGNORE.
func TestOweUnderAnyConflictPolicy(t *testing.T) {
	s, _ := searchStore(t)
	const upsert = `INSERT INTO posts(id, owner_unit, author_id, title, body, category, targets, status, content_hash, created_at, updated_at)
		VALUES ('p1', 'unit', 'u1', ?, '正文', 'notice', '["weibo"]', 'draft', x'01', 3, 9) ON CONFLICT(id) DO UPDATE SET title = excluded.title`
	mustWrite(t, s, func(tx *Tx) error {
		if err := deferIndexing(tx); err != nil {
			return err
		}
		for _, title := range []string{"汤阴县反诈", "城关社区"} {
			if _, err := tx.Exec(upsert, title); err != nil {
				return err
			}
		}
		return settleIndexing(tx, 10)
	})
	wantOwed(t, s.Reader(), 0)
	checkSearchIndex(t, s)
	wantHits(t, s.Reader(), "社区", PostFilter{}, false, "p1")
	wantHits(t, s.Reader(), "反诈", PostFilter{}, false)
}
