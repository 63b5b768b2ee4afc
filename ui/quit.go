package ui

import (
	"time"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"mediadesk/ui/i18n"
)

// Leaving the app: closing the window and 文件 › 退出 come here. The open
// editor's working copy is kept first (an autosave may still be waiting
// for typing to pause), so the next start offers it back; while work runs
// in the background (an export writing to a stick, an import), the user
// is asked first, since quitting stops it half-way.

// quitGrace is how long the process may take to end after quitting.
// Fyne 2.7.1 can hang at exit: when its main loop stops while a lifecycle
// event waits to run on it, Run never returns. CI saw it once: the window
// gone, the process alive, the data folder still locked, so the next
// start would be refused. Then the watchdog closes the store and exits.
var quitGrace = 10 * time.Second

// quit ends the app: Fyne's loop stops and Main closes the store, or,
// should Run not return within quitGrace, the watchdog does.
func (d *desk) quit() {
	code := d.exitCode
	time.AfterFunc(quitGrace, func() {
		d.finish()
		d.exit(code)
	})
	d.fyneApp.Quit()
}

// finish closes the session, once, whoever gets there first: Main after
// Run returns, or quit's watchdog.
func (d *desk) finish() { d.closeOnce.Do(d.close) }

// requestQuit keeps the editor's working copy, then quits, asking first
// while background work runs.
func (d *desk) requestQuit() {
	d.keepWorkingCopy()
	if d.pending == 0 {
		d.quit()
		return
	}
	if d.quitAsk != nil {
		return // asked already
	}
	d.quitAsk = dialog.NewConfirm(i18n.L("quit.busy.title"), i18n.L("quit.busy.confirm"), func(ok bool) {
		d.quitAsk = nil
		if ok {
			d.quit()
		}
	}, d.win)
	d.quitAsk.SetConfirmText(i18n.L("menu.quit"))
	d.quitAsk.SetDismissText(i18n.L("button.cancel"))
	d.quitAsk.SetConfirmImportance(widget.DangerImportance)
	d.quitAsk.Show()
}

// keepWorkingCopy saves the open editor's unsaved changes as its working
// copy, at once, on the UI goroutine: one small write, and the window is
// about to go.
func (d *desk) keepWorkingCopy() {
	if d.shell == nil || d.shell.posts == nil || d.shell.posts.editor == nil || d.session == nil {
		return
	}
	e := d.shell.posts.editor
	if !e.dirty {
		return
	}
	if err := d.session.Autosave(e.draft()); err == nil {
		e.dirty = false
	}
}

// counted wraps run so that d.pending counts the work under way; both
// calls and done happen on the UI goroutine.
func (d *desk) counted(run func(work, done func())) func(work, done func()) {
	return func(work, done func()) {
		d.pending++
		run(work, func() {
			d.pending--
			done()
		})
	}
}
