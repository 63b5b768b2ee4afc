package data

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// These tests run compactions (explicit, and the background ones Write
// starts past Options.CompactBytes), writes, attachments and Close at the
// same time. Run them under the race detector too:
//
//	go test -race -run 'Concurrent|Race' ./data/

// raceOpts compacts in the background after every few writes.
var raceOpts = Options{KDF: testKDF, CompactBytes: 4 << 10}

// raceTable creates the table the writers below fill.
func raceTable(tx *Tx) error {
	_, err := tx.Exec("CREATE TABLE race(k TEXT PRIMARY KEY, v TEXT NOT NULL)")
	return err
}

// acked collects the keys whose Write returned nil.
type acked struct {
	mu   sync.Mutex
	keys map[string]string
}

func (a *acked) add(k, v string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.keys == nil {
		a.keys = map[string]string{}
	}
	a.keys[k] = v
}

// raceWriter writes one row per transaction as worker w until stop is
// closed or the store is closed, and records every acknowledged row.
// Every fifth transaction is abandoned by its function after its insert:
// it must leave nothing behind. It returns the first unexpected error.
func raceWriter(s *Store, w string, stop <-chan struct{}, ack *acked, limit int) error {
	pad := strings.Repeat("记录", 60)
	for i := 0; i < limit; i++ {
		select {
		case <-stop:
			return nil
		default:
		}
		k, v := fmt.Sprintf("%s-%05d", w, i), fmt.Sprintf("%s:%d:%s", w, i, pad)
		abandonTx := i%5 == 4
		err := s.Write(func(tx *Tx) error {
			if _, err := tx.Exec("INSERT INTO race(k, v) VALUES (?, ?)", k, v); err != nil {
				return err
			}
			if abandonTx {
				return errAbandoned
			}
			return nil
		})
		switch {
		case errors.Is(err, ErrClosed):
			return nil
		case abandonTx && errors.Is(err, errAbandoned):
		case err != nil:
			return fmt.Errorf("write %s: %w", k, err)
		default:
			ack.add(k, v)
		}
	}
	return nil
}

var errAbandoned = errors.New("abandoned by the test")

// checkRace checks that the race table holds exactly the acknowledged rows.
func checkRace(t *testing.T, q Querier, ack *acked, where string) {
	t.Helper()
	rows, err := q.Query("SELECT k, v FROM race")
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	defer rows.Close()
	got := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			t.Fatalf("%s: %v", where, err)
		}
		got[k] = v
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	ack.mu.Lock()
	defer ack.mu.Unlock()
	for k, v := range ack.keys {
		if g, ok := got[k]; !ok {
			t.Errorf("%s: acknowledged row %s missing", where, k)
		} else if g != v {
			t.Errorf("%s: row %s holds %.20q, want %.20q", where, k, g, v)
		}
	}
	for k := range got {
		if _, ok := ack.keys[k]; !ok {
			t.Errorf("%s: row %s was never acknowledged", where, k)
		}
	}
	if len(got) != len(ack.keys) {
		t.Fatalf("%s: %d rows, %d acknowledged", where, len(got), len(ack.keys))
	}
}

// leftoverFiles lists temp files and journals other than the newest,
// which an idle, closed store must not have.
func leftoverFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if n := d.Name(); strings.HasSuffix(n, ".tmp") || strings.HasPrefix(n, ".tmp-") {
			out = append(out, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	gens, err := journalGens(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(gens) != 1 {
		out = append(out, fmt.Sprintf("journals %v", gens))
	}
	return out
}

// fileState is what dirState records of one file.
type fileState struct {
	size    int64
	modTime time.Time
}

// dirState records every file under dir but the lock file.
func dirState(t *testing.T, dir string) map[string]fileState {
	t.Helper()
	out := map[string]fileState{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil // removed while walking: the comparison shows it
		}
		if err != nil || d.IsDir() || d.Name() == lockFile {
			return err
		}
		fi, err := d.Info()
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		out[rel] = fileState{fi.Size(), fi.ModTime()}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func diffState(a, b map[string]fileState) string {
	var d []string
	for n, x := range a {
		if y, ok := b[n]; !ok {
			d = append(d, "removed "+n)
		} else if x != y {
			d = append(d, "changed "+n)
		}
	}
	for n := range b {
		if _, ok := a[n]; !ok {
			d = append(d, "created "+n)
		}
	}
	sort.Strings(d)
	return strings.Join(d, ", ")
}

func (s *Store) genLocked() uint64 {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	return s.gen
}

// TestConcurrentCompactAndWrites: explicit compactions from several
// goroutines and background ones (a tiny CompactBytes) run while several
// goroutines write and read; after Close and a reopen every acknowledged
// write is there and nothing else is.
func TestConcurrentCompactAndWrites(t *testing.T) {
	dir := t.TempDir()
	s, _ := createT(t, dir, raceOpts, raceTable)
	startGen := s.genLocked()
	var ack acked
	stop := make(chan struct{})
	deadline := time.Now().Add(1500 * time.Millisecond)
	var writers, others sync.WaitGroup
	errs := make(chan error, 16)
	for w := range 4 {
		writers.Go(func() {
			if err := raceWriter(s, fmt.Sprint("w", w), stop, &ack, 150); err != nil {
				errs <- err
			}
		})
	}
	var explicit atomic.Int64
	for range 2 {
		others.Go(func() { compactLoop(s, stop, errs, &explicit, 2*time.Millisecond) })
	}
	others.Go(func() { // a reader: counts never go backwards
		last := 0
		for {
			select {
			case <-stop:
				return
			default:
			}
			var n int
			if err := s.Reader().QueryRow("SELECT count(*) FROM race").Scan(&n); err != nil {
				errs <- fmt.Errorf("read: %w", err)
				return
			}
			if n < last {
				errs <- fmt.Errorf("read %d rows after %d", n, last)
				return
			}
			last = n
		}
	})
	// Stop when the writers are done, or at the deadline (slow machines,
	// the race detector).
	var once sync.Once
	stopAll := func() { once.Do(func() { close(stop) }) }
	timer := time.AfterFunc(time.Until(deadline), stopAll)
	defer timer.Stop()
	go func() {
		writers.Wait()
		stopAll()
	}()
	writers.Wait()
	others.Wait()
	if reportErrors(t, errs) {
		s.Close()
		return
	}
	// On a disk with slow flushes the explicit compactions may have kept
	// the journal short throughout: write on until one background
	// compaction has run, so the test checks what it says.
	for i := 0; s.genLocked()-startGen <= uint64(explicit.Load()) && i < 2000; i++ {
		k, v := fmt.Sprintf("extra-%05d", i), strings.Repeat("补", 200)
		mustWrite(t, s, func(tx *Tx) error {
			_, err := tx.Exec("INSERT INTO race(k, v) VALUES (?, ?)", k, v)
			return err
		})
		ack.add(k, v)
		s.bg.Wait()
	}
	s.bg.Wait()
	compactions := s.genLocked() - startGen
	if compactions <= uint64(explicit.Load()) {
		t.Errorf("%d compactions, all %d of them explicit: no background compaction ran", compactions, explicit.Load())
	}
	checkRace(t, s.Reader(), &ack, "live")
	s = closeAndReopen(t, s, dir)
	defer s.Close()
	checkRace(t, s.Reader(), &ack, "after reopen")
	if r, err := s.IntegrityCheck(); err != nil || r != "ok" {
		t.Fatalf("integrity: %s %v", r, err)
	}
	t.Logf("%d rows, %d compactions (%d explicit)", len(ack.keys), compactions, explicit.Load())
}

// closeRaceRound writes from several goroutines into s (and, with
// compactors, compacts explicitly from two more), closes s in the middle
// of it, and checks that nothing of the store runs on after Close
// returns: no background compaction, the directory lock free at once (a
// second Open succeeds), no temp file and no file changing afterwards,
// every acknowledged write there and nothing else. It returns the
// reopened store.
func closeRaceRound(t *testing.T, s *Store, dir string, round int, compactors bool, ack *acked) *Store {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for w := range 4 {
		wg.Go(func() {
			if err := raceWriter(s, fmt.Sprintf("r%d-w%d", round, w), nil, ack, 1_000_000); err != nil {
				errs <- err
			}
		})
	}
	if compactors {
		for range 2 {
			wg.Go(func() {
				for {
					err := s.Compact()
					if errors.Is(err, ErrClosed) {
						return
					}
					if err != nil {
						errs <- fmt.Errorf("compact: %w", err)
						return
					}
				}
			})
		}
	}
	// Close while a background compaction runs (or, every third round,
	// after a random moment).
	if round%3 == 2 {
		time.Sleep(time.Duration(rand.IntN(20)) * time.Millisecond)
	} else {
		for end := time.Now().Add(time.Second); !s.compacting.Load() && time.Now().Before(end); {
			time.Sleep(50 * time.Microsecond)
		}
	}
	during := s.compacting.Load()
	closeErr := s.Close()
	running := s.compacting.Load()
	after := dirState(t, dir)
	s2, openErr := Open(dir, "admin", testPassword, raceOpts)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("round %d: %v", round, err)
	}
	if closeErr != nil {
		t.Errorf("round %d: Close: %v", round, closeErr)
	}
	if running {
		t.Errorf("round %d: a background compaction still runs after Close returned", round)
	}
	if openErr != nil {
		t.Fatalf("round %d: Open right after Close: %v", round, openErr)
	}
	var tmps []string
	for n := range after {
		if strings.HasSuffix(n, ".tmp") || strings.Contains(n, ".tmp-") {
			tmps = append(tmps, n)
		}
	}
	if len(tmps) > 0 {
		t.Errorf("round %d: temp files right after Close: %v", round, tmps)
	}
	time.Sleep(20 * time.Millisecond)
	if d := diffState(after, dirState(t, dir)); d != "" {
		t.Errorf("round %d: files changed after Close returned: %s", round, d)
	}
	checkRace(t, s2.Reader(), ack, fmt.Sprintf("round %d after reopen", round))
	t.Logf("round %d: Close began during a background compaction: %v", round, during)
	return s2
}

// closeAndReopen closes s, which must leave no temp file or stray
// journal in dir, and opens it again.
func closeAndReopen(t *testing.T, s *Store, dir string) *Store {
	t.Helper()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if l := leftoverFiles(t, dir); len(l) > 0 {
		t.Errorf("after Close: %v", l)
	}
	return openT(t, dir, raceOpts)
}

// reportErrors closes errs, reports what the goroutines sent on it and
// tells whether the test has failed.
func reportErrors(t *testing.T, errs chan error) bool {
	t.Helper()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	return t.Failed()
}

// compactLoop calls s.Compact until stop closes or a call fails (the
// error goes to errs), counting the calls in n if given, with a random
// pause of pause to 5×pause between them when pause is not 0.
func compactLoop(s *Store, stop <-chan struct{}, errs chan<- error, n *atomic.Int64, pause time.Duration) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		if err := s.Compact(); err != nil {
			errs <- fmt.Errorf("compact: %w", err)
			return
		}
		if n != nil {
			n.Add(1)
		}
		if pause > 0 {
			time.Sleep(pause + time.Duration(rand.Int64N(int64(4*pause))))
		}
	}
}

// TestCloseRacesBackgroundCompaction: Close while writers keep starting
// background compactions. Once Close returns none may still run: the
// directory lock is free and no file changes any more.
func TestCloseRacesBackgroundCompaction(t *testing.T) { closeRaces(t, false) }

// TestCloseRacesCompact: the same, with two more goroutines calling
// Compact until the store is closed. (Close used to run its own compaction
// and only then, in a separate critical section, mark the store closed: a
// Compact taking the locks in that gap sealed, renamed and deleted files
// after Close had returned and the directory lock was gone.)
func TestCloseRacesCompact(t *testing.T) { closeRaces(t, true) }

// closeRaces runs six rounds of closeRaceRound (explicit: with Compact
// callers too), then closes: no temp file or stray journal may be left.
func closeRaces(t *testing.T, explicit bool) {
	dir := t.TempDir()
	s, _ := createT(t, dir, raceOpts, raceTable)
	var ack acked
	for round := range 6 {
		s = closeRaceRound(t, s, dir, round, explicit, &ack)
		if t.Failed() {
			break
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if l := leftoverFiles(t, dir); len(l) > 0 {
		t.Errorf("after Close: %v", l)
	}
}

// TestConcurrentAttachmentsCompactWrites: attachments of different
// contents (and one content twice) added at once while compactions and
// writes run: each reads back whole, before and after a reopen, no file
// is left without its row, and the writes are all there.
func TestConcurrentAttachmentsCompactWrites(t *testing.T) {
	dir := t.TempDir()
	s, _ := createT(t, dir, raceOpts, raceTable)
	contents := make([][]byte, 12)
	for i := range contents {
		contents[i] = seededBytes(uint64(1000+i), 1+rand.IntN(300_000))
	}
	contents[len(contents)-1] = contents[0] // the same content twice, at once
	ids := make([]string, len(contents))
	var ack acked
	stop := make(chan struct{})
	errs := make(chan error, 32)
	var puts, others sync.WaitGroup
	for g := range 4 {
		puts.Go(func() {
			for i := g; i < len(contents); i += 4 {
				a, err := s.PutAttachment(bytes.NewReader(contents[i]), fmt.Sprintf("photo%d.jpg", i), "image/jpeg", int64(i))
				if err != nil {
					errs <- fmt.Errorf("attachment %d: %w", i, err)
					continue
				}
				ids[i] = a.ID
			}
		})
	}
	for w := range 2 {
		others.Go(func() {
			if err := raceWriter(s, fmt.Sprint("w", w), stop, &ack, 1_000_000); err != nil {
				errs <- err
			}
		})
	}
	others.Go(func() { compactLoop(s, stop, errs, nil, 0) })
	puts.Wait()
	close(stop)
	others.Wait()
	if reportErrors(t, errs) {
		s.Close()
		return
	}
	check := func(s *Store, where string) {
		t.Helper()
		for i, id := range ids {
			r, err := s.OpenAttachment(id)
			if err != nil {
				t.Fatalf("%s: attachment %d: %v", where, i, err)
			}
			got, err := io.ReadAll(r)
			r.Close()
			if err != nil || !bytes.Equal(got, contents[i]) {
				t.Fatalf("%s: attachment %d: %d bytes (want %d), %v", where, i, len(got), len(contents[i]), err)
			}
		}
		var rows int
		if err := s.Reader().QueryRow("SELECT count(*) FROM attachments").Scan(&rows); err != nil {
			t.Fatal(err)
		}
		files, err := filepath.Glob(filepath.Join(dir, attachmentsDir, "*", "*.mda"))
		if err != nil {
			t.Fatal(err)
		}
		// The content added twice is stored once, or twice when both
		// adds were sealed before either row was written (by design:
		// docs/store-format.md, Attachments).
		if rows < len(contents)-1 || rows > len(contents) || len(files) != rows {
			t.Fatalf("%s: %d rows and %d files for %d different contents", where, rows, len(files), len(contents)-1)
		}
		checkRace(t, s.Reader(), &ack, where)
	}
	check(s, "live")
	s = closeAndReopen(t, s, dir)
	defer s.Close()
	check(s, "after reopen")
}
