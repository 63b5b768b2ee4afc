package app

// Benchmarks for the numbers issue 5 asks of sync at the app level, store
// included (go test ./app -run '^$' -bench Sync -benchtime 1x):
//
//	BenchmarkSyncExportVsTarAge  export ≤ 1.25 × `tar c | age -r` of the same data
//	BenchmarkSyncImport          import + verify + merge ≥ 20,000 records/s
//	BenchmarkSyncMemory500MB     heap ≤ 100 MB above idle exporting and importing 500 MB
//
// The data are put into the station's store in bulk (the app's own steps,
// one write each, would take minutes for 20,000 posts). Besides the wall
// clock, the CPU time used is reported (on Linux): on a shared machine it
// varies less. data/sync_bench_test.go measures the records layer alone.

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"mediadesk/data"
	"mediadesk/internal/benchmeter"
)

// benchCounty sets up HQ and one station "st1" registered with it, with
// cheap key derivation and the real clock.
func benchCounty(b *testing.B) (hq, st *Session) {
	b.Helper()
	setup := func(kind Kind, name, password string) *Session {
		s, _, err := Setup(Config{Dir: b.TempDir(), Store: cheap}, SetupRequest{Kind: kind, UnitName: name, AdminName: "admin", Password: password})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { s.Close() })
		return s
	}
	hq = setup(HQ, "汤阴县公安局宣传科", hqAdminPassword)
	st = setup(Station, "城关派出所", stationAdminPassword)
	stick := b.TempDir()
	enroll, err := hq.EnrollUnit("st1", "城关派出所", stick)
	if err != nil {
		b.Fatal(err)
	}
	reg, err := st.Join(context.Background(), enroll, stick)
	if err != nil {
		b.Fatal(err)
	}
	keys, err := st.Keys()
	if err != nil {
		b.Fatal(err)
	}
	if _, err := hq.RegisterUnit(context.Background(), reg, keys.Fingerprint); err != nil {
		b.Fatal(err)
	}
	return hq, st
}

// benchAttachment is attachment i of a data set: size bytes from a seeded
// generator, so that the same bytes can be made again for tar.
func benchAttachment(i int, size int64) io.Reader {
	return io.LimitReader(rand.NewChaCha8([32]byte{byte(i), byte(i >> 8), 1}), size)
}

// bulkPosts puts n submitted posts (about 600 bytes of text each) into
// st's store in one write; post i has image i if there is one.
func bulkPosts(b *testing.B, st *Session, n int, images []string) {
	b.Helper()
	now := time.Now().UnixMilli()
	body := strings.Repeat("平安汤阴，警民同心。反诈宣传进社区，守护群众钱袋子。", 6)
	err := st.store.Write(func(tx *data.Tx) error {
		for i := range n {
			id := uuid.Must(uuid.NewV7()).String()
			hash := sha256.Sum256([]byte(id))
			p := data.Post{ID: id, OwnerUnit: st.unit.ID, AuthorID: st.User().ID, Title: fmt.Sprintf("城关派出所第%d条宣传稿件", i),
				Body: body, Category: "防范提示", Targets: `["weibo"]`, Flags: "[]", Status: string(Submitted), ContentHash: hash[:],
				CreatedAt: now, UpdatedAt: now, Version: 1}
			if err := data.SavePost(tx, p); err != nil {
				return err
			}
			if err := data.AddPostEvent(tx, data.PostEvent{ID: uuid.Must(uuid.NewV7()).String(), PostID: id, At: now, Actor: "admin",
				Kind: "submit", FromStatus: string(Draft), ToStatus: string(Submitted), ContentHash: hash[:]}); err != nil {
				return err
			}
			if i < len(images) {
				if err := data.SetPostImages(tx, id, images[i:i+1]); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

// bulkAttachments seals count attachments of size bytes into st's store.
func bulkAttachments(b *testing.B, st *Session, count int, size int64) []string {
	b.Helper()
	var ids []string
	for i := range count {
		a, err := st.store.PutAttachment(benchAttachment(i, size), fmt.Sprintf("现场照片%03d.jpg", i), "image/jpeg", time.Now().UnixMilli())
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	return ids
}

// plainCopy writes what st would send HQ as plain files into dir: the
// record lines of the payload (records.jsonl) and the attachments. They
// are fsynced, as the store's sealed attachments are: else the kernel's
// writeback of these 200 MB could land in a timed run.
func plainCopy(b *testing.B, st *Session, hq string, dir string, count int, size int64) {
	b.Helper()
	f, err := os.Create(filepath.Join(dir, "records.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	_, err = data.ChangedRecords(st.store.Reader(), data.ExportScope{Self: st.unit.ID, Side: data.StationSide, Peer: hq}, func(r data.SyncRecord, _ []data.AttachmentRef) error {
		return enc.Encode(map[string]any{"type": r.Type, "id": r.ID, "owner": r.Owner, "version": r.Version, "data": r.Data})
	})
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if err == nil {
		err = f.Close()
	}
	if err != nil {
		b.Fatal(err)
	}
	for i := range count {
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("%03d.jpg", i)))
		if err == nil {
			_, err = io.Copy(f, benchAttachment(i, size))
		}
		if err == nil {
			err = f.Sync()
		}
		if err == nil {
			err = f.Close()
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}

// exportOne exports st's next bundle to HQ into dir.
func exportOne(b *testing.B, st *Session, dir string) string {
	b.Helper()
	paths, err := st.ExportBundles(context.Background(), dir, "", nil)
	if err != nil {
		b.Fatal(err)
	}
	return paths[0]
}

// BenchmarkSyncExportVsTarAge exports 20,000 posts and 100 images of
// 2 MB (200 MB) from a station's store — records read from SQLite,
// attachments decrypted from the store, payload encrypted, signed,
// fsynced, read back from the medium and verified — and, in the same run,
// the same data as plain files with `tar c | age -r` and an fsync (ratio).
// `tar | age` does not read its output back: ratio-vs-readback compares
// with it followed by reading the file back from the medium too.
func BenchmarkSyncExportVsTarAge(b *testing.B) {
	for _, tool := range []string{"tar", "age", "sh"} {
		if _, err := exec.LookPath(tool); err != nil {
			b.Skipf("needs %s", tool)
		}
	}
	const count, size = 100, 2 << 20
	hq, st := benchCounty(b)
	bulkPosts(b, st, 20_000, bulkAttachments(b, st, count, size))
	plain := b.TempDir()
	plainCopy(b, st, hq.unit.ID, plain, count, size)
	// The bulk write's journal is compacted in the background: not while
	// the export is timed.
	if err := st.store.Compact(); err != nil {
		b.Fatal(err)
	}
	keys, err := hq.Keys()
	if err != nil {
		b.Fatal(err)
	}
	out := b.TempDir()
	var ours, theirs, readBack, oursCPU, theirsCPU time.Duration
	var records int
	b.ResetTimer()
	for i := range b.N {
		start, cpu := time.Now(), benchmeter.ChildrenCPU()
		tarAge := filepath.Join(out, fmt.Sprintf("plain-%d.tar.age", i))
		benchmeter.TarAge(b, plain, keys.Age, tarAge)
		theirs += time.Since(start)
		theirsCPU += benchmeter.ChildrenCPU() - cpu
		start = time.Now()
		benchmeter.ReadBack(b, tarAge)
		readBack += time.Since(start)

		start, cpu = time.Now(), benchmeter.ProcessCPU()
		path := exportOne(b, st, out)
		ours += time.Since(start)
		oursCPU += benchmeter.ProcessCPU() - cpu
		m, err := VerifyBundle(context.Background(), path, nil)
		if err != nil {
			b.Fatal(err)
		}
		records = int(m.Payload.Records)
		os.Remove(path)
	}
	b.ReportMetric(float64(records), "records")
	b.ReportMetric(ours.Seconds()/float64(b.N), "export-s/op")
	b.ReportMetric(theirs.Seconds()/float64(b.N), "tar|age-s/op")
	b.ReportMetric(ours.Seconds()/theirs.Seconds(), "ratio")
	b.ReportMetric(ours.Seconds()/(theirs+readBack).Seconds(), "ratio-vs-readback")
	b.ReportMetric(oursCPU.Seconds()/float64(b.N), "export-cpu-s/op")
	b.ReportMetric(theirsCPU.Seconds()/float64(b.N), "tar|age-cpu-s/op")
}

// bulkAudit appends n entries to st's audit trail in one write.
func bulkAudit(b *testing.B, st *Session, n int) {
	b.Helper()
	now := time.Now().UnixMilli()
	err := st.store.Write(func(tx *data.Tx) error {
		for i := range n {
			if err := data.AppendAudit(tx, now, "admin", "post.save", fmt.Sprintf("post-%06d", i), "城关派出所 保存稿件"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkSyncImport imports a station's bundle of 20,000 records into a
// fresh copy of HQ each time (container, signature, hash, decryption,
// ownership checks, merge, one transaction) and reports records/s, and
// searchable-records/s: until the posts' search entries, made after the
// commit in the background, are all in. Posts (each with its events) are
// the heaviest record; audit entries, the most common one; and a station's mix. In the
// demo county a station's bundle to HQ is 79% audit entries (城关派出所:
// 206 of 260 records) and 6% posts, the rest accounts, officers,
// messages, trainings and the like; the mix counts all of that rest as
// posts, the heaviest kind: 21% posts, 79% audit entries.
func BenchmarkSyncImport(b *testing.B) {
	for _, kind := range []struct {
		name string
		fill func(*testing.B, *Session)
	}{
		{"posts", func(b *testing.B, st *Session) { bulkPosts(b, st, 20_000, nil) }},
		{"audit", func(b *testing.B, st *Session) { bulkAudit(b, st, 20_000) }},
		{"station-mix", func(b *testing.B, st *Session) {
			bulkPosts(b, st, 4_200, nil)
			bulkAudit(b, st, 15_800)
		}},
	} {
		b.Run(kind.name, func(b *testing.B) {
			hq, st := benchCounty(b)
			kind.fill(b, st)
			path := exportOne(b, st, b.TempDir())
			m, err := VerifyBundle(context.Background(), path, nil)
			if err != nil {
				b.Fatal(err)
			}
			if err := hq.Close(); err != nil {
				b.Fatal(err)
			}
			var took, searchable, cpu time.Duration
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				dir := filepath.Join(b.TempDir(), "hq")
				if err := os.CopyFS(dir, os.DirFS(hq.cfg.Dir)); err != nil {
					b.Fatal(err)
				}
				fresh, err := SignIn(Config{Dir: dir, Store: cheap}, "admin", hqAdminPassword)
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				start, startCPU := time.Now(), benchmeter.ProcessCPU()
				res := fresh.ImportBundles(context.Background(), []string{path}, nil)
				took += time.Since(start)
				cpu += benchmeter.ProcessCPU() - startCPU
				b.StopTimer()
				if res[0].Result != Imported || res[0].Records < 20_000 {
					b.Fatalf("import: %s, %d records, %v", res[0].Result, res[0].Records, res[0].Err)
				}
				// The posts' search entries are made after the commit.
				for {
					owed, err := data.OwedSearchEntries(fresh.store.Reader())
					if err != nil {
						b.Fatal(err)
					}
					if owed == 0 {
						break
					}
					time.Sleep(time.Millisecond)
				}
				searchable += time.Since(start)
				fresh.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(m.Payload.Records), "records")
			b.ReportMetric(float64(int(m.Payload.Records)*b.N)/took.Seconds(), "records/s")
			b.ReportMetric(float64(int(m.Payload.Records)*b.N)/cpu.Seconds(), "records/cpu-s")
			b.ReportMetric(float64(int(m.Payload.Records)*b.N)/searchable.Seconds(), "searchable-records/s")
		})
	}
}

// memoryPeak samples the Go heap (HeapInuse) and the process's resident
// memory (VmRSS, which also counts SQLite's C memory) until stopped.
func memoryPeak() (stop func() (heap, rss uint64)) {
	var heap, rss atomic.Uint64
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			heap.Store(max(heap.Load(), ms.HeapInuse))
			rss.Store(max(rss.Load(), residentBytes()))
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	return func() (uint64, uint64) { close(done); <-finished; return heap.Load(), rss.Load() }
}

// residentBytes is the process's resident memory (Linux), 0 elsewhere.
func residentBytes() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// idleMemory is the heap in use and resident memory after a collection.
func idleMemory() (heap, rss uint64) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse, residentBytes()
}

// BenchmarkSyncMemory500MB exports a station's bundle holding 2,000
// posts and 10 attachments of 50 MB (500 MB) and imports it at HQ, and
// reports how far the heap and the resident memory rose above idle in
// each; it fails if the heap rose over 100 MB.
func BenchmarkSyncMemory500MB(b *testing.B) {
	hq, st := benchCounty(b)
	bulkPosts(b, st, 2_000, bulkAttachments(b, st, 10, 50<<20))
	mb := func(n, idle uint64) float64 { return float64(int64(n)-int64(idle)) / (1 << 20) }
	b.ResetTimer()
	for range b.N {
		heap0, rss0 := idleMemory()
		stop := memoryPeak()
		path := exportOne(b, st, b.TempDir())
		heap, rss := stop()
		b.ReportMetric(mb(heap, heap0), "export-heap-MB")
		b.ReportMetric(mb(rss, rss0), "export-rss-MB")
		if heap > heap0+100<<20 {
			b.Errorf("exporting: heap %.0f MB above idle", mb(heap, heap0))
		}

		heap0, rss0 = idleMemory()
		stop = memoryPeak()
		res := hq.ImportBundles(context.Background(), []string{path}, nil)
		heap, rss = stop()
		if res[0].Result != Imported {
			b.Fatalf("import: %s %v", res[0].Result, res[0].Err)
		}
		b.ReportMetric(mb(heap, heap0), "import-heap-MB")
		b.ReportMetric(mb(rss, rss0), "import-rss-MB")
		if heap > heap0+100<<20 {
			b.Errorf("importing: heap %.0f MB above idle", mb(heap, heap0))
		}
	}
}
