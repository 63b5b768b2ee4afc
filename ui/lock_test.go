package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

func TestLockKeepsContent(t *testing.T) {
	cfg, _ := setUpStation(t)
	h := newHarness(t, cfg)
	h.signIn("admin", adminPassword)

	// Half-typed text in the shell, and an open dialog with text in it.
	v := h.settings()
	test.Type(v.pw.password, "half-typed")
	users := v.showUsers()
	users.openAdd()
	test.Type(users.addForm.name, "zhang")
	dlg := h.topOverlay()
	shell := h.w.Content()

	// Ctrl+L is the menu item's shortcut.
	sc, ok := h.d.menuLock.Shortcut.(interface{ ShortcutName() string })
	if !ok || sc.ShortcutName() != "CustomDesktop:Control+L" {
		t.Errorf("lock shortcut %v", h.d.menuLock.Shortcut)
	}
	h.d.menuLock.Action()
	l := h.d.lockScr
	if l == nil || h.w.Content() == shell || !h.d.session.Locked() {
		t.Fatal("not locked")
	}
	if h.w.Canvas().Overlays().Top() != nil {
		t.Fatal("a dialog stays visible over the lock screen")
	}
	if !h.d.menuLock.Disabled {
		t.Error("锁定 must be disabled while locked")
	}
	h.d.lockNow() // locking twice does nothing
	if h.d.lockScr != l {
		t.Fatal("a second lock replaced the lock screen")
	}

	// A wrong password keeps it locked.
	test.Type(l.password, "wrong-password")
	test.Tap(l.unlock)
	h.r.settle(t)
	wantMessage(t, "wrong password", l.form.msg, "密码错误")
	if h.d.lockScr == nil || h.w.Content() == shell {
		t.Fatal("a wrong password unlocked")
	}

	// The right one (Return in the password field) brings everything back.
	test.Type(l.password, adminPassword)
	l.password.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.r.settle(t)
	if h.d.lockScr != nil || h.d.session.Locked() {
		t.Fatal("not unlocked")
	}
	if h.w.Content() != shell {
		t.Fatal("unlock did not restore the same content object")
	}
	if v.pw.password.Text != "half-typed" {
		t.Errorf("typed text lost: %q", v.pw.password.Text)
	}
	if h.w.Canvas().Overlays().Top() != dlg || users.addForm == nil || users.addForm.name.Text != "zhang" {
		t.Error("the open dialog or its text was lost")
	}
	if h.w.Canvas().Focused() != users.addForm.name {
		t.Error("focus not restored")
	}
}

func TestLockButton(t *testing.T) {
	cfg, _ := setUpStation(t)
	h := newHarness(t, cfg)
	h.signIn("admin", adminPassword)
	test.Tap(h.d.shell.lock)
	if h.d.lockScr == nil {
		t.Fatal("the status bar's 锁定 button did not lock")
	}
}

func TestAutoLock(t *testing.T) {
	cfg, _ := setUpStation(t)
	h := newHarness(t, cfg)
	h.signIn("admin", adminPassword)
	c := h.w.Canvas()
	idle := func(d time.Duration) {
		h.clock.advance(d)
		h.d.checkIdle()
	}

	idle(9 * time.Minute)
	if h.d.lockScr != nil {
		t.Fatal("locked before the idle time (10 minutes)")
	}

	// A key typed with nothing focused is activity.
	c.Unfocus()
	test.TypeOnCanvas(c, "x")
	idle(9 * time.Minute)
	if h.d.lockScr != nil {
		t.Fatal("a key press did not count as activity")
	}

	// Typing into a focused field is activity, seen by the idle check.
	v := h.settings()
	c.Focus(v.idle)
	if c.Focused() != v.idle {
		t.Fatal("could not focus the idle-minutes field")
	}
	test.Type(v.idle, "5")
	idle(9 * time.Minute)
	if h.d.lockScr != nil {
		t.Fatal("typing into a field did not count as activity")
	}
	idle(9 * time.Minute) // no change since the last check
	if h.d.lockScr != nil {
		t.Fatal("locked early")
	}
	test.Type(v.idle, "0")
	idle(9 * time.Minute)
	if h.d.lockScr != nil {
		t.Fatal("further typing did not count as activity")
	}

	// The mouse over the status bar reaches the catcher behind the shell.
	c.Unfocus()
	h.d.checkIdle()
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(h.d.shell.sync)
	test.MoveMouse(c, pos.Add(fyne.NewPos(2, 2)))
	idle(9 * time.Minute)
	if h.d.lockScr != nil {
		t.Fatal("moving the mouse did not count as activity")
	}
	idle(59 * time.Second)
	if h.d.lockScr != nil {
		t.Fatal("locked early")
	}

	// Ten minutes without activity lock.
	idle(time.Second)
	if h.d.lockScr == nil {
		t.Fatal("not locked after 10 idle minutes")
	}
	test.Type(h.d.lockScr.password, adminPassword)
	test.Tap(h.d.lockScr.unlock)
	h.r.settle(t)
	if h.d.lockScr != nil {
		t.Fatal("not unlocked")
	}

	// The desktop driver asks the catcher for its cursor on every mouse
	// move, whatever is on top.
	idle(9 * time.Minute)
	if got := h.d.shell.catcher.Cursor(); got != desktop.DefaultCursor {
		t.Errorf("catcher cursor %v, want the default", got)
	}
	idle(9 * time.Minute)
	if h.d.lockScr != nil {
		t.Fatal("a mouse move over a widget did not count as activity")
	}

	// An admin's new idle time applies at once.
	v.idle.SetText("abc")
	test.Tap(v.idleSave)
	wantMessage(t, "not a number", v.idleForm.fields["idle_minutes"].msg, "请输入 1 到 240 之间的分钟数")
	v.idle.SetText("2")
	test.Tap(v.idleSave)
	wantNoMessage(t, "2 minutes", v.idleForm.fields["idle_minutes"].msg)
	wantMessage(t, "saved", v.idleForm.msg, "设置已保存")
	if h.d.session.IdleMinutes() != 2 {
		t.Fatal("idle minutes not saved")
	}
	c.Unfocus()
	h.d.checkIdle()
	idle(2 * time.Minute)
	if h.d.lockScr == nil {
		t.Fatal("the new idle time did not apply")
	}
}

// TestUnlockLeavesClosedDialogClosed: a dialog whose work ends while the
// session is locked closes itself; unlocking must not put it back, or its
// hidden popup on top would take every click.
func TestUnlockLeavesClosedDialogClosed(t *testing.T) {
	cfg, _ := setUpStation(t)
	h := newHarness(t, cfg)
	h.signIn("admin", adminPassword)
	users := h.settings().showUsers()
	users.openAdd()
	dlg := users.addForm.dlg
	h.topOverlay()

	h.d.lockNow()
	dlg.Hide() // as the form does when its work is done
	test.Type(h.d.lockScr.password, adminPassword)
	test.Tap(h.d.lockScr.unlock)
	h.r.settle(t)
	if h.d.lockScr != nil {
		t.Fatal("not unlocked")
	}
	if top := h.w.Canvas().Overlays().Top(); top != nil {
		t.Fatalf("unlock put back %T (visible %v)", top, top.Visible())
	}

	// A click on 稿件 in the navigation opens it.
	var row fyne.CanvasObject
	walk(h.d.shell.nav, func(o fyne.CanvasObject) bool {
		if l, ok := o.(*widget.Label); ok && l.Text == "稿件" && l.Visible() {
			row = l
		}
		return row != nil
	})
	if row == nil {
		t.Fatal("no 稿件 in the navigation")
	}
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(row)
	test.TapCanvas(h.w.Canvas(), pos.Add(fyne.NewPos(4, 4)))
	if h.d.shell.openKey() != "nav.posts" {
		t.Fatalf("the click opened %s", h.d.shell.openKey())
	}
}
