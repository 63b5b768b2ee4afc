// Package benchmeter holds what the benchmarks of several packages share:
// CPU time next to the wall clock (on a shared machine it varies less),
// and the `tar c | age -r` run that sync exports are compared with. It is
// for tests only.
package benchmeter

import (
	"os"
	"os/exec"
	"testing"
)

// TarAge runs `tar c -C dir . | age -r recipient > out` and fsyncs out,
// as an export fsyncs its bundle.
func TarAge(tb testing.TB, dir, recipient, out string) {
	tb.Helper()
	cmd := exec.Command("sh", "-c", `tar c -C "$1" . | age -r "$2" > "$3"`, "sh", dir, recipient, out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("tar | age: %v %s", err, msg)
	}
	f, err := os.OpenFile(out, os.O_RDWR, 0)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		tb.Fatal(err)
	}
}

// ReadBack reads a file back from the medium, bypassing the page cache
// (`dd iflag=direct`), as an export reads its bundle back before it says
// done: timed after TarAge, it makes the like-for-like reference.
func ReadBack(tb testing.TB, path string) {
	tb.Helper()
	cmd := exec.Command("dd", "if="+path, "of=/dev/null", "bs=8M", "iflag=direct", "status=none")
	if msg, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("dd: %v %s", err, msg)
	}
}
