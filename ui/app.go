package ui

import (
	"errors"
	"os"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"

	"mediadesk/app"
	"mediadesk/ui/i18n"
)

// desk is the one window and what it shows: the first-run wizard, the
// login, the shell of a signed-in session, or the lock screen over it.
// Every method runs on the UI goroutine.
type desk struct {
	fyneApp fyne.App
	win     fyne.Window
	cfg     app.Config
	lang    i18n.Language // the language chosen with i18n.Use
	prefs   fyne.Preferences

	// now is the clock of the idle timer; tests move it by hand.
	now func() time.Time
	// run does work off the UI goroutine and then done on it. Tests
	// replace it to hand done back to the test goroutine.
	run func(work, done func())
	// after calls f on the UI goroutine once delay has passed, unless
	// the returned stop is called first. Tests replace it with timers
	// they fire by hand.
	after func(delay time.Duration, f func()) (stop func())

	wizard *wizard      // while the first-run wizard shows
	login  *loginScreen // while the login shows

	session  *app.Session   // the signed-in session, nil before sign-in
	idle     *app.IdleTimer // auto-lock timer of the session
	seen     focusMark      // what the last idle check saw focused
	shell    *shell         // the main screen of the session
	lockScr  *lockScreen    // the lock screen while locked, else nil
	menuLock *fyne.MenuItem // 锁定 in the main menu
	// 稿件 menu items (a signed-in station only, else nil)
	menuNewPost, menuSavePost, menuSearch *fyne.MenuItem

	pending int                   // background work under way (counted), on the UI goroutine
	quitAsk *dialog.ConfirmDialog // the question before quitting while work runs

	exitCode  int       // what Main returns
	exit      func(int) // ends the process (os.Exit) when quitting hangs
	closeOnce sync.Once // finish closes the session once
}

// newDesk makes the desk of window w for the install described by cfg.
func newDesk(a fyne.App, w fyne.Window, cfg app.Config, lang i18n.Language) *desk {
	d := &desk{fyneApp: a, win: w, cfg: cfg, lang: lang, prefs: a.Preferences(), now: time.Now, after: afterOnUI, exit: os.Exit}
	d.run = d.counted(runInBackground)
	w.SetCloseIntercept(d.requestQuit)
	return d
}

// runInBackground runs work on a new goroutine and then done on the UI
// goroutine.
func runInBackground(work, done func()) {
	go func() {
		work()
		fyne.Do(done)
	}()
}

// afterOnUI calls f on the UI goroutine after delay unless stopped.
func afterOnUI(delay time.Duration, f func()) func() {
	t := time.AfterFunc(delay, func() { fyne.Do(f) })
	return func() { t.Stop() }
}

// start shows the wizard on a new install and the login otherwise.
func (d *desk) start(userName string) {
	d.setMenu()
	if app.IsSetUp(d.cfg.Dir) {
		d.showLogin(userName)
	} else {
		d.showWizard()
	}
}

// signedIn opens the shell for a new session.
func (d *desk) signedIn(s *app.Session) {
	d.wizard, d.login = nil, nil
	d.session = s
	d.idle = app.NewIdleTimer(d.now(), s.IdleMinutes())
	d.shell = newShell(d)
	d.setMenu()
	d.watchActivity()
	d.win.SetContent(d.shell.content)
}

// close signs out when the window has closed; the store is compacted and
// closed. A session the wizard made is closed too when the window closed
// before the recovery key was confirmed.
func (d *desk) close() {
	if d.wizard != nil && d.wizard.session != nil {
		d.session = d.wizard.session
		d.wizard = nil
	}
	if d.session != nil {
		_ = d.session.Close()
		d.session = nil
	}
}

// errText is the part of an error message in the UI language. Messages
// from app/ and data/ read "中文 / English", each half complete by itself,
// so Chinese shows the part before the first " / " and English the rest.
// Other messages show whole.
func (d *desk) errText(err error) string {
	msg := err.Error()
	var fe *app.FieldError
	if errors.As(err, &fe) {
		msg = fe.Msg
	}
	return d.langPart(msg)
}

// langPart is the part of a "中文 / English" text from app/ in the UI
// language (see errText).
func (d *desk) langPart(msg string) string {
	zh, en, ok := strings.Cut(msg, " / ")
	if !ok {
		return msg
	}
	if d.lang == i18n.English {
		return en
	}
	return zh
}

// roleLabel is a role's name in the UI language.
func roleLabel(r app.Role) string {
	switch r {
	case app.Officer:
		return i18n.L("role.officer")
	case app.ShiftLeader:
		return i18n.L("role.shift_leader")
	case app.StationAdmin:
		return i18n.L("role.station_admin")
	case app.HQStaff:
		return i18n.L("role.hq_staff")
	case app.HQAdmin:
		return i18n.L("role.hq_admin")
	}
	return string(r)
}

// kindLabel is the name of an install kind in the UI language.
func kindLabel(k app.Kind) string {
	if k == app.HQ {
		return i18n.L("wizard.install.hq")
	}
	return i18n.L("wizard.install.station")
}
