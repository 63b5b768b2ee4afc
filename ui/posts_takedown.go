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

// takeDown asks why and when the published post came down from its
// platform, and optionally the rectification notice it answers, then
// records it (撤下…; app.Session.TakeDown). The reason is typed in
// Chinese: Return adds a line, only the button records. Taking down is
// final, which the introduction says.
func (dv *detailView) takeDown() {
	s, id := dv.d.session, dv.id
	reason := multiLine(4)
	reason.SetPlaceHolder(i18n.L("detail.take_down.reason.placeholder"))
	at := newMinuteEntry()
	// the notices this unit may answer; none listed if they cannot be read
	notices, _ := s.TakeDownNotices()
	opts := []string{i18n.L("detail.take_down.notice.none")}
	for _, n := range notices {
		opts = append(opts, n.Title+"（"+i18n.L("detail.take_down.notice.due", map[string]any{"Due": n.DueOn})+"）")
	}
	notice := widget.NewSelect(opts, nil)
	notice.SetSelectedIndex(0)
	hint := widget.NewLabel(i18n.L("detail.take_down.notice.hint"))
	hint.Wrapping = fyne.TextWrapWord
	hint.SizeName = theme.SizeNameCaptionText

	f := newForm(dv.d)
	f.add("reason", i18n.L("detail.take_down.reason"), reason)
	f.add("at", i18n.L("detail.take_down.at"), at)
	f.add("notice", i18n.L("detail.take_down.notice"), notice, hint)
	dv.dialog = dv.d.showFormDialog(i18n.L("detail.take_down.title"), i18n.L("detail.take_down.intro"), i18n.L("detail.take_down.submit"), f,
		func() (func() error, error) {
			t, err := readMinute(at, "at")
			if err != nil {
				return nil, err
			}
			form := app.TakeDownForm{Reason: reason.Text, At: t}
			if i := notice.SelectedIndex(); i > 0 {
				form.NoticeID = notices[i-1].ID
			}
			return func() error { _, err := s.TakeDown(id, form); return err }, nil
		}, func() {
			dv.say(i18n.L("detail.take_down.done"), widget.SuccessImportance)
			dv.refresh()
		}, dv.dialogClosed)
}

// takenDownPart says when the post came down, who recorded it and why.
func (dv *detailView) takenDownPart(pd app.PostDetail) fyne.CanvasObject {
	e := pd.TakeDown
	line := widget.NewLabel(i18n.L("detail.taken_down.when", map[string]any{"Time": when(time.UnixMilli(e.At)), "Name": pd.People.Name(e.Actor)}))
	line.Wrapping = fyne.TextWrapWord
	line.Importance = widget.DangerImportance
	return container.NewVBox(sectionTitle(i18n.L("detail.taken_down")), line, quote(strings.TrimSpace(e.Comment)))
}
