package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
)

// row finds the list row showing the user name.
func row(t *testing.T, v *usersView, name string) *userRow {
	t.Helper()
	var found *userRow
	walk(v.list, func(o fyne.CanvasObject) bool {
		r, ok := o.(*userRow)
		if ok && r.user.Name == name {
			found = r
		}
		return found != nil
	})
	if found == nil {
		t.Fatalf("no row for %q", name)
	}
	return found
}

// user finds a user by name in the session.
func user(t *testing.T, h *harness, name string) app.User {
	t.Helper()
	users, err := h.d.session.Users()
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if u.Name == name {
			return u
		}
	}
	t.Fatalf("no user %q", name)
	return app.User{}
}

func TestUserAdmin(t *testing.T) {
	cfg, _ := setUpStation(t)
	h := newHarness(t, cfg)
	h.signIn("admin", adminPassword)

	// Home's 添加用户… opens the user admin and the add dialog.
	test.Tap(h.d.shell.home.addUsers)
	v := h.d.shell.settings.users
	if v == nil || h.d.shell.settings.tabs.Selected() != h.d.shell.settings.usersTab {
		t.Fatal("user admin not shown")
	}
	f := v.addForm
	if f == nil || h.topOverlay() == nil {
		t.Fatal("add dialog not shown")
	}
	if roles := f.role.Options; strings.Join(roles, " ") != "民警 带班领导 站点管理员" {
		t.Errorf("roles %v", roles)
	}

	// Errors show at their fields.
	test.Type(f.pw.password, "officer-pass")
	test.Type(f.pw.confirm, "officer-pass")
	test.Tap(f.submit)
	h.r.settle(t)
	wantMessage(t, "empty name", f.form.fields["name"].msg, "此项必填")
	test.Type(f.name, "ADMIN")
	test.Tap(f.submit)
	h.r.settle(t)
	wantMessage(t, "taken name", f.form.fields["name"].msg, "用户名已存在")
	f.name.SetText("li")
	test.Type(f.display, "李警官")
	f.pw.password.SetText("short")
	f.pw.confirm.SetText("short")
	test.Tap(f.submit)
	h.r.settle(t)
	wantNoMessage(t, "name", f.form.fields["name"].msg)
	wantMessage(t, "short password", f.form.fields["password"].msg, "至少需要 8 个字符")

	// Added.
	f.pw.password.SetText("officer-pass")
	f.pw.confirm.SetText("officer-pass")
	test.Tap(f.submit)
	h.r.settle(t)
	if v.addForm != nil || h.w.Canvas().Overlays().Top() != nil {
		t.Fatal("add dialog still open")
	}
	wantMessage(t, "added", v.msg, "已添加用户 li")
	if u := user(t, h, "li"); u.Role != app.Officer || u.DisplayName != "李警官" || !u.Active {
		t.Fatalf("added user %+v", u)
	}
	r := row(t, v, "li")
	if r.display.Text != "李警官" || r.role.Text != "民警" || r.state.Text != "正常" || r.toggle.Text != "停用" {
		t.Errorf("row: %q %q %q %q", r.display.Text, r.role.Text, r.state.Text, r.toggle.Text)
	}

	// Disabling asks first and says what it means.
	test.Tap(r.toggle)
	if v.confirm == nil {
		t.Fatal("no confirmation before disabling")
	}
	test.Tap(button(t, h.topOverlay(), "取消"))
	if !user(t, h, "li").Active {
		t.Fatal("cancel disabled the user")
	}
	test.Tap(r.toggle)
	dlg := h.topOverlay()
	if !walk(dlg, func(o fyne.CanvasObject) bool {
		return strings.Contains(textOf(o), "停用后该用户不能登录")
	}) {
		t.Error("the confirmation does not say the user can no longer sign in")
	}
	test.Tap(button(t, dlg, "停用"))
	h.r.settle(t)
	wantMessage(t, "disabled", v.msg, "已停用用户 li")
	if user(t, h, "li").Active {
		t.Fatal("not disabled")
	}
	r = row(t, v, "li")
	if r.state.Text != "已停用" || r.toggle.Text != "重新启用" || r.reset.Visible() {
		t.Errorf("disabled row: %q %q reset visible %v", r.state.Text, r.toggle.Text, r.reset.Visible())
	}

	// app/ refuses to disable yourself; the view says so.
	test.Tap(row(t, v, "admin").toggle)
	test.Tap(button(t, h.topOverlay(), "停用"))
	h.r.settle(t)
	wantMessage(t, "self", v.msg, "不能停用自己")

	// Re-enabling asks for a new password.
	test.Tap(row(t, v, "li").toggle)
	p := v.pwForm
	if p == nil {
		t.Fatal("no password dialog for re-enabling")
	}
	test.Type(p.pw.password, "short")
	test.Type(p.pw.confirm, "short")
	test.Tap(p.submit)
	h.r.settle(t)
	wantMessage(t, "short password", p.form.fields["password"].msg, "至少需要 8 个字符")
	p.pw.password.SetText("officer-pass-2")
	p.pw.confirm.SetText("officer-pass-2")
	test.Tap(p.submit)
	h.r.settle(t)
	if v.pwForm != nil || !user(t, h, "li").Active {
		t.Fatal("not re-enabled")
	}
	wantMessage(t, "enabled", v.msg, "已重新启用用户 li")

	// Resetting a password.
	r = row(t, v, "li")
	test.Tap(r.reset)
	p = v.pwForm
	test.Type(p.pw.password, "officer-pass-3")
	test.Type(p.pw.confirm, "officer-pass-3")
	test.Tap(p.submit)
	h.r.settle(t)
	wantMessage(t, "reset", v.msg, "已重置 li 的密码")
	h.d.close()

	// The officer signs in with the reset password and sees no user admin.
	o := newHarness(t, cfg)
	o.signIn("li", "officer-pass-3")
	if o.d.shell.home.addUsers != nil {
		t.Error("an officer's home offers to add users")
	}
	s := o.settings()
	if s.users != nil || s.usersTab != nil || s.newKey != nil {
		t.Error("an officer sees user admin or the recovery key")
	}
	for _, tab := range s.tabs.Items {
		if tab.Text == "用户管理" || tab.Text == "恢复密钥" {
			t.Errorf("an officer sees the tab %q", tab.Text)
		}
	}
	if s.idle != nil {
		t.Error("an officer can edit the idle minutes")
	}
}

func TestChangePassword(t *testing.T) {
	cfg, _ := setUpStation(t)
	h := newHarness(t, cfg)
	h.signIn("admin", adminPassword)
	v := h.settings()
	test.Type(v.oldPassword, "wrong-password")
	test.Type(v.pw.password, "new-admin-pass")
	test.Type(v.pw.confirm, "new-admin-pass")
	test.Tap(v.pwSave)
	h.r.settle(t)
	wantMessage(t, "wrong old password", v.oldField.msg, "当前密码不正确")
	v.oldPassword.SetText(adminPassword)
	test.Tap(v.pwSave)
	h.r.settle(t)
	wantMessage(t, "changed", v.pwForm.msg, "密码已修改")
	if v.oldPassword.Text != "" || v.pw.password.Text != "" {
		t.Error("password fields not emptied")
	}
	h.d.close()
	newHarness(t, cfg).signIn("admin", "new-admin-pass")
}

func TestNewRecoveryKey(t *testing.T) {
	cfg, _ := setUpStation(t)
	h := newHarness(t, cfg)
	h.signIn("admin", adminPassword)
	v := h.settings()
	test.Tap(v.newKey)
	test.Tap(button(t, h.topOverlay(), "生成新的恢复密钥"))
	h.r.settle(t)
	k := v.key
	if k == nil || !contains(h.topOverlay(), k.keyText) {
		t.Fatal("new key not shown")
	}
	test.Tap(k.done)
	if h.w.Canvas().Overlays().Top() == nil {
		t.Fatal("the key dialog closed before the confirmation")
	}
	test.Tap(k.confirm)
	test.Tap(k.done)
	if h.w.Canvas().Overlays().Top() != nil || v.key != nil {
		t.Fatal("the key dialog did not close")
	}
	key := k.keyText.Text
	h.d.close()
	s, err := app.RecoverWithKey(cfg, key, "admin", "recovered-pass")
	if err != nil {
		t.Fatalf("the new key does not open the install: %v", err)
	}
	s.Close()
}

func TestSettingsPreferences(t *testing.T) {
	cfg, _ := setUpStation(t)
	h := newHarness(t, cfg)
	h.signIn("admin", adminPassword)
	v := h.settings()
	if v.language.Selected != "中文" || v.appearance.Selected != "跟随系统" {
		t.Fatalf("defaults: %q %q", v.language.Selected, v.appearance.Selected)
	}
	v.language.SetSelected("English（英文）")
	if h.d.prefs.String(prefLanguage) != "en" || !v.langNote.Visible() {
		t.Error("language not saved or restart note not shown")
	}
	if languagePref(h.d.prefs) != "en" {
		t.Error("languagePref does not read the saved language")
	}
	v.appearance.SetSelected("深色")
	if h.d.prefs.String(prefTheme) != "dark" || themePref(h.d.prefs) != "dark" {
		t.Error("appearance not saved")
	}
	dark := theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantDark)
	if got := h.d.fyneApp.Settings().Theme().Color(theme.ColorNameBackground, theme.VariantLight); got != dark {
		t.Errorf("dark appearance not applied at once: background %v", got)
	}
}

// textOf is the text of a label.
func textOf(o fyne.CanvasObject) string {
	if l, ok := o.(*widget.Label); ok {
		return l.Text
	}
	return ""
}
