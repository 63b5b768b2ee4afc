package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mediadesk/ui/i18n"
)

// formDialog is a short form in a dialog: an introduction, the fields,
// 取消 and the button that does the work. The work runs off the UI
// goroutine; its error shows at its field or below the form and the
// dialog stays, so nothing typed is lost; on success the dialog closes.
type formDialog struct {
	form   *form
	submit *widget.Button
	busy   *busy
	dlg    *dialog.CustomDialog
}

// showFormDialog shows the dialog. When submit is pressed, prepare reads
// the fields on the UI goroutine and returns the work to run off it (or
// an error to show, such as a field that cannot be read); after the work
// succeeds the dialog closes and done runs. closed runs whenever the
// dialog closes.
func (d *desk) showFormDialog(title, intro, submit string, f *form, prepare func() (func() error, error), done, closed func()) *formDialog {
	fd := &formDialog{form: f}
	cancel := widget.NewButtonWithIcon(i18n.L("button.cancel"), theme.CancelIcon(), nil)
	fd.submit = widget.NewButtonWithIcon(submit, theme.ConfirmIcon(), func() {
		f.clear()
		work, err := prepare()
		if err != nil {
			f.fail(err)
			return
		}
		if !fd.busy.start() {
			return
		}
		var werr error
		d.run(func() {
			werr = work()
		}, func() {
			fd.busy.stop()
			if werr != nil {
				f.fail(werr)
				return
			}
			fd.dlg.Hide()
			done()
		})
	})
	fd.submit.Importance = widget.HighImportance
	fd.busy = newBusy(fd.submit, cancel)
	body := container.NewVBox()
	if intro != "" {
		body.Add(d.para(intro))
	}
	body.Add(f.object())
	body.Add(fd.busy.bar)
	fd.dlg = dialog.NewCustomWithoutButtons(title, d.withCatcher(column(520, body)), d.win)
	fd.dlg.SetButtons([]fyne.CanvasObject{cancel, fd.submit})
	fd.dlg.SetOnClosed(closed)
	cancel.OnTapped = fd.dlg.Hide
	fd.dlg.Show()
	return fd
}

// multiLine is a wrapping multi-line entry of rows rows, for comments and
// reasons (typed in Chinese: Return adds a line, it never sends).
func multiLine(rows int) *widget.Entry {
	e := widget.NewMultiLineEntry()
	e.Wrapping = fyne.TextWrapWord
	e.SetMinRowsVisible(rows)
	return e
}
