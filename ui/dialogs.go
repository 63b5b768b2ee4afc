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
	content := container.NewBorder(nil, fd.busy.bar, nil, nil, d.dialogScroll(body))
	fd.dlg = dialog.NewCustomWithoutButtons(title, d.withCatcher(column(520, content)), d.win)
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

// dialogChrome is the height a dialog adds to its body (title, buttons,
// padding) with a margin to the window's edges.
const dialogChrome = 160

// minDialogBody is the least height of a dialog's scrolling body.
const minDialogBody = 160

// dialogScroll puts body in a vertical scroll as tall as body, up to what
// the window leaves for it once the dialog's title and buttons are placed:
// a long form (or one showing its errors) scrolls, and the buttons stay on
// screen.
func (d *desk) dialogScroll(body fyne.CanvasObject) fyne.CanvasObject {
	return container.New(heightCap{body: body, win: d.win}, container.NewVScroll(body))
}

// heightCap lays out the scroll of body: as tall as body, at most the
// window's height less dialogChrome.
type heightCap struct {
	body fyne.CanvasObject
	win  fyne.Window
}

func (l heightCap) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (l heightCap) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w float32
	for _, o := range objs {
		w = max(w, o.MinSize().Width)
	}
	room := max(l.win.Canvas().Size().Height-dialogChrome, minDialogBody)
	return fyne.NewSize(w, min(l.body.MinSize().Height, room))
}

// leaveIf runs next at once when nothing is edited; else it asks first
// (confirmDiscard), keeping the question in *asking while it shows:
// 放弃修改 runs next, 取消 runs keep.
func (d *desk) leaveIf(edited bool, asking **dialog.ConfirmDialog, next, keep func()) {
	if !edited {
		next()
		return
	}
	*asking = d.confirmDiscard("", func() {
		*asking = nil
		next()
	}, func() {
		*asking = nil
		keep()
	})
}

// confirmDiscard asks before unsaved changes are dropped, with message
// (discard.confirm when empty): 放弃修改 runs discard, 取消 runs keep
// (when not nil). It returns the dialog, shown.
func (d *desk) confirmDiscard(message string, discard, keep func()) *dialog.ConfirmDialog {
	if message == "" {
		message = i18n.L("discard.confirm")
	}
	c := dialog.NewConfirm(i18n.L("editor.discard.title"), message, func(ok bool) {
		switch {
		case ok:
			discard()
		case keep != nil:
			keep()
		}
	}, d.win)
	c.SetConfirmText(i18n.L("editor.discard"))
	c.SetDismissText(i18n.L("button.cancel"))
	c.SetConfirmImportance(widget.DangerImportance)
	c.Show()
	return c
}
