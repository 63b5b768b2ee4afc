package ui

import (
	"fmt"
	"html"
	"io"
	"net/url"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mediadesk/ui/i18n"
)

// recoveryKeyView shows a new recovery key once, at setup and when an
// admin makes a new one. The key is never stored by the app: the user
// writes it down, saves it to a file of their choice (a USB stick, not this
// computer), or saves a printable page and prints it from the browser.
// The done button is enabled only after the box "我已抄写或保存恢复密钥"
// is ticked.
type recoveryKeyView struct {
	d       *desk
	key     string
	unit    string
	keyText *widget.Label
	status  *widget.Label // where the key was saved
	confirm *widget.Check
	done    *widget.Button
	content fyne.CanvasObject
}

// newRecoveryKeyView shows key of unit; onDone runs when the user has
// confirmed and pressed the done button, labelled doneLabel.
func newRecoveryKeyView(d *desk, key, unit, doneLabel string, onDone func()) *recoveryKeyView {
	v := &recoveryKeyView{d: d, key: key, unit: unit}
	v.keyText = widget.NewLabelWithStyle(key, fyne.TextAlignCenter, fyne.TextStyle{Monospace: true, Bold: true})
	v.keyText.SizeName = theme.SizeNameHeadingText
	v.keyText.Selectable = true
	v.status = note("")
	v.status.Hide()
	v.done = widget.NewButtonWithIcon(doneLabel, theme.ConfirmIcon(), onDone)
	v.done.Importance = widget.HighImportance
	v.done.Disable()
	v.confirm = widget.NewCheck(i18n.L("recovery.confirm"), func(ok bool) {
		if ok {
			v.done.Enable()
		} else {
			v.done.Disable()
		}
	})
	save := widget.NewButtonWithIcon(i18n.L("recovery.save_file"), theme.DocumentSaveIcon(), v.saveFile)
	printPage := widget.NewButtonWithIcon(i18n.L("recovery.print"), theme.DocumentPrintIcon(), v.savePrintPage)
	keyBox := widget.NewCard("", "", v.keyText)
	v.content = container.NewVBox(
		heading(i18n.L("wizard.recovery")),
		note(i18n.L("wizard.recovery.explain")),
		keyBox,
		container.NewHBox(save, printPage),
		v.status,
		widget.NewSeparator(),
		v.confirm,
	)
	return v
}

// text is the key as a plain-text sheet.
func (v *recoveryKeyView) text(now time.Time) string {
	return fmt.Sprintf("%s\n\n%s\n%s\n\n%s\n\n    %s\n\n%s\n",
		i18n.L("recovery.sheet.title"), v.sheetUnit(), v.sheetCreated(now),
		i18n.L("wizard.recovery"), v.key, i18n.L("wizard.recovery.explain"))
}

// sheetUnit is the unit line of the saved and printed sheets.
func (v *recoveryKeyView) sheetUnit() string {
	return i18n.L("recovery.sheet.unit", map[string]any{"Unit": v.unit})
}

// sheetCreated is the date line of the saved and printed sheets.
func (v *recoveryKeyView) sheetCreated(now time.Time) string {
	return i18n.L("recovery.sheet.created", map[string]any{"Time": now.Format("2006-01-02 15:04")})
}

// page is the key as a printable HTML page.
func (v *recoveryKeyView) page(now time.Time) string {
	e := html.EscapeString
	return fmt.Sprintf(`<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>%s</title>
<style>body{font-family:sans-serif;margin:3em}code{font-size:24pt;letter-spacing:.1em}</style></head>
<body><h1>%s</h1><p>%s<br>%s</p><h2>%s</h2><p><code>%s</code></p><p>%s</p></body></html>
`, e(i18n.L("recovery.sheet.title")), e(i18n.L("recovery.sheet.title")), e(v.sheetUnit()), e(v.sheetCreated(now)),
		e(i18n.L("wizard.recovery")), e(v.key), e(i18n.L("wizard.recovery.explain")))
}

// saveFile asks where to save the key as a .txt file and saves it there.
func (v *recoveryKeyView) saveFile() {
	v.saveAs(i18n.L("recovery.file_name")+".txt", ".txt", v.text, func(u fyne.URI) {
		v.showStatus(i18n.L("recovery.saved", map[string]any{"Path": u.Path()}))
	})
}

// savePrintPage asks where to save a printable page of the key, saves it
// and opens it in the browser, where the user prints it (the app has no
// printer support of its own).
func (v *recoveryKeyView) savePrintPage() {
	v.saveAs(i18n.L("recovery.file_name")+".html", ".html", v.page, func(u fyne.URI) {
		msg := i18n.L("recovery.print_opened", map[string]any{"Path": u.Path()})
		if err := v.d.fyneApp.OpenURL(&url.URL{Scheme: "file", Path: u.Path()}); err != nil {
			msg = i18n.L("recovery.print_saved", map[string]any{"Path": u.Path()})
		}
		v.showStatus(msg)
	})
}

// saveAs runs a save dialog for name and writes content into the chosen
// file, then calls saved.
func (v *recoveryKeyView) saveAs(name, ext string, content func(time.Time) string, saved func(fyne.URI)) {
	dlg := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			v.showError(err)
			return
		}
		if w == nil {
			return // cancelled
		}
		_, err = io.WriteString(w, content(time.Now()))
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			v.showError(err)
			return
		}
		saved(w.URI())
	}, v.d.win)
	dlg.SetFileName(name)
	dlg.SetFilter(storage.NewExtensionFileFilter([]string{ext}))
	dlg.Resize(fyne.NewSize(960, 600)) // room for the folders; fits a 1366×768 screen
	dlg.Show()
}

func (v *recoveryKeyView) showStatus(text string) {
	v.status.Importance = widget.SuccessImportance
	v.status.SetText(text)
	v.status.Show()
}

func (v *recoveryKeyView) showError(err error) {
	v.status.Importance = widget.DangerImportance
	v.status.SetText(i18n.L("recovery.save_failed", map[string]any{"Error": v.d.errText(err)}))
	v.status.Show()
}
