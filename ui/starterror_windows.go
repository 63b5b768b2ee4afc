package ui

import (
	"fmt"
	"os"

	"golang.org/x/sys/windows"
)

// reportStartupError tells the user why the window cannot open. The
// Windows build has no console, so besides standard error (seen when run
// from a command prompt) it shows a message box.
func reportStartupError(err error) {
	fmt.Fprintf(os.Stderr, "mediadesk: %s\n", oneLine(err.Error()))
	text, _ := windows.UTF16PtrFromString(err.Error())
	caption, _ := windows.UTF16PtrFromString("平安汤阴 新媒体工作台")
	windows.MessageBox(0, text, caption, windows.MB_OK|windows.MB_ICONERROR)
}
