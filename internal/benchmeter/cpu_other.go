//go:build !linux

package benchmeter

import "time"

// ProcessCPU is not measured here (see the Linux version): 0.
func ProcessCPU() time.Duration { return 0 }

// ChildrenCPU is not measured here (see the Linux version): 0.
func ChildrenCPU() time.Duration { return 0 }
