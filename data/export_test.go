package data

// Test hooks and helpers shared by the store's tests (tamper, crash,
// determinism, store_more and bench). The tests are in package data, so
// they reach the unexported fault-injection hooks of Options directly.

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
)

const testPassword = "correct horse"

// faultInjector makes the journal file fail on demand (disk full, stick
// pulled, read-only file system). Install it with Options.wrapJournal =
// fi.wrap. The zero value injects nothing.
type faultInjector struct {
	mu        sync.Mutex
	writeErr  error // returned by Write once armed
	partial   bool  // Write puts half the bytes on disk before failing
	syncErr   error // returned by Sync
	truncErr  error // returned by Truncate
	truncOnce bool  // clear truncErr after it fired once
	okWrites  int   // Writes that still succeed before writeErr fires (-1: unlimited)
	writes    int   // successful Writes so far
}

func (fi *faultInjector) wrap(f journalFile) journalFile { return &faultFile{journalFile: f, fi: fi} }

func (fi *faultInjector) set(fn func(fi *faultInjector)) {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	fn(fi)
}

func (fi *faultInjector) clear() {
	fi.set(func(fi *faultInjector) {
		fi.writeErr, fi.syncErr, fi.truncErr, fi.partial, fi.okWrites = nil, nil, nil, false, 0
	})
}

type faultFile struct {
	journalFile
	fi *faultInjector
}

func (f *faultFile) Write(p []byte) (int, error) {
	f.fi.mu.Lock()
	err := f.fi.writeErr
	if err != nil && f.fi.okWrites > 0 {
		// okWrites counts record writes; the zeros that make room ahead
		// of them pass while it lasts and fail once it is spent.
		if !allZero(p) {
			f.fi.okWrites--
		}
		err = nil
	}
	partial := f.fi.partial
	f.fi.mu.Unlock()
	if err != nil {
		if partial {
			n, _ := f.journalFile.Write(p[:len(p)/2])
			return n, err
		}
		return 0, err
	}
	n, err := f.journalFile.Write(p)
	if err == nil {
		f.fi.mu.Lock()
		f.fi.writes++
		f.fi.mu.Unlock()
	}
	return n, err
}

func (f *faultFile) Sync() error {
	f.fi.mu.Lock()
	err := f.fi.syncErr
	f.fi.mu.Unlock()
	if err != nil {
		return err
	}
	return f.journalFile.Sync()
}

func (f *faultFile) Truncate(size int64) error {
	f.fi.mu.Lock()
	err := f.fi.truncErr
	if err != nil && f.fi.truncOnce {
		f.fi.truncErr = nil
	}
	f.fi.mu.Unlock()
	if err != nil {
		return err
	}
	return f.journalFile.Truncate(size)
}

// abandon drops a store the way a crash would: no compaction, no final
// snapshot; only the lock, the files and memory are released.
func abandon(s *Store) {
	s.bg.Wait()
	s.cmu.Lock()
	s.wmu.Lock()
	s.closed = true
	s.wmu.Unlock()
	s.cmu.Unlock()
	s.release()
}

func openT(t testing.TB, dir string, opts Options) *Store {
	t.Helper()
	s, err := Open(dir, "admin", testPassword, opts)
	if err != nil {
		t.Fatalf("open %s: %v", dir, err)
	}
	return s
}

func createT(t testing.TB, dir string, opts Options, setup func(*Tx) error) (*Store, string) {
	t.Helper()
	s, rk, err := Create(dir, "admin", testPassword, opts, setup)
	if err != nil {
		t.Fatalf("create %s: %v", dir, err)
	}
	return s, rk
}

// copyDir copies every file under src to dst (the data directory as a
// backup tool or a power cut would find it).
func copyDir(t testing.TB, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o700)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// dirBytes returns every file under dir by relative path.
func dirBytes(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		out[rel] = b
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameDir(t testing.TB, before, after map[string][]byte, what string) {
	t.Helper()
	for name, b := range before {
		a, ok := after[name]
		if !ok {
			t.Errorf("%s: %s was removed", what, name)
		} else if !bytes.Equal(a, b) {
			t.Errorf("%s: %s was changed", what, name)
		}
	}
	for name := range after {
		if _, ok := before[name]; !ok {
			t.Errorf("%s: %s was created", what, name)
		}
	}
}

// wantDamaged checks that err is a DamagedError naming file.
func wantDamaged(t testing.TB, err error, file, what string) {
	t.Helper()
	var de *DamagedError
	if !errors.As(err, &de) {
		t.Fatalf("%s: got %v, want a DamagedError naming %s", what, err, file)
	}
	if de.File != file {
		t.Fatalf("%s: DamagedError names %q, want %q (%v)", what, de.File, file, err)
	}
	if !strings.Contains(err.Error(), file) {
		t.Fatalf("%s: message does not name the file: %v", what, err)
	}
}

// mustFailOpen opens dir expecting failure; if the open succeeds the store
// is dropped without writing anything and the test fails.
func mustFailOpen(t testing.TB, dir, what string) error {
	t.Helper()
	s, err := Open(dir, "admin", testPassword, testOpts)
	if err == nil {
		abandon(s)
		t.Fatalf("%s: store opened", what)
	}
	return err
}

// flipByte xors one byte of a file in place.
func flipByte(t testing.TB, path string, off int64, mask byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b := []byte{0}
	if _, err := f.ReadAt(b, off); err != nil {
		t.Fatal(err)
	}
	b[0] ^= mask
	if _, err := f.WriteAt(b, off); err != nil {
		t.Fatal(err)
	}
}

// snapshotHeaderLen returns the length of store.mds's header (checksum
// included).
func snapshotHeaderLen(t testing.TB, raw []byte) int {
	t.Helper()
	fixed := 8 + 2 + 2 + 16 + 8 + 16 + 4
	n := int(uint32(raw[fixed-4]) | uint32(raw[fixed-3])<<8 | uint32(raw[fixed-2])<<16 | uint32(raw[fixed-1])<<24)
	return fixed + n + sha256.Size
}

// journalFiles lists the journal files of dir, oldest first.
func journalFiles(t testing.TB, dir string) []string {
	t.Helper()
	gens, err := journalGens(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, g := range gens {
		out = append(out, filepath.Join(dir, journalName(g)))
	}
	return out
}

// recordOffsets returns the start offset of every whole record of a
// journal file and the offset after the last one.
func recordOffsets(t testing.TB, raw []byte) []int {
	t.Helper()
	var offs []int
	pos := journalHeaderSize
	for pos+frameHeaderSize <= len(raw) {
		n := int(uint32(raw[pos]) | uint32(raw[pos+1])<<8 | uint32(raw[pos+2])<<16 | uint32(raw[pos+3])<<24)
		end := pos + frameHeaderSize + n
		// zeros (room made ahead), a cut record, or one whose tag never
		// reached the disk end the whole records
		if n == 0 || end > len(raw) || n < 16 || allZero(raw[end-16:end]) {
			break
		}
		offs = append(offs, pos)
		pos += frameHeaderSize + n
	}
	return append(offs, pos)
}

// dump returns a canonical text form of the whole database: sqlite_schema
// (without root pages), PRAGMA user_version and every table's rows in
// rowid (or primary-key) order with typed values.
func dump(t testing.TB, q Querier) string {
	t.Helper()
	var b strings.Builder
	var uv int64
	if err := q.QueryRow("PRAGMA user_version").Scan(&uv); err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "user_version %d\n", uv)
	rows, err := q.Query("SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_schema ORDER BY type, name")
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var typ, name, tbl, sqlText string
		if err := rows.Scan(&typ, &name, &tbl, &sqlText); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "schema %s %s %s %q\n", typ, name, tbl, sqlText)
		if typ == "table" {
			tables = append(tables, name)
		}
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	sort.Strings(tables)
	for _, tbl := range tables {
		fmt.Fprintf(&b, "table %s\n", tbl)
		query := fmt.Sprintf("SELECT rowid, * FROM %q ORDER BY rowid", tbl)
		if withoutRowid(t, q, tbl) {
			query = fmt.Sprintf("SELECT * FROM %q ORDER BY %s", tbl, pkColumns(t, q, tbl))
		}
		dumpRows(t, &b, q, query)
	}
	return b.String()
}

func withoutRowid(t testing.TB, q Querier, tbl string) bool {
	var sqlText string
	if err := q.QueryRow("SELECT coalesce(sql, '') FROM sqlite_schema WHERE name = ?", tbl).Scan(&sqlText); err != nil {
		t.Fatal(err)
	}
	return strings.Contains(strings.ToUpper(sqlText), "WITHOUT ROWID")
}

func pkColumns(t testing.TB, q Querier, tbl string) string {
	rows, err := q.Query("SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", tbl)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		rows.Scan(&c)
		cols = append(cols, strconv.Quote(c))
	}
	return strings.Join(cols, ", ")
}

func dumpRows(t testing.TB, b *strings.Builder, q Querier, query string) {
	rows, err := q.Query(query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, v := range vals {
			if i > 0 {
				b.WriteByte('|')
			}
			b.WriteString(fmtValue(v))
		}
		b.WriteByte('\n')
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}

func fmtValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case int64:
		return "i:" + strconv.FormatInt(x, 10)
	case float64:
		return "f:" + strconv.FormatFloat(x, 'g', -1, 64) + "/" + strconv.FormatUint(math.Float64bits(x), 16)
	case string:
		return "t:" + strconv.Quote(x)
	case []byte:
		return "b:" + hex.EncodeToString(x)
	default:
		return fmt.Sprintf("%T:%v", v, v)
	}
}

// sha256Hex hashes everything r yields.
func sha256Hex(t testing.TB, r io.Reader) string {
	t.Helper()
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// randomBytes fills n bytes from a seeded generator (repeatable).
func seededBytes(seed uint64, n int) []byte {
	var k [32]byte
	binary.LittleEndian.PutUint64(k[:], seed)
	b := make([]byte, n)
	rand.NewChaCha8(k).Read(b)
	return b
}
