package ui

import (
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
	"mediadesk/ui/i18n"
)

// approvalsView is 审批 (HQ, Art. 11, 13, 20, 21): two tabs, 稿件审批 (the
// stations' sensitive posts awaiting HQ) and 账号报备 (their account
// filings). Each is a list beside the selected item. HQ's decisions travel
// to the station in HQ's next bundle: a decided post stays in the list as
// 已决定，待下发 until the station's newer version arrives.
type approvalsView struct {
	widget.BaseWidget
	d       *desk
	tabs    *container.AppTabs
	posts   *postQueueView
	filings *filingQueueView
}

func newApprovalsView(s *shell) *approvalsView {
	d := s.d
	v := &approvalsView{d: d, posts: newPostQueueView(d), filings: newFilingQueueView(d)}
	v.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(i18n.L("approvals.tab.posts"), theme.DocumentIcon(), v.posts.content),
		container.NewTabItemWithIcon(i18n.L("approvals.tab.filings"), theme.AccountIcon(), v.filings.content))
	v.tabs.OnSelected = func(*container.TabItem) { v.refresh() }
	s.reopen["nav.approvals"] = v.refresh
	v.ExtendBaseWidget(v)
	return v
}

// CreateRenderer shows the tabs.
func (v *approvalsView) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(v.tabs) }

// refresh reads the open tab again, its list and the item shown
// (bundles may have arrived).
func (v *approvalsView) refresh() {
	if v.tabs.SelectedIndex() == 0 {
		v.posts.refresh()
	} else {
		v.filings.refresh()
	}
}

// showPosts opens 稿件审批.
func (v *approvalsView) showPosts() {
	v.tabs.SelectIndex(0)
	v.refresh()
}

// showFilings opens 账号报备 at stage, and the filing id if it is listed
// there (empty: none).
func (v *approvalsView) showFilings(stage app.FilingStage, id string) {
	v.tabs.SelectIndex(1)
	v.filings.setStage(stage)
	v.filings.selectID(id)
}

// openApprovals opens 审批 and returns its view.
func (s *shell) openApprovals() *approvalsView {
	s.showArea("nav.approvals")
	v, _ := s.built[s.open].(*approvalsView)
	return v
}

// queuePane is the frame both tabs share: the list with its title,
// refresh button, extra filters and message on the left; the selected
// item with the last action's result on the right.
type queuePane struct {
	d       *desk
	list    *widget.List
	listMsg *widget.Label
	pane    *fyne.Container
	msg     *widget.Label
	content fyne.CanvasObject
}

func newQueuePane(d *desk, title string, list *widget.List, refresh func(), filters ...fyne.CanvasObject) *queuePane {
	p := &queuePane{d: d, list: list, listMsg: errorLabel(), pane: container.NewStack(), msg: errorLabel()}
	again := widget.NewButtonWithIcon("", theme.ViewRefreshIcon(), refresh)
	again.Importance = widget.LowImportance
	head := heading(title)
	head.Wrapping = fyne.TextWrapOff
	top := container.NewVBox(container.NewBorder(nil, nil, nil, again, head))
	for _, f := range filters {
		top.Add(f)
	}
	top.Add(p.listMsg)
	top.Add(widget.NewSeparator())
	left := container.NewBorder(top, nil, nil, nil, list)
	right := container.NewBorder(container.NewPadded(p.msg), nil, nil, nil, p.pane)
	split := container.NewHSplit(container.NewPadded(left), right)
	split.Offset = 0.36
	p.content = split
	return p
}

// say shows the result of an action above the item.
func (p *queuePane) say(text string, imp widget.Importance) {
	p.msg.Importance = imp
	setMessage(p.msg, text)
}

// listed shows the outcome of reading a list of n items: the error, or
// the text for an empty list.
func (p *queuePane) listed(n int, err error, emptyKey string) {
	switch {
	case err != nil:
		p.listMsg.Importance = widget.DangerImportance
		setMessage(p.listMsg, p.d.errText(err))
	case n == 0:
		p.listMsg.Importance = widget.MediumImportance
		setMessage(p.listMsg, i18n.L(emptyKey))
	default:
		setMessage(p.listMsg, "")
	}
}

// show puts obj in the item's place.
func (p *queuePane) show(obj fyne.CanvasObject) {
	p.pane.Objects = []fyne.CanvasObject{obj}
	p.pane.Refresh()
}

// showEmpty says what to do when nothing is selected.
func (p *queuePane) showEmpty(key string) {
	p.show(container.NewPadded(container.NewVBox(sectionTitle(i18n.L(key)), p.d.para(i18n.L(key+".hint")))))
}

// postQueueView is 稿件审批: the posts awaiting HQ, and the selected one
// with its content annotated with the checker's findings (re-run on HQ's
// lexicon), the station's review trail, and 同意发布 / 退回修改 with a
// comment (退回 needs one; Return in the comment only adds a line).
type postQueueView struct {
	*queuePane
	items []app.QueuedPost
	shown app.PostApproval // Post.ID empty when none is shown

	form             *form
	comment          *widget.Entry
	approve, sendBak *widget.Button
	busy             *busy
}

func newPostQueueView(d *desk) *postQueueView {
	v := &postQueueView{}
	list := widget.NewList(func() int { return len(v.items) },
		func() fyne.CanvasObject { return newPostRow() },
		func(i widget.ListItemID, o fyne.CanvasObject) { v.setRow(o.(*postRow), v.items[i]) })
	list.OnSelected = func(i widget.ListItemID) {
		if i < len(v.items) {
			v.showPost(v.items[i].ID)
		}
	}
	v.queuePane = newQueuePane(d, i18n.L("approvals.posts.title"), list, v.refresh)
	v.showEmpty("approvals.posts.none_selected")
	v.reload()
	return v
}

// setRow shows queued post p in list row r: its title; 待审批 or 已决定，待下发;
// the station, the author and when it was sent.
func (v *postQueueView) setRow(r *postRow, p app.QueuedPost) {
	r.title.SetText(p.Title)
	if p.Decided {
		r.status.Importance = widget.SuccessImportance
		r.status.SetText(i18n.L("approvals.posts.decided"))
	} else {
		r.status.Importance = widget.WarningImportance
		r.status.SetText(i18n.L("approvals.posts.waiting"))
	}
	facts := []string{p.Station}
	if p.Author != "" {
		facts = append(facts, p.Author)
	}
	facts = append(facts, when(p.SentAt))
	r.meta.SetText(strings.Join(facts, " · "))
	r.Refresh() // lays the row out again for the status's new width
}

// reload reads the queue again.
func (v *postQueueView) reload() {
	items, err := v.d.session.PostQueue()
	v.listed(len(items), err, "approvals.posts.empty")
	if err != nil {
		return
	}
	v.items = items
	v.list.UnselectAll()
	v.list.Refresh()
}

// refresh reads the queue and the shown post again.
func (v *postQueueView) refresh() {
	v.reload()
	if id := v.shown.Post.ID; id != "" {
		v.showPost(id)
	}
}

// showPost reads post id and shows it.
func (v *postQueueView) showPost(id string) {
	if id != v.shown.Post.ID {
		v.say("", widget.MediumImportance)
	}
	a, err := v.d.session.PostForApproval(id)
	if err != nil {
		v.say(v.d.errText(err), widget.DangerImportance)
		return
	}
	v.shown = a
	v.show(v.build(a))
}

// build lays out post a: what it is and where from, HQ's decision or
// the form to make it, the annotated text, the findings, the trail.
func (v *postQueueView) build(a app.PostApproval) fyne.CanvasObject {
	d, p := v.d, a.Post
	var targets []string
	for _, t := range p.Targets {
		targets = append(targets, platformNameOf(d, t))
	}
	target := i18n.L("detail.targets", map[string]any{"Platforms": d.joinList(targets)})
	if p.Personal {
		target += i18n.L("detail.personal")
	}
	facts := []string{a.Queued.Station}
	if a.Queued.Author != "" {
		facts = append(facts, i18n.L("detail.author", map[string]any{"Name": a.Queued.Author}))
	}
	facts = append(facts, p.Category, i18n.L("approvals.posts.sent", map[string]any{"Time": when(a.Queued.SentAt)}))
	version := widget.NewLabel(i18n.L("detail.version", map[string]any{"Hash": shortHash(p.ContentHash)}))
	version.SizeName = theme.SizeNameCaptionText
	body := container.NewVBox(heading(p.Title), d.para(strings.Join(facts, " · ")), d.para(target), version, v.decisionPart(a),
		widget.NewSeparator(), sectionTitle(i18n.L("detail.content")))
	text := annotatedView()
	text.Segments = annotate(app.PostText(p.Title, p.Body), a.Findings)
	body.Add(text)
	// The post screen's parts (images, findings, trail) come from a
	// detailView that shows nothing else; at HQ it offers no review action.
	parts := &detailView{d: d}
	if len(p.Images) > 0 {
		parts.thumbs = container.NewGridWrap(fyne.NewSize(130, 100))
		body.Add(parts.thumbs)
		parts.loadThumbs(p.Images)
	}
	body.Add(widget.NewSeparator())
	body.Add(parts.findingsPart(a.PostDetail))
	body.Add(widget.NewSeparator())
	body.Add(parts.trailPart(a.PostDetail))
	return container.NewVScroll(container.NewPadded(body))
}

// decisionPart is HQ's decision on the version shown, or, while it may
// still decide, the comment and 同意发布 / 退回修改.
func (v *postQueueView) decisionPart(a app.PostApproval) fyne.CanvasObject {
	d := v.d
	v.form, v.comment, v.approve, v.sendBak = nil, nil, nil, nil
	if dec := a.Decision; dec != nil {
		l := widget.NewLabelWithStyle(i18n.L("approvals.posts.decided."+dec.Decision, map[string]any{
			"Name": dec.DecidedBy, "Time": when(time.UnixMilli(dec.DecidedAt))}), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		l.Importance = widget.SuccessImportance
		l.Wrapping = fyne.TextWrapWord
		box := container.NewVBox(l)
		if dec.Comment != "" {
			box.Add(quote(dec.Comment))
		}
		return box
	}
	if !a.Decidable() {
		l := d.para(i18n.L("approvals.posts.moved", map[string]any{"Status": statusLabel(a.Post.Status)}))
		l.Importance = widget.WarningImportance
		return l
	}
	v.form = newForm(d)
	v.comment = multiLine(3)
	v.comment.SetPlaceHolder(i18n.L("approvals.posts.comment.placeholder"))
	v.form.add("comment", i18n.L("approvals.posts.comment"), v.comment)
	v.approve = widget.NewButtonWithIcon(i18n.L("approvals.posts.approve"), theme.ConfirmIcon(), func() { v.decide(true) })
	v.approve.Importance = widget.HighImportance
	v.sendBak = widget.NewButtonWithIcon(i18n.L("approvals.posts.return"), theme.ContentUndoIcon(), func() { v.decide(false) })
	v.sendBak.Importance = widget.DangerImportance
	v.busy = newBusy(v.approve, v.sendBak)
	intro := d.para(i18n.L("approvals.posts.intro", map[string]any{"Hash": shortHash(a.Post.ContentHash)}))
	return container.NewVBox(widget.NewSeparator(), intro, v.form.object(), container.NewHBox(v.approve, v.sendBak), v.busy.bar)
}

// decide approves or returns the version shown, with the comment typed.
func (v *postQueueView) decide(approve bool) {
	v.form.clear()
	if !v.busy.start() {
		return
	}
	s, id, hash, comment := v.d.session, v.shown.Post.ID, v.shown.Post.ContentHash, v.comment.Text
	var err error
	v.d.run(func() { _, err = s.DecidePost(id, hash, approve, comment) }, func() {
		v.busy.stop()
		if err != nil {
			v.form.fail(err)
			return
		}
		done := "approvals.posts.returned"
		if approve {
			done = "approvals.posts.approved"
		}
		v.refresh()
		v.say(i18n.L(done), widget.SuccessImportance)
	})
}

// filingStages are the filing tab's stages, in the order of its selector.
var filingStages = []app.FilingStage{app.FilingsToDecide, app.FilingsToVerify}

// filingQueueView is 账号报备: the filings HQ has to decide (已报备) or may
// verify (已备案), and the selected one with every field of the filing, the
// Art. 13 declarations of a personal work account and HQ's decisions; 同意备案
// and 退回报备 (with the reason required), or 认证.
type filingQueueView struct {
	*queuePane
	stage *widget.Select
	items []app.CountyAccount
	shown app.FilingReview // ID empty when none is shown

	form   *form
	reason *widget.Entry
	accept *widget.Button
	reject *widget.Button
	verify *widget.Button
	busy   *busy
}

func newFilingQueueView(d *desk) *filingQueueView {
	v := &filingQueueView{}
	var opts []string
	for _, st := range filingStages {
		opts = append(opts, i18n.L("approvals.filings.stage."+string(st)))
	}
	v.stage = widget.NewSelect(opts, nil)
	v.stage.SetSelectedIndex(0)
	v.stage.OnChanged = func(string) { v.reload() }
	list := widget.NewList(func() int { return len(v.items) },
		func() fyne.CanvasObject { return newAccountRow() },
		func(i widget.ListItemID, o fyne.CanvasObject) { setCountyRow(d, o.(*accountRow), v.items[i]) })
	list.OnSelected = func(i widget.ListItemID) {
		if i < len(v.items) {
			v.showFiling(v.items[i].ID)
		}
	}
	v.queuePane = newQueuePane(d, i18n.L("approvals.filings.title"), list, v.refresh, v.stage)
	v.showEmpty("approvals.filings.none_selected")
	v.reload()
	return v
}

// setCountyRow shows account c in an account row: its status (or where
// HQ's pending decisions take it), platform, station and name, and the
// 僵尸/睡眠 badge, or 待审 for a filing waiting for HQ.
func setCountyRow(d *desk, r *accountRow, c app.CountyAccount) {
	r.set(d, c.AccountEntry)
	if c.Effective != app.FilingStatus(c.Status) {
		r.status.Importance = filingStatusImportance(c.Effective)
		r.status.SetText(filingStatusLabel(c.Effective))
	}
	r.name.SetText(c.Station + " · " + c.Name)
	if c.Waiting() {
		r.badge.Importance = widget.DangerImportance
		r.badge.SetText(i18n.L("matrix.waiting.badge"))
	}
}

// setStage selects a stage of the queue and reads it.
func (v *filingQueueView) setStage(st app.FilingStage) {
	if i := slices.Index(filingStages, st); i != v.stage.SelectedIndex() {
		v.stage.SetSelectedIndex(i) // OnChanged reads the list
		return
	}
	v.reload()
}

// selectID selects filing id in the list, if it is there.
func (v *filingQueueView) selectID(id string) {
	for i, c := range v.items {
		if c.ID == id {
			v.list.Select(i)
			return
		}
	}
}

// reload reads the stage's filings again.
func (v *filingQueueView) reload() {
	stage := filingStages[max(v.stage.SelectedIndex(), 0)]
	items, err := v.d.session.FilingQueue(stage)
	v.listed(len(items), err, "approvals.filings.empty."+string(stage))
	if err != nil {
		return
	}
	v.items = items
	v.list.UnselectAll()
	v.list.Refresh()
}

// refresh reads the list and the shown filing again.
func (v *filingQueueView) refresh() {
	v.reload()
	if id := v.shown.ID; id != "" {
		v.showFiling(id)
	}
}

// showFiling reads filing id and shows it.
func (v *filingQueueView) showFiling(id string) {
	if id != v.shown.ID {
		v.say("", widget.MediumImportance)
	}
	r, err := v.d.session.FilingForReview(id)
	if err != nil {
		v.say(v.d.errText(err), widget.DangerImportance)
		return
	}
	v.shown = r
	v.show(container.NewVScroll(container.NewPadded(filingDetail(v.d, r, v.actionsPart(r)))))
}

// actionsPart is what HQ may do with filing r now: 同意备案 and 退回报备
// (with the reason) while it waits, 认证 once it is (or will be) 已备案.
func (v *filingQueueView) actionsPart(r app.FilingReview) fyne.CanvasObject {
	v.form, v.reason, v.accept, v.reject, v.verify = nil, nil, nil, nil, nil
	switch {
	case r.Waiting():
		v.form = newForm(v.d)
		v.reason = multiLine(3)
		v.reason.SetPlaceHolder(i18n.L("approvals.filings.reason.placeholder"))
		v.form.add("reason", i18n.L("approvals.filings.reason"), v.reason)
		v.accept = widget.NewButtonWithIcon(i18n.L("approvals.filings.accept"), theme.ConfirmIcon(), func() { v.decide(app.StepAccept) })
		v.accept.Importance = widget.HighImportance
		v.reject = widget.NewButtonWithIcon(i18n.L("approvals.filings.reject"), theme.ContentUndoIcon(), func() { v.decide(app.StepReject) })
		v.reject.Importance = widget.DangerImportance
		v.busy = newBusy(v.accept, v.reject)
		return container.NewVBox(widget.NewSeparator(), v.d.para(i18n.L("approvals.filings.intro")), v.form.object(),
			container.NewHBox(v.accept, v.reject), v.busy.bar)
	case r.Effective == app.FilingAccepted:
		v.form = newForm(v.d)
		v.verify = widget.NewButtonWithIcon(i18n.L("approvals.filings.verify"), theme.ConfirmIcon(), func() { v.decide(app.StepVerify) })
		v.verify.Importance = widget.HighImportance
		v.busy = newBusy(v.verify)
		return container.NewVBox(widget.NewSeparator(), v.d.para(i18n.L("approvals.filings.verify.intro")), v.form.object(),
			container.NewHBox(v.verify), v.busy.bar)
	}
	return container.NewVBox()
}

// decide takes HQ's step on the shown filing.
func (v *filingQueueView) decide(step app.FilingStep) {
	v.form.clear()
	if !v.busy.start() {
		return
	}
	s, id, name, reason := v.d.session, v.shown.ID, v.shown.Name, ""
	if step == app.StepReject {
		reason = v.reason.Text
	}
	var err error
	v.d.run(func() { _, err = s.DecideFiling(id, step, reason) }, func() {
		v.busy.stop()
		if err != nil {
			v.form.fail(err)
			return
		}
		v.refresh()
		v.say(i18n.L("approvals.filings.done."+string(step), map[string]any{"Name": name}), widget.SuccessImportance)
	})
}

// filingDetail lays out filing r: its name, status and station, HQ's
// pending decisions, every field of the filing (as 账号 shows them), the
// Art. 13 declarations of a personal work account, and HQ's decisions;
// actions (what the screen offers on it) go below the head.
func filingDetail(d *desk, r app.FilingReview, actions fyne.CanvasObject) *fyne.Container {
	st := app.FilingStatus(r.Status)
	status := widget.NewLabelWithStyle(filingStatusLabel(st), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	status.Importance = filingStatusImportance(st)
	badge := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	setBadge(badge, r.Activity)
	facts := r.Station + " · " + platformNameOf(d, r.Platform) + " · " + i18n.L("accounts.kind."+r.Kind)
	head := container.NewVBox(heading(r.Name), container.NewHBox(status, badge, widget.NewLabel(facts)))
	if r.Waiting() {
		w := d.para(i18n.L("matrix.waiting"))
		w.Importance = widget.WarningImportance
		head.Add(w)
	}
	for _, p := range r.Pending {
		l := d.para(i18n.L("approvals.filings.pending", map[string]any{"What": i18n.L("accounts.step." + p.Decision),
			"Time": when(time.UnixMilli(p.DecidedAt)), "Name": p.DecidedBy}))
		l.Importance = widget.SuccessImportance
		head.Add(l)
	}
	for _, o := range r.SameID {
		l := d.para(i18n.L("approvals.filings.same_id", map[string]any{"Station": o.Station, "Name": o.Name, "Status": filingStatusLabel(o.Status)}))
		l.Importance = widget.WarningImportance
		head.Add(l)
	}
	if st == app.FilingRejected && r.Reason != "" {
		l := d.para(i18n.L("accounts.rejected", map[string]any{"Reason": r.Reason}))
		l.Importance = widget.DangerImportance
		head.Add(l)
	}
	// 账号's field list, from an accountsView that shows nothing else and
	// knows the one officer the filing names.
	fields := &accountsView{d: d, officers: map[string]app.RosterEntry{}}
	if r.Officer != nil {
		fields.officers[r.Officer.ID] = *r.Officer
	}
	body := container.NewVBox(head, actions, widget.NewSeparator(), fields.fieldsPart(app.AccountDetail{AccountEntry: r.AccountEntry}))
	if r.Kind == app.PersonalAccount {
		decl := container.NewVBox(sectionTitle(i18n.L("approvals.filings.declarations")))
		for _, dc := range r.Declarations {
			mark := widget.NewLabelWithStyle(i18n.L("approvals.filings.confirmed"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			mark.Importance = widget.SuccessImportance
			if !dc.Confirmed {
				mark.SetText(i18n.L("approvals.filings.unconfirmed"))
				mark.Importance = widget.DangerImportance
			}
			decl.Add(container.NewBorder(nil, nil, mark, nil, userText(dc.Text)))
		}
		body.Add(widget.NewSeparator())
		body.Add(decl)
	}
	body.Add(widget.NewSeparator())
	body.Add(decisionsPart(r.Decisions))
	return body
}

// decisionsPart lists HQ's decisions on a filing, oldest first.
func decisionsPart(ds []app.Decision) fyne.CanvasObject {
	box := container.NewVBox(sectionTitle(i18n.L("approvals.filings.decisions")))
	if len(ds) == 0 {
		box.Add(widget.NewLabel(i18n.L("approvals.filings.decisions.none")))
	}
	for _, dc := range ds {
		line := widget.NewLabel(i18n.L("accounts.history.line", map[string]any{"Time": when(time.UnixMilli(dc.DecidedAt)),
			"Actor": dc.DecidedBy, "What": i18n.L("accounts.step." + dc.Decision)}))
		line.Wrapping = fyne.TextWrapWord
		box.Add(line)
		if dc.Comment != "" {
			box.Add(quote(dc.Comment))
		}
	}
	return box
}
