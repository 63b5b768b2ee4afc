package data

// Benchmarks for the numbers the store promises (go test -bench):
//
//	BenchmarkSmallWriteTxSealed ≤ 1.1 × BenchmarkSmallWriteTxPlain
//	BenchmarkOpen100MB          ≤ 1.5 s (Argon2id excluded: cheap test KDF)
//	BenchmarkPointReadSealed    ≤ BenchmarkPointReadPlain
//
// The Plain variants are mattn/go-sqlite3 on a file in WAL mode with
// synchronous=FULL: the durability a plain SQLite app would get. All
// benchmarks use b.Loop, so their setup runs once and is not timed.

import (
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const benchPostsSchema = `CREATE TABLE bench_posts(id TEXT PRIMARY KEY, title TEXT, body TEXT, updated INTEGER);
CREATE INDEX bench_posts_updated ON bench_posts(updated)`

// benchBody returns a ~2 KB post body (Chinese and ASCII).
func benchBody(i int) string {
	var b strings.Builder
	for b.Len() < 2000 {
		fmt.Fprintf(&b, "第%d条：汤阴县公安局城关派出所开展反诈宣传进社区活动。Post %d body text. ", i, b.Len())
	}
	return b.String()[:2000]
}

const (
	benchInsertPost = "INSERT INTO bench_posts(id, title, body, updated) VALUES (?, ?, ?, ?)"
	benchAuditLast  = "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1"
	benchAuditIns   = "INSERT INTO audit(seq, at, actor, action, target, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
	benchAuditHead  = "INSERT INTO meta(key, value) VALUES ('audit_head', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"
)

func BenchmarkSmallWriteTxSealed(b *testing.B) {
	s, _, _ := newTestStore(b)
	mustWrite(b, s, func(tx *Tx) error { _, err := tx.Exec(benchPostsSchema); return err })
	i := 0
	for b.Loop() {
		i++
		id, body := fmt.Sprintf("post-%08d", i), benchBody(i)
		err := s.Write(func(tx *Tx) error {
			if _, err := tx.Exec(benchInsertPost, id, "标题 "+id, body, int64(i)); err != nil {
				return err
			}
			return AppendAudit(tx, int64(i), "bench", "post.save", id, "")
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	s.Close()
}

// openPlain opens a plain SQLite file database with the store's schema
// for audit and meta plus extra.
func openPlain(b *testing.B, extra string) *sql.DB {
	path := filepath.Join(b.TempDir(), "plain.db")
	db, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL&_synchronous=FULL&_foreign_keys=1&_busy_timeout=10000")
	if err != nil {
		b.Fatal(err)
	}
	for _, q := range append(append([]string{}, migrations...), extra) {
		if _, err := db.Exec(q); err != nil {
			b.Fatal(err)
		}
	}
	return db
}

func BenchmarkSmallWriteTxPlain(b *testing.B) {
	db := openPlain(b, benchPostsSchema)
	defer db.Close()
	db.SetMaxOpenConns(1)
	i := 0
	for b.Loop() {
		i++
		id, body := fmt.Sprintf("post-%08d", i), benchBody(i)
		tx, err := db.Begin()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Exec(benchInsertPost, id, "标题 "+id, body, int64(i)); err != nil {
			b.Fatal(err)
		}
		// The same audit row as AppendAudit: chained SHA-256 and head.
		prev := make([]byte, sha256.Size)
		var seq int64
		if err := tx.QueryRow(benchAuditLast).Scan(&seq, &prev); err != nil && !errors.Is(err, sql.ErrNoRows) {
			b.Fatal(err)
		}
		e := AuditEntry{Seq: seq + 1, At: int64(i), Actor: "bench", Action: "post.save", Target: id, PrevHash: prev}
		e.Hash = auditHash(e)
		if _, err := tx.Exec(benchAuditIns, e.Seq, e.At, e.Actor, e.Action, e.Target, e.Detail, e.PrevHash, e.Hash); err != nil {
			b.Fatal(err)
		}
		head := append(append([]byte{}, e.Hash...), byte(e.Seq>>56), byte(e.Seq>>48), byte(e.Seq>>40), byte(e.Seq>>32), byte(e.Seq>>24), byte(e.Seq>>16), byte(e.Seq>>8), byte(e.Seq))
		if _, err := tx.Exec(benchAuditHead, head); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpen100MB times Open (unseal ~100 MB, replay an empty journal)
// and a Close that has nothing to compact.
func BenchmarkOpen100MB(b *testing.B) {
	dir := b.TempDir()
	s, _ := createT(b, dir, testOpts, func(tx *Tx) error {
		_, err := tx.Exec("CREATE TABLE bench_blobs(id INTEGER PRIMARY KEY, b BLOB NOT NULL)")
		return err
	})
	const rowsPerTx, rowSize, txs = 256, 4 << 10, 100 // 100 MiB of blobs
	rng := rand.New(rand.NewPCG(1, 1))
	for t := range txs {
		mustWrite(b, s, func(tx *Tx) error {
			for r := range rowsPerTx {
				if _, err := tx.Exec("INSERT INTO bench_blobs(id, b) VALUES (?, ?)", t*rowsPerTx+r, seededBytes(rng.Uint64(), rowSize)); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, snapshotFile))
	if err != nil {
		b.Fatal(err)
	}
	if fi.Size() < 100<<20 {
		b.Fatalf("snapshot is only %d bytes", fi.Size())
	}
	b.SetBytes(fi.Size())
	b.ReportMetric(float64(fi.Size())/(1<<20), "MiB")
	for b.Loop() {
		s, err := Open(dir, "admin", testPassword, testOpts)
		if err != nil {
			b.Fatal(err)
		}
		if s.journal.next != 0 {
			b.Fatal("journal not empty: Close would compact")
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if fi2, _ := os.Stat(filepath.Join(dir, snapshotFile)); !fi2.ModTime().Equal(fi.ModTime()) {
		b.Fatal("Close rewrote the snapshot")
	}
}

const (
	benchReadRows   = 100_000
	benchReadSchema = "CREATE TABLE bench_read(id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL, updated INTEGER NOT NULL)"
	benchReadInsert = "INSERT INTO bench_read(id, title, body, updated) VALUES (?, ?, ?, ?)"
	benchReadSelect = "SELECT title, body, updated FROM bench_read WHERE id = ?"
)

func benchReadRow(i int) (string, string) {
	return fmt.Sprintf("标题 %d", i), fmt.Sprintf("正文 %d %s", i, strings.Repeat("x", 100+i%100))
}

func benchPointRead(b *testing.B, q Querier) {
	rng := rand.New(rand.NewPCG(2, 2))
	var title, body string
	var updated int64
	for b.Loop() {
		id := rng.IntN(benchReadRows)
		if err := q.QueryRow(benchReadSelect, id).Scan(&title, &body, &updated); err != nil {
			b.Fatal(err)
		}
		if updated != int64(id) {
			b.Fatal("wrong row")
		}
	}
}

func BenchmarkPointReadSealed(b *testing.B) {
	s, _, _ := newTestStore(b)
	defer s.Close()
	mustWrite(b, s, func(tx *Tx) error { _, err := tx.Exec(benchReadSchema); return err })
	for start := 0; start < benchReadRows; start += 10_000 {
		mustWrite(b, s, func(tx *Tx) error {
			for i := start; i < start+10_000; i++ {
				title, body := benchReadRow(i)
				if _, err := tx.Exec(benchReadInsert, i, title, body, i); err != nil {
					return err
				}
			}
			return nil
		})
	}
	benchPointRead(b, s.Reader())
}

func BenchmarkPointReadPlain(b *testing.B) {
	db := openPlain(b, benchReadSchema)
	defer db.Close()
	for start := 0; start < benchReadRows; start += 10_000 {
		tx, err := db.Begin()
		if err != nil {
			b.Fatal(err)
		}
		for i := start; i < start+10_000; i++ {
			title, body := benchReadRow(i)
			if _, err := tx.Exec(benchReadInsert, i, title, body, i); err != nil {
				b.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	benchPointRead(b, db)
}
