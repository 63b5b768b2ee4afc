package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

func TestLogin(t *testing.T) {
	cfg, _ := setUpStation(t)
	h := newHarness(t, cfg)
	h.d.start("")
	l := h.d.login
	if l == nil || h.d.wizard != nil {
		t.Fatal("a set-up install must open the login")
	}

	// Return in the user-name field does nothing.
	test.Type(l.name, "admin")
	l.name.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if h.r.pending != 0 {
		t.Fatal("Return in the user-name field started a sign-in")
	}

	// A wrong password says so and empties the field.
	test.Type(l.password, "wrong-password")
	test.Tap(l.submit)
	h.r.settle(t)
	wantMessage(t, "wrong password", l.form.msg, "密码错误")
	if l.password.Text != "" || h.d.shell != nil {
		t.Fatal("after a wrong password: field not emptied or signed in")
	}

	// An unknown user says so.
	l.name.SetText("nobody")
	test.Type(l.password, adminPassword)
	test.Tap(l.submit)
	h.r.settle(t)
	wantMessage(t, "unknown user", l.form.msg, "没有这个用户")

	// Return in the password field signs in.
	l.name.SetText("admin")
	test.Type(l.password, adminPassword)
	l.password.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if h.r.pending != 1 {
		t.Fatal("Return in the password field must sign in")
	}
	h.r.settle(t)
	if h.d.shell == nil || h.w.Content() != h.d.shell.content {
		t.Fatalf("not signed in: %q", l.form.msg.Text)
	}
	if h.d.menuLock.Disabled {
		t.Error("锁定 must be enabled once signed in")
	}
}

func TestLoginInUse(t *testing.T) {
	cfg, _ := setUpStation(t)
	first := newHarness(t, cfg)
	first.signIn("admin", adminPassword)

	h := newHarness(t, cfg)
	h.d.start("admin")
	l := h.d.login
	if l.name.Text != "admin" || h.w.Canvas().Focused() != l.password {
		t.Error("a given user name must be filled in and the password focused")
	}
	test.Type(l.password, adminPassword)
	test.Tap(l.submit)
	h.r.settle(t)
	wantMessage(t, "in use", l.form.msg, "正被另一个新媒体工作台使用")
}

func TestRecoveryForm(t *testing.T) {
	cfg, key := setUpStation(t)
	h := newHarness(t, cfg)
	h.d.start("")
	l := h.d.login
	test.TapAt(l.forgot, fyne.NewPos(l.forgot.Size().Width/2, l.forgot.Size().Height/2))
	r := l.recovery
	if r == nil || !contains(h.w.Content(), r.key) {
		t.Fatal("忘记密码？ must open the recovery form")
	}
	test.Type(r.key, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH")
	test.Type(r.name, "admin")
	test.Type(r.pw.password, "new-station-pass")
	test.Type(r.pw.confirm, "new-station-pass")
	test.Tap(r.submit)
	h.r.settle(t)
	if !r.form.msg.Visible() || h.d.shell != nil {
		t.Fatal("a wrong recovery key must be refused with a message")
	}

	r.key.SetText(strings.ToLower(key))
	r.pw.password.SetText("short")
	r.pw.confirm.SetText("short")
	test.Tap(r.submit)
	h.r.settle(t)
	wantMessage(t, "short password", r.form.fields["password"].msg, "至少需要 8 个字符")

	r.pw.password.SetText("new-station-pass")
	r.pw.confirm.SetText("new-station-pass")
	test.Tap(r.submit)
	h.r.settle(t)
	if h.d.shell == nil {
		t.Fatalf("recovery did not sign in: %q", r.form.msg.Text)
	}
	h.d.close()

	// The new password now signs in.
	h2 := newHarness(t, cfg)
	h2.signIn("admin", "new-station-pass")
}
