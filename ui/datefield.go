package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
	"mediadesk/ui/i18n"
)

// dateField is a date typed as 2006-01-02 (the order Chinese users write
// dates in, whatever the computer's region; Fyne's DateEntry follows the
// region) or picked from a calendar that drops down from its button.
type dateField struct {
	entry   *widget.Entry
	pick    *widget.Button
	popUp   *widget.PopUp
	changed func() // called when the text changes; may be nil
	content fyne.CanvasObject
}

func newDateField(d *desk) *dateField {
	f := &dateField{entry: widget.NewEntry()}
	f.entry.SetPlaceHolder(i18n.L("date.placeholder"))
	f.entry.OnChanged = func(string) {
		if f.changed != nil {
			f.changed()
		}
	}
	f.pick = widget.NewButtonWithIcon("", theme.CalendarIcon(), func() {
		start := time.Now()
		if t, ok, _ := f.date(); ok {
			start = t
		}
		cal := widget.NewCalendar(start, func(t time.Time) {
			f.popUp.Hide()
			f.set(t)
		})
		c := d.win.Canvas()
		f.popUp = widget.NewPopUp(cal, c)
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(f.entry)
		f.popUp.ShowAtPosition(pos.Add(fyne.NewPos(0, f.entry.Size().Height)))
	})
	f.pick.Importance = widget.LowImportance
	f.content = container.NewBorder(nil, nil, nil, f.pick, f.entry)
	return f
}

// set shows day t.
func (f *dateField) set(t time.Time) { f.entry.SetText(t.Format(time.DateOnly)) }

// date is the day typed, at local midnight; ok is false when the field is
// empty, err set when its text is no date.
func (f *dateField) date() (t time.Time, ok bool, err error) {
	text := strings.TrimSpace(f.entry.Text)
	if text == "" {
		return time.Time{}, false, nil
	}
	t, err = time.ParseInLocation(time.DateOnly, text, time.Local)
	if err != nil {
		return time.Time{}, false, errBadDate
	}
	return t, true, nil
}

// errBadDate: a date field holds text that is no date.
var errBadDate = uiError("date.invalid")

// uiError is an error whose message is a translation key, looked up when
// it is shown (through desk.errText, as the message in the UI language).
type uiError string

func (e uiError) Error() string { return i18n.L(string(e)) }

// minuteLayout is how a form writes a time to the minute.
const minuteLayout = "2006-01-02 15:04"

// newMinuteEntry is an entry for a time to the minute (when a post went
// out, when it came down), filled with the computer's time now, which the
// app checks it against.
func newMinuteEntry() *widget.Entry {
	e := widget.NewEntry()
	e.SetText(time.Now().Format(minuteLayout))
	return e
}

// readMinute reads a newMinuteEntry's time, or says at field what to type.
func readMinute(e *widget.Entry, field string) (time.Time, error) {
	t, err := time.ParseInLocation(minuteLayout, strings.TrimSpace(e.Text), time.Local)
	if err != nil {
		return time.Time{}, &app.FieldError{Field: field, Msg: i18n.L("detail.publish.at.invalid")}
	}
	return t, nil
}
