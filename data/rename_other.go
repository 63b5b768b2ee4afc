//go:build !windows

package data

import "os"

// renameFile replaces newpath with oldpath; syncDir then makes it durable.
func renameFile(oldpath, newpath string) error { return os.Rename(oldpath, newpath) }
