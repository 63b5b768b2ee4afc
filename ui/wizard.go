package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
	"mediadesk/ui/i18n"
)

// wizardWidth is the width of the wizard's column of fields.
const wizardWidth = 640

// wizard is the first-run setup, shown when the data directory holds no
// install yet. Step 1: whether this computer serves a station (派出所/所队)
// or the publicity section (宣传科), and the unit's name. Step 2: the first
// admin's user name, name and password, with a strength hint while typing.
// Step 3: app.Setup runs off the UI goroutine (key derivation takes about
// half a second) behind a progress bar, then the recovery key is shown
// once; the shell opens only after the user confirms they kept it.
// app.SetupRequest.Validate decides what is valid; each step shows the
// errors of its own fields.
type wizard struct {
	d *desk

	kind     *widget.RadioGroup
	unitName *widget.Entry
	step1    *form
	next     *widget.Button

	adminName   *widget.Entry
	displayName *widget.Entry
	pw          *passwordPair
	step2       *form
	back        *widget.Button
	create      *widget.Button

	busy    *busy
	session *app.Session     // the new install's session, after step 3
	key     *recoveryKeyView // step 3's recovery key
}

func (d *desk) showWizard() {
	w := &wizard{d: d}
	w.kind = widget.NewRadioGroup([]string{i18n.L("wizard.install.station"), i18n.L("wizard.install.hq")}, nil)
	w.unitName = widget.NewEntry()
	w.unitName.SetPlaceHolder(i18n.L("wizard.unit_name.placeholder"))
	w.step1 = newForm(d)
	w.step1.add("kind", i18n.L("wizard.install"), w.kind,
		note("· "+i18n.L("wizard.install.station")+"："+i18n.L("wizard.install.station.hint")),
		note("· "+i18n.L("wizard.install.hq")+"："+i18n.L("wizard.install.hq.hint")))
	w.step1.add("unit_name", i18n.L("wizard.unit_name"), w.unitName)
	w.next = widget.NewButtonWithIcon(i18n.L("button.next"), theme.NavigateNextIcon(), w.toStep2)
	w.next.Importance = widget.HighImportance
	w.next.IconPlacement = widget.ButtonIconTrailingText

	w.adminName = widget.NewEntry()
	w.adminName.SetPlaceHolder(i18n.L("wizard.admin_username.placeholder"))
	w.displayName = widget.NewEntry()
	w.displayName.SetPlaceHolder(i18n.L("wizard.admin_name.placeholder"))
	w.step2 = newForm(d)
	w.step2.add("admin_name", i18n.L("wizard.admin_username"), w.adminName)
	w.step2.add("admin_display_name", i18n.L("wizard.admin_name"), w.displayName)
	w.pw = addPasswordPair(w.step2, i18n.L("wizard.password"), i18n.L("wizard.password_confirm"))
	w.back = widget.NewButtonWithIcon(i18n.L("button.back"), theme.NavigateBackIcon(), w.showStep1)
	w.create = widget.NewButtonWithIcon(i18n.L("wizard.create"), theme.ConfirmIcon(), w.runSetup)
	w.create.Importance = widget.HighImportance
	w.busy = newBusy(w.back, w.create)

	d.wizard = w
	w.showStep1()
	d.win.Canvas().Focus(w.unitName)
}

// header is the top of every step.
func (w *wizard) header(step int, intro string) fyne.CanvasObject {
	return container.NewVBox(
		heading(i18n.L("wizard.title")),
		widget.NewLabel(i18n.L("wizard.step", map[string]any{"Step": step, "Total": 3})),
		note(intro),
		widget.NewSeparator(),
	)
}

func (w *wizard) showStep1() {
	body := container.NewVBox(w.header(1, i18n.L("wizard.welcome")), w.step1.object())
	w.d.win.SetContent(page(wizardWidth, body, container.NewBorder(nil, nil, nil, w.next)))
}

func (w *wizard) showStep2() {
	body := container.NewVBox(w.header(2, i18n.L("wizard.admin.intro")), w.step2.object())
	w.d.win.SetContent(page(wizardWidth, body, container.NewBorder(nil, nil, w.back, w.create)))
}

// request is what the wizard has collected so far.
func (w *wizard) request() app.SetupRequest {
	kind := app.Kind("")
	switch w.kind.Selected {
	case i18n.L("wizard.install.station"):
		kind = app.Station
	case i18n.L("wizard.install.hq"):
		kind = app.HQ
	}
	return app.SetupRequest{Kind: kind, UnitName: w.unitName.Text, AdminName: w.adminName.Text,
		AdminDisplayName: w.displayName.Text, Password: w.pw.password.Text}
}

// toStep2 moves on unless a field of step 1 is invalid.
func (w *wizard) toStep2() {
	w.step1.clear()
	if err := w.request().Validate(); w.step1.owns(err) {
		w.step1.fail(err)
		return
	}
	w.showStep2()
	w.d.win.Canvas().Focus(w.adminName)
}

// failed shows err at its field, on step 1 or step 2.
func (w *wizard) failed(err error) {
	if w.step1.owns(err) {
		w.showStep1()
		w.step1.fail(err)
		return
	}
	w.step2.fail(err)
}

// runSetup checks step 2 and creates the install in the background.
func (w *wizard) runSetup() {
	w.step1.clear()
	w.step2.clear()
	same := w.pw.matches()
	req := w.request()
	if err := req.Validate(); err != nil {
		w.failed(err)
		return
	}
	if !same {
		return
	}
	if !w.busy.start() {
		return
	}
	body := container.NewVBox(w.header(3, i18n.L("wizard.creating")), w.busy.bar)
	w.d.win.SetContent(page(wizardWidth, body, nil))
	var (
		s   *app.Session
		key string
		err error
	)
	cfg := w.d.cfg
	w.d.run(func() {
		s, key, err = app.Setup(cfg, req)
	}, func() {
		w.busy.stop()
		if err != nil {
			w.showStep2()
			w.failed(err)
			return
		}
		w.session = s
		w.showKey(key, req.UnitName)
	})
}

// showKey is step 3: the recovery key, shown once.
func (w *wizard) showKey(key, unit string) {
	w.key = newRecoveryKeyView(w.d, key, unit, i18n.L("wizard.enter"), func() {
		w.d.signedIn(w.session)
	})
	body := container.NewVBox(w.header(3, i18n.L("wizard.recovery.intro")), w.key.content)
	w.d.win.SetContent(page(wizardWidth, body, container.NewBorder(nil, nil, nil, w.key.done)))
}
