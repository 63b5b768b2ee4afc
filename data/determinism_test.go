package data

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

const determinismSchema = `
CREATE TABLE t_rows (
	id    INTEGER PRIMARY KEY,
	name  TEXT,
	score REAL,
	data  BLOB,
	note  TEXT,
	n     INTEGER
);
CREATE INDEX t_rows_name ON t_rows(name);
CREATE TABLE t_kv (k TEXT PRIMARY KEY, v ANY) STRICT, WITHOUT ROWID;
CREATE TABLE t_loose (a, b, c);
CREATE TABLE t_auto (
	id  INTEGER PRIMARY KEY AUTOINCREMENT,
	ref INTEGER REFERENCES t_rows(id) ON DELETE CASCADE,
	txt TEXT
);
CREATE TABLE t_count (k TEXT PRIMARY KEY, n INTEGER NOT NULL) STRICT;
CREATE TRIGGER t_rows_count AFTER INSERT ON t_rows BEGIN
	INSERT INTO t_count(k, n) VALUES ('rows', 1) ON CONFLICT(k) DO UPDATE SET n = n + 1;
END;`

var unicodeSamples = []string{
	"", "plain", "平安汤阴", "新媒体工作台·宣传科", "emoji 👮‍♀️🚓", "e\u0301 combining", "עברית RTL", "NUL\x00inside",
	"tab\tand\nnewline", "'quote\" and ;", "\xff\xfe invalid UTF-8", strings.Repeat("长", 3000),
}

// randomValue returns a value of a random type for a loosely typed column.
func randomValue(rng *rand.Rand) any {
	switch rng.IntN(12) {
	case 0:
		return nil
	case 1:
		return rng.Int64() - math.MaxInt64/2
	case 2:
		return []int64{0, -1, 1, math.MaxInt64, math.MinInt64}[rng.IntN(5)]
	case 3:
		return rng.NormFloat64() * 1e6
	case 4:
		return []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), math.SmallestNonzeroFloat64, math.MaxFloat64, 0.1 + 0.2}[rng.IntN(8)]
	case 5, 6:
		return unicodeSamples[rng.IntN(len(unicodeSamples))]
	case 7:
		return seededBytes(rng.Uint64(), rng.IntN(3000))
	case 8:
		return []byte{}
	case 9:
		return rng.IntN(2) == 0
	case 10:
		return int(rng.Int32())
	default:
		return fmt.Sprintf("%d-%s", rng.IntN(1000), unicodeSamples[rng.IntN(5)])
	}
}

// workloadOp runs one random statement (or a few) inside tx.
func workloadOp(tx *Tx, rng *rand.Rand, step int) error {
	var err error
	switch rng.IntN(11) {
	case 0, 1: // explicit id (small range, so conflicts happen and are skipped)
		_, err = tx.Exec("INSERT OR REPLACE INTO t_rows(id, name, score, data, note, n) VALUES (?, ?, ?, ?, ?, ?)",
			rng.IntN(400), unicodeSamples[rng.IntN(len(unicodeSamples))], rng.Float64()*1000, randomValue(rng), randomValue(rng), step)
	case 2: // implicit rowid
		_, err = tx.Exec("INSERT INTO t_rows(name, score, data, note, n) VALUES (?, ?, ?, ?, ?)",
			fmt.Sprintf("auto-%d", step), rng.NormFloat64(), seededBytes(rng.Uint64(), rng.IntN(500)), nil, step)
	case 3:
		_, err = tx.Exec("UPDATE t_rows SET score = score * ? + ?, note = ? WHERE id % ? = ?",
			1.0+rng.Float64(), rng.NormFloat64(), randomValue(rng), 7, rng.IntN(7))
	case 4:
		lo := rng.IntN(500)
		_, err = tx.Exec("DELETE FROM t_rows WHERE id BETWEEN ? AND ?", lo, lo+rng.IntN(20))
	case 5:
		_, err = tx.Exec("INSERT INTO t_kv(k, v) VALUES (?, ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v",
			fmt.Sprintf("k%03d", rng.IntN(200)), randomValue(rng))
	case 6:
		_, err = tx.Exec("INSERT INTO t_loose(a, b, c) VALUES (?, ?, ?)", randomValue(rng), randomValue(rng), randomValue(rng))
	case 7:
		_, err = tx.Exec("DELETE FROM t_loose WHERE rowid IN (SELECT rowid FROM t_loose ORDER BY rowid LIMIT ?)", rng.IntN(3))
	case 8:
		var ref int64
		e := tx.QueryRow("SELECT id FROM t_rows ORDER BY id LIMIT 1 OFFSET ?", rng.IntN(50)).Scan(&ref)
		if e != nil {
			return nil // no rows yet
		}
		_, err = tx.Exec("INSERT INTO t_auto(ref, txt) VALUES (?, ?)", ref, unicodeSamples[rng.IntN(len(unicodeSamples))])
	case 9:
		_, err = tx.Exec("INSERT INTO t_loose(a, b, c) SELECT id, name, score FROM t_rows WHERE id > ? ORDER BY id LIMIT 3", rng.IntN(400))
	default:
		err = AppendAudit(tx, int64(1700000000000+step), "用户"+fmt.Sprint(rng.IntN(5)), "edit", fmt.Sprint(step), unicodeSamples[rng.IntN(len(unicodeSamples))])
	}
	return err
}

// runWorkload drives a random mix of transactions, failed transactions,
// attachments and compactions against s.
func runWorkload(t *testing.T, s *Store, rng *rand.Rand, txs int) (failedKeys []string) {
	t.Helper()
	for i := 0; i < txs; i++ {
		switch r := rng.IntN(40); {
		case r == 0:
			if err := s.Compact(); err != nil {
				t.Fatal(err)
			}
			continue
		case r == 1:
			if _, err := s.PutAttachment(bytes.NewReader(seededBytes(rng.Uint64(), rng.IntN(100<<10))), "f.bin", "application/octet-stream", int64(i)); err != nil {
				t.Fatal(err)
			}
			continue
		case r <= 4:
			// A transaction that fails after some statements ran: an error
			// from fn, a constraint violation, or SQL that would not replay.
			key := fmt.Sprintf("failed-%d", i)
			failedKeys = append(failedKeys, key)
			kind := r
			err := s.Write(func(tx *Tx) error {
				if err := SetSetting(tx, key, "must not exist"); err != nil {
					return err
				}
				if err := workloadOp(tx, rng, i); err != nil {
					return err
				}
				switch kind {
				case 2:
					return errors.New("changed my mind")
				case 3:
					_, err := tx.Exec("INSERT INTO t_auto(ref, txt) VALUES (?, ?)", 1<<40, "dangling reference")
					return err
				default:
					_, err := tx.Exec("INSERT INTO t_loose(a) VALUES (random())")
					return err
				}
			})
			if err == nil {
				t.Fatalf("tx %d: failing transaction committed", i)
			}
			continue
		}
		err := s.Write(func(tx *Tx) error {
			for range 1 + rng.IntN(8) {
				if err := workloadOp(tx, rng, i); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("tx %d: %v", i, err)
		}
	}
	return failedKeys
}

func checkAbsent(t *testing.T, s *Store, keys []string, where string) {
	t.Helper()
	for _, k := range keys {
		if _, err := Setting(s.Reader(), k); !errors.Is(err, ErrNotFound) {
			t.Fatalf("%s: failed transaction %s is present (%v)", where, k, err)
		}
	}
}

// TestDeterministicReplay runs random workloads and checks that the live
// database equals the one rebuilt from disk, both from a copy of the
// directory taken while the store is open (snapshot + journal replay)
// and after a clean close (compacted snapshot).
func TestDeterministicReplay(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3, 4} {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 99))
			opts := Options{KDF: testKDF, CompactBytes: 96 << 10}
			dir := t.TempDir()
			s, _ := createT(t, dir, opts, func(tx *Tx) error {
				_, err := tx.Exec(determinismSchema)
				return err
			})
			failed := runWorkload(t, s, rng, 300)
			s.bg.Wait()
			// Make sure the copy has a journal to replay.
			failed = append(failed, runWorkload(t, s, rand.New(rand.NewPCG(seed, 7)), 5)...)
			s.bg.Wait()
			mustWrite(t, s, func(tx *Tx) error { return workloadOp(tx, rng, 10000) })
			if s.journal.next == 0 {
				t.Fatal("journal empty: the copy would not exercise replay")
			}
			live := dump(t, s.Reader())
			if !strings.Contains(live, "table t_rows") || strings.Count(live, "\n") < 200 {
				t.Fatalf("workload too small:\n%.2000s", live)
			}
			checkAbsent(t, s, failed, "live")

			// Copy the files while the store is open and open the copy.
			cp := t.TempDir()
			copyDir(t, dir, cp)
			c := openT(t, cp, opts)
			if got := dump(t, c.Reader()); got != live {
				t.Fatalf("copy taken while open differs from the live database:\n%s", firstDiff(live, got))
			}
			if ic, _ := c.IntegrityCheck(); ic != "ok" {
				t.Fatalf("copy: integrity %q", ic)
			}
			checkAbsent(t, c, failed, "copy")
			if err := c.Close(); err != nil {
				t.Fatal(err)
			}
			c = openT(t, cp, opts)
			if got := dump(t, c.Reader()); got != live {
				t.Fatalf("copy after close differs:\n%s", firstDiff(live, got))
			}
			abandon(c)

			s = reopenWith(t, s, dir, opts)
			if got := dump(t, s.Reader()); got != live {
				t.Fatalf("reopened database differs from the live one:\n%s", firstDiff(live, got))
			}
			checkAbsent(t, s, failed, "reopened")
			if n, err := VerifyAudit(s.Reader()); err != nil || n == 0 {
				t.Fatalf("audit chain: %d %v", n, err)
			}
			// More work on the reopened store, then a crash-like drop.
			runWorkload(t, s, rng, 60)
			s.bg.Wait()
			live = dump(t, s.Reader())
			abandon(s)
			s = openT(t, dir, opts)
			if got := dump(t, s.Reader()); got != live {
				t.Fatalf("after a crash-like drop the database differs:\n%s", firstDiff(live, got))
			}
			s.Close()
		})
	}
}

func reopenWith(t *testing.T, s *Store, dir string, opts Options) *Store {
	t.Helper()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return openT(t, dir, opts)
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("line %d:\n want %.300s\n got  %.300s", i+1, x, y)
		}
	}
	return "(no difference)"
}

// TestNondeterministicSQLRefused: written SQL that reads the clock or
// random numbers is refused, and nothing of its transaction is applied.
func TestNondeterministicSQLRefused(t *testing.T) {
	s, dir, _ := newTestStore(t)
	mustWrite(t, s, func(tx *Tx) error {
		_, err := tx.Exec("CREATE TABLE t(a, b)")
		return err
	})
	bad := []string{
		"INSERT INTO t(a) VALUES (random())",
		"INSERT INTO t(a) VALUES (RANDOM ())",
		"INSERT INTO t(a) VALUES (randomblob(8))",
		"INSERT INTO t(a) VALUES (datetime('now'))",
		"INSERT INTO t(a) VALUES (DATETIME('NOW', 'localtime'))",
		"INSERT INTO t(a) VALUES (strftime('%s', 'now'))",
		"INSERT INTO t(a) VALUES (julianday('now'))",
		"INSERT INTO t(a) VALUES (CURRENT_TIMESTAMP)",
		"INSERT INTO t(a) VALUES (current_date)",
		"INSERT INTO t(a) VALUES (CURRENT_TIME)",
		"INSERT INTO t(a) VALUES (unixepoch())",
		"INSERT INTO t(a) VALUES (date())",
		"INSERT INTO t(a) VALUES (datetime( ))",
		"UPDATE t SET b = time() WHERE a = 1",
		"CREATE TABLE t2(x DEFAULT CURRENT_TIMESTAMP)",
		"INSERT INTO t(a) VALUES (total_changes())",
		// The date and time functions without a time value read the clock.
		"INSERT INTO t(a) VALUES (strftime('%s'))",
		"INSERT INTO t(a) VALUES (STRFTIME ( '%Y-%m-%d %H:%M:%S' ))",
		"INSERT INTO t(a) VALUES (strftime(?))",
		"UPDATE t SET b = strftime('%s', 'subsec') WHERE a = 1",
		"INSERT INTO t(a) VALUES (unixepoch('SUBSECOND'))",
		"INSERT INTO t(a) VALUES (date(/* today */))",
		"INSERT INTO t(a) VALUES (julianday(-- now\n))",
		"INSERT INTO t(a) VALUES (\"datetime\"())",
		"INSERT INTO t(a) VALUES ([time]())",
	}
	for _, q := range bad {
		err := s.Write(func(tx *Tx) error {
			if _, err := tx.Exec("INSERT INTO t(a, b) VALUES (?, ?)", "before", q); err != nil {
				return err
			}
			_, err := tx.Exec(q)
			return err
		})
		if err == nil {
			t.Errorf("%s: accepted", q)
		}
		// Even a caller that ignores the Exec error does not commit.
		err = s.Write(func(tx *Tx) error {
			tx.Exec("INSERT INTO t(a, b) VALUES (?, ?)", "ignored", q)
			tx.Exec(q)
			return nil
		})
		if err == nil {
			t.Errorf("%s: accepted when the caller ignored the error", q)
		}
	}
	// Values passed as arguments are fine, even ones that look like 'now'.
	mustWrite(t, s, func(tx *Tx) error {
		_, err := tx.Exec("INSERT INTO t(a, b) VALUES (?, ?)", "now", "random()")
		return err
	})
	var n int
	s.Reader().QueryRow("SELECT count(*) FROM t").Scan(&n)
	if n != 1 {
		t.Fatalf("%d rows, want only the one with arguments", n)
	}
	s = reopen(t, s, dir)
	defer s.Close()
	s.Reader().QueryRow("SELECT count(*) FROM t").Scan(&n)
	if n != 1 {
		t.Fatalf("after reopen %d rows, want 1", n)
	}
}
