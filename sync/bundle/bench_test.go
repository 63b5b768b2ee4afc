package bundle

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// benchRecords returns n records of about 500 bytes of JSON each.
func benchRecords(n int) []Record {
	types := []string{"post", "comment", "training", "message", "account"}
	out := make([]Record, n)
	for i := range out {
		data, _ := json.Marshal(map[string]any{
			"title": fmt.Sprintf("汤阴县公安局第%d条宣传稿件", i), "body": strings.Repeat("平安汤阴，警民同心。", 12),
			"status": "submitted", "created_at": 1748760000 + i, "category": "反诈宣传", "tags": []string{"防诈骗", "社区"},
		})
		out[i] = Record{Type: types[i%len(types)], ID: fmt.Sprintf("0197a1b2-c3d4-7e5f-8a9b-%012d", i), Owner: "st01", Version: 1, Data: data}
	}
	return out
}

// fileAttachment is an attachment read from a file.
func fileAttachment(path string) (Attachment, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Attachment{}, err
	}
	return Attachment{SHA256: sha256.Sum256(b), Size: int64(len(b)), Open: func() (io.ReadCloser, error) { return os.Open(path) }}, nil
}

// exportData writes the benchmark's data set to dir: records.jsonl (the
// same record lines the payload holds) and attachments/ (count files of
// size bytes each), and returns the records and attachments.
func exportData(b *testing.B, dir string, records, count, size int) ([]Record, []Attachment) {
	b.Helper()
	recs := benchRecords(records)
	var lines []byte
	for _, r := range recs {
		line, _ := json.Marshal(map[string]any{"type": r.Type, "id": r.ID, "owner": r.Owner, "version": r.Version, "data": r.Data})
		lines = append(append(lines, line...), '\n')
	}
	if err := os.WriteFile(filepath.Join(dir, "records.jsonl"), lines, 0o644); err != nil {
		b.Fatal(err)
	}
	os.Mkdir(filepath.Join(dir, "attachments"), 0o755)
	gen := rand.NewChaCha8([32]byte{1})
	var atts []Attachment
	buf := make([]byte, size)
	for i := range count {
		gen.Read(buf)
		p := filepath.Join(dir, "attachments", fmt.Sprintf("%03d.jpg", i))
		if err := os.WriteFile(p, buf, 0o644); err != nil {
			b.Fatal(err)
		}
		a, err := fileAttachment(p)
		if err != nil {
			b.Fatal(err)
		}
		atts = append(atts, a)
	}
	return recs, atts
}

// BenchmarkReadVerify20kRecords opens (container, signature, hash) and
// decrypts a bundle of 20,000 records, and reports records per second.
func BenchmarkReadVerify20kRecords(b *testing.B) {
	f := keysFixture(b)
	w := writeBundle(b, b.TempDir(), f.dataHeader(1), benchRecords(20_000), nil, WriteOptions{})
	b.SetBytes(w.Manifest.Payload.Size)
	b.ResetTimer()
	for range b.N {
		bu, err := Open(context.Background(), w.Paths[0], f.hqOpen())
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		if err := bu.Records(context.Background(), f.hq, func(Record) error { n++; return nil }, nil); err != nil || n != 20_000 {
			b.Fatal(n, err)
		}
		bu.Close()
	}
	b.ReportMetric(float64(20_000*b.N)/b.Elapsed().Seconds(), "records/s")
}

// generated is an attachment whose bytes come from a seeded generator,
// never held whole in memory.
func generated(seed byte, size int64) Attachment {
	open := func() (io.ReadCloser, error) {
		return io.NopCloser(io.LimitReader(rand.NewChaCha8([32]byte{seed}), size)), nil
	}
	h := sha256.New()
	r, _ := open()
	io.Copy(h, r)
	return Attachment{SHA256: Hash(h.Sum(nil)), Size: size, Open: open}
}

// heapPeak samples the heap until stopped and returns the highest
// HeapAlloc seen.
func heapPeak() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
			select {
			case <-done:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	return func() uint64 { close(done); <-finished; return peak.Load() }
}

// TestMemory500MB writes and reads a 500 MB bundle (split in parts) and
// checks the heap stays within 100 MB above idle. It takes a while and
// 1 GB of disk: set MEDIADESK_BIG_TESTS=1 to run it.
func TestMemory500MB(t *testing.T) {
	if os.Getenv("MEDIADESK_BIG_TESTS") == "" {
		t.Skip("set MEDIADESK_BIG_TESTS=1 to write and read a 500 MB bundle")
	}
	f := keysFixture(t)
	dir := t.TempDir()
	var atts []Attachment
	for i := range 5 {
		atts = append(atts, generated(byte(i+1), 100<<20))
	}
	recs := benchRecords(20_000)
	runtime.GC()
	var idle runtime.MemStats
	runtime.ReadMemStats(&idle)

	stop := heapPeak()
	start := time.Now()
	w, err := Write(context.Background(), dir, f.dataHeader(1), source(recs), atts, WriteOptions{PartSize: 200 << 20})
	if err != nil {
		t.Fatal(err)
	}
	wrote := time.Since(start)
	writePeak := stop()

	runtime.GC()
	var idleRead runtime.MemStats
	runtime.ReadMemStats(&idleRead)
	stop = heapPeak()
	start = time.Now()
	b, err := Open(context.Background(), w.Paths[0], f.hqOpen())
	if err != nil {
		t.Fatal(err)
	}
	var got int64
	err = b.Records(context.Background(), f.hq, nil, func(_ Hash, _ int64, r io.Reader) error {
		n, err := io.Copy(io.Discard, r)
		got += n
		return err
	})
	b.Close()
	read := time.Since(start)
	readPeak := stop()
	if err != nil || got != 500<<20 {
		t.Fatalf("read %d bytes: %v", got, err)
	}
	mb := func(n uint64) float64 { return float64(n) / (1 << 20) }
	t.Logf("bundle %.0f MB in %d parts; write %v, heap peak %.1f MB above idle; read %v, heap peak %.1f MB above idle",
		mb(uint64(w.Manifest.Payload.Size)), len(w.Paths), wrote.Round(time.Millisecond), mb(writePeak-idle.HeapAlloc),
		read.Round(time.Millisecond), mb(readPeak-idleRead.HeapAlloc))
	if writePeak > idle.HeapAlloc+100<<20 || readPeak > idleRead.HeapAlloc+100<<20 {
		t.Fatal("the heap grew more than 100 MB above idle")
	}
}
