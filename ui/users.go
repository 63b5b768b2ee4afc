package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
	"mediadesk/ui/i18n"
)

// usersView is 用户管理, for admins: every user with user name, name, role
// and state, 添加用户, and per user 停用 (after a confirmation that says
// they can no longer sign in), 重新启用 (with a new password) and 重置密码.
// app.Session decides what is allowed (not yourself, not the last admin);
// the view shows its answer. Adding a user and setting a password derive a
// key (about half a second), so they run off the UI goroutine.
type usersView struct {
	d       *desk
	users   []app.User
	list    *widget.List
	add     *widget.Button
	msg     *widget.Label
	content fyne.CanvasObject

	addForm *userForm             // while the add dialog shows
	pwForm  *newPasswordForm      // while a new-password dialog shows
	confirm *dialog.ConfirmDialog // while the disable confirmation shows
}

func newUsersView(d *desk) *usersView {
	v := &usersView{d: d, msg: errorLabel()}
	v.add = widget.NewButtonWithIcon(i18n.L("users.add"), theme.ContentAddIcon(), v.openAdd)
	v.add.Importance = widget.HighImportance
	v.list = widget.NewList(
		func() int { return len(v.users) },
		func() fyne.CanvasObject { return newUserRow(v) },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*userRow).set(v.users[i]) })
	header := newUserRow(v)
	header.setHeader()
	title := heading(i18n.L("users.title"))
	title.Wrapping = fyne.TextWrapOff
	top := container.NewVBox(container.NewBorder(nil, nil, nil, container.NewCenter(v.add), title), v.msg, header, widget.NewSeparator())
	v.content = container.NewBorder(top, nil, nil, nil, v.list)
	v.reload()
	return v
}

// reload reads the users again.
func (v *usersView) reload() {
	users, err := v.d.session.Users()
	if err != nil {
		v.say(v.d.errText(err), widget.DangerImportance)
		return
	}
	v.users = users
	v.list.Refresh()
}

// say shows a message above the list.
func (v *usersView) say(text string, imp widget.Importance) {
	v.msg.Importance = imp
	setMessage(v.msg, text)
}

// userRow is one line of the list: four columns of text and the actions.
type userRow struct {
	widget.BaseWidget
	name, display, role, state *widget.Label
	toggle, reset              *widget.Button
	actions                    *fyne.Container
	user                       app.User
}

func newUserRow(v *usersView) *userRow {
	r := &userRow{}
	label := func() *widget.Label {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}
	r.name, r.display, r.role, r.state = label(), label(), label(), label()
	r.toggle = widget.NewButton(i18n.L("users.enable"), func() { v.toggle(r.user) })
	r.reset = widget.NewButton(i18n.L("users.reset_password"), func() { v.resetPassword(r.user) })
	buttons := container.NewHBox(r.toggle, r.reset)
	room := canvas.NewRectangle(color.Transparent) // keeps the columns in line whatever the buttons say
	room.SetMinSize(buttons.MinSize())
	r.actions = container.NewStack(room, buttons)
	r.ExtendBaseWidget(r)
	return r
}

// setHeader turns the row into the column titles, with blank room where
// the actions are.
func (r *userRow) setHeader() {
	for l, key := range map[*widget.Label]string{r.name: "users.username", r.display: "users.name", r.role: "users.role", r.state: "users.state"} {
		l.TextStyle = fyne.TextStyle{Bold: true}
		l.SetText(i18n.L(key))
	}
	r.toggle.Hide()
	r.reset.Hide()
}

// set shows u.
func (r *userRow) set(u app.User) {
	r.user = u
	r.name.SetText(u.Name)
	r.display.SetText(u.DisplayName)
	r.role.SetText(roleLabel(u.Role))
	if u.Active {
		r.state.Importance = widget.MediumImportance
		r.state.SetText(i18n.L("users.state.active"))
		r.toggle.SetText(i18n.L("users.disable"))
		r.reset.Show()
	} else {
		r.state.Importance = widget.WarningImportance
		r.state.SetText(i18n.L("users.state.disabled"))
		r.toggle.SetText(i18n.L("users.enable"))
		r.reset.Hide()
	}
}

// CreateRenderer lays the columns out evenly beside the actions.
func (r *userRow) CreateRenderer() fyne.WidgetRenderer {
	cols := container.NewGridWithColumns(4, r.name, r.display, r.role, r.state)
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, nil, r.actions, cols))
}

// toggle disables an active user (after confirmation) or re-enables a
// disabled one.
func (v *usersView) toggle(u app.User) {
	if u.Active {
		v.confirmDisable(u)
	} else {
		v.enable(u)
	}
}

func (v *usersView) confirmDisable(u app.User) {
	name := i18n.L("users.display_login", map[string]any{"Name": u.DisplayName, "Login": u.Name})
	v.confirm = dialog.NewConfirm(i18n.L("users.disable.title"), i18n.L("users.disable.confirm", map[string]any{"Name": name}),
		func(ok bool) {
			v.confirm = nil
			if ok {
				v.disable(u)
			}
		}, v.d.win)
	v.confirm.SetConfirmText(i18n.L("users.disable"))
	v.confirm.SetDismissText(i18n.L("button.cancel"))
	v.confirm.SetConfirmImportance(widget.DangerImportance)
	v.confirm.Show()
}

// disable stops u from signing in; the data key is rotated in the
// background.
func (v *usersView) disable(u app.User) {
	s := v.d.session
	var err error
	v.say("", widget.MediumImportance)
	v.d.run(func() {
		err = s.DisableUser(u.ID)
	}, func() {
		v.reload()
		if err != nil {
			v.say(v.d.errText(err), widget.DangerImportance)
			return
		}
		v.say(i18n.L("users.disabled", map[string]any{"Name": u.Name}), widget.SuccessImportance)
	})
}

func (v *usersView) enable(u app.User) {
	s := v.d.session
	v.askPassword(i18n.L("users.enable.title", map[string]any{"Name": u.Name}), i18n.L("users.enable.intro"),
		i18n.L("users.enable"), func(pw string) error { return s.EnableUser(u.ID, pw) },
		i18n.L("users.enabled", map[string]any{"Name": u.Name}))
}

func (v *usersView) resetPassword(u app.User) {
	s := v.d.session
	v.askPassword(i18n.L("users.reset_password.title", map[string]any{"Name": u.Name}), i18n.L("users.reset_password.intro"),
		i18n.L("users.reset_password"), func(pw string) error { return s.ResetPassword(u.ID, pw) },
		i18n.L("users.password_reset", map[string]any{"Name": u.Name}))
}

// newPasswordForm is the dialog that asks an admin for a user's new
// password.
type newPasswordForm struct {
	pw     *passwordPair
	form   *form
	submit *widget.Button
	busy   *busy
	dlg    *dialog.CustomDialog
}

// askPassword asks for a new password and runs action with it in the
// background (action must not touch widgets); done is said when it
// succeeds.
func (v *usersView) askPassword(title, intro, submit string, action func(pw string) error, done string) {
	f := &newPasswordForm{form: newForm(v.d)}
	f.pw = addPasswordPair(f.form, i18n.L("recover.new_password"), i18n.L("wizard.password_confirm"))
	cancel := widget.NewButtonWithIcon(i18n.L("button.cancel"), theme.CancelIcon(), nil)
	f.submit = widget.NewButtonWithIcon(submit, theme.ConfirmIcon(), func() {
		f.form.clear()
		if !f.pw.matches() || !f.busy.start() {
			return
		}
		pw := f.pw.password.Text
		var err error
		v.d.run(func() {
			err = action(pw)
		}, func() {
			f.busy.stop()
			if err != nil {
				f.form.fail(err)
				return
			}
			f.dlg.Hide()
			v.reload()
			v.say(done, widget.SuccessImportance)
		})
	})
	f.submit.Importance = widget.HighImportance
	f.busy = newBusy(f.submit, cancel)
	body := container.NewVBox(note(intro), f.form.object(), f.busy.bar)
	f.dlg = dialog.NewCustomWithoutButtons(title, v.d.withCatcher(column(480, body)), v.d.win)
	f.dlg.SetButtons([]fyne.CanvasObject{cancel, f.submit})
	f.dlg.SetOnClosed(func() { v.pwForm = nil })
	cancel.OnTapped = f.dlg.Hide
	v.pwForm = f
	f.dlg.Show()
	v.d.win.Canvas().Focus(f.pw.password)
}

// userForm is the 添加用户 dialog.
type userForm struct {
	name, display *widget.Entry
	role          *widget.Select
	roles         []app.Role
	pw            *passwordPair
	form          *form
	submit        *widget.Button
	busy          *busy
	dlg           *dialog.CustomDialog
}

// openAdd shows the 添加用户 dialog.
func (v *usersView) openAdd() {
	f := &userForm{name: widget.NewEntry(), display: widget.NewEntry(), form: newForm(v.d)}
	f.roles = app.RolesFor(v.d.session.Unit().Kind)
	var labels []string
	for _, r := range f.roles {
		labels = append(labels, roleLabel(r))
	}
	f.role = widget.NewSelect(labels, nil)
	f.role.SetSelectedIndex(0)
	f.name.SetPlaceHolder(i18n.L("users.username.placeholder"))
	f.display.SetPlaceHolder(i18n.L("users.name.placeholder"))
	f.form.add("name", i18n.L("users.username"), f.name)
	f.form.add("display_name", i18n.L("users.name"), f.display)
	f.form.add("role", i18n.L("users.role"), f.role)
	f.pw = addPasswordPair(f.form, i18n.L("wizard.password"), i18n.L("wizard.password_confirm"))
	cancel := widget.NewButtonWithIcon(i18n.L("button.cancel"), theme.CancelIcon(), nil)
	f.submit = widget.NewButtonWithIcon(i18n.L("users.add.submit"), theme.ConfirmIcon(), func() { v.addUser(f) })
	f.submit.Importance = widget.HighImportance
	f.busy = newBusy(f.submit, cancel)
	body := container.NewVBox(f.form.object(), f.busy.bar)
	f.dlg = dialog.NewCustomWithoutButtons(i18n.L("users.add"), v.d.withCatcher(column(480, body)), v.d.win)
	f.dlg.SetButtons([]fyne.CanvasObject{cancel, f.submit})
	f.dlg.SetOnClosed(func() { v.addForm = nil })
	cancel.OnTapped = f.dlg.Hide
	v.addForm = f
	f.dlg.Show()
	v.d.win.Canvas().Focus(f.name)
}

// addUser adds the user of f in the background.
func (v *usersView) addUser(f *userForm) {
	f.form.clear()
	if !f.pw.matches() {
		return
	}
	n := app.NewUser{Name: f.name.Text, DisplayName: f.display.Text, Password: f.pw.password.Text}
	if i := f.role.SelectedIndex(); i >= 0 {
		n.Role = f.roles[i]
	}
	if !f.busy.start() {
		return
	}
	s := v.d.session
	var (
		u   app.User
		err error
	)
	v.d.run(func() {
		u, err = s.AddUser(n)
	}, func() {
		f.busy.stop()
		if err != nil {
			f.form.fail(err)
			return
		}
		f.dlg.Hide()
		v.reload()
		v.say(i18n.L("users.added", map[string]any{"Name": u.Name}), widget.SuccessImportance)
	})
}
