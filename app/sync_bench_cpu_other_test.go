//go:build !linux

package app

import "time"

// cpuTime is not measured here (see the Linux version): 0.
func cpuTime(bool) time.Duration { return 0 }
