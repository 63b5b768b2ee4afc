//go:build !windows

package ui

import (
	"fmt"
	"os"
)

// reportStartupError tells the user why the window cannot open, on
// standard error (a terminal, or the desktop session's log).
func reportStartupError(err error) {
	fmt.Fprintf(os.Stderr, "mediadesk: %s\n", oneLine(err.Error()))
}
