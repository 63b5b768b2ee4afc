//go:build !windows

package main

// attachConsole does nothing outside Windows: a command's standard
// streams are the terminal's already.
func attachConsole() {}
