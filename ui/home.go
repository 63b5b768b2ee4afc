package ui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
	"mediadesk/ui/i18n"
)

// areaWidth is the width of the text column of the work area's pages.
const areaWidth = 760

// homeView is 首页: the unit, the signed-in user, and what needs them now.
// At a station that is the drafts to review, the user's returned drafts,
// overdue netizen messages, idle accounts, open rectification notices and
// the days since the last sync; reload reads them again each time the
// home is shown. An admin also sees the first steps of a new install.
type homeView struct {
	s        *shell
	addUsers *widget.Button // admins only
	today    *fyne.Container
	content  fyne.CanvasObject
}

func newHomeView(s *shell) *homeView {
	h := &homeView{s: s, today: container.NewVBox()}
	d := s.d
	u, unit := d.session.User(), d.session.Unit()
	body := container.NewVBox(
		heading(unit.Name),
		widget.NewLabel(kindLabel(unit.Kind)),
		widget.NewSeparator(),
		widget.NewLabel(i18n.L("home.welcome", map[string]any{"Name": u.DisplayName, "Role": roleLabel(u.Role)})),
		h.today,
	)
	if u.Role.IsAdmin() {
		h.addUsers = widget.NewButtonWithIcon(i18n.L("home.add_users"), theme.ContentAddIcon(), func() {
			s.showArea("nav.settings")
			s.settings.showUsers().openAdd()
		})
		settings := widget.NewButtonWithIcon(i18n.L("home.open_settings"), theme.SettingsIcon(), func() {
			s.showArea("nav.settings")
		})
		steps := container.NewVBox(
			step(1, i18n.L("home.step.users."+string(unit.Kind)), h.addUsers),
			step(2, i18n.L("home.step.recovery"), nil),
			step(3, i18n.L("home.step.idle"), settings),
		)
		body.Add(widget.NewCard(i18n.L("home.next_steps"), "", steps))
	} else if unit.Kind == app.HQ {
		body.Add(widget.NewCard(i18n.L("home.about_desk"), "", note(i18n.L("home.about_desk."+string(unit.Kind)))))
	}
	h.content = container.NewVScroll(container.NewPadded(column(areaWidth, body)))
	h.reload()
	return h
}

// reload reads what needs the user now: a station's cards, or HQ's
// (hqCards).
func (h *homeView) reload() {
	d := h.s.d
	var cards []fyne.CanvasObject
	var err error
	if d.session.Unit().Kind == app.HQ {
		var hh app.HQHome
		if hh, err = d.session.HQHome(); err == nil {
			cards = h.hqCards(hh)
		}
	} else {
		var st app.StationHome
		if st, err = d.session.StationHome(); err == nil {
			cards = h.stationCards(st)
		}
	}
	if err != nil {
		msg := widget.NewLabel(d.errText(err))
		msg.Importance = widget.DangerImportance
		msg.Wrapping = fyne.TextWrapWord
		cards = []fyne.CanvasObject{msg}
	}
	h.today.Objects = cards
	h.today.Refresh()
}

// stationCards are the home's counters and lists.
func (h *homeView) stationCards(st app.StationHome) []fyne.CanvasObject {
	s := h.s
	goTo := func(area string) func() { return func() { s.showArea(area) } }
	counters := container.NewGridWithColumns(4)
	counter := func(key string, n int, alert bool, open func()) {
		counters.Add(counterCell(i18n.L(key), n, alert, open))
	}
	leader := s.d.session.User().Role == app.ShiftLeader
	if leader {
		counter("home.count.to_review", st.Waiting[app.Submitted], true, goTo("nav.posts"))
	} else {
		counter("home.count.submitted", st.Waiting[app.Submitted], false, goTo("nav.posts"))
	}
	counter("home.count.returned_mine", st.MyReturned, true, goTo("nav.posts"))
	counter("home.count.awaiting_hq", st.Waiting[app.AwaitingHQ], false, goTo("nav.posts"))
	counter("home.count.ready", st.Waiting[app.Ready], true, goTo("nav.posts"))
	counter("home.count.overdue", st.OverdueMessages, true, goTo("nav.messages"))
	counter("home.count.open_messages", st.OpenMessages, false, goTo("nav.messages"))
	counter("home.count.idle_accounts", len(st.Zombie)+len(st.Sleeping), true, goTo("nav.accounts"))
	counter("home.count.notices", st.OpenNotices, st.LateNotices > 0, goTo("nav.notices"))
	out := []fyne.CanvasObject{widget.NewCard(i18n.L("home.now"), "", counters)}

	if len(st.ToReview) > 0 {
		rows := container.NewVBox()
		for _, p := range st.ToReview {
			id := p.ID
			open := widget.NewButtonWithIcon(i18n.L("home.open"), theme.NavigateNextIcon(), func() { s.openPosts().showPost(id) })
			rows.Add(container.NewBorder(nil, nil, nil, open, widget.NewLabel(p.Title+"  "+h.when(p.UpdatedAt))))
		}
		out = append(out, widget.NewCard(i18n.L("home.to_review"), i18n.L("home.to_review.sub"), rows))
	}
	if len(st.Overdue) > 0 {
		rows := container.NewVBox()
		for _, m := range st.Overdue {
			l := widget.NewLabel(i18n.L("home.overdue.row", map[string]any{
				"Platform": platformNameOf(s.d, m.Platform), "Handle": m.Handle, "Type": messageTypeLabel(app.MessageType(m.Type)), "Due": m.DueOn}))
			l.Importance = widget.DangerImportance
			rows.Add(l)
		}
		rows.Add(container.NewHBox(widget.NewButton(i18n.L("home.overdue.open"), goTo("nav.messages"))))
		out = append(out, widget.NewCard(i18n.L("home.overdue"), "", rows))
	}
	if idle := len(st.Zombie) + len(st.Sleeping); idle > 0 {
		rows := container.NewVBox()
		for _, group := range []struct {
			key  string
			list []app.IdleAccount
		}{{"home.idle.sleeping", st.Sleeping}, {"home.idle.zombie", st.Zombie}} {
			for _, a := range group.list {
				last := i18n.L("home.idle.never")
				if a.LastPost > 0 {
					last = h.when(a.LastPost)
				}
				rows.Add(widget.NewLabel(i18n.L(group.key, map[string]any{"Name": a.Name, "Platform": platformNameOf(s.d, a.Platform), "Last": last})))
			}
		}
		rows.Add(container.NewHBox(widget.NewButton(i18n.L("home.idle.open"), goTo("nav.accounts"))))
		out = append(out, widget.NewCard(i18n.L("home.idle"), i18n.L("home.idle.sub", map[string]any{
			"Days": s.d.session.ActivityRule().ZombieDays, "Months": s.d.session.ActivityRule().SleepingMonths}), rows))
	}
	if len(st.Notices) > 0 {
		rows := container.NewVBox()
		for _, n := range st.Notices {
			l := widget.NewLabel(i18n.L("home.notice.row", map[string]any{"Title": n.Title, "Due": n.DueOn}))
			if st.NoticeLate(n) {
				l.Importance = widget.DangerImportance
			}
			open := widget.NewButtonWithIcon(i18n.L("home.open"), theme.NavigateNextIcon(), goTo("nav.notices"))
			rows.Add(container.NewBorder(nil, nil, nil, open, l))
		}
		out = append(out, widget.NewCard(i18n.L("home.notices"), "", rows))
	}
	if card := latestResultCard(s.d); card != nil {
		out = append(out, card)
	}
	sync := i18n.L("home.sync.never")
	if st.Synced {
		sync = i18n.L("home.sync.days", map[string]any{"Days": st.DaysSinceSync})
	}
	out = append(out, container.NewBorder(nil, nil, nil,
		widget.NewButtonWithIcon(i18n.L("home.sync.open"), theme.ViewRefreshIcon(), goTo("nav.sync")), widget.NewLabel(sync)))
	return out
}

// when shows a Unix ms time as a local date and time.
func (h *homeView) when(ms int64) string {
	return time.UnixMilli(ms).In(time.Local).Format("2006-01-02 15:04")
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
