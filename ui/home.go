package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mediadesk/ui/i18n"
)

// areaWidth is the width of the text column of the work area's pages.
const areaWidth = 760

// homeView is 首页: the unit, the signed-in user, and what to do next. An
// admin sees the first steps of a new install (add users, keep the
// recovery key, set auto-lock); other users see what the desk is for.
type homeView struct {
	addUsers *widget.Button // admins only
	content  fyne.CanvasObject
}

func newHomeView(s *shell) *homeView {
	h := &homeView{}
	d := s.d
	u, unit := d.session.User(), d.session.Unit()
	body := container.NewVBox(
		heading(unit.Name),
		widget.NewLabel(kindLabel(unit.Kind)),
		widget.NewSeparator(),
		widget.NewLabel(i18n.L("home.welcome", map[string]any{"Name": u.DisplayName, "Role": roleLabel(u.Role)})),
	)
	if u.Role.IsAdmin() {
		h.addUsers = widget.NewButtonWithIcon(i18n.L("home.add_users"), theme.ContentAddIcon(), func() {
			s.showArea("nav.settings")
			s.settings.showUsers().openAdd()
		})
		h.addUsers.Importance = widget.HighImportance
		settings := widget.NewButtonWithIcon(i18n.L("home.open_settings"), theme.SettingsIcon(), func() {
			s.showArea("nav.settings")
		})
		steps := container.NewVBox(
			step(1, i18n.L("home.step.users."+string(unit.Kind)), h.addUsers),
			step(2, i18n.L("home.step.recovery"), nil),
			step(3, i18n.L("home.step.idle"), settings),
		)
		body.Add(widget.NewCard(i18n.L("home.next_steps"), "", steps))
	} else {
		body.Add(widget.NewCard(i18n.L("home.about_desk"), "", note(i18n.L("home.about_desk."+string(unit.Kind)))))
	}
	body.Add(note(i18n.L("home.in_progress")))
	h.content = container.NewVScroll(container.NewPadded(column(areaWidth, body)))
	return h
}

// step is one numbered next step with an optional button under its text.
func step(n int, text string, btn *widget.Button) fyne.CanvasObject {
	col := container.NewVBox(note(text))
	if btn != nil {
		col.Add(container.NewHBox(btn))
	}
	num := widget.NewLabelWithStyle(fmt.Sprintf("%d.", n), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewBorder(nil, nil, container.NewVBox(num), nil, col)
}

// placeholder builds the empty state of an area that later versions fill:
// what the area will hold and what to do first (texts "empty.<text>.holds"
// and "empty.<text>.first"). It shows no data.
func placeholder(navKey, text string) func() fyne.CanvasObject {
	return func() fyne.CanvasObject {
		icon := widget.NewIcon(theme.InfoIcon())
		body := container.NewVBox(
			container.NewBorder(nil, nil, icon, nil, heading(i18n.L(navKey))),
			widget.NewSeparator(),
			widget.NewLabelWithStyle(i18n.L("empty.holds"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			note(i18n.L("empty."+text+".holds")),
			widget.NewLabelWithStyle(i18n.L("empty.first"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			note(i18n.L("empty."+text+".first")),
			widget.NewSeparator(),
			note(i18n.L("empty.not_yet")),
		)
		return container.NewVScroll(container.NewPadded(column(areaWidth, body)))
	}
}
