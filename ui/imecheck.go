package ui

import (
	"fmt"
	"os"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
)

// IME check mode (make ime-check, scripts/ime-check.sh): signed in as in
// smoke mode, the window opens 稿件 with a new draft and puts the keyboard
// focus in its body; every imeCheckEvery it writes the text of the focused
// entry to a file, so that a script typing pinyin through a real input
// method can see what arrived. It quits after imeCheckFor.
const (
	imeCheckEvery = 500 * time.Millisecond
	imeCheckFor   = 60 * time.Second
)

// imeCheck runs IME check mode, writing to path. It runs on its own
// goroutine once the shell shows.
func (d *desk) imeCheck(path string) {
	fyne.DoAndWait(func() {
		v := d.shell.openPosts()
		v.openEditor(app.PostDraft{}, "")
		d.win.Canvas().Focus(v.editor.body)
	})
	tick := time.NewTicker(imeCheckEvery)
	defer tick.Stop()
	end := time.Now().Add(imeCheckFor)
	for time.Now().Before(end) {
		<-tick.C
		var text string
		fyne.DoAndWait(func() {
			if e, ok := d.win.Canvas().Focused().(*widget.Entry); ok {
				text = e.Text
			}
		})
		if err := writeFileAtomic(path, []byte(text)); err != nil {
			fmt.Fprintf(os.Stderr, "mediadesk: IME check: %s\n", oneLine(err.Error()))
			fyne.Do(func() {
				d.exitCode = 1
				d.quit()
			})
			return
		}
	}
	fyne.Do(d.quit)
}

// writeFileAtomic replaces path with data, so that a reader never sees
// half of it.
func writeFileAtomic(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return nil
}
