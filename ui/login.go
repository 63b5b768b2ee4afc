package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
	"mediadesk/icons"
	"mediadesk/ui/i18n"
)

// cardWidth is the width of the login, recovery and lock forms.
const cardWidth = 420

// loginScreen signs a user in. Sign-in derives the key from the password
// (about half a second) off the UI goroutine. Return in the password
// field signs in (passwords are not typed through an input method); Return
// in the user-name field does nothing. Errors (wrong password, unknown
// user, disabled user, data directory in use, damaged data) show below the
// form in the words of app/. "忘记密码？" opens the recovery form, which
// sets a new password with the recovery key (app.RecoverWithKey).
type loginScreen struct {
	d        *desk
	name     *widget.Entry
	password *widget.Entry
	submit   *widget.Button
	forgot   *widget.Hyperlink
	form     *form
	busy     *busy

	recovery *recoveryForm // while the recovery form shows
}

func (d *desk) showLogin(userName string) {
	l := &loginScreen{d: d, name: widget.NewEntry(), password: widget.NewPasswordEntry()}
	l.name.SetText(userName)
	// Return with an empty field is ignored: with a Chinese input method
	// still on, the letters went to its candidate box, not the field.
	l.password.OnSubmitted = func(pw string) {
		if pw != "" {
			l.signIn()
		}
	}
	l.form = newForm(d)
	l.form.add("", i18n.L("login.username"), l.name)
	l.form.add("", i18n.L("login.password"), l.password)
	l.submit = widget.NewButtonWithIcon(i18n.L("login.submit"), theme.LoginIcon(), l.signIn)
	l.submit.Importance = widget.HighImportance
	l.forgot = widget.NewHyperlink(i18n.L("login.forgot"), nil)
	l.forgot.OnTapped = l.showRecovery
	l.busy = newBusy(l.submit)
	d.login = l
	l.show()
	if userName == "" {
		d.win.Canvas().Focus(l.name)
	} else {
		d.win.Canvas().Focus(l.password)
	}
}

// brand is the app icon and name at the top of the login and lock screens.
func brand() fyne.CanvasObject {
	img := canvas.NewImageFromResource(fyne.NewStaticResource("mediadesk-144.png", icons.Icon144PNG))
	img.FillMode = canvas.ImageFillContain
	img.SetMinSize(fyne.NewSquareSize(72))
	title := widget.NewLabelWithStyle(i18n.L("app.title"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	return container.NewVBox(img, title)
}

// centred is a card-width column in the middle of the window.
func centred(obj fyne.CanvasObject) fyne.CanvasObject {
	return container.NewVScroll(container.NewCenter(column(cardWidth, obj)))
}

func (l *loginScreen) show() {
	l.recovery = nil
	body := container.NewVBox(brand(), widget.NewSeparator(), heading(i18n.L("login.title")), l.form.object(),
		l.busy.bar, l.submit, container.NewCenter(l.forgot))
	l.d.win.SetContent(centred(body))
}

// signIn signs in in the background and opens the shell.
func (l *loginScreen) signIn() {
	l.form.clear()
	if !l.busy.start() {
		return
	}
	name, pw, cfg := l.name.Text, l.password.Text, l.d.cfg
	var (
		s   *app.Session
		err error
	)
	l.d.run(func() {
		s, err = app.SignIn(cfg, name, pw)
	}, func() {
		l.busy.stop()
		if err != nil {
			l.form.fail(err)
			l.password.SetText("")
			l.d.win.Canvas().Focus(l.password)
			return
		}
		l.d.signedIn(s)
	})
}

// recoveryForm sets a forgotten password with the recovery key.
type recoveryForm struct {
	l      *loginScreen
	key    *widget.Entry
	name   *widget.Entry
	pw     *passwordPair
	form   *form
	submit *widget.Button
	busy   *busy
}

func (l *loginScreen) showRecovery() {
	r := &recoveryForm{l: l, key: widget.NewEntry(), name: widget.NewEntry()}
	r.key.SetPlaceHolder("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
	r.key.TextStyle = fyne.TextStyle{Monospace: true}
	r.name.SetText(l.name.Text)
	r.form = newForm(l.d)
	r.form.add("", i18n.L("recover.key"), r.key)
	r.form.add("name", i18n.L("login.username"), r.name)
	r.pw = addPasswordPair(r.form, i18n.L("recover.new_password"), i18n.L("wizard.password_confirm"))
	r.submit = widget.NewButtonWithIcon(i18n.L("recover.submit"), theme.ConfirmIcon(), r.recover)
	r.submit.Importance = widget.HighImportance
	back := widget.NewHyperlink(i18n.L("recover.back"), nil)
	back.OnTapped = l.show
	r.busy = newBusy(r.submit)
	l.recovery = r
	body := container.NewVBox(brand(), widget.NewSeparator(), heading(i18n.L("recover.title")), note(i18n.L("recover.intro")),
		r.form.object(), r.busy.bar, r.submit, container.NewCenter(back))
	l.d.win.SetContent(centred(body))
	l.d.win.Canvas().Focus(r.key)
}

// recover opens the install with the recovery key, sets the new password
// and signs the user in.
func (r *recoveryForm) recover() {
	r.form.clear()
	if !r.pw.matches() || !r.busy.start() {
		return
	}
	key, name, pw, cfg := r.key.Text, r.name.Text, r.pw.password.Text, r.l.d.cfg
	var (
		s   *app.Session
		err error
	)
	r.l.d.run(func() {
		s, err = app.RecoverWithKey(cfg, key, name, pw)
	}, func() {
		r.busy.stop()
		if err != nil {
			r.form.fail(err)
			return
		}
		r.l.d.signedIn(s)
	})
}
