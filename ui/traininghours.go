package ui

import (
	"io"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
	"mediadesk/ui/i18n"
)

// hoursView is 学时统计 in 培训: a period (this year so far to start
// with), 统计, a table of every officer's trainings and hours in it (every
// active officer, 0 when untrained; one no longer active only when they
// trained), the totals, and 导出 XLSX…, which asks where to save the
// workbook and writes it off the UI goroutine.
type hoursView struct {
	d        *desk
	content  fyne.CanvasObject
	form     *form
	from, to *dateField
	run      *widget.Button
	export   *widget.Button
	busy     *busy
	table    *widget.Table
	total    *widget.Label
	msg      *widget.Label
	report   app.HoursReport
	shown    bool // a report is shown
}

// hoursColumns are the table's column titles and widths.
var hoursColumns = []struct {
	key   string
	width float32
}{
	{"training.hours.col.no", 60}, {"training.hours.col.name", 140}, {"training.hours.col.police_no", 110},
	{"training.hours.col.department", 220}, {"training.hours.col.sessions", 90}, {"training.hours.col.hours", 80},
}

func newHoursView(d *desk) *hoursView {
	h := &hoursView{d: d, form: newForm(d), total: widget.NewLabel(""), msg: errorLabel()}
	h.form.box = container.NewGridWithColumns(2)
	h.from, h.to = newDateField(d), newDateField(d)
	today := d.now()
	h.from.set(time.Date(today.Year(), 1, 1, 0, 0, 0, 0, time.Local))
	h.to.set(today)
	h.form.add("from", i18n.L("training.hours.from"), h.from.content)
	h.form.add("to", i18n.L("training.hours.to"), h.to.content)
	h.run = widget.NewButtonWithIcon(i18n.L("training.hours.run"), theme.ViewRefreshIcon(), h.compute)
	h.run.Importance = widget.HighImportance
	h.export = widget.NewButtonWithIcon(i18n.L("training.hours.export"), theme.DocumentSaveIcon(), h.chooseFile)
	h.export.Disable()
	h.busy = newBusy(h.run, h.export)
	h.table = widget.NewTable(func() (int, int) { return len(h.report.Rows), len(hoursColumns) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			o.(*widget.Label).SetText(h.cell(id.Row, id.Col))
		})
	h.table.ShowHeaderRow = true
	h.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	h.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 {
			o.(*widget.Label).SetText(i18n.L(hoursColumns[id.Col].key))
		}
	}
	for i, c := range hoursColumns {
		h.table.SetColumnWidth(i, c.width)
	}
	h.total.TextStyle.Bold = true
	h.total.Wrapping = fyne.TextWrapWord
	hint := d.para(i18n.L("training.hours.hint"))
	hint.SizeName = theme.SizeNameCaptionText
	h.total.SetText(i18n.L("training.hours.none"))
	top := container.NewVBox(hint, container.NewGridWithColumns(2, h.form.object(), layout.NewSpacer()), container.NewHBox(h.run, h.export), h.busy.bar, h.msg, widget.NewSeparator())
	h.content = container.NewPadded(container.NewBorder(top, container.NewVBox(widget.NewSeparator(), h.total), nil, nil, h.table))
	return h
}

// cell is the text of the table's row r, column c.
func (h *hoursView) cell(r, c int) string {
	if r >= len(h.report.Rows) {
		return ""
	}
	o := h.report.Rows[r]
	switch c {
	case 0:
		return strconv.Itoa(r + 1)
	case 1:
		if !o.Active {
			return o.Name + i18n.L("training.attendees.left")
		}
		return o.Name
	case 2:
		return o.PoliceNo
	case 3:
		return o.Department
	case 4:
		return strconv.Itoa(o.Sessions)
	}
	return app.FormatHours(o.Minutes)
}

// period reads the two dates; one that cannot be read is an error at its
// field.
func (h *hoursView) period() (from, to time.Time, err error) {
	for _, p := range []struct {
		f   *dateField
		dst *time.Time
		key string
	}{{h.from, &from, "from"}, {h.to, &to, "to"}} {
		t, _, derr := p.f.date()
		if derr != nil {
			return from, to, &app.FieldError{Field: p.key, Msg: derr.Error()}
		}
		*p.dst = t
	}
	return from, to, nil
}

// compute reads the report of the period off the UI goroutine and shows
// it.
func (h *hoursView) compute() {
	h.form.clear()
	setMessage(h.msg, "")
	from, to, err := h.period()
	if err != nil {
		h.form.fail(err)
		return
	}
	if !h.busy.start() {
		return
	}
	s := h.d.session
	var r app.HoursReport
	h.d.run(func() { r, err = s.HoursReport(from, to) }, func() {
		h.busy.stop()
		if err != nil {
			h.form.fail(err)
			h.export.Disable()
			return
		}
		h.report, h.shown = r, true
		h.total.SetText(i18n.L("training.hours.total", map[string]any{"People": len(r.Rows), "Sessions": r.Sessions,
			"Hours": app.FormatHours(r.Minutes), "Trainings": len(r.Trainings)}))
		h.table.Refresh()
		h.export.Enable()
	})
}

// stale recomputes a shown report after a training was saved.
func (h *hoursView) stale() {
	if h.shown {
		h.compute()
	}
}

// chooseFile asks where to save the workbook of the report shown.
func (h *hoursView) chooseFile() {
	r := h.report
	setMessage(h.msg, "")
	askSaveFile(h.d, i18n.L("training.hours.file_name")+"_"+r.From+"_"+r.To+".xlsx", h.exportTo,
		func(err error) { h.exported(nil, err) })
}

// exportTo writes the workbook of the report shown into w off the UI
// goroutine (the save dialog's choice).
func (h *hoursView) exportTo(w fyne.URIWriteCloser) {
	if !h.busy.start() {
		return
	}
	r, s := h.report, h.d.session
	writeFile(h.d, w, func(w io.Writer) error { return s.ExportHoursXLSX(w, r) }, func(u fyne.URI, err error) {
		h.busy.stop()
		h.exported(u, err)
	})
}

// exported says where the workbook went, or why it did not.
func (h *hoursView) exported(u fyne.URI, err error) {
	if err != nil {
		h.msg.Importance = widget.DangerImportance
		setMessage(h.msg, h.d.errText(err))
		return
	}
	h.msg.Importance = widget.SuccessImportance
	setMessage(h.msg, i18n.L("training.hours.exported", map[string]any{"Path": u.Path()}))
}
