package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
	"mediadesk/ui/i18n"
)

// Forms. Every input sits under its label with room below it for its
// error message in red. No Entry where Chinese may be typed has an
// OnSubmitted: a pinyin input method sends Return while composing, so
// Return must never save, send or close (design.md §8).

// field is one labelled input of a form: its label, the input, its
// error message and any extras, top to bottom.
type field struct {
	msg *widget.Label // the field's error message, hidden when empty
}

// setError shows text as the field's error, or hides it when empty.
func (f *field) setError(text string) {
	setMessage(f.msg, text)
}

// form is a column of fields that shows each app.FieldError at its
// field and any other error below the fields.
type form struct {
	d      *desk
	fields map[string]*field // by app.FieldError.Field
	box    *fyne.Container
	msg    *widget.Label // errors that belong to no field
}

func newForm(d *desk) *form {
	return &form{d: d, fields: map[string]*field{}, box: container.NewVBox(), msg: errorLabel()}
}

// add appends a field. key is the app.FieldError.Field it shows (empty
// for none); extras go below the input and its error message.
func (f *form) add(key, label string, input fyne.CanvasObject, extras ...fyne.CanvasObject) *field {
	fl := &field{msg: errorLabel()}
	title := widget.NewLabelWithStyle(label, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	box := container.NewVBox(title, input, fl.msg)
	for _, e := range extras {
		box.Add(e)
	}
	if key != "" {
		f.fields[key] = fl
	}
	f.box.Add(box)
	return fl
}

// object is the form with its general error message below the fields.
func (f *form) object() fyne.CanvasObject {
	return container.NewVBox(f.box, f.msg)
}

// clear hides every error message.
func (f *form) clear() {
	for _, fl := range f.fields {
		fl.setError("")
	}
	setMessage(f.msg, "")
}

// owns reports whether err is an app.FieldError of a field on this form.
func (f *form) owns(err error) bool {
	var fe *app.FieldError
	return errors.As(err, &fe) && f.fields[fe.Field] != nil
}

// fail shows err at its field when it is an app.FieldError of a field on
// this form, else below the form. It reports whether err was a field's.
func (f *form) fail(err error) bool {
	var fe *app.FieldError
	if errors.As(err, &fe) {
		if fl, ok := f.fields[fe.Field]; ok {
			fl.setError(f.d.errText(fe))
			return true
		}
	}
	f.msg.Importance = widget.DangerImportance
	setMessage(f.msg, f.d.errText(err))
	return false
}

// done shows that the form's work succeeded.
func (f *form) done(text string) {
	f.msg.Importance = widget.SuccessImportance
	setMessage(f.msg, text)
}

// errorLabel is a hidden, red, wrapping label for an error message.
func errorLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

// setMessage shows text in l, or hides l when text is empty.
func setMessage(l *widget.Label, text string) {
	l.SetText(text)
	if text == "" {
		l.Hide()
	} else {
		l.Show()
	}
}

// passwordPair is a new password with its confirmation and a strength
// hint that follows the typing.
type passwordPair struct {
	password, confirm *widget.Entry
	hint              *widget.Label
	confirmField      *field
}

// addPasswordPair adds the new-password and confirmation fields to f;
// the password field shows app.FieldError "password".
func addPasswordPair(f *form, passwordLabel, confirmLabel string) *passwordPair {
	p := &passwordPair{password: widget.NewPasswordEntry(), confirm: widget.NewPasswordEntry(), hint: widget.NewLabel("")}
	p.hint.Wrapping = fyne.TextWrapWord
	p.password.OnChanged = p.showStrength
	p.showStrength("")
	f.add("password", passwordLabel, p.password, p.hint)
	p.confirmField = f.add("", confirmLabel, p.confirm)
	return p
}

// showStrength grades pw with app.PasswordStrength: 太短 (refused) in red,
// then 弱, 中, 强.
func (p *passwordPair) showStrength(pw string) {
	level, imp := "", widget.MediumImportance
	switch app.PasswordStrength(pw) {
	case app.TooShort:
		level, imp = i18n.L("password.strength.too_short"), widget.DangerImportance
	case app.Weak:
		level, imp = i18n.L("password.strength.weak"), widget.WarningImportance
	case app.Fair:
		level = i18n.L("password.strength.medium")
	case app.Strong:
		level, imp = i18n.L("password.strength.strong"), widget.SuccessImportance
	}
	if pw == "" {
		p.hint.Importance = widget.MediumImportance
		p.hint.SetText(i18n.L("password.strength.hint"))
		return
	}
	p.hint.Importance = imp
	p.hint.SetText(i18n.L("password.strength", map[string]any{"Level": level}) + "  " + i18n.L("password.strength.hint"))
}

// matches reports whether both entries agree, else shows the mismatch at
// the confirmation field.
func (p *passwordPair) matches() bool {
	if p.password.Text == p.confirm.Text {
		return true
	}
	p.confirmField.setError(i18n.L("wizard.password.mismatch"))
	return false
}

// reset empties both entries.
func (p *passwordPair) reset() {
	p.password.SetText("")
	p.confirm.SetText("")
}

// busy shows that work runs in the background: a moving bar, and the
// buttons that would start it again disabled.
type busy struct {
	bar     *widget.ProgressBarInfinite
	buttons []*widget.Button
	on      bool
}

func newBusy(buttons ...*widget.Button) *busy {
	b := &busy{bar: widget.NewProgressBarInfinite(), buttons: buttons}
	b.bar.Stop()
	b.bar.Hide()
	return b
}

// start begins showing the work; it reports false when work is already
// running.
func (b *busy) start() bool {
	if b.on {
		return false
	}
	b.on = true
	for _, btn := range b.buttons {
		btn.Disable()
	}
	b.bar.Show()
	b.bar.Start()
	return true
}

// stop ends showing the work.
func (b *busy) stop() {
	b.on = false
	b.bar.Stop()
	b.bar.Hide()
	for _, btn := range b.buttons {
		btn.Enable()
	}
}

// heading is a large bold title.
func heading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameHeadingText
	l.Wrapping = fyne.TextWrapWord
	return l
}

// para is a wrapping paragraph of UI text that breaks lines as the UI
// language does: Chinese at any character, English at spaces. (Fyne's
// word wrap moves a whole run of Chinese without spaces, or everything
// after the last space, to the next line.)
func (d *desk) para(text string) *widget.Label {
	l := note(text)
	if d.lang != i18n.English {
		l.Wrapping = fyne.TextWrapBreak
	}
	return l
}

// userText is a wrapping paragraph of text a user wrote (in Chinese,
// whatever the UI language): it breaks at any character.
func userText(text string) *widget.Label {
	l := note(text)
	l.Wrapping = fyne.TextWrapBreak
	return l
}

// note is a wrapping paragraph.
func note(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// widthLayout lays its objects over each other, centred, at most width
// wide (wider only when their content needs it), so that wrapped text keeps
// a readable line length in a wide window.
type widthLayout struct{ width float32 }

func (l widthLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w := min(size.Width, max(l.width, l.MinSize(objs).Width))
	for _, o := range objs {
		o.Move(fyne.NewPos((size.Width-w)/2, 0))
		o.Resize(fyne.NewSize(w, size.Height))
	}
}

func (l widthLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return fyne.NewSize(max(s.Width, l.width), s.Height)
}

// column is obj at most width wide, centred.
func column(width float32, obj fyne.CanvasObject) *fyne.Container {
	return container.New(widthLayout{width: width}, obj)
}

// page is a scrolling page of width-limited content with a footer (a row
// of buttons, or nil) fixed at the bottom: the frame of the wizard, the
// login and the lock screen.
func page(width float32, body, footer fyne.CanvasObject) fyne.CanvasObject {
	scroll := container.NewVScroll(container.NewPadded(column(width, body)))
	if footer == nil {
		return scroll
	}
	return container.NewBorder(nil, container.NewPadded(column(width, footer)), nil, nil, scroll)
}
