package ui

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
	"mediadesk/ui/i18n"
)

// trainingForm logs a training or corrects one: on the left the date, the
// hours (a decimal such as 1.5), the form (其他 asks for its words), the
// topics (several), trainer, place, summary and the materials (添加材料…
// seals a file into the store at once, off the UI goroutine); on the right
// the attendees, picked from the active roster with a search box. 保存
// checks everything in app.Session.SaveTraining and shows each problem at
// its field; nothing is saved until every field is right. No entry saves
// on Return (a pinyin input method sends it while composing).
type trainingForm struct {
	v  *trainingView
	d  *desk
	id string // the training corrected, empty for a new one

	form                  *form
	heldOn                *dateField
	hours, other          *widget.Entry
	trainer, place        *widget.Entry
	summary               *widget.Entry
	kind                  *widget.Select
	otherBox              *fyne.Container
	topics                *widget.CheckGroup
	materials             []app.Material // in order
	materialList          *fyne.Container
	addMaterial           *widget.Button
	materialsField        *field
	search                *widget.Entry
	officers, shown       []app.RosterEntry // the choosable roster; those the search shows
	chosen                map[string]bool
	attendeeList          *widget.List
	attendeeCount         *widget.Label
	attendeesField        *field
	save, cancel          *widget.Button
	busy                  *busy
	content               fyne.CanvasObject
	selectAll, selectNone *widget.Button
	rosterEmpty           *widget.Label
	initial               string                // state() as filled, to tell whether it was edited
	discard               *dialog.ConfirmDialog // the question before edits are dropped, while it shows
}

func newTrainingForm(v *trainingView, td app.TrainingDetail) *trainingForm {
	d := v.d
	f := &trainingForm{v: v, d: d, id: td.ID, form: newForm(d), chosen: map[string]bool{}}
	f.heldOn = newDateField(d)
	f.hours = widget.NewEntry()
	f.hours.SetPlaceHolder(i18n.L("training.field.hours.placeholder"))
	var kinds []string
	for _, c := range app.TrainingForms {
		kinds = append(kinds, choiceName(d, c))
	}
	f.other = widget.NewEntry()
	f.kind = widget.NewSelect(kinds, func(string) { f.showOther() })
	var topics []string
	for _, c := range app.TrainingTopics {
		topics = append(topics, choiceName(d, c))
	}
	f.topics = widget.NewCheckGroup(topics, nil)
	f.topics.Horizontal = true
	f.trainer, f.place = widget.NewEntry(), widget.NewEntry()
	f.summary = multiLine(4)
	f.materialList = container.NewVBox()
	f.addMaterial = widget.NewButtonWithIcon(i18n.L("training.material.add"), theme.ContentAddIcon(), f.chooseMaterial)
	hint := d.para(i18n.L("training.material.hint"))
	hint.SizeName = theme.SizeNameCaptionText

	f.form.add("held_on", i18n.L("training.field.held_on"), f.heldOn.content)
	f.form.add("hours", i18n.L("training.field.hours"), f.hours)
	f.form.add("form", i18n.L("training.field.form"), f.kind)
	otherField := &field{msg: errorLabel()}
	f.form.fields["form_other"] = otherField
	f.otherBox = container.NewVBox(widget.NewLabel(i18n.L("training.field.form_other")), f.other, otherField.msg)
	f.form.box.Add(f.otherBox)
	f.form.add("topics", i18n.L("training.field.topics"), f.topics)
	f.form.add("trainer", i18n.L("training.field.trainer"), f.trainer)
	f.form.add("place", i18n.L("training.field.place"), f.place)
	f.form.add("summary", i18n.L("training.field.summary"), f.summary)
	f.materialsField = f.form.add("materials", i18n.L("training.field.materials"), f.materialList, container.NewHBox(f.addMaterial), hint)

	// The attendees, on the right: the search box filters the roster as
	// it is typed (Return does nothing else); the checks choose.
	f.search = widget.NewEntry()
	f.search.SetPlaceHolder(i18n.L("training.attendees.search"))
	f.search.ActionItem = widget.NewIcon(theme.SearchIcon())
	f.search.OnChanged = func(string) { f.filter() }
	f.attendeeCount = widget.NewLabel("")
	f.attendeeList = widget.NewList(func() int { return len(f.shown) },
		func() fyne.CanvasObject { return widget.NewCheck("", nil) },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(f.shown) {
				return
			}
			c, off := o.(*widget.Check), f.shown[i]
			c.OnChanged = nil
			c.SetText(officerLine(off))
			c.SetChecked(f.chosen[off.ID])
			c.OnChanged = func(on bool) { f.choose(off.ID, on) }
		})
	f.selectAll = widget.NewButton(i18n.L("training.attendees.all"), func() {
		for _, o := range f.shown {
			f.chosen[o.ID] = true
		}
		f.attendeesChanged()
	})
	f.selectNone = widget.NewButton(i18n.L("training.attendees.none"), func() {
		f.chosen = map[string]bool{}
		f.attendeesChanged()
	})
	f.rosterEmpty = d.para(i18n.L("training.attendees.empty_roster"))
	f.rosterEmpty.Importance = widget.WarningImportance
	f.rosterEmpty.Hide()
	f.attendeesField = &field{msg: errorLabel()}
	f.form.fields["attendees"] = f.attendeesField
	attendeesTop := container.NewVBox(sectionTitle(i18n.L("training.field.attendees")), f.search,
		container.NewBorder(nil, nil, nil, container.NewHBox(f.selectAll, f.selectNone), f.attendeeCount),
		f.attendeesField.msg, f.rosterEmpty)
	attendees := container.NewBorder(attendeesTop, nil, nil, nil, f.attendeeList)

	f.save = widget.NewButtonWithIcon(i18n.L("button.save"), theme.DocumentSaveIcon(), f.submit)
	f.save.Importance = widget.HighImportance
	f.cancel = widget.NewButtonWithIcon(i18n.L("button.cancel"), theme.CancelIcon(), func() {
		d.leaveIf(f.state() != f.initial, &f.discard, func() { v.closeForm("") }, func() {})
	})
	f.busy = newBusy(f.save, f.cancel)
	title := i18n.L("training.form.new")
	if td.ID != "" {
		title = i18n.L("training.form.edit")
	}
	left := container.NewVScroll(container.NewPadded(f.form.object()))
	body := container.NewGridWithColumns(2, left, container.NewPadded(attendees))
	footer := container.NewVBox(widget.NewSeparator(), f.busy.bar,
		container.NewHBox(f.save, f.cancel))
	f.content = container.NewBorder(container.NewPadded(heading(title)), container.NewPadded(footer), nil, nil, body)

	f.fill(td)
	f.loadRoster(td)
	f.initial = f.state()
	return f
}

// state is what the form holds, for telling whether it was edited: the
// fields as read, and the attendees chosen (the roster loads later).
func (f *trainingForm) state() string {
	t, err := f.read()
	t.Attendees = slices.Sorted(maps.Keys(f.chosen))
	return fmt.Sprintf("%#v %v", t, err)
}

// officerLine is an officer as the attendee list shows them.
func officerLine(o app.RosterEntry) string {
	line := o.Name + "  " + o.PoliceNo + "  " + o.Department
	if !o.Active {
		line += i18n.L("training.attendees.left")
	}
	return line
}

// fill shows training td in the fields (a new training: today, no form
// chosen).
func (f *trainingForm) fill(td app.TrainingDetail) {
	if td.ID == "" {
		f.heldOn.set(f.d.now())
		f.showOther()
		f.attendeesChanged()
		return
	}
	if day, err := time.ParseInLocation(time.DateOnly, td.HeldOn, time.Local); err == nil {
		f.heldOn.set(day)
	}
	f.hours.SetText(app.FormatHours(td.Minutes))
	for i, c := range app.TrainingForms {
		if c.Code == td.Form {
			f.kind.SetSelectedIndex(i)
		}
	}
	f.other.SetText(td.FormOther)
	var topics []string
	for _, code := range app.TopicCodes(td.Topics) {
		for _, c := range app.TrainingTopics {
			if c.Code == code {
				topics = append(topics, choiceName(f.d, c))
			}
		}
	}
	f.topics.SetSelected(topics)
	f.trainer.SetText(td.Trainer)
	f.place.SetText(td.Place)
	f.summary.SetText(td.Summary)
	for _, m := range td.Materials {
		f.addMaterialRow(m)
	}
	for _, o := range td.Attendees {
		f.chosen[o.ID] = true
	}
	f.showOther()
	f.attendeesChanged()
}

// showOther shows the words of 其他 only when 其他 is chosen.
func (f *trainingForm) showOther() {
	if i := f.kind.SelectedIndex(); i >= 0 && app.TrainingForms[i].Code == app.TrainingFormOther {
		f.otherBox.Show()
	} else {
		f.otherBox.Hide()
	}
}

// loadRoster reads the roster off the UI goroutine: the active officers,
// and those no longer active who attended the training corrected.
func (f *trainingForm) loadRoster(td app.TrainingDetail) {
	s := f.d.session
	var (
		all []app.RosterEntry
		err error
	)
	f.d.run(func() { all, err = s.Officers(true) }, func() {
		if err != nil {
			f.form.fail(err)
			return
		}
		f.officers = f.officers[:0]
		for _, o := range all {
			if o.Active || slices.ContainsFunc(td.Attendees, func(a app.RosterEntry) bool { return a.ID == o.ID }) {
				f.officers = append(f.officers, o)
			}
		}
		if len(f.officers) == 0 {
			f.rosterEmpty.Show()
		}
		f.filter()
	})
}

// filter shows the officers whose name, police number or department
// holds the search text.
func (f *trainingForm) filter() {
	q := strings.TrimSpace(f.search.Text)
	f.shown = f.shown[:0]
	for _, o := range f.officers {
		if q == "" || strings.Contains(o.Name, q) || strings.Contains(o.PoliceNo, q) || strings.Contains(o.Department, q) {
			f.shown = append(f.shown, o)
		}
	}
	f.attendeeList.Refresh()
}

// choose adds or removes an attendee.
func (f *trainingForm) choose(id string, on bool) {
	if on {
		f.chosen[id] = true
	} else {
		delete(f.chosen, id)
	}
	f.attendeesChanged()
}

// attendeesChanged shows the number chosen and the checks.
func (f *trainingForm) attendeesChanged() {
	f.attendeeCount.SetText(i18n.L("training.attendees.count", map[string]any{"Count": len(f.chosen)}))
	f.attendeesField.setError("")
	f.attendeeList.Refresh()
}

// chooseMaterial asks for a file to add as a material (添加材料…).
func (f *trainingForm) chooseMaterial() {
	dlg := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			f.materialsField.setError(f.d.errText(err))
			return
		}
		if r == nil {
			return // cancelled
		}
		f.attach(r, r.URI().Name())
	}, f.d.win)
	var exts []string
	for _, e := range app.MaterialExtensions() {
		exts = append(exts, e, strings.ToUpper(e))
	}
	dlg.SetFilter(storage.NewExtensionFileFilter(exts))
	dlg.Resize(fyne.NewSize(900, 600))
	dlg.Show()
}

// attach seals r into the store off the UI goroutine and lists it.
func (f *trainingForm) attach(r io.ReadCloser, name string) {
	s := f.d.session
	f.materialsField.setError("")
	f.addMaterial.Disable()
	var (
		m   app.Material
		err error
	)
	f.d.run(func() {
		m, err = s.AttachMaterial(r, name)
		_ = r.Close()
	}, func() {
		f.addMaterial.Enable()
		if err != nil {
			f.materialsField.setError(f.d.errText(err))
			return
		}
		if !slices.ContainsFunc(f.materials, func(x app.Material) bool { return x.ID == m.ID }) {
			f.addMaterialRow(m)
		}
	})
}

// addMaterialRow lists material m with 移除.
func (f *trainingForm) addMaterialRow(m app.Material) {
	f.materials = append(f.materials, m)
	name := widget.NewLabel(m.Name + "  " + byteSize(m.Size))
	name.Truncation = fyne.TextTruncateEllipsis
	var row *fyne.Container
	remove := widget.NewButtonWithIcon(i18n.L("training.material.remove"), theme.DeleteIcon(), func() {
		f.materials = slices.DeleteFunc(f.materials, func(x app.Material) bool { return x.ID == m.ID })
		f.materialList.Remove(row)
	})
	remove.Importance = widget.LowImportance
	row = container.NewBorder(nil, nil, widget.NewIcon(theme.FileIcon()), remove, name)
	f.materialList.Add(row)
}

// read collects the fields; a date that cannot be read is an error at
// its field.
func (f *trainingForm) read() (app.TrainingForm, error) {
	t := app.TrainingForm{ID: f.id, Hours: f.hours.Text, FormOther: f.other.Text, Trainer: f.trainer.Text,
		Place: f.place.Text, Summary: f.summary.Text}
	day, ok, err := f.heldOn.date()
	if err != nil {
		return t, &app.FieldError{Field: "held_on", Msg: err.Error()}
	}
	if ok {
		t.HeldOn = day
	}
	if i := f.kind.SelectedIndex(); i >= 0 {
		t.Form = app.TrainingForms[i].Code
	}
	for _, c := range app.TrainingTopics {
		if slices.Contains(f.topics.Selected, choiceName(f.d, c)) {
			t.Topics = append(t.Topics, c.Code)
		}
	}
	for _, o := range f.officers { // in roster order
		if f.chosen[o.ID] {
			t.Attendees = append(t.Attendees, o.ID)
		}
	}
	for _, m := range f.materials {
		t.Materials = append(t.Materials, m.ID)
	}
	return t, nil
}

// submit saves the training off the UI goroutine; problems show at their
// fields and the form stays open with everything typed.
func (f *trainingForm) submit() {
	f.form.clear()
	t, err := f.read()
	if err != nil {
		f.form.fail(err)
		return
	}
	if !f.busy.start() {
		return
	}
	s := f.d.session
	var saved app.Training
	f.d.run(func() { saved, err = s.SaveTraining(t) }, func() {
		f.busy.stop()
		if err != nil {
			f.form.fail(err)
			return
		}
		f.v.closeForm(saved.ID)
	})
}
