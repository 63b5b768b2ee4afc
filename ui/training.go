package ui

import (
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
	"mediadesk/ui/i18n"
)

// trainingView is 培训 at a station (Art. 27), in two tabs. 培训记录: on
// the left 登记培训 (the primary action), the period filter and the
// sessions held in it, newest first (date, form, hours, attendees,
// topics); on the right the selected session with its attendees and
// materials (打开… saves a plain copy where the user chooses and opens it)
// and 修改 for whoever may correct it. The form takes the whole area
// while it is open. 学时统计: the hours per officer of a period and 导出
// XLSX (hoursView).
type trainingView struct {
	d       *desk
	content *fyne.Container // the tabs, or the form while it is open
	tabs    *container.AppTabs

	add                 *widget.Button
	from, to            *dateField
	filterMsg, listInfo *widget.Label
	rows                []app.TrainingSummary
	list                *widget.List
	gen                 int // counts list reads; an older read is dropped
	quiet               bool

	detail    *fyne.Container // the shown training, or the empty state
	detailMsg *widget.Label
	shown     string // ID of the training shown, empty for none
	showGen   int
	edit      *widget.Button // 修改 on the shown training, when allowed

	form  *trainingForm // while open
	hours *hoursView
}

// trainingListLimit bounds the sessions the list reads at once; a longer
// period asks for a narrower one.
const trainingListLimit = 500

func newTrainingView(d *desk) *trainingView {
	v := &trainingView{d: d, detailMsg: errorLabel(), detail: container.NewStack()}
	v.add = widget.NewButtonWithIcon(i18n.L("training.add"), theme.ContentAddIcon(), func() { v.openForm(app.TrainingDetail{}) })
	v.add.Importance = widget.HighImportance
	v.from, v.to = newDateField(d), newDateField(d)
	v.from.changed, v.to.changed = v.datesChanged, v.datesChanged
	v.from.entry.SetPlaceHolder(i18n.L("training.hours.from"))
	v.to.entry.SetPlaceHolder(i18n.L("training.hours.to"))
	v.filterMsg = errorLabel()
	v.listInfo = widget.NewLabel("")
	v.listInfo.SizeName = theme.SizeNameCaptionText
	v.list = widget.NewList(func() int { return len(v.rows) },
		func() fyne.CanvasObject { return newTrainingRow() },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(v.rows) {
				o.(*trainingRow).set(d, v.rows[i])
			}
		})
	v.list.OnSelected = func(i widget.ListItemID) {
		if !v.quiet && i < len(v.rows) {
			v.show(v.rows[i].ID)
		}
	}
	dates := container.NewBorder(nil, nil, widget.NewLabel(i18n.L("training.filter.period")), nil,
		container.NewGridWithColumns(2, v.from.content, v.to.content))
	top := container.NewVBox(container.NewHBox(v.add), dates, v.filterMsg, v.listInfo, widget.NewSeparator())
	left := container.NewBorder(top, nil, nil, nil, v.list)
	right := container.NewBorder(container.NewPadded(v.detailMsg), nil, nil, nil, v.detail)
	split := container.NewHSplit(container.NewPadded(left), right)
	split.Offset = 0.42

	v.hours = newHoursView(d)
	v.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(i18n.L("training.tab.log"), theme.FileTextIcon(), split),
		container.NewTabItemWithIcon(i18n.L("training.tab.hours"), theme.GridIcon(), v.hours.content))
	v.content = container.NewStack(v.tabs)
	v.showEmpty()
	v.reload()
	return v
}

// trainingRow is a session in the list: date, form, hours and attendees
// on the first line, the topics below.
type trainingRow struct {
	widget.BaseWidget
	day, form, facts, topics *widget.Label
	first                    *fyne.Container
}

func newTrainingRow() *trainingRow {
	r := &trainingRow{day: widget.NewLabelWithStyle("2026-01-01", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		form: widget.NewLabel(""), facts: widget.NewLabel(""), topics: widget.NewLabel("")}
	r.form.Truncation = fyne.TextTruncateEllipsis
	r.topics.Truncation = fyne.TextTruncateEllipsis
	r.topics.SizeName = theme.SizeNameCaptionText
	r.first = container.NewBorder(nil, nil, r.day, r.facts, r.form)
	r.ExtendBaseWidget(r)
	return r
}

// CreateRenderer lays the row out.
func (r *trainingRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.New(tightRows{}, r.first, r.topics))
}

func (r *trainingRow) set(d *desk, t app.TrainingSummary) {
	r.day.SetText(t.HeldOn)
	r.form.SetText(trainingFormName(d, t.Training))
	r.facts.SetText(i18n.L("training.row.facts", map[string]any{"Hours": app.FormatHours(t.Minutes), "Count": t.Attendees}))
	r.topics.SetText(trainingTopicNames(d, t.Training))
	r.first.Refresh() // the facts' width changed: lay the line out again
}

// choiceName is a training form's or topic's name in the UI language.
func choiceName(d *desk, c app.TrainingChoice) string {
	if d.lang == i18n.English {
		return c.NameEN
	}
	return c.Name
}

// trainingFormName is a training's form in the UI language; 其他 with
// the words given.
func trainingFormName(d *desk, t app.Training) string {
	if t.Form == app.TrainingFormOther && t.FormOther != "" {
		return i18n.L("training.form.other", map[string]any{"Text": t.FormOther})
	}
	for _, c := range app.TrainingForms {
		if c.Code == t.Form {
			return choiceName(d, c)
		}
	}
	return t.Form
}

// trainingTopicNames is a training's topics in the UI language.
func trainingTopicNames(d *desk, t app.Training) string {
	var names []string
	for _, code := range app.TopicCodes(t.Topics) {
		for _, c := range app.TrainingTopics {
			if c.Code == code {
				names = append(names, choiceName(d, c))
			}
		}
	}
	return d.joinList(names)
}

// datesChanged reloads once both date fields hold a whole date or
// nothing.
func (v *trainingView) datesChanged() {
	for _, f := range []*dateField{v.from, v.to} {
		if _, _, err := f.date(); err != nil && len([]rune(strings.TrimSpace(f.entry.Text))) < len(time.DateOnly) {
			return // still typing
		}
	}
	v.reload()
}

// reload reads the sessions of the period again.
func (v *trainingView) reload() {
	from, _, err1 := v.from.date()
	to, _, err2 := v.to.date()
	if err1 != nil || err2 != nil {
		v.filterMsg.Importance = widget.DangerImportance
		setMessage(v.filterMsg, i18n.L("date.invalid"))
		return
	}
	setMessage(v.filterMsg, "")
	v.gen++
	gen, s := v.gen, v.d.session
	var (
		rows []app.TrainingSummary
		err  error
	)
	v.d.run(func() {
		rows, err = s.Trainings(app.TrainingQuery{From: from, To: to, Limit: trainingListLimit})
	}, func() {
		if gen != v.gen {
			return
		}
		if err != nil {
			v.filterMsg.Importance = widget.DangerImportance
			setMessage(v.filterMsg, v.d.errText(err))
			return
		}
		v.rows = rows
		switch {
		case len(rows) == 0:
			v.listInfo.SetText(i18n.L("training.list.empty"))
		case len(rows) == trainingListLimit:
			v.listInfo.SetText(i18n.L("training.list.limited", map[string]any{"Count": len(rows)}))
		default:
			v.listInfo.SetText(i18n.L("training.list.count", map[string]any{"Count": len(rows)}))
		}
		v.quiet = true
		v.list.UnselectAll()
		for i, r := range rows {
			if r.ID == v.shown {
				v.list.Select(i)
			}
		}
		v.quiet = false
		v.list.Refresh()
	})
}

// showEmpty says what to do when no session is selected.
func (v *trainingView) showEmpty() {
	body := container.NewVBox(sectionTitle(i18n.L("training.detail.none")), v.d.para(i18n.L("training.detail.none.hint")))
	v.detail.Objects = []fyne.CanvasObject{container.NewPadded(body)}
	v.detail.Refresh()
}

// say shows the result of an action above the detail.
func (v *trainingView) say(text string, imp widget.Importance) {
	v.detailMsg.Importance = imp
	setMessage(v.detailMsg, text)
}

// show reads training id and shows it beside the list.
func (v *trainingView) show(id string) {
	if id != v.shown {
		v.say("", widget.MediumImportance)
	}
	v.shown = id
	v.showGen++
	gen, s := v.showGen, v.d.session
	var (
		td  app.TrainingDetail
		err error
	)
	v.d.run(func() { td, err = s.Training(id) }, func() {
		if gen != v.showGen {
			return
		}
		if err != nil {
			v.say(v.d.errText(err), widget.DangerImportance)
			return
		}
		v.detail.Objects = []fyne.CanvasObject{v.build(td)}
		v.detail.Refresh()
	})
}

// build lays out training td.
func (v *trainingView) build(td app.TrainingDetail) fyne.CanvasObject {
	d := v.d
	title := heading(td.HeldOn + "  " + trainingFormName(d, td.Training))
	facts := container.New(layout.NewFormLayout(),
		factLabel("training.field.hours"), widget.NewLabel(app.FormatHours(td.Minutes)),
		factLabel("training.detail.topics"), userText(trainingTopicNames(d, td.Training)),
		factLabel("training.field.trainer"), userText(td.Trainer),
		factLabel("training.field.place"), userText(td.Place))
	var names []string
	for _, o := range td.Attendees {
		n := o.Name
		if !o.Active {
			n += i18n.L("training.attendees.left")
		}
		names = append(names, n)
	}
	body := container.NewVBox(title, facts, widget.NewSeparator(),
		sectionTitle(i18n.L("training.detail.attendees", map[string]any{"Count": len(td.Attendees)})),
		userText(d.joinList(names)))
	if td.Summary != "" {
		body.Add(sectionTitle(i18n.L("training.field.summary")))
		body.Add(userText(td.Summary))
	}
	body.Add(sectionTitle(i18n.L("training.field.materials")))
	if len(td.Materials) == 0 {
		body.Add(widget.NewLabel(i18n.L("training.detail.no_materials")))
	}
	for _, m := range td.Materials {
		open := widget.NewButtonWithIcon(i18n.L("training.material.open"), theme.FileIcon(), func() { v.openMaterial(td.ID, m) })
		name := widget.NewLabel(m.Name + "  " + byteSize(m.Size))
		name.Truncation = fyne.TextTruncateEllipsis
		body.Add(container.NewBorder(nil, nil, nil, open, name))
	}
	logged := widget.NewLabel(i18n.L("training.detail.logged", map[string]any{"Time": when(time.UnixMilli(td.UpdatedAt)), "Version": td.Version}))
	logged.SizeName = theme.SizeNameCaptionText
	body.Add(widget.NewSeparator())
	body.Add(logged)
	v.edit = nil
	if d.session.MayEditTraining(td.Training) {
		v.edit = widget.NewButtonWithIcon(i18n.L("training.edit"), theme.DocumentCreateIcon(), func() { v.openForm(td) })
		body.Add(container.NewHBox(v.edit))
	}
	return container.NewVScroll(container.NewPadded(body))
}

// factLabel is the bold name of a fact in a detail.
func factLabel(key string) *widget.Label {
	return widget.NewLabelWithStyle(i18n.L(key), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// byteSize is a file size for people: 812 B, 4.2 KB, 31.5 MB.
func byteSize(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}

// openMaterial asks where to save a plain copy of material m, writes it
// off the UI goroutine and opens it with the program the system has for
// it. (The app never leaves a plain copy anywhere by itself.)
func (v *trainingView) openMaterial(trainingID string, m app.Material) {
	s := v.d.session
	copyTo := func(w io.Writer) error {
		r, err := s.OpenMaterial(trainingID, m.ID)
		if err != nil {
			return err
		}
		defer r.Close()
		_, err = io.Copy(w, r)
		return err
	}
	fail := func(err error) { v.say(v.d.errText(err), widget.DangerImportance) }
	askSaveFile(v.d, m.Name, func(w fyne.URIWriteCloser) {
		writeFile(v.d, w, copyTo, func(u fyne.URI, err error) {
			if err != nil {
				fail(err)
				return
			}
			msg := i18n.L("training.material.opened", map[string]any{"Path": u.Path()})
			if err := v.d.fyneApp.OpenURL(&url.URL{Scheme: "file", Path: u.Path()}); err != nil {
				msg = i18n.L("training.material.saved", map[string]any{"Path": u.Path()})
			}
			v.say(msg, widget.SuccessImportance)
		})
	}, fail)
}

// askSaveFile asks where to save a file named name and hands the chosen
// file to chosen; nothing happens when the user cancels.
func askSaveFile(d *desk, name string, chosen func(fyne.URIWriteCloser), failed func(error)) {
	dlg := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		switch {
		case err != nil:
			failed(err)
		case w != nil:
			chosen(w)
		}
	}, d.win)
	dlg.SetFileName(name)
	if ext := strings.ToLower(storage.NewFileURI(name).Extension()); ext != "" {
		dlg.SetFilter(storage.NewExtensionFileFilter([]string{ext, strings.ToUpper(ext)}))
	}
	dlg.Resize(fyne.NewSize(960, 600)) // room for the folders; fits a 1366×768 screen
	dlg.Show()
}

// writeFile runs write into w off the UI goroutine, closes w, and calls
// done on the UI goroutine; a failed write removes the partial file.
func writeFile(d *desk, w fyne.URIWriteCloser, write func(io.Writer) error, done func(fyne.URI, error)) {
	var err error
	d.run(func() {
		err = write(w)
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			_ = storage.Delete(w.URI())
		}
	}, func() { done(w.URI(), err) })
}

// openForm opens the training form over the whole area: empty for a new
// training, filled with td to correct it.
func (v *trainingView) openForm(td app.TrainingDetail) {
	v.form = newTrainingForm(v, td)
	v.content.Objects = []fyne.CanvasObject{v.form.content}
	v.content.Refresh()
}

// closeForm gives the area back to the tabs; a saved training shows in
// the detail.
func (v *trainingView) closeForm(saved string) {
	v.form = nil
	v.content.Objects = []fyne.CanvasObject{v.tabs}
	v.content.Refresh()
	if saved != "" {
		v.show(saved)
		v.say(i18n.L("training.saved"), widget.SuccessImportance)
		v.reload()
		v.hours.stale()
	}
}
