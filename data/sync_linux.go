package data

import "golang.org/x/sys/unix"

// dataSync flushes a file's data (and the metadata needed to read it)
// with fdatasync; the journal overwrites preallocated zeros, so its
// length does not change and no inode commit is needed.
func dataSync(f journalFile) error {
	if fd, ok := f.(interface{ Fd() uintptr }); ok {
		for {
			err := unix.Fdatasync(int(fd.Fd()))
			if err != unix.EINTR {
				return err
			}
		}
	}
	return f.Sync()
}
