//go:build !linux

package splitfile

import "os"

// dropCache has no portable equivalent outside Linux: the read-back check
// may then be served from the system's cache.
func dropCache(*os.File) {}
