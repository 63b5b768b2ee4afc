package ui

import (
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
	"mediadesk/ui/i18n"
)

// filingForm is the account filing form (Art. 11, 13, 14) on the right of
// 账号: action (开设, 变更, 注销), platform, account name, platform ID,
// URL, kind (unit official account or an officer's personal work
// account), department, for a personal account the officer (from the
// roster) and the Art. 13 declarations, responsible person and contact,
// administrators, verification details, purpose and plan, and the date.
// Art. 14 is checked as the department and the officer are chosen: a
// refusal shows at once at that field, citing the article. 保存 keeps the
// filing as 拟开设, 报备 saves and sends it to HQ; for a change of an open
// account, 报备变更 files the change. Every refusal shows at its field.
type filingForm struct {
	v      *accountsView
	id     string // empty for a new filing
	change bool   // a 变更 of an open account

	form                              *form
	action, platform, kind, officer   *widget.Select
	actions, kinds                    []string // the codes of the action and kind options
	officers                          []app.RosterEntry
	name, platformID, url, department *widget.Entry
	responsible, contact, admins      *widget.Entry
	verification, purpose             *widget.Entry
	date                              *dateField
	declarations                      *widget.CheckGroup
	officerField, declarationsField   fyne.CanvasObject // shown for personal accounts only
	save, file, cancel                *widget.Button
	busy                              *busy
	content                           fyne.CanvasObject
	opened                            string // state() as the form opened
}

// openForm shows the filing form filled with f in place of the account;
// change makes it a 变更 of an open account.
func (v *accountsView) openForm(f app.AccountForm, change bool) {
	d := v.d
	ff := &filingForm{v: v, id: f.ID, change: change, form: newForm(d),
		actions: []string{"open", "change", "close"}, kinds: []string{app.UnitAccount, app.PersonalAccount}}
	var actionOpts, platformOpts, kindOpts, officerOpts []string
	for _, a := range ff.actions {
		actionOpts = append(actionOpts, i18n.L("accounts.action."+a))
	}
	for _, p := range app.Platforms {
		platformOpts = append(platformOpts, platformName(d, p))
	}
	for _, k := range ff.kinds {
		kindOpts = append(kindOpts, i18n.L("accounts.kind."+k))
	}
	if roster, err := d.session.Officers(false); err == nil {
		ff.officers = roster
	}
	for _, o := range ff.officers {
		officerOpts = append(officerOpts, v.officerName(o.ID))
	}
	ff.action, ff.platform = widget.NewSelect(actionOpts, nil), widget.NewSelect(platformOpts, nil)
	ff.kind, ff.officer = widget.NewSelect(kindOpts, nil), widget.NewSelect(officerOpts, nil)
	entry := func(text, placeholder string) *widget.Entry {
		e := widget.NewEntry()
		e.SetText(text)
		if placeholder != "" {
			e.SetPlaceHolder(i18n.L(placeholder))
		}
		return e
	}
	ff.name, ff.platformID = entry(f.Name, "accounts.field.name.placeholder"), entry(f.PlatformID, "")
	ff.url, ff.department = entry(f.URL, ""), entry(f.Department, "accounts.field.department.placeholder")
	ff.url.SetPlaceHolder("https://")
	ff.responsible, ff.contact, ff.admins = entry(f.Responsible, ""), entry(f.Contact, ""), entry(f.Admins, "accounts.field.admins.placeholder")
	ff.verification = entry(f.Verification, "accounts.field.verification.placeholder")
	ff.purpose = multiLine(3)
	ff.purpose.SetText(f.Purpose)
	ff.date = newDateField(d)
	if f.FiledOn.IsZero() {
		f.FiledOn = d.now()
	}
	ff.date.set(f.FiledOn)
	ff.declarations = widget.NewCheckGroup(app.Art13Declarations, nil)
	ff.declarations.SetSelected(f.Declarations)

	if f.Action == "" {
		f.Action = "open"
	}
	ff.action.SetSelectedIndex(slices.Index(ff.actions, f.Action))
	for i, p := range app.Platforms {
		if p.Code == f.Platform {
			ff.platform.SetSelectedIndex(i)
		}
	}
	if i := slices.Index(ff.kinds, f.Kind); i >= 0 {
		ff.kind.SetSelectedIndex(i)
	}
	for i, o := range ff.officers {
		if o.ID == f.OfficerID {
			ff.officer.SetSelectedIndex(i)
		}
	}
	if change {
		ff.action.Disable() // a change is a 变更 on the same platform
		ff.platform.Disable()
	}

	fm := ff.form
	fm.add("action", i18n.L("accounts.field.action"), ff.action)
	fm.add("platform", i18n.L("accounts.field.platform"), ff.platform)
	fm.add("name", i18n.L("accounts.field.name"), ff.name)
	fm.add("platform_id", i18n.L("accounts.field.platform_id"), ff.platformID)
	fm.add("url", i18n.L("accounts.field.url"), ff.url)
	fm.add("kind", i18n.L("accounts.field.kind"), ff.kind)
	fm.add("department", i18n.L("accounts.field.department"), ff.department)
	fm.add("officer", i18n.L("accounts.field.officer"), ff.officer, note(i18n.L("accounts.field.officer.hint")))
	ff.officerField = fm.box.Objects[len(fm.box.Objects)-1] // the field's column, hidden for unit accounts
	fm.add("declarations", i18n.L("accounts.field.declarations"), ff.declarations)
	ff.declarationsField = fm.box.Objects[len(fm.box.Objects)-1]
	fm.add("responsible", i18n.L("accounts.field.responsible"), ff.responsible)
	fm.add("contact", i18n.L("accounts.field.contact"), ff.contact)
	fm.add("admins", i18n.L("accounts.field.admins"), ff.admins)
	fm.add("verification", i18n.L("accounts.field.verification"), ff.verification)
	fm.add("purpose", i18n.L("accounts.field.purpose"), ff.purpose)
	fm.add("filed_on", i18n.L("accounts.field.filed_on"), ff.date.content)

	wrapMessages(d, fm)
	ff.kind.OnChanged = func(string) { ff.showPersonal(); ff.checkArt14() }
	ff.officer.OnChanged = func(string) { ff.checkArt14() }
	ff.department.OnChanged = func(string) { ff.checkArt14() }
	ff.showPersonal()

	ff.cancel = widget.NewButtonWithIcon(i18n.L("button.cancel"), theme.CancelIcon(), ff.close)
	buttons := container.NewHBox(ff.cancel)
	title := i18n.L("accounts.form.new")
	if change {
		title = i18n.L("accounts.form.change")
		ff.file = widget.NewButtonWithIcon(i18n.L("accounts.form.file_change"), theme.MailSendIcon(), func() { ff.submit(true) })
	} else {
		if f.ID != "" {
			title = i18n.L("accounts.form.edit")
		}
		ff.save = widget.NewButtonWithIcon(i18n.L("button.save"), theme.DocumentSaveIcon(), func() { ff.submit(false) })
		ff.file = widget.NewButtonWithIcon(i18n.L("accounts.file"), theme.MailSendIcon(), func() { ff.submit(true) })
		buttons.Add(ff.save)
	}
	ff.file.Importance = widget.HighImportance
	buttons.Add(ff.file)
	ff.busy = newBusy(slices.DeleteFunc([]*widget.Button{ff.save, ff.file, ff.cancel}, func(b *widget.Button) bool { return b == nil })...)
	intro := d.para(i18n.L("accounts.form.intro"))
	body := container.NewVBox(heading(title), intro, fm.object())
	footer := container.NewVBox(widget.NewSeparator(), ff.busy.bar, buttons)
	ff.content = container.NewBorder(nil, container.NewPadded(footer), nil, nil, container.NewVScroll(container.NewPadded(body)))
	ff.checkArt14()
	ff.opened = ff.state()

	v.filing, v.metrics = ff, nil
	v.list.UnselectAll() // choosing any account, the one edited too, leaves the form
	v.say("", widget.MediumImportance)
	v.pane.Objects = []fyne.CanvasObject{ff.content}
	v.pane.Refresh()
	d.win.Canvas().Focus(ff.name)
}

// personal reports whether the form is for a personal work account.
func (ff *filingForm) personal() bool {
	i := ff.kind.SelectedIndex()
	return i >= 0 && ff.kinds[i] == app.PersonalAccount
}

// showPersonal shows the officer and the Art. 13 declarations for a
// personal work account only.
func (ff *filingForm) showPersonal() {
	for _, o := range []fyne.CanvasObject{ff.officerField, ff.declarationsField} {
		if ff.personal() {
			o.Show()
		} else {
			o.Hide()
		}
	}
}

// checkArt14 shows at once, at the department or officer field, an Art.
// 14 refusal of what is chosen, and clears it when the choice changes.
func (ff *filingForm) checkArt14() {
	h := app.AccountHolder{Department: ff.department.Text}
	if ff.personal() {
		h.Personal = true
		if i := ff.officer.SelectedIndex(); i >= 0 {
			h.OfficerDepartment, h.KeyClassifiedPost = ff.officers[i].Department, ff.officers[i].KeyClassified
		}
	}
	ff.form.fields["department"].setError("")
	ff.form.fields["officer"].setError("")
	if err := app.CheckArt14(h); err != nil {
		ff.form.fail(err)
	}
}

// values is the form as app.AccountForm; a date that cannot be read is
// refused at its field.
func (ff *filingForm) values() (app.AccountForm, error) {
	f := app.AccountForm{ID: ff.id, Name: ff.name.Text, PlatformID: ff.platformID.Text, URL: ff.url.Text,
		Department: ff.department.Text, Responsible: ff.responsible.Text, Contact: ff.contact.Text, Admins: ff.admins.Text,
		Verification: ff.verification.Text, Purpose: ff.purpose.Text}
	if i := ff.action.SelectedIndex(); i >= 0 {
		f.Action = ff.actions[i]
	}
	if i := ff.platform.SelectedIndex(); i >= 0 {
		f.Platform = app.Platforms[i].Code
	}
	if i := ff.kind.SelectedIndex(); i >= 0 {
		f.Kind = ff.kinds[i]
	}
	if ff.personal() {
		if i := ff.officer.SelectedIndex(); i >= 0 {
			f.OfficerID = ff.officers[i].ID
		}
		f.Declarations = ff.declarations.Selected
	}
	t, ok, err := ff.date.date()
	if err != nil || !ok {
		return f, &app.FieldError{Field: "filed_on", Msg: i18n.L("date.invalid")}
	}
	f.FiledOn = t
	return f, nil
}

// submit saves the form (保存: 拟开设) and, when file is set, sends it to HQ
// (报备); for a change it files the 变更.
func (ff *filingForm) submit(file bool) {
	v := ff.v
	ff.form.clear()
	f, err := ff.values()
	if err != nil {
		ff.form.fail(err)
		return
	}
	if !ff.busy.start() {
		return
	}
	s, typed := v.d.session, ff.state()
	var a app.Account
	v.d.run(func() {
		if ff.change {
			a, err = s.ChangeAccount(f)
			return
		}
		a, err = s.SaveAccountFiling(f)
		if err == nil && file {
			saved := a.ID
			if a, err = s.FileAccount(saved); err != nil {
				a.ID = saved
			}
		}
	}, func() {
		ff.busy.stop()
		if err != nil {
			if a.ID != "" && ff.id == "" { // saved but not filed: trying again edits it
				ff.id, ff.opened = a.ID, typed
				v.reload()
			}
			ff.form.fail(err)
			return
		}
		done := "accounts.saved"
		switch {
		case ff.change:
			done = "accounts.changed"
		case file:
			done = "accounts.filed"
		}
		v.reload()
		v.showAccount(a.ID)
		v.say(i18n.L(done, map[string]any{"Name": a.Name}), widget.SuccessImportance)
	})
}

// state is everything the form holds, to tell whether it changed.
func (ff *filingForm) state() string {
	parts := []string{ff.name.Text, ff.platformID.Text, ff.url.Text, ff.department.Text, ff.responsible.Text,
		ff.contact.Text, ff.admins.Text, ff.verification.Text, ff.purpose.Text, ff.date.entry.Text}
	for _, s := range []*widget.Select{ff.action, ff.platform, ff.kind, ff.officer} {
		parts = append(parts, strconv.Itoa(s.SelectedIndex()))
	}
	declared := slices.Clone(ff.declarations.Selected)
	slices.Sort(declared)
	parts = append(parts, declared...)
	return strings.Join(parts, "\x00")
}

// edited reports whether the form holds changes not saved yet.
func (ff *filingForm) edited() bool { return ff.state() != ff.opened }

// close (取消) leaves the form for the account it was about, or the empty
// state; changes not saved are dropped only after asking.
func (ff *filingForm) close() {
	v := ff.v
	v.leaveForm(func() {
		if id := v.shown.ID; id != "" {
			v.showAccount(id)
			return
		}
		v.showEmpty()
	})
}

// wrapMessages makes the messages of form f break lines as the UI
// language does, Chinese at any character, so that a long one such as the
// Art. 14 refusal stays inside the form.
func wrapMessages(d *desk, f *form) {
	if d.lang == i18n.English {
		return
	}
	for _, fl := range f.fields {
		fl.msg.Wrapping = fyne.TextWrapBreak
	}
	f.msg.Wrapping = fyne.TextWrapBreak
}
