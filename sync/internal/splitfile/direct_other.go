//go:build !linux

package splitfile

import "io"

// openDirect has no portable equivalent outside Linux: reads go through
// the system's cache.
func openDirect(string) io.ReaderAt { return nil }
