//go:build windows

package data

import "golang.org/x/sys/windows"

// renameFile replaces newpath with oldpath and returns only once the
// rename is on disk (MOVEFILE_WRITE_THROUGH): Windows cannot fsync a
// directory, so this is what makes the rename durable there.
func renameFile(oldpath, newpath string) error {
	from, err := windows.UTF16PtrFromString(oldpath)
	if err != nil {
		return err
	}
	to, err := windows.UTF16PtrFromString(newpath)
	if err != nil {
		return err
	}
	return windows.MoveFileEx(from, to, windows.MOVEFILE_REPLACE_EXISTING|windows.MOVEFILE_WRITE_THROUGH)
}
