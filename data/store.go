// Package data is the only package that touches SQLite. It keeps every
// record in a sealed store: SQLite in memory, and on disk only an
// encrypted snapshot plus an encrypted journal with one record per
// committed write transaction (docs/store-format.md).
package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/google/uuid"
	"github.com/mattn/go-sqlite3"
)

const (
	// sizeLimit caps the in-memory database (attachments live outside it).
	// memdb grows its buffer by doubling, clamped to this cap, and SQLite
	// refuses any one allocation above SQLITE_MAX_ALLOCATION_SIZE (just
	// under 2 GiB): a cap below that lets the last step succeed, so a full
	// store reports ErrStoreFull rather than running out of memory.
	sizeLimit = 2_000_000_000
	// defaultCompactBytes is the journal size that starts a background
	// compaction.
	defaultCompactBytes = 16 << 20
	// defaultPartBytes is the record bytes of statements a transaction
	// gathers before it writes them as a part record (journal.go).
	defaultPartBytes = 4 << 20
	fcntlSizeLimit   = 36 // SQLITE_FCNTL_SIZE_LIMIT
)

// driverName is go-sqlite3 with every connection set to keep temporary
// tables, sorts and statement journals in memory (the library's default,
// SQLITE_TEMP_STORE=1, would spill plaintext to files in the system's
// temp directory), to fire delete triggers for rows that INSERT OR REPLACE
// replaces (the search index's triggers rely on them), and given the
// search index's SQL function.
const driverName = "sqlite3-mediadesk"

func init() {
	sql.Register(driverName, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		if _, err := c.Exec("PRAGMA temp_store = MEMORY; PRAGMA recursive_triggers = ON", nil); err != nil {
			return err
		}
		return registerSearchFuncs(c)
	}})
}

// Options tune a store. The zero value gives production settings.
type Options struct {
	// KDF is used for key slots made by this session (zero: DefaultKDF).
	KDF KDFParams
	// CompactBytes is the journal size that triggers a background
	// compaction (zero: 16 MiB).
	CompactBytes int64

	wrapJournal   func(journalFile) journalFile // fault injection in tests
	schemaLimit   int                           // migrate only this far (tests)
	indexNowLimit int                           // owed entries an import makes itself (tests; < 0: none)
	indexBatch    int                           // owed entries per background write (tests)
	partBytes     int                           // a transaction's record bytes per part record (tests; zero: 4 MiB)
}

func (o Options) kdf() KDFParams {
	if o.KDF == (KDFParams{}) {
		return DefaultKDF
	}
	return o.KDF
}

// Store is an open, unlocked sealed store. It is safe for concurrent use.
type Store struct {
	dir  string
	opts Options
	lock *os.File
	db   *sql.DB
	// anchor keeps the shared in-memory database alive and serializes it.
	anchor *sql.Conn
	// wconn is the only connection that writes.
	wconn *sql.Conn

	wmu     sync.Mutex // held for every write transaction
	cmu     sync.Mutex // held by whoever writes a snapshot
	amu     sync.Mutex // held while an attachment file is named and renamed
	storeID []byte
	gen     uint64
	dek     []byte
	slots   []*keySlot
	slotID  string
	journal *journal
	broken  error
	closed  bool
	bg      sync.WaitGroup
	// compacting is set while a background compaction runs.
	compacting atomic.Bool
	closing    bool // Close has begun: no new background compaction (under wmu)
	indexing   bool // a goroutine makes owed search entries (under wmu)
}

// Exists reports whether dir holds a store, or what is left of one:
// journals without the snapshot (a copy that lost it, or a file system
// whose rename did not survive a power cut). Open then reports that as
// damage, and Create refuses to overwrite it. A snapshot temp file alone
// is a first setup that never finished: no store.
func Exists(dir string) bool {
	if _, err := os.Stat(filepath.Join(dir, snapshotFile)); err == nil {
		return true
	}
	return leftWithoutSnapshot(dir)
}

// leftWithoutSnapshot reports whether dir holds journals. (Create writes
// the first snapshot before the first journal, so journals never outlive
// an interrupted setup.)
func leftWithoutSnapshot(dir string) bool {
	gens, err := journalGens(dir)
	return err == nil && len(gens) > 0
}

// errSnapshotMissing is what open reports for a directory where the
// snapshot is gone but journals remain.
func errSnapshotMissing(dir string) error {
	return damaged(filepath.Join(dir, snapshotFile), "the snapshot is missing but journals remain")
}

// Create makes a new store in dir with one user slot (name, password) and
// a recovery-key slot, runs every schema migration and then setup, all in
// memory, and writes the first snapshot atomically. It returns the open
// store and the recovery key, which is shown once and never stored.
func Create(dir, name, password string, opts Options, setup func(*Tx) error) (*Store, string, error) {
	if len([]rune(password)) < MinPasswordLength {
		return nil, "", ErrWeakPassword
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, "", &ReadOnlyError{Dir: dir, Err: err}
	}
	lock, err := lockDir(filepath.Join(dir, lockFile))
	if err != nil {
		return nil, "", lockError(dir, err)
	}
	if Exists(dir) {
		lock.Close()
		return nil, "", ErrExists
	}
	s := &Store{dir: dir, opts: opts, lock: lock, storeID: randomBytes(16), dek: randomBytes(32), gen: 1}
	recovery := newRecoveryKey()
	user, err := newSlot(s.storeID, slotUser, name, password, opts.kdf())
	if err == nil {
		err = user.wrap(s.storeID, s.dek)
	}
	if err == nil {
		var rec *keySlot
		rec, err = newSlot(s.storeID, slotRecovery, recoveryName, normalRecoveryKey(recovery), opts.kdf())
		if err == nil {
			err = rec.wrap(s.storeID, s.dek)
		}
		s.slots = []*keySlot{user, rec}
	}
	if err == nil {
		s.slotID = user.ID
		err = s.openMemory(nil)
	}
	if err == nil {
		err = s.migrate()
	}
	if err == nil && setup != nil {
		err = s.Write(setup)
	}
	if err == nil {
		err = s.writeSnapshotLocked()
	}
	if err == nil {
		s.journal, err = createJournal(dir, s.storeID, s.gen, s.dek, opts.wrapJournal)
	}
	if err != nil {
		s.release()
		os.Remove(filepath.Join(dir, snapshotFile))
		return nil, "", err
	}
	return s, recovery, nil
}

// Open unlocks the store in dir with a user's name and password.
func Open(dir, name, password string, opts Options) (*Store, error) {
	return open(dir, opts, func(sl *keySlot) bool { return sl.Kind == slotUser && sl.matches(name) }, password)
}

// OpenWithRecoveryKey unlocks the store with the recovery key.
func OpenWithRecoveryKey(dir, recoveryKey string, opts Options) (*Store, error) {
	s, err := open(dir, opts, func(sl *keySlot) bool { return sl.Kind == slotRecovery }, normalRecoveryKey(recoveryKey))
	if errors.Is(err, ErrWrongPassword) {
		return nil, ErrWrongRecoveryKey
	}
	return s, err
}

func lockError(dir string, err error) error {
	if errors.Is(err, ErrInUse) {
		return ErrInUse
	}
	return &ReadOnlyError{Dir: dir, Err: err}
}

func open(dir string, opts Options, pick func(*keySlot) bool, secret string) (*Store, error) {
	path := filepath.Join(dir, snapshotFile)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		if leftWithoutSnapshot(dir) {
			return nil, errSnapshotMissing(dir)
		}
		return nil, ErrNoStore
	}
	// Lock before reading the snapshot: an instance that is closing may
	// still rename a newer snapshot and delete the journals the older one
	// needs.
	lock, err := lockDir(filepath.Join(dir, lockFile))
	if err != nil {
		return nil, lockError(dir, err)
	}
	f, err := os.Open(path)
	if err != nil {
		lock.Close()
		if errors.Is(err, fs.ErrNotExist) {
			if leftWithoutSnapshot(dir) {
				return nil, errSnapshotMissing(dir)
			}
			return nil, ErrNoStore
		}
		return nil, err
	}
	defer f.Close()
	s := &Store{dir: dir, opts: opts, lock: lock}
	if err := s.load(f, path, pick, secret); err != nil {
		s.release()
		return nil, err
	}
	return s, nil
}

func (s *Store) load(f *os.File, path string, pick func(*keySlot) bool, secret string) error {
	h, digest, body, err := readSnapshotHeader(path, f)
	if err != nil {
		return err
	}
	var slot *keySlot
	var dek []byte
	err = ErrUnknownUser
	for _, sl := range h.Slots {
		if !pick(sl) {
			continue
		}
		slot = sl
		if dek, err = sl.open(h.StoreID, secret); err != ErrWrongPassword {
			break
		}
	}
	if err == errSlotDamaged {
		return damaged(path, "key slot does not open")
	}
	if err != nil {
		return err
	}
	var sizeHint int64
	if fi, err := f.Stat(); err == nil {
		sizeHint = fi.Size()
	}
	img, err := readSnapshotBody(path, h, digest, body, dek, sizeHint)
	if err != nil {
		return err
	}
	s.storeID, s.gen, s.dek, s.slots, s.slotID = h.StoreID, h.Gen, dek, h.Slots, slot.ID
	if err := s.openMemory(img); err != nil {
		return err
	}
	if err := s.replay(); err != nil {
		return err
	}
	if err := s.migrate(); err != nil {
		return err
	}
	if err := s.removeLeftovers(h.Gen); err != nil {
		return err
	}
	return s.resumeIndexing()
}

// stmtCacheSize is how many prepared statements each connection keeps
// for reuse (go-sqlite3's per-connection cache, keyed by the exact SQL
// text): preparing costs more than running most of this app's statements,
// and sync runs the same few thousands of times in one transaction.
// readConns is how many read connections stay open between uses, so that
// their caches do: an export reads with several goroutines at once.
const (
	stmtCacheSize = 128
	readConns     = 6
)

// openMemory creates the shared in-memory database and loads img into it.
func (s *Store) openMemory(img []byte) error {
	dsn := fmt.Sprintf("file:/mediadesk-%s?vfs=memdb&_txlock=exclusive&_busy_timeout=10000&_foreign_keys=1&_journal_mode=MEMORY&_stmt_cache_size=%d",
		uuid.NewString(), stmtCacheSize)
	db, err := sql.Open(driverName, dsn)
	if err != nil {
		return err
	}
	db.SetMaxIdleConns(readConns)
	s.db = db
	ctx := context.Background()
	if s.anchor, err = db.Conn(ctx); err != nil {
		return err
	}
	if s.wconn, err = db.Conn(ctx); err != nil {
		return err
	}
	return s.anchor.Raw(func(dc any) error {
		c := dc.(*sqlite3.SQLiteConn)
		if err := c.SetFileControlInt64("main", fcntlSizeLimit, sizeLimit); err != nil {
			return fmt.Errorf("data: raise memdb size limit: %w", err)
		}
		if len(img) == 0 {
			return nil
		}
		return restoreImage(c, img)
	})
}

// restoreImage copies a serialized database into dst with the backup API
// (deserializing straight into dst would detach it from the shared memdb).
func restoreImage(dst *sqlite3.SQLiteConn, img []byte) error {
	tmp, err := (&sqlite3.SQLiteDriver{}).Open(":memory:")
	if err != nil {
		return err
	}
	src := tmp.(*sqlite3.SQLiteConn)
	defer src.Close()
	if err := src.Deserialize(img, "main"); err != nil {
		return err
	}
	b, err := dst.Backup("main", src, "main")
	if err != nil {
		return err
	}
	if _, err := b.Step(-1); err != nil {
		b.Finish()
		return err
	}
	return b.Finish()
}

// image serializes the live database. The caller holds wmu.
func (s *Store) image() ([]byte, error) {
	var img []byte
	err := s.anchor.Raw(func(dc any) error {
		var err error
		img, err = dc.(*sqlite3.SQLiteConn).Serialize("main")
		return err
	})
	return img, err
}

// replay applies every journal of the snapshot's generation and later, in
// order, then reopens the newest for appending.
func (s *Store) replay() error {
	gens, err := journalGens(s.dir)
	if err != nil {
		return err
	}
	type pendingRecord struct {
		plain []byte
		file  string // the journal it came from, for errors
		index int    // its place in that journal
	}
	var pending []pendingRecord
	last := s.gen
	var lastRecs *journalRecords
	for _, g := range gens {
		if g < s.gen {
			continue
		}
		// The snapshot's own journal comes first (it exists from the moment
		// the snapshot does); each later one follows without a gap.
		if lastRecs == nil && g != s.gen {
			return damaged(filepath.Join(s.dir, journalName(s.gen)), "journal generation missing")
		}
		if lastRecs != nil && g != last+1 {
			return damaged(filepath.Join(s.dir, journalName(last+1)), "journal generation missing")
		}
		if lastRecs != nil && lastRecs.torn {
			return damaged(filepath.Join(s.dir, journalName(last)), "torn record before a later journal")
		}
		path := filepath.Join(s.dir, journalName(g))
		recs, err := readJournal(path, s.storeID, g, s.dek)
		if err != nil {
			return err
		}
		for i, r := range recs.records {
			pending = append(pending, pendingRecord{plain: r, file: path, index: i})
		}
		last, lastRecs = g, recs
	}
	// A transaction's parts come before its commit record, and apply with
	// it; parts that no commit follows (a crash or failure while the
	// transaction ran) end the last journal, and are dropped.
	var group []stmt
	groupStart := -1
	for i, rec := range pending {
		kind, stmts, err := decodeRecord(rec.plain)
		if err != nil {
			return damaged(rec.file, fmt.Sprintf("record %d: content unreadable", rec.index))
		}
		if groupStart >= 0 && pending[groupStart].file != rec.file {
			return damaged(pending[groupStart].file, "a transaction's parts without its commit before a later journal")
		}
		switch {
		case kind == recordAbort:
			continue
		case kind == recordPart:
			if groupStart < 0 {
				groupStart = i
			}
			group = append(group, stmts...)
			continue
		}
		all := append(group, stmts...)
		group, groupStart = nil, -1
		if i+1 < len(pending) && len(pending[i+1].plain) == 1 && pending[i+1].plain[0] == recordAbort {
			continue
		}
		if err := s.applyRecorded(kind, all); err != nil {
			return fmt.Errorf("data: replay of record %d of %s failed: %w", rec.index, rec.file, err)
		}
	}
	if groupStart >= 0 {
		if pending[groupStart].file != filepath.Join(s.dir, journalName(last)) {
			return damaged(pending[groupStart].file, "a transaction's parts without its commit before a later journal")
		}
		lastRecs.dropParts(pending[groupStart].index)
	}
	if lastRecs == nil {
		s.journal, err = createJournal(s.dir, s.storeID, s.gen, s.dek, s.opts.wrapJournal)
		return err
	}
	s.gen = last
	s.journal, err = openJournalForAppend(s.dir, s.storeID, last, s.dek, lastRecs, s.opts.wrapJournal)
	return err
}

func (s *Store) applyRecorded(kind byte, stmts []stmt) error {
	if kind == recordRebuild {
		restore, err := s.foreignKeysOff()
		if err != nil {
			return err
		}
		defer restore()
	}
	tx, err := s.wconn.BeginTx(context.Background(), nil)
	if err != nil {
		return err
	}
	for _, st := range stmts {
		if _, err := tx.Exec(st.SQL, st.Args...); err != nil {
			tx.Rollback()
			return err
		}
	}
	if kind == recordRebuild {
		if err := foreignKeyCheck(tx); err != nil {
			tx.Rollback()
			return err
		}
	}
	return tx.Commit()
}

// foreignKeysOff turns foreign-key enforcement off on the write
// connection (it cannot change inside a transaction) and returns what
// turns it on again. If even that fails the store stops writing: it
// must not go on without enforcement.
func (s *Store) foreignKeysOff() (restore func(), err error) {
	ctx := context.Background()
	if _, err := s.wconn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
		return nil, sqlError(err)
	}
	return func() {
		if _, err := s.wconn.ExecContext(ctx, "PRAGMA foreign_keys = ON"); err != nil {
			s.broken = fmt.Errorf("data: store stopped: foreign-key enforcement could not be turned on again; reopen it: %w", err)
		}
	}, nil
}

// foreignKeyCheck fails if any row refers to a row that does not exist.
func foreignKeyCheck(tx *sql.Tx) error {
	var table, parent string
	var rowid sql.NullInt64
	var fk int
	err := tx.QueryRow("PRAGMA foreign_key_check").Scan(&table, &rowid, &parent, &fk)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return sqlError(err)
	}
	return fmt.Errorf("data: a rebuild would leave a row of %s (rowid %d) referring to a missing row of %s", table, rowid.Int64, parent)
}

// removeLeftovers deletes what an interrupted compaction left behind:
// journals older than the snapshot on disk (snapGen), not older than the
// newest journal replay found — after a crash before the rename, the
// snapshot's own journal still holds records the snapshot lacks.
func (s *Store) removeLeftovers(snapGen uint64) error {
	os.Remove(filepath.Join(s.dir, snapshotFile+".tmp"))
	if err := s.removeOldJournals(snapGen); err != nil {
		return err
	}
	if tmps, err := filepath.Glob(filepath.Join(s.dir, "journal-*.mdj.tmp")); err == nil {
		for _, t := range tmps {
			os.Remove(t)
		}
	}
	return removeAttachmentTemps(s.dir)
}

// Tx is a write transaction. Every statement that changes data goes
// through Exec and is recorded for the journal.
type Tx struct {
	tx *sql.Tx
	// stmts are the statements run and not yet handed to the journal,
	// stmtsSize their record bytes, and ran how many have run in all.
	stmts     []stmt
	stmtsSize int
	ran       int
	// parts writes a large transaction's statements to the journal as it
	// runs (journal.go); nil until the first part, and for a store
	// without a journal.
	parts     *partWriter
	journal   *journal
	partBytes int
	failed    error
	// indexOwed is set when the transaction leaves search entries owed
	// for the store to make after it commits (searchowed.go).
	indexOwed bool
	// timeCalls caches, per statement text checked in this transaction,
	// whether it calls a date or time function (an import runs the same
	// long INSERT text hundreds of times).
	timeCalls map[string]bool
}

// Exec runs a statement that changes data. Arguments must be int64, int,
// float64, string, []byte, bool or nil, and the SQL must not read the clock
// or random numbers. Any failed statement fails the whole transaction.
func (t *Tx) Exec(query string, args ...any) (sql.Result, error) {
	if t.failed != nil {
		return nil, t.failed
	}
	if err := t.checkDeterministic(query, args); err != nil {
		t.failed = err
		return nil, err
	}
	norm := make([]any, len(args))
	for i, a := range args {
		v, err := normalArg(a)
		if err != nil {
			t.failed = err
			return nil, err
		}
		norm[i] = v
	}
	res, err := t.tx.Exec(query, norm...)
	if err != nil {
		t.failed = sqlError(err)
		return nil, t.failed
	}
	st := stmt{SQL: query, Args: norm}
	t.stmts, t.stmtsSize, t.ran = append(t.stmts, st), t.stmtsSize+stmtSize(st), t.ran+1
	if t.journal != nil && t.stmtsSize >= t.partBytes {
		if t.parts == nil {
			t.parts = t.journal.startParts()
		}
		t.parts.add(t.stmts)
		t.stmts, t.stmtsSize = nil, 0
	}
	return res, nil
}

// checkDeterministic refuses a written statement that would replay
// differently: one reading the clock or a random source, in its SQL or,
// for the date and time functions, through its arguments. A text's
// verdict is remembered for the transaction; only a text that calls a
// date or time function has its arguments checked each time.
func (t *Tx) checkDeterministic(query string, args []any) error {
	calls, seen := t.timeCalls[query]
	if !seen {
		var err error
		if calls, err = checkStatementText(query); err != nil {
			return err
		}
		if t.timeCalls == nil {
			t.timeCalls = map[string]bool{}
		}
		t.timeCalls[query] = calls
	}
	if !calls {
		return nil
	}
	return checkTimeArgs(args)
}

// Query runs a read inside the transaction.
func (t *Tx) Query(query string, args ...any) (*sql.Rows, error) { return t.tx.Query(query, args...) }

// QueryRow runs a single-row read inside the transaction.
func (t *Tx) QueryRow(query string, args ...any) *sql.Row { return t.tx.QueryRow(query, args...) }

func sqlError(err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) && (se.Code == sqlite3.ErrFull || se.Code == sqlite3.ErrNomem) {
		return ErrStoreFull
	}
	return err
}

// Write runs fn in one transaction. The transaction's statements are
// sealed into the journal and fsynced before the in-memory commit, so
// when Write returns nil the change survives a crash; when it returns an
// error nothing of it was applied.
func (s *Store) Write(fn func(*Tx) error) error { return s.write(recordCommit, fn) }

// rebuildWrite is Write with foreign-key enforcement off, for a migration
// that rebuilds a table other tables refer to (SQLite changes a table's
// constraints no other way). Before the commit PRAGMA foreign_key_check
// must find nothing. The journal record says the write was a rebuild, and
// replay runs it the same way.
func (s *Store) rebuildWrite(fn func(*Tx) error) error { return s.write(recordRebuild, fn) }

// write is Write and rebuildWrite; kind is the journal record's.
func (s *Store) write(kind byte, fn func(*Tx) error) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if s.closed {
		return ErrClosed
	}
	if s.broken != nil {
		return s.broken
	}
	if kind == recordRebuild {
		restore, err := s.foreignKeysOff()
		if err != nil {
			return err
		}
		defer restore()
	}
	sqlTx, err := s.wconn.BeginTx(context.Background(), nil)
	if err != nil {
		return sqlError(err)
	}
	tx := &Tx{tx: sqlTx, journal: s.journal, partBytes: s.partBytes()}
	var size int64
	var next uint64
	if s.journal != nil {
		size, next = s.journal.size, s.journal.next
	}
	defer func() {
		// A panic in fn must not leave parts in the journal for the next
		// commit to follow: they would replay with it.
		if r := recover(); r != nil {
			sqlTx.Rollback()
			if tx.parts != nil {
				tx.parts.finish()
				s.journal.cut(size, next)
			}
			panic(r)
		}
	}()
	err = fn(tx)
	if err == nil {
		err = tx.failed
	}
	if err == nil && kind == recordRebuild {
		err = foreignKeyCheck(sqlTx)
	}
	if tx.parts != nil {
		if perr := tx.parts.finish(); err == nil {
			err = perr
		}
	}
	if err != nil {
		sqlTx.Rollback()
		if tx.parts != nil {
			// Parts without their commit are never replayed; cutting them
			// off keeps the next record from following them.
			s.journal.cut(size, next)
		}
		return err
	}
	if tx.ran == 0 {
		return sqlTx.Rollback()
	}
	if s.journal == nil {
		return sqlError(sqlTx.Commit())
	}
	if err := s.journal.appendSealed(appendCommit(newRecord(commitSize(tx.stmts)), kind, tx.stmts)); err != nil {
		sqlTx.Rollback()
		if tx.parts != nil {
			s.journal.cut(size, next)
		}
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		// The record is durable but not applied (a deferred constraint
		// failed): cut it off again, or stop writing if even that fails,
		// so that no replay can bring back what was reported as failed.
		if cerr := s.journal.cut(size, next); cerr != nil {
			s.broken = fmt.Errorf("data: store stopped after a failed commit; reopen it: %w", cerr)
		}
		return sqlError(err)
	}
	if s.journal.size > s.compactBytes() && !s.closing {
		s.startBackgroundCompaction()
	}
	if tx.indexOwed {
		s.startBackgroundIndexing()
	}
	return nil
}

// partBytes is how many record bytes of statements a transaction
// gathers before it writes them to the journal as a part record.
func (s *Store) partBytes() int {
	if s.opts.partBytes > 0 {
		return s.opts.partBytes
	}
	return defaultPartBytes
}

func (s *Store) compactBytes() int64 {
	if s.opts.CompactBytes > 0 {
		return s.opts.CompactBytes
	}
	return defaultCompactBytes
}

// Querier is what read helpers need: the store's pool or a write
// transaction.
type Querier interface {
	Query(query string, args ...any) (*sql.Rows, error)
	QueryRow(query string, args ...any) *sql.Row
}

// Reader returns the store's read pool. Reads run in memory; they wait
// only while a write transaction is committing (its journal fsync).
func (s *Store) Reader() Querier { return s.db }

// Dir returns the data directory.
func (s *Store) Dir() string { return s.dir }

// IntegrityCheck runs SQLite's integrity check and returns its findings
// ("ok" when sound).
func (s *Store) IntegrityCheck() (string, error) {
	var out []string
	rows, err := s.db.Query("PRAGMA integrity_check")
	if err != nil {
		return "", err
	}
	defer rows.Close()
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return "", err
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n"), rows.Err()
}

// Close compacts what the journal holds into a fresh snapshot, then
// releases memory and the directory lock.
func (s *Store) Close() error {
	// No write starts a background compaction from here on, so the wait
	// below is the last: none can outlive the directory lock.
	s.wmu.Lock()
	s.closing = true
	s.wmu.Unlock()
	s.bg.Wait()
	// Holding cmu from here to the release, no Compact called meanwhile
	// can start its snapshot or outlive the lock either.
	s.cmu.Lock()
	defer s.cmu.Unlock()
	var err error
	s.wmu.Lock()
	if s.closed {
		s.wmu.Unlock()
		return nil
	}
	needCompact := s.broken == nil && s.journal != nil && s.journal.next > 0
	s.wmu.Unlock()
	if needCompact {
		err = s.compactLocked()
	}
	s.wmu.Lock()
	s.closed = true
	s.wmu.Unlock()
	s.release()
	return err
}

func (s *Store) release() {
	if s.journal != nil {
		s.journal.close()
	}
	if s.wconn != nil {
		s.wconn.Close()
	}
	if s.anchor != nil {
		s.anchor.Close()
	}
	if s.db != nil {
		s.db.Close()
	}
	if s.lock != nil {
		s.lock.Close()
	}
}
