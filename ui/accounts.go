package ui

import (
	"image/color"
	"net/url"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
	"mediadesk/ui/i18n"
)

// accountsView is 账号 (Art. 11, 13, 14): on the left the account registry
// with its filters (status, platform), each row with the status, the
// platform, the name and a 僵尸/睡眠 badge, and the primary button 新建报备;
// on the right the selected account (every field, the filing history, the
// last published post, the numbers and a form to enter a day's numbers)
// or the filing form (filingForm). The actions on an account follow its
// status: 编辑, 报备 and 注销 before HQ has accepted it; 变更, 停用 or 恢复,
// and 注销 after. Admins also set the 僵尸/睡眠 thresholds (标记阈值).
type accountsView struct {
	widget.BaseWidget
	d                *desk
	status, platform *widget.Select
	statuses         []app.FilingStatus // the status filter's options after 全部
	entries          []app.AccountEntry
	list             *widget.List
	newFiling        *widget.Button
	rules            *widget.Button // admins only
	listMsg          *widget.Label
	officers         map[string]app.RosterEntry // the roster by ID, inactive entries too
	pane             *fyne.Container            // the account, the filing form or the empty state
	msg              *widget.Label              // the last action's result
	content          fyne.CanvasObject

	shown   app.AccountDetail // ID empty when none is shown
	actions *fyne.Container   // the shown account's actions
	metrics *metricsEntry     // the shown account's numbers form, when it takes numbers
	filing  *filingForm       // while the filing form is open
	dialog  *formDialog
	confirm *dialog.ConfirmDialog
	discard *dialog.ConfirmDialog // the question before unsaved filing changes are dropped, while it shows
}

// filingStatuses are the filing statuses in the order of the lifecycle.
var filingStatuses = []app.FilingStatus{app.FilingPlanned, app.FilingFiled, app.FilingAccepted, app.FilingRejected,
	app.FilingVerified, app.FilingSuspended, app.FilingClosed}

// filingStatusLabel is a filing status in words: 拟开设, 已报备, 已备案, 退回,
// 已认证, 停用, 已注销.
func filingStatusLabel(st app.FilingStatus) string { return i18n.L("accounts.status." + string(st)) }

// filingStatusImportance is the colour of a filing status.
func filingStatusImportance(st app.FilingStatus) widget.Importance {
	switch st {
	case app.FilingRejected:
		return widget.DangerImportance
	case app.FilingFiled, app.FilingPlanned:
		return widget.WarningImportance
	case app.FilingAccepted, app.FilingVerified:
		return widget.SuccessImportance
	}
	return widget.MediumImportance
}

// setBadge shows an account's activity in l: 僵尸 or 睡眠, nothing when
// it is active or not live.
func setBadge(l *widget.Label, a app.Activity) {
	switch a {
	case app.Zombie:
		l.Importance = widget.WarningImportance
		l.SetText(i18n.L("accounts.activity.zombie"))
	case app.Sleeping:
		l.Importance = widget.DangerImportance
		l.SetText(i18n.L("accounts.activity.sleeping"))
	default:
		l.SetText("")
	}
}

func newAccountsView(d *desk) *accountsView {
	v := &accountsView{d: d, msg: errorLabel(), listMsg: errorLabel(), pane: container.NewStack()}
	statusOpts := []string{i18n.L("accounts.filter.all_status")}
	for _, st := range filingStatuses {
		v.statuses = append(v.statuses, st)
		statusOpts = append(statusOpts, filingStatusLabel(st))
	}
	platformOpts := []string{i18n.L("posts.filter.all_platforms")}
	for _, p := range app.Platforms {
		platformOpts = append(platformOpts, platformName(d, p))
	}
	v.status, v.platform = widget.NewSelect(statusOpts, nil), widget.NewSelect(platformOpts, nil)
	v.status.SetSelectedIndex(0)
	v.platform.SetSelectedIndex(0)
	v.status.OnChanged = func(string) { v.reload() }
	v.platform.OnChanged = func(string) { v.reload() }

	v.newFiling = widget.NewButtonWithIcon(i18n.L("accounts.new"), theme.ContentAddIcon(), func() {
		v.leaveForm(func() { v.openForm(app.AccountForm{}, false) })
	})
	v.newFiling.Importance = widget.HighImportance
	refresh := widget.NewButtonWithIcon("", theme.ViewRefreshIcon(), v.refresh)
	refresh.Importance = widget.LowImportance
	bar := container.NewHBox(refresh, v.newFiling)
	if d.session.User().Role.IsAdmin() {
		v.rules = widget.NewButtonWithIcon(i18n.L("accounts.rules"), theme.SettingsIcon(), v.editRules)
		bar.Add(v.rules)
	}
	v.list = widget.NewList(func() int { return len(v.entries) },
		func() fyne.CanvasObject { return newAccountRow() },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*accountRow).set(d, v.entries[i]) })
	v.list.OnSelected = func(i widget.ListItemID) {
		if i < len(v.entries) {
			id := v.entries[i].ID
			v.leaveForm(func() { v.showAccount(id) })
		}
	}
	title := heading(i18n.L("nav.accounts"))
	title.Wrapping = fyne.TextWrapOff
	top := container.NewVBox(container.NewBorder(nil, nil, nil, bar, title),
		container.NewGridWithColumns(2, v.status, v.platform), v.listMsg, widget.NewSeparator())
	left := container.NewBorder(top, nil, nil, nil, v.list)
	right := container.NewBorder(container.NewPadded(v.msg), nil, nil, nil, v.pane)
	split := container.NewHSplit(container.NewPadded(left), right)
	split.Offset = 0.4
	v.content = split
	v.showEmpty()
	v.reload()
	v.ExtendBaseWidget(v)
	return v
}

// CreateRenderer shows the registry and the account beside it.
func (v *accountsView) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(v.content)
}

// say shows the result of an action above the right side.
func (v *accountsView) say(text string, imp widget.Importance) {
	v.msg.Importance = imp
	setMessage(v.msg, text)
}

// reload reads the registry again as the filters select it, and the
// roster the rows and the detail name officers from.
func (v *accountsView) reload() {
	var f app.AccountFilter
	if i := v.status.SelectedIndex(); i > 0 {
		f.Status = v.statuses[i-1]
	}
	if i := v.platform.SelectedIndex(); i > 0 {
		f.Platform = app.Platforms[i-1].Code
	}
	entries, err := v.d.session.AccountRegistry(f)
	if err == nil {
		var roster []app.RosterEntry
		roster, err = v.d.session.Officers(true)
		v.officers = map[string]app.RosterEntry{}
		for _, o := range roster {
			v.officers[o.ID] = o
		}
	}
	if err != nil {
		v.listMsg.Importance = widget.DangerImportance
		setMessage(v.listMsg, v.d.errText(err))
		return
	}
	setMessage(v.listMsg, "")
	if len(entries) == 0 {
		v.listMsg.Importance = widget.MediumImportance
		setMessage(v.listMsg, i18n.L("accounts.none"))
	}
	v.entries = entries
	v.list.UnselectAll()
	v.list.Refresh()
}

// showEmpty says what to do when no account is shown.
func (v *accountsView) showEmpty() {
	v.shown, v.metrics, v.filing = app.AccountDetail{}, nil, nil
	body := container.NewVBox(sectionTitle(i18n.L("accounts.detail.none")), v.d.para(i18n.L("accounts.detail.none.hint")))
	v.pane.Objects = []fyne.CanvasObject{container.NewPadded(body)}
	v.pane.Refresh()
}

// showAccount reads account id and shows it.
func (v *accountsView) showAccount(id string) {
	if id != v.shown.ID {
		v.say("", widget.MediumImportance)
	}
	ad, err := v.d.session.Account(id)
	if err != nil {
		v.say(v.d.errText(err), widget.DangerImportance)
		return
	}
	v.shown, v.filing = ad, nil
	v.pane.Objects = []fyne.CanvasObject{v.build(ad)}
	v.pane.Refresh()
}

// refresh reads the list and the shown account again; an open filing
// form stays as it is.
func (v *accountsView) refresh() {
	id := v.shown.ID
	v.reload()
	if id != "" && v.filing == nil {
		v.showAccount(id)
	}
}

// leaveForm runs next, which replaces the filing form; while the form
// holds changes not saved, only after the user agrees to discard them.
// Keeping them leaves the form as it is.
func (v *accountsView) leaveForm(next func()) {
	v.d.leaveIf(v.filing != nil && v.filing.edited(), &v.discard, next, func() {
		v.list.UnselectAll() // the row clicked is not shown
	})
}

// accountRow is one line of the registry: status, platform, name and
// the 僵尸/睡眠 badge.
type accountRow struct {
	widget.BaseWidget
	status, platform, name, badge *widget.Label
}

func newAccountRow() *accountRow {
	r := &accountRow{status: widget.NewLabel(""), platform: widget.NewLabel(""), name: widget.NewLabel(""), badge: widget.NewLabel("")}
	r.status.TextStyle.Bold = true
	r.badge.TextStyle.Bold = true
	r.name.Truncation = fyne.TextTruncateEllipsis
	r.ExtendBaseWidget(r)
	return r
}

// set shows entry e.
func (r *accountRow) set(d *desk, e app.AccountEntry) {
	st := app.FilingStatus(e.Status)
	r.status.Importance = filingStatusImportance(st)
	r.status.SetText(filingStatusLabel(st))
	r.platform.SetText(platformNameOf(d, e.Platform))
	r.name.SetText(e.Name)
	setBadge(r.badge, e.Activity)
}

// CreateRenderer gives status and platform fixed widths, so the names
// line up.
func (r *accountRow) CreateRenderer() fyne.WidgetRenderer {
	fixed := func(l *widget.Label, longest string) fyne.CanvasObject {
		room := canvas.NewRectangle(color.Transparent)
		room.SetMinSize(widget.NewLabelWithStyle(longest, fyne.TextAlignLeading, l.TextStyle).MinSize())
		return container.NewStack(room, l)
	}
	left := container.NewHBox(fixed(r.status, "已报备"), fixed(r.platform, "微信公众号"))
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, left, fixed(r.badge, "僵尸"), r.name))
}

// build lays out account ad.
func (v *accountsView) build(ad app.AccountDetail) fyne.CanvasObject {
	d, a := v.d, ad.Account
	st := app.FilingStatus(a.Status)
	status := widget.NewLabelWithStyle(filingStatusLabel(st), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	status.Importance = filingStatusImportance(st)
	badge := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	setBadge(badge, ad.Activity)
	facts := platformNameOf(d, a.Platform) + " · " + i18n.L("accounts.kind."+a.Kind)
	head := container.NewVBox(heading(a.Name), container.NewHBox(status, badge, widget.NewLabel(facts)))
	switch {
	case st == app.FilingRejected && a.Reason != "":
		reason := d.para(i18n.L("accounts.rejected", map[string]any{"Reason": a.Reason}))
		reason.Importance = widget.DangerImportance
		head.Add(reason)
	case st == app.FilingFiled:
		head.Add(d.para(i18n.L("accounts.waiting")))
	}
	if ad.Activity == app.Zombie || ad.Activity == app.Sleeping {
		rule := d.session.ActivityRule()
		idle := d.para(i18n.L("accounts.activity."+string(ad.Activity)+".hint",
			map[string]any{"Since": ad.Since.Format(time.DateOnly), "Days": rule.ZombieDays, "Months": rule.SleepingMonths}))
		idle.Importance = widget.WarningImportance
		head.Add(idle)
	}
	v.actions = v.actionsFor(a)
	body := container.NewVBox(head, v.actions, widget.NewSeparator(), v.fieldsPart(ad), widget.NewSeparator(),
		v.historyPart(ad), widget.NewSeparator(), v.metricsPart(ad))
	return container.NewVScroll(container.NewPadded(body))
}

// actionsFor is the row of actions account a's status and the user's role
// allow.
func (v *accountsView) actionsFor(a app.Account) *fyne.Container {
	row := container.NewHBox()
	add := func(key string, icon fyne.Resource, imp widget.Importance, f func()) {
		b := widget.NewButtonWithIcon(i18n.L(key), icon, f)
		b.Importance = imp
		row.Add(b)
	}
	if v.d.session.MayManageAccount(a) {
		switch app.FilingStatus(a.Status) {
		case app.FilingPlanned, app.FilingRejected:
			add("accounts.edit", theme.DocumentCreateIcon(), widget.MediumImportance, func() { v.openForm(app.FormOf(a), false) })
			add("accounts.file", theme.MailSendIcon(), widget.HighImportance, v.fileShown)
			add("accounts.close", theme.DeleteIcon(), widget.DangerImportance, v.closeShown)
		case app.FilingAccepted, app.FilingVerified:
			add("accounts.change", theme.DocumentCreateIcon(), widget.MediumImportance, v.changeShown)
			add("accounts.suspend", theme.MediaPauseIcon(), widget.WarningImportance, v.suspendShown)
			add("accounts.close", theme.DeleteIcon(), widget.DangerImportance, v.closeShown)
		case app.FilingSuspended:
			add("accounts.resume", theme.MediaPlayIcon(), widget.HighImportance, v.resumeShown)
			add("accounts.change", theme.DocumentCreateIcon(), widget.MediumImportance, v.changeShown)
			add("accounts.close", theme.DeleteIcon(), widget.DangerImportance, v.closeShown)
		}
	}
	add("detail.refresh", theme.ViewRefreshIcon(), widget.LowImportance, v.refresh)
	return row
}

// fieldsPart lists every field of the filing and the last published post.
func (v *accountsView) fieldsPart(ad app.AccountDetail) fyne.CanvasObject {
	a := ad.Account
	grid := container.New(layout.NewFormLayout())
	row := func(key string, value fyne.CanvasObject) {
		grid.Add(widget.NewLabelWithStyle(i18n.L(key), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		grid.Add(value)
	}
	text := func(key, value string) {
		if strings.TrimSpace(value) == "" {
			value = "—"
		}
		row(key, userText(value))
	}
	text("accounts.field.action", i18n.L("accounts.action."+a.Action)+"  "+a.FiledOn)
	text("accounts.field.platform_id", a.PlatformID)
	if u, err := url.Parse(a.URL); err == nil && a.URL != "" {
		link := widget.NewHyperlink(a.URL, u)
		link.Truncation = fyne.TextTruncateEllipsis
		row("accounts.field.url", link)
	} else {
		text("accounts.field.url", "")
	}
	text("accounts.field.department", a.Department)
	if a.Kind == app.PersonalAccount {
		text("accounts.field.officer", v.officerName(a.OfficerID))
	}
	text("accounts.field.responsible", a.Responsible)
	text("accounts.field.contact", a.Contact)
	text("accounts.field.admins", a.Admins)
	text("accounts.field.verification", a.Verification)
	text("accounts.field.purpose", a.Purpose)
	last := i18n.L("accounts.last_post.none")
	if !ad.LastPost.IsZero() {
		last = when(ad.LastPost)
	}
	text("accounts.last_post", last)
	return container.NewVBox(sectionTitle(i18n.L("accounts.fields")), grid)
}

// officerName names a roster entry: name and police number.
func (v *accountsView) officerName(id string) string {
	o, ok := v.officers[id]
	if !ok {
		return ""
	}
	return i18n.L("accounts.officer.option", map[string]any{"Name": o.Name, "No": o.PoliceNo, "Department": o.Department})
}

// historyPart lists the filing steps, oldest first.
func (v *accountsView) historyPart(ad app.AccountDetail) fyne.CanvasObject {
	box := container.NewVBox(sectionTitle(i18n.L("accounts.history")))
	for _, e := range ad.History {
		what := strings.TrimPrefix(e.Action, "account.")
		line := widget.NewLabel(i18n.L("accounts.history.line", map[string]any{"Time": when(e.At), "Actor": ad.People.Name(e.Actor),
			"What": i18n.L("accounts.step." + what)}))
		line.Wrapping = fyne.TextWrapWord
		box.Add(line)
	}
	return box
}

// metricsPart is the numbers of the account by day and, once it is
// open, the form to enter a day's numbers.
func (v *accountsView) metricsPart(ad app.AccountDetail) fyne.CanvasObject {
	box := container.NewVBox(sectionTitle(i18n.L("accounts.metrics")))
	v.metrics = nil
	switch app.FilingStatus(ad.Status) {
	case app.FilingPlanned, app.FilingFiled, app.FilingRejected:
		box.Add(v.d.para(i18n.L("accounts.metrics.not_open")))
	default:
		v.metrics = newMetricsEntry(v)
		box.Add(v.metrics.content)
	}
	if len(ad.Snapshots) == 0 {
		box.Add(widget.NewLabel(i18n.L("accounts.metrics.none")))
		return box
	}
	grid := container.NewGridWithColumns(4)
	for _, k := range []string{"accounts.metrics.day", "accounts.metrics.followers", "accounts.metrics.posts", "accounts.metrics.by"} {
		grid.Add(widget.NewLabelWithStyle(i18n.L(k), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	}
	for _, m := range ad.Snapshots {
		grid.Add(widget.NewLabel(m.Day))
		grid.Add(widget.NewLabel(strconv.FormatInt(m.Followers, 10)))
		grid.Add(widget.NewLabel(strconv.FormatInt(m.Posts, 10)))
		grid.Add(widget.NewLabel(ad.People.Name(m.Actor)))
	}
	box.Add(grid)
	return box
}

// metricsEntry is the form for one day's numbers of the shown account.
type metricsEntry struct {
	form             *form
	day              *dateField
	followers, posts *widget.Entry
	save             *widget.Button
	content          fyne.CanvasObject
}

func newMetricsEntry(v *accountsView) *metricsEntry {
	m := &metricsEntry{form: newForm(v.d), day: newDateField(v.d), followers: widget.NewEntry(), posts: widget.NewEntry()}
	m.day.set(v.d.now())
	m.followers.SetPlaceHolder("0")
	m.posts.SetPlaceHolder("0")
	m.form.box = container.NewGridWithColumns(3) // the three fields side by side, each over its message
	m.form.add("day", i18n.L("accounts.metrics.day"), m.day.content)
	m.form.add("followers", i18n.L("accounts.metrics.followers"), m.followers)
	m.form.add("posts", i18n.L("accounts.metrics.posts"), m.posts)
	m.save = widget.NewButtonWithIcon(i18n.L("accounts.metrics.save"), theme.DocumentSaveIcon(), func() { v.saveMetrics(m) })
	m.content = container.NewVBox(m.form.object(), container.NewHBox(m.save))
	return m
}

// saveMetrics enters the numbers of m for the shown account.
func (v *accountsView) saveMetrics(m *metricsEntry) {
	m.form.clear()
	day, ok, err := m.day.date()
	if err != nil || !ok {
		m.form.fail(&app.FieldError{Field: "day", Msg: i18n.L("date.invalid")})
		return
	}
	var n [2]int64
	for i, e := range []*widget.Entry{m.followers, m.posts} {
		text := strings.TrimSpace(e.Text)
		if text == "" {
			continue
		}
		if n[i], err = strconv.ParseInt(text, 10, 64); err != nil {
			m.form.fail(&app.FieldError{Field: []string{"followers", "posts"}[i], Msg: i18n.L("accounts.metrics.invalid")})
			return
		}
	}
	s, id := v.d.session, v.shown.ID
	m.save.Disable()
	v.d.run(func() { err = s.RecordAccountMetrics(id, day, n[0], n[1]) }, func() {
		m.save.Enable()
		if err != nil {
			m.form.fail(err)
			return
		}
		v.showAccount(id)
		v.say(i18n.L("accounts.metrics.saved", map[string]any{"Day": day.Format(time.DateOnly)}), widget.SuccessImportance)
	})
}

// act runs a step on the shown account off the UI goroutine, then shows
// the app's answer and reads the account and the list again.
func (v *accountsView) act(work func() error, success string) {
	var err error
	v.d.run(func() { err = work() }, func() {
		v.refresh()
		if err != nil {
			v.say(v.d.errText(err), widget.DangerImportance)
		} else {
			v.say(success, widget.SuccessImportance)
		}
	})
}

// fileShown sends the shown filing to HQ (报备).
func (v *accountsView) fileShown() {
	s, id := v.d.session, v.shown.ID
	v.act(func() error { _, err := s.FileAccount(id); return err }, i18n.L("accounts.filed"))
}

// confirmStep asks before a step on the shown account and takes it.
func (v *accountsView) confirmStep(key string, step func(id string) (app.Account, error), imp widget.Importance) {
	id, name := v.shown.ID, v.shown.Name
	v.confirm = dialog.NewConfirm(i18n.L(key), i18n.L(key+".confirm", map[string]any{"Name": name}), func(ok bool) {
		v.confirm = nil
		if ok {
			v.act(func() error { _, err := step(id); return err }, i18n.L(key+".done", map[string]any{"Name": name}))
		}
	}, v.d.win)
	v.confirm.SetConfirmText(i18n.L(key))
	v.confirm.SetDismissText(i18n.L("button.cancel"))
	v.confirm.SetConfirmImportance(imp)
	v.confirm.Show()
}

// suspendShown stops using the shown account for now (停用).
func (v *accountsView) suspendShown() {
	v.confirmStep("accounts.suspend", v.d.session.SuspendAccount, widget.WarningImportance)
}

// resumeShown puts the shown account back to use (恢复).
func (v *accountsView) resumeShown() {
	v.confirmStep("accounts.resume", v.d.session.ResumeAccount, widget.HighImportance)
}

// closeShown asks for the closing date and closes the shown account
// (注销).
func (v *accountsView) closeShown() {
	s, id, name := v.d.session, v.shown.ID, v.shown.Name
	day := newDateField(v.d)
	day.set(v.d.now())
	f := newForm(v.d)
	f.add("closed_on", i18n.L("accounts.close.day"), day.content)
	v.dialog = v.d.showFormDialog(i18n.L("accounts.close"), i18n.L("accounts.close.intro", map[string]any{"Name": name}),
		i18n.L("accounts.close"), f, func() (func() error, error) {
			t, ok, err := day.date()
			if err != nil || !ok {
				return nil, &app.FieldError{Field: "closed_on", Msg: i18n.L("date.invalid")}
			}
			return func() error { _, err := s.CloseAccount(id, t); return err }, nil
		}, func() {
			v.refresh()
			v.say(i18n.L("accounts.close.done", map[string]any{"Name": name}), widget.SuccessImportance)
		}, func() { v.dialog = nil })
}

// changeShown opens the filing form for a change (变更) of the shown
// account.
func (v *accountsView) changeShown() {
	f := app.FormOf(v.shown.Account)
	f.Action, f.FiledOn = "change", v.d.now()
	v.openForm(f, true)
}

// editRules lets an admin set the 僵尸 and 睡眠 thresholds.
func (v *accountsView) editRules() {
	s := v.d.session
	r := s.ActivityRule()
	days, months := widget.NewEntry(), widget.NewEntry()
	days.SetText(strconv.Itoa(r.ZombieDays))
	months.SetText(strconv.Itoa(r.SleepingMonths))
	f := newForm(v.d)
	f.add("zombie_days", i18n.L("accounts.rules.zombie_days"), days)
	f.add("sleeping_months", i18n.L("accounts.rules.sleeping_months"), months)
	v.dialog = v.d.showFormDialog(i18n.L("accounts.rules"), i18n.L("accounts.rules.intro"), i18n.L("button.save"), f,
		func() (func() error, error) {
			// text that is no number is passed as 0 and refused by app/
			zd, _ := strconv.Atoi(strings.TrimSpace(days.Text))
			sm, _ := strconv.Atoi(strings.TrimSpace(months.Text))
			return func() error { return s.SetActivityRule(app.ActivityRule{ZombieDays: zd, SleepingMonths: sm}) }, nil
		}, func() {
			v.refresh()
			v.say(i18n.L("settings.saved"), widget.SuccessImportance)
		}, func() { v.dialog = nil })
}
