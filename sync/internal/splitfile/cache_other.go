//go:build !linux

package splitfile

import "os"

// dropCache has no portable equivalent outside Linux: the read-back check
// may then be served from the system's cache.
func dropCache(*os.File, int64, int64) {}

// startWriteback has no portable equivalent: the final fsync does it all.
func startWriteback(*os.File, int64, int64) {}

// waitWriteback has no portable equivalent: the final fsync does it all.
func waitWriteback(*os.File, int64, int64) {}
