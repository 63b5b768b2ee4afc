package ui

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mediadesk/app"
	"mediadesk/ui/i18n"
)

// noticesView is 整改通知 (Art. 26). On the left the list of notices with
// its filters (未办结, 已答复待办结, 已超期, 已办结 or 全部; at HQ also the
// station); on the right the selected notice (noticeDetail). Every row
// shows the title, the status, a 超期 badge in the error colour when
// overdue, an 已答复 marker when the station answered since the notice was
// issued or reopened, the deadline and the article; at HQ also the station.
//
// HQ sees every notice and has the one primary button 下发整改通知; a
// station sees the notices addressed to it, which arrive in HQ's bundles.
type noticesView struct {
	d       *desk
	hq      bool
	content fyne.CanvasObject

	add      *widget.Button // 下发整改通知 (HQ only, else nil)
	state    *widget.Select
	unit     *widget.Select   // HQ only: 全部所队, then the stations
	units    []app.UnitRecord // the unit filter's options after 全部所队
	listInfo *widget.Label
	listMsg  *widget.Label // an error reading the list or the stations
	list     *widget.List

	rows  []app.Notice
	gen   int  // counts reloads; an older one's rows are dropped
	quiet bool // selecting a row again after a reload: keep the detail

	detail *noticeDetail
	issue  *noticeForm // the 下发整改通知 dialog while it shows

	// HQ only: answers to notices this PC does not have (rebuilt from a
	// key backup), behind a button that shows only when there are any.
	lost        *widget.Button
	lostAnswers []app.LostNoticeAnswer
}

// noticeStates are the state filter's options, in order.
var noticeStates = []string{app.NoticesOpen, app.NoticesAnswered, app.NoticesOverdue, app.NoticesClosed, app.NoticesAll}

// buildNotices builds 整改通知 for the navigation; shown again, it reads
// the list and the shown notice again (a bundle may have come in).
func (s *shell) buildNotices() fyne.CanvasObject {
	v := newNoticesView(s.d)
	s.reopen["nav.notices"] = func() {
		v.detail.say("", widget.MediumImportance)
		v.refresh()
	}
	return v.content
}

func newNoticesView(d *desk) *noticesView {
	v := &noticesView{d: d, hq: d.session.Unit().Kind == app.HQ}
	stateOpts := make([]string, len(noticeStates))
	for i, st := range noticeStates {
		stateOpts[i] = i18n.L("notice.filter." + cmp.Or(st, "all"))
	}
	v.state = widget.NewSelect(stateOpts, nil)
	v.state.SetSelectedIndex(0)
	v.state.OnChanged = func(string) { v.reload() }
	v.listInfo = widget.NewLabel("")
	v.listInfo.SizeName = theme.SizeNameCaptionText
	v.listMsg = errorLabel()
	v.list = widget.NewList(func() int { return len(v.rows) },
		func() fyne.CanvasObject { return newNoticeRow() },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(v.rows) {
				o.(*noticeRow).set(v, v.rows[i])
			}
		})
	v.list.OnSelected = func(i widget.ListItemID) {
		if !v.quiet && i < len(v.rows) {
			v.detail.show(v.rows[i].ID)
		}
	}

	filters := container.NewVBox()
	if v.hq {
		v.add = widget.NewButtonWithIcon(i18n.L("notice.issue"), theme.ContentAddIcon(), v.openIssue)
		v.add.Importance = widget.HighImportance
		v.unit = widget.NewSelect([]string{i18n.L("notice.filter.all_units")}, nil)
		v.unit.SetSelectedIndex(0)
		v.unit.OnChanged = func(string) { v.reload() }
		filters.Add(container.NewHBox(v.add))
		filters.Add(container.NewGridWithColumns(2, v.state, v.unit))
		v.lost = widget.NewButtonWithIcon("", theme.WarningIcon(), v.showLost)
		v.lost.Importance = widget.WarningImportance
		v.lost.Hide()
		filters.Add(container.NewHBox(v.lost))
		v.loadUnits()
		v.loadLost()
	} else {
		filters.Add(v.state)
	}
	filters.Add(v.listMsg)
	filters.Add(v.listInfo)
	filters.Add(widget.NewSeparator())
	v.detail = newNoticeDetail(v)
	split := container.NewHSplit(container.NewPadded(container.NewBorder(filters, nil, nil, nil, v.list)), v.detail.content)
	split.Offset = 0.42
	v.content = split
	v.reload()
	return v
}

// loadUnits fills the unit filter with the stations HQ knows.
func (v *noticesView) loadUnits() {
	s := v.d.session
	var (
		units []app.UnitRecord
		err   error
	)
	v.d.run(func() { units, err = s.Units() }, func() {
		if err != nil {
			v.say(v.d.errText(err), widget.DangerImportance)
			return
		}
		v.units = slices.DeleteFunc(units, func(u app.UnitRecord) bool { return u.Kind != string(app.Station) })
		opts := []string{i18n.L("notice.filter.all_units")}
		for _, u := range v.units {
			opts = append(opts, u.Name)
		}
		v.unit.SetOptions(opts)
	})
}

// loadLost reads the answers to notices this PC does not have and shows
// the button to them when there are any.
func (v *noticesView) loadLost() {
	s := v.d.session
	var (
		lost []app.LostNoticeAnswer
		err  error
	)
	v.d.run(func() { lost, err = s.AnswersToLostNotices() }, func() {
		if err != nil {
			v.say(v.d.errText(err), widget.DangerImportance)
			return
		}
		v.lostAnswers = lost
		if len(lost) == 0 {
			v.lost.Hide()
			return
		}
		v.lost.SetText(i18n.L("notice.lost.button", map[string]any{"Count": len(lost)}))
		v.lost.Show()
	})
}

// showLost lists the answers to notices this PC does not have: who
// answered, when, and what.
func (v *noticesView) showLost() {
	rows := container.NewVBox(v.d.para(i18n.L("notice.lost.intro")))
	for _, a := range v.lostAnswers {
		rows.Add(widget.NewSeparator())
		rows.Add(widget.NewLabelWithStyle(i18n.L("notice.lost.answer", map[string]any{"Unit": a.UnitName,
			"Time": msWhen(a.AnsweredAt), "Name": a.Actor}), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		rows.Add(userText(a.Body))
	}
	scroll := container.NewVScroll(column(620, rows))
	scroll.SetMinSize(fyne.NewSize(640, 420))
	dialog.NewCustom(i18n.L("notice.lost.title"), i18n.L("button.close"), scroll, v.d.win).Show()
}

// refresh reads the shown notice and the list again (at HQ also the
// stations, one may have been registered meanwhile).
func (v *noticesView) refresh() {
	if v.hq {
		v.loadUnits()
		v.loadLost()
	}
	if v.detail.id != "" {
		v.detail.show(v.detail.id)
	}
	v.reload()
}

// say shows text above the list (empty hides it).
func (v *noticesView) say(text string, imp widget.Importance) {
	v.listMsg.Importance = imp
	setMessage(v.listMsg, text)
}

// query is the list's query as the filters set it.
func (v *noticesView) query() app.NoticeQuery {
	q := app.NoticeQuery{State: noticeStates[max(v.state.SelectedIndex(), 0)]}
	if v.unit != nil {
		if i := v.unit.SelectedIndex(); i > 0 && i <= len(v.units) {
			q.UnitID = v.units[i-1].ID
		}
	}
	return q
}

// reload reads the list again off the UI goroutine.
func (v *noticesView) reload() {
	s, q := v.d.session, v.query()
	latest(v.d, &v.gen, func() ([]app.Notice, error) {
		if v.hq {
			return s.Notices(q)
		}
		return s.NoticesForMe(q.State)
	}, func(rows []app.Notice, err error) {
		if err != nil {
			v.say(v.d.errText(err), widget.DangerImportance)
			return
		}
		v.say("", widget.MediumImportance)
		v.rows = rows
		overdue := 0
		for _, n := range rows {
			if n.Overdue {
				overdue++
			}
		}
		if len(rows) == 0 {
			v.listInfo.SetText(i18n.L("notice.list.empty"))
		} else {
			v.listInfo.SetText(i18n.L("notice.list.count", map[string]any{"Count": len(rows), "Overdue": overdue}))
		}
		v.quiet = true
		v.list.UnselectAll()
		if i := slices.IndexFunc(rows, func(n app.Notice) bool { return n.ID == v.detail.id }); i >= 0 {
			v.list.Select(i)
		}
		v.quiet = false
		v.list.Refresh()
	})
}

// latest reads off the UI goroutine and hands the result to done on it,
// unless another call with the same counter gen started meanwhile: only
// the newest read shows.
func latest[T any](d *desk, gen *int, read func() (T, error), done func(T, error)) {
	*gen++
	mine := *gen
	var (
		v   T
		err error
	)
	d.run(func() { v, err = read() }, func() {
		if mine == *gen {
			done(v, err)
		}
	})
}

// noticeStatusLabel is a notice status in words.
func noticeStatusLabel(s app.NoticeStatus) string { return i18n.L("notice.status." + string(s)) }

// noticeImportance is the colour of a notice's status: overdue is red,
// closed green (closed late orange), answered and waiting for HQ blue,
// waiting for the station orange.
func noticeImportance(n app.Notice) widget.Importance {
	switch {
	case n.Overdue:
		return widget.DangerImportance
	case n.Closed() && n.ClosedLate():
		return widget.WarningImportance
	case n.Closed():
		return widget.SuccessImportance
	case n.Answered():
		return widget.HighImportance
	}
	return widget.WarningImportance
}

// articleLabel is an article code with its short name in the UI language.
func articleLabel(d *desk, code string) string {
	a, ok := app.NoticeArticleByCode(code)
	switch {
	case !ok:
		return code
	case d.lang == i18n.English:
		return a.Code + " " + a.NameEN
	}
	return a.Label()
}

// noticeBasis is the article and item a notice rests on.
func noticeBasis(d *desk, n app.Notice) string {
	if n.Item == "" {
		return articleLabel(d, n.Article)
	}
	return n.Article + n.Item
}

// noticeRow is one notice in the list: its title over its status, the
// 超期 and 已答复 markers, and the station, deadline and article.
type noticeRow struct {
	widget.BaseWidget
	title, status, overdue, answered, meta *widget.Label
}

func newNoticeRow() *noticeRow {
	r := &noticeRow{title: widget.NewLabel(""), status: widget.NewLabel(""), overdue: widget.NewLabel(i18n.L("notice.overdue")),
		answered: widget.NewLabel(i18n.L("notice.answered")), meta: widget.NewLabel("")}
	r.title.TextStyle = fyne.TextStyle{Bold: true}
	r.title.Truncation = fyne.TextTruncateEllipsis
	r.meta.Truncation = fyne.TextTruncateEllipsis
	for _, l := range []*widget.Label{r.status, r.overdue, r.answered} {
		l.TextStyle = fyne.TextStyle{Bold: true}
	}
	r.overdue.Importance = widget.DangerImportance
	r.answered.Importance = widget.HighImportance
	r.ExtendBaseWidget(r)
	return r
}

// CreateRenderer stacks the title over the status, markers and facts.
func (r *noticeRow) CreateRenderer() fyne.WidgetRenderer {
	marks := container.NewHBox(r.status, r.overdue, r.answered)
	return widget.NewSimpleRenderer(container.New(&tightRows{}, r.title, container.NewBorder(nil, nil, marks, nil, r.meta)))
}

// set shows notice n.
func (r *noticeRow) set(v *noticesView, n app.Notice) {
	r.title.Importance = widget.MediumImportance
	if n.Overdue {
		r.title.Importance = widget.DangerImportance
	}
	r.title.SetText(n.Title)
	r.status.Importance = noticeImportance(n)
	r.status.SetText(noticeStatusLabel(n.Status))
	r.overdue.Hidden = !n.Overdue
	r.answered.Hidden = n.Closed() || !n.Answered()
	var meta []string
	if v.hq {
		meta = append(meta, n.UnitName)
	}
	meta = append(meta, i18n.L("notice.due", map[string]any{"Date": n.DueOn}), n.Article)
	r.meta.SetText(strings.Join(meta, " · "))
	r.Refresh()
}

// noticeDetail is the right side of 整改通知: the selected notice with its
// station, basis, deadline and status; the actions (HQ: 办结 once the
// station answered, 重新打开 with a reason; a station: 提交整改答复 while
// it is not closed); what to fix, and the station's answers.
type noticeDetail struct {
	v       *noticesView
	d       *desk
	content fyne.CanvasObject
	page    *fyne.Container
	msg     *widget.Label // the last action's result

	id  string // the notice shown (or being read), empty for none
	gen int    // counts reads; an older read's result is dropped
	nd  app.NoticeDetail

	confirm *dialog.ConfirmDialog // the 办结 question while it shows
	step    *noticeStep           // the 重新打开 or 提交整改答复 dialog
}

func newNoticeDetail(v *noticesView) *noticeDetail {
	dv := &noticeDetail{v: v, d: v.d, msg: errorLabel(), page: container.NewStack()}
	dv.content = container.NewBorder(container.NewPadded(dv.msg), nil, nil, nil, dv.page)
	hint := "notice.detail.none.hint.station"
	if v.hq {
		hint = "notice.detail.none.hint.hq"
	}
	dv.page.Objects = []fyne.CanvasObject{container.NewPadded(container.NewVBox(
		sectionTitle(i18n.L("notice.detail.none")), v.d.para(i18n.L(hint))))}
	return dv
}

// say shows the result of an action above the notice.
func (dv *noticeDetail) say(text string, imp widget.Importance) {
	dv.msg.Importance = imp
	setMessage(dv.msg, text)
}

// show reads notice id and shows it; another notice's result is cleared.
func (dv *noticeDetail) show(id string) {
	if id != dv.id {
		dv.say("", widget.MediumImportance)
	}
	dv.id = id
	s := dv.d.session
	latest(dv.d, &dv.gen, func() (app.NoticeDetail, error) { return s.Notice(id) }, func(nd app.NoticeDetail, err error) {
		if err != nil {
			dv.say(dv.d.errText(err), widget.DangerImportance)
			return
		}
		dv.nd = nd
		dv.page.Objects = []fyne.CanvasObject{dv.build(nd)}
		dv.page.Refresh()
	})
}

// build lays out notice nd.
func (dv *noticeDetail) build(nd app.NoticeDetail) fyne.CanvasObject {
	d, n := dv.d, nd.Notice
	status := widget.NewLabelWithStyle(noticeStatusLabel(n.Status), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	status.Importance = noticeImportance(n)
	facts := []string{i18n.L("notice.detail.basis", map[string]any{"Basis": noticeBasis(d, n)})}
	if dv.v.hq {
		facts = append([]string{i18n.L("notice.detail.unit", map[string]any{"Name": n.UnitName})}, facts...)
	}
	due := widget.NewLabel("")
	due.TextStyle = fyne.TextStyle{Bold: true}
	switch {
	case n.ClosedLate():
		due.SetText(i18n.L("notice.detail.closed.late", map[string]any{"Time": when(n.ClosedAt), "Date": n.DueOn}))
		due.Importance = widget.DangerImportance
	case n.Closed():
		due.SetText(i18n.L("notice.detail.closed.on_time", map[string]any{"Time": when(n.ClosedAt)}))
		due.Importance = widget.SuccessImportance
	case n.Overdue:
		due.SetText(i18n.L("notice.detail.overdue", map[string]any{"Date": n.DueOn}))
		due.Importance = widget.DangerImportance
	default:
		due.SetText(i18n.L("notice.detail.due", map[string]any{"Date": n.DueOn}))
	}
	issued := widget.NewLabel(i18n.L("notice.detail.issued", map[string]any{"Time": when(n.IssuedAt), "Name": n.CreatedBy}))
	issued.SizeName = theme.SizeNameCaptionText
	head := container.NewVBox(heading(n.Title),
		container.NewBorder(nil, nil, status, nil, d.para(strings.Join(facts, " · "))), due, issued)

	actions := container.NewHBox()
	if dv.v.hq {
		closeBtn := widget.NewButtonWithIcon(i18n.L("notice.close"), theme.ConfirmIcon(), dv.askClose)
		closeBtn.Importance = widget.HighImportance
		reopen := widget.NewButtonWithIcon(i18n.L("notice.reopen"), theme.ContentUndoIcon(), dv.openReopen)
		if n.Closed() || !n.Answered() {
			closeBtn.Disable()
		}
		if !n.Closed() && !n.Answered() {
			reopen.Disable()
		}
		actions.Add(closeBtn)
		actions.Add(reopen)
	} else if !n.Closed() {
		answer := widget.NewButtonWithIcon(i18n.L("notice.answer"), theme.MailReplyIcon(), dv.openAnswer)
		answer.Importance = widget.HighImportance
		actions.Add(answer)
	}
	refresh := widget.NewButtonWithIcon(i18n.L("notice.detail.refresh"), theme.ViewRefreshIcon(), dv.v.refresh)
	refresh.Importance = widget.LowImportance
	actions.Add(refresh)

	body := container.NewVBox(head, actions, widget.NewSeparator(),
		sectionTitle(i18n.L("notice.detail.body")), userText(n.Body), widget.NewSeparator(),
		sectionTitle(i18n.L("notice.detail.answers")))
	if len(nd.Answers) == 0 {
		body.Add(widget.NewLabel(i18n.L("notice.detail.answers.none")))
	}
	for _, a := range nd.Answers {
		body.Add(widget.NewLabel(i18n.L("notice.detail.answer", map[string]any{"Time": when(time.UnixMilli(a.AnsweredAt)), "Actor": a.Actor})))
		body.Add(quote(a.Body))
	}
	return container.NewVScroll(container.NewPadded(body))
}

// act runs a step on the shown notice off the UI goroutine and shows its
// result.
func (dv *noticeDetail) act(work func() error, success string) {
	var err error
	dv.d.run(func() { err = work() }, func() {
		if err != nil {
			dv.say(dv.d.errText(err), widget.DangerImportance)
		} else {
			dv.say(success, widget.SuccessImportance)
		}
		dv.v.refresh()
	})
}

// askClose asks before closing the shown notice (办结).
func (dv *noticeDetail) askClose() {
	s, n := dv.d.session, dv.nd.Notice
	dv.confirm = dialog.NewConfirm(i18n.L("notice.close"), i18n.L("notice.close.confirm", map[string]any{"Title": n.Title}), func(ok bool) {
		dv.confirm = nil
		if ok {
			dv.act(func() error { _, err := s.CloseNotice(n.ID); return err }, i18n.L("notice.close.done"))
		}
	}, dv.d.win)
	dv.confirm.SetConfirmText(i18n.L("notice.close"))
	dv.confirm.SetDismissText(i18n.L("button.cancel"))
	dv.confirm.SetConfirmImportance(widget.HighImportance)
	dv.confirm.Show()
}

// noticeStep is the dialog of 重新打开 (a reason and the deadline) or of
// 提交整改答复 (the answer). Return in its text adds a line, never submits.
type noticeStep struct {
	form *form
	text *widget.Entry
	due  *dateField // 重新打开 only
	fd   *formDialog
}

// openReopen asks for the reason and the deadline and reopens the shown
// notice. The deadline starts as the current one, or DefaultNoticeDays
// from today when that has passed.
func (dv *noticeDetail) openReopen() {
	d, s, n := dv.d, dv.d.session, dv.nd.Notice
	st := &noticeStep{form: newForm(d), text: multiLine(4), due: newDateField(d)}
	st.text.SetPlaceHolder(i18n.L("notice.reopen.reason.placeholder"))
	today := d.now()
	if n.DueOn < today.Format(time.DateOnly) {
		st.due.set(today.AddDate(0, 0, app.DefaultNoticeDays))
	} else {
		st.due.entry.SetText(n.DueOn)
	}
	st.form.add("reason", i18n.L("notice.reopen.reason"), st.text)
	st.form.add("due", i18n.L("notice.form.due"), st.due.content)
	dv.step = st
	st.fd = d.showFormDialog(i18n.L("notice.reopen.title"), i18n.L("notice.reopen.intro"), i18n.L("notice.reopen.submit"), st.form,
		func() (func() error, error) {
			due, err := dueText(st.due)
			if err != nil {
				return nil, err
			}
			reason := st.text.Text
			return func() error { _, err := s.ReopenNotice(n.ID, reason, due); return err }, nil
		}, func() {
			dv.say(i18n.L("notice.reopen.done"), widget.SuccessImportance)
			dv.v.refresh()
		}, func() { dv.step = nil })
}

// openAnswer asks for the answer to the shown notice and saves it.
func (dv *noticeDetail) openAnswer() {
	d, s, n := dv.d, dv.d.session, dv.nd.Notice
	st := &noticeStep{form: newForm(d), text: multiLine(8)}
	st.text.SetPlaceHolder(i18n.L("notice.answer.body.placeholder"))
	st.form.add("body", i18n.L("notice.answer.body"), st.text)
	dv.step = st
	st.fd = d.showFormDialog(i18n.L("notice.answer.title"), i18n.L("notice.answer.intro", map[string]any{"Title": n.Title}),
		i18n.L("notice.answer.submit"), st.form,
		func() (func() error, error) {
			body := st.text.Text
			return func() error { _, err := s.AnswerNotice(n.ID, body); return err }, nil
		}, func() {
			dv.say(i18n.L("notice.answer.done"), widget.SuccessImportance)
			dv.v.refresh()
		}, func() { dv.step = nil })
}

// dueText is the deadline typed in f as YYYY-MM-DD ("" when empty); text
// that is no date is an error at the field "due".
func dueText(f *dateField) (string, error) {
	t, ok, err := f.date()
	if err != nil {
		return "", &app.FieldError{Field: "due", Msg: i18n.L("date.invalid")}
	}
	if !ok {
		return "", nil
	}
	return t.Format(time.DateOnly), nil
}

// noticeForm is the 下发整改通知 dialog: the station (registered ones),
// the title, what to fix, the article, the item (Art. 18's items offered)
// and the deadline.
type noticeForm struct {
	form    *form
	unit    *widget.Select
	units   []app.UnitRecord // the unit options
	title   *widget.Entry
	body    *widget.Entry
	article *widget.Select
	item    *widget.SelectEntry
	items   []string // the items item offers
	due     *dateField
	fd      *formDialog
}

// openIssue opens the 下发整改通知 dialog.
func (v *noticesView) openIssue() {
	d, s := v.d, v.d.session
	nf := &noticeForm{form: newForm(d), unit: widget.NewSelect(nil, nil), title: widget.NewEntry(), body: multiLine(4),
		item: widget.NewSelectEntry(nil), due: newDateField(d)}
	nf.unit.PlaceHolder = i18n.L("notice.form.unit.placeholder")
	nf.title.SetPlaceHolder(i18n.L("notice.form.title.placeholder"))
	nf.body.SetPlaceHolder(i18n.L("notice.form.body.placeholder"))
	articles := make([]string, len(app.NoticeArticles))
	for i, a := range app.NoticeArticles {
		articles[i] = articleLabel(d, a.Code)
	}
	nf.article = widget.NewSelect(articles, func(string) { nf.articleChanged() })
	nf.article.PlaceHolder = i18n.L("notice.form.article.placeholder")
	nf.item.SetPlaceHolder(i18n.L("notice.form.item.placeholder"))
	nf.articleChanged()
	nf.due.set(d.now().AddDate(0, 0, app.DefaultNoticeDays))

	f := nf.form
	f.add("unit", i18n.L("notice.form.unit"), nf.unit)
	f.add("title", i18n.L("notice.form.title"), nf.title)
	f.add("body", i18n.L("notice.form.body"), nf.body)
	f.add("article", i18n.L("notice.form.article"), nf.article)
	f.add("item", i18n.L("notice.form.item"), nf.item)
	f.add("due", i18n.L("notice.form.due"), nf.due.content)
	v.issue = nf
	var saved app.Notice
	nf.fd = d.showFormDialog(i18n.L("notice.issue"), "", i18n.L("notice.form.issue"), f,
		func() (func() error, error) {
			form, err := nf.read()
			if err != nil {
				return nil, err
			}
			return func() (err error) { saved, err = s.IssueNotice(form); return err }, nil
		}, func() {
			v.detail.show(saved.ID)
			v.detail.say(i18n.L("notice.form.issued", map[string]any{"Unit": saved.UnitName}), widget.SuccessImportance)
			v.reload()
		}, func() { v.issue = nil })

	var (
		units []app.UnitRecord
		err   error
	)
	d.run(func() { units, err = s.NoticeUnits() }, func() {
		switch {
		case err != nil:
			f.fail(err)
		case len(units) == 0:
			f.fields["unit"].setError(i18n.L("notice.form.no_units"))
		}
		nf.units = units
		opts := make([]string, len(units))
		for i, u := range units {
			opts[i] = u.Name
		}
		nf.unit.SetOptions(opts)
	})
}

// articleChanged offers the chosen article's items in the item field.
func (nf *noticeForm) articleChanged() {
	nf.items = nil
	if i := nf.article.SelectedIndex(); i >= 0 {
		nf.items = app.NoticeItems(app.NoticeArticles[i].Code)
	}
	nf.item.SetOptions(nf.items)
	if drop, ok := nf.item.ActionItem.(fyne.Disableable); ok {
		if len(nf.items) == 0 {
			drop.Disable()
		} else {
			drop.Enable()
		}
	}
}

// read is what the form holds; a deadline that is no date is an error at
// its field.
func (nf *noticeForm) read() (app.NoticeForm, error) {
	f := app.NoticeForm{Title: nf.title.Text, Body: nf.body.Text, Item: nf.item.Text}
	if i := nf.unit.SelectedIndex(); i >= 0 && i < len(nf.units) {
		f.UnitID = nf.units[i].ID
	}
	if i := nf.article.SelectedIndex(); i >= 0 {
		f.Article = app.NoticeArticles[i].Code
	}
	due, err := dueText(nf.due)
	f.DueOn = due
	return f, err
}
