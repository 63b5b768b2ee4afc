package data

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

var crashRuns = flag.Int("crash.runs", 30, "number of kill-and-reopen rounds of TestCrash")

const (
	crashChildEnv = "MEDIADESK_CRASH_CHILD" // data directory of the child writer
	crashRunEnv   = "MEDIADESK_CRASH_RUN"   // round number (seeds the child)
)

// crashOpts makes compaction frequent, so kills land inside it too.
var crashOpts = Options{KDF: testKDF, CompactBytes: 32 << 10}

const crashSchema = `CREATE TABLE crash_rows(id TEXT PRIMARY KEY, run INTEGER NOT NULL, payload BLOB NOT NULL, sum BLOB NOT NULL);
CREATE INDEX crash_rows_run ON crash_rows(run)`

// TestCrashChild is not a test: TestCrash runs the test binary again with
// MEDIADESK_CRASH_CHILD set, and this function then writes transactions
// until it is killed, printing "ack <id>" (or "att <id> <sha256>") on
// stdout only after Write (or PutAttachment) returned.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(crashChildEnv)
	if dir == "" {
		t.Skip("helper process of TestCrash")
	}
	run, _ := strconv.Atoi(os.Getenv(crashRunEnv))
	fail := func(what string, err error) {
		fmt.Fprintf(os.Stderr, "crash child: %s: %v\n", what, err)
		os.Exit(3)
	}
	s, err := Open(dir, "admin", testPassword, crashOpts)
	if errors.Is(err, ErrNoStore) {
		s, _, err = Create(dir, "admin", testPassword, crashOpts, func(tx *Tx) error {
			_, err := tx.Exec(crashSchema)
			return err
		})
	}
	if err != nil {
		fail("open", err)
	}
	out := os.Stdout // unbuffered: one write per line
	rng := rand.New(rand.NewPCG(uint64(run), 0xc4a5))
	deadline := time.Now().Add(20 * time.Second) // the parent should kill us long before
	for i := 0; time.Now().Before(deadline); i++ {
		id := fmt.Sprintf("r%d-%d", run, i)
		// Log-uniform sizes from 16 B to 128 KiB.
		size := int(float64(int(16)<<rng.IntN(14)) * (1 + rng.Float64()) / 2)
		payload := seededBytes(rng.Uint64(), size)
		if rng.IntN(12) == 0 {
			a, err := s.PutAttachment(bytes.NewReader(payload), id+".bin", "application/octet-stream", int64(i))
			if err != nil {
				fail("put attachment", err)
			}
			fmt.Fprintf(out, "att %s %x\n", a.ID, a.SHA256)
			continue
		}
		sum := sha256.Sum256(payload)
		err := s.Write(func(tx *Tx) error {
			if _, err := tx.Exec("INSERT INTO crash_rows(id, run, payload, sum) VALUES (?, ?, ?, ?)", id, run, payload, sum[:]); err != nil {
				return err
			}
			if rng.IntN(3) == 0 {
				if err := AppendAudit(tx, int64(i), "crash", "insert", id, strings.Repeat("審", rng.IntN(50))); err != nil {
					return err
				}
			}
			if rng.IntN(4) == 0 {
				// Touch an older row of this round: rewrite its payload.
				old := fmt.Sprintf("r%d-%d", run, rng.IntN(i+1))
				p2 := seededBytes(rng.Uint64(), rng.IntN(2048))
				s2 := sha256.Sum256(p2)
				if _, err := tx.Exec("UPDATE crash_rows SET payload = ?, sum = ? WHERE id = ?", p2, s2[:], old); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			fail("write "+id, err)
		}
		fmt.Fprintf(out, "ack %s\n", id)
	}
	os.Exit(0)
}

type crashAcks struct {
	mu   sync.Mutex
	ids  []string
	atts map[string]string // attachment ID → sha256 hex
}

// TestCrash kills a writer process at random moments (SIGKILL, between 20
// and 400 ms after it starts) and checks after every kill that the store
// opens, passes SQLite's integrity check and holds every transaction
// the writer acknowledged. Rounds: -crash.runs (make crash-test uses 200).
func TestCrash(t *testing.T) {
	if os.Getenv(crashChildEnv) != "" {
		t.Skip("inside the child")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("MEDIADESK_CRASH_SEED"); v != "" {
		seed, _ = strconv.ParseUint(v, 10, 64)
	}
	t.Logf("seed %d (set MEDIADESK_CRASH_SEED to repeat the kill times)", seed)
	rng := rand.New(rand.NewPCG(seed, 1))

	acked := map[string]bool{}
	attachments := map[string]string{}
	var totalAcks, totalAtts, inCompaction, tornTails int
	for run := 0; run < *crashRuns; run++ {
		cmd := exec.Command(exe, "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+dir, crashRunEnv+"="+strconv.Itoa(run))
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		acks := &crashAcks{atts: map[string]string{}}
		done := make(chan struct{})
		go func() {
			defer close(done)
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				f := strings.Fields(sc.Text())
				acks.mu.Lock()
				switch {
				case len(f) == 2 && f[0] == "ack":
					acks.ids = append(acks.ids, f[1])
				case len(f) == 3 && f[0] == "att":
					acks.atts[f[1]] = f[2]
				}
				acks.mu.Unlock()
			}
		}()
		wait := time.Duration(20+rng.IntN(381)) * time.Millisecond
		time.Sleep(wait)
		cmd.Process.Kill() // SIGKILL
		<-done
		err = cmd.Wait()
		if err == nil || !strings.Contains(err.Error(), "killed") {
			t.Fatalf("round %d: child ended on its own (%v): %s", run, err, stderr.String())
		}
		for _, id := range acks.ids {
			acked[id] = true
		}
		for id, sum := range acks.atts {
			attachments[id] = sum
		}
		totalAcks += len(acks.ids)
		totalAtts += len(acks.atts)

		// What did the kill interrupt? Two journals or a snapshot temp
		// file mean a compaction was under way.
		js := journalFiles(t, dir)
		if _, err := os.Stat(filepath.Join(dir, snapshotFile+".tmp")); err == nil || len(js) > 1 {
			inCompaction++
		}
		// A journal whose last whole record is followed by anything but
		// the zeros made ahead of time has a torn tail.
		var wholeEnd int64 = -1
		if len(js) > 0 {
			raw, err := os.ReadFile(js[len(js)-1])
			if err != nil {
				t.Fatal(err)
			}
			if len(raw) >= journalHeaderSize {
				offs := recordOffsets(t, raw)
				wholeEnd = int64(offs[len(offs)-1])
				if !allZero(raw[wholeEnd:]) {
					tornTails++
				}
			}
		}

		s, err := Open(dir, "admin", testPassword, testOpts)
		if errors.Is(err, ErrNoStore) && len(acked) == 0 {
			continue // killed before Create finished
		}
		if err != nil {
			t.Fatalf("round %d (killed after %v): open: %v", run, wait, err)
		}
		if raw, err := os.ReadFile(s.journal.path); err != nil || int64(len(raw)) < s.journal.size || !allZero(raw[s.journal.size:]) ||
			(wholeEnd >= 0 && s.journal.path == js[len(js)-1] && s.journal.size > wholeEnd) {
			t.Fatalf("round %d: journal (%d bytes, appends at %d) must hold only zeros after its last whole record (%d): %v",
				run, len(raw), s.journal.size, wholeEnd, err)
		}
		if ic, err := s.IntegrityCheck(); err != nil || ic != "ok" {
			t.Fatalf("round %d: integrity check: %q %v", run, ic, err)
		}
		if n, err := VerifyAudit(s.Reader()); err != nil {
			t.Fatalf("round %d: audit chain (%d entries): %v", run, n, err)
		}
		present := map[string]bool{}
		rows, err := s.Reader().Query("SELECT id, payload, sum FROM crash_rows")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id string
			var payload, sum []byte
			if err := rows.Scan(&id, &payload, &sum); err != nil {
				t.Fatal(err)
			}
			if len(sum) > 0 {
				if got := sha256.Sum256(payload); !bytes.Equal(got[:], sum) {
					t.Fatalf("round %d: row %s: payload does not match its checksum", run, id)
				}
			}
			present[id] = true
		}
		rows.Close()
		for id := range acked {
			if !present[id] {
				t.Fatalf("round %d (killed after %v): acknowledged transaction %s is missing", run, wait, id)
			}
		}
		for id, sum := range attachments {
			r, err := s.OpenAttachment(id)
			if err != nil {
				t.Fatalf("round %d: acknowledged attachment %s: %v", run, id, err)
			}
			got := sha256Hex(t, r)
			r.Close()
			if got != sum {
				t.Fatalf("round %d: attachment %s reads back different content", run, id)
			}
		}
		// Keep the store small: drop the checked payloads (the ids stay
		// and are checked again after every later kill).
		mustWrite(t, s, func(tx *Tx) error {
			_, err := tx.Exec("UPDATE crash_rows SET payload = x'', sum = x'' WHERE run = ?", run)
			return err
		})
		// Alternate a clean close (compaction) with a crash-like drop, so
		// the next child also starts from a journal to replay.
		if run%2 == 0 {
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
		} else {
			abandon(s)
		}
	}
	summary := fmt.Sprintf("crash test: %d runs, %d acknowledged transactions and %d attachments survived, %d kills landed during a compaction, %d torn tails",
		*crashRuns, totalAcks, totalAtts, inCompaction, tornTails)
	t.Log(summary)
	fmt.Println(summary)
	if totalAcks == 0 {
		t.Fatal("the child never acknowledged a transaction")
	}
}

func fileSize(t testing.TB, path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}
