package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
	"mediadesk/ui/i18n"
)

// rosterView is 民警名册 (Art. 14, 25, 27): every officer with name,
// police number, department or post, the flags (重点涉密岗位, 网络发言人,
// 网络评论员) and whether they are in service; 显示已停用 adds those who
// are not. Shift leaders and admins add (添加民警) and edit (编辑) entries
// in a dialog whose refusals show at the field; others see the roster
// read-only.
type rosterView struct {
	widget.BaseWidget
	d        *desk
	canEdit  bool
	officers []app.RosterEntry
	list     *widget.List
	add      *widget.Button // editors only
	inactive *widget.Check
	msg      *widget.Label
	content  fyne.CanvasObject
	editor   *officerEditor // while the dialog shows
}

func newRosterView(d *desk) *rosterView {
	v := &rosterView{d: d, canEdit: d.session.MayEditRoster(), msg: errorLabel()}
	v.inactive = widget.NewCheck(i18n.L("roster.show_inactive"), func(bool) { v.reload() })
	v.list = widget.NewList(func() int { return len(v.officers) },
		func() fyne.CanvasObject { return newOfficerRow(v) },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*officerRow).set(v.officers[i]) })
	title := heading(i18n.L("nav.roster"))
	title.Wrapping = fyne.TextWrapOff
	bar := container.NewHBox(v.inactive)
	if v.canEdit {
		v.add = widget.NewButtonWithIcon(i18n.L("roster.add"), theme.ContentAddIcon(), func() { v.openEditor(app.RosterEntry{Active: true}) })
		v.add.Importance = widget.HighImportance
		bar.Add(v.add)
	} else {
		v.say(i18n.L("roster.read_only"), widget.MediumImportance)
	}
	header := newOfficerRow(v)
	header.setHeader()
	top := container.NewVBox(container.NewBorder(nil, nil, nil, bar, title), v.msg, header, widget.NewSeparator())
	v.content = container.NewPadded(container.NewBorder(top, nil, nil, nil, v.list)) // a margin like the other areas
	v.reload()
	v.ExtendBaseWidget(v)
	return v
}

// CreateRenderer shows the roster.
func (v *rosterView) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(v.content) }

// reload reads the roster again.
func (v *rosterView) reload() {
	officers, err := v.d.session.Officers(v.inactive.Checked)
	if err != nil {
		v.say(v.d.errText(err), widget.DangerImportance)
		return
	}
	v.officers = officers
	v.list.Refresh()
}

// say shows a message above the roster.
func (v *rosterView) say(text string, imp widget.Importance) {
	v.msg.Importance = imp
	setMessage(v.msg, text)
}

// officerFlags names an officer's flags in the form's order, or "—".
func officerFlags(d *desk, o app.RosterEntry) string {
	var names []string
	for _, f := range []struct {
		key string
		on  bool
	}{{"roster.key_classified", o.KeyClassified}, {"roster.spokesperson", o.Spokesperson}, {"roster.commentator", o.Commentator}} {
		if f.on {
			names = append(names, i18n.L(f.key))
		}
	}
	if len(names) == 0 {
		return "—"
	}
	return d.joinList(names)
}

// officerRow is one line of the roster: five columns and, for editors,
// 编辑.
type officerRow struct {
	widget.BaseWidget
	d       *desk
	cells   [5]*widget.Label // name, police number, department, flags, state
	edit    *widget.Button
	room    *canvas.Rectangle // as wide as 编辑 for editors, so the header lines up
	officer app.RosterEntry
}

func newOfficerRow(v *rosterView) *officerRow {
	r := &officerRow{d: v.d}
	for i := range r.cells {
		r.cells[i] = widget.NewLabel("")
		r.cells[i].Truncation = fyne.TextTruncateEllipsis
	}
	r.edit = widget.NewButtonWithIcon(i18n.L("roster.edit"), theme.DocumentCreateIcon(), func() { v.openEditor(r.officer) })
	r.room = canvas.NewRectangle(color.Transparent)
	if v.canEdit {
		r.room.SetMinSize(r.edit.MinSize())
	} else {
		r.edit.Hide()
	}
	r.ExtendBaseWidget(r)
	return r
}

// setHeader turns the row into the column titles.
func (r *officerRow) setHeader() {
	for i, key := range []string{"roster.name", "roster.police_no", "roster.department", "roster.flags", "roster.state"} {
		r.cells[i].TextStyle = fyne.TextStyle{Bold: true}
		r.cells[i].SetText(i18n.L(key))
	}
	r.edit.Hide() // its room stays, keeping the columns in line with the rows
}

// set shows officer o.
func (r *officerRow) set(o app.RosterEntry) {
	r.officer = o
	r.cells[0].SetText(o.Name)
	r.cells[1].SetText(o.PoliceNo)
	r.cells[2].SetText(o.Department)
	r.cells[3].SetText(officerFlags(r.d, o))
	state, imp := i18n.L("roster.state.active"), widget.MediumImportance
	if !o.Active {
		state, imp = i18n.L("roster.state.inactive"), widget.WarningImportance
	}
	r.cells[4].Importance = imp
	r.cells[4].SetText(state)
}

// CreateRenderer lays the columns out beside 编辑.
func (r *officerRow) CreateRenderer() fyne.WidgetRenderer {
	cols := container.NewGridWithColumns(len(r.cells))
	for _, c := range r.cells {
		cols.Add(c)
	}
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, nil, container.NewStack(r.room, r.edit), cols))
}

// officerEditor is the 添加民警 / 编辑民警 dialog.
type officerEditor struct {
	name, policeNo, department                       *widget.Entry
	keyClassified, spokesperson, commentator, active *widget.Check
	dialog                                           *formDialog
}

// openEditor shows the roster form for o (a new entry when o.ID is
// empty).
func (v *rosterView) openEditor(o app.RosterEntry) {
	e := &officerEditor{name: widget.NewEntry(), policeNo: widget.NewEntry(), department: widget.NewEntry(),
		keyClassified: widget.NewCheck(i18n.L("roster.key_classified"), nil),
		spokesperson:  widget.NewCheck(i18n.L("roster.spokesperson"), nil),
		commentator:   widget.NewCheck(i18n.L("roster.commentator"), nil),
		active:        widget.NewCheck(i18n.L("roster.active"), nil)}
	e.name.SetText(o.Name)
	e.policeNo.SetText(o.PoliceNo)
	e.policeNo.SetPlaceHolder(i18n.L("roster.police_no.placeholder"))
	e.department.SetText(o.Department)
	e.department.SetPlaceHolder(i18n.L("roster.department.placeholder"))
	e.keyClassified.SetChecked(o.KeyClassified)
	e.spokesperson.SetChecked(o.Spokesperson)
	e.commentator.SetChecked(o.Commentator)
	e.active.SetChecked(o.Active)
	f := newForm(v.d)
	f.add("name", i18n.L("roster.name"), e.name)
	f.add("police_no", i18n.L("roster.police_no"), e.policeNo)
	f.add("department", i18n.L("roster.department"), e.department)
	f.add("key_classified", i18n.L("roster.flags"), container.NewVBox(e.keyClassified, note(i18n.L("roster.key_classified.hint")),
		e.spokesperson, e.commentator))
	f.add("", i18n.L("roster.state"), e.active)
	title, submit := i18n.L("roster.add"), i18n.L("roster.add.submit")
	if o.ID != "" {
		title, submit = i18n.L("roster.edit.title", map[string]any{"Name": o.Name}), i18n.L("button.save")
	}
	s := v.d.session
	var saved app.RosterEntry
	v.editor = e
	e.dialog = v.d.showFormDialog(title, "", submit, f, func() (func() error, error) {
		form := app.OfficerForm{ID: o.ID, Name: e.name.Text, PoliceNo: e.policeNo.Text, Department: e.department.Text,
			KeyClassified: e.keyClassified.Checked, Spokesperson: e.spokesperson.Checked, Commentator: e.commentator.Checked,
			Active: e.active.Checked}
		return func() (err error) { saved, err = s.SaveOfficer(form); return err }, nil
	}, func() {
		v.reload()
		v.say(i18n.L("roster.saved", map[string]any{"Name": saved.Name}), widget.SuccessImportance)
	}, func() { v.editor = nil })
	v.d.win.Canvas().Focus(e.name)
}
