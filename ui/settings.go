package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
	"mediadesk/ui/i18n"
	mdtheme "mediadesk/ui/theme"
)

// settingsView is 设置, in tabs. 常规: the language (saved in the Fyne
// preferences, used from the next start), the appearance (applied at
// once) and the auto-lock minutes (admins change them; others see them).
// 修改密码: the user's own password. Admins also get 用户管理 (usersView)
// and 恢复密钥, which makes a new recovery key and shows it once. Admins,
// shift leaders and the publicity section get 审计记录 (auditView), read
// again each time the tab is chosen.
type settingsView struct {
	categories     *widget.Entry // admins of a station: the post category list
	categoriesSave *widget.Button
	d              *desk
	tabs           *container.AppTabs

	language   *widget.RadioGroup
	langNote   *widget.Label
	appearance *widget.RadioGroup
	idle       *widget.Entry  // admins only
	idleSave   *widget.Button // admins only
	idleForm   *form
	rulesOpen  *widget.Button // HQ's admins: the county's message rules
	rules      *rulesForm     // their dialog while it shows

	oldPassword *widget.Entry
	oldField    *field
	pw          *passwordPair
	pwForm      *form
	pwSave      *widget.Button
	pwBusy      *busy

	users    *usersView // admins only
	usersTab *container.TabItem
	audit    *auditView // overseers only
	auditTab *container.TabItem
	newKey   *widget.Button // admins only
	keyBusy  *busy
	key      *recoveryKeyView // the new key while its dialog shows
}

// Language and appearance options, in the order the radio groups show them.
var (
	languages   = []i18n.Language{i18n.Chinese, i18n.English}
	appearances = []mdtheme.Variant{mdtheme.System, mdtheme.Light, mdtheme.Dark}
)

// languageLabel is the radio option of language l.
func languageLabel(l i18n.Language) string { return i18n.L("settings.language." + string(l)) }

// appearanceLabel is the radio option of appearance v.
func appearanceLabel(v mdtheme.Variant) string { return i18n.L("settings.appearance." + string(v)) }

func newSettingsView(d *desk) *settingsView {
	v := &settingsView{d: d}
	admin := d.session.User().Role.IsAdmin()
	v.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(i18n.L("settings.general"), theme.SettingsIcon(), scrollColumn(v.general(admin))),
		container.NewTabItemWithIcon(i18n.L("settings.password"), theme.AccountIcon(), scrollColumn(v.password())),
	)
	if admin {
		v.users = newUsersView(d)
		v.usersTab = container.NewTabItemWithIcon(i18n.L("users.title"), theme.ListIcon(), v.users.content)
		v.tabs.Append(v.usersTab)
		v.tabs.Append(container.NewTabItemWithIcon(i18n.L("wizard.recovery"), lockIcon, scrollColumn(v.recovery())))
	}
	switch d.session.User().Role {
	case app.StationAdmin, app.ShiftLeader, app.HQAdmin, app.HQStaff:
		v.audit = newAuditView(d)
		v.auditTab = container.NewTabItemWithIcon(i18n.L("audit.title"), theme.HistoryIcon(), v.audit.content)
		v.tabs.Append(v.auditTab)
		v.tabs.OnSelected = func(t *container.TabItem) {
			if t == v.auditTab {
				v.audit.reload()
			}
		}
	}
	return v
}

// scrollColumn is a scrolling, width-limited page of the work area.
func scrollColumn(obj fyne.CanvasObject) fyne.CanvasObject {
	return container.NewVScroll(container.NewPadded(column(areaWidth, obj)))
}

// showUsers selects the user admin tab (admins only).
func (v *settingsView) showUsers() *usersView {
	v.tabs.Select(v.usersTab)
	return v.users
}

func (v *settingsView) general(admin bool) fyne.CanvasObject {
	prefs := v.d.prefs
	var langOpts, lookOpts []string
	for _, l := range languages {
		langOpts = append(langOpts, languageLabel(l))
	}
	for _, a := range appearances {
		lookOpts = append(lookOpts, appearanceLabel(a))
	}
	v.language = widget.NewRadioGroup(langOpts, nil)
	v.language.Horizontal = true
	v.language.Required = true
	v.language.SetSelected(languageLabel(languagePref(prefs)))
	v.langNote = note(i18n.L("settings.language.restart"))
	v.langNote.Importance = widget.WarningImportance
	v.langNote.Hide()
	v.language.OnChanged = func(label string) {
		for _, l := range languages {
			if languageLabel(l) == label {
				prefs.SetString(prefLanguage, string(l))
			}
		}
		v.langNote.Show()
	}

	v.appearance = widget.NewRadioGroup(lookOpts, nil)
	v.appearance.Horizontal = true
	v.appearance.Required = true
	v.appearance.SetSelected(appearanceLabel(themePref(prefs)))
	v.appearance.OnChanged = func(label string) {
		for _, a := range appearances {
			if appearanceLabel(a) == label {
				prefs.SetString(prefTheme, string(a))
				v.d.fyneApp.Settings().SetTheme(mdtheme.New(a))
			}
		}
	}

	f := newForm(v.d)
	f.add("", i18n.L("settings.language"), v.language, v.langNote)
	f.add("", i18n.L("settings.appearance"), v.appearance)
	minutes := strconv.Itoa(v.d.session.IdleMinutes())
	if admin {
		v.idle = widget.NewEntry()
		v.idle.SetText(minutes)
		v.idleSave = widget.NewButtonWithIcon(i18n.L("button.save"), theme.DocumentSaveIcon(), v.saveIdle)
		f.add("idle_minutes", i18n.L("settings.idle_lock"),
			container.NewHBox(column(120, v.idle), v.idleSave), note(i18n.L("settings.idle_lock.hint")))
	} else {
		f.add("", i18n.L("settings.idle_lock"),
			widget.NewLabel(i18n.L("settings.idle_lock.value", map[string]any{"Minutes": minutes})),
			note(i18n.L("settings.idle_lock.admin_only")))
	}
	v.idleForm = f
	if admin && v.d.session.Unit().Kind == app.HQ {
		v.rulesOpen = widget.NewButtonWithIcon(i18n.L("settings.message_rules.open"), theme.SettingsIcon(), v.openMessageRules)
		f.add("", i18n.L("settings.message_rules"), container.NewHBox(v.rulesOpen), note(i18n.L("settings.message_rules.hint")))
	}
	if admin && v.d.session.Unit().Kind == app.Station {
		// Return in this multi-line Chinese field only adds a line.
		v.categories = widget.NewMultiLineEntry()
		v.categories.SetText(strings.Join(v.d.session.PostCategories(), "\n"))
		v.categories.SetMinRowsVisible(6)
		v.categoriesSave = widget.NewButtonWithIcon(i18n.L("button.save"), theme.DocumentSaveIcon(), v.saveCategories)
		f.add("categories", i18n.L("settings.categories"), v.categories,
			note(i18n.L("settings.categories.hint")), container.NewHBox(v.categoriesSave))
	}
	return container.NewVBox(heading(i18n.L("settings.general")), f.object())
}

// openMessageRules reads the county's message rules and opens their
// dialog (HQ's admins).
func (v *settingsView) openMessageRules() {
	s := v.d.session
	var r app.MessageRules
	v.d.run(func() { r = s.MessageRules() }, func() {
		v.rules = v.d.showMessageRules(r, func() { v.idleForm.done(i18n.L("message.rules.saved")) }, func() { v.rules = nil })
	})
}

// saveCategories saves the post category list, one per line; app/ checks
// each entry.
func (v *settingsView) saveCategories() {
	v.idleForm.clear()
	if err := v.d.session.SetPostCategories(strings.Split(v.categories.Text, "\n")); err != nil {
		v.idleForm.fail(err)
		return
	}
	v.categories.SetText(strings.Join(v.d.session.PostCategories(), "\n"))
	v.idleForm.done(i18n.L("settings.saved"))
}

// saveIdle saves the auto-lock minutes; app/ checks the range (text that is
// no number is passed as 0 and refused there).
func (v *settingsView) saveIdle() {
	v.idleForm.clear()
	n, err := strconv.Atoi(v.idle.Text)
	if err != nil {
		n = 0
	}
	if err := v.d.session.SetIdleMinutes(n); err != nil {
		v.idleForm.fail(err)
		return
	}
	v.d.idle.SetMinutes(n)
	v.idleForm.done(i18n.L("settings.saved"))
}

func (v *settingsView) password() fyne.CanvasObject {
	v.oldPassword = widget.NewPasswordEntry()
	v.pwForm = newForm(v.d)
	v.oldField = v.pwForm.add("old_password", i18n.L("settings.password.old"), v.oldPassword)
	v.pw = addPasswordPair(v.pwForm, i18n.L("recover.new_password"), i18n.L("wizard.password_confirm"))
	v.pwSave = widget.NewButtonWithIcon(i18n.L("settings.password.change"), theme.ConfirmIcon(), v.changePassword)
	v.pwSave.Importance = widget.HighImportance
	v.pwBusy = newBusy(v.pwSave)
	return container.NewVBox(heading(i18n.L("settings.password")), v.pwForm.object(), v.pwBusy.bar, container.NewHBox(v.pwSave))
}

// changePassword changes the user's own password in the background.
func (v *settingsView) changePassword() {
	v.pwForm.clear()
	if !v.pw.matches() || !v.pwBusy.start() {
		return
	}
	s, old, pw := v.d.session, v.oldPassword.Text, v.pw.password.Text
	var err error
	v.d.run(func() {
		err = s.ChangePassword(old, pw)
	}, func() {
		v.pwBusy.stop()
		if err != nil {
			v.pwForm.fail(err)
			return
		}
		v.oldPassword.SetText("")
		v.pw.reset()
		v.pwForm.done(i18n.L("settings.password.changed"))
	})
}

func (v *settingsView) recovery() fyne.CanvasObject {
	v.newKey = widget.NewButtonWithIcon(i18n.L("settings.recovery.new"), theme.ViewRefreshIcon(), v.confirmNewKey)
	v.keyBusy = newBusy(v.newKey)
	return container.NewVBox(heading(i18n.L("wizard.recovery")), note(i18n.L("settings.recovery.explain")),
		v.keyBusy.bar, container.NewHBox(v.newKey))
}

// confirmNewKey asks before the old recovery key stops working.
func (v *settingsView) confirmNewKey() {
	dlg := dialog.NewConfirm(i18n.L("settings.recovery.new"), i18n.L("settings.recovery.confirm"), func(ok bool) {
		if ok {
			v.makeNewKey()
		}
	}, v.d.win)
	dlg.SetConfirmText(i18n.L("settings.recovery.new"))
	dlg.SetDismissText(i18n.L("button.cancel"))
	dlg.Show()
}

// makeNewKey makes the new key in the background and shows it once, in a
// dialog that closes only after the user confirms they kept it.
func (v *settingsView) makeNewKey() {
	if !v.keyBusy.start() {
		return
	}
	s := v.d.session
	var (
		key string
		err error
	)
	v.d.run(func() {
		key, err = s.NewRecoveryKey()
	}, func() {
		v.keyBusy.stop()
		if err != nil {
			dialog.ShowInformation(i18n.L("settings.recovery.new"), v.d.errText(err), v.d.win)
			return
		}
		var dlg *dialog.CustomDialog
		v.key = newRecoveryKeyView(v.d, key, s.Unit().Name, i18n.L("button.finish"), func() {
			dlg.Hide()
			v.key = nil
		})
		body := container.NewVBox(v.key.content, container.NewBorder(nil, nil, nil, v.key.done))
		dlg = dialog.NewCustomWithoutButtons(i18n.L("settings.recovery.shown"), v.d.withCatcher(column(600, body)), v.d.win)
		dlg.Show()
	})
}
