package data

// Benchmarks of the records layer of sync, without the bundle container
// (app/sync_bench_test.go measures the whole): go test ./data -run '^$'
// -bench 'SyncRecords' -benchtime 3x.

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"mediadesk/internal/benchmeter"
)

// benchStation is a store of unit "st1" with n submitted posts (about
// 600 bytes of text and one event each), as app's benchmarks make them.
func benchStation(b *testing.B, n int) *Store {
	b.Helper()
	return stationWithPosts(b, n, strings.Repeat("平安汤阴，警民同心。反诈宣传进社区，守护群众钱袋子。", 6))
}

// stationWithPosts is a store of unit "st1" with n submitted posts of
// body, one event each.
func stationWithPosts(b testing.TB, n int, body string) *Store {
	b.Helper()
	s, _, _ := newTestStore(b)
	mustWrite(b, s, func(tx *Tx) error {
		for _, q := range []string{
			"INSERT INTO settings(key, value) VALUES ('unit.id', 'st1')",
			"INSERT INTO users(id, name, display_name, role, active, created_at, updated_at) VALUES ('u1', 'wang', '王警官', 'officer', 1, 1, 1)",
		} {
			if _, err := tx.Exec(q); err != nil {
				return err
			}
		}
		for i := range n {
			id := fmt.Sprintf("post-%06d", i)
			if _, err := tx.Exec(`INSERT INTO posts(id, owner_unit, author_id, title, body, category, targets, status, content_hash, created_at, updated_at)
				VALUES (?, 'st1', 'u1', ?, ?, '防范提示', '["weibo"]', 'submitted', x'01', 1, 2)`, id, fmt.Sprintf("城关派出所第%d条宣传稿件", i), body); err != nil {
				return err
			}
			if _, err := tx.Exec("INSERT INTO post_events(id, post_id, at, actor, kind, from_status, to_status, content_hash) VALUES (?, ?, 2, 'wang', 'submit', 'draft', 'submitted', x'01')", "ev-"+id, id); err != nil {
				return err
			}
		}
		return nil
	})
	return s
}

var benchScope = ExportScope{Self: "st1", Side: StationSide, Peer: "hq"}

// BenchmarkSyncRecordsExport reads 20,000 posts for a bundle.
func BenchmarkSyncRecordsExport(b *testing.B) {
	s := benchStation(b, 20_000)
	var n int
	cpu := benchmeter.ProcessCPU()
	for b.Loop() {
		n = 0
		if _, err := ChangedRecords(s.Reader(), benchScope, func(SyncRecord, []AttachmentRef) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric((benchmeter.ProcessCPU()-cpu).Seconds()/float64(b.N), "cpu-s/op")
}

// BenchmarkSyncRecordsImport applies 20,000 posts, with their events and
// search index, to a fresh HQ store in one write (journal included).
func BenchmarkSyncRecordsImport(b *testing.B) {
	st := benchStation(b, 20_000)
	var recs []SyncRecord
	if _, err := ChangedRecords(st.Reader(), benchScope, func(r SyncRecord, _ []AttachmentRef) error {
		recs = append(recs, r)
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	var cpu time.Duration
	for range b.N {
		b.StopTimer()
		hq, _, _ := newTestStore(b)
		im, err := hq.NewImporter(ImportScope{Self: "hq", Sender: "st1", SenderSide: StationSide})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := benchmeter.ProcessCPU()
		err = hq.Write(func(tx *Tx) error {
			if err := im.Begin(tx); err != nil {
				return err
			}
			for _, r := range recs {
				if err := im.Record(r); err != nil {
					return err
				}
			}
			return im.Finish()
		})
		cpu += benchmeter.ProcessCPU() - start
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		hq.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(len(recs)*b.N)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
}
