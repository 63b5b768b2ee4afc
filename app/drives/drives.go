// Package drives lists the removable drives (USB sticks, memory cards) a
// sync bundle can be written to: on Linux the volumes the desktop mounted
// under /media/<user> or /run/media/<user>, on Windows the removable drive
// letters. Elsewhere it finds none, and the user picks a folder instead.
package drives

// Drive is a mounted removable drive.
type Drive struct {
	Path  string // where to write: a mount point, or a drive root such as `E:\`
	Label string // the volume name, else the folder name
	Free  int64  // bytes free, or -1 if unknown
}

// List returns the removable drives mounted now, in path order; none when
// they cannot be found out.
func List() []Drive { return list() }
