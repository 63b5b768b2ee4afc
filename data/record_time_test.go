package data

import (
	"fmt"
	"strings"
	"testing"
)

// TestCheckDeterministicTimeCalls: the date and time functions are
// refused exactly when they read the clock (no time value, or 'now',
// 'subsec' or 'subsecond' as the time value), and kept wherever they
// compute from a value given, as the assessment and its tests do.
func TestCheckDeterministicTimeCalls(t *testing.T) {
	bad := []string{
		"SELECT strftime('%s')",
		"SELECT strftime('%s' )",
		"SELECT StrFTime('%Y-%m-%d')",
		"SELECT strftime(?)",
		"SELECT strftime(:fmt)",
		"SELECT strftime('%s', 'subsec')",
		"SELECT strftime('%s', ' subsecond')",
		"SELECT strftime()",
		"SELECT strftime('%s', 'now')",
		"SELECT date()", "SELECT time()", "SELECT datetime()", "SELECT julianday()", "SELECT unixepoch()",
		"SELECT date(\n)", "SELECT date(/* c */)", "SELECT date/**/()", "SELECT date(--c\n)",
		"SELECT \"date\"()", "SELECT `time`()", "SELECT [julianday]()",
		"SELECT unixepoch('subsec')", "SELECT datetime('SubSecond')",
		"SELECT max(1, strftime('%s')) FROM t",
		"SELECT coalesce(date(x), strftime('%j'))",
		"CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET b = strftime('%s'); END",
	}
	good := []string{
		"SELECT strftime('%s', ?)",
		"SELECT strftime('%s', a.at / 1000, 'unixepoch') FROM t a",
		"SELECT strftime('%Y-%m', '2026-03-01', 'start of month')",
		"SELECT strftime(?, ?)",
		"SELECT strftime('%s', (SELECT max(at) FROM t))",
		"SELECT strftime(('%s'), '2026-01-01')",
		"SELECT date(?, '+1 day')",
		"SELECT date((? + (i / 2) * ?) / 1000, 'unixepoch', '+' || (1 + (i % 2) * 3) || ' days') FROM t",
		"SELECT date('2026-01-01', '+' || (i % 360) || ' days') FROM t",
		"SELECT CAST(julianday(a.filed_on) - 2440587.5 AS INTEGER) FROM t a",
		"SELECT time('12:00', 'subsec')",
		"SELECT datetime(a.at, 'unixepoch', 'subsecond') FROM t a",
		"SELECT unixepoch(?, 'subsec')",
		"SELECT julianday(?)",
		"SELECT 'strftime(''%s'')', 'date()x'",
		"SELECT \"strftime\" FROM t",
		"CREATE TABLE d(date TEXT, time TEXT, strftime TEXT)",
		"CREATE INDEX d_date ON d(date, time)",
		"INSERT INTO d(date, time) VALUES (?, ?)",
		"SELECT mydate(), time_zone(), strftimex('%s')",
		"SELECT date(?) -- date() in a comment is no call\n",
		"SELECT date(?) /* strftime('%s') */",
	}
	for _, q := range bad {
		if err := new(Tx).checkDeterministic(q, nil); err == nil {
			t.Errorf("accepted: %q", q)
		}
	}
	for _, q := range good {
		if err := new(Tx).checkDeterministic(q, nil); err != nil {
			t.Errorf("refused %q: %v", q, err)
		}
	}
}

// TestDeterministicTimeCallsReplay: statements that use the date and time
// functions on values given are accepted by Write and replay the same.
func TestDeterministicTimeCallsReplay(t *testing.T) {
	s, dir, _ := newTestStore(t)
	mustWrite(t, s, func(tx *Tx) error {
		_, err := tx.Exec("CREATE TABLE t(a, b, c, d)")
		return err
	})
	at := int64(1_767_225_600_123) // 2026-01-01 00:00:00.123 UTC, in ms
	mustWrite(t, s, func(tx *Tx) error {
		_, err := tx.Exec(`INSERT INTO t(a, b, c, d) VALUES (strftime('%s', ?), date(? / 1000, 'unixepoch', '+5 days'),
			unixepoch(? / 1000.0, 'unixepoch', 'subsec'), CAST(julianday(?) - 2440587.5 AS INTEGER))`,
			"2026-01-01 08:00:00", at, at, "2026-01-01")
		return err
	})
	want := "1767254400|2026-01-06|1767225600.123|20454"
	read := func(s *Store) string {
		var a, b, c, d any
		if err := s.Reader().QueryRow("SELECT a, b, printf('%.3f', c), d FROM t").Scan(&a, &b, &c, &d); err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%v|%v|%v|%v", a, b, c, d)
	}
	if got := read(s); got != want {
		t.Fatalf("live: %s, want %s", got, want)
	}
	s = reopenWith(t, s, dir, testOpts)
	defer s.Close()
	if got := read(s); got != want {
		t.Fatalf("replayed: %s, want %s", got, want)
	}
}

// TestClockThroughArguments: a date or time function handed "now" (or
// 'subsec') as an argument reads the clock as surely as 'now' written
// in the SQL, so Write refuses it; "now" as plain text stays fine.
func TestClockThroughArguments(t *testing.T) {
	s, _, _ := newTestStore(t)
	defer s.Close()
	mustWrite(t, s, func(tx *Tx) error {
		_, err := tx.Exec("CREATE TABLE t(a, b)")
		return err
	})
	for _, tc := range []struct {
		query string
		args  []any
	}{
		{"INSERT INTO t(a) VALUES (date(?))", []any{"now"}},
		{"INSERT INTO t(a) VALUES (julianday(?))", []any{" NOW "}},
		{"INSERT INTO t(a, b) VALUES (?, unixepoch(?, ?))", []any{"x", "2026-01-01", "SubSec"}},
		{"INSERT INTO t(a) VALUES (timediff(?, '2026-01-01'))", []any{"Now"}},
		// Any argument of such a statement counts, whichever call it feeds.
		{"INSERT INTO t(a, b) VALUES (?, date(?))", []any{"now", "2026-01-01"}},
	} {
		err := s.Write(func(tx *Tx) error {
			_, err := tx.Exec(tc.query, tc.args...)
			return err
		})
		if err == nil || !strings.Contains(err.Error(), "reads the clock") {
			t.Errorf("%s %q: %v, want a refusal", tc.query, tc.args, err)
		}
	}
	// The text's verdict is remembered within a transaction; the
	// arguments are still checked on every run of it.
	err := s.Write(func(tx *Tx) error {
		if _, err := tx.Exec("INSERT INTO t(a) VALUES (date(?))", "2026-01-01"); err != nil {
			return fmt.Errorf("first run refused: %w", err)
		}
		_, err := tx.Exec("INSERT INTO t(a) VALUES (date(?))", "now")
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "reads the clock") {
		t.Errorf("the same text run again with \"now\": %v, want a refusal", err)
	}
	mustWrite(t, s, func(tx *Tx) error {
		_, err := tx.Exec("INSERT INTO t(a, b) VALUES (?, ?)", "now", "subsec")
		return err
	})
	var n int
	if err := s.Reader().QueryRow("SELECT count(*) FROM t WHERE a = 'now'").Scan(&n); err != nil || n != 1 {
		t.Fatalf("plain text now: %d rows, %v", n, err)
	}
}

// BenchmarkCheckDeterministic: the check runs on every statement written,
// sync imports run thousands in one transaction.
func BenchmarkCheckDeterministic(b *testing.B) {
	q := `INSERT INTO posts(id, owner_unit, author_id, title, body, category, targets, status, content_hash, created_at, updated_at, published_at, account_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET title = excluded.title, body = excluded.body, updated_at = excluded.updated_at`
	for b.Loop() {
		if _, err := checkStatementText(q); err != nil {
			b.Fatal(err)
		}
	}
}
