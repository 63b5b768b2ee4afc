//go:build linux

package bundle

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"mediadesk/internal/benchmeter"
)

// BenchmarkExportVsTarAge exports 20,000 records and 200 MB of
// attachments with Write (encrypt, sign, fsync, read back and verify)
// and the same data with `tar c | age -r` plus an fsync, in the same
// run, and reports both times and their ratio (goal ≤ 1.25).
func BenchmarkExportVsTarAge(b *testing.B) {
	for _, tool := range []string{"tar", "age", "sh"} {
		if _, err := exec.LookPath(tool); err != nil {
			b.Skipf("needs %s (scripts/deps.sh installs it)", tool)
		}
	}
	f := keysFixture(b)
	data := b.TempDir()
	recs, atts := exportData(b, data, 20_000, 100, 2<<20)
	out := b.TempDir()
	var ours, theirs, oursCPU, theirsCPU time.Duration
	b.ResetTimer()
	for i := range b.N {
		start, cpu := time.Now(), benchmeter.ChildrenCPU()
		benchmeter.TarAge(b, data, f.hq.Public().Age(), filepath.Join(out, fmt.Sprintf("cli-%d.tar.age", i)))
		theirs += time.Since(start)
		theirsCPU += benchmeter.ChildrenCPU() - cpu

		start, cpu = time.Now(), benchmeter.ProcessCPU()
		if _, err := Write(context.Background(), out, f.dataHeader(int64(i+1)), source(recs), atts, WriteOptions{}); err != nil {
			b.Fatal(err)
		}
		ours += time.Since(start)
		oursCPU += benchmeter.ProcessCPU() - cpu
	}
	b.ReportMetric(ours.Seconds()/float64(b.N), "bundle-s/op")
	b.ReportMetric(theirs.Seconds()/float64(b.N), "tar|age-s/op")
	b.ReportMetric(ours.Seconds()/theirs.Seconds(), "ratio")
	b.ReportMetric(oursCPU.Seconds()/float64(b.N), "bundle-cpu-s/op")
	b.ReportMetric(theirsCPU.Seconds()/float64(b.N), "tar|age-cpu-s/op")
}
