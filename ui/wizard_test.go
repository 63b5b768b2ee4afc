package ui

import (
	"regexp"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"mediadesk/app"
)

func TestWizard(t *testing.T) {
	cfg := testConfig(t)
	h := newHarness(t, cfg)
	h.d.start("")
	w := h.d.wizard
	if w == nil || h.d.login != nil {
		t.Fatal("a new install must open the wizard")
	}

	// Step 1: nothing chosen, nothing typed.
	test.Tap(w.next)
	wantMessage(t, "kind", w.step1.fields["kind"].msg, "请选择派出所/所队或宣传科")
	w.kind.SetSelected("派出所/所队")
	test.Tap(w.next)
	wantNoMessage(t, "kind", w.step1.fields["kind"].msg)
	wantMessage(t, "unit name", w.step1.fields["unit_name"].msg, "此项必填")
	if !contains(h.w.Content(), w.unitName) {
		t.Fatal("an invalid step 1 must stay on step 1")
	}
	test.Type(w.unitName, "城关派出所")
	test.Tap(w.next)
	if !contains(h.w.Content(), w.adminName) {
		t.Fatal("step 2 not shown")
	}

	// Step 2: a short password is refused at its field, the hint says so.
	test.Type(w.adminName, "admin")
	test.Type(w.displayName, "王所长")
	test.Type(w.pw.password, "short")
	test.Type(w.pw.confirm, "short")
	if !strings.Contains(w.pw.hint.Text, "太短") {
		t.Errorf("strength hint %q, want 太短", w.pw.hint.Text)
	}
	test.Tap(w.create)
	wantMessage(t, "password", w.step2.fields["password"].msg, "至少需要 8 个字符")
	if h.r.pending != 0 || app.IsSetUp(cfg.Dir) {
		t.Fatal("setup ran with an invalid password")
	}

	// A mismatched confirmation is caught before setup.
	for pw, want := range map[string]string{"stationpass": "弱", "stationpass1": "中", adminPassword: "强"} {
		w.pw.password.SetText(pw)
		if !strings.Contains(w.pw.hint.Text, "密码强度："+want) {
			t.Errorf("strength hint for %q: %q, want %s", pw, w.pw.hint.Text, want)
		}
	}
	w.pw.password.SetText(adminPassword)
	w.pw.confirm.SetText(adminPassword + "x")
	test.Tap(w.create)
	wantMessage(t, "confirm", w.pw.confirmField.msg, "两次输入的密码不一致")
	wantNoMessage(t, "password", w.step2.fields["password"].msg)

	// Going back keeps what was typed.
	test.Tap(w.back)
	if w.unitName.Text != "城关派出所" || !contains(h.w.Content(), w.unitName) {
		t.Fatal("back to step 1 lost the unit name")
	}
	test.Tap(w.next)

	// Step 3: setup runs in the background behind a progress bar.
	w.pw.confirm.SetText(adminPassword)
	test.Tap(w.create)
	if h.r.pending != 1 || !w.busy.bar.Visible() {
		t.Fatalf("setup must run in the background with a progress bar: pending %d, bar %v", h.r.pending, w.busy.bar.Visible())
	}
	h.r.settle(t)
	if w.key == nil {
		t.Fatalf("no recovery key shown; step 2 says %q", w.step2.msg.Text)
	}
	if !regexp.MustCompile(`^[A-Z2-7]{4}(-[A-Z2-7]{4}){7}$`).MatchString(w.key.keyText.Text) {
		t.Errorf("recovery key %q", w.key.keyText.Text)
	}
	if !contains(h.w.Content(), w.key.keyText) {
		t.Fatal("recovery key not on screen")
	}

	// The shell opens only after the box is ticked.
	if !w.key.done.Disabled() {
		t.Fatal("the done button must wait for the confirmation")
	}
	test.Tap(w.key.done)
	if h.d.shell != nil {
		t.Fatal("shell opened before the recovery key was confirmed")
	}
	test.Tap(w.key.confirm)
	test.Tap(w.key.done)
	if h.d.shell == nil || h.w.Content() != h.d.shell.content {
		t.Fatal("shell not shown after the wizard")
	}
	if got := h.d.shell.user.Text; !strings.Contains(got, "王所长（站点管理员）") {
		t.Errorf("status bar user %q", got)
	}
	if got := h.d.shell.unit.Text; !strings.Contains(got, "城关派出所") {
		t.Errorf("status bar unit %q", got)
	}
	if got := h.d.shell.sync.Text; got != "尚未同步" {
		t.Errorf("status bar sync %q", got)
	}
	if h.d.shell.home.addUsers == nil {
		t.Error("an admin's home must offer to add users")
	}
	var nav []string
	for _, a := range h.d.shell.areas {
		nav = append(nav, a.key)
	}
	if strings.Join(nav, " ") != "nav.home nav.posts nav.calendar nav.accounts nav.roster nav.training nav.messages nav.notices nav.sync nav.settings" {
		t.Errorf("station navigation %v", nav)
	}

	// The key shown is the install's recovery key.
	h.d.close()
	s, err := app.RecoverWithKey(cfg, w.key.keyText.Text, "admin", "another-pass-1")
	if err != nil {
		t.Fatalf("the shown recovery key does not open the install: %v", err)
	}
	s.Close()
}

func TestWizardHQ(t *testing.T) {
	h := newHarness(t, testConfig(t))
	h.d.start("")
	w := h.d.wizard
	w.kind.SetSelected("宣传科")
	test.Type(w.unitName, "县局宣传科")
	test.Tap(w.next)
	test.Type(w.adminName, "xck")
	test.Type(w.pw.password, adminPassword)
	test.Type(w.pw.confirm, adminPassword)
	test.Tap(w.create)
	h.r.settle(t)
	test.Tap(w.key.confirm)
	test.Tap(w.key.done)
	var nav []string
	for _, a := range h.d.shell.areas {
		nav = append(nav, a.key)
	}
	if strings.Join(nav, " ") != "nav.home nav.stations nav.approvals nav.matrix nav.notices nav.assessment nav.library nav.sync nav.settings" {
		t.Errorf("HQ navigation %v", nav)
	}
	// The display name defaults to the user name; the role is HQ's admin.
	if got := h.d.shell.user.Text; !strings.Contains(got, "xck（宣传科管理员）") {
		t.Errorf("status bar user %q", got)
	}
}
