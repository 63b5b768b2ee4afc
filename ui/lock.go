package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mediadesk/ui/i18n"
)

// lockScreen hides the session until its user types their password. The
// window's content (the shell with everything typed into it) and any open
// dialogs are kept in memory, untouched, and put back on unlock; the store
// stays open, so nothing is lost. A dialog closed while locked (its work
// done) stays closed.
type lockScreen struct {
	d         *desk
	prev      fyne.CanvasObject   // the content the lock screen covers
	overlays  []fyne.CanvasObject // dialogs that were open
	prevFocus fyne.Focusable
	password  *widget.Entry
	unlock    *widget.Button
	form      *form
	busy      *busy
}

// lockNow locks the session (Ctrl+L, the 锁定 button, the idle timer).
func (d *desk) lockNow() {
	if d.session == nil || d.lockScr != nil {
		return
	}
	err := d.session.Lock()
	c := d.win.Canvas()
	l := &lockScreen{d: d, prev: d.win.Content(), prevFocus: c.Focused(), password: widget.NewPasswordEntry(),
		overlays: append([]fyne.CanvasObject(nil), c.Overlays().List()...)}
	for _, o := range l.overlays {
		c.Overlays().Remove(o)
	}
	// Return with an empty field is ignored: with a Chinese input method
	// still on, the letters went to its candidate box, not the field.
	l.password.OnSubmitted = func(pw string) {
		if pw != "" {
			l.tryUnlock()
		}
	}
	l.unlock = widget.NewButtonWithIcon(i18n.L("lock.unlock"), lockIcon, l.tryUnlock)
	l.unlock.Importance = widget.HighImportance
	l.busy = newBusy(l.unlock)
	l.form = newForm(d)
	l.form.add("", i18n.L("login.password"), l.password)
	if err != nil {
		// The session is locked even when the audit entry could not be
		// written; say so, the user may need to free disk space.
		setMessage(l.form.msg, d.errText(err))
	}
	u, unit := d.session.User(), d.session.Unit()
	who := widget.NewLabelWithStyle(i18n.L("lock.who", map[string]any{"Name": u.DisplayName, "Role": roleLabel(u.Role), "Unit": unit.Name}),
		fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title := heading(i18n.L("lock.title"))
	title.Wrapping = fyne.TextWrapOff
	body := container.NewVBox(brand(), widget.NewSeparator(),
		container.NewCenter(container.NewHBox(widget.NewIcon(lockIcon), title)), who,
		note(i18n.L("lock.message", map[string]any{"Name": u.DisplayName})),
		l.form.object(), l.busy.bar, l.unlock)
	d.lockScr = l
	d.menuLock.Disabled = true
	d.refreshMenu()
	d.win.SetContent(centred(body))
	c.Focus(l.password)
}

// tryUnlock checks the password in the background and puts the covered
// content back.
func (l *lockScreen) tryUnlock() {
	l.form.clear()
	if !l.busy.start() {
		return
	}
	s, pw := l.d.session, l.password.Text
	var err error
	l.d.run(func() {
		err = s.Unlock(pw)
	}, func() {
		l.busy.stop()
		if err != nil {
			l.form.fail(err)
			l.password.SetText("")
			l.d.win.Canvas().Focus(l.password)
			return
		}
		l.restore()
	})
}

// restore shows what the lock screen covered, as it was.
func (l *lockScreen) restore() {
	d := l.d
	d.lockScr = nil
	d.win.SetContent(l.prev)
	c := d.win.Canvas()
	// A dialog hidden while locked must not come back: the hidden popup on
	// top would take every click.
	for _, o := range l.overlays {
		if o.Visible() {
			c.Overlays().Add(o)
		}
	}
	if l.prevFocus != nil {
		c.Focus(l.prevFocus)
	}
	d.menuLock.Disabled = false
	d.refreshMenu()
	d.touch()
}

// Auto-lock. An unlocked session locks after session.IdleMinutes() with
// no activity (app.IdleTimer). What counts as activity:
//
//   - signing in and unlocking;
//   - a key pressed or typed while no widget has the keyboard focus (the
//     canvas's OnKeyDown, OnTypedKey and OnTypedRune hooks);
//   - any movement of the mouse over the window or one of the app's own
//     dialog forms, and a click on a part of them that no widget takes (the
//     activity catcher behind the shell and behind those forms; see
//     catcher);
//   - keyboard focus moving to another widget, or the text or the cursor
//     of the focused text field changing, as seen by the idle check every
//     few seconds: Fyne delivers keys to the focused widget alone, so this
//     is how typing into a field counts.
//
// Not activity: clicks on buttons or lists that change neither the focus
// nor a text field, scrolling without moving the mouse, and mouse movement
// over a dialog other than the app's own forms (confirmations, file
// dialogs), which have no catcher.

// idleCheckEvery is how often the idle check runs.
const idleCheckEvery = 5 * time.Second

// watchActivity installs the canvas key hooks for the session.
func (d *desk) watchActivity() {
	c := d.win.Canvas()
	c.SetOnTypedRune(func(rune) { d.touch() })
	c.SetOnTypedKey(func(*fyne.KeyEvent) { d.touch() })
	if dc, ok := c.(desktop.Canvas); ok {
		dc.SetOnKeyDown(func(*fyne.KeyEvent) { d.touch() })
	}
	d.seen = d.focusMark()
}

// touch records activity now.
func (d *desk) touch() {
	if d.idle != nil {
		d.idle.Touch(d.now())
	}
}

// startIdleTicker runs the idle check every interval until stop closes.
func (d *desk) startIdleTicker(stop <-chan struct{}, every time.Duration) {
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				fyne.Do(d.checkIdle)
			}
		}
	}()
}

// checkIdle counts a change of the focused field as activity and locks
// the session when it has been idle too long.
func (d *desk) checkIdle() {
	if d.session == nil || d.lockScr != nil {
		return
	}
	if m := d.focusMark(); m != d.seen {
		d.seen = m
		d.touch()
	}
	if d.idle.Due(d.now()) {
		d.lockNow()
	}
}

// focusMark is what the idle check compares between runs: the focused
// widget and, for a text field, its text and cursor.
type focusMark struct {
	obj    fyne.Focusable
	text   string
	cursor int
}

// textCursor is a text field, or a widget built on one.
type textCursor interface {
	CursorTextOffset() int
}

func (d *desk) focusMark() focusMark {
	m := focusMark{obj: d.win.Canvas().Focused()}
	if e, ok := m.obj.(*widget.Entry); ok {
		m.text = e.Text
	}
	if t, ok := m.obj.(textCursor); ok {
		m.cursor = t.CursorTextOffset()
	}
	return m
}

// withCatcher puts an activity catcher behind obj, the content of a
// dialog: while a dialog is open Fyne sends the mouse to it alone.
func (d *desk) withCatcher(obj fyne.CanvasObject) fyne.CanvasObject {
	return container.NewStack(newCatcher(d), obj)
}

// catcher sits behind the shell's content and reports the mouse as
// activity. Fyne gives a hover, click or tap to the topmost object that
// takes it, so as Hoverable and Tappable the catcher sees only what falls
// through the widgets on top (backgrounds, labels, gaps). As Cursorable it
// sees every movement: on each mouse move Fyne's desktop driver asks every
// Cursorable object under the pointer for its cursor, from the bottom up.
type catcher struct {
	widget.BaseWidget
	d *desk
}

func newCatcher(d *desk) *catcher {
	c := &catcher{d: d}
	c.ExtendBaseWidget(c)
	return c
}

// CreateRenderer draws nothing.
func (c *catcher) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewWithoutLayout())
}

// Cursor records activity and keeps the default pointer (widgets on top
// choose theirs after it).
func (c *catcher) Cursor() desktop.Cursor {
	c.d.touch()
	return desktop.DefaultCursor
}

// MouseIn records activity.
func (c *catcher) MouseIn(*desktop.MouseEvent) { c.d.touch() }

// MouseMoved records activity.
func (c *catcher) MouseMoved(*desktop.MouseEvent) { c.d.touch() }

// MouseOut does nothing.
func (c *catcher) MouseOut() {}

// Tapped records activity.
func (c *catcher) Tapped(*fyne.PointEvent) { c.d.touch() }

// lockIcon is a padlock (Material Design "lock", Apache-2.0, like Fyne's
// own icons), coloured by the theme.
var lockIcon = theme.NewThemedResource(fyne.NewStaticResource("lock.svg", []byte(
	`<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24">`+
		`<path d="M18 8h-1V6c0-2.76-2.24-5-5-5S7 3.24 7 6v2H6c-1.1 0-2 .9-2 2v10c0 1.1.9 2 2 2h12c1.1 0 2-.9 2-2V10c0-1.1-.9-2-2-2zm-6 9c-1.1 0-2-.9-2-2s.9-2 2-2 2 .9 2 2-.9 2-2 2zm3.1-9H8.9V6c0-1.71 1.39-3.1 3.1-3.1 1.71 0 3.1 1.39 3.1 3.1v2z"/></svg>`)))
