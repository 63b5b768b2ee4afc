package data

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/mattn/go-sqlite3"

	"mediadesk/data/internal/seal"
)

// ---------------------------------------------------------------------
// Nothing readable at rest

var canaries = []string{"金丝雀汤阴测试", "CANARY-7f3a"}

// scanDir fails the test if any file under dir holds a canary (UTF-8) or
// an SQLite header.
func scanDir(t *testing.T, dir, when string) {
	t.Helper()
	needles := append([]string{"SQLite format 3"}, canaries...)
	files := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		for _, n := range needles {
			if bytes.Contains(b, []byte(n)) {
				t.Errorf("%s: %s contains %q in the clear", when, path, n)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 3 {
		t.Fatalf("%s: only %d files to check", when, files)
	}
}

func TestNothingReadableAtRest(t *testing.T) {
	s, dir, _ := newTestStore(t)
	c := strings.Join(canaries, " ")
	mustWrite(t, s, func(tx *Tx) error {
		if err := SetSetting(tx, "unit_name", c); err != nil {
			return err
		}
		if err := SetSetting(tx, c, "key too"); err != nil {
			return err
		}
		if err := InsertUser(tx, User{ID: "u1", Name: "canary-" + canaries[1], DisplayName: c, Role: "officer", Active: true, CreatedAt: 1, UpdatedAt: 1}); err != nil {
			return err
		}
		return AppendAudit(tx, 1, "admin", "create", c, "detail "+c)
	})
	content := bytes.Repeat([]byte(c+"\n"), 30000) // ~1 MiB, many chunks
	if _, err := s.PutAttachment(bytes.NewReader(content), c+".txt", "text/plain", 1); err != nil {
		t.Fatal(err)
	}
	// Temporary tables, sorts and statement journals stay in memory on
	// every pooled connection.
	ctx := context.Background()
	var conns []interface{ Close() error }
	for range 4 {
		conn, err := s.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, conn)
		var ts int
		if err := conn.QueryRowContext(ctx, "PRAGMA temp_store").Scan(&ts); err != nil || ts != 2 {
			t.Fatalf("temp_store = %d (%v), want 2 (MEMORY)", ts, err)
		}
	}
	for _, c := range conns {
		c.Close()
	}
	scanDir(t, dir, "open, journal holds the writes")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	scanDir(t, dir, "after close (snapshot)")
	s = reopen(t, nil, dir)
	mustWrite(t, s, func(tx *Tx) error { return SetSetting(tx, "again", c) })
	if err := s.Compact(); err != nil {
		t.Fatal(err)
	}
	mustWrite(t, s, func(tx *Tx) error { return SetSetting(tx, "after compaction", c) })
	scanDir(t, dir, "after a compaction")
	if v, err := Setting(s.Reader(), "unit_name"); err != nil || v != c {
		t.Fatalf("canary not readable through the store: %q %v", v, err)
	}
	abandon(s)
	// Only the files the format describes are there.
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		ok := rel == lockFile || rel == snapshotFile ||
			(strings.HasPrefix(rel, "journal-") && strings.HasSuffix(rel, ".mdj")) ||
			(strings.HasPrefix(rel, attachmentsDir+string(filepath.Separator)) && strings.HasSuffix(rel, ".mda"))
		if !ok {
			t.Errorf("unexpected file %s", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// ---------------------------------------------------------------------
// Bad input

func TestWeakPassword(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "d")
	for _, pw := range []string{"", "short", "七个字的密码啊"} {
		if _, _, err := Create(dir, "admin", pw, testOpts, nil); !errors.Is(err, ErrWeakPassword) {
			t.Fatalf("password %q: %v", pw, err)
		}
		if Exists(dir) {
			t.Fatalf("password %q: a store was made", pw)
		}
	}
	s, _, err := Create(dir, "admin", "八个字的密码好啊", testOpts, nil)
	if err != nil {
		t.Fatalf("8-rune password: %v", err)
	}
	defer s.Close()
	if _, err := s.AddUserSlot("li", "1234567"); !errors.Is(err, ErrWeakPassword) {
		t.Fatalf("add slot: %v", err)
	}
	if _, err := s.SetUserPassword("admin", ""); !errors.Is(err, ErrWeakPassword) {
		t.Fatalf("set password: %v", err)
	}
}

func TestSecondInstance(t *testing.T) {
	s, dir, rk := newTestStore(t)
	for name, f := range map[string]func() error{
		"Open":                 func() error { _, err := Open(dir, "admin", testPassword, testOpts); return err },
		"OpenWithRecoveryKey":  func() error { _, err := OpenWithRecoveryKey(dir, rk, testOpts); return err },
		"OpenWithAnyPassword":  func() error { _, err := OpenWithAnyPassword(dir, testPassword, testOpts); return err },
		"Create":               func() error { _, _, err := Create(dir, "x", testPassword, testOpts, nil); return err },
		"Open wrong password?": func() error { _, err := Open(dir, "admin", "not the password", testOpts); return err },
	} {
		if err := f(); !errors.Is(err, ErrInUse) {
			t.Errorf("%s while open: %v, want ErrInUse", name, err)
		}
	}
	addNote(t, s, "still", "works")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openT(t, dir, testOpts)
	checkNotes(t, s, map[string]string{"still": "works"})
	s.Close()
}

// TestJournalWriteFaults makes the journal append fail the way a full
// disk, a failing fsync or a read-only file system does: the commit
// reports a WriteError naming the journal, nothing of it is applied (live
// or after reopen), the store stays usable, and a retry works.
func TestJournalWriteFaults(t *testing.T) {
	cases := []struct {
		name   string
		errno  syscall.Errno
		inject func(fi *faultInjector, e error)
	}{
		{"disk full", syscall.ENOSPC, func(fi *faultInjector, e error) { fi.writeErr = e }},
		{"disk full mid-record", syscall.ENOSPC, func(fi *faultInjector, e error) { fi.writeErr, fi.partial = e, true }},
		{"fsync fails", syscall.EIO, func(fi *faultInjector, e error) { fi.syncErr = e }},
		{"read-only file system", syscall.EROFS, func(fi *faultInjector, e error) { fi.writeErr, fi.partial = e, true }},
	}
	// A commit that fits the zeroed room, and one over 1 MiB that is
	// written past the end of the file instead.
	for _, c := range cases {
		for _, size := range []int{1, 3 << 20} {
			t.Run(fmt.Sprintf("%s/%d bytes", c.name, size), func(t *testing.T) {
				fi, opts, dir, s := faultyStore(t)
				fi.set(func(fi *faultInjector) { c.inject(fi, c.errno) })
				for range 2 {
					err := s.Write(func(tx *Tx) error { return SetSetting(tx, "failed", strings.Repeat("x", size)) })
					var we *WriteError
					if !errors.As(err, &we) || !errors.Is(err, c.errno) {
						t.Fatalf("commit: %v, want a WriteError wrapping %v", err, c.errno)
					}
					if we.File != s.journal.path || !strings.Contains(err.Error(), we.File) {
						t.Fatalf("WriteError names %q, want %q", we.File, s.journal.path)
					}
					checkNotes(t, s, map[string]string{"failed": "", "before": "1"})
				}
				if got := fileSize(t, s.journal.path); got != s.journal.size {
					t.Fatalf("journal is %d bytes after the failure, want it cut back to %d", got, s.journal.size)
				}
				fi.clear()
				big := strings.Repeat("大", size/3+1)
				addNote(t, s, "retry", big)
				addNote(t, s, "after", "3")
				// Rebuilt from the files as they are (no close), then after a
				// clean close.
				cp := t.TempDir()
				copyDir(t, dir, cp)
				c2 := openT(t, cp, testOpts)
				checkNotes(t, c2, map[string]string{"before": "1", "failed": "", "retry": big, "after": "3"})
				abandon(c2)
				s = reopenWith(t, s, dir, opts)
				checkNotes(t, s, map[string]string{"before": "1", "failed": "", "retry": big, "after": "3"})
				s.Close()
			})
		}
	}
}

// faultyStore creates a store in a new directory whose journal fails on
// fi's demand (nothing armed yet) and notes "before" = "1" in it; opts
// reopen it the same way.
func faultyStore(t *testing.T) (fi *faultInjector, opts Options, dir string, s *Store) {
	t.Helper()
	fi = &faultInjector{}
	opts = testOpts
	opts.wrapJournal = fi.wrap
	dir = t.TempDir()
	s, _ = createT(t, dir, opts, nil)
	addNote(t, s, "before", "1")
	return fi, opts, dir, s
}

// failLeavingDirt makes the commit of note "failed" fail half-way and the
// cutting back of its garbage fail too, leaving s's journal dirty.
func failLeavingDirt(t *testing.T, fi *faultInjector, s *Store) {
	t.Helper()
	fi.set(func(fi *faultInjector) {
		fi.writeErr, fi.partial = syscall.ENOSPC, true
		fi.truncErr, fi.truncOnce = syscall.EIO, true
	})
	if err := s.Write(func(tx *Tx) error { return SetSetting(tx, "failed", "x") }); err == nil {
		t.Fatal("commit succeeded")
	}
	fi.clear()
}

// TestJournalRewindFails: the append fails half-way and cutting the
// garbage off fails too; the next commit must not land after the garbage.
func TestJournalRewindFails(t *testing.T) {
	fi, _, dir, s := faultyStore(t)
	failLeavingDirt(t, fi, s)
	addNote(t, s, "after", "2")
	abandon(s)
	wantFailedCommitGone(t, dir)
}

// wantFailedCommitGone opens the store in dir as a crash left it: note
// "before" and "after" are there, the commit of "failed" between them
// is not.
func wantFailedCommitGone(t *testing.T, dir string) {
	t.Helper()
	s := openT(t, dir, testOpts)
	checkNotes(t, s, map[string]string{"before": "1", "failed": "", "after": "2"})
	s.Close()
}

// TestReadOnlyDataDir: a directory the user may not write to. As root the
// permission bits do not stop writes, so only this variant is skipped;
// TestJournalWriteFaults/read-only_file_system covers EROFS always.
func TestReadOnlyDataDir(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root: chmod does not make a directory read-only (EROFS is tested by fault injection)")
	}
	s, dir, _ := newTestStore(t)
	addNote(t, s, "k", "v")
	s.Close()
	before := dirBytes(t, dir)
	chmodAll(t, dir, 0o400, 0o500)
	defer chmodAll(t, dir, 0o600, 0o700)
	_, err := Open(dir, "admin", testPassword, testOpts)
	var ro *ReadOnlyError
	if !errors.As(err, &ro) || ro.Dir != dir {
		t.Fatalf("open read-only dir: %v, want a ReadOnlyError", err)
	}
	chmodAll(t, dir, 0o600, 0o700)
	sameDir(t, before, dirBytes(t, dir), "after opening read-only")

	parent := t.TempDir()
	os.Chmod(parent, 0o500)
	defer os.Chmod(parent, 0o700)
	if _, _, err := Create(filepath.Join(parent, "d"), "admin", testPassword, testOpts, nil); !errors.As(err, &ro) {
		t.Fatalf("create under a read-only dir: %v", err)
	}
}

func chmodAll(t *testing.T, dir string, file, d fs.FileMode) {
	filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() {
			return os.Chmod(path, d)
		}
		return os.Chmod(path, file)
	})
}

func TestCreateWhereNoDirectoryCanBe(t *testing.T) {
	file := filepath.Join(t.TempDir(), "a-file")
	os.WriteFile(file, []byte("x"), 0o600)
	_, _, err := Create(filepath.Join(file, "data"), "admin", testPassword, testOpts, nil)
	var ro *ReadOnlyError
	if !errors.As(err, &ro) {
		t.Fatalf("got %v, want a ReadOnlyError", err)
	}
}

func TestNewerVersionSnapshot(t *testing.T) {
	s, dir, _ := newTestStore(t)
	s.Close()
	path := filepath.Join(dir, snapshotFile)
	raw, _ := os.ReadFile(path)
	hl := snapshotHeaderLen(t, raw)
	binary.LittleEndian.PutUint16(raw[8:], FormatVersion+1)
	sum := sha256.Sum256(raw[:hl-sha256.Size])
	copy(raw[hl-sha256.Size:], sum[:])
	os.WriteFile(path, raw, 0o600)
	before := dirBytes(t, dir)
	if _, err := Open(dir, "admin", testPassword, testOpts); !errors.Is(err, ErrNewerVersion) {
		t.Fatalf("newer snapshot: %v", err)
	}
	sameDir(t, before, dirBytes(t, dir), "after refusing a newer snapshot")
}

func TestNewerSchemaVersion(t *testing.T) {
	for _, how := range []string{"snapshot", "journal"} {
		t.Run(how, func(t *testing.T) {
			s, dir, _ := newTestStore(t)
			mustWrite(t, s, func(tx *Tx) error {
				_, err := tx.Exec(fmt.Sprintf("PRAGMA user_version = %d", len(migrations)+1))
				return err
			})
			if how == "snapshot" {
				s.Close()
			} else {
				abandon(s)
			}
			before := dirBytes(t, dir)
			if _, err := Open(dir, "admin", testPassword, testOpts); !errors.Is(err, ErrNewerVersion) {
				t.Fatalf("newer schema: %v", err)
			}
			sameDir(t, before, dirBytes(t, dir), "after refusing a newer schema")
		})
	}
}

func TestCreateOnExistingStore(t *testing.T) {
	s, dir, _ := newTestStore(t)
	addNote(t, s, "k", "v")
	s.Close()
	before := dirBytes(t, dir)
	if _, _, err := Create(dir, "other", "another password", testOpts, nil); !errors.Is(err, ErrExists) {
		t.Fatalf("create over a store: %v", err)
	}
	sameDir(t, before, dirBytes(t, dir), "after refusing to create")
	s = openT(t, dir, testOpts)
	checkNotes(t, s, map[string]string{"k": "v"})
	s.Close()
}

func TestOpenWithoutStore(t *testing.T) {
	dir := t.TempDir()
	if _, err := Open(dir, "admin", testPassword, testOpts); !errors.Is(err, ErrNoStore) {
		t.Fatalf("empty dir: %v", err)
	}
	if _, err := OpenWithRecoveryKey(dir, "AAAA", testOpts); !errors.Is(err, ErrNoStore) {
		t.Fatalf("empty dir, recovery key: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("open left files in an empty dir: %v", entries)
	}
	missing := filepath.Join(dir, "missing")
	if _, err := Open(missing, "admin", testPassword, testOpts); !errors.Is(err, ErrNoStore) {
		t.Fatalf("missing dir: %v", err)
	}
	if _, err := os.Stat(missing); !errors.Is(err, fs.ErrNotExist) {
		t.Fatal("open created the missing dir")
	}
	if Exists(dir) {
		t.Fatal("Exists on an empty dir")
	}
}

// TestStoreFull lowers the memdb size cap: a transaction that does not fit
// fails with ErrStoreFull whether it overflows while running or at the
// in-memory COMMIT (after its journal record; replay must then skip it),
// and nothing is lost.
func TestStoreFull(t *testing.T) {
	s, dir, _ := newTestStore(t)
	mustWrite(t, s, func(tx *Tx) error {
		_, err := tx.Exec("CREATE TABLE big(id INTEGER PRIMARY KEY, b BLOB)")
		return err
	})
	addNote(t, s, "before", "1")
	setLimit := func(n int64) {
		err := s.anchor.Raw(func(dc any) error {
			return dc.(*sqlite3.SQLiteConn).SetFileControlInt64("main", fcntlSizeLimit, n)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	setLimit(1)                                     // clamps to the current size
	for i, size := range []int{4 << 20, 16 << 20} { // more than the free pages a fresh schema leaves
		err := s.Write(func(tx *Tx) error {
			if err := SetSetting(tx, fmt.Sprint("full", i), "x"); err != nil {
				return err
			}
			_, err := tx.Exec("INSERT INTO big(b) VALUES (?)", make([]byte, size))
			return err
		})
		if !errors.Is(err, ErrStoreFull) {
			t.Fatalf("%d bytes: %v, want ErrStoreFull", size, err)
		}
		checkNotes(t, s, map[string]string{fmt.Sprint("full", i): "", "before": "1"})
	}
	setLimit(sizeLimit)
	addNote(t, s, "after", "2")
	if ic, _ := s.IntegrityCheck(); ic != "ok" {
		t.Fatalf("integrity: %q", ic)
	}
	live := dump(t, s.Reader())
	abandon(s)
	s = openT(t, dir, testOpts)
	if got := dump(t, s.Reader()); got != live {
		t.Fatalf("replay differs after a full store:\n%s", firstDiff(live, got))
	}
	checkNotes(t, s, map[string]string{"full0": "", "full1": "", "before": "1", "after": "2"})
	s.Close()
}

// ---------------------------------------------------------------------
// Migrations

// schemaNames lists sqlite_schema (type, name, sql).
func schemaNames(t *testing.T, q Querier) string {
	t.Helper()
	rows, err := q.Query("SELECT type, name, coalesce(sql, '') FROM sqlite_schema ORDER BY name")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var a, n, s string
		rows.Scan(&a, &n, &s)
		fmt.Fprintf(&b, "%s %s %s\n", a, n, s)
	}
	return b.String()
}

func hasTable(t *testing.T, q Querier, name string) bool {
	var n int
	if err := q.QueryRow("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?", name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n == 1
}

// writeVersionData writes representative rows into whatever tables the
// schema has, the way a build of that version would.
func writeVersionData(t *testing.T, s *Store) {
	t.Helper()
	q := s.Reader()
	mustWrite(t, s, func(tx *Tx) error {
		if err := SetSetting(tx, "unit_name", "汤阴县公安局城关派出所"); err != nil {
			return err
		}
		for i, n := range []string{"wang", "Li"} {
			u := User{ID: fmt.Sprint("u", i), Name: n, DisplayName: "警官" + n, Role: "officer", Active: i == 0, CreatedAt: int64(i), UpdatedAt: int64(i)}
			if err := InsertUser(tx, u); err != nil {
				return err
			}
		}
		return nil
	})
	hasMeta := hasTable(t, q, "meta")
	if hasTable(t, q, "audit") {
		for i := range 3 {
			mustWrite(t, s, func(tx *Tx) error {
				if hasMeta {
					return AppendAudit(tx, int64(i), "wang", "sign-in", "", "")
				}
				// Schema 2 had no meta table: chain without a head.
				prev := make([]byte, sha256.Size)
				if i > 0 {
					tx.QueryRow("SELECT hash FROM audit WHERE seq = ?", i).Scan(&prev)
				}
				e := AuditEntry{Seq: int64(i + 1), At: int64(i), Actor: "wang", Action: "sign-in", PrevHash: prev}
				e.Hash = auditHash(e)
				_, err := tx.Exec("INSERT INTO audit(seq, at, actor, action, target, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
					e.Seq, e.At, e.Actor, e.Action, e.Target, e.Detail, e.PrevHash, e.Hash)
				return err
			})
		}
	}
	if hasTable(t, q, "attachments") && hasMeta {
		if _, err := s.PutAttachment(strings.NewReader("照片"), "a.jpg", "image/jpeg", 5); err != nil {
			t.Fatal(err)
		}
	}
	if hasTable(t, q, "posts") {
		mustWrite(t, s, func(tx *Tx) error {
			for i, title := range []string{"汤阴县反诈宣传", "交通安全 APP"} {
				p := Post{ID: fmt.Sprint("p", i), OwnerUnit: "unit", AuthorID: "u0", Title: title, Body: "民警提醒：谨防诈骗。",
					Category: "notice", Targets: `["weibo"]`, Status: "draft", ContentHash: []byte{byte(i)}, CreatedAt: int64(i), UpdatedAt: int64(i), Version: 1}
				if err := saveSchema4Post(tx, p); err != nil {
					return err
				}
			}
			return AddPostComment(tx, PostComment{ID: "c0", PostID: "p0", At: 9, Author: "u1", Body: "照片很清晰"})
		})
	}
}

// saveSchema4Post writes p with the columns posts had at schema 4, for
// tests that build a store at an old schema (SavePost writes the newest).
func saveSchema4Post(tx *Tx, p Post) error {
	_, err := tx.Exec(`INSERT INTO posts(id, owner_unit, author_id, title, body, category, targets, personal, flags, sensitive,
		status, content_hash, approved_hash, approved_by, hq_hash, lexicon_version, published_at, published_on, published_url,
		published_by, created_at, updated_at, version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		p.ID, p.OwnerUnit, p.AuthorID, p.Title, p.Body, p.Category, p.Targets, p.Personal, p.Flags, p.Sensitive,
		p.Status, p.ContentHash, nullBytes(p.ApprovedHash), nullString(p.ApprovedBy), nullBytes(p.HQHash), p.LexiconVersion,
		nullInt(p.PublishedAt), nullString(p.PublishedOn), nullString(p.PublishedURL), nullString(p.PublishedBy),
		p.CreatedAt, p.UpdatedAt, p.Version)
	return err
}

// dumpTables dumps the given columns of each table (a later migration may
// add columns; the old ones must keep their values).
func dumpTables(t *testing.T, q Querier, tables map[string][]string) string {
	var b strings.Builder
	for _, tbl := range slices.Sorted(maps.Keys(tables)) {
		fmt.Fprintf(&b, "table %s\n", tbl)
		cols := make([]string, len(tables[tbl]))
		for i, c := range tables[tbl] {
			cols[i] = fmt.Sprintf("%q", c)
		}
		dumpRows(t, &b, q, fmt.Sprintf("SELECT rowid, %s FROM %q ORDER BY rowid", strings.Join(cols, ", "), tbl))
	}
	return b.String()
}

// tableColumns returns every table's column names.
func tableColumns(t *testing.T, q Querier) map[string][]string {
	out := map[string][]string{}
	for _, tbl := range tableNames(t, q) {
		rows, err := q.Query("SELECT name FROM pragma_table_info(?) ORDER BY cid", tbl)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var c string
			rows.Scan(&c)
			out[tbl] = append(out[tbl], c)
		}
		rows.Close()
	}
	return out
}

func tableNames(t *testing.T, q Querier) []string {
	rows, err := q.Query("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		out = append(out, n)
	}
	return out
}

// freshSchema returns the schema of a new store migrated to version v.
func freshSchema(t *testing.T, v int) string {
	opts := testOpts
	opts.schemaLimit = v
	s, _ := createT(t, t.TempDir(), opts, nil)
	defer abandon(s)
	if uv, _ := s.UserVersion(); uv != v {
		t.Fatalf("fresh store at %d has user_version %d", v, uv)
	}
	return schemaNames(t, s.Reader())
}

func TestMigrationsFromEveryVersion(t *testing.T) {
	n := len(migrations)
	if n < 2 {
		t.Skip("only one schema version")
	}
	for k := 1; k < n; k++ {
		for _, how := range []string{"closed", "crashed"} {
			t.Run(fmt.Sprintf("from%d_%s", k, how), func(t *testing.T) {
				opts := testOpts
				opts.schemaLimit = k
				dir := t.TempDir()
				s, _ := createT(t, dir, opts, nil)
				if v, _ := s.UserVersion(); v != k {
					t.Fatalf("created at user_version %d, want %d", v, k)
				}
				if got, want := schemaNames(t, s.Reader()), freshSchema(t, k); got != want {
					t.Fatalf("schema at %d:\n%s\nwant\n%s", k, got, want)
				}
				writeVersionData(t, s)
				oldTables := tableColumns(t, s.Reader())
				before := dumpTables(t, s.Reader(), oldTables)
				if how == "closed" {
					s.Close()
				} else {
					abandon(s)
				}

				s = openT(t, dir, testOpts)
				if v, _ := s.UserVersion(); v != n {
					t.Fatalf("after upgrade user_version %d, want %d", v, n)
				}
				if got, want := schemaNames(t, s.Reader()), freshSchema(t, n); got != want {
					t.Fatalf("upgraded schema:\n%s\nwant\n%s", got, want)
				}
				if got := dumpTables(t, s.Reader(), oldTables); got != before {
					t.Fatalf("data changed by the upgrade:\n%s", firstDiff(before, got))
				}
				if ic, _ := s.IntegrityCheck(); ic != "ok" {
					t.Fatalf("integrity %q", ic)
				}
				// Each migration is one journal record holding its SQL and
				// the new user_version, nothing else.
				recs, err := readJournal(s.journal.path, s.storeID, s.gen, s.dek)
				if err != nil {
					t.Fatal(err)
				}
				for v := k + 1; v <= n; v++ {
					found := 0
					for _, r := range recs.records {
						_, stmts, err := decodeRecord(r)
						if err != nil {
							t.Fatal(err)
						}
						if !slices.ContainsFunc(stmts, func(st stmt) bool { return st.SQL == migrations[v-1] }) {
							continue
						}
						found++
						if len(stmts) != 2 || stmts[1].SQL != fmt.Sprintf("PRAGMA user_version = %d", v) {
							t.Fatalf("migration %d record holds %d statements: %v", v, len(stmts), stmts)
						}
					}
					if found != 1 {
						t.Fatalf("migration %d is in %d journal records, want 1", v, found)
					}
				}
				live := dump(t, s.Reader())
				s.Close()
				s = openT(t, dir, testOpts)
				if got := dump(t, s.Reader()); got != live {
					t.Fatalf("upgraded store after reopen:\n%s", firstDiff(live, got))
				}
				s.Close()
			})
		}
	}
}

// TestMigrationInterrupted fails the journal append of a migration: the
// open fails, and the schema stays at a whole version with exactly that
// version's tables; the next open finishes the upgrade.
func TestMigrationInterrupted(t *testing.T) {
	n := len(migrations)
	for k := 1; k < n; k++ {
		for j := 0; k+j < n; j++ { // j migrations get through, then a fault
			t.Run(fmt.Sprintf("from%d_after%d", k, j), func(t *testing.T) {
				opts := testOpts
				opts.schemaLimit = k
				dir := t.TempDir()
				s, _ := createT(t, dir, opts, nil)
				writeVersionData(t, s)
				s.Close()
				fi := &faultInjector{}
				fi.set(func(fi *faultInjector) { fi.writeErr, fi.okWrites, fi.partial = syscall.EIO, j, true })
				fopts := testOpts
				fopts.wrapJournal = fi.wrap
				if _, err := Open(dir, "admin", testPassword, fopts); !errors.As(err, new(*WriteError)) {
					t.Fatalf("open with a failing migration: %v", err)
				}
				hold := testOpts
				hold.schemaLimit = 1 // migrate nothing, look at what is there
				s = openT(t, dir, hold)
				if v, _ := s.UserVersion(); v != k+j {
					t.Fatalf("user_version %d, want %d", v, k+j)
				}
				if got, want := schemaNames(t, s.Reader()), freshSchema(t, k+j); got != want {
					t.Fatalf("schema after an interrupted migration:\n%s\nwant the schema of version %d:\n%s", got, k+j, want)
				}
				abandon(s)
				s = openT(t, dir, testOpts)
				if v, _ := s.UserVersion(); v != n {
					t.Fatalf("finished upgrade at %d, want %d", v, n)
				}
				s.Close()
			})
		}
	}
}

// ---------------------------------------------------------------------
// Key slots

func TestKeySlots(t *testing.T) {
	s, dir, rk := newTestStore(t)
	addNote(t, s, "k", "v")
	if _, err := s.AddUserSlot("li", "li-password-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddUserSlot("LI", "whatever-else"); !errors.Is(err, ErrSlotExists) {
		t.Fatalf("duplicate slot: %v", err)
	}
	s.Close()
	s2, err := Open(dir, "li", "li-password-1", testOpts)
	if err != nil {
		t.Fatalf("open with the new slot: %v", err)
	}
	checkNotes(t, s2, map[string]string{"k": "v"})
	if got := s2.SlotOwner([]string{"admin", "li"}); got != "li" {
		t.Fatalf("slot owner %q", got)
	}

	// Change li's password.
	if _, err := s2.SetUserPassword("li", "li-password-2"); err != nil {
		t.Fatal(err)
	}
	if _, err := s2.VerifyPassword("li", "li-password-1"); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("old password still verifies: %v", err)
	}
	if _, err := s2.VerifyPassword("li", "li-password-2"); err != nil {
		t.Fatal(err)
	}
	s2.Close()
	if _, err := Open(dir, "li", "li-password-1", testOpts); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("old password opens: %v", err)
	}
	s2, err = Open(dir, "li", "li-password-2", testOpts)
	if err != nil {
		t.Fatalf("new password: %v", err)
	}
	s2.Close()

	// Remove li: their password stops working and the data key changes.
	s = openT(t, dir, testOpts)
	oldDEK := slices.Clone(s.dek)
	if err := s.RemoveUserSlot("li"); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(s.dek, oldDEK) {
		t.Fatal("removing a user did not rotate the data key")
	}
	addNote(t, s, "after removal", "v2")
	jpath, storeID, gen := s.journal.path, s.storeID, s.gen
	if _, err := readJournal(jpath, storeID, gen, oldDEK); err == nil {
		t.Fatal("the journal after the rotation opens with the old data key")
	}
	if _, err := readJournal(jpath, storeID, gen, s.dek); err != nil {
		t.Fatalf("journal with the new key: %v", err)
	}
	newDEK := slices.Clone(s.dek)
	abandon(s)
	path := filepath.Join(dir, snapshotFile)
	for _, c := range []struct {
		dek  []byte
		want bool
	}{{oldDEK, false}, {newDEK, true}} {
		f, _ := os.Open(path)
		h, digest, body, err := readSnapshotHeader(path, f)
		if err != nil {
			t.Fatal(err)
		}
		_, err = readSnapshotBody(path, h, digest, body, c.dek, 0)
		f.Close()
		if (err == nil) != c.want {
			t.Fatalf("snapshot with the %s key: %v", map[bool]string{true: "new", false: "old"}[c.want], err)
		}
	}
	if _, err := Open(dir, "li", "li-password-2", testOpts); !errors.Is(err, ErrUnknownUser) {
		t.Fatalf("removed user: %v", err)
	}
	s = openT(t, dir, testOpts)
	checkNotes(t, s, map[string]string{"k": "v", "after removal": "v2"})
	if s.HasUserSlot("li") {
		t.Fatal("li still has a slot")
	}
	s.Close()
	s, err = OpenWithRecoveryKey(dir, rk, testOpts)
	if err != nil {
		t.Fatalf("recovery key after the rotation: %v", err)
	}

	// A new recovery key replaces the old one.
	nk, err := s.NewRecoveryKey()
	if err != nil {
		t.Fatal(err)
	}
	if nk == rk {
		t.Fatal("same recovery key")
	}
	if err := s.VerifyRecoveryKey(rk); !errors.Is(err, ErrWrongRecoveryKey) {
		t.Fatalf("old recovery key verifies: %v", err)
	}
	if err := s.VerifyRecoveryKey(nk); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := OpenWithRecoveryKey(dir, rk, testOpts); !errors.Is(err, ErrWrongRecoveryKey) {
		t.Fatalf("old recovery key opens: %v", err)
	}
	s, err = OpenWithRecoveryKey(dir, strings.ToLower(nk), testOpts)
	if err != nil {
		t.Fatalf("new recovery key: %v", err)
	}
	checkNotes(t, s, map[string]string{"k": "v", "after removal": "v2"})
	s.Close()
}

// ---------------------------------------------------------------------
// Audit chain

func TestAuditChainDetectsTampering(t *testing.T) {
	s, dir, _ := newTestStore(t)
	for i := range 5 {
		mustWrite(t, s, func(tx *Tx) error {
			return AppendAudit(tx, int64(1000+i), "wang", "approve", fmt.Sprint("post", i), "审核通过")
		})
	}
	if n, err := VerifyAudit(s.Reader()); err != nil || n != 5 {
		t.Fatalf("intact chain: %d %v", n, err)
	}
	hashOf := func(q Querier, seq int) []byte {
		var h []byte
		q.QueryRow("SELECT hash FROM audit WHERE seq = ?", seq).Scan(&h)
		return h
	}
	forged := func(q Querier, seq int) AuditEntry {
		e := AuditEntry{Seq: int64(seq), At: 1500, Actor: "forger", Action: "approve", Target: "x", PrevHash: hashOf(q, seq-1)}
		e.Hash = auditHash(e)
		return e
	}
	insertSQL := "INSERT INTO audit(seq, at, actor, action, target, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
	cases := []struct {
		name   string
		seq    int64 // where the break is reported; 0: anywhere
		tamper func(tx *Tx) error
	}{
		{name: "changed row", seq: 3, tamper: func(tx *Tx) error {
			_, err := tx.Exec("UPDATE audit SET detail = '退回' WHERE seq = 3")
			return err
		}},
		{name: "changed time", seq: 2, tamper: func(tx *Tx) error {
			_, err := tx.Exec("UPDATE audit SET at = at + 1 WHERE seq = 2")
			return err
		}},
		{name: "inserted row in the middle", seq: 4, tamper: func(tx *Tx) error {
			if _, err := tx.Exec("UPDATE audit SET seq = seq + 100 WHERE seq >= 3"); err != nil {
				return err
			}
			if _, err := tx.Exec("UPDATE audit SET seq = seq - 99 WHERE seq >= 100"); err != nil {
				return err
			}
			e := forged(tx, 3)
			_, err := tx.Exec(insertSQL, e.Seq, e.At, e.Actor, e.Action, e.Target, e.Detail, e.PrevHash, e.Hash)
			return err
		}},
		{name: "inserted row at the end", seq: 0, tamper: func(tx *Tx) error {
			e := forged(tx, 6)
			_, err := tx.Exec(insertSQL, e.Seq, e.At, e.Actor, e.Action, e.Target, e.Detail, e.PrevHash, e.Hash)
			return err
		}},
		{name: "deleted middle row", seq: 3, tamper: func(tx *Tx) error {
			_, err := tx.Exec("DELETE FROM audit WHERE seq = 3")
			return err
		}},
		{name: "deleted first row", seq: 1, tamper: func(tx *Tx) error {
			_, err := tx.Exec("DELETE FROM audit WHERE seq = 1")
			return err
		}},
		{name: "deleted last row", seq: 5, tamper: func(tx *Tx) error {
			_, err := tx.Exec("DELETE FROM audit WHERE seq = 5")
			return err
		}},
		{name: "deleted head", seq: 5, tamper: func(tx *Tx) error {
			_, err := tx.Exec("DELETE FROM meta WHERE key = 'audit_head'")
			return err
		}},
	}
	check := func(name string, want int64, err error) {
		t.Helper()
		var br *AuditBreak
		if !errors.As(err, &br) {
			t.Fatalf("%s: VerifyAudit = %v, want an AuditBreak", name, err)
		}
		if want != 0 && br.Seq != want {
			t.Fatalf("%s: break reported at %d, want %d (%v)", name, br.Seq, want, err)
		}
	}
	for _, c := range cases {
		// Raw SQL on the write connection, rolled back afterwards.
		s.wmu.Lock()
		sqlTx, err := s.wconn.BeginTx(context.Background(), nil)
		if err != nil {
			s.wmu.Unlock()
			t.Fatal(err)
		}
		tx := &Tx{tx: sqlTx}
		if err := c.tamper(tx); err != nil {
			sqlTx.Rollback()
			s.wmu.Unlock()
			t.Fatalf("%s: %v", c.name, err)
		}
		_, verr := VerifyAudit(sqlTx)
		sqlTx.Rollback()
		s.wmu.Unlock()
		check(c.name, c.seq, verr)
	}
	if n, err := VerifyAudit(s.Reader()); err != nil || n != 5 {
		t.Fatalf("after rollbacks: %d %v", n, err)
	}
	// A committed edit that bypasses AppendAudit is still caught after a
	// reopen.
	mustWrite(t, s, func(tx *Tx) error {
		_, err := tx.Exec("UPDATE audit SET actor = 'li' WHERE seq = 4")
		return err
	})
	s = reopen(t, s, dir)
	defer s.Close()
	_, err := VerifyAudit(s.Reader())
	check("committed change", 4, err)
}

// ---------------------------------------------------------------------
// Attachments

func TestAttachmentRoundTrip(t *testing.T) {
	s, dir, _ := newTestStore(t)
	sizes := []int{0, 1, 64 << 10, 64<<10 + 1, 3 << 20}
	ids := map[string][]byte{}
	for i, n := range sizes {
		content := seededBytes(uint64(100+i), n)
		a, err := s.PutAttachment(bytes.NewReader(content), fmt.Sprintf("f%d.bin", n), "application/octet-stream", int64(i))
		if err != nil {
			t.Fatalf("%d bytes: %v", n, err)
		}
		sum := sha256.Sum256(content)
		if a.Size != int64(n) || !bytes.Equal(a.SHA256, sum[:]) {
			t.Fatalf("%d bytes: described as %d bytes, sha %x", n, a.Size, a.SHA256)
		}
		if got, err := s.GetAttachment(a.ID); err != nil || got.ID != a.ID || got.Size != a.Size || !bytes.Equal(got.SHA256, a.SHA256) || got.Name != a.Name || got.MIME != a.MIME || got.CreatedAt != a.CreatedAt {
			t.Fatalf("%d bytes: GetAttachment %+v %v", n, got, err)
		}
		ids[a.ID] = content
	}
	checkAll := func(s *Store) {
		for id, content := range ids {
			got, err := readAttachment(s, id)
			if err != nil || !bytes.Equal(got, content) {
				t.Fatalf("attachment %s (%d bytes): %d bytes back, %v", id, len(content), len(got), err)
			}
		}
	}
	checkAll(s)
	s = reopen(t, s, dir)
	checkAll(s)

	// Identical content is stored once.
	content := seededBytes(100+3, 64<<10+1)
	a, err := s.PutAttachment(bytes.NewReader(content), "copy.bin", "application/octet-stream", 9)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := ids[a.ID]; !ok {
		t.Fatalf("duplicate content got a new attachment %s", a.ID)
	}
	var files []string
	filepath.WalkDir(filepath.Join(dir, attachmentsDir), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, path)
		}
		return err
	})
	if len(files) != len(sizes) {
		t.Fatalf("%d attachment files for %d distinct contents: %v", len(files), len(sizes), files)
	}
	// File names are keyed, never the plain SHA-256 of the content.
	for _, c := range ids {
		sum := sha256.Sum256(c)
		plain := hex.EncodeToString(sum[:])
		for _, f := range files {
			if strings.Contains(filepath.Base(f), plain) || strings.Contains(f, plain[:16]) {
				t.Fatalf("%s is named after the plain content hash", f)
			}
		}
	}
	if _, err := s.OpenAttachment("00000000-0000-0000-0000-000000000000"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown attachment: %v", err)
	}
	s.Close()
}

// genReader yields n pseudo-random bytes without holding them, sampling
// the heap every few MiB.
type genReader struct {
	n, off int64
	block  []byte
	probe  *heapProbe
}

func (g *genReader) Read(p []byte) (int, error) {
	if g.off >= g.n {
		return 0, io.EOF
	}
	if int64(len(p)) > g.n-g.off {
		p = p[:g.n-g.off]
	}
	for i := range p {
		p[i] = g.block[(g.off+int64(i))%int64(len(g.block))] ^ byte((g.off+int64(i))>>16)
	}
	g.probe.advance(int64(len(p)))
	g.off += int64(len(p))
	return len(p), nil
}

type heapProbe struct {
	start, peak uint64
	since       int64
	samples     int
}

func newHeapProbe() *heapProbe {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return &heapProbe{start: ms.HeapInuse, peak: ms.HeapInuse}
}

func (h *heapProbe) advance(n int64) {
	h.since += n
	if h.since < 4<<20 {
		return
	}
	h.since = 0
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	h.samples++
	h.peak = max(h.peak, ms.HeapInuse)
}

type hashingWriter struct {
	h     hash.Hash
	n     int64
	probe *heapProbe
}

func (w *hashingWriter) Write(p []byte) (int, error) {
	w.h.Write(p)
	w.n += int64(len(p))
	w.probe.advance(int64(len(p)))
	return len(p), nil
}

// TestAttachmentStreaming puts a 200 MiB attachment (20 MiB with -short)
// generated on the fly and reads it back through a hashing writer: the
// heap must not grow with the file.
// TestAttachmentCiphers checks that attachments sealed with either cipher
// open, whichever the processor that wrote them preferred, and that the
// header names the cipher.
func TestAttachmentCiphers(t *testing.T) {
	s, dir, _ := newTestStore(t)
	defer func() { attachmentCipher = seal.Fastest }()
	contents := map[seal.Cipher][]byte{}
	ids := map[seal.Cipher]string{}
	for i, c := range []seal.Cipher{seal.XChaCha20Poly1305, seal.AES256GCM} {
		attachmentCipher = func() seal.Cipher { return c }
		contents[c] = seededBytes(uint64(200+i), 2*seal.ChunkSize+77)
		a, err := s.PutAttachment(bytes.NewReader(contents[c]), "现场照片.jpg", "image/jpeg", 1)
		if err != nil {
			t.Fatal(err)
		}
		ids[c] = a.ID
		raw, err := os.ReadFile(attachmentPath(t, s, a.ID))
		if err != nil {
			t.Fatal(err)
		}
		if seal.Cipher(raw[10]) != c {
			t.Errorf("cipher %d: the header names cipher %d", c, raw[10])
		}
	}
	attachmentCipher = seal.Fastest
	s = reopen(t, s, dir)
	defer s.Close()
	for c, id := range ids {
		if got, err := readAttachment(s, id); err != nil || !bytes.Equal(got, contents[c]) {
			t.Errorf("cipher %d: %d bytes back, %v", c, len(got), err)
		}
	}
}

func TestAttachmentStreaming(t *testing.T) {
	size := int64(200 << 20)
	if testing.Short() {
		size = 20 << 20
	}
	const budget = 64 << 20
	s, _, _ := newTestStore(t)
	defer s.Close()
	probe := newHeapProbe()
	gen := &genReader{n: size, block: seededBytes(7, 1<<20+13), probe: probe}
	want := sha256.New()
	a, err := s.PutAttachment(io.TeeReader(gen, want), "training.mp4", "video/mp4", 1)
	if err != nil {
		t.Fatal(err)
	}
	if a.Size != size || !bytes.Equal(a.SHA256, want.Sum(nil)) {
		t.Fatalf("stored %d bytes, sha %x", a.Size, a.SHA256)
	}
	t.Logf("put: heap in use %d MiB at start, peak %d MiB (%d samples)", probe.start>>20, probe.peak>>20, probe.samples)
	if probe.peak > probe.start+budget {
		t.Fatalf("put: heap grew by %d MiB (budget %d MiB)", (probe.peak-probe.start)>>20, budget>>20)
	}
	probe = newHeapProbe()
	r, err := s.OpenAttachment(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	w := &hashingWriter{h: sha256.New(), probe: probe}
	if _, err := io.Copy(w, r); err != nil {
		t.Fatal(err)
	}
	r.Close()
	if w.n != size || !bytes.Equal(w.h.Sum(nil), a.SHA256) {
		t.Fatalf("read back %d bytes with a different hash", w.n)
	}
	t.Logf("read: heap in use %d MiB at start, peak %d MiB (%d samples)", probe.start>>20, probe.peak>>20, probe.samples)
	if probe.peak > probe.start+budget {
		t.Fatalf("read: heap grew by %d MiB (budget %d MiB)", (probe.peak-probe.start)>>20, budget>>20)
	}
	if probe.samples < int(size>>22)-1 {
		t.Fatalf("only %d heap samples", probe.samples)
	}
}

// TestRebuildWriteChecksForeignKeys: a rebuild runs with foreign keys off
// but is refused, and leaves nothing, if it would leave a dangling
// reference; enforcement is back on after it either way.
func TestRebuildWriteChecksForeignKeys(t *testing.T) {
	s, _, _ := newTestStore(t)
	defer s.Close()
	mustWrite(t, s, func(tx *Tx) error {
		_, err := tx.Exec(`CREATE TABLE parent(id TEXT PRIMARY KEY) STRICT;
			CREATE TABLE child(id TEXT PRIMARY KEY, parent TEXT REFERENCES parent(id)) STRICT;
			INSERT INTO parent VALUES ('p'); INSERT INTO child VALUES ('c', 'p')`)
		return err
	})
	before := dump(t, s.Reader())
	err := s.rebuildWrite(func(tx *Tx) error {
		_, err := tx.Exec("DELETE FROM parent")
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "referring to a missing row of parent") {
		t.Fatalf("a rebuild leaving a dangling reference: %v", err)
	}
	if got := dump(t, s.Reader()); got != before {
		t.Fatalf("refused rebuild changed the store:\n%s", firstDiff(before, got))
	}
	err = s.Write(func(tx *Tx) error {
		_, err := tx.Exec("DELETE FROM parent")
		return err
	})
	if err == nil {
		t.Fatal("foreign keys stayed off after a rebuild")
	}
	if err := s.rebuildWrite(func(tx *Tx) error {
		_, err := tx.Exec(`CREATE TABLE parent2(id TEXT PRIMARY KEY) STRICT; INSERT INTO parent2 SELECT id FROM parent;
			DROP TABLE parent; ALTER TABLE parent2 RENAME TO parent`)
		return err
	}); err != nil {
		t.Fatalf("a rebuild that keeps every reference: %v", err)
	}
}
