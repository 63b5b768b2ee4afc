// Command barewindow is the smallest Fyne window (one label) at Media
// Desk's window size: scripts/window-numbers.sh times its start next to
// mediadesk's, so the cost of the graphics stack itself is known.
package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("cn.tangyin.police.mediadesk.barewindow")
	w := a.NewWindow("barewindow")
	w.SetContent(widget.NewLabel("Media Desk"))
	w.Resize(fyne.NewSize(1280, 720))
	w.ShowAndRun()
}
