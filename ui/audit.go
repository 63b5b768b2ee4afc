package ui

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
	"mediadesk/ui/i18n"
)

// auditView is 审计记录, a tab of 设置 for admins, shift leaders and the
// publicity section (the roles app.Session.Audit serves): the audit trail
// newest first (time, user, action, target, detail), filtered by user,
// action and a range of days, the full entry below the list when one is
// selected, and 校验审计链, which walks the whole hash chain off the UI
// goroutine and says 审计链完整（N 条） or where it breaks.
//
// The trail has no paging yet (app.AuditQuery has a limit only), so the
// list shows the newest auditLimit entries that match and says so when
// there may be more.
type auditView struct {
	d       *desk
	entries []app.AuditEntry
	list    *widget.List

	actor, action      *widget.Select
	actors, actions    []string // the filters' options after 全部
	from, to           *dateField
	query              *widget.Button
	verify             *widget.Button
	info, msg, verdict *widget.Label
	entry              *widget.Label // the selected entry in full
	busy               *busy
	gen                int
	content            fyne.CanvasObject
}

// auditLimit is how many entries the list shows at most.
const auditLimit = 500

// auditActions are the actions app/ records, in the order the action
// filter lists them; an action found in the trail and missing here is
// listed after them by its code. TestAuditActionsTranslated checks the
// list against the actions app/ records.
var auditActions = []string{
	"post.submit", "post.approve", "post.return", "post.override", "post.edit", "post.unit_consent",
	"post.hq_approve", "post.hq_return", "post.publish", "post.take_down", "post.metrics", "post.campaign", "post.plan",
	"account.save", "account.file", "account.change", "account.suspend", "account.resume", "account.close",
	"account.accept", "account.reject", "account.verify", "account.metrics", "account.record", "account.edit",
	"message.receive", "message.move", "campaign.create", "campaign.edit",
	"roster.save", "training.add", "training.edit", "training.export",
	"notice.issue", "notice.answer", "notice.close", "notice.reopen",
	"decision.post.approve", "decision.post.return",
	"decision.account.accept", "decision.account.reject", "decision.account.verify",
	"lexicon.seed", "lexicon.term.add", "lexicon.term.edit", "lexicon.term.retire", "lexicon.import", "lexicon.publish",
	"templates.starter", "template.add", "template.edit", "template.submit", "template.approve", "template.publish", "template.retire",
	"assessment.scheme.default", "assessment.scheme.draft", "assessment.scheme.activate",
	"assessment.rate", "assessment.rate_unit", "assessment.publish", "assessment.export",
	"sync.keys", "sync.enroll", "sync.join", "sync.register", "sync.revoke", "sync.import",
	"sync.keys.rotate", "sync.keys.backup", "sync.keys.restore",
	"sign-in", "sign-out", "lock", "unlock", "unlock.failed",
	"user.add", "user.disable", "user.enable", "user.password-reset", "user.password-change",
	"recovery.new", "recovery.password-reset", "setup",
	"settings.idle_minutes", "settings.post_categories", "settings.activity_rule", "settings.message_rules",
	"settings.sync_warn_days", "db.export-plain",
}

// actionName is an audit action in words, with its code when unknown.
func actionName(code string) string {
	if slices.Contains(auditActions, code) {
		return i18n.L("audit.action." + code)
	}
	return code
}

func newAuditView(d *desk) *auditView {
	v := &auditView{d: d, msg: errorLabel(), verdict: errorLabel(), info: widget.NewLabel("")}
	v.actor = widget.NewSelect(nil, nil)
	v.action = widget.NewSelect(nil, nil)
	v.setOptions(nil)
	v.from, v.to = newDateField(d), newDateField(d)
	v.query = widget.NewButtonWithIcon(i18n.L("audit.query"), theme.SearchIcon(), v.reload)
	v.verify = widget.NewButtonWithIcon(i18n.L("audit.verify"), theme.ConfirmIcon(), v.runVerify)
	v.verify.Importance = widget.HighImportance
	v.busy = newBusy(v.verify)
	v.entry = userText("")
	v.entry.Hide()

	v.list = widget.NewList(func() int { return len(v.entries) },
		func() fyne.CanvasObject { return newAuditRow() },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*auditRow).set(v.entries[i]) })
	v.list.OnSelected = func(i widget.ListItemID) {
		e := v.entries[i]
		setMessage(v.entry, i18n.L("audit.entry", map[string]any{"Seq": e.Seq, "Time": e.At.Format("2006-01-02 15:04:05"),
			"Actor": e.Actor, "Action": actionName(e.Action), "Target": e.Target, "Detail": e.Detail}))
	}
	header := newAuditRow()
	header.setHeader()

	title := heading(i18n.L("audit.title"))
	title.Wrapping = fyne.TextWrapOff
	filters := container.NewGridWithColumns(4,
		labelled(i18n.L("audit.user"), v.actor), labelled(i18n.L("audit.action"), v.action),
		labelled(i18n.L("audit.from"), v.from.content), labelled(i18n.L("audit.to"), v.to.content))
	top := container.NewVBox(
		container.NewBorder(nil, nil, nil, container.NewCenter(v.verify), title),
		v.verdict, v.busy.bar,
		container.NewBorder(nil, nil, nil, container.NewVBox(layoutSpacer(), v.query), filters),
		v.msg, v.info, header, widget.NewSeparator())
	v.content = container.NewPadded(container.NewBorder(top, v.entry, nil, nil, v.list))
	v.reload()
	return v
}

// labelled is input with a small label above it.
func labelled(label string, input fyne.CanvasObject) fyne.CanvasObject {
	l := widget.NewLabel(label)
	l.SizeName = theme.SizeNameCaptionText
	return container.NewVBox(l, input)
}

// layoutSpacer keeps a button level with the inputs below their labels.
func layoutSpacer() fyne.CanvasObject {
	l := widget.NewLabel(" ")
	l.SizeName = theme.SizeNameCaptionText
	return l
}

// setOptions fills the user and action filters with 全部, the known
// actions and the users and actions found in entries, keeping what is
// selected.
func (v *auditView) setOptions(entries []app.AuditEntry) {
	actors, actions := slices.Clone(v.actors), slices.Clone(auditActions)
	for _, a := range v.actions {
		if !slices.Contains(actions, a) {
			actions = append(actions, a)
		}
	}
	for _, e := range entries {
		if !slices.Contains(actors, e.Actor) {
			actors = append(actors, e.Actor)
		}
		if !slices.Contains(actions, e.Action) {
			actions = append(actions, e.Action)
		}
	}
	slices.Sort(actors)
	pick := func(sel *widget.Select, all string, values []string, label func(string) string, old []string) {
		prev := ""
		if i := sel.SelectedIndex(); i > 0 {
			prev = old[i-1]
		}
		opts := []string{all}
		for _, x := range values {
			opts = append(opts, label(x))
		}
		sel.SetOptions(opts)
		sel.SetSelectedIndex(slices.Index(values, prev) + 1)
	}
	pick(v.actor, i18n.L("audit.all_users"), actors, func(s string) string { return s }, v.actors)
	pick(v.action, i18n.L("audit.all_actions"), actions, actionName, v.actions)
	v.actors, v.actions = actors, actions
}

// filter is the query the filters set; ok is false when a date cannot be
// read.
func (v *auditView) filter() (app.AuditQuery, bool) {
	q := app.AuditQuery{Limit: auditLimit}
	if i := v.actor.SelectedIndex(); i > 0 {
		q.Actor = v.actors[i-1]
	}
	if i := v.action.SelectedIndex(); i > 0 {
		q.Action = v.actions[i-1]
	}
	from, okFrom, err1 := v.from.date()
	to, okTo, err2 := v.to.date()
	if err1 != nil || err2 != nil {
		return q, false
	}
	if okFrom {
		q.From = from
	}
	if okTo {
		q.To = to.AddDate(0, 0, 1)
	}
	return q, true
}

// reload reads the entries the filters select (查询).
func (v *auditView) reload() {
	q, ok := v.filter()
	if !ok {
		setMessage(v.msg, i18n.L("date.invalid"))
		return
	}
	setMessage(v.msg, "")
	v.gen++
	gen, s := v.gen, v.d.session
	var (
		entries []app.AuditEntry
		err     error
	)
	v.d.run(func() {
		entries, err = s.Audit(q)
	}, func() {
		if gen != v.gen {
			return
		}
		if err != nil {
			setMessage(v.msg, v.d.errText(err))
			return
		}
		v.entries = entries
		v.setOptions(entries)
		v.list.UnselectAll()
		setMessage(v.entry, "")
		v.list.Refresh()
		if len(entries) >= auditLimit {
			v.info.SetText(i18n.L("audit.shown_limit", map[string]any{"Count": len(entries)}))
		} else {
			v.info.SetText(i18n.L("audit.shown", map[string]any{"Count": len(entries)}))
		}
	})
}

// runVerify checks the whole chain (校验审计链).
func (v *auditView) runVerify() {
	if !v.busy.start() {
		return
	}
	setMessage(v.verdict, "")
	s := v.d.session
	var (
		n   int
		err error
	)
	v.d.run(func() {
		n, err = s.VerifyAudit()
	}, func() {
		v.busy.stop()
		if err != nil {
			v.verdict.Importance = widget.DangerImportance
			setMessage(v.verdict, i18n.L("audit.broken", map[string]any{"Error": v.d.errText(err)}))
			return
		}
		v.verdict.Importance = widget.SuccessImportance
		setMessage(v.verdict, i18n.L("audit.intact", map[string]any{"Count": n}))
	})
}

// auditRow is one entry: time, user, action, target and detail in
// columns.
type auditRow struct {
	widget.BaseWidget
	cols [5]*widget.Label
}

// auditColumns are the shares of the row's width the columns take.
var auditColumns = []float32{0.17, 0.12, 0.17, 0.2, 0.34}

func newAuditRow() *auditRow {
	r := &auditRow{}
	for i := range r.cols {
		r.cols[i] = widget.NewLabel("")
		r.cols[i].Truncation = fyne.TextTruncateEllipsis
	}
	r.ExtendBaseWidget(r)
	return r
}

// CreateRenderer lays the columns out by their shares.
func (r *auditRow) CreateRenderer() fyne.WidgetRenderer {
	objs := make([]fyne.CanvasObject, len(r.cols))
	for i, c := range r.cols {
		objs[i] = c
	}
	return widget.NewSimpleRenderer(container.New(shares(auditColumns), objs...))
}

// setHeader turns the row into the column titles.
func (r *auditRow) setHeader() {
	for i, key := range []string{"audit.time", "audit.user", "audit.action", "audit.target", "audit.detail"} {
		r.cols[i].TextStyle = fyne.TextStyle{Bold: true}
		r.cols[i].SetText(i18n.L(key))
	}
}

// set shows entry e.
func (r *auditRow) set(e app.AuditEntry) {
	r.cols[0].SetText(e.At.Format("2006-01-02 15:04:05"))
	r.cols[1].SetText(e.Actor)
	r.cols[2].SetText(actionName(e.Action))
	r.cols[3].SetText(e.Target)
	r.cols[4].SetText(strings.Join(strings.Fields(e.Detail), " "))
}

// shares lays its objects out side by side, each taking its share of the
// width.
type shares []float32

func (s shares) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	x := float32(0)
	for i, o := range objs {
		w := size.Width * s[i]
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w
	}
}

func (s shares) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var h float32
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(float32(len(objs))*40, h)
}
