package splitfile

import (
	"os"

	"golang.org/x/sys/unix"
)

// dropCache asks Linux to forget a synced range's cached pages (n = 0:
// to the end), so that reading it back checks what is on the stick, not
// what is in memory. It is advice: a failure changes only speed.
func dropCache(f *os.File, off, n int64) {
	unix.Fadvise(int(f.Fd()), off, n, unix.FADV_DONTNEED)
}

// startWriteback starts writing a range to the medium without waiting,
// so the final fsync has little left to do and progress follows the
// stick rather than the page cache.
func startWriteback(f *os.File, off, n int64) {
	unix.SyncFileRange(int(f.Fd()), off, n, unix.SYNC_FILE_RANGE_WRITE)
}

// waitWriteback waits until a range has reached the medium. Errors are
// left to the final fsync, which reports them.
func waitWriteback(f *os.File, off, n int64) {
	unix.SyncFileRange(int(f.Fd()), off, n,
		unix.SYNC_FILE_RANGE_WAIT_BEFORE|unix.SYNC_FILE_RANGE_WRITE|unix.SYNC_FILE_RANGE_WAIT_AFTER)
}
