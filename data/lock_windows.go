//go:build windows

package data

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// lockDir takes an exclusive OS lock on dir/LOCK, held until release.
func lockDir(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	ol := new(windows.Overlapped)
	err = windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, ol)
	if err != nil {
		f.Close()
		if errors.Is(err, windows.ERROR_LOCK_VIOLATION) {
			return nil, ErrInUse
		}
		return nil, err
	}
	return f, nil
}

// Windows cannot fsync a directory handle; renames are made durable by
// renameFile (MOVEFILE_WRITE_THROUGH) instead.
func isSyncUnsupported(err error) bool { return true }
