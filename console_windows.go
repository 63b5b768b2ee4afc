package main

import (
	"os"

	"golang.org/x/sys/windows"
)

// attachParentProcess is AttachConsole's "the console of the process
// that started me".
const attachParentProcess = ^uint32(0)

// attachConsole gives a command typed at cmd or PowerShell somewhere to
// print: the .exe is built as a windowed program (no console window of
// its own when started from the desktop), so Windows gives it no standard
// output. It attaches to the console it was started from, if any, and
// points standard input, output and error that were not redirected to a
// file or pipe at that console. (cmd does not wait for a windowed
// program; docs/guide-admin.md says to use start /wait.)
func attachConsole() {
	attach := windows.NewLazySystemDLL("kernel32.dll").NewProc("AttachConsole")
	if ok, _, _ := attach.Call(uintptr(attachParentProcess)); ok == 0 {
		return // started from the desktop or Explorer: no console to use
	}
	reopen(&os.Stdin, "CONIN$", os.O_RDWR)
	reopen(&os.Stdout, "CONOUT$", os.O_RDWR)
	reopen(&os.Stderr, "CONOUT$", os.O_RDWR)
}

// reopen points *f at the console device name unless it already is a
// usable handle (a redirection to a file or pipe).
func reopen(f **os.File, name string, flag int) {
	if *f != nil {
		h := windows.Handle((*f).Fd())
		if t, err := windows.GetFileType(h); h != 0 && err == nil && t != windows.FILE_TYPE_UNKNOWN {
			return
		}
	}
	if c, err := os.OpenFile(name, flag, 0); err == nil {
		*f = c
	}
}
