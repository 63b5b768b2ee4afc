package app

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time (user and system) this process has used, or
// with children set, its waited-for child processes (and theirs): unlike
// the wall clock it does not grow while other programs hold the CPU.
func cpuTime(children bool) time.Duration {
	who := syscall.RUSAGE_SELF
	if children {
		who = syscall.RUSAGE_CHILDREN
	}
	var ru syscall.Rusage
	if syscall.Getrusage(who, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
