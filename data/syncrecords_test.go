package data

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestChangedRecordsInBatches checks the batched export reader against
// reading each record on its own: more records of one type than one batch
// holds, children and attachments given to the right record, private
// drafts left out, types in apply order and each type in change order, and
// ChangedAttachments listing what the records refer to.
func TestChangedRecordsInBatches(t *testing.T) {
	st := stationWithRecords(t)
	img, err := st.PutAttachment(strings.NewReader("第二张照片"), "b.jpg", "image/jpeg", 6)
	if err != nil {
		t.Fatal(err)
	}
	const posts = exportChunk + 7
	mustWrite(t, st, func(tx *Tx) error {
		for i := range posts {
			id := fmt.Sprintf("bp%05d", posts-i) // ids in the opposite order of changes
			// Each post's title has one of the characters JSON escapes.
			specials := []string{"", "<", ">", "&", "\"", "\\", "\n", "\t", "\x01", "\u2028", "\u2029", "😀"}
			title := fmt.Sprintf("稿件%d%s平安", i, specials[i/3%len(specials)])
			if _, err := tx.Exec(`INSERT INTO posts(id, owner_unit, author_id, title, body, category, targets, status, content_hash, created_at, updated_at)
				VALUES (?, 'st1', 'u1', ?, '正文', 'notice', '["weibo"]', 'submitted', x'01', 1, 2)`, id, title); err != nil {
				return err
			}
			if i%3 != 0 { // every third stays a private draft
				if _, err := tx.Exec("INSERT INTO post_events(id, post_id, at, actor, kind, from_status, to_status, content_hash) VALUES (?, ?, 2, 'wang', 'submit', 'draft', 'submitted', x'01')", "ev"+id, id); err != nil {
					return err
				}
			}
			if i%5 == 1 {
				if _, err := tx.Exec("INSERT INTO post_comments(id, post_id, at, author, body) VALUES (?, ?, 3, 'u1', ?)", "cm"+id, id, "意见"+id); err != nil {
					return err
				}
			}
			if i%7 == 2 {
				if _, err := tx.Exec("INSERT INTO post_images(post_id, position, attachment_id) VALUES (?, 0, ?)", id, img.ID); err != nil {
					return err
				}
			}
		}
		for i := range exportChunk + 3 {
			if err := AppendAudit(tx, int64(i), "wang", "post.save", fmt.Sprint(i), "保存"); err != nil {
				return err
			}
		}
		return nil
	})
	scope := ExportScope{Self: "st1", Side: StationSide, Peer: "hq"}
	e := exportFrom(t, st, scope)

	q := st.Reader()
	r := newRecordReader(q)
	var wantRefs []AttachmentRef
	kindAt := -1
	counts := map[string]int{}
	for _, rec := range e.recs {
		counts[rec.Type]++
		k, _ := kindOf(rec.Type)
		i := slices.IndexFunc(syncKinds, func(s syncKind) bool { return s.kind == rec.Type })
		if i < kindAt {
			t.Fatalf("%s after a type that comes later in apply order", rec.Type)
		}
		kindAt = i
		one, refs, ok, err := r.read(k, scope, rec.ID)
		if err != nil || !ok {
			t.Fatalf("%s %s read alone: %v %v", rec.Type, rec.ID, ok, err)
		}
		if string(one.Data) != string(rec.Data) || one.Version != rec.Version {
			t.Fatalf("%s %s: batch read\n%s\nalone\n%s", rec.Type, rec.ID, rec.Data, one.Data)
		}
		wantRefs = append(wantRefs, refs...)
		// The data are what encoding/json writes for the record's fields.
		dec := json.NewDecoder(bytes.NewReader(rec.Data))
		dec.UseNumber()
		var fields map[string]any
		if err := dec.Decode(&fields); err != nil {
			t.Fatalf("%s %s: %v", rec.Type, rec.ID, err)
		}
		if again, _ := json.Marshal(fields); !bytes.Equal(again, rec.Data) {
			t.Fatalf("%s %s: data\n%s\nencoding/json\n%s", rec.Type, rec.ID, rec.Data, again)
		}
	}
	var audits, submitted int
	if err := q.QueryRow("SELECT count(*) FROM audit").Scan(&audits); err != nil {
		t.Fatal(err)
	}
	if err := q.QueryRow("SELECT count(DISTINCT post_id) FROM post_events WHERE kind = 'submit'").Scan(&submitted); err != nil {
		t.Fatal(err)
	}
	if counts["audit"] != audits || counts["post"] != submitted || submitted <= exportChunk/2 {
		t.Errorf("exported %d audit of %d, %d posts of %d submitted", counts["audit"], audits, counts["post"], submitted)
	}
	// Posts come in change order: bp01007 was written first.
	var order []string
	for _, rec := range e.recs {
		if rec.Type == "post" && strings.HasPrefix(rec.ID, "bp") {
			order = append(order, rec.ID)
		}
	}
	if !slices.IsSortedFunc(order, func(a, b string) int { return strings.Compare(b, a) }) {
		t.Error("posts not in change order")
	}
	if len(wantRefs) != len(e.refs) || len(wantRefs) < 2 {
		t.Fatalf("refs %d, alone %d", len(e.refs), len(wantRefs))
	}
	// A caller that stops gets its own error back, as it is.
	stop, n := errors.New("stop"), 0
	if _, err := ChangedRecords(q, scope, func(SyncRecord, []AttachmentRef) error {
		if n++; n == exportChunk+2 {
			return stop
		}
		return nil
	}); err != stop || n != exportChunk+2 {
		t.Errorf("stopping after %d records: %v", n, err)
	}
	refs, high, err := ChangedAttachments(q, scope)
	if err != nil || high != e.high {
		t.Fatalf("ChangedAttachments: high %d (want %d), %v", high, e.high, err)
	}
	// The same attachments, in another order (by record id).
	byID := func(a, b AttachmentRef) int { return strings.Compare(a.ID, b.ID) }
	slices.SortFunc(refs, byID)
	slices.SortFunc(e.refs, byID)
	if !slices.EqualFunc(refs, e.refs, func(a, b AttachmentRef) bool {
		return a.ID == b.ID && string(a.SHA256) == string(b.SHA256) && a.Size == b.Size && a.Name == b.Name && a.MIME == b.MIME
	}) {
		t.Errorf("ChangedAttachments %d refs, records refer to %d", len(refs), len(e.refs))
	}
}

// TestImportedPostsSearchTheSame checks that posts imported in batches
// (several to one INSERT, their comments after them) are indexed as the
// sender indexed them: every query finds the same posts with the same
// scores and highlights at both ends.
func TestImportedPostsSearchTheSame(t *testing.T) {
	st, _, _ := newTestStore(t)
	words := []string{"反诈", "汤阴", "平安", "警民", "宣传", "社区", "Wi-Fi", "APP", "钱袋子"}
	mustWrite(t, st, func(tx *Tx) error {
		for _, q := range []string{
			"INSERT INTO settings(key, value) VALUES ('unit.id', 'st1')",
			"INSERT INTO users(id, name, display_name, role, active, created_at, updated_at) VALUES ('u1', 'wang', '王警官', 'officer', 1, 1, 1)",
		} {
			if _, err := tx.Exec(q); err != nil {
				return err
			}
		}
		for i := range importBatch + 44 {
			id := fmt.Sprintf("sp%04d", i)
			title := words[i%len(words)] + "提醒第" + fmt.Sprint(i) + "期"
			body := strings.Repeat(words[(i*7+3)%len(words)]+"，"+words[(i*5+1)%len(words)]+"。", 1+i%4)
			if _, err := tx.Exec(`INSERT INTO posts(id, owner_unit, author_id, title, body, category, targets, status, content_hash, created_at, updated_at)
				VALUES (?, 'st1', 'u1', ?, ?, 'notice', '["weibo"]', 'submitted', x'01', ?, ?)`, id, title, body, i, i); err != nil {
				return err
			}
			if _, err := tx.Exec("INSERT INTO post_events(id, post_id, at, actor, kind, from_status, to_status, content_hash) VALUES (?, ?, 2, 'wang', 'submit', 'draft', 'submitted', x'01')", "ev"+id, id); err != nil {
				return err
			}
			for c := range i % 3 {
				if _, err := tx.Exec("INSERT INTO post_comments(id, post_id, at, author, body) VALUES (?, ?, ?, 'u1', ?)",
					fmt.Sprintf("cm%s-%d", id, c), id, 3+c, "请核实"+words[(i+c)%len(words)]); err != nil {
					return err
				}
			}
		}
		return nil
	})
	hq, _, _ := newTestStore(t)
	e := exportFrom(t, st, ExportScope{Self: "st1", Side: StationSide, Peer: "hq"})
	if _, err := importInto(t, hq, st, ImportScope{Self: "hq", Sender: "st1", SenderSide: StationSide}, e); err != nil {
		t.Fatal(err)
	}
	for _, q := range append(words, "诈", "核实反诈", "wi-fi", "提醒第1") {
		want, err := SearchPosts(st.Reader(), q, PostFilter{}, 1000)
		if err != nil {
			t.Fatal(err)
		}
		got, err := SearchPosts(hq.Reader(), q, PostFilter{}, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(want.Hits) == 0 || got.Total != want.Total || len(got.Hits) != len(want.Hits) {
			t.Fatalf("%q: %d hits at HQ, %d at the station", q, got.Total, want.Total)
		}
		type hit struct {
			id     string
			score  float64
			ranges string
		}
		hits := func(r SearchResult) []hit {
			var out []hit
			for _, h := range r.Hits {
				out = append(out, hit{h.Post.ID, h.Score, fmt.Sprint(h.TitleRanges, h.BodyRanges)})
			}
			slices.SortFunc(out, func(a, b hit) int { return strings.Compare(a.id, b.id) })
			return out
		}
		if g, w := hits(got), hits(want); !slices.Equal(g, w) {
			t.Errorf("%q: HQ finds\n%v\nthe station\n%v", q, g, w)
		}
	}
}
