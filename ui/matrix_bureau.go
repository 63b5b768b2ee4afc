package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
	"mediadesk/ui/i18n"
)

// The county bureau's own accounts (县局账号, "平安汤阴" …) in 账号总览: HQ
// records them with 登记县局账号, sees them at the head of the matrix
// marked 县局, and edits (修改) or closes (注销) them from their detail.
// They are recorded 已备案 at once (app.SaveBureauAccount): no filing, no
// approval, and they stay at HQ.

// bureauForm is the form for one of the bureau's accounts, in the
// matrix's right pane: platform, name, platform ID, address, the
// department that runs it (宣传科 when left empty), responsible person,
// contact, administrators, purpose and the day it was opened. 保存
// records it (or the edit); every refusal shows at its field.
type bureauForm struct {
	v    *matrixView
	id   string // empty for a new account
	form *form

	platform                              *widget.Select
	name, platformID, url, department     *widget.Entry
	responsible, contact, admins, purpose *widget.Entry
	opened                                *dateField
	save, cancel                          *widget.Button
	busy                                  *busy
	content                               fyne.CanvasObject
	initial                               string // state() as the form opened
}

// openBureauForm shows the form filled with f in place of the account.
func (v *matrixView) openBureauForm(f app.BureauAccountForm) {
	d := v.s.d
	bf := &bureauForm{v: v, id: f.ID, form: newForm(d)}
	var platformOpts []string
	for _, p := range app.Platforms {
		platformOpts = append(platformOpts, platformName(d, p))
	}
	bf.platform = widget.NewSelect(platformOpts, nil)
	for i, p := range app.Platforms {
		if p.Code == f.Platform {
			bf.platform.SetSelectedIndex(i)
		}
	}
	entry := func(text, placeholder string) *widget.Entry {
		e := widget.NewEntry()
		e.SetText(text)
		e.SetPlaceHolder(placeholder)
		return e
	}
	bf.name, bf.platformID = entry(f.Name, ""), entry(f.PlatformID, "")
	bf.url = entry(f.URL, "https://")
	bf.department = entry(f.Department, i18n.L("matrix.bureau.field.department.placeholder"))
	bf.responsible, bf.contact = entry(f.Responsible, ""), entry(f.Contact, "")
	bf.admins = entry(f.Admins, i18n.L("accounts.field.admins.placeholder"))
	bf.purpose = multiLine(3)
	bf.purpose.SetText(f.Purpose)
	bf.opened = newDateField(d)
	if f.OpenedOn.IsZero() {
		f.OpenedOn = d.now()
	}
	bf.opened.set(f.OpenedOn)

	fm := bf.form
	fm.add("platform", i18n.L("accounts.field.platform"), bf.platform)
	fm.add("name", i18n.L("accounts.field.name"), bf.name)
	fm.add("platform_id", i18n.L("accounts.field.platform_id"), bf.platformID)
	fm.add("url", i18n.L("accounts.field.url"), bf.url)
	fm.add("department", i18n.L("matrix.bureau.field.department"), bf.department)
	fm.add("responsible", i18n.L("accounts.field.responsible"), bf.responsible)
	fm.add("contact", i18n.L("accounts.field.contact"), bf.contact)
	fm.add("admins", i18n.L("accounts.field.admins"), bf.admins)
	fm.add("purpose", i18n.L("accounts.field.purpose"), bf.purpose)
	fm.add("filed_on", i18n.L("matrix.bureau.field.opened_on"), bf.opened.content)
	wrapMessages(d, fm)

	bf.cancel = widget.NewButtonWithIcon(i18n.L("button.cancel"), theme.CancelIcon(), bf.close)
	bf.save = widget.NewButtonWithIcon(i18n.L("button.save"), theme.DocumentSaveIcon(), bf.submit)
	bf.save.Importance = widget.HighImportance
	bf.busy = newBusy(bf.save, bf.cancel)
	title := i18n.L("matrix.bureau.form.new")
	if f.ID != "" {
		title = i18n.L("matrix.bureau.form.edit")
	}
	body := container.NewVBox(heading(title), d.para(i18n.L("matrix.bureau.form.intro")), fm.object())
	footer := container.NewVBox(widget.NewSeparator(), bf.busy.bar, container.NewHBox(bf.cancel, bf.save))
	bf.content = container.NewBorder(nil, container.NewPadded(footer), nil, nil, container.NewVScroll(container.NewPadded(body)))
	bf.initial = bf.state()

	v.form = bf
	v.list.UnselectAll()
	v.say("", widget.MediumImportance)
	v.show(bf.content)
	d.win.Canvas().Focus(bf.name)
}

// values is the form as app.BureauAccountForm; a date that cannot be read
// is refused at its field.
func (bf *bureauForm) values() (app.BureauAccountForm, error) {
	f := app.BureauAccountForm{ID: bf.id, Name: bf.name.Text, PlatformID: bf.platformID.Text, URL: bf.url.Text,
		Department: bf.department.Text, Responsible: bf.responsible.Text, Contact: bf.contact.Text, Admins: bf.admins.Text,
		Purpose: bf.purpose.Text}
	if i := bf.platform.SelectedIndex(); i >= 0 {
		f.Platform = app.Platforms[i].Code
	}
	t, ok, err := bf.opened.date()
	if err != nil || !ok {
		return f, &app.FieldError{Field: "filed_on", Msg: i18n.L("date.invalid")}
	}
	f.OpenedOn = t
	return f, nil
}

// submit records the account (or the edit) and shows it.
func (bf *bureauForm) submit() {
	v := bf.v
	bf.form.clear()
	f, err := bf.values()
	if err != nil {
		bf.form.fail(err)
		return
	}
	if !bf.busy.start() {
		return
	}
	s := v.s.d.session
	var a app.Account
	v.s.d.run(func() { a, err = s.SaveBureauAccount(f) }, func() {
		bf.busy.stop()
		if err != nil {
			bf.form.fail(err)
			return
		}
		done := "matrix.bureau.saved"
		if bf.id != "" {
			done = "matrix.bureau.edited"
		}
		v.form = nil
		v.reload()
		v.showAccount(a.ID)
		v.say(i18n.L(done, map[string]any{"Name": a.Name}), widget.SuccessImportance)
	})
}

// state is everything the form holds, to tell whether it changed.
func (bf *bureauForm) state() string {
	return strings.Join([]string{bf.platform.Selected, bf.name.Text, bf.platformID.Text, bf.url.Text, bf.department.Text,
		bf.responsible.Text, bf.contact.Text, bf.admins.Text, bf.purpose.Text, bf.opened.entry.Text}, "\x00")
}

// edited reports whether the form holds changes not saved yet.
func (bf *bureauForm) edited() bool { return bf.state() != bf.initial }

// close (取消) leaves the form for the account it was about, or the empty
// state; changes not saved are dropped only after asking.
func (bf *bureauForm) close() {
	v := bf.v
	v.leaveForm(func() {
		if bf.id != "" {
			v.showAccount(bf.id)
			return
		}
		v.shown = ""
		v.showEmpty("matrix.none_selected")
	})
}

// leaveForm runs next, which replaces the bureau form; while the form
// holds changes not saved, only after the user agrees to drop them.
func (v *matrixView) leaveForm(next func()) {
	v.s.d.leaveIf(v.form != nil && v.form.edited(), &v.discard, func() {
		v.form = nil
		next()
	}, func() { v.list.UnselectAll() })
}

// showBureau shows bureau account ad: its status, 县局, the platform, 修改
// and 注销 while it is open, every field and who recorded, edited and
// closed it.
func (v *matrixView) showBureau(ad app.AccountDetail) {
	d := v.s.d
	st := app.FilingStatus(ad.Status)
	status := widget.NewLabelWithStyle(filingStatusLabel(st), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	status.Importance = filingStatusImportance(st)
	facts := i18n.L("matrix.bureau") + " · " + platformNameOf(d, ad.Platform) + " · " + i18n.L("accounts.kind."+ad.Kind)
	head := container.NewVBox(heading(ad.Name), container.NewHBox(status, widget.NewLabel(facts)), d.para(i18n.L("matrix.bureau.note")))
	actions := container.NewHBox()
	if d.session.MayKeepBureauAccount(ad.Account) {
		a := ad.Account
		edit := widget.NewButtonWithIcon(i18n.L("matrix.bureau.edit"), theme.DocumentCreateIcon(), func() {
			v.openBureauForm(app.BureauFormOf(a))
		})
		closeIt := widget.NewButtonWithIcon(i18n.L("matrix.bureau.close"), theme.DeleteIcon(), func() { v.closeBureau(a) })
		closeIt.Importance = widget.DangerImportance
		actions.Add(edit)
		actions.Add(closeIt)
	}
	// 账号's field list and history, from an accountsView that shows
	// nothing else.
	fields := &accountsView{d: d, officers: map[string]app.RosterEntry{}}
	body := container.NewVBox(head, actions, widget.NewSeparator(), fields.fieldsPart(ad), widget.NewSeparator(), fields.historyPart(ad))
	v.show(container.NewVScroll(container.NewPadded(body)))
}

// closeBureau asks for the closing day of bureau account a and closes it.
func (v *matrixView) closeBureau(a app.Account) {
	d := v.s.d
	s := d.session
	day := newDateField(d)
	day.set(d.now())
	f := newForm(d)
	f.add("closed_on", i18n.L("accounts.close.day"), day.content)
	v.dialog = d.showFormDialog(i18n.L("matrix.bureau.close"), i18n.L("matrix.bureau.close.intro", map[string]any{"Name": a.Name}),
		i18n.L("matrix.bureau.close"), f, func() (func() error, error) {
			t, ok, err := day.date()
			if err != nil || !ok {
				return nil, &app.FieldError{Field: "closed_on", Msg: i18n.L("date.invalid")}
			}
			return func() error { _, err := s.CloseBureauAccount(a.ID, t); return err }, nil
		}, func() {
			v.refresh()
			v.say(i18n.L("matrix.bureau.close.done", map[string]any{"Name": a.Name}), widget.SuccessImportance)
		}, func() { v.dialog = nil })
}
