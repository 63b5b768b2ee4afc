//go:build !linux && !windows

package drives

func list() []Drive { return nil }
