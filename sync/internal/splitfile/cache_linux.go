package splitfile

import (
	"os"

	"golang.org/x/sys/unix"
)

// dropCache asks Linux to forget a synced file's cached pages, so that
// reading it back checks what is on the stick, not what is in memory.
// It is advice: a failure changes nothing but the speed of the check.
func dropCache(f *os.File) {
	unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED)
}
